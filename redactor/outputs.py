"""The output contract: what ``redactor run`` writes for each call, and how.

For an input ``sub/call.wav`` it writes, under the output folder, ``sub/call.redacted.json``
(transcript and entities), ``sub/call.redacted.txt`` (redacted text), ``sub/call.bleeps.json``
(the bleep map) and ``sub/call.redacted.wav`` (bleeped audio): one writer here per entry of
``formats.FORMATS``, each making its file's bytes from the call's ``CallOutput``. Every file
is written to a temporary file in the target folder with mode 0600, flushed to disk, then
renamed, so a crash never leaves a half-written file under a final name. No PII value is
written.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from redactor import __version__
from redactor.audio import Audio, wav_bytes
from redactor.bleep import Bleep
from redactor.errors import UsageError
from redactor.formats import output_paths
from redactor.fs import file_sha256, write_atomic
from redactor.jobs import FileResult, Job
from redactor.redact import Placement, redact_range
from redactor.transcript import Transcript
from redactor.types import Stretch

BLEEPS_SCHEMA = "redactor.bleeps/1"
TRANSCRIPT_SCHEMA = "redactor.transcript/1"


class FolderSink:
    """Writes each call's outputs as files under a folder (``redactor run --out``).

    A rerun skips an input whose outputs are all there and whose transcript records the
    same input sha256, settings fingerprint (models included) and redactor version
    (``force`` redoes it): a nightly job over a growing folder does only the new calls."""

    def __init__(
        self, out_dir: Path, names: bool = False, fingerprint: str = "", force: bool = False
    ) -> None:
        self.out_dir = out_dir
        self.names = names
        self.fingerprint = fingerprint
        self.force = force
        self._claimed: set[Path] = set()

    def describe(self) -> str:
        return str(self.out_dir.resolve())  # one name per folder: it keys the run lock

    def label(self, content_sha256: str, relative: Path) -> str:
        """How messages name the input: file names can hold phone numbers, and logs go
        further than the outputs folder, so by default a hash of the content (what
        `sha256sum` prints, first 12 digits); with --names, the path."""
        if self.names:
            return str(relative)
        return f"input {content_sha256[:12]}"

    def unread_label(self, index: int, relative: Path) -> str:
        return str(relative) if self.names else f"input {index + 1}"

    def plan(self, index: int, source: Path, relative: Path) -> Job | FileResult:
        """A Job, unless the outputs are there from an earlier run of this input with these
        settings (skipped), or another input of the run has the same output names (same
        name, different extension: refused)."""
        content = file_sha256(source)
        label = self.label(content, relative)
        paths = output_paths(self.out_dir, relative)
        if paths["transcript"] in self._claimed:
            reason = "its outputs would overwrite another input's (same name, different extension)"
            return FileResult(relative, False, reason, label=label)
        self._claimed.add(paths["transcript"])
        if not self.force and self._done(paths, content):
            return FileResult(relative, True, label=label, skipped=True)
        return Job(index, source, relative, label, content_sha256=content)

    def _done(self, paths: dict[str, Path], content_sha256: str) -> bool:
        if not self.fingerprint or not all(p.is_file() for p in paths.values()):
            return False
        try:
            with paths["transcript"].open("rb") as handle:
                written = json.load(handle)
        except (OSError, ValueError):
            return False  # unreadable or not ours: redo it
        return isinstance(written, dict) and (
            written.get("input_sha256") == content_sha256
            and written.get("config") == self.fingerprint
            and written.get("redactor_version") == __version__
        )

    def write(self, job: Job, documents: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
        paths = output_paths(self.out_dir, job.relative)  # the transcript last
        if set(documents) - set(paths):
            raise UsageError("--keep-original works only with --store (originals are encrypted)")
        for kind, path in paths.items():
            write_atomic(path, documents[kind])
        return {}

    def commit(self, job: Job, written: dict[str, Any]) -> None:
        pass  # the files are the record


@dataclass(frozen=True)
class CallOutput:
    """Everything the writers need for one call, built once by ``Pipeline.process``.

    It holds the bleeped audio only, never the recording as it came in."""

    #: The bleeped audio (same rate, channels and length as the input).
    audio: Audio
    transcript: Transcript
    #: The transcript's text with every entity replaced (``placements`` say where).
    text: str
    placements: list[Placement]
    #: The ranges bleeped, and the ones left for a person to review.
    bleeps: list[Bleep]
    review: list[Bleep]
    #: What the transcript records besides words and entities: language, model, config...
    meta: dict[str, Any]
    #: Speech whose words could not be trusted (reliability.py), with why.
    unreliable: list[Stretch] = field(default_factory=list)


def _without_empty_extras(item: dict[str, Any]) -> dict[str, Any]:
    """``rules`` only where there are some (unreliable speech), ``keys`` only for DTMF."""
    return {k: v for k, v in item.items() if k not in ("rules", "keys") or v}


def audio_info(audio: Audio) -> dict[str, Any]:
    return {
        "duration": round(audio.duration, 3),
        "sample_rate": audio.sample_rate,
        "channels": audio.channels,
    }


def bleeps_document(audio: Audio, bleeps: list[Bleep], review: list[Bleep]) -> dict[str, Any]:
    return {
        "schema": BLEEPS_SCHEMA,
        "audio": audio_info(audio),
        "bleeps": [_without_empty_extras(asdict(b)) for b in bleeps],
        # Stretches flagged for a person to check but not bleeped (untranscribed or
        # unreliable = "flag").
        "review": [
            _without_empty_extras(
                {
                    "start": b.start,
                    "end": b.end,
                    "reason": b.entity,
                    "channel": b.channel,
                    "rules": b.rules,
                    "keys": b.keys,
                }
            )
            for b in review
        ],
    }


def transcript_document(
    audio: Audio,
    transcript: Transcript,
    redacted_text: str,
    placements: list[Placement],
    meta: dict[str, Any],
    unreliable: list[Stretch] | None = None,
) -> dict[str, Any]:
    text = transcript.text
    words = []
    for word, (start, end) in zip(transcript.words, transcript.offsets, strict=True):
        shown = redact_range(text, placements, start, end)
        # inside an entity, even where its replacement reads as the word did (<DTMF>)
        inside = any(p.entity.start < end and start < p.entity.end for p in placements)
        words.append(
            {
                "start": round(word.start, 3),
                "end": round(word.end, 3),
                "text": shown,
                "probability": round(word.probability, 3),
                "channel": word.channel,
                "redacted": inside or shown != text[start:end],
            }
        )
    entities = []
    for p in placements:
        span = transcript.word_range(p.entity.start, p.entity.end)
        entities.append(
            {
                "type": p.entity.type,
                "start": p.entity.start,
                "end": p.entity.end,
                "redacted_start": p.start,
                "redacted_end": p.end,
                "word_start": span.start,
                "word_end": span.stop,
                "score": p.entity.score,
                "recognizer": p.entity.recognizer,
            }
        )
    return {
        "schema": TRANSCRIPT_SCHEMA,
        "redactor_version": __version__,
        "audio": audio_info(audio),
        **meta,
        "text": redacted_text,
        "words": words,
        "entities": entities,
        "untranscribed": [
            {"start": g.start, "end": g.end, "channel": g.channel} for g in transcript.gaps
        ],
        # Speech whose words are not to be trusted: tagged in the text, bleeped or flagged.
        "unreliable": [
            {"start": s.start, "end": s.end, "channel": s.channel, "rules": s.reason}
            for s in unreliable or []
        ],
    }


def to_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


# The writers: one per format, each named by its entry in formats.FORMATS.


def transcript_bytes(call: CallOutput) -> bytes:
    return to_json(
        transcript_document(
            call.audio, call.transcript, call.text, call.placements, call.meta, call.unreliable
        )
    )


def text_bytes(call: CallOutput) -> bytes:
    return (call.text + "\n").encode()


def bleeps_bytes(call: CallOutput) -> bytes:
    return to_json(bleeps_document(call.audio, call.bleeps, call.review))


def audio_bytes(call: CallOutput) -> bytes:
    return wav_bytes(call.audio)
