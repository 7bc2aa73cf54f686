"""``export_person`` and ``import_person``: the same export and import, from a shell."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cairn.export import document as doc
from cairn.export.models import Import, ImportedItem
from cairn.export.services import MAX_BYTES
from cairn.export.tests.conftest import Wishes
from cairn.testing import Cast, client_for, make_org, make_person
from cairn.trust.models import AccessRecord, Kind

WISH = "wish: learn to sail"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.usefixtures("frozen")
def test_export_then_import_by_command(cast: Cast, wishes: Wishes, tmp_path: Path) -> None:
    wishes.add(cast.report, WISH)
    path = tmp_path / "riley.json"
    run("export_person", cast.report.user.username, "-o", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["sections"]["old_notes"] = [{"body": "kept"}]
    path.write_text(doc.dumps(document), encoding="utf-8")
    # The same person, moved to a new account (here, so that it can be compared):
    # the document names the old account, still here, so it is the new one's by
    # nothing but the operator's word.
    twin = make_person(make_org("Acme"), "Riley Report", title="Engineer")
    refused = "Nothing was imported from .*: This is the export of Riley Report"
    with pytest.raises(CommandError, match=refused):
        run("import_person", twin.user.username, str(path))

    output = run("import_person", twin.user.username, str(path), "--restore-for-another-person")

    assert "Restoring someone else's data: the export of Riley Report (Acme" in output
    assert f"Imported {1 + 1} items for Riley Report:" in output
    assert "  Wishes: 1 (restored)" in output
    assert "  Old notes: 1 (kept as imported)" in output
    again = json.loads(run("export_person", twin.user.username))
    assert again["sections"] == document["sections"]
    assert again["person"]["code"] == str(twin.code)


def test_export_to_standard_output_in_markdown(cast: Cast, wishes: Wishes) -> None:
    wishes.add(cast.report, WISH)
    text = run("export_person", cast.report.user.username, "--markdown")
    assert text.startswith("# Riley Report — everything in Cairn")
    assert f"- **Text:** {WISH}" in text


def test_an_unknown_username_is_an_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Nobody has the username 'nobody'"):
        run("export_person", "nobody")
    with pytest.raises(CommandError, match="Nobody has the username 'nobody'"):
        run("import_person", "nobody", str(tmp_path / "x.json"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "Nothing was imported from .*: The file is not valid JSON"),
        (b" " * (MAX_BYTES + 1), "Nothing was imported from .*: The file is too big"),
        (None, "Cannot read .*missing.json: No such file or directory"),
    ],
)
def test_a_bad_file_imports_nothing(
    cast: Cast, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "missing.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_person", cast.report.user.username, str(path))
    assert Import.objects.count() == 0
    assert ImportedItem.objects.count() == 0


def test_an_operators_export_is_in_the_persons_access_log(cast: Cast, tmp_path: Path) -> None:
    run("export_person", cast.report.user.username, "-o", str(tmp_path / "riley.json"))
    [row] = AccessRecord.objects.all()
    assert (row.owner, row.reader, row.reader_name, row.kind, row.via) == (
        cast.report,
        None,
        "Operator (command line)",
        Kind.EXPORT,
        "export_person",
    )
    # The next export says so.
    document = json.loads(run("export_person", cast.report.user.username))
    assert [item["via"] for item in document["sections"]["access_log"]] == ["export_person"]


def test_a_person_downloading_their_own_export_records_nothing(cast: Cast) -> None:
    client = client_for(cast.report)
    for name in ("export:data", "export:json", "export:markdown", "export:print"):
        assert client.get(reverse(name)).status_code == 200
    assert not AccessRecord.objects.exists()
