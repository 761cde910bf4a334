"""`redactor config show`: the effective settings as JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer

from redactor.cli.common import ConfigOption, app, settings
from redactor.config import Config
from redactor.errors import UsageError


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
