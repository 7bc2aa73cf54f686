"""A framework of any size for the framework pages' tests, built straight in the
database (a few bulk inserts, whatever its size): two tracks ("IC" and "Manager")
sharing every competency, areas grouping the competencies, behaviours with examples
at every level of both tracks, and optionally a stage scale. Every name and text is
distinctive and free of characters that autoescaping would change."""

from __future__ import annotations

from dataclasses import dataclass

from cairn.mastery.models import (
    Area,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Scale,
    Stage,
    Track,
    TrackCompetency,
)
from cairn.people.models import Organisation

DESCRIPTION = "The **grid framework** explained.\n\n<script>alert(1)</script>"


@dataclass
class Built:
    framework: Framework
    ic: Track
    manager: Track
    competencies: list[Competency]
    ic_levels: list[FrameworkLevel]
    manager_levels: list[FrameworkLevel]
    stages: list[Stage]


def add_competencies(built: Built, count: int, *, behaviours: int = 2) -> list[Competency]:
    """``count`` more competencies in both tracks, with ``behaviours`` behaviours at
    each level of each track."""
    framework = built.framework
    areas = list(Area.objects.filter(framework=framework).order_by("position"))
    start = len(built.competencies)
    new = Competency.objects.bulk_create(
        Competency(
            framework=framework,
            key=f"competency-{n}",
            area=areas[n % len(areas)] if areas else None,
            name=f"Grid competency {n}",
            description=f"What competency {n} is about, *in Markdown*.",
            position=n,
        )
        for n in range(start, start + count)
    )
    for track in (built.ic, built.manager):
        TrackCompetency.objects.bulk_create(
            TrackCompetency(track=track, competency=competency, position=competency.position)
            for competency in new
        )
    Behaviour.objects.bulk_create(
        Behaviour(
            competency=competency,
            level=level,
            text=f"grid behaviour {b} of {competency.key} at {level.key}",
            examples=[f"example of {competency.key} at {level.key}"] if b == 0 else [],
            position=b,
        )
        for competency in new
        for level in (*built.ic_levels, *built.manager_levels)
        for b in range(behaviours)
    )
    built.competencies += new
    return new


def build_framework(
    org: Organisation,
    *,
    competencies: int = 3,
    levels: int = 3,
    behaviours: int = 2,
    areas: int = 2,
    scale: bool = False,
    key: str = "grid",
) -> Built:
    framework = Framework.objects.create(
        organisation=org, key=key, name=f"{key.title()} framework", description=DESCRIPTION
    )
    stages: list[Stage] = []
    if scale:
        the_scale = Scale.objects.create(framework=framework, key="stages", name="Stages")
        stages = Stage.objects.bulk_create(
            Stage(scale=the_scale, key=k, name=k.title(), rank=r)
            for r, k in enumerate(["adopts", "specialises", "evangelises", "masters"])
        )
        framework.scale = the_scale
        framework.save(update_fields=["scale"])
    Area.objects.bulk_create(
        Area(framework=framework, key=f"area-{n}", name=f"Grid area {n}", position=n)
        for n in range(areas)
    )
    ic = Track.objects.create(
        framework=framework, key="ic", name="Individual contributor", position=0
    )
    manager = Track.objects.create(framework=framework, key="manager", name="Manager", position=1)
    ic_levels = FrameworkLevel.objects.bulk_create(
        FrameworkLevel(
            track=ic,
            key=f"ic{n + 1}",
            name=f"Engineer {n + 1}",
            label=f"IC{n + 1}",
            grade=n + 1,
            rank=n,
            description=f"Level IC{n + 1} in *Markdown*.",
        )
        for n in range(levels)
    )
    manager_levels = FrameworkLevel.objects.bulk_create(
        FrameworkLevel(
            track=manager,
            key=f"m{n + 3}",
            name=f"Lead {n + 3}",
            label=f"M{n + 3}",
            grade=n + 3,
            rank=n,
        )
        for n in range(levels)
    )
    built = Built(framework, ic, manager, [], ic_levels, manager_levels, stages)
    add_competencies(built, competencies, behaviours=behaviours)
    return built
