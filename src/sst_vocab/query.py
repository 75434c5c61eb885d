"""Named SPARQL queries (``queries/*.rq``) and running any query safely, locally or on an endpoint.

A named query is a ``.rq`` file whose leading comment is its documentation, read
by :func:`parse_header`::

    # One line saying what it answers.
    #
    # Free text.
    #
    # Parameters:
    #   ?concept   IRI, required   the concept. Example: sst:security
    #
    # Columns:
    #   ?label     its preferred label

Safety, in the order things happen:

1. :func:`check` refuses, before anything is parsed, run or sent, SPARQL Update,
   ``SERVICE``, ``FROM`` / ``FROM NAMED`` and ``LOAD``.  It scans the text itself
   (strings, IRIs and comments skipped) because pyoxigraph's parser accepts keywords
   glued to other tokens (``1SERVICE``, ``a:.SERVICE``, ``SERVICEex:x``) and really
   fetches ``SERVICE``.
2. Bindings become RDF terms (:func:`to_term`) and enter the query as a ``VALUES``
   block at the start of the WHERE group (:func:`with_values`), written from the
   terms' own N-Triples form and checked token by token: no value is ever pasted
   into the text.  The same block goes to a remote endpoint, so both answer alike.
   (pyoxigraph's ``substitutions=`` was measured and rejected: it only binds
   variables of the SELECT clause, ``BOUND()`` sees nothing, and the optimizer
   cannot use the value, which made ``search`` 5-80x slower.)
3. Local queries stop at a time limit (:func:`run_limited`), counted from when the
   vocabulary is loaded.  A pyoxigraph query cannot be cancelled, so the work runs
   apart: on the command line, whose process ends with the command, in a thread that
   is left behind at the limit; for library callers, in a forked child process that
   is killed, so nothing keeps running in theirs.

The library never prints and never exits; errors are :class:`VocabError`.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from .errors import VocabError
from .namespaces import PREFIXES, curie

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary

__all__ = [
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "Column",
    "NamedQuery",
    "Param",
    "Scan",
    "Target",
    "check",
    "execute",
    "find",
    "library",
    "parse_binds",
    "parse_header",
    "run_limited",
    "run_local",
    "start_clock",
    "run_remote",
    "select",
    "to_term",
    "vocab_prefixes",
    "with_values",
]

#: Output formats of ``sst-vocab query`` (SELECT results; ASK and CONSTRUCT have their own).
FORMATS = ("table", "csv", "tsv", "json", "markdown")
#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 5.0
#: Largest answer read from an endpoint.
MAX_REMOTE_BYTES = 256 * 2**20

_MEDIA = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
}
_RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"


# ---------------------------------------------------------------------------
# Named queries: the library and the header format
# ---------------------------------------------------------------------------


class Record:
    """A small immutable-by-convention record: fields by position or name, compared by value.

    (``typing.NamedTuple`` costs about 0.25 ms per class at start-up; lookups count milliseconds.)
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for name, value in zip(self.__slots__, args, strict=False):
            object.__setattr__(self, name, value)
        for name, value in kwargs.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class Param(Record):
    """A declared parameter: name, kind ("IRI" or "text"), required, description, example."""

    __slots__ = ("name", "kind", "required", "description", "example")
    name: str
    kind: str
    required: bool
    description: str
    example: str


class Column(Record):
    __slots__ = ("name", "description")
    name: str
    description: str


class NamedQuery(Record):
    """A query and its documentation.  ``params`` is None when the text declares none (ad-hoc)."""

    __slots__ = ("name", "text", "path", "description", "params", "columns")
    name: str
    text: str
    path: str | None
    description: str
    params: tuple[Param, ...] | None
    columns: tuple[Column, ...]

    @property
    def where(self) -> str:
        """How errors name this query: its file, or ``--sparql``."""
        return self.path or "(--sparql)"


_PARAM_LINE = re.compile(r"\?(\w+)\s+(IRI|text)\s*,\s*(required|optional)\b\s*(.*)$", re.I)
_COLUMN_LINE = re.compile(r"\?(\w+)\s*(.*)$")
_EXAMPLE = re.compile(r"\s*\bExample:\s*(\S.*?)\s*$", re.I)


def parse_header(text: str, name: str, path: str | None = None) -> NamedQuery:
    """Read the leading comment of a query: description, ``Parameters:`` and ``Columns:`` sections.

    A header without a ``Parameters:`` line declares nothing: any variable of the
    query may then be bound, none is required.
    """
    description = ""
    section: str | None = None
    params: list[list[Any]] | None = None
    columns: list[list[str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if not body:
            section = None
            continue
        lowered = body.lower()
        if lowered.startswith("parameters:"):
            section, params = "params", []
            continue
        if lowered.startswith("columns:"):
            section = "columns"
            continue
        if section is None:
            description = description or body
        elif body.startswith("?"):
            if section == "params":
                m = _PARAM_LINE.match(body)
                if not m:
                    raise VocabError(
                        "cannot read this parameter: write '?name  IRI|text, required|optional  what it is. "
                        "Example: value'",
                        path=path,
                        line=number,
                    )
                assert params is not None
                params.append([m.group(1), "IRI" if m.group(2).upper() == "IRI" else "text",
                               m.group(3).lower() == "required", m.group(4)])
            else:
                m = _COLUMN_LINE.match(body)
                assert m is not None
                columns.append([m.group(1), m.group(2)])
        elif section == "params" and params:
            params[-1][3] = f"{params[-1][3]} {body}".strip()
        elif section == "columns" and columns:
            columns[-1][1] = f"{columns[-1][1]} {body}".strip()
    declared = None
    if params is not None:
        found: list[Param] = []
        for pname, kind, required, desc in params:
            m = _EXAMPLE.search(desc)
            example = m.group(1).rstrip(".") if m else ""
            desc = desc[: m.start()].rstrip() if m else desc
            found.append(Param(pname, kind, required, desc, example))
        declared = tuple(found)
    return NamedQuery(name, text, path, description, declared, tuple(Column(*c) for c in columns))


def _queries_dir() -> str:
    from .resources import data_dir

    return data_dir("queries")


def _names(folder: str) -> list[str]:
    """The query names in ``folder``: its ``*.rq`` files without the suffix, sorted."""
    return sorted(name[:-3] for name in os.listdir(folder)
                  if name.endswith(".rq") and os.path.isfile(os.path.join(folder, name)))


def library() -> dict[str, NamedQuery]:
    """The shipped named queries, by name (the file name without ``.rq``), sorted."""
    folder = _queries_dir()
    return {name: _read_query_file(os.path.join(folder, name + ".rq")) for name in _names(folder)}


def _read_query_file(path: str) -> NamedQuery:
    from .loader import read_text

    _, text = read_text(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    return parse_header(text, stem, path)


def find(spec: str) -> NamedQuery:
    """A shipped query by NAME, or a query file (``.rq``, or any path that exists)."""
    looks_like_file = spec.endswith((".rq", ".sparql")) or "/" in spec or os.sep in spec
    queries_dir = _queries_dir()
    named = os.path.join(queries_dir, f"{spec}.rq")
    if not looks_like_file and re.fullmatch(r"[\w.-]+", spec) and os.path.isfile(named):
        return _read_query_file(named)
    if looks_like_file or os.path.isfile(spec):
        if not os.path.exists(spec):
            raise VocabError("no such query file", path=spec)
        return _read_query_file(spec)
    import difflib

    names = _names(queries_dir)
    close = difflib.get_close_matches(spec, names, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise VocabError(f"no query named '{spec}': {hint}(`sst-vocab queries` lists them: {', '.join(names)})")


def from_text(text: str) -> NamedQuery:
    """An ad-hoc query given with ``--sparql``."""
    return parse_header(text, "--sparql", None)


# ---------------------------------------------------------------------------
# The scanner: refusals, variables, prefixes, where the WHERE group starts
# ---------------------------------------------------------------------------

# Name characters.  A variable, the local part of a prefixed name and a blank node label
# are the only code not searched for forbidden keywords, so none of these tokens may
# end before pyoxigraph's own token does (else a keyword after it would go unseen).
# Ours are as long or longer: \w (letters, digits, _) agrees with the grammar on
# ASCII, and a non-ASCII \w character outside the grammar's PN_CHARS is a syntax
# error for pyoxigraph, never a token boundary; a local name may take a final "."
# (the grammar leaves it to the statement), which hides nothing.  What a local name
# must not do is start with "." ("a:.SERVICE" is "a:" "." "SERVICE").  The exact
# Unicode ranges of the grammar take ~40 ms to compile: too slow here.
_PLX = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = rf"(?:[\w:%]|{_PLX})(?:[\w:%\-.\u00b7]|{_PLX})*+"
_VARNAME = r"\w[\w\u00b7]*"

# The SPARQL 1.1 terminals, tried in this order at each position (the grammar's
# longest-match where it matters: long strings before short ones, names before words,
# "?x" before "?", "<iri>" before "<").  A character that starts none of them is
# skipped, like a one-character token (an explicit catch-all "." would make this take
# 10 ms to compile instead of 1).  The prefix of a prefixed name is possessive so that
# a plain word fails at once instead of backtracking.
_TOKEN = re.compile(
    rf"""
     (?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<brace>[{{}}])
    |(?P<punct>[()\[\];,*+/|^!=&])
    |(?P<var>[?$]{_VARNAME})
    |(?P<pname>(?P<prefix>[^\W\d_][\w\-.\u00b7]*+)?:(?:{_PN_LOCAL})?)
    |(?P<bnode>_:\w[\w\-.\u00b7]*+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<op>\^\^|\|\||&&|!=|<=|>=|[.?$@<>-])
    """,
    re.X | re.S,
)

# Searched as substrings of every bare word, prefix name and language tag, because
# pyoxigraph's parser splits "trueSERVICE" or "SERVICEex:x" into a keyword and a name.
# No SPARQL keyword or function contains one of these.
_FORBIDDEN = re.compile(r"SERVICE|FROM|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|USING", re.I)
_REASONS = {
    "SERVICE": "SERVICE (a federated query) would send part of the query to another server; "
               "queries run on the vocabulary only",
    "FROM": "FROM / FROM NAMED would read a graph other than the vocabulary; queries always run on the "
            "loaded vocabulary (choose its files with --vocab)",
    "LOAD": "LOAD would fetch and insert data; queries are read-only",
}
_UPDATE_REASON = "SPARQL Update ({word}) would change the data; queries are read-only"


class Scan(Record):
    """What the scanner learnt about a query that passed :func:`check`."""

    __slots__ = ("variables", "prefixes", "used_prefixes", "form", "where", "short_construct")
    variables: frozenset[str]
    prefixes: dict[str, str]  # declared with PREFIX
    used_prefixes: frozenset[str]
    form: str | None  # SELECT, ASK, CONSTRUCT or DESCRIBE (first keyword found)
    where: int | None  # offset just after the "{" that opens the WHERE group
    short_construct: bool  # CONSTRUCT WHERE { ... }


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _refuse(text: str, offset: int, word: str, where: str | None) -> None:
    word = word.upper()
    line, column = _position(text, offset)
    reason = _REASONS.get(word) or _UPDATE_REASON.format(word=word)
    raise VocabError(f"column {column}: {word} is refused: {reason}", path=where, line=line)


def check(text: str, where: str | None = None) -> Scan:
    """Refuse updates, SERVICE, FROM/FROM NAMED and LOAD (VocabError with line and column); else scan."""
    variables: set[str] = set()
    declared: dict[str, str] = {}
    used: set[str] = set()
    form = None
    depth = 0
    top_braces: list[int] = []
    where_at: int | None = None
    saw_where = False
    construct_then_where = False
    previous_word: str | None = None
    pending_prefix: str | None = None
    forbidden = _FORBIDDEN.search
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        if kind == "brace":
            if m.group() == "{":
                if depth == 0:
                    top_braces.append(m.end())
                    if saw_where and where_at is None:
                        where_at = m.end()
                depth += 1
            elif depth:
                depth -= 1
            previous_word = None
        elif kind == "word":
            value = m.group()
            if bad := forbidden(value):
                _refuse(text, m.start() + bad.start(), bad.group(), where)
            upper = value.upper()
            if depth == 0:
                if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                    form = upper
                elif upper == "WHERE":
                    saw_where = True
                    construct_then_where = form == "CONSTRUCT" and previous_word == "CONSTRUCT"
            previous_word = upper
        elif kind == "var":
            variables.add(m.group()[1:])
            previous_word = None
        elif kind == "pname":
            prefix = m.group("prefix") or ""
            if prefix and (bad := forbidden(prefix)):
                _refuse(text, m.start() + bad.start(), bad.group(), where)
            if previous_word == "PREFIX" and m.end() - m.start() == len(prefix) + 1:
                pending_prefix = prefix
            else:
                used.add(prefix)
            previous_word = None
        else:
            if kind == "iri" and pending_prefix is not None:
                declared.setdefault(pending_prefix, m.group()[1:-1])
                pending_prefix = None
            elif kind == "lang" and (bad := forbidden(m.group())):
                _refuse(text, m.start() + bad.start(), bad.group(), where)
            previous_word = None
    if where_at is None and not saw_where and top_braces:
        # WHERE is optional: the group is the first top-level one (the second after a CONSTRUCT template).
        index = 1 if form == "CONSTRUCT" else 0
        if len(top_braces) > index:
            where_at = top_braces[index]
    return Scan(frozenset(variables), declared, frozenset(used), form, where_at, construct_then_where)


# ---------------------------------------------------------------------------
# Bindings: text -> RDF term -> VALUES block
# ---------------------------------------------------------------------------

_ABSOLUTE_IRI = re.compile(r"(?i)(?:https?|urn):\S")
_CURIE = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def to_term(value: str, prefixes: Mapping[str, str] = PREFIXES, kind: str | None = None, name: str = "value"):
    """The RDF term a ``--bind`` value stands for.

    ``<IRI>``, an absolute IRI (``http:``, ``https:``, ``urn:``) or a CURIE with a known
    prefix is an IRI; anything else is a plain literal.  A parameter declared ``text``
    is always a literal; one declared ``IRI`` must be an IRI.
    """
    import pyoxigraph as ox

    if kind == "text":
        return ox.Literal(value)
    iri = None
    explicit = value.startswith("<") and value.endswith(">") and len(value) > 2
    if explicit:
        iri = value[1:-1]
    elif _ABSOLUTE_IRI.match(value):
        iri = value
    else:
        m = _CURIE.fullmatch(value)
        if m and (m.group(1) or "") in prefixes and not m.group(2).startswith("//"):
            iri = prefixes[m.group(1) or ""] + m.group(2)
    if iri is not None:
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            if explicit or kind == "IRI":
                raise VocabError(f"?{name}: {value!r} is not a valid IRI ({exc})") from exc
    if kind == "IRI":
        known = ", ".join(sorted(p + ":" for p in prefixes if p))
        raise VocabError(
            f"?{name} takes an IRI: an absolute IRI (http:, https:, urn:), <IRI>, or a CURIE with a known prefix "
            f"({known}); {value!r} is none of these"
        )
    return ox.Literal(value)


def parse_binds(binds: Iterable[str]) -> list[tuple[str, str]]:
    """``VAR=VALUE`` strings (``?VAR=`` and ``$VAR=`` too) as (name, value) pairs."""
    pairs: list[tuple[str, str]] = []
    seen = set()
    for item in binds:
        name, sep, value = item.partition("=")
        name = name.strip()
        if name[:1] in "?$":
            name = name[1:]
        if not sep or not _VAR_NAME.fullmatch(name):
            raise VocabError(f"--bind takes VAR=VALUE (for example --bind concept=sst:security), not {item!r}")
        if name in seen:
            raise VocabError(f"?{name} is bound twice")
        seen.add(name)
        pairs.append((name, value))
    return pairs


def bind(query: NamedQuery, scan: Scan, pairs: Sequence[tuple[str, str]], prefixes: Mapping[str, str]) -> dict:
    """Check the pairs against the query's parameters and turn each value into an RDF term."""
    if query.params is None:
        kinds: dict[str, str | None] = dict.fromkeys(scan.variables)
        for pname, _ in pairs:
            if pname not in kinds:
                known = ", ".join("?" + v for v in sorted(scan.variables)) or "none"
                raise VocabError(f"?{pname} does not appear in the query (its variables: {known})", path=query.path)
    else:
        kinds = {p.name: p.kind for p in query.params}
        takes = ", ".join("?" + p.name for p in query.params) or "no parameters"
        for pname, _ in pairs:
            if pname not in kinds:
                raise VocabError(f"unknown parameter ?{pname} for query '{query.name}' (it takes {takes})")
        given = {pname for pname, _ in pairs}
        for p in query.params:
            if p.required and p.name not in given:
                example = f" Example: --bind {p.name}={p.example}" if p.example else ""
                raise VocabError(
                    f"query '{query.name}' needs ?{p.name} ({p.kind}): {p.description}.{example}".replace("..", ".")
                )
    return {pname: to_term(value, prefixes, kinds.get(pname), pname) for pname, value in pairs}


def _kinds(text: str) -> list[str | None]:
    """Token kinds, with None for any character no token covers."""
    kinds: list[str | None] = []
    at = 0
    for m in _TOKEN.finditer(text):
        if m.start() > at:
            kinds.append(None)
        at = m.end()
        if m.lastgroup != "ws":
            kinds.append(m.lastgroup)
    if at < len(text):
        kinds.append(None)
    return kinds


def _sparql_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        if re.search(r'[<>"{}|^`\\\x00-\x20]', term.value):  # NamedNode already refuses these
            raise VocabError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return str(term)  # N-Triples form: quotes, backslashes and line breaks escaped
    raise VocabError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def values_block(bindings: Mapping[str, Any]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for one row of bindings, verified token by token."""
    names = list(bindings)
    for n in names:
        if not _VAR_NAME.fullmatch(n):
            raise VocabError(f"not a variable name: {n!r}")
    terms = [_sparql_term(t) for t in bindings.values()]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    # The block must read back as exactly: VALUES ( vars ) { ( terms ) }.
    kinds = _kinds(block)
    term_kinds = [k for t in terms for k in _kinds(t)]
    expected = ["word", "punct", *["var"] * len(names), "punct", "brace", "punct", *term_kinds, "punct", "brace"]
    allowed = {"iri", "string", "lang", "punct"}  # punct: the two ^ of a typed literal's ^^
    if kinds != expected or not set(term_kinds) <= allowed:
        raise VocabError("internal error: a binding did not serialize to a single RDF term")
    return block


def with_values(text: str, scan: Scan, bindings: Mapping[str, Any], where: str | None = None) -> str:
    """The query with the bindings as a VALUES block at the start of its WHERE group."""
    if not bindings:
        return text
    if scan.short_construct:
        raise VocabError("the short form CONSTRUCT WHERE { ... } cannot take bindings; "
                         "write CONSTRUCT { ... } WHERE { ... }", path=where)
    if scan.where is None:
        raise VocabError("this query has no WHERE clause to bind variables in", path=where)
    return f"{text[:scan.where]} {values_block(bindings)} {text[scan.where:]}"


# ---------------------------------------------------------------------------
# Prefixes and display
# ---------------------------------------------------------------------------

def vocab_prefixes(vocab: "Vocabulary") -> dict[str, str]:
    """The prefixes the vocabulary's files declare, resolved against each file's base (first
    file wins); a cheap scan, see :attr:`sst_vocab.loader.Vocabulary.prefixes`."""
    scanned = getattr(vocab, "scanned_prefixes", None)  # a cached vocabulary: found when it was stored
    if scanned is not None:
        return dict(scanned)
    return vocab.prefixes


def display(term, prefixes: Mapping[str, str]) -> str:
    """A term as people read it: a CURIE or the IRI, a literal's text, ``_:id`` for a blank node."""
    if term is None:
        return ""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return short_iri(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def short_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` with the longest matching namespace, or the IRI itself."""
    return curie(iri, prefixes)


# ---------------------------------------------------------------------------
# Where queries run: the loaded vocabulary or an endpoint
# ---------------------------------------------------------------------------


class Target:
    """Where queries run: a loaded vocabulary, or a SPARQL endpoint.

    ``timeout``: seconds a local run may take (None: no limit, in this process);
    for an endpoint, the limit of each request (None: :data:`DEFAULT_TIMEOUT`).
    """

    def __init__(self, vocab: "Vocabulary | None" = None, endpoint: str | None = None,
                 timeout: float | None = DEFAULT_TIMEOUT, graph: str | None = None) -> None:
        self.vocab = vocab
        self.endpoint = endpoint
        self.timeout = timeout if timeout else None
        #: For an endpoint: the named graph queried as the default graph (``default-graph-uri``).
        self.graph = graph
        self._prefixes: dict[str, str] | None = None

    @classmethod
    def open(cls, paths: Sequence[str] | None = None, endpoint: str | None = None,
             timeout: float | None = DEFAULT_TIMEOUT, *, cache: bool = False,
             graph: str | None = None) -> "Target":
        """Load the vocabulary (default: the shipped one), or check the endpoint URL.

        With ``cache``, a large vocabulary comes from the persistent cache when its
        files are unchanged (:mod:`sst_vocab.cache`).  ``graph`` (endpoints only): the
        named graph to query, sent as ``default-graph-uri``.
        """
        if endpoint:
            check_endpoint(endpoint)
            return cls(None, endpoint, timeout, None if graph is None else check_graph(graph))
        if graph is not None:
            raise VocabError("--graph applies to --endpoint only: a local vocabulary is one graph "
                             "(choose its files with --vocab)")
        if cache:
            from .cache import load as load_cached

            return cls(load_cached(paths or None), None, timeout)
        from .loader import load

        return cls(load(paths or None), None, timeout)

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for CURIEs: the project's, then the vocabulary's own."""
        if self._prefixes is None:
            merged = dict(PREFIXES)
            if self.vocab is not None:
                for k, v in vocab_prefixes(self.vocab).items():
                    merged.setdefault(k, v)
            self._prefixes = merged
        return self._prefixes

    def run(self, query: NamedQuery, text: str, form: str | None = None, accept: str | None = None):
        """Run the prepared ``text`` of ``query``: a pyoxigraph result (remote: parsed from the answer).

        ``form`` (from :func:`query_form`) is needed for an endpoint only.
        """
        if self.vocab is not None:
            try:
                answer = getattr(self.vocab, "cached_query", None)  # a cached vocabulary keeps its answers
                if answer is not None:
                    return answer(text, self.prefixes)
                return self.vocab.store.query(text, prefixes=self.prefixes)
            except SyntaxError:
                query_form(query, self)  # the user's text, for a line and column they can find
                raise VocabError("internal error: the query no longer parses with its bindings",
                                 path=query.path) from None
        form = form or query_form(query, self)
        ctype, body = run_remote(self.endpoint or "", text, accept=accept or _accept_for(form, "json"),
                                 timeout=self.timeout or DEFAULT_TIMEOUT, graph=self.graph)
        return _parse_remote(form, ctype, body)


def check_endpoint(url: str) -> None:
    """An absolute http(s) URL without credentials in it (see :func:`sst_vocab.http.check_url`)."""
    from .http import check_url

    check_url(url, "--endpoint")


def _accept_for(form: str, fmt: str) -> str:
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _RDF_ACCEPT
    if form == "SELECT" and fmt in _MEDIA:
        return _MEDIA[fmt]
    return _MEDIA["json"]


def prepare(query: NamedQuery, pairs: Sequence[tuple[str, str]], target: Target,
            scan: Scan | None = None) -> tuple[str, Scan]:
    """Refuse, then bind: (the text to run, the scan).  Nothing is parsed by pyoxigraph or run yet.

    For an endpoint, the prefixes the query uses but does not declare are added in front.
    """
    scan = scan or check(query.text, query.where)
    prefixes = {**target.prefixes, **scan.prefixes}
    bindings = bind(query, scan, pairs, prefixes)
    text = with_values(query.text, scan, bindings, query.where)
    if target.endpoint:
        missing = sorted(p for p in scan.used_prefixes if p not in scan.prefixes and p in target.prefixes)
        if missing:
            text = "".join(f"PREFIX {p}: <{target.prefixes[p]}>\n" for p in missing) + text
    return text, scan


def query_form(query: NamedQuery, target: Target, scan: Scan | None = None) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, by parsing the user's text on an empty store.

    Raises the parser's error with the line and column in the user's text.  Needed
    before sending to an endpoint; a local run learns the form from its result.
    """
    import pyoxigraph as ox

    try:
        result = ox.Store().query(query.text, prefixes=target.prefixes)  # nothing to evaluate
    except SyntaxError as exc:
        raise _syntax_error(exc, query) from exc
    return _form_of(result, (scan or check(query.text, query.where)).form)


def _form_of(result, guess: str | None = None) -> str:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QuerySolutions):
        return "SELECT"
    return guess if guess in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT"


def _syntax_error(exc: SyntaxError, query: NamedQuery) -> VocabError:
    message = str(exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m:
        return VocabError(f"column {m.group(2)}: {m.group(3)}", path=query.where, line=int(m.group(1)))
    return VocabError(message, path=query.where)


def select(target: Target, query: NamedQuery, **values: str) -> tuple[list[str], list[tuple]]:
    """Run a SELECT query with bindings given as text (as on the command line): (columns, rows of terms)."""
    import pyoxigraph as ox

    text, _ = prepare(query, [(k, v) for k, v in values.items() if v is not None], target)
    try:
        solutions = target.run(query, text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise VocabError(f"query '{query.name}' is not a SELECT query", path=query.path)
        columns = [v.value for v in solutions.variables]
        rows = [tuple(s) for s in solutions]  # values in column order
    except (OSError, RuntimeError, ValueError) as exc:
        raise VocabError(f"the query failed: {exc}", path=query.path) from exc
    return columns, rows


# ---------------------------------------------------------------------------
# Running with a time limit
# ---------------------------------------------------------------------------


_CLOCK_FD: int | None = None  # in a limited child: where to say "the timed part starts now"
_CLOCKS: dict[int, Any] = {}  # in a limited thread (by thread id): the event that starts the clock


def start_clock() -> None:
    """In the work of :func:`run_limited` with ``clock_on_signal``: the time limit counts from now."""
    global _CLOCK_FD
    if _CLOCK_FD is not None:
        os.write(_CLOCK_FD, b"R")
        _CLOCK_FD = None
    if _CLOCKS:
        import _thread

        clock = _CLOCKS.pop(_thread.get_ident(), None)
        if clock is not None:
            clock.set()


def _timed_out(timeout: float) -> VocabError:
    return VocabError(
        f"the query did not finish within {timeout:g} s and was stopped; narrow it down "
        "(fewer patterns, a LIMIT) or allow more time with --timeout"
    )


def run_limited(fn: Callable[..., Any], args: Sequence[Any] = (), timeout: float | None = DEFAULT_TIMEOUT, *,
                clock_on_signal: bool = False) -> Any:
    """``fn(*args)``, stopped after ``timeout`` seconds.

    pyoxigraph cannot cancel a running query, so the work runs apart and is given up
    at the limit.  Where the process ends right after the command
    (:data:`sst_vocab.runtime.ends_after_command`, the command line) it runs in a
    daemon thread (pyoxigraph releases the GIL while it evaluates, so the wait
    keeps time), left behind at the limit for the exit to stop.  Elsewhere it runs
    in a forked child process that is killed at the limit (``os.fork``: a few
    milliseconds), so nothing keeps running in the caller's process; ``fn`` must then
    return plain data (str, bytes, numbers, tuples, lists, dicts).  With
    ``clock_on_signal`` the limit counts from ``fn``'s call of :func:`start_clock`
    (after loading the vocabulary, whose size should not count against a query's
    time), else from the start.  A VocabError raised by ``fn`` is raised again here;
    any other error becomes "the query failed".  Without a timeout, or without
    ``fork`` (Windows) in a library caller, ``fn`` runs here, without a limit.
    """
    if not timeout:
        return fn(*args)
    from . import runtime

    if runtime.ends_after_command:
        return _run_in_thread(fn, args, timeout, clock_on_signal)
    if not hasattr(os, "fork"):
        return fn(*args)
    return _run_in_child(fn, args, timeout, clock_on_signal)


def _run_in_thread(fn: Callable[..., Any], args: Sequence[Any], timeout: float, clock_on_signal: bool) -> Any:
    import contextvars
    import threading

    context = contextvars.copy_context()  # the run's settings (--base) go with the work
    clock, done = threading.Event(), threading.Event()
    outcome: list[tuple[str, Any]] = []

    def work() -> None:
        if clock_on_signal:
            _CLOCKS[threading.get_ident()] = clock
        try:
            outcome.append(("ok", context.run(fn, *args)))
        except BaseException as exc:  # noqa: BLE001 - reported to the waiting caller
            outcome.append(("error", exc))
        finally:
            _CLOCKS.pop(threading.get_ident(), None)
            clock.set()
            done.set()

    if not clock_on_signal:
        clock.set()
    threading.Thread(target=work, name="sst-vocab limited work", daemon=True).start()
    clock.wait()
    if not done.wait(timeout):
        raise _timed_out(timeout)
    kind, value = outcome[0]
    if kind == "ok":
        return value
    if isinstance(value, VocabError):
        raise value
    raise VocabError(f"the query failed: {type(value).__name__}: {value}") from value


def _run_in_child(fn: Callable[..., Any], args: Sequence[Any], timeout: float, clock_on_signal: bool) -> Any:
    import gc
    import marshal
    import select as select_module
    import signal
    import time

    read_end, write_end = os.pipe()
    gc.freeze()  # the collector must not touch (and so copy) every shared object in the child
    pid = os.fork()
    if pid == 0:  # the child: never returns
        global _CLOCK_FD
        status = 0
        try:
            gc.disable()
            os.close(read_end)
            _CLOCK_FD = write_end if clock_on_signal else None
            try:
                payload: tuple = ("ok", fn(*args))
            except VocabError as exc:
                payload = ("error", exc.message, exc.path, exc.line)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                payload = ("crash", f"{type(exc).__name__}: {exc}")
            start_clock()  # the framing: "R" always comes first when clock_on_signal
            out = memoryview(marshal.dumps(payload))
            while out:
                out = out[os.write(write_end, out):]
        except BaseException:  # noqa: BLE001
            status = 70
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)
    deadline = None if clock_on_signal else time.monotonic() + timeout
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select_module.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                if deadline is None:  # the first byte is the child's "R": the clock starts
                    deadline = time.monotonic() + timeout
                    chunk = chunk[1:]
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it finished just now
                pass
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise _timed_out(timeout)
    data = b"".join(chunks)
    if not data:
        how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else f"exit {status >> 8}"
        raise VocabError(f"the query process ended without an answer ({how}); it may have run out of memory")
    payload = marshal.loads(data)
    if payload[0] == "ok":
        return payload[1]
    if payload[0] == "error":
        raise VocabError(payload[1], path=payload[2], line=payload[3])
    raise VocabError(f"the query failed: {payload[1]}")


def run_local(fn: Callable[..., Any], paths: Sequence[str] | None, args: Sequence[Any] = (),
              timeout: float | None = None, cache: bool = False) -> Any:
    """``fn(target, *args)`` on the loaded vocabulary; with a ``timeout``, in a limited child.

    The child loads the vocabulary itself (so this process never imports
    pyoxigraph) and the limit counts from when loading is done.  ``cache``: see
    :meth:`Target.open`.
    """
    return run_limited(_load_and_run, (fn, paths, args, cache), timeout, clock_on_signal=True)


def _load_and_run(fn: Callable[..., Any], paths: Sequence[str] | None, args: Sequence[Any], cache: bool) -> Any:
    target = Target.open(paths, None, None, cache=cache)
    if not getattr(target.vocab, "starts_clock", False):  # a cached vocabulary loads later, if at all
        start_clock()
    return fn(target, *args)


# ---------------------------------------------------------------------------
# Remote endpoints (SPARQL 1.1 Protocol)
# ---------------------------------------------------------------------------


def run_remote(endpoint: str, query: str, bindings: Mapping[str, Any] | None = None, *,
               accept: str = _MEDIA["json"], timeout: float = DEFAULT_TIMEOUT,
               graph: str | None = None) -> tuple[str, bytes]:
    """Send a query to a SPARQL 1.1 endpoint; return (content type, body).

    The query is checked first (updates, SERVICE, FROM, LOAD refused: nothing is
    sent).  ``bindings`` (name -> pyoxigraph term) go in as a VALUES block at the
    start of the WHERE group.  ``graph``: the named graph to query as the default
    graph, sent as the protocol's ``default-graph-uri`` parameter (the query text is
    not changed).  POST, form-encoded, through :mod:`sst_vocab.http`: credentials
    from ``SST_VOCAB_TOKEN``, ``SST_VOCAB_USER``/``SST_VOCAB_PASSWORD`` or netrc, TLS
    verified, redirects refused, the whole exchange within ``timeout`` seconds,
    answers up to :data:`MAX_REMOTE_BYTES`.  Failures raise
    :class:`sst_vocab.http.RemoteError` (a VocabError) naming the endpoint and what to
    check.
    """
    import urllib.parse

    from . import http

    check_endpoint(endpoint)
    scan = check(query, "(query)")
    if bindings:
        query = with_values(query, scan, bindings)
    form = [("query", query)]
    if graph is not None:
        form.append(("default-graph-uri", check_graph(graph)))
    def send():
        return http.request(
            "POST", endpoint,
            data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "sst-vocab"},
            timeout=timeout, credentials=http.credentials_for(endpoint), action="query the endpoint",
            hints=_ENDPOINT_HINTS, max_bytes=MAX_REMOTE_BYTES, too_large="add a LIMIT to the query",
        )

    try:
        response = send()
    except http.RemoteError as exc:
        if not _transient_endpoint_failure(exc):
            raise
        response = send()  # once more: the query is read-only
    return response.headers.get("Content-Type", ""), response.body


def _transient_endpoint_failure(exc: Exception) -> bool:
    """An endpoint failure that asking again cures (an endpoint quirk, like those in :func:`endpoint_quirks`).

    Virtuoso 7, on a graph loaded moments ago, sometimes fails to compile a query it
    compiles a moment later: HTTP 500 with "SQ156: Internal Optimized compiler error".
    """
    return getattr(exc, "status", None) == 500 and "SQ156" in str(exc)


def check_graph(iri: str, option: str = "--graph") -> str:
    """An absolute IRI to name a graph with; else VocabError."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", iri or ""):
        raise VocabError(f"{option} {iri!r} is not an absolute IRI (for example https://w3id.org/sst-vocab/version/0.1.0)")
    return iri


def endpoint_quirks(form: str, ctype: str, body: bytes) -> tuple[str, bytes]:
    """An endpoint's answer made standard: every known deviation of a store, handled here and only here.

    - Virtuoso writes literals with a datatype as ``"type": "typed-literal"`` in SPARQL
      JSON results (a draft of the format; SPARQL 1.1 says ``"literal"``), which
      standard parsers refuse.
    - Virtuoso writes an ``xsd:boolean`` value in SPARQL JSON results as ``"1"`` or ``"0"``
      (the named queries write their booleans as ``STRDT("true", xsd:boolean)``: a plain
      ``true`` comes back from Virtuoso as the integer 1).
    - Virtuoso answers ``ASK`` in CSV and TSV (and, in some versions, JSON) as a table
      with one integer binding (``"bool"`` / ``1``) instead of a boolean.

    CSV and TSV carry no datatypes, so a boolean written as 1 cannot be told from an
    integer there: SELECT results are always asked for as JSON (see :func:`execute`).
    """
    media = ctype.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json") and b'"typed-literal"' in body:
        import json

        try:
            doc = json.loads(body)
            for row in doc.get("results", {}).get("bindings", []):
                for value in row.values():
                    if isinstance(value, dict) and value.get("type") == "typed-literal":
                        value["type"] = "literal"
                        if value.get("datatype") == _XSD_BOOLEAN and value.get("value") in ("0", "1"):
                            value["value"] = "true" if value["value"] == "1" else "false"
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except (ValueError, AttributeError, TypeError):
            pass  # not JSON after all: the parser will say so
    if form == "ASK":
        answer = _ask_as_table(media, body)
        if answer is not None:
            return "application/sparql-results+json", b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false")
    return ctype, body


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _ask_as_table(media: str, body: bytes) -> bool | None:
    """The boolean of an ASK answered as a one-cell table (Virtuoso), else None."""
    if media in ("text/csv", "text/tab-separated-values"):
        lines = body.decode("utf-8", "replace").split()
        if len(lines) == 2:
            value = lines[1].strip().strip('"').split("^^")[0].strip('"').lower()
            if value in ("1", "0", "true", "false"):
                return value in ("1", "true")
    if media in ("application/sparql-results+json", "application/json") and b'"boolean"' not in body:
        import json

        try:
            rows = json.loads(body)["results"]["bindings"]
            if len(rows) == 1 and len(rows[0]) == 1:
                value = str(next(iter(rows[0].values())).get("value", "")).lower()
                if value in ("1", "0", "true", "false"):
                    return value in ("1", "true")
        except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
            return None
    return None


#: What :func:`empty_default_graph_note` asks an endpoint: is the default graph empty; which graphs hold concepts.
DEFAULT_GRAPH_PROBES = (
    "ASK { ?s ?p ?o }",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } } ORDER BY ?g LIMIT 6",
)


def empty_default_graph_note(target: "Target") -> str | None:
    """When a query on an endpoint's default graph found nothing: say so if that graph is empty, and name --graph.

    None when a graph was named, when the default graph holds data, or when the
    endpoint cannot tell (the note is advice; its failure must not hide the answer).
    """
    if not target.endpoint or target.graph is not None:
        return None
    try:
        _, body = run_remote(target.endpoint, DEFAULT_GRAPH_PROBES[0], timeout=target.timeout or DEFAULT_TIMEOUT)
        _, body = endpoint_quirks("ASK", "application/sparql-results+json", body)
        import json

        if json.loads(body).get("boolean") is not False:
            return None
        _, body = run_remote(target.endpoint, DEFAULT_GRAPH_PROBES[1], timeout=target.timeout or DEFAULT_TIMEOUT)
        _, body = endpoint_quirks("SELECT", "application/sparql-results+json", body)
        graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"] if "g" in b]
    except (VocabError, ValueError, KeyError, TypeError, AttributeError):
        return None
    note = ("The endpoint's default graph is empty, so nothing was found. A vocabulary published with "
            "`sst-vocab publish` is in a named graph (its version IRI): name it with --graph IRI.")
    if graphs:
        shown = ", ".join(f"<{g}>" for g in graphs[:5]) + (", ..." if len(graphs) > 5 else "")
        note += f" Graphs with SKOS concepts there: {shown}; for example --graph {graphs[0]}"
    return note + "\n"


#: What to check when a query endpoint answers with these statuses (others: sst_vocab.http's advice).
_ENDPOINT_HINTS = {
    400: "the endpoint could not run the query: see what it said (another SPARQL dialect?)",
    403: "the account may lack permission to query this endpoint",
    404: "check the path of the URL: the query endpoint, e.g. .../sparql or .../DATASET/query",
    405: "this URL does not take SPARQL queries by POST: check that it is the query endpoint",
}


def _parse_remote(form: str, ctype: str, body: bytes):
    import pyoxigraph as ox

    ctype, body = endpoint_quirks(form, ctype, body)
    media = ctype.split(";")[0].strip() or "(none)"
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            rdf = ox.RdfFormat.from_media_type(ctype) if ctype else None
            if rdf is None:
                raise VocabError(f"the endpoint answered with Content-Type {media}, not RDF")
            return [q.triple for q in ox.parse(body, format=rdf)]
        fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
        if fmt is None or fmt == ox.QueryResultsFormat.CSV:
            raise VocabError(f"the endpoint answered with Content-Type {media}, not SPARQL results (JSON, XML or TSV)")
        return ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise VocabError(f"the endpoint's answer ({media}) does not parse: {exc}") from exc


# ---------------------------------------------------------------------------
# `sst-vocab query`: one function from arguments to output
# ---------------------------------------------------------------------------


def execute(spec: str | None = None, sparql: str | None = None, binds: Iterable[str] = (), fmt: str | None = None,
            paths: Sequence[str] | None = None, endpoint: str | None = None,
            timeout: float | None = DEFAULT_TIMEOUT, width: int = 100, *, graph: str | None = None,
            cache: bool = True, notes: list[str] | None = None) -> tuple[bytes, int]:
    """Run a named query, a query file or ``--sparql`` text; return (output, exit code).

    SELECT: ``fmt`` (default table); ASK: ``true``/``false`` (JSON with ``fmt=json``),
    exit 0/1; CONSTRUCT and DESCRIBE: Turtle.  Locally the query is stopped after
    ``timeout`` seconds (None or 0: no limit; see :func:`run_limited`), and a large
    vocabulary is read from the persistent cache unless ``cache`` is False
    (:mod:`sst_vocab.cache`).  ``graph``: on an endpoint, the named graph to query.
    ``notes``: a list that receives advice for the user (for standard error), e.g.
    that an endpoint's default graph is empty.
    """
    if (spec is None) == (sparql is None):
        raise VocabError("give a query NAME, a FILE.rq, or --sparql TEXT (one of them)")
    query = from_text(sparql) if sparql is not None else find(spec or "")
    scan = check(query.text, query.where)  # refuse before loading anything
    pairs = parse_binds(binds)
    if not endpoint:
        if graph is not None:
            Target.open(None, None, graph=graph)  # the error: --graph is for endpoints
        return run_local(_run_and_output, paths, (query, scan, pairs, fmt, width), timeout, cache)
    target = Target.open(None, endpoint, timeout, graph=graph)
    text, _ = prepare(query, pairs, target, scan)
    prefixes = {**target.prefixes, **scan.prefixes}
    form = query_form(query, target, scan)
    _check_format(form, fmt)
    if form == "SELECT":
        # Always SPARQL JSON from the endpoint, written out here in the format asked for: stores differ in
        # their CSV and TSV (Virtuoso's booleans are 1 and 0 there, which only JSON's datatypes can undo).
        ctype, body = endpoint_quirks(form, *run_remote(target.endpoint or "", text, accept=_MEDIA["json"],
                                                        timeout=target.timeout or DEFAULT_TIMEOUT,
                                                        graph=target.graph))
        if notes is not None and _no_rows(ctype, body):
            _note_empty_default_graph(target, notes)
        result = _parse_remote(form, ctype, body)
    else:
        result = target.run(query, text, form)
        if notes is not None and form == "ASK" and not bool(result):
            _note_empty_default_graph(target, notes)
    try:
        return _output(result, form, fmt or "table", prefixes, width)
    except SyntaxError as exc:  # the parsers read lazily: a bad value shows up while writing the output
        raise VocabError(f"the endpoint's answer does not parse: {exc}") from exc


def _no_rows(ctype: str, body: bytes) -> bool:
    """True when a SELECT answer has no solutions (False when it cannot tell)."""
    import pyoxigraph as ox

    fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        return False
    if fmt == ox.QueryResultsFormat.CSV:
        return len(body.strip().splitlines()) <= 1
    try:
        results = ox.parse_query_results(body, format=fmt)
        return isinstance(results, ox.QuerySolutions) and next(iter(results), None) is None
    except (SyntaxError, ValueError, OSError):
        return False


def _note_empty_default_graph(target: "Target", notes: list[str]) -> None:
    note = empty_default_graph_note(target)
    if note:
        notes.append(note)


def _check_format(form: str, fmt: str | None) -> None:
    if form in ("CONSTRUCT", "DESCRIBE") and fmt not in (None, "table"):
        raise VocabError(f"--format {fmt} is for SELECT results; {form} results are printed as Turtle")


def _run_and_output(target: Target, query: NamedQuery, scan: Scan, pairs: Sequence[tuple[str, str]],
                    fmt: str | None, width: int) -> tuple[bytes, int]:
    text, _ = prepare(query, pairs, target, scan)
    prefixes = {**target.prefixes, **scan.prefixes}
    try:
        result = target.run(query, text)
        form = _form_of(result, scan.form)
        _check_format(form, fmt)
        return _output(result, form, fmt or "table", prefixes, width)
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors, e.g. a bad regular expression
        raise VocabError(f"the query failed: {exc}", path=query.path) from exc


def _csv_results(result) -> bytes:
    """SPARQL 1.1 CSV results (an IRI, a literal's text, ``_:label``), every cell through the csv
    module, so a value holding a comma, a quote or a line break (even an IRI with a comma) stays
    one field.  (pyoxigraph's own CSV writer leaves such IRIs unquoted.)"""
    import csv
    import io

    import pyoxigraph as ox

    columns = [v.value for v in result.variables]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return term.value

    for solution in result:
        writer.writerow([cell(solution[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def _output(result, form: str, fmt: str, prefixes: Mapping[str, str], width: int) -> tuple[bytes, int]:
    import pyoxigraph as ox

    from . import render

    if form == "ASK":
        answer = bool(result)
        if fmt == "json":
            data = result.serialize(format=ox.QueryResultsFormat.JSON) if isinstance(result, ox.QueryBoolean) \
                else (b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"))
            assert data is not None  # no output given: the bytes are returned
            return data + b"\n", 0 if answer else 1
        return (b"true\n" if answer else b"false\n"), 0 if answer else 1
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(result)
        iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        used = {p: ns for p, ns in prefixes.items() if p and ns and any(i.startswith(ns) for i in iris)}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b"", 0
    if fmt == "csv":
        return _csv_results(result), 0
    if fmt in _MEDIA:
        formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON}
        data = result.serialize(format=formats[fmt])
        return (data + b"\n" if fmt == "json" and not data.endswith(b"\n") else data), 0
    columns = [v.value for v in result.variables]
    rows = [[display(s[c], prefixes) for c in columns] for s in result]
    if fmt == "markdown":
        return render.results_markdown(columns, rows).encode("utf-8"), 0
    return render.results_table(columns, rows, width=width).encode("utf-8"), 0
