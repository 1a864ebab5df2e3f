"""Shared fixtures: the typed fixture PDFs, extracted once per test session."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import extract_document

ROOT = Path(__file__).resolve().parent.parent
TYPED = ROOT / "fixtures" / "typed"
BAD = ROOT / "fixtures" / "bad"
SCANNED = ROOT / "fixtures" / "scanned"
KEYS = (
    "000_vvnd_vp2026",
    "001_ostra_varmland_vp2025",
    "002_vvnd_ar2025",
    "003_nedansiljan_vp2026",
    "004_ornskoldsvik_vp2026",
)
# word and report are two producers; mirror is the report layout with another office's
# conventions: columns in the other order, negatives in parentheses, U+202F digit groups
PRODUCERS = ("word", "report", "mirror")
TYPED_PDFS = [(k, p) for k in KEYS for p in PRODUCERS]


def pdf_path(key: str, producer: str) -> Path:
    return TYPED / f"{key}.{producer}.pdf"


@pytest.fixture(scope="session")
def extracted():
    """Extract a fixture once: extracted(key, producer) → DocumentResult."""
    cache = {}

    def get(key: str, producer: str):
        if (key, producer) not in cache:
            path = pdf_path(key, producer)
            cache[(key, producer)] = extract_document(path, str(path))
        return cache[(key, producer)]

    return get


@pytest.fixture(scope="session")
def scanned():
    """Extract a scanned fixture once, with two worker processes as on CI:
    scanned("003_nedansiljan_vp2026.scan") → DocumentResult."""
    cache = {}

    def get(name: str):
        if name not in cache:
            path = SCANNED / f"{name}.pdf"
            cache[name] = extract_document(path, str(path), jobs=2)
        return cache[name]

    return get


# the documents of the analysts' tests: plans and annual reports of all five federations,
# one annual report twice (two producers: the same figures must not be counted twice)
PUBLISHED = [("000_vvnd_vp2026", "word"), ("001_ostra_varmland_vp2025", "report"), ("002_vvnd_ar2025", "word"),
             ("002_vvnd_ar2025", "report"), ("003_nedansiljan_vp2026", "report"), ("004_ornskoldsvik_vp2026", "word")]


@pytest.fixture(scope="session")
def published(extracted, tmp_path_factory):
    """A run's output directory (all formats, --excel too) for the PUBLISHED documents."""
    from pipeline import write_dataset
    out = tmp_path_factory.mktemp("published")
    write_dataset([extracted(k, p) for k, p in PUBLISHED], out, excel=True)
    return out


@pytest.fixture(scope="session")
def one_page_scan(tmp_path_factory):
    """The 003 scan's first page alone: the doubles need not be called many times."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(SCANNED / "003_nedansiljan_vp2026.scan.pdf").pages[0])
    path = tmp_path_factory.mktemp("scan") / "one page scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def facts_frame(result) -> pd.DataFrame:
    return pd.DataFrame([f.__dict__ for f in result.facts])


# Gold scores collected by the end-to-end tests, printed after the run so that every CI
# log shows recall, precision and category accuracy per fixture.
SCORES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SCORES:
        terminalreporter.section("gold scores per fixture")
        for line in SCORES:
            terminalreporter.write_line(line)
