"""Page images: rasterizing and straightening a crooked scan (real pdfium, real NumPy)."""
from __future__ import annotations

import pdfplumber
import pytest

from extract.raster import deskew, estimate_skew, rasterize
from tests.conftest import pdf_path


@pytest.fixture(scope="module")
def page_image():
    with pdfplumber.open(pdf_path("003_nedansiljan_vp2026", "word")) as pdf:
        return rasterize(pdf.pages[1], resolution=150)


@pytest.mark.parametrize("angle", [-2.5, -1.2, 0.8, 2.0])
def test_skew_is_measured_and_undone(page_image, angle):
    crooked = page_image.rotate(angle, fillcolor=255)
    assert estimate_skew(crooked) == pytest.approx(-angle, abs=0.3)
    straight, applied = deskew(crooked)
    assert applied == pytest.approx(-angle, abs=0.3)
    assert abs(estimate_skew(straight)) <= 0.3


def test_straight_page_is_left_alone(page_image):
    _, applied = deskew(page_image)
    assert applied == 0.0
