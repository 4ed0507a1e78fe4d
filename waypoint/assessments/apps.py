from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "waypoint.assessments"
    label = "assessments"
    verbose_name = "Assessments and questionnaires"

    def ready(self) -> None:
        from waypoint.core.extensions import chart_panel, demo_builder, home_panel, portal_panel

        from . import catalogue, demo, panels, schedule

        # A malformed instrument or schedule file stops start-up, naming file and field.
        schedule.load(known_instruments=list(catalogue.load()))
        chart_panel(order=20)(panels.chart_scores)
        home_panel(order=5)(panels.home_alerts)
        portal_panel(order=10)(panels.portal_questionnaires)
        demo_builder(order=40)(demo.build)
