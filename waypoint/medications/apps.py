from django.apps import AppConfig


class MedicationsConfig(AppConfig):
    name = "waypoint.medications"
    label = "medications"
    verbose_name = "Medications and procedures"

    def ready(self) -> None:
        from . import demo, panels  # noqa: F401  (register chart/portal panels and demo data)
