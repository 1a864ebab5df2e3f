"""Compare finsam's facts with the hand-written gold of a fixture.

A gold number is found when a fact has the same row label (compared case-folded, with
white space collapsed and footnote stars dropped), year, measure and value. Matching is
one-to-one (a multiset), so a number printed twice must be found twice. A found number
also has its table's title right when `table_title` is the gold `table` (compared as
labels are, with the same similarity for OCR'd text).
"""
from __future__ import annotations

import json
import re
import unicodedata
from difflib import SequenceMatcher
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "gold"


def norm_label(label: str) -> str:
    text = unicodedata.normalize("NFC", str(label)).casefold()
    text = re.sub(r"\*+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" :")


def _key(label, year, measure, value) -> tuple:
    year = None if pd.isna(year) else int(year)
    return (norm_label(label), year, str(measure), round(float(value), 2))


@dataclass
class Score:
    gold: int
    emitted: int
    found: int      # gold numbers found (recall numerator)
    correct: int    # emitted facts that match gold (precision numerator)
    category_right: int
    title_right: int  # found numbers whose table title is the gold one
    missing: list
    extra: list

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.emitted if self.emitted else 0.0

    @property
    def category_accuracy(self) -> float:
        return self.category_right / self.found if self.found else 0.0

    @property
    def title_accuracy(self) -> float:
        return self.title_right / self.found if self.found else 0.0

    def summary(self, name: str) -> str:
        return (f"{name}: recall {self.recall:.1%} ({self.found}/{self.gold}), "
                f"precision {self.precision:.1%} ({self.correct}/{self.emitted}), "
                f"category {self.category_accuracy:.1%}, table title {self.title_accuracy:.1%}")


def load_gold(key: str) -> pd.DataFrame:
    return pd.read_csv(GOLD / f"{key}.facts.csv", dtype={"printed": str}, keep_default_na=False)


def load_meta(key: str) -> dict:
    return json.loads((GOLD / f"{key}.meta.json").read_text(encoding="utf-8"))


def score(facts: pd.DataFrame, gold: pd.DataFrame, label_similarity: float = 1.0) -> Score:
    """Match facts to gold one-to-one. With `label_similarity` below 1 (for OCR'd
    fixtures), a row label may differ by a few letters (difflib ratio at least that)."""
    remaining: dict[tuple, list[tuple[str, str, str]]] = {}
    for row in gold.itertuples():
        label, *number = _key(row.row_label, row.year, row.measure, row.value)
        remaining.setdefault(tuple(number), []).append((label, row.category, norm_label(row.table)))
    total = sum(len(v) for v in remaining.values())
    correct = category_right = title_right = 0
    extra = []
    for row in facts.itertuples():
        label, *number = _key(row.row_label, row.year, row.measure, row.value)
        candidates = remaining.get(tuple(number), [])
        best, best_ratio = None, 0.0
        for i, (gold_label, _, _) in enumerate(candidates):
            ratio = 1.0 if gold_label == label else SequenceMatcher(None, gold_label, label).ratio()
            if ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is not None and best_ratio >= label_similarity:
            _, gold_category, gold_title = candidates.pop(best)
            correct += 1
            category_right += row.category == gold_category
            title_right += _similar(norm_label(row.table_title), gold_title, label_similarity)
        else:
            extra.append((label, *number))
    missing = [(label, *number) for number, rows in remaining.items() for label, _, _ in rows]
    return Score(total, len(facts), total - len(missing), correct, category_right, title_right, missing, extra)


def _similar(a: str, b: str, similarity: float) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= similarity
