"""Readable renderings of an export document: Markdown, and the tree the printable
HTML page walks. Every section is rendered the same generic way — a heading, then
each item as a list of its fields — so a section added by any app reads well
without code here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

# Nicer names than the keys give by themselves.
SECTION_TITLES = {
    "development_plan": "Development plan",
    "action_items": "Action items",
    "check_ins": "Check-ins",
}
# The field an item is best known by, if it has one, for its heading.
HEADING_FIELDS = (
    "title",
    "name",
    "what",
    "text",
    "summary",
    "competency",
    "description",
    "note",
    "body",
    "level",
    "dreams",
)
HEADING_LENGTH = 80


def label(key: str) -> str:
    """``target_date`` → ``Target date``."""
    text = SECTION_TITLES.get(key) or key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def item_title(item: dict[str, Any]) -> str:
    """The first line of the field an item is best known by, shortened; or nothing."""
    for name in HEADING_FIELDS:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            first_line = value.strip().splitlines()[0]
            if len(first_line) > HEADING_LENGTH:
                first_line = first_line[: HEADING_LENGTH - 1].rstrip() + "…"
            return first_line
    return ""


def item_heading(item: dict[str, Any], number: int) -> str:
    title = item_title(item)
    return f"{number}. {title}" if title else f"{number}."


def readable(key: str, value: Any) -> str:
    """A field's value for reading: dates and times in words, in this instance's time
    zone (the JSON keeps them exact)."""
    if isinstance(value, str):
        try:
            if key.endswith("_at"):
                moment = dt.datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    return date_format(timezone.localtime(moment), "j F Y, H:i")
            elif key.endswith(("_on", "_date")):
                return date_format(dt.date.fromisoformat(value), "j F Y")
        except ValueError:
            pass
    return scalar(value)


def scalar(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


# --- the tree the HTML template walks -------------------------------------------------


@dataclass
class Node:
    """A value as the page shows it: ``text``, a ``list`` of nodes, or a ``map`` of
    labelled nodes."""

    kind: str
    text: str = ""
    items: list[Node] = field(default_factory=list)
    fields: list[tuple[str, Node]] = field(default_factory=list)


def node(value: Any) -> Node:
    if isinstance(value, dict):
        # Empty answers are left out, as in the Markdown; the JSON keeps them.
        return Node(
            "map",
            fields=[
                (label(key), node(child) if isinstance(child, dict | list) else text(key, child))
                for key, child in value.items()
                if child != ""
            ],
        )
    if isinstance(value, list):
        if not value:
            return Node("text", text="—")
        return Node("list", items=[node(child) for child in value])
    return Node("text", text=scalar(value))


def text(key: str, value: Any) -> Node:
    return Node("text", text=readable(key, value))


@dataclass
class RenderedSection:
    key: str
    title: str
    items: list[tuple[str, Node]]


def sections_for_page(document: dict[str, Any]) -> list[RenderedSection]:
    return [
        RenderedSection(
            key=key,
            title=label(key),
            items=[(item_heading(item, n), node(item)) for n, item in enumerate(items, 1)],
        )
        for key, items in document["sections"].items()
    ]


# --- Markdown ---------------------------------------------------------------------------


def _markdown_value(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    if isinstance(value, dict):
        lines = []
        for key, child in value.items():
            if child == "":
                continue  # an empty answer reads better left out (the JSON has it)
            if isinstance(child, dict | list) and child:
                lines.append(f"{pad}- **{label(key)}:**")
                lines.extend(_markdown_value(child, indent + 1))
            else:
                shown = readable(key, child) if child != [] else "—"
                lines.extend(_markdown_field(label(key), shown, pad))
        return lines
    if isinstance(value, list):
        lines = []
        for number, child in enumerate(value, 1):
            if isinstance(child, dict):
                # A listed object: a numbered bullet, its fields in a list under it.
                lines.append(f"{pad}- **{number}.** {item_title(child)}".rstrip())
                lines.extend(_markdown_value(child, indent + 1))
            elif isinstance(child, list):
                lines.append(f"{pad}-")
                lines.extend(_markdown_value(child, indent + 1))
            else:
                lines.extend(_markdown_field(None, scalar(child), pad))
        return lines
    return _markdown_field(None, scalar(value), pad)


def _markdown_field(name: str | None, text: str, pad: str) -> list[str]:
    # Text of several lines stays inside its bullet: the lines after the first are
    # indented under it.
    first, *rest = text.splitlines() or [""]
    opening = f"{pad}- **{name}:** {first}" if name else f"{pad}- {first}"
    return [opening.rstrip()] + [f"{pad}  {line}".rstrip() for line in rest]


def markdown(document: dict[str, Any]) -> str:
    person = document["person"]
    lines = [
        f"# {person['name']} — everything in Cairn",
        "",
        f"{person['title']}, {person['organisation']}."
        if person["title"]
        else f"{person['organisation']}.",
        f"Exported {readable('exported_at', document['exported_at'])} ({document['schema']}).",
    ]
    for section in document["sections"]:
        items = document["sections"][section]
        lines += ["", f"## {label(section)}", ""]
        if not items:
            lines.append("Nothing here.")
        for number, item in enumerate(items, 1):
            if number > 1:
                lines.append("")
            lines += [f"### {item_heading(item, number)}", ""]
            lines += _markdown_value(item, 0)
    return "\n".join(lines) + "\n"
