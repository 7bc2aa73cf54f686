"""Query counts of mastery's panels on the coaching pages: the same for an
engagement naming one competency as for one naming the most it may, with all
their behaviours, assessments and ticked debrief behaviours. Two engagements built
alike, between four new people, so that everything but the number of rows is the
same (notifications in the bell included)."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.models import Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.mastery import policy, services
from cairn.mastery.forms import DEBRIEF_FIELD, behaviour_key
from cairn.mastery.models import Competency, FrameworkLevel
from cairn.mastery.tests.factories import canary_framework
from cairn.testing import Cast, client_for, count_queries, make_person

MANY = policy.ENGAGEMENT_COMPETENCIES_MAX
# Each whole page's own queries (coaching's, the bell's) and the panels' few: the
# engagement section reads the links, the frameworks and the choices; the session
# section the links, their behaviours, the share and the latest assessments (and, for
# the giver, the read in the receiver's access log); each debrief its ticks.
# The session page includes growth's panels (Dreams, objectives) and the tips.
BOUNDS = {"engagement": 16, "session": 26, "closed": 14, "add": 12}


@dataclass
class Side:
    engagement: Engagement
    session: Session


def build(cast: Cast, competencies: list[Competency], levels: list[FrameworkLevel]) -> Side:
    giver, receiver = make_person(cast.org), make_person(cast.org)
    engagement = make_engagement(giver, receiver, EngagementKind.COMPETENCY_COACHING)
    for competency in competencies:
        services.add_engagement_competency(giver, engagement, competency)
        for level in levels:
            services.record_assessment(receiver, receiver, competency, level, evidence="self")
            services.record_assessment(giver, receiver, competency, level, evidence="coach")
    services.share_assessments(receiver, giver)
    return Side(engagement, make_session(engagement))


def sides(cast: Cast, many: int = MANY) -> tuple[Side, Side]:
    framework = canary_framework(cast.org, competencies=MANY + 1)
    competencies = list(Competency.objects.filter(framework=framework).order_by("position"))
    levels = list(FrameworkLevel.objects.filter(track__framework=framework).order_by("rank"))
    return build(cast, competencies[:1], levels[:1]), build(cast, competencies[:many], levels)


def test_the_engagement_and_session_pages_stay_flat(cast: Cast) -> None:
    # One short of the most, so that both pages offer the add form (a full
    # engagement's page skips it and costs less).
    one, many = sides(cast, many=MANY - 1)
    counts: dict[str, list[int]] = {"engagement": [], "session": []}
    for side in (one, many):
        for person in (side.engagement.giver, side.engagement.receiver):
            client = client_for(person)
            engagement = reverse("coaching:engagement", args=[side.engagement.code])
            session = reverse("coaching:session", args=[side.session.code])
            assert "Competencies you work on" in client.get(engagement).content.decode()
            counts["engagement"].append(count_queries(lambda: client.get(engagement)))  # noqa: B023
            counts["session"].append(count_queries(lambda: client.get(session)))  # noqa: B023
    for page, found in counts.items():
        # giver and receiver differ (only the giver's read is recorded); each is the
        # same at one competency as at many.
        assert found[0] == found[2], (page, found)
        assert found[1] == found[3], (page, found)
        assert max(found) <= BOUNDS[page], (page, found)


def test_the_closed_engagement_with_its_debriefs_stays_flat(cast: Cast) -> None:
    counts = []
    for side in sides(cast):
        engagement = side.engagement
        coaching.close_engagement(engagement.giver, engagement)
        behaviours = list(policy.engagement_behaviours(engagement.giver, engagement))
        for person in (engagement.giver, engagement.receiver):
            response = client_for(person).post(
                reverse("coaching:debrief-write", args=[engagement.code]),
                {
                    "learnings": "learned",
                    "felt": "transformational",
                    DEBRIEF_FIELD: [behaviour_key(b) for b in behaviours],
                },
            )
            assert response.status_code == 302
        client = client_for(engagement.receiver)
        url = reverse("coaching:engagement", args=[engagement.code])
        assert client.get(url).content.decode().count("Behaviours that changed") == 2
        counts.append(count_queries(lambda: client.get(url)))  # noqa: B023
    assert counts[0] == counts[1]
    assert counts[0] <= BOUNDS["closed"]


def test_adding_a_competency_stays_flat(cast: Cast) -> None:
    framework = canary_framework(cast.org, competencies=MANY + 1, name="Added")
    extra = Competency.objects.get(framework=framework, name=f"Added competency {MANY}")
    counts = []
    for side in sides(cast, many=MANY - 1):
        client = client_for(side.engagement.giver)
        url = reverse("mastery:engagement-competency-add", args=[side.engagement.code])
        statuses: list[int] = []

        def add(client: Client = client, url: str = url, statuses: list[int] = statuses) -> None:
            statuses.append(client.post(url, {"competency": str(extra.code)}).status_code)

        counts.append(count_queries(add))
        assert statuses == [302]
    assert counts[0] == counts[1]
    assert counts[0] <= BOUNDS["add"]
