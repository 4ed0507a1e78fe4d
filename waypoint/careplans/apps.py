from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "waypoint.careplans"
    label = "careplans"
    verbose_name = "Care plans and the team"

    def ready(self) -> None:
        from . import demo, panels  # noqa: F401  (register panels and demo data)
