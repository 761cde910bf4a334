"""Orchestration: audio -> words -> entities -> redacted transcript, bleep map, bleeped audio."""

from __future__ import annotations

import dataclasses
import logging
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from redactor import audio as audio_io
from redactor import bleep, dtmf, languages, outputs, reliability
from redactor.asr import AsrResult, Transcriber, untranscribed_speech
from redactor.audio import WHISPER_RATE
from redactor.config import LANGUAGES, Config
from redactor.detection import Detector
from redactor.errors import ConfigError, InputError, RedactorError, UsageError
from redactor.formats import SUFFIXES, defaults
from redactor.jobs import FileResult, Job, Sink
from redactor.redact import Placement, redact
from redactor.transcript import Transcript
from redactor.types import Entity, Gap, Segment, Stretch, Word

log = logging.getLogger(__name__)

#: Peak amplitude below which a recording is taken as silent (-80 dBFS).
SILENCE = 1e-4
#: Seconds either side of an unreliable stretch that its second decoding also hears.
RECOVER_MARGIN = 0.3
#: A channel with more of its audio unreliable than this is not decoded again: on the hard
#: corpus a second pass over most of a call cost several times the first.
RECOVER_BUDGET = 0.3
#: Untranscribed speech of this many seconds or more is decoded again too, up to
#: RECOVER_GAP_BUDGET of the channel, where whisper is sure of the rest of the channel
#: (mean log-probability not below the language's bar, ``Reliability.logprob_bar``):
#: batched whisper sometimes stops in the middle of a piece of clear speech ("Could you
#: spell your last name for me?" then nothing for 28 s), and the stretch decoded alone
#: comes back whole.
RECOVER_GAP = 1.0
RECOVER_GAP_BUDGET = 0.5
#: Never written anywhere, not even encrypted with --keep-original.
NEVER_STORED = {"CVV", "PIN", "PASSWORD"}

AUDIO_SUFFIXES = {
    ".wav",
    ".flac",
    ".mp3",
    ".ogg",
    ".oga",
    ".opus",
    ".m4a",
    ".mp4",
    ".aac",
    ".webm",
    ".wma",
}


@dataclass
class RedactedText:
    text: str
    entities: list[Entity]
    placements: list[Placement]


def collect_inputs(inputs: list[Path], out_dir: Path | None = None) -> list[tuple[Path, Path]]:
    """(source, path relative to its input) for every file given or found under a folder.

    Folders are searched recursively for audio files; our own outputs are skipped. A
    symbolic link that leads nowhere (a loop, a missing target) is kept like a file: it
    fails when read, with its reason, instead of vanishing from the batch unreported.
    """
    found: list[tuple[Path, Path]] = []
    out_resolved = out_dir.resolve() if out_dir else None
    for given in inputs:
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file() or _broken_link(p)):
                relative = path.relative_to(given)
                # resolve() raises on a loop: a broken link is where its folder is
                where = path.parent.resolve() / path.name if _broken_link(path) else path.resolve()
                if (
                    path.suffix.lower() not in AUDIO_SUFFIXES
                    or any(part.startswith(".") for part in relative.parts)
                    or path.name.endswith(SUFFIXES["audio"])
                    or (out_resolved and out_resolved in where.parents)
                ):
                    continue
                found.append((path, relative))
        elif given.exists() or given.is_symlink():
            found.append((given, Path(given.name)))
        else:
            raise UsageError(f"input not found: {given}")
    return found


def _broken_link(path: Path) -> bool:
    """A symbolic link whose target cannot be reached (exists() is False on a loop)."""
    return path.is_symlink() and not path.exists()


class Pipeline:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.detector = Detector(config)
        self._transcriber: Transcriber | None = None

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            transcriber = Transcriber(
                self.config.model_path(),
                self.config.compute_type,
                self.config.threads,
                self.config.beam_size,
                self.config.batch_size,
            )
            if not transcriber.multilingual and self.config.language != "en":
                raise ConfigError(f"model {self.config.model!r} is English-only; use --language en")
            self._transcriber = transcriber
        return self._transcriber

    def load(self) -> None:
        """Load whisper and the language's detector now: a missing model fails before the
        first file, and per-file times do not include loading."""
        _ = self.transcriber
        if self.config.language in LANGUAGES:
            self.detector.engine(self.config.language)

    def redact_text(self, text: str, language: str) -> RedactedText:
        return self.redacted(text, self.detector.analyze(text, language))

    def redacted(self, text: str, entities: list[Entity]) -> RedactedText:
        """``text`` with ``entities`` (no two overlapping) replaced by the configured operator."""
        redacted, placements = redact(text, entities, self.config.operator, self.config.hash_salt)
        return RedactedText(redacted, entities, placements)

    def transcribe(self, audio: audio_io.Audio) -> tuple[Transcript, dict[str, object]]:
        """Words and untranscribed stretches. A stereo call (agent and caller each on a
        channel) is transcribed channel by channel, each word keeping its channel, so a
        bleep silences only the speaker who said the value; words are merged in time order."""
        language = None if self.config.language == "auto" else self.config.language
        split = self.config.channels == "split" and audio.channels == 2
        words: list[Word] = []
        gaps: list[Gap] = []
        segments: list[Segment] = []
        speech: list[Stretch] = []
        pauses: list[Stretch] = []
        detected, probability = "", 0.0
        for channel in (0, 1) if split else (None,):
            samples = audio_io.to_whisper(audio, channel)
            result = self.transcriber.transcribe(samples, language, self.config.min_untranscribed)
            if result.language not in LANGUAGES:
                raise InputError(
                    f"detected language {result.language!r} is not supported; "
                    f"pass --language {languages.listed(' or')}"
                )
            language = language or result.language  # the other channel: the same language
            if self.config.recover:
                result = self.recover(samples, result, language)
            detected, probability = detected or result.language, result.language_probability
            first = len(segments)  # this channel's segments follow the other's
            words += [
                dataclasses.replace(
                    w, channel=channel, segment=None if w.segment is None else first + w.segment
                )
                for w in result.words
            ]
            segments += [dataclasses.replace(s, channel=channel) for s in result.segments]
            speech += [dataclasses.replace(s, channel=channel) for s in result.speech]
            gaps += [dataclasses.replace(g, channel=channel) for g in result.gaps]
            pauses += [Stretch(start, end, channel) for start, end in audio_io.pauses(samples)]
        words.sort(key=lambda w: (w.start, w.end))
        meta = {
            "language": detected,
            "language_detected": self.config.language == "auto",
            "language_probability": round(probability, 3),
            "model": self.config.model,
            "channels": "split" if split else "mixed",
        }
        transcript = Transcript(
            words,
            detected,
            audio.duration,
            sorted(gaps, key=lambda g: g.start),
            segments,
            sorted(speech, key=lambda s: s.start),
            sorted(pauses, key=lambda s: s.start),
        )
        return transcript, meta

    def recover(self, samples: np.ndarray, result: AsrResult, language: str) -> AsrResult:
        """Each unreliable stretch of one channel, and each long stretch of untranscribed
        speech, decoded a second way (``Transcriber.redecode``) on a window around it.
        Where that pass breaks no rule, its words replace the first's; elsewhere the first
        stays, to be bleeped."""
        rules = self.config.reliability
        first = Transcript(result.words, language, 0.0, [], result.segments)
        duration = len(samples) / WHISPER_RATE
        unreliable = reliability.assess(first, rules).stretches
        if sum(s.end - s.start for s in unreliable) > RECOVER_BUDGET * duration:
            return result  # too much to rescue, at up to 3x the first pass's cost
        targets: list[Stretch | Gap] = list(unreliable)
        gaps = [g for g in result.gaps if g.end - g.start >= RECOVER_GAP]
        # whisper sure of the rest yet silent there: it stopped early, and a second pass
        # hears it; on a channel it doubts (the hard corpus) a second pass mishears as well
        sure = reliability.mean_logprob(result.words, result.segments) >= rules.logprob_bar(
            language
        )
        if sure and sum(g.end - g.start for g in gaps) <= RECOVER_GAP_BUDGET * duration:
            targets += gaps
        words, segments = list(result.words), list(result.segments)
        recovered = False
        for stretch in sorted(targets, key=lambda t: t.start):
            start = max(0.0, stretch.start - RECOVER_MARGIN)
            end = stretch.end + RECOVER_MARGIN
            again = self.transcriber.redecode(
                samples[int(start * WHISPER_RATE) : int(end * WHISPER_RATE)], language
            )
            second = Transcript(again.words, language, 0.0, [], again.segments)
            if not again.words or reliability.assess(second, rules).stretches:
                continue

            shifted = [
                dataclasses.replace(
                    w,
                    start=w.start + start,
                    end=w.end + start,
                    segment=None if w.segment is None else len(segments) + w.segment,
                )
                for w in again.words
            ]
            segments += [
                dataclasses.replace(s, start=s.start + start, end=s.end + start)
                for s in again.segments
            ]
            words = [w for w in words if not _midpoint_in(w, start, end)]
            words += [w for w in shifted if _midpoint_in(w, start, end)]
            words.sort(key=lambda w: (w.start, w.end))
            recovered = True
        if not recovered:
            return result
        gaps = untranscribed_speech(result.speech, words, self.config.min_untranscribed)
        return dataclasses.replace(result, words=words, segments=segments, gaps=gaps)

    def assess(self, transcript: Transcript) -> tuple[reliability.Assessment, dict[str, Any]]:
        """The words and stretches not to be trusted, and the call's quality (per channel
        for a split stereo call). An unusable transcript is all unreliable, or fails the
        call (``unusable = "fail"``)."""
        rules = self.config.reliability
        assessment = reliability.assess(transcript, rules)
        qualities = reliability.judge(transcript, assessment.stretches, rules)
        worst = reliability.worst(qualities)
        if worst.verdict == reliability.UNUSABLE:
            if self.config.unusable == "fail":
                raise InputError(
                    f"transcript unusable: {worst.share:.0%} of its speech is unreliable or "
                    'untranscribed (unusable = "fail")'
                )
            assessment = reliability.everything(transcript)
        elif worst.verdict == reliability.DEGRADED:  # unusable: every word is already in
            assessment |= reliability.doubted_words(transcript, rules)
        quality = worst.to_dict()
        if len(qualities) > 1:
            quality["channels"] = [{"channel": q.channel, **q.to_dict()} for q in qualities]
        return assessment, quality

    def originals(
        self,
        audio: audio_io.Audio,
        transcript: Transcript,
        entities: list[Entity],
        tones: list[bleep.Bleep],
        meta: dict[str, Any],
    ) -> dict[str, bytes]:
        """The call as it was, for --keep-original, but for what may never be stored at all
        (PCI DSS: a card's security code, PINs, keypad tones that may be either; and
        passwords): silenced and redacted."""
        secrets = [e for e in entities if e.type in NEVER_STORED or e.type == dtmf.DTMF]
        text, placements = redact(transcript.text, secrets, "tag")
        spoken = [e for e in secrets if e.type != dtmf.DTMF]
        ranges = bleep.plan(
            bleep.entity_bleeps(transcript, spoken) + tones, self.config.padding, audio.duration
        )
        silenced = bleep.apply(audio, ranges, "silence")
        call = outputs.CallOutput(silenced, transcript, text, placements, ranges, [], meta)
        return {
            "original_audio": outputs.audio_bytes(call),
            "original_transcript": outputs.transcript_bytes(call),
        }

    def keypad(self, audio: audio_io.Audio) -> list[dtmf.Sequence]:
        """Where keys were pressed (redactor/dtmf.py), channel by channel; on a mixed call
        a sequence is every channel's (``channel`` None), as every bleep there is."""
        if self.config.dtmf == "off":
            return []
        split = self.config.channels == "split" and audio.channels == 2
        found: list[dtmf.Sequence] = []
        for channel in range(audio.channels):
            samples = audio_io.to_whisper(audio, channel if audio.channels > 1 else None)
            found += dtmf.keyed(samples, WHISPER_RATE, channel if split else None)
        return sorted(found, key=lambda s: s.start)

    def check(self, audio: audio_io.Audio) -> None:
        """Refuse, with a reason, what is not a call: too short, too long, or silent."""
        if audio.duration < self.config.min_duration:
            raise InputError(
                f"too short ({audio.duration:.2f} s; min_duration is {self.config.min_duration} s)"
            )
        if audio.duration > self.config.max_duration:
            raise InputError(
                f"too long ({audio.duration / 3600:.1f} h; max_duration is "
                f"{self.config.max_duration / 3600:.1f} h)"
            )
        if float(abs(audio.samples).max()) < SILENCE:
            raise InputError("silent: no signal above -80 dBFS in the recording")

    def process(self, job: Job, sink: Sink) -> FileResult:
        """Everything for one call but the commit; raises InputError for a bad input, writes
        nothing then."""
        started = time.monotonic()
        audio = audio_io.load(job.source)
        self.check(audio)
        transcript, meta = self.transcribe(audio)
        keyed = self.keypad(audio)
        transcript = dtmf.marked(transcript, keyed)
        assessment, quality = self.assess(transcript)
        found = self.detector.analyze(transcript.text, transcript.language)
        found = dtmf.entities(transcript, found) if keyed else found
        # answers to a question for a value that detection did not explain (not in the
        # verdict: they are doubt about detection, not about the transcript)
        # on a call whisper doubts, lower bars: fail closed sooner
        bars = reliability.Bars() if quality["verdict"] == reliability.GOOD else reliability.DOUBTED
        assessment |= reliability.unanswered(transcript, found, bars, assessment.words)
        assessment |= reliability.answers(transcript, found, bars)
        assessment |= reliability.value_tails(transcript, found)
        doubtful = reliability.entities(transcript, assessment.words, found)
        redacted = self.redacted(transcript.text, found + doubtful)
        meta["operator"] = self.config.operator
        meta["config"] = self.config.fingerprint()  # what a rerun compares to skip the call
        meta["transcript_quality"] = quality

        trusted = quality["verdict"] == reliability.GOOD  # its word times too
        spoken = [e for e in found if e.type != dtmf.DTMF]  # keyed ones: their tones' times
        found_bleeps = bleep.entity_bleeps(transcript, spoken, onsets=trusted)
        gaps = bleep.gap_bleeps(transcript)
        # where its word times are doubted, a stretch's ends reach out as an entity's do; on a
        # good call, an unanswered question's stretch (a value's answer) reaches on at its end
        # only, as a value's last digit sounds on past whisper's end of it
        if trusted:
            answers = [s for s in assessment.stretches if s.reason == reliability.UNANSWERED]
            rest = [s for s in assessment.stretches if s.reason != reliability.UNANSWERED]
            unreliable = bleep.stretch_bleeps(rest, reliability.UNRELIABLE)
            unreliable += bleep.stretch_bleeps(
                answers, reliability.UNRELIABLE, transcript, ends_only=True
            )
        else:
            unreliable = bleep.stretch_bleeps(
                assessment.stretches, reliability.UNRELIABLE, transcript
            )
        tones = [bleep.Bleep(s.start, s.end, dtmf.DTMF, 1.0, s.channel, keys=s.keys) for s in keyed]
        to_bleep, review = list(found_bleeps), list[bleep.Bleep]()
        for stretches, setting in (
            (gaps, self.config.untranscribed),
            (unreliable, self.config.unreliable),
            (tones, self.config.dtmf),
        ):
            (to_bleep if setting == "bleep" else review).extend(stretches)
        planned = bleep.plan(to_bleep, self.config.padding, audio.duration)
        bleeped = bleep.apply(audio, planned, self.config.bleep, self.config.tone_hz)

        # A folder run records the input's hash in the transcript (a store keeps a keyed
        # hash in its manifest instead: the manifest is not encrypted).
        described = dict(meta)
        if job.content_sha256:
            described["input_sha256"] = job.content_sha256
        call = outputs.CallOutput(
            bleeped,
            transcript,
            redacted.text,
            redacted.placements,
            planned,
            review,
            described,
            assessment.stretches,
        )
        documents = {f.kind: f.write(call) for f in defaults()}
        if self.config.keep_original:
            documents.update(self.originals(audio, transcript, redacted.entities, tones, meta))
        written = sink.write(job, documents, meta)
        return FileResult(
            job.relative,
            True,
            label=job.label,
            duration=audio.duration,
            seconds=time.monotonic() - started,
            entities=Counter(e.type for e in redacted.entities),
            bleeps=len(planned),
            untranscribed=len(gaps),
            quality=quality["verdict"],
            unreliable_share=quality["unreliable_share"],
            written=written,
        )

    def process_file(self, source: Path, out_dir: Path) -> FileResult:
        """One file into a folder, as `redactor run FILE --out OUT_DIR` does."""
        return next(run(self, [(source, Path(source.name))], outputs.FolderSink(out_dir)))


def _midpoint_in(word: Word, start: float, end: float) -> bool:
    return start <= (word.start + word.end) / 2 < end


def plan(sink: Sink, files: list[tuple[Path, Path]]) -> Iterator[Job | FileResult]:
    """Driver: each input as a Job, or its result when it is not to be processed."""
    for index, (source, relative) in enumerate(files):
        try:
            yield sink.plan(index, source, relative)
        except OSError as exc:
            reason = f"cannot read the input ({exc.strerror or 'I/O error'})"
            yield FileResult(relative, False, reason, label=sink.unread_label(index, relative))


def work(pipeline: Pipeline, job: Job, sink: Sink) -> FileResult:
    """Worker: one planned input; a bad file is reported, never raised."""
    started = time.monotonic()
    result = _work(pipeline, job, sink)
    result.label = job.label
    result.seconds = result.seconds or time.monotonic() - started
    return result


def commit(sink: Sink, job: Job, result: FileResult) -> FileResult:
    """Driver: record what a worker wrote."""
    if result.ok and not result.skipped:
        try:
            sink.commit(job, result.written)
        except OSError as exc:
            reason = f"cannot write outputs ({exc.strerror or 'I/O error'})"
            return dataclasses.replace(result, ok=False, error=reason, written={})
    result.written = {}
    return result


def run(pipeline: Pipeline, files: list[tuple[Path, Path]], sink: Sink) -> Iterator[FileResult]:
    """Process every file in this process; a bad file is reported and the rest go on."""
    for job in plan(sink, files):
        if isinstance(job, FileResult):
            yield job
        else:
            yield commit(sink, job, work(pipeline, job, sink))


def _work(pipeline: Pipeline, job: Job, sink: Sink) -> FileResult:
    try:
        return pipeline.process(job, sink)
    except InputError as exc:
        return FileResult(job.relative, False, str(exc))
    except OSError as exc:  # writing outputs: disk full, permissions...
        return FileResult(
            job.relative, False, f"cannot write outputs ({exc.strerror or 'I/O error'})"
        )
    except RedactorError:
        raise  # bad config, model or store: every file would fail the same way
    except Exception as exc:  # a bug or a library failure on this file: the batch goes on
        # Only the class name and the frames: library messages can quote the text they
        # choked on, and exc_info would print the message.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.debug("failure on input %d (%s):\n%s", job.index, type(exc).__name__, frames)
        return FileResult(job.relative, False, f"internal error ({type(exc).__name__})")
