import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.registry.validators import normalize_kvk, normalize_postcode, validate_brin


@pytest.mark.parametrize(
    "raw, expected",
    [("1012AB", "1012 AB"), ("1012 ab", "1012 AB"), (" 9999 zz ", "9999 ZZ"), ("1012  AB", None)],
)
def test_postcode_is_normalised_to_four_digits_space_two_capitals(raw, expected):
    if expected is None:
        with pytest.raises(ValidationError):
            normalize_postcode(raw)
    else:
        assert normalize_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0123 AB", "123 AB", "12345 AB", "1012 A", "1012 SS", "1012 SA", "abcd ef", ""]
)
def test_invalid_postcodes_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_postcode(raw)


@given(
    st.integers(1000, 9999),
    st.sampled_from("ABCDEFGHJKLMNPRTVWXZ"),
    st.sampled_from("ABCDEGHJKLMNPRTVWXZ"),
)
def test_every_wellformed_postcode_round_trips(digits, a, b):
    normalised = normalize_postcode(f"{digits}{a}{b}".lower())
    assert normalised == f"{digits} {a}{b}"
    assert normalize_postcode(normalised) == normalised


@pytest.mark.parametrize(
    "raw, expected",
    [("12345678", "12345678"), ("1234 5678", "12345678"), ("12.34.56.78", "12345678")],
)
def test_kvk_number_accepts_spaces_and_dots(raw, expected):
    assert normalize_kvk(raw) == expected


@pytest.mark.parametrize("raw", ["1234567", "123456789", "1234567a", "", "abcdefgh"])
def test_kvk_number_needs_exactly_eight_digits(raw):
    with pytest.raises(ValidationError):
        normalize_kvk(raw)


@pytest.mark.parametrize(
    "raw, ok", [("25PZ", True), ("30RM", True), ("2PZ5", False), ("25pz", False), ("25PZX", False)]
)
def test_brin_code_is_two_digits_and_two_capitals(raw, ok):
    if ok:
        validate_brin(raw)
    else:
        with pytest.raises(ValidationError):
            validate_brin(raw)
