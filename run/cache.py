"""The per-document cache: one file per document in `DIR/.cache/`, named by the SHA-256
of the file's bytes and the pipeline version, written atomically when the document is
done. A re-run skips every file whose entry is there; a code change (the version holds a
digest of the package's code and data) or a changed file misses it and is extracted
again. The parent process alone writes here, so a killed worker cannot corrupt an entry,
and a killed run leaves at worst a stray temporary file, removed on the next run.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import pickle
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterator, Optional

from models import DocumentResult
from publish.files import atomic_file

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("extract", "normalize", "models", "run")
CODE_SUFFIXES = (".py", ".c", ".csv", ".txt", ".json")
CACHE_DIR = ".cache"
ENTRY_SUFFIX = ".pickle"
OUTPUTS_MANIFEST = "outputs.json"  # what the last run wrote, and from what


class CacheBusyError(Exception):
    """Another finsam run holds the output directory's cache."""


@dataclass
class Entry:
    """A finished document as the cache keeps it; `source_file` is the name it had when
    extracted (the same bytes may come back under another name)."""
    source_file: str
    result: DocumentResult
    exit_code: int


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks (memory stays flat for any size)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """The package version and a digest of every code and data file of finsam: any change
    to what finsam would extract gives another version, so old entries are not used."""
    try:
        version = metadata.version("finsam")
    except metadata.PackageNotFoundError:
        version = "0"
    digest = hashlib.sha256()
    files = [ROOT / "pipeline.py"] + sorted(
        p for d in CODE_DIRS for p in (ROOT / d).rglob("*")
        if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:12]}"


def entry_key(sha256: str, settings: str) -> str:
    """The cache file name of a document: its bytes, the code, and the settings that
    change what is extracted (OCR on or off, the size limits)."""
    tag = hashlib.sha256(f"{pipeline_version()}|{settings}".encode()).hexdigest()[:12]
    return f"{sha256}-{tag}"


class Cache:
    """The entries of one output directory."""

    def __init__(self, out: Path):
        self.folder = out / CACHE_DIR

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{ENTRY_SUFFIX}"

    @contextmanager
    def locked(self) -> Iterator["Cache"]:
        """Hold the directory for this run: two runs writing one dataset would each
        drop the other's documents. The lock dies with the process, even on kill -9.
        Temporary files of a killed run are removed once the lock is held."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CacheBusyError(f"{self.folder.parent}: another finsam run is writing here") from None
            for stray in list(self.folder.glob("*.tmp")) + list(self.folder.parent.rglob(".*.tmp")):
                stray.unlink(missing_ok=True)
            yield self

    def load(self, key: str) -> Optional[Entry]:
        """The entry, or None when there is none (or it cannot be read: then it is
        extracted again, never trusted)."""
        try:
            with self._path(key).open("rb") as handle:
                entry = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # an entry from an incompatible finsam: a miss
            return None
        return entry if isinstance(entry, Entry) else None

    def store(self, key: str, entry: Entry) -> None:
        """Write the entry to a temporary file, flush it to disk and rename it into place:
        a reader sees the whole entry or none."""
        with atomic_file(self._path(key)) as tmp:
            with tmp.open("wb") as handle:
                pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def outputs_current(self, run_key: str) -> bool:
        """Whether the output directory holds, byte for byte, what the last run wrote
        from the same inputs (`run_key`): then there is nothing to write again. A file
        removed or edited since is found by its digest."""
        try:
            manifest = json.loads((self.folder / OUTPUTS_MANIFEST).read_text(encoding="utf-8"))
            return manifest["run"] == run_key and all(
                file_digest(self.folder.parent / name) == digest for name, digest in manifest["files"].items())
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def record_outputs(self, run_key: str, files: list[str]) -> None:
        """Remember the inputs of this run and the digest of each output it wrote."""
        manifest = {"run": run_key, "files": {name: file_digest(self.folder.parent / name) for name in files}}
        with atomic_file(self.folder / OUTPUTS_MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def prune(self, keep: set[str]) -> int:
        """Remove the entries this run did not use (files removed from the archive, old
        versions): the cache mirrors the dataset. Returns how many were removed."""
        removed = 0
        for path in self.folder.glob(f"*{ENTRY_SUFFIX}"):
            if path.name[:-len(ENTRY_SUFFIX)] not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
