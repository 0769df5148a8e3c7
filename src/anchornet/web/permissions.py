"""Who may see and change what: every rule of the web app's access, in one place.

Roles:

- ``coordinator``: everything: every member's data and records, suppliers, accounts,
  the audit log and what the public dashboard shows.
- ``member`` (a member's lead): their own organisation's data and records in full
  (files, quarantine, payments, the internal report, uploads and replacements), and
  the network's shared views (the overview of the whole network, the public report).
- ``viewer``: read-only shared views (the network overview, the public report).

Nobody signed in sees only the public dashboard, and only what the coordinator has
published there. The server refuses (403) whatever a role may not do; pages only hide
the links as a courtesy.
"""

from __future__ import annotations

from dataclasses import dataclass

from anchornet.suppliers.classify import PUBLIC_CLASSES  # noqa: F401  (names shown in shared views)

ROLES = ("coordinator", "member", "viewer")
ROLE_LABELS = {"coordinator": "coordinator", "member": "member lead", "viewer": "viewer"}


class Forbidden(Exception):
    """The signed-in account may not do this (HTTP 403)."""


@dataclass(frozen=True)
class Principal:
    """The signed-in account."""

    user_id: int
    email: str
    name: str
    role: str
    member_id: int | None = None
    member: str | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def to_dict(self) -> dict:
        return {"user_id": self.user_id, "email": self.email, "name": self.name, "role": self.role,
                "member": self.member}


# -- private data: a member's files, quarantine, payments ----------------------------------------
def can_see_member(p: Principal, member: str) -> bool:
    """May ``p`` read ``member``'s own data (files, quarantine, payments, internal report)?"""
    if p.is_coordinator:
        return True
    return p.role == "member" and p.member is not None and member == p.member


def can_change_member(p: Principal, member: str) -> bool:
    """May ``p`` change ``member``'s records (upload, replace files)?"""
    return can_see_member(p, member)


def require_member(p: Principal, member: str, *, change: bool = False) -> None:
    allowed = can_change_member(p, member) if change else can_see_member(p, member)
    if not allowed:
        what = "change" if change else "see"
        raise Forbidden(f"your account may not {what} the records of {member}")


def private_members(p: Principal, requested: str | None) -> list[str] | None:
    """The members whose private data a listing may show: None for every member (a
    coordinator asking for all), else a list. Refuses what ``p`` may not see."""
    if p.is_coordinator:
        return [requested] if requested else None
    if p.role == "member" and p.member:
        if requested and requested != p.member:
            raise Forbidden(f"your account may not see the records of {requested}")
        return [p.member]
    raise Forbidden("a viewer account sees the network's shared views only")


def visible_members(p: Principal, all_members: list[str]) -> list[str]:
    """The members whose own data ``p`` may open (for menus)."""
    return [m for m in all_members if can_see_member(p, m)]


# -- shared views: the overview ------------------------------------------------------------------
def overview_members(p: Principal, requested: str | None) -> list[str]:
    """The scope of the overview: [] is the whole network, open to every account; one
    member's figures are for the coordinator and that member's lead."""
    if not requested:
        return []
    if can_see_member(p, requested):
        return [requested]
    raise Forbidden(f"your account may see the whole network's figures, or its own member's, "
                    f"not those of {requested}")


def names_in_full(p: Principal, members: list[str]) -> bool:
    """May payee names not surely organisations be shown (only to whoever may see the
    payments behind them)? Otherwise only classes in PUBLIC_CLASSES are named."""
    if p.is_coordinator:
        return True
    return bool(members) and all(can_see_member(p, m) for m in members)


def can_see_member_quality(p: Principal, member: str) -> bool:
    """File-level quality (file names, notes) is a member's own data."""
    return can_see_member(p, member)


# -- the network's records -------------------------------------------------------------------------
def can_manage_suppliers(p: Principal) -> bool:
    """Supplier review (names as written by every member) and decisions: the coordinator."""
    return p.is_coordinator


def can_manage_network(p: Principal) -> bool:
    """Accounts, the audit log, the public dashboard: the coordinator."""
    return p.is_coordinator


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def can_upload(p: Principal) -> bool:
    return p.role in ("coordinator", "member")


# -- the network's own records (members, groups, pledges, pipeline, framework, social value, plans) --
def can_see_network_records(p: Principal) -> bool:
    """The shared records (member list, working groups, pledges, plans, network-level social
    value and the framework's anonymous distribution): every signed-in account."""
    return p.role in ROLES


def can_edit_network(p: Principal) -> bool:
    """Create and change the network's shared records (groups and their chairs, pledges,
    plans, the framework in use, measure tables): the coordinator."""
    return p.is_coordinator


def can_edit_member_records(p: Principal, member: str) -> bool:
    """A member's own records (profile, pledge sign-ups and progress, self-assessments,
    contracts and their social value): the coordinator and that member's lead."""
    return can_change_member(p, member)


def can_see_member_records(p: Principal, member: str) -> bool:
    """A member's private records (self-assessment answers, unpublished contracts): the
    coordinator and that member's lead; everyone else sees anonymous distributions only."""
    return can_see_member(p, member)


def require_member_records(p: Principal, member: str, *, change: bool = False) -> None:
    allowed = can_edit_member_records(p, member) if change else can_see_member_records(p, member)
    if not allowed:
        raise Forbidden(f"your account may not {'change' if change else 'see'} the records of {member}")


def can_run_group(p: Principal, chair_members: list[str]) -> bool:
    """A working group's meetings and actions: the coordinator, and the leads of the
    members that chair or co-chair it."""
    return p.is_coordinator or (p.role == "member" and p.member is not None and p.member in chair_members)


def can_see_pipeline(p: Principal) -> bool:
    """Prospective members and the notes on approaching them: the coordinator."""
    return p.is_coordinator


# -- reports ---------------------------------------------------------------------------------------
def require_report(p: Principal, edition: str, members: list[str]) -> None:
    """The public edition is for everyone signed in; the internal edition (service areas,
    file notes, every payee class named) for whoever may see all of its members' data."""
    if edition == "public":
        return
    if p.is_coordinator:
        return
    if p.role == "member" and members and all(can_see_member(p, m) for m in members):
        return
    if p.role == "member":
        raise Forbidden("the internal report is for your own member only: choose it, or the public edition")
    raise Forbidden("a viewer account may download the public edition of the report")


# -- navigation --------------------------------------------------------------------------------------
def nav_items(p: Principal | None, public_published: bool = True) -> list[tuple[str, str]]:
    """(path, label) of the pages ``p`` may open. The public dashboard is offered to
    everyone once published, and to the coordinator (to preview it) before."""
    public = [("/public", "Public dashboard")] if public_published or (p and p.is_coordinator) else []
    if p is None:
        return public + [("/login", "Sign in")]
    items = [("/", "Overview"), ("/network", "Network")]
    if p.role in ("coordinator", "member"):
        items += [("/data", "Data"), ("/payments", "Payments")]
    if can_manage_suppliers(p):
        items.append(("/suppliers", "Suppliers"))
    items.append(("/reports", "Reports"))
    if can_manage_network(p):
        items += [("/admin/users", "Accounts"), ("/admin/audit", "Audit log"), ("/admin/publish", "Publish")]
    items += public + [("/account", "My account")]
    return items


def network_sections(p: Principal) -> list[tuple[str, str, str]]:
    """(path, label, what it holds) of the network pages ``p`` may open, for the Network
    page and the sub-navigation of its sections."""
    sections = [
        ("/network/members", "Members", "Who is in the network: sector, size, senior sponsor, connection to place."),
        ("/network/groups", "Working groups", "Themes, chairs and co-chairs, meetings, actions and who owns them."),
        ("/network/pledges", "Pledges", "What members have signed up to, and their progress against the target."),
    ]
    if can_see_pipeline(p):
        sections.append(("/network/pipeline", "Pipeline",
                         "Businesses being brought in: from identified to joined, with the next step."))
    sections += [
        ("/network/framework", "Progression framework",
         "Self-assessment by dimension, the next actions, and the network's anonymous picture."),
        ("/network/social-value", "Social value",
         "Commitments in members' contracts and what has been delivered against them."),
        ("/network/plans", "Action plans", "Multi-year plans, their milestones and owners, at a glance."),
    ]
    return sections
