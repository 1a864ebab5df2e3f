"""Damaged pages never stop a document: every stage after the words, on typed fixture
pages whose words were dropped, replaced, shifted or moved between lines at random.

Real archives hold what no fixture does: cells of dashes only, stray marks, columns
out of line. A stage that raises on such a page fails the whole document, so the
stages are run on many damaged copies of real pages (the seed is fixed: the same
copies every run) and none may raise. This found a table of dashes alone that raised
IndexError.
"""
from __future__ import annotations

import dataclasses
import random

import pytest

from extract.pages import read_pages
from pipeline import document_result
from tests.conftest import pdf_path

DAMAGED_COPIES = 30
# what a damaged word may read as: dashes, placeholders, brackets, signs, units, a year
DAMAGE = ["–", "-", "x", "..", "…", "(", ")", "0", "2025", "-0", "1 000", "%", "kr", "tkr", "*", "Summa",
          "(12)", "−5", "+3", "3010"]


def _damaged(word, rng: random.Random):
    """The word dropped (None), read as something else, or moved; mostly as it was."""
    x = rng.random()
    if x < 0.05:
        return None
    if x < 0.10:
        return dataclasses.replace(word, text=rng.choice(DAMAGE))
    if x < 0.13:
        x0 = word.x0 + rng.uniform(-30, 30)
        return dataclasses.replace(word, x0=x0, x1=max(word.x1 + rng.uniform(-30, 30), x0 + 1))
    if x < 0.15:
        top = word.top + rng.uniform(-8, 8)
        return dataclasses.replace(word, top=top, bottom=max(word.bottom + rng.uniform(-8, 8), top + 1))
    return word


@pytest.fixture(scope="module")
def typed_pages():
    paths = [pdf_path("002_vvnd_ar2025", "report"), pdf_path("000_vvnd_vp2026", "word"),
             pdf_path("004_ornskoldsvik_vp2026", "mirror")]
    return {path: read_pages(path, ocr=False)[0] for path in paths}


def test_damaged_pages_never_raise(typed_pages):
    rng = random.Random(6)
    paths = sorted(typed_pages)
    for copy in range(DAMAGED_COPIES):
        path = rng.choice(paths)
        readings = [dataclasses.replace(r, words=[w for w in (_damaged(w, rng) for w in r.words) if w])
                    for r in typed_pages[path]]
        try:
            result = document_result(path, "damaged", path.name, readings, [], ocr=False)
        except Exception as exc:  # noqa: BLE001 - any exception is the failure looked for
            pytest.fail(f"damaged copy {copy} of {path.name} raised {type(exc).__name__}: {exc}")
        assert result.pages == len(readings)
