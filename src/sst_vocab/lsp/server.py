"""The pygls server: protocol wiring only; the work is done by the other modules of this package.

Threads: pygls runs requests on its asyncio loop.  Edits go to one worker thread,
which waits until the typing pauses (debounce), parses the changed files, publishes
their syntax diagnostics at once and then, if the graph changed, validates and
publishes every file whose diagnostics changed.  Edits that arrive while it validates
are taken together in its next round.  A watchdog ends the server when the editor
that started it has gone.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from . import actions, completion, diagnostics, navigation
from .positions import Lines, path_to_uri, uri_to_path
from .workspace import FileState, Workspace

if TYPE_CHECKING:  # pragma: no cover
    import asyncio

__all__ = ["VocabLanguageServer", "serve"]

log = logging.getLogger("sst_vocab.lsp")

DEBOUNCE = 0.1  # seconds of quiet after an edit before it is parsed and validated
_WRITES: set = set()  # writes to the client still in progress (see _send_json)


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("sst-vocab")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


class Worker(threading.Thread):
    """Applies edits after a pause in typing, validates, and hands diagnostics to the loop."""

    def __init__(self, server: VocabLanguageServer) -> None:
        super().__init__(name="sst-vocab-lsp-worker", daemon=True)
        self.server = server
        self.cv = threading.Condition()
        self.pending: dict[tuple[int, str], tuple[Workspace, str, str | None, str]] = {}
        self.last_submit = 0.0
        self.stopping = False
        self.idle = threading.Event()
        self.idle.set()

    def submit(self, ws: Workspace, path: str, text: str | None, kind: str = "text") -> None:
        with self.cv:
            self.pending[(id(ws), path)] = (ws, path, text, kind)
            self.last_submit = time.monotonic()
            self.idle.clear()
            self.cv.notify()

    def nudge(self, ws: Workspace) -> None:
        """Publish and validate ``ws`` after a change made outside the worker (a request parsed a buffer)."""
        with self.cv:
            self.pending.setdefault((id(ws), ""), (ws, "", None, "nothing"))
            self.idle.clear()
            self.cv.notify()

    def stop(self) -> None:
        with self.cv:
            self.stopping = True
            self.cv.notify()

    def run(self) -> None:
        while True:
            with self.cv:
                while not self.pending and not self.stopping:
                    self.idle.set()
                    self.cv.wait()
                if self.stopping:
                    return
                while True:  # debounce: wait until no edit came for DEBOUNCE seconds
                    quiet = time.monotonic() - self.last_submit
                    if quiet >= DEBOUNCE or self.stopping:
                        break
                    self.cv.wait(DEBOUNCE - quiet)
                batch, self.pending = list(self.pending.values()), {}
            try:
                self._round(batch)
            except Exception:  # never let one bad round end the worker
                log.exception("sst-vocab lsp: analysis failed")

    def _round(self, batch) -> None:
        touched: dict[int, Workspace] = {}
        edited: dict[int, str] = {}
        for ws, path, text, kind in batch:
            touched[id(ws)] = ws
            if path:
                edited[id(ws)] = path
            if kind == "text" and text is not None:
                ws.set_text(path, text)
            elif kind == "close":
                ws.close(path)
            elif kind == "disk":
                ws.disk_changed(path)
            elif kind == "deleted":
                ws.remove(path)
            elif kind == "load":
                ws.load_all()
        for ws in touched.values():
            if ws.graph_version != ws.validated_version:
                ws.validate()
            self.server.publish(ws, edited.get(id(ws)))  # once per round: a syntax error alone, or the new findings


class VocabLanguageServer(LanguageServer):
    """The server object: the workspaces, the worker, and what was last published."""

    def __init__(self) -> None:
        super().__init__("sst-vocab", _version())
        self.workspaces: list[Workspace] = []
        self.lone: dict[str, Workspace] = {}
        self.worker = Worker(self)
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's event loop, set at initialize
        # uri -> (result id, the JSON of each diagnostic): the diagnostics of each file as last computed,
        # what was pushed (push model) or what a pull is answered with (pull model)
        self.current: dict[str, tuple[str, list[str]]] = {}
        self.pull_mode = False  # True once the client pulls diagnostics (textDocument/diagnostic)
        self.result_counter = 0
        self.shutdown_received = False

    # -- where a document belongs ---------------------------------------------------------------

    @property
    def encoding(self) -> str:
        try:
            enc = self.workspace.position_encoding
        except RuntimeError:
            return "utf-16"
        return getattr(enc, "value", enc) or "utf-16"

    def workspace_for(self, path: str, create: bool = True) -> Workspace | None:
        for ws in self.workspaces:
            if ws.contains(path):
                return ws
        if path in self.lone:
            return self.lone[path]
        if not create:
            return None
        ws = Workspace(roots=[], files=[path])
        self.lone[path] = ws
        return ws

    def document(self, uri: str, sync: bool = True) -> tuple[Workspace, str] | None:
        """The workspace and path of an open document, its state brought up to the buffer's text.

        A request that arrives before the worker has taken the last edit parses the
        buffer itself (the worker then finds nothing left to parse, and validates).
        """
        path = uri_to_path(uri)
        if path is None:
            return None
        ws = self.workspace_for(path, create=False)
        if ws is None:
            return None
        if sync:
            changed = False
            for other in list(ws.files.values()):  # every open buffer of the workspace, not only this one
                if not other.is_open and other.path != path:
                    continue
                doc = self.workspace.get_text_document(path_to_uri(other.path))
                source = doc.source if doc is not None else None
                if source is None:
                    continue
                if other.text != source or (other.good_text != source and other.problem is None):
                    ws.set_text(other.path, source)
                    changed = True
            if changed:
                self.worker.nudge(ws)
        return ws, path

    def offset(self, ws: Workspace, path: str, position: lsp.Position) -> tuple[int, Lines]:
        state = ws.state(path)
        lines = Lines(state.text if state else "", self.encoding)
        return lines.offset(position.line, position.character), lines

    # -- publishing ------------------------------------------------------------------------------

    def publish(self, ws: Workspace, first: str | None = None) -> None:
        """After a round (called from the worker): every file's diagnostics are computed, and those of the
        files whose diagnostics changed are pushed, the file being edited (``first``) before the others;
        once the client pulls diagnostics instead, it is asked to pull again (``workspace/diagnostic/refresh``).

        The diagnostics are JSON already (:func:`diagnostics.compute` keeps each one's text while it
        stands): a file's message is written around them, not converted by pygls, which would take
        seconds for the thousands of a large vocabulary.
        """
        computed = diagnostics.compute(ws, self.encoding)
        changed = [path for path in sorted(computed, key=lambda p: p != first) if self._record(path, computed[path])]
        if not changed:
            return
        if self.pull_mode:
            caps = self.client_capabilities.workspace
            if caps is not None and caps.diagnostics is not None and caps.diagnostics.refresh_support:
                self._call_in_loop(lambda: self.workspace_diagnostic_refresh(None))
            return
        for path in changed:
            uri = path_to_uri(path)
            self._push(uri, self.current[uri][1], self._version(ws, path, uri))

    def _record(self, path: str, texts: list[str]) -> bool:
        """Keep a file's new diagnostics (with a new result id); False when they are what it had."""
        uri = path_to_uri(path)
        known = self.current.get(uri)
        if known is not None and known[1] == texts:
            return False
        self.result_counter += 1
        self.current[uri] = (str(self.result_counter), texts)
        return True

    def _version(self, ws: Workspace, path: str, uri: str) -> int | None:
        """The version of the open buffer the diagnostics were computed from (None if not open, or changed since)."""
        state = ws.state(path)
        if state is None or not state.is_open:
            return None
        doc = self.workspace.get_text_document(uri)
        return doc.version if doc is not None and doc.source == state.text else None

    def _push(self, uri: str, texts: list[str], version: int | None = None) -> None:
        head = '{"uri":' + _json_string(uri) + ("" if version is None else f',"version":{int(version)}')
        body = (
            '{"jsonrpc":"2.0","method":"'
            + lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
            + '","params":'
            + head
            + ',"diagnostics":['
            + ",".join(texts)
            + "]}}"
        )
        self._call_in_loop(lambda: self._send_json(body))

    def start_pulling(self) -> None:
        """The client asked for diagnostics (``textDocument/diagnostic``): from now on it pulls them.

        What was pushed is withdrawn (an editor shows pushed and pulled diagnostics side by side).
        """
        if self.pull_mode:
            return
        self.pull_mode = True
        for uri, (_, texts) in list(self.current.items()):
            if texts:
                self._push(uri, [])

    def pull(self, uri: str, previous: str | None) -> dict:
        """The answer to ``textDocument/diagnostic`` for ``uri`` (after the edits received so far are validated)."""
        import json

        path = uri_to_path(uri)
        ws = self.workspace_for(path, create=False) if path else None
        if ws is None or path is None:
            return {"kind": "full", "items": []}
        path = os.path.abspath(path)
        uri = path_to_uri(path)  # as the diagnostics are filed (a client may spell the URI otherwise)
        if uri not in self.current and path in ws.files:
            self._record(path, diagnostics.compute(ws, self.encoding).get(path, []))
        result_id, texts = self.current.get(uri, (None, []))
        if result_id is None:
            self._record(path, [])
            result_id, texts = self.current[uri]
        if previous is not None and previous == result_id:
            return {"kind": "unchanged", "resultId": result_id}
        return {"kind": "full", "resultId": result_id, "items": [json.loads(t) for t in texts]}

    def _send_json(self, body: str) -> None:
        """Write a JSON-RPC message that is already serialised (as pygls' ``_send_data`` writes one)."""
        protocol = self.protocol
        writer = getattr(protocol, "writer", None)
        if writer is None:
            return
        data = body.encode("utf-8")
        header = (
            f"Content-Length: {len(data)}\r\nContent-Type: {protocol.CONTENT_TYPE}; charset={protocol.CHARSET}\r\n\r\n"
        ).encode("ascii")
        import asyncio
        import inspect

        result = writer.write(header + data if getattr(protocol, "_include_headers", True) else data)
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            _WRITES.add(task)  # the event loop holds tasks weakly: an unreferenced write could be collected
            task.add_done_callback(_WRITES.discard)

    def _call_in_loop(self, fn: Callable[[], object]) -> None:
        if self.loop is not None and threading.current_thread() is not threading.main_thread():
            self.loop.call_soon_threadsafe(fn)
        else:
            fn()

    def report_server_error(self, error, source):  # requests answer with their error; log the rest
        log.error("sst-vocab lsp: %s", error)


def _json_string(text: str) -> str:
    import json

    return json.dumps(text)


def _forget_finished(ls: VocabLanguageServer) -> None:
    """Drop the finished futures pygls keeps for notifications.

    pygls 2.1 files the future of every notification handled by a built-in feature
    (didOpen, didChange, didClose...) in its table of requests that can be cancelled, and
    never removes it: about 1 KiB per edit, for the life of the server.  The table is only
    used to cancel requests that have not run yet, so a finished future can leave it.
    """
    futures = getattr(ls.protocol, "_request_futures", None)
    if isinstance(futures, dict) and len(futures) > 64:
        for key in [k for k, f in list(futures.items()) if f.done()]:
            futures.pop(key, None)


def _failed(message: str) -> JsonRpcException:
    return JsonRpcException(message=message, code=lsp.LSPErrorCodes.RequestFailed)


def _safe(default):
    """Answer ``default`` instead of failing when a request meets a buffer it cannot read."""

    def wrap(fn):
        def handler(ls, params):
            try:
                return fn(ls, params)
            except actions.Refused as exc:
                raise _failed(str(exc)) from exc
            except JsonRpcException:
                raise
            except Exception:
                log.exception("sst-vocab lsp: %s failed", fn.__name__)
                return default

        handler.__name__ = fn.__name__
        return handler

    return wrap


def _on_document(default):
    """A request about one document: the handler gets its workspace and path too, and ``default`` is the
    answer when the document is not one of ours (and, through :func:`_safe`, when the buffer cannot be read)."""

    def wrap(fn):
        def handler(ls, params):
            found = ls.document(params.text_document.uri)
            return default if found is None else fn(ls, params, *found)

        handler.__name__ = fn.__name__
        return _safe(default)(handler)

    return wrap


def create_server() -> VocabLanguageServer:
    server = VocabLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: VocabLanguageServer, params: lsp.InitializeParams):
        folders = [uri_to_path(f.uri) for f in params.workspace_folders or []]
        if not folders:
            root = (params.root_uri and uri_to_path(params.root_uri)) or params.root_path
            folders = [root] if root else []
        for folder in folders:
            if folder and os.path.isdir(folder):
                ls.workspaces.append(Workspace.for_folder(folder))
        import asyncio

        ls.loop = asyncio.get_running_loop()
        ls.worker.start()  # here, not at initialized: a client that never sends it still gets diagnostics
        for ws in ls.workspaces:
            ls.worker.submit(ws, "", None, "load")

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: VocabLanguageServer, params):
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:  # hear about files saved by other programs
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="sst-vocab-turtle-files",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.ttl")]
                            ),
                        )
                    ]
                )
            )

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: VocabLanguageServer, params):
        ls.shutdown_received = True
        ls.worker.stop()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VocabLanguageServer, params: lsp.DidOpenTextDocumentParams):
        _forget_finished(ls)
        path = uri_to_path(params.text_document.uri)
        if path is None:
            return
        ws = ls.workspace_for(path)
        assert ws is not None  # created when no workspace holds the file
        state = ws.state(path)
        if state is None:
            ws.files[os.path.abspath(path)] = state = FileState(os.path.abspath(path))
        state.is_open = True
        ls.worker.submit(ws, path, params.text_document.text)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: VocabLanguageServer, params: lsp.DidChangeTextDocumentParams):
        _forget_finished(ls)
        found = ls.document(params.text_document.uri, sync=False)
        if found is None:
            return
        ws, path = found
        doc = ls.workspace.get_text_document(params.text_document.uri)
        ls.worker.submit(ws, path, doc.source)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: VocabLanguageServer, params: lsp.DidCloseTextDocumentParams):
        _forget_finished(ls)
        path = uri_to_path(params.text_document.uri)
        if path is None:
            return
        if path in ls.lone:  # a lone file: forget it, clear its diagnostics
            del ls.lone[path]
            ls.current.pop(params.text_document.uri, None)
            if not ls.pull_mode:
                ls._push(params.text_document.uri, [])
            return
        ws = ls.workspace_for(path, create=False)
        if ws is not None:
            ls.worker.submit(ws, path, None, "close")

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: VocabLanguageServer, params: lsp.DidSaveTextDocumentParams):
        _forget_finished(ls)
        return None  # the buffer's text is already what the server reads

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: VocabLanguageServer, params: lsp.DidChangeWatchedFilesParams):
        for change in params.changes:
            path = uri_to_path(change.uri)
            if path is None or not path.endswith(".ttl"):
                continue
            ws = ls.workspace_for(path, create=False)
            if ws is None:
                for candidate in ls.workspaces:
                    if candidate.contains(path):
                        ws = candidate
            if ws is None:
                continue
            kind = "deleted" if change.type == lsp.FileChangeType.Deleted else "disk"
            ls.worker.submit(ws, path, None, kind)

    @server.feature(
        lsp.TEXT_DOCUMENT_DIAGNOSTIC,
        lsp.DiagnosticOptions(identifier="sst-vocab", inter_file_dependencies=True, workspace_diagnostics=False),
    )
    async def pull_diagnostics(ls: VocabLanguageServer, params: lsp.DocumentDiagnosticParams):
        ls.start_pulling()
        import asyncio

        # answer with the findings of the edits received so far: wait for the worker to take them
        await asyncio.get_running_loop().run_in_executor(None, ls.worker.idle.wait, 60.0)
        try:
            return ls.pull(params.text_document.uri, params.previous_result_id)
        except Exception:
            log.exception("sst-vocab lsp: textDocument/diagnostic failed")
            return {"kind": "full", "items": []}

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_on_document(None)
    def hover(ls: VocabLanguageServer, params: lsp.HoverParams, ws: Workspace, path: str):
        offset, lines = ls.offset(ws, path, params.position)
        return navigation.hover(ws, path, offset, lines)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @_on_document([])
    def definition(ls: VocabLanguageServer, params: lsp.DefinitionParams, ws: Workspace, path: str):
        offset, _ = ls.offset(ws, path, params.position)
        return navigation.definition(ws, path, offset, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @_on_document([])
    def references(ls: VocabLanguageServer, params: lsp.ReferenceParams, ws: Workspace, path: str):
        offset, _ = ls.offset(ws, path, params.position)
        include = params.context.include_declaration if params.context else True
        return navigation.references(ws, path, offset, ls.encoding, include)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_on_document([])
    def document_symbol(ls: VocabLanguageServer, params: lsp.DocumentSymbolParams, ws: Workspace, path: str):
        return navigation.document_symbols(ws, path, ls.encoding)

    @server.feature(lsp.WORKSPACE_SYMBOL)
    @_safe([])
    def workspace_symbol(ls: VocabLanguageServer, params: lsp.WorkspaceSymbolParams):
        out = []
        for ws in [*ls.workspaces, *ls.lone.values()]:
            out.extend(navigation.workspace_symbols(ws, params.query, ls.encoding))
        return out

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", "@"]))
    @_on_document(lsp.CompletionList(is_incomplete=False, items=[]))
    def complete(ls: VocabLanguageServer, params: lsp.CompletionParams, ws: Workspace, path: str):
        offset, lines = ls.offset(ws, path, params.position)
        return completion.complete(ws, path, offset, lines)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorRewrite]),
    )
    @_on_document([])
    def code_action(ls: VocabLanguageServer, params: lsp.CodeActionParams, ws: Workspace, path: str):
        return actions.code_actions(ws, path, params.range, list(params.context.diagnostics or []), ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @_on_document(None)
    def prepare_rename(ls: VocabLanguageServer, params: lsp.PrepareRenameParams, ws: Workspace, path: str):
        offset, _ = ls.offset(ws, path, params.position)
        return actions.prepare_rename(ws, path, offset, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    @_on_document(None)
    def rename(ls: VocabLanguageServer, params: lsp.RenameParams, ws: Workspace, path: str):
        offset, _ = ls.offset(ws, path, params.position)
        return actions.rename(ws, path, offset, params.new_name, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @_on_document(None)
    def formatting(ls: VocabLanguageServer, params: lsp.DocumentFormattingParams, ws: Workspace, path: str):
        return actions.format_document(ws, path, ls.encoding)

    return server


_PARENT = os.getppid()  # recorded at import, as early as the server can


def _watch_parent(ls: VocabLanguageServer) -> None:
    """End the server when the editor that started it has gone.

    Two signs: the process that started the server is no longer its parent (it died and
    the server was adopted), or the ``processId`` the client gave at initialize is gone.
    """
    parent = _PARENT

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        while True:
            time.sleep(1.0)
            process_id = ls.process_id
            gone = (process_id is not None and not alive(process_id)) or os.getppid() != parent
            if gone:
                log.warning("sst-vocab lsp: the editor has gone; exiting")
                _exit(0)

    threading.Thread(target=watch, name="sst-vocab-lsp-watchdog", daemon=True).start()


def _exit(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or a closed stream: exit all the same
            pass
    os._exit(status)


def serve() -> int:
    """Run the server on standard input and output until the client says exit (or goes away)."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    server = create_server()
    exited: dict[str, int | None] = {"status": None}

    @server.feature(lsp.EXIT)
    def on_exit(ls: VocabLanguageServer, params):
        exited["status"] = 0 if ls.shutdown_received else 1

    _watch_parent(server)
    server.start_io()
    server.worker.stop()
    status = exited["status"]
    _exit(status if status is not None else 0)
    return 0  # pragma: no cover
