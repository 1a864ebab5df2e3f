"""Column headers → fiscal year and measure; table text → unit.

A value column says what it is in its header ("Utfall jan-dec 2025", "Årsbudget 2026",
"Avvikelse", "2025-12-31", a bare "2027"), or, when the header is silent, the table's
title or the document does ("Budget 2026, Plan 2027 och 2028"). The rules here are the
Swedish vocabulary of municipal accounting; they are module constants so that a new
word is added in one place.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from models import ColumnMeaning, Table
from normalize.categories import fold_letters, misread_keyword
from normalize.numbers import OCR_DIGIT_LOOKALIKES, bare_year

YEAR_IN_TEXT = re.compile(r"(?<![\d-])(19[89]\d|20\d\d)(?![\d])")
# A word of four characters, three of them digits: a year whose fourth digit an OCR read
# as a letter ("2O27", "Z026"). Missed, its column would take the year of its neighbours.
FOUR_CHARACTERS = re.compile(r"(?<![0-9A-Za-z|!])[0-9A-Za-z|!]{4}(?![0-9A-Za-z|!])")
# Measure words in column headers, tried in order (deviation before budget: "Avvikelse
# utfall - budget" is a deviation).
MEASURE_WORDS: tuple[tuple[str, str], ...] = (
    ("deviation", r"avvikelse|differens|\bdiff\b|avvik"),
    ("target", r"^mål\b|\bmål antal|målvärde|\bmål\s+\d"),
    ("forecast", r"prognos"),
    ("budget", r"budget"),
    ("plan", r"\bplan\b"),
    ("outcome", r"utfall|resultat|bokslut|\bår\b|helår|jan\s*-\s*dec|\d{4}-\d{2}-\d{2}|verkligt"),
)
# The measure words as headers print them, to respell a header an OCR misread to
# ("Budqet 2026", "Utfali"): unread, the column's figures would have no measure.
MEASURE_KEYWORDS = {fold_letters(w): w for w in (
    "avvikelse", "differens", "prognos", "budget", "årsbudget", "plan", "utfall", "resultat", "bokslut",
    "helår", "målvärde", "verkligt")}
_MEASURE_FOLDED = frozenset(MEASURE_KEYWORDS)
NOTE_HEADERS = re.compile(r"^(not|noter|note)\.?$", re.I)

# Units stated by a table, tried in order on caption, header and cells.
UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("mkr", r"\bmkr\b|\bmnkr\b|miljoner kronor|\bmsek\b"),
    ("tkr", r"\btkr\b|tusental kronor|tusen kronor|\bksek\b|belopp i tusental"),
    ("kr", r"\bkr\b\.?|kronor|\bsek\b"),
)
# A line above a table that states its unit: "(Belopp i tkr)", "(tkr)", "Belopp i tkr"; also
# as an OCR reads it, a bracket as "[" or "{", the lone "i" as "1", "l", "|" or "í": lost,
# the unit would be taken for kronor and every amount be a thousand times too small.
STATED_UNIT = re.compile(r"[(\[{](?:belopp\s+[i1l|í]\s+)?(tkr|mkr|kr)[)\]}]|belopp\s+[i1l|í]\s+(tkr|mkr|kr)\b")
COUNT_WORDS = re.compile(r"\bantal\b|deltagare|kvinnor|\bmän\b|individer|ärenden|personer", re.I)


def header_year(text: str) -> Optional[int]:
    """The fiscal year a header names: the last year of a period ("2025-01-01 2025-12-31")."""
    years = [int(y) for y in YEAR_IN_TEXT.findall(text)]
    return years[-1] if years else None


def misread_measure_respelled(header: str) -> str:
    """A header with each word an OCR misread from a measure word spelled as that word."""
    def nearest(match: re.Match) -> str:
        close = misread_keyword(match.group(0), _MEASURE_FOLDED)
        return MEASURE_KEYWORDS[close] if close else match.group(0)

    return re.sub(r"[^\W\d_]+", nearest, header)


def misread_years_restored(header: str) -> str:
    """A header with each year an OCR misread one digit of as a letter ("2O27") restored;
    any other header as it is."""
    def restored(match: re.Match) -> str:
        word = match.group(0)
        digits = word.translate(OCR_DIGIT_LOOKALIKES)
        return digits if sum(c.isdigit() for c in word) == 3 and YEAR_IN_TEXT.fullmatch(digits) else word

    return header if YEAR_IN_TEXT.search(header) else FOUR_CHARACTERS.sub(restored, header)


def header_measure(text: str) -> Optional[str]:
    lowered = text.lower()
    for measure, pattern in MEASURE_WORDS:
        if re.search(pattern, lowered):
            return measure
    return None


def _measure_for_bare_year(year: int, document_type: str, period_year: Optional[int],
                           context: str) -> str:
    """A column headed by a year alone: what a plan or a report means by it."""
    if document_type in ("arsredovisning", "delarsrapport"):
        return "outcome"
    if period_year is None or year == period_year:
        return "budget"
    if year < period_year:
        return "outcome"
    lowered = context.lower()
    if re.search(rf"prognos[^.]*\b{year}\b", lowered):
        return "forecast"
    return "plan"


def column_meanings(table: Table, document_type: str, period_year: Optional[int],
                    document_title: str = "") -> list[ColumnMeaning]:
    """Year and measure of every value column of a table."""
    context = " ".join([table.title, table.caption, document_title])
    meanings: list[ColumnMeaning] = []
    single = len(table.columns) == 1
    for column in table.columns:
        header = misread_years_restored(column.header)
        if NOTE_HEADERS.match(header.strip()):
            meanings.append(ColumnMeaning(None, None, is_note_ref=True))
            continue
        if not header and single:
            header = table.header_label  # "Årsbudget 2026" printed over the label column
        year = header_year(header)
        measure = header_measure(re.sub(r"\d{4}-\d{2}-\d{2}", " 2000-01-01 ", header)) if header else None
        if measure is None and header:
            measure = header_measure(misread_measure_respelled(header))
        if year is None and not header:
            year = header_year(table.caption) or header_year(table.title) or period_year
        if measure is None:
            if year is not None and (not header or bare_year(header) is not None):
                measure = _measure_for_bare_year(year, document_type, period_year, context)
            elif not header:
                measure = "outcome" if document_type in ("arsredovisning", "delarsrapport") else "budget"
            elif COUNT_WORDS.search(header):
                measure = "outcome" if document_type in ("arsredovisning", "delarsrapport") else "target"
        meanings.append(ColumnMeaning(year, measure))
    # A deviation compares the table's budget and outcome: one whose year neither has (a
    # scan's "Avvikelse jan-dec 2023" beside budget and outcome "jan-dec 2025") is about
    # the year they share.
    compared = {m.year for m in meanings if m.measure in ("budget", "outcome") and m.year is not None}
    if len(compared) == 1:
        meanings = [ColumnMeaning(*compared, m.measure, m.is_note_ref)
                    if m.measure == "deviation" and m.year not in compared | {None} else m for m in meanings]
    # A column without a year (e.g. "Avvikelse") is about the year its siblings share.
    years = Counter(m.year for m in meanings if m.year is not None)
    common = years.most_common(1)[0][0] if years else period_year
    return [
        ColumnMeaning(m.year if m.year is not None else common, m.measure, m.is_note_ref)
        for m in meanings
    ]


def table_unit(table: Table) -> tuple[Optional[str], bool]:
    """The money unit the table states (kr/tkr/mkr), and whether it was stated at all.

    Looks at the caption and title, the label-column header ("Belopp i tkr") and the
    column headers. Cells that carry their own unit ("1 952 000 kr") override it per cell.
    """
    texts = [table.header_label, " ".join(c.header for c in table.columns), table.title, table.caption]
    for text in texts:
        lowered = text.lower()
        for unit, pattern in UNIT_WORDS:
            if re.search(pattern, lowered):
                return unit, True
    # a heading further up that states a unit in brackets or as "Belopp i …"
    stated = STATED_UNIT.findall(table.context.lower())
    if stated:
        return next(u for u in stated[-1] if u), True
    return None, False


def is_count_table(table: Table) -> bool:
    headers = " ".join(c.header for c in table.columns) + " " + table.header_label
    return bool(COUNT_WORDS.search(headers))
