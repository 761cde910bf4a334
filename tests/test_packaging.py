"""The wheel, installed outside the checkout: it holds every module, the manifest and our
model archives, its `redactor models fetch` assembles the models, and it redacts a call.

Offline: the wheel is built with this environment's setuptools (no build isolation) and
installed without dependencies into a fresh venv that sees this environment's packages
through a .pth file (a path line there does not run the editable install's finder, so
`import redactor` can only find the installed copy).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypedDict

import pytest

from redactor import models
from tests.conftest import ROOT, SAMPLES

#: What the wheel is built from: pyproject.toml says which of these it ships.
SOURCES = ("pyproject.toml", "README.md", "redactor", "ner/dist")
SCHEMAS = sorted((ROOT / "redactor" / "schemas").glob("*.json"))


def run(command: Sequence[object], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **kwargs
    )


class Installed(TypedDict):
    """The built wheel and the venv it is installed in (the ``installed`` fixture)."""

    wheel: Path
    venv: Path
    site: Path
    home: Path
    work: Path
    env: dict[str, str]


def setuptools_major() -> int:
    return int(version("setuptools").split(".")[0])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    if setuptools_major() < 77:
        pytest.fail(f"setuptools {version('setuptools')} cannot build the wheel: make install")
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "src"  # a copy: no build/ or egg-info in the checkout, no stale files
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", tmp / "dist", source],
        env=offline,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("*.whl")

    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([python, "-c", purelib]).stdout.strip())
    ours = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}  # sys.prefix's
    (site / "dev-environment.pth").write_text("".join(f"{path}\n" for path in sorted(ours)))
    home = tmp / "home"
    home.mkdir()
    # Nothing of the checkout's: no PYTHONPATH (the checkout may be on it, with an egg-info
    # that would make pip think the wheel is installed already), no models folder setting.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "REDACTOR_", "XDG_", "VIRTUAL_ENV"))
    }
    env.update(HOME=str(home), HF_HUB_OFFLINE="1", PIP_NO_INDEX="1")
    done = run(
        [sys.executable, "-m", "pip", "--python", python, "install"]
        + ["--no-deps", "--force-reinstall", wheel],
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (venv / "bin" / "redactor").is_file(), done.stdout + done.stderr
    work = tmp / "work"  # the current folder: outside the checkout
    work.mkdir()
    return {"wheel": wheel, "venv": venv, "site": site, "home": home, "work": work, "env": env}


def test_the_wheel_holds_the_package_its_data_and_runtime_dependencies_only(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = wheel.read(metadata).decode()
    checkout = {p.relative_to(ROOT).as_posix() for p in (ROOT / "redactor").rglob("*.py")}
    assert checkout <= names, checkout - names  # a new subpackage missing from pyproject
    assert {"redactor/models_manifest.json", "redactor/py.typed"} <= names
    assert {f"redactor/{p.relative_to(ROOT / 'redactor')}" for p in SCHEMAS} <= names
    for spec in models.load_manifest()["models"].values():
        if "archive" in spec:  # every archive the manifest names ships with the package
            assert f"redactor/model_archives/{Path(spec['archive']['file']).name}" in names
    assert "Name: callredactor" in meta
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    base = [r for r in requires if "extra ==" not in r]
    for tool in ("boto3", "ray", "pytest", "ruff", "mypy", "seaweedfs", "faker", "setuptools"):
        assert not any(tool in r for r in base), tool
    assert any("boto3" in r and 'extra == "s3"' in r for r in requires)
    assert any(r.startswith("Requires-Dist: ray") and 'extra == "ray"' in r for r in requires)


@pytest.fixture(scope="module")
def fetched(
    installed: Installed, models_dir: Path
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`redactor models fetch --dir X` run by the installed command, offline: the
    third-party models are those `make models` fetched (verified, not downloaded again),
    ours are assembled from the archives inside the wheel."""
    target = installed["work"] / "models"
    target.mkdir()
    for name, spec in models.load_manifest()["models"].items():
        if "wheels" in spec and not spec.get("optional"):
            (target / name).symlink_to(models_dir / name, target_is_directory=True)
    done = run(
        [installed["venv"] / "bin" / "redactor", "models", "fetch", "--dir", target],
        cwd=installed["work"],
        env=installed["env"],
    )
    return target, done


def test_the_installed_package_runs_and_fetches_outside_the_checkout(
    installed: Installed, fetched: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    python, env = installed["venv"] / "bin" / "python", installed["env"]
    where = run(
        [python, "-c", "import redactor, redactor.models as m; "
         "print(redactor.__file__); print(m.source_checkout()); print(m.default_dir())"],
        cwd=installed["work"], env=env,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    module, checkout, default = where.stdout.splitlines()
    assert Path(module).is_relative_to(installed["site"]) and checkout == "None"
    assert Path(default) == installed["home"] / ".local" / "share" / "redactor" / "models"

    target, done = fetched
    assert done.returncode == 0, done.stdout + done.stderr
    assert "whisper-base:\n  ok (already verified)" in done.stdout
    assert "ner-pt:\n  fetched and verified" in done.stdout
    assert "ner-es:\n  fetched and verified" in done.stdout
    assert (target / "manifest.json").read_bytes() == models.MANIFEST.read_bytes()
    for name, spec in models.load_manifest()["models"].items():
        if not spec.get("optional"):
            assert models.is_complete(target / name, spec), name


@pytest.mark.slow
def test_the_installed_command_redacts_a_call(
    installed: Installed, fetched: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    target, done = fetched
    assert done.returncode == 0, done.stdout + done.stderr
    work = installed["work"]
    call = shutil.copy(SAMPLES / "pt" / "call-pt-cpf.wav", work / "call-pt-cpf.wav")
    env = {**installed["env"], "REDACTOR_MODELS_DIR": str(target)}
    done = run(
        [installed["venv"] / "bin" / "redactor", "run", call, "--out", "out", "--language", "pt"],
        cwd=work,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = work / "out"
    for suffix in (".redacted.json", ".redacted.txt", ".bleeps.json", ".redacted.wav"):
        assert (out / f"call-pt-cpf{suffix}").is_file(), suffix
    assert "<BR_CPF>" in (out / "call-pt-cpf.redacted.txt").read_text()
    assert json.loads((out / "call-pt-cpf.bleeps.json").read_text())
