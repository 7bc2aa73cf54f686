"""``{% csv_url table %}``: this page's URL, its filters kept, asking for the table's CSV.
``{% page_url table number %}``: this page's URL, its filters kept, at another page of
the table."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.insights.figures import Table

register = template.Library()


@register.simple_tag(takes_context=True)
def csv_url(context: dict[str, Any], table: Table) -> str:
    request = context["request"]
    query = request.GET.copy()
    query["csv"] = table.id
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], table: Table, number: int) -> str:
    request = context["request"]
    query = request.GET.copy()
    query.pop("csv", None)
    if table.pages is None:
        return ""
    query[table.pages.param] = str(number)
    return f"{request.path}?{query.urlencode()}#{table.id}-caption"
