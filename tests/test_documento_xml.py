"""``anexos.docx`` writes its table rows and paragraphs as XML text: the same bytes as python-docx.

:mod:`asm_analysis.publicacion.documento` writes rows, cells, paragraphs and runs as
WordprocessingML text parsed in one go, for speed. Here the same tables and paragraphs are built
cell by cell and run by run with python-docx's object API (as the module did before), and the
two XML serializations must be equal byte for byte, on the cases the published annexes rarely
hold: line ends and tabs in a cell, spaces at either end, markup characters, empty cells and
headers, a mark on a cell of several lines, group rows (one column or many, with or without
text), a row tall enough to split across pages, subtotal and total rows, an empty table.
"""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from lxml import etree

from asm_analysis.comun.texto import texto_xml
from asm_analysis.publicacion import documento
from asm_analysis.publicacion.oficiales import GRUPO
from asm_analysis.publicacion.salidas import COLORES

LARGO = " ".join(["palabra"] * 400)  # taller than documento.ALTO_FILA_ENTERA at any type size
TEXTOS = ["", " al inicio", "al final ", "a\tb", "línea 1\nlínea 2", "\nprimera vacía", "última vacía\n", "a\n\nb",
          "\t", " ", "\u00a0x\u00a0", "&<>\"'", "</w:t></w:r><w:r><w:t>inyectado", "]]>", "a\nb\tc ",
          LARGO, "$\u00a088,682,091.89", "ünïcödé ñ — €"]
ETIQUETAS = ["", " Al inicio", "A&b<c>", "Dos\nlíneas", "Con\ttab ", "Monto"]
TIPOS = ["detalle", "subtotal", "total", GRUPO, "detalle"]


# ------------------------------------------------------------------------------- python-docx's object API


def _run_api(parrafo, texto: str, puntos: float, negrita: bool = False, cursiva: bool = False,
             color: str | None = None, superindice: bool = False):
    run = parrafo.add_run(texto_xml(texto))
    run.font.size = Pt(puntos)
    run.bold = negrita or None
    run.italic = cursiva or None
    if superindice:
        run.font.superscript = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    documento.nombrar_letra(run._r.get_or_add_rPr())
    return run


def _parrafo_api(doc, texto: str, puntos: float, negrita: bool, cursiva: bool, color: str | None, despues: int,
                 con_siguiente: bool):
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(despues)
    p.paragraph_format.keep_with_next = con_siguiente or None
    if texto:
        _run_api(p, texto, puntos, negrita=negrita, cursiva=cursiva, color=color)
    return p


def _sombrear(celda, color: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    celda._tc.get_or_add_tcPr().append(shd)


def _escribir(celda, texto: str, puntos: float, negrita: bool = False, color: str | None = None,
              alineacion=None):
    parrafo = celda.paragraphs[0]
    parrafo.paragraph_format.space_after = Pt(0)
    parrafo.paragraph_format.space_before = Pt(0)
    if alineacion is not None:
        parrafo.alignment = alineacion
    return _run_api(parrafo, texto, puntos, negrita=negrita, color=color) if texto else None


def _marcas(run, numeros: list[int]) -> None:
    """The marks after a cell's text: a copy of its text run, without its ``w:t``, in superscript."""
    marca = copy.deepcopy(run._r)
    for t in marca.findall(qn("w:t")):
        marca.remove(t)
    marca.get_or_add_rPr().superscript = True
    t = OxmlElement("w:t")
    t.text = ",".join(map(str, numeros))
    marca.append(t)
    run._r.addnext(marca)


def _tabla_api(doc, impresa: documento.Impresa, ancho: int):
    """The table of ``impresa`` built cell by cell with python-docx's object API."""
    plan = documento.planear(impresa.medir, ancho) or documento.plan_forzado(impresa.medir, ancho)
    puntos, columnas, textos = plan.puntos, impresa.columnas, impresa.textos
    t = doc.add_table(rows=1, cols=len(columnas))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    documento._margenes(t)
    for j, w in enumerate(plan.anchos):
        t.columns[j].width = Emu(w)
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader", {qn("w:val"): "true"}))
    for celda, (_, etiqueta, _), w in zip(t.rows[0].cells, columnas, plan.anchos):
        celda.width = Emu(w)
        _sombrear(celda, COLORES["encabezado"])
        celda.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _escribir(celda, etiqueta, puntos, negrita=True, color=COLORES["texto_encabezado"],
                  alineacion=WD_ALIGN_PARAGRAPH.CENTER)
    altos = [documento._alto_fila(columnas, textos, i, plan.anchos, puntos) for i in range(len(impresa.tipos))]
    juntas = sum(a for a, tipo in zip(altos, impresa.tipos) if tipo != GRUPO) <= documento.ALTO_TABLA_JUNTA
    for i, tipo in enumerate(impresa.tipos):
        fila = t.add_row()
        alto = altos[i]
        tr_pr = fila._tr.get_or_add_trPr()
        if tipo == GRUPO or alto <= documento.ALTO_FILA_ENTERA:
            tr_pr.append(OxmlElement("w:cantSplit"))
        if tipo == GRUPO:
            celda = fila.cells[0].merge(fila.cells[-1]) if len(fila.cells) > 1 else fila.cells[0]
            _sombrear(celda, COLORES["subtotal"])
            _escribir(celda, next((textos[c][i] for c, _, _ in columnas if textos[c][i]), ""), puntos, negrita=True)
            continue
        resaltar = tipo in ("subtotal", "total")
        for celda, (c, _, clase), w in zip(fila.cells, columnas, plan.anchos):
            celda.width = Emu(w)
            if resaltar:
                _sombrear(celda, COLORES[tipo])
            derecha = WD_ALIGN_PARAGRAPH.RIGHT if clase in documento.A_LA_DERECHA else None
            run = _escribir(celda, textos[c][i], puntos, negrita=resaltar, alineacion=derecha)
            if run is not None and "\n" not in textos[c][i] and "\t" not in textos[c][i]:
                run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")  # a cell's text keeps its spaces
            if run is not None and (i, c) in impresa.en_celdas:
                _marcas(run, impresa.en_celdas[(i, c)])
    # kept with what follows: the header, every row of a short table or the last of a long one, a row
    # above a subtotal or total, a group row with a row under it
    tipos = ["encabezado", *impresa.tipos]
    for k, fila in enumerate(t.rows):
        sigue = tipos[k + 1] if k + 1 < len(tipos) else None
        if k == 0 or juntas or k == len(t.rows) - 1 or sigue in ("subtotal", "total") or (
                tipos[k] == GRUPO and sigue is not None):
            for celda in fila.cells:
                celda.paragraphs[0].paragraph_format.keep_with_next = True
    return t


# ------------------------------------------------------------------------------- cases


def _impresa(ncols: int, nfilas: int, desfase: int, grupos_vacios: bool = False) -> documento.Impresa:
    """A table of ``ncols`` columns (the last one a figure when there are several) and ``nfilas`` rows of
    every kind, its cells cycling through :data:`TEXTOS`, marks on every third cell."""
    columnas = [(f"c{j}", ETIQUETAS[(j + desfase) % len(ETIQUETAS)], "dinero" if j == ncols - 1 > 0 else "texto")
                for j in range(ncols)]
    tipos = [TIPOS[(i + desfase) % len(TIPOS)] for i in range(nfilas)]
    textos = {c: ["" if grupos_vacios and tipos[i] == GRUPO else TEXTOS[(i * 7 + j * 3 + desfase) % len(TEXTOS)]
                  for i in range(nfilas)] for j, (c, _, _) in enumerate(columnas)}
    marcas = {(i, c): [i + 1, 7] if (i + j) % 2 else [3] for i in range(nfilas)
              for j, (c, _, _) in enumerate(columnas) if (i * 5 + j) % 3 == 0}
    return documento.Impresa(columnas, textos, tipos, marcas)


CASOS = [(1, 12, 0, False), (1, 8, 1, True), (3, 30, 2, False), (5, 40, 4, True), (8, 25, 3, False), (2, 0, 0, False)]


@pytest.mark.parametrize("ncols, nfilas, desfase, grupos_vacios", CASOS)
@pytest.mark.parametrize("ancho", [documento.TEXTO_VERTICAL, documento.TEXTO_HORIZONTAL],
                         ids=["vertical", "horizontal"])
def test_tabla_como_la_escribe_python_docx(ncols, nfilas, desfase, grupos_vacios, ancho):
    impresa = _impresa(ncols, nfilas, desfase, grupos_vacios)
    esperado = _tabla_api(Document(), impresa, ancho)
    tabla = documento.escribir_tabla(Document(), impresa, ancho)
    assert etree.tostring(tabla._tbl, encoding="unicode") == etree.tostring(esperado._tbl, encoding="unicode")
    xml = etree.tostring(tabla._tbl, encoding="unicode")
    if nfilas:  # the cases are there: marks, a group row across the table, line ends and tabs
        assert "vertAlign" in xml and ("gridSpan" in xml) == (ncols > 1)
        assert "<w:br/>" in xml and "<w:tab/>" in xml
    assert len(tabla.rows) == nfilas + 1


def _con_siguiente(tabla) -> list[bool]:
    """Per row (header first): whether every cell paragraph keeps with what follows."""
    return [all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in fila._tr.iter(qn("w:p")))
            for fila in tabla.rows]


def test_tabla_corta_entera_con_su_pie_y_larga_por_su_ultima_fila():
    """A short table moves whole with the source line under it; a long one keeps its header with its first
    row and its last row with the source line, and may break anywhere between."""
    corta = documento.Impresa([("c", "Concepto", "texto"), ("m", "Monto", "dinero")],
                              {"c": ["uno", "dos", "tres"], "m": ["$ 1.00", "$ 2.00", "$ 3.00"]},
                              ["detalle", "detalle", "total"], {})
    doc = Document()
    assert _con_siguiente(documento.escribir_tabla(doc, corta, documento.TEXTO_VERTICAL)) == [True] * 4
    larga = documento.Impresa(corta.columnas, {"c": [f"fila {i}" for i in range(60)], "m": ["$ 1.00"] * 60},
                              ["detalle"] * 59 + ["total"], {})
    assert _con_siguiente(documento.escribir_tabla(doc, larga, documento.TEXTO_VERTICAL)) == \
        [True] + [False] * 58 + [True, True]  # the total with the row above it


def test_subtotal_con_la_fila_de_arriba_y_grupo_con_la_de_abajo():
    """«Subtotal capítulo 8000» never opens a page away from its concepts; a group row never closes one."""
    tipos = (["detalle"] * 20 + ["subtotal"]) * 2 + [GRUPO] + ["detalle"] * 20 + ["total"]
    n = len(tipos)
    larga = documento.Impresa([("c", "Concepto", "texto"), ("m", "Monto", "dinero")],
                              {"c": [f"fila {i}" for i in range(n)], "m": ["$ 1.00"] * n}, tipos, {})
    juntas = _con_siguiente(documento.escribir_tabla(Document(), larga, documento.TEXTO_VERTICAL))[1:]
    assert [i for i, j in enumerate(juntas) if j] == [19, 40, 42, n - 2, n - 1]


def test_tabla_alta_puede_partirse():
    impresa = _impresa(3, 30, 2)
    tabla = documento.escribir_tabla(Document(), impresa, documento.TEXTO_VERTICAL)
    xml = etree.tostring(tabla._tbl, encoding="unicode")
    assert "<w:trPr/>" in xml  # the row holding LARGO


def test_parrafos_y_runs_como_los_escribe_python_docx():
    esperado, doc = Document(), Document()
    for k, texto in enumerate(TEXTOS):
        for puntos in (14, 10, 9, 8, 7.5, 6.5):
            formato = dict(negrita=k % 2 == 0, cursiva=k % 3 == 0, color=[None, "1F3864", "c00000"][k % 3],
                           despues=k % 5, con_siguiente=k % 4 == 0)
            for d, parrafo, run in ((esperado, _parrafo_api, _run_api), (doc, documento._parrafo, documento._run)):
                p = parrafo(d, texto, puntos, **formato)
                run(p, texto, puntos, negrita=k % 2 == 1, superindice=k % 3 == 1,
                    color="ffffff" if k % 5 == 0 else None)
                run(p, f"{texto}: ", 9, negrita=True)
                p.runs[-1].add_break()
    assert etree.tostring(doc.element.body, encoding="unicode") == \
        etree.tostring(esperado.element.body, encoding="unicode")


def test_empaquetar_da_lo_que_guarda_python_docx_con_fecha_fija():
    doc = Document()
    documento._parrafo(doc, "Hola", 10)
    memoria = io.BytesIO()
    doc.save(memoria)
    with zipfile.ZipFile(memoria) as guardado, zipfile.ZipFile(io.BytesIO(documento.empaquetar(doc))) as empacado:
        assert guardado.namelist() == empacado.namelist()
        assert all(guardado.read(n) == empacado.read(n) for n in guardado.namelist())
        assert {i.date_time for i in empacado.infolist()} == {(2000, 1, 1, 0, 0, 0)}
