"""Importing a competency framework: the whole file or nothing, and a message that
names the line at fault."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from cairn.mastery.forms import FrameworkUploadForm
from cairn.mastery.frameworks import MAX_BYTES
from cairn.mastery.models import Behaviour, Competency, Framework, FrameworkLevel, Track
from cairn.mastery.services import import_framework_into
from cairn.mastery.tests.factories import EXAMPLE
from cairn.testing import Cast, client_for

GOOD_CSV = """track,level,competency,behaviour
Building software,Engineer,Delivery,Breaks work into small steps.
Building software,Engineer,Delivery,Says when a step slips.
Building software,Senior engineer,Delivery,Plans work for a small group.
Leading people,Team lead,Feedback,Starts with what went well.
"""

YAML_HEAD = "name: Test framework\ntracks:\n"


def nothing_imported() -> bool:
    return not any(
        model.objects.exists()
        for model in (Framework, Track, FrameworkLevel, Competency, Behaviour)
    )


def fails(org: Any, text: str | bytes, filename: str, *, line: int | None, says: str) -> None:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ValidationError) as caught:
        import_framework_into(org, data, filename=filename)
    message = " ".join(caught.value.messages)
    if line is not None:
        assert message.startswith(f"Line {line}:"), message
    assert says in message, message
    assert nothing_imported()


# --- what imports ----------------------------------------------------------------------


def test_yaml_example_imports_whole(cast: Cast) -> None:
    framework = import_framework_into(cast.org, EXAMPLE.read_bytes(), filename=EXAMPLE.name)
    tracks = list(framework.tracks.order_by("position"))
    assert [t.name for t in tracks] == ["Building software", "Leading people"]
    assert [lv.name for lv in tracks[0].levels.order_by("rank")] == [
        "Engineer",
        "Senior engineer",
        "Staff engineer",
    ]
    # A competency listed under each level is one competency, with behaviours per level.
    craft = framework.competencies.get(name="Technical craft")
    assert craft.behaviours.count() == 5
    assert tracks[1].track_competencies.count() == 3


def test_csv_imports_in_order_of_appearance(cast: Cast) -> None:
    framework = import_framework_into(cast.org, GOOD_CSV.encode(), filename="ladder.csv")
    assert framework.name == "ladder"
    track = framework.tracks.get(name="Building software")
    assert [lv.name for lv in track.levels.order_by("rank")] == ["Engineer", "Senior engineer"]
    delivery = framework.competencies.get(name="Delivery")
    assert [b.text for b in delivery.behaviours.order_by("level__rank", "position")] == [
        "Breaks work into small steps.",
        "Says when a step slips.",
        "Plans work for a small group.",
    ]


def test_byte_order_mark_is_accepted(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, b"\xef\xbb\xbf" + GOOD_CSV.encode(), filename="f.csv", name="With BOM"
    )
    assert framework.name == "With BOM"


# --- bad input: a message with the line, and nothing imported ---------------------------


def test_csv_missing_level(cast: Cast) -> None:
    text = GOOD_CSV + "Leading people,,Feedback,Asks for feedback.\n"
    fails(cast.org, text, "f.csv", line=6, says="the level is missing")


def test_yaml_level_without_a_name(cast: Cast) -> None:
    text = YAML_HEAD + (
        "  - name: Building\n"
        "    levels:\n"
        "      - competencies:\n"
        "          - name: Delivery\n"
        "            behaviours: [Ships]\n"
    )
    fails(cast.org, text, "f.yaml", line=5, says="this level has no name")


def test_yaml_track_without_levels(cast: Cast) -> None:
    fails(cast.org, YAML_HEAD + "  - name: Building\n", "f.yaml", line=3, says="levels")


def test_yaml_duplicate_track(cast: Cast) -> None:
    level = (
        "    levels:\n      - name: One\n        competencies:\n"
        "          - name: C\n            behaviours: [B]\n"
    )
    text = YAML_HEAD + "  - name: Building\n" + level + "  - name: building \n" + level
    fails(
        cast.org,
        text,
        "f.yaml",
        line=9,
        says='the track "building" is listed twice (first on line 3)',
    )


def test_yaml_duplicate_level(cast: Cast) -> None:
    level = (
        "      - name: One\n        competencies:\n"
        "          - name: C\n            behaviours: [B]\n"
    )
    text = YAML_HEAD + "  - name: Building\n    levels:\n" + level + level
    fails(
        cast.org,
        text,
        "f.yaml",
        line=9,
        says='the level "One" is listed twice in track "Building" (first on line 5)',
    )


def test_yaml_duplicate_competency_in_a_level(cast: Cast) -> None:
    comp = "          - name: C\n            behaviours: [B]\n"
    level = "  - name: T\n    levels:\n      - name: One\n        competencies:\n"
    fails(
        cast.org,
        YAML_HEAD + level + comp + comp,
        "f.yaml",
        line=9,
        says='the competency "C" is listed twice in level "One" (first on line 7)',
    )


def test_csv_duplicate_row(cast: Cast) -> None:
    text = GOOD_CSV + "Building software,Engineer,Delivery,Says when a step slips.\n"
    fails(cast.org, text, "f.csv", line=6, says="repeats line 3")


def test_duplicate_framework_name(cast: Cast) -> None:
    """Another framework (another key) may not take a name in use; the same file
    again is a new version of the same framework (test_framework_update.py)."""
    import_framework_into(cast.org, EXAMPLE.read_bytes(), filename=EXAMPLE.name)
    text = (
        "format: cairn.framework/2\nkey: other\nname: cairn ENGINEERING\n"
        "competencies:\n  - {key: c, name: C}\n"
        "tracks:\n  - key: t\n    name: T\n    levels:\n"
        "      - {key: l, name: L, behaviours: {c: [B]}}\n"
    )
    with pytest.raises(ValidationError, match="already exists"):
        import_framework_into(cast.org, text.encode(), filename=EXAMPLE.name)
    import_framework_into(cast.org, EXAMPLE.read_bytes(), filename=EXAMPLE.name)
    assert Framework.objects.get().version == 2
    assert Track.objects.count() == 2


def test_windows_1252_is_read_as_such(cast: Cast) -> None:
    # A spreadsheet saved on Windows: read as Windows-1252 (spreadsheets.py says so).
    text = GOOD_CSV.replace("Team lead", "Équipe").encode("cp1252")
    import_framework_into(cast.org, text, filename="f.csv")
    assert FrameworkLevel.objects.filter(name="Équipe").exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 1000 + "]" * 1000,
        "name: x\n" + "".join("  " * i + "k:\n" for i in range(900)),
    ],
    ids=["flow", "block"],
)
def test_yaml_nested_a_thousand_deep_is_refused_with_a_message(cast: Cast, text: str) -> None:
    fails(cast.org, text, "f.yaml", line=None, says="nested more than 32 levels deep")


def test_malformed_yaml(cast: Cast) -> None:
    text = YAML_HEAD + "  - name: [unclosed\n    levels: x\n"
    fails(cast.org, text, "f.yaml", line=None, says="not valid YAML")


def test_yaml_unknown_key_names_its_line(cast: Cast) -> None:
    text = YAML_HEAD + "  - name: T\n    level:\n      - name: One\n"
    fails(cast.org, text, "f.yaml", line=4, says='unknown key "level"')


def test_yaml_aliases_are_refused(cast: Cast) -> None:
    text = (
        "name: F\ntracks:\n  - name: T\n    levels:\n      - &one\n        name: One\n"
        "        competencies:\n          - name: C\n            behaviours: [B]\n"
        "      - *one\n"
    )
    fails(cast.org, text, "f.yaml", line=10, says="anchors and aliases")


def test_malformed_csv(cast: Cast) -> None:
    text = GOOD_CSV + 'Leading people,"Team lead,Feedback,Unclosed quote\n'
    fails(cast.org, text, "f.csv", line=None, says="not valid CSV")


def test_csv_wrong_columns(cast: Cast) -> None:
    fails(cast.org, "track,level\nA,B\n", "f.csv", line=1, says="no columns for competency and")
    fails(cast.org, GOOD_CSV + "A,B,C\n", "f.csv", line=6, says="the behaviour is missing")


def test_wrong_extension(cast: Cast) -> None:
    fails(cast.org, GOOD_CSV, "f.pdf", line=None, says="Choose a .yaml, .yml, .csv, .tsv, .txt or")


def test_empty_file(cast: Cast) -> None:
    fails(cast.org, "", "f.yaml", line=None, says="empty")
    fails(cast.org, "\n\n", "f.csv", line=None, says="empty")


# --- size: refused before reading ----------------------------------------------------


class HugeUpload(UploadedFile):
    """Claims 50 MB and fails the test if anything reads it."""

    def __init__(self) -> None:
        super().__init__(file=io.BytesIO(b""), name="huge.yaml", size=50 * 1_000_000)

    def read(self, *args: Any) -> bytes:
        raise AssertionError("a 50 MB upload was read")

    def chunks(self, chunk_size: int | None = None) -> Any:
        raise AssertionError("a 50 MB upload was read")


def test_upload_form_refuses_50_mb_without_reading_it(cast: Cast) -> None:
    form = FrameworkUploadForm({}, MultiValueDict({"file": [HugeUpload()]}))
    assert not form.is_valid()
    assert "The file is 50.0 MB" in form.errors["file"][0]


def test_upload_page_refuses_a_file_over_the_limit(cast: Cast) -> None:
    big = SimpleUploadedFile("big.yaml", b"#" * (MAX_BYTES + 1))
    response = client_for(cast.admin).post(reverse("mastery:framework-import"), {"file": big})
    assert response.status_code == 422
    assert "at most 1 MB" in response.content.decode()
    assert nothing_imported()


def test_command_refuses_50_mb_without_reading_it(cast: Cast, tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(50 * 1_000_000)  # sparse: no 50 MB written or read
    with pytest.raises(CommandError, match=r"50\.0 MB"):
        call_command("import_framework", str(huge), organisation=cast.org.slug)
    assert nothing_imported()


# --- the page and the command -----------------------------------------------------------


def test_upload_page_imports_for_org_admin(cast: Cast) -> None:
    upload = SimpleUploadedFile("engineering.csv", GOOD_CSV.encode())
    response = client_for(cast.admin).post(
        reverse("mastery:framework-import"), {"file": upload, "name": "Engineering"}
    )
    framework = Framework.objects.get(organisation=cast.org)
    assert response.status_code == 302
    assert response["Location"] == reverse("mastery:framework", args=[framework.code])
    assert framework.name == "Engineering"


def test_upload_page_says_how_a_spreadsheet_was_read(cast: Cast) -> None:
    text = GOOD_CSV.replace(",", ";").replace("Team lead", "Équipe").encode("cp1252")
    upload = SimpleUploadedFile("engineering.csv", text)
    client = client_for(cast.admin)
    response = client.post(reverse("mastery:framework-import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Read as CSV in Windows-1252, separated by semicolons." in response.content.decode()
    assert FrameworkLevel.objects.filter(name="Équipe").exists()


def test_upload_page_shows_the_header_found_against_the_one_expected(cast: Cast) -> None:
    upload = SimpleUploadedFile("f.csv", b"Track;Level;Skill\nA;B;C\n")
    response = client_for(cast.admin).post(reverse("mastery:framework-import"), {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Expected columns: track, level, competency, behaviour" in html
    assert "The header reads: &quot;Track;Level;Skill&quot;" in html
    assert nothing_imported()


def test_upload_page_shows_the_line_and_imports_nothing(cast: Cast) -> None:
    upload = SimpleUploadedFile("f.csv", (GOOD_CSV + "X,,C,B\n").encode())
    response = client_for(cast.admin).post(reverse("mastery:framework-import"), {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Line 6: the level is missing." in html
    assert "Nothing was imported." in html
    assert nothing_imported()


@pytest.mark.parametrize("role", ["report", "manager", "coach", "program_admin", "outsider"])
def test_only_org_admins_import(cast: Cast, role: str) -> None:
    person = cast.everyone()[role]
    upload = SimpleUploadedFile("f.csv", GOOD_CSV.encode())
    response = client_for(person).post(reverse("mastery:framework-import"), {"file": upload})
    expected = 302 if role == "outsider" else 404  # the outsider is their own org's admin
    assert response.status_code == expected
    assert not Framework.objects.filter(organisation=cast.org).exists()


def test_command_imports_into_the_organisation(cast: Cast) -> None:
    out = io.StringIO()
    call_command("import_framework", str(EXAMPLE), organisation=cast.org.slug, stdout=out)
    assert (
        "Imported Cairn engineering into Acme: 2 tracks, 5 levels, 6 competencies."
        in out.getvalue()
    )
    assert Framework.objects.filter(organisation=cast.org).count() == 1


def test_command_names_the_line_and_imports_nothing(cast: Cast, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_CSV + "X,,C,B\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"Line 6: the level is missing\. Nothing was imported\."
    ):
        call_command("import_framework", str(bad), organisation=cast.org.slug)
    assert nothing_imported()


def test_command_needs_a_known_organisation(db: None) -> None:
    with pytest.raises(CommandError, match="no organisation with the slug nowhere"):
        call_command("import_framework", str(EXAMPLE), organisation="nowhere")
