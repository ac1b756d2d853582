# Front door of asm-analysis. Every target creates .venv (python3 -m venv) and installs the
# package with its pinned dependencies when missing or when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.instalado

ESTADO ?= Aguascalientes
CICLO ?= 2024
FONDO ?= IMSS-BIENESTAR
# report reads data/raw (published figures only); reports reads the synthetic demo set, kept apart
DATOS ?= data
DATOS_DEMO := data/demo

.PHONY: help setup report reports test test-rapido bench clean

help:
	@echo "make report   # informe por omisión (Aguascalientes 2024 IMSS-BIENESTAR, cifras publicadas)"
	@echo "make test     # todas las pruebas"
	@echo "make test-rapido  # solo las pruebas unitarias (sin cuadernos, lotes ni navegador), menos de un minuto"
	@echo "make reports  # lote demo: 32 estados con datos sintéticos de data/demo (2024, FASSA) en reports/demo"
	@echo "make bench    # mediciones de desempeño"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	$(BIN)/asm-analysis report --data-dir "$(DATOS)" --estado "$(ESTADO)" --ciclo $(CICLO) --fondo "$(FONDO)"

reports: $(STAMP)
	$(BIN)/asm-analysis batch --data-dir $(DATOS_DEMO) --out reports/demo --ciclo 2024 --fondo FASSA --estados all

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-rapido: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not lenta" --hypothesis-profile=rapido

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf data/processed/* $(DATOS_DEMO)/processed reports/* .pytest_cache
