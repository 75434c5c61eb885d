"""The shipped data folders are found in a checkout, and in an installed wheel outside it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_python
from sst_vocab.resources import data_dir


@pytest.mark.parametrize("name", ["vocab", "shapes", "queries"])
def test_checkout_uses_the_repository_folders(name):
    assert data_dir(name) == str(ROOT / name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """This checkout built as a wheel, once for the tests of this module."""
    dist = tmp_path_factory.mktemp("dist")
    run_python(
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(dist),
        str(ROOT),
        check=True,
        capture_output=False,
    )
    return next(dist.glob("sst_vocab-*.whl"))


@pytest.mark.slow
def test_templates_and_assets_ship_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("base.html", "index.html", "concept.html", "resource.html", "macros.html", "site.css", "site.js"):
        assert f"sst_vocab/templates/{name}" in names, name
    assert "sst_vocab/context.jsonld" in names
    for folder in ("vocab", "shapes", "queries"):
        assert any(n.startswith(f"sst_vocab/_data/{folder}/") for n in names), folder


@pytest.mark.slow
def test_wheel_installs_and_validates_outside_the_checkout(tmp_path, wheel):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    # Reuse this environment's dependencies (no download): a .pth pointing at our site-packages,
    # placed *after* the new environment's own site-packages so the wheel is found first.
    site = next((env_dir / "lib").glob("python*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "zz_deps.pth").write_text("\n".join(deps) + "\n")
    run_python(
        "-m",
        "pip",
        "--python",
        str(env_dir / "bin" / "python"),
        "install",
        "--no-deps",
        "-q",
        str(wheel),
        check=True,
        capture_output=False,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # The installed copy, not this checkout: no PYTHONPATH (so not conftest's run_python).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    proc = subprocess.run(
        [str(env_dir / "bin" / "sst-vocab"), "validate"], cwd=outside, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms" in proc.stdout
    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "from sst_vocab.resources import data_dir; print(data_dir('vocab'))"],
        cwd=outside,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "site-packages/sst_vocab/_data/vocab" in where.stdout
    assert Path(where.stdout.strip(), "terms.ttl").is_file()
