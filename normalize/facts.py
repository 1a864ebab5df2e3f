"""Tables → facts: one fact per number of a financial or results table.

Decides which tables are financial (a stated unit, year columns, money or percent cells;
not a table of contents), what each column means (`columns`), what each row is
(`categories`), and normalizes every cell to the dataset's value: SEK for money, the
spec's sign convention (revenues and costs as positive magnitudes, results and
deviations signed), and a confidence that says how sure the pipeline is.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from models import ColumnMeaning, DocumentMeta, Fact, Table
from normalize.categories import (
    categorize, clean_label, is_bare_total, is_flow, is_total_label, total_category,
)
from normalize.columns import column_meanings, is_count_table, table_unit
from normalize.numbers import MINUS_SIGNS, THOUSANDS_SPACES, ParsedNumber, ocr_digit_reading, parse_number, to_sek
from normalize.text import repair_text

TOC_TITLE = re.compile(r"innehåll|innehållsförteckning|contents", re.I)
DOT_LEADER = re.compile(r"\.{4,}|…{2,}")
HEADING_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")  # "3.", "3.1.1 " before a heading
MAX_PAGE_NUMBER = 1000
# A header naming a year or a measure: the table holds money (or counts), not page numbers.
HEADER_WORDS = re.compile(r"(19|20)\d\d|budget|utfall|prognos|avvikelse|belopp", re.I)

# Confidence levels: a plain typed cell in a table with a stated unit is near certain;
# each doubt takes something off.
BASE_CONFIDENCE = {"text": 0.98, "ocr": 0.9}
DOUBT_UNIT_ASSUMED = 0.15      # money unit not stated anywhere, kr assumed
DOUBT_IRREGULAR_DIGITS = 0.35  # digit grouping that no one types ("890 0000")
DOUBT_NO_YEAR = 0.2            # the column names no year; the document's year was used
DOUBT_NO_MEASURE = 0.2
DOUBT_OCR_DIGITS = 0.45        # letters read as digits ("1 8OO"): needs the arithmetic to confirm
DOUBT_PERCENT_READ_AGAIN = 0.15  # a ratio's "%" found only on the second reading: no sum can confirm it


def is_financial(table: Table, meanings: list[ColumnMeaning]) -> bool:
    """A table worth facts: not a table of contents, and with units, years or money."""
    if TOC_TITLE.search(table.title) or TOC_TITLE.search(table.caption[-120:]):
        return False
    labels = [r.label for r in table.rows if r.cells]
    if labels and sum(bool(DOT_LEADER.search(l)) for l in labels) >= len(labels) / 2:
        return False
    if _is_contents(table):
        return False
    cells = [c for r in table.rows for c in r.cells.values()]
    parsed = [parse_number(c) for c in cells]
    if any(p and p.unit for p in parsed):
        return True
    unit, stated = table_unit(table)
    if stated:
        return True
    headers = " ".join([table.header_label] + [c.header for c in table.columns])
    if HEADER_WORDS.search(headers):
        return True
    if is_count_table(table):
        return True
    # no unit, no year header: money only if the amounts are large
    return any(p and abs(p.value) >= 1000 for p in parsed)


def _is_contents(table: Table) -> bool:
    """A table of contents whose title and dot leaders were lost (a scan): numbered
    headings ("3.1.1 Målområde 1"), each with one small whole number that never goes
    down (the page numbers), and no year or measure over them."""
    rows = [r for r in table.rows if r.cells]
    if not rows or any(len(r.cells) != 1 for r in rows):
        return False
    if any(HEADER_WORDS.search(c.header) for c in table.columns):
        return False
    pages = [parse_number(next(iter(r.cells.values()))) for r in rows]
    if any(p is None or p.unit or not (0 < p.value < MAX_PAGE_NUMBER) or p.value != int(p.value) for p in pages):
        return False
    numbers = [p.value for p in pages]
    numbered = sum(bool(HEADING_NUMBER.match(r.label)) for r in rows)
    return numbers == sorted(numbers) and numbered >= len(rows) / 2


def _section_of_rows(table: Table) -> list[str]:
    """The group row above each row ("Kansli"), or the header label when it names one."""
    initial = table.header_label if re.search(
        r"^(intäkter|kostnader|tillgångar|skulder|eget kapital)", table.header_label.strip(), re.I
    ) else ""
    sections, current = [], initial
    for row in table.rows:
        if row.is_section:
            current = row.label
        sections.append(current)
    return sections


LOOKALIKES = "OCR letter look-alikes for digits"
REREAD = "the cell read again from the scan"
REREAD_BLANK = "read from the scan where OCR had read nothing"
PERCENT_READ_AGAIN = "the cell read again from the scan, where OCR had read its % as digits"


def _cell_value(number: ParsedNumber, value_unit: str, unit: str, absolute: bool) -> tuple[float, float]:
    """A cell's number as (signed value, dataset value): SEK for money, and a magnitude
    where the spec wants revenues and costs positive."""
    signed = to_sek(number.value, unit) if value_unit == "SEK" else number.value
    return signed, abs(signed) if absolute else signed


def table_facts(table: Table, meta: DocumentMeta, document_id: str, document_title: str,
                sources: dict[int, str] | None = None, suspect_pages: frozenset[int] = frozenset(),
                carried_unit: Optional[str] = None,
                rereads: dict[tuple[int, int], str] | None = None) -> list[Fact]:
    """All facts of one table (an empty list for a table that is not financial).
    `rereads` holds cells read again from the scan, by (row index, column index): an
    unreadable cell takes its number from there (with the doubt of a repair), a cell
    read otherwise keeps its print and carries the other reading for the checks."""
    rereads = rereads or {}
    meanings = column_meanings(table, meta.document_type, meta.period_year, document_title)
    if not is_financial(table, meanings):
        return []
    unit, unit_stated = table_unit(table)
    if not unit_stated and carried_unit:
        unit, unit_stated = carried_unit, True  # the table goes on from the previous page
    count_table = is_count_table(table)
    sections = _section_of_rows(table)
    table_text = " ".join([table.title, table.header_label] + [c.header for c in table.columns])

    facts: list[Fact] = []
    categories: list[str] = []  # per row, for totals that take their members' family
    last_total = -1
    for row_index, (row, section) in enumerate(zip(table.rows, sections)):
        label = repair_text(row.label)
        suspect = row.page in suspect_pages  # read by OCR: its digits and letters may be damaged
        category = categorize(label, section, table_text, suspect) if not row.is_section else ""
        total = is_total_label(label, suspect)
        if total and is_bare_total(label, suspect):
            members = [c for c in categories[last_total + 1:] if c]
            category = total_category(members, category)
        categories.append(category)
        if total:
            last_total = row_index
        blanks = {c: "" for r, c in rereads if r == row_index}  # cells OCR read nothing in
        for column_index, printed in sorted({**blanks, **row.unread, **row.cells}.items()):
            meaning = meanings[column_index]
            if meaning.is_note_ref:
                continue
            reread = rereads.get((row_index, column_index))
            reread_number = parse_number(reread) if reread else None
            number = parse_number(printed) if column_index in row.cells else None
            if number is None and reread_number is not None and column_index in row.unread:
                first = parse_number(printed)  # a lone digit OCR doubted: the second reading may bear it out
                number = first if first is not None and first.value == reread_number.value else None
            reading = how = ""
            if number is None and suspect:
                number = ocr_digit_reading(printed)
                reading, how = (number.printed, LOOKALIKES) if number else ("", "")
            if number is None and reread_number is not None and _agrees_with_print(reread, printed):
                # an unreadable or a blank cell
                number, reading = _with_printed_minus(reread_number, reread, printed)
                how = REREAD if printed else REREAD_BLANK
            if (category == "ratio" and how == "" and number is not None and number.unit is None
                    and reread_number is not None and reread_number.unit == "percent"):
                # "75,4%" read as "75,4920" or "63,396": Tesseract's commonest misreading of a
                # percent sign; the second reading, restricted to digits and "%", has it
                number, reading, how = reread_number, reread, PERCENT_READ_AGAIN
            if number is None:
                continue
            source = (sources or {}).get(row.page, "text")
            confidence = BASE_CONFIDENCE[source] - (
                DOUBT_PERCENT_READ_AGAIN if how == PERCENT_READ_AGAIN else DOUBT_OCR_DIGITS if reading else 0.0)
            cell_unit = number.unit or unit
            cell_category = category
            if cell_unit == "percent":
                value_unit, fact_unit = "percent", "percent"
                cell_category = category if category in ("ratio", "participants") else "ratio"
            elif count_table or category == "participants" or (
                category == "other" and re.match(r"antal", clean_label(label))
            ):
                value_unit, fact_unit = "count", "count"
            else:
                if cell_unit is None:
                    cell_unit = "kr"
                    confidence -= DOUBT_UNIT_ASSUMED
                value_unit, fact_unit = "SEK", cell_unit
            absolute = meaning.measure != "deviation" and is_flow(cell_category, section)
            signed, value = _cell_value(number, value_unit, cell_unit, absolute)
            alternative = None
            # a look-alike reading ("-70O5" as -7005) is a guess too: a second reading
            # that differs may stand against it where a sum says which one was printed
            if reread_number is not None and how in ("", LOOKALIKES) and (
                    reread_number.unit in (None, number.unit) and reread_number.value != number.value):
                alternative = _cell_value(reread_number, value_unit, cell_unit, absolute)
            if number.irregular:
                confidence -= DOUBT_IRREGULAR_DIGITS
            if meaning.year is None:
                confidence -= DOUBT_NO_YEAR
            if meaning.measure is None:
                confidence -= DOUBT_NO_MEASURE
            facts.append(Fact(
                document_id=document_id, federation_id=meta.federation_id,
                table_id=table.table_id, table_title=repair_text(table.title),
                page=row.page, section=repair_text(section), row_label=label,
                column_header=table.columns[column_index].header or table.header_label,
                category=cell_category, is_total=total, year=meaning.year, measure=meaning.measure,
                printed=printed, unit=fact_unit, value=value, value_unit=value_unit,
                confidence=round(max(confidence, 0.05), 2), source=source,
                row_index=row_index, column_index=column_index, signed_value=signed,
                suspect=suspect,
                reading=f"read as {reading!r}: {how}" if reading else "",
                reread=reread if alternative or how in (REREAD, REREAD_BLANK) else "", reread_values=alternative,
            ))
    return facts


def _agrees_with_print(reread: str, printed: str) -> bool:
    """Does a cell's second reading agree with the digits OCR saw in it the first time?
    With fewer than three seen there is nothing to disagree with; else all of them but
    one must stand among the second reading's digits, in their order ("H22255" read again
    as "1222,5", "RI7N335" as "1777335"). "6 452 LL" read again as "1562" is the row
    above, read where the box slipped, not this cell."""
    seen, again = re.sub(r"\D", "", printed), re.sub(r"\D", "", reread)
    return len(seen) < 3 or _common_digits(seen, again) >= len(seen) - 1


def _common_digits(a: str, b: str) -> int:
    """The length of the longest sequence of digits both `a` and `b` hold in order."""
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal = 0
        for j, y in enumerate(b, 1):
            diagonal, row[j] = row[j], diagonal + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def _with_printed_minus(number: ParsedNumber, text: str, printed: str) -> tuple[ParsedNumber, str]:
    """A cell read again (`number` from `text`) keeps the minus its first reading showed
    before letters that were no number ("-B", read again as "8", is −8): the second
    reading looks at the digits."""
    if number.value > 0 and printed.lstrip().startswith(tuple(MINUS_SIGNS)):
        return replace(number, value=-number.value), "-" + text
    return number, text


def document_facts(tables: list[Table], meta: DocumentMeta, document_id: str,
                   document_title: str, sources: dict[int, str] | None = None,
                   suspect_pages: frozenset[int] = frozenset(),
                   rereads: dict[tuple[str, int, int], str] | None = None) -> list[Fact]:
    """Facts of every table. `sources` says per page whether it was read as text or OCR;
    on `suspect_pages` (OCR, poor text layers) digits may be damaged. `rereads`: cells
    read again from the scan, by (table id, row index, column index)."""
    rereads = rereads or {}
    facts: list[Fact] = []
    previous = None
    for table in tables:
        carried = None
        if previous is not None and not table.caption and table.pages[0] == previous.pages[-1] + 1:
            carried = table_unit(previous)[0]  # nothing above it on its page: a continuation
        mine = {(row, column): text for (table_id, row, column), text in rereads.items()
                if table_id == table.table_id}
        facts.extend(table_facts(table, meta, document_id, document_title, sources, suspect_pages,
                                 carried, mine))
        previous = table
    return facts


# The sentence just above a list of member contributions that states their total
# ("Förbundets medlemsbidrag 2025 var totalt 7 864 000 kr och fördelat enligt:"): an
# amount with its unit, in the caption's last sentence, which ends with a colon.
STATED_AMOUNT = re.compile(
    r"(?<![\d,.])(?:\d{1,3}(?:[" + THOUSANDS_SPACES + r"]\d{3})+|\d+)(?:,\d+)?\s?(?:kronor|tkr|mkr|kr)\b")
STATED_SOURCE = "caption"  # a stated total's source: checked against, never a fact of the dataset


def stated_totals(tables: list[Table], facts: list[Fact]) -> list[Fact]:
    """Totals a sentence states above a list of member contributions, one per such
    table, as facts to check the list's sum against: after its rows, in its column. None
    where the sentence states none, more than one amount, or one smaller than a row."""
    by_table: dict[str, list[Fact]] = {}
    for fact in facts:
        by_table.setdefault(fact.table_id, []).append(fact)
    totals = []
    for table in tables:
        rows = by_table.get(table.table_id, [])
        if len(rows) < 2 or any(f.category != "contribution" or f.is_total for f in rows) \
                or len({(f.column_index, f.value_unit) for f in rows}) != 1 or rows[0].value_unit != "SEK":
            continue
        sentence = re.split(r"(?<=[.!?])\s+", table.caption.strip())[-1]
        if rows[0].suspect:  # read by OCR: "totalt 7 B64 000 kr"
            sentence = " ".join(_digits_restored(word) for word in sentence.split())
        amounts = STATED_AMOUNT.findall(sentence) if sentence.endswith(":") else []
        stated = parse_number(amounts[0]) if len(amounts) == 1 else None
        if stated is None or stated.irregular:
            continue
        value = to_sek(stated.value, stated.unit)
        if value <= max(f.value for f in rows):
            continue
        last = max(rows, key=lambda f: f.row_index)
        totals.append(replace(
            last, row_label=sentence.rstrip(":").strip(), section="", column_header="",
            category="income.member_contributions", is_total=True, printed=amounts[0], unit=stated.unit,
            value=value, signed_value=value, source=STATED_SOURCE, suspect=False, reading="",
            reread="", reread_values=None, row_index=last.row_index + 1))
    return totals


def _digits_restored(word: str) -> str:
    """A word of an OCR'd sentence that is a digit group with letter look-alikes in it
    ("B64"), as its digits; any other word as it is."""
    if not any(c.isdigit() for c in word) or word.isdigit():
        return word
    reading = ocr_digit_reading(word)
    return reading.printed if reading is not None else word
