"""docs/export-format.md documents every field: the envelope's, and every field of
every section the installed apps write. A new field without documentation fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cairn.export import document as doc
from cairn.export.tests import factories as world
from cairn.testing import Cast

DOCS = Path(__file__).resolve().parents[3] / "docs" / "export-format.md"


def field_names(items: list[dict[str, Any]]) -> set[str]:
    names: set[str] = set()
    for item in items:
        for name, value in item.items():
            names.add(name)
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                names |= field_names(value)
    return names


def test_every_field_is_documented(cast: Cast) -> None:
    text = DOCS.read_text(encoding="utf-8")
    world.fill(cast, 1)
    document = doc.export_document(cast.report)
    schema = doc.checker().root
    missing = [f"`{name}`" for name in schema["properties"] if f"`{name}`" not in text]
    missing += [
        f"person.{name}"
        for name in schema["properties"]["person"]["properties"]
        if f"`person.{name}`" not in text
    ]
    for key, items in document["sections"].items():
        if f"`{key}`" not in text:
            missing.append(f"section {key}")
        missing += [
            f"{key}: {name}" for name in sorted(field_names(items)) if f"`{name}`" not in text
        ]
    assert missing == []
