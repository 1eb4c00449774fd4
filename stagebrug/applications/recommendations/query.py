"""Recommendations both ways (C5; W2, W14, W16, W21), scored by `fit.py`.

* `recommend_for_student`: the published placements that fit a student best, with reasons.
* `candidates_for_placement`: the discoverable students who fit a placement best, with reasons,
  showing only what a business may see.
* `rank_students_for_placement(s)`: the fit score's ranking of given students, for matching
  rounds ("let the fit score rank the candidates").

National scale (500,000 placements, 100,000 students; `bench/recommend.py`) rests on doing
the selective work in SQL and the judging in Python:

1. **Candidates in SQL**: for a student, the rows of their programme in `placements_reach`
   (one narrow row per approved programme of each published placement, written by triggers,
   see `placements.reach`; a programme's rows lie together, so 30,000 of them are one range),
   not full, at the student's level, within a bounding box of their maximum travel distance
   around the home postcode area, refined to the circle with plain arithmetic. For a
   placement, the discoverable students of its approved programmes near it.
2. **Best bound first** (for a student): SQL orders those rows by an upper bound of their
   fit score (`bound.score_bound`: each component at its exact value or above it; the
   activities counted in the terms stored with each placement) and streams them in chunks
   (a server-side cursor on PostgreSQL). Python scores each row exactly with
   `fit.eligible_score` (numbers only, microseconds each; the terms are read back from
   `Placement.fit_keys`, so no text is analysed per request) and stops as soon as the N-th
   best exact score beats the bound of every row not yet read. The top N is then the top N
   of *all* eligible placements in reach, as exhaustive scoring gives it (tests and the
   benchmark compare the two, the benchmark against the placements table itself), while a
   student with 24,000 placements in reach reads a few hundred. For a placement the nearest
   `CANDIDATE_CAP` students are scored.
3. **Explain the top N only**: fetch those rows in full and build the sentences with `fit.fit`.

Every function runs a bounded number of queries whatever the data size (tests pin it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import heapq
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, F, FloatField, TextField, Value, When
from django.db.models.functions import Cast

from stagebrug.applications import recommendations as fitlib
from stagebrug.applications.models import Application, StudentProfile
from stagebrug.applications.periods import placed_for, placed_periods, start_windows, windows_of
from stagebrug.applications.recommendations.bound import score_bound
from stagebrug.applications.recommendations.rows import placement_fit_facts_of
from stagebrug.core.geo import bounding_box, haversine_km, squared_km
from stagebrug.placements.models import Placement, PlacementReach, ProgrammeDecision, Status
from stagebrug.registry.models import Programme

# The most students scored per placement (`candidates_for_placement`), the nearest first.
CANDIDATE_CAP = 1000
# Rows fetched at a time of a student's placements in reach, best bound first.
CHUNK = 200
# The squared equirectangular km is within 1% of the squared haversine km at these distances.
NEAR_SLACK = 1.02
# Floating point in SQL and in Python may differ in the last digits: a bound this close to a
# score does not stop the reading.
BOUND_MARGIN = 1e-6
MAX_LIMIT = 50
# rank_students_for_placement reads profiles in chunks of this many ids (SQLite's limit on
# query parameters is 32,766; a round's cohort can be larger).
ID_CHUNK = 10_000


@dataclass(frozen=True)
class Recommendation:
    """A placement for a student, with the fit and its reasons (written for the student)."""

    placement: Placement
    fit: fitlib.FitResult

    @property
    def distance_km(self) -> float | None:
        return self.fit.distance_km


@dataclass(frozen=True)
class CandidateProfile:
    """What a business may see of a discoverable student: no CV, no support notes (W14: those
    are for the confirmed supervisor only), no home postcode; the distance in km is enough."""

    student_id: int
    name: str  # first name only
    programme: str
    institution: str
    level_label: str
    year: int
    wanted_activities: str
    activity_tags: tuple[str, ...]
    skills: str
    skill_tags: tuple[str, ...]
    languages: tuple[str, ...]
    hours_per_week: int | None
    available_from: dt.date | None
    distance_km: float | None


@dataclass(frozen=True)
class Candidate:
    """A student for a placement, with the fit and its reasons (written for the business)."""

    profile: CandidateProfile
    fit: fitlib.FitResult


def _rank_key(score: int, km: float | None, pk: int) -> tuple[int, float, int]:
    """Best first: higher score, then nearer, then the newer (higher id)."""
    return (-score, km if km is not None else math.inf, -pk)


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


# --------------------------------------------------------------------------------------------
# For a student


_PLACEMENT_COLUMNS = (
    "pk",
    "kind",
    "levels_text",
    "is_duo",
    "hours_per_week",
    "starts_text",
    "allowance",
    "latitude",
    "longitude",
    "fit_keys",
    "unkeyed_text",
)


def _near(qs, student: fitlib.StudentFacts):
    """`qs` (rows with `latitude` and `longitude`) within the student's maximum travel
    distance of their home area, with the squared km as `km2`; all of `qs` when we do not
    know where the student lives. A bounding box on the indexed columns, then the circle in
    plain arithmetic, a little wide: the haversine in Python decides."""
    if student.home is None:
        return qs
    south, north, west, east = bounding_box(student.home, student.max_travel_km)
    return (
        qs.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
        .annotate(km2=squared_km("latitude", "longitude", student.home))
        .filter(km2__lte=float(student.max_travel_km) ** 2 * NEAR_SLACK)
    )


def _reach(student: fitlib.StudentFacts):
    """The rows of `placements_reach` (`PlacementReach`) of the student's programme, at their
    level, not full, in reach of their home area: what `_in_reach` finds, from one range of
    rows that lie together (see `placements.reach`)."""
    qs = (
        PlacementReach.objects.filter(programme_id=student.programme_id, free__gt=0)
        .alias(level_bit=F("level_mask").bitand(1 << student.level))
        .filter(level_bit__gt=0)
        .annotate(allowance=F("monthly_allowance"))
    )
    return _near(qs, student)


def _in_reach(student: fitlib.StudentFacts):
    """Published placements approved for the student's programme, at their level, not full,
    and in reach of their home area, with the columns the score reads, from the placements
    themselves (the benchmark's and the tests' reference for `_reach`)."""
    qs = _near(
        Placement.objects.filter(
            status=Status.PUBLISHED,
            targets__programme_id=student.programme_id,
            targets__decision=ProgrammeDecision.APPROVED,
        ),
        student,
    )
    return (
        _with_details(qs)
        .annotate(
            levels_text=Cast("levels", TextField()),
            allowance=Cast("monthly_allowance", FloatField()),
        )
        # The level list is JSON text ("[2, 3]"): a digit test is a cheap filter; the gate in
        # Python decides. Confirmed internships took every position (the services also mark
        # such a placement filled; this guards one that is not).
        .filter(levels_text__contains=str(student.level), positions__gt=F("positions_taken"))
    )


def _with_details(qs):
    """Placements with their start dates as JSON text (parsed once per distinct value: there
    are few) and, only where the terms were never stored, the search text."""
    return qs.annotate(
        starts_text=Cast("start_dates", TextField()),
        unkeyed_text=Case(
            When(fit_keys="", then=F("search_text")),
            default=Value(""),
            output_field=TextField(),
        ),
    )


def candidate_query(student: fitlib.StudentFacts, *, cap: int | None = CANDIDATE_CAP):
    """The placements in reach read from the placements table as `_PLACEMENT_COLUMNS` rows,
    newest first, at most `cap` (None: all of them): the benchmark's reference.

    The JSON columns are read as text and parsed once per distinct value (there are few), the
    allowance as a float: per-row conversion was a third of the Python time at 1,000 rows.
    """
    rows = _in_reach(student).order_by("-pk").values_list(*_PLACEMENT_COLUMNS)
    return rows if cap is None else rows[:cap]


def placement_candidates(
    student: fitlib.StudentFacts, *, cap: int | None = CANDIDATE_CAP
) -> list[fitlib.PlacementFitFacts]:
    """The rows of `candidate_query` as facts, in one query.

    The facts carry only the student's own programme as approved programme: the query joined
    on it, and the score of this student needs nothing else.
    """
    return [
        _facts(student, pk, kind, fitlib.levels_from_json(levels), is_duo, hours, starts,
               allowance, lat, lon, keys, unkeyed)
        for (pk, kind, levels, is_duo, hours, starts, allowance, lat, lon, keys,
             unkeyed) in candidate_query(student, cap=cap)
    ]  # fmt: skip


def _facts(student, pk, kind, levels, is_duo, hours, starts, allowance, lat, lon, keys, unkeyed):
    """A placement's facts from columns read in bulk (start dates as JSON text; the stored
    terms, else the search text of a placement whose terms were never stored)."""
    return fitlib.PlacementFitFacts(
        placement_id=pk,
        kind=kind,
        levels=levels,
        approved_programme_ids=frozenset({student.programme_id}),
        is_duo=is_duo,
        hours_per_week=hours,
        start_dates=fitlib.dates_from_json(starts),
        monthly_allowance=allowance or 0.0,
        location=(lat, lon) if lat is not None and lon is not None else None,
        activity_keys=fitlib.placement_keys(fit_keys=keys, search_text=unkeyed),
    )


def recommend_for_student(
    profile: StudentProfile,
    *,
    limit: int = 20,
    weights: fitlib.FitWeights | None = None,
    stats: dict | None = None,
) -> list[Recommendation]:
    """The best published placements for this student, best first, each with its reasons.

    Only placements approved for the student's programme, at the student's level, not full,
    (when we know where the student lives) within their maximum travel distance, and not in a
    period the student is placed for already (W1). The top `limit` of all of them, never of
    a subset: read best bound first and stopped once no unread row can enter it (see the
    module). Ties: nearer first, then newer. Four queries for most students (their placed
    periods, the rows in reach, the details of the chunk read, the rows shown), one more per
    further chunk, plus up to two when the profile's programme and home area were not
    select_related. `stats`, when given, receives the rows read and the chunks.
    """
    weights = weights or fitlib.load_weights()
    (student,) = fitlib.student_facts([profile])
    limit = _limit(limit)
    placed = placed_periods([student.student_id]).get(student.student_id, ())
    rows = (
        _reach(student)
        .annotate(bound=score_bound(student, weights))
        .order_by("-bound", "-placement_id")
        .values_list(*_REACH_COLUMNS, "bound")
    )
    scored: list = []
    read = batches = 0
    # A server-side cursor on PostgreSQL: the rows come in chunks, and the rest is never sent
    # once no unread row can enter the top. It lives in a transaction (PgBouncer's too).
    with contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic():
        stream = rows.iterator(chunk_size=CHUNK)
        try:
            while chunk := list(itertools.islice(stream, CHUNK)):
                batches += 1
                read += len(chunk)
                done = False
                if len(scored) == limit:
                    # Rows come best bound first; none from the first whose bound (which
                    # counts the score's rounding) is below the N-th score can enter the top.
                    # Ties go to the nearer and newer, so an equal bound is still read.
                    floor = -scored[-1][0][0] - BOUND_MARGIN
                    keep = next((i for i, row in enumerate(chunk) if row[-1] < floor), None)
                    if keep is not None:
                        chunk, done = chunk[:keep], True
                scored.extend(_scored_rows(student, chunk, placed, weights))
                scored = heapq.nsmallest(limit, scored, key=lambda item: item[0])
                if done:
                    break
        finally:
            stream.close()
    if stats is not None:
        stats.update(read=read, batches=batches)
    top = scored
    if not top:
        return []
    placements = Placement.objects.select_related("company", "location", "municipality").in_bulk(
        [facts.placement_id for _key, facts in top]
    )
    out = []
    for _key, facts in top:
        placement = placements.get(facts.placement_id)
        if placement is None:  # deleted between the two queries
            continue
        full = dataclasses.replace(
            facts, title=placement.title, activities=tuple(map(str, placement.activities or ()))
        )
        out.append(Recommendation(placement, fitlib.fit(student, full, weights=weights)))
    return out


_REACH_COLUMNS = (
    "placement_id",
    "kind",
    "level_mask",
    "is_duo",
    "hours_per_week",
    "allowance",
    "latitude",
    "longitude",
)


def _scored_rows(student, rows, placed, weights) -> list:
    """(rank key, facts) of each eligible row of `_reach` (`_REACH_COLUMNS` and the bound),
    scored exactly (`eligible_score`). One query reads what the reach rows do not hold: the
    start dates, the duration and the terms, from the placements themselves."""
    details = {
        pk: rest
        for pk, *rest in _with_details(
            Placement.objects.filter(pk__in=[row[0] for row in rows])
        ).values_list("pk", "starts_text", "duration_weeks", "fit_keys", "unkeyed_text")
    }
    out = []
    for pk, kind, mask, is_duo, hours, allowance, lat, lon, _bound in rows:
        if pk not in details:
            continue  # deleted since the stream began
        starts, weeks, keys, unkeyed = details[pk]
        levels = _levels_of_mask(mask)
        facts = _facts(
            student, pk, kind, levels, is_duo, hours, starts, allowance, lat, lon, keys, unkeyed
        )
        if fitlib.gate(student, facts):
            continue
        km = haversine_km(student.home, facts.location) if student.home else None
        if km is not None and km > student.max_travel_km:
            continue
        if placed and placed_for(windows_of(facts.start_dates, weeks), placed):
            continue
        score = fitlib.eligible_score(student, facts, weights)
        out.append((_rank_key(score, km, pk), facts))
    return out


@functools.lru_cache(maxsize=256)
def _levels_of_mask(mask: int) -> frozenset[int]:
    """Levels from `placements_reach.level_mask` (bit n set: level n)."""
    return frozenset(level for level in range(mask.bit_length()) if mask >> level & 1)


# --------------------------------------------------------------------------------------------
# For a business


_PROFILE_COLUMNS = (
    "pk",
    "user_id",
    "programme_id",
    "programme__name",
    "programme__kind",
    "programme__mbo_level",
    "year",
    "home_pc4__latitude",
    "home_pc4__longitude",
    "max_travel_km",
    "hours_per_week",
    "available_from",
    "allowance_needed",
    "wanted_activities",
    "activity_tags",
)


@functools.lru_cache(maxsize=64)
def _programme_level(kind: str, mbo_level: int | None) -> int:
    """`Programme.level` from a row's columns; cached, as rows share few distinct pairs."""
    return Programme(kind=kind, mbo_level=mbo_level).level


def _student_from_row(row: Sequence) -> fitlib.StudentFacts:
    (pk, user_id, programme_id, name, kind, mbo_level, year, lat, lon, max_km, hours, available,
     need, wanted, tags) = row  # fmt: skip
    return fitlib.student_facts_from_values(
        student_id=user_id,
        profile_id=pk,
        programme_id=programme_id,
        programme_name=name,
        programme_kind=kind,
        level=_programme_level(kind, mbo_level),
        year=year,
        latitude=lat,
        longitude=lon,
        max_travel_km=max_km,
        hours_per_week=hours,
        available_from=available,
        allowance_needed=need,
        wanted_activities=wanted,
        activity_tags=tags,
    )


def _approved_programmes(placement: Placement) -> list[Programme]:
    """The programmes the placement is approved for, from the prefetch when there is one."""
    for attr in ("approved_targets", "all_targets"):
        targets = getattr(placement, attr, None)
        if targets is not None:
            return [t.programme for t in targets if t.decision == ProgrammeDecision.APPROVED]
    return list(
        Programme.objects.filter(
            placement_targets__placement=placement,
            placement_targets__decision=ProgrammeDecision.APPROVED,
        )
    )


def _placement_facts(placement: Placement, programmes: Iterable[Programme]):
    return placement_fit_facts_of(placement, [p.pk for p in programmes])


def candidates_for_placement(
    placement: Placement,
    *,
    limit: int = 20,
    weights: fitlib.FitWeights | None = None,
    cap: int = CANDIDATE_CAP,
) -> list[Candidate]:
    """The discoverable students who fit this placement best, best first, with reasons
    written for the business.

    Never a student who did not choose to be discoverable. Only students of the programmes the
    placement is approved for, at a level it suits, whose home area lies within their own
    maximum travel distance of the placement (students who did not give a home area are left
    out: we cannot say the placement is in reach). At most `cap` students are scored, the
    nearest first. Students placed already for the placement's period are left out (W1).
    Four queries at most (approved programmes unless prefetched, the candidates, their current
    internships, the shown students' names and schools).
    """
    weights = weights or fitlib.load_weights()
    programmes = _approved_programmes(placement)
    facts = _placement_facts(placement, programmes)
    eligible = [p.pk for p in programmes if p.level in facts.levels]
    if not eligible:
        return []
    qs = StudentProfile.objects.filter(programme_id__in=eligible, discoverable=True).exclude(
        # W2, W14: a student who applied to this company anonymously is not shown by name
        # here either, until the company shortlists them.
        user_id__in=Application.objects.filter(
            placement__company_id=placement.company_id, anonymous=True, revealed_at=None
        ).values("student_id")
    )
    if facts.location is not None:
        qs = (
            qs.filter(home_pc4__latitude__isnull=False, home_pc4__longitude__isnull=False)
            .annotate(km2=squared_km("home_pc4__latitude", "home_pc4__longitude", facts.location))
            .filter(km2__lte=F("max_travel_km") * F("max_travel_km") * 1.01)
            .order_by("km2", "pk")
        )
    else:
        qs = qs.order_by("-updated_at", "pk")
    scored = []
    for row in qs.values_list(*_PROFILE_COLUMNS)[:cap]:
        student = _student_from_row(row)
        if fitlib.gate(student, facts):
            continue
        km = haversine_km(student.home, facts.location) if facts.location else None
        if km is not None and (student.home is None or km > student.max_travel_km):
            continue
        score = fitlib.eligible_score(student, facts, weights)
        # Best first: higher score, then nearer, then the lower student id.
        key = (-score, km if km is not None else math.inf, student.student_id)
        scored.append((key, student))
    if scored:
        windows = start_windows(placement)
        placed = placed_periods([student.student_id for _key, student in scored])
        scored = [
            (key, student)
            for key, student in scored
            if not placed_for(windows, placed.get(student.student_id, ()))
        ]
    top = heapq.nsmallest(_limit(limit), scored, key=lambda item: item[0])
    if not top:
        return []
    profiles = StudentProfile.objects.select_related("user", "programme__institution").in_bulk(
        [student.profile_id for _key, student in top]
    )
    out = []
    for _key, student in top:
        profile = profiles.get(student.profile_id)
        if profile is None or not profile.discoverable:  # changed between the two queries
            continue
        result = fitlib.fit(student, facts, weights=weights, audience="business")
        out.append(Candidate(candidate_profile(profile, result.distance_km), result))
    return out


def candidate_profile(profile: StudentProfile, distance_km: float | None) -> CandidateProfile:
    """The business's view of a profile (expects `user` and `programme__institution`)."""
    programme = profile.programme
    return CandidateProfile(
        student_id=profile.user_id,
        name=profile.user.get_short_name(),
        programme=programme.name,
        institution=programme.institution.short_name or programme.institution.name,
        level_label=programme.level_label,
        year=profile.year,
        wanted_activities=profile.wanted_activities,
        activity_tags=tuple(map(str, profile.activity_tags or ())),
        skills=profile.skills,
        skill_tags=tuple(map(str, profile.skill_tags or ())),
        languages=tuple(map(str, profile.languages or ())),
        hours_per_week=profile.hours_per_week,
        available_from=profile.available_from,
        distance_km=None if distance_km is None else round(distance_km, 1),
    )


# --------------------------------------------------------------------------------------------
# For matching rounds


def _students_by_user(student_ids: Sequence[int]) -> dict[int, fitlib.StudentFacts]:
    ids = list(dict.fromkeys(int(i) for i in student_ids))
    out: dict[int, fitlib.StudentFacts] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = StudentProfile.objects.filter(user_id__in=ids[start : start + ID_CHUNK])
        for row in rows.values_list(*_PROFILE_COLUMNS):
            student = _student_from_row(row)
            out[student.student_id] = student
    return out


def rank_students_for_placements(
    placements: Iterable[Placement | int],
    student_ids: Sequence[int],
    *,
    weights: fitlib.FitWeights | None = None,
) -> dict[int, list[tuple[int, int]]]:
    """`rank_students_for_placement` for several placements at once, reading each student
    once: {placement id: [(student id, score), ...] best first}. Three queries (placements,
    their approved programmes, the students; more only above ID_CHUNK students)."""
    weights = weights or fitlib.load_weights()
    items = list(placements)
    ids = [p for p in items if not isinstance(p, Placement)]
    loaded = {p.pk: p for p in items if isinstance(p, Placement)}
    if ids:
        loaded.update(Placement.objects.in_bulk(ids))
    order = [p.pk if isinstance(p, Placement) else int(p) for p in items]
    unknown = [pk for pk in order if pk not in loaded]
    if unknown:
        raise Placement.DoesNotExist(f"No placement with id {unknown[0]}")
    facts_list = fitlib.placement_fit_facts([loaded[pk] for pk in order])
    students = _students_by_user(student_ids)
    unique_ids = list(dict.fromkeys(int(i) for i in student_ids))
    out: dict[int, list[tuple[int, int]]] = {}
    for facts in facts_list:
        ranking = [
            (
                sid,
                fitlib.fit_score(students[sid], facts, weights=weights) if sid in students else 0,
            )
            for sid in unique_ids
        ]
        ranking.sort(key=lambda item: (-item[1], item[0]))
        out[facts.placement_id] = ranking
    return out


def reasons_for_business(
    placement: Placement, student_ids: Sequence[int], *, weights: fitlib.FitWeights | None = None
) -> dict[int, list[str]]:
    """The fit's reasons per student (user id) for a placement, written for the business
    (W2, W14): the distance, never the postcode; no support notes, no CV. Students without a
    profile are left out. Two queries (the placement's approved programmes, the students)."""
    weights = weights or fitlib.load_weights()
    facts = fitlib.placement_fit_facts([placement])[0]
    return {
        sid: [
            r.text for r in fitlib.fit(student, facts, audience="business", weights=weights).reasons
        ]
        for sid, student in _students_by_user(student_ids).items()
    }


def rank_students_for_placement(
    placement: Placement | int,
    student_ids: Sequence[int],
    *,
    weights: fitlib.FitWeights | None = None,
) -> list[tuple[int, int]]:
    """The fit score's ranking of these students (user ids) for a placement, for matching
    rounds: [(student id, score)], best first, ties broken by the lower student id.

    Every id given comes back once. A score of 0 means exactly: no profile, or not eligible
    for the placement (the fit gate); every eligible student scores 1–100. Discoverability
    does not apply here: the school runs the round for its own cohort. An unknown placement
    id raises Placement.DoesNotExist. Constant queries: the placement (when given by id), its
    approved programmes, the students.
    """
    pk = placement.pk if isinstance(placement, Placement) else int(placement)
    return rank_students_for_placements([placement], student_ids, weights=weights).get(pk, [])


__all__ = [
    "CANDIDATE_CAP",
    "Candidate",
    "CandidateProfile",
    "Recommendation",
    "candidate_profile",
    "candidate_query",
    "candidates_for_placement",
    "placement_candidates",
    "rank_students_for_placement",
    "rank_students_for_placements",
    "reasons_for_business",
    "recommend_for_student",
]
