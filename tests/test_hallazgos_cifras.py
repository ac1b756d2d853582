"""The figures of a finding print as what they are, alike in every output.

Each rule declares the unit of its figures (``@regla(..., unidad=...)``); the page, ``anexos.xlsx``
(sheet «Hallazgos»: a number format per cell, the cell keeps the number), ``anexos.docx`` and
``hallazgos.csv`` print them by it. Checked on the shipped report (Aguascalientes 2024
IMSS-BIENESTAR, published figures) and on a demo state with an overdue ASM.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from asm_analysis.comun import formatos
from asm_analysis.publicacion import calculo, documento, presentacion, salidas
from asm_analysis.publicacion.columnas import CIFRAS_HALLAZGO, tipos_de_hallazgo


@pytest.fixture(scope="module")
def ags(datos_compartidos, tmp_path_factory):
    """The shipped report's findings, written as the report writes them."""
    c = calculo.calcular(datos_compartidos, "Aguascalientes", 2024, "IMSS-BIENESTAR", actualizar=False)
    carpeta = tmp_path_factory.mktemp("ags_hallazgos")
    salidas.escribir_csvs(c.anexos, carpeta)
    salidas.escribir_excel(c, carpeta / "anexos.xlsx")
    documento.escribir_docx(c, carpeta / "anexos.docx")
    return c, carpeta


def _pagina(c, regla: str) -> list[list[str]]:
    """The rows of the page's table of ``regla`` (its section under «Calidad de los datos»), cell texts with
    plain spaces (the page binds a figure to its unit with a no-break space)."""
    pagina = str(presentacion.hallazgos(c.anexos))
    seccion = re.search(rf'<section class="grupo-regla[^"]*" data-regla="{regla}">(.*?)</section>', pagina, re.S)
    assert seccion, regla
    encabezado = [html.unescape(re.sub(r"<[^>]+>", "", th)) for th in re.findall(r"<th[^>]*>(.*?)</th>", seccion[1])]
    filas = [[html.unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", td))).replace("\xa0", " ").strip()
              for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
             for tr in re.findall(r"<tbody>.*?</tbody>", seccion[1], re.S)[0].split("</tr>") if "<td" in tr]
    return [encabezado, *filas]


def _libro(carpeta: Path) -> list[list]:
    """The detail rows of the «Hallazgos» sheet: (severidad … cómo corregir) cells, with their formats."""
    ws = load_workbook(carpeta / "anexos.xlsx")["Hallazgos"]
    filas = [list(r) for r in ws.iter_rows()]
    encabezado = max(i for i, r in enumerate(filas) if r[0].value == "Severidad")
    return [r for r in filas[encabezado + 1:] if r[3].value]


def _word(carpeta: Path) -> list[list[str]]:
    """The rows of the Word findings tables (one per annex), cell texts with plain spaces (no word joiner)."""
    filas = []
    for t in Document(str(carpeta / "anexos.docx")).tables:
        cabeza = [c.text for c in t.rows[0].cells]
        if cabeza[:4] == ["Severidad", "Anexo", "Ubicación", "Regla"]:
            filas += [[c.text.replace("\u00a0", " ").replace("\u2060", "") for c in r.cells] for r in t.rows[1:]]
    return filas


def _de(filas, regla: str, *textos: str, col_regla: int = 3, col_lugar: int = 2):
    valor = (lambda x: x.value) if filas and hasattr(filas[0][0], "value") else (lambda x: x)
    sel = [f for f in filas if valor(f[col_regla]) == regla and all(t in valor(f[col_lugar]) for t in textos)]
    assert len(sel) == 1, (regla, textos, len(sel))
    return sel[0]


# --------------------------------------------------------------------------- a year is a year


def test_anios_de_la_etiqueta_como_anios_en_todas_las_salidas(ags):
    """A2-ETIQUETA-ANIO (the published total that says 2020): «2020 / 2024 / -4», never 2,020.00."""
    c, carpeta = ags
    encabezado, fila = _pagina(c, "A2-ETIQUETA-ANIO")
    cifras = dict(zip(encabezado, fila))
    assert (cifras["Año mencionado"], cifras["Ciclo evaluado"], cifras["Diferencia"]) == ("2020", "2024", "-4")
    libro = _de(_libro(carpeta), "A2-ETIQUETA-ANIO", "total")
    assert [(x.value, type(x.value), x.number_format) for x in libro[4:7]] == [
        (2020, int, "0"), (2024, int, "0"), (-4, int, "0")]
    assert _de(_word(carpeta), "A2-ETIQUETA-ANIO", "total")[4:7] == ["2020", "2024", "-4"]
    with open(carpeta / "hallazgos.csv", encoding="utf-8", newline="") as f:
        (linea,) = [r for r in csv.DictReader(f) if r["regla"] == "A2-ETIQUETA-ANIO"]
    assert (linea["valor_reportado"], linea["valor_calculado"], linea["diferencia"]) == ("2020", "2024", "-4")


# --------------------------------------------------------------------------- amounts, shares, points


def test_importes_con_su_signo_y_centavos(ags):
    """A1-DISPONIBLE of concept 3100: $0.00 reported, -$15,412,702.00 computed (never «0», «-15,412,702»)."""
    c, carpeta = ags
    encabezado, *filas = _pagina(c, "A1-DISPONIBLE")
    fila = dict(zip(encabezado, next(f for f in filas if "concepto 3100" in f[0])))
    assert (fila["Reportado"], fila["Calculado"], fila["Diferencia"]) == ("$0.00", "-$15,412,702.00", "$15,412,702.00")
    libro = _de(_libro(carpeta), "A1-DISPONIBLE", "concepto 3100")
    assert [(x.value, x.number_format) for x in libro[4:7]] == [
        (0, '"$"#,##0.00'), (-15412702, '"$"#,##0.00'), (15412702, '"$"#,##0.00')]
    assert _de(_word(carpeta), "A1-DISPONIBLE", "concepto 3100")[4:7] == ["$0.00", "-$15,412,702.00", "$15,412,702.00"]
    total = dict(zip(*_pagina(c, "A1-TOTAL")))
    assert "modificado: $426,771,165.00" in total["Reportado"] and "modificado: $413,001,306.05" in total["Calculado"]


def test_porcentajes_con_su_signo_y_diferencias_en_puntos(ags):
    """A4-CUMPLIMIENTO-SENTIDO (maternal mortality, descending): 100.00 % reported, 95.70 % computed, +4.30 pp."""
    c, carpeta = ags
    fila = dict(zip(*_pagina(c, "A4-CUMPLIMIENTO-SENTIDO")))
    assert "avance_meta_reportado: 100.00 %" in fila["Reportado"].splitlines()
    assert "avance_meta_reportado: 95.70 %" in fila["Calculado"].splitlines()
    assert "avance_meta_reportado: +4.30 pp" in fila["Diferencia"].splitlines()
    libro = _de(_libro(carpeta), "A4-CUMPLIMIENTO-SENTIDO", "«avance_meta_reportado»")
    assert [(x.value, x.number_format) for x in libro[4:6]] == [(100, '#,##0.00" %"'), (95.7, '#,##0.00" %"')]
    assert libro[6].value == 4.3 and libro[6].number_format == salidas.FORMATOS["puntos"].numero
    assert _de(_word(carpeta), "A4-CUMPLIMIENTO-SENTIDO", "«avance_meta_reportado»")[4:7] == [
        "100.00 %", "95.70 %", "+4.30 pp"]


def test_cada_cifra_de_cada_hallazgo_se_imprime_por_la_unidad_de_su_regla(ags):
    """Every figure of every finding: the workbook's number format and the Word text are those of its kind,
    the page's text is Word's; the cell keeps the number."""
    c, carpeta = ags
    libro, word = _libro(carpeta), _word(carpeta)
    assert len(libro) == len(word) == len(c.anexos.hallazgos) == 44
    for fila, texto in zip(libro, word):
        regla, lugar = fila[3].value, fila[2].value
        assert (texto[3], texto[2]) == (regla, lugar)
        tipos = tipos_de_hallazgo(regla, lugar)
        for j, columna in enumerate(CIFRAS_HALLAZGO, start=4):
            celda = fila[j]
            if celda.value is None:
                assert texto[j] == ""
                continue
            assert isinstance(celda.value, (int, float)) and celda.number_format == salidas.FORMATOS[tipos[columna]].numero
            assert texto[j] == formatos.por_tipo(float(celda.value), tipos[columna])
    assert {t for f in libro for t in tipos_de_hallazgo(f[3].value, f[2].value).values()} >= {
        "pesos", "porcentaje", "puntos", "anio", "numero"}


# --------------------------------------------------------------------------- the label says what the value is


def test_asm_vencido_muestra_el_avance_bajo_su_nombre(datos_demo):
    """ASM-VENCIDO carries the ASM's average progress: the page heads it «Avance promedio», its columns are
    «fecha_termino y avance», and the figure is a percentage."""
    c = calculo.calcular(datos_demo, "Coahuila", 2024, "FASSA", actualizar=False)
    vencidos = c.anexos.hallazgos[c.anexos.hallazgos["regla"] == "ASM-VENCIDO"]
    assert len(vencidos) >= 2
    encabezado, *filas = _pagina(c, "ASM-VENCIDO")
    assert encabezado[:3] == ["Ubicación", "Columnas", "Avance promedio"] and "Reportado" not in encabezado
    for fila, (_, h) in zip(filas, vencidos.iterrows()):
        assert fila[1] == "fecha_termino y avance"
        assert fila[2] == formatos.porcentaje(h["valor_reportado"]) and fila[2].endswith(" %")
        assert f"con un avance promedio de {fila[2]}" in fila[3]


# --------------------------------------------------------------------------- severities as the page names them


def test_severidades_con_su_nombre_en_el_libro_y_en_word(datos_demo, tmp_path):
    """Campeche's demo report has an «info» finding (A4-SOBRECUMPLIMIENTO): the workbook and Word call it
    «Informativo», as the page does, beside «Advertencia»; hallazgos.csv keeps the codes."""
    c = calculo.calcular(datos_demo, "Campeche", 2024, "FASSA", actualizar=False)
    assert {"info", "advertencia"} <= set(c.anexos.hallazgos["severidad"])
    salidas.escribir_csvs(c.anexos, tmp_path)
    salidas.escribir_excel(c, tmp_path / "anexos.xlsx")
    documento.escribir_docx(c, tmp_path / "anexos.docx")
    codigos = list(c.anexos.hallazgos.pipe(salidas.hallazgos_por_anexo)["severidad"])
    legibles = [{"error": "Error", "advertencia": "Advertencia", "info": "Informativo"}[s] for s in codigos]
    assert [f[0].value for f in _libro(tmp_path)] == legibles
    assert [f[0] for f in _word(tmp_path)] == [x for _, g in documento.grupos_hallazgos(
        salidas.hallazgos_por_anexo(c.anexos.hallazgos)) for x in g["severidad"].map(
        {"error": "Error", "advertencia": "Advertencia", "info": "Informativo"})]
    ws = load_workbook(tmp_path / "anexos.xlsx")["Hallazgos"]
    resumen = [r[1].value for r in ws.iter_rows() if r[0].value == "A4-SOBRECUMPLIMIENTO"]
    assert resumen == ["Informativo"]
    texto = Document(str(tmp_path / "anexos.docx"))
    assert not any(c.text in {"info", "error", "advertencia"} for t in texto.tables for r in t.rows for c in r.cells)
    with open(tmp_path / "hallazgos.csv", encoding="utf-8", newline="") as f:
        assert {r["severidad"] for r in csv.DictReader(f)} == set(c.anexos.hallazgos["severidad"])
