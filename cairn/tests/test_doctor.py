"""``python -m cairn doctor`` finds the rows Cairn cannot show or export, says so by
id (never by content), changes nothing in a dry run, and with ``--fix`` repairs or
quarantines them so that the person's export, Markdown, printable page and growth
page answer 200 again (issue 17, point 4).

Bad rows are planted past every check: ``.update()`` and raw SQL. PostgreSQL cannot
hold a NUL in text at all (nor can either database a lone surrogate, which is not
UTF-8), so a NUL is planted on SQLite only;
a time past year 9999 in UTC it does hold (and Python cannot read), so that one is
planted on PostgreSQL only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cairn.export.models import Import, ImportedItem
from cairn.growth.models import MissionStatement, Objective
from cairn.growth.tests.factories import build_growth
from cairn.testing import Cast, client_for
from cairn.trust import doctor

pytestmark = pytest.mark.django_db

CANARY = "CANARY-never-printed"
PAGES = ("export:json", "export:markdown", "export:print", "growth:home", "growth:plan")


def _doctor(*args: str) -> str:
    out = io.StringIO()
    call_command("doctor", *args, stdout=out)
    return out.getvalue()


def _raw(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _plant(cast: Cast) -> dict[str, int]:
    """Bad rows of each kind the doctor knows, for the report; their ids by kind."""
    growth = build_growth(cast)
    mission = MissionStatement.objects.filter(owner=cast.report, is_current=True).get()
    objective = growth.objective
    Objective.objects.filter(pk=objective.pk).update(what=f"{CANARY} ring\x07ring")
    table = MissionStatement._meta.db_table
    if connection.vendor == "postgresql":
        # Stored: PostgreSQL's timestamps go far past year 9999; Python's stop there.
        _raw(
            f"UPDATE {table} SET created_at = %s WHERE id = %s",  # noqa: S608
            ["9999-12-31T23:59:59-14:00", mission.pk],
        )
    else:
        # A NUL inside the text (SQLite's char(0)); Python's driver cannot write one.
        _raw(
            f"UPDATE {table} SET created_at = %s, love = %s || char(0) WHERE id = %s",  # noqa: S608
            ["0001-01-01 00:00:00", CANARY, mission.pk],
        )
    batch = Import.objects.create(
        person=cast.report,
        digest="d" * 64,
        schema="cairn.export/1",
        exported_at="2026-01-01T00:00:00Z",
        sections=[{"key": "from_the_future", "count": 2, "restored": False}],
    )
    nan = ImportedItem.objects.create(
        person=cast.report,
        batch=batch,
        key="from_the_future",
        position=0,
        payload=f'{{"note":"{CANARY}","score":NaN,"when":"9999-12-31T23:59:59-14:00"}}',
    )
    lost = ImportedItem.objects.create(
        person=cast.report, batch=batch, key="from_the_future", position=1, payload="{}"
    )
    _raw(
        f"UPDATE {ImportedItem._meta.db_table} SET payload = %s WHERE id = %s",  # noqa: S608
        ["gAAAAABnot-a-token-any-key-opens", lost.pk],
    )
    return {"mission": mission.pk, "objective": objective.pk, "nan": nan.pk, "lost": lost.pk}


def test_a_clean_database_has_nothing_to_repair(cast: Cast) -> None:
    build_growth(cast)
    assert "Nothing to repair" in _doctor()


def test_the_dry_run_lists_bad_rows_by_id_and_changes_nothing(cast: Cast) -> None:
    ids = _plant(cast)
    stored_before = _snapshot()

    output = _doctor("--dry-run")

    def says(where: str, problem: str, pk: int) -> bool:
        return f"{where}: 1 row(s) {doctor.PROBLEMS[problem]} — ids {pk}" in output

    assert says("growth.Objective.what", "text", ids["objective"])
    assert says("growth.MissionStatement.created_at", "range", ids["mission"])
    assert says("export.ImportedItem.payload", "json", ids["nan"])
    assert says("export.ImportedItem.payload", "unreadable", ids["lost"])
    if connection.vendor == "sqlite":
        assert says("growth.MissionStatement.love", "text", ids["mission"])
    assert "Nothing was changed" in output
    assert CANARY not in output
    assert _snapshot() == stored_before


def test_fix_repairs_what_it_can_and_quarantines_the_rest(cast: Cast, tmp_path: Path) -> None:
    ids = _plant(cast)
    client = client_for(cast.report)
    # Broken before: the export cannot be written (an unreadable token).
    assert Client500(client).get(reverse("export:json")) == 500

    output = _doctor("--fix", "--quarantine", str(tmp_path))

    assert "quarantined 1" in output
    assert CANARY not in output
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    document = json.loads(
        client.get(reverse("export:json")).content,
        parse_constant=lambda name: pytest.fail(f"{name} in the export"),
    )
    kept = document["sections"]["from_the_future"]
    # The bad keys are dropped, the rest kept; the unreadable item is emptied.
    assert kept == [{"note": CANARY}, {}]
    objective = Objective.objects.get(pk=ids["objective"])
    assert objective.what == f"{CANARY} ringring"
    mission = MissionStatement.objects.get(pk=ids["mission"])
    assert mission.created_at.year in {1900, 2200}
    (quarantine,) = tmp_path.glob("cairn-quarantine-*.jsonl")
    assert quarantine.stat().st_mode & 0o777 == 0o600  # the owner's alone, as a backup
    line = json.loads(quarantine.read_text())
    assert line == {
        "model": "export.ImportedItem",
        "pk": ids["lost"],
        "field": "payload",
        "token": "gAAAAABnot-a-token-any-key-opens",
    }
    assert "Nothing to repair" in _doctor()


def test_clean_json_drops_what_no_export_can_write() -> None:
    value = {"a": float("nan"), "b": [1, float("inf"), "x\x00y"], "c": "0001-01-01", "d": {"e": 2}}
    assert doctor.clean_json(value) == {"b": [1, "xy"], "d": {"e": 2}}


class Client500:
    """The status of a request that raises, as a browser would see it."""

    def __init__(self, client: object) -> None:
        self.client = client

    def get(self, url: str) -> int:
        self.client.raise_request_exception = False  # type: ignore[attr-defined]
        try:
            return int(self.client.get(url).status_code)  # type: ignore[attr-defined]
        finally:
            self.client.raise_request_exception = True  # type: ignore[attr-defined]


def _snapshot() -> list[object]:
    rows: list[object] = []
    for model in (MissionStatement, Objective, ImportedItem):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            # As text: PostgreSQL holds a time past year 9999 that Python cannot read.
            whole = "t::text" if connection.vendor == "postgresql" else "*"
            cursor.execute(f"SELECT {whole} FROM {table} t ORDER BY id")  # noqa: S608
            rows.extend(cursor.fetchall())
    return rows
