"""Sharing assessments: the person picks a reader by searching names (never a list of
the whole organisation), takes the share back, and learns of every read by a
sharee. Bad input says what is wrong, answers 422 and saves nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import policy, services
from cairn.mastery.models import AssessmentShare
from cairn.mastery.tests.factories import import_example
from cairn.people.models import User
from cairn.testing import Cast, client_for, html, htmx, make_person
from cairn.trust.models import AccessRecord, Kind

COACH_EVIDENCE = "coach evidence: ran the design review with care"
SELF_EVIDENCE = "self evidence: I rush my code reviews"


@dataclass
class World:
    cast: Cast


@pytest.fixture
def world(cast: Cast) -> World:
    make_engagement(cast.coach, cast.report)
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    delivery = framework.competencies.get(name="Delivery")
    senior = track.levels.get(name="Senior engineer")
    engineer = track.levels.get(name="Engineer")
    services.record_assessment(cast.coach, cast.report, delivery, senior, evidence=COACH_EVIDENCE)
    services.record_assessment(cast.report, cast.report, delivery, engineer, evidence=SELF_EVIDENCE)
    return World(cast)


def person_page(cast: Cast) -> str:
    return reverse("mastery:person", args=[cast.report.code])


# --- sharing and taking back ----------------------------------------------------------


def test_the_person_shares_with_their_manager_who_then_reads(world: World) -> None:
    cast = world.cast
    client = client_for(cast.report)
    response = client.post(reverse("mastery:share-add"), {"person": str(cast.manager.code)})
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert "Maria Manager can now read your assessments." in page
    assert AssessmentShare.objects.filter(owner=cast.report, shared_with=cast.manager).exists()
    manager_page = html(client_for(cast.manager).get(person_page(cast)))
    assert COACH_EVIDENCE in manager_page
    assert SELF_EVIDENCE in manager_page


def test_sharing_with_htmx_answers_the_section(world: World) -> None:
    cast = world.cast
    response = htmx(client_for(cast.report)).post(
        reverse("mastery:share-add"), {"person": str(cast.peer.code)}
    )
    assert response.status_code == 200
    body = html(response)
    assert 'id="shares"' in body
    assert "Pat Peer can now read your assessments." in body
    assert "<h1>" not in body


def test_taking_back(world: World) -> None:
    cast = world.cast
    share = services.share_assessments(cast.report, cast.manager)
    client = client_for(cast.report)
    response = client.post(reverse("mastery:share-remove", args=[share.code]))
    assert response.status_code == 302
    assert "Maria Manager can no longer read" in html(client.get(response["Location"]))
    assert not AssessmentShare.objects.exists()
    assert client_for(cast.manager).get(person_page(cast)).status_code == 404


@pytest.mark.parametrize(
    "role", ["manager", "director", "peer", "coach", "admin", "program_admin", "hr", "outsider"]
)
def test_nobody_else_takes_a_share_back(world: World, role: str) -> None:
    cast = world.cast
    share = services.share_assessments(cast.report, cast.manager)
    response = client_for(cast.everyone()[role]).post(
        reverse("mastery:share-remove", args=[share.code])
    )
    assert response.status_code == 404
    assert "Maria Manager" not in html(response)
    assert AssessmentShare.objects.filter(pk=share.pk).exists()


def test_share_endpoints_want_a_post(world: World) -> None:
    cast = world.cast
    share = services.share_assessments(cast.report, cast.manager)
    client = client_for(cast.report)
    assert client.get(reverse("mastery:share-add")).status_code == 405
    assert client.get(reverse("mastery:share-remove", args=[share.code])).status_code == 405


def test_only_the_person_and_the_sharee_know_of_a_share(world: World) -> None:
    cast = world.cast
    share = services.share_assessments(cast.report, cast.peer)
    for role, person in cast.everyone().items():
        page = html(client_for(person).get(reverse("mastery:home")))
        assert ("Assessments shared with me" in page) == (role == "peer"), role
        assert (str(share.code) in page) == (role == "report"), role
    assert "Pat Peer" in html(client_for(cast.report).get(reverse("mastery:home")))


# --- bad input ------------------------------------------------------------------------


def _bad(world: World, code: str) -> str:
    response = client_for(world.cast.report).post(reverse("mastery:share-add"), {"person": code})
    assert response.status_code == 422
    assert not AssessmentShare.objects.exists()
    return html(response)


def test_sharing_with_someone_of_another_organisation(world: World) -> None:
    page = _bad(world, str(world.cast.outsider.code))
    assert "Choose someone from your organisation." in page
    assert world.cast.outsider.name not in page


def test_sharing_with_an_unknown_code_or_garbage(world: World) -> None:
    for code in ("00000000-0000-0000-0000-000000000000", "not-a-code", ""):
        page = _bad(world, code)
        assert (
            "Choose someone from your organisation." in page
            or "Search for the person by name" in page
        ), code


def test_sharing_with_oneself(world: World) -> None:
    assert "You read your own assessments already" in _bad(world, str(world.cast.report.code))


def test_sharing_with_someone_who_left(world: World) -> None:
    User.objects.filter(pk=world.cast.peer.user_id).update(is_active=False)
    assert "Pat Peer no longer has an account here." in _bad(world, str(world.cast.peer.code))


def test_sharing_twice(world: World) -> None:
    services.share_assessments(world.cast.report, world.cast.peer)
    response = client_for(world.cast.report).post(
        reverse("mastery:share-add"), {"person": str(world.cast.peer.code)}
    )
    assert response.status_code == 422
    assert "You already share your assessments with Pat Peer." in html(response)
    assert AssessmentShare.objects.count() == 1


def test_bad_input_with_htmx_answers_the_section_with_the_message(world: World) -> None:
    response = htmx(client_for(world.cast.report)).post(
        reverse("mastery:share-add"), {"person": str(world.cast.outsider.code)}
    )
    assert response.status_code == 422
    assert "Choose someone from your organisation." in html(response)
    assert not AssessmentShare.objects.exists()


# --- the picker -----------------------------------------------------------------------


def test_the_picker_lists_nobody_until_a_name_is_typed(world: World) -> None:
    page = html(client_for(world.cast.report).get(reverse("mastery:home")))
    for name in ("Pat Peer", "Maria Manager", "Harper Reviews", "Ada Admin"):
        assert name not in page


def test_the_picker_finds_by_name_in_the_organisation_only(world: World) -> None:
    cast = world.cast
    make_person(cast.outsider.organisation, "Pat Elsewhere")
    inactive = make_person(cast.org, "Pat Gone")
    User.objects.filter(pk=inactive.user_id).update(is_active=False)
    body = html(htmx(client_for(cast.report)).get(reverse("mastery:home") + "?q=pat"))
    assert "Pat Peer" in body
    assert "Pat Elsewhere" not in body
    assert "Pat Gone" not in body
    assert "<h1>" not in body  # htmx gets the results alone


def test_the_picker_needs_two_letters_and_shows_a_bounded_number(world: World) -> None:
    cast = world.cast
    client = client_for(cast.report)
    assert "Type at least two letters" in html(client.get(reverse("mastery:home") + "?q=p"))
    for n in range(policy.SHARE_SEARCH_LIMIT + 5):
        make_person(cast.org, f"Sam Many{n:02d}")
    page = html(client.get(reverse("mastery:home") + "?q=many"))
    assert page.count("Share my assessments with Sam Many") == policy.SHARE_SEARCH_LIMIT
    assert "More people match: type more of the name." in page


def test_the_picker_leaves_out_people_already_shared_with_and_oneself(world: World) -> None:
    cast = world.cast
    services.share_assessments(cast.report, cast.peer)
    page = html(client_for(cast.report).get(reverse("mastery:home") + "?q=re"))
    assert "Share my assessments with Riley Report" not in page
    page = html(client_for(cast.report).get(reverse("mastery:home") + "?q=pat"))
    assert "Share my assessments with Pat Peer" not in page


# --- recorded reads -------------------------------------------------------------------


def test_a_sharee_reading_is_recorded_once_per_read_without_content(world: World) -> None:
    cast = world.cast
    services.share_assessments(cast.report, cast.manager)
    client = client_for(cast.manager)
    client.get(person_page(cast))
    client.get(person_page(cast))
    rows = list(AccessRecord.objects.filter(owner=cast.report))
    assert len(rows) == 2
    for row in rows:
        assert row.kind == Kind.ASSESSMENTS
        assert row.reader == cast.manager
        assert row.reader_name == "Maria Manager"
        assert row.via == person_page(cast)
        for text in (COACH_EVIDENCE, SELF_EVIDENCE, "Senior engineer"):
            assert text not in f"{row.reader_name} {row.via} {row.kind} {row}"


def test_the_coach_reading_what_they_wrote_is_not_recorded(world: World) -> None:
    cast = world.cast
    response = client_for(cast.coach).get(person_page(cast))
    assert COACH_EVIDENCE in html(response)
    assert SELF_EVIDENCE not in html(response)
    assert not AccessRecord.objects.exists()


def test_a_coach_who_is_also_a_sharee_reads_the_rest_and_that_is_recorded(world: World) -> None:
    cast = world.cast
    services.share_assessments(cast.report, cast.coach)
    assert SELF_EVIDENCE in html(client_for(cast.coach).get(person_page(cast)))
    assert AccessRecord.objects.filter(owner=cast.report, reader=cast.coach).count() == 1


def test_the_person_reading_their_own_is_not_recorded(world: World) -> None:
    client = client_for(world.cast.report)
    assert SELF_EVIDENCE in html(client.get(reverse("mastery:home")))
    client.get(person_page(world.cast))
    assert not AccessRecord.objects.exists()


def test_refused_reads_are_not_recorded(world: World) -> None:
    for role in ("manager", "admin", "hr", "outsider"):
        client_for(world.cast.everyone()[role]).get(person_page(world.cast))
    assert not AccessRecord.objects.exists()
