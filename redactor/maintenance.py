"""Work on a whole store: verify, purge, rewrap, export.

Each is a function of a ``storage.Store`` and uses only what it offers (its names, entries,
checked reads, audit events and backend): the store writes and reads one call; these walk
every call. ``Store.verify()`` and its siblings delegate here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redactor import crypto
from redactor.audit import ChainReport, digest, entry_problem
from redactor.backends import ObjectMissing
from redactor.errors import IntegrityError, StoreError
from redactor.formats import SUFFIXES
from redactor.fs import write_atomic
from redactor.storage import NAME_KIND, Store, object_record


@dataclass
class VerifyReport:
    calls: int = 0
    objects: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(store: Store) -> VerifyReport:
    """Check every manifest entry, object and audit event, and entries against events both
    ways; report what does not hold."""
    report = VerifyReport()
    listed = set(store.backend.list("objects/"))
    expected: set[str] = set()
    entries: dict[str, str] = {}
    for call in store.calls():
        report.calls += 1
        raw = store.backend.get(store.manifest_name(call))
        entries[call] = digest(raw)
        entry = json.loads(raw)
        if not store.entry_authentic(entry):
            report.problems.append(f"manifest of call {call}: HMAC does not match (edited)")
        for kind, out in entry.get("outputs", {}).items():
            expected.add(out["object"])
            report.objects += 1
            report.problems += _object_problems(store, call, kind, out)
    for name in sorted(listed - expected):
        report.problems.append(f"{name}: object not in any manifest entry")
    chain: ChainReport = store.chain.read()
    report.events = chain.events
    report.problems += chain.problems
    for call in sorted(set(entries) | set(chain.expected)):
        problem = entry_problem(call, entries.get(call), chain.expected)
        if problem:
            report.problems.append(problem)
    return report


def _object_problems(store: Store, call: str, kind: str, out: dict[str, Any]) -> list[str]:
    try:
        blob = store.backend.get(out["object"])
    except ObjectMissing:
        return [f"call {call}: {kind} object is missing"]
    if hashlib.sha256(blob).hexdigest() != out["sha256"]:
        return [f"call {call}: {kind} object changed (sha256)"]
    if store.keys.identities:
        try:
            crypto.decrypt(blob, out["object"], store.keys.identities)
        except crypto.DecryptError:
            pass  # not for our key (the originals): its sha256 was checked
        except crypto.CryptoError as exc:
            return [f"call {call}: {kind}: {type(exc).__name__}"]
    return []


def purge(store: Store, older_than: timedelta, now: datetime | None = None) -> list[str]:
    """Delete calls written before ``now - older_than``: the event first, then the objects,
    then the entry (a crash in between: the next purge finishes the call)."""
    store.require_secret()
    cutoff = (now or datetime.now(UTC)) - older_than
    purged = []
    for call in store.calls():
        entry = store.manifest(call)
        if datetime.fromisoformat(entry["written_at"]) >= cutoff:
            continue
        store.audit("purge", call, "ok")
        store.delete_call(call)
        purged.append(call)
    return purged


def rewrap(store: Store) -> int:
    """Re-wrap every object's data key for the current recipients (key rotation)."""
    keys = store.keys
    if not keys.identities or not keys.recipients:
        raise StoreError("rewrap needs --key (to unwrap) and --recipient (to wrap for)")
    store.require_secret()
    count = 0
    for call in store.calls():
        entry = store.manifest(call)
        for out in entry["outputs"].values():
            blob = store.backend.get(out["object"])
            try:
                blob = crypto.rewrap(blob, out["object"], keys.identities, keys.recipients)
            except crypto.CryptoError as exc:
                raise StoreError(f"{out['object']}: {exc}") from None
            store.backend.put(out["object"], blob)
            out.update(object_record(out["object"], blob))
            count += 1
        store.put_entry(call, entry, "rewrap")
    return count


def export(store: Store, dest: Path) -> Iterator[tuple[str, str]]:
    """Decrypt every call into ``dest`` in the layout of ``redactor run --out``; yields
    (call, "") for each call written, (call, problem) for each refused (nothing of it
    written). IntegrityError, nothing written, when the audit chain does not verify."""
    store.require_secret()
    chain = store.chain.read()
    if chain.problems:
        raise IntegrityError(
            f"the audit chain of {store.backend.describe()} does not verify "
            f"({len(chain.problems)} problem(s), first: {chain.problems[0]}); nothing "
            "exported: see `redactor verify`"
        )
    for call in store.calls():
        try:
            entry = store.manifest(call)
            kinds = [NAME_KIND, *(k for k in SUFFIXES if k in entry.get("outputs", {}))]
            plain = store.checked(call, kinds, chain.expected)  # originals stay in the store
        except IntegrityError as exc:
            store.audit("export", call, "refused")
            yield call, str(exc)
            continue
        relative = Path(plain.pop(NAME_KIND).decode())
        if relative.is_absolute() or ".." in relative.parts:
            raise StoreError(f"call {call}: stored name is not a relative path")
        stem = dest / relative.parent / relative.stem
        for kind, data in plain.items():
            write_atomic(stem.with_name(stem.name + SUFFIXES[kind]), data)
        store.audit("export", call, "ok")
        yield call, ""
