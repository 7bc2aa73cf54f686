"""The access log in the person's export: their own records, oldest first, who,
what kind, through which page and when — never anyone else's records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings

from cairn.testing import Cast
from cairn.trust import portable
from cairn.trust.models import Kind
from cairn.trust.portable import export_sections
from cairn.trust.tests.factories import make_record

AT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
SCHEMA = Path(settings.BASE_DIR) / "cairn" / "export" / "schema" / "v1.json"


def test_the_export_holds_the_persons_own_records_oldest_first(cast: Cast) -> None:
    make_record(cast.report, cast.coach, Kind.OBJECTIVE, via="/second/", at=AT)
    make_record(cast.report, None, Kind.EXPORT, via="export_person", at=AT - dt.timedelta(days=1))
    make_record(cast.manager, cast.director, via="/the-managers/", at=AT)
    make_record(cast.outsider, None, via="/elsewhere/", at=AT)
    assert export_sections(cast.report) == {
        "access_log": [
            {
                "reader": "Operator (command line)",
                "kind": "export",
                "via": "export_person",
                "read_at": "2026-02-28T09:00:00+00:00",
            },
            {
                "reader": cast.coach.name,
                "kind": "objective",
                "via": "/second/",
                "read_at": "2026-03-01T09:00:00+00:00",
            },
        ]
    }


def test_someone_never_read_exports_an_empty_log(cast: Cast) -> None:
    make_record(cast.report, cast.coach)
    assert export_sections(cast.peer) == {"access_log": []}


def test_a_log_longer_than_a_section_holds_exports_its_newest_reads(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The format's limit, made small here: the newest reads, still oldest first.
    monkeypatch.setattr(portable, "MOST", 2)
    for day in range(3):
        make_record(cast.report, cast.coach, via=f"/day-{day}/", at=AT + dt.timedelta(days=day))
    assert [item["via"] for item in export_sections(cast.report)["access_log"]] == [
        "/day-1/",
        "/day-2/",
    ]


def test_the_limit_is_the_formats() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert schema["$defs"]["section"]["maxItems"] == portable.MOST
