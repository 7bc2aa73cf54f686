"""Programs: creation, enrolment, matching, review, publishing and answers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.coaching.tests.factories import make_engagement
from cairn.mentoring import services
from cairn.mentoring.models import (
    Enrolment,
    Match,
    MatchStatus,
    Program,
    ProgramKind,
    Role,
    SensitiveAnswer,
    Unmatched,
)
from cairn.mentoring.tests.factories import enrol_mentee, enrol_mentor, make_program
from cairn.testing import Cast, client_for, make_person


def test_program_admin_creates_a_program_through_the_page(cast: Cast) -> None:
    today = timezone.localdate()
    response = client_for(cast.program_admin).post(
        reverse("mentoring:program-new"),
        {
            "name": "Winter cohort",
            "purpose": "Grow",
            "kind": "cohort",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=30),
            "enrolment_opens": today,
            "enrolment_closes": today + dt.timedelta(days=5),
            "objective": "most_matched",
            "min_score": "0.5",
            "weight_skills": "2",
            "weight_goals": "1",
            "weight_seniority": "0",
            "weight_preference": "3",
            "weight_time_zone": "1",
            "weight_languages": "1",
            "weight_cross_team": "0.5",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.slug == "winter-cohort"
    assert program.weight_cross_team == 0.5
    assert program.objective == "most_matched"


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "must be zero or more"), ("lots", "must be a number"), ("nan", "zero or more")],
)
def test_bad_weights_are_refused_with_a_clear_message(cast: Cast, value: str, message: str) -> None:
    today = timezone.localdate()
    response = client_for(cast.program_admin).post(
        reverse("mentoring:program-new"),
        {
            "name": "Winter cohort",
            "purpose": "Grow",
            "kind": "cohort",
            "starts_on": today,
            "ends_on": today,
            "enrolment_opens": today,
            "enrolment_closes": today,
            "objective": "best_total",
            "min_score": "0",
            "weight_skills": value,
            "weight_goals": "1",
            "weight_seniority": "1",
            "weight_preference": "1",
            "weight_time_zone": "1",
            "weight_languages": "1",
            "weight_cross_team": "1",
        },
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Skills" in response.content.decode()
    assert not Program.objects.exists()


def test_only_program_admins_create_programs(cast: Cast) -> None:
    for person in (cast.report, cast.admin, cast.manager):
        assert client_for(person).get(reverse("mentoring:program-new")).status_code == 404


def test_enrolment_after_the_window_saves_nothing(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    later = program.enrolment_closes + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(later, dt.time(12), tzinfo=dt.UTC)):
        response = client_for(cast.report).post(
            reverse("mentoring:program-enrol", args=[program.slug]),
            {"role": "mentee", "capacity": "1", "years_experience": "2"},
        )
    assert response.status_code == 422
    assert "Enrolment closed on" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolment_capacity_out_of_range_saves_nothing(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    for capacity in ("0", "1000"):
        response = client_for(cast.coach).post(
            reverse("mentoring:program-enrol", args=[program.slug]),
            {"role": "mentor", "capacity": capacity, "years_experience": "9"},
        )
        assert response.status_code == 422
        assert "Capacity is from 1 to 10" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_matching_without_mentors_is_refused_with_a_message(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentee(program, cast.report)
    response = client_for(cast.program_admin).post(
        reverse("mentoring:proposal-run", args=[program.slug])
    )
    assert response.status_code == 422
    assert "No mentors have enrolled yet" in response.content.decode()
    assert not Match.objects.exists()


def _cohort(cast: Cast) -> Program:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentor(program, cast.manager, capacity=2)
    enrol_mentee(program, cast.report)
    enrol_mentee(program, cast.peer)
    return program


def test_matching_never_pairs_a_mentee_with_their_manager(cast: Cast) -> None:
    program = _cohort(cast)
    services.run_matching(cast.program_admin, program)
    pairs = {(m.mentee.person_id, m.mentor.person_id) for m in Match.objects.all()}
    assert (cast.report.pk, cast.manager.pk) not in pairs
    assert (cast.peer.pk, cast.manager.pk) not in pairs
    # One mentor with room: one mentee matched, the other told why not.
    assert len(pairs) == 1
    assert Unmatched.objects.count() == 1


def test_past_pairs_and_not_with_are_excluded_either_way(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    # The coach asks not to be paired with Riley; the director is in Riley's chain.
    enrol_mentor(program, cast.coach, capacity=2, not_with=[cast.report])
    enrol_mentor(program, cast.director, capacity=2)
    enrol_mentee(program, cast.report)
    # Ada asks not to be paired with the coach.
    enrol_mentee(program, cast.admin, not_with=[cast.coach])
    services.run_matching(cast.program_admin, program)
    pairs = {(m.mentee.person_id, m.mentor.person_id) for m in Match.objects.all()}
    assert pairs == {(cast.admin.pk, cast.director.pk)}
    assert list(Unmatched.objects.values_list("enrolment__person_id", flat=True)) == [
        cast.report.pk
    ]


def test_a_past_mentoring_pair_is_not_repeated_unless_allowed(cast: Cast) -> None:
    make_engagement(cast.coach, cast.admin, EngagementKind.MENTORING)
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach)
    enrol_mentee(program, cast.admin)
    services.run_matching(cast.program_admin, program)
    assert not Match.objects.exists()
    Program.objects.filter(pk=program.pk).update(allow_repeats=True)
    program.refresh_from_db()
    services.run_matching(cast.program_admin, program)
    assert Match.objects.count() == 1


def test_same_gender_wish_is_enforced_and_seen_by_admins_only(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, gender="man")
    enrol_mentee(program, cast.admin, gender="woman", same_gender=True)
    services.run_matching(cast.program_admin, program)
    assert not Match.objects.exists()
    SensitiveAnswer.objects.filter(enrolment__person=cast.coach).update(gender="Woman")
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    admin_page = client_for(cast.program_admin).get(
        reverse("mentoring:proposal", args=[program.slug])
    )
    assert "prefers a mentor of the same gender" in admin_page.content.decode()
    services.publish(cast.program_admin, program)
    for person in (cast.coach, cast.admin):
        page = client_for(person).get(reverse("mentoring:program", args=[program.slug]))
        assert page.status_code == 200
        assert "same gender" not in page.content.decode().replace(
            "I would prefer a mentor of the same gender", ""
        )
    assert match.mentor.person == cast.coach


def test_publish_accept_by_both_starts_mentoring(cast: Cast) -> None:
    program = _cohort(cast)
    services.run_matching(cast.program_admin, program)
    services.publish(cast.program_admin, program)
    match = Match.objects.select_related("mentee__person", "mentor__person", "program").get()
    mentee, mentor = match.mentee.person, match.mentor.person
    response = client_for(mentee).post(
        reverse("mentoring:match-answer", args=[match.code]), {"decision": "accept"}
    )
    assert response.status_code == 302
    assert not Engagement.objects.filter(kind=EngagementKind.MENTORING).exists()
    response = client_for(mentor).post(
        reverse("mentoring:match-answer", args=[match.code]), {"decision": "accept"}
    )
    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    assert response["Location"] == reverse("coaching:engagement", args=[engagement.code])
    assert (engagement.giver, engagement.receiver) == (mentor, mentee)
    assert engagement.status == EngagementStatus.AGREED


def test_rerun_keeps_accepted_pairs_and_returns_declined_to_the_pool(
    cast: Cast,
) -> None:
    program = make_program(cast.program_admin)
    extra = make_person(cast.org, "Eve Extra")
    enrol_mentor(program, cast.coach, capacity=2)
    enrol_mentor(program, cast.peer, capacity=1)
    for person in (cast.admin, extra, cast.director):
        enrol_mentee(program, person)
    services.run_matching(cast.program_admin, program)
    services.publish(cast.program_admin, program)
    pairs = list(Match.objects.select_related("mentee__person", "mentor__person", "program"))
    accepted, declined = pairs[0], pairs[1]
    for side in (accepted.mentee.person, accepted.mentor.person):
        services.answer_match(side, accepted, accept=True)
    services.answer_match(declined.mentee.person, declined, accept=False)
    services.run_matching(cast.program_admin, program)
    accepted.refresh_from_db()
    assert accepted.status == MatchStatus.ACCEPTED
    live = Match.objects.live()
    assert live.filter(mentee=accepted.mentee).count() == 1
    # The declined pair is not proposed again.
    assert not live.filter(mentee=declined.mentee, mentor=declined.mentor).exists()


def test_hand_move_that_breaks_a_hard_constraint_is_refused(cast: Cast) -> None:
    program = _cohort(cast)
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    manager = Enrolment.objects.get(person=cast.manager)
    before = match.mentor_id
    response = client_for(cast.program_admin).post(
        reverse("mentoring:match-move", args=[match.code]), {"mentor": str(manager.person.code)}
    )
    # Both mentees report to the manager: whichever was matched, the move breaks.
    assert response.status_code == 422
    assert "management chain" in response.content.decode()
    match.refresh_from_db()
    assert match.mentor_id == before
    assert not match.pinned


def test_hand_move_beyond_capacity_is_refused(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    extra = make_person(cast.org, "Eve Extra")
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentor(program, cast.peer, capacity=1)
    enrol_mentee(program, cast.admin)
    enrol_mentee(program, extra)
    services.run_matching(cast.program_admin, program)
    first, second = Match.objects.select_related("program")
    response = client_for(cast.program_admin).post(
        reverse("mentoring:match-move", args=[first.code]),
        {"mentor": str(second.mentor.person.code)},
    )
    assert response.status_code == 422
    assert "no capacity left" in response.content.decode()
    first.refresh_from_db()
    assert first.mentor_id != second.mentor_id


def test_hand_move_and_pin_work(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentor(program, cast.peer, capacity=1)
    enrol_mentee(program, cast.admin)
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    other = (
        Enrolment.objects.filter(program=program, role=Role.MENTOR)
        .exclude(pk=match.mentor_id)
        .get()
    )
    client = client_for(cast.program_admin)
    response = client.post(
        reverse("mentoring:match-move", args=[match.code]), {"mentor": str(other.person.code)}
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.mentor == other
    assert match.pinned
    services.run_matching(cast.program_admin, program)
    assert Match.objects.get().mentor == other


def test_rotation_pairs_everyone_until_all_have_met(cast: Cast) -> None:
    program = make_program(cast.program_admin, kind=ProgramKind.ROTATION)
    people = [cast.coach, cast.peer, cast.admin, cast.director]
    for person in people:
        enrol_mentee(program, person)
    # Four people: three rounds of two pairs each, and everyone has met everyone.
    for _ in range(3):
        services.run_matching(cast.program_admin, program)
        services.publish(cast.program_admin, program)
    assert set(Match.objects.values_list("round", flat=True)) == {1, 2, 3}
    met = {frozenset((m.mentee_id, m.mentor_id)) for m in Match.objects.all()}
    assert len(met) == 6  # every pair of four
    assert Match.objects.count() == 6  # each once
    # Then a fresh cycle begins: round four repeats a pair, as it must.
    services.run_matching(cast.program_admin, program)
    fourth = {frozenset((m.mentee_id, m.mentor_id)) for m in Match.objects.filter(round=4)}
    assert len(fourth) == 2
    assert fourth <= met


def test_rotation_rerun_replaces_an_unpublished_round(cast: Cast) -> None:
    program = make_program(cast.program_admin, kind=ProgramKind.ROTATION)
    for person in (cast.coach, cast.peer, cast.admin):
        enrol_mentee(program, person)
    services.run_matching(cast.program_admin, program)
    services.run_matching(cast.program_admin, program)
    assert set(Match.objects.values_list("round", flat=True)) == {1}
    assert Match.objects.count() == 1  # three people: one pair, one sits out


def test_swap_exchanges_mentees_when_the_chosen_mentor_is_full(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    extra = make_person(cast.org, "Eve Extra")
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentor(program, cast.peer, capacity=1)
    enrol_mentee(program, cast.admin)
    enrol_mentee(program, extra)
    services.run_matching(cast.program_admin, program)
    first, second = Match.objects.select_related("program")
    before = {first.mentee_id: first.mentor_id, second.mentee_id: second.mentor_id}
    response = client_for(cast.program_admin).post(
        reverse("mentoring:match-move", args=[first.code]),
        {"mentor": str(second.mentor.person.code), "action": "swap"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    after = {m.mentee_id: m.mentor_id for m in Match.objects.all()}
    assert after == {
        first.mentee_id: before[second.mentee_id],
        second.mentee_id: before[first.mentee_id],
    }
    assert all(Match.objects.values_list("pinned", flat=True))
    # The htmx answer is the proposal part, not a whole page.
    assert "<html" not in response.content.decode()


def test_only_program_admins_run_pin_move_and_publish(cast: Cast) -> None:
    program = _cohort(cast)
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    urls = [
        reverse("mentoring:proposal-run", args=[program.slug]),
        reverse("mentoring:proposal-publish", args=[program.slug]),
        reverse("mentoring:match-pin", args=[match.code]),
        reverse("mentoring:match-move", args=[match.code]),
        reverse("mentoring:match-answer", args=[match.code]),
    ]
    for who, person in cast.everyone().items():
        if who == "program_admin":
            continue
        client = client_for(person)
        for url in urls[:4]:
            assert client.post(url, {"pinned": "1"}).status_code == 404, (who, url)
        if who == "outsider" or person.pk not in (match.mentee.person_id, match.mentor.person_id):
            assert client.post(urls[4], {"decision": "accept"}).status_code == 404, who
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert not match.pinned


def test_sensitive_answers_are_kept_on_resave_and_forgotten_on_request(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrolment = enrol_mentee(program, cast.report, gender="woman", same_gender=True)
    enrol_mentee(program, cast.report, goals="New goals")
    assert SensitiveAnswer.objects.get(enrolment=enrolment).same_gender
    enrol_mentee(program, cast.report, forget_sensitive=True)
    assert not SensitiveAnswer.objects.exists()


def test_answer_without_a_decision_is_refused(cast: Cast) -> None:
    from cairn.mentoring.tests.factories import make_request

    request = make_request(cast.report, cast.coach)
    response = client_for(cast.coach).post(
        reverse("mentoring:request-answer", args=[request.code]), {"message": "x" * 5000}
    )
    assert response.status_code == 422
    assert "Choose to accept or decline" in response.content.decode()
    assert not Engagement.objects.filter(kind=EngagementKind.MENTORING).exists()


def test_a_pin_that_no_longer_holds_stops_the_run_and_changes_nothing(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    mentee = enrol_mentee(program, cast.admin)
    services.run_matching(cast.program_admin, program)
    match = Match.objects.select_related("program").get()
    services.pin_match(cast.program_admin, match, pinned=True)
    # Since the pin, Ada has asked never to be paired with the coach.
    mentee.not_with.add(cast.coach)
    response = client_for(cast.program_admin).post(
        reverse("mentoring:proposal-run", args=[program.slug])
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Matching could not run" in page
    assert cast.admin.name in page
    assert list(Match.objects.values_list("pk", "pinned")) == [(match.pk, True)]
