# Polare: `make run` serves the app with demo data; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: run test lint security translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs take exactly the versions and files in the lock files (hashes checked), then Polare
# itself from this folder. `make lock` updates the lock files from pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed

# --build-deps-for editable also locks the build backend (setuptools): the editable install of
# Polare runs without build isolation, so it builds with what the lock installed.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --build-deps-for editable

.PHONY: lock
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) --upgrade -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) --upgrade --extra dev -o $(DEV_LOCK) pyproject.toml

# The msgids are the Swedish texts; polare/translations/<lang>/LC_MESSAGES/messages.po holds the
# translations and the compiled .mo files are not committed. Fuzzy (unreviewed) entries are left
# out, so they show in Swedish until someone checks them. No catalog at all is not an error.
TRANSLATIONS := polare/translations

translations: $(VENV)/.installed
	@if ls $(TRANSLATIONS)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d $(TRANSLATIONS); \
	else echo "translations: no catalog in $(TRANSLATIONS), nothing to compile"; fi

# Re-extract every marked text and merge it into the English catalog: new texts get an empty
# msgstr (or a fuzzy guess from a similar old one) to translate; texts no longer used are dropped.
.PHONY: translations-update
translations-update: $(VENV)/.installed
	@pot=$$(mktemp) && \
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--add-location=file --project=Polare -o $$pot . && \
	$(BIN)/pybabel -q update -w 100 -i $$pot -d $(TRANSLATIONS) -l en --init-missing --ignore-obsolete; \
	status=$$?; rm -f $$pot; exit $$status
	@$(BIN)/python -c "$$TRANSLATION_STATUS" $(TRANSLATIONS)/en/LC_MESSAGES/messages.po
	@$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

# Print how many messages the catalog holds and how many still need a translator.
define TRANSLATION_STATUS
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as po:
    messages = [m for m in read_po(po) if m.id]
empty = [m for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])]
fuzzy = [m for m in messages if m.fuzzy]
print(f"{sys.argv[1]}: {len(messages)} messages, {len(empty)} untranslated, {len(fuzzy)} fuzzy")
endef
export TRANSLATION_STATUS

run: $(VENV)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo
	@echo "Polare: http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# Bandit: any medium or high finding fails (accepted ones carry `# nosec BXXX  # reason`).
# pip-audit: audits the locked versions (requirements-dev.lock); a known vulnerability fails; an unreachable vulnerability index is reported, not
# fatal (tools/audit_dependencies.py tells the two apart).
security: $(VENV)/.installed-dev
	$(BIN)/bandit --quiet --recursive --severity-level medium polare payroll exports tools migrations app.py
	$(BIN)/python -m tools.audit_dependencies $(BIN)/pip-audit --disable-pip -r $(DEV_LOCK)

test: $(VENV)/.installed-dev translations lint security
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
