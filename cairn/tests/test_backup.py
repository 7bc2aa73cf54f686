"""Backups that restore (issue 17, point 7): on the demo, ``backup``, destroy,
``restore``, and the pages and exports of the demo's people are byte for byte what
they were before. On both databases: SQLite through its online backup API,
PostgreSQL through ``pg_dump``/``pg_restore`` (found as ``.ci/run`` finds its
server, in the newest ``/usr/lib/postgresql/*/bin``; the round trip is skipped only
where those tools are absent). The tests commit: the tools see only what is."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cairn.coaching.models import Engagement, Note, Session
from cairn.demo.builder import build_demo
from cairn.demo.cast import find_cast
from cairn.lib import backups
from cairn.people.models import Organisation, Person
from cairn.testing import client_for

pytestmark = pytest.mark.django_db(transaction=True)

BUILT = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))
LOOKED_AT = BUILT + dt.timedelta(hours=2)

# What differs between two renders of one page by design: the CSRF token, masked
# afresh on every response.
TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _needs_tools() -> None:
    if connection.vendor == "postgresql":
        missing = [name for name in ("pg_dump", "pg_restore") if backups.pg_tool(name) is None]
        if missing:
            pytest.skip(f"{' and '.join(missing)} not installed (PostgreSQL client tools)")


@pytest.fixture
def demo(settings: Any) -> Organisation:
    settings.DEBUG = True  # the demo is built where it runs, on a laptop
    return build_demo(now=BUILT).organisation


def _people(organisation: Organisation) -> list[Person]:
    return [member.person for member in find_cast(organisation, now=BUILT)]


def _urls(person: Person) -> list[str]:
    engagement = Engagement.objects.for_party(person).order_by("pk").first()
    urls = [
        reverse("home"),
        reverse("export:data"),
        reverse("export:json"),
        reverse("export:markdown"),
        reverse("export:print"),
    ]
    if engagement is not None:
        urls.append(reverse("coaching:engagement", args=[engagement.code]))
        session = Session.objects.filter(engagement=engagement).order_by("pk").first()
        if session is not None:
            urls.append(reverse("coaching:session", args=[session.code]))
    return urls


def _render(people: list[Person]) -> dict[tuple[str, str], bytes]:
    """Every page of the fixed list for every demo person, at one fixed moment."""
    pages: dict[tuple[str, str], bytes] = {}
    with time_machine.travel(LOOKED_AT, tick=False):
        for person in people:
            client = client_for(person)
            for url in _urls(person):
                response = client.get(url)
                assert response.status_code == 200, (person.user.username, url)
                pages[(person.user.username, url)] = TOKEN.sub(rb"\1-", response.content)
    return pages


def test_backup_destroy_restore_gives_back_every_page_and_export(
    demo: Organisation, tmp_path: Path
) -> None:
    _needs_tools()
    people = _people(demo)
    notes = Note.objects.count()
    out = io.StringIO()
    call_command("backup", output=tmp_path / "cairn.backup", stdout=out)
    assert out.getvalue().startswith(f"{tmp_path / 'cairn.backup'} (")
    assert "bytes)" in out.getvalue()
    before = _render(people)
    assert len(before) >= 5 * len(people)

    # Destroyed: every table emptied, and on PostgreSQL one dropped outright.
    call_command("flush", interactive=False, verbosity=0)
    assert not Person.objects.exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {Note._meta.db_table} CASCADE")
    call_command("restore", str(tmp_path / "cairn.backup"), yes=True, stdout=io.StringIO())

    assert Note.objects.count() == notes
    after = _render(people)
    assert after.keys() == before.keys()
    for key, page in before.items():
        assert after[key] == page, key


def test_restore_asks_first_and_without_a_terminal_refuses(
    demo: Organisation, tmp_path: Path
) -> None:
    _needs_tools()
    call_command("backup", output=tmp_path / "cairn.backup", stdout=io.StringIO())
    people = Person.objects.count()
    Person.objects.filter(pk=Person.objects.order_by("pk").values("pk")[:1]).delete()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "cairn.backup"), stdout=io.StringIO())

    assert Person.objects.count() == people - 1


def test_restore_of_what_is_no_backup_changes_nothing(demo: Organisation, tmp_path: Path) -> None:
    _needs_tools()
    junk = tmp_path / "not-a-backup"
    junk.write_bytes(b"\x00 this is not a database \xff" * 100)
    people = Person.objects.count()

    with pytest.raises(CommandError):
        call_command("restore", str(junk), yes=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing"), yes=True, stdout=io.StringIO())

    assert Person.objects.count() == people


def test_the_postgresql_password_goes_in_the_environment_not_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-pass")
    monkeypatch.setitem(connection.settings_dict, "USER", "cairn")
    seen: dict[str, Any] = {}

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        seen.update(command=command, env=kwargs["env"])
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", run)
    args, env = backups._pg_args_and_env()
    backups._run(["pg_dump", *args, "cairn"], env)

    assert "s3cret-pass" not in " ".join(seen["command"])
    assert seen["env"]["PGPASSWORD"] == "s3cret-pass"
    assert seen["command"][seen["command"].index("--username") + 1] == "cairn"
