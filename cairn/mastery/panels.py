"""Mastery's panels on other apps' pages (see ``cairn.lib.panels``): the
competencies a competency-coaching engagement works on, on its page and its
sessions', and the behaviours ticked in its debriefs."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q

from cairn.coaching.models import Debrief, Engagement, EngagementKind, Session
from cairn.lib.panels import panel
from cairn.mastery import policy
from cairn.mastery.forms import EngagementCompetencyForm
from cairn.mastery.models import (
    Assessment,
    Behaviour,
    DebriefBehaviourChange,
    EngagementCompetency,
    Framework,
)
from cairn.people.decorators import PersonRequest
from cairn.trust.models import Kind
from cairn.trust.services import record_read


def chosen_framework(request: PersonRequest, frameworks: list[Framework]) -> Framework | None:
    """The framework whose competencies the add form lists, when the organisation has
    too many for one select (``?framework=`` or the posted one)."""
    code = request.POST.get("framework") or request.GET.get("framework") or ""
    return next((f for f in frameworks if str(f.code) == code), None)


def engagement_competencies_context(
    request: PersonRequest,
    engagement: Engagement,
    *,
    form: EngagementCompetencyForm | None = None,
    done: str = "",
    error: str = "",
) -> dict[str, Any]:
    """The engagement page's competencies section: what the engagement names and, while
    it is open, the form that adds one. A fixed number of queries."""
    me = request.person
    links = list(
        EngagementCompetency.objects.visible_to(me)
        .filter(engagement=engagement)
        .select_related("competency__framework")
        .order_by(
            "competency__framework__name",
            "competency__framework_id",
            "competency__position",
        )
    )
    may_choose = policy.can_choose_engagement_competencies(me, engagement)
    frameworks: list[Framework] = []
    framework: Framework | None = None
    pick_framework = False
    full = len(links) >= policy.ENGAGEMENT_COMPETENCIES_MAX
    if may_choose and not full and form is None:
        frameworks = list(Framework.objects.filter(organisation_id=engagement.organisation_id))
        if len(frameworks) > policy.FRAMEWORKS_IN_ONE_SELECT:
            framework = chosen_framework(request, frameworks)
            pick_framework = framework is None
        if frameworks and not pick_framework:
            form = EngagementCompetencyForm(engagement=engagement, framework=framework)
    return {
        "engagement": engagement,
        "competency_links": links,
        "may_choose_competencies": may_choose,
        "competencies_full": full,
        "competencies_max": policy.ENGAGEMENT_COMPETENCIES_MAX,
        "competency_form": form,
        "competency_frameworks": frameworks,
        "pick_framework": pick_framework,
        "competencies_done": done,
        "competencies_error": error,
    }


@panel("engagement.main", "mastery/_engagement_competencies.html", order=10)
def engagement_competencies(
    request: PersonRequest, *, engagement: Engagement
) -> dict[str, Any] | None:
    """Competency coaching only, and only for its two parties."""
    if not policy.can_see_engagement_competencies(request.person, engagement):
        return None
    return engagement_competencies_context(request, engagement)


@panel("session.main", "mastery/_session_competencies.html", order=20)
def session_competencies(request: PersonRequest, *, session: Session) -> dict[str, Any] | None:
    """Each named competency with its behaviours by level and, when the receiver
    shares their assessments with the viewer (or is the viewer), their latest
    self-assessment and latest assessment by someone else. Showing the receiver's
    assessments to anyone else is a read for their access log."""
    me = request.person
    engagement = session.engagement
    if not policy.can_see_engagement_competencies(me, engagement):
        return None
    behaviours = Behaviour.objects.select_related("level").order_by("level__rank", "position")
    links = list(
        EngagementCompetency.objects.visible_to(me)
        .filter(engagement=engagement)
        .select_related("competency__framework")
        .prefetch_related(Prefetch("competency__behaviours", queryset=behaviours))
        .order_by(
            "competency__framework__name",
            "competency__framework_id",
            "competency__position",
        )
    )
    receiver = engagement.receiver
    shown = bool(links) and policy.shows_assessments_in_coaching(me, receiver)
    latest: dict[tuple[int, bool], Assessment] = {}
    if shown:
        ids = [link.competency_id for link in links]
        mine = Q(assessor_id=receiver.pk)

        def newest(own: bool) -> Any:
            same = Assessment.objects.filter(person=receiver, competency=OuterRef("competency"))
            same = same.filter(mine) if own else same.exclude(mine)
            return same.filter(
                Q(assessed_at__gt=OuterRef("assessed_at"))
                | Q(assessed_at=OuterRef("assessed_at"), pk__gt=OuterRef("pk"))
            )

        for assessment in (
            Assessment.objects.visible_to(me)
            .filter(person=receiver, competency_id__in=ids)
            .filter((mine & ~Exists(newest(True))) | (~mine & ~Exists(newest(False))))
            .select_related("level", "assessor")
        ):
            latest[(assessment.competency_id, assessment.is_self_assessment)] = assessment
        if me.pk != receiver.pk and latest:
            record_read(request, receiver, Kind.ASSESSMENTS)
    rows = [
        {
            "competency": link.competency,
            "behaviours": list(link.competency.behaviours.all()),
            "own": latest.get((link.competency_id, True)),
            "other": latest.get((link.competency_id, False)),
        }
        for link in links
    ]
    return {
        "competency_rows": rows,
        "assessments_shown": shown,
        "receiver": receiver,
        "viewer_is_receiver": me.pk == receiver.pk,
    }


@panel("debrief.main", "mastery/_debrief_behaviours.html", order=10)
def debrief_behaviours(
    request: PersonRequest, *, debrief: Debrief, engagement: Engagement
) -> dict[str, Any] | None:
    """The behaviours the debrief's author ticked, where the debrief itself shows.
    Only a competency-coaching debrief has any: other debriefs cost no query (an
    engagement has at most two debriefs, one per party)."""
    if engagement.kind != EngagementKind.COMPETENCY_COACHING:
        return None
    changes = list(
        DebriefBehaviourChange.objects.visible_to(request.person)
        .filter(debrief=debrief)
        .select_related("behaviour__competency", "behaviour__level")
        .order_by(
            "behaviour__competency__position", "behaviour__level__rank", "behaviour__position"
        )
    )
    if not changes:
        return None
    return {"behaviour_changes": changes}
