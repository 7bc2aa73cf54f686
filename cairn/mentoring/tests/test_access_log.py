"""Reads by program admins of what people wrote in mentoring — a request, an
enrolment's answers, sensitive answers — go in those people's access logs: one row
per person shown, with who, what kind, when and the page, never the content. The
two parties of a request, and people reading their own, write nothing."""

from __future__ import annotations

from django.urls import reverse

from cairn.mentoring.models import Match, Program, Unmatched
from cairn.mentoring.tests.factories import (
    CHALLENGE,
    enrol_mentee,
    enrol_mentor,
    make_program,
    make_request,
)
from cairn.testing import Cast, client_for, htmx
from cairn.trust.models import AccessRecord, Kind

GOALS = "enrolment goals: learn to say no"
GENDER = "planted-gender-answer"


def rows() -> set[tuple[object, ...]]:
    return set(AccessRecord.objects.values_list("owner_id", "reader_id", "kind", "via"))


def assert_no_content() -> None:
    for record in AccessRecord.objects.all():
        fields = " ".join(str(getattr(record, f.name)) for f in AccessRecord._meta.concrete_fields)
        for secret in (CHALLENGE, "Speak with ease", GOALS, GENDER):
            assert secret not in fields, secret


def test_a_program_admin_reading_a_request_writes_one_row_for_the_mentee(cast: Cast) -> None:
    item = make_request(cast.report, cast.coach)
    url = reverse("mentoring:request", args=[item.code])
    response = client_for(cast.program_admin).get(url)
    assert response.status_code == 200
    assert CHALLENGE in response.content.decode()
    [row] = AccessRecord.objects.all()
    assert (row.owner, row.reader, row.reader_name, row.kind, row.via) == (
        cast.report,
        cast.program_admin,
        cast.program_admin.name,
        Kind.MENTORING_REQUEST,
        url,
    )
    assert_no_content()


def test_the_parties_of_a_request_record_nothing(cast: Cast) -> None:
    item = make_request(cast.report, cast.coach)
    for person in (cast.report, cast.coach):
        client = client_for(person)
        assert client.get(reverse("mentoring:request", args=[item.code])).status_code == 200
        assert client.get(reverse("mentoring:requests")).status_code == 200
    assert not AccessRecord.objects.exists()


def test_people_refused_a_request_record_nothing(cast: Cast) -> None:
    item = make_request(cast.report, cast.coach)
    for person in (cast.manager, cast.peer, cast.admin, cast.hr, cast.outsider):
        response = client_for(person).get(reverse("mentoring:request", args=[item.code]))
        assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def _program(cast: Cast) -> tuple[Program, Match]:
    program = make_program(cast.program_admin)
    mentor = enrol_mentor(program, cast.coach)
    mentee = enrol_mentee(program, cast.report, goals=GOALS, gender=GENDER, same_gender=True)
    enrol_mentee(program, cast.peer, goals="the peer's goals")  # left unmatched
    match = Match.objects.create(program=program, mentee=mentee, mentor=mentor, score=2.0)
    Unmatched.objects.create(
        program=program,
        enrolment=program.enrolments.get(person=cast.peer),
        reason="no mentor with room",
    )
    return program, match


def test_the_proposal_records_each_person_shown_once_and_the_sensitive_answers(
    cast: Cast,
) -> None:
    program, _ = _program(cast)
    url = reverse("mentoring:proposal", args=[program.slug])
    response = client_for(cast.program_admin).get(url)
    assert response.status_code == 200
    reader = cast.program_admin.pk
    assert rows() == {
        (cast.report.pk, reader, Kind.ENROLMENT, url),
        (cast.coach.pk, reader, Kind.ENROLMENT, url),
        (cast.report.pk, reader, Kind.SENSITIVE_ANSWERS, url),
    }
    assert AccessRecord.objects.count() == 3  # the pair on the page, once each
    # The unmatched are shown (and read) on their own page of the proposal.
    response = client_for(cast.program_admin).get(url, {"show": "unmatched"})
    assert "no mentor with room" in response.content.decode()
    assert AccessRecord.objects.filter(owner=cast.peer, kind=Kind.ENROLMENT).count() == 1
    assert AccessRecord.objects.count() == 4
    assert_no_content()


def test_an_htmx_change_to_the_proposal_records_the_pairs_it_shows_again(cast: Cast) -> None:
    _, match = _program(cast)
    url = reverse("mentoring:match-pin", args=[match.code])
    response = htmx(client_for(cast.program_admin)).post(url, {"pinned": "1"})
    assert response.status_code == 200
    assert (cast.report.pk, cast.program_admin.pk, Kind.SENSITIVE_ANSWERS, url) in rows()
    assert AccessRecord.objects.filter(kind=Kind.ENROLMENT, via=url).count() == 2


def test_a_plain_post_records_only_the_page_it_is_sent_back_to(cast: Cast) -> None:
    _, match = _program(cast)
    client = client_for(cast.program_admin)
    response = client.post(reverse("mentoring:match-pin", args=[match.code]), {"pinned": "1"})
    assert response.status_code == 302
    assert not AccessRecord.objects.exists()  # a redirect shows nothing
    client.get(response["Location"])
    assert AccessRecord.objects.count() == 3  # the pair's two people and the wish


def test_a_program_admin_enrolled_in_their_own_program_is_not_their_own_reader(
    cast: Cast,
) -> None:
    program, _ = _program(cast)
    enrol_mentor(program, cast.program_admin)
    url = reverse("mentoring:proposal", args=[program.slug])
    assert client_for(cast.program_admin).get(url).status_code == 200
    assert not AccessRecord.objects.filter(owner=cast.program_admin).exists()


def test_people_reading_their_own_enrolment_record_nothing(cast: Cast) -> None:
    program, _ = _program(cast)
    for person in (cast.report, cast.coach, cast.peer):
        url = reverse("mentoring:program", args=[program.slug])
        assert client_for(person).get(url).status_code == 200
        proposal = reverse("mentoring:proposal", args=[program.slug])
        assert client_for(person).get(proposal).status_code == 404
    assert not AccessRecord.objects.exists()
