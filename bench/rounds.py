"""Matching rounds at cohort scale (issue 5, item 5): how many students get a placement?

    python bench/rounds.py                     # 20,000 students, skewed popularity
    python bench/rounds.py --students 5000 --seed 3 --seats-per-student 0.95

Simulated directly with the engine library (`stagebrug.matching.engine`, no Django, no
database): the same `solve()` the round's background job calls. One run prints, side by side:

* **round 1**: every student ranks 5-10 placements (the round's `max_choices`), the ones they
  want most first; the engine's stable mode allocates.
* **after the follow-up round**: the students still unplaced rank the free seats they find
  acceptable (the coordinator publishes the free seats; at most 20 choices, the services'
  cap), and the engine runs again over the seats still free, as `round_create_follow_up`
  does.
* **maximum**: the most students any allocation could place, given who finds what acceptable
  (the engine's welfare mode over every acceptable pair), an upper bound for everything else.
* **students apply on their own**: the open market without a round. A few rounds of a few
  applications each; every business offers its free positions to its best applicants; every
  student accepts their best offer and declines the rest.

The cohort. Students and placements live in an Amsterdam-like region (a big city and five
towns around it). Each student follows one of 25 programmes (tracks) and finds a placement
acceptable when it is for their programme, within their travel reach (10-30 km), and its
activities appeal to them (a quarter of the rest). Popularity is skewed (Zipf): a few
businesses are wanted far more than others, and nearness matters too. Half the businesses rank
candidates by a fit score (the fit module's role in a real round), the other half welcome
everyone in the round's lottery order. A business accepts every student who finds it
acceptable (eligibility is part of acceptability).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stagebrug.matching.engine import solve, verify  # noqa: E402
from stagebrug.matching.engine.instance import Instance, instance_from_arrays  # noqa: E402

# (x km, y km, spread km, weight): Amsterdam, Zaanstad, Almere, Haarlem, Hoofddorp, Purmerend.
TOWNS = [
    (0, 0, 5, 0.50),
    (-2, 12, 3, 0.10),
    (22, -2, 4, 0.12),
    (-17, -2, 3, 0.10),
    (-12, -10, 4, 0.10),
    (2, 18, 3, 0.08),
]
TRACKS = 25
REACH_KM = np.array([10, 15, 20, 25, 30])
REACH_P = np.array([0.15, 0.25, 0.30, 0.20, 0.10])
CAPACITIES = np.array([1, 1, 2, 2, 3])


@dataclass
class Cohort:
    n_students: int
    n_placements: int
    capacity: NDArray[np.int32]
    ranked: NDArray[np.bool_]  # the business ranks by fit (else: lottery)
    # Acceptable pairs (edges), grouped by student, the most wanted first.
    edge_student: NDArray[np.int64]
    edge_placement: NDArray[np.int64]
    edge_fit: NDArray[np.float64]
    student_ptr: NDArray[np.int64]
    km: NDArray[np.float64]


def _places(rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    weights = np.array([t[3] for t in TOWNS])
    town = rng.choice(len(TOWNS), size=n, p=weights / weights.sum())
    centre = np.array([(t[0], t[1]) for t in TOWNS])[town]
    spread = np.array([t[2] for t in TOWNS])[town][:, None]
    return centre + rng.normal(size=(n, 2)) * spread


def make_cohort(
    n_students: int, *, seats_per_student: float, skew: float, interest: float, seed: int
) -> Cohort:
    rng = np.random.default_rng(seed)
    n_p = max(TRACKS, round(n_students * seats_per_student / CAPACITIES.mean()))
    capacity = rng.choice(CAPACITIES, size=n_p).astype(np.int32)
    # Zipf popularity over a random order of the placements: a few are wanted far more.
    popularity = np.empty(n_p)
    popularity[rng.permutation(n_p)] = 1.0 / np.arange(1, n_p + 1) ** skew
    ranked = rng.random(n_p) < 0.5
    s_xy, p_xy = _places(rng, n_students), _places(rng, n_p)
    s_track = rng.integers(0, TRACKS, size=n_students)
    p_track = rng.integers(0, TRACKS, size=n_p)
    reach = rng.choice(REACH_KM, size=n_students, p=REACH_P).astype(np.float64)
    quality = rng.normal(size=n_students)  # how strong a candidate looks to a business
    students_out, placements_out, utility_out, fit_out, km_out = [], [], [], [], []
    for track in range(TRACKS):
        s_idx = np.flatnonzero(s_track == track)
        p_idx = np.flatnonzero(p_track == track)
        if not len(s_idx) or not len(p_idx):
            continue
        d = np.sqrt(((s_xy[s_idx, None, :] - p_xy[None, p_idx, :]) ** 2).sum(axis=2))
        ok = (d <= reach[s_idx, None]) & (rng.random(d.shape) < interest)
        si, pj = np.nonzero(ok)
        dist = d[si, pj]
        s_glob, p_glob = s_idx[si], p_idx[pj]
        # What a student wants: popular (skewed) and near home, with taste as noise.
        utility = (
            np.log(popularity[p_glob]) - dist / (reach[s_glob] / 2) + rng.gumbel(size=len(si)) * 0.7
        )
        fit = quality[s_glob] + rng.normal(size=len(si))
        students_out.append(s_glob)
        placements_out.append(p_glob)
        utility_out.append(utility)
        fit_out.append(fit)
        km_out.append(dist)
    es = np.concatenate(students_out)
    ep = np.concatenate(placements_out)
    eu = np.concatenate(utility_out)
    ef = np.concatenate(fit_out)
    ek = np.concatenate(km_out)
    order = np.lexsort((-eu, es))
    es, ep, ef, ek = es[order], ep[order], ef[order], ek[order]
    ptr = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(np.bincount(es, minlength=n_students), out=ptr[1:])
    return Cohort(n_students, n_p, capacity, ranked, es, ep, ef, ptr, ek)


def build_instance(
    cohort: Cohort,
    students: NDArray[np.int64],
    edges: NDArray[np.int64],
    capacity: NDArray[np.int32],
    seed: int,
) -> Instance:
    """An engine instance over `students` whose lists are `edges` (indices into the cohort's
    edges, grouped by student in preference order). Ranked placements rank, by fit, every
    student of the instance who finds them acceptable; the others use the lottery."""
    local = np.full(cohort.n_students, -1, dtype=np.int64)
    local[students] = np.arange(len(students))
    e_s = local[cohort.edge_student[edges]]
    choice_ptr = np.zeros(len(students) + 1, dtype=np.int64)
    np.cumsum(np.bincount(e_s, minlength=len(students)), out=choice_ptr[1:])
    choices = cohort.edge_placement[edges].astype(np.int32)
    member = local[cohort.edge_student] >= 0
    r_edges = np.flatnonzero(member & cohort.ranked[cohort.edge_placement])
    r_order = r_edges[np.lexsort((-cohort.edge_fit[r_edges], cohort.edge_placement[r_edges]))]
    ranking_ptr = np.zeros(cohort.n_placements + 1, dtype=np.int64)
    np.cumsum(
        np.bincount(cohort.edge_placement[r_order], minlength=cohort.n_placements),
        out=ranking_ptr[1:],
    )
    return instance_from_arrays(
        student_ids=[f"s{i}" for i in students.tolist()],
        placement_ids=[f"p{j}" for j in range(cohort.n_placements)],
        choice_ptr=choice_ptr,
        choices=choices,
        capacity=capacity,
        placement_ranked=cohort.ranked.copy(),
        ranking_ptr=ranking_ptr,
        ranking=local[cohort.edge_student[r_order]].astype(np.int32),
        seed=seed,
    )


def top_edges(cohort: Cohort, students: NDArray[np.int64], k: NDArray[np.int64]) -> NDArray:
    """The first k[i] acceptable placements of each student: their ranking."""
    starts = cohort.student_ptr[students]
    lengths = np.minimum(cohort.student_ptr[students + 1] - starts, k)
    return np.concatenate(
        [np.arange(s, s + n) for s, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
        or [np.zeros(0, dtype=np.int64)]
    ).astype(np.int64)


def _first_per_student(cohort: Cohort, edges: NDArray[np.int64], k: int) -> NDArray[np.int64]:
    """Keep each student's first k edges (edges are grouped by student, in order)."""
    students = cohort.edge_student[edges]
    starts = np.r_[0, np.flatnonzero(np.diff(students)) + 1]
    position = np.arange(len(edges)) - np.repeat(starts, np.diff(np.r_[starts, len(edges)]))
    return edges[position < k]


def placed_at(result, students: NDArray[np.int64]) -> dict[int, int]:
    placement_of = result.placement_of
    return {
        int(students[i]): int(placement_of[i]) for i in np.flatnonzero(placement_of >= 0).tolist()
    }


def apply_on_own(
    cohort: Cohort, rounds: int, applications: int, rng: np.random.Generator
) -> tuple[int, list[int]]:
    """The open market: each round every unplaced student applies to their best `applications`
    acceptable placements that still advertise and that they did not apply to before; every
    business offers its free positions to its best applicants (by fit, or first come when it
    does not rank); every student accepts their best offer."""
    free = cohort.capacity.astype(np.int64).copy()
    placed = np.zeros(cohort.n_students, dtype=bool)
    cursor = cohort.student_ptr[:-1].copy()
    after: list[int] = []
    for _ in range(rounds):
        apps: dict[int, list[tuple[float, int, int]]] = {}
        for s in np.flatnonzero(~placed).tolist():
            sent, e, end = 0, int(cursor[s]), int(cohort.student_ptr[s + 1])
            while sent < applications and e < end:
                p = int(cohort.edge_placement[e])
                if free[p] > 0:
                    score = float(cohort.edge_fit[e]) if cohort.ranked[p] else rng.random()
                    apps.setdefault(p, []).append((score, s, e))
                    sent += 1
                e += 1
            cursor[s] = e
        offers: dict[int, list[tuple[int, int]]] = {}
        for p, applicants in apps.items():
            applicants.sort(reverse=True)
            for _score, s, e in applicants[: int(free[p])]:
                offers.setdefault(s, []).append((e, p))
        for s, got in offers.items():
            _e, p = min(got)  # edges are in the student's preference order
            placed[s] = True
            free[p] -= 1
        after.append(int(placed.sum()))
    return int(placed.sum()), after


def share(n: int, total: int) -> str:
    return f"{100.0 * n / total:5.1f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--seats-per-student", type=float, default=1.05)
    parser.add_argument("--skew", type=float, default=1.0, help="Zipf exponent of popularity")
    parser.add_argument("--interest", type=float, default=0.25)
    parser.add_argument("--min-choices", type=int, default=5)
    parser.add_argument("--max-choices", type=int, default=10)
    parser.add_argument(
        "--follow-up-choices",
        type=int,
        default=20,
        help="choices per student in the follow-up round: 20, the cap of the round services "
        "(MAX_CHOICES); 0 = every acceptable free seat",
    )
    parser.add_argument("--own-rounds", type=int, default=3)
    parser.add_argument("--own-applications", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    cohort = make_cohort(
        args.students,
        seats_per_student=args.seats_per_student,
        skew=args.skew,
        interest=args.interest,
        seed=args.seed,
    )
    rng = np.random.default_rng(args.seed + 1)
    n = cohort.n_students
    everyone = np.arange(n, dtype=np.int64)
    acceptable = np.diff(cohort.student_ptr)
    seats = int(cohort.capacity.sum())
    chosen_by = np.bincount(
        cohort.edge_placement[cohort.student_ptr[:-1][acceptable > 0]],
        minlength=cohort.n_placements,
    )
    top = np.sort(chosen_by)[::-1]
    t_gen = time.perf_counter() - started
    print(
        f"Cohort: {n:,} students, {cohort.n_placements:,} placements with {seats:,} seats "
        f"({seats / n:.2f} per student), {len(cohort.edge_student):,} acceptable pairs "
        f"(median {int(np.median(acceptable))} per student; {int((acceptable == 0).sum())} "
        f"students find nothing acceptable)."
    )
    print(
        f"Popularity is skewed (Zipf {args.skew}): the 10 most wanted placements are the first "
        f"choice of {int(top[:10].sum()):,} students, while {int((chosen_by == 0).sum()):,} of "
        f"the {cohort.n_placements:,} are nobody's first choice. Generated in {t_gen:.1f} s.\n"
    )

    # Round 1: every student ranks 5-10 placements.
    k = rng.integers(args.min_choices, args.max_choices + 1, size=n)
    first_edges = top_edges(cohort, everyone, k)
    t0 = time.perf_counter()
    first = solve(build_instance(cohort, everyone, first_edges, cohort.capacity, args.seed))
    report1 = verify(first.instance, first)
    t_first = time.perf_counter() - t0
    got1 = placed_at(first, everyone)
    assert report1.valid and report1.stable

    # Follow-up: the unplaced rank every acceptable placement with a free seat.
    left = cohort.capacity - np.bincount(
        np.array(list(got1.values()), dtype=np.int64), minlength=cohort.n_placements
    ).astype(np.int32)
    unplaced = np.array(sorted(set(range(n)) - set(got1)), dtype=np.int64)
    all_edges = top_edges(cohort, unplaced, np.full(len(unplaced), 10**9))
    follow_edges = all_edges[left[cohort.edge_placement[all_edges]] > 0]
    if args.follow_up_choices:
        follow_edges = _first_per_student(cohort, follow_edges, args.follow_up_choices)
    t0 = time.perf_counter()
    second = solve(build_instance(cohort, unplaced, follow_edges, left, args.seed + 7))
    report2 = verify(second.instance, second)
    t_second = time.perf_counter() - t0
    assert report2.valid and report2.stable
    got2 = placed_at(second, unplaced)
    listed = np.diff(second.instance.choice_ptr)

    # The maximum: welfare mode over every acceptable pair.
    t0 = time.perf_counter()
    best = solve(
        build_instance(
            cohort, everyone, np.arange(len(cohort.edge_student)), cohort.capacity, args.seed
        ),
        mode="welfare",
    )
    t_best = time.perf_counter() - t0
    maximum = best.assigned

    t0 = time.perf_counter()
    own, own_after = apply_on_own(cohort, args.own_rounds, args.own_applications, rng)
    t_own = time.perf_counter() - t0

    total1 = len(got1)
    total2 = total1 + len(got2)
    km1 = [cohort.km[cohort.student_ptr[s] + first.choice_of[s] - 1] for s in got1]
    print(f"{'':44}{'placed':>9}{'share':>10}{'gap to max':>12}")
    rows = [
        ("Round 1 (stable, 5-10 choices each)", total1),
        ("After the follow-up round", total2),
        ("Maximum any allocation could place", maximum),
        (
            f"Students apply on their own ({args.own_rounds} x {args.own_applications})",
            own,
        ),
    ]
    for label, placed in rows:
        gap = 100.0 * (maximum - placed) / n
        print(f"{label:44}{placed:>9,}{share(placed, n):>10}{gap:>9.1f} pt")
    by_choice = first.by_choice
    firsts = by_choice.get(1, 0)
    print(
        f"\nRound 1: {share(firsts, total1).strip()} of the placed got their first choice, "
        f"{share(sum(v for c, v in by_choice.items() if c <= 3), total1).strip()} one of their "
        f"first three; median travel {np.median(km1):.1f} km; 0 blocking pairs (verified)."
    )
    print(
        f"Follow-up: {len(unplaced):,} unplaced students ranked (at most "
        f"{args.follow_up_choices or 'all'}) the {int((left > 0).sum()):,} placements with "
        f"{int(left.sum()):,} free seats they find acceptable (median "
        f"{int(np.median(listed)) if len(listed) else 0} each; "
        f"{int((listed == 0).sum())} found none); {len(got2):,} placed, 0 blocking pairs."
    )
    print(
        f"Maximum: welfare mode over all {len(cohort.edge_student):,} acceptable pairs "
        f"({len(best.blocking_pairs):,} blocking pairs: it is not stable)."
    )
    print(
        "On their own, placed after each round: "
        + ", ".join(f"{share(v, n).strip()}" for v in own_after)
        + "."
    )
    verdict = "yes" if 100.0 * (maximum - total2) / n <= 1.0 else "NO"
    print(
        f"\nAfter the follow-up round within 1 point of the maximum: {verdict} "
        f"({100.0 * (maximum - total2) / n:.2f} pt)."
    )
    print(
        f"Times: round 1 {t_first:.2f} s, follow-up {t_second:.2f} s (solve + verify), maximum "
        f"(welfare) {t_best:.1f} s, own applications {t_own:.1f} s; total "
        f"{time.perf_counter() - started:.1f} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
