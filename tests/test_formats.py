"""The output registry: every entry can be written, and one entry is all a new format needs
for folders to name, write and check its file."""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest

from redactor import __version__, formats
from redactor.audio import Audio
from redactor.bleep import Bleep
from redactor.formats import FORMATS, Format, defaults, output_paths
from redactor.jobs import FileResult, Job
from redactor.outputs import CallOutput, FolderSink
from redactor.redact import Placement
from redactor.transcript import Transcript
from redactor.types import Entity, Gap, Word

SCHEMAS = Path(formats.__file__).parent / "schemas"
SOURCE = b"RIFF....WAVE a call"


def fake_bytes(call: CallOutput) -> bytes:
    """The writer of the fake formats below."""
    return f"{len(call.bleeps)} bleeps\n".encode()


FAKE = Format("fake", ".fake.txt", "tests.test_formats:fake_bytes")
OPT_IN = Format("opt_in", ".opt-in.txt", "tests.test_formats:fake_bytes", default=False)


def a_call(meta: dict[str, Any] | None = None) -> CallOutput:
    transcript = Transcript(
        [Word(" Meu", 0.0, 0.4), Word(" CPF", 0.5, 0.9), Word(" 52998224725", 1.0, 2.5)],
        "pt",
        3.0,
        [Gap(2.6, 2.9)],
    )
    cpf = Entity("BR_CPF", 8, 19, 1.0, "BrCpfRecognizer")
    return CallOutput(
        audio=Audio(np.zeros((24_000, 1), dtype=np.float32), 8000),
        transcript=transcript,
        text="Meu CPF <BR_CPF>",
        placements=[Placement(cpf, 8, 16, "<BR_CPF>")],
        bleeps=[Bleep(0.85, 2.65, "BR_CPF", 1.0)],
        review=[Bleep(2.6, 2.9, "UNTRANSCRIBED_SPEECH", 0.0)],
        meta={
            "language": "pt",
            "language_detected": False,
            "model": "base",
            "operator": "tag",
            **(meta or {}),
        },
    )


def test_kinds_and_suffixes_are_unique() -> None:
    assert len({f.kind for f in FORMATS}) == len(FORMATS)
    assert len({f.suffix for f in FORMATS}) == len(FORMATS)
    assert all(f.suffix.startswith(".") for f in FORMATS)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.kind)
def test_every_format_has_a_writer(fmt: Format) -> None:
    module, _, name = fmt.writer.partition(":")
    assert callable(getattr(importlib.import_module(module), name))
    assert isinstance(fmt.write(a_call()), bytes)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.kind)
def test_json_formats_have_a_schema_their_writer_meets(fmt: Format) -> None:
    assert bool(fmt.schema) == fmt.suffix.endswith(".json")
    if fmt.schema:
        schema = json.loads((SCHEMAS / fmt.schema).read_text())
        jsonschema.validate(json.loads(fmt.write(a_call())), schema)


def test_the_transcript_is_written_last() -> None:
    assert list(output_paths(Path("out"), Path("call.wav")))[-1] == "transcript"


def test_one_entry_is_enough_for_a_new_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A format added to the table is named, written and checked by a folder run; an opt-in
    one is none of these until asked for."""
    monkeypatch.setattr(formats, "FORMATS", (*FORMATS, FAKE, OPT_IN))
    paths = output_paths(tmp_path / "out", Path("sub/call.wav"))
    assert paths["fake"] == tmp_path / "out" / "sub" / "call.fake.txt"
    assert "opt_in" not in paths and list(paths)[-1] == "transcript"
    assert [f.kind for f in defaults()] == [*(f.kind for f in FORMATS), "fake"]

    source = tmp_path / "sub" / "call.wav"
    source.parent.mkdir()
    source.write_bytes(SOURCE)
    sink = FolderSink(tmp_path / "out", fingerprint="settings")
    job = sink.plan(0, source, Path("sub/call.wav"))
    assert isinstance(job, Job)
    sha256 = hashlib.sha256(SOURCE).hexdigest()
    call = a_call({"config": "settings", "input_sha256": sha256})
    sink.write(job, {f.kind: f.write(call) for f in defaults()}, {})
    assert paths["fake"].read_bytes() == b"1 bleeps\n"
    assert json.loads(paths["transcript"].read_text())["redactor_version"] == __version__

    # Done: a rerun skips it, and misses the fake file if it goes.
    again = FolderSink(tmp_path / "out", fingerprint="settings")
    assert isinstance(again.plan(0, source, Path("sub/call.wav")), FileResult)
    paths["fake"].unlink()
    again = FolderSink(tmp_path / "out", fingerprint="settings")
    assert isinstance(again.plan(0, source, Path("sub/call.wav")), Job)
