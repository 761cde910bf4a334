"""Command line: parses options, calls the library, turns typed errors into exit codes.

No logic lives here. Messages name files and problems, never transcript text or PII.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from redactor import __version__, evaluate
from redactor.config import Config, load_config
from redactor.errors import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ConfigError,
    RedactorError,
    UsageError,
)
from redactor.pipeline import FileResult, Pipeline, collect_inputs, run

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="TOML config file; flags override it.", dir_okay=False),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        help="Language spoken: pt, es, en, or auto (unreliable on short calls). "
        "Default: from config, else pt.",
    ),
]


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
        bool, typer.Option("--verbose", "-v", help="Debug logging (redactor's own only).")
    ] = False,
) -> None:
    """redactor: find personal data in call recordings and remove it from text and audio.

    Exit codes: 0 all done, 1 some inputs failed (the others are written),
    2 usage error, 78 bad config or missing model.
    """
    # Third-party libraries stay at warnings even with --verbose: at debug level Presidio
    # and others log the text they work on.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
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
        Path,
        typer.Option("--out", "-o", help="Output folder (created if missing).", file_okay=False),
    ],
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

    OUT/sub/call.redacted.json, .redacted.txt, .bleeps.json and .redacted.wav.
    """
    config = settings(
        config_file,
        language=language,
        model=model,
        operator=operator,
        bleep=bleep,
        padding=padding,
        cpu_threads=threads,
    )
    if config.language == "auto":
        err.print(
            "[yellow]warning:[/] automatic language detection is unreliable on short or "
            "poor audio; pass --language for production runs"
        )
    files = collect_inputs(inputs, out)
    if not files:
        raise UsageError("no audio files found in the given inputs")
    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {out}: {exc.strerror}") from None
    pipeline = Pipeline(config)
    started = time.monotonic()
    results: list[FileResult] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("redacting", total=len(files))
        for result in run(pipeline, files, out):
            results.append(result)
            progress.advance(task)
            report_file(result)
    summarise(results, out, time.monotonic() - started)
    raise typer.Exit(EXIT_OK if all(r.ok for r in results) else EXIT_SOME_FAILED)


def report_file(result: FileResult) -> None:
    if not result.ok:
        err.print(f"[red]failed[/] {result.relative}: {result.error}")
        return
    found = ", ".join(f"{t} {n}" for t, n in sorted(result.entities.items())) or "none"
    flag = f", {result.untranscribed} untranscribed speech" if result.untranscribed else ""
    err.print(
        f"[green]ok[/] {result.relative}: {result.duration:.1f} s audio, entities: {found}, "
        f"{result.bleeps} bleeps{flag}"
    )


def summarise(results: list[FileResult], out: Path, wall: float) -> None:
    done = [r for r in results if r.ok]
    audio = sum(r.duration for r in done)
    entities: Counter[str] = Counter()
    for r in done:
        entities.update(r.entities)
    speed = f", {audio / wall:.1f}x real time" if wall > 0 and audio else ""
    err.print(
        f"{len(done)} of {len(results)} files redacted into {out} "
        f"({audio:.1f} s audio in {wall:.1f} s{speed}); "
        f"entities: {dict(sorted(entities.items())) or 'none'}"
    )
    failed = len(results) - len(done)
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
        raise UsageError("redactor text needs --language pt, es or en")
    try:
        source = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the input text ({exc.__class__.__name__})") from None
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


@app.command("config")
def config_command(config_file: ConfigOption = None) -> None:
    """Print the effective configuration (defaults, then the config file) as JSON."""
    typer.echo(json.dumps(settings(config_file).to_dict(), indent=2, sort_keys=True))


def main() -> None:
    """Entry point: click handles usage errors (exit 2); our typed errors are mapped here."""
    try:
        app()
    except RedactorError as exc:
        err.print(f"[red]error:[/] {exc}")
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
