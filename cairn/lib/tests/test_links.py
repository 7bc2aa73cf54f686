"""``{% url %}`` through ``cairn.lib.links``: each view name reversed once, the same
URLs, errors and escaping as Django's own tag and ``reverse``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.http import HttpResponse
from django.template import Context, Template, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix

from cairn.lib import links


def _view(request: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("plain/", _view, name="plain"),
    path("thing/<uuid:code>/", _view, name="thing"),
    path("thing/<uuid:code>/part/<uuid:part>/edit/", _view, name="part"),
    path("page/<int:number>/", _view, name="page"),
    path("tag/<slug:slug>/", _view, name="tag"),
    path("q/<str:text>/", _view, name="text"),
    path("ns/", include(([path("<uuid:code>/", _view, name="inside")], "space"))),
]

A = uuid.UUID("0b4e2a4c-3c1e-4a57-9d0e-5a1f7c9b2e11")
B = uuid.UUID("f3c3e2a1-77aa-4bb1-8c2d-0123456789ab")


@pytest.fixture(autouse=True)
def urls() -> Any:
    with override_settings(ROOT_URLCONF=__name__):
        yield
    links.forget()


def _render(source: str, **context: Any) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("plain", []),
        ("thing", [A]),
        ("thing", [B]),
        ("part", [A, B]),
        ("part", [B, A]),
        ("space:inside", [B]),
        ("page", [7]),
        ("tag", ["a-tag"]),
        ("text", ["with space & <angle>"]),
    ],
)
def test_the_tag_writes_what_reverse_does_every_time(name: str, args: list[Any]) -> None:
    source = "{% url name " + " ".join(f"a{i}" for i in range(len(args))) + " %}"
    context = {"name": name} | {f"a{i}": arg for i, arg in enumerate(args)}
    expected = Template("{{ url }}").render(Context({"url": reverse(name, args=args)}))
    assert _render(source, **context) == expected
    assert _render(source, **context) == expected  # from the cache


def test_a_second_row_gets_its_own_code_not_the_firsts() -> None:
    html = _render("{% for c in codes %}{% url 'thing' c %} {% endfor %}", codes=[A, B, A])
    assert html == f"/thing/{A}/ /thing/{B}/ /thing/{A}/ "


def test_keyword_arguments_and_as_var_work_as_in_django() -> None:
    assert _render("{% url 'thing' code=c %}", c=A) == f"/thing/{A}/"
    assert _render("{% url 'thing' c as u %}[{{ u }}]", c=B) == f"[/thing/{B}/]"


def test_an_unknown_view_or_a_wrong_argument_still_raises() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'nowhere' %}")
    with pytest.raises(NoReverseMatch):
        _render("{% url 'thing' %}")
    with pytest.raises(NoReverseMatch):
        _render("{% url 'thing' c %}", c="not-a-uuid")
    # As Django's: with "as", a failed reverse is an empty variable.
    assert _render("{% url 'nowhere' as u %}[{{ u }}]") == "[]"


def test_the_script_prefix_is_part_of_the_key() -> None:
    assert _render("{% url 'thing' c %}", c=A) == f"/thing/{A}/"
    set_script_prefix("/cairn/")
    try:
        assert _render("{% url 'thing' c %}", c=A) == f"/cairn/thing/{A}/"
    finally:
        set_script_prefix("/")
    assert _render("{% url 'thing' c %}", c=A) == f"/thing/{A}/"


def test_another_urlconf_is_another_key() -> None:
    assert _render("{% url 'plain' %}") == "/plain/"
    with override_settings(ROOT_URLCONF="cairn.urls"):
        assert _render("{% url 'home' %}") == reverse("home")
        with pytest.raises(NoReverseMatch):
            _render("{% url 'plain' %}")
    assert _render("{% url 'plain' %}") == "/plain/"


def test_the_current_app_of_the_request_is_used() -> None:
    request = RequestFactory().get("/")
    request.current_app = "space"
    html = engines["django"].from_string("{% url 'space:inside' c %}").render({"c": A}, request)
    assert html == reverse("space:inside", args=[A], current_app="space")


def test_the_site_templates_use_this_tag() -> None:
    template = engines["django"].from_string("{% url 'plain' %}")
    assert type(template.template.nodelist[0]).__name__ == "CachedURLNode"  # type: ignore[attr-defined]
