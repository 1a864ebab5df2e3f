"""PDF → page readings: for each page, decide how to read it and record the decision.

- A page with a good text layer is read as it is.
- A page with no text layer (a scan) is rasterized, deskewed, cut to its content and OCR'd
  with Swedish.
- A page whose text layer is poor (an old English-only OCR that lost å/ä/ö, junk) is OCR'd
  again with Swedish, and the better of the two readings is kept.
- A good text layer an earlier OCR laid over a scan (OCRmyPDF, `tesseract … pdf`) is read
  as it is, its words levelled and taken as OCR'd words (`ocr_layer_words`).
Words of OCR'd pages and of poor text layers then go through the å/ä/ö repair, which keeps
numbers as they are. OCR runs page by page in worker processes (Tesseract itself on one
thread each), so a long scan uses every core.

The three steps are separate functions so that a batch scheduler can spread the pages of
many documents over one pool of workers: `scan_pages` (text layers and decisions),
`ocr_page` (one page, anywhere), `finish_pages` (the better reading, the repair);
`read_pages` runs them for one file.
"""
from __future__ import annotations

import math
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from extract.ocr import OCR_LANGUAGES, PAGE_TIMEOUT_S, ocr_words, page_orientation, tesseract_info
from extract.pdf_words import DEFAULT_LIMITS, OCR_LAYER_CONFIDENCE, Limits, iter_pages, open_pdf
from extract.raster import MIN_SKEW, ink_outside, is_sideways, page_for_ocr, rasterize, upright, words_skew
from extract.text_quality import Quality, measure
from models import PageReading, Word


CLEARLY_MORE_COMMON = 1.5  # Zipf units (30 times as frequent)
# A word, possibly with digits an OCR read for letters inside it ("kompetensh6jande")
LETTER_WORD = re.compile(r"[^\W\d_]+(?:\d[^\W\d_]+)*")
OCR_MARGIN = 0.02  # how much better (quality score) OCR must read a page to replace its text


@dataclass
class OcrResult:
    words: list[Word]
    skew: float
    error: str = ""
    turned: int = 0  # degrees clockwise the page was turned upright first
    unread_ink: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class OcrTask:
    """One page to OCR: all a worker needs, picklable (the worker opens the PDF itself)."""
    path: str
    number: int
    width: float
    height: float
    timeout: int = PAGE_TIMEOUT_S


def ocr_page(task: OcrTask) -> OcrResult:
    """Worker: rasterize, deskew and OCR one page. Only this page is rasterized, so
    memory stays that of one page image however long the PDF."""
    from extract.ocr import FinsamInputError

    try:
        pdf, _ = open_pdf(Path(task.path))
        with pdf:
            image = rasterize(pdf.pages[task.number - 1])
        turned = page_orientation(image.reduce(2), task.number, task.timeout) if is_sideways(image) else 0
        words, read, width = _read_upright(image, turned, task)
        if not turned and words and measure(clean_junk(words)).poor:
            # a page fed upside down reads as junk: only then is the orientation asked for
            turned = page_orientation(read.image.reduce(2), task.number, task.timeout)
            if turned == 180:
                words, read, width = _read_upright(image, turned, task)
            else:
                turned = 0  # sideways was ruled out above
        scale = read.page_size[0] / width  # pixels per point
        x, y = read.origin
        unread = ink_outside(read.image, [(int(w.x0 * scale) - x, int(w.top * scale) - y, int(w.x1 * scale) + 1 - x,
                                           int(w.bottom * scale) + 1 - y) for w in words])
        return OcrResult(words, read.angle, turned=turned, unread_ink=[
            ((x0 + x) / scale, (top + y) / scale, (x1 + x) / scale, (bottom + y) / scale)
            for x0, top, x1, bottom in unread])
    except FinsamInputError as exc:
        return OcrResult([], 0.0, str(exc))


def _read_upright(image, turned: int, task: OcrTask):
    """OCR a page image turned `turned` degrees clockwise first: the words, the image as
    read (`OcrImage`: turned, straightened, cut and cleaned) and the page's width as it
    stands."""
    image = upright(image, turned)
    width, height = (task.height, task.width) if turned in (90, 270) else (task.width, task.height)
    read = page_for_ocr(image)
    words = ocr_words(read.image, task.number, width, height, OCR_LANGUAGES, timeout=task.timeout,
                      origin=read.origin, page_size=read.page_size)
    return words, read, width


def clean_junk(words: list[Word]) -> list[Word]:
    """Drop what is never text: lone bars and underscores (remnants of table rules in
    scans and old OCR layers), and the same glued to a word's ends ("-845_", "2027|")."""
    out = []
    for w in words:
        text = re.sub(r"(?<=\d)[°º’‘'`´;:]+$", "", w.text.strip("|¦_"))  # "-1632000°"
        if text and not re.fullmatch(r"[|¦_~—=]+", text):
            out.append(w if text == w.text else Word(text, w.x0, w.x1, w.top, w.bottom, w.page,
                                                     w.size, w.bold, w.confidence))
    return out


def _repair(words: list[Word], ocr: bool = False) -> tuple[list[Word], int]:
    """Run the å/ä/ö repair over a page's words; returns the words and how many changed.

    The page is repaired as one text (the repair learns how this OCR engine renders each
    letter, and reads words in context); each change is mapped back to its word by offset.
    A page whose letters survived is left as it is.
    """
    from normalize.letters import find_repairs, lost_dots_only, zipf

    spans, parts, position = [], [], 0
    for i, w in enumerate(words):
        if i:
            sep = "\n" if w.top > words[i - 1].bottom - 1 else " "
            parts.append(sep)
            position += 1
        spans.append((position, position + len(w.text)))
        parts.append(w.text)
        position += len(w.text)
    repairs = find_repairs("".join(parts), mode="auto")
    if not repairs and ocr:
        # A Swedish OCR keeps most letters but drops some (Arjang, Amal, Arets, Processtéd):
        # take a repair of a word no lexicon knows, or when the repaired word is far more
        # common than the one read, so real words ("hinder", "bilagorna") are never changed;
        # and only one that puts back what such a model loses (`lost_dots_only`), so an
        # author's own spelling is not changed to another ("individeriktade").
        repairs = [r for r in find_repairs("".join(parts), mode="ocr")
                   if LETTER_WORD.fullmatch(r.original) and lost_dots_only(r.original, r.repaired) and (
                       zipf(r.original) < 1.0 or zipf(r.repaired) >= zipf(r.original) + CLEARLY_MORE_COMMON)]
    if not repairs:
        return words, 0
    texts = [w.text for w in words]
    shifts = [0] * len(words)
    changed: set[int] = set()
    index = 0
    for r in repairs:
        while index < len(spans) and spans[index][1] <= r.start:
            index += 1
        if index == len(spans) or not (spans[index][0] <= r.start and r.end <= spans[index][1]):
            continue  # a repair across two words: leave it
        offset = r.start - spans[index][0] + shifts[index]
        texts[index] = texts[index][:offset] + r.repaired + texts[index][offset + len(r.original):]
        shifts[index] += len(r.repaired) - len(r.original)
        changed.add(index)
    out = [w if i not in changed else Word(texts[i], w.x0, w.x1, w.top, w.bottom, w.page, w.size, w.bold, w.confidence)
           for i, w in enumerate(words)]
    return out, len(changed)


def ocr_layer_words(words: list[Word], width: float, height: float) -> tuple[list[Word], float]:
    """The words of an earlier OCR's text layer over a scan, as finsam's own OCR words
    are: OCR'd (a confidence under 100, so scan dust is cleaned from them), and where the
    scan is crooked, turned level as `raster.turn` turns its image (the layer keeps the
    crook, so a row's label and its numbers would fall on different lines; turned alike,
    the boxes fit the page image when a cell is read again). Returns the words and the
    angle (degrees)."""
    angle = words_skew([(w.x0, w.top, w.x1, w.bottom) for w in words], width, height)
    if abs(angle) < MIN_SKEW:  # within the estimate's noise: the words stay where they are
        angle = 0.0
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = []
    for w in words:
        # the middle of the box turned about the page's centre, the box kept its size
        dx, dy = (w.x0 + w.x1) / 2 - width / 2, (w.top + w.bottom) / 2 - height / 2
        shift_x, shift_y = dx * cos + dy * sin - dx, -dx * sin + dy * cos - dy
        out.append(replace(w, x0=w.x0 + shift_x, x1=w.x1 + shift_x, top=w.top + shift_y,
                           bottom=w.bottom + shift_y, confidence=OCR_LAYER_CONFIDENCE))
    return out, angle


def scan_pages(path: Path, ocr: bool = True, limits: Limits = DEFAULT_LIMITS,
               page_timeout: int = PAGE_TIMEOUT_S) -> tuple[list[PageReading], list[str], list[OcrTask]]:
    """Read every page's text layer and decide how to read it; returns the readings,
    warnings about the file, and the pages that need OCR (none when `ocr` is off).
    Raises an input error for a bad file, and MissingTesseractError when pages need
    OCR and Tesseract is not there."""
    pdf, warnings = open_pdf(path, limits)
    readings: list[PageReading] = []
    with pdf:
        for number, width, height, words, has_image, scanned in iter_pages(pdf, path, limits):
            words = clean_junk(words)
            skew = 0.0
            ocr_layer = bool(words) and (scanned or any(w.confidence < 100 for w in words))
            quality: Optional[Quality] = measure(words) if words else None
            if quality is not None and not quality.poor:
                decision = "ocr_layer" if ocr_layer else "text_good"
            elif not words:
                decision = "no_text_layer"
            else:
                # A poor text layer over a scan is OCR'd again; without an image under it,
                # OCR would only read the same damaged letters back, so it is repaired.
                decision = "text_poor_scan" if has_image else "text_poor"
            if ocr_layer or decision == "text_poor_scan":
                words, skew = ocr_layer_words(words, width, height)
            # an OCR layer's digits are OCR's: they are checked, and read again from the scan, as such
            source = "ocr" if decision == "ocr_layer" else "text"
            readings.append(PageReading(number, width, height, words, source, decision,
                                        text_quality=quality.score if quality else None, skew_degrees=skew))
    todo = [OcrTask(str(path), r.number, r.width, r.height, page_timeout)
            for r in readings if r.decision in ("no_text_layer", "text_poor_scan")] if ocr else []
    if todo:
        tesseract_info()  # fail early, with the install hint, when Tesseract is missing
    return readings, warnings, todo


def finish_pages(readings: list[PageReading], ocr_results: dict[int, OcrResult], repair: bool = True) -> None:
    """Keep the better reading of each OCR'd page, then repair the å/ä/ö of every page
    that was not read from a good text layer (in place)."""
    for reading in readings:
        if reading.number in ocr_results:
            _choose(reading, ocr_results[reading.number])
    for reading in readings if repair else []:
        if reading.decision != "text_good":  # OCR words, or a poor text layer we kept
            reading.words, reading.letters_repaired = _repair(reading.words, reading.source == "ocr")


def read_pages(path: Path, jobs: int = 1, ocr: bool = True, repair: bool = True,
               progress: Optional[Callable[[str], None]] = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[list[PageReading], list[str]]:
    """Read every page of a PDF; returns the readings and warnings about the file.
    `repair=False` skips the å/ä/ö repair (to measure what it does)."""
    readings, warnings, todo = scan_pages(path, ocr, limits)
    if todo and progress:
        progress(f"OCR of {len(todo)} page(s)")
    results = _map(ocr_page, [(task,) for task in todo], jobs)
    finish_pages(readings, {task.number: result for task, result in zip(todo, results)}, repair)
    return readings, warnings


def ocr_layer_pages_again(path: Path, readings: list[PageReading], numbers: list[int],
                          jobs: int = 1) -> list[PageReading]:
    """The readings with the given pages of an earlier OCR's layer OCR'd by finsam
    (decision `ocr_better`, repaired): the pages whose tables do not add up as the layer
    reads them. The caller keeps whichever reading adds up better."""
    tasks = [OcrTask(str(path), r.number, r.width, r.height) for r in readings if r.number in numbers]
    results = dict(zip((t.number for t in tasks), _map(ocr_page, [(t,) for t in tasks], jobs)))
    out = []
    for reading in readings:
        result = results.get(reading.number)
        if result is None or result.error or not result.words:
            out.append(reading)
            continue
        words = clean_junk(result.words)
        again = replace(reading, decision="ocr_better", ocr_quality=measure(words).score, skew_degrees=result.skew)
        _take_ocr(again, result, words)
        again.words, again.letters_repaired = _repair(words, True)
        out.append(again)
    return out


def _take_ocr(reading: PageReading, result: OcrResult, words: list[Word]) -> None:
    """Give a reading finsam's OCR words of its page (in place)."""
    reading.words, reading.source = words, "ocr"
    reading.unread_ink = result.unread_ink
    reading.turned_degrees = result.turned
    if result.turned in (90, 270):  # the words stand on the page turned upright
        reading.width, reading.height = reading.height, reading.width


def _choose(reading: PageReading, result: OcrResult) -> None:
    """Keep the better of the text layer and the OCR reading, and say why."""
    reading.error = result.error
    ocr_words_ = clean_junk(result.words)
    ocr_quality = measure(ocr_words_) if ocr_words_ else None
    reading.ocr_quality = ocr_quality.score if ocr_quality else None
    reading.skew_degrees = result.skew
    # The text layer has exact positions: OCR must be clearly better to replace it.
    if reading.decision == "no_text_layer" or (
            ocr_quality is not None and ocr_quality.score > (reading.text_quality or 0.0) + OCR_MARGIN):
        if ocr_words_ or reading.decision == "no_text_layer":
            reading.decision = "no_text_layer" if reading.decision == "no_text_layer" else "ocr_better"
            _take_ocr(reading, result, ocr_words_)
            return
    reading.decision = "text_better"  # kept, and repaired below


def _map(fn: Callable, calls: list[tuple], jobs: int) -> list:
    """`fn` over the argument tuples in `calls`, in order: in up to `jobs` worker
    processes when there is more than one call, else here."""
    if jobs > 1 and len(calls) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(calls))) as pool:
            return list(pool.map(fn, *zip(*calls)))
    return [fn(*args) for args in calls]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


CELL_PADDING = (3.0, 2.0)  # points around a cell's box (x, y): its digits' edges, no neighbour
GRID_MARGIN = 30.0  # points around the cells read again in which to look for the table's rules


def _reread_job(path: str, number: int, width: float, skew: float,
                boxes: list[tuple[float, float, float, float]], turned: int = 0) -> list[str]:
    """Worker: render one page as it was OCR'd (same resolution, the table turned by
    the page's deskew angle, so the boxes of the OCR words fit) and read the given cells
    again, each cut out on its own: where the table is ruled, the grid cell that holds
    the box, else the box itself."""
    from extract.ocr import FinsamInputError, ocr_snippets
    from extract.raster import clean_snippet, page_pixels, rule_masks, ruled_cell, source_area, turned_area

    try:
        pdf, _ = open_pdf(Path(path))
        with pdf:
            page = pdf.pages[number - 1]
            size = page_pixels(page)
            if turned in (90, 270):
                size = size[::-1]
            scale = size[0] / width
            pad_x, pad_y = CELL_PADDING
            cells = [(int((x0 - pad_x) * scale), int((top - pad_y) * scale),
                      int((x1 + pad_x) * scale), int((bottom + pad_y) * scale)) for x0, top, x1, bottom in boxes]
            margin = int(GRID_MARGIN * scale)
            area_box = (max(min(c[0] for c in cells) - margin, 0), max(min(c[1] for c in cells) - margin, 0),
                        min(max(c[2] for c in cells) + margin, size[0]), min(max(c[3] for c in cells) + margin, size[1]))
            if turned:  # the page is turned upright whole, as it was read
                image, origin = upright(rasterize(page), turned), (0, 0)
            else:  # only the part the table's area is turned from is rendered
                part = source_area(area_box, skew, size)
                image, origin = rasterize(page, box=part), part[:2]
        area = turned_area(image, area_box, skew, origin, size)
        horizontal, vertical = rule_masks(area)
        snippets = []
        for x0, top, x1, bottom in cells:
            local = (x0 - area_box[0], top - area_box[1], x1 - area_box[0], bottom - area_box[1])
            snippets.append(clean_snippet(area.crop(ruled_cell(horizontal, vertical, local) or local)))
        return ocr_snippets(snippets, number)
    except FinsamInputError:
        return ["" for _ in boxes]  # no second reading: the first one stands


def reread_cells(path: Path, readings: list[PageReading],
                 requests: dict[int, list[tuple[float, float, float, float]]],
                 jobs: int = 1) -> dict[int, list[str]]:
    """Read table cells of OCR'd pages again, one page image per page that has any:
    page number → the cells' new texts, in the order of `requests[page]`."""
    by_number = {r.number: r for r in readings}
    pages = [n for n in sorted(requests) if requests[n] and by_number[n].source == "ocr"]
    args = [(str(path), n, by_number[n].width, by_number[n].skew_degrees, requests[n], by_number[n].turned_degrees)
            for n in pages]
    return dict(zip(pages, _map(_reread_job, args, jobs)))
