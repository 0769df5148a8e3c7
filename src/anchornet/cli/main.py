"""The ``anchornet`` command. Thin: parse arguments, call the library, print."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from anchornet import __version__
from anchornet.errors import AnchornetError
from anchornet.workspace import ENV_VAR, Workspace, default_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anchornet",
        description="Load supplier-payment files with nothing lost and see where the money goes.",
    )
    parser.add_argument("--version", action="version", version=f"anchornet {__version__}")
    parser.add_argument(
        "--workspace", "-w", type=Path, default=None,
        help=f"workspace directory (default: ${ENV_VAR} or ./anchornet-workspace)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="load payment files for a member")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--member", required=True, help="the member organisation the files belong to")
    p.add_argument("--period", help="YYYY-MM, YYYY-Qn, YYYY or YYYY-MM..YYYY-MM")
    p.add_argument("--mapping", type=Path, help="a YAML file naming the columns (docs/ingest.md)")
    p.add_argument("--replace", action="store_true", help="supersede an earlier version")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print a JSON summary")

    p = sub.add_parser("status", help="files in the workspace and their line accounting")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include superseded files")

    p = sub.add_parser("quality", help="the data-quality report per file and member")
    p.add_argument("--format", choices=["text", "html", "json"], default="text")
    p.add_argument("-o", "--output", type=Path, help="write to this file")

    p = sub.add_parser("quarantine", help="list the rows that could not be loaded")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export payments, quarantine, files, suppliers or the network's records")
    p.add_argument("table", choices=["payments", "quarantine", "files", "suppliers", "supplier-names", "network"],
                   help="network: every record of the network (members, groups, pledges, ...), "
                        "as one .xlsx workbook or a folder of CSV files")
    p.add_argument("--format", choices=["csv", "parquet", "xlsx"], default=None)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--member", help="only this member")
    p.add_argument("--public", action="store_true",
                   help="network: only what members agreed to publish, and no person's name")

    from anchornet.cli import suppliers_commands

    suppliers_commands.add_parsers(sub)

    from anchornet.cli import analysis_commands, place_commands, registers_commands

    registers_commands.add_parsers(sub)
    place_commands.add_parsers(sub)
    analysis_commands.add_parsers(sub)
    analysis_commands.add_opportunity_parser(sub)

    from anchornet.cli import web_commands

    web_commands.add_parsers(sub)

    for module in network_command_modules():
        module.add_parsers(sub)

    p = sub.add_parser("demo", help="build the demo workspace from the bundled sample and start the web app")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--no-serve", action="store_true", help="build the workspace only; do not start the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from anchornet.cli import (
        analysis_commands,
        commands,
        place_commands,
        registers_commands,
        suppliers_commands,
        web_commands,
    )

    name = "cmd_" + args.command.replace("-", "_")
    handler = next(
        getattr(module, name)
        for module in (commands, suppliers_commands, registers_commands, place_commands,
                       analysis_commands, web_commands, *network_command_modules())
        if hasattr(module, name)
    )
    workspace = args.workspace or default_path()
    try:
        return handler(args, workspace) or 0
    except AnchornetError as exc:
        print(f"anchornet: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("anchornet: interrupted; the workspace is as it was", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: say so in one line, keep the details for a report
        if os.environ.get("ANCHORNET_DEBUG"):
            raise
        print(
            f"anchornet: internal error: {type(exc).__name__}: {exc}".splitlines()[0]
            + " (set ANCHORNET_DEBUG=1 to see details; the workspace is unchanged)",
            file=sys.stderr,
        )
        return 70


def network_command_modules() -> list:
    """The commands for the network's own records (members, groups, pledges, ...)."""
    from anchornet.cli import (
        framework_commands,
        groups_commands,
        members_commands,
        pipeline_commands,
        plans_commands,
        pledges_commands,
        social_value_commands,
    )

    return [members_commands, groups_commands, pledges_commands, pipeline_commands, framework_commands,
            social_value_commands, plans_commands]


def open_workspace(path: Path, *, create: bool = False, read_only: bool = False) -> Workspace:
    return Workspace(path, create=create, read_only=read_only)


def print_json(data) -> None:
    print(json.dumps(data, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
