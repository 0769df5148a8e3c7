"""The audit log: who changed what, and when, for every change to the data and records,
whether made through the web app (an account), the command line ('cli') or the library.
Kept in ``audit_log`` (migration 0006); shown to the coordinator at /admin/audit."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who did something: an account, or the command line."""

    user_id: int | None
    name: str  # the account's e-mail address, or 'cli'

    @classmethod
    def cli(cls) -> Actor:
        return cls(None, "cli")


def audit(con, actor, action: str, *, target: str | None = None, member_id: int | None = None,
          detail: dict | None = None, ip: str | None = None) -> None:
    """Record a change. ``actor`` is an :class:`Actor`, a principal (``user_id``, ``email``)
    or None (an anonymous attempt)."""
    if actor is None:
        user_id, name = None, "anonymous"
    elif isinstance(actor, Actor):
        user_id, name = actor.user_id, actor.name
    else:
        user_id, name = actor.user_id, actor.email
    con.execute(
        "INSERT INTO audit_log (user_id, actor, action, member_id, target, detail_json, ip) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [user_id, name, action, member_id, target, json.dumps(detail or {}, default=str, sort_keys=True), ip],
    )


def audit_entries(con, *, limit: int = 100, offset: int = 0, action: str | None = None) -> tuple[int, list[dict]]:
    where, params = "", []
    if action:
        where, params = "WHERE a.action = ?", [action]
    total = con.execute(f"SELECT count(*) FROM audit_log a {where}", params).fetchone()[0]
    result = con.execute(
        f"""SELECT a.audit_id, a.happened_at, a.actor, a.action, m.name AS member, a.target,
                   a.detail_json, a.ip
            FROM audit_log a LEFT JOIN members m ON m.member_id = a.member_id {where}
            ORDER BY a.audit_id DESC LIMIT ? OFFSET ?""",
        [*params, int(limit), int(offset)],
    )
    names = [d[0] for d in result.description]
    rows = []
    for r in result.fetchall():
        item = dict(zip(names, r, strict=True))
        item["detail"] = json.loads(item.pop("detail_json") or "{}")
        rows.append(item)
    return total, rows
