"""The engines that run a batch's tasks: in this process, a local process pool, or a Dask cluster.

Every engine takes an iterator of tasks and yields each task's manifest entry as it finishes, with at most
`window` tasks in flight, so neither the listing nor the results are ever all in memory.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from redactor.batch import worker
from redactor.errors import RedactorError

# A task whose worker died this many times is recorded as lost, not tried again (it may be what kills it).
MAX_ATTEMPTS = 3


def _lost(task: dict, config: dict, why: str) -> dict:
    return {
        "index": task["index"],
        "input": task["name"],
        "output": None,
        "status": "error",
        "kind": "WorkerLost",
        "error": why,
        "params": config["params"],
    }


def run_inline(tasks: Iterable[dict], config: dict) -> Iterator[dict]:
    for task in tasks:
        yield worker.process(task, config)


# One BLAS/OpenMP thread per worker process, as Dask's nanny sets for its workers: two processes on two
# cores must not each start a pool of numerical threads. Set before the model's libraries are imported.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def _init_process(config: dict) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    for k, v in ONE_THREAD.items():
        os.environ.setdefault(k, v)
    worker.warm(config)


def run_local(tasks: Iterable[dict], config: dict, workers: int, window: int) -> Iterator[dict]:
    """A pool of `workers` processes, each of which loads the model once (its initializer)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # no inherited threads or state; what Dask does too
    it = iter(tasks)
    attempts: dict[int, int] = {}
    retry: list[dict] = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_process, initargs=(config,))
    pending: dict = {}
    try:
        while True:
            while len(pending) < window:
                task = retry.pop() if retry else next(it, None)
                if task is None:
                    break
                pending[pool.submit(worker.process, task, config)] = task
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken = True
                    attempts[task["index"]] = attempts.get(task["index"], 0) + 1
                    if attempts[task["index"]] >= MAX_ATTEMPTS:
                        yield _lost(task, config, "its worker process died every time it was tried")
                    else:
                        retry.append(task)
            if broken:
                # Every task still in the broken pool is lost with it: try them again in a new pool.
                for task in pending.values():
                    attempts[task["index"]] = attempts.get(task["index"], 0) + 1
                    retry.append(task)
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(
                    max_workers=workers, mp_context=ctx, initializer=_init_process, initargs=(config,)
                )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# --------------------------------------------------------------------------------------------- Dask
def _plugin(config: dict):
    from redactor.batch.dask_plugin import RedactorPlugin

    return RedactorPlugin({k: config.get(k) for k in ("policy", "policy_dir", "ocr")})


# What the LocalCluster changes in Dask's defaults, and why (each measured: bench/batch.py, README "Batches"):
# - the workers' statistical profiler is off: it samples the task thread 100 times a second;
# - no MALLOC_TRIM_THRESHOLD_=65536 in the workers' environment (Dask's default): with it, glibc hands
#   freed memory back to the system after every large free, and a release (spaCy, reportlab) then costs
#   six times the page faults and four times the system time of the same work in a local pool's process;
# - no work stealing: at most two tasks per worker thread are in flight, so there is nothing to balance,
#   and the scheduler (in the client's process, beside the workers on the same cores) does less;
# - the periodic checks less often: the event loop's tick (20 ms), the system monitor (500 ms, the
#   dashboard's figures) and the memory monitor (100 ms). An idle cluster of 2 workers then costs about
#   14 ms of CPU a second instead of 75 (the client's process 8 instead of 37, each worker 3 instead of 18).
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.limit": "30s",
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def dask_client(scheduler: str | None, workers: int, *, profile: bool = False, config: dict | None = None):
    """A client of the cluster at `scheduler`, or of a new LocalCluster of `workers` processes; with
    `config`, each new worker loads that configuration's model as it starts."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RedactorError("the Dask engine needs the batch extra: pip install 'foia-redactor[batch]'") from None
    if scheduler:
        return Client(scheduler, timeout=30), None
    # Processes, one thread each: the work is Python and holds the GIL, so threads in one process would
    # take turns.
    import dask

    settings = {**DASK_CONFIG, "distributed.worker.profile.enabled": profile}
    environ = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    settings["distributed.nanny.pre-spawn-environ"] = {
        k: v for k, v in environ.items() if k != "MALLOC_TRIM_THRESHOLD_"
    }
    # A nanny sets its variables in its own process, here, before it spawns a worker, and leaves them set:
    # after any other LocalCluster in this process the workers would inherit Dask's value from us.
    dasks = environ.get("MALLOC_TRIM_THRESHOLD_")
    if dasks is not None and os.environ.get("MALLOC_TRIM_THRESHOLD_") == str(dasks):
        del os.environ["MALLOC_TRIM_THRESHOLD_"]
    with dask.config.set(settings):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            silence_logs=40,
            plugins=(_plugin(config),) if config is not None else (),
        )
    return Client(cluster), cluster


# A Dask task carries several documents, so the scheduler's round trip is shared among them: as many as
# take about TASK_SECONDS (from the documents finished so far), between 1 and MAX_CHUNK.
TASK_SECONDS = 1.0
MAX_CHUNK = 16


def chunk_size(seconds_per_document: float | None) -> int:
    if not seconds_per_document:
        return 2  # the first tasks: small, so every worker starts at once and the estimate comes soon
    return max(1, min(MAX_CHUNK, round(TASK_SECONDS / seconds_per_document)))


def tail_chunk(size: int, remaining: int, window: int) -> int:
    """Once the listing is exhausted, the last documents are shared out in smaller tasks (about `window`
    of them for what is left), so no worker sits idle while another finishes a long last task."""
    return max(1, min(size, -(-remaining // window)))


def run_dask(
    tasks: Iterable[dict],
    config: dict,
    *,
    scheduler: str | None,
    workers: int,
    window: int,
    client=None,
    chunk: int = 0,
) -> Iterator[dict]:
    """Chunks of documents per Dask task (`chunk`, or 0: sized as chunk_size() says), at most `window`
    tasks in flight (default: 2 per worker thread), a new one submitted as each finishes. The results are
    fetched by the client's event loop as they finish (as_completed with_results), not one call at a time."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    own = client is None
    cluster = None
    if own:
        client, cluster = dask_client(scheduler, workers)
    try:
        client.register_plugin(_plugin(config))
        if window <= 0:
            n = max(1, sum(client.nthreads().values()))
            window = 2 * n
        it = iter(tasks)
        # The next documents, listed ahead of their tasks: when the listing ends, what is left is known.
        ahead: deque[dict] = deque()
        room = window * MAX_CHUNK
        run = os.urandom(4).hex()
        byfuture: dict = {}
        seconds = documents = 0.0

        def submit() -> object | None:
            ahead.extend(itertools.islice(it, room - len(ahead)))
            size = chunk or chunk_size(seconds / documents if documents else None)
            if len(ahead) < room:  # the listing is exhausted
                size = tail_chunk(size, len(ahead), window)
            group = [ahead.popleft() for _ in range(min(size, len(ahead)))]
            if not group:
                return None
            key = f"redact-{group[0]['index']}-{run}"
            fut = client.submit(worker.process_many, group, config, pure=False, key=key)
            byfuture[fut.key] = group
            return fut

        first = [f for f in (submit() for _ in range(window)) if f is not None]
        ac = as_completed(first, with_results=True, raise_errors=False)
        for fut, result in ac:
            group = byfuture.pop(fut.key)
            if fut.status == "finished":
                entries = result
            elif isinstance(fut.exception(), KilledWorker):
                entries = [_lost(t, config, "its Dask worker died every time it was tried") for t in group]
            else:  # a scheduler-side failure of one task, not the batch
                kind = type(fut.exception()).__name__
                entries = [{**_lost(t, config, "the Dask task failed"), "kind": kind} for t in group]
            fut.release()
            for e in entries:
                if e.get("seconds") is not None:
                    seconds += e["seconds"]
                    documents += 1
            nxt = submit()
            if nxt is not None:
                ac.add(nxt)
            yield from entries
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
