"""Text → tagged spans: spaCy rules for amounts, percentages, parties, federations,
dates and organisation numbers, each with its normalized value.

The pipeline is `spacy.blank("sv")` with rule components only (no statistical model),
built once per process:

- `finsam_patterns`: regular expressions over the text, turned into spans with
  `doc.char_span` — AMOUNT ("1 840 000 kronor", "drygt 23 miljoner kronor", "1 500 tkr"),
  PERCENT, DATE (ISO, "24 november 2025", "september 2023", six-digit YYMMDD where the
  context shows a date), ORGNR (with its check digit verified), and coordinated parties
  ("Filipstads och Storfors kommuner", "kommunerna Arvika, Eda … och Årjäng");
- an `entity_ruler` with phrase patterns from the data files: every municipality
  (`data/municipalities.csv`), region (`data/regions.csv`), the state parties, and every
  federation name and alias (`data/federations.csv`), plus a pattern for federations the
  registry does not know;
- `finsam_normalize`: the normalized value of each span (`span._.normalized`).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex, filter_spans

from normalize.metadata import registry, valid_org_nr
from normalize.text import fold
from normalize.numbers import SEK_PER_UNIT, parse_number

LABELS = ("AMOUNT", "PERCENT", "PARTY", "FEDERATION", "DATE", "ORGNR")
STATE_PARTIES = ("Försäkringskassan", "Arbetsförmedlingen")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
QUALIFIERS = r"(?:ca\.?|cirka|drygt|knappt|nästan|omkring|runt|över|under|max|maximalt|minst|högst)"
_NUM = r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})*(?:,\d+)?|\d+(?:,\d+)?"
AMOUNT_RE = re.compile(
    rf"(?<![\w,.-])(?:{QUALIFIERS}\s+)?-?(?:{_NUM})\s?(?:miljoner kronor|miljoner kr|miljon kronor|"
    rf"mnkr|mkr|tkr|kronor|kr\b|sek\b)", re.I)
# "39, 8%": a decimal comma typed with a space after it
PERCENT_RE = re.compile(rf"(?<![\w,.])(?:\d+,\s\d(?=\s?%)|{_NUM})\s?(?:%|procent\b)", re.I)
ISO_DATE_RE = re.compile(r"(?<![\d-])(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
_MONTH = "(?:" + "|".join(MONTHS) + ")"
TEXT_DATE_RE = re.compile(rf"(?<!\w)(?:(\d{{1,2}})\s+)?({_MONTH})\s+((?:19|20)\d\d)(?!\d)", re.I)
# "1 januari" with the year further on ("1 januari till och med 31 december 2025"), or none
DAY_MONTH_RE = re.compile(rf"(?<!\w)(\d{{1,2}})\s+({_MONTH})(?!\s+(?:19|20)\d\d)(?!\w)", re.I)
# "januari-december 2025": the first month takes the year of the second
MONTH_RANGE_RE = re.compile(
    rf"(?<!\w)({_MONTH})(?:\s?[-–]\s?|\s+till(?:\s+och\s+med)?\s+)(?={_MONTH}\s+((?:19|20)\d\d))", re.I)
YEAR_RE = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d-])")
YYMMDD_RE = re.compile(r"(?<![\d-])(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d-])")
# Words that show a six-digit number is a date ("styrelsemötet 211124", "pågår mellan 230901–260831").
YYMMDD_CONTEXT = re.compile(r"(mötet|möte|beslut|datum|daterad|pågår|mellan|från|till|fr\.o\.m|t\.o\.m)\W*$", re.I)
ORGNR_RE = re.compile(r"(?<![\d-])\d{6}-\d{4}(?![\d-])")


@dataclass(frozen=True)
class Entity:
    label: str
    text: str
    start: int  # character offsets in the tagged text
    end: int
    normalized: str


def _data_rows(name: str) -> list[dict]:
    text = resources.files("normalize").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(l for l in text.splitlines() if l.strip() and not l.startswith("#")))


@lru_cache(maxsize=1)
def municipalities() -> dict[str, str]:
    """Every written form of a municipality (lower case) → its official name."""
    forms = {}
    for row in _data_rows("municipalities.csv"):
        base, official = row["municipality"], row["official_name"]
        for name in {base, base + "s", official.removesuffix(" kommun")}:
            for variant in {name, name.replace("-", " ")}:
                forms[variant.lower()] = official
    return forms


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    forms = {}
    for row in _data_rows("regions.csv"):
        for name in [row["official_name"]] + [a for a in row["aliases"].split("|") if a]:
            forms[name.lower()] = row["official_name"]
    return forms


def _party_patterns() -> list[dict]:
    """Phrase patterns (matched on lower case) for every single named party."""
    patterns = [{"label": "PARTY", "pattern": form, "id": p}
                for p in STATE_PARTIES for form in (p.lower(), p.lower() + "s")]
    patterns += [{"label": "PARTY", "pattern": form, "id": official} for form, official in regions().items()]
    patterns += [{"label": "PARTY", "pattern": f"{form} kommun", "id": official}
                 for form, official in municipalities().items()]
    return patterns


def _federation_patterns() -> list[dict]:
    """Phrase patterns for every registry name and alias (also with "&", genitive s)."""
    return [{"label": "FEDERATION", "pattern": variant.lower()}
            for fed in registry() for name in (fed.name,) + fed.aliases
            for variant in {name, name.replace(" och ", " & "), name + "s"}]


# A federation the registry does not know: "Norra Dalarnas samordningsförbund",
# "Samordningsförbundet Centrala Östergötland".
UNKNOWN_FEDERATION_RE = re.compile(
    r"(?<!\w)(?:[A-ZÅÄÖ][\w-]*s?-?\s+(?:och|&)\s+)?(?:[A-ZÅÄÖ][\w-]*\s+){1,3}samordningsförbunds?(?!\w)"
    r"|(?<!\w)Samordningsförbundet\s+(?:i\s+)?(?:[A-ZÅÄÖ][\w-]*)(?:\s+[A-ZÅÄÖ][\w-]*){0,2}(?!\w)")


@lru_cache(maxsize=1)
def _party_list_re() -> re.Pattern:
    """Lists of municipalities ("Filipstads och Storfors kommuner"), built once: the
    pattern spells out every municipality."""
    names = sorted({re.escape(f) for f in municipalities()}, key=len, reverse=True)
    name = "(?:" + "|".join(names) + ")"
    sep = r"(?:,\s*|/\s*|\s+(?:och|samt)\s+)"
    coordinated = rf"{name}(?:{sep}{name})+\s+kommun(?:er)?"
    listed = rf"kommunerna\s+{name}(?:{sep}{name})+"
    return re.compile(rf"(?<!\w)(?:{coordinated}|{listed})(?!\w)", re.I)


def _parties_in(text: str) -> str:
    """'Filipstads och Storfors kommuner' → 'Filipstads kommun; Storfors kommun'."""
    forms = municipalities()
    body = re.sub(r"^kommunerna\s+|\s+kommuner$", "", text, flags=re.I)
    body = re.sub(r"\s+kommun$", "", body, flags=re.I)
    parts = re.split(r",\s*|/\s*|\s+(?:och|samt)\s+", body)
    return "; ".join(forms.get(p.strip().lower(), p.strip()) for p in parts if p.strip())


def _yymmdd_is_date(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 30):start]
    after = text[end:end + 2]
    return bool(YYMMDD_CONTEXT.search(before)) or after[:1] in "–-" or text[max(0, start - 1):start] in "–-"


@Language.component("finsam_patterns")
def finsam_patterns(doc: Doc) -> Doc:
    """Spans found by regular expressions: amounts, percentages, dates, org nrs, party lists."""
    text = doc.text
    found: list[Span] = []

    def add(start: int, end: int, label: str, normalized: str) -> None:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is not None:
            span._.normalized = normalized
            found.append(span)

    for m in AMOUNT_RE.finditer(text):
        value = amount_sek(m.group(0))
        if value is not None:
            add(m.start(), m.end(), "AMOUNT", value)
    for m in PERCENT_RE.finditer(text):
        number = re.sub(r"\s", "", re.sub(r"\s?(%|procent)$", "", m.group(0), flags=re.I)).replace(",", ".")
        add(m.start(), m.end(), "PERCENT", number)  # as printed: "8,7 procent" → 8.7, "7,0" → 7.0
    for m in ISO_DATE_RE.finditer(text):
        add(m.start(), m.end(), "DATE", m.group(0))
    for m in TEXT_DATE_RE.finditer(text):
        if m.group(1):
            add(m.start(), m.end(), "DATE", swedish_date(m.group(0)))
        else:  # a month of a year: "september 2023"
            add(m.start(), m.end(), "DATE", f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}")
    default_year = doc.user_data.get("year")
    for m in DAY_MONTH_RE.finditer(text):
        later = YEAR_RE.search(text, m.end(), m.end() + 60)
        year = later.group(0) if later else default_year
        if year:
            add(m.start(), m.end(), "DATE", f"{year}-{MONTHS.index(m.group(2).lower()) + 1:02d}-{int(m.group(1)):02d}")
    for m in MONTH_RANGE_RE.finditer(text):
        add(m.start(1), m.end(1), "DATE", f"{m.group(2)}-{MONTHS.index(m.group(1).lower()) + 1:02d}")
    for m in YYMMDD_RE.finditer(text):
        if _yymmdd_is_date(text, m.start(), m.end()):
            add(m.start(), m.end(), "DATE", f"20{m.group(1)}-{m.group(2)}-{m.group(3)}")
    for m in ORGNR_RE.finditer(text):
        if valid_org_nr(m.group(0)):
            add(m.start(), m.end(), "ORGNR", m.group(0))
    for m in _party_list_re().finditer(text):
        add(m.start(), m.end(), "PARTY", _parties_in(m.group(0)))
    for m in UNKNOWN_FEDERATION_RE.finditer(text):
        name = federation_name(m.group(0))
        add(m.start(), m.end(), "FEDERATION", name)
    doc.ents = filter_spans(list(doc.ents) + found)
    return doc


def federation_name(text: str) -> str:
    """Canonical name(s) of a named federation: the registry's when it knows the name (in
    any of its forms, genitive too), else the name as printed. "Nedansiljans- och Norra
    Dalarnas samordningsförbund" names two."""
    m = re.match(r"^(.+?)-\s+(?:och|samt)\s+(.+?)\s+(samordningsförbunds?)$", text.strip(), re.I)
    if m:
        return "; ".join(federation_name(f"{part} {m.group(3)}") for part in (m.group(1), m.group(2)))
    folded = fold(text).removesuffix("s")
    for fed in registry():
        if folded in {fold(n).removesuffix("s") for n in (fed.name,) + fed.aliases}:
            return fed.name
    return text.strip()


@Language.component("finsam_normalize")
def finsam_normalize(doc: Doc) -> Doc:
    """Normalized values for the spans the entity ruler found (its pattern ids)."""
    for span in doc.ents:
        if span._.normalized is None:
            span._.normalized = federation_name(span.text) if span.label_ == "FEDERATION" \
                else (span.ent_id_ or span.text)
    return doc


@lru_cache(maxsize=4096)
def swedish_date(text: str) -> str:
    """'24 november 2025' → '2025-11-24' (dateparser, Swedish)."""
    import dateparser  # loaded on first use: it is slow to import

    parsed = dateparser.parse(text, languages=["sv"], settings={"DATE_ORDER": "DMY"})
    return parsed.date().isoformat() if parsed else ""


def amount_sek(text: str) -> str | None:
    """'drygt 23 miljoner kronor' → '23000000'; None when it is no amount."""
    body = re.sub(rf"^{QUALIFIERS}\s+", "", text.strip(), flags=re.I)
    parsed = parse_number(body)
    if parsed is None or parsed.unit not in SEK_PER_UNIT:
        return None
    value = parsed.value * SEK_PER_UNIT[parsed.unit]
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The rule pipeline, built once per process."""
    if not Span.has_extension("normalized"):
        Span.set_extension("normalized", default=None)
    nlp = spacy.blank("sv")
    # "230901–260831" is two dates, "164 000kr" an amount and its unit
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        list(nlp.Defaults.infixes) + [r"(?<=\d)[–—-](?=\d{6})", rf"(?<=[a-zåäö])[-–](?={_MONTH}\b)"]).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(
        list(nlp.Defaults.suffixes) + [r"(?<=\d)(?:kr|tkr|mkr)$"]).search
    # "kr." is a tokenizer exception for the abbreviation; in "1 570 000kr." it ends a sentence
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k.lower() not in ("kr.", "tkr.", "mkr.")}
    nlp.add_pipe("finsam_patterns")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False, "phrase_matcher_attr": "LOWER"})
    with nlp.select_pipes(disable=["finsam_patterns"]):  # the phrases need tokens, not our regexes
        ruler.add_patterns(_party_patterns() + _federation_patterns())
    nlp.add_pipe("finsam_normalize")
    return nlp


def tag(text: str, year: int | None = None) -> list[Entity]:
    """All entities of one text (a sentence, a paragraph or a table row). `year` is the
    document's year, for dates printed without one ("10 juni")."""
    return tag_many([text], year)[0]


def tag_many(texts: list[str], year: int | None = None) -> list[list[Entity]]:
    """Tag many texts at once (spaCy's nlp.pipe)."""
    nlp = pipeline()
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data["year"] = year
        docs.append(doc)
    for _, component in nlp.pipeline:
        docs = [component(doc) for doc in docs]
    return [[Entity(e.label_, e.text, e.start_char, e.end_char, str(e._.normalized)) for e in doc.ents]
            for doc in docs]


# The kind of document and the year it is about, as a title names them: "Verksamhetsplan
# och budget 2026", "Årsredovisning 2025", "Budget 2026, Plan 2027 och 2028". Matched with
# spaCy token patterns; not written to entities.csv (the dataset's labels are the six above).
PERIOD_WORDS = {
    "verksamhetsplan": "verksamhetsplan", "budget": "verksamhetsplan", "verksamhetsinriktning": "verksamhetsplan",
    "årsredovisning": "arsredovisning", "årsbokslut": "arsredovisning",
    "delårsrapport": "delarsrapport", "delårsbokslut": "delarsrapport", "delårsredovisning": "delarsrapport",
}


@dataclass(frozen=True)
class Period:
    document_type: str
    year: int
    evidence: str


@lru_cache(maxsize=1)
def _period_matcher():
    from spacy.matcher import Matcher

    matcher = Matcher(pipeline().vocab)
    matcher.add("PERIOD", [[{"LOWER": {"IN": list(PERIOD_WORDS)}},
                            {"IS_DIGIT": False, "LOWER": {"NOT_IN": ["samt", "prognos", "plan"]}, "OP": "{0,3}"},
                            {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}]])
    return matcher


def document_period(lines: list[str]) -> Period | None:
    """The first "Verksamhetsplan … 2026"-like phrase in these lines (title lines first)."""
    matcher = _period_matcher()
    for line in lines:
        doc = pipeline().make_doc(line)
        matches = sorted(matcher(doc), key=lambda m: (m[1], m[2] - m[1]))
        if matches:
            _, start, end = matches[0]
            span = doc[start:end]
            return Period(PERIOD_WORDS[span[0].lower_], int(span[-1].text), line.strip())
    return None
