# Linli: `make run` brings the service up, `make test` checks it. Everything lives in .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint chat bench eval clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)  ## Start Redis if needed, migrate, then web + worker (+ fake WeChat in development)
	$(BIN)/python -m bot.web.devserver

test: $(STAMP) lint  ## Lint, then every test on a real Redis, SQLite and PostgreSQL
	$(BIN)/pytest -q -m "not slow" -n 2
	$(BIN)/pytest -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy bot handlers workers knowledge
	$(BIN)/lint-imports

chat: $(STAMP)  ## Talk to the running service as a WeChat user
	$(BIN)/flask --app bot chat

bench: $(STAMP)
	$(BIN)/python bench/webhook_throughput.py

eval: $(STAMP)  ## Matching quality on every labelled set, then latency up to a 5,000-item guide
	$(BIN)/python -m knowledge.evaluate --semantic --splits tests/data/matcher_*.tsv
	$(BIN)/python bench/matcher_latency.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
