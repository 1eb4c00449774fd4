"""Pure kernels: student-proposing deferred acceptance on int32 CSR arrays.

Two models (C5; W2, W14):

* **placements** (hospitals/residents): each placement has a capacity and ranks the students who
  chose it -- by its own list or by the single seeded lottery;
* **supervisors** (Abraham-Irving-Manlove "SPA-student"): a workplace supervisor looks after
  several placements, can take only so many students in total and ranks students; each
  placement's ranking is the supervisor's ranking restricted to those who chose it.

Both kernels compute the student-optimal stable matching: every student gets the best placement
they can have in any stable matching. Students propose down their lists; a placement (and, in the
supervisor model, a supervisor) keeps its best applicants in a bounded max-heap keyed by rank, so
evicting the worst held student costs ``O(log capacity)``. The rank of "student ``s`` at the
owner of placement ``p``" is precomputed once as an array aligned with the student preference
CSR (``edge_rank``), so the kernels never look anything up in a dict.

Nothing here knows about ids, JSON or Django; the kernels take and return NumPy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from stagebrug.matching.engine.instance import Instance, lottery_ranks

__all__ = ["Prepared", "deferred_acceptance", "prepare"]

_NO_LIMIT = np.iinfo(np.int32).max


@dataclass(frozen=True)
class Prepared:
    """The arrays the kernels run on, derived once from an :class:`Instance` and a seed.

    ``owner_of[p]`` is whoever ranks the applicants of placement ``p`` and whose capacity binds:
    the placement itself in the placements model; its supervisor in the supervisor model (a
    placement without a supervisor there gets a private stand-in owner with the placement's
    capacity, which makes the SPA rules reduce to the placements rules for it).
    """

    edge_rank: NDArray[np.int32]
    owner_of: NDArray[np.int32]
    owner_capacity: NDArray[np.int32]
    supervised: bool
    seed: int


@njit(cache=True)
def _edge_ranks(
    choice_ptr: NDArray[np.int64],
    choices: NDArray[np.int32],
    owner_of: NDArray[np.int32],
    owner_ranked: NDArray[np.bool_],
    owner_ptr: NDArray[np.int64],
    owner_list: NDArray[np.int32],
    lottery: NDArray[np.int32],
) -> NDArray[np.int32]:
    """Rank of each (student, chosen placement) edge at the placement's owner; -1 = not ranked.

    Edges of ranked owners are bucketed per owner (counting sort), then each owner's list is
    scattered into a scratch array indexed by student, read back for its edges, and cleared:
    O(edges + ranking entries) with no hashing.
    """
    n = len(choice_ptr) - 1
    n_edges = len(choices)
    n_owners = len(owner_ranked)
    rank = np.empty(n_edges, dtype=np.int32)
    start = np.zeros(n_owners + 1, dtype=np.int64)
    any_ranked = False
    for k in range(n_edges):
        o = owner_of[choices[k]]
        if owner_ranked[o]:
            start[o + 1] += 1
            any_ranked = True
    if not any_ranked:
        for s in range(n):
            r = lottery[s]
            for k in range(choice_ptr[s], choice_ptr[s + 1]):
                rank[k] = r
        return rank
    for o in range(n_owners):
        start[o + 1] += start[o]
    fill = start[:-1].copy()
    bucket_edge = np.empty(start[-1], dtype=np.int64)
    bucket_student = np.empty(start[-1], dtype=np.int32)
    for s in range(n):
        r = lottery[s]
        for k in range(choice_ptr[s], choice_ptr[s + 1]):
            o = owner_of[choices[k]]
            if owner_ranked[o]:
                bucket_edge[fill[o]] = k
                bucket_student[fill[o]] = s
                fill[o] += 1
            else:
                rank[k] = r
    scratch = np.full(n, -1, dtype=np.int32)
    for o in range(n_owners):
        if start[o] == start[o + 1]:
            continue
        base = owner_ptr[o]
        for t in range(base, owner_ptr[o + 1]):
            scratch[owner_list[t]] = t - base
        for b in range(start[o], start[o + 1]):
            rank[bucket_edge[b]] = scratch[bucket_student[b]]
        for t in range(base, owner_ptr[o + 1]):
            scratch[owner_list[t]] = -1
    return rank


def prepare(instance: Instance, seed: int | None = None) -> Prepared:
    """Derive the kernel arrays: owners, owner capacities and the edge-aligned ranks.

    The single lottery (one seeded permutation of all students) ranks applicants wherever no
    explicit ranking is given; see :func:`~stagebrug.matching.engine.instance.lottery_ranks`.
    """
    used_seed = instance.effective_seed(seed)
    lottery = lottery_ranks(used_seed, instance.n_students)
    n_p = instance.n_placements
    if instance.has_supervisors:
        n_v = instance.n_supervisors
        owner_of = instance.supervisor_of.copy()
        loose = np.flatnonzero(owner_of < 0)
        owner_of[loose] = n_v + np.arange(len(loose), dtype=np.int32)
        owner_capacity = np.concatenate([instance.supervisor_capacity, instance.capacity[loose]])
        owner_ranked = np.concatenate(
            [instance.supervisor_ranked, np.zeros(len(loose), dtype=np.bool_)]
        )
        sp = instance.supervisor_ranking_ptr
        owner_ptr = np.concatenate([sp, np.full(len(loose), sp[-1], dtype=np.int64)])
        owner_list = instance.supervisor_ranking
        supervised = True
    else:
        owner_of = np.arange(n_p, dtype=np.int32)
        owner_capacity = instance.capacity
        owner_ranked = instance.placement_ranked
        owner_ptr = instance.ranking_ptr
        owner_list = instance.ranking
        supervised = False
    edge_rank = _edge_ranks(
        instance.choice_ptr,
        instance.choices,
        owner_of,
        np.ascontiguousarray(owner_ranked),
        np.ascontiguousarray(owner_ptr),
        owner_list,
        lottery,
    )
    return Prepared(
        edge_rank=edge_rank,
        owner_of=np.ascontiguousarray(owner_of, dtype=np.int32),
        owner_capacity=np.ascontiguousarray(owner_capacity, dtype=np.int32),
        supervised=supervised,
        seed=used_seed,
    )


# --------------------------------------------------------------------------------------------
# Flat bounded max-heaps: heap of owner o lives in keys[base[o] : base[o] + size[o]].
# --------------------------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _down(
    keys: NDArray[np.int32],
    studs: NDArray[np.int32],
    pos: NDArray[np.int32],
    base: int,
    size: int,
    i: int,
    key: int,
    st: int,
) -> None:
    """Place (key, st) at slot i and sift it down; keeps pos[student] = slot."""
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and keys[base + c + 1] > keys[base + c]:
            c += 1
        ck = keys[base + c]
        if ck <= key:
            break
        keys[base + i] = ck
        cs = studs[base + c]
        studs[base + i] = cs
        pos[cs] = i
        i = c
    keys[base + i] = key
    studs[base + i] = st
    pos[st] = i


@njit(cache=True, inline="always")
def _up(
    keys: NDArray[np.int32],
    studs: NDArray[np.int32],
    pos: NDArray[np.int32],
    base: int,
    i: int,
    key: int,
    st: int,
) -> None:
    """Place (key, st) at slot i and sift it up; keeps pos[student] = slot."""
    while i > 0:
        parent = (i - 1) >> 1
        pk = keys[base + parent]
        if pk >= key:
            break
        keys[base + i] = pk
        ps = studs[base + parent]
        studs[base + i] = ps
        pos[ps] = i
        i = parent
    keys[base + i] = key
    studs[base + i] = st
    pos[st] = i


@njit(cache=True, inline="always")
def _remove(
    keys: NDArray[np.int32],
    studs: NDArray[np.int32],
    pos: NDArray[np.int32],
    base: int,
    size: int,
    i: int,
) -> None:
    """Remove slot i from a heap of ``size`` entries (returns nothing; caller shrinks size)."""
    last = size - 1
    if i == last:
        return
    key = keys[base + last]
    st = studs[base + last]
    if i > 0 and keys[base + ((i - 1) >> 1)] < key:
        _up(keys, studs, pos, base, i, key, st)
    else:
        _down(keys, studs, pos, base, last, i, key, st)


def _bases(capacity: NDArray[np.int32], demand: NDArray[np.int64]) -> NDArray[np.int64]:
    """Heap offsets. A heap never holds more students than applied, so a capacity larger than
    the demand (say 10**9 seats) costs no memory."""
    base = np.zeros(len(capacity) + 1, dtype=np.int64)
    np.cumsum(np.minimum(capacity, demand), out=base[1:])
    return base


@njit(cache=True)
def _da_placements(
    choice_ptr: NDArray[np.int64],
    choices: NDArray[np.int32],
    edge_rank: NDArray[np.int32],
    capacity: NDArray[np.int32],
    base: NDArray[np.int64],
) -> tuple[NDArray[np.int64], int]:
    """Student-proposing deferred acceptance, placements model (Gale-Shapley/Roth).

    Returns, per student, the index of the held edge in ``choices`` (-1: unassigned) and the
    number of proposals made. A rejected or evicted student simply continues down their own list,
    so each edge is proposed along at most once: O(edges * log(max capacity)).
    """
    n = len(choice_ptr) - 1
    n_p = len(capacity)
    keys = np.empty(base[-1], dtype=np.int32)
    studs = np.empty(base[-1], dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    size = np.zeros(n_p, dtype=np.int32)
    nxt = choice_ptr[:-1].copy()
    held = np.full(n, -1, dtype=np.int64)
    proposals = 0
    for first in range(n):
        s = first
        while s >= 0:
            k = nxt[s]
            end = choice_ptr[s + 1]
            evicted = -1
            placed = False
            while k < end:
                p = choices[k]
                r = edge_rank[k]
                k += 1
                proposals += 1
                if r < 0:
                    continue
                c = capacity[p]
                b = base[p]
                if size[p] < c:
                    _up(keys, studs, pos, b, size[p], r, s)
                    size[p] += 1
                    placed = True
                    break
                if c > 0 and r < keys[b]:
                    evicted = studs[b]
                    _down(keys, studs, pos, b, c, 0, r, s)
                    placed = True
                    break
            nxt[s] = k
            if placed:
                held[s] = k - 1
                if evicted >= 0:
                    held[evicted] = -1
            s = evicted
    return held, proposals


@njit(cache=True)
def _da_supervisors(
    choice_ptr: NDArray[np.int64],
    choices: NDArray[np.int32],
    edge_rank: NDArray[np.int32],
    capacity: NDArray[np.int32],
    p_base: NDArray[np.int64],
    owner_of: NDArray[np.int32],
    owner_capacity: NDArray[np.int32],
    o_base: NDArray[np.int64],
) -> tuple[NDArray[np.int64], int]:
    """Abraham-Irving-Manlove SPA-student as deferred acceptance.

    AIM delete the pairs (t, p) for every t ranked below the worst student of a full placement
    p, and (t, p') for every placement p' of a full supervisor and t ranked below its worst
    student. Deletions only ever grow, so they are kept as two monotone thresholds per
    placement (``p_cut``) and per supervisor (``o_cut``): a proposal ranked above a threshold is
    a deleted pair. When a full placement takes a better applicant it drops its own worst; when
    only the supervisor is full, the supervisor drops its worst student from whichever of its
    placements that student holds. Both heaps are indexed (``ppos``/``opos``) so a student can
    be removed from the other heap in O(log capacity).
    """
    n = len(choice_ptr) - 1
    n_p = len(capacity)
    n_o = len(owner_capacity)
    pk = np.empty(p_base[-1], dtype=np.int32)
    ps = np.empty(p_base[-1], dtype=np.int32)
    ok = np.empty(o_base[-1], dtype=np.int32)
    os_ = np.empty(o_base[-1], dtype=np.int32)
    ppos = np.empty(n, dtype=np.int32)
    opos = np.empty(n, dtype=np.int32)
    psz = np.zeros(n_p, dtype=np.int32)
    osz = np.zeros(n_o, dtype=np.int32)
    p_cut = np.full(n_p, 2147483647, dtype=np.int32)
    o_cut = np.full(n_o, 2147483647, dtype=np.int32)
    nxt = choice_ptr[:-1].copy()
    held = np.full(n, -1, dtype=np.int64)
    proposals = 0
    for first in range(n):
        s = first
        while s >= 0:
            k = nxt[s]
            end = choice_ptr[s + 1]
            evicted = -1
            placed = False
            while k < end:
                p = choices[k]
                r = edge_rank[k]
                k += 1
                proposals += 1
                if r < 0:
                    continue
                o = owner_of[p]
                pc = capacity[p]
                oc = owner_capacity[o]
                if pc == 0 or oc == 0 or r > p_cut[p] or r > o_cut[o]:
                    continue
                pb = p_base[p]
                ob = o_base[o]
                if psz[p] == pc:
                    # p over-subscribed: it drops its worst; the supervisor's count is unchanged.
                    evicted = ps[pb]
                    at = opos[evicted]
                    _down(pk, ps, ppos, pb, pc, 0, r, s)
                    # s takes the evicted student's slot in the supervisor heap (smaller key).
                    _down(ok, os_, opos, ob, osz[o], at, r, s)
                elif osz[o] == oc:
                    # supervisor over-subscribed: it drops its worst student from that student's
                    # placement q (possibly p itself).
                    evicted = os_[ob]
                    q = choices[held[evicted]]
                    _remove(pk, ps, ppos, p_base[q], psz[q], ppos[evicted])
                    psz[q] -= 1
                    _down(ok, os_, opos, ob, oc, 0, r, s)
                    _up(pk, ps, ppos, pb, psz[p], r, s)
                    psz[p] += 1
                else:
                    _up(pk, ps, ppos, pb, psz[p], r, s)
                    psz[p] += 1
                    _up(ok, os_, opos, ob, osz[o], r, s)
                    osz[o] += 1
                if psz[p] == pc:
                    p_cut[p] = pk[pb]
                if osz[o] == oc:
                    o_cut[o] = ok[ob]
                placed = True
                break
            nxt[s] = k
            if placed:
                held[s] = k - 1
                if evicted >= 0:
                    held[evicted] = -1
            s = evicted
    return held, proposals


def deferred_acceptance(instance: Instance, prepared: Prepared) -> tuple[NDArray[np.int64], int]:
    """Run the right kernel; returns the held edge per student (-1: none) and the proposals."""
    demand = np.bincount(instance.choices, minlength=instance.n_placements)
    if prepared.supervised:
        owner_demand = np.bincount(
            prepared.owner_of, weights=demand, minlength=len(prepared.owner_capacity)
        ).astype(np.int64)
        return _da_supervisors(
            instance.choice_ptr,
            instance.choices,
            prepared.edge_rank,
            instance.capacity,
            _bases(instance.capacity, demand),
            prepared.owner_of,
            prepared.owner_capacity,
            _bases(prepared.owner_capacity, owner_demand),
        )
    return _da_placements(
        instance.choice_ptr,
        instance.choices,
        prepared.edge_rank,
        instance.capacity,
        _bases(instance.capacity, demand),
    )
