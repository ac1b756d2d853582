"""The SRFT *Indicadores* module export → Anexo 4 (issue 21, item 1).

Fixtures in ``tests/datos_srft_indicadores/`` (written by its ``_generar.py``) in the real shape of
``shared/referencias/srft_modulos_reales.md`` §2: the five real Huehuetán rows verbatim, and a FASSA
(I002) export for Zacatecas 2024 as the system gives it (xlsx) and saved as CSV (UTF-8 and latin-1),
plus the 2023 export. Every expectation is recomputed here from the raw text with the csv module.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asm_analysis import anexos, auditoria
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion import validacion
from asm_analysis.entradas import datos, ingesta, srft_indicadores

DATOS = Path(__file__).resolve().parent / "datos_srft_indicadores"
LOGIN = "jperezh"  # the made-up login of the fixtures' justification blobs
#: the rules planted here (test_auditoria checks every rule is planted somewhere)
PLANTADAS_SRFT = ("A4-SRFT-AVANCE", "A4-SRFT-AUSENTE", "A4-SRFT-LIBRO")
FORMAS_2024 = {"fassa_zacatecas_2024.xlsx": None, "fassa_zacatecas_2024_utf8.csv": "utf-8-sig",
               "fassa_zacatecas_2024_latin1.csv": "latin-1"}


# --------------------------------------------------------------------------- independent reading


def _crudas(nombre: str, codificacion: str = "utf-8") -> list[dict]:
    """Data rows of a CSV fixture by header position (the two «Justificación» apart), with the csv module."""
    filas = list(csv.reader(io.StringIO((DATOS / nombre).read_text(encoding=codificacion))))
    encabezado = filas[0]
    assert encabezado.count("Justificación") == 2 and len(encabezado) == 30
    return [dict(zip(srft_indicadores.CAMPOS, f), _linea=i) for i, f in enumerate(filas[1:], start=2)]


def _n(texto: str) -> float:
    return math.nan if texto in ("", "N/R", "N/D") else float(texto)


def _esperado_anexo(ciclo: int, previo: int | None) -> dict[str, dict]:
    """Anexo 4 of Zacatecas FASSA computed from the raw text: per «Clave del Indicador» the row of its
    highest «Trimestre»; compliance on «Meta Modificada» by direction; prior year by key, else name."""
    def seleccion(nombre: str) -> dict[str, dict]:
        ultimas: dict[str, dict] = {}
        for f in _crudas(nombre, "utf-8-sig"):
            if f["entidad_federativa"] != "Zacatecas" or f["programa_presupuestario"] != "I002":
                continue
            if f["clave_indicador"] not in ultimas or int(f["trimestre"]) > int(ultimas[f["clave_indicador"]]["trimestre"]):
                ultimas[f["clave_indicador"]] = f
        return ultimas

    def cumpl(meta: float, real: float, sentido: str) -> float:
        if math.isnan(meta) or math.isnan(real) or meta == 0 or (sentido == "Descendente" and real == 0):
            return math.nan
        return round((real / meta if sentido == "Ascendente" else meta / real) * 100, 2)

    actual = seleccion(f"fassa_zacatecas_{ciclo}_utf8.csv" if ciclo == 2024 else f"fassa_zacatecas_{ciclo}.csv")
    anterior = seleccion(f"fassa_zacatecas_{previo}.csv") if previo else {}
    salida = {}
    for clave, f in actual.items():
        mod, prog, real = _n(f["meta_modificada"]), _n(f["meta_programada"]), _n(f["realizado"])
        p = anterior.get(clave) or next((a for a in anterior.values() if a["indicador"] == f["indicador"]), None)
        salida[clave] = {
            "meta": prog, "meta_modificada": mod, "avance": real, "trimestre": int(f["trimestre"]),
            "cumplimiento": cumpl(mod, real, f["sentido"]),
            "cumplimiento_programada": cumpl(prog, real, f["sentido"]) if not math.isnan(prog) and prog != mod
            else math.nan,
            "meta_anterior": _n(p["meta_programada"]) if p else math.nan,
            "avance_anterior": _n(p["realizado"]) if p else math.nan,
            "cumplimiento_anterior": cumpl(_n(p["meta_modificada"]), _n(p["realizado"]), f["sentido"]) if p
            else math.nan,
            "avance_reportado": _n(f["avance_reportado"]),
        }
    return salida


def _iguales(a: object, b: object) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return a is None or (isinstance(a, float) and math.isnan(a))
    return a == pytest.approx(b, abs=1e-9)


# --------------------------------------------------------------------------- the reader


def test_los_cinco_renglones_reales():
    """The real Huehuetán rows: N/R, N/D, blanks, 5 decimals, blobs, and the SRFT's Avance (%) rule."""
    r = srft_indicadores.leer(DATOS / "huehuetan_real_2020.csv")
    assert (r.leidas, r.cargadas, r.rechazadas, r.duplicadas) == (5, 5, 0, 0)
    t = r.tabla.set_index("clave_indicador")
    assert list(t.index) == ["153087", "154381", "155993", "152145", "152617"]
    assert list(t["fondo"]) == ["FAIS", "FAIS", "FAIS", "FORTAMUN", "FORTAMUN"]
    assert set(t["cve_ent"]) == {"07"} and set(t["ramo"]) == {33}
    assert t.at["153087", "realizado"] == 57.69231 and t.at["152617", "meta_modificada"] == 71.736
    assert math.isnan(t.at["152145", "meta_programada"]) and t.at["152145", "meta_programada_nr"]
    assert math.isnan(t.at["154381", "avance_reportado"]) and t.at["154381", "avance_nd"]
    assert t.at["153087", "justificacion_programada"] == "Mayor demanda de bienes y servicios"
    assert t.at["155993", "justificacion_modificada"] is None
    assert list(t["trimestre"]) == [4, 4, 4, 3, 3] and set(t["flujo"]) == {"Validado"}
    # the SRFT's rule reproduces the five reported values (57.69, N/D, 23.64, 63, 87.9)
    calculado = [srft_indicadores.avance_srft(f.meta_modificada, f.realizado, f.sentido) for f in t.itertuples()]
    assert calculado == [57.69, None, 23.64, 63.0, 87.9]
    for c, f in zip(calculado, t.itertuples()):
        assert (c is None and f.avance_nd) or c == f.avance_reportado
    assert not any(LOGIN in str(v) for v in t.astype(str).to_numpy().ravel())  # user names never kept
    # and the audit of the real rows finds nothing
    filas = srft_indicadores.a_indicadores(r.tabla).assign(archivo_fuente="huehuetan_real_2020.csv")
    h = auditoria.auditar_tablas(2020, indicadores_srft=filas)
    assert "A4-SRFT-AVANCE" not in set(h["regla"])


def test_el_trimestre_de_la_fila_manda_sobre_el_nombre(tmp_path):
    """A file published as «4to. trimestre» holding Trimestre 3 rows is read as quarter 3."""
    ruta = tmp_path / "4tri_Reporte_Ind_Final_FONDO 4.csv"
    shutil.copy(DATOS / "huehuetan_real_2020.csv", ruta)
    t = srft_indicadores.leer(ruta).tabla
    assert list(t.loc[t["fondo"] == "FORTAMUN", "trimestre"]) == [3, 3]


@pytest.mark.parametrize("nombre", list(FORMAS_2024))
def test_las_tres_formas_dan_la_misma_tabla(nombre):
    r = srft_indicadores.leer(DATOS / nombre)
    assert (r.leidas, r.cargadas, r.rechazadas, r.duplicadas) == (15, 13, 1, 1)
    assert r.leidas == r.cargadas + r.rechazadas + r.duplicadas
    crudas = _crudas("fassa_zacatecas_2024_utf8.csv", "utf-8-sig")
    cargadas = r.tabla.set_index("fila")
    for f in crudas:
        if f["_linea"] not in cargadas.index:
            continue
        fila = cargadas.loc[f["_linea"]]
        assert fila["clave_indicador"] == f["clave_indicador"]
        assert int(fila["trimestre"]) == int(f["trimestre"])
        for campo in ("meta_programada", "meta_modificada", "realizado", "avance_reportado"):
            assert _iguales(fila[campo], _n(f[campo])), (nombre, f["_linea"], campo)
        assert fila["avance_nd"] == (f["avance_reportado"] == "N/D")
    rech = r.rechazos.set_index("fila")
    assert rech.at[7, "columna"] == srft_indicadores.DUPLICADA and "fila 5" in rech.at[7, "motivo"]
    assert rech.at[15, "columna"] == "Nivel del Indicador (R)" and rech.at[15, "cve_ent"] == "06"
    assert "Subactividad" in rech.at[15, "motivo"] and rech.at[15, "fondo"] == "FASSA"
    otras = srft_indicadores.leer(DATOS / "fassa_zacatecas_2024_utf8.csv").tabla.drop(columns="hoja")
    pd.testing.assert_frame_equal(r.tabla.drop(columns="hoja"), otras)


def test_justificaciones_sin_usuario():
    j = srft_indicadores.justificacion
    assert j("{just1:{ciclo:2024,trim:4,just:Más casos, menos camas: ver oficio,usuario:abc,fecha:15/01/25}}") == \
        "Más casos, menos camas: ver oficio"
    dos = ("{just1:{ciclo:2024,trim:3,just:Retraso,usuario:abc,fecha:10/10/24},"
           "just2:{ciclo:2024,trim:4,just:Se regularizó,usuario:xyz,fecha:15/01/25}}")
    assert j(dos) == "Trimestre 3 de 2024: Retraso; Trimestre 4 de 2024: Se regularizó"
    assert j("") is None and j(None) is None
    assert j("Texto libre, usuario:abc") == "Texto libre,"  # a plain text never keeps a user name either


def test_codigo_y_nombre():
    assert srft_indicadores.codigo_y_nombre("33 - Aportaciones Federales") == ("33", "Aportaciones Federales")
    assert srft_indicadores.codigo_y_nombre("I002") == ("I002", None)
    assert srft_indicadores.fondo_de(33, "I002") == "FASSA" and srft_indicadores.fondo_de(33, "I004") == "FAIS"
    assert srft_indicadores.fondo_de(33, "I099") == ""


def _reescribir(tmp_path: Path, cambio) -> Path:
    filas = list(csv.reader(io.StringIO((DATOS / "fassa_zacatecas_2024_utf8.csv").read_text(encoding="utf-8-sig"))))
    cambio(filas)
    ruta = tmp_path / "export.csv"
    with open(ruta, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(filas)
    return ruta


def test_encabezado_sin_columna_nombra_la_que_falta(tmp_path):
    ruta = _reescribir(tmp_path, lambda filas: [f.pop(27) for f in filas])  # «Realizado en el Periodo»
    with pytest.raises(ErrorEntrada) as exc:
        srft_indicadores.leer(ruta)
    assert "Realizado en el Periodo" in exc.value.motivo and exc.value.archivo == "export.csv" and exc.value.fila == 1


def test_columnas_fuera_de_orden(tmp_path):
    def cambiar(filas):
        for f in filas:
            f[23], f[25] = f[25], f[23]  # «Meta programada» and «Meta Modificada» swapped
    with pytest.raises(ErrorEntrada) as exc:
        srft_indicadores.leer(_reescribir(tmp_path, cambiar))
    assert exc.value.columna == "X" and "Meta programada" in exc.value.motivo


def test_libro_con_titulo_encima(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(DATOS / "fassa_zacatecas_2024.xlsx")
    wb.active.insert_rows(1)
    wb.active["A1"] = "Reporte de indicadores"
    ruta = tmp_path / "con_titulo.xlsx"
    wb.save(ruta)
    r = srft_indicadores.leer(ruta)
    assert r.cargadas == 13 and r.rechazos.set_index("fila").at[16, "cve_ent"] == "06"


# --------------------------------------------------------------------------- ingest, report data, Anexo 4


@pytest.fixture
def carpeta(tmp_path) -> Path:
    raw = tmp_path / "raw" / "srft_indicadores"
    raw.mkdir(parents=True)
    shutil.copy(DATOS / "fassa_zacatecas_2024.xlsx", raw)
    shutil.copy(DATOS / "fassa_zacatecas_2023.csv", raw)
    return tmp_path


def test_ingesta_cuadra_y_lista_rechazos(carpeta):
    resumen = {r.relativa: r for r in ingesta.ingerir(carpeta)}
    r24 = resumen["srft_indicadores/fassa_zacatecas_2024.xlsx"]
    assert (r24.leidas, r24.cargadas, r24.rechazadas, r24.duplicadas) == (15, 13, 1, 1)
    assert r24.linea().endswith("leídas 15, cargadas 13, rechazadas 1, duplicadas 1")
    rech = pd.read_csv(carpeta / "processed" / r24.rechazos, dtype=str)
    assert list(rech["fila"]) == ["7", "15"] and list(rech["cve_ent"]) == ["32", "06"]
    # the bad row is Colima's: it stops Colima's report, not Zacatecas'
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(carpeta, "Colima", 2024, "FASSA")
    assert exc.value.fila == 15 and "Nivel del Indicador" in exc.value.columna
    d = datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    assert [a["archivo"] for a in d.archivos] == ["raw/srft_indicadores/fassa_zacatecas_2023.csv",
                                                  "raw/srft_indicadores/fassa_zacatecas_2024.xlsx"]
    assert d.fuentes == {"indicadores_srft": "srft_indicadores", "indicadores_srft_anterior": "srft_indicadores"}
    assert not d.demo


def test_anexo4_desde_la_exportacion_es_el_calculo_independiente(carpeta):
    d = datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    a4 = anexos.calcular(d).anexo4.set_index("clave_indicador")
    esperado = _esperado_anexo(2024, 2023)
    assert set(a4.index) == set(esperado) and len(a4) == 6  # FORTAMUN's row of the same file is not FASSA's
    for clave, e in esperado.items():
        for col, valor in e.items():
            assert _iguales(a4.at[clave, col], valor), (clave, col, a4.at[clave, col], valor)
    # last quarter per indicator, never added: 240105 ends in quarter 3, 240106 in 4 (with N/D)
    assert a4.at["240105", "trimestre"] == 3 and "último trimestre reportado en el SRFT: 3" in a4.at["240105", "nota"]
    assert a4.at["240106", "avance"] == 0 and math.isnan(a4.at["240106", "avance_reportado"])
    # programada ≠ modificada: both kept, compliance on the modificada, the note says so
    assert a4.at["240104", "meta"] == 70 and a4.at["240104", "meta_modificada"] == 72.5
    assert a4.at["240104", "cumplimiento"] == 103.28 and a4.at["240104", "cumplimiento_programada"] == 106.97
    assert "meta modificada (72.50)" in a4.at["240104", "nota"] and "106.97 %" in a4.at["240104", "nota"]
    assert "N/R" in a4.at["240105", "nota"]
    # prior-year columns from last year's export, by key and (changed key) by name
    assert a4.at["240101", "origen_anterior"] == "SRFT, ciclo anterior" and a4.at["240101", "meta_anterior"] == 35.1
    assert math.isnan(a4.at["240105", "meta_anterior"])
    assert (a4["mir"] == "Federal").all()
    assert not any(LOGIN in str(v) for v in a4.astype(str).to_numpy().ravel())


def test_sin_el_anio_anterior_no_hay_columnas_previas(carpeta):
    (carpeta / "raw" / "srft_indicadores" / "fassa_zacatecas_2023.csv").unlink()
    a4 = anexos.calcular(datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")).anexo4
    assert a4["meta_anterior"].isna().all() and a4["origen_anterior"].isna().all()


def test_un_trimestre_en_dos_archivos_se_rechaza(carpeta):
    shutil.copy(DATOS / "fassa_zacatecas_2024_utf8.csv", carpeta / "raw" / "srft_indicadores")
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    assert "fassa_zacatecas_2024.xlsx" in exc.value.motivo and "fassa_zacatecas_2024_utf8.csv" in exc.value.motivo


def _csv_indicadores(ruta: Path, filas: list[dict]) -> None:
    columnas = ["ciclo", "cve_ent", "fondo", "mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido",
                "meta", "avance", "avance_meta_reportado", "meta_anterior", "avance_anterior",
                "avance_meta_anterior_reportado", "medios_verificacion", "justificacion"]
    ruta.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(filas, columns=columnas).to_csv(ruta, index=False)


def _fila_libro(**cambios) -> dict:
    base = {"ciclo": 2024, "cve_ent": "32", "fondo": "FASSA", "mir": "Federal", "nivel": "Componente",
            "indicador": "Médicos generales y especialistas por cada mil habitantes (población no derechohabiente)",
            "frecuencia": "Anual", "unidad_medida": "Otra", "sentido": "Ascendente", "meta": 1.85, "avance": 1.63,
            "avance_meta_reportado": 88.11, "medios_verificacion": "SINERHIAS", "justificacion": "Plazas vacantes"}
    return {**base, **cambios}


def test_precedencia_mir_estatal_del_libro_federal_del_srft(carpeta):
    """State MIR from the national CSV (as from a workbook); federal MIR from the export, cross-checked."""
    estatal = _fila_libro(mir="Estatal", nivel="Fin", indicador="Tasa de mortalidad infantil estatal",
                          sentido="Descendente", meta=10.0, avance=9.5, avance_meta_reportado=105.26)
    _csv_indicadores(carpeta / "raw" / "indicadores" / "indicadores.csv", [_fila_libro(), estatal])
    d = datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    calc = auditoria.calcular(d)
    a4 = calc.anexo4
    assert list(a4["mir"]).count("Estatal") == 1 and list(a4["mir"]).count("Federal") == 6
    medicos = a4[a4["clave_indicador"] == "240103"].iloc[0]
    assert medicos["medios_verificacion"] == "SINERHIAS"  # the export has none: taken from the workbook's row
    assert "A4-SRFT-LIBRO" not in set(calc.hallazgos["regla"])  # the same figures: nothing to say
    assert "A4-SRFT-LIBRO" in calc.notas["anexo4"]


@pytest.mark.parametrize("cambio, columna", [({"meta": 2.0}, "meta"), ({"avance": 1.7}, "avance"),
                                             ({"avance_meta_reportado": 92.0}, "avance_meta_reportado")])
def test_a4_srft_libro_plantado(carpeta, cambio, columna):
    _csv_indicadores(carpeta / "raw" / "indicadores" / "indicadores.csv", [_fila_libro(**cambio)])
    calc = auditoria.calcular(datos.cargar(carpeta, "Zacatecas", 2024, "FASSA"))
    h = calc.hallazgos[calc.hallazgos["regla"] == "A4-SRFT-LIBRO"]
    assert len(h) == 1 and f"columna «{columna}»" in h.iloc[0]["ubicacion"]
    assert "CSV nacional de indicadores, línea 2" in h.iloc[0]["ubicacion"]
    assert "fassa_zacatecas_2024.xlsx" in h.iloc[0]["mensaje"] and "240103" in h.iloc[0]["mensaje"]
    assert h.iloc[0]["severidad"] == "error"


# --------------------------------------------------------------------------- the rules, planted and clean


def _tablas() -> tuple[pd.DataFrame, pd.DataFrame]:
    """This year's and last year's selected rows, as the report gathers them, from the raw fixtures."""
    def sel(nombre: str) -> pd.DataFrame:
        t = srft_indicadores.leer(DATOS / nombre).tabla
        t = t[(t["fondo"] == "FASSA") & (t["cve_ent"] == "32")]
        return srft_indicadores.a_indicadores(srft_indicadores.ultimo_trimestre(t.reset_index(drop=True))) \
            .assign(archivo_fuente=f"srft_indicadores/{nombre}")
    return sel("fassa_zacatecas_2024_utf8.csv"), sel("fassa_zacatecas_2023.csv")


def _reglas_srft(h: pd.DataFrame) -> pd.DataFrame:
    return h[h["regla"].isin(PLANTADAS_SRFT)]


def test_datos_limpios_no_disparan_las_reglas():
    actual, previos = _tablas()
    previos = previos[previos["clave_indicador"] != "230199"]  # the one the 2024 export dropped
    h = auditoria.auditar_tablas(2024, indicadores_srft=actual, indicadores_srft_previos=previos)
    assert _reglas_srft(h).empty, h.to_string()


@pytest.mark.parametrize("clave, reportado, nd, esperado", [
    ("240103", 89.11, False, 88.11),       # a different figure
    ("240106", 0.0, False, math.nan),     # a figure where the SRFT writes N/D (descending, nothing achieved)
    ("240104", math.nan, True, 103.28),   # N/D where it can be computed
])
def test_a4_srft_avance_plantado(clave, reportado, nd, esperado):
    actual, _ = _tablas()
    i = actual.index[actual["clave_indicador"] == clave][0]
    actual.loc[i, "avance_reportado"] = reportado
    actual.loc[i, "avance_nd"] = nd
    h = _reglas_srft(auditoria.auditar_tablas(2024, indicadores_srft=actual))
    assert list(h["regla"]) == ["A4-SRFT-AVANCE"]
    fila = h.iloc[0]
    assert _iguales(fila["valor_calculado"], esperado)
    assert "fassa_zacatecas_2024_utf8.csv" in fila["ubicacion"] and f"clave {clave}" in fila["ubicacion"]
    assert f"fila {int(actual.at[i, 'fila'])}" in fila["ubicacion"] and "columna «Avance (%)»" in fila["ubicacion"]


def test_a4_srft_avance_del_anio_anterior():
    actual, previos = _tablas()
    previos = previos[previos["clave_indicador"] != "230199"].copy()
    previos.loc[previos["clave_indicador"] == "240102", "avance_reportado"] = 99.47
    h = _reglas_srft(auditoria.auditar_tablas(2024, indicadores_srft=actual, indicadores_srft_previos=previos))
    assert list(h["regla"]) == ["A4-SRFT-AVANCE"] and "ejercicio anterior" in h.iloc[0]["mensaje"]
    assert h.iloc[0]["valor_calculado"] == 98.47


def test_a4_srft_ausente_plantado():
    actual, previos = _tablas()  # the 2023 export has «Porcentaje de unidades médicas acreditadas», 2024 not
    h = _reglas_srft(auditoria.auditar_tablas(2024, indicadores_srft=actual, indicadores_srft_previos=previos))
    assert list(h["regla"]) == ["A4-SRFT-AUSENTE"] and h.iloc[0]["severidad"] == "advertencia"
    assert "clave 230199" in h.iloc[0]["ubicacion"] and "fassa_zacatecas_2023.csv" in h.iloc[0]["ubicacion"]
    # keys that changed between years are matched by name (230101 → 240101, 230103 → 240103): not missing
    assert "230101" not in " ".join(h["mensaje"]) and "230103" not in " ".join(h["mensaje"])


def test_reglas_del_anexo_tambien_en_filas_del_srft():
    """The annex-level rules (red, justification) read the SRFT rows too, placed in the export."""
    actual, _ = _tablas()
    h = auditoria.auditar_tablas(2024, indicadores_srft=actual)
    rojo = h[h["regla"] == "A4-ROJO"]
    assert list(rojo["ubicacion"].str.contains("clave 240105")) == [True]  # 61.54 % of its goal
    justif = h[h["regla"] == "A4-JUSTIFICACION"]
    assert not justif["ubicacion"].str.contains("240105").any()  # it carries its justification


# --------------------------------------------------------------------------- validate


def test_validate_dice_que_reconocio(tmp_path):
    assert "exportación del módulo Indicadores del SRFT" in validacion.reconocer(DATOS / "fassa_zacatecas_2024.xlsx")
    assert validacion.tipo_csv(DATOS / "fassa_zacatecas_2024_latin1.csv") == "srft_indicadores"
    lineas = validacion.validar_archivo(DATOS / "fassa_zacatecas_2024.xlsx")
    assert len(lineas) == 1 and "fila 15" in lineas[0] and "Nivel del Indicador" in lineas[0]
    assert validacion.validar_archivo(DATOS / "huehuetan_real_2020.csv") == []
    malo = tmp_path / "mal.csv"
    malo.write_text((DATOS / "huehuetan_real_2020.csv").read_text(encoding="utf-8")
                    .replace(",57.69,Validado", ",57.96,Validado"), encoding="utf-8")
    lineas = validacion.validar_archivo(malo)
    assert len(lineas) == 1 and "fila 2" in lineas[0] and "57.69 %" in lineas[0]


# --------------------------------------------------------------------------- the demo set


def test_demo_trae_exportaciones_y_coinciden_con_el_csv(datos_demo):
    """Guanajuato, Nuevo León and San Luis Potosí carry the export (2024 .xlsx, 2023 .csv): their federal MIR
    comes from it, labelled demo, with the national CSV's figures (so the cross-check finds nothing)."""
    nombres = sorted(p.name for p in (datos_demo / "raw" / "srft_indicadores").iterdir())
    assert nombres == ["srft_indicadores_2023_demo.csv", "srft_indicadores_2024_demo.xlsx"]
    for cve in ("11", "19", "24"):
        d = datos.cargar(datos_demo, cve, 2024, "FASSA", actualizar=False)
        assert d.demo and d.fuentes["indicadores_srft"] == "srft_indicadores"
        assert d.fuentes["indicadores_srft_anterior"] == "srft_indicadores"
        calc = auditoria.calcular(d)
        assert not calc.hallazgos["regla"].str.startswith("A4-SRFT").any()
        a4 = calc.anexo4.set_index("indicador")
        csv_nacional = d.indicadores.set_index("indicador")
        assert set(a4.index) == set(csv_nacional.index)
        for nombre, f in csv_nacional.iterrows():
            assert a4.at[nombre, "meta"] == f["meta"] and a4.at[nombre, "avance"] == f["avance"]
            assert a4.at[nombre, "meta_anterior"] == f["meta_anterior"]
            assert a4.at[nombre, "origen_anterior"] == "SRFT, ciclo anterior"
    otro = datos.cargar(datos_demo, "Colima", 2024, "FASSA", actualizar=False)
    assert otro.indicadores_srft.empty and "indicadores_srft" not in otro.fuentes


def test_dos_municipios_del_mismo_indicador_se_niegan(carpeta):
    """One row per municipality of the same indicator and quarter: the state's one cannot be told apart."""
    filas = list(csv.reader(io.StringIO((DATOS / "fassa_zacatecas_2023.csv").read_text(encoding="utf-8"))))
    filas.append(list(filas[1]))
    filas[-1][4] = "Fresnillo"  # «Municipio»
    ruta = carpeta / "raw" / "srft_indicadores" / "fassa_zacatecas_2023.csv"
    with open(ruta, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(filas)
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    assert "Fresnillo" in exc.value.motivo and exc.value.fila == 2 and "fassa_zacatecas_2023.csv" in exc.value.archivo


def test_libro_danado_es_un_error_claro(tmp_path):
    ruta = tmp_path / "roto.xlsx"
    ruta.write_bytes((DATOS / "fassa_zacatecas_2024.xlsx").read_bytes()[:3000])
    with pytest.raises(ErrorEntrada) as exc:
        srft_indicadores.leer(ruta)
    assert exc.value.archivo == "roto.xlsx"
    assert validacion.validar_archivo(ruta)  # listed, never a traceback


def test_la_huella_cambia_con_la_exportacion_del_anio_anterior(carpeta):
    """The previous year's export is an input of the report: provenance lists it and the fingerprint follows it."""
    from asm_analysis.auditoria import Tolerancias
    from asm_analysis.ejecucion import huella

    antes = huella.huella(datos.cargar(carpeta, "Zacatecas", 2024, "FASSA"), Tolerancias())
    ruta = carpeta / "raw" / "srft_indicadores" / "fassa_zacatecas_2023.csv"
    ruta.write_text(ruta.read_text(encoding="utf-8").replace(",33.9,103.54,", ",33.8,103.85,"), encoding="utf-8")
    d = datos.cargar(carpeta, "Zacatecas", 2024, "FASSA")
    assert huella.huella(d, Tolerancias()) != antes
    a4 = anexos.calcular(d).anexo4.set_index("clave_indicador")
    assert a4.at["240101", "avance_anterior"] == 33.8 and a4.at["240101", "cumplimiento_anterior"] == 103.85


def test_umbrales_del_libro_tambien_en_la_auditoria(carpeta):
    """Thresholds typed in the workbook's row apply to the SRFT row of the same indicator, in the annex
    and in the rules alike: 98.60 % is green by default, yellow with umbral_verde 99, and the export
    gives no justification for it."""
    nacidos = "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico"
    ruta = carpeta / "raw" / "indicadores" / "indicadores.csv"
    _csv_indicadores(ruta, [_fila_libro(nivel="Propósito", indicador=nacidos, unidad_medida="Porcentaje",
                                        meta=98.5, avance=97.12345, avance_meta_reportado=98.6,
                                        justificacion="")])
    tabla = pd.read_csv(ruta).assign(umbral_verde=99.0, umbral_amarillo=70.0, umbral_sobrecumplimiento=110.0)
    tabla.to_csv(ruta, index=False)
    calc = auditoria.calcular(datos.cargar(carpeta, "Zacatecas", 2024, "FASSA"))
    fila = calc.anexo4[calc.anexo4["clave_indicador"] == "240102"].iloc[0]
    assert fila["semaforo"] == "Amarillo"
    justif = calc.hallazgos[calc.hallazgos["regla"] == "A4-JUSTIFICACION"]
    assert justif["ubicacion"].str.contains("clave 240102").sum() == 1


def test_nota_de_flujo_no_validado():
    from asm_analysis.anexos import indicadores as ind

    actual, previos = _tablas()
    actual.loc[actual["clave_indicador"] == "240102", "flujo"] = "En revisión"
    a4 = ind.anexo4(pd.DataFrame(), None, actual, previos).set_index("clave_indicador")
    assert a4.at["240102", "nota"] == "flujo en el SRFT: En revisión (no validado)"
    assert a4.at["240103", "nota"] is None


def test_formula_sin_valor_calculado_se_nombra(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(DATOS / "fassa_zacatecas_2024.xlsx")
    wb.active["AB3"] = "=Z3*0.5"  # «Realizado en el Periodo», never calculated (openpyxl keeps no value)
    ruta = tmp_path / "formula.xlsx"
    wb.save(ruta)
    with pytest.raises(ErrorEntrada) as exc:
        srft_indicadores.leer(ruta)
    assert (exc.value.hoja, exc.value.fila, exc.value.columna) == ("Reporte", 3, "AB")


def test_exportacion_en_otra_carpeta_dice_donde_va(tmp_path):
    (tmp_path / "raw" / "indicadores").mkdir(parents=True)
    (tmp_path / "raw" / "captura").mkdir(parents=True)
    shutil.copy(DATOS / "fassa_zacatecas_2023.csv", tmp_path / "raw" / "indicadores")
    shutil.copy(DATOS / "fassa_zacatecas_2024.xlsx", tmp_path / "raw" / "captura")
    resumen = ingesta.ingerir(tmp_path)
    assert len(resumen) == 2
    for r in resumen:
        assert r.error and "módulo Indicadores del SRFT" in r.error and "srft_indicadores" in r.error


def test_validate_en_la_linea_de_comandos(capsys):
    from asm_analysis.ejecucion.cli import main

    assert main(["validate", str(DATOS / "fassa_zacatecas_2024_latin1.csv")]) == 2
    capturado = capsys.readouterr()
    salida, resumen = capturado.out.splitlines(), capturado.err
    assert ("(se reconoció: fassa_zacatecas_2024_latin1.csv: exportación del módulo Indicadores "
            "del SRFT (30 columnas, latin-1)") in resumen
    assert "ciclo 2024; trimestre 1, 2, 3, 4" in resumen and "fondo FASSA, FORTAMUN; Zacatecas" in resumen
    assert "fila 15" in salida[0] and "Subactividad" in salida[0]


def test_word_anexo_oficial_y_columnas_del_srft_en_analisis(carpeta, tmp_path):
    """The Word Anexo 4 keeps the twelve published columns and names the export in its source line; the
    SRFT's own columns (meta modificada, Avance (%) reportado) go to the workbook's «Análisis» sheet."""
    from docx import Document
    from openpyxl import load_workbook

    from asm_analysis.publicacion import calculo as calculo_mod, documento, salidas

    c = calculo_mod.calcular(carpeta, "Zacatecas", 2024, "FASSA")
    ruta = documento.escribir_docx(c, tmp_path / "anexos.docx")
    doc = Document(ruta)
    anexo4 = [t for t in doc.tables if any("Nombre del Indicador" in x.text for x in t.rows[0].cells)]
    assert anexo4 and len(anexo4[0].columns) == 12
    assert not any("Meta modificada" in x.text for t in anexo4 for x in t.rows[0].cells)
    fuentes = [p.text for p in doc.paragraphs if "módulo Indicadores" in p.text]
    assert fuentes and "fassa_zacatecas_2024.xlsx" in fuentes[0]
    libro = salidas.escribir_excel(c, tmp_path / "anexos.xlsx")
    ws = load_workbook(libro)["Análisis"]
    textos = [str(v) for fila in ws.iter_rows(values_only=True) for v in fila if v is not None]
    assert any("MIR federal del SRFT" in t for t in textos)
    modificadas = sorted(float(v) for v in c.anexos.anexo4["meta_modificada"].dropna())
    assert modificadas and all(any(isinstance(v, (int, float)) and abs(v - m) < 1e-9
                                   for fila in ws.iter_rows(values_only=True) for v in fila) for m in modificadas)




def test_cifras_reportadas_y_marcas_del_anexo4_siguen_a_su_fila_con_la_exportacion(carpeta):
    """With the export, Anexo 4 prints its federal rows before the workbook's state rows: the reported
    compliance of a workbook row (``--cifras reportadas``) and its mark land on that row, matched by
    name, never on the row at the same position (an SRFT row)."""
    from asm_analysis.publicacion import calculo

    estatal = _fila_libro(mir="Estatal", nivel="Fin", indicador="Tasa de mortalidad infantil estatal",
                          sentido="Descendente", meta=10.0, avance=9.5, avance_meta_reportado=100.0)
    _csv_indicadores(carpeta / "raw" / "indicadores" / "indicadores.csv", [_fila_libro(), estatal])
    c = calculo.calcular(carpeta, "Zacatecas", 2024, "FASSA", cifras="reportadas")
    impreso, recalculado = c.impresos.anexo4, c.anexos.anexo4
    fila = impreso.index[impreso["indicador"] == "Tasa de mortalidad infantil estatal"][0]
    assert impreso.at[fila, "cumplimiento"] == 100.0  # as the workbook says (10 / 9.5 gives 105.26)
    assert recalculado.at[fila, "cumplimiento"] == pytest.approx(105.26)
    federales = impreso.index[impreso["mir"] == "Federal"]
    assert impreso.loc[federales, "cumplimiento"].tolist() == pytest.approx(
        recalculado.loc[federales, "cumplimiento"].tolist(), nan_ok=True)
    marcas = c.marcas[(c.marcas["anexo"] == "anexo4") & (c.marcas["columna"] == "cumplimiento")]
    assert fila in marcas["fila"].tolist() and not set(marcas["fila"]) & set(federales)
