"""Repair of Swedish letters (å, ä, ö) lost by an English-only OCR.

Scanned documents of Swedish samordningsförbund often carry a text layer made by an old
OCR engine that knew no å, ä or ö: it wrote "Forsdkringskassan" for Försäkringskassan,
"Ornskéldsvik" for Örnsköldsvik, "6vergripande" for övergripande, "1 kraft" for "i kraft",
and turned the short words är/år, på, får, mål, där into ar, pa, far, mal, dar. This
module restores the letters with a noisy-channel model, word by word:

1. Tokenize: words (letters, plus the characters an OCR puts in place of a letter: é, 6,
   4, 0, 1, &, # inside a word) and everything else. Only word tokens can change; all
   white space and punctuation is kept exactly, so offsets stay meaningful. Tokens made
   of digits only (amounts, dates) are never changed, nor tokens in URLs or e-mail
   addresses, one-letter tokens or two-capital abbreviations (SD, IT); a short token in
   capitals or with a digit (FOR, f4) may only become a common word (FÖR, få; SCB stays).
2. Candidates: the confusion table (data/ocr_confusions.csv: what the OCR wrote → which
   letters it may stand for, with a rough probability; one or two characters for one
   letter) is applied at each position, at most MAX_SUBS substitutions per word, every
   combination. To keep this fast, a substitution towards å/ä/ö writes a wildcard, the
   lexicon is indexed by its words with å/ä/ö replaced by the same wildcard, so one
   look-up covers all letter choices, and prefixes no lexicon key starts with are pruned.
3. Score: log10 P(candidate) + log10 P(OCR wrote this | candidate). P(candidate) is the
   word's frequency from `wordfreq` (Swedish, Zipf scale) raised to a floor for the
   words of data/sv_domain_words.txt (parties, regions, the 290 municipalities, Finsam
   vocabulary), which a general frequency list lacks or ranks badly. The channel term is
   the sum of log10 P of the substitutions made.
4. Decide: the original token is kept when it is itself a Swedish word and no candidate
   beats it by KEEP_MARGIN (no margin for rare originals, which are mostly folded
   misspellings in the frequency list); short ambiguous words (ar → är/år) also weigh the
   neighbouring words (data/sv_context_rules.csv, "under ar 2026" → "år"). When two
   different candidates score within AMBIGUOUS_GAP the word is undecidable and left alone.
5. Compounds: a token that is no word and has no candidate is split into two or three
   parts, each read as a word (a head may also be a word + linking s, or a word less its
   final e/a; the three-consonant rule is undone: processtöd = process + stöd); the split
   with the fewest parts wins. This covers the endless Swedish compounds
   ("verksamhetsuppfoljning" → "verksamhetsuppföljning"). A suspended head ("behovs- och")
   is read as a compound part.
6. Adapt: engines differ (this one writes ä as "i" about a third of the time), so
   `find_repairs` decides twice: the first pass's clear repairs re-estimate the channel for
   the document (adapted_channel, smoothed towards the table) and give repaired neighbour
   words for the context rules; the second pass decides with both.
7. Case is carried over (ORNSKOLDSVIK → ÖRNSKÖLDSVIK, Ornskoldsvik → Örnsköldsvik).
8. Two standalone-token rules: "1" after a word and before a lower-case word (or a place
   name) reads "i" ("1 kraft", "fyller 1 vid start", "1 Örnsköldsvik") but never before a
   month, a unit, a number or a counted noun, nor after a word that numbers ("1 januari",
   "1 000", "1 person", "bilaga 1"), nor across a tab; "|" opening a sentence reads "I".

Text that already has å/ä/ö at a normal Swedish rate did not pass through such an OCR:
`repair_text`/`find_repairs` leave it unchanged (mode "auto"; mode "ocr" forces the
repair). `find_repairs` returns the changes (original, repaired, offsets, reason) so the
pipeline can keep the original text for provenance.

Lexicons are loaded lazily, once per process (functools.lru_cache); the repair's
lexicon, built from wordfreq in about 1.5 s, is kept in a cache folder
(`lexicon_cache_file`) and loaded from there in 0.3 s. After that a 20-page document
takes a few tenths of a second, much less when its words were seen.
"""
from __future__ import annotations

import bisect
import csv
import functools
import hashlib
import marshal
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

DATA_DIR = Path(__file__).resolve().parent / "data"
CONFUSIONS_CSV = DATA_DIR / "ocr_confusions.csv"
DOMAIN_WORDS_TXT = DATA_DIR / "sv_domain_words.txt"
CONTEXT_RULES_CSV = DATA_DIR / "sv_context_rules.csv"
# The folder of the lexicon cache (`lexicon_cache_file`): building the lexicon costs every
# worker process about 1.5 s, loading it back 0.3 s
LEXICON_CACHE_ENV = "FINSAM_CACHE_DIR"

MAX_SUBS = 3  # substitutions per word (or per compound part)
MIN_CANDIDATE_ZIPF = 2.0  # a wordfreq word rarer than this is no candidate ...
MIN_RESCUE_ZIPF = 1.5  # ... unless the token itself is no word at all
JUNK_ZIPF = 2.0  # an original rarer than this is taken for a folded misspelling
MIN_PART_ZIPF = 3.0  # each part of a compound must be at least this frequent ...
MIN_LONG_PART_ZIPF = 2.0  # ... or this, for a part of LONG_PART letters or more ...
MIN_KEPT_PART_ZIPF = 1.5  # ... or this, for such a part read unchanged
SHORT_PART_ZIPF = 4.5  # a part of three letters or fewer must be a common word
LONG_PART = 6
KEEP_MARGIN = 0.25  # a common original word yields only to a candidate this much better
COMMON_ZIPF = 3.0  # (originals rarer than this get no margin: mostly folded misspellings)
LINK_PENALTY = 0.1  # a compound head read as word + linking s (förbund-s-styrelsen)
DROP_PENALTY = 0.7  # a compound head read as word less its final e/a (handläggar-e)
AMBIGUOUS_GAP = 0.15  # two different candidates this close: undecidable
EVIDENCE_GAP = 1.0  # a repair this clear teaches the document's channel (adapted_channel)
ADAPT_WEIGHT = 20.0  # pseudo-count of the confusion table against a document's evidence
DIACRITIC_RATE_CLEAN = 0.01  # share of å/ä/ö among letters above which text is not OCR-damaged
WILDCARD = "*"
SWEDISH_SPECIAL = "åäö"

# A word token: letters and digits plus the signs an OCR writes for a letter; "|" alone.
_TOKEN_RE = re.compile(r"(?P<word>(?:[^\W_]|[&#])+)|(?P<bar>\|)")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\d+(?:[.,:]\d+)*$")
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")

# Neighbours that make a standalone "1" a number, not the word "i".
_MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december "
    "jan feb mar apr jun jul aug sep sept okt nov dec"
).split()
_ONE_NEXT_BLOCK = frozenset(
    _MONTHS
    + (
        "kr kronor krona tkr mkr sek miljon miljoner miljard miljarder procent st styck "
        "tim timme timmar dag dagar dygn vecka veckor månad månader år kvartal tertial "
        "halvår termin person personer deltagare individ anställd heltid tjänst tjänster "
        "plats platser gång gånger ggr km m kg mil h min sid och eller till samt av à x"
    ).split()
)
_ONE_PREV_BLOCK = frozenset(
    (
        "kapitel bilaga avsnitt paragraf punkt tabell figur diagram sida nivå steg fas "
        "etapp version nummer nr grupp klass kategori typ alternativ prioritet mål område "
        "år dag vecka månad kvartal rad kolumn del och eller till av samt minst högst "
        "cirka ca drygt knappt totalt endast bara med mot per än under över från vid "
        "om på inom plus minus gånger"
    ).split()
)


@dataclass(frozen=True)
class Repair:
    """One changed token: `text[start:end] == original` in the input text."""

    original: str
    repaired: str
    start: int
    end: int
    reason: str  # "word", "compound", "standalone-1" or "standalone-bar"


# --------------------------------------------------------------------------- data


def _fold(word: str) -> str:
    """Lower-case and drop the dots and rings (å/ä → a, ö → o)."""
    return word.lower().translate(str.maketrans("åäö", "aao"))


def _data_lines(path: Path) -> Iterable[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not (line == "#" or line.startswith("# ")):
                yield line


@dataclass(frozen=True)
class _Confusions:
    char: dict  # ocr char -> tuple[(target, logp)]
    pair: dict  # two ocr chars -> tuple[(target, logp)]
    token: dict  # standalone token -> (replacement, logp)


@functools.lru_cache(maxsize=None)
def _confusions() -> _Confusions:
    char: dict[str, list] = {}
    pair: dict[str, list] = {}
    token: dict[str, tuple] = {}
    rows = csv.reader(_data_lines(CONFUSIONS_CSV))
    header = next(rows)
    assert header[:4] == ["ocr", "targets", "prob", "scope"], header
    for row in rows:
        ocr, targets, prob, scope = row[0], row[1], float(row[2]), row[3]
        logp = math.log10(prob)
        for target in targets.split("|"):
            if scope == "char":
                char.setdefault(ocr, []).append((target, logp))
            elif scope == "pair":
                pair.setdefault(ocr, []).append((target, logp))
            elif scope == "token":
                token[ocr] = (target, logp)
            else:
                raise ValueError(f"{CONFUSIONS_CSV.name}: unknown scope {scope!r}")
    return _Confusions(
        {k: tuple(v) for k, v in char.items()}, {k: tuple(v) for k, v in pair.items()}, token
    )


@dataclass(frozen=True)
class _ContextRule:
    side: str
    words: frozenset
    bonus: float


@functools.lru_cache(maxsize=None)
def _context_rules() -> dict:
    rules: dict[str, list[_ContextRule]] = {}
    rows = csv.reader(_data_lines(CONTEXT_RULES_CSV))
    next(rows)
    for cand, side, context, bonus in rows:
        words = frozenset(w if w.startswith("<") else _fold(w) for w in context.split("|"))
        rules.setdefault(cand, []).append(_ContextRule(side, words, float(bonus)))
    return rules


@dataclass
class _Lexicon:
    zipf: dict  # lower-case word -> Zipf frequency
    index: dict  # word with å/ä/ö -> WILDCARD  ->  list of words
    places: frozenset  # the place names among them (lower case)
    sorted_keys: list  # index keys and words without å/ä/ö, sorted: for prefix pruning


_INFLECTIONS = ("s", "n", "t", "en", "et", "ens", "ets", "er", "ar", "erna", "arna", "ernas", "arnas")


@functools.lru_cache(maxsize=None)
def _domain_entries() -> tuple[tuple[str, str, float], ...]:
    """The domain lexicon as (lower-case word, kind, Zipf floor): cheap to read on its
    own, for callers that only ask whether a word is a domain word (a typed page's text
    quality) and never need the repair's whole lexicon."""
    entries = []
    kind, floor = "vocab", 4.0
    for line in _data_lines(DOMAIN_WORDS_TXT):
        if line.startswith("@zipf"):
            floor = float(line.split()[1])
        elif line.startswith("@"):
            kind = line[1:]
        else:
            entries.append((line.lower(), kind, floor))
    return tuple(entries)


@functools.lru_cache(maxsize=None)
def _domain_words() -> frozenset:
    return frozenset(word for word, _, _ in _domain_entries())


@functools.lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    """The repair's lexicon: loaded from the lexicon cache when it holds this build's,
    else built (and stored there for the next process)."""
    path = lexicon_cache_file()
    lexicon = _load_lexicon(path) if path else None
    if lexicon is None:
        lexicon = _build_lexicon()
        if path:
            _store_lexicon(lexicon, path)
    return lexicon


def lexicon_cache_file() -> Path | None:
    """Where the lexicon of this build is cached (`LEXICON_CACHE_ENV`, else the user's
    cache folder), named after what it is built from: this module, the domain words,
    wordfreq's version and Python's (marshal's format is Python's); None when there is no
    home to keep it in."""
    try:
        from importlib.metadata import version

        folder = os.environ.get(LEXICON_CACHE_ENV) or (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "finsam")
        digest = hashlib.sha256(Path(__file__).read_bytes() + b"\0" + DOMAIN_WORDS_TXT.read_bytes())
        digest.update(f"{version('wordfreq')}|{sys.version_info[:2]}".encode())
    except (OSError, RuntimeError, ImportError):
        return None
    return Path(folder) / f"lexicon-{digest.hexdigest()[:16]}.marshal"


def _load_lexicon(path: Path) -> _Lexicon | None:
    """The lexicon cached at `path`, or None when it is not there or not readable as one
    (a file cut short or from elsewhere): it is built again."""
    try:
        zipf, index, places, sorted_keys = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(zipf, dict) and isinstance(index, dict) and isinstance(places, frozenset)
            and isinstance(sorted_keys, list)):
        return None
    return _Lexicon(zipf, index, places, sorted_keys)


def _store_lexicon(lexicon: _Lexicon, path: Path) -> None:
    """Write the lexicon to `path` whole or not at all (workers starting together may
    write it at once); a folder that cannot be written only costs the next process the
    build."""
    from publish.files import atomic_file

    try:
        with atomic_file(path) as temporary:
            temporary.write_bytes(marshal.dumps((lexicon.zipf, lexicon.index, lexicon.places, lexicon.sorted_keys)))
        for old in path.parent.glob("lexicon-*.marshal"):  # earlier builds' (9 MB each)
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _build_lexicon() -> _Lexicon:
    """The lexicon from wordfreq's Swedish word list and the domain words (about 1.5 s)."""
    from wordfreq import get_frequency_dict  # Swedish data ships inside the package

    zipf: dict[str, float] = {}
    for word, freq in get_frequency_dict("sv").items():
        if word.isalpha() and freq > 0:
            zipf[word] = round(math.log10(freq) + 9, 2)

    for word, kind, floor in _domain_entries():
        zipf[word] = max(zipf.get(word, 0.0), floor)
        if kind == "vocab" and len(word) >= 6:
            # Inflected forms of domain vocabulary: a little less likely than the base.
            for suffix in _INFLECTIONS:
                form = word + suffix
                zipf[form] = max(zipf.get(form, 0.0), floor - 1.0)
    places = {word for word, kind, _ in _domain_entries() if kind == "place"}

    # one pass over the 340 000 words, with C-level tests (set.isdisjoint, str.translate):
    # a generator per word cost half of the lexicon's second
    special, to_wildcard = frozenset(SWEDISH_SPECIAL), str.maketrans(dict.fromkeys(SWEDISH_SPECIAL, WILDCARD))
    index: dict[str, list[str]] = {}
    plain: list[str] = []
    for word, z in zipf.items():
        if special.isdisjoint(word):
            plain.append(word)
        elif z >= MIN_CANDIDATE_ZIPF:
            index.setdefault(word.translate(to_wildcard), []).append(word)
    sorted_keys = sorted(set(index).union(plain))
    return _Lexicon(zipf, index, frozenset(places), sorted_keys)


# --------------------------------------------------------------------------- candidates


def _variants(token: str) -> list[tuple[str, tuple, tuple]]:
    """Lookup keys for a lower-case token: (key, wildcard slots, fixed substitutions).

    Each position keeps its letter or takes a substitution from the confusion table. A
    substitution towards å/ä/ö writes WILDCARD and records a slot (position in the key,
    what the OCR wrote there); one towards another letter (é → e, 1 → l) is written out
    and recorded as (what the OCR wrote, letter). Digits, & and # must be substituted: a
    repaired word holds none. At most MAX_SUBS substitutions.
    """
    conf = _confusions()
    keys = _lexicon().sorted_keys
    out: list[tuple[str, tuple, tuple]] = []
    n = len(token)

    def alive(prefix: str) -> bool:
        # Some lexicon word (or wildcard key) starts with `prefix`: else prune.
        pos = bisect.bisect_left(keys, prefix)
        return pos < len(keys) and keys[pos].startswith(prefix)

    def rec(i: int, key: str, slots: tuple, fixed: tuple, subs: int) -> None:
        if i == n:
            out.append((key, slots, fixed))
            return
        c = token[i]
        if c.isalpha() and not c.isdigit() and alive(key + c):
            rec(i + 1, key + c, slots, fixed, subs)
        if subs >= MAX_SUBS:
            return
        units = [c] if c in conf.char else []
        if i + 1 < n and token[i : i + 2] in conf.pair:
            units.append(token[i : i + 2])
        for unit in units:
            options = conf.char[unit] if len(unit) == 1 else conf.pair[unit]
            if any(t in SWEDISH_SPECIAL for t, _ in options) and alive(key + WILDCARD):
                rec(i + len(unit), key + WILDCARD, slots + ((len(key), unit),), fixed, subs + 1)
            for target, _ in options:
                if target not in SWEDISH_SPECIAL and alive(key + target):
                    rec(i + len(unit), key + target, slots, fixed + ((unit, target),), subs + 1)

    rec(0, "", (), (), 0)
    return out


@functools.lru_cache(maxsize=None)
def _prior_channel() -> dict:
    """(what the OCR wrote, letter) -> log10 P, from the confusion table."""
    conf = _confusions()
    channel = {}
    for table in (conf.char, conf.pair):
        for unit, options in table.items():
            for target, logp in options:
                channel[(unit, target)] = logp
    return channel


@functools.lru_cache(maxsize=200_000)
def _candidate_subs(token: str, min_zipf: float = MIN_CANDIDATE_ZIPF) -> tuple:
    """Real words the lower-case `token` may stand for, other than itself:
    ((word, zipf, substitutions), ...), substitutions = ((OCR wrote, letter), ...).
    A word reachable in several ways keeps the way most likely under the prior channel."""
    lex = _lexicon()
    prior = _prior_channel()
    best: dict[str, tuple[float, tuple]] = {}
    for key, slots, fixed in _variants(token):
        if not slots:
            if key != token and lex.zipf.get(key, 0.0) >= min_zipf:
                logp = sum(prior[s] for s in fixed)
                if key not in best or logp > best[key][0]:
                    best[key] = (logp, fixed)
            continue
        for word in lex.index.get(key, ()):
            if lex.zipf[word] < min_zipf:
                continue
            subs = fixed + tuple((unit, word[pos]) for pos, unit in slots)
            if all(s in prior for s in subs):
                logp = sum(prior[s] for s in subs)
                if word not in best or logp > best[word][0]:
                    best[word] = (logp, subs)
    ranked = sorted(best.items(), key=lambda kv: -(lex.zipf[kv[0]] + kv[1][0]))
    return tuple((word, lex.zipf[word], subs) for word, (_, subs) in ranked)


def _scored(token: str, min_zipf: float, channel: dict | None = None) -> list[tuple[str, float]]:
    """Candidates of `token` with score = Zipf + log10 P(OCR text | word), best first."""
    channel = channel or _prior_channel()
    scored = [(w, z + sum(channel[s] for s in subs)) for w, z, subs in _candidate_subs(token, min_zipf)]
    scored.sort(key=lambda kv: -kv[1])
    return scored


@functools.lru_cache(maxsize=200_000)
def _candidates(token: str, min_zipf: float = MIN_CANDIDATE_ZIPF) -> tuple:
    """((word, score), ...) best first under the prior channel."""
    return tuple(_scored(token, min_zipf))


def _original_zipf(token: str) -> float | None:
    if not token.isalpha():
        return None
    return _lexicon().zipf.get(token)


def _margin(z0: float) -> float:
    return KEEP_MARGIN if z0 >= COMMON_ZIPF else 0.0


# --------------------------------------------------------------------------- compounds


# Derivational endings that may close a compound like a word (anställningsbar-het).
_DERIVATION_SUFFIXES = {
    _fold(s): s
    for s in "het heten heter hetens skap skapet skapen skapets mässig mässiga mässigt".split()
}


def _part_min_zipf(length: int, changed: bool) -> float:
    """How frequent a compound part must be: short parts must be common words."""
    if length <= 3:
        return SHORT_PART_ZIPF
    if length < LONG_PART:
        return MIN_PART_ZIPF
    return MIN_LONG_PART_ZIPF if changed else MIN_KEPT_PART_ZIPF


def _head_bases(sub: str) -> list[tuple[str, str, float]]:
    """Ways to read `sub` as a compound head: (word to look up, tail to cut from that
    word (or "" ), penalty). Swedish heads are a word, a word + linking s (förbund-s-),
    or a word less its final e/a, with or without the s (samarbet(e)-s-, skol(a)-)."""
    bases = [(sub, "", 0.0)]
    if len(sub) >= 4 and sub.endswith("s"):
        bases.append((sub[:-1], "", LINK_PENALTY))
    if len(sub) >= 5:
        stem, penalty = (sub[:-1], LINK_PENALTY + DROP_PENALTY) if sub.endswith("s") else (sub, DROP_PENALTY)
        for vowel in "ea":
            bases.append((stem + vowel, vowel, penalty))
        if sub.endswith("s"):
            for vowel in "ea":
                bases.append((sub + vowel, vowel, DROP_PENALTY))
    return bases


@functools.lru_cache(maxsize=200_000)
def _part(sub: str, head: bool) -> tuple[str, float, float] | None:
    """Best reading of a compound part: (form, zipf, channel) or None.

    A head may be read through _head_bases. A part that reads as a word unchanged stays
    unless a repaired reading beats it by the margin."""
    lex = _lexicon()
    if not head and _fold(sub) in _DERIVATION_SUFFIXES:
        # anställningsbar+het, verksamhets+mässiga: an ending, not a word of its own.
        form = _DERIVATION_SUFFIXES[_fold(sub)]
        changed = sum(a != b for a, b in zip(sub, form))
        if len(form) == len(sub) and all(a == b or b in SWEDISH_SPECIAL for a, b in zip(sub, form)):
            return (form, MIN_PART_ZIPF, changed * math.log10(0.5))
    bases = _head_bases(sub) if head else [(sub, "", 0.0)]
    kept: float | None = None
    cands: list[tuple[str, float, float]] = []
    for base, cut, penalty in bases:
        suffix = sub[len(base) - len(cut):] if len(base) - len(cut) < len(sub) else ""
        z = _original_zipf(base)
        if z is not None and z >= _part_min_zipf(len(base), False):
            kept = max(kept if kept is not None else -99.0, z - penalty)
        for word, score in _candidates(base, _part_min_zipf(len(base), True))[:1]:
            form = (word[: len(word) - len(cut)] if cut else word) + suffix
            cands.append((form, lex.zipf[word] - penalty, score - lex.zipf[word]))
    best = max(cands, key=lambda c: c[1] + c[2], default=None)
    if kept is not None and (best is None or best[1] + best[2] <= kept + _margin(kept)):
        return (sub, kept, 0.0)
    return best


def _is_double_consonant(s: str) -> bool:
    return len(s) >= 2 and s[-1] == s[-2] and s[-1] not in "aeiouyåäöé" and s[-1].isalpha()


@functools.lru_cache(maxsize=100_000)
def _compound(token: str, depth: int = 2) -> tuple[str, tuple] | None:
    """Best split of `token` into 2..depth+1 parts, each a word: (joined, parts).

    parts = ((zipf, channel), ...). The split with the fewest parts wins, then the one
    with the best mean Zipf plus channel (common short words such as "kan" or "vid" must
    not chop a compound into pieces). The Swedish three-consonant rule is undone:
    "processtöd" = process + stöd."""
    best: tuple[str, tuple] | None = None
    n = len(token)
    for k in range(3, n - 2):
        head = _part(token[:k], True)
        if head is None:
            continue
        tails = [(token[k:], "")]
        if _is_double_consonant(token[:k]):
            tails.append((token[k - 1] + token[k:], token[k - 1]))
        for tail_text, dropped in tails:
            readings = []
            tail = _part(tail_text, False)
            if tail is not None:
                readings.append((tail[0], ((tail[1], tail[2]),)))
            if depth > 1 and len(tail_text) >= 6:
                sub = _compound(tail_text, depth - 1)
                if sub is not None:
                    readings.append(sub)
            for word, parts in readings:
                if dropped and not word.startswith(dropped):
                    continue
                candidate = (head[0] + word[len(dropped):], ((head[1], head[2]),) + parts)
                if best is None or _compound_rank(candidate) > _compound_rank(best):
                    best = candidate
    return best


def _compound_rank(reading: tuple[str, tuple]) -> tuple[int, float]:
    parts = reading[1]
    mean_zipf = sum(z for z, _ in parts) / len(parts)
    return (-len(parts), mean_zipf + sum(c for _, c in parts))


# --------------------------------------------------------------------------- words


def _match_case(src: str, dst: str) -> str:
    letters = [c for c in src if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return dst.upper()
    if len(src) == len(dst):
        return "".join(d.upper() if s.isupper() else d for s, d in zip(src, dst))
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst


def _is_number(token: str) -> bool:
    return bool(_NUMBER_RE.match(token))


@functools.lru_cache(maxsize=None)
def _folded_places() -> frozenset:
    return frozenset(_fold(w) for w in _lexicon().places)


def _context_bonus(word: str, prev: str, next_: str) -> float:
    bonus = 0.0
    for rule in _context_rules().get(word, ()):
        neighbour = prev if rule.side == "prev" else next_
        if not neighbour:
            continue
        folded = _fold(neighbour)
        hit = folded in rule.words
        if not hit and "<NUM>" in rule.words:
            hit = _is_number(neighbour)
        if not hit and "<YEAR>" in rule.words:
            hit = bool(_YEAR_RE.match(neighbour))
        if not hit and "<PLACE>" in rule.words:
            hit = folded in _folded_places()
        if hit:
            bonus += rule.bonus
    return bonus


def _repairable(word: str) -> bool:
    if len(word) < 2 or not any(c.isalpha() for c in word):
        return False
    if any(c.isdigit() for c in word):
        letters = [c for c in word if c.isalpha() and not c.isdigit()]
        if any(c.isdigit() and c not in "0146" for c in word):
            return False
        if len(letters) < 2 and not (letters and letters[0].islower()):
            return False  # A4, F6: a code, not a word
    letters_only = [c for c in word if c.isalpha()]
    if len(letters_only) <= 2 and all(c.isupper() for c in letters_only) and len(word) == len(letters_only):
        return False  # IT, SD, AF: abbreviations
    return True


@dataclass(frozen=True)
class _Decision:
    form: str  # repaired lower-case form (the token lower-cased when unchanged)
    reason: str  # "word", "compound" or "" (unchanged)
    evidence: tuple = ()  # substitutions of a confident repair, for channel adaptation


def _decide(
    word: str, prev: str, next_: str, head: bool = False, channel: dict | None = None
) -> _Decision:
    """Decide one word token. `head`: the token is a suspended compound head ("behovs-
    och"), so it may end in the linking s. `channel`: log10 P(OCR wrote | letter) to score
    whole-word candidates with (default: the confusion table's)."""
    low = word.lower()
    unchanged = _Decision(low, "")
    z0 = _original_zipf(low)
    if head and low.isalpha():
        # A suspended compound head ("behovs- och") is read as a compound part: a
        # word, maybe with its linking s, never a verb form like "behövs".
        reading = _part(low, True)
        if reading is None or reading[0] == low:
            return unchanged
        return _Decision(reading[0], "word")
    is_word = z0 is not None and z0 >= JUNK_ZIPF
    if z0 is not None and any(c in low for c in SWEDISH_SPECIAL):
        return unchanged  # a real word that already has its letters
    min_zipf = MIN_CANDIDATE_ZIPF if is_word else MIN_RESCUE_ZIPF
    cands = [(w, s + _context_bonus(w, prev, next_)) for w, s in _scored(low, min_zipf, channel)]
    if not cands and not is_word and low.endswith("s") and len(low) >= 4:
        # Genitive or linking s of a word whose s-form the frequency list lacks.
        cands = [(w + "s", s - LINK_PENALTY) for w, s in _scored(low[:-1], MIN_PART_ZIPF, channel)]
    if len(low) <= 3 and (not low.isalpha() or word.isupper()):
        # "f4" → "få", but "i1" is no "il"; "FOR" → "FÖR", but "SCB" stays: a short
        # token with digits or signs, or in capitals (maybe an abbreviation), must
        # become a common word.
        lex = _lexicon()
        cands = [(w, s) for w, s in cands if lex.zipf.get(w, 0.0) >= SHORT_PART_ZIPF]
    cands.sort(key=lambda kv: -kv[1])
    if cands:
        best, score = cands[0]
        if z0 is not None and score <= z0 + _context_bonus(low, prev, next_) + _margin(z0):
            return unchanged
        gap = score - cands[1][1] if len(cands) > 1 else 99.0
        if gap < AMBIGUOUS_GAP:
            return unchanged  # undecidable
        evidence: tuple = ()
        if z0 is not None:
            gap = min(gap, score - z0 - _margin(z0))
        if gap >= EVIDENCE_GAP:
            evidence = next((subs for w, _, subs in _candidate_subs(low, min_zipf) if w == best), ())
        return _Decision(best, "word", evidence)
    if is_word or len(low) < 6:
        return unchanged
    compound = _compound(low)
    if compound is not None and compound[0] != low:
        return _Decision(compound[0], "compound")
    return unchanged


def adapted_channel(evidence: Iterable[tuple], weight: float | None = None) -> dict:
    """The confusion table's channel re-estimated on one document.

    `evidence`: the substitutions ((OCR wrote, letter), ...) of the document's confident
    repairs (non-words with one clear reading). P(OCR wrote c | letter) becomes
    (count + weight·prior) / (letters seen + weight): an engine that renders ä as "i" a
    third of the time teaches that to the ambiguous words of the same document."""
    weight = ADAPT_WEIGHT if weight is None else weight
    prior = _prior_channel()
    counts: dict = {}
    totals: dict = {}
    for subs in evidence:
        for unit, target in subs:
            if target in SWEDISH_SPECIAL:
                counts[(unit, target)] = counts.get((unit, target), 0) + 1
                totals[target] = totals.get(target, 0) + 1
    channel = dict(prior)
    for (unit, target), logp in prior.items():
        if target in SWEDISH_SPECIAL:
            p = (counts.get((unit, target), 0) + weight * 10**logp) / (totals.get(target, 0) + weight)
            channel[(unit, target)] = math.log10(p)
    return channel


def _is_lower_word(token: str) -> bool:
    return bool(token) and token.isalpha() and token[0].islower()


def _standalone_one(prev: str, next_: str) -> bool:
    """Does a "1" between `prev` and `next_` read as the preposition "i"?"""
    if not _is_lower_word(prev) or not next_ or not next_.isalpha():
        return False
    if _fold(prev) in _ONE_PREV_BLOCK_FOLDED:
        return False
    if next_[0].islower():
        return _fold(next_) not in _ONE_NEXT_BLOCK_FOLDED
    # "1 Örnsköldsvik": a capitalized place name reads right after "i" as well.
    lex = _lexicon()
    low = next_.lower()
    if low in lex.places:
        return True
    return any(w in lex.places for w, _ in _candidates(low)[:1])


_ONE_NEXT_BLOCK_FOLDED = frozenset(_fold(w) for w in _ONE_NEXT_BLOCK)
_ONE_PREV_BLOCK_FOLDED = frozenset(_fold(w) for w in _ONE_PREV_BLOCK)


def is_domain_word(word: str) -> bool:
    """A word of the domain lexicon: a party, place or Finsam term (data/sv_domain_words.txt)."""
    return word.lower() in _domain_words()


@functools.lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common a word is in Swedish (Zipf scale: 1 rare … 7 "och"); place names and
    Finsam words of the domain lexicon count as common."""
    from wordfreq import zipf_frequency  # Swedish word frequencies, shipped inside the package (offline)

    return max(zipf_frequency(word.lower(), "sv"), 4.0 if is_domain_word(word) else 0.0)


def is_swedish_word(word: str) -> bool:
    return zipf(word) >= 1.0


def repair_word(word: str, prev: str = "", next: str = "") -> str:
    """Repair one token; `prev`/`next` are the neighbouring words (as printed), if any.

    Numbers, URLs' parts and abbreviations come back unchanged; so does a word when the
    choice is undecidable. The word is taken to come from an OCR that lost å/ä/ö (use
    repair_text for whole texts, which checks that first).
    """
    if word == "1":
        return _token_rule(word, "i") if _standalone_one(prev, next) else word
    if not _repairable(word):
        return word
    repaired = _decide(word, prev, next).form
    if repaired == word.lower():
        return word
    return _match_case(word, repaired)


# --------------------------------------------------------------------------- text


def _tokens(text: str) -> list[tuple[str, int, int, str]]:
    """(token, start, end, kind) for every word and "|" token of `text`."""
    return [(m.group(), m.start(), m.end(), m.lastgroup) for m in _TOKEN_RE.finditer(text)]


# What a Swedish OCR model writes for å/ä/ö when it loses them: the letter without its
# dots or ring (Å → A, ä → a, ö → o), or a character outside a–z (é, õ, a digit, another
# of å/ä/ö: "Processtéd", "f6r"). It reads "i" as "i": a word it read with an "i" where
# the repair would put an "ä" is the author's ("individeriktade" as printed).
UNDOTTED = {"å": "a", "ä": "a", "ö": "o"}


def lost_dots_only(original: str, repaired: str) -> bool:
    """Is every letter `repaired` changes in `original` one that a Swedish OCR model
    misreads an å/ä/ö as (`UNDOTTED`, or a character outside a–z)? False when the repair
    changes the word's length."""
    if len(original) != len(repaired):
        return False
    return all(old == new or (new.lower() in UNDOTTED and (
        old.lower() == UNDOTTED[new.lower()] or not (old.isascii() and old.isalpha())))
        for old, new in zip(original, repaired))


def has_swedish_letters(text: str) -> bool:
    """True when å/ä/ö occur at a rate that an OCR which lost them cannot produce."""
    letters = sum(c.isalpha() for c in text)
    special = sum(text.lower().count(c) for c in SWEDISH_SPECIAL)
    return letters > 0 and special / letters >= DIACRITIC_RATE_CLEAN


def find_repairs(text: str, mode: str = "auto", adapt: bool = True) -> list[Repair]:
    """Every change the repair makes to `text`, in order, with offsets into `text`.

    mode: "ocr" = the text comes from an OCR that lost å/ä/ö: full repair; "auto" =
    "ocr" unless the text already has å/ä/ö at a normal Swedish rate
    (has_swedish_letters), in which case nothing is changed: its letters survived, and
    what looks damaged there is a name, a foreign word or a typo of the author. Call it
    per page when a document mixes typed and scanned pages. `adapt`: re-estimate the
    OCR channel on this text (adapted_channel) before deciding the ambiguous words.
    """
    if mode not in ("auto", "ocr"):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "auto" and has_swedish_letters(text):
        return []
    skip = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
    tokens = _tokens(text)
    jobs = []  # (token index, prev index, next index, head) of the word tokens to decide
    repairs: list[Repair] = []
    for i, (tok, start, end, kind) in enumerate(tokens):
        if any(a <= start < b for a, b in skip):
            continue
        p = _neighbour(text, tokens, i, -1)
        n = _neighbour(text, tokens, i, +1)
        next_ = tokens[n][0] if n is not None else ""
        if kind == "bar":
            if _bar_is_capital_i(text, start, next_):
                repairs.append(Repair(tok, _token_rule(tok, "I"), start, end, "standalone-bar"))
        elif tok == "1":
            p = _neighbour(text, tokens, i, -1, comma=True)  # "i kraft, 1 dagligt tal"
            if _standalone_one(tokens[p][0] if p is not None else "", next_):
                repairs.append(Repair(tok, _token_rule(tok, "i"), start, end, "standalone-1"))
        elif _repairable(tok):
            jobs.append((i, p, n, bool(re.match(r"-\s", text[end : end + 2]))))

    def word(j: int | None, forms: dict) -> str:
        return "" if j is None else forms.get(j, tokens[j][0])

    # Pass 1 with the table's channel. Its confident repairs re-estimate the channel for
    # this document, and its repaired words serve as context; pass 2 decides again.
    first = {i: _decide(tokens[i][0], word(p, {}), word(n, {}), h) for i, p, n, h in jobs}
    channel = adapted_channel(d.evidence for d in first.values() if d.evidence) if adapt else None
    forms = {i: d.form for i, d in first.items()}
    for i, p, n, head in jobs:
        tok, start, end, _ = tokens[i]
        decision = _decide(tok, word(p, forms), word(n, forms), head, channel)
        if decision.form != tok.lower():
            repairs.append(Repair(tok, _match_case(tok, decision.form), start, end, decision.reason))
    repairs.sort(key=lambda r: r.start)
    return repairs


def _token_rule(token: str, default: str) -> str:
    """What a standalone token reads as, by the confusion table's token rules."""
    return _confusions().token.get(token, (default, 0.0))[0]


def _neighbour(text: str, tokens: list, i: int, step: int, comma: bool = False) -> int | None:
    """Index of the word next to token i when only spaces or one line break (and, with
    `comma`, a comma) separate them, else None (a tab separates table cells, not words)."""
    j = i + step
    if not 0 <= j < len(tokens) or tokens[j][3] != "word":
        return None
    between = text[tokens[i][2] : tokens[j][1]] if step > 0 else text[tokens[j][2] : tokens[i][1]]
    pattern = r",? *\n? *" if comma else r" *\n? *"
    return j if between and re.fullmatch(pattern, between) else None


def _bar_is_capital_i(text: str, start: int, next_: str) -> bool:
    """A lone "|" starting a sentence before a lower-case word reads as "I"."""
    if not _is_lower_word(next_):
        return False
    before = text[:start].rstrip(" \t")
    return before == "" or before.endswith(("\n", ".", "!", "?", ":"))


def apply_repairs(text: str, repairs: Iterable[Repair]) -> str:
    """`text` with the given repairs applied (they must not overlap)."""
    out: list[str] = []
    pos = 0
    for rep in sorted(repairs, key=lambda r: r.start):
        out.append(text[pos : rep.start])
        out.append(rep.repaired)
        pos = rep.end
    out.append(text[pos:])
    return "".join(out)


def repair_text(text: str, mode: str = "auto", adapt: bool = True) -> str:
    """`text` with lost å/ä/ö restored; white space and punctuation are kept exactly."""
    return apply_repairs(text, find_repairs(text, mode, adapt))
