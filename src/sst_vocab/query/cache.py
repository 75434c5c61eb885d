"""A persistent cache of parsed vocabularies and of the answers of queries on them.

Reading 5 MB of Turtle (10,000 concepts) into a store takes 0.2-0.3 s on every
lookup, more than the lookup's queries.  So the first lookup on a large vocabulary
keeps, under the user's cache folder:

- the triples it parsed, as N-Triples (pyoxigraph loads them about 1.5 x faster than
  the Turtle they came from, with the same blank nodes), loaded into memory only when
  a query has to run;
- the answer of every query run on them (SELECT and ASK; CONSTRUCT is not kept, nor a
  query that calls NOW, RAND, UUID, STRUUID or BNODE), keyed by the query text with
  its bindings and prefixes: the same lookup again reads its answer instead of
  loading anything.

(A pyoxigraph on-disk store, opened read-only, was measured first and not used: it
opens in ~0.01 s, but every literal read is a RocksDB look-up, so the lookups' scans
(``search``, ``labels``, ``hierarchy``) ran 3-10 x slower than in memory, and a
lookup as a whole was no faster than parsing.)

Where: ``$XDG_CACHE_HOME/sst-vocab`` (default ``~/.cache/sst-vocab``), one entry per
set of files (keyed by their real paths, the pyoxigraph version and this code)::

    <entry>/meta.json                what the current data were built from (see below)
    <entry>/data-<id>/vocab.nt       the parsed triples, never written again once complete
    <entry>/data-<id>/answers/*      answers, as SPARQL results TSV (JSON for ASK) after a line with their SHA-1
    <entry>/build-<id>/              data being built (renamed to data-<id> when complete)

When a cached copy is used (:func:`load`):

- only for regular files, never for standard input or other streams, and only when
  the files together are at least :data:`MIN_BYTES` (the environment variable
  ``SST_VOCAB_CACHE_MIN_BYTES`` changes it): below that, parsing costs next to nothing;
- only when every file is unchanged: the same set of files (a file added to or
  removed from a folder changes the set), and for each its device, inode, size,
  modification time and change time (``st_ctime``: set by the kernel on every write
  or rename, and not settable by programs the way ``touch -d`` sets the modification
  time) equal to those recorded when its content was hashed (SHA-1).  A timestamp has
  a granularity, so a file written twice within one tick keeps its times: a file whose
  change time was within :data:`RACY_NS` of the moment it was hashed is "racy" (as in
  git) and its content is hashed again on every use until it is not.  A file whose
  metadata differ but whose content hashes the same (``touch``) is still a hit.

Otherwise the data are rebuilt, by parsing the files with
:func:`sst_vocab.loader.load` (so errors read exactly as without a cache), in a
fresh ``build-*`` folder renamed into place when complete; then ``meta.json`` is
replaced atomically.  Two processes may build at once (the last to finish wins;
both answer correctly); answers are written atomically, each under the data they
came from.  Old data are removed a minute after they were replaced.  Any failure of
the cache itself (a read-only or full disk, a damaged entry) only costs time: the
files are then parsed as without a cache.

The folder may be deleted at any time.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import VocabError
from ..loader import Vocabulary, read_text, resolve_paths
from ..loader import load as parse

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = ["MIN_BYTES", "RACY_NS", "CachedVocabulary", "cache_dir", "load"]

#: Below this many bytes of Turtle in all, parsing is cheap enough (the shipped vocabulary: 58 kB, 3 ms).
MIN_BYTES = 256 * 1024
#: A file changed this close to when it was hashed may change again unseen by its times.
RACY_NS = 2_000_000_000
#: Data replaced more than this long ago are removed.
_OLD_DATA_S = 60.0
#: Build folders left by a process that died are removed after this long.
_OLD_BUILD_S = 3600.0
#: Answers larger than this are not kept (a query without LIMIT over a huge vocabulary).
_MAX_ANSWER_BYTES = 32 * 2**20
_FORMAT = 2  # bump when the entry layout or meta.json changes
#: The first line of a kept answer, before the SHA-1 of the rest.
_ANSWER_HEAD = b"sst-vocab answer "
#: Queries whose answer may differ from one run to the next.
_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\b", re.I)


def cache_dir() -> str:
    """``$XDG_CACHE_HOME/sst-vocab``, else ``~/.cache/sst-vocab``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sst-vocab")


def _min_bytes() -> int:
    value = os.environ.get("SST_VOCAB_CACHE_MIN_BYTES", "")
    try:
        return int(value) if value.strip() else MIN_BYTES
    except ValueError:
        raise VocabError(f"SST_VOCAB_CACHE_MIN_BYTES must be a number of bytes, not {value!r}") from None


def _fingerprint(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _code_stamp() -> list:
    """What the stored triples and answers depend on besides the files: pyoxigraph and our code."""
    import pyoxigraph

    from .. import loader

    stamp: list = [_FORMAT, pyoxigraph.__version__]
    for path in (loader.__file__, __file__):
        try:
            st = os.stat(path)
            stamp += [st.st_size, st.st_mtime_ns]
        except (OSError, TypeError):
            pass
    return stamp


class _Entry:
    """One cache entry: the folder for a set of files."""

    def __init__(self, files: Sequence[str], reals: Sequence[str]) -> None:
        import hashlib
        import json

        from ..reading import base_for

        # The base IRI each file is read with (its location, or --base) changes the triples: part of the key.
        bases = [base_for(f, None) for f in files]
        key = hashlib.sha256(json.dumps([_code_stamp(), list(reals), bases]).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(cache_dir(), key)
        self.meta_path = os.path.join(self.path, "meta.json")
        self.files = list(files)
        self.reals = list(reals)

    def read_meta(self) -> dict | None:
        import json

        try:
            with open(self.meta_path, "rb") as fh:
                meta = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT or meta.get("files") != self.reals:
            return None
        return meta

    def write_meta(self, meta: dict) -> None:
        import json

        from ..files import write_atomic

        write_atomic(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))


def _fresh(entry: _Entry, meta: dict, stats: Sequence[os.stat_result], started: int) -> tuple[bool, bool]:
    """(the stored data match the files, meta.json was brought up to date and should be written).

    A file is trusted on its metadata alone when they equal those recorded and it
    was not racy then; otherwise its content is hashed.  A file whose content still
    matches gets its current metadata recorded (``touch``, a racy file that has
    settled), so that it is not hashed again next time.
    """
    update = False
    try:
        recorded_stats = meta["stats"]
        if len(recorded_stats) != len(stats):
            return False, False
        for path, st, recorded in zip(entry.files, stats, recorded_stats, strict=True):
            same_stat = _fingerprint(st) == recorded["stat"]
            racy = recorded["stat"][4] >= recorded["hashed_at"] - RACY_NS
            if same_stat and not racy:
                continue
            try:
                data, _ = read_text(path)
            except VocabError:
                return False, False
            if _digest(data) != recorded["sha1"]:
                return False, False
            if st.st_ctime_ns < started - RACY_NS:  # settled: its metadata will tell from now on
                recorded["stat"], recorded["hashed_at"] = _fingerprint(st), started
                update = True
    except (KeyError, TypeError, IndexError):
        return False, False
    return True, update


class _Texts(Mapping[str, str]):
    """The files' texts, read when first asked for (only ``location()`` and the like need them).

    A file whose content no longer hashes as the cached data's raises VocabError: its
    line numbers would not belong to the triples.
    """

    def __init__(self, files: Sequence[str], digests: Sequence[str]) -> None:
        self._digests = dict(zip(files, digests, strict=True))
        self._texts: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        if path not in self._texts:
            if path not in self._digests:
                raise KeyError(path)
            data, text = read_text(path)
            if _digest(data) != self._digests[path]:
                raise VocabError("changed while it was being read: run the command again", path=path)
            self._texts[path] = text
        return self._texts[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._digests)

    def __len__(self) -> int:
        return len(self._digests)


_SLOT: Any = Vocabulary.__dict__["store"]  # the slot descriptor that holds a Vocabulary's store


class CachedVocabulary(Vocabulary):
    """A :class:`~sst_vocab.loader.Vocabulary` from the cache: its store is loaded when first used.

    Queries should go through :meth:`cached_query`, which answers from the kept answers when
    it can (and keeps new ones).
    """

    __slots__ = ("scanned_prefixes", "_data", "_triples")
    #: A time limit on queries starts counting in :meth:`cached_query`, once the triples are loaded.
    starts_clock = True

    def __init__(
        self, data: str, files: list[str], texts: Mapping[str, str], scanned_prefixes: dict[str, str], triples: int
    ) -> None:
        super().__init__(None, files, texts)  # type: ignore[arg-type]
        #: The prefixes the files declare, as :func:`sst_vocab.query.common.vocab_prefixes` found them when building.
        self.scanned_prefixes = scanned_prefixes
        self._data = data
        self._triples = triples

    @property
    def store(self) -> pyoxigraph.Store:
        """The triples in an in-memory store, loaded from the kept N-Triples on first use."""
        store = _SLOT.__get__(self)
        if store is None:
            store = self._load_store()
            _SLOT.__set__(self, store)
        return store

    @store.setter
    def store(self, value: pyoxigraph.Store) -> None:
        _SLOT.__set__(self, value)

    def _load_store(self) -> pyoxigraph.Store:
        import pyoxigraph as ox

        store = ox.Store()
        try:
            with open(os.path.join(self._data, "vocab.nt"), "rb") as fh:
                data = fh.read()
            if data.count(b"\n") != self._triples:  # one triple a line: a copy cut short at a line end
                raise ValueError("the kept N-Triples do not hold the recorded number of triples")
            # lenient: the copy was written by pyoxigraph from parsed triples, so the IRI and
            # language-tag checks are not repeated (~15 % faster than bulk_load, which checks
            # them; measured at 10,000 concepts).  A damaged copy still fails to parse: below.
            store.load(input=data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        except (OSError, SyntaxError, ValueError) as exc:  # removed or damaged meanwhile: parse the files
            store = parse(self.files).store
            if len(store) != self._triples:
                raise VocabError("the files changed while being read: run the command again") from exc
        return store

    def __len__(self) -> int:
        return self._triples

    def cached_query(self, text: str, prefixes: Mapping[str, str]):
        import hashlib
        import json

        """``store.query(text, prefixes=prefixes)``, answered from the kept answers when the same query ran before."""
        import pyoxigraph as ox

        from .clock import start_clock

        volatile = _VOLATILE.search(text) is not None
        key = hashlib.sha1(
            json.dumps([text, sorted(prefixes.items())]).encode("utf-8"), usedforsecurity=False
        ).hexdigest()
        folder = os.path.join(self._data, "answers")
        if not volatile:
            for suffix, fmt in ((".tsv", ox.QueryResultsFormat.TSV), (".json", ox.QueryResultsFormat.JSON)):
                try:
                    with open(os.path.join(folder, key + suffix), "rb") as fh:
                        kept = fh.read()
                except FileNotFoundError:
                    continue
                except OSError:
                    break
                head, _, body = kept.partition(b"\n")
                if head != _ANSWER_HEAD + _digest(body).encode("ascii"):
                    break  # damaged or cut short (the results are parsed lazily, too late to notice): run again
                start_clock()
                return ox.parse_query_results(body, format=fmt)
        store = self.store  # loaded before a time limit starts counting (sst_vocab.query.run_limited)
        start_clock()
        result = store.query(text, prefixes=dict(prefixes))
        if volatile or not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            return result
        if isinstance(result, ox.QueryBoolean):
            data, suffix, fmt = result.serialize(format=ox.QueryResultsFormat.JSON), ".json", ox.QueryResultsFormat.JSON
        else:
            data, suffix, fmt = result.serialize(format=ox.QueryResultsFormat.TSV), ".tsv", ox.QueryResultsFormat.TSV
        assert data is not None  # no output given: the bytes are returned
        if len(data) <= _MAX_ANSWER_BYTES:
            from ..files import write_atomic

            try:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                # (no fsync: an answer lost or torn in a crash fails its checksum and is computed again)
                write_atomic(
                    os.path.join(folder, key + suffix),
                    _ANSWER_HEAD + _digest(data).encode("ascii") + b"\n" + data,
                    sync=False,
                )
            except OSError:
                pass  # a full or read-only disk: the answer is still right
        return ox.parse_query_results(data, format=fmt)


def _regular_files(files: Sequence[str]) -> list[os.stat_result] | None:
    stats = []
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None  # standard input, a pipe, a device: read once, never cached
        stats.append(st)
    return stats


def load(paths: Sequence[str] | None = None, *, use_cache: bool = True) -> Vocabulary:
    """The vocabulary of ``paths`` (as :func:`sst_vocab.loader.load`), from the cache when it is current.

    Without ``use_cache``, for small inputs, and for anything that is not a regular
    file, this is :func:`sst_vocab.loader.load`.  Otherwise a
    :class:`CachedVocabulary`, whose :meth:`~CachedVocabulary.cached_query` may answer
    without loading the triples.
    """
    if not use_cache:
        return parse(paths)
    files = resolve_paths(paths)
    stats = _regular_files(files)
    if stats is None or sum(st.st_size for st in stats) < _min_bytes():
        return parse(files)
    entry = _Entry(files, [os.path.realpath(f) for f in files])
    meta = entry.read_meta()
    if meta is not None:
        fresh, update = _fresh(entry, meta, stats, time.time_ns())
        if fresh:
            vocab = _open(entry, meta)
            if vocab is not None:
                if update:
                    try:
                        entry.write_meta(meta)
                    except OSError:
                        pass
                return vocab
    return _build(entry)


def _open(entry: _Entry, meta: dict) -> CachedVocabulary | None:
    try:
        data = os.path.join(entry.path, meta["data"])
        if not os.path.isfile(os.path.join(data, "vocab.nt")):
            return None
        texts = _Texts(entry.files, [s["sha1"] for s in meta["stats"]])
        return CachedVocabulary(data, entry.files, texts, dict(meta.get("prefixes") or {}), int(meta["triples"]))
    except (KeyError, TypeError, ValueError):
        return None


def _build(entry: _Entry) -> Vocabulary:
    """Parse the files, keep the triples, and return the vocabulary; on any trouble with the cache, just parse."""
    import pyoxigraph as ox

    from .common import vocab_prefixes

    started = time.time_ns()
    before = _regular_files(entry.files)
    vocab = parse(entry.files)  # every error exactly as without a cache
    after = _regular_files(entry.files)
    if before is None or after is None or [_fingerprint(s) for s in before] != [_fingerprint(s) for s in after]:
        return vocab  # a file changed while being read: keep no copy of a mixture
    build = None
    try:
        datas = [vocab.texts[path].encode("utf-8") for path in entry.files]
        os.makedirs(entry.path, mode=0o700, exist_ok=True)
        ident = f"{os.getpid()}-{os.urandom(4).hex()}"
        build = os.path.join(entry.path, f"build-{ident}")
        os.mkdir(build, 0o700)
        with open(os.path.join(build, "vocab.nt"), "wb") as fh:
            vocab.store.dump(fh, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            fh.flush()
            os.fsync(fh.fileno())
        name = f"data-{ident}"
        os.rename(build, os.path.join(entry.path, name))
        build = None
        meta = {
            "format": _FORMAT,
            "files": entry.reals,
            "data": name,
            "triples": len(vocab.store),
            "stats": [
                {"stat": _fingerprint(st), "sha1": _digest(data), "hashed_at": started}
                for st, data in zip(before, datas, strict=True)
            ],
            "prefixes": vocab_prefixes(vocab),
        }
        previous = entry.read_meta()
        entry.write_meta(meta)
        if previous and previous.get("data") != name:  # replaced now: removed a minute from now
            try:
                os.utime(os.path.join(entry.path, str(previous.get("data"))))
            except OSError:
                pass
    except (OSError, ValueError):  # the cache cannot be written: the answer does not need it
        if build is not None:
            _remove(build)
        return vocab
    _collect(entry, keep=name)
    return vocab


def _remove(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _collect(entry: _Entry, keep: str) -> None:
    """Remove data replaced a while ago and builds abandoned long ago."""
    now = time.time()
    try:
        names = os.listdir(entry.path)
    except OSError:
        return
    for name in names:
        path = os.path.join(entry.path, name)
        if name == keep or not name.startswith(("data-", "build-")):
            continue
        try:
            age = now - os.stat(path).st_mtime
        except OSError:
            continue
        if age > (_OLD_DATA_S if name.startswith("data-") else _OLD_BUILD_S):
            _remove(path)
