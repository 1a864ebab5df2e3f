"""The per-document work, as picklable tasks that run the same in a local worker process
and on a Dask worker: `start_document` reads the text layers (and, when no page needs OCR,
finishes the document at once), `extract.pages.ocr_page` reads one page anywhere, and
`finish_document` runs every stage after the pages are read. Each returns an `Outcome`
or a `Pending` and never raises for a bad file: the failure is the outcome.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import ExitCode, FinsamInputError
from extract.ocr import PAGE_TIMEOUT_S, tesseract_info
from extract.pages import OcrResult, OcrTask, finish_pages, scan_pages
from extract.pdf_words import DEFAULT_LIMITS, Limits
from models import DocumentResult, PageReading


@dataclass(frozen=True)
class Settings:
    """What a run asks of every document. `cache_tag` names the settings that change
    the dataset (not the timeouts: a timeout is never cached)."""
    ocr: bool = True
    limits: Limits = DEFAULT_LIMITS
    page_timeout: int = PAGE_TIMEOUT_S
    doc_timeout: float = 3600.0  # seconds a document may be worked on

    def cache_tag(self, tesseract: str) -> str:
        """The settings that change the dataset, with the version of the Tesseract that
        reads the scans (that of the workers: another version reads them differently)."""
        return (f"ocr={self.ocr};tesseract={tesseract if self.ocr else ''};"
                f"pages={self.limits.max_pages};pixels={self.limits.max_image_pixels}")


def tesseract_version() -> str:
    """The version of the Tesseract where this runs; empty when there is none."""
    try:
        return tesseract_info().version
    except FinsamInputError:
        return ""


@dataclass
class Outcome:
    """A finished document: its result, its exit code, and whether the same bytes would
    give the same result next time (failures of the environment are retried)."""
    result: DocumentResult
    exit_code: int
    cacheable: bool = True


@dataclass
class Pending:
    """A document whose text layers are read and whose pages in `todo` wait for OCR."""
    readings: list[PageReading]
    warnings: list[str]
    todo: list[OcrTask] = field(default_factory=list)


def failure(path: Path, source_file: str, doc_id: str, exc: BaseException) -> Outcome:
    """The outcome of a document that raised: its error class, message and exit code."""
    from pipeline import failed_document

    if isinstance(exc, FinsamInputError):
        result = failed_document(path, source_file, str(exc), exc.error_class, doc_id)
        return Outcome(result, exc.exit_code, not exc.environmental)
    if isinstance(exc, FileNotFoundError):
        result = failed_document(path, source_file, f"{source_file}: no such file", "missing_file", doc_id)
        return Outcome(result, ExitCode.bad_args, False)
    message = f"{source_file}: internal error ({type(exc).__name__}: {exc}); please report it"
    return Outcome(failed_document(path, source_file, message, "internal", doc_id), ExitCode.other_error, False)


def finished(result: DocumentResult) -> Outcome:
    """The outcome of a document that went through every stage; a page whose OCR failed
    (Tesseract crashed or timed out) makes it partial and not cached."""
    code = ExitCode.partial if result.status == "partial" else ExitCode.ok
    return Outcome(lean(result), code, cacheable=not any(r.error for r in result.readings))


def lean(result: DocumentResult) -> DocumentResult:
    """The result without its pages' words (counted first): they are some 95 % of its
    size and no output uses them, and the parent holds the results of a whole archive."""
    for reading in result.readings:
        reading.word_count, reading.words = len(reading.words), []
    return result


def start_document(path: str, source_file: str, doc_id: str, settings: Settings) -> Outcome | Pending:
    """Read the text layers; a document with nothing to OCR is finished here (one task
    for a typed PDF), the others come back as Pending with their pages to OCR."""
    try:
        readings, warnings, todo = scan_pages(Path(path), settings.ocr, settings.limits, settings.page_timeout)
        if todo:
            return Pending(readings, warnings, todo)
        return finish_document(path, source_file, doc_id, settings, Pending(readings, warnings), {})
    except Exception as exc:  # one broken document must not stop the batch
        return failure(Path(path), source_file, doc_id, exc)


def finish_document(path: str, source_file: str, doc_id: str, settings: Settings, pending: Pending,
                    ocr_results: dict[int, OcrResult]) -> Outcome:
    """Choose each OCR'd page's reading, repair letters, and run every later stage."""
    from pipeline import document_result

    try:
        finish_pages(pending.readings, ocr_results)
        return finished(document_result(Path(path), doc_id, source_file, pending.readings, pending.warnings,
                                        settings.ocr))
    except Exception as exc:
        return failure(Path(path), source_file, doc_id, exc)
