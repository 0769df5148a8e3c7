"""Accounts: create, find, change. Used by the web app and by `anchornet users`."""

from __future__ import annotations

import re

from anchornet.errors import AnchornetError
from anchornet.sqlrows import dict_rows
from anchornet.web import security
from anchornet.web.permissions import ROLES, Principal
from anchornet.workspace import Workspace

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_COLUMNS = """u.user_id, u.email, u.name, u.role, u.member_id, m.name AS member, u.active,
              u.session_version, u.created_at, u.last_login_at"""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def count_users(con) -> int:
    return con.execute("SELECT count(*) FROM users").fetchone()[0]


def get_user(con, user_id: int) -> dict | None:
    rows = dict_rows(con.execute(
        f"SELECT {_COLUMNS} FROM users u LEFT JOIN members m USING (member_id) WHERE u.user_id = ?",
        [user_id]))
    return rows[0] if rows else None


def find_for_login(con, email: str) -> tuple[dict | None, str | None]:
    """(the account, its password hash) for an address; (None, None) when unknown."""
    rows = dict_rows(con.execute(
        f"SELECT {_COLUMNS}, u.password_hash FROM users u LEFT JOIN members m USING (member_id) "
        "WHERE u.email = ?", [normalise_email(email)]))
    if not rows:
        return None, None
    user = rows[0]
    return user, user.pop("password_hash")


def list_users(con) -> list[dict]:
    return dict_rows(con.execute(
        f"SELECT {_COLUMNS} FROM users u LEFT JOIN members m USING (member_id) ORDER BY u.role, u.email"))


def principal_of(user: dict) -> Principal:
    return Principal(user_id=user["user_id"], email=user["email"], name=user["name"] or "",
                     role=user["role"], member_id=user["member_id"], member=user["member"])


def _check_role(ws: Workspace, role: str, member: str | None) -> int | None:
    if role not in ROLES:
        raise AnchornetError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    member = (member or "").strip() or None
    if role == "member":
        if not member:
            raise AnchornetError("a member lead needs the member organisation (--member NAME)")
        return ws.member_id(member, create=True)
    if member:
        raise AnchornetError(f"only a member lead belongs to a member; a {role} sees the whole network")
    return None


def create_user(ws: Workspace, email: str, password: str, role: str, *, member: str | None = None,
                name: str = "") -> int:
    """Create an account; returns its id. Raises AnchornetError on a bad address, role or password."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AnchornetError(f"{email!r} is not an e-mail address")
    problem = security.password_problem(password, email)
    if problem:
        raise AnchornetError(problem)
    hashed = security.hash_password(password)
    with ws.transaction() as con:
        member_id = _check_role(ws, role, member)
        if con.execute("SELECT count(*) FROM users WHERE email = ?", [email]).fetchone()[0]:
            raise AnchornetError(f"there is already an account for {email}")
        return con.execute(
            "INSERT INTO users (email, name, password_hash, role, member_id) VALUES (?, ?, ?, ?, ?) "
            "RETURNING user_id",
            [email, (name or "").strip(), hashed, role, member_id],
        ).fetchone()[0]


def update_user(ws: Workspace, user_id: int, *, role: str, member: str | None, active: bool) -> dict:
    """Change an account's role, member or whether it may sign in; returns what changed."""
    before = get_user(ws.con, user_id)
    if before is None:
        raise AnchornetError(f"no account {user_id}")
    with ws.transaction() as con:
        member_id = _check_role(ws, role, member)
        if before["role"] == "coordinator" and (role != "coordinator" or not active):
            others = con.execute(
                "SELECT count(*) FROM users WHERE role = 'coordinator' AND active AND user_id <> ?",
                [user_id]).fetchone()[0]
            if not others:
                raise AnchornetError("the network needs at least one active coordinator")
        bump = before["role"] != role or before["member_id"] != member_id or (before["active"] and not active)
        con.execute(
            "UPDATE users SET role = ?, member_id = ?, active = ?, "
            "session_version = session_version + ? WHERE user_id = ?",
            [role, member_id, active, 1 if bump else 0, user_id],
        )
    after = get_user(ws.con, user_id)
    return {k: {"from": before[k], "to": after[k]} for k in ("role", "member", "active") if before[k] != after[k]}


def set_password(ws: Workspace, user_id: int, password: str) -> int:
    """Set a new password and end every session of the account; returns the new session version."""
    user = get_user(ws.con, user_id)
    if user is None:
        raise AnchornetError(f"no account {user_id}")
    problem = security.password_problem(password, user["email"])
    if problem:
        raise AnchornetError(problem)
    hashed = security.hash_password(password)
    with ws.transaction() as con:
        return con.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE user_id = ? "
            "RETURNING session_version", [hashed, user_id]).fetchone()[0]


def signed_in(con, user_id: int, new_hash: str | None) -> None:
    if new_hash:
        con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?", [new_hash, user_id])
    con.execute("UPDATE users SET last_login_at = CAST(current_timestamp AS TIMESTAMP) WHERE user_id = ?",
                [user_id])
