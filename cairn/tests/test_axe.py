"""axe-core, in Chromium, on the pages people use most and on the pages issue 10
added, at a desktop width and a phone width: no WCAG 2.1 A/AA violation."""

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
from cairn.mastery.tests.factories import import_example
from cairn.people.models import Person
from cairn.testing import Cast
from cairn.testing.browser import accessibility_problems, sign_in
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
        track.competencies.first(),  # type: ignore[arg-type]
        track.levels.first(),  # type: ignore[arg-type]
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
