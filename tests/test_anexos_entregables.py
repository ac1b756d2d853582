"""The annexes an evaluator hands in, end to end (issue 20's acceptance).

The shipped Aguascalientes 2024 example and a copy of its workbook with three planted differences
(a chapter subtotal, a share of Anexo 2 and a compliance of Anexo 4), in both ``--cifras`` modes:
the Word and Excel annexes carry the published columns, each planted cell prints the figure of the
mode, and every mark of the report is listed with its reported and recalculated figures in both
files. LibreOffice rendering of the same files is checked in ``test_impresion.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from asm_analysis.publicacion import calculo, documento, salidas
from asm_analysis.publicacion.marcas import MODOS_CIFRAS

pytestmark = pytest.mark.lenta

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
LIBRO = "captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx"
ANEXO1 = ["Capítulos de gasto", "Concepto", "Aprobado", "Modificado", "Devengado", "Pagado", "Disponible"]
#: (sheet, row, column, planted text, annex, annex column): reported figures that no longer add up.
PLANTADAS = (
    ("destino", 29, "aprobado", "81,255,999.59", "anexo1", "aprobado"),        # subtotal capítulo 3000
    ("concurrencia", 3, "porcentaje", "19.14%", "anexo2", "porcentaje"),     # IMSS BIENESTAR share
    ("indicadores", 8, "avance_meta_reportado", "90%", "anexo4", "cumplimiento"),  # 100 of 100 is 100 %
)


def _datos(origen: str, destino: Path) -> Path:
    shutil.copytree(RAW, destino / "raw")
    if origen == "plantado":
        ruta = destino / "raw" / LIBRO
        wb = load_workbook(ruta)
        for hoja, fila, columna, valor, _, _ in PLANTADAS:
            ws = wb[hoja]
            j = [c.value for c in ws[1]].index(columna) + 1
            ws.cell(row=fila, column=j).value = valor
        wb.save(ruta)
    return destino


def _textos_docx(ruta: Path) -> list[str]:
    doc = Document(str(ruta))
    textos = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        textos += [c.text for fila in t.rows for c in fila.cells]
    return [t.replace("\u00a0", " ").replace("\u2060", "") for t in textos]  # no-break space, word joiner


def _textos_xlsx(ruta: Path) -> tuple[list[str], list[str]]:
    """Every text of the workbook, and the text of every cell comment."""
    wb = load_workbook(ruta)
    celdas = [c for ws in wb for fila in ws.iter_rows() for c in fila]
    textos = [str(c.value).replace("\u00a0", " ").replace("\u2060", "") for c in celdas if c.value is not None]
    return textos, [c.comment.text.replace("\u2060", "") for c in celdas if c.comment is not None]


@pytest.mark.parametrize("modo", MODOS_CIFRAS)
@pytest.mark.parametrize("origen", ["publicado", "plantado"])
def test_columnas_publicadas_y_cada_marca_listada_en_word_y_excel(origen, modo, tmp_path):
    c = calculo.calcular(_datos(origen, tmp_path / "d"), "Aguascalientes", 2024, "IMSS-BIENESTAR", cifras=modo)
    assert c.cifras == modo and not c.marcas.empty
    docx = documento.escribir_docx(c, tmp_path / "anexos.docx")
    xlsx = salidas.escribir_excel(c, tmp_path / "anexos.xlsx")

    # the published columns, in Word and in the Excel sheet
    encabezados = [[x.text for x in t.rows[0].cells] for t in Document(str(docx)).tables]
    assert ANEXO1 in encabezados
    anexo4 = [e for e in encabezados if e and e[0] == "Nivel de Objetivo"]
    assert len(anexo4) == 1 and len(anexo4[0]) == 12
    ws = load_workbook(xlsx)["Anexo 1"]
    assert ANEXO1 in [[c.value for c in fila][:7] for fila in ws.iter_rows()]

    # every mark listed with both figures, in both files; in Excel its cell also carries a comment
    en_word = "\n".join(_textos_docx(docx))
    en_excel, comentarios = _textos_xlsx(xlsx)
    for _, m in c.marcas.iterrows():
        for texto in (m["reportado"], m["recalculado"]):
            if texto:
                assert str(texto).replace("\u00a0", " ") in en_word, (m["anexo"], m["numero"], texto)
        linea = f"{int(m['numero'])}. {m['ubicacion']}"
        assert linea in en_word, linea
        assert any(t.startswith(linea) for t in en_excel), linea
    assert comentarios  # a marked printed cell is commented in Excel

    if origen == "plantado":
        for hoja, fila, columna, valor, anexo, col_anexo in PLANTADAS:
            propias = c.marcas[(c.marcas["anexo"] == anexo) & (c.marcas["columna"] == col_anexo)]
            assert not propias.empty, (hoja, fila)
            # the planted figure is the reported one of one of these marks (e.g. «$ 81,255,999.59», «19.14 %»)
            assert any(valor.rstrip("%") in str(r).replace("\u00a0", " ") for r in propias["reportado"]), \
                (hoja, fila, propias["reportado"].tolist())
            celda = c.impresos.__dict__[anexo].loc[propias["fila"].tolist(), col_anexo]
            recalculada = c.anexos.__dict__[anexo].loc[propias["fila"].tolist(), col_anexo]
            if modo == "recalculadas":  # the printed cell is the tool's figure
                assert celda.tolist() == pytest.approx(recalculada.tolist(), nan_ok=True)
            else:  # the printed cell is what the workbook says, planted figure included
                esperado = float(valor.rstrip("%").replace(",", ""))
                assert any(v == pytest.approx(esperado) for v in celda.tolist()), (hoja, fila, celda.tolist())
