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


def test_minus_with_space_stays_with_its_number():
    line = group_lines(_words([("Resultat", 50), ("-", 380), ("104", 388), ("286", 406)]))[0]
    assert [s.text for s in line.segments] == ["Resultat", "- 104 286"]


def test_words_of_a_label_stay_together():
    line = group_lines(_words([("Kassa", 50), ("och", 78), ("bank", 96)]))[0]
    assert line.segments[0].text == "Kassa och bank"


def test_running_footer_removed():
    pages = [group_lines(_words([("Text", 50)], top=100) + _words([("Sida", 280), (str(n), 306)], top=800))
             for n in (1, 2, 3)]
    cleaned = strip_running_lines(pages, [842.0] * 3)
    assert all([l.text for l in page] == ["Text"] for page in cleaned)


def test_decomposed_letters_are_joined():
    assert join_marks("Tja\u0308nst") == "Tjänst"
    assert join_marks("Tja \u0308nst") == "Tjänst"    # a stray space before the mark
    assert join_marks("O\u0308rnsko\u0308ldsvik") == "Örnsköldsvik"
    assert join_marks("\u0308Ovrigt") == "Övrigt"      # mark before its letter
