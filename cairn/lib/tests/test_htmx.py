"""The htmx contract, in one place: a partial for htmx, the page for a browser, a
redirect after a successful post, 422 with the form after a failed one, and
``Vary: HX-Request`` on every answer that depends on the header."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils.cache import has_vary_header

from cairn.lib.htmx import answer, render_page, respond

PAGE = (
    "<html><body><h1>The whole page</h1>{{ only_on_the_page }}"
    '{% partialdef results inline %}<ul id="results">'
    "{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% endpartialdef %}"
    '{% for message in messages %}<p class="message">{{ message }}</p>{% endfor %}'
    '{% partialdef form inline %}<form id="form">{{ form.name.errors }}{{ done }}</form>'
    "{% endpartialdef %}</body></html>"
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [("django.template.loaders.locmem.Loader", {"things.html": PAGE})],
                )
            ],
        },
    }
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

page_only_calls: list[str] = []


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)


def search(request: HttpRequest) -> HttpResponse:
    def extra() -> dict[str, Any]:
        page_only_calls.append("called")
        return {"only_on_the_page": "Drafts of mine"}

    context = {"items": ["Lisbon", "Porto"]}
    return render_page(request, "things.html", "results", context, page_only=extra)


def add(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST)
    ok = form.is_valid()
    done = f"Added {form.cleaned_data['name']}." if ok else ""
    return answer(
        request,
        template="things.html",
        partial="form",
        context={"form": form, "done": done, "items": []},
        success_url="/things/",
        ok=ok,
        done=done,
    )


def dismiss(request: HttpRequest) -> HttpResponse:
    return respond(
        request, htmx=lambda: HttpResponse(""), browser=lambda: HttpResponse("Dismissed.")
    )


urlpatterns = [
    path("things/", search),
    path("things/add/", add),
    path("things/dismiss/", dismiss),
]

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def things_template() -> Any:
    page_only_calls.clear()
    with override_settings(TEMPLATES=TEMPLATES):
        yield


def test_a_get_from_htmx_is_the_partial_alone(client: Client) -> None:
    response = client.get("/things/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<ul id="results">')
    assert "<li>Porto</li>" in body
    assert "The whole page" not in body
    # What only the page shows is not even computed for the partial.
    assert page_only_calls == []


def test_a_get_from_a_browser_is_the_whole_page(client: Client) -> None:
    response = client.get("/things/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>The whole page</h1>" in body
    assert "<li>Porto</li>" in body
    assert "Drafts of mine" in body
    assert page_only_calls == ["called"]


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "browser"])
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/things/", {}),
        ("post", "/things/add/", {"name": "Ana"}),
        ("post", "/things/add/", {"name": "far too long"}),
        ("post", "/things/dismiss/", {}),
    ],
)
def test_every_answer_varies_on_the_htmx_header(
    client: Client, method: str, url: str, data: dict[str, str], headers: dict[str, str]
) -> None:
    # A search pushes its URL into the history; without Vary the browser's back button
    # (or any cache) could show the bare partial where the page belongs.
    response = getattr(client, method)(url, data, headers=headers)
    assert has_vary_header(response, "HX-Request")


def test_a_successful_post_from_a_browser_redirects_with_a_message(client: Client) -> None:
    response = client.post("/things/add/", {"name": "Ana"})
    assert response.status_code == 302
    assert response["Location"] == "/things/"
    page = client.get("/things/")
    assert '<p class="message">Added Ana.</p>' in page.content.decode()


def test_a_successful_post_from_htmx_is_the_partial_and_no_message(client: Client) -> None:
    response = client.post("/things/add/", {"name": "Ana"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body == '<form id="form">Added Ana.</form>'
    # Said once, in the partial: the next page carries no message about it.
    assert "Added Ana." not in client.get("/things/").content.decode()


def test_a_failed_post_from_a_browser_is_the_page_with_the_form_and_422(client: Client) -> None:
    response = client.post("/things/add/", {"name": "far too long"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "<h1>The whole page</h1>" in body
    assert "Ensure this value has at most 5 characters" in body
    assert "message" not in body


def test_a_failed_post_from_htmx_is_the_form_alone_and_422(client: Client) -> None:
    response = client.post("/things/add/", {"name": "far too long"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert body.startswith('<form id="form">')
    assert "Ensure this value has at most 5 characters" in body
    assert "The whole page" not in body


def test_respond_chooses_by_the_htmx_header(client: Client) -> None:
    assert client.post("/things/dismiss/", headers=HTMX).content == b""
    assert client.post("/things/dismiss/").content == b"Dismissed."
