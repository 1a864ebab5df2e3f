"""Row labels → categories: the knowledge in normalize/data/categories.csv."""
from __future__ import annotations

import pytest

from normalize.categories import categorize, is_bare_total, is_total_label, respell, total_category

CASES = [
    ("Medlemsbidrag", "", "", "income.member_contributions"),
    ("Verksamhetens medlemsavgifter", "", "", "income.member_contributions"),
    ("Driftbidrag från Eda kommun", "", "", "contribution"),
    ("Västra Götalandsregionen", "", "", "contribution"),
    ("Örnsköldsviks Kommun", "Intäkter", "", "contribution"),
    ("ESF intäkter", "", "", "income.eu"),
    ("Prognos Eget kapital*", "Intäkter", "", "income.carried_forward"),
    ("Överskott från tidigare år", "", "", "income.carried_forward"),
    ("Totalt ingående beslutsutrymme", "", "", "income.total"),
    ("Förbundschef, administration (IT, NNS, hemsida mm)", "Kansli", "", "cost.administration"),
    ("Arvoden, ersättningar styrelsen", "Administration", "", "cost.board"),
    ("Drivkraft Filipstad", "Administration", "", "cost.individual"),
    ("Kompetenshöjande insatser och utveckling samverkan", "", "", "cost.structural"),
    ("Reserverade medel för ej beslutade insatser", "Insatser", "", "cost.unallocated"),
    ("Finansiella kostnader", "", "", "cost.financial"),
    ("Summa kostnader", "", "", "cost.total"),
    ("Verksamhetens nettokostnad", "", "", "result"),
    ("Övrigt eget kapital", "Eget kapital och skulder", "", "balance.equity"),
    ("Summa eget kapital och skulder", "", "", "balance.liability"),
    ("Kassa och banktillgodohavande", "", "", "balance.asset"),
    ("Periodens/årets resultat", "", "4. Kassaflödesanalys", "cashflow"),
    ("Integrerad Samverkan Säffle", "", "Mål antal deltagare", "participants"),
    ("Soliditet", "", "", "ratio"),
    ("Antal anställda", "", "", "other"),
    ("Lokalhyra", "Kansli", "", "cost.administration"),
]


@pytest.mark.parametrize("label,section,table,expected", CASES)
def test_categorize(label, section, table, expected):
    assert categorize(label, section, table) == expected


def test_bare_totals_take_their_members_family():
    assert total_category(["contribution"] * 3, "other") == "income.member_contributions"
    assert total_category(["income.member_contributions", "income.carried_forward"], "other") == "income.total"
    assert total_category(["cost.administration", "cost.board", "cost.individual"], "other") == "cost.total"
    assert total_category(["balance.asset", "balance.asset"], "other") == "balance.asset"


# Labels as Tesseract misread them on the scanned fixtures (004's worse scan, 003's
# scan) and on 004's report as a fax (a speck read as a stop after "och").
OCR_MISREADINGS = [
    ("Tatala kostnader", "", "cost.total"),
    ("Försakrånaskassan/Arbetsformediingen", "", "contribution"),
    ("Prognos eqet kapital\"", "Intäkter", "income.carried_forward"),
    ("Kurs- och. konferensavgifter", "Insatser", "cost.structural"),
    ("Regiori Västernorrland", "Intäkter", "contribution"),  # 004's Word layout as a fax: "n" read as "ri"
]


@pytest.mark.parametrize("label,section,expected", OCR_MISREADINGS)
def test_ocr_misread_label_is_categorized_as_the_word_it_misreads(label, section, expected):
    assert categorize(label, section, "", ocr=True) == expected
    assert categorize(label, section, "") != expected  # a typed label is taken as printed


@pytest.mark.parametrize("label", ["Regional utveckling", "Övriga kostnader", "Revisor", "Antal anställda"])
def test_real_words_are_never_respelled_into_a_category(label):
    """"Regional" is one letter pair from the rules' "regionen", "övriga" a prefix of
    "övrig": Swedish words, read right, that a respelling must leave alone."""
    assert respell(label.lower()) == label.lower()
    assert categorize(label, "", "", ocr=True) == categorize(label, "", "")


@pytest.mark.parametrize("label,bare", [("Tatala kostnader", False), ("Totalt ingående beslutsutrvmme", False),
                                        ("Tatalt", True), ("Summa:", True),
                                        ("Surnma kostnader", False), ("Sumrna", True)])  # "m" and "rn" read for each other
def test_an_ocr_misread_total_word_still_makes_its_row_a_total(label, bare):
    """003's scan reads "Totala kostnader" as "Tatala kostnader": taken for a cost of its
    own, the total was counted twice in "Årets resultat" (3 262 − 7 210 instead of
    3 262 − 3 605). A typed label is taken as printed."""
    assert is_total_label(label, ocr=True)
    assert is_bare_total(label, ocr=True) == bare
    assert is_total_label(label) == label.startswith(("Totalt", "Summa"))


@pytest.mark.parametrize("label", ["Samma som föregående år", "Totalkostnad", "Postala avgifter", "Tot", "Social ekonomi"])
def test_labels_that_only_resemble_a_total_word_are_no_totals(label):
    """A Swedish word ("samma"), a compound that is no total row ("Totalkostnad" is a
    cost), a word two letters from "totala", a word too short to tell."""
    assert not is_total_label(label, ocr=True)


def test_ocr_misread_title_still_makes_every_row_of_its_table_a_cash_flow():
    """Seed 002's cash-flow statement scanned and read with another page segmentation:
    its title came out "4. Kassafloddesanalys", and its rows took their own labels'
    categories (a bank balance an asset, a result a result)."""
    title = "4. Kassafloddesanalys Belopp i kr. Not 2025-12-31 2024-12-31"
    for label in ("Likvida medel vid årets början", "Periodens/årets resultat", "Årets kassaflöde"):
        assert categorize(label, "", title, ocr=True) == "cashflow"
    assert categorize("Likvida medel vid årets början", "", title) == "balance.asset"  # typed: as printed
    assert respell("kassafloddesanalys", "table") == "kassaflodesanalys"
    assert respell("kassaflödesanalys", "table") == "kassaflödesanalys"
