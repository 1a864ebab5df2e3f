"""Lines → tables and text blocks.

A table is found from its data rows: lines whose first cell is a label and whose other
cells are numbers standing apart from it. Works the same with and without ruling lines
because it reads positions, not strokes. Around the data rows it collects

- header lines above the first data row (years, "Utfall jan-dec 2025", "2025-12-31"),
  each header cell attached to the value column(s) it stands over;
- label-only lines between data rows: either the continuation of a wrapped row label
  (three lines of "Riktade insatser, verksamhetsutveckling, …" are one label) or a group
  row ("Kansli", "Individinriktade insatser") that becomes the section of the rows below;
- the caption: the text lines just above the table, where titles and units
  ("Belopp i tkr", "(tkr)") often stand;
- the title: the phrase just above the table (past a unit or a "Beslutad 2025-11-21"
  note), else the nearest heading above it; OCR'd pages have no bold and no steady
  line height, so there a heading is told by its number or by standing alone;
- continuation on the next page: a table cut by a page break goes on when the next page
  starts with rows in the same columns (a repeated header is dropped).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from models import Column, Line, Segment, Table, TableRow, TextBlock
from normalize.categories import fold_letters, is_total_label
from normalize.columns import YEAR_IN_TEXT
from normalize.numbers import FOOTNOTE_MARKS, OCR_DIGIT_LOOKALIKES, bare_year, ocr_digit_reading, parse_number
from normalize.text import fold, join_wrapped

MEASURE_WORD = re.compile(r"budget|utfall|avvikelse|differens|prognos|resultat|\bplan\b|\bmål\b", re.I)
ACCOUNT = re.compile(r"\d{3,6}")  # an account number in a column before the labels (kontoplan)
_LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDERS = {"-", "–", "—", "−", "..", "…", "x"}  # printed where a cell has no amount
# Words that end a label which goes on on the next line.
_OPEN_ENDINGS = re.compile(r"(,|-|–|&|/|\boch|\bsamt|\bför|\bav|\btill|\bmed|\bi|\bpå|\bfrån)$", re.I)


def _is_value(segment: Segment) -> bool:
    """An amount: a number as printed, or, read by OCR, one whose digits it misread as
    letters ("7 808 D00"). Without the latter, the only cell of a row could not be read,
    the row would be no row, and it would be taken for the table's header."""
    text = segment.text.strip()
    if bare_year(text) is not None:
        return False  # a bare year is a header, not an amount
    if parse_number(text) is not None:
        return True
    return (_is_ocr([segment]) and ocr_digit_reading(text) is not None
            and bare_year(text.translate(OCR_DIGIT_LOOKALIKES)) is None)  # "2O27" is a year


def _garbled_number(text: str) -> bool:
    """Digits and marks without a letter that do not read as a number: a cell OCR
    damaged, never part of a row label (a bare year is a header, and stays out)."""
    return (not _LETTER.search(text) and sum(c.isdigit() for c in text) >= 3
            and bare_year(text) is None and parse_number(text) is None)


def _is_year_line(line: Line) -> bool:
    years = [s for s in line.segments if bare_year(s.text) is not None]
    return len(years) >= 1 and len(years) >= len(line.segments) - 1


@dataclass
class _Row:
    line: Line
    label_segments: list[Segment]
    values: list[Segment]


def _split_row(line: Line) -> _Row | None:
    """A data row: leading label segments, then value segments (at least one)."""
    segments = list(line.segments)
    if len(segments) < 2:
        return None
    values = [s for s in segments[1:] if _is_value(s) or s.text.strip() in PLACEHOLDERS]
    if not any(_is_value(s) for s in values) and len(values) < 2:
        return None
    first_value = segments.index(values[0])
    # a cell OCR garbled beyond reading ("=104:286") ends the label as a number would
    first_value = next((i for i, s in enumerate(segments[1:first_value], 1) if _garbled_number(s.text)),
                       first_value)
    label = segments[:first_value]
    if len(label) > 1 and ACCOUNT.fullmatch(label[0].text.strip()) and _LETTER.search(label[1].text):
        label = label[1:]  # an account number before the label ("3010  Medlemsavgifter") names no amount
    if not label or _is_value(label[0]):
        return None
    if all(bare_year(word) is not None for seg in label for word in seg.text.split()):
        return None  # years over the columns ("2026 2027 20281", a rule read into the last)
    # an amount in tkr may read as a year ("Rehabilitering & arbete  1992  2051  2111"):
    # a year standing apart between the label and the row's amounts is one of them
    while len(label) > 1 and YEAR_IN_TEXT.fullmatch(label[-1].text.strip()):
        values.insert(0, label.pop())
    return _Row(line, _drop_specks(label), values)


def _drop_specks(label: list[Segment]) -> list[Segment]:
    """Keep the label's own words: a short scrap standing far right of the label, in the
    gap before the numbers, is a scan speck or rule remnant ("Eda kommun   eile   195 200")."""
    kept = [label[0]]
    for seg in label[1:]:
        far = seg.x0 - kept[-1].x1 > 3 * seg.words[0].size
        if far and len(seg.text) <= 5 and not seg.text.strip("*%").isdigit():
            continue
        kept.append(seg)
    return kept


class _Stream:
    """The document's lines in reading order, with each line's position found once."""

    def __init__(self, lines: list[Line], body_size: float, text_width: float):
        self.lines = lines
        self.body_size = body_size
        self.text_width = text_width
        self._position = {id(line): i for i, line in enumerate(lines)}

    def above(self, line: Line, count: int) -> list[Line]:
        """Up to `count` lines before `line`, the nearest first."""
        index = self._position[id(line)]
        return self.lines[max(0, index - count):index][::-1]

    def below(self, line: Line, count: int) -> list[Line]:
        """Up to `count` lines after `line`, the nearest first."""
        index = self._position[id(line)]
        return self.lines[index + 1:index + 1 + count]


@dataclass
class _Draft:
    rows: list[_Row] = field(default_factory=list)
    members: list[Line] = field(default_factory=list)  # data rows and label lines in order
    pages: list[int] = field(default_factory=list)
    header_texts: set[str] = field(default_factory=set)  # lines just above its first row
    anchors: list[tuple[float, float]] = field(default_factory=list)  # its header's year cells


def _merge_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _column_ranges(rows: list[_Row]) -> list[tuple[float, float]]:
    """Cluster value segments into columns by overlapping x-ranges.

    A scan's OCR sometimes reads two neighbouring cells as one wide word ("50/50" over
    two columns); such a span would fuse the columns. So the columns come from the
    segments of ordinary width, and a wide one counts only where it stands alone.
    Numbers make the columns; where the rows hold none, their dashes do.
    """
    # a table whose rows so far hold only dashes ("Kurser  –  –") has its columns there
    spans = ([(s.x0, s.x1) for r in rows for s in r.values if _is_value(s)]
             or [(s.x0, s.x1) for r in rows for s in r.values])
    if len(spans) < 3:
        return _merge_spans(spans)
    widths = sorted(b - a for a, b in spans)
    wide = 2.0 * widths[len(widths) // 2]
    ranges = _merge_spans([sp for sp in spans if sp[1] - sp[0] <= wide])
    lone = [sp for sp in spans if sp[1] - sp[0] > wide
            and sum(sp[0] <= b and sp[1] >= a for a, b in ranges) < 2]
    return _merge_spans(ranges + lone)


def _column_of(segment: Segment, ranges: list[tuple[float, float]]) -> int:
    best, best_overlap = 0, -1e9
    for i, (a, b) in enumerate(ranges):
        overlap = min(b, segment.x1) - max(a, segment.x0)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _header_anchors(above: list[Line], first: _Row) -> list[tuple[float, float]]:
    """The x-ranges of the year cells ("2027", "Budget 2026") in the lines just above a
    table's first row. A column whose first rows OCR could not read is still a column of
    the table: its header stands over it."""
    # right of the label, not of the first value: that cell may be the one OCR garbled
    left = max(s.x1 for s in first.label_segments)
    return [(s.x0, s.x1) for line in above for s in line.segments
            if s.x0 >= left and len(s.text) <= 24 and YEAR_IN_TEXT.search(s.text)]


def _draft_ranges(draft: _Draft) -> list[tuple[float, float]]:
    """Where the draft's values may stand: its columns so far and its header's years."""
    return _merge_spans(_column_ranges(draft.rows) + draft.anchors)


def _compatible(ranges: list[tuple[float, float]], row: _Row, tolerance: float = 12.0) -> bool:
    """True when every value of the row lines up with a column of the table so far."""
    for s in row.values:
        if _is_value(s) and not any(s.x1 >= a - tolerance and s.x0 <= b + tolerance for a, b in ranges):
            return False
    return True


def _without_stray_scraps(row: _Row, ranges: list[tuple[float, float]]) -> _Row | None:
    """The row without OCR'd scraps of one or two digits standing in the gap between the
    label and the first column of the table ("trädeskostnader   5   -10"): dust read as a
    digit, which would otherwise end the table there. None when nothing was dropped or
    the row still does not fit the columns."""
    first = ranges[0][0] if ranges else 0.0
    kept = [s for s in row.values if not (
        s.x1 < first - 12.0 and len(s.text.strip()) <= 2 and all(w.confidence < 100 for w in s.words))]
    if len(kept) == len(row.values) or not any(_is_value(s) for s in kept):
        return None
    trimmed = _Row(row.line, row.label_segments, kept)
    return trimmed if _compatible(ranges, trimmed) else None


def _is_paragraph(line: Line, text_width: float, label_right: float) -> bool:
    """A line of running text: one wide segment reaching far past the label column."""
    return len(line.segments) == 1 and (line.x1 - line.x0) > 0.75 * text_width and line.x1 > label_right + 40


def _bare(text: str) -> str:
    """A label-only line without the dash, bullet or speck a scan put before it
    ("- Intäkter", ".Strukturinriktade insatser", "“Kansli")."""
    return text.strip().lstrip("-–—•·*»«.,:;'\"“”‘’|¢ ").strip()


def _header_key(line: Line) -> str:
    """A header line as compared with its repetition on the next page: folded, without
    the marks standing alone that a scan reads into one of them ("Årsbudget - 2026")."""
    return " ".join(w for w in fold(line.text).split() if re.search(r"\w", w))


def _is_header_like(line: Line, label_right: float) -> bool:
    """Column headers: text over the value columns naming a year or a measure."""
    over = " ".join(s.text for s in line.segments if s.x1 > label_right - 2)
    return bool(over) and bool(re.search(r"(19|20)\d\d|budget|utfall|avvikelse|prognos|plan\b", over, re.I))


def _continues(draft: _Draft, pending: list[Line], row: _Row, text_width: float,
               body_size: float) -> bool:
    """Does this data row belong to the table being read, after the lines in between?

    No when the lines between hold running text, when its numbers stand in other
    columns, when a new header starts another table on the same page, or when a wide
    vertical gap separates it. A header repeated at the top of the next page continues.
    """
    ranges = _column_ranges(draft.rows)
    label_right = ranges[0][0]
    if len(pending) > 4 or not _compatible(_draft_ranges(draft), row):
        return False
    last = draft.members[-1]
    for line in pending:
        if _is_paragraph(line, text_width, label_right):
            return False
        if line.page != last.page and _is_heading_line(line, body_size) \
                and not _is_group_row(line.text.strip()):
            return False  # a heading over the rows on the next page: another table
        if _is_header_like(line, label_right) and (
                line.page == last.page or _header_key(line) not in draft.header_texts):
            return False  # a new header: another table (a repeated one continues it)
    following = pending[0] if pending else row.line
    if following.page == last.page:
        rows_on_page = [r.line for r in draft.rows if r.line.page == last.page]
        gaps = [b.top - a.bottom for a, b in zip(rows_on_page, rows_on_page[1:])]
        pitch = sorted(gaps)[len(gaps) // 2] if gaps else 0.6 * last.size
        if following.top - last.bottom > max(2.2 * pitch, pitch + 1.2 * last.size):
            return False
    return True


def _footnote_to(row: _Row, draft: _Draft) -> bool:
    """Is this "row" the footnote of one of the table's rows: a line that starts with a
    footnote mark and repeats the first words of a row label that ends with one
    ("Prognos Eget kapital*" … "*Prognos Eget kapital ingång 2026 ca 2 800 000 kr = 57%",
    whose "= 57%" a scan may read as a cell "5796")? OCR reads the star as a quote."""
    text = row.line.text.strip()
    marks = FOOTNOTE_MARKS + "+"  # a star OCR read as a plus, as parse_number knows it
    if not text or text[0] not in marks:
        return False
    start = fold(text.lstrip(marks + " ")).split()[:2]
    for earlier in draft.rows:
        label = " ".join(s.text for s in earlier.label_segments).strip()
        if label and label[-1] in FOOTNOTE_MARKS and fold(label.rstrip(FOOTNOTE_MARKS)).split()[:2] == start:
            return True
    return False


def find_blocks(pages: list[list[Line]], widths: list[float]) -> tuple[list[Table], list[TextBlock]]:
    """Find the tables and text lines of a document, in reading order."""
    stream: list[Line] = [line for lines in pages for line in lines]
    text_width = max((l.x1 - l.x0) for l in stream) if stream else 500.0
    row_of = {id(l): _split_row(l) for l in stream}
    body_size = _body_size(stream)

    drafts: list[_Draft] = []
    current: _Draft | None = None
    pending: list[Line] = []  # lines since the last data row that are not data rows
    for line in stream:
        row = row_of[id(line)]
        if row is not None and current and not _compatible(_draft_ranges(current), row):
            row = _without_stray_scraps(row, _draft_ranges(current)) or row
            row_of[id(line)] = row
        if row is not None and current and _footnote_to(row, current):
            row = row_of[id(line)] = None  # text below the table, not one of its rows
        if row is not None:
            if current and _continues(current, pending, row, text_width, body_size):
                current.members.extend(pending)
                current.members.append(line)
                current.rows.append(row)
            else:
                above = [l for l in pending[-6:] if l.page == line.page]
                current = _Draft(rows=[row], members=[line], header_texts={_header_key(l) for l in above},
                                 anchors=_header_anchors(above, row))
                drafts.append(current)
            if line.page not in current.pages:
                current.pages.append(line.page)
            pending = []
        else:
            pending.append(line)
            if current and (len(pending) > 4 or _is_paragraph(line, text_width, 0)):
                current = None  # the table ended; keep the lines, the next one may head a table

    used = {id(l) for d in drafts for l in d.members}
    tables = []
    for n, draft in enumerate(drafts, start=1):
        table = _build_table(draft, _Stream(stream, body_size, text_width), used, f"t{n:02d}")
        if table is not None:
            tables.append(table)
    used |= {id(l) for t in tables for l in getattr(t, "_header_lines", [])}
    texts = [
        TextBlock(text=l.text, page=l.page, top=l.top,
                  is_heading=len(l.text) < 80 and not l.text.rstrip().endswith("."))
        for l in stream if id(l) not in used
    ]
    return tables, texts


def _header_lines(draft: _Draft, stream: _Stream, used: set[int],
                  ranges: list[tuple[float, float]]) -> list[Line]:
    """Lines above the first data row that label the value columns."""
    first = draft.members[0]
    label_right = ranges[0][0]
    header: list[Line] = []
    for line in stream.above(first, 6):
        if id(line) in used or line.page != first.page:
            break
        if not header and line.x1 < label_right:  # in the label column only
            if re.search(r"budget|utfall|belopp|prognos|bokslut|\bplan\b", line.text, re.I) \
                    and not re.search(r"\d{4}-\d\d-\d\d", line.text) and len(line.text) < 60 \
                    and first.top - line.bottom < 2.5 * first.size:
                header.insert(0, line)  # "Årsbudget 2026" printed over the label column only
                break
            text = _bare(_label_text(list(line.segments)))  # "-  Intäkter": a speck read apart
            if text.endswith((".", ":", ";")) or not text[:1].isupper() or len(text.split()) > 6:
                break  # running text, not a group row
            # a group row ("Intäkter", "Kansli") between the header and the first data row
            draft.members.insert(0, line)
            continue
        over_values = [s for s in line.segments if s.x1 > label_right - 2]
        if not over_values or _is_paragraph(line, 1e9, label_right):
            break
        if len(line.segments) == 1 and line.segments[0].x0 < label_right - 40 and not _is_year_line(line):
            break  # a wide caption line running from the label column: not a header
        header.insert(0, line)
    return header


def _caption_lines(first: Line, stream: _Stream, used: set[int]) -> list[Line]:
    caption: list[Line] = []
    for line in stream.above(first, 3):
        if id(line) in used or line.page != first.page or first.top - line.bottom > 80:
            break
        caption.insert(0, line)
        if len(caption) >= 3:
            break
    return caption


# Group rows that head a block of a budget or balance sheet. A label-only line reading
# exactly one of these is a section, even where it could be a wrapped label's last line.
# Compared with å/ä/ö folded: a scan's "Samverkansinsätser" is the group row too.
GROUP_ROWS = re.compile(fold_letters(
    r"^(intäkter|kostnader|kansli|administration|insatser|individ ?insatser|"
    r"individ\w* insatser|struktur\w* insatser|strukturinsatser|samverkansinsatser|övrigt|"
    r"tillgångar|anläggningstillgångar?|omsättningstillgångar|eget kapital och skulder|"
    r"eget kapital|skulder|avsättningar|kortfristiga skulder|långfristiga skulder)$"), re.I)


def _is_group_row(text: str) -> bool:
    return bool(GROUP_ROWS.match(fold_letters(text)))


def _continues_label(prev_row: TableRow, prev_line: Line | None, line: Line, label_limit: float) -> bool:
    """Is this label-only line the next line of the row label above (a wrapped label)?

    Yes when the label above breaks off mid-phrase ("Summa eget kapital och"), even
    onto a group's name; over a page break only then. Otherwise no when it names a known
    group row (even with a speck glued before it); yes when it starts in lower case or
    with a sign ("%**", "(IT, …)"); no when it is bold under a plain row or follows a
    total; otherwise yes when its first word would not have fitted on the line above
    (the way text wraps in a cell).
    """
    text = _OCR_LABEL_DUST.sub("", line.text.strip()) if _is_ocr(line.segments) else line.text.strip()
    open_label = bool(_OPEN_ENDINGS.search(prev_row.label)) or prev_row.label.count("(") > prev_row.label.count(")")
    if prev_line is not None and line.page != prev_line.page:
        # a row is rarely split by a page break: only a label broken off mid-phrase goes on
        return open_label
    if open_label:
        return True  # "Summa eget kapital och" goes on, even with "SKULDER", a group's name
    bare = _bare(text)
    if _is_group_row(bare) and bare[:1].isupper():
        return False  # also "-Insatser": a speck glued to a group row is no sign that it goes on
    first = text.lstrip("\"'")[:1]
    if first and not first.isalpha():
        return True
    if _starts_lower(text):
        return True
    if prev_line is None or (line.bold and not prev_line.bold):
        return False
    if is_total_label(prev_row.label, _is_ocr(prev_line.segments)):
        return False
    label_segments = [s for s in prev_line.segments if s.x1 <= label_limit + 1]
    if not label_segments:
        return False
    first_word = line.segments[0].words[0]
    space = 0.3 * first_word.size
    return label_segments[-1].x1 + space + (first_word.x1 - first_word.x0) > label_limit + 1


# What a scan leaves before or after a label: a speck read as a dot, bracket or quote
# ("[Resurslotsen", ".Insatser", "Psykeveckan V.45 .").
_OCR_LABEL_DUST = re.compile(r"^[.,:;|\[\]\"'“”‘’«»]+\s*|\s+[.,:;|\[\]\"'“”‘’«»]+$")


def _is_ocr(segments) -> bool:
    return any(w.confidence < 100 for s in segments for w in s.words)


def _label_text(segments: list[Segment]) -> str:
    """A row label as printed; for OCR'd words without the scan dust around it."""
    text = " ".join(s.text for s in segments).strip()
    return _OCR_LABEL_DUST.sub("", text).strip() if _is_ocr(segments) else text


def _starts_lower(text: str) -> bool:
    t = text.lstrip("(\"'–- ")
    return bool(t) and t[0].islower()


def _split_at_anchors(ranges: list[tuple[float, float]], anchors: list[tuple[float, float]]
                      ) -> list[tuple[float, float]]:
    """Columns parted where the header says two columns stand: a cell OCR read too wide
    ("2907 210" for "-97 210") can bridge the gap between two columns, but two years of
    the header side by side over one range are two columns."""
    out = []
    for a, b in ranges:
        inside = sorted({((x0 + x1) / 2, x0, x1) for x0, x1 in anchors if a <= (x0 + x1) / 2 <= b})
        start = a
        for (_, _, left_end), (_, right_start, _) in zip(inside, inside[1:]):
            if right_start > left_end:  # two header cells apart, not one header in pieces
                cut = (left_end + right_start) / 2
                out.append((start, cut - 0.5))
                start = cut + 0.5
        out.append((start, b))
    return out


def _build_table(draft: _Draft, stream: _Stream, used: set[int], table_id: str) -> Table | None:
    ranges = _split_at_anchors(_column_ranges(draft.rows), draft.anchors)
    header = _header_lines(draft, stream, used, ranges)
    used.update(id(l) for l in header)
    first_line = header[0] if header else draft.members[0]
    caption = _caption_lines(first_line, stream, used)

    columns = [Column(index=i, x0=a, x1=b) for i, (a, b) in enumerate(ranges)]
    label_right = ranges[0][0]
    header_label_parts: list[str] = []
    header_cells: dict[int, list[str]] = {i: [] for i in range(len(columns))}
    value_segments = [[seg for seg in line.segments if seg.x1 > label_right - 2] for line in header]
    for n, line in enumerate(header):
        for seg in line.segments:
            if seg.x1 <= label_right - 2:
                header_label_parts.append(seg.text)
                continue
            if len(value_segments[n]) == 1 and len(columns) > 1 and any(
                    len(below) >= 2 for below in value_segments[n + 1:]) and len(
                    MEASURE_WORD.findall(seg.text)) <= 1:
                # one header over a row of column headers: "Budget 2025-2027" over years
                for c in columns:
                    header_cells[c.index].append(seg.text)
                continue
            hits = [c.index for c in columns if seg.x0 <= c.x1 + 2 and seg.x1 >= c.x0 - 2]
            if len(hits) <= 1:
                best = max(columns, key=lambda c: (min(c.x1, seg.x1) - max(c.x0, seg.x0),
                                                   -abs((c.x0 + c.x1) / 2 - seg.center)))
                header_cells[best.index].append(seg.text)
                continue
            pieces = re.findall(r"\S.*?(?:19[89]\d|20\d\d)(?:-\d\d-\d\d)?(?!\d)", seg.text)
            if len(pieces) == len(hits):
                # headers run together ("Årsbudget 2025 Resultat 2024"): one per column
                for i, piece in zip(sorted(hits), pieces):
                    header_cells[i].append(piece.strip())
                continue
            # Headers set too close to part by gap ("Budget Utfall 2025 Differens"): each
            # word goes to the column it stands over.
            for word in seg.words:
                best = max(columns, key=lambda c: (min(c.x1, word.x1) - max(c.x0, word.x0),
                                                   -abs((c.x0 + c.x1) / 2 - (word.x0 + word.x1) / 2)))
                header_cells[best.index].append(word.text)
            continue
    for c in columns:
        # specks on a scanned header ("2028 ; :") are no part of it
        parts = [p for p in header_cells[c.index] if re.search(r"\w", p)]
        c.header = re.sub(r"\s+[^\w\s%()*-]+(?=\s|$)", "", " ".join(parts)).strip()

    rows: list[TableRow] = []
    row_lines = {id(r.line): r for r in draft.rows}
    label_limit = max((seg.x1 for l in draft.members for seg in l.segments if seg.x1 <= label_right - 2),
                      default=label_right)
    prefix: list[str] = []
    prev_line: Line | None = None  # the last line of the previous row's label
    for position, line in enumerate(draft.members):
        row = row_lines.get(id(line))
        if row is None and any(seg.x1 > label_right - 2 for seg in line.segments):
            # a label's next line beside the next line of a note cell ("Åmål   besök"):
            # the label goes on, the note holds no number; anything else is a header
            # repeated where the table goes on over a page break
            label_line = replace(line, segments=tuple(s for s in line.segments if s.x1 <= label_right - 2))
            if not label_line.segments or _is_header_like(line, label_right) \
                    or _header_key(line) in draft.header_texts \
                    or not _wraps_onto(rows, prefix, prev_line, label_line, label_limit):
                continue
            rows[-1].label = join_wrapped(rows[-1].label, _label_text(list(label_line.segments)))
            prev_line = label_line
            continue
        if row is None:
            text = _label_text(list(line.segments))
            nxt = draft.members[position + 1] if position + 1 < len(draft.members) else None
            next_lower = nxt is not None and id(nxt) in row_lines and _starts_lower(
                row_lines[id(nxt)].label_segments[0].text)
            if next_lower and _OPEN_ENDINGS.search(text):
                prefix.append(text)  # "Kanslikostnader, hyra," over "dataskyddsombud  -115"
            elif _wraps_onto(rows, prefix, prev_line, line, label_limit):
                rows[-1].label = join_wrapped(rows[-1].label, text)
                prev_line = line
            elif next_lower:
                prefix.append(text)  # the row's label starts here, its numbers come below
            else:
                rows.append(TableRow(label=_bare(text), cells={}, page=line.page, top=line.top, is_section=True))
            continue
        prev_line = line
        label_segments = _label_column_part(row.label_segments, ranges)
        label = _label_text(label_segments)
        if prefix:
            label = join_wrapped(" ".join(prefix), label)
            prefix = []
        cells, boxes, unread = {}, {}, {}
        for seg in row.values:
            readable = parse_number(seg.text) is not None  # an amount in tkr may read as a year ("1992")
            if readable or _is_value(seg):  # dashes hold a place, not a number
                column = _column_of(seg, ranges)
                misread = _doubtful_lone_digit(seg) or not readable  # "7 808 D00": read it again
                (unread if misread else cells)[column] = seg.text.strip()
                boxes[column] = _box(seg, ranges[column])
        for seg in _unread_segments(line, label_segments + row.values, label_right):
            column = _column_of(seg, ranges)
            if column not in cells:
                unread[column] = seg.text.strip()
                boxes[column] = _box(seg, ranges[column])
        rows.append(TableRow(label=label, cells=cells, page=line.page, top=line.top,
                             boxes=boxes, unread=unread))

    if rows and not rows[-1].is_section and prev_line is not None:
        for line in _last_label_tail(rows[-1], prev_line, stream, used, label_right, label_limit):
            used.add(id(line))

    header_label = " ".join(header_label_parts).strip()
    # a header cell over the labels that reads as a title ("Jämförelse faktiskt utfall
    # mot budget 2025 (tkr)") names the table better than a heading further up
    descriptive = len(header_label.split()) >= 4 and not re.search(r"belopp|\bnot\b", header_label, re.I)
    title = header_label if descriptive else _title(first_line, stream, used, caption)
    table = Table(
        table_id=table_id, title=title, caption=" ".join(l.text for l in caption),
        columns=columns, rows=rows, pages=sorted(set(draft.pages) | {l.page for l in header}),
        header_label=header_label, context=_context(first_line, stream, used),
    )
    table._header_lines = header  # type: ignore[attr-defined]
    return table


def _wraps_onto(rows: list[TableRow], prefix: list[str], prev_line: Line | None, line: Line,
                label_limit: float) -> bool:
    """Does this label-only line go on the label of the table's last row? Not when that
    row is a group row or a label's start is waiting for its row (`prefix`)."""
    return bool(rows) and not rows[-1].is_section and not prefix \
        and _continues_label(rows[-1], prev_line, line, label_limit)


WRAP_GAP = 0.6  # of a line's height: the most white space between two lines of one cell


def _last_label_tail(last_row: TableRow, last_line: Line, stream: _Stream, used: set[int],
                     label_right: float, label_limit: float) -> list[Line]:
    """The lines after a table's last row that end its label: where the numbers stand on
    the first line of a wrapped label ("Summa eget kapital och  3 923 093" over
    "skulder"), the table's rows end before the label does. Only lines set as tightly as
    the lines of one cell, in the label column, that go on the label (`_continues_label`);
    the row's label is joined with them here, and they are returned."""
    tail: list[Line] = []
    prev = last_line
    for line in stream.below(last_line, 3):
        if id(line) in used or line.page != prev.page or line.top - prev.bottom > WRAP_GAP * prev.size \
                or any(seg.x1 > label_right - 2 for seg in line.segments) \
                or not _continues_label(last_row, prev, line, label_limit):
            break
        last_row.label = join_wrapped(last_row.label, _label_text(list(line.segments)))
        tail.append(line)
        prev = line
    return tail


def _label_column_part(label_segments: list[Segment], ranges: list[tuple[float, float]]) -> list[Segment]:
    """The segments before a row's first number that stand in the label column: a note
    in a value column ("(Antal besök 1786)" in the first column, where the other rows
    have a count) is a cell without a number, no part of the label; so is a cell OCR
    garbled into letters ("LL 682"). A segment apart from the label stands in a value
    column when its right end lies in one (a right-aligned cell, however far left a long
    note reaches) or most of its width lies over one."""
    for i, seg in enumerate(label_segments[1:], 1):
        width = max(seg.x1 - seg.x0, 1e-6)
        if any(a <= seg.x1 <= b + 2.0 or min(b, seg.x1) - max(a, seg.x0) > 0.5 * width for a, b in ranges):
            return label_segments[:i]
    return label_segments


# Tesseract's confidence under which a lone digit in a value column is as likely a nil
# dash or a speck it misread ("–" as "5", at 45–49) as a digit: it is read again (under
# `lines.LONE_DIGIT_MIN_CONFIDENCE`, 45, a lone digit standing apart is dropped as dust).
DOUBTFUL_DIGIT_CONFIDENCE = 60.0


def _doubtful_lone_digit(segment: Segment) -> bool:
    text = segment.text.strip()
    return len(text) == 1 and text.isdigit() and segment.words[0].confidence < DOUBTFUL_DIGIT_CONFIDENCE


def _unread_segments(line: Line, known_segments: list[Segment], label_right: float) -> list[Segment]:
    """Segments of a data row over the value columns that read as no number and hold no
    dash: an OCR misreading of a cell ("LL 682", "(2548-2", "Can"), worth reading again.
    `known_segments` are the row's label and numbers."""
    known = {id(s) for s in known_segments}
    return [s for s in line.segments if id(s) not in known and s.x1 > label_right - 2
            and any(w.confidence < 100 for w in s.words)]


def _box(segment: Segment, column: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where a cell was printed: its words; widened to its column where they are a
    sliver of it (OCR gives a misread cell's word a box of a few points), otherwise not,
    since the column's span takes in dust and neighbours beside the number."""
    top = min(w.top for w in segment.words)
    bottom = max(w.bottom for w in segment.words)
    if segment.x1 - segment.x0 < 0.6 * (column[1] - column[0]):
        return (min(segment.x0, column[0]), top, max(segment.x1, column[1]), bottom)
    return (segment.x0, top, segment.x1, bottom)


def cell_box(table: Table, row_index: int, column: int) -> tuple[float, float, float, float] | None:
    """Where a cell of a data row is or would be printed: its own box, or for a blank
    cell its column's width at the height of the row's other cells."""
    row = table.rows[row_index]
    if column in row.boxes:
        return row.boxes[column]
    if row.is_section or not row.boxes:
        return None
    top = min(b[1] for b in row.boxes.values())
    bottom = max(b[3] for b in row.boxes.values())
    return (table.columns[column].x0, top, table.columns[column].x1, bottom)


INK_CELL_SHARE = 0.25  # of the square of a cell's height that ink must cover: a digit, not a speck


def holds_ink(box: tuple[float, float, float, float] | None,
              ink: list[tuple[float, float, float, float]]) -> bool:
    """Does a cell's box hold printed ink (boxes of it, as `PageReading.unread_ink`
    gives them)? A digit covers a good share of a cell's height squared; dust does not."""
    if box is None:
        return False
    x0, top, x1, bottom = box
    covered = sum(max(0.0, min(x1, b[2]) - max(x0, b[0])) * max(0.0, min(bottom, b[3]) - max(top, b[1]))
                  for b in ink)
    return covered >= INK_CELL_SHARE * (bottom - top) ** 2


def _body_size(stream: list[Line]) -> float:
    return sorted(l.size for l in stream)[len(stream) // 2] if stream else 10.0


# A numbered section heading: "6. Ekonomisk information 2026-2028", "1.8 Budget 2025-2027",
# "Not 2. Fordringar" (never a year: "2026 2027 2028" heads columns).
SECTION_HEADING = re.compile(r"(not\s+)?\d{1,2}(\.\d{1,2})*\.?\s+[^\W\d_]", re.I)
# Lines printed between a table and its title that never are the title: the unit note and
# the note of when or by whom the figures were decided ("Beslutad 2025-11-21").
NOT_A_TITLE = re.compile(
    r"\(?\s*(alla\s+)?belopp.*|\(?\s*(beslutad|beslutat|fastställd|antagen|reviderad|upprättad|"
    r"datum)\b.*(19|20)\d\d.*", re.I)
HEADING_MAX_WORDS = 8  # a heading is a phrase; a longer line on its own is a list item


def _is_heading_line(line: Line, body_size: float, before: Line | None = None) -> bool:
    """A heading: one short line, not a sentence's end or a note, that is bold or larger
    than the body, or numbered as a section. On an OCR'd page there is no bold and a
    line's height swings with its letters (ascenders, descenders, a speck), so size says
    nothing there; given the line `before` it, an OCR'd line of a few words that ends in
    no punctuation and is no "Field: value" is a heading too when it follows no running
    text (a finished sentence, or another short line: a title page's stack of lines)."""
    text = line.text.strip()
    if not text or len(line.segments) != 1 or len(text) >= 90 or text.endswith((".", ",")) \
            or text[0].islower() or NOT_A_TITLE.fullmatch(text):
        return False
    if SECTION_HEADING.match(text) and len(text.split()) <= HEADING_MAX_WORDS + 2:
        return True
    if not _is_ocr(line.segments):
        return line.bold or line.size > body_size + 0.5
    return before is not None and len(text.split()) <= HEADING_MAX_WORDS and ":" not in text \
        and not text.endswith(";") \
        and (before.text.rstrip().endswith((".", ":", "!", "?")) or len(before.text.split()) <= HEADING_MAX_WORDS)


def _is_caption_title(line: Line, text_width: float) -> bool:
    """A caption line that names its table: a short phrase starting in upper case, not
    running text. A final full stop is allowed on a phrase of a few words (a speck of a
    scan reads as one: "Budget - förslag 2026."), not on a sentence."""
    text = line.text.strip()
    words = text.split()
    return len(line.segments) == 1 and 0 < len(words) <= HEADING_MAX_WORDS + 2 and len(text) < 90 \
        and (text[0].isupper() or bool(SECTION_HEADING.match(text))) \
        and not text.endswith((",", ":", ";")) and not (text.endswith(".") and len(words) > 4) \
        and (line.x1 - line.x0) < 0.75 * text_width


def _context(first: Line, stream: _Stream, used: set[int], lines: int = 12) -> str:
    """The text above a table back to the previous table (at most a dozen lines, across a
    page break): where a heading states what the caption does not ("… (tkr)")."""
    above = []
    for line in stream.above(first, lines):
        if id(line) in used:
            break
        above.insert(0, line.text)
    return " ".join(above)


TITLE_SEARCH_LINES = 60  # how far above a table its section's heading is looked for


def _title(first: Line, stream: _Stream, used: set[int], caption: list[Line]) -> str:
    """The table's title: the phrase just above it (past a unit or decision note), else
    the nearest heading above it (not past another table), else the caption line
    nearest to it that is no such note."""
    for line in reversed(caption):
        if NOT_A_TITLE.fullmatch(line.text.strip()):
            continue
        if _is_caption_title(line, stream.text_width):
            return line.text.strip().rstrip(".").rstrip()
        break  # running text: the title is the heading above it
    above = stream.above(first, TITLE_SEARCH_LINES + 1)
    for line, before in zip(above, above[1:] + [None]):
        if id(line) in used:
            break
        if _is_heading_line(line, stream.body_size, before):
            return line.text.strip()
    notes = [line for line in caption if not NOT_A_TITLE.fullmatch(line.text.strip())]
    return notes[-1].text.strip() if notes else ""
