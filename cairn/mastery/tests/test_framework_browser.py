"""Updating a framework in a real browser, with JavaScript and without: the file,
the differences it makes (checked by axe at desktop and phone widths), then the
import once confirmed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cairn.mastery.models import Framework
from cairn.mastery.services import import_framework_into
from cairn.testing import make_cast
from cairn.testing.browser import WIDTHS, Console, axe_violations, sign_in

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[3] / "docs" / "frameworks"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_admin_sees_what_a_file_changes_then_imports_it(
    open_page: Callable[..., Page], console: Console, javascript: bool, tmp_path: Path
) -> None:
    cast = make_cast()
    text = (DOCS / "engineering-ladder.yaml").read_text()
    import_framework_into(cast.org, text.encode(), filename="ladder.yaml")
    changed = tmp_path / "ladder.yaml"
    changed.write_text(text.replace("name: Technical craft", "name: Engineering craft"))

    admin = open_page(java_script_enabled=javascript)
    sign_in(admin, cast.admin)
    admin.goto("/mastery/frameworks/import/")
    admin.get_by_label("Framework file").set_input_files(str(changed))
    admin.get_by_role("button", name="Import").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "What the file changes in Engineering ladder"
    )
    expect(admin.get_by_role("list", name="Renamed")).to_contain_text(
        "Technical craft → Engineering craft"
    )
    if javascript:  # axe runs in the page: the same page, checked once
        for width in WIDTHS:
            admin.set_viewport_size({"width": width, "height": 900})
            assert axe_violations(admin) == [], width
    assert Framework.objects.get().version == 1

    admin.get_by_role("button", name="Import version 2").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Engineering ladder")
    assert Framework.objects.get().version == 2
    assert Framework.objects.get().competencies.get(key="technical-craft").name == (
        "Engineering craft"
    )
    assert console.csp_violations() == []
    assert console.errors() == []
