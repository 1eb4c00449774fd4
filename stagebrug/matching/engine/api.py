"""The public façade: ``solve(instance, mode=...)`` and the :class:`Result` it returns."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from stagebrug.matching.engine import _kernels
from stagebrug.matching.engine._fastjson import id_tokens
from stagebrug.matching.engine.core import deferred_acceptance, prepare
from stagebrug.matching.engine.instance import SEAT_LABELS, Instance, InstanceError, load_instance
from stagebrug.matching.engine.verify import Verification, verify_assignment

__all__ = ["MODES", "Mode", "Result", "solve"]

Mode = Literal["stable", "welfare"]
MODES: tuple[str, ...] = ("stable", "welfare")


@dataclass
class Result:
    """An assignment plus what a coordinator needs to judge it.

    ``placement_of[i]`` is the placement index of student ``i`` (-1: unassigned) and
    ``choice_of[i]`` the 1-based position of that placement in the student's list (0: none).
    ``blocking_pairs`` holds (student, placement) index pairs: always empty for the stable mode,
    counted by the independent verifier for the welfare mode.
    """

    instance: Instance
    mode: str
    seed: int
    placement_of: NDArray[np.int64]
    choice_of: NDArray[np.int64]
    proposals: int
    seconds: float
    blocking_pairs: NDArray[np.int64] = field(
        default_factory=lambda: np.zeros((0, 2), dtype=np.int64)
    )
    verification: Verification | None = None

    @property
    def assigned(self) -> int:
        return int(np.count_nonzero(self.placement_of >= 0))

    @property
    def by_choice(self) -> dict[int, int]:
        """How many students got their 1st, 2nd, ... choice."""
        counts = np.bincount(self.choice_of[self.choice_of > 0])
        return {int(k): int(c) for k, c in enumerate(counts) if k > 0 and c > 0}

    @property
    def assignment(self) -> dict[str, str]:
        """Student id -> placement id for every placed student."""
        sids, pids = self.instance.student_ids, self.instance.placement_ids
        placed = np.flatnonzero(self.placement_of >= 0)
        return {
            sids[i]: pids[j]
            for i, j in zip(placed.tolist(), self.placement_of[placed].tolist(), strict=True)
        }

    @property
    def unassigned(self) -> list[str]:
        sids = self.instance.student_ids
        return [sids[i] for i in np.flatnonzero(self.placement_of < 0).tolist()]

    def placement_counts(self) -> NDArray[np.int64]:
        return np.bincount(
            self.placement_of[self.placement_of >= 0], minlength=self.instance.n_placements
        )

    @property
    def half_filled_duos(self) -> list[dict[str, str]]:
        """Duos (W21) with one seat filled and the other empty, so a coordinator can follow up."""
        inst = self.instance
        assert inst.duo_of is not None and inst.seat_of is not None
        if not inst.duo_ids:
            return []
        filled = self.placement_counts() > 0
        members = np.flatnonzero(inst.duo_of >= 0)
        out: list[dict[str, str]] = []
        by_duo: dict[int, dict[int, bool]] = {}
        for j in members.tolist():
            by_duo.setdefault(int(inst.duo_of[j]), {})[int(inst.seat_of[j])] = bool(filled[j])
        for d in sorted(by_duo):
            seats = by_duo[d]
            taken = [code for code, full in seats.items() if full]
            if len(taken) == 1:
                empty = next(code for code in seats if code != taken[0])
                out.append(
                    {
                        "duo": inst.duo_ids[d],
                        "filled": SEAT_LABELS[taken[0]],
                        "empty": SEAT_LABELS[empty],
                    }
                )
        return out

    def stats(self) -> dict[str, Any]:
        return {
            "students": self.instance.n_students,
            "assigned": self.assigned,
            "by_choice": {str(k): v for k, v in self.by_choice.items()},
            "proposals": self.proposals,
            "seconds": round(self.seconds, 6),
        }

    def _blocking_list(self) -> list[list[str]]:
        sids, pids = self.instance.student_ids, self.instance.placement_ids
        return [[sids[s], pids[j]] for s, j in self.blocking_pairs.tolist()]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-like result (see docs/matching-engine.md)."""
        return {
            "assignment": self.assignment,
            "unassigned": self.unassigned,
            "stats": self.stats(),
            "blocking_pairs": self._blocking_list(),
            "half_filled_duos": self.half_filled_duos,
            "mode": self.mode,
            "model": self.instance.model,
            "seed": self.seed,
        }

    def to_json_bytes(self) -> bytes:
        """The same JSON as ``json.dumps(to_dict())``, assembled by compiled loops at scale."""
        import json

        inst = self.instance
        stok = inst._tokens.get("students")
        if stok is None:
            stok = inst._tokens["students"] = id_tokens(inst.student_ids)
        ptok = inst._tokens.get("placements")
        if ptok is None:
            ptok = inst._tokens["placements"] = id_tokens(inst.placement_ids)
        placed = np.flatnonzero(self.placement_of >= 0).astype(np.int32)
        pairs = _kernels.write_pairs(
            placed, stok[0], stok[1], self.placement_of[placed].astype(np.int32), ptok[0], ptok[1]
        )
        unplaced = np.flatnonzero(self.placement_of < 0).astype(np.int32)
        missing = _kernels.write_list(unplaced, stok[0], stok[1])
        rest = {
            "stats": self.stats(),
            "blocking_pairs": self._blocking_list(),
            "half_filled_duos": self.half_filled_duos,
            "mode": self.mode,
            "model": inst.model,
            "seed": self.seed,
        }
        tail = json.dumps(rest, ensure_ascii=False, separators=(",", ":")).encode()
        return b"".join(
            [
                b'{"assignment":{',
                pairs.tobytes(),
                b'},"unassigned":[',
                missing.tobytes(),
                b"],",
                tail[1:],
            ]
        )


def result_from_assignment(
    instance: Instance, placement_of: NDArray[np.integer[Any]], *, mode: str, seed: int
) -> Result:
    """Rebuild a :class:`Result` from a stored assignment (e.g. a result file), for explanations.

    Raises :class:`InstanceError` if a student is placed somewhere they did not choose.
    """
    placement_of = np.asarray(placement_of, dtype=np.int64)
    n = instance.n_students
    edge_student = np.repeat(np.arange(n, dtype=np.int64), np.diff(instance.choice_ptr))
    hit = placement_of[edge_student] == instance.choices
    choice_of = np.zeros(n, dtype=np.int64)
    choice_of[edge_student[hit]] = np.flatnonzero(hit) - instance.choice_ptr[edge_student[hit]] + 1
    stray = np.flatnonzero((placement_of >= 0) & (choice_of == 0))
    if len(stray):
        s = int(stray[0])
        raise InstanceError(
            f"student {instance.student_ids[s]!r} is placed at"
            f" {instance.placement_ids[int(placement_of[s])]!r}, which they did not choose"
        )
    return Result(
        instance=instance,
        mode=mode,
        seed=seed,
        placement_of=placement_of,
        choice_of=choice_of,
        proposals=0,
        seconds=0.0,
    )


def _coerce(instance: Instance | Mapping[str, Any]) -> Instance:
    if isinstance(instance, Instance):
        return instance
    if isinstance(instance, Mapping):
        return load_instance(instance)
    raise InstanceError("solve() needs an Instance or a JSON-like dict")


def solve(
    instance: Instance | Mapping[str, Any],
    *,
    mode: Mode | str = "stable",
    seed: int | None = None,
) -> Result:
    """Allocate students to placements.

    ``mode="stable"`` (default) returns the student-optimal stable matching: no student and
    placement would both rather be together than with what they got, and among such matchings
    every student gets the best placement they can have (W2; deferred acceptance, Gale-Shapley
    for placements, Abraham-Irving-Manlove SPA-student when supervisors are given).
    ``mode="welfare"`` places as many students as possible and then minimises the sum of their
    choice ranks, and reports the blocking pairs that this costs, so a coordinator can compare
    the two side by side.

    ``seed`` picks the single lottery that ranks students wherever a placement or supervisor
    gives no ranking of its own; it overrides the instance's ``seed`` (default 0).
    """
    inst = _coerce(instance)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    started = time.perf_counter()
    prepared = prepare(inst, seed)
    if mode == "stable":
        held, proposals = deferred_acceptance(inst, prepared)
    else:
        from stagebrug.matching.engine.welfare import welfare_assignment

        held = welfare_assignment(inst, prepared)
        proposals = 0
    held = np.asarray(held, dtype=np.int64)
    n = inst.n_students
    placement_of = np.full(n, -1, dtype=np.int64)
    choice_of = np.zeros(n, dtype=np.int64)
    has = held >= 0
    placement_of[has] = inst.choices[held[has]]
    choice_of[has] = held[has] - inst.choice_ptr[:-1][has] + 1
    seconds = time.perf_counter() - started
    result = Result(
        instance=inst,
        mode=str(mode),
        seed=prepared.seed,
        placement_of=placement_of,
        choice_of=choice_of,
        proposals=int(proposals),
        seconds=seconds,
    )
    if mode == "welfare":
        result.verification = verify_assignment(inst, placement_of, seed=prepared.seed)
        result.blocking_pairs = result.verification.blocking_pairs
    return result
