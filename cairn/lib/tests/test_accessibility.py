"""Every page is labelled for screen readers: each control has a label or an
accessible name, each page one <h1>, a <main> landmark and a viewport for phones."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from cairn.lib.testing import Cast, client_for, make_agenda_item, make_session, one_on_one


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


@pytest.fixture
def pages(cast: Cast) -> list[tuple[Client, str]]:
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.manager, "Sprint status: OPS-1 is 80% done")
    manager, admin = client_for(cast.manager), client_for(cast.admin)
    return [
        (Client(), reverse("login")),
        (manager, reverse("home")),
        (manager, reverse("coaching:engagement", args=[session.engagement.code])),
        (manager, reverse("coaching:session", args=[session.code])),
        (manager, reverse("coaching:engagement-new")),
        (manager, reverse("people:directory")),
        (manager, reverse("people:person", args=[cast.report.code])),
        (admin, reverse("people:manage")),
        (admin, reverse("people:person-new")),
        (admin, reverse("people:person-edit", args=[cast.report.code])),
    ]


def test_every_page_is_labelled_for_screen_readers(pages: list[tuple[Client, str]]) -> None:
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_the_checker_finds_an_unlabelled_control() -> None:
    # The control for the test above: it does see what it looks for.
    html = '<main><h1>x</h1><input name="q" id="q"><button></button></main>'
    assert problems(html) == [
        "unlabelled control q",
        "button without a name {}",
        "no viewport for phones",
    ]
