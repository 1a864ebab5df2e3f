"""The command line on a batch: bad files fail alone, with a clear error, and the CSVs
are complete and follow the output contract."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from extract.errors import ExitCode
from pipeline import main
from tests.conftest import BAD, ROOT, pdf_path

CONTRACT = {
    "documents.csv": ["document_id", "source_file", "federation_id", "federation_name", "org_nr",
                      "document_type", "period_year", "decided_on", "pages", "ocr_pages",
                      "status", "error"],
    "facts.csv": ["document_id", "federation_id", "table_id", "table_title", "page", "section",
                  "row_label", "category", "is_total", "year", "measure", "printed", "unit",
                  "value", "value_unit", "confidence", "source"],
    "contributions.csv": ["document_id", "federation_id", "year", "party_name", "party_type",
                          "amount_sek", "source"],
    "validation.csv": ["document_id", "table_id", "check", "subject", "expected", "found",
                       "status", "message"],
}

BAD_FILES = {
    "not_a_pdf.pdf": ("not a PDF", ExitCode.input_not_pdf, "not_pdf"),
    "empty.pdf": ("empty", ExitCode.input_empty, "empty"),
    "encrypted.pdf": ("encrypted", ExitCode.input_encrypted, "encrypted"),
    "truncated.pdf": ("truncated", ExitCode.input_damaged, "damaged"),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A folder with two good PDFs (one with å/ä/ö and spaces in its name) and the bad ones."""
    folder = tmp_path_factory.mktemp("archive")
    (folder / "sub dir").mkdir()
    shutil.copy(pdf_path("003_nedansiljan_vp2026", "word"), folder / "sub dir" / "Nedansiljan VP 2026 (slutlig).pdf")
    shutil.copy(pdf_path("004_ornskoldsvik_vp2026", "report"), folder / "Örnsköldsvik budget.pdf")
    for name in BAD_FILES:
        shutil.copy(BAD / name, folder / name)
    (folder / "notes.txt").write_text("not picked up: not a .pdf name")
    out = tmp_path_factory.mktemp("out")
    code = main(["extract", str(folder), "--out", str(out), "--quiet"])
    return folder, out, code


def test_batch_goes_on_past_bad_files(batch):
    folder, out, code = batch
    docs = pd.read_csv(out / "documents.csv")
    assert len(docs) == 6
    assert code == ExitCode.partial
    good = docs[docs.status == "ok"]
    assert sorted(good.federation_id) == ["nedansiljan", "ornskoldsvik"]
    facts = pd.read_csv(out / "facts.csv")
    assert set(facts.document_id) == set(good.document_id)


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_gets_failed_status_and_clear_error(batch, name):
    _, out, _ = batch
    docs = pd.read_csv(out / "documents.csv")
    row = docs[docs.source_file.str.endswith(name)].iloc[0]
    assert row.status == "failed"
    words, _, error_class = BAD_FILES[name]
    assert words in row.error and name in row.error and "\n" not in row.error
    assert row.error_class == error_class


@pytest.mark.parametrize("name", BAD_FILES)
def test_single_bad_file_exit_code(tmp_path, name):
    _, expected, _ = BAD_FILES[name]
    assert main(["extract", str(BAD / name), "--out", str(tmp_path), "--quiet"]) == expected
    assert (tmp_path / "documents.csv").exists()


def test_output_follows_contract(batch):
    _, out, _ = batch
    for name, columns in CONTRACT.items():
        df = pd.read_csv(out / name)
        assert set(columns) <= set(df.columns), name
    facts = pd.read_csv(out / "facts.csv", dtype=str)
    assert not facts.value.str.contains(r"[ ,]").any()  # dot decimals, no thousands separator
    assert not list(out.glob(".*.tmp"))                   # no half-written leftovers


def test_console_command_prints_progress_and_errors(tmp_path):
    """The command line of this tree (`python -m pipeline`, what `finsam` runs): one line
    per file, errors on stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(pdf_path("003_nedansiljan_vp2026", "report")), str(BAD / "empty.pdf"),
               "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == ExitCode.partial
    assert "finsam: error:" in proc.stderr and "empty.pdf" in proc.stderr
    assert "003_nedansiljan_vp2026.report.pdf" in proc.stderr
    assert "2 files: 1 ok" in proc.stderr
