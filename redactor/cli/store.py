"""The store's commands: `keys new` and `keys rewrap`, `export`, `show`, `verify`, `purge`.
Each opens the store the same way (common.open_named_store: --key, --writer-key, --config);
the storage machinery loads when one runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redactor.cli.common import (
    ConfigOption,
    KeyOption,
    RecipientOption,
    StoreArgument,
    WriterKeyOption,
    app,
    err,
    open_named_store,
)
from redactor.errors import EXIT_OK, EXIT_SOME_FAILED, UsageError

keys_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Create keys and rotate the store's keys."
)
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
    opened = open_named_store(store, key, writer_key, config_file, list(recipient or []))
    err.print(f"re-wrapped {opened.rewrap()} objects")


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
    opened = open_named_store(store, key, writer_key, config_file)
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
    opened = open_named_store(store, key, writer_key, config_file)
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
    report = open_named_store(store, key, writer_key, config_file).verify()
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
    opened = open_named_store(store, key, writer_key, config_file)
    from redactor.storage import parse_age

    purged = opened.purge(parse_age(older_than))
    err.print(f"purged {len(purged)} calls")
