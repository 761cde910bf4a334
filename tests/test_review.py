"""`redactor review`: the site's files (peaks, pages, no PII) here; what a reviewer does on the
pages in a real headless Chromium (Debian's, driven by Playwright) below.

The browser tests skip when Chromium or Playwright is missing, except in CI (`CI` set),
where `make test` has installed them (`make browser`, `make install`) and their absence is a
failure."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from redactor import formats, review
from redactor.audio import Audio
from redactor.bleep import Bleep
from redactor.errors import UsageError
from redactor.fs import write_atomic
from redactor.outputs import CallOutput
from redactor.redact import redact
from redactor.transcript import Transcript
from redactor.types import Entity, Word
from tests.conftest import (
    CANARIES,
    CPF,
    PHONE_PIECES,
    FakeTranscriber,
    call,
    redactor,
    run_folder,
    words_from,
    write_wav,
)
from tests.test_cli_light import loaded

PHONE_IN_NAME = "+55 11 98765-4321"  # file names can hold phone numbers


def write_call(
    out: Path,
    relative: str,
    samples: np.ndarray,
    words: list[Word],
    entities: list[tuple[int, int, str]],
    bleeps: list[Bleep],
    review_: list[Bleep] | None = None,
    verdict: str = "good",
    rate: int = 8000,
) -> str:
    """One call's four outputs, made by the real writers; ``entities``: (first word, end word,
    type). Returns the input sha256 the transcript records."""
    transcript = Transcript(words, "pt", len(samples) / rate)
    found = [
        Entity(kind, transcript.offsets[a][0], transcript.offsets[b - 1][1], 1.0, "test")
        for a, b, kind in entities
    ]
    text, placements = redact(transcript.text, found)
    sha = hashlib.sha256(relative.encode()).hexdigest()
    output = CallOutput(
        audio=Audio(samples, rate),
        transcript=transcript,
        text=text,
        placements=placements,
        bleeps=bleeps,
        review=review_ or [],
        meta={
            "language": "pt",
            "transcript_quality": {"verdict": verdict, "unreliable_share": 0.0},
            "input_sha256": sha,
        },
    )
    for kind, path in formats.output_paths(out, Path(relative)).items():
        fmt = next(f for f in formats.FORMATS if f.kind == kind)
        write_atomic(path, fmt.write(output))
    return sha


def speech(seconds: float, rate: int = 8000, channels: int = 1, seed: int = 7) -> np.ndarray:
    """Noise bursts of half a second, every second: something to draw."""
    rng = np.random.default_rng(seed)
    frames = int(seconds * rate)
    envelope = ((np.arange(frames) // (rate // 2)) % 2 == 0).astype(np.float32)
    noise = rng.standard_normal((frames, channels)).astype(np.float32) * 0.1
    samples: np.ndarray = noise * envelope[:, None]
    return samples


# ---- the files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        # 0.1 s of silence, then 0.1 s at 0.5, then 0.05 s at 0.25: bins of 0.02 s
        ([(0.1, 0.0), (0.1, 0.5), (0.05, 0.25)], [0] * 5 + [255] * 5 + [128] * 3),
        # a single sample above silence still shows
        ([(0.019, 0.0), (0.001, 0.8)], [255]),
        ([(0.1, 0.0)], [0] * 5),
    ],
)
def test_peaks_are_each_bins_loudest_sample(
    tmp_path: Path, layout: list[tuple[float, float]], expected: list[int]
) -> None:
    rate = 8000
    parts = [np.full((round(s * rate), 1), level, dtype=np.float32) for s, level in layout]
    path = write_wav(tmp_path / "a.wav", np.concatenate(parts), rate, "FLOAT")
    waveform = review.peaks(path)
    assert waveform.per_second == 50
    assert [list(c) for c in waveform.channels] == [expected]


def test_peaks_keep_channels_apart(tmp_path: Path) -> None:
    samples = np.zeros((8000, 2), dtype=np.float32)
    samples[:4000, 0] = 0.5
    samples[4000:, 1] = 0.25
    left, right = review.peaks(write_wav(tmp_path / "s.wav", samples, 8000, "FLOAT")).channels
    assert list(left) == [255] * 25 + [0] * 25
    assert list(right) == [0] * 25 + [128] * 25


def test_peaks_say_their_exact_rate(tmp_path: Path) -> None:
    """At 11025 Hz a bin is 220 samples, not 220.5: the page must place bins at 11025/220
    a second, or an hour's waveform drifts 8 s from its audio."""
    waveform = review.peaks(write_wav(tmp_path / "o.wav", np.zeros((11025, 1)), 11025))
    assert waveform.per_second == 11025 / 220
    assert len(waveform.channels[0]) == 51  # 11025 samples: 50 bins and a part


def test_no_pii_on_the_site_and_calls_named_by_id(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through `redactor run` (whisper faked): the CPF said in the call, and the phone number
    in its file name, appear nowhere on the site, neither in a file nor in a name."""
    fake["transcriber"] = FakeTranscriber(
        words_from([("Meu", 0.2, 0.4), ("CPF", 0.5, 0.8), ("é", 0.9, 1.0), (CPF, 1.1, 2.9)])
    )
    call(tmp_path, f"sub/{PHONE_IN_NAME}.wav")
    assert run_folder(monkeypatch, capsys, tmp_path, "--language", "pt")[0] == 0
    site = tmp_path / "site"
    code, _, err = redactor(monkeypatch, capsys, "review", str(tmp_path / "out"), "--to", str(site))
    assert code == 0, err
    written = [p for p in site.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(
        ["index.html", "review.json", "assets/review.js", "assets/review.css"]
        + [f"calls/{p.stem}.{ext}" for p in site.glob("calls/*.html") for ext in ("html", "wav")]
    )
    page = next(site.glob("calls/*.html"))
    for canary in [*CANARIES, PHONE_IN_NAME, *PHONE_PIECES]:
        assert canary not in err
        for path in [site, *site.rglob("*")]:
            assert canary not in path.name, path
            if path.is_file():
                assert canary.encode() not in path.read_bytes(), (canary, path.name)
    data = page_data(page)
    assert [w[2] for w in data["words"]] == ["Meu", "CPF", "é", "<BR_CPF>"]
    assert [r["label"] for r in data["regions"]] == ["BR_CPF"]
    # the call's id is its input's sha256, as `redactor run` names it in messages
    transcript = json.loads(next((tmp_path / "out").rglob("*.redacted.json")).read_text())
    assert page.stem == transcript["input_sha256"][:12]
    assert page.stem in (site / "index.html").read_text()


def test_names_show_paths_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_call(tmp_path / "out", "team a/call 7.wav", speech(2.0), [], [], [])
    site = tmp_path / "site"
    assert redactor(monkeypatch, capsys, "review", str(tmp_path / "out"), "--to", str(site))[0] == 0
    assert "team a/call 7" not in (site / "index.html").read_text()
    assert (
        redactor(
            monkeypatch, capsys, "review", str(tmp_path / "out"), "--to", str(site), "--names"
        )[0]
        == 0
    )
    assert "team a/call 7" in (site / "index.html").read_text()


def test_keyed_digits_show_as_a_count(tmp_path: Path) -> None:
    keyed = Bleep(1.0, 3.0, "DTMF", 1.0, keys=11)
    sha = write_call(tmp_path / "out", "k.wav", speech(4.0), [], [], [keyed])
    review.build_site(tmp_path / "out", tmp_path / "site")
    [region] = page_data(tmp_path / "site" / "calls" / f"{sha[:12]}.html")["regions"]
    assert (region["label"], region["rules"]) == ("DTMF", "11 keys")


def test_a_word_cannot_close_the_pages_script(tmp_path: Path) -> None:
    words = [Word(" </script><script>alert(1)</script>", 0.1, 0.5), Word(" &amp;", 0.6, 0.9)]
    write_call(tmp_path / "out", "x.wav", speech(1.0), words, [], [])
    review.build_site(tmp_path / "out", tmp_path / "site")
    page = next((tmp_path / "site" / "calls").glob("*.html")).read_text()
    assert page.count("<script") == 2 and page.count("</script>") == 2  # data, review.js
    assert [w[2] for w in page_data_text(page)["words"]] == [
        "</script><script>alert(1)</script>",
        "&amp;",
    ]


def test_incomplete_or_unreadable_calls_are_counted_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A call without its audio, with a truncated WAV, or with a transcript that is not
    ours is skipped and counted; the others get their pages; no message names a file (a
    file name can hold a phone number)."""
    out = tmp_path / "out"
    good = write_call(out, "a.wav", speech(1.0), [], [], [])
    for name in ("no audio", "truncated", "not ours", "odd sha"):
        write_call(out, f"{PHONE_IN_NAME} {name}.wav", speech(1.0), [], [], [])
    (out / f"{PHONE_IN_NAME} no audio.redacted.wav").unlink()
    truncated = out / f"{PHONE_IN_NAME} truncated.redacted.wav"
    truncated.write_bytes(truncated.read_bytes()[:30])
    (out / f"{PHONE_IN_NAME} not ours.redacted.json").write_text('{"words": 3}')
    odd = out / f"{PHONE_IN_NAME} odd sha.redacted.json"
    document = json.loads(odd.read_text())
    document["input_sha256"] = "../../" + PHONE_IN_NAME
    odd.write_text(json.dumps(document))
    code, _, err = redactor(monkeypatch, capsys, "review", str(out), "--to", str(tmp_path / "s"))
    assert code == 0, err
    assert "3 calls skipped, their outputs incomplete or unreadable" in err
    assert PHONE_IN_NAME not in err and "98765" not in err
    pages = sorted(p.stem for p in (tmp_path / "s" / "calls").glob("*.html"))
    # the odd sha is not used as a name: the bleeped audio's hash is
    odd_id = hashlib.sha256(
        odd.with_name(odd.name.replace(".redacted.json", ".redacted.wav")).read_bytes()
    ).hexdigest()[:12]
    assert pages == sorted([good[:12], odd_id])
    assert "3 not shown" in (tmp_path / "s" / "index.html").read_text()


def test_a_rebuild_drops_the_pages_of_calls_gone_and_keeps_other_files(tmp_path: Path) -> None:
    out, site = tmp_path / "out", tmp_path / "site"
    kept = write_call(out, "a.wav", speech(1.0), [], [], [])[:12]
    gone = write_call(out, "b.wav", speech(1.0), [], [], [])[:12]
    review.build_site(out, site)
    assert json.loads((site / "review.json").read_text())["calls"] == sorted([kept, gone])
    (site / "calls" / "notes.txt").write_text("the reviewer's own")
    (site / "calls" / "0123456789ab.wav").write_text("not one of ours")
    for path in out.glob("b.*"):
        path.unlink()
    review.build_site(out, site)
    assert sorted(p.name for p in (site / "calls").iterdir()) == sorted(
        [f"{kept}.html", f"{kept}.wav", "notes.txt", "0123456789ab.wav"]
    )
    assert gone not in (site / "index.html").read_text()


def test_audio_is_linked_or_else_copied_privately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    sha = write_call(out, "a.wav", speech(1.0), [], [], [])
    source = out / "a.redacted.wav"
    linked = review.build_site(out, tmp_path / "linked").index.parent / "calls" / f"{sha[:12]}.wav"
    assert linked.stat().st_ino == source.stat().st_ino

    def no_link(*args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    copied = review.build_site(out, tmp_path / "copied").index.parent / "calls" / f"{sha[:12]}.wav"
    assert copied.stat().st_ino != source.stat().st_ino
    assert copied.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600
    assert [p.name for p in copied.parent.iterdir() if p.name.startswith(".")] == []


def test_a_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    """`--to .` by mistake must neither prune nor mix pages into someone's files."""
    write_call(tmp_path / "out", "a.wav", speech(1.0), [], [], [])
    mine = tmp_path / "mine"
    (mine / "calls").mkdir(parents=True)
    (mine / "calls" / "0123456789ab.wav").write_text("a recording")
    with pytest.raises(UsageError, match="not empty and not a review site"):
        review.build_site(tmp_path / "out", mine)
    assert sorted(p.name for p in mine.rglob("*")) == ["0123456789ab.wav", "calls"]
    site = review.build_site(tmp_path / "out", tmp_path / "new" / "site")
    for folder in (site.index.parent, site.index.parent / "calls", site.index.parent / "assets"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_review_of_a_folder_without_outputs_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = redactor(
        monkeypatch, capsys, "review", str(tmp_path / "empty"), "--to", str(tmp_path / "s")
    )
    assert code == 2 and "no `redactor run` outputs" in err


def test_review_does_not_load_the_speech_and_nlp_stack(tmp_path: Path) -> None:
    write_call(tmp_path / "out", "a.wav", speech(1.0), [], [], [])
    heavy = loaded("review", str(tmp_path / "out"), "--to", str(tmp_path / "site"))
    assert (tmp_path / "site" / "index.html").is_file()
    assert not {"spacy", "presidio_analyzer", "faster_whisper", "ctranslate2"} & set(heavy)


def page_data_text(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="call-data">(.*?)</script>', page)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def page_data(path: Path) -> dict[str, Any]:
    return page_data_text(path.read_text())


# ---- in the browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = "" if CHROMIUM else "Debian's chromium (make browser)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = missing or "playwright (make install)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing")
        pytest.skip(f"{missing} is missing")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


# One mono call: a CPF from 4.0 to 6.0 s, a name from 9.0 to 9.6 s, a flagged stretch at 12 s.
MONO_WORDS = [
    Word(" " + text, start, end)
    for text, start, end in [
        ("Bom", 0.5, 0.8),
        ("dia,", 0.8, 1.2),
        ("meu", 2.0, 2.3),
        ("CPF", 2.3, 2.8),
        ("é", 2.8, 3.1),
        ("529", 4.0, 4.6),
        ("982", 4.6, 5.2),
        ("247", 5.2, 6.0),
        ("obrigado", 7.0, 7.8),
        ("Maria", 9.0, 9.6),
        ("tchau", 14.0, 14.5),
    ]
]
MONO_BLEEPS = [Bleep(3.9, 6.1, "BR_CPF", 1.0), Bleep(8.9, 9.7, "PERSON", 0.85)]
MONO_FLAGS = [Bleep(12.0, 12.8, "UNTRANSCRIBED_SPEECH", 0.0)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("review")
    out = root / "out"
    mono = write_call(
        out,
        "mono.wav",
        speech(20.0),
        MONO_WORDS,
        [(5, 8, "BR_CPF"), (9, 10, "PERSON")],
        MONO_BLEEPS,
        MONO_FLAGS,
        verdict="degraded",
    )
    # A stereo call of 60 minutes: a word every 0.4 s, turns of 10 words on alternate
    # channels, and a bleep a minute, on the channel of its words.
    minutes = 60
    words = [
        Word(f" palavra{i}", i * 0.4, i * 0.4 + 0.3, 0.9, i // 10 % 2) for i in range(minutes * 150)
    ]
    bleeps = [Bleep(m * 60 + 10.0, m * 60 + 12.0, "PHONE_NUMBER", 1.0, m % 2) for m in range(60)]
    long = write_call(
        out,
        "long/stereo.wav",
        speech(minutes * 60.0, channels=2),
        words,
        [(m * 150 + 25, m * 150 + 30, "PHONE_NUMBER") for m in range(60)],
        bleeps,
    )
    short = write_call(out, "b/other.wav", speech(3.0), [], [], [])
    # both speakers' bleeps at the same time, and one more on channel 0
    twin = write_call(
        out,
        "b/twin.wav",
        speech(10.0, channels=2),
        [],
        [],
        [Bleep(2.0, 3.0, "PERSON", 0.9, 0), Bleep(2.0, 3.0, "PERSON", 0.9, 1)]
        + [Bleep(5.0, 6.0, "DATE", 1.0, 0)],
    )
    review.build_site(out, root / "site")
    return {"root": root, "out": out, "site": root / "site", "ids": [mono, long, short, twin]}


class Page:
    """A page in its own browser context, with every request it makes recorded; requests
    for anything but the site's own files are aborted."""

    def __init__(self, browser: Any, site: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.site = site.resolve().as_uri()

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.site + "/"):
            route.continue_()
        else:
            route.abort()

    def open(self, relative: str) -> Any:
        self.page.goto(f"{self.site}/{relative}")
        return self.page

    def call(self, sha: str) -> Any:
        """A call's page, drawn, with its audio's length known."""
        page = self.open(f"calls/{sha[:12]}.html")
        page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=10_000)
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        return page

    def time(self) -> float:
        return float(self.page.evaluate("document.getElementById('player').currentTime"))


@pytest.fixture
def tab(browser: Any, site: dict[str, Any]) -> Iterator[Page]:
    page = Page(browser, site["site"])
    yield page
    assert page.errors == []
    page.context.close()


def test_index_lists_every_call(tab: Page, site: dict[str, Any]) -> None:
    page = tab.open("index.html")
    ids = page.eval_on_selector_all("#calls tr.call", "rows => rows.map(r => r.dataset.id)")
    assert sorted(ids) == sorted(sha[:12] for sha in site["ids"])
    assert ids[0] == site["ids"][0][:12]  # the degraded call first
    assert len(ids) == 4
    page.click(f"tr[data-id='{site['ids'][0][:12]}'] a")
    page.wait_for_function("() => document.body.dataset.ready === '1'")
    assert page.url.endswith(f"calls/{site['ids'][0][:12]}.html")


def test_clicking_a_region_seeks_the_player_to_its_start(tab: Page, site: dict[str, Any]) -> None:
    page = tab.call(site["ids"][0])
    page.click(".region[data-index='1']")
    assert tab.time() == pytest.approx(MONO_BLEEPS[1].start, abs=0.01)
    page.click("#regions tr[data-index='2']")  # the flagged stretch, from the list
    assert tab.time() == pytest.approx(MONO_FLAGS[0].start, abs=0.01)
    page.click(".word[data-index='2']")  # a word plays from its start
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.evaluate("document.getElementById('player').pause()")
    assert MONO_WORDS[2].start <= tab.time() < MONO_WORDS[2].start + 1.0


def classes(page: Any, selector: str) -> set[str]:
    return set((page.get_attribute(selector, "class") or "").split())


def test_keyboard_shortcuts(tab: Page, site: dict[str, Any]) -> None:
    page = tab.call(site["ids"][0])
    keys = page.keyboard
    keys.press("n")
    assert tab.time() == pytest.approx(3.9, abs=0.01)
    keys.press("n")
    assert tab.time() == pytest.approx(8.9, abs=0.01)
    keys.press("p")
    assert tab.time() == pytest.approx(3.9, abs=0.01)
    # x: the selected bleep (the CPF, reached with n/p) is not PII; x again: it is
    keys.press("x")
    assert classes(page, ".region[data-index='0']") == {"region", "bleep", "not-pii", "selected"}
    assert page.text_content("#regions tr[data-index='0'] .verdict-toggle") == "not PII"
    keys.press("x")
    assert classes(page, ".region[data-index='0']") == {"region", "bleep", "selected"}
    keys.press("ArrowRight")
    assert tab.time() == pytest.approx(8.9, abs=0.01)
    keys.press("Shift+ArrowLeft")
    assert tab.time() == pytest.approx(7.9, abs=0.01)
    # the playhead left the CPF: it is no longer selected, and x there touches nothing
    keys.press("x")
    assert page.eval_on_selector_all(".region.selected, .region.not-pii", "e => e.length") == 0
    # +/-: zoom in doubles a region's width on screen or more, zoom out undoes it
    width = page.eval_on_selector(".region[data-index='1']", "e => e.clientWidth")
    keys.press("+")
    zoomed = page.eval_on_selector(".region[data-index='1']", "e => e.clientWidth")
    assert zoomed >= 1.9 * width
    keys.press("-")
    assert page.eval_on_selector(".region[data-index='1']", "e => e.clientWidth") == width
    # space plays and pauses, once, wherever the focus is (the player's own controls and
    # the buttons would toggle it a second time)
    for focus in ("body", "#player", "#zoom-in"):
        page.focus(focus)
        keys.press(" ")
        page.wait_for_timeout(200)
        assert page.evaluate("document.getElementById('player').paused") is False, focus
        keys.press(" ")
        page.wait_for_timeout(200)
        assert page.evaluate("document.getElementById('player').paused") is True, focus
    # ? opens the help
    keys.press("?")
    assert page.is_visible("#help")


def test_bleeps_of_both_channels_at_one_time(tab: Page, site: dict[str, Any]) -> None:
    """n reaches each of two bleeps that start together (one per speaker), in its own
    lane; x marks only the one selected."""
    page = tab.call(site["ids"][3])
    reached = []
    for _ in range(3):
        page.keyboard.press("n")
        reached.append(page.eval_on_selector(".region.selected", "e => Number(e.dataset.index)"))
    assert reached == [0, 1, 2]
    page.keyboard.press("p")
    page.keyboard.press("x")
    assert page.eval_on_selector_all(
        ".region.not-pii", "boxes => boxes.map(b => Number(b.dataset.index))"
    ) == [1]
    tops = page.eval_on_selector_all(".region", "boxes => boxes.map(b => b.offsetTop)")
    assert tops[0] == 0 and tops[1] > 0  # channel 0 above, channel 1 below


def test_a_short_call_zooms_without_errors(tab: Page, site: dict[str, Any]) -> None:
    page = tab.call(site["ids"][2])  # 3 s, no words, no bleeps
    for key in ("+", "+", "-", "-", "-", "n", "p", "ArrowRight", "ArrowLeft", "x", "m"):
        page.keyboard.press(key)
    assert tab.time() == 0.0  # the tab fixture asserts no script error either


def test_the_type_list_gives_the_keys_back(tab: Page, site: dict[str, Any]) -> None:
    """Choosing a type with the keyboard leaves the list, so shortcuts work again (else d
    would pick DATE in the list instead of downloading)."""
    page = tab.call(site["ids"][0])
    page.focus("#missed-type")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") != "missed-type"
    page.keyboard.press("n")
    assert tab.time() == pytest.approx(3.9, abs=0.01)


def test_a_drag_over_a_bleep_chooses_a_stretch(tab: Page, site: dict[str, Any]) -> None:
    """PII heard just past a bleep too short: the stretch starts inside the bleep."""
    page = tab.call(site["ids"][0])
    box = page.locator(".region[data-index='1']").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 3, box["y"] + 10, steps=5)
    page.mouse.up()
    page.keyboard.press("m")
    [(start, end)] = page.eval_on_selector_all(
        "#marks tr.mark-row",
        "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])",
    )
    assert (start, end) == ("0:09.3", "0:11.3")


def test_feedback_downloads_a_truth_file_that_redactor_eval_scores(
    tab: Page,
    site: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = tab.call(site["ids"][0])
    keys = page.keyboard
    # PII heard at 14-15 s (where nothing was bleeped), of type PERSON
    page.select_option("#missed-type", "PERSON")
    page.evaluate("document.getElementById('player').currentTime = 14")
    keys.press("[")
    page.evaluate("document.getElementById('player').currentTime = 15")
    keys.press("]")
    keys.press("m")
    assert page.eval_on_selector_all("#marks tr.mark-row", "rows => rows.length") == 1
    # the name's bleep is not PII
    page.click(".region[data-index='1']")
    keys.press("x")
    with page.expect_download() as download_info:
        keys.press("d")
    download = download_info.value
    assert download.suggested_filename == f"{site['ids'][0][:12]}.truth.json"
    truth_dir = tmp_path / "truth"
    truth_dir.mkdir()
    download.save_as(truth_dir / download.suggested_filename)
    truth = json.loads((truth_dir / download.suggested_filename).read_text())
    assert [(p["type"], p["start"], p["end"]) for p in truth["pii"]] == [
        ("BR_CPF", 3.9, 6.1),
        ("PERSON", 14.0, 15.0),
    ]
    out = tmp_path / "out"  # the mono call's outputs alone
    out.mkdir()
    for path in site["out"].glob("mono.*"):
        shutil.copy(path, out / path.name)
    code, printed, err = redactor(monkeypatch, capsys, "eval", str(out), "--truth", str(truth_dir))
    assert code == 0, err
    figures = json.loads(printed)
    # PII: the CPF's 2.2 s, all bleeped, and the missed second; other speech bleeped: the
    # name's bleep (0.8 s) and the flagged stretch (not bleeped)
    assert figures["pii_speech_seconds"] == pytest.approx(3.2)
    assert figures["pii_speech_bleeped"] == pytest.approx(2.2 / 3.2, abs=1e-3)
    assert figures["other_speech_bleeped_by_label"] == {
        "BR_CPF": 0.0,
        "PERSON": pytest.approx(0.8),
    }
    # the marks survive a reload of the page (kept in the browser)
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === '1'")
    assert page.eval_on_selector_all("#marks tr.mark-row", "rows => rows.length") == 1


def test_no_request_leaves_the_page(tab: Page, site: dict[str, Any]) -> None:
    page = tab.call(site["ids"][0])
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.2")
    # the page's own policy stops a request a script might try, before any network code
    violated = page.evaluate(
        """() => new Promise(done => {
            document.addEventListener('securitypolicyviolation', e => done(e.effectiveDirective));
            fetch('https://example.com/x').catch(() => {});
        })"""
    )
    assert violated == "connect-src"
    tab.open("index.html")
    assert tab.requests, "nothing was seen"
    assert all(url.startswith(tab.site + "/") for url in tab.requests), tab.requests


def test_an_hour_of_stereo_renders_in_under_two_seconds(tab: Page, site: dict[str, Any]) -> None:
    page = tab.call(site["ids"][1])
    # milliseconds from the start of navigation to the page drawn, transcript and all
    assert float(page.evaluate("document.body.dataset.readyAt")) < 2000
    assert page.eval_on_selector_all(".word", "n => n.length") == 60 * 150 - 60 * 4
    # both channels' lanes carry their own regions: a bleep on channel 1 sits in the lower half
    page.keyboard.press("n")
    page.keyboard.press("n")
    top = page.eval_on_selector(".region[data-index='1']", "e => e.offsetTop")
    height = page.eval_on_selector("#detail", "e => e.clientHeight")
    assert top >= height / 2 - 2
    # playing near the end scrolls the transcript's pane (not the page) to the word heard
    page.evaluate("document.getElementById('player').currentTime = 3500")
    page.wait_for_function("() => document.querySelector('.word.current') !== null")
    seen = page.eval_on_selector(
        "#transcript",
        """pane => {
            const word = pane.querySelector('.word.current').getBoundingClientRect();
            const box = pane.getBoundingClientRect();
            return [pane.querySelector('.word.current').textContent,
                    word.top >= box.top, word.bottom <= box.bottom, window.scrollY];
        }""",
    )
    assert seen == ["palavra8750", True, True, 0]
    data = page_data(site["site"] / "calls" / f"{site['ids'][1][:12]}.html")
    assert len(base64.b64decode(data["peaks"]["channels"][1])) == 60 * 60 * 50
