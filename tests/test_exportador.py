"""The HTML exporter prepared on a thread while the kernel runs the first notebook of a process
(``cuaderno._calentar_exportador``): ready once, and the page it then writes is the one a fresh
exporter writes."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from asm_analysis.publicacion import cuaderno


def _cuaderno() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Anexo 1\n\nDestino de las aportaciones, **en pesos**."),
        nbformat.v4.new_code_cell("tabla", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": "<table><tr><td>1,234.50</td></tr></table>", "text/plain": "t"})]),
    ])
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def test_el_exportador_preparado_en_un_hilo_escribe_la_misma_pagina(tmp_path: Path):
    nb = _cuaderno()  # one notebook: its cells' ids are drawn when it is made
    cuaderno._exportador.cache_clear()
    cuaderno.exportar_html(copy.deepcopy(nb), tmp_path / "fresco.html", "Informe", [("../index.html", "Índice")])
    fresco = (tmp_path / "fresco.html").read_bytes()

    cuaderno._exportador.cache_clear()
    hilo = cuaderno._calentar_exportador()
    assert hilo is not None
    hilo.join(timeout=60)
    assert cuaderno._exportador.cache_info().currsize == 1  # built on the thread
    assert cuaderno._calentar_exportador() is None  # once a process
    cuaderno.exportar_html(copy.deepcopy(nb), tmp_path / "calentado.html", "Informe", [("../index.html", "Índice")])
    assert (tmp_path / "calentado.html").read_bytes() == fresco
    assert "1,234.50" in fresco.decode("utf-8")
