"""Text clean-up shared by every stage that keeps printed words: NFC, one space between
words, markup-free. (Repair of OCR-damaged Swedish letters is a stage of its own.)"""
from __future__ import annotations

import re
import unicodedata


def repair_text(text: str) -> str:
    """NFC-compose, and collapse any run of white space (incl. no-break) to one space."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text).strip()
