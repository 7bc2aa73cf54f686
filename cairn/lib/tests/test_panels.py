"""The panel registry: how a page shows other apps' things without importing them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory

from cairn.lib import panels


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """A registry of this test's own, and templates from memory."""
    monkeypatch.setattr(panels, "_registry", defaultdict(list))
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "first.html": "<p>first {{ word }} for {{ subject }}</p>",
                            "second.html": "<p>second {{ word }}</p>",
                            "page.html": '{% load panels %}[{% panels "slot" subject="S" %}]',
                        },
                    )
                ],
                "libraries": {"panels": "cairn.lib.templatetags.panels"},
            },
        }
    ]


def test_panels_render_in_order_with_the_subject_and_their_own_context() -> None:
    @panels.panel("slot", "second.html", order=20)
    def second(request: Any, *, subject: str) -> dict[str, Any]:
        return {"word": "<b>escaped</b>"}

    @panels.panel("slot", "first.html", order=10)
    def first(request: Any, *, subject: str) -> dict[str, Any]:
        return {"word": "hello"}

    html = engines["django"].get_template("page.html").render({}, RequestFactory().get("/"))

    assert html == "[<p>first hello for S</p><p>second &lt;b&gt;escaped&lt;/b&gt;</p>]"


def test_a_panel_gets_only_the_slot_arguments_it_names() -> None:
    """A slot may hand over more than its subject (what its page has read already);
    a panel that does not name it is called as before."""
    seen: dict[str, Any] = {}

    @panels.panel("slot", "first.html", order=10)
    def plain(request: Any, *, subject: str) -> dict[str, Any]:
        return {"word": "plain"}

    @panels.panel("slot", "second.html", order=20)
    def reader(request: Any, *, subject: str, extra: list[str]) -> dict[str, Any]:
        return {"word": "+".join(extra)}

    @panels.panel("slot", "second.html", order=30)
    def everything(request: Any, **subject: Any) -> dict[str, Any]:
        seen.update(subject)
        return {"word": "all"}

    html = panels.render_slot("slot", RequestFactory().get("/"), subject="S", extra=["a", "b"])

    assert html == "<p>first plain for S</p><p>second a+b</p><p>second all</p>"
    assert seen == {"subject": "S", "extra": ["a", "b"]}


def test_a_panel_that_answers_none_shows_nothing() -> None:
    @panels.panel("slot", "first.html")
    def hidden(request: Any, *, subject: str) -> None:
        return None

    html = engines["django"].get_template("page.html").render({}, RequestFactory().get("/"))

    assert html == "[]"


def test_registering_the_same_function_twice_shows_it_once() -> None:
    def once(request: Any, *, subject: str) -> dict[str, Any]:
        return {"word": "once"}

    panels.panel("slot", "second.html")(once)
    panels.panel("slot", "second.html")(once)

    assert len(panels.panels_for("slot")) == 1


def test_an_empty_slot_renders_nothing() -> None:
    assert panels.render_slot("nobody-fills-this", RequestFactory().get("/")) == ""
