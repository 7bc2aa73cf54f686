from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cairn.lib.htmx import answer
from cairn.mastery import policy, services
from cairn.mastery.forms import AssessmentForm, FrameworkUploadForm, GrantForm, LadderForm
from cairn.mastery.frameworks import MAX_BYTES
from cairn.mastery.models import (
    Assessment,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Grant,
    Ladder,
    Level,
)
from cairn.people.decorators import PersonRequest, org_admin_required, person_required
from cairn.people.models import Person


def _ladders(viewer: Person) -> list[Ladder]:
    """The viewer's ladders with their levels and privileges, in three queries."""
    levels = Level.objects.order_by("rank").prefetch_related("level_privileges")
    return list(
        Ladder.objects.visible_to(viewer).prefetch_related(Prefetch("levels", queryset=levels))
    )


def _standing(ladders: list[Ladder], grants: list[Grant]) -> list[dict[str, Any]]:
    """Per ladder: the current level and, when one was granted, the grant that put
    the person there (``grants`` latest first) and the history of that ladder."""
    rows = []
    for ladder in ladders:
        history = [g for g in grants if g.level.ladder_id == ladder.pk]
        levels = list(ladder.levels.all())
        current = history[0].level if history else (levels[0] if levels else None)
        rows.append(
            {
                "ladder": ladder,
                "level": current,
                "grant": history[0] if history else None,
                "history": history,
            }
        )
    return rows


def _latest_per_competency(assessments: list[Assessment]) -> list[Assessment]:
    """The newest assessment of each competency (``assessments`` latest first)."""
    seen: set[int] = set()
    latest = []
    for assessment in assessments:
        if assessment.competency_id not in seen:
            seen.add(assessment.competency_id)
            latest.append(assessment)
    return sorted(
        latest,
        key=lambda a: (
            a.competency.track.framework.name,
            a.competency.track.position,
            a.competency.position,
        ),
    )


_ASSESSMENT_PARTS = ("competency__track__framework", "level")


# --- my mastery ------------------------------------------------------------------------


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My levels, with the evidence and history; my assessments; what I wrote about
    others; where to go next."""
    me = request.person
    ladders = _ladders(me)
    grants = list(
        Grant.objects.visible_to(me)
        .filter(person=me)
        .select_related("level", "granted_by")
        .latest_first()
    )
    assessments = list(
        Assessment.objects.visible_to(me)
        .filter(person=me)
        .select_related(*_ASSESSMENT_PARTS, "assessor")
        .latest_first()
    )
    given = list(
        Grant.objects.visible_to(me)
        .filter(granted_by=me)
        .exclude(person=me)
        .select_related("person", "level__ladder")
        .latest_first()[:50]
    )
    written = list(
        Assessment.objects.visible_to(me)
        .filter(assessor=me)
        .exclude(person=me)
        .select_related("person", *_ASSESSMENT_PARTS)
        .latest_first()[:50]
    )
    return render(
        request,
        "mastery/home.html",
        {
            "standing": _standing(ladders, grants),
            "assessments": assessments,
            "latest_assessments": _latest_per_competency(assessments),
            "given": given,
            "written": written,
            "frameworks": Framework.objects.visible_to(me),
            "coachees": policy.coachees(me).order_by("name"),
            "may_grant": policy.may_grant_something(me),
        },
    )


# --- ladders ---------------------------------------------------------------------------


@person_required
def ladder_detail(request: PersonRequest, slug: str) -> HttpResponse:
    ladder = policy.get_ladder_for(request.person, slug)
    levels = ladder.levels.order_by("rank").prefetch_related("level_privileges")
    return render(request, "mastery/ladder.html", {"ladder": ladder, "levels": levels})


@org_admin_required
def ladder_new(request: PersonRequest) -> HttpResponse:
    form = LadderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ladder = services.create_ladder(
                request.person,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.levels(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {ladder.name} ladder is ready. Grant its levels next.")
            return HttpResponseRedirect(reverse("mastery:ladder", args=[ladder.slug]))
    status = 422 if form.errors else 200
    return render(request, "mastery/ladder_new.html", {"form": form}, status=status)


# --- a person's levels -----------------------------------------------------------------


@person_required
def person_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """Someone else's mastery: managers and org admins see levels only; a coach sees
    the grants and assessments they wrote, with their evidence. Anyone else: 404."""
    me = request.person
    person = policy.get_person_for(me, code)
    if person.pk == me.pk:
        return HttpResponseRedirect(reverse("mastery:home"))
    context: dict[str, Any] = {
        "person": person,
        "levels_only": None,
        "assessed_levels": None,
        "may_grant": policy.may_grant_something(me),
    }
    if policy.can_see_levels(me, person):
        # Levels only: nothing here reads evidence, so nothing can show it.
        held = policy.current_levels(person)
        context["levels_only"] = [
            {"ladder": ladder, "level": held.get(ladder.pk)} for ladder in _ladders(person)
        ]
        context["assessed_levels"] = _latest_per_competency(
            list(
                Assessment.objects.filter(person=person)
                .defer("evidence")
                .select_related(*_ASSESSMENT_PARTS)
                .latest_first()
            )
        )
    context["my_grants"] = list(
        Grant.objects.visible_to(me)
        .filter(person=person, granted_by=me)
        .select_related("level__ladder")
        .latest_first()
    )
    context["my_assessments"] = list(
        Assessment.objects.visible_to(me)
        .filter(person=person, assessor=me)
        .select_related(*_ASSESSMENT_PARTS)
        .latest_first()
    )
    return render(request, "mastery/person.html", context)


@person_required
def grant_new(request: PersonRequest) -> HttpResponse:
    """Grant a level (or withdraw one with a lower grant): org admins, and people
    whose level carries the privilege to grant. Anyone else: 404."""
    me = request.person
    if not policy.may_grant_something(me):
        raise Http404
    initial = {}
    if request.method == "GET" and "person" in request.GET:
        initial["person"] = request.GET["person"]
    form = GrantForm(request.POST if request.method == "POST" else None, viewer=me, initial=initial)
    ok, done = False, ""
    if request.method == "POST" and form.is_valid():
        person, level = form.cleaned_data["person"], form.cleaned_data["level"]
        try:
            services.grant_level(me, person, level, evidence=form.cleaned_data["evidence"])
        except PermissionDenied:
            form.add_error(
                "person",
                f"You may not change {person.name}'s level on {level.ladder.name}: "
                "their level is at or above your own.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ok = True
            done = f"{person.name} is now at {level.name} on {level.ladder.name}."
            form = GrantForm(viewer=me)
    if request.method != "POST":
        return render(request, "mastery/grant.html", {"form": form})
    return answer(
        request,
        template="mastery/grant.html",
        partial="grant-form",
        context={"form": form, "done": done},
        success_url=reverse("mastery:grant"),
        ok=ok,
        done=done,
    )


# --- frameworks and assessments --------------------------------------------------------


@person_required
def framework_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    framework = policy.get_framework_for(request.person, code)
    return render(request, "mastery/framework.html", _framework_context(request, framework))


def _framework_context(
    request: PersonRequest, framework: Framework, form: AssessmentForm | None = None
) -> dict[str, Any]:
    me = request.person
    behaviours = Behaviour.objects.order_by("level__rank", "position")
    competencies = Competency.objects.order_by("position").prefetch_related(
        Prefetch("behaviours", queryset=behaviours.select_related("level"))
    )
    tracks = framework.tracks.order_by("position").prefetch_related(
        Prefetch("levels", queryset=FrameworkLevel.objects.order_by("rank")),
        Prefetch("competencies", queryset=competencies),
    )
    initial = {"person": request.GET.get("person", me.code)}
    return {
        "framework": framework,
        "tracks": tracks,
        "form": form or AssessmentForm(viewer=me, framework=framework, initial=initial),
    }


@require_POST
@person_required
def assess(request: PersonRequest, code: UUID) -> HttpResponse:
    """Record an assessment: yourself, or someone you coach."""
    me = request.person
    framework = policy.get_framework_for(me, code)
    form = AssessmentForm(request.POST, viewer=me, framework=framework)
    ok, done = False, ""
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.record_assessment(
                me,
                person,
                form.cleaned_data["competency"],
                form.cleaned_data["level"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ok = True
            done = f"Assessment recorded for {person.name}."
            form = AssessmentForm(viewer=me, framework=framework)
    return answer(
        request,
        template="mastery/framework.html",
        partial="assess-form",
        context={**_framework_context(request, framework, form), "done": done},
        success_url=reverse("mastery:framework", args=[framework.code]),
        ok=ok,
        done=done,
    )


@org_admin_required
def framework_import(request: PersonRequest) -> HttpResponse:
    form = FrameworkUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.import_framework(
                request.person,
                # At most one byte over the limit, whatever the upload claims.
                upload.read(MAX_BYTES + 1),
                filename=upload.name or "",
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error("file", [*error.messages, "Nothing was imported."])
        else:
            messages.success(request, f"Imported {framework.name}.")
            return HttpResponseRedirect(reverse("mastery:framework", args=[framework.code]))
    status = 422 if form.errors else 200
    return render(request, "mastery/framework_import.html", {"form": form}, status=status)
