"""Evaluation's pages: my reviews, the reviews I read as a manager, HR's review
cycles, and one review with its goals, self-review and assessment.

Thin views: decorators → access helper → form → service → render. Forms post and
redirect (post/redirect/get); an error answers 422 with the form. Nothing here reads
or links to coaching content: the wall (see ``policy.py``)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cairn.evaluation import policy, services
from cairn.evaluation.forms import (
    AssessmentForm,
    CycleForm,
    GoalForm,
    MoveForm,
    OpenForm,
    SelfReviewForm,
)
from cairn.evaluation.models import CycleStatus, PerformanceReview, ReviewCycle
from cairn.lib.csv_cells import formula_safe
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read

PAGE_SIZE = 25


def _query(request: PersonRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _page(request: PersonRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _fail(form: Form, error: ValidationError) -> None:
    form.add_error(None, error)


def _hr(request: PersonRequest) -> None:
    """HR's pages are 404 for anyone else, as if they did not exist."""
    if not policy.can_run_cycles(request.person):
        raise Http404


# --- the person, and their managers --------------------------------------------------


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My reviews, newest cycle first; the way to the reviews I read as a manager
    and, for HR, to the cycles."""
    me = request.person
    mine = (
        PerformanceReview.objects.filter(person=me)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__period_start", "-id")
    )
    return render(
        request,
        "evaluation/home.html",
        {"page": _page(request, mine), "is_hr": policy.can_run_cycles(me)},
    )


@person_required
def team(request: PersonRequest) -> HttpResponse:
    """The reviews I write as the evaluating manager or read as one of their
    managers, searchable by name and paginated."""
    me = request.person
    query = _query(request)
    rows = (
        PerformanceReview.objects.managed_by(me)
        .exclude(person=me)
        .select_related("cycle", "person", "manager")
        .order_by("-cycle__period_start", "person__name", "id")
    )
    if query:
        rows = rows.filter(Q(person__name__icontains=query) | Q(cycle__name__icontains=query))
    return render(request, "evaluation/team.html", {"page": _page(request, rows), "query": query})


def _review_context(
    request: PersonRequest, review: PerformanceReview, **forms: Any
) -> dict[str, Any]:
    me = request.person
    can_write_goals = policy.can_write_goals(me, review)
    context: dict[str, Any] = {
        "review": review,
        "cycle": review.cycle,
        "goals": review.goals.select_related("written_by"),
        "is_person": me.pk == review.person_id,
        "can_read_assessment": policy.can_read_assessment(me, review),
        "can_write_goals": can_write_goals,
        "can_write_self_review": policy.can_write_self_review(me, review),
        "can_assess": policy.can_assess(me, review),
        "goal_form": GoalForm() if can_write_goals else None,
        "self_review_form": SelfReviewForm(initial={"text": review.self_review}),
        "assessment_form": AssessmentForm(
            initial={"text": review.assessment, "rating": review.rating}
        ),
    }
    context.update(forms)
    return context


def _show_review(
    request: PersonRequest, review: PerformanceReview, status: int = 200, **forms: Any
) -> HttpResponse:
    """The review page — also when it comes back with a form's errors, which shows the
    self-review again and so is a read of it, recorded like any other."""
    if review.self_review:
        record_read(request, review.person, Kind.SELF_REVIEW)
    return render(
        request, "evaluation/review.html", _review_context(request, review, **forms), status=status
    )


@person_required
def review_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    return _show_review(request, policy.get_review_for(request.person, code))


def _review_answer(
    request: PersonRequest, review: PerformanceReview, form: Form, name: str, done: str, ok: bool
) -> HttpResponse:
    if ok:
        messages.success(request, done)
        return HttpResponseRedirect(reverse("evaluation:review", args=[review.code]))
    return _show_review(request, review, 422, **{name: form})


def _write_to_review(
    request: PersonRequest,
    code: UUID,
    *,
    may: Callable[[Person, PerformanceReview], bool],
    form_class: type[Form],
    name: str,
    write: Callable[..., object],
    done: str,
) -> HttpResponse:
    """One write to a review: 404 unless the viewer may make it, the form, the service
    called with the form's fields, then the review page (422 with the form's errors)."""
    review = policy.get_review_for(request.person, code)
    if not may(request.person, review):
        raise Http404
    form = form_class(request.POST)
    ok = False
    if form.is_valid():
        try:
            write(request.person, review, **form.cleaned_data)
            ok = True
        except ValidationError as error:
            _fail(form, error)
    return _review_answer(request, review, form, name, done, ok)


@require_POST
@person_required
def self_review(request: PersonRequest, code: UUID) -> HttpResponse:
    return _write_to_review(
        request,
        code,
        may=policy.can_write_self_review,
        form_class=SelfReviewForm,
        name="self_review_form",
        write=services.write_self_review,
        done="Saved your self-review.",
    )


@require_POST
@person_required
def assessment(request: PersonRequest, code: UUID) -> HttpResponse:
    return _write_to_review(
        request,
        code,
        may=policy.can_assess,
        form_class=AssessmentForm,
        name="assessment_form",
        write=services.write_assessment,
        done="Saved the assessment.",
    )


@require_POST
@person_required
def goal_add(request: PersonRequest, code: UUID) -> HttpResponse:
    return _write_to_review(
        request,
        code,
        may=policy.can_write_goals,
        form_class=GoalForm,
        name="goal_form",
        write=services.add_goal,
        done="Added the goal.",
    )


@person_required
def goal_edit(request: PersonRequest, code: UUID) -> HttpResponse:
    goal = policy.get_goal_for(request.person, code)
    if not policy.can_write_goals(request.person, goal.review):
        raise Http404
    if request.method == "POST":
        form = GoalForm(request.POST)
        if form.is_valid():
            try:
                services.update_goal(request.person, goal, **form.cleaned_data)
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, "Saved the goal.")
                return HttpResponseRedirect(reverse("evaluation:review", args=[goal.review.code]))
    else:
        form = GoalForm(
            initial={f: getattr(goal, f) for f in ("name", "metric", "target", "actual")}
        )
    return render(
        request,
        "evaluation/goal_form.html",
        {"form": form, "goal": goal, "review": goal.review},
        status=422 if form.errors else 200,
    )


# --- HR: review cycles --------------------------------------------------------------


@person_required
def cycles(request: PersonRequest) -> HttpResponse:
    """HR's cycles, newest first, and a form to start one."""
    _hr(request)
    me = request.person
    form = CycleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(me, **form.arguments())
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Created the cycle. Open it for a team or everyone.")
            return HttpResponseRedirect(reverse("evaluation:cycle", args=[cycle.code]))
    return render(
        request,
        "evaluation/cycles.html",
        {"page": _page(request, ReviewCycle.objects.visible_to(me)), "form": form},
        status=422 if form.errors else 200,
    )


def _cycle_reviews(request: PersonRequest, cycle: ReviewCycle) -> QuerySet[PerformanceReview]:
    """The cycle's reviews the viewer may read (HR: all of their organisation's)."""
    return PerformanceReview.objects.visible_to(request.person).filter(cycle=cycle)


def _cycle_context(request: PersonRequest, cycle: ReviewCycle, **forms: Any) -> dict[str, Any]:
    query = _query(request)
    reviews = (
        _cycle_reviews(request, cycle)
        .select_related("person", "manager")
        .order_by("person__name", "id")
    )
    if query:
        reviews = reviews.filter(person__name__icontains=query)
    context: dict[str, Any] = {
        "cycle": cycle,
        "query": query,
        "page": _page(request, reviews),
        "open_form": OpenForm(viewer=request.person),
        "move_error": None,
    }
    context.update(forms)
    return context


@person_required
def cycle_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    cycle = policy.get_cycle_for(request.person, code)
    return render(request, "evaluation/cycle.html", _cycle_context(request, cycle))


@require_POST
@person_required
def cycle_open(request: PersonRequest, code: UUID) -> HttpResponse:
    cycle = policy.get_cycle_for(request.person, code)
    form = OpenForm(request.POST, viewer=request.person)
    if form.is_valid():
        try:
            added = services.open_cycle(request.person, cycle, **form.arguments())
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Opened the cycle for {added} more people.")
            return HttpResponseRedirect(reverse("evaluation:cycle", args=[cycle.code]))
    return render(
        request, "evaluation/cycle.html", _cycle_context(request, cycle, open_form=form), status=422
    )


@require_POST
@person_required
def cycle_move(request: PersonRequest, code: UUID) -> HttpResponse:
    cycle = policy.get_cycle_for(request.person, code)
    form = MoveForm(request.POST)
    error: str | None = None
    if form.is_valid():
        try:
            services.move_cycle(request.person, cycle, to=form.cleaned_data["to"])
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            done = "Closed the cycle." if cycle.status == CycleStatus.CLOSED else "Released."
            messages.success(request, done)
            return HttpResponseRedirect(reverse("evaluation:cycle", args=[cycle.code]))
    else:
        error = " ".join(str(e) for e in form.errors.get("to", []))
    return render(
        request,
        "evaluation/cycle.html",
        _cycle_context(request, cycle, move_error=error),
        status=422,
    )


@require_GET
@person_required
def cycle_export(request: PersonRequest, code: UUID) -> HttpResponse:
    """The cycle's results as CSV, for HR: names, goals with their figures, ratings.
    Evaluation only; nothing of coaching is reachable from here."""
    cycle = policy.get_cycle_for(request.person, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-cycle-{cycle.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(["person", "manager", "rating", "goal", "metric", "target", "actual"])
    reviews = (
        _cycle_reviews(request, cycle)
        .select_related("person", "manager")
        .prefetch_related("goals")
        .order_by("person__name", "id")
    )
    for review in reviews.iterator(chunk_size=500):
        base = [
            formula_safe(review.person.name),
            formula_safe(review.manager.name if review.manager else ""),
            # An HR person in the cycle learns their own rating at release, like anyone.
            ""
            if review.person_id == request.person.pk and not cycle.is_released
            else review.rating or "",
        ]
        goals = list(review.goals.all())
        if not goals:
            writer.writerow([*base, "", "", "", ""])
        for goal in goals:
            writer.writerow(
                [
                    *base,
                    *(formula_safe(v) for v in (goal.name, goal.metric, goal.target, goal.actual)),
                ]
            )
    return response
