"""Imports are for their owner: an upload shows whose export it is before anything is
written, another person's export is refused, and an upload is its person's alone."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cairn.export import document as doc
from cairn.export import services
from cairn.export.management.commands.import_person import Command as ImportPerson
from cairn.export.models import Import, ImportedItem, PendingImport
from cairn.export.tests.conftest import FROZEN, Wishes
from cairn.people.models import Person, User
from cairn.testing import Cast, client_for, count_queries, make_org, make_person
from cairn.testing.accessibility import problems

SECRET = "kept-private: I am applying at a competitor 5e21"
WISH = "wish-private: lead the platform team 90ad"


def document_of(person: Person, **sections: list[dict[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(doc.dumps(doc.export_document(person)))
    document["sections"].update(sections)
    return document


def upload(client: Client, document: dict[str, Any] | bytes, *, htmx: bool = False) -> Any:
    data = document if isinstance(document, bytes) else doc.dumps(document).encode()
    return client.post(
        reverse("export:import"),
        {"file": SimpleUploadedFile("export.json", data, content_type="application/json")},
        headers={"HX-Request": "true"} if htmx else {},
    )


def written(person: Person, wishes: Wishes) -> tuple[int, int, int, int]:
    """What an import writes for a person: imports, kept items, what the apps hold
    (every section of their export), and the stand-in app's rows."""
    held = sum(len(items) for items in doc.export_sections(person).values())
    return (
        Import.objects.count(),
        ImportedItem.objects.count(),
        held,
        len(wishes.store.get(person.pk, [])),
    )


def mine(cast: Cast) -> dict[str, Any]:
    return document_of(cast.report, wishes=[{"text": WISH}], old_notes=[{"body": SECRET}])


# --- the preview: whose export, before anything is written ------------------------------


@pytest.mark.usefixtures("frozen")
def test_the_preview_says_whose_export_it_is_and_writes_nothing(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    before = written(cast.report, wishes)

    response = upload(client, mine(cast))
    assert response.status_code == 302
    preview = client.get(response["Location"])

    assert preview.status_code == 200
    page = preview.content.decode()
    for shown in ("Riley Report", "Engineer", "Acme", "2 March 2026"):
        assert shown in page, shown
    assert "This is your export. It was exported from your account here." in page
    # What it holds, by kind and count; never an item's words.
    assert '<span class="text">Wishes</span> <span class="badge">1</span>' in page
    assert '<span class="text">Old notes</span> <span class="badge">1</span>' in page
    assert SECRET not in page
    assert WISH not in page
    assert "Nothing has been imported yet" in page
    assert problems(page) == []
    assert "style=" not in page
    assert "<script>" not in page
    # Nothing of the person's was written: the file waits, for them alone.
    assert written(cast.report, wishes) == before
    assert PendingImport.objects.get().person == cast.report


def test_confirming_imports_and_deletes_the_upload(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    preview = upload(client, mine(cast))["Location"]

    response = client.post(preview + "confirm/")

    assert response.status_code == 302
    assert wishes.store[cast.report.pk] == [{"text": WISH}]
    assert ImportedItem.objects.get(person=cast.report).load() == {"body": SECRET}
    assert not PendingImport.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 items from your export of" in page
    # The upload is gone: its page and its confirmation answer 404.
    assert client.get(preview).status_code == 404
    assert client.post(preview + "confirm/").status_code == 404
    assert Import.objects.count() == 1


def test_cancelling_deletes_the_upload_and_imports_nothing(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    before = written(cast.report, wishes)
    preview = upload(client, mine(cast))["Location"]

    response = client.post(preview + "cancel/")

    assert response.status_code == 302
    assert "Nothing was imported" in client.get(response["Location"]).content.decode()
    assert not PendingImport.objects.exists()
    assert written(cast.report, wishes) == before


def test_a_new_upload_replaces_the_last_one(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    first = upload(client, mine(cast))["Location"]
    second = upload(client, document_of(cast.report, old_notes=[{"body": "other"}]))["Location"]
    assert first != second
    assert client.get(first).status_code == 404
    assert PendingImport.objects.count() == 1


# --- another person's export is refused -----------------------------------------------------


def test_another_persons_export_is_refused_with_whose_it_is(cast: Cast, wishes: Wishes) -> None:
    # An org admin uploading the report's export into their own account.
    theirs = document_of(cast.report, old_notes=[{"body": SECRET}])
    before = written(cast.admin, wishes)
    for htmx in (False, True):
        response = upload(client_for(cast.admin), theirs, htmx=htmx)
        assert response.status_code == 422
        page = response.content.decode()
        assert "This is the export of Riley Report (Acme, exported" in page
        assert "not yours" in page
        assert "You can import only your own export, so nothing was kept." in page
        assert 'role="alert"' in page
        assert SECRET not in page
    assert not PendingImport.objects.exists()
    assert written(cast.admin, wishes) == before
    assert Import.objects.count() == 0


def test_an_export_from_elsewhere_of_someone_else_is_refused(cast: Cast, wishes: Wishes) -> None:
    document = document_of(cast.report)
    document["person"].update(
        name="Sam Stranger", organisation="Elsewhere Ltd", code=str(uuid.uuid4()), email=""
    )
    response = upload(client_for(cast.report), document)
    assert response.status_code == 422
    assert "This is the export of Sam Stranger (Elsewhere Ltd, exported" in (
        response.content.decode()
    )
    assert "not yours" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        # From another instance (a code unknown here), naming the importer's email
        # under the name they had there.
        (
            {"name": "Riley R.", "code": str(uuid.uuid4()), "email": "RILEY-EMAIL"},
            "It names your email address.",
        ),
        # Written before documents named their account: the name decides.
        ({"name": "riley   report"}, "It carries your name, and names no other account here."),
    ],
)
def test_ones_own_export_from_elsewhere_is_recognised(
    cast: Cast, wishes: Wishes, person: dict[str, str], reason: str
) -> None:
    document = document_of(cast.report)
    document["person"].pop("code")
    document["person"].pop("email")
    document["person"].update(
        {k: v.replace("RILEY-EMAIL", cast.report.user.email.upper()) for k, v in person.items()}
    )
    client = client_for(cast.report)
    response = upload(client, document)
    assert response.status_code == 302, response.content.decode()
    assert reason in client.get(response["Location"]).content.decode()


def test_the_same_name_does_not_make_someone_elses_export_yours(cast: Cast) -> None:
    # A namesake elsewhere in the organisation: the document's account is not theirs.
    namesake = make_person(cast.org, "Riley Report")
    response = upload(client_for(namesake), document_of(cast.report))
    assert response.status_code == 422
    assert "not yours" in response.content.decode()
    # Nor does an email address of another account here.
    document = document_of(cast.report)
    document["person"]["code"] = str(uuid.uuid4())
    response = upload(client_for(namesake), document)
    assert response.status_code == 422
    assert not PendingImport.objects.exists()


def test_the_service_refuses_another_persons_export_by_any_route(cast: Cast) -> None:
    with pytest.raises(services.NotYours, match="This is the export of Maria"):
        services.import_document(cast.report, cast.report, document_of(cast.manager))
    # Only the command line restores for another person.
    with pytest.raises(PermissionDenied):
        services.import_document(
            cast.report,
            cast.report,
            document_of(cast.manager),
            restore_for_another_person=True,
        )
    assert Import.objects.count() == 0


# --- the command line ---------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_refuses_another_persons_export_without_the_flag(
    cast: Cast, wishes: Wishes, tmp_path: Any
) -> None:
    path = tmp_path / "morgan.json"
    path.write_text(doc.dumps(document_of(cast.manager, old_notes=[{"body": SECRET}])))
    before = written(cast.report, wishes)

    with pytest.raises(CommandError) as refused:
        run("import_person", cast.report.user.username, str(path))

    message = str(refused.value)
    assert "Nothing was imported from" in message
    assert "This is the export of Maria Manager (Acme, exported" in message
    assert "--restore-for-another-person" in message
    assert written(cast.report, wishes) == before


def test_the_command_restores_someone_elses_data_with_the_flag_and_says_so(
    cast: Cast, wishes: Wishes, tmp_path: Any
) -> None:
    path = tmp_path / "morgan.json"
    path.write_text(doc.dumps(document_of(cast.manager, old_notes=[{"body": SECRET}])))

    output = run(
        "import_person", cast.report.user.username, str(path), "--restore-for-another-person"
    )

    assert output.startswith(
        "Restoring someone else's data: the export of Maria Manager (Acme, exported "
    )
    assert f"into the account of Riley Report ({cast.report.user.username})" in output
    assert "Imported 1 items for Riley Report:" in output
    assert ImportedItem.objects.get(person=cast.report).load() == {"body": SECRET}


def test_the_flag_says_nothing_when_the_export_is_the_persons_own(
    cast: Cast, wishes: Wishes, tmp_path: Any
) -> None:
    path = tmp_path / "riley.json"
    path.write_text(doc.dumps(mine(cast)))
    output = run(
        "import_person", cast.report.user.username, str(path), "--restore-for-another-person"
    )
    assert "someone else" not in output
    assert output.startswith("Imported 2 items for Riley Report:")


def test_the_commands_help_explains_the_flag() -> None:
    text = ImportPerson().create_parser("cairn", "import_person").format_help()
    assert "--restore-for-another-person" in text
    assert "own export" in text


# --- privacy: an upload is its person's alone ------------------------------------------------


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def test_nobody_reads_confirms_or_cancels_anothers_upload(cast: Cast, wishes: Wishes) -> None:
    preview = upload(client_for(cast.report), mine(cast))["Location"]
    clients = {name: client_for(person) for name, person in cast.everyone().items()}
    clients["superuser"] = superuser_client()
    for name, client in clients.items():
        expected = 200 if name == "report" else (403 if name == "superuser" else 404)
        response = client.get(preview)
        assert response.status_code == expected, name
        page = response.content.decode()
        assert SECRET not in page, name
        if name != "report":
            assert "Riley Report" not in page, name
            for action in ("confirm/", "cancel/"):
                response = client.post(preview + action)
                assert response.status_code == expected, (name, action)
                assert SECRET not in response.content.decode(), name
    # Still there, and still nobody's but theirs.
    pending = PendingImport.objects.get()
    assert pending.person == cast.report
    assert Import.objects.count() == 0
    for name, person in cast.everyone().items():
        assert PendingImport.objects.visible_to(person).exists() is (name == "report"), name
    assert SECRET not in str(pending)
    # The Django admin has no page for it.
    assert clients["superuser"].get("/admin/export/pendingimport/").status_code == 404


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01junk", "The file is not valid JSON"),
        (b'{"schema": "cairn.export/2", "person": {}}', "it reads cairn.export/1"),
        (b'{"schema": "cairn.export/1"}', "person: missing"),
    ],
)
def test_a_bad_upload_keeps_nothing(cast: Cast, wishes: Wishes, data: bytes, message: str) -> None:
    before = written(cast.report, wishes)
    response = upload(client_for(cast.report), data)
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not PendingImport.objects.exists()
    assert written(cast.report, wishes) == before


def test_an_upload_left_too_long_is_refused_and_deleted(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    with time_machine.travel(FROZEN, tick=False):
        preview = upload(client, mine(cast))["Location"]
    before = written(cast.report, wishes)
    later = FROZEN + services.PENDING_FOR + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        for response in (client.post(preview + "confirm/"),):
            assert response.status_code == 422
            page = response.content.decode()
            assert "This upload waited more than 30 minutes and was deleted" in page
            assert "Upload the file again." in page
            assert 'role="alert"' in page
        assert not PendingImport.objects.exists()
        assert client.get(preview).status_code == 404
    assert written(cast.report, wishes) == before


def test_opening_an_upload_left_too_long_says_so(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    with time_machine.travel(FROZEN, tick=False):
        preview = upload(client, mine(cast))["Location"]
    with time_machine.travel(FROZEN + dt.timedelta(hours=2), tick=False):
        response = client.get(preview)
    assert response.status_code == 422
    assert "waited more than 30 minutes" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_old_uploads_of_anyone_are_deleted_by_the_next_upload(cast: Cast) -> None:
    with time_machine.travel(FROZEN, tick=False):
        upload(client_for(cast.report), mine(cast))
    with time_machine.travel(FROZEN + dt.timedelta(hours=1), tick=False):
        upload(client_for(cast.manager), document_of(cast.manager))
    assert list(PendingImport.objects.values_list("person", flat=True)) == [cast.manager.pk]


def test_an_app_refusing_on_confirmation_saves_nothing(
    cast: Cast, wishes: Wishes, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(cast.report)
    preview = upload(client, mine(cast))["Location"]

    def refuse(person: Person, sections: doc.Sections) -> set[str]:
        raise ValidationError("wishes[0].text: too long")

    real = [p for p in doc.providers() if p.app != "wishes"]
    monkeypatch.setattr(
        doc, "providers", lambda: (*real, doc.Provider("wishes", wishes.export_sections, refuse))
    )
    response = client.post(preview + "confirm/")
    assert response.status_code == 422
    assert "sections.wishes[0].text: too long" in response.content.decode()
    assert Import.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    # The upload stays, to cancel or to try again.
    assert PendingImport.objects.count() == 1


# --- the preview's cost does not grow with the file --------------------------------------------


def test_the_preview_costs_the_same_for_1_item_and_50(cast: Cast) -> None:
    client = client_for(cast.report)

    def cost(rows: int) -> int:
        notes = [{"body": f"kept {n}"} for n in range(rows)]
        preview = upload(client, document_of(cast.report, old_notes=notes))["Location"]
        return count_queries(lambda: client.get(preview))

    assert cost(1) == cost(50)


def test_the_answer_tells_nothing_of_accounts_in_other_organisations(cast: Cast) -> None:
    # An address (or a code) of someone in another organisation is answered exactly as
    # one nobody has: the import page is no way to find out who has an account.
    elsewhere = make_person(make_org("Elsewhere"), "Vic Tim")
    answers = []
    for email in (elsewhere.user.email, "nobody-at-all@example.org"):
        document = document_of(cast.report)
        document["person"].update(code=str(uuid.uuid4()), email=email, name="Someone Else")
        response = upload(client_for(cast.peer), document)
        assert response.status_code == 422
        answers.append(response.content.decode())
    document = document_of(cast.report)
    document["person"].update(code=str(elsewhere.code), email="", name="Someone Else")
    response = upload(client_for(cast.peer), document)
    assert response.status_code == 422
    answers.append(response.content.decode())
    reasons = [re.search(r"This is the export of [^<]*", answer) for answer in answers]
    assert all(reasons)
    assert len({reason.group(0) for reason in reasons if reason}) == 1
    assert not PendingImport.objects.exists()
