"""Your data in a real browser: an upload shows whose export it is, then imports;
the same works without JavaScript, the preview fits a phone, and the printable page
keeps the strict CSP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cairn.export import document as doc
from cairn.export.models import ImportedItem
from cairn.growth import services as growth
from cairn.people.models import Person
from cairn.testing import make_cast
from cairn.testing.accessibility import problems
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser

NOTE = "kept: notes from my old mentor"


def export_file(tmp_path: Path, person: Person, body: str = NOTE) -> Path:
    document = doc.export_document(person)
    document["sections"]["old_notes"] = [{"body": body}, {"body": "second"}]
    path = tmp_path / "export.json"
    path.write_text(doc.dumps(document), encoding="utf-8")
    return path


def test_an_upload_shows_whose_export_it_is_then_imports(
    page: Page, console: Console, tmp_path: Path
) -> None:
    cast = make_cast()
    sign_in(page, cast.report)
    page.goto("/export/")
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    page.get_by_role("button", name="Upload and check").click()

    # htmx goes to the preview: whose export, and how much it holds; nothing imported.
    expect(page.get_by_role("heading", level=1)).to_have_text("Whose export is this?")
    expect(page.locator("dl")).to_contain_text("Riley Report")
    expect(page.locator("dl")).to_contain_text("Acme")
    expect(page.get_by_text(NOTE)).to_have_count(0)
    assert ImportedItem.objects.count() == 0
    page.get_by_role("button", name="Import 2 items").click()
    expect(page.locator(".messages")).to_contain_text("Imported 2 items")
    expect(page.locator("#included")).to_contain_text("Old notes 2")
    assert ImportedItem.objects.filter(person=cast.report).count() == 2

    # Someone else's export: refused in place, saying whose it is.
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.manager))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#import [role=alert]")).to_contain_text(
        "This is the export of Maria Manager"
    )
    assert ImportedItem.objects.count() == 2
    # The refusal answers 422, which Chromium logs; nothing else went wrong.
    assert all("status of 422" in m for m in console.errors()), console.errors()
    assert console.csp_violations() == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_fits_the_screen(
    open_page: Callable[..., Page], console: Console, tmp_path: Path, width: int
) -> None:
    cast = make_cast()
    page = open_page(viewport={"width": width, "height": 800})
    sign_in(page, cast.report)
    page.goto("/export/")
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Whose export is this?")
    # Nothing of the page's own sideways off the screen. (The site's navigation is
    # base.html's, and at 390 px it overflows on every page: not this page's.)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + ' ' + e.className)"
    )
    assert wide == []
    # Both choices within reach.
    for name in ("Import 2 items", "Cancel and delete the upload"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box is not None, name
        assert 0 <= box["x"] <= box["x"] + box["width"] <= width, name
    assert problems(page.content()) == []
    assert console.csp_violations() == []
    assert console.errors() == []


def test_the_upload_works_without_javascript(
    open_page: Callable[..., Page], console: Console, tmp_path: Path
) -> None:
    cast = make_cast()
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto("/export/")
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("dl")).to_contain_text("Riley Report")
    with page.expect_navigation():
        page.get_by_role("button", name="Import 2 items").click()
    expect(page.locator(".messages")).to_contain_text("Imported 2 items")
    page.goto("/export/print/")
    expect(page.get_by_role("heading", level=2, name="Old notes")).to_be_visible()
    expect(page.locator("dd", has_text=NOTE)).to_be_visible()
    assert console.csp_violations() == []


def test_the_printable_page_keeps_the_policy(page: Page, console: Console) -> None:
    cast = make_cast()
    growth.save_plan(cast.report, dreams="lead a platform team", become="a calm leader")
    sign_in(page, cast.report)
    page.goto("/export/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riley Report")
    expect(page.locator("dd", has_text="lead a platform team")).to_be_visible()
    # The print stylesheet applied: definition lists are laid out as a grid.
    assert page.eval_on_selector("dl", "e => getComputedStyle(e).display") == "grid"
    assert console.csp_violations() == []
    assert console.errors() == []
