"""Lines → tables on the fixtures: wrapped labels, group rows, headers, page breaks.

Expectations are read off the source texts in fixtures/source.
"""
from __future__ import annotations

import pytest

from extract.lines import group_lines
from extract.tables import find_blocks
from normalize.columns import column_meanings, table_unit
from models import Column, Table, Word
from normalize.text import join_wrapped
from tests.conftest import PRODUCERS


def _facts(result, label_start):
    return [f for f in result.facts if f.row_label.startswith(label_start)]


@pytest.mark.parametrize("producer", PRODUCERS)
def test_label_wrapped_over_lines_is_one_label(producer, extracted):
    result = extracted("000_vvnd_vp2026", producer)
    label = ("Riktade insatser, verksamhetsutveckling, processtöd arbetssätt och metoder, "
             "uppföljning, förstudie, analys")
    assert [f.value for f in result.facts if f.row_label == label] == [300000, 300000]


@pytest.mark.parametrize("producer", PRODUCERS)
def test_participants_row_with_a_note_cell_keeps_its_counts(producer, extracted):
    """Seed 002's participants table: "(Antal besök 1786)" stands in the column of
    consultations, last in the seed and first in the mirror producer's order."""
    result = extracted("002_vvnd_ar2025", producer)
    drivhuset = [(f.measure, f.value) for f in result.facts if f.row_label == "Drivhuset för unga Åmål"]
    assert sorted(drivhuset) == [("outcome", 43), ("outcome", 61), ("outcome", 104), ("target", 50)]


@pytest.mark.parametrize("producer", PRODUCERS)
def test_group_rows_become_sections(producer, extracted):
    result = extracted("000_vvnd_vp2026", producer)
    styrelse = _facts(result, "Styrelse")
    assert styrelse and all(f.section == "Kansli" for f in styrelse)
    assert all(f.category == "cost.board" for f in styrelse)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_table_broken_across_pages_is_one_table(producer, extracted):
    result = extracted("000_vvnd_vp2026", producer)
    three_year = [f for f in result.facts if f.year == 2028]
    assert len({f.table_id for f in three_year}) == 1
    assert len({f.page for f in three_year}) == 2  # the table runs over a page break
    assert len(three_year) == 12  # 2028 cells of the Treårsbudget, counted in the source


@pytest.mark.parametrize("producer", PRODUCERS)
def test_decomposed_letters_come_out_composed(producer, extracted):
    result = extracted("002_vvnd_ar2025", producer)
    labels = {f.row_label for f in result.facts}
    assert "Årets resultat" in labels and "Övrigt eget kapital" in labels
    assert all(label == __import__("unicodedata").normalize("NFC", label) for label in labels)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_units_and_columns_from_headers(producer, extracted):
    result = extracted("002_vvnd_ar2025", producer)
    drift = [f for f in result.facts if f.row_label == "Resultat" and f.unit == "tkr"]
    assert {(f.year, f.measure, f.value) for f in drift} >= {
        (2025, "outcome", -104000), (2025, "budget", -1632000), (2025, "deviation", 1528000),
        (2024, "outcome", -20000)}
    note_refs = [f for f in result.facts if f.row_label == "Fordringar"]
    assert sorted(f.value for f in note_refs) == [34332, 133288]  # the "Not" column is no fact


@pytest.mark.parametrize("context,unit", [
    ("6. Ekonomisk information 2026-2028 (Belopp i tkr)", "tkr"),
    ("(Belopp 1 tkr)", "tkr"), ("[Belopp l tkr)", "tkr"), ("{Belopp | mkr}", "mkr"), ("Belopp í kr för året", "kr"),
    ("(tkr)", "tkr"), ("Budget för 2026 och plan för 2027", None),
])
def test_a_unit_stated_above_the_table_is_found_also_as_an_ocr_misreads_it(context, unit):
    """Seed 003 states its unit on a line of its own above the table; Tesseract reads a
    lone "i" as "1", "l" or "|" and a bracket as "[" or "{" often enough."""
    table = Table("t01", "", "", [Column(0, 300, 340, "2026")], [], [1], context=context)
    assert table_unit(table) == (unit, unit is not None)


@pytest.mark.parametrize("header,meaning", [
    ("Budqet 2026", (2026, "budget")), ("Utfali 2025", (2025, "outcome")), ("Årsbudqet 2O27", (2027, "budget")),
    ("Bokslvt 2024", (2024, "outcome")), ("Prognas 2027", (2027, "forecast")),
    ("Planering 2027", (2027, None)),  # a Swedish word: never taken for another
])
def test_a_column_header_an_ocr_misread_keeps_its_measure(header, meaning):
    """Unread, the measure word leaves the column's figures with no measure (in doubt)
    and keeps them out of budget against outcome."""
    table = Table("t01", "", "", [Column(0, 300, 340, header)], [], [1])
    assert [(m.year, m.measure) for m in column_meanings(table, "arsredovisning", 2025)] == [meaning]


@pytest.mark.parametrize("headers,years", [
    # seed 002's budget against outcome from a 300 dpi copy: "2025" read as "2023" once
    (("Avvikelse jan-dec 2023", "Budget jan-dec 2025", "Utfall jan-dec 2025"), [2025, 2025, 2025]),
    # a deviation beside two years' outcomes is not moved: which one it compares, the table says
    (("Utfall 2024", "Budget 2025", "Utfall 2025", "Avvikelse 2024"), [2024, 2025, 2025, 2024]),
])
def test_a_deviation_is_about_the_year_of_the_budget_and_outcome_it_compares(headers, years):
    """Taken as printed, the deviations of 2025 came out as deviations of 2023, which no
    column of the table has: budget against outcome had none for 2025."""
    table = Table("t05", "Jämförelse faktiskt utfall mot budget 2025 (tkr)", "",
                  [Column(i, 300 + 60 * i, 340 + 60 * i, h) for i, h in enumerate(headers)], [], [11])
    assert [m.year for m in column_meanings(table, "arsredovisning", 2025)] == years


def _line_words(cells, top, size=10.0):
    return [Word(t, x, x + 5.5 * len(t), top, top + size, 1, size) for t, x in cells]


def test_spanning_header_applies_to_each_year_and_ascending_years():
    """A header "Budget 2025-2027" over three year columns, typed at real positions."""
    words = (
        _line_words([("Belopp", 60), ("i", 96), ("tkr", 104), ("Budget", 374), ("2025-2027", 412)], 100)
        + _line_words([("2025", 330), ("2026", 400), ("2027", 470)], 114)
        + _line_words([("Medlemsbidrag", 60), ("1", 336), ("500", 344), ("1", 406), ("500", 414),
                       ("1", 476), ("500", 484)], 130)
        + _line_words([("Kansli", 60), ("(300)", 339), ("(310)", 409), ("(320)", 479)], 144)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1
    headers = [c.header for c in tables[0].columns]
    assert headers == ["Budget 2025-2027 2025", "Budget 2025-2027 2026", "Budget 2025-2027 2027"]
    assert tables[0].header_label == "Belopp i tkr"
    assert [r.cells for r in tables[0].rows] == [
        {0: "1 500", 1: "1 500", 2: "1 500"}, {0: "(300)", 1: "(310)", 2: "(320)"}]


@pytest.mark.parametrize("head,tail,joined", [
    ("Processtöd/Utvecklingsledare/", "biträdande förbundschef", "Processtöd/Utvecklingsledare/biträdande förbundschef"),
    ("Rese-", "och logikostnader", "Rese- och logikostnader"),
    ("Dals-", "Ed", "Dals-Ed"),
    ("ESF-", "projekt", "ESF-projekt"),
    ("förbunds-", "chef", "förbundschef"),
    ("Plattformen för samverkan", "Arvika Eda", "Plattformen för samverkan Arvika Eda"),
])
def test_join_wrapped(head, tail, joined):
    assert join_wrapped(head, tail) == joined


def test_lower_case_line_after_a_page_break_is_no_wrapped_label():
    """A balanskravsutredning whose next row ("reducering av …", its dashes lost in a
    scan) opens the next page: the row above keeps its own label."""
    page1 = (_line_words([("2025", 330), ("2024", 400)], 100)
             + _line_words([("Årets", 60), ("resultat", 92), ("-104", 330), ("286", 356),
                            ("-20", 400), ("114", 420)], 114))
    page2 = [Word(w.text, w.x0, w.x1, w.top, w.bottom, 2, w.size) for w in (
        _line_words([("reducering", 60), ("av", 120), ("vinster", 136)], 60)
        + _line_words([("Balanskravsresultat", 60), ("-104", 330), ("286", 356),
                       ("-20", 400), ("114", 420)], 74))]
    tables, _ = find_blocks([group_lines(page1), group_lines(page2)], [595.0, 595.0])
    labels = [r.label for t in tables for r in t.rows]
    assert labels[0] == "Årets resultat"


def _ocr_line_words(cells, top, size=10.0, confidence=90.0):
    return [Word(t, x, x + 5.5 * len(t), top, top + size, 1, size, confidence=confidence) for t, x in cells]


def test_scan_damage_does_not_break_a_table():
    """A badly scanned budget: a speck read as "5" in the gap before the numbers, two
    cells read as one wide word ("50/50"), dust before a label and a group row."""
    words = (
        _ocr_line_words([("2026", 330), ("2027", 400), ("2028", 470)], 100)
        + _ocr_line_words([("Arvoden", 60), ("-100", 330), ("-100", 400), ("-100", 470)], 114)
        + _ocr_line_words([("Sammanträden", 60), ("5", 200), ("-10", 336), ("-10", 406), ("-10", 476)], 128)
        + _ocr_line_words([("Summa", 60), ("administration", 96), ("-110", 330), ("-110", 400), ("-110", 470)], 142)
        + _ocr_line_words([(".Insatser", 60)], 156)
        + _ocr_line_words([("[Resurslotsen", 60), ("-50", 336), ("50/50", 406)], 170)
        + _ocr_line_words([("Summa", 60), ("insatser", 96), ("-50", 336), ("-50", 406), ("-50", 476)], 184)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1 and len(tables[0].columns) == 3
    rows = [(r.label, r.cells) for r in tables[0].rows]
    assert rows[1] == ("Sammanträden", {0: "-10", 1: "-10", 2: "-10"})
    assert rows[2][0] == "Summa administration" and rows[3] == ("Insatser", {})
    assert rows[4][0] == "Resurslotsen"


@pytest.mark.parametrize("year_read", ["2027,", "2O27", "Z027", "2o27"])
def test_year_header_with_scan_dust_is_a_header_not_a_row(year_read):
    """Seed 004's plan table as a worse scan reads its years: "2027," is still a year, and
    so is "2O27" (one digit read as a letter), which took the year of its neighbour: the
    plan for 2027 came out as a second set of 2026 figures, with no measure."""
    words = (
        _ocr_line_words([("2026", 360), (year_read, 420), ("2028", 480)], 100)
        + _ocr_line_words([("Parternas", 60), ("insats", 112), ("4890", 360), ("4890", 420), ("4890", 480)], 114)
        + _ocr_line_words([("Totalt", 60), ("utrymme", 96), ("7", 356), ("690", 364), ("6", 416), ("452", 424),
                           ("5", 476), ("340", 484)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1
    assert [r.label for r in tables[0].rows] == ["Parternas insats", "Totalt utrymme"]
    meanings = column_meanings(tables[0], "verksamhetsplan", 2026)
    assert [(m.year, m.measure) for m in meanings] == [(2026, "budget"), (2027, "plan"), (2028, "plan")]


def test_lone_cell_with_a_digit_read_as_a_letter_keeps_its_row_under_the_header():
    """Seed 000's budget as a fax reads it: the first row's only amount is "7 808 D00".
    Read as no number, the row was no row but part of the header, and the column was
    headed "2026 7 808 D00"; it is a row whose cell is to be read again."""
    words = (
        _ocr_line_words([("Årsbudget", 60), ("2026", 330)], 100)
        + _ocr_line_words([("Medlemsbidrag", 60), ("7", 326), ("808", 334), ("D00", 356)], 114)
        + _ocr_line_words([("ESF", 60), ("intäkter", 84), ("150", 334), ("000", 356)], 128)
        + _ocr_line_words([("Total", 60), ("summa", 90), ("intäkter", 126), ("7", 326), ("958", 334),
                           ("000", 356)], 142)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1 and [c.header for c in tables[0].columns] == ["2026"]
    assert [(r.label, r.cells, r.unread) for r in tables[0].rows] == [
        ("Medlemsbidrag", {}, {0: "7 808 D00"}), ("ESF intäkter", {0: "150 000"}, {}),
        ("Total summa intäkter", {0: "7 958 000"}, {})]


def test_year_misread_as_letters_in_a_label_is_no_amount():
    """"2O27" in an OCR'd line reads as digits, but as a year: no amount of the row."""
    words = (
        _ocr_line_words([("2026", 330)], 100)
        + _ocr_line_words([("Plan", 60), ("2O27", 84), ("1", 326), ("500", 334)], 114)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [("Plan 2O27", {0: "1 500"})]


def test_column_lost_in_the_first_row_stays_under_its_header():
    """Seed 001's budget, the first row's last cell lost to OCR: the rows below that
    have it are the same table, and the column keeps its header "Årsbudget 2027"."""
    words = (
        _ocr_line_words([("Intäkter", 60), ("Årsbudget", 250), ("Resultat", 320), ("Årsbudget", 390),
                         ("Årsbudget", 460)], 100)
        + _ocr_line_words([("2025", 262), ("2024", 332), ("2026", 402), ("2027", 472)], 112)
        + _ocr_line_words([("Årets", 60), ("intäkter", 92), ("-1840", 250), ("000", 280), ("-1", 320), ("852", 332),
                           ("000", 354), ("-1830000", 390)], 126)
        + _ocr_line_words([("Tillgängliga", 60), ("medel", 130), ("-610", 250), ("501", 276), ("-460", 320),
                           ("253", 346), ("-250", 390), ("000", 416), ("-250", 460), ("000", 486)], 140)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1
    assert [c.header for c in tables[0].columns] == [
        "Årsbudget 2025", "Resultat 2024", "Årsbudget 2026", "Årsbudget 2027"]
    assert tables[0].rows[1].cells == {0: "-610 501", 1: "-460 253", 2: "-250 000", 3: "-250 000"}


def test_speck_before_a_group_row_keeps_the_header_above_it():
    """Seed 000's three-year budget scanned: ".Strukturinriktade insatser" under the year
    header is a group row, and the header above it still heads the columns."""
    words = (
        _ocr_line_words([("Årsbudget", 60), ("2026", 330), ("2027", 400), ("2028", 470)], 100)
        + _ocr_line_words([(".Strukturinriktade", 60), ("insatser", 160)], 114)
        + _ocr_line_words([("Kompetenshöjande", 60), ("insatser", 160), ("200", 330), ("000", 350), ("400", 400),
                           ("000", 420), ("400", 470), ("000", 490)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [c.header for c in tables[0].columns] == ["2026", "2027", "2028"]
    assert [(r.label, r.is_section) for r in tables[0].rows] == [
        ("Strukturinriktade insatser", True), ("Kompetenshöjande insatser", False)]


def test_garbled_number_is_no_part_of_the_row_label():
    """Seed 002's key figures scanned: "- 104 286" read as "=104:286"."""
    words = (
        _ocr_line_words([("2025", 330), ("2024", 400), ("2023", 470)], 100)
        + _ocr_line_words([("Verksamhetens", 60), ("intäkter", 136), ("8059", 326), ("950", 352), ("8265", 396),
                           ("184", 422), ("8090", 466), ("854", 492)], 114)
        + _ocr_line_words([("Årets", 60), ("resultat", 92), ("=104:286", 326), ("-20", 400), ("114", 420),
                           ("-97", 470), ("210", 490)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    row = tables[0].rows[1]
    assert row.label == "Årets resultat"
    assert row.cells == {1: "-20 114", 2: "-97 210"} and row.unread == {0: "=104:286"}



def test_note_in_the_first_value_column_is_no_part_of_the_label():
    """Seed 002's participants table with its columns in the other order: the note
    "(Antal besök 1786)" stands, right-aligned, in the first column, where the other rows
    have a count; it is a cell without a number, not the end of the row's label."""
    words = (
        _line_words([("Konsultationer", 200), ("Män", 330), ("Kvinnor", 390)], 100)
        + _line_words([("Plattformen", 60), ("Arvika", 126), ("104", 258), ("9", 336), ("49", 400)], 114)
        + _line_words([("Drivhuset", 60), ("Åmål", 115), ("(Antal", 180.5), ("besök", 216.5), ("1786)", 247),
                       ("61", 330.5), ("43", 400)], 128)
        + _line_words([("Totalt", 60), ("104", 258), ("70", 330.5), ("92", 400)], 142)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [
        ("Plattformen Arvika", {0: "104", 1: "9", 2: "49"}),
        ("Drivhuset Åmål", {1: "61", 2: "43"}),
        ("Totalt", {0: "104", 1: "70", 2: "92"})]



def test_label_wrapped_beside_a_wrapped_note_cell_is_whole():
    """Seed 002's participants table in a Word table with a narrow label column: the
    label "Drivhuset för unga Åmål" and the note "(Antal besök 1786)" in the last column
    both wrap, so "Åmål" shares its line with "besök"."""
    words = (
        _line_words([("Mål", 250), ("Resultat", 300), ("Kvinnor", 370), ("Män", 440), ("Konsultationer", 440)],
                    100)
        + _line_words([("Integrerad", 60), ("Samverkan", 121), ("25", 250), ("39", 312), ("25", 376),
                       ("13", 439), ("48", 503)], 114)
        + _line_words([("Drivhuset", 60), ("för", 112), ("unga", 131), ("50", 250), ("104", 306), ("43", 376),
                       ("61", 439), ("(Antal", 481)], 128)
        + _line_words([("Åmål", 60), ("besök", 481.5)], 140)
        + _line_words([("1786)", 481.5)], 152)
        + _line_words([("Totalt", 60), ("75", 250), ("143", 306), ("68", 376), ("74", 439), ("48", 503)], 166)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [
        ("Integrerad Samverkan", {0: "25", 1: "39", 2: "25", 3: "13", 4: "48"}),
        ("Drivhuset för unga Åmål", {0: "50", 1: "104", 2: "43", 3: "61"}),
        ("Totalt", {0: "75", 1: "143", 2: "68", 3: "74", 4: "48"})]


def test_account_numbers_before_the_labels_are_no_amounts():
    """A driftredovisning with the kontoplan's account numbers in a column before the
    labels: each row is still a row, labelled by its text, the number is no amount."""
    words = (
        _line_words([("Konto", 30), ("Budget", 320), ("2025", 356), ("Utfall", 400), ("2025", 434)], 100)
        + _line_words([("3010", 30), ("Medlemsavgifter", 70), ("7", 350), ("808", 358), ("000", 380), ("7", 420),
                       ("864", 428), ("004", 450)], 114)
        + _line_words([("4010", 30), ("Lokalhyra", 70), ("57", 364), ("000", 380), ("56", 434), ("400", 450)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [
        ("Medlemsavgifter", {0: "7 808 000", 1: "7 864 004"}), ("Lokalhyra", {0: "57 000", 1: "56 400"})]


def test_a_row_of_dashes_alone_is_a_row_without_amounts():
    """A row that prints only dashes ("Kurser  –  –"), first in its table or all of it:
    its dashes say where the columns are (this crashed the whole document)."""
    first = _line_words([("Kurser", 60), ("–", 340), ("–", 410)], 100)
    tables, _ = find_blocks([group_lines(first + _line_words([("Arvoden", 60), ("100", 330), ("100", 400)], 114))],
                            [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [("Kurser", {}), ("Arvoden", {0: "100", 1: "100"})]
    tables, _ = find_blocks([group_lines(first)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [("Kurser", {})]

def test_cell_garbled_into_letters_is_read_again_not_put_in_the_label():
    """A scanned cell read as "LL 682" before the row's other numbers: it stands in the
    first column, so it is a cell to read again, and the label stays the printed one."""
    words = (
        _ocr_line_words([("2025", 330), ("2024", 400)], 100)
        + _ocr_line_words([("Revision", 60), ("30", 341), ("000", 355), ("30", 411), ("000", 425)], 114)
        + _ocr_line_words([("NNS", 60), ("indikatorer", 84), ("LL", 341), ("682", 355), ("10", 411),
                           ("000", 425)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    row = tables[0].rows[1]
    assert row.label == "NNS indikatorer"
    assert row.cells == {1: "10 000"} and row.unread == {0: "LL 682"}


def test_label_of_the_last_row_wrapped_below_its_numbers_is_whole():
    """Seed 002's balance sheet with its labels in capitals, set as the report producer
    sets a wrapped label (numbers on its first line): "SUMMA EGET KAPITAL OCH" over
    "SKULDER" ends the table. "SKULDER" names a group, but a label ending in "OCH" goes
    on; the heading below, further down, is no part of it."""
    words = (
        _line_words([("2025-12-31", 330), ("2024-12-31", 400)], 100)
        + _line_words([("SUMMA", 60), ("SKULDER", 96), ("964", 341), ("519", 361), ("1", 401), ("777", 409),
                       ("335", 431)], 114)
        + _line_words([("SUMMA", 60), ("EGET", 96), ("KAPITAL", 122), ("OCH", 164), ("3", 335), ("923", 343),
                       ("093", 365), ("4", 405), ("840", 413), ("195", 435)], 128)
        + _line_words([("SKULDER", 60)], 140)
        + _line_words([("Kassaflödesanalys", 60)], 170)
    )
    tables, texts = find_blocks([group_lines(words)], [595.0])
    assert [r.label for r in tables[0].rows] == ["SUMMA SKULDER", "SUMMA EGET KAPITAL OCH SKULDER"]
    assert [t.text for t in texts] == ["Kassaflödesanalys"]

def test_years_over_the_columns_are_no_row_even_with_a_rule_read_into_one():
    """Seed 004's header "2026 2027 2028" scanned with the table's right rule read into
    the last year ("20281"): a header line, not a row labelled "2026 2027"."""
    words = (
        _ocr_line_words([("2026", 360), ("2027", 420), ("20281", 480)], 100)
        + _ocr_line_words([("Region", 60), ("Västernorrland", 96), ("1", 356), ("222,5", 364), ("1", 416),
                           ("222,5", 424), ("1", 476), ("222,5", 484)], 114)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [r.label for t in tables for r in t.rows] == ["Region Västernorrland"]


def test_amounts_in_tkr_that_read_like_years_are_amounts():
    """Seed 003's budget in tkr: "Rehabilitering & arbete 1 992 2 051 2 111", its
    thousands spaces lost in a scan, reads like three years."""
    words = (
        _ocr_line_words([("2026", 350), ("2027", 420), ("2028", 485)], 100)
        + _ocr_line_words([("Förvaltning", 60), ("431", 350), ("455", 420), ("475", 485)], 114)
        + _ocr_line_words([("Rehabilitering", 60), ("&", 140), ("arbete", 150), ("1992", 350), ("2051", 420),
                           ("2111", 485)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.cells) for r in tables[0].rows] == [
        ("Förvaltning", {0: "431", 1: "455", 2: "475"}),
        ("Rehabilitering & arbete", {0: "1992", 1: "2051", 2: "2111"})]


def test_a_cell_read_too_wide_does_not_fuse_two_columns_under_two_years():
    """Seed 002's five-year overview scanned (positions as Tesseract gave them): the 2023
    cell of "Antal anställda", "0" read as "00", reaches into the 2022 column; the
    header's two years keep the columns apart."""
    words = (
        _ocr_line_words([("2025", 255), ("2024", 314), ("2023", 373), ("2022", 432), ("2021", 492)], 100)
        + _ocr_line_words([("Verksamhetens", 66), ("intäkter", 142), ("8059", 232), ("950", 258), ("8265", 292),
                           ("184", 318), ("8090", 351), ("854", 377), ("4968575", 410), ("5", 470), ("322473", 480)],
                          114)
        + _ocr_line_words([("Antal", 71), ("anställda", 102), ("0", 271), ("(0)", 329), ("0", 449), ("0", 508)], 128)
        + [Word("00", 390, 412, 128, 138, 1, 10.0, confidence=60.0)]  # as wide as Tesseract boxed it
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [c.header for c in tables[0].columns] == ["2025", "2024", "2023", "2022", "2021"]
    assert tables[0].rows[0].cells == {0: "8059 950", 1: "8265 184", 2: "8090 854", 3: "4968575", 4: "5 322473"}


def test_first_cell_garbled_keeps_its_column_under_the_header():
    """Seed 004's plan table as the worse scan reads it: the first cell of the first row
    is "1222.,5", which is no number; its column is still the first of three."""
    words = (
        _ocr_line_words([("2026", 360), ("2027", 420), ("2028", 480)], 100)
        + _ocr_line_words([("Region", 60), ("Västernorrland", 96), ("1222.,5", 356), ("1222.5", 416),
                           ("12225", 480)], 114)
        + _ocr_line_words([("Örnsköldsviks", 60), ("Kommun", 136), ("1222.5", 356), ("1222.5", 416),
                           ("1222.5", 476)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1
    assert [c.header for c in tables[0].columns] == ["2026", "2027", "2028"]
    assert tables[0].rows[0].unread == {0: "1222.,5"}
    assert tables[0].rows[1].cells == {0: "1222.5", 1: "1222.5", 2: "1222.5"}


def test_group_row_with_a_speck_read_apart_still_under_the_header():
    """Seed 004 scanned: "-   Intäkter" (a speck before the group row, read as a dash
    standing apart) between the year header and the first party row."""
    words = (
        _ocr_line_words([("2026", 360), ("2027", 420), ("2028", 480)], 100)
        + _ocr_line_words([("-", 52), ("Intäkter", 80)], 114)
        + _ocr_line_words([("Region", 60), ("Västernorrland", 96), ("1222,5", 356), ("1222,5", 416),
                           ("1222,5", 476)], 128)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [c.header for c in tables[0].columns] == ["2026", "2027", "2028"]
    assert [(r.label, r.is_section) for r in tables[0].rows] == [
        ("Intäkter", True), ("Region Västernorrland", False)]


def test_group_row_with_a_speck_glued_to_it_after_a_total_is_a_group_row():
    """Seed 004's worse scan: the speck before "Insatser" read as a dash glued to it
    ("-Insatser") under "Summa administration": a group row, not the end of the total's
    label."""
    words = (
        _ocr_line_words([("2026", 360), ("2027", 420), ("2028", 480)], 100)
        + _ocr_line_words([("Summa", 60), ("administration", 96), ("-1", 356), ("158", 364), ("-1", 416),
                           ("163", 424), ("-1", 476), ("163", 484)], 114)
        + _ocr_line_words([("-Insatser", 60)], 128)
        + _ocr_line_words([("Psykeveckan", 60), ("V.45", 124), ("-100", 356), ("-100", 416), ("-100", 476)], 142)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.is_section) for r in tables[0].rows] == [
        ("Summa administration", False), ("Insatser", True), ("Psykeveckan V.45", False)]


def _ocr_text_line(text, top, size=10.0, x=60.0):
    """An OCR'd line of running text or a heading: its words one space apart."""
    words = []
    for token in text.split():
        words.append(Word(token, x, x + 5.5 * len(token), top, top + size, 1, size, confidence=90.0))
        x += 5.5 * len(token) + 3.0
    return words


def _ocr_budget(top):
    return (_ocr_line_words([("2026", 360), ("2027", 420), ("2028", 480)], top)
            + _ocr_line_words([("Arvoden", 60), ("-100", 360), ("-100", 420), ("-100", 480)], top + 14)
            + _ocr_line_words([("Revision", 60), ("-80", 364), ("-80", 424), ("-80", 484)], top + 28))


def _title_of_only_table(words):
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert len(tables) == 1
    return tables[0].title


def test_ocr_table_title_is_the_phrase_above_it_past_a_decision_note():
    """Seed 004 as scanned: the heading, then "Beslutad 2025-11-21", then the table.
    Without bold, and with OCR line heights that say nothing, the phrase just above
    the table (past the note of when it was decided) is its title."""
    words = (_ocr_text_line("Samordningsförbundet följer årligen i december månad upp den samtidigt som", 60)
             + _ocr_text_line("internkontrollplanen samt dataskyddsförordningen.", 74)
             + _ocr_text_line("7. Budget 2026, Plan 2027 och 2028 (tkr)", 100)
             + _ocr_text_line("Beslutad 2025-11-21", 114)
             + _ocr_budget(134))
    assert _title_of_only_table(words) == "7. Budget 2026, Plan 2027 och 2028 (tkr)"


def test_ocr_table_title_with_a_speck_read_as_a_full_stop():
    """Seed 000 as scanned: dust after "Budget - förslag 2026" reads as a full stop; a
    taller line of running text further up (OCR box heights swing) is no heading."""
    words = (_ocr_text_line("Samordningsförbundets styrelse", 40, size=14.0)
             + _ocr_text_line("Styrelsen ska upprätta budget och årsredovisning för förbundet.", 60)
             + _ocr_text_line("Budget - förslag 2026.", 100)
             + _ocr_budget(120))
    assert _title_of_only_table(words) == "Budget - förslag 2026"


def test_ocr_heading_above_running_text_is_the_title_not_a_tall_line_of_it():
    """Seed 000's "Finansiering": a heading after a finished sentence, then a paragraph
    ending in a colon over the table. One line of the paragraph reads taller than the
    body (as OCR boxes do); it is running text, not a heading."""
    words = (_ocr_text_line("Denna uppgift kan inte delegeras.", 40)
             + _ocr_text_line("Finansiering", 60)
             + _ocr_text_line("De ekonomiska förutsättningarna i förbundet är reglerade i lagen om finansiell", 80)
             + _ocr_text_line("Samordningsförbunden nationellt har ett eget anslag i statsbudgeten via", 94,
                              size=13.5)
             + _ocr_text_line("Försäkringskassan och medlemsbidragen fördelas enligt följande tabell:", 112)
             + _ocr_budget(134))
    assert _title_of_only_table(words) == "Finansiering"


def test_lone_digit_ocr_doubted_is_read_again_not_taken():
    """Seed 002's balance requirement scanned: nil dashes in the 2024 column, one of them
    read as "5" at confidence 49. Such a digit is a cell to read again (`unread`); the
    same digit read confidently is a cell."""
    def table(confidence):
        words = (
            _ocr_line_words([("2025", 400), ("2024", 500)], 100)
            + _ocr_line_words([("Årets", 60), ("resultat", 90), ("-104", 400), ("286", 424),
                               ("-20", 500), ("114", 520)], 114)
            + _ocr_line_words([("Realisationsvinster", 60), ("-", 410)], 128)
            + [Word("5", 511, 516, 128, 138, 1, 10.0, confidence=confidence)]
            + _ocr_line_words([("Balanskravsresultat", 60), ("-104", 400), ("286", 424),
                               ("-20", 500), ("114", 520)], 142)
        )
        tables, _ = find_blocks([group_lines(words)], [595.0])
        return tables[0].rows[1]
    doubted = table(49.0)
    assert (doubted.label, doubted.cells, doubted.unread) == ("Realisationsvinster", {}, {1: "5"})
    assert table(93.0).cells == {1: "5"}


def test_footnote_below_the_table_is_no_row_even_with_a_number_read_into_it():
    """Seed 004's budget scanned: "Prognos Eget kapital*" has its footnote below the
    table, "*Prognos Eget kapital ingång 2026 ca 2 800 000 kr = 57%", which OCR read with
    the star as a quote and "= 57%" as a cell "5796"."""
    words = (
        _ocr_line_words([("2026", 400), ("2027", 460)], 100)
        + _ocr_line_words([("Parternas", 60), ("insats", 110), ("4", 400), ("890", 408), ("4", 460),
                           ("890", 468)], 114)
        + _ocr_line_words([("Prognos", 60), ("Eget", 104), ("kapital”", 130), ("2", 400), ("800", 408),
                           ("1", 460), ("562", 468)], 128)
        + _ocr_line_words([("Totalt", 60), ("utrymme", 94), ("7", 400), ("690", 408), ("6", 460),
                           ("452", 468)], 142)
        + _ocr_line_words([('"Prognos', 60), ("Eget", 110), ("kapital", 136), ("ingång", 178), ("2026", 214),
                           ("ca", 244), ("2", 258), ("800", 266), ("000", 286), ("kr", 306), ("5796", 400)], 170)
    )
    tables, texts = find_blocks([group_lines(words)], [595.0])
    assert [r.label for r in tables[0].rows] == ["Parternas insats", "Prognos Eget kapital”", "Totalt utrymme"]
    assert any(t.text.startswith('"Prognos Eget kapital ingång') for t in texts)


def _numbered_rows(pages):
    from models import TableRow
    labels = ["3.1.1 Målområde 1, Finansiering av individinriktade insatser",
              "3.1.2 Målområde 2, Finansiering av insatser på strukturövergripande nivå",
              "3.1.4 Målområde 4 Att stödja myndigheternas arbete"]
    return [TableRow(label=l, cells={0: str(p)}, page=1, top=100 + 14 * i) for i, (l, p) in enumerate(zip(labels, pages))]


@pytest.mark.parametrize("pages,header,financial", [
    ((7, 7, 8), "4 5 5 5 5 7", False),   # the page numbers of a table of contents
    ((7, 5, 8), "4 5 5 5 5 7", True),    # numbers that go down are no page numbers
    ((7, 7, 8), "Budget 2026", True),    # nor numbers under a budget's header
])
def test_contents_without_title_or_leaders_is_no_financial_table(pages, header, financial):
    """Seed 003's contents as a fax reads them: no title (taken by the lines above, whose
    "mål 2026" names a year) and no dot leaders, so only the numbered headings with a
    small number each that never goes down tell what the table is."""
    from normalize.facts import is_financial

    table = Table("t01", "3.1 Mål avseende finansiering av insatser under 2026", "",
                  [Column(0, 330, 340, header)], _numbered_rows(pages), [1],
                  header_label="2.2 Förbundschef 3 Verksamhetsinriktning och mål 2026")
    assert is_financial(table, []) == financial


def test_header_repeated_on_the_next_page_with_a_speck_read_into_it_continues_the_table():
    """Seed 000's three-year budget as a fax reads it: the header Word repeats on page 8
    reads "Årsbudget - 2026 2027 2028" (a speck as a dash); taken for a new header, it
    began a table of its own, without a title and without the income above its result."""
    def page(lines, number):
        return [Word(t, x, x + 5.5 * len(t), top, top + 10, number, 10, confidence=90)
                for top, cells in lines for t, x in cells]

    first = page([(100, [("Årsbudget", 60), ("2026", 330), ("2027", 400), ("2028", 470)]),
                  (114, [("Medlemsbidrag", 60), ("7", 326), ("808", 334), ("7", 396), ("027", 404),
                         ("7", 466), ("027", 474)])], 7)
    second = page([(60, [("Årsbudget", 60), ("-", 160), ("2026", 330), ("2027", 400), ("2028", 470)]),
                   (74, [("Styrelse", 60), ("265", 334), ("265", 404), ("265", 474)])], 8)
    tables, _ = find_blocks([group_lines(first), group_lines(second)], [595.0, 595.0])
    assert len(tables) == 1 and tables[0].pages == [7, 8]
    assert [r.label for r in tables[0].rows] == ["Medlemsbidrag", "Styrelse"]


def test_group_row_with_a_letter_read_with_dots_is_still_a_group_row():
    """Seed 003's budget as a fax reads it: the group row "Samverkansinsatser" read as
    "Samverkansinsätser" was taken for the second line of "Förvaltning" above it."""
    words = (
        _ocr_line_words([("2026", 330), ("2027", 400), ("2028", 470)], 100)
        + _ocr_line_words([("Förvaltning", 60), ("431", 334), ("455", 404), ("475", 474)], 114)
        + _ocr_line_words([("Samverkansinsätser", 60)], 128)
        + _ocr_line_words([("Rehabilitering", 60), ("&", 140), ("arbete", 150), ("1", 326), ("992", 334),
                           ("2", 396), ("051", 404), ("2", 466), ("111", 474)], 142)
    )
    tables, _ = find_blocks([group_lines(words)], [595.0])
    assert [(r.label, r.is_section) for r in tables[0].rows] == [
        ("Förvaltning", False), ("Samverkansinsätser", True), ("Rehabilitering & arbete", False)]
