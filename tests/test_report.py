"""The comparison report: its content (Swedish, self-contained, numbers the Swedish way)
and its rendering in a real browser (headless Chromium: the page renders, the charts are
drawn, nothing is written to the console)."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from PIL import Image

from pipeline import main
from publish.report import COST_GROUPS, OVER_LIMIT, PARTY_TYPES, short_name
from tests.browser import screenshot

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def report(published):
    assert main(["report", str(published), "--out", str(published / "report.html")]) == 0
    return published / "report.html"


def test_report_is_swedish_and_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    for heading in ("Översikt", "Medlemsbidrag per medlemstyp", "Kostnadsstruktur",
                    "Eget kapital mot 20 %-rekommendationen", "Budget mot utfall", "Osäkerheter i underlaget"):
        assert f"<h2>{heading}</h2>" in page
    # Västra Värmland och Norra Dalsland 2025, read by hand from seed 002
    assert f"7{NBSP}864{NBSP}004{NBSP}kr" in page and f"-104{NBSP}286{NBSP}kr" in page
    assert f"37,6{NBSP}%" in page
    # nothing fetched from elsewhere, no scripts: it opens offline
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page and "@import" not in page
    assert page.count("<svg") >= 4 and 'class="limit"' in page


def test_short_names_for_chart_labels():
    assert short_name("Samordningsförbundet i Örnsköldsvik") == "Örnsköldsvik"
    assert short_name("Samordningsförbundet östra Värmland") == "Östra Värmland"
    assert short_name("Finsam Göteborg") == "Göteborg"


def _pixels(png) -> Counter:
    with Image.open(png) as image:
        return Counter({colour: n for n, colour in image.convert("RGB").getcolors(maxcolors=1 << 24)})


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def test_report_renders_in_chromium(report, tmp_path):
    png = tmp_path / "report.png"
    console = screenshot(report, png, 1200, 2400)
    assert console == [], f"the report wrote to the browser console: {console}"
    pixels = _pixels(png)
    assert Image.open(png).size == (1200, 2400)
    assert len(pixels) > 50, "the screenshot is (nearly) blank"
    # the charts are drawn: the bars' colours cover real areas of the page
    for colour in [OVER_LIMIT] + [c for _, _, c in COST_GROUPS] + [c for _, _, c in PARTY_TYPES]:
        assert pixels[_rgb(colour)] > 500, f"no bar drawn in {colour}"


def test_console_check_sees_errors(tmp_path):
    """The console check can fail: a page that logs an error is caught."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><script>console.error("finsam-broken")</script>'
                    "</body></html>", encoding="utf-8")
    assert any("finsam-broken" in line for line in screenshot(page, tmp_path / "broken.png", 400, 300))


def test_member_type_sums_do_not_count_the_state_twice():
    import pandas as pd
    from publish.report import member_type_sums
    # seed 002: Not 1 books "Driftbidrag från staten" 3 932 000 beside the agencies' 1 966 000 each
    rows = pd.DataFrame([("Staten", "state", 3_932_000), ("Försäkringskassan", "state", 1_966_000),
                         ("Arbetsförmedlingen", "state", 1_966_000), ("Region Värmland", "region", 1_376_000),
                         ("Arvika kommun", "municipality", 590_000)],
                        columns=["party_name", "party_type", "amount_sek"])
    sums = member_type_sums(rows)
    assert (sums["state"], sums["region"], sums["municipality"]) == (3_932_000, 1_376_000, 590_000)
    combined = rows[rows["party_name"].isin(["Staten", "Region Värmland"])]
    assert member_type_sums(combined)["state"] == 3_932_000
