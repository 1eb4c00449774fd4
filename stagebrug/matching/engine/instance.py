"""The problem instance: plain arrays plus a validating loader.

An instance describes one matching round (C5; W2, W14, W21): students rank placements,
placements have capacities, and a placement either ranks students itself, takes its ranking from
the workplace supervisor who looks after it, or accepts everyone who chose it in the order of one
seeded lottery over all students.

Everything the solver and the verifier need is kept as NumPy arrays indexed by position (student
``i``, placement ``j``, supervisor ``v``), with the public string ids kept beside them for input and
output. Lists are stored in CSR form: the entries of row ``i`` are
``values[ptr[i]:ptr[i + 1]]``.

Bad input is refused with one exception, :class:`InstanceError`, whose message names the
offending entry so that a coordinator can fix the file without reading a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SEAT_HBO",
    "SEAT_MBO",
    "SEAT_NONE",
    "Instance",
    "InstanceError",
    "instance_from_arrays",
    "instance_to_dict",
    "load_instance",
    "lottery_ranks",
    "parse_instance",
    "read_instance",
]

#: Seat codes of a duo placement (W21): a duo is two linked seats, one for an MBO student and
#: one for an HBO student. ``SEAT_NONE`` marks an ordinary placement.
SEAT_NONE = 0
SEAT_MBO = 1
SEAT_HBO = 2
SEAT_NAMES = {"mbo": SEAT_MBO, "hbo": SEAT_HBO}
SEAT_LABELS = {SEAT_MBO: "mbo", SEAT_HBO: "hbo"}

#: Largest capacity we accept; capacities are stored as int32.
MAX_CAPACITY = 2**31 - 1
#: Seeds are fed to NumPy's ``default_rng``, which wants a non-negative integer.
MAX_SEED = 2**63 - 1
#: Default lottery seed when neither the instance nor the caller gives one; a fixed default keeps
#: every run reproducible and auditable.
DEFAULT_SEED = 0

_TOP_KEYS = frozenset({"students", "placements", "supervisors", "seed"})
_STUDENT_KEYS = frozenset({"id", "preferences"})
_PLACEMENT_KEYS = frozenset({"id", "capacity", "supervisor", "preferences", "duo", "seat"})
_SUPERVISOR_KEYS = frozenset({"id", "capacity", "preferences"})


class InstanceError(ValueError):
    """A problem instance (or a result read beside it) is not acceptable.

    The message names the offending entry, for example
    ``student 's7' lists unknown placement 'p99'``.
    """


def _empty_i32() -> NDArray[np.int32]:
    return np.zeros(0, dtype=np.int32)


def _zero_ptr(n: int) -> NDArray[np.int64]:
    return np.zeros(n + 1, dtype=np.int64)


@dataclass(eq=False)
class Instance:
    """A validated matching round as arrays.

    Build one with :func:`load_instance` (from JSON-like dicts), :func:`read_instance` (from a
    file) or :func:`instance_from_arrays` (from arrays, e.g. the generator); never construct it
    directly from unchecked data, because the kernels trust it.
    """

    student_ids: list[str]
    placement_ids: list[str]
    supervisor_ids: list[str]
    #: Student preferences, best first, as placement indices (CSR).
    choice_ptr: NDArray[np.int64]
    choices: NDArray[np.int32]
    #: Seats per placement.
    capacity: NDArray[np.int32]
    #: Supervisor index per placement, -1 when the placement has no supervisor.
    supervisor_of: NDArray[np.int32]
    #: Whether the placement ranks students itself (else: supervisor's ranking, else lottery).
    placement_ranked: NDArray[np.bool_]
    #: Placement rankings, best first, as student indices (CSR; empty rows when not ranked).
    ranking_ptr: NDArray[np.int64]
    ranking: NDArray[np.int32]
    supervisor_capacity: NDArray[np.int32] = field(default_factory=_empty_i32)
    supervisor_ranked: NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros(0, dtype=np.bool_)
    )
    supervisor_ranking_ptr: NDArray[np.int64] = field(default_factory=lambda: _zero_ptr(0))
    supervisor_ranking: NDArray[np.int32] = field(default_factory=_empty_i32)
    #: Duo ids (W21) and, per placement, its duo index (-1 none) and seat code.
    duo_ids: list[str] = field(default_factory=list)
    duo_of: NDArray[np.int32] | None = None
    seat_of: NDArray[np.int8] | None = None
    #: Lottery seed given in the instance, if any.
    seed: int | None = None
    _tokens: dict[str, tuple[NDArray[np.uint8], NDArray[np.int64]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        if self.duo_of is None:
            self.duo_of = np.full(len(self.placement_ids), -1, dtype=np.int32)
        if self.seat_of is None:
            self.seat_of = np.zeros(len(self.placement_ids), dtype=np.int8)

    @property
    def n_students(self) -> int:
        return len(self.student_ids)

    @property
    def n_placements(self) -> int:
        return len(self.placement_ids)

    @property
    def n_supervisors(self) -> int:
        return len(self.supervisor_ids)

    @property
    def has_supervisors(self) -> bool:
        """True for the supervisor-capacity model (SPA-student)."""
        return bool(self.n_supervisors) and bool(np.any(self.supervisor_of >= 0))

    @property
    def model(self) -> str:
        """``"supervisors"`` (SPA-student) or ``"placements"`` (hospitals/residents)."""
        return "supervisors" if self.has_supervisors else "placements"

    def effective_seed(self, seed: int | None = None) -> int:
        """The lottery seed in force: the caller's, else the instance's, else the default."""
        if seed is not None:
            return _check_seed(seed, "seed")
        if self.seed is not None:
            return self.seed
        return DEFAULT_SEED

    def student_index(self) -> dict[str, int]:
        """Map from student id to index (built on demand; costs a dict of all students)."""
        return {sid: i for i, sid in enumerate(self.student_ids)}

    def placement_index(self) -> dict[str, int]:
        """Map from placement id to index."""
        return {pid: j for j, pid in enumerate(self.placement_ids)}


def lottery_ranks(seed: int, n_students: int) -> NDArray[np.int32]:
    """The single lottery over all students: ``ranks[i]`` is student ``i``'s lottery number.

    Lower numbers come first. Every placement (or supervisor) without its own ranking orders its
    applicants by this one lottery -- single tie-breaking -- so that no student can be ahead at one
    placement and behind at another purely by chance (W2: treat nobody unfairly).
    """
    order = np.random.default_rng(seed).permutation(n_students)
    ranks = np.empty(n_students, dtype=np.int32)
    ranks[order] = np.arange(n_students, dtype=np.int32)
    return ranks


# --------------------------------------------------------------------------------------------
# Loading from JSON-like dicts (the reference path; the fast file reader falls back to it)
# --------------------------------------------------------------------------------------------


def _describe(kind: str, position: int, entry: Any) -> str:
    """Name an entry by its id when it has a usable one, else by its position."""
    if isinstance(entry, Mapping):
        ident = entry.get("id")
        if isinstance(ident, str):
            return f"{kind} {ident!r}"
    return f"{kind}s[{position}]"


def _check_seed(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where} must be a non-negative integer, not {value!r}")
    if value < 0 or value > MAX_SEED:
        raise InstanceError(f"{where} must be a non-negative integer below 2**63, not {value}")
    return value


def _check_capacity(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            raise InstanceError(f"{name} has capacity {value!r}; write it as a whole number")
        raise InstanceError(f"{name} has a capacity that is not a whole number: {value!r}")
    if value < 0:
        raise InstanceError(f"{name} has a negative capacity ({value})")
    if value > MAX_CAPACITY:
        raise InstanceError(f"{name} has a capacity that is too large ({value})")
    return value


def _entries(data: Mapping[str, Any], key: str, required: bool) -> list[Any]:
    if key not in data:
        if required:
            raise InstanceError(f"the instance has no {key!r} list")
        return []
    value = data[key]
    if not isinstance(value, list):
        raise InstanceError(f"{key!r} must be a list, not {type(value).__name__}")
    return value


def _id_list(kind: str, entries: list[Any], allowed: frozenset[str]) -> list[str]:
    ids: list[str] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise InstanceError(f"{kind}s[{position}] must be an object, not {entry!r}")
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident:
            raise InstanceError(f"{kind}s[{position}] needs an 'id' that is a non-empty string")
        unknown = set(entry) - allowed
        if unknown:
            raise InstanceError(
                f"{kind} {ident!r} has unknown field {sorted(unknown)[0]!r}"
                f" (allowed: {', '.join(sorted(allowed))})"
            )
        ids.append(ident)
    return ids


def _index(kind: str, ids: list[str]) -> dict[str, int]:
    index = {ident: position for position, ident in enumerate(ids)}
    if len(index) != len(ids):
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise InstanceError(f"{kind} {ident!r} is listed twice")
            seen.add(ident)
    return index


def _ref_list(
    owner: str, field_name: str, value: Any, index: dict[str, int], target: str
) -> list[int]:
    """Resolve a list of ids, refusing unknown ids and non-strings with the owner named."""
    if not isinstance(value, list):
        raise InstanceError(f"{owner}: {field_name!r} must be a list of {target} ids")
    out: list[int] = []
    get = index.get
    for item in value:
        j = get(item) if isinstance(item, str) else None
        if j is None:
            if not isinstance(item, str):
                raise InstanceError(f"{owner}: {field_name!r} holds {item!r}, not a {target} id")
            raise InstanceError(f"{owner} lists unknown {target} {item!r}")
        out.append(j)
    return out


def _csr(rows: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    values = np.fromiter(
        (x for r in rows for x in r), dtype=np.int32, count=int(ptr[-1]) if len(rows) else 0
    )
    return ptr, values


def load_instance(data: Mapping[str, Any]) -> Instance:
    """Validate a JSON-like instance and turn it into arrays.

    Format (all ids are non-empty strings)::

        {"students": [{"id": "s1", "preferences": ["p2", "p1"]}],
         "placements": [{"id": "p1", "capacity": 2, "supervisor": "v1",
                         "preferences": ["s1"], "duo": "d1", "seat": "mbo"}],
         "supervisors": [{"id": "v1", "capacity": 3, "preferences": ["s1", "s2"]}],
         "seed": 42}

    ``supervisors``, a placement's ``supervisor``/``preferences``/``duo``/``seat`` and ``seed`` are
    optional; when supervisors are given, placements must not rank students themselves because
    their ranking is the supervisor's. Raises :class:`InstanceError` naming the offending entry.
    """
    if not isinstance(data, Mapping):
        raise InstanceError("the instance must be a JSON object")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InstanceError(
            f"the instance has unknown field {sorted(unknown)[0]!r}"
            " (allowed: students, placements, supervisors, seed)"
        )
    students = _entries(data, "students", required=True)
    placements = _entries(data, "placements", required=True)
    supervisors = _entries(data, "supervisors", required=False)
    seed = data.get("seed")
    if seed is not None:
        seed = _check_seed(seed, "'seed'")

    student_ids = _id_list("student", students, _STUDENT_KEYS)
    placement_ids = _id_list("placement", placements, _PLACEMENT_KEYS)
    supervisor_ids = _id_list("supervisor", supervisors, _SUPERVISOR_KEYS)
    s_index = _index("student", student_ids)
    p_index = _index("placement", placement_ids)
    v_index = _index("supervisor", supervisor_ids)

    choice_rows: list[list[int]] = []
    for ident, entry in zip(student_ids, students, strict=True):
        if "preferences" not in entry:
            raise InstanceError(f"student {ident!r} has no 'preferences' list")
        choice_rows.append(
            _ref_list(
                f"student {ident!r}", "preferences", entry["preferences"], p_index, "placement"
            )
        )

    n_p = len(placement_ids)
    capacity = np.zeros(n_p, dtype=np.int32)
    supervisor_of = np.full(n_p, -1, dtype=np.int32)
    ranked = np.zeros(n_p, dtype=np.bool_)
    ranking_rows: list[list[int]] = []
    duo_names: list[str | None] = []
    seat_of = np.zeros(n_p, dtype=np.int8)
    for j, (ident, entry) in enumerate(zip(placement_ids, placements, strict=True)):
        name = f"placement {ident!r}"
        if "capacity" not in entry:
            raise InstanceError(f"{name} has no 'capacity'")
        capacity[j] = _check_capacity(entry["capacity"], name)
        sup = entry.get("supervisor")
        if sup is not None:
            if not isinstance(sup, str):
                raise InstanceError(f"{name}: 'supervisor' must be a supervisor id")
            v = v_index.get(sup)
            if v is None:
                raise InstanceError(f"{name} names unknown supervisor {sup!r}")
            supervisor_of[j] = v
        if "preferences" in entry and entry["preferences"] is not None:
            if supervisor_ids:
                raise InstanceError(
                    f"{name} has its own 'preferences', but supervisors are given: a placement's"
                    " ranking is then its supervisor's, so leave placement preferences out"
                )
            ranked[j] = True
            ranking_rows.append(
                _ref_list(name, "preferences", entry["preferences"], s_index, "student")
            )
        else:
            ranking_rows.append([])
        duo = entry.get("duo")
        seat = entry.get("seat")
        if duo is not None and not (isinstance(duo, str) and duo):
            raise InstanceError(f"{name}: 'duo' must be a non-empty string")
        if seat is not None and seat not in SEAT_NAMES:
            raise InstanceError(f"{name}: 'seat' must be 'mbo' or 'hbo', not {seat!r}")
        if duo is not None and seat is None:
            raise InstanceError(f"{name} is part of duo {duo!r} but has no 'seat' (mbo or hbo)")
        if seat is not None and duo is None:
            raise InstanceError(f"{name} has a 'seat' but no 'duo'")
        duo_names.append(duo)
        if seat is not None:
            seat_of[j] = SEAT_NAMES[seat]

    sv_capacity = np.zeros(len(supervisor_ids), dtype=np.int32)
    sv_ranked = np.zeros(len(supervisor_ids), dtype=np.bool_)
    sv_rows: list[list[int]] = []
    for v, (ident, entry) in enumerate(zip(supervisor_ids, supervisors, strict=True)):
        name = f"supervisor {ident!r}"
        if "capacity" not in entry:
            raise InstanceError(f"{name} has no 'capacity'")
        sv_capacity[v] = _check_capacity(entry["capacity"], name)
        if entry.get("preferences") is not None:
            sv_ranked[v] = True
            sv_rows.append(_ref_list(name, "preferences", entry["preferences"], s_index, "student"))
        else:
            sv_rows.append([])

    duo_ids: list[str] = []
    duo_index: dict[str, int] = {}
    duo_of = np.full(n_p, -1, dtype=np.int32)
    for j, duo in enumerate(duo_names):
        if duo is not None:
            d = duo_index.get(duo)
            if d is None:
                d = duo_index[duo] = len(duo_ids)
                duo_ids.append(duo)
            duo_of[j] = d

    choice_ptr, choices = _csr(choice_rows)
    ranking_ptr, ranking = _csr(ranking_rows)
    sv_ptr, sv_ranking = _csr(sv_rows)
    return instance_from_arrays(
        student_ids=student_ids,
        placement_ids=placement_ids,
        supervisor_ids=supervisor_ids,
        choice_ptr=choice_ptr,
        choices=choices,
        capacity=capacity,
        supervisor_of=supervisor_of,
        placement_ranked=ranked,
        ranking_ptr=ranking_ptr,
        ranking=ranking,
        supervisor_capacity=sv_capacity,
        supervisor_ranked=sv_ranked,
        supervisor_ranking_ptr=sv_ptr,
        supervisor_ranking=sv_ranking,
        duo_ids=duo_ids,
        duo_of=duo_of,
        seat_of=seat_of,
        seed=seed,
    )


# --------------------------------------------------------------------------------------------
# Checks shared by every way of building an instance (they work on indices, so they are fast)
# --------------------------------------------------------------------------------------------


def _first_repeat(ptr: NDArray[np.int64], values: NDArray[np.int32], n_values: int) -> int:
    """Position in ``values`` of the first entry repeated within its row, or -1."""
    from stagebrug.matching.engine._kernels import first_repeat_in_rows

    if len(values) == 0:
        return -1
    return int(first_repeat_in_rows(ptr, values, n_values))


def _row_of(ptr: NDArray[np.int64], position: int) -> int:
    return int(np.searchsorted(ptr, position, side="right") - 1)


def _check_csr(
    name: str, ptr: NDArray[np.int64], values: NDArray[np.int32], rows: int, n_values: int
) -> None:
    if ptr.shape != (rows + 1,) or ptr[0] != 0 or ptr[-1] != len(values):
        raise InstanceError(f"{name}: malformed row pointers")
    if rows and np.any(np.diff(ptr) < 0):
        raise InstanceError(f"{name}: malformed row pointers")
    if len(values) and (values.min() < 0 or values.max() >= n_values):
        raise InstanceError(f"{name}: index out of range")


def instance_from_arrays(
    *,
    student_ids: list[str],
    placement_ids: list[str],
    supervisor_ids: list[str] | None = None,
    choice_ptr: NDArray[np.int64],
    choices: NDArray[np.int32],
    capacity: NDArray[np.int32],
    supervisor_of: NDArray[np.int32] | None = None,
    placement_ranked: NDArray[np.bool_] | None = None,
    ranking_ptr: NDArray[np.int64] | None = None,
    ranking: NDArray[np.int32] | None = None,
    supervisor_capacity: NDArray[np.int32] | None = None,
    supervisor_ranked: NDArray[np.bool_] | None = None,
    supervisor_ranking_ptr: NDArray[np.int64] | None = None,
    supervisor_ranking: NDArray[np.int32] | None = None,
    duo_ids: list[str] | None = None,
    duo_of: NDArray[np.int32] | None = None,
    seat_of: NDArray[np.int8] | None = None,
    seed: int | None = None,
) -> Instance:
    """Build an :class:`Instance` from index arrays, running every semantic check.

    Used by the loaders and by the generator; ids must already be unique and references must
    already be resolved to indices. Refuses, with the entry named: a placement listed twice in a
    student's preferences, a student ranked twice, negative capacities, placement preferences
    next to supervisors, and duos that are not one MBO plus one HBO seat (W21).
    """
    supervisor_ids = list(supervisor_ids or [])
    n_s, n_p, n_v = len(student_ids), len(placement_ids), len(supervisor_ids)
    choice_ptr = np.ascontiguousarray(choice_ptr, dtype=np.int64)
    choices = np.ascontiguousarray(choices, dtype=np.int32)
    capacity = np.ascontiguousarray(capacity, dtype=np.int32)
    if supervisor_of is None:
        supervisor_of = np.full(n_p, -1, dtype=np.int32)
    supervisor_of = np.ascontiguousarray(supervisor_of, dtype=np.int32)
    if placement_ranked is None:
        placement_ranked = np.zeros(n_p, dtype=np.bool_)
    placement_ranked = np.ascontiguousarray(placement_ranked, dtype=np.bool_)
    if ranking_ptr is None or ranking is None:
        ranking_ptr, ranking = _zero_ptr(n_p), _empty_i32()
    ranking_ptr = np.ascontiguousarray(ranking_ptr, dtype=np.int64)
    ranking = np.ascontiguousarray(ranking, dtype=np.int32)
    if supervisor_capacity is None:
        supervisor_capacity = np.zeros(n_v, dtype=np.int32)
    supervisor_capacity = np.ascontiguousarray(supervisor_capacity, dtype=np.int32)
    if supervisor_ranked is None:
        supervisor_ranked = np.zeros(n_v, dtype=np.bool_)
    supervisor_ranked = np.ascontiguousarray(supervisor_ranked, dtype=np.bool_)
    if supervisor_ranking_ptr is None or supervisor_ranking is None:
        supervisor_ranking_ptr, supervisor_ranking = _zero_ptr(n_v), _empty_i32()
    supervisor_ranking_ptr = np.ascontiguousarray(supervisor_ranking_ptr, dtype=np.int64)
    supervisor_ranking = np.ascontiguousarray(supervisor_ranking, dtype=np.int32)
    duo_ids = list(duo_ids or [])
    if duo_of is None:
        duo_of = np.full(n_p, -1, dtype=np.int32)
    duo_of = np.ascontiguousarray(duo_of, dtype=np.int32)
    if seat_of is None:
        seat_of = np.zeros(n_p, dtype=np.int8)
    seat_of = np.ascontiguousarray(seat_of, dtype=np.int8)

    if n_s >= 2**31 - 1 or n_p >= 2**31 - 1:
        raise InstanceError("the instance is too large (at most 2**31 - 2 students and placements)")
    _check_csr("student preferences", choice_ptr, choices, n_s, n_p)
    _check_csr("placement preferences", ranking_ptr, ranking, n_p, n_s)
    _check_csr("supervisor preferences", supervisor_ranking_ptr, supervisor_ranking, n_v, n_s)
    for name, arr, size in (
        ("capacity", capacity, n_p),
        ("supervisor_of", supervisor_of, n_p),
        ("placement_ranked", placement_ranked, n_p),
        ("supervisor_capacity", supervisor_capacity, n_v),
        ("supervisor_ranked", supervisor_ranked, n_v),
        ("duo_of", duo_of, n_p),
        ("seat_of", seat_of, n_p),
    ):
        if arr.shape != (size,):
            raise InstanceError(f"{name} must have one entry per row ({size}), not {arr.shape}")
    if n_p and (supervisor_of.min() < -1 or supervisor_of.max() >= n_v):
        raise InstanceError("supervisor_of: index out of range")
    if n_p and (duo_of.min() < -1 or duo_of.max() >= len(duo_ids)):
        raise InstanceError("duo_of: index out of range")

    negative = np.flatnonzero(capacity < 0)
    if len(negative):
        j = int(negative[0])
        raise InstanceError(
            f"placement {placement_ids[j]!r} has a negative capacity ({int(capacity[j])})"
        )
    negative = np.flatnonzero(supervisor_capacity < 0)
    if len(negative):
        v = int(negative[0])
        raise InstanceError(
            f"supervisor {supervisor_ids[v]!r} has a negative capacity"
            f" ({int(supervisor_capacity[v])})"
        )

    pos = _first_repeat(choice_ptr, choices, n_p)
    if pos >= 0:
        i = _row_of(choice_ptr, pos)
        raise InstanceError(
            f"student {student_ids[i]!r} lists placement {placement_ids[choices[pos]]!r} twice"
        )
    pos = _first_repeat(ranking_ptr, ranking, n_s)
    if pos >= 0:
        j = _row_of(ranking_ptr, pos)
        raise InstanceError(
            f"placement {placement_ids[j]!r} ranks student {student_ids[ranking[pos]]!r} twice"
        )
    pos = _first_repeat(supervisor_ranking_ptr, supervisor_ranking, n_s)
    if pos >= 0:
        v = _row_of(supervisor_ranking_ptr, pos)
        raise InstanceError(
            f"supervisor {supervisor_ids[v]!r} ranks student"
            f" {student_ids[supervisor_ranking[pos]]!r} twice"
        )
    unranked_with_list = np.flatnonzero(~placement_ranked & (np.diff(ranking_ptr) > 0))
    if len(unranked_with_list):
        raise InstanceError("placement_ranked is false for a placement with preferences")
    if n_v and np.any(placement_ranked):
        j = int(np.flatnonzero(placement_ranked)[0])
        raise InstanceError(
            f"placement {placement_ids[j]!r} has its own 'preferences', but supervisors are"
            " given: a placement's ranking is then its supervisor's, so leave placement"
            " preferences out"
        )
    _check_duos(placement_ids, duo_ids, duo_of, seat_of)
    if seed is not None:
        seed = _check_seed(seed, "'seed'")
    return Instance(
        student_ids=list(student_ids),
        placement_ids=list(placement_ids),
        supervisor_ids=supervisor_ids,
        choice_ptr=choice_ptr,
        choices=choices,
        capacity=capacity,
        supervisor_of=supervisor_of,
        placement_ranked=placement_ranked,
        ranking_ptr=ranking_ptr,
        ranking=ranking,
        supervisor_capacity=supervisor_capacity,
        supervisor_ranked=supervisor_ranked,
        supervisor_ranking_ptr=supervisor_ranking_ptr,
        supervisor_ranking=supervisor_ranking,
        duo_ids=duo_ids,
        duo_of=duo_of,
        seat_of=seat_of,
        seed=seed,
    )


def _check_duos(
    placement_ids: list[str],
    duo_ids: list[str],
    duo_of: NDArray[np.int32],
    seat_of: NDArray[np.int8],
) -> None:
    """W21: a duo is exactly two linked seats, one for MBO and one for HBO."""
    in_duo = duo_of >= 0
    bad_seat = np.flatnonzero(in_duo != (seat_of != SEAT_NONE))
    if len(bad_seat):
        j = int(bad_seat[0])
        if in_duo[j]:
            raise InstanceError(
                f"placement {placement_ids[j]!r} is part of duo {duo_ids[duo_of[j]]!r}"
                " but has no 'seat' (mbo or hbo)"
            )
        raise InstanceError(f"placement {placement_ids[j]!r} has a 'seat' but no 'duo'")
    if not len(duo_ids):
        return
    members = np.flatnonzero(in_duo)
    counts = {
        code: np.bincount(duo_of[members[seat_of[members] == code]], minlength=len(duo_ids))
        for code in SEAT_LABELS
    }
    for code, label in SEAT_LABELS.items():
        twice = np.flatnonzero(counts[code] > 1)
        if len(twice):
            raise InstanceError(f"duo {duo_ids[int(twice[0])]!r} has two {label!r} seats")
    lacking = np.flatnonzero((counts[SEAT_MBO] == 0) | (counts[SEAT_HBO] == 0))
    if len(lacking):
        d = int(lacking[0])
        label = "mbo" if counts[SEAT_MBO][d] == 0 else "hbo"
        raise InstanceError(
            f"duo {duo_ids[d]!r} has no {label!r} seat; a duo is one MBO and one HBO seat (W21)"
        )


# --------------------------------------------------------------------------------------------
# Reading and writing files
# --------------------------------------------------------------------------------------------


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            ident = out.get("id")
            where = f" in the entry with id {ident!r}" if isinstance(ident, str) else ""
            raise InstanceError(f"field {key!r} appears twice{where}")
        out[key] = value
    return out


def decode_json(raw: bytes | str, what: str = "instance") -> Any:
    """Parse JSON text with a one-line error message naming line and column."""
    try:
        return json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"the {what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except UnicodeDecodeError as exc:
        raise InstanceError(f"the {what} is not UTF-8 text: {exc.reason}") from None
    except RecursionError:
        raise InstanceError(f"the {what} is nested too deeply") from None


def parse_instance(raw: bytes | str) -> Instance:
    """Parse and validate instance JSON text.

    Large files take a compiled fast path that reads ids straight from the bytes; anything it does
    not handle (escapes in strings, errors of any kind) is parsed again by the reference path, so
    the messages and the result are the same either way.
    """
    from stagebrug.matching.engine import _fastjson

    data = raw.encode() if isinstance(raw, str) else raw
    instance = _fastjson.fast_parse_instance(data)
    if instance is not None:
        return instance
    return load_instance(decode_json(data))


def read_instance(path: str | Path) -> Instance:
    """Read and validate an instance file (see :func:`load_instance` for the format)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InstanceError(f"cannot read {str(path)!r}: {exc.strerror}") from None
    return parse_instance(raw)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The JSON-like form of an instance (inverse of :func:`load_instance`)."""
    sids, pids, vids = instance.student_ids, instance.placement_ids, instance.supervisor_ids
    cp, ch = instance.choice_ptr, instance.choices.tolist()
    students = [
        {"id": sids[i], "preferences": [pids[j] for j in ch[cp[i] : cp[i + 1]]]}
        for i in range(instance.n_students)
    ]
    rp, rk = instance.ranking_ptr, instance.ranking.tolist()
    placements: list[dict[str, Any]] = []
    assert instance.duo_of is not None and instance.seat_of is not None
    for j in range(instance.n_placements):
        entry: dict[str, Any] = {"id": pids[j], "capacity": int(instance.capacity[j])}
        if instance.supervisor_of[j] >= 0:
            entry["supervisor"] = vids[instance.supervisor_of[j]]
        if instance.placement_ranked[j]:
            entry["preferences"] = [sids[i] for i in rk[rp[j] : rp[j + 1]]]
        if instance.duo_of[j] >= 0:
            entry["duo"] = instance.duo_ids[instance.duo_of[j]]
            entry["seat"] = SEAT_LABELS[int(instance.seat_of[j])]
        placements.append(entry)
    out: dict[str, Any] = {"students": students, "placements": placements}
    if instance.n_supervisors:
        vp, vr = instance.supervisor_ranking_ptr, instance.supervisor_ranking.tolist()
        supervisors: list[dict[str, Any]] = []
        for v in range(instance.n_supervisors):
            entry = {"id": vids[v], "capacity": int(instance.supervisor_capacity[v])}
            if instance.supervisor_ranked[v]:
                entry["preferences"] = [sids[i] for i in vr[vp[v] : vp[v + 1]]]
            supervisors.append(entry)
        out["supervisors"] = supervisors
    if instance.seed is not None:
        out["seed"] = instance.seed
    return out
