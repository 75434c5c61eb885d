"""`sst-vocab lsp`: the Language Server, driven by a real LSP client (pytest-lsp) over stdio.

Each test starts the server as a process, opens a temporary copy of the shipped
vocabulary (or a real vocabulary) as the workspace, and checks what an editor would
receive.  No timing is asserted: the benchmark measures latency.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (pip install 'sst-vocab[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the LSP tests need pytest-lsp (the test extra)")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from conftest import REAL, ROOT, SUBPROCESS_ENV, run_sst  # noqa: E402

SKOS = "http://www.w3.org/2004/02/skos/core#"
SST = "https://w3id.org/sst-vocab/"

CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "sst_vocab", "lsp"], server_env=SUBPROCESS_ENV)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def uri(path: Path) -> str:
    return path.resolve().as_uri()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped vocabulary as a project: vocab/ and a pyproject.toml naming it."""
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    (tmp_path / "pyproject.toml").write_text('[tool.sst-vocab]\nvocab = ["vocab"]\n', encoding="utf-8")
    return tmp_path


async def start(client: LanguageClient, root: Path) -> None:
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(uri=uri(root), name=root.name)], root_uri=uri(root)))


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri(path), language_id="turtle", version=version, text=text)))
    return text


def change(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))


async def diagnostics_for(client: LanguageClient, path: Path, until, timeout: float = 60.0) -> list[lsp.Diagnostic]:
    """Wait until the diagnostics published for ``path`` satisfy ``until`` (no timing is asserted)."""
    key = uri(path)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        diags = client.diagnostics.get(key)
        if diags is not None and until(list(diags)):
            return list(diags)
        if loop.time() > deadline:
            raise AssertionError(f"no matching diagnostics for {path.name}; last: {diags!r}")
        try:
            await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), 5)
        except asyncio.TimeoutError:
            pass


def codes(diags) -> set[str]:
    return {str(d.code) for d in diags}


def pos(text: str, needle: str, nth: int = 0, delta: int = 1) -> lsp.Position:
    """The position ``delta`` characters into the ``nth`` occurrence of ``needle``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return lsp.Position(line, at - (text.rfind("\n", 0, at) + 1))


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)

    def off(p: lsp.Position) -> int:
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:off(e.range.start)] + e.new_text + text[off(e.range.end):]
    return text


# ---------------------------------------------------------------------------------------------
# diagnostics
# ---------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_clean_vocabulary_gets_its_findings_and_a_syntax_error_its_exact_position(client, project):
    await start(client, project)
    terms = project / "vocab" / "terms.ttl"
    text = open_doc(client, terms)
    first = await diagnostics_for(client, terms, lambda d: any(x.code and str(x.code).startswith(("DEF", "REL"))
                                                               for x in d))
    assert all(d.severity != lsp.DiagnosticSeverity.Error for d in first)  # the shipped vocabulary conforms
    info = next(d for d in first if d.severity == lsp.DiagnosticSeverity.Information)
    assert info.code_description is not None and info.code_description.href.startswith("file://")
    assert info.source == "sst-vocab"

    broken = text.replace("skos:prefLabel", "skso:prefLabel", 1)
    change(client, terms, broken, 2)
    diags = await diagnostics_for(client, terms, lambda d: "undeclared-prefix" in codes(d))
    error = next(d for d in diags if d.code == "undeclared-prefix")
    assert error.severity == lsp.DiagnosticSeverity.Error
    at = broken.index("skso:prefLabel")
    line = broken.count("\n", 0, at)
    assert error.range.start == lsp.Position(line, at - broken.rfind("\n", 0, at) - 1)
    assert error.range.end.character - error.range.start.character == len("skso:prefLabel")
    assert "skso:" in error.message

    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), range=error.range,
        context=lsp.CodeActionContext(diagnostics=[error])))
    titles = [a.title for a in actions]
    assert "Change to skos:" in titles

    change(client, terms, text, 3)
    fixed = await diagnostics_for(client, terms, lambda d: "undeclared-prefix" not in codes(d))
    assert codes(fixed) == codes(first)


@pytest.mark.asyncio
async def test_an_edit_that_breaks_a_rule_is_reported_at_the_subject_and_fixed(client, project):
    await start(client, project)
    terms = project / "vocab" / "terms.ttl"
    text = open_doc(client, terms)
    await diagnostics_for(client, terms, lambda d: len(d) > 0)
    # a second English preferred label on the first concept block
    subject_line = next(i for i, ln in enumerate(text.split("\n")) if ln.startswith("sst:security-system-transformation"))
    lines = text.split("\n")
    label_line = next(i for i in range(subject_line, len(lines)) if "skos:prefLabel" in lines[i])
    lines.insert(label_line + 1, '    skos:prefLabel "Second label"@en ;')
    broken = "\n".join(lines)
    change(client, terms, broken, 2)
    diags = await diagnostics_for(client, terms, lambda d: any(str(x.code).startswith("LBL-01") for x in d))
    lbl = next(d for d in diags if str(d.code).startswith("LBL-01"))
    assert lbl.severity == lsp.DiagnosticSeverity.Error
    assert lbl.range.start.line == subject_line
    # the quick fix turns it into an alternative label, and the finding goes away
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), range=lbl.range,
        context=lsp.CodeActionContext(diagnostics=[lbl])))
    fix = next(a for a in actions if a.title.startswith('Make "Second label"@en an alternative label'))
    assert "reformats" not in fix.title
    edits = fix.edit.changes[uri(terms)]
    fixed = apply_edits(broken, edits)
    assert 'skos:altLabel "Second label"@en' in fixed and 'skos:prefLabel "Second label"@en' not in fixed
    change(client, terms, fixed, 3)
    after = await diagnostics_for(client, terms, lambda d: not any(str(x.code).startswith("LBL-01") for x in d))
    assert not any(d.severity == lsp.DiagnosticSeverity.Error for d in after)


@pytest.mark.asyncio
async def test_a_finding_in_another_file_updates_that_files_diagnostics(client, project):
    await start(client, project)
    terms, actors = project / "vocab" / "terms.ttl", project / "vocab" / "actors.ttl"
    text = open_doc(client, terms)
    await diagnostics_for(client, actors, lambda d: True)
    # describe a concept of actors.ttl in terms.ttl too: FILE-01 at the first file, related info to the other
    extra = text + '\nsst:media\n    skos:scopeNote "A note written in the wrong file."@en ;\n.\n'
    change(client, terms, extra, 2)
    actors_diags = await diagnostics_for(client, actors, lambda d: "FILE-01-subject-in-two-files" in codes(d))
    dup = next(d for d in actors_diags if d.code == "FILE-01-subject-in-two-files")
    assert dup.related_information and dup.related_information[0].location.uri == uri(terms)
    change(client, terms, text, 3)
    await diagnostics_for(client, actors, lambda d: "FILE-01-subject-in-two-files" not in codes(d))
