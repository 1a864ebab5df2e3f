"""The analysts' outputs: figures, the DuckDB views, Parquet, Excel CSVs, the datapackage,
`finsam query`, and docs/DATA.md.

Expected figures are computed by hand from the seed texts (fixtures/source/), not by
running finsam: e.g. for Västra Värmland och Norra Dalsland 2025 (002, Resultaträkning,
Balansräkning, Tilläggsupplysningar) and Nedansiljan 2026 (003, Ekonomisk information,
"Belopp i tkr").
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from models.fields import FIELDS, TABLES
from pipeline import main
from publish import docs
from publish.store import query
from publish.figures import consensus, Candidate, federation_figures, document_rank
from tests.conftest import PUBLISHED, ROOT

VVND = "vastra-varmland-norra-dalsland"


@pytest.fixture
def run(published):
    return published


def view(run, sql: str) -> pd.DataFrame:
    return query(run, sql)


def one_row(run, sql: str) -> dict:
    rows = view(run, sql)
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def test_federation_year_vvnd_2025_outcome(run):
    row = one_row(run, f"SELECT * FROM federation_year WHERE federation_id = '{VVND}' "
                       "AND year = 2025 AND measure = 'outcome'")
    assert row["member_contributions"] == 7_864_004
    assert row["total_costs"] == 8_164_236          # operating 8 160 786 + financial 3 450
    assert row["total_income"] == 8_059_950         # 7 864 004 + 195 937 + 9
    assert row["result"] == -104_286
    assert row["closing_equity"] == 2_958_574
    assert row["equity_share_of_contributions"] == 37.6
    # Tilläggsupplysningar: administration 973 313 + politisk organisation 216 533; eight
    # individual efforts; three structural ones (Riktade insatser had no outcome)
    assert row["cost_admin_board"] == 1_189_846
    assert row["cost_individual"] == 6_015_636
    assert row["cost_structural"] == 958_737
    allocated = 1_189_846 + 6_015_636 + 958_737
    assert row["share_admin_board"] == round(100 * 1_189_846 / allocated, 1) == 14.6
    assert row["share_individual"] == 73.7 and row["share_structural"] == 11.7
    assert row["participants"] == 300               # "Totalt", Resultat antal deltagare


def test_federation_year_plans(run):
    vvnd = one_row(run, f"SELECT * FROM federation_year WHERE federation_id = '{VVND}' "
                        "AND year = 2026 AND measure = 'budget'")
    # 000 Budget - förslag 2026: medlemsbidrag 7 808 000, ESF 150 000, costs 8 848 000
    assert (vvnd["member_contributions"], vvnd["total_income"]) == (7_808_000, 7_958_000)
    assert (vvnd["total_costs"], vvnd["result"]) == (8_848_000, -890_000)
    assert pd.isna(vvnd["closing_equity"]) and pd.isna(vvnd["equity_share_of_contributions"])
    # the three-year table prints -8 900 000 for 2026: the document disagrees with itself
    assert "result" in vvnd["uncertain_figures"]
    ned = one_row(run, "SELECT * FROM federation_year WHERE federation_id = 'nedansiljan' "
                       "AND year = 2026 AND measure = 'budget'")
    # Belopp i tkr: anslag 3 262 (carried-forward 1 500 is no income), costs 3 605, result -343,
    # styrelse 99 + förvaltning 431, rehabilitering 1 992, structural 50 + 60 + 433
    assert (ned["member_contributions"], ned["total_income"]) == (3_262_000, 3_262_000)
    assert (ned["total_costs"], ned["result"]) == (3_605_000, -343_000)
    assert (ned["cost_admin_board"], ned["cost_individual"], ned["cost_structural"]) == (530_000, 1_992_000, 543_000)
    plans = view(run, "SELECT year FROM federation_year WHERE federation_id = 'nedansiljan' AND measure = 'plan'")
    assert sorted(plans["year"]) == [2027, 2028]


def test_budget_vs_outcome(run):
    rows = view(run, f"SELECT * FROM budget_vs_outcome WHERE federation_id = '{VVND}' AND year = 2025")
    costs = rows[rows["figure"] == "total_costs"].iloc[0]
    # no plan for 2025 in the run: the budget is the annual report's budget column
    assert costs["budget_document_type"] == "arsredovisning"
    assert (costs["budget"], costs["outcome"], costs["deviation"]) == (9_688_000, 8_164_236, -1_523_764)
    result = rows[rows["figure"] == "result"].iloc[0]
    assert (result["budget"], result["outcome"], result["deviation"]) == (-1_632_000, -104_286, 1_527_714)


def _facts(rows: list[tuple]) -> pd.DataFrame:
    columns = ["document_id", "table_id", "page", "row_label", "column_header", "category", "is_total",
               "year", "measure", "printed", "unit", "value", "confidence"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows])


def test_budget_comes_from_the_years_plan_before_the_annual_reports_column():
    documents = pd.DataFrame([
        {"document_id": "vp", "source_file": "vp2025.pdf", "federation_id": "x", "federation_name": "X",
         "document_type": "verksamhetsplan", "period_year": 2025},
        {"document_id": "ar", "source_file": "ar2025.pdf", "federation_id": "x", "federation_name": "X",
         "document_type": "arsredovisning", "period_year": 2025},
    ])
    facts = _facts([
        ("vp", "t01", 3, "Summa kostnader", "Budget 2025", "cost.total", True, 2025, "budget", "1 000", "tkr", 1e6, .98),
        ("ar", "t02", 5, "Summa kostnader", "Budget", "cost.total", True, 2025, "budget", "1 100 000", "kr", 1.1e6, .98),
        ("ar", "t02", 5, "Summa kostnader", "Utfall", "cost.total", True, 2025, "outcome", "950 000", "kr", 9.5e5, .98),
    ])
    chosen = {(r["measure"], r["document_id"]): r["value"] for r in federation_figures(facts, documents)}
    assert chosen == {("budget", "vp"): 1e6, ("outcome", "ar"): 9.5e5}
    assert document_rank("arsredovisning", 2026, 2025, "outcome") < document_rank("verksamhetsplan", 2026, 2025, "outcome")


def test_consensus_prefers_the_precise_value_that_rounded_tables_confirm():
    def c(value, unit="kr", table="t", terms=1):
        return Candidate(value, unit, "", table, 1, 0.98, terms)
    # overview and income statement in kr agree; the tkr follow-up confirms them; a note differs
    best, agreeing = consensus([c(8_164_236), c(8_164_000, "tkr"), c(8_164_236), c(8_164_227)])
    assert (best.value, agreeing) == (8_164_236, 3)
    # a sum of 8 rows in tkr may be 8 × 500 kr off and still agree
    assert consensus([c(6_015_636, terms=8), c(6_015_000, "tkr", terms=8)])[1] == 2
    # a 4 kr gap between two kr tables is a real disagreement
    assert consensus([c(7_864_004), c(7_864_000)])[1] == 1


def test_data_quality(run):
    rows = view(run, "SELECT * FROM data_quality ORDER BY source_file")
    assert len(rows) == len(PUBLISHED)
    ar = rows[rows["source_file"].str.endswith("002_vvnd_ar2025.word.pdf")].iloc[0]
    # the five arithmetic slips printed in seed 002 (see validation tests)
    assert (ar["status"], ar["checks_failed"], ar["values_corrected"]) == ("ok", 5, 0)
    assert ar["values_low_confidence"] >= 5


def test_every_output_format(run):
    names = list(TABLES)
    for name in names:
        csv = pd.read_csv(run / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(csv.columns) == [f.name for f in FIELDS[name]]
        parquet = pd.read_parquet(run / "parquet" / f"{name}.parquet")
        assert list(parquet.columns) == list(csv.columns) and len(parquet) == len(csv)
        excel = (run / "excel" / f"{name}.csv").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and excel.split(b"\n")[0].count(b";") == len(csv.columns) - 1
    excel = pd.read_csv(run / "excel" / "federation_year.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert "37,6" in set(excel["equity_share_of_contributions"])
    con = duckdb.connect(str(run / "finsam.duckdb"), read_only=True)
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    assert con.execute("SELECT typeof(decided_on) FROM documents LIMIT 1").fetchone()[0] == "DATE"
    con.close()
    assert {kinds[t] for t in ("federation_year", "budget_vs_outcome", "data_quality")} == {"VIEW"}
    assert kinds["facts"] == "BASE TABLE"
    assert not list(run.rglob("*.tmp")), "a temporary file was left behind"
    # readable by others as the user's umask allows, like any file they write (mkstemp makes 0600)
    mask = os.umask(0)
    os.umask(mask)
    assert (run / "facts.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_datapackage_validates_with_frictionless(run):
    from frictionless import validate
    report = validate(str(run / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    package = json.loads((run / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][1]["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and "finsam:description_sv" in fields["value"]


def test_frictionless_catches_a_broken_csv(run, tmp_path):
    """The datapackage check can fail: a measure outside the vocabulary is reported."""
    from frictionless import validate
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in run.glob("*.csv"):
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "datapackage.json").write_bytes((run / "datapackage.json").read_bytes())
    figures = (broken / "figures.csv").read_text(encoding="utf-8").replace(",outcome,", ",utfall,", 1)
    (broken / "figures.csv").write_text(figures, encoding="utf-8")
    assert not validate(str(broken / "datapackage.json")).valid


def test_query_command(run, capsys):
    assert main(["query", str(run), "SELECT federation_id, result FROM federation_year "
                 "WHERE year = 2025 AND measure = 'outcome'"]) == 0
    out = capsys.readouterr().out
    assert "federation_id" in out and "-104286" in out and ".0" not in out
    assert main(["query", str(run), "SELECT year, measure FROM federation_year "
                 "WHERE federation_id = 'nedansiljan' ORDER BY year", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["year,measure", "2026,budget", "2027,plan", "2028,plan"]


def test_query_errors_are_one_line(run, tmp_path):
    for args, needle in (([str(run), "SELECT nonsense FROM nowhere"], "the query failed"),
                         ([str(tmp_path), "SELECT 1"], "no finsam.duckdb")):
        done = subprocess.run([sys.executable, "-m", "pipeline", "query", *args], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and needle in done.stderr


def test_data_md_is_generated_from_the_dictionary():
    assert docs.TARGET.read_text(encoding="utf-8") == docs.data_md(), \
        "docs/DATA.md is stale: run `python3 -m publish.docs`"
    assert "| `equity_share_of_contributions` | number | percent |" in docs.data_md()


def test_extract_command_writes_every_format(tmp_path):
    pdf = ROOT / "fixtures" / "typed" / "003_nedansiljan_vp2026.word.pdf"
    assert main(["extract", str(pdf), "--out", str(tmp_path), "--quiet", "--excel"]) == 0
    for name in ("federation_year.csv", "finsam.duckdb", "datapackage.json", "parquet/facts.parquet",
                 "excel/budget_vs_outcome.csv"):
        assert (tmp_path / name).is_file(), name
    assert main(["extract", str(pdf), "--out", str(tmp_path / "plain"), "--quiet"]) == 0
    assert not (tmp_path / "plain" / "excel").exists()
