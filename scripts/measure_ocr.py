"""Measure OCR quality on the scanned fixtures (fixtures/scanned/*.pdf) and print a table.

Each file is read twice: `read_pages(repair=False)` gives the words before the å/ä/ö
repair; `extract_document` reads it again with the repair (its `.readings`) and extracts
the facts. Words of a page are put in reading order (sorted by top, a new line when the
top moves by more than half a word height, each line sorted by x0); lines "Sida N" /
"Sida N av M" (the page footer) and lone bullet glyphs are dropped.

Reference: fixtures/source/KEY.txt, the typed text the fixture PDFs were built from, with
markup (**, <u>), "@pagebreak" and bullet dashes removed; TABs count as spaces. A scan
holds only some of the document's pages, so each page is aligned with its own span of
the reference:
1. Page and reference are cut into whitespace tokens, compared on a key (case-folded,
   outer punctuation stripped, å/ä → a, ö → o, so that a word that lost its dots still
   anchors). difflib.SequenceMatcher (autojunk=False) gives the matching runs.
2. Runs of at least three words are anchors; the span is the densest stretch of anchors
   (a window 1.3 × the page's length), extended at either end by as many words as the
   page has before its first and after its last anchor. The pages are in source order,
   so a page is searched only after the previous page's span (a table's header row,
   repeated on the next page, must not pull the span back onto the previous page).
3. Inside the span, words are paired with `align` of scripts/measure_letters.py (equal
   runs one for one, differing runs by character similarity ≥ 0.5).

Figures per file (sums over its pages):
- CER: Levenshtein distance between the page's text and its reference span (tokens
  joined by one space) / characters of the span. Insertions (a repeated table header, a
  page number read as text) count, so CER can exceed what the letters alone would give.
- word accuracy: share of the span's reference words (outer punctuation stripped) that have an
  aligned OCR word equal to them, case-insensitively; a word the OCR lost counts as wrong.
- å/ä/ö-word accuracy: the same, over the reference words that contain å, ä or ö (n: how
  many there are).
- fact recall / precision: finsam's facts scored against gold/KEY.facts.csv as
  tests/test_ocr.py does (row labels may differ by a letter: similarity ≥ 0.85).
- OCR s/page: CPU seconds (this process and its OCR workers and Tesseract) of the unrepaired
  reading per OCR'd page, i.e. what one core spends on a page; "-" when no page was OCR'd.
Before → after is the repair's effect: the same OCR text without and with it.

Run from the repository root (needs Tesseract with Swedish; takes a few minutes):
    python scripts/measure_ocr.py [PDF ...] [--pages]
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from dataclasses import astuple, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pages import read_pages  # noqa: E402
from models import PageReading, Word  # noqa: E402
from measure_letters import align  # noqa: E402
from pipeline import extract_document  # noqa: E402
from tests.conftest import facts_frame  # noqa: E402
from tests.scoring import load_gold, score  # noqa: E402

SCANNED = ROOT / "fixtures" / "scanned"
SOURCE = ROOT / "fixtures" / "source"
JOBS = 2
LABEL_SIMILARITY = 0.85
MIN_ANCHOR = 3          # words in a matching run that anchors a page in the reference
WINDOW = 1.3            # the span searched for anchors, in page lengths
FOOTER = re.compile(r"sida\s*\d+(\s*(av)?\s*\d+)?", re.IGNORECASE)  # also as OCR reads it: "Sida 1 8"
BULLETS = {"•", "●", "▪", "◦", "·"}
PUNCTUATION = ".,:;!?()[]{}\"'“”»«|"
FOLD = str.maketrans("åäöé", "aaoe")
SPECIAL = set("åäö")


def page_tokens(reading: PageReading) -> list[str]:
    """The page's words in reading order, without the footer line and bullets."""
    lines: list[list[Word]] = []
    for w in sorted(reading.words, key=lambda w: (w.top, w.x0)):
        if lines and w.top - lines[-1][0].top <= 0.5 * max(w.bottom - w.top, 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
    tokens = []
    for line in lines:
        words = [w.text for w in sorted(line, key=lambda w: w.x0) if w.text not in BULLETS]
        if not FOOTER.fullmatch(" ".join(words)):
            tokens.extend(t for w in words for t in w.split())
    return tokens


def reference_tokens(text: str) -> list[str]:
    text = re.sub(r"\*\*|</?u>|^@pagebreak$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"^- ", " ", text, flags=re.MULTILINE)
    return [t for line in text.splitlines() if not FOOTER.fullmatch(line.strip()) for t in line.split()]


def word(token: str) -> str:
    return token.strip(PUNCTUATION).casefold()


def locate(page: list[str], ref: list[str], floor: int = 0) -> tuple[int, int]:
    """The span [start, end) of reference tokens that the page's tokens best match, not
    before `floor` (where the previous page's span ended: the pages are in order)."""
    keys = [word(t).translate(FOLD) for t in page]
    matcher = SequenceMatcher(None, keys, [word(t).translate(FOLD) for t in ref[floor:]], autojunk=False)
    anchors = [m for m in matcher.get_matching_blocks() if m.size >= MIN_ANCHOR]
    if not anchors:
        return floor, floor
    reach = WINDOW * len(page) + 20
    best = max(range(len(anchors)),
               key=lambda i: sum(m.size for m in anchors if anchors[i].b <= m.b < anchors[i].b + reach))
    inside = [m for m in anchors if anchors[best].b <= m.b < anchors[best].b + reach]
    first, last = inside[0], inside[-1]
    start = floor + max(0, first.b - first.a)
    return start, min(len(ref), floor + last.b + last.size + len(page) - last.a - last.size)


def levenshtein(a: str, b: str) -> int:
    """Edit distance, bit-parallel (Myers 1999 / Hyyrö): fast enough for whole pages."""
    if not a or not b:
        return len(a) + len(b)
    masks: dict[str, int] = {}
    for i, c in enumerate(a):
        masks[c] = masks.get(c, 0) | 1 << i
    full, top = (1 << len(a)) - 1, 1 << (len(a) - 1)
    pv, mv, distance = full, 0, len(a)
    for c in b:
        eq = masks.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        distance += (ph & top != 0) - (mh & top != 0)
        ph, mh = ((ph << 1) | 1) & full, (mh << 1) & full
        pv, mv = (mh | ~(xv | ph)) & full, ph & xv
    return distance


@dataclass
class Counts:
    chars: int = 0
    edits: int = 0
    words: int = 0
    words_right: int = 0
    special: int = 0
    special_right: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other))))

    @property
    def cer(self) -> float:
        return self.edits / self.chars if self.chars else 0.0


def compare(page: list[str], ref: list[str]) -> Counts:
    """Characters and words of the page against its reference span."""
    reference = " ".join(ref)
    got, want = [w for w in map(word, page) if w], [w for w in map(word, ref) if w]
    right = {i for i, j in align(want, got) if want[i] == got[j]}
    marked = {i for i, w in enumerate(want) if SPECIAL & set(w)}
    return Counts(len(reference), levenshtein(reference, " ".join(page)), len(want), len(right),
                  len(marked), len(right & marked))


@dataclass
class FileResult:
    name: str
    pages: int
    before: Counts = field(default_factory=Counts)
    after: Counts = field(default_factory=Counts)
    recall: float = 0.0
    precision: float = 0.0
    seconds_per_page: float | None = None
    page_lines: list[str] = field(default_factory=list)


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_file(path: Path, key: str) -> FileResult:
    start = cpu_seconds()
    raw, _ = read_pages(path, jobs=JOBS, repair=False)
    ocr_pages = sum(r.source == "ocr" for r in raw)
    seconds = (cpu_seconds() - start) / ocr_pages if ocr_pages else None
    result = extract_document(path, str(path), jobs=JOBS)
    s = score(facts_frame(result), load_gold(key), LABEL_SIMILARITY)
    out = FileResult(path.name, len(raw), recall=s.recall, precision=s.precision, seconds_per_page=seconds)
    ref = reference_tokens((SOURCE / f"{key}.txt").read_text(encoding="utf-8"))
    end = 0
    for before, after in zip(raw, result.readings):
        tokens = page_tokens(before)
        first, end = locate(tokens, ref, end)
        page_before = compare(tokens, ref[first:end])
        page_after = compare(page_tokens(after), ref[first:end])
        out.before, out.after = out.before + page_before, out.after + page_after
        out.page_lines.append(f"  page {before.number} ({before.source}): reference words {first}–{end}, "
                              f"CER {page_before.cer:.1%} → {page_after.cer:.1%}")
    return out


def share(right: int, total: int) -> str:
    return f"{right / total:.1%}" if total else "-"


def row(r: FileResult) -> str:
    b, a = r.before, r.after
    return "| " + " | ".join([
        r.name, str(r.pages), f"{b.cer:.1%} → {a.cer:.1%}",
        f"{share(b.words_right, b.words)} → {share(a.words_right, a.words)}",
        f"{share(b.special_right, b.special)} → {share(a.special_right, a.special)} ({a.special})",
        f"{r.recall:.1%}", f"{r.precision:.1%}",
        "-" if r.seconds_per_page is None else f"{r.seconds_per_page:.1f}",
    ]) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="default: every PDF in fixtures/scanned")
    parser.add_argument("--pages", action="store_true", help="also print each page's span and CER")
    args = parser.parse_args()
    manifest = json.loads((SCANNED / "manifest.json").read_text(encoding="utf-8"))["files"]
    started = time.perf_counter()
    print("| file | pages | CER before → after | word accuracy | å/ä/ö-word accuracy (n) | "
          "fact recall | precision | OCR s/page |")
    print("|---" * 8 + "|")
    for path in args.pdfs or sorted(SCANNED.glob("*.pdf")):
        result = measure_file(path, manifest[path.name]["key"])
        print(row(result), flush=True)
        if args.pages:
            print("\n".join(result.page_lines))
    print(f"\n{time.perf_counter() - started:.0f} s in all, {JOBS} OCR workers")


if __name__ == "__main__":
    main()
