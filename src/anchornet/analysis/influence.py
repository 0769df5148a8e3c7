"""Influenceable-spend rules: data, compiled to SQL, with their effect always shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from anchornet.errors import AnchornetError
from anchornet.rulefiles import read_rule_file
from anchornet.sqltext import sql_literal


@dataclass
class Rule:
    name: str
    why: str
    payee_classes: list[str]
    category_matches: str | None

    def sql(self, categories: list[str] | None = None) -> str:
        """SQL for "this rule excludes the payment". With the list of categories that
        occur, a category pattern is matched here once per category, not per payment."""
        parts = []
        if self.payee_classes:
            classes = ", ".join(sql_literal(c) for c in self.payee_classes)
            parts.append(f"payee_class IN ({classes})")
        if self.category_matches:
            if categories is None:
                parts.append(f"regexp_matches(coalesce(category, ''), {sql_literal(self.category_matches)})")
            else:
                pattern = re.compile(self.category_matches)
                hits = [c for c in categories if pattern.search(c)]
                if hits:
                    parts.append("category IN (" + ", ".join(sql_literal(c) for c in hits) + ")")
        return "(" + " OR ".join(parts) + ")" if parts else "false"


def load_rules(workspace_dir: Path | None = None) -> list[Rule]:
    text = read_rule_file("anchornet.analysis", "influence.yaml", workspace_dir)
    try:
        data = yaml.safe_load(text) or {}
        return [
            Rule(r["name"], r.get("why", ""), list(r.get("payee_classes", []) or []),
                 r.get("category_matches"))
            for r in data.get("exclude", []) or []
        ]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise AnchornetError(f"the influenceable-spend rules cannot be read: {exc}") from None


def excluded_by_sql(rules: list[Rule], categories: list[str] | None = None) -> str:
    """SQL giving the name of the first rule that excludes a payment, or NULL."""
    if not rules:
        return "CAST(NULL AS VARCHAR)"
    whens = " ".join(f"WHEN {r.sql(categories)} THEN {sql_literal(r.name)}" for r in rules)
    return f"CASE {whens} END"
