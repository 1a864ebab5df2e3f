"""Error classes for bad input, each with the exit code the CLI returns when it is the
only file (in the spirit of OCRmyPDF's ExitCode), a short class name for documents.csv,
and a message a person can act on.

A failure is either a property of the file (the same bytes fail the same way, so the
result may be cached) or of the run's environment (a timeout, a missing Tesseract:
`environmental`, retried on the next run)."""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    ok = 0
    bad_args = 2
    input_not_pdf = 3
    input_empty = 4
    input_encrypted = 5
    input_damaged = 6
    input_too_large = 7   # more pages, or a larger image, than the configured limits
    timeout = 8           # the document was worked on longer than --doc-timeout
    missing_dependency = 9  # Tesseract or its Swedish or English data is not installed
    partial = 10  # some documents or pages failed, the rest was written
    other_error = 15


class FinsamInputError(Exception):
    """A file that cannot be read as a PDF; `exit_code` says which kind."""
    exit_code = ExitCode.other_error
    error_class = "internal"
    environmental = False


class NotAPdfError(FinsamInputError):
    exit_code = ExitCode.input_not_pdf
    error_class = "not_pdf"


class EmptyFileError(FinsamInputError):
    exit_code = ExitCode.input_empty
    error_class = "empty"


class EncryptedPdfError(FinsamInputError):
    exit_code = ExitCode.input_encrypted
    error_class = "encrypted"


class DamagedPdfError(FinsamInputError):
    exit_code = ExitCode.input_damaged
    error_class = "damaged"


class TooLargeError(FinsamInputError):
    """More pages than --max-pages, or an image or page larger than --max-image-pixels:
    found from the PDF's structure, before anything is rasterized."""
    exit_code = ExitCode.input_too_large
    error_class = "too_large"


class DocumentTimeoutError(FinsamInputError):
    exit_code = ExitCode.timeout
    error_class = "timeout"
    environmental = True


class MissingTesseractError(FinsamInputError):
    exit_code = ExitCode.missing_dependency
    error_class = "missing_tesseract"
    environmental = True


ERROR_CLASSES = ("not_pdf", "empty", "encrypted", "damaged", "too_large", "timeout",
                 "missing_tesseract", "missing_file", "internal")
