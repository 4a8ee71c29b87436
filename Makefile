# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install addin bench wheelhouse clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/reform demo --out demo-out

test: $(STAMP)
	$(BIN)/python -m pytest

addin: $(STAMP)
	$(BIN)/reform build-addin --out workbooks/reform.xlam

bench: $(STAMP)
	$(BIN)/reform bench --departments 100

clean:
	rm -rf $(VENV) demo-out .pytest_cache build *.egg-info

wheelhouse: $(STAMP)
	$(BIN)/reform build-addin --out workbooks/reform.xlam
	$(BIN)/python -m tools.wheelhouse --out wheelhouse --addin workbooks/reform.xlam
