"""Where the tasks run: a pool of local worker processes (the default) or a Dask
distributed cluster. Both offer the same calls (submit, wait for the first done, when a
task began on a worker, stop a task, run a function where the workers are, close) and
run the same task functions of `run.work`; results come back to the parent, which alone
writes files.
"""
from __future__ import annotations

import concurrent.futures as cf
import gc
import multiprocessing
import os
import signal
import time
import uuid
import weakref
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait as wait_ready
from multiprocessing.process import BaseProcess
from typing import Any, Callable, Iterable, Optional, Protocol

PR_SET_PDEATHSIG = 1
CONNECT_TIMEOUT_S = 30.0  # to reach the scheduler and see its first worker


class Executor(Protocol):
    slots: int  # tasks that can run at once
    # the parent has a core of its own: what it does takes no time from the workers
    # (fewer local workers than this machine's cores)
    spare_core: bool

    def submit(self, fn: Callable, *args: Any) -> Any: ...

    def wait_first(self, futures: Iterable[Any], timeout: float) -> set: ...

    def started(self, future: Any) -> Optional[float]:
        """When the task began on a worker (this process's time.monotonic()), None
        while it waits for one."""

    def stop(self, future: Any) -> None:
        """Abandon a task: a waiting one never runs, a running one is ended where the
        executor can end it."""

    def everywhere(self, fn: Callable[[], Any]) -> list:
        """`fn()` run where the tasks run: one result per worker machine or process."""

    def close(self) -> None: ...


class WorkerLostError(Exception):
    """A local worker process died under its task (killed, out of memory)."""


WORKER_EXIT_S = 10  # seconds an idle worker has to end its Tesseracts when the run is over
# A worker's cyclic garbage collector looks at its young objects after this many more
# allocations than frees (Python's default: 700). pdfplumber allocates so much that with
# the default the collector ran some 3 200 times over the 153 typed fixture pages, 24 of
# them full collections that walk every object the worker keeps (spaCy's, the
# lexicon's): 2.5 s of 14 s in one process. Objects freed by their count still go at
# once; only garbage in reference cycles waits longer, and peak memory stayed the same
# on the fixtures.
WORKER_GC_THRESHOLD = (50_000, 20, 100)


def _init_local_worker() -> None:
    """A local worker: Tesseract on one thread (the pool parallelizes over pages), a
    garbage collector tuned to pages (`WORKER_GC_THRESHOLD`), Ctrl-C left to the parent,
    and no Tesseract that outlives it.

    The worker leads a session of its own, so the Tesseract it starts is in its process
    group, and whatever ends a worker ends the group: the parent kills the group (a
    document's timeout, the end of the run), and the parent's death (even kill -9) comes
    as SIGTERM through PR_SET_PDEATHSIG (Linux; elsewhere workers end when their pipe
    closes), which the worker answers by killing its group. A catchable signal is needed
    for that: SIGKILL would end the worker and leave its Tesseract running. The handler
    runs at once, also while the worker waits for Tesseract; the worker's running
    Tesseracts (`extract.ocr.TesseractStream`) are its children, in its group."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.setsid()
    signal.signal(signal.SIGTERM, _end_own_group)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # the parent died before prctl
        _end_own_group()


def _end_own_group(*_: Any) -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _serve(conn: Connection) -> None:
    """A local worker's loop: run each task it is sent, send back the result or the
    exception, until the run is over (and the worker ends its running Tesseracts as it
    leaves: `extract.ocr.tesseract_stream`)."""
    _init_local_worker()
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the parent is gone
            return
        if task is None:  # the run is over
            return
        fn, args = task
        try:
            reply = (True, fn(*args))
        except Exception as exc:
            reply = (False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # a result or exception that cannot be pickled
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    """A local worker process, the parent's end of its pipe, and the task it runs."""
    process: BaseProcess
    conn: Connection
    task: Optional[cf.Future] = None


class LocalExecutor:
    """`jobs` worker processes on this machine, started when there is work. Each task is
    sent to an idle worker, so the parent knows when it began and which process runs it,
    and can end that process alone (concurrent.futures' pool can do neither: it queues
    tasks where the parent cannot see them, and the end of one of its workers fails every
    task in flight). Tasks beyond the idle workers wait here, in order."""

    def __init__(self, jobs: int):
        from extract.pages import default_jobs  # this machine's cores

        self.slots = max(1, jobs)
        self.spare_core = self.slots < default_jobs()
        self._context = multiprocessing.get_context()
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[cf.Future, Callable, tuple]] = deque()
        self._began: weakref.WeakKeyDictionary[cf.Future, float] = weakref.WeakKeyDictionary()

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        self._queue.append((future, fn, args))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Send waiting tasks to idle workers, starting workers up to `slots`."""
        while self._queue:
            worker = next((w for w in self._workers if w.task is None), None)
            if worker is None:
                if len(self._workers) == self.slots:
                    return
                worker = self._start_worker()
            elif not worker.process.is_alive():  # died while idle (out of memory?)
                self._end(worker)
                continue
            future, fn, args = self._queue.popleft()
            if not future.set_running_or_notify_cancel():
                continue  # stopped while it waited
            try:
                worker.conn.send((fn, args))
            except Exception as exc:  # arguments that cannot be pickled, a worker just died
                future.set_exception(exc)
                continue
            worker.task, self._began[future] = future, time.monotonic()

    def _start_worker(self) -> _Worker:
        conn, child_conn = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child_conn,), daemon=True, name="finsam-worker")
        process.start()
        child_conn.close()  # the worker's end lives in the worker alone: its death is EOF here
        worker = _Worker(process, conn)
        self._workers.append(worker)
        return worker

    def _end(self, worker: _Worker) -> None:
        """Kill a worker and its process group (its Tesseract), and forget it."""
        for kill in (lambda: os.killpg(worker.process.pid, signal.SIGKILL),  # the group it leads
                     worker.process.kill):  # and itself, should it not lead one yet
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        worker.process.join()
        worker.conn.close()
        self._workers.remove(worker)

    def wait_first(self, futures: Iterable[cf.Future], timeout: float) -> set:
        futures = list(futures)
        end = time.monotonic() + timeout
        while True:
            self._dispatch()  # to the workers freed since the last call, or by stop()
            done = {f for f in futures if f.done()}
            busy = [w for w in self._workers if w.task is not None]
            left = end - time.monotonic()
            if done or not busy or left <= 0:
                return done
            ready = set(wait_ready([w.conn for w in busy] + [w.process.sentinel for w in busy], left))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._collect(worker)

    def _collect(self, worker: _Worker) -> None:
        """Take a busy worker's reply; a worker that died without one fails its task."""
        future, worker.task = worker.task, None
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            self._end(worker)
            ok, value = False, WorkerLostError(
                f"a worker process died under the task (exit code {worker.process.exitcode})")
        except Exception as exc:  # a reply that cannot be unpickled
            ok, value = False, exc
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def started(self, future: cf.Future) -> Optional[float]:
        # a task is sent only to an idle worker: it began when it was sent
        return self._began.get(future)

    def stop(self, future: cf.Future) -> None:
        """A waiting task is dropped; a running one ends with its worker and the worker's
        Tesseract (another worker is started when there is work)."""
        if future.cancel():
            return
        worker = next((w for w in self._workers if w.task is future), None)
        if worker is not None:
            self._end(worker)
            future.set_exception(cf.CancelledError())

    def everywhere(self, fn: Callable[[], Any]) -> list:
        # the workers are this process's children: the same machine, programs and environment
        return [fn()]

    def close(self) -> None:
        """End every worker. Every document has its outcome by now (or the run was
        interrupted), so a task still running belongs to none that is waited for."""
        for future, _, _ in self._queue:
            future.cancel()
        self._queue.clear()
        told = []
        for worker in self._workers:
            if worker.task is None:  # idle: told the run is over, it cleans up and ends
                try:
                    worker.conn.send(None)
                    told.append(worker)
                except OSError:
                    pass  # it died while idle
        deadline = time.monotonic() + WORKER_EXIT_S
        for worker in told:  # all at once: each ends its Tesseracts while the others do
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in list(self._workers):
            self._end(worker)


def _announced(topic: str, fn: Callable, *args: Any) -> Any:
    """A task on a Dask worker that first tells the client it has begun."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(topic, worker.get_current_task())
    return fn(*args)


class DaskExecutor:
    """The workers of a Dask distributed scheduler at `address` (tcp://HOST:PORT). The
    workers need finsam (and Tesseract) installed, and the input files at the same path
    (a shared file system). Each task tells the client when it begins (a Dask event), as
    the scheduler may hold it back or queue it on a busy worker."""

    def __init__(self, address: str, connect_timeout: float = CONNECT_TIMEOUT_S):
        from distributed import Client

        self._client = Client(address, timeout=connect_timeout)
        self._client.wait_for_workers(1, timeout=connect_timeout)
        self.slots = max(1, sum(self._client.nthreads().values()))
        self.spare_core = False  # the workers may be on this machine (a LocalCluster)
        self._topic = f"finsam-task-began-{uuid.uuid4().hex}"
        self._began: dict[str, float] = {}
        # called on the client's event loop thread as each event arrives
        self._client.subscribe_topic(self._topic, lambda event: self._began.setdefault(event[1], time.monotonic()))

    def submit(self, fn: Callable, *args: Any) -> Any:
        return self._client.submit(_announced, self._topic, fn, *args, pure=False)

    def wait_first(self, futures: Iterable[Any], timeout: float) -> set:
        from distributed import wait

        try:
            done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return set(done)

    def started(self, future: Any) -> Optional[float]:
        return self._began.get(future.key)

    def stop(self, future: Any) -> None:
        """Dask cannot interrupt a running task: it runs to its end on its worker (an OCR
        page within --page-timeout), its result unused."""
        future.cancel()

    def everywhere(self, fn: Callable[[], Any]) -> list:
        return list(self._client.run(fn).values())

    def close(self) -> None:
        self._client.unsubscribe_topic(self._topic)
        self._client.close()


def make_executor(kind: str, jobs: int, scheduler: str | None) -> Executor:
    """The executor the command line asks for."""
    if kind == "dask":
        if not scheduler:
            raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
        try:
            return DaskExecutor(scheduler, CONNECT_TIMEOUT_S)
        except ImportError as exc:
            raise ValueError("--executor dask needs Dask: pip install 'finsam[dask]'") from exc
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"cannot reach a Dask scheduler with workers at {scheduler} ({exc})") from exc
    return LocalExecutor(jobs)
