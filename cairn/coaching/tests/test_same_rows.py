"""The session page asks its agenda, notes and action items through shorter queries
than the models' ``visible_to`` when the viewer is a party (issue 15: less to build
on each request). They must be the same rows, for everyone of the cast — parties,
their managers, the org admin, someone of another organisation — on a session that
has ended and on the next one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.coaching import policy
from cairn.coaching.models import ActionItem, AgendaItem, Note, Session
from cairn.coaching.services import complete_session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.testing.cast import Cast


def test_the_session_pages_lists_are_the_rules_rows(cast: Cast) -> None:
    one = one_on_one(cast.manager, cast.report)
    coaching = make_engagement(cast.coach, cast.report)
    sessions: list[Session] = []
    for engagement in (one, coaching):
        earlier = make_session(engagement, when=timezone.now() + dt.timedelta(hours=1))
        giver, receiver = engagement.giver, engagement.receiver
        for author in (giver, receiver):
            make_agenda_item(earlier, author, f"point of {author.name}")
            make_note(earlier, author, f"shared by {author.name}")
            make_note(earlier, author, f"private to {author.name}", private=True)
        make_action_item(earlier, receiver, "still open")
        done = make_action_item(earlier, giver, "done already")
        ActionItem.objects.filter(pk=done.pk).update(done_at=timezone.now())
        later = complete_session(giver, earlier)
        make_agenda_item(later, receiver, "next time")
        make_note(later, giver, "private, later", private=True)
        make_action_item(later, giver, "made later")
        sessions += [earlier, later]

    compared = 0
    for viewer in cast.everyone().values():
        for session in sessions:
            session = Session.objects.select_related("engagement").get(pk=session.pk)
            assert list(policy.agenda_on(viewer, session)) == list(
                AgendaItem.objects.visible_to(viewer).filter(session=session)
            ), (viewer.name, session.pk)
            assert list(policy.notes_on(viewer, session)) == list(
                Note.objects.visible_to(viewer).filter(session=session)
            ), (viewer.name, session.pk)
            assert list(policy.action_items_on(viewer, session)) == list(
                ActionItem.objects.visible_to(viewer).listed_on(session)
            ), (viewer.name, session.pk)
            compared += 1
    assert compared == len(cast.everyone()) * 4
    # The parties read something on each: the comparison is not of empty lists.
    report_reads = [list(policy.notes_on(cast.report, s)) for s in sessions]
    assert report_reads[0]
    assert any(n.body == f"private to {cast.report.name}" for n in report_reads[0])
    assert not any(n.body == f"private to {cast.manager.name}" for n in report_reads[0])
