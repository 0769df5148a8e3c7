"""`anchornet framework ...`: progression frameworks (validate, load, list, show, export,
use) and self-assessments (assess, profile, history, distribution)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json
from anchornet.errors import AnchornetError
from anchornet.workspace import DB_NAME


def add_parsers(sub) -> None:
    p = sub.add_parser("framework", help="progression frameworks and members' self-assessments")
    ss = p.add_subparsers(dest="framework_command", metavar="ACTION", required=True)

    q = ss.add_parser("validate", help="check a framework file (YAML) against the schema; lists every problem")
    q.add_argument("file", type=Path)
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("load", help="validate a framework file and store it in the workspace (by id and version)")
    q.add_argument("file", type=Path)
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("list", help="the frameworks available: shipped defaults and loaded files")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("show", help="a framework's dimensions, levels, criteria and next actions")
    q.add_argument("framework", nargs="?", default="business", help="framework id (default: business)")
    q.add_argument("--version", type=int, help="a stored version (default: the newest)")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("export", help="write a framework as YAML, to copy and edit")
    q.add_argument("framework", help="framework id: business, public or one loaded")
    q.add_argument("--version", type=int, help="a stored version (default: the newest)")
    q.add_argument("-o", "--output", type=Path, help="write to this file (default: print it)")

    q = ss.add_parser("use", help="choose the framework a member (or every member of a kind) takes")
    q.add_argument("framework", help="framework id, or 'default' to go back to the choice by sector")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help="one member")
    who.add_argument("--kind", choices=["business", "public"], help="every member of this kind")

    q = ss.add_parser("assess", help="record a member's self-assessment")
    q.add_argument("--member", required=True)
    q.add_argument("--level", action="append", default=[], metavar="DIMENSION=LEVEL", required=True,
                   help="a level 1-4 for a dimension, e.g. procurement=2 (repeat for each dimension)")
    q.add_argument("--evidence", action="append", default=[], metavar="DIMENSION=TEXT",
                   help="what shows the level (repeatable)")
    q.add_argument("--date", help="YYYY-MM-DD (default: today)")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("profile", help="a member's latest level per dimension, the change and the next actions")
    q.add_argument("--member", required=True)
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("history", help="every self-assessment of a member")
    q.add_argument("--member", required=True)
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("distribution", help="the network's anonymous distribution (hidden below 3 members)")
    q.add_argument("--json", action="store_true")


def cmd_framework(args, workspace: Path) -> int:
    action = args.framework_command
    if action == "validate":
        return _validate(args)
    if action in ("list", "show", "export") and not (workspace / DB_NAME).exists():
        return _ACTIONS[action](None, args) or 0  # the shipped defaults need no workspace
    ws = open_workspace(workspace, create=action in ("load", "use", "assess"))
    try:
        return _ACTIONS[action](ws, args) or 0
    finally:
        ws.close()


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise AnchornetError(f"--{what} {value!r}: use DIMENSION={'LEVEL' if what == 'level' else 'TEXT'}")
        pairs[key.strip()] = rest.strip()
    return pairs


def _validate(args) -> int:
    from anchornet.network import framework

    problems = framework.validate_file(args.file)
    if args.json:
        print_json({"file": str(args.file), "valid": not problems, "problems": problems})
    elif problems:
        for p in problems:
            print(f"{args.file.name}: {p}", file=sys.stderr)
        print(f"anchornet: {args.file.name} is not a valid framework ({len(problems)} problem"
              f"{'s' if len(problems) != 1 else ''})", file=sys.stderr)
    else:
        fw = framework.parse_file(args.file)
        out.print(f"{args.file.name}: a valid framework: {fw.id} version {fw.version}, "
                  f"{len(fw.dimensions)} dimensions", markup=False)
    return 2 if problems else 0


def _load(ws, args) -> int:
    from anchornet import audit as security
    from anchornet.network import framework

    result = framework.load(ws, args.file, by="cli")
    if result["status"] == "loaded":
        security.audit(ws.con, security.Actor.cli(), "framework.load", target=f"{result['id']} version "
                       f"{result['version']}", detail={"file": args.file.name})
    if args.json:
        print_json(result)
    else:
        what = "loaded" if result["status"] == "loaded" else "already loaded: nothing changed"
        out.print(f"{result['id']} version {result['version']} ({result['name']}): {what}", markup=False)
    return 0


def _list(ws, args) -> int:
    from anchornet.network import framework

    rows = framework.list_frameworks(ws) if ws is not None else [
        {"id": f.id, "name": f.name, "version": f.version, "versions": [], "source": "default",
         "applies_to": f.applies_to, "loaded_at": None, "default_for": [f.applies_to]}
        for f in framework.defaults().values()]
    if args.json:
        print_json(rows)
        return 0
    table = Table(title="Progression frameworks")
    for col in ("id", "name", "newest version", "versions stored", "source", "default for"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["name"], str(r["version"]), ", ".join(map(str, r["versions"])) or "none",
                      r["source"], ", ".join(r["default_for"]))
    out.print(table)
    return 0


def _get(ws, args):
    """The framework asked for: from the workspace, or a shipped default when there is none."""
    from anchornet.network import framework

    if ws is not None:
        return framework.get(ws, args.framework, args.version)
    fw = framework.defaults().get(args.framework)
    if fw is None or (args.version is not None and args.version != fw.version):
        raise AnchornetError(f"no framework {args.framework!r}"
                             f"{' version ' + str(args.version) if args.version else ''} without a workspace; "
                             f"the shipped ones are: {', '.join(framework.defaults())}")
    return fw


def _show(ws, args) -> int:

    fw = _get(ws, args)
    if args.json:
        print_json(fw.to_dict())
        return 0
    out.print(f"{fw.name} ({fw.id}, version {fw.version})", markup=False)
    if fw.description:
        out.print(fw.description, markup=False)
    for dim in fw.dimensions:
        out.print(f"\n{dim['name']} [{dim['id']}]", markup=False, style="bold")
        for lv in dim["levels"]:
            out.print(f"  Level {lv['level']}: {lv['name']}", markup=False)
            for c in lv["criteria"]:
                ev = c.get("evidence")
                note = (f"  [measured: {ev['measure']}{' ' + ev['tier'] if ev.get('tier') else ''} "
                        f">= {ev['at_least']:.0%}]" if ev else "")
                out.print(f"    - {c['text']}{note}", markup=False)
            out.print("    next: " + " | ".join(lv["next_actions"]), markup=False)
    return 0


def _export(ws, args) -> int:
    from anchornet.network import framework

    text = framework.to_yaml(_get(ws, args))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        out.print(f"wrote {args.output}", markup=False)
    else:
        sys.stdout.write(text)
    return 0


def _use(ws, args) -> int:
    from anchornet import audit as security
    from anchornet.network import framework

    chosen = None if args.framework == "default" else args.framework
    member_id = None
    if args.member:
        member_id = ws.member_id(args.member)
        if member_id is None:
            raise AnchornetError(f"no member called {args.member!r}")
    framework.choose(ws, chosen, member_id=member_id, kind=args.kind, by="cli")
    security.audit(ws.con, security.Actor.cli(), "framework.choose",
                   target=f"member {args.member}" if args.member else f"kind {args.kind}", member_id=member_id,
                   detail={"framework": chosen or "(by sector)"})
    who = args.member or f"every {args.kind} member"
    out.print(f"{who}: {'the framework by sector' if chosen is None else chosen}", markup=False)
    return 0


def _assess(ws, args) -> int:
    from anchornet import audit as security
    from anchornet.network import assessments

    result = assessments.record(ws, args.member, _pairs(args.level, "level"), _pairs(args.evidence, "evidence"),
                                by="cli", assessed_on=args.date)
    if not result["unchanged"]:
        security.audit(ws.con, security.Actor.cli(), "framework.assess",
                       target=f"assessment {result['assessment_id']}", member_id=ws.member_id(args.member),
                       detail={k: result[k] for k in ("framework", "version", "assessed_on", "levels")})
    if args.json:
        print_json(result)
    else:
        what = "the same answers were already recorded: nothing changed" if result["unchanged"] else "recorded"
        out.print(f"{args.member}, {result['framework']} version {result['version']}, {result['assessed_on']}: "
                  f"{what} (assessment {result['assessment_id']})", markup=False)
    return 0


def _profile(ws, args) -> int:
    from anchornet.network import assessments

    p = assessments.profile(ws, args.member)
    if args.json:
        print_json(p)
        return 0
    out.print(f"{p['member']}: {p['framework']['name']} version {p['framework']['version']} "
              f"({p['framework']['why']}); {p['assessments']} assessment(s)", markup=False)
    table = Table()
    for col in ("dimension", "level", "previous", "change", "next actions"):
        table.add_column(col)
    for d in p["dimensions"]:
        change = "" if d["change"] is None else f"{d['change']:+d}"
        table.add_row(d["name"], f"{d['level']}: {d['level_name']}" if d["level"] else "not assessed",
                      str(d["previous_level"] or ""), change, "\n".join(d["next_actions"]))
    out.print(table)
    return 0


def _history(ws, args) -> int:
    from anchornet.network import assessments

    rows = assessments.history(ws, args.member)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        out.print(f"{args.member} has not assessed yet", markup=False)
    for a in rows:
        levels = ", ".join(f"{x['dimension']} {x['level']}"
                           + (f" ({x['change']:+d})" if x["change"] else "") for x in a["answers"])
        out.print(f"{a['assessed_on']}  {a['framework']} v{a['framework_version']}  {levels}", markup=False)
    return 0


def _distribution(ws, args) -> int:
    from anchornet.network import assessments

    rows = assessments.distributions(ws)
    if args.json:
        print_json(rows)
        return 0
    for d in rows:
        if d["suppressed"]:
            out.print(f"{d['name']}: fewer than {d['minimum']} members have assessed; nothing shown", markup=False)
            continue
        table = Table(title=f"{d['name']}: members at each level ({d['members_assessed']} assessed)")
        table.add_column("dimension")
        for lv in d["dimensions"][0]["levels"]:
            table.add_column(f"{lv['level']}: {lv['name']}", justify="right")
        for dim in d["dimensions"]:
            table.add_row(dim["name"], *(["fewer than 3"] + [""] * 3 if dim["suppressed"]
                                         else [str(lv["members"]) for lv in dim["levels"]]))
        out.print(table)
    return 0


_ACTIONS = {"load": _load, "list": _list, "show": _show, "export": _export, "use": _use, "assess": _assess,
            "profile": _profile, "history": _history, "distribution": _distribution}
