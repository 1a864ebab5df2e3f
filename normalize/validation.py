"""Facts → arithmetic checks: every total, result and deviation the tables print.

Works on the printed signs (a resultaträkning prints costs negative and sums with them),
column by column, reading the rows top to bottom like a person with a calculator:

- a total row (Summa, Totalt, …) must equal the shortest run of the items just above it,
  where an earlier subtotal stands for the rows it closed ("Summa kostnader" = "Summa
  insatser" + "Politisk organisation" + "Administration");
- a result row must equal such a run too, or else income minus costs (carried-forward
  equity is not income of the year);
- deviation columns must equal outcome − budget (or budget − outcome, the table's own
  convention, found from its rows);
- total assets must equal total equity and liabilities.

A printed value that does not add up is reported with the expected value, never changed.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from models import Check, Fact
from normalize.categories import clean_label
from normalize.numbers import lost_decimal_candidates, parse_number

ROUNDING = {"kr": 1.0, "tkr": 1000.0, "mkr": 1_000_000.0, "percent": 0.1, "count": 0.0}


@dataclass
class _Item:
    fact: Fact
    carried_forward: float = 0.0  # equity brought forward inside this item
    leaf: bool = True


def _tolerance(fact: Fact, n_items: int) -> float:
    unit = ROUNDING.get(fact.unit, 1.0)
    if fact.unit in ("tkr", "mkr"):  # rounded amounts: half a unit per item, at most 2 units
        return min(2 * unit, 0.5 * unit * max(n_items, 1)) + 1e-6
    return unit * 0.5 + 1e-6


def _check(fact: Fact, name: str, expected: float, status: str, message: str,
           found: float | None = None) -> Check:
    """A check row about `fact`; `found` is its printed value unless said otherwise."""
    found = fact.signed_value if found is None else found
    return Check(fact.document_id, fact.table_id, name, fact.row_label, fact.year,
                 fact.measure, round(expected, 2), round(found, 2), status, message)


def _income_minus_costs(items: list[_Item]) -> float | None:
    income = sum(abs(i.fact.signed_value) - abs(i.carried_forward) for i in items
                 if i.fact.category.startswith("income.") and i.fact.category != "income.carried_forward"
                 or i.fact.category == "contribution")
    costs = sum(abs(i.fact.signed_value) for i in items
                if i.fact.category.startswith("cost.") or (i.fact.category == "other" and i.fact.is_total))
    has_income = any(i.fact.category.startswith("income.") or i.fact.category == "contribution" for i in items)
    has_costs = any(i.fact.category.startswith("cost.") for i in items)
    return income - costs if has_income and has_costs else None


CONFIRMED_CONFIDENCE = 0.85  # an OCR repair that the table's arithmetic confirmed


def _correct(run: list[_Item], total: Fact) -> Check | None:
    """Repair one OCR-damaged number so that a failing sum adds up, if exactly one can.

    Candidates are lost decimal commas ("12225" for "1 222,5") in cells read by OCR or
    from a poor text layer; the total itself may be the damaged one. A repair that the
    sum confirms is applied and reported as a `corrected` check, never silently.
    """
    items = [i.fact for i in run]
    total_sum = sum(f.signed_value for f in items)
    options: list[tuple[Fact, float]] = []  # (fact, factor its value is scaled by)
    for f in items + [total]:
        parsed = parse_number(f.printed) if f.suspect else None
        if not parsed or not parsed.value:
            continue
        for candidate in lost_decimal_candidates(parsed):
            factor = candidate / parsed.value
            if f is total:
                ok = abs(total_sum - f.signed_value * factor) <= _tolerance(total, len(items))
            else:
                new_sum = total_sum + f.signed_value * (factor - 1)
                ok = abs(new_sum - total.signed_value) <= _tolerance(total, len(items))
            if ok:
                options.append((f, factor))
    if len(options) != 1:
        return None
    fact, factor = options[0]
    original = fact.signed_value
    fact.value *= factor
    fact.signed_value *= factor
    fact.confidence = CONFIRMED_CONFIDENCE
    amount = f"{fact.signed_value:,.0f}".replace(",", " ")
    fact.reading = f"printed {fact.printed!r} read as {amount} SEK: a decimal comma lost in OCR"
    return _check(fact, "sum_of_rows", fact.signed_value, "corrected",
                  f"{fact.reading}; confirmed by {total.row_label!r} = {total.printed}", found=original)


def _confirm_readings(run: list[_Item], total: Fact) -> list[Check]:
    """Numbers read through OCR look-alikes ("1 8OO") that a passing sum confirms."""
    out = []
    for item in run:
        f = item.fact
        if f.reading.startswith("read as") and f.confidence < CONFIRMED_CONFIDENCE:
            f.confidence = CONFIRMED_CONFIDENCE
            out.append(_check(f, "sum_of_rows", f.signed_value, "corrected",
                              f"printed {f.printed!r} {f.reading}; confirmed by {total.row_label!r}"))
    return out


def _column_checks(facts: list[Fact]) -> list[Check]:
    checks: list[Check] = []
    open_items: list[_Item] = []
    new_leaves = 0
    for fact in facts:
        is_result = fact.category == "result"
        # the member-contributions line under the party lines is their sum ("Parternas insats")
        implicit = (fact.category == "income.member_contributions" and new_leaves >= 2
                    and all(i.fact.category == "contribution" for i in open_items[-new_leaves:]))
        if not (fact.is_total or is_result or implicit) or not open_items:
            open_items.append(_Item(fact, fact.signed_value if fact.category == "income.carried_forward" else 0.0))
            new_leaves += 1
            continue
        found = fact.signed_value
        match = None
        for length in range(1, len(open_items) + 1):
            run = open_items[-length:]
            if abs(sum(i.fact.signed_value for i in run) - found) <= _tolerance(fact, length):
                match = length
                break
        if match is None and not is_result and new_leaves:
            corrected = _correct(open_items[-new_leaves:], fact)
            if corrected is not None:
                checks.append(corrected)
                match = new_leaves
        if match is not None:
            run = open_items[-match:]
            expected = sum(i.fact.signed_value for i in run)
            name = "income_minus_costs" if is_result else "sum_of_rows"
            checks.append(_check(fact, name, expected, "pass",
                                 f"equals the sum of the {match} row(s) above"))
            checks.extend(_confirm_readings(run + [_Item(fact)], fact))
            carried = sum(i.carried_forward for i in run)
            del open_items[-match:]
            open_items.append(_Item(fact, carried, leaf=False))
            new_leaves = 0
            continue
        if is_result:
            expected = _income_minus_costs(open_items)
            if expected is not None:
                ok = abs(expected - found) <= _tolerance(fact, len(open_items))
                checks.append(_check(fact, "income_minus_costs", expected, "pass" if ok else "fail",
                                     "equals income minus costs above" if ok else
                                     f"printed {fact.printed!r} but income minus costs above is "
                                     f"{expected:,.0f} SEK; check the printed result".replace(",", " ")))
            open_items.append(_Item(fact, 0.0, leaf=False))
            new_leaves = 0
            continue
        if new_leaves == 0:
            open_items.append(_Item(fact, 0.0, leaf=False))  # nothing itemized: cannot check
            continue
        run = open_items[-new_leaves:]
        expected = sum(i.fact.signed_value for i in run)
        checks.append(_check(fact, "sum_of_rows", expected, "fail",
                             f"printed {fact.printed!r} but the {len(run)} row(s) above add up to "
                             f"{expected:,.0f} SEK; the printed total or a row is wrong".replace(",", " ")))
        carried = sum(i.carried_forward for i in run)
        del open_items[-new_leaves:]
        open_items.append(_Item(fact, carried, leaf=False))
        new_leaves = 0
    return checks


def _deviation_checks(table_facts: list[Fact]) -> list[Check]:
    by_row: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in table_facts:
        if f.measure in ("budget", "outcome", "deviation") and f.value_unit == "SEK":
            by_row[f.row_index].setdefault(f.measure, f)
    triples = [r for r in by_row.values() if len(r) == 3 and
               r["budget"].year == r["outcome"].year == r["deviation"].year]
    if not triples:
        return []

    def diff(r, sign):
        return sign * (r["outcome"].signed_value - r["budget"].signed_value)

    sign = max((1, -1), key=lambda s: sum(
        abs(diff(r, s) - r["deviation"].signed_value) <= _tolerance(r["deviation"], 2) for r in triples))
    checks = []
    for r in triples:
        dev = r["deviation"]
        expected = diff(r, sign)
        ok = abs(expected - dev.signed_value) <= _tolerance(dev, 2)
        convention = "outcome − budget" if sign == 1 else "budget − outcome"
        checks.append(_check(dev, "deviation_equals_difference", expected, "pass" if ok else "fail",
                             f"deviation = {convention}" if ok else
                             f"printed {dev.printed!r} but {convention} is {expected:,.0f} SEK".replace(",", " ")))
    return checks


def _balance_checks(table_facts: list[Fact]) -> list[Check]:
    by_column: dict[int, dict[str, Fact]] = defaultdict(dict)
    for f in table_facts:
        label = clean_label(f.row_label)
        if re.match(r"^summa tillgångar", label):
            by_column[f.column_index]["assets"] = f
        elif re.match(r"^summa eget kapital och skulder|^summa skulder och eget kapital", label):
            by_column[f.column_index]["both"] = f
    checks = []
    for pair in by_column.values():
        if len(pair) == 2:
            assets, both = pair["assets"], pair["both"]
            ok = abs(assets.signed_value - both.signed_value) <= _tolerance(both, 1)
            checks.append(_check(both, "assets_equal_equity_plus_liabilities", assets.signed_value,
                                 "pass" if ok else "fail",
                                 "balances" if ok else "total assets differ from equity plus liabilities"))
    return checks


def validate(facts: list[Fact]) -> list[Check]:
    """All checks for one document's facts, table by table, column by column."""
    by_table: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_table[f.table_id].append(f)
    checks: list[Check] = []
    for table_facts in by_table.values():
        columns: dict[tuple[int, str], list[Fact]] = defaultdict(list)
        for f in sorted(table_facts, key=lambda f: f.row_index):
            if f.value_unit in ("SEK", "count"):
                columns[(f.column_index, f.value_unit)].append(f)
        for column_facts in columns.values():
            checks.extend(_column_checks(column_facts))
        checks.extend(_deviation_checks(table_facts))
        checks.extend(_balance_checks(table_facts))
    return checks
