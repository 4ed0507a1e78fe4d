"""Full page or HTMX fragment from one view, decided in one place (NetBox's habit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import Conflict, Forbidden, InvalidInput

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


def form_page(
    request: HttpRequest,
    form: BaseForm,
    handler: Callable[[Any], Any],
    *,
    template: str,
    context: dict[str, Any],
    done: str,
    success_url: str,
) -> HttpResponse:
    """GET shows the form; a valid POST runs ``handler(form)`` and redirects.

    A service's refusal lands on the form with the user's input kept: InvalidInput on
    its fields (422), Conflict (409) and Forbidden (403) above them.
    """
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                handler(form)
            except InvalidInput as exc:
                apply_errors(form, exc)
            except (Conflict, Forbidden) as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, done)
                return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=status)


def apply_errors(form: BaseForm, exc: InvalidInput) -> None:
    """Put a service's field errors on the form that collected the input."""
    for name, texts in exc.fields.items():
        field = name if name in form.fields else None
        for message in texts:
            form.add_error(
                field, message if field else f"{name}: {message}" if name != "__all__" else message
            )
