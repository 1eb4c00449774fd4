"""Database rows → engine instance, and engine result → statistics and explanations.

The engine (`stagebrug.matching.engine`) knows nothing of Django; this module is the only place
that translates. It uses the placements model (hospitals/residents, C5): each placement offered
in the round is one engine placement with its free positions as capacity, and its ranking of
candidates comes from the seat's ranking mode:

* ``rank``: the business's own order (CandidateRank). Candidates it did not rank are not
  acceptable to it; the business page says so.
* ``fit``: the fit score's order (`stagebrug.applications.recommendations.query.rank_students_for_placements`,
  W2/W14). Students the fit score leaves out (its hard eligibility gate) are not acceptable.
* ``accept_all``: no ranking, so the engine's single seeded lottery orders the candidates.

Duo placements (W21) have MBO and HBO seats, counted apart: a duo is two linked engine seats,
``p<pk>~mbo`` and ``p<pk>~hbo`` with the duo id ``p<pk>``, each with the free seats of its kind
(the round's own kind first, both within the round's capacity). A student's choice of a duo
goes to the seat of the student's kind, and each seat ranks only students of its kind, so two
MBO students never fill a duo. A round serves one programme, so every student's kind is the
programme's. Results map the seat back to the placement and keep its kind (``seat``); the
statistics list the duos left half-filled.

Engine ids are ``s<user pk>``, ``p<placement pk>`` and ``p<pk>~<seat>``; explanations are stored with database
pks and reason codes, never with texts or other students' names, and are worded per language
by `stagebrug.matching.explanations` when shown.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stagebrug.applications.recommendations.query import rank_students_for_placements
from stagebrug.core.geo import haversine_km
from stagebrug.matching.engine import Result
from stagebrug.matching.engine.explain import Explainer
from stagebrug.matching.models import (
    CandidateRank,
    Round,
    RoundSeat,
    RoundStudent,
    SeatRanking,
    StudentChoice,
)
from stagebrug.placements.models import SEAT_KINDS, Status

Progress = Callable[[int, str], None]

#: How a placement's candidates were ordered, as stored in the explanations.
BY_BUSINESS = "business"
BY_FIT = "fit"
BY_LOTTERY = "lottery"

#: Why a student was not placed (the review statistics).
WHY_RANKED_NOTHING = "ranked_nothing"
WHY_ALL_FULL = "all_full"
WHY_NO_ELIGIBLE = "no_eligible"


def _noop(_percent: int, _message: str) -> None:
    return None


def student_key(pk: int) -> str:
    return f"s{pk}"


def placement_key(pk: int) -> str:
    return f"p{pk}"


def seat_key(pk: int, kind: str) -> str:
    """The engine id of one seat kind ("mbo"/"hbo") of a duo placement (W21)."""
    return f"{placement_key(pk)}~{kind}"


def seat_of(engine_id: str) -> str:
    """The seat kind of an engine placement id: "mbo" or "hbo" for a duo's seat, else ""."""
    return engine_id.partition("~")[2]


@dataclass
class RoundInput:
    """The engine instance of one round plus what is needed to translate the result back."""

    data: dict[str, Any]
    students: list[int]
    placements: list[int]
    capacity: dict[int, int]
    ranked_by: dict[int, str]
    home: dict[int, tuple[float, float] | None]
    location: dict[int, tuple[float, float] | None]
    duo_placements: int = 0
    notes: list[str] = field(default_factory=list)
    #: W21: capacity per engine seat of a duo (``p<pk>~mbo``); other placements use `capacity`.
    seat_capacity: dict[str, int] = field(default_factory=dict)
    #: The kind of education of the round's students ("mbo" or "hbo").
    kind: str = ""

    def open_to_round(self, pk: int) -> int:
        """The places a round's students can take at a placement: of a duo, only the seats of
        their kind (W21); the duo's other seats wait for a round of that kind."""
        return self.seat_capacity.get(seat_key(pk, self.kind), self.capacity[pk])


def home_point(student) -> tuple[float, float] | None:
    """The centre of the student's home postcode area, if known (only the area is kept)."""
    profile = getattr(student, "student_profile", None)
    pc4 = profile.home_pc4 if profile is not None else None
    if pc4 is None or pc4.latitude is None or pc4.longitude is None:
        return None
    return (pc4.latitude, pc4.longitude)


def build_input(round: Round, *, progress: Progress = _noop) -> RoundInput:
    """Read the round's students, choices, seats and rankings and build the engine instance."""
    # Only placements still published take part: one closed or withdrawn since the round
    # opened has no seats to give.
    seats = list(
        RoundSeat.objects.filter(round=round, placement__status=Status.PUBLISHED)
        .select_related("placement__location__pc4")
        .order_by("placement_id")
    )
    placements = {seat.placement_id: seat.placement for seat in seats}
    # A round serves one programme: every student in it is of the programme's kind (W21).
    kind = round.programme.kind
    seat_capacity = {
        seat_key(seat.placement_id, k): c
        for seat in seats
        if seat.placement.is_duo
        for k, c in duo_capacity(seat.placement, seat.capacity, first=kind).items()
    }
    capacity = {
        seat.placement_id: (
            sum(seat_capacity[seat_key(seat.placement_id, k)] for k in SEAT_KINDS)
            if seat.placement.is_duo
            else min(seat.capacity, seat.placement.free_positions)
        )
        for seat in seats
    }
    entries = list(
        RoundStudent.objects.filter(round=round)
        .select_related("student__student_profile__home_pc4")
        .order_by("student_id")
    )
    student_ids = [entry.student_id for entry in entries]
    home = {entry.student_id: home_point(entry.student) for entry in entries}
    in_round = set(student_ids)
    prefs: dict[int, list[int]] = {pk: [] for pk in student_ids}
    choosers: dict[int, list[int]] = {pk: [] for pk in placements}
    for student_id, placement_id in (
        StudentChoice.objects.filter(round=round)
        .order_by("student_id", "rank")
        .values_list("student_id", "placement_id")
    ):
        if student_id in in_round and placement_id in placements:
            prefs[student_id].append(placement_id)
            choosers[placement_id].append(student_id)
    progress(15, "Rankings read")

    ranked_lists: dict[int, list[int]] = {}
    for placement_id, student_id in (
        CandidateRank.objects.filter(
            round=round,
            placement_id__in=[s.placement_id for s in seats if s.ranking == SeatRanking.RANK],
        )
        .order_by("placement_id", "rank")
        .values_list("placement_id", "student_id")
    ):
        ranked_lists.setdefault(placement_id, []).append(student_id)

    notes: list[str] = []
    fit_seats = [s for s in seats if s.ranking == SeatRanking.FIT]
    fit_orders: dict[int, list[tuple[int, int]]] = {}
    if fit_seats:
        # One pass over all fit-ranked placements, reading each student once.
        wanted_ids = sorted({sid for s in fit_seats for sid in choosers[s.placement_id]})
        fit_orders = rank_students_for_placements([s.placement for s in fit_seats], wanted_ids)
    ranked_by: dict[int, str] = {}
    placement_rows: list[dict[str, Any]] = []
    for done, seat in enumerate(seats, start=1):
        pk = seat.placement_id
        wanted = set(choosers[pk])
        if seat.ranking == SeatRanking.RANK:
            order: list[int] | None = ranked_lists.get(pk, [])
            ranked_by[pk] = BY_BUSINESS
        elif seat.ranking == SeatRanking.FIT:
            order = [student_id for student_id, _score in fit_orders.get(pk, [])]
            ranked_by[pk] = BY_FIT
        else:
            order = None
            ranked_by[pk] = BY_LOTTERY
        if seat.placement.is_duo:
            # Two linked seats; each ranks only the students of its kind (all of the round's
            # students are of `kind`, so the other seat has no candidates in this round).
            rows = [
                {
                    "id": seat_key(pk, k),
                    "capacity": seat_capacity[seat_key(pk, k)],
                    "duo": placement_key(pk),
                    "seat": k,
                    "wanted": wanted if k == kind else set(),
                }
                for k in SEAT_KINDS
            ]
        else:
            rows = [{"id": placement_key(pk), "capacity": capacity[pk], "wanted": wanted}]
        for row in rows:
            among = row.pop("wanted")
            if order is not None:
                row["preferences"] = [student_key(s) for s in dict.fromkeys(order) if s in among]
            placement_rows.append(row)
        if fit_seats and done % 25 == 0:
            progress(15 + int(25 * done / len(seats)), "Placements ranking their candidates")
    progress(40, "Instance built")

    location = {}
    for pk, placement in placements.items():
        if placement.latitude is not None and placement.longitude is not None:
            location[pk] = (placement.latitude, placement.longitude)
        else:
            pc4 = placement.location.pc4 if placement.location_id else None
            location[pk] = (
                (pc4.latitude, pc4.longitude)
                if pc4 is not None and pc4.latitude is not None
                else None
            )
    data = {
        "students": [
            {
                "id": student_key(pk),
                "preferences": [
                    seat_key(p, kind) if placements[p].is_duo else placement_key(p)
                    for p in prefs[pk]
                ],
            }
            for pk in student_ids
        ],
        "placements": placement_rows,
        "seed": round.seed,
    }
    return RoundInput(
        data=data,
        students=student_ids,
        placements=[seat.placement_id for seat in seats],
        capacity=capacity,
        ranked_by=ranked_by,
        home=home,
        location=location,
        duo_placements=sum(1 for p in placements.values() if p.is_duo),
        notes=notes,
        seat_capacity=seat_capacity,
        kind=kind,
    )


def duo_capacity(placement, round_capacity: int, *, first: str) -> dict[str, int]:
    """W21: the seats of each kind a duo gives a round: the free seats of that kind, the
    round's own kind (`first`) first, together at most the round's capacity."""
    left = round_capacity
    out: dict[str, int] = {}
    for k in sorted(SEAT_KINDS, key=lambda k: k != first):
        out[k] = max(0, min(left, placement.free_seats(k)))
        left -= out[k]
    return out


def _pk(engine_id: str) -> int:
    """The placement pk of an engine id: ``p12`` and the duo seats ``p12~mbo``/``p12~hbo``."""
    return int(engine_id[1:].partition("~")[0])


def _distance(home: tuple[float, float] | None, where: tuple[float, float] | None) -> float | None:
    if home is None or where is None:
        return None
    return haversine_km(home, where)


def why_unplaced(explanation: dict[str, Any]) -> str:
    """Sort an unplaced student into one of three reasons for the coordinator's review."""
    reasons = explanation.get("reasons") or []
    if not reasons:
        return WHY_RANKED_NOTHING
    if any(r["code"] in ("full", "supervisor_full", "welfare") for r in reasons):
        return WHY_ALL_FULL
    return WHY_NO_ELIGIBLE


def summarise(
    inp: RoundInput, result: Result
) -> tuple[dict[str, Any], dict[str, int], dict[str, dict[str, Any]]]:
    """The statistics, the assignment (student pk → placement pk) and the explanations."""
    instance = result.instance
    explainer = Explainer(instance, result)
    assignment: dict[str, int] = {}
    explanations: dict[str, dict[str, Any]] = {}
    distances: list[float] = []
    unknown_home = 0
    why: Counter[str] = Counter()
    placement_of = result.placement_of.tolist()
    for i, sid in enumerate(instance.student_ids):
        student = _pk(sid)
        exp = explainer.explain_index(i)
        reasons = [
            {
                "choice": r.choice,
                "placement": _pk(r.placement),
                "code": r.code,
                "seats": inp.seat_capacity.get(r.placement, inp.capacity.get(_pk(r.placement), 0)),
                "ranked_by": inp.ranked_by.get(_pk(r.placement), BY_LOTTERY),
            }
            for r in exp.reasons
        ]
        entry: dict[str, Any] = {
            "placement": None,
            "choice": exp.choice,
            "ranked": int(instance.choice_ptr[i + 1] - instance.choice_ptr[i]),
            "reasons": reasons,
        }
        j = placement_of[i]
        if j >= 0:
            placement = _pk(instance.placement_ids[j])
            assignment[str(student)] = placement
            entry["placement"] = placement
            if seat := seat_of(instance.placement_ids[j]):
                entry["seat"] = seat  # W21: which seat of the duo the student has
            km = _distance(inp.home.get(student), inp.location.get(placement))
            if km is None:
                unknown_home += 1
            else:
                entry["km"] = round(km, 1)
                distances.append(km)
        else:
            entry["why"] = why_unplaced(entry)
            why[entry["why"]] += 1
        explanations[str(student)] = entry

    n = instance.n_students
    placed = result.assigned
    placed_at: Counter[int] = Counter()  # per placement: a duo's two seats together
    for j, count in enumerate(result.placement_counts().tolist()):
        placed_at[_pk(instance.placement_ids[j])] += count
    capacity_total = sum(inp.open_to_round(pk) for pk in inp.placements)
    by_choice = {str(k): v for k, v in sorted(result.by_choice.items())}
    stats: dict[str, Any] = {
        "students": n,
        "ranked_any": sum(1 for e in explanations.values() if e["ranked"] > 0),
        "placed": placed,
        "placed_share": round(100.0 * placed / n, 1) if n else 0.0,
        "unplaced": n - placed,
        "by_choice": by_choice,
        "by_choice_share": {
            k: round(100.0 * v / placed, 1) if placed else 0.0 for k, v in by_choice.items()
        },
        "mean_choice": (
            round(sum(int(k) * v for k, v in by_choice.items()) / placed, 2) if placed else None
        ),
        "travel_km": {
            "mean": round(statistics.fmean(distances), 1) if distances else None,
            "median": round(statistics.median(distances), 1) if distances else None,
            "max": round(max(distances), 1) if distances else None,
            "known": len(distances),
            "unknown": unknown_home,
        },
        "unplaced_why": {
            WHY_RANKED_NOTHING: why.get(WHY_RANKED_NOTHING, 0),
            WHY_ALL_FULL: why.get(WHY_ALL_FULL, 0),
            WHY_NO_ELIGIBLE: why.get(WHY_NO_ELIGIBLE, 0),
        },
        "placements": len(inp.placements),
        "seats": capacity_total,
        "seats_free_after": capacity_total - placed,
        "placements_unfilled": sum(
            1 for pk in inp.placements if placed_at.get(pk, 0) < inp.open_to_round(pk)
        ),
        "ranked_by": dict(Counter(inp.ranked_by.values())),
        "duo_placements": inp.duo_placements,
        "half_filled_duos": [
            {"placement": _pk(d["duo"]), "filled": d["filled"], "empty": d["empty"]}
            for d in result.half_filled_duos
        ],
        "blocking_pairs": len(result.blocking_pairs),
        "mode": result.mode,
        "seed": result.seed,
        "seconds": round(result.seconds, 4),
        "notes": list(inp.notes),
    }
    return stats, assignment, explanations
