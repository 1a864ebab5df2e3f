"""A file written whole or not at all: the one way finsam writes its outputs and its
caches (the documents', the repair's lexicon), so that a run killed at any moment leaves
every file as it was or complete. Kept apart from `publish.store` so that the cache can
use it without loading pandas and DuckDB.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """A fresh temporary path next to `target`; renamed onto it when the block ends
    without error, removed otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # some writers (DuckDB) want to create the file themselves
    try:
        yield tmp
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as a plain open() would: mkstemp makes it private
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
