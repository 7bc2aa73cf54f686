"""Competency coaching with competencies (issue 12, point 3): the engagement names
the competencies it works on; its sessions show their behaviours and, when the
receiver shares them, the receiver's latest assessments; its debrief asks which
behaviours changed. Only the two parties see any of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import Debrief, Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.mastery import services
from cairn.mastery.forms import DEBRIEF_FIELD, behaviour_key
from cairn.mastery.models import (
    Behaviour,
    Competency,
    DebriefBehaviourChange,
    EngagementCompetency,
    Framework,
)
from cairn.mastery.tests.factories import canary_framework
from cairn.people.models import User
from cairn.testing import ROLES, Cast, client_for, html, htmx, make_org
from cairn.trust.models import AccessRecord, Kind

COMPETENCY = "Canary competency 0"
OTHER_COMPETENCY = "Canary competency 1"
BEHAVIOUR = "canary behaviour 0 at level one"
SELF_EVIDENCE = "self evidence: I now wait for the end of the question"
COACH_EVIDENCE = "coach evidence: waited through a long silence in March"
PARTIES = {"coach", "report"}


@dataclass
class World:
    cast: Cast
    framework: Framework
    engagement: Engagement
    session: Session
    competency: Competency


@pytest.fixture
def world(cast: Cast) -> World:
    framework = canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    competency = Competency.objects.get(framework=framework, name=COMPETENCY)
    services.add_engagement_competency(cast.coach, engagement, competency)
    return World(cast, framework, engagement, make_session(engagement), competency)


def engagement_url(world: World) -> str:
    return reverse("coaching:engagement", args=[world.engagement.code])


def session_url(world: World) -> str:
    return reverse("coaching:session", args=[world.session.code])


def add_url(world: World) -> str:
    return reverse("mastery:engagement-competency-add", args=[world.engagement.code])


def remove_url(world: World, competency: Competency) -> str:
    return reverse(
        "mastery:engagement-competency-remove", args=[world.engagement.code, competency.code]
    )


def assess_both(world: World) -> None:
    track = world.framework.tracks.get()
    one, two = track.levels.order_by("rank")
    report, coach = world.cast.report, world.cast.coach
    services.record_assessment(coach, report, world.competency, two, evidence=COACH_EVIDENCE)
    services.record_assessment(report, report, world.competency, one, evidence=SELF_EVIDENCE)


# --- choosing them ------------------------------------------------------------------------


def test_either_party_adds_a_competency_from_their_framework(world: World) -> None:
    other = Competency.objects.get(framework=world.framework, name=OTHER_COMPETENCY)
    report = client_for(world.cast.report)
    page = html(report.get(engagement_url(world)))
    assert "Competencies you work on" in page
    assert COMPETENCY in page
    # The select offers what is not named yet, grouped by framework.
    assert '<optgroup label="Canary framework">' in page
    assert f'value="{other.code}"' in page
    assert f'value="{world.competency.code}"' not in page

    response = report.post(add_url(world), {"competency": str(other.code)})
    assert response.status_code == 302
    assert response["Location"] == engagement_url(world) + "#competencies"
    link = EngagementCompetency.objects.get(engagement=world.engagement, competency=other)
    assert link.added_by == world.cast.report
    assert OTHER_COMPETENCY not in str(link)
    page = html(report.get(engagement_url(world)))
    assert f"You now work on {OTHER_COMPETENCY}." in page


def test_htmx_gets_the_section_back(world: World) -> None:
    other = Competency.objects.get(framework=world.framework, name=OTHER_COMPETENCY)
    response = htmx(client_for(world.cast.coach)).post(
        add_url(world), {"competency": str(other.code)}
    )
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith('<section class="card" id="competencies"')
    assert f"You now work on {OTHER_COMPETENCY}." in body


def test_removing_asks_first_without_javascript(world: World) -> None:
    coach = client_for(world.cast.coach)
    response = coach.post(remove_url(world, world.competency))
    assert response.status_code == 200
    assert response["X-Cairn-Confirm"] == "ask"
    assert f"Stop working on {COMPETENCY}?" in html(response)
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1

    response = coach.post(remove_url(world, world.competency), {"confirmed": "yes"})
    assert response.status_code == 302
    assert not EngagementCompetency.objects.filter(engagement=world.engagement).exists()
    page = html(coach.get(engagement_url(world)))
    assert f"You no longer work on {COMPETENCY}." in page
    assert "No competencies yet." in page


def test_the_remove_button_asks_with_javascript(world: World) -> None:
    page = html(client_for(world.cast.report).get(engagement_url(world)))
    assert f'data-confirm="Stop working on {COMPETENCY}?"' in page
    assert 'data-confirm-button="Remove it"' in page


def test_a_competency_of_another_organisation_is_refused(world: World) -> None:
    theirs = canary_framework(make_org(), name="Elsewhere")
    foreign = Competency.objects.filter(framework=theirs).first()
    assert foreign is not None
    response = client_for(world.cast.coach).post(add_url(world), {"competency": str(foreign.code)})
    assert response.status_code == 422
    assert "Choose one of the competencies listed." in html(response)
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1


@pytest.mark.parametrize("value", ["", "not-a-code", "00000000-0000-0000-0000-000000000000"])
def test_a_competency_not_in_the_list_is_refused(world: World, value: str) -> None:
    response = htmx(client_for(world.cast.coach)).post(add_url(world), {"competency": value})
    assert response.status_code == 422
    body = html(response)
    assert "Choose" in body
    assert "competenc" in body
    assert 'id="competencies"' in body
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1


def test_a_competency_named_already_is_not_offered_again(world: World) -> None:
    response = client_for(world.cast.coach).post(
        add_url(world), {"competency": str(world.competency.code)}
    )
    assert response.status_code == 422
    assert "Choose one of the competencies listed." in html(response)
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1


def test_at_most_a_handful_at_once(cast: Cast) -> None:
    framework = canary_framework(cast.org, competencies=8)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    competencies = list(Competency.objects.filter(framework=framework))
    for competency in competencies[:6]:
        services.add_engagement_competency(cast.report, engagement, competency)
    url = reverse("mastery:engagement-competency-add", args=[engagement.code])
    response = client_for(cast.coach).post(url, {"competency": str(competencies[6].code)})
    assert response.status_code == 422
    assert "Work on at most 6 competencies at once" in html(response)
    assert EngagementCompetency.objects.filter(engagement=engagement).count() == 6
    page = html(client_for(cast.coach).get(reverse("coaching:engagement", args=[engagement.code])))
    assert "remove one to add another" in page


def test_a_closed_engagement_keeps_its_competencies(world: World) -> None:
    other = Competency.objects.get(framework=world.framework, name=OTHER_COMPETENCY)
    coaching.close_engagement(world.cast.coach, world.engagement)
    coach = client_for(world.cast.coach)
    page = html(coach.get(engagement_url(world)))
    assert COMPETENCY in page
    assert "Add a competency" not in page
    assert "data-confirm" not in page
    response = coach.post(add_url(world), {"competency": str(other.code)})
    assert response.status_code == 422
    assert "This engagement has closed" in html(response)
    response = coach.post(remove_url(world, world.competency), {"confirmed": "yes"})
    assert response.status_code == 422
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1


def test_other_kinds_of_engagement_name_no_competencies(cast: Cast) -> None:
    canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    session = make_session(engagement)
    competency = Competency.objects.first()
    assert competency is not None
    coach = client_for(cast.coach)
    for url in (
        reverse("coaching:engagement", args=[engagement.code]),
        reverse("coaching:session", args=[session.code]),
        reverse("coaching:engagement", args=[one_on_one(cast.manager, cast.report).code]),
    ):
        page = html(client_for(cast.report).get(url))
        assert "Competencies you work on" not in page
        assert "Canary" not in page
    url = reverse("mastery:engagement-competency-add", args=[engagement.code])
    assert coach.post(url, {"competency": str(competency.code)}).status_code == 404
    assert not EngagementCompetency.objects.exists()


def test_many_frameworks_choose_the_framework_first(world: World) -> None:
    for n in range(4):
        canary_framework(world.cast.org, name=f"Extra{n}")
    coach = client_for(world.cast.coach)
    page = html(coach.get(engagement_url(world)))
    assert "Show its competencies" in page
    assert "Add a competency" not in page
    chosen = Framework.objects.get(organisation=world.cast.org, name="Extra2 framework")
    page = html(coach.get(engagement_url(world) + f"?framework={chosen.code}"))
    assert "Extra2 competency 0" in page
    assert "Extra1 competency 0" not in page
    assert f'name="framework" value="{chosen.code}"' in page
    # A competency of another framework than the one chosen is not on the list.
    wrong = Competency.objects.get(name="Extra1 competency 0")
    response = coach.post(
        add_url(world), {"framework": str(chosen.code), "competency": str(wrong.code)}
    )
    assert response.status_code == 422
    right = Competency.objects.get(name="Extra2 competency 0")
    response = coach.post(
        add_url(world), {"framework": str(chosen.code), "competency": str(right.code)}
    )
    assert response.status_code == 302
    assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 2


# --- on the session -----------------------------------------------------------------------


def test_the_session_shows_the_behaviours_by_level(world: World) -> None:
    page = html(client_for(world.cast.coach).get(session_url(world)))
    assert COMPETENCY in page
    assert "Canary level one" in page
    assert "Canary level two" in page
    assert BEHAVIOUR in page
    assert "canary behaviour 0 at level two" in page
    # Not the competencies the engagement does not name.
    assert "canary behaviour 1 at level one" not in page


def test_the_receiver_reads_their_own_latest_assessments_side_by_side(world: World) -> None:
    assess_both(world)
    page = html(client_for(world.cast.report).get(session_url(world)))
    assert SELF_EVIDENCE in page
    assert COACH_EVIDENCE in page
    assert "Your self-assessment" in page
    assert "by Cody Coach" in page
    assert not AccessRecord.objects.filter(owner=world.cast.report).exists()


def test_only_the_latest_assessment_of_each_side_shows(world: World) -> None:
    assess_both(world)
    level = world.framework.tracks.get().levels.get(rank=1)
    with_time = timezone.now() + dt.timedelta(minutes=5)
    services.record_assessment(
        world.cast.report,
        world.cast.report,
        world.competency,
        level,
        evidence="newer self words",
        now=with_time,
    )
    page = html(client_for(world.cast.report).get(session_url(world)))
    assert "newer self words" in page
    assert SELF_EVIDENCE not in page
    assert COACH_EVIDENCE in page


def test_the_coach_reads_assessments_only_when_shared(world: World) -> None:
    assess_both(world)
    coach = client_for(world.cast.coach)
    page = html(coach.get(session_url(world)))
    # Not even the one the coach wrote: the receiver decides what the room sees.
    assert SELF_EVIDENCE not in page
    assert COACH_EVIDENCE not in page
    assert "Riley keeps their assessments private" in page
    assert not AccessRecord.objects.filter(owner=world.cast.report).exists()

    services.share_assessments(world.cast.report, world.cast.coach)
    page = html(coach.get(session_url(world)))
    assert SELF_EVIDENCE in page
    assert COACH_EVIDENCE in page
    record = AccessRecord.objects.get(owner=world.cast.report)
    assert record.reader == world.cast.coach
    assert record.kind == Kind.ASSESSMENTS


# --- privacy over the cast ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_parties_see_the_competencies(world: World, role: str) -> None:
    assess_both(world)
    # The report shares their assessments with their manager: still not a party.
    services.share_assessments(world.cast.report, world.cast.manager)
    person = getattr(world.cast, role)
    client = client_for(person)
    canaries = (COMPETENCY, BEHAVIOUR, SELF_EVIDENCE, COACH_EVIDENCE)
    for url in (engagement_url(world), session_url(world)):
        response = client.get(url)
        body = html(response)
        if role in PARTIES:
            assert response.status_code == 200, url
            assert COMPETENCY in body
            if url == session_url(world):
                assert BEHAVIOUR in body
                # The evidence to the receiver; the coach has no share.
                assert (SELF_EVIDENCE in body) == (role == "report")
        else:
            assert response.status_code == 404, url
            assert not [c for c in canaries if c in body]
    other = Competency.objects.get(framework=world.framework, name=OTHER_COMPETENCY)
    add = client.post(add_url(world), {"competency": str(other.code)})
    remove = client.post(remove_url(world, world.competency), {"confirmed": "yes"})
    if role not in PARTIES:
        assert add.status_code == 404
        assert remove.status_code == 404
        assert not [c for c in canaries if c in html(add) + html(remove)]
        assert EngagementCompetency.objects.filter(engagement=world.engagement).count() == 1
    # Whoever looked, only the coach (through the share) leaves a read: the report's
    # manager's share opens their mastery page, not the coaching room.
    readers = set(
        AccessRecord.objects.filter(owner=world.cast.report).values_list("reader", flat=True)
    )
    assert readers <= {world.cast.coach.pk}


def test_the_managers_sponsor_summary_names_no_competency(world: World) -> None:
    response = client_for(world.cast.manager).get(
        reverse("coaching:sponsor-summary", args=[world.engagement.code])
    )
    assert COMPETENCY not in html(response)
    assert BEHAVIOUR not in html(response)


def test_a_superuser_who_is_a_person_sees_nothing(world: World) -> None:
    assess_both(world)
    User.objects.filter(pk=world.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    client = client_for(world.cast.admin)
    for url in (engagement_url(world), session_url(world)):
        response = client.get(url)
        assert response.status_code == 404
        assert COMPETENCY not in html(response)
        assert SELF_EVIDENCE not in html(response)


def test_a_superuser_without_a_person_sees_nothing(world: World) -> None:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    for url in (engagement_url(world), session_url(world)):
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert COMPETENCY not in html(response)
    response = client.get(f"/admin/people/person/{world.cast.report.pk}/delete/")
    assert COMPETENCY not in html(response)
    assert BEHAVIOUR not in html(response)


# --- the debrief --------------------------------------------------------------------------


def debrief_url(world: World) -> str:
    return reverse("coaching:debrief-write", args=[world.engagement.code])


def behaviour(world: World, text: str) -> Behaviour:
    return Behaviour.objects.select_related("competency", "level").get(
        competency__framework=world.framework, text=text
    )


def test_the_debrief_asks_which_behaviours_changed(world: World) -> None:
    coaching.close_engagement(world.cast.coach, world.engagement)
    report = client_for(world.cast.report)
    page = html(report.get(engagement_url(world)))
    assert "Which behaviours changed?" in page
    assert f"<legend>{COMPETENCY}</legend>" in page
    assert "Canary level one: canary behaviour 0 at level one" in page
    # Only the named competencies' behaviours.
    assert "canary behaviour 1 at level one" not in page

    ticked = behaviour(world, BEHAVIOUR)
    response = report.post(
        debrief_url(world),
        {
            "learnings": "canary learnings",
            "felt": "transformational",
            DEBRIEF_FIELD: [behaviour_key(ticked)],
        },
    )
    assert response.status_code == 302
    debrief = Debrief.objects.get(author=world.cast.report)
    change = DebriefBehaviourChange.objects.get(debrief=debrief)
    assert change.behaviour == ticked
    assert BEHAVIOUR not in str(change)
    page = html(report.get(engagement_url(world)))
    assert "Behaviours that changed" in page
    assert f"{COMPETENCY}</strong> · Canary level one: {BEHAVIOUR}" in page


def test_ticked_behaviours_are_as_blind_as_the_debrief(world: World) -> None:
    coaching.close_engagement(world.cast.coach, world.engagement)
    coach, report = client_for(world.cast.coach), client_for(world.cast.report)
    ticked = behaviour(world, "canary behaviour 0 at level two")
    response = coach.post(
        debrief_url(world),
        {
            "learnings": "coach learnings",
            "felt": "transformational",
            DEBRIEF_FIELD: [behaviour_key(ticked)],
        },
    )
    assert response.status_code == 302
    assert "canary behaviour 0 at level two</li>" in html(coach.get(engagement_url(world)))
    # The report has not written theirs: the coach's ticks stay hidden, as the debrief.
    page = html(report.get(engagement_url(world)))
    assert "Behaviours that changed" not in page
    report.post(debrief_url(world), {"learnings": "mine", "felt": "transformational"})
    page = html(report.get(engagement_url(world)))
    assert "Behaviours that changed" in page
    assert "canary behaviour 0 at level two</li>" in page


def test_a_behaviour_not_offered_refuses_the_whole_debrief(world: World) -> None:
    coaching.close_engagement(world.cast.coach, world.engagement)
    not_named = behaviour(world, "canary behaviour 1 at level one")
    for value in (behaviour_key(not_named), "nonsense", str(not_named.pk)):
        response = client_for(world.cast.report).post(
            debrief_url(world),
            {"learnings": "canary learnings", "felt": "transformational", DEBRIEF_FIELD: [value]},
        )
        assert response.status_code == 422
        assert "Choose among the behaviours of the competencies you worked on." in html(response)
        assert not Debrief.objects.filter(engagement=world.engagement).exists()
        assert not DebriefBehaviourChange.objects.exists()


def test_other_kinds_of_debrief_ask_nothing_of_behaviours(cast: Cast) -> None:
    canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    coaching.close_engagement(cast.coach, engagement)
    page = html(client_for(cast.report).get(reverse("coaching:engagement", args=[engagement.code])))
    assert "Write your debrief" in page
    assert "Which behaviours changed?" not in page


def test_the_service_refuses_behaviours_the_engagement_does_not_name(world: World) -> None:
    coaching.close_engagement(world.cast.coach, world.engagement)
    debrief = coaching.write_debrief(
        world.cast.report, world.engagement, learnings="x", felt="transformational"
    )
    with pytest.raises(ValidationError):
        services.record_behaviour_changes(
            world.cast.report, debrief, [behaviour(world, "canary behaviour 1 at level one")]
        )
    assert not DebriefBehaviourChange.objects.exists()


@pytest.mark.parametrize("model", ["engagementcompetency", "debriefbehaviourchange"])
def test_django_admin_has_no_page_for_them(world: World, model: str) -> None:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    for url in (f"/admin/mastery/{model}/", f"/admin/mastery/{model}/add/"):
        assert client.get(url).status_code == 404, url
