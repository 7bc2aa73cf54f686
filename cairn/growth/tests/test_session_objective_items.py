"""A session's action item may work towards one of the receiver's objectives — one
both parties can read — and then shows as progress on the objective and the plan;
nobody sees an objective, or an item, they may not read (issue 12, point 2).

The world (``factories.build_growth``): the report's growth, shared with the coach
(their coaching session) and not with the manager (their one-on-one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.forms import ActionItemForm
from cairn.coaching.models import ActionItem, Session
from cairn.coaching.tests.factories import make_action_item, make_engagement, make_session
from cairn.growth import services
from cairn.growth.formparts import OBJECTIVE_CHOICE_ERROR, OBJECTIVE_FIELD
from cairn.growth.models import ObjectiveActionItem, ObjectiveStatus
from cairn.growth.tests.factories import WHAT, Growth
from cairn.people.models import Person, User
from cairn.testing import ROLES, client_for, count_queries, html, htmx, make_person
from cairn.trust.models import AccessRecord, Kind

ITEM = "session item: pair with Ana on the pipeline design"


def due() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


def add_item(viewer: Person, session: Session, objective_code: str = "") -> Any:
    data = {"owner": str(session.engagement.receiver.code), "description": ITEM, "due_on": due()}
    if objective_code:
        data[OBJECTIVE_FIELD] = objective_code
    return client_for(viewer).post(reverse("coaching:action-add", args=[session.code]), data)


def session_html(viewer: Person, session: Session) -> str:
    response = client_for(viewer).get(reverse("coaching:session", args=[session.code]))
    assert response.status_code == 200
    return html(response)


def linked_item(growth: Growth) -> ActionItem:
    item = make_action_item(growth.coaching_session, growth.owner, ITEM, by=growth.cast.coach)
    services.set_item_objective(growth.owner, item, growth.objective)
    return item


# --- what the form offers ------------------------------------------------------------


def test_both_parties_are_offered_the_objectives_they_can_both_read(growth: Growth) -> None:
    for viewer in (growth.cast.coach, growth.owner):
        page = session_html(viewer, growth.coaching_session)
        assert "Towards objective" in page
        assert f'value="{growth.objective.code}"' in page


def test_nothing_is_offered_where_the_giver_cannot_read_the_plan(growth: Growth) -> None:
    for viewer in (growth.cast.manager, growth.owner):
        page = session_html(viewer, growth.one_on_one_session)
        assert "Towards objective" not in page
        assert WHAT not in page


@pytest.mark.parametrize("status", [ObjectiveStatus.ACHIEVED, ObjectiveStatus.DROPPED])
def test_closed_objectives_are_not_offered(growth: Growth, status: str) -> None:
    type(growth.objective).objects.filter(pk=growth.objective.pk).update(status=status)
    page = session_html(growth.cast.coach, growth.coaching_session)
    assert f'value="{growth.objective.code}"' not in page
    assert "Towards objective" not in page


# --- linking, and progress on the plan ----------------------------------------------


def test_an_item_towards_an_objective_done_in_the_session_shows_on_the_plan(
    growth: Growth,
) -> None:
    response = add_item(growth.cast.coach, growth.coaching_session, str(growth.objective.code))
    assert response.status_code == 302
    item = ActionItem.objects.get(description=ITEM)
    assert ObjectiveActionItem.objects.get(action_item=item).objective == growth.objective

    # Both parties see on the session page which objective it is towards.
    for viewer in (growth.cast.coach, growth.owner):
        page = session_html(viewer, growth.coaching_session)
        assert "Action items towards objectives" in page
        assert WHAT in page

    objective_url = reverse("growth:objective", args=[growth.objective.code])
    assert ITEM in html(client_for(growth.owner).get(objective_url))

    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False):
        coaching.set_action_item_done(growth.owner, item, done=True)
    plan = html(client_for(growth.owner).get(reverse("growth:plan")))
    assert 'Done in the session on <time datetime="2026-12-03' in plan
    assert f"3 Dec</time>: {ITEM}" in plan
    assert f"3 Dec</time>: {ITEM}" in html(client_for(growth.owner).get(objective_url))
    # The coach reads the shared plan, and is a party to the item: the progress shows.
    shared = html(
        client_for(growth.cast.coach).get(reverse("growth:shared-plan", args=[growth.owner.code]))
    )
    assert f"3 Dec</time>: {ITEM}" in shared


def test_an_open_item_counts_with_the_plans_open_actions(growth: Growth) -> None:
    before = html(client_for(growth.owner).get(reverse("growth:plan")))
    assert "1 open action item ·" in before
    linked_item(growth)
    after = html(client_for(growth.owner).get(reverse("growth:plan")))
    assert "2 open action items ·" in after


def test_htmx_add_answers_the_actions_part_and_links(growth: Growth) -> None:
    client = htmx(client_for(growth.owner))
    response = client.post(
        reverse("coaching:action-add", args=[growth.coaching_session.code]),
        {
            "owner": str(growth.owner.code),
            "description": ITEM,
            "due_on": due(),
            OBJECTIVE_FIELD: str(growth.objective.code),
        },
    )
    assert response.status_code == 200
    assert ObjectiveActionItem.objects.filter(objective=growth.objective).count() == 1


def test_no_objective_chosen_links_nothing(growth: Growth) -> None:
    assert add_item(growth.cast.coach, growth.coaching_session).status_code == 302
    assert ActionItem.objects.filter(description=ITEM).exists()
    assert not ObjectiveActionItem.objects.exists()


# --- editing: the part's initial value and its change ---------------------------------


def test_editing_keeps_or_changes_the_link(growth: Growth) -> None:
    item = linked_item(growth)
    engagement = growth.coaching_session.engagement
    form = ActionItemForm(engagement=engagement, viewer=growth.cast.coach, instance=item)
    assert form.initial[OBJECTIVE_FIELD] == growth.objective.code

    other = services.add_objective(growth.owner, what="another objective")
    data = {"owner": str(growth.owner.code), "description": ITEM, "due_on": due()}
    form = ActionItemForm(
        {**data, OBJECTIVE_FIELD: str(other.code)},
        engagement=engagement,
        viewer=growth.cast.coach,
        instance=item,
    )
    assert form.is_valid(), form.errors
    form.save_parts(item)
    assert ObjectiveActionItem.objects.get(action_item=item).objective == other

    form = ActionItemForm(data, engagement=engagement, viewer=growth.cast.coach, instance=item)
    assert form.is_valid(), form.errors
    form.save_parts(item)
    assert not ObjectiveActionItem.objects.filter(action_item=item).exists()


def test_a_viewer_who_cannot_read_the_objective_gets_no_initial_value(growth: Growth) -> None:
    item = linked_item(growth)
    services.unshare(growth.owner, growth.share)
    form = ActionItemForm(
        engagement=growth.coaching_session.engagement, viewer=growth.cast.coach, instance=item
    )
    assert OBJECTIVE_FIELD not in form.initial


# --- bad input ---------------------------------------------------------------------


def assert_refused(viewer: Person, session: Session, code: str) -> None:
    before = ActionItem.objects.count()
    for client in (client_for(viewer), htmx(client_for(viewer))):
        response = client.post(
            reverse("coaching:action-add", args=[session.code]),
            {
                "owner": str(session.engagement.receiver.code),
                "description": ITEM,
                "due_on": due(),
                OBJECTIVE_FIELD: code,
            },
        )
        assert response.status_code == 422
        assert OBJECTIVE_CHOICE_ERROR in html(response)
    assert ActionItem.objects.count() == before
    assert not ObjectiveActionItem.objects.exists()


def test_an_objective_the_giver_cannot_read_is_refused(growth: Growth) -> None:
    # The manager has no share: the report's objective is not offered, and a forged
    # post of its code is the field's own error, with nothing saved.
    assert_refused(growth.cast.manager, growth.one_on_one_session, str(growth.objective.code))


def test_the_receiver_cannot_link_what_the_giver_cannot_read(growth: Growth) -> None:
    assert_refused(growth.owner, growth.one_on_one_session, str(growth.objective.code))


def test_someone_elses_objective_is_refused(growth: Growth) -> None:
    peer = growth.cast.peer
    theirs = services.add_objective(peer, what="peer objective")
    services.share(peer, growth.cast.coach)
    assert_refused(growth.cast.coach, growth.coaching_session, str(theirs.code))


@pytest.mark.parametrize("code", ["not-a-code", "00000000-0000-0000-0000-000000000000"])
def test_malformed_or_unknown_codes_are_refused(growth: Growth, code: str) -> None:
    assert_refused(growth.cast.coach, growth.coaching_session, code)


def test_a_closed_objective_is_refused(growth: Growth) -> None:
    type(growth.objective).objects.filter(pk=growth.objective.pk).update(
        status=ObjectiveStatus.ACHIEVED
    )
    assert_refused(growth.cast.coach, growth.coaching_session, str(growth.objective.code))


def test_the_service_refuses_a_link_the_form_would_not_offer(growth: Growth) -> None:
    item = make_action_item(growth.one_on_one_session, growth.owner, ITEM, by=growth.cast.manager)
    with pytest.raises(ValidationError):
        services.set_item_objective(growth.cast.manager, item, growth.objective)
    with pytest.raises(PermissionDenied):
        services.set_item_objective(growth.cast.peer, item, None)
    assert not ObjectiveActionItem.objects.exists()


# --- canaries: the whole cast -------------------------------------------------------


def superuser(growth: Growth) -> Person:
    person = make_person(growth.cast.org, "Sam Superuser", is_org_admin=True)
    User.objects.filter(pk=person.user_id).update(is_superuser=True, is_staff=True)
    return person


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_canaries_the_link_shows_only_to_who_reads_both_ends(growth: Growth, role: str) -> None:
    """The item is the coaching engagement's (coach, report); the objective is the
    report's, shared with the coach — and, here, with the peer, who reads the
    objective but is no party to the item."""
    item = linked_item(growth)
    coaching.set_action_item_done(growth.owner, item, done=True)
    services.share(growth.owner, growth.cast.peer)
    viewer = superuser(growth) if role == "superuser" else growth.cast.everyone()[role]
    client = client_for(viewer)

    session = client.get(reverse("coaching:session", args=[growth.coaching_session.code]))
    party = role in {"coach", "report"}
    assert session.status_code == (200 if party else 404)
    assert (WHAT in html(session)) == party
    assert (ITEM in html(session)) == party

    objective = client.get(reverse("growth:objective", args=[growth.objective.code]))
    reads_objective = role in {"coach", "report", "peer"}
    assert objective.status_code == (200 if reads_objective else 404)
    assert (ITEM in html(objective)) == party

    shared = client.get(reverse("growth:shared-plan", args=[growth.owner.code]))
    assert (ITEM in html(shared)) == (role == "coach")
    assert ITEM not in html(client.get(reverse("growth:plan"))) or role == "report"


def test_a_giver_whose_share_was_taken_back_sees_the_item_but_not_the_objective(
    growth: Growth,
) -> None:
    linked_item(growth)
    services.unshare(growth.owner, growth.share)
    page = session_html(growth.cast.coach, growth.coaching_session)
    assert ITEM in page  # the item is the engagement's: both parties read it
    assert WHAT not in page
    assert "Action items towards objectives" not in page
    # The receiver still sees it: the objective is theirs.
    assert WHAT in session_html(growth.owner, growth.coaching_session)


def test_str_of_a_link_holds_no_content(growth: Growth) -> None:
    link = ObjectiveActionItem.objects.get(action_item=linked_item(growth))
    assert ITEM not in str(link)
    assert WHAT not in str(link)


# --- query counts --------------------------------------------------------------------


def grow(growth: Growth, rows: int) -> None:
    for n in range(rows):
        objective = services.add_objective(growth.owner, what=f"objective {n}")
        item = make_action_item(growth.coaching_session, growth.owner, f"towards {n}")
        services.set_item_objective(growth.owner, item, objective)
        earlier = make_session(
            growth.coaching_session.engagement,
            when=timezone.now() - dt.timedelta(days=n + 1),
        )
        carried = make_action_item(earlier, growth.owner, f"carried {n}")
        services.set_item_objective(growth.owner, carried, objective)


@pytest.mark.parametrize("who", ["coach", "report"])
def test_session_page_queries_do_not_grow_with_links(growth: Growth, who: str) -> None:
    viewer = growth.cast.everyone()[who]
    url = reverse("coaching:session", args=[growth.coaching_session.code])
    client = client_for(viewer)
    grow(growth, 1)
    client.get(url)  # the first read of a page may differ (the session cookie)
    small = count_queries(lambda: client.get(url))
    grow(growth, 49)
    large = count_queries(lambda: client.get(url))
    assert small == large
    assert html(client.get(url)).count("carried ") >= 50


def test_plan_page_queries_do_not_grow_with_links(growth: Growth) -> None:
    url = reverse("growth:plan")
    client = client_for(growth.owner)
    grow(growth, 1)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    grow(growth, 49)
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_a_session_of_another_engagement_shows_no_links(growth: Growth) -> None:
    linked_item(growth)
    other = make_session(make_engagement(growth.cast.coach, growth.cast.peer))
    page = session_html(growth.cast.coach, other)
    assert ITEM not in page
    assert WHAT not in page


# --- the access log ------------------------------------------------------------------


def test_the_giver_reading_an_item_towards_an_objective_is_recorded(growth: Growth) -> None:
    growth.objective.session = None
    growth.objective.save(update_fields=["session"])  # only the item shows the objective
    linked_item(growth)
    page = session_html(growth.cast.coach, growth.coaching_session)
    assert WHAT in page
    assert AccessRecord.objects.filter(
        owner=growth.owner, reader=growth.cast.coach, kind=Kind.OBJECTIVE
    ).exists()

    AccessRecord.objects.all().delete()
    assert WHAT in session_html(growth.owner, growth.coaching_session)
    assert not AccessRecord.objects.exists()
