"""Row labels → the category vocabulary of the dataset.

The knowledge is in `data/categories.csv` (ordered regular-expression rules); this module
only applies it. Total rows whose label names nothing ("Summa:", "Totalt") take the
family of the rows they close: the total of contribution rows is the member
contributions, of cost rows the total cost, and so on. An OCR'd label that no rule knows
is tried again with its misread words respelled to the words the rules are written with.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CATEGORIES = (
    "income.member_contributions", "income.eu", "income.financial", "income.other",
    "income.carried_forward", "income.total", "cost.administration", "cost.board",
    "cost.individual", "cost.structural", "cost.unallocated", "cost.financial", "cost.total",
    "result", "balance.asset", "balance.equity", "balance.liability", "cashflow",
    "contribution", "participants", "ratio", "other",
)
# The words a total row's label starts with ("Summa kostnader", "Totalt"); a label of
# one of them alone names nothing and takes the family of the rows it closes.
TOTAL_WORDS = ("summa", "totalt", "totala", "total")
_TOTAL_KEYWORDS = frozenset(TOTAL_WORDS)
TOTAL_LABEL = re.compile(rf"^(?:{'|'.join(TOTAL_WORDS)})\b", re.I)
BARE_TOTAL = re.compile(rf"^(?:summa totalt|{'|'.join(TOTAL_WORDS)})$")


@dataclass(frozen=True)
class Rule:
    category: str
    applies_to: str
    pattern: re.Pattern


def fold_letters(text: str) -> str:
    """å/ä → a, ö → o: labels and patterns are compared folded, so a rule still matches a
    label whose letters an OCR lost ("Tillgangliga medel")."""
    return text.translate(str.maketrans("åäöÅÄÖéü", "aaoAAOeu"))


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    text = resources.files("normalize").joinpath("data/categories.csv").read_text("utf-8")
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        if row["category"] not in CATEGORIES:
            raise ValueError(f"categories.csv: unknown category {row['category']!r}")
        out.append(Rule(row["category"], row["applies_to"], re.compile(fold_letters(row["pattern"]))))
    return tuple(out)


def clean_label(label: str) -> str:
    """A label as the rules see it: NFC, lower case, no footnote stars or trailing colon,
    nor the quote marks and dash a scan leaves before it ("\"Verksamhetens intäkter",
    "- Finansiella intäkter")."""
    text = unicodedata.normalize("NFC", label).lower()
    text = re.sub(r"\*+", " ", text)
    text = re.sub(r"^[\"'“”‘’«»]+|^[-–]\s+", "", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" :")
    return text


def is_total_label(label: str, ocr: bool = False) -> bool:
    """Does the label open with a total word? For a label read by OCR (`ocr`) also when
    its first word is a misreading of one ("Tatala kostnader"): a total taken for a row
    of its own would be counted twice in every sum over its table."""
    return bool(TOTAL_LABEL.match(_total_word_respelled(label.strip(), ocr)))


def is_bare_total(label: str, ocr: bool = False) -> bool:
    """A total row whose label names nothing but the total ("Summa:", "Totalt")."""
    return bool(BARE_TOTAL.match(_total_word_respelled(clean_label(label), ocr)))


def _total_word_respelled(label: str, ocr: bool) -> str:
    """The label with its first word replaced by the total word an OCR misread it from."""
    first = re.match(r"[^\W\d_]+", label) if ocr else None
    if first is None or TOTAL_LABEL.match(label):
        return label
    word = misread_keyword(first.group(0), _TOTAL_KEYWORDS)
    return label if word is None else word + label[first.end():]


# A speck read as a stop after a word inside a label ("Kurs- och. konferensavgifter").
_OCR_WORD_DUST = re.compile(r"(?<=[^\W\d_])[.;:](?=\s)")


def categorize(label: str, section: str = "", table_text: str = "", ocr: bool = False) -> str:
    """The category of one row from its label, its section and its table. The label of
    a row read by OCR (`ocr`) that no rule knows is tried once more without the specks
    read as stops after its words and with its misread words respelled to the rules' own
    ("Tatala kostnader", "Försakrånaskassan", "Kurs- och. konferensavgifter"), before its
    section decides."""
    label_c, section_c, table_c = (fold_letters(clean_label(t)) for t in (label, section, table_text))
    found = _first_rule("table", table_c)
    if not found and ocr:  # a title OCR misread ("Kassafloddesanalys") would take the rule from every row
        found = _first_rule("table", fold_letters(respell(clean_label(table_text), "table")))
    found = found or _first_rule("label", label_c)
    if not found and ocr:
        found = _first_rule("label", fold_letters(respell(_OCR_WORD_DUST.sub("", clean_label(label)))))
    return found or _first_rule("section", section_c) or "other"


def _first_rule(kind: str, text: str) -> str | None:
    """The category of the first rule of `kind` whose pattern `text` matches."""
    for rule in rules():
        if rule.applies_to == kind and text and rule.pattern.search(text):
            return rule.category
    return None


MIN_KEYWORD_LETTERS = 4
KEYWORD_SIMILARITY = 0.8  # difflib ratio: two letters wrong in ten, one in a word of four or five
COMPOUND_HEAD_LETTERS = 6  # a rule's word this long may be the misread head of a compound


@lru_cache(maxsize=2)
def keywords(kind: str = "label") -> frozenset[str]:
    """The words the rules of `kind` ("label", "table") are written with (folded), to
    respell OCR'd text to."""
    words = set()
    for rule in rules():
        if rule.applies_to == kind:
            literal = re.sub(r"\\[A-Za-z]", " ", rule.pattern.pattern)  # \b, \d: no letters of a word
            words.update(w for w in re.findall(r"[^\W\d_]+", literal) if len(w) >= MIN_KEYWORD_LETTERS)
    return frozenset(words)


def _may_be_misread(word: str, keywords: frozenset[str]) -> bool:
    """Long enough to tell, and neither one of `keywords` (folded) nor a Swedish word:
    real words ("regional", "övriga") are never taken for another."""
    from normalize.letters import is_swedish_word

    return len(word) >= MIN_KEYWORD_LETTERS and fold_letters(word.lower()) not in keywords \
        and not is_swedish_word(word)


def misread_keyword(word: str, keywords: frozenset[str]) -> str | None:
    """The one of `keywords` (folded) that `word` is an OCR misreading of, at most about
    one letter in five wrong; None when there is none or `word` is no misreading."""
    return _closest_keyword(word, keywords) if _may_be_misread(word, keywords) else None


# Letter shapes an OCR engine reads as others, two letters for one or one for two: the
# edit counts as one letter wrong, not two ("Surnma" is "Summa", "Regiori" is "Region").
SHAPE_CONFUSIONS = (("rn", "m"), ("m", "rn"), ("ri", "n"), ("cl", "d"), ("vv", "w"))


def _closest_keyword(word: str, keywords: frozenset[str]) -> str | None:
    """The one of `keywords` (folded) within about one letter in five of `word`, if any,
    also when letter shapes were misread (SHAPE_CONFUSIONS)."""
    from difflib import get_close_matches

    folded = fold_letters(word.lower())
    cutoff = min(KEYWORD_SIMILARITY, 1 - 1 / len(word))
    for reading in [folded] + [folded.replace(a, b) for a, b in SHAPE_CONFUSIONS if a in folded]:
        close = get_close_matches(reading, keywords, n=1, cutoff=cutoff)
        if close:
            return close[0]
    return None


def respell(text: str, kind: str = "label") -> str:
    """A label (or a table's title and headers, `kind` "table") with each word that is no
    Swedish word replaced by the rules' word it is an OCR misreading of (at most about
    one letter in five wrong), if there is one; a compound whose head is such a
    misreading ("kassafloddesanalys") gets the rules' word for its head. Real words
    ("regional", "övriga") are never changed."""
    from difflib import SequenceMatcher

    def nearest(match: re.Match) -> str:
        word = match.group(0)
        if not _may_be_misread(word, keywords(kind)):
            return word
        folded = fold_letters(word)
        close = _closest_keyword(word, keywords(kind))
        if close:
            return close
        for keyword in sorted(keywords(kind)):
            if COMPOUND_HEAD_LETTERS <= len(keyword) < len(folded) - 2:
                ratio, head = max((SequenceMatcher(None, folded[:n], keyword).ratio(), n)
                                  for n in (len(keyword) - 1, len(keyword), len(keyword) + 1))
                if ratio >= KEYWORD_SIMILARITY:
                    return keyword + folded[head:]
        return word

    return re.sub(r"[^\W\d_]+", nearest, text)


def total_category(member_categories: list[str], fallback: str) -> str:
    """Category of a bare "Summa"/"Totalt" row from the categories of the rows it closes."""
    families = {c.split(".")[0] for c in member_categories if c not in ("other",)}
    if not families:
        return fallback
    if families <= {"contribution"} or families <= {"contribution", "income"} and "contribution" in families:
        return "income.member_contributions"
    if families <= {"income", "contribution"}:
        return "income.total"
    if families <= {"cost"}:
        kinds = {c for c in member_categories if c.startswith("cost.")}
        return kinds.pop() if len(kinds) == 1 else "cost.total"
    if len(set(member_categories)) == 1:
        return member_categories[0]
    return fallback


def is_flow(category: str, section: str) -> bool:
    """Revenue or cost: normalized to a positive magnitude whatever sign is printed."""
    if category.startswith(("income.", "cost.")) or category == "contribution":
        return True
    return category == "other" and bool(re.search(r"insats|kostnad", fold_letters(clean_label(section))))
