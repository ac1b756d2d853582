"""The report's stylesheet is scoped to its wrapper, and every displayed fragment carries the wrapper."""

from __future__ import annotations

import re

from asm_analysis.publicacion import presentacion as p


def _selectores(css: str) -> list[str]:
    """Every selector of a scoped stylesheet (preludes of at-rules left out)."""
    sin_comentarios = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    preludios = re.findall(r"([^{}]+)\{", sin_comentarios)
    return [s.strip() for pre in preludios if not pre.strip().startswith("@") for s in pre.split(",")]


def test_every_rule_is_scoped_to_the_report():
    css = p.hoja_de_estilo()
    selectores = _selectores(css)
    assert len(selectores) > 150
    assert all(s == ".asm-informe" or s.startswith(".asm-informe ") for s in selectores), \
        [s for s in selectores if not s.startswith(".asm-informe")]
    assert ".asm-informe table.tabla .num" in selectores
    assert ".asm-informe body" not in selectores and not any(" main.pagina" in s for s in selectores)
    # media queries survive, scoped inside
    telefono = css[css.index("@media (max-width: 700px)"):]
    assert telefono.split("{", 1)[1].lstrip().startswith(".asm-informe")
    assert "@supports selector(::details-content)" in css


def test_scoping_of_at_rules_and_the_universal_selector():
    css = p._con_ambito("* { a: 1 }\n:root, .x > y { b: 2 }\n@media (max-width: 9px) { p { c: 3 } }\n"
                        "@page { size: letter }\n.asm-informe { d: 4 }")
    assert ".asm-informe, .asm-informe * {a: 1}" in css
    assert ".asm-informe :root, .asm-informe .x > y {b: 2}" in css
    assert "@media (max-width: 9px) {\n.asm-informe p {c: 3}\n}" in css
    assert "@page {size: letter }" in css or "@page { size: letter }" in css
    assert ".asm-informe {d: 4}" in css


def test_displayed_fragments_carry_the_wrapper_and_the_header_the_styles():
    fragmento = p.Html('<p class="nota">x</p>', "nota")
    assert fragmento._repr_mimebundle_()["text/html"] == '<div class="asm-informe"><p class="nota">x</p></div>'
    assert fragmento._repr_html_() == '<div class="asm-informe"><p class="nota">x</p></div>'
    assert str(fragmento) == '<p class="nota">x</p>'           # joined fragments are not wrapped twice
    estilos = str(p.estilos())
    assert estilos.startswith('<style id="asm-informe-estilos">') and p.hoja_de_estilo() in estilos
    pagina = p.hoja_de_pagina()
    assert "main.pagina" in pagina and ".asm-informe" not in pagina.split("*/", 1)[1]


def test_a_phone_fold_counts_its_rows_and_leaves_notes_alone():
    tabla = p.Html('<div class="tabla-contenedor"><table><thead><tr><th>a</th></tr></thead><tbody>'
                   '<tr><td>1</td></tr><tr class="fila-total"><td>2</td></tr></tbody></table></div>')
    plegada = str(p.desplegable(tabla, "Tabla del Anexo 9"))
    assert plegada.startswith('<details class="desplegable"><summary>Tabla del Anexo 9 <span class="cuantos">'
                              "(2 filas)</span></summary>")
    nota = p.Html('<p class="vacio">Sin registros.</p>')
    assert p.desplegable(nota, "Tabla") is nota and p.desplegable(None, "x") is None
