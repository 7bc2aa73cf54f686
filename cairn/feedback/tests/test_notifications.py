"""What feedback tells whom: names and the kind of thing, never text; shown only
while the recipient may still see what it is about; and the reminder before the due
date, once per person still asked."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from cairn.feedback import reminders, services
from cairn.feedback.models import FeedbackAsk
from cairn.feedback.tests.factories import GIVEN_WELL, Q_WELL, QUESTION, answer, ask, ask_of, well
from cairn.mail.models import OutgoingEmail
from cairn.notifications.models import Kind, Notification
from cairn.testing import Cast, client_for, html


def test_no_notification_or_email_carries_what_anyone_wrote(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer, cast.coach, cast.director, cast.manager])
    for n, person in enumerate([cast.peer, cast.coach, cast.director]):
        answer(request, person, n, signed=False)
    answer(request, cast.manager, 3, signed=True)
    services.give(cast.peer, cast.report, well=GIVEN_WELL)
    services.share(cast.report, cast.manager)
    secrets = [QUESTION, Q_WELL, GIVEN_WELL, *[well(n) for n in range(4)]]
    assert Notification.objects.count() == 4 + 2 + 1 + 1
    for notification in Notification.objects.all():
        for text in secrets:
            assert text not in notification.title
            assert text not in notification.url
    for email in OutgoingEmail.objects.all():
        for text in secrets:
            assert text not in email.subject
            assert text not in email.text
            assert text not in email.html


def test_a_request_for_feedback_is_emailed_at_once_by_default(cast: Cast) -> None:
    ask(cast.report, [cast.peer])
    email = OutgoingEmail.objects.get()
    assert email.to == cast.peer.user.email
    assert cast.report.name in email.subject


def test_notifications_hide_once_their_subject_is_gone(cast: Cast) -> None:
    given = services.give(cast.peer, cast.report, well=GIVEN_WELL)
    client = client_for(cast.report)
    assert "gave you feedback" in html(client.get(reverse("notifications:list")))
    services.keep(cast.report, given, kept=False)
    assert "gave you feedback" not in html(client.get(reverse("notifications:list")))


def test_the_reminder_goes_once_to_those_still_waiting(cast: Cast) -> None:
    today = timezone.localdate()
    request = ask(
        cast.report, [cast.peer, cast.coach, cast.manager], due_on=today + dt.timedelta(days=5)
    )
    answer(request, cast.coach, 0, signed=True)
    services.decline(cast.manager, ask_of(request, cast.manager))
    # Five days ahead: too early.
    assert reminders.due_soon(timezone.now()) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=2, hours=1)):
        assert reminders.due_soon(timezone.now()) == 1
        # Run again (or by a second scheduler): nobody is told twice.
        assert reminders.due_soon(timezone.now()) == 0
    told = Notification.objects.get(kind=Kind.FEEDBACK_DUE_SOON)
    assert told.recipient == cast.peer
    assert told.title == f"{cast.report.name}'s request for your feedback is due soon"
    assert told.url == reverse("feedback:answer", args=[ask_of(request, cast.peer).code])
    # After the due date, nothing more.
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        assert reminders.due_soon(timezone.now()) == 0


def test_the_reminder_reads_every_ask_at_once(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    today = timezone.localdate()
    for _ in range(5):
        ask(cast.report, [cast.peer, cast.coach], due_on=today + dt.timedelta(days=2))
    Notification.objects.all().delete()
    # The pass reads the asks and the keys used in two queries, then tells each
    # new one (each is told once in its life).
    assert reminders.due_soon(timezone.now()) == 10
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        assert reminders.due_soon(timezone.now()) == 0
    assert FeedbackAsk.objects.count() == 10
