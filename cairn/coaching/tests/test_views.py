"""The coaching pages through the web client: the live session page with htmx and
with JavaScript off, the home page, the engagement page and proposing one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services
from cairn.coaching.models import (
    AgendaItem,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    Session,
    SessionTemplate,
)
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.testing import Cast, client_for

# The answer a confirmation gives (cairn.lib.confirm): ending early and closing ask first.
CONFIRMED = {"confirmed": "yes"}

HTMX = {"HX-Request": "true"}
NUDGE = "This reads like a project status update"
NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any) -> Iterator[None]:
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(cast: Cast) -> Session:
    """Tomorrow's one-on-one between the manager and the report."""
    return make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=1))


def session_url(session: Session) -> str:
    return reverse("coaching:session", args=[session.code])


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The part of a page inside ``<section … id="anchor">``."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def list_item_with(html: str, text: str) -> str:
    """The ``<li>`` that contains ``text``."""
    at = html.index(text)
    return html[html.rindex("<li", 0, at) : html.index("</li>", at)]


# --- the live session page: htmx and plain posts -----------------------------------


# What each add form posts, which part of the page it answers with, and what then shows.
ADDS = [
    ("coaching:agenda-add", {"text": "What gives you energy?"}, "agenda", "energy"),
    ("coaching:note-add", {"body": "Loves pairing", "visibility": "shared"}, "notes", "pairing"),
    (
        "coaching:action-add",
        {"owner": "REPORT", "description": "Read Radical Candor", "due_on": "2026-03-20"},
        "actions",
        "Radical Candor",
    ),
]


def filled(data: dict[str, str], cast: Cast) -> dict[str, str]:
    return {k: str(cast.report.code) if v == "REPORT" else v for k, v in data.items()}


@pytest.mark.parametrize(("url_name", "data", "partial", "shows"), ADDS)
def test_htmx_add_answers_with_only_its_part_of_the_page(
    cast: Cast, session: Session, url_name: str, data: dict[str, str], partial: str, shows: str
) -> None:
    response = client_for(cast.report).post(
        reverse(url_name, args=[session.code]), filled(data, cast), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="{partial}"' in html
    assert shows in html
    others = {"agenda", "notes", "actions"} - {partial}
    assert not any(f'id="{other}"' in html for other in others)


@pytest.mark.parametrize(("url_name", "data", "partial", "shows"), ADDS)
def test_plain_post_redirects_back_to_the_session_page(
    cast: Cast, session: Session, url_name: str, data: dict[str, str], partial: str, shows: str
) -> None:
    client = client_for(cast.report)
    response = client.post(reverse(url_name, args=[session.code]), filled(data, cast))
    assert response.status_code == 302
    assert response["Location"] == f"{session_url(session)}#{partial}"
    assert shows in section(page(client, session_url(session)), partial)


def test_the_other_party_sees_what_was_added(cast: Cast, session: Session) -> None:
    client_for(cast.report).post(
        reverse("coaching:agenda-add", args=[session.code]), {"text": "My career goals"}
    )
    assert "My career goals" in section(
        page(client_for(cast.manager), session_url(session)), "agenda"
    )


def test_nudge_appears_on_a_status_like_point_and_goes_after_dismiss(
    cast: Cast, session: Session
) -> None:
    client = client_for(cast.manager)
    response = client.post(
        reverse("coaching:agenda-add", args=[session.code]),
        {"text": "Sprint progress and blockers"},
        headers=HTMX,
    )
    assert NUDGE in response.content.decode()
    item = AgendaItem.objects.get(text="Sprint progress and blockers")

    response = client.post(reverse("coaching:agenda-dismiss", args=[item.code]), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="agenda"' in html
    assert "Sprint progress and blockers" in html
    assert NUDGE not in html
    assert NUDGE not in page(client, session_url(session))


def test_no_nudge_on_a_personal_point(cast: Cast, session: Session) -> None:
    make_agenda_item(session, cast.report, "Worried about burn-out after the release")
    assert NUDGE not in page(client_for(cast.report), session_url(session))


def test_dismissing_the_nudge_without_javascript_redirects_back(
    cast: Cast, session: Session
) -> None:
    item = make_agenda_item(session, cast.report, "JIRA-123 is 80% done")
    client = client_for(cast.report)
    assert NUDGE in page(client, session_url(session))
    response = client.post(reverse("coaching:agenda-dismiss", args=[item.code]))
    assert response.status_code == 302
    assert response["Location"] == f"{session_url(session)}#agenda"
    assert NUDGE not in page(client, session_url(session))


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_ticking_an_agenda_point_discussed_and_back(
    cast: Cast, session: Session, headers: dict[str, str]
) -> None:
    item = make_agenda_item(session, cast.report, "Dreams: leading a team one day")
    client = client_for(cast.manager)
    mark = reverse("coaching:agenda-mark", args=[item.code])

    response = client.post(mark, {"discussed": "1"}, headers=headers)
    assert response.status_code == (200 if headers else 302)
    line = list_item_with(section(page(client, session_url(session)), "agenda"), "Dreams")
    assert "· discussed" in line
    assert "not discussed" in line  # the button now offers to undo it
    item.refresh_from_db()
    assert item.discussed

    client.post(mark, {"discussed": "0"}, headers=headers)
    line = list_item_with(section(page(client, session_url(session)), "agenda"), "Dreams")
    assert "· discussed" not in line
    item.refresh_from_db()
    assert not item.discussed


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_ticking_an_action_item_done_and_reopening_it(
    cast: Cast, session: Session, headers: dict[str, str]
) -> None:
    item = make_action_item(session, cast.report, "Draft my mission statement")
    client = client_for(cast.report)
    mark = reverse("coaching:action-mark", args=[item.code])

    response = client.post(mark, {"done": "1", "session": str(session.code)}, headers=headers)
    if headers:
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="actions"' in html
        assert "<html" not in html
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{session_url(session)}#actions"
    line = list_item_with(section(page(client, session_url(session)), "actions"), "Draft my")
    assert "done 4 Mar" in line
    assert "Reopen" in line

    client.post(mark, {"done": "0", "session": str(session.code)}, headers=headers)
    line = list_item_with(section(page(client, session_url(session)), "actions"), "Draft my")
    assert "done 4 Mar" not in line
    assert "Mark “Draft my mission statement” done" in line
    item.refresh_from_db()
    assert item.done_at is None


def test_session_rows_show_owner_due_date_overdue_and_which_session_the_tick_answers(
    cast: Cast, session: Session
) -> None:
    make_action_item(session, cast.report, "Send the slides", due_on=dt.date(2026, 3, 3))
    make_action_item(session, cast.manager, "Book the room", due_on=dt.date(2026, 3, 11))

    actions = section(page(client_for(cast.report), session_url(session)), "actions")

    late = list_item_with(actions, "Send the slides")
    assert 'class="action-item overdue"' in late
    assert "Riley Report · due" in late
    assert "Overdue" in late
    # Without JavaScript the tick names the session, so the answer is this page.
    assert f'name="session" value="{session.code}"' in late
    assert "from an earlier session" not in late
    ahead = list_item_with(actions, "Book the room")
    assert "Maria Manager · due" in ahead
    assert "Overdue" not in ahead


def test_a_closed_engagement_lists_its_action_items_without_ticks_or_form(
    cast: Cast, session: Session
) -> None:
    make_action_item(session, cast.report, "Send the slides")
    Engagement.objects.filter(pk=session.engagement_id).update(status=EngagementStatus.CLOSED)

    actions = section(page(client_for(cast.report), session_url(session)), "actions")

    assert "Send the slides" in list_item_with(actions, "Send the slides")
    assert "<form" not in actions
    assert "Add action item" not in actions


def test_ticking_an_item_off_from_home_goes_back_home(cast: Cast, session: Session) -> None:
    item = make_action_item(session, cast.report, "Draft my mission statement")
    client = client_for(cast.report)
    response = client.post(reverse("coaching:action-mark", args=[item.code]), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Draft my mission statement" not in page(client, reverse("home"))


def test_deleting_my_note(cast: Cast, session: Session) -> None:
    note = make_note(session, cast.report, "Half-formed thought", private=True)
    client = client_for(cast.report)
    url = reverse("coaching:note-delete", args=[note.code])
    response = client.post(url, {"confirmed": "yes"}, headers=HTMX)
    assert response.status_code == 200
    assert "Half-formed thought" not in response.content.decode()
    assert not Note.objects.exists()


def test_ending_the_session_leads_to_the_next_one_with_the_carried_points(
    cast: Cast, session: Session
) -> None:
    talked = make_agenda_item(session, cast.report, "What gives you energy?")
    make_agenda_item(session, cast.report, "Feedback on my talk")
    client = client_for(cast.manager)
    client.post(reverse("coaching:agenda-mark", args=[talked.code]), {"discussed": "1"})

    response = client.post(reverse("coaching:session-complete", args=[session.code]), CONFIRMED)

    next_session = Session.objects.exclude(pk=session.pk).get()
    assert response.status_code == 302
    assert response["Location"] == session_url(next_session)
    html = page(client, response["Location"])
    assert "Points you did not get to are on the next agenda" in html
    line = list_item_with(section(html, "agenda"), "Feedback on my talk")
    assert "carried over" in line
    assert "What gives you energy?" not in section(html, "agenda")
    # The ended session shows what happened to each point and takes no new ones.
    ended = page(client, session_url(session))
    assert "moved to the next session" in list_item_with(ended, "Feedback on my talk")
    assert reverse("coaching:agenda-add", args=[session.code]) not in ended
    assert reverse("coaching:session-complete", args=[session.code]) not in ended


def test_ending_a_session_twice_says_so_instead_of_failing(cast: Cast, session: Session) -> None:
    make_agenda_item(session, cast.report, "Feedback on my talk")
    client = client_for(cast.manager)
    url = reverse("coaching:session-complete", args=[session.code])
    client.post(url, CONFIRMED)

    response = client.post(url, CONFIRMED, follow=True)

    assert response.status_code == 200
    assert "This session has already ended." in response.content.decode()
    assert Session.objects.count() == 2
    assert AgendaItem.objects.filter(text="Feedback on my talk").count() == 2


# --- home --------------------------------------------------------------------------


def test_home_shows_only_the_next_session_of_an_engagement(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    soon = make_session(engagement, when=NOW + dt.timedelta(days=3))
    later = make_session(engagement, when=NOW + dt.timedelta(days=10))
    html = page(client_for(cast.report), reverse("home"))
    upcoming = section(html, "upcoming-heading")
    assert session_url(soon) in upcoming
    assert "Maria Manager" in upcoming
    assert session_url(later) not in html


def test_home_reminds_of_sessions_not_ended_in_the_past_fortnight(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    recent = make_session(engagement, when=NOW - dt.timedelta(days=3))
    long_ago = make_session(engagement, when=NOW - dt.timedelta(days=20))

    html = section(page(client_for(cast.manager), reverse("home")), "upcoming-heading")

    assert "not wrapped up yet" in list_item_with(html, session_url(recent))
    assert session_url(long_ago) not in html


def test_home_shows_my_open_action_items_with_overdue_marked(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=NOW - dt.timedelta(days=7))
    make_action_item(session, cast.report, "Send the slides", due_on=dt.date(2026, 3, 3))
    make_action_item(session, cast.report, "Due today", due_on=dt.date(2026, 3, 4))
    make_action_item(session, cast.report, "Next week", due_on=dt.date(2026, 3, 11))
    make_action_item(session, cast.manager, "Book the team offsite", due_on=dt.date(2026, 3, 1))
    done = make_action_item(session, cast.report, "Already done", due_on=dt.date(2026, 3, 1))
    done.done_at = timezone.now()
    done.save()

    mine = section(page(client_for(cast.report), reverse("home")), "actions-heading")

    assert "Overdue" in list_item_with(mine, "Send the slides")
    assert "Overdue" not in list_item_with(mine, "Due today")
    assert "Overdue" not in list_item_with(mine, "Next week")
    assert "Book the team offsite" not in mine
    assert "Already done" not in mine


def test_home_lists_the_people_i_meet_with(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report, EngagementKind.MENTORING, agreed=False)
    people = section(page(client_for(cast.report), reverse("home")), "people-heading")
    assert "Maria Manager" in people
    assert "Manager one-on-one" in people
    assert "Cody Coach" in people
    assert "proposed" in people


def test_home_has_an_empty_state_when_there_is_nothing(cast: Cast) -> None:
    html = page(client_for(cast.coach), reverse("home"))
    assert "No sessions scheduled." in html
    assert "Nothing open." in html
    assert "You have no one-on-ones or engagements yet." in html


def test_closed_engagements_leave_the_home_page(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client_for(cast.coach).post(
        reverse("coaching:engagement-close", args=[engagement.code]), CONFIRMED
    )
    report = client_for(cast.report)
    html = page(report, reverse("home"))
    assert "Cody Coach" not in section(html, "people-heading")
    # Until the report writes their debrief, home invites them to.
    assert "Cody Coach" in section(html, "debriefs-heading")
    engagement.refresh_from_db()
    services.write_debrief(cast.report, engagement, learnings="Listen first", felt="between")
    assert "Cody Coach" not in page(report, reverse("home"))


# --- the engagement page -----------------------------------------------------------


def test_engagement_page_shows_session_history_and_open_items(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    held = make_session(engagement, when=NOW - dt.timedelta(days=7), completed=True)
    upcoming = make_session(engagement, when=NOW + dt.timedelta(days=1))
    make_action_item(held, cast.report, "Draft my mission statement")
    finished = make_action_item(held, cast.report, "Book the conference")
    finished.done_at = timezone.now()
    finished.save()

    html = page(client_for(cast.report), reverse("coaching:engagement", args=[engagement.code]))

    sessions = section(html, "sessions-heading")
    assert session_url(held) in sessions
    assert session_url(upcoming) in sessions
    assert "upcoming" in list_item_with(sessions, session_url(upcoming))
    assert "upcoming" not in list_item_with(sessions, session_url(held))
    items = section(html, "open-items-heading")
    assert "Draft my mission statement" in items
    assert "Book the conference" not in items


def test_engagement_page_suggests_the_next_time_by_cadence(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)  # weekly
    make_session(engagement, when=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
    html = page(client_for(cast.manager), reverse("coaching:engagement", args=[engagement.code]))
    assert 'value="2026-03-09T10:00"' in html


def test_scheduling_a_session_from_the_engagement_page(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    inspire = SessionTemplate.objects.get(slug="inspire")
    response = client_for(cast.report).post(
        reverse("coaching:session-schedule", args=[engagement.code]),
        {"scheduled_for": "2026-03-10T09:30", "template": inspire.slug},
    )
    session = engagement.sessions.get()
    assert response.status_code == 302
    assert response["Location"] == session_url(session)
    assert timezone.localtime(session.scheduled_for).strftime("%Y-%m-%d %H:%M") == (
        "2026-03-10 09:30"
    )
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


# --- proposing and agreeing --------------------------------------------------------


def test_propose_an_engagement_and_the_other_party_accepts(cast: Cast) -> None:
    grow = SessionTemplate.objects.get(slug="grow")
    report = client_for(cast.report)
    response = report.post(
        reverse("coaching:engagement-new"),
        {
            "other": str(cast.coach.code),
            "kind": EngagementKind.COACHING,
            "role": "receiver",
            "direction": "",
            "cadence": "fortnightly",
            "template": grow.slug,
        },
    )
    engagement = Engagement.objects.get(kind=EngagementKind.COACHING)
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:engagement", args=[engagement.code])
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)
    assert engagement.template == grow
    html = page(report, response["Location"])
    assert "Proposed to Cody Coach" in html
    assert "Waiting for Cody Coach to agree." in html

    coach = client_for(cast.coach)
    accept = reverse("coaching:engagement-accept", args=[engagement.code])
    assert accept in page(coach, response["Location"])
    assert report.post(accept).status_code == 403

    response = coach.post(accept)

    assert response.status_code == 302
    html = page(coach, response["Location"])
    assert "Agreed. Schedule your first session" in html
    assert "Schedule the next session" in html
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED

    # A second click finds it agreed already and says so.
    again = coach.post(accept, follow=True)
    assert again.status_code == 200
    assert "This engagement is already agreed." in again.content.decode()


def test_an_ended_sessions_agenda_cannot_be_ticked_any_more(cast: Cast, session: Session) -> None:
    point = make_agenda_item(session, cast.report, "Feedback on my talk")
    client = client_for(cast.manager)
    client.post(reverse("coaching:session-complete", args=[session.code]), CONFIRMED)

    forged = client.post(reverse("coaching:agenda-mark", args=[point.code]), {"discussed": "1"})

    assert forged.status_code == 403
    point.refresh_from_db()
    assert not point.discussed
    assert "moved to the next session" in list_item_with(
        page(client, session_url(session)), "Feedback on my talk"
    )


def test_propose_as_the_giver(cast: Cast) -> None:
    client_for(cast.coach).post(
        reverse("coaching:engagement-new"),
        {
            "other": str(cast.report.code),
            "kind": EngagementKind.MENTORING,
            "role": "giver",
            "cadence": "weekly",
            "template": "inspire",
        },
    )
    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)
    assert engagement.proposed_by == cast.coach


def test_the_propose_form_offers_no_one_on_one_and_no_outsiders(cast: Cast) -> None:
    html = page(client_for(cast.report), reverse("coaching:engagement-new") + "?other_q=o")
    assert 'value="coaching"' in html
    assert 'value="one_on_one"' not in html
    assert "Maria Manager" in html  # whom they work with; anyone else by a search
    assert "Cody Coach" in page(
        client_for(cast.report), reverse("coaching:engagement-new") + "?other_q=Cod"
    )
    assert "Olga Outsider" not in page(
        client_for(cast.report), reverse("coaching:engagement-new") + "?other_q=Olga"
    )
    assert "Riley Report" not in html


# --- security headers and scripts --------------------------------------------------


def test_pages_send_a_strict_csp_and_have_no_inline_script(cast: Cast, session: Session) -> None:
    make_agenda_item(session, cast.report, "Sprint progress and blockers")
    make_note(session, cast.report, "<script>alert(1)</script>")
    make_action_item(session, cast.report, "Read the chapter")
    client = client_for(cast.report)
    urls = [
        reverse("home"),
        reverse("coaching:engagement-new"),
        reverse("coaching:engagement", args=[session.engagement.code]),
        session_url(session),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        html = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
        assert scripts, url  # htmx itself
        for attributes, body in scripts:
            assert "src=" in attributes, url
            assert body.strip() == "", url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(session_url(session)).content.decode()
    )


def test_signed_out_visitors_are_sent_to_log_in(session: Session) -> None:
    response = Client().get(session_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_drops_unheld_sessions_of_a_closed_engagement(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    missed = make_session(engagement, when=NOW - dt.timedelta(days=1))
    client = client_for(cast.report)
    assert "not wrapped up yet" in list_item_with(page(client, reverse("home")), "Cody Coach")

    client.post(reverse("coaching:engagement-close", args=[engagement.code]), CONFIRMED)

    html = page(client, reverse("home"))
    assert session_url(missed) not in html
    assert "No sessions scheduled." in html
    # The engagement page keeps it, marked as a session that was not held.
    history = page(client, reverse("coaching:engagement", args=[engagement.code]))
    assert "not held" in list_item_with(history, session_url(missed))


def test_my_action_item_can_be_ticked_off_from_home_after_the_engagement_closed(
    cast: Cast,
) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    item = make_action_item(make_session(engagement), cast.report, "Draft my mission statement")
    client_for(cast.coach).post(
        reverse("coaching:engagement-close", args=[engagement.code]), CONFIRMED
    )
    client = client_for(cast.report)
    assert "Draft my mission statement" in page(client, reverse("home"))

    response = client.post(reverse("coaching:action-mark", args=[item.code]), {"done": "1"})

    assert response.status_code == 302
    assert "Draft my mission statement" not in page(client, reverse("home"))
