#!/usr/bin/env python3
"""Speed of finsam against the raw tools on the same pages, run by hand:

    python scripts/benchmark.py [--pairs N]
    python scripts/benchmark.py --copies K --pairs N

Every row is a whole process, timed from outside (start-up included) with its peak
memory (the largest of the process and its workers and Tesseracts, as the kernel
accounts it), started from this small parent so that no figure inherits another's:
- typed fixtures: raw pdfplumber word extraction vs finsam's typed path (the `extract`
  command, OCR off, every stage) with 1 and 2 workers, and the two also warm in one
  process (the per-page cost, without finsam's start-up of about 2 s), and raw pdfplumber
  once more under the garbage collector's threshold of finsam's workers (what of the
  difference that setting alone makes);
- every page of the scanned fixtures that has no text layer: raw Tesseract in Swedish
  (`swe`, the issue's "raw Tesseract (swe)", its other settings Tesseract's own),
  rasterized at 300 dpi and handed over uncompressed as finsam does, the same page
  segmentation, one thread per process, with 1 and 2 processes vs finsam's OCR path (the
  `extract` command: rasterize, deskew, rule removal, OCR, percent signs read again,
  repair, every stage) with 1 and 2 workers, and the two also warm in one process,
  alternating document by document (the per-page cost, as for the typed path);
- Tesseract alone on the same scanned pages, in one process: the raw page read as raw
  Tesseract reads it against the page finsam hands it (straightened, rules and dust
  erased) read with finsam's settings, to tell Tesseract's part of the OCR path's time
  from finsam's own stages;
- an archive run (all fixtures, typed and scanned, 2 workers) and the same command
  again, fully cached;
and the time of the entity rules over the five seed texts.
It takes 10–20 minutes on two cores (by the CPU). Other load on the machine shows in the
figures (above all in the speed-up of 2 workers): run it on a quiet machine. A shared
machine's speed drifts by a tenth from one quarter of an hour to the next, more than the
OCR path's ratio to raw Tesseract can be read to; `--pairs N` then runs finsam's OCR path
and raw Tesseract N times more in turn (1 worker against 1 process, 2 against 2: about
2.5–6 minutes a pair) and prints the ratio of their median times, the steadier figure.
`--copies K --pairs N` runs only those pairs, 2 workers against 2 processes, on every
scanned fixture K times over (distinct files: neither finsam's cache nor its same-bytes
check skips a copy): what a worker pays once (its first loading of spaCy's rules and the
lexicons, its Tesseracts' start) weighs less on more pages, as in an archive.
"""
from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPED = sorted((ROOT / "fixtures" / "typed").glob("*.pdf"))
SCANNED = sorted((ROOT / "fixtures" / "scanned").glob("*.pdf"))
SCANS = [p for p in SCANNED if p.name.endswith(("scan.pdf", "badscan.pdf"))]  # no text layer
RAW_TESSERACT_LANGUAGES = "swe"  # what the issue compares against: Swedish alone


def raw_tesseract_config() -> str:
    """Raw Tesseract's settings: finsam's page segmentation, Tesseract's defaults otherwise."""
    from extract.ocr import PAGE_SEGMENTATION

    return f"--psm {PAGE_SEGMENTATION} -c preserve_interword_spaces=1"


def count_pages(paths: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def raw_pdfplumber(worker_gc: bool = False) -> None:
    """Part: every typed page through pdfplumber's extract_words, nothing else; with
    `worker_gc`, under the garbage collector's threshold that finsam's workers use, to
    show what of finsam's margin comes from that alone."""
    import pdfplumber

    if worker_gc:
        from run.executors import WORKER_GC_THRESHOLD

        gc.set_threshold(*WORKER_GC_THRESHOLD)

    for path in TYPED:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()


def typed_paths_warm() -> None:
    """Part: raw pdfplumber and finsam's typed path (every stage, OCR off) over the same
    pages in one warm process, start-up and first-use loading excluded; prints both."""
    from pipeline import extract_document

    def finsam_typed() -> None:
        for path in TYPED:
            extract_document(path, str(path), ocr=False)

    extract_document(TYPED[0], str(TYPED[0]), ocr=False)  # imports, lexicons, spaCy rules
    raw_pdfplumber()
    seconds = []
    for fn in (raw_pdfplumber, finsam_typed):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    print(*seconds)


def scan_paths_warm() -> None:
    """Part: raw Tesseract (as `raw_tesseract` runs it, one process) and finsam's OCR path
    (every stage) over the same scanned pages in one warm process: the per-page cost,
    without finsam's start-up, its first use of lexicons and spaCy rules and the writing of
    the dataset, which a run pays once however many pages it reads. The two alternate
    document by document, so that a slow spell of the machine weighs on both; prints both."""
    from pipeline import extract_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    extract_document(SCANS[0], str(SCANS[0]))  # imports, lexicons, spaCy rules, a running Tesseract
    seconds = [0.0, 0.0]
    for path in SCANS:
        start = time.perf_counter()
        for index in range(count_pages([path])):
            tesseract_page((path, index))
        middle = time.perf_counter()
        extract_document(path, str(path))
        seconds[0] += middle - start
        seconds[1] += time.perf_counter() - middle
    print(*seconds)


def tesseract_page(job: tuple[Path, int]) -> None:
    import pdfplumber
    import pytesseract

    from extract.ocr import uncompressed
    from extract.raster import rasterize

    path, index = job
    with pdfplumber.open(path) as pdf:
        image = rasterize(pdf.pages[index])
    pytesseract.image_to_data(uncompressed(image), lang=RAW_TESSERACT_LANGUAGES,
                              config=raw_tesseract_config())


def tesseract_alone() -> None:
    """Part: Tesseract's own seconds, in one process, on every scanned page twice: the
    raw page as raw Tesseract reads it, and the page finsam hands it (straightened, rules
    and dust erased) with finsam's languages and settings; the pages are prepared first,
    untimed, and the two readings of a page follow each other, so that a slow spell of
    the machine weighs on both alike. Prints the two sums."""
    import pdfplumber
    import pytesseract

    from extract.ocr import OCR_LANGUAGES, PAGE_CONFIG, uncompressed
    from extract.raster import page_for_ocr, rasterize

    os.environ["OMP_THREAD_LIMIT"] = "1"
    seconds = [0.0, 0.0]
    for path in SCANS:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                raw = rasterize(page)
                readings = ((raw, RAW_TESSERACT_LANGUAGES, raw_tesseract_config()),
                            (page_for_ocr(raw).image, OCR_LANGUAGES, PAGE_CONFIG))
                for n, (image, languages, config) in enumerate(readings):
                    start = time.perf_counter()
                    pytesseract.image_to_data(uncompressed(image), lang=languages, config=config)
                    seconds[n] += time.perf_counter() - start
    print(*seconds)


def raw_tesseract(processes: int, folder: Path | None = None) -> None:
    """Part: every scanned page (of the PDFs in `folder`, if given) rasterized and read by
    Tesseract, in 1 or more processes."""
    from multiprocessing import Pool

    os.environ["OMP_THREAD_LIMIT"] = "1"
    scans = sorted(folder.glob("*.pdf")) if folder else SCANS
    pages = [(path, i) for path in scans for i in range(count_pages([path]))]
    if processes == 1:
        for job in pages:
            tesseract_page(job)
    else:
        with Pool(processes) as pool:
            pool.map(tesseract_page, pages, chunksize=1)


def measure(args: list[str]) -> tuple[float, float]:
    """Run a command from this small process: its wall seconds and peak memory (MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 10):
        raise SystemExit(f"benchmark: {' '.join(args)} failed ({status})")
    return seconds, usage.ru_maxrss / 1024


def part(name: str, *args: str) -> list[str]:
    return [sys.executable, __file__, "--part", name, *args]


def finsam(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", *args, "--quiet"]


def main(pairs: int = 0) -> None:
    from extract.ocr import OCR_LANGUAGES

    typed_pages, scan_pages, all_pages = count_pages(TYPED), count_pages(SCANS), count_pages(TYPED + SCANNED)
    subprocess.run(part("tesseract", "1"), cwd=ROOT, check=True, capture_output=True,
                   env=dict(os.environ, BENCHMARK_WARM="1"))  # page cache and Tesseract's data
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            ("typed: raw pdfplumber extract_words", typed_pages, part("pdfplumber")),
            ("typed: finsam extract, 1 worker", typed_pages,
             finsam(*map(str, TYPED), "--no-ocr", "--jobs", "1", "--out", f"{tmp}/t1")),
            ("typed: finsam extract, 2 workers", typed_pages,
             finsam(*map(str, TYPED), "--no-ocr", "--jobs", "2", "--out", f"{tmp}/t2")),
            ("scan: raw Tesseract, 1 process", scan_pages, part("tesseract", "1")),
            ("scan: raw Tesseract, 2 processes", scan_pages, part("tesseract", "2")),
            ("scan: finsam extract (OCR path), 1 worker", scan_pages,
             finsam(*map(str, SCANS), "--jobs", "1", "--out", f"{tmp}/s1")),
            ("scan: finsam extract (OCR path), 2 workers", scan_pages,
             finsam(*map(str, SCANS), "--jobs", "2", "--out", f"{tmp}/s2")),
            ("archive: all fixtures, 2 workers, first run", all_pages,
             finsam(str(ROOT / "fixtures" / "typed"), str(ROOT / "fixtures" / "scanned"), "--jobs", "2",
                    "--out", f"{tmp}/all")),
            ("archive: the same command again, all cached", all_pages,
             finsam(str(ROOT / "fixtures" / "typed"), str(ROOT / "fixtures" / "scanned"), "--jobs", "2",
                    "--out", f"{tmp}/all")),
            ("typed: raw pdfplumber, finsam's worker GC", typed_pages, part("pdfplumber", "worker-gc")),
        ]
        warm = subprocess.run(part("typed-warm"), cwd=ROOT, check=True, capture_output=True, text=True)
        t_raw, t_fin = map(float, warm.stdout.split())
        scan_warm = subprocess.run(part("scan-warm"), cwd=ROOT, check=True, capture_output=True, text=True)
        t_scan_raw, t_scan_fin = map(float, scan_warm.stdout.split())
        alone = subprocess.run(part("tesseract-alone"), cwd=ROOT, check=True, capture_output=True, text=True)
        t_tess_raw, t_tess_fin = map(float, alone.stdout.split())
        results = []
        for what, pages, args in runs:
            seconds, peak = measure(args)
            results.append((what, pages, seconds, peak))
            print(f"benchmark: {what}: {seconds:.1f} s", file=sys.stderr, flush=True)
        paired_lines = [paired(runs[raw][2], runs[fin][2], pairs, workers)
                        for workers, raw, fin in ((1, 3, 5), (2, 4, 6)) if pairs]
    print(f"| {'what':46} | {'pages':>5} | {'seconds':>7} | {'pages/s':>7} | {'peak MB':>7} |")
    print(f"|{'-' * 48}|{'-' * 6}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|")
    for what, pages, seconds, peak in results:
        print(f"| {what:46} | {pages:5d} | {seconds:7.2f} | {pages / seconds:7.2f} | {peak:7.0f} |")
    for what, pages, seconds in (
            ("typed, warm, in one process: raw pdfplumber", typed_pages, t_raw),
            ("typed, warm, in one process: finsam", typed_pages, t_fin),
            ("scan, warm, in one process: raw Tesseract", scan_pages, t_scan_raw),
            ("scan, warm, in one process: finsam", scan_pages, t_scan_fin),
            ("scan, Tesseract alone: raw page, swe", scan_pages, t_tess_raw),
            (f"scan, Tesseract alone: finsam's page, {OCR_LANGUAGES}", scan_pages, t_tess_fin)):
        print(f"| {what:46} | {pages:5d} | {seconds:7.2f} | {pages / seconds:7.2f} | {'':>7} |")
    t = [seconds for _, _, seconds, _ in results]
    print()
    print(f"typed path: finsam / raw pdfplumber = {t_fin / t_raw:.2f}x the time warm in one process, "
          f"{t[1] / t[0]:.2f}x as whole commands (1 worker; finsam starts in about 2 s); "
          f"{t[1] / t[9]:.2f}x against raw pdfplumber under the same GC threshold")
    print(f"OCR path: finsam (1 worker) / raw Tesseract (1 process) = {t[5] / t[3]:.2f}x the time; "
          f"with 2: {t[6] / t[4]:.2f}x; warm in one process {t_scan_fin / t_scan_raw:.2f}x")
    print(f"  of which Tesseract alone, on finsam's page with its settings / on the raw page as raw = "
          f"{t_tess_fin / t_tess_raw:.2f}x the time")
    print(f"2 workers against 1: finsam OCR {t[5] / t[6]:.2f}x faster (raw Tesseract: {t[3] / t[4]:.2f}x), "
          f"finsam typed {t[1] / t[2]:.2f}x")
    print(f"cached re-run: {t[8]:.2f} s = {100 * t[8] / t[7]:.1f} % of the first run")
    print(f"entity rules over the five seed texts: {entity_rules():.3f} s")
    from extract import raster

    print("page turn: " + ("compiled (extract._turn)" if raster._turn is not None
                           else "Pillow's (extract._turn is not built: see the README)"))
    for line in paired_lines:
        print(line)


def copies_pairs(copies: int, pairs: int) -> None:
    """`--copies K --pairs N`: finsam's OCR path (2 workers) and raw Tesseract (2
    processes) in turn N times, on every scanned fixture K times over, as distinct files
    (a comment appended: other bytes, the same pages)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "scans")
        folder.mkdir()
        for path in SCANS:
            for k in range(1, copies + 1):
                (folder / f"{path.stem}.copy{k}.pdf").write_bytes(path.read_bytes() + f"\n% copy {k}\n".encode())
        print(f"{count_pages(sorted(folder.glob('*.pdf')))} pages: each scanned fixture {copies} times")
        print(paired(part("tesseract", "2", str(folder)),
                     finsam(str(folder), "--jobs", "2", "--out", f"{tmp}/out"), pairs, 2))


def paired(raw_args: list[str], finsam_args: list[str], pairs: int, workers: int) -> str:
    """Raw Tesseract and finsam's OCR path run in turn `pairs` times: the line with
    their median seconds, the ratio of the medians and each pair's ratio."""
    out = Path(finsam_args[finsam_args.index("--out") + 1])
    raw, fin = [], []
    for n in range(pairs):
        for run in ("raw", "finsam") if n % 2 == 0 else ("finsam", "raw"):  # in turn: a drift weighs on both
            if run == "raw":
                raw.append(measure(raw_args)[0])
            else:
                shutil.rmtree(out, ignore_errors=True)  # a first run each time, not a cached one
                fin.append(measure(finsam_args)[0])
        print(f"benchmark: pair {len(raw)} with {workers} worker(s): finsam {fin[-1]:.1f} s, "
              f"raw Tesseract {raw[-1]:.1f} s", file=sys.stderr, flush=True)
    each = ", ".join(f"{f / r:.2f}x" for f, r in zip(fin, raw))
    return (f"OCR path, {pairs} pairs in turn, {workers} worker(s) against {workers} process(es): finsam "
            f"{statistics.median(fin):.1f} s / raw Tesseract {statistics.median(raw):.1f} s (medians) = "
            f"{statistics.median(fin) / statistics.median(raw):.2f}x (each pair: {each})")


def entity_rules() -> float:
    """Seconds of the entity rules over the five seed texts, the pipeline built first."""
    from normalize.entities import pipeline, tag_many

    pipeline()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "source").glob("*.txt"))]
    tag_many(texts)
    start = time.perf_counter()
    tag_many(texts)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--part"]:
        if sys.argv[2] == "pdfplumber":
            raw_pdfplumber(sys.argv[3:] == ["worker-gc"])
        elif sys.argv[2] == "typed-warm":
            typed_paths_warm()
        elif sys.argv[2] == "scan-warm":
            scan_paths_warm()
        elif sys.argv[2] == "tesseract-alone":
            tesseract_alone()
        elif os.environ.get("BENCHMARK_WARM"):
            tesseract_page((SCANS[0], 0))
        else:
            raw_tesseract(int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None)
    elif sys.argv[1:2] == ["--pairs"] and len(sys.argv) == 3 and sys.argv[2].isdigit():
        main(int(sys.argv[2]))
    elif (sys.argv[1:2] == ["--copies"] and sys.argv[3:4] == ["--pairs"] and len(sys.argv) == 5
          and sys.argv[2].isdigit() and sys.argv[4].isdigit()):
        copies_pairs(int(sys.argv[2]), int(sys.argv[4]))
    elif len(sys.argv) == 1:
        main()
    else:
        raise SystemExit("usage: python scripts/benchmark.py [--pairs N] | --copies K --pairs N")
