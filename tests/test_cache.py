"""The start-up cache: a value is made once, kept while its files are unchanged, and made again when one changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roleplay.cache import cache_dir, cached, cached_from_listing


class Builder:
    """Makes a value from a file's text and counts how often it was asked to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.path.read_text(encoding="utf-8").upper()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "story.yaml"
    path.write_text("title: one", encoding="utf-8")
    return path


def test_a_value_is_made_once_and_then_read_back(source: Path) -> None:
    build = Builder(source)
    assert cached("value", [source], build) == "TITLE: ONE"
    assert cached("value", [source], build) == "TITLE: ONE"
    assert build.calls == 1
    assert (cache_dir() / "value.pickle").is_file()


def test_a_changed_file_makes_the_value_again(source: Path) -> None:
    build = Builder(source)
    cached("value", [source], build)
    source.write_text("title: two, longer", encoding="utf-8")
    assert cached("value", [source], build) == "TITLE: TWO, LONGER"
    assert build.calls == 2


def test_a_file_with_the_same_size_but_a_new_time_makes_the_value_again(source: Path) -> None:
    build = Builder(source)
    cached("value", [source], build)
    source.write_text("title: two", encoding="utf-8")
    status = source.stat()
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert cached("value", [source], build) == "TITLE: TWO"


def test_a_file_added_or_removed_makes_the_value_again(source: Path, tmp_path: Path) -> None:
    build = Builder(source)
    added = tmp_path / "new.yaml"
    cached("value", [source, added], build)
    added.write_text("x", encoding="utf-8")
    cached("value", [source, added], build)
    added.unlink()
    cached("value", [source, added], build)
    assert build.calls == 3


def test_another_language_is_another_value(source: Path) -> None:
    build = Builder(source)
    cached("value", [source], build, extra="lv")
    cached("value", [source], build, extra="pl")
    assert build.calls == 2


def test_a_damaged_cache_file_is_made_again(source: Path) -> None:
    build = Builder(source)
    cached("value", [source], build)
    (cache_dir() / "value.pickle").write_bytes(b"\x80\x05not a pickle")
    assert cached("value", [source], build) == "TITLE: ONE"
    assert build.calls == 2
    assert cached("value", [source], build) == "TITLE: ONE"
    assert build.calls == 2, "the damaged file was replaced"


def test_an_empty_variable_turns_the_cache_off(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", "")
    build = Builder(source)
    cached("value", [source], build)
    cached("value", [source], build)
    assert build.calls == 2


def test_a_cache_folder_that_cannot_be_made_only_means_no_cache(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(source / "inside-a-file"))
    build = Builder(source)
    assert cached("value", [source], build) == "TITLE: ONE"
    assert cached("value", [source], build) == "TITLE: ONE"
    assert build.calls == 2


class Listing:
    """Lists the files of a folder (and the folder) and makes a value of their names and texts, counting both."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.listed = 0
        self.built = 0

    def sources(self) -> list[Path]:
        self.listed += 1
        return [self.folder, *sorted(self.folder.iterdir())]

    def build(self) -> list[str]:
        self.built += 1
        return [f"{path.name}: {path.read_text(encoding='utf-8')}" for path in sorted(self.folder.iterdir())]

    def value(self) -> list[str]:
        return cached_from_listing("listing", self.sources, self.build, extra="en")


def test_a_listing_kept_is_used_without_listing_the_folder_again(source: Path) -> None:
    listing = Listing(source.parent)
    assert listing.value() == ["story.yaml: title: one"]
    assert listing.value() == ["story.yaml: title: one"]
    assert (listing.listed, listing.built) == (1, 1)


def test_a_file_edited_added_or_removed_makes_the_listing_again(source: Path) -> None:
    listing = Listing(source.parent)
    listing.value()
    source.write_text("title: two, longer", encoding="utf-8")
    assert listing.value() == ["story.yaml: title: two, longer"]
    added = source.parent / "another.yaml"
    added.write_text("title: three", encoding="utf-8")
    assert listing.value() == ["another.yaml: title: three", "story.yaml: title: two, longer"]
    source.unlink()
    assert listing.value() == ["another.yaml: title: three"]
    assert listing.value() == ["another.yaml: title: three"]
    assert (listing.listed, listing.built) == (4, 4)


def test_with_the_cache_off_the_listing_is_made_every_time(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", "")
    listing = Listing(source.parent)
    assert listing.value() == listing.value() == ["story.yaml: title: one"]
    assert (listing.listed, listing.built) == (2, 2)
