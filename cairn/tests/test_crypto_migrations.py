"""The migrations that made notes, mentoring requests and sensitive answers encrypted
encrypt the rows already there, and decrypt them again when reversed. A module of its
own: migrating commits, so it cannot share a module's rolled-back data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.coaching.models import Note
from cairn.coaching.tests.factories import make_engagement, make_note, make_session
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import MentoringRequest, SensitiveAnswer
from cairn.mentoring.tests.factories import enrol_mentee, make_profile, make_program
from cairn.testing import make_cast

BEFORE = [
    ("coaching", "0005_agreements_for_existing_engagements"),
    ("mentoring", "0005_drop_own_tags"),
]
NOTE = "MIGRATION-CANARY a note from before"
CHALLENGE = "MIGRATION-CANARY a challenge from before"
GENDER = "MIGRATION-CANARY woman"


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    for target in targets:
        executor.migrate([target])
        executor.loader.build_graph()


def _latest() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in ("coaching", "mentoring")]


def _raw(model: Any, column: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        (value,) = cursor.fetchone()
    return str(value)


@pytest.mark.django_db(transaction=True)
def test_going_back_decrypts_and_coming_forward_encrypts_the_rows_there() -> None:
    cast = make_cast()
    note = make_note(make_session(make_engagement(cast.coach, cast.report)), cast.report, NOTE)
    make_profile(cast.peer)
    request = mentoring.send_request(cast.report, cast.peer, challenge=CHALLENGE, goals="g")
    enrolment = enrol_mentee(make_program(cast.program_admin), cast.report, gender=GENDER)
    answer = SensitiveAnswer.objects.get(enrolment=enrolment)
    latest = _latest()
    assert NOTE not in _raw(Note, "body", note.pk)

    try:
        _migrate(BEFORE)
        assert _raw(Note, "body", note.pk) == NOTE
        assert _raw(MentoringRequest, "challenge", request.pk) == CHALLENGE
        assert _raw(MentoringRequest, "goals", request.pk) == "g"
        assert _raw(SensitiveAnswer, "gender", answer.pk) == GENDER
    finally:
        _migrate(latest)

    for model, column, pk, text in [
        (Note, "body", note.pk, NOTE),
        (MentoringRequest, "challenge", request.pk, CHALLENGE),
        (SensitiveAnswer, "gender", answer.pk, GENDER),
    ]:
        assert "MIGRATION-CANARY" not in _raw(model, column, pk)
        assert getattr(model._base_manager.get(pk=pk), column) == text
