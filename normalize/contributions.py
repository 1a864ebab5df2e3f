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
            name = party_name(f.row_label)
            kind = party_type(name)
        elif f.category == "income.member_contributions" and f.is_total:
            name, kind = "Summa medlemsbidrag", "total"
        else:
            continue
        key = (f.year, f.measure, name.lower())
        out.setdefault(key, Contribution(f.document_id, f.federation_id, f.year, name, kind,
                                         f.value, "table", f.measure))
    return list(out.values())
