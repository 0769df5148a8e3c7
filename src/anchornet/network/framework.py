"""Progression frameworks: data files (YAML) a network can copy and edit, validated
against a JSON Schema, stored in the workspace by id and version.

A framework has dimensions; each dimension has exactly four levels (1 starting out ...
4 leading practice) with the criteria that describe the level and the actions that lead to
the next. A criterion may name a figure the spend analysis computes (``evidence``), which
the self-assessment shows beside the answer. Two defaults ship with anchornet
(``frameworks/business.yaml`` and ``frameworks/public.yaml``) and are available without
loading; a default is stored in the workspace the first time someone assesses against it,
so that assessments keep the text they were made against.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from anchornet.errors import AnchornetError
from anchornet.network.sectors import sector_kind
from anchornet.workspace import Workspace

LEVELS = (1, 2, 3, 4)
LEVEL_NAMES = {1: "Starting out", 2: "Developing", 3: "Established", 4: "Leading practice"}
KINDS = ("business", "public")
DEFAULT_FOR_KIND = {"business": "business", "public": "public"}
# The figures a criterion's ``evidence`` may name: all shares of influenceable spend,
# computed by anchornet.analysis.metrics (see assessments.spend_evidence).
MEASURES = {
    "local_spend_share": "Share of influenceable spend with suppliers in the place",
    "sme_spend_share": "Share of influenceable spend with small and medium-sized enterprises",
    "vcse_spend_share": "Share of influenceable spend with voluntary, community and social enterprises",
    "deprived_spend_share": "Share of influenceable spend with suppliers in the 20% most deprived neighbourhoods",
}


class FrameworkError(AnchornetError):
    """A framework file that is not valid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more: run `anchornet framework validate`)" if len(problems) > 5 else ""
        super().__init__(f"{source} is not a valid framework: {shown}{more}")


@dataclass
class Framework:
    """One version of a framework, validated; ``dimensions`` as in the file, with each
    level's ``name`` filled in."""

    id: str
    version: int
    name: str
    dimensions: list[dict]
    description: str = ""
    applies_to: str | None = None
    source: str = "default"
    definition: dict = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"

    def dimension(self, dimension_id: str) -> dict | None:
        return next((d for d in self.dimensions if d["id"] == dimension_id), None)

    def level(self, dimension_id: str, level: int) -> dict | None:
        dim = self.dimension(dimension_id)
        return dim["levels"][level - 1] if dim and level in LEVELS else None

    def evidence_keys(self) -> list[tuple[str, str | None]]:
        """Every (measure, tier) the criteria name, in order, once each."""
        keys = []
        for dim in self.dimensions:
            for level in dim["levels"]:
                for c in level["criteria"]:
                    ev = c.get("evidence")
                    if ev and (ev["measure"], ev.get("tier")) not in keys:
                        keys.append((ev["measure"], ev.get("tier")))
        return keys

    def to_dict(self) -> dict:
        return {"id": self.id, "version": self.version, "name": self.name, "description": self.description,
                "applies_to": self.applies_to, "source": self.source, "dimensions": self.dimensions}


# -- validation -----------------------------------------------------------------------------------
@cache
def schema() -> dict:
    return json.loads(resources.files("anchornet.network").joinpath("frameworks/framework.schema.json")
                      .read_text(encoding="utf-8"))


def _path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


_TYPES = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping (key: value)",
          "array": "a list", "boolean": "true or false"}


def _what(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _message(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(path, message) in plain words for one schema error."""
    path = list(error.absolute_path)
    where = _path(path)
    v, value, expected = error.validator, error.instance, error.validator_value
    noun = {"levels": "levels", "dimensions": "dimensions", "criteria": "criteria",
            "next_actions": "next actions"}.get(path[-1] if path else "", "items")
    if v in ("minItems", "maxItems") and noun == "levels":
        return where, f"needs exactly 4 levels, found {len(value)}"
    if v == "minItems":
        return where, f"needs at least {expected} {noun}, found {len(value)}"
    if v == "maxItems":
        return where, f"has {len(value)} {noun}; at most {expected} are allowed"
    if v == "required":
        missing = [k for k in expected if k not in value]
        return where, "missing " + ", ".join(repr(k) for k in missing)
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        return where, (f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))} "
                       f"(allowed: {', '.join(allowed)})")
    if v == "type":
        return where, f"should be {_TYPES.get(expected, expected)}, found {_what(value)}"
    if v == "enum":
        return where, f"{value!r} is not one of: {', '.join(map(str, expected))}"
    if v == "pattern":
        return where, (f"{value!r} is not a valid id: use lower-case letters, digits and _ "
                       f"(and - in a framework's id), starting with a letter")
    if v == "minimum":
        return where, f"is {value}; it must be at least {expected}"
    if v == "maximum" and path and path[-1] == "at_least":
        return where, f"is {value}; write the share as a fraction from 0 to 1 (0.4 is 40%)"
    if v == "maximum":
        return where, f"is {value}; it must be at most {expected}"
    if v == "minLength":
        return where, "must not be empty"
    return where, error.message


def _order(error: jsonschema.ValidationError) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.absolute_path)


def problems_in(data, source: str = "framework") -> list[str]:
    """Every problem with a parsed framework (schema, then rules a schema cannot say), each
    as 'path: what is wrong'. Empty when the framework is valid."""
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=_order)
    found = []
    for e in errors:
        where, what = _message(e)
        line = f"{where}: {what}"
        if line not in found:
            found.append(line)
    if found:
        return found
    seen: dict[str, int] = {}
    for i, dim in enumerate(data["dimensions"]):
        if dim["id"] in seen:
            found.append(f"dimensions[{i}].id: {dim['id']!r} is already the id of dimensions[{seen[dim['id']]}]")
        seen.setdefault(dim["id"], i)
        for j, level in enumerate(dim["levels"]):
            if level["level"] != j + 1:
                found.append(f"dimensions[{i}].levels[{j}].level: expected level {j + 1} here "
                             f"(levels go 1, 2, 3, 4 in order), found {level['level']}")
            for k, c in enumerate(level["criteria"]):
                ev = c.get("evidence")
                if ev and ev.get("tier") and ev["measure"] != "local_spend_share":
                    found.append(f"dimensions[{i}].levels[{j}].criteria[{k}].evidence.tier: only "
                                 f"local_spend_share is measured by place tier")
    return found


def parse_text(text: str, source: str = "framework") -> dict:
    """The YAML text as data; a syntax error names its line and column."""
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FrameworkError(source, [f"{where}YAML syntax error: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(source, [f"YAML syntax error: {exc}"]) from None
    if data is None:
        raise FrameworkError(source, ["the file is empty"])
    return data


def _read(path: Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise AnchornetError(f"no framework file at {path}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkError(path.name, ["the file is not UTF-8 text"]) from None


def validate_file(path: Path | str) -> list[str]:
    """The problems with a framework file (empty: valid)."""
    path = Path(path)
    try:
        data = parse_text(_read(path), path.name)
    except FrameworkError as exc:
        return exc.problems
    return problems_in(data, path.name)


def from_data(data, source: str = "framework") -> Framework:
    """A Framework from parsed data; FrameworkError listing every problem if not valid."""
    problems = problems_in(data, source)
    if problems:
        raise FrameworkError(source, problems)
    dims = []
    for dim in data["dimensions"]:
        levels = [{"level": lv["level"], "name": lv.get("name") or LEVEL_NAMES[lv["level"]],
                   "summary": lv.get("summary", ""),
                   "criteria": [{"text": c["text"], **({"evidence": c["evidence"]} if c.get("evidence") else {})}
                                for c in lv["criteria"]],
                   "next_actions": list(lv["next_actions"])} for lv in dim["levels"]]
        dims.append({"id": dim["id"], "name": dim["name"], "description": dim.get("description", ""),
                     "levels": levels})
    return Framework(id=data["id"], version=data["version"], name=data["name"], dimensions=dims,
                     description=data.get("description", ""), applies_to=data.get("applies_to"),
                     source=source, definition=data)


def parse_file(path: Path | str) -> Framework:
    path = Path(path)
    return from_data(parse_text(_read(path), path.name), path.name)


def digest(definition: dict) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# -- the defaults -----------------------------------------------------------------------------------
@cache
def _default_texts() -> dict[str, str]:
    folder = resources.files("anchornet.network").joinpath("frameworks")
    return {name: folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8") for name in KINDS}


@cache
def defaults() -> dict[str, Framework]:
    """The frameworks shipped with anchornet, by id (parsed once; do not change them)."""
    out = {}
    for name, text in _default_texts().items():
        fw = from_data(parse_text(text, f"{name}.yaml"), "default")
        out[fw.id] = fw
    return out


def default_text(framework_id: str) -> str | None:
    return _default_texts().get(framework_id)


# -- stored frameworks ----------------------------------------------------------------------------------
def _stored(ws: Workspace, framework_id: str, version: int | None = None) -> Framework | None:
    sql = "SELECT definition_json, source FROM frameworks WHERE framework_id = ?"
    params: list = [framework_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(int(version))
    rows = ws.con.execute(sql + " ORDER BY version DESC LIMIT 1", params).fetchall()
    if not rows:
        return None
    return from_data(json.loads(rows[0][0]), rows[0][1])


def get(ws: Workspace, framework_id: str, version: int | None = None) -> Framework:
    """A framework by id: the given version, or the newest (stored or shipped)."""
    stored = _stored(ws, framework_id, version)
    shipped = defaults().get(framework_id)
    if version is not None:
        if stored:
            return stored
        if shipped and shipped.version == int(version):
            return shipped
        raise AnchornetError(f"no framework {framework_id!r} version {version} in this workspace")
    candidates = [f for f in (stored, shipped) if f is not None]
    if not candidates:
        known = ", ".join(f["id"] for f in list_frameworks(ws)) or "(none)"
        raise AnchornetError(f"no framework called {framework_id!r}; frameworks are: {known}")
    return max(candidates, key=lambda f: f.version)


def list_frameworks(ws: Workspace) -> list[dict]:
    """Every framework id with its newest version, the versions stored, and where it came from."""
    rows = ws.con.execute("""
        SELECT framework_id, list(version ORDER BY version), max(version), arg_max(name, version),
               arg_max(source, version), arg_max(applies_to, version), max(loaded_at)
        FROM frameworks GROUP BY 1 ORDER BY 1
    """).fetchall()
    out = {r[0]: {"id": r[0], "versions": r[1], "version": r[2], "name": r[3], "source": r[4],
                  "applies_to": r[5], "loaded_at": r[6]} for r in rows}
    for fw in defaults().values():
        item = out.get(fw.id)
        if item is None:
            out[fw.id] = {"id": fw.id, "versions": [], "version": fw.version, "name": fw.name, "source": "default",
                          "applies_to": fw.applies_to, "loaded_at": None}
        elif fw.version > item["version"]:
            item.update(version=fw.version, name=fw.name, source="default")
    for item in out.values():
        item["default_for"] = [k for k in KINDS if kind_framework_id(ws, k) == item["id"]]
    return sorted(out.values(), key=lambda i: (i["id"] not in KINDS, i["id"]))


def store(ws: Workspace, fw: Framework, *, by: str = "cli") -> str:
    """Store one version ('loaded'), or nothing if the same content is there ('unchanged').
    The same id and version with other content is refused: raise the version."""
    key = digest(fw.definition)
    rows = ws.con.execute("SELECT digest FROM frameworks WHERE framework_id = ? AND version = ?",
                          [fw.id, fw.version]).fetchall()
    shipped = defaults().get(fw.id)
    taken = rows[0][0] if rows else (digest(shipped.definition) if shipped and shipped.version == fw.version
                                     else None)
    if taken is not None and taken != key:
        raise AnchornetError(
            f"framework {fw.id!r} version {fw.version} is already stored with other text; give the edited "
            f"file a higher version (or a new id) and load it again")
    if rows:
        return "unchanged"
    _insert(ws, fw, key, by)
    return "loaded"


def _insert(ws: Workspace, fw: Framework, key: str, by: str) -> None:
    ws.con.execute(
        "INSERT INTO frameworks (framework_id, version, name, applies_to, definition_json, digest, source, "
        "loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [fw.id, fw.version, fw.name, fw.applies_to, json.dumps(fw.definition, ensure_ascii=False), key,
         fw.source, by])


def load(ws: Workspace, path: Path | str, *, by: str = "cli") -> dict:
    """Validate a framework file and store it; re-loading the same file changes nothing."""
    fw = parse_file(path)
    with ws.transaction():
        status = store(ws, fw, by=by)
    return {"id": fw.id, "version": fw.version, "name": fw.name, "status": status,
            "dimensions": [d["id"] for d in fw.dimensions]}


def load_text(ws: Workspace, text: str, source: str, *, by: str) -> dict:
    """As load(), from text (a web upload)."""
    fw = from_data(parse_text(text, source), source)
    with ws.transaction():
        status = store(ws, fw, by=by)
    return {"id": fw.id, "version": fw.version, "name": fw.name, "status": status,
            "dimensions": [d["id"] for d in fw.dimensions]}


def to_yaml(fw: Framework) -> str:
    """The framework as a YAML file to copy and edit (the shipped text, comments and all, for
    a default)."""
    if fw.source == "default" and default_text(fw.id) and defaults()[fw.id].version == fw.version:
        return default_text(fw.id)
    header = (f"# {fw.name}, version {fw.version}, exported by anchornet.\n"
              "# Edit it, raise `version` (or give a new `id`), check it with `anchornet framework validate`\n"
              "# and load it with `anchornet framework load`.\n")
    return header + yaml.safe_dump(fw.definition, sort_keys=False, allow_unicode=True, width=100)


# -- which framework a member takes ----------------------------------------------------------------------
def _choice(ws: Workspace, scope: str) -> str | None:
    rows = ws.con.execute("SELECT framework_id FROM framework_choices WHERE scope = ?", [scope]).fetchall()
    return rows[0][0] if rows else None


def kind_framework_id(ws: Workspace, kind: str) -> str:
    """The framework members of a kind (business, public) take unless told otherwise."""
    return _choice(ws, f"kind:{kind}") or DEFAULT_FOR_KIND[kind]


def member_kind(ws: Workspace, member_id: int) -> str:
    """'public' for a public-sector member (by its profile's sector), else 'business'."""
    rows = ws.con.execute("SELECT sector FROM member_profiles WHERE member_id = ?", [member_id]).fetchall()
    return "public" if rows and sector_kind(rows[0][0]) == "public" else "business"


def member_framework_id(ws: Workspace, member_id: int) -> tuple[str, str]:
    """(framework id, why) for a member: the coordinator's choice for it, else its kind's."""
    chosen = _choice(ws, f"member:{member_id}")
    if chosen:
        return chosen, "chosen by the coordinator"
    kind = member_kind(ws, member_id)
    return kind_framework_id(ws, kind), f"{kind} anchors (from the member's sector)"


def framework_for_member(ws: Workspace, member_id: int) -> Framework:
    return get(ws, member_framework_id(ws, member_id)[0])


def choose(ws: Workspace, framework_id: str | None, *, member_id: int | None = None, kind: str | None = None,
           by: str = "cli") -> None:
    """Set (or, with None, clear) the framework for one member or for a kind of member."""
    if (member_id is None) == (kind is None):
        raise AnchornetError("choose the framework either for a member or for a kind of member")
    if kind is not None and kind not in KINDS:
        raise AnchornetError(f"kind must be one of: {', '.join(KINDS)}")
    scope = f"member:{member_id}" if member_id is not None else f"kind:{kind}"
    if framework_id:
        get(ws, framework_id)  # it must exist
    with ws.transaction():
        ws.con.execute("DELETE FROM framework_choices WHERE scope = ?", [scope])
        if framework_id:
            ws.con.execute("INSERT INTO framework_choices (scope, framework_id, set_by) VALUES (?, ?, ?)",
                           [scope, framework_id, by])
