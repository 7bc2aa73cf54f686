"""How a view answers: the partial to htmx, the page (or a redirect) to a browser.

This module is the one place that tells an htmx request from a plain one; views call
``render_page`` (a GET), ``answer`` (after a POST) or, for the rare answer of another shape,
``respond``, and never read ``request.htmx`` themselves. Every answer that depends on
the ``HX-Request`` header says so with ``Vary: HX-Request``, so that a cache (or the
browser's back button, after htmx has pushed a search URL into the history) never
serves the partial where the page belongs, or the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def _from_htmx(request: HttpRequest) -> bool:
    # django-htmx's middleware sets ``request.htmx``; a request built without the
    # middleware (RequestFactory in a test) counts as a plain browser.
    return bool(getattr(request, "htmx", False))


def respond(
    request: HttpRequest,
    *,
    htmx: Callable[[], HttpResponse],
    browser: Callable[[], HttpResponse],
) -> HttpResponse:
    """The answer ``htmx()`` makes for htmx, the one ``browser()`` makes otherwise,
    marked as varying on ``HX-Request``. ``render_page`` and ``answer`` cover the usual
    shapes; call this only for an answer that fits neither."""
    response = htmx() if _from_htmx(request) else browser()
    patch_vary_headers(response, ("HX-Request",))
    return response


def render_page(
    request: HttpRequest,
    template: str,
    partial: str,
    context: dict[str, Any],
    *,
    page_only: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A GET: htmx gets the named partial of the page, a browser the whole page.
    ``page_only`` adds what only the whole page shows; it is not called for htmx, so
    its queries are not run for a partial that would not show them."""

    def whole() -> HttpResponse:
        extra = page_only() if page_only else {}
        return render(request, template, {**context, **extra})

    return respond(
        request, htmx=lambda: render(request, f"{template}#{partial}", context), browser=whole
    )


def answer(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    success_url: str,
    ok: bool,
    done: str = "",
) -> HttpResponse:
    """After a POST: htmx gets the named partial of the page re-rendered; a plain
    browser is redirected back to the page (post/redirect/get) on success, and gets
    the whole page with the form's errors otherwise. Errors answer 422, which the
    htmx configuration in ``base.html`` swaps in like a success.

    ``done`` is the success said to a browser as a message on the page it is
    redirected to; htmx users see success in the swapped partial instead, so they do
    not get it again as a message on their next page.

    ``context`` may be a function that builds it: it is then called only for an answer
    that renders, so a browser's successful post, redirected, runs none of the page's
    queries."""
    status = 200 if ok else 422

    def built() -> dict[str, Any]:
        return context() if callable(context) else context

    def browser() -> HttpResponse:
        if not ok:
            return render(request, template, built(), status=status)
        if done:
            messages.success(request, done)
        return HttpResponseRedirect(success_url)

    return respond(
        request,
        htmx=lambda: render(request, f"{template}#{partial}", built(), status=status),
        browser=browser,
    )
