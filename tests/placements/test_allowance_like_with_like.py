"""Allowances are compared like with like (W5, W22): per month, with the conversion shown, and
gross with gross, net with net; what cannot be compared is said, not guessed."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.placements import quality as q
from stagebrug.placements.models import AllowanceGuidance
from stagebrug.placements.selectors import guidance_for, quality_input
from tests.placements.factories import make_placement

amounts = st.decimals(min_value=0, max_value=5000, places=2)
bases = st.sampled_from(["gross", "net"])


@pytest.mark.parametrize(
    "amount, basis, target, target_basis, verdict",
    [
        ("300", "gross", "277", "gross", q.MEETS),
        ("200", "gross", "277", "gross", q.BELOW),
        ("300", "net", "277", "net", q.MEETS),
        ("277", "net", "277", "net", q.MEETS),
        ("300", "net", "277", "gross", q.MEETS),  # net ≥ gross guidance: gross is more still
        ("200", "net", "277", "gross", q.UNCLEAR),  # gross may well be above 277
        ("200", "gross", "277", "net", q.BELOW),  # net can only be less than 200
        ("300", "gross", "277", "net", q.UNCLEAR),  # net may be below 277 after tax
    ],
)
def test_the_four_pairs_of_gross_and_net(amount, basis, target, target_basis, verdict):
    assert q.compare_allowance(Decimal(amount), basis, Decimal(target), target_basis) == verdict


@given(amount=amounts, target=amounts, basis=bases, target_basis=bases)
def test_a_verdict_holds_whatever_the_tax_and_unclear_only_when_the_tax_decides(
    amount, target, basis, target_basis
):
    """Net is at most gross. The stated amount bounds its value in the guidance's basis: a net
    amount's gross is that amount or more, a gross amount's net is that amount or less (down to
    nothing). MEETS and BELOW must hold at both ends; UNCLEAR only where the ends disagree."""
    verdict = q.compare_allowance(amount, basis, target, target_basis)
    if basis == target_basis:
        ends = (amount, amount)
    elif basis == "net":
        ends = (amount, amount * 10 + 10_000)
    else:
        ends = (Decimal(0), amount)
    meets_at = [end >= target for end in ends]
    if verdict == q.MEETS:
        assert all(meets_at)
    elif verdict == q.BELOW:
        assert not any(meets_at)
    else:
        assert verdict == q.UNCLEAR and meets_at[0] != meets_at[1]


def test_an_hourly_amount_is_turned_into_a_month_and_the_sum_is_shown():
    with translation.override("en"):
        per_month, shown = q.month_conversion(Decimal("2.00"), 32)
    assert per_month == Decimal("277.33")  # 2 × 32 × 52 / 12
    assert shown == "€ 2.00 an hour × 32 hours a week × 52 weeks ÷ 12 = € 277 a month"


def quality_of(**overrides) -> q.QualityInput:
    data = dict(
        title="Stage keuken (MBO 2)",
        description="Je werkt mee in de keuken.",
        activities=["Groenten snijden"],
        learning="",
        school_kind="mbo",
        levels=[2],
        monthly_allowance=Decimal("300"),
        weekend_work=False,
        weekend_wage=False,
        side_job=False,
        has_buddy=False,
        guidance=q.Guidance(
            per_month=Decimal("277"),
            label="€ 2.00 per hour net",
            source="Whitepaper",
            basis="net",
            conversion="€ 2.00 an hour × 32 hours a week × 52 weeks ÷ 12 = € 277 a month",
        ),
    )
    data.update(overrides)
    return q.QualityInput(**data)


def allowance_check(**overrides) -> q.Check:
    with translation.override("en"):
        report = q.assess(quality_of(**overrides))
    return next(c for c in report.checks if c.code == "allowance")


def test_net_allowance_against_net_guidance_meets_it_and_shows_both_conversions():
    c = allowance_check(
        allowance_basis="net",
        allowance_conversion="€ 2.50 an hour × 32 hours a week × 52 weeks ÷ 12 = € 347 a month",
        monthly_allowance=Decimal("346.67"),
    )
    assert c.ok and c.earned == c.weight
    assert "net meets the guidance of € 277 net" in c.message
    assert "€ 2.50 an hour" in c.detail and "€ 2.00 an hour" in c.detail


def test_gross_allowance_above_a_net_guidance_asks_for_the_net_amount_instead_of_guessing():
    c = allowance_check(allowance_basis="gross", monthly_allowance=Decimal("300"))
    assert not c.ok and 0 < c.earned < c.weight
    assert "cannot be compared" in c.message and "state the amount net" in c.message


def test_gross_allowance_below_a_net_guidance_is_below_it():
    c = allowance_check(allowance_basis="gross", monthly_allowance=Decimal("200"))
    assert not c.ok and "is below the guidance" in c.message
    assert "€ 200 a month gross" in c.message and "€ 277 net" in c.message


@pytest.mark.django_db
def test_hourly_guidance_is_converted_for_the_placements_hours_and_keeps_its_basis(
    reference_data,
):
    row = AllowanceGuidance.objects.get(kind="mbo_bol", level=2)  # € 2 an hour, net
    with translation.override("en"):
        guidance = guidance_for(kind="mbo_bol", levels=[2, 3], hours_per_week=24)
    assert guidance.basis == row.basis == "net"
    assert guidance.per_month == Decimal("208")  # 2 × 24 × 52 / 12 = 208
    assert "24 hours a week" in guidance.conversion


@pytest.mark.django_db
def test_a_saved_hourly_net_placement_is_compared_net_with_its_sum_shown(recognised):
    p = recognised
    placement = make_placement(
        p.company,
        p.owner,
        allowance_amount=Decimal("2.50"),
        allowance_unit="hour",
        allowance_basis="net",
        hours_per_week=32,
    )
    with translation.override("en"):
        c = next(c for c in q.assess(quality_input(placement)).checks if c.code == "allowance")
    assert c.ok, c.message
    assert "€ 2.50 an hour × 32 hours a week" in c.detail
    # The same amount stated gross cannot be compared with the net guidance.
    placement.allowance_basis = "gross"
    with translation.override("en"):
        c = next(c for c in q.assess(quality_input(placement)).checks if c.code == "allowance")
    assert not c.ok and "cannot be compared" in c.message
