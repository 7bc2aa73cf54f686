"""The "Your data" page, the downloads, the printable page and the upload."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cairn.export import document as doc
from cairn.export import services
from cairn.export.models import Import, ImportedItem
from cairn.export.services import MAX_BYTES
from cairn.export.tests.conftest import Wishes
from cairn.people.models import Person, User
from cairn.testing import Cast, client_for
from cairn.testing.accessibility import problems

WISH = "wish: run the platform team one day"
SECRET = "imported private: I am applying elsewhere"


def upload(client: Client, data: bytes, *, htmx: bool = False, name: str = "export.json"):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("export:import"),
        {"file": SimpleUploadedFile(name, data, content_type="application/json")},
        headers=headers,
    )


def document_of(person: Person, **sections: list[dict[str, object]]) -> bytes:
    document = doc.export_document(person)
    document["sections"].update(sections)
    return doc.dumps(document).encode()


URLS = ["export:data", "export:json", "export:markdown", "export:print"]


@pytest.mark.parametrize("name", URLS)
def test_pages_need_a_signed_in_person(db: None, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_json_download_is_the_persons_document(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, WISH)
    response = client_for(cast.report).get(reverse("export:json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert cast.report.user.username in response["Content-Disposition"]
    # It holds private notes: no cache keeps a copy.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["schema"] == "cairn.export/1"
    assert document["person"] == {
        "name": "Riley Report",
        "title": "Engineer",
        "organisation": "Acme",
        # Whose export it is, for an import to tell: the account here, its email.
        "code": str(cast.report.code),
        "email": cast.report.user.email,
    }
    assert document["sections"]["wishes"][0]["text"] == WISH
    assert doc.checker().errors(document) == []


def test_the_markdown_download_reads_as_text(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, WISH)
    response = client_for(cast.report).get(reverse("export:markdown"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Riley Report — everything in Cairn\n")
    # The item's heading is its text; then every field, labelled.
    assert f"## Wishes\n\n### 1. {WISH}\n\n- **Text:** {WISH}\n" in text
    assert "- **Wished on:** 5 January 2026" in text


def test_the_printable_page_renders_every_section(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, WISH)
    response = client_for(cast.report).get(reverse("export:print"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="section-wishes">Wishes</h2>' in html
    assert f"<dt>Text</dt><dd>{WISH}</dd>" in html
    assert "<dt>Wished on</dt><dd>5 January 2026</dd>" in html
    assert "export/print.css" in html
    assert "style=" not in html
    assert "<script" not in html
    assert problems(html) == []


def test_your_data_page_lists_what_is_included(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, WISH)
    response = client_for(cast.report).get(reverse("export:data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="text">Wishes</span> <span class="badge">1</span>' in html
    for name in URLS[1:]:
        assert reverse(name) in html
    assert "You have not imported anything" in html
    assert problems(html) == []
    assert "style=" not in html


def test_an_empty_export_says_what_to_do(db: None, cast: Cast) -> None:
    html = client_for(cast.peer).get(reverse("export:data")).content.decode()
    assert "Nothing yet." in html


# --- privacy: nobody's export but one's own --------------------------------------------


def test_no_url_exports_someone_else(cast: Cast) -> None:
    ImportedItem.objects.all().delete()
    report = client_for(cast.report)
    services.import_document(
        cast.report, cast.report, json.loads(document_of(cast.report, old_notes=[{"body": SECRET}]))
    )
    # Codes and usernames of the report, in every shape a URL might take them.
    for person in (cast.manager, cast.admin, cast.outsider):
        client = client_for(person)
        for name in URLS:
            for query in (f"?person={cast.report.code}", f"?username={cast.report.user.username}"):
                response = client.get(reverse(name) + query)
                assert response.status_code == 200
                assert SECRET not in response.content.decode()
        for suffix in (f"{cast.report.code}/", f"{cast.report.user.username}/"):
            assert client.get(reverse("export:data") + suffix).status_code == 404
    assert SECRET in report.get(reverse("export:json")).content.decode()


def test_the_admin_shows_no_imported_data(db: None) -> None:
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(superuser)
    for model in ("import", "importeditem"):
        assert client.get(f"/admin/export/{model}/").status_code == 404
    assert client.get("/admin/").status_code == 200


def test_an_account_without_a_person_gets_no_data(db: None) -> None:
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("export:json")).status_code == 403


# --- the upload ---------------------------------------------------------------------------


def test_an_upload_imports_only_once_confirmed(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    data = document_of(
        cast.report, wishes=[{"text": WISH}], old_notes=[{"body": SECRET}, {"body": "two"}]
    )
    response = upload(client, data)
    assert response.status_code == 302
    preview = response["Location"]
    assert preview.startswith(reverse("export:data") + "import/")
    assert Import.objects.count() == 0
    page = client.get(preview).content.decode()
    assert f'action="{preview}confirm/"' in page
    response = client.post(preview + "confirm/")
    assert response.status_code == 302
    assert response["Location"] == reverse("export:data") + "#import"
    html = client.get(reverse("export:data")).content.decode()
    assert "Imported 3 items from your export of" in html
    assert "Wishes: 1 · Old notes: 2 (kept as imported)" in html
    assert wishes.store[cast.report.pk] == [{"text": WISH}]
    assert ImportedItem.objects.filter(person=cast.report).count() == 2


def test_an_htmx_upload_goes_to_the_preview(cast: Cast, wishes: Wishes) -> None:
    response = upload(client_for(cast.report), document_of(cast.report), htmx=True)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("export:data") + "import/")
    assert Import.objects.count() == 0


def test_the_same_data_twice_is_refused_at_upload(cast: Cast, wishes: Wishes) -> None:
    client = client_for(cast.report)
    data = document_of(cast.report, old_notes=[{"body": SECRET}])
    preview = upload(client, data)["Location"]
    assert client.post(preview + "confirm/").status_code == 302
    response = upload(client, data)
    assert response.status_code == 422
    assert "already; importing it again would duplicate it" in response.content.decode()
    assert ImportedItem.objects.count() == 1
    assert Import.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "The file is not UTF-8 text (byte 0 cannot be read)"),
        (b"{oops", "The file is not valid JSON: Expecting property name"),
        (b'{"schema": "cairn.export/2"}', "(schema &#x27;cairn.export/2&#x27;)"),
        (b" " * (MAX_BYTES + 1), "The file is too big"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_upload_answers_422_with_the_reason(
    cast: Cast, data: bytes, message: str, htmx: bool
) -> None:
    response = upload(client_for(cast.report), data, htmx=htmx)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    if not htmx:
        assert problems(html) == []
    assert Import.objects.count() == 0
    assert ImportedItem.objects.count() == 0


def test_a_malformed_item_is_named_in_the_answer(cast: Cast) -> None:
    data = document_of(cast.report, objectives=[{"what": "a"}, {"what": "b", "target_on": "soon"}])
    response = upload(client_for(cast.report), data)
    assert response.status_code == 422
    assert "sections.objectives[1].target_on: expected a date" in response.content.decode()
    assert Import.objects.count() == 0


def test_a_body_far_over_the_limit_is_refused_unread(cast: Cast) -> None:
    client = client_for(cast.report)
    response = client.generic(
        "POST",
        reverse("export:import"),
        b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        headers={"HX-Request": "true", "Content-Length": str(20 * MAX_BYTES)},
    )
    assert response.status_code == 422
    assert "The file is too big" in response.content.decode()


def test_posting_without_a_file_asks_for_one(cast: Cast) -> None:
    response = client_for(cast.report).post(reverse("export:import"), {})
    assert response.status_code == 422
    assert "Choose the .json file you exported." in response.content.decode()
