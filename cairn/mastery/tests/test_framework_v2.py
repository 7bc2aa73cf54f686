"""The ``cairn.framework/2`` format: what it reads (areas, shared competencies,
level codes and grades, stage scales, examples, long Markdown descriptions), the
old format read into the same shape, the documented examples, and messages that
name the line and the key at fault."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.exceptions import ValidationError

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.frameworks import (
    DESCRIPTION_MAX,
    FrameworkSpec,
    framework_rows,
    parse_framework,
    spec_from_rows,
)
from cairn.mastery.models import (
    Area,
    Assessment,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Stage,
    Track,
    TrackCompetency,
)
from cairn.mastery.services import import_framework_into
from cairn.testing import Cast

DOCS = Path(__file__).resolve().parents[3] / "docs" / "frameworks"
SCHEMA = json.loads((DOCS / "framework.schema.json").read_text())
EXAMPLES = sorted(DOCS.glob("*.yaml"))

V2 = """format: cairn.framework/2
key: eng
name: Engineering
competencies:
  - key: delivery
    name: Delivery
  - key: craft
    name: Craft
tracks:
  - key: ic
    name: IC
    levels:
      - key: ic1
        name: Engineer
        code: IC1
        grade: 1
        behaviours:
          delivery: [Ships small steps.]
          craft: [Writes tests.]
  - key: manager
    name: Manager
    levels:
      - key: m1
        name: Manager
        code: M1
        grade: 1
        behaviours:
          delivery: [Keeps the plan honest.]
"""


def parse(text: str) -> FrameworkSpec:
    return parse_framework(text.encode(), filename="f.yaml")


def refused(text: str, *, line: int | None, says: str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse(text)
    message = " ".join(caught.value.messages)
    if line is not None:
        assert message.startswith(f"Line {line}:"), message
    assert says in message, message
    return message


# --- the examples ------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_documented_example_validates_and_imports(cast: Cast, path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    if data.get("format") == "cairn.framework/2":
        jsonschema.validate(data, SCHEMA)
    framework = import_framework_into(cast.org, path.read_bytes(), filename=path.name)
    assert framework.competencies.count() == len(
        parse_framework(path.read_bytes(), filename=path.name).competencies
    )
    assert framework.versions.get().number == 1


def test_there_are_three_examples_of_the_new_format() -> None:
    formats = [yaml.safe_load(p.read_text()).get("format") for p in EXAMPLES]
    assert formats.count("cairn.framework/2") >= 3


def test_areas_and_descriptions_import(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, (DOCS / "leadership-areas.yaml").read_bytes(), filename="l.yaml"
    )
    assert list(Area.objects.filter(framework=framework).values_list("name", flat=True)) == [
        "Results",
        "Direction",
        "Talent",
        "Culture",
        "Craft",
    ]
    coaching = framework.competencies.get(key="coaching")
    assert coaching.area is not None
    assert coaching.area.name == "Talent"
    assert "**areas**" in framework.description  # Markdown kept as written
    delivery = framework.competencies.get(key="delivery")
    assert "- Slips are told early" in delivery.description
    grown = Behaviour.objects.get(text="Grows team leads who grow their own people.")
    assert grown.examples == [
        "Two of their team leads promoted people in the same year.",
        "Coached a new team lead through their first hard conversation.",
    ]


def test_ic_and_manager_tracks_share_competencies_and_align_grades(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, (DOCS / "engineering-ladder.yaml").read_bytes(), filename="e.yaml"
    )
    ic, manager = framework.tracks.order_by("position")
    assert [(lv.label, lv.grade) for lv in ic.levels.order_by("rank")] == [
        (f"IC{n}", n) for n in range(1, 7)
    ]
    assert [(lv.label, lv.grade) for lv in manager.levels.order_by("rank")] == [
        (f"M{n}", n) for n in range(3, 7)
    ]
    delivery = framework.competencies.get(key="delivery")
    assert set(delivery.track_links.values_list("track__key", flat=True)) == {"ic", "manager"}
    # One competency, behaviours at the levels of both tracks.
    assert delivery.behaviours.filter(level__track=ic).count() == 6
    assert delivery.behaviours.filter(level__track=manager).count() == 4
    assert list(
        TrackCompetency.objects.filter(track=manager).values_list("competency__key", flat=True)
    ) == ["delivery", "communication", "people-development"]


def test_a_stage_scale_over_axes_is_assessed_by_stage(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, (DOCS / "craft-stages.yaml").read_bytes(), filename="c.yaml"
    )
    assert framework.scale is not None
    assert list(framework.scale.stages.values_list("name", flat=True)) == [
        "Adopts",
        "Specialises",
        "Evangelises",
        "Masters",
        "Creates",
    ]
    assert not Track.objects.filter(framework=framework).exists()
    testing = framework.competencies.get(key="testing")
    masters = Stage.objects.get(scale=framework.scale, key="masters")
    assessment = services.record_assessment(
        cast.report, cast.report, testing, stage=masters, evidence="I run the test clinic."
    )
    assert (assessment.level, assessment.stage) == (None, masters)


def test_a_competency_without_a_scale_is_not_assessed_by_stage(cast: Cast) -> None:
    ladder = import_framework_into(cast.org, V2.encode(), filename="f.yaml")
    stages = import_framework_into(
        cast.org, (DOCS / "craft-stages.yaml").read_bytes(), filename="c.yaml"
    )
    stage = Stage.objects.filter(scale__framework=stages).first()
    assert stage is not None
    delivery = ladder.competencies.get(key="delivery")
    with pytest.raises(ValidationError, match="assessed by level, not by stage"):
        services.record_assessment(cast.report, cast.report, delivery, stage=stage, evidence="e")
    level = FrameworkLevel.objects.get(track__framework=ladder, key="ic1")
    with pytest.raises(ValidationError, match="one of the two"):
        services.record_assessment(
            cast.report, cast.report, delivery, level, stage=stage, evidence="e"
        )
    assert not Assessment.objects.exists()


def test_a_coach_assesses_a_shared_competency_at_either_tracks_level(cast: Cast) -> None:
    framework = import_framework_into(cast.org, V2.encode(), filename="f.yaml")
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    delivery = framework.competencies.get(key="delivery")
    craft = framework.competencies.get(key="craft")
    m1 = FrameworkLevel.objects.get(track__key="manager", key="m1")
    services.record_assessment(cast.coach, cast.report, delivery, m1, evidence="Plan kept.")
    # Craft is the IC track's only: a manager level is not one of its levels.
    with pytest.raises(ValidationError, match="track that uses this competency"):
        services.record_assessment(cast.coach, cast.report, craft, m1, evidence="e")
    assert Assessment.objects.count() == 1


# --- the old format ----------------------------------------------------------------------


def test_the_old_format_reads_into_the_same_shape() -> None:
    old = """format: cairn.framework/1
name: Engineering
tracks:
  - name: IC
    levels:
      - name: Engineer
        competencies:
          - name: Delivery
            behaviours: [Ships small steps.]
          - name: Craft
            behaviours: [Writes tests.]
  - name: Manager
    levels:
      - name: Manager
        competencies:
          - name: Delivery
            behaviours: [Keeps the plan honest.]
"""
    spec = parse(old)
    new = parse(V2)
    for level in (*new.tracks[0].levels, *new.tracks[1].levels):
        level.code, level.grade = "", None
    assert spec == FrameworkSpec(
        key="engineering",
        name="Engineering",
        competencies=new.competencies,
        tracks=[
            new.tracks[0].__class__(
                key="ic",
                name="IC",
                competencies=["delivery", "craft"],
                levels=[
                    new.tracks[0]
                    .levels[0]
                    .__class__(
                        key="engineer",
                        name="Engineer",
                        behaviours=new.tracks[0].levels[0].behaviours,
                    )
                ],
            ),
            new.tracks[1].__class__(
                key="manager",
                name="Manager",
                competencies=["delivery"],
                levels=[
                    new.tracks[1]
                    .levels[0]
                    .__class__(
                        key="manager", name="Manager", behaviours=new.tracks[1].levels[0].behaviours
                    )
                ],
            ),
        ],
    )
    # And a file naming no format at all is the old format too.
    assert parse(old.replace("format: cairn.framework/1\n", "")) == spec


def test_descriptions_of_several_kilobytes_of_markdown() -> None:
    long = "A paragraph of *Markdown*.\n\n" * 600
    assert 10_000 < len(long) < DESCRIPTION_MAX
    text = V2.replace(
        "name: Engineering\n",
        "name: Engineering\ndescription: |\n"
        + "".join(f"  {line}\n" if line else "\n" for line in long.splitlines()),
    )
    assert parse(text).description == long.strip()
    too_long = V2.replace(
        "name: Engineering\n", f"name: Engineering\ndescription: {'x' * (DESCRIPTION_MAX + 1)}\n"
    )
    refused(too_long, line=3, says="longer than 20,000 characters")


# --- bad input: the line and the key at fault -------------------------------------------


def test_a_duplicate_competency_key() -> None:
    text = V2.replace("  - key: craft\n    name: Craft\n", "  - key: delivery\n    name: Craft\n")
    refused(text, line=7, says='the competency key "delivery" is used twice')


def test_a_behaviour_for_an_unknown_competency() -> None:
    text = V2.replace("craft: [Writes tests.]", "crafts: [Writes tests.]")
    refused(text, line=13, says='has behaviours for "crafts", which is not defined')
    listed = V2.replace("    name: IC\n", "    name: IC\n    competencies: [delivery]\n")
    refused(listed, line=14, says='behaviours for "craft", which the track "ic" does not list')


def test_a_track_listing_an_unknown_competency() -> None:
    text = V2.replace("    name: IC\n", "    name: IC\n    competencies: [delivery, nope]\n")
    refused(text, line=10, says='lists the competency "nope", which is not defined')


def test_a_grade_named_twice_within_a_track() -> None:
    text = V2.replace(
        "          craft: [Writes tests.]\n",
        "          craft: [Writes tests.]\n"
        "      - key: ic2\n        name: Engineer II\n        grade: 1\n",
    )
    refused(text, line=20, says='the levels "ic1" and "ic2" of track "ic" both have grade 1')


def test_an_unknown_area_or_scale() -> None:
    refused(
        V2.replace("    name: Craft\n", "    name: Craft\n    area: nowhere\n"),
        line=7,
        says='names the area "nowhere", which is not defined in areas',
    )
    refused(
        V2.replace("    name: Craft\n", "    name: Craft\n    scale: nothing\n"),
        line=7,
        says='names the scale "nothing", which is not defined in scales',
    )


def test_a_key_that_is_not_a_key() -> None:
    refused(V2.replace("key: eng", "key: Eng ineering"), line=2, says='"Eng ineering" should be')
    refused(V2.replace("key: ic1", "key: ''"), line=13, says="this level has no key")


def test_a_competency_nothing_could_assess() -> None:
    text = V2.replace("competencies:\n", "competencies:\n  - key: alone\n    name: Alone\n", 1)
    refused(text, line=5, says='"alone" is used by no track and has no scale')


def test_an_unknown_format() -> None:
    refused(V2.replace("cairn.framework/2", "cairn.framework/9"), line=1, says="unknown format")


def test_the_same_behaviour_twice() -> None:
    text = V2.replace("[Writes tests.]", "[Writes tests., writes tests.]")
    refused(text, line=19, says='the behaviour "writes tests." is listed twice')


# --- rows -----------------------------------------------------------------------------------


class Row:
    def __init__(self, line: int, **values: str) -> None:
        self.line, self.values = line, values


class Table:
    def __init__(self, *rows: Row) -> None:
        self.rows = list(rows)


def test_rows_with_optional_columns_make_the_same_framework_as_their_export() -> None:
    table = Table(
        Row(
            2,
            track="IC",
            level="Engineer",
            competency="Delivery",
            behaviour="Ships.",
            area="Results",
            key="delivery",
            code="IC1",
            grade="1",
            description="Getting it done.",
            example="Shipped the login page in three steps.",
        ),
        Row(
            3,
            track="IC",
            level="Engineer",
            competency="Delivery",
            behaviour="Ships.",
            example="Split the migration.",
        ),
        Row(
            4,
            track="Manager",
            level="M3",
            competency="Delivery",
            behaviour="Plans.",
            code="M3",
            grade="3",
        ),
    )
    spec = spec_from_rows(table, name="Rows")
    assert spec.competencies[0].area == "results"
    assert spec.areas[0].name == "Results"
    ic1 = spec.tracks[0].levels[0]
    assert (ic1.code, ic1.grade) == ("IC1", 1)
    assert ic1.behaviours["delivery"][0].examples == [
        "Shipped the login page in three steps.",
        "Split the migration.",
    ]
    assert spec.tracks[1].competencies == ["delivery"]
    rows = framework_rows(spec)
    again = spec_from_rows(Table(*(Row(i + 2, **r) for i, r in enumerate(rows))), name="Rows")
    assert again == spec
    assert framework_rows(again) == rows


def test_rows_that_disagree_name_the_line() -> None:
    first = Row(
        2, track="IC", level="Engineer", competency="Delivery", behaviour="Ships.", grade="1"
    )
    with pytest.raises(ValidationError, match='Line 3: the level "Engineer" has the grade'):
        spec_from_rows(
            Table(
                first,
                Row(
                    3,
                    track="IC",
                    level="Engineer",
                    competency="Delivery",
                    behaviour="Plans.",
                    grade="2",
                ),
            ),
            name="F",
        )
    with pytest.raises(ValidationError, match="Line 3: this row repeats line 2"):
        spec_from_rows(Table(first, Row(3, **first.values)), name="F")


def test_nothing_is_written_for_a_refused_file(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        import_framework_into(
            cast.org, V2.replace("key: ic1", "key: ic-1!").encode(), filename="f.yaml"
        )
    assert not Framework.objects.exists()
    assert not Competency.objects.exists()
