"""What the OCR path misses on the scanned fixtures: per file, the gold facts not found
and the extracted facts not in gold (scored as tests/test_ocr.py scores them), with the
page line each came from, and the checks that failed or corrected a number.

    python scripts/diagnose_ocr.py [NAME ...] [--cache DIR] [--languages LANGS] [--summary]

NAME is a scanned fixture's stem ("002_vvnd_ar2025.scan"); all of them when none is
given. `--cache DIR` keeps Tesseract's answers on disk keyed by image and settings, so
that work on table, label and check logic can be repeated in seconds (a development aid:
finsam itself never caches OCR). `--languages swe` reads the scans with other Tesseract
languages than finsam's: another OCR reading of the same pages, which shows how far the
facts move when single words come out differently (as they will from other scanners);
`--summary` prints only each file's recall and precision.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCANNED = ROOT / "fixtures" / "scanned"


def install_cache(directory: Path) -> None:
    """Wrap finsam's Tesseract call (`extract.ocr._image_to_data`) with a disk cache,
    inherited by forked workers."""
    import extract.ocr

    directory.mkdir(parents=True, exist_ok=True)
    real = extract.ocr._image_to_data

    def cached(image, languages, config, page_number, timeout):
        key = hashlib.sha256(image.tobytes() + repr((image.size, image.mode, languages, config)).encode()).hexdigest()
        path = directory / f"{key}.pkl"
        if path.exists():
            return pickle.loads(path.read_bytes())
        data = real(image, languages, config, page_number, timeout)
        path.write_bytes(pickle.dumps(data))
        return data

    extract.ocr._image_to_data = cached


def diagnose(name: str) -> tuple[float, float]:
    from pipeline import extract_document
    from tests.conftest import facts_frame
    from tests.scoring import load_gold, score

    path = SCANNED / f"{name}.pdf"
    result = extract_document(path, str(path), jobs=2)
    facts = facts_frame(result)
    s = score(facts, load_gold(name.split(".")[0]), 0.85)
    print(f"== {s.summary(name)}")
    for label, year, measure, value in s.missing:
        print(f"  missing  {label!r} {year} {measure} {value}")
    for label, year, measure, value in s.extra:
        rows = facts[(facts.value.round(2) == value) & (facts.year.fillna(-1).astype(int) == (year or -1))]
        printed = ", ".join(f"p{r.page} {r.printed!r}" for r in rows.itertuples())
        print(f"  extra    {label!r} {year} {measure} {value}   [{printed}]")
    for c in result.checks:
        if c.status != "pass":
            print(f"  check    {c.status} {c.subject!r} {c.year} {c.measure}: {c.message}")
    return s.recall, s.precision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--languages", help="Tesseract languages instead of finsam's (e.g. swe)")
    parser.add_argument("--summary", action="store_true", help="only recall and precision per file")
    args = parser.parse_args()
    if args.cache:
        install_cache(args.cache)
    if args.languages:
        import extract.ocr
        import extract.pages

        extract.ocr.OCR_LANGUAGES = extract.pages.OCR_LANGUAGES = args.languages
    names = args.names or sorted(p.stem for p in SCANNED.glob("*.pdf"))
    for name in names:
        if args.summary:
            with contextlib.redirect_stdout(io.StringIO()):
                recall, precision = diagnose(name)
            print(f"{name:40} recall {recall:6.1%}  precision {precision:6.1%}")
        else:
            diagnose(name)


if __name__ == "__main__":
    main()
