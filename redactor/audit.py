"""The store's audit chain and its head.

Layout under the store root::

    audit/<seq>.json    one event per action: time, actor, action, call id, result, the
                        previous event's sha256, an HMAC; a write or rewrap event also
                        carries the sha256 of the manifest entry it made (``entry``)
    audit-head.json     the number of events and the last one's sha256, with an HMAC;
                        rewritten after each event

The chain alone shows an event removed or edited in the middle, but not the last events
removed: the head does. The ``entry`` hashes tie each call's manifest entry to the chain,
both ways (``entry_problem``): an entry rolled back to an older one, or a call deleted
whole, no longer matches the chain's last word on it.

Everything here is authenticated with the writer secret only: whoever holds it can forge all
of it, and a copy of the whole store (head included) taken earlier verifies as well as the
store it was taken from (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from redactor.backends import Backend, ObjectExists, ObjectMissing
from redactor.errors import StoreError

#: /2: write and rewrap events carry their manifest entry's sha256, and a head is kept.
AUDIT_SCHEMA = "redactor.audit/2"
HEAD_SCHEMA = "redactor.audit-head/1"
HEAD_NAME = "audit-head.json"
EVENTS = "audit/"
#: Events that leave a manifest entry behind (their ``entry``) and the one that removes it.
SETS_ENTRY = ("write", "rewrap")
REMOVES_ENTRY = "purge"

#: ``keyed(label, text)``: an HMAC with the writer secret (Store._keyed); raises StoreError
#: when there is no secret.
Keyed = Callable[[str, str], str]


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def seal(document: dict[str, Any], label: str, keyed: Keyed) -> bytes:
    """The document's bytes with an HMAC over everything else in it."""
    return canonical({**document, "hmac": keyed(label, canonical(document).decode())})


def authentic(document: dict[str, Any], label: str, keyed: Keyed) -> bool:
    body = {k: v for k, v in document.items() if k != "hmac"}
    claimed = document.get("hmac")
    expected = keyed(label, canonical(body).decode())
    return isinstance(claimed, str) and hmac.compare_digest(claimed, expected)


@dataclass
class ChainReport:
    events: int = 0
    problems: list[str] = field(default_factory=list)
    #: Per call, what the chain's last write, rewrap or purge event says of its manifest
    #: entry: its sha256; "" from an event older than schema /2 (it does not say); None
    #: after a purge (there must be no entry).
    expected: dict[str, str | None] = field(default_factory=dict)


def entry_problem(call: str, entry_sha256: str | None, expected: dict[str, str | None]) -> str:
    """What is wrong between a call's manifest entry (its sha256, None when it has none)
    and the audit chain; "" when they agree."""
    if entry_sha256 is None:
        if expected.get(call) is not None:
            return f"call {call}: the audit chain records its write, but it has no manifest entry"
        return ""
    if call not in expected:
        return f"manifest entry of call {call}: no write event for it in the audit chain"
    recorded = expected[call]
    if recorded is None:
        return f"manifest entry of call {call}: the audit chain records the call purged"
    if recorded and recorded != entry_sha256:
        return (
            f"manifest entry of call {call} is not the one its last audit event recorded "
            "(rolled back or replaced)"
        )
    return ""


class AuditChain:
    def __init__(self, backend: Backend, keyed: Keyed, actor: str) -> None:
        self.backend = backend
        self.keyed = keyed
        self.actor = actor
        self._position: tuple[int, str] | None = None  # (last seq, its sha256), cached

    def _names(self) -> list[str]:
        return sorted(self.backend.list(EVENTS))

    def _last(self) -> tuple[int, str]:
        if self._position is None:
            names = self._names()
            if not names:
                self._position = (0, "")
            else:
                data = self.backend.get(names[-1])
                self._position = (json.loads(data)["seq"], digest(data))
        return self._position

    def append(self, action: str, call: str | None, result: str, entry: str = "") -> None:
        """One event, create-only (two writers never share a number), then the head.
        ``entry``: the sha256 of the manifest entry a write or rewrap is about to put."""
        while True:
            seq, previous = self._last()
            event: dict[str, Any] = {
                "schema": AUDIT_SCHEMA,
                "seq": seq + 1,
                "time": now(),
                "actor": self.actor,
                "action": action,
                "call": call,
                "result": result,
                "prev": previous,
            }
            if entry:
                event["entry"] = entry
            data = seal(event, "audit", self.keyed)
            try:
                self.backend.put_new(f"{EVENTS}{seq + 1:012d}.json", data)
            except ObjectExists:
                self._position = None  # another writer got there first: re-read
                continue
            self._position = (seq + 1, digest(data))
            break
        # A crash (or a concurrent writer) can leave the head an event or so behind the
        # chain; read() accepts that, never a head ahead of the chain.
        head = {"schema": HEAD_SCHEMA, "events": seq + 1, "last": digest(data), "time": now()}
        self.backend.put(HEAD_NAME, seal(head, "head", self.keyed))

    def check_key(self) -> None:
        """StoreError unless our writer secret made this chain (its head, or its last event
        in a store older than heads). Checked before anything is written: events under
        another key would make every later verify fail."""
        try:
            data, label, what = self.backend.get(HEAD_NAME), "head", "audit head"
        except ObjectMissing:
            names = self._names()
            if not names:
                return  # a new store: nothing to check against
            data, label, what = self.backend.get(names[-1]), "audit", "last audit event"
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        if not isinstance(document, dict) or not authentic(document, label, self.keyed):
            raise StoreError(
                f"the writer key does not match this store ({what} {self.backend.describe()}"
                " has another HMAC): wrong --writer-key? `redactor verify` tells tampering"
            )

    def read(self) -> ChainReport:
        """Every event in order: numbers, links, HMACs; then the head."""
        report = ChainReport()
        hashes: list[str] = []
        any_v2 = False
        for number, name in enumerate(self._names(), 1):
            data = self.backend.get(name)
            report.events += 1
            hashes.append(digest(data))
            previous = hashes[-2] if len(hashes) > 1 else ""
            try:
                event = json.loads(data)
                if not isinstance(event, dict):
                    raise ValueError
            except ValueError:
                report.problems.append(f"{name}: not a JSON object")
                continue
            if not authentic(event, "audit", self.keyed):
                report.problems.append(f"{name}: HMAC does not match (edited)")
            if event.get("seq") != number:
                report.problems.append(f"{name}: expected event {number} (one removed?)")
            if event.get("prev") != previous:
                report.problems.append(f"{name}: does not follow the event before it")
            any_v2 = any_v2 or event.get("schema") == AUDIT_SCHEMA
            call, action = event.get("call"), event.get("action")
            if isinstance(call, str) and action in SETS_ENTRY and event.get("result") == "ok":
                report.expected[call] = str(event.get("entry", ""))
            elif isinstance(call, str) and action == REMOVES_ENTRY:
                report.expected[call] = None
        report.problems += self._head_problems(hashes, any_v2)
        return report

    def _head_problems(self, hashes: list[str], required: bool) -> list[str]:
        try:
            data = self.backend.get(HEAD_NAME)
        except ObjectMissing:
            # Stores written before heads have none; any event of schema /2 wrote one.
            return [f"{HEAD_NAME} is missing (removed?)"] if required else []
        try:
            head = json.loads(data)
            count, last = int(head["events"]), str(head["last"])
        except (ValueError, KeyError, TypeError):
            return [f"{HEAD_NAME}: not a valid audit head"]
        if not authentic(head, "head", self.keyed):
            return [f"{HEAD_NAME}: HMAC does not match (edited)"]
        if count > len(hashes):
            return [
                f"{HEAD_NAME} records {count} audit events, the chain has {len(hashes)}: "
                "the last events were removed"
            ]
        if (hashes[count - 1] if count else "") != last:
            return [f"{HEAD_NAME}: audit event {count} is not the one it records (replaced)"]
        return []
