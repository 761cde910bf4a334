"""The units of a batch: the Job the driver plans, the FileResult a worker returns, and the
Sink protocol both sides write through."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass
class FileResult:
    relative: Path
    ok: bool
    error: str = ""
    #: How messages name this input: its path for --out, a pseudonymous call id for --store.
    label: str = ""
    #: Already in the store with the same settings and models: not processed again.
    skipped: bool = False
    duration: float = 0.0
    seconds: float = 0.0
    entities: Counter[str] = field(default_factory=Counter)
    bleeps: int = 0
    untranscribed: int = 0
    #: The transcript's verdict (good, degraded, unusable) and its unreliable share.
    quality: str = ""
    unreliable_share: float = 0.0
    rss_mb: float = 0.0  # peak resident memory of the process that did it
    #: What the worker wrote, for the driver's Sink.commit (no content, no PII).
    written: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """ok, skipped (done before with the same input and settings) or failed."""
        return "skipped" if self.skipped else "ok" if self.ok else "failed"


@dataclass
class Job:
    """One input as the driver planned it; plain data, it travels to worker processes."""

    index: int
    source: Path
    relative: Path
    label: str
    #: The sink's name for the call (a store's call id); never derived from the file name.
    ref: str = ""
    #: The input's sha256, when the sink read it to plan (a folder run records it).
    content_sha256: str = ""


class Sink(Protocol):
    """Where a call's outputs go: a folder (outputs.FolderSink) or a store (storage.StoreSink).

    The driver (the process that runs the batch) plans each input and commits what a worker
    wrote; workers only write. So checks that span the batch (already stored, two inputs
    with one destination) and the store's manifest live in one process, whatever the engine.
    """

    def describe(self) -> str: ...
    def unread_label(self, index: int, relative: Path) -> str:
        """How messages name an input that could not even be read (no content to hash)."""
        ...

    def plan(self, index: int, source: Path, relative: Path) -> Job | FileResult:
        """Driver: a Job to do, or the result for an input not to process (skipped, refused)."""
        ...

    def write(self, job: Job, documents: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
        """Worker: write the call's outputs; return what commit needs."""
        ...

    def commit(self, job: Job, written: dict[str, Any]) -> None:
        """Driver: record a written call (a store's manifest entry and audit event)."""
        ...
