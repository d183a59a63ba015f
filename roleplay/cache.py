"""A cache of what is slow to work out at start-up, kept in the user's cache folder between runs.

Each entry is one pickle file holding a key and a value. The key names the
files the value was made from, each with its size and modification time, and
the roleplay and Python versions, so an edited, added or removed file makes
the entry stale and it is made again. Anything wrong with the cache (missing,
damaged, stale, not writable) only means the value is worked out as if there
were no cache: it never stops the program.

The folder is ``platformdirs.user_cache_dir("roleplay")``; the environment
variable ``ROLEPLAY_CACHE_DIR`` points elsewhere (the tests give each test its
own), and setting it empty turns the cache off. The files there are the
user's own, written by this program, and trusted as much as the user's other
files (like Python's own ``__pycache__``).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import TypeVar

from roleplay import __version__

CACHE_DIR_VARIABLE = "ROLEPLAY_CACHE_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent

T = TypeVar("T")

Stamp = tuple[str, int, int]
"""A file's path, modification time (ns) and size; -1, -1 for a file that is not there."""


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    override = os.environ.get(CACHE_DIR_VARIABLE)
    if override is not None:
        return Path(override) if override.strip() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("roleplay", appauthor=False))


def stamps(paths: Iterable[str | os.PathLike[str]]) -> tuple[Stamp, ...]:
    """What tells whether each file changed (a folder's stamp changes when a file is added or removed)."""
    found = []
    for path in paths:
        name = os.fspath(path)
        try:
            status = os.stat(name)
        except OSError:
            found.append((name, -1, -1))
        else:
            found.append((name, status.st_mtime_ns, status.st_size))
    return tuple(found)


def package_files(*folders: str, suffixes: tuple[str, ...] = (".py",)) -> list[Path]:
    """The files of these folders of the package (``"story"``, ``"rules/articles"``) ending in ``suffixes``:
    by default the Python modules, the code a value is made by."""
    files: list[Path] = []
    for folder in folders:
        try:
            with os.scandir(PACKAGE_DIR / folder) as entries:
                files.extend(Path(entry.path) for entry in entries if entry.name.endswith(suffixes))
        except OSError:
            continue
    return sorted(files)


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], *, extra: Hashable = ()) -> T:
    """The value ``build()`` makes from the files ``sources``, from the cache while none of them changed.

    ``name`` names the cache file; ``extra`` is anything else the value depends on (a language).
    """
    key = (extra, stamps(sources))
    if cache_dir() is None:
        return build()
    found = load(name, key)
    if found is not None:
        return found  # type: ignore[return-value]
    value = build()
    store(name, key, value)
    return value


def cached_from_listing(
    name: str, list_sources: Callable[[], Iterable[Path]], build: Callable[[], T], *, extra: Hashable = ()
) -> T:
    """:func:`cached`, for a value made from files found by listing folders: ``list_sources()`` names the
    files and the folders they were found in.

    The entry keeps the stamps of what ``list_sources()`` named, and while none of them changed it is
    used without listing the folders again (listing them is most of the time a start takes to find an
    entry still good). A folder's stamp changes when a file is added to it or taken out of it, so a new
    file makes the entry stale as an edited or a removed one does. Whenever the value is made,
    ``list_sources()`` is called first.
    """
    kept = load(name, extra)
    if isinstance(kept, tuple) and len(kept) == 2:
        kept_stamps, value = kept
        if restamped(kept_stamps) == kept_stamps:
            return value  # type: ignore[no-any-return]
    sources = stamps(list_sources())
    value = build()
    store(name, extra, (sources, value))
    return value


def restamped(kept: object) -> tuple[Stamp, ...] | None:
    """The stamps of the files ``kept`` (stamps taken before) names, as they are now; None if it is not stamps."""
    if not isinstance(kept, tuple) or not all(
        isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str) for entry in kept
    ):
        return None
    return stamps(entry[0] for entry in kept)


def load(name: str, key: Hashable) -> object | None:
    """The value kept as ``name`` for ``key`` (with this roleplay and Python), or None if there is none."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{name}.pickle", "rb") as handle:
            stored_key, value = pickle.load(handle)
    except Exception:  # missing, damaged or written by another version: None, and it is made again
        return None
    return value if stored_key == (__version__, sys.version_info[:2], key) else None


def store(name: str, key: Hashable, value: object) -> None:
    """Keep ``value`` as ``name`` for ``key``, replacing what was kept (if the cache can be written at all)."""
    folder = cache_dir()
    if folder is not None:
        _store(folder, folder / f"{name}.pickle", ((__version__, sys.version_info[:2], key), value))


def _store(folder: Path, path: Path, entry: object) -> None:
    """Write ``entry`` to ``path`` whole or not at all (a reader never sees half a file)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(entry, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:
        return  # no cache this time (a full disk, a folder that cannot be written); the value was made anyway
