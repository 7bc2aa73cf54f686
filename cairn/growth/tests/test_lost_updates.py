"""No lost update on the development plan and its objectives (issue 17, point 1).

Two tabs open the same edit form; the first save wins, the second answers 409 with
both versions on the page and nothing overwritten; saving again from that page, at
the version it carries, goes through knowingly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.growth import services
from cairn.growth.models import DevelopmentPlan, Objective
from cairn.growth.tests.factories import BECOME, DREAMS, SECRETS, WHAT, Growth, scale_data
from cairn.lib.versions import STALE, Conflict
from cairn.testing import ROLES, Cast, client_for, html, make_cast
from cairn.testing.browser import axe_violations, sign_in

MINE = "dreams from tab A: run the platform guild"
YOURS = "dreams from tab B: write a book on incidents"


def opened_version(page: str) -> str:
    """The hidden version a page's edit form carries."""
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def plan_post(dreams: str, version: str, become: str = BECOME) -> dict[str, str]:
    return {"dreams": dreams, "become": become, "version": version}


def objective_post(what: str, version: str, **changes: str) -> dict[str, str]:
    return {"what": what, "status": "in_progress", **scale_data(), "version": version, **changes}


# --- the plan --------------------------------------------------------------------------


def test_second_save_of_the_plan_from_an_older_page_is_409_and_keeps_both(
    growth: Growth,
) -> None:
    tab_a, tab_b = client_for(growth.owner), client_for(growth.owner)
    url = reverse("growth:plan")
    version_a = opened_version(html(tab_a.get(url)))
    version_b = opened_version(html(tab_b.get(url)))
    assert version_a == version_b

    assert tab_a.post(url, plan_post(MINE, version_a)).status_code == 302

    conflict = tab_b.post(url, plan_post(YOURS, version_b))
    assert conflict.status_code == 409
    page = html(conflict)
    # Nothing overwritten: A's text is what is saved.
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == MINE
    # Both on the page: B's in the form (nothing typed is lost), A's beside it.
    assert f">\n{YOURS}</textarea>" in page
    assert "Saved while you were editing" in page
    assert MINE in page
    assert "Save mine over it" in page
    # The form is re-opened at the version saved now.
    newer = opened_version(page)
    assert int(newer) == int(version_b) + 1

    # Saving again from the 409 page replaces theirs, knowingly.
    assert tab_b.post(url, plan_post(YOURS, newer)).status_code == 302
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == YOURS


def test_two_tabs_opened_before_the_plan_existed(cast: Cast) -> None:
    # The peer has no plan: both tabs open the form at the version a new plan has;
    # the first save creates the plan, the second is a conflict, not an overwrite.
    tab_a, tab_b = client_for(cast.peer), client_for(cast.peer)
    url = reverse("growth:plan")
    version = opened_version(html(tab_a.get(url)))
    assert opened_version(html(tab_b.get(url))) == version
    assert tab_a.post(url, plan_post(MINE, version, become="")).status_code == 302
    response = tab_b.post(url, plan_post(YOURS, version, become=""))
    assert response.status_code == 409
    assert DevelopmentPlan.objects.get(owner=cast.peer).dreams == MINE
    assert YOURS in html(response)


def test_no_conflict_no_trace(growth: Growth) -> None:
    # Where nobody else saved, the version is only a hidden field: saves follow one
    # another from freshly opened pages with no question asked.
    client, url = client_for(growth.owner), reverse("growth:plan")
    for text in ("first", "second", "third"):
        page = html(client.get(url))
        assert "Saved while you were editing" not in page
        assert client.post(url, plan_post(text, opened_version(page))).status_code == 302
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == "third"


@pytest.mark.parametrize("version", ["abc", "-1", "1e9", "99999999999"])
def test_a_garbled_version_is_refused_with_a_message(growth: Growth, version: str) -> None:
    response = client_for(growth.owner).post(reverse("growth:plan"), plan_post(MINE, version))
    assert response.status_code == 422
    assert STALE in html(response)
    assert MINE in html(response)  # what was typed stays in the form
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == DREAMS


def test_the_service_refuses_a_stale_version(growth: Growth) -> None:
    plan = DevelopmentPlan.objects.get(owner=growth.owner)
    opened = plan.version
    services.save_plan(growth.owner, dreams=MINE, become="", opened=opened)
    with pytest.raises(Conflict) as raised:
        services.save_plan(growth.owner, dreams=YOURS, become="", opened=opened)
    assert raised.value.current.dreams == MINE
    assert raised.value.current_version == opened + 1
    assert "dreams" not in str(raised.value)  # ids only: it may be logged
    assert MINE not in str(raised.value)


# --- objectives ------------------------------------------------------------------------


def test_second_save_of_an_objective_from_an_older_page_is_409(growth: Growth) -> None:
    tab_a, tab_b = client_for(growth.owner), client_for(growth.owner)
    url = reverse("growth:objective-edit", args=[growth.objective.code])
    version = opened_version(html(tab_a.get(url)))
    assert opened_version(html(tab_b.get(url))) == version

    assert tab_a.post(url, objective_post("objective from tab A", version)).status_code == 302
    response = tab_b.post(
        url, objective_post("objective from tab B", version, status="dropped", why="why B")
    )
    assert response.status_code == 409
    page = html(response)
    objective = Objective.objects.get(pk=growth.objective.pk)
    assert (objective.what, objective.status) == ("objective from tab A", "in_progress")
    assert 'value="objective from tab B"' in page  # mine, in the form
    assert "why B" in page
    assert "objective from tab A" in page  # theirs, beside it
    assert "In progress" in page  # the saved status, in words

    again = tab_b.post(
        url, objective_post("objective from tab B", opened_version(page), status="dropped")
    )
    assert again.status_code == 302
    objective.refresh_from_db()
    assert (objective.what, objective.status) == ("objective from tab B", "dropped")


def test_linking_a_session_does_not_make_an_edit_conflict_or_get_lost(growth: Growth) -> None:
    # The session link has its own form: an edit opened before it neither conflicts
    # with it nor undoes it.
    client = client_for(growth.owner)
    url = reverse("growth:objective-edit", args=[growth.objective.code])
    version = opened_version(html(client.get(url)))
    services.link_session(growth.owner, growth.objective, None)
    assert client.post(url, objective_post("renamed", version)).status_code == 302
    objective = Objective.objects.get(pk=growth.objective.pk)
    assert objective.what == "renamed"
    assert objective.session_id is None


# --- privacy: the 409 page is the edit page, behind the same access check -----------------


def superuser_client() -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-42-long!")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [r for r in ROLES if r != "report"])
def test_a_stale_edit_by_anyone_else_is_404_and_shows_nothing(growth: Growth, role: str) -> None:
    # Even the coach, who may read the plan, edits nothing: the stale post gets the
    # 404 the edit page gives them, not a conflict page showing the saved version.
    owner_client = client_for(growth.owner)
    url = reverse("growth:objective-edit", args=[growth.objective.code])
    version = opened_version(html(owner_client.get(url)))
    assert owner_client.post(url, objective_post(WHAT + " (saved)", version)).status_code == 302
    response = client_for(growth.cast.everyone()[role]).post(url, objective_post("forged", version))
    assert response.status_code == 404
    page = html(response)
    for text in [*SECRETS, WHAT + " (saved)"]:
        assert text not in page
    assert Objective.objects.get(pk=growth.objective.pk).what == WHAT + " (saved)"


def test_a_stale_plan_post_by_a_superuser_without_a_person_is_refused(growth: Growth) -> None:
    version = str(DevelopmentPlan.objects.get(owner=growth.owner).version)
    client = superuser_client()
    for url, data in [
        (reverse("growth:plan"), plan_post("forged", "1")),
        (
            reverse("growth:objective-edit", args=[growth.objective.code]),
            objective_post("forged", version),
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 403
        for text in SECRETS:
            assert text not in html(response)
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == DREAMS


def test_a_stale_plan_post_by_someone_else_touches_only_their_own_plan(growth: Growth) -> None:
    # The plan page is always one's own: a post with the owner's version by the
    # manager writes (or conflicts with) the manager's plan, never the owner's.
    manager = client_for(growth.cast.manager)
    response = manager.post(reverse("growth:plan"), plan_post("my dreams", "1", become=""))
    assert response.status_code == 302
    assert DevelopmentPlan.objects.get(owner=growth.owner).dreams == DREAMS
    stale = manager.post(reverse("growth:plan"), plan_post("again", "1", become=""))
    assert stale.status_code == 409
    for text in SECRETS:
        assert text not in html(stale)


# --- in a browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_the_conflict_pages_in_a_browser_pass_axe(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    owner = cast.report
    services.save_plan(owner, dreams="first dreams", become="")
    objective = services.add_objective(owner, what="first objective")
    page = open_page()
    sign_in(page, owner)

    # The plan: saved from another tab while this one is open.
    page.goto(reverse("growth:plan"))
    plan = DevelopmentPlan.objects.get(owner=owner)
    services.save_plan(owner, dreams="saved in the other tab", become="", opened=plan.version)
    page.get_by_label("Dreams and passions").fill(YOURS)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Saved while you were editing")).to_be_visible()
    expect(page.get_by_label("Dreams and passions")).to_have_value(YOURS)
    expect(page.locator(".conflict")).to_contain_text("saved in the other tab")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    with page.expect_navigation():
        page.get_by_role("button", name="Save mine over it").click()
    expect(page.get_by_role("status")).to_contain_text("Saved your plan")
    assert DevelopmentPlan.objects.get(owner=owner).dreams == YOURS

    # An objective, the same way.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("growth:objective-edit", args=[objective.code]))
    fresh = Objective.objects.get(pk=objective.pk)
    services.update_objective(owner, fresh, what="renamed elsewhere", opened=fresh.version)
    page.get_by_role("textbox", name="What", exact=True).fill("renamed here")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the objective").click()
    expect(page.locator(".conflict")).to_contain_text("renamed elsewhere")
    expect(page.get_by_role("textbox", name="What", exact=True)).to_have_value("renamed here")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    with page.expect_navigation():
        page.get_by_role("button", name="Save mine over it").click()
    assert Objective.objects.get(pk=objective.pk).what == "renamed here"
