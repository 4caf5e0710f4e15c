# One-command set-up. Every target is idempotent: run it again and it only redoes what changed.
#   make demo   environment + JS build, then JupyterLab (loopback) on the quickstart notebook
#   make test   environment + JS build + Chromium, then the whole test suite (Python and JS)
#   make bench  the benchmarks in bench/ (minutes; not part of `make test`)

PYTHON   ?= python3.11
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.corral-installed
BUNDLE   := src/corral/static/widget.js
JS_DEPS  := js/node_modules/.corral-installed
CHROMIUM ?= /usr/bin/chromium
PORT     ?= 8888
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

POSTGRES_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

.PHONY: env js chromium postgresql test test-py test-js demo bench clean

env: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

# torch first, from the local CPU wheel; the constraints file keeps every later step on it
# (a plain `torch` requirement would pull several GB of CUDA packages).
$(STAMP): $(PY) pyproject.toml constraints.txt $(BUNDLE)
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -c constraints.txt -e ".[dev]"
	touch $@

js: $(BUNDLE)

$(JS_DEPS): js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund
	touch $@

$(BUNDLE): $(JS_DEPS) js/build.mjs $(wildcard js/src/*.js)
	cd js && npm run build

chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# the label store's tests start a private PostgreSQL server from Debian's package (tests/pgserver.py)
postgresql:
	@[ -n "$(POSTGRES_INITDB)" ] || { \
	  echo "installing Debian's postgresql for the label store tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

test-js: $(JS_DEPS)
	cd js && npm test

test-py: env js chromium postgresql
	$(PY) -m pytest

test: test-js test-py

demo: env js
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --no-browser \
	  $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/quickstart.ipynb

bench: env js chromium
	$(PY) -m pip install -c constraints.txt -e ".[dev,bench]"
	$(PY) bench/pipeline.py
	$(PY) bench/widget.py
	$(PY) bench/regions.py
	$(PY) bench/report.py
	$(PY) bench/embedding.py
	$(PY) bench/labeling.py
	$(PY) bench/store.py
	$(PY) bench/dask_scaling.py
	$(PY) bench/lasso_draw.py
	$(PY) bench/million.py

clean:
	rm -rf $(VENV) js/node_modules src/corral/static
