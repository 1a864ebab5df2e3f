"""Words → lines → cells: spacing decides what is one cell."""
from __future__ import annotations

from extract.lines import group_lines, strip_running_lines
from extract.pdf_words import join_marks
from models import Word


def _words(spec, top=100.0, size=10.0):
    """spec: (text, x0) pairs; widths follow the text length at 5 pt per character."""
    return [Word(t, x, x + 5 * len(t), top, top + size, 1, size) for t, x in spec]


def test_digit_groups_stay_one_cell_and_columns_split():
    # "Förbundschef 4 812,0 7 808 000" with one-space digit groups and wide column gaps
    line = group_lines(_words([("Förbundschef", 50), ("4", 300), ("812,0", 308),
                               ("7", 400), ("808", 408), ("000", 426)]))[0]
    assert [s.text for s in line.segments] == ["Förbundschef", "4 812,0", "7 808 000"]


def test_ocr_digit_groups_a_wider_space_apart_stay_one_cell():
    """Seed 002's budget against outcome as a fax reads it (8.2 pt, boxes as Tesseract
    gave them): "2 108" with 5.3 pt between the groups was two cells, and the "2" was
    lost under the "108" in the same column. The next column, 57 pt on, stays apart;
    a typed text layer with the same gap keeps the narrower rule."""
    spec = [("Eda", 238.9, 256.9), ("2", 339.7, 344.5), ("108", 349.8, 371.1), ("2100", 428.0, 455.3)]
    ocr = [Word(t, x0, x1, 100, 108.2, 11, 8.2, confidence=87) for t, x0, x1 in spec]
    typed = [Word(t, x0, x1, 100, 108.2, 11, 8.2) for t, x0, x1 in spec]
    assert [s.text for s in group_lines(ocr)[0].segments] == ["Eda", "2 108", "2100"]
    assert [s.text for s in group_lines(typed)[0].segments] == ["Eda", "2", "108", "2100"]


def test_numbers_of_four_digits_and_more_start_a_cell_in_a_tilted_scan():
    """Seed 002's five-year overview, from the report producer, scanned 2.5° askew: the
    words' boxes are tall (15.4 pt), so a cell may seem to hold 13.9 pt of gap, and the
    five amounts of the first row, 11 pt apart, were one cell of 35 digits."""
    spec = [("intäkter", 144.0, 184.3), ("8", 250.0, 255.5), ("059", 259.4, 277.4), ("950", 281.7, 300.2),
            ("8265", 311.0, 337.8), ("184", 343.3, 360.9), ("8090854", 371.9, 421.8), ("4968575", 432.6, 482.7)]
    words = [Word(t, x0, x1, 100, 115.4, 3, 15.4, confidence=89) for t, x0, x1 in spec]
    assert [s.text for s in group_lines(words)[0].segments] == [
        "intäkter", "8 059 950", "8265 184", "8090854", "4968575"]


def test_minus_with_space_stays_with_its_number():
    line = group_lines(_words([("Resultat", 50), ("-", 380), ("104", 388), ("286", 406)]))[0]
    assert [s.text for s in line.segments] == ["Resultat", "- 104 286"]


def test_words_of_a_label_stay_together():
    line = group_lines(_words([("Kassa", 50), ("och", 78), ("bank", 96)]))[0]
    assert line.segments[0].text == "Kassa och bank"



def test_dot_leaders_part_a_label_from_its_numbers():
    """Older typed budgets lead the eye from a label to its numbers with dots, set a
    word space from the number: the dots are no text, and the number is a cell of its own."""
    standalone = group_lines(_words([("Medlemsbidrag", 50), ("...................", 118), ("1", 216),
                                     ("500", 224), ("1", 300), ("500", 308)]))[0]
    glued = group_lines(_words([("Finansiella", 50), ("anslag.............", 108), ("3", 206), ("262", 214)]))[0]
    spaced = group_lines(_words([("Styrelse", 50), (".", 94), (".", 102), (".", 110), (".", 118), ("99", 126)]))[0]
    assert [s.text for s in standalone.segments] == ["Medlemsbidrag", "1 500", "1 500"]
    assert [s.text for s in glued.segments] == ["Finansiella anslag", "3 262"]
    assert glued.segments[0].x1 == 108 + 5 * len("anslag")  # the box ends where the letters do
    assert [s.text for s in spaced.segments] == ["Styrelse", "99"]


def test_an_ellipsis_is_no_leader():
    line = group_lines(_words([("Övrigt", 50), ("...", 84), ("Kurser", 300)]))[0]
    assert [s.text for s in line.segments] == ["Övrigt ...", "Kurser"]

def test_running_footer_removed():
    pages = [group_lines(_words([("Text", 50)], top=100) + _words([("Sida", 280), (str(n), 306)], top=800))
             for n in (1, 2, 3)]
    cleaned = strip_running_lines(pages, [842.0] * 3)
    assert all([l.text for l in page] == ["Text"] for page in cleaned)


def test_page_number_with_scan_dust_is_furniture_too():
    """Seed 002 scanned askew: page 8's footer read '"Sida 8' was no page number, and
    became the title of the table at the top of page 9."""
    page = group_lines(_words([("Text", 50)], top=100) + _words([('"Sida', 280), ("8", 306)], top=800))
    assert [l.text for l in strip_running_lines([page], [842.0])[0]] == ["Text"]


def test_decomposed_letters_are_joined():
    assert join_marks("Tja\u0308nst") == "Tjänst"
    assert join_marks("Tja \u0308nst") == "Tjänst"    # a stray space before the mark
    assert join_marks("O\u0308rnsko\u0308ldsvik") == "Örnsköldsvik"
    assert join_marks("\u0308Ovrigt") == "Övrigt"      # mark before its letter


def _ocr_words(spec, top=100.0, size=10.0, confidence=90.0):
    return [Word(t, x, x + 5 * len(t), top, top + size, 1, size, confidence=confidence) for t, x in spec]


def test_scan_dust_around_an_ocr_number_is_taken_off():
    line = group_lines(_ocr_words([("Västra", 50), ("Götalandsregionen", 85), (".352", 300),
                                   ("400", 323), ("kr:", 341), ("[0]", 420), ("2", 470),
                                   ("070", 478), ("000.", 496)]))[0]
    assert [s.text for s in line.segments] == ["Västra Götalandsregionen", "352 400 kr", "0", "2 070 000"]
    # a rule's stroke read as "=" before the minus (seed 001's "-1 820 000", scanned)
    line = group_lines(_ocr_words([("Årets", 50), ("intäkter", 80), ("=-1", 300), ("820000", 318)]))[0]
    assert line.segments[-1].text == "-1 820000"


def test_dust_is_kept_where_it_is_text_or_typed():
    # a sentence's end is no dust; a typed text layer is read as printed
    line = group_lines(_ocr_words([("ca", 50), ("57%.", 300)]))[0]
    assert line.segments[-1].text == "57%."
    typed = group_lines(_words([("Summa", 50), ("2", 300), ("070", 308), ("000.", 326)]))[0]
    assert typed.segments[-1].text == "2 070 000."


def test_lone_specks_beside_an_ocr_row_are_dropped():
    words = (_ocr_words([("Arvika", 50), ("Eda", 85), ("i", 150), (":", 300)])
             + _ocr_words([("Eda", 50), ("kommun", 70), ("7", 300)], top=120, confidence=41)
             + _ocr_words([("196", 400), ("600", 418)], top=120))
    first, second = group_lines(words)
    assert first.text == "Arvika Eda"
    assert [s.text for s in second.segments] == ["Eda kommun", "196 600"]


def test_a_dash_after_an_ocr_number_is_dust():
    # a minus stands before a number, never after it apart ("2445 -": a rule's stroke)
    from extract.lines import without_scan_dust

    assert without_scan_dust("2445 -") == "2445"
    assert without_scan_dust("- 43") == "- 43"
    assert without_scan_dust("-") == "-"  # a dash alone holds an empty cell's place
