"""Your data in a real browser: the upload imports in place with htmx, the same
upload works without JavaScript, and the printable page keeps the strict CSP."""

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
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser

NOTE = "kept: notes from my old mentor"


def export_file(tmp_path: Path, person: Person, body: str = NOTE) -> Path:
    document = doc.export_document(person)
    document["sections"]["old_notes"] = [{"body": body}, {"body": "second"}]
    path = tmp_path / "export.json"
    path.write_text(doc.dumps(document), encoding="utf-8")
    return path


def test_an_upload_imports_in_place(page: Page, console: Console, tmp_path: Path) -> None:
    cast = make_cast()
    sign_in(page, cast.report)
    page.goto("/export/")
    page.evaluate("window.cairnNoReload = 'same page'")
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    page.get_by_role("button", name="Import").click()

    result = page.locator("#import [role=status]").first
    expect(result).to_contain_text("Imported 2 items from your export of")
    expect(page.locator("#import")).to_contain_text("Old notes: 2 (kept as imported")
    # What is included, beside it, now lists the kept section too.
    expect(page.locator("#included")).to_contain_text("Old notes 2")
    expect(page.locator("#included")).to_have_count(1)
    assert page.evaluate("window.cairnNoReload") == "same page"
    assert ImportedItem.objects.filter(person=cast.report).count() == 2

    # The same file again: refused, in place, with the reason.
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import [role=alert]")).to_contain_text("would duplicate it")
    assert ImportedItem.objects.filter(person=cast.report).count() == 2
    # The refusal answers 422, which Chromium logs; nothing else went wrong.
    assert all("status of 422" in m for m in console.errors()), console.errors()
    assert console.csp_violations() == []


def test_the_upload_works_without_javascript(
    open_page: Callable[..., Page], console: Console, tmp_path: Path
) -> None:
    cast = make_cast()
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto("/export/")
    page.get_by_label("Export file (.json)").set_input_files(export_file(tmp_path, cast.report))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
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
