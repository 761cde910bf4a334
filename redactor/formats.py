"""The files `redactor run` writes for each call: one entry per format.

An output format is a writer function ``(outputs.CallOutput) -> bytes`` (in ``outputs.py``)
plus one entry here: its kind, suffix, writer, and JSON Schema if it has one. The pipeline
writes every default format from this table, and folders (``outputs.FolderSink``), the
store and ``export`` name and order files from it alone. Writers are named, not imported,
so that this module stays standard library only: light commands (``--help``, ``keys``,
``verify``, ``config show``) import it and must not load numpy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redactor.outputs import CallOutput


@dataclass(frozen=True)
class Format:
    kind: str
    suffix: str
    #: "module:function" that makes the file's bytes from a CallOutput.
    writer: str
    #: The JSON Schema in redactor/schemas/ for JSON documents; "" for the others.
    schema: str = ""
    #: Written by every run; False for a format written only when a run asks for it.
    default: bool = True

    def write(self, call: CallOutput) -> bytes:
        """This format's file for one call (the writer's module is imported on first use)."""
        module, _, name = self.writer.partition(":")
        writer: Callable[[CallOutput], bytes] = getattr(importlib.import_module(module), name)
        return writer(call)


FORMATS = (
    Format(
        "transcript",
        ".redacted.json",
        "redactor.outputs:transcript_bytes",
        "transcript.schema.json",
    ),
    Format("text", ".redacted.txt", "redactor.outputs:text_bytes"),
    Format("bleeps", ".bleeps.json", "redactor.outputs:bleeps_bytes", "bleeps.schema.json"),
    Format("audio", ".redacted.wav", "redactor.outputs:audio_bytes"),
)
SUFFIXES = {f.kind: f.suffix for f in FORMATS}


def defaults() -> list[Format]:
    """The formats every run writes, in table order (the others only when asked for)."""
    return [f for f in FORMATS if f.default]


def output_paths(out_dir: Path, relative: Path) -> dict[str, Path]:
    """Where each file a run writes for the input ``relative`` goes under ``out_dir``, in
    the order to write them: the transcript last (when it is on disk, the whole set is)."""
    stem = out_dir / relative.parent / relative.stem
    last = sorted(defaults(), key=lambda f: f.kind == "transcript")
    return {f.kind: stem.with_name(stem.name + f.suffix) for f in last}
