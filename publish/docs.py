"""docs/DATA.md from the field dictionary: every output table and column, its type, unit
and meaning in English and Swedish. Run `python3 -m publish.docs` after changing
models/fields.py; a test fails while the committed file differs from what this writes.
"""
from __future__ import annotations

import inspect
import sys
from pathlib import Path

from models.fields import LOW_CONFIDENCE, TABLES
from normalize.categories import CATEGORIES
from publish import figures

TARGET = Path(__file__).resolve().parent.parent / "docs" / "DATA.md"
TYPES = {"string": "text", "int": "integer", "float": "number", "bool": "true/false", "date": "date (ISO)"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def data_md() -> str:
    lines = [
        "# finsam's dataset: every table and column",
        "",
        "Generated from the field dictionary (`models/fields.py`) by `python3 -m publish.docs`; do not edit by hand.",
        "",
        "`finsam extract INPUT... --out DIR` writes each table as `DIR/NAME.csv` (UTF-8, comma, dot as decimal",
        "separator, empty cell = unknown), as `DIR/parquet/NAME.parquet`, into `DIR/finsam.duckdb` (tables",
        "and views), and with `--excel` as `DIR/excel/NAME.csv` for Excel set to Swedish (UTF-8 with BOM,",
        "semicolon, decimal comma). `DIR/datapackage.json` describes the CSVs as a Frictionless Data Package.",
        "Ask the database with `finsam query DIR \"SQL\"`; `finsam report DIR --out report.html` compares the",
        "federations in one HTML page.",
        "",
        "Money is in SEK (tables in tkr are multiplied by 1 000). Revenues and costs are positive magnitudes;",
        "results are signed (negative = deficit); a deviation in facts keeps the sign its table prints (tables",
        "differ), while `budget_vs_outcome.deviation` is always outcome − budget.",
        f"A value with confidence under {LOW_CONFIDENCE} counts as uncertain.",
        "",
        "| table | kind | rows | på svenska |",
        "|---|---|---|---|",
    ]
    for table in TABLES.values():
        kind = "view (finsam.duckdb)" if table.view else "table"
        lines.append(f"| [{table.name}](#{table.name}) | {kind} | {_cell(table.meaning)} | {_cell(table.meaning_sv)} |")
    for table in TABLES.values():
        lines += ["", f"## {table.name}", "", f"{table.meaning[:1].upper()}{table.meaning[1:]}. "
                  f"*{table.meaning_sv[:1].upper()}{table.meaning_sv[1:]}.*", ""]
        if table.key:
            lines += [f"One row per {', '.join(f'`{k}`' for k in table.key)}.", ""]
        lines += ["| column | type | unit | meaning | på svenska | values |", "|---|---|---|---|---|---|"]
        for f in table.fields:
            allowed = ", ".join(f"`{a}`" for a in f.allowed)
            lines.append(f"| `{f.name}` | {TYPES[f.dtype]} | {f.unit} | {_cell(f.meaning)} | "
                         f"{_cell(f.meaning_sv)} | {allowed} |")
    lines += ["", "## How figures are chosen", "", inspect.getdoc(figures).split("\n\n", 1)[1]]
    lines += ["", "## Category vocabulary", "", "Row categories of facts.csv (rules in "
              "`normalize/data/categories.csv`): " + ", ".join(f"`{c}`" for c in CATEGORIES) + ".", ""]
    return "\n".join(lines)


def main() -> int:
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(data_md(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
