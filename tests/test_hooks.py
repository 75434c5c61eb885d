"""The pre-commit hooks: the shipped definitions are valid and do what they say, here and from another repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_python, run_sst, write

HOOKS = ROOT / ".pre-commit-hooks.yaml"
CONFIG = ROOT / ".pre-commit-config.yaml"
REQUIRED = {"id", "name", "entry", "language"}


def read_hooks(path: Path) -> list[dict]:
    """Read our hook files: a YAML list of flat mappings (scalars and [a, b] lists), as pre-commit would.

    pre-commit's own schema check runs too when pre-commit is installed (test_manifest_schema).
    """
    hooks: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\s*(- )?(\w+):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(2), m.group(3).strip()
        if key in ("repos", "hooks", "repo"):
            continue
        if m.group(1):
            hooks.append({})
        if value.startswith("[") and value.endswith("]"):
            value = [v.strip() for v in value[1:-1].split(",") if v.strip()]
        elif value in ("true", "false"):
            value = value == "true"
        hooks[-1][key] = value
    return hooks


def test_manifest_has_the_three_hooks_with_required_keys():
    hooks = read_hooks(HOOKS)
    assert [h["id"] for h in hooks] == ["sst-vocab-fmt", "sst-vocab-fmt-check", "sst-vocab-validate"]
    for h in hooks:
        assert set(h) >= REQUIRED, h
        assert h["language"] == "python"
        assert h["entry"].split()[0] == "sst-vocab"
        assert re.search(h["files"], "vocab/terms.ttl") and not re.search(h["files"], "README.md")
    validate = hooks[2]
    assert validate["pass_filenames"] is False and validate["args"] == ["vocab/"]


def test_manifest_schema():
    clientlib = pytest.importorskip("pre_commit.clientlib")
    manifest = clientlib.load_manifest(str(HOOKS))
    assert [h["id"] for h in manifest] == [h["id"] for h in read_hooks(HOOKS)]
    config = clientlib.load_config(str(CONFIG))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["sst-vocab-fmt", "sst-vocab-validate"]


def run_hook(hook: dict, files: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a hook's entry the way pre-commit does: entry + args + the file names (this checkout's sst-vocab)."""
    argv = shlex.split(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        argv += files
    assert argv[0] == "sst-vocab", hook["entry"]
    return run_sst(*argv[1:], cwd=cwd, text=True, timeout=300)


MESSY = '@prefix ex: <https://example.org/> .\n# kept\nex:b ex:p "x" . ex:a ex:p "y" .\n'


def test_each_hook_entry_runs_and_fails_or_passes_as_it_should(tmp_path):
    hooks = {h["id"]: h for h in read_hooks(HOOKS)}
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    canonical = tmp_path / "vocab" / "terms.ttl"
    messy = write(tmp_path / "other" / "messy.ttl", MESSY)

    check = hooks["sst-vocab-fmt-check"]
    assert run_hook(check, [str(canonical)], tmp_path).returncode == 0
    r = run_hook(check, [str(messy)], tmp_path)
    assert r.returncode == 1 and "+ex:a" in r.stdout and messy.read_text() == MESSY

    fmt = hooks["sst-vocab-fmt"]
    r = run_hook(fmt, [str(messy)], tmp_path)
    assert r.returncode == 0 and messy.read_text() != MESSY and "# kept" in messy.read_text()
    assert run_hook(check, [str(messy)], tmp_path).returncode == 0

    validate = hooks["sst-vocab-validate"]
    r = run_hook(validate, [str(canonical)], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    broken = write(tmp_path / "vocab" / "broken.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:p "x .\n')
    r = run_hook(validate, [str(broken)], tmp_path)
    assert r.returncode == 2 and "broken.ttl:2" in r.stderr
    r = run_hook(fmt, [str(broken)], tmp_path)
    assert r.returncode == 2 and broken.read_text().endswith('"x .\n')


def git(cwd: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def pre_commit(cwd: Path, *args: str, home: Path, checkout: bool = True) -> subprocess.CompletedProcess:
    """pre-commit ARGS; its hooks run this checkout's code, unless ``checkout`` is False (then the
    hooks run what pre-commit installed, as for a user)."""
    env = {"PRE_COMMIT_HOME": str(home)} if checkout else {"PRE_COMMIT_HOME": str(home), "PYTHONPATH": ""}
    return run_python("-m", "pre_commit", *args, cwd=cwd, text=True, env=env, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_this_repositorys_own_config_runs(tmp_path):
    pytest.importorskip("pre_commit")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "vocab", repo / "vocab")
    shutil.copy(CONFIG, repo / ".pre-commit-config.yaml")
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    write(repo / "vocab" / "messy.ttl", MESSY)
    git(repo, "init", "-q")
    git(repo, "add", "vocab", ".pre-commit-config.yaml")
    r = pre_commit(repo, "run", "--all-files", home=tmp_path / "home")
    assert r.returncode == 1, r.stdout  # fmt rewrote messy.ttl: the hook fails so the change can be reviewed
    assert "sst-vocab fmt" in r.stdout and "files were modified by this hook" in r.stdout
    assert "# kept" in (repo / "vocab" / "messy.ttl").read_text()
    git(repo, "add", "vocab")
    r = pre_commit(repo, "run", "--all-files", home=tmp_path / "home")
    assert r.returncode == 0, r.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hooks_work_from_another_repository(tmp_path):
    """pre-commit try-repo installs sst-vocab from a repository holding the hooks and runs them elsewhere.

    Builds a throwaway repository from this checkout's files (so uncommitted work is tested) and needs
    the package index for the install, like any user of the hooks.
    """
    pytest.importorskip("pre_commit")
    hooks_repo = tmp_path / "sst-vocab"
    hooks_repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, hooks_repo / name)
    for name in ("src", "vocab", "shapes", "queries"):
        shutil.copytree(ROOT / name, hooks_repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for lic in ROOT.glob("LICENSE*"):
        shutil.copy(lic, hooks_repo / lic.name)
    git(hooks_repo, "init", "-q")
    git(hooks_repo, "add", ".")
    git(hooks_repo, "commit", "-q", "-m", "hooks")

    user = tmp_path / "user"
    shutil.copytree(ROOT / "vocab", user / "vocab")
    write(user / "vocab" / "messy.ttl", MESSY)
    git(user, "init", "-q")
    git(user, "add", ".")
    home = tmp_path / "home"
    r = pre_commit(
        user,
        "try-repo",
        str(hooks_repo),
        "sst-vocab-fmt-check",
        "--files",
        "vocab/messy.ttl",
        "vocab/terms.ttl",
        home=home,
        checkout=False,
    )
    if "Could not find a version" in r.stdout or "Failed to establish a new connection" in r.stdout:
        pytest.skip("the package index cannot be reached to install the hook")
    assert r.returncode == 1, r.stdout
    assert "would reformat vocab/messy.ttl" in r.stdout and "+ex:a" in r.stdout
    r = pre_commit(user, "try-repo", str(hooks_repo), "sst-vocab-validate", "--all-files", home=home, checkout=False)
    assert r.returncode == 0 and "Passed" in r.stdout, r.stdout
    write(user / "vocab" / "broken.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:p "x .\n')
    git(user, "add", ".")
    r = pre_commit(user, "try-repo", str(hooks_repo), "sst-vocab-validate", "--all-files", home=home, checkout=False)
    assert r.returncode == 1 and "broken.ttl:2" in r.stdout, r.stdout
