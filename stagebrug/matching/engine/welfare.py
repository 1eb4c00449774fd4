"""Welfare mode: place as many students as possible, then minimise the sum of choice ranks.

This is the trade-off a coordinator may want to see next to the stable matching (C5; W2): it can
place more students, or give them better choices on average, at the price of blocking pairs --
students who would rather have a seat that went to someone the placement ranked lower. The
result reports those pairs, counted by the independent verifier.

The optimisation is a min-cost flow; we solve it exactly with SciPy's LAPJVsp sparse assignment
solver (:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`) on a seat-expanded
bipartite graph:

* rows: one per student, plus "blocker" rows for supervisors (below);
* columns: one per seat (a placement with capacity ``c`` has ``c`` seats; never more seats than
  students who chose it) plus one private "unassigned" column per student;
* a student row links to every seat of every acceptable choice with cost ``choice rank``, and to
  its own unassigned column with cost ``K = edges + 1``. Since every row is matched, the objective
  is ``sum of ranks + K * unassigned``; ``K`` exceeds any possible sum of ranks, so one more
  placed student always wins -- maximum cardinality first, then minimum rank sum.
* supervisor capacities (W14: a workplace supervisor can only look after so many students): a
  supervisor with capacity ``c_v`` over placements with ``S_v > c_v`` seats in total gets
  ``S_v - c_v`` blocker rows linked (cost 0) to all those seats. A full matching must seat every
  blocker there, which leaves at most ``c_v`` of the supervisor's seats to students.

All costs are shifted by +1 because SciPy treats explicit zeros as missing edges; every row is
matched exactly once, so the shift does not change the optimum.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from stagebrug.matching.engine.core import Prepared
from stagebrug.matching.engine.instance import Instance

__all__ = ["welfare_assignment"]


def welfare_assignment(instance: Instance, prepared: Prepared) -> NDArray[np.int64]:
    """Held edge per student (-1: unassigned) of a max-cardinality, min-rank-sum assignment.

    Respects placement capacities, supervisor capacities and acceptability (a student is only
    placed at a placement they chose and whose owner ranks them, or uses the lottery).
    """
    n = instance.n_students
    ptr = instance.choice_ptr
    choices = instance.choices.astype(np.int64)
    n_edges = len(choices)
    edge_student = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    edge_choice = np.arange(n_edges, dtype=np.int64) - ptr[edge_student] + 1
    owner = prepared.owner_of.astype(np.int64)
    usable = (
        (prepared.edge_rank >= 0)
        & (instance.capacity[choices] > 0)
        & (prepared.owner_capacity[owner[choices]] > 0)
    )
    edges = np.flatnonzero(usable)
    if len(edges) == 0:
        return np.full(n, -1, dtype=np.int64)

    # Seats per placement: never more than the students who can use them.
    demand = np.bincount(choices[edges], minlength=instance.n_placements)
    seats = np.minimum(instance.capacity.astype(np.int64), demand)
    seat_start = np.zeros(instance.n_placements + 1, dtype=np.int64)
    np.cumsum(seats, out=seat_start[1:])
    n_seats = int(seat_start[-1])

    # Student rows x seat columns, one entry per (acceptable edge, seat of its placement).
    per_edge = seats[choices[edges]]
    rep_edge = np.repeat(edges, per_edge)
    first = np.cumsum(per_edge) - per_edge
    offset = np.arange(len(rep_edge), dtype=np.int64) - np.repeat(first, per_edge)
    rows = [edge_student[rep_edge]]
    cols = [seat_start[choices[rep_edge]] + offset]
    big = float(n_edges + 1)
    vals = [edge_choice[rep_edge].astype(np.float64) + 1.0]
    # Each student's private "unassigned" column.
    rows.append(np.arange(n, dtype=np.int64))
    cols.append(n_seats + np.arange(n, dtype=np.int64))
    vals.append(np.full(n, big + 1.0))

    n_rows = n
    if prepared.supervised:
        n_owners = len(prepared.owner_capacity)
        place_owner = owner
        owner_seats = np.bincount(place_owner, weights=seats, minlength=n_owners).astype(np.int64)
        blockers = np.maximum(owner_seats - prepared.owner_capacity.astype(np.int64), 0)
        # Seat columns grouped by owner.
        seat_place = np.repeat(np.arange(instance.n_placements, dtype=np.int64), seats)
        seat_owner = place_owner[seat_place]
        seat_cols = np.argsort(seat_owner, kind="stable")
        owner_seat_start = np.zeros(n_owners + 1, dtype=np.int64)
        np.cumsum(owner_seats, out=owner_seat_start[1:])
        busy = np.flatnonzero(blockers)
        if len(busy):
            # Blocker b of owner o links to every seat of o: blockers[o] * owner_seats[o] entries.
            b_owner = np.repeat(busy, blockers[busy])
            b_row = n_rows + np.arange(len(b_owner), dtype=np.int64)
            width = owner_seats[b_owner]
            r = np.repeat(b_row, width)
            start = np.repeat(owner_seat_start[b_owner], width)
            first_b = np.cumsum(width) - width
            within = np.arange(len(r), dtype=np.int64) - np.repeat(first_b, width)
            rows.append(r)
            cols.append(seat_cols[start + within])
            vals.append(np.ones(len(r)))
            n_rows += len(b_owner)

    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_seats + n),
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    seat_to_place = np.repeat(np.arange(instance.n_placements, dtype=np.int64), seats)
    placement_of = np.full(n, -1, dtype=np.int64)
    student_rows = row_ind < n
    r_s, c_s = row_ind[student_rows], col_ind[student_rows]
    placed = c_s < n_seats
    placement_of[r_s[placed]] = seat_to_place[c_s[placed]]
    # Back to edges: the position of the placement in the student's list.
    held = np.full(n, -1, dtype=np.int64)
    hit = placement_of[edge_student] == choices
    held[edge_student[hit]] = np.flatnonzero(hit)
    return held
