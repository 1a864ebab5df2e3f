"""finsam's command line and the I/O around the pure stages.

    finsam extract INPUT... --out DIR     the dataset from PDFs
    finsam query DIR "SQL"                ask a run's finsam.duckdb
    finsam report DIR --out report.html   the comparison report, in Swedish
    finsam text FILE.pdf                  the text as finsam reads it

`extract` reads PDFs (files and folders, recursively), runs every stage for each document
(page → words → lines → tables → facts → checks → figures), and writes the dataset into
DIR: CSVs, finsam.duckdb with the analysts' views, Parquet, datapackage.json (publish/).
A file that cannot be read gets status `failed` with a one-line reason and the batch goes
on; every output file is written to a temporary name and renamed into place, so none is
ever half-written. Finished documents are cached in DIR/.cache and the work runs on local
worker processes or a Dask cluster: see run/batch.py (scheduling), run/cache.py and
run/executors.py.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import sys
from pathlib import Path
from typing import Iterable, Sequence

from extract.errors import ExitCode, FinsamInputError
from extract.lines import group_lines, strip_running_lines, without_scan_dust
from extract.pages import default_jobs, ocr_layer_pages_again, read_pages, reread_cells
from extract.pdf_words import DEFAULT_LIMITS, Limits
from extract.tables import cell_box, find_blocks, holds_ink
from models import DocumentMeta, DocumentResult, PageReading, TaggedSpan
from normalize.contributions import (
    contributions_from_facts, contributions_from_text, merge_contributions, party_type,
)
from normalize.text import join_wrapped
from normalize.facts import REREAD_BLANK, document_facts, stated_totals
from normalize.metadata import document_title, extract_metadata, registry
from normalize.validation import CONFIRMED_CONFIDENCE, FAILED_CHECK_CONFIDENCE, cells_in_doubt, validate

# pandas, DuckDB and the publish stage are imported where outputs are built: a run whose
# every file comes from the cache and whose outputs are current never needs them, and
# importing them is most of such a run's time.
REPORT_INPUTS = ("federation_year", "budget_vs_outcome", "data_quality", "figures", "contributions", "documents")


def document_id(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def extract_document(path: Path, source_file: str, jobs: int = 1, ocr: bool = True,
                     limits: Limits = DEFAULT_LIMITS) -> DocumentResult:
    """Run every stage on one PDF. Input errors are raised; the caller records them."""
    readings, warnings = read_pages(path, jobs=jobs, ocr=ocr, limits=limits)
    return document_result(path, document_id(path), source_file, readings, warnings, ocr, jobs)


def document_result(path: Path, doc_id: str, source_file: str, readings: list[PageReading],
                    warnings: list[str], ocr: bool, jobs: int = 1) -> DocumentResult:
    """Every stage after the pages are read: lines, tables, facts, checks (with second
    readings of doubtful OCR'd cells from the scan at `path`), entities. Pages of an
    earlier OCR's layer whose tables do not add up are OCR'd by finsam, and the reading
    that leaves fewer checks failing is kept."""
    tables, texts, meta, facts, checks = _facts_and_checks(path, doc_id, readings, ocr, jobs)
    failing = {c.table_id for c in checks if c.status == "fail"}
    doubted_layer = sorted({page for t in tables if t.table_id in failing for page in t.pages}
                           & {r.number for r in readings if r.decision == "ocr_layer"})
    if ocr and doubted_layer:
        again = ocr_layer_pages_again(path, readings, doubted_layer, jobs)
        alternative = _facts_and_checks(path, doc_id, again, ocr, jobs)
        if sum(c.status == "fail" for c in alternative[4]) < sum(c.status == "fail" for c in checks):
            readings = again
            tables, texts, meta, facts, checks = alternative
    failed = {(c.table_id, c.subject, c.year, c.measure) for c in checks if c.status == "fail"}
    for fact in facts:
        if (fact.table_id, fact.row_label, fact.year, fact.measure) in failed:
            fact.confidence = min(fact.confidence, FAILED_CHECK_CONFIDENCE)
    entities, contributions = tag_document(doc_id, meta, texts, tables)
    result = DocumentResult(
        document_id=doc_id, source_file=source_file, meta=meta, pages=len(readings),
        ocr_pages=sum(r.source == "ocr" for r in readings),
        facts=facts, checks=checks, readings=readings, entities=entities,
        contributions=merge_contributions(contributions_from_facts(facts), contributions),
    )
    problems = list(warnings) + [f"{source_file}: {r.error}" for r in readings if r.error]
    unread = [r.number for r in readings if not r.words]
    if unread and not ocr:
        problems.append(f"{source_file}: pages {unread} have no text layer and OCR is off")
    elif len(unread) == len(readings):
        problems.append(f"{source_file}: no page gave any text")
    if problems:
        result.status, result.error = "partial", "; ".join(problems)
    return result


def _facts_and_checks(path: Path, doc_id: str, readings: list[PageReading], ocr: bool, jobs: int):
    """Lines, tables, metadata, facts and checks of the pages as read (with second
    readings of doubtful OCR'd cells from the scan at `path`)."""
    page_lines = strip_running_lines(
        [group_lines(r.words) if r.words else [] for r in readings], [r.height for r in readings])
    tables, texts = find_blocks(page_lines, [r.width for r in readings])
    meta = extract_metadata(texts)
    title = document_title(texts)
    sources = {r.number: r.source for r in readings}
    suspect = frozenset(r.number for r in readings if r.decision != "text_good")
    facts = document_facts(tables, meta, doc_id, title, sources, suspect)
    stated = stated_totals(tables, facts)  # checked against, and their columns read again where they fail
    checks = validate(facts + stated)
    rereads = reread_doubtful_cells(path, readings, tables, facts + stated, checks, jobs) if ocr else {}
    if rereads:
        facts, checks = facts_with_rereads(tables, rereads, lambda r: document_facts(
            tables, meta, doc_id, title, sources, suspect, r))
    return tables, texts, meta, facts, checks


def reread_doubtful_cells(path: Path, readings, tables, facts, checks, jobs: int) -> dict:
    """Read again from the scan the table cells that OCR could not read as a number, those
    a failing check puts in doubt, the blank cells of a column that does not add up, and
    blank cells with ink in them: (table id, row, column) → the new reading."""
    ink = {r.number: r.unread_ink for r in readings if r.source == "ocr"}  # the OCR'd pages
    doubted, columns = cells_in_doubt(facts, checks)
    by_table = {t.table_id: t for t in tables}
    # a row with a cell OCR could not read may have lost another: its blank cells too; and
    # a blank cell of a column that does not add up, or with ink in it (Tesseract dropped
    # what is printed there: a lone "0")
    wanted = doubted | {(t.table_id, i, column) for t in tables for i, row in enumerate(t.rows) if row.page in ink
                        for column in range(len(t.columns))
                        if (row.unread and column not in row.cells) or (column not in row.boxes and (
                            (t.table_id, column) in columns or holds_ink(cell_box(t, i, column), ink[row.page])))}
    requests: dict[int, list] = {}
    keys: dict[int, list] = {}
    for table_id, i, column in sorted(wanted):
        box = cell_box(by_table[table_id], i, column)
        page = by_table[table_id].rows[i].page
        if box is not None and page in ink:
            requests.setdefault(page, []).append(box)
            keys.setdefault(page, []).append((table_id, i, column))
    texts = reread_cells(path, readings, requests, jobs) if requests else {}
    return {key: without_scan_dust(text) for page, found in texts.items()
            for key, text in zip(keys[page], found) if text}


def facts_with_rereads(tables, rereads: dict, build) -> tuple[list, list]:
    """Facts and checks again with the cells read a second time (`build(rereads)` makes
    the facts). A number found only on the second reading where OCR had read nothing is
    kept only where a sum confirms it; then the facts are built afresh without the others,
    since validate() takes the repairs it confirms into the facts it is given."""
    facts = build(rereads)
    checks = checked(tables, facts)
    unconfirmed = {(f.table_id, f.row_index, f.column_index) for f in facts
                   if f.reading.endswith(REREAD_BLANK) and f.confidence < CONFIRMED_CONFIDENCE}
    if unconfirmed:
        facts = build({k: v for k, v in rereads.items() if k not in unconfirmed})
        checks = checked(tables, facts)
    return facts, checks


def checked(tables, facts: list) -> list:
    """The checks of a document's facts, a list of contributions checked also against
    the total a sentence above it states (`stated_totals`, which are no facts of it)."""
    return validate(facts + stated_totals(tables, facts))


def tag_document(doc_id: str, meta: DocumentMeta, texts, tables) -> tuple[list[TaggedSpan], list]:
    """Run the entity rules over each page's running text and every table row label;
    returns the tagged spans and the member contributions stated in sentences."""
    from normalize.entities import tag_many  # spaCy takes a second to import: a cached run needs none

    page_text: dict[int, str] = {}
    for block in texts:
        page_text[block.page] = join_wrapped(page_text.get(block.page, ""), block.text)
    labels = [(row.page, row.label) for table in tables for row in table.rows]
    pages = sorted(page_text)
    tagged = tag_many([page_text[p] for p in pages] + [label for _, label in labels])
    spans_by_page = dict(zip(pages, tagged[:len(pages)]))
    entities = [TaggedSpan(doc_id, page, e.label, e.text, e.normalized)
                for page, spans in list(spans_by_page.items()) + list(zip((p for p, _ in labels), tagged[len(pages):]))
                for e in spans]
    measure = "outcome" if meta.document_type in ("arsredovisning", "delarsrapport") else "budget"
    stated = contributions_from_text(spans_by_page, page_text, doc_id, meta.federation_id, meta.period_year, measure)
    return entities, stated


def failed_document(path: Path, source_file: str, error: str, error_class: str = "internal",
                    doc_id: str = "") -> DocumentResult:
    if not doc_id:
        try:
            doc_id = document_id(path)
        except OSError:
            doc_id = hashlib.sha256(source_file.encode()).hexdigest()[:16]
    return DocumentResult(document_id=doc_id, source_file=source_file, meta=DocumentMeta(),
                          status="failed", error=error, error_class=error_class)


def collect_inputs(inputs: Sequence[str]) -> list[tuple[Path, str]]:
    """Files as given, and the PDFs below each folder (recursively, links not followed)."""
    found: list[tuple[Path, str]] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(".pdf"):
                        found.append((Path(root) / name, os.path.join(root, name)))
        else:
            found.append((path, given))
    return found


def _rows(items: Iterable) -> list[dict]:
    # shallow: asdict() deep-copies every record, a tenth of a cached re-run's time
    return [dict(vars(i)) for i in items]


def federation_members(results: list[DocumentResult]) -> list[dict]:
    """Members of each federation in the run: the registry's, and parties that documents
    show paying a contribution (a federation the registry does not know has only those)."""
    rows: dict[tuple[str, str], dict] = {}
    known = {f.federation_id: f for f in registry()}
    for r in results:
        fid = r.meta.federation_id
        if not fid:
            continue
        for party in known[fid].members if fid in known else ():
            rows.setdefault((fid, party), {"federation_id": fid, "party_name": party,
                                           "party_type": party_type(party), "source": "registry"})
        for c in r.contributions:
            if c.party_type in ("state", "region", "municipality") and "/" not in c.party_name \
                    and c.party_name != "Staten":
                rows.setdefault((fid, c.party_name), {"federation_id": fid, "party_name": c.party_name,
                                                      "party_type": c.party_type, "source": "document"})
    return sorted(rows.values(), key=lambda row: (row["federation_id"], row["party_name"]))


def load_writer() -> None:
    """Import what writes the dataset (pandas, DuckDB, the field dictionary): a third of
    a second, which a run spends where it costs its workers nothing (`run_documents`'
    `when_idle`) rather than after the last of them."""
    import models.fields  # noqa: F401
    import publish.store  # noqa: F401


def write_dataset(results: list[DocumentResult], out: Path, excel: bool = False) -> list[str]:
    """Every output of a run from its documents' results; returns the files written."""
    # the dataset is a function of the input set, not of the order documents finished in
    results = sorted(results, key=lambda r: r.source_file)
    # a file with the same bytes as another (a copy in another folder) is one document:
    # a row of its own in documents, its facts and the rest once, under the first name
    first: dict[str, str] = {}  # document_id → the first file with its bytes
    copy_of: dict[str, str | None] = {}
    for r in results:
        original = first.setdefault(r.document_id or r.source_file, r.source_file)  # a file never read: itself
        copy_of[r.source_file] = original if original != r.source_file else None
    documents = []
    for r in results:
        row = dataclasses.asdict(r.meta)
        row.update(document_id=r.document_id, source_file=r.source_file, pages=r.pages,
                   ocr_pages=r.ocr_pages, status=r.status, error=r.error,
                   error_class=r.error_class or None, facts=len(r.facts),
                   checks_failed=sum(c.status == "fail" for c in r.checks),
                   decided_on=r.meta.decided_on or None, org_nr=r.meta.org_nr or None,
                   same_bytes_as=copy_of[r.source_file])
        documents.append(row)
    results = [r for r in results if copy_of[r.source_file] is None]
    tables = {
        "documents": documents,
        "facts": [d for r in results for d in _rows(r.facts)],
        "contributions": [d for r in results for d in _rows(r.contributions)],
        "entities": [d for r in results for d in _rows(r.entities)],
        "members": federation_members(results),
        "validation": [d for r in results for d in _rows(r.checks)],
        "pages": [{"document_id": r.document_id, "page": p.number, "source": p.source,
                   "decision": p.decision, "text_quality": p.text_quality, "ocr_quality": p.ocr_quality,
                   "skew_degrees": p.skew_degrees, "turned_degrees": p.turned_degrees,
                   "letters_repaired": p.letters_repaired,
                   "words": len(p.words) or p.word_count, "error": p.error or None}
                  for r in results for p in r.readings],
    }
    from models.fields import frame
    from publish.store import write_outputs

    frames = {name: frame(name, rows) for name, rows in tables.items()}  # validate all first
    return write_outputs(frames, out, excel)


def run_extract(inputs: Sequence[str], out: Path, quiet: bool = False, jobs: int = 1,
                ocr: bool = True, excel: bool = False, executor: str = "local", scheduler: str | None = None,
                limits: Limits = DEFAULT_LIMITS, page_timeout: int | None = None,
                doc_timeout: float | None = None) -> int:
    """The `extract` command: every input file through the cache and the executor
    (run/batch.py), then the dataset rebuilt from the current input set."""
    from run.batch import import_archive
    from run.work import Settings

    files = collect_inputs(inputs)
    if not files:
        print("finsam: no PDF files found in the given inputs", file=sys.stderr)
        return ExitCode.bad_args
    settings = Settings(ocr=ocr, limits=limits)
    settings = dataclasses.replace(
        settings, page_timeout=page_timeout or settings.page_timeout, doc_timeout=doc_timeout or settings.doc_timeout)
    try:
        return import_archive(files, out, settings, jobs, executor, scheduler, quiet, excel)
    except ValueError as exc:  # an executor that cannot be set up as asked
        print(f"finsam: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args


def run_text(path: Path, jobs: int, ocr: bool) -> int:
    """Print a PDF's text as finsam reads it, page by page (cells separated by tabs)."""
    try:
        readings, warnings = read_pages(path, jobs=jobs, ocr=ocr)
    except FinsamInputError as exc:
        print(f"finsam: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for warning in warnings:
        print(f"finsam: warning: {warning}", file=sys.stderr)
    for r in readings:
        how = f"{r.source}, {r.decision}"
        if r.source == "ocr":
            how += f", turned {r.turned_degrees}° clockwise" if r.turned_degrees else ""
            how += f", deskewed {r.skew_degrees:+.1f}°" if r.skew_degrees else ""
        if r.letters_repaired:
            how += f", {r.letters_repaired} words' å/ä/ö repaired"
        print(f"=== page {r.number} ({how}) ===")
        for line in group_lines(r.words) if r.words else []:
            print("\t".join(segment.text for segment in line.segments))
    return ExitCode.ok


def _readable(df) -> str:
    """A query result as a plain-text table: whole numbers without ".0", no scientific notation."""
    import pandas as pd

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:.6g}"
        return str(value)
    return df.map(cell).to_string(index=False) if len(df) else "(no rows)"


def run_query(out: Path, sql: str, as_csv: bool) -> int:
    import duckdb

    from publish.store import query

    try:
        result = query(out, sql)
    except FileNotFoundError as exc:
        print(f"finsam: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args
    except duckdb.Error as exc:
        print(f"finsam: error: the query failed: {str(exc).splitlines()[0]}", file=sys.stderr)
        return ExitCode.bad_args
    if as_csv:
        result.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(_readable(result))
    return ExitCode.ok


def run_report(out: Path, target: Path) -> int:
    from publish.files import atomic_file
    from publish.report import render_report
    from publish.store import read_frames

    try:
        frames = read_frames(out, REPORT_INPUTS)
    except FileNotFoundError as exc:
        print(f"finsam: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args
    with atomic_file(target) as tmp:
        tmp.write_text(render_report(frames), encoding="utf-8")
    print(f"finsam: report written to {target}", file=sys.stderr)
    return ExitCode.ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="finsam", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract the dataset from PDFs")
    extract.add_argument("inputs", nargs="+", help="PDF files or folders (searched recursively)")
    extract.add_argument("--out", required=True, type=Path, help="output directory")
    extract.add_argument("--quiet", action="store_true", help="print only errors")
    extract.add_argument("--excel", action="store_true",
                         help="also write excel/*.csv for Excel set to Swedish (BOM, ';', decimal comma)")
    text = commands.add_parser("text", help="print a PDF's text as finsam reads it (after OCR and repair)")
    text.add_argument("file", type=Path)
    for command in (extract, text):
        command.add_argument("--jobs", type=int, default=default_jobs(),
                             help="worker processes for documents and OCR pages (default: the machine's cores)")
        command.add_argument("--no-ocr", dest="ocr", action="store_false",
                             help="read text layers only; never run Tesseract")
    extract.add_argument("--executor", choices=("local", "dask"), default="local",
                         help="where documents are extracted: local worker processes (default) or a Dask cluster")
    extract.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="the Dask scheduler (with --executor dask)")
    extract.add_argument("--max-pages", type=int, default=DEFAULT_LIMITS.max_pages,
                         help="refuse a PDF with more pages (status failed, too_large; default %(default)s)")
    extract.add_argument("--max-image-pixels", type=int, default=DEFAULT_LIMITS.max_image_pixels,
                         help="refuse a page or image with more pixels, before rasterizing (default %(default)s)")
    extract.add_argument("--page-timeout", type=int, default=None,
                         help="seconds of Tesseract per page (default: FINSAM_OCR_TIMEOUT or 120)")
    extract.add_argument("--doc-timeout", type=float, default=None,
                         help="seconds a document may be worked on before it fails as timed out; "
                              "time waiting for a worker does not count (default 3600)")
    ask = commands.add_parser("query", help="ask a run's finsam.duckdb a question in SQL")
    ask.add_argument("dir", type=Path, help="the --out directory of `finsam extract`")
    ask.add_argument("sql", help='e.g. "SELECT * FROM federation_year"')
    ask.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    report = commands.add_parser("report", help="write the comparison report (HTML, in Swedish)")
    report.add_argument("dir", type=Path, help="the --out directory of `finsam extract`")
    report.add_argument("--out", dest="target", type=Path, default=Path("report.html"),
                        help="the HTML file to write (default: report.html)")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return run_extract(args.inputs, args.out, args.quiet, args.jobs, args.ocr, args.excel, args.executor,
                           args.scheduler, Limits(args.max_pages, args.max_image_pixels),
                           args.page_timeout, args.doc_timeout)
    if args.command == "text":
        return run_text(args.file, args.jobs, args.ocr)
    if args.command == "query":
        return run_query(args.dir, args.sql, args.csv)
    if args.command == "report":
        return run_report(args.dir, args.target)
    return ExitCode.bad_args


if __name__ == "__main__":
    sys.exit(main())
