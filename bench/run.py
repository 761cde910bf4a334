"""`make bench`: the full pipeline against bare faster-whisper on the same calls, same run.

The benchmark set is built here from the committed sample calls (samples/{pt,es,en}): for
each language one call of about 100 s, the sample three times at slightly different levels
with 5-8 s of line noise between, like hold music gaps in a real call; 8 kHz mono, about
five minutes in all. It is deterministic, so runs compare.

For each language, in fresh processes: bare faster-whisper (same model folder, int8, same
threads, word timestamps, the language given) transcribes the calls; then `redactor run`
does everything (transcription, untranscribed-speech check, detection, bleeping, outputs).
Bare runs three times: faster-whisper's default settings; sequential with redactor's
settings; and batched (BatchedInferencePipeline, batches of 8) as redactor runs by default,
the fair baseline for our overhead. Word counts show what batching loses or gains.
Printed: the light commands' start-up (wall time, peak RSS); audio seconds, transcription
seconds and real-time factors, the ratio of ours to bare, and each process's peak RSS.
The machine is shared and noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("pt", "es", "en")
#: The sample each language's bench call is made of (the spoken one, not the keyed one).
SAMPLE = {"pt": "call-pt-cpf.wav", "es": "call-es-ssn.wav", "en": "call-en-ssn.wav"}

BARE = """
import sys, time
from pathlib import Path
from faster_whisper import WhisperModel, decode_audio
model_dir, language, threads, ours = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = sys.argv[5:]
# "ours": the decoding settings redactor uses (see redactor/asr.py); else faster-whisper's
settings = dict(condition_on_previous_text=False, no_speech_threshold=None,
                log_prob_threshold=None) if ours == "ours" else {}
if ours == "batched":  # redactor's default: BatchedInferencePipeline, batches of 8
    from faster_whisper import BatchedInferencePipeline
    settings = dict(no_speech_threshold=None, log_prob_threshold=None, batch_size=8)
started = time.monotonic()
model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
if ours == "batched":
    model = BatchedInferencePipeline(model)
loaded = time.monotonic()
words = 0
for f in files:
    segments, _ = model.transcribe(decode_audio(f), language=language, word_timestamps=True,
                                   **settings)
    words += sum(len(s.words or []) for s in segments)
print(f"{loaded - started:.3f} {time.monotonic() - loaded:.3f} {words}")
"""


def build_set(out: Path) -> dict[str, list[Path]]:
    rng = np.random.default_rng(2026)
    made: dict[str, list[Path]] = {}
    for language in LANGUAGES:
        audio, rate = sf.read(ROOT / "samples" / language / SAMPLE[language], dtype="float32")
        parts = []
        for level, pause in ((1.0, 5.0), (0.8, 8.0), (0.9, 0.0)):
            parts.append(audio * level)
            parts.append(rng.standard_normal(int(pause * rate)).astype(np.float32) * 0.002)
        folder = out / language
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bench-{language}.wav"
        sf.write(path, np.concatenate(parts), rate, subtype="PCM_16")
        made[language] = [path]
    return made


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child process."""
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    out = child.stdout.read().decode() if child.stdout else ""
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise SystemExit(f"failed: {' '.join(args[:3])}...\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    parser.add_argument(
        "--copies", type=int, default=16, help="copies of the en call for the engine rows"
    )
    parser.add_argument(
        "--engines-only", action="store_true", help="only the local-versus-Ray rows"
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="only the light commands' start-up"
    )
    args = parser.parse_args()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "REDACTOR_MODELS_DIR": str(args.models)}
    light = startup(args, env)
    if args.startup_only:
        return 0
    calls = build_set(args.out / "calls")
    if args.engines_only:
        compare_engines(args, env, calls["en"][0])
        return 0
    rows = []
    for language, files in calls.items():
        audio = sum(sf.info(f).duration for f in files)
        runs = {}
        for settings in ("default", "ours", "batched"):
            runs[settings] = timed(
                [
                    sys.executable,
                    "-c",
                    BARE,
                    str(args.models / "whisper-base"),
                    language,
                    str(args.threads),
                    settings,
                    *map(str, files),
                ],
                env,
            )
        default_out = runs["default"][2]
        sequential_out = runs["ours"][2]
        bare_wall, bare_rss, out = runs["batched"]
        bare_load, bare_work, words = out.split()
        summary = args.out / f"summary-{language}.json"
        ours_wall, ours_rss, _ = timed(
            [
                sys.executable,
                "-m",
                "redactor",
                "run",
                str(files[0].parent),
                "--language",
                language,
                "--out",
                str(args.out / "redacted" / language),
                "--force",  # a run into the same folder skips calls already done
                "--workers",
                "1",
                "--threads",
                str(args.threads),
                "--summary",
                str(summary),
            ],
            env,
        )
        ours_work = json.loads(summary.read_text())["processing_seconds"]
        rows.append(
            {
                "language": language,
                "audio_seconds": round(audio, 1),
                "bare_wall": round(bare_wall, 1),
                "bare_transcribe": round(float(bare_work), 1),
                "bare_default_transcribe": round(float(default_out.split()[1]), 1),
                "bare_sequential_transcribe": round(float(sequential_out.split()[1]), 1),
                "bare_sequential_words": int(sequential_out.split()[2]),
                "bare_words": int(words),
                "ours_wall": round(ours_wall, 1),
                "ours_run": round(ours_work, 1),
                "bare_rss_mb": round(bare_rss),
                "ours_rss_mb": round(ours_rss),
            }
        )
    total = {k: round(sum(r[k] for r in rows), 1) for k in rows[0] if k != "language"}
    rows.append({"language": "all", **total})
    print(f"threads {args.threads}, base int8, one worker\n")
    print(
        f"{'lang':5} {'audio s':>8} {'default s':>9} {'seq s':>6} {'words':>6} {'bare s':>7} "
        f"{'words':>6} {'bare x':>7} {'ours s':>7} {'ours x':>7} {'ratio':>6} {'bare RSS':>9} "
        f"{'ours RSS':>9}"
    )
    for r in rows:
        audio, bare, ours = r["audio_seconds"], r["bare_transcribe"], r["ours_run"]
        print(
            f"{r['language']:5} {audio:8.1f} {r['bare_default_transcribe']:9.1f} "
            f"{r['bare_sequential_transcribe']:6.1f} {r['bare_sequential_words']:6d} "
            f"{bare:7.1f} {r['bare_words']:6d} {audio / bare:7.1f} {ours:7.1f} "
            f"{audio / ours:7.1f} {ours / bare:6.2f} "
            f"{r['bare_rss_mb']:8.0f}M {r['ours_rss_mb']:8.0f}M"
        )
    print(
        "\ndefault s: bare faster-whisper, its default settings; seq s: sequential with "
        "redactor's settings (no conditioning on previous text, no no-speech or log-prob "
        "dropping); bare s: BatchedInferencePipeline, batches of 8, as redactor runs it; "
        "words: words transcribed; all transcription only, model loaded; "
        "ratio = ours s / bare s; ours s: `redactor run`'s "
        "time on the files, models loaded (everything else: reading, VAD, detection, "
        "bleeping, writing outputs); process "
        f"walls: bare {total['bare_wall']} s, ours {total['ours_wall']} s (imports included)."
    )
    keypad = keypad_cost(calls, total["ours_run"])
    engines = compare_engines(args, env, calls["en"][0])
    (args.out / "results.json").write_text(
        json.dumps(
            {"startup": light, "languages": rows, "keypad": keypad, "engines": engines}, indent=2
        )
        + "\n"
    )
    return 0


def keypad_cost(calls: dict[str, list[Path]], ours_run: float) -> dict[str, float]:
    """The keypad-tone detector's share of `redactor run`: timed here, in this process, on
    the same calls, as the pipeline runs it: each channel resampled to 16 kHz again (the
    transcription's copy is not kept), then searched."""
    from redactor import audio as audio_io
    from redactor import dtmf

    seconds = work = 0.0
    for files in calls.values():
        for path in files:
            audio = audio_io.load(path)
            started = time.perf_counter()
            samples = audio_io.to_whisper(audio)
            dtmf.keyed(samples, audio_io.WHISPER_RATE)
            work += time.perf_counter() - started
            seconds += len(samples) / audio_io.WHISPER_RATE
    figures = {
        "audio_seconds": round(seconds, 1),
        "seconds": round(work, 3),
        "share_of_ours": round(work / ours_run, 4) if ours_run else 0.0,
    }
    print(
        f"\nkeypad tones (resampling and dtmf.keyed): {work:.2f} s for {seconds:.0f} s of audio, "
        f"{work / seconds * 3600:.1f} s an hour, {figures['share_of_ours']:.1%} of ours s"
    )
    return figures


def startup(args: argparse.Namespace, env: dict[str, str], runs: int = 5) -> list[dict[str, Any]]:
    """Wall time and peak RSS of the commands that must not load the speech and NLP stack
    (targets: 0.5 s, 60 MB); the median of ``runs``, each a fresh process."""
    keys, store = args.out / "startup" / "keys", args.out / "startup" / "store"
    if not keys.is_dir():
        timed([sys.executable, "-m", "redactor", "keys", "new", str(keys)], env)
    store.mkdir(parents=True, exist_ok=True)
    commands = {
        "--help": ["--help"],
        "config show": ["config", "show"],
        "keys new": ["keys", "new", "{fresh}"],
        "verify": ["verify", str(store), "--writer-key", str(keys / "writer.key")],
    }
    rows = []
    print(f"{'command':12} {'wall s':>7} {'RSS MB':>7}")
    for name, command in commands.items():
        samples = []
        for n in range(runs):
            fresh = str(args.out / "startup" / f"fresh-{n}")
            subprocess.run(["rm", "-rf", fresh], check=True)
            argv = [a.replace("{fresh}", fresh) for a in command]
            wall, rss, _ = timed([sys.executable, "-m", "redactor", *argv], env)
            samples.append((wall, rss))
        wall = sorted(w for w, _ in samples)[runs // 2]
        rss = sorted(r for _, r in samples)[runs // 2]
        rows.append({"command": name, "wall_seconds": round(wall, 3), "rss_mb": round(rss, 1)})
        print(f"{name:12} {wall:7.2f} {rss:7.1f}")
    print()
    return rows


def compare_engines(
    args: argparse.Namespace, env: dict[str, str], call: Path
) -> list[dict[str, Any]]:
    """The local engine and Ray (a local Ray started by the run) at 1 and 2 workers, one
    thread each, on 4 and on ``--copies`` copies of the English bench call. Two sizes
    separate what Ray costs once per run (starting Ray and its actors, stopping it) from
    what it costs per call; a nightly batch is hours of audio, so the second decides."""
    if importlib.util.find_spec("ray") is None:
        print("\nRay not installed: no engine comparison (pip install 'callredactor[ray]')")
        return []
    sizes = (4, args.copies)
    seconds = sf.info(call).duration
    rows = []
    for copies in sizes:
        folder = args.out / "engines" / f"in-{copies}"
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(copies):
            (folder / f"copy-{n}.wav").write_bytes(call.read_bytes())
        for workers in (1, 2):
            for engine in ("local", "ray"):
                name = f"{engine}-{workers}-{copies}"
                summary = args.out / "engines" / f"{name}.json"
                wall, _, _ = timed(
                    [
                        *(sys.executable, "-m", "redactor", "run", str(folder)),
                        *("--language", "en", "--out", str(args.out / "engines" / name)),
                        *("--engine", engine, "--workers", str(workers), "--threads", "1"),
                        *("--summary", str(summary), "--force"),
                    ],
                    env,
                )
                data = json.loads(summary.read_text())
                assert data["files"] == {"ok": copies}, data
                rows.append(
                    {
                        "engine": engine,
                        "workers": workers,
                        "copies": copies,
                        "audio_seconds": round(copies * seconds, 1),
                        "wall_seconds": round(wall, 1),
                        "run_seconds": data["wall_seconds"],
                    }
                )

    def run_s(engine: str, workers: int, copies: int) -> float:
        found: float = next(
            r["run_seconds"]
            for r in rows
            if (r["engine"], r["workers"], r["copies"]) == (engine, workers, copies)
        )
        return found

    print(f"\nengines, copies of the en call ({seconds:.0f} s each), one thread per worker:")
    print(
        f"{'engine':7} {'workers':>7} {'copies':>6} {'run s':>6} {'x':>6} {'process s':>9} "
        f"{'vs local':>8}"
    )
    for row in rows:
        local = run_s("local", row["workers"], row["copies"])
        print(
            f"{row['engine']:7} {row['workers']:7d} {row['copies']:6d} "
            f"{row['run_seconds']:6.1f} {row['audio_seconds'] / row['run_seconds']:6.1f} "
            f"{row['wall_seconds']:9.1f} {row['run_seconds'] / local:8.2f}"
        )
    small, large = sizes
    print("\nper run and per call (from the two sizes):")
    for workers in (1, 2):
        fits = {}
        for engine in ("local", "ray"):
            per_call = (run_s(engine, workers, large) - run_s(engine, workers, small)) / (
                large - small
            )
            fits[engine] = (run_s(engine, workers, small) - small * per_call, per_call)
        extra = fits["ray"][0] - fits["local"][0]
        steady = fits["ray"][1] / fits["local"][1]
        print(
            f"{workers} worker(s): Ray costs {extra:+.1f} s once per run; per call it is "
            f"{steady:.2f}x the local engine"
        )
        rows.append({"workers": workers, "ray_extra_per_run": extra, "ray_per_call": steady})
    print(
        "run s: from the run's start to its summary (models and, for Ray, the actors "
        "loading included); process s: the whole command."
    )
    return rows


if __name__ == "__main__":
    sys.exit(main())
