"""Keypad tones (DTMF): where a caller keyed digits, found in the audio to be bleeped.

Whisper hears nothing in a keyed card number or PIN, yet anyone can decode the digits from
the tones. This module finds them; the digits themselves are known here only long enough
to tell one key from the next, and are never returned to be written anywhere: a
``Sequence`` carries times and a count.

Detection follows ITU-T Q.24's figures (``Limits``). Two passes over one channel:

1. Screening, on frames of 25.6 ms every 12.8 ms (a tone of 40 ms fills at least one):
   the power at each of the eight DTMF frequencies (and 2% either side, so a tone off its
   nominal frequency is not missed), as a Hann-windowed DFT. A frame is a candidate when
   one row and one column frequency stand out (``relative_db`` above the rest of their
   group) and carry a share of the frame's power.
2. Confirmation, on each run of candidate frames of one key: each tone's frequency is
   measured on a 0.25% grid (within ``tolerance`` of its nominal one, or no tone), the two
   are demodulated to amplitude envelopes (a 12 ms Hann-shaped average), and the tone
   lasts where both are above half their peak, the twist is within limits and the two
   tones carry ``min_share`` of the power. It is a key press if that lasts
   ``min_seconds`` and both frequencies hold still over it (``drift``).

Speech rarely holds two pure tones of these exact frequencies for 30 ms with nothing else
(talk-off, measured in docs/accuracy.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from redactor.audio import runs
from redactor.transcript import Transcript
from redactor.types import Entity, Word

ROWS = (697.0, 770.0, 852.0, 941.0)
COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
KEYS = ("123A", "456B", "789C", "*0#D")
#: Where each group's tones lie, with room for their tolerance.
ROW_BAND, COLUMN_BAND = (620.0, 1030.0), (1150.0, 1720.0)
FRAME_SECONDS = 0.0256
ENVELOPE_SECONDS = 0.012
#: A sequence reaches this far beyond its first and last tones' measured edges (a tone's
#: edges are measured to a few ms; a flagged sequence is not padded as a bleep is).
EDGE = 0.01


@dataclass(frozen=True)
class Limits:
    """What counts as a key press (ITU-T Q.24 in brackets)."""

    #: Shortest tone kept (accept 40 ms, reject 23 ms or less).
    min_seconds: float = 0.030
    #: Largest deviation of each frequency from its nominal one (accept 1.5%, reject 3.5%).
    tolerance: float = 0.025
    #: Level of the column tone less the row tone's, in dB (accept -8 to +4), with 1 dB of
    #: measurement margin.
    twist_db: tuple[float, float] = (-9.0, 5.0)
    #: Share of the power the two tones must carry (the signal-to-noise guard): 0.4 keeps a
    #: key pressed while the caller talks as loud as the tone.
    min_share: float = 0.4
    #: How far each tone must stand above the other frequencies of its group, in dB.
    relative_db: float = 6.0
    #: Quietest tone, each frequency, in dB relative to full scale.
    min_level_db: float = -50.0
    #: How far each tone must stand above anything else in its group's band, in dB.
    purity_db: float = 10.0
    #: Largest change of either frequency between the two halves of a tone.
    drift: float = 0.01
    #: The share a tone alone (no other within ``sequence_gap``) must reach.
    lone_share: float = 0.8
    #: Tones this close together are one keyed sequence (bleeped with the pauses between).
    sequence_gap: float = 2.0


@dataclass(frozen=True)
class Tone:
    start: float
    end: float
    row: int
    column: int
    #: The two tones' share of the power over the tone (median): 1 for a clean key press.
    share: float = 1.0


@dataclass(frozen=True)
class Sequence:
    """Keys pressed one after another: their time and how many, never which."""

    start: float
    end: float
    keys: int
    channel: int | None = None


def _probes(frequencies: tuple[float, ...], offsets: np.ndarray) -> np.ndarray:
    return np.array([f * (1 + o) for f in frequencies for o in offsets])


def _dft_power(frames: np.ndarray, window: np.ndarray, freqs: np.ndarray, rate: int) -> np.ndarray:
    """Power of each frame at each frequency, as the power of a sine of that amplitude
    (a full-scale sine: 0.5)."""
    n = np.arange(frames.shape[-1])
    basis = np.exp(-2j * np.pi * np.outer(n, freqs) / rate) * window[:, None]
    spectrum = frames @ basis
    power: np.ndarray = 2 * np.abs(spectrum) ** 2 / window.sum() ** 2
    return power


def _frames(samples: np.ndarray, size: int, hop: int) -> np.ndarray:
    count = 1 + (len(samples) - size) // hop if len(samples) >= size else 0
    return np.lib.stride_tricks.as_strided(
        samples, (count, size), (samples.strides[0] * hop, samples.strides[0]), writeable=False
    )


def _candidates(samples: np.ndarray, rate: int, limits: Limits) -> list[tuple[int, int, int, int]]:
    """Runs of screened frames of one key: (first frame, last frame, row, column)."""
    size = round(FRAME_SECONDS * rate)
    hop = size // 2
    window = np.hanning(size)
    offsets = np.array([-0.02, 0.0, 0.02])
    freqs = np.concatenate([_probes(ROWS, offsets), _probes(COLUMNS, offsets)])
    floor = 0.5 * 10 ** (limits.min_level_db / 10)
    runs: list[tuple[int, int, int, int]] = []
    current: list[int] | None = None
    block = 4096  # frames at a time: an hour of audio never sits in memory as frames
    frames = _frames(samples, size, hop)
    for first in range(0, len(frames), block):
        chunk = np.asarray(frames[first : first + block], dtype=np.float64)
        power = _dft_power(chunk, window, freqs, rate).reshape(len(chunk), 8, 3).max(axis=2)
        total = (chunk**2 * window).sum(axis=1) / window.sum()
        rows, columns = power[:, :4], power[:, 4:]
        row, column = rows.argmax(axis=1), columns.argmax(axis=1)
        at = np.arange(len(chunk))
        best_row, best_column = rows[at, row], columns[at, column]
        other_row = np.sort(rows, axis=1)[:, -2]
        other_column = np.sort(columns, axis=1)[:, -2]
        stand_out = 10 ** (limits.relative_db / 10)
        ok = (
            (best_row >= floor)
            & (best_column >= floor)
            & (best_row >= stand_out * other_row)
            & (best_column >= stand_out * other_column)
            & (best_row + best_column >= 0.8 * limits.min_share * np.maximum(total, 1e-20))
        )
        for i in np.flatnonzero(ok):
            index, key = first + int(i), (int(row[i]), int(column[i]))
            if current and current[1] >= index - 2 and (current[2], current[3]) == key:
                current[1] = index
            else:
                if current:
                    runs.append((current[0], current[1], current[2], current[3]))
                current = [index, index, *key]
    if current:
        runs.append((current[0], current[1], current[2], current[3]))
    return runs


def _measure(segment: np.ndarray, nominal: float, rate: int) -> float:
    """How far the tone near ``nominal`` in ``segment`` is from it, as a share of it
    (within 5%, on a grid of 0.25%)."""
    grid = np.arange(-0.05, 0.05 + 1e-9, 0.0025)
    window = np.hanning(len(segment))
    power = _dft_power(segment[None, :], window, nominal * (1 + grid), rate)[0]
    return float(grid[int(power.argmax())])


def _steady(piece: np.ndarray, row: int, column: int, rate: int, limits: Limits) -> bool:
    """Both tones within tolerance of their frequencies over the whole piece and over each
    half of it, the halves within ``limits.drift`` of each other: a key's tone holds still,
    a voice's harmonics glide. And each tone alone in its band: ``purity_db`` above
    anything else between its group's edges (a voice has harmonics every 100-250 Hz)."""
    half = len(piece) // 2
    window = np.hanning(len(piece))
    lobe = 2.5 * rate / len(piece)  # beyond a Hann window's main lobe (2/T), with margin
    for nominal, band in ((ROWS[row], ROW_BAND), (COLUMNS[column], COLUMN_BAND)):
        whole = _measure(piece, nominal, rate)
        first, second = _measure(piece[:half], nominal, rate), _measure(piece[half:], nominal, rate)
        if max(abs(whole), abs(first), abs(second)) > limits.tolerance + 1e-9:
            return False
        if abs(first - second) > limits.drift + 1e-9:
            return False
        tone = nominal * (1 + whole)
        grid = np.arange(band[0], band[1], 10.0)
        grid = grid[np.abs(grid - tone) > lobe]
        power = _dft_power(piece[None, :], window, np.concatenate([[tone], grid]), rate)[0]
        if power[0] < 10 ** (limits.purity_db / 10) * power[1:].max(initial=0.0):
            return False
    return True


def _smooth(values: np.ndarray, size: int) -> np.ndarray:
    """A Hann-shaped moving average: symmetric, so a tone's envelope crosses half its
    height where the tone starts and ends; its low sidelobes keep the other tone (268 Hz
    away or more) out of each envelope."""
    kernel = np.hanning(size + 2)[1:-1]
    smoothed: np.ndarray = np.convolve(values, kernel / kernel.sum(), mode="same")
    return smoothed


def tones(samples: np.ndarray, rate: int, limits: Limits | None = None) -> list[Tone]:
    """The key presses in one channel's samples (float, mono), in time order."""
    limits = limits or Limits()
    samples = np.ascontiguousarray(samples)  # float32 stays: an hour at 16 kHz is 230 MB
    size = round(FRAME_SECONDS * rate)
    hop = size // 2
    smooth = max(1, round(ENVELOPE_SECONDS * rate))
    found: list[Tone] = []
    for first, last, row, column in _candidates(samples, rate, limits):
        start = max(0, first * hop - size)
        end = min(len(samples), last * hop + 2 * size)
        segment = samples[start:end].astype(np.float64)
        # the frequencies, measured where the screening was surest: the run's middle frame
        middle = (first + last) // 2 * hop - start
        core = segment[middle : middle + size]
        deviations = _measure(core, ROWS[row], rate), _measure(core, COLUMNS[column], rate)
        if max(abs(d) for d in deviations) > limits.tolerance + 1e-9:
            continue
        low, high = ROWS[row] * (1 + deviations[0]), COLUMNS[column] * (1 + deviations[1])
        t = np.arange(len(segment)) / rate
        a_low = np.abs(_smooth(segment * np.exp(-2j * np.pi * low * t), smooth))
        a_high = np.abs(_smooth(segment * np.exp(-2j * np.pi * high * t), smooth))
        power = _smooth(segment**2, smooth)
        share = 2 * (a_low**2 + a_high**2) / np.maximum(power, 1e-20)
        twist = 20 * np.log10(np.maximum(a_high, 1e-12) / np.maximum(a_low, 1e-12))
        on = (
            (a_low >= 0.5 * a_low.max())
            & (a_high >= 0.5 * a_high.max())
            & (share >= limits.min_share)
            & (twist >= limits.twist_db[0])
            & (twist <= limits.twist_db[1])
        )
        for a, b in runs(on):
            if (b - a) / rate >= limits.min_seconds and _steady(
                segment[a:b], row, column, rate, limits
            ):
                clean = float(np.median(share[a:b]))
                found.append(Tone((start + a) / rate, (start + b) / rate, row, column, clean))
    return _merged(found)


def _merged(found: list[Tone]) -> list[Tone]:
    """Tones of one key found twice (overlapping runs) as one."""
    out: list[Tone] = []
    for tone in sorted(found, key=lambda t: t.start):
        last = out[-1] if out else None
        if last and (last.row, last.column) == (tone.row, tone.column) and tone.start <= last.end:
            out[-1] = Tone(
                last.start,
                max(last.end, tone.end),
                last.row,
                last.column,
                max(last.share, tone.share),
            )
        else:
            out.append(tone)
    return out


def sequences(
    found: list[Tone], limits: Limits | None = None, channel: int | None = None
) -> list[Sequence]:
    """Tones no more than ``limits.sequence_gap`` apart, as one keyed sequence each. A
    tone alone must be clean (``lone_share``): one key pressed alone is rarely talked over,
    and a voice that mimics a key now and then rarely does it twice in a row."""
    limits = limits or Limits()
    groups: list[list[Tone]] = []
    for tone in found:
        if groups and tone.start - groups[-1][-1].end <= limits.sequence_gap:
            groups[-1].append(tone)
        else:
            groups.append([tone])
    return [
        Sequence(
            max(0.0, group[0].start - EDGE), max(t.end for t in group) + EDGE, len(group), channel
        )
        for group in groups
        if len(group) > 1 or group[0].share >= limits.lone_share
    ]


def keyed(
    samples: np.ndarray, rate: int, channel: int | None = None, limits: Limits | None = None
) -> list[Sequence]:
    """Where keys were pressed in one channel: the sequences to bleep."""
    return sequences(tones(samples, rate, limits), limits, channel)


def key(tone: Tone) -> str:
    """The key a tone stands for: for tests and measurements only, never for outputs."""
    return KEYS[tone.row][tone.column]


# ---- in the transcript -------------------------------------------------------------------------

DTMF = "DTMF"
MARKER = "<DTMF>"


def marked(transcript: Transcript, keyed: list[Sequence]) -> Transcript:
    """The transcript with each keyed sequence as one word, ``<DTMF>``, over its time: the
    words whisper printed over the tones (nothing, or noise read as words) go, and so do
    stretches of wordless speech inside them (the tones are what was heard)."""
    if not keyed:
        return transcript

    def covered(start: float, end: float, channel: int | None) -> bool:
        middle = (start + end) / 2
        return any(s.start <= middle <= s.end and s.channel in (None, channel) for s in keyed)

    words = [w for w in transcript.words if not covered(w.start, w.end, w.channel)]
    words += [Word(" " + MARKER, s.start, s.end, 1.0, s.channel) for s in keyed]
    words.sort(key=lambda w: (w.start, w.end))
    gaps = [g for g in transcript.gaps if not covered(g.start, g.end, g.channel)]
    return dataclasses.replace(transcript, words=words, gaps=gaps)


def entities(transcript: Transcript, found: list[Entity]) -> list[Entity]:
    """``found`` and an entity over each ``<DTMF>`` word, unless another already covers it
    (its word is redacted either way); an entity inside the marker alone (NER reading
    "DTMF" as a name) is dropped."""
    markers = [
        transcript.offsets[i]
        for i, w in enumerate(transcript.words)
        if w.text.strip() == MARKER and w.probability == 1.0
    ]
    kept = [e for e in found if not any(a <= e.start and e.end <= b for a, b in markers)]
    for a, b in markers:
        if not any(e.start < b and a < e.end for e in kept):
            kept.append(Entity(DTMF, a, b, 1.0, "dtmf"))
    return sorted(kept, key=lambda e: e.start)
