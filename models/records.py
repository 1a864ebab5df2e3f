"""Plain records that flow between the stages of finsam.

page → words → lines → blocks (tables / text) → facts → dataset. Every record is a frozen
or plain dataclass with no behaviour beyond small derived properties, so that stages
stay pure functions of their inputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Word:
    """One word of a page as the text layer (or OCR) gives it, in PDF points."""
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int  # 1-based
    size: float = 10.0
    bold: bool = False
    confidence: float = 100.0  # OCR's word confidence (0–100); 100 for a text layer

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Segment:
    """A run of words on one line with only word spacing inside (a cell or a phrase)."""
    text: str
    x0: float
    x1: float
    words: tuple[Word, ...]

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline, split into segments at column-sized gaps."""
    page: int
    top: float
    bottom: float
    segments: tuple[Segment, ...]
    size: float = 10.0
    bold: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


@dataclass
class PageReading:
    """How one page was read, and the words it gave."""
    number: int
    width: float
    height: float
    words: list[Word]
    source: str                 # "text" or "ocr"
    decision: str               # why: text_good, no_text_layer, ocr_better, text_better, text_poor
    text_quality: Optional[float] = None
    ocr_quality: Optional[float] = None
    skew_degrees: float = 0.0
    turned_degrees: int = 0     # a scan lying on its side (or upside down), turned clockwise before OCR
    letters_repaired: int = 0
    error: str = ""
    word_count: int = 0         # kept when the words are dropped (run/work.py: lean results)
    # where an OCR'd page holds ink no word covers (x0, top, x1, bottom in PDF points): a
    # word Tesseract dropped, to be read again where it is a table's blank cell
    unread_ink: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class TableRow:
    """A row of a table: its label (wrapped lines joined), and its cells by column index."""
    label: str
    cells: dict[int, str]  # column index → printed cell text
    page: int
    top: float
    is_section: bool = False  # a group row with a label and no numbers
    # where each cell was printed (x0, top, x1, bottom in PDF points), to read it again
    # from a scan; and value-column text that read as no number ("LL 682", "Can")
    boxes: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)
    unread: dict[int, str] = field(default_factory=dict)


@dataclass
class Column:
    """A value column of a table, with its header text and where it sits."""
    index: int
    x0: float
    x1: float
    header: str = ""


@dataclass
class Table:
    """A table found on one or more pages."""
    table_id: str
    title: str
    caption: str  # text lines just above the table (units often live here)
    columns: list[Column]
    rows: list[TableRow]
    pages: list[int]
    header_label: str = ""  # the header text above the label column ("Belopp i kr.")
    context: str = ""       # the text above the table up to the previous one (its heading)


@dataclass
class TextBlock:
    """A paragraph or heading of running text."""
    text: str
    page: int
    top: float
    is_heading: bool = False


@dataclass(frozen=True)
class ColumnMeaning:
    """What a value column is about: fiscal year and measure."""
    year: Optional[int]
    measure: Optional[str]
    is_note_ref: bool = False  # a "Not" column holding note numbers, not values


@dataclass
class Fact:
    """One number of a financial or results table, with its provenance."""
    document_id: str
    federation_id: str
    table_id: str
    table_title: str
    page: int
    section: str
    row_label: str
    column_header: str
    category: str
    is_total: bool
    year: Optional[int]
    measure: Optional[str]
    printed: str
    unit: str
    value: float
    value_unit: str
    confidence: float
    source: str
    row_index: int = 0
    column_index: int = 0
    signed_value: float = 0.0  # the number with its printed sign, for arithmetic checks
    suspect: bool = False      # read by OCR or from a poor text layer: digits may be damaged
    reading: str = ""          # how the printed text was read, when it was repaired ("1 8OO" → "1 800")
    # the cell read again from the scan: its text, where that gave another number (with
    # its (signed_value, value), used only where the table's arithmetic confirms it) or
    # where the number is that second reading's (a cell OCR read as no number, or not at all)
    reread: str = ""
    reread_values: Optional[tuple[float, float]] = None


@dataclass
class Check:
    """One arithmetic check that the pipeline ran."""
    document_id: str
    table_id: str
    check: str
    subject: str
    year: Optional[int]
    measure: Optional[str]
    expected: float
    found: float
    status: str  # pass, fail, corrected
    message: str


@dataclass
class Contribution:
    """A member contribution (medlemsbidrag) of one party in one year."""
    document_id: str
    federation_id: str
    year: Optional[int]
    party_name: str
    party_type: str
    amount_sek: float
    source: str
    measure: Optional[str] = None


@dataclass(frozen=True)
class TaggedSpan:
    """A span the entity rules tagged, where it stands, and its normalized value."""
    document_id: str
    page: int
    label: str
    text: str
    normalized: str


@dataclass
class DocumentMeta:
    """What a document is: whose, which kind, which year, decided when."""
    federation_id: str = ""
    federation_name: str = ""
    org_nr: str = ""
    document_type: str = "other"
    period_year: Optional[int] = None
    decided_on: str = ""
    decided_evidence: str = ""  # the line the decision date was read from
    period_evidence: str = ""   # the line the document type and year were read from
    federation_known: bool = True


@dataclass
class DocumentResult:
    """Everything finsam got out of one input file."""
    document_id: str
    source_file: str
    meta: DocumentMeta
    pages: int = 0
    ocr_pages: int = 0
    status: str = "ok"
    error: str = ""
    error_class: str = ""  # for failed documents: one of extract.errors.ERROR_CLASSES
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    readings: list[PageReading] = field(default_factory=list)
    entities: list[TaggedSpan] = field(default_factory=list)
