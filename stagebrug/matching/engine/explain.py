"""Per-student explanations: which choice you got, and why not each higher choice.

W2/W14 ask for matching that students and schools can trust; a stable allocation is only
trusted when each student can see why they did not get what they ranked higher. For every
higher choice the reason is one of: the placement (or its supervisor) did not rank you; it has
no seats; it was full with students it -- or its supervisor, or the lottery -- ranked higher;
its supervisor was full with such students; or, in welfare mode only, the seat went elsewhere to
place more students. Explanations give counts, never other students' ids or names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from stagebrug.matching.engine.api import Result
from stagebrug.matching.engine.core import prepare
from stagebrug.matching.engine.instance import Instance, InstanceError

__all__ = ["Explainer", "Explanation", "Reason", "explain"]


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


@dataclass(frozen=True)
class Reason:
    """Why the student did not get one of their higher choices."""

    choice: int
    placement: str
    code: str
    text: str


@dataclass
class Explanation:
    """What a student got and why not better; safe to show to that student."""

    student: str
    placement: str | None
    choice: int | None
    summary: str
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        lines = [self.summary]
        lines += [f"  {_ordinal(r.choice)} choice {r.placement}: {r.text}" for r in self.reasons]
        return "\n".join(lines)


class Explainer:
    """Explains many students of one result; the per-placement state is computed once."""

    def __init__(self, instance: Instance, result: Result) -> None:
        self.instance = instance
        self.result = result
        prepared = prepare(instance, result.seed)
        self.edge_rank = prepared.edge_rank
        self.owner_of = prepared.owner_of
        self.owner_capacity = prepared.owner_capacity
        self.supervised = prepared.supervised
        n = instance.n_students
        placed = np.flatnonzero(result.placement_of >= 0)
        held_edge = instance.choice_ptr[placed] + result.choice_of[placed] - 1
        held_rank = self.edge_rank[held_edge].astype(np.int64)
        held_place = result.placement_of[placed]
        self.count = np.bincount(held_place, minlength=instance.n_placements)
        self.worst = np.full(instance.n_placements, -1, dtype=np.int64)
        np.maximum.at(self.worst, held_place, held_rank)
        n_owners = len(self.owner_capacity)
        held_owner = self.owner_of[held_place]
        self.owner_count = np.bincount(held_owner, minlength=n_owners)
        self.owner_worst = np.full(n_owners, -1, dtype=np.int64)
        np.maximum.at(self.owner_worst, held_owner, held_rank)
        self.owner_of_student = np.full(n, -1, dtype=np.int64)
        self.owner_of_student[placed] = held_owner
        self._index: dict[str, int] | None = None

    def _ranked_by(self, j: int) -> str:
        """Who ranked the students that filled placement ``j`` above this student."""
        inst = self.instance
        v = inst.supervisor_of[j]
        if v >= 0:
            if inst.supervisor_ranked[v]:
                return "its supervisor ranked higher than you"
            return "ahead of you in the lottery (its supervisor has no ranking of their own)"
        if inst.placement_ranked[j]:
            return "it ranked higher than you"
        return "ahead of you in the lottery (it takes everyone who chose it, in lottery order)"

    def _reason(self, s: int, choice: int, edge: int) -> Reason:
        inst = self.instance
        j = int(inst.choices[edge])
        pid = inst.placement_ids[j]
        r = int(self.edge_rank[edge])
        o = int(self.owner_of[j])
        cap = int(inst.capacity[j])
        supervised = inst.supervisor_of[j] >= 0
        if r < 0:
            who = "its supervisor" if supervised else "the placement"
            return Reason(
                choice, pid, "not_ranked", f"{who} did not rank you, so it cannot take you"
            )
        if cap == 0:
            return Reason(choice, pid, "no_seats", "it has no seats in this round")
        if supervised and int(self.owner_capacity[o]) == 0:
            return Reason(
                choice,
                pid,
                "supervisor_full",
                "its supervisor cannot take any students in this round",
            )
        if self.count[j] >= cap and self.worst[j] < r:
            taken = (
                "its only seat went to a student"
                if cap == 1
                else (f"all {cap} seats went to students")
            )
            return Reason(choice, pid, "full", f"full: {taken} {self._ranked_by(j)}")
        ocap = int(self.owner_capacity[o])
        if (
            supervised
            and self.owner_count[o] >= ocap
            and self.owner_worst[o] < r
            and self.owner_of_student[s] != o
        ):
            return Reason(
                choice,
                pid,
                "supervisor_full",
                "it has a free seat, but its supervisor is full: they can take"
                f" {ocap} student{'s' if ocap != 1 else ''} and already have"
                f" {'that many' if ocap != 1 else 'one'}, all "
                + (
                    "ranked higher than you by the supervisor"
                    if inst.supervisor_ranked[inst.supervisor_of[j]]
                    else "ahead of you in the lottery"
                ),
            )
        if self.result.mode == "welfare":
            return Reason(
                choice,
                pid,
                "welfare",
                "under the stable rules you could have had a seat here, but welfare mode gave it"
                " away to place more students, or to give students better choices overall",
            )
        return Reason(
            choice,
            pid,
            "unexplained",
            "this pair blocks the result; please report it to the coordinator",
        )

    def explain_index(self, s: int) -> Explanation:
        inst = self.instance
        sid = inst.student_ids[s]
        begin, end = int(inst.choice_ptr[s]), int(inst.choice_ptr[s + 1])
        got = int(self.result.choice_of[s])
        if got > 0:
            pid = inst.placement_ids[int(self.result.placement_of[s])]
            summary = f"You got your {_ordinal(got)} choice, {pid}."
            higher = range(begin, begin + got - 1)
        else:
            pid = None
            summary = (
                "You were not placed in this round."
                if end > begin
                else "You were not placed: you did not choose any placement."
            )
            higher = range(begin, end)
        reasons = [self._reason(s, k - begin + 1, k) for k in higher]
        return Explanation(
            student=sid, placement=pid, choice=got or None, summary=summary, reasons=reasons
        )

    def explain(self, student_id: str) -> Explanation:
        if self._index is None:
            self._index = self.instance.student_index()
        s = self._index.get(student_id)
        if s is None:
            raise InstanceError(f"unknown student {student_id!r}")
        return self.explain_index(s)


def explain(instance: Instance, result: Result, student_id: str) -> Explanation:
    """Explain one student's outcome (use :class:`Explainer` for many students)."""
    return Explainer(instance, result).explain(student_id)
