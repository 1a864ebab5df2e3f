"""Text clean-up shared by every stage that keeps printed words: NFC, one space between
words, markup-free. (Repair of OCR-damaged Swedish letters is a stage of its own.)"""
from __future__ import annotations

import re
import unicodedata


def repair_text(text: str) -> str:
    """NFC-compose, collapse any run of white space (incl. no-break) to one space, and
    drop trailing tokens that hold no letter, digit, star or percent sign (scan specks,
    rule remnants: "Övrigt* =.")."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text).strip()
    return re.sub(r"(\s+[^\w\s*%)]+)+$", "", text)


_SUSPENDED = re.compile(r"^(och|eller|samt|till|resp\.?|respektive)\b", re.I)


def join_wrapped(head: str, tail: str) -> str:
    """Join a label wrapped over two lines the way it reads on one line.

    A line that ends in a slash goes on without a space ("Processtöd/" + "biträdande").
    A hyphen before "och"/"eller" is a Swedish suspended compound and keeps its space
    ("Rese-" + "och logikostnader"); before a capital it is a real hyphen ("Dals-" +
    "Ed"); after an acronym it stays ("ESF-" + "projekt"); otherwise it is a line-end
    hyphenation and goes ("förbunds-" + "chef" → "förbundschef").
    """
    head, tail = head.rstrip(), tail.lstrip()
    if not head or not tail:
        return head + tail
    if head.endswith("/"):
        return head + tail
    if head.endswith(("-", "\u00ad")) and len(head) > 1 and head[-2].isalpha():
        if _SUSPENDED.match(tail):
            return f"{head} {tail}"
        word = re.split(r"[\s/]", head[:-1])[-1]
        if tail[0].isupper() or word.isupper():
            return head[:-1] + "-" + tail
        return head[:-1] + tail
    return f"{head} {tail}"


def fold(text: str) -> str:
    """Comparable form of a name or a line: NFC, lower case, "&" as "och", single spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("&", "och")
    return re.sub(r"\s+", " ", text).strip()
