"""The one-on-one as the practice runs it, in a real browser (issue 12, points 1 and
2): the leader reads "share first" prompts and tips, the report the questions; the
report's shared mission statement is in the Dreams section and an unshared one is
not; an action item towards an objective, done in the session, shows on the plan.
axe finds nothing on the session page at 1280 and 390 px, as leader and as report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.coaching.models import ActionItem, EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.growth import services
from cairn.growth.models import ObjectiveActionItem
from cairn.testing import make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser

LEADER_PROMPT = "Share first: what has been on your mind since you last met."
QUESTION = "What has been on your mind since we last met?"
TIP = "Let silence work: count to five before you fill a pause."
MISSION = "I make hard systems simple and help the people around me grow."
DREAMS = "Speak at a conference about our platform one day."
OBJECTIVE = "Lead the design of the deploy pipeline"
ITEM = "Pair with the platform team on the rollback design"


def test_the_leader_shares_first_and_the_report_reads_the_questions(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    session = make_session(one_on_one(cast.manager, cast.report))
    url = reverse("coaching:session", args=[session.code])

    leader = open_page()
    sign_in(leader, cast.manager)
    leader.goto(url)
    template = leader.locator("section.template")
    expect(template).to_contain_text("You lead this session: share first.")
    expect(template.get_by_text(LEADER_PROMPT)).to_be_visible()
    expect(template.get_by_text(QUESTION)).to_have_count(0)
    expect(template.get_by_text(TIP)).to_be_visible()

    # Tips put away with htmx stay put away on the next visit, and come back.
    template.get_by_role("button", name="Hide tips").click()
    expect(template.get_by_role("button", name="Show practice tips")).to_be_visible()
    expect(template.get_by_text(TIP)).to_have_count(0)
    assert leader.url.endswith(url)
    leader.reload()
    expect(leader.get_by_text(TIP)).to_have_count(0)
    leader.get_by_role("button", name="Show practice tips").click()
    expect(leader.get_by_text(TIP)).to_be_visible()

    report = open_page()
    sign_in(report, cast.report)
    report.goto(url)
    template = report.locator("section.template")
    expect(template).to_contain_text(f"{cast.manager.name} leads this session")
    expect(template.get_by_text(QUESTION)).to_be_visible()
    expect(template.get_by_text(LEADER_PROMPT)).to_have_count(0)
    expect(template.get_by_text(TIP)).to_have_count(0)

    assert console.csp_violations() == []
    assert console.errors() == []


def test_tips_hide_and_show_without_javascript(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    session = make_session(one_on_one(cast.manager, cast.report))
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.manager)
    page.goto(reverse("coaching:session", args=[session.code]))
    with page.expect_navigation():
        page.get_by_role("button", name="Hide tips").click()
    expect(page.get_by_text(TIP)).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Show practice tips").click()
    expect(page.get_by_text(TIP)).to_be_visible()


def test_a_shared_mission_is_in_the_dreams_section_and_an_unshared_one_is_not(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    services.save_mission_statement(cast.report, text=MISSION)
    services.save_plan(cast.report, dreams=DREAMS, become="")
    services.share(cast.report, cast.coach)
    coaching = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    one_to_one = make_session(one_on_one(cast.manager, cast.report))

    coach = open_page()
    sign_in(coach, cast.coach)
    coach.goto(reverse("coaching:session", args=[coaching.code]))
    dreams = coach.locator("#session-dreams")
    expect(dreams).to_contain_text(MISSION)
    expect(dreams).to_contain_text(DREAMS)
    dreams.get_by_role("link", name=f"{cast.report.first_name}’s development plan").click()
    expect(coach.get_by_role("heading", level=1)).to_contain_text(cast.report.name)

    manager = open_page()
    sign_in(manager, cast.manager)
    manager.goto(reverse("coaching:session", args=[one_to_one.code]))
    dreams = manager.locator("#session-dreams")
    expect(dreams).to_contain_text(
        f"{cast.report.name} keeps the mission statement and plan private."
    )
    expect(manager.get_by_text(MISSION)).to_have_count(0)
    expect(manager.get_by_text(DREAMS)).to_have_count(0)

    assert console.csp_violations() == []
    assert console.errors() == []


def test_an_item_towards_an_objective_done_in_the_session_shows_on_the_plan(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    services.add_objective(cast.report, what=OBJECTIVE)
    services.share(cast.report, cast.coach)
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    due = timezone.localdate() + dt.timedelta(days=14)

    coach = open_page()
    sign_in(coach, cast.coach)
    coach.goto(reverse("coaching:session", args=[session.code]))
    actions = coach.locator("#actions")
    actions.get_by_label("What").fill(ITEM)
    actions.get_by_label("By when").fill(due.isoformat())
    actions.get_by_label("Towards objective").select_option(label=OBJECTIVE)
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.locator(".action-item")).to_contain_text(ITEM)
    assert ObjectiveActionItem.objects.filter(action_item__description=ITEM).exists()

    report = open_page()
    sign_in(report, cast.report)
    report.goto(reverse("coaching:session", args=[session.code]))
    expect(report.locator("#growth-objectives")).to_contain_text(OBJECTIVE)
    report.locator("#actions").get_by_role("button", name=f"Mark “{ITEM}” done").click()
    expect(report.locator("#actions .action-item.done")).to_contain_text(ITEM)
    done_at = ActionItem.objects.get(description=ITEM).done_at
    assert done_at is not None

    report.goto(reverse("growth:plan"))
    expect(report.locator(".progress")).to_contain_text(
        f"Done in the session on {timezone.localtime(done_at):%-d %b}: {ITEM}"
    )

    assert console.csp_violations() == []
    assert console.errors() == []


def test_the_session_page_passes_axe_as_leader_and_as_report(
    open_page: Callable[..., Page],
) -> None:
    cast = make_cast()
    services.save_mission_statement(cast.report, text=MISSION)
    services.add_objective(cast.report, what=OBJECTIVE)
    services.share(cast.report, cast.coach)
    sessions = {
        "one-on-one": make_session(one_on_one(cast.manager, cast.report)),
        "coaching": make_session(make_engagement(cast.coach, cast.report)),
    }
    found: dict[str, dict[int, list[str]]] = {}
    for name, session in sessions.items():
        for person in (session.engagement.giver, session.engagement.receiver):
            page = open_page()
            sign_in(page, person)
            url = reverse("coaching:session", args=[session.code])
            problems = accessibility_problems(page, url)
            if any(problems.values()):
                found[f"{name} as {person.name}"] = problems
    assert found == {}, found
