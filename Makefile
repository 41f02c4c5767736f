# Two commands on a fresh machine: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
OUT    ?= out/demo

.PHONY: install demo test lint format bench eval clean browser

install: $(STAMP)

# torch is pinned: 2.13.0 is a CPU build on local disk; an unpinned torch pulls a multi-GB CUDA build.
# constraints.txt: the library versions tests and benchmarks ran with; where the package index
# lacks one of them, the newest allowed versions are installed instead, with a warning.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e ".[st,test,ray]" torch==2.13.0 || \
		{ echo "warning: the versions in constraints.txt could not be installed; installing the newest allowed ones" >&2; \
		  $(PIP) install --quiet -e ".[st,test,ray]" torch==2.13.0; }
	$(PY) -c "from cxtext.embed.e5_build import embed_path as p, engine_id as e, host_engine as h; print('embedding engine:', e(h(p())))"
	touch $(STAMP)

demo: install
	$(VENV)/bin/cxtext analyze corpora/demo_feedback.csv --out $(OUT)
	@echo "Results are in $(OUT)/: open $(OUT)/report.html in a browser; data in comments.csv, themes.csv, journey.json"

# headless Chromium for the report test (Debian package); the test skips only if it cannot install
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		($$(test "$$(id -u)" = 0 || echo sudo) apt-get update -qq && \
		 $$(test "$$(id -u)" = 0 || echo sudo) apt-get install -y -qq --no-install-recommends chromium) || \
		echo "chromium could not be installed: the browser test will be skipped"

test: install browser
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check cxtext tests scripts
	$(VENV)/bin/ruff format --check cxtext tests scripts

format: install
	$(VENV)/bin/ruff format cxtext tests scripts
	$(VENV)/bin/ruff check --fix cxtext tests scripts

clean:
	rm -rf $(VENV) out .pytest_cache
