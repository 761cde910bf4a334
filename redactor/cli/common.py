"""What every command shares: the Typer app and its top-level options, the output edge
(rich lines on stderr, or JSON lines with --log-json), the options the commands have in
common, and the two openings: the settings, and a store.

Nothing here imports the speech, NLP or storage machinery (tests/test_cli_light.py).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from typer.core import TyperGroup

from redactor import __version__, languages
from redactor.config import Config, load_config
from redactor.errors import ConfigError, UsageError

if TYPE_CHECKING:
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
    # click's plain help: rich's help imports a Markdown parser, 0.15 s on every --help
    rich_markup_mode=None,
)
err = Console(stderr=True, highlight=False)
JSON_LOGS = {"on": False}  # --log-json


def event(kind: str, **fields: object) -> None:
    """One run message as a JSON line (--log-json): what the rich lines say, structured."""
    record = {"time": round(time.time(), 3), "event": kind, **fields}
    sys.stderr.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def warn(message: str) -> None:
    """A warning: a JSON line with --log-json, else a yellow line."""
    if JSON_LOGS["on"]:
        event("warning", message=message)
    else:
        err.print(f"[yellow]warning:[/] {message}")


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
    """The config file (a bad one: ConfigError, exit 78) with the flags given over it."""
    config = load_config(config_file)
    try:
        return config.replace(**flags)
    except ConfigError as exc:  # a bad flag value is a usage error
        raise UsageError(str(exc)) from None


def store_from(
    config: Config,
    uri: str,
    keys: list[str],
    recipients: list[str] | None = None,
    originals: list[str] | None = None,
    create: bool = False,
) -> Store:
    """The store at ``uri``; only `run` passes ``create`` (the others refuse a missing one)."""
    from redactor.storage import open_store

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


def open_named_store(
    uri: str,
    key: list[str] | None,
    writer_key: str | None,
    config_file: Path | None,
    recipients: list[str] | None = None,
) -> Store:
    """The opening of every store command: the settings with --writer-key over them, then
    the existing store at ``uri``, read with the --key keys."""
    config = settings(config_file, writer_key=writer_key)
    return store_from(config, uri, list(key or []), recipients=recipients)
