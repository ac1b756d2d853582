"""``anexos.docx`` and the CONAC form (Anexo 6).

The Word file is opened back with python-docx and every cell of every annex table is compared
with the CSV of the same annex, formatted here by an independent formatter (money
``$ 88,682,091.89``, shares ``50.14 %``, dates dd/mm/aaaa). Real reports: Aguascalientes 2024
IMSS-BIENESTAR (capture workbook transcribed from the published evaluation, audited) and the demo
Querétaro 2024 FASSA (SRFT with money carried over from earlier years, no ficha).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches
from openpyxl import load_workbook

from asm_analysis import auditoria
from asm_analysis.entradas import captura
from asm_analysis.publicacion import documento
from asm_analysis.anexos import foda
from asm_analysis.publicacion import columnas, presentacion, salidas
from asm_analysis.entradas import tablas
from asm_analysis.entradas import datos as mod_datos
from asm_analysis.ejecucion.cli import main
from asm_analysis.comun.errores import ErrorEntrada

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
AGS_LIBRO = RAW / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
#: Findings about a year label: their values are years, shown without separators or decimals.
REGLAS_CON_ANIOS = {"A1-ETIQUETA-ANIO", "A2-ETIQUETA-ANIO"}
ANCHO_VERTICAL = Inches(8.5 - 1.5)
ANCHO_HORIZONTAL = Inches(11 - 1.5)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    destino = tmp_path_factory.mktemp("data")
    shutil.copytree(RAW, destino / "raw")
    return destino


def _salida(data_dir: Path, carpeta: Path, estado: str, fondo: str):
    d = mod_datos.cargar(data_dir, estado, 2024, fondo)
    a = auditoria.calcular(d)
    salidas.escribir_csvs(a, carpeta)
    ruta = documento.escribir_docx(a, d, carpeta)
    return d, a, ruta


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


def _etiquetas(tabla: str, ciclo: int = 2024) -> dict[str, tuple[str, str]]:
    """Label shown in the document → (CSV column, kind), from the column table the workbook reads."""
    return {c.etiqueta.format(ciclo=ciclo, anterior=ciclo - 1): (c.clave, c.tipo) for c in columnas.TABLAS[tabla]}


def _tabla_doc(t) -> tuple[list[str], list[list[str]]]:
    filas = [[c.text for c in fila.cells] for fila in t.rows]
    return filas[0], filas[1:]


def _comparar(t, filas_csv: list[dict[str, str]], clave: str, columnas_vistas: set | None = None) -> None:
    """Every docx cell of table ``t`` equals the formatted CSV cell of its row and column."""
    encabezado, filas = _tabla_doc(t)
    etiquetas = _etiquetas(clave)
    assert len(filas) == len(filas_csv), (clave, len(filas), len(filas_csv))
    for j, etiqueta in enumerate(encabezado):
        columna, tipo = etiquetas[etiqueta]
        if columnas_vistas is not None:
            columnas_vistas.add(columna)
        for i, fila in enumerate(filas):
            anio = filas_csv[i].get("regla") in REGLAS_CON_ANIOS and tipo == "numero"
            esperado = _formateado(filas_csv[i][columna], "entero" if anio else tipo)
            assert fila[j] == esperado, (clave, i, columna, fila[j], esperado)


def _tablas(ruta: Path) -> list:
    return Document(str(ruta)).tables


def _parrafo_tras(t) -> str:
    """Text of the first paragraph after a table that starts with «Fuente:»."""
    el = t._tbl.getnext()
    while el is not None and el.tag == qn("w:p"):
        texto = "".join(x.text or "" for x in el.iter(qn("w:t")))
        if texto.startswith("Fuente:"):
            return texto
        el = el.getnext()
    return ""


# ------------------------------------------------------------------------------- every cell vs CSV


def test_cada_celda_de_cada_anexo_igual_al_csv(ags):
    d, a, ruta = ags
    carpeta = ruta.parent
    tablas_doc = _tablas(ruta)
    # Aguascalientes has no money from earlier years: that table is a one-line note, not a table
    assert a.anexo1_arrastre.empty
    orden = [("anexo1_destino.csv", "anexo1"), ("anexo2_concurrencia.csv", "anexo2"),
             ("anexo3_asm_no_atendidos.csv", "anexo3"), ("anexo4_indicadores.csv", "anexo4"),
             ("anexo4_indicadores.csv", "anexo4"), ("anexo5_foda.csv", "anexo5"), ("anexo6_conac.csv", "anexo6"),
             ("anexo7_asm.csv", "anexo7"), ("seguimiento_asm.csv", "seguimiento"),
             ("seguimiento_asm.csv", "seguimiento")]
    vistas: dict[str, set] = {}
    for t, (nombre, clave) in zip(tablas_doc, orden):
        _comparar(t, _csv(carpeta / nombre), clave, vistas.setdefault(nombre, set()))
    for nombre, mostradas in vistas.items():  # split annexes show every CSV column across their tables
        todas = set(_csv(carpeta / nombre)[0]) - {"tipo_fila"}
        assert todas == mostradas, (nombre, todas - mostradas)
    # conteos by type and priority (no CSV of its own): against the frame's CSV text
    conteos = pd.read_csv(io.StringIO(salidas.tabla_csv(a.conteos_asm)), dtype=str, keep_default_na=False)
    _comparar(tablas_doc[len(orden)], conteos.to_dict("records"), "conteos_asm")
    # findings: summary by rule, then the detail grouped by annex equals hallazgos.csv, group by group
    h = _csv(carpeta / "hallazgos.csv")
    assert len(h) == len(a.hallazgos) > 0
    resumen = tablas_doc[len(orden) + 1]
    encabezado, filas = _tabla_doc(resumen)
    assert encabezado == ["Regla", "Severidad", "Hallazgos", "Qué revisa la regla"]  # the workbook's label
    por_regla: dict[str, int] = {}
    for fila in h:
        por_regla[fila["regla"]] = por_regla.get(fila["regla"], 0) + 1
    assert {f[0]: int(f[2]) for f in filas} == por_regla
    assert sum(int(f[2]) for f in filas) == len(h)
    grupos = tablas_doc[len(orden) + 2:]
    anexos_csv = list(dict.fromkeys(f["anexo"] for f in h))
    assert len(grupos) == len(anexos_csv)
    numero = {x: int(x.split()[1]) if x.startswith("Anexo ") else 99 for x in anexos_csv}
    arreglos = presentacion.correcciones()  # each finding says how to fix it, as in the Hallazgos sheet
    for t, anexo in zip(grupos, sorted(anexos_csv, key=lambda x: (numero[x], x))):
        _comparar(t, [{**f, "como_corregir": arreglos[f["regla"]]} for f in h if f["anexo"] == anexo],
                  "hallazgos")


def test_cifras_publicadas_con_formato(ags):
    _, _, ruta = ags
    t1, t2 = _tablas(ruta)[:2]
    encabezado, filas = _tabla_doc(t1)
    total = next(f for f in filas if f[0] == "TOTAL")
    assert total[encabezado.index("Aprobado")] == "$ 426,771,165.00"
    assert filas[0][encabezado.index("Aprobado")] == "$ 88,682,091.89"
    encabezado, filas = _tabla_doc(t2)
    fassa = next(f for f in filas if f[1] == "FASSA")
    assert fassa[encabezado.index("% respecto del total de la ejecutora")] == "50.14 %"
    assert next(f for f in filas if f[0] == "TOTAL")[encabezado.index("Total")] == "$ 4,455,911,143.00"


def test_anios_de_etiquetas_sin_separador_en_hallazgos(ags):
    _, a, ruta = ags
    anio = a.hallazgos[a.hallazgos["regla"] == "A2-ETIQUETA-ANIO"]
    assert not anio.empty and anio["valor_reportado"].iloc[0] == 2020
    filas = [f for t in _tablas(ruta)[-6:] for f in _tabla_doc(t)[1]]
    fila = next(f for f in filas if "A2-ETIQUETA-ANIO" in f and f[0] in {"error", "advertencia", "info"})
    assert "2020" in fila and "2024" in fila and not any("2,020" in c for c in fila)


# ------------------------------------------------------------------------------- layout


def test_secciones_horizontales_donde_la_tabla_es_ancha_y_anchos_que_caben(ags):
    _, _, ruta = ags
    doc = Document(str(ruta))
    horizontales = [s.page_width > s.page_height for s in doc.sections]
    #            Anexo 1, 2,     3,    4,    5,    6,     7,     Seguimiento, Hallazgos
    assert horizontales == [True, False, True, True, True, False, False, True, True]
    for s in doc.sections:
        assert (s.page_width, s.page_height) in ((Inches(11), Inches(8.5)), (Inches(8.5), Inches(11)))
    # every table's column widths add up to its page's text width
    cuerpo = doc.element.body
    seccion = 0
    for el in cuerpo.iterchildren():
        if el.tag == qn("w:tbl"):
            ancho = sum(int(g.get(qn("w:w"))) for g in el.iter(qn("w:gridCol")))
            esperado = ANCHO_HORIZONTAL if horizontales[seccion] else ANCHO_VERTICAL
            assert abs(ancho * 635 - esperado) < 635 * len(list(el.iter(qn("w:gridCol")))), (seccion, ancho)
            assert el.find(qn("w:tblPr")).find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            seccion += 1


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
    # Anexo 2 subtotals too
    t2 = _tablas(ruta)[1]
    negritas = [all(r.bold for c in f.cells for p in c.paragraphs for r in p.runs) for f in t2.rows[1:]]
    assert negritas == [t != "detalle" for t in a.anexo2["tipo_fila"]]


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
                   "Anexo 6. Tabla 1. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)",
                   "Seguimiento de los Aspectos Susceptibles de Mejora", "Hallazgos de la auditoría de cifras"):
        assert titulo in textos, titulo
    assert "No se registraron recursos de ejercicios anteriores ejercidos en el ciclo." in textos
    tablas_doc = _tablas(ruta)
    for t in tablas_doc:
        assert _parrafo_tras(t).startswith("Fuente: ")
    libro = AGS_LIBRO.name
    assert _parrafo_tras(tablas_doc[0]).startswith(f"Fuente: libro de captura {libro}, hoja destino.")
    assert d.ficha["fuente"] in _parrafo_tras(tablas_doc[0])
    assert f"{libro}, hoja concurrencia." in _parrafo_tras(tablas_doc[1])
    assert "hoja ficha; libro de captura" in _parrafo_tras(tablas_doc[6])


def test_srft_demo_con_arrastre_y_sin_ficha(qro):
    d, a, ruta = qro
    assert not a.anexo1_arrastre.empty and d.fuentes["destino"] == "srft"
    tablas_doc = _tablas(ruta)
    _comparar(tablas_doc[0], _csv(ruta.parent / "anexo1_destino.csv"), "anexo1")
    _comparar(tablas_doc[1], _csv(ruta.parent / "anexo1_recursos_anteriores.csv"), "anexo1_arrastre")
    fuente = _parrafo_tras(tablas_doc[0])
    assert "SRFT" in fuente and "ejercicio_del_gasto_2024_demo.csv" in fuente
    assert f"trimestre {d.trimestre_srft}" in fuente and fuente.endswith("DATOS DEMO SINTÉTICOS.")
    doc = Document(str(ruta))
    assert "Querétaro · Ciclo 2024 · Fondo de Aportaciones para los Servicios de Salud (FASSA) · DATOS DEMO " \
           "SINTÉTICOS" in [p.text for p in doc.paragraphs]
    # no capture workbook: the CONAC form is all pending, and its table says where nothing came from
    anexo6 = next(t for t in tablas_doc if _tabla_doc(t)[0] == ["Sección", "Campo", "Valor", "Pendiente"])
    assert {f[3] for f in _tabla_doc(anexo6)[1]} == {"Sí"}
    # an empty FODA keeps its header and says so
    anexo5 = next(t for t in tablas_doc if _tabla_doc(t)[0][0] == "Apartado")
    assert len(anexo5.rows) == 1


def test_dos_corridas_dan_los_mismos_bytes(ags, tmp_path):
    d, a, ruta = ags
    otra = documento.escribir_docx(a, d, tmp_path / "otra.docx")
    assert otra.read_bytes() == ruta.read_bytes()
    doc = Document(str(ruta))
    assert doc.core_properties.created == doc.core_properties.modified == dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    import zipfile

    with zipfile.ZipFile(ruta) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        xml = z.read("word/document.xml")
    assert b"w:fldSimple" not in xml and b"w:instrText" not in xml  # text only, no field codes


def test_texto_de_entrada_va_como_texto(ags, tmp_path):
    d, a, _ = ags
    peligrosos = ["{ PAGE }", "<w:t>x</w:t>", "=SUMA(A1)", "línea 1\nlínea 2", "control\x07fuera"]
    foda_malo = pd.DataFrame({"apartado": peligrosos, "fortalezas_oportunidades": "a", "debilidades_amenazas": "b",
                              "recomendaciones": "c", "actores": "ISSEA"})
    ruta = documento.escribir_docx(dataclasses.replace(a, anexo5=foda_malo), d, tmp_path / "x.docx")
    t = next(t for t in _tablas(ruta) if _tabla_doc(t)[0][0] == "Apartado")
    # a character XML forbids is marked «�», as in the workbook (comun.texto.texto_xml)
    assert [f[0] for f in _tabla_doc(t)[1]] == ["{ PAGE }", "<w:t>x</w:t>", "=SUMA(A1)", "línea 1\nlínea 2",
                                               "control\ufffdfuera"]


@pytest.mark.lenta
def test_report_escribe_anexos_docx(data_dir, tmp_path):
    assert main(["report", "--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR",
                 "--data-dir", str(data_dir), "--out", str(tmp_path), "--sin-html"]) == 0
    (carpeta,) = [p for p in tmp_path.glob("2024/*/*") if p.is_dir()]
    doc = Document(str(carpeta / "anexos.docx"))
    _comparar(doc.tables[0], _csv(carpeta / "anexo1_destino.csv"), "anexo1")


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
