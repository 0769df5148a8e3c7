"""`anchornet serve` (the web app) and `anchornet users ...` (its accounts, for scripts)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from anchornet.cli.commands import err, out
from anchornet.cli.main import open_workspace, print_json
from anchornet.errors import AnchornetError

PASSWORD_VAR = "ANCHORNET_PASSWORD"
SECRET_VAR = "ANCHORNET_SECRET_KEY"


def add_parsers(sub) -> None:
    p = sub.add_parser("serve", help="serve the workspace as a web app (pages, charts, JSON API)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")

    p = sub.add_parser("users", help="web app accounts: add and list")
    ss = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    q = ss.add_parser("add", help=f"add an account (password from a prompt, or ${PASSWORD_VAR})")
    q.add_argument("email")
    q.add_argument("--role", required=True, choices=["coordinator", "member", "viewer"])
    q.add_argument("--member", help="the member organisation (member leads only)")
    q.add_argument("--name", default="", help="the person's name")
    q = ss.add_parser("list", help="list the accounts")
    q.add_argument("--json", action="store_true")


def cmd_serve(args, workspace: Path) -> int:
    import uvicorn

    from anchornet.web.app import create_app

    app = create_app(workspace, secret_key=os.environ.get(SECRET_VAR) or None)
    url = f"http://{'localhost' if args.host in ('127.0.0.1', '::1') else args.host}:{args.port}/"
    out.print(f"anchornet: serving workspace {workspace} at {url} (Ctrl+C to stop)", markup=False)
    if app.state.setup_code:
        out.print(f"First run: open {url}setup and enter the setup code {app.state.setup_code} "
                  "to create the coordinator's account.", markup=False)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err.print("anchornet: listening beyond this computer: put it behind HTTPS (a reverse proxy) "
                  "so passwords and session cookies are not sent in clear", markup=False)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _password(email: str) -> str:
    password = os.environ.get(PASSWORD_VAR)
    if password:
        return password
    if not sys.stdin.isatty():
        raise AnchornetError(f"no password: set ${PASSWORD_VAR} or run this in a terminal to be asked")
    first = getpass.getpass(f"Password for {email}: ")
    if getpass.getpass("The same password again: ") != first:
        raise AnchornetError("the two passwords differ")
    return first


def cmd_users(args, workspace: Path) -> int:
    from anchornet.web import security, users

    if args.users_command == "list":
        ws = open_workspace(workspace, read_only=True)
        try:
            rows = users.list_users(ws.con)
        finally:
            ws.close()
        if args.json:
            print_json(rows)
        else:
            for u in rows:
                out.print(f"{u['email']}  {u['role']}{' for ' + u['member'] if u['member'] else ''}"
                          f"{'' if u['active'] else '  (may not sign in)'}", markup=False)
        return 0

    password = _password(args.email)
    ws = open_workspace(workspace, create=True)
    try:
        user_id = users.create_user(ws, args.email, password, args.role, member=args.member, name=args.name)
        user = users.get_user(ws.con, user_id)
        security.audit(ws.con, security.Actor.cli(), "users.add", target=user["email"],
                       member_id=user["member_id"], detail={"role": user["role"], "member": user["member"]})
    except BaseException:
        ws.discard_if_new()
        raise
    ws.close()
    err.print(f"added {user['email']} as {user['role']}" + (f" for {user['member']}" if user["member"] else ""),
              markup=False)
    return 0
