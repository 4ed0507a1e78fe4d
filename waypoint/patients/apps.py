from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "waypoint.patients"
    label = "patients"
    verbose_name = "Patients and episodes of care"
