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

A printed value that does not add up is reported with the expected value. Only a cell
read by OCR (or from a poor text layer) is ever changed, and only where the arithmetic
leaves one reading: its second reading from the scan, a decimal comma OCR lost, or digits
OCR lost or added at its front. Each change is a `corrected` check.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from models import Check, Fact
from normalize.categories import clean_label, is_flow
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
FAILED_CHECK_CONFIDENCE = 0.5  # a value that its table's arithmetic contradicts or cannot confirm


def _as_printed(fact: Fact):
    """The number a cell OCR may have damaged reads as printed: None for a trusted text
    layer, and for a cell already read another way (look-alikes, a second reading)."""
    return parse_number(fact.printed) if fact.suspect and not fact.reading else None


def _second_reading(fact: Fact) -> tuple[float, float, str] | None:
    """The cell as read again from the scan, as (signed value, value, why), if it was."""
    if fact.reread_values is None:
        return None
    return (*fact.reread_values, f"the cell read again from the scan as {fact.reread!r}")


def _taken_from_reread(fact: Fact) -> bool:
    """Is the cell's number its second reading from the scan (a cell OCR read as no
    number, or dropped), rather than what OCR read first?"""
    return bool(fact.reread) and fact.reread_values is None


def _repairs(fact: Fact) -> list[tuple[float, float, str]]:
    """What an OCR-damaged cell may have printed, as (signed value, value, why): its
    reading from the scan read again, and a decimal comma lost in OCR ("12225" for
    "1 222,5"), in cells read by OCR or from a poor text layer."""
    out = [reading] if (reading := _second_reading(fact)) else []
    again = _taken_from_reread(fact)  # a cell OCR had dropped can lose its comma when read again too
    parsed = parse_number(fact.reread) if again else _as_printed(fact)
    why = "a decimal comma lost in OCR"
    if again:
        why = f"read again from the scan as {fact.reread!r}, {why}"
    if parsed and parsed.value:
        for candidate in lost_decimal_candidates(parsed):
            factor = candidate / parsed.value
            out.append((fact.signed_value * factor, fact.value * factor, why))
    return out


# Digits at the front of a cell that OCR may lose ("367 619" for "-1 367 619": the "-1" ran
# into a ruling line) or add ("1 8164 236": a rule read as "1"), the rest read right. The
# digits both readings share must be this many at least, so that a match is no accident.
FRONT_DIGITS_LOST_MAX = 2
FRONT_DIGITS_SHARED_MIN = 4


def _front_repair(fact: Fact, needed: float) -> tuple[float, float, str] | None:
    """The value the arithmetic needs, as (signed value, value, why), when the cell as
    printed could be it with its sign or up to two digits at its front lost or added."""
    parsed = _as_printed(fact)
    if not parsed or not parsed.value or abs(needed - fact.signed_value) < 0.5:
        return None
    scale = fact.signed_value / parsed.value  # printed unit → SEK, with the printed sign
    decimals = re.search(r"\d[.,](\d{1,2})\D*$", fact.printed)  # "222,5": digits are compared as printed
    wanted = abs(needed / scale) * 10 ** (len(decimals.group(1)) if decimals else 0)
    if abs(wanted - round(wanted)) > 1e-6:
        return None  # the value needed has more decimals than the cell prints
    printed, needed_digits = re.sub(r"\D", "", fact.printed), str(int(round(wanted)))
    shorter, longer = sorted((printed, needed_digits), key=len)
    if printed == needed_digits and len(printed) >= 2:
        pass  # only the sign differs: a minus lost, or a speck read as one ("- 43" participants)
    elif len(shorter) < FRONT_DIGITS_SHARED_MIN or len(longer) - len(shorter) > FRONT_DIGITS_LOST_MAX \
            or not longer.endswith(shorter):
        return None
    if len(printed) > len(needed_digits) and not parsed.irregular:
        return None  # a well-formed number with more digits: a row may be missing, not digits added
    why = ("its minus lost in OCR" if needed < 0 else "a speck before it read as a minus") \
        if printed == needed_digits else (
        "digits at its front lost in OCR" if len(printed) < len(needed_digits) else
        "digits at its front added by OCR (a ruling line read as a digit)")
    return needed, _value(fact, needed), why


def _value(fact: Fact, signed: float) -> float:
    """The fact's value for a signed amount: a revenue or a cost is kept as its size."""
    absolute = fact.measure != "deviation" and (fact.value != fact.signed_value
                                                or is_flow(fact.category, fact.section))
    return abs(signed) if absolute else signed


def _amount(value: float, unit: str) -> str:
    """An amount as a message prints it: "-845 000 SEK", "127 count", "38.5 percent"."""
    return f"{value:,.{0 if unit in ('SEK', 'count') else 1}f} {unit}".replace(",", " ")


def _take(fact: Fact, signed: float, value: float, why: str) -> None:
    """Give a fact another value than OCR read, and say in its reading why."""
    fact.signed_value, fact.value = signed, value
    fact.reading = f"printed {fact.printed!r} read as {_amount(signed, fact.value_unit)}: {why}"


def _apply(fact: Fact, signed: float, value: float, why: str, confirmed_by: Fact | str,
           check: str = "sum_of_rows") -> Check:
    """Take a repair that the arithmetic confirmed, and report it as a `corrected` check;
    `confirmed_by` is the total that confirmed it, or what did, in words."""
    original = fact.signed_value
    _take(fact, signed, value, why)
    fact.confidence = CONFIRMED_CONFIDENCE
    if isinstance(confirmed_by, Fact):
        confirmed_by = f"{confirmed_by.row_label!r} = {confirmed_by.printed}"
    return _check(fact, check, fact.signed_value, "corrected",
                  f"{fact.reading}; confirmed by {confirmed_by}", found=original)


def _gap(items: list[Fact], total: Fact, changes: dict[int, float]) -> float:
    """How far the items miss their total, with some values changed (fact id → signed value)."""
    found = changes.get(id(total), total.signed_value)
    return abs(sum(changes.get(id(f), f.signed_value) for f in items) - found)


def _correct(run: list[_Item], total: Fact, trusted: set[int] = frozenset()) -> list[Check]:
    """Repair OCR-damaged numbers so that a failing sum adds up, where the arithmetic
    leaves no choice: exactly one single repair (of an item or of the total itself)
    that makes it add up, or else the cells read again from the scan taken together.
    Cells another check confirmed as printed (`trusted` ids) are not repaired. Each
    repair is applied and reported as a `corrected` check, never silently."""
    items = [i.fact for i in run]
    tolerance = _tolerance(total, len(items))

    def adds_up(changes: dict[int, float]) -> bool:
        return _gap(items, total, changes) <= tolerance

    candidates = [f for f in items + [total] if id(f) not in trusted]
    options = [(f, *repair) for f in candidates for repair in _repairs(f)
               if adds_up({id(f): repair[0]})]
    found, added = total.signed_value, sum(f.signed_value for f in items)
    for f in candidates:
        needed = added if f is total else found - (added - f.signed_value)
        repair = _front_repair(f, needed)
        if repair is not None:
            options.append((f, *repair))
    if len({(id(f), round(signed, 2)) for f, signed, _, _ in options}) == 1:
        # one repair, perhaps found two ways (the re-read confirms the lost comma): say both
        fact, signed, value, _ = options[0]
        return [_apply(fact, signed, value, " and ".join(why for *_, why in options), total)]
    rereads = [(f, *reading) for f in candidates if (reading := _second_reading(f))]
    if len(rereads) > 1 and adds_up({id(f): signed for f, signed, _, _ in rereads}):
        return [_apply(f, signed, value, why, total) for f, signed, value, why in rereads]
    return _one_sign(items, total, trusted, tolerance)


def _one_sign(items: list[Fact], total: Fact, trusted: set[int], tolerance: float) -> list[Check]:
    """Minuses lost in several cells of a column (OCR's commonest damage to a number):
    when the sizes of the items add up to the size of the total, as printed or as read
    again from the scan, every item has the sign most of them show (a budget prints all
    its costs negative); the cells that show another sign are repaired. A column that
    really mixes signs cannot add up this way, as its total is smaller than the sum of
    the sizes. Only OCR'd cells not confirmed elsewhere are changed."""
    if len(items) < 2:
        return []
    for reread in (False, True):
        readings = []
        for f in items + [total]:
            reading = _second_reading(f) if reread and id(f) not in trusted else None
            readings.append((f, reading[0], reading[2]) if reading else (f, f.signed_value, ""))
        *parts, (_, found, _) = readings
        if not found or abs(sum(abs(v) for _, v, _ in parts) - abs(found)) > tolerance:
            continue
        negative = sum(v < 0 for _, v, _ in parts)
        positive = sum(v > 0 for _, v, _ in parts)
        sign = -1.0 if negative > positive or (negative == positive and found < 0) else 1.0
        changes = []
        for f, v, why in readings:
            wanted = sign * abs(v)
            if abs(wanted - f.signed_value) < 0.5:
                continue
            if not f.suspect or id(f) in trusted:
                return []
            lost = "its minus lost in OCR" if wanted < 0 else "a speck before it read as a minus"
            changes.append((f, wanted, f"{why}, {lost}" if why and wanted != v else why or lost))
        return [_apply(f, wanted, _value(f, wanted), why, total) for f, wanted, why in changes]
    return []


NEARER_GAP_SHARE = 0.1  # of a failing sum's gap that a second reading may leave, to be taken


def _nearer_reading(items: list[Fact], total: Fact, trusted: set[int]) -> str:
    """A sum that no repair makes add up (a document's own arithmetic can be off by a
    rounding or a late change), where one cell read again from the scan says something
    other than the page's OCR and alone closes nearly all of the gap: that reading is
    taken, as the likelier one ("12548" read again as "72 548" leaves 2 000 of a 60 000
    gap). The sum still fails, so the cell stays in doubt; the fact's reading says what
    was done, and so does the returned note for the failing check ("" when nothing was)."""
    before = _gap(items, total, {})
    options = [(_gap(items, total, {id(f): reading[0]}), f, reading) for f in items + [total]
               if id(f) not in trusted and f.suspect and (reading := _second_reading(f))
               and abs(reading[0] - f.signed_value) >= 0.5]
    options = [o for o in options if o[0] <= NEARER_GAP_SHARE * before]
    if len(options) != 1:
        return ""
    after, fact, (signed, value, why) = options[0]
    gaps = f"{_amount(after, total.value_unit)} of the {_amount(before, total.value_unit)} gap"
    _take(fact, signed, value, f"{why}, which leaves {gaps} (unconfirmed)")
    fact.confidence = min(fact.confidence, FAILED_CHECK_CONFIDENCE)
    return f"; {fact.row_label!r} {fact.year} taken as read again from the scan, {fact.reread!r}, which leaves {gaps}"


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


def _result_repairs(result: Fact, items: list[_Item], expected: float, trusted: set[int]
                    ) -> list[tuple[Fact, float, float, str]]:
    """Repairs that make a failing result equal income minus costs, as (fact, signed
    value, value, why): the result read again from the scan, or with digits OCR lost or
    added at its front, or an income or cost above it so damaged."""
    tolerance = _tolerance(result, len(items))
    options = []
    if (reading := _second_reading(result)) and abs(expected - reading[0]) <= tolerance:
        options.append((result, *reading))
    elif id(result) not in trusted and (repair := _front_repair(result, expected)) is not None:
        options.append((result, *repair))
    excess = expected - result.signed_value  # how much too much income (or too little cost) was read
    for item in items:
        f = item.fact
        if id(f) in trusted or f.category == "income.carried_forward":
            continue
        if f.category.startswith("income.") or f.category == "contribution":
            needed = abs(f.signed_value) - excess
        elif f.category.startswith("cost.") or (f.category == "other" and f.is_total):
            needed = abs(f.signed_value) + excess
        else:
            continue
        repair = _front_repair(f, needed if f.signed_value >= 0 else -needed) if needed > 0 else None
        if repair is not None:
            options.append((f, *repair))
    if len(options) > 1:
        # A digit added in front of a cost shifts the result by a power of ten, so the
        # result always reads as if it had lost digits too: the cell whose digit groups
        # show the damage ("1 8164 236") is the one to repair.
        options = [o for o in options if (parsed := parse_number(o[0].printed)) and parsed.irregular]
    return options


def _column_checks(facts: list[Fact], trusted: set[int] = frozenset()) -> list[Check]:
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
            corrected = _correct(open_items[-new_leaves:], fact, trusted)
            if corrected:
                checks.extend(corrected)
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
            basis = "income minus costs above"
            if expected is None and new_leaves == 0:  # it restates the result just above
                expected, basis = open_items[-1].fact.signed_value, "the result just above"
            if expected is not None:
                ok = abs(expected - found) <= _tolerance(fact, len(open_items))
                items = open_items if basis.startswith("income") else []
                options = [] if ok else _result_repairs(fact, items, expected, trusted)
                if len(options) == 1:
                    repaired, *repair = options[0]
                    checks.append(_apply(repaired, *repair, f"{basis} ({_amount(expected, fact.value_unit)})"
                                         if repaired is fact else f"{fact.row_label!r} = {fact.printed}",
                                         "income_minus_costs"))
                    if repaired is not fact:
                        checks.append(_check(fact, "income_minus_costs", found, "pass", f"equals {basis}"))
                    open_items.append(_Item(fact, 0.0, leaf=False))
                    new_leaves = 0
                    continue
                checks.append(_check(fact, "income_minus_costs", expected, "pass" if ok else "fail",
                                     f"equals {basis}" if ok else
                                     f"printed {fact.printed!r} but {basis} is "
                                     f"{_amount(expected, fact.value_unit)}; check the printed result"))
            open_items.append(_Item(fact, 0.0, leaf=False))
            new_leaves = 0
            continue
        if new_leaves == 0:
            open_items.append(_Item(fact, 0.0, leaf=False))  # nothing itemized: cannot check
            continue
        run = open_items[-new_leaves:]
        nearer = _nearer_reading([i.fact for i in run], fact, trusted)
        expected = sum(i.fact.signed_value for i in run)
        checks.append(_check(fact, "sum_of_rows", expected, "fail",
                             f"printed {fact.printed!r} but the {len(run)} row(s) above add up to "
                             f"{_amount(expected, fact.value_unit)}; the printed total or a row is wrong" + nearer))
        carried = sum(i.carried_forward for i in run)
        del open_items[-new_leaves:]
        open_items.append(_Item(fact, carried, leaf=False))
        new_leaves = 0
    return checks


def _deviation_checks(table_facts: list[Fact], trusted: set[int]) -> list[Check]:
    """Deviation = outcome − budget (or the other way, as the table has it) per row;
    the ids of the facts of rows that agree as printed go into `trusted`."""
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
        if ok:
            trusted.update(id(f) for f in r.values())
        else:
            repaired = _repair_deviation(r, sign)
            if repaired is not None:
                checks.append(repaired)
                expected, ok = diff(r, sign), True
        convention = "outcome − budget" if sign == 1 else "budget − outcome"
        checks.append(_check(dev, "deviation_equals_difference", expected, "pass" if ok else "fail",
                             f"deviation = {convention}" if ok else
                             f"printed {dev.printed!r} but {convention} is {_amount(expected, dev.value_unit)}"))
    return checks


def _repair_deviation(row: dict[str, Fact], sign: int) -> Check | None:
    """A failing deviation that adds up when exactly one of its three cells is taken as
    read again from the scan, or with the digits OCR lost at its front: that cell is
    repaired and reported as `corrected`."""
    def holds(values: dict[str, float]) -> bool:
        return abs(sign * (values["outcome"] - values["budget"]) - values["deviation"]) \
            <= _tolerance(row["deviation"], 2)

    printed = {m: f.signed_value for m, f in row.items()}
    options = [(m, reading) for m, f in row.items()
               if (reading := _second_reading(f)) and holds({**printed, m: reading[0]})]
    needed = {"deviation": sign * (printed["outcome"] - printed["budget"]),
              "outcome": printed["budget"] + sign * printed["deviation"],
              "budget": printed["outcome"] - sign * printed["deviation"]}
    for measure, fact in row.items():
        repair = _front_repair(fact, needed[measure])
        if repair is not None and not any(m == measure for m, _ in options):
            options.append((measure, repair))
    if len(options) != 1:
        return None
    measure, repair = options[0]
    return _apply(row[measure], *repair, "the row's budget, outcome and deviation, which then agree",
                  "deviation_equals_difference")


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
        # deviations first: a row whose budget, outcome and deviation agree as printed
        # is confirmed, and no sum may repair a cell of it
        trusted: set[int] = set()
        deviation_checks = _deviation_checks(table_facts, trusted)
        for column_facts in columns.values():
            checks.extend(_column_checks(column_facts, trusted))
        checks.extend(deviation_checks)
        checks.extend(_balance_checks(table_facts))
    return checks


def cells_in_doubt(facts: list[Fact], checks: list[Check]
                   ) -> tuple[set[tuple[str, int, int]], set[tuple[str, int]]]:
    """Cells whose OCR reading a failing check puts in doubt, as (table id, row index,
    column index), and the columns whose sum or result does not add up, as (table id,
    column index): there a number OCR lost altogether may be missing. The cells are
    every OCR'd cell of such a column, and the three cells of a deviation that does not
    add up. Reading them again is worth it only there, where the arithmetic can then
    say which reading was printed. Also every OCR'd cell of a ratio row (soliditet, andel)
    read without its "%": Tesseract reads a percent sign as digits ("75,4%" as "75,4920")."""
    cells = {(f.table_id, f.row_index, f.column_index) for f in facts
             if f.source == "ocr" and f.category == "ratio" and f.unit != "percent"}
    columns: set[tuple[str, int]] = set()
    for check in (c for c in checks if c.status == "fail"):
        subject = [f for f in facts if (f.table_id, f.row_label, f.year, f.measure) ==
                   (check.table_id, check.subject, check.year, check.measure)]
        for fact in subject:
            if check.check == "deviation_equals_difference":
                doubted = [f for f in facts if f.table_id == fact.table_id and f.row_index == fact.row_index]
            else:
                doubted = [f for f in facts if f.table_id == fact.table_id and f.column_index == fact.column_index]
                columns.add((fact.table_id, fact.column_index))
            cells.update((f.table_id, f.row_index, f.column_index) for f in doubted if f.source == "ocr")
    return cells, columns
