"""Signed-in pages are never kept by a browser's back button or a shared proxy.

Any response to a signed-in request, and any response whose view marks it private
(the sign-in pages: :func:`private`), answers ``Cache-Control: private, no-store``.
A response that already says how it may be cached is left as it is: its view
decided (the calendar feed, whose secret link is its credential; Django's
``never_cache`` pages, which say ``no-store, private`` and more). Static files are
served before any middleware runs, so they keep their own headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PRIVATE_ATTRIBUTE = "cairn_private"


def private(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view's responses private even when nobody is signed in (the log-in
    steps, which carry a one-time secret or an account's half-finished sign-in)."""
    setattr(view, PRIVATE_ATTRIBUTE, True)
    return view


class PrivateCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        match = getattr(request, "resolver_match", None)
        marked = match is not None and getattr(match.func, PRIVATE_ATTRIBUTE, False)
        user = getattr(request, "user", None)
        if marked or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
