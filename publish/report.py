"""The comparison report: one self-contained HTML file in Swedish, charts as inline SVG.

Reads the views of finsam.duckdb and renders, for the regional network: an overview, the
member contributions per member type, the cost structure as stacked bars, equity against
the national 20 % recommendation, budget against outcome, and what in the data is
uncertain. No scripts, no fonts or styles from the net: it opens offline and prints.
"""
from __future__ import annotations

import html
import re
from typing import Iterable, Optional

import pandas as pd

from normalize.numbers import format_swedish

EQUITY_RECOMMENDATION = 20.0  # % of member contributions (Nationella rådet's recommendation)
NBSP = "\u00a0"

FIGURE_NAMES = {
    "member_contributions": "Medlemsbidrag", "total_income": "Summa intäkter", "total_costs": "Summa kostnader",
    "cost_administration": "Kansli och administration", "cost_board": "Styrelse",
    "cost_individual": "Individinriktade insatser", "cost_structural": "Strukturinriktade insatser",
    "result": "Årets resultat", "closing_equity": "Eget kapital vid årets slut", "participants": "Deltagare",
}
MEASURE_NAMES = {"budget": "Budget", "plan": "Plan", "forecast": "Prognos", "outcome": "Utfall"}
DOCUMENT_NAMES = {"verksamhetsplan": "verksamhetsplan", "arsredovisning": "årsredovisning",
                  "delarsrapport": "delårsrapport", "other": "annat dokument"}
PARTY_TYPES = (("state", "Staten (FK och AF)", "#1f5f8b"), ("region", "Region", "#6a9f3a"),
               ("municipality", "Kommuner", "#d08a2e"))
COST_GROUPS = (("share_admin_board", "Kansli och styrelse", "#7b6ca8"),
               ("share_individual", "Individinriktade insatser", "#2f8f83"),
               ("share_structural", "Strukturinriktade insatser", "#c8553d"))
OVER_LIMIT, UNDER_LIMIT = "#c0392b", "#2f8f83"

STYLE = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:2rem auto;max-width:1100px;color:#222;
line-height:1.4;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.6rem 0}
th,td{border-bottom:1px solid #e4e4e4;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}td.num{white-space:nowrap}
.note{color:#555;font-size:.9rem}.warn{color:#a13020;font-weight:bold}
.legend span{display:inline-block;margin-right:1.2rem;font-size:.85rem}
.legend i{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:-2px}
svg text{font-family:"DejaVu Sans",Arial,sans-serif;font-size:12px;fill:#222}
"""


SHORT_NAME = re.compile(r"\s*\b(samordningsförbund(et)?( i)?|finsam)\b\s*", re.I)


def short_name(federation_name: str) -> str:
    """"Samordningsförbundet i Örnsköldsvik" → "Örnsköldsvik": chart labels must be short."""
    short = SHORT_NAME.sub(" ", federation_name or "").strip()
    return short[:1].upper() + short[1:] if short else federation_name


def kronor(value) -> str:
    """7 808 000 kr, with no-break spaces so a number never breaks over lines."""
    if value is None or pd.isna(value):
        return "–"
    return format_swedish(round(float(value)), 0, NBSP) + NBSP + "kr"


def percent(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_swedish(float(value), 1, NBSP) + NBSP + "%"


def count(value) -> str:
    return "–" if value is None or pd.isna(value) else format_swedish(int(value), 0, NBSP)


def _or_zero(value) -> float:
    """A bar's length: an unknown part of a stacked bar draws as nothing."""
    return 0.0 if value is None or pd.isna(value) else float(value)


def _e(text) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def html_table(headers: list[str], rows: Iterable[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table; cells are already escaped and formatted; columns in `numeric` align right."""
    head = "".join(f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def legend(items: Iterable[tuple[str, str]]) -> str:
    return '<p class="legend">' + "".join(f'<span><i style="background:{color}"></i>{_e(name)}</span>'
                                          for name, color in items) + "</p>"


def stacked_bars_svg(rows: list[tuple[str, list[tuple[float, str, str]]]], total: Optional[float] = None,
                     label_width: int = 330, width: int = 1000, title: str = "") -> str:
    """Horizontal stacked bars: one row per (label, [(value, colour, tooltip)]). With
    `total` (e.g. 100 for shares) every bar has the same scale; otherwise the largest
    row fills the width."""
    bar_height, gap = 22, 10
    scale_to = total or max((sum(v for v, _, _ in parts) for _, parts in rows), default=1) or 1
    plot = width - label_width - 20
    out = [f'<svg role="img" aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{len(rows) * (bar_height + gap) + gap}" viewBox="0 0 {width} '
           f'{len(rows) * (bar_height + gap) + gap}">']
    for i, (label, parts) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        x = float(label_width)
        for value, colour, tip in parts:
            w = max(plot * value / scale_to, 0)
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                       f'fill="{colour}"><title>{_e(tip)}</title></rect>')
            x += w
    out.append("</svg>")
    return "".join(out)


def equity_svg(rows: list[tuple[str, float]], label_width: int = 330, width: int = 1000) -> str:
    """Equity as % of member contributions per federation, with the 20 % line."""
    bar_height, gap = 22, 10
    top = 22
    scale_to = max([EQUITY_RECOMMENDATION * 2] + [v for _, v in rows]) * 1.1
    plot = width - label_width - 60
    height = top + len(rows) * (bar_height + gap) + gap
    limit_x = label_width + plot * EQUITY_RECOMMENDATION / scale_to
    out = [f'<svg role="img" aria-label="Eget kapital mot rekommendationen" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + gap)
        colour = OVER_LIMIT if value > EQUITY_RECOMMENDATION else UNDER_LIMIT
        w = max(plot * value / scale_to, 0)
        out.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{_e(label)}</text>'
                   f'<rect class="bar" x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                   f'fill="{colour}"><title>{_e(percent(value))}</title></rect>'
                   f'<text x="{label_width + w + 6:.1f}" y="{y + 15}">{_e(percent(value))}</text>')
    out.append(f'<line class="limit" x1="{limit_x:.1f}" y1="14" x2="{limit_x:.1f}" y2="{height}" '
               f'stroke="#222" stroke-width="2" stroke-dasharray="6 4"/>'
               f'<text x="{limit_x + 4:.1f}" y="12">20 % (rekommendation)</text></svg>')
    return "".join(out)


def paired_bars_svg(rows: list[tuple[str, float, float]], label_width: int = 330, width: int = 1000) -> str:
    """Budget (light) against outcome (dark) per figure."""
    bar_height, gap = 12, 12
    scale_to = max([max(abs(b), abs(o)) for _, b, o in rows] + [1])
    plot = width - label_width - 130
    height = gap + len(rows) * (2 * bar_height + gap)
    out = [f'<svg role="img" aria-label="Budget mot utfall" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}">']
    for i, (label, budget, outcome) in enumerate(rows):
        y = gap + i * (2 * bar_height + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + bar_height + 4}" text-anchor="end">{_e(label)}</text>')
        for j, (value, colour, name) in enumerate(((budget, "#9fc3dd", "Budget"), (outcome, "#1f5f8b", "Utfall"))):
            w = plot * abs(value) / scale_to
            out.append(f'<rect class="bar" x="{label_width}" y="{y + j * bar_height}" width="{w:.1f}" '
                       f'height="{bar_height - 1}" fill="{colour}"><title>{name}: {_e(kronor(value))}</title></rect>'
                       f'<text x="{label_width + w + 6:.1f}" y="{y + j * bar_height + 10}" '
                       f'style="font-size:10px">{_e(kronor(value))}</text>')
    out.append("</svg>")
    return "".join(out)


def _latest(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Each federation's newest year of a measure."""
    rows = frame[frame["measure"] == measure]
    if rows.empty:
        return rows
    return rows.sort_values("year").groupby("federation_id", sort=True).tail(1).sort_values("federation_name")


def overview_section(federation_year: pd.DataFrame) -> str:
    rows = []
    latest = pd.concat([_latest(federation_year, "outcome"), _latest(federation_year, "budget")])
    for _, r in latest.sort_values(["federation_name", "measure"], ascending=[True, False]).iterrows():
        unsure = f' <span class="warn" title="osäkert: {_e(r.uncertain_figures)}">*</span>' \
            if isinstance(r.uncertain_figures, str) and r.uncertain_figures else ""
        rows.append([_e(r.federation_name), str(r.year), MEASURE_NAMES.get(r.measure, r.measure) + unsure,
                     kronor(r.member_contributions), kronor(r.total_costs), kronor(r.result),
                     kronor(r.closing_equity), percent(r.equity_share_of_contributions), count(r.participants)])
    return ("<h2>Översikt</h2><p class=\"note\">Varje förbunds senaste utfall (årsredovisning) och senaste "
            "budget (verksamhetsplan). * = något nyckeltal i raden är osäkert, se sista avsnittet.</p>"
            + html_table(["Förbund", "År", "Mått", "Medlemsbidrag", "Summa kostnader", "Resultat",
                          "Eget kapital", "Eget kapital / medlemsbidrag", "Deltagare"], rows, {3, 4, 5, 6, 7, 8}))


STATE_AGENCIES = ("Försäkringskassan", "Arbetsförmedlingen")


def member_type_sums(rows: pd.DataFrame) -> pd.Series:
    """Contributions of one document's year per member type. A document that names the
    two agencies and also a combined state row ("Driftbidrag från staten") counts the
    agencies only."""
    state = rows[rows["party_type"] == "state"]
    if state["party_name"].isin(STATE_AGENCIES).any():
        rows = rows[(rows["party_type"] != "state") | rows["party_name"].isin(STATE_AGENCIES)]
    return rows.groupby("party_type")["amount_sek"].sum()


def _newest(rows: pd.DataFrame) -> pd.DataFrame:
    """The newest year's rows of one document: budget or outcome (outcome on a tie) before
    plans and forecasts; copies of a file agree, so the first document is taken."""
    current = rows[rows["measure"].isin(("budget", "outcome"))]
    rows = current if len(current) else rows
    rows = rows[rows["year"] == rows["year"].max()]
    measure = "outcome" if (rows["measure"] == "outcome").any() else rows["measure"].iloc[0]
    rows = rows[rows["measure"] == measure]
    return rows[rows["document_id"] == rows["document_id"].min()]


def contributions_section(contributions: pd.DataFrame, names: dict[str, str]) -> str:
    bars, table = [], []
    for fid, rows in contributions.groupby("federation_id", sort=True):
        parties = rows[rows["party_type"].isin([t for t, _, _ in PARTY_TYPES])]
        chosen = _newest(parties if len(parties) else rows)
        year, measure = int(chosen["year"].iloc[0]), chosen["measure"].iloc[0]
        when = f"{year} ({MEASURE_NAMES.get(measure, measure).lower()})"
        if not len(parties):  # only the stated sum of all members is known
            table.append([_e(names.get(fid, fid)), when, "–", "–", "–", kronor(chosen["amount_sek"].iloc[0])])
            continue
        sums = member_type_sums(chosen)
        total = float(sums.sum())
        bars.append((f"{short_name(names.get(fid, fid))} {year}",
                     [(_or_zero(sums.get(t)), colour, f"{name}: {kronor(sums.get(t, 0.0))}")
                      for t, name, colour in PARTY_TYPES]))
        table.append([_e(names.get(fid, fid)), when]
                     + [kronor(sums.get(t)) + (f" ({percent(100 * sums.get(t) / total)})" if t in sums and total else "")
                        for t, _, _ in PARTY_TYPES] + [kronor(total)])
    if not table:
        return "<h2>Medlemsbidrag per medlemstyp</h2><p>Inga medlemsbidrag hittades.</p>"
    return ("<h2>Medlemsbidrag per medlemstyp</h2><p class=\"note\">Staten (Försäkringskassan och "
            "Arbetsförmedlingen) står enligt lagen för hälften, regionen och kommunerna för en fjärdedel "
            "var. Där dokumenten bara anger summan saknas fördelningen.</p>"
            + legend((name, colour) for _, name, colour in PARTY_TYPES)
            + (stacked_bars_svg(bars, title="Medlemsbidrag per medlemstyp") if bars else "")
            + html_table(["Förbund", "År"] + [name for _, name, _ in PARTY_TYPES] + ["Summa"], table, {2, 3, 4, 5}))


def cost_section(federation_year: pd.DataFrame) -> str:
    rows = federation_year[federation_year["share_individual"].notna()]
    latest = pd.concat([_latest(rows, "outcome"), _latest(rows, "budget")]).sort_values(
        ["federation_name", "year", "measure"])
    bars = [(f"{short_name(r.federation_name)} {r.year} {MEASURE_NAMES.get(r.measure, r.measure).lower()}",
             [(_or_zero(getattr(r, col)), colour, f"{name}: {percent(getattr(r, col))}")
              for col, name, colour in COST_GROUPS]) for r in latest.itertuples()]
    table = [[_e(r.federation_name), str(r.year), MEASURE_NAMES.get(r.measure, r.measure)]
             + [percent(getattr(r, col)) for col, _, _ in COST_GROUPS] for r in latest.itertuples()]
    return ("<h2>Kostnadsstruktur</h2><p class=\"note\">Andel av kostnaderna för kansli och styrelse, "
            "individinriktade och strukturinriktade insatser.</p>"
            + legend((name, colour) for _, name, colour in COST_GROUPS)
            + stacked_bars_svg(bars, total=100.0, title="Kostnadsstruktur")
            + html_table(["Förbund", "År", "Mått"] + [name for _, name, _ in COST_GROUPS], table, {3, 4, 5}))


def equity_section(federation_year: pd.DataFrame) -> str:
    rows = _latest(federation_year[federation_year["equity_share_of_contributions"].notna()], "outcome")
    if rows.empty:
        return ("<h2>Eget kapital mot 20 %-rekommendationen</h2>"
                "<p>Inget förbund har ett redovisat eget kapital i underlaget.</p>")
    over = rows[rows["equity_share_of_contributions"] > EQUITY_RECOMMENDATION]
    text = (f"{len(over)} av {len(rows)} förbund har mer eget kapital än rekommendationen "
            f"(högst {percent(EQUITY_RECOMMENDATION)} av medlemsbidragen).")
    return ("<h2>Eget kapital mot 20 %-rekommendationen</h2><p class=\"note\">" + text + "</p>"
            + equity_svg([(f"{short_name(r.federation_name)} {r.year}", float(r.equity_share_of_contributions))
                          for r in rows.itertuples()])
            + html_table(["Förbund", "År", "Eget kapital", "Medlemsbidrag", "Andel"],
                         [[_e(r.federation_name), str(r.year), kronor(r.closing_equity),
                           kronor(r.member_contributions), percent(r.equity_share_of_contributions)]
                          for r in rows.itertuples()], {2, 3, 4}))


def budget_section(budget_vs_outcome: pd.DataFrame) -> str:
    if budget_vs_outcome.empty:
        return ("<h2>Budget mot utfall</h2><p>Underlaget har inget år med både budget och utfall för "
                "samma förbund.</p>")
    parts = ["<h2>Budget mot utfall</h2><p class=\"note\">Budgeten ur verksamhetsplanen för året, annars ur "
             "årsredovisningens budgetkolumn; utfallet ur årsredovisningen. Avvikelse = utfall − budget.</p>",
             legend([("Budget", "#9fc3dd"), ("Utfall", "#1f5f8b")])]
    order = list(FIGURE_NAMES)
    for (fid, year), rows in budget_vs_outcome.groupby(["federation_id", "year"], sort=True):
        rows = rows.assign(order=rows["figure"].map(order.index)).sort_values("order")
        source = DOCUMENT_NAMES.get(rows["budget_document_type"].iloc[0], "")
        parts.append(f"<h3>{_e(rows['federation_name'].iloc[0])} {year}</h3>"
                     f"<p class=\"note\">Budgeten är hämtad ur {_e(source)}.</p>")
        money = rows[rows["figure"] != "result"]
        parts.append(paired_bars_svg([(FIGURE_NAMES[r.figure], float(r.budget), float(r.outcome))
                                      for r in money.itertuples()]))
        parts.append(html_table(
            ["Nyckeltal", "Budget", "Utfall", "Avvikelse", "Avvikelse %"],
            [[FIGURE_NAMES[r.figure] + (' <span class="warn">*</span>' if r.uncertain else ""),
              kronor(r.budget), kronor(r.outcome), kronor(r.deviation), percent(r.deviation_percent)]
             for r in rows.itertuples()], {1, 2, 3, 4}))
    return "".join(parts)


def uncertainty_section(data_quality: pd.DataFrame, figures: pd.DataFrame) -> str:
    table = [[_e(r.source_file), _e(DOCUMENT_NAMES.get(r.document_type, r.document_type or "")),
              _e({"ok": "ok", "partial": "delvis läst", "failed": "kunde inte läsas"}.get(r.status, r.status)),
              count(r.facts), count(r.checks_failed), count(r.values_corrected), count(r.values_low_confidence),
              count(r.ocr_pages), _e(r.error)] for r in data_quality.itertuples()]
    unsure = figures[figures["uncertain"].fillna(False).astype(bool)]
    listed = [[_e(r.federation_name), str(r.year), MEASURE_NAMES.get(r.measure, r.measure),
               FIGURE_NAMES.get(r.figure, r.figure), kronor(r.value) if r.figure != "participants" else count(r.value),
               f"{count(r.tables_agreeing)} av {count(r.tables_found)}", _e(r.printed), f"{_e(r.table_id)}, s. {r.page}"]
              for r in unsure.itertuples()]
    return ("<h2>Osäkerheter i underlaget</h2><p class=\"note\">Summakontroller som inte stämmer, värden som "
            "rättats (t.ex. decimalkomma som OCR tappat, bekräftat av tabellens summa) och värden med låg "
            "säkerhet. Kontrollera dem i originaldokumentet.</p>"
            + html_table(["Fil", "Typ", "Status", "Tal", "Summor som inte stämmer", "Rättade värden",
                          "Osäkra värden", "OCR-sidor", "Fel"], table, {3, 4, 5, 6, 7})
            + "<h3>Osäkra nyckeltal</h3>"
            + (html_table(["Förbund", "År", "Mått", "Nyckeltal", "Värde", "Tabeller som stämmer", "Tryckt",
                           "Källa"], listed, {4})
               if listed else "<p>Inga: varje nyckeltal har stöd av en majoritet av dokumentets tabeller.</p>"))


def render_report(frames: dict[str, pd.DataFrame]) -> str:
    """The whole report as one HTML document, from the views and tables of a run."""
    federation_year = frames["federation_year"]
    names = dict(zip(federation_year["federation_id"], federation_year["federation_name"]))
    documents = frames["documents"]
    if "same_bytes_as" in documents:  # a copy is not another document (a run before 2026-11 has no such column)
        documents = documents[documents["same_bytes_as"].isna()]
    body = "".join([
        overview_section(federation_year),
        contributions_section(frames["contributions"], names),
        cost_section(federation_year),
        equity_section(federation_year),
        budget_section(frames["budget_vs_outcome"]),
        uncertainty_section(frames["data_quality"], frames["figures"]),
    ])
    return ("<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Samordningsförbund i jämförelse</title><style>{STYLE}</style></head><body>"
            "<h1>Samordningsförbund i jämförelse</h1>"
            f"<p class=\"note\">Underlag: {len(documents)} dokument från {len(names)} förbund, utlästa av finsam. "
            "Belopp i kronor. Varje tal går att spåra till fil, sida och tryckt text i finsam-datasetet.</p>"
            + body + "</body></html>\n")
