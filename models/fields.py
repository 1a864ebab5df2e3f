"""The field dictionary: every column of every output file, with its type and meaning.

One place describes the dataset (as PUDL does): `frame()` builds each output table from
records in this column order and checks the types and allowed values before anything is
written, so the CSVs cannot drift from their documentation.
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
    allowed: tuple[str, ...] = ()


DOCUMENT_TYPES = ("verksamhetsplan", "arsredovisning", "delarsrapport", "other")
MEASURES = ("budget", "plan", "forecast", "outcome", "deviation", "target")

DOCUMENT_ID = Field("document_id", "string", "stable id from the file's bytes (sha256 prefix)")
FEDERATION_ID = Field("federation_id", "string", "stable slug of the federation")
YEAR = Field("year", "int", "fiscal year of the column")
MEASURE = Field("measure", "string", "what the column measures", MEASURES)

FIELDS: dict[str, tuple[Field, ...]] = {
    "documents": (
        DOCUMENT_ID,
        Field("source_file", "string", "the path as given on the command line"),
        FEDERATION_ID,
        Field("federation_name", "string", "canonical federation name"),
        Field("federation_known", "bool", "false when the federation is not in the registry yet"),
        Field("org_nr", "string", "organisationsnummer NNNNNN-NNNN when printed"),
        Field("document_type", "string", "kind of document", DOCUMENT_TYPES),
        Field("period_year", "int", "the year the document is about"),
        Field("decided_on", "date", "date of the board decision"),
        Field("decided_evidence", "string", "the line the decision date was read from"),
        Field("period_evidence", "string", "the line the document type and period year were read from"),
        Field("pages", "int", "page count"),
        Field("ocr_pages", "int", "pages that needed OCR"),
        Field("facts", "int", "numbers extracted into facts.csv"),
        Field("checks_failed", "int", "arithmetic checks that failed"),
        Field("status", "string", "ok, partial or failed", ("ok", "partial", "failed")),
        Field("error", "string", "for partial/failed: what a person should do"),
        Field("error_class", "string", "for failed: the kind of failure (exit code in the README)",
              ERROR_CLASSES),
    ),
    "facts": (
        DOCUMENT_ID,
        FEDERATION_ID,
        Field("table_id", "string", "the table within the document"),
        Field("table_title", "string", "the table's title or the heading above it"),
        Field("page", "int", "1-based page of the cell"),
        Field("section", "string", "the group row above the row"),
        Field("row_label", "string", "the row's label, whole"),
        Field("column_header", "string", "the column header as printed"),
        Field("category", "string", "category code", CATEGORIES),
        Field("is_total", "bool", "true for Summa/Totalt/subtotal rows"),
        YEAR,
        MEASURE,
        Field("printed", "string", "the cell text as printed"),
        Field("unit", "string", "unit the table states", ("kr", "tkr", "mkr", "percent", "count")),
        Field("value", "float", "normalized number (SEK for money)"),
        Field("value_unit", "string", "unit of value", ("SEK", "percent", "count")),
        Field("confidence", "float", "0–1: how sure the pipeline is of this value"),
        Field("source", "string", "text layer or OCR", ("text", "ocr")),
    ),
    "pages": (
        DOCUMENT_ID,
        Field("page", "int", "1-based page number"),
        Field("source", "string", "how the page was read", ("text", "ocr")),
        Field("decision", "string", "why: text_good; no_text_layer (OCR); ocr_better / text_better (a poor "
              "text layer over a scan, OCR'd again, the better kept); text_poor (a poor layer, no scan "
              "under it: repaired); text_poor_scan (OCR was off)",
              ("text_good", "no_text_layer", "ocr_better", "text_better", "text_poor", "text_poor_scan")),
        Field("text_quality", "float", "0–1 quality of the text layer (known Swedish words, å/ä/ö, junk)"),
        Field("ocr_quality", "float", "0–1 quality of the Swedish OCR reading, when OCR ran"),
        Field("skew_degrees", "float", "rotation applied to straighten the scan"),
        Field("letters_repaired", "int", "words whose å/ä/ö the repair restored"),
        Field("words", "int", "words read on the page"),
        Field("error", "string", "what went wrong on this page, if anything"),
    ),
    "entities": (
        DOCUMENT_ID,
        Field("page", "int", "1-based page of the span"),
        Field("label", "string", "what the span is", ("AMOUNT", "PERCENT", "PARTY", "FEDERATION", "DATE", "ORGNR")),
        Field("text", "string", "the span as it reads (after å/ä/ö repair)"),
        Field("normalized", "string", "SEK amount, percent number, canonical party or federation name, ISO date, org nr"),
    ),
    "members": (
        FEDERATION_ID,
        Field("party_name", "string", "member party, official name"),
        Field("party_type", "string", "kind of party", ("state", "region", "municipality")),
        Field("source", "string", "registry (normalize/data/federations.csv) or document (a contribution row)",
              ("registry", "document")),
    ),
    "contributions": (
        DOCUMENT_ID,
        FEDERATION_ID,
        YEAR,
        MEASURE,
        Field("party_name", "string", "member party"),
        Field("party_type", "string", "kind of party", ("state", "region", "municipality", "total")),
        Field("amount_sek", "float", "contribution in SEK"),
        Field("source", "string", "table or text", ("table", "text")),
    ),
    "validation": (
        DOCUMENT_ID,
        Field("table_id", "string", "see facts"),
        Field("check", "string", "which check"),
        Field("subject", "string", "the row checked"),
        YEAR,
        MEASURE,
        Field("expected", "float", "computed value (SEK)"),
        Field("found", "float", "printed value (SEK)"),
        Field("status", "string", "pass, fail or corrected", ("pass", "fail", "corrected")),
        Field("message", "string", "what a person should look at"),
    ),
}

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
