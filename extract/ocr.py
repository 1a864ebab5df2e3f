"""Page image → words with Tesseract: a thin typed wrapper, in the manner of OCRmyPDF.

`tesseract_info()` checks that the program and its Swedish data are there (and says how
to install them when not); `ocr_words()` reads one page image (TSV: word boxes and
confidences) and returns `Word`s in PDF points, so the same line and table code reads
OCR'd pages and typed pages. Tesseract runs with OMP_THREAD_LIMIT=1: its own threads
oversubscribe small machines; finsam parallelizes over pages instead.

Pages are handed to a Tesseract that stays running (`TesseractStream`, one per thread
and settings) rather than to a new one per page: starting Tesseract and loading its
model costs about 0.2 s, a tenth of reading a page, and the words it reads are the same
either way.
"""
from __future__ import annotations

import atexit
import multiprocessing.util
import os
import re
import select
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.errors import FinsamInputError, MissingTesseractError  # noqa: F401 (re-exported)
from models import Word

# Swedish alone: it reads å/ä/ö as printed, where `swe+eng` lets the English model win
# on a third of the words that have them ("Arbetsf6rmedlingen"), and it costs a tenth less.
# Its character set has no "%" (nor "*", "§"): the percent signs it writes as digits are
# read again with English (`read_percent_signs`).
OCR_LANGUAGES = "swe"
OCR_DPI = 300
PAGE_TIMEOUT_S = int(os.environ.get("FINSAM_OCR_TIMEOUT", "120"))  # seconds per page
# Short tokens below this confidence are specks and remnants of ruling lines ("i", ":",
# "_" where a table border was); longer words are kept and their confidence travels.
MIN_SHORT_WORD_CONFIDENCE = 45.0
# Page segmentation: one column of text of varying sizes. Tesseract's automatic layout
# (psm 3) splits tables into blocks and drops number columns; finsam reassembles lines
# and cells from word boxes itself, so it needs every word, not Tesseract's layout.
PAGE_SEGMENTATION = int(os.environ.get("FINSAM_TESSERACT_PSM", "4"))
# How a whole page is read. Tesseract reads each line it is unsure of once more as white
# on black (`tessedit_do_invert`); scanned plans and reports print black on white, and
# the pass costs 3 % of its time (what it found on the fixtures' scans was junk: "[0]").
PAGE_CONFIG = f"--psm {PAGE_SEGMENTATION} -c preserve_interword_spaces=1 -c tessedit_do_invert=0"


class OcrFailedError(FinsamInputError):
    """One page's OCR failed (Tesseract crashed or timed out): the page is marked and
    the document is partial."""
    environmental = True


# Tesseract's language data by its code: the name an error gives it and its Debian package.
LANGUAGE_DATA = {"swe": ("Swedish", "tesseract-ocr-swe"), "eng": ("English", "tesseract-ocr-eng")}


def required_languages() -> list[str]:
    """The codes of the language data finsam reads with: the pages' (`OCR_LANGUAGES`) and
    that of the cells and percent signs read again (`SNIPPET_LANGUAGES`)."""
    return list(dict.fromkeys(OCR_LANGUAGES.split("+") + SNIPPET_LANGUAGES.split("+")))


@dataclass(frozen=True)
class TesseractInfo:
    version: str
    languages: tuple[str, ...]


def _env() -> dict:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@lru_cache(maxsize=1)
def tesseract_info() -> TesseractInfo:
    """Version and languages of the installed Tesseract; raises when unusable."""
    try:
        version_out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                                     timeout=30, env=_env())
        langs_out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                   timeout=30, env=_env())
    except FileNotFoundError as exc:
        raise MissingTesseractError(
            "Tesseract is not installed; install it with `apt-get install tesseract-ocr tesseract-ocr-swe`"
        ) from exc
    text = version_out.stdout + version_out.stderr
    match = re.search(r"tesseract\s+v?(\d+\.\d+(\.\d+)?)", text)
    version = match.group(1) if match else "unknown"
    languages = tuple(l.strip() for l in langs_out.stdout.splitlines()[1:] if l.strip())
    major = int(version.split(".")[0]) if version[0].isdigit() else 0
    if major < 4:
        raise MissingTesseractError(f"Tesseract {version} is too old or unreadable; finsam needs 4 or newer")
    missing = [LANGUAGE_DATA.get(code, (code, f"tesseract-ocr-{code}"))
               for code in required_languages() if code not in languages]
    if missing:
        # English reads table cells again and the percent signs Swedish writes as digits:
        # without it those second readings would fail page after page, unsaid
        raise MissingTesseractError(
            f"Tesseract has no {' and no '.join(name for name, _ in missing)} data; install it with "
            f"`apt-get install {' '.join(package for _, package in missing)}`")
    return TesseractInfo(version, languages)


def uncompressed(image):
    """The image marked to be handed to Tesseract as a PNM file: pytesseract writes a
    PNG by default, and compressing 9 Mpx costs half a second a page; Tesseract reads the
    same pixels either way (the words come back identical)."""
    image = image.copy()  # a few milliseconds: the caller's image stays as it was
    image.format = "PPM"  # a grayscale image is written as PGM
    return image


TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")
END_OF_PAGE = "end-of-page.pgm"  # the blank image sent after each page: its row ends the page
STREAM_FOLDER = "finsam-tesseract-{pid}-"  # a running Tesseract's folder for its pages


def folder_owner(name: str) -> int | None:
    """The pid of the finsam process whose running Tesseract has the folder `name`
    (`STREAM_FOLDER`), or None for another folder."""
    head = STREAM_FOLDER.split("{")[0]
    pid = name[len(head):].split("-")[0] if name.startswith(head) else ""
    return int(pid) if pid.isdigit() else None


def clear_stale_folders() -> None:
    """Remove the page folders of running Tesseracts whose finsam process is gone: a
    worker killed (kill -9, a document's timeout) cleans up nothing, and it may have
    left a page of 9 Mpx there."""
    for folder in Path(tempfile.gettempdir()).glob(STREAM_FOLDER.split("{")[0] + "*"):
        pid = folder_owner(folder.name)
        if pid is not None and not _running(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    """Is process `pid` alive (a zombie, dead and not yet reaped, is not)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): alive, as far as can be told


class TesseractStream:
    """One Tesseract process that reads page after page, for one set of languages and
    settings: its `stream_filelist` mode takes image paths on standard input and writes
    each page's TSV to standard output as soon as the page is read.

    After each page a tiny blank image is sent too; Tesseract starts its TSV with a row
    for that page once the real page is written out, so that row marks where the page's
    words end (Tesseract says nothing else when a page is done). A crash, an unreadable
    answer or a timeout fails that page alone: the process is ended and the next page
    starts a new one. What Tesseract writes to standard error goes to a file (a pipe
    nobody reads would fill and stop it) and is quoted when it fails.
    """

    def __init__(self, languages: str, config: str):
        self.languages, self.config = languages, config
        self._process: subprocess.Popen | None = None
        self._folder = ""
        self._pages = 0  # images Tesseract was given, the blank ones included
        self._pending = b""
        self.owner = os.getpid()  # a forked child must not use its parent's Tesseract

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> None:
        from PIL import Image

        clear_stale_folders()
        self._folder = tempfile.mkdtemp(prefix=STREAM_FOLDER.format(pid=os.getpid()))
        Image.new("L", (8, 8), 255).save(Path(self._folder, END_OF_PAGE), format="PPM")
        with open(Path(self._folder, "stderr.txt"), "wb") as errors:
            try:
                self._process = subprocess.Popen(
                    ["tesseract", "-", "-", "-l", self.languages, *shlex.split(self.config),
                     "-c", "stream_filelist=1", "tsv"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=_env())
            except FileNotFoundError as exc:
                self._clean()
                raise MissingTesseractError(
                    "Tesseract is not installed; install it with `apt-get install tesseract-ocr tesseract-ocr-swe`"
                ) from exc
        self._pages, self._pending = 0, b""

    def read(self, image, page_number: int, timeout: float) -> dict:
        """Tesseract's TSV of one image, as a dict of columns (numbers as numbers)."""
        if self._process is not None and self._process.poll() is not None:
            self.close()  # ended while idle (killed from outside): start again
        if self._process is None:
            self._start()
        image_path = Path(self._folder, f"page-{self._pages + 1}.pgm")
        try:
            image.save(image_path, format="PPM")  # uncompressed: a PNG of 9 Mpx costs half a second
            page, end = self._pages + 1, self._pages + 2
            try:
                self._process.stdin.write(f"{image_path}\n{Path(self._folder, END_OF_PAGE)}\n".encode())
                self._process.stdin.flush()
            except OSError:
                raise self._failed(page_number, "it ended before reading the page")
            self._pages = end
            rows = self._rows_until(end, time.monotonic() + timeout, page_number, timeout)
            return _columns([[r[0], "1", *r[2:]] for r in rows if r[1] == str(page)])  # as if alone
        finally:
            image_path.unlink(missing_ok=True)

    def _rows_until(self, end: int, deadline: float, page_number: int, timeout: float) -> list[list[str]]:
        """The TSV rows Tesseract writes until the first row of image number `end`."""
        out = self._process.stdout.fileno()
        rows: list[list[str]] = []
        while True:
            *lines, self._pending = self._pending.split(b"\n")
            for n, line in enumerate(lines):
                row = line.decode("utf-8", "replace").split("\t")
                if len(row) != len(TSV_COLUMNS) or row[0] == "level":
                    continue  # the header, or what is left of an earlier blank image's page
                if row[0] == "1" and row[1] == str(end):
                    self._pending = b"\n".join(lines[n + 1:] + [self._pending])
                    return rows
                rows.append(row)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                self.close(kill=True)  # it is busy with the page: it would not see its input end
                raise OcrFailedError(f"page {page_number}: Tesseract timed out after {timeout:g} s")
            chunk = os.read(out, 1 << 16)
            if not chunk:
                raise self._failed(page_number, "")
            self._pending += chunk

    def _failed(self, page_number: int, what: str) -> "OcrFailedError":
        """The error for a Tesseract that ended under a page, quoting what it said."""
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        said = Path(self._folder, "stderr.txt").read_bytes().decode("utf-8", "replace")
        said = " ".join(line for line in said.splitlines()
                        if line.strip() and not line.startswith(("Page ", "Estimating resolution")))
        code = self._process.returncode
        self.close()
        detail = said.strip()[-200:] or what or f"exit status {code}"
        return OcrFailedError(f"page {page_number}: Tesseract failed ({detail})")

    def close(self, kill: bool = False) -> None:
        """End the process (it ends by itself once its input is closed; `kill`: at once)
        and its files."""
        process, self._process = self._process, None
        if process is not None:
            if kill:
                process.kill()
            try:
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        self._clean()

    def _clean(self) -> None:
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = ""


def _columns(rows: list[list[str]]) -> dict:
    """TSV rows as a dict of columns, numbers as pytesseract gives them (whole numbers:
    a confidence of 73.9 is 73, which finsam's thresholds were set on)."""
    data: dict[str, list] = {name: [] for name in TSV_COLUMNS}
    for row in rows:
        for name, value in zip(TSV_COLUMNS, row):
            data[name].append(value if name == "text" else int(float(value)))
    return data


_streams: dict[tuple[str, str, int], TesseractStream] = {}
_closed_at_exit: set[int] = set()  # processes whose running Tesseracts are ended at exit


def tesseract_stream(languages: str, config: str) -> TesseractStream:
    """This thread's running Tesseract for these languages and settings. One per thread:
    a Dask worker started with several threads runs several documents in one process,
    and two pages sent down one Tesseract at once would get each other's words."""
    key = (languages, config, threading.get_ident())
    stream = _streams.get(key)
    if stream is None or stream.owner != os.getpid():
        stream = _streams[key] = TesseractStream(languages, config)
        if os.getpid() not in _closed_at_exit:
            # a worker process of multiprocessing's leaves without running atexit
            # handlers, but runs its finalizers
            multiprocessing.util.Finalize(None, close_streams, exitpriority=0)
            _closed_at_exit.add(os.getpid())
    return stream


@atexit.register
def close_streams() -> None:
    """End this process's running Tesseracts (at exit, and where a test wants it)."""
    for key, stream in list(_streams.items()):
        if stream.owner == os.getpid():
            stream.close()
        del _streams[key]


def _image_to_data(image, languages: str, config: str, page_number: int, timeout: int) -> dict:
    """Tesseract's TSV of one image as a dict of columns, read by this thread's running
    Tesseract (itself on one thread); a crash or a timeout becomes an OcrFailedError naming the
    page."""
    return tesseract_stream(languages, config).read(image, page_number, timeout)


def page_orientation(image, page_number: int, timeout: int = PAGE_TIMEOUT_S) -> int:
    """How many degrees clockwise a page image must be turned to stand upright (0, 90,
    180 or 270), by Tesseract's orientation detection (psm 0, its `osd` data); 0 when it
    cannot tell (too little text, no `osd` data)."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        answer = pytesseract.image_to_osd(uncompressed(image), config="--psm 0", timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError, OSError, ValueError):
        return 0  # the question is optional: the page is read as it lies
    match = re.search(r"Rotate:\s*(\d+)", answer)
    return int(match.group(1)) % 360 if match else 0


def ocr_words(image, page_number: int, page_width: float, page_height: float,
              languages: str = OCR_LANGUAGES, timeout: int = PAGE_TIMEOUT_S,
              origin: tuple[int, int] = (0, 0), page_size: tuple[int, int] | None = None) -> list[Word]:
    """OCR one page image (PIL) and return its words positioned in PDF points; with a
    model that has no "%", the words that may hold one are read again (`read_percent_signs`).
    The image may be part of the page's: its top-left corner at pixel `origin` of a page
    image of `page_size` pixels (by default the image is the whole page)."""
    tesseract_info()
    page_size = page_size or image.size
    scale_x = page_width / page_size[0]
    scale_y = page_height / page_size[1]
    data = _image_to_data(image, languages, PAGE_CONFIG, page_number, timeout)
    if not set(languages.split("+")) - set(MODELS_WITHOUT_PERCENT):
        data["text"] = read_percent_signs(image, data, page_number, timeout)
    # Tesseract knows which words share a text line even where the scan is slightly
    # crooked or a word has no ascender ("om", "av"): give every word its line's box
    # height, so that grouping by position later keeps Tesseract's lines.
    line_box: dict[tuple, tuple[int, int]] = {}
    for i, text in enumerate(data["text"]):
        if (text or "").strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            top, bottom = data["top"][i], data["top"][i] + data["height"][i]
            old = line_box.get(key, (top, bottom))
            line_box[key] = (min(old[0], top), max(old[1], bottom))
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0 or (len(text) <= 2 and not text.isdigit() and text not in "-–—%"
                                     and conf < MIN_SHORT_WORD_CONFIDENCE):
            continue
        left, width = data["left"][i] + origin[0], data["width"][i]
        top, bottom = (y + origin[1] for y in line_box[(data["block_num"][i], data["par_num"][i], data["line_num"][i])])
        words.append(Word(
            text=text, x0=left * scale_x, x1=(left + width) * scale_x,
            top=top * scale_y, bottom=bottom * scale_y, page=page_number,
            size=max((bottom - top) * scale_y, 1.0), bold=False, confidence=conf,
        ))
    return drop_rule_remnants(words)


# Models whose character set has no "%": they write a percent sign as one to three
# digits or letters, at any confidence ("97%" → "9796", "8%" → "8946", "75,4%" → "75,4920",
# "73,6%" → "73,66", "100 %" → "100 26").
MODELS_WITHOUT_PERCENT = ("swe",)
# A word that may be such a reading: a number of four to six digits with no space in it
# (a year too: "20%" comes back as "2096" or "2026"), or with two decimals or more; and a
# number of one or two digits right after another number on its line ("100 %").
PERCENT_NUMBER = re.compile(r"""[(\-−–+]?(?P<core>\d[\d,.]*?)[)\].,:;*'"”»«]*""")
PERCENT_LONG = re.compile(r"\d{4,6}|\d+,\d{2,}")
PERCENT_SHORT = re.compile(r"\d{1,2}")
PERCENT_PADDING = 4  # pixels around a word cut out to be read again
MAX_PERCENT_SIGN = 3  # characters a percent sign can come back as


def percent_candidates(data: dict) -> list[int]:
    """Indices of the words of a page's TSV (`_columns`) that may hold a percent sign
    a model without one wrote as digits (`PERCENT_LONG`, `PERCENT_SHORT`)."""
    out: list[int] = []
    previous = None  # (line, right edge) of the last word, when it was a number
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        match = PERCENT_NUMBER.fullmatch(text)
        if match and (PERCENT_LONG.fullmatch(match["core"]) or (
                PERCENT_SHORT.fullmatch(match["core"]) and previous and previous[0] == line
                and data["left"][i] - previous[1] < data["height"][i])):
            out.append(i)
        previous = (line, data["left"][i] + data["width"][i]) if match else None
    return out


def with_percent_sign(first: str, second: str) -> str:
    """`first`, a word as a model without "%" read it, or `second`, the same word read
    again by English, when that has a percent sign where `first` has digits: the digits
    and decimal comma before the sign are `first`'s, and at most `MAX_PERCENT_SIGN`
    characters of `first` stand for the sign ("9796", "97%" → "97%"; "2026", "2026" →
    "2026"; "26" after a number, "%" → "%")."""
    number = PERCENT_NUMBER.fullmatch(first)
    if "%" not in second or not number:
        return first
    before = re.sub(r"[^\d,]", "", second.split("%")[0])
    core = number["core"]
    return second if core.startswith(before) and 0 < len(core) - len(before) <= MAX_PERCENT_SIGN else first


def read_percent_signs(image, data: dict, page_number: int, timeout: int = PAGE_TIMEOUT_S) -> list[str]:
    """The texts of a page's TSV words, each word that may hold a percent sign written
    as digits (`percent_candidates`) cut from the page image and read again by English
    (one call for the page, `ocr_snippets`), and taken where that reads the sign
    (`with_percent_sign`). A second reading that fails leaves the first."""
    texts = list(data["text"])
    chosen = percent_candidates(data)
    if not chosen:
        return texts
    pad = PERCENT_PADDING
    snippets = [image.crop((data["left"][i] - pad, data["top"][i] - pad,
                            data["left"][i] + data["width"][i] + pad, data["top"][i] + data["height"][i] + pad))
                for i in chosen]
    try:
        again = ocr_snippets(snippets, page_number, timeout=timeout)
    except FinsamInputError:
        return texts
    for i, second in zip(chosen, again):
        texts[i] = with_percent_sign(texts[i].strip(), second)
    return texts


def drop_rule_remnants(words: list[Word], min_lines: int = 4) -> list[Word]:
    """Drop one-character tokens that stand one under the other on many lines: what
    is left of a vertical table rule ("|", "i", "l", "1" at the same x on every row)."""
    singles = [w for w in words if len(w.text) == 1 and w.text in "|Il1i!:;[]()"]
    remnants = set()
    for w in singles:
        column = [v for v in singles if abs((v.x0 + v.x1) / 2 - (w.x0 + w.x1) / 2) < 0.6 * w.size]
        if len({round(v.top / max(v.size, 1)) for v in column}) >= min_lines:
            remnants.update(id(v) for v in column)
    return [w for w in words if id(w) not in remnants]


# A table cell read again on its own: digits, the signs and marks numbers are printed
# with, and nothing else (a "0" can then not come back as "O", nor "1" as "l").
CELL_CHARACTERS = "0123456789 -,.%()"
SNIPPET_GAP = 30  # pixels of white between two snippets stacked for one Tesseract call


# Digits need no Swedish: the English model reads them as well, and it has "%".
SNIPPET_LANGUAGES = "eng"


def ocr_snippets(images: list, page_number: int, languages: str = SNIPPET_LANGUAGES,
                 timeout: int = PAGE_TIMEOUT_S) -> list[str]:
    """Read many small images (table cells cut from one page) in one Tesseract call.

    The snippets are stacked one under the other with white between them and read as a
    block of lines (psm 6) restricted to `CELL_CHARACTERS`; each word goes back to the
    snippet whose band holds its middle. One call instead of one per cell: starting
    Tesseract costs more than reading a few numbers.
    """
    from PIL import Image

    if not images:
        return []
    width = max(i.width for i in images) + 2 * SNIPPET_GAP
    height = sum(i.height for i in images) + SNIPPET_GAP * (len(images) + 1)
    sheet = Image.new("L", (width, height), 255)
    bands, y = [], SNIPPET_GAP
    for image in images:
        sheet.paste(image.convert("L"), (SNIPPET_GAP, y))
        bands.append((y - SNIPPET_GAP / 2, y + image.height + SNIPPET_GAP / 2))
        y += image.height + SNIPPET_GAP
    data = _image_to_data(
        sheet, languages,
        f"--psm 6 -c preserve_interword_spaces=1 -c tessedit_char_whitelist='{CELL_CHARACTERS}'",
        page_number, timeout)
    found: list[list[tuple[int, str]]] = [[] for _ in images]
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text or float(data["conf"][i]) < 0:
            continue
        middle = data["top"][i] + data["height"][i] / 2
        for n, (top, bottom) in enumerate(bands):
            if top <= middle < bottom:
                found[n].append((data["left"][i], text))
                break
    return [" ".join(t for _, t in sorted(words)) for words in found]
