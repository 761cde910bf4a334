"""The encrypted store: every output encrypted per object, a manifest, an audit chain.

Layout under the store root (a folder or an S3 prefix, see ``backends.py``)::

    objects/<call>/<generation>/<kind>.enc   one encrypted object per output (kinds:
                                 formats.SUFFIXES); stores written before generations
                                 have objects/<call>/<kind>.enc, read the same way
    objects/<call>/<generation>/name.enc     the input's relative path, encrypted
    manifest/<call>.json         plaintext, no PII: keyed hashes, each object's name, size
                                 and ciphertext sha256, versions, time; carries an HMAC
    audit/<seq>.json, audit-head.json        the audit chain and its head (audit.py)

Each write of a call (a first run, or --force) puts its objects under a new generation,
then records the write in the audit chain, then puts the manifest entry (the switch), then
deletes the call's other objects. A crash at any point leaves the old entry with its old
objects, plus objects no entry names: a call is done only if its objects are exactly those
its entry names (``StoreSink.plan``), so the next run redoes it. Readers use the object
names the entry records.

``<call>`` is a keyed hash of the input's content: pseudonymous, stable across runs, and
never derived from the file name (which may hold a phone number). Keyed hashes and HMACs
use the writer secret; content is readable only with a reviewer's identity (crypto.py).
Purging a call deletes its objects and so its wrapped data keys: crypto-shredding.

This module writes and reads one call at a time; what walks the whole store (verify,
purge, rewrap, export) is in maintenance.py, and ``Store.verify()`` and its siblings
delegate there.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import hmac
import json
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redactor import __version__, crypto
from redactor.audit import AuditChain, authentic, digest, entry_problem, seal
from redactor.audit import now as utc_now
from redactor.backends import Backend, ObjectMissing, open_backend
from redactor.errors import IntegrityError, StoreError, UsageError
from redactor.fs import file_sha256
from redactor.jobs import FileResult, Job

if TYPE_CHECKING:  # maintenance.py imports this module
    from redactor.maintenance import VerifyReport

MANIFEST_SCHEMA = "redactor.manifest/1"
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


def object_record(name: str, blob: bytes) -> dict[str, Any]:
    """What a manifest entry records of one stored object (no content)."""
    return {
        "object": name,
        "bytes": len(blob),
        "sha256": digest(blob),
        "key_ids": crypto.key_ids(blob),
    }


def _derive(key: bytes, info: bytes) -> bytes:
    return hmac.new(key, info, hashlib.sha256).digest()


class Store:
    def __init__(self, backend: Backend, keys: StoreKeys, actor: str | None = None) -> None:
        self.backend = backend
        self.keys = keys
        self.actor = actor or f"{getpass.getuser()}@{socket.gethostname()}"
        self.chain = AuditChain(backend, self._keyed, self.actor)

    # -- names and hashes ---------------------------------------------------------------

    def _keyed(self, label: str, value: str) -> str:
        if not self.keys.secret:
            raise StoreError("no writer key: pass --writer-key (or a symmetric --key)")
        return hmac.new(self.keys.secret, f"{label}\0{value}".encode(), hashlib.sha256).hexdigest()

    def call_id(self, content_sha256: str) -> str:
        return self._keyed("call", content_sha256)[:24]

    @staticmethod
    def object_name(call: str, kind: str, generation: str) -> str:
        return f"objects/{call}/{generation}/{kind}.enc"

    @staticmethod
    def manifest_name(call: str) -> str:
        return f"manifest/{call}.json"

    # -- writing ------------------------------------------------------------------------

    def has(self, call: str) -> bool:
        return self.backend.exists(self.manifest_name(call))

    def write_objects(
        self, call: str, relative: str, documents: dict[str, bytes]
    ) -> dict[str, Any]:
        """Encrypt and store one call's outputs under a new generation, create-only (no
        manifest entry yet: see commit_call). Needs only the recipients' keys, not the
        writer secret: a worker elsewhere can do it."""
        if not self.keys.recipients:
            raise StoreError("no recipient key to encrypt for: pass --recipient")
        generation = secrets.token_hex(8)
        outputs = {}
        for kind, data in [*documents.items(), (NAME_KIND, relative.encode())]:
            name = self.object_name(call, kind, generation)
            recipients = self.keys.recipients
            if kind.startswith(ORIGINAL_PREFIX):
                recipients = self.keys.original_recipients
                if not recipients:
                    raise StoreError("--keep-original needs --original-recipient")
            blob = crypto.encrypt(data, name, recipients)
            self.backend.put_new(name, blob)
            outputs[kind] = object_record(name, blob)
        return outputs

    def commit_call(
        self,
        call: str,
        relative: str,
        content_sha256: str,
        outputs: dict[str, Any],
        meta: dict[str, Any],
    ) -> dict[str, Any]:
        """Record the write in the audit chain (with the entry's hash), put the manifest
        entry (the switch to the new objects), then delete the call's other objects."""
        entry = {
            "schema": MANIFEST_SCHEMA,
            "call": call,
            "input": self._keyed("input", content_sha256),
            "name": self._keyed("name", relative),
            "outputs": outputs,
            "redactor_version": __version__,
            **meta,
            "written_at": utc_now(),
        }
        self.put_entry(call, entry, "write")
        self._drop_unlisted(call, entry)
        return entry

    def put_entry(self, call: str, entry: dict[str, Any], action: str) -> None:
        """Seal ``entry`` as the call's manifest entry, recording ``action`` (with the
        entry's hash) first: a crash between the two leaves an entry the chain disowns,
        which verify reports and the next run (or rewrap) redoes."""
        entry.pop("hmac", None)
        raw = seal(entry, "manifest", self._keyed)
        self.audit(action, call, "ok", entry=digest(raw))
        self.backend.put(self.manifest_name(call), raw)

    def delete_call(self, call: str) -> None:
        """Delete a call's objects (so its wrapped data keys), then its entry; the caller
        records the event first (maintenance.purge)."""
        for name in self.backend.list(f"objects/{call}/"):
            self.backend.delete(name)
        self.backend.delete(self.manifest_name(call))

    def _drop_unlisted(self, call: str, entry: dict[str, Any]) -> None:
        """Objects of the call its entry does not name: an older generation, or a crashed
        write's."""
        keep = {out["object"] for out in entry["outputs"].values()}
        for name in self.backend.list(f"objects/{call}/"):
            if name not in keep:
                self.backend.delete(name)

    def write_call(
        self,
        call: str,
        relative: str,
        documents: dict[str, bytes],
        content_sha256: str,
        meta: dict[str, Any],
    ) -> dict[str, Any]:
        """write_objects then commit_call, in one process."""
        outputs = self.write_objects(call, relative, documents)
        return self.commit_call(call, relative, content_sha256, outputs, meta)

    # -- reading ------------------------------------------------------------------------

    def calls(self) -> list[str]:
        return [
            Path(name).stem for name in self.backend.list("manifest/") if name.endswith(".json")
        ]

    def manifest(self, call: str) -> dict[str, Any]:
        try:
            entry: dict[str, Any] = json.loads(self.backend.get(self.manifest_name(call)))
            return entry
        except ObjectMissing:
            raise StoreError(f"no call {call} in {self.backend.describe()}") from None

    def _object(self, call: str, kind: str, entry: dict[str, Any]) -> tuple[str, str]:
        """The object name and ciphertext sha256 the entry records for ``kind``."""
        out = entry.get("outputs", {}).get(kind)
        if not isinstance(out, dict) or not isinstance(out.get("object"), str):
            raise StoreError(f"call {call} has no {kind} object in its manifest entry")
        return out["object"], str(out.get("sha256", ""))

    def read(self, call: str, kind: str, entry: dict[str, Any] | None = None) -> bytes:
        """Decrypt one output, named as the call's manifest entry records it."""
        if not self.keys.identities:
            raise StoreError("no key to read with: pass --key (a private or symmetric key)")
        name, _ = self._object(call, kind, entry or self.manifest(call))
        try:
            return crypto.decrypt(self.backend.get(name), name, self.keys.identities)
        except ObjectMissing:
            raise StoreError(f"object {name} is missing from the store") from None
        except crypto.CryptoError as exc:
            raise StoreError(f"{name}: {exc}") from None

    def checked(
        self, call: str, kinds: list[str], expected: dict[str, str | None] | None
    ) -> dict[str, bytes]:
        """Decrypt ``kinds`` of a call only if it holds together as verify checks it: the
        entry's HMAC, the entry against the audit chain (``expected``, from
        ``chain.read()``; None skips that), each object's sha256 against the entry and its
        GCM tag. IntegrityError naming the call otherwise; StoreError for a key problem."""
        if not self.keys.identities:
            raise StoreError("no key to read with: pass --key (a private or symmetric key)")
        try:
            raw = self.backend.get(self.manifest_name(call))
        except ObjectMissing:
            raise StoreError(f"no call {call} in {self.backend.describe()}") from None
        try:
            entry = json.loads(raw)
        except ValueError:
            raise IntegrityError(f"call {call}: manifest entry is not JSON") from None
        if not self.entry_authentic(entry):
            raise IntegrityError(f"manifest of call {call}: HMAC does not match (edited)")
        problem = entry_problem(call, digest(raw), expected) if expected is not None else ""
        if problem:
            raise IntegrityError(problem)
        plain = {}
        for kind in kinds:
            name, sha256 = self._object(call, kind, entry)
            try:
                blob = self.backend.get(name)
            except ObjectMissing:
                raise IntegrityError(f"call {call}: {kind} object is missing") from None
            if digest(blob) != sha256:
                raise IntegrityError(f"call {call}: {kind} object changed (sha256)")
            try:
                plain[kind] = crypto.decrypt(blob, name, self.keys.identities)
            except crypto.TamperedError as exc:
                raise IntegrityError(f"call {call}: {kind}: {exc}") from None
            except crypto.CryptoError as exc:
                raise StoreError(f"{name}: {exc}") from None
        return plain

    def entry_authentic(self, entry: Any) -> bool:
        """Whether a parsed manifest entry carries this writer secret's HMAC."""
        return isinstance(entry, dict) and authentic(entry, "manifest", self._keyed)

    def require_secret(self) -> None:
        """Commands that add audit events need the writer secret, and the one that made
        this store: check both before anything is written."""
        self._keyed("check", "")
        self.chain.check_key()

    # -- audit --------------------------------------------------------------------------

    def audit(self, action: str, call: str | None, result: str, entry: str = "") -> None:
        """Append one event to the chain (and update its head): see audit.py."""
        self.chain.append(action, call, result, entry)

    # -- the whole store: maintenance.py -----------------------------------------------

    def verify(self) -> VerifyReport:
        """Check every entry, object and event: maintenance.verify."""
        from redactor import maintenance

        return maintenance.verify(self)

    def purge(self, older_than: timedelta, now: datetime | None = None) -> list[str]:
        """Delete calls written before ``now - older_than``: maintenance.purge."""
        from redactor import maintenance

        return maintenance.purge(self, older_than, now)

    def rewrap(self) -> int:
        """Re-wrap every object for the current recipients: maintenance.rewrap."""
        from redactor import maintenance

        return maintenance.rewrap(self)

    def export(self, dest: Path) -> Iterator[tuple[str, str]]:
        """Decrypt every call into ``dest``: maintenance.export."""
        from redactor import maintenance

        return maintenance.export(self, dest)


def parse_age(text: str) -> timedelta:
    """ "90d", "12h", "30m" -> timedelta (a usage error otherwise)."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    try:
        number, unit = int(text[:-1]), units[text[-1]]
    except (ValueError, KeyError, IndexError):
        raise UsageError(f"not an age: {text!r} (use e.g. 90d, 12h, 30m)") from None
    return timedelta(**{unit: number})


class StoreSink:
    """Writes each call's outputs into the encrypted store (``redactor run --store``).

    The driver's sink (built with the writer secret) plans and commits; workers' sinks
    need only the recipients' keys, since they write objects under the call id planned."""

    def __init__(self, store: Store, fingerprint: str = "", force: bool = False) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.force = force
        self._claimed: dict[str, str] = {}  # call id -> content sha256, for commit
        self._stored: dict[str, set[str]] | None = None  # call id -> its objects, listed once

    def describe(self) -> str:
        return self.store.backend.describe()

    def unread_label(self, index: int, relative: Path) -> str:
        return f"input {index + 1}"  # no content, so no call id; never the file name

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
        """Stored with these settings and version, and its objects are exactly those its
        entry names: a write that died before its switch, or after it but before the old
        generation was deleted, left others, and the call is redone."""
        if self._stored is None:
            # Once per run, before the first write: the writer secret must be this store's
            # (events under another would fail verify for ever); one LIST of every object.
            self.store.require_secret()
            self._stored = {}
            for name in self.store.backend.list("objects/"):
                self._stored.setdefault(name.split("/")[1], set()).add(name)
        if self.force or not self.store.has(call):
            return False
        entry = self.store.manifest(call)
        named = {out.get("object") for out in entry.get("outputs", {}).values()}
        return (
            entry.get("config") == self.fingerprint
            and entry.get("redactor_version") == __version__
            and named == self._stored.get(call, set())
        )

    def write(self, job: Job, documents: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
        outputs = self.store.write_objects(job.ref, job.relative.as_posix(), documents)
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
    create: bool = False,
) -> Store:
    """A Store from a URI and key specs ("file:PATH", "env:NAME", "cred:NAME" or a path).

    ``keys`` are sorted into roles by kind (see StoreKeys.from_keys); ``recipients``, when
    given, replace the recipients those keys imply (rotation: read with old, wrap for new).
    Only ``create`` (redactor run) makes a new store; otherwise a missing one is an error."""
    try:
        loaded = [crypto.load_key(spec) for spec in keys]
        writer = crypto.load_key(writer_key) if writer_key else None
        targets = [crypto.load_key(spec) for spec in recipients or []]
        originals = [crypto.load_key(spec) for spec in original_recipients or []]
    except crypto.CryptoError as exc:
        raise StoreError(str(exc)) from None
    if writer is not None and not isinstance(writer, crypto.SymmetricKey):
        raise StoreError("--writer-key must be a symmetric key (redactor keys new makes one)")
    backend = open_backend(
        uri, endpoint_url=endpoint_url or None, region=region or None, create=create
    )
    backend.clean_temp()  # leftovers of writes a crash interrupted over an hour ago
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
