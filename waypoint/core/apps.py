from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waypoint.core"
    label = "core"
    verbose_name = "Clinic, staff and audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit receivers)
