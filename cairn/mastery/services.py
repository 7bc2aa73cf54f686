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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cairn.coaching.models import Debrief, Engagement
from cairn.lib.access import require
from cairn.mastery import policy
from cairn.mastery.frameworks import (
    AreaSpec,
    BehaviourSpec,
    CompetencySpec,
    FrameworkSpec,
    LevelSpec,
    ScaleSpec,
    StageSpec,
    TrackSpec,
    dump_yaml,
    parse_framework,
)
from cairn.mastery.models import (
    Area,
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
    Scale,
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


def read_framework(data: bytes, *, filename: str, name: str = "") -> FrameworkSpec:
    """The framework in a file, checked whole (``frameworks.parse_framework``)."""
    return parse_framework(data, filename=filename, name=name)


def preview_import(actor: Person, spec: FrameworkSpec) -> FrameworkDiff:
    """What importing ``spec`` into the actor's organisation would change, writing
    nothing: a new framework, or the differences from the current version of the
    framework with the same key."""
    require(policy.can_import_frameworks(actor))
    return plan_import(actor.organisation, spec)


def import_framework(
    actor: Person,
    data: bytes,
    *,
    filename: str,
    name: str = "",
    expected_version: int | None = None,
) -> Framework:
    """An org admin imports a framework file (YAML, CSV or XLSX) into their
    organisation: a new framework, or, where one has the file's key already, a new
    version of it. ``expected_version`` is the version the admin saw the differences
    against: if someone imported another version meanwhile, nothing is written and
    the ``ValidationError`` says so. On any fault in the file raises one
    ``ValidationError`` naming the line, and nothing is written."""
    require(policy.can_import_frameworks(actor))
    framework = import_framework_into(
        actor.organisation,
        data,
        filename=filename,
        name=name,
        actor=actor,
        expected_version=expected_version,
    )
    log.info(
        "mastery.framework_imported framework=%s version=%s actor=%s",
        framework.pk,
        framework.version,
        actor.pk,
    )
    return framework


@transaction.atomic
def import_framework_into(
    organisation: Organisation,
    data: bytes,
    *,
    filename: str,
    name: str = "",
    actor: Person | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Framework:
    """The import itself, for the ``import_framework`` command (run by whoever runs
    the server, so no actor) and for ``import_framework`` above."""
    spec = parse_framework(data, filename=filename, name=name)
    return apply_spec(organisation, spec, actor=actor, expected_version=expected_version, now=now)


def framework_spec(framework: Framework) -> FrameworkSpec:
    """The framework as it stands (its retired rows left out), as the spec its
    current version's file would read as: what ``dump_yaml`` and ``framework_rows``
    export. A fixed number of queries."""
    current = _Current.of(framework)
    active = [c for c in current.competencies.values() if c.retired_at is None]
    spec = FrameworkSpec(
        key=framework.key,
        name=framework.name,
        description=framework.description,
        scale=framework.scale.key if framework.scale else "",
        scales=[
            ScaleSpec(
                key=scale.key,
                name=scale.name,
                stages=[
                    StageSpec(key=stage.key, name=stage.name, description=stage.description)
                    for stage in sorted(
                        (st for (sk, _), st in current.stages.items() if sk == scale.key),
                        key=lambda st: st.rank,
                    )
                ],
            )
            for scale in sorted(current.scales.values(), key=lambda s: s.key)
        ],
        areas=[
            AreaSpec(key=a.key, name=a.name, description=a.description)
            for a in sorted(current.areas.values(), key=lambda a: (a.position, a.pk))
            if a.retired_at is None
        ],
        competencies=[
            CompetencySpec(
                key=c.key,
                name=c.name,
                description=c.description,
                area=c.area.key if c.area and c.area.retired_at is None else "",
                scale=c.scale.key if c.scale else "",
            )
            for c in sorted(active, key=lambda c: (c.position, c.pk))
        ],
    )
    behaviours = current.behaviours_at()
    active_keys = {c.key for c in active}
    for track in sorted(current.tracks.values(), key=lambda t: (t.position, t.pk)):
        if track.retired_at is not None:
            continue
        used = [k for k in current.links.get(track.key, []) if k in active_keys]
        track_spec = TrackSpec(
            key=track.key, name=track.name, description=track.description, competencies=used
        )
        levels = sorted(
            (lv for (tk, _), lv in current.levels.items() if tk == track.key),
            key=lambda lv: (lv.rank, lv.pk),
        )
        for level in levels:
            if level.retired_at is not None:
                continue
            level_spec = LevelSpec(
                key=level.key,
                name=level.name,
                code=level.label,
                grade=level.grade,
                description=level.description,
            )
            for key in used:
                items = [
                    BehaviourSpec(b.text, examples=list(b.examples))
                    for b in behaviours.get((track.key, level.key, key), [])
                    if b.retired_at is None
                ]
                if items:
                    level_spec.behaviours[key] = items
            track_spec.levels.append(level_spec)
        spec.tracks.append(track_spec)
    return spec


@dataclass
class Change:
    """One difference: ``what`` ("competency", "level", …), its key (a level's and a
    behaviour's with their track's), its name now and, for a rename, before."""

    what: str
    key: str
    name: str
    old_name: str = ""


@dataclass
class FrameworkDiff:
    spec: FrameworkSpec
    framework: Framework | None  # None: the file makes a new framework
    added: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.framework is None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.renamed or self.changed or self.removed)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "renamed": len(self.renamed),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }


@dataclass
class _Current:
    """A framework's rows, by key, in a fixed number of queries."""

    scales: dict[str, Scale]
    stages: dict[tuple[str, str], Stage]
    areas: dict[str, Area]
    competencies: dict[str, Competency]
    tracks: dict[str, Track]
    levels: dict[tuple[str, str], FrameworkLevel]
    links: dict[str, list[str]]
    behaviours: list[Behaviour]

    @classmethod
    def empty(cls) -> _Current:
        return cls({}, {}, {}, {}, {}, {}, {}, [])

    @classmethod
    def of(cls, framework: Framework) -> _Current:
        links: dict[str, list[str]] = {}
        for track_key, competency_key in (
            TrackCompetency.objects.filter(track__framework=framework)
            .order_by("track_id", "position", "id")
            .values_list("track__key", "competency__key")
        ):
            links.setdefault(track_key, []).append(competency_key)
        return cls(
            scales={s.key: s for s in Scale.objects.filter(framework=framework)},
            stages={
                (s.scale.key, s.key): s
                for s in Stage.objects.filter(scale__framework=framework).select_related("scale")
            },
            areas={a.key: a for a in Area.objects.filter(framework=framework)},
            competencies={
                c.key: c
                for c in Competency.objects.filter(framework=framework).select_related(
                    "area", "scale"
                )
            },
            tracks={t.key: t for t in Track.objects.filter(framework=framework)},
            levels={
                (lv.track.key, lv.key): lv
                for lv in FrameworkLevel.objects.filter(track__framework=framework).select_related(
                    "track"
                )
            },
            links=links,
            behaviours=list(
                Behaviour.objects.filter(competency__framework=framework)
                .select_related("level__track", "competency")
                .order_by("level_id", "competency_id", "position", "id")
            ),
        )

    def behaviours_at(self) -> dict[tuple[str, str, str], list[Behaviour]]:
        """(track key, level key, competency key) → its behaviours, active first."""
        found: dict[tuple[str, str, str], list[Behaviour]] = {}
        for b in sorted(self.behaviours, key=lambda b: (b.retired_at is not None, b.position)):
            found.setdefault((b.level.track.key, b.level.key, b.competency.key), []).append(b)
        return found


def _match_behaviours(
    spec_behaviours: list[BehaviourSpec], rows: list[Behaviour]
) -> list[tuple[BehaviourSpec, Behaviour | None]]:
    """Each behaviour of the file with the row of the same text (active rows first),
    or None for a new one. Behaviours have no keys: their text is who they are."""
    free = list(rows)
    matched: list[tuple[BehaviourSpec, Behaviour | None]] = []
    for behaviour in spec_behaviours:
        row = next((r for r in free if r.text.casefold() == behaviour.text.casefold()), None)
        if row is not None:
            free.remove(row)
        matched.append((behaviour, row))
    return matched


def plan_import(organisation: Organisation, spec: FrameworkSpec) -> FrameworkDiff:
    """The differences between ``spec`` and the organisation's framework with its
    key (everything added, for a new one). Refuses, with a ``ValidationError``, a
    name another framework has, and a file that drops a stage or a scale (stage
    assessments may point at them)."""
    existing = Framework.objects.filter(organisation=organisation, key=spec.key).first()
    clash = Framework.objects.filter(organisation=organisation, name__iexact=spec.name)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise ValidationError(
            f'Line {spec.line}: a framework called "{spec.name}" already exists here. '
            "Give this one another name."
        )
    current = _Current.of(existing) if existing is not None else _Current.empty()
    return _diff(existing, spec, current)


def _diff(framework: Framework | None, spec: FrameworkSpec, current: _Current) -> FrameworkDiff:
    diff = FrameworkDiff(spec=spec, framework=framework)

    def compare(
        what: str,
        key: str,
        name: str,
        row: Any,
        changed: bool,
        label: str = "",
    ) -> None:
        shown = label or name
        if row is None or getattr(row, "retired_at", None) is not None:
            diff.added.append(Change(what, key, shown))
        elif row.name != name:
            diff.renamed.append(Change(what, key, shown, old_name=row.name))
        elif changed:
            diff.changed.append(Change(what, key, shown))

    if framework is not None:
        if framework.name != spec.name:
            diff.renamed.append(Change("framework", spec.key, spec.name, framework.name))
        elif framework.description != spec.description or (
            (framework.scale.key if framework.scale else "") != spec.scale
        ):
            diff.changed.append(Change("framework", spec.key, spec.name))
    spec_scales = {s.key for s in spec.scales}
    for scale_key in current.scales:
        if scale_key not in spec_scales:
            raise ValidationError(
                f'The scale "{scale_key}" is missing from the file: a scale stays once '
                "imported, as assessments may use its stages. Put it back to import this file."
            )
    for scale in spec.scales:
        scale_row = current.scales.get(scale.key)
        compare("scale", scale.key, scale.name, scale_row, False)
        keys = {s.key for s in scale.stages}
        for (scale_key, stage_key), _ in current.stages.items():
            if scale_key == scale.key and stage_key not in keys:
                raise ValidationError(
                    f'Line {scale.line}: the stage "{stage_key}" of scale "{scale.key}" is '
                    "missing: a stage stays once imported, as assessments may use it. "
                    "Put it back to import this file."
                )
        for stage in scale.stages:
            stage_row = current.stages.get((scale.key, stage.key))
            compare(
                "stage",
                f"{scale.key}/{stage.key}",
                stage.name,
                stage_row,
                stage_row is not None and stage_row.description != stage.description,
            )
    for area in spec.areas:
        area_row = current.areas.get(area.key)
        compare(
            "area",
            area.key,
            area.name,
            area_row,
            area_row is not None and area_row.description != area.description,
        )
    for competency in spec.competencies:
        row = current.competencies.get(competency.key)
        compare(
            "competency",
            competency.key,
            competency.name,
            row,
            row is not None
            and (
                row.description != competency.description
                or (row.area.key if row.area else "") != competency.area
                or (row.scale.key if row.scale else "") != competency.scale
            ),
        )
    behaviours = current.behaviours_at()
    for track in spec.tracks:
        track_row = current.tracks.get(track.key)
        compare(
            "track",
            track.key,
            track.name,
            track_row,
            track_row is not None
            and (
                track_row.description != track.description
                or current.links.get(track.key, []) != track.competencies
            ),
        )
        for level in track.levels:
            level_row = current.levels.get((track.key, level.key))
            compare(
                "level",
                f"{track.key}/{level.key}",
                level.name,
                level_row,
                level_row is not None
                and (
                    level_row.description != level.description
                    or level_row.label != level.code
                    or level_row.grade != level.grade
                ),
                label=f"{track.name}: {level.name}",
            )
            for competency_key, items in level.behaviours.items():
                at = (track.key, level.key, competency_key)
                rows = behaviours.get(at, [])
                matched = _match_behaviours(items, rows)
                where = f"{track.key}/{level.key}/{competency_key}"
                for behaviour, behaviour_row in matched:
                    if behaviour_row is None or behaviour_row.retired_at is not None:
                        diff.added.append(Change("behaviour", where, behaviour.text))
                    elif (
                        behaviour_row.examples != behaviour.examples
                        or behaviour_row.text != behaviour.text
                    ):
                        diff.changed.append(Change("behaviour", where, behaviour.text))
                kept = {id(r) for _, r in matched if r is not None}
                diff.removed.extend(
                    Change("behaviour", where, r.text)
                    for r in rows
                    if id(r) not in kept and r.retired_at is None
                )
    # Behaviours at a level or of a competency the file no longer pairs.
    paired = {(t.key, lv.key, c) for t in spec.tracks for lv in t.levels for c in lv.behaviours}
    for (track_key, level_key, competency_key), rows in behaviours.items():
        if (track_key, level_key, competency_key) not in paired:
            diff.removed.extend(
                Change("behaviour", f"{track_key}/{level_key}/{competency_key}", r.text)
                for r in rows
                if r.retired_at is None
            )
    spec_areas = {a.key for a in spec.areas}
    diff.removed.extend(
        Change("area", k, a.name)
        for k, a in current.areas.items()
        if k not in spec_areas and a.retired_at is None
    )
    spec_competencies = {c.key for c in spec.competencies}
    diff.removed.extend(
        Change("competency", k, c.name)
        for k, c in current.competencies.items()
        if k not in spec_competencies and c.retired_at is None
    )
    spec_tracks = {t.key for t in spec.tracks}
    diff.removed.extend(
        Change("track", k, t.name)
        for k, t in current.tracks.items()
        if k not in spec_tracks and t.retired_at is None
    )
    spec_levels = {(t.key, lv.key) for t in spec.tracks for lv in t.levels}
    diff.removed.extend(
        Change("level", f"{tk}/{lk}", f"{lv.track.name}: {lv.name}")
        for (tk, lk), lv in current.levels.items()
        if (tk, lk) not in spec_levels and lv.retired_at is None
    )
    return diff


def apply_spec(
    organisation: Organisation,
    spec: FrameworkSpec,
    *,
    actor: Person | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Framework:
    """Write ``spec`` as a new framework, or as the next version of the framework
    with its key, in one transaction: rows matched by key are updated (so
    assessments stay attached through renames), what the file no longer has is
    retired, never deleted, and a ``FrameworkVersion`` records the file and the
    counts of what changed."""
    now = now or timezone.now()
    with transaction.atomic():
        framework = (
            Framework.objects.select_for_update(of=("self",))
            .filter(organisation=organisation, key=spec.key)
            .first()
        )
        if framework is not None and expected_version not in (None, framework.version):
            raise ValidationError(
                f"{framework.name} changed while you looked: it is at version "
                f"{framework.version} now. Import the file again to see what it changes."
            )
        diff = plan_import(organisation, spec)
        if framework is None:
            framework = Framework.objects.create(
                organisation=organisation, key=spec.key, name=spec.name, version=0
            )
            current = _Current.empty()
        else:
            current = _Current.of(framework)
        _write(framework, spec, current, now)
        framework.version += 1
        framework.name = spec.name
        framework.description = spec.description
        framework.imported_at = now
        framework.save(update_fields=["version", "name", "description", "imported_at", "scale"])
        FrameworkVersion.objects.create(
            framework=framework,
            number=framework.version,
            source=dump_yaml(spec),
            imported_at=now,
            imported_by=actor,
            summary=diff.summary(),
        )
    return framework


def _write(framework: Framework, spec: FrameworkSpec, current: _Current, now: dt.datetime) -> None:
    """Every row of ``spec`` in bulk inserts and updates: a fixed number of queries
    whatever the size of the framework."""
    # Scales and their stages.
    new_scales = [
        Scale(framework=framework, key=s.key, name=s.name)
        for s in spec.scales
        if s.key not in current.scales
    ]
    Scale.objects.bulk_create(new_scales)
    scales = current.scales | {s.key: s for s in new_scales}
    for s in spec.scales:
        scales[s.key].name = s.name
    Scale.objects.bulk_update(list(current.scales.values()), ["name"])
    stage_rows: list[Stage] = []
    new_stages: list[Stage] = []
    for s in spec.scales:
        for rank, stage in enumerate(s.stages):
            stage_row = current.stages.get((s.key, stage.key))
            if stage_row is None:
                new_stages.append(
                    Stage(
                        scale=scales[s.key],
                        key=stage.key,
                        name=stage.name,
                        rank=rank,
                        description=stage.description,
                    )
                )
            else:
                stage_row.name, stage_row.rank = stage.name, rank
                stage_row.description = stage.description
                stage_rows.append(stage_row)
    Stage.objects.bulk_create(new_stages)
    Stage.objects.bulk_update(stage_rows, ["name", "rank", "description"])
    framework.scale = scales[spec.scale] if spec.scale else None

    def upsert(
        model: Any,
        rows: dict[Any, Any],
        wanted: list[tuple[Any, dict[str, Any]]],
        fields_: list[str],
    ) -> dict[Any, Any]:
        """Update the rows named in ``wanted`` (key → field values), create the
        others, retire the rest; the rows by key."""
        result: dict[Any, Any] = {}
        new, old = [], []
        for key, values in wanted:
            row = rows.get(key)
            if row is None:
                row = model(**values)
                new.append(row)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.retired_at = None
                old.append(row)
            result[key] = row
        for key, row in rows.items():
            if key not in result and row.retired_at is None:
                row.retired_at = now
                old.append(row)
        model.objects.bulk_create(new)
        model.objects.bulk_update(old, [*fields_, "retired_at"])
        return result

    areas = upsert(
        Area,
        current.areas,
        [
            (
                a.key,
                {
                    "framework": framework,
                    "key": a.key,
                    "name": a.name,
                    "description": a.description,
                    "position": i,
                },
            )
            for i, a in enumerate(spec.areas)
        ],
        ["name", "description", "position"],
    )
    competencies = upsert(
        Competency,
        current.competencies,
        [
            (
                c.key,
                {
                    "framework": framework,
                    "key": c.key,
                    "name": c.name,
                    "description": c.description,
                    "area": areas[c.area] if c.area else None,
                    "scale": scales[c.scale] if c.scale else None,
                    "position": i,
                },
            )
            for i, c in enumerate(spec.competencies)
        ],
        ["name", "description", "area", "scale", "position"],
    )
    tracks = upsert(
        Track,
        current.tracks,
        [
            (
                t.key,
                {
                    "framework": framework,
                    "key": t.key,
                    "name": t.name,
                    "description": t.description,
                    "position": i,
                },
            )
            for i, t in enumerate(spec.tracks)
        ],
        ["name", "description", "position"],
    )
    levels = upsert(
        FrameworkLevel,
        current.levels,
        [
            (
                (t.key, lv.key),
                {
                    "track": tracks[t.key],
                    "key": lv.key,
                    "name": lv.name,
                    "label": lv.code,
                    "grade": lv.grade,
                    "description": lv.description,
                    "rank": rank,
                },
            )
            for t in spec.tracks
            for rank, lv in enumerate(t.levels)
        ],
        ["name", "label", "grade", "description", "rank"],
    )
    TrackCompetency.objects.filter(track__framework=framework).delete()
    TrackCompetency.objects.bulk_create(
        [
            TrackCompetency(track=tracks[t.key], competency=competencies[key], position=i)
            for t in spec.tracks
            for i, key in enumerate(t.competencies)
        ]
    )
    behaviours = current.behaviours_at()
    new_behaviours: list[Behaviour] = []
    kept: set[int] = set()
    changed: list[Behaviour] = []
    for t in spec.tracks:
        for lv in t.levels:
            for key, items in lv.behaviours.items():
                rows = behaviours.get((t.key, lv.key, key), [])
                for position, (behaviour, match) in enumerate(_match_behaviours(items, rows)):
                    if match is None:
                        new_behaviours.append(
                            Behaviour(
                                competency=competencies[key],
                                level=levels[t.key, lv.key],
                                text=behaviour.text,
                                examples=list(behaviour.examples),
                                position=position,
                            )
                        )
                        continue
                    kept.add(match.pk)
                    match.text, match.examples = behaviour.text, list(behaviour.examples)
                    match.position, match.retired_at = position, None
                    changed.append(match)
    for old in current.behaviours:
        if old.pk not in kept and old.retired_at is None:
            old.retired_at = now
            changed.append(old)
    Behaviour.objects.bulk_create(new_behaviours)
    Behaviour.objects.bulk_update(changed, ["text", "examples", "position", "retired_at"])


# --- assessments -------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    actor: Person,
    person: Person,
    competency: Competency,
    level: FrameworkLevel | None = None,
    *,
    stage: Stage | None = None,
    evidence: str,
    now: dt.datetime | None = None,
) -> Assessment:
    """The person assesses themselves, or their coach (an agreed or active coaching
    or competency-coaching engagement, coach as giver) assesses them: the level (of
    a track that uses the competency) or the stage (of the competency's scale, its
    own or its framework's) they showed, with evidence; exactly one of the two.
    Returns the assessment; the earlier ones stay as history. A retired competency,
    level or stage is not assessed any more: its assessments stay as they were."""
    require(policy.can_assess(actor, person))
    if competency.framework.organisation_id != person.organisation_id:
        raise PermissionDenied
    if (level is None) == (stage is None):
        raise ValidationError("Choose a level or a stage (one of the two).")
    if competency.retired_at is not None:
        raise ValidationError(f"{competency.name} is retired: choose a current competency.")
    if level is not None and (
        level.retired_at is not None
        or not TrackCompetency.objects.filter(
            track_id=level.track_id, track__retired_at__isnull=True, competency=competency
        ).exists()
    ):
        raise ValidationError("Choose a level of a track that uses this competency.")
    if stage is not None:
        scale_id = competency.scale_id or competency.framework.scale_id
        if scale_id is None:
            raise ValidationError(f"{competency.name} is assessed by level, not by stage.")
        if stage.scale_id != scale_id:
            raise ValidationError("Choose one of the stages of this competency's scale.")
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
