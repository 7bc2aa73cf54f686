"""How a view answers: the partial to htmx, the page (or a redirect) to a browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render


def answer(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    context: dict[str, Any],
    success_url: str,
    ok: bool,
) -> HttpResponse:
    """After a POST: htmx gets the named partial of the page re-rendered; a plain
    browser is redirected back to the page (post/redirect/get) on success, and gets
    the whole page with the form's errors otherwise. Errors answer 422, which the
    htmx configuration in ``base.html`` swaps in like a success."""
    status = 200 if ok else 422
    if getattr(request, "htmx", False):
        return render(request, f"{template}#{partial}", context, status=status)
    if ok:
        return HttpResponseRedirect(success_url)
    return render(request, template, context, status=status)
