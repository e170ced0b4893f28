"""Legacy Word .doc and WPS .wps reader, through an external converter.

The binary formats are not parsed here. Their text is obtained from, in order of preference:

* LibreOffice (`soffice`): converts the file to .docx in a private temporary directory with a
  private profile; the .docx is then read by the docx reader, so paragraphs, tables and Word's
  automatic numbering all come through;
* antiword (`antiword -m UTF-8.txt -w 0`), else catdoc (`catdoc -d utf-8 -w`): plain text, one
  Block per non-empty output line (a paragraph, since line wrapping is off). Also tried for
  .wps, which WPS Office writes in Word's binary format; both tools refuse anything else.

Before any converter runs, the OLE2 compound file is inspected (a small reader below): an
encrypted OOXML package (what Word writes for a password-protected .docx) or a Word binary file
whose FIB says it is encrypted or obfuscated is refused as "encrypted". A .doc that is really a
web page (Word's "save as web page" named .doc) is handed to the HTML reader.

`find_converter` is the single place that looks for the tools, so tests can replace it.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fazhi.ingest.limits import LIMITS
from fazhi.ingest.ooxml_safe import corrupt, encrypted_error, is_ole2
from fazhi.model import Block, IngestError, RawDocument

# Where LibreOffice lives when it is installed but not on PATH.
_SOFFICE_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_NAMES = {"doc": "Word（.doc）", "wps": "WPS（.wps）"}


@dataclass(frozen=True, slots=True)
class Converter:
    kind: str  # "soffice" | "antiword" | "catdoc"
    path: str


def find_converter(fmt: str) -> Converter | None:
    """The best available converter for `fmt` ("doc" or "wps"), or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Converter("soffice", found)
    for place in _SOFFICE_PLACES:
        if os.path.isfile(place) and os.access(place, os.X_OK):
            return Converter("soffice", place)
    for name in ("antiword", "catdoc"):
        found = shutil.which(name)
        if found:
            return Converter(name, found)
    return None


def read(data: bytes, fmt: str) -> RawDocument:
    """Read a .doc or .wps given as bytes; raises IngestError for anything unreadable."""
    try:
        return _read(data, fmt)
    except IngestError:
        raise
    except Exception:  # never a traceback for a bad file
        raise corrupt(f".{fmt}") from None


def _read(data: bytes, fmt: str) -> RawDocument:
    # A .docx or .odt, or a web page, under a .doc name never arrives here: the dispatcher
    # (fazhi.ingest.read_bytes) sends it to its own reader.
    if not is_ole2(data):
        if not data.lstrip().startswith(b"{\\rtf"):
            raise corrupt(f".{fmt}", f"不是有效的 {_NAMES.get(fmt, fmt)} 文件")
    else:
        kind = ole_kind(data)
        if kind == "encrypted":
            raise encrypted_error()
        if kind == "invalid":
            raise corrupt(f".{fmt}", "复合文档结构无效")
    converter = find_converter(fmt)
    if converter is None:
        raise _missing(fmt)
    if converter.kind == "soffice":
        return _via_soffice(data, fmt, converter.path)
    if not is_ole2(data):  # RTF: only LibreOffice reads it
        raise IngestError(
            "converter-missing",
            f"该 .{fmt} 文件实际是 RTF 格式，读取需要 LibreOffice：请安装（如 apt-get install libreoffice-writer）后重试，或另存为 .docx",
        )
    return _via_text_tool(data, fmt, converter)


def _missing(fmt: str) -> IngestError:
    install = "请安装（如 apt-get install libreoffice-writer 或 antiword）后重试"
    if fmt == "wps":
        return IngestError(
            "converter-missing", f"读取 .wps 文件需要 LibreOffice 或 antiword：{install}，或用 WPS 另存为 .docx"
        )
    return IngestError("converter-missing", f"读取 .doc 文件需要 LibreOffice 或 antiword：{install}，或另存为 .docx")


def _failed(fmt: str, why: str) -> IngestError:
    return IngestError(
        "convert-failed", f"{_NAMES.get(fmt, fmt)} 文件转换失败（{why}），请用 Word/WPS 另存为 .docx 后重试"
    )


# --- converters -------------------------------------------------------------------------------


def _run(cmd: list[str], cwd: str, fmt: str) -> subprocess.CompletedProcess[bytes]:
    """Run a converter with the configured timeout, killing its whole process group on expiry."""
    try:
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        raise _failed(fmt, f"无法启动 {Path(cmd[0]).name}：{exc.strerror or exc}") from None
    try:
        out, err = proc.communicate(timeout=LIMITS.converter_timeout_s)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise _failed(fmt, f"超过 {LIMITS.converter_timeout_s:g} 秒仍未完成") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)  # the converter and any helper it started
        else:  # pragma: no cover - Windows
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _via_soffice(data: bytes, fmt: str, soffice: str) -> RawDocument:
    # a file in another format than its name says goes to that reader (the known ingest cycle, issue 13)
    from fazhi.ingest import docx

    with tempfile.TemporaryDirectory(prefix="fazhi-convert-") as tmp:
        work = Path(tmp)
        src = work / f"input.{fmt}"
        src.write_bytes(data)
        outdir = work / "out"
        cmd = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
            "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx", "--outdir", str(outdir), str(src),
        ]  # fmt: skip
        result = _run(cmd, tmp, fmt)
        produced = outdir / "input.docx"
        if not produced.is_file() or produced.stat().st_size == 0:
            why = f"LibreOffice 未生成结果，退出码 {result.returncode}"
            raise _failed(fmt, why)
        converted = produced.read_bytes()
    raw = docx.read(converted)
    raw.format = fmt
    raw.notes.append(f"已用 LibreOffice 将 {_NAMES.get(fmt, fmt)} 文件转换为 .docx 后读取")
    return raw


def _via_text_tool(data: bytes, fmt: str, converter: Converter) -> RawDocument:
    with tempfile.TemporaryDirectory(prefix="fazhi-convert-") as tmp:
        src = Path(tmp) / f"input.{fmt}"
        src.write_bytes(data)
        if converter.kind == "antiword":
            cmd = [converter.path, "-m", "UTF-8.txt", "-w", "0", str(src)]
        else:
            cmd = [converter.path, "-d", "utf-8", "-w", str(src)]
        result = _run(cmd, tmp, fmt)
    if result.returncode != 0:
        raise _failed(fmt, f"{converter.kind} 退出码 {result.returncode}")
    blocks = _text_blocks(result.stdout.decode("utf-8", errors="replace"))
    if not blocks:
        raise _failed(fmt, f"{converter.kind} 没有输出文字")
    notes = [f"已用 {converter.kind} 提取 {_NAMES.get(fmt, fmt)} 文件的文字（表格与自动编号可能不完整）"]
    return RawDocument(fmt, blocks, notes)


def _text_blocks(text: str) -> list[Block]:
    """One Block per non-empty line; antiword's table rows ("|a  |b  |") give one per cell."""
    blocks: list[Block] = []
    for i, line in enumerate(text.split("\n")):
        line = line.strip("\r\x0c")
        if not line.strip(" \t\u3000"):
            continue
        if len(line) > 1 and line.startswith("|") and line.rstrip().endswith("|"):
            for c, cell in enumerate(line.rstrip()[1:-1].split("|")):
                if cell.strip():
                    blocks.append(Block(cell.strip(), {"line": i + 1, "cell": c}, kind="cell"))
        else:
            blocks.append(Block(line, {"line": i + 1}))
    return blocks


# --- OLE2 compound files ----------------------------------------------------------------------

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


class _Ole:
    """Just enough of the compound file format to list streams and read the start of one."""

    def __init__(self, data: bytes):
        self.data = data
        if len(data) < 512:
            raise ValueError("short header")
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.size = 1 << shift
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        self.sectors = max(0, (len(data) - self.size) // self.size)
        fat_sectors = self._difat(list(struct.unpack_from("<109I", data, 0x4C)), first_difat, n_difat, n_fat)
        self.fat: list[int] = []
        for sector in fat_sectors:
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(sector)))
        self.entries = self._directory(first_dir)

    def _sector(self, n: int) -> bytes:
        if n >= self.sectors:
            raise ValueError("sector out of range")
        start = (n + 1) * self.size
        return self.data[start : start + self.size]

    def _difat(self, head: list[int], sector: int, count: int, n_fat: int) -> list[int]:
        out = [s for s in head if s not in (_FREE, _END)]
        per = self.size // 4 - 1
        for _ in range(min(count, self.sectors)):
            if sector in (_FREE, _END):
                break
            values = struct.unpack_from(f"<{per + 1}I", self._sector(sector))
            out.extend(s for s in values[:per] if s not in (_FREE, _END))
            sector = values[per]
        return out[:n_fat] if n_fat else out

    def chain(self, start: int) -> list[int]:
        out: list[int] = []
        sector = start
        while sector not in (_FREE, _END):
            if sector >= len(self.fat) or len(out) > self.sectors:
                raise ValueError("broken chain")
            out.append(sector)
            sector = self.fat[sector]
        return out

    def _directory(self, first: int) -> dict[str, tuple[int, int, int]]:
        """Entry name -> (type, start sector, size)."""
        raw = b"".join(self._sector(s) for s in self.chain(first))
        entries: dict[str, tuple[int, int, int]] = {}
        for off in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, off + 0x40)[0]
            kind = raw[off + 0x42]
            if kind == 0 or not 2 <= name_len <= 64:
                continue
            name = raw[off : off + name_len - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", raw, off + 0x74)
            if self.size == 512:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            entries.setdefault(name, (kind, start, size))
        return entries

    def head(self, name: str, length: int) -> bytes:
        """The first `length` bytes of a stream (regular or mini stream)."""
        kind, start, size = self.entries[name]
        cutoff = struct.unpack_from("<I", self.data, 0x38)[0]
        if size >= cutoff:
            return self._read_chain(self.chain(start), length)
        # A small stream lives in the mini stream, itself stored in the root entry's chain.
        root = next(v for v in self.entries.values() if v[0] == 5)
        mini = self._read_chain(self.chain(root[1]), root[2])
        first_mini_fat, n_mini_fat = struct.unpack_from("<II", self.data, 0x3C)
        mini_fat: list[int] = []
        for sector in self.chain(first_mini_fat)[: max(n_mini_fat, 0)]:
            mini_fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(sector)))
        out = bytearray()
        sector = start
        while sector not in (_FREE, _END) and len(out) < length:
            if sector >= len(mini_fat):
                raise ValueError("broken mini chain")
            out += mini[sector * 64 : sector * 64 + 64]
            sector = mini_fat[sector]
        return bytes(out[:length])

    def _read_chain(self, sectors: list[int], length: int) -> bytes:
        out = bytearray()
        for sector in sectors:
            if len(out) >= length:
                break
            out += self._sector(sector)
        return bytes(out[:length])


def ole_kind(data: bytes) -> str:
    """What an OLE2 compound file holds: "encrypted" (an encrypted OOXML package, or a Word
    binary document with a password), "word97" (a Word binary document), "other", or "invalid"."""
    try:
        ole = _Ole(data)
    except (ValueError, struct.error, IndexError):
        return "invalid"
    names = set(ole.entries)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        return "encrypted"
    if "WordDocument" not in names:
        return "other"
    try:
        fib = ole.head("WordDocument", 32)
    except (ValueError, struct.error, IndexError, KeyError, StopIteration):
        return "invalid"
    if len(fib) < 12 or fib[:2] != b"\xec\xa5":
        return "other"
    flags = struct.unpack_from("<H", fib, 0x0A)[0]
    if flags & 0x0100 or flags & 0x8000:  # fEncrypted, fObfuscated
        return "encrypted"
    return "word97"
