#!/usr/bin/env python3
"""Speed of finsam against the raw tools on the same pages, run by hand:

    python scripts/benchmark.py

Prints pages per second of
- raw pdfplumber word extraction vs finsam's typed path (every stage, OCR off), on the
  typed fixtures;
- raw Tesseract (swe, rasterized at 300 dpi, one thread) vs finsam's OCR path with 1 and
  2 worker processes, on the 004 scan;
- the entity rules over the five seed texts (after the pipeline is built);
and the peak memory of this process.
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pytesseract  # noqa: E402

from extract.pages import read_pages  # noqa: E402
from extract.raster import rasterize  # noqa: E402
from normalize.entities import pipeline, tag_many  # noqa: E402
from pipeline import extract_document  # noqa: E402

TYPED = sorted((ROOT / "fixtures" / "typed").glob("*.pdf"))
SCAN = ROOT / "fixtures" / "scanned" / "004_ornskoldsvik_vp2026.scan.pdf"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def raw_pdfplumber() -> int:
    pages = 0
    for path in TYPED:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                pages += 1
    return pages


def finsam_typed() -> None:
    for path in TYPED:
        extract_document(path, str(path), ocr=False)


def raw_tesseract() -> int:
    with pdfplumber.open(SCAN) as pdf:
        for page in pdf.pages:
            pytesseract.image_to_data(rasterize(page), lang="swe+eng", config="--psm 4")
        return len(pdf.pages)


def main() -> None:
    rows = []
    extract_document(TYPED[0], str(TYPED[0]), ocr=False)  # warm imports and lexicons
    pages = raw_pdfplumber()
    t_raw = timed(raw_pdfplumber)
    t_fin = timed(finsam_typed)
    rows.append(("typed: raw pdfplumber extract_words", pages, t_raw))
    rows.append(("typed: finsam extract (all stages, no OCR)", pages, t_fin))

    scan_pages = raw_tesseract()  # warm
    t_tess = timed(raw_tesseract)
    rows.append(("scan: raw Tesseract swe, 300 dpi, 1 thread", scan_pages, t_tess))
    for jobs in (1, 2):
        t = timed(lambda: read_pages(SCAN, jobs=jobs))
        rows.append((f"scan: finsam OCR path, {jobs} worker(s)", scan_pages, t))

    pipeline()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "source").glob("*.txt"))]
    tag_many(texts)
    t_tag = timed(lambda: tag_many(texts))

    print(f"{'what':48} {'pages':>5} {'seconds':>8} {'pages/s':>8}")
    for what, n, t in rows:
        print(f"{what:48} {n:5d} {t:8.2f} {n / t:8.1f}")
    print(f"{'entity rules over the five seed texts':48} {'':5} {t_tag:8.3f}")
    print(f"ratios: typed finsam/raw = {t_fin / t_raw:.2f}x time; OCR 1 worker / raw Tesseract = "
          f"{rows[3][2] / t_tess:.2f}x; 2 workers speed-up = {rows[3][2] / rows[4][2]:.2f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (this process), {children:.0f} MB (largest worker/Tesseract)")


if __name__ == "__main__":
    main()
