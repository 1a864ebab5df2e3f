"""OCR-damaged numbers are repaired only where the table's arithmetic confirms it.

The table is seed 004's budget as its English-OCR layer prints it ("1222.5 12225 12225"
for "1 222,5" in every year); the rows are typed here, the stages are the real ones.
"""
from __future__ import annotations

from models import Column, DocumentMeta, Table, TableRow
from normalize.facts import table_facts
from normalize.numbers import ocr_digit_reading
from normalize.validation import cells_in_doubt, validate

META = DocumentMeta(federation_id="ornskoldsvik", document_type="verksamhetsplan", period_year=2026)


def _budget(cells_örnsköldsvik, suspect=True):
    rows = [
        TableRow("Intäkter", {}, 7, 100, is_section=True),
        TableRow("Region Västernorrland", {0: "1222,5", 1: "1222,5", 2: "1222,5"}, 7, 110),
        TableRow("Örnsköldsviks Kommun", dict(enumerate(cells_örnsköldsvik)), 7, 120),
        TableRow("Försäkringskassan/Arbetsförmedlingen", {0: "2445", 1: "2445", 2: "2445"}, 7, 130),
        TableRow("Parternas insats", {0: "4890", 1: "4890", 2: "4890"}, 7, 140),
    ]
    table = Table("t01", "7. Budget 2026, Plan 2027 och 2028 (tkr)", "", [
        Column(0, 340, 370, "2026"), Column(1, 430, 460, "2027"), Column(2, 520, 550, "2028")],
        rows, [7])
    facts = table_facts(table, META, "doc", "", {7: "text"}, frozenset({7} if suspect else set()))
    return facts, validate(facts)


def test_lost_decimal_comma_corrected_when_the_sum_confirms_it():
    facts, checks = _budget(["1222.5", "12225", "12225"])
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.year, c.found, c.expected) for c in corrected] == [
        ("Örnsköldsviks Kommun", 2027, 12225000, 1222500),
        ("Örnsköldsviks Kommun", 2028, 12225000, 1222500),
    ]
    values = {(f.row_label, f.year): f.value for f in facts}
    assert values[("Örnsköldsviks Kommun", 2027)] == 1222500
    assert all(c.status != "fail" for c in checks)
    repaired = [f for f in facts if f.reading]
    assert all(f.printed == "12225" and f.confidence == 0.85 for f in repaired)  # provenance kept


def test_no_correction_on_a_trusted_text_layer():
    facts, checks = _budget(["1222.5", "12225", "12225"], suspect=False)
    assert not [c for c in checks if c.status == "corrected"]
    assert len([c for c in checks if c.status == "fail"]) == 2


def test_unconfirmed_damage_is_not_repaired():
    # 12225 where the sum would need 1 222,5 AND another wrong cell: no single repair fits
    facts, checks = _budget(["1222.5", "12225", "99999"])
    assert [c.year for c in checks if c.status == "corrected"] == [2027]
    assert [c.year for c in checks if c.status == "fail"] == [2028]
    assert {f.value for f in facts if f.year == 2028 and f.row_label.startswith("Örn")} == {99999000}


def test_digit_lookalikes_read_and_confirmed():
    assert ocr_digit_reading("1 8OO").value == 1800
    assert ocr_digit_reading("l 222,5").value == 1222.5
    assert ocr_digit_reading("1 952 DÖD kr").value == 1952000  # Swedish Tesseract's Ö for a 0
    assert ocr_digit_reading("1222,;5").value == 1222.5  # seed 004 in a 300 dpi copy: a speck by the comma
    assert ocr_digit_reading("Kansli") is None
    # seed 002's "- 104 286" scanned: the minus over a rule's stroke, dust in the space
    assert ocr_digit_reading("=104 286").value == -104286
    assert ocr_digit_reading("=104:286").value == -104286
    assert ocr_digit_reading("12:30") is None  # a time of day is no number
    facts, checks = _budget(["1222.5", "l222,5", "1222,5"])
    confirmed = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.year) for c in confirmed] == [("Örnsköldsviks Kommun", 2027)]
    assert [f.confidence for f in facts if f.reading] == [0.85]


def _budget_read_again(cells, rereads, unread=None):
    """The budget with Örnsköldsvik's cells as OCR gave them and as read again."""
    rows = [
        TableRow("Region Västernorrland", {0: "1222,5", 1: "1222,5"}, 7, 110),
        TableRow("Örnsköldsviks Kommun", dict(enumerate(cells)), 7, 120, unread=unread or {}),
        TableRow("Försäkringskassan/Arbetsförmedlingen", {0: "2445", 1: "2445"}, 7, 130),
        TableRow("Parternas insats", {0: "4890", 1: "4890"}, 7, 140),
    ]
    table = Table("t01", "Budget 2026 och 2027 (tkr)", "", [
        Column(0, 340, 370, "2026"), Column(1, 430, 460, "2027")], rows, [7])
    facts = table_facts(table, META, "doc", "", {7: "ocr"}, frozenset({7}),
                        rereads={(1, column): text for column, text in rereads.items()})
    return facts, validate(facts)


def test_cell_read_again_is_taken_only_where_the_sum_confirms_it():
    # 2026: "1 722,5" misread, read again as "1 222,5": the sum confirms it.
    # 2027: the printed "1222,5" adds up; a different second reading is not taken.
    facts, checks = _budget_read_again(["1 722,5", "1222,5"], {0: "1 222,5", 1: "1 822,5"})
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.year, c.found, c.expected) for c in corrected] == [
        ("Örnsköldsviks Kommun", 2026, 1722500, 1222500)]
    assert "read again from the scan" in corrected[0].message and "'1 722,5'" in corrected[0].message
    values = {(f.row_label, f.year): (f.value, f.printed) for f in facts}
    assert values[("Örnsköldsviks Kommun", 2026)] == (1222500, "1 722,5")  # the print is kept
    assert values[("Örnsköldsviks Kommun", 2027)] == (1222500, "1222,5")
    assert not [c for c in checks if c.status == "fail"]


def test_second_reading_that_does_not_add_up_changes_nothing():
    facts, checks = _budget_read_again(["1 722,5", "1222,5"], {0: "1 622,5"})
    assert [c.status for c in checks if c.year == 2026] == ["fail"]
    assert {f.value for f in facts if f.year == 2026 and f.row_label.startswith("Örn")} == {1722500}


def test_unreadable_cell_takes_its_second_reading_with_doubt_until_a_sum_confirms_it():
    facts, checks = _budget_read_again(["1222,5"], {1: "1 222,5"}, unread={1: "LL 222,5"})
    cell = [f for f in facts if f.year == 2027 and f.row_label.startswith("Örn")][0]
    assert (cell.printed, cell.value, cell.confidence) == ("LL 222,5", 1222500, 0.85)
    assert [(c.subject, c.status) for c in checks if c.year == 2027 and c.status != "pass"] == [
        ("Örnsköldsviks Kommun", "corrected")]


def test_a_dropped_cell_read_again_without_its_comma_is_restored_where_the_sum_confirms_it():
    # the 004 scan turned on its side: OCR dropped "1 222,5" under 2027 and the second
    # reading gave "12225"; before, no repair was tried on a blank's reading and it went
    facts, checks = _budget_read_again(["1222,5"], {1: "12225"})
    cell = [f for f in facts if f.year == 2027 and f.row_label.startswith("Örn")][0]
    assert (cell.printed, cell.value, cell.confidence) == ("", 1222500, 0.85)
    corrected = [c for c in checks if c.year == 2027 and c.status != "pass"]
    assert [(c.subject, c.status, c.found, c.expected) for c in corrected] == [
        ("Örnsköldsviks Kommun", "corrected", 12225000, 1222500)]
    assert "read again from the scan as '12225', a decimal comma lost in OCR" in corrected[0].message
    # a second reading that no comma makes add up is left as read, in doubt
    facts, checks = _budget_read_again(["1222,5"], {1: "12825"})
    cell = [f for f in facts if f.year == 2027 and f.row_label.startswith("Örn")][0]
    assert cell.value == 12825000 and cell.confidence < 0.85
    assert [c.status for c in checks if c.year == 2027] == ["fail"]


ÅR = DocumentMeta(federation_id="vvnd", document_type="arsredovisning", period_year=2025)


def _note_7(summa_insatser_deviation):
    """Seed 002's note 7 (budget against outcome), three rows as typed in the report;
    only the deviation of "Summa insatser" as OCR read it."""
    rows = [
        TableRow("Summa insatser", {0: "-8 342 000", 1: "-6 974 381", 2: summa_insatser_deviation}, 3, 100),
        TableRow("Politisk organisation", {0: "-265 000", 1: "-216 533", 2: "-48 467"}, 3, 110),
        TableRow("Administration", {0: "-1 081 000", 1: "-973 313", 2: "-107 687"}, 3, 120),
        TableRow("Summa kostnader", {0: "-9 688 000", 1: "-8 164 227", 2: "-1 523 773"}, 3, 130),
    ]
    table = Table("t07", "7. Tilläggsupplysningar", "", [
        Column(0, 300, 340, "Budget 2025"), Column(1, 380, 420, "Utfall 2025"),
        Column(2, 460, 500, "Differens 2025")], rows, [3])
    facts = table_facts(table, ÅR, "doc", "", {3: "ocr"}, frozenset({3}))
    return facts, validate(facts)


def test_digits_lost_at_the_front_restored_where_budget_and_outcome_confirm_them():
    facts, checks = _note_7("367 619")  # printed "-1 367 619"; the "-1" ran into a rule
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.measure, c.found, c.expected) for c in corrected] == [
        ("Summa insatser", "deviation", 367619, -1367619)]
    assert "digits at its front lost" in corrected[0].message
    cell = [f for f in facts if f.row_label == "Summa insatser" and f.measure == "deviation"][0]
    assert (cell.printed, cell.value, cell.confidence) == ("367 619", -1367619, 0.85)
    assert not [c for c in checks if c.status == "fail"]


def test_other_damage_at_the_front_is_not_repaired():
    facts, checks = _note_7("357 619")  # a digit wrong inside: no rule says which
    assert not [c for c in checks if c.status == "corrected"]
    assert {f.value for f in facts if f.row_label == "Summa insatser" and f.measure == "deviation"} == {357619}


def _overview(costs, result="-104 286"):
    """Seed 002's five-year overview, 2025 only: income, costs and result of the year."""
    rows = [
        TableRow("Verksamhetens intäkter", {0: "8 059 950"}, 3, 100),
        TableRow("Verksamhetens kostnader", {0: costs}, 3, 110),
        TableRow("Årets resultat", {0: result}, 3, 120),
    ]
    table = Table("t02", "1.1. Översikt över verksamhetens utveckling", "", [Column(0, 300, 340, "2025")],
                  rows, [3])
    facts = table_facts(table, ÅR, "doc", "", {3: "ocr"}, frozenset({3}))
    return facts, validate(facts)


def test_a_rule_read_as_a_digit_before_a_cost_is_dropped_where_the_result_confirms_it():
    facts, checks = _overview("1 8164 236")  # printed "8 164 236", a rule read as "1"
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.expected) for c in corrected] == [("Verksamhetens kostnader", 8164236)]
    assert "added by OCR" in corrected[0].message
    assert [c.status for c in checks if c.subject == "Årets resultat"] == ["pass"]


def test_a_well_formed_larger_number_is_not_cut_down():
    # "18 164 236" reads as a typed number: a row of income may be missing, not a digit added
    facts, checks = _overview("18 164 236")
    assert not [c for c in checks if c.status == "corrected"]
    assert [c.status for c in checks if c.subject == "Årets resultat"] == ["fail"]


def test_a_lost_minus_is_restored_where_income_minus_costs_confirms_it():
    facts, checks = _overview("8 164 236", result="104 286")
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.found, c.expected) for c in corrected] == [("Årets resultat", 104286, -104286)]
    assert "minus lost" in corrected[0].message


def test_a_speck_read_as_a_minus_before_a_count_goes_where_the_total_confirms_it():
    """Seed 002's participants table, the column "Kvinnor": "43" scanned as "- 43"."""
    rows = [TableRow(label, {0: women}, 4, 100 + 10 * i) for i, (label, women) in enumerate([
        ("Plattformen Samverkan Arvika Eda", "49"), ("Integrerad Samverkan Bengtsfors", "25"),
        ("Drivhuset för unga Åmål", "- 43"), ("Individsamverkan Dals Ed", "19"),
        ("Integrerad Samverkan Säffle", "24"), ("Integrerad Samverkan Årjäng", "12"), ("Totalt", "172")])]
    table = Table("t04", "Insatser och deltagare", "", [Column(0, 400, 430, "Kvinnor")], rows, [4])
    facts = table_facts(table, ÅR, "doc", "", {4: "ocr"}, frozenset({4}))
    checks = validate(facts)
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.found, c.expected) for c in corrected] == [("Drivhuset för unga Åmål", -43, 43)]
    assert "speck" in corrected[0].message
    assert [c.status for c in checks if c.subject == "Totalt"] == ["pass"]


def test_digits_lost_at_the_front_of_a_decimal_amount_restored():
    """The good scan of seed 004 read "222,5" for "1 222,5" (the "1 " lost to a rule)."""
    facts, checks = _budget(["1222,5", "222,5", "1222,5"])
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.year, c.found, c.expected) for c in corrected] == [
        ("Örnsköldsviks Kommun", 2027, 222500, 1222500)]
    assert "digits at its front lost" in corrected[0].message


def test_a_decimal_digit_lost_is_not_taken_for_digits_lost_at_the_front():
    facts, checks = _budget(["1222,5", "1222", "1222,5"])  # "1222" for "1222,5": no rule says so
    assert not [c for c in checks if c.status == "corrected"]


def _administration(cells, total, rereads=None):
    """Seed 004's administration costs, one column (2026), as a worse scan read them:
    the budget prints every cost negative."""
    labels = ["Uppdragsersättning förbundschef", "Kanslikostnader", "Arvoden, ersättningar styrelsen",
              "Rese- och logikostnader", "Medlemsavgift NNS", "Sammanträdeskostnader",
              "Övrig adm. Kostnader"]
    rows = [TableRow("Administration", {}, 8, 90, is_section=True)]
    rows += [TableRow(label, {0: cell}, 8, 100 + 10 * i) for i, (label, cell) in enumerate(zip(labels, cells))]
    rows.append(TableRow("Summa administration", {0: total}, 8, 180))
    table = Table("t02", "7. Budget 2026, Plan 2027 och 2028 (tkr)", "", [Column(0, 340, 370, "2026")],
                  rows, [8])
    facts = table_facts(table, META, "doc", "", {8: "ocr"}, frozenset({8}),
                        rereads={(i + 1, 0): text for i, text in (rereads or {}).items()})
    return facts, validate(facts)


def test_minuses_lost_in_several_cells_come_back_where_the_sizes_add_up_to_the_total():
    facts, checks = _administration(["845", "-115", "-100", "50", "-18", "-10", "-20"], "-1 158")
    corrected = [c for c in checks if c.status == "corrected"]
    assert [(c.subject, c.found, c.expected) for c in corrected] == [
        ("Uppdragsersättning förbundschef", 845000, -845000), ("Rese- och logikostnader", 50000, -50000)]
    assert all("minus lost" in c.message for c in corrected)
    assert [c.status for c in checks if c.subject == "Summa administration"] == ["pass"]


def test_second_readings_with_minuses_lost_add_up_by_their_sizes():
    # the first reading of two cells is junk; read again, one of them lost its minus
    facts, checks = _administration(["845", "935", "-100", "-50", "-18", "-10", "-20"], "-1 158",
                                    rereads={1: "- 115", 0: "845"})
    corrected = {c.subject: c.expected for c in checks if c.status == "corrected"}
    assert corrected == {"Uppdragsersättning förbundschef": -845000, "Kanslikostnader": -115000}
    assert [c.status for c in checks if c.subject == "Summa administration"] == ["pass"]


def test_a_column_that_mixes_signs_is_not_forced_to_one():
    # sizes 845 + 115 + ... = 1 158, but the total printed is 1 000: no sign makes it add up
    facts, checks = _administration(["845", "-115", "-100", "50", "-18", "-10", "-20"], "-1 000")
    assert not [c for c in checks if c.status == "corrected"]
    assert [c.status for c in checks if c.subject == "Summa administration"] == ["fail"]


def test_speck_by_the_decimal_comma_is_read_through():
    assert ocr_digit_reading("1222.,5").value == 1222.5
    assert ocr_digit_reading("1 222,.5").value == 1222.5


def test_second_reading_that_closes_nearly_all_of_a_gap_is_taken_in_doubt():
    # the document's own sum is 22 off (it prints -1 180 for rows adding up to -1 158),
    # and OCR read "-845" as "-245"; read again the cell says "-845": no repair makes the
    # sum add up, but the second reading leaves 22 of the 622 gap and is the likelier one
    facts, checks = _administration(["-245", "-115", "-100", "-50", "-18", "-10", "-20"], "-1 180",
                                    rereads={0: "-845"})
    cell = [f for f in facts if f.row_label == "Uppdragsersättning förbundschef"][0]
    assert (cell.value, cell.printed) == (845000, "-245")
    assert "read again from the scan" in cell.reading and "unconfirmed" in cell.reading
    assert cell.confidence <= 0.5
    total = [c for c in checks if c.subject == "Summa administration"]
    assert [c.status for c in total] == ["fail"] and "'-845'" in total[0].message


def test_second_reading_that_leaves_much_of_the_gap_is_not_taken():
    facts, checks = _administration(["-245", "-115", "-100", "-50", "-18", "-10", "-20"], "-1 180",
                                    rereads={0: "-645"})
    cell = [f for f in facts if f.row_label == "Uppdragsersättning förbundschef"][0]
    assert (cell.value, cell.reading) == (245000, "")


def test_second_reading_stands_against_a_look_alike_reading_where_the_sum_confirms_it():
    # seed 004's "-100" scanned with a letter read into it ("-1O00"): the look-alikes make
    # it -1 000, the sum fails; read again the cell says "-100", and the sum confirms that
    facts, checks = _administration(["-845", "-115", "-1O00", "-50", "-18", "-10", "-20"], "-1 158",
                                    rereads={2: "-100"})
    cell = [f for f in facts if f.row_label == "Arvoden, ersättningar styrelsen"][0]
    assert (cell.value, cell.printed) == (100000, "-1O00")
    assert [(c.subject, c.status) for c in checks if c.status != "pass"] == [
        ("Arvoden, ersättningar styrelsen", "corrected")]


def _key_figures(soliditet, rereads):
    """Seed 002's key figures ("1.1. Översikt"), one money row and the soliditet row as
    a scan read them, with the soliditet cells read again."""
    rows = [TableRow("Årets resultat", {0: "- 104 286", 1: "- 20 114"}, 3, 100),
            TableRow("Soliditet", dict(enumerate(soliditet)), 3, 112)]
    table = Table("t01", "1.1. Översikt över verksamhetens utveckling", "", [
        Column(0, 250, 280, "2025"), Column(1, 320, 350, "2024")], rows, [3])
    facts = table_facts(table, ÅR, "doc", "", {3: "ocr"}, frozenset({3}),
                        rereads={(1, column): text for column, text in rereads.items()})
    return facts, validate(facts)


def test_percent_sign_read_as_digits_comes_back_from_the_second_reading():
    # "75,4%" and "63,3%" read as "75,4920" and "63,396": the commonest misreading of "%"
    facts, checks = _key_figures(["75,4920", "63,396"], {})
    assert {(f.row_label, f.column_index) for f in facts if f.category == "ratio"} == {
        ("Soliditet", 0), ("Soliditet", 1)}
    doubted, _ = cells_in_doubt(facts, checks)
    assert doubted == {("t01", 1, 0), ("t01", 1, 1)}  # only the ratio's cells are read again
    facts, _ = _key_figures(["75,4920", "63,396"], {0: "75,4%", 1: "63,3%"})
    soliditet = [f for f in facts if f.row_label == "Soliditet"]
    assert [(f.value, f.unit, f.printed) for f in soliditet] == [
        (75.4, "percent", "75,4920"), (63.3, "percent", "63,396")]
    assert all("% as digits" in f.reading and f.confidence < 0.9 for f in soliditet)


def test_a_ratio_read_again_without_a_percent_sign_keeps_its_first_reading():
    facts, _ = _key_figures(["75,4%", "63,396"], {1: "63,396"})
    assert [(f.value, f.unit) for f in facts if f.row_label == "Soliditet"] == [
        (75.4, "percent"), (63.396, "kr")]
    doubted, _ = cells_in_doubt(facts, [])
    assert doubted == {("t01", 1, 1)}


def _balance_requirement_with_a_doubtful_digit(printed, reread):
    """A scanned column of nil dashes with one lone digit OCR was unsure of (in `unread`)."""
    rows = [TableRow("Årets resultat", {0: "- 104 286"}, 7, 100),
            TableRow("Att återställa kommande år", {}, 7, 112, unread={0: printed})]
    table = Table("t01", "Balanskravsresultat", "", [Column(0, 250, 280, "2025")], rows, [7])
    return table_facts(table, ÅR, "doc", "", {7: "ocr"}, frozenset({7}), rereads={(1, 0): reread})


def test_doubtful_lone_digit_is_a_nil_dash_when_read_again_as_one():
    assert [f.row_label for f in _balance_requirement_with_a_doubtful_digit("5", "-")] == ["Årets resultat"]


def test_doubtful_lone_digit_read_again_alike_is_an_ordinary_cell():
    other, cell = _balance_requirement_with_a_doubtful_digit("0", "0")
    assert (cell.value, cell.printed, cell.reading, cell.confidence) == (0, "0", "", other.confidence)


def test_a_cell_read_again_keeps_the_minus_its_first_reading_showed():
    """Seed 002's budget against outcome as a fax reads it: "-8" as "-B", no number; read
    again, restricted to digits, as "8". The deviation is −8 (tkr), as budget − outcome
    and the column's total say; taken as +8, both checks failed."""
    rows = [
        TableRow("Plattformen för samverkan Arvika Eda", {0: "2 108", 1: "2100"}, 11, 100, unread={2: "-B"}),
        TableRow("Friska medborgare Åmål", {0: "500", 1: "500", 2: "0"}, 11, 110),
        TableRow("Totalt", {0: "2 608", 1: "2 600", 2: "-8"}, 11, 120),
    ]
    table = Table("t06", "Jämförelse faktiskt utfall mot budget 2025 (tkr)", "", [
        Column(0, 340, 370, "Utfall jan-dec 2025"), Column(1, 430, 460, "Budget jan-dec 2025"),
        Column(2, 520, 550, "Avvikelse jan-dec 2025")], rows, [11])
    facts = table_facts(table, ÅR, "doc", "", {11: "ocr"}, frozenset({11}), rereads={(0, 2): "8"})
    checks = validate(facts)
    cell = next(f for f in facts if f.row_index == 0 and f.measure == "deviation")
    assert (cell.printed, cell.value) == ("-B", -8000)
    assert not [c for c in checks if c.status == "fail"]
    assert [c.message for c in checks if c.status == "corrected"] == [
        "printed '-B' read as '-8': the cell read again from the scan; confirmed by 'Totalt'"]


def test_a_second_reading_that_contradicts_the_digits_first_seen_is_not_taken():
    """Seed 004's plan as a fax reads it: "Totalt utrymme" 2027 (6 452) read "6 452 LL",
    no number; read again, its box slipped onto the row above and gave "1562", which one
    row above adds up to, so it stood "corrected". A cell OCR read as "H22255" and read
    again as "1222,5" differs from its first digits in one: taken."""
    rows = [
        TableRow("Parternas insats", {0: "4890"}, 8, 100),
        TableRow("Prognos Eget kapital*", {0: "1562"}, 8, 110),
        TableRow("Totalt utrymme", {}, 8, 120, unread={0: "6 452 LL"}),
        TableRow("Region Västernorrland", {}, 8, 130, unread={0: "H22255"}),
    ]
    table = Table("t01", "7. Budget 2026, Plan 2027 och 2028 (tkr)", "", [Column(0, 430, 460, "2027")], rows, [8])
    facts = table_facts(table, META, "doc", "", {8: "ocr"}, frozenset({8}), rereads={(2, 0): "1562", (3, 0): "1222,5"})
    assert [(f.row_label, f.value) for f in facts if f.row_index >= 2] == [("Region Västernorrland", 1222500)]
    assert not [c for c in validate(facts) if c.status == "corrected" and c.subject == "Totalt utrymme"]
