"""``{% url %}`` as Django writes it, reversing through ``cairn.lib.links`` (each
view name once, then the row's UUIDs put in place). A builtin of the project's
template engine (``settings.TEMPLATES``), so that it stands in for Django's own tag
in every template: the same syntax, output and errors."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from cairn.lib.links import cached_reverse

register = template.Library()


class CachedURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        if kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        url = ""
        try:
            url = cached_reverse(view_name, args=args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _current_app(context: template.Context) -> str | None:
    """As Django's ``URLNode`` finds it."""
    request: Any = getattr(context, "request", None)
    try:
        return request.current_app  # type: ignore[no-any-return]
    except AttributeError:
        try:
            return request.resolver_match.namespace  # type: ignore[no-any-return]
        except AttributeError:
            return None


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> CachedURLNode:
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
