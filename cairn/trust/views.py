"""The person's page of who has seen their things. Read only: there is no route that
writes, edits or deletes an access record."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cairn.people.decorators import PersonRequest, person_required
from cairn.trust import policy
from cairn.trust.forms import KindFilterForm
from cairn.trust.models import Kind

PAGE_SIZE = 50


@require_GET
@person_required
def access_log(request: PersonRequest) -> HttpResponse:
    """My access log, newest first, 50 to a page, optionally of one kind of thing.

    A kind that does not exist answers 422 with a message and every kind; a page
    number that is not one gives the first page (or the last, past the end)."""
    records = policy.records_for(request.person)
    form = KindFilterForm(request.GET or None)
    kind = ""
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        if kind:
            records = records.filter(kind=kind)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trust/access_log.html",
        {
            "form": form,
            "page": page,
            "kind": kind,
            "kind_label": Kind(kind).label if kind else "",
            "retention_days": policy.retention_days(),
        },
        status=422 if form.errors else 200,
    )
