"""One rule each: what is empty, how money and shares are written, HTML escaping, atomic writes, column labels.

These rules live in ``comun`` (vacios, formatos, archivos) and ``publicacion.columnas``; every output
reads them, so each is tested here once with real values.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd
import pytest

from asm_analysis import auditoria
from asm_analysis.comun import archivos, formatos
from asm_analysis.comun.vacios import es_faltante, vacio
from asm_analysis.entradas import datos as mod_datos
from asm_analysis.entradas import lectura
from asm_analysis.publicacion import columnas, presentacion, salidas, sitio
from asm_analysis.publicacion import oficiales as mod_oficiales
from asm_analysis.publicacion.documento import SECCIONES

# ------------------------------------------------------------------------------- is empty


@pytest.mark.parametrize("valor, esperado", [
    (None, True), (float("nan"), True), (np.float32("nan"), True), (pd.NA, True), (pd.NaT, True),
    (np.datetime64("NaT"), True), (float("inf"), True), (-np.inf, True), ("", True), ("  \n", True),
    ("---", False), ("N/A", False), (0, False), (0.0, False), ("0", False), (False, False),
    (dt.date(2024, 9, 30), False), ("texto", False),
])
def test_vacio_nada_que_mostrar(valor, esperado):
    assert vacio(valor) is esperado


@pytest.mark.parametrize("valor, esperado", [
    (None, True), (float("nan"), True), (pd.NA, True), (pd.NaT, True), ("", True), ("  ", True),
    ("---", True), (" N/A ", True), ("nd", True), ("S/D", True), ("sin dato", True),
    (float("inf"), False), (0, False), ("0", False), ("—", False), (["---"], False),
])
def test_es_faltante_marca_sin_dato_de_entrada(valor, esperado):
    assert es_faltante(valor) is esperado


def test_una_sola_regla_en_todas_las_salidas():
    assert lectura.es_faltante is es_faltante
    assert formatos.vacio is vacio and presentacion.vacio is vacio
    # the page shows an em dash, the Word tables nothing, the CSV an empty cell (a text stays as it is)
    for valor in (None, float("nan"), pd.NaT, float("inf")):
        assert presentacion.FORMATOS["texto"](valor) == presentacion.GUION
        assert formatos.texto(valor) == ""
        assert salidas.texto_csv(valor) == ""
    assert presentacion.FORMATOS["texto"]("---") == "---" and formatos.texto("---") == "---"
    assert salidas.texto_csv("  ") == "  "


# ------------------------------------------------------------------------------- money and shares


@pytest.mark.parametrize("valor, anexo, pagina", [
    (88682091.89, "$ 88,682,091.89", "$88,682,091.89"),
    (-1000, "-$ 1,000.00", "-$1,000.00"),
    (2.675, "$ 2.68", "$2.68"),           # the float is 2.67499…: rounded as a spreadsheet shows it
    (1.005, "$ 1.01", "$1.01"),
    (-0.005, "-$ 0.01", "-$0.01"),
    (-0.004, "$ 0.00", "$0.00"),          # no sign on a rounded zero
    (426771165, "$ 426,771,165.00", "$426,771,165.00"),
    (np.int64(12), "$ 12.00", "$12.00"),
    (float("nan"), "", "—"), (None, "", "—"), (float("inf"), "", "—"),
])
def test_pesos(valor, anexo, pagina):
    assert formatos.pesos(valor) == anexo
    assert presentacion.pesos(valor) == pagina
    assert sitio.dinero(valor) == pagina


@pytest.mark.parametrize("valor, esperado, pagina", [
    (50.1432, "50.14 %", "50.14 %"), (100, "100.00 %", "100.00 %"), (12345.675, "12,345.68 %", "12,345.68 %"),
    (-0.001, "0.00 %", "0.00 %"), (float("nan"), "", "—"),
])
def test_porcentaje(valor, esperado, pagina):
    assert formatos.porcentaje(valor) == esperado
    assert presentacion.pct(valor) == pagina
    assert sitio.porcentaje(valor) == pagina


def test_porcentaje_con_un_decimal_y_puntos():
    assert formatos.porcentaje(49.95, 1) == "50.0 %"
    assert presentacion.pct(49.94, 1) == "49.9 %"
    assert presentacion.puntos(3.785) == "+3.79 pp" and presentacion.puntos(-0.001) == "+0.00 pp"


# ------------------------------------------------------------------------------- HTML escaping


def test_esc_neutraliza_marcado_y_comillas():
    assert formatos.esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert formatos.esc("O'Higgins & Cía") == "O&#x27;Higgins &amp; Cía"
    assert formatos.esc(None) == "" and formatos.esc(0) == "0"
    assert presentacion.esc is formatos.esc and sitio.esc is formatos.esc


# ------------------------------------------------------------------------------- atomic write


def test_escribir_atomico_texto_y_bytes(tmp_path):
    ruta = tmp_path / "a.json"
    assert archivos.escribir_atomico(ruta, "año\n") is True
    assert ruta.read_bytes() == "año\n".encode("utf-8")
    assert archivos.escribir_atomico(ruta, b"\x00\x01") is True and ruta.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["a.json"]


def test_escribir_atomico_falla_a_medias_deja_el_archivo_anterior(tmp_path, monkeypatch):
    ruta = tmp_path / "anexos.xlsx"
    ruta.write_bytes(b"anterior")

    def falla(origen, destino):
        assert os.path.exists(origen)  # the new bytes were written in full before the rename
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archivos.os, "replace", falla)
    with pytest.raises(OSError):
        archivos.escribir_atomico(ruta, b"nuevo")
    assert ruta.read_bytes() == b"anterior"
    assert os.listdir(tmp_path) == ["anexos.xlsx"]  # no temporary file left


def test_escribir_atomico_si_cambia_no_toca_el_archivo_igual(tmp_path):
    ruta = tmp_path / "index.html"
    ruta.write_text("<p>hola</p>", encoding="utf-8")
    os.utime(ruta, ns=(1_000_000_000, 1_000_000_000))
    assert archivos.escribir_atomico(ruta, "<p>hola</p>", si_cambia=True) is False
    assert ruta.stat().st_mtime_ns == 1_000_000_000
    assert archivos.escribir_atomico(ruta, "<p>adiós</p>", si_cambia=True) is True
    assert ruta.read_text(encoding="utf-8") == "<p>adiós</p>"


# ------------------------------------------------------------------------------- column table

#: Annex tables written by the workbook, the Word annexes and the page (attributes of ``Anexos``).
TABLAS_ANEXOS = ("anexo1", "anexo1_arrastre", "anexo2", "anexo3", "anexo4", "anexo5", "anexo6", "anexo7",
                 "seguimiento", "conteos_asm", "hallazgos")


@pytest.fixture(scope="module", params=[("Querétaro", "FASSA"), ("Veracruz", "FASSA")])
def anexos_demo(request, datos_demo):
    estado, fondo = request.param
    return auditoria.calcular(mod_datos.cargar(datos_demo, estado, 2024, fondo))


def test_la_tabla_de_columnas_nombra_cada_columna_de_los_anexos(anexos_demo):
    """No output falls back to a label made from a column name: every column of every annex has its row."""
    for tabla in TABLAS_ANEXOS:
        frame = getattr(anexos_demo, tabla)
        filas = [c.clave for c in columnas.TABLAS[tabla]]
        assert sorted(set(frame.columns) - {"tipo_fila"}) == sorted(set(filas) - {"como_corregir"}), tabla
        libro = columnas.del_libro(tabla, frame, 2024)  # the CSV columns and the «Análisis» sheet's labels
        assert [c for c, _, _ in libro] == filas, tabla
        assert [e for _, e, _ in libro] == [c.rotulo(2024) for c in columnas.TABLAS[tabla]]


def test_word_y_pagina_leen_sus_etiquetas_de_la_tabla(anexos_demo):
    oficiales = {t: {c.rotulo(2024) for c in columnas.TABLAS[t]} for t in columnas.TABLAS}
    for seccion in SECCIONES:
        for spec in seccion.tablas:
            tabla = mod_oficiales.construir(spec.tabla, getattr(anexos_demo, spec.anexo), 2024)
            for _, etiqueta, _ in tabla.columnas(2024):
                assert etiqueta in oficiales[tabla.clave], (tabla.clave, etiqueta)
    html = str(presentacion.tabla_anexo4(anexos_demo)) + str(presentacion.tabla_anexo2(anexos_demo))
    assert "<th" in html and ">Meta programada 2024</th>" in html and ">Avance en 2023</th>" in html
    assert ">% respecto del total de la ejecutora</th>" in html and ">Total</th>" in html
    assert ">Variación</th>" in html  # the short form of «Variación (puntos porcentuales)»
    assert ">Avance con respecto a la meta 2024 y semáforo</th>" in html


def test_el_sitio_toma_sus_encabezados_de_la_tabla():
    assert sitio.COLUMNAS_TABLAS["tabla-estados"] == tuple(c.etiqueta for c in columnas.TABLAS["indice_estados"])
    assert sitio.COLUMNAS_TABLAS["tabla-estados"][4] == "% ejercido"
