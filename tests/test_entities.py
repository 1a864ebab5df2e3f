"""spaCy rules against the hand-annotated gold (tests/data/entities_gold.jsonl: 199
sentences and table rows from all five seeds, annotated by reading them), and the
member contributions of all five federations, checked against values read off the seeds."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from normalize.entities import LABELS, tag, tag_many
from tests.conftest import ROOT, SCORES

GOLD = Path(__file__).parent / "data" / "entities_gold.jsonl"
YEARS = {"000_vvnd_vp2026": 2026, "001_ostra_varmland_vp2025": 2025, "002_vvnd_ar2025": 2025,
         "003_nedansiljan_vp2026": 2026, "004_ornskoldsvik_vp2026": 2026}
MIN_SCORE = 0.95


@pytest.fixture(scope="module")
def counts():
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 150
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in items:
        gold = Counter((e["label"], e["text"], e["normalized"]) for e in item["entities"])
        found = Counter((e.label, e.text, e.normalized) for e in tag(item["text"], YEARS[item["doc"]]))
        for key in gold | found:
            hit = min(gold[key], found[key])
            tp[key[0]] += hit
            fp[key[0]] += found[key] - hit
            fn[key[0]] += gold[key] - hit
    return tp, fp, fn


@pytest.mark.parametrize("label", LABELS)
def test_precision_and_recall_per_label(label, counts):
    tp, fp, fn = counts
    precision = tp[label] / (tp[label] + fp[label])
    recall = tp[label] / (tp[label] + fn[label])
    SCORES.append(f"entities {label}: precision {precision:.1%}, recall {recall:.1%} "
                  f"({tp[label]} right, {fp[label]} wrong, {fn[label]} missed)")
    assert precision >= MIN_SCORE and recall >= MIN_SCORE


def test_normalized_values():
    found = {(e.label, e.text): e.normalized for e in tag(
        "Beviljat 2026: drygt 23 miljoner kronor, 3,7 miljoner kronor och 1 500 tkr; 38% av "
        "medlemsbidraget. Beslutad vid styrelsemöte den 24 november 2025. Pågår 230901–260831. "
        "Filipstads och Storfors kommuner samt Västernorrlands läns landsting. "
        "Samordningsförbundet BÅD-ESÅ, org.nr 222000-2352.")}
    assert found == {
        ("AMOUNT", "drygt 23 miljoner kronor"): "23000000", ("AMOUNT", "3,7 miljoner kronor"): "3700000",
        ("AMOUNT", "1 500 tkr"): "1500000", ("PERCENT", "38%"): "38",
        ("DATE", "24 november 2025"): "2025-11-24", ("DATE", "230901"): "2023-09-01",
        ("DATE", "260831"): "2026-08-31",
        ("PARTY", "Filipstads och Storfors kommuner"): "Filipstads kommun; Storfors kommun",
        ("PARTY", "Västernorrlands läns landsting"): "Region Västernorrland",
        ("FEDERATION", "Samordningsförbundet BÅD-ESÅ"): "Västra Värmlands och Norra Dalslands Samordningsförbund",
        ("ORGNR", "222000-2352"): "222000-2352",
    }


def test_org_nr_with_a_wrong_check_digit_is_no_org_nr():
    assert not [e for e in tag("Org.nr 222000-2353") if e.label == "ORGNR"]


def test_federations_in_the_five_seeds():
    """Whole documents through nlp.pipe: each names its own federation (its speed is
    measured by scripts/benchmark.py, not here)."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "source").glob("*.txt"))}
    tagged = dict(zip(texts, tag_many(list(texts.values()))))
    names = {key: {e.normalized for e in spans if e.label == "FEDERATION"} for key, spans in tagged.items()}
    assert "Samordningsförbundet i Örnsköldsvik" in names["004_ornskoldsvik_vp2026"]
    assert "Nedansiljans samordningsförbund" in names["003_nedansiljan_vp2026"]
    assert "Västra Värmlands och Norra Dalslands Samordningsförbund" in names["002_vvnd_ar2025"]


# Member contributions read off the seeds (000 and 002 per member, 001's and 003's stated
# totals, 004's per party as its budget shows); party names official.
CONTRIBUTIONS = {
    "000_vvnd_vp2026": (2026, "budget", {
        "Försäkringskassan": 1952000, "Arbetsförmedlingen": 1952000, "Region Värmland": 1366000,
        "Västra Götalandsregionen": 586000, "Arvika kommun": 586000, "Eda kommun": 195200,
        "Säffle kommun": 352400, "Årjängs kommun": 230800, "Bengtsfors kommun": 215200,
        "Dals-Eds kommun": 98000, "Åmåls kommun": 274400, "Summa medlemsbidrag": 7808000}),
    "002_vvnd_ar2025": (2025, "outcome", {
        "Försäkringskassan": 1966000, "Arbetsförmedlingen": 1966000, "Region Värmland": 1376000,
        "Västra Götalandsregionen": 590000, "Arvika kommun": 590000, "Eda kommun": 196600,
        "Säffle kommun": 355000, "Årjängs kommun": 230800, "Bengtsfors kommun": 217000,
        "Dals-Eds kommun": 99600, "Åmåls kommun": 277000}),
    "001_ostra_varmland_vp2025": (2025, "budget", {"Summa medlemsbidrag": 1840000}),
    "003_nedansiljan_vp2026": (2026, "budget", {"Summa medlemsbidrag": 3262000}),
    "004_ornskoldsvik_vp2026": (2026, "budget", {
        "Region Västernorrland": 1222500, "Örnsköldsviks kommun": 1222500,
        "Försäkringskassan/Arbetsförmedlingen": 2445000, "Summa medlemsbidrag": 4890000}),
}
TYPES = {"Summa medlemsbidrag": "total", "Försäkringskassan": "state", "Arbetsförmedlingen": "state",
         "Försäkringskassan/Arbetsförmedlingen": "state", "Region Värmland": "region",
         "Västra Götalandsregionen": "region", "Region Västernorrland": "region"}


@pytest.mark.parametrize("key", CONTRIBUTIONS)
def test_member_contributions_exact(key, extracted):
    year, measure, expected = CONTRIBUTIONS[key]
    result = extracted(key, "word")
    got = {c.party_name: c for c in result.contributions if c.year == year and c.measure == measure}
    assert {name: got[name].amount_sek for name in expected if name in got} == expected
    for name in expected:
        assert got[name].party_type == TYPES.get(name, "municipality")
