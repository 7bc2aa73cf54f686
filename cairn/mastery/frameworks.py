"""Reading a competency framework file (YAML or CSV) into a plain structure.

Nothing here touches the database: ``parse_framework`` either returns the whole
framework or raises one ``ValidationError`` whose message names the line at fault,
so that ``services.import_framework`` can write all of it or nothing.

The format is documented in ``docs/frameworks/README.md`` (the example beside it is
``cairn-engineering.yaml``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml
from django.core.exceptions import ValidationError

# A framework is a few hundred lines; a megabyte is generous. Checked before a byte
# is read, so a huge upload costs nothing but the refusal.
MAX_BYTES = 1_000_000
MAX_ROWS = 10_000
NAME_MAX = 120
DESCRIPTION_MAX = 500
BEHAVIOUR_MAX = 500
CSV_COLUMNS = ("track", "level", "competency", "behaviour")


@dataclass
class CompetencySpec:
    name: str
    line: int
    behaviours: list[str] = field(default_factory=list)


@dataclass
class LevelSpec:
    name: str
    line: int
    competencies: list[CompetencySpec] = field(default_factory=list)


@dataclass
class TrackSpec:
    name: str
    line: int
    levels: list[LevelSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    name: str
    description: str
    line: int
    tracks: list[TrackSpec] = field(default_factory=list)


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


def parse_framework(data: bytes, *, filename: str, name: str = "") -> FrameworkSpec:
    """The framework in ``data``, read as YAML or CSV by the file name's extension.
    ``name`` names a CSV framework (default: the file name) and overrides a YAML
    one's."""
    if len(data) > MAX_BYTES:
        raise _error(None, too_big_message(len(data)))
    suffix = PurePath(filename).suffix.lower()
    text = decode(data)
    if suffix in {".yaml", ".yml"}:
        spec = _parse_yaml(text)
    elif suffix == ".csv":
        spec = _parse_csv(text, name=name or PurePath(filename).stem)
    else:
        raise _error(None, "Choose a .yaml, .yml or .csv file.")
    if name.strip():
        spec.name = name.strip()
    _check(spec)
    return spec


# --- shared checks ---------------------------------------------------------------------


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


def _check(spec: FrameworkSpec) -> None:
    """What both formats must satisfy, once their rows are read."""
    _name(spec.name, spec.line, "framework")
    if len(spec.description) > DESCRIPTION_MAX:
        raise _error(spec.line, f"the description is longer than {DESCRIPTION_MAX} characters.")
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


def _parse_yaml(text: str) -> FrameworkSpec:
    try:
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
    # Aliases are found on the events, which know where the alias itself is written
    # (the composed node only knows where its anchor is).
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            alias_mark = event.start_mark
            raise _error(
                int(alias_mark.line) + 1 if alias_mark is not None else None,
                "anchors and aliases (& and *) are not supported.",
            )
    nodes = _Nodes()
    top = nodes.mapping(root, "framework", {"name", "description", "tracks"})
    spec = FrameworkSpec(
        name=nodes.text(top.get("name"), root, "framework name"),
        description=nodes.text(top.get("description"), root, "description").strip(),
        line=_line(top["name"]) if "name" in top else _line(root),
    )
    for track_node in nodes.sequence(top.get("tracks"), root, "The tracks"):
        t = nodes.mapping(track_node, "track", {"name", "levels"})
        line = _line(track_node)
        track = TrackSpec(_name(nodes.text(t.get("name"), track_node, "name"), line, "track"), line)
        spec.tracks.append(track)
        levels = nodes.sequence(t.get("levels"), track_node, f'The levels of "{track.name}"')
        for level_node in levels:
            lv = nodes.mapping(level_node, "level", {"name", "competencies"})
            line = _line(level_node)
            level = LevelSpec(
                _name(nodes.text(lv.get("name"), level_node, "name"), line, "level"), line
            )
            track.levels.append(level)
            competencies = nodes.sequence(
                lv.get("competencies"), level_node, f'The competencies of "{level.name}"'
            )
            for competency_node in competencies:
                c = nodes.mapping(competency_node, "competency", {"name", "behaviours"})
                line = _line(competency_node)
                competency = CompetencySpec(
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
                            f"the behaviour is longer than {BEHAVIOUR_MAX} characters.",
                        )
                    competency.behaviours.append(behaviour)
    return spec


# --- CSV -------------------------------------------------------------------------------


def _parse_csv(text: str, *, name: str) -> FrameworkSpec:
    """One row per behaviour: track, level, competency, behaviour. Tracks, levels and
    competencies come in the order they first appear; a level listed again further
    down adds to the same level."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    spec = FrameworkSpec(name=name, description="", line=1)
    tracks: dict[str, TrackSpec] = {}
    levels: dict[tuple[str, str], LevelSpec] = {}
    competencies: dict[tuple[str, str, str], CompetencySpec] = {}
    behaviours: dict[tuple[str, str, str, str], int] = {}
    header_seen = False
    try:
        for row in reader:
            line = reader.line_num
            if line > MAX_ROWS:
                raise _error(line, f"a framework file may have at most {MAX_ROWS} rows.")
            if not any(cell.strip() for cell in row):
                continue
            if not header_seen:
                header = tuple(cell.strip().casefold() for cell in row)
                if header != CSV_COLUMNS:
                    raise _error(
                        line, f"the first row should name the columns: {','.join(CSV_COLUMNS)}."
                    )
                header_seen = True
                continue
            if len(row) != len(CSV_COLUMNS):
                raise _error(
                    line,
                    f"expected {len(CSV_COLUMNS)} columns ({', '.join(CSV_COLUMNS)}), "
                    f"found {len(row)}.",
                )
            track_name, level_name, competency_name, behaviour = (cell.strip() for cell in row)
            track_name = _name(track_name, line, "track")
            if not level_name:
                raise _error(line, "the level is missing.")
            level_name = _name(level_name, line, "level")
            competency_name = _name(competency_name, line, "competency")
            if not behaviour:
                raise _error(line, "the behaviour is missing.")
            if len(behaviour) > BEHAVIOUR_MAX:
                raise _error(line, f"the behaviour is longer than {BEHAVIOUR_MAX} characters.")
            t, lv, c = track_name.casefold(), level_name.casefold(), competency_name.casefold()
            if t not in tracks:
                tracks[t] = TrackSpec(track_name, line)
                spec.tracks.append(tracks[t])
            if (t, lv) not in levels:
                levels[t, lv] = LevelSpec(level_name, line)
                tracks[t].levels.append(levels[t, lv])
            if (t, lv, c) not in competencies:
                competencies[t, lv, c] = CompetencySpec(competency_name, line)
                levels[t, lv].competencies.append(competencies[t, lv, c])
            key = (t, lv, c, behaviour.casefold())
            if key in behaviours:
                raise _error(line, f"this row repeats line {behaviours[key]}.")
            behaviours[key] = line
            competencies[t, lv, c].behaviours.append(behaviour)
    except csv.Error as error:
        raise _error(reader.line_num, f"this is not valid CSV ({error}).") from None
    if not header_seen:
        raise _error(None, "The file is empty.")
    return spec
