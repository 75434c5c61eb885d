"""The one way sst-vocab reads an RDF file: bytes -> pyoxigraph, with a base IRI, one error mapping.

Every command that reads a vocabulary, a shapes file or a file to format goes through
this module, so they all agree on what a file means:

* **the base IRI** of a file is its own ``file://`` URI (as rdflib, Jena and browsers
  use), unless the user gives one with ``--base IRI``; relative IRIs, and prefixes
  declared with relative IRIs (``@prefix ex: <> .``), resolve against it, and an
  ``@base``/``BASE`` in the file takes over from there as Turtle says;
* **prefixes** are the ones the parser resolved (:func:`prefixes` finds them cheaply
  for the lookups, without parsing the data);
* **blank nodes** are scoped per file: ``_:b`` in two files are two nodes;
* **errors** are one :class:`~sst_vocab.errors.VocabError` with ``FILE:LINE``;
* **RDF/XML** handed in place of Turtle is recognised and read as RDF/XML (there is no
  line for its subjects); ``fmt``, which writes Turtle in place, refuses it with a
  message that says what it is.

Nothing here touches the network: data is read by us and handed to the parser as bytes.
This module is on the lookup path: it imports nothing heavy at module level (pyoxigraph
is imported inside the functions, pathlib and urllib not at all).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from .errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = [
    "RDFXML",
    "TURTLE",
    "Parsed",
    "base_for",
    "check_base",
    "detect_format",
    "file_iri",
    "load_into",
    "parse",
    "parse_error",
    "prefixes",
    "read_bytes",
    "resolve_iri",
    "using_base",
]

TURTLE = "turtle"
RDFXML = "rdfxml"


# ---------------------------------------------------------------------------
# Base IRIs
# ---------------------------------------------------------------------------

# What may stay as written in the path of a file: IRI path characters (RFC 3987 ipchar and "/").
_PATH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")


def file_iri(path: str | os.PathLike[str]) -> str:
    """The ``file://`` IRI of a file: its absolute path, percent-encoded where an IRI needs it."""
    absolute = os.path.abspath(os.fspath(path))
    if os.sep != "/":  # pragma: no cover - Windows
        absolute = "/" + absolute.replace(os.sep, "/")
    out = []
    for ch in absolute:
        if ch in _PATH_SAFE or (
            ord(ch) >= 0xA0 and not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) not in (0xFFFE, 0xFFFF)
        ):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "file://" + "".join(out)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def check_base(base: str | None) -> str | None:
    """A base IRI checked: an absolute IRI (``http://example.org/v/``), else a VocabError."""
    if base is None:
        return None
    if not _SCHEME.match(base) or any(ch in base for ch in ' <>"{}|^`\\') or any(ord(ch) <= 0x20 for ch in base):
        raise VocabError(
            f"the base {base!r} is not an absolute IRI; write one such as http://example.org/v/", options=("base",)
        )
    import pyoxigraph as ox

    try:
        list(ox.parse(b"", format=ox.RdfFormat.TURTLE, base_iri=base))
    except (ValueError, SyntaxError) as exc:
        raise VocabError(f"the base {base!r} is not a usable IRI: {exc}", options=("base",)) from None
    return base


def resolve_iri(ref: str, base: str | None) -> str:
    """Resolve an IRI reference against ``base`` (RFC 3986 section 5.2, as the parser does).

    An IRI with a scheme is returned as written (the parser does not normalise it).
    """
    if base is None or _SCHEME.match(ref):
        return ref
    b = _split(base)
    r = _split(ref)
    if r[1] is not None:  # //authority
        return _join(b[0], r[1], _remove_dots(r[2]), r[3], r[4])
    if r[2] == "":
        query = r[3] if r[3] is not None else b[3]
        return _join(b[0], b[1], b[2], query, r[4])
    if r[2].startswith("/"):
        path = _remove_dots(r[2])
    else:
        if b[1] is not None and b[2] == "":
            merged = "/" + r[2]
        else:
            merged = b[2][: b[2].rfind("/") + 1] + r[2]
        path = _remove_dots(merged)
    return _join(b[0], b[1], path, r[3], r[4])


def _split(iri: str) -> tuple[str | None, str | None, str, str | None, str | None]:
    scheme = None
    m = _SCHEME.match(iri)
    rest = iri
    if m:
        scheme, rest = m.group()[:-1], iri[m.end() :]
    fragment = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    query = None
    if "?" in rest:
        rest, query = rest.split("?", 1)
    authority = None
    if rest.startswith("//"):
        end = rest.find("/", 2)
        authority, rest = (rest[2:], "") if end < 0 else (rest[2:end], rest[end:])
    return scheme, authority, rest, query, fragment


def _join(scheme, authority, path, query, fragment) -> str:
    out = ""
    if scheme is not None:
        out += scheme + ":"
    if authority is not None:
        out += "//" + authority
    out += path
    if query is not None:
        out += "?" + query
    if fragment is not None:
        out += "#" + fragment
    return out


def _remove_dots(path: str) -> str:
    out: list[str] = []
    inp = path
    while inp:
        if inp.startswith("../"):
            inp = inp[3:]
        elif inp.startswith(("./", "/./")):
            inp = inp[2:]
        elif inp == "/.":
            inp = "/"
        elif inp.startswith("/../"):
            inp = inp[3:]
            if out:
                out.pop()
        elif inp == "/..":
            inp = "/"
            if out:
                out.pop()
        elif inp in (".", ".."):
            inp = ""
        else:
            start = 1 if inp.startswith("/") else 0
            end = inp.find("/", start)
            if end < 0:
                end = len(inp)
            out.append(inp[:end])
            inp = inp[end:]
    return "".join(out)


# ---------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """Read a file as UTF-8: (bytes without a byte-order mark, text); every failure a VocabError.

    A NUL or other control character is not refused here: Turtle allows them inside strings,
    and a binary file is named as such when it does not parse (:func:`parse_error`).
    """
    where = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError as exc:
        raise VocabError("cannot read this file: permission denied", path=where) from exc
    except IsADirectoryError as exc:
        raise VocabError("is a folder, not a Turtle file", path=where) from exc
    except OSError as exc:
        raise VocabError(f"cannot read this file: {exc.strerror or exc}", path=where) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data.count(b"\n", 0, nul) + 1
            raise VocabError(
                "this is a binary file, not Turtle text (it contains NUL bytes and is not UTF-8)", path=where, line=line
            ) from exc
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise VocabError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); Turtle files must be saved as UTF-8",
            path=where,
            line=line,
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
        data = data[3:]
    return data, text


_XML_START = re.compile(rb"\s*<(?:\?xml[\s?]|!DOCTYPE\s|!--|[A-Za-z_][\w.\-]*:RDF[\s>/]|RDF[\s>/])")


def detect_format(data: bytes) -> str:
    """``"rdfxml"`` for an XML document (``<?xml``, ``<rdf:RDF``), else ``"turtle"``.

    None of these starts can begin a Turtle document (an IRI cannot hold ``?``-less
    spaces or start with ``!``), so the test never misreads Turtle.
    """
    return RDFXML if _XML_START.match(data, 0) else TURTLE


def _ox_format(fmt: str):
    import pyoxigraph as ox

    return ox.RdfFormat.RDF_XML if fmt == RDFXML else ox.RdfFormat.TURTLE


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def parse_error(exc: BaseException, path: str, data: bytes | None = None, fmt: str = TURTLE) -> VocabError:
    """The one mapping of a parser failure to ``FILE:LINE: message`` (column kept in the message)."""
    if isinstance(exc, MemoryError):
        return VocabError("a single string or IRI is larger than the parser's 16 MiB limit", path=path)
    if not isinstance(exc, SyntaxError):
        return VocabError(f"cannot read this file: {exc}", path=path)
    message = str(exc.msg) if getattr(exc, "msg", None) else str(exc)
    prefix = "Parser error at line "
    if message.startswith(prefix):
        # "Parser error at line 40 column 47: reason" -> "column 47: reason"
        rest = message[len(prefix) :]
        _, _, rest = rest.partition(" ")
        message = rest.strip()
    line = exc.lineno
    if data is not None and b"\x00" in data:
        nul = data.find(b"\x00")
        nul_line = data.count(b"\n", 0, nul) + 1
        if line is None or nul_line <= line:
            message += " (the file contains NUL bytes: is it a binary file rather than Turtle text?)"
    if fmt == RDFXML:
        message = "RDF/XML: " + message
    else:
        message += _prefix_hint(message, path, data)
    return VocabError(message, path=path, line=line)


def _prefix_hint(message: str, path: str, data: bytes | None) -> str:
    """For an undeclared prefix: the PREFIX line to add, or the declared prefix it is a typo of."""
    import re

    m = re.search(r"The prefix ([\w.-]*): has not been declared", message)
    if not m:
        return ""
    from .namespaces import PREFIXES

    name = m.group(1)
    if data is not None:
        text = data.decode("utf-8", errors="replace")
    else:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
    declared = re.findall(r"(?im)^\s*@?prefix\s+([\w.-]*):", text)
    import difflib

    close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]}:?"
    if name in PREFIXES:
        return f"; add the line PREFIX {name}: <{PREFIXES[name]}> at the top of the file"
    close = difflib.get_close_matches(name, list(PREFIXES), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]}:? (declare it with PREFIX {close[0]}: <{PREFIXES[close[0]]}>)"
    return f"; declare it with a line PREFIX {name}: <...namespace IRI...> at the top of the file"


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


class Parsed:
    """A parsed file: its triples, the prefixes it declares (resolved), its format and base.

    (A plain class: this module is on the lookup path, where importing dataclasses costs.)
    """

    __slots__ = ("triples", "prefixes", "format", "base", "final_base")

    def __init__(
        self,
        triples: list,
        prefixes: dict[str, str] | None = None,
        format: str = TURTLE,
        base: str | None = None,
        final_base: str | None = None,
    ) -> None:
        self.triples = triples
        self.prefixes = prefixes if prefixes is not None else {}
        self.format = format
        self.base = base
        #: The base in force at the end of the file (after its ``@base``/``BASE`` directives).
        self.final_base = final_base


#: The base IRI of this run (``--base``), when set by :func:`using_base`.
_BASE: ContextVar[str | None] = ContextVar("sst_vocab_base", default=None)


@contextmanager
def using_base(base: str | None):
    """Read every file with ``base`` as its base IRI inside this block (the CLI's ``--base``)."""
    token = _BASE.set(base)
    try:
        yield base
    finally:
        _BASE.reset(token)


def base_for(path: str | None, base: str | None) -> str | None:
    """The base IRI of a file: ``base`` when given (or set by :func:`using_base`), else the
    file's own ``file://`` IRI."""
    if base is None:
        base = _BASE.get()
    if base is not None:
        return base
    if path is None:
        return None
    path = os.fspath(path)
    return file_iri(path) if path and not path.startswith("<") else None


def parse(
    data: bytes | str,
    path: str | None = None,
    *,
    base: str | None = None,
    scope: str | None = None,
    fmt: str | None = None,
) -> Parsed:
    """Parse a whole file into triples (lexical forms as written), every problem a VocabError.

    ``base``: the base IRI (default: the file's own ``file://`` IRI; no base when ``path`` is None).
    ``scope``: a prefix put in front of every blank-node label, so that the labels of two
    files never meet (``_:b`` in two files are two nodes).
    """
    import pyoxigraph as ox

    path = os.fspath(path) if path is not None else None
    where = path or "<input>"
    if isinstance(data, str):
        data = data.encode("utf-8")
    fmt = fmt or detect_format(data)
    iri = base_for(path, base)
    try:
        parser = ox.parse(input=data, format=_ox_format(fmt), base_iri=iri)
        triples = [q.triple for q in parser]
        declared = dict(parser.prefixes) if fmt == TURTLE else {}
        final_base = parser.base_iri if fmt == TURTLE else iri
    except (SyntaxError, MemoryError, OSError, ValueError) as exc:
        raise parse_error(exc, where, data, fmt) from exc
    if (at := _triple_term_at(data, fmt)) >= 0 and any(isinstance(t.object, ox.Triple) for t in triples):
        raise _triple_term_error(where, data, at)
    if scope is not None:
        BlankNode, Triple = ox.BlankNode, ox.Triple
        if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):

            def scoped(term):
                return BlankNode(scope + term.value) if isinstance(term, BlankNode) else term

            triples = [Triple(scoped(t.subject), t.predicate, scoped(t.object)) for t in triples]
    return Parsed(triples, declared, fmt, iri, final_base)


def load_into(store: ox.Store, data: bytes, path: str, *, base: str | None = None, fmt: str | None = None) -> str:
    """Load a file into ``store`` (default graph; blank nodes renamed, so scoped per file); its format."""
    fmt = fmt or detect_format(data)
    try:
        store.load(input=data, format=_ox_format(fmt), base_iri=base_for(path, base))
    except (SyntaxError, MemoryError, OSError, ValueError) as exc:
        raise parse_error(exc, path, data, fmt) from exc
    if (at := _triple_term_at(data, fmt)) >= 0 and store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }"):
        raise _triple_term_error(path, data, at)
    return fmt


# RDF 1.2 triple terms parse, but no SKOS tool reads them (and every command would trip on them): bad
# input.  Turtle writes one as <<( s p o )>>, or makes one for a reifier: << s p o >>, {| ... |}, ~.
# These cheap searches (memchr for one byte) find every place one may be; only then are the triples looked at.
_TRIPLE_TERM = re.compile(rb"<<")
_REIFIER = re.compile(rb"~\s*(?:[<_\[.;,\]){|#:]|[A-Za-z\x80-\xff][\w.\x80-\xff-]*:|$)")  # not "H~4"


def _triple_term_at(data: bytes, fmt: str) -> int:
    """The offset of the first place a triple term may be written, or -1."""
    if fmt == RDFXML:
        return data.find(b'parseType="Triple"') if b"T" in data else -1
    found = [
        m.start()
        for m in (_TRIPLE_TERM.search(data) if b"<" in data else None, _REIFIER.search(data) if b"~" in data else None)
        if m
    ]
    if b"|" in data and (i := data.find(b"{|")) >= 0:
        found.append(i)
    return min(found, default=-1)


def _triple_term_error(path: str, data: bytes, at: int) -> VocabError:
    return VocabError(
        "RDF 1.2 triple terms (<<( ... )>>, << ... >>, {| ... |} or a ~ reifier) are not supported: "
        "a SKOS vocabulary states plain triples",
        path=path,
        line=data.count(b"\n", 0, at) + 1,
    )


# ---------------------------------------------------------------------------
# Prefixes, cheaply
# ---------------------------------------------------------------------------

# One directive at a time: @prefix/PREFIX, @base/BASE with what they declare (comments allowed between).
_GAP = r"(?:[ \t\r\n]+|\#[^\n]*)*"
_DIRECTIVE = re.compile(
    rf"""(?:@prefix|(?i:prefix)){_GAP}(?P<name>[^\s:<>#]*):{_GAP}<(?P<iri>[^<>"{{}}|^`\\\x00-\x20]*(?:\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}}|[^<>"{{}}|^`\\\x00-\x20])*)>{_GAP}\.?
        |(?:@base|(?i:base)){_GAP}<(?P<base>(?:\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}}|[^<>"{{}}|^`\\\x00-\x20])*)>{_GAP}\.?""",
    re.X,
)
_NEEDLES = ("@prefix", "@base", "PREFIX", "prefix", "Prefix", "BASE", "base", "Base")


def prefixes(text: str, base: str | None = None) -> dict[str, str]:
    """The prefixes a Turtle text declares, resolved against its base as the parser does.

    A scan for directives that start a line (or follow one on the same line), then one
    parse of just those directives: ~10 ms on a 5 MB file, where parsing the data would
    take ~300 ms.  The last declaration of a name wins, as in Turtle.
    """
    starts: set[int] = set()
    for needle in _NEEDLES:
        at = text.find(needle)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            if not text[line_start:at].strip(" \t\r\ufeff"):
                starts.add(at)
            at = text.find(needle, at + len(needle))
    if not starts:
        return {}
    parts: list[str] = []
    for at in sorted(starts):
        pos = at
        while True:
            m = _DIRECTIVE.match(text, pos)
            if m is None:
                break
            directive = m.group()
            if m.group("base") is not None:
                parts.append(f"BASE <{m.group('base')}>")
            else:
                parts.append(f"PREFIX {m.group('name')}: <{m.group('iri')}>")
            pos = m.end()
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if not directive:
                break
    if not parts:
        return {}
    import pyoxigraph as ox

    doc = "\n".join(parts).encode("utf-8")
    try:
        parser = ox.parse(input=doc, format=ox.RdfFormat.TURTLE, base_iri=base)
        list(parser)
        return dict(parser.prefixes)
    except (SyntaxError, ValueError):
        # one directive the scan misread: fall back to each one that parses on its own
        found: dict[str, str] = {}
        current = base
        for part in parts:
            try:
                parser = ox.parse(input=part.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=current)
                list(parser)
            except (SyntaxError, ValueError):
                continue
            if part.startswith("BASE"):
                current = parser.base_iri or current
            found.update(parser.prefixes)
        return found
