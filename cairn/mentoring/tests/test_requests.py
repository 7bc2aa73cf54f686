"""Mentor profiles and requests with mutual consent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.coaching.tests.factories import make_engagement
from cairn.mentoring import services
from cairn.mentoring.models import MentoringRequest, MentorProfile, RequestStatus
from cairn.mentoring.tests.factories import CHALLENGE, make_profile, make_request
from cairn.testing import Cast, client_for, make_person


def test_accepted_request_becomes_an_agreed_mentoring_engagement(cast: Cast) -> None:
    request = make_request(cast.report, cast.coach)
    services.answer_request(cast.coach, request, accept=True, message="Gladly")
    engagement = Engagement.objects.get(giver=cast.coach, receiver=cast.report)
    assert engagement.kind == EngagementKind.MENTORING
    assert engagement.status == EngagementStatus.AGREED
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.engagement == engagement


def test_declined_request_starts_nothing(cast: Cast) -> None:
    request = make_request(cast.report, cast.coach)
    services.answer_request(cast.coach, request, accept=False, message="Not this quarter")
    assert not Engagement.objects.filter(giver=cast.coach, kind=EngagementKind.MENTORING).exists()
    assert MentoringRequest.objects.get().response == "Not this quarter"


def test_only_the_addressed_mentor_answers(cast: Cast) -> None:
    request = make_request(cast.report, cast.coach)
    for person in (cast.report, cast.manager, cast.program_admin):
        response = client_for(person).post(
            reverse("mentoring:request-answer", args=[request.code]), {"decision": "accept"}
        )
        assert response.status_code == 404
    assert MentoringRequest.objects.get().status == RequestStatus.PENDING


def test_cannot_ask_a_mentor_without_open_capacity(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1)
    make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING)
    with pytest.raises(ValidationError, match="no room"):
        services.send_request(cast.report, cast.coach, challenge=CHALLENGE, goals="x")


def test_a_second_pending_request_between_the_same_two_is_refused(cast: Cast) -> None:
    make_request(cast.report, cast.coach)
    response = client_for(cast.report).post(
        reverse("mentoring:request-send", args=[MentorProfile.objects.get(person=cast.coach).code]),
        {"challenge": "Again", "goals": "Again"},
    )
    assert response.status_code == 422
    assert "already waiting" in response.content.decode()
    assert MentoringRequest.objects.count() == 1


def test_request_to_yourself_is_refused_with_a_message(cast: Cast) -> None:
    profile = make_profile(cast.coach)
    response = client_for(cast.coach).post(
        reverse("mentoring:request-send", args=[profile.code]),
        {"challenge": CHALLENGE, "goals": "Grow"},
    )
    assert response.status_code == 422
    assert "cannot ask yourself" in response.content.decode()
    assert not MentoringRequest.objects.exists()


def test_empty_request_says_what_is_missing(cast: Cast) -> None:
    profile = make_profile(cast.coach)
    response = client_for(cast.report).post(
        reverse("mentoring:request-send", args=[profile.code]), {"challenge": "", "goals": ""}
    )
    assert response.status_code == 422
    assert "Describe the challenge" in response.content.decode()
    assert not MentoringRequest.objects.exists()


@pytest.mark.parametrize("capacity", ["0", "1000", "many"])
def test_profile_capacity_out_of_range_is_refused(cast: Cast, capacity: str) -> None:
    response = client_for(cast.coach).post(
        reverse("mentoring:profile-edit"),
        {"helps_with": "Design", "capacity": capacity, "years_experience": "3", "status": "open"},
    )
    assert response.status_code == 422
    assert "capacity" in response.content.decode().lower()
    assert not MentorProfile.objects.exists()


def test_profile_saves_and_lists_in_the_directory(cast: Cast) -> None:
    response = client_for(cast.coach).post(
        reverse("mentoring:profile-edit"),
        {
            "helps_with": "Distributed systems",
            "capacity": "3",
            "years_experience": "12",
            "status": "open",
            "expertise": ["architecture", "security"],
            "outside_team": "on",
        },
    )
    assert response.status_code == 302
    page = client_for(cast.report).get(reverse("mentoring:directory"), {"tag": "security"})
    assert cast.coach.name in page.content.decode()
    assert "Room for 3 more" in page.content.decode()


def test_directory_filters_by_text_and_open_capacity(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1, helps="Kubernetes upgrades")
    make_profile(cast.peer, capacity=1, helps="Writing proposals")
    make_engagement(cast.peer, cast.director, EngagementKind.MENTORING)
    client = client_for(cast.report)
    found = client.get(reverse("mentoring:directory"), {"q": "kubernetes"}).content.decode()
    assert cast.coach.name in found
    assert cast.peer.name not in found
    with_room = client.get(reverse("mentoring:directory"), {"open": "on"}).content.decode()
    assert cast.coach.name in with_room
    assert cast.peer.name not in with_room


def test_paused_profile_cannot_be_asked(cast: Cast) -> None:
    make_profile(cast.coach)
    services.save_profile(
        cast.coach, services.ProfileData(helps_with="x", capacity=2, status="paused")
    )
    with pytest.raises(ValidationError):
        services.send_request(cast.report, cast.coach, challenge=CHALLENGE, goals="x")


def test_directory_empty_state_says_what_to_do(cast: Cast) -> None:
    page = client_for(cast.report).get(reverse("mentoring:directory")).content.decode()
    assert "offer to mentor" in page.lower()


def test_program_admin_adds_an_organisation_tag_others_cannot(cast: Cast) -> None:
    response = client_for(cast.program_admin).post(reverse("mentoring:tags"), {"name": "On-call"})
    assert response.status_code == 302
    assert client_for(cast.report).get(reverse("mentoring:tags")).status_code == 404
    other = make_person(cast.outsider.organisation, is_program_admin=True)
    assert "On-call" not in client_for(other).get(reverse("mentoring:tags")).content.decode()


def test_answering_twice_starts_one_engagement(cast: Cast) -> None:
    request = make_request(cast.report, cast.coach)
    client = client_for(cast.coach)
    url = reverse("mentoring:request-answer", args=[request.code])
    first = client.post(url, {"decision": "accept"})
    assert first.status_code == 302
    # A second click answers as the first did: to the one engagement it started.
    again = client.post(url, {"decision": "accept"})
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    assert Engagement.objects.filter(kind=EngagementKind.MENTORING).count() == 1
    stale = MentoringRequest.objects.get()
    engagement_id = stale.engagement_id
    stale.status = RequestStatus.PENDING  # as a second tab would still have it
    assert services.answer_request(cast.coach, stale, accept=True).engagement_id == engagement_id
    assert Engagement.objects.filter(kind=EngagementKind.MENTORING).count() == 1
    # Declining what was accepted is not the same answer: refused.
    with pytest.raises(PermissionDenied):
        services.answer_request(cast.coach, stale, accept=False)
