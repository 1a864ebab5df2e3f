"""Records and the output schema of finsam."""
from models.records import (  # noqa: F401
    Check, Column, ColumnMeaning, Contribution, DocumentMeta, DocumentResult, Fact, Line,
    PageReading, Segment, Table, TableRow, TaggedSpan, TextBlock, Word,
)
