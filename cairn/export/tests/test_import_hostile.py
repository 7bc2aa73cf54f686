"""Importing a hostile export: a 422 with a message, nothing saved, and the
person's export, Markdown, printable page and growth page still answer 200 — on
both databases (issue 17: a calendar-edge import on PostgreSQL used to answer 500,
keep its rows and break those pages for good).

Everything is checked before the first write (``services.parse``): numbers JSON
cannot hold (``NaN``, ``Infinity``, ``1e999``), NUL bytes, lone surrogates and
control characters anywhere in the document, dates and times outside the years
Cairn keeps (``9999-12-31T23:59:59-14:00`` is past year 9999 in UTC), nesting
deeper than any export, and files over the limit.
"""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cairn.export import document as doc
from cairn.export import services
from cairn.export.tests import factories as world
from cairn.testing import Cast, client_for, html

pytestmark = pytest.mark.django_db

PAGES = ("export:json", "export:markdown", "export:print", "export:data", "growth:home")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture
def document(cast: Cast) -> dict[str, Any]:
    """The report's export, holding every kind of section."""
    world.fill(cast, 1)
    exported: dict[str, Any] = json.loads(doc.dumps(doc.export_document(cast.report)))
    return exported


def _set_everywhere(document: dict[str, Any], suffix: str, value: str) -> dict[str, Any]:
    """Every ``*<suffix>`` field of every item of every section set to ``value``."""
    changed = copy.deepcopy(document)
    stack: list[Any] = [changed["sections"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in node:
                if key.endswith(suffix) and isinstance(node[key], str):
                    node[key] = value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return changed


def _upload(cast: Cast, text: str | bytes, client: Client | None = None) -> Any:
    data = text.encode() if isinstance(text, str) else text
    return (client or client_for(cast.report)).post(
        reverse("export:import"),
        {"file": SimpleUploadedFile("export.json", data, content_type="application/json")},
    )


def _pages_still_work(cast: Cast) -> None:
    client = client_for(cast.report)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    json.loads(client.get(reverse("export:json")).content)  # still valid JSON


def _strict_dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=True)


def _assert_refused(cast: Cast, body: str | bytes, message: str) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = _upload(cast, body, client)
    assert response.status_code == 422
    assert message in html(response)
    assert _counts() == before
    _pages_still_work(cast)


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "1000-01-01T00:00:00Z"]
)
def test_calendar_edge_times_are_refused_and_nothing_is_saved(
    cast: Cast, document: dict[str, Any], moment: str
) -> None:
    body = _strict_dumps(_set_everywhere(document, "_at", moment))
    _assert_refused(cast, body, "is outside the years Cairn keeps (1900 to 2200)")


def test_a_calendar_edge_date_is_refused(cast: Cast, document: dict[str, Any]) -> None:
    body = _strict_dumps(_set_everywhere(document, "_on", "9999-12-31"))
    _assert_refused(cast, body, "is outside the years Cairn keeps (1900 to 2200)")


def test_the_time_of_the_export_itself_is_checked(cast: Cast, document: dict[str, Any]) -> None:
    document["exported_at"] = "9999-12-31T23:59:59-14:00"
    _assert_refused(cast, _strict_dumps(document), "exported_at: 9999-12-31T23:59:59-14:00")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "NaN is not a number an export can hold"),
        ("Infinity", "Infinity is not a number an export can hold"),
        ("-Infinity", "-Infinity is not a number an export can hold"),
        ("1e999", "the number 1e999 is too big"),
    ],
)
def test_an_unknown_section_holding_numbers_json_cannot_hold_is_refused(
    cast: Cast, document: dict[str, Any], value: str, message: str
) -> None:
    document["sections"]["from_the_future"] = [{"score": 0.5}]
    body = _strict_dumps(document).replace("0.5", value)
    _assert_refused(cast, body, message)


@pytest.mark.parametrize(
    ("escaped", "message"),
    [
        ("\\u0000", "a NUL byte in sections.from_the_future[0].text"),
        ("\\ud800", "a lone surrogate (U+D800) in sections.from_the_future[0].text"),
        ("\\u001b", "a control character (U+001B) in sections.from_the_future[0].text"),
    ],
)
def test_text_cairn_cannot_store_is_refused_wherever_it_is(
    cast: Cast, document: dict[str, Any], escaped: str, message: str
) -> None:
    document["sections"]["from_the_future"] = [{"text": "PLACEHOLDER"}]
    body = _strict_dumps(document).replace("PLACEHOLDER", f"bad {escaped} text")
    _assert_refused(cast, body, message)


def test_a_surrogate_in_a_restored_section_is_refused(cast: Cast, document: dict[str, Any]) -> None:
    body = _strict_dumps(document).replace("I help teams learn", "I help \\udfff teams learn")
    _assert_refused(cast, body, "a lone surrogate (U+DFFF)")


@pytest.mark.parametrize("depth", [20, 1000, 100_000])
def test_deep_nesting_is_refused(cast: Cast, document: dict[str, Any], depth: int) -> None:
    document["sections"]["from_the_future"] = [{"deep": "PLACEHOLDER"}]
    body = _strict_dumps(document).replace('"PLACEHOLDER"', "[" * depth + "]" * depth)
    _assert_refused(cast, body, "nested")


def test_a_huge_file_is_refused(cast: Cast) -> None:
    _assert_refused(cast, b" " * (services.MAX_BYTES + 1), "The file is too big")


def test_a_file_that_is_not_utf8_is_refused(cast: Cast) -> None:
    _assert_refused(cast, b'{"schema": "\xed\xa0\x80"}', "The file is not UTF-8 text")


def test_the_command_line_import_refuses_the_same(cast: Cast, document: dict[str, Any]) -> None:
    body = _strict_dumps(_set_everywhere(document, "_at", "9999-12-31T23:59:59-14:00")).encode()
    before = _counts()
    with pytest.raises(services.DocumentError):
        services.import_file(None, cast.report, io.BytesIO(body), len(body))
    assert _counts() == before


def test_a_good_unknown_section_still_comes_back(cast: Cast, document: dict[str, Any]) -> None:
    # The checks refuse the hostile, not the new: a section from a newer Cairn with
    # ordinary values is kept and exported again.
    document["sections"] = {"from_the_future": [{"score": 0.5, "noted_at": "2026-01-01T00:00:00Z"}]}
    response = _upload(cast, _strict_dumps(document))
    assert response.status_code == 302, html(response)[-3000:]
    response = client_for(cast.report).post(response["Location"] + "confirm/")
    assert response.status_code == 302, html(response)
    _pages_still_work(cast)
    again = json.loads(client_for(cast.report).get(reverse("export:json")).content)
    assert {"score": 0.5, "noted_at": "2026-01-01T00:00:00Z"} in again["sections"][
        "from_the_future"
    ]
