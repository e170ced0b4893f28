"""Index reports into a corpus store: walk files, folders and .zip archives, review what is new
or changed in a process pool, and write the results from this (the only writing) process.

    from fazhi.corpus.index import index_paths
    result = index_paths(["各单位报告/", "2024.zip"], "corpus.db", jobs=2)
    result.indexed, result.unchanged, result.failed

Keys: a file is stored under its absolute path, an archive member as
"/abs/archive.zip!folder/report.docx". A source is skipped when its key is stored with the
same sha256 of its bytes and the same fazhi version (unless force=True); records whose error
may go away on a retry (RETRY_CODES) are reviewed again. Results are committed in small
batches (at most BATCH_SIZE reports or BATCH_SECONDS); a killed run loses at most the
uncommitted batch, never part of a report, and the next run completes it. Workers read and
hash the files not stored yet (the writing process reads only those it must compare with
what is stored, and archives) and return store.Record rows (record_job: the review already
JSON-encoded, as UTF-8 bytes), so the writing process only inserts. The reports' full-text (FTS5) rows are not written with them but in bulk
(Store.complete_fts), while the pool waits for its workers and at the end of the run; a run
killed before that leaves them pending, and the next `fazhi index` or `fazhi search` adds them.

Archives: one level (a .zip inside a .zip is recorded as failed, not opened); members with a
supported extension are read, others ignored; member names with absolute paths or ".." are
refused; sizes, counts, compression ratios and the total unpacked size are capped.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
import threading
import time
import zipfile
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from fazhi.api import check, check_bytes
from fazhi.corpus.store import Record, Store, StoreError, make_record
from fazhi.ingest import EXTENSIONS, LIMITS, read_regular
from fazhi.model import IngestError

if TYPE_CHECKING:
    from fazhi.config import Config

BATCH_SIZE = 500
BATCH_SECONDS = 1.0  # without the FTS rows a commit is cheap: small batches keep the pool fed while this process writes
POOL_CHUNK = 16  # jobs per pool task
INFLIGHT = 4  # pool tasks in flight per worker: work queued while this process writes
FTS_IDLE_SLICE = 250  # full-text rows added at a time while waiting for the workers (Writer.idle)
CHUNK_BYTES = 16 * 1024 * 1024  # archive member bytes per pool task, at most (one large member may exceed it)
RETRY_CODES = frozenset({"internal-error", "worker-crashed", "converter-missing", "convert-failed", "unreadable"})
MAX_MEMBERS = 20_000  # members looked at in one archive
MAX_ARCHIVE_BYTES = 4 * 1024**3  # total unpacked bytes read from one archive
MAX_RATIO = 200  # compression ratio above which a large member is treated as a zip bomb


@dataclass(slots=True)
class Failure:
    path: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


@dataclass(slots=True)
class IndexResult:
    indexed: int = 0  # reviewed and stored without a read error
    unchanged: int = 0  # already stored with the same bytes
    failed: list[Failure] = field(default_factory=list)  # recorded with their error (missing arguments are not stored)
    missing: int = 0  # arguments that named nothing
    skipped: list[str] = field(default_factory=list)  # files in folders that are not reports by their extension
    unreadable: int = 0  # of the unchanged, those stored with a read error (they still fail)

    def to_dict(self) -> dict[str, Any]:
        return {"indexed": self.indexed, "unchanged": self.unchanged, "failed": [f.to_dict() for f in self.failed]}


@dataclass(slots=True)
class Source:
    key: str  # the stored path
    file: str | None = None  # a file on disk
    archive: str | None = None  # or a member of this archive
    member: zipfile.ZipInfo | None = None
    error: tuple[str, str] | None = None  # (code, message) known before reading


# -- finding the sources -----------------------------------------------------------------


def iter_sources(
    paths: Iterable[str | os.PathLike[str]], missing: list[Failure] | None = None, skipped: list[str] | None = None
) -> Iterator[Source]:
    """Every report under `paths` once (files, folders, .zip members), in a stable order; files
    in folders that are not reports by their extension go to `skipped`."""
    seen: set[str] = set()

    def fresh(src: Source) -> bool:
        if src.key in seen:
            return False
        seen.add(src.key)
        return True

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            if missing is not None:
                missing.append(Failure(str(raw), "not-found", f"找不到文件或文件夹：{raw}"))
            continue
        p = p.resolve()
        if p.is_dir():
            # Strings, not Path objects (a tenth of a millisecond per file on big corpora);
            # sorted by path components, which is the order sorted(Path, ...) gives.
            found: list[tuple[list[str], str]] = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    suffix = os.path.splitext(f)[1].lower()
                    if not f.startswith((".", "~$")) and (suffix in EXTENSIONS or suffix == ".zip"):
                        full = os.path.join(root, f)
                        found.append((full.split(os.sep), full))
                    elif skipped is not None and not f.startswith((".", "~$")):
                        skipped.append(os.path.join(root, f))
            found.sort()
            for _, f in found:
                if not f.lower().endswith(".zip"):
                    src = Source(f, file=f)
                    if fresh(src):
                        yield src
                    continue
                for src in _file_or_archive(Path(f)):
                    if fresh(src):
                        yield src
        else:
            for src in _file_or_archive(p):
                if fresh(src):
                    yield src


def _file_or_archive(p: Path) -> Iterator[Source]:
    if p.suffix.lower() == ".zip":
        yield from _archive_members(p)
    else:
        yield Source(str(p), file=str(p))


def _archive_members(p: Path) -> Iterator[Source]:
    key = str(p)
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or "文件损坏或不是 zip 格式"
        yield Source(key, error=("corrupt-archive", f"无法打开压缩包：{reason}"))
        return
    if len(infos) > MAX_MEMBERS:
        yield Source(key, error=("too-many-members", f"压缩包内文件过多（{len(infos)} 个），只处理前 {MAX_MEMBERS} 个"))
        infos = infos[:MAX_MEMBERS]
    for info in infos:
        if info.is_dir():
            continue
        name = _member_name(info)
        parts = PurePosixPath(name.replace("\\", "/")).parts
        base = parts[-1] if parts else ""
        if not parts or base.startswith((".", "~$")) or parts[0] == "__MACOSX":
            continue
        suffix = PurePosixPath(base).suffix.lower()
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield Source(f"{key}!{name}", error=("unsafe-path", "压缩包内的文件名含有“..”或绝对路径，出于安全考虑不读取"))
            continue
        member_key = f"{key}!{'/'.join(parts)}"
        if suffix in (".zip", ".rar", ".7z"):
            yield Source(member_key, error=("nested-archive", "压缩包内的压缩包不会展开，请解压后单独索引"))
        elif suffix in EXTENSIONS:
            yield Source(member_key, archive=key, member=info)


def archive_reports(path: str | os.PathLike[str]) -> Iterator[tuple[str, "bytes | None", "tuple[str, str] | None"]]:
    """(key, bytes, None) for every report in a .zip, or (key, None, (code, message)) for a
    member (or the archive) that cannot be read: the archive rules of `fazhi index`, for
    commands that read an archive without indexing it (`fazhi check x.zip`)."""
    archives = _Archives()
    try:
        for src in _archive_members(Path(path)):
            if src.error is not None:
                yield src.key, None, src.error
                continue
            try:
                yield src.key, archives.member(src.archive or "", src.member), None  # type: ignore[arg-type]
            except IngestError as exc:
                yield src.key, None, (exc.code, exc.message)
    finally:
        archives.close()


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names from Chinese Windows zips are GBK without the UTF-8 flag; zipfile decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


# -- reading and reviewing ---------------------------------------------------------------


class _Archives:
    """Keeps the last opened archive (sources of one archive come together) and its budget."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.zf: zipfile.ZipFile | None = None
        self.read = 0

    def member(self, archive: str, info: zipfile.ZipInfo) -> bytes:
        if self.path != archive:
            self.close()
            self.zf = zipfile.ZipFile(archive)
            self.path, self.read = archive, 0
        assert self.zf is not None
        if info.flag_bits & 0x1:
            raise IngestError("encrypted", "压缩包内的文件已加密，无法读取")
        limit = LIMITS.max_file_bytes
        if info.file_size > limit:
            raise IngestError("too-large", f"文件过大（{info.file_size / 1048576:.0f} MB），超过上限 {limit // 1048576} MB")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise IngestError("zip-bomb", "压缩比异常，疑似压缩炸弹，已拒绝读取")
        if self.read + info.file_size > MAX_ARCHIVE_BYTES:
            raise IngestError("too-large", "压缩包解压后的总大小超过上限，其余文件未读取")
        try:
            with self.zf.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise IngestError("corrupt", f"压缩包内的文件已损坏，无法解压（{type(exc).__name__}）") from None
        if len(data) > limit:
            raise IngestError("too-large", f"文件过大，超过上限 {limit // 1048576} MB")
        self.read += len(data)
        return data

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()
        self.zf, self.path = None, None


def _read_file(path: str) -> bytes:
    try:
        return read_regular(path)
    except IngestError as exc:
        if exc.code == "not-found":
            raise IngestError("not-found", f"找不到文件：{path}（可能已被移走）") from None
        raise


# (key, sha256, file on disk or None, its bytes, suffix): the bytes and sha256 are None for a
# file the writing process did not read (one not stored yet), which the worker reads and hashes.
Job = tuple[str, "str | None", "str | None", "bytes | None", str]
_CONFIG: "Config | None" = None


def _init_worker(config: "Config | None", parent: int | None = None) -> None:
    global _CONFIG
    _CONFIG = config
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


def _die_with_parent(parent: int | None) -> None:
    """Make this worker exit when the indexing process dies, however it dies (SIGKILL, SIGTERM,
    a crash): on Linux the kernel sends SIGTERM at the parent's death (PR_SET_PDEATHSIG);
    elsewhere a daemon thread polls the parent's pid. Without it, workers of a killed run go on
    for minutes with parent 1."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if parent is not None and os.getppid() != parent:  # died before the signal was armed
        os._exit(1)
    if parent is not None and not sys.platform.startswith("linux"):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _check_bytes(data: bytes, name: str, config: "Config | None") -> Any:
    return check_bytes(data, name, config)


def review_job(job: Job, config: "Config | None" = None) -> tuple[str, "str | None", dict[str, Any], str]:
    """The pure stage a worker runs: (key, sha256, review dict, normalized text). A file the
    writing process did not read (one not stored yet) is read and hashed here."""
    key, sha, file, data, _ = job
    cfg = config if config is not None else _CONFIG
    if data is None:
        try:
            data = _read_file(file or key)
        except IngestError as exc:
            return key, None, error_review(key, exc.code, exc.message), ""
        sha = hashlib.sha256(data).hexdigest()
    try:
        review = _check_bytes(data, key, cfg)
        result = review.to_dict()
        text = review.document.text if review.document is not None else ""
    except Exception as exc:  # check_bytes() does not raise; this guards to_dict()
        result = error_review(key, "internal-error", f"处理时发生内部错误（{type(exc).__name__}），请将文件反馈给开发者")
        text = ""
    result["path"] = key
    return key, sha, result, text


def record_job(job: Job, config: "Config | None" = None) -> Record:
    """review_job() flattened into the rows the store inserts (JSON encoded here, in the
    worker, rather than in the single writing process; also much smaller to pickle)."""
    return make_record(*review_job(job, config))


def crash_record(job: Job, message: str) -> Record:
    """The record of a job whose worker died: a worker-crashed error, with the sha256 of the
    file as a finished review would have it."""
    key, sha, file, _, _ = job
    if sha is None and file is not None:
        try:
            sha = hashlib.sha256(_read_file(file)).hexdigest()
        except IngestError:
            pass
    return make_record(key, sha, error_review(key, "worker-crashed", message), "")


def error_review(key: str, code: str, message: str) -> dict[str, Any]:
    fmt = EXTENSIONS.get(PurePosixPath(key).suffix.lower())
    return {"path": key, "format": fmt, "error": {"code": code, "message": message}, "metadata": None, "parts": [], "findings": []}


def _run_alone(job: Job, config: "Config | None") -> Record:
    """Review one job in a fresh single process; a crash there is the job's own fault."""
    with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(config, os.getpid())) as pool:
        try:
            return pool.submit(record_job, job).result()
        except BrokenProcessPool:
            return crash_record(job, "处理该文件时程序异常退出（文件可能损坏，或内存不足），已跳过")


# -- the run -----------------------------------------------------------------------------

Runner = Callable[[Iterator[Job], "Writer", "Config | None", "Progress | None"], None]


class Writer:
    """Buffers results and commits them in batches; every report is all-or-nothing.

    The reports' full-text rows are not written with them (FTS5's trigram index is most of a
    write's cost): they are marked pending and added in bulk by fill_fts(), which the pool
    calls while it waits for its workers and index_paths() calls at the end. A run killed
    before that leaves pending reports that the next `fazhi index` or `fazhi search` adds."""

    def __init__(self, store: Store, result: IndexResult):
        self.store = store
        self.result = result
        self.pending: list[Record] = []
        self.since = 0.0
        self.unindexed = store.fts_missing()  # committed reports without their FTS rows

    def add(self, key: str, sha: str | None, review: dict[str, Any], text: str) -> None:
        self.add_record(make_record(key, sha, review, text))

    def add_record(self, rec: Record) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(rec)
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.store.put_records(batch, fts=False)
        self.unindexed += len(batch)
        for rec in batch:
            err = rec.error
            if err:
                self.result.failed.append(Failure(rec.path, err[0], err[1]))
            else:
                self.result.indexed += 1

    def idle(self) -> bool:
        """Called by an engine that has no result to collect: add a slice of full-text rows if
        enough are pending (True), rather than just wait (False)."""
        if self.unindexed < FTS_IDLE_SLICE:
            return False
        self.fill_fts(FTS_IDLE_SLICE)
        return True

    def fill_fts(self, limit: int | None = None) -> int:
        """Add up to `limit` (default all) pending full-text rows; returns how many."""
        if not self.unindexed:
            return 0
        n = self.store.complete_fts(limit)
        self.unindexed = self.unindexed - n if limit is not None and n >= limit else 0
        return n


def index_paths(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    jobs: int | None = None,
    progress: bool = False,
    config: "Config | None" = None,
    force: bool = False,
    timeout: float = 5.0,
    runner: "Runner | None" = None,
) -> IndexResult:
    """Review every report under `paths` that is not stored yet (or changed) into `db`.

    jobs: worker processes (default os.cpu_count(); 1 reviews in this process).
    runner: another engine, called as runner(jobs, writer, config, bar) with the iterator of
        jobs still to review; it must hand every result to writer.add_record() (a record_job()
        result) or writer.add() (a review_job() result) and call advance(bar) per result (the
        Dask engine is one).
    Raises StoreError when the database cannot be written (nothing committed is lost)."""
    result = IndexResult()
    missing: list[Failure] = []
    sources = list(iter_sources(paths, missing, result.skipped))
    result.failed.extend(missing)
    result.missing = len(missing)
    jobs = max(1, jobs or os.cpu_count() or 1)
    with Store.open(db, timeout=timeout) as store:
        known = {} if force else store.fingerprints()
        writer = Writer(store, result)
        bar = Progress(len(sources)) if progress else None
        try:
            _run(sources, known, store.fazhi_version, writer, jobs, config, bar, runner)
            writer.flush()
            writer.fill_fts()
        except BaseException:
            try:
                writer.flush()  # on Ctrl-C or a failed worker pool: keep what is done (the
            except StoreError:  # next index or search adds its full-text rows)
                pass
            raise
        finally:
            if bar is not None:
                bar.stop()
    return result


def _run(sources: list[Source], known: dict[str, Any], version: str, writer: Writer, jobs: int,
         config: "Config | None", bar: "Progress | None", runner: "Runner | None" = None) -> None:
    archives = _Archives()

    def jobs_to_do() -> Iterator[Job]:
        def failed(src: Source, code: str, message: str) -> None:
            old = known.get(src.key)
            if old is not None and old[0] is None and old[1] == version and old[2] == code and code not in RETRY_CODES:
                writer.result.unchanged += 1  # the same failure as last time: nothing to write
                writer.result.unreadable += 1
            else:
                writer.add(src.key, None, error_review(src.key, code, message), "")
            advance(bar)

        for src in sources:
            if src.error is not None:
                failed(src, *src.error)
                continue
            old = known.get(src.key)
            if src.file and old is None:  # not stored: the worker reads and hashes it
                yield (src.key, None, src.file, None, PurePosixPath(src.key).suffix)
                continue
            try:
                data = _read_file(src.file) if src.file else archives.member(src.archive or "", src.member)  # type: ignore[arg-type]
            except IngestError as exc:
                failed(src, exc.code, exc.message)
                continue
            sha = hashlib.sha256(data).hexdigest()
            if old is not None and old[0] == sha and old[1] == version and old[2] not in RETRY_CODES:
                writer.result.unchanged += 1
                writer.result.unreadable += old[2] is not None  # unchanged, and still unreadable
                advance(bar)
                continue
            yield (src.key, sha, src.file, data, PurePosixPath(src.key).suffix)

    try:
        if runner is not None:
            runner(jobs_to_do(), writer, config, bar)
        elif jobs == 1:
            for job in jobs_to_do():
                writer.add_record(record_job(job, config))
                advance(bar)
        else:
            _run_pool(jobs_to_do(), writer, jobs, config, bar)
    finally:
        archives.close()


def record_chunk(chunk: list[Job], config: "Config | None" = None) -> list[Record]:
    """What a pool task runs: record_job() over a few jobs (one task per file costs the
    writing process more in pool bookkeeping than the inserts themselves)."""
    return [record_job(job, config) for job in chunk]


def _chunks(todo: Iterator[Job], size: int) -> Iterator[list[Job]]:
    """Jobs in chunks of at most `size`, and at most CHUNK_BYTES of archive member bytes."""
    chunk: list[Job] = []
    held = 0
    for job in todo:
        chunk.append(job)
        held += len(job[3] or b"")
        if len(chunk) >= size or held >= CHUNK_BYTES:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _run_pool(todo: Iterator[Job], writer: Writer, jobs: int, config: "Config | None", bar: "Progress | None") -> None:
    _warm_up()
    limit = jobs * INFLIGHT  # chunks in flight: bounds memory while keeping workers busy
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config, os.getpid()))
    inflight: dict[Future[Any], list[Job]] = {}
    chunks = _chunks(todo, POOL_CHUNK)
    exhausted = False
    try:
        while True:
            while not exhausted and len(inflight) < limit:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                inflight[pool.submit(record_chunk, chunk)] = chunk
            if not inflight:
                break
            done, _ = wait(inflight, timeout=0, return_when=FIRST_COMPLETED)
            if not done and writer.idle():
                continue
            if not done:
                done, _ = wait(inflight, timeout=BATCH_SECONDS, return_when=FIRST_COMPLETED)
            if not done:
                writer.flush()  # keep committing while a slow file is being read
                continue
            broken = False
            for fut in done:
                chunk = inflight.pop(fut)
                try:
                    records = fut.result()
                except BrokenProcessPool:
                    inflight[fut] = chunk
                    broken = True
                    continue
                for rec in records:
                    writer.add_record(rec)
                    advance(bar)
            if broken:
                # A worker died (a crash in a reader, or killed for memory): find the culprit by
                # reviewing every job that was in flight alone, then go on with a new pool.
                suspects = [job for chunk in inflight.values() for job in chunk]
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for job in suspects:
                    writer.add_record(_run_alone(job, config))
                    advance(bar)
                pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config, os.getpid()))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    """Import the pipeline once here so forked workers start with it loaded."""
    try:
        check("关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n正文。")
    except Exception:
        pass


class Progress:
    """A rich progress bar on stderr with rate and ETA."""

    def __init__(self, total: int):
        # rich loads slowly; only when printing to a terminal
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("索引"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("已用"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            auto_refresh=False,  # no refresh thread: worker processes are forked while it runs
        )
        self.task = self.progress.add_task("index", total=total, rate="")
        self.last = 0.0
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)
        now = time.monotonic()
        if now - self.last >= 0.1:
            self.last = now
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, rate=f"{speed:.0f} 份/秒" if speed else "")
            self.progress.refresh()

    def stop(self) -> None:
        self.progress.refresh()
        self.progress.stop()


def advance(bar: Progress | None) -> None:
    if bar is not None:
        bar.advance()
