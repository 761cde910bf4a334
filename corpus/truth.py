"""Writing a synthetic call: its audio and its ground truth (schema ``redactor.truth/1``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile as sf

SCHEMA = "redactor.truth/1"


def write_call(
    folder: Path, name: str, pcm: npt.NDArray[np.int16], rate: int, truth: dict[str, Any]
) -> Path:
    """``folder/name.wav`` (16-bit mono) and ``folder/name.truth.json``; returns the .wav."""
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / f"{name}.wav"
    sf.write(wav, pcm, rate, subtype="PCM_16", format="WAV")
    with open(folder / f"{name}.truth.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return wav
