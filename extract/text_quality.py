"""Words → a verdict on a page's reading: is this text layer (or OCR result) good Swedish?

Three measurements, each cheap: the share of words a Swedish lexicon knows; the share of
longer words that carry å/ä/ö (Swedish prose has them in roughly every fifth word; an
English-only OCR layer has almost none); and the share of junk characters. The page
reader uses the verdict to decide between the text layer and a Swedish OCR, and keeps
the better reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from models import Word

_WORD = re.compile(r"^[A-Za-zÅÄÖåäöÉéÜü-]{2,}$")
_JUNK = re.compile(r"[^\w\s.,:;!?%()\-–—/&*+'\"§€$@=<>\[\]#]")

MIN_WORDS = 12            # fewer words than this: not enough to judge, keep the text
POOR_KNOWN_SHARE = 0.72   # below this share of known words the reading is poor
POOR_SWEDISH_SHARE = 0.04  # below this share of å/ä/ö words (4+ letters) Swedish was lost
POOR_JUNK_SHARE = 0.03


@dataclass(frozen=True)
class Quality:
    words: int
    known_share: float
    swedish_letter_share: float
    junk_share: float

    @property
    def score(self) -> float:
        """0–1, higher is better; comparable between two readings of one page."""
        if self.words == 0:
            return 0.0
        swedish = min(self.swedish_letter_share / 0.12, 1.0)
        return round(0.6 * self.known_share + 0.3 * swedish + 0.1 * (1 - min(self.junk_share * 10, 1)), 3)

    @property
    def poor(self) -> bool:
        if self.words < MIN_WORDS:
            return False
        return (self.known_share < POOR_KNOWN_SHARE or self.swedish_letter_share < POOR_SWEDISH_SHARE
                or self.junk_share > POOR_JUNK_SHARE)


def measure(words: list[Word]) -> Quality:
    from normalize.letters import is_swedish_word  # the lexicon: not loaded by a fully cached run

    texts = [w.text.strip(".,:;()\"'!?*") for w in words]
    alphabetic = [t for t in texts if _WORD.match(t)]
    if not texts:
        return Quality(0, 0.0, 0.0, 0.0)
    chars = "".join(texts)
    junk = len(_JUNK.findall(chars)) / max(len(chars), 1)
    if not alphabetic:
        return Quality(len(texts), 0.0, 0.0, junk)
    known = sum(is_swedish_word(t) for t in alphabetic) / len(alphabetic)
    long_words = [t for t in alphabetic if len(t) >= 4]
    swedish = (sum(bool(re.search("[åäöÅÄÖ]", t)) for t in long_words) / len(long_words)) if long_words else 0.0
    return Quality(len(alphabetic), round(known, 3), round(swedish, 3), round(junk, 4))
