"""Page → words: read the text layer of each PDF page with pdfplumber.

Words come back in NFC with combining marks joined to their base letter: PDF text can
carry "a" + U+0308 (or a stray split "Tjä nst") where the page shows "ä". Bad files are
classified into the error classes of `extract.errors` before any page is read.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSException

from extract.errors import (
    DamagedPdfError, EmptyFileError, EncryptedPdfError, NotAPdfError, TooLargeError,
)
from extract.raster import OCR_RESOLUTION
from models import Word

# pdfplumber word settings: a gap of more than 15 % of the font size ends a word.
WORD_GAP_RATIO = 0.15

# The invisible font Tesseract's PDF renderer (and so OCRmyPDF) writes its text layer in.
# It stretches each word together with a trailing space over the word's box, so
# pdfminer's box of the word alone is short by one character in n + 1 (a quarter of
# "952", half of "1"), and every gap looks wider than printed: digit groups fall apart.
OCR_LAYER_FONT = "GlyphLessFont"
# The confidence given to the words of an earlier OCR's text layer: under 100, OCR'd,
# so scan dust is cleaned from them as from finsam's own OCR (their own confidences are lost).
OCR_LAYER_CONFIDENCE = 99.0


@dataclass(frozen=True)
class Limits:
    """What finsam refuses to read, checked from the PDF's structure before any page is
    rasterized: an archive's plans and reports have tens of pages, so a file of
    thousands is a mistake (a merged scan of a whole binder), and an image of hundreds
    of megapixels would take gigabytes to decode. An A4 page at 300 dpi is 8.7 Mpx."""
    max_pages: int = 1000
    max_image_pixels: int = 150_000_000  # per embedded image, and per page at OCR resolution


DEFAULT_LIMITS = Limits()


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
    # Sizes to a hundredth of a point: a word set on a slant (a crooked scan's OCR layer)
    # has each letter's size computed from its own matrix, equal but for the last bits
    # of a float, and a change of size would end the word at every letter ("A rb e ts")
    chars = [c if c["size"] == round(c["size"], 2) else dict(c, size=round(c["size"], 2)) for c in page.chars]
    raw = pdfplumber.utils.extract_words(
        chars,
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
        size = float(w.get("size") or 10.0)
        x1, confidence = w["x1"], 100.0
        if OCR_LAYER_FONT in str(w.get("fontname", "")):
            n = len(w["text"])
            x1, confidence = w["x0"] + (w["x1"] - w["x0"]) * (n + 1) / n, OCR_LAYER_CONFIDENCE
        words.append(Word(
            text=text, x0=w["x0"], x1=x1, top=w["top"], bottom=w["bottom"], page=number,
            size=size, bold="bold" in str(w.get("fontname", "")).lower(), confidence=confidence,
        ))
    return words


SCAN_COVER = 0.8  # of a page's area an image covers when the page is a scan


def _scanned(page) -> bool:
    """Do images cover most of the page (a scan, whatever text lies over it)? Some
    scanners store a page as strips or tiles, so their areas are added up."""
    area = float(page.width) * float(page.height)
    covered = sum(max(min(i["x1"], page.width) - max(i["x0"], 0), 0) * max(min(i["bottom"], page.height) - max(i["top"], 0), 0)
                  for i in page.images)
    return bool(area) and covered >= SCAN_COVER * area


def open_pdf(path: Path, limits: Limits = DEFAULT_LIMITS):
    """Open a PDF with pdfplumber, translating parser failures into input errors, and
    refuse one with more pages than `limits` allow.

    Returns the open PDF and the warnings about it (e.g. truncated but partly readable).
    """
    warnings = check_pdf_bytes(path)
    try:
        pdf = pdfplumber.open(path)
        count = _declared_page_count(pdf)
        if count > limits.max_pages:
            pdf.close()
            raise TooLargeError(f"{path}: too large: {count} pages, more than the limit of "
                                f"{limits.max_pages} (--max-pages); split the file or raise the limit")
        if not pdf.pages:
            raise DamagedPdfError(f"{path}: the PDF has no readable pages (truncated or damaged)")
        return pdf, warnings
    except TooLargeError:
        raise
    except Exception as exc:
        raise _classify(path, exc) from exc


def _declared_page_count(pdf) -> int:
    """The page count the PDF's page tree declares (no page is parsed for it); 0 when
    the tree does not say, and the pages themselves are counted later."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
        return int(count) if isinstance(count, int) else 0
    except Exception:  # a damaged tree: left to the parser to classify
        return 0


def check_page_size(page, number: int, path: Path, limits: Limits) -> None:
    """Refuse a page whose raster at OCR resolution, or any image it embeds (by the size
    its stream declares: nothing is decoded), has more pixels than the limit."""
    scale = OCR_RESOLUTION / 72
    sizes = [(float(page.width) * scale, float(page.height) * scale, "the page at OCR resolution")]
    sizes += [(*image["srcsize"], "an image") for image in page.images if image.get("srcsize")]
    for width, height, what in sizes:
        if width * height > limits.max_image_pixels:
            raise TooLargeError(
                f"{path}: too large: page {number} has {what} of {int(width)} × {int(height)} px, "
                f"more than the limit of {limits.max_image_pixels:,} px (--max-image-pixels)")


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


def iter_pages(pdf, path: Path, limits: Limits = DEFAULT_LIMITS
               ) -> Iterator[tuple[int, float, float, list[Word], bool, bool]]:
    """Yield (page number, width, height, words, whether the page shows an image, whether
    it is a scan: an image covers it); a page over the size limits raises TooLargeError
    before anything is rasterized."""
    for index, page in enumerate(pdf.pages, start=1):
        check_page_size(page, index, path, limits)
        words = _page_words(page, index)
        yield index, float(page.width), float(page.height), words, bool(page.images), _scanned(page)
        page.flush_cache()
