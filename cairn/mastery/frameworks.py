"""Reading and writing competency framework files: ``cairn.framework/2`` YAML (and the
older ``cairn.framework/1``, or a file naming no format), CSV and XLSX rows.

Nothing here touches the database: ``parse_framework`` either returns the whole
framework as a ``FrameworkSpec`` or raises one ``ValidationError`` whose message
names the line (and the key) at fault, so that ``services`` can write all of it or
nothing. ``dump_yaml`` writes a spec back as canonical ``cairn.framework/2``: the
same spec always gives the same text, and reading that text gives the same spec.

The format is documented field by field in ``docs/frameworks/README.md``, with its
JSON Schema beside it (``framework.schema.json``) and example files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from cairn.mastery.spreadsheets import COLUMNS, XLSX_SUFFIXES, read_table
from cairn.mastery.spreadsheets import MAX_BYTES as MAX_BYTES
from cairn.mastery.spreadsheets import MAX_ROWS as MAX_ROWS

FORMAT_V1 = "cairn.framework/1"
FORMAT = "cairn.framework/2"
# A framework is a few hundred lines; a megabyte is generous. Checked before a byte
# is read, so a huge upload costs nothing but the refusal.
NAME_MAX = 120
KEY_MAX = 60
# A framework is nested six deep (tracks, levels, behaviours, examples); far more is
# not a framework.
MAX_DEPTH = 32
CODE_MAX = 20
# Markdown, several KB of it.
DESCRIPTION_MAX = 20_000
BEHAVIOUR_MAX = 2_000
EXAMPLES_MAX = 20
GRADE_MAX = 1_000
CSV_COLUMNS = COLUMNS[:4]
ROW_COLUMNS = COLUMNS
# The spreadsheet module reads these (and any file that is a workbook inside).
SPREADSHEET_SUFFIXES = {".csv", ".tsv", ".txt", *XLSX_SUFFIXES}
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# --- the spec ----------------------------------------------------------------------------
# ``line`` is where a thing was read (0 when it was not read from a file); it takes no
# part in comparisons, so that a spec written and read back compares equal.


@dataclass
class StageSpec:
    key: str
    name: str
    description: str = ""
    line: int = field(default=0, compare=False)


@dataclass
class ScaleSpec:
    key: str
    name: str
    stages: list[StageSpec] = field(default_factory=list)
    line: int = field(default=0, compare=False)


@dataclass
class AreaSpec:
    key: str
    name: str
    description: str = ""
    line: int = field(default=0, compare=False)


@dataclass
class CompetencySpec:
    key: str
    name: str
    description: str = ""
    area: str = ""  # an area's key
    scale: str = ""  # a scale's key, overriding the framework's
    line: int = field(default=0, compare=False)


@dataclass
class BehaviourSpec:
    text: str
    examples: list[str] = field(default_factory=list)
    line: int = field(default=0, compare=False)


@dataclass
class LevelSpec:
    key: str
    name: str
    code: str = ""
    grade: int | None = None
    description: str = ""
    # competency key → its behaviours at this level, in the track's competency order
    behaviours: dict[str, list[BehaviourSpec]] = field(default_factory=dict)
    line: int = field(default=0, compare=False)


@dataclass
class TrackSpec:
    key: str
    name: str
    description: str = ""
    # the keys of the competencies the track uses, in order
    competencies: list[str] = field(default_factory=list)
    levels: list[LevelSpec] = field(default_factory=list)
    line: int = field(default=0, compare=False)


@dataclass
class FrameworkSpec:
    key: str
    name: str
    description: str = ""
    scale: str = ""  # the default scale's key
    scales: list[ScaleSpec] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)
    competencies: list[CompetencySpec] = field(default_factory=list)
    tracks: list[TrackSpec] = field(default_factory=list)
    line: int = field(default=1, compare=False)
    # How a spreadsheet was read ("Read as CSV in Windows-1252, separated by
    # semicolons."), for the import page; empty for YAML.
    read_as: str = field(default="", compare=False)

    def competency(self, key: str) -> CompetencySpec:
        return next(c for c in self.competencies if c.key == key)


# --- errors and shared checks ---------------------------------------------------------


def _error(line: int | None, message: str) -> ValidationError:
    return ValidationError(f"Line {line}: {message}" if line else message)


def too_big_message(size: int) -> str:
    return (
        f"The file is {size / 1_000_000:.1f} MB; a framework file may be at most "
        f"{MAX_BYTES // 1_000_000} MB."
    )


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or an error with the line of the
    first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _error(
            line, "this is not UTF-8 text. Save the file as UTF-8 and import it again."
        ) from None


def _name(value: str, line: int, what: str) -> str:
    value = value.strip()
    if not value:
        raise _error(line, f"this {what} has no name.")
    if len(value) > NAME_MAX:
        raise _error(line, f"the {what} name is longer than {NAME_MAX} characters.")
    return value


def _unique(seen: dict[str, int], value: str, line: int, what: str, where: str = "") -> None:
    """Names compare without regard to capitals or surrounding spaces: "Delivery"
    and "delivery " would be the same thing to a reader."""
    key = value.casefold()
    if key in seen:
        raise _error(
            line, f'the {what} "{value}" is listed twice{where} (first on line {seen[key]}).'
        )
    seen[key] = line


def _description(value: str, line: int, what: str) -> str:
    value = value.strip()
    if len(value) > DESCRIPTION_MAX:
        raise _error(
            line, f"the description of {what} is longer than {DESCRIPTION_MAX:,} characters."
        )
    return value


def _behaviour_text(value: str, line: int, where: str) -> str:
    value = value.strip()
    if not value:
        raise _error(line, f"this behaviour{where} is empty.")
    if len(value) > BEHAVIOUR_MAX:
        raise _error(line, f"the behaviour{where} is longer than {BEHAVIOUR_MAX:,} characters.")
    return value


def _derived_key(name: str, taken: set[str], fallback: str) -> str:
    """A key for a thing whose file gives none (the old format, CSV): its name,
    slugified, made unique among ``taken``."""
    base = slugify(name)[:KEY_MAX] or fallback
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[: KEY_MAX - len(suffix)] + suffix
        n += 1
    taken.add(key)
    return key


def parse_framework(data: bytes, *, filename: str, name: str = "") -> FrameworkSpec:
    """The framework in ``data``, read as YAML, CSV or XLSX by the file name's
    extension. ``name`` names a CSV or XLSX framework (default: the file name) and
    overrides a YAML one's."""
    if len(data) > MAX_BYTES:
        raise _error(None, too_big_message(len(data)))
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        spec = _parse_yaml(decode(data))
    elif suffix in SPREADSHEET_SUFFIXES:
        default = PurePath(filename).stem
        table = _read_table(data, filename)
        spec = spec_from_rows(table, name=name.strip() or default)
        spec.read_as = str(getattr(table, "read_as", ""))
    else:
        raise _error(None, "Choose a .yaml, .yml, .csv, .tsv, .txt or .xlsx file.")
    if name.strip():
        spec.name = _name(name, spec.line, "framework")
    check(spec)
    return spec


def check(spec: FrameworkSpec) -> None:
    """What every framework must satisfy however it was read: unique keys, and every
    reference to a key naming something defined."""
    _name(spec.name, spec.line, "framework")
    _key(spec.key, spec.line, "framework")
    scales: dict[str, ScaleSpec] = {}
    for scale in spec.scales:
        _key(scale.key, scale.line, "scale")
        if scale.key in scales:
            raise _error(scale.line, f'the scale key "{scale.key}" is used twice.')
        scales[scale.key] = scale
        if len(scale.stages) < 2:
            raise _error(scale.line, f'the scale "{scale.key}" needs at least two stages.')
        stages: set[str] = set()
        for stage in scale.stages:
            _key(stage.key, stage.line, "stage")
            if stage.key in stages:
                raise _error(
                    stage.line, f'the stage key "{stage.key}" is used twice in scale "{scale.key}".'
                )
            stages.add(stage.key)
    if spec.scale and spec.scale not in scales:
        raise _error(spec.line, f'the framework\'s scale "{spec.scale}" is not defined in scales.')
    areas: set[str] = set()
    for area in spec.areas:
        _key(area.key, area.line, "area")
        if area.key in areas:
            raise _error(area.line, f'the area key "{area.key}" is used twice.')
        areas.add(area.key)
    competencies: dict[str, CompetencySpec] = {}
    names: dict[str, int] = {}
    for competency in spec.competencies:
        _key(competency.key, competency.line, "competency")
        if competency.key in competencies:
            raise _error(competency.line, f'the competency key "{competency.key}" is used twice.')
        _unique(names, competency.name, competency.line, "competency")
        competencies[competency.key] = competency
        if competency.area and competency.area not in areas:
            raise _error(
                competency.line,
                f'the competency "{competency.key}" names the area "{competency.area}", '
                "which is not defined in areas.",
            )
        if competency.scale and competency.scale not in scales:
            raise _error(
                competency.line,
                f'the competency "{competency.key}" names the scale "{competency.scale}", '
                "which is not defined in scales.",
            )
    if not spec.competencies:
        raise _error(spec.line, "the framework has no competencies.")
    if not spec.tracks and not spec.scale and not all(c.scale for c in spec.competencies):
        raise _error(spec.line, "the framework has no tracks.")
    used: set[str] = set()
    tracks: set[str] = set()
    track_names: dict[str, int] = {}
    for track in spec.tracks:
        _key(track.key, track.line, "track")
        if track.key in tracks:
            raise _error(track.line, f'the track key "{track.key}" is used twice.')
        tracks.add(track.key)
        _unique(track_names, track.name, track.line, "track")
        if not track.levels:
            raise _error(track.line, f'the track "{track.name}" has no levels.')
        for level in track.levels:
            for key in level.behaviours:
                if key not in competencies:
                    raise _error(
                        level.line,
                        f'the level "{level.key}" of track "{track.key}" has behaviours for '
                        f'"{key}", which is not defined in competencies.',
                    )
        listed: set[str] = set()
        for key in track.competencies:
            if key not in competencies:
                raise _error(
                    track.line,
                    f'the track "{track.key}" lists the competency "{key}", '
                    "which is not defined in competencies.",
                )
            if key in listed:
                raise _error(
                    track.line, f'the track "{track.key}" lists the competency "{key}" twice.'
                )
            listed.add(key)
        used |= listed
        levels: set[str] = set()
        level_names: dict[str, int] = {}
        grades: dict[int, str] = {}
        for level in track.levels:
            _key(level.key, level.line, "level")
            if level.key in levels:
                raise _error(
                    level.line, f'the level key "{level.key}" is used twice in track "{track.key}".'
                )
            levels.add(level.key)
            _unique(level_names, level.name, level.line, "level", f' in track "{track.name}"')
            if len(level.code) > CODE_MAX:
                raise _error(
                    level.line,
                    f'the code of level "{level.key}" is longer than {CODE_MAX} characters.',
                )
            if level.grade is not None:
                if level.grade in grades:
                    raise _error(
                        level.line,
                        f'the levels "{grades[level.grade]}" and "{level.key}" of track '
                        f'"{track.key}" both have grade {level.grade}.',
                    )
                grades[level.grade] = level.key
            for key, behaviours in level.behaviours.items():
                texts: dict[str, int] = {}
                for behaviour in behaviours:
                    _unique(
                        texts,
                        behaviour.text,
                        behaviour.line,
                        "behaviour",
                        f' of "{key}" at level "{level.key}" of track "{track.key}"',
                    )
                if key not in listed:
                    raise _error(
                        level.line,
                        f'the level "{level.key}" has behaviours for "{key}", which the '
                        f'track "{track.key}" does not list among its competencies.',
                    )
    for competency in spec.competencies:
        if competency.key not in used and not (competency.scale or spec.scale):
            raise _error(
                competency.line,
                f'the competency "{competency.key}" is used by no track and has no scale: '
                "nothing could be assessed against it.",
            )


def _key(value: str, line: int, what: str) -> None:
    if not value:
        raise _error(line, f"this {what} has no key.")
    if len(value) > KEY_MAX or not KEY_PATTERN.match(value):
        raise _error(
            line,
            f'the {what} key "{value}" should be lower-case letters, digits, "-" and "_" '
            f"(at most {KEY_MAX}), starting with a letter or digit.",
        )


# --- YAML ------------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Nodes:
    """Walks the composed YAML nodes (not the loaded values) so that every message
    can name its line. Anchors and aliases are refused: a framework has no use for
    them, and they are how a small file expands into a huge one."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def visit(self, node: yaml.Node) -> None:
        if id(node) in self.seen:
            raise _error(_line(node), "anchors and aliases (& and *) are not supported.")
        self.seen.add(id(node))

    def mapping(self, node: yaml.Node, what: str, keys: set[str]) -> dict[str, yaml.Node]:
        self.visit(node)
        if not isinstance(node, yaml.MappingNode):
            raise _error(_line(node), f"expected the {what}, with {_keys(keys)}.")
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key not in keys:
                raise _error(
                    _line(key_node), f'unknown key "{key}" in the {what}; use {_keys(keys)}.'
                )
            if key in found:
                raise _error(_line(key_node), f'"{key}" is given twice in the {what}.')
            found[key] = value_node
        return found

    def sequence(self, node: yaml.Node | None, parent: yaml.Node, what: str) -> list[yaml.Node]:
        if node is None:
            raise _error(_line(parent), f"{what} are missing.")
        self.visit(node)
        if not isinstance(node, yaml.SequenceNode):
            raise _error(_line(node), f"{what} should be a list (lines starting with -).")
        return list(node.value)

    def text(self, node: yaml.Node | None, parent: yaml.Node, what: str) -> str:
        if node is None:
            return ""
        self.visit(node)
        if not isinstance(node, yaml.ScalarNode):
            raise _error(_line(node), f"the {what} should be text.")
        if node.tag == "tag:yaml.org,2002:null":
            return ""
        return str(node.value)


def _keys(keys: set[str]) -> str:
    return ", ".join(f'"{k}"' for k in sorted(keys))


def _compose(text: str) -> yaml.Node:
    # The events first: they are read one at a time (composing nests a call per
    # level, so a file nested a thousand deep would exhaust Python's stack), and they
    # know where an alias itself is written (the composed node only knows its anchor).
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                alias_mark = event.start_mark
                raise _error(
                    int(alias_mark.line) + 1 if alias_mark is not None else None,
                    "anchors and aliases (& and *) are not supported.",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise _error(
                        int(mark.line) + 1 if mark is not None else None,
                        f"the file is nested more than {MAX_DEPTH} levels deep.",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = int(mark.line) + 1 if mark is not None else None
        problem = error.problem or error.context or "it could not be read"
        raise _error(line, f"this is not valid YAML ({problem}).") from None
    except yaml.YAMLError as error:
        raise _error(None, f"This is not valid YAML ({error}).") from None
    if root is None:
        raise _error(None, "The file is empty.")
    return root


def _format_of(root: yaml.Node) -> str:
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "format":
                if not isinstance(value_node, yaml.ScalarNode) or value_node.value not in (
                    FORMAT,
                    FORMAT_V1,
                ):
                    raise _error(
                        _line(value_node),
                        f'unknown format; this Cairn reads "{FORMAT}" and "{FORMAT_V1}".',
                    )
                return str(value_node.value)
    return FORMAT_V1


def _parse_yaml(text: str) -> FrameworkSpec:
    root = _compose(text)
    if _format_of(root) == FORMAT:
        return _V2Reader().framework(root)
    old = _parse_yaml_v1(root)
    _check_v1(old)
    return _from_v1(old)


def _grade(nodes: _Nodes, node: yaml.Node | None, parent: yaml.Node, where: str) -> int | None:
    text = nodes.text(node, parent, "grade").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > GRADE_MAX:
        line = _line(node) if node is not None else _line(parent)
        raise _error(line, f"the grade of {where} should be a whole number from 0 to {GRADE_MAX}.")
    return int(text)


class _V2Reader:
    """``cairn.framework/2``: scales, areas and competencies defined once with keys;
    tracks list the competencies they use, and each level the behaviours expected of
    each competency there."""

    def __init__(self) -> None:
        self.nodes = _Nodes()

    def key(self, mapping: dict[str, yaml.Node], node: yaml.Node, what: str) -> str:
        value = self.nodes.text(mapping.get("key"), node, f"{what} key").strip()
        line = _line(mapping["key"]) if "key" in mapping else _line(node)
        _key(value, line, what)
        return value

    def framework(self, root: yaml.Node) -> FrameworkSpec:
        n = self.nodes
        top = n.mapping(
            root,
            "framework",
            {"format", "key", "name", "description", "scale", "scales", "areas"}
            | {"competencies", "tracks"},
        )
        n.visit(top["format"])
        line = _line(top["name"]) if "name" in top else _line(root)
        key = self.key(top, root, "framework")
        spec = FrameworkSpec(
            key=key,
            name=_name(n.text(top.get("name"), root, "framework name"), line, "framework"),
            description=_description(
                n.text(top.get("description"), root, "description"), line, "the framework"
            ),
            scale=n.text(top.get("scale"), root, "scale").strip(),
            line=line,
        )
        if "scales" in top:
            # Their order means nothing: kept by key, as the exporter writes them.
            spec.scales = sorted(
                (self.scale(node) for node in n.sequence(top["scales"], root, "The scales")),
                key=lambda scale: scale.key,
            )
        if "areas" in top:
            spec.areas = [self.area(node) for node in n.sequence(top["areas"], root, "The areas")]
        spec.competencies = [
            self.competency(node)
            for node in n.sequence(top.get("competencies"), root, "The competencies")
        ]
        if "tracks" in top:
            spec.tracks = [
                self.track(node) for node in n.sequence(top["tracks"], root, "The tracks")
            ]
        return spec

    def scale(self, node: yaml.Node) -> ScaleSpec:
        n = self.nodes
        m = n.mapping(node, "scale", {"key", "name", "stages"})
        key = self.key(m, node, "scale")
        scale = ScaleSpec(
            key=key,
            name=_name(n.text(m.get("name"), node, "name"), _line(node), "scale"),
            line=_line(node),
        )
        for stage_node in n.sequence(m.get("stages"), node, f'The stages of scale "{key}"'):
            s = n.mapping(stage_node, "stage", {"key", "name", "description"})
            scale.stages.append(
                StageSpec(
                    key=self.key(s, stage_node, "stage"),
                    name=_name(
                        n.text(s.get("name"), stage_node, "name"), _line(stage_node), "stage"
                    ),
                    description=_description(
                        n.text(s.get("description"), stage_node, "description"),
                        _line(stage_node),
                        "the stage",
                    ),
                    line=_line(stage_node),
                )
            )
        return scale

    def area(self, node: yaml.Node) -> AreaSpec:
        n = self.nodes
        m = n.mapping(node, "area", {"key", "name", "description"})
        return AreaSpec(
            key=self.key(m, node, "area"),
            name=_name(n.text(m.get("name"), node, "name"), _line(node), "area"),
            description=_description(
                n.text(m.get("description"), node, "description"), _line(node), "the area"
            ),
            line=_line(node),
        )

    def competency(self, node: yaml.Node) -> CompetencySpec:
        n = self.nodes
        m = n.mapping(node, "competency", {"key", "name", "description", "area", "scale"})
        key = self.key(m, node, "competency")
        return CompetencySpec(
            key=key,
            name=_name(n.text(m.get("name"), node, "name"), _line(node), "competency"),
            description=_description(
                n.text(m.get("description"), node, "description"),
                _line(node),
                f'the competency "{key}"',
            ),
            area=n.text(m.get("area"), node, "area").strip(),
            scale=n.text(m.get("scale"), node, "scale").strip(),
            line=_line(node),
        )

    def track(self, node: yaml.Node) -> TrackSpec:
        n = self.nodes
        m = n.mapping(node, "track", {"key", "name", "description", "competencies", "levels"})
        key = self.key(m, node, "track")
        track = TrackSpec(
            key=key,
            name=_name(n.text(m.get("name"), node, "name"), _line(node), "track"),
            description=_description(
                n.text(m.get("description"), node, "description"), _line(node), f'track "{key}"'
            ),
            line=_line(node),
        )
        explicit = "competencies" in m
        if explicit:
            for item in n.sequence(m["competencies"], node, f'The competencies of track "{key}"'):
                track.competencies.append(n.text(item, node, "competency key").strip())
        for level_node in n.sequence(m.get("levels"), node, f'The levels of track "{key}"'):
            level = self.level(level_node, key)
            track.levels.append(level)
            if not explicit:
                # In the order the levels first name them.
                track.competencies.extend(
                    k for k in level.behaviours if k not in track.competencies
                )
        if explicit:
            # The behaviours of each level in the track's order, whatever the file's.
            order = {k: i for i, k in enumerate(track.competencies)}
            for level in track.levels:
                level.behaviours = dict(
                    sorted(level.behaviours.items(), key=lambda kv: order.get(kv[0], len(order)))
                )
        return track

    def level(self, node: yaml.Node, track: str) -> LevelSpec:
        n = self.nodes
        m = n.mapping(node, "level", {"key", "name", "code", "grade", "description", "behaviours"})
        key = self.key(m, node, "level")
        where = f'level "{key}" of track "{track}"'
        level = LevelSpec(
            key=key,
            name=_name(n.text(m.get("name"), node, "name"), _line(node), "level"),
            code=n.text(m.get("code"), node, "code").strip(),
            grade=_grade(n, m.get("grade"), node, where),
            description=_description(
                n.text(m.get("description"), node, "description"), _line(node), where
            ),
            line=_line(node),
        )
        if "behaviours" not in m:
            return level
        behaviours = m["behaviours"]
        n.visit(behaviours)
        if not isinstance(behaviours, yaml.MappingNode):
            raise _error(
                _line(behaviours),
                f"the behaviours of {where} should map competency keys to lists of behaviours.",
            )
        for key_node, list_node in behaviours.value:
            competency = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if competency in level.behaviours:
                raise _error(
                    _line(key_node), f'"{competency}" is given twice in the behaviours of {where}.'
                )
            items = []
            texts: dict[str, int] = {}
            for item in n.sequence(
                list_node, key_node, f'The behaviours of "{competency}" at {where}'
            ):
                behaviour = self.behaviour(item, f' of "{competency}" at {where}')
                _unique(
                    texts,
                    behaviour.text,
                    behaviour.line,
                    "behaviour",
                    f' of "{competency}" at {where}',
                )
                items.append(behaviour)
            if not items:
                raise _error(_line(key_node), f'"{competency}" has no behaviours at {where}.')
            level.behaviours[competency] = items
        return level

    def behaviour(self, node: yaml.Node, where: str) -> BehaviourSpec:
        n = self.nodes
        if isinstance(node, yaml.ScalarNode):
            return BehaviourSpec(
                _behaviour_text(n.text(node, node, "behaviour"), _line(node), where),
                line=_line(node),
            )
        m = n.mapping(node, "behaviour", {"text", "examples"})
        behaviour = BehaviourSpec(
            _behaviour_text(n.text(m.get("text"), node, "behaviour"), _line(node), where),
            line=_line(node),
        )
        if "examples" in m:
            examples = n.sequence(m["examples"], node, "The examples")
            if len(examples) > EXAMPLES_MAX:
                raise _error(_line(node), f"a behaviour may have at most {EXAMPLES_MAX} examples.")
            for example in examples:
                behaviour.examples.append(
                    _behaviour_text(n.text(example, node, "example"), _line(example), " example")
                )
        return behaviour


# --- the old format, cairn.framework/1 ------------------------------------------------------


def _from_v1(old: _V1Framework) -> FrameworkSpec:
    """The old shape (tracks → levels → competencies by name → behaviours) as a v2
    spec: keys from names, a competency named in several levels or tracks is one
    competency, as migration 0005 merged them."""
    spec = FrameworkSpec(
        key=_derived_key(old.name, set(), "framework"),
        name=old.name,
        description=old.description,
        line=old.line,
    )
    by_name: dict[str, CompetencySpec] = {}
    competency_keys: set[str] = set()
    track_keys: set[str] = set()
    for old_track in old.tracks:
        track = TrackSpec(
            key=_derived_key(old_track.name, track_keys, "track"),
            name=old_track.name,
            line=old_track.line,
        )
        spec.tracks.append(track)
        level_keys: set[str] = set()
        for old_level in old_track.levels:
            level = LevelSpec(
                key=_derived_key(old_level.name, level_keys, "level"),
                name=old_level.name,
                line=old_level.line,
            )
            track.levels.append(level)
            for old_competency in old_level.competencies:
                name = old_competency.name.casefold()
                if name not in by_name:
                    by_name[name] = CompetencySpec(
                        key=_derived_key(old_competency.name, competency_keys, "competency"),
                        name=old_competency.name,
                        line=old_competency.line,
                    )
                    spec.competencies.append(by_name[name])
                key = by_name[name].key
                if key not in track.competencies:
                    track.competencies.append(key)
                level.behaviours[key] = [
                    BehaviourSpec(text, line=old_competency.line)
                    for text in old_competency.behaviours
                ]
        order = {k: i for i, k in enumerate(track.competencies)}
        for level in track.levels:
            level.behaviours = dict(sorted(level.behaviours.items(), key=lambda kv: order[kv[0]]))
    return spec


@dataclass
class _V1Competency:
    name: str
    line: int
    behaviours: list[str] = field(default_factory=list)


@dataclass
class _V1Level:
    name: str
    line: int
    competencies: list[_V1Competency] = field(default_factory=list)


@dataclass
class _V1Track:
    name: str
    line: int
    levels: list[_V1Level] = field(default_factory=list)


@dataclass
class _V1Framework:
    name: str
    description: str
    line: int
    tracks: list[_V1Track] = field(default_factory=list)


def _parse_yaml_v1(root: yaml.Node) -> _V1Framework:
    nodes = _Nodes()
    top = nodes.mapping(root, "framework", {"format", "name", "description", "tracks"})
    if "format" in top:
        nodes.visit(top["format"])
    spec = _V1Framework(
        name=nodes.text(top.get("name"), root, "framework name"),
        description=nodes.text(top.get("description"), root, "description").strip(),
        line=_line(top["name"]) if "name" in top else _line(root),
    )
    for track_node in nodes.sequence(top.get("tracks"), root, "The tracks"):
        t = nodes.mapping(track_node, "track", {"name", "levels"})
        line = _line(track_node)
        track = _V1Track(_name(nodes.text(t.get("name"), track_node, "name"), line, "track"), line)
        spec.tracks.append(track)
        levels = nodes.sequence(t.get("levels"), track_node, f'The levels of "{track.name}"')
        for level_node in levels:
            lv = nodes.mapping(level_node, "level", {"name", "competencies"})
            line = _line(level_node)
            level = _V1Level(
                _name(nodes.text(lv.get("name"), level_node, "name"), line, "level"), line
            )
            track.levels.append(level)
            competencies = nodes.sequence(
                lv.get("competencies"), level_node, f'The competencies of "{level.name}"'
            )
            for competency_node in competencies:
                c = nodes.mapping(competency_node, "competency", {"name", "behaviours"})
                line = _line(competency_node)
                competency = _V1Competency(
                    _name(nodes.text(c.get("name"), competency_node, "name"), line, "competency"),
                    line,
                )
                level.competencies.append(competency)
                for behaviour_node in nodes.sequence(
                    c.get("behaviours"),
                    competency_node,
                    f'The behaviours of "{competency.name}"',
                ):
                    behaviour = nodes.text(behaviour_node, competency_node, "behaviour").strip()
                    if not behaviour:
                        raise _error(_line(behaviour_node), "this behaviour is empty.")
                    if len(behaviour) > BEHAVIOUR_MAX:
                        raise _error(
                            _line(behaviour_node),
                            f"the behaviour is longer than {BEHAVIOUR_MAX:,} characters.",
                        )
                    competency.behaviours.append(behaviour)
    return spec


def _check_v1(spec: _V1Framework) -> None:
    """What both formats must satisfy, once their rows are read."""
    _name(spec.name, spec.line, "framework")
    if len(spec.description) > DESCRIPTION_MAX:
        raise _error(spec.line, f"the description is longer than {DESCRIPTION_MAX:,} characters.")
    if not spec.tracks:
        raise _error(spec.line, "the framework has no tracks.")
    tracks: dict[str, int] = {}
    for track in spec.tracks:
        _unique(tracks, track.name, track.line, "track")
        if not track.levels:
            raise _error(track.line, f'the track "{track.name}" has no levels.')
        levels: dict[str, int] = {}
        for level in track.levels:
            _unique(levels, level.name, level.line, "level", f' in track "{track.name}"')
            if not level.competencies:
                raise _error(level.line, f'the level "{level.name}" has no competencies.')
            competencies: dict[str, int] = {}
            for competency in level.competencies:
                _unique(
                    competencies,
                    competency.name,
                    competency.line,
                    "competency",
                    f' in level "{level.name}"',
                )
                if not competency.behaviours:
                    raise _error(
                        competency.line, f'the competency "{competency.name}" has no behaviours.'
                    )


# --- rows: CSV and XLSX -----------------------------------------------------------------


class RowLike(Protocol):
    line: int
    values: dict[str, str]


class TableLike(Protocol):
    @property
    def rows(self) -> Sequence[RowLike]: ...


def _read_table(data: bytes, filename: str) -> TableLike:
    """The rows of a CSV (any separator, encoding and header position the
    spreadsheet module reads) or XLSX file."""
    return read_table(data, filename)


def spec_from_rows(table: TableLike, *, name: str) -> FrameworkSpec:
    """One row per behaviour (and example): track, level, competency, behaviour, and
    optionally the competency's ``key``, ``area`` and ``description``, the level's
    ``code`` and ``grade``, and one ``example`` of the behaviour (rows repeating a
    behaviour add its examples). Tracks, levels and competencies come in the order
    they first appear; a level listed again further down adds to the same level."""
    spec = FrameworkSpec(key=_derived_key(name, set(), "framework"), name=name, line=1)
    tracks: dict[str, TrackSpec] = {}
    levels: dict[tuple[str, str], tuple[LevelSpec, int]] = {}
    competencies: dict[str, tuple[CompetencySpec, int]] = {}
    keys: dict[str, str] = {}
    areas: dict[str, AreaSpec] = {}
    behaviours: dict[tuple[str, str, str, str], tuple[BehaviourSpec, int]] = {}
    taken: dict[str, set[str]] = {"track": set(), "competency": set(), "area": set()}
    level_keys: dict[str, set[str]] = {}
    for row in table.rows:
        line, cells = row.line, {k: (v or "").strip() for k, v in row.values.items()}
        track_name = _name(cells.get("track", ""), line, "track")
        if not cells.get("level"):
            raise _error(line, "the level is missing.")
        level_name = _name(cells["level"], line, "level")
        competency_name = _name(cells.get("competency", ""), line, "competency")
        where = f' of "{competency_name}" at level "{level_name}"'
        text = cells.get("behaviour", "")
        if not text:
            raise _error(line, "the behaviour is missing.")
        text = _behaviour_text(text, line, where)
        t, lv, c = track_name.casefold(), level_name.casefold(), competency_name.casefold()
        if t not in tracks:
            tracks[t] = TrackSpec(
                key=_derived_key(track_name, taken["track"], "track"), name=track_name, line=line
            )
            level_keys[t] = set()
            spec.tracks.append(tracks[t])
        track = tracks[t]
        if (t, lv) not in levels:
            level = LevelSpec(
                key=_derived_key(level_name, level_keys[t], "level"), name=level_name, line=line
            )
            levels[t, lv] = (level, line)
            track.levels.append(level)
        level, level_line = levels[t, lv]
        for column, attribute in (("code", "code"), ("grade", "grade")):
            value = cells.get(column, "")
            if not value:
                continue
            if column == "grade":
                if not value.isdigit() or int(value) > GRADE_MAX:
                    raise _error(line, f"the grade should be a whole number from 0 to {GRADE_MAX}.")
                parsed: Any = int(value)
            else:
                parsed = value
            current = getattr(level, attribute)
            if current in ("", None):
                setattr(level, attribute, parsed)
            elif current != parsed:
                raise _error(
                    line,
                    f'the level "{level_name}" has the {column} "{current}" on line '
                    f"{level_line} and {value} here.",
                )
        if c not in competencies:
            key = cells.get("key", "")
            if key:
                _key(key, line, "competency")
                if key in taken["competency"]:
                    raise _error(line, f'the competency key "{key}" is used twice.')
                taken["competency"].add(key)
            else:
                key = _derived_key(competency_name, taken["competency"], "competency")
            competency = CompetencySpec(key=key, name=competency_name, line=line)
            competencies[c] = (competency, line)
            spec.competencies.append(competency)
        competency, competency_line = competencies[c]
        if cells.get("key") and cells["key"] != competency.key:
            raise _error(
                line,
                f'the competency "{competency_name}" has the key "{competency.key}" on line '
                f'{competency_line} and "{cells["key"]}" here.',
            )
        keys[competency.key] = competency_name
        for column in ("area", "description"):
            value = cells.get(column, "")
            if not value:
                continue
            if column == "area":
                a = value.casefold()
                if a not in areas:
                    areas[a] = AreaSpec(
                        key=_derived_key(value, taken["area"], "area"),
                        name=_name(value, line, "area"),
                        line=line,
                    )
                    spec.areas.append(areas[a])
                value = areas[a].key
            else:
                value = _description(value, line, f'the competency "{competency_name}"')
            current = getattr(competency, column)
            if not current:
                setattr(competency, column, value)
            elif current != value:
                raise _error(
                    line,
                    f'the competency "{competency_name}" has another {column} on line '
                    f"{competency_line}.",
                )
        if competency.key not in track.competencies:
            track.competencies.append(competency.key)
        example = cells.get("example", "")
        behaviour_key = (t, lv, c, text.casefold())
        if behaviour_key in behaviours:
            behaviour, first = behaviours[behaviour_key]
            if not example or example in behaviour.examples:
                raise _error(line, f"this row repeats line {first}.")
        else:
            behaviour = BehaviourSpec(text, line=line)
            behaviours[behaviour_key] = (behaviour, line)
            level.behaviours.setdefault(competency.key, []).append(behaviour)
        if example:
            if len(behaviour.examples) >= EXAMPLES_MAX:
                raise _error(line, f"a behaviour may have at most {EXAMPLES_MAX} examples.")
            behaviour.examples.append(_behaviour_text(example, line, " example"))
    if not table.rows:
        raise _error(None, "The file has no rows below its header.")
    for track in spec.tracks:
        order = {k: i for i, k in enumerate(track.competencies)}
        for level in track.levels:
            level.behaviours = dict(sorted(level.behaviours.items(), key=lambda kv: order[kv[0]]))
    return spec


def framework_rows(spec: FrameworkSpec) -> list[dict[str, str]]:
    """The rows ``spec_from_rows`` reads back as ``spec`` (less what rows cannot
    say: keys of tracks, levels and areas, descriptions other than competencies',
    scales, and competencies no track uses). A behaviour with examples takes one row
    per example."""
    areas = {a.key: a.name for a in spec.areas}
    competencies = {c.key: c for c in spec.competencies}
    rows: list[dict[str, str]] = []
    for track in spec.tracks:
        for level in track.levels:
            for key, behaviours in level.behaviours.items():
                competency = competencies[key]
                for behaviour in behaviours:
                    for example in behaviour.examples or [""]:
                        rows.append(
                            {
                                "track": track.name,
                                "level": level.name,
                                "competency": competency.name,
                                "behaviour": behaviour.text,
                                "area": areas.get(competency.area, ""),
                                "key": competency.key,
                                "code": level.code,
                                "grade": "" if level.grade is None else str(level.grade),
                                "description": competency.description,
                                "example": example,
                            }
                        )
    return rows


# --- writing cairn.framework/2 -----------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for text of several lines (Markdown descriptions), so the file
    reads as it was written."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_text)


def spec_data(spec: FrameworkSpec) -> dict[str, Any]:
    """The spec as plain data in canonical order: the order of the file where order
    means something (areas, competencies, tracks, levels, stages, behaviours), keys
    sorted where it does not (scales); optional fields left out when empty."""

    def optional(**fields: Any) -> dict[str, Any]:
        return {k: v for k, v in fields.items() if v not in ("", None, [], {})}

    data: dict[str, Any] = {"format": FORMAT, "key": spec.key, "name": spec.name}
    data |= optional(description=spec.description, scale=spec.scale)
    if spec.scales:
        data["scales"] = [
            {
                "key": scale.key,
                "name": scale.name,
                "stages": [
                    {"key": s.key, "name": s.name} | optional(description=s.description)
                    for s in scale.stages
                ],
            }
            for scale in sorted(spec.scales, key=lambda s: s.key)
        ]
    if spec.areas:
        data["areas"] = [
            {"key": a.key, "name": a.name} | optional(description=a.description) for a in spec.areas
        ]
    data["competencies"] = [
        {"key": c.key, "name": c.name}
        | optional(area=c.area, scale=c.scale, description=c.description)
        for c in spec.competencies
    ]
    if spec.tracks:
        data["tracks"] = [
            {"key": t.key, "name": t.name}
            | optional(description=t.description)
            | {
                "competencies": list(t.competencies),
                "levels": [
                    {"key": lv.key, "name": lv.name}
                    | optional(code=lv.code, grade=lv.grade, description=lv.description)
                    | optional(
                        behaviours={
                            key: [
                                {"text": b.text, "examples": list(b.examples)}
                                if b.examples
                                else b.text
                                for b in behaviours
                            ]
                            for key, behaviours in lv.behaviours.items()
                        }
                    )
                    for lv in t.levels
                ],
            }
            for t in spec.tracks
        ]
    return data


def dump_yaml(spec: FrameworkSpec) -> str:
    """The spec as canonical ``cairn.framework/2`` YAML."""
    text: str = yaml.dump(
        spec_data(spec),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text
