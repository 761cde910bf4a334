"""models/fetch.py: assembling split files, verifying hashes, idempotence, clear errors."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("fetch", ROOT / "models" / "fetch.py")
assert spec and spec.loader
fetch = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fetch)

PART1, PART2 = b"a" * 1000, b"b" * 500


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_spec() -> dict:
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
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    assert manifest["models"]["whisper-base"]["files"]["model.bin"]["sha256"].startswith("d01c3014")
    for name, model in manifest["models"].items():
        assert model["files"], name
        sources = model["wheels"] if "wheels" in model else [model["archive"]]
        for source in sources:
            assert len(source["sha256"]) == 64
        for entry in model["files"].values():
            assert len(entry["sha256"]) == 64 and entry["size"] > 0


def test_own_model_archive_assembles_and_a_changed_archive_is_refused(tmp_path: Path) -> None:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    spec = manifest["models"]["ner-pt"]
    assert fetch.fetch("ner-pt", spec, tmp_path, record=False) == "fetched and verified"
    assert fetch.is_complete(tmp_path / "ner-pt", spec)
    spec["archive"]["sha256"] = "0" * 64
    shutil.rmtree(tmp_path / "ner-pt")
    with pytest.raises(fetch.FetchError, match="redactor-ner-pt.tar.gz: sha256 mismatch"):
        fetch.fetch("ner-pt", spec, tmp_path, record=False)


def test_installed_models_verify(models_dir: Path) -> None:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    for name, model in manifest["models"].items():
        if not model.get("optional"):
            assert fetch.is_complete(models_dir / name, model), name
