"""The encrypted store: every output encrypted per object, a manifest, an audit chain.

Layout under the store root (a folder or an S3 prefix, see ``backends.py``)::

    objects/<call>/<kind>.enc    one encrypted object per output (kinds: outputs.SUFFIXES)
    objects/<call>/name.enc      the input's relative path, encrypted (export restores it)
    manifest/<call>.json         plaintext, no PII: keyed hashes, sizes, ciphertext sha256s,
                                 versions, time; carries an HMAC
    audit/<seq>.json             one event per object: time, actor, action, call id, result,
                                 the previous event's hash, an HMAC

``<call>`` is a keyed hash of the input's content: pseudonymous, stable across runs, and
never derived from the file name (which may hold a phone number). Keyed hashes and HMACs
use the writer secret; content is readable only with a reviewer's identity (crypto.py).
Purging a call deletes its objects and so its wrapped data keys: crypto-shredding.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import hmac
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redactor import __version__, crypto
from redactor.backends import (
    Backend,
    BackendError,
    LocalBackend,
    ObjectExists,
    ObjectMissing,
    open_backend,
)
from redactor.errors import StoreError, UsageError
from redactor.jobs import FileResult, Job
from redactor.outputs import SUFFIXES, file_sha256, write_atomic

MANIFEST_SCHEMA = "redactor.manifest/1"
AUDIT_SCHEMA = "redactor.audit/1"
NAME_KIND = "name"
ORIGINAL_PREFIX = "original_"


@dataclass(frozen=True)
class StoreKeys:
    """Who may read (recipients), what we read with (identities), and the writer secret."""

    recipients: list[crypto.Recipient] = field(default_factory=list)
    identities: list[crypto.Identity] = field(default_factory=list)
    secret: bytes = b""
    #: Who may read the originals kept with --keep-original (nobody else can).
    original_recipients: list[crypto.Recipient] = field(default_factory=list)

    @classmethod
    def from_keys(
        cls,
        keys: list[crypto.PublicKey | crypto.PrivateKey | crypto.SymmetricKey],
        writer: crypto.SymmetricKey | None = None,
    ) -> StoreKeys:
        """Sort loaded keys into roles. A symmetric key is all three; a private key reads;
        a public key receives. Without a writer key, a symmetric key's derived secret is used."""
        recipients: list[crypto.Recipient] = []
        identities: list[crypto.Identity] = []
        for key in keys:
            if isinstance(key, crypto.PublicKey):
                recipients.append(key)
            elif isinstance(key, crypto.PrivateKey):
                identities.append(key)
            else:
                recipients.append(key)
                identities.append(key)
        secret = b""
        if writer is not None:
            secret = _derive(writer.raw, b"redactor/v1/writer")
        else:
            symmetric = [k for k in keys if isinstance(k, crypto.SymmetricKey)]
            if symmetric:
                secret = _derive(symmetric[0].raw, b"redactor/v1/writer")
        return cls(recipients, identities, secret)


def _derive(key: bytes, info: bytes) -> bytes:
    return hmac.new(key, info, hashlib.sha256).digest()


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class VerifyReport:
    calls: int = 0
    objects: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Store:
    def __init__(self, backend: Backend, keys: StoreKeys, actor: str | None = None) -> None:
        self.backend = backend
        self.keys = keys
        self.actor = actor or f"{getpass.getuser()}@{socket.gethostname()}"
        self._audit_head: tuple[int, str] | None = None

    # -- names and hashes ---------------------------------------------------------------

    def _keyed(self, label: str, value: str) -> str:
        if not self.keys.secret:
            raise StoreError("no writer key: pass --writer-key (or a symmetric --key)")
        return hmac.new(self.keys.secret, f"{label}\0{value}".encode(), hashlib.sha256).hexdigest()

    def call_id(self, content_sha256: str) -> str:
        return self._keyed("call", content_sha256)[:24]

    @staticmethod
    def object_name(call: str, kind: str) -> str:
        return f"objects/{call}/{kind}.enc"

    @staticmethod
    def manifest_name(call: str) -> str:
        return f"manifest/{call}.json"

    # -- writing ------------------------------------------------------------------------

    def has(self, call: str) -> bool:
        return self.backend.exists(self.manifest_name(call))

    def write_objects(
        self, call: str, relative: str, documents: dict[str, bytes], replace: bool = False
    ) -> dict[str, Any]:
        """Encrypt and store one call's outputs (no manifest entry yet: see commit_call).
        Needs only the recipients' keys, not the writer secret: a worker elsewhere can do it.
        ``replace`` overwrites a call stored before (--force)."""
        if not self.keys.recipients:
            raise StoreError("no recipient key to encrypt for: pass --recipient")
        put = self.backend.put if replace else self.backend.put_new
        outputs = {}
        for kind, data in [*documents.items(), (NAME_KIND, relative.encode())]:
            name = self.object_name(call, kind)
            recipients = self.keys.recipients
            if kind.startswith(ORIGINAL_PREFIX):
                recipients = self.keys.original_recipients
                if not recipients:
                    raise StoreError("--keep-original needs --original-recipient")
            blob = crypto.encrypt(data, name, recipients)
            try:
                put(name, blob)
            except ObjectExists:
                # left by a run that died before its manifest entry: ours to replace
                self.backend.put(name, blob)
            outputs[kind] = {
                "object": name,
                "bytes": len(blob),
                "sha256": hashlib.sha256(blob).hexdigest(),
                "key_ids": crypto.key_ids(blob),
            }
        return outputs

    def commit_call(
        self,
        call: str,
        relative: str,
        content_sha256: str,
        outputs: dict[str, Any],
        meta: dict[str, Any],
    ) -> dict[str, Any]:
        """The call's manifest entry, written last (an entry means the set is complete), and
        its audit event."""
        entry = {
            "schema": MANIFEST_SCHEMA,
            "call": call,
            "input": self._keyed("input", content_sha256),
            "name": self._keyed("name", relative),
            "outputs": outputs,
            "redactor_version": __version__,
            **meta,
            "written_at": _now(),
        }
        entry["hmac"] = self._keyed("manifest", _canonical(entry).decode())
        self.backend.put(self.manifest_name(call), _canonical(entry))
        self.audit("write", call, "ok")
        return entry

    def write_call(
        self,
        call: str,
        relative: str,
        documents: dict[str, bytes],
        content_sha256: str,
        meta: dict[str, Any],
        replace: bool = False,
    ) -> dict[str, Any]:
        """write_objects then commit_call, in one process."""
        outputs = self.write_objects(call, relative, documents, replace)
        return self.commit_call(call, relative, content_sha256, outputs, meta)

    # -- reading ------------------------------------------------------------------------

    def calls(self) -> list[str]:
        return [
            Path(name).stem for name in self.backend.list("manifest/") if name.endswith(".json")
        ]

    def manifest(self, call: str) -> dict[str, Any]:
        try:
            return json.loads(self.backend.get(self.manifest_name(call)))
        except ObjectMissing:
            raise StoreError(f"no call {call} in {self.backend.describe()}") from None

    def read(self, call: str, kind: str) -> bytes:
        if not self.keys.identities:
            raise StoreError("no key to read with: pass --key (a private or symmetric key)")
        name = self.object_name(call, kind)
        try:
            blob = self.backend.get(name)
            return crypto.decrypt(blob, name, self.keys.identities)
        except ObjectMissing:
            raise StoreError(f"object {name} is missing from the store") from None
        except crypto.CryptoError as exc:
            raise StoreError(f"{name}: {exc}") from None

    def require_secret(self) -> None:
        """Reads are audited, and audit events need the writer secret: check it up front."""
        self._keyed("check", "")

    def export(self, dest: Path) -> Iterator[str]:
        """Decrypt every call into ``dest`` in the layout of ``redactor run --out``."""
        self.require_secret()
        for call in self.calls():
            entry = self.manifest(call)
            relative = Path(self.read(call, NAME_KIND).decode())
            if relative.is_absolute() or ".." in relative.parts:
                raise StoreError(f"call {call}: stored name is not a relative path")
            stem = dest / relative.parent / relative.stem
            for kind, suffix in SUFFIXES.items():  # originals stay in the store
                if kind in entry["outputs"]:
                    write_atomic(stem.with_name(stem.name + suffix), self.read(call, kind))
            self.audit("export", call, "ok")
            yield call

    # -- audit --------------------------------------------------------------------------

    def audit(self, action: str, call: str | None, result: str) -> None:
        """Append one event to the chain: create-only, so two writers never share a slot."""
        while True:
            seq, previous = self._head()
            event = {
                "schema": AUDIT_SCHEMA,
                "seq": seq + 1,
                "time": _now(),
                "actor": self.actor,
                "action": action,
                "call": call,
                "result": result,
                "prev": previous,
            }
            event["hmac"] = self._keyed("audit", _canonical(event).decode())
            data = _canonical(event)
            try:
                self.backend.put_new(f"audit/{seq + 1:012d}.json", data)
            except ObjectExists:
                self._audit_head = None  # another writer got there first: re-read
                continue
            self._audit_head = (seq + 1, hashlib.sha256(data).hexdigest())
            return

    def _head(self) -> tuple[int, str]:
        if self._audit_head is None:
            names = sorted(self.backend.list("audit/"))
            if not names:
                self._audit_head = (0, "")
            else:
                data = self.backend.get(names[-1])
                self._audit_head = (json.loads(data)["seq"], hashlib.sha256(data).hexdigest())
        return self._audit_head

    # -- verify, purge, rewrap ----------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Check every manifest entry, object and audit event; report what does not hold."""
        report = VerifyReport()
        listed = set(self.backend.list("objects/"))
        expected: set[str] = set()
        for call in self.calls():
            report.calls += 1
            raw = self.backend.get(self.manifest_name(call))
            entry = json.loads(raw)
            claimed = entry.pop("hmac", "")
            if not hmac.compare_digest(
                claimed, self._keyed("manifest", _canonical(entry).decode())
            ):
                report.problems.append(f"manifest of call {call}: HMAC does not match (edited)")
            for kind, out in entry.get("outputs", {}).items():
                expected.add(out["object"])
                report.objects += 1
                try:
                    blob = self.backend.get(out["object"])
                except ObjectMissing:
                    report.problems.append(f"call {call}: {kind} object is missing")
                    continue
                if hashlib.sha256(blob).hexdigest() != out["sha256"]:
                    report.problems.append(f"call {call}: {kind} object changed (sha256)")
                elif self.keys.identities:
                    try:
                        crypto.decrypt(blob, out["object"], self.keys.identities)
                    except crypto.DecryptError:
                        pass  # not for our key (the originals): its sha256 was checked
                    except crypto.CryptoError as exc:
                        report.problems.append(f"call {call}: {kind}: {type(exc).__name__}")
        for name in sorted(listed - expected):
            report.problems.append(f"{name}: object not in any manifest entry")
        self._verify_audit(report)
        return report

    def _verify_audit(self, report: VerifyReport) -> None:
        previous = ""
        for number, name in enumerate(sorted(self.backend.list("audit/")), 1):
            data = self.backend.get(name)
            report.events += 1
            try:
                event = json.loads(data)
            except ValueError:
                report.problems.append(f"{name}: not JSON")
                previous = hashlib.sha256(data).hexdigest()
                continue
            claimed = event.pop("hmac", "")
            if not hmac.compare_digest(claimed, self._keyed("audit", _canonical(event).decode())):
                report.problems.append(f"{name}: HMAC does not match (edited)")
            if event.get("seq") != number:
                report.problems.append(f"{name}: expected event {number} (one removed?)")
            if event.get("prev") != previous:
                report.problems.append(f"{name}: does not follow the event before it")
            previous = hashlib.sha256(data).hexdigest()

    def purge(self, older_than: timedelta, now: datetime | None = None) -> list[str]:
        """Delete calls written before ``now - older_than``: objects, then the entry."""
        cutoff = (now or datetime.now(UTC)) - older_than
        purged = []
        for call in self.calls():
            entry = self.manifest(call)
            if datetime.fromisoformat(entry["written_at"]) >= cutoff:
                continue
            for out in entry["outputs"].values():
                self.backend.delete(out["object"])
            self.backend.delete(self.manifest_name(call))
            self.audit("purge", call, "ok")
            purged.append(call)
        return purged

    def rewrap(self) -> int:
        """Re-wrap every object's data key for the current recipients (key rotation)."""
        if not self.keys.identities or not self.keys.recipients:
            raise StoreError("rewrap needs --key (to unwrap) and --recipient (to wrap for)")
        count = 0
        for call in self.calls():
            entry = self.manifest(call)
            entry.pop("hmac", None)
            for out in entry["outputs"].values():
                blob = self.backend.get(out["object"])
                try:
                    blob = crypto.rewrap(
                        blob, out["object"], self.keys.identities, self.keys.recipients
                    )
                except crypto.CryptoError as exc:
                    raise StoreError(f"{out['object']}: {exc}") from None
                self.backend.put(out["object"], blob)
                out.update(
                    bytes=len(blob),
                    sha256=hashlib.sha256(blob).hexdigest(),
                    key_ids=crypto.key_ids(blob),
                )
                count += 1
            entry["hmac"] = self._keyed("manifest", _canonical(entry).decode())
            self.backend.put(self.manifest_name(call), _canonical(entry))
            self.audit("rewrap", call, "ok")
        return count


def parse_age(text: str) -> timedelta:
    """ "90d", "12h", "30m" -> timedelta (a usage error otherwise)."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    try:
        number, unit = int(text[:-1]), units[text[-1]]
    except (ValueError, KeyError, IndexError):
        raise UsageError(f"not an age: {text!r} (use e.g. 90d, 12h, 30m)") from None
    return timedelta(**{unit: number})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreSink:
    """Writes each call's outputs into the encrypted store (``redactor run --store``).

    The driver's sink (built with the writer secret) plans and commits; workers' sinks
    need only the recipients' keys, since they write objects under the call id planned."""

    def __init__(self, store: Store, fingerprint: str = "", force: bool = False) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.force = force
        self._claimed: dict[str, str] = {}  # call id -> content sha256, for commit

    def describe(self) -> str:
        return self.store.backend.describe()

    def plan(self, index: int, source: Path, relative: Path) -> Job | FileResult:
        """Named by call id (file names may hold phone numbers, and the store never has
        them); skipped when stored before with the same settings, models and redactor
        version (unless --force); refused when another input of the run has its content."""
        content = file_sha256(source)
        call = self.store.call_id(content)
        label = f"call {call}"
        if call in self._claimed:
            return FileResult(relative, False, "same content as another input of this run", label)
        if self._done(call):
            return FileResult(relative, True, label=label, skipped=True)
        self._claimed[call] = content
        return Job(index, source, relative, label, ref=call)

    def _done(self, call: str) -> bool:
        if self.force or not self.store.has(call):
            return False
        entry = self.store.manifest(call)
        return entry.get("config") == self.fingerprint and entry.get("redactor_version") == (
            __version__
        )

    def write(self, job: Job, documents: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
        outputs = self.store.write_objects(
            job.ref, job.relative.as_posix(), documents, replace=True
        )
        return {"outputs": outputs, "meta": meta}

    def commit(self, job: Job, written: dict[str, Any]) -> None:
        content = self._claimed[job.ref]
        self.store.commit_call(
            job.ref, job.relative.as_posix(), content, written["outputs"], written["meta"]
        )


def open_store(
    uri: str,
    keys: list[str],
    writer_key: str = "",
    *,
    recipients: list[str] | None = None,
    original_recipients: list[str] | None = None,
    endpoint_url: str = "",
    region: str = "",
) -> Store:
    """A Store from a URI and key specs ("file:PATH", "env:NAME", "cred:NAME" or a path).

    ``keys`` are sorted into roles by kind (see StoreKeys.from_keys); ``recipients``, when
    given, replace the recipients those keys imply (rotation: read with old, wrap for new)."""
    try:
        loaded = [crypto.load_key(spec) for spec in keys]
        writer = crypto.load_key(writer_key) if writer_key else None
        targets = [crypto.load_key(spec) for spec in recipients or []]
        originals = [crypto.load_key(spec) for spec in original_recipients or []]
    except crypto.CryptoError as exc:
        raise StoreError(str(exc)) from None
    if writer is not None and not isinstance(writer, crypto.SymmetricKey):
        raise StoreError("--writer-key must be a symmetric key (redactor keys new makes one)")
    try:
        backend = open_backend(uri, endpoint_url=endpoint_url or None, region=region or None)
    except BackendError as exc:
        raise StoreError(f"cannot open the store: {exc}") from None
    if isinstance(backend, LocalBackend):
        backend.clean_temp()  # temp files of writes a crash interrupted over an hour ago
    roles = StoreKeys.from_keys(loaded, writer)
    if recipients is not None:
        if any(isinstance(k, crypto.PrivateKey) for k in targets):
            raise StoreError("a recipient must be a public or symmetric key, not a private key")
        roles = StoreKeys(StoreKeys.from_keys(targets).recipients, roles.identities, roles.secret)
    if originals:
        if any(isinstance(k, crypto.PrivateKey) for k in originals):
            raise StoreError("an original recipient must be a public or symmetric key")
        separate = StoreKeys.from_keys(originals).recipients
        if {k.key_id for k in separate} & {k.key_id for k in roles.recipients}:
            raise StoreError("the original recipients must differ from the --recipient keys")
        roles = dataclasses.replace(roles, original_recipients=separate)
    return Store(backend, roles)
