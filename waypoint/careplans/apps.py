from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "waypoint.careplans"
    label = "careplans"
    verbose_name = "Care plans and the team"

    def ready(self) -> None:
        from . import panels  # noqa: F401  (register chart and portal panels)
