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


def test_cell_snippet_is_clean_black_on_white_and_turned_like_the_page():
    import numpy as np
    from PIL import Image

    from extract.raster import cell_snippet, turn

    page = np.full((300, 400), 235, np.uint8)        # grey paper
    page[100:103, 50:350] = 40                        # a table rule
    page[120:124, 150:170] = 30                       # a minus
    page[140:142, 60:62] = 90                         # a speck of dust
    image = Image.fromarray(page)
    snippet = np.asarray(cell_snippet(image, (40, 98, 360, 150)))
    assert set(np.unique(snippet)) <= {0, 255}
    assert (snippet[22:26, 110:130] == 0).all()       # the minus stays whole
    assert (snippet[2:5, :] == 255).all()             # the rule is gone
    assert (snippet[42:44, 20:22] == 255).all()       # the speck is gone
    turned = cell_snippet(image, (40, 98, 360, 150), 1.5)
    assert np.array_equal(np.asarray(turned), np.asarray(cell_snippet(turn(image, 1.5), (40, 98, 360, 150))))
