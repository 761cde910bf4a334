"""Command line: parses options, calls the library, turns typed errors into exit codes.

No logic lives here: each command is a thin module (run, text and eval, review, the store
commands, config, models) that imports what it needs when it runs, so `--help`, `keys`,
`verify`, `purge` and `config` do not pay for the speech and NLP stack
(tests/test_cli_light.py).
Rules about settings are in redactor/config.py. Messages name files and problems, never
transcript text or PII.
"""

from __future__ import annotations

import importlib
import sys

from rich.markup import escape

from redactor.cli.common import JSON_LOGS, app, err, event
from redactor.errors import RedactorError

#: The command modules, in the order `redactor --help` lists their commands.
COMMANDS = ("run", "text", "review", "store", "config", "models")
for _name in COMMANDS:
    importlib.import_module(f"{__name__}.{_name}")  # registers its commands on ``app``


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
