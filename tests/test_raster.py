"""Page images: rasterizing and straightening a crooked scan (real pdfium, real NumPy)."""
from __future__ import annotations

import pdfplumber
import pytest
from hypothesis import given, settings, strategies as st

from extract.raster import estimate_skew, is_sideways, rasterize, skew_to_undo, turn, upright
from tests.conftest import SCANNED, pdf_path


@pytest.fixture(scope="module")
def page_image():
    with pdfplumber.open(pdf_path("003_nedansiljan_vp2026", "word")) as pdf:
        return rasterize(pdf.pages[1], resolution=150)


@pytest.mark.parametrize("angle", [-2.5, -1.2, 0.8, 2.0])
def test_skew_is_measured_and_undone(page_image, angle):
    crooked = page_image.rotate(angle, fillcolor=255)
    assert estimate_skew(crooked) == pytest.approx(-angle, abs=0.3)
    applied = skew_to_undo(crooked)
    assert applied == pytest.approx(-angle, abs=0.3)
    assert abs(estimate_skew(turn(crooked, applied))) <= 0.3


def test_straight_page_is_left_alone(page_image):
    assert skew_to_undo(page_image) == 0.0


def test_cell_snippet_is_clean_black_on_white_and_turned_like_the_page():
    import numpy as np
    from PIL import Image

    from extract.raster import clean_snippet, turn, turned_area

    def cell_snippet(image, box, angle=0.0):
        return clean_snippet(turned_area(image, box, angle))

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


def _ruled_page():
    """Grey paper with a blurred table rule (dark core, soft grey edges) and a letter's
    tail touching it, as a soft low-resolution scan shows them."""
    import numpy as np

    page = np.full((200, 600), 226, np.uint8)
    page[100:103, 20:580] = 60                        # the rule's dark core
    page[97:100, 20:580] = 185                        # its blurred edges: grey, not ink
    page[103:106, 20:580] = 185
    page[80:100, 300:306] = 40                        # the tail of a "g" reaching into it
    page[60:80, 290:310] = 40                         # the rest of the letter
    return page


def test_a_rule_is_erased_with_its_blurred_edges_and_a_letter_touching_it_stays():
    import numpy as np
    from PIL import Image

    from extract.raster import remove_rules

    cleaned = np.asarray(remove_rules(Image.fromarray(_ruled_page())))
    assert (cleaned[96:107, 20:290] == 255).all()     # core and edges gone: no dashes left
    assert (cleaned[60:80, 290:310] == 40).all()      # the letter is untouched
    assert (cleaned[80:95, 300:306] == 40).all()      # and its tail down to the rule's edge


def test_a_line_of_blurred_text_is_not_a_rule():
    import numpy as np
    from PIL import Image

    from extract.raster import remove_rules

    page = np.full((120, 600), 226, np.uint8)
    page[50:70, 20:580:9] = 40                        # letters' strokes, a gap between each
    page[50:70, 21:580:9] = 190                       # their soft edges
    assert np.array_equal(np.asarray(remove_rules(Image.fromarray(page))), page)


def test_ruled_cell_is_the_grid_cell_around_a_box_ocr_placed_roughly():
    import numpy as np
    from PIL import Image

    from extract.raster import GRID_CELL_INSET, rule_masks, ruled_cell

    page = np.full((420, 900), 255, np.uint8)
    for y in (100, 160, 220, 280, 340):               # five horizontal rules: four rows
        page[y:y + 3, 50:850] = 0
    for x in (50, 450, 650, 850):                     # four vertical rules: three columns
        page[100:343, x:x + 3] = 0
    horizontal, vertical = rule_masks(Image.fromarray(page))
    inset = GRID_CELL_INSET
    # a box in the second column's upper row, reaching below the rule into the next row
    assert ruled_cell(horizontal, vertical, (480, 120, 600, 168)) == (
        453 + inset, 103 + inset, 650 - inset, 160 - inset)
    # a box in the lower row that missed a digit on the left
    assert ruled_cell(horizontal, vertical, (700, 175, 800, 210)) == (
        653 + inset, 163 + inset, 850 - inset, 220 - inset)
    # no rules around: no grid cell
    assert ruled_cell(horizontal, vertical, (100, 360, 300, 395)) is None


def test_rows_ruled_without_columns_keep_the_box_edges():
    import numpy as np
    from PIL import Image

    from extract.raster import GRID_CELL_INSET, rule_masks, ruled_cell

    page = np.full((300, 900), 255, np.uint8)
    page[100:102, 50:850] = 0
    page[160:162, 50:850] = 0
    horizontal, vertical = rule_masks(Image.fromarray(page))
    inset = GRID_CELL_INSET
    assert ruled_cell(horizontal, vertical, (480, 115, 600, 150)) == (
        480 + inset, 102 + inset, 600 - inset, 160 - inset)


def test_lonely_dust_is_erased_and_commas_dots_and_minus_stay():
    """Blots of dust far from any text go; a comma after a word, a decimal comma, the dot
    of an "i", a minus and a lone minus in an empty cell lie near other ink or hold
    more of it and are not touched: not one pixel of the text changes."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from extract.raster import remove_page_specks

    page = Image.new("L", (1400, 260), 226)           # grey paper
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=40)            # about 10 pt at 300 dpi
    draw.text((20, 40), "Kanslikostnader, hyra, dator. 1 222,5 -18 i j", fill=40, font=font)
    draw.text((1200, 150), "-", fill=40, font=font)   # a dash in an otherwise empty cell
    text = np.asarray(page.filter(ImageFilter.GaussianBlur(1.2))).copy()
    dusty = text.copy()
    dust = [(150, 100), (10, 600), (200, 900), (20, 1300)]
    for y, x in dust:
        dusty[y:y + 4, x:x + 4] = 30
    cleaned = np.asarray(remove_page_specks(Image.fromarray(dusty)))
    for y, x in dust:
        assert (cleaned[y - 2:y + 6, x - 2:x + 6] > 200).all()
    assert np.array_equal(cleaned[dusty == text], text[dusty == text])


def test_ink_no_word_covers_is_found_and_a_cell_holding_it_says_so():
    """A lone "0" that Tesseract dropped: its ink is outside every word's box and fills
    a good share of its blank cell; a speck of dust in another cell does not."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from extract.raster import ink_outside
    from extract.tables import holds_ink

    page = Image.new("L", (1200, 200), 226)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=40)
    draw.text((20, 60), "Kontorsmaterial", fill=40, font=font)
    draw.text((700, 60), "0", fill=40, font=font)       # the zero OCR dropped
    draw.text((900, 60), "0", fill=40, font=font)       # a zero OCR read
    pixels = np.asarray(page).copy()
    pixels[80:85, 1100:1105] = 30                       # a speck in the last cell
    words = [(18, 60, 330, 105), (898, 60, 930, 105)]   # the word boxes OCR gave (pixels)
    ink = ink_outside(Image.fromarray(pixels), words)
    assert ink and all(x0 >= 600 for x0, *_ in ink)     # nothing of the label or the read zero
    row = lambda x0, x1: (x0, 60, x1, 105)              # noqa: E731  a cell of the row
    assert holds_ink(row(680, 760), ink)
    assert not holds_ink(row(1080, 1160), ink)          # the speck's cell
    assert not holds_ink(row(400, 600), ink)            # a blank cell
    assert not holds_ink(None, ink)


def test_block_counts_and_column_rules_agree_with_the_plain_computation():
    """The fast forms count what the plain ones count: ink per block, summed pixel by
    pixel; rules down the columns, found by turning the whole image into rows."""
    import numpy as np

    from extract.raster import _block_counts, _rules_along_columns, _rules_along_rows

    rng = np.random.default_rng(7)
    ink = rng.random((203, 157)) < 0.3               # sides not multiples of the block
    ink[10:190, 40] = True                            # a vertical rule
    ink[20:180:2, 90] = True                          # a dotted one, gaps of a pixel
    counts = _block_counts(ink, 4)
    assert counts.shape == (51, 40)
    for row, column in [(0, 0), (7, 13), (50, 39), (25, 10)]:
        assert counts[row, column] == ink[4 * row:4 * row + 4, 4 * column:4 * column + 4].sum()
    assert counts.sum() == ink.sum()
    columns = _rules_along_columns(ink, 120)
    assert np.array_equal(columns, _rules_along_rows(np.ascontiguousarray(ink.T), 120).T)
    assert columns[10:190, 40].all() and columns[20:180, 90].all()


@pytest.mark.parametrize("name", ["002_vvnd_ar2025.scan", "004_ornskoldsvik_vp2026.badscan"])
def test_a_page_on_its_side_is_told_from_an_upright_one(name):
    """The scanned pages of two fixtures (crooked, dusty), upright and turned a quarter
    either way. The last page of 002 holds signatures and six lines: turned, it scores
    0.6, too close to call, and is left as it is (it holds no table)."""
    with pdfplumber.open(SCANNED / f"{name}.pdf") as pdf:
        pages = [rasterize(page, resolution=100) for page in pdf.pages]
    assert not any(is_sideways(page) for page in pages)
    assert not any(is_sideways(upright(page, 180)) for page in pages)  # upside down is no side
    with_text = pages[:-1] if name.startswith("002") else pages
    assert all(is_sideways(upright(page, quarter)) for page in with_text for quarter in (90, 270))


def _plain_rules_along_rows(ink, min_length):
    """Rules along rows the plain way: the gaps bridged and the long runs found in
    every row of the image, none skipped."""
    from extract.raster import _close_along_rows, _long_runs

    return _long_runs(_close_along_rows(ink, 1), min_length)


def test_rules_found_through_blocks_are_those_of_the_plain_run_search():
    """Looking first for stretches of inked blocks (`_may_hold_runs`) skips the rows of
    text but no rule: long runs, dotted ones, runs a pixel short of the length, runs
    off the block grid, at the image's edge; and rules found on a real scan's table."""
    import numpy as np

    from extract.raster import _rules_along_columns, _rules_along_rows, rasterize, turn

    rng = np.random.default_rng(11)
    ink = rng.random((120, 613)) < 0.25               # a width no multiple of a block
    ink[5, 3:183] = True                               # exactly the length, off the grid
    ink[9, 100:279] = True                             # a pixel short
    ink[14, 0:400:2] = True                            # dotted: gaps of a pixel
    ink[20, 433:613] = True                            # up to the right edge
    ink[30, 50:200] = True
    ink[30, 202:300] = True                            # broken by two pixels: two short runs
    for length in (180, 40, 16, 12):
        assert np.array_equal(_rules_along_rows(ink, length), _plain_rules_along_rows(ink, length)), length
    with pdfplumber.open(SCANNED / "002_vvnd_ar2025.scan.pdf") as pdf:
        page = rasterize(pdf.pages[4])
    ink = np.asarray(turn(page, skew_to_undo(page))) < 170   # a page of tables, ruled
    rows = _rules_along_rows(ink, 180)
    assert rows.any() and np.array_equal(rows, _plain_rules_along_rows(ink, 180))
    columns = _rules_along_columns(ink, 180)
    assert columns.any() and np.array_equal(columns, _plain_rules_along_rows(np.ascontiguousarray(ink.T), 180).T)


def test_part_of_a_page_is_rendered_and_turned_as_the_whole_page_is():
    """A part of a page rendered alone has the whole page's pixels there, and the area
    turned from it (`source_area`, `turned_area` with the part's origin) is the one
    turned from the whole page."""
    import numpy as np

    from extract.raster import page_pixels, source_area, turned_area

    with pdfplumber.open(SCANNED / "004_ornskoldsvik_vp2026.badscan.pdf") as pdf:
        page = pdf.pages[1]
        whole = rasterize(page)
        assert whole.size == page_pixels(page)
        for box in [(0, 0, 300, 200), (251, 1001, 1980, 2258), (2000, 3300, whole.width, whole.height)]:
            assert np.array_equal(np.asarray(rasterize(page, box=box)), np.asarray(whole.crop(box))), box
        area = (400, 900, 2100, 1700)
        for angle in (0.0, 1.3, -2.2):
            part = source_area(area, angle, whole.size)
            alone = turned_area(rasterize(page, box=part), area, angle, part[:2], whole.size)
            assert np.array_equal(np.asarray(alone), np.asarray(turned_area(whole, area, angle))), angle
            assert np.array_equal(np.asarray(alone), np.asarray(turn(whole, angle).crop(area))), angle


def test_content_box_holds_all_ink_but_lonely_dust_turned_with_the_page():
    """The content box holds every blot of real ink, with a margin of paper, and not the
    dust on the margins; for a crooked page it holds the ink where the turned page has
    it; its corner is on the grid of the dust and unread-ink blocks; a blank page is
    kept whole."""
    import numpy as np
    from PIL import Image

    from extract.raster import CONTENT_MARGIN, INK_BLOCK, PAGE_SPECK_BLOCK, content_box, page_for_ocr

    paper = np.full((1200, 900), 228, np.uint8)
    blank = Image.fromarray(paper.copy())
    paper[300:340, 200:700] = 30                        # a line of text
    paper[800:830, 250:400] = 40                        # another
    paper[60:62, 60:62] = 50                            # dust in the margins
    paper[1150:1152, 850:852] = 50
    page = Image.fromarray(paper)
    x0, top, x1, bottom = content_box(page)
    assert x0 <= 200 - CONTENT_MARGIN + INK_BLOCK and top <= 300 - CONTENT_MARGIN + INK_BLOCK
    assert x0 > 62 and top > 62 and x1 < 850 and bottom < 1150
    assert x1 >= 700 + CONTENT_MARGIN - 1 and bottom >= 830 + CONTENT_MARGIN - 1
    assert x0 % INK_BLOCK == 0 and top % INK_BLOCK == 0 and INK_BLOCK % PAGE_SPECK_BLOCK == 0
    text_only = paper.copy()
    text_only[60:62, 60:62] = text_only[1150:1152, 850:852] = 228
    turned = np.asarray(turn(Image.fromarray(text_only), 2.0)) < 128
    box = content_box(page, 2.0)
    ys, xs = np.nonzero(turned)
    assert box[0] <= xs.min() and box[1] <= ys.min() and box[2] > xs.max() and box[3] > ys.max()
    assert content_box(blank) == (0, 0, 900, 1200)
    read = page_for_ocr(page)
    assert read.page_size == (900, 1200) and read.origin == (x0, top) and read.image.size == (x1 - x0, bottom - top)


def _pillow_transform(image, size, matrix, fill=255):
    from PIL import Image

    return image.transform(size, Image.AFFINE, matrix, resample=Image.BICUBIC, fillcolor=fill)


def test_the_compiled_turn_is_built():
    """setup.py builds `extract._turn` wherever a C compiler is (scripts/setup.sh installs
    one): without it every page turns at a third of the speed, silently."""
    from extract import raster

    assert raster._turn is not None, "extract._turn was not built: run scripts/setup.sh (it needs gcc)"


@pytest.mark.parametrize("name, number", [("002_vvnd_ar2025.scan.pdf", 2), ("004_ornskoldsvik_vp2026.badscan.pdf", 3)])
def test_the_compiled_turn_gives_pillows_pixels_on_scanned_pages(name, number, monkeypatch):
    """`bicubic_affine` (the compiled turn) is Pillow's bicubic transform byte for byte on
    real scanned pages: turned by the page's own skew and by others, over the content
    and over boxes reaching past every edge of the page, and in `page_for_ocr`, the
    image Tesseract reads."""
    import math

    import numpy as np

    from extract import raster
    from extract.raster import bicubic_affine, content_box, page_for_ocr

    with pdfplumber.open(SCANNED / name) as pdf:
        image = rasterize(pdf.pages[number - 1])
    skew = skew_to_undo(image)
    assert skew, "the page should be crooked"
    width, height = image.size
    for angle in (skew, -3.9, 0.4):
        for box in (content_box(image, angle), (-40, -25, width + 30, height + 45), (width - 300, 10, width + 5, 200)):
            theta = -math.radians(angle)
            cos, sin = math.cos(theta), math.sin(theta)
            x0, top = box[:2]
            matrix = (cos, sin, cos * (x0 - width / 2) + sin * (top - height / 2) + width / 2,
                      -sin, cos, -sin * (x0 - width / 2) + cos * (top - height / 2) + height / 2)
            size = (box[2] - box[0], box[3] - box[1])
            fast = bicubic_affine(image, size, matrix)
            assert np.array_equal(np.asarray(fast), np.asarray(_pillow_transform(image, size, matrix))), (angle, box)
    compiled = page_for_ocr(image)
    monkeypatch.setattr(raster, "_turn", None)  # Pillow turns the page instead
    by_pillow = page_for_ocr(image)
    assert (compiled.angle, compiled.origin) == (by_pillow.angle, by_pillow.origin)
    assert np.array_equal(np.asarray(compiled.image), np.asarray(by_pillow.image))


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 40), height=st.integers(1, 40), seed=st.integers(0, 2**32 - 1),
       out=st.tuples(st.integers(1, 50), st.integers(1, 50)),
       matrix=st.tuples(*[st.floats(-2.0, 2.0)] * 2, st.floats(-30.0, 60.0),
                        *[st.floats(-2.0, 2.0)] * 2, st.floats(-30.0, 60.0)),
       fill=st.integers(0, 255), contrast=st.booleans())
def test_the_compiled_turn_gives_pillows_pixels_for_any_image_and_map(width, height, seed, out, matrix, fill, contrast):
    """Any grey image (tiny ones, where every tap is clipped; black and white ones, where
    bicubic overshoots below 0 and above 255) under any affine map (scaled, sheared,
    mirrored, reaching outside the image): Pillow's bytes."""
    import numpy as np
    from PIL import Image

    from extract.raster import bicubic_affine

    rng = np.random.default_rng(seed)
    pixels = rng.choice([0, 255], (height, width)) if contrast else rng.integers(0, 256, (height, width))
    image = Image.fromarray(pixels.astype(np.uint8))
    assert bicubic_affine(image, out, matrix, fill).tobytes() == _pillow_transform(image, out, matrix, fill).tobytes()
