"""Reading any call recording into samples, and writing WAV back.

WAV, FLAC, OGG and MP3 are read with soundfile (libsndfile); anything else (m4a, opus in
other containers...) with PyAV. Samples are float32 of shape (frames, channels) at the
file's own rate, so that bleeped audio keeps the input's rate and channels and the parts
that are not bleeped come back unchanged.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import soundfile as sf

from redactor.errors import InputError

WHISPER_RATE = 16_000
# Pauses: 20 ms frames every 10 ms; a frame is quiet below the noise floor (its 5th
# percentile level) plus QUIET_SHARE of the way to the speech level (95th), and at least
# QUIET_MIN_DB above the floor; PAUSE_SECONDS of quiet frames in a row is a pause. A
# recording whose floor and speech level are less than QUIET_RANGE_DB apart (voice or
# noise all through) has no pauses: nothing there tells voice from line noise.
HOP_SECONDS, PAUSE_FRAME_SECONDS = 0.01, 0.02
QUIET_SHARE, QUIET_MIN_DB, QUIET_RANGE_DB = 0.3, 6.0, 15.0
PAUSE_SECONDS = 0.12
# WAV subtypes we write back as they came; anything else is written as 16-bit PCM.
_WAV_SUBTYPES = {"PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE", "ULAW", "ALAW"}


@dataclass
class Audio:
    samples: np.ndarray  # float32 (float64 for 32-bit input), shape (frames, channels)
    sample_rate: int
    subtype: str = "PCM_16"  # soundfile subtype used when written as WAV

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


def load(path: Path) -> Audio:
    """Decode ``path``; raise InputError naming the problem (never the content)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(12)
    except PermissionError:
        raise InputError("cannot read the file: permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory, not an audio file") from None
    except OSError as exc:
        raise InputError(
            f"cannot read the file: {exc.strerror or exc.__class__.__name__}"
        ) from None
    if size == 0:
        raise InputError("the file is empty (0 bytes)")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        _check_wav_complete(path, size)
    with native_stderr_silenced():
        try:
            audio = _load_soundfile(path)
        except (sf.LibsndfileError, RuntimeError, TypeError):
            audio = _load_pyav(path)
    if audio.frames == 0:
        raise InputError("the file holds no audio samples")
    if not np.isfinite(audio.samples).all():
        raise InputError("the audio holds invalid (NaN or infinite) samples")
    return audio


class _NativeStderr:
    """Points fd 2 at /dev/null while native decoders run. libmpg123 (inside libsndfile)
    prints "Note: Illegal Audio-MPEG-Header..." straight to fd 2, out of reach of Python's
    sys.stderr, and stderr is ours: log collectors parse it, and our own message names the
    problem. Counted, so that threads decoding at once restore fd 2 once, when the last
    one is done (what other threads write to fd 2 meanwhile is lost: decoding is short,
    and a run's messages come from the driver, which does not decode)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved: int | None = None

    @contextmanager
    def silenced(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._saved = self._redirect()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._saved is not None:
                    os.dup2(self._saved, 2)
                    os.close(self._saved)
                    self._saved = None

    @staticmethod
    def _redirect() -> int | None:
        """fd 2 to /dev/null; a duplicate of the old fd 2 (None: there was none)."""
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no fd 2 at all: nothing to protect
            return None
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            os.close(saved)
            return None
        try:
            os.dup2(devnull, 2)
        finally:
            os.close(devnull)
        return saved


native_stderr_silenced = _NativeStderr().silenced


def _check_wav_complete(path: Path, size: int) -> None:
    """A WAV whose data chunk says it is longer than the file was cut short."""
    with path.open("rb") as handle:
        handle.seek(12)
        while True:
            header = handle.read(8)
            if len(header) < 8:
                raise InputError("truncated WAV file: no audio data chunk")
            chunk_id, chunk_size = struct.unpack("<4sI", header)
            if chunk_id == b"data":
                # 0 and 0xFFFFFFFF are written by streaming tools that never fix the header.
                if chunk_size not in (0, 0xFFFFFFFF) and handle.tell() + chunk_size > size:
                    raise InputError(
                        "truncated WAV file: the audio data is shorter than its header says"
                    )
                return
            handle.seek(chunk_size + (chunk_size & 1), os.SEEK_CUR)


def _load_soundfile(path: Path) -> Audio:
    with sf.SoundFile(path) as handle:
        subtype = (
            handle.subtype
            if handle.format == "WAV" and handle.subtype in _WAV_SUBTYPES
            else "PCM_16"
        )
        # float32 holds 8-24-bit samples exactly; 32-bit ones need float64 to come back unchanged.
        dtype = "float64" if handle.subtype in ("PCM_32", "DOUBLE") else "float32"
        samples = handle.read(dtype=dtype, always_2d=True)
        return Audio(samples=samples, sample_rate=handle.samplerate, subtype=subtype)


def _load_pyav(path: Path) -> Audio:
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InputError("the file has no audio stream")
            stream = container.streams.audio[0]
            rate, channels = stream.rate, stream.channels
            if not rate or not channels:
                raise InputError("the audio stream has no sample rate or channels")
            chunks = []
            for frame in container.decode(stream):
                data = frame.to_ndarray()
                # Packed formats give (1, frames*channels); planar give (channels, frames).
                data = data.reshape(-1, channels) if not frame.format.is_planar else data.T
                chunks.append(_to_float(data))
    except InputError:
        raise
    except (av.error.FFmpegError, ValueError, OSError):
        raise InputError(
            "not a readable audio file (format not recognised or data corrupt)"
        ) from None
    if not chunks:
        raise InputError("the file holds no audio samples")
    return Audio(samples=np.concatenate(chunks).astype(np.float32), sample_rate=rate)


def _to_float(data: np.ndarray) -> np.ndarray:
    if data.dtype.kind == "f":
        return data.astype(np.float32)
    if data.dtype == np.uint8:
        return (data.astype(np.float32) - 128.0) / 128.0
    return data.astype(np.float32) / float(np.iinfo(data.dtype).max + 1)


def to_whisper(audio: Audio, channel: int | None = None) -> np.ndarray:
    """Mono float32 at 16 kHz, what faster-whisper expects: one channel, or all mixed."""
    if channel is None:
        mono = np.ascontiguousarray(audio.samples.mean(axis=1, dtype=np.float32))
    else:
        mono = np.ascontiguousarray(audio.samples[:, channel], dtype=np.float32)
    if audio.sample_rate == WHISPER_RATE:
        return mono
    resampler = av.AudioResampler(format="flt", layout="mono", rate=WHISPER_RATE)
    frame = av.AudioFrame.from_ndarray(mono[np.newaxis, :], format="flt", layout="mono")
    frame.sample_rate = audio.sample_rate
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def frame_levels(samples: np.ndarray, frame_seconds: float) -> np.ndarray:
    """The level (dB) of each ``frame_seconds`` frame of mono 16 kHz ``samples``, one frame
    every HOP_SECONDS. Summed from the power of each hop, without copying the frames: a
    1-hour call needs a few MB, not GB."""
    hop = round(HOP_SECONDS * WHISPER_RATE)
    per = round(frame_seconds / HOP_SECONDS)
    blocks = len(samples) // hop
    if blocks < per:
        return np.zeros(0)
    block = samples[: blocks * hop].reshape(blocks, hop)
    energy = np.einsum("ij,ij->i", block, block, dtype=np.float64)
    power = np.convolve(energy, np.ones(per), "valid") / (per * hop)
    return 10 * np.log10(power + 1e-12)


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, stop) indices of each run of True in ``flags``."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def pauses(samples: np.ndarray) -> list[tuple[float, float]]:
    """The quiet stretches of mono 16 kHz ``samples``, in seconds: where no voice rises
    above the line's noise for PAUSE_SECONDS or more. Levels are relative to the
    recording's own, so a noisy line has its pauses too; a recording with no quiet at all
    has none."""
    level = frame_levels(samples, PAUSE_FRAME_SECONDS)
    if len(level) < 2:
        return []
    floor, loud = np.percentile(level, [5, 95])
    if loud - floor < QUIET_RANGE_DB:
        return []
    quiet = level < floor + max(QUIET_MIN_DB, QUIET_SHARE * (loud - floor))
    # a run of quiet frames spans its frames' hops and one frame's length more, counted in
    # whole hops (seconds would make exactly PAUSE_SECONDS a matter of rounding)
    extra = round((PAUSE_FRAME_SECONDS - HOP_SECONDS) / HOP_SECONDS)
    shortest = round(PAUSE_SECONDS / HOP_SECONDS)
    return [
        (round(first * HOP_SECONDS, 3), round((stop + extra) * HOP_SECONDS, 3))
        for first, stop in runs(quiet)
        if stop + extra - first >= shortest
    ]


def wav_bytes(audio: Audio) -> bytes:
    """The audio as a WAV file in memory (written atomically by the caller)."""
    import io

    buffer = io.BytesIO()
    sf.write(buffer, audio.samples, audio.sample_rate, subtype=audio.subtype, format="WAV")
    return buffer.getvalue()
