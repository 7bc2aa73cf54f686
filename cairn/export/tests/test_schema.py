"""The schema checker: it checks what the export schema says, names the place at
fault, and refuses a schema that uses a keyword it does not know."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cairn.export import document as doc
from cairn.export.jsonschema import Checker, UnsupportedKeyword, place


def valid() -> dict[str, Any]:
    return {
        "schema": "cairn.export/1",
        "exported_at": "2026-03-02T09:30:00Z",
        "person": {"name": "Riley", "title": "", "organisation": "Acme"},
        "sections": {
            "objectives": [
                {"what": "Speak at a meetup", "target_on": "2026-06-30", "check_ins": []},
                {"what": "Mentor", "target_on": None, "created_at": "2026-01-01T10:00:00+01:00"},
            ]
        },
    }


def test_the_schema_file_is_json_and_uses_only_checked_keywords() -> None:
    schema = json.loads(doc.SCHEMA_FILE.read_text())
    Checker(schema)  # raises UnsupportedKeyword otherwise
    assert schema["properties"]["schema"]["const"] == doc.SCHEMA


def test_a_valid_document_has_no_errors() -> None:
    assert doc.checker().errors(valid()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["sections"]["objectives"][1].update(target_on="30/06/2026"),
            "sections.objectives[1].target_on: expected a date such as 2026-03-31, "
            "found '30/06/2026'",
        ),
        (
            lambda d: d["sections"]["objectives"][0].update(created_at="2026-01-01T10:00:00"),
            "sections.objectives[0].created_at: expected a date and time with its offset",
        ),
        (
            lambda d: d["sections"].update(objectives=["not an object"]),
            "sections.objectives[0]: expected object, found string",
        ),
        (
            lambda d: d["sections"].update({"Bad Key": []}),
            "sections: the field name 'Bad Key' is not allowed: 'Bad Key' does not match "
            "^[a-z][a-z0-9_]{0,63}$",
        ),
        (
            lambda d: d["sections"]["objectives"][0].update({"x" * 65: 1}),
            f"sections.objectives[0]: the field name {'x' * 60!r} is not allowed: "
            "at most 64 characters, found 65",
        ),
        (lambda d: d.pop("person"), "person: missing"),
        (lambda d: d.update(extra=1), "extra: not a field of this schema"),
        (
            lambda d: d["person"].update(name="x" * 121),
            "person.name: at most 120 characters, found 121",
        ),
        (
            lambda d: d["sections"]["objectives"][0].update(what="x" * 100_001),
            "sections.objectives[0].what: at most 100000 characters",
        ),
        (lambda d: d.update(exported_at=True), "exported_at: expected string, found boolean"),
    ],
)
def test_an_error_names_the_place_at_fault(change, message: str) -> None:
    document = valid()
    change(document)
    errors = doc.checker().errors(document)
    assert errors
    assert errors[0].startswith(message)


def test_a_schema_with_an_unknown_keyword_is_refused() -> None:
    # A keyword the checker does not know would be a check silently skipped.
    with pytest.raises(UnsupportedKeyword, match="minItems"):
        Checker({"type": "array", "items": {"minItems": 1}})


def test_places_read_like_paths() -> None:
    assert place(("sections", "objectives", 2, "target_date")) == (
        "sections.objectives[2].target_date"
    )
    assert place(()) == "the document"
