"""The files `redactor run` writes for each call: one entry per format.

A new output format is one entry here (its kind, suffix and JSON Schema) plus the code in
``pipeline.Pipeline.process`` that makes its bytes; folders (``outputs.FolderSink``), the
store and ``export`` name and order files from this table alone. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    kind: str
    suffix: str
    #: The JSON Schema in redactor/schemas/ for JSON documents; "" for the others.
    schema: str = ""


FORMATS = (
    Format("transcript", ".redacted.json", "transcript.schema.json"),
    Format("text", ".redacted.txt"),
    Format("bleeps", ".bleeps.json", "bleeps.schema.json"),
    Format("audio", ".redacted.wav"),
)
SUFFIXES = {f.kind: f.suffix for f in FORMATS}
#: The transcript goes last: when it is on disk, the whole set is.
WRITE_ORDER = sorted(SUFFIXES, key=lambda kind: kind == "transcript")


def output_paths(out_dir: Path, relative: Path) -> dict[str, Path]:
    """Where each file of the input ``relative`` goes under ``out_dir``."""
    stem = out_dir / relative.parent / relative.stem
    return {kind: stem.with_name(stem.name + suffix) for kind, suffix in SUFFIXES.items()}
