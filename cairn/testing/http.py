"""Asking pages as a person would: signed in, as a browser or as htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cairn.people.models import Person


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def htmx(client: Client) -> Client:
    """The same signed-in person, asking as htmx does: a new client sharing the
    cookies, so the one given stays a plain browser."""
    twin = Client(HTTP_HX_REQUEST="true")
    twin.cookies = client.cookies
    return twin


def html(response: object) -> str:
    """A response's body as text, to assert on what a person would read."""
    return response.content.decode()  # type: ignore[attr-defined,no-any-return]
