"""Coaching's part of a person's export: what they wrote or own, nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from cairn.coaching import portable, services
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import EngagementKind, SponsorSees
from cairn.coaching.tests.factories import (
    make_action_item,
    make_engagement,
    make_note,
    make_session,
)
from cairn.testing import Cast, count_queries, make_person

MY_PRIVATE = "mine, private: I want to lead the migration"
MY_SHARED = "mine, shared: try the pairing rota"
THEIR_PRIVATE = "theirs, private: they seem tired lately"
THEIR_SHARED = "theirs, shared: book the architecture review"
MY_ACTION = "draft the RFC"
THEIR_ACTION = "introduce them to the SRE lead"
MY_DEBRIEF = "I learned to ask for help earlier"
THEIR_DEBRIEF = "I learned to wait longer before answering"


def world(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.MENTORING)
    session = make_session(engagement)
    make_note(session, cast.report, MY_PRIVATE, private=True)
    make_note(session, cast.report, MY_SHARED)
    make_note(session, cast.coach, THEIR_PRIVATE, private=True)
    make_note(session, cast.coach, THEIR_SHARED)
    make_action_item(session, cast.report, MY_ACTION, by=cast.coach)
    make_action_item(session, cast.coach, THEIR_ACTION)
    version = services.propose_amendment(
        cast.report,
        engagement,
        dataclasses.replace(terms_for(EngagementKind.MENTORING), sponsor_sees=SponsorSees.CADENCE),
    )
    services.accept_agreement(cast.coach, version)
    services.close_engagement(cast.coach, engagement)
    services.write_debrief(cast.report, engagement, learnings=MY_DEBRIEF, felt="transformational")
    services.write_debrief(cast.coach, engagement, learnings=THEIR_DEBRIEF, felt="between")


def test_export_holds_the_persons_own_notes_private_ones_included(cast: Cast) -> None:
    world(cast)
    notes = portable.export_sections(cast.report)["notes"]
    assert [n["body"] for n in notes] == [MY_PRIVATE, MY_SHARED]
    assert [n["visibility"] for n in notes] == ["private", "shared"]
    assert notes[0]["engagement"] == "Mentoring"
    assert notes[0]["with"] == "Cody Coach"
    assert notes[0]["role"] == "receiver"


def test_export_never_holds_the_other_partys_notes(cast: Cast) -> None:
    world(cast)
    text = json.dumps(portable.export_sections(cast.report))
    assert THEIR_PRIVATE not in text
    assert THEIR_SHARED not in text  # shared, but theirs
    assert THEIR_ACTION not in text
    assert THEIR_DEBRIEF not in text
    # And the other way round.
    theirs = json.dumps(portable.export_sections(cast.coach))
    assert MY_PRIVATE not in theirs
    assert MY_SHARED not in theirs
    assert THEIR_PRIVATE in theirs


def test_export_holds_owned_action_items_debriefs_and_every_agreement_version(
    cast: Cast,
) -> None:
    world(cast)
    sections = portable.export_sections(cast.report)
    assert [a["description"] for a in sections["action_items"]] == [MY_ACTION]
    assert sections["action_items"][0]["added_by"] == "Cody Coach"
    assert [d["learnings"] for d in sections["debriefs"]] == [MY_DEBRIEF]
    assert [(v["version"], v["status"]) for v in sections["agreements"]] == [
        (1, "accepted"),
        (2, "accepted"),
    ]
    assert sections["agreements"][1]["proposed_by"] == "self"
    assert sections["agreements"][1]["accepted_by"] == "Cody Coach"
    # Both parties accepted the agreement: it is the other party's too.
    assert len(portable.export_sections(cast.coach)["agreements"]) == 2


def test_nobody_else_exports_anything_of_it(cast: Cast) -> None:
    world(cast)
    for role in ("manager", "director", "peer", "admin", "program_admin", "outsider"):
        sections = portable.export_sections(cast.everyone()[role])
        assert sections == {"notes": [], "action_items": [], "agreements": [], "debriefs": []}


def test_export_is_json_safe_deterministic_and_carries_no_ids(cast: Cast) -> None:
    world(cast)
    first = json.dumps(portable.export_sections(cast.report), sort_keys=True)
    assert first == json.dumps(portable.export_sections(cast.report), sort_keys=True)
    sections = portable.export_sections(cast.report)
    for items in sections.values():
        for item in items:
            assert not {"id", "pk", "code"} & item.keys()
            for key, value in item.items():
                if key.endswith("_at") and value is not None:
                    assert dt.datetime.fromisoformat(value).tzinfo is not None
                if key.endswith("_on") and value is not None:
                    dt.date.fromisoformat(value)
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
    assert not uuid.search(first)


def test_export_costs_the_same_at_one_row_and_fifty(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement)
    make_note(session, cast.report, "one")
    make_action_item(session, cast.report, "one")
    small = count_queries(lambda: portable.export_sections(cast.report))
    for n in range(49):
        other = make_person(cast.org, f"Coach {n}")
        e = make_engagement(other, cast.report)
        s = make_session(e)
        make_note(s, cast.report, f"note {n}", private=True)
        make_action_item(s, cast.report, f"item {n}", by=other)
        services.close_engagement(other, e)
        services.write_debrief(cast.report, e, learnings=f"learned {n}", felt="between")
    large = count_queries(lambda: portable.export_sections(cast.report))
    assert len(portable.export_sections(cast.report)["notes"]) == 50
    assert small == large == 4
