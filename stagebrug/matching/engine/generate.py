"""Random instances for tests and benchmarks, vectorised so a million students take seconds.

Popularity is either *uniform* (every placement equally likely to be chosen) or *skewed* (Zipf:
the placement of popularity rank ``r`` is chosen with weight ``1 / r**skew``; a few placements
draw a large share of the choices, as popular businesses do in a real round). Each student ranks
``choices`` distinct placements.
"""

from __future__ import annotations

import json
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stagebrug.matching.engine import _kernels
from stagebrug.matching.engine._fastjson import id_tokens
from stagebrug.matching.engine.instance import (
    SEAT_HBO,
    SEAT_LABELS,
    SEAT_MBO,
    Instance,
    instance_from_arrays,
)

__all__ = ["dump_instance", "generate_instance"]

Popularity = Literal["uniform", "skewed"]


def _distinct_rows(
    rng: np.random.Generator, n: int, k: int, n_items: int, cdf: NDArray[np.float64] | None
) -> NDArray[np.int32]:
    """``n`` rows of ``k`` distinct items, each row in random order (its preference order)."""

    def draw(rows: int) -> NDArray[np.int64]:
        if cdf is None:
            return rng.integers(0, n_items, size=(rows, k), dtype=np.int64)
        return np.minimum(np.searchsorted(cdf, rng.random((rows, k))), n_items - 1)

    out = draw(n)
    todo = np.arange(n)
    while len(todo):
        block = out[todo]
        srt = np.sort(block, axis=1)
        dup = (srt[:, 1:] == srt[:, :-1]).any(axis=1) if k > 1 else np.zeros(len(todo), bool)
        todo = todo[dup]
        if len(todo):
            out[todo] = draw(len(todo))
    return out.astype(np.int32)


def _rank_lists(
    rng: np.random.Generator,
    owner_of_edge: NDArray[np.int64],
    student_of_edge: NDArray[np.int64],
    n_owners: int,
    n_students: int,
) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """Each owner ranks every student who chose one of its placements, in random order."""
    keys = np.unique(owner_of_edge * n_students + student_of_edge)
    owner = keys // n_students
    student = (keys % n_students).astype(np.int32)
    order = np.lexsort((rng.random(len(keys)), owner))
    ptr = np.zeros(n_owners + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n_owners), out=ptr[1:])
    return ptr, student[order]


def generate_instance(
    n_students: int,
    *,
    choices: int = 10,
    placements: int | None = None,
    popularity: Popularity | str = "uniform",
    skew: float = 1.0,
    min_capacity: int = 1,
    max_capacity: int = 3,
    supervisors: bool = False,
    placements_per_supervisor: tuple[int, int] = (1, 4),
    supervisor_load: float = 0.75,
    placement_rankings: bool = False,
    duo_fraction: float = 0.0,
    seed: int = 0,
) -> Instance:
    """A random instance with ``n_students`` students and ``placements`` placements (N/2).

    Capacities are uniform in ``[min_capacity, max_capacity]``. With ``supervisors`` each
    supervisor looks after 1-4 placements, can take ``supervisor_load`` of their seats (at least
    the largest placement, at most all) and ranks every student who chose one of them. With
    ``placement_rankings`` (placements model) each placement ranks its applicants itself;
    otherwise the seeded lottery does. ``duo_fraction`` of the placements are paired into MBO+HBO
    duos (W21).
    """
    if n_students < 0:
        raise ValueError("n_students must be non-negative")
    if popularity not in ("uniform", "skewed"):
        raise ValueError("popularity must be 'uniform' or 'skewed'")
    rng = np.random.default_rng(seed)
    n_p = max(1, n_students // 2) if placements is None else placements
    k = min(choices, n_p)
    cdf = None
    if popularity == "skewed":
        weights = 1.0 / np.arange(1, n_p + 1, dtype=np.float64) ** skew
        weights = weights[rng.permutation(n_p)]
        cdf = np.cumsum(weights)
        cdf /= cdf[-1]
    rows = _distinct_rows(rng, n_students, k, n_p, cdf)
    choice_ptr = np.arange(n_students + 1, dtype=np.int64) * k
    chosen = rows.reshape(-1)
    capacity = rng.integers(min_capacity, max_capacity + 1, size=n_p).astype(np.int32)
    student_of_edge = np.repeat(np.arange(n_students, dtype=np.int64), k)

    supervisor_of = np.full(n_p, -1, dtype=np.int32)
    sv_capacity = np.zeros(0, dtype=np.int32)
    sv_ptr = np.zeros(1, dtype=np.int64)
    sv_rank = np.zeros(0, dtype=np.int32)
    n_v = 0
    if supervisors:
        lo, hi = placements_per_supervisor
        sizes = rng.integers(lo, hi + 1, size=n_p)
        ends = np.cumsum(sizes)
        n_v = int(np.searchsorted(ends, n_p) + 1)
        group = np.repeat(
            np.arange(n_v, dtype=np.int32), np.diff(np.concatenate([[0], ends[:n_v]]))
        )
        supervisor_of[rng.permutation(n_p)] = group[:n_p]
        seats = np.bincount(supervisor_of, weights=capacity, minlength=n_v)
        biggest = np.zeros(n_v, dtype=np.int64)
        np.maximum.at(biggest, supervisor_of, capacity)
        sv_capacity = np.clip(np.ceil(supervisor_load * seats), biggest, seats).astype(np.int32)
        sv_ptr, sv_rank = _rank_lists(
            rng, supervisor_of[chosen].astype(np.int64), student_of_edge, n_v, n_students
        )
    ranked = np.zeros(n_p, dtype=np.bool_)
    r_ptr = np.zeros(n_p + 1, dtype=np.int64)
    r_list = np.zeros(0, dtype=np.int32)
    if placement_rankings and not supervisors:
        ranked[:] = True
        r_ptr, r_list = _rank_lists(rng, chosen.astype(np.int64), student_of_edge, n_p, n_students)

    duo_of = np.full(n_p, -1, dtype=np.int32)
    seat_of = np.zeros(n_p, dtype=np.int8)
    n_duos = int(n_p * duo_fraction) // 2
    if n_duos:
        picked = rng.permutation(n_p)[: 2 * n_duos]
        duo_of[picked[:n_duos]] = np.arange(n_duos)
        seat_of[picked[:n_duos]] = SEAT_MBO
        duo_of[picked[n_duos:]] = np.arange(n_duos)
        seat_of[picked[n_duos:]] = SEAT_HBO
        # Number duos in order of first appearance, as the loader does, so files round-trip.
        first = np.full(n_duos, n_p, dtype=np.int64)
        np.minimum.at(first, duo_of[picked], picked)
        relabel = np.empty(n_duos, dtype=np.int32)
        relabel[np.argsort(first)] = np.arange(n_duos, dtype=np.int32)
        duo_of[picked] = relabel[duo_of[picked]]

    return instance_from_arrays(
        student_ids=[f"s{i}" for i in range(n_students)],
        placement_ids=[f"p{j}" for j in range(n_p)],
        supervisor_ids=[f"v{v}" for v in range(n_v)],
        choice_ptr=choice_ptr,
        choices=chosen,
        capacity=capacity,
        supervisor_of=supervisor_of,
        placement_ranked=ranked,
        ranking_ptr=r_ptr,
        ranking=r_list,
        supervisor_capacity=sv_capacity,
        supervisor_ranked=np.ones(n_v, dtype=np.bool_),
        supervisor_ranking_ptr=sv_ptr,
        supervisor_ranking=sv_rank,
        duo_ids=[f"d{d}" for d in range(n_duos)],
        duo_of=duo_of,
        seat_of=seat_of,
        seed=seed,
    )


def _blob(parts: list[str]) -> tuple[NDArray[np.uint8], NDArray[np.int64]]:
    joined = "".join(parts)
    if joined.isascii():
        data = joined.encode("ascii")
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    else:
        encoded = [p.encode("utf-8") for p in parts]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(parts))
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return np.frombuffer(data, dtype=np.uint8), offsets


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def dump_instance(instance: Instance) -> bytes:
    """The instance as compact JSON bytes (same content as ``json.dumps(instance_to_dict())``)."""
    tail = np.frombuffer(b"]}", dtype=np.uint8)
    s_tok, s_off = id_tokens(instance.student_ids)
    p_tok, p_off = id_tokens(instance.placement_ids)
    sq = [_q(x) for x in instance.student_ids]
    heads = [f'{{"id":{q},"preferences":[' for q in sq]
    h, h_off = _blob(heads)
    students = _kernels.write_objects(
        h,
        h_off,
        np.ones(instance.n_students, dtype=np.bool_),
        instance.choice_ptr,
        instance.choices,
        p_tok,
        p_off,
        tail,
    )
    vq = [_q(x) for x in instance.supervisor_ids]
    dq = [_q(x) for x in instance.duo_ids]
    assert instance.duo_of is not None and instance.seat_of is not None
    sup = instance.supervisor_of.tolist()
    duo = instance.duo_of.tolist()
    seat = instance.seat_of.tolist()
    cap = instance.capacity.tolist()
    ranked = instance.placement_ranked.tolist()
    heads = []
    for j, pid in enumerate(instance.placement_ids):
        head = f'{{"id":{_q(pid)},"capacity":{cap[j]}'
        if sup[j] >= 0:
            head += f',"supervisor":{vq[sup[j]]}'
        if duo[j] >= 0:
            head += f',"duo":{dq[duo[j]]},"seat":"{SEAT_LABELS[seat[j]]}"'
        heads.append(head + (',"preferences":[' if ranked[j] else "}"))
    h, h_off = _blob(heads)
    placements = _kernels.write_objects(
        h,
        h_off,
        instance.placement_ranked,
        instance.ranking_ptr,
        instance.ranking,
        s_tok,
        s_off,
        tail,
    )
    parts = [b'{"students":[', students.tobytes(), b'],"placements":[', placements.tobytes(), b"]"]
    if instance.n_supervisors:
        vcap = instance.supervisor_capacity.tolist()
        vranked = instance.supervisor_ranked.tolist()
        heads = [
            f'{{"id":{vq[v]},"capacity":{vcap[v]}' + (',"preferences":[' if vranked[v] else "}")
            for v in range(instance.n_supervisors)
        ]
        h, h_off = _blob(heads)
        sups = _kernels.write_objects(
            h,
            h_off,
            instance.supervisor_ranked,
            instance.supervisor_ranking_ptr,
            instance.supervisor_ranking,
            s_tok,
            s_off,
            tail,
        )
        parts += [b',"supervisors":[', sups.tobytes(), b"]"]
    if instance.seed is not None:
        parts.append(f',"seed":{instance.seed}'.encode())
    parts.append(b"}")
    return b"".join(parts)
