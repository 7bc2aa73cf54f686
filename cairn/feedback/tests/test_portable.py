"""Feedback in a person's export, under the anonymity rules: the asker's export has
unsigned answers only once they show on the page, without author or time; an
answerer's export has what they wrote and nothing of anybody else's answers."""

from __future__ import annotations

import json

from cairn.feedback import services
from cairn.feedback.portable import export_sections
from cairn.feedback.tests.factories import (
    GIVEN_WELL,
    Q_BETTER,
    Q_TRY,
    Q_WELL,
    QUESTION,
    TAKEAWAY,
    answer,
    ask,
    better,
    build_world,
    to_try,
    well,
)
from cairn.testing import Cast, count_queries, make_person


def dump(person: object) -> str:
    return json.dumps(export_sections(person))  # type: ignore[arg-type]


def test_two_unsigned_answers_are_not_in_the_askers_export(cast: Cast) -> None:
    people = [cast.peer, cast.coach, cast.director]
    request = ask(cast.report, people)
    answer(request, cast.peer, 0, signed=False)
    answer(request, cast.coach, 1, signed=False)
    text = dump(cast.report)
    assert QUESTION in text
    for n in (0, 1):
        assert well(n) not in text
    answer(request, cast.director, 2, signed=False)
    sections = export_sections(cast.report)
    (item,) = sections["feedback_requests"]
    assert sorted(a["well"] for a in item["answers"]) == [well(0), well(1), well(2)]
    for shown in item["answers"]:
        assert shown == {
            "from": None,
            "signed": False,
            "well": shown["well"],
            "better": shown["better"],
            "to_try": shown["to_try"],
        }
    # Whom they asked, never who answered.
    assert item["asked"] == sorted(p.name for p in people)
    text = json.dumps(sections)
    for word in ("answered", "declined", "waiting"):
        assert word not in text


def test_signed_answers_carry_the_name(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer])
    answer(request, cast.peer, 0, signed=True)
    (item,) = export_sections(cast.report)["feedback_requests"]
    assert item["answers"][0]["from"] == cast.peer.name


def test_the_answerers_export_has_what_they_wrote_and_no_one_elses(cast: Cast) -> None:
    world = build_world(cast, unsigned=3, signed=1)
    sections = export_sections(cast.peer)
    (mine,) = sections["feedback_answers_written"]
    assert mine["well"] == well(0)
    assert mine["asked_by"] == cast.report.name
    assert mine["signed"] is False
    text = json.dumps(sections)
    for n in (1, 2, 3):
        assert well(n) not in text
    assert TAKEAWAY not in text
    # What the peer gave unasked is in their export, without whether it was kept.
    (given,) = sections["feedback_given"]
    assert given["well"] == GIVEN_WELL
    assert "kept" not in given
    assert world.request.code  # the world is the one built above


def test_the_receivers_export_has_what_they_keep(cast: Cast) -> None:
    build_world(cast)
    sections = export_sections(cast.report)
    (received,) = sections["feedback_received"]
    assert (received["from"], received["well"], received["kept"]) == (
        cast.peer.name,
        GIVEN_WELL,
        True,
    )
    (request,) = sections["feedback_requests"]
    assert [t["text"] for t in request["takeaways"]] == [TAKEAWAY]


def test_a_discarded_one_leaves_the_receivers_export(cast: Cast) -> None:
    given = services.give(cast.peer, cast.report, well=GIVEN_WELL)
    services.keep(cast.report, given, kept=False)
    assert GIVEN_WELL not in dump(cast.report)
    assert GIVEN_WELL in dump(cast.peer)


def test_nobody_elses_export_has_any_of_it(cast: Cast) -> None:
    world = build_world(cast)
    # The program admin answered (signed): their export has the questions they were
    # asked and their own answer, nothing else.
    theirs = {QUESTION, Q_WELL, Q_BETTER, Q_TRY, well(3), better(3), to_try(3)}
    for role in ("manager", "admin", "hr", "outsider", "program_admin"):
        text = dump(cast.everyone()[role])
        for secret in world.secrets:
            if role == "program_admin" and secret in theirs:
                continue
            assert secret not in text, (role, secret)


def test_the_sections_cost_the_same_at_1_and_20_rows(cast: Cast) -> None:
    colleagues = [make_person(cast.org, f"Colleague {n}") for n in range(3)]

    def grow(rows: int) -> None:
        for n in range(rows):
            request = ask(cast.report, colleagues, question=f"q {n}")
            for i, person in enumerate(colleagues):
                answer(request, person, i, signed=bool(i % 2))
            given = services.give(colleagues[0], cast.report, well=f"g {n}")
            services.add_takeaway(cast.report, given=given, text=f"t {n}")

    grow(1)
    small = count_queries(lambda: export_sections(cast.report))
    grow(19)
    large = count_queries(lambda: export_sections(cast.report))
    assert small == large <= 8
    # (The export's own tests check the sections against the schema:
    # cairn/export/tests/test_import.py, whose world holds feedback.)
