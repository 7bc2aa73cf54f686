"""The one way access helpers fetch an object for a viewer."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

_M = TypeVar("_M", bound=Model)


def get_or_404(queryset: QuerySet[_M], **lookup: Any) -> _M:
    """The object, or 404 — the same answer for "does not exist", "not yours" and an
    identifier that is not even well formed (codes also arrive in posted forms, where
    nothing has checked that they are UUIDs)."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def require(allowed: bool) -> None:
    """A service's policy check: refuse with ``PermissionDenied`` unless allowed."""
    if not allowed:
        raise PermissionDenied
