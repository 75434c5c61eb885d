"""``sst-vocab lsp``: a Language Server for SKOS vocabularies written in Turtle.

One module per concern, the server thin over the library:

* :mod:`.workspace` - the Turtle files of the workspace, parsed as the loader parses
  them (open buffers win over disk), merged and validated as ``validate`` does;
* :mod:`.diagnostics` - syntax errors, undeclared prefixes and SHACL findings;
* :mod:`.navigation` - hover, definition, references, document and workspace symbols;
* :mod:`.completion` - concepts, SKOS terms, language tags and prefixes;
* :mod:`.actions` - quick fixes, rename and formatting, every edit checked;
* :mod:`.server` - the pygls wiring, the debounced worker and the parent watchdog.

pygls is an optional dependency (``pip install 'sst-vocab[lsp]'``); nothing here is
imported by the other commands.
"""

from __future__ import annotations

from ..errors import VocabError

__all__ = ["run"]

MISSING = "the language server needs pygls, which is not installed: pip install 'sst-vocab[lsp]' (or pip install pygls)"


def run() -> None:
    """Serve the Language Server Protocol on standard input and output until the client exits."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:
        raise VocabError(MISSING) from exc
    from .server import serve

    serve()
