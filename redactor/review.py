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
import tempfile
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
    "DTMF",
)
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; media-src 'self'; "
    "img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
_VERDICT_ORDER = {"unusable": 0, "degraded": 1, "good": 2}
#: What a site holds, written last: the calls it shows, so a rebuild removes only pages it
#: wrote itself.
MANIFEST, MANIFEST_SCHEMA = "review.json", "redactor.review/1"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CALL_ID = re.compile(r"[0-9a-f]{12}(?:-[0-9]+)?")


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
    #: Calls with no page: a transcript without its bleep map or audio beside it, or
    #: outputs that could not be read.
    skipped: int


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


@dataclass(frozen=True)
class Peaks:
    """A waveform to draw: per channel, one byte per bin, ``per_second`` bins a second."""

    per_second: float
    channels: list[bytes]


def peaks(path: Path, per_second: int = PEAKS_PER_SECOND) -> Peaks:
    """The waveform of an audio file, per channel: the largest absolute sample of each bin
    of about 1/``per_second`` s (a whole number of samples: ``Peaks.per_second`` is the
    exact rate), scaled so that the call's loudest is 255. Read in blocks, so an hour of
    audio needs a few MB."""
    with sf.SoundFile(path) as audio:
        size = max(1, round(audio.samplerate / per_second))
        parts = []
        for block in audio.blocks(blocksize=size * 4096, dtype="float32", always_2d=True):
            whole = -(-len(block) // size) * size
            padded = np.zeros((whole, block.shape[1]), dtype=np.float32)
            padded[: len(block)] = block
            parts.append(np.abs(padded).reshape(-1, size, block.shape[1]).max(axis=1))
        channels, rate = audio.channels, audio.samplerate
    levels = np.concatenate(parts) if parts else np.zeros((0, channels), dtype=np.float32)
    top = float(levels.max()) if levels.size else 0.0
    scaled = np.rint(levels / top * 255) if top > 0 else np.zeros_like(levels)
    return Peaks(rate / size, [scaled[:, c].astype(np.uint8).tobytes() for c in range(channels)])


def page_data(
    transcript: dict[str, Any], bleeps: dict[str, Any], audio_path: Path, call_id: str, label: str
) -> dict[str, Any]:
    """What a call page shows, from the call's redacted outputs only: its transcript and
    bleep map documents, and its bleeped audio. Raises KeyError, TypeError or ValueError
    on documents that are not ours, and soundfile's or OSError on audio it cannot read."""
    audio = transcript["audio"]
    quality = transcript.get("transcript_quality") or {}
    regions = [_region(b, b["entity"], "bleep") for b in bleeps["bleeps"]] + [
        _region(r, r["reason"], "flag") for r in bleeps.get("review", [])
    ]
    regions.sort(key=lambda r: (r["start"], r["end"], r["channel"] or 0))
    words = [
        [float(w["start"]), float(w["end"]), str(w["text"]), _channel(w["channel"])]
        + [1 if w["redacted"] else 0]
        for w in transcript["words"]
    ]
    waveform = peaks(audio_path)
    return {
        "id": call_id,
        "label": label,
        "input_sha256": _sha(transcript),
        "language": str(transcript.get("language", "")),
        "duration": float(audio["duration"]),
        "channels": int(audio["channels"]),
        "verdict": str(quality.get("verdict", "")),
        "unreliable_share": float(quality.get("unreliable_share", 0.0)),
        "audio": f"{call_id}.wav",
        "words": words,
        "regions": regions,
        "missed_types": list(MISSED_TYPES),
        "peaks": {
            "per_second": waveform.per_second,
            "channels": [base64.b64encode(p).decode("ascii") for p in waveform.channels],
        },
    }


def _region(item: dict[str, Any], label: str, kind: str) -> dict[str, Any]:
    channel = item.get("channel")
    return {
        "start": float(item["start"]),
        "end": float(item["end"]),
        "label": str(label),
        "channel": None if channel is None else _channel(channel),
        "kind": kind,
        # what caught it: the reliability rules, or how many keys were pressed
        "rules": str(item.get("rules", ""))
        or (f"{int(item['keys'])} keys" if item.get("keys") else ""),
    }


def _channel(value: Any) -> int:
    """A word's channel, -1 for a mixed call's words."""
    return -1 if value is None else int(value)


def _sha(transcript: dict[str, Any]) -> str:
    """The input's sha256 the transcript records, if it is one (it names files)."""
    sha = transcript.get("input_sha256")
    return sha if isinstance(sha, str) and _SHA256.fullmatch(sha) else ""


def build_site(
    outputs: Path,
    site: Path,
    names: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Site:
    """Write the review site for every call under ``outputs`` into ``site``.

    A call whose outputs cannot be read (not ours, truncated audio) is counted, not shown,
    and the others go on; a site that cannot be written is a UsageError. ``site`` must be
    new, empty, or a site this function wrote (its ``review.json`` lists what it holds)."""
    calls = find_calls(outputs, skip=site)
    complete = [c for c in calls if c.complete]
    if not complete:
        raise UsageError(
            f"no `redactor run` outputs (*.redacted.json with their audio) in {outputs}"
        )
    before = _previous_build(site)
    try:
        for folder in (site, site / "calls", site / "assets"):
            if not folder.is_dir():
                folder.mkdir(parents=True, mode=0o700)
                folder.chmod(0o700)  # whatever the umask
        for name in ASSETS:
            asset = resources.files("redactor.review_assets").joinpath(name).read_bytes()
            write_atomic(site / "assets" / name, asset)
        rows, unreadable = _write_pages(complete, outputs, site / "calls", names, progress)
        for gone in before - {r["id"] for r in rows}:  # calls no longer in the outputs
            for suffix in (".html", ".wav"):
                (site / "calls" / f"{gone}{suffix}").unlink(missing_ok=True)
        rows.sort(key=lambda r: (_VERDICT_ORDER.get(r["verdict"], 3), r["label"]))
        skipped = len(calls) - len(complete) + unreadable
        index = site / "index.html"
        write_atomic(index, _index_page(rows, skipped).encode())
        manifest = {"schema": MANIFEST_SCHEMA, "calls": sorted(r["id"] for r in rows)}
        write_atomic(site / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    except OSError as exc:
        raise UsageError(
            f"cannot write the site in {site} ({exc.strerror or 'I/O error'})"
        ) from None
    return Site(index, len(rows), skipped)


def _previous_build(site: Path) -> set[str]:
    """The calls an earlier build wrote into ``site``; refuses a folder that holds other
    things, so that a mistaken --to never mixes pages into (or prunes) someone's files."""
    if not site.exists():
        return set()
    if not site.is_dir():
        raise UsageError(f"--to must be a folder: {site}")
    try:
        manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
        return {i for i in manifest["calls"] if isinstance(i, str) and _CALL_ID.fullmatch(i)}
    except FileNotFoundError:
        if any(site.iterdir()):
            raise UsageError(
                f"{site} is not empty and not a review site: give a new or empty folder"
            ) from None
        return set()
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{site / MANIFEST} is not a review site's manifest") from None


def _write_pages(
    calls: list[Call],
    outputs: Path,
    folder: Path,
    names: bool,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[dict[str, Any]], int]:
    """Each call's page and audio; the index's rows, and how many calls could not be read."""
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    unreadable = 0
    for done, call in enumerate(calls):
        call_id = ""
        try:
            transcript = _read_json(call.transcript)
            call_id = _call_id(transcript, call, used)
            label = str(call.transcript.relative_to(outputs).with_name(_stem(call)))
            data = page_data(
                transcript,
                _read_json(call.sibling("bleeps")),
                call.sibling("audio"),
                call_id,
                label if names else call_id,
            )
        except (OSError, KeyError, TypeError, ValueError, sf.SoundFileError):
            unreadable += 1  # messages would name the file, and file names can hold PII
            used.discard(call_id)
            continue
        _place_audio(call.sibling("audio"), folder / data["audio"])
        write_atomic(folder / f"{call_id}.html", _call_page(data).encode())
        rows.append(_summary(data))
        if progress:
            progress(done + 1, len(calls))
    return rows, unreadable


def _stem(call: Call) -> str:
    return call.transcript.name.removesuffix(SUFFIXES["transcript"])


def _call_id(transcript: dict[str, Any], call: Call, used: set[str]) -> str:
    """The input's sha256, first 12 digits (the bleeped audio's when the transcript has
    none); the same input twice in one folder tree gets -2, -3..."""
    sha = _sha(transcript) or file_sha256(call.sibling("audio"))
    call_id, n = sha[:12], 1
    while call_id in used:
        n += 1
        call_id = f"{sha[:12]}-{n}"
    used.add(call_id)
    return call_id


def _read_json(path: Path) -> dict[str, Any]:
    """A document of ours; ValueError (never naming the file) if it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(type(exc).__name__) from None
    if not isinstance(document, dict):
        raise ValueError("not an object")
    return document


def _place_audio(source: Path, target: Path) -> None:
    """A hard link to the bleeped audio when the site is on the same file system (no copy
    of hours of audio), else a copy (mode 0600 from the start); either way under a
    temporary name, then renamed. A link from an earlier build that is still the same
    file is left as it is (renaming a link onto itself would leave the temporary name)."""
    if target.exists() and os.path.samefile(source, target):
        return
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".redactor-", suffix=".tmp")
    tmp = Path(name)
    try:
        try:
            os.close(fd)
            tmp.unlink()
            os.link(source, tmp)
        except OSError:  # another file system: a copy, into a file only we can read
            with source.open("rb") as src, os.fdopen(_private(tmp), "wb") as dst:
                shutil.copyfileobj(src, dst)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _private(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


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


def _index_page(rows: list[dict[str, Any]], skipped: int) -> str:
    need = sum(r["verdict"] in ("degraded", "unusable") or r["flagged"] > 0 for r in rows)
    lines = [
        _head("Redacted calls", ""),
        '</head>\n<body class="index-page">\n<main>\n<h1>Redacted calls</h1>\n',
        f'<p id="summary">{len(rows)} calls; {need} to listen to (degraded or unusable '
        "transcript, or stretches flagged for review)"
        + (f"; {skipped} not shown, their outputs incomplete or unreadable" if skipped else "")
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
