"""Who sees and does what with proficiency levels and assessments: the rows of the
who-sees-what table in docs/design.md.

| content                         | person   | who wrote it | sharees  | anyone else |
|---------------------------------|----------|--------------|----------|-------------|
| assessments + evidence + author | read all | read theirs  | read all | —           |
| the list of assessment shares   | rw       | —            | own only | —           |
| grants + evidence + granter     | read all | read theirs  | —        | —           |
| current level on a ladder       | read     | read theirs  | —        | see below   |

Competency coaching (``EngagementCompetency``, ``DebriefBehaviourChange``):

| content                                   | the two parties            | anyone else |
|-------------------------------------------|----------------------------|-------------|
| the competencies the engagement works on  | read; add, remove if open  | —           |
| on its sessions: behaviours by level      | read                       | —           |
| on its sessions: the receiver's latest    | the receiver; the giver    | —           |
| assessments (self and other side by side) | only through a share       |             |
| behaviours ticked in a debrief            | where the debrief shows    | —           |

"Anyone else" includes the parties' managers, org admins, HR and a Django
superuser: the engagement's content is its two parties' (``coaching.policy``). A
giver's read of the receiver's assessments on a session is recorded for the
receiver (kind ``assessments``).

"Sharees" are the people the person shares their assessments with, one by one.

"Who wrote it" is the coach who granted a level or wrote an assessment (or the
person, for a self-assessment). "Anyone else" includes the person's managers and
org admins: a share is the only way in to assessments, person by person, and taking
it back closes the way at once. A level shows nowhere but where its privilege acts
(``has_privilege`` for the story library) and on the grant form, to someone who may
grant that person a level on that ladder (``held_for_granting``): the level they are
about to change, without evidence or granter.

Importing a framework (``can_import_frameworks``): the organisation's org admins
alone upload a file, read what a new version would change and confirm it; the file
waits in their own session. A framework's file (YAML, CSV, XLSX) is open to its
organisation, as its pages are: it holds expectations, never an assessment.

The framework pages (``views_frameworks.py``): a framework's grid, a cell's
behaviours and the assess page describe expectations, not people — anyone of the
framework's organisation (``Framework.visible_to``), 404 for anyone else; the assess
form offers the viewer and the people they coach (``can_assess``). A person's page
per framework and a competency's history show what ``Assessment.visible_to`` gives
the viewer: all of it to the person and their sharees, an author only theirs; the
page itself opens as the person's mastery page does (``get_person_for``).

Reads with evidence go through the ``visible_to`` querysets in ``models.py``. A
sharee's read of the person's page is recorded for the person (``cairn.trust``, kind
``assessments``); an author reading only what they wrote is not.
Anyone else gets 404 for a person's mastery page, so not even the existence of a
grant or an assessment leaks.

Privileges are asked about by other apps (the story library): ``has_privilege`` and
``people_with_privilege``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cairn.coaching import policy as coaching_policy
from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.lib.access import get_or_404
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    Behaviour,
    Competency,
    EngagementCompetency,
    Framework,
    Grant,
    Ladder,
    Level,
    Privilege,
)
from cairn.people.models import Person

COACHING_KINDS = (EngagementKind.COACHING, EngagementKind.COMPETENCY_COACHING)
LIVE_STATUSES = (EngagementStatus.AGREED, EngagementStatus.ACTIVE)


# --- levels and privileges ---------------------------------------------------------


def _lowest_rank(ladder: Any) -> Subquery:
    return Subquery(Level.objects.filter(ladder=ladder).order_by("rank").values("rank")[:1])


def _held_levels(person: Any) -> QuerySet[Level]:
    """The levels that ``person`` (a Person or an ``OuterRef`` to one) holds: on each
    ladder, the level of their latest grant, or the lowest level without one."""
    latest = (
        Grant.objects.filter(person=person, level__ladder=OuterRef("ladder"))
        .order_by("-granted_at", "-id")
        .values("level")[:1]
    )
    return Level.objects.annotate(held=Subquery(latest)).filter(
        Q(held=F("pk")) | Q(held__isnull=True, rank=_lowest_rank(OuterRef("ladder")))
    )


def has_privilege(person: Person, privilege: str) -> bool:
    """Whether any level the person holds, on a ladder of their organisation or a
    built-in one, grants the privilege. One query."""
    return (
        _held_levels(person)
        .filter(
            Q(ladder__organisation__isnull=True)
            | Q(ladder__organisation_id=person.organisation_id),
            level_privileges__privilege=privilege,
        )
        .exists()
    )


def people_with_privilege(organisation_id: int, privilege: str) -> QuerySet[Person]:
    """Everyone in the organisation who holds the privilege (say, the reviewers of
    stories), as one queryset."""
    holding = _held_levels(OuterRef(OuterRef("pk"))).filter(
        Q(ladder__organisation__isnull=True) | Q(ladder__organisation_id=organisation_id),
        level_privileges__privilege=privilege,
    )
    # Inside ``holding`` the person is two queries out: the level is tested for each
    # person row, and the latest grant for each level.
    return Person.objects.filter(organisation_id=organisation_id).filter(Exists(holding))


def current_level(person: Person, ladder: Ladder) -> Level:
    """The person's level on the ladder: their latest grant's, or the lowest."""
    grant = (
        Grant.objects.filter(person=person, level__ladder=ladder)
        .latest_first()
        .select_related("level")
        .first()
    )
    if grant is not None:
        return grant.level
    return Level.objects.filter(ladder=ladder).order_by("rank").first() or _no_levels(ladder)


def current_levels(person: Person, ladders: QuerySet[Ladder] | None = None) -> dict[int, Level]:
    """The person's level on every ladder visible to them, keyed by ladder id, in one
    query."""
    levels = _held_levels(person).filter(
        Q(ladder__organisation__isnull=True) | Q(ladder__organisation_id=person.organisation_id)
    )
    if ladders is not None:
        levels = levels.filter(ladder__in=ladders)
    levels = levels.select_related("ladder").prefetch_related("level_privileges")
    return {level.ladder_id: level for level in levels}


def _no_levels(ladder: Ladder) -> Level:
    raise Level.DoesNotExist(f"Ladder {ladder.pk} has no levels.")


def may_grant_on(level: Level | None) -> bool:
    """Whether holding this level lets one grant the levels below it."""
    if level is None:
        return False
    return any(p.privilege == Privilege.GRANT_LEVELS for p in level.level_privileges.all())


# --- reads about a person -----------------------------------------------------------


def shares_with(owner: Person, reader: Person) -> bool:
    """Whether ``owner`` shares their assessments with ``reader``."""
    return AssessmentShare.objects.filter(owner=owner, shared_with=reader).exists()


def can_read_assessments(viewer: Person, person: Person) -> bool:
    """All of a person's assessments: the person, and whom they share them with. An
    author reads the ones they wrote through ``Assessment.objects.visible_to``."""
    return viewer.pk == person.pk or shares_with(person, viewer)


def wrote_about(viewer: Person, person: Person) -> bool:
    """Whether the viewer granted the person a level or assessed them: they may read
    what they wrote, and nothing else."""
    return (
        Grant.objects.filter(person=person, granted_by=viewer).exists()
        or Assessment.objects.filter(person=person, assessor=viewer).exists()
    )


def get_person_for(viewer: Person, code: UUID | str) -> Person:
    """A person whose mastery page the viewer may see at all, or 404: the person,
    someone they share their assessments with, someone who wrote about them, their
    coach. Their managers and org admins, by role alone: 404, the same answer as for
    a person who does not exist."""
    person = get_or_404(
        Person.objects.visible_to(viewer).select_related("manager", "team"), code=code
    )
    if (
        viewer.pk == person.pk
        or shares_with(person, viewer)
        or wrote_about(viewer, person)
        or coaches(viewer, person)
    ):
        return person
    raise Http404


# --- sharing ------------------------------------------------------------------------

SHARE_SEARCH_MIN = 2
SHARE_SEARCH_LIMIT = 10


def can_share_with(owner: Person, reader: Person) -> bool:
    """Anyone active in the owner's organisation but the owner."""
    return (
        reader.pk != owner.pk
        and reader.organisation_id == owner.organisation_id
        and reader.user.is_active
    )


def share_candidates(owner: Person, query: str) -> list[Person]:
    """People the owner may share with whose name contains ``query``: at most
    ``SHARE_SEARCH_LIMIT + 1`` (the one more says there are more), never the whole
    organisation, and nobody for a query shorter than ``SHARE_SEARCH_MIN``."""
    query = query.strip()
    if len(query) < SHARE_SEARCH_MIN:
        return []
    return list(
        Person.objects.visible_to(owner)
        .active()
        .exclude(pk=owner.pk)
        .exclude(pk__in=AssessmentShare.objects.filter(owner=owner).values("shared_with_id"))
        .filter(name__icontains=query)
        .select_related("team")
        .order_by("name", "pk")[: SHARE_SEARCH_LIMIT + 1]
    )


def get_own_share_for(viewer: Person, code: UUID | str) -> AssessmentShare:
    """One of the viewer's own assessment shares, or 404 (also for its reader)."""
    return get_or_404(
        AssessmentShare.objects.filter(owner=viewer).select_related("shared_with"), code=code
    )


def find_share_reader(owner: Person, code: str) -> Person | None:
    """The person of the owner's organisation with that code, or None — the same for
    an unknown code, a malformed one and someone of another organisation."""
    try:
        UUID(str(code))
    except ValueError:
        return None
    return Person.objects.visible_to(owner).select_related("user").filter(code=code).first()


# --- who may write ------------------------------------------------------------------


def coaches(viewer: Person, person: Person) -> bool:
    """The viewer coaches the person: an agreed or active coaching or competency
    coaching engagement with the viewer as giver."""
    return Engagement.objects.filter(
        giver=viewer,
        receiver=person,
        kind__in=COACHING_KINDS,
        status__in=LIVE_STATUSES,
    ).exists()


def coachees(viewer: Person) -> QuerySet[Person]:
    """The people the viewer coaches now (see ``coaches``)."""
    return Person.objects.filter(
        organisation_id=viewer.organisation_id,
        pk__in=Engagement.objects.filter(
            giver=viewer, kind__in=COACHING_KINDS, status__in=LIVE_STATUSES
        ).values("receiver_id"),
    )


def can_assess(viewer: Person, person: Person) -> bool:
    """The person assesses themselves; their coach assesses them."""
    if viewer.organisation_id != person.organisation_id:
        return False
    return viewer.pk == person.pk or coaches(viewer, person)


def can_manage_ladders(viewer: Person) -> bool:
    return viewer.is_org_admin


def can_import_frameworks(viewer: Person) -> bool:
    return viewer.is_org_admin


def grantable_levels(actor: Person, ladder: Ladder) -> QuerySet[Level]:
    """The levels of the ladder the actor may grant to others: all of them for an org
    admin; below their own for someone whose level carries ``grant_levels``; none
    otherwise."""
    levels = Level.objects.filter(ladder=ladder)
    if ladder.organisation_id not in (None, actor.organisation_id):
        return levels.none()
    if actor.is_org_admin:
        return levels
    own = current_level(actor, ladder)
    if not own.level_privileges.filter(privilege=Privilege.GRANT_LEVELS).exists():
        return levels.none()
    return levels.filter(rank__lt=own.rank)


def all_grantable_levels(actor: Person) -> QuerySet[Level]:
    """Every level the actor may grant, over all ladders (for the grant form's
    choices), in a fixed number of queries."""
    levels = Level.objects.filter(ladder__in=Ladder.objects.visible_to(actor))
    if not actor.is_org_admin:
        allowed = Q(pk__in=[])
        for ladder_id, level in current_levels(actor).items():
            if Privilege.GRANT_LEVELS in level.privilege_values:
                allowed |= Q(ladder_id=ladder_id, rank__lt=level.rank)
        levels = levels.filter(allowed)
    return levels.select_related("ladder").order_by("ladder__name", "rank")


ALONGSIDE_KINDS = (*COACHING_KINDS, EngagementKind.MENTORING)


def grantees(actor: Person) -> QuerySet[Person]:
    """The people the actor may grant a level to (levels permitting).

    An org admin: anyone active in their organisation. Anyone else only people they
    work alongside — those they coach or mentor now — and people they already granted
    a level or assessed. Without that limit the grant form would tell a granter any
    colleague's level through its refusals ("already at …", "at or above your own"),
    which the who-sees-what table gives to nobody but the person and their granter.
    """
    people = Person.objects.visible_to(actor).active().exclude(pk=actor.pk)
    if actor.is_org_admin:
        return people
    return people.filter(
        Q(
            pk__in=Engagement.objects.filter(
                giver=actor, kind__in=ALONGSIDE_KINDS, status__in=LIVE_STATUSES
            ).values("receiver_id")
        )
        | Q(pk__in=Grant.objects.filter(granted_by=actor).values("person_id"))
        | Q(pk__in=Assessment.objects.filter(assessor=actor).values("person_id"))
    )


def held_for_granting(actor: Person, person: Person) -> list[Level]:
    """What the grant form shows the actor about ``person``: the person's current
    level on each ladder the actor may grant on — and nothing when the actor may not
    grant the person anything (``grantees``). Levels only: no evidence, no granter,
    no ladder the actor grants nothing on. A fixed number of queries."""
    if not grantees(actor).filter(pk=person.pk).exists():
        return []
    ladders = Ladder.objects.filter(pk__in=all_grantable_levels(actor).values("ladder_id"))
    held = current_levels(person, ladders)
    return sorted(held.values(), key=lambda level: (level.ladder.name, level.ladder_id))


def may_grant_something(actor: Person) -> bool:
    """Whether the grant form is worth showing to the actor at all."""
    return actor.is_org_admin or has_privilege(actor, Privilege.GRANT_LEVELS)


# --- access helpers -----------------------------------------------------------------


def get_ladder_for(viewer: Person, slug: str) -> Ladder:
    """A built-in ladder, or one of the viewer's organisation's, by slug. An
    organisation's own ladder of the same slug as a built-in one cannot exist (the
    service refuses it), so the slug is unambiguous."""
    return get_or_404(Ladder.objects.visible_to(viewer), slug=slug)


def get_framework_for(viewer: Person, code: UUID | str) -> Framework:
    return get_or_404(Framework.objects.visible_to(viewer), code=code)


# --- competencies in coaching ----------------------------------------------------------

# What a competency-coaching engagement may name at once: a focus, not the framework.
ENGAGEMENT_COMPETENCIES_MAX = 6
# Above this many frameworks in an organisation, the add form asks for the framework
# first and then lists its competencies (a framework has tens of them).
FRAMEWORKS_IN_ONE_SELECT = 3


def names_competencies(engagement: Engagement) -> bool:
    """Only competency coaching works on named competencies."""
    return engagement.kind == EngagementKind.COMPETENCY_COACHING


def can_see_engagement_competencies(viewer: Person, engagement: Engagement) -> bool:
    """The engagement's competencies, their behaviours and its debriefs' ticked
    behaviours: the two parties, as everything said inside an engagement."""
    return names_competencies(engagement) and engagement.is_party(viewer)


def can_choose_engagement_competencies(viewer: Person, engagement: Engagement) -> bool:
    """Either party adds or removes competencies while the engagement is open."""
    return can_see_engagement_competencies(viewer, engagement) and engagement.is_open


def competency_choices(
    engagement: Engagement, framework: Framework | None = None
) -> QuerySet[Competency]:
    """The competencies the engagement may name: those of its organisation's
    frameworks (of ``framework`` only, when given), less those it names already."""
    competencies = Competency.objects.filter(
        framework__organisation_id=engagement.organisation_id, retired_at__isnull=True
    ).exclude(engagement_links__engagement=engagement)
    if framework is not None:
        competencies = competencies.filter(framework=framework)
    return competencies.select_related("framework").order_by(
        "framework__name", "framework_id", "position"
    )


def engagement_behaviours(viewer: Person, engagement: Engagement) -> QuerySet[Behaviour]:
    """The behaviours of the competencies the engagement names, for a party; none for
    anyone else. Ordered as the debrief offers them."""
    if not can_see_engagement_competencies(viewer, engagement):
        return Behaviour.objects.none()
    return (
        Behaviour.objects.filter(
            competency__engagement_links__in=EngagementCompetency.objects.visible_to(viewer).filter(
                engagement=engagement
            )
        )
        .select_related("competency", "level")
        .order_by("competency__position", "level__track__position", "level__rank", "position")
    )


def shows_assessments_in_coaching(viewer: Person, person: Person) -> bool:
    """Whether a competency-coaching session shows ``person``'s latest assessments to
    the viewer: the person themselves, or someone they share their assessments with.
    The coach sees none without a share, even those they wrote (the person decides
    what the room sees)."""
    return viewer.pk == person.pk or shares_with(person, viewer)


def get_competency_engagement_for(viewer: Person, code: UUID | str) -> Engagement:
    """A competency-coaching engagement the viewer is a party to, or 404 (another
    kind of engagement names no competencies: it has no such page)."""
    engagement = coaching_policy.get_engagement_for(viewer, code)
    if not can_see_engagement_competencies(viewer, engagement):
        raise Http404
    return engagement


def get_engagement_competency_for(
    viewer: Person, engagement: Engagement, competency_code: UUID | str
) -> EngagementCompetency:
    return get_or_404(
        EngagementCompetency.objects.visible_to(viewer)
        .filter(engagement=engagement)
        .select_related("competency"),
        competency__code=competency_code,
    )
