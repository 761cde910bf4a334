"""Shared fixtures: model paths, synthetic audio, a fake transcriber for fast pipeline tests."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf
from av.audio.stream import AudioStream

os.environ["HF_HUB_OFFLINE"] = "1"

from redactor.asr import AsrResult  # noqa: E402
from redactor.backends import Backend, LocalBackend, S3Backend, open_backend  # noqa: E402
from redactor.config import Config, default_models_dir  # noqa: E402
from redactor.types import Gap, Segment, Stretch, Word  # noqa: E402
from tests.s3server import S3Server, s3_server  # noqa: E402, F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: The sample calls that are speech: one per language (the keyed ones, *-dtmf, aside), for
#: the engine and batch tests, which need a few real calls and not every sample.
SPOKEN_SAMPLES = sorted(p for p in SAMPLES.glob("*/*.wav") if not p.stem.endswith("-dtmf"))
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """The assembled models; `make test` runs `make models` first, so absence is a failure."""
    path = default_models_dir()
    needed_files = (
        "whisper-base/model.bin",
        "spacy-en/config.cfg",
        "ner-es/config.cfg",
        "ner-pt/config.cfg",
    )
    for needed in needed_files:
        if not (path / needed).is_file():
            pytest.fail(f"model file {path / needed} missing: run `make models`")
    return path


@pytest.fixture(scope="session")
def config(models_dir: Path) -> Config:
    return Config(models_dir=models_dir, cpu_threads=2)


def tone(
    seconds: float, rate: int = 8000, hz: float = 440.0, channels: int = 1, level: float = 0.3
) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.repeat(mono[:, None], channels, axis=1)


def write_wav(path: Path, samples: np.ndarray, rate: int = 8000, subtype: str = "PCM_16") -> Path:
    sf.write(path, samples, rate, subtype=subtype)
    return path


def encode(path: Path, samples: np.ndarray, rate: int, codec: str) -> Path:
    """Encode float samples (frames, channels) with PyAV: mp3, aac (m4a), opus, flac."""
    layout = "mono" if samples.shape[1] == 1 else "stereo"
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, AudioStream), codec  # narrows: an audio codec's stream
        formats = stream.codec_context.codec.audio_formats
        assert formats, codec
        fmt = formats[0].name
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples.T if fmt.endswith("p") else samples.reshape(1, -1)),
            format="fltp" if fmt.endswith("p") else "flt",
            layout=layout,
        )
        frame.sample_rate = rate
        resampler = av.AudioResampler(
            format=fmt, layout=layout, rate=stream.codec_context.sample_rate
        )
        for out in resampler.resample(frame):
            for packet in stream.encode(out):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


class FakeTranscriber:
    """Stands in for whisper: returns fixed words, so pipeline tests take milliseconds."""

    multilingual = True

    def __init__(
        self,
        words: list[Word],
        language: str = "pt",
        segments: list[Segment] | None = None,
        speech: list[Stretch] | None = None,
        gaps: list[Gap] | None = None,
    ) -> None:
        self.words = words
        self.language = language
        self.segments = segments or []
        self.speech = speech or []
        self.gaps = gaps or []
        #: What a second decoding of any stretch returns (times from the stretch's start),
        #: and the length of each stretch it was asked for.
        self.second: list[Word] = []
        self.redecoded: list[float] = []

    def transcribe(
        self, samples: np.ndarray, language: str | None, min_gap: float = 0.4
    ) -> AsrResult:
        return AsrResult(
            list(self.words),
            list(self.gaps),
            language or self.language,
            1.0,
            self.segments,
            self.speech,
        )

    def redecode(self, samples: np.ndarray, language: str | None) -> AsrResult:
        self.redecoded.append(round(len(samples) / 16000, 3))
        segments = [Segment(0.0, len(samples) / 16000, -0.3)] if self.second else []
        return AsrResult(list(self.second), [], language or self.language, 1.0, segments)


def said(
    text: str,
    start: float,
    end: float,
    probability: float = 0.9,
    segment: int | None = 0,
    channel: int | None = None,
) -> list[Word]:
    """The words of ``text`` spread evenly over [start, end], as whisper would time them."""
    tokens = text.split()
    step = (end - start) / len(tokens)
    return [
        Word(" " + token, start + i * step, start + (i + 1) * step, probability, channel, segment)
        for i, token in enumerate(tokens)
    ]


def words_from(text_times: list[tuple[str, float, float]]) -> list[Word]:
    return [Word(" " + text, start, end, 0.9) for text, start, end in text_times]


# Storage backends: the same tests run on a local folder and a real S3 server (SeaweedFS).
@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """Keep the developer's own AWS settings out of the tests."""
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    return monkeypatch


def s3_environment(server: S3Server, env: pytest.MonkeyPatch) -> None:
    """The server's credentials, endpoint and region, where the command line (a subprocess
    too) finds them."""
    env.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    env.setenv("AWS_SECRET_ACCESS_KEY", server.secret_key)
    env.setenv("AWS_ENDPOINT_URL", server.endpoint_url)
    env.setenv("AWS_DEFAULT_REGION", "us-east-1")


def make_s3(server: S3Server, env: pytest.MonkeyPatch, secret: str | None = None) -> S3Backend:
    """An S3Backend built the production way (credentials from the environment), on a fresh
    prefix so tests never see each other's objects."""
    env.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    env.setenv("AWS_SECRET_ACCESS_KEY", secret or server.secret_key)
    store = open_backend(
        f"s3://{server.bucket}/t-{uuid.uuid4().hex[:12]}",
        endpoint_url=server.endpoint_url,
        region="us-east-1",
    )
    assert isinstance(store, S3Backend)
    return store


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, aws_env: pytest.MonkeyPatch) -> Backend:
    if request.param == "local":
        return LocalBackend(tmp_path / "store")
    return make_s3(request.getfixturevalue("s3_server"), aws_env)


# -- the command line with a fake whisper (test_cli, test_cli_store, test_batch...) -------

CPF, SSN = "529.982.247-25", "536-90-4399"
CANARIES = [CPF, "52998224725", "982.247", SSN, "536904399", "90-4399"]
# Pieces of the phone number tests put in file names. None is a short run of bare digits: the
# stores and pages hold hex hashes and ciphertext, where a 5-digit string turns up by chance
# (a bare "98765" did, in one CI run: 16**-5 per position of hex).
PHONE_PIECES = ["98765-4321", "11 98765", "987654321"]
WORDS = words_from(
    [
        ("Meu", 0.2, 0.4),
        ("CPF", 0.5, 0.8),
        ("é", 0.9, 1.0),
        (CPF + ".", 1.1, 2.9),
        ("Custa", 3.2, 3.5),
        ("150", 3.6, 3.9),
        ("reais.", 4.0, 4.4),
    ]
)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, config: Config) -> dict[str, FakeTranscriber]:
    """Every Pipeline gets the fake transcriber; models_dir points at the real spaCy models."""
    from redactor import pipeline

    holder = {"transcriber": FakeTranscriber(WORDS)}
    monkeypatch.setattr(pipeline, "Transcriber", lambda *a, **k: holder["transcriber"])
    monkeypatch.setenv("REDACTOR_MODELS_DIR", str(config.models_dir))
    return holder


def redactor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    from redactor import cli

    monkeypatch.setattr(sys, "argv", ["redactor", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def run_folder(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    *extra: str,
) -> tuple[int, str, str]:
    """`redactor run IN --out OUT --names ...` on the test's input and output folders (with
    --names, messages name inputs by path, which these tests check)."""
    return redactor(
        monkeypatch,
        capsys,
        "run",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--names",
        *extra,
    )


def call(tmp_path: Path, name: str = "call.wav", seconds: float = 5.0) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_wav(path, tone(seconds))


@pytest.fixture
def keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    folder = tmp_path / "keys"
    code, _, err = redactor(monkeypatch, capsys, "keys", "new", str(folder))
    assert code == 0, err
    return folder


def stored(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    store_uri: str,
    keys: Path,
    *extra: str,
) -> tuple[int, str, str]:
    return redactor(
        monkeypatch,
        capsys,
        "run",
        str(tmp_path / "in"),
        "--store",
        store_uri,
        "--recipient",
        str(keys / "reviewer.pub"),
        "--writer-key",
        str(keys / "writer.key"),
        "--language",
        "pt",
        *extra,
    )
