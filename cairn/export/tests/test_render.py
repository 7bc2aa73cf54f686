"""The readable renderings: every section the same generic way, dates in words,
text of several lines kept in its place, empty answers left out."""

from __future__ import annotations

from typing import Any

from cairn.export import render

DOCUMENT: dict[str, Any] = {
    "schema": "cairn.export/1",
    "exported_at": "2026-03-02T09:30:00Z",
    "person": {"name": "Riley Report", "title": "", "organisation": "Acme"},
    "sections": {
        "objectives": [
            {
                "what": "Speak at a meetup",
                "why": "first line\nsecond line",
                "how": "",
                "target_on": "2026-06-30",
                "check_ins": [{"note": "abstract accepted", "position": 1}],
                "scale": {"-2": "none", "+2": "a keynote"},
                "tags": [],
                "done": False,
            }
        ],
        "old_debriefs": [],
    },
}


def test_markdown_renders_every_section_generically() -> None:
    text = render.markdown(DOCUMENT)
    assert text == (
        "# Riley Report — everything in Cairn\n"
        "\n"
        "Acme.\n"
        "Exported 2 March 2026, 09:30 (cairn.export/1).\n"
        "\n"
        "## Objectives\n"
        "\n"
        "### 1. Speak at a meetup\n"
        "\n"
        "- **What:** Speak at a meetup\n"
        "- **Why:** first line\n"
        "  second line\n"
        "- **Target on:** 30 June 2026\n"
        "- **Check-ins:**\n"
        "  - **1.** abstract accepted\n"
        "    - **Note:** abstract accepted\n"
        "    - **Position:** 1\n"
        "- **Scale:**\n"
        "  - **-2:** none\n"
        "  - **+2:** a keynote\n"
        "- **Tags:** —\n"
        "- **Done:** no\n"
        "\n"
        "## Old debriefs\n"
        "\n"
        "Nothing here.\n"
    )


def test_the_page_tree_labels_fields_and_leaves_out_empty_answers() -> None:
    [section, empty] = render.sections_for_page(DOCUMENT)
    assert (section.title, empty.title, empty.items) == ("Objectives", "Old debriefs", [])
    heading, item = section.items[0]
    assert heading == "1. Speak at a meetup"
    labels = [name for name, _ in item.fields]
    assert labels == ["What", "Why", "Target on", "Check-ins", "Scale", "Tags", "Done"]
    assert dict(item.fields)["Target on"].text == "30 June 2026"
    assert dict(item.fields)["Check-ins"].kind == "list"


def test_a_date_that_is_not_one_is_shown_as_it_is() -> None:
    assert render.readable("due_on", "soon") == "soon"
    assert render.readable("done_at", None) == "—"
    assert render.label("action_items") == "Action items"
