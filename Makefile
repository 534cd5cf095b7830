# Two commands on a fresh machine: `make run` (the line, locally) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench load mutation translations compile-translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## Run the line locally: prints the URL and the development token
	$(BIN)/ivr serve

test: $(STAMP)  ## The whole test suite, against a real (throwaway) Redis
	PYTHON=$(BIN)/python scripts/with-redis scripts/test $(PYTEST_ARGS)

check: $(STAMP)  ## Content and translations: missing, fuzzy, placeholders, keywords, budgets
	$(BIN)/ivr check $(CHECK_ARGS)

bench: $(STAMP)  ## Webhook speed, Redis commands and memory per conversation
	scripts/with-redis $(BIN)/python scripts/bench.py

load: $(STAMP)  ## The line under gunicorn over HTTP beside a bare route; Redis and worker kills
	$(BIN)/python scripts/load.py

mutation: $(STAMP)  ## Mutation testing of the engine, understanding and rendering (mutmut; about 75 minutes on 2 cores)
	# mutmut 3.8 sometimes saves a result while inside mutants/: the link keeps its relative paths valid.
	rm -rf mutants && mkdir mutants && ln -s . mutants/mutants
	scripts/with-redis $(BIN)/mutmut run --max-children 2; $(BIN)/python scripts/mutation_score.py

translations: $(STAMP)  ## Re-extract strings and merge them into every catalog (no source line numbers: no churn)
	$(BIN)/pybabel extract -F babel.cfg -c NOTE --no-location --sort-by-file --project=Infoline --version=0.1 \
	  --copyright-holder=Infoline --msgid-bugs-address=patient-education@example.org \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete --previous
	$(BIN)/ivr weights

compile-translations: $(STAMP)  ## Optional: .mo files for other gettext tools (the app reads the .po files)
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache
