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


# The sentence above each federation's list of member contributions states their total;
# the lists add up to it (by hand: 2 × 1 952 000 + 1 366 000 + 2 × 586 000 + 195 200 +
# 352 400 + 230 800 + 215 200 + 98 000 + 274 400 = 7 808 000; 2 × 1 966 000 + 1 376 000
# + 2 × 590 000 + 196 600 + 355 000 + 230 800 + 217 000 + 99 600 + 277 000 = 7 864 000).
STATED = {
    "000_vvnd_vp2026": ("Förbundets totala medlemsbidrag 2026 är 7 808 000 kr och fördelas enligt", 2026, 7808000),
    "002_vvnd_ar2025": ("Förbundets medlemsbidrag 2025 var totalt 7 864 000 kr och fördelat enligt", 2025, 7864000),
}


@pytest.mark.parametrize("key", STATED)
@pytest.mark.parametrize("reading", READINGS)
def test_contributions_add_up_to_the_total_the_sentence_above_states(key, reading, document):
    result = document(key, reading)
    sentence, year, total = STATED[key]
    checks = [c for c in result.checks if c.subject == sentence]
    assert [(c.check, c.year, c.expected, c.found, c.status) for c in checks] == [
        ("sum_of_rows", year, total, total, "pass")]
    assert not [f for f in result.facts if f.row_label == sentence]  # a check, not a fact of the dataset


def _contributions(amounts: list[str], caption: str, suspect: bool = False):
    """Seed 002's list of member contributions (three parties of it) under the sentence
    stating their total, the stages the real ones."""
    from models import Column, DocumentMeta, Table, TableRow
    from normalize.facts import table_facts
    from pipeline import checked

    parties = ["Försäkringskassan", "Arbetsförmedlingen", "Region Värmland"]
    rows = [TableRow(p, {0: a}, 2, 100 + 12 * i) for i, (p, a) in enumerate(zip(parties, amounts))]
    table = Table("t02", "Finansiering", caption, [Column(0, 300, 360)], rows, [2])
    meta = DocumentMeta(federation_id="vvnd", document_type="arsredovisning", period_year=2025)
    facts = table_facts(table, meta, "doc", "", {2: "ocr" if suspect else "text"},
                        frozenset({2} if suspect else set()))
    return facts, checked([table], facts)


@pytest.mark.parametrize("stated,suspect", [("5 308 000 kr", False), ("5 3O8 000 kr", True)])
def test_contributions_that_do_not_add_up_to_the_stated_total_fail(stated, suspect):
    """"1 266 000" for 1 966 000 (seed 002's report as a fax reads it): the list has no
    total row, only the sentence above it, which OCR may misread as well ("5 3O8")."""
    caption = f"med resterande fjärdedel. Förbundets medlemsbidrag 2025 var totalt {stated} och fördelat enligt:"
    _, checks = _contributions(["1 966 000 kr", "1 966 000 kr", "1 376 000 kr"], caption, suspect)
    assert [(c.status, c.expected, c.found) for c in checks] == [("pass", 5308000, 5308000)]
    _, checks = _contributions(["1 966 000 kr", "1 266 000 kr", "1 376 000 kr"], caption, suspect)
    assert [(c.status, c.expected, c.found) for c in checks] == [("fail", 4608000, 5308000)]


@pytest.mark.parametrize("caption", [
    "Förbundets medlemsbidrag 2025 fördelas enligt:",                                # no total stated
    "Medlemsbidraget är 5 308 000 kr. Det fördelas så här",                          # no colon: no list follows
    "Staten ger 2 654 000 kr och kommunerna 2 654 000 kr enligt:",                   # two amounts
    "Varje part betalar minst 100 000 kr enligt:",                                   # less than a row
])
def test_no_stated_total_is_taken_where_the_sentence_states_none(caption):
    _, checks = _contributions(["1 966 000 kr", "1 266 000 kr", "1 376 000 kr"], caption)
    assert checks == []
