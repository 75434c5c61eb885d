"""The VS Code client in editors/vscode/: its script is valid JavaScript and its manifest is one
`vsce package` accepts (the fields it refuses to package without).

Building the .vsix needs the npm registry (`npm install`, then `npx @vscode/vsce package`, as
docs/editor.md says), so the tests only check what can be checked offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

CLIENT = ROOT / "editors" / "vscode"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed (Debian: apt-get install nodejs)")
def test_the_extension_script_is_valid_javascript():
    done = subprocess.run([NODE, "--check", str(CLIENT / "extension.js")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_manifest_has_what_vsce_package_needs():
    manifest = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    for key in ("name", "publisher", "version", "license", "repository", "engines", "main"):
        assert manifest.get(key), key
    assert manifest["engines"].get("vscode")
    assert (CLIENT / manifest["main"]).is_file()
    assert (CLIENT / "LICENSE").is_file() and (CLIENT / "README.md").is_file()
    assert "vscode-languageclient" in manifest["dependencies"]
    # the lock file pins what `npm ci` installs, and nothing built is in the repository
    lock = json.loads((CLIENT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["name"] == manifest["name"]


def test_the_extension_starts_the_command_it_is_configured_with():
    manifest = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    setting = manifest["contributes"]["configuration"]["properties"]["sstVocab.command"]
    assert setting["default"] == ["sst-vocab", "lsp"]
    assert any(lang["id"] == "turtle" and ".ttl" in lang["extensions"] for lang in manifest["contributes"]["languages"])
