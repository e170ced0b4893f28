"""The store's fast encoding (orjson, UTF-8 bytes stored by CAST, files read by the worker)
writes exactly what json.dumps and str parameters wrote before."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fazhi.ingest
from fazhi.corpus import index as index_mod
from fazhi.corpus.store import Store, _json, json_bytes, make_record

from . import report, review_dict, write_corpus


def reference(value) -> bytes | str:
    """What make_record() stored before: store._json()'s text (json.dumps), encoded by sqlite3."""
    text = _json(value)
    try:
        return text.encode()
    except UnicodeEncodeError:
        return text


class Tag(str):
    pass


class Count(int):
    pass


class Ratio(float):
    pass


@dataclass
class Point:
    x: int


FLOATS = [0.0, -0.0, 1e16, -1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 1.5e-7, 5e-324, 1.7976931348623157e308,
          1e22, 0.1, 96.5, 326.0, 2.6e4, float("nan"), float("inf"), -float("inf"), 1.2345678901234568e17, 3e-10]
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)  # every code point, lone surrogates too
SCALARS = (
    st.none() | st.booleans() | TEXT | st.sampled_from(["\u2028\u2029", "\x00\x1f\x7f\"\\/", "𠀀😀中", "late-report", "0.00001", "1e-5"])
    | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(FLOATS) | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.sampled_from([Tag("标签"), Count(7), Ratio(0.5), Point(1), dt.date(2024, 1, 2), {1, 2}, b"x"])
)
KEYS = TEXT | st.sampled_from(["code", "e-", "0.0000"]) | st.integers(-5, 5) | st.sampled_from([True, None, 1.5])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(KEYS, inner, max_size=5), max_leaves=30)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_json_bytes_is_json_dumps_text_byte_for_byte(value):
    try:
        expected = reference(value)
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a NaN dict key: both refuse it
        with pytest.raises(type(exc)):
            json_bytes(value)
        return
    assert json_bytes(value) == expected


def test_floats_of_every_magnitude_as_json_dumps_writes_them():
    xs = FLOATS + [1e-5 * k for k in range(1, 50)] + [float(f"{m}e{e}") for e in range(-330, 310) for m in (1, 1.5, 9.87654321)]
    for x in xs:
        assert json_bytes({"value": x, "list": [x, -x]}) == reference({"value": x, "list": [x, -x]}), x


def test_a_review_with_tiny_and_huge_figures_is_stored_as_json_dumps_writes_it(tmp_path):
    review = review_dict("/r/a.txt", scores={"overall": 61.5})
    review["quantities"] = [{"text": "0.00001%", "value": 1e-05, "upper": None}, {"text": "一亿亿元", "value": 1e16},
                            {"text": "比例", "value": float("nan")}]
    text = "第一行\u2028第二行\x00𠀀"
    with Store.open(tmp_path / "a.db") as store:
        rid = store.put_record(make_record("/r/a.txt", "0" * 64, review, text))
        row = store.query("SELECT typeof(review), typeof(text), review, text FROM reports WHERE id = ?", (rid,))[0]
    assert row == ("text", "text", _json(review), text)
    assert '"value":1e-05' in row[2] and '"value":1e+16' in row[2] and '"value":null' in row[2]


def test_records_carry_utf8_bytes_and_pickle_small(tmp_path):
    rec = make_record("/r/a.txt", None, review_dict("/r/a.txt"), "法治政府")
    assert rec.columns[19] == _json(review_dict("/r/a.txt")).encode() and rec.columns[20] == "法治政府".encode()
    # a lone surrogate cannot be UTF-8: the str goes on, and sqlite3 refuses it as it did before
    odd = make_record("/r/b.txt", None, review_dict("/r/b.txt"), "坏\ud800")
    assert odd.columns[20] == "坏\ud800"


def _count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = fazhi.ingest.read_regular

    def counting(path):
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(fazhi.ingest, "read_regular", counting)
    monkeypatch.setattr(index_mod, "read_regular", counting)
    return reads


def test_each_file_is_read_once(tmp_path, monkeypatch):
    """A new file is read and hashed by the worker only (the writing process read and hashed it
    before the worker read it again); a stored one by the writing process only, which hands a
    changed file's bytes to the worker."""
    folder = tmp_path / "r"
    write_corpus(folder, 4)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    db = tmp_path / "c.db"
    reads = _count_reads(monkeypatch)
    result = index_mod.index_paths([folder], db, jobs=1)
    assert result.indexed == 4 and sorted(reads) == sorted(map(str, files))
    with Store.open(db, readonly=True) as store:
        stored = dict(store.query("SELECT path, sha256 FROM reports"))
    assert stored == {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    files[0].write_text(report(extra="新增一句。"), encoding="utf-8")
    reads.clear()
    again = index_mod.index_paths([folder], db, jobs=1)
    assert (again.indexed, again.unchanged) == (1, 3) and sorted(reads) == sorted(map(str, files))
    with Store.open(db, readonly=True) as store:
        assert store.query("SELECT sha256 FROM reports WHERE path = ?", (str(files[0]),))[0][0] == hashlib.sha256(files[0].read_bytes()).hexdigest()


def test_unreadable_new_file_is_recorded_by_the_worker(tmp_path):
    folder = tmp_path / "r"
    write_corpus(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    result = index_mod.index_paths([folder], tmp_path / "c.db", jobs=2)
    assert result.indexed == 2 and [(f.path.endswith("empty.txt"), f.code) for f in result.failed] == [(True, "empty")]
    with Store.open(tmp_path / "c.db", readonly=True) as store:
        row = store.query("SELECT sha256, error_code, review FROM reports WHERE path LIKE '%empty.txt'")[0]
    assert row[0] == hashlib.sha256(b"").hexdigest() and row[1] == "empty"
    assert math.isfinite(len(json.loads(row[2])))
