"""Swedish numbers as printed in Finsam documents, and their normalization.

One function, `parse_number`, reads every form the archive uses: thousands separated by
spaces, no-break or thin spaces (`7 808 000`), decimal comma (`1 222,5`), leading minus in
all its typographic forms (`-890 000`, `− 104 286`, `– 50`), accounting parentheses
(`(1 234)`), footnote stars (`*7 027 200`, `104 286*`), trailing units (`kr`, `tkr`, `mkr`,
`miljoner kronor`, `%`). It refuses what is not a number (dates, ranges, words), so a caller
can ask "is this cell a number?" with the same function.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# Characters that separate thousands in print: space, no-break space, thin space,
# narrow no-break space, figure space, punctuation space.
THOUSANDS_SPACES = " \u00a0\u2009\u202f\u2007\u2008"
# Characters that print a minus: hyphen-minus, unicode minus, en dash, figure dash, hyphen.
MINUS_SIGNS = "-\u2212\u2013\u2012\u2010"

# A fiscal year standing alone in a cell; a scan's dust around it ("2027,", "”2026",
# "2028.|") does not make it an amount.
BARE_YEAR = re.compile(r"^(19[89]\d|20\d\d)$")
YEAR_DUST = ".,:;'\"”“’‘`´*|"


def bare_year(text: str) -> Optional[int]:
    """The year a cell holds when it holds a year and nothing else (a header cell)."""
    core = text.strip().strip(YEAR_DUST).strip()
    return int(core) if BARE_YEAR.match(core) else None


# Trailing unit words, longest first, mapped to the unit code of the dataset.
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("miljoner kronor", "mkr"),
    ("miljoner kr", "mkr"),
    ("miljoner", "mkr"),
    ("miljon kronor", "mkr"),
    ("tusen kronor", "tkr"),
    ("kronor", "kr"),
    ("mnkr", "mkr"),
    ("mkr", "mkr"),
    ("msek", "mkr"),
    ("tkr", "tkr"),
    ("ksek", "tkr"),
    ("sek", "kr"),
    ("kr.", "kr"),
    ("kr", "kr"),
    (":-", "kr"),
    ("procent", "percent"),
    ("%", "percent"),
)

SEK_PER_UNIT = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}
# Footnote marks around a number; quotes and guillemets are how OCR reads a star.
FOOTNOTE_MARKS = "*\"“”„‘’'´`«»"

_SPACE_CLASS = "[" + re.escape(THOUSANDS_SPACES) + "]"
_MINUS_CLASS = "[" + re.escape(MINUS_SIGNS) + "]"
# The numeric core after sign, stars and unit are removed: digit groups with optional
# separators and an optional decimal part.
_CORE = re.compile(r"^\d[\d" + re.escape(THOUSANDS_SPACES) + r".,]*$")


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from print: its value in the printed unit, and what was printed."""
    value: float
    unit: Optional[str]  # "kr", "tkr", "mkr", "percent" or None when the cell states none
    printed: str
    irregular: bool = False  # digit grouping does not look like a typed number ("890 0000")
    footnote: bool = False   # the cell carries a footnote star

    @property
    def is_negative(self) -> bool:
        return self.value < 0


def _strip_unit(text: str) -> tuple[str, Optional[str]]:
    lowered = text.lower()
    for suffix, unit in UNIT_SUFFIXES:
        if lowered.endswith(suffix):
            head = text[: len(text) - len(suffix)]
            # "kr" must be a word of its own or follow a digit: "1 500kr", "1 500 kr".
            if suffix[0].isalpha() and head and head[-1].isalpha():
                continue
            return head.rstrip(), unit
    return text, None


# A float holds 15 digits exactly; no amount in a Finsam document comes near (a
# federation's budget has 7 to 9): more are the digits of several cells run together.
MAX_DIGITS = 15


def _grouped(integer: str) -> bool:
    """Digit groups as typed: one group, or a first of one to three digits and then
    groups of three ("7 864"; not "890 0000")."""
    groups = re.split(_SPACE_CLASS + "+", integer)
    return len(groups) == 1 or (len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))


def _digits_value(core: str) -> tuple[Optional[float], bool]:
    """Value of an unsigned numeric core, and whether its grouping is irregular.

    A comma is the decimal mark. A dot is a thousands mark when it separates groups of
    three (`1.222.500`, `1.500`, and `7 864.004`, a thin space OCR read as a dot: irregular),
    otherwise a decimal mark (`1222.5`, as OCR and some spreadsheets print it). More than
    MAX_DIGITS digits are no amount but cells run together.
    """
    core = core.strip(THOUSANDS_SPACES)
    if not core or not _CORE.match(core):
        return None, False
    if sum(c.isdigit() for c in core) > MAX_DIGITS:
        return None, False
    integer, _, decimal = core.partition(",")
    if "," in decimal:
        return None, False
    mixed = False  # thousands marked by spaces and a dot
    if "." in integer:
        head, *tails = integer.split(".")
        head_digits = re.sub(_SPACE_CLASS, "", head)
        spaced = head_digits != head
        if decimal or len(tails) > 1 or (len(tails[0]) == 3 and (len(head_digits) <= 3 or spaced and _grouped(head))):
            if not all(len(t) == 3 and t.isdigit() for t in tails):
                return None, False
            integer, mixed = head + "".join(tails), spaced
        elif tails[0]:
            integer, decimal = head, tails[0]
        else:
            return None, False  # "3." is a heading number, not an amount
    if decimal and not decimal.isdigit():
        return None, False
    groups = re.split(_SPACE_CLASS + "+", integer)
    if not all(g.isdigit() for g in groups):
        return None, False
    irregular = mixed or not _grouped(integer)
    number = float("".join(groups) + ("." + decimal if decimal else ""))
    return number, irregular


def parse_number(text: str) -> Optional[ParsedNumber]:
    """Read a printed Swedish number; None when the text is not one number.

    Stars before or after the number are footnote marks. A minus in any typographic form,
    with or without a space before the digits, or accounting parentheses, make it negative.
    The unit is returned as printed in the cell; converting to SEK is `to_sek`'s job
    because the unit often comes from the table, not the cell.
    """
    if text is None:
        return None
    s = text.strip()
    if not s:
        return None
    footnote = False
    if s[0] in FOOTNOTE_MARKS or s[-1] in FOOTNOTE_MARKS:
        footnote = True
        s = s.strip(FOOTNOTE_MARKS).strip()
        if not s:
            return None
    s, unit = _strip_unit(s)
    s = s.strip()
    for prefix in ("ca ", "ca. ", "cirka ", "drygt ", "knappt ", "nästan "):
        if s.lower().startswith(prefix):
            s = s[len(prefix):].strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("+"):
        s = s[1:].lstrip(THOUSANDS_SPACES)
        footnote = footnote or s[:1] in MINUS_SIGNS  # "+-890 000": a star OCR read as a plus
    if s and s[0] in MINUS_SIGNS:
        negative, s = not negative, s[1:].lstrip(THOUSANDS_SPACES)
    if s.endswith("*"):
        footnote, s = True, s.rstrip("*").strip()
    if unit is None:  # "(1 234) kr" and "-1 234 kr" put the unit after the sign handling
        s, unit = _strip_unit(s)
        s = s.strip()
    value, irregular = _digits_value(s)
    if value is None:
        return None
    return ParsedNumber(
        value=-value if negative else value,
        unit=unit,
        printed=text.strip(),
        irregular=irregular,
        footnote=footnote,
    )


def is_number(text: str) -> bool:
    """True when the text is one printed number (with optional sign, stars and unit)."""
    return parse_number(text) is not None


def to_sek(value: float, unit: str) -> float:
    """Convert a money value in kr, tkr or mkr to SEK; rounds away float noise."""
    return round(value * SEK_PER_UNIT[unit], 6)


def format_swedish(value: float, decimals: int = 0, separator: str = " ") -> str:
    """Print a number the Swedish way: `-1 222,5`. The inverse of `parse_number`."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.{decimals}f}"
    integer, _, decimal = text.partition(".")
    integer = integer.replace(",", separator)
    return sign + integer + ("," + decimal if decimals else "")


# Letters an OCR engine reads where a digit was printed, in number tokens only; the
# Swedish model also has Ö for a zero ("1 952 DÖD kr" in a black-and-white scan).
OCR_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "Ö": "0", "ö": "0",
                                      "l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "S": "5",
                                      "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "g": "9"})


def ocr_digit_reading(text: str) -> Optional[ParsedNumber]:
    """A number an OCR engine damaged with letter look-alikes ("1 8OO", "l 222,5"), when the
    token is mostly digits; None when it does not read as a number even then."""
    core = re.sub(r"\s|kr|tkr", "", text)
    digits = sum(c.isdigit() for c in core)
    if digits < 2 or digits < 0.5 * len(core):
        return None
    text = re.sub(r"(?<=\d)([,.])\s+(?=\d{1,2}\b)", r"\1", text)  # "1 222, 5": a space after the comma
    text = re.sub(r"^\s*=\s*(?=\d)", "-", text)  # "=104 286": a minus over a rule's stroke
    text = re.sub(r"(?<=\d)[:;](?=\d{3}(?!\d))", " ", text)  # "104:286": dust in a thousands space
    text = re.sub(r"(?<=\d)(?:[.;:],|,[.;:])(?=\d{1,2}(?!\d))", ",", text)  # "1222.,5", "1222,;5": a speck by the comma
    return parse_number(text.translate(OCR_DIGIT_LOOKALIKES))


def lost_decimal_candidates(parsed: ParsedNumber) -> list[float]:
    """Values a number may have had before OCR dropped its decimal comma ("12225" for
    "1 222,5"): only for printed integers of three or more digits."""
    digits = re.sub(r"\D", "", parsed.printed)
    if "," in parsed.printed or "." in parsed.printed or len(digits) < 3:
        return []
    return [parsed.value / 10, parsed.value / 100]
