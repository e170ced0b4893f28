"""The on-disk cache: same value back, rebuilt when a source changes, never in the way when the
folder is unwritable or a kept file is damaged."""

from __future__ import annotations

import os

import pytest

from fazhi import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(where))
    return where


def test_value_is_kept_and_rebuilt_when_the_source_changes(folder, tmp_path):
    src = tmp_path / "words.txt"
    src.write_text("法治 政府", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return frozenset(src.read_text(encoding="utf-8").split())

    assert cache.cached("words", [src], build) == frozenset({"法治", "政府"})
    assert cache.cached("words", [src], build) == frozenset({"法治", "政府"}) and len(calls) == 1
    src.write_text("法治 政府 建设", encoding="utf-8")
    os.utime(src, ns=(1, 2))  # a different modification time
    assert cache.cached("words", [src], build) == frozenset({"法治", "政府", "建设"}) and len(calls) == 2
    assert len(list(folder.glob("words-*.marshal"))) == 1  # the stale copy is gone
    assert not list(folder.glob(".*"))  # no temporary file left


def test_damaged_file_unwritable_folder_and_off(folder, tmp_path, monkeypatch):
    src = tmp_path / "s.txt"
    src.write_text("x", encoding="utf-8")
    assert cache.cached("gazetteer", [src], lambda: {"a": (1, 2)}) == {"a": (1, 2)}
    [kept] = folder.glob("gazetteer-*.marshal")
    kept.write_bytes(b"\x00garbage")
    assert cache.cached("gazetteer", [src], lambda: {"a": (1, 2)}) == {"a": (1, 2)}
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(blocked / "sub"))
    assert cache.cached("gazetteer", [src], lambda: 7) == 7
    monkeypatch.setenv("FAZHI_CACHE_DIR", "")
    assert cache.folder() is None and cache.cached("gazetteer", [src], lambda: 8) == 8


def test_real_users_get_the_same_data_from_the_cache(folder):
    """The gazetteer and the word list: built once, then loaded from the cache, identical."""
    from fazhi.parse import region
    from fazhi.rules import substance

    for loader in (region._load, substance._dictionary):
        loader.cache_clear()
        first = loader()
        loader.cache_clear()
        again = loader()
        loader.cache_clear()
        assert first == again and first is not again
    assert {p.name.split("-")[0] for p in folder.glob("*.marshal")} == {"gazetteer", "words"}


def test_two_installations_keep_each_others_cache(tmp_path, monkeypatch):
    """A venv and a system install share ~/.cache/fazhi: neither deletes the other's files."""
    from fazhi import cache

    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path))
    src = tmp_path / "source.txt"
    src.write_text("x", encoding="utf-8")
    builds = []

    def build() -> list[int]:
        builds.append(1)
        return [1, 2, 3]

    for install in ("aaaa1111", "bbbb2222", "aaaa1111", "bbbb2222"):
        monkeypatch.setattr(cache, "install_id", lambda install=install: install)
        assert cache.cached("words", [src], build) == [1, 2, 3]
    assert len(builds) == 2  # one build per installation, then each reads its own copy
    assert len(list(tmp_path.glob("words-*.marshal"))) == 2
