"""The SRFT «Ejercicio del gasto» Excel export with readable headers (third dialect), for FASSA (I002).

The fixtures are built here in exactly the shape of the real export (Huehuetán, FORTAMUN 2020,
4th quarter; ``shared/referencias/srft_modulos_reales.md`` §3.4): the 28 columns in order, a
programme row «Total del Programa Presupuestario» carrying the totals with ejecutora «Sin
Especificar», ``N/A`` in «Pagado SHCP»/«Pagado EF», partidas as ``"311 - Energía eléctrica"``,
tipo de gasto ``"1 - Gasto corriente"``, «Sin Contratos»/«Sin Proyectos», «Validado». Expected
figures are recomputed here from the rows written, independently of the library.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from asm_analysis import auditoria
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion import validacion
from asm_analysis.entradas import almacen, datos, ingesta, srft, srft_legible
from asm_analysis.entradas.srft_legible import COLUMNAS as ENCABEZADO

RECURSO = "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)"
RAMO = "Aportaciones Federales para Entidades Federativas y Municipios"
EJECUTORA = "SERVICIOS DE SALUD DE ZACATECAS"
#: (tipo de gasto, partida, ciclo del recurso, aprobado, modificado, recaudado, comprometido, devengado, ejercido, pagado)
PARTIDAS = [
    ("1 - Gasto corriente", "113 - Sueldos base al personal permanente", 2024,
     812345678.5, 815000000, 815000000, 814000000.25, 813500000.75, 813500000.75, 813000000.1),
    ("1 - Gasto corriente", "253 - Medicinas y productos farmacéuticos", 2024,
     95000000, 98250000.4, 98250000.4, 97000000, 96543210.99, 96543210.99, 95000000),
    ("1 - Gasto corriente", "254 - Materiales, accesorios y suministros médicos", 2024,
     41000000, 40500000, 40500000, 40100000.5, 39876543.21, 39876543.21, 39000000),
    ("1 - Gasto corriente", "311 - Energía eléctrica", 2024,
     1185932.07, 1185932.07, 1185932.07, 1185932.07, 1185932.07, 1185932.07, 1185932.07),
    ("2 - Gasto de capital", "531 - Equipo médico y de laboratorio", 2024,
     12000000, 15500000, 15500000, 15000000, 14250000.5, 14250000.5, 14000000),
    ("1 - Gasto corriente", "253 - Medicinas y productos farmacéuticos", 2023,
     0, 5000000, 5000000, 4800000, 4700000, 4700000, 4650000),  # carried over from 2023
]
MOMENTOS = ("aprobado", "modificado", "devengado", "pagado")
_INDICE = {"aprobado": 3, "modificado": 4, "devengado": 7, "pagado": 9}


def _fila(tipo_registro, ciclo_recurso, programa, ejecutora, tipo_gasto, partida, montos, pagado_shcp="N/A",
          pagado_ef="N/A", contratos="Sin Contratos", proyectos="Sin Proyectos", entidad="Zacatecas",
          municipio="Gobierno de la Entidad"):
    return [entidad, municipio, tipo_registro, ciclo_recurso, RECURSO, RAMO, 33, "FASSA", "I002", programa, ejecutora,
            0 if tipo_registro.startswith("Programa") else None, 0 if tipo_registro.startswith("Programa") else None,
            tipo_gasto, partida, *montos, contratos, proyectos, pagado_shcp, pagado_ef, "Validado", None]


def filas_fassa(diferencia_programa: float = 0.0) -> list[list]:
    """The export's rows: one programme row per ciclo del recurso (totals), then the partidas, then planted
    rows: a partida with «N/A» in Devengado, a row whose Entidad is not a state, an exact duplicate."""
    filas = []
    for ciclo_recurso in (2024, 2023):
        propias = [p for p in PARTIDAS if p[2] == ciclo_recurso]
        totales = [round(sum(p[k] for p in propias), 2) for k in range(3, 10)]
        totales[4] = round(totales[4] + diferencia_programa, 2)  # devengado
        filas.append(_fila("Programa presupuestario", ciclo_recurso, "Sin Especificar", "Sin Especificar", None,
                           "Total del Programa Presupuestario", totales, pagado_ef=totales[2], contratos=None,
                           proyectos=None))
        filas += [_fila("Partida genérica", c, "FASSA", EJECUTORA, t, p, m) for t, p, c, *m in propias]
    filas.append(_fila("Partida genérica", 2024, "FASSA", EJECUTORA, "1 - Gasto corriente",
                       "211 - Materiales, útiles y equipos menores de oficina", [1000, 1000, 1000, 1000, "N/A", 0, 0]))
    filas.append(_fila("Partida genérica", 2024, "FASSA", EJECUTORA, "1 - Gasto corriente",
                       "311 - Energía eléctrica", [5, 5, 5, 5, 5, 5, 5], entidad="Narnia"))
    filas.append(list(filas[2]))  # row 4, the first 2024 partida
    return filas


def escribir_xlsx(ruta: Path, filas: list[list], hoja: str = "Reporte") -> Path:
    libro = openpyxl.Workbook()
    ws = libro.active
    ws.title = hoja
    ws.append(ENCABEZADO)
    for f in filas:
        ws.append(f)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    libro.save(ruta)
    return ruta


def escribir_csv(ruta: Path, filas: list[list], codificacion: str = "utf-8", separador: str = ",") -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with open(ruta, "w", encoding=codificacion, newline="") as f:
        w = csv.writer(f, delimiter=separador)
        w.writerow(ENCABEZADO)
        w.writerows([["" if c is None else c for c in fila] for fila in filas])
    return ruta


def _esperado(ciclo_recurso: int = 2024) -> dict[str, dict[str, float]]:
    """Independent sums by COG concept of the valid partidas of the fixture."""
    sumas: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MOMENTOS, 0.0))
    for p in PARTIDAS:
        if p[2] != ciclo_recurso:
            continue
        concepto = p[1][:2] + "00"
        for m in MOMENTOS:
            sumas[concepto][m] += p[_INDICE[m]]
    return dict(sumas)


def _base(tmp_path: Path, nombre: str, escribir=escribir_xlsx, **kw) -> Path:
    base = tmp_path / "datos"
    escribir(base / "raw" / "srft" / nombre, filas_fassa(**kw))
    return base


def _quitar_rechazadas(base: Path, nombre: str) -> None:
    """As a user would: delete the rows the rejects file names (the planted bad rows)."""
    ruta = base / "raw" / "srft" / nombre
    rechazos = pd.read_csv(next((base / "processed" / "rechazos").glob("*.csv")), dtype=str, keep_default_na=False)
    quitar = {int(f) for f in rechazos.loc[rechazos["columna"] != "(fila duplicada)", "fila"]}
    libro = openpyxl.load_workbook(ruta)
    ws = libro.active
    for fila in sorted(quitar, reverse=True):
        ws.delete_rows(fila)
    libro.save(ruta)


@pytest.mark.parametrize("nombre,escribir", [("ejercicio_FASSA_2024_T4.xlsx", escribir_xlsx),
                                             ("ejercicio_FASSA_2024_T4.csv", escribir_csv),
                                             ("4tri_ReporteFinal_2024_latin1.csv",
                                              lambda r, f: escribir_csv(r, f, "latin-1")),
                                             ("ejercicio 2024 trimestre 4 (Excel es-MX).csv",
                                              lambda r, f: escribir_csv(r, f, "utf-8-sig", ";"))])
def test_cada_fila_se_cuenta_una_vez(tmp_path, nombre, escribir):
    base = _base(tmp_path, nombre, escribir)
    (r,) = ingesta.ingerir(base)
    assert r.error is None, r.error
    filas = filas_fassa()
    # 2 programme rows, 6 partidas, 1 «N/A» devengado, 1 unknown state, 1 duplicate
    assert (r.leidas, r.cargadas, r.nivel_programa, r.duplicadas, r.rechazadas) == (len(filas), 6, 2, 1, 2)
    assert r.leidas == r.cargadas + r.nivel_programa + r.duplicadas + r.rechazadas
    rechazos = pd.read_csv(base / "processed" / r.rechazos, dtype=str, keep_default_na=False)
    lugar = f"{nombre} (hoja Reporte)" if nombre.endswith(".xlsx") else nombre
    assert set(rechazos["archivo"]) == {lugar}
    por_fila = dict(zip(rechazos["fila"].astype(int), zip(rechazos["columna"], rechazos["motivo"])))
    n = len(filas) + 1  # the last data row's number (header is row 1)
    assert por_fila[n - 2][0] == "Devengado" and "vacío" in por_fila[n - 2][1]
    assert por_fila[n - 1][0] == "Entidad" and "entidad federativa" in por_fila[n - 1][1]
    assert set(rechazos.loc[rechazos["columna"] != "(fila duplicada)", "fondo"]) == {"FASSA"}
    assert por_fila[n] == ("(fila duplicada)", "la fila repite exactamente la fila 4; se cargó una sola vez")
    guardadas = almacen.leer(base / "processed", "srft", 2024, "32")
    assert sorted(guardadas["partida"]) == sorted(p[1][:3] for p in PARTIDAS)
    assert set(guardadas["trimestre"]) == {4} and set(guardadas["ambito"]) == {"estatal"}
    assert set(guardadas["modalidad_pp"]) == {"I002"}
    assert guardadas.set_index("partida").loc["311", "desc_partida"] == "Energía eléctrica"


def test_anexo1_desde_la_exportacion_xlsx(tmp_path):
    nombre = "ejercicio_FASSA_2024_T4.xlsx"
    base = _base(tmp_path, nombre)
    with pytest.raises(ErrorEntrada):  # the gate: rows of this report were rejected
        datos.cargar(base, "32", 2024, "FASSA")
    _quitar_rechazadas(base, nombre)
    d = datos.cargar(base, "32", 2024, "FASSA")
    assert d.fuentes.get("destino") == "srft" and d.trimestre_srft == 4
    assert [a["archivo"] for a in d.archivos] == [f"raw/srft/{nombre}"]
    a = auditoria.calcular(d)
    detalle = a.anexo1[a.anexo1["tipo_fila"] == "detalle"].set_index("concepto")
    esperado = _esperado()
    con_monto = detalle[detalle[list(MOMENTOS)].fillna(0).abs().sum(axis=1) > 0]
    assert set(con_monto.index) == set(esperado)
    # concept 2500 = 253 + 254, devengado at their (only) last quarter
    assert detalle.loc["2500", "devengado"] == pytest.approx(96543210.99 + 39876543.21, abs=0.005)
    for concepto, momentos in esperado.items():
        for m, valor in momentos.items():
            assert detalle.loc[concepto, m] == pytest.approx(valor, abs=0.005), (concepto, m)
    # programme rows are never added: the annex total is the partidas' sum, not twice it
    total = a.anexo1[a.anexo1["tipo_fila"] == "total"].iloc[0]
    assert total["devengado"] == pytest.approx(sum(p[7] for p in PARTIDAS if p[2] == 2024), abs=0.005)
    # carried-over money apart
    arr = a.anexo1_arrastre[a.anexo1_arrastre["tipo_fila"] == "total"].iloc[0]
    assert arr["devengado"] == pytest.approx(4700000, abs=0.005)
    # programme totals agree with their partidas (its «Sin Especificar» ejecutora tied to theirs)
    assert a.hallazgos[a.hallazgos["regla"] == "A1-SRFT-PROGRAMA"].empty
    assert not d.cotejo_programa_srft.empty and (d.cotejo_programa_srft["partidas"] > 0).all()


def test_programa_que_no_cuadra_se_señala(tmp_path):
    nombre = "ejercicio_FASSA_2024_T4.xlsx"
    base = _base(tmp_path, nombre, diferencia_programa=750.0)
    ingesta.ingerir(base)
    _quitar_rechazadas(base, nombre)
    d = datos.cargar(base, "32", 2024, "FASSA")
    prog = auditoria.calcular(d).hallazgos
    prog = prog[prog["regla"] == "A1-SRFT-PROGRAMA"]
    assert len(prog) == 2  # the 2024 and the 2023 programme rows both carry the planted difference
    assert sorted(prog["diferencia"].abs()) == pytest.approx([750.0, 750.0])


def test_pagado_shcp_y_ef_no_son_pagado(tmp_path):
    base = _base(tmp_path, "ejercicio_FASSA_2024_T4.xlsx")
    ingesta.ingerir(base)
    programa = almacen.leer(base / "processed", srft.TABLA_PROGRAMA, 2024, "32")
    fila = programa[programa["ciclo_recurso"] == 2024].iloc[0]
    pagado = round(sum(p[9] for p in PARTIDAS if p[2] == 2024), 2)
    recaudado = round(sum(p[5] for p in PARTIDAS if p[2] == 2024), 2)
    assert fila["pagado"] == pytest.approx(pagado) and fila["recaudado"] == pytest.approx(recaudado)
    assert pagado != recaudado  # «Pagado EF» (= recaudado in the row) was not read as pagado


def test_periodo_del_nombre():
    t = srft_legible.trimestre_del_nombre
    assert [t("4tri_ReporteFinal_FONDO 4.xlsx"), t("ejercicio_2024_T3.xlsx"), t("2do trimestre 2024.csv"),
            t("ejercicio_2024_definitivo.xlsx"), t("trimestre_1.csv"), t("4T_2024.xlsx"), t("FASSA 2024.xlsx")] \
        == [4, 3, 2, 5, 1, 4, None]
    with pytest.raises(ErrorEntrada, match="varios trimestres"):
        t("ejercicio_T3_T4.xlsx")
    assert srft_legible.ciclo_del_nombre("4tri_ReporteFinal_FONDO 4.xlsx") is None
    assert srft_legible.ciclo_del_nombre("ejercicio_FASSA_2024_T4.xlsx") == 2024


def test_sin_trimestre_en_el_nombre_se_niega(tmp_path):
    base = _base(tmp_path, "ejercicio_FASSA_2024.xlsx")
    (r,) = ingesta.ingerir(base)
    assert r.error and "trimestre" in r.error and "ejercicio_FASSA_2024.xlsx" in r.error
    assert r.detalle["hoja"] == "Reporte"


def test_ciclo_del_mayor_ciclo_de_recurso(tmp_path):
    base = _base(tmp_path, "4tri_ReporteFinal_FASSA.xlsx")
    (r,) = ingesta.ingerir(base)
    assert r.error is None and r.cargadas == 6
    assert set(almacen.leer(base / "processed", "srft")["ciclo"]) == {2024}


def test_encabezado_incompleto_nombra_hoja_y_columna(tmp_path):
    ruta = tmp_path / "ejercicio_2024_T4.xlsx"
    libro = openpyxl.Workbook()
    libro.active.title = "Hoja1"
    libro.active.append([c for c in ENCABEZADO if c != "Devengado"])
    libro.save(ruta)
    with pytest.raises(ErrorEntrada) as exc:
        srft_legible.leer_encabezado_srft(ruta)
    assert exc.value.hoja == "Hoja1" and exc.value.fila == 1 and "Devengado" in exc.value.motivo


def test_validate_dice_lo_que_reconocio(tmp_path):
    ruta = escribir_xlsx(tmp_path / "ejercicio_FASSA_2024_T4.xlsx", filas_fassa())
    texto = validacion.reconocer(ruta)
    assert "ejercicio del gasto con encabezados legibles" in texto and "hoja «Reporte»" in texto
    assert "ciclo 2024" in texto and "trimestre 4" in texto
    lineas = validacion.validar_archivo(ruta)
    n = len(filas_fassa()) + 1
    assert len(lineas) == 2
    assert lineas[0].startswith(f"ejercicio_FASSA_2024_T4.xlsx (hoja Reporte), fila {n - 2}, columna «Devengado»")
    assert f"fila {n - 1}, columna «Entidad»" in lineas[1]
    csv_ = escribir_csv(tmp_path / "ejercicio_FASSA_2024_T4.csv", filas_fassa())
    assert "ejercicio del gasto con encabezados legibles" in validacion.reconocer(csv_)
    assert len(validacion.validar_archivo(csv_)) == 2


def test_filas_reales_de_huehuetan_fortamun_2020(tmp_path):
    """Rows of the real export (Huehuetán, Chiapas, FORTAMUN I005, 4th quarter 2020), cells as printed:
    the programme row with its totals and «N/A» / 25139736 in «Pagado SHCP» / «Pagado EF», and four partidas."""
    comun = ["Chiapas", "Huehuetán"]
    recurso = [2020, RECURSO, RAMO, 33, "FORTAMUN", "I005"]
    ejecutora = "H. AYUNTAMIENTO MUNICIPAL DE HUEHUETAN,CHIAPAS."
    filas = [[*comun, "Programa presupuestario", *recurso, "Sin Especificar", "Sin Especificar", 0, 0, None,
              "Total del Programa Presupuestario", 25139736, 25139736, 25139736, 25139736, 25138748.13, 25138748.13,
              25138748.13, None, None, "N/A", 25139736, "Validado", None]]
    partidas = [("357 - Instalación, reparación y mantenimiento de maquinaria, otros equipos y herramienta", 303245.05),
                ("921 - Intereses de la deuda interna con instituciones de crédito", 38649.51),
                ("144 - Aportaciones para seguros", 176797.5), ("311 - Energía eléctrica", 1185932.07)]
    filas += [[*comun, "Partida genérica", *recurso, "FORTAMUN", ejecutora, None, None, "1 - Gasto corriente", p,
               *[v] * 7, "Sin Contratos", "Sin Proyectos", "N/A", "N/A", "Validado", None] for p, v in partidas]
    base = tmp_path / "datos"
    escribir_xlsx(base / "raw" / "srft" / "4tri_ReporteFinal_FONDO 4.xlsx", filas)
    (r,) = ingesta.ingerir(base)
    assert r.error is None, r.error
    assert (r.leidas, r.cargadas, r.nivel_programa, r.rechazadas) == (5, 4, 1, 0)
    guardadas = almacen.leer(base / "processed", "srft", 2020, "07")
    assert set(guardadas["ambito"]) == {"municipal"} and (guardadas["id_municipio"] < 0).all()
    assert set(guardadas["modalidad_pp"]) == {"I005"} and set(guardadas["trimestre"]) == {4}
    assert dict(zip(guardadas["partida"], guardadas["devengado"])) == {p[:3]: v for p, v in partidas}
    assert guardadas.set_index("partida").loc["921", "desc_partida"] == \
        "Intereses de la deuda interna con instituciones de crédito"
    programa = almacen.leer(base / "processed", srft.TABLA_PROGRAMA, 2020, "07").iloc[0]
    assert (programa["recaudado"], programa["devengado"], programa["pagado"]) == (25139736, 25138748.13, 25138748.13)
    assert programa["ejecutora"] == ejecutora  # «Sin Especificar» read as its partidas' one


def test_programa_con_partidas_de_varias_ejecutoras_se_señala(tmp_path):
    """Documented limit: «Sin Especificar» cannot be tied to one ejecutora, so the programme row finds no
    partidas and A1-SRFT-PROGRAMA shows it (calculado 0) instead of passing silently."""
    filas = [f for f in filas_fassa() if f[0] == "Zacatecas" and f[19] != "N/A"][:-1]
    otra = next(f for f in filas if f[14].startswith("311"))
    otra[10] = "HOSPITAL GENERAL DE ZACATECAS"
    base = tmp_path / "datos"
    escribir_xlsx(base / "raw" / "srft" / "ejercicio_FASSA_2024_T4.xlsx", filas)
    d = datos.cargar(base, "32", 2024, "FASSA")
    cotejo = d.cotejo_programa_srft
    assert (cotejo.loc[cotejo["ciclo_recurso"] == 2024, "partidas"] == 0).all()
    assert (cotejo.loc[cotejo["ciclo_recurso"] == 2023, "partidas"] > 0).all()  # one ejecutora: tied
    prog = auditoria.calcular(d).hallazgos
    assert (prog["regla"] == "A1-SRFT-PROGRAMA").any()
