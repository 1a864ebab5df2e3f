"""Swedish number parsing: every printed form the archive uses, and round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from normalize.numbers import format_swedish, parse_number, to_sek

CASES = [
    ("7 808 000", 7808000, None),
    ("7\u00a0808\u00a0000", 7808000, None),        # no-break space
    ("7\u2009808\u2009000", 7808000, None),        # thin space
    ("7\u202f808\u202f000", 7808000, None),        # narrow no-break space
    ("1 222,5", 1222.5, None),
    ("-890 000", -890000, None),
    ("\u2212 104 286", -104286, None),             # unicode minus and a space
    ("- 104 286", -104286, None),
    ("\u2013 50", -50, None),                      # en dash as minus
    ("(1 234)", -1234, None),
    ("*7 027 200", 7027200, None),
    ("104 286*", 104286, None),
    ("** -890 0000", -8900000, None),
    ("+-890 000", -890000, None),                  # a star OCR read as a plus
    ("+ - 1 367 619", -1367619, None),
    ("+890 000", 890000, None),
    ("1 500 tkr", 1500, "tkr"),
    ("3,7 miljoner kronor", 3.7, "mkr"),
    ("38%", 38, "percent"),
    ("75,4%", 75.4, "percent"),
    ("1 952 000 kr", 1952000, "kr"),
    ("164 000kr", 164000, "kr"),
    ("ca 1 570 000kr", 1570000, "kr"),
    ("0", 0, None),
    ("4419", 4419, None),
    ("1222.5", 1222.5, None),                      # OCR/spreadsheet decimal point
    ("1.222.500", 1222500, None),
]


@pytest.mark.parametrize("text,value,unit", CASES)
def test_parses_printed_forms(text, value, unit):
    parsed = parse_number(text)
    assert parsed is not None, text
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit


@pytest.mark.parametrize("text", [
    "", "-", "–", "kr", "Not", "2025-12-31", "230901–260831", "1 ggr/år", "(Antal besök 1786)",
    "3.", "Sida 3", "1,2,3",
])
def test_refuses_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_a_plus_before_a_minus_is_a_footnote_mark():
    assert parse_number("+-890 000").footnote and not parse_number("+890 000").footnote


@pytest.mark.parametrize("text,value", [
    ("7 864.004", 7864004),    # seed 002's Summa scanned: one thin space read as a dot
    ("2 450.000", 2450000),
    ("1 222.500", 1222500),
])
def test_a_dot_among_thousands_spaces_marks_thousands_and_is_irregular(text, value):
    """Read as a decimal point, "7 864.004" gave 7 864,004 kr: a total a thousand times
    too small, which looked like an amount."""
    parsed = parse_number(text)
    assert parsed.value == value and parsed.irregular


@pytest.mark.parametrize("text,value", [("1234.567", 1234.567), ("12 345.5", 12345.5), ("1 222.5", 1222.5)])
def test_a_dot_without_thousands_spaces_before_it_stays_a_decimal_point(text, value):
    parsed = parse_number(text)
    assert parsed.value == value and not parsed.irregular


def test_digits_of_cells_run_together_are_no_number():
    """Seed 002's key figures read from a 300 dpi copy: five cells run together
    ("4794859 8188064 8285 208-58 164 236", read again as one run of 28 digits) were
    4.79e27 SEK; an amount has at most 15 digits (what a float holds exactly)."""
    assert parse_number("4794859818806483017871130624") is None
    assert parse_number("1 234 567 890 123 456") is None
    assert parse_number("123 456 789 012 345").value == 123456789012345


def test_irregular_grouping_is_flagged():
    assert parse_number("-890 0000").irregular
    assert not parse_number("-890 000").irregular


def test_to_sek():
    assert to_sek(1222.5, "tkr") == 1222500
    assert to_sek(3.7, "mkr") == 3700000
    assert to_sek(5, "kr") == 5


separators = st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"])


@given(st.integers(min_value=-10**11, max_value=10**11), separators)
def test_round_trip_integers(value, separator):
    text = format_swedish(value, 0, separator)
    assert parse_number(text).value == value


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=1, max_value=2), separators)
def test_round_trip_decimals(cents, decimals, separator):
    value = cents / 10**decimals
    text = format_swedish(value, decimals, separator)
    assert parse_number(text).value == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip_parentheses_and_units(value):
    body = format_swedish(value)
    assert parse_number(f"({body})").value == -value
    assert parse_number(f"{body} tkr").unit == "tkr"
    assert parse_number(f"\u2212{body}").value == -value
