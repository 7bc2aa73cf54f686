"""The repository stands alone: its documents link only to files inside it, every
link lands (the file, and the heading when it names one), and none sends the reader
to a design or style document that is not here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = sorted(
    [*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md")],
    key=lambda path: str(path),
)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+\s+(.*)$", re.MULTILINE)


def anchor(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading, as GitHub writes it."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(heading) for heading in HEADING.findall(path.read_text(encoding="utf-8"))}


def test_there_are_documents_to_check() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in DOCUMENTS}
    assert {"README.md", "CONTRIBUTING.md", "docs/design.md", "docs/architecture.md"} <= names


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_stay_inside_the_repository_and_land(path: Path) -> None:
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):  # https:, mailto: — not a file of ours
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.is_relative_to(ROOT), f"{target} leaves the repository"
        assert linked.exists(), f"{target} does not exist"
        if fragment and linked.suffix == ".md":
            assert fragment in anchors(linked), f"{target}: no such heading"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_document_sends_the_reader_elsewhere_for_the_design(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for outside in ("DESIGN.md", "STYLE.md", "shared folder"):
        assert outside not in text, f"{path.name} mentions {outside}"


def test_the_design_has_the_who_sees_what_table() -> None:
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    assert "who-sees-what" in anchors(ROOT / "docs" / "design.md")
    # One row per private thing stored today, named as the product names it.
    for row in (
        "| private note |",
        "| shared note |",
        "| agenda item |",
        "| action item |",
        "| that a **counseling** engagement exists |",
        "| agreement and its amendments",
        "| sponsor summary |",
        "| debrief |",
        "| mission statement, current version |",
        "| development plan:",
        "| objectives, plan actions, check-ins |",
        "| competency assessments",
        "| ladder grants",
        "| mentor profile |",
        "| mentoring request:",
        "| program enrolment:",
        "| sensitive answers",
        "| match (a pair) |",
        "| story: draft never submitted |",
        "| story: in review, returned",
        "| published story |",
        "| review:",
        "| the export document |",
        "| what an import kept verbatim",
        "| importing a file |",
        "| assessment shares",
        "| review cycle:",
        "| goals with metrics",
        "| self-review |",
        "| written assessment and rating |",
        "| roles that read content",
        "| role changes",
        "| access records:",
    ):
        assert row in design, row
