"""Page → words: read the text layer of each PDF page with pdfplumber.

Words come back in NFC with combining marks joined to their base letter: PDF text can
carry "a" + U+0308 (or a stray split "Tjä nst") where the page shows "ä". Bad files are
classified into the error classes of `extract.errors` before any page is read.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from extract.errors import (
    DamagedPdfError, EmptyFileError, EncryptedPdfError, NotAPdfError,
)
from models import Word

# pdfplumber word settings: a gap of more than 15 % of the font size ends a word.
WORD_GAP_RATIO = 0.15


def check_pdf_bytes(path: Path) -> list[str]:
    """Raise the matching input error when the file is plainly not a PDF.

    Returns warnings for a file that may still be partly readable (no end marker: a
    truncated download). Whether it is readable at all is for the parser to say.
    """
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(f"{path}: the file is empty (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise NotAPdfError(f"{path}: not a PDF (no %PDF header); is it another file type?")
    if b"%%EOF" not in tail:
        return [f"{path}: the PDF looks truncated (no end-of-file marker); copy it again"]
    return []


def join_marks(text: str) -> str:
    """Join combining marks to their letter and compose (NFC).

    A mark that the text layer puts before its base letter ("\u0308a") is moved after it,
    and a space between a letter and a mark is dropped, then NFC composes "a\u0308" → "ä".
    """
    chars = list(text)
    out: list[str] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if unicodedata.combining(c):
            if out and out[-1] == " ":
                out.pop()
            if out and not unicodedata.combining(out[-1]):
                out.append(c)
            elif i + 1 < len(chars):  # mark before its base letter: swap
                out.extend([chars[i + 1], c])
                i += 1
            else:
                out.append(c)
        else:
            out.append(c)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _page_words(page, number: int) -> list[Word]:
    raw = page.extract_words(
        x_tolerance_ratio=WORD_GAP_RATIO,
        y_tolerance=2,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["size", "fontname"],
    )
    words: list[Word] = []
    for w in raw:
        text = join_marks(w["text"])
        if not text.strip():
            continue
        if all(unicodedata.combining(c) for c in text) and words:
            # a lone mark extracted as its own word belongs to the word before it
            prev = words.pop()
            text = join_marks(prev.text + text)
            words.append(Word(text, prev.x0, max(prev.x1, w["x1"]), prev.top, prev.bottom,
                              number, prev.size, prev.bold))
            continue
        words.append(Word(
            text=text, x0=w["x0"], x1=w["x1"], top=w["top"], bottom=w["bottom"], page=number,
            size=float(w.get("size") or 10.0),
            bold="bold" in str(w.get("fontname", "")).lower(),
        ))
    return words


def open_pdf(path: Path):
    """Open a PDF with pdfplumber, translating parser failures into input errors.

    Returns the open PDF and the warnings about it (e.g. truncated but partly readable).
    """
    warnings = check_pdf_bytes(path)
    try:
        pdf = pdfplumber.open(path)
        if not pdf.pages:
            raise DamagedPdfError(f"{path}: the PDF has no readable pages (truncated or damaged)")
        return pdf, warnings
    except Exception as exc:
        raise _classify(path, exc) from exc


def _classify(path: Path, exc: Exception) -> Exception:
    """The input error for a parser exception (pdfplumber wraps pdfminer's in its own)."""
    cause = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args else exc
    if isinstance(cause, DamagedPdfError):
        return cause
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower() \
            or "encrypt" in type(cause).__name__.lower():
        return EncryptedPdfError(f"{path}: the PDF is encrypted with a password; save an unprotected copy")
    if isinstance(cause, (PDFSyntaxError, PSException)):
        return DamagedPdfError(f"{path}: the PDF is damaged and cannot be parsed ({type(cause).__name__})")
    return DamagedPdfError(f"{path}: the PDF cannot be parsed ({type(cause).__name__}: {cause})")


def iter_pages(pdf) -> Iterator[tuple[int, float, float, list[Word], bool]]:
    """Yield (page number, width, height, words, whether the page shows an image)."""
    for index, page in enumerate(pdf.pages, start=1):
        words = _page_words(page, index)
        yield index, float(page.width), float(page.height), words, bool(page.images)
        page.flush_cache()
