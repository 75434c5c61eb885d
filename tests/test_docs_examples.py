"""The console examples in README.md and docs/*.md show what the commands really print.

Every ``$ sst-vocab ...`` line in a ```console block whose command only reads (validate, show,
search, tree, queries, query, fmt --check, publish --dry-run) is run, and its output must match
the lines below it, where a line ``...`` stands for any number of lines.  Commands that write,
send or serve are documentation only.  Files an example names that are not in the repository
(``broken.ttl``) live in tests/data/docs-examples/, where such commands run.
"""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import DATA, ROOT, run_sst

EXAMPLE_FILES = DATA / "docs-examples"
READ_ONLY = {"validate", "show", "search", "tree", "queries", "query"}
BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def examples() -> list[tuple[str, int, str, list[str]]]:
    """(document, line, command, expected lines) for every runnable example."""
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            command, expected, at = None, [], 0
            for n, line in enumerate(block.group(1).splitlines() + ["$ "]):
                if line.startswith("$ "):
                    if command is not None and expected and runnable(command):
                        found.append((doc.name, at, command, expected))
                    command, expected, at = line[2:].split("  #")[0].strip(), [], first_line + n
                elif command is not None:
                    expected.append(line)
    return found


def runnable(command: str) -> bool:
    words = shlex.split(command)
    if len(words) < 2 or words[0] != "sst-vocab" or any(w in ("|", ">", "&&", ";") for w in words):
        return False
    return (
        words[1] in READ_ONLY
        or (words[1] == "fmt" and "--check" in words)
        or (words[1] == "publish" and "--dry-run" in words)
    )


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; an expected line "..." matches any run of lines (none included)."""
    while expected and expected[-1] == "":
        expected = expected[:-1]
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == head and matches(rest, actual[1:])


EXAMPLES = examples()


def test_the_documents_have_runnable_examples():
    assert len(EXAMPLES) >= 8
    assert {doc for doc, *_ in EXAMPLES} >= {"README.md", "publishing.md"}


@pytest.mark.parametrize("doc, line, command, expected", EXAMPLES, ids=[f"{d}:{n}" for d, n, *_ in EXAMPLES])
def test_example_output_is_what_the_command_prints(doc, line, command, expected):
    words = shlex.split(command)
    here = EXAMPLE_FILES if any((EXAMPLE_FILES / w).is_file() for w in words[2:]) else ROOT
    proc = run_sst(*words[1:], text=True, cwd=here, env={"COLUMNS": "88"})
    actual = (proc.stdout + proc.stderr).splitlines()
    assert matches(expected, actual), f"{doc}:{line}: `{command}` printed:\n" + "\n".join(actual[:40])


@pytest.mark.parametrize(
    "expected, actual, ok",
    [
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a", "...", "d"], ["a", "b"], False),
        (["a", "b"], ["a", "b", "c"], False),
        (["a", "..."], ["a", "b", "c"], True),
    ],
)
def test_the_matcher(expected, actual, ok):
    assert matches(expected, actual) is ok


def _options_of(name: str) -> set[str]:
    from sst_vocab.cli import cli

    command = cli.get_command(None, name)
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}


def test_the_readme_lists_every_command():
    from sst_vocab.cli import COMMANDS

    table = re.findall(r"^\| ((?:`[a-z]+`(?:, )?)+) \|", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    listed = {name for cell in table for name in re.findall(r"`([a-z]+)`", cell)}
    assert listed == set(COMMANDS)


def test_every_option_the_documents_show_exists():
    from sst_vocab.cli import COMMANDS

    wrong = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"sst-vocab ([a-z]+)\b([^`|]*)", line):
                name, rest = m.group(1), m.group(2)
                if name not in COMMANDS:
                    continue
                options = _options_of(name)
                wrong += [
                    f"{doc.name}:{n}: sst-vocab {name} {o}"
                    for o in re.findall(r"(?<![\w-])--?[a-z][\w-]*", rest)
                    if o not in options
                ]
    assert wrong == []
