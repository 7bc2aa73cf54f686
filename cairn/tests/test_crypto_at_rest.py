"""Encrypted at rest (issue 10): notes, mentoring requests and sensitive answers are
written through the product, and the database, read back with plain SQL, holds none
of their text; ``rotate_keys`` moves every row under the newest key, and picks up
where a stopped run left off. Here rather than in trust's tests because it writes
through coaching and mentoring, which sit above trust."""

from __future__ import annotations

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.coaching.models import Note
from cairn.coaching.tests.factories import make_engagement, make_note, make_session
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import MentoringRequest, SensitiveAnswer
from cairn.mentoring.tests.factories import enrol_mentee, make_profile, make_program
from cairn.testing import Cast
from cairn.testing.fixtures import TEST_ENCRYPTION_KEY
from cairn.testing.stored import every_cell, stored
from cairn.trust import fields

KEY_A = "nfCepopKF0Ldi_4LrKB1zGrWZbbOwU5X6c8MKqTDzm4="
KEY_B = "3_rYDYgyBS2YTtbkIMFYUBw6efwcV1i1YGoBy0Pfy4Q="

PRIVATE = "CANARY-private-note I am burnt out"
SHARED = "CANARY-shared-note we agreed on a plan"
CHALLENGE = "CANARY-challenge my manager shouts"
GOALS = "CANARY-goals leave without a scene"
ANSWER = "CANARY-answer let us talk on Monday"
GENDER = "CANARY-gender nonbinary"


def _write_everything(cast: Cast) -> dict[str, Any]:
    """A private and a shared note, a request with its answer, a sensitive answer."""
    session = make_session(make_engagement(cast.coach, cast.report))
    private = make_note(session, cast.report, PRIVATE, private=True)
    shared = make_note(session, cast.coach, SHARED)
    make_profile(cast.peer)
    request = mentoring.send_request(cast.report, cast.peer, challenge=CHALLENGE, goals=GOALS)
    mentoring.answer_request(cast.peer, request, accept=False, message=ANSWER)
    enrolment = enrol_mentee(make_program(cast.program_admin), cast.report, gender=GENDER)
    answer = SensitiveAnswer.objects.get(enrolment=enrolment)
    return {"private": private, "shared": shared, "request": request, "answer": answer}


def test_a_plain_sql_dump_shows_no_note_challenge_or_sensitive_answer(cast: Cast) -> None:
    made = _write_everything(cast)

    leaks = [
        (table, value)
        for table, value in every_cell()
        if isinstance(value, str | bytes | memoryview) and b"CANARY" in _bytes(value)
    ]
    assert leaks == []

    # ... while the product reads every text back as it was written.
    assert Note.objects.get(pk=made["private"].pk).body == PRIVATE
    assert Note.objects.get(pk=made["shared"].pk).body == SHARED
    request = MentoringRequest.objects.get(pk=made["request"].pk)
    assert (request.challenge, request.goals, request.response) == (CHALLENGE, GOALS, ANSWER)
    assert SensitiveAnswer.objects.get(pk=made["answer"].pk).gender == GENDER
    # And the column holds a token of the test key.
    token = stored(Note, "body", made["private"].pk)
    assert Fernet(TEST_ENCRYPTION_KEY.encode()).decrypt(token.encode()).decode() == PRIVATE


def _bytes(value: str | bytes | memoryview) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def test_the_database_cannot_be_asked_about_encrypted_text(cast: Cast) -> None:
    # It would compare tokens, and quietly find nothing: refused instead.
    for lookup in ("body", "body__icontains", "body__startswith", "body__in"):
        value: Any = ["x"] if lookup.endswith("__in") else "x"
        with pytest.raises(FieldError, match="Unsupported lookup"):
            list(Note.objects.filter(**{lookup: value}))
    with pytest.raises(FieldError):
        list(SensitiveAnswer.objects.filter(gender__iexact="woman"))
    # Whether there is a text at all can still be asked.
    assert list(Note.objects.filter(body__isnull=True)) == []


def test_length_limits_apply_to_the_text_not_to_its_longer_token(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report))
    longest = make_note(session, cast.report, "x" * 10_000)
    assert len(stored(Note, "body", longest.pk)) > 10_000
    Note.objects.get(pk=longest.pk).full_clean()
    longest.body = "x" * 10_001
    with pytest.raises(ValidationError) as refusal:
        longest.full_clean()
    assert "body" in refusal.value.message_dict


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_text_survives_the_database(cast: Cast, text: str) -> None:
    # NUL included: PostgreSQL refuses it in a text column, but the column holds a
    # token, which is base64.
    note = Note.objects.visible_to(cast.report).first() or make_note(
        make_session(make_engagement(cast.coach, cast.report)), cast.report
    )
    Note.objects.filter(pk=note.pk).update(body=text)
    assert Note.objects.get(pk=note.pk).body == text
    assert "\x00" not in stored(Note, "body", note.pk)


# --- rotate_keys ----------------------------------------------------------------------


def _tokens(made: dict[str, Any]) -> list[str]:
    return [
        stored(Note, "body", made["private"].pk),
        stored(Note, "body", made["shared"].pk),
        stored(MentoringRequest, "challenge", made["request"].pk),
        stored(MentoringRequest, "goals", made["request"].pk),
        stored(MentoringRequest, "response", made["request"].pk),
        stored(SensitiveAnswer, "gender", made["answer"].pk),
    ]


def _opens(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _rotate(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _rows_with_text() -> int:
    return sum(each.model._base_manager.count() for each in fields.encrypted_models())


def test_the_encrypted_columns_are_found_without_trust_knowing_the_apps() -> None:
    found = {each.label: each.fields for each in fields.encrypted_models()}
    assert found == {
        # A calendar feed's secret URL (coaching/tests/test_calendar_feed.py).
        "coaching.CalendarFeed": ("secret",),
        "coaching.Note": ("body",),
        # Reasons for a change, the two parties' alone (coaching/tests/test_lifecycle*.py).
        "coaching.Engagement": ("decline_reason",),
        "coaching.Session": ("change_reason",),
        # A group debrief's reflections, action items and private notes
        # (debriefs/tests/test_crypto_at_rest.py).
        "debriefs.DebriefActionItem": ("description",),
        "debriefs.DebriefNote": ("body",),
        "debriefs.Reflection": ("happened", "learned", "change"),
        "export.ImportedItem": ("payload",),
        "export.PendingImport": ("document",),
        # Feedback's free text (feedback/tests/test_crypto_at_rest.py).
        "feedback.FeedbackAnswer": ("well", "better", "to_try"),
        "feedback.FeedbackRequest": (
            "about_text",
            "question_well",
            "question_better",
            "question_try",
        ),
        "feedback.GivenFeedback": ("well", "better"),
        "feedback.SessionFeedback": ("why",),
        "feedback.Takeaway": ("text",),
        "mentoring.MentoringRequest": ("challenge", "goals", "response"),
        "mentoring.SensitiveAnswer": ("gender",),
    }


def test_rotation_moves_every_row_under_the_newest_key_once(cast: Cast) -> None:
    with override_settings(ENCRYPTION_KEYS=[KEY_A]):
        made = _write_everything(cast)
    assert all(_opens(KEY_A, token) for token in _tokens(made))
    total = _rows_with_text()

    # Key B is new; A (and the suite's key, which wrote the cast's rows) still decrypt.
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A, TEST_ENCRYPTION_KEY]):
        dry, _ = _rotate("--dry-run")
        assert f"In all: {total} rows not yet under the newest key." in dry
        assert all(_opens(KEY_A, token) for token in _tokens(made))  # a dry run writes nothing

        out, err = _rotate()
        assert f"In all: {total} rows re-encrypted under the newest key." in out
        assert "coaching.Note: 2 of 2 rows" in out
        # The progress bar: the total, then each model's rows done of its rows.
        models = len(fields.encrypted_models())
        assert f"{total} rows in {models} models hold encrypted text." in err
        assert "coaching.Note" in err
        assert "2/2" in err

        tokens = _tokens(made)
        assert all(_opens(KEY_B, token) and not _opens(KEY_A, token) for token in tokens)
        assert Note.objects.get(pk=made["private"].pk).body == PRIVATE

        again, _ = _rotate()
        assert "In all: 0 rows re-encrypted" in again
        assert _tokens(made) == tokens  # nothing written the second time

    # Key A can now go: B alone reads everything.
    with override_settings(ENCRYPTION_KEYS=[KEY_B]):
        request = MentoringRequest.objects.get(pk=made["request"].pk)
        assert (request.challenge, request.response) == (CHALLENGE, ANSWER)
        assert SensitiveAnswer.objects.get(pk=made["answer"].pk).gender == GENDER


def test_a_stopped_rotation_continues_where_it_stopped(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    with override_settings(ENCRYPTION_KEYS=[KEY_A]):
        made = _write_everything(cast)
    total = _rows_with_text()
    # Batches go model by model in label order, one row each: the rows of the models
    # before the notes (engagements, say), then the first two notes.
    before = sum(
        each.model._base_manager.count()
        for each in fields.encrypted_models()
        if each.label < "coaching.Note"
    )
    real = fields.rotate_batch
    batches: list[list[Any]] = []

    def stopped_after_two(encrypted: fields.EncryptedModel, pks: list[Any]) -> int:
        if len(batches) == before + 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a killed process
        batches.append(pks)
        return real(encrypted, pks)

    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A, TEST_ENCRYPTION_KEY]):
        monkeypatch.setattr(fields, "rotate_batch", stopped_after_two)
        with pytest.raises(KeyboardInterrupt):
            _rotate("--batch-size", "1", "--no-progress")
        monkeypatch.setattr(fields, "rotate_batch", real)

        # The two batches done are committed and stay done: the first two notes.
        first, second = _tokens(made)[:2]
        assert _opens(KEY_B, first)
        assert _opens(KEY_B, second)
        assert not _opens(KEY_B, stored(MentoringRequest, "challenge", made["request"].pk))
        dry, _ = _rotate("--dry-run")
        assert f"In all: {total - before - 2} rows not yet under the newest key." in dry

        out, _ = _rotate("--batch-size", "1", "--no-progress")
        assert f"In all: {total - before - 2} rows re-encrypted under the newest key." in out
        assert all(_opens(KEY_B, token) for token in _tokens(made))
        assert _tokens(made)[:2] == [first, second]


def test_rotation_refuses_a_batch_size_below_one() -> None:
    with pytest.raises(CommandError, match="--batch-size"):
        _rotate("--batch-size", "0")
