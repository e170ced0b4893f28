"""The Dask engine for `fazhi index`: the same pure per-file stage (`index.review_job`) on a
Dask cluster, results written to the same store by this process, the only writer.

    from fazhi.corpus.dask_engine import index_with_dask
    index_with_dask(["各单位报告/"], "corpus.db")                         # a LocalCluster here
    index_with_dask(["/shared/reports/"], "corpus.db", scheduler="tcp://10.0.0.5:8786")

How it runs
- This process walks the sources, reads each file once to hash it (unchanged files are skipped
  exactly as in the pool path), and sends jobs to the cluster in chunks of `batch` files per
  task (one Dask task per file would make the scheduler the bottleneck). A file on disk travels
  as its path, so workers must see the same paths (a shared or replicated file system); an
  archive member travels as its bytes.
- At most `inflight` tasks are out at once, so memory stays bounded however large the corpus.
- Results are gathered as they complete and committed in batches through `index.Writer`:
  every report is all-or-nothing, a killed run loses at most the uncommitted batch and the
  next run resumes (content-addressed skipping does the rest). While no task has finished,
  this process adds committed reports' full-text rows (`Writer.idle`), the rest at the end.
- A chunk whose worker died (`KilledWorker`, lost connection) is split and each file retried
  alone; a file that kills its worker again is recorded as `worker-crashed`.
- Workers must run the same fazhi version as this process (checked before any work is sent),
  since the store stamps every record with this process's version.

`run_dask(todo, writer, config, bar, ...)` is an `index.Runner`: `index_paths(..., runner=...)`
walks, hashes and skips as usual and hands it the jobs still to review.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING, Any, Iterable

from fazhi.corpus.index import BATCH_SECONDS, IndexResult, Job, Progress, Writer, advance, crash_record, index_paths, record_job
from fazhi.corpus.store import Record
from fazhi.version import __version__

if TYPE_CHECKING:
    from fazhi.config import Config

BATCH = 32  # files per Dask task
CONNECT_TIMEOUT = "10s"
CRASH_MESSAGE = "处理该文件时 Dask 工作进程异常退出（文件可能损坏，或内存不足），已跳过"


class DaskEngineError(Exception):
    """The cluster cannot be used. `code` is stable; `message` is one line of Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def review_chunk(jobs: list[Job], config: "Config | None" = None) -> list[Record]:
    """What a Dask task runs: the pool's pure per-file stage over a few files, flattened into
    store records (JSON encoded on the worker, not by the single writer)."""
    return [record_job(job, config) for job in jobs]


def _worker_version() -> str:
    return __version__


def _client(scheduler: str | None, workers: int | None, stack: ExitStack) -> Any:
    """A Client on `scheduler`, or on a new LocalCluster of `workers` single-threaded processes."""
    try:
        # optional dependency (the dask extra), loaded only by --engine dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskEngineError("dask-missing", "未安装 Dask：请先运行 pip install 'fazhi[dask]'") from None
    try:
        if scheduler:
            client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=max(1, workers or os.cpu_count() or 1), threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=40,
            ))
            client = stack.enter_context(Client(cluster))
    except (OSError, TimeoutError) as exc:
        where = f"（{scheduler}）" if scheduler else ""
        raise DaskEngineError("scheduler-unreachable", f"无法连接 Dask 调度器{where}：{exc}") from None
    ours = _worker_version()
    theirs = client.run(_worker_version)
    wrong = sorted(f"{w}：{v}" for w, v in theirs.items() if v != ours)
    if not theirs:
        raise DaskEngineError("no-workers", "Dask 集群中没有工作进程")
    if wrong:
        raise DaskEngineError("version-mismatch", f"Dask 工作进程的 fazhi 版本与本机（{ours}）不同：{'；'.join(wrong)}")
    return client


def run_dask(
    todo: Iterable[Job],
    writer: Writer,
    config: "Config | None" = None,
    bar: Progress | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    batch: int = BATCH,
    inflight: int | None = None,
) -> None:
    """Review `todo` on a Dask cluster and hand every result to `writer` as it completes."""
    with ExitStack() as stack:
        client = _client(scheduler, workers, stack)  # DaskEngineError when Dask is missing
        # optional dependency (the dask extra), loaded only by --engine dask
        from distributed import TimeoutError as DaskTimeout
        from distributed import wait

        nworkers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = inflight or 4 * nworkers
        cfg = client.scatter(config, broadcast=True) if config is not None else None
        out: dict[Any, list[Job]] = {}
        retry: list[list[Job]] = []  # chunks to send again, one file each
        it = iter(todo)
        exhausted = False

        def submit(chunk: list[Job]) -> None:
            out[client.submit(review_chunk, chunk, cfg, pure=False)] = chunk

        while True:
            while len(out) < limit and (retry or not exhausted):
                if retry:
                    submit(retry.pop())
                    continue
                chunk = [job for _, job in zip(range(batch), it)]
                if len(chunk) < batch:
                    exhausted = True
                if chunk:
                    submit(chunk)
            if not out:
                break
            if not any(fut.done() for fut in out) and writer.idle():
                continue
            try:
                done = wait(list(out), timeout=BATCH_SECONDS, return_when="FIRST_COMPLETED").done
            except (DaskTimeout, TimeoutError):
                writer.flush()  # keep committing while a slow file is being read
                continue
            for fut in done:
                chunk = out.pop(fut)
                if fut.status == "finished":
                    results = fut.result()
                else:  # the worker died or the task was lost
                    if len(chunk) > 1:
                        retry.extend([job] for job in chunk)
                        fut.release()
                        continue
                    results = [crash_record(chunk[0], CRASH_MESSAGE)]
                fut.release()
                for result in results:
                    writer.add_record(result)
                    advance(bar)


def index_with_dask(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    scheduler: str | None = None,
    batch: int = BATCH,
    jobs: int | None = None,
    progress: bool = False,
    config: "Config | None" = None,
    force: bool = False,
    timeout: float = 5.0,
) -> IndexResult:
    """index_paths() with the reviews done on a Dask cluster (`scheduler` address, or a new
    LocalCluster of `jobs` workers). Raises DaskEngineError or StoreError."""

    runner = partial(run_dask, scheduler=scheduler, workers=jobs, batch=batch)
    return index_paths(paths, db, jobs=jobs, progress=progress, config=config, force=force, timeout=timeout, runner=runner)
