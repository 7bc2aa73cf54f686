"""Fixtures of the export tests: a frozen clock, and a stand-in app.

``wishes`` is an app of this test alone, contributing a section the way any Cairn
app does (``export_sections`` and ``import_sections``), so the machinery is proven
apart from what the real apps happen to hold today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from cairn.export import document as doc
from cairn.people.models import Person

FROZEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


class Wishes:
    """An in-memory app: a list of wishes per person, restored natively on import."""

    KEY = "wishes"

    def __init__(self) -> None:
        self.store: dict[int, list[dict[str, Any]]] = {}

    def add(self, person: Person, text: str, wished_on: str = "2026-01-05") -> None:
        self.store.setdefault(person.pk, []).append({"text": text, "wished_on": wished_on})

    def export_sections(self, person: Person) -> dict[str, list[dict[str, Any]]]:
        return {self.KEY: list(self.store.get(person.pk, []))}

    def import_sections(self, person: Person, sections: doc.Sections) -> set[str]:
        if self.KEY not in sections:
            return set()
        self.store.setdefault(person.pk, []).extend(sections[self.KEY])
        return {self.KEY}


@pytest.fixture
def wishes(monkeypatch: pytest.MonkeyPatch) -> Wishes:
    app = Wishes()
    real = doc.providers()
    stand_in = doc.Provider("wishes", app.export_sections, app.import_sections)
    monkeypatch.setattr(doc, "providers", lambda: (*real, stand_in))
    return app
