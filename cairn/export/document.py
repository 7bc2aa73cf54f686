"""The export document: what each app contributes, put together for one person.

Each Cairn app that holds something a person owns contributes through a module
``cairn/<app>/portable.py`` with

- ``export_sections(person) -> dict[str, list[dict]]``: JSON-safe items (ISO 8601
  strings for dates and times, no database ids), in a deterministic order, of what
  the person owns and nothing else;
- optionally ``import_sections(person, sections) -> set[str]``: restores the
  sections it understands for the person and returns their keys.

Apps without such a module simply contribute nothing. See docs/export-format.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib
import importlib.util
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone

from cairn.export.jsonschema import Checker
from cairn.export.models import Import, ImportedItem
from cairn.people.models import Person

SCHEMA = "cairn.export/1"
SCHEMA_FILE = Path(__file__).parent / "schema" / "v1.json"

Sections = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Provider:
    """One app's contribution: its label, and its export (and import, if any)."""

    app: str
    export_sections: Callable[[Person], Mapping[str, list[dict[str, Any]]]]
    import_sections: Callable[[Person, Sections], set[str]] | None


@functools.cache
def _discover() -> tuple[Provider, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cairn.") or config.name == __package__:
            continue
        module_name = f"{config.name}.portable"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found.append(
            Provider(
                app=config.label,
                export_sections=module.export_sections,
                import_sections=getattr(module, "import_sections", None),
            )
        )
    return tuple(found)


def providers() -> tuple[Provider, ...]:
    """The contributing apps, in INSTALLED_APPS order (which is the sections' order)."""
    return _discover()


@functools.cache
def checker() -> Checker:
    return Checker(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def export_sections(person: Person) -> Sections:
    """Every section of the person's data: what the apps hold live, then, in each
    section, what was imported and kept verbatim. Sections come in the order of the
    apps; sections only imported (no app here knows them) come last, in the order
    they were imported."""
    sections: Sections = {}
    for provider in providers():
        for key, items in provider.export_sections(person).items():
            sections.setdefault(key, []).extend(items)
    # Sections kept from imports follow the live items of the same section; those
    # no app here knows come after all the others, in the order they were imported
    # (even when empty: the next export has the same sections as the document).
    kept: Sections = {}
    for batch in Import.objects.visible_to(person).order_by("imported_at", "id"):
        for key in batch.kept_keys:
            kept.setdefault(key, [])
    for item in ImportedItem.objects.visible_to(person).in_export_order():
        kept.setdefault(item.key, []).append(item.load())
    for key, items in kept.items():
        sections.setdefault(key, []).extend(items)
    return sections


def iso_datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def export_document(person: Person, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The whole export of ``person``, for ``person`` alone (the caller makes sure the
    person is the one asking: there is no way to export somebody else)."""
    return {
        "schema": SCHEMA,
        "exported_at": iso_datetime(now or timezone.now()),
        "person": {
            "name": person.name,
            "title": person.title,
            "organisation": person.organisation.name,
            # Who the document is of, for the import to tell theirs from someone
            # else's: the person here by code, and elsewhere by email (or name).
            "code": str(person.code),
            "email": person.user.email,
        },
        "sections": export_sections(person),
    }


def dumps(document: Mapping[str, Any]) -> str:
    """The document as JSON text: indented for people, UTF-8 (not \\u escapes), keys
    in their given order so the same data always gives the same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def digest(document: Mapping[str, Any]) -> str:
    """What identifies a document's data: its schema and sections, not when it was
    exported, so two exports of the same data count as the same document."""
    canonical = json.dumps(
        {"schema": document["schema"], "sections": document["sections"]},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
