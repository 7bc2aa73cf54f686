"""Export → import → export: a person's data goes with them, once, all or nothing."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cairn.coaching.tests.factories import make_note, make_session, one_on_one
from cairn.export import document as doc
from cairn.export import services
from cairn.export.models import Import, ImportedItem
from cairn.export.tests import factories as world
from cairn.export.tests.conftest import Wishes
from cairn.growth.models import PlanAction
from cairn.people.models import Person, Team
from cairn.testing import Cast, make_org, make_person

NOTE = {"body": "kept from my old job", "written_at": "2025-11-03T10:00:00Z"}


def fresh_twin(person: Person) -> Person:
    """Someone of the same name and title in a new organisation of the same name: the
    person after moving to another Cairn instance."""
    return make_person(make_org(person.organisation.name), person.name, title=person.title)


def exported(person: Person) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(doc.dumps(doc.export_document(person)))
    return document


def from_elsewhere(document: dict[str, Any]) -> dict[str, Any]:
    """The document as it arrives from another instance: its person's code and email
    name nobody here, so it is the importer's by name (see ``services.whose``)."""
    document["person"]["code"] = str(uuid.uuid4())
    document["person"]["email"] = "riley@previous.example"
    return document


def data_of(document: dict[str, Any]) -> dict[str, Any]:
    """A document without who exported it (the account's code and email), which an
    instance does not carry over: what an export → import → export keeps."""
    return {
        **document,
        "person": {k: document["person"][k] for k in ("name", "title", "organisation")},
    }


def import_bytes(person: Person, data: bytes) -> Import:
    return services.import_file(person, person, io.BytesIO(data), len(data))


def with_unknown_section(document: dict[str, Any]) -> dict[str, Any]:
    """A section no app of this instance knows (from a newer Cairn, say)."""
    document["sections"]["old_notes"] = [NOTE, {**NOTE, "body": "second"}]
    return document


@pytest.mark.usefixtures("frozen")
def test_export_import_export_gives_the_same_document(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, "Give a talk at a conference")
    wishes.add(cast.report, "Learn Rust", wished_on="2026-02-01")
    first = from_elsewhere(with_unknown_section(exported(cast.report)))
    twin = fresh_twin(cast.report)

    batch = services.import_document(twin, twin, first)

    # The stand-in app restored its section natively; the unknown one is kept.
    assert {"key": "wishes", "count": 2, "restored": True, "already_here": 0} in batch.sections
    assert {"key": "old_notes", "count": 2, "restored": False, "already_here": 0} in (
        batch.sections
    )
    assert ImportedItem.objects.filter(person=twin, key="old_notes").count() == 2
    again = exported(twin)
    assert data_of(again) == data_of(first)
    assert doc.dumps(data_of(again)) == doc.dumps(data_of(first))


@pytest.mark.usefixtures("frozen")
def test_a_second_import_of_the_same_data_changes_nothing(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, "Give a talk")
    document = from_elsewhere(with_unknown_section(exported(cast.report)))
    twin = fresh_twin(cast.report)
    services.import_document(twin, twin, document)
    before = exported(twin)

    # Exported again later, it is still the same data.
    document["exported_at"] = "2026-04-01T08:00:00Z"
    with pytest.raises(ValidationError, match="imported this data on 2 March 2026"):
        services.import_document(twin, twin, document)

    assert exported(twin) == before
    assert Import.objects.filter(person=twin).count() == 1


def test_imported_items_come_after_the_live_ones(
    cast: Cast, wishes: Wishes, monkeypatch: pytest.MonkeyPatch
) -> None:
    wishes.add(cast.report, "live")
    document = exported(cast.report)
    document["sections"]["wishes"] = [{"text": "imported"}]
    # An app that exports the section but cannot import it (as coaching cannot
    # restore notes of engagements that do not exist here): the items are kept.
    real = [p for p in doc.providers() if p.app != "wishes"]
    stand_in = doc.Provider("wishes", wishes.export_sections, None)
    monkeypatch.setattr(doc, "providers", lambda: (*real, stand_in))
    services.import_document(cast.report, cast.report, document)

    assert [w["text"] for w in exported(cast.report)["sections"]["wishes"]] == [
        "live",
        "imported",
    ]


def test_nobody_imports_into_someone_else(cast: Cast) -> None:
    document = with_unknown_section(exported(cast.report))
    with pytest.raises(PermissionDenied):
        services.import_document(cast.manager, cast.report, document)
    assert not ImportedItem.objects.exists()


def test_imported_items_are_their_owners_alone(cast: Cast) -> None:
    services.import_document(cast.report, cast.report, with_unknown_section(exported(cast.report)))
    for person in cast.everyone().values():
        if person != cast.report:
            assert "old_notes" not in exported(person)["sections"]
            assert not ImportedItem.objects.visible_to(person).exists()
            assert not Import.objects.visible_to(person).exists()
    assert NOTE["body"] in doc.dumps(exported(cast.report))


# --- bad input: a clear message naming the place at fault, and nothing saved ----------


def _valid_bytes(person: Person) -> bytes:
    return doc.dumps(with_unknown_section(exported(person))).encode()


def _objectives(person: Person) -> bytes:
    document = with_unknown_section(exported(person))
    document["sections"]["objectives"] = [
        {"what": "one", "target_date": "2026-05-01"},
        {"what": "two", "target_date": None},
        {"what": "three", "target_date": "next spring"},
    ]
    return doc.dumps(document).encode()


BAD_INPUT: dict[str, tuple[Callable[[Person], bytes], str]] = {
    "too big": (
        lambda p: b" " * (services.MAX_BYTES + 1),
        "The file is too big (this one is 5.0 MB): an export is at most 5 MB.",
    ),
    "not utf-8": (lambda p: "é".encode("latin-1") + b"{}", "The file is not UTF-8 text (byte 0"),
    "not json": (lambda p: b'{"schema": "cairn.export/1",', "The file is not valid JSON: "),
    "not an object": (lambda p: b"[1, 2]", "The file is JSON, but not an export"),
    "no schema": (lambda p: b"{}", "schema: this is not an export this Cairn can read (no schema"),
    "wrong schema version": (
        lambda p: _valid_bytes(p).replace(b"cairn.export/1", b"cairn.export/9"),
        "schema: this is not an export this Cairn can read (schema 'cairn.export/9'); "
        "it reads cairn.export/1.",
    ),
    "malformed item": (
        _objectives,
        "sections.objectives[2].target_date: expected a date such as 2026-03-31, "
        "found 'next spring'",
    ),
    "too deep": (
        lambda p: b'{"schema": "cairn.export/1", "x": ' + b"[" * 100 + b"]" * 100 + b"}",
        "The file is nested more than 16 levels deep.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    cast: Cast, wishes: Wishes, case: str
) -> None:
    make, message = BAD_INPUT[case]
    data = make(cast.report)
    with pytest.raises(services.DocumentError) as refused:
        import_bytes(cast.report, data)
    assert refused.value.messages[0].startswith(message)
    assert Import.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert not Team.objects.filter(name="written half-way").exists()
    assert wishes.store == {}


def test_an_app_refusing_its_section_saves_nothing_at_all(
    cast: Cast, wishes: Wishes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(person: Person, sections: doc.Sections) -> set[str]:
        # Half-way through: a row written, then a refusal.
        Team.objects.create(organisation=person.organisation, name="written half-way")
        raise ValidationError("wishes[0].text: too long")

    real = [p for p in doc.providers() if p.app != "wishes"]
    monkeypatch.setattr(
        doc,
        "providers",
        lambda: (*real, doc.Provider("wishes", wishes.export_sections, refuse)),
    )
    with pytest.raises(ValidationError) as refused:
        import_bytes(cast.report, _valid_bytes(cast.report))
    assert refused.value.messages == ["sections.wishes[0].text: too long"]
    assert Import.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert not Team.objects.filter(name="written half-way").exists()


# --- the real apps --------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_the_round_trip_holds_for_every_section_of_the_real_apps(cast: Cast) -> None:
    world.fill(cast, 2)
    first = from_elsewhere(with_unknown_section(exported(cast.report)))
    # Every section of every app is in the test, with something in it.
    expected = {key for p in doc.providers() for key in p.export_sections(cast.report)}
    assert expected <= set(first["sections"])
    assert all(first["sections"].values()), [k for k, v in first["sections"].items() if not v]
    # What the apps write passes the schema that imports are checked against.
    assert services.parse(doc.dumps(first).encode()) == first

    twin = fresh_twin(cast.report)
    services.import_document(twin, twin, first)

    assert data_of(exported(twin)) == data_of(first)
    assert doc.dumps(data_of(exported(twin))) == doc.dumps(data_of(first))


def test_items_already_here_are_not_imported_again(cast: Cast) -> None:
    """Exported here and imported here again (or back from another instance), notes
    are not doubled: the items the person has already are left out."""
    session = make_session(one_on_one(cast.manager, cast.report), completed=True)
    make_note(session, cast.report, world.MY_PRIVATE, private=True)
    make_note(session, cast.report, world.MY_SHARED)
    first = exported(cast.report)
    first["sections"]["notes"].append({**first["sections"]["notes"][0], "body": "new one"})

    batch = services.import_document(cast.report, cast.report, first)

    notes = next(s for s in batch.sections if s["key"] == "notes")
    assert notes == {"key": "notes", "count": 1, "restored": False, "already_here": 2}
    assert [n["body"] for n in exported(cast.report)["sections"]["notes"]] == [
        world.MY_PRIVATE,
        world.MY_SHARED,
        "new one",
    ]


# An objective with its action items exactly as a version 1 document carried them
# before plan actions took a session action item's words (owner, description): the
# keys who_is_me, who, who_code and what. The text is frozen here on purpose; it
# must keep importing for as long as Cairn reads cairn.export/1.
OLD_DOCUMENT = """{
  "schema": "cairn.export/1",
  "exported_at": "2026-02-01T08:00:00Z",
  "person": {"name": "Riley Report", "title": "Engineer", "organisation": "Acme"},
  "sections": {
    "development_plan": [
      {"dreams": "Speak at a conference", "become": "", "created_at": "2026-01-05T09:00:00+00:00"}
    ],
    "objectives": [
      {
        "what": "Give a talk at the meetup",
        "why": "", "how": "", "measure": "",
        "target_on": "2026-06-30",
        "status": "in_progress",
        "created_at": "2026-01-05T10:00:00+00:00",
        "scale": null,
        "linked_session": null,
        "action_items": [
          {"who_is_me": true, "who": null, "who_code": null,
           "what": "write the abstract", "due_on": "2026-02-01",
           "done_at": "2026-01-30T16:00:00+00:00", "created_at": "2026-01-05T10:00:00+00:00"},
          {"who_is_me": false, "who": "Cody Coach", "who_code": "COLLEAGUE_CODE",
           "what": "coach reads the draft", "due_on": "2026-02-15",
           "done_at": null, "created_at": "2026-01-05T10:01:00+00:00"},
          {"who_is_me": false, "who": "Sam From Before",
           "who_code": "6c1f0d1e-9f0e-4a8e-8f3b-2d3c4b5a6978",
           "what": "book the rehearsal room", "due_on": "2026-03-01",
           "done_at": null, "created_at": "2026-01-05T10:02:00+00:00"}
        ],
        "check_ins": []
      }
    ]
  }
}"""


def test_a_document_with_the_old_action_item_keys_still_imports(cast: Cast) -> None:
    data = OLD_DOCUMENT.replace("COLLEAGUE_CODE", str(cast.coach.code)).encode()
    newcomer = make_person(cast.org, "Riley Report")

    import_bytes(newcomer, data)

    mine, coachs, unknown = PlanAction.objects.filter(objective__plan__owner=newcomer).order_by(
        "due_on"
    )
    assert (mine.owner, mine.description, mine.is_done) == (newcomer, "write the abstract", True)
    # Someone of the same organisation is found by code again.
    assert (coachs.owner, coachs.description) == (cast.coach, "coach reads the draft")
    # Someone unknown here stays a name, with the code kept for the next export.
    assert (unknown.owner, unknown.owner_display) == (None, "Sam From Before")
    assert unknown.owner_code == "6c1f0d1e-9f0e-4a8e-8f3b-2d3c4b5a6978"
    # The next export writes the same keys, with the same values.
    old = json.loads(data)["sections"]["objectives"][0]["action_items"]
    again = exported(newcomer)["sections"]["objectives"][0]["action_items"]
    assert again == old
