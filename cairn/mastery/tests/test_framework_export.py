"""Exporting a framework: canonical ``cairn.framework/2`` YAML that imports back as
the same framework (export → import → export is identical), CSV rows that do the
same, the schema holding for whatever the exporter writes, and who may download."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cairn.mastery import services
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
from cairn.mastery.models import Framework
from cairn.mastery.services import import_framework_into
from cairn.testing import Cast, client_for, count_queries, html, make_org
from cairn.testing.accessibility import problems

DOCS = Path(__file__).resolve().parents[3] / "docs" / "frameworks"
SCHEMA = json.loads((DOCS / "framework.schema.json").read_text())
EXAMPLES = sorted(DOCS.glob("*.yaml"))


def export(client: Client, framework: Framework, fmt: str) -> bytes:
    response = client.get(
        reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": fmt})
    )
    assert response.status_code == 200, response.status_code
    return bytes(response.content)


# --- YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_export_import_export_is_identical(cast: Cast, path: Path) -> None:
    framework = import_framework_into(cast.org, path.read_bytes(), filename=path.name)
    client = client_for(cast.report)
    first = export(client, framework, "yaml")
    jsonschema.validate(yaml.safe_load(first), SCHEMA)
    # Into another organisation, as a new framework; and into this one, as version 2.
    elsewhere = import_framework_into(
        cast.outsider.organisation, first, filename=f"{framework.key}.yaml"
    )
    again = import_framework_into(cast.org, first, filename=f"{framework.key}.yaml")
    assert again.pk == framework.pk
    assert again.version == 2
    assert export(client, again, "yaml") == first
    assert export(client_for(cast.outsider), elsewhere, "yaml") == first
    # The version keeps the same canonical file.
    assert again.versions.get(number=2).source == first.decode()


def test_the_yaml_file_is_a_download_named_by_key_and_version(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, (DOCS / "engineering-ladder.yaml").read_bytes(), filename="e.yaml"
    )
    response = client_for(cast.peer).get(
        reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": "yaml"})
    )
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="engineering-ladder-v1.yaml"'
    text = html(response)
    assert text.startswith("format: cairn.framework/2\nkey: engineering-ladder\n")
    assert "code: IC3\n" in text
    assert "grade: 3\n" in text


def test_retired_rows_are_not_exported(cast: Cast) -> None:
    text = (DOCS / "engineering-ladder.yaml").read_text()
    framework = import_framework_into(cast.org, text.encode(), filename="e.yaml")
    smaller = (
        text.replace("[technical-craft, delivery, communication]", "[delivery, communication]")
        .replace("  - key: technical-craft\n    name: Technical craft\n", "")
        .replace(
            "    description: Building software that is correct, simple and easy to change.\n",
            "",
        )
    )
    smaller = "\n".join(
        line for line in smaller.splitlines() if not line.strip().startswith("technical-craft:")
    )
    import_framework_into(cast.org, smaller.encode(), filename="e.yaml")
    exported = export(client_for(cast.report), framework, "yaml").decode()
    assert "technical-craft" not in exported
    assert framework.competencies.get(key="technical-craft").retired_at is not None


# --- rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["engineering-ladder.yaml", "leadership-areas.yaml"])
def test_csv_export_import_export_is_identical(cast: Cast, name: str) -> None:
    framework = import_framework_into(cast.org, (DOCS / name).read_bytes(), filename=name)
    first = export(client_for(cast.report), framework, "csv")
    assert first.splitlines()[0].decode().startswith("track,level,competency,behaviour")
    again = import_framework_into(
        cast.outsider.organisation, first, filename="rows.csv", name=framework.name
    )
    assert export(client_for(cast.outsider), again, "csv") == first


@pytest.mark.parametrize("name", ["engineering-ladder.yaml", "leadership-areas.yaml"])
def test_xlsx_export_import_export_is_identical(cast: Cast, name: str) -> None:
    framework = import_framework_into(cast.org, (DOCS / name).read_bytes(), filename=name)
    first = export(client_for(cast.report), framework, "xlsx")
    assert first.startswith(b"PK")  # a workbook, not text
    again = import_framework_into(
        cast.outsider.organisation, first, filename="rows.xlsx", name=framework.name
    )
    assert export(client_for(cast.outsider), again, "xlsx") == first
    # The same rows as the CSV export, read from either file.
    csv = export(client_for(cast.report), framework, "csv")
    assert export(client_for(cast.outsider), again, "csv") == csv


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_framework_with_no_rows_says_so_instead_of_an_empty_spreadsheet(
    cast: Cast, fmt: str
) -> None:
    name = "craft-stages.yaml"  # a stage scale: no behaviours by level
    framework = import_framework_into(cast.org, (DOCS / name).read_bytes(), filename=name)
    url = reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": fmt})
    response = client_for(cast.report).get(url)
    assert response.status_code == 422
    assert "has no rows for a spreadsheet" in html(response)
    assert "Content-Disposition" not in response
    assert problems(response.content.decode()) == []


# --- who may download -------------------------------------------------------------------------


def test_everyone_in_the_organisation_downloads_and_nobody_else(cast: Cast) -> None:
    framework = import_framework_into(
        cast.org, (DOCS / "leadership-areas.yaml").read_bytes(), filename="l.yaml"
    )
    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-pass-42-x")
    superuser = Client()
    superuser.force_login(root)
    clients = {role: client_for(person) for role, person in cast.everyone().items()}
    clients["superuser"] = superuser
    for role, client in clients.items():
        for fmt in ("yaml", "csv"):
            url = reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": fmt})
            response = client.get(url)
            if role in ("outsider", "superuser"):
                assert response.status_code in ((404,) if role == "outsider" else (403, 404))
                assert "Psychological safety" not in html(response)
            else:
                assert response.status_code == 200, role
                assert "Psychological safety" in html(response)
    unknown = reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": "pdf"})
    assert client_for(cast.report).get(unknown).status_code == 404
    assert (
        client_for(cast.report)
        .post(reverse("mastery:framework-export", kwargs={"code": framework.code, "fmt": "yaml"}))
        .status_code
        == 405
    )


def test_the_export_takes_the_same_queries_at_1_and_50_competencies(cast: Cast) -> None:
    def text(n: int) -> bytes:
        competencies = "".join(f"  - key: c{i}\n    name: C{i}\n    area: a\n" for i in range(n))
        behaviours = "".join(f"          c{i}: [B{i}.]\n" for i in range(n))
        return (
            "format: cairn.framework/2\nkey: q\nname: Q\nareas:\n  - {key: a, name: A}\n"
            f"competencies:\n{competencies}"
            "tracks:\n  - key: t\n    name: T\n    levels:\n      - key: l\n        name: L\n"
            f"        behaviours:\n{behaviours}"
        ).encode()

    client = client_for(cast.report)
    counts = []
    for n in (1, 50):
        framework = import_framework_into(cast.org, text(n), filename="q.yaml")
        counts.append(count_queries(lambda f=framework: export(client, f, "yaml")))  # type: ignore[misc]
    assert counts[0] == counts[1] <= 15, counts


# --- any spec the exporter writes reads back the same ------------------------------------------

KEYS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,11}", fullmatch=True)
LETTERS = st.characters(categories=["L", "N", "P"], exclude_characters="\x85")


def _stripped(text: str) -> str:
    return " ".join(text.split())


NAMES = st.text(LETTERS | st.just(" "), min_size=1, max_size=30).map(_stripped).filter(bool)
TEXTS = st.text(LETTERS | st.just(" "), min_size=1, max_size=80).map(_stripped).filter(bool)
DESCRIPTIONS = st.text(LETTERS | st.sampled_from([" ", "\n", "*", "-"]), max_size=120).map(
    str.strip
)
CODES = st.text(LETTERS, max_size=6)


@st.composite
def specs(draw: st.DrawFn) -> FrameworkSpec:
    scales = draw(
        st.lists(
            st.builds(
                ScaleSpec,
                key=KEYS,
                name=NAMES,
                stages=st.lists(
                    st.builds(StageSpec, key=KEYS, name=NAMES, description=DESCRIPTIONS),
                    min_size=2,
                    max_size=4,
                    unique_by=lambda s: s.key,
                ),
            ),
            max_size=2,
            unique_by=lambda s: s.key,
        )
    )
    scales.sort(key=lambda s: s.key)  # as the exporter writes them
    scale_keys = ["", *(s.key for s in scales)]
    areas = draw(
        st.lists(
            st.builds(AreaSpec, key=KEYS, name=NAMES, description=DESCRIPTIONS),
            max_size=3,
            unique_by=lambda a: a.key,
        )
    )
    area_keys = ["", *(a.key for a in areas)]
    competencies = draw(
        st.lists(
            st.builds(
                CompetencySpec,
                key=KEYS,
                name=NAMES,
                description=DESCRIPTIONS,
                area=st.sampled_from(area_keys),
                scale=st.sampled_from(scale_keys),
            ),
            min_size=1,
            max_size=5,
            unique_by=(lambda c: c.key, lambda c: c.name.casefold()),
        )
    )
    keys = [c.key for c in competencies]
    tracks = draw(
        st.lists(
            st.builds(TrackSpec, key=KEYS, name=NAMES, description=DESCRIPTIONS),
            min_size=1,
            max_size=3,
            unique_by=(lambda t: t.key, lambda t: t.name.casefold()),
        )
    )
    framework_scale = draw(st.sampled_from(scale_keys))
    for track in tracks:
        track.competencies = draw(st.lists(st.sampled_from(keys), unique=True))
    used = {k for t in tracks for k in t.competencies}
    tracks[0].competencies += [
        c.key for c in competencies if c.key not in used and not (c.scale or framework_scale)
    ]
    for track in tracks:
        levels = draw(
            st.lists(
                st.builds(
                    LevelSpec,
                    key=KEYS,
                    name=NAMES,
                    code=CODES,
                    grade=st.none() | st.integers(0, 12),
                    description=DESCRIPTIONS,
                ),
                min_size=1,
                max_size=3,
                unique_by=(lambda lv: lv.key, lambda lv: lv.name.casefold()),
            )
        )
        grades: set[int] = set()
        for level in levels:
            if level.grade in grades:
                level.grade = None
            if level.grade is not None:
                grades.add(level.grade)
            for key in track.competencies:
                behaviours = draw(
                    st.lists(
                        st.builds(BehaviourSpec, text=TEXTS, examples=st.lists(TEXTS, max_size=2)),
                        max_size=2,
                        unique_by=lambda b: b.text.casefold(),
                    )
                )
                if behaviours:
                    level.behaviours[key] = behaviours
        track.levels = levels
    return FrameworkSpec(
        key=draw(KEYS),
        name=draw(NAMES),
        description=draw(DESCRIPTIONS),
        scale=framework_scale,
        scales=scales,
        areas=areas,
        competencies=competencies,
        tracks=tracks,
    )


@given(spec=specs())
def test_any_spec_the_exporter_writes_reads_back_equal(spec: FrameworkSpec) -> None:
    text = dump_yaml(spec)
    jsonschema.validate(yaml.safe_load(text), SCHEMA)
    again = parse_framework(text.encode(), filename="f.yaml")
    assert again == spec
    assert dump_yaml(again) == text


@pytest.mark.django_db
@given(spec=specs())
def test_any_spec_imports_into_the_database_and_exports_equal(spec: FrameworkSpec) -> None:
    org = make_org(f"Org {uuid.uuid4().hex[:8]}")
    framework = import_framework_into(org, dump_yaml(spec).encode(), filename="f.yaml")
    assert services.framework_spec(Framework.objects.get(pk=framework.pk)) == spec
