"""The roles page in a real browser, on a laptop and on a phone: a second org admin
confirms a grant without JavaScript's help being needed, the page fits the screen,
and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.people.models import RoleGrant
from cairn.people.services import update_person
from cairn.testing import make_cast, make_person
from cairn.testing.accessibility import problems
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


def overflowing(page: Page, width: int) -> list[str]:
    """The elements of the page's main part that reach past the right edge; a wide
    table scrolls sideways inside its own box, which must fit."""
    return list(
        page.evaluate(
            """width => Array.from(document.querySelectorAll('main *'))
                .filter(e => !e.parentElement.closest('.table-scroll'))
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .map(e => e.tagName + '.' + e.className)""",
            width,
        )
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_second_admin_confirms_a_grant(
    open_page: Callable[..., Page], console: Console, width: int, height: int
) -> None:
    cast = make_cast()
    second = make_person(cast.org, "Sol Second", is_org_admin=True)
    update_person(
        cast.admin,
        cast.coach,
        name=cast.coach.name,
        email=cast.coach.user.email,
        title=cast.coach.title,
        team=None,
        manager=None,
        is_org_admin=False,
        is_active=True,
        is_program_admin=True,
    )
    page = open_page(viewport={"width": width, "height": height})
    sign_in(page, second)
    page.goto("/people/manage/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles and who changed them")
    assert problems(page.content()) == []
    # Nothing of the page wider than the screen. (The site's header is checked with
    # base.html, not here.)
    assert overflowing(page, width) == []
    page.get_by_role("button", name="Confirm: Cody Coach becomes program admin").click()
    expect(page.get_by_role("status").first).to_contain_text("Cody Coach is now program admin.")
    cast.coach.refresh_from_db()
    assert cast.coach.is_program_admin
    assert not RoleGrant.objects.pending().exists()
    assert overflowing(page, width) == []
    assert console.csp_violations() == []
    assert console.errors() == []
