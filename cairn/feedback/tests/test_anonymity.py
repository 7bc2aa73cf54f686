"""The heart of feedback: an unsigned answer never tells who wrote it.

With two unsigned answers nothing of them shows (page, notifications); with three
they show, without names, times or an order that follows who answered first; the
asker's list of whom they asked says "asked" only; the asker is told once when the
threshold is reached and once per signed answer, never per unsigned one."""

from __future__ import annotations

import re

from django.urls import reverse

from cairn.feedback import services
from cairn.feedback.models import FeedbackAnswer, FeedbackAsk
from cairn.feedback.tests.factories import answer, ask, ask_of, better, to_try, well
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import Cast, client_for, html, make_person

ASKED = ("peer", "coach", "director", "program_admin", "manager")


def asked(cast: Cast) -> list[Person]:
    return [cast.everyone()[role] for role in ASKED]


def page_of(cast: Cast, request_code: object) -> str:
    response = client_for(cast.report).get(reverse("feedback:request", args=[request_code]))
    assert response.status_code == 200
    return html(response)


def texts_of(n: int) -> list[str]:
    return [well(n), better(n), to_try(n)]


def test_two_unsigned_answers_show_nothing_three_show_all(cast: Cast) -> None:
    people = asked(cast)
    request = ask(cast.report, people)
    answer(request, people[0], 0, signed=False)
    answer(request, people[1], 1, signed=False)
    page = page_of(cast, request.code)
    for n in (0, 1):
        for text in texts_of(n):
            assert text not in page
    assert not FeedbackAnswer.objects.visible_to(cast.report).exists()
    assert "have answered" not in page  # no counts before the threshold
    assert not Notification.objects.filter(recipient=cast.report).exists()

    answer(request, people[2], 2, signed=False)
    page = page_of(cast, request.code)
    for n in (0, 1, 2):
        for text in texts_of(n):
            assert text in page
    assert "3 of 5 have answered" in page
    assert FeedbackAnswer.objects.visible_to(cast.report).count() == 3


def test_signed_answers_do_not_count_towards_the_threshold(cast: Cast) -> None:
    # Two unsigned and two signed: the signed names would single out the unsigned
    # ones by elimination, so the unsigned stay hidden.
    people = asked(cast)
    request = ask(cast.report, people)
    answer(request, people[0], 0, signed=False)
    answer(request, people[1], 1, signed=True)
    answer(request, people[2], 2, signed=False)
    answer(request, people[3], 3, signed=True)
    page = page_of(cast, request.code)
    for n in (1, 3):
        assert well(n) in page
    assert people[1].name in page  # a signed answer shows with its name
    for n in (0, 2):
        for text in texts_of(n):
            assert text not in page
    assert "have answered" not in page


def test_the_asker_is_told_per_signed_answer_and_once_at_the_threshold(cast: Cast) -> None:
    people = asked(cast)
    request = ask(cast.report, people)
    answer(request, people[0], 0, signed=False)
    answer(request, people[1], 1, signed=False)
    assert not Notification.objects.filter(recipient=cast.report).exists()
    answer(request, people[2], 2, signed=True)
    titles = list(
        Notification.objects.filter(recipient=cast.report).values_list("title", flat=True)
    )
    assert titles == [f"{people[2].name} answered your feedback request"]
    answer(request, people[3], 3, signed=False)
    answer(request, people[4], 4, signed=False)
    titles = sorted(
        Notification.objects.filter(recipient=cast.report).values_list("title", flat=True)
    )
    assert titles == sorted(
        [
            f"{people[2].name} answered your feedback request",
            "Unsigned answers to your feedback request can now be read",
        ]
    )
    # No notification names an unsigned answerer, or carries any answer's text.
    for notification in Notification.objects.filter(recipient=cast.report):
        for person in (people[0], people[1], people[3], people[4]):
            assert person.name not in notification.title
        for n in range(5):
            assert well(n) not in notification.title


def test_the_order_of_unsigned_answers_does_not_follow_when_they_came(cast: Cast) -> None:
    # Many answerers; the page order is the random key's, and across requests it
    # differs from the order of answering (the chance of six in answering order
    # by luck, for each of four requests, is 1 in 720^4).
    org = cast.org
    many = [make_person(org, f"Answerer {i}") for i in range(6)]
    orders_follow_time = []
    for _ in range(4):
        request = ask(cast.report, many)
        for n, person in enumerate(many):
            answer(request, person, n, signed=False)
        page = page_of(cast, request.code)
        positions = [page.index(well(n)) for n in range(6)]
        orders_follow_time.append(positions == sorted(positions))
        shown = [
            a.pk
            for a in FeedbackAnswer.objects.for_readers(cast.report)
            .filter(request=request)
            .in_showing_order()
        ]
        assert shown == [
            a.pk for a in FeedbackAnswer.objects.filter(request=request).order_by("order_key")
        ]
    assert not all(orders_follow_time)


def test_the_page_shows_no_names_times_or_status_of_unsigned_answers(cast: Cast) -> None:
    people = asked(cast)
    request = ask(cast.report, people)
    for n in range(3):
        answer(request, people[n], n, signed=False)
    services.decline(people[3], ask_of(request, people[3]))
    page = page_of(cast, request.code)
    # Everyone asked is listed, by name, as asked — never as answered or declined.
    for person in people:
        assert person.name in page
    for word in ("declined", "Declined", "answered by", "Answered by", "waiting", "Waiting"):
        assert word not in page, word
    # The answers carry no time at all: the only <time> elements are the due date.
    assert re.findall(r"<time[^>]*>", page) == [f'<time datetime="{request.due_on.isoformat()}">']
    # An answer stores no time to show: the model has no such field.
    assert not [f for f in FeedbackAnswer._meta.get_fields() if f.name[-2:] == "at"]
    # The answers section names nobody.
    section = page[page.index('id="answers-heading"') :]
    for person in people:
        assert person.name not in section


def test_an_author_reads_their_own_answer_and_nobody_elses(cast: Cast) -> None:
    people = asked(cast)
    request = ask(cast.report, people)
    for n in range(3):
        answer(request, people[n], n, signed=False)
    response = client_for(people[0]).get(
        reverse("feedback:answer", args=[ask_of(request, people[0]).code])
    )
    page = html(response)
    assert well(0) in page
    for n in (1, 2):
        assert well(n) not in page
    assert list(FeedbackAnswer.objects.visible_to(people[0]).values_list("well", flat=True)) == [
        well(0)
    ]


def test_counts_show_only_once_the_threshold_is_met(cast: Cast) -> None:
    people = asked(cast)
    request = ask(cast.report, people)
    answer(request, people[0], 0, signed=True)
    answer(request, people[1], 1, signed=False)
    page = page_of(cast, request.code)
    assert "of 5 have answered" not in page
    assert "counts show once 3 unsigned answers are in" in page
    # The status of each ask is the asked person's alone.
    assert not FeedbackAsk.objects.visible_to(cast.report).exists()


def test_an_account_going_away_does_not_hide_the_unsigned_answers(cast: Cast) -> None:
    # Were the answer deleted with its author, the unsigned answers would drop below
    # the threshold and vanish — telling the asker that this person wrote one.
    people = asked(cast)
    request = ask(cast.report, people)
    for n in range(3):
        answer(request, people[n], n, signed=False)
    answer(request, people[3], 3, signed=True)
    people[0].user.delete()
    page = page_of(cast, request.code)
    for n in range(3):
        assert well(n) in page
    assert people[0].name not in page
