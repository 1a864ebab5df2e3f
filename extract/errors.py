"""Error classes for bad input, each with the exit code the CLI returns when it is the
only file (in the spirit of OCRmyPDF's ExitCode), and a message a person can act on."""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    ok = 0
    bad_args = 2
    input_not_pdf = 3
    input_empty = 4
    input_encrypted = 5
    input_damaged = 6
    partial = 10  # some documents or pages failed, the rest was written
    other_error = 15


class FinsamInputError(Exception):
    """A file that cannot be read as a PDF; `exit_code` says which kind."""
    exit_code = ExitCode.other_error


class NotAPdfError(FinsamInputError):
    exit_code = ExitCode.input_not_pdf


class EmptyFileError(FinsamInputError):
    exit_code = ExitCode.input_empty


class EncryptedPdfError(FinsamInputError):
    exit_code = ExitCode.input_encrypted


class DamagedPdfError(FinsamInputError):
    exit_code = ExitCode.input_damaged
