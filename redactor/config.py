"""All settings in one dataclass, loaded from an optional TOML file; flags override it.

The TOML file holds the same names as the fields below, at top level::

    language = "pt"
    model = "base"
    padding = 0.2
    operator = "mask"

but for the reliability thresholds, which are a table of their own::

    [reliability]
    degraded_share = 0.15
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from redactor import languages, models
from redactor.errors import ConfigError, UsageError

#: Language codes, from the registry in redactor/languages/.
LANGUAGES = tuple(languages.LANGUAGES)
#: Whisper model names we know how to find under the models folder.
MODEL_DIRS = {"base": "whisper-base", "tiny.en": "whisper-tiny.en"}
CHOICES: dict[str, tuple[str, ...]] = {
    "language": (*LANGUAGES, "auto"),
    "compute_type": ("int8", "int8_float32", "float32"),
    "bleep": ("tone", "silence"),
    "operator": ("tag", "mask", "hash"),
    "untranscribed": ("bleep", "flag"),
    "unreliable": ("bleep", "flag"),
    "dtmf": ("bleep", "flag", "off"),
    "unusable": ("bleep", "fail"),
    "channels": ("split", "mix"),
}


def default_models_dir() -> Path:
    """``$REDACTOR_MODELS_DIR``, else ``models/`` in the source checkout, else the user's
    data folder: ``$XDG_DATA_HOME/redactor/models`` (``~/.local/share/redactor/models``)."""
    return models.default_dir()


#: Whisper's mean token log-probability below which a call is degraded, for a language
#: that sets no bar of its own (``Language.degraded_logprob``).
DEFAULT_LOGPROB = -0.4


@dataclass(frozen=True)
class Reliability:
    """When a transcript is not to be trusted (redactor/reliability.py: one rule each)."""

    # A run of this many words in a row, each whisper gave less than min_word_probability.
    doubtful_run: int = 4
    min_word_probability: float = 0.3
    # A segment whose tokens average less log-probability than this (whisper: -1.0).
    min_avg_logprob: float = -1.0
    # A segment whose text compresses this well repeats itself (whisper: 2.4).
    max_compression_ratio: float = 2.4
    # The same 2+ words this many times in a row (a single word: twice as many).
    loop_repeats: int = 3
    # More words per second than a person says, in a segment of a second or more.
    max_words_per_second: float = 6.0
    # A run of this many words each lasting under 20 ms (their times collapsed).
    collapsed_run: int = 3
    # This many amounts of money within six words ("$713, $799, $693").
    money_run: int = 3
    # A channel in which whisper hears another of our languages at least this likely.
    other_language: float = 0.5
    # On a call whose verdict is not good, a word whose Zipf frequency in the call's
    # language (wordfreq) is below this is no word of it (unlisted words: 0). 0: off.
    min_word_zipf: float = 2.0
    # A word (no digits) lasting longer than this, on a call whisper doubts: its times
    # stretched over speech it did not write.
    max_word_seconds: float = 2.0
    # Share of a channel's speech that is unreliable or untranscribed from which the call
    # is degraded, and unusable.
    degraded_share: float = 0.1
    unusable_share: float = 0.5
    # A channel whose words whisper decoded with a mean token log-probability below this
    # (each word its segment's, weighted by its length) is degraded at least. None: the
    # language's own (``Language.degraded_logprob``: en -0.35, es -0.45, pt -0.5).
    degraded_logprob: float | None = None

    def logprob_bar(self, language: str) -> float:
        """``degraded_logprob``, or where it is not set, ``language``'s own."""
        if self.degraded_logprob is not None:
            return self.degraded_logprob
        known = languages.LANGUAGES.get(language)
        bar = known.degraded_logprob if known else None
        return DEFAULT_LOGPROB if bar is None else bar


@dataclass
class Config:
    # What is said in the calls: a code of LANGUAGES, or auto (unreliable on short calls).
    language: str = "pt"
    # Whisper model: a name from MODEL_DIRS or a path to a CTranslate2 model folder.
    model: str = "base"
    models_dir: Path = field(default_factory=default_models_dir)
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: all cores
    beam_size: int = 5
    # 0: whisper decodes the call sequentially; N > 0: in batches of N VAD-cut pieces
    # (faster-whisper's BatchedInferencePipeline; see docs/performance.md for the trade).
    batch_size: int = 8
    # Presidio results below this score are dropped.
    score_threshold: float = 0.3
    # Entity types to report (empty: all that the recognizers support).
    entities: list[str] = field(default_factory=list)
    # Recognizer class names to switch off, ours or Presidio's.
    disabled_recognizers: list[str] = field(default_factory=list)
    # Names of the business's own products and companies: never redacted as PERSON/LOCATION.
    not_pii: list[str] = field(default_factory=list)
    # How entities are replaced in text: <TAG>, ***** or a salted hash.
    operator: str = "tag"
    hash_salt: str = ""
    # Seconds added on each side of a bleep.
    padding: float = 0.15
    bleep: str = "tone"
    tone_hz: float = 1000.0
    # Speech that produced no words: bleep it (fail closed) or only flag it for review.
    untranscribed: str = "bleep"
    # Shortest stretch of wordless speech worth reporting, in seconds.
    min_untranscribed: float = 0.4
    # Speech whose words cannot be trusted (loops, another script, collapsed times...):
    # bleep it (fail closed) or only flag it. Its words are tagged in the text either way.
    unreliable: str = "bleep"
    # A call whose transcript is unusable: bleep all its speech, or fail it.
    unusable: str = "bleep"
    # Keypad tones (DTMF, redactor/dtmf.py): bleep each keyed sequence, only flag it, or
    # do not look for them. Their words are replaced by <DTMF> in the text unless "off".
    dtmf: str = "bleep"
    # Decode unreliable stretches a second way (sequential, temperature fallback, just the
    # stretch); where that pass is reliable, its words replace the first's.
    recover: bool = True
    reliability: Reliability = field(default_factory=Reliability)
    # Inputs outside these durations (seconds) are refused with a reason, as are silent ones.
    min_duration: float = 0.5
    max_duration: float = 4 * 3600.0
    # Stereo calls: transcribe and bleep each channel (agent, caller) on its own, or mix.
    channels: str = "split"
    # Encrypted store (redactor run --store): a folder or s3://bucket/prefix, the keys that
    # may read it ("file:PATH", "env:NAME", "cred:NAME"), and the writer secret for keyed
    # hashes and the audit chain. S3 endpoint and region, else the usual AWS settings.
    store: str = ""
    recipients: list[str] = field(default_factory=list)
    writer_key: str = ""
    s3_endpoint: str = ""
    s3_region: str = ""
    # Also store the original audio and transcript (CVV, PIN and passwords still removed),
    # encrypted for these other recipients only. Off by default: data minimisation.
    keep_original: bool = False
    original_recipients: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} must be one of {', '.join(allowed)}")
        for name in ("padding", "min_untranscribed", "score_threshold"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must not be negative")
        if self.score_threshold > 1:
            raise ConfigError("score_threshold must be between 0 and 1")
        if self.cpu_threads < 0 or self.beam_size < 1:
            raise ConfigError("cpu_threads must be >= 0 and beam_size >= 1")
        if not 20 <= self.tone_hz <= 4000:
            raise ConfigError("tone_hz must be between 20 and 4000")
        if self.hash_salt and len(self.hash_salt.encode()) < 16:
            raise ConfigError("hash_salt must be at least 16 bytes (keep it secret)")
        self.models_dir = Path(self.models_dir)

    @property
    def threads(self) -> int:
        return self.cpu_threads or os.cpu_count() or 1

    def model_path(self) -> Path:
        if self.model in MODEL_DIRS:
            return self.models_dir / MODEL_DIRS[self.model]
        return Path(self.model)

    def replace(self, **changes: Any) -> Config:
        """A copy with the given fields changed; ``None`` values are ignored (unset flags)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def check_run(self, out_given: bool, warn: Callable[[str], None]) -> None:
        """The rules of `redactor run` (``out_given``: --out was passed). Warnings go to
        ``warn``, all of them before any rule broken raises UsageError."""
        if self.language == "auto":
            warn(
                "automatic language detection is unreliable on short or poor audio; "
                "pass --language for production runs"
            )
        if out_given == bool(self.store):
            raise UsageError("give either --out FOLDER or --store URI (or `store` in the config)")
        if self.keep_original and out_given:
            raise UsageError("--keep-original works only with --store (originals are encrypted)")
        if self.keep_original and not self.original_recipients:
            raise UsageError("--keep-original needs --original-recipient (a key of its own)")

    def check_text(self) -> None:
        """The rule of `redactor text`: the language is named (text has no audio to guess from)."""
        if self.language == "auto":
            raise UsageError(f"redactor text needs --language {languages.listed(' or')}")

    def fingerprint(self) -> str:
        """A hash of what changes a call's outputs: the settings (not where outputs go) and
        the models (the models manifest, which lists every model file's sha256). Ray
        workers must have the driver's: the driver checks."""
        where = {
            "models_dir",
            "cpu_threads",
            "store",
            "recipients",
            "writer_key",
            "s3_endpoint",
            "s3_region",
        }
        settings = {k: v for k, v in dataclasses.asdict(self).items() if k not in where}
        manifest = self.models_dir / "manifest.json"  # `models fetch` copies it there
        if not manifest.is_file():  # a models folder made by hand: the package's manifest
            manifest = models.MANIFEST
        if manifest.is_file():
            settings["models"] = hashlib.sha256(manifest.read_bytes()).hexdigest()
        return hashlib.sha256(
            json.dumps(settings, sort_keys=True, default=str).encode()
        ).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["models_dir"] = str(self.models_dir)
        data["hash_salt"] = "***" if self.hash_salt else ""
        return data


def load_config(path: Path | None) -> Config:
    """Read a TOML config file (or return the defaults); unknown keys and bad types are errors."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.__class__.__name__}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    hints = get_type_hints(Config)
    known = {f.name for f in dataclasses.fields(Config)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    for key, value in data.items():
        if not _type_ok(hints[key], value):
            raise ConfigError(f"setting {key!r} in {path} has the wrong type")
    if "reliability" in data:
        data["reliability"] = reliability_from(data["reliability"])
    return Config(**data)


def reliability_from(table: dict[str, Any]) -> Reliability:
    """The [reliability] table of a config file; unknown keys and bad types are errors."""
    hints = get_type_hints(Reliability)
    unknown = sorted(set(table) - set(hints))
    if unknown:
        raise ConfigError(f"unknown setting(s) in [reliability]: {', '.join(unknown)}")
    for key, value in table.items():
        # a log-probability is negative; the type is checked first ("x" < 0 would raise)
        if not _type_ok(hints[key], value) or (value < 0 and not key.endswith("logprob")):
            raise ConfigError(f"setting {key!r} in [reliability] has the wrong type or sign")
    found = Reliability(**table)
    if not 0 < found.degraded_share <= found.unusable_share <= 1:
        raise ConfigError("[reliability]: 0 < degraded_share <= unusable_share <= 1")
    return found


def _type_ok(hint: Any, value: Any) -> bool:
    if hint is Reliability:
        return isinstance(value, dict)
    if hint is bool:
        return isinstance(value, bool)
    if hint is float or hint == float | None:  # None: unset (TOML has no null)
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is str or hint is Path:
        return isinstance(value, str)
    if hint == list[str]:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return False
