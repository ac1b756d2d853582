"""Capture workbook: the published Aguascalientes annexes read back to their figures, a template
filled in and read back unchanged, and every structural mistake named by file and sheet."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from asm_analysis.entradas import captura, tablas
from asm_analysis.entradas.captura import escribir_plantilla, leer_captura
from asm_analysis.comun.errores import ErrorEntrada
from hoja_captura import agregar_filas, columnas_de

RAIZ = Path(__file__).resolve().parents[1]
AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
HOJAS_LIBRO = ["ficha", "destino", "concurrencia", "indicadores", "asm", "foda", "instrucciones"]
HOJAS_DATOS = ["destino", "concurrencia", "indicadores", "asm", "foda"]


# --------------------------------------------------------------------------- (a) published workbook


@pytest.fixture(scope="module")
def ags():
    return leer_captura(AGS)


def test_ags_identidad_y_sin_rechazos(ags):
    assert ags.estado.cve_ent == "01"
    assert ags.estado.nombre == "Aguascalientes"
    assert ags.ciclo == 2024
    assert ags.fondo.clave == "IMSS-BIENESTAR"
    assert ags.fecha_corte == dt.date(2024, 12, 31)
    assert ags.rechazos.empty
    for hoja, r in ags.resultados.items():
        assert r.leidas == r.cargadas + r.rechazadas, hoja


@pytest.mark.parametrize(
    ("hoja", "filas_esperadas"),
    # data rows typed in the published transcription (header excluded)
    [("destino", 42), ("concurrencia", 12), ("indicadores", 7), ("asm", 8), ("foda", 4)],
)
def test_ags_numero_de_filas(ags, hoja, filas_esperadas):
    assert len(ags.tablas[hoja]) == filas_esperadas
    assert ags.resultados[hoja].leidas == filas_esperadas


def test_ags_destino_total_aprobado(ags):
    destino = ags.tablas["destino"]
    detalle = destino[destino["concepto"].notna()]
    assert detalle["aprobado"].sum() == pytest.approx(426_771_165.00, abs=0.01)
    total = destino[destino["capitulo"] == "TOTAL"]
    assert len(total) == 1
    assert total["aprobado"].iloc[0] == pytest.approx(426_771_165.00, abs=0.01)
    assert total["aprobado"].iloc[0] == pytest.approx(detalle["aprobado"].sum(), abs=0.01)


@pytest.mark.parametrize(
    ("capitulo", "momento", "suma_detalle", "subtotal_reportado"),
    [
        # the published Anexo 1 does not add up in chapter 1000: kept as typed for the audit
        ("1000", "modificado", 196_069_868.52, 200_582_447.02),
        ("1000", "aprobado", 200_582_447.02, 200_582_447.02),
        ("2000", "aprobado", 143_833_262.39, 143_833_262.39),
        ("3000", "aprobado", 81_255_455.59, 81_255_455.59),
        ("4000", "aprobado", 0.0, 0.0),
    ],
)
def test_ags_destino_subtotales_reportados(ags, capitulo, momento, suma_detalle, subtotal_reportado):
    destino = ags.tablas["destino"]
    detalle = destino[(destino["capitulo"] == capitulo) & destino["concepto"].notna()]
    subtotal = destino[(destino["capitulo"] == capitulo) & destino["concepto"].isna()]
    assert detalle[momento].sum() == pytest.approx(suma_detalle, abs=0.01)
    assert len(subtotal) == 1
    assert subtotal[momento].iloc[0] == pytest.approx(subtotal_reportado, abs=0.01)


@pytest.mark.parametrize(
    ("concepto", "columna", "esperado"),
    [
        ("1100", "aprobado", 88_682_091.89),
        ("1400", "devengado", 133_102_471.65),
        ("3300", "aprobado", 13_440_000.0),
        ("3300", "disponible", 406_338.14),
        ("5300", "pagado", 1_100_000.0),
    ],
)
def test_ags_destino_celdas(ags, concepto, columna, esperado):
    destino = ags.tablas["destino"]
    (valor,) = destino.loc[destino["concepto"] == concepto, columna]
    assert valor == pytest.approx(esperado, abs=0.001)


def test_ags_concurrencia(ags):
    conc = ags.tablas["concurrencia"]
    detalle = conc[conc["fuente"].notna()]
    assert detalle["monto"].sum() == pytest.approx(4_455_911_143, abs=0.01)
    total = conc[conc["orden_gobierno"] == "TOTAL"]
    assert total["monto"].tolist() == [4_455_911_143]
    assert total["porcentaje"].tolist() == [100.0]
    (fassa,) = conc.loc[conc["fuente"] == "FASSA", "porcentaje"]
    assert fassa == pytest.approx(50.13)
    federal = conc[(conc["orden_gobierno"] == "Federal") & conc["fuente"].isna()]
    assert federal["monto"].tolist() == [2_657_865_233]
    assert set(conc["orden_gobierno"]) == {"Federal", "Estatal", "Ingresos propios", "Otros", "TOTAL"}


def test_ags_indicadores(ags):
    ind = ags.tablas["indicadores"]
    assert len(ind) == 7
    materna = ind[ind["indicador"].str.contains("Mortalidad Materna")]
    assert len(materna) == 1
    fila = materna.iloc[0]
    assert fila["sentido"] == "Descendente"
    assert fila["nivel"] == "Fin"
    assert fila["mir"] == "Estatal"
    assert fila["meta"] == pytest.approx(16.46)
    assert fila["avance"] == pytest.approx(17.2)
    assert fila["avance_meta_reportado"] == pytest.approx(100.0)
    medicos = ind[ind["indicador"].str.startswith("Médicos generales")].iloc[0]
    assert medicos["avance_meta_reportado"] == pytest.approx(83.95)


def test_ags_asm(ags):
    asm = ags.tablas["asm"]
    assert len(asm) == 8
    assert asm["numero"].tolist() == ["1", "2", "3", "1", "2", "3", "4", "5"]
    assert set(asm["tipo"].dropna()) <= {"Específico", "Institucional", "Interinstitucional", "Intergubernamental"}
    assert set(asm["prioridad"].dropna()) <= {"Alta", "Media", "Baja"}


# --------------------------------------------------------------------------- (b) template round trip


FICHA = {
    "ejecutora": "Servicios de Salud del Estado de Querétaro (SESEQ)",
    "instancia_evaluadora": "Evaluadora Ejemplo, S.C.",
    "fecha_corte": "31/12/2024",
    "fuente": "Información entregada por la ejecutora",
    "costo": "$ 150,000.00",
}

DESTINO = {  # concepto → amounts typed as an analyst would
    "1100": {"aprobado": "$ 1,000,000.50", "modificado": 1_100_000, "devengado": "900,000.25",
             "pagado": "(1,000.00)", "disponible": "---"},
    "2500": {"aprobado": 250_000.75, "modificado": "250,000.75", "devengado": "2'250,000",
             "pagado": "0.00", "disponible": 0},
}
DESTINO_ESPERADO = {
    "1100": {"aprobado": 1_000_000.50, "modificado": 1_100_000.0, "devengado": 900_000.25,
             "pagado": -1_000.0, "disponible": None},
    "2500": {"aprobado": 250_000.75, "modificado": 250_000.75, "devengado": 2_250_000.0,
             "pagado": 0.0, "disponible": 0.0},
}

CONCURRENCIA = [
    {"orden_gobierno": "Federal", "fuente": "FASSA", "monto": "1,000,000", "porcentaje": "66.67%",
     "fundamento_legal": "Ley de Coordinación Fiscal"},
    {"orden_gobierno": "Estatal", "fuente": "Aportación estatal", "monto": 500_000, "porcentaje": 33.33},
    {"orden_gobierno": "Federal", "monto": "1'000,000", "porcentaje": "66.67 %", "comentarios": "Subtotal (a)"},
    {"orden_gobierno": "TOTAL", "monto": "$ 1,500,000.00", "porcentaje": "100%"},
]
CONCURRENCIA_ESPERADA = [
    ("Federal", "FASSA", 1_000_000.0, 66.67, "Ley de Coordinación Fiscal", None),
    ("Estatal", "Aportación estatal", 500_000.0, 33.33, None, None),
    ("Federal", None, 1_000_000.0, 66.67, None, "Subtotal (a)"),
    ("TOTAL", None, 1_500_000.0, 100.0, None, None),
]

INDICADORES = [
    {"mir": "Federal", "nivel": "Fin", "indicador": "Razón de Mortalidad Materna", "frecuencia": "Anual",
     "unidad_medida": "Razón", "sentido": "Descendente", "meta": 16.46, "avance": "17.20",
     "avance_meta_reportado": "95.70 %", "medios_verificacion": "SINAC"},
    {"mir": "Estatal", "nivel": "Propósito", "indicador": "Porcentaje de nacidos vivos atendidos",
     "frecuencia": "Semestral", "unidad_medida": "Porcentaje", "sentido": "Ascendente", "meta": "99.57",
     "avance": 99.71, "avance_meta_reportado": "100%", "meta_anterior": "98", "avance_anterior": "97.5",
     "avance_meta_anterior_reportado": "99.49%", "justificacion": "Sin comentarios"},
]

ASM = [
    {"numero": 1, "aspecto": "Actualizar el diagnóstico estatal de salud", "tipo": "Específico",
     "prioridad": "Alta", "area_responsable": "Dirección de Planeación", "accion": "Elaborar el diagnóstico",
     "fecha_inicio": dt.datetime(2025, 1, 15), "fecha_termino": "30/09/2025", "avance": 50,
     "evaluacion_origen": "EED FASSA 2023"},
    {"numero": 1, "aspecto": "Actualizar el diagnóstico estatal de salud", "tipo": "Específico",
     "prioridad": "Alta", "area_responsable": "Dirección de Planeación", "accion": "Publicar el diagnóstico",
     "fecha_inicio": "01-OCT-25", "fecha_termino": "Diciembre-2025", "avance": "100 %",
     "documento_probatorio": "Oficio 123", "evaluacion_origen": "EED FASSA 2023",
     "estatus_reportado": "Atendido"},
]
ASM_ESPERADO = [
    ("1", "Elaborar el diagnóstico", dt.date(2025, 1, 15), dt.date(2025, 9, 30), 50.0, None, None),
    ("1", "Publicar el diagnóstico", dt.date(2025, 10, 1), dt.date(2025, 12, 1), 100.0, "Oficio 123", "Atendido"),
]

FODA = [{"apartado": "I. Diseño", "fortalezas_oportunidades": "Diagnóstico robusto",
         "debilidades_amenazas": "Sin plazos", "recomendaciones": "Actualizar cada año", "actores": "SESEQ"}]


def _llenar_ficha(ws, valores: dict) -> None:
    filas = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for campo, valor in valores.items():
        ws.cell(row=filas[campo], column=2).value = valor  # cell(value=None) would not clear it


def _plantilla_llena(ruta: Path) -> Path:
    escribir_plantilla("Querétaro", 2024, "FASSA", ruta)
    wb = load_workbook(ruta)
    _llenar_ficha(wb["ficha"], FICHA)
    ws = wb["destino"]
    pos = columnas_de(ws)
    for r in range(2, ws.max_row + 1):
        concepto = str(ws.cell(row=r, column=pos["concepto"]).value)
        for nombre, valor in DESTINO.get(concepto, {}).items():
            ws.cell(row=r, column=pos[nombre], value=valor)
    agregar_filas(wb["concurrencia"], CONCURRENCIA)
    agregar_filas(wb["indicadores"], INDICADORES)
    agregar_filas(wb["asm"], ASM)
    agregar_filas(wb["foda"], FODA)
    wb.save(ruta)
    return ruta


def test_plantilla_hojas_encabezados_y_listas(tmp_path):
    ruta = escribir_plantilla("Querétaro", 2024, "FASSA", tmp_path / "p.xlsx")
    wb = load_workbook(ruta)
    assert wb.sheetnames == HOJAS_LIBRO
    assert [c.value for c in wb["ficha"][1]] == ["campo", "valor"]
    for hoja in HOJAS_DATOS:
        assert [c.value for c in wb[hoja][1]] == [c.nombre for c in tablas.HOJAS[hoja]], hoja
    ficha = {wb["ficha"].cell(row=r, column=1).value: wb["ficha"].cell(row=r, column=2).value
             for r in range(2, wb["ficha"].max_row + 1)}
    assert set(tablas.CAMPOS_FICHA) <= set(ficha)
    assert (ficha["estado"], ficha["ciclo"], ficha["fondo"]) == ("Querétaro", 2024, "FASSA")


@pytest.mark.parametrize(
    ("hoja", "columna", "opciones"),
    [
        ("indicadores", "mir", {"Federal", "Estatal"}),
        ("indicadores", "nivel", {"Fin", "Propósito", "Componente", "Actividad"}),
        ("indicadores", "sentido", {"Ascendente", "Descendente"}),
        ("asm", "tipo", {"Específico", "Institucional", "Interinstitucional", "Intergubernamental"}),
        ("asm", "prioridad", {"Alta", "Media", "Baja"}),
        ("concurrencia", "orden_gobierno", {"Federal", "Estatal", "Ingresos propios", "Otros", "TOTAL"}),
    ],
)
def test_plantilla_validaciones_de_datos(tmp_path, hoja, columna, opciones):
    ruta = escribir_plantilla("Querétaro", 2024, "FASSA", tmp_path / "p.xlsx")
    ws = load_workbook(ruta)[hoja]
    letra = get_column_letter(columnas_de(ws)[columna])
    encontradas = [dv for dv in ws.data_validations.dataValidation
                   if any(rango.min_col == rango.max_col == columnas_de(ws)[columna] and rango.min_row == 2
                          for rango in dv.sqref.ranges)]
    assert len(encontradas) == 1, f"sin lista desplegable en {hoja}!{letra}"
    dv = encontradas[0]
    assert dv.type == "list"
    assert set(dv.formula1.strip('"').split(",")) == opciones


def test_plantilla_destino_trae_los_conceptos(tmp_path):
    ruta = escribir_plantilla("Querétaro", 2024, "FASSA", tmp_path / "p.xlsx")
    cap = leer_captura(_llenar_minimo(ruta))
    destino = cap.tablas["destino"]
    assert destino["concepto"].is_unique
    assert {"1100", "2500", "3300", "9900"} <= set(destino["concepto"])
    assert (destino["capitulo"] == destino["concepto"].str[0] + "000").all()
    assert destino[list(tablas.MOMENTOS_DESTINO)].isna().all().all()


def _llenar_minimo(ruta: Path) -> Path:
    wb = load_workbook(ruta)
    _llenar_ficha(wb["ficha"], FICHA)
    wb.save(ruta)
    return ruta


@pytest.fixture()
def llena(tmp_path):
    return leer_captura(_plantilla_llena(tmp_path / "queretaro_2024_fassa.xlsx"))


def test_ida_y_vuelta_ficha(llena):
    assert llena.estado.cve_ent == "22"
    assert llena.ciclo == 2024
    assert llena.fondo.clave == "FASSA"
    assert llena.fecha_corte == dt.date(2024, 12, 31)
    for campo in ("ejecutora", "instancia_evaluadora", "fuente"):
        assert llena.ficha[campo] == FICHA[campo]
    assert llena.rechazos.empty


@pytest.mark.parametrize("concepto", sorted(DESTINO_ESPERADO))
def test_ida_y_vuelta_destino(llena, concepto):
    destino = llena.tablas["destino"]
    fila = destino[destino["concepto"] == concepto]
    assert len(fila) == 1
    for momento, esperado in DESTINO_ESPERADO[concepto].items():
        valor = fila[momento].iloc[0]
        if esperado is None:
            assert valor is None or valor != valor
        else:
            assert valor == esperado, momento
    capturados = destino[destino[list(tablas.MOMENTOS_DESTINO)].notna().any(axis=1)]
    assert sorted(capturados["concepto"]) == sorted(DESTINO_ESPERADO)


def test_ida_y_vuelta_concurrencia(llena):
    conc = llena.tablas["concurrencia"]
    obtenido = [tuple(None if v != v else v for v in fila) for fila in conc[
        ["orden_gobierno", "fuente", "monto", "porcentaje", "fundamento_legal", "comentarios"]
    ].itertuples(index=False)]
    assert obtenido == CONCURRENCIA_ESPERADA


def test_ida_y_vuelta_indicadores(llena):
    ind = llena.tablas["indicadores"]
    assert len(ind) == 2
    a, b = ind.to_dict("records")
    assert (a["mir"], a["nivel"], a["sentido"], a["meta"], a["avance"], a["avance_meta_reportado"]) == (
        "Federal", "Fin", "Descendente", 16.46, 17.2, 95.7)
    assert a["indicador"] == "Razón de Mortalidad Materna"
    assert (b["mir"], b["nivel"], b["sentido"], b["meta"], b["avance"]) == (
        "Estatal", "Propósito", "Ascendente", 99.57, 99.71)
    assert (b["meta_anterior"], b["avance_anterior"], b["avance_meta_anterior_reportado"]) == (98.0, 97.5, 99.49)
    assert b["justificacion"] == "Sin comentarios"


def test_ida_y_vuelta_asm_y_foda(llena):
    asm = llena.tablas["asm"]
    obtenido = [tuple(None if v != v else v for v in fila) for fila in asm[
        ["numero", "accion", "fecha_inicio", "fecha_termino", "avance", "documento_probatorio", "estatus_reportado"]
    ].itertuples(index=False)]
    assert obtenido == ASM_ESPERADO
    assert set(asm["tipo"]) == {"Específico"} and set(asm["prioridad"]) == {"Alta"}
    foda = llena.tablas["foda"]
    assert foda.drop(columns="fila").to_dict("records") == FODA


# --------------------------------------------------------------------------- (c) mistakes


def test_importe_invalido_rechaza_la_fila(tmp_path):
    ruta = tmp_path / AGS.name
    wb = load_workbook(AGS)
    ws = wb["destino"]
    pos = columnas_de(ws)
    assert ws.cell(row=3, column=2).value == "1200"
    ws.cell(row=3, column=pos["aprobado"], value="13,844,26O.31")  # letter O typed for zero
    wb.save(ruta)
    cap = leer_captura(ruta)
    rech = cap.rechazos
    assert len(rech) == 1
    r = rech.iloc[0]
    assert AGS.name in r["archivo"] and "destino" in r["archivo"]
    assert int(r["fila"]) == 3
    assert r["columna"] == "aprobado"
    assert r["valor"] == "13,844,26O.31"
    assert r["motivo"]
    destino = cap.resultados["destino"]
    assert (destino.leidas, destino.cargadas, destino.rechazadas) == (42, 41, 1)
    assert "1200" not in set(destino.tabla["concepto"])
    for hoja, res in cap.resultados.items():
        assert res.leidas == res.cargadas + res.rechazadas, hoja


def _sin_hoja_asm(ruta: Path) -> None:
    wb = load_workbook(AGS)
    del wb["asm"]
    wb.save(ruta)


def _destino_sin_pagado(ruta: Path) -> None:
    wb = load_workbook(AGS)
    ws = wb["destino"]
    ws.delete_cols(columnas_de(ws)["pagado"])
    wb.save(ruta)


def _vacio(ruta: Path) -> None:
    ruta.write_bytes(b"")


def _no_es_xlsx(ruta: Path) -> None:
    ruta.write_text("capitulo,concepto\n1000,1100\n", encoding="utf-8")


def _zip_que_no_es_libro(ruta: Path) -> None:
    import zipfile

    with zipfile.ZipFile(ruta, "w") as z:
        z.writestr("hola.txt", "no soy un libro")


def _ficha_sin_estado(ruta: Path) -> None:
    wb = load_workbook(AGS)
    _llenar_ficha(wb["ficha"], {"estado": None})
    wb.save(ruta)


def _ficha_sin_fila_estado(ruta: Path) -> None:
    wb = load_workbook(AGS)
    ws = wb["ficha"]
    assert ws.cell(row=2, column=1).value == "estado"
    ws.delete_rows(2)
    wb.save(ruta)


def _estado_desconocido(ruta: Path) -> None:
    wb = load_workbook(AGS)
    _llenar_ficha(wb["ficha"], {"estado": "Atlantis"})
    wb.save(ruta)


def _destino_vacia(ruta: Path) -> None:
    wb = load_workbook(AGS)
    del wb["destino"]
    wb.create_sheet("destino", 1)
    wb.save(ruta)


@pytest.mark.parametrize(
    ("preparar", "hoja", "palabras"),
    [
        (_sin_hoja_asm, "asm", ["asm"]),
        (_destino_sin_pagado, "destino", ["pagado"]),
        (_vacio, None, ["vacío"]),
        (_no_es_xlsx, None, ["xlsx"]),
        (_zip_que_no_es_libro, None, []),
        (_ficha_sin_estado, "ficha", ["estado"]),
        (_ficha_sin_fila_estado, "ficha", ["estado"]),
        (_estado_desconocido, "ficha", ["Atlantis"]),
        (_destino_vacia, "destino", []),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_errores_estructurales_nombran_archivo_y_hoja(tmp_path, preparar, hoja, palabras):
    ruta = tmp_path / "libro_roto.xlsx"
    preparar(ruta)
    with pytest.raises(ErrorEntrada) as info:
        leer_captura(ruta)
    mensaje = str(info.value)
    assert "libro_roto.xlsx" in mensaje
    if hoja is not None:  # problems inside the workbook also name the sheet
        assert info.value.hoja == hoja
        assert f"hoja «{hoja}»" in mensaje
    for palabra in palabras:
        assert palabra in mensaje
    assert "Traceback" not in mensaje


def test_archivo_inexistente(tmp_path):
    with pytest.raises(ErrorEntrada, match="no existe"):
        leer_captura(tmp_path / "no_hay.xlsx")
