"""``anexos.docx`` in the official layouts, and the CONAC form (Anexo 6).

The Word file is opened back with python-docx and its tables are compared with the published
annexes' columns and with the CSV of the same annex, formatted here by an independent formatter
(money ``$ 88,682,091.89``, shares ``50.14 %``, dates dd/mm/aaaa); totals against independent sums
of the CSV rows; marks built by hand on real cells. Real reports: Aguascalientes 2024
IMSS-BIENESTAR (capture workbook transcribed from the published evaluation, audited) and the demo
Querétaro 2024 FASSA (SRFT with money carried over from earlier years, no ficha).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches
from openpyxl import load_workbook

from asm_analysis.entradas import captura
from asm_analysis.publicacion import documento
from asm_analysis.anexos import foda
from asm_analysis.publicacion import calculo, columnas, marcas, salidas
from asm_analysis.entradas import tablas
from asm_analysis.ejecucion.cli import main
from asm_analysis.comun.errores import ErrorEntrada

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
AGS_LIBRO = RAW / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
ANCHO_VERTICAL = Inches(8.5 - 1.5)
ANCHO_HORIZONTAL = Inches(11 - 1.5)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    destino = tmp_path_factory.mktemp("data")
    shutil.copytree(RAW, destino / "raw")
    return destino


def _salida(data_dir: Path, carpeta: Path, estado: str, fondo: str):
    c = calculo.calcular(data_dir, estado, 2024, fondo)
    salidas.escribir_csvs(c.anexos, carpeta)
    ruta = documento.escribir_docx(c, carpeta)
    return c.datos, c.anexos, ruta


@pytest.fixture(scope="module")
def ags(data_dir, tmp_path_factory):
    return _salida(data_dir, tmp_path_factory.mktemp("ags"), "Aguascalientes", "IMSS-BIENESTAR")


@pytest.fixture(scope="module")
def qro(datos_demo, tmp_path_factory):
    """Querétaro FASSA 2024 from the demo data (SRFT with money carried over, no workbook)."""
    return _salida(datos_demo, tmp_path_factory.mktemp("qro"), "Querétaro", "FASSA")


# ------------------------------------------------------------------------------- helpers


def _redondeo(texto: str, decimales: int) -> Decimal:
    """Half up on the CSV's digits, as a spreadsheet shows the cell; no sign on a zero."""
    d = Decimal(texto).quantize(Decimal(10) ** -decimales, rounding=ROUND_HALF_UP)
    return abs(d) if d == 0 else d


def _numero(texto: str) -> str:
    entero, dec = f"{_redondeo(texto, 4):,.4f}".split(".")
    dec = dec.rstrip("0")
    return f"{entero}.{dec:0<2}"


def _formateado(texto: str, tipo: str) -> str:
    """The text a docx cell must show for a CSV cell of a column kind (written apart from the code)."""
    if texto == "":
        return ""
    if tipo == "dinero":
        v = _redondeo(texto, 2)
        return ("-" if v < 0 else "") + f"$ {abs(v):,.2f}"
    if tipo == "porcentaje":
        return f"{_redondeo(texto, 2):,.2f} %"
    if tipo == "numero":
        return _numero(texto)
    if tipo == "entero":
        return str(int(float(texto)))
    if tipo == "fecha":
        return dt.date.fromisoformat(texto[:10]).strftime("%d/%m/%Y")
    return {"true": "Sí", "false": "No"}.get(texto, texto)


def _csv(ruta: Path) -> list[dict[str, str]]:
    with open(ruta, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _etiquetas(tabla: str, ciclo: int = 2024) -> list[str]:
    """The headers of an official table, years filled in (from the one column table)."""
    return [c.etiqueta.format(ciclo=ciclo, anterior=ciclo - 1) for c in columnas.TABLAS[tabla]]


def _texto_sin_marcas(celda) -> str:
    """A cell's text without its marks (the superscript numbers after a disputed figure)."""
    return "\n".join("".join(r.text for r in p.runs if not r.font.superscript) for p in celda.paragraphs)


def _tabla_doc(t) -> tuple[list[str], list[list[str]]]:
    filas = [[_texto_sin_marcas(c).replace("\u00a0", " ") for c in fila.cells] for fila in t.rows]
    return filas[0], filas[1:]


def _tablas(ruta: Path) -> list:
    return Document(str(ruta)).tables


def _tabla_con(ruta: Path, encabezado: list[str]):
    return next(t for t in _tablas(ruta) if _tabla_doc(t)[0] == encabezado)


def _parrafos_tras(t, n: int = 400) -> list[str]:
    """Texts of the paragraphs right after a table."""
    textos, el = [], t._tbl.getnext()
    while el is not None and el.tag == qn("w:p") and len(textos) < n:
        textos.append("".join(x.text or "" for x in el.iter(qn("w:t"))))
        el = el.getnext()
    return textos


def _fuente_tras(t) -> str:
    return next(x for x in _parrafos_tras(t) if x.startswith(("Fuente:", "Cifras ")))


# ------------------------------------------------------------------------------- official layouts


def test_anexo1_columnas_oficiales_y_gran_total_es_la_suma_de_conceptos(ags):
    d, a, ruta = ags
    t = _tabla_con(ruta, _etiquetas("anexo1_oficial"))
    encabezado, filas = _tabla_doc(t)
    assert encabezado == ["Capítulos de gasto", "Concepto", "Aprobado", "Modificado", "Devengado", "Pagado",
                          "Disponible"]
    assert filas[0][:3] == ["1000: Servicios personales", "1100 Remuneraciones al personal de carácter permanente",
                            "$ 88,682,091.89"]
    assert filas[1][0] == ""  # the chapter only on its first concept row
    assert "Subtotal capítulo 1000" in [f[0] for f in filas]
    # the Gran total devengado equals the independent sum of the concept rows of the CSV
    detalle = [f for f in _csv(ruta.parent / "anexo1_destino.csv") if f["tipo_fila"] == "detalle"]
    suma = sum(Decimal(f["devengado"]) for f in detalle)
    total = next(f for f in filas if f[0] == "Gran total")
    assert total[encabezado.index("Devengado")] == _formateado(str(suma), "dinero")
    conceptos = [f for f in filas if f[1][:4].isdigit()]
    assert len(conceptos) == len(detalle)
    for fila, csv_fila in zip(conceptos, detalle):
        assert fila[1] == f"{csv_fila['concepto']} {csv_fila['descripcion']}"
        for momento in ("Aprobado", "Modificado", "Devengado", "Pagado", "Disponible"):
            assert fila[encabezado.index(momento)] == _formateado(csv_fila[momento.lower()], "dinero")
    # the analytic shares are not in the official table
    assert not any("%" in e for e in encabezado)


def test_anexo2_encabezado_con_ciclo_subtotales_y_total_de_la_ejecutora(ags):
    _, _, ruta = ags
    t = _tabla_con(ruta, _etiquetas("anexo2_oficial"))
    encabezado, filas = _tabla_doc(t)
    assert encabezado[3] == ("% que representa el presupuesto del Fondo y cada Fuente de Financiamiento con "
                             "respecto al total de recursos 2024 de la Ejecutora")
    assert filas[0][0] == "INGRESOS TOTALES 2024"
    fassa = next(f for f in filas if f[1] == "FASSA")
    assert fassa[0] == "Federal" and fassa[3] == "50.14 %"
    assert [f[1] for f in filas if f[1].startswith("Subtotal")] == [
        "Subtotal Federal (a)", "Subtotal Estatal (b)", "Subtotal Ingresos propios (c)", "Subtotal Otros (d)"]
    total = filas[-1]
    assert total[0] == "Total de ingresos 2024 de la Ejecutora (a + b + c + d)"
    montos = _csv(ruta.parent / "anexo2_concurrencia.csv")
    suma = sum(Decimal(f["monto"]) for f in montos if f["tipo_fila"] == "detalle")
    assert total[2] == _formateado(str(suma), "dinero") == "$ 4,455,911,143.00"
    fundamento = _tabla_con(ruta, _etiquetas("anexo2_fundamento"))
    assert [f[0] for f in _tabla_doc(fundamento)[1]] == ["Federal", "Estatal", "Ingresos propios", "Otros"]


def test_anexos_3_4_5_7_columnas_publicadas(ags):
    d, a, ruta = ags
    anexo3 = _tabla_con(ruta, ["No.", "Aspecto Susceptible de Mejora (ASM) no atendido", "Área responsable",
                               "Motivos"])
    assert [f[3] for f in _tabla_doc(anexo3)[1]] == ["100% ATENDIDO"] * 3
    encabezado4 = _etiquetas("anexo4_oficial")
    assert len(encabezado4) == 12 and "Meta Programada 2024" in encabezado4
    assert "Meta programada para el ejercicio anterior (2023)" in encabezado4
    (t4,) = [t for t in _tablas(ruta) if _tabla_doc(t)[0] == encabezado4]  # one table
    filas = _tabla_doc(t4)[1]
    assert filas[0][0] == "Indicadores MIR Estatal" and len(filas) == len(a.anexo4) + 1
    fin = filas[1]
    assert fin[0] == "Fin" and fin[4] == "16.46" and fin[5] == "17.20" and fin[6] == "95.70 %"
    assert not any(x in encabezado4 for x in ("Semáforo 2024", "Sentido", "MIR"))
    _tabla_con(ruta, ["Apartado", "Fortalezas / Oportunidades", "Debilidades / Amenazas", "Recomendaciones",
                      "Actores involucrados"])
    t7 = _tabla_con(ruta, _etiquetas("anexo7_oficial"))
    assert len(_tabla_doc(t7)[1]) == len(a.anexo7) == 5
    textos = [p.text for p in Document(str(ruta)).paragraphs]
    assert "Dependencia: Instituto de Servicios de Salud del Estado de Aguascalientes" in textos
    assert "Nombre del Programa (fondo evaluado): Programa IMSS-BIENESTAR (IMSS-BIENESTAR)" in textos


def test_anexo6_es_el_formulario_conac_no_una_tabla(ags):
    _, _, ruta = ags
    assert not any(_tabla_doc(t)[0][:2] == ["Sección", "Campo"] for t in _tablas(ruta))
    textos = [p.text.replace("\u00a0", " ") for p in Document(str(ruta)).paragraphs]
    for seccion in ("1. Descripción de la evaluación", "4. Datos de la instancia evaluadora",
                    "6. Datos de contratación de la evaluación"):
        assert seccion in textos
    assert "1.2 Fecha de inicio de la evaluación (dd/mm/aaaa): 01/07/2024" in textos
    assert "6.3 Costo total de la evaluación: $ 163,560.00" in textos
    assert "5.3 Ente público coordinador del (los) programa(s):" in textos  # empty field prints empty
    i = textos.index("6.1 Tipo de contratación:")
    assert "(X) Licitación Pública Nacional" in textos[i + 1] and "(  ) Adjudicación Directa" in textos[i + 1]
    j = textos.index("5.4 Poder público al que pertenece(n) el(los) programa(s):")
    assert "(X)" not in textos[j + 1] and "(  ) Poder Ejecutivo" in textos[j + 1]


def test_anios_de_etiquetas_sin_separador_en_hallazgos(ags):
    _, a, ruta = ags
    anio = a.hallazgos[a.hallazgos["regla"] == "A2-ETIQUETA-ANIO"]
    assert not anio.empty and anio["valor_reportado"].iloc[0] == 2020
    filas = [f for t in _tablas(ruta)[-6:] for f in _tabla_doc(t)[1]]
    fila = next(f for f in filas if "A2-ETIQUETA-ANIO" in f and f[0] in {"Error", "Advertencia", "Informativo"})
    assert "2020" in fila and "2024" in fila and not any("2,020" in c for c in fila)


# ------------------------------------------------------------------------------- layout


def test_anchos_que_caben_y_letra_nombrada(ags):
    _, _, ruta = ags
    doc = Document(str(ruta))
    horizontales = [s.page_width > s.page_height for s in doc.sections]
    assert horizontales[0]  # Anexo 1: seven columns of amounts
    assert not horizontales[5]  # Anexo 6: the form
    cuerpo = doc.element.body
    seccion = 0
    for el in cuerpo.iterchildren():
        if el.tag == qn("w:tbl"):
            ancho = sum(int(g.get(qn("w:w"))) for g in el.iter(qn("w:gridCol")))
            esperado = ANCHO_HORIZONTAL if horizontales[seccion] else ANCHO_VERTICAL
            assert abs(ancho * 635 - esperado) < 635 * len(list(el.iter(qn("w:gridCol")))), (seccion, ancho)
            assert el.find(qn("w:tblPr")).find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
            hijos = [h.tag for h in el.find(qn("w:tblPr"))]  # schema order, or Word calls the file damaged
            assert hijos.index(qn("w:tblLayout")) < hijos.index(qn("w:tblCellMar")) < hijos.index(qn("w:tblLook"))
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            seccion += 1
    # every run names Arial for every script
    for r in cuerpo.iter(qn("w:r")):
        if r.find(qn("w:t")) is None:
            continue
        fuentes = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fuentes is not None
        assert {fuentes.get(qn(x)) for x in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Arial"}
    # amounts and shares never break: their spaces are no-break spaces
    t = _tablas(ruta)[0]
    assert "$\u00a088,682,091.89" in [c.text for c in t.rows[1].cells]


def test_ancho_de_columna_da_cabida_a_la_palabra_mas_ancha(ags):
    """The planned width of each Anexo 1 column holds its widest word and its widest amount whole."""
    from asm_analysis.publicacion import oficiales, tipografia

    _, a, _ = ags
    tabla = oficiales.anexo1(a.anexo1)
    columnas_ = tabla.columnas(2024)
    textos = documento._textos(tabla, columnas_)
    tipos = tabla.filas["tipo_fila"].tolist()
    plan = documento.planear(lambda p: documento.medidas(columnas_, textos, tipos, {}, p), ANCHO_HORIZONTAL)
    for (c, etiqueta, tipo), ancho in zip(columnas_, plan.anchos):
        util = ancho / 12700 - documento.RELLENO_CELDA
        for texto in [etiqueta, *textos[c]]:
            piezas = [texto] if tipo == "dinero" and texto != etiqueta else texto.split()
            for pieza in piezas:
                assert tipografia.ancho(pieza, plan.puntos, negrita=True) <= util + 0.01, (c, pieza)


def test_encabezado_repetido_en_cada_pagina(ags):
    _, _, ruta = ags
    for t in _tablas(ruta):
        filas = t._tbl.findall(qn("w:tr"))
        primera = filas[0].find(qn("w:trPr"))
        assert primera is not None and primera.find(qn("w:tblHeader")) is not None
        assert all(f.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for f in filas[1:])
        assert filas[0].find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == "1F3864"


def test_subtotales_y_total_en_negritas_sombreados(ags):
    _, a, ruta = ags
    t = _tablas(ruta)[0]
    tipos = a.anexo1["tipo_fila"].tolist()
    assert tipos.count("subtotal") == 9 and tipos.count("total") == 1
    for fila, tipo in zip(t.rows[1:], tipos):
        runs = [r for c in fila.cells for p in c.paragraphs for r in p.runs]
        fills = {c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) if c._tc.tcPr.find(qn("w:shd")) is not None
                 else None for c in fila.cells}
        if tipo == "detalle":
            assert not any(r.bold for r in runs) and fills == {None}
        else:
            assert runs and all(r.bold for r in runs)
            assert fills == {"DDEBF7" if tipo == "subtotal" else "BDD7EE"}


def test_titulos_oficiales_y_linea_de_fuente(ags):
    d, _, ruta = ags
    doc = Document(str(ruta))
    textos = [p.text for p in doc.paragraphs]
    for titulo in ("Anexo 1. Tabla 1. Destino de las aportaciones de la entidad",
                   "Anexo 2. Tabla 1. Concurrencia de recursos en la entidad",
                   "Anexo 3. Tabla 1. Aspectos Susceptibles de Mejora no atendidos",
                   "Anexo 4. Resultados de los indicadores estratégicos y de gestión del Programa IMSS-BIENESTAR",
                   "Anexo 5. Tabla 1. Conclusiones: Fortalezas, Oportunidades, Debilidades, Amenazas y "
                   "Recomendaciones del IMSS-BIENESTAR",
                   "Anexo 6. Tabla 1. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC).",
                   "Seguimiento de los Aspectos Susceptibles de Mejora", "Hallazgos de la auditoría de cifras"):
        assert titulo in textos, titulo
    assert "No se registraron recursos de ejercicios anteriores ejercidos en el ciclo." in textos
    libro = AGS_LIBRO.name
    t1 = _tablas(ruta)[0]
    fuente = _fuente_tras(t1)
    # recalculated figures by default: says so, names the workbook, and never claims a transcription
    assert fuente.startswith("Cifras recalculadas por asm-analysis")
    assert f"libro de captura {libro} (hoja destino)" in fuente
    assert "transcrit" not in " ".join(textos).lower() or all(
        "transcrit" not in t.lower() for t in textos if t.startswith("Cifras recalculadas"))
    assert d.ficha["fuente"] not in "\n".join(textos)
    assert f"libro de captura {libro} (hojas ficha y foda)" in "\n".join(textos)


def test_modo_reportadas_cita_la_transcripcion_y_la_fuente_dice_cuales_cifras(data_dir, tmp_path):
    c = dataclasses.replace(calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR"),
                            cifras="reportadas")
    ruta = documento.escribir_docx(c, tmp_path / "r.docx")
    fuente = _fuente_tras(_tablas(ruta)[0])
    assert fuente.startswith("Cifras reportadas en el libro de captura")
    assert c.datos.ficha["fuente"] in fuente  # «transcritos tal como se publicaron»: true of reported figures


def test_srft_demo_con_arrastre_y_sin_ficha(qro):
    d, a, ruta = qro
    assert not a.anexo1_arrastre.empty and d.fuentes["destino"] == "srft"
    tablas_doc = _tablas(ruta)
    fuente = _fuente_tras(tablas_doc[0])
    assert "SRFT" in fuente and "ejercicio_del_gasto_2024_demo.csv" in fuente
    assert f"trimestre {d.trimestre_srft}" in fuente and fuente.endswith("DATOS DEMO SINTÉTICOS.")
    # the previous year's SRFT file (the cross-period checks) is named too, with what it gives
    assert "(ejercicio_del_gasto_2023_demo.csv), el presupuesto del año anterior (2023)" in fuente
    arrastre = tablas_doc[1]
    assert len(_tabla_doc(arrastre)[1]) == len(a.anexo1_arrastre)
    doc = Document(str(ruta))
    assert "Querétaro · Ciclo 2024 · Fondo de Aportaciones para los Servicios de Salud (FASSA) · DATOS DEMO " \
           "SINTÉTICOS" in [p.text for p in doc.paragraphs]
    # no capture workbook: every field of the CONAC form prints empty
    textos = [p.text for p in doc.paragraphs]
    assert "1.1 Nombre de la evaluación:" in textos
    # an empty FODA keeps its header and says so
    anexo5 = next(t for t in tablas_doc if _tabla_doc(t)[0][0] == "Apartado")
    assert len(anexo5.rows) == 1


def test_dos_corridas_dan_los_mismos_bytes(data_dir, ags, tmp_path):
    _, _, ruta = ags
    c = calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    otra = documento.escribir_docx(c, tmp_path / "otra.docx")
    assert otra.read_bytes() == ruta.read_bytes()
    doc = Document(str(ruta))
    assert doc.core_properties.created == doc.core_properties.modified == dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    import zipfile

    with zipfile.ZipFile(ruta) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        xml = z.read("word/document.xml")
    assert b"w:fldSimple" not in xml and b"w:instrText" not in xml  # text only, no field codes


def test_texto_de_entrada_va_como_texto(data_dir, tmp_path):
    c = calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    peligrosos = ["{ PAGE }", "<w:t>x</w:t>", "=SUMA(A1)", "línea 1\nlínea 2", "control\x07fuera\uffff"]
    foda_malo = pd.DataFrame({"apartado": peligrosos, "fortalezas_oportunidades": "a", "debilidades_amenazas": "b",
                              "recomendaciones": "c", "actores": "ISSEA"})
    c = dataclasses.replace(c, anexos=dataclasses.replace(c.anexos, anexo5=foda_malo), mostrados=None)
    ruta = documento.escribir_docx(c, tmp_path / "x.docx")
    t = next(t for t in _tablas(ruta) if _tabla_doc(t)[0][0] == "Apartado")
    # a character XML forbids is marked «�», as in the workbook (comun.texto.texto_xml)
    assert [f[0] for f in _tabla_doc(t)[1]] == ["{ PAGE }", "<w:t>x</w:t>", "=SUMA(A1)", "línea 1\nlínea 2",
                                               "control\ufffdfuera\ufffd"]


# ------------------------------------------------------------------------------- marks


def _marcas_a_mano(a) -> pd.DataFrame:
    """Three marks on real cells of Aguascalientes: capítulo 1000 modificado (Anexo 1), the FASSA share
    (Anexo 2) and the Fin indicator's cumplimiento (Anexo 4)."""
    sub = a.anexo1.index[(a.anexo1["tipo_fila"] == "subtotal") & (a.anexo1["capitulo"] == "1000")][0]
    fassa = a.anexo2.index[a.anexo2["fuente"] == "FASSA"][0]
    fin = a.anexo4.index[a.anexo4["nivel"] == "Fin"][0]
    filas = [
        ("anexo1", sub, "modificado", 1, "Capítulo 1000, modificado", "$ 200,582,447.02", "$ 196,069,868.52",
         "A1-SUBTOTAL", "error", "el subtotal no es la suma de sus conceptos"),
        ("anexo2", fassa, "porcentaje", 1, "FASSA, porcentaje", "50.13 %", "50.14 %", "A2-PORCENTAJE",
         "advertencia", ""),
        ("anexo4", fin, "cumplimiento", 1, "Fin, Razón de Mortalidad Materna, cumplimiento 2024", "100.00 %",
         "95.70 %", "A4-CUMPLIMIENTO", "error", "indicador descendente"),
        ("anexo6", a.anexo6.index[a.anexo6["campo"] == "6.3 Costo total de la evaluación"][0], "valor", 1,
         "6.3 Costo total de la evaluación", "$ 163,560.00", "$ 160,000.00", "A6-PRUEBA", "advertencia", ""),
    ]
    return pd.DataFrame(filas, columns=marcas.COLUMNAS_MARCAS[:10])


def test_marcas_superindice_y_nota_bajo_la_tabla(data_dir, tmp_path):
    c = calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    c = dataclasses.replace(c, marcas=_marcas_a_mano(c.anexos))
    ruta = documento.escribir_docx(c, tmp_path / "m.docx")
    t1 = _tabla_con(ruta, _etiquetas("anexo1_oficial"))
    encabezado, filas = _tabla_doc(t1)
    i = next(k for k, f in enumerate(filas) if f[0] == "Subtotal capítulo 1000")
    j = encabezado.index("Modificado")
    celda = t1.rows[i + 1].cells[j]
    runs = celda.paragraphs[0].runs
    assert [r.text for r in runs] == ["$\u00a0196,069,868.52", "1"] and runs[1].font.superscript
    # no other cell of the table carries a superscript
    otros = [r for fila in t1.rows for c_ in fila.cells for r in c_.paragraphs[0].runs if r.font.superscript]
    assert len(otros) == 1
    nota = _parrafos_tras(t1)
    assert nota[0].startswith("Marcas: cifras que la auditoría disputa; la celda muestra la recalculada")
    assert nota[1] == ("1. Capítulo 1000, modificado: reportado $ 200,582,447.02; recalculado $ 196,069,868.52 "
                       "(el subtotal no es la suma de sus conceptos).")
    t2 = _tabla_con(ruta, _etiquetas("anexo2_oficial"))
    fila = next(r for r in t2.rows if r.cells[1].text == "FASSA")
    assert [r.text for r in fila.cells[3].paragraphs[0].runs] == ["50.14\u00a0%", "1"]
    assert _parrafos_tras(t2)[1] == "1. FASSA, porcentaje: reportado 50.13 %; recalculado 50.14 %."
    t4 = _tabla_con(ruta, _etiquetas("anexo4_oficial"))
    fin = next(r for r in t4.rows if r.cells[0].text == "Fin")
    assert fin.cells[6].paragraphs[0].runs[-1].text == "1" and fin.cells[6].paragraphs[0].runs[-1].font.superscript
    assert fin.cells[9].paragraphs[0].runs[-1].font.superscript is not True  # prior year: not marked
    # the CONAC form: the mark after the field's value, and its note under the form
    doc = Document(str(ruta))
    costo = next(p for p in doc.paragraphs if p.text.startswith("6.3 Costo total de la evaluación:"))
    assert costo.runs[-1].text == "1" and costo.runs[-1].font.superscript
    assert costo.text == "6.3 Costo total de la evaluación: $ 163,560.001"
    textos = [p.text for p in doc.paragraphs]
    assert "1. 6.3 Costo total de la evaluación: reportado $ 163,560.00; recalculado $ 160,000.00." in textos


@pytest.mark.lenta
def test_report_escribe_anexos_docx(data_dir, tmp_path):
    assert main(["report", "--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR",
                 "--data-dir", str(data_dir), "--out", str(tmp_path), "--sin-html"]) == 0
    (carpeta,) = [p for p in tmp_path.glob("2024/*/*") if p.is_dir()]
    encabezado, filas = _tabla_doc(Document(str(carpeta / "anexos.docx")).tables[0])
    assert encabezado == _etiquetas("anexo1_oficial")
    total = next(f for f in filas if f[0] == "Gran total")
    detalle = [f for f in _csv(carpeta / "anexo1_destino.csv") if f["tipo_fila"] == "detalle"]
    assert total[2] == _formateado(str(sum(Decimal(f["aprobado"]) for f in detalle)), "dinero")


# ------------------------------------------------------------------------------- Anexo 6 (CONAC form)


def _anexo6(a) -> dict[str, dict]:
    return {r["campo"]: r for r in a.anexo6.to_dict("records")}


def test_anexo6_una_fila_por_campo_del_formato_conac(ags):
    _, a, _ = ags
    etiquetas = [c.etiqueta for c in tablas.FORMATO_CONAC]
    assert list(a.anexo6["campo"]) == etiquetas  # no indicadores_citados captured in the published ficha
    numeros = [e.split()[0] for e in etiquetas]
    for esperado in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2.1", "2.2.2", "2.2.3", "2.2.4",
                     "3.1", "3.2", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5.1", "5.2", "5.3", "5.4", "5.5",
                     "5.6.1", "5.6.2", "6.1", "6.2", "6.3", "6.4", "7.1", "7.2"):
        assert esperado in numeros, esperado
    assert list(dict.fromkeys(a.anexo6["seccion"])) == [
        "1. Descripción de la evaluación", "2. Principales hallazgos de la evaluación",
        "3. Conclusiones y recomendaciones de la evaluación", "4. Datos de la instancia evaluadora",
        "5. Identificación del (los) programa(s)", "6. Datos de contratación de la evaluación",
        "7. Difusión de la evaluación"]


def test_anexo6_valores_publicados_fechas_y_costo(ags):
    _, a, _ = ags
    f = _anexo6(a)
    assert f["1.2 Fecha de inicio de la evaluación (dd/mm/aaaa)"]["valor"] == "01/07/2024"
    assert f["1.3 Fecha de término de la evaluación (dd/mm/aaaa)"]["valor"] == "31/12/2024"
    assert f["6.3 Costo total de la evaluación"]["valor"] == "$ 163,560.00"
    assert f["4.1 Nombre del coordinador de la evaluación"]["valor"] == "Armando Salcedo Cisneros"
    assert f["4.3 Institución a la que pertenece"]["valor"] == "CISDOMI"
    assert f["6.1 Tipo de contratación"]["valor"] == "Licitación Pública Nacional"
    assert f["6.2 Unidad administrativa responsable de contratar la evaluación"]["valor"] == (
        "Secretaría de Planeación, Participación y Desarrollo")
    assert f["1.4 Unidad administrativa a la que pertenece"]["valor"] == "Dirección de Planeación y Desarrollo"
    # the published form leaves these blank: pending, and only these
    pendientes = set(a.anexo6.loc[a.anexo6["pendiente"] == "Sí", "campo"])
    assert {p.split()[0] for p in pendientes} == {"5.3", "5.4", "5.5", "7.1", "7.2"}
    assert a.anexo6.loc[a.anexo6["pendiente"] == "Sí", "valor"].isna().all()
    assert a.anexo6.loc[a.anexo6["pendiente"] == "No", "valor"].notna().all()
    assert a.notas["anexo6"].startswith("Campos del formato CONAC pendientes: 5.3 ")


def test_anexo6_hallazgos_son_prosa_de_la_ficha_no_lineas_de_auditoria(ags):
    d, a, _ = ags
    assert len(a.hallazgos) > 0
    seccion2 = a.anexo6[a.anexo6["seccion"].str.startswith("2.")]
    assert seccion2.loc[seccion2["campo"].str.startswith("2.1 "), "valor"].iloc[0] == d.ficha["principales_hallazgos"]
    mensajes = [m for m in a.hallazgos["mensaje"]] + [u for u in a.hallazgos["ubicacion"]]
    for valor in seccion2["valor"].dropna():
        assert "Hoja destino" not in valor and "hoja destino" not in valor and ", fila " not in valor
        assert not any(m in valor for m in mensajes)


def test_anexo6_sin_ficha_todo_pendiente_y_recomendaciones_de_la_foda():
    vacia = foda.anexo6({}, pd.DataFrame(columns=foda.COLUMNAS_FODA))
    assert len(vacia) == len(tablas.FORMATO_CONAC)
    assert set(vacia["pendiente"]) == {"Sí"} and vacia["valor"].isna().all()
    con_foda = foda.anexo6({}, pd.DataFrame([{"apartado": "I", "fortalezas_oportunidades": "f",
                                              "debilidades_amenazas": "d", "recomendaciones": "Publicar la MIR",
                                              "actores": "ISSEA"}]))
    fila = con_foda[con_foda["campo"].str.startswith("3.2 ")].iloc[0]
    assert (fila["valor"], fila["pendiente"]) == ("• Publicar la MIR", "No")
    assert con_foda[con_foda["campo"].str.startswith("2.2.1 ")]["pendiente"].iloc[0] == "Sí"


def test_anexo6_opciones_citados_y_costo_ilegible():
    sin_foda = pd.DataFrame(columns=foda.COLUMNAS_FODA)
    t = foda.anexo6({"tipo_contratacion": "licitacion publica nacional", "costo": "$ 1,250,000.5",
                     "fecha_inicio": "2025-02-03", "poder_publico": "poder ejecutivo",
                     "indicadores_citados": "Razón de mortalidad materna: 95.7 %"}, sin_foda)
    f = {r["campo"]: r["valor"] for r in t.to_dict("records")}
    assert f["6.1 Tipo de contratación"] == "Licitación Pública Nacional"
    assert f["5.4 Poder público al que pertenece(n) el(los) programa(s)"] == "Poder Ejecutivo"
    assert f["6.3 Costo total de la evaluación"] == "$ 1,250,000.50"
    assert f["1.2 Fecha de inicio de la evaluación (dd/mm/aaaa)"] == "03/02/2025"
    assert f[foda.ETIQUETA_CITADOS] == "Razón de mortalidad materna: 95.7 %"
    campos = list(t["campo"])
    assert campos.index(foda.ETIQUETA_CITADOS) == campos.index("2.1 Hallazgos más relevantes de la evaluación") + 1
    with pytest.raises(ErrorEntrada) as exc:
        foda.anexo6({"costo": "ciento sesenta mil", "_filas": {"costo": 15}}, sin_foda)
    assert (exc.value.hoja, exc.value.fila, exc.value.columna) == ("ficha", 15, "valor")
    assert "costo" in exc.value.motivo


def test_plantilla_trae_una_fila_por_campo_conac(tmp_path):
    ruta = captura.escribir_plantilla("Zacatecas", 2024, "FASSA", tmp_path / "p.xlsx")
    ws = load_workbook(ruta)["ficha"]
    campos = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert len(campos) == len(set(campos))
    formulario = {c.clave for c in tablas.FORMATO_CONAC}
    assert formulario <= set(campos)
    assert "indicadores_citados" in campos and "principales_hallazgos" in campos
    assert campos[:len(tablas.CAMPOS_FICHA)] == list(tablas.CAMPOS_FICHA)


def test_fila_muy_alta_puede_partirse_y_las_demas_no(data_dir, tmp_path):
    c = calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    largo = "Fortaleza documentada con mucho detalle y sin resumir. " * 120
    foda = c.anexos.anexo5.copy()
    foda.loc[0, "fortalezas_oportunidades"] = largo
    c = dataclasses.replace(c, anexos=dataclasses.replace(c.anexos, anexo5=foda), mostrados=None)
    t = next(t for t in _tablas(documento.escribir_docx(c, tmp_path / "x.docx")) if _tabla_doc(t)[0][0] == "Apartado")
    filas = t._tbl.findall(qn("w:tr"))[1:]
    partibles = [f.find(qn("w:trPr")).find(qn("w:cantSplit")) is None for f in filas]
    assert partibles == [True] + [False] * (len(filas) - 1)
    ruta = salidas.escribir_excel(c, tmp_path / "x.xlsx")
    ws = load_workbook(ruta)["Anexo 5"]
    assert max(d.height or 0 for d in ws.row_dimensions.values()) == salidas.ALTO_MAXIMO


def test_idioma_espanol_y_pie_con_numero_de_pagina(ags):
    """Word checks the annexes as Mexican Spanish (the blank template says US English) and every page's
    footer names the report and carries Word's page and page-count fields."""
    import zipfile

    _, _, ruta = ags
    with zipfile.ZipFile(ruta) as z:
        estilos = z.read("word/styles.xml").decode()
        pies = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    defectos = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", estilos, re.S).group(0)
    assert 'w:val="es-MX"' in defectos and "en-US" not in defectos
    assert Document(ruta).core_properties.language == "es-MX"
    assert len(pies) == 1  # one footer, shared by every section
    texto = re.sub(r"<[^>]+>", "", pies[0]).strip()
    assert texto.startswith("Anexos EED IMSS-BIENESTAR 2024 · Aguascalientes · Página 1 de 1")
    assert [m for m in re.findall(r'w:instr=" (\w+) "', pies[0])] == ["PAGE", "NUMPAGES"]
