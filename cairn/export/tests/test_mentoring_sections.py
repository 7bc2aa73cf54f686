"""Mentoring's sections of a person's export: their profile, the requests they sent
(with their challenge) and received (without the mentee's), their enrolments with
the pairs published to them. Nobody else's words, and no sensitive answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cairn.export import document as doc
from cairn.mentoring import portable, services
from cairn.mentoring.models import Match, MatchStatus, Role
from cairn.mentoring.tests.factories import (
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
    tag,
)
from cairn.people.models import Person
from cairn.testing import Cast, count_queries, make_org, make_person

MY_CHALLENGE = "report asks: how do I lead a design review?"
OTHER_CHALLENGE = "peer asks the same mentor: how do I stop overworking?"
RECEIVED_CHALLENGE = "peer asks the report: how do I estimate?"
RECEIVED_GOALS = "peer wants: estimates within a day"
MY_ANSWER = "report answers the peer: I am away in May"
MENTORS_ANSWER = "coach answers the report: yes, gladly"
MY_GOALS = "report's program goals: speak up in planning"
OTHER_GOALS = "peer's program goals: write more"
SENSITIVE = "report-sensitive-gender"


def text_of(person: Person) -> str:
    return json.dumps(portable.export_sections(person), ensure_ascii=False)


def test_requests_sent_carry_the_challenge_and_received_ones_do_not(cast: Cast) -> None:
    sent = make_request(cast.report, cast.coach, MY_CHALLENGE)
    services.answer_request(cast.coach, sent, accept=False, message=MENTORS_ANSWER)
    make_request(cast.peer, cast.coach, OTHER_CHALLENGE)
    make_profile(cast.report)
    received = services.send_request(
        cast.peer, cast.report, challenge=RECEIVED_CHALLENGE, goals=RECEIVED_GOALS
    )
    services.answer_request(cast.report, received, accept=False, message=MY_ANSWER)

    requests = portable.export_sections(cast.report)["mentoring_requests"]

    assert [(r["direction"], r["with"], r["status"]) for r in requests] == [
        ("sent", cast.coach.name, "declined"),
        ("received", cast.peer.name, "declined"),
    ]
    assert requests[0]["challenge"] == MY_CHALLENGE
    assert requests[0]["answer"] == MENTORS_ANSWER
    assert requests[1]["answer"] == MY_ANSWER
    assert "challenge" not in requests[1]
    assert "goals" not in requests[1]
    text = text_of(cast.report)
    for other in (OTHER_CHALLENGE, RECEIVED_CHALLENGE, RECEIVED_GOALS):
        assert other not in text
    # The mentor's export has the request they received, without the report's words.
    coach = text_of(cast.coach)
    assert MENTORS_ANSWER in coach
    assert MY_CHALLENGE not in coach
    assert OTHER_CHALLENGE not in coach


def test_a_program_admin_exports_their_own_requests_only(cast: Cast) -> None:
    # Program admins read every request of the organisation; none of them is theirs.
    make_request(cast.report, cast.coach, MY_CHALLENGE)
    assert portable.export_sections(cast.program_admin)["mentoring_requests"] == []
    assert MY_CHALLENGE not in text_of(cast.program_admin)


def test_the_profile_is_the_persons_own(cast: Cast) -> None:
    services.save_profile(
        cast.report,
        services.ProfileData(
            helps_with="Pairing on flaky tests",
            capacity=3,
            expertise=[tag("architecture")],
            availability="Tuesday mornings",
            languages="English, Polish",
            utc_offset=1,
            outside_team=False,
            status="paused",
        ),
    )
    make_profile(cast.coach, helps="coach helps with: roadmaps")

    [profile] = portable.export_sections(cast.report)["mentor_profile"]

    assert profile["helps_with"] == "Pairing on flaky tests"
    assert profile["expertise"] == [tag("architecture").name]
    assert (profile["capacity"], profile["utc_offset"], profile["status"]) == (3, 1, "paused")
    assert (profile["availability"], profile["languages"]) == (
        "Tuesday mornings",
        "English, Polish",
    )
    assert profile["outside_team"] is False
    assert "roadmaps" not in text_of(cast.report)
    assert portable.export_sections(cast.peer)["mentor_profile"] == []


def test_enrolments_hold_the_answers_and_only_published_pairs(cast: Cast) -> None:
    program = make_program(cast.program_admin, "Autumn cohort")
    mentor = enrol_mentor(program, cast.coach)
    mine = enrol_mentee(
        program,
        cast.report,
        goals=MY_GOALS,
        shortlist=[mentor],
        not_with=[cast.manager],
        gender=SENSITIVE,
        same_gender=True,
    )
    other = enrol_mentee(program, cast.peer, goals=OTHER_GOALS)
    Match.objects.create(program=program, mentee=mine, mentor=mentor, score=3.0)
    Match.objects.create(program=program, mentee=other, mentor=mentor, score=2.0)

    [enrolment] = portable.export_sections(cast.report)["program_enrolments"]
    assert enrolment["program"] == "Autumn cohort"
    assert (enrolment["role"], enrolment["goals"]) == (Role.MENTEE, MY_GOALS)
    assert enrolment["shortlist"] == [cast.coach.name]
    assert enrolment["not_with"] == [cast.manager.name]
    assert enrolment["skills"] == [tag("architecture").name]
    # Proposed, not published: the pair is the program admins' alone for now.
    assert enrolment["pairs"] == []

    services.publish(cast.program_admin, program)
    [enrolment] = portable.export_sections(cast.report)["program_enrolments"]
    assert enrolment["pairs"] == [
        {
            "with": cast.coach.name,
            "their_role": Role.MENTOR,
            "round": 0,
            "status": MatchStatus.PUBLISHED,
            "answer": "pending",
        }
    ]
    text = text_of(cast.report)
    # Sensitive answers are write only (policy.py), even for the person who gave them.
    assert SENSITIVE not in text
    assert "same_gender" not in text
    assert OTHER_GOALS not in text
    # The mentor sees both of their pairs, and nothing of the mentees' answers.
    coach = portable.export_sections(cast.coach)["program_enrolments"]
    assert sorted(p["with"] for p in coach[0]["pairs"]) == sorted(
        [cast.report.name, cast.peer.name]
    )
    assert MY_GOALS not in text_of(cast.coach)
    assert MY_GOALS not in text_of(cast.program_admin)


def test_nothing_crosses_organisations(cast: Cast) -> None:
    elsewhere = make_person(make_org("Elsewhere"), "Elle Where")
    make_profile(elsewhere, helps="elsewhere helps: anything")
    other = make_person(elsewhere.organisation, "Otto Other")
    make_request(other, elsewhere, "elsewhere challenge")
    for person in cast.everyone().values():
        text = text_of(person)
        assert "elsewhere" not in text


def fill(cast: Cast, rows: int) -> None:
    make_profile(cast.report)
    make_profile(cast.coach, capacity=2)
    for n in range(rows):
        sent = make_request(cast.report, cast.coach, f"{MY_CHALLENGE} {n}")
        services.answer_request(cast.coach, sent, accept=False)
        received = services.send_request(cast.peer, cast.report, challenge="c", goals="g")
        services.answer_request(cast.report, received, accept=False)
        program = make_program(cast.program_admin, f"Cohort {rows} {n}")
        mentor = enrol_mentor(program, cast.coach, not_with=[cast.manager])
        mine = enrol_mentee(program, cast.report, shortlist=[mentor], not_with=[cast.manager])
        Match.objects.create(program=program, mentee=mine, mentor=mentor, status="published")


@pytest.mark.parametrize("rows", [1, 50])
def test_queries_do_not_grow_with_rows(cast: Cast, rows: int) -> None:
    fill(cast, rows)
    # profile + its two tag lists, requests, enrolments + tags, goal tags, not-with,
    # shortlist, pairs
    assert count_queries(lambda: portable.export_sections(cast.report)) == 10
    sections = portable.export_sections(cast.report)
    assert len(sections["mentoring_requests"]) == 2 * rows
    assert len(sections["program_enrolments"]) == rows


def test_the_sections_are_json_safe_deterministic_and_pass_the_schema(cast: Cast) -> None:
    fill(cast, 2)
    sections: dict[str, Any] = portable.export_sections(cast.report)
    assert json.loads(json.dumps(sections)) == sections
    assert portable.export_sections(cast.report) == sections
    document = doc.export_document(cast.report)
    assert doc.checker().errors(json.loads(doc.dumps(document))) == []
    for key in sections:
        assert document["sections"][key] == sections[key]
    # No database ids and no codes of rows.
    assert '"id"' not in json.dumps(sections)
    assert '"code"' not in json.dumps(sections)
