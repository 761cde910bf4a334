"""`redactor run`: options to a Config, inputs to files, files through a batch; and what a
run prints: a progress display, one line per file, the summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from redactor.cli.common import (
    JSON_LOGS,
    ConfigOption,
    LanguageOption,
    RecipientOption,
    StoreOption,
    WriterKeyOption,
    app,
    err,
    event,
    settings,
    store_from,
    warn,
)
from redactor.config import Config
from redactor.errors import EXIT_OK, EXIT_SOME_FAILED, UsageError
from redactor.jobs import FileResult, Sink

if TYPE_CHECKING:
    from redactor.summary import Summary

PLAIN_EVERY = 30.0  # seconds between progress lines when stderr is not a terminal


@app.command("run")
def run_command(
    inputs: Annotated[
        list[Path], typer.Argument(help="Audio files or folders (searched recursively).")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output folder, plain files (created if missing).", file_okay=False
        ),
    ] = None,
    store: StoreOption = None,
    recipient: RecipientOption = None,
    writer_key: WriterKeyOption = None,
    keep_original: Annotated[
        bool | None,
        typer.Option(
            "--keep-original/--no-keep-original",
            help="Also store the original audio and transcript (CVV, PIN and passwords still "
            "removed), encrypted for --original-recipient only.",
        ),
    ] = None,
    original_recipient: Annotated[
        list[str] | None,
        typer.Option("--original-recipient", help="Key that may read the originals."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Worker processes (default: one per two cores; threads split). With "
            "--engine ray: actors, each with --threads CPUs (default 1; actors: one per CPU)."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(help="Redo calls already done (or stored) with these inputs and settings."),
    ] = False,
    engine: Annotated[
        str, typer.Option(help="local (worker processes) or ray (a Ray cluster's actors).")
    ] = "local",
    ray_address: Annotated[
        str,
        typer.Option(
            help="With --engine ray: auto, ray://host:10001, or empty for a local Ray on 127.0.0.1."
        ),
    ] = "",
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help="With --out: name inputs by path in messages (default: by content hash, "
            "since file names can hold phone numbers and logs travel).",
        ),
    ] = False,
    summary_file: Annotated[
        Path | None, typer.Option("--summary", help="Write the run summary as JSON here.")
    ] = None,
    metrics_file: Annotated[
        Path | None,
        typer.Option("--metrics", help="Write Prometheus textfile metrics here (atomically)."),
    ] = None,
    language: LanguageOption = None,
    config_file: ConfigOption = None,
    model: Annotated[
        str | None, typer.Option(help="Whisper model: base, tiny.en, or a folder.")
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(
            help="Replacement in text: tag (<BR_CPF>), mask (****) or hash (salted sha256)."
        ),
    ] = None,
    bleep: Annotated[
        str | None, typer.Option(help="Bleep with a 1 kHz tone or with silence.")
    ] = None,
    padding: Annotated[
        float | None, typer.Option(help="Seconds added on each side of a bleep.")
    ] = None,
    threads: Annotated[
        int | None, typer.Option(help="CPU threads for whisper (0: all cores).")
    ] = None,
) -> None:
    """Transcribe calls, redact them, and write for each input sub/call.wav:

    with --out: OUT/sub/call.redacted.json, .redacted.txt, .bleeps.json and .redacted.wav;
    with --store: the same, encrypted for --recipient keys (see docs/security.md).
    """
    from redactor.engine import EngineOptions, make_engine, run_batch
    from redactor.lock import RunLock
    from redactor.pipeline import collect_inputs
    from redactor.summary import Summary

    config = settings(
        config_file,
        language=language,
        model=model,
        operator=operator,
        bleep=bleep,
        padding=padding,
        cpu_threads=threads,
        store=store,
        recipients=recipient or None,
        writer_key=writer_key,
        keep_original=keep_original,
        original_recipients=original_recipient or None,
    )
    config.check_run(out_given=out is not None, warn=warn)
    files = collect_inputs(inputs, out)
    if not files:
        raise UsageError("no audio files found in the given inputs")
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder {out}: {exc.strerror}") from None
    sink = sink_factory(config, out, force, names)()  # a bad key or store fails now
    make_worker_sink = sink_factory(config, out, force, names, worker=True)
    summary = Summary()
    lock = RunLock(sink.describe())  # a resolved path, or a normalised s3://bucket/prefix/
    with lock, progress_display(len(files)) as progress:
        options = EngineOptions(workers or 0, config.cpu_threads, ray_address)
        results = run_batch(make_engine(engine, options), config, files, sink, make_worker_sink)
        for result in results:
            summary.add(result)
            report_file(result)
            progress(result)
    summary.finished = time.time()
    summarise(summary, sink.describe())
    if summary_file:
        summary.write_json(summary_file)
    if metrics_file:
        summary.write_metrics(metrics_file)
    raise typer.Exit(EXIT_SOME_FAILED if summary.files.get("failed") else EXIT_OK)


def sink_factory(
    config: Config, out: Path | None, force: bool, names: bool = False, worker: bool = False
) -> Callable[[], Sink]:
    """Builds the run's sink: the driver's, or (``worker``) one called in each worker
    process, where keys load; a worker's store has no writer secret, it needs none."""

    def make() -> Sink:
        from redactor.outputs import FolderSink
        from redactor.storage import StoreSink

        if out is not None:
            return FolderSink(out, names, config.fingerprint(), force)
        originals = config.original_recipients if config.keep_original else None
        config_here = config.replace(writer_key="") if worker else config
        store = store_from(
            config_here, config.store, config.recipients, originals=originals, create=True
        )
        return StoreSink(store, config.fingerprint(), force)

    return make


@contextmanager
def progress_display(total: int) -> Iterator[Callable[[FileResult], None]]:
    """A progress bar on a terminal; a plain line every PLAIN_EVERY seconds otherwise (cron,
    systemd). Counts files, audio hours, real-time factor and ETA; names no input."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    state = {"done": 0, "audio": 0.0, "last": started}

    def figures() -> str:
        wall = time.monotonic() - started
        rate = state["audio"] / wall if wall else 0.0
        left = (total - state["done"]) * wall / state["done"] if state["done"] else 0.0
        return (
            f"{state['done']}/{total} files, {state['audio'] / 3600:.2f} h audio, "
            f"{rate:.1f}x real time, ETA {left / 60:.0f} min"
        )

    if err.is_terminal and not JSON_LOGS["on"]:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[figures]}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("redacting", total=total, figures="")

            def advance(result: FileResult) -> None:
                state["done"] += 1
                state["audio"] += result.duration
                bar.update(task, advance=1, figures=figures())

            yield advance
        return

    def log_line(result: FileResult) -> None:
        state["done"] += 1
        state["audio"] += result.duration
        now = time.monotonic()
        if now - state["last"] >= PLAIN_EVERY or state["done"] == total:
            state["last"] = now
            if JSON_LOGS["on"]:
                event(
                    "progress",
                    files_done=state["done"],
                    files=total,
                    audio_seconds=round(state["audio"], 3),
                )
            else:
                err.print(f"progress: {figures()}")

    yield log_line


def report_file(result: FileResult) -> None:
    if JSON_LOGS["on"]:
        event(
            "file",
            input=result.label,
            status=result.status,
            error=result.error or None,
            audio_seconds=round(result.duration, 3),
            seconds=round(result.seconds, 3),
            entities=dict(result.entities),
            bleeps=result.bleeps,
            untranscribed=result.untranscribed,
            transcript_quality=result.quality or None,
            unreliable_share=result.unreliable_share if result.quality else None,
        )
        return
    if not result.ok:
        err.print(f"[red]failed[/] {escape(result.label)}: {escape(result.error)}")
        return
    if result.skipped:
        err.print(
            f"unchanged {escape(result.label)}: "
            "done before with the same input, settings and models"
        )
        return
    found = ", ".join(f"{t} {n}" for t, n in sorted(result.entities.items())) or "none"
    flag = f", {result.untranscribed} untranscribed speech" if result.untranscribed else ""
    quality = ""
    if result.quality and result.quality != "good":
        share = f"{result.unreliable_share:.0%} of speech unreliable"
        quality = f", [yellow]transcript {result.quality}[/] ({share})"
    err.print(
        f"[green]ok[/] {escape(result.label)}: {result.duration:.1f} s audio, entities: {found}, "
        f"{result.bleeps} bleeps{flag}{quality}"
    )


def summarise(summary: Summary, out: str) -> None:
    data = summary.to_dict()
    if JSON_LOGS["on"]:
        event("summary", destination=out, **{k: v for k, v in data.items() if k != "schema"})
        return
    done = summary.files.get("ok", 0)
    skipped = summary.files.get("skipped", 0)
    failed = summary.files.get("failed", 0)
    speed = f", {data['real_time_factor']:.1f}x real time" if summary.audio_seconds else ""
    total = done + skipped + failed
    unchanged = f" ({skipped} unchanged since an earlier run)" if skipped else ""
    err.print(
        f"{done + skipped} of {total} files redacted into {out}{unchanged} "
        f"({summary.audio_seconds:.1f} s audio in {data['wall_seconds']:.1f} s{speed}); "
        f"entities: {data['entities'] or 'none'}"
    )
    review = data["needs_review"]
    if review:
        counts = ", ".join(f"{n} {verdict}" for verdict, n in data["transcript_quality"].items())
        err.print(
            f"[yellow]{len(review)} call(s) need review[/] (transcripts: {counts}): "
            + ", ".join(escape(label) for label in review[:20])
            + (" ..." if len(review) > 20 else "")
        )
    if failed:
        err.print(f"[red]{failed} file(s) failed[/]; see the messages above")
