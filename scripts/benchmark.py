#!/usr/bin/env python3
"""Speed of finsam against the raw tools on the same pages, run by hand:

    python scripts/benchmark.py

Prints pages per second and peak memory of
- raw pdfplumber word extraction vs finsam's typed path (every stage, OCR off) on the
  typed fixtures: in this process, and as the whole `extract` command with 1 and 2 workers;
- raw Tesseract (rasterized at 300 dpi as finsam does, handed over as an uncompressed
  image as finsam does, the same languages and page segmentation, one thread per
  process) with 1 and 2 processes vs finsam's OCR path (the
  whole `extract` command: rasterize, deskew, rule removal, OCR, repair, every stage)
  with 1 and 2 workers, on every page of the scanned fixtures that has no text layer;
- an archive run (all fixtures, typed and scanned, 2 workers) and the same command again,
  fully cached;
- the entity rules over the five seed texts.
Whole commands are timed from outside (start-up included). It takes about six minutes on
two cores; other load on the machine shows in the figures, so run it on a quiet machine.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pytesseract  # noqa: E402

from extract.ocr import OCR_LANGUAGES, PAGE_SEGMENTATION, uncompressed  # noqa: E402
from extract.raster import rasterize  # noqa: E402
from normalize.entities import pipeline, tag_many  # noqa: E402
from pipeline import extract_document  # noqa: E402

TYPED = sorted((ROOT / "fixtures" / "typed").glob("*.pdf"))
SCANNED = sorted((ROOT / "fixtures" / "scanned").glob("*.pdf"))
SCANS = [p for p in SCANNED if p.name.endswith(("scan.pdf", "badscan.pdf"))]  # no text layer


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def command(args: list[str]) -> tuple[float, float]:
    """Run `python -m pipeline ARGS` of this tree; its wall seconds and peak memory (MB,
    the largest of the command and its workers, as the kernel accounts it)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 10):
        raise SystemExit(f"benchmark: finsam {' '.join(args)} failed ({status})")
    return seconds, usage.ru_maxrss / 1024


def count_pages(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def raw_pdfplumber() -> None:
    for path in TYPED:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()


def finsam_typed() -> None:
    for path in TYPED:
        extract_document(path, str(path), ocr=False)


def tesseract_page(job: tuple[Path, int]) -> None:
    path, index = job
    with pdfplumber.open(path) as pdf:
        image = rasterize(pdf.pages[index])
    pytesseract.image_to_data(uncompressed(image), lang=OCR_LANGUAGES,
                              config=f"--psm {PAGE_SEGMENTATION} -c preserve_interword_spaces=1")


def raw_tesseract(jobs: list[tuple[Path, int]], processes: int) -> None:
    if processes == 1:
        for job in jobs:
            tesseract_page(job)
    else:
        with Pool(processes) as pool:
            pool.map(tesseract_page, jobs, chunksize=1)


def row(what: str, pages: int | None, seconds: float, peak: float | None = None) -> tuple:
    return what, pages, seconds, peak


def main() -> None:
    rows = []
    typed_pages, scan_pages = count_pages(TYPED), count_pages(SCANS)
    pages = [(path, i) for path in SCANS for i in range(count_pages([path]))]
    tesseract_page(pages[0])  # warm the page cache and Tesseract's data
    for processes in (1, 2):  # first: the peak of this process's children is Tesseract's alone
        seconds = timed(lambda: raw_tesseract(pages, processes))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows.append(row(f"scan: raw Tesseract {OCR_LANGUAGES}, {processes} process(es)", scan_pages, seconds, peak))

    extract_document(TYPED[0], str(TYPED[0]), ocr=False)  # warm imports and lexicons
    raw_pdfplumber()
    t_raw = timed(raw_pdfplumber)
    t_fin = timed(finsam_typed)
    rows.append(row("typed: raw pdfplumber extract_words", typed_pages, t_raw))
    rows.append(row("typed: finsam, all stages, in process", typed_pages, t_fin))
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (1, 2):
            seconds, peak = command(["extract", *map(str, TYPED), "--out", f"{tmp}/t{jobs}", "--no-ocr",
                                     "--jobs", str(jobs)])
            rows.append(row(f"typed: finsam extract command, {jobs} worker(s)", typed_pages, seconds, peak))
        for jobs in (1, 2):
            seconds, peak = command(["extract", *map(str, SCANS), "--out", f"{tmp}/s{jobs}", "--jobs", str(jobs)])
            rows.append(row(f"scan: finsam extract command, {jobs} worker(s)", scan_pages, seconds, peak))

        everything = [str(ROOT / "fixtures" / "typed"), str(ROOT / "fixtures" / "scanned")]
        all_pages = typed_pages + count_pages(SCANNED)
        first, peak = command(["extract", *everything, "--out", f"{tmp}/all", "--jobs", "2"])
        rows.append(row("archive: all fixtures, 2 workers, first run", all_pages, first, peak))
        again, peak = command(["extract", *everything, "--out", f"{tmp}/all", "--jobs", "2"])
        rows.append(row("archive: the same command again (all cached)", all_pages, again, peak))

    pipeline()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "source").glob("*.txt"))]
    tag_many(texts)
    t_tag = timed(lambda: tag_many(texts))

    print(f"| {'what':50} | {'pages':>5} | {'seconds':>7} | {'pages/s':>7} | {'peak MB':>7} |")
    print(f"|{'-' * 52}|{'-' * 7}:|{'-' * 9}:|{'-' * 9}:|{'-' * 9}:|")
    for what, n, t, peak in rows:
        print(f"| {what:50} | {n:5d} | {t:7.2f} | {n / t:7.2f} | {'' if peak is None else f'{peak:.0f}':>7} |")
    print(f"| {'entity rules over the five seed texts':50} | {'':5} | {t_tag:7.3f} | {'':7} | {'':7} |")
    t_tess1, t_tess2 = rows[0][2], rows[1][2]
    t_ocr1, t_ocr2 = rows[6][2], rows[7][2]
    print()
    print(f"typed path: finsam in process / raw pdfplumber = {t_fin / t_raw:.2f}x the time")
    print(f"OCR path, 1 worker: finsam command / raw Tesseract = {t_ocr1 / t_tess1:.2f}x the time "
          f"(2 workers / 2 processes: {t_ocr2 / t_tess2:.2f}x)")
    print(f"2 workers against 1: finsam OCR {t_ocr1 / t_ocr2:.2f}x faster (raw Tesseract: {t_tess1 / t_tess2:.2f}x)")
    print(f"cached re-run: {rows[9][2]:.2f} s = {100 * rows[9][2] / rows[8][2]:.1f} % of the first run")


if __name__ == "__main__":
    main()
