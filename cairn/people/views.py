from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from cairn.coaching.models import Engagement
from cairn.people import policy
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person

DIRECTORY_PAGE_SIZE = 50


@person_required
def directory(request: PersonRequest) -> HttpResponse:
    """Everyone in my organisation, searchable by name, title or team."""
    query = request.GET.get("q", "").strip()[:100]
    people = Person.objects.visible_to(request.person).active().select_related("team", "manager")
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(team__name__icontains=query)
        )
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/directory.html", {"page": page, "query": query})


@person_required
def person_detail(request: PersonRequest, code: str) -> HttpResponse:
    """A person's directory entry, and the engagements whose existence the viewer may
    know of (never their content)."""
    me = request.person
    person = policy.get_person_for(me, code)
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "reports": person.reports.select_related("team").order_by("name"),
            "engagements": Engagement.objects.visible_to(me)
            .filter(Q(giver=person) | Q(receiver=person))
            .select_related("giver", "receiver")
            .order_by("status", "kind"),
        },
    )
