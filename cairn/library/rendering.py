"""Markdown to safe HTML for stories and reviews: ``cairn.lib.markdown``, kept here
under its old name for the library's imports."""

from __future__ import annotations

from cairn.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "URL_SCHEMES", "render_markdown"]
