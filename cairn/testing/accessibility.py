"""What a screen reader needs from a page: every control labelled, landmarks, one
h1. ``problems(html)`` lists what is missing; tests assert it is empty."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.buttons: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[str] = []
        self.meta: list[dict[str, str | None]] = []
        self._open_labels = 0
        self._button: dict[str, str | None] | None = None
        self._button_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "label":
            self._open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        elif tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.controls.append({**a, "_wrapped": "1" if self._open_labels else None})
        elif tag == "button":
            self._button, self._button_text = a, ""
        elif tag == "meta":
            self.meta.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1
        elif tag == "button" and self._button is not None:
            self.buttons.append((self._button, self._button_text.strip()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button_text += data


def problems(html: str) -> list[str]:
    page = Page()
    page.feed(html)
    found = []
    for control in page.controls:
        named = control.get("aria-label") or control.get("_wrapped")
        if not named and control.get("id") not in page.label_for:
            found.append(f"unlabelled control {control.get('name')}")
    for attrs, text in page.buttons:
        if not (text or attrs.get("aria-label")):
            found.append(f"button without a name {attrs}")
    if page.tags.count("h1") != 1:
        found.append(f"{page.tags.count('h1')} <h1> elements")
    if "main" not in page.tags:
        found.append("no <main> landmark")
    if not any(m.get("name") == "viewport" for m in page.meta):
        found.append("no viewport for phones")
    return found
