"""Import an archive: hash every input, take finished documents from the cache, run the
rest on an executor, and rebuild the dataset from the current input set.

Files with the same bytes are extracted once: the others get the result under their own
name. The scheduler keeps `2 × slots` tasks in flight so no worker waits for the parent,
and gives the work of documents already started (their OCR pages, their last stage)
priority over starting new ones: the pages of one long scan spread over every worker, and
a document's pages are held in memory only while it is in progress. Each document may be
worked on for `--doc-timeout` seconds: its clock runs only while one of its tasks runs on
a worker (the executor says when a task began), never while it waits for one, so a long
queue times nothing out. One past its time is failed, its tasks are stopped (a local
worker is killed with its Tesseract) and its late results ignored. Every finished
document is cached at once, so a run killed at any moment loses at most the documents in
flight; the same command resumes.
"""
from __future__ import annotations

import dataclasses
import hashlib
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from extract.errors import DocumentTimeoutError, ExitCode
from extract.pages import OcrResult, ocr_page
from models import DocumentResult
from run.cache import Cache, CacheBusyError, Entry, entry_key, file_digest
from run.executors import Executor, make_executor
from run.work import (Outcome, Pending, Settings, failure, finish_document, start_document,
                      tesseract_version)

IN_FLIGHT_PER_SLOT = 2
MAX_WAIT_S = 5.0


@dataclass
class Document:
    """One input file on its way through the run."""
    path: Path
    source_file: str
    sha256: str = ""
    key: str = ""
    pending: Optional[Pending] = None
    ocr_results: dict[int, OcrResult] = field(default_factory=dict)
    outcome: Optional[Outcome] = None
    cached: bool = False
    same_as: Optional["Document"] = None  # the file with the same bytes that was extracted
    # its clock: the seconds one of its tasks ran on a worker, up to `running_since` when
    # `running` of them run now
    worked: float = 0.0
    running: int = 0
    running_since: float = 0.0

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    def task_began(self, at: float) -> None:
        if not self.running:
            self.running_since = at
        self.running += 1

    def task_ended(self, at: float) -> None:
        self.running -= 1
        if not self.running:
            self.worked += at - self.running_since

    def time_left(self, timeout: float, now: float) -> float:
        """Seconds it may still be worked on: its clock stands while none of its tasks runs."""
        return timeout - self.worked - (now - self.running_since if self.running else 0.0)


@dataclass
class Task:
    """A call sent to the executor for a document; `began` once a worker has taken it."""
    doc: Document
    fn: Callable
    args: tuple
    began: bool = False


def progress_line(result: DocumentResult, cached: bool = False, same_as: str = "") -> str:
    """The one line printed for a finished document (failed ones print their error);
    `same_as` names the file with the same bytes whose result it took."""
    note = " (cached)" if cached else f" (same bytes as {same_as}, not extracted again)" if same_as else ""
    if result.status == "failed":
        return f"finsam: error: {result.error}{note}"
    failed = sum(c.status == "fail" for c in result.checks)
    word = "cached" if cached else "same" if same_as else result.status
    return (f"{word:7} {result.source_file}: {result.meta.document_type} {result.meta.period_year or '?'}, "
            f"{result.meta.federation_name or 'federation unknown'}; {result.pages} pages, "
            f"{len(result.facts)} facts, {len(result.checks)} checks ({failed} failed)"
            + (f", {result.ocr_pages} pages OCR'd" if result.ocr_pages else "")
            + (f"; {result.status}: {result.error}" if note and result.error else
               f"; {result.error}" if result.error else "")
            + (f"; same bytes as {same_as}, not extracted again" if same_as else ""))


def renamed(result: DocumentResult, source_file: str) -> DocumentResult:
    """A result under another name its bytes have (a renamed or copied file)."""
    if result.source_file == source_file:
        return result
    error = result.error.replace(result.source_file, source_file)
    return dataclasses.replace(result, source_file=source_file, error=error)


def run_documents(docs: list[Document], executor: Executor, settings: Settings,
                  on_done: Callable[[Document], None], when_idle: Callable[[], None] = lambda: None) -> None:
    """Run every document's tasks on the executor until each has an outcome;
    `when_idle()` is called once, when the parent's own work would cost the workers no
    time: at once when the executor leaves the parent a core (`spare_core`), else when a
    worker first has nothing to do and nothing waits to be sent (at the end of a run, or
    at once for fewer documents than workers)."""
    idle_called = False
    fresh = deque(docs)
    urgent: deque[Task] = deque()
    in_flight: dict[Any, Task] = {}

    def finish(doc: Document, outcome: Outcome) -> None:
        doc.outcome, doc.pending, doc.ocr_results = outcome, None, {}
        on_done(doc)

    def note_beginnings(now: float) -> None:
        """Start the clock of the documents whose tasks a worker has taken since."""
        for future, task in in_flight.items():
            if not task.began:
                at = executor.started(future)
                if at is not None or future.done():  # done unseen (a Dask event still on its way)
                    task.began = True
                    task.doc.task_began(now if at is None else at)

    while fresh or urgent or in_flight:
        while len(in_flight) < executor.slots * IN_FLIGHT_PER_SLOT and (urgent or fresh):
            if urgent:
                task = urgent.popleft()
            else:
                doc = fresh.popleft()
                task = Task(doc, start_document, (str(doc.path), doc.source_file, doc.doc_id, settings))
            if task.doc.outcome is None:  # not timed out meanwhile
                in_flight[executor.submit(task.fn, *task.args)] = task
        if not idle_called and (executor.spare_core or (not (fresh or urgent) and len(in_flight) < executor.slots)):
            idle_called = True
            when_idle()
        now = time.monotonic()
        note_beginnings(now)
        soonest = min((t.doc.time_left(settings.doc_timeout, now) for t in in_flight.values() if t.doc.running),
                      default=float("inf"))
        wait = min(MAX_WAIT_S, max(0.05, soonest))
        done = executor.wait_first(in_flight, wait)
        now = time.monotonic()
        note_beginnings(now)
        for future in done:
            task = in_flight.pop(future)
            doc = task.doc
            doc.task_ended(now)
            if doc.outcome is not None:
                continue  # a late result of a document that timed out
            try:
                value = future.result()
            except Exception as exc:  # the worker died under the task
                finish(doc, failure(doc.path, doc.source_file, doc.doc_id, exc))
                continue
            if isinstance(value, Outcome):
                finish(doc, value)
            elif isinstance(value, Pending):
                doc.pending = value
                urgent.extend(Task(doc, ocr_page, (page,)) for page in value.todo)
            else:
                doc.ocr_results[task.args[0].number] = value
                if len(doc.ocr_results) == len(doc.pending.todo):
                    # after the pages already waiting: a page may hold up its document's
                    # last stage, a last stage holds up nothing, and at the end of a run
                    # the last stages then fill the workers once the last pages are read
                    urgent.append(Task(doc, finish_document, (
                        str(doc.path), doc.source_file, doc.doc_id, settings, doc.pending, doc.ocr_results)))
        now = time.monotonic()
        for future, task in list(in_flight.items()):
            doc = task.doc
            if doc.outcome is None and doc.time_left(settings.doc_timeout, now) < 0:
                finish(doc, failure(doc.path, doc.source_file, doc.doc_id, DocumentTimeoutError(
                    f"{doc.source_file}: timed out after {settings.doc_timeout:g} s (--doc-timeout); "
                    "it is tried again on the next run")))
            if doc.outcome is not None:
                executor.stop(future)  # its work, waiting or running, is of no use now
                in_flight.pop(future)


def cache_tag(settings: Settings, executor: Executor) -> str:
    """The cache tag of the run: its settings and the Tesseract of the workers (on Dask,
    that of the worker machines, not of this one; every version there if they differ)."""
    versions = sorted(set(executor.everywhere(tesseract_version))) if settings.ocr else []
    return settings.cache_tag(",".join(versions))


def outputs_key(docs: Sequence[Document], excel: bool) -> str:
    """The inputs of a run's outputs: each file's name and cache entry (its bytes, the
    code and the settings), and the output options."""
    text = "\n".join(f"{doc.source_file}\0{doc.key}" for doc in sorted(docs, key=lambda d: d.source_file))
    return hashlib.sha256(f"{text}\n{excel}".encode()).hexdigest()


def import_archive(files: Sequence[tuple[Path, str]], out: Path, settings: Settings, jobs: int,
                   executor_kind: str = "local", scheduler: Optional[str] = None,
                   quiet: bool = False, excel: bool = False) -> int:
    """The `extract` command over its input files; returns the exit code."""
    from pipeline import load_writer, write_dataset

    cache = Cache(out)
    docs = [Document(path, source_file) for path, source_file in files]
    counts = {"cached": 0, "extracted": 0, "same": 0}
    copies: dict[str, list[Document]] = {}  # key → the other files with the bytes of one being extracted

    def report(doc: Document) -> None:
        if doc.cached:
            counts["cached"] += 1
        elif doc.same_as:
            counts["same"] += 1
        else:
            counts["extracted"] += 1
            if doc.outcome.cacheable and doc.key:
                cache.store(doc.key, Entry(doc.source_file, doc.outcome.result, int(doc.outcome.exit_code)))
        result = doc.outcome.result
        if result.status == "failed" or not quiet:
            print(progress_line(result, doc.cached, doc.same_as.source_file if doc.same_as else ""),
                  file=sys.stderr, flush=True)
        for copy in copies.pop(doc.key, []):
            copy.outcome = dataclasses.replace(doc.outcome, result=renamed(result, copy.source_file))
            report(copy)

    try:
        with cache.locked():
            executor = make_executor(executor_kind, jobs, scheduler)
            try:
                todo, extracting, tag = [], {}, cache_tag(settings, executor)
                for doc in docs:
                    try:
                        doc.sha256 = file_digest(doc.path)
                    except OSError as exc:
                        doc.outcome = failure(doc.path, doc.source_file, "", exc)
                        report(doc)
                        continue
                    doc.key = entry_key(doc.sha256, tag)
                    entry = cache.load(doc.key)
                    if entry is not None:
                        doc.cached = True
                        doc.outcome = Outcome(renamed(entry.result, doc.source_file), ExitCode(entry.exit_code))
                        report(doc)
                    elif doc.key in extracting:
                        doc.same_as = extracting[doc.key]
                        copies.setdefault(doc.key, []).append(doc)
                    else:
                        extracting[doc.key] = doc
                        todo.append(doc)
                run_documents(todo, executor, settings, report, when_idle=load_writer)
            finally:
                executor.close()
            results = [doc.outcome.result for doc in docs]
            run_key = outputs_key(docs, excel)
            unchanged = all(doc.cached for doc in docs) and cache.outputs_current(run_key)
            if not unchanged:
                cache.record_outputs(run_key, write_dataset(results, out, excel))
            cache.prune({doc.key for doc in docs if doc.key})
    except CacheBusyError as exc:
        print(f"finsam: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args
    except KeyboardInterrupt:
        print("finsam: interrupted; finished documents are kept in the cache: "
              "run the same command again to go on", file=sys.stderr)
        return 130
    if not quiet:
        statuses = [r.status for r in results]
        print(f"finsam: {len(results)} files: {statuses.count('ok')} ok, {statuses.count('partial')} partial, "
              f"{statuses.count('failed')} failed ({counts['cached']} from the cache, "
              f"{counts['extracted']} extracted"
              + (f", {counts['same']} with the same bytes as another file" if counts["same"] else "")
              + f"); {sum(len(r.facts) for r in results)} facts "
              + (f"in {out}/, which is up to date: nothing written" if unchanged else f"written to {out}/"),
              file=sys.stderr)
    codes = [doc.outcome.exit_code for doc in docs]
    if len(codes) == 1:
        return int(codes[0])
    return int(ExitCode.ok if all(c == ExitCode.ok for c in codes) else ExitCode.partial)
