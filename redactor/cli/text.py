"""`redactor text` (redact text already transcribed) and `redactor eval` (measure detection)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from redactor.cli.common import ConfigOption, LanguageOption, app, settings
from redactor.errors import UsageError


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
    config.check_text()
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
        typer.Option(
            help="With an outputs folder: where the *.truth.json files are (the corpus's, "
            "or a reviewer's marks downloaded from `redactor review`)."
        ),
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
    share of PII speech time inside bleeps and of other speech time bleeped, and prints
    them as JSON: pii_by_type (seconds, share bleeped), pii_items_by_type (items,
    bleeped_90: items with 90% of their time bleeped, readable: items still readable in
    the call's *.redacted.txt), values and values_readable over all types,
    other_speech_bleeped_seconds and other_speech_bleeped_by_label (seconds of non-PII
    speech under the bleeps of each label: entity type, UNTRANSCRIBED_SPEECH,
    UNRELIABLE_SPEECH; they sum to other_speech_bleeped_seconds), and
    other_speech_beyond_values (seconds, share bleeped) for the other speech more than a
    second from any value: over-bleeping that is no value's edge.
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
