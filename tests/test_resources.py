"""The shipped data folders are found in a checkout, and in an installed wheel outside it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, run_python
from sst_vocab.resources import data_dir


@pytest.mark.parametrize("name", ["vocab", "shapes", "queries"])
def test_checkout_uses_the_repository_folders(name):
    assert data_dir(name) == str(ROOT / name)


@pytest.mark.slow
def test_wheel_installs_and_validates_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
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
    wheel = next(dist.glob("sst_vocab-*.whl"))
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
