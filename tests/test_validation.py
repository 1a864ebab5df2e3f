"""Arithmetic checks on the fixtures: wrong printed totals are reported, never fixed.

Every expectation here was computed by hand from the seed texts. The scans are the same
pages printed and scanned: read by OCR, the same checks must fail (the sources' own
errors), and no other.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import PRODUCERS

SCANS = ("scan",)
READINGS = PRODUCERS + SCANS


@pytest.fixture(scope="session")
def document(extracted, scanned):
    """document(key, reading): a fixture as a producer typed it, or its scan read by OCR."""
    return lambda key, reading: scanned(f"{key}.{reading}") if reading in SCANS else extracted(key, reading)


def _checks(result, status=None):
    return [c for c in result.checks if status is None or c.status == status]


@pytest.mark.parametrize("reading", READINGS)
def test_seed_000_wrong_result_is_reported(reading, document):
    result = document("000_vvnd_vp2026", reading)
    failed = {(c.subject.strip("* "), c.year, c.expected, c.found) for c in _checks(result, "fail")}
    # Treårsbudget: 7 958 000 − (6 150 000 + 1 250 000 + 1 448 000) = −890 000, printed −8 900 000
    assert ("Resultat", 2026, -890000, -8900000) in failed
    # 7 027 200 − (5 050 000 + 1 000 000 + 1 448 000) = −470 800, printed −370 800 and −370 000
    assert ("Resultat", 2027, -470800, -370800) in failed
    assert ("Resultat", 2028, -470800, -370000) in failed
    assert len(failed) == 3
    # the same result in the one-year budget adds up
    assert any(c.subject.startswith("Resultat") and c.year == 2026 and c.status == "pass"
               and c.found == -890000 for c in result.checks)
    wrong = [f for f in result.facts if re.sub(r"\D", "", f.printed) == "8900000"]  # "** -890 0000", "(890 0000)"
    assert wrong and all(f.confidence <= 0.5 for f in wrong)
    assert all(f.value == -8900000 for f in wrong)  # reported, not silently fixed


@pytest.mark.parametrize("reading", READINGS)
def test_seed_001_wrong_cost_sum_is_reported(reading, document):
    result = document("001_ostra_varmland_vp2025", reading)
    failed = [(c.year, c.measure, c.expected, c.found) for c in _checks(result, "fail")]
    # Resultat 2024 cost rows add up to 1 703 754, the Summa prints 1 701 754
    assert failed == [(2024, "outcome", 1703754, 1701754)]


@pytest.mark.parametrize("reading", READINGS)
def test_seed_002_checks(reading, document):
    result = document("002_vvnd_ar2025", reading)
    failed = {(c.check, c.year, c.expected, c.found) for c in _checks(result, "fail")}
    assert ("sum_of_rows", 2024, 133288, 113288) in failed           # Not 2 Summa
    assert ("sum_of_rows", 2025, 127, 128) in failed                 # participants, Män
    assert ("sum_of_rows", 2025, -6974373, -6974381) in failed       # Summa insatser, utfall
    assert ("income_minus_costs", 2024, -40000, -20000) in failed    # Driftredovisning 2024
    assert ("deviation_equals_difference", 2025, -446000, -445992) in failed
    assert len(failed) == 5
    men = next(c for c in _checks(result, "fail") if c.expected == 127)
    assert "add up to 127 count;" in men.message  # people, counted: no amount in SEK
    passed = {(c.check, c.subject, c.year) for c in _checks(result, "pass")}
    assert ("assets_equal_equity_plus_liabilities", "Summa eget kapital och skulder", 2025) in passed
    assert ("assets_equal_equity_plus_liabilities", "Summa eget kapital och skulder", 2024) in passed
    assert ("income_minus_costs", "Årets resultat", 2025) in passed
    assert ("sum_of_rows", "Summa kostnader", 2025) in passed


@pytest.mark.parametrize("key", ["003_nedansiljan_vp2026", "004_ornskoldsvik_vp2026"])
@pytest.mark.parametrize("reading", READINGS)
def test_consistent_budgets_pass_every_check(key, reading, document):
    result = document(key, reading)
    assert result.checks
    assert not _checks(result, "fail"), [c.message for c in _checks(result, "fail")]
