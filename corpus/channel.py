"""A telephone line for synthetic calls: 300-3400 Hz, 8 kHz, a little noise, G.711 mu-law.

The noise is added before the band limit and the codec, as line noise is, at a signal-to-noise
ratio measured against the speech alone. The output holds only the 256 levels a mu-law
channel can carry (16-bit PCM values of the decoded codes).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from corpus.tts import Audio, resample

RATE = 8000
BAND = (300.0, 3400.0)  # Hz, where the gain is one half
EDGE = 100.0  # Hz, the width of each raised-cosine edge of the band
PEAK_DBFS = -3.0

# G.711 mu-law (ITU-T G.711, the segmented approximation of mu = 255)
_BIAS = 0x84
_CLIP = 32635

Pcm = npt.NDArray[np.int16]
Codes = npt.NDArray[np.uint8]


def band_gain(freqs: Audio, band: tuple[float, float] = BAND, edge: float = EDGE) -> Audio:
    """The band-pass gain at each frequency: 0 outside, 1 inside, raised-cosine edges."""
    low, high = band

    def rise(f: Audio) -> Audio:  # 0 below -edge/2, 1 above +edge/2
        t = np.clip(f / edge + 0.5, 0.0, 1.0)
        return np.asarray(0.5 - 0.5 * np.cos(np.pi * t), dtype=np.float64)

    return rise(freqs - low) * rise(high - freqs)


def band_limit(x: Audio, rate: int) -> Audio:
    """``x`` through the telephone band (a zero-phase filter in the frequency domain)."""
    n = 1 << (len(x) - 1).bit_length()  # a power of two: fast, and no wrap-around
    gain = band_gain(np.fft.rfftfreq(n, 1 / rate).astype(np.float64))
    return np.fft.irfft(np.fft.rfft(x, n) * gain, n)[: len(x)]


def mulaw_encode(pcm: Pcm) -> Codes:
    x = pcm.astype(np.int32)
    sign = (x < 0).astype(np.int32)
    magnitude = np.minimum(np.abs(x), _CLIP) + _BIAS
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    codes: Codes = (~((sign << 7) | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    return codes


def mulaw_decode(codes: Codes) -> Pcm:
    c = ~codes.astype(np.int32) & 0xFF
    exponent = (c >> 4) & 0x07
    magnitude = (((c & 0x0F) << 3) + _BIAS << exponent) - _BIAS
    return np.where(c & 0x80, -magnitude, magnitude).astype(np.int16)


def telephone(
    signal: Audio,
    rate: int,
    speech: list[tuple[float, float]],
    snr_db: float,
    rng: np.random.Generator,
) -> Pcm:
    """``signal`` (at ``rate``) as heard at the far end of a phone line, 8 kHz 16-bit.

    ``speech``: the (start, end) seconds that hold speech, for the signal level; the noise is
    seeded by ``rng`` and set ``snr_db`` below that level, then everything is band-limited,
    peak-normalised and passed through the mu-law codec.
    """
    x = resample(signal, rate, RATE)
    voiced = np.concatenate([x[int(s * RATE) : int(e * RATE)] for s, e in speech])
    level = float(np.sqrt(np.mean(voiced**2)))
    x = x + rng.standard_normal(len(x)) * level * 10 ** (-snr_db / 20)
    x = band_limit(x, RATE)
    x *= 10 ** (PEAK_DBFS / 20) / np.max(np.abs(x))
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
    return mulaw_decode(mulaw_encode(pcm))
