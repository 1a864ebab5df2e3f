"""Text → document metadata: federation, document type, period year, decision date.

The federation comes from the registry (`data/federations.csv`) when any of its names or
former names is printed; title-page mentions weigh most. A federation the registry does
not know still gets a stable id from its normalized name and is flagged as new.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from models import DocumentMeta, TextBlock
from normalize.text import fold

TITLE_LINES = 12  # lines of page 1 that count as the title page
TITLE_WEIGHT = 5

DOCUMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("delarsrapport", r"delårsrapport|delårsbokslut|delårsredovisning"),
    ("arsredovisning", r"årsredovisning|verksamhetsberättelse och bokslut|årsbokslut"),
    ("verksamhetsplan", r"verksamhetsplan|budget och plan|verksamhetsinriktning|budget \d{4}"),
)
DECISION = re.compile(r"\b(beslutad|beslutades|fastställd|fastställdes|antagen|antogs|godkänd|godkändes)\b", re.I)
EXPLICIT_TYPE = r"verksamhetsplan|årsredovisning|årsbokslut|delårs"
DATED = re.compile(r"^datum[\s:]+(?P<date>\d{4}-\d{2}-\d{2})", re.I)
ORG_NR = re.compile(r"(?<![\d-])(\d{6})-(\d{4})(?![\d-])")
UNKNOWN_FEDERATION = re.compile(
    r"((?i:samordningsförbundet)[ \t]+(i[ \t]+)?[A-ZÅÄÖ][\w-]+([ \t]+(och[ \t]+)?[A-ZÅÄÖ][\w-]+){0,3})"
    r"|([A-ZÅÄÖ][\w-]+([ \t]+(och|&)[ \t]+[A-ZÅÄÖ][\w-]+)?[ \t]+(?i:samordningsförbund)\b)",
)


@dataclass(frozen=True)
class Federation:
    federation_id: str
    name: str
    org_nr: str
    aliases: tuple[str, ...]
    members: tuple[str, ...] = ()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@lru_cache(maxsize=1)
def registry() -> tuple[Federation, ...]:
    text = resources.files("normalize").joinpath("data/federations.csv").read_text("utf-8")
    rows = csv.DictReader(l for l in text.splitlines() if l.strip() and not l.startswith("#"))
    return tuple(
        Federation(r["federation_id"], r["federation_name"], r["org_nr"],
                   tuple(a for a in r["aliases"].split("|") if a),
                   tuple(m for m in (r.get("members") or "").split("|") if m))
        for r in rows
    )


def valid_org_nr(number: str) -> bool:
    """Luhn check of a Swedish organisationsnummer NNNNNN-NNNN."""
    digits = [int(d) for d in number.replace("-", "")]
    if len(digits) != 10:
        return False
    total = 0
    for i, d in enumerate(digits):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return total % 10 == 0


def _find_federation(title: str, body: str) -> tuple[Optional[Federation], str]:
    title_f, body_f = fold(title), fold(body)
    scores: Counter[str] = Counter()
    for fed in registry():
        for name in (fed.name,) + fed.aliases:
            n = fold(name)
            scores[fed.federation_id] += TITLE_WEIGHT * title_f.count(n) + body_f.count(n)
    if scores and scores.most_common(1)[0][1] > 0:
        best = scores.most_common(1)[0][0]
        return next(f for f in registry() if f.federation_id == best), ""
    found = UNKNOWN_FEDERATION.search(title) or UNKNOWN_FEDERATION.search(body)
    return None, (found.group(0).strip() if found else "")


def document_title(texts: list[TextBlock]) -> str:
    first_page = min((t.page for t in texts), default=1)
    return "\n".join(t.text for t in texts if t.page == first_page)[:2000]


def extract_metadata(texts: list[TextBlock], table_text: str = "") -> DocumentMeta:
    """Metadata from the document's text blocks (and table text for year hints)."""
    title_blocks = [t for t in texts if t.page == min((b.page for b in texts), default=1)][:TITLE_LINES]
    title = "\n".join(t.text for t in title_blocks)
    body = "\n".join(t.text for t in texts)
    meta = DocumentMeta()

    fed, unknown_name = _find_federation(title, body)
    if fed:
        meta.federation_id, meta.federation_name = fed.federation_id, fed.name
    elif unknown_name:
        meta.federation_name = unknown_name
        meta.federation_id = slug(re.sub(r"samordningsförbund(et)?", "", unknown_name, flags=re.I))
        meta.federation_known = False

    for number in ORG_NR.finditer(title + "\n" + body):
        candidate = number.group(0)
        if valid_org_nr(candidate):
            meta.org_nr = candidate
            break

    # Kind and year from the title's "Verksamhetsplan 2026" phrase (spaCy token patterns),
    # else from the headings; the line it was read from is kept as evidence.
    from normalize.entities import document_period

    period = document_period([t.text for t in title_blocks]) or document_period(
        [t.text for t in texts if t.is_heading])
    if period is not None:
        meta.document_type, meta.period_year, meta.period_evidence = \
            period.document_type, period.year, period.evidence
    if period is None or not re.search(EXPLICIT_TYPE, period.evidence.lower()):
        # no phrase, or only "Budget 2026": the kind is what the document calls itself most
        headings = "\n".join(t.text for t in texts if t.is_heading).lower()
        counts = {d: len(re.findall(p, headings)) * 3 + len(re.findall(p, body.lower()))
                  for d, p in DOCUMENT_TYPES}
        best = max(counts, key=counts.get)
        if counts[best] > 0:
            meta.document_type = best

    # The decision date is the first date the entity rules tag in a line that says the
    # board decided ("Beslutad vid styrelsemöte den 24 november 2025"); a title page that
    # only says "Datum: 2025-11-26" next to "Ansvarig: Styrelsen" gives that date.
    from normalize.entities import tag

    for block in texts:
        if DECISION.search(block.text) or (block in title_blocks and DATED.search(block.text.strip())):
            dates = [e for e in tag(block.text) if e.label == "DATE" and len(e.normalized) == 10]
            if dates and (DECISION.search(block.text) or not meta.decided_on):
                meta.decided_on, meta.decided_evidence = dates[0].normalized, block.text.strip()
                if DECISION.search(block.text):
                    break
    if meta.period_year is None:
        meta.period_year, meta.period_evidence = _period_from_decision(meta.document_type, meta.decided_on)
    if meta.period_year is None:
        years = Counter(int(y) for t in texts if t.is_heading
                        for y in re.findall(r"\b(20\d\d)\b", t.text))
        if years:
            meta.period_year = years.most_common(1)[0][0]
    return meta


# When no title or heading names the year (a scan whose title OCR misread), the decision
# date tells it: a plan is decided before its year begins (in the autumn, now and then as
# late as the first months of the year itself), an annual report in the year after its
# year, an interim report within its year.
LATEST_PLAN_DECISION_MONTH = 3


def _period_from_decision(document_type: str, decided_on: str) -> tuple[Optional[int], str]:
    """The period year a document's decision date implies, with the evidence to show."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", decided_on or ""):
        return None, ""
    year, month = int(decided_on[:4]), int(decided_on[5:7])
    if document_type == "verksamhetsplan":
        year += 0 if month <= LATEST_PLAN_DECISION_MONTH else 1
    elif document_type == "arsredovisning":
        year -= 1
    elif document_type != "delarsrapport":
        return None, ""
    return year, f"inferred from the decision date {decided_on} (no title names the year)"
