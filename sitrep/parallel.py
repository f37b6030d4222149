"""Run per-document work away from the writer: a process pool on this machine, or a Dask cluster.

Both take batches of work and give back `(batch, result)` in the order the batches came, holding
only a bounded window of them in flight (`WINDOW_PER_WORKER` per worker), so memory does not grow
with the corpus and a slow document holds up storing, never reading. Storing is left to the
caller: one writer, in input order. Nothing here knows what the work is (`sitrep.pipeline` does).
"""
from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import SitrepError

log = logging.getLogger(__name__)
B = TypeVar("B")
R = TypeVar("R")

# Two batches per worker: one running, one queued, so a worker never waits for the writer.
WINDOW_PER_WORKER = 2
# Modules the pool's fork server imports once, so each worker starts with spaCy imported (about 1.5 s)
# and only loads the models; forking from a server, not from this process, keeps a progress bar's
# thread or an open database connection out of the workers.
POOL_PRELOAD = ["sitrep.pipeline"]
SCHEDULER_TIMEOUT_S = 30


def map_in_pool(fn: Callable[..., R], batches: Iterable[B], *, jobs: int,
                initializer: Callable[..., None] | None = None,
                initargs: Sequence[Any] = ()) -> Iterator[tuple[B, R]]:
    """`fn(batch)` for each batch in `jobs` worker processes, each set up once by `initializer(*initargs)`."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(POOL_PRELOAD)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer, initargs=tuple(initargs))
    try:
        yield from _in_order(pool.submit, fn, batches, WINDOW_PER_WORKER * jobs)
    except BrokenProcessPool as e:
        raise SitrepError(f"a worker process stopped before finishing its documents ({e}): out of memory, or "
                          f"killed. What was stored before stays; run again with fewer --jobs (re-ingesting "
                          f"skips what is stored).") from e
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def map_on_cluster(fn: Callable[..., R], batches: Iterable[B], *, scheduler: str,
                   shared: object = None) -> Iterator[tuple[B, R]]:
    """`fn(batch, shared)` for each batch on the Dask cluster at `scheduler`; `shared` is sent to each
    worker once, not with every batch."""
    try:
        from distributed import Client
    except ImportError as e:
        raise SitrepError(f"--engine dask needs Dask's distributed package ({e}); install the optional extra: "
                          f"pip install 'sitrep[dask]'.") from e
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise SitrepError(f"cannot reach the Dask scheduler at {scheduler} ({e}). Check the address "
                          f"(tcp://host:8786) and that the scheduler is running with workers.") from e
    try:
        threads = sum(client.nthreads().values()) or 1
        (shared_future,) = client.scatter([shared], broadcast=True)  # a list: scatter splits a bare set
        log.info("%s: %d worker threads", scheduler, threads)
        yield from _in_order(lambda f, batch: client.submit(f, batch, shared_future, pure=False), fn, batches,
                             WINDOW_PER_WORKER * threads)
    except SitrepError:
        raise
    except Exception as e:
        from distributed import KilledWorker  # a worker died on a task more often than the scheduler allows
        if isinstance(e, (KilledWorker, OSError, TimeoutError)):
            raise SitrepError(f"the Dask cluster at {scheduler} failed ({type(e).__name__}: {e}). What was stored "
                              f"before stays; run again (re-ingesting skips what is stored).") from e
        raise
    finally:
        client.close()


def _in_order(submit: Callable[..., Future], fn: Callable[..., R], batches: Iterable[B],
              window: int) -> Iterator[tuple[B, R]]:
    """Keep `window` batches submitted; hand results back oldest first."""
    pending: deque[tuple[B, Future]] = deque()
    for batch in batches:
        pending.append((batch, submit(fn, batch)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
