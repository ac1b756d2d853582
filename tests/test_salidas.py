"""The files handed to the evaluator: annex CSVs (raw data) and ``anexos.xlsx`` (formatted).

Real reports: Aguascalientes 2024 IMSS-BIENESTAR (capture workbook transcribed from the
published evaluation: Anexo 1 total aprobado $426,771,165.00, Anexo 2 total $4,455,911,143
with FASSA at 50.14 %) from data/raw and the demo Querétaro 2024 FASSA (SRFT, no FODA) from
data/demo/raw. Files are read
back with pandas, the csv module and openpyxl; totals are recomputed here from the rows.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis import anexos as mod_anexos
from asm_analysis.entradas import datos as mod_datos
from asm_analysis.auditoria import Tolerancias
from asm_analysis.publicacion import marcas, salidas
from asm_analysis.publicacion.calculo import Calculo

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
RAW_DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "raw"
HOJAS = ["Anexo 1", "Anexo 2", "Anexo 3", "Anexo 4", "Anexo 5", "Anexo 6", "Anexo 7", "Seguimiento ASM",
         "Análisis", "Hallazgos"]
CSVS = ["anexo1_destino.csv", "anexo1_recursos_anteriores.csv", "anexo2_concurrencia.csv",
        "anexo3_asm_no_atendidos.csv", "anexo4_indicadores.csv", "anexo5_foda.csv", "anexo6_conac.csv",
        "anexo7_asm.csv", "seguimiento_asm.csv", "hallazgos.csv"]
COLUMNAS_HALLAZGOS = ["severidad", "anexo", "ubicacion", "regla", "valor_reportado", "valor_calculado",
                      "diferencia", "mensaje"]
HALLAZGOS = pd.DataFrame([
    {"severidad": "error", "anexo": "Anexo 1", "ubicacion": "destino, capítulo 1000", "regla": "subtotal_capitulo",
     "valor_reportado": 200582447.02, "valor_calculado": 322221218.71, "diferencia": -121638771.69,
     "mensaje": "El subtotal del capítulo 1000 no es la suma de sus conceptos."},
    {"severidad": "advertencia", "anexo": "Anexo 2", "ubicacion": "concurrencia, Subtotal Federal (a)",
     "regla": "porcentaje", "valor_reportado": 59.66, "valor_calculado": 59.65, "diferencia": 0.01,
     "mensaje": "El porcentaje reportado difiere del calculado."},
    {"severidad": "info", "anexo": "Anexo 6", "ubicacion": "ficha", "regla": "conac_pendiente",
     "valor_reportado": None, "valor_calculado": None, "diferencia": None,
     "mensaje": "Campos del formato CONAC pendientes."},
], columns=COLUMNAS_HALLAZGOS)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A private copy of the published inputs, data/raw (the shared data/processed is not touched)."""
    destino = tmp_path_factory.mktemp("data")
    shutil.copytree(RAW, destino / "raw")
    return destino


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A private copy of the synthetic demo inputs, data/demo/raw."""
    destino = tmp_path_factory.mktemp("data_demo")
    shutil.copytree(RAW_DEMO, destino / "raw")
    return destino


def _calc(d, a, **kw) -> Calculo:
    """The report's computation the writers take, around annexes built here."""
    return Calculo(d, a, Tolerancias(), **kw)


@pytest.fixture(scope="module")
def ags(data_dir):
    d = mod_datos.cargar(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    a = mod_anexos.calcular(d)
    a.hallazgos = HALLAZGOS.copy()
    return d, a


@pytest.fixture(scope="module")
def qro(demo_dir):
    d = mod_datos.cargar(demo_dir, "Querétaro", 2024, "FASSA")
    return d, mod_anexos.calcular(d)


@pytest.fixture(scope="module")
def salida_ags(ags, tmp_path_factory) -> Path:
    d, a = ags
    carpeta = tmp_path_factory.mktemp("ags")
    salidas.escribir_csvs(a, carpeta)
    salidas.escribir_excel(_calc(d, a), carpeta / "anexos.xlsx")
    return carpeta


@pytest.fixture(scope="module")
def salida_qro(qro, tmp_path_factory) -> Path:
    d, a = qro
    carpeta = tmp_path_factory.mktemp("qro")
    salidas.escribir_csvs(a, carpeta)
    salidas.escribir_excel(_calc(d, a), carpeta)
    return carpeta


def _leer(ruta: Path) -> pd.DataFrame:
    return pd.read_csv(ruta, dtype={"capitulo": str, "concepto": str, "numero": str}, keep_default_na=False,
                       na_values=[""])


def _encabezado(ws, primera: str) -> tuple[int, dict[str, int]]:
    """Row of the table header whose first label is ``primera`` and its label → column map."""
    for fila in ws.iter_rows():
        if fila[0].value == primera and fila[0].font.b and fila[0].fill.fgColor.rgb.endswith("1F3864"):
            return fila[0].row, {c.value: c.column for c in fila if c.value is not None}
    raise AssertionError(f"no header starting with {primera!r} on {ws.title}")


# ------------------------------------------------------------------------------------ CSV


def test_csvs_escritos_en_orden_utf8_sin_bom(ags, tmp_path):
    rutas = salidas.escribir_csvs(ags[1], tmp_path)
    assert [r.name for r in rutas] == CSVS
    for ruta in rutas:
        crudo = ruta.read_bytes()
        assert not crudo.startswith(b"\xef\xbb\xbf")
        texto = crudo.decode("utf-8")
        assert "\r\n" not in texto and texto.endswith("\n")
        encabezado = next(csv.reader([texto.splitlines()[0]]))
        assert all(re.fullmatch(r"[a-z0-9_]+", c) for c in encabezado), (ruta.name, encabezado)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(CSVS)  # no temporary files left


def test_anexo1_total_es_suma_de_detalles_y_subtotales(salida_ags):
    t = _leer(salida_ags / "anexo1_destino.csv")
    assert list(t.columns[:3]) == ["tipo_fila", "capitulo", "concepto"]
    total = t[t["tipo_fila"] == "total"]
    assert len(total) == 1
    aprobado = float(total["aprobado"].iloc[0])
    assert aprobado == 426771165.00
    detalle = t[t["tipo_fila"] == "detalle"]
    subtotales = t[t["tipo_fila"] == "subtotal"]
    assert list(subtotales["capitulo"]) == [f"{c}000" for c in range(1, 10)]
    for momento in ("aprobado", "modificado", "devengado", "pagado", "disponible"):
        suma_detalle = math.fsum(detalle[momento])
        suma_subtotales = math.fsum(subtotales[momento])
        assert float(total[momento].iloc[0]) == pytest.approx(suma_detalle, abs=0.005)
        assert float(total[momento].iloc[0]) == pytest.approx(suma_subtotales, abs=0.005)
    for _, sub in subtotales.iterrows():
        del_capitulo = detalle[detalle["capitulo"] == sub["capitulo"]]
        assert sub["aprobado"] == pytest.approx(math.fsum(del_capitulo["aprobado"]), abs=0.005)
    assert set(t["concepto"].dropna()) >= {"1100", "2500", "9900"}


def test_numeros_planos_en_csv(salida_ags):
    texto = (salida_ags / "anexo1_destino.csv").read_text(encoding="utf-8")
    fila_total = next(linea for linea in texto.splitlines() if linea.startswith("total,"))
    assert ",426771165.0," in fila_total
    assert "$" not in texto and "%" not in texto
    assert not re.search(r"\d[eE][+-]?\d", texto)  # no scientific notation
    assert not re.search(r"\d,\d{3},\d{3}\.", texto.replace('"', ""))  # no thousands separators


def test_anexo2_total_y_porcentaje_fassa(salida_ags):
    t = _leer(salida_ags / "anexo2_concurrencia.csv")
    assert {"orden_gobierno", "fuente", "monto", "porcentaje", "tipo_fila"} <= set(t.columns)
    total = t[t["tipo_fila"] == "total"]
    assert float(total["monto"].iloc[0]) == 4455911143
    detalle = t[t["tipo_fila"] == "detalle"]
    assert math.fsum(detalle["monto"]) == pytest.approx(4455911143, abs=0.5)
    fassa = detalle[detalle["fuente"] == "FASSA"]
    assert float(fassa["porcentaje"].iloc[0]) == 50.14
    assert round(float(fassa["monto"].iloc[0]) / 4455911143 * 100, 2) == 50.14
    assert float(total["porcentaje"].iloc[0]) == 100.0


def test_tipo_fila_solo_donde_se_mezclan_filas(salida_ags):
    con_tipo = {"anexo1_destino.csv", "anexo1_recursos_anteriores.csv", "anexo2_concurrencia.csv"}
    for nombre in CSVS:
        columnas = pd.read_csv(salida_ags / nombre, nrows=0).columns
        assert ("tipo_fila" in columnas) == (nombre in con_tipo), nombre


def test_columnas_clave(salida_ags):
    a4 = _leer(salida_ags / "anexo4_indicadores.csv")
    assert {"indicador", "cumplimiento", "semaforo"} <= set(a4.columns)
    assert len(a4) == 7
    assert set(a4["semaforo"]) <= {"Verde", "Amarillo", "Rojo", "Sobrecumplimiento"}
    # cumplimiento in percent: the maternal mortality ratio is descending, 16.46 / 17.20
    fin = a4[a4["nivel"] == "Fin"].iloc[0]
    assert fin["cumplimiento"] == pytest.approx(round(16.46 / 17.20 * 100, 2))


def test_hallazgos_csv(salida_ags):
    t = pd.read_csv(salida_ags / "hallazgos.csv")
    assert list(t.columns) == COLUMNAS_HALLAZGOS
    assert list(t["severidad"]) == ["error", "advertencia", "info"]
    assert t["valor_reportado"].iloc[0] == 200582447.02
    assert t["diferencia"].iloc[1] == 0.01
    assert pd.isna(t["valor_reportado"].iloc[2])
    assert list(t["mensaje"]) == list(HALLAZGOS["mensaje"])


def test_hallazgos_csv_columnas_exactas_aunque_el_marco_traiga_otras(ags, tmp_path):
    extra = HALLAZGOS.assign(interno=1)[["interno", *reversed(COLUMNAS_HALLAZGOS)]]
    a = dataclasses.replace(ags[1], hallazgos=extra)
    salidas.escribir_csvs(a, tmp_path)
    assert list(pd.read_csv(tmp_path / "hallazgos.csv").columns) == COLUMNAS_HALLAZGOS


def test_fechas_iso_y_arrastre_qro(salida_qro, qro):
    seg = pd.read_csv(salida_qro / "seguimiento_asm.csv", dtype=str)
    fechas = pd.concat([seg["fecha_inicio"], seg["fecha_termino"]]).dropna()
    assert len(fechas) > 0 and fechas.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    arr = _leer(salida_qro / "anexo1_recursos_anteriores.csv")
    det = arr[arr["tipo_fila"] == "detalle"]
    tot = arr[arr["tipo_fila"] == "total"]
    assert float(tot["devengado"].iloc[0]) == pytest.approx(math.fsum(det["devengado"]), abs=0.005)
    assert (det["ciclo_recurso"] < 2024).all()


def test_texto_csv_formatos():
    assert salidas.texto_csv(426771165.0) == "426771165.0"
    assert salidas.texto_csv(50.14) == "50.14"
    assert salidas.texto_csv(1e16) == "10000000000000000.0"
    assert salidas.texto_csv(0.00001) == "0.00001"
    assert salidas.texto_csv(-0.0) == "0.0"
    assert salidas.texto_csv(float("nan")) == ""
    assert salidas.texto_csv(None) == ""
    assert salidas.texto_csv(pd.NaT) == ""
    assert salidas.texto_csv(2024) == "2024"
    assert salidas.texto_csv(pd.Timestamp("2022-09-30")) == "2022-09-30"


# ------------------------------------------------------------------------------------ xlsx


def test_hojas_en_orden_y_titulos(salida_ags, salida_qro):
    wb = load_workbook(salida_ags / "anexos.xlsx")
    assert wb.sheetnames == HOJAS
    assert wb["Anexo 1"]["A1"].value == "Anexo 1. Destino de las aportaciones en la entidad"
    assert wb["Anexo 2"]["A1"].value == "Anexo 2. Concurrencia de recursos en la entidad"
    assert wb["Anexo 7"]["A1"].value == "Anexo 7. Informe de Aspectos Susceptibles de Mejora"
    sub = wb["Anexo 1"]["A2"].value
    assert "Aguascalientes" in sub and "2024" in sub and "IMSS-BIENESTAR" in sub
    assert "DEMO" not in sub
    demo = load_workbook(salida_qro / "anexos.xlsx")
    assert all("DATOS DEMO SINTÉTICOS" in demo[h]["A2"].value for h in HOJAS)


def test_anexo1_hoja_oficial_total_formato_y_negritas(salida_ags):
    t = _leer(salida_ags / "anexo1_destino.csv")
    aprobado_detalle = sum(t.loc[t["tipo_fila"] == "detalle", "aprobado"])  # independent sum of the concepts
    ws = load_workbook(salida_ags / "anexos.xlsx")["Anexo 1"]
    fila_enc, cols = _encabezado(ws, "Capítulos de gasto")
    assert list(cols) == ["Capítulos de gasto", "Concepto", "Aprobado", "Modificado", "Devengado", "Pagado",
                          "Disponible"]
    encabezado = ws.cell(row=fila_enc, column=cols["Aprobado"])
    assert encabezado.font.b and encabezado.font.color.rgb.endswith("FFFFFF") and encabezado.font.name == "Arial"
    assert ws.print_title_rows == f"${fila_enc}:${fila_enc}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0  # fit to width, never to one page
    filas = {ws.cell(row=r, column=1).value: r for r in range(fila_enc + 1, ws.max_row + 1)}
    assert ws.cell(row=fila_enc + 1, column=1).value == "1000: Servicios personales"
    assert ws.cell(row=fila_enc + 1, column=2).value == "1100 Remuneraciones al personal de carácter permanente"
    celda = ws.cell(row=filas["Gran total"], column=cols["Aprobado"])
    assert celda.data_type == "n" and celda.value == pytest.approx(aprobado_detalle) == 426771165.00
    assert "#,##0.00" in celda.number_format and celda.font.b
    subtotales = [r for r in range(fila_enc + 1, ws.max_row + 1)
                  if str(ws.cell(row=r, column=1).value or "").startswith("Subtotal capítulo")]
    assert len(subtotales) == 9
    for r in subtotales:
        assert all(ws.cell(row=r, column=c).font.b for c in cols.values())
        assert ws.cell(row=r, column=cols["Aprobado"]).fill.fgColor.rgb.endswith("DDEBF7")
    primera = ws.cell(row=fila_enc + 1, column=cols["Aprobado"])
    assert primera.value == 88682091.89 and not primera.font.b
    # wrapped concept names get a row height; columns are as wide as their widest amount needs
    assert ws.row_dimensions[fila_enc + 1].height and ws.row_dimensions[fila_enc + 1].height >= 2 * 12
    assert ws.column_dimensions["C"].width >= len("426,771,165.00")
    textos = [ws.cell(row=r, column=1).value for r in range(filas["Gran total"] + 1, ws.max_row + 1)]
    assert any(isinstance(v, str) and v.startswith("Cifras recalculadas por asm-analysis") for v in textos)


def test_analisis_lleva_porcentajes_y_recursos_anteriores(salida_ags, salida_qro):
    ws = load_workbook(salida_ags / "anexos.xlsx")["Análisis"]
    fila, cols = _encabezado(ws, "Capítulo")
    assert {"% Devengado/Modificado", "% Pagado/Devengado"} <= set(cols)
    pct = ws.cell(row=fila + 1, column=cols["% Devengado/Modificado"])
    assert pct.value == 100 and '"%"' in pct.number_format.replace(" ", "")
    fila4, cols4 = _encabezado(ws, "MIR")
    assert {"Sentido", "Semáforo 2024", "Variación (puntos porcentuales)"} <= set(cols4)
    # the official sheets carry none of these columns
    libro = load_workbook(salida_ags / "anexos.xlsx")
    for hoja in ("Anexo 1", "Anexo 4"):
        encabezados = {c.value for fila in libro[hoja].iter_rows() for c in fila
                       if c.font.b and c.fill.fgColor.rgb.endswith("1F3864")}
        assert not encabezados & {"% Devengado/Modificado", "Semáforo 2024", "Sentido", "MIR"}


def test_anexo1_arrastre_qro_en_analisis(salida_qro):
    arr = _leer(salida_qro / "anexo1_recursos_anteriores.csv")
    ws = load_workbook(salida_qro / "anexos.xlsx")["Análisis"]
    fila, cols = _encabezado(ws, "Ejercicio de origen")
    total = next(r for r in range(fila + 1, ws.max_row + 1)
                 if ws.cell(row=r, column=cols["Capítulo"]).value == "TOTAL")
    celda = ws.cell(row=total, column=cols["Devengado"])
    assert celda.value == float(arr.loc[arr["tipo_fila"] == "total", "devengado"].iloc[0])
    assert celda.font.b and "#,##0.00" in celda.number_format


def test_anexo2_porcentaje_es_numero_de_porcentaje(salida_ags):
    ws = load_workbook(salida_ags / "anexos.xlsx")["Anexo 2"]
    fila, cols = _encabezado(ws, "Orden de Gobierno")
    col_pct = next(c for etiqueta, c in cols.items() if etiqueta.startswith("%"))
    assert list(cols)[col_pct - 1].endswith("total de recursos 2024 de la Ejecutora")
    fuente = cols["Fuente de Financiamiento"]
    fassa = next(r for r in range(fila + 1, ws.max_row + 1) if ws.cell(row=r, column=fuente).value == "FASSA")
    celda = ws.cell(row=fassa, column=col_pct)
    assert celda.data_type == "n" and celda.value == 50.14
    assert celda.number_format == '#,##0.00" %"'
    total = next(r for r in range(fila + 1, ws.max_row + 1)
                 if str(ws.cell(row=r, column=1).value).startswith("Total de ingresos 2024 de la Ejecutora"))
    assert ws.cell(row=total, column=cols["Total"]).value == 4455911143
    assert ws.cell(row=total, column=cols["Total"]).font.b


def test_marcas_relleno_comentario_y_nota(ags, tmp_path):
    d, a = ags
    sub = a.anexo1.index[(a.anexo1["tipo_fila"] == "subtotal") & (a.anexo1["capitulo"] == "1000")][0]
    fin = a.anexo4.index[a.anexo4["nivel"] == "Fin"][0]
    m = pd.DataFrame([
        ("anexo1", sub, "modificado", 1, "Capítulo 1000, modificado", "$ 200,582,447.02", "$ 196,069,868.52",
         "A1-SUBTOTAL", "error", ""),
        ("anexo4", fin, "cumplimiento", 1, "Fin, cumplimiento 2024", "100.00 %", "95.70 %", "A4-CUMPLIMIENTO",
         "error", "indicador descendente"),
        ("anexo6", a.anexo6.index[a.anexo6["campo"] == "6.1 Tipo de contratación"][0], "valor", 1,
         "6.1 Tipo de contratación", "Licitación Pública Nacional", "Adjudicación Directa", "A6-PRUEBA", "advertencia",
         ""),
    ], columns=marcas.COLUMNAS_MARCAS[:10])
    ruta = salidas.escribir_excel(_calc(d, a, marcas=m), tmp_path / "anexos.xlsx")
    wb = load_workbook(ruta)
    ws = wb["Anexo 1"]
    fila, cols = _encabezado(ws, "Capítulos de gasto")
    r = next(r for r in range(fila + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Subtotal capítulo 1000")
    celda = ws.cell(row=r, column=cols["Modificado"])
    assert celda.value == pytest.approx(196069868.52) and celda.data_type == "n"
    assert celda.fill.fgColor.rgb.endswith(salidas.COLOR_MARCA)
    assert celda.comment is not None and "reportado $ 200,582,447.02" in celda.comment.text
    assert celda.number_format.endswith('" [1]"')
    marcadas = [c for fila_ in ws.iter_rows() for c in fila_ if c.comment is not None]
    assert marcadas == [celda]
    textos = [ws.cell(row=x, column=1).value for x in range(r, ws.max_row + 1)]
    assert ("1. Capítulo 1000, modificado: reportado $ 200,582,447.02; recalculado $ 196,069,868.52.") in textos
    ws4 = wb["Anexo 4"]
    fila4, cols4 = _encabezado(ws4, "Nivel de Objetivo")
    r4 = next(r for r in range(fila4 + 1, ws4.max_row + 1) if ws4.cell(row=r, column=1).value == "Fin")
    assert ws4.cell(row=r4, column=cols4["Avance con respecto a la meta en 2024 (Avance/ Meta)"]).comment is not None
    assert ws4.cell(row=fila4 + 1, column=1).value == "Indicadores MIR Estatal"
    ws6 = wb["Anexo 6"]
    (fila6,) = [c.row for c in ws6["A"] if c.value == "6.1 Tipo de contratación:"]
    valor = ws6.cell(row=fila6, column=2)
    assert "(X) Licitación Pública Nacional" in valor.value and valor.value.endswith("[1]")
    assert "(   ) Adjudicación Directa" in valor.value
    assert valor.comment is not None and valor.fill.fgColor.rgb.endswith(salidas.COLOR_MARCA)
    (fila53,) = [c.row for c in ws6["A"] if c.value == "5.3 Ente público coordinador del (los) programa(s):"]
    assert ws6.cell(row=fila53, column=2).value is None  # a blank field stays blank


def test_hoja_hallazgos(salida_ags):
    ws = load_workbook(salida_ags / "anexos.xlsx")["Hallazgos"]
    fila, cols = _encabezado(ws, "Severidad")
    # A summary by rule comes first: one row per rule, its count.
    fila_r, cols_r = _encabezado(ws, "Regla")
    assert fila_r < fila
    resumen = {ws.cell(row=r, column=cols_r["Regla"]).value: ws.cell(row=r, column=cols_r["Hallazgos"]).value
               for r in range(fila_r + 1, fila_r + 1 + HALLAZGOS["regla"].nunique())}
    assert resumen == HALLAZGOS["regla"].value_counts().to_dict()
    # Then the detail, grouped by annex (the fixture is already in annex order), with a fix column
    # (empty here: the fixture's rule ids are not rules of the audit).
    contrato = [c for etiqueta, c in cols.items() if etiqueta != "Cómo corregir"]
    filas = [[ws.cell(row=r, column=c).value for c in contrato] for r in range(fila + 1, ws.max_row + 1)]
    assert len(filas) == len(HALLAZGOS)
    # each severity by the label the page uses (the CSV keeps the codes error, advertencia, info)
    legibles = {"error": "Error", "advertencia": "Advertencia", "info": "Informativo"}
    for escrita, (_, esperada) in zip(filas, HALLAZGOS.iterrows()):
        assert escrita == [legibles.get(v, v) if c == "severidad" else None if pd.isna(v) else v
                           for c, v in esperada.items()]
    severidades = [ws.cell(row=r, column=cols["Severidad"]) for r in range(fila + 1, ws.max_row + 1)]
    assert [c.value for c in severidades] == ["Error", "Advertencia", "Informativo"]
    assert [c.fill.fgColor.rgb[-6:] for c in severidades] == ["FFC7CE", "FFEB9C", "DDEBF7"]
    assert [ws.cell(row=r, column=cols["Cómo corregir"]).value for r in range(fila + 1, ws.max_row + 1)] == \
        [None] * len(HALLAZGOS)
    assert ws.cell(row=fila + 1, column=cols["Valor reportado"]).data_type == "n"


def test_seguimiento_y_conteos(salida_qro, qro):
    _, a = qro
    ws = load_workbook(salida_qro / "anexos.xlsx")["Seguimiento ASM"]
    fila, cols = _encabezado(ws, "Evaluación de origen")
    assert ws.cell(row=fila + 1, column=cols["Fecha de inicio"]).is_date
    assert ws.cell(row=fila + 1, column=cols["Fecha de inicio"]).number_format == "dd/mm/yyyy"
    fila_c, cols_c = _encabezado(ws, "Tipo de ASM")
    assert fila_c > fila + len(a.seguimiento)
    totales = [ws.cell(row=r, column=cols_c["Total"]).value for r in range(fila_c + 1, fila_c + 1 + len(a.conteos_asm))]
    # one ASM per (ciclo, numero) of Querétaro's FASSA evaluations in the demo CSV, and only there:
    # the published Querétaro ASM of data/raw are not mixed into a demo report any more
    with open(RAW_DEMO / "asm" / "demo_asm.csv", encoding="utf-8", newline="") as f:
        esperados = {(r["ciclo"], r["numero"]) for r in csv.DictReader(f)
                     if r["cve_ent"] == "22" and r["fondo"] == "FASSA" and int(r["ciclo"]) <= 2024}
    assert sum(totales) == len(a.asm_por_aspecto) == len(esperados) == 11


def test_notas_bajo_el_titulo(salida_qro, qro):
    _, a = qro
    wb = load_workbook(salida_qro / "anexos.xlsx")
    ws = wb["Anexo 5"]
    assert ws["A3"].value == a.notas["anexo5"] and ws["A3"].font.i
    fila, _ = _encabezado(ws, "Apartado")
    assert ws.cell(row=fila + 1, column=1).value == "Sin registros para este anexo."
    assert ws.cell(row=fila + 2, column=1).value.startswith("Fuente: ")  # then only its source line
    assert wb["Anexo 5"].max_row == fila + 2


def test_inyeccion_de_formulas(ags, tmp_path):
    d, a = ags
    peligrosos = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tX", "#N/A"]
    foda = pd.DataFrame({"apartado": ["I. Diseño"] * len(peligrosos), "fortalezas_oportunidades": peligrosos,
                         "debilidades_amenazas": "ok", "recomendaciones": "ok", "actores": "ISSEA"})
    a7 = a.anexo7.iloc[:len(peligrosos)].copy()
    a7 = pd.concat([a7, a7]).iloc[:len(peligrosos)].reset_index(drop=True)
    a7["aspecto"] = peligrosos
    malo = dataclasses.replace(a, anexo5=foda, anexo7=a7)
    salidas.escribir_csvs(malo, tmp_path)
    ruta = salidas.escribir_excel(_calc(d, malo), tmp_path / "anexos.xlsx")
    wb = load_workbook(ruta)
    for hoja, primera, columna in (("Anexo 5", "Apartado", "Fortalezas / Oportunidades"),
                                   ("Anexo 7", "No.", "Aspecto Susceptible de Mejora (ASM)")):
        ws = wb[hoja]
        fila, cols = _encabezado(ws, primera)
        for i, texto in enumerate(peligrosos, start=1):
            celda = ws.cell(row=fila + i, column=cols[columna])
            assert celda.data_type == "s", (hoja, texto)
            assert celda.value == texto
            if texto[0] in "=+-@\t":
                assert celda.quotePrefix
    # amounts stay numbers
    ws = wb["Anexo 1"]
    fila, cols = _encabezado(ws, "Capítulos de gasto")
    assert ws.cell(row=fila + 1, column=cols["Aprobado"]).data_type == "n"
    # no formula anywhere in the workbook's XML
    with zipfile.ZipFile(ruta) as z:
        hojas = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert hojas and not any(b"<f>" in x or b"<f " in x for x in hojas)
    # CSV keeps the text, with an apostrophe before what a spreadsheet would run (figures unchanged)
    foda_csv = pd.read_csv(tmp_path / "anexo5_foda.csv", keep_default_na=False)
    assert list(foda_csv["fortalezas_oportunidades"]) == [
        '\'=HYPERLINK("http://x","y")', "+1+1", "-2", "'@SUM(A1)", "'\tX", "#N/A"]


def test_valores_no_finitos_y_nulos_son_celdas_vacias(ags, tmp_path):
    d, a = ags
    a1 = a.anexo1.copy()
    a1.loc[0, "aprobado"] = float("nan")
    a1.loc[1, "aprobado"] = float("inf")
    ruta = salidas.escribir_excel(_calc(d, dataclasses.replace(a, anexo1=a1)), tmp_path / "anexos.xlsx")
    ws = load_workbook(ruta)["Anexo 1"]
    fila, cols = _encabezado(ws, "Capítulos de gasto")
    assert ws.cell(row=fila + 1, column=cols["Aprobado"]).value is None
    assert ws.cell(row=fila + 2, column=cols["Aprobado"]).value is None
    # pct of a concept with no spending (0/0) is missing: empty cell, not 0 («Análisis»)
    ws = load_workbook(ruta)["Análisis"]
    fila, cols = _encabezado(ws, "Capítulo")
    concepto_1600 = next(r for r in range(fila + 1, ws.max_row + 1)
                         if ws.cell(row=r, column=cols["Concepto"]).value == "1600")
    assert ws.cell(row=concepto_1600, column=cols["% Devengado/Modificado"]).value is None


# ------------------------------------------------------------------------------------ determinism, empty annexes


def test_dos_corridas_identicas(ags, tmp_path):
    d, a = ags
    uno, dos = tmp_path / "uno", tmp_path / "dos"
    for carpeta in (uno, dos):
        salidas.escribir_csvs(a, carpeta)
        salidas.escribir_excel(_calc(d, a), carpeta / "anexos.xlsx")
    for nombre in CSVS:
        assert (uno / nombre).read_bytes() == (dos / nombre).read_bytes(), nombre
    libros = [load_workbook(c / "anexos.xlsx") for c in (uno, dos)]
    for hoja in HOJAS:
        valores = [[[c.value for c in fila] for fila in wb[hoja].iter_rows()] for wb in libros]
        assert valores[0] == valores[1]
    assert libros[0].properties.created == libros[0].properties.modified
    assert libros[0].properties.modified.year == 2000
    assert (uno / "anexos.xlsx").read_bytes() == (dos / "anexos.xlsx").read_bytes()


def test_anexos_vacios(qro, salida_qro, tmp_path):
    d, a = qro
    assert (salida_qro / "anexo5_foda.csv").read_text(encoding="utf-8") == (
        "apartado,fortalezas_oportunidades,debilidades_amenazas,recomendaciones,actores\n")
    vacio = dataclasses.replace(
        a, **{f.name: getattr(a, f.name).iloc[0:0] for f in dataclasses.fields(a)
              if isinstance(getattr(a, f.name), pd.DataFrame)}, notas={})
    rutas = salidas.escribir_csvs(vacio, tmp_path)
    for ruta in rutas:
        assert len(ruta.read_text(encoding="utf-8").splitlines()) == 1
    wb = load_workbook(salidas.escribir_excel(_calc(d, vacio), tmp_path / "anexos.xlsx"))
    assert wb.sheetnames == HOJAS
    for hoja in HOJAS:
        ws = wb[hoja]
        assert ws["A1"].value and ws["A2"].value
        assert any(ws.cell(row=r, column=1).font.i for r in range(4, ws.max_row + 1))


def test_whole_numbers_stay_integers_in_the_csv():
    """Days, years and counts stored as floats (a column with an empty row) are written as integers;
    money and shares keep their decimal part; the years of a *-ANIO finding are years."""
    from asm_analysis.publicacion.salidas import enteros_como_enteros, tabla_csv

    seguimiento = pd.DataFrame({"ciclo_origen": [2020.0, float("nan")], "dias_vencido": [273.0, float("nan")],
                                "avance": [50.0, 100.0]})
    texto = tabla_csv(enteros_como_enteros(seguimiento, "seguimiento"))
    assert texto.splitlines() == ["ciclo_origen,dias_vencido,avance", "2020,273,50.0", ",,100.0"]
    hallazgos = pd.DataFrame({"regla": ["A2-ETIQUETA-ANIO", "A1-TOTAL"], "valor_reportado": [2020.0, 5.0],
                              "valor_calculado": [2024.0, 4.0], "diferencia": [-4.0, 1.0]})
    lineas = tabla_csv(enteros_como_enteros(hallazgos, "hallazgos")).splitlines()
    assert lineas[1] == "A2-ETIQUETA-ANIO,2020,2024,-4" and lineas[2] == "A1-TOTAL,5.0,4.0,1.0"
    assert seguimiento["dias_vencido"].tolist()[0] == 273.0            # the table itself is left as it was


def test_cada_hoja_imprime_su_pie_con_el_informe_y_la_pagina(salida_ags, salida_qro):
    """Every sheet prints, at the foot of each page, the report it belongs to (the demo said so) and
    «<sheet> · página N de M» in Excel's codes."""
    for carpeta, titulo in ((salida_ags, "Anexos EED IMSS-BIENESTAR 2024 · Aguascalientes"),
                            (salida_qro, "Anexos EED FASSA 2024 · Querétaro · DATOS DEMO SINTÉTICOS")):
        wb = load_workbook(carpeta / "anexos.xlsx")
        assert len(wb.worksheets) >= 9
        for ws in wb.worksheets:
            assert (ws.oddFooter.left.text, ws.oddFooter.right.text) == (titulo, "&A · página &P de &N"), ws.title
