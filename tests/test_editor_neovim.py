"""End to end in a real editor: Debian's Neovim, headless, opens a vocabulary file with an error.

Neovim's built-in LSP client starts `sst-vocab lsp` (tests/tools/nvim_diagnostics.lua), and the
test reads the diagnostics Neovim received.  `make install-test` installs Debian's neovim.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SUBPROCESS_ENV

NVIM = shutil.which("nvim")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NVIM is None, reason="neovim is not installed (make install-test installs Debian's neovim)"),
]
pytest.importorskip("pygls", reason="the language server needs pygls (pip install 'sst-vocab[lsp]')")


def test_neovim_shows_the_violation_in_a_vocabulary_file(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "vocab", project / "vocab")
    (project / "pyproject.toml").write_text('[tool.sst-vocab]\nvocab = ["vocab"]\n', encoding="utf-8")
    terms = project / "vocab" / "terms.ttl"
    text = terms.read_text(encoding="utf-8")
    label = '    skos:prefLabel "Security system transformation"@en ;\n'
    assert label in text
    terms.write_text(
        text.replace(label, label + '    skos:prefLabel "Security sector transformation"@en ;\n', 1), encoding="utf-8"
    )
    out = tmp_path / "diagnostics.json"
    env = {
        **SUBPROCESS_ENV,
        "SST_OUT": str(out),
        "SST_ROOT": str(project),
        "SST_PYTHON": sys.executable,
        "SST_WANT": "more than one preferred label",
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [
            NVIM,
            "--headless",
            "--clean",
            str(terms),
            "-c",
            f"luafile {ROOT / 'tests' / 'tools' / 'nvim_diagnostics.lua'}",
        ],
        env=env,
        cwd=project,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    received = json.loads(out.read_text(encoding="utf-8"))
    assert received["ok"], received
    subject_line = text.split("\n").index("sst:security-system-transformation")
    lbl = [d for d in received["diagnostics"] if d["code"] == "LBL-01-unique-lang"]
    assert lbl and lbl[0]["lnum"] == subject_line and lbl[0]["severity"] == 1  # an error at the subject's line
    assert all(d["severity"] != 1 for d in received["diagnostics"] if d["lnum"] != subject_line)
