"""Page → image for OCR: rasterize at a resolution that reads small table digits, and
straighten a scan that was fed in crooked.

Deskew uses the projection-profile method: text lines are horizontal bands, so the row
sums of ink are sharpest (largest variance) at the angle that makes them level. It is
pure NumPy on a downscaled copy, fast enough for every page.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

OCR_RESOLUTION = 300          # dpi; table digits in 8–9 pt need it
RULE_MIN_INCHES = 0.6         # a dark run this long is a ruling line, never a letter
MAX_SKEW_DEGREES = 4.0
SKEW_STEP = 0.1


def rasterize(page, resolution: int = OCR_RESOLUTION) -> Image.Image:
    """A pdfplumber page as a grayscale PIL image."""
    return page.to_image(resolution=resolution).original.convert("L")


def _profile_score(ys: np.ndarray, xs: np.ndarray, height: int, angle: float) -> float:
    """Sharpness of the row profile of the ink pixels sheared by `angle`: for the few
    degrees a scanner skews a page, a shear is the rotation to within a pixel, and
    shearing the coordinates of the ink alone (a bincount) costs a fraction of rotating
    the whole image."""
    rows = np.rint(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
    offset = int(np.ceil(abs(np.tan(np.radians(MAX_SKEW_DEGREES + 1))) * xs.max(initial=0))) + 1
    profile = np.bincount(rows + offset, minlength=height + 2 * offset).astype(np.float32)
    return float(np.var(np.diff(profile)))


def estimate_skew(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise positive) that levels the text lines."""
    small = image.copy()
    small.thumbnail((900, 900))
    ink = np.asarray(ImageOps.invert(small.convert("L")), dtype=np.uint8) > 96
    if ink.mean() < 0.5 / 255:  # an empty page
        return 0.0
    ys, xs = np.nonzero(ink)
    xs = xs - ink.shape[1] / 2.0  # shear about the centre, as PIL rotates
    score = lambda a: _profile_score(ys.astype(np.float64), xs, ink.shape[0], -a)  # noqa: E731
    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, SKEW_STEP)
    return round(float(max(fine, key=score)), 2)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The image straightened, and the angle it was turned by."""
    angle = estimate_skew(image)
    if abs(angle) < 0.15:  # within the estimate's own noise: leave the page as it is
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255), angle


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
    """Bridge gaps of up to `gap` pixels along rows (a scanned rule is broken by noise)."""
    grown = mask.copy()
    for k in range(1, gap + 1):
        grown[:, k:] |= mask[:, :-k]
        grown[:, :-k] |= mask[:, k:]
    shrunk = grown.copy()
    for k in range(1, gap + 1):
        shrunk[:, k:] &= grown[:, :-k]
        shrunk[:, :-k] &= grown[:, k:]
    return shrunk


def remove_rules(image: Image.Image, resolution: int = OCR_RESOLUTION) -> Image.Image:
    """Erase the ruling lines of tables (and underlines): they make Tesseract merge cells
    and drop whole rows. Long straight runs of ink (a gap of one pixel bridged: scanned
    rules are broken by noise) are painted white, with a pixel around them for their soft edges."""
    gray = np.asarray(image.convert("L"))
    ink = gray < 170
    min_length = int(RULE_MIN_INCHES * resolution)
    columns = np.ascontiguousarray(ink.T)  # vertical rules as rows: contiguous is faster
    rules = (_long_runs(_close_along_rows(ink, 1), min_length)
             | _long_runs(_close_along_rows(columns, 1), min_length).T)
    if not rules.any():
        return image
    grown = rules.copy()
    for k in (1,):
        grown[k:, :] |= rules[:-k, :]
        grown[:-k, :] |= rules[k:, :]
        grown[:, k:] |= rules[:, :-k]
        grown[:, :-k] |= rules[:, k:]
    cleaned = gray.copy()
    cleaned[grown] = 255
    return Image.fromarray(cleaned)
