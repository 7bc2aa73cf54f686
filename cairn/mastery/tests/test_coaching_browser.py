"""Competency coaching in a real browser, with htmx and without JavaScript: the
coach chooses the competencies, the session shows their behaviours and the
receiver's shared assessment, removing one asks first, and the receiver's debrief
ticks the behaviours that changed. Then axe on those pages at both widths."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.mastery import services
from cairn.mastery.models import Competency, DebriefBehaviourChange, EngagementCompetency
from cairn.mastery.tests.factories import canary_framework
from cairn.testing import make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser

EVIDENCE = "self evidence: I let the silence work twice this week"


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_choosing_competencies_seeing_behaviours_and_ticking_them(
    open_page: Callable[..., Page], console: Console, javascript: bool
) -> None:
    cast = make_cast()
    framework = canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    session = make_session(engagement)
    listening = Competency.objects.get(framework=framework, name="Canary competency 0")
    level = framework.tracks.get().levels.get(rank=0)
    services.record_assessment(cast.report, cast.report, listening, level, evidence=EVIDENCE)
    services.share_assessments(cast.report, cast.coach)

    coach = open_page(java_script_enabled=javascript)
    sign_in(coach, cast.coach)
    coach.goto(reverse("coaching:engagement", args=[engagement.code]))
    section = coach.locator("#competencies")
    expect(section).to_contain_text("No competencies yet.")
    for name in ("Canary competency 0", "Canary competency 1"):
        coach.get_by_label("Add a competency").select_option(label=name)
        coach.get_by_role("button", name="Add", exact=True).click()
        expect(
            coach.get_by_role("status").filter(has_text=f"You now work on {name}.")
        ).to_be_visible()
    expect(section.get_by_role("listitem")).to_have_count(2)

    # Removing one asks first: the dialog with JavaScript, a page without.
    coach.get_by_role("button", name="Remove Canary competency 1").click()
    if javascript:
        coach.locator("#confirm-dialog-yes").click()
    else:
        expect(
            coach.get_by_role("heading", name="Stop working on Canary competency 1?")
        ).to_be_visible()
        coach.get_by_role("button", name="Remove it").click()
    expect(
        coach.get_by_role("status").filter(has_text="You no longer work on Canary competency 1.")
    ).to_be_visible()
    expect(section.get_by_role("listitem")).to_have_count(1)
    assert list(
        EngagementCompetency.objects.filter(engagement=engagement).values_list(
            "competency__name", flat=True
        )
    ) == ["Canary competency 0"]

    # The session shows the behaviours by level and the shared self-assessment.
    coach.goto(reverse("coaching:session", args=[session.code]))
    panel = coach.locator("#session-competencies")
    expect(panel).to_contain_text("canary behaviour 0 at level one")
    expect(panel).to_contain_text("canary behaviour 0 at level two")
    expect(panel).to_contain_text(EVIDENCE)
    expect(panel).not_to_contain_text("canary behaviour 1")

    # Once closed, the report's debrief asks which behaviours changed.
    coaching.close_engagement(cast.coach, engagement)
    report = open_page(java_script_enabled=javascript)
    sign_in(report, cast.report)
    report.goto(reverse("coaching:engagement", args=[engagement.code]))
    report.get_by_label("Your greatest learnings").fill("Silence is an answer too")
    report.get_by_label("Transformational").check()
    report.get_by_label("Canary level two: canary behaviour 0 at level two").check()
    report.get_by_role("button", name="Save my debrief").click()
    debrief = report.locator("#debrief")
    expect(debrief).to_contain_text("Behaviours that changed")
    expect(debrief).to_contain_text("Canary level two: canary behaviour 0 at level two")
    assert list(DebriefBehaviourChange.objects.values_list("behaviour__text", flat=True)) == [
        "canary behaviour 0 at level two"
    ]
    assert console.csp_violations() == []
    assert console.errors() == []


def test_competency_coaching_pages_pass_axe(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    framework = canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    session = make_session(engagement)
    competency = Competency.objects.get(framework=framework, name="Canary competency 0")
    services.add_engagement_competency(cast.coach, engagement, competency)
    level = framework.tracks.get().levels.get(rank=0)
    services.record_assessment(cast.report, cast.report, competency, level, evidence=EVIDENCE)
    services.share_assessments(cast.report, cast.coach)
    closed = make_engagement(cast.peer, cast.report, EngagementKind.COMPETENCY_COACHING)
    services.add_engagement_competency(cast.peer, closed, competency)
    coaching.close_engagement(cast.peer, closed)
    pages = [
        (cast.coach, reverse("coaching:engagement", args=[engagement.code])),
        (cast.report, reverse("coaching:engagement", args=[engagement.code])),
        (cast.coach, reverse("coaching:session", args=[session.code])),
        (cast.report, reverse("coaching:session", args=[session.code])),
        # The debrief form with its behaviours to tick.
        (cast.report, reverse("coaching:engagement", args=[closed.code])),
    ]
    found = {}
    for person, url in pages:
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[f"{person.name} {url}"] = problems
    assert found == {}
