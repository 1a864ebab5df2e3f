"""Measure the å/ä/ö repair (normalize/letters.py) on the 004 OCR seed.

Reference: fixtures/source/004_ornskoldsvik_vp2026.txt, a clean Swedish text rebuilt by
hand from the OCR seed shared/seeds/004_7693ebc0868883af.txt (an English-only OCR that
lost å/ä/ö). The repair runs on the seed; its words are compared with the reference.

Alignment (done once, on the seed before repair, so "before" and "after" are measured on
the very same word pairs):
1. Both texts are cut into word tokens with the repair's own tokenizer (letters, digits
   and the OCR's letter stand-ins é 6 4 0 1 & # inside a word; a lone "|"). The
   reference's markup (**bold**, <u>…</u>) is dropped first. In the seed, a word broken
   at a line end ("lednings-⏎ansvaret") is joined back into one token, as the reference
   has it; its repair is the concatenation of its parts' repairs.
2. difflib.SequenceMatcher aligns the two word lists compared on a folded key (lower
   case, å/ä → a, ö → o, é → e), so a word the OCR only stripped of its dots still
   anchors the alignment. Equal runs give word pairs one for one.
3. Inside each differing run (OCR damage beyond the dots, lines the reconstruction
   reflowed, table junk, bullets "e"/"»" that the reconstruction wrote as "-") the words
   are paired by a small dynamic programme maximising the summed character similarity
   (difflib ratio of the folded keys); only pairs with a similarity of at least 0.5 count
   as aligned. Words left unpaired (junk the reconstruction dropped or added) are outside
   the measurement; the script reports how many reference words were aligned.

Figures, over aligned pairs whose reference word has at least one letter (comparison
case-insensitive):
(a) among reference words with å/ä/ö, the share the OCR word gets exactly right,
    before and after repair (the issue's bar: ≥ 97 % after);
(b) among pairs already right before repair, the share the repair made wrong (< 0.5 %);
(c) overall word accuracy before and after.

It also prints a held-out check (measure_folded): the clean texts of the four other
fixture federations with å/ä/ö folded to a/a/o, repaired, and compared word by word.

Run: python scripts/measure_letters.py [--failures]
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalize import letters  # noqa: E402

REFERENCE = ROOT / "fixtures" / "source" / "004_ornskoldsvik_vp2026.txt"
SEED = ROOT / "fixtures" / "seed_ocr" / "004_ornskoldsvik_vp2026.txt"  # seed 004 as it stands
MIN_SIMILARITY = 0.5
SPECIAL = set("åäöÅÄÖ")


def _key(word: str) -> str:
    return word.lower().translate(str.maketrans("åäöé", "aaoe"))


def reference_words(text: str) -> list[str]:
    text = re.sub(r"\*\*|</?u>", " ", text)
    return [tok for tok, _, _, _ in letters._tokens(text)]


def ocr_words(text: str, repairs: list[letters.Repair]) -> list[tuple[str, str]]:
    """(word before repair, word after repair) per seed token, line-end hyphenation joined."""
    by_start = {r.start: r.repaired for r in repairs}
    tokens = letters._tokens(text)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        tok, start, end, _ = tokens[i]
        before, after = tok, by_start.get(start, tok)
        while i + 1 < len(tokens):
            nxt, nstart, _, _ = tokens[i + 1]
            gap = text[end:nstart]
            if re.fullmatch(r"-[ \t]*\n[ \t]*", gap) and nxt[:1].islower():
                before += nxt
                after += by_start.get(nstart, nxt)
                end = tokens[i + 1][2]
                i += 1
            else:
                break
        out.append((before, after))
        i += 1
    return out


def _pair_block(ref: list[str], ocr: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) inside a differing run, maximising summed similarity (order kept)."""
    n, m = len(ref), len(ocr)
    sim = [[difflib.SequenceMatcher(None, _key(a), _key(b)).ratio() for b in ocr] for a in ref]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= MIN_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= MIN_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align(ref: list[str], ocr: list[str]) -> list[tuple[int, int]]:
    """Index pairs (reference word, seed word) of the alignment described above."""
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in ref], [_key(w) for w in ocr], autojunk=False)
    pairs: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            pairs.extend((i1 + a, j1 + b) for a, b in _pair_block(ref[i1:i2], ocr[j1:j2]))
    return pairs


@dataclass
class Measurement:
    ref_words: int = 0
    aligned: int = 0
    special_total: int = 0
    special_right_before: int = 0
    special_right_after: int = 0
    right_before: int = 0
    broken_by_repair: int = 0
    right_after: int = 0
    repair_seconds: float = 0.0
    load_seconds: float = 0.0
    special_failures: list = field(default_factory=list)
    broken: list = field(default_factory=list)

    @property
    def special_before(self) -> float:
        return self.special_right_before / self.special_total

    @property
    def special_after(self) -> float:
        return self.special_right_after / self.special_total

    @property
    def broken_share(self) -> float:
        return self.broken_by_repair / self.right_before

    @property
    def accuracy_before(self) -> float:
        return self.right_before / self.aligned

    @property
    def accuracy_after(self) -> float:
        return self.right_after / self.aligned


def measure(reference: Path = REFERENCE, seed: Path = SEED) -> Measurement:
    ref_text = reference.read_text(encoding="utf-8")
    seed_text = seed.read_text(encoding="utf-8")
    result = Measurement()
    t0 = time.perf_counter()
    letters._lexicon()
    letters._confusions()
    letters._context_rules()
    result.load_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    repairs = letters.find_repairs(seed_text)
    result.repair_seconds = time.perf_counter() - t0

    ref = reference_words(ref_text)
    ocr = ocr_words(seed_text, repairs)
    result.ref_words = sum(any(c.isalpha() for c in w) for w in ref)
    for i, j in align(ref, [before for before, _ in ocr]):
        want = ref[i]
        if not any(c.isalpha() for c in want):
            continue
        before, after = ocr[j]
        ok_before = before.lower() == want.lower()
        ok_after = after.lower() == want.lower()
        result.aligned += 1
        result.right_before += ok_before
        result.right_after += ok_after
        if ok_before and not ok_after:
            result.broken_by_repair += 1
            result.broken.append((want, before, after))
        if SPECIAL & set(want):
            result.special_total += 1
            result.special_right_before += ok_before
            result.special_right_after += ok_after
            if not ok_after:
                result.special_failures.append((want, before, after))
    return result


def measure_folded(paths: list[Path]) -> list[tuple[str, int, int, int, int]]:
    """A held-out check: clean texts of other federations with å/ä/ö folded to a/a/o (the
    simplest lossy OCR), repaired and compared word by word (folding keeps every token in
    place, so no alignment is needed). Returns per file (name, words with å/ä/ö right,
    words with å/ä/ö, other words broken, other words)."""
    rows = []
    for path in paths:
        clean = path.read_text(encoding="utf-8")
        folded = clean.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
        repaired = letters.repair_text(folded, mode="ocr")
        want = [t for t, _, _, _ in letters._tokens(clean)]
        got = [t for t, _, _, _ in letters._tokens(repaired)]
        assert len(want) == len(got), path
        special = [(w, g) for w, g in zip(want, got) if SPECIAL & set(w)]
        plain = [(w, g) for w, g in zip(want, got) if not SPECIAL & set(w) and any(c.isalpha() for c in w)]
        rows.append(
            (path.name, sum(w == g for w, g in special), len(special), sum(w != g for w, g in plain), len(plain))
        )
    return rows


HELD_OUT = sorted((ROOT / "fixtures" / "source").glob("00[0-3]_*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list the words still wrong")
    args = parser.parse_args()
    m = measure()
    print(f"reference words: {m.ref_words}, aligned pairs: {m.aligned} ({m.aligned / m.ref_words:.1%})")
    print(
        f"(a) words with å/ä/ö right: {m.special_before:.1%} before, {m.special_after:.1%} after "
        f"({m.special_right_after}/{m.special_total}; bar ≥ 97 %)"
    )
    print(
        f"(b) right words broken by the repair: {m.broken_share:.2%} "
        f"({m.broken_by_repair}/{m.right_before}; bar < 0.5 %)"
    )
    print(f"(c) word accuracy: {m.accuracy_before:.1%} before, {m.accuracy_after:.1%} after")
    print(f"lexicon load {m.load_seconds:.2f} s, repair of the seed {m.repair_seconds * 1000:.0f} ms")
    print("\nheld-out check, other federations' clean texts with å/ä/ö folded to a/a/o:")
    for name, right, total, broken, plain in measure_folded(HELD_OUT):
        print(f"  {name}: å/ä/ö words right {right / total:.1%} ({right}/{total}), "
              f"other words broken {broken / plain:.2%} ({broken}/{plain})")
    if args.failures:
        print("\nwords with å/ä/ö still wrong (reference | seed | repaired):")
        for want, before, after in m.special_failures:
            print(f"  {want} | {before} | {after}")
        print("\nwords broken by the repair (reference | seed | repaired):")
        for want, before, after in m.broken:
            print(f"  {want} | {before} | {after}")


if __name__ == "__main__":
    main()
