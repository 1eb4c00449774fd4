"""The rules of insight as plain functions: school years, suppression of small cells, rates,
the chance of a place, and the cells of the CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from stagebrug.insights import rules


def test_the_school_year_starts_on_the_first_of_august():
    assert rules.school_year_of(dt.date(2025, 7, 31)) == 2024
    assert rules.school_year_of(dt.date(2025, 8, 1)) == 2025
    assert rules.school_year_label(2025) == "2025/26"
    assert rules.school_year_label(2099) == "2099/00"


def test_the_months_of_a_school_year_run_from_august_to_july():
    assert rules.month_of_school_year(2025, 0) == dt.date(2025, 8, 1)
    assert rules.month_of_school_year(2025, 4) == dt.date(2025, 12, 1)
    assert rules.month_of_school_year(2025, 11) == dt.date(2026, 7, 1)


def test_months_passed_counts_the_months_begun():
    assert rules.months_passed(2025, dt.date(2025, 8, 1)) == 1
    assert rules.months_passed(2025, dt.date(2026, 1, 15)) == 6
    assert rules.months_passed(2025, dt.date(2027, 1, 1)) == 12
    assert rules.months_passed(2026, dt.date(2026, 7, 31)) == 0


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, None])
def test_a_count_under_five_is_never_shown(n):
    cell = rules.count_cell(n)
    assert cell.value is None
    assert cell.text == "<5"
    assert cell.suppressed


def test_a_count_of_five_or_more_is_shown():
    assert rules.count_cell(5) == rules.Cell(5, "5")
    assert rules.count_cell(12345).value == 12345


@pytest.mark.parametrize("part, whole", [(4, 100), (50, 4), (0, 10)])
def test_a_rate_is_not_shown_when_one_of_its_counts_is_not(part, whole):
    assert not rules.percent_cell(part, whole).shown
    assert not rules.ratio_cell(part, whole).shown


def test_rates_and_means_of_counts_that_are_shown():
    assert rules.percent_cell(5, 20) == rules.Cell(25, "25%")
    assert rules.ratio_cell(30, 20).value == 1.5
    assert rules.mean_cell(100, 8).value == 13  # 12.5: half up, as people round
    assert rules.ratio_cell(50, 40).value == 1.3  # 1.25
    assert not rules.mean_cell(40, 4).shown


@pytest.mark.parametrize(
    "places, looking, band",
    [
        (30, 20, "good"),
        (20, 20, "fair"),
        (10, 20, "moderate"),
        (5, 20, "poor"),
        (4, 10, "poor"),  # 4 or fewer among 10: poor whatever "<5" stands for
        (4, 8, ""),  # 4/8 would be moderate, 0/8 poor: cannot be told
        (100, 4, ""),  # too few students looking
    ],
)
def test_the_chance_of_a_place_is_told_only_when_it_gives_nothing_away(places, looking, band):
    assert rules.chance_of_a_place(places, looking).band == band


def test_ordinary_cells_stay_as_they_are():
    assert rules.csv_text(rules.count_cell(3)) == "<5"
    assert rules.csv_text(rules.count_cell(1234)) == "1234"
    assert rules.csv_text(rules.percent_cell(5, 10)) == "50%"


def test_a_total_is_shown_only_when_every_part_is():
    assert rules.total_cell([5, 7, 9]).text == "21"
    assert rules.total_cell([5, 7, 1]) == rules.Cell(None, "–", suppressed=True)
    assert rules.total_cell([5, 0]).suppressed  # a zero is a part under five too
