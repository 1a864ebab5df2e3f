"""Where the tasks run: a pool of local worker processes (the default) or a Dask
distributed cluster. Both offer the same three calls (submit, wait for the first done,
close) and run the same task functions of `run.work`; results come back to the parent,
which alone writes files.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import signal
from typing import Any, Callable, Iterable, Protocol

PR_SET_PDEATHSIG = 1
CONNECT_TIMEOUT_S = 30.0  # to reach the scheduler and see its first worker


class Executor(Protocol):
    slots: int  # tasks that can run at once

    def submit(self, fn: Callable, *args: Any) -> Any: ...

    def wait_first(self, futures: Iterable[Any], timeout: float) -> set: ...

    def close(self) -> None: ...


def _init_local_worker() -> None:
    """A local worker: Tesseract on one thread (the pool parallelizes over pages), Ctrl-C
    left to the parent, and death with the parent: after kill -9 of the run no worker
    lingers to hold CPU (Linux; elsewhere workers end when their queue closes)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


class LocalExecutor:
    """`jobs` worker processes on this machine."""

    def __init__(self, jobs: int):
        self.slots = max(1, jobs)
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.slots, initializer=_init_local_worker)

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        try:
            return self._pool.submit(fn, *args)
        except cf.process.BrokenProcessPool:  # a worker was killed (out of memory?): start afresh
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def wait_first(self, futures: Iterable[cf.Future], timeout: float) -> set:
        done, _ = cf.wait(list(futures), timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return done

    def close(self) -> None:
        """Stop the workers. Every document has its outcome by now, so a task still
        running belongs to one that timed out: its worker is ended, not waited for."""
        processes = list((self._pool._processes or {}).values())  # no public way to end a busy worker
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()


class DaskExecutor:
    """The workers of a Dask distributed scheduler at `address` (tcp://HOST:PORT). The
    workers need finsam (and Tesseract) installed, and the input files at the same path
    (a shared file system)."""

    def __init__(self, address: str, connect_timeout: float = CONNECT_TIMEOUT_S):
        from distributed import Client

        self._client = Client(address, timeout=connect_timeout)
        self._client.wait_for_workers(1, timeout=connect_timeout)
        self.slots = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn: Callable, *args: Any) -> Any:
        return self._client.submit(fn, *args, pure=False)

    def wait_first(self, futures: Iterable[Any], timeout: float) -> set:
        from distributed import wait

        try:
            done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return set(done)

    def close(self) -> None:
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
