"""Page → image for OCR: rasterize at a resolution that reads small table digits, and
straighten a scan that was fed in crooked.

Deskew uses the projection-profile method: text lines are horizontal bands, so the row
sums of ink are sharpest (largest variance) at the angle that makes them level. It is
pure NumPy on a downscaled copy, fast enough for every page. Only the page's content
(`content_box`) is turned and handed to Tesseract: its margins hold nothing to read. The
turn is Pillow's bicubic transform, compiled (`extract/_turn.c`: the same pixels in a
third of the time; Pillow's own where it was not built).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

try:
    from extract import _turn  # compiled at install (setup.py); optional
except ImportError:
    _turn = None

OCR_RESOLUTION = 300          # dpi; table digits in 8–9 pt need it
RULE_MIN_INCHES = 0.6         # a dark run this long is a ruling line, never a letter
RULE_INK = 170                # grey level under which a pixel is ink (of a rule or a letter)
MAX_SKEW_DEGREES = 4.0
SKEW_STEP = 0.1
SKEW_IMAGE_SIDE = 900          # pixels: the page is measured for skew at this size
MIN_SKEW = 0.15                # degrees: within the estimate's own noise, a page is left as it is


def _pdfium_document(page):
    """The pdfium document of a pdfplumber page (opened again: pdfplumber parses with
    pdfminer); the caller closes it."""
    import pypdfium2

    source = page.pdf.path
    if source is None:
        page.pdf.stream.seek(0)
        source = page.pdf.stream
    return pypdfium2.PdfDocument(source, password=page.pdf.password)


def _rendered_size(size: tuple[float, float], resolution: int) -> tuple[int, int]:
    """Pixels of a page `size` points large, as pypdfium2 renders it (rounded up)."""
    return math.ceil(size[0] * resolution / 72), math.ceil(size[1] * resolution / 72)


def rasterize(page, resolution: int = OCR_RESOLUTION, box: tuple[int, int, int, int] | None = None) -> Image.Image:
    """A pdfplumber page as a grayscale PIL image; with `box` (pixels: x0, top, x1,
    bottom), only that part of it, the same pixels at a fraction of the cost.

    Rendered by pdfium as pdfplumber's `to_image()` renders it (no smoothing), but
    straight to 8-bit gray: for a scan the pixels are the same as `to_image()` converted
    to gray, at half the cost (no RGB bitmap to fill and convert twice); a colour page may
    differ by one grey level where the two round luma differently.
    """
    document = _pdfium_document(page)
    scale = resolution / 72
    try:
        pdfium_page = document[page.page_number - 1]
        crop = (0, 0, 0, 0)
        if box is not None:
            # pypdfium2 cuts ceil(points × scale) pixels off each side (left, bottom,
            # right, top): half a pixel short of the box's edge gives exactly its pixel
            width, height = _rendered_size(pdfium_page.get_size(), resolution)
            x0, top, x1, bottom = box
            crop = tuple((px - 0.5) / scale for px in (x0, height - bottom, width - x1, top))
        bitmap = pdfium_page.render(
            scale=scale, crop=crop, no_smoothtext=True, no_smoothpath=True, no_smoothimage=True,
            grayscale=True)
        image = bitmap.to_pil()  # shares the bitmap's memory: copied before the bitmap goes
        return image.copy() if image.mode == "L" else image.convert("L")
    finally:
        document.close()


def page_pixels(page, resolution: int = OCR_RESOLUTION) -> tuple[int, int]:
    """The pixel size of `rasterize(page)`, without rendering it."""
    document = _pdfium_document(page)
    try:
        return _rendered_size(document[page.page_number - 1].get_size(), resolution)
    finally:
        document.close()


def _profile_score(ys: np.ndarray, xs: np.ndarray, height: int, angle: float) -> float:
    """Sharpness of the row profile of the ink pixels sheared by `angle`: for the few
    degrees a scanner skews a page, a shear is the rotation to within a pixel, and
    shearing the coordinates of the ink alone (a bincount) costs a fraction of rotating
    the whole image."""
    rows = np.rint(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
    offset = int(np.ceil(abs(np.tan(np.radians(MAX_SKEW_DEGREES + 1))) * xs.max(initial=0))) + 1
    profile = np.bincount(rows + offset, minlength=height + 2 * offset).astype(np.float32)
    return float(np.var(np.diff(profile)))


def _small_ink(image: Image.Image) -> np.ndarray | None:
    """The page's ink at about 900 px on the long side, each pixel the mean of a square
    of the page's (reduce() is a box filter: a tenth of the time of thumbnail()'s
    bicubic); None for an empty page."""
    small = image.convert("L").reduce(max(1, round(max(image.size) / SKEW_IMAGE_SIDE)))
    ink = np.asarray(ImageOps.invert(small), dtype=np.uint8) > 96
    return None if ink.mean() < 0.5 / 255 else ink


def estimate_skew(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise positive) that levels the text lines."""
    ink = _small_ink(image)
    if ink is None:
        return 0.0
    ys, xs = np.nonzero(ink)
    return _levelling_angle(ys.astype(np.float64), xs - ink.shape[1] / 2.0, ink.shape[0])


COARSE_ANGLES = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.5)  # the first search's steps


def _levelling_angle(ys: np.ndarray, xs: np.ndarray, height: int) -> float:
    """The angle (degrees) whose shear makes the row profile of the ink at (`ys`, `xs`,
    x about the centre) sharpest: coarse steps, then fine ones around the best."""
    score = lambda a: _profile_score(ys, xs, height, -a)  # noqa: E731
    best = max(COARSE_ANGLES, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, SKEW_STEP)
    return round(float(max(fine, key=score)), 2)


SIDEWAYS_RATIO = 0.5  # text lines that level along the columns this much better: the page lies on its side


def _sharpest_rows(ink: np.ndarray) -> float:
    """The sharpest row profile of the ink over the skews a scanner gives a page."""
    ys, xs = np.nonzero(ink)
    ys, xs = ys.astype(np.float64), xs - ink.shape[1] / 2.0
    return max(_profile_score(ys, xs, ink.shape[0], a) for a in COARSE_ANGLES)


def is_sideways(image: Image.Image) -> bool:
    """Does the page lie on its side (a landscape table scanned upright, or the other way
    round)? Its text lines then run down the image: the profile across its columns, at
    the best skew, is far sharper than the one along its rows (on the scanned fixtures
    upright pages score 1.5–8.4 rows to columns, the same pages turned 0.14–0.38; a page
    of signatures and six lines turned scores 0.6 and is left as it is)."""
    ink = _small_ink(image)
    return ink is not None and _sharpest_rows(ink) < SIDEWAYS_RATIO * _sharpest_rows(np.ascontiguousarray(ink.T))


def words_skew(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """The skew (degrees, as `estimate_skew` gives it) of a page's words, from their boxes
    (x0, top, x1, bottom in points) alone: an earlier OCR's text layer over a crooked
    scan keeps the crook, and its words must be levelled before they are put in lines.
    Each box is taken as ink at every point along it, a line a point high through its
    middle, and the rows' profile is made sharpest as for the pixels of a scan."""
    if not boxes:
        return 0.0
    xs, ys = [], []
    for x0, top, x1, bottom in boxes:
        along = np.arange(x0, x1, 1.0)
        xs.append(along)
        ys.append(np.full(along.shape, (top + bottom) / 2.0))
    return _levelling_angle(np.concatenate(ys), np.concatenate(xs) - width / 2.0, int(height) + 1)


def skew_to_undo(image: Image.Image) -> float:
    """The angle (degrees) to turn a page image by to straighten it: 0 within the
    estimate's own noise, where the page is left as it is."""
    angle = estimate_skew(image)
    return angle if abs(angle) >= MIN_SKEW else 0.0


def upright(image: Image.Image, clockwise: int) -> Image.Image:
    """The page image turned by a quarter turn or two (`clockwise` degrees), as a page
    that lay on its side or upside down is read."""
    return image.rotate(-clockwise, expand=True) if clockwise % 360 else image


def turn(image: Image.Image, angle: float) -> Image.Image:
    """The page turned by `angle` degrees about its centre, on white, size kept: the
    frame in which OCR word boxes are given, so a page turned again the same way lines
    up with them. finsam turns only parts of a page (`turned_area`); this whole-page form
    is what they are tested against."""
    return image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255) if angle else image


def _long_runs(dark: np.ndarray, min_length: int) -> np.ndarray:
    """Pixels that lie in a horizontal run of dark pixels at least `min_length` long.

    Vectorized over the whole image: the rows are laid end to end with a light pixel
    between them (so no run crosses a row) and runs are found from the edges of that one
    line; only the few long runs (the rules) are painted one by one."""
    height, width = dark.shape
    line = np.zeros((height, width + 1), dtype=np.int8)
    line[:, :width] = dark
    edges = np.diff(line.ravel(), prepend=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    out = np.zeros(line.size, dtype=bool)
    long = (ends - starts) >= min_length
    for start, end in zip(starts[long], ends[long]):
        out[start:end] = True
    return out.reshape(height, width + 1)[:, :width]


def _close_along_rows(mask: np.ndarray, gap: int) -> np.ndarray:
    """Bridge gaps along rows (a scanned rule is broken by noise): each run grows by
    `gap` pixels on both sides and shrinks back, so gaps of up to twice `gap` close."""
    grown = mask.copy()
    for k in range(1, gap + 1):
        grown[:, k:] |= mask[:, :-k]
        grown[:, :-k] |= mask[:, k:]
    shrunk = grown.copy()
    for k in range(1, gap + 1):
        shrunk[:, k:] &= grown[:, :-k]
        shrunk[:, :-k] &= grown[:, k:]
    return shrunk


RUN_BLOCK = 8  # pixels (bytes of a boolean mask, one 64-bit word): rows are first looked at in blocks


def _may_hold_runs(ink: np.ndarray, min_length: int, axis: int = 1) -> np.ndarray:
    """The rows of `ink` (its columns, for `axis` 0) that may hold a run of at least
    `min_length` pixels along them once their gaps are bridged (`_close_along_rows`,
    gaps of up to two pixels): those with enough ink (half of the run: every other
    pixel) and a stretch of `RUN_BLOCK`-pixel blocks, each with some ink, as long as the
    blocks wholly inside such a run (no block of a bridged run is empty). Text has many
    rows with enough ink, but the spaces between its words break such stretches."""
    # a sum of bytes: twice as fast as count_nonzero along an axis
    enough = ink.view(np.uint8).sum(axis=axis, dtype=np.int32) >= (min_length + 1) // 2
    blocks = min_length // RUN_BLOCK - 1  # a run of `min_length` holds this many whole blocks
    lines = ink if axis == 1 else ink.T  # a view: the lines to look along, as rows
    length = lines.shape[1] // RUN_BLOCK * RUN_BLOCK
    if blocks < 2 or not enough.any():
        return np.flatnonzero(enough)
    if length < blocks * RUN_BLOCK:
        return np.flatnonzero(enough)[:0]
    blocked = lines[:, :length].reshape(lines.shape[0], -1, RUN_BLOCK)
    if lines.strides[1] == 1:  # a block's eight bytes as one word: far faster than any() along it
        held = blocked.view(np.uint64)[..., 0] != 0
    else:  # laid out by rows again, or the sum along them runs across memory (6 times slower)
        held = np.ascontiguousarray(blocked.any(axis=2))
    counts = np.cumsum(held, axis=1, dtype=np.int32)
    stretch = counts[:, blocks - 1:] - np.pad(counts, ((0, 0), (1, 0)))[:, :-blocks]
    return np.flatnonzero(enough & (stretch == blocks).any(axis=1))


def _rules_along_rows(ink: np.ndarray, min_length: int) -> np.ndarray:
    """Pixels of `ink` in a run along its rows at least `min_length` long once short gaps
    are bridged (`_close_along_rows`). Only the rows that may hold such a run (`_may_hold_runs`) are
    looked at: on a page of text that is a few rows."""
    out = np.zeros_like(ink)
    candidates = _may_hold_runs(ink, min_length)
    if candidates.size:
        out[candidates] = _long_runs(_close_along_rows(ink[candidates], 1), min_length)
    return out


def _rules_along_columns(ink: np.ndarray, min_length: int) -> np.ndarray:
    """`_rules_along_rows` down the columns: only the columns that may hold a rule
    (`_may_hold_runs` of the rows of blocks, every block a pixel wide) are turned into
    rows (turning the whole page costs more than finding its rules)."""
    out = np.zeros_like(ink)
    candidates = _may_hold_runs(ink, min_length, axis=0)
    if candidates.size:
        out[:, candidates] = _rules_along_rows(np.ascontiguousarray(ink[:, candidates].T), min_length).T
    return out


def remove_rules(image: Image.Image, resolution: int = OCR_RESOLUTION) -> Image.Image:
    """Erase the ruling lines of tables (and underlines): they make Tesseract merge cells
    and drop whole rows. Long straight runs of ink (a gap of one pixel bridged: scanned
    rules are broken by noise) are painted white, with a pixel around them and their
    soft edges (see `_with_edges`)."""
    gray = np.asarray(image.convert("L"))
    horizontal, vertical = _rule_masks(gray, resolution)
    if not (horizontal.any() or vertical.any()):
        return image
    paper = _paper(gray)
    dark = gray < paper - EDGE_CONTRAST
    # the vertical rules as rows of the transposed masks: only their few rows are read
    _with_edges(horizontal, dark)
    _with_edges(vertical.T, dark.T)  # into `vertical`, through the view: no page is transposed
    return _erased(gray, horizontal | vertical)


EDGE_PIXELS = 3     # how far a rule's blurred edge reaches (at 300 dpi) beyond its dark core
EDGE_CONTRAST = 30  # grey levels under the paper's that may still be a rule's edge
EDGE_SHARE = 0.5    # of a rule's length a pixel row beside it must cover to be its edge


def _with_edges(rules: np.ndarray, dark: np.ndarray) -> None:
    """Rules along rows with their blurred edges: a pixel row beside a rule that is
    darker than the paper along at least half of the rule's length belongs to it (up to
    `EDGE_PIXELS` rows out). Left on the page, the edge of a rule on a soft,
    low-resolution scan becomes a row of dashes in Tesseract's black-and-white image,
    and it reads the table's cells as junk ("eae ee"). A letter touching the rule (the
    tail of a "g") covers a few pixels of such a row, far too little to be taken.

    The edges are added to `rules` itself, in place: a copy of a page-sized mask, and of
    the transposed one of the vertical rules above all, cost more than the rest of this."""
    rule_rows = np.flatnonzero(rules.any(axis=1))  # a few rows of a page: only they are looked at
    core = rules[rule_rows]  # a copy: the rules as found, before any edge is added
    for step in (1, -1):
        rows, inner = rule_rows, core
        for _ in range(EDGE_PIXELS):
            inside = (rows + step >= 0) & (rows + step < rules.shape[0])
            rows, inner = rows[inside] + step, inner[inside]
            beside = inner & dark[rows]
            taken = beside.sum(axis=1) >= EDGE_SHARE * np.maximum(inner.sum(axis=1), 1)
            if not taken.any():
                break
            rows, inner = rows[taken], beside[taken]
            for row, pixels in zip(rows, inner):  # one at a time: two rules may share a row
                rules[row] |= pixels


def _erased(gray: np.ndarray, rules: np.ndarray) -> Image.Image:
    """The image with the `rules` pixels painted white, and a pixel around them for their
    soft edges (a rule slightly off level spans two or three pixel rows)."""
    cleaned = gray.copy()
    cleaned[_grown(rules)] = 255
    return Image.fromarray(cleaned)


def _grown(mask: np.ndarray) -> np.ndarray:
    """A mask with the four neighbours of each of its cells."""
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return grown


def _paper(gray: np.ndarray) -> int:
    """The grey of a page's paper: most of a page is paper, so a sample's median."""
    return int(np.median(gray[::8, ::8]))


def binarize(image: Image.Image) -> Image.Image:
    """Black ink on white by Otsu's threshold: a scan's grey paper and soft edges make
    Tesseract misread a lone number ("72·548" as "54") that it reads cleanly in black
    and white."""
    gray = np.asarray(image.convert("L"))
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight_dark = np.cumsum(hist)
    weight_light = gray.size - weight_dark
    mass_dark = np.cumsum(hist * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_dark = mass_dark / weight_dark
        mean_light = (mass_dark[-1] - mass_dark) / weight_light
        between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    threshold = int(np.nanargmax(np.nan_to_num(between))) if gray.size else 128
    return Image.fromarray(np.where(gray > threshold, 255, 0).astype(np.uint8))


def clear_rule_remnants(snippet: Image.Image) -> Image.Image:
    """A black-and-white table cell without the borders its box caught: a straight run
    of ink across most of the cell's width, or down most of its height, is a ruling
    line (digits leave gaps between and around them); a pixel's gap is bridged and the
    pixel rows beside it go too, since a rule that is slightly off level spans two or
    three. Such a stroke beside a number makes Tesseract drop its minus."""
    gray = np.asarray(snippet.convert("L"))
    ink = gray < 128
    if not ink.any():
        return snippet
    height, width = ink.shape
    rules = (_rules_along_rows(ink, max(int(0.6 * width), 2))
             | _rules_along_columns(ink, max(int(0.8 * height), 2)))
    return _erased(gray, rules) if rules.any() else snippet


def turned_area(image: Image.Image, box: tuple[int, int, int, int], angle: float = 0.0,
                origin: tuple[int, int] = (0, 0), page_size: tuple[int, int] | None = None) -> Image.Image:
    """The part `box` of a page image turned by `angle` (as `turn` turns it: `box` is in
    the frame of the turned page, the frame of the OCR word boxes), without turning the
    rest of the page. `image` may be part of the page's (`source_area`): its top-left
    corner at pixel `origin` of a page image of `page_size` pixels."""
    x0, top, x1, bottom = box
    width, height = page_size or image.size
    if not angle:
        return image.crop((x0 - origin[0], top - origin[1], x1 - origin[0], bottom - origin[1]))
    # PIL's rotate() as an affine map from the turned page back to the page, shifted
    # to the box's corner and to the part's: the same pixels `turn` would give, for the box alone
    theta = -math.radians(angle)
    a, b, d, e = math.cos(theta), math.sin(theta), -math.sin(theta), math.cos(theta)
    cx, cy = width / 2.0, height / 2.0
    c = a * -cx + b * -cy + cx - origin[0]
    f = d * -cx + e * -cy + cy - origin[1]
    return bicubic_affine(image, (x1 - x0, bottom - top), (a, b, a * x0 + b * top + c, d, e, d * x0 + e * top + f))


def bicubic_affine(image: Image.Image, size: tuple[int, int], matrix: tuple[float, ...],
                   fill: int = 255) -> Image.Image:
    """`image.transform(size, AFFINE, matrix, BICUBIC, fillcolor=fill)`: the page's turn,
    its largest cost after Tesseract. A grey image goes through `extract._turn`, the
    same pixels in a third of the time; without that compiled part (no C compiler when
    finsam was installed) or for another mode, Pillow turns it."""
    if _turn is not None and image.mode == "L" and min(size) > 0:
        data = _turn.bicubic_affine(image.tobytes(), image.size, size, matrix, fill)
        return Image.frombytes("L", size, data)
    return image.transform(size, Image.AFFINE, matrix, resample=Image.BICUBIC, fillcolor=fill)


def turned_box(box: tuple[float, float, float, float], angle: float, page_size: tuple[int, int]
               ) -> tuple[float, float, float, float]:
    """The bounds of `box` once its page (of `page_size` pixels) is turned by `angle` as
    `turn` turns it, about the page's centre; -`angle` turns the box back."""
    x0, top, x1, bottom = box
    cx, cy = page_size[0] / 2.0, page_size[1] / 2.0
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    xs = [cx + (x - cx) * cos + (y - cy) * sin for x in (x0, x1) for y in (top, bottom)]
    ys = [cy - (x - cx) * sin + (y - cy) * cos for x in (x0, x1) for y in (top, bottom)]
    return min(xs), min(ys), max(xs), max(ys)


BICUBIC_REACH = 3  # pixels around a point that bicubic interpolation reads, and one for rounding


def source_area(box: tuple[int, int, int, int], angle: float, page_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The part of a page image (pixels) that `turned_area` reads to give `box` of the
    page turned by `angle`."""
    x0, top, x1, bottom = turned_box(box, -angle, page_size)
    reach = BICUBIC_REACH
    return (max(int(x0) - reach, 0), max(int(top) - reach, 0),
            min(math.ceil(x1) + reach, page_size[0]), min(math.ceil(bottom) + reach, page_size[1]))


def clean_snippet(cell: Image.Image) -> Image.Image:
    """A cell image black on white, without dust specks or the borders it caught."""
    return clear_rule_remnants(remove_specks(binarize(cell)))


def rule_masks(image: Image.Image, resolution: int = OCR_RESOLUTION) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of the horizontal and of the vertical ruling lines of an image."""
    return _rule_masks(np.asarray(image.convert("L")), resolution)


def _rule_masks(gray: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    ink = gray < RULE_INK
    min_length = int(RULE_MIN_INCHES * resolution)
    return _rules_along_rows(ink, min_length), _rules_along_columns(ink, min_length)


GRID_CELL_INSET = 2      # pixels kept clear of a rule's edge inside a grid cell
GRID_MAX_STRETCH = 3.0   # a grid cell at most this many times the height of the cell's words


def ruled_cell(horizontal: np.ndarray, vertical: np.ndarray, box: tuple[int, int, int, int]
               ) -> tuple[int, int, int, int] | None:
    """The grid cell of a ruled table that holds the middle of `box` (pixels, in the
    frame of the two rule masks of `rule_masks`): the nearest rule above and below it
    that runs across the box, and left and right of it that runs along it; a side with
    no rule keeps the box's edge. None when no rule bounds it above and below within
    reach. OCR places a word on a scan to within a row, not exactly: its box may reach
    into the next row, or miss a digit; the rules say where the cell is."""
    x0, top, x1, bottom = box
    height = bottom - top
    mid_x, mid_y = (x0 + x1) // 2, (top + bottom) // 2
    reach = int(GRID_MAX_STRETCH * height)
    span_x = slice(max(x0, 0), max(x1, 1))
    rows = np.flatnonzero(horizontal[:, span_x].any(axis=1))
    above = rows[(rows < mid_y) & (rows >= mid_y - reach)]
    below = rows[(rows > mid_y) & (rows <= mid_y + reach)]
    if not above.size or not below.size:
        return None
    cell_top, cell_bottom = int(above.max()) + 1, int(below.min())
    span_y = slice(cell_top, max(cell_bottom, cell_top + 1))
    columns = np.flatnonzero(vertical[span_y, :].any(axis=0))
    left = columns[(columns < mid_x) & (columns >= x0 - reach)]
    right = columns[(columns > mid_x) & (columns <= x1 + reach)]
    cell_x0 = int(left.max()) + 1 if left.size else x0
    cell_x1 = int(right.min()) if right.size else x1
    inset = GRID_CELL_INSET
    if cell_bottom - cell_top <= 2 * inset + 4 or cell_x1 - cell_x0 <= 2 * inset + 4:
        return None
    return cell_x0 + inset, cell_top + inset, cell_x1 - inset, cell_bottom - inset


SPECK_WINDOW = 7      # pixels (at 300 dpi): a speck is alone in such a square
SPECK_MAX_INK = 9     # dust of up to 3×3 pixels; a dot or the end of a thin minus holds more


def _window_sums(ink: np.ndarray, size: int) -> np.ndarray:
    """For each pixel, how many pixels of `ink` lie in the `size`×`size` square around it
    (running sums down the columns, then along the rows)."""
    half = size // 2
    padded = np.pad(ink, ((half + 1, half), (half + 1, half))).astype(np.int32)
    down = np.cumsum(padded, axis=0, dtype=np.int32)
    rows = down[size:] - down[:-size]
    along = np.cumsum(rows, axis=1, dtype=np.int32)
    return along[:, size:] - along[:, :-size]


def remove_specks(snippet: Image.Image) -> Image.Image:
    """A black-and-white snippet without dust: ink pixels with little other ink in the
    square around them. Unlike a median filter it keeps a thin minus whole, which
    Tesseract needs to read a negative amount; a speck beside "-18" makes it drop the minus."""
    gray = np.asarray(snippet.convert("L"))
    ink = gray < 128
    if not ink.any():
        return snippet
    cleaned = gray.copy()
    cleaned[ink & (_window_sums(ink, SPECK_WINDOW) <= SPECK_MAX_INK)] = 255
    return Image.fromarray(cleaned)


PAGE_SPECK_REACH = 16    # pixels (at 300 dpi, 1.4 mm) of paper all round that make a blot lonely
PAGE_SPECK_MAX_INK = 24  # a blot of dust; a comma lies within 12 px of its letter, a lone minus holds more
PAGE_SPECK_INK = 60      # grey levels under the paper's that are ink
PAGE_SPECK_BLOCK = 4     # pixels: ink is counted in blocks this size (a page's worth of windows is cheap)


def _block_counts(mask: np.ndarray, size: int) -> np.ndarray:
    """How many pixels of `mask` each `size`×`size` block holds (the last ones padded)."""
    rows, columns = -(-mask.shape[0] // size), -(-mask.shape[1] // size)
    padded = np.zeros((rows * size, columns * size), dtype=np.uint8)
    padded[:mask.shape[0], :mask.shape[1]] = mask
    # down each block's rows first (whole pixel rows added), then across its columns, one
    # slice at a time in bytes: a block of up to 15×15 pixels holds at most 225, and
    # byte-wide adds are six times as fast as numpy's sum along an axis
    dtype = np.uint8 if size * size <= np.iinfo(np.uint8).max else np.int32
    by_rows = padded.reshape(rows, size, columns * size)
    down = by_rows[:, 0].astype(dtype)
    for k in range(1, size):
        down += by_rows[:, k]
    by_columns = down.reshape(rows, columns, size)
    counts = by_columns[:, :, 0].copy()
    for k in range(1, size):
        counts += by_columns[:, :, k]
    return counts.astype(np.int32)


def _pixels(blocks: np.ndarray, size: int, shape: tuple[int, int]) -> np.ndarray:
    """A mask of blocks as a mask of the pixels they cover."""
    return np.repeat(np.repeat(blocks, size, axis=0), size, axis=1)[:shape[0], :shape[1]]


def _page_ink(image: Image.Image) -> tuple[np.ndarray, int, np.ndarray]:
    """A page's grey pixels, the grey of its paper, and its ink: what is clearly darker
    than the paper (a scan's paper is grey, and its shade varies from scan to scan)."""
    gray = np.asarray(image.convert("L"))
    paper = _paper(gray)
    return gray, paper, gray < paper - PAGE_SPECK_INK


def _ink_blocks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The `PAGE_SPECK_BLOCK` blocks of a page's ink that hold some, and those of them
    that are lonely blots of dust: no other ink within `PAGE_SPECK_REACH` pixels."""
    size = PAGE_SPECK_BLOCK
    counts = _block_counts(ink, size)
    around = _window_sums(counts, 2 * (PAGE_SPECK_REACH // size) + 1)
    held = counts > 0
    return held, held & (around <= PAGE_SPECK_MAX_INK)


def remove_page_specks(image: Image.Image) -> Image.Image:
    """A page image without lonely blots of scanner dust: ink with no other ink within
    `PAGE_SPECK_REACH` pixels (counted in small blocks), painted paper with its soft edge.
    Tesseract joins such a blot to the text line beside it, and a word that reaches up to
    a blot is read as junk ("banda" for "beredningsgrupp)"). A comma, a decimal point, the
    dots of ä and ö and a minus all lie close to other ink or hold more of it, and stay."""
    gray, paper, ink = _page_ink(image)
    size = PAGE_SPECK_BLOCK
    lonely = _ink_blocks(ink)[1]
    if not lonely.any():
        return image
    # the blocks around a blot hold its soft edge and nothing else: all ink is far
    cleaned = gray.copy()
    cleaned[_pixels(_grown(lonely), size, gray.shape) & (gray < paper - 10)] = paper
    return Image.fromarray(cleaned)


CONTENT_MARGIN = 60  # pixels (at 300 dpi, 5 mm) of paper kept around a page's content
INK_BLOCK = 12       # pixels (1 mm at 300 dpi): ink the OCR words leave is looked for block by block


@dataclass(frozen=True)
class OcrImage:
    """A page image as finsam hands it to Tesseract, and where it lies on the page."""
    image: Image.Image           # the page's content, straightened, rules and dust erased
    angle: float                 # degrees the page was turned by (`turn`)
    origin: tuple[int, int]      # the pixel of the turned page at the image's top-left corner
    page_size: tuple[int, int]   # pixels of the whole turned page


def content_box(image: Image.Image, angle: float = 0.0) -> tuple[int, int, int, int]:
    """The part of the page, once turned by `angle` (the frame of `turn`), that holds
    all of its ink but lonely dust, with `CONTENT_MARGIN` of paper around it: the rest is
    margin, and turning it, erasing its rules and having Tesseract look at it only cost
    time. Its corner lies on the grid of the blocks dust and unread ink are counted in,
    so that those come out as on the whole page. The whole page when it holds no ink."""
    held, lonely = _ink_blocks(_page_ink(image)[2])
    rows, columns = np.nonzero(held & ~lonely)
    if not rows.size:
        return 0, 0, image.width, image.height
    size = PAGE_SPECK_BLOCK
    x0, top, x1, bottom = columns.min() * size, rows.min() * size, (columns.max() + 1) * size, (rows.max() + 1) * size
    x0, top, x1, bottom = turned_box((x0, top, x1, bottom), angle, image.size)
    grid = math.lcm(PAGE_SPECK_BLOCK, INK_BLOCK)
    return (max(int(x0) - CONTENT_MARGIN, 0) // grid * grid, max(int(top) - CONTENT_MARGIN, 0) // grid * grid,
            min(math.ceil(x1) + CONTENT_MARGIN, image.width), min(math.ceil(bottom) + CONTENT_MARGIN, image.height))


def page_for_ocr(image: Image.Image) -> OcrImage:
    """The page image as finsam hands it to Tesseract: straightened, cut to its content
    (`content_box`: only that part is turned), its ruling lines and lonely dust erased."""
    angle = skew_to_undo(image)
    box = content_box(image, angle)
    content = turned_area(image, box, angle)
    return OcrImage(remove_page_specks(remove_rules(content)), angle, box[:2], image.size)


INK_BLOCK_MIN = 10   # ink pixels that make a block hold something (a digit's stroke crossing it)
WORD_MARGIN = 3      # pixels around a word's box that are still the word's


def ink_outside(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Where a page image holds ink that none of `boxes` (the OCR words, in pixels)
    covers, as pixel boxes: runs of blocks along a row, each with some ink. Tesseract
    now and then drops a short word outright (a lone "0" in a table cell); the ink it
    left says where to read again."""
    ink = _page_ink(image)[2]
    for x0, top, x1, bottom in boxes:
        ink[max(top - WORD_MARGIN, 0):bottom + WORD_MARGIN, max(x0 - WORD_MARGIN, 0):x1 + WORD_MARGIN] = False
    size = INK_BLOCK
    held = _block_counts(ink, size) >= INK_BLOCK_MIN
    out = []
    for block_row in np.flatnonzero(held.any(axis=1)):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], held[block_row].astype(np.int8), [0]))))
        out.extend((int(start) * size, int(block_row) * size, int(stop) * size, int(block_row + 1) * size)
                   for start, stop in zip(edges[::2], edges[1::2]))
    return out
