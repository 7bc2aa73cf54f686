"""No lost update on an agreement (issue 17, point 1): both parties open the
amendment form at the version on the table; the first proposal goes on the table,
the second — made against a version that is no longer there — answers 409 with both
on the page, replaces nothing, and can be proposed again knowingly.

Notes in coaching are edited by their author only, so they carry no version: a
conflict needs two writers (docs/architecture.md, "Versions and conflicts").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching import services
from cairn.coaching.models import AgreementVersion, Engagement, SponsorSees, VersionStatus
from cairn.coaching.tests.factories import make_engagement
from cairn.lib.versions import Conflict
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import ROLES, Cast, client_for, count_queries, html, htmx, make_cast
from cairn.testing.browser import axe_violations, sign_in

COACH_PURPOSE = "coach proposal: prepare the platform migration talk"
REPORT_PURPOSE = "report proposal: practise hard conversations with peers"


def amendment(purpose: str, version: str, **changes: Any) -> dict[str, Any]:
    return {
        "purpose": purpose,
        "cadence": "weekly",
        "confidentiality": "Between us two.",
        "sponsor_sees": SponsorSees.CADENCE,
        "ending": "after_sessions",
        "ends_after_sessions": "4",
        "ends_on": "",
        "version": version,
        **changes,
    }


def opened_version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the amendment form carries no version"
    return found.group(1)


def engagement_url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def propose_url(engagement: Engagement) -> str:
    return reverse("coaching:agreement-propose", args=[engagement.code])


def on_the_table(engagement: Engagement) -> AgreementVersion:
    return engagement.agreement_versions.get(status=VersionStatus.PENDING)


@pytest.mark.parametrize("with_htmx", [False, True], ids=["browser", "htmx"])
def test_the_second_of_two_proposals_from_the_same_version_is_409(
    cast: Cast, with_htmx: bool
) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    coach, report = client_for(cast.coach), client_for(cast.report)
    version = opened_version(html(coach.get(engagement_url(engagement))))
    assert opened_version(html(report.get(engagement_url(engagement)))) == version == "1"

    assert coach.post(propose_url(engagement), amendment(COACH_PURPOSE, version)).status_code in (
        200,
        302,
    )
    second = htmx(report) if with_htmx else report
    response = second.post(
        propose_url(engagement), amendment(REPORT_PURPOSE, version, cadence="every_four_weeks")
    )
    assert response.status_code == 409
    page = html(response)
    # Nothing replaced: the coach's proposal is the one waiting.
    waiting = on_the_table(engagement)
    assert (waiting.purpose, waiting.proposed_by_id) == (COACH_PURPOSE, cast.coach.pk)
    assert engagement.agreement_versions.count() == 2
    # Both on the page: the report's in the form, the coach's beside it with who.
    assert f">\n{REPORT_PURPOSE}</textarea>" in page
    assert COACH_PURPOSE in page
    assert "Saved while you were editing" in page
    assert cast.coach.name in page
    if with_htmx:
        # The agreement part only, swapped in place of the one the form sat in.
        assert page.lstrip().startswith('<section class="card" id="agreement"')
        assert "<html" not in page
        assert response["HX-Retarget"] == "#agreement"
    newer = opened_version(page)
    assert newer == "2"

    # Proposing again from the 409 page replaces the coach's proposal knowingly.
    again = report.post(propose_url(engagement), amendment(REPORT_PURPOSE, newer))
    assert again.status_code == 302
    waiting = on_the_table(engagement)
    assert (waiting.number, waiting.purpose, waiting.proposed_by_id) == (
        3,
        REPORT_PURPOSE,
        cast.report.pk,
    )
    assert engagement.agreement_versions.get(number=2).status == VersionStatus.SUPERSEDED


def test_a_conflict_notifies_nobody(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    terms = services.terms_of(engagement.agreement_versions.get())
    services.propose_amendment(cast.coach, engagement, replace(terms, purpose="x"), opened=1)
    before = Notification.objects.count()
    response = client_for(cast.report).post(propose_url(engagement), amendment(REPORT_PURPOSE, "1"))
    assert response.status_code == 409
    assert Notification.objects.count() == before


def test_the_service_refuses_a_proposal_against_a_replaced_version(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    terms = services.terms_of(engagement.agreement_versions.get())
    services.propose_amendment(
        cast.coach, engagement, replace(terms, purpose=COACH_PURPOSE), opened=1
    )
    mine = replace(terms, purpose=REPORT_PURPOSE)
    with pytest.raises(Conflict) as raised:
        services.propose_amendment(cast.report, engagement, mine, opened=1)
    assert raised.value.current.purpose == COACH_PURPOSE
    assert raised.value.by == cast.coach
    assert COACH_PURPOSE not in str(raised.value)


def test_accepting_in_between_is_no_conflict(cast: Cast) -> None:
    # The version on the table was accepted after the form opened: the same version
    # number, the same terms. Amending it is what the person meant.
    engagement = make_engagement(cast.coach, cast.report)
    terms = services.terms_of(engagement.agreement_versions.get())
    pending = services.propose_amendment(cast.coach, engagement, replace(terms, purpose="two"))
    opened = opened_version(html(client_for(cast.report).get(engagement_url(engagement))))
    services.accept_agreement(cast.report, pending)
    response = client_for(cast.report).post(
        propose_url(engagement), amendment(REPORT_PURPOSE, opened)
    )
    assert response.status_code == 302
    assert on_the_table(engagement).purpose == REPORT_PURPOSE


def test_a_garbled_version_is_refused_and_nothing_is_proposed(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    response = client_for(cast.report).post(
        propose_url(engagement), amendment(REPORT_PURPOSE, "one")
    )
    assert response.status_code == 422
    assert "Reload the page" in html(response)
    assert REPORT_PURPOSE in html(response)
    assert engagement.agreement_versions.count() == 1


# --- privacy: the 409 page is the party's own engagement page ----------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("coach", "report")])
def test_a_stale_proposal_by_anyone_but_the_parties_is_404(cast: Cast, role: str) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client_for(cast.coach).post(propose_url(engagement), amendment(COACH_PURPOSE, "1"))
    response = client_for(cast.everyone()[role]).post(
        propose_url(engagement), amendment("forged", "1")
    )
    assert response.status_code == 404
    assert COACH_PURPOSE not in html(response)
    assert on_the_table(engagement).purpose == COACH_PURPOSE


def test_a_stale_proposal_by_a_superuser_without_a_person_is_refused(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client_for(cast.coach).post(propose_url(engagement), amendment(COACH_PURPOSE, "1"))
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-42-long!")
    client = Client()
    client.force_login(user)
    response = client.post(propose_url(engagement), amendment("forged", "1"))
    assert response.status_code == 403
    assert COACH_PURPOSE not in html(response)
    assert on_the_table(engagement).purpose == COACH_PURPOSE


# --- cost: the conflict page costs what the page costs ----------------------------------------


def grow(engagement: Engagement, to: int) -> None:
    terms = services.current_terms(engagement)
    for n in range(engagement.agreement_versions.count() + 1, to + 1):
        party = engagement.giver if n % 2 else engagement.receiver
        services.propose_amendment(party, engagement, replace(terms, purpose=f"purpose {n}"))


def test_the_conflict_page_costs_the_same_at_three_versions_and_fifty(cast: Cast) -> None:
    def cost(to: int, receiver: Person) -> int:
        engagement = make_engagement(cast.coach, receiver)
        grow(engagement, to)
        client = client_for(receiver)

        def post() -> None:
            assert (
                client.post(propose_url(engagement), amendment(REPORT_PURPOSE, "1")).status_code
                == 409
            )

        return count_queries(post)

    # Odd numbers: the coach proposed the last, and each receiver has had a
    # notification of a proposal (the bell's own query comes with the first).
    assert cost(3, cast.report) == cost(51, cast.peer)


# --- in a browser: with htmx the conflict shows in place; without JavaScript, a page ----


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_conflicting_proposal_in_a_browser(
    open_page: Callable[..., Page], javascript: bool
) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report)
    page = open_page(java_script_enabled=javascript)
    sign_in(page, cast.report)
    page.goto(engagement_url(engagement))
    # The coach proposes while the report has the page open.
    services.propose_amendment(
        cast.coach,
        engagement,
        replace(services.current_terms(engagement), purpose=COACH_PURPOSE),
        opened=1,
    )
    agreement = page.locator("#agreement")
    agreement.get_by_text("Propose a change to the agreement").click()
    agreement.get_by_role("textbox", name="Purpose").fill(REPORT_PURPOSE)
    if javascript:
        with page.expect_response(f"**{propose_url(engagement)}") as answer:
            agreement.get_by_role("button", name="Propose this version").click()
        assert answer.value.status == 409
        assert page.url.endswith(engagement_url(engagement))  # in place: no new page
    else:
        with page.expect_navigation():
            agreement.get_by_role("button", name="Propose this version").click()
    conflict = page.locator("#agreement .conflict")
    expect(conflict).to_contain_text("Saved while you were editing")
    expect(conflict).to_contain_text(cast.coach.name)
    expect(conflict).to_contain_text(COACH_PURPOSE)
    expect(page.locator("#agreement").get_by_role("textbox", name="Purpose")).to_have_value(
        REPORT_PURPOSE
    )
    # axe runs as a script in the page: with JavaScript, and the markup is the same.
    for width in (1280, 390) if javascript else ():
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#agreement").get_by_role("button", name="Propose mine instead").click()
    expect(page.locator("#agreement")).to_contain_text("Waiting for them")
    assert on_the_table(engagement).purpose == REPORT_PURPOSE
