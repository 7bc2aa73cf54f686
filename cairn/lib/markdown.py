"""Markdown to safe HTML: stories, reviews, and the descriptions of competency frameworks.

Two layers, because either alone has been wrong before somewhere: markdown-it-py
renders CommonMark with raw HTML switched off (typed HTML comes out as text) and
refuses ``javascript:``-style links; nh3 (ammonia) then cleans the result against an
allow-list — whatever the renderer let through, only these tags and attributes
survive, links keep only http, https and mailto URLs, and every link gets
``rel="nofollow noopener"`` (readers' clicks vouch for nothing, and a new tab cannot
reach back into Cairn). No images: a remote image in a story would tell its host who
read the story and when.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Headings inside a story start at h2: the page's own <h1> is the story's title.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener",
    # Drop these with their content, not just the tags: the text of a script or a
    # style sheet is never something the reader meant to see.
    clean_content_tags={"script", "style", "svg", "math", "iframe", "object", "template"},
    strip_comments=True,
)


def _demote_headings(html: str) -> str:
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML, safe to put in a page as it is."""
    html = _demote_headings(_markdown.render(text))
    return mark_safe(_cleaner.clean(html))  # noqa: S308 - cleaned by nh3 against an allow-list
