"""Facts → member contributions (medlemsbidrag) per party and year, from tables.

A contribution row names a party ("Region Värmland", "Driftbidrag från Eda kommun",
"Försäkringskassan/Arbetsförmedlingen"); the party name is cleaned of the table's
wording and typed as state, region or municipality. The stated sum of a contribution
table becomes a row with party type `total`.
"""
from __future__ import annotations

import re

from models import Contribution, Fact

PARTY_PREFIXES = re.compile(r"^(driftbidrag|bidrag|medlemsbidrag|tilldelning)\s+(från|fr\.)\s+", re.I)
PARTY_TYPES: tuple[tuple[str, str], ...] = (
    ("state", r"försäkringskassan|arbetsförmedlingen|^staten|statlig"),
    ("region", r"region|landsting"),
    ("municipality", r"kommun"),
)


def party_name(label: str) -> str:
    name = PARTY_PREFIXES.sub("", label.strip(" *:"))
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"\bKommun\b", "kommun", name)
    return name[:1].upper() + name[1:]


def canonical_party(label: str) -> str:
    """The official name of the one party a row label names ("Dals Eds kommun" →
    "Dals-Eds kommun", "Driftbidrag från Årjängs kommun" → "Årjängs kommun"), by the
    entity rules; the cleaned label when they find no single party."""
    from normalize.entities import tag

    parties = [e.normalized for e in tag(label) if e.label == "PARTY"]
    return parties[0] if len(parties) == 1 and ";" not in parties[0] else party_name(label)


def party_type(name: str) -> str:
    lowered = name.lower()
    for kind, pattern in PARTY_TYPES:
        if re.search(pattern, lowered):
            return kind
    return "municipality" if lowered.endswith("s") else "region"


def contributions_from_facts(facts: list[Fact]) -> list[Contribution]:
    """One contribution per party, year and measure; the first table that states it wins."""
    out: dict[tuple, Contribution] = {}
    for f in facts:
        if f.value_unit != "SEK" or f.measure == "deviation":
            continue
        if f.category == "contribution":
            name = canonical_party(f.row_label)
            kind = party_type(name)
        elif f.category == "income.member_contributions":
            name, kind = "Summa medlemsbidrag", "total"  # the members' line: their stated sum
        else:
            continue
        key = (f.year, f.measure, name.lower())
        out.setdefault(key, Contribution(f.document_id, f.federation_id, f.year, name, kind,
                                         f.value, "table", f.measure))
    return list(out.values())


# A sentence stating the members' total: "Förbundets totala medlemsbidrag 2026 är 7 808 000 kr",
# "Årets tilldelning från förbundsmedlemmarna uppgår till 1 840 000 kronor".
TOTAL_STATEMENT = re.compile(
    r"(medlemsbidrag\w*|tilldelning från (?:förbunds)?medlemmarna)(?P<between>[^.:;]{0,40}?)"
    r"\b(är|var|uppgår till|uppgick till|totalt|om)\s+(?:totalt\s+)?$", re.I)


def contributions_from_text(spans_by_page: dict[int, list], texts_by_page: dict[int, str],
                            document_id: str, federation_id: str, period_year, measure: str) -> list[Contribution]:
    """Stated totals of the members' contributions in running text."""
    out = []
    for page, spans in spans_by_page.items():
        text = texts_by_page[page]
        for span in spans:
            if span.label != "AMOUNT":
                continue
            before = text[max(0, span.start - 90):span.start]
            m = TOTAL_STATEMENT.search(before)
            if not m:
                continue
            years = re.findall(r"\b(20\d\d)\b", m.group("between"))
            year = int(years[-1]) if years else period_year
            out.append(Contribution(document_id, federation_id, year, "Summa medlemsbidrag", "total",
                                    float(span.normalized), "text", measure))
    return out


def merge_contributions(from_tables: list[Contribution], from_text: list[Contribution]) -> list[Contribution]:
    """Table rows first; a sentence adds what no table states (same party, year, measure)."""
    seen = {(c.year, c.measure, c.party_name.lower()) for c in from_tables}
    extra = []
    for c in from_text:
        key = (c.year, c.measure, c.party_name.lower())
        if key not in seen:
            seen.add(key)
            extra.append(c)
    return from_tables + extra
