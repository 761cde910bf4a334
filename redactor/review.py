"""Review pages: a static, offline site over the outputs of ``redactor run`` (``redactor review``).

For each call found under an outputs folder (``*.redacted.json`` with its ``.bleeps.json`` and
``.redacted.wav`` beside it), the site gets ``calls/<id>.html`` and ``calls/<id>.wav`` (the
bleeped audio, hard-linked when it can be, else copied), and ``index.html`` lists them all.
A call page shows the waveform with the bleeped and flagged stretches marked, the redacted
transcript beside it (a click on a word plays from it), and lets a reviewer mark a bleep that
is not PII or a stretch where PII is heard, then download those marks as a truth file
(``redactor eval OUT --truth DIR`` scores the run against it).

Only redacted text and bleeped audio go in: the pages are made from the ``.redacted.json``
(whose words under an entity are already tags) and the ``.redacted.wav``. Calls are named by
their id (the first 12 digits of the input's sha256, as ``redactor run`` names them); their
paths, which can hold a phone number, only with ``names``. The waveform's peaks are computed
here, in blocks, so a page for an hour of audio carries 50 peaks a second and opens at once.
Nothing on the pages is fetched from elsewhere: the script and style sheet are copied from
``redactor/review_assets`` and a Content-Security-Policy forbids any other request.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from redactor.errors import UsageError
from redactor.formats import SUFFIXES
from redactor.fs import file_sha256, write_atomic

PEAKS_PER_SECOND = 50
ASSETS = ("review.js", "review.css")
#: The types a reviewer can give a stretch of PII heard but not bleeped (docs/entities.md).
MISSED_TYPES = (
    "PII",
    "PERSON",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "STREET_ADDRESS",
    "DATE",
    "CREDIT_CARD",
    "BR_CPF",
    "BR_CNPJ",
    "US_SSN",
    "ES_DNI",
    "PIN",
    "PASSWORD",
    "PIX_KEY",
    "NUMBER",
)
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; media-src 'self'; "
    "img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
_VERDICT_ORDER = {"unusable": 0, "degraded": 1, "good": 2}
#: The files build_site writes in calls/, and its temporary ones (write_atomic's, links').
_PAGE_FILE = re.compile(r"([0-9a-f]{12}(?:-\d+)?)\.(?:html|wav)")
_TEMP_FILE = re.compile(r"\.[0-9a-f]{12}(?:-\d+)?\.wav\.tmp|\.redactor-.*\.tmp")


@dataclass(frozen=True)
class Call:
    """One call's outputs, found under the outputs folder."""

    transcript: Path  # <stem>.redacted.json

    def sibling(self, kind: str) -> Path:
        name = self.transcript.name.removesuffix(SUFFIXES["transcript"])
        return self.transcript.with_name(name + SUFFIXES[kind])

    @property
    def complete(self) -> bool:
        return self.sibling("bleeps").is_file() and self.sibling("audio").is_file()


@dataclass(frozen=True)
class Site:
    """What ``build_site`` wrote."""

    index: Path
    pages: int
    #: Transcripts found without their bleep map or audio beside them: no page.
    incomplete: int


def find_calls(outputs: Path, skip: Path | None = None) -> list[Call]:
    """Every ``*.redacted.json`` under ``outputs`` (but under ``skip``, the site itself)."""
    if not outputs.is_dir():
        raise UsageError(f"not a folder of `redactor run` outputs: {outputs}")
    found = []
    for path in sorted(outputs.rglob("*" + SUFFIXES["transcript"])):
        if skip is not None and path.resolve().is_relative_to(skip.resolve()):
            continue
        found.append(Call(path))
    return found


def peaks(path: Path, per_second: int = PEAKS_PER_SECOND) -> list[bytes]:
    """The waveform of an audio file, per channel: the largest absolute sample of each
    1/``per_second`` s, scaled so that the call's loudest is 255. Read in blocks, so an
    hour of audio needs a few MB."""
    with sf.SoundFile(path) as audio:
        size = max(1, round(audio.samplerate / per_second))
        parts = []
        for block in audio.blocks(blocksize=size * 4096, dtype="float32", always_2d=True):
            whole = -(-len(block) // size) * size
            padded = np.zeros((whole, block.shape[1]), dtype=np.float32)
            padded[: len(block)] = block
            parts.append(np.abs(padded).reshape(-1, size, block.shape[1]).max(axis=1))
        channels = audio.channels
    levels = np.concatenate(parts) if parts else np.zeros((0, channels), dtype=np.float32)
    top = float(levels.max()) if levels.size else 0.0
    scaled = np.rint(levels / top * 255) if top > 0 else np.zeros_like(levels)
    return [scaled[:, c].astype(np.uint8).tobytes() for c in range(channels)]


def page_data(
    transcript: dict[str, Any], bleeps: dict[str, Any], audio_path: Path, call_id: str, label: str
) -> dict[str, Any]:
    """What a call page shows, from the call's redacted outputs only: its transcript and
    bleep map documents, and its bleeped audio."""
    audio = transcript.get("audio", {})
    quality = transcript.get("transcript_quality") or {}
    regions = [
        {
            "start": b["start"],
            "end": b["end"],
            "label": b["entity"],
            "channel": b.get("channel"),
            "kind": "bleep",
            "rules": b.get("rules", ""),
        }
        for b in bleeps.get("bleeps", [])
    ] + [
        {
            "start": r["start"],
            "end": r["end"],
            "label": r["reason"],
            "channel": r.get("channel"),
            "kind": "flag",
            "rules": r.get("rules", ""),
        }
        for r in bleeps.get("review", [])
    ]
    regions.sort(key=lambda r: (r["start"], r["end"]))
    words = [
        [w["start"], w["end"], w["text"], -1 if w["channel"] is None else w["channel"]]
        + [1 if w["redacted"] else 0]
        for w in transcript.get("words", [])
    ]
    return {
        "id": call_id,
        "label": label,
        "input_sha256": transcript.get("input_sha256", ""),
        "language": transcript.get("language", ""),
        "duration": audio.get("duration", 0.0),
        "channels": audio.get("channels", 1),
        "verdict": quality.get("verdict", ""),
        "unreliable_share": quality.get("unreliable_share", 0.0),
        "audio": f"{call_id}.wav",
        "words": words,
        "regions": regions,
        "missed_types": list(MISSED_TYPES),
        "peaks": {
            "per_second": PEAKS_PER_SECOND,
            "channels": [base64.b64encode(p).decode("ascii") for p in peaks(audio_path)],
        },
    }


def build_site(
    outputs: Path,
    site: Path,
    names: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Site:
    """Write the review site for every call under ``outputs`` into ``site``."""
    calls = find_calls(outputs, skip=site)
    complete = [c for c in calls if c.complete]
    if not complete:
        raise UsageError(
            f"no `redactor run` outputs (*.redacted.json with their audio) in {outputs}"
        )
    folder = site / "calls"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    assets = site / "assets"
    assets.mkdir(exist_ok=True, mode=0o700)
    for name in ASSETS:
        write_atomic(
            assets / name, resources.files("redactor.review_assets").joinpath(name).read_bytes()
        )
    rows = []
    used: set[str] = set()
    for done, call in enumerate(complete):
        transcript = _read_json(call.transcript)
        call_id = _call_id(transcript, call, used)
        label = (
            str(call.transcript.relative_to(outputs).with_name(_stem(call))) if names else call_id
        )
        bleeps = _read_json(call.sibling("bleeps"))
        data = page_data(transcript, bleeps, call.sibling("audio"), call_id, label)
        _place_audio(call.sibling("audio"), folder / data["audio"])
        write_atomic(folder / f"{call_id}.html", _call_page(data).encode())
        rows.append(_summary(data))
        if progress:
            progress(done + 1, len(complete))
    _prune(folder, used)
    rows.sort(key=lambda r: (_VERDICT_ORDER.get(r["verdict"], 3), r["label"]))
    index = site / "index.html"
    write_atomic(index, _index_page(rows, len(calls) - len(complete)).encode())
    return Site(index, len(complete), len(calls) - len(complete))


def _stem(call: Call) -> str:
    return call.transcript.name.removesuffix(SUFFIXES["transcript"])


def _call_id(transcript: dict[str, Any], call: Call, used: set[str]) -> str:
    """The input's sha256, first 12 digits (the bleeped audio's when the transcript has
    none); the same input twice in one folder tree gets -2, -3..."""
    sha = transcript.get("input_sha256") or file_sha256(call.sibling("audio"))
    call_id, n = sha[:12], 1
    while call_id in used:
        n += 1
        call_id = f"{sha[:12]}-{n}"
    used.add(call_id)
    return call_id


def _prune(folder: Path, ids: set[str]) -> None:
    """Remove the pages and audio of calls no longer in the outputs (a rerun after some
    were deleted), and what a crashed run left half-written; nothing else in the folder."""
    for path in folder.iterdir():
        match = _PAGE_FILE.fullmatch(path.name)
        if (match and match.group(1) not in ids) or _TEMP_FILE.fullmatch(path.name):
            path.unlink(missing_ok=True)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path.name} ({exc.__class__.__name__})") from None
    if not isinstance(document, dict):
        raise UsageError(f"{path.name} is not a redactor output")
    return document


def _place_audio(source: Path, target: Path) -> None:
    """A hard link to the bleeped audio when the site is on the same file system (no copy
    of hours of audio), else a copy; either way under a temporary name, then renamed."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
        tmp.chmod(0o600)
    os.replace(tmp, target)


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    bleeps = [r for r in data["regions"] if r["kind"] == "bleep"]
    return {
        "id": data["id"],
        "label": data["label"],
        "language": data["language"],
        "duration": data["duration"],
        "channels": data["channels"],
        "verdict": data["verdict"],
        "unreliable_share": data["unreliable_share"],
        "bleeps": len(bleeps),
        "bleeped": sum(r["end"] - r["start"] for r in bleeps),
        "flagged": len(data["regions"]) - len(bleeps),
    }


def _json_for_html(data: dict[str, Any]) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _head(title: str, prefix: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{prefix}assets/review.css">\n'
    )


def _call_page(data: dict[str, Any]) -> str:
    return (
        _head(f"Call {data['label']}", "../")
        + f'<script type="application/json" id="call-data">{_json_for_html(data)}</script>\n'
        + '<script src="../assets/review.js" defer></script>\n</head>\n'
        + '<body class="call-page">\n<noscript>This page needs JavaScript.</noscript>\n'
        + '<main id="app"></main>\n</body>\n</html>\n'
    )


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _index_page(rows: list[dict[str, Any]], incomplete: int) -> str:
    need = sum(r["verdict"] in ("degraded", "unusable") or r["flagged"] > 0 for r in rows)
    lines = [
        _head("Redacted calls", ""),
        '</head>\n<body class="index-page">\n<main>\n<h1>Redacted calls</h1>\n',
        f'<p id="summary">{len(rows)} calls; {need} to listen to (degraded or unusable '
        "transcript, or stretches flagged for review)"
        + (f"; {incomplete} without their bleep map or audio, not shown" if incomplete else "")
        + ".</p>\n",
        '<table id="calls">\n<thead><tr><th>Call</th><th>Language</th><th>Duration</th>'
        "<th>Channels</th><th>Transcript</th><th>Unreliable</th><th>Bleeps</th>"
        "<th>Bleeped</th><th>Flagged</th></tr></thead>\n<tbody>\n",
    ]
    for r in rows:
        verdict = html.escape(r["verdict"] or "unknown")
        lines.append(
            f'<tr class="call verdict-{verdict}" data-id="{html.escape(r["id"])}">'
            f'<td><a href="calls/{html.escape(r["id"])}.html">{html.escape(r["label"])}</a></td>'
            f"<td>{html.escape(r['language'])}</td><td>{_clock(r['duration'])}</td>"
            f'<td>{r["channels"]}</td><td class="verdict">{verdict}</td>'
            f"<td>{r['unreliable_share']:.0%}</td><td>{r['bleeps']}</td>"
            f"<td>{_clock(r['bleeped'])}</td><td>{r['flagged']}</td></tr>\n"
        )
    lines.append("</tbody>\n</table>\n</main>\n</body>\n</html>\n")
    return "".join(lines)
