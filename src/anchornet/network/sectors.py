"""Member sectors: one list, used by member profiles, the framework (which default a member
takes) and the reports."""

from __future__ import annotations

# code -> (label, kind); kind "public" takes the public-anchor framework (with Service
# Delivery), "business" the business-anchor framework.
SECTORS: dict[str, tuple[str, str]] = {
    "local_authority": ("Local authority", "public"),
    "nhs": ("NHS", "public"),
    "higher_education": ("Higher education", "public"),
    "further_education": ("Further education", "public"),
    "housing": ("Housing association", "public"),
    "other_public": ("Other public body", "public"),
    "business": ("Private business", "business"),
    "vcse": ("Voluntary, community or social enterprise", "business"),
}

ROLES_IN_NETWORK: dict[str, str] = {
    "founding": "Founding member",
    "core": "Core member",
    "associate": "Associate (through a chamber of commerce or business group)",
}


def sector_label(code: str | None) -> str:
    return SECTORS[code][0] if code in SECTORS else "not recorded"


def sector_kind(code: str | None) -> str | None:
    """'public' or 'business'; None when the sector is not recorded."""
    return SECTORS[code][1] if code in SECTORS else None
