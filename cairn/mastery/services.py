"""Every write to ladders, grants, frameworks and assessments, one function per use
case.

Each function checks policy (``PermissionDenied`` if the actor may not), validates
(``ValidationError`` with a message a person can read), runs in one transaction and
logs ids only — never evidence, which only the person, its writer and the people
the person shares their assessments with may read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cairn.coaching.models import Debrief, Engagement
from cairn.lib.access import require
from cairn.mastery import policy
from cairn.mastery.frameworks import FrameworkSpec, parse_framework
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    Behaviour,
    Competency,
    DebriefBehaviourChange,
    EngagementCompetency,
    Framework,
    FrameworkLevel,
    FrameworkVersion,
    Grant,
    Ladder,
    Level,
    LevelPrivilege,
    Privilege,
    Stage,
    Track,
    TrackCompetency,
)
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Organisation, Person

log = logging.getLogger("cairn.mastery")

EVIDENCE_MAX = 4_000


def _clean_evidence(evidence: str) -> str:
    evidence = evidence.strip()
    if not evidence:
        raise ValidationError("Say what you saw: evidence is required.")
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationError(f"Keep the evidence under {EVIDENCE_MAX} characters.")
    return evidence


# --- grants ----------------------------------------------------------------------------


@transaction.atomic
def grant_level(
    actor: Person,
    person: Person,
    level: Level,
    *,
    evidence: str,
    now: dt.datetime | None = None,
) -> Grant:
    """Record that ``person`` is now at ``level``, with evidence. Returns the grant.

    Who may call it: an org admin of the person's organisation (any level, which is
    how a ladder gets its first coaches), or someone whose own current level on that
    ladder carries ``grant_levels`` — and then only for levels below their own, for
    people who are themselves below it (a coach neither makes nor unmakes another
    coach), and only to people they coach or mentor or granted or assessed before
    (``policy.grantees``). Nobody grants themselves anything. A grant to a lower level than the
    person's current one withdraws the higher level; the history stays.
    """
    ladder = level.ladder
    if person.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if ladder.organisation_id not in (None, actor.organisation_id):
        raise PermissionDenied
    if person.pk == actor.pk:
        raise PermissionDenied("Nobody grants themselves a level: ask a coach or an org admin.")
    # Before any check that depends on the person's level, so that a refusal tells
    # nothing about the level of someone the actor does not work with.
    require(policy.grantees(actor).filter(pk=person.pk).exists())
    allowed = policy.grantable_levels(actor, ladder)
    require(allowed.filter(pk=level.pk).exists())
    current = policy.current_level(person, ladder)
    if not actor.is_org_admin and not allowed.filter(pk=current.pk).exists():
        # Their current level is at or above the actor's own.
        raise PermissionDenied
    if current.pk == level.pk:
        raise ValidationError(f"{person.name} is already at {level.name} on {ladder.name}.")
    grant = Grant.objects.create(
        person=person,
        level=level,
        granted_by=actor,
        evidence=_clean_evidence(evidence),
        granted_at=now or timezone.now(),
    )
    log.info(
        "mastery.granted grant=%s person=%s level=%s actor=%s",
        grant.pk,
        person.pk,
        level.pk,
        actor.pk,
    )
    return grant


# --- ladders -----------------------------------------------------------------------------


@transaction.atomic
def create_ladder(
    actor: Person,
    *,
    name: str,
    description: str,
    levels: Sequence[tuple[str, str, Sequence[str]]],
) -> Ladder:
    """An org admin defines a ladder for their organisation. ``levels`` are
    (name, criteria, privileges), lowest first; at least two are needed, since the
    lowest is where everyone starts."""
    require(policy.can_manage_ladders(actor))
    name = name.strip()
    if not name:
        raise ValidationError("Give the ladder a name.")
    slug = slugify(name)[:60]
    if not slug:
        raise ValidationError("Give the ladder a name with letters or digits in it.")
    if slug == "new":  # /mastery/ladders/new/ is the page that defines ladders
        raise ValidationError("Choose another name for the ladder.")
    if Ladder.objects.visible_to(actor).filter(slug=slug).exists():
        raise ValidationError(f"There is already a ladder called {name}.")
    if len(levels) < 2:
        raise ValidationError(
            "A ladder needs at least two levels: where people start, and one above."
        )
    seen: set[str] = set()
    for level_name, criteria, privileges in levels:
        level_slug = slugify(level_name)
        if not level_name.strip() or not level_slug:
            raise ValidationError("Every level needs a name.")
        if level_slug in seen:
            raise ValidationError(f"Two levels are called {level_name.strip()}: name each once.")
        seen.add(level_slug)
        if not criteria.strip():
            raise ValidationError(f"Say what it takes to reach {level_name.strip()}.")
        unknown = set(privileges) - set(Privilege.values)
        if unknown:
            raise ValidationError("Choose privileges from the list.")
    ladder = Ladder.objects.create(
        organisation_id=actor.organisation_id,
        slug=slug,
        name=name,
        description=description.strip(),
    )
    for rank, (level_name, criteria, privileges) in enumerate(levels):
        level = Level.objects.create(
            ladder=ladder,
            slug=slugify(level_name)[:60],
            name=level_name.strip(),
            rank=rank,
            criteria=criteria.strip(),
        )
        LevelPrivilege.objects.bulk_create(
            [LevelPrivilege(level=level, privilege=p) for p in sorted(set(privileges))]
        )
    log.info("mastery.ladder_created ladder=%s actor=%s", ladder.pk, actor.pk)
    return ladder


# --- competency frameworks -------------------------------------------------------------


def import_framework(actor: Person, data: bytes, *, filename: str, name: str = "") -> Framework:
    """An org admin imports a framework file (YAML or CSV) into their organisation.
    Returns the framework; on any fault in the file raises one ``ValidationError``
    naming the line, and nothing is written."""
    require(policy.can_import_frameworks(actor))
    framework = import_framework_into(actor.organisation, data, filename=filename, name=name)
    log.info("mastery.framework_imported framework=%s actor=%s", framework.pk, actor.pk)
    return framework


@transaction.atomic
def import_framework_into(
    organisation: Organisation, data: bytes, *, filename: str, name: str = ""
) -> Framework:
    """The import itself, for the ``import_framework`` command (run by whoever runs
    the server, so no actor) and for ``import_framework`` above."""
    spec = parse_framework(data, filename=filename, name=name)
    if Framework.objects.filter(organisation=organisation, name__iexact=spec.name).exists():
        raise ValidationError(
            f'Line {spec.line}: a framework called "{spec.name}" already exists here. '
            "Give this one another name."
        )
    return _write_framework(organisation, spec)


def _unique_key(name: str, taken: set[str], fallback: str) -> str:
    base = slugify(name)[:60] or fallback
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[: 60 - len(suffix)] + suffix
        n += 1
    taken.add(key)
    return key


def _write_framework(organisation: Organisation, spec: FrameworkSpec) -> Framework:
    """All rows in a handful of bulk inserts, whatever the size of the framework."""
    taken = set(Framework.objects.filter(organisation=organisation).values_list("key", flat=True))
    framework = Framework.objects.create(
        organisation=organisation,
        key=_unique_key(spec.name, taken, "framework"),
        name=spec.name,
        description=spec.description,
    )
    FrameworkVersion.objects.create(framework=framework, number=1)
    track_keys: set[str] = set()
    tracks = Track.objects.bulk_create(
        [
            Track(
                framework=framework,
                key=_unique_key(t.name, track_keys, "track"),
                name=t.name,
                position=i,
            )
            for i, t in enumerate(spec.tracks)
        ]
    )
    level_rows: list[FrameworkLevel] = []
    competency_rows: list[Competency] = []
    competency_keys: set[str] = set()
    # Competency name → row: a competency listed under several levels or tracks is
    # one competency with behaviours at each.
    by_name: dict[str, Competency] = {}
    links: dict[tuple[int, str], TrackCompetency] = {}
    per_track: Counter[int] = Counter()
    for t_index, (track, track_spec) in enumerate(zip(tracks, spec.tracks, strict=True)):
        level_keys: set[str] = set()
        for rank, level_spec in enumerate(track_spec.levels):
            level_rows.append(
                FrameworkLevel(
                    track=track,
                    key=_unique_key(level_spec.name, level_keys, "level"),
                    name=level_spec.name,
                    rank=rank,
                )
            )
            for competency_spec in level_spec.competencies:
                name = competency_spec.name.casefold()
                if name not in by_name:
                    by_name[name] = Competency(
                        framework=framework,
                        key=_unique_key(competency_spec.name, competency_keys, "competency"),
                        name=competency_spec.name,
                        position=len(competency_rows),
                    )
                    competency_rows.append(by_name[name])
                if (t_index, name) not in links:
                    links[t_index, name] = TrackCompetency(
                        track=track, competency=by_name[name], position=per_track[t_index]
                    )
                    per_track[t_index] += 1
    FrameworkLevel.objects.bulk_create(level_rows)
    Competency.objects.bulk_create(competency_rows)
    TrackCompetency.objects.bulk_create(list(links.values()))
    behaviours: list[Behaviour] = []
    levels = iter(level_rows)
    for track_spec in spec.tracks:
        for level_spec in track_spec.levels:
            level = next(levels)
            for competency_spec in level_spec.competencies:
                competency = by_name[competency_spec.name.casefold()]
                behaviours.extend(
                    Behaviour(competency=competency, level=level, text=text, position=i)
                    for i, text in enumerate(competency_spec.behaviours)
                )
    Behaviour.objects.bulk_create(behaviours)
    return framework


# --- assessments -------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    actor: Person,
    person: Person,
    competency: Competency,
    level: FrameworkLevel | None,
    *,
    stage: Stage | None = None,
    evidence: str,
    now: dt.datetime | None = None,
) -> Assessment:
    """The person assesses themselves, or their coach (an agreed or active coaching
    or competency-coaching engagement, coach as giver) assesses them: the level of
    a track using the competency they showed, or a stage of the competency's scale
    (its own, else its framework's) — exactly one — with evidence. A retired
    competency takes no new assessment. Returns the assessment; the earlier ones
    stay as history."""
    require(policy.can_assess(actor, person))
    if competency.framework.organisation_id != person.organisation_id:
        raise PermissionDenied
    if competency.retired_at is not None:
        raise ValidationError(f"{competency.name} is retired: it takes no new assessments.")
    if (level is None) == (stage is None):
        raise ValidationError("Choose a level or a stage: one of the two.")
    if (
        level is not None
        and not TrackCompetency.objects.filter(
            track_id=level.track_id, competency=competency
        ).exists()
    ):
        raise ValidationError("Choose a level of a track that uses this competency.")
    if stage is not None and stage.scale_id != (
        competency.scale_id or competency.framework.scale_id
    ):
        raise ValidationError("Choose a stage of this competency's scale.")
    assessment = Assessment.objects.create(
        person=person,
        assessor=actor,
        competency=competency,
        level=level,
        stage=stage,
        evidence=_clean_evidence(evidence),
        assessed_at=now or timezone.now(),
    )
    log.info(
        "mastery.assessed assessment=%s person=%s actor=%s", assessment.pk, person.pk, actor.pk
    )
    return assessment


# --- sharing assessments ---------------------------------------------------------------


@transaction.atomic
def share_assessments(actor: Person, reader: Person | None) -> AssessmentShare:
    """The actor lets ``reader`` — anyone active in their organisation — read every
    competency assessment of them. ``None`` stands for a person the actor's search
    could not find (an unknown code, or someone of another organisation), which is
    refused with the same words as another organisation's person."""
    if reader is None or reader.organisation_id != actor.organisation_id:
        raise ValidationError("Choose someone from your organisation.")
    if reader.pk == actor.pk:
        raise ValidationError("You read your own assessments already: choose someone else.")
    if not reader.user.is_active:
        raise ValidationError(f"{reader.name} no longer has an account here.")
    require(policy.can_share_with(actor, reader))
    if AssessmentShare.objects.filter(owner=actor, shared_with=reader).exists():
        raise ValidationError(f"You already share your assessments with {reader.name}.")
    share = AssessmentShare.objects.create(owner=actor, shared_with=reader)
    notify(
        reader,
        Kind.SHARED_WITH_YOU,
        title=f"{actor.name} shared their competency assessments with you",
        url=reverse("mastery:person", args=[actor.code]),
        key=f"assessments-shared:{share.pk}:{reader.pk}",
        subject=share,
    )
    log.info("mastery.shared share=%s actor=%s reader=%s", share.pk, actor.pk, reader.pk)
    return share


@transaction.atomic
def unshare_assessments(actor: Person, share: AssessmentShare) -> None:
    """The owner takes a share back; the reader loses access with this commit."""
    require(share.owner_id == actor.pk)
    log.info("mastery.unshared share=%s actor=%s", share.pk, actor.pk)
    share.delete()


# --- competencies in coaching ------------------------------------------------------------


@transaction.atomic
def add_engagement_competency(
    actor: Person,
    engagement: Engagement,
    competency: Competency,
    *,
    now: dt.datetime | None = None,
) -> EngagementCompetency:
    """Either party names a competency their competency-coaching engagement works on,
    from its organisation's frameworks, while it is open."""
    require(policy.can_see_engagement_competencies(actor, engagement))
    if not engagement.is_open:
        raise ValidationError("This engagement has closed: its competencies stay as they were.")
    # Locks the engagement row, so that two parties adding at once respect the cap.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    if not policy.competency_choices(engagement).filter(pk=competency.pk).exists():
        if EngagementCompetency.objects.filter(
            engagement=engagement, competency=competency
        ).exists():
            raise ValidationError(f"You already work on {competency.name}.")
        raise ValidationError("Choose one of your organisation's competencies.")
    named = EngagementCompetency.objects.filter(engagement=engagement).count()
    if named >= policy.ENGAGEMENT_COMPETENCIES_MAX:
        raise ValidationError(
            f"Work on at most {policy.ENGAGEMENT_COMPETENCIES_MAX} competencies at once: "
            "remove one first."
        )
    link = EngagementCompetency.objects.create(
        engagement=engagement, competency=competency, added_by=actor, added_at=now or timezone.now()
    )
    log.info(
        "mastery.engagement_competency_added link=%s engagement=%s competency=%s actor=%s",
        link.pk,
        engagement.pk,
        competency.pk,
        actor.pk,
    )
    return link


@transaction.atomic
def remove_engagement_competency(actor: Person, link: EngagementCompetency) -> None:
    """Either party takes a competency off their engagement while it is open. The
    behaviours already ticked in a debrief stay: they are the debrief's."""
    engagement = link.engagement
    require(policy.can_see_engagement_competencies(actor, engagement))
    if not engagement.is_open:
        raise ValidationError("This engagement has closed: its competencies stay as they were.")
    log.info(
        "mastery.engagement_competency_removed link=%s engagement=%s actor=%s",
        link.pk,
        engagement.pk,
        actor.pk,
    )
    link.delete()


@transaction.atomic
def record_behaviour_changes(
    actor: Person, debrief: Debrief, behaviours: Sequence[Behaviour]
) -> list[DebriefBehaviourChange]:
    """The behaviours the author of a competency-coaching debrief says changed: only
    behaviours of the competencies their engagement names. Call it in the
    transaction that wrote the debrief."""
    require(debrief.author_id == actor.pk)
    engagement = debrief.engagement
    if not behaviours:
        return []
    offered = set(policy.engagement_behaviours(actor, engagement).values_list("pk", flat=True))
    if any(b.pk not in offered for b in behaviours):
        raise ValidationError("Choose among the behaviours of the competencies you worked on.")
    changes = DebriefBehaviourChange.objects.bulk_create(
        [DebriefBehaviourChange(debrief=debrief, behaviour=b) for b in behaviours]
    )
    log.info(
        "mastery.debrief_behaviours debrief=%s count=%s actor=%s",
        debrief.pk,
        len(changes),
        actor.pk,
    )
    return changes
