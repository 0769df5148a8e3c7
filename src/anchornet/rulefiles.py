"""Rule files that a network may replace: the workspace's own copy, else the shipped one.

Rules users may want to change (payee classes, the matching model, what spend counts,
the category-to-SIC table) are YAML files shipped with the package; a workspace can hold
its own copy under the same or a given name, which then wins.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def read_rule_file(package: str, name: str, workspace_dir: Path | None = None,
                   workspace_name: str | None = None) -> str:
    own = workspace_dir / (workspace_name or name) if workspace_dir else None
    if own is not None and own.exists():
        return own.read_text(encoding="utf-8")
    return resources.files(package).joinpath(name).read_text("utf-8")

