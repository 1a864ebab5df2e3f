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
MAX_SKEW_DEGREES = 4.0
SKEW_STEP = 0.1


def rasterize(page, resolution: int = OCR_RESOLUTION) -> Image.Image:
    """A pdfplumber page as a grayscale PIL image."""
    return page.to_image(resolution=resolution).original.convert("L")


def _profile_score(binary: np.ndarray, angle: float) -> float:
    rotated = Image.fromarray(binary).rotate(angle, resample=Image.NEAREST, expand=False, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float32).sum(axis=1)
    return float(np.var(np.diff(rows)))


def estimate_skew(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise positive) that levels the text lines."""
    small = image.copy()
    small.thumbnail((900, 900))
    ink = np.asarray(ImageOps.invert(small.convert("L")), dtype=np.uint8)
    binary = np.where(ink > 96, 255, 0).astype(np.uint8)
    if binary.mean() < 0.5:  # an empty page
        return 0.0
    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _profile_score(binary, a))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, SKEW_STEP)
    return round(float(max(fine, key=lambda a: _profile_score(binary, a))), 2)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The image straightened, and the angle it was turned by."""
    angle = estimate_skew(image)
    if abs(angle) < 0.15:  # within the estimate's own noise: leave the page as it is
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255), angle
