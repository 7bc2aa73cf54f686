"""The pages people read a competency framework on, and assess against it.

- The framework as a grid: the competencies of one track (rows, grouped by area)
  against its levels (columns). Each cell shows how many behaviours it has and the
  start of the first; the behaviours themselves come on demand (a page of their own,
  or swapped into the cell by htmx), so the page stays small however big the
  framework is. ``?track=<key>`` switches the track, ``?retired=1`` shows what a
  later version retired.
- The assess form beside the competency: a small page of its own (no JavaScript),
  or a row opened under the competency in the grid (htmx).
- A person's page per framework: for each competency of the chosen track, their
  latest self-assessment and each assessor's latest, named and dated, with the
  history on demand, a page at a time. Who reads what is ``Assessment.visible_to``
  (see ``policy.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from cairn.lib.access import get_or_404
from cairn.lib.htmx import answer, render_page
from cairn.mastery import policy, services
from cairn.mastery.forms import CompetencyAssessmentForm
from cairn.mastery.models import (
    Area,
    Assessment,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Track,
    TrackCompetency,
)
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read

# The start of a cell's first behaviour, in the grid.
CELL_PREVIEW = 60
# A person's history in one competency: this many assessments a page.
HISTORY_PAGE = 20


def _show_retired(request: HttpRequest) -> bool:
    return request.GET.get("retired") == "1"


def _tracks(framework: Framework, *, retired: bool) -> list[Track]:
    tracks = Track.objects.filter(framework=framework).order_by("position", "pk")
    if not retired:
        tracks = tracks.filter(retired_at__isnull=True)
    return list(tracks)


def _chosen_track(request: HttpRequest, tracks: list[Track]) -> Track | None:
    """The track ``?track=`` names, or the first; an unknown key is the first too."""
    wanted = request.GET.get("track") or request.POST.get("track") or ""
    for track in tracks:
        if track.key == wanted:
            return track
    return tracks[0] if tracks else None


def _levels(track: Track | None, *, retired: bool) -> list[FrameworkLevel]:
    if track is None:
        return []
    levels = FrameworkLevel.objects.filter(track=track).order_by("rank", "pk")
    if not retired:
        levels = levels.filter(retired_at__isnull=True)
    return list(levels)


def _track_competencies(track: Track | None, *, retired: bool) -> list[Competency]:
    """The track's competencies with their areas, in the order the grid shows them:
    by area, then as the track lists them."""
    if track is None:
        return []
    links = (
        TrackCompetency.objects.filter(track=track)
        .select_related("competency__area")
        .order_by("competency__area__position", "competency__area_id", "position", "pk")
    )
    if not retired:
        links = links.filter(competency__retired_at__isnull=True)
    return [link.competency for link in links]


@dataclass
class Row:
    competency: Competency
    cells: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AreaGroup:
    area: Area | None
    rows: list[Row] = field(default_factory=list)


def _by_area(competencies: list[Competency]) -> list[AreaGroup]:
    groups: list[AreaGroup] = []
    for competency in competencies:
        if not groups or groups[-1].area != competency.area:
            groups.append(AreaGroup(competency.area))
        groups[-1].rows.append(Row(competency))
    return groups


def _grid(track: Track | None, *, retired: bool) -> dict[str, Any]:
    """The grid of one track, in four queries whatever its size: its levels, its
    competencies with their areas, and the count and first behaviour of each cell."""
    levels = _levels(track, retired=retired)
    competencies = _track_competencies(track, retired=retired)
    behaviours = Behaviour.objects.filter(
        level__in=[level.pk for level in levels],
        competency__in=[competency.pk for competency in competencies],
    )
    if not retired:
        behaviours = behaviours.filter(retired_at__isnull=True)
    first: dict[tuple[int, int], str] = {}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for competency_id, level_id, text in behaviours.order_by("position", "pk").values_list(
        "competency_id", "level_id", "text"
    ):
        counts[competency_id, level_id] += 1
        first.setdefault((competency_id, level_id), text)
    groups = _by_area(competencies)
    for group in groups:
        for row in group.rows:
            for level in levels:
                at = (row.competency.pk, level.pk)
                row.cells.append(
                    {
                        "level": level,
                        "count": counts.get(at, 0),
                        "first": Truncator(first.get(at, "")).chars(CELL_PREVIEW),
                    }
                )
    return {"track": track, "levels": levels, "groups": groups}


def _framework(viewer: Person, code: UUID | str) -> Framework:
    return policy.get_framework_for(viewer, code)


# --- the framework grid ------------------------------------------------------------------


@require_GET
@person_required
def framework_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """The framework as a grid of one track. htmx (the track switcher, the retired
    toggle) gets the grid alone."""
    framework = _framework(request.person, code)
    retired = _show_retired(request)
    tracks = _tracks(framework, retired=retired)
    track = _chosen_track(request, tracks)
    context = {
        "framework": framework,
        "tracks": tracks,
        "retired": retired,
        **_grid(track, retired=retired),
    }
    return render_page(request, "mastery/framework.html", "grid", context)


@require_GET
@person_required
def framework_cell(request: PersonRequest, code: UUID, competency: str, level: str) -> HttpResponse:
    """The behaviours of one competency at one level, with their examples: swapped
    into the grid's cell by htmx, a small page of its own otherwise."""
    framework = _framework(request.person, code)
    the_competency = get_or_404(
        Competency.objects.filter(framework=framework).select_related("area"), key=competency
    )
    the_level = get_or_404(
        FrameworkLevel.objects.filter(track__framework=framework).select_related("track"),
        key=level,
        track__key=request.GET.get("track", ""),
    )
    behaviours = Behaviour.objects.filter(competency=the_competency, level=the_level)
    if not _show_retired(request):
        behaviours = behaviours.filter(retired_at__isnull=True)
    context = {
        "framework": framework,
        "competency": the_competency,
        "level": the_level,
        "track": the_level.track,
        "behaviours": list(behaviours.order_by("position", "pk")),
    }
    return render_page(request, "mastery/framework_cell.html", "cell", context)


# --- assessing one competency -------------------------------------------------------------


def _competency_tracks(framework: Framework, competency: Competency) -> list[Track]:
    return list(
        Track.objects.filter(
            framework=framework,
            pk__in=TrackCompetency.objects.filter(competency=competency).values("track_id"),
            retired_at__isnull=True,
        ).order_by("position", "pk")
    )


def _assess_context(
    request: PersonRequest,
    framework: Framework,
    competency: Competency,
    track: Track | None,
    form: CompetencyAssessmentForm,
    *,
    done: str = "",
) -> dict[str, Any]:
    levels = _levels(track, retired=False)
    behaviours = (
        Behaviour.objects.filter(competency=competency, level__in=[lv.pk for lv in levels])
        .filter(retired_at__isnull=True)
        .order_by("position", "pk")
    )
    by_level: dict[int, list[Behaviour]] = defaultdict(list)
    for behaviour in behaviours:
        by_level[behaviour.level_id].append(behaviour)
    return {
        "framework": framework,
        "competency": competency,
        "track": track,
        "levels": [(level, by_level.get(level.pk, [])) for level in levels],
        "form": form,
        "done": done,
        # Opened from a person's page (the link names them): the form goes back there.
        "back_to_person": "person" in request.GET or request.GET.get("back") == "person",
    }


@person_required
def assess(request: PersonRequest, code: UUID, competency: str) -> HttpResponse:
    """Assess yourself, or someone you coach, in one competency: the level of the
    track shown, or a stage where the competency has a scale, with evidence. A page
    of its own, or (htmx) a row opened under the competency in the grid. A retired
    competency takes no new assessment (422, with why)."""
    me = request.person
    framework = _framework(me, code)
    the_competency = get_or_404(
        Competency.objects.filter(framework=framework).select_related("area", "scale"),
        key=competency,
    )
    track = _chosen_track(request, _competency_tracks(framework, the_competency))
    initial = {"person": request.GET.get("person", me.code), "track": track.key if track else ""}
    form = CompetencyAssessmentForm(
        request.POST if request.method == "POST" else None,
        viewer=me,
        framework=framework,
        competency=the_competency,
        track=track,
        initial=initial,
    )
    if request.method != "POST":
        return render_page(
            request,
            "mastery/assess.html",
            "assess-row",
            _assess_context(request, framework, the_competency, track, form),
        )
    ok, done = False, ""
    assessed: Person | None = None
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.record_assessment(
                me,
                person,
                the_competency,
                form.cleaned_data.get("level"),
                stage=form.cleaned_data.get("stage"),
                evidence=form.cleaned_data["evidence"],
            )
        except PermissionDenied:
            form.add_error("person", "Choose yourself or someone you coach.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ok, assessed = True, person
            done = f"Assessment of {the_competency.name} recorded for {person.name}."
            form = CompetencyAssessmentForm(
                viewer=me,
                framework=framework,
                competency=the_competency,
                track=track,
                initial={"track": track.key if track else ""},
            )
    if assessed is not None and request.GET.get("back") == "person":
        # Opened from the person's page in this framework: back there, where the
        # assessment now shows beside the others.
        back = reverse("mastery:person-framework", args=[assessed.code, framework.code])
    else:
        back = reverse("mastery:framework", args=[framework.code])
    if track is not None:
        back += f"?track={track.key}"
    return answer(
        request,
        template="mastery/assess.html",
        partial="assess-row",
        context=lambda: _assess_context(request, framework, the_competency, track, form, done=done),
        success_url=f"{back}#competency-{the_competency.key}",
        ok=ok,
        done=done,
    )


# --- a person's assessments in one framework -----------------------------------------------


def _readable(viewer: Person, person: Person) -> tuple[bool, QuerySet[Assessment]]:
    """Whether the person shares their assessments with the viewer (or is the
    viewer), and the person's assessments the viewer reads: all of them then, only
    the ones the viewer wrote otherwise."""
    whole = policy.can_read_assessments(viewer, person)
    assessments = Assessment.objects.visible_to(viewer).filter(person=person)
    if not whole:
        assessments = assessments.filter(assessor=viewer)
    return whole, assessments


def _record(request: PersonRequest, person: Person, shown: list[Assessment]) -> None:
    """A read of someone else's words about the person (or the person's own) through
    their share is recorded for the person; an author reading theirs is not."""
    me = request.person
    if me.pk != person.pk and any(a.assessor_id != me.pk for a in shown):
        record_read(request, person, Kind.ASSESSMENTS)


@dataclass
class CompetencyAssessments:
    competency: Competency
    own: Assessment | None = None
    others: list[Assessment] = field(default_factory=list)
    total: int = 0


@require_GET
@person_required
def person_framework(request: PersonRequest, code: UUID, framework: UUID) -> HttpResponse:
    """A person's assessments in one framework, by the competencies of one track:
    their latest self-assessment and each assessor's latest, side by side, with the
    history a page at a time on demand."""
    me = request.person
    person = policy.get_person_for(me, code)
    the_framework = _framework(me, framework)
    tracks = _tracks(the_framework, retired=False)
    track = _chosen_track(request, tracks)
    competencies = _track_competencies(track, retired=True)
    whole, readable = _readable(me, person)
    readable = readable.filter(competency__in=[c.pk for c in competencies])
    latest = (
        Assessment.objects.filter(
            person=OuterRef("person"),
            competency=OuterRef("competency"),
            assessor=OuterRef("assessor"),
        )
        .order_by("-assessed_at", "-id")
        .values("pk")[:1]
    )
    shown = list(
        readable.filter(pk=Subquery(latest))
        .select_related("assessor", "level__track", "stage")
        .order_by("-assessed_at", "-id")
    )
    rows = {c.pk: CompetencyAssessments(c) for c in competencies}
    for assessment in shown:
        row = rows[assessment.competency_id]
        if assessment.is_self_assessment:
            row.own = assessment
        else:
            row.others.append(assessment)
    _record(request, person, shown)
    context = {
        "person": person,
        "framework": the_framework,
        "tracks": tracks,
        "track": track,
        "whole": whole,
        "groups": _group_rows(list(rows.values())),
        "assessed": bool(shown),
        "may_assess": policy.can_assess(me, person),
    }
    return render_page(request, "mastery/person_framework.html", "assessments", context)


def _group_rows(rows: list[CompetencyAssessments]) -> list[tuple[Area | None, list[Any]]]:
    groups: list[tuple[Area | None, list[Any]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.competency.area:
            groups.append((row.competency.area, []))
        groups[-1][1].append(row)
    return groups


@require_GET
@person_required
def person_competency(
    request: PersonRequest, code: UUID, framework: UUID, competency: str
) -> HttpResponse:
    """A person's history in one competency, latest first, a page at a time: htmx
    swaps it into the person's framework page, a browser gets a page of its own."""
    me = request.person
    person = policy.get_person_for(me, code)
    the_framework = _framework(me, framework)
    the_competency = get_or_404(Competency.objects.filter(framework=the_framework), key=competency)
    _, readable = _readable(me, person)
    history = readable.filter(competency=the_competency).select_related(
        "assessor", "level__track", "stage"
    )
    paginator = Paginator(history.order_by("-assessed_at", "-id"), HISTORY_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    _record(request, person, list(page.object_list))
    context = {
        "person": person,
        "framework": the_framework,
        "competency": the_competency,
        "page": page,
        "track_key": request.GET.get("track", ""),
    }
    return render_page(request, "mastery/person_competency.html", "history", context)
