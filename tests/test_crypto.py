"""Envelope encryption and key files: round trips, tampering, rotation, permissions."""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from redactor import crypto
from redactor.crypto import (
    CryptoError,
    DecryptError,
    KeyFileError,
    PrivateKey,
    PublicKey,
    SymmetricKey,
    TamperedError,
    decrypt,
    dump_key,
    encrypt,
    key_ids,
    load_key,
    new_keypair,
    new_symmetric_key,
    parse_key,
    read_key_file,
    rewrap,
    write_key_file,
)

PLAIN = b"Customer 4111 1111 1111 1111 said her name is Maria Silva."
NAME = "calls/2024-05-01/abc123/transcript.json"


def split(blob: bytes) -> tuple[dict[str, Any], bytes]:
    """Header dict and content ciphertext, parsed independently of the module under test."""
    (n,) = struct.unpack(">I", blob[8:12])
    return json.loads(blob[12 : 12 + n]), blob[12 + n :]


def seal(header: dict[str, Any], content: bytes) -> bytes:
    hb = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return crypto.MAGIC + struct.pack(">I", len(hb)) + hb + content


def identity_pair(kind: str) -> tuple[crypto.Recipient, crypto.Identity]:
    if kind == "x25519":
        priv = new_keypair()
        return priv.public(), priv
    sym = new_symmetric_key()
    return sym, sym


def secret_spellings(key: PrivateKey | SymmetricKey) -> list[str]:
    return [key.raw.hex(), base64.b64encode(key.raw).decode(), repr(key.raw)]


KINDS = ["x25519", "symmetric"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("plaintext", [PLAIN, b"", bytes(range(256)) * 100])
def test_round_trip(kind: str, plaintext: bytes) -> None:
    recipient, identity = identity_pair(kind)
    blob = encrypt(plaintext, NAME, [recipient])
    assert blob.startswith(crypto.MAGIC)
    assert plaintext == b"" or plaintext not in blob
    assert decrypt(blob, NAME, [identity]) == plaintext
    header, _ = split(blob)
    assert header["v"] == crypto.FORMAT_VERSION == 1
    assert header["object"] == NAME
    assert [r["kind"] for r in header["recipients"]] == [kind]


def test_two_recipients_each_identity_alone_decrypts() -> None:
    priv, sym = new_keypair(), new_symmetric_key()
    blob = encrypt(PLAIN, NAME, [priv.public(), sym])
    assert key_ids(blob) == [priv.key_id, sym.key_id]
    assert decrypt(blob, NAME, [priv]) == PLAIN
    assert decrypt(blob, NAME, [sym]) == PLAIN
    # An unrelated identity listed first must not stop a later matching one.
    assert decrypt(blob, NAME, [new_keypair(), sym]) == PLAIN


def test_private_key_id_is_its_public_key_id() -> None:
    priv = new_keypair()
    assert priv.key_id == priv.public().key_id
    assert len(priv.key_id) == 16 and int(priv.key_id, 16) >= 0
    assert isinstance(priv.public(), PublicKey) and len(priv.public().raw) == 32


@pytest.mark.parametrize("cls", [PublicKey, PrivateKey, SymmetricKey])
def test_key_objects_check_length_and_key_id(cls: type) -> None:
    raw = new_symmetric_key().raw
    with pytest.raises(CryptoError):
        cls("0" * 16, raw)  # key id that does not belong to the key
    with pytest.raises(CryptoError):
        cls(crypto._key_id(raw[:31]), raw[:31])


def test_writer_holding_only_a_public_key_cannot_read_back() -> None:
    reviewer = new_keypair()
    blob = encrypt(PLAIN, NAME, [reviewer.public()])
    # The writer has no private key for that recipient; any other identity fails.
    with pytest.raises(DecryptError):
        decrypt(blob, NAME, [new_keypair()])
    with pytest.raises(DecryptError):
        decrypt(blob, NAME, [])
    # Untyped callers might pass the public key itself: a clear refusal, not a false alarm.
    with pytest.raises(DecryptError, match="only encrypt"):
        decrypt(blob, NAME, [reviewer.public()])  # type: ignore[list-item]


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_key_names_both_key_ids_and_leaks_nothing(kind: str) -> None:
    recipient, right = identity_pair(kind)
    _, wrong = identity_pair(kind)
    blob = encrypt(PLAIN, NAME, [recipient])
    with pytest.raises(DecryptError) as exc:
        decrypt(blob, NAME, [wrong])
    message = str(exc.value)
    assert right.key_id in message and wrong.key_id in message
    for key in (right, wrong):
        for spelling in secret_spellings(key):
            assert spelling not in message
    assert PLAIN.decode() not in message


def regions(blob: bytes) -> dict[str, int]:
    """Offset of one byte inside each named part of a single-recipient x25519 blob."""
    header, _ = split(blob)
    (n,) = struct.unpack(">I", blob[8:12])
    entry = header["recipients"][0]

    def inside(value: str) -> int:
        return blob.index(value.encode()) + len(value) // 2

    return {
        "magic": 0,
        "header length": 11,
        "header version": blob.index(b'"v":1') + 4,
        "header object": inside(NAME),
        "header key id": inside(entry["key_id"]),
        "content nonce": inside(header["nonce"]),
        "ephemeral key": inside(entry["epk"]),
        "wrap nonce": inside(entry["nonce"]),
        "wrapped key": inside(entry["wrapped"]),
        "ciphertext": 12 + n + 3,
        "tag": len(blob) - 1,
    }


REGIONS = list(regions(encrypt(PLAIN, NAME, [new_keypair().public()])))


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("bit", [0x01, 0x80])
def test_flipping_a_byte_in_each_part_is_detected(region: str, bit: int) -> None:
    priv = new_keypair()
    blob = bytearray(encrypt(PLAIN, NAME, [priv.public()]))
    blob[regions(bytes(blob))[region]] ^= bit
    with pytest.raises(CryptoError) as exc:
        decrypt(bytes(blob), NAME, [priv])
    assert PLAIN.decode() not in str(exc.value)


@pytest.mark.parametrize("kind", KINDS)
def test_flipping_any_single_byte_never_yields_plaintext(kind: str) -> None:
    recipient, identity = identity_pair(kind)
    blob = encrypt(PLAIN, NAME, [recipient])
    for i in range(len(blob)):
        for bit in (0x01, 0x20):
            damaged = bytearray(blob)
            damaged[i] ^= bit
            with pytest.raises(CryptoError):
                decrypt(bytes(damaged), NAME, [identity])
                pytest.fail(f"byte {i} ^ {bit:#x} went unnoticed")


def test_authentication_failures_are_tampered_errors() -> None:
    priv = new_keypair()
    blob = bytearray(encrypt(PLAIN, NAME, [priv.public()]))
    blob[-1] ^= 1
    with pytest.raises(TamperedError):
        decrypt(bytes(blob), NAME, [priv])


@pytest.mark.parametrize("kind", KINDS)
def test_other_object_name_is_refused(kind: str) -> None:
    recipient, identity = identity_pair(kind)
    blob = encrypt(PLAIN, NAME, [recipient])
    with pytest.raises(TamperedError):
        decrypt(blob, "calls/other/transcript.json", [identity])
    # Also when the header is edited to claim the other name: the AEAD binds the real one.
    header, content = split(blob)
    moved = seal(header | {"object": "calls/other/transcript.json"}, content)
    with pytest.raises(TamperedError):
        decrypt(moved, "calls/other/transcript.json", [identity])


def spec_kek(entry: dict[str, str], identity: crypto.Identity) -> bytes:
    """The key-encryption key as the module docstring specifies it, computed independently."""
    if isinstance(identity, SymmetricKey):
        return HKDF(hashes.SHA256(), 32, None, b"redactor/v1/wrap").derive(identity.raw)
    epk = base64.b64decode(entry["epk"])
    shared = X25519PrivateKey.from_private_bytes(identity.raw).exchange(
        X25519PublicKey.from_public_bytes(epk)
    )
    return HKDF(hashes.SHA256(), 32, epk + identity.public().raw, b"redactor/v1/wrap").derive(
        shared
    )


def spec_decrypt(blob: bytes, name: str, identity: crypto.Identity) -> tuple[bytes, bytes]:
    """Decrypt by the documented format alone; returns (data key, plaintext)."""
    assert blob[:8] == b"RDCTENC1"
    header, content = split(blob)
    (entry,) = [r for r in header["recipients"] if r["key_id"] == identity.key_id]
    wrap_aad = b"redactor/v1/key\0" + name.encode() + b"\0" + identity.key_id.encode()
    data_key = AESGCM(spec_kek(entry, identity)).decrypt(
        base64.b64decode(entry["nonce"]), base64.b64decode(entry["wrapped"]), wrap_aad
    )
    nonce = base64.b64decode(header["nonce"])
    aad = b"redactor/v1\0" + name.encode() + b"\0" + nonce
    return data_key, AESGCM(data_key).decrypt(nonce, content, aad)


@pytest.mark.parametrize("kind", KINDS)
def test_blob_follows_the_documented_format(kind: str) -> None:
    recipient, identity = identity_pair(kind)
    blob = encrypt(PLAIN, NAME, [recipient])
    data_key, plaintext = spec_decrypt(blob, NAME, identity)
    assert plaintext == PLAIN and len(data_key) == 32
    header, _ = split(blob)
    assert set(header) == {"v", "object", "nonce", "recipients"}
    assert blob[12:].startswith(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())


def test_content_is_bound_to_its_name_even_with_a_valid_wrap() -> None:
    """Someone who can unwrap object A must not be able to pass its content off as B."""
    sym = new_symmetric_key()
    blob = encrypt(PLAIN, NAME, [sym])
    data_key, _ = spec_decrypt(blob, NAME, sym)
    header, content = split(blob)
    other = "calls/other/transcript.json"
    wnonce = os.urandom(12)
    wrap_aad = b"redactor/v1/key\0" + other.encode() + b"\0" + sym.key_id.encode()
    wrapped = AESGCM(spec_kek({}, sym)).encrypt(wnonce, data_key, wrap_aad)
    entry = header["recipients"][0] | {
        "nonce": base64.b64encode(wnonce).decode(),
        "wrapped": base64.b64encode(wrapped).decode(),
    }
    moved = seal(header | {"object": other, "recipients": [entry]}, content)
    with pytest.raises(TamperedError, match="content"):
        decrypt(moved, other, [sym])


def test_truncated_and_foreign_blobs() -> None:
    sym = new_symmetric_key()
    blob = encrypt(PLAIN, NAME, [sym])
    with pytest.raises(CryptoError, match="not a redactor encrypted object"):
        decrypt(b"PK\x03\x04" + blob, NAME, [sym])
    for cut in (4, 12, 40, len(blob) - 1):
        with pytest.raises(CryptoError):
            decrypt(blob[:cut], NAME, [sym])


def noncanonical_b64(text: str) -> str:
    """Same bytes, different text: set the unused low bits of the last base64 digit."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    body = text.rstrip("=")
    last = alphabet[alphabet.index(body[-1]) | 0b11]
    return body[:-1] + last + text[len(body) :]


def test_header_must_be_canonical_so_no_byte_changes_unnoticed() -> None:
    priv = new_keypair()
    blob = encrypt(PLAIN, NAME, [priv.public()])
    header, content = split(blob)
    hb = json.dumps(header, sort_keys=True, indent=1).encode()
    with pytest.raises(TamperedError):
        decrypt(crypto.MAGIC + struct.pack(">I", len(hb)) + hb + content, NAME, [priv])
    entry = header["recipients"][0]
    assert base64.b64decode(noncanonical_b64(entry["epk"])) == base64.b64decode(entry["epk"])
    odd = header | {"recipients": [entry | {"epk": noncanonical_b64(entry["epk"])}]}
    with pytest.raises(TamperedError):
        decrypt(seal(odd, content), NAME, [priv])
    assert decrypt(seal(header, content), NAME, [priv]) == PLAIN  # the test helper is faithful


def test_unknown_format_version_is_named() -> None:
    sym = new_symmetric_key()
    header, content = split(encrypt(PLAIN, NAME, [sym]))
    with pytest.raises(CryptoError, match="format version 2 not supported"):
        decrypt(seal(header | {"v": 2}, content), NAME, [sym])


def test_every_encryption_uses_a_fresh_data_key_and_nonce() -> None:
    sym = new_symmetric_key()
    a, b = encrypt(PLAIN, NAME, [sym]), encrypt(PLAIN, NAME, [sym])
    (ha, ca), (hb, cb) = split(a), split(b)
    assert a != b
    assert ha["nonce"] != hb["nonce"]
    assert ca != cb
    assert ha["recipients"][0]["wrapped"] != hb["recipients"][0]["wrapped"]
    # Same nonce-independent check for x25519: fresh ephemeral key every time.
    pub = new_keypair().public()
    ea, eb = (split(encrypt(PLAIN, NAME, [pub]))[0]["recipients"][0]["epk"] for _ in range(2))
    assert ea != eb


@pytest.mark.parametrize("old_kind", KINDS)
@pytest.mark.parametrize("new_kind", KINDS)
def test_rewrap_replaces_recipients_and_keeps_content(old_kind: str, new_kind: str) -> None:
    old_recipient, old_identity = identity_pair(old_kind)
    new_recipient, new_identity = identity_pair(new_kind)
    blob = encrypt(PLAIN, NAME, [old_recipient])
    rewrapped = rewrap(blob, NAME, [old_identity], [new_recipient])
    assert key_ids(rewrapped) == [new_identity.key_id]
    assert old_identity.key_id not in key_ids(rewrapped)
    assert split(rewrapped)[1] == split(blob)[1]  # content ciphertext byte-identical
    assert split(rewrapped)[0]["nonce"] == split(blob)[0]["nonce"]
    assert decrypt(rewrapped, NAME, [new_identity]) == PLAIN
    with pytest.raises(DecryptError):
        decrypt(rewrapped, NAME, [old_identity])
    assert decrypt(blob, NAME, [old_identity]) == PLAIN  # old objects stay readable


def test_rewrap_needs_a_current_identity_and_the_right_name() -> None:
    priv = new_keypair()
    blob = encrypt(PLAIN, NAME, [priv.public()])
    with pytest.raises(DecryptError):
        rewrap(blob, NAME, [new_keypair()], [new_symmetric_key()])
    with pytest.raises(TamperedError):
        rewrap(blob, "elsewhere", [priv], [new_symmetric_key()])
    with pytest.raises(CryptoError):
        rewrap(blob, NAME, [priv], [])


def test_no_recipients_and_oversized_plaintext_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(CryptoError):
        encrypt(PLAIN, NAME, [])
    monkeypatch.setattr(crypto, "_MAX_PLAINTEXT", 16)
    with pytest.raises(CryptoError, match="too large"):
        encrypt(b"x" * 17, NAME, [new_symmetric_key()])
    assert encrypt(b"x" * 16, NAME, [new_symmetric_key()])


def test_repr_does_not_show_secret_key_bytes() -> None:
    for key in (new_keypair(), new_symmetric_key()):
        text = repr(key) + str(key)
        assert key.key_id in text
        for spelling in secret_spellings(key):
            assert spelling not in text


ALL_KEYS: dict[str, Callable[[], crypto.AnyKey]] = {
    "x25519-public": lambda: new_keypair().public(),
    "x25519-private": new_keypair,
    "symmetric": new_symmetric_key,
}


@pytest.mark.parametrize("kind", list(ALL_KEYS))
def test_key_text_round_trip(kind: str) -> None:
    key = ALL_KEYS[kind]()
    text = dump_key(key)
    assert text.splitlines()[0] == f"redactor-key-v1 {kind} {key.key_id}".encode()
    assert parse_key(text, "test") == key
    assert parse_key(text.replace(b"\n", b" ").strip(), "test") == key  # one-line form (env)


@pytest.mark.parametrize(
    ("kind", "mode"), [("x25519-public", 0o644), ("x25519-private", 0o600), ("symmetric", 0o600)]
)
def test_key_file_round_trip_and_mode(tmp_path: Path, kind: str, mode: int) -> None:
    old_umask = os.umask(0o077 if mode == 0o644 else 0o000)  # mode must not depend on umask
    try:
        key = ALL_KEYS[kind]()
        path = tmp_path / "k.key"
        write_key_file(path, key)
    finally:
        os.umask(old_umask)
    assert path.stat().st_mode & 0o777 == mode
    assert read_key_file(path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["k.key"]  # no temp file left behind


@pytest.mark.parametrize("kind", ["x25519-private", "symmetric"])
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o610])
def test_secret_key_file_readable_by_others_is_refused(
    tmp_path: Path, kind: str, mode: int
) -> None:
    path = tmp_path / "secret.key"
    write_key_file(path, ALL_KEYS[kind]())
    path.chmod(mode)
    with pytest.raises(KeyFileError) as exc:
        read_key_file(path)
    message = str(exc.value)
    assert str(path) in message and f"{mode:04o}" in message and "chmod 600" in message
    with pytest.raises(KeyFileError):
        load_key(f"file:{path}")
    path.chmod(0o400)
    assert isinstance(read_key_file(path), (PrivateKey, SymmetricKey))  # 0400 is fine


def test_public_key_file_may_be_world_readable(tmp_path: Path) -> None:
    path = tmp_path / "reviewers.pub"
    key = new_keypair().public()
    write_key_file(path, key)
    path.chmod(0o644)
    assert read_key_file(path) == key


def test_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    first = new_symmetric_key()
    write_key_file(path, first)
    with pytest.raises(KeyFileError, match="already exists"):
        write_key_file(path, new_symmetric_key())
    assert read_key_file(path) == first
    assert [p.name for p in tmp_path.iterdir()] == ["k.key"]


def test_load_key_from_each_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = new_symmetric_key()
    path = tmp_path / "k.key"
    write_key_file(path, key)
    assert load_key(f"file:{path}") == key
    assert load_key(str(path)) == key
    monkeypatch.setenv("REDACTOR_KEY", dump_key(key).decode())
    assert load_key("env:REDACTOR_KEY") == key
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert load_key("cred:k.key") == key


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("env:REDACTOR_MISSING_KEY", "REDACTOR_MISSING_KEY is not set"),
        ("cred:missing", "missing"),
        ("cred:../k.key", "invalid credential name"),
        ("file:/nonexistent/redactor.key", "/nonexistent/redactor.key"),
    ],
)
def test_load_key_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str, expected: str
) -> None:
    monkeypatch.delenv("REDACTOR_MISSING_KEY", raising=False)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    with pytest.raises(KeyFileError, match=expected):
        load_key(spec)


def test_cred_without_credentials_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    with pytest.raises(KeyFileError, match="CREDENTIALS_DIRECTORY is not set"):
        load_key("cred:redactor-key")


def test_bad_env_key_names_the_variable_not_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACTOR_KEY", "hunter2-secret-value")
    with pytest.raises(KeyFileError) as exc:
        load_key("env:REDACTOR_KEY")
    assert "environment variable REDACTOR_KEY" in str(exc.value)
    assert "hunter2" not in str(exc.value)


def _garbage() -> dict[str, bytes]:
    sym = new_symmetric_key()
    good = dump_key(sym).decode()
    tag, kind, kid, b64 = good.split()
    other_id = new_symmetric_key().key_id
    return {
        "binary": b"\xffSECRETGARBAGE\x00\x01",
        "one word": b"SECRETGARBAGE",
        "wrong tag": f"ssh-ed25519 {kind} {kid} {b64}".encode(),
        "wrong kind": f"{tag} rsa {kid} {b64}".encode(),
        "bad base64": f"{tag} {kind} {kid} SECRET!GARBAGE".encode(),
        "short key": f"{tag} {kind} {kid} {base64.b64encode(b'SECRETGARBAGE').decode()}".encode(),
        "wrong key id": f"{tag} {kind} {other_id} {b64}".encode(),
        "extra token": good.encode() + b" SECRETGARBAGE",
    }


@pytest.mark.parametrize("case", list(_garbage()))
def test_parse_key_rejects_garbage_without_echoing_it(case: str) -> None:
    data = _garbage()[case]
    with pytest.raises(KeyFileError) as exc:
        parse_key(data, "/etc/redactor/key")
    message = str(exc.value)
    assert "/etc/redactor/key" in message
    assert "SECRET" not in message and "GARBAGE" not in message
    for token in data.split()[3:]:
        assert token.decode(errors="replace") not in message  # base64 key text
