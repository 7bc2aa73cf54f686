"""What people do with evaluation: HR runs a cycle, the person and their manager
write, the results are released; bad input is refused with a message and 422,
saving nothing; reads of a self-review by others are recorded for the person."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from cairn.evaluation import services
from cairn.evaluation.models import CycleStatus, Goal, PerformanceReview, ReviewCycle
from cairn.evaluation.tests.factories import (
    GOAL,
    SELF_REVIEW,
    Evaluation,
    cycle_dates,
    make_cycle,
)
from cairn.people.models import Person
from cairn.testing import Cast, client_for, html
from cairn.trust.models import AccessRecord, Kind

LONG = "x" * 5001


def dated(**changes: str) -> dict[str, str]:
    data = {"name": "2026 second half", **{k: v.isoformat() for k, v in cycle_dates().items()}}
    data.update(changes)
    return data


def test_hr_runs_a_cycle_from_draft_to_released(cast: Cast) -> None:
    client = client_for(cast.hr)
    response = client.post(reverse("evaluation:cycles"), dated())
    cycle = ReviewCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:cycle", args=[cycle.code])
    assert cycle.status == CycleStatus.DRAFT
    assert not PerformanceReview.objects.exists()

    client.post(reverse("evaluation:cycle-open", args=[cycle.code]), {"team": "everyone"})
    evaluated = set(PerformanceReview.objects.values_list("person__name", flat=True))
    assert evaluated == {p.name for p in cast.everyone().values() if p != cast.outsider}
    report = PerformanceReview.objects.get(person=cast.report)
    assert report.manager == cast.manager
    # Opening again adds nobody twice.
    client.post(reverse("evaluation:cycle-open", args=[cycle.code]), {"team": "everyone"})
    assert PerformanceReview.objects.count() == len(evaluated)

    for to in (CycleStatus.CLOSED, CycleStatus.RELEASED):
        response = client.post(reverse("evaluation:cycle-move", args=[cycle.code]), {"to": to})
        assert response.status_code == 302
        cycle.refresh_from_db()
        assert cycle.status == to


def test_a_cycle_opened_for_a_team_holds_only_that_team(cast: Cast) -> None:
    cycle = make_cycle(cast)
    team = cast.report.team
    assert team is not None
    client_for(cast.hr).post(
        reverse("evaluation:cycle-open", args=[cycle.code]), {"team": str(team.code)}
    )
    assert set(PerformanceReview.objects.values_list("person", flat=True)) == {
        cast.manager.pk,
        cast.report.pk,
        cast.peer.pk,
    }


def test_the_person_and_the_manager_write_their_parts(cast: Cast) -> None:
    cycle = make_cycle(cast)
    client_for(cast.hr).post(
        reverse("evaluation:cycle-open", args=[cycle.code]), {"team": "everyone"}
    )
    review = PerformanceReview.objects.get(person=cast.report)
    report, manager = client_for(cast.report), client_for(cast.manager)
    goal = {"name": GOAL, "metric": "ms", "target": "300", "actual": ""}
    assert report.post(reverse("evaluation:goal-add", args=[review.code]), goal).status_code == 302
    assert (
        manager.post(
            reverse("evaluation:goal-add", args=[review.code]), {**goal, "name": "Second goal"}
        ).status_code
        == 302
    )
    assert (
        report.post(
            reverse("evaluation:self-review", args=[review.code]), {"text": SELF_REVIEW}
        ).status_code
        == 302
    )
    assert (
        manager.post(
            reverse("evaluation:assessment", args=[review.code]), {"text": "Good", "rating": "3"}
        ).status_code
        == 302
    )
    written = Goal.objects.get(name=GOAL)
    assert (
        report.post(
            reverse("evaluation:goal-edit", args=[written.code]), {**goal, "actual": "280"}
        ).status_code
        == 302
    )
    review.refresh_from_db()
    written.refresh_from_db()
    assert (review.self_review, review.assessment, review.rating) == (SELF_REVIEW, "Good", 3)
    assert written.actual == "280"
    assert written.written_by == cast.report
    assert Goal.objects.get(name="Second goal").written_by == cast.manager


# --- bad input: a message, 422, nothing saved -------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (dated(name=""), "Give the cycle a name."),
        (dated(name="x" * 121), "Keep it to 120 characters or fewer."),
        (dated(period_end="2025-12-31"), "The period must end on or after the day it starts."),
        (dated(manager_review_due="2026-07-01"), "Managers&#x27; reviews are due on or after"),
        (dated(period_start="1 January"), "Enter the date as YYYY-MM-DD"),
        (dated(period_start="9999-01-01"), "Choose a date between 2000 and 2100."),
    ],
)
def test_a_bad_cycle_is_refused(cast: Cast, data: dict[str, str], message: str) -> None:
    response = client_for(cast.hr).post(reverse("evaluation:cycles"), data)
    assert response.status_code == 422
    assert message in html(response)
    assert not ReviewCycle.objects.exists()


@pytest.mark.parametrize(
    ("team", "message"),
    [
        ("", "Choose a team, or everyone."),
        ("not-a-team", "Choose one of the teams listed, or everyone."),
    ],
)
def test_opening_for_a_bad_team_is_refused(cast: Cast, team: str, message: str) -> None:
    cycle = make_cycle(cast)
    response = client_for(cast.hr).post(
        reverse("evaluation:cycle-open", args=[cycle.code]), {"team": team}
    )
    assert response.status_code == 422
    assert message in html(response)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT
    assert not PerformanceReview.objects.exists()


def test_opening_for_another_organisations_team_is_refused(cast: Cast) -> None:
    cycle = make_cycle(cast)
    from cairn.testing import make_team

    theirs = make_team(cast.outsider.organisation, "Their team")
    response = client_for(cast.hr).post(
        reverse("evaluation:cycle-open", args=[cycle.code]), {"team": str(theirs.code)}
    )
    assert response.status_code == 422
    assert "Choose one of the teams listed" in html(response)
    assert not PerformanceReview.objects.exists()


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("released", "Close the cycle before releasing its results."),
        ("draft", "Choose to close the cycle or to release its results."),
        ("", "Choose to close the cycle or to release its results."),
    ],
)
def test_a_cycle_moves_only_forward(evaluation: Evaluation, to: str, message: str) -> None:
    response = client_for(evaluation.cast.hr).post(
        reverse("evaluation:cycle-move", args=[evaluation.cycle.code]), {"to": to}
    )
    assert response.status_code == 422
    assert message in html(response)
    evaluation.cycle.refresh_from_db()
    assert evaluation.cycle.status == CycleStatus.OPEN


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "rating": "3"}, "Write the assessment before saving it."),
        ({"text": "   ", "rating": "3"}, "Write the assessment before saving it."),
        ({"text": LONG, "rating": "3"}, "Keep it to 5000 characters or fewer."),
        ({"text": "Fine", "rating": ""}, "Choose a rating from 1 to 5."),
        ({"text": "Fine", "rating": "6"}, "Choose a rating from 1 to 5."),
        ({"text": "Fine", "rating": "great"}, "Choose a rating from 1 to 5."),
    ],
)
def test_a_bad_assessment_is_refused(
    evaluation: Evaluation, data: dict[str, str], message: str
) -> None:
    before = PerformanceReview.objects.values("assessment", "rating").get(pk=evaluation.review.pk)
    response = client_for(evaluation.cast.manager).post(
        reverse("evaluation:assessment", args=[evaluation.review.code]), data
    )
    assert response.status_code == 422
    assert message in html(response)
    assert (
        PerformanceReview.objects.values("assessment", "rating").get(pk=evaluation.review.pk)
        == before
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your self-review before saving it."), (LONG, "Keep it to 5000 characters")],
)
def test_a_bad_self_review_is_refused(evaluation: Evaluation, text: str, message: str) -> None:
    response = client_for(evaluation.cast.report).post(
        reverse("evaluation:self-review", args=[evaluation.review.code]), {"text": text}
    )
    assert response.status_code == 422
    assert message in html(response)
    evaluation.review.refresh_from_db()
    assert evaluation.review.self_review == SELF_REVIEW


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Name the goal."),
        ({"metric": ""}, "Say how the goal is measured."),
        ({"target": ""}, "Give a target."),
        ({"name": "x" * 201}, "Keep it to 200 characters or fewer."),
        ({"actual": "9" * 61}, "Keep it to 60 characters or fewer."),
    ],
)
def test_a_bad_goal_is_refused(
    evaluation: Evaluation, changes: dict[str, str], message: str
) -> None:
    data = {"name": "New goal", "metric": "m", "target": "1", "actual": "", **changes}
    client = client_for(evaluation.cast.report)
    for url in (
        reverse("evaluation:goal-add", args=[evaluation.review.code]),
        reverse("evaluation:goal-edit", args=[evaluation.goal.code]),
    ):
        response = client.post(url, data)
        assert response.status_code == 422, url
        assert message in html(response), url
    assert list(Goal.objects.values_list("name", flat=True)) == [GOAL]


def test_someone_elses_review_code_is_not_found(evaluation: Evaluation) -> None:
    # The peer's own review is in the same cycle; the report posting to it gets 404.
    theirs = PerformanceReview.objects.get(person=evaluation.cast.peer)
    response = client_for(evaluation.cast.report).post(
        reverse("evaluation:self-review", args=[theirs.code]), {"text": "mine now"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.self_review == ""


# --- the access log ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "director", "hr"])
def test_a_read_of_the_self_review_is_recorded_for_the_person(
    evaluation: Evaluation, role: str
) -> None:
    reader = evaluation.cast.everyone()[role]
    url = reverse("evaluation:review", args=[evaluation.review.code])
    client_for(reader).get(url)
    record = AccessRecord.objects.get()
    assert (record.owner, record.reader, record.kind, record.via) == (
        evaluation.cast.report,
        reader,
        Kind.SELF_REVIEW,
        url,
    )
    assert SELF_REVIEW not in str(record.__dict__)


def test_a_refused_assessment_shows_the_self_review_again_and_records_the_read(
    evaluation: Evaluation,
) -> None:
    url = reverse("evaluation:assessment", args=[evaluation.review.code])
    response = client_for(evaluation.cast.manager).post(url, {"text": "", "rating": "9"})
    assert response.status_code == 422
    assert SELF_REVIEW in html(response)
    record = AccessRecord.objects.get()
    assert (record.owner, record.reader, record.kind) == (
        evaluation.cast.report,
        evaluation.cast.manager,
        Kind.SELF_REVIEW,
    )


def test_the_person_reading_their_own_review_records_nothing(evaluation: Evaluation) -> None:
    client_for(evaluation.cast.report).get(
        reverse("evaluation:review", args=[evaluation.review.code])
    )
    assert not AccessRecord.objects.exists()


# --- HR's results as CSV ------------------------------------------------------------------


def test_hr_downloads_the_results(evaluation: Evaluation) -> None:
    response = client_for(evaluation.cast.hr).get(
        reverse("evaluation:cycle-export", args=[evaluation.cycle.code])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    report = [row for row in rows if row["person"] == evaluation.cast.report.name]
    assert report == [
        {
            "person": evaluation.cast.report.name,
            "manager": evaluation.cast.manager.name,
            "rating": "4",
            "goal": GOAL,
            "metric": evaluation.goal.metric,
            "target": "300",
            "actual": "",
        }
    ]
    assert SELF_REVIEW not in response.content.decode()


def test_a_formula_in_a_goal_is_not_run_by_a_spreadsheet(evaluation: Evaluation) -> None:
    Goal.objects.filter(pk=evaluation.goal.pk).update(name="=HYPERLINK(1)")
    response = client_for(evaluation.cast.hr).get(
        reverse("evaluation:cycle-export", args=[evaluation.cycle.code])
    )
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_hr_in_the_cycle_learns_their_own_rating_at_release(cast: Cast) -> None:
    Person.objects.filter(pk=cast.hr.pk).update(manager=cast.director)
    cycle = make_cycle(cast)
    services.open_cycle(cast.hr, cycle, team=None)
    own = PerformanceReview.objects.get(cycle=cycle, person=cast.hr)
    services.write_assessment(cast.director, own, text="Steady quarter", rating=2)
    hr = client_for(cast.hr)
    page_url = reverse("evaluation:cycle", args=[cycle.code]) + "?q=Harper"
    csv_url = reverse("evaluation:cycle-export", args=[cycle.code])

    def own_rating() -> tuple[bool, str]:
        page = html(hr.get(page_url))
        rows = csv.DictReader(io.StringIO(hr.get(csv_url).content.decode()))
        csv_rating = next(row["rating"] for row in rows if row["person"] == cast.hr.name)
        return ("yours: shown once released" in page), csv_rating

    assert own_rating() == (True, "")
    services.move_cycle(cast.hr, cycle, to=CycleStatus.CLOSED)
    assert own_rating() == (True, "")
    services.move_cycle(cast.hr, cycle, to=CycleStatus.RELEASED)
    assert own_rating() == (False, "2")
