"""Words → lines: group the words of a page into lines and lines into segments.

A segment is a run of words with only word spacing inside it; a gap wider than about one
em starts a new segment. That keeps "4 812,0" or "7 808 000" (digit groups separated by a
space, no-break space or thin space) together as one cell, while the wide gap between a
row label and its numbers, or between two number columns, separates cells. Running
headers and footers ("Sida 3 av 12", a title repeated on every page) are removed here so
that no later stage mistakes them for table rows.
"""
from __future__ import annotations

import re
from collections import Counter
from statistics import median

from models import Line, Segment, Word
from normalize.numbers import parse_number

# A gap wider than this many font sizes separates two cells.
SEGMENT_GAP_EMS = 0.9
# Digit groups of one number ("7 808 000") in a text layer stand closer: a wider gap
# after a digit is the next column's number.
DIGIT_GROUP_GAP_EMS = 0.6
# A gap this wide always separates cells, whatever the font size says.
SEGMENT_GAP_MIN = 7.0

_PAGE_NUMBER = re.compile(r"^(sida|page|s\.)?\s*\d{1,4}(\s*(av|/|of)\s*\d{1,4})?$", re.I)


def _same_line(word: Word, line_words: list[Word]) -> bool:
    ref = line_words[0]
    tolerance = 0.45 * min(word.height, ref.height)
    mid_w = (word.top + word.bottom) / 2
    mid_r = (ref.top + ref.bottom) / 2
    return abs(mid_w - mid_r) <= tolerance


_NEW_NUMBER = re.compile(r"[-−–(]?\d{4,}(?:[.,]\d+)?\)?%?")  # "8265", "-20114", "(97210)"


def _is_digit_group(text: str) -> bool:
    """A word that continues a number printed with spaces: "808", "000", "222,5"."""
    return bool(re.fullmatch(r"\d{3}([.,]\d+)?\*?%?|\d{3}\)?", text))


# What a scan leaves around a number: dust read as a dot, colon or quote before or after
# it ("586 000 kr:", ".352 400", "2 070 000."; not "57%." or "kr.", how a sentence
# ends), brackets for a cell's border ("[0]"), "!"
# for a stroke of a ruling line ("0!"), a dash of the rule before a minus ("—-20 114",
# "=-1 820000").
# Parentheses stay: they print a negative amount.
_SPECK_BEFORE = re.compile(r"^[.,:;'‘’`´\[|]+\s*(?=[-−–]?\d)|^[—=]+(?=[-−–]\d)")
_SPECK_AFTER = re.compile(r"(?<=\d)\s*[.,:;'‘’`´\]|!©®]+$|(?<=[%r])\s*[,:;'‘’`´\]|!©®]+$")
# Lone marks that are never a cell of their own in print: scan dust beside a table row.
_SPECK_TOKEN = re.compile(r"^[.,:;'‘’`´\[\]|!©®«»°~^]+$|^[a-zåäö]$")
_PLACEHOLDER = re.compile(r"^[-–—−x]$|^\.\.$|^…$")


# Below this OCR confidence a lone one-digit "cell" is dust (a "7" beside a row); a digit
# next to others ("1" of "1 222,5") is kept whatever its confidence.
LONE_DIGIT_MIN_CONFIDENCE = 45.0


def is_ocr_speck(word: Word) -> bool:
    """A lone OCR'd mark, single lower-case letter or doubtful single digit: dust, a rule
    remnant or a bullet, never one of a table's cells (a dash holding an empty cell's
    place is kept)."""
    if word.confidence >= 100 or _PLACEHOLDER.match(word.text):
        return False
    return bool(_SPECK_TOKEN.match(word.text)) or (
        len(word.text) == 1 and word.text.isdigit() and word.confidence < LONE_DIGIT_MIN_CONFIDENCE)


def ocr_cell_text(words: list[Word]) -> str:
    """The text of a run of words; for OCR'd words that read as a number once the scan
    dust around it is taken off, that number ("586 000 kr:" → "586 000 kr"). Digits are
    never changed here, and a typed text layer (confidence 100) is read as printed."""
    text = " ".join(w.text for w in words)
    if all(w.confidence >= 100 for w in words):
        return text
    return without_scan_dust(text)


def without_scan_dust(text: str) -> str:
    """An OCR'd cell as the number it reads once the dust around it is taken off; the
    text as it was when it does not read as a number even then."""
    if parse_number(text) is not None:
        return text
    core = text.split()
    if not core:
        return text
    # after the number, even a dash is dust: a minus stands before it ("2445 -")
    while len(core) > 1 and (_SPECK_TOKEN.match(core[-1]) or _PLACEHOLDER.match(core[-1])):
        core.pop()
    while len(core) > 1 and _SPECK_TOKEN.match(core[0]) and not _PLACEHOLDER.match(core[0]):
        core.pop(0)
    cleaned = _SPECK_AFTER.sub("", _SPECK_BEFORE.sub("", " ".join(core)))
    if cleaned.endswith(")") and "(" not in cleaned:  # half a bracket is a rule's stroke
        cleaned = _SPECK_AFTER.sub("", cleaned[:-1])
    return cleaned if parse_number(cleaned) is not None else text


# Dot leaders lead the eye from a label to its number ("Medlemsbidrag ....... 1 500",
# "verksamheten..... 6"): a gap between two cells drawn in ink. Three dots are an
# ellipsis or a placeholder, so a leader has at least four, or is a run of lone dots.
_DOT = "[.…·]"
_LEADER = re.compile(rf"^{_DOT}{{4,}}|{_DOT}{{4,}}$")
_DOTS = re.compile(rf"^{_DOT}+$")
LEADER_RUN = 3  # lone dots in a row (". . . .") that make a leader


def _cut_at_leaders(words: list[Word]) -> list[tuple[Word, bool]]:
    """A line's words (left to right) without their dot leaders, each with whether a
    leader stood just before it: a new cell starts there, however close it stands. A
    word with a leader glued to it keeps its letters, its box shortened in proportion."""
    dots = [bool(_DOTS.match(w.text)) for w in words]
    in_run = [False] * len(words)
    start = 0
    for i in range(len(words) + 1):
        if i == len(words) or not dots[i]:
            if i - start >= LEADER_RUN or (i - start == 1 and len(words[start].text) >= 4):
                in_run[start:i] = [True] * (i - start)
            start = i + 1
    out: list[tuple[Word, bool]] = []
    cut = False
    for word, leader in zip(words, in_run):
        if leader:
            cut = True
            continue
        text = _LEADER.sub("", word.text)
        if text != word.text and text:
            step = (word.x1 - word.x0) / len(word.text)
            before = word.text.index(text)
            after = len(word.text) - before - len(text)
            out.append((Word(text, word.x0 + step * before, word.x1 - step * after, word.top, word.bottom,
                             word.page, word.size, word.bold, word.confidence), cut or before > 0))
            cut = after > 0
            continue
        out.append((word, cut))
        cut = False
    return out


def _segments(words: list[Word]) -> tuple[Segment, ...]:
    words = sorted(words, key=lambda w: w.x0)
    cut_words = _cut_at_leaders(words) or [(w, False) for w in words]  # a line of dots stays one
    groups: list[list[Word]] = [[cut_words[0][0]]]
    for word, after_leader in cut_words[1:]:
        prev = groups[-1][-1]
        gap = word.x0 - prev.x1
        limit = max(SEGMENT_GAP_EMS * max(prev.size, word.size), SEGMENT_GAP_MIN)
        # Digit groups of one number sit a word space apart; anything wider is a new cell.
        # Not so where OCR set the words: its boxes hug the ink, so the space measures
        # wider (0.2–0.8 em on the fixtures' scans and faxes, against 1.7 em and more
        # between two columns), and "2 108" with 0.65 em in it lost its "2".
        ocr = min(prev.confidence, word.confidence) < 100
        if _is_digit_group(word.text) and re.search(r"\d\)?$", prev.text):
            if not ocr:
                limit = min(limit, DIGIT_GROUP_GAP_EMS * max(prev.size, word.size))
        elif _NEW_NUMBER.fullmatch(word.text) and re.search(r"\d\)?%?$", prev.text):
            # four digits in a row continue no number: more than a word space before
            # them is the next column, also where a tilted scan's tall boxes make the
            # font size, and so the gap a cell may hold, seem larger ("950  8265 184")
            limit = min(limit, DIGIT_GROUP_GAP_EMS * max(prev.size, word.size))
        if gap > limit or after_leader:
            groups.append([word])
        else:
            groups[-1].append(word)
    segments = [Segment(ocr_cell_text(g), g[0].x0, g[-1].x1, tuple(g)) for g in groups]
    # a lone speck standing apart is dropped, unless it is all the line has
    kept = [s for s in segments if not (len(s.words) == 1 and is_ocr_speck(s.words[0]))]
    return tuple(kept or segments)


def group_lines(words: list[Word]) -> list[Line]:
    """Group one page's words into lines (top to bottom), each split into segments."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        for line_words in reversed(lines[-3:]):
            if _same_line(word, line_words):
                line_words.append(word)
                break
        else:
            lines.append([word])
    result = []
    for line_words in lines:
        sizes = [w.size for w in line_words]
        result.append(Line(
            page=line_words[0].page,
            top=min(w.top for w in line_words),
            bottom=max(w.bottom for w in line_words),
            segments=_segments(line_words),
            size=median(sizes),
            bold=sum(w.bold for w in line_words) > len(line_words) / 2,
        ))
    result.sort(key=lambda l: l.top)
    return result


# Dust a scan leaves at either end of a footer ("\"Sida 8"): no part of what it says.
_FURNITURE_DUST = ".,:;'\"”“’‘`´|[]«»"


def _furniture_text(line: Line) -> str:
    return line.text.strip().strip(_FURNITURE_DUST).strip()


def _furniture_key(line: Line) -> str:
    """The text of a line with its digits blanked, to spot running headers and footers."""
    return re.sub(r"\d+", "#", _furniture_text(line).lower())


def strip_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop page furniture: page numbers and lines repeated in the top or bottom margin.

    A line counts as furniture when it sits in the top or bottom 10 % of the page and
    either is a page number ("Sida 3", "3 av 12", "3") or its text (digits blanked) recurs
    in that margin on at least half of the pages (and on at least two).
    """
    margin_keys: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        seen = {_furniture_key(l) for l in lines if l.top < 0.1 * height or l.bottom > 0.9 * height}
        margin_keys.update(seen)
    threshold = max(2, len(pages) / 2)
    cleaned = []
    for lines, height in zip(pages, heights):
        kept = []
        for line in lines:
            in_margin = line.top < 0.1 * height or line.bottom > 0.9 * height
            if in_margin and (
                _PAGE_NUMBER.match(_furniture_text(line))
                or (len(pages) >= 2 and margin_keys[_furniture_key(line)] >= threshold)
            ):
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned
