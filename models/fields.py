"""The field dictionary: every column of every output table, with its type, unit and
meaning in English and Swedish.

One place describes the dataset (as PUDL does): `frame()` builds each output table from
records in this column order and checks the types and allowed values before anything is
written; `publish/docs.py` renders docs/DATA.md and the Frictionless datapackage.json
from the same entries, so the files cannot drift from their documentation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from extract.errors import ERROR_CLASSES
from normalize.categories import CATEGORIES


@dataclass(frozen=True)
class Field:
    name: str
    dtype: str  # "string", "int", "float", "bool", "date"
    meaning: str
    meaning_sv: str
    unit: str = ""  # "SEK", "percent", "count", "year", or "" when the column is no quantity
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputTable:
    name: str
    meaning: str
    meaning_sv: str
    key: tuple[str, ...]  # columns unique by construction (none where a document may repeat a row)
    fields: tuple[Field, ...]
    view: bool = False  # derived in finsam.duckdb from the tables above it


DOCUMENT_TYPES = ("verksamhetsplan", "arsredovisning", "delarsrapport", "other")
MEASURES = ("budget", "plan", "forecast", "outcome", "deviation", "target")
PARTY_TYPES = ("state", "region", "municipality")
# the figures a federation's year is compared by (publish/figures.py says how each is found)
FIGURES = ("member_contributions", "total_income", "total_costs", "cost_administration",
           "cost_board", "cost_individual", "cost_structural", "result", "closing_equity",
           "participants")
LOW_CONFIDENCE = 0.7  # below this a value is listed as uncertain in data_quality and the report

DOCUMENT_ID = Field("document_id", "string", "stable id from the file's bytes (sha256 prefix)",
                    "stabilt id för filen (början av dess sha256)")
FEDERATION_ID = Field("federation_id", "string", "stable slug of the federation, same across its documents "
                      "and name changes", "förbundets stabila id, detsamma i alla dess dokument och efter namnbyten")
FEDERATION_NAME = Field("federation_name", "string", "canonical federation name with å/ä/ö",
                        "förbundets namn")
SOURCE_FILE = Field("source_file", "string", "the path as given on the command line",
                    "sökvägen som den angavs på kommandoraden")
DOCUMENT_TYPE = Field("document_type", "string", "kind of document", "typ av dokument", allowed=DOCUMENT_TYPES)
PERIOD_YEAR = Field("period_year", "int", "the year the document is about (VP 2026 → 2026, ÅR 2025 → 2025)",
                    "året dokumentet gäller", "year")
TABLE_ID = Field("table_id", "string", "the table within the document (t01, t02, …)", "tabellen i dokumentet")
PAGE = Field("page", "int", "1-based page number", "sidnummer (från 1)")
YEAR = Field("year", "int", "fiscal year", "räkenskapsår", "year")
MEASURE = Field("measure", "string", "what the column measures", "vad kolumnen mäter (budget, utfall …)",
                allowed=MEASURES)
FIGURE = Field("figure", "string", "which figure of the federation's year", "vilken nyckeluppgift", allowed=FIGURES)
CONFIDENCE = Field("confidence", "float", "0–1: how sure the pipeline is of this value",
                   "0–1: hur säkert värdet är")


def _money(name: str, meaning: str, meaning_sv: str) -> Field:
    return Field(name, "float", meaning, meaning_sv, "SEK")


def _share(name: str, meaning: str, meaning_sv: str) -> Field:
    return Field(name, "float", meaning, meaning_sv, "percent")


TABLES: dict[str, OutputTable] = {t.name: t for t in (
    OutputTable("documents", "one row per input file, including files that failed",
          "en rad per inläst fil, även filer som inte gick att läsa", (), (
        DOCUMENT_ID,
        SOURCE_FILE,
        FEDERATION_ID,
        FEDERATION_NAME,
        Field("federation_known", "bool", "false when the federation is not in the registry yet",
              "falskt när förbundet ännu inte finns i registret"),
        Field("org_nr", "string", "organisationsnummer NNNNNN-NNNN when printed", "organisationsnummer"),
        DOCUMENT_TYPE,
        PERIOD_YEAR,
        Field("decided_on", "date", "date of the board decision (beslutad, fastställd)", "datum för styrelsens beslut"),
        Field("decided_evidence", "string", "the line the decision date was read from",
              "raden beslutsdatumet lästes från"),
        Field("period_evidence", "string", "the line the document type and period year were read from, "
              "or how the year was inferred when no title names it",
              "raden dokumenttyp och år lästes från, eller hur året härleddes när ingen rubrik anger det"),
        Field("pages", "int", "page count", "antal sidor", "count"),
        Field("ocr_pages", "int", "pages that needed OCR", "sidor som tolkades med OCR", "count"),
        Field("facts", "int", "numbers extracted into facts", "antal utlästa tal", "count"),
        Field("checks_failed", "int", "arithmetic checks that failed", "summakontroller som inte stämde", "count"),
        Field("status", "string", "ok, partial (some pages or tables failed) or failed", "ok, delvis eller misslyckad",
              allowed=("ok", "partial", "failed")),
        Field("error", "string", "for partial/failed: what a person should do", "vad som gick fel och vad man kan göra"),
        Field("error_class", "string", "for failed: the kind of failure (exit code in the README)",
              "för misslyckade filer: typ av fel", allowed=ERROR_CLASSES),
        Field("same_bytes_as", "string", "for a copy: the file with the same bytes (same document_id) whose "
              "rows in the other tables stand for this one, so that nothing is counted twice",
              "för en kopia: filen med samma innehåll vars rader i de andra tabellerna gäller även denna"),
    )),
    OutputTable("facts", "one row per number in a financial or results table",
          "ett tal ur en ekonomisk tabell eller resultattabell per rad", (), (
        DOCUMENT_ID,
        FEDERATION_ID,
        TABLE_ID,
        Field("table_title", "string", "the table's title or the heading above it", "tabellens rubrik"),
        Field("page", "int", "1-based page of the cell", "sidan talet står på"),
        Field("section", "string", "the group row above the row (Kansli, Individinriktade insatser)",
              "grupprubriken ovanför raden"),
        Field("row_label", "string", "the row's label, whole, with repaired å/ä/ö", "radens text"),
        Field("column_header", "string", "the column header as printed", "kolumnrubriken som den är tryckt"),
        Field("category", "string", "category code (see the vocabulary)", "kategori", allowed=CATEGORIES),
        Field("is_total", "bool", "true for Summa/Totalt/subtotal rows", "sant för summarader"),
        YEAR,
        MEASURE,
        Field("printed", "string", "the cell text as printed", "cellens text som den är tryckt"),
        Field("unit", "string", "unit the table states (Belopp i tkr → tkr)", "enheten tabellen anger",
              allowed=("kr", "tkr", "mkr", "percent", "count")),
        Field("value", "float", "normalized number: SEK for money (tkr × 1 000); revenues and costs positive, "
              "results and deviations signed", "normaliserat tal: kronor för belopp", "SEK / percent / count"),
        Field("value_unit", "string", "unit of value", "enhet för value", allowed=("SEK", "percent", "count")),
        CONFIDENCE,
        Field("source", "string", "text layer or OCR", "textlager eller OCR", allowed=("text", "ocr")),
    )),
    OutputTable("contributions", "member contributions (medlemsbidrag) per party and year",
          "medlemsbidrag per medlem och år", (), (
        DOCUMENT_ID,
        FEDERATION_ID,
        YEAR,
        MEASURE,
        Field("party_name", "string", "member party, official name", "medlemmens officiella namn"),
        Field("party_type", "string", "kind of party, or total for a stated sum of all members",
              "typ av medlem (stat, region, kommun) eller summa", allowed=PARTY_TYPES + ("total",)),
        _money("amount_sek", "contribution in SEK", "bidrag i kronor"),
        Field("source", "string", "table, or text (stated in a sentence)", "tabell eller löptext",
              allowed=("table", "text")),
    )),
    OutputTable("validation", "every arithmetic check the pipeline ran", "varje summakontroll som gjordes", (), (
        DOCUMENT_ID,
        TABLE_ID,
        Field("check", "string", "which check (sum_of_rows, income_minus_costs, …)", "vilken kontroll"),
        Field("subject", "string", "the row checked", "raden som kontrollerades"),
        YEAR,
        MEASURE,
        _money("expected", "computed value", "beräknat värde"),
        _money("found", "printed value", "tryckt värde"),
        Field("status", "string", "pass, fail, or corrected (a value was repaired, e.g. OCR lost a decimal comma)",
              "stämmer, stämmer inte, eller rättad", allowed=("pass", "fail", "corrected")),
        Field("message", "string", "what a person should look at", "vad man bör titta på"),
    )),
    OutputTable("pages", "how each page was read", "hur varje sida lästes", ("document_id", "page"), (
        DOCUMENT_ID,
        PAGE,
        Field("source", "string", "how the page was read", "hur sidan lästes", allowed=("text", "ocr")),
        Field("decision", "string", "why: text_good; ocr_layer (a good text layer an earlier OCR laid over a "
              "scan: read as it is, its digits checked as OCR'd ones); no_text_layer (OCR); ocr_better / "
              "text_better (a poor text layer over a scan, or an OCR layer whose tables do not add up, OCR'd "
              "again, the better kept); text_poor (a poor "
              "layer, no scan under it: repaired); text_poor_scan (OCR was off)", "varför sidan lästes så",
              allowed=("text_good", "ocr_layer", "no_text_layer", "ocr_better", "text_better", "text_poor",
                       "text_poor_scan")),
        Field("text_quality", "float", "0–1 quality of the text layer (known Swedish words, å/ä/ö, junk)",
              "0–1 textlagrets kvalitet"),
        Field("ocr_quality", "float", "0–1 quality of the Swedish OCR reading, when OCR ran", "0–1 OCR-läsningens kvalitet"),
        Field("skew_degrees", "float", "rotation applied to straighten the scan", "hur mycket skanningen rätades upp",
              "degrees"),
        Field("turned_degrees", "int", "quarter turns (clockwise) that stood a page scanned on its side upright, "
              "before OCR", "hur sidan vreds upprätt (medurs) före OCR", "degrees", allowed=(0, 90, 180, 270)),
        Field("letters_repaired", "int", "words whose å/ä/ö the repair restored", "ord vars å/ä/ö återställdes", "count"),
        Field("words", "int", "words read on the page", "antal ord på sidan", "count"),
        Field("error", "string", "what went wrong on this page, if anything", "vad som gick fel på sidan"),
    )),
    OutputTable("entities", "every span the spaCy rules tagged", "allt som språkreglerna märkte ut", (), (
        DOCUMENT_ID,
        Field("page", "int", "1-based page of the span", "sidan"),
        Field("label", "string", "what the span is", "vad det är",
              allowed=("AMOUNT", "PERCENT", "PARTY", "FEDERATION", "DATE", "ORGNR")),
        Field("text", "string", "the span as it reads (after å/ä/ö repair)", "texten"),
        Field("normalized", "string", "SEK amount, percent number, canonical party or federation name, ISO date, "
              "org nr", "normaliserat värde"),
    )),
    OutputTable("members", "members of each federation in the run", "förbundens medlemmar",
          ("federation_id", "party_name"), (
        FEDERATION_ID,
        Field("party_name", "string", "member party, official name", "medlemmens officiella namn"),
        Field("party_type", "string", "kind of party", "typ av medlem", allowed=PARTY_TYPES),
        Field("source", "string", "registry (normalize/data/federations.csv) or document (a contribution row)",
              "registret eller ett dokument", allowed=("registry", "document")),
    )),
    OutputTable("figures", "the key figures of each federation and year, one per row, each from the document that "
          "states it best, with where it was read", "förbundens nyckeltal per år med källa",
          ("federation_id", "year", "measure", "figure"), (
        FEDERATION_ID,
        FEDERATION_NAME,
        YEAR,
        Field("measure", "string", "budget, plan, forecast or outcome", "budget, plan, prognos eller utfall",
              allowed=("budget", "plan", "forecast", "outcome")),
        FIGURE,
        Field("value", "float", "the figure (SEK, or count for participants)", "värdet", "SEK / count"),
        DOCUMENT_ID,
        DOCUMENT_TYPE,
        TABLE_ID,
        Field("page", "int", "page of the (first) cell the figure was read from", "sidan"),
        Field("printed", "string", "the printed cell text; several joined with + when the figure is their sum",
              "den tryckta texten"),
        Field("tables_agreeing", "int", "tables of the document that give this value (within their rounding)",
              "tabeller som ger samma värde", "count"),
        Field("tables_found", "int", "tables of the document that give this figure at all",
              "tabeller som ger nyckeltalet", "count"),
        CONFIDENCE,
        Field("uncertain", "bool", "true when the document's tables disagree or a value has low confidence",
              "sant när värdet är osäkert"),
    )),
    OutputTable("federation_year", "per federation, year and measure: the network's comparison figures",
          "per förbund, år och mått: nyckeltalen för jämförelse", ("federation_id", "year", "measure"), (
        FEDERATION_ID,
        FEDERATION_NAME,
        YEAR,
        Field("measure", "string", "budget, plan, forecast or outcome", "budget, plan, prognos eller utfall",
              allowed=("budget", "plan", "forecast", "outcome")),
        _money("member_contributions", "member contributions (medlemsbidrag), all members",
               "medlemsbidrag från alla medlemmar"),
        _money("total_income", "total income incl. EU and financial income, excl. carried-forward equity",
               "summa intäkter"),
        _money("total_costs", "total costs incl. financial costs", "summa kostnader"),
        _money("cost_admin_board", "administration (kansli) and board (styrelse) costs", "kansli och styrelse"),
        _money("cost_individual", "costs of individual-oriented efforts (individinriktade insatser)",
               "individinriktade insatser"),
        _money("cost_structural", "costs of structural efforts (strukturinriktade insatser)",
               "strukturinriktade insatser"),
        _share("share_admin_board", "administration and board as % of the three cost groups",
               "kansli och styrelse, andel av kostnaderna"),
        _share("share_individual", "individual efforts as % of the three cost groups", "individinriktade, andel"),
        _share("share_structural", "structural efforts as % of the three cost groups", "strukturinriktade, andel"),
        _money("result", "the year's result (negative = deficit)", "årets resultat"),
        _money("closing_equity", "equity at year end (utgående eget kapital)", "eget kapital vid årets slut"),
        _share("equity_share_of_contributions", "closing equity as % of member contributions (the national "
               "recommendation is at most 20 %)", "eget kapital i procent av medlemsbidragen (högst 20 % "
               "rekommenderas)"),
        Field("participants", "int", "participants in individual efforts, where reported", "antal deltagare", "count"),
        Field("uncertain_figures", "string", "figures of this row that are uncertain (see figures)",
              "osäkra nyckeltal"),
    ), view=True),
    OutputTable("budget_vs_outcome", "the budget for year Y (from the verksamhetsplan for Y, else the annual "
          "report's budget column) next to the outcome the annual report for Y shows, per figure",
          "budget mot utfall per nyckeltal", ("federation_id", "year", "figure"), (
        FEDERATION_ID,
        FEDERATION_NAME,
        YEAR,
        FIGURE,
        _money("budget", "budgeted value", "budget"),
        _money("outcome", "outcome", "utfall"),
        _money("deviation", "outcome minus budget (for costs: positive = over budget)", "utfall minus budget"),
        _share("deviation_percent", "deviation as % of budget", "avvikelse i procent av budget"),
        Field("budget_document_type", "string", "where the budget was read", "var budgeten lästes",
              allowed=DOCUMENT_TYPES),
        Field("budget_document_id", "string", "document of the budget", "budgetens dokument"),
        Field("outcome_document_id", "string", "document of the outcome", "utfallets dokument"),
        Field("uncertain", "bool", "true when budget or outcome is uncertain", "sant när något värde är osäkert"),
    ), view=True),
    OutputTable("data_quality", "per document: what is uncertain in its data", "per dokument: vad som är osäkert", (), (
        DOCUMENT_ID,
        SOURCE_FILE,
        FEDERATION_ID,
        DOCUMENT_TYPE,
        PERIOD_YEAR,
        Field("status", "string", "ok, partial or failed", "status", allowed=("ok", "partial", "failed")),
        Field("facts", "int", "numbers extracted", "utlästa tal", "count"),
        Field("checks", "int", "arithmetic checks run", "summakontroller", "count"),
        Field("checks_failed", "int", "checks whose printed value disagrees with the computed one",
              "kontroller som inte stämde", "count"),
        Field("values_corrected", "int", "values repaired because a check confirmed the repair",
              "rättade värden", "count"),
        Field("values_low_confidence", "int", f"values with confidence under {LOW_CONFIDENCE}",
              "osäkra värden", "count"),
        Field("ocr_pages", "int", "pages read by OCR", "sidor lästa med OCR", "count"),
        Field("error", "string", "the document's error, if any", "fel"),
    ), view=True),
)}
FIELDS: dict[str, tuple[Field, ...]] = {name: table.fields for name, table in TABLES.items()}

_PANDAS_TYPES = {"string": "string", "int": "Int64", "float": "Float64", "bool": "boolean", "date": "string"}


def frame(table: str, records: Iterable[dict]) -> pd.DataFrame:
    """Build an output table in dictionary order, typed, with allowed values checked."""
    fields = FIELDS[table]
    df = pd.DataFrame(list(records), columns=[f.name for f in fields])
    for f in fields:
        df[f.name] = df[f.name].astype(_PANDAS_TYPES[f.dtype])
        if f.allowed:
            bad = set(df[f.name].dropna()) - set(f.allowed)
            if bad:
                raise ValueError(f"{table}.{f.name}: values outside the dictionary: {sorted(bad)}")
    return df


def _number_text(value) -> str:
    if pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def for_csv(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame as the CSV contract prints it: integral numbers without ".0",
    booleans as true/false, unknown as an empty cell."""
    out = df.copy()
    for f in FIELDS[table]:
        if f.dtype == "float":
            out[f.name] = out[f.name].map(_number_text).astype("string")
        elif f.dtype == "bool":
            out[f.name] = out[f.name].map(lambda v: "" if pd.isna(v) else ("true" if v else "false"))
    return out
