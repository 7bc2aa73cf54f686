from __future__ import annotations

from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.mastery import services
from cairn.mastery.models import Competency
from cairn.mastery.tests.factories import canary_framework, grant, import_example
from cairn.testing import Cast, client_for
from cairn.testing.accessibility import problems


def test_every_mastery_page_is_labelled_for_screen_readers(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    services.record_assessment(
        cast.coach,
        cast.report,
        framework.competencies.get(name="Delivery"),
        track.levels.get(name="Engineer"),
        evidence="Seen in March",
    )
    services.record_assessment(
        cast.report,
        cast.report,
        framework.competencies.get(name="Delivery"),
        track.levels.get(name="Engineer"),
        evidence="I think so too",
    )
    services.share_assessments(cast.report, cast.manager)
    coach, admin, report = client_for(cast.coach), client_for(cast.admin), client_for(cast.report)
    pages = [
        (report, reverse("mastery:home")),
        (report, reverse("mastery:home") + "?q=pe"),
        (report, reverse("mastery:home") + "?q=p"),
        (admin, reverse("mastery:grant") + f"?person={cast.report.code}"),
        (coach, reverse("mastery:home")),
        (admin, reverse("mastery:home")),
        (report, reverse("mastery:ladder", args=["library"])),
        (admin, reverse("mastery:ladder-new")),
        (coach, reverse("mastery:grant")),
        (coach, reverse("mastery:person", args=[cast.report.code])),
        (client_for(cast.manager), reverse("mastery:person", args=[cast.report.code])),
        (coach, reverse("mastery:framework", args=[framework.code])),
        (admin, reverse("mastery:framework-import")),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url
    # The pages with errors too.
    response = admin.post(reverse("mastery:ladder-new"), {"name": ""})
    assert response.status_code == 422
    assert problems(response.content.decode()) == []
    response = report.post(reverse("mastery:share-add"), {"person": str(cast.outsider.code)})
    assert response.status_code == 422
    assert problems(response.content.decode()) == []


def test_competency_coaching_pages_are_labelled_for_screen_readers(cast: Cast) -> None:
    framework = canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    session = make_session(engagement)
    competency = Competency.objects.get(framework=framework, name="Canary competency 0")
    services.add_engagement_competency(cast.coach, engagement, competency)
    coach, report = client_for(cast.coach), client_for(cast.report)
    add = reverse("mastery:engagement-competency-add", args=[engagement.code])
    remove = reverse(
        "mastery:engagement-competency-remove", args=[engagement.code, competency.code]
    )
    answers = [
        coach.get(reverse("coaching:engagement", args=[engagement.code])),
        report.get(reverse("coaching:session", args=[session.code])),
        # The section with its error, on a page of its own, and the question asked
        # before removing, both without JavaScript.
        coach.post(add, {"competency": "nonsense"}),
        coach.post(remove),
    ]
    coaching.close_engagement(cast.coach, engagement)
    answers.append(report.get(reverse("coaching:engagement", args=[engagement.code])))
    for response in answers:
        assert response.status_code in (200, 422)
        assert problems(response.content.decode()) == [], response.wsgi_request.path
    assert "Which behaviours changed?" in answers[-1].content.decode()
