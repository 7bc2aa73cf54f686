"""The leader goes first: each side of a session reads its own prompts, and the
leader gets a few practice tips they can put away and bring back (issue 12, point 1).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cairn.coaching.builtin_templates import (
    ASK_BEFORE_ADVISING,
    BUILTIN_TEMPLATES,
    sync_builtin_templates,
)
from cairn.coaching.models import (
    EngagementKind,
    LeaderTipsDismissal,
    Session,
    SessionTemplate,
    TemplateSection,
)
from cairn.coaching.tests.factories import (
    make_agenda_item,
    make_engagement,
    make_session,
    one_on_one,
)
from cairn.people.models import User
from cairn.testing import ROLES, Cast, client_for, count_queries, html, htmx, make_person

LEADER_PROMPT = "Share first: what has been on your mind since you last met."
QUESTION = "What has been on your mind since we last met?"
SILENCE_TIP = "Let silence work: count to five before you fill a pause."


def page(person: object, session: Session) -> str:
    response = client_for(person).get(reverse("coaching:session", args=[session.code]))  # type: ignore[arg-type]
    assert response.status_code == 200
    return html(response)


def tips_url(session: Session) -> str:
    return reverse("coaching:session-tips", args=[session.code])


# --- prompts for each side --------------------------------------------------------


def test_the_leader_gets_share_first_prompts_and_the_report_the_questions(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))

    leader = page(cast.manager, session)
    assert "You lead this session: share first." in leader
    assert LEADER_PROMPT in leader
    assert "Share a dream of yours, big or small." in leader
    assert QUESTION not in leader

    report = page(cast.report, session)
    assert f"{cast.manager.name} leads this session" in report
    assert QUESTION in report
    assert LEADER_PROMPT not in report
    assert "You lead this session" not in report


def test_a_section_without_leader_prompts_shows_both_sides_the_same(cast: Cast) -> None:
    template = SessionTemplate.objects.create(
        slug="team-own", name="Our own", description="Ours", organisation=cast.org
    )
    TemplateSection.objects.create(
        template=template, position=1, title="Check in", prompts=["How is the week going?"]
    )
    session = make_session(one_on_one(cast.manager, cast.report))
    Session.objects.filter(pk=session.pk).update(template=template)

    for person in (cast.manager, cast.report):
        assert "How is the week going?" in page(person, session)


def test_every_builtin_template_has_the_leader_open_by_sharing() -> None:
    for spec in BUILTIN_TEMPLATES:
        first = spec["sections"][0]
        assert any("shar" in prompt.lower() for prompt in first.get("leader_prompts", [])), spec[
            "slug"
        ]
        assert spec["tips"], spec["slug"]


@pytest.mark.django_db
def test_sync_keeps_one_row_per_section_with_keys_and_leader_prompts() -> None:
    sync_builtin_templates(SessionTemplate, TemplateSection)
    sync_builtin_templates(SessionTemplate, TemplateSection)
    inspire = SessionTemplate.objects.get(slug="inspire", organisation=None)
    sections = list(inspire.sections.all())
    assert [s.key for s in sections] == ["about", "dreams", "actions"]
    assert LEADER_PROMPT in sections[0].leader_prompts
    assert SILENCE_TIP in inspire.tips
    assert TemplateSection.objects.filter(template__organisation=None).count() == sum(
        len(spec["sections"]) for spec in BUILTIN_TEMPLATES
    )


# --- practice tips -------------------------------------------------------------------


def test_tips_show_to_the_leader_only(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    assert SILENCE_TIP in page(cast.manager, session)
    assert "Practice tips" not in page(cast.report, session)
    assert SILENCE_TIP not in page(cast.report, session)


def test_a_one_on_one_gets_no_ask_before_advising_tip(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    assert ASK_BEFORE_ADVISING not in page(cast.manager, session)


def test_coaching_that_asks_not_to_advise_adds_ask_before_you_advise(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    leader = page(cast.coach, session)
    assert SILENCE_TIP in leader
    assert ASK_BEFORE_ADVISING in leader
    assert ASK_BEFORE_ADVISING not in page(cast.report, session)


def test_mentoring_where_advice_is_welcome_has_no_ask_before_advising(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING))
    leader = page(cast.coach, session)
    assert SILENCE_TIP in leader
    assert ASK_BEFORE_ADVISING not in leader


def test_counseling_shows_no_tips(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.COUNSELING))
    leader = page(cast.coach, session)
    assert "You lead this session" in leader
    assert "Practice tips" not in leader
    assert SILENCE_TIP not in leader


def test_a_template_without_tips_shows_none(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    SessionTemplate.objects.filter(pk=session.template_id).update(tips=[])
    leader = page(cast.manager, session)
    assert "Practice tips" not in leader
    assert "Show practice tips" not in leader


def test_hiding_and_showing_tips_without_javascript(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    client = client_for(cast.manager)

    response = client.post(tips_url(session), {"hidden": "1"})
    assert response.status_code == 302
    hidden = page(cast.manager, session)
    assert SILENCE_TIP not in hidden
    assert "Show practice tips" in hidden

    # Put away for this template, for every session of it, and for this person only.
    later = make_session(one_on_one(cast.manager, cast.report))
    assert SILENCE_TIP not in page(cast.manager, later)
    other_template = make_session(make_engagement(cast.manager, cast.peer, EngagementKind.COACHING))
    Session.objects.filter(pk=other_template.pk).update(
        template=SessionTemplate.objects.get(slug="grow")
    )
    assert "Let silence work" in page(cast.manager, other_template)

    response = client.post(tips_url(session), {"hidden": "0"})
    assert response.status_code == 302
    assert SILENCE_TIP in page(cast.manager, session)
    assert not LeaderTipsDismissal.objects.filter(person=cast.manager).exists()


def test_hiding_tips_with_htmx_answers_the_tips_part(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    response = htmx(client_for(cast.manager)).post(tips_url(session), {"hidden": "1"})
    assert response.status_code == 200
    body = html(response)
    assert 'id="leader-tips"' in body
    assert "Show practice tips" in body
    assert "Agenda" not in body

    body = html(htmx(client_for(cast.manager)).post(tips_url(session), {"hidden": "0"}))
    assert SILENCE_TIP in body


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_forged_choice_answers_422_and_changes_nothing(cast: Cast, value: str) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    data = {"hidden": value} if value else {}
    response = htmx(client_for(cast.manager)).post(tips_url(session), data)
    assert response.status_code == 422
    assert "Choose whether to hide the tips or show them." in html(response)
    assert not LeaderTipsDismissal.objects.exists()

    response = client_for(cast.manager).post(tips_url(session), data)
    assert response.status_code == 422
    assert "Choose whether to hide the tips or show them." in html(response)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "manager"])
def test_nobody_but_the_leader_hides_their_tips(cast: Cast, role: str) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    person = cast.everyone()[role]
    response = client_for(person).post(tips_url(session), {"hidden": "1"})
    assert response.status_code == 404
    assert SILENCE_TIP not in html(response)
    assert not LeaderTipsDismissal.objects.exists()


def test_a_superuser_cannot_hide_tips_of_a_session_not_theirs(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    superuser = make_person(cast.org, "Sam Superuser", is_org_admin=True)
    User.objects.filter(pk=superuser.user_id).update(is_superuser=True, is_staff=True)
    response = client_for(superuser).post(tips_url(session), {"hidden": "1"})
    assert response.status_code == 404
    assert not LeaderTipsDismissal.objects.exists()
    response = client_for(superuser).get(reverse("coaching:session", args=[session.code]))
    assert response.status_code == 404
    assert LEADER_PROMPT not in html(response)


def test_str_of_a_dismissal_names_no_content(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    client_for(cast.manager).post(tips_url(session), {"hidden": "1"})
    dismissal = LeaderTipsDismissal.objects.get()
    assert "Inspire" not in str(dismissal)
    assert cast.manager.name not in str(dismissal)


# --- query counts -------------------------------------------------------------------

# Who is asking (3), the session (1), the service's savepoint (2), the write, and the
# tips part it answers with: whether they are put away (1). Hiding writes with
# get_or_create (select, savepoint, insert, release: 4), showing with one delete.
HIDE_QUERIES = 3 + 1 + 2 + 4 + 1
SHOW_QUERIES = 3 + 1 + 2 + 1 + 1


def test_hiding_tips_costs_the_same_at_one_session_and_at_fifty(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    session = make_session(engagement)
    client = htmx(client_for(cast.manager))
    url = tips_url(session)
    client.post(url, {"hidden": "0"})  # the first request may differ (the session cookie)

    def round_trip() -> None:
        assert client.post(url, {"hidden": "1"}).status_code == 200
        assert client.post(url, {"hidden": "0"}).status_code == 200

    small = count_queries(round_trip)
    for n in range(49):
        other = make_session(engagement, when=session.scheduled_for + dt.timedelta(days=n + 1))
        make_agenda_item(other, cast.report, f"point {n}")
        colleague = make_person(cast.org, f"Colleague {n}")
        LeaderTipsDismissal.objects.create(person=colleague, template_id=session.template_id)
    large = count_queries(round_trip)
    assert small == large <= HIDE_QUERIES + SHOW_QUERIES


def test_the_session_page_as_leader_costs_the_same_with_fifty_sessions(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    session = make_session(engagement)
    client = client_for(cast.coach)
    url = reverse("coaching:session", args=[session.code])
    client.get(url)
    small = count_queries(lambda: client.get(url))
    for n in range(49):
        make_session(engagement, when=session.scheduled_for + dt.timedelta(days=n + 1))
        colleague = make_person(cast.org, f"Colleague {n}")
        LeaderTipsDismissal.objects.create(person=colleague, template_id=session.template_id)
    large = count_queries(lambda: client.get(url))
    assert small == large
