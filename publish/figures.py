"""Facts → figures: the key figures of each federation's year, one number each.

A document states the same figure in several tables (the overview, the income statement,
the budget follow-up in tkr, a note), and an archive holds several documents about the
same year (the plan's budget, the annual report's outcome, next year's plan repeating
it). This stage decides, in three steps, which number is *the* figure:

1. per table, how the figure is read from its rows (`TABLE_RULES` in publish/figures.py):
   a printed total for contributions, income, costs and equity; the bottom-line result
   row; for the cost groups the sum of their item rows; total costs of an income
   statement as operating plus financial costs; income never counts carried-forward
   equity ("Överskott från tidigare år");
2. per document, the value most of its tables agree on, within each table's rounding (a
   tkr table agrees with a kr table to ±500 kr per printed cell, and then only confirms
   the precise value, never replaces it); a printed total before a sum on a tie;
3. per federation and year, the document that should know best: the annual report for
   year Y for the outcome, the verksamhetsplan for Y for the budget (else the annual
   report's budget column), the newest plan for plan and forecast years.

Every figure keeps where it was read (document, table, page, printed text) and how many
of the document's tables agree with it; a figure without a majority, or read from a value
of low confidence, is marked uncertain rather than silently chosen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, asdict
from typing import Optional

import pandas as pd

from models.fields import LOW_CONFIDENCE

FIGURE_MEASURES = ("budget", "plan", "forecast", "outcome")
FACT_COLUMNS = ("document_id", "table_id", "page", "row_label", "column_header", "category", "is_total", "year",
                "measure", "printed", "unit", "value", "confidence")
# half the printed unit per cell; amounts in kr are exact in accounts (a 4 kr gap is a real one)
UNIT_TOLERANCE = {"kr": 0.0, "tkr": 500.0, "mkr": 500_000.0, "count": 0.0, "percent": 0.0}
UNIT_FINENESS = {"kr": 0, "count": 0, "percent": 0, "tkr": 1, "mkr": 2}

INCOME_ITEMS = ("income.eu", "income.financial", "income.other")
COST_ITEMS = ("cost.administration", "cost.board", "cost.individual", "cost.structural", "cost.unallocated")
# the year's bottom line, not an intermediate result ("Resultat före …", "Verksamhetens
# nettokostnad") nor the balance requirement's adjusted result ("Balanskravsresultat")
BOTTOM_LINE = re.compile(r"\bresultat\b", re.I)
NOT_BOTTOM_LINE = re.compile(r"före|balanskrav|nettokostnad|verksamhetens|justera", re.I)
# closing equity when no "Summa eget kapital" row is printed
CLOSING_EQUITY = re.compile(r"utgående|vid årets slut|eget kapital", re.I)
NOT_CLOSING_EQUITY = re.compile(r"ingående|övrigt|balanserat|förändring", re.I)
# the participants column: all participants, not a target, a sex or a consultation count
PARTICIPANT_COLUMN = re.compile(r"deltagare|totalt|antal", re.I)
NOT_PARTICIPANT_COLUMN = re.compile(r"mål|kvinn|män|ärende|konsult", re.I)


@dataclass(frozen=True)
class Candidate:
    """One table's reading of a figure."""
    value: float
    unit: str
    printed: str
    table_id: str
    page: int
    confidence: float
    terms: int = 1  # printed cells summed: each adds its table's rounding


def _sum(parts: list[Candidate]) -> Candidate:
    first = parts[0]
    return Candidate(sum(p.value for p in parts), first.unit, " + ".join(p.printed for p in parts),
                     first.table_id, first.page, min(p.confidence for p in parts), sum(p.terms for p in parts))


Row = dict  # one fact: the facts.csv columns the rules read, as plain Python values


def _of(rows: list[Row], *categories: str, total: Optional[bool] = None) -> list[Row]:
    """Rows of these categories (only totals, only items, or both)."""
    return [r for r in rows if r["category"] in categories and (total is None or r["is_total"] == total)]


def _candidate(rows: list[Row]) -> Candidate:
    """A candidate from the rows it was read from (summed when there are several)."""
    first = rows[0]
    return Candidate(
        value=float(sum(r["value"] for r in rows)), unit=str(first["unit"]),
        printed=" + ".join(str(r["printed"]) for r in rows), table_id=str(first["table_id"]),
        page=int(first["page"]), confidence=float(min(r["confidence"] for r in rows)), terms=len(rows),
    )


def _items_or_total(rows: list[Row], *categories: str) -> Optional[Candidate]:
    """The sum of a group's item rows; its printed total when it has no items."""
    items, group = _of(rows, *categories, total=False), _of(rows, *categories)
    if items:
        return _candidate(items)
    return _candidate(group[-1:]) if group else None


def _member_contributions(rows: list[Row]) -> Optional[Candidate]:
    stated = _of(rows, "income.member_contributions")
    totals = [r for r in stated if r["is_total"]]
    if totals:
        return _candidate(totals[:1])
    if stated:
        return _candidate(stated)
    parties = _of(rows, "contribution", total=False)
    return _candidate(parties) if len(parties) >= 2 else None


def _is_statement(rows: list[Row]) -> bool:
    """A table with a result or total costs: its income rows are the year's income."""
    return bool(_of(rows, "result", "cost.total"))


def _total_income(rows: list[Row]) -> Optional[Candidate]:
    # a total that includes carried-forward equity ("Totalt utrymme") is no income total
    if not _of(rows, "income.carried_forward"):
        stated = _of(rows, "income.total")
        if stated:
            return _candidate(stated[-1:])
    if not _is_statement(rows):
        return None
    contributions = _member_contributions(rows)
    others = _of(rows, *INCOME_ITEMS, total=False)
    if contributions is None and not others:
        return None
    return _sum([c for c in (contributions,) if c] + ([_candidate(others)] if others else []))


def _total_costs(rows: list[Row]) -> Optional[Candidate]:
    totals = _of(rows, "cost.total")
    printed_totals = [r for r in totals if r["is_total"]]
    if printed_totals:
        return _candidate(printed_totals[-1:])
    financial = _of(rows, "cost.financial", total=False)
    if totals:  # "Verksamhetens kostnader": operating costs; financial costs come below
        return _candidate(totals + financial)
    groups = [c for c in (_items_or_total(rows, category) for category in COST_ITEMS) if c]
    if _is_statement(rows) and groups:
        return _sum(groups + ([_candidate(financial)] if financial else []))
    return None


def _result(rows: list[Row]) -> Optional[Candidate]:
    results = _of(rows, "result")
    bottom = [r for r in results
              if BOTTOM_LINE.search(str(r["row_label"])) and not NOT_BOTTOM_LINE.search(str(r["row_label"]))]
    return _candidate((bottom or results)[-1:]) if results else None


def _closing_equity(rows: list[Row]) -> Optional[Candidate]:
    equity = _of(rows, "balance.equity")
    totals = [r for r in equity if r["is_total"]]
    if totals:
        return _candidate(totals[-1:])
    closing = [r for r in equity
               if CLOSING_EQUITY.search(str(r["row_label"])) and not NOT_CLOSING_EQUITY.search(str(r["row_label"]))]
    return _candidate(closing[-1:]) if closing else None


def _participants(rows: list[Row]) -> Optional[Candidate]:
    people = _of(rows, "participants")
    if not people:
        return None
    header = [str(r["column_header"] or "") for r in people]
    wanted = [r for r, h in zip(people, header)
              if PARTICIPANT_COLUMN.search(h) and not NOT_PARTICIPANT_COLUMN.search(h)]
    column = wanted or [r for r, h in zip(people, header) if h == header[0]]
    totals = [r for r in column if r["is_total"]]
    return _candidate(totals[-1:]) if totals else _candidate(column)


TABLE_RULES = {
    "member_contributions": _member_contributions,
    "total_income": _total_income,
    "total_costs": _total_costs,
    "cost_administration": lambda rows: _items_or_total(rows, "cost.administration"),
    "cost_board": lambda rows: _items_or_total(rows, "cost.board"),
    "cost_individual": lambda rows: _items_or_total(rows, "cost.individual"),
    "cost_structural": lambda rows: _items_or_total(rows, "cost.structural"),
    "result": _result,
    "closing_equity": _closing_equity,
    "participants": _participants,
}


def _agree(a: Candidate, b: Candidate) -> bool:
    """Equal within what each side's rounding allows (half a unit per printed cell)."""
    rounding = UNIT_TOLERANCE.get(a.unit, 0) * a.terms + UNIT_TOLERANCE.get(b.unit, 0) * b.terms
    return abs(a.value - b.value) <= rounding


def consensus(candidates: list[Candidate]) -> tuple[Candidate, int]:
    """The candidate most tables agree with, and how many agree with it (itself included).
    A rounded value that a more precise one agrees with only supports it: a tkr table
    confirms 8 164 236 kr, it does not replace it. Ties: a printed total before a sum of
    rows, then the surer, then the earlier table."""
    def support(c: Candidate) -> int:
        return sum(_agree(c, other) for other in candidates)

    def refined(c: Candidate) -> bool:
        return any(UNIT_FINENESS.get(o.unit, 3) < UNIT_FINENESS.get(c.unit, 3) and _agree(c, o)
                   for o in candidates)
    eligible = [(i, c) for i, c in enumerate(candidates) if not refined(c)]
    best = min(eligible, key=lambda ic: (-support(ic[1]), ic[1].terms > 1, -ic[1].confidence, ic[0]))[1]
    return best, support(best)


def document_figures(facts: pd.DataFrame) -> pd.DataFrame:
    """Each document's reading of each figure, per year and measure."""
    usable = facts[facts["measure"].isin(FIGURE_MEASURES) & facts["year"].notna() & facts["value"].notna()]
    # plain Python rows, grouped by document, year, measure and table in one pass: the rules
    # are small list filters (selecting from typed frames made a cached re-run take seconds)
    groups: dict[tuple, dict[str, list[Row]]] = {}
    for row in usable[list(FACT_COLUMNS)].astype(object).where(usable[list(FACT_COLUMNS)].notna(), None) \
            .to_dict("records"):
        row["is_total"] = bool(row["is_total"])
        row["page"] = int(row["page"] or 0)
        row["confidence"] = float(row["confidence"] or 0.0)
        key = (row["document_id"], int(row["year"]), row["measure"])
        groups.setdefault(key, {}).setdefault(row["table_id"], []).append(row)
    rows = []
    for (doc_id, year, measure), tables in sorted(groups.items()):
        by_table = [tables[t] for t in sorted(tables)]
        for figure, rule in TABLE_RULES.items():
            found = [c for c in (rule(t) for t in by_table) if c is not None]
            if not found:
                continue
            best, agreeing = consensus(found)
            rows.append({
                "document_id": doc_id, "year": int(year), "measure": measure, "figure": figure,
                **{k: v for k, v in asdict(best).items() if k != "unit"},
                "tables_agreeing": agreeing, "tables_found": len(found),
                "uncertain": agreeing * 2 <= len(found) or best.confidence < LOW_CONFIDENCE,
            })
    return pd.DataFrame(rows, columns=[
        "document_id", "year", "measure", "figure", "value", "printed", "table_id", "page", "confidence",
        "tables_agreeing", "tables_found", "uncertain"])


def document_rank(document_type: str, period_year, year: int, measure: str) -> tuple:
    """How well a document knows a figure of `year` (lower is better): the outcome from the
    annual report for that year, then from later reports (their comparison columns), then
    from plans; the budget from that year's plan, then the annual report's budget column.
    Among equals the newer document."""
    period = int(period_year) if pd.notna(period_year) else -1
    if measure == "outcome":
        order = (0 if document_type == "arsredovisning" and period == year else
                 1 if document_type in ("arsredovisning", "delarsrapport") and period > year else 2)
    elif measure == "budget":
        order = (0 if document_type == "verksamhetsplan" and period == year else
                 1 if document_type == "arsredovisning" and period == year else 2)
    else:
        order = 0 if document_type == "verksamhetsplan" else 1
    return order, -period


def federation_figures(facts: pd.DataFrame, documents: pd.DataFrame) -> list[dict]:
    """Per federation, year, measure and figure: the reading of the document that knows it best."""
    docs = {d["document_id"]: d for d in documents.astype(object).where(documents.notna(), None).to_dict("records")}
    best: dict[tuple, dict] = {}
    for reading in document_figures(facts).to_dict("records"):
        doc = docs.get(reading["document_id"])
        if doc is None or doc["federation_id"] is None:
            continue
        reading.update({k: doc[k] for k in ("federation_id", "federation_name", "document_type", "period_year",
                                            "source_file")})
        key = (reading["federation_id"], reading["year"], reading["measure"], reading["figure"])
        rank = (document_rank(reading["document_type"], reading["period_year"], reading["year"],
                              reading["measure"]), reading["source_file"])
        if key not in best or rank < best[key][0]:
            best[key] = (rank, reading)
    return [best[key][1] for key in sorted(best)]
