"""Writing the dataset: CSVs (the contract), finsam.duckdb with the analysts' views,
Parquet, optional CSVs for Swedish Excel, and the Frictionless datapackage.json.

Every file is written under a temporary name next to its target and renamed into place
when complete, so a reader never sees a half-written file. The views are computed once,
in DuckDB (publish/views.sql), and the same frames go to every format.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from models.fields import FIELDS, LOW_CONFIDENCE, TABLES, for_csv, frame
from publish.figures import federation_figures
from publish.files import atomic_file

VIEWS = tuple(name for name, table in TABLES.items() if table.view)
DATABASE = "finsam.duckdb"


def views_sql() -> str:
    text = resources.files("publish").joinpath("views.sql").read_text(encoding="utf-8")
    return text.replace("{low_confidence}", repr(LOW_CONFIDENCE))


def _load(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    con.register("incoming", df)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
    con.unregister("incoming")
    for f in FIELDS[name]:
        if f.dtype == "date":
            con.execute(f'ALTER TABLE "{name}" ALTER "{f.name}" TYPE DATE')


def build_database(frames: dict[str, pd.DataFrame], path: Path) -> dict[str, pd.DataFrame]:
    """Write the tables and views into a DuckDB file; returns the views as checked frames."""
    con = duckdb.connect(str(path))
    try:
        for name, df in frames.items():
            _load(con, name, df)
        con.execute(views_sql())
        return {view: frame(view, con.execute(f"SELECT * FROM {view}").df().to_dict("records"))
                for view in VIEWS}
    finally:
        con.close()


def write_csv(df: pd.DataFrame, target: Path, sep: str = ",", encoding: str = "utf-8") -> None:
    with atomic_file(target) as tmp:
        with tmp.open("w", encoding=encoding, newline="") as handle:
            df.to_csv(handle, index=False, sep=sep, lineterminator="\n")


def for_excel(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The CSV frame with decimal commas, for Excel set to Swedish."""
    out = for_csv(table, df)
    for f in FIELDS[table]:
        if f.dtype == "float":
            out[f.name] = out[f.name].str.replace(".", ",", regex=False)
    return out


def datapackage(names: list[str]) -> dict:
    """The Frictionless Data Package descriptor of the CSVs, from the field dictionary."""
    types = {"string": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date"}
    resources_ = []
    for name in names:
        table = TABLES[name]
        fields = []
        for f in table.fields:
            field = {"name": f.name, "type": types[f.dtype], "description": f.meaning,
                     "finsam:description_sv": f.meaning_sv}
            if f.unit:
                field["finsam:unit"] = f.unit
            if f.dtype == "bool":
                field.update(trueValues=["true"], falseValues=["false"])
            if f.allowed:
                field["constraints"] = {"enum": list(f.allowed)}
            fields.append(field)
        schema = {"fields": fields, "missingValues": [""]}
        if table.key:
            schema["primaryKey"] = list(table.key)
        resources_.append({
            "name": name.replace("_", "-"), "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "title": name, "description": table.meaning,
            "schema": schema,
        })
    return {"name": "finsam-dataset", "title": "Finsam federations' budgets and results",
            "profile": "tabular-data-package", "resources": resources_}


def write_outputs(frames: dict[str, pd.DataFrame], out: Path, excel: bool = False) -> list[str]:
    """Write every output of a run into `out`; `frames` are the checked tables. Returns
    the files written, relative to `out`."""
    frames = dict(frames)
    frames["figures"] = frame("figures", federation_figures(frames["facts"], frames["documents"]))
    with atomic_file(out / DATABASE) as tmp:
        frames.update(build_database(frames, tmp))
    written = [DATABASE]
    for name, df in frames.items():
        write_csv(for_csv(name, df), out / f"{name}.csv")
        with atomic_file(out / "parquet" / f"{name}.parquet") as tmp:
            df.to_parquet(tmp, index=False)
        written += [f"{name}.csv", f"parquet/{name}.parquet"]
        if excel:
            write_csv(for_excel(name, df), out / "excel" / f"{name}.csv", sep=";", encoding="utf-8-sig")
            written.append(f"excel/{name}.csv")
    with atomic_file(out / "datapackage.json") as tmp:
        tmp.write_text(json.dumps(datapackage(list(frames)), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
    return written + ["datapackage.json"]


@contextmanager
def open_run(out: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A finished run's finsam.duckdb, read-only."""
    path = out / DATABASE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no finsam.duckdb here; run `finsam extract ... --out {out}` first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def read_frames(out: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Tables and views of a finished run."""
    with open_run(out) as con:
        return {name: con.execute(f'SELECT * FROM "{name}"').df() for name in names}


def query(out: Path, sql: str) -> pd.DataFrame:
    """Run one SQL statement against a finished run."""
    with open_run(out) as con:
        return con.execute(sql).df()
