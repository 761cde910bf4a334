"""`redactor review`: a static site to look at and listen to redacted calls (redactor/review.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import JSON_LOGS, app, err, event


@app.command("review")
def review_command(
    outputs: Annotated[
        Path,
        typer.Argument(
            help="A folder of `redactor run --out` outputs (or of `redactor export`).",
            file_okay=False,
        ),
    ],
    to: Annotated[
        Path, typer.Option("--to", help="Folder to write the site into.", file_okay=False)
    ],
    names: Annotated[
        bool,
        typer.Option(
            "--names", help="Show each call's path (file names can hold PII); default: its id."
        ),
    ] = False,
) -> None:
    """Write review pages: an index of the calls, and per call the waveform with its bleeps,
    the redacted transcript and the bleeped audio. Offline: open TO/index.html in a browser.
    A reviewer can mark a bleep that is not PII, or PII heard where nothing was bleeped, and
    download the marks as a truth file for `redactor eval OUTPUTS --truth`."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from redactor.review import build_site

    with Progress(
        TextColumn("review pages"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=JSON_LOGS["on"] or not err.is_terminal,
    ) as bar:
        task = bar.add_task("pages", total=None)
        site = build_site(
            outputs, to, names, lambda done, total: bar.update(task, completed=done, total=total)
        )
    message = f"wrote {site.pages} call pages: {site.index}"
    if site.skipped:
        message += f"; {site.skipped} calls skipped, their outputs incomplete or unreadable"
    if JSON_LOGS["on"]:
        event("review", pages=site.pages, skipped=site.skipped, index=str(site.index))
    else:
        err.print(message)
