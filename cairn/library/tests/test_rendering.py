"""Stories are Markdown rendered to HTML: known XSS payloads must not survive."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cairn.library.rendering import render_markdown
from cairn.library.tests.factories import Library, make_story
from cairn.testing import client_for

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](DATA:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/pixel.png "tracker")',
    "<svg onload=alert(1)>",
    '<svg><use href="data:image/svg+xml;base64,PHN2Zy8+#x"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<p onclick="alert(1)">click me</p>',
    "<!--<img src=x onerror=alert(1)>-->",
    "[a](https://ok.example) <a href=https://ok.example onmouseover=alert(1)>b</a>",
]

SAFE_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Markup(HTMLParser):
    """What a browser would build from the HTML: its elements and attributes (the
    parser decodes entities, so an encoded "javascript:" is seen as what it is).
    Text, however alarming it reads ("&lt;script&gt;"), is only text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "data", "xlink:href"}:
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                # A scheme as browsers read one; anything else is a relative URL.
                if re.match(r"[a-z][a-z0-9+.-]*:", url) and not url.startswith(SAFE_SCHEMES):
                    self.found.append(f"{tag} {name}={url}")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!-- comment -->")


def dangers(html: str) -> list[str]:
    markup = Markup()
    markup.feed(html)
    markup.close()
    return markup.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_does_not_survive(payload: str) -> None:
    html = render_markdown(f"Before\n\n{payload}\n\nAfter")
    assert dangers(html) == [], html
    assert "Before" in html
    assert "After" in html


def test_the_check_sees_live_markup() -> None:
    # The control for the test above: it does recognise what it looks for.
    assert dangers('<script>x</script><img src=x onerror="x"><a href="&#106;avascript:x">') == [
        "<script>",
        "<img>",
        "img onerror=",
        "a href=javascript:x",
    ]
    assert dangers('<a href=" DATA:text/html,x">y</a><svg onload=x>') == [
        "a href=data:text/html,x",
        "<svg>",
        "svg onload=",
    ]
    assert dangers("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x</p>") == []


def test_ordinary_markdown_renders() -> None:
    html = render_markdown(
        "# Heading\n\n**bold** and *italic*\n\n- one\n- two\n\n> quoted\n\n`code`\n\n"
        "[a link](https://example.org/path?x=1)"
    )
    assert "<h2>Heading</h2>" in html  # the page's <h1> is the story's title
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.org/path?x=1" rel="nofollow noopener">a link</a>' in html


def test_links_get_nofollow_noopener() -> None:
    html = render_markdown("[mail](mailto:someone@example.org) <https://example.org>")
    assert html.count('rel="nofollow noopener"') == 2


def test_story_page_serves_the_payloads_inert(lib: Library) -> None:
    body = "\n\n".join(PAYLOADS)
    story = make_story(lib.publisher, "Payloads", problem=body, actions=body, lessons=body)
    response = client_for(lib.candidate).get(reverse("library:story", args=[story.code]))
    assert response.status_code == 200
    parts = re.findall(r'<div class="story-part">(.*?)</div>', response.content.decode(), re.S)
    assert len(parts) == 3
    for part in parts:
        assert dangers(part) == []
