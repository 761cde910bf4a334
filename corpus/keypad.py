"""Keypad tones (DTMF) for synthetic calls: a caller keying digits on the phone.

Each key is its row and column frequencies (ITU-T Q.23) summed, held for a seeded
duration, with seeded pauses between keys, as a person types. ``keyed`` returns the samples
and where each key sounds, so a call's ground truth can mark them.
"""

from __future__ import annotations

import numpy as np

ROWS = (697.0, 770.0, 852.0, 941.0)
COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
KEYS = ("123A", "456B", "789C", "*0#D")


def frequencies(key: str) -> tuple[float, float]:
    for row, keys in enumerate(KEYS):
        if key in keys:
            return ROWS[row], COLUMNS[keys.index(key)]
    raise ValueError(f"not a keypad key: {key!r}")


def keyed(
    keys: str,
    rate: int,
    rng: np.random.Generator,
    on: tuple[float, float] = (0.07, 0.14),
    off: tuple[float, float] = (0.08, 0.35),
    level_db: float = -10.0,
    twist_db: float = 0.0,
    deviation: float = 0.0,
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The tones of ``keys``, each ``on`` seconds long (uniform in the range) with ``off``
    seconds between them; each frequency at ``level_db`` (dB full scale, peak), the column
    one ``twist_db`` above the row one, both ``deviation`` (a share) off their nominal
    frequency. Returns the samples and each key's (start, end) in seconds."""
    parts: list[np.ndarray] = []
    spans: list[tuple[float, float]] = []
    position = 0
    amplitude = 10 ** (level_db / 20)
    for i, key in enumerate(keys):
        if i:
            pause = int(round(rng.uniform(*off) * rate))
            parts.append(np.zeros(pause))
            position += pause
        low, high = frequencies(key)
        n = int(round(rng.uniform(*on) * rate))
        t = np.arange(n) / rate
        tone = amplitude * np.sin(2 * np.pi * low * (1 + deviation) * t)
        tone += amplitude * 10 ** (twist_db / 20) * np.sin(2 * np.pi * high * (1 + deviation) * t)
        parts.append(tone)
        spans.append((position / rate, (position + n) / rate))
        position += n
    return np.concatenate(parts) if parts else np.zeros(0), spans
