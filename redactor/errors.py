"""Typed errors raised by the library; the CLI alone turns them into messages and exit codes.

Messages never contain transcript text or PII values: they name the problem only.
"""

from __future__ import annotations

# Exit codes of the command line (sysexits-style where one exists).
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 69  # EX_UNAVAILABLE: a service (the S3 store) cannot be reached
EXIT_CONFIG = 78  # EX_CONFIG: bad configuration or missing/corrupt model


class RedactorError(Exception):
    """Base class of every error redactor raises on purpose."""

    exit_code = EXIT_SOME_FAILED


class ConfigError(RedactorError):
    """The configuration file or an option value is invalid."""

    exit_code = EXIT_CONFIG


class ModelError(RedactorError):
    """A model is missing, incomplete or cannot be loaded."""

    exit_code = EXIT_CONFIG


class UsageError(RedactorError):
    """The command line asks for something impossible (no inputs, bad output folder...)."""

    exit_code = EXIT_USAGE


class InputError(RedactorError):
    """One input file cannot be processed; other inputs go on."""

    exit_code = EXIT_SOME_FAILED


class DetectionIncomplete(InputError):
    """Detection could not look at all of a transcript: one of its patterns timed out
    (Presidio would skip it and go on). The call fails and nothing of it is written."""


class StoreError(RedactorError):
    """The encrypted store cannot be used as asked: a missing or wrong key, a missing call,
    no store where one was named."""

    exit_code = EXIT_CONFIG


class UnavailableError(RedactorError):
    """A service we depend on cannot be reached (connection refused, timeouts, server errors
    after retries): likely to pass, unlike bad configuration or credentials."""

    exit_code = EXIT_UNAVAILABLE


class IntegrityError(RedactorError):
    """The store does not match its manifest or audit chain: refused, never used."""

    exit_code = EXIT_SOME_FAILED
