"""The migrations that made notes, mentoring requests and sensitive answers encrypted
encrypt the rows already there, and decrypt them again when reversed. A module of its
own: migrating commits, so it cannot share a module's rolled-back data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.coaching.models import Note
from cairn.coaching.tests.factories import make_engagement, make_note, make_session
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import MentoringRequest, SensitiveAnswer
from cairn.mentoring.tests.factories import enrol_mentee, make_profile, make_program
from cairn.testing import make_cast
from cairn.testing.stored import stored

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
    """Every app's latest migration: going back unapplies the migrations of other
    apps that depend on these (growth's, mastery's, feedback's), and coming forward
    must bring them back too, or the tests after this one find tables missing."""
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


@pytest.mark.django_db(transaction=True)
def test_going_back_decrypts_and_coming_forward_encrypts_the_rows_there() -> None:
    cast = make_cast()
    note = make_note(make_session(make_engagement(cast.coach, cast.report)), cast.report, NOTE)
    make_profile(cast.peer)
    request = mentoring.send_request(cast.report, cast.peer, challenge=CHALLENGE, goals="g")
    enrolment = enrol_mentee(make_program(cast.program_admin), cast.report, gender=GENDER)
    answer = SensitiveAnswer.objects.get(enrolment=enrolment)
    latest = _latest()
    assert NOTE not in stored(Note, "body", note.pk)

    try:
        _migrate(BEFORE)
        assert stored(Note, "body", note.pk) == NOTE
        assert stored(MentoringRequest, "challenge", request.pk) == CHALLENGE
        assert stored(MentoringRequest, "goals", request.pk) == "g"
        assert stored(SensitiveAnswer, "gender", answer.pk) == GENDER
    finally:
        _migrate(latest)

    for model, column, pk, text in [
        (Note, "body", note.pk, NOTE),
        (MentoringRequest, "challenge", request.pk, CHALLENGE),
        (SensitiveAnswer, "gender", answer.pk, GENDER),
    ]:
        assert "MIGRATION-CANARY" not in stored(model, column, pk)
        assert getattr(model._base_manager.get(pk=pk), column) == text
