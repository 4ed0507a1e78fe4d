from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "waypoint.referrals"
    label = "referrals"
    verbose_name = "Referrals and triage"

    def ready(self) -> None:
        from waypoint.core.extensions import chart_panel, demo_builder, home_panel, nav_item

        from . import demo, panels
        from .access import can_see_referrals_at_all

        home_panel(order=10)(panels.referrals_home_panel)
        chart_panel(order=20)(panels.referrals_chart_panel)
        nav_item("Referrals", "referral-list", can_see_referrals_at_all, order=10)
        nav_item("Waiting list", "waiting-list", can_see_referrals_at_all, order=11)
        demo_builder(order=20)(demo.build_referrals)
