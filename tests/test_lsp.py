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

from conftest import REAL, ROOT, SUBPROCESS_ENV, popen_python, popen_sst, run_sst  # noqa: E402

SKOS = "http://www.w3.org/2004/02/skos/core#"
SST = "https://w3id.org/sst-vocab/"

CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "sst_vocab", "lsp"], server_env=SUBPROCESS_ENV)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    registered = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams):  # the server asks to hear about *.ttl on disk
        registered.extend(r.method for r in params.registrations)

    lsp_client.registered = registered
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
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[lsp.WorkspaceFolder(uri=uri(root), name=root.name)],
            root_uri=uri(root),
        )
    )


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri(path), language_id="turtle", version=version, text=text)
        )
    )
    return text


def change(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


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
        except TimeoutError:
            pass


async def open_and_wait(
    client: LanguageClient, root: Path, path: Path, until=lambda d: len(d) > 0, wait_for: Path | None = None
) -> str:
    """Start a session on the workspace ``root``, open ``path`` and wait for the first diagnostics that
    satisfy ``until`` (for ``wait_for``, default ``path``); the text opened."""
    await start(client, root)
    text = open_doc(client, path)
    await diagnostics_for(client, wait_for or path, until)
    return text


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
        text = text[: off(e.range.start)] + e.new_text + text[off(e.range.end) :]
    return text


# ---------------------------------------------------------------------------------------------
# diagnostics
# ---------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_clean_vocabulary_gets_its_findings_and_a_syntax_error_its_exact_position(client, project):
    await start(client, project)
    terms = project / "vocab" / "terms.ttl"
    text = open_doc(client, terms)
    first = await diagnostics_for(
        client, terms, lambda d: any(x.code and str(x.code).startswith(("DEF", "REL")) for x in d)
    )
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

    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            range=error.range,
            context=lsp.CodeActionContext(diagnostics=[error]),
        )
    )
    titles = [a.title for a in actions]
    assert "Change to skos:" in titles

    # a well-known prefix the file does not declare: the quick fix adds its PREFIX line
    undeclared = text.replace(
        "    sstx:reviewStatus sstx:draft ;", "    owl:deprecated false ;\n    sstx:reviewStatus sstx:draft ;", 1
    )
    change(client, terms, undeclared, 3)
    diags = await diagnostics_for(
        client, terms, lambda d: any(x.code == "undeclared-prefix" and "owl:" in x.message for x in d)
    )
    error = next(d for d in diags if d.code == "undeclared-prefix")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            range=error.range,
            context=lsp.CodeActionContext(diagnostics=[error]),
        )
    )
    add = next(a for a in actions if a.title == "Add PREFIX owl: <http://www.w3.org/2002/07/owl#>")
    declared = apply_edits(undeclared, add.edit.changes[uri(terms)])
    change(client, terms, declared, 4)
    await diagnostics_for(client, terms, lambda d: "undeclared-prefix" not in codes(d) and "syntax" not in codes(d))

    change(client, terms, text, 5)
    fixed = await diagnostics_for(client, terms, lambda d: "undeclared-prefix" not in codes(d))
    assert codes(fixed) == codes(first)


@pytest.mark.asyncio
async def test_an_edit_that_breaks_a_rule_is_reported_at_the_subject_and_fixed(client, project):
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    # a second English preferred label on the first concept block
    subject_line = next(
        i for i, ln in enumerate(text.split("\n")) if ln.startswith("sst:security-system-transformation")
    )
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
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            range=lbl.range,
            context=lsp.CodeActionContext(diagnostics=[lbl]),
        )
    )
    fix = next(a for a in actions if a.title.startswith('Make "Second label"@en an alternative label'))
    assert "reformats" not in fix.title
    edits = fix.edit.changes[uri(terms)]
    fixed = apply_edits(broken, edits)
    assert 'skos:altLabel "Second label"@en' in fixed and 'skos:prefLabel "Second label"@en' not in fixed
    change(client, terms, fixed, 3)
    after = await diagnostics_for(client, terms, lambda d: not any(str(x.code).startswith("LBL-01") for x in d))
    assert not any(d.severity == lsp.DiagnosticSeverity.Error for d in after)


@pytest.mark.asyncio
async def test_a_rule_checked_in_python_links_to_its_documentation(client, project):
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    ill_typed = text.replace(
        "    sstx:reviewStatus sstx:draft ;",
        '    <http://purl.org/dc/terms/modified> "not a date"^^<http://www.w3.org/2001/XMLSchema#date> ;\n'
        "    sstx:reviewStatus sstx:draft ;",
        1,
    )
    assert ill_typed != text
    change(client, terms, ill_typed, 2)
    diags = await diagnostics_for(client, terms, lambda d: any(str(x.code).startswith("LIT-01") for x in d))
    lit = next(d for d in diags if str(d.code).startswith("LIT-01"))
    assert lit.severity == lsp.DiagnosticSeverity.Error
    href = lit.code_description.href
    assert href.startswith("file://") and "#L" in href
    target, line = href[len("file://") :].split("#L")
    # the link leads to the text that documents LIT-01 (the README's line, or the checking function)
    assert "LIT-01" in Path(target).read_text(encoding="utf-8").split("\n")[int(line) - 1] or "LIT-01" in "\n".join(
        Path(target).read_text(encoding="utf-8").split("\n")[int(line) - 1 : int(line) + 3]
    )


@pytest.mark.asyncio
async def test_pull_diagnostics_give_the_same_findings_and_follow_edits(client, project):
    await start(client, project)
    terms = project / "vocab" / "terms.ttl"
    text = open_doc(client, terms)
    ident = lsp.TextDocumentIdentifier(uri=uri(terms))
    pushed = await diagnostics_for(
        client, terms, lambda d: any(x.code and str(x.code).startswith(("DEF", "REL")) for x in d)
    )
    first = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=ident))
    assert first.kind == "full" and first.result_id
    assert codes(first.items) == codes(pushed)
    # pushed diagnostics are withdrawn once the client pulls: an editor would show both
    await diagnostics_for(client, terms, lambda d: d == [])
    again = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=ident, previous_result_id=first.result_id)
    )
    assert again.kind == "unchanged" and again.result_id == first.result_id
    # an edit that breaks a rule: the next pull (right after the change) has the finding
    lines = text.split("\n")
    label_line = next(i for i, ln in enumerate(lines) if "skos:prefLabel" in ln and "@en" in ln)
    lines.insert(label_line + 1, '    skos:prefLabel "Second label"@en ;')
    change(client, terms, "\n".join(lines), 2)
    broken = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(text_document=ident, previous_result_id=first.result_id)
    )
    assert broken.kind == "full" and broken.result_id != first.result_id
    lbl = next(d for d in broken.items if str(d.code).startswith("LBL-01"))
    assert lbl.severity == lsp.DiagnosticSeverity.Error and lbl.code_description is not None
    change(client, terms, text, 3)
    fixed = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(text_document=ident))
    assert codes(fixed.items) == codes(first.items)


@pytest.mark.asyncio
async def test_a_finding_in_another_file_updates_that_files_diagnostics(client, project):
    terms, actors = project / "vocab" / "terms.ttl", project / "vocab" / "actors.ttl"
    text = await open_and_wait(client, project, terms, lambda d: True, wait_for=actors)
    # describe a concept of actors.ttl in terms.ttl too: FILE-01 at the first file, related info to the other
    extra = text + '\nsst:media\n    skos:scopeNote "A note written in the wrong file."@en ;\n.\n'
    change(client, terms, extra, 2)
    actors_diags = await diagnostics_for(client, actors, lambda d: "FILE-01-subject-in-two-files" in codes(d))
    dup = next(d for d in actors_diags if d.code == "FILE-01-subject-in-two-files")
    assert dup.related_information and dup.related_information[0].location.uri == uri(terms)
    change(client, terms, text, 3)
    await diagnostics_for(client, actors, lambda d: "FILE-01-subject-in-two-files" not in codes(d))


# ---------------------------------------------------------------------------------------------
# hover, navigation, symbols
# ---------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_hover_on_a_concept_and_on_a_skos_property(client, project):
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    # a use of the concept (in another concept's block), not its own subject line
    use = text.index("sst:security-system-management", text.index("sst:security-system-transformation\n"))
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=pos(text, text[use : use + 30], delta=5)
        )
    )
    body = hover.contents.value
    assert "**Improving security system management**" in body
    assert "Editorial" in body or "Verbatim" in body
    assert "Status:** submitted" in body
    assert "Broader:** Security system transformation" in body
    subject = text.index("sst:security-system-transformation\n")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            position=pos(text, "sst:security-system-transformation\n"),
        )
    )
    body = hover.contents.value
    assert "Verbatim" in body and "close match" in body and "Narrower:**" in body
    assert "The transformation of security system actors" in body
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=pos(text, "skos:broader", delta=7)
        )
    )
    assert "more general concept" in hover.contents.value
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            position=pos(text, "    sstx:definitionOrigin", delta=10),
        )
    )
    assert "Definition origin" in hover.contents.value or "definition" in hover.contents.value.lower()
    # nothing to say on a comment: an empty answer, not an error
    assert (
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=lsp.Position(0, 2))
        )
        is None
    )
    assert subject


@pytest.mark.asyncio
async def test_definition_and_references_across_files(client, project):
    terms, actors = project / "vocab" / "terms.ttl", project / "vocab" / "actors.ttl"
    text = await open_and_wait(client, project, terms)
    needle = "sst:security-system-actors"
    at = pos(text, needle, delta=6)
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=at)
    )
    assert len(found) == 1
    target_file = Path(found[0].uri.removeprefix("file://"))
    line = target_file.read_text(encoding="utf-8").split("\n")[found[0].range.start.line]
    assert line.startswith("sst:security-system-actors")
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            position=at,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    files = {r.uri for r in refs}
    assert uri(terms) in files and uri(actors) in files
    # every reference is a written use of the IRI (CURIE or <IRI>), none inside a string or comment
    expected = 0
    for path in (project / "vocab").glob("*.ttl"):
        body = path.read_text(encoding="utf-8")
        expected += sum(
            1
            for ln in body.split("\n")
            if not ln.lstrip().startswith("#")
            for _ in range(
                ln.split("#")[0].count(needle + " ")
                + ln.split("#")[0].count(needle + ";")
                + ln.split("#")[0].count(needle + ",")
                + (1 if ln.split("#")[0].rstrip().endswith(needle) else 0)
            )
        )
    assert len(refs) == expected


@pytest.mark.asyncio
async def test_document_symbols_nest_by_hierarchy_and_workspace_symbols_search_labels(client, project):
    terms = project / "vocab" / "terms.ttl"
    await open_and_wait(client, project, terms)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri(terms)))
    )
    by_name = {s.name: s for s in symbols}
    sst = by_name["Security system transformation"]
    assert {c.name for c in sst.children or []} >= {
        "Improving security system management",
        "Improving effective delivery of security services",
    }
    assert sst.detail == "sst:security-system-transformation"
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="media"))
    assert found and found[0].name == "Media" and found[0].location.uri == uri(project / "vocab" / "actors.ttl")
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="SSR"))
    assert found[0].name == "Security system transformation"  # by its alternative label


# ---------------------------------------------------------------------------------------------
# completion
# ---------------------------------------------------------------------------------------------


async def complete(client, path: Path, text: str, version: int, at: lsp.Position) -> list[lsp.CompletionItem]:
    change(client, path, text, version)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri(path)), position=at)
    )
    return result.items if hasattr(result, "items") else result


@pytest.mark.asyncio
async def test_completion_of_concepts_skos_terms_language_tags_and_prefixes(client, project):
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    # after a declared prefix: the concepts with their labels, and the scheme
    typing = text + "\nsst:new-concept a skos:Concept ;\n    skos:broader sst:"
    items = await complete(client, terms, typing, 2, pos(typing, "skos:broader sst:", delta=len("skos:broader sst:")))
    labels = {i.label: i for i in items}
    assert labels["sst:media"].detail == "Media"
    assert "sst:security-system-transformation" in labels
    # after skos: the SKOS terms with their definitions
    typing = text + "\nsst:new-concept a skos:Concept ;\n    skos:br"
    items = await complete(client, terms, typing, 3, pos(typing, "    skos:br", delta=len("    skos:br")))
    broader = next(i for i in items if i.label == "skos:broader")
    assert "more general" in broader.documentation.value
    # after @ : the language tags already used
    typing = text + '\nsst:new-concept a skos:Concept ;\n    skos:prefLabel "New"@'
    items = await complete(client, terms, typing, 4, pos(typing, '"New"@', delta=len('"New"@')))
    assert [i.label for i in items][:1] == ["en"]
    # a bare word: prefixes; one the file has not declared comes with its PREFIX line
    typing = text + "\nsst:new-concept a skos:Concept ;\n    ow"
    items = await complete(client, terms, typing, 5, pos(typing, "    ow", delta=len("    ow")))
    owl = next(i for i in items if i.label == "owl:")
    assert (
        owl.additional_text_edits
        and owl.additional_text_edits[0].new_text == "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    )
    declared = next(i for i in items if i.label == "skos:")
    assert not declared.additional_text_edits
    # the edit goes after the last PREFIX line
    edited = apply_edits(typing, owl.additional_text_edits)
    assert "PREFIX owl: <http://www.w3.org/2002/07/owl#>\nPREFIX rdfs:" not in edited
    assert edited.index("PREFIX owl:") > edited.index("PREFIX status:")


# ---------------------------------------------------------------------------------------------
# code actions, rename, formatting
# ---------------------------------------------------------------------------------------------


async def actions_at(client, path: Path, line: int) -> list[lsp.CodeAction]:
    return await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(path)),
            range=lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )


@pytest.mark.asyncio
async def test_quick_fixes_add_the_inverse_the_scheme_and_deprecation(client, project):
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    added = text + (
        '\nsst:community-policing\n    a skos:Concept ;\n    skos:prefLabel "Community policing"@en ;\n'
        '    skos:definition "Policing in partnership with the community it serves."@en ;\n'
        "    skos:broader sst:security-system-management ;\n.\n"
    )
    change(client, terms, added, 2)
    diags = await diagnostics_for(client, terms, lambda d: any(str(x.code).startswith("SCH-03") for x in d))
    assert any(str(d.code).startswith("REL-04") for d in diags)
    line = added.split("\n").index("sst:community-policing")
    actions = await actions_at(client, terms, line + 2)
    titles = [a.title for a in actions]
    inverse = next(a for a in actions if a.title.startswith("Add the inverse: skos:narrower sst:community-policing"))
    scheme = next(a for a in actions if a.title.startswith("Add skos:inScheme"))
    assert any(
        t.startswith("Deprecate Community policing, replaced by Improving security system management") for t in titles
    )
    fixed = apply_edits(added, inverse.edit.changes[uri(terms)])
    change(client, terms, fixed, 3)
    diags = await diagnostics_for(
        client,
        terms,
        lambda d: (
            not any(
                str(x.code).startswith("REL-04") and x.data and x.data.get("focus") == SST + "community-policing"
                for x in d
            )
            and any(str(x.code).startswith("SCH-03") for x in d)
        ),
    )
    actions = await actions_at(client, terms, fixed.split("\n").index("sst:community-policing"))
    scheme = next(a for a in actions if a.title.startswith("Add skos:inScheme"))
    fixed = apply_edits(fixed, scheme.edit.changes[uri(terms)])
    assert "skos:inScheme <https://w3id.org/sst-vocab> ;" in fixed
    change(client, terms, fixed, 4)
    await diagnostics_for(client, terms, lambda d: not any(str(x.code).startswith("SCH-03") for x in d))
    # deprecation adds owl:deprecated (and its PREFIX line) and dcterms:isReplacedBy
    actions = await actions_at(client, terms, fixed.split("\n").index("sst:community-policing"))
    deprecate = next(a for a in actions if a.title.startswith("Deprecate Community policing, replaced by"))
    done = apply_edits(fixed, deprecate.edit.changes[uri(terms)])
    assert "PREFIX owl: <http://www.w3.org/2002/07/owl#>" in done
    assert "owl:deprecated true" in done and "dcterms:isReplacedBy sst:security-system-management" in done
    assert run_sst("validate", str(project / "vocab")).returncode in (0, 1)


@pytest.mark.asyncio
async def test_rename_a_draft_everywhere_and_refuse_a_released_concept(client, project):
    import subprocess

    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v0.1.0"], ["tag", "v0.1.0"]):
        subprocess.run(["git", *args], cwd=project, check=True, env=env)
    terms = project / "vocab" / "terms.ttl"
    text = await open_and_wait(client, project, terms)
    # released: refused, with the way out named
    with pytest.raises(Exception, match="Deprecate"):
        await client.text_document_prepare_rename_async(
            lsp.PrepareRenameParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
                position=pos(text, "sst:security-system-management", delta=6),
            )
        )
    # a new draft concept used from another file: renamed in every file
    added = text + (
        '\nsst:comunity-policing\n    a skos:Concept ;\n    skos:prefLabel "Community policing"@en ;\n'
        "    skos:inScheme <https://w3id.org/sst-vocab> ;\n.\n"
    )
    change(client, terms, added, 2)
    actors = project / "vocab" / "actors.ttl"
    actors_text = open_doc(client, actors)
    actors_text2 = actors_text + "\nsst:media skos:related sst:comunity-policing .\n"
    change(client, actors, actors_text2, 2)
    await diagnostics_for(client, actors, lambda d: True)
    at = pos(added, "sst:comunity-policing\n", delta=6)
    rng = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=at)
    )
    assert rng is not None
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)), position=at, new_name="community-policing"
        )
    )
    assert set(edit.changes) == {uri(terms), uri(actors)}
    assert "sst:community-policing" in apply_edits(actors_text2, edit.changes[uri(actors)])
    renamed = apply_edits(added, edit.changes[uri(terms)])
    assert "sst:comunity-policing" not in renamed and "sst:community-policing\n" in renamed


@pytest.mark.asyncio
async def test_formatting_gives_the_fmt_layout_and_refuses_what_fmt_refuses(client, project):
    from sst_vocab.fmt import format_text

    await start(client, project)
    terms = project / "vocab" / "terms.ttl"
    text = open_doc(client, terms)
    messy = text.replace("    skos:prefLabel", "  skos:prefLabel", 3)
    change(client, terms, messy, 2)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            options=lsp.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert apply_edits(messy, edits) == format_text(messy) == text
    change(client, terms, text + '\nsst:x skos:prefLabel "unterminated .\n', 3)
    with pytest.raises(Exception, match=r"Not formatted: .*terms\.ttl:"):
        await client.text_document_formatting_async(
            lsp.DocumentFormattingParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
                options=lsp.FormattingOptions(tab_size=4, insert_spaces=True),
            )
        )
    # the server is still there: a broken buffer answers requests (empty or partial)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri(terms)))
    )
    assert symbols
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(terms)),
            position=pos(text, "sst:security-system-transformation\n"),
        )
    )
    assert hover is not None


# ---------------------------------------------------------------------------------------------
# a real vocabulary written by others
# ---------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_real_vocabulary_opened_on_its_own(client, tmp_path):
    source = REAL / "commodity.ttl"
    path = tmp_path / "commodity.ttl"
    shutil.copy(source, path)
    await start(client, tmp_path)
    text = open_doc(client, path)
    diags = await diagnostics_for(client, path, lambda d: len(d) > 0)
    from sst_vocab.validate import validate

    report = validate([str(source)])
    assert len([d for d in diags if d.code not in ("syntax", "undeclared-prefix")]) == len(
        [f for f in report.findings if f.file]
    )
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri(path)))
    )
    assert symbols
    first = next(ln for ln in text.split("\n") if ln and not ln.startswith(("PREFIX", "@prefix", "#", " ")))
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri(path)), position=pos(text, first, delta=2))
    )
    assert hover is not None and "**" in hover.contents.value
    # break it and mend it
    change(client, path, text.replace(" ;", " ;;", 1).replace(".\n", "\n", 1), 2)
    await diagnostics_for(client, path, lambda d: "syntax" in codes(d))
    change(client, path, text, 3)
    await diagnostics_for(client, path, lambda d: "syntax" not in codes(d) and len(d) > 0)


# ---------------------------------------------------------------------------------------------
# the process
# ---------------------------------------------------------------------------------------------


def test_without_pygls_one_line_error_and_exit_2(tmp_path):
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "pygls").mkdir()
    (blocker / "pygls" / "__init__.py").write_text("raise ImportError('pygls is not installed')\n")
    result = run_sst("lsp", env={"PYTHONPATH": f"{blocker}:{SUBPROCESS_ENV['PYTHONPATH']}"})
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "Error: the language server needs pygls, which is not installed: "
        "pip install 'sst-vocab[lsp]' (or pip install pygls)"
    )


def _frame(message: dict) -> bytes:
    import json

    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_shutdown_then_exit_ends_with_status_0_and_exit_alone_with_1(tmp_path):
    import subprocess

    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
    for messages, status in (
        ([init, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}], 0),
        ([init, {"jsonrpc": "2.0", "method": "exit"}], 1),
    ):
        proc = popen_sst("lsp", stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = proc.communicate(b"".join(_frame(m) for m in messages), timeout=60)
        assert proc.returncode == status, err
        assert b"Traceback" not in err


def test_the_server_ends_when_its_editor_dies(tmp_path):
    """The editor is killed while the server's input stays open (another process holds it): it exits."""
    import os
    import signal
    import subprocess
    import time

    script = (  # the editor starts the server, waits for its answer to initialize, then hangs
        "import subprocess, sys, time\n"
        "p = subprocess.Popen([sys.executable, '-m', 'sst_vocab', 'lsp'], stdout=subprocess.PIPE)\n"
        "p.stdout.readline()\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    read_end, write_end = os.pipe()  # this test keeps the write end: no end-of-file reaches the server
    try:
        editor = popen_python("-c", script, stdin=read_end, stdout=subprocess.PIPE)
        os.close(read_end)
        os.write(
            write_end,
            _frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}},
                }
            ),
        )
        server_pid = int(editor.stdout.readline())
        os.kill(editor.pid, signal.SIGKILL)
        editor.wait()
        for _ in range(600):
            try:
                with open(f"/proc/{server_pid}/stat", encoding="ascii") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":  # ended, not yet reaped by its new parent
                        break
            except OSError:
                break
            time.sleep(0.1)
        else:
            os.kill(server_pid, signal.SIGKILL)
            raise AssertionError("the language server outlived its editor")
    finally:
        os.close(write_end)


@pytest.mark.asyncio
async def test_a_file_saved_by_another_program_is_read_again(client, project):
    await start(client, project)
    for _ in range(600):  # the server registers once it is initialized
        if "workspace/didChangeWatchedFiles" in client.registered:
            break
        await asyncio.sleep(0.1)
    assert "workspace/didChangeWatchedFiles" in client.registered
    terms, scheme = project / "vocab" / "terms.ttl", project / "vocab" / "scheme.ttl"
    open_doc(client, terms)
    await diagnostics_for(client, terms, lambda d: len(d) > 0)
    text = scheme.read_text(encoding="utf-8")
    scheme.write_text(text + '\nsst:broken skos:prefLabel "never closed .\n', encoding="utf-8")  # not open here
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=uri(scheme), type=lsp.FileChangeType.Changed)])
    )
    diags = await diagnostics_for(client, scheme, lambda d: "syntax" in codes(d))
    assert next(d for d in diags if d.code == "syntax").range.start.line == len(text.split("\n"))
    scheme.write_text(text, encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=uri(scheme), type=lsp.FileChangeType.Changed)])
    )
    await diagnostics_for(client, scheme, lambda d: "syntax" not in codes(d))


@pytest.mark.asyncio
async def test_a_finding_on_a_blank_node_is_shown_at_the_block_that_holds_it(client, tmp_path):
    path = tmp_path / "blank.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ex: <https://example.org/v/> .\n\n"
        'ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; skos:hasTopConcept ex:a .\n\n'
        'ex:a a skos:Concept ; skos:prefLabel "A"@en ; skos:topConceptOf ex:scheme ; skos:inScheme ex:scheme ;\n'
        "    skos:related [ a skos:Concept ; skos:inScheme ex:scheme ] .\n",
        encoding="utf-8",
    )
    await open_and_wait(client, tmp_path, path)
    diags = await diagnostics_for(
        client, path, lambda d: any(str((x.data or {}).get("focus", "")).startswith("_:") for x in d)
    )
    on_blank = [d for d in diags if str((d.data or {}).get("focus", "")).startswith("_:")]
    assert on_blank and all(d.range.start.line == 5 for d in on_blank)  # the line of ex:a's block (0-based)
