"""OCR acceptance on the scanned fixtures, with the real Tesseract (swe), plus
fault-injection doubles for Tesseract crashing, hanging, answering junk or missing.

Each scanned fixture is extracted once per session (two worker processes, as on CI).
The floors are the figures measured on these fixtures (see the note on the issue), a
little below them; where they are under the issue's bar (95 % recall, 97 % precision)
that is said here, not hidden.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import extract_document
from tests.conftest import ROOT, SCANNED, SCORES, facts_frame
from tests.scoring import load_gold, load_meta, score

OCR_LABEL_SIMILARITY = 0.85  # a row label may differ by an OCR'd letter or two
MIN_CATEGORY = 0.95  # as for the typed fixtures

# fixture → (min recall, min precision). Measured 2026-11-23 (Tesseract 5, swe+eng, with
# cells read a second time where OCR could not read them or a check failed): 000 100/100,
# 001 100/100, 002 97.2/98.2, 003 100/100, 004 100/100, 004 worse scan 59.4/74.5,
# 000 English-OCR layer 100/100, 004 seed text 100/100. All but the worse scan meet the
# issue's bar (95 % recall, 97 % precision); the floors sit a little below the figures.
FLOORS = {
    "000_vvnd_vp2026.scan": (0.98, 0.98),
    "001_ostra_varmland_vp2025.scan": (0.98, 0.98),
    "002_vvnd_ar2025.scan": (0.98, 0.99),
    "003_nedansiljan_vp2026.scan": (0.97, 0.97),
    "004_ornskoldsvik_vp2026.scan": (0.98, 0.98),
    "004_ornskoldsvik_vp2026.badscan": (0.98, 0.98),
    "000_vvnd_vp2026.engocr": (0.98, 0.98),
    "004_ornskoldsvik_vp2026.seedtext": (0.98, 0.98),  # with 2 corrected cells
}

# fixture → min share of found facts whose table_title is gold's title of their table.
# Measured 2026-11-24: 100 % on every scan but 002 (88.0 %): its participants table's
# heading ("Uppföljning och resultat för individriktade insatser") is on a page the scan
# leaves out, so the nearest heading it holds ("1.3. Händelser av väsentlig betydelse")
# is taken, as a reader of those pages would.
TITLE_FLOORS = dict.fromkeys(FLOORS, 0.98) | {"002_vvnd_ar2025.scan": 0.85}


@pytest.mark.parametrize("name", FLOORS)
def test_scanned_fixture_against_gold(name, scanned):
    result = scanned(name)
    key = name.split(".")[0]
    s = score(facts_frame(result), load_gold(key), OCR_LABEL_SIMILARITY)
    SCORES.append(s.summary(f"{name} (OCR)"))
    min_recall, min_precision = FLOORS[name]
    assert s.recall >= min_recall, f"missing: {s.missing[:10]}"
    assert s.precision >= min_precision, f"not in gold: {s.extra[:10]}"
    assert s.title_accuracy >= TITLE_FLOORS[name], sorted(set(facts_frame(result).table_title))
    assert s.category_accuracy >= MIN_CATEGORY  # measured 100 % on every scan, 2026-11-24


@pytest.mark.parametrize("name", FLOORS)
def test_scanned_metadata_exact(name, scanned):
    meta = scanned(name).meta
    gold = load_meta(name.split(".")[0])
    assert (meta.federation_id, meta.document_type, meta.period_year) == (
        gold["federation_id"], gold["document_type"], gold["period_year"])


REGRESSION = ROOT / "fixtures" / "regression"


def test_fax_lone_cell_with_a_digit_read_as_a_letter_is_a_row_not_the_header():
    """Seed 000's budget page, from the report producer, as a fax (black and white): OCR
    reads its first row's only amount "7 808 000" as "7 808 D00". That row was no row
    then (its one cell read as no number), but the table's header, so the 2026 column
    was headed "7 808 D00": 21 figures without a measure and without Medlemsbidrag."""
    path = REGRESSION / "fax_lone_cell_with_a_digit_read_as_a_letter.pdf"
    facts = facts_frame(extract_document(path, str(path), jobs=2))
    gold = load_gold("000_vvnd_vp2026")
    budget = gold[gold.table == "Budget - förslag 2026"]
    s = score(facts[facts.table_title == "Budget - förslag 2026"], budget, OCR_LABEL_SIMILARITY)
    assert s.recall == 1.0 and s.precision == 1.0, (s.missing, s.extra)
    medlemsbidrag = facts[facts.row_label == "Medlemsbidrag"].iloc[0]
    assert (medlemsbidrag.year, medlemsbidrag.measure, medlemsbidrag.value) == (2026, "budget", 7_808_000)
    assert medlemsbidrag.printed == "7 808 D00"  # as OCR read it: the printed text stays the provenance
    assert facts.measure.notna().all() and (facts.measure != "").all()


def test_fax_contents_without_dot_leaders_gives_no_facts():
    """Seed 003's title page, from the report producer, as a fax: its table of contents
    lost its title to the lines above and its dot leaders to OCR; the page numbers of
    "3.1.1 Målområde 1 … 7" were taken for amounts of a cost table."""
    path = REGRESSION / "fax_contents_without_dot_leaders.pdf"
    result = extract_document(path, str(path), jobs=2)
    assert result.facts == []
    assert result.meta.federation_id == load_meta("003_nedansiljan_vp2026")["federation_id"]


def test_fax_thousands_digit_a_wide_space_apart_stays_with_its_number():
    """Seed 002's budget against outcome (tkr), from the report producer, as a fax: OCR
    set "2 108" and "1 000" with 0.65 em between the digit groups. Taken for two cells
    of one column, the "2" and the "1" were lost: 108 and 0 instead of 2 108 and 1 000,
    and five checks failed. "-8" read as "-B", and again as "8", keeps its minus."""
    path = REGRESSION / "fax_thousands_digit_a_wide_space_apart.pdf"
    result = extract_document(path, str(path), jobs=2)
    title = "Jämförelse faktiskt utfall mot budget 2025 (tkr)"
    gold = load_gold("002_vvnd_ar2025")
    facts = facts_frame(result)
    s = score(facts[facts.table_title == title], gold[gold.table == title], OCR_LABEL_SIMILARITY)
    assert s.recall == 1.0 and s.precision == 1.0, (s.missing, s.extra)
    assert not [c for c in result.checks if c.status == "fail"]


def test_scan_pages_are_ocrd_and_facts_say_so(scanned):
    result = scanned("004_ornskoldsvik_vp2026.scan")
    assert result.ocr_pages == result.pages == 3
    assert {r.decision for r in result.readings} == {"no_text_layer"}
    assert all(f.source == "ocr" for f in result.facts)
    assert any(abs(r.skew_degrees) >= 0.5 for r in result.readings)  # the scan was crooked


def test_english_ocr_layer_is_replaced_by_swedish_ocr(scanned):
    result = scanned("000_vvnd_vp2026.engocr")
    assert {r.decision for r in result.readings} == {"ocr_better"}
    assert all(r.ocr_quality > r.text_quality for r in result.readings)
    labels = {f.row_label for f in result.facts}
    assert "Försäkringskassan" in labels  # the English layer reads "Forsakringskassan"


def test_seed_text_repaired_and_decimal_commas_confirmed(scanned):
    result = scanned("004_ornskoldsvik_vp2026.seedtext")
    assert {r.decision for r in result.readings} == {"text_poor"}  # no scan under it
    assert sum(r.letters_repaired for r in result.readings) > 500
    corrected = [c for c in result.checks if c.status == "corrected"]
    # "Ornskdldsviks Kommun 1222.5 12225 12225": 1 222,5 + 1 222,5 + 2 445 = 4 890
    assert [(c.subject, c.year, c.found, c.expected) for c in corrected] == [
        ("Örnsköldsviks Kommun", 2027, 12225000, 1222500),
        ("Örnsköldsviks Kommun", 2028, 12225000, 1222500)]
    assert not [c for c in result.checks if c.status == "fail"]


def test_every_number_read_again_is_reported_with_its_print(scanned):
    """Cells read a second time from the scan change a number only where the arithmetic
    confirms it, and each change is a `corrected` check that keeps what OCR printed."""
    result = scanned("002_vvnd_ar2025.scan")
    corrected = {(c.table_id, c.subject, c.year, c.measure): c for c in result.checks
                 if c.status == "corrected"}
    assert any("read again from the scan" in c.message for c in corrected.values())
    for fact in result.facts:
        if "% as digits" in fact.reading:  # a ratio's "%" (no sum to confirm it): in doubt, said so
            assert fact.unit == "percent" and fact.confidence < 0.85
        elif "read again from the scan" in fact.reading or "OCR had read nothing" in fact.reading:
            check = corrected.get((fact.table_id, fact.row_label, fact.year, fact.measure))
            if fact.confidence >= 0.85:  # taken: confirmed, and said so
                assert check is not None and repr(fact.printed) in check.message
            else:  # an unreadable cell's second reading, not confirmed: stays in doubt
                assert fact.confidence <= 0.5


# --- fault injection: a fake `tesseract` on PATH, the real finsam CLI around it --------

FAKE_TESSERACT = """#!/bin/sh
case "$1" in
  --version) echo "tesseract {version}"; exit 0 ;;
  --list-langs) printf 'List of available languages:\\n{languages}'; exit 0 ;;
esac
{behaviour}
"""
# finsam hands its pages to a running Tesseract (`-c stream_filelist=1`): an image path
# a line on standard input, each page's TSV on standard output, a blank page after each.
STREAM_TSV = """if [ "$1" = "-" ]; then
  printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n'
  n=0
  while read -r image; do
    n=$((n + 1))
    case "$image" in *end-of-page*) ;; *) {before_page} ;; esac
    printf '1\\t%d\\t0\\t0\\t0\\t0\\t0\\t0\\t100\\t100\\t-1\\t\\n' "$n"
    case "$image" in *end-of-page*) ;; *)
      printf '5\\t%d\\t1\\t1\\t1\\t1\\t10\\t10\\t50\\t20\\t12\\t~#%%&\\n5\\t%d\\t1\\t1\\t1\\t2\\t70\\t10\\t50\\t20\\t9\\t@@!!\\n' "$n" "$n" ;;
    esac
  done
fi"""
BEHAVIOURS = {
    "crash": 'echo "Segmentation fault (core dumped)" >&2; exit 139',
    "hang": "exec /bin/sleep 30",
    "junk": STREAM_TSV.format(before_page=":"),
    "slow": STREAM_TSV.format(before_page="/bin/sleep 3"),  # junk after 3 s: a page of known length
}


FAKE_LANGUAGES = ("eng", "osd", "swe")  # the language data a fake Tesseract has unless told


def fake_tesseract_env(tmp_path: Path, behaviour: str | None, *, version: str = "5.3.0",
                       languages: tuple[str, ...] = FAKE_LANGUAGES, **extra: str) -> dict:
    """PATH with a fault-injecting `tesseract` (or none at all) that says it is `version`
    and has the data of `languages`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if behaviour is not None:
        fake = bin_dir / "tesseract"
        fake.write_text(FAKE_TESSERACT.format(behaviour=BEHAVIOURS[behaviour], version=version,
                                              languages="".join(f"{code}\\n" for code in languages)))
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return dict(os.environ, PATH=f"{bin_dir}:{os.path.dirname(sys.executable)}", **extra)


def _run_with(tmp_path: Path, behaviour: str | None, pdf: Path, timeout_s: int = 120,
              languages: tuple[str, ...] = FAKE_LANGUAGES):
    env = fake_tesseract_env(tmp_path, behaviour, languages=languages, FINSAM_OCR_TIMEOUT="3")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(ROOT / "pipeline.py"), "extract", str(pdf),
                           str(ROOT / "fixtures" / "typed" / "003_nedansiljan_vp2026.word.pdf"),
                           "--out", str(out), "--jobs", "1"],
                          capture_output=True, text=True, env=env, timeout=timeout_s, cwd=ROOT)
    return proc, pd.read_csv(out / "documents.csv")


@pytest.mark.parametrize("quarter", [90, 180, 270])
def test_scan_lying_on_its_side_is_turned_upright_and_read(quarter, tmp_path):
    """The 004 scan's pages as a landscape page scanned upright lies, or a page fed
    upside down: turned (the same pixels). Before, it gave no fact and no error;
    Tesseract's orientation detection says which way to turn each page back (asked for
    a page on its side, or one whose reading is junk)."""
    import pdfplumber

    from extract.raster import rasterize, upright

    with pdfplumber.open(SCANNED / "004_ornskoldsvik_vp2026.scan.pdf") as pdf:
        pages = [upright(rasterize(page, 200), quarter) for page in pdf.pages]
    path = tmp_path / f"004 on its side {quarter}.pdf"
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    result = extract_document(path, str(path), jobs=2)
    assert {r.turned_degrees for r in result.readings} == {(360 - quarter) % 360}
    s = score(facts_frame(result), load_gold("004_ornskoldsvik_vp2026"), OCR_LABEL_SIMILARITY)
    SCORES.append(s.summary(f"004_ornskoldsvik_vp2026.scan turned {quarter}° (OCR)"))
    # measured 2026-12-03: 100 / 100 each way (turned 90°, a cell OCR dropped is read
    # again as "12225" for "1 222,5" and its lost comma restored, as the sum confirms)
    assert s.recall >= 0.99 and s.precision >= 0.99, (s.missing, s.extra)


# Pages of the scans read by Tesseract with `swe` alone and their percent signs not read
# again: another OCR reading of the same print, which gets single characters wrong in the
# ways other scanners' OCR does. Each page holds one such misreading (found with
# `scripts/diagnose_ocr.py --languages swe`, before finsam read percent signs again), and
# the value gold has for it, as printed in the document.
OTHER_READING = {
    # "*-890 000" (a footnote star) read as "+-890 000"
    ("000_vvnd_vp2026.scan", (3,)): [("Resultat", 2026, -890000)],
    # "75,4%" … "72,3%" read as "75,4920", "63,396", "73,66", "88,16", "72,30"; nil dashes
    # read as "5" (at confidence 45 and 49) under 2024
    ("002_vvnd_ar2025.scan", (3, 7)): [("Soliditet", 2025, 75.4), ("Soliditet", 2024, 63.3),
                                       ("Soliditet", 2023, 73.6), ("Soliditet", 2022, 88.1),
                                       ("Soliditet", 2021, 72.3),
                                       ("reducering av samtliga realisationsvinster", 2024, None),
                                       ("Att återställa kommande år", 2024, None)],
    # "-705" read as "-70O5" in the 2028 column, whose sum then fails (the table's unit,
    # tkr, is in its title on page 2); the footnote "*Prognos Eget kapital ingång 2026 ca
    # 2 800 000 kr = 57%" read with a quote for its star and "5796" for "= 57%"
    ("004_ornskoldsvik_vp2026.scan", (2, 3)): [("Processtöd/Utvecklingsledare/biträdande förbundschef", 2028, 705000),
                                               ("Prognos Eget kapital ingång 2026 ca 2 800 000 kr", 2026, None)],
}


@pytest.mark.parametrize("name,pages", OTHER_READING)
def test_another_ocr_readings_misread_characters_are_caught(name, pages, tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter

    import extract.ocr

    writer = PdfWriter()
    for number in pages:
        writer.add_page(PdfReader(SCANNED / f"{name}.pdf").pages[number - 1])
    path = tmp_path / f"{name} pages.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    monkeypatch.setattr(extract.ocr, "MODELS_WITHOUT_PERCENT", ())  # read here, in this process
    result = extract_document(path, str(path), jobs=1)
    found = {(f.row_label.lower(), f.year): f for f in result.facts}
    for label, year, value in OTHER_READING[(name, pages)]:
        fact = found.get((label.lower(), year))
        if value is None:
            assert fact is None, (label, year, fact and fact.printed)
        else:
            assert fact is not None and fact.value == pytest.approx(value), (label, year, fact and fact.printed)
            assert fact.unit == "percent" if label == "Soliditet" else fact.unit != "percent"


# --- percent signs: Swedish's model has none, English reads them again ------------------

@pytest.mark.parametrize("first,second,taken", [
    ("9796", "97%", "97%"),        # as `swe` wrote "97%" on 002's page 11, and as `eng` read it
    ("75,4920", "75,4%", "75,4%"),
    ("46,896)", "46,8%)", "46,8%)"),
    ("26", "%", "%"),              # "50 %": the sign alone, after its number
    ("2026", "2026", "2026"),      # a year: no sign read, the year stands
    ("9796", "87%", "9796"),       # other digits before the sign: not the same word
    ("12345", "1%", "12345"),      # four characters for one sign: not the same word
    ("2026", "%", "2026"),
])
def test_a_percent_sign_read_again_replaces_the_digits_it_was_read_as(first, second, taken):
    from extract.ocr import with_percent_sign

    assert with_percent_sign(first, second) == taken


def test_words_that_may_hold_a_percent_sign_are_chosen():
    from extract.ocr import percent_candidates

    lines = [  # (line, text, left, width); every word 40 pixels high
        (1, "Soliditet", 0, 200), (1, "75,4920", 220, 150),
        (2, "ca", 0, 40), (2, "50", 60, 50), (2, "96", 120, 45),
        (3, "-1", 0, 30), (3, "966", 40, 60), (3, "000", 110, 60),
        (4, "2026", 0, 90), (4, "Budget", 100, 120), (4, "26", 300, 45),
        (5, "12", 0, 45), (5, "15", 400, 45), (5, "1840000", 500, 150), (5, "63,3", 700, 80),
    ]
    data = {"text": [t for _, t, _, _ in lines], "left": [x for _, _, x, _ in lines],
            "width": [w for _, _, _, w in lines], "height": [40] * len(lines),
            "block_num": [1] * len(lines), "par_num": [1] * len(lines), "line_num": [n for n, *_ in lines]}
    chosen = [data["text"][i] for i in percent_candidates(data)]
    assert chosen == ["75,4920", "96", "2026"]


def test_percent_signs_of_a_scanned_page_are_read():
    """Page 11 of 002 (the scan's fifth) prints 23 percentages in its text; Tesseract's
    `swe` writes each as digits ("9796"), `swe+eng` got 14 of them."""
    import re

    import pdfplumber

    from extract.pages import OcrTask, ocr_page

    path = SCANNED / "002_vvnd_ar2025.scan.pdf"
    printed = ["95%", "84%),", "83%", "83%)", "100%,", "72%).", "75%.", "91%", "95%),", "80%.", "100%).",
               "97%", "94%),", "75%.", "100%)", "91%,", "93%),", "80%.", "91%)", "55%,", "69%),", "60%.",
               "87%)"]
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[4]
        task = OcrTask(str(path), 5, float(page.width), float(page.height))
    read = [w.text for w in ocr_page(task).words if "%" in w.text]
    assert sorted(re.sub(r"[^\d%]", "", t) for t in read) == sorted(re.sub(r"[^\d%]", "", t) for t in printed)


@pytest.mark.parametrize("behaviour,words", [("crash", "Tesseract failed"), ("hang", "timed out")])
def test_tesseract_failure_marks_the_page_and_the_batch_goes_on(tmp_path, one_page_scan, behaviour, words):
    proc, docs = _run_with(tmp_path, behaviour, one_page_scan)
    scan = docs[docs.source_file.str.endswith("one page scan.pdf")].iloc[0]
    assert scan.status == "partial" and words in scan.error and "page 1" in scan.error
    assert (docs.status == "ok").sum() == 1  # the typed PDF beside it is extracted
    assert proc.returncode == 10


def test_tesseract_junk_gives_no_facts_and_no_crash(tmp_path, one_page_scan):
    proc, docs = _run_with(tmp_path, "junk", one_page_scan)
    scan = docs[docs.source_file.str.endswith("one page scan.pdf")].iloc[0]
    assert scan.facts == 0 and scan.status in ("ok", "partial")
    pages = pd.read_csv(tmp_path / "out" / "pages.csv")
    assert pages[pages.document_id == scan.document_id].ocr_quality.max() < 0.5


def test_missing_tesseract_is_a_clear_error(tmp_path, one_page_scan):
    proc, docs = _run_with(tmp_path, None, one_page_scan)
    scan = docs[docs.source_file.str.endswith("one page scan.pdf")].iloc[0]
    assert scan.status == "failed" and "apt-get install tesseract-ocr" in scan.error
    assert "finsam: error:" in proc.stderr
    assert (docs.status == "ok").sum() == 1


@pytest.mark.parametrize("languages,named,package", [
    (("osd", "swe"), "no English data", "tesseract-ocr-eng"),
    (("eng", "osd"), "no Swedish data", "tesseract-ocr-swe"),
    (("osd",), "no Swedish and no English data", "tesseract-ocr-swe tesseract-ocr-eng"),
])
def test_missing_language_data_is_a_clear_error(tmp_path, one_page_scan, languages, named, package):
    """English reads table cells and percent signs a second time: a Tesseract without
    it fails the scan at once, saying what to install, as one without Swedish does
    (before, every second reading failed and left the first one, unsaid)."""
    proc, docs = _run_with(tmp_path, "junk", one_page_scan, languages=languages)
    scan = docs[docs.source_file.str.endswith("one page scan.pdf")].iloc[0]
    assert (scan.status, scan.error_class) == ("failed", "missing_tesseract")
    assert named in scan.error and f"apt-get install {package}`" in scan.error, scan.error
    assert (docs.status == "ok").sum() == 1  # the typed file needs no Tesseract


# --- the running Tesseract: pages handed over one after the other --------------------

def _cell_images():
    """Two parts of a scanned table page (its title and its first rows): small, so
    that the real Tesseract reads each in about a second."""
    import pdfplumber

    from extract.raster import page_for_ocr, rasterize

    with pdfplumber.open(SCANNED / "003_nedansiljan_vp2026.scan.pdf") as pdf:
        read = page_for_ocr(rasterize(pdf.pages[1]))
    page, y = read.image, read.origin[1]
    return [page.crop((0, 150 - y, page.width, 650 - y)), page.crop((0, 650 - y, page.width, 1150 - y))]


def test_a_running_tesseract_reads_each_page_as_a_tesseract_of_its_own():
    """Pages handed one after the other to the same Tesseract come back each with its
    own words, exactly those a Tesseract started for that page alone reads."""
    import pytesseract

    from extract.ocr import OCR_LANGUAGES, PAGE_CONFIG, TesseractStream, uncompressed

    images = _cell_images()
    stream = TesseractStream(OCR_LANGUAGES, PAGE_CONFIG)
    try:
        first = stream.read(images[0], 1, 60)
        pid = stream.pid
        second = stream.read(images[1], 2, 60)
        assert stream.pid == pid  # one process read both
    finally:
        stream.close()
    for image, data in zip(images, (first, second)):
        alone = pytesseract.image_to_data(uncompressed(image), lang=OCR_LANGUAGES, config=PAGE_CONFIG,
                                          output_type=pytesseract.Output.DICT)
        assert data == alone
    assert " ".join(t for t in first["text"] if t) != " ".join(t for t in second["text"] if t)
    assert sum(bool(t.strip()) for t in first["text"]) >= 5


def test_threads_of_one_process_each_have_a_tesseract_of_their_own():
    """A Dask worker with several threads reads several documents in one process: pages
    sent at the same time from two threads each come back with their own words, read
    by a Tesseract of each thread's."""
    import threading

    import pytesseract

    from extract.ocr import OCR_LANGUAGES, PAGE_CONFIG, _image_to_data, close_streams, tesseract_stream, uncompressed

    images = _cell_images()
    alone = [pytesseract.image_to_data(uncompressed(image), lang=OCR_LANGUAGES, config=PAGE_CONFIG,
                                       output_type=pytesseract.Output.DICT) for image in images]
    results, pids, start = {}, {}, threading.Barrier(2)

    def read(n: int) -> None:
        start.wait()  # both threads send their pages at once
        results[n] = [_image_to_data(images[(n + k) % 2], OCR_LANGUAGES, PAGE_CONFIG, k + 1, 60)
                      for k in range(2)]
        pids[n] = tesseract_stream(OCR_LANGUAGES, PAGE_CONFIG).pid

    threads = [threading.Thread(target=read, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        close_streams()
    assert pids[0] != pids[1] and None not in pids.values()
    for n in range(2):
        assert results[n] == [alone[n % 2], alone[(n + 1) % 2]]


# the second page (the third image: a blank one follows each page) crashes Tesseract
BEHAVIOURS["crash second"] = STREAM_TSV.replace(
    "{before_page}", '[ "$n" -ge 3 ] && { echo "Segmentation fault (core dumped)" >&2; exit 139; }')


@pytest.mark.parametrize("behaviour,words", [("crash second", "Tesseract failed (Segmentation fault"),
                                             ("hang", "Tesseract timed out after 2 s")])
def test_a_running_tesseract_that_fails_fails_that_page_alone(tmp_path, monkeypatch, behaviour, words):
    """A Tesseract that crashes under a page (or hangs on it, and is ended at the page's
    timeout) fails that page with a message naming it; the next page is read by a new
    Tesseract, and no process is left behind."""
    from PIL import Image

    from extract.ocr import OcrFailedError, TesseractStream
    from tests.test_archive import no_process_mentions

    env = fake_tesseract_env(tmp_path, behaviour)
    monkeypatch.setenv("PATH", env["PATH"])
    image = Image.new("L", (100, 100), 255)
    stream = TesseractStream("swe+eng", "--psm 4")
    try:
        if behaviour == "crash second":
            assert "~#%&" in stream.read(image, 1, 10)["text"]
        first_pid = stream.pid
        with pytest.raises(OcrFailedError, match=r"page 7: " + words.replace("(", r"\(")):
            stream.read(image, 7, 2)
        assert stream.pid is None  # ended
        if behaviour == "crash second":
            assert "~#%&" in stream.read(image, 8, 10)["text"]  # a new Tesseract
            assert stream.pid != first_pid
    finally:
        stream.close()
    assert no_process_mentions(str(tmp_path / "bin"), within_s=2)
