"""Measure resolution against hand-labelled pairs, and train the model's m from them.

A labelled pair is predicted "same" when both names end up in one supplier entity.
Precision and recall are counted over the labelled pairs whose names are both in the
workspace. Training sets each level's m to its share among the labelled matches.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from anchornet.errors import AnchornetError
from anchornet.suppliers.model import Model, _payees, levels_for


@dataclass
class Label:
    name_a: str
    name_b: str
    same: bool
    confident: bool


def load_labels(path: Path) -> list[Label]:
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return [
            Label(r["name_a"], r["name_b"], r["label"].strip() == "1",
                  r.get("confidence", "high").strip() != "low")
            for r in rows
        ]
    except (OSError, KeyError) as exc:
        raise AnchornetError(f"cannot read labels from {path}: {exc}") from None


@dataclass
class Scores:
    pairs: int
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        real = self.true_positive + self.false_negative
        return self.true_positive / real if real else 1.0

    def to_dict(self) -> dict:
        return {**self.__dict__, "precision": round(self.precision, 4), "recall": round(self.recall, 4)}


def evaluate(con, labels: list[Label]) -> Scores:
    entities: dict[str, set] = {}
    for name, entity in con.execute("SELECT supplier_name, entity_id FROM payees").fetchall():
        entities.setdefault(name, set()).add(entity)
    tp = fp = fn = tn = n = 0
    for label in labels:
        if label.name_a not in entities or label.name_b not in entities:
            continue
        n += 1
        a = {e for e in entities[label.name_a] if e is not None}
        b = {e for e in entities[label.name_b] if e is not None}
        predicted = bool(a & b)
        if predicted and label.same:
            tp += 1
        elif predicted:
            fp += 1
        elif label.same:
            fn += 1
        else:
            tn += 1
    return Scores(n, tp, fp, fn, tn)


def train_m(con, labels: list[Label], model: Model, smoothing: float = 1.0) -> Model:
    """m for each level = its share among labelled matches (Laplace-smoothed)."""
    payees = _payees(con)
    names = dict(con.execute("SELECT payee_id, supplier_name FROM payees").fetchall())
    by_name: dict[str, tuple] = {}
    for pid, attrs in sorted(payees.items()):
        by_name.setdefault(names[pid], attrs)
    counts = {c: dict.fromkeys(levels, 0.0) for c, levels in model.levels.items()}
    for label in labels:
        if not label.same or label.name_a not in by_name or label.name_b not in by_name:
            continue
        for comparison, level in levels_for(by_name[label.name_a], by_name[label.name_b]).items():
            counts[comparison][level] += 1
    levels = {}
    for comparison, by_level in model.levels.items():
        total = sum(counts[comparison].values()) + smoothing * len(by_level)
        levels[comparison] = {
            level: {"m": round((counts[comparison][level] + smoothing) / total, 6), "u": p["u"]}
            for level, p in by_level.items()
        }
    return Model(model.prior, model.threshold, model.review_band, levels)


def folds(labels: list[Label], k: int, seed: int = 7) -> list[list[Label]]:
    shuffled = labels[:]
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]
