"""Classify payees from their names: company, VCSE, public body, individual, redacted
or unknown, always with the reason.

The rules are data (``classes.yaml``; a workspace may hold its own copy) and are
compiled into one SQL CASE expression, so a million names classify in the
database. Registers refine the class later (a charity-number match makes a VCSE).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from anchornet.errors import AnchornetError
from anchornet.rulefiles import read_rule_file
from anchornet.sqltext import sql_literal

CLASSES = ("company", "vcse", "public", "individual", "redacted", "unknown")
PERSONAL_CLASSES = ("individual", "redacted")
# Classes whose names are surely organisations: the only supplier names any shared or
# public output shows.
PUBLIC_CLASSES = ("company", "vcse", "public")
WEAK_PERSON_REASON = "two or three plain words and no organisation word: possibly a person"


@dataclass
class ClassRules:
    rules: list[tuple[str, list[str]]]
    organisation_words: list[str]
    redacted_words: list[str]
    titles: list[str]

    @classmethod
    def load(cls, workspace_dir: Path | None = None) -> ClassRules:
        text = read_rule_file("anchornet.suppliers", "classes.yaml", workspace_dir)
        try:
            data = yaml.safe_load(text)
            rules = [(r["class"], [str(w).upper() for w in r["words"]]) for r in data["rules"]]
            for klass, _ in rules:
                if klass not in CLASSES:
                    raise ValueError(f"unknown class {klass!r}")
            return cls(
                rules=rules,
                organisation_words=[str(w).upper() for w in data["organisation_words"]],
                redacted_words=[str(w).upper() for w in data["redacted_words"]],
                titles=[str(w).upper() for w in data["titles"]],
            )
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise AnchornetError(f"the classification rules cannot be read: {exc}") from None


def _has_word(tokens_sql: str, word: str) -> str:
    return f"contains(' ' || {tokens_sql} || ' ', {sql_literal(' ' + word + ' ')})"


def class_sql(rules: ClassRules, name_sql: str, tokens_sql: str) -> tuple[str, str]:
    """SQL expressions for (class, reason) of a payee name. ``tokens_sql`` is sn_tokens(name)."""
    whens: list[tuple[str, str, str]] = []
    redacted = " OR ".join(_has_word(tokens_sql, w) for w in rules.redacted_words)
    whens.append((f"({tokens_sql} = '' OR {redacted})", "redacted",
                  "'the name is redacted or blank'"))
    titles = "|".join(rules.titles)
    whens.append((
        f"regexp_matches({tokens_sql}, '^({titles}) [A-Z]')", "individual",
        f"'starts with the personal title ' || regexp_extract({tokens_sql}, '^({titles}) ', 1)",
    ))
    whens.append((
        f"regexp_matches(upper({name_sql}), '\\s(T/A|T/AS|TRADING\\s+AS)\\s') "
        f"AND {_plain_person(rules, f'sn_tokens(sn_legal_part({name_sql}))')}",
        "individual", "'a person trading under another name (sole trader)'",
    ))
    for klass, words in rules.rules:
        for word in words:
            whens.append((_has_word(tokens_sql, word), klass, sql_literal(f"the name holds the word {word}")))
    whens.append((_plain_person(rules, tokens_sql), "individual", sql_literal(WEAK_PERSON_REASON)))
    klass = "CASE " + " ".join(f"WHEN {c} THEN {sql_literal(k)}" for c, k, _ in whens) + " ELSE 'unknown' END"
    reason = ("CASE " + " ".join(f"WHEN {c} THEN {r}" for c, _, r in whens)
              + " ELSE 'no sign of its type in the name' END")
    return klass, reason


def _plain_person(rules: ClassRules, tokens_sql: str) -> str:
    """Two or three plain words, none an organisation word or a word of a class rule
    (so 'ACME LIMITED' or 'ACME TRUST' is never taken for a person)."""
    words = set(rules.organisation_words) | {
        w for _, ws in rules.rules for w in ws if " " not in w
    }
    org = "|".join(sorted(words))
    return (
        f"(regexp_full_match({tokens_sql}, '[A-Z]{{2,}}( [A-Z]+){{1,2}}') "
        f"AND NOT regexp_matches(' ' || {tokens_sql} || ' ', ' ({org}) '))"
    )
