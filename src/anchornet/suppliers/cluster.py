"""Group payees into supplier entities, with ids that survive re-runs and new data.

Edges are the scored pairs at or above the model's threshold, plus the
coordinator's merges, minus every automatic edge that touches a payee the
coordinator split off. An entity keeps the id most of its payees had before, so
adding data or re-running never renames a supplier; an id that disappears because
two entities merged is kept as an alias.
"""

from __future__ import annotations

from collections import Counter, defaultdict


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def clusters(
    payees: list[int],
    edges: list[tuple[int, int]],
    merges: list[tuple[int, int]],
    splits: set[int],
) -> dict[int, list[int]]:
    uf = UnionFind()
    for p in payees:
        uf.find(p)
    for a, b in edges:
        if a in splits or b in splits:
            continue
        uf.union(a, b)
    for a, b in merges:
        uf.union(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for p in payees:
        groups[uf.find(p)].append(p)
    return groups


def stable_ids(
    groups: dict[int, list[int]], previous: dict[int, int | None]
) -> tuple[dict[int, int], dict[int, int]]:
    """Give each group an entity id: (payee -> entity id, retired id -> new id)."""
    claims: list[tuple[int, int, int]] = []  # (-votes, old id, group root)
    for root, members in groups.items():
        votes = Counter(previous.get(p) for p in members if previous.get(p) is not None)
        for old, n in votes.items():
            claims.append((-n, old, root))
    claims.sort()
    taken_ids: set[int] = set()
    chosen: dict[int, int] = {}
    for _, old, root in claims:
        if root in chosen or old in taken_ids:
            continue
        chosen[root] = old
        taken_ids.add(old)
    assignment: dict[int, int] = {}
    for root, members in groups.items():
        if root not in chosen:
            fresh = min(p for p in members if p not in taken_ids) if any(
                p not in taken_ids for p in members) else min(members)
            chosen[root] = fresh
            taken_ids.add(fresh)
        for p in members:
            assignment[p] = chosen[root]
    aliases: dict[int, int] = {}
    for p, old in previous.items():
        if old is not None and old not in taken_ids and p in assignment:
            aliases[old] = assignment[p]
    return assignment, aliases
