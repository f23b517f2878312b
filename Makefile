# Two commands do everything on a fresh machine that has python3:
#   make demo   build .venv, install gradwise, run the main job
#   make test   install with the test extras, run the whole suite
PYTHON ?= python3
# gradwise is installed editable, so its bytecode lives in the tree: a shell that sets
# PYTHONDONTWRITEBYTECODE would make every process (each test worker, each CLI run) compile it again
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed  # builds the study guide: out/study-guide.pdf and out/study-guide.html
	$(BIN)/python examples/demo.py

# two workers (the 25 slowest tests are named at the end); the browser tests share one page and one
# worker (their xdist_group)
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(VENV)/.installed
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
