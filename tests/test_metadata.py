"""Document metadata from text: registry names and aliases, types, years, decisions."""
from __future__ import annotations

from models import TextBlock
from normalize.metadata import extract_metadata, valid_org_nr


def _blocks(*lines: str) -> list[TextBlock]:
    return [TextBlock(text=l, page=1, top=20.0 * i, is_heading=len(l) < 60) for i, l in enumerate(lines)]


def test_same_federation_under_both_word_orders():
    a = extract_metadata(_blocks("Samordningsförbundet östra Värmland", "Verksamhetsplan 2025"))
    b = extract_metadata(_blocks("Östra Värmlands samordningsförbund", "Årsredovisning 2024"))
    assert a.federation_id == b.federation_id == "ostra-varmland"
    assert a.federation_name == b.federation_name == "Samordningsförbundet östra Värmland"
    assert (a.document_type, a.period_year) == ("verksamhetsplan", 2025)
    assert (b.document_type, b.period_year) == ("arsredovisning", 2024)


def test_former_name_maps_to_current_federation():
    meta = extract_metadata(_blocks("Samordningsförbundet BÅD-ESÅ", "Årsredovisning 2021"))
    assert meta.federation_id == "vastra-varmland-norra-dalsland"
    assert meta.federation_name == "Västra Värmlands och Norra Dalslands Samordningsförbund"


def test_unknown_federation_gets_stable_id_and_is_flagged():
    meta = extract_metadata(_blocks("Samordningsförbundet Centrala Östergötland", "Delårsrapport 2025",
                                    "Beslutad av styrelsen 2025-10-02"))
    assert not meta.federation_known
    assert meta.federation_id == "centrala-ostergotland"
    assert meta.document_type == "delarsrapport"
    assert meta.decided_on == "2025-10-02"


def test_decision_dates_in_words_and_iso():
    assert extract_metadata(_blocks("Verksamhetsplan 2026", "Beslutad vid styrelsemöte den 24 november 2025")).decided_on == "2025-11-24"
    assert extract_metadata(_blocks("Verksamhetsplan 2025", "Fastställd av styrelsen 2024-11-27")).decided_on == "2024-11-27"


def test_org_nr_check_digit():
    assert valid_org_nr("222000-2352") and valid_org_nr("222000-2063")
    assert not valid_org_nr("222000-2353")
    meta = extract_metadata(_blocks("Samordningsförbundet i Örnsköldsvik (222000-2064)", "Verksamhetsplan 2026"))
    assert meta.org_nr == ""  # a misprinted number is not reported as the org nr


def test_evidence_lines_are_kept():
    meta = extract_metadata(_blocks("Västra Värmlands & Norra Dalslands Samordningsförbund",
                                    "Verksamhetsplan och budget 2026 samt prognos 2027 och 2028",
                                    "Beslutad vid styrelsemöte den 24 november 2025"))
    assert (meta.document_type, meta.period_year) == ("verksamhetsplan", 2026)
    assert meta.period_evidence == "Verksamhetsplan och budget 2026 samt prognos 2027 och 2028"
    assert meta.decided_evidence == "Beslutad vid styrelsemöte den 24 november 2025"


def test_period_from_the_decision_date_when_the_title_was_misread():
    # A scanned title page whose OCR read "Verksamhetsplan 2O26" (letter O): no title
    # names the year; the body names the year before (the forecast) more often than the
    # plan's own year, but a plan decided in November 2025 is the plan for 2026.
    plan = extract_metadata(_blocks("Nedansiljans samordningsförbund", "Verksamhetsplan 2O26",
                                    "Datum: 2025-11-26", "Prognos 2025", "Utfall 2025", "Plan 2027"))
    assert (plan.document_type, plan.period_year) == ("verksamhetsplan", 2026)
    assert plan.period_evidence == "inferred from the decision date 2025-11-26 (no title names the year)"
    late = extract_metadata(_blocks("Verksamhetsplan med budget", "Beslutad av styrelsen 2026-02-10"))
    assert late.period_year == 2026  # decided late, in the year itself
    report = extract_metadata(_blocks("Årsredovisning för samordningsförbundet",
                                      "Fastställd av styrelsen 2026-03-12", "Jämförelse 2024"))
    assert (report.document_type, report.period_year) == ("arsredovisning", 2025)
    # a title that names the year wins over the decision date
    named = extract_metadata(_blocks("Verksamhetsplan 2026", "Beslutad den 2025-06-10"))
    assert named.period_year == 2026 and named.period_evidence == "Verksamhetsplan 2026"
