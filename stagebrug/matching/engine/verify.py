"""Independent verifier: is an assignment valid, and which pairs block it?

Written apart from the solver on purpose (it shares only the instance arrays and the definition
of the lottery): instead of the solver's edge-aligned rank array it turns the owners' rankings
around into short per-student lists, and it checks every rule in one compiled pass whose
conditions read like the definitions below, without building large temporaries. Checks:

* every assigned pair is acceptable: the student listed the placement, and the placement (or its
  supervisor) ranks the student -- or uses the lottery, which ranks everyone;
* no placement and no supervisor holds more students than its capacity;
* every blocking pair, for both models:

  - placements (hospitals/residents): ``(s, p)`` blocks when both find each other acceptable,
    ``s`` is unassigned or prefers ``p`` to its placement, and ``p`` has a free seat or ranks
    ``s`` above one of its students;
  - supervisors (Abraham-Irving-Manlove SPA-student), with ``v`` the supervisor of ``p``:
    ``(s, p)`` is acceptable, ``s`` is unassigned or prefers ``p``, and either (a) ``p`` and
    ``v`` both have room; or (b) ``p`` has room, ``v`` is full, and ``s`` is already one of
    ``v``'s students or ``v`` ranks ``s`` above its worst student; or (c) ``p`` is full and ``v``
    ranks ``s`` above the worst student in ``p``;

* how many students got their 1st, 2nd, ... choice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from stagebrug.matching.engine.instance import Instance, InstanceError, decode_json, lottery_ranks

__all__ = ["ResultError", "Verification", "VerifiedResult", "read_result", "verify_assignment"]


class ResultError(InstanceError):
    """A result file does not fit its instance (unknown ids, a student placed twice, ...)."""


@dataclass
class Verification:
    """What the verifier found. ``valid`` covers capacities and acceptability only."""

    assigned: int
    students: int
    by_choice: dict[int, int]
    over_full_placements: list[tuple[int, int, int]] = field(default_factory=list)
    over_full_supervisors: list[tuple[int, int, int]] = field(default_factory=list)
    unacceptable: list[tuple[int, int]] = field(default_factory=list)
    blocking_pairs: NDArray[np.int64] = field(
        default_factory=lambda: np.zeros((0, 2), dtype=np.int64)
    )
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Capacities respected, only acceptable pairs, and a well-formed result."""
        return not (
            self.over_full_placements
            or self.over_full_supervisors
            or self.unacceptable
            or self.problems
        )

    @property
    def stable(self) -> bool:
        return len(self.blocking_pairs) == 0

    def passes(self, mode: str) -> bool:
        """The exit criterion of ``stagebrug-match verify``: valid, and stable in stable mode."""
        return self.valid and (mode == "welfare" or self.stable)

    def messages(self, instance: Instance, limit: int | None = 20) -> list[str]:
        """Human-readable findings, each naming the entries involved (at most ``limit`` each)."""
        sids, pids, vids = instance.student_ids, instance.placement_ids, instance.supervisor_ids
        out = list(self.problems[:limit])
        for j, count, cap in self.over_full_placements[:limit]:
            out.append(f"placement {pids[j]!r} holds {count} students but has {cap} seats")
        for v, count, cap in self.over_full_supervisors[:limit]:
            out.append(f"supervisor {vids[v]!r} has {count} students but capacity {cap}")
        for s, j in self.unacceptable[:limit]:
            out.append(f"student {sids[s]!r} is placed at {pids[j]!r}, which is not acceptable")
        shown = self.blocking_pairs if limit is None else self.blocking_pairs[:limit]
        for s, j in shown.tolist():
            out.append(f"blocking pair: student {sids[s]!r} and placement {pids[j]!r}")
        if limit is not None and len(self.blocking_pairs) > limit:
            out.append(f"... and {len(self.blocking_pairs) - limit} more blocking pairs")
        return out


@njit(cache=True)
def _by_student(
    n_students: int, list_ptr: NDArray[np.int64], list_student: NDArray[np.int32]
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int32]]:
    """Turn the owners' rankings around: per student, the (owner, position) pairs ranking them.

    A counting sort by student; rank lookups then scan one student's short list.
    """
    start = np.zeros(n_students + 1, dtype=np.int64)
    for t in range(len(list_student)):
        start[list_student[t] + 1] += 1
    for s in range(n_students):
        start[s + 1] += start[s]
    fill = start[:-1].copy()
    owner = np.empty(len(list_student), dtype=np.int32)
    position = np.empty(len(list_student), dtype=np.int32)
    for o in range(len(list_ptr) - 1):
        for t in range(list_ptr[o], list_ptr[o + 1]):
            s = list_student[t]
            owner[fill[s]] = o
            position[fill[s]] = t - list_ptr[o]
            fill[s] += 1
    return start, owner, position


@njit(cache=True, inline="always")
def _rank(
    s: int,
    o: int,
    owner_ranked: NDArray[np.bool_],
    start: NDArray[np.int64],
    owner: NDArray[np.int32],
    position: NDArray[np.int32],
    lottery: NDArray[np.int32],
) -> int:
    """Rank of student s at owner o; -1 when o keeps a list without s; the lottery otherwise."""
    if not owner_ranked[o]:
        return np.int64(lottery[s])
    for x in range(start[s], start[s + 1]):
        if owner[x] == o:
            return np.int64(position[x])
    return np.int64(-1)


@njit(cache=True)
def _check(
    choice_ptr: NDArray[np.int64],
    choices: NDArray[np.int32],
    placement_of: NDArray[np.int64],
    sup_of: NDArray[np.int32],
    capacity: NDArray[np.int32],
    sup_capacity: NDArray[np.int32],
    owner_ranked: NDArray[np.bool_],
    list_ptr: NDArray[np.int64],
    list_student: NDArray[np.int32],
    lottery: NDArray[np.int32],
) -> tuple[
    NDArray[np.int64],
    NDArray[np.bool_],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
]:
    """One pass for acceptability, counts and worst ranks; then every blocking pair.

    Owners: placement p is owner p, supervisor v is owner P + v; a placement with a supervisor
    is ranked by that supervisor. Returns (choice number per student or 0, unacceptable
    students, placement counts, supervisor counts, blocking students, blocking placements).
    """
    n = len(choice_ptr) - 1
    n_p = len(capacity)
    n_v = len(sup_capacity)
    start, owner, position = _by_student(n, list_ptr, list_student)
    got = np.zeros(n, dtype=np.int64)  # 1-based position of the assigned placement; 0 = none
    count_p = np.zeros(n_p, dtype=np.int64)
    count_v = np.zeros(n_v, dtype=np.int64)
    worst_p = np.full(n_p, -1, dtype=np.int64)
    worst_v = np.full(n_v, -1, dtype=np.int64)
    bad = np.zeros(n, dtype=np.bool_)
    for s in range(n):
        p = placement_of[s]
        if p < 0:
            continue
        count_p[p] += 1
        v = sup_of[p]
        if v >= 0:
            count_v[v] += 1
        for k in range(choice_ptr[s], choice_ptr[s + 1]):
            if choices[k] == p:
                got[s] = k - choice_ptr[s] + 1
                break
        o = p if v < 0 else n_p + v
        r = _rank(s, o, owner_ranked, start, owner, position, lottery)
        if got[s] == 0 or r < 0:
            bad[s] = True
            continue
        if r > worst_p[p]:
            worst_p[p] = r
        if v >= 0 and r > worst_v[v]:
            worst_v[v] = r
    blocks = 0
    out_s = np.empty(0, dtype=np.int64)
    out_p = np.empty(0, dtype=np.int64)
    for sweep in range(2):
        if sweep == 1:
            out_s = np.empty(blocks, dtype=np.int64)
            out_p = np.empty(blocks, dtype=np.int64)
            blocks = 0
        for s in range(n):
            # Only placements s prefers to what s has (all of them when s is unplaced).
            end = choice_ptr[s + 1] if got[s] == 0 else choice_ptr[s] + got[s] - 1
            current = placement_of[s]
            my_sup = -1 if current < 0 else sup_of[current]
            for k in range(choice_ptr[s], end):
                p = choices[k]
                v = sup_of[p]
                o = p if v < 0 else n_p + v
                r = _rank(s, o, owner_ranked, start, owner, position, lottery)
                if r < 0:
                    continue  # not acceptable to the placement or its supervisor
                p_room = count_p[p] < capacity[p]
                if v < 0:
                    blocking = p_room or r < worst_p[p]
                else:
                    v_room = count_v[v] < sup_capacity[v]
                    blocking = (
                        (p_room and v_room)
                        or (p_room and not v_room and (my_sup == v or r < worst_v[v]))
                        or (not p_room and r < worst_p[p])
                    )
                if blocking:
                    if sweep == 1:
                        out_s[blocks] = s
                        out_p[blocks] = p
                    blocks += 1
    return got, bad, count_p, count_v, out_s, out_p


def verify_assignment(
    instance: Instance, placement_of: NDArray[np.integer[Any]], *, seed: int | None = None
) -> Verification:
    """Check an assignment (placement index per student, -1 = unassigned) against an instance.

    ``seed`` is the lottery seed the result was computed with (default: the instance's).
    """
    n_s, n_p = instance.n_students, instance.n_placements
    placement_of = np.ascontiguousarray(placement_of, dtype=np.int64)
    if placement_of.shape != (n_s,):
        raise ValueError("placement_of needs one entry per student")
    if n_s and (placement_of.min() < -1 or placement_of.max() >= n_p):
        raise ValueError("placement_of holds an index that is not a placement")
    lottery = lottery_ranks(instance.effective_seed(seed), n_s)
    owner_ranked = np.concatenate([instance.placement_ranked, instance.supervisor_ranked])
    list_ptr = np.concatenate(
        [instance.ranking_ptr, instance.ranking_ptr[-1] + instance.supervisor_ranking_ptr[1:]]
    )
    list_student = np.concatenate([instance.ranking, instance.supervisor_ranking])
    got, bad, count_p, count_v, block_s, block_p = _check(
        instance.choice_ptr,
        instance.choices,
        placement_of,
        instance.supervisor_of,
        instance.capacity,
        instance.supervisor_capacity,
        owner_ranked,
        list_ptr,
        list_student,
        lottery,
    )
    report = Verification(
        assigned=int(np.count_nonzero(placement_of >= 0)), students=n_s, by_choice={}
    )
    report.unacceptable = [(s, int(placement_of[s])) for s in np.flatnonzero(bad).tolist()]
    report.over_full_placements = [
        (j, int(count_p[j]), int(instance.capacity[j]))
        for j in np.flatnonzero(count_p > instance.capacity).tolist()
    ]
    report.over_full_supervisors = [
        (v, int(count_v[v]), int(instance.supervisor_capacity[v]))
        for v in np.flatnonzero(count_v > instance.supervisor_capacity).tolist()
    ]
    counts = np.bincount(got[got > 0])
    report.by_choice = {int(c): int(f) for c, f in enumerate(counts.tolist()) if c and f}
    report.blocking_pairs = np.stack([block_s, block_p], axis=1)
    return report


# --------------------------------------------------------------------------------------------
# Reading a result file
# --------------------------------------------------------------------------------------------


@dataclass
class VerifiedResult:
    """A result file mapped onto its instance's indices."""

    placement_of: NDArray[np.int64]
    mode: str
    seed: int | None
    claimed: dict[str, Any]
    problems: list[str]


def load_result(data: Mapping[str, Any], instance: Instance) -> VerifiedResult:
    """Map a JSON-like result onto indices; unknown ids raise :class:`ResultError`.

    Inconsistencies that make the result wrong rather than unreadable (a student both placed and
    listed as unassigned, a student missing from both, statistics that do not add up) are
    returned as ``problems`` so the verifier reports them with everything else.
    """
    if not isinstance(data, Mapping):
        raise ResultError("the result must be a JSON object")
    assignment = data.get("assignment")
    if not isinstance(assignment, Mapping):
        raise ResultError("the result has no 'assignment' object")
    mode = data.get("mode", "stable")
    if mode not in ("stable", "welfare"):
        raise ResultError(f"the result's 'mode' must be 'stable' or 'welfare', not {mode!r}")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ResultError(f"the result's 'seed' must be a non-negative integer, not {seed!r}")
    s_index = instance.student_index()
    p_index = instance.placement_index()
    placement_of = np.full(instance.n_students, -1, dtype=np.int64)
    keys = list(assignment.keys())
    values = list(assignment.values())
    try:
        rows = np.fromiter(map(s_index.__getitem__, keys), dtype=np.int64, count=len(keys))
    except (KeyError, TypeError):
        bad = next(k for k in keys if k not in s_index)
        raise ResultError(f"the result assigns unknown student {bad!r}") from None
    try:
        cols = np.fromiter(map(p_index.__getitem__, values), dtype=np.int64, count=len(values))
    except (KeyError, TypeError):
        at = next(i for i, v in enumerate(values) if not isinstance(v, str) or v not in p_index)
        raise ResultError(
            f"the result places student {keys[at]!r} at unknown placement {values[at]!r}"
        ) from None
    placement_of[rows] = cols
    problems: list[str] = []
    unassigned = data.get("unassigned", [])
    if not isinstance(unassigned, list):
        raise ResultError("the result's 'unassigned' must be a list of student ids")
    listed = np.zeros(instance.n_students, dtype=np.bool_)
    for sid in unassigned:
        i = s_index.get(sid) if isinstance(sid, str) else None
        if i is None:
            raise ResultError(f"the result lists unknown student {sid!r} as unassigned")
        if placement_of[i] >= 0:
            problems.append(f"student {sid!r} is both assigned and listed as unassigned")
        if listed[i]:
            problems.append(f"student {sid!r} is listed as unassigned twice")
        listed[i] = True
    missing = np.flatnonzero((placement_of < 0) & ~listed)
    if "unassigned" in data and len(missing):
        sid = instance.student_ids[int(missing[0])]
        problems.append(
            f"student {sid!r} is neither assigned nor listed as unassigned"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
        )
    claimed = data.get("stats", {})
    if not isinstance(claimed, Mapping):
        raise ResultError("the result's 'stats' must be an object")
    return VerifiedResult(
        placement_of=placement_of, mode=mode, seed=seed, claimed=dict(claimed), problems=problems
    )


def _assignment_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ResultError(f"the result lists student {key!r} twice")
            seen.add(key)
    return out


def read_result(source: str | Path | bytes, instance: Instance) -> VerifiedResult:
    """Read a result file (or its bytes) for :func:`verify_assignment`."""
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise ResultError(f"cannot read {str(source)!r}: {exc.strerror}") from None
    try:
        data = json.loads(raw, object_pairs_hook=_assignment_hook)
    except json.JSONDecodeError:
        data = decode_json(raw, "result")  # raises with line and column
    except UnicodeDecodeError as exc:
        raise ResultError(f"the result is not UTF-8 text: {exc.reason}") from None
    return load_result(data, instance)


def check_claims(report: Verification, claimed: Mapping[str, Any]) -> list[str]:
    """Compare the result's own statistics with what the verifier counted."""
    out: list[str] = []
    if "assigned" in claimed and claimed["assigned"] != report.assigned:
        out.append(
            f"stats.assigned says {claimed['assigned']!r} but {report.assigned} students are placed"
        )
    if "students" in claimed and claimed["students"] != report.students:
        out.append(
            f"stats.students says {claimed['students']!r} but the instance has {report.students}"
        )
    by_choice = claimed.get("by_choice")
    if isinstance(by_choice, Mapping):
        mine = {str(k): v for k, v in report.by_choice.items()}
        if {str(k): v for k, v in by_choice.items()} != mine:
            out.append("stats.by_choice does not match the assignment")
    return out
