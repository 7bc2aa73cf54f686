"""axe-core, in Chromium, on the pages people use most and on the pages issue 10
added, at a desktop width and a phone width: no WCAG 2.1 A/AA violation; and on every
main page for four roles (report, manager, org admin, HR — and the program admin's
pages), at 1280 px and 390 px with the phone's menu open: no serious or critical one."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cairn.coaching.tests.factories import make_agenda_item, make_session, one_on_one
from cairn.evaluation.tests.factories import build_evaluation
from cairn.export import document as doc
from cairn.export import services as export
from cairn.mastery import services as mastery
from cairn.mastery.models import Competency
from cairn.mastery.tests.factories import import_example
from cairn.people.models import Person
from cairn.testing import Cast
from cairn.testing.browser import AXE_SOURCE, AXE_TAGS, WIDTHS, accessibility_problems, sign_in
from cairn.tests.main_pages import ROLES, build_main_pages
from cairn.trust.models import AccessRecord, Kind

pytestmark = pytest.mark.browser

Pages = list[tuple[Person, str]]


def pages(cast: Cast) -> Pages:
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.manager, "What I am working through this month")
    return [
        (cast.manager, reverse("home")),
        (cast.manager, reverse("coaching:session", args=[session.code])),
        (cast.manager, reverse("coaching:engagement", args=[session.engagement.code])),
        (cast.report, reverse("people:person", args=[cast.report.code])),
        (cast.admin, reverse("people:manage")),
    ]


def trust_pages(cast: Cast) -> Pages:
    """Issue 10's pages, each with something on it."""
    AccessRecord.objects.create(
        organisation=cast.org,
        owner=cast.report,
        reader=cast.manager,
        reader_name=cast.manager.name,
        kind=Kind.DEVELOPMENT_PLAN,
        via="/growth/shared/",
    )
    framework = import_example(cast.org)
    track = framework.tracks.first()
    assert track is not None
    mastery.record_assessment(
        cast.report,
        cast.report,
        Competency.objects.filter(track_links__track=track).first(),  # type: ignore[arg-type]
        track.levels.first(),
        evidence="Led the incident review",
    )
    mastery.share_assessments(cast.report, cast.manager)
    evaluation = build_evaluation(cast)
    data = doc.dumps(doc.export_document(cast.report)).encode()
    pending, _ = export.stash_upload(cast.report, io.BytesIO(data), len(data))
    return [
        (cast.report, reverse("trust:log")),
        (cast.report, reverse("mastery:home")),
        (cast.manager, reverse("mastery:person", args=[cast.report.code])),
        (cast.report, reverse("evaluation:home")),
        (cast.manager, reverse("evaluation:review", args=[evaluation.review.code])),
        (cast.hr, reverse("evaluation:cycles")),
        (cast.hr, reverse("evaluation:cycle", args=[evaluation.cycle.code])),
        (cast.report, reverse("export:import-preview", args=[pending.code])),
    ]


def test_pages_pass_axe_at_desktop_and_phone_widths(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    found: dict[str, dict[int, list[str]]] = {}
    for person, url in pages(cast) + trust_pages(cast):
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}, "\n".join(
        f"{url} at {w}px: {v}" for url, by in found.items() for w, vs in by.items() for v in vs
    )


SERIOUS = ("serious", "critical")


def serious_violations(page: Page) -> list[str]:
    """What axe-core finds of serious or critical impact on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "([tags, impacts]) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.filter(v => impacts.includes(v.impact))"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))",
        [AXE_TAGS, list(SERIOUS)],
    )
    return [f"{v['id']}: {v['help']} — {v['nodes'][:5]}" for v in result]


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_passes_axe_for_each_role_at_both_widths(
    cast: Cast, open_page: Callable[..., Page], role: str
) -> None:
    # One page reused for all the role's URLs, both widths.
    pages = build_main_pages(cast)
    assert set(pages.by_role) == set(ROLES)  # a role added there is checked here
    urls = pages.by_role[role]
    found: list[str] = []
    checked = 0
    page = open_page()
    sign_in(page, getattr(cast, role))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(url)
            assert response is not None, url
            assert response.ok, f"{role} {url}: {response.status}"
            checked += 1
            found += [f"{role} {url} at {width}px: {v}" for v in serious_violations(page)]
        # The menu open on a phone: its links are checked too.
        if width < 600:
            page.locator("summary", has_text="Menu").click()
            found += [f"{role} menu at {width}px: {v}" for v in serious_violations(page)]
    assert checked == 2 * len(urls) >= 2 * (4 if role == "program_admin" else 20)
    assert found == [], "\n".join(found)


def test_axe_finds_what_it_looks_for(open_page: Callable[..., Page]) -> None:
    # The control: a page with an unlabelled field and an image without text.
    page = open_page()
    page.goto("/login/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<input id=nolabel><img src=x.png>')"
    )
    from cairn.testing.browser import axe_violations

    rules = {line.split(":")[0] for line in axe_violations(page)}
    assert {"label", "image-alt"} <= rules
