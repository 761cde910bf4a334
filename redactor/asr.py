"""Speech to words with times. The only module that imports faster_whisper.

Settings are chosen so that no speech is lost silently: no "no speech" dropping of
segments (it emptied a Spanish clip with an SSN in it). Batched decoding (the default)
cuts the audio at VAD pauses; sequential decoding runs with no VAD filter (it once dropped
most of a synthetic call) and no conditioning on previous text (it makes repetition
loops). Either way, what whisper leaves out is found by comparing Silero VAD speech with
the words' times: those stretches become ``Gap``s, bleeped or flagged downstream (fail
closed).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from redactor.audio import HOP_SECONDS, WHISPER_RATE, frame_levels, runs
from redactor.errors import ModelError
from redactor.languages import LANGUAGES
from redactor.types import Gap, Segment, Stretch, Word, union

os.environ.setdefault("HF_HUB_OFFLINE", "1")

log = logging.getLogger(__name__)

# Words are trusted to cover speech this far either side of their timestamps.
WORD_TOLERANCE = 0.3

#: A second opinion's attempt at one temperature stops after this many tokens, plus
#: RETRY_TOKENS_PER_SECOND per second of the window (whisper's own limit is 224). Speech
#: takes under 10 tokens a second (digits with commas included); a loop takes them all.
RETRY_TOKENS = 16
RETRY_TOKENS_PER_SECOND = 12


@dataclass
class AsrResult:
    words: list[Word]
    gaps: list[Gap]
    language: str
    language_probability: float
    #: Whisper's segments; each word's ``segment`` indexes this list.
    segments: list[Segment] = field(default_factory=list)
    #: Where Silero VAD hears speech.
    speech: list[Stretch] = field(default_factory=list)


class Transcriber:
    """A loaded whisper model; load once, transcribe many files."""

    def __init__(
        self,
        model_dir: Path,
        compute_type: str = "int8",
        threads: int = 0,
        beam_size: int = 5,
        batch_size: int = 0,
    ) -> None:
        if not (model_dir / "model.bin").is_file():
            raise ModelError(
                f"whisper model not found in {model_dir} (run `redactor models fetch`, or "
                "`make models` in a checkout; or set models_dir / REDACTOR_MODELS_DIR)"
            )
        from faster_whisper import WhisperModel

        try:
            self.model = WhisperModel(
                str(model_dir),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the whisper model in {model_dir}: {exc}") from None
        self.beam_size = beam_size
        #: Per window whisper encodes, the probability of each language (see ``_listen``).
        self._heard: list[dict[str, float]] = []
        self._encode = self.model.encode
        self.model.encode = self._listen
        self._generate = self.model.generate_with_fallback
        self.model.generate_with_fallback = self._fallback
        #: Tokens an attempt may take, while ``redecode`` runs (None: whisper's own fallback).
        self._cap: int | None = None
        self.batch_size = batch_size
        self.multilingual = self.model.model.is_multilingual
        self.batched = None
        if batch_size > 0:
            from faster_whisper import BatchedInferencePipeline

            self.batched = BatchedInferencePipeline(self.model)

    def transcribe(
        self, samples: np.ndarray, language: str | None, min_gap: float = 0.4
    ) -> AsrResult:
        """``samples``: mono float32 at 16 kHz. ``language`` None means detect it.

        Batched (batch_size > 0): faster-whisper cuts the audio at Silero VAD's pauses and
        decodes the pieces together, several times faster on two cores; speech the VAD
        misses is still caught below, as untranscribed speech.

        BLAS runs on one thread here: the features' matrix products came out slightly
        different with two threads on some CPUs, enough to move VAD cuts and change words,
        so a call's outputs depended on how many workers shared the machine."""
        with threadpool_limits(limits=1, user_api="blas"):
            return self._transcribe(samples, language, min_gap)

    def redecode(self, samples: np.ndarray, language: str | None) -> AsrResult:
        """A second opinion on a stretch whose first transcript is not to be trusted:
        sequential decoding of just that stretch, no VAD, with whisper's temperature
        fallback on for doubtful segments too (log-probability below -1.0), each attempt
        bounded (``_fallback``), seeded so a call comes out the same on every run and
        worker. No words where every attempt at a window looped: the first pass stays, to
        be bleeped. No gaps: the caller has the VAD's."""
        import ctranslate2

        seconds = min(len(samples) / WHISPER_RATE, 30.0)
        self._cap = RETRY_TOKENS + int(RETRY_TOKENS_PER_SECOND * seconds)
        try:
            with threadpool_limits(limits=1, user_api="blas"):
                ctranslate2.set_random_seed(0)
                self._heard = []
                segments, info = self._sequential(samples, language, log_prob_threshold=-1.0)
                words, kept = _collect(segments)
                kept = _with_other_language(kept, self._other_language(info.language))
        except _Looped:
            return AsrResult([], [], language or "", 0.0)
        finally:
            self._cap = None
        return AsrResult(words, [], info.language, float(info.language_probability), kept)

    def _fallback(
        self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any
    ) -> Any:
        """Whisper's temperature fallback for one 30 s window; in ``redecode``, with each
        attempt stopped at ``_cap`` tokens. An attempt that reaches the cap is looping, like
        one whose text compresses too well: whisper alone would decode it to 224 tokens at
        each of six temperatures (seconds on a two-second stretch), and a loop merely cut
        short compresses too little for whisper's own check to see it."""
        if self._cap is None:
            return self._generate(encoder_output, prompt, tokenizer, options)
        # CTranslate2 generates up to half the length it is given (whisper's own 224 of 448)
        cap = min(self._cap, self.model.max_length // 2)
        best = None
        for temperature in options.temperatures:
            attempt = dataclasses.replace(
                options,
                temperatures=[temperature],
                max_new_tokens=2 * cap - len(prompt),
                compression_ratio_threshold=None,
                log_prob_threshold=None,
            )
            outcome = self._generate(encoder_output, prompt, tokenizer, attempt)
            result, logprob, _, ratio = outcome
            if len(result.sequences_ids[0]) >= cap or ratio > options.compression_ratio_threshold:
                continue  # looping
            if logprob >= options.log_prob_threshold:
                return outcome
            if best is None or logprob > best[1]:
                best = outcome
        if best is None:
            raise _Looped  # the rest of the stretch is not worth decoding either
        return best

    def _listen(self, features: np.ndarray) -> Any:
        """Whisper's encoder, which also asks whisper which language it hears in each window
        it encodes (one decoder step on the encoder's output: next to nothing, where a
        separate ``detect_language`` would encode the audio a second time). Batched and
        sequential decoding both call it."""
        output = self._encode(features)
        if self.multilingual:
            for probabilities in self.model.model.detect_language(output):
                self._heard.append({token.strip("<|>"): p for token, p in probabilities})
        return output

    def _other_language(self, language: str) -> float:
        """The highest mean probability whisper gave another of our languages than
        ``language`` over the windows encoded since ``_heard`` was emptied, at the start of
        this decoding (0.0 for an English-only model, or when nothing was encoded)."""
        heard = self._heard
        if not heard or not self.multilingual:
            return 0.0
        others = set(LANGUAGES) - {language}
        return max(
            (sum(w.get(code, 0.0) for w in heard) / len(heard) for code in others), default=0.0
        )

    def _sequential(
        self, samples: np.ndarray, language: str | None, log_prob_threshold: float | None
    ) -> tuple[Iterable[Any], Any]:
        """Whisper's own loop over 30 s windows: no VAD filter, no segment dropped for "no
        speech", no conditioning on the previous text (it makes loops). With a
        ``log_prob_threshold``, a doubtful segment is decoded again at a higher temperature."""
        segments, info = self.model.transcribe(
            samples,
            language=language,
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=False,
            no_speech_threshold=None,
            log_prob_threshold=log_prob_threshold,
            condition_on_previous_text=False,
        )
        return segments, info

    def _transcribe(self, samples: np.ndarray, language: str | None, min_gap: float) -> AsrResult:
        self._heard = []
        if self.batched is not None:
            segments, info = self.batched.transcribe(
                samples,
                language=language,
                beam_size=self.beam_size,
                word_timestamps=True,
                batch_size=self.batch_size,
                no_speech_threshold=None,
                log_prob_threshold=None,
            )
        else:
            segments, info = self._sequential(samples, language, log_prob_threshold=None)
        words, kept = _collect(segments)
        kept = _with_other_language(kept, self._other_language(info.language))
        speech = speech_regions(samples)
        gaps = untranscribed_speech(speech, words, min_gap)
        return AsrResult(words, gaps, info.language, float(info.language_probability), kept, speech)


class _Looped(Exception):
    """Every attempt at a window of a second opinion looped."""


def _collect(segments: Iterable[Any]) -> tuple[list[Word], list[Segment]]:
    """Our words and segments from faster-whisper's (a lazy iterator: it decodes here)."""
    words: list[Word] = []
    kept: list[Segment] = []
    for segment in segments:
        kept.append(
            Segment(
                float(segment.start),
                float(segment.end),
                float(segment.avg_logprob),
            )
        )
        words += [
            Word(
                text=w.word,
                start=float(w.start),
                end=float(w.end),
                probability=float(w.probability),
                segment=len(kept) - 1,
            )
            for w in (segment.words or [])
            if w.word.strip()
        ]
    return words, kept


def _with_other_language(segments: list[Segment], other: float) -> list[Segment]:
    return [dataclasses.replace(s, other_language=round(other, 4)) for s in segments]


def speech_regions(samples: np.ndarray) -> list[Stretch]:
    """Where there is speech, in seconds: Silero VAD's regions, with a low threshold (we'd
    rather over-flag), joined with ``loud_regions``. Silero misses some voices outright
    (robotic ones, through a G.711 line): with it alone, whole stretches of digits had no
    words and no gap either, since batched decoding never looks where the VAD hears
    nothing."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=0.35, min_speech_duration_ms=150, min_silence_duration_ms=300, speech_pad_ms=30
    )
    found = [
        (c["start"] / WHISPER_RATE, c["end"] / WHISPER_RATE)
        for c in get_speech_timestamps(samples, options)
    ]
    merged = union(found + loud_regions(samples))
    return [Stretch(round(start, 3), round(end, 3)) for start, end in merged]


#: Frames of 30 ms every 10 ms (``audio.HOP_SECONDS``); loud: this many dB over the
#: recording's noise floor (its 10th percentile frame), and over -50 dBFS; kept if 150 ms
#: or longer, with pauses under 600 ms bridged (the pauses between digits read out one by
#: one).
FRAME, LOUD_DB, LOUD_FLOOR_DBFS, LOUD_MIN, LOUD_BRIDGE = 0.03, 12.0, -50.0, 0.15, 0.6


def loud_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """Where the signal stands well above its own noise floor: a plain energy detector, the
    VAD's safety net. It also takes in noises that are not speech; bleeping those costs
    nothing a listener needs."""
    level = frame_levels(samples, FRAME)
    if not len(level):
        return []
    threshold = max(float(np.percentile(level, 10)) + LOUD_DB, LOUD_FLOOR_DBFS)
    regions: list[tuple[float, float]] = []
    for first, stop in runs(level > threshold):
        begin, end = first * HOP_SECONDS, (stop - 1) * HOP_SECONDS + FRAME
        if regions and begin - regions[-1][1] < LOUD_BRIDGE:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((begin, end))
    return [(a, b) for a, b in regions if b - a >= LOUD_MIN]


def untranscribed_speech(speech: list[Stretch], words: list[Word], min_gap: float) -> list[Gap]:
    """Stretches of VAD speech at least ``min_gap`` long that no word covers."""
    covered = sorted((w.start - WORD_TOLERANCE, w.end + WORD_TOLERANCE) for w in words)
    gaps = []
    for region in speech:
        start, end = region.start, region.end
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start - cursor >= min_gap:
                gaps.append(Gap(round(cursor, 3), round(c_start, 3)))
            cursor = max(cursor, c_end)
        if end - cursor >= min_gap:
            gaps.append(Gap(round(cursor, 3), round(end, 3)))
    return gaps
