"""Shared strategies and brute-force invariant checkers for the matching engine tests.

The checkers read the JSON-like instance dict directly and follow the textbook definitions
literally, sharing no code with the engine (only the lottery, which is part of the model).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from stagebrug.matching.engine.instance import lottery_ranks

Instance = dict[str, Any]
Assignment = dict[str, str | None]


@st.composite
def tiny_instances(draw: st.DrawFn, *, supervisors: bool, ranked: bool | None = None) -> Instance:
    """At most 5 students, 4 placements and 3 choices each, so brute force stays cheap."""
    n_s = draw(st.integers(1, 5))
    n_p = draw(st.integers(1, 4))
    sids = [f"s{i}" for i in range(n_s)]
    pids = [f"p{j}" for j in range(n_p)]
    students = []
    for sid in sids:
        prefs = draw(st.lists(st.sampled_from(pids), unique=True, max_size=min(3, n_p)))
        students.append({"id": sid, "preferences": prefs})
    placements: list[dict[str, Any]] = []
    out: Instance = {"students": students, "placements": placements}
    if supervisors:
        n_v = draw(st.integers(1, 2))
        vids = [f"v{v}" for v in range(n_v)]
        sups = []
        for vid in vids:
            entry: dict[str, Any] = {"id": vid, "capacity": draw(st.integers(0, 3))}
            if ranked if ranked is not None else draw(st.booleans()):
                entry["preferences"] = draw(
                    st.permutations(sids).flatmap(
                        lambda perm: st.integers(0, len(perm)).map(lambda k, p=perm: list(p)[:k])
                    )
                )
                if draw(st.integers(0, 3)) > 0:  # mostly rank everyone
                    rest = [s for s in sids if s not in entry["preferences"]]
                    entry["preferences"] += rest
            sups.append(entry)
        out["supervisors"] = sups
        for pid in pids:
            placements.append(
                {
                    "id": pid,
                    "capacity": draw(st.integers(0, 2)),
                    "supervisor": draw(st.sampled_from(vids)),
                }
            )
    else:
        for pid in pids:
            entry = {"id": pid, "capacity": draw(st.integers(0, 2))}
            if ranked if ranked is not None else draw(st.booleans()):
                perm = list(draw(st.permutations(sids)))
                keep = draw(st.integers(0, len(perm)))
                entry["preferences"] = perm if draw(st.integers(0, 3)) else perm[:keep]
            placements.append(entry)
    out["seed"] = draw(st.integers(0, 5))
    return out


class Model:
    """The instance dict, read the slow and literal way."""

    def __init__(self, data: Instance, seed: int | None = None) -> None:
        self.data = data
        self.students = {s["id"]: list(s["preferences"]) for s in data["students"]}
        self.order = [s["id"] for s in data["students"]]
        self.placements = {p["id"]: p for p in data["placements"]}
        self.supervisors = {v["id"]: v for v in data.get("supervisors", [])}
        used = seed if seed is not None else data.get("seed", 0) or 0
        lottery = lottery_ranks(used, len(self.order))
        self.lottery = {sid: int(lottery[i]) for i, sid in enumerate(self.order)}

    def supervisor(self, p: str) -> str | None:
        return self.placements[p].get("supervisor")

    def owner_ranking(self, p: str) -> list[str] | None:
        v = self.supervisor(p)
        if v is not None:
            return self.supervisors[v].get("preferences")
        return self.placements[p].get("preferences")

    def rank(self, p: str, s: str) -> int | None:
        """Rank of s at p's owner (lower is better), None if unacceptable."""
        ranking = self.owner_ranking(p)
        if ranking is None:
            return self.lottery[s]
        return ranking.index(s) if s in ranking else None

    def acceptable(self, s: str, p: str) -> bool:
        return p in self.students[s] and self.rank(p, s) is not None

    def capacity(self, p: str) -> int:
        return int(self.placements[p]["capacity"])

    def members(self, m: Assignment, p: str) -> list[str]:
        return [s for s, q in m.items() if q == p]

    def sup_members(self, m: Assignment, v: str) -> list[str]:
        return [s for s, q in m.items() if q is not None and self.supervisor(q) == v]

    def feasible(self, m: Assignment) -> bool:
        for p in self.placements:
            if len(self.members(m, p)) > self.capacity(p):
                return False
        for v, entry in self.supervisors.items():
            if len(self.sup_members(m, v)) > entry["capacity"]:
                return False
        return all(q is None or self.acceptable(s, q) for s, q in m.items())

    def prefers(self, s: str, p: str, current: str | None) -> bool:
        prefs = self.students[s]
        return current is None or prefs.index(p) < prefs.index(current)

    def blocking_pairs(self, m: Assignment) -> set[tuple[str, str]]:
        """Every blocking pair; the SPA rule (Abraham-Irving-Manlove) where a supervisor binds."""
        out: set[tuple[str, str]] = set()
        for s in self.order:
            for p in self.students[s]:
                if not self.acceptable(s, p) or not self.prefers(s, p, m[s]):
                    continue
                r = self.rank(p, s)
                assert r is not None
                held = self.members(m, p)
                p_room = len(held) < self.capacity(p)
                worst_p = max((self.rank(p, t) for t in held), default=-1)
                v = self.supervisor(p)
                if v is None:
                    if p_room or r < worst_p:
                        out.add((s, p))
                    continue
                v_held = self.sup_members(m, v)
                v_room = len(v_held) < self.supervisors[v]["capacity"]
                worst_v = max((self.rank(p, t) for t in v_held), default=-1)
                if (
                    (p_room and v_room)
                    or (p_room and not v_room and (s in v_held or r < worst_v))
                    or (not p_room and r < worst_p)
                ):
                    out.add((s, p))
        return out

    def all_matchings(self) -> Iterator[Assignment]:
        """Every feasible matching (capacities and acceptability), by brute force."""
        options = [
            [None] + [p for p in self.students[s] if self.acceptable(s, p)] for s in self.order
        ]
        for combo in itertools.product(*options):
            m = dict(zip(self.order, combo, strict=True))
            if self.feasible(m):
                yield m

    def choice(self, s: str, p: str | None) -> int | None:
        return None if p is None else self.students[s].index(p) + 1


def as_assignment(result_dict: dict[str, Any], data: Instance) -> Assignment:
    placed = result_dict["assignment"]
    return {s["id"]: placed.get(s["id"]) for s in data["students"]}
