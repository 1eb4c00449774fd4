"""Every eligibility rule with its edge cases (C2; W3, W4, W17, W18)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.placements import eligibility as e
from stagebrug.placements.eligibility import (
    NOT_OK,
    OK,
    UNKNOWN,
    WARNING,
    CompanyFacts,
    PlacementFacts,
    ProgrammeFacts,
    RecognitionFacts,
    Requirement,
    SupervisorFacts,
)
from tests.dates import START, on

# A recognition from three years before the start year until the end of it: valid on START.
RECOGNISED_FROM, RECOGNISED_UNTIL = on(1, 1, -3), on(12, 31)
KOK = ProgrammeFacts(
    id=1, name="Kok", kind="mbo", level=2, sector="economie", crebo="25180", dossier_crebo="23085"
)
COMMUNICATIE = ProgrammeFacts(
    id=2, name="Communicatie", kind="hbo", level=5, sector="economie", crebo="", dossier_crebo=""
)
MBO_PLACEMENT = PlacementFacts(
    kind="mbo", levels=(2, 3), hours_per_week=32, duration_weeks=20, start_dates=(START,)
)
HBO_PLACEMENT = PlacementFacts(
    kind="hbo", levels=(5,), hours_per_week=36, duration_weeks=20, start_dates=(START,)
)


def recognition(
    crebo="25180",
    dossier="23085",
    level=2,
    valid_from=RECOGNISED_FROM,
    valid_until=RECOGNISED_UNTIL,
):
    return RecognitionFacts(
        crebo=crebo,
        dossier_crebo=dossier,
        level=level,
        valid_from=valid_from,
        valid_until=valid_until,
        name="Kok",
    )


def company(employees=8, recognitions=(), supervisors=()):
    return CompanyFacts(
        employee_count=employees, recognitions=tuple(recognitions), supervisors=tuple(supervisors)
    )


def status(rule, p, prog, c):
    verdict = rule(p, prog, c)
    return verdict.status if verdict else None


# --- W3: SBB recognition on the start date ---------------------------------------------------


def test_recognition_valid_on_the_start_date_is_ok():
    assert (
        status(e.rule_recognition, MBO_PLACEMENT, KOK, company(recognitions=[recognition()])) == OK
    )


def test_recognition_expiring_the_day_before_the_start_is_not_ok():
    expired = recognition(valid_until=START - dt.timedelta(days=1))
    verdict = e.rule_recognition(MBO_PLACEMENT, KOK, company(recognitions=[expired]))
    assert verdict.status == NOT_OK and verdict.w == "W3"
    assert verdict.fix


def test_recognition_expiring_on_the_start_date_itself_still_counts():
    on_the_day = recognition(valid_until=START)
    assert status(e.rule_recognition, MBO_PLACEMENT, KOK, company(recognitions=[on_the_day])) in (
        OK,
        WARNING,
    )


def test_recognition_starting_the_day_after_the_start_is_not_ok():
    late = recognition(
        valid_from=START + dt.timedelta(days=1), valid_until=START + dt.timedelta(days=1000)
    )
    assert status(e.rule_recognition, MBO_PLACEMENT, KOK, company(recognitions=[late])) == NOT_OK


def test_recognition_ending_during_the_placement_is_a_warning():
    ends_soon = recognition(valid_until=START + dt.timedelta(weeks=5))
    assert (
        status(e.rule_recognition, MBO_PLACEMENT, KOK, company(recognitions=[ends_soon])) == WARNING
    )


def test_recognition_for_another_qualification_in_the_same_dossier_counts():
    # 25182 Zelfstandig werkend kok is in dossier 23085 too, but at level 3; level 2 of the
    # same dossier counts.
    same_dossier = recognition(crebo="25999", dossier="23085", level=2)
    assert (
        status(e.rule_recognition, MBO_PLACEMENT, KOK, company(recognitions=[same_dossier])) == OK
    )


def test_recognition_at_the_wrong_level_is_not_ok_and_says_so():
    wrong_level = recognition(crebo="25180", level=3)
    with translation.override("en"):
        verdict = e.rule_recognition(MBO_PLACEMENT, KOK, company(recognitions=[wrong_level]))
    assert verdict.status == NOT_OK
    assert "level 3" in verdict.reason and "level 2" in verdict.reason


def test_no_recognition_at_all_is_not_ok():
    assert status(e.rule_recognition, MBO_PLACEMENT, KOK, company()) == NOT_OK


def test_some_start_dates_outside_the_recognition_is_a_warning():
    p = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "start_dates": (START, on(2, 1, 1))})
    assert status(e.rule_recognition, p, KOK, company(recognitions=[recognition()])) == WARNING


def test_hbo_programmes_need_no_sbb_recognition():
    assert e.rule_recognition(HBO_PLACEMENT, COMMUNICATIE, company()) is None


# --- W17: five employees and a supervisor with the same background ---------------------------


@pytest.mark.parametrize("employees, expected", [(4, NOT_OK), (5, OK), (6, OK), (0, NOT_OK)])
def test_hbo_needs_at_least_five_employees(employees, expected):
    assert (
        status(e.rule_employees, HBO_PLACEMENT, COMMUNICATIE, company(employees=employees))
        == expected
    )


def test_a_programme_can_ask_for_more_than_five_employees():
    strict = ProgrammeFacts(
        **{**COMMUNICATIE.__dict__, "requirement": Requirement(min_employees=10)}
    )
    assert status(e.rule_employees, HBO_PLACEMENT, strict, company(employees=9)) == NOT_OK
    assert status(e.rule_employees, HBO_PLACEMENT, strict, company(employees=10)) == OK


def test_a_lower_programme_minimum_never_goes_below_the_hbo_five():
    lax = ProgrammeFacts(**{**COMMUNICATIE.__dict__, "requirement": Requirement(min_employees=2)})
    assert status(e.rule_employees, HBO_PLACEMENT, lax, company(employees=4)) == NOT_OK


def test_mbo_has_no_employee_minimum_unless_the_programme_sets_one():
    assert e.rule_employees(MBO_PLACEMENT, KOK, company(employees=1)) is None


def supervisor(id=1, sector="economie", level=6, name="Sam"):
    return SupervisorFacts(id=id, name=name, education_level=level, education_sector=sector)


def test_hbo_supervisor_with_the_same_background_is_ok():
    assert (
        status(e.rule_supervisor, HBO_PLACEMENT, COMMUNICATIE, company(supervisors=[supervisor()]))
        == OK
    )


def test_hbo_supervisor_with_another_background_is_not_ok():
    verdict = e.rule_supervisor(
        HBO_PLACEMENT, COMMUNICATIE, company(supervisors=[supervisor(sector="techniek")])
    )
    assert verdict.status == NOT_OK and verdict.w == "W17"


def test_hbo_without_any_supervisor_is_not_ok():
    assert status(e.rule_supervisor, HBO_PLACEMENT, COMMUNICATIE, company()) == NOT_OK


def test_a_buddy_with_another_background_is_a_warning_when_a_colleague_matches():
    p = PlacementFacts(**{**HBO_PLACEMENT.__dict__, "buddy_id": 2})
    c = company(
        supervisors=[supervisor(id=1, name="Ann"), supervisor(id=2, sector="techniek", name="Bob")]
    )
    with translation.override("en"):
        verdict = e.rule_supervisor(p, COMMUNICATIE, c)
    assert verdict.status == WARNING and "Ann" in verdict.fix


def test_programme_minimum_supervisor_level_is_enforced():
    strict = ProgrammeFacts(
        **{**COMMUNICATIE.__dict__, "requirement": Requirement(supervisor_min_level=7)}
    )
    assert (
        status(e.rule_supervisor, HBO_PLACEMENT, strict, company(supervisors=[supervisor(level=6)]))
        == NOT_OK
    )
    assert (
        status(e.rule_supervisor, HBO_PLACEMENT, strict, company(supervisors=[supervisor(level=7)]))
        == OK
    )


# --- W4 and W18: kind, level, hours, duration, start period, supervision ----------------------


def test_wrong_level_is_not_ok():
    p = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "levels": (3, 4)})
    verdict = e.rule_level(p, KOK, company())
    assert verdict.status == NOT_OK and verdict.w == "W4"


def test_an_hbo_placement_is_not_for_an_mbo_programme():
    assert status(e.rule_kind, HBO_PLACEMENT, KOK, company()) == NOT_OK
    assert status(e.rule_kind, MBO_PLACEMENT, KOK, company()) == OK


@pytest.mark.parametrize(
    "hours, expected", [(15, NOT_OK), (16, OK), (32, OK), (33, NOT_OK), (None, UNKNOWN)]
)
def test_hours_per_week_within_the_programmes_range(hours, expected):
    prog = ProgrammeFacts(
        **{**KOK.__dict__, "requirement": Requirement(hours_per_week_min=16, hours_per_week_max=32)}
    )
    p = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "hours_per_week": hours})
    assert status(e.rule_hours, p, prog, company()) == expected


@pytest.mark.parametrize("weeks, expected", [(16, NOT_OK), (17, OK), (20, OK), (21, NOT_OK)])
def test_duration_within_the_programmes_range(weeks, expected):
    prog = ProgrammeFacts(
        **{
            **COMMUNICATIE.__dict__,
            "requirement": Requirement(duration_weeks_min=17, duration_weeks_max=20),
        }
    )
    p = PlacementFacts(**{**HBO_PLACEMENT.__dict__, "duration_weeks": weeks})
    assert status(e.rule_duration, p, prog, company()) == expected


def test_start_date_must_fall_in_a_start_period():
    prog = ProgrammeFacts(**{**KOK.__dict__, "requirement": Requirement(start_months=(2, 9))})
    in_march = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "start_dates": (on(3, 1),)})
    mixed = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "start_dates": (START, on(3, 1))})
    assert status(e.rule_start_period, MBO_PLACEMENT, prog, company()) == OK
    assert status(e.rule_start_period, in_march, prog, company()) == NOT_OK
    assert status(e.rule_start_period, mixed, prog, company()) == WARNING


def test_supervision_time_unknown_until_the_business_says():
    prog = ProgrammeFacts(
        **{
            **COMMUNICATIE.__dict__,
            "requirement": Requirement(min_supervision_hours_per_week=Decimal("2")),
        }
    )
    assert status(e.rule_supervision, HBO_PLACEMENT, prog, company()) == UNKNOWN
    less = PlacementFacts(
        **{**HBO_PLACEMENT.__dict__, "supervision_hours_per_week": Decimal("1.5")}
    )
    enough = PlacementFacts(
        **{**HBO_PLACEMENT.__dict__, "supervision_hours_per_week": Decimal("2")}
    )
    assert status(e.rule_supervision, less, prog, company()) == NOT_OK
    assert status(e.rule_supervision, enough, prog, company()) == OK


def test_rules_without_a_requirement_say_nothing():
    for rule in (e.rule_hours, e.rule_duration, e.rule_start_period, e.rule_supervision):
        assert rule(MBO_PLACEMENT, KOK, company()) is None


def test_every_verdict_has_a_reason_a_w_number_and_a_fix_when_not_ok():
    c = company(employees=3, supervisors=[supervisor(sector="techniek")])
    for prog, p in ((KOK, MBO_PLACEMENT), (COMMUNICATIE, HBO_PLACEMENT), (KOK, HBO_PLACEMENT)):
        for verdict in e.evaluate(p, prog, c):
            assert verdict.reason and verdict.w.startswith("W")
            assert verdict.programme_id == prog.id
            if verdict.status == NOT_OK:
                assert verdict.fix


# --- the overall verdict --------------------------------------------------------------------

statuses = st.sampled_from([OK, NOT_OK, WARNING, UNKNOWN])


@given(st.lists(statuses))
def test_one_not_ok_makes_the_programme_ineligible_and_nothing_else_does(values):
    verdicts = [e.Verdict("r", s, "x", "", "W0") for s in values]
    assert e.is_eligible(verdicts) == (NOT_OK not in values)
    assert e.worst(verdicts) == (
        max(values, key=[OK, UNKNOWN, WARNING, NOT_OK].index) if values else OK
    )


def test_a_duo_placement_offers_a_seat_to_both_mbo_and_hbo_programmes():
    duo = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "levels": (2, 5), "is_duo": True})
    assert status(e.rule_kind, duo, KOK, company()) == OK
    assert status(e.rule_kind, duo, COMMUNICATIE, company()) == OK
    assert e.rule_kind(duo, COMMUNICATIE, company()).w == "W21"


# --- Rules that stay true: a recognition that ended, the HBO supervisor's level --------------


def test_a_recognition_that_ended_before_today_is_not_ok_and_says_how_to_fix_it():
    ended = recognition(valid_until=START + dt.timedelta(days=30))
    later = PlacementFacts(
        **{
            **MBO_PLACEMENT.__dict__,
            "start_dates": (START, on(9, 1)),
            "today": START + dt.timedelta(days=31),
        }
    )
    with translation.override("en"):
        verdict = e.rule_recognition(later, KOK, company(recognitions=[ended]))
    assert verdict.status == NOT_OK and verdict.w == "W3"
    assert "ended on" in verdict.reason and "Renew" in verdict.fix
    # The day it ends it still counts (only the later start date is outside it).
    on_the_day = PlacementFacts(**{**later.__dict__, "today": START + dt.timedelta(days=30)})
    assert status(e.rule_recognition, on_the_day, KOK, company(recognitions=[ended])) == WARNING


def test_a_renewed_recognition_keeps_the_placement_eligible_after_the_old_one_ended():
    old = recognition(valid_until=START + dt.timedelta(days=30))
    renewed = recognition(
        valid_from=START + dt.timedelta(days=31), valid_until=START + dt.timedelta(days=2000)
    )
    later = PlacementFacts(**{**MBO_PLACEMENT.__dict__, "today": START + dt.timedelta(days=40)})
    assert status(e.rule_recognition, later, KOK, company(recognitions=[old, renewed])) != NOT_OK


@pytest.mark.parametrize(("level", "expected"), [(4, NOT_OK), (5, OK), (6, OK), (7, OK)])
def test_an_hbo_supervisor_has_an_hbo_education_whatever_the_programme_says(level, expected):
    """W17: the same field and the HBO level, also when the programme's data sets no level."""
    assert COMMUNICATIE.requirement.supervisor_min_level is None
    c = company(supervisors=[supervisor(level=level)])
    assert status(e.rule_supervisor, HBO_PLACEMENT, COMMUNICATIE, c) == expected
