"""Full page or HTMX fragment from one view, decided in one place (NetBox's habit)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import InvalidInput

PAGE_SIZE = 25
MAX_PAGE = 10_000


def htmx_partial(request: HttpRequest) -> bool:
    """True for an HTMX request that swaps part of a page (not a boosted navigation)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = fragment if fragment and htmx_partial(request) else template
    return render(request, chosen, context, status=status)


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    """A bounded page: junk or huge page numbers give the nearest real page."""
    try:
        number = min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        number = 1
    return Paginator(items, per_page).get_page(number)


def apply_errors(form: BaseForm, exc: InvalidInput) -> None:
    """Put a service's field errors on the form that collected the input."""
    for name, messages in exc.fields.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(
                field, message if field else f"{name}: {message}" if name != "__all__" else message
            )
