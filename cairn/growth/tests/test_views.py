"""What a person notices using their growth pages: versions, the guided page, the
plan made on first save, objectives with scales and check-ins, sharing, and htmx
answers that are parts of the page while plain posts redirect."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.growth import services
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    PlanAction,
    PlanShare,
)
from cairn.growth.tests.factories import ACTION, SCALE, Growth, scale_data
from cairn.testing import Cast, client_for, html, htmx


def test_each_save_is_a_new_version_and_history_is_newest_first(cast: Cast) -> None:
    client = client_for(cast.report)
    for text in ("first take", "second take", "third take"):
        response = client.post(reverse("growth:mission"), {"text": text})
        assert response.status_code == 302
    assert MissionStatement.objects.filter(owner=cast.report).count() == 3
    assert MissionStatement.objects.current().get(owner=cast.report).text == "third take"
    page = html(client.get(reverse("growth:mission-history")))
    assert page.index("third take") < page.index("second take") < page.index("first take")
    # The mission page starts from the current version.
    assert "third take</textarea>" in html(client.get(reverse("growth:mission")))


def test_guided_page_keeps_answers_with_the_version_when_asked(cast: Cast) -> None:
    client = client_for(cast.report)
    data = {
        "love": "teaching juniors",
        "morning": "users who smile",
        "become": "a staff engineer",
        "text": "I teach and build.",
    }
    response = client.post(reverse("growth:mission-guided"), {**data, "keep_answers": "on"})
    assert response.status_code == 302
    version = MissionStatement.objects.get(owner=cast.report)
    assert (version.love, version.morning, version.become) == (
        "teaching juniors",
        "users who smile",
        "a staff engineer",
    )
    # The guided page shows the kept answers next to the statement box next time.
    page = html(client.get(reverse("growth:mission-guided")))
    assert page.count("teaching juniors") >= 2  # in the answer box and beside the statement
    assert "I teach and build.</textarea>" in page

    client.post(reverse("growth:mission-guided"), {**data, "text": "Second version."})
    newest = MissionStatement.objects.current().get(owner=cast.report)
    assert newest.text == "Second version."
    assert not newest.has_answers


def test_home_says_what_to_do_next_when_empty(cast: Cast) -> None:
    page = html(client_for(cast.report).get(reverse("growth:home")))
    assert "You have not written a mission statement yet" in page
    assert "You have no development plan yet" in page
    assert reverse("growth:mission-guided") in page


def test_plan_is_created_on_first_save(cast: Cast) -> None:
    client = client_for(cast.report)
    assert client.get(reverse("growth:plan")).status_code == 200
    assert not DevelopmentPlan.objects.exists()
    response = client.post(reverse("growth:plan"), {"dreams": "write a book", "become": ""})
    assert response.status_code == 302
    assert DevelopmentPlan.objects.get(owner=cast.report).dreams == "write a book"
    client.post(reverse("growth:plan"), {"dreams": "write two books", "become": "an author"})
    assert DevelopmentPlan.objects.get(owner=cast.report).become == "an author"


def test_new_objective_with_a_scale_then_a_check_in_on_it(cast: Cast) -> None:
    client = client_for(cast.report)
    data = {"what": "Ship the pipeline", "status": "in_progress", "target_on": "2026-12-31"}
    response = client.post(reverse("growth:objective-new"), {**data, **scale_data()})
    assert response.status_code == 302
    objective = Objective.objects.get(plan__owner=cast.report)  # the plan came with it
    assert objective.scale_texts() == SCALE
    assert objective.target_on == dt.date(2026, 12, 31)
    response = client.post(
        reverse("growth:check-in-add", args=[objective.code]),
        {"note": "on track", "position": "-1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#check-ins")
    assert objective.check_ins.get().position == -1
    page = html(client.get(reverse("growth:objective", args=[objective.code])))
    assert "on track" in page
    assert ">-1</strong>" in page


def test_htmx_answers_with_the_part_of_the_page(growth: Growth) -> None:
    client = htmx(client_for(growth.owner))
    objective = growth.objective
    response = client.post(
        reverse("growth:action-add", args=[objective.code]),
        {
            "owner": str(growth.cast.coach.code),
            "description": "coach sends notes",
            "due_on": "2026-12-05",
        },
    )
    assert response.status_code == 200
    part = html(response)
    assert part.lstrip().startswith('<section class="card wide" id="actions"')
    assert "coach sends notes" in part
    assert "Cody Coach" in part
    assert "<html" not in part

    action = PlanAction.objects.get(description="coach sends notes")
    response = client.post(reverse("growth:action-mark", args=[action.code]), {"done": "1"})
    assert response.status_code == 200
    assert 'aria-label="Reopen “coach sends notes”"' in html(response)
    action.refresh_from_db()
    assert action.is_done
    client.post(reverse("growth:action-mark", args=[action.code]), {"done": "0"})
    action.refresh_from_db()
    assert not action.is_done


def test_action_rows_show_owner_due_date_overdue_and_done(growth: Growth) -> None:
    owner, coach = growth.owner, growth.cast.coach
    today = timezone.localdate()
    services.add_action(
        owner,
        growth.objective,
        owner=coach,
        description="coach sends notes",
        due_on=today - dt.timedelta(days=1),
    )
    services.set_action_done(owner, growth.action, done=True)

    page = html(client_for(owner).get(reverse("growth:objective", args=[growth.objective.code])))
    rows = page[page.index('id="actions"') :]

    late = rows[rows.rindex("<li", 0, rows.index("coach sends notes")) :]
    late = late[: late.index("</li>")]
    assert 'class="action-item overdue"' in late
    assert "Cody Coach · due" in late
    assert "Overdue" in late
    assert 'aria-pressed="false"' in late
    done = rows[rows.rindex("<li", 0, rows.index(ACTION)) :]
    done = done[: done.index("</li>")]
    assert 'class="action-item done"' in done
    assert f"{owner.name} · due" in done
    assert f"· done {today.day} {today:%b}" in done
    assert 'aria-pressed="true"' in done
    # A plan action belongs to no session: nothing to carry, no session to answer.
    assert 'name="session"' not in rows
    assert "from an earlier session" not in rows


def test_plain_post_redirects_back_to_the_part(growth: Growth) -> None:
    response = client_for(growth.owner).post(
        reverse("growth:action-mark", args=[growth.action.code]), {"done": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("growth:objective", args=[growth.objective.code]) + "#actions"
    )


def test_action_item_owner_defaults_to_the_plan_owner(growth: Growth) -> None:
    page = html(
        client_for(growth.owner).get(reverse("growth:objective", args=[growth.objective.code]))
    )
    assert f'<option value="{growth.owner.code}" selected>Me</option>' in page


def test_sharing_and_unsharing_from_the_plan_page(growth: Growth) -> None:
    client = htmx(client_for(growth.owner))
    manager = growth.cast.manager
    response = client.post(reverse("growth:share-add"), {"person": str(manager.code)})
    assert response.status_code == 200
    assert manager.name in html(response)
    assert (
        client_for(manager).get(reverse("growth:shared-plan", args=[growth.owner.code])).status_code
        == 200
    )
    grant = PlanShare.objects.get(owner=growth.owner, shared_with=manager)
    response = client.post(reverse("growth:share-remove", args=[grant.code]))
    assert response.status_code == 200
    assert "stop sharing with Maria Manager" not in html(response)
    assert (
        client_for(manager).get(reverse("growth:shared-plan", args=[growth.owner.code])).status_code
        == 404
    )


def test_linking_a_session_and_unlinking_it(growth: Growth) -> None:
    client = client_for(growth.owner)
    url = reverse("growth:objective-session", args=[growth.objective.code])
    response = client.post(url, {"session": str(growth.one_on_one_session.code)})
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert objective.session == growth.one_on_one_session
    assert objective.session_label.startswith("Manager one-on-one with Maria Manager, ")
    page = html(client.get(reverse("growth:objective", args=[objective.code])))
    # Linking does not share: the page says the manager cannot see it.
    assert "only if you share your plan with them" in page
    client.post(url, {"session": ""})
    objective.refresh_from_db()
    assert objective.session is None
    assert objective.session_label == ""


def test_linked_and_shared_party_sees_no_hint(growth: Growth) -> None:
    page = html(
        client_for(growth.owner).get(reverse("growth:objective", args=[growth.objective.code]))
    )
    assert str(growth.coaching_session.code) in page
    assert "only if you share your plan with them" not in page


def test_own_code_on_the_shared_page_leads_home(growth: Growth) -> None:
    response = client_for(growth.owner).get(reverse("growth:shared-plan", args=[growth.owner.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("growth:home")


# --- services: the rules hold without the forms ----------------------------------------


def test_services_refuse_anyone_but_the_owner(growth: Growth) -> None:
    coach = growth.cast.coach
    due = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.add_action(coach, growth.objective, owner=coach, description="x", due_on=due)
    with pytest.raises(PermissionDenied):
        services.add_check_in(coach, growth.objective, note="x")
    with pytest.raises(PermissionDenied):
        services.set_action_done(coach, growth.action, done=True)
    with pytest.raises(PermissionDenied):
        services.update_objective(coach, growth.objective, what="x")
    with pytest.raises(PermissionDenied):
        services.link_session(coach, growth.objective, None)
    with pytest.raises(PermissionDenied):
        services.unshare(coach, growth.share)
    assert CheckIn.objects.count() == 1


def test_services_validate_without_the_forms(growth: Growth) -> None:
    owner = growth.owner
    with pytest.raises(ValidationError, match="Describe all five outcomes"):
        services.add_objective(owner, what="x", scale=["a", "b", "", "d", "e"])
    plain = services.add_objective(owner, what="plain")
    with pytest.raises(ValidationError, match="no goal-attainment scale"):
        services.add_check_in(owner, plain, note="x", position=1)
    with pytest.raises(ValidationError, match="from −2 to \\+2"):
        services.add_check_in(owner, growth.objective, note="x", position=5)
    with pytest.raises(ValidationError, match="Keep your mission statement to 600"):
        services.save_mission_statement(owner, text="x" * 601)
    with pytest.raises(ValidationError, match="Choose someone from your organisation"):
        services.add_action(
            owner, plain, owner=growth.cast.outsider, description="x", due_on=timezone.localdate()
        )
    theirs = make_session(one_on_one(growth.cast.manager, growth.cast.peer))
    with pytest.raises(ValidationError, match="Choose one of your own coaching sessions"):
        services.link_session(owner, plain, theirs)
    with pytest.raises(ValidationError, match="Choose someone else"):
        services.share(owner, owner)


def test_only_one_version_is_current(growth: Growth) -> None:
    services.save_mission_statement(growth.owner, text="third")
    assert MissionStatement.objects.filter(owner=growth.owner, is_current=True).count() == 1
    assert MissionStatement.objects.filter(owner=growth.owner).count() == 3


def test_every_htmx_post_also_works_as_a_plain_form(growth: Growth) -> None:
    """Without JavaScript each form posts and is redirected back to its part."""
    client = client_for(growth.owner)
    objective = growth.objective
    objective_url = reverse("growth:objective", args=[objective.code])
    posts = [
        (
            reverse("growth:action-add", args=[objective.code]),
            {"owner": str(growth.owner.code), "description": "plain post", "due_on": "2026-12-01"},
            objective_url + "#actions",
        ),
        (
            reverse("growth:check-in-add", args=[objective.code]),
            {"note": "plain check-in", "position": "1"},
            objective_url + "#check-ins",
        ),
        (
            reverse("growth:objective-session", args=[objective.code]),
            {"session": str(growth.coaching_session.code)},
            objective_url + "#session",
        ),
        (
            reverse("growth:share-add"),
            {"person": str(growth.cast.peer.code)},
            reverse("growth:plan") + "#shares",
        ),
        (
            reverse("growth:share-remove", args=[growth.share.code]),
            {},
            reverse("growth:plan") + "#shares",
        ),
    ]
    for url, data, location in posts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == location
    assert PlanAction.objects.filter(description="plain post").exists()
    assert CheckIn.objects.filter(note="plain check-in", position=1).exists()
    assert list(PlanShare.objects.values_list("shared_with", flat=True)) == [growth.cast.peer.pk]


def test_session_page_snippet_lists_what_the_viewer_may_read(growth: Growth) -> None:
    from django.template.loader import render_to_string

    from cairn.growth.policy import objectives_for_session
    from cairn.testing import count_queries

    def snippet(viewer: object, session: object) -> str:
        objectives = objectives_for_session(viewer, session)  # type: ignore[arg-type]
        return render_to_string(
            "growth/_session_objectives.html", {"growth_objectives": objectives}
        )

    coach_part = snippet(growth.cast.coach, growth.coaching_session)
    assert growth.objective.what in coach_part
    assert reverse("growth:objective", args=[growth.objective.code]) in coach_part
    assert "Riley’s plan" in coach_part
    assert count_queries(lambda: snippet(growth.cast.coach, growth.coaching_session)) == 1

    services.link_session(growth.owner, growth.objective, growth.one_on_one_session)
    assert snippet(growth.cast.manager, growth.one_on_one_session).strip() == ""
    assert growth.objective.what in snippet(growth.owner, growth.one_on_one_session)
