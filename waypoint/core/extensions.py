"""Where the journey's apps plug into shared screens, without the screens knowing them.

Each app registers, in its ``AppConfig.ready()``:

* chart panels — ``chart_panel(order=…)`` on a function ``(request, actor, patient) ->
  Panel | None``; the chart shows the panels that return something (nothing empty);
* navigation items — ``nav_item(label, url_name, visible)`` with a predicate on the
  principal;
* staff-home panels — ``home_panel(order=…)`` like chart panels, ``(request, actor)``;
* portal panels — ``portal_panel(order=…)`` on ``(request, actor, patient)``, shown on
  the patient's (or, for a guardian, the child's) portal page, most urgent first;
* demo data — ``demo_builder(order=…)`` on ``(clinic, rng, today) -> None``, called by
  ``python -m waypoint demo-data`` after patients exist (must be idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .access import Principal


@dataclass(frozen=True)
class Panel:
    """A section of a page: a template and its context. ``title`` heads the section."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Principal], bool]
    order: int = 100


ChartPanelFn = Callable[[Any, Any, Any], Panel | None]
HomePanelFn = Callable[[Any, Any], Panel | None]
DemoBuilderFn = Callable[[Any, Any, Any], None]

_chart_panels: list[tuple[int, ChartPanelFn]] = []
_home_panels: list[tuple[int, HomePanelFn]] = []
_portal_panels: list[tuple[int, ChartPanelFn]] = []
_nav_items: list[NavItem] = []
_demo_builders: list[tuple[int, DemoBuilderFn]] = []


def chart_panel(order: int = 100) -> Callable[[ChartPanelFn], ChartPanelFn]:
    def register(fn: ChartPanelFn) -> ChartPanelFn:
        if fn not in (f for _, f in _chart_panels):
            _chart_panels.append((order, fn))
            _chart_panels.sort(key=lambda pair: pair[0])
        return fn

    return register


def home_panel(order: int = 100) -> Callable[[HomePanelFn], HomePanelFn]:
    def register(fn: HomePanelFn) -> HomePanelFn:
        if fn not in (f for _, f in _home_panels):
            _home_panels.append((order, fn))
            _home_panels.sort(key=lambda pair: pair[0])
        return fn

    return register


def portal_panel(order: int = 100) -> Callable[[ChartPanelFn], ChartPanelFn]:
    def register(fn: ChartPanelFn) -> ChartPanelFn:
        if fn not in (f for _, f in _portal_panels):
            _portal_panels.append((order, fn))
            _portal_panels.sort(key=lambda pair: pair[0])
        return fn

    return register


def demo_builder(order: int = 100) -> Callable[[DemoBuilderFn], DemoBuilderFn]:
    def register(fn: DemoBuilderFn) -> DemoBuilderFn:
        if fn not in (f for _, f in _demo_builders):
            _demo_builders.append((order, fn))
            _demo_builders.sort(key=lambda pair: pair[0])
        return fn

    return register


def nav_item(
    label: str, url_name: str, visible: Callable[[Principal], bool], order: int = 100
) -> None:
    if all(item.url_name != url_name for item in _nav_items):
        _nav_items.append(NavItem(label, url_name, visible, order))
        _nav_items.sort(key=lambda item: item.order)


def chart_panels(request: Any, actor: Any, patient: Any) -> list[Panel]:
    panels = [fn(request, actor, patient) for _, fn in _chart_panels]
    return [p for p in panels if p is not None]


def portal_panels(request: Any, actor: Any, patient: Any) -> list[Panel]:
    panels = [fn(request, actor, patient) for _, fn in _portal_panels]
    return [p for p in panels if p is not None]


def home_panels(request: Any, actor: Any) -> list[Panel]:
    panels = [fn(request, actor) for _, fn in _home_panels]
    return [p for p in panels if p is not None]


def nav_items(principal: Principal) -> list[NavItem]:
    return [item for item in _nav_items if item.visible(principal)]


def demo_builders() -> list[DemoBuilderFn]:
    return [fn for _, fn in _demo_builders]
