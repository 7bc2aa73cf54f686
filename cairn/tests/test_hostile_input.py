"""Hostile input gets a clear answer, never a 500 (issue 17, point 3).

The guard (``cairn/lib/hostile.py``): NUL bytes, lone surrogates, control characters
and bytes that are not UTF-8, in a query string, a form field, a field's name or an
uploaded file's name, are a 422 that names the field, before any view runs — on both
databases. Then the property-based walk: junk posted to every form of Cairn's main
pages, as the person who sees that form, and junk searched for on its list pages, is
never a 5xx, and a refusal saves nothing.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cairn.lib import hostile
from cairn.testing import Cast, client_for, html

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("Al\x00ex", "a NUL byte"),
        ("bell\x07", "a control character (U+0007)"),
        ("esc\x1b[31m", "a control character (U+001B)"),
    ],
)
def test_a_search_with_a_character_cairn_cannot_store_is_a_422_naming_the_field(
    cast: Cast, value: str, what: str
) -> None:
    client = client_for(cast.manager)
    response = client.get(reverse("people:directory"), {"q": value})
    assert response.status_code == 422
    assert f"Your input contains characters Cairn can&#x27;t store: {what} in “q”." in html(
        response
    )


def test_the_people_picker_answers_json(cast: Cast) -> None:
    response = client_for(cast.manager).get(
        reverse("people:pick"), {"q": "Re\x00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Your input contains characters Cairn can't store: a NUL byte in “q”."
    }


def test_tab_newline_and_return_are_ordinary_text(cast: Cast) -> None:
    response = client_for(cast.manager).get(reverse("people:directory"), {"q": "a\tb\r\nc"})
    assert response.status_code == 200


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%FF", "%C3"])
def test_bytes_that_are_not_utf8_are_refused_rather_than_read_as_replacement(
    cast: Cast, encoded: str
) -> None:
    # %ED%A0%80 is the lone surrogate U+D800 encoded as UTF-8 would, if it could: Django
    # would read it as U+FFFD and search for that.
    response = client_for(cast.manager).get(f"{reverse('people:directory')}?q=x{encoded}")
    assert response.status_code == 422
    assert "bytes that are not UTF-8 text in the address" in html(response)


def test_a_posted_nul_saves_nothing(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(
        reverse("growth:mission"), {"text": "To help\x00 people grow", "visibility": "private"}
    )
    assert response.status_code == 422
    assert "a NUL byte in “text”" in html(response)
    assert _counts() == before


def test_a_urlencoded_body_with_a_surrogate_is_refused(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(
        reverse("growth:mission"),
        data=b"text=%ED%A0%80&visibility=private",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    assert "bytes that are not UTF-8 text in the form" in html(response)
    assert _counts() == before


def test_a_field_name_is_checked_too(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(reverse("growth:mission"), {"te\x01xt": "hello"})
    assert response.status_code == 422
    assert "in the name of a field" in html(response)
    assert _counts() == before


def test_a_file_name_with_a_nul_is_no_500(cast: Cast) -> None:
    # Django's multipart parser drops unprintable characters from file names; the
    # guard checks the names it hands on all the same.
    upload = SimpleUploadedFile("export\x00.json", b"{}", content_type="application/json")
    response = client_for(cast.report).post(reverse("export:import"), {"file": upload})
    assert response.status_code == 422


def test_the_refusal_page_works_without_a_session() -> None:
    response = Client().get(reverse("login"), {"next": "/\x00"})
    assert response.status_code == 422
    assert "a NUL byte in “next”" in html(response)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b'{"a": NaN}', "NaN is not a number JSON can hold"),
        (b'{"a": -Infinity}', "-Infinity is not a number JSON can hold"),
        (b'{"a": 1e999}', "the number 1e999 is too big"),
        (b'{"a": "\\ud800"}', "a lone surrogate (U+D800) in a"),
        (b'{"a": ["\\u0000"]}', "a NUL byte in a[0]"),
        (b"[" * 1000 + b"]" * 1000, "nested more than 32 levels deep"),
        (b'{"a": "\xff"}', "bytes that are not UTF-8 text in the body"),
    ],
)
def test_a_json_body_is_read_strictly_and_answered_in_json(
    cast: Cast, body: bytes, what: str
) -> None:
    response = client_for(cast.report).post(
        reverse("growth:mission"), data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert what in response.json()["error"]


def test_loads_strict_keeps_ordinary_json() -> None:
    text = json.dumps({"a": [1, 2.5, "tab\there", {"b": None}]})
    assert hostile.loads_strict(text) == json.loads(text)
    assert hostile.json_problem({"ok": ["fine"]}) is None
    assert hostile.strip_bad("a\x00b\ud800c\x1fd\te") == "abcd\te"
