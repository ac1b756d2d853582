"""Audit of the annex figures (rule engine): the shipped Aguascalientes 2024 workbook, one planted
case per rule, consistent tables that must stay silent, the demo states and a property test.

Planted cases start from small consistent tables written out by hand (every subtotal and share
below was added up on paper) and change one thing.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asm_analysis import auditoria
from asm_analysis.entradas import catalogos, datos
from asm_analysis.auditoria import REGLAS, Tolerancias, auditar_tablas
from asm_analysis.entradas.captura import leer_captura
from asm_analysis.comun.errores import ErrorEntrada

RAIZ = Path(__file__).resolve().parents[1]
LIBRO = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
CICLO = 2024
CORTE = dt.date(2025, 9, 30)


# --------------------------------------------------------------------------- consistent tables


def _destino_ok() -> list[dict]:
    return [
        dict(fila=2, capitulo="1000", concepto="1100", descripcion="Remuneraciones al personal de carácter permanente",
             aprobado=100.0, modificado=100.0, devengado=95.0, pagado=90.0, disponible=5.0),
        dict(fila=3, capitulo="1000", concepto="1200", descripcion="Remuneraciones al personal transitorio",
             aprobado=50.0, modificado=60.0, devengado=58.0, pagado=58.0, disponible=2.0),
        dict(fila=4, capitulo="1000", concepto=None, descripcion="Subtotal capítulo 1000",
             aprobado=150.0, modificado=160.0, devengado=153.0, pagado=148.0, disponible=7.0),
        dict(fila=5, capitulo="2000", concepto="2100", descripcion="Materiales de administración",
             aprobado=30.0, modificado=30.0, devengado=30.0, pagado=30.0, disponible=0.0),
        dict(fila=6, capitulo="2000", concepto=None, descripcion="Subtotal capítulo 2000: Materiales y suministros",
             aprobado=30.0, modificado=30.0, devengado=30.0, pagado=30.0, disponible=0.0),
        dict(fila=7, capitulo="TOTAL", concepto=None, descripcion="Gran total 2024",
             aprobado=180.0, modificado=190.0, devengado=183.0, pagado=178.0, disponible=7.0),
    ]


def _srft_ok() -> list[dict]:
    """SRFT concept rows with the same chapter totals as :func:`_destino_ok`."""
    return [
        dict(concepto="1100", capitulo="1000", aprobado=150.0, modificado=160.0, devengado=153.0, pagado=148.0),
        dict(concepto="2100", capitulo="2000", aprobado=30.0, modificado=30.0, devengado=30.0, pagado=30.0),
    ]


def _concurrencia_ok() -> list[dict]:
    return [
        dict(fila=2, orden_gobierno="Federal", fuente="FASSA", monto=600.0, porcentaje=60.0,
             fundamento_legal=None, comentarios=None),
        dict(fila=3, orden_gobierno="Federal", fuente="IMSS-BIENESTAR", monto=200.0, porcentaje=20.0,
             fundamento_legal=None, comentarios=None),
        dict(fila=4, orden_gobierno="Federal", fuente=None, monto=800.0, porcentaje=80.0,
             fundamento_legal="Ley de Coordinación Fiscal", comentarios="Subtotal Federal (a)"),
        dict(fila=5, orden_gobierno="Estatal", fuente="Aportación estatal", monto=150.0, porcentaje=15.0,
             fundamento_legal=None, comentarios=None),
        dict(fila=6, orden_gobierno="Estatal", fuente=None, monto=150.0, porcentaje=15.0,
             fundamento_legal="Ley de Salud del Estado", comentarios="Subtotal Estatal (b)"),
        dict(fila=7, orden_gobierno="Ingresos propios", fuente="Cuotas de recuperación", monto=50.0, porcentaje=5.0,
             fundamento_legal=None, comentarios=None),
        dict(fila=8, orden_gobierno="Ingresos propios", fuente=None, monto=50.0, porcentaje=5.0,
             fundamento_legal="Ley de Ingresos del Estado", comentarios="Subtotal Ingresos propios (c)"),
        dict(fila=9, orden_gobierno="TOTAL", fuente=None, monto=1000.0, porcentaje=100.0,
             fundamento_legal=None, comentarios="Total de ingresos 2024 de la Ejecutora (a + b + c)"),
    ]


def _indicador(fila: int, nombre: str, sentido: str, meta, avance, reportado, meta_a, avance_a, reportado_a,
               justificacion=None, mir="Federal", nivel="Componente") -> dict:
    return dict(fila=fila, mir=mir, nivel=nivel, indicador=nombre, frecuencia="Anual", unidad_medida="Porcentaje",
                sentido=sentido, meta=meta, avance=avance, avance_meta_reportado=reportado, meta_anterior=meta_a,
                avance_anterior=avance_a, avance_meta_anterior_reportado=reportado_a,
                medios_verificacion="SIS", justificacion=justificacion)


def _indicadores_ok() -> list[dict]:
    return [
        # 82 / 80 = 102.50 %; prior 74 / 75 = 98.67 %
        _indicador(2, "Porcentaje de nacidos vivos atendidos por personal médico", "Ascendente",
                   80.0, 82.0, 102.5, 75.0, 74.0, 98.67),
        # descending: 20 / 19 = 105.26 %; prior 22 / 21 = 104.76 %
        _indicador(3, "Razón de mortalidad materna", "Descendente", 20.0, 19.0, 105.26, 22.0, 21.0, 104.76,
                   nivel="Fin"),
    ]


def _previos_ok() -> list[dict]:
    """The previous ciclo's own rows, agreeing with the prior-year columns of :func:`_indicadores_ok`."""
    return [
        _indicador(2, "Porcentaje de nacidos vivos atendidos por personal médico", "Ascendente",
                   75.0, 74.0, 98.67, None, None, None),
        _indicador(3, "Razón de mortalidad materna", "Descendente", 22.0, 21.0, 104.76, None, None, None,
                   nivel="Fin"),
    ]


def _accion(fila: int, numero: str, evaluacion: str, avance, inicio, termino, estatus, aspecto="Actualizar el "
            "Diagnóstico Estatal de Salud", tipo="Institucional", prioridad="Alta",
            area="Dirección de Planeación", observaciones=None) -> dict:
    return dict(fila=fila, numero=numero, aspecto=aspecto, tipo=tipo, prioridad=prioridad, area_responsable=area,
                accion="Integrar el diagnóstico", fecha_inicio=inicio, fecha_termino=termino, avance=avance,
                documento_probatorio="Diagnóstico aprobado", observaciones=observaciones,
                evaluacion_origen=evaluacion, estatus_reportado=estatus, pregunta=None, inciso=None)


def _asm_ok() -> list[dict]:
    return [
        _accion(2, "1", "EED FASSA 2022", 100.0, dt.date(2023, 2, 1), dt.date(2023, 10, 31), "Atendido"),
        _accion(3, "1", "EED FASSA 2022", 100.0, dt.date(2023, 3, 1), dt.date(2023, 12, 31), "Atendido"),
        _accion(4, "1", "EED FASSA 2024", 40.0, dt.date(2025, 3, 1), dt.date(2026, 2, 28), "En proceso",
                aspecto="Publicar los medios de verificación de la MIR", tipo="Específico", prioridad="Media"),
    ]


def _base() -> dict[str, list[dict]]:
    return {"destino": _destino_ok(), "concurrencia": _concurrencia_ok(), "indicadores": _indicadores_ok(),
            "asm": _asm_ok(), "srft": _srft_ok(), "indicadores_previos": _previos_ok()}


def _auditar(tablas: dict[str, list[dict]], tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    marcos = {k: pd.DataFrame(v) for k, v in tablas.items()}
    return auditar_tablas(CICLO, tolerancias, fecha_corte=CORTE, **marcos)


def _fila(tabla: list[dict], **clave) -> dict:
    return next(f for f in tabla if all(f.get(k) == v for k, v in clave.items()))


# --------------------------------------------------------------------------- planted cases


def _a1_subtotal(t):
    _fila(t["destino"], fila=4)["modificado"] += 10


def _a1_total(t):
    _fila(t["destino"], fila=7)["devengado"] += 10


def _a1_momentos(t):  # pagado above devengado, every sum kept right
    for f in (5, 6, 7):
        _fila(t["destino"], fila=f)["pagado"] += 5
    t["srft"][1]["pagado"] += 5


def _a1_negativo(t):  # a negative aprobado, sums kept right
    _fila(t["destino"], fila=5)["aprobado"] = -30.0
    _fila(t["destino"], fila=6)["aprobado"] = -30.0
    _fila(t["destino"], fila=7)["aprobado"] = 120.0
    t["srft"][1]["aprobado"] = -30.0


def _a1_srft_estatus(t):  # two SRFT system rows left out for their status (the figures used stay consistent)
    t["srft_no_validadas"] = [
        dict(fila=9, archivo_fuente="srft/exportacion.csv", estatus="Rechazado", concepto="1100", capitulo="1000",
             aprobado=900.0, modificado=900.0, devengado=800.0, pagado=700.0),
        dict(fila=11, archivo_fuente="srft/exportacion.csv", estatus="Rechazado", concepto="2100", capitulo="2000",
             aprobado=100.0, modificado=100.0, devengado=50.0, pagado=50.0),
    ]


def _a1_disponible(t):  # disponible 7 where modificado - devengado = 5; sums follow the concept
    for f in (2, 4, 7):
        _fila(t["destino"], fila=f)["disponible"] += 2


def _a1_capitulo(t):  # concept 2200 typed in a chapter 1000 row (zero amounts: sums unchanged)
    t["destino"].insert(2, dict(fila=10, capitulo="1000", concepto="2200", descripcion="Alimentos y utensilios",
                                aprobado=0.0, modificado=0.0, devengado=0.0, pagado=0.0, disponible=0.0))


def _a1_etiqueta_anio(t):
    _fila(t["destino"], fila=4)["descripcion"] = "Subtotal capítulo 1000 (ejercicio 2023)"


def _a1_srft(t):
    t["srft"][0]["devengado"] += 500


def _a2_subtotal(t):
    _fila(t["concurrencia"], fila=4)["monto"] += 100


def _a2_total(t):
    _fila(t["concurrencia"], fila=9)["monto"] += 100


def _a2_porcentaje(t):  # two shares swapped one point (their sum stays 100)
    _fila(t["concurrencia"], fila=2)["porcentaje"] = 61.0
    _fila(t["concurrencia"], fila=3)["porcentaje"] = 19.0


def _a2_suma(t):  # every share 0.04 off (within tolerance one by one) but they add 100.16
    for f in (2, 3, 5, 7):
        _fila(t["concurrencia"], fila=f)["porcentaje"] += 0.04


def _a2_etiqueta(t):  # as published by Aguascalientes
    _fila(t["concurrencia"], fila=8)["comentarios"] = "Subtotal Estatal (c)"


def _a2_etiqueta_anio(t):  # as published by Aguascalientes
    _fila(t["concurrencia"], fila=9)["comentarios"] = "Total de ingresos 2020 de la Ejecutora (a + b+ c+ d)"


def _a4_cumplimiento(t):  # 60 / 80 = 75 % reported 80 %
    f = _fila(t["indicadores"], fila=2)
    f.update(avance=60.0, avance_meta_reportado=80.0, justificacion="Menos partos atendidos en unidades propias.")


def _a4_sentido(t):  # descending, 20 / 21 = 95.24 % (missed) shown as 100 %
    _fila(t["indicadores"], fila=3).update(avance=21.0, avance_meta_reportado=100.0)


def _a4_tope(t):  # 84 / 80 = 105 % shown as 100 %
    _fila(t["indicadores"], fila=2).update(avance=84.0, avance_meta_reportado=100.0)


def _a4_meta(t):
    _fila(t["indicadores"], fila=2).update(meta=None, avance_meta_reportado=None)


def _a4_justificacion(t):  # 68 / 80 = 85 % (yellow) without justification
    _fila(t["indicadores"], fila=2).update(avance=68.0, avance_meta_reportado=85.0, justificacion=None)


def _a4_rojo(t):  # 40 / 80 = 50 % (red), justified
    _fila(t["indicadores"], fila=2).update(avance=40.0, avance_meta_reportado=50.0,
                                          justificacion="Se suspendió la contratación de personal.")


def _a4_sobrecumplimiento(t):  # 92 / 80 = 115 %, justified
    _fila(t["indicadores"], fila=2).update(avance=92.0, avance_meta_reportado=115.0,
                                          justificacion="La demanda fue mayor a la estimada.")


def _a4_copia(t):  # prior-year columns = this year's; no previous ciclo data to contradict them
    _fila(t["indicadores"], fila=2).update(meta_anterior=80.0, avance_anterior=82.0,
                                          avance_meta_anterior_reportado=102.5)
    t["indicadores_previos"] = []


def _a4_difiere(t):  # prior meta 76 on the row, 75 in the previous ciclo's data (74/76 = 97.37 %)
    _fila(t["indicadores"], fila=2).update(meta_anterior=76.0, avance_meta_anterior_reportado=97.37)


def _asm_avance(t):
    _fila(t["asm"], fila=2)["avance"] = 120.0


def _asm_fechas(t):
    _fila(t["asm"], fila=3)["fecha_termino"] = dt.date(2023, 1, 15)


def _asm_campos(t):
    _fila(t["asm"], fila=4)["aspecto"] = None


def _asm_no_atendido(t):  # Aguascalientes' Anexo 3: «No atendido» while observaciones say 100 % attended
    _fila(t["asm"], fila=2).update(estatus_reportado="No atendido", observaciones="100% ATENDIDO")


def _asm_estatus(t):
    _fila(t["asm"], fila=4)["estatus_reportado"] = "Atendido"


def _asm_incompleto(t):  # an earlier ASM with no progress reported, not yet due
    t["asm"].append(_accion(5, "2", "EED FASSA 2022", None, dt.date(2025, 1, 10), dt.date(2025, 12, 31), None,
                            aspecto="Conciliar la plantilla de personal"))


def _asm_sin_prioridad(t):  # an ASM of this ciclo's evaluation without prioridad (Anexo 7 column)
    _fila(t["asm"], fila=4)["prioridad"] = None


def _asm_vencido(t):  # an earlier ASM due before the cut date at 60 %
    t["asm"].append(_accion(5, "2", "EED FASSA 2022", 60.0, dt.date(2024, 1, 10), dt.date(2024, 12, 31),
                            "En proceso", aspecto="Conciliar la plantilla de personal"))


def _a1_ejecucion(t):  # nothing changes: the threshold does (99 %), see PLANTADOS
    pass


def _a1_srft_programa(t):  # a programme-level row whose devengado is 2 pesos above its partidas
    t["srft_programa"] = [dict(fila=7, ciclo=CICLO, trimestre=4, cve_ent="01", id_municipio=0, ciclo_recurso=CICLO,
                               ramo=33, modalidad_pp="I002", ejecutora="ISSEA", municipio="", momento="devengado",
                               reportado=185.0, calculado=183.0, partidas=2),
                          dict(fila=7, ciclo=CICLO, trimestre=4, cve_ent="01", id_municipio=0, ciclo_recurso=CICLO,
                               ramo=33, modalidad_pp="I002", ejecutora="ISSEA", municipio="", momento="pagado",
                               reportado=178.5, calculado=178.0, partidas=2)]  # within the 1-peso tolerance


def _a1_srft_corte(t):  # quarter 5 reports partida 113 only; partida 211 comes from quarter 4
    t["srft"][0].update(trimestre=5, partida="113", ciclo_recurso=CICLO)
    t["srft"][1].update(trimestre=4, partida="211", ciclo_recurso=CICLO)


PLANTADOS = [
    ("A1-SUBTOTAL", _a1_subtotal, None),
    ("A1-TOTAL", _a1_total, None),
    ("A1-MOMENTOS", _a1_momentos, None),
    ("A1-NEGATIVO", _a1_negativo, None),
    ("A1-SRFT-ESTATUS", _a1_srft_estatus, None),
    ("A1-DISPONIBLE", _a1_disponible, None),
    ("A1-CAPITULO", _a1_capitulo, None),
    ("A1-ETIQUETA-ANIO", _a1_etiqueta_anio, None),
    ("A1-SRFT", _a1_srft, None),
    ("A1-SRFT-PROGRAMA", _a1_srft_programa, None),
    ("A1-SRFT-CORTE", _a1_srft_corte, None),
    ("A1-EJECUCION", _a1_ejecucion, Tolerancias(ejecucion_baja=99.0)),
    ("A2-SUBTOTAL", _a2_subtotal, None),
    ("A2-TOTAL", _a2_total, None),
    ("A2-PORCENTAJE", _a2_porcentaje, None),
    ("A2-SUMA-PORCENTAJES", _a2_suma, None),
    ("A2-ETIQUETA", _a2_etiqueta, None),
    ("A2-ETIQUETA-ANIO", _a2_etiqueta_anio, None),
    ("A4-CUMPLIMIENTO", _a4_cumplimiento, None),
    ("A4-CUMPLIMIENTO-SENTIDO", _a4_sentido, None),
    ("A4-CUMPLIMIENTO-TOPE", _a4_tope, None),
    ("A4-META", _a4_meta, None),
    ("A4-JUSTIFICACION", _a4_justificacion, None),
    ("A4-ROJO", _a4_rojo, None),
    ("A4-SOBRECUMPLIMIENTO", _a4_sobrecumplimiento, None),
    ("A4-ANTERIOR-COPIA", _a4_copia, None),
    ("A4-ANTERIOR-DIFIERE", _a4_difiere, None),
    ("ASM-AVANCE", _asm_avance, None),
    ("ASM-FECHAS", _asm_fechas, None),
    ("ASM-CAMPOS", _asm_campos, None),
    ("ASM-NO-ATENDIDO", _asm_no_atendido, None),
    ("ASM-ESTATUS", _asm_estatus, None),
    ("ASM-INCOMPLETO", _asm_incompleto, None),
    ("ASM-INCOMPLETO", _asm_sin_prioridad, None),
    ("ASM-VENCIDO", _asm_vencido, None),
]


def test_every_rule_has_a_planted_case():
    """Rules on one annex are planted here; the congruence rules (across annexes, sources and
    periods) need whole workbooks and are planted in test_congruencia.py; the rules on the SRFT
    Indicadores export, in test_srft_indicadores.py."""
    from test_congruencia import NUEVAS
    from test_srft_indicadores import PLANTADAS_SRFT

    assert {p[0] for p in PLANTADOS} | set(NUEVAS) | set(PLANTADAS_SRFT) == set(REGLAS)
    assert not {p[0] for p in PLANTADOS} & set(NUEVAS)


@pytest.mark.parametrize("regla, plantar, tolerancias", PLANTADOS,
                         ids=[f"{p[0]}:{p[1].__name__}" for p in PLANTADOS])
def test_planted_case_triggers_exactly_its_rule(regla, plantar, tolerancias):
    tablas = copy.deepcopy(_base())
    plantar(tablas)
    h = _auditar(tablas, tolerancias)
    assert set(h["regla"]) == {regla}, h[["regla", "mensaje"]].to_string()
    assert set(h["severidad"]) == {REGLAS[regla][0]}
    assert list(h.columns) == auditoria.COLUMNAS


# --------------------------------------------------------------------------- consistent cases


def _sin_cambio(t):
    pass


def _etiquetas_con_anios_legitimos(t):
    _fila(t["concurrencia"], fila=4)["fundamento_legal"] = "Ley de Coordinación Fiscal (DOF 27/12/1978), art. 29"
    _fila(t["concurrencia"], fila=6)["fundamento_legal"] = "Ley de Salud; Plan Estatal de Desarrollo 2022-2027"
    _fila(t["concurrencia"], fila=2)["comentarios"] = "Convenio 2019 vigente"  # a source row, not a label
    _fila(t["destino"], fila=2)["descripcion"] = "Plazas autorizadas en 2021"  # a concept row
    _fila(t["destino"], fila=6)["descripcion"] = "2000: Materiales y suministros"


def _copia_solo_100_100(t):  # 100 / 100 two years running can happen: alone it is not a copy
    t["indicadores"].append(_indicador(4, "Porcentaje de atenciones programadas con recurso asignado", "Ascendente",
                                       100.0, 100.0, 100.0, 100.0, 100.0, 100.0))


def _dentro_de_tolerancia(t):
    _fila(t["destino"], fila=4)["modificado"] += 0.99          # 1 peso
    _fila(t["concurrencia"], fila=2)["porcentaje"] = 60.04      # 0.05 points
    _fila(t["indicadores"], fila=2)["avance_meta_reportado"] = 102.1  # 0.5 points
    t["srft"][0]["pagado"] -= 0.5


def _tope_dentro_de_tolerancia(t):  # 80.24 / 80 = 100.30 % reported 100 %
    _fila(t["indicadores"], fila=2).update(avance=80.24, avance_meta_reportado=100.0)


def _porcentajes_redondeados(t):  # three thirds shown as 33.33 % each add 99.99 %
    t["concurrencia"] = [
        dict(fila=2, orden_gobierno="Federal", fuente="FASSA", monto=100.0, porcentaje=33.33),
        dict(fila=3, orden_gobierno="Estatal", fuente="Aportación estatal", monto=100.0, porcentaje=33.33),
        dict(fila=4, orden_gobierno="Otros", fuente="Fideicomiso", monto=100.0, porcentaje=33.33),
        dict(fila=5, orden_gobierno="TOTAL", fuente=None, monto=300.0, porcentaje=100.0),
    ]


def _sin_subtotales_reportados(t):  # only concept rows: nothing reported to compare
    t["destino"] = [f for f in t["destino"] if f["concepto"] is not None]
    t["concurrencia"] = [f for f in t["concurrencia"] if f["fuente"] is not None]


def _asm_atendido_tarde(t):  # finished at 100 % after its end date: attended, not overdue
    _fila(t["asm"], fila=3)["fecha_termino"] = dt.date(2025, 12, 31)


def _anexo3_coherente(t):  # listed as not attended, with progress below 100 and saying so
    for f in (2, 3):
        _fila(t["asm"], fila=f).update(estatus_reportado="No atendido", avance=70.0, fecha_termino=dt.date(2026, 1, 31),
                                       observaciones="No atendido al 100 %")


CONSISTENTES = [
    ("tal cual", _sin_cambio),
    ("años legítimos en textos", _etiquetas_con_anios_legitimos),
    ("100/100 repetido una vez", _copia_solo_100_100),
    ("diferencias dentro de la tolerancia", _dentro_de_tolerancia),
    ("tope dentro de la tolerancia", _tope_dentro_de_tolerancia),
    ("porcentajes redondeados", _porcentajes_redondeados),
    ("sin subtotales reportados", _sin_subtotales_reportados),
    ("ASM atendido después de su fecha", _asm_atendido_tarde),
    ("Anexo 3 coherente", _anexo3_coherente),
]


@pytest.mark.parametrize("nombre, cambiar", CONSISTENTES, ids=[c[0] for c in CONSISTENTES])
def test_consistent_tables_give_no_finding(nombre, cambiar):
    tablas = copy.deepcopy(_base())
    cambiar(tablas)
    h = _auditar(tablas)
    assert h.empty, h[["regla", "mensaje"]].to_string()
    assert list(h.columns) == auditoria.COLUMNAS


def test_empty_inputs_give_an_empty_table():
    h = auditar_tablas(CICLO)
    assert h.empty and list(h.columns) == auditoria.COLUMNAS


# --------------------------------------------------------------------------- finding contents


def test_overdue_asm_names_the_columns_of_the_figure_it_carries():
    """ASM-VENCIDO carries the ASM's average progress: its place names «avance» with «fecha_termino», so the
    value is what the column says; ASM-FECHAS carries days between the two dates it names."""
    tablas = copy.deepcopy(_base())
    _asm_vencido(tablas)
    _asm_fechas(tablas)
    h = _auditar(tablas).set_index("regla")
    vencido = h.loc["ASM-VENCIDO"]
    assert vencido["ubicacion"] == "hoja asm, fila 5, ASM 2 (EED FASSA 2022), columnas «fecha_termino» y «avance»"
    assert auditoria.motor.columnas_de(vencido["ubicacion"])[1] == ["fecha_termino", "avance"]
    assert (vencido["valor_reportado"], auditoria.motor.unidades("ASM-VENCIDO", vencido["ubicacion"])) \
        == (60.0, ("porcentaje", "puntos"))
    assert "con un avance promedio de 60.00 %" in vencido["mensaje"]
    fechas = h.loc["ASM-FECHAS"]
    assert fechas["ubicacion"].endswith("columnas «fecha_inicio» y «fecha_termino»") and fechas["diferencia"] == -45.0
    assert auditoria.motor.unidades("ASM-FECHAS", fechas["ubicacion"]) == ("dias", "dias")


def test_subtotal_finding_names_row_column_values_and_difference():
    tablas = copy.deepcopy(_base())
    _a1_subtotal(tablas)
    h = _auditar(tablas).iloc[0]
    assert h["ubicacion"] == "hoja destino, fila 4, capítulo 1000, columna «modificado»"
    assert (h["valor_reportado"], h["valor_calculado"], h["diferencia"]) == (170.0, 160.0, 10.0)
    for texto in ("fila 4", "modificado", "$170.00", "$160.00", "$10.00"):
        assert texto in h["mensaje"]


def test_findings_are_sorted_by_severity_annex_and_row():
    tablas = copy.deepcopy(_base())
    for plantar in (_asm_vencido, _a4_rojo, _a2_total, _a1_disponible, _a1_subtotal, _asm_avance):
        plantar(tablas)
    h = _auditar(tablas)
    sev = h["severidad"].map({"error": 0, "advertencia": 1, "info": 2})
    assert sev.is_monotonic_increasing
    errores = h[h["severidad"] == "error"]
    assert list(errores["regla"]) == ["A1-DISPONIBLE", "A1-SUBTOTAL", "A2-TOTAL", "ASM-AVANCE"]
    assert list(errores["anexo"]) == ["Anexo 1", "Anexo 1", "Anexo 2", "Seguimiento ASM"]
    assert list(h[h["severidad"] == "advertencia"]["regla"]) == ["A4-ROJO", "ASM-VENCIDO"]
    pd.testing.assert_frame_equal(h, _auditar(tablas))  # deterministic


def test_descending_indicator_reported_met_is_a_direction_error():
    tablas = copy.deepcopy(_base())
    _a4_sentido(tablas)
    h = _auditar(tablas).iloc[0]
    assert (h["valor_reportado"], h["valor_calculado"]) == (100.0, 95.24)
    assert "descendente" in h["mensaje"]


def test_tolerances_are_configurable():
    tablas = copy.deepcopy(_base())
    _fila(tablas["destino"], fila=4)["modificado"] += 5
    assert set(_auditar(tablas)["regla"]) == {"A1-SUBTOTAL"}
    assert _auditar(tablas, Tolerancias(monto=10)).empty


def test_tolerance_defaults_match_the_shipped_file(tmp_path):
    with (resources.files("asm_analysis") / "data" / "tolerancias.json").open(encoding="utf-8") as f:
        archivo = json.load(f)
    assert {k: v["valor"] for k, v in archivo.items()} == Tolerancias().valores()
    t = Tolerancias()
    assert (t.monto, t.porcentaje, t.cumplimiento, t.ejecucion_baja, t.valor_indicador, t.variacion_anual) == \
        (1.0, 0.05, 0.5, 90.0, 0.01, 25.0)
    ruta = tmp_path / "tol.json"
    ruta.write_text(json.dumps({"monto": 10, "porcentaje": {"valor": 0.1}}), encoding="utf-8")
    assert Tolerancias.desde_archivo(ruta) == Tolerancias(monto=10.0, porcentaje=0.1)
    ruta.write_text(json.dumps({"montos": 10}), encoding="utf-8")
    with pytest.raises(ErrorEntrada, match="montos"):
        Tolerancias.desde_archivo(ruta)
    ruta.write_text(json.dumps({"monto": -1}), encoding="utf-8")
    with pytest.raises(ErrorEntrada, match="mayor o igual a cero"):
        Tolerancias.desde_archivo(ruta)


def test_rule_documentation():
    doc = auditoria.documentar_reglas()
    assert list(doc.columns) == ["id", "severidad", "anexo", "descripcion"]
    assert list(doc["id"]) == list(REGLAS)
    assert set(doc["severidad"]) <= {"error", "advertencia", "info"}
    assert doc["descripcion"].str.len().min() > 20
    # what the figures say about the programme is never an error
    for regla in ("A1-EJECUCION", "A4-ROJO", "A4-JUSTIFICACION", "A4-SOBRECUMPLIMIENTO", "ASM-VENCIDO"):
        assert REGLAS[regla][0] != "error"


# --------------------------------------------------------------------------- Aguascalientes 2024


@pytest.fixture(scope="module")
def dir_datos(datos_compartidos) -> Path:
    """The published data (the Aguascalientes workbook), ingested once per session."""
    return datos_compartidos


@pytest.fixture(scope="module")
def dir_demo(datos_demo) -> Path:
    """The synthetic demo set of the 32 states, ingested once per session."""
    return datos_demo


@pytest.fixture(scope="module")
def ags(dir_datos) -> pd.DataFrame:
    d = datos.cargar(dir_datos, "Aguascalientes", 2024, "IMSS-BIENESTAR", actualizar=False)
    return auditoria.calcular(d).hallazgos


def _una(h: pd.DataFrame, regla: str, *textos: str) -> pd.Series:
    sel = h[(h["regla"] == regla) & h["ubicacion"].map(lambda u: all(t in u for t in textos))]
    assert len(sel) == 1, (regla, textos, h[h["regla"] == regla]["ubicacion"].tolist())
    return sel.iloc[0]


def test_aguascalientes_chapter_subtotals(ags):
    h = _una(ags, "A1-SUBTOTAL", "capítulo 1000", "columna «modificado»")
    assert h["severidad"] == "error" and h["anexo"] == "Anexo 1"
    assert h["ubicacion"] == "hoja destino, fila 9, capítulo 1000, columna «modificado»"
    assert h["valor_reportado"] == 200_582_447.02
    assert h["valor_calculado"] == 196_069_868.52
    assert h["diferencia"] == 4_512_578.50
    assert "$200,582,447.02" in h["mensaje"] and "$196,069,868.52" in h["mensaje"]
    for cap in ("1000", "2000", "3000"):
        for momento in ("modificado", "devengado"):
            assert _una(ags, "A1-SUBTOTAL", f"capítulo {cap},", f"columna «{momento}»")["severidad"] == "error"
    sub = ags[ags["regla"] == "A1-SUBTOTAL"]
    assert not sub["ubicacion"].str.contains("columna «aprobado»").any()  # aprobado adds up
    assert not ags["ubicacion"].str.contains("columna «aprobado»").any()


def test_aguascalientes_disponible_3300(ags):
    h = _una(ags, "A1-DISPONIBLE", "concepto 3300")
    assert h["severidad"] == "error"
    assert (h["valor_reportado"], h["valor_calculado"], h["diferencia"]) == (406_338.14, 0.0, 406_338.14)


def test_aguascalientes_maternal_mortality(ags):
    h = _una(ags, "A4-CUMPLIMIENTO-SENTIDO", "Mortalidad Materna", "columna «avance_meta_reportado»")
    assert h["severidad"] == "error" and h["anexo"] == "Anexo 4"
    assert (h["valor_reportado"], h["valor_calculado"]) == (100.0, 95.70)
    # exceeded goals shown as 100 %
    topes = ags[(ags["regla"] == "A4-CUMPLIMIENTO-TOPE") & ags["ubicacion"].str.endswith("«avance_meta_reportado»")]
    assert sorted(topes["valor_calculado"]) == [103.06, 105.77]


def test_aguascalientes_prior_year_copied(ags):
    copias = ags[ags["regla"] == "A4-ANTERIOR-COPIA"]
    assert len(copias) == 7 and set(copias["severidad"]) == {"error"}
    assert set(copias["ubicacion"].str.extract(r"fila (\d+)")[0].astype(int)) == set(range(2, 9))


def test_aguascalientes_unattended_asm_said_attended(ags):
    h = ags[ags["regla"] == "ASM-NO-ATENDIDO"]
    assert len(h) == 3 and set(h["severidad"]) == {"error"} and set(h["anexo"]) == {"Anexo 3"}
    assert h["mensaje"].str.contains("100% ATENDIDO").all()


def test_aguascalientes_2020_label_and_concurrencia(ags):
    h = _una(ags, "A2-ETIQUETA-ANIO", "total", "columna «comentarios»")
    assert h["anexo"] == "Anexo 2" and "2020" in h["mensaje"] and h["valor_reportado"] == 2020
    etiqueta = _una(ags, "A2-ETIQUETA", "Ingresos propios")
    assert etiqueta["severidad"] == "advertencia" and "Subtotal Estatal (c)" in etiqueta["mensaje"]
    # the published Anexo 2 adds up and its shares are right within 0.05 points
    assert not ags["regla"].isin(["A2-SUBTOTAL", "A2-TOTAL", "A2-PORCENTAJE", "A2-SUMA-PORCENTAJES"]).any()
    # «Subtotal capítulo 2000» is a COG key, not a year
    assert not (ags["regla"] == "A1-ETIQUETA-ANIO").any()


def test_aguascalientes_workbook_alone_gives_the_same_errors(ags):
    solo = auditoria.auditar_captura(leer_captura(LIBRO))
    errores = lambda h: h[h["severidad"] == "error"][["regla", "ubicacion", "valor_reportado"]]  # noqa: E731
    pd.testing.assert_frame_equal(errores(solo).reset_index(drop=True), errores(ags).reset_index(drop=True))


# --------------------------------------------------------------------------- demo states


PLANTADOS_DEMO = {
    "05": {"A2-SUBTOTAL", "A2-PORCENTAJE"},
    "14": {"A4-CUMPLIMIENTO-SENTIDO", "A4-CUMPLIMIENTO-TOPE", "A4-ANTERIOR-COPIA"},
    "30": {"ASM-AVANCE", "ASM-FECHAS", "ASM-CAMPOS"},
}


class _HallazgosDemo(dict):
    """Findings of each demo state (2024, FASSA), audited the first time a test asks for it: the
    planted-error tests read three states; only the 32-state tests (marked ``lenta``) read all."""

    def __init__(self, dir_demo: Path) -> None:
        super().__init__()
        self.dir_demo = dir_demo

    def __missing__(self, cve: str) -> pd.DataFrame:
        self[cve] = auditoria.calcular(datos.cargar(self.dir_demo, cve, 2024, "FASSA", actualizar=False)).hallazgos
        return self[cve]

    def todos(self) -> dict[str, pd.DataFrame]:
        return {cve: self[cve] for cve in catalogos.estados()["cve_ent"]}


@pytest.fixture(scope="module")
def demo(dir_demo) -> _HallazgosDemo:
    return _HallazgosDemo(dir_demo)


@pytest.mark.lenta
def test_demo_covers_the_32_states(demo):
    assert len(demo.todos()) == 32


@pytest.mark.parametrize("cve", sorted(PLANTADOS_DEMO))
def test_demo_planted_errors(demo, cve):
    errores = demo[cve][demo[cve]["severidad"] == "error"]
    assert PLANTADOS_DEMO[cve] <= set(errores["regla"]), errores[["regla", "mensaje"]].to_string()
    assert set(errores["regla"]) <= PLANTADOS_DEMO[cve] | {"A4-ANTERIOR-DIFIERE"}


def test_demo_planted_details(demo):
    sub = _una(demo["05"], "A2-SUBTOTAL", "subtotal Federal")
    assert sub["diferencia"] == 1_250_000.00
    rmm = _una(demo["14"], "A4-CUMPLIMIENTO-SENTIDO", "Mortalidad Materna")
    assert rmm["valor_reportado"] == 100.0 and rmm["valor_calculado"] == pytest.approx(83.33, abs=0.01)
    tope = _una(demo["14"], "A4-CUMPLIMIENTO-TOPE", "Persona")
    assert tope["valor_calculado"] == 104.0
    assert "Médicos" in _una(demo["14"], "A4-ANTERIOR-COPIA", "Médicos")["ubicacion"]
    assert _una(demo["30"], "ASM-AVANCE", "EED FASSA 2024")["valor_reportado"] == 120.0


#: A capture-workbook column (or tolerance) named raw, outside «» quotes: ``avance_meta_anterior_reportado``. A file
#: name (``fassa_zacatecas_2024.xlsx``) is not one.
_NOMBRE_CRUDO = re.compile(r"(?<![\w/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w.-])")


def _nombres_crudos(texto: str) -> list[str]:
    return _NOMBRE_CRUDO.findall(re.sub(r"«[^»]*»", "", str(texto)))


def _todos_los_plantados() -> pd.DataFrame:
    hallados = []
    for _, plantar, tolerancias in PLANTADOS:
        tablas = copy.deepcopy(_base())
        plantar(tablas)
        hallados.append(_auditar(tablas, tolerancias))
    return pd.concat(hallados, ignore_index=True)


def test_messages_name_columns_quoted_and_read_naturally(ags, demo):
    """Every message (its place included) names a column of the capture workbook as a column, «quoted»,
    never as a broken word (``sin fecha_termino ni avance``), in the shipped report, the demo states with
    the most findings and one planted case per rule; the rules' descriptions and fixes too."""
    from asm_analysis.publicacion.presentacion import correcciones

    hallazgos = pd.concat([ags, *(demo[cve] for cve in ("04", "05", "14", "30")), _todos_los_plantados()])
    assert len(set(hallazgos["regla"])) >= 36  # all but the SRFT Indicadores and some congruence rules
    crudos = {m: n for m in hallazgos["mensaje"] if (n := _nombres_crudos(m))}
    assert crudos == {}
    textos = [d for _, _, d in REGLAS.values()] + list(correcciones().values())
    assert [t for t in textos if _nombres_crudos(t)] == []
    # the facts stay, in the tables' number format and natural Spanish
    vencidos = pd.concat([demo[cve] for cve in ("05", "30")]).query("regla == 'ASM-VENCIDO'")["mensaje"]
    assert vencidos.str.contains(r"con un avance promedio de \d+\.\d\d %; al corte del \d\d/\d\d/\d{4} llevaba "
                                 r"\d{1,3}(?:,\d{3})* días? vencido\.$").all()
    assert any(re.search(r"llevaba \d,\d{3} días vencido", m) for cve in ("05", "30")
               for m in demo[cve].loc[demo[cve]["regla"] == "ASM-VENCIDO", "mensaje"])
    incompleto = ags[ags["regla"] == "ASM-INCOMPLETO"].iloc[0]["mensaje"]
    assert "las columnas «fecha_termino» y «avance» están vacías, así que no se puede juzgar" in incompleto
    assert "columnas «meta_anterior» y «avance_anterior»:" in _una(ags, "A4-ANTERIOR-COPIA", "fila 2")["mensaje"]
    ejecucion = _todos_los_plantados().query("regla == 'A1-EJECUCION'").iloc[0]["mensaje"]
    assert "por debajo del umbral de ejecución baja («ejecucion_baja») de 99.00 %" in ejecucion


@pytest.mark.lenta  # audits the 32 demo states
def test_demo_clean_states_have_no_errors(demo):
    con_errores = {cve: sorted(set(h[h["severidad"] == "error"]["regla"]))
                   for cve, h in demo.todos().items() if cve not in PLANTADOS_DEMO and (h["severidad"] == "error").any()}
    assert con_errores == {}


# --------------------------------------------------------------------------- property test

MOMENTOS = ["aprobado", "modificado", "devengado", "pagado", "disponible"]
_centavos = st.integers(min_value=0, max_value=10**11)  # up to a billion pesos, in cents


@st.composite
def _concepto(draw, concepto: str) -> dict:
    mod = draw(_centavos)
    dev = draw(st.integers(min_value=0, max_value=mod))
    pag = draw(st.integers(min_value=0, max_value=dev))
    apr = draw(_centavos)
    return dict(capitulo=catalogos.capitulo_de(concepto), concepto=concepto, descripcion="x",
                aprobado=apr / 100, modificado=mod / 100, devengado=dev / 100, pagado=pag / 100,
                disponible=(mod - dev) / 100)


@st.composite
def destino_consistente(draw) -> list[dict]:
    claves = draw(st.lists(st.sampled_from(list(catalogos.conceptos()["concepto"])), min_size=1, max_size=12,
                           unique=True))
    conceptos = sorted((draw(_concepto(c)) for c in claves), key=lambda f: f["concepto"])
    filas = []
    for cap in sorted({c["capitulo"] for c in conceptos}):
        grupo = [c for c in conceptos if c["capitulo"] == cap]
        filas += grupo
        filas.append(dict(capitulo=cap, concepto=None, descripcion=f"Subtotal capítulo {cap}",
                          **{m: round(sum(c[m] for c in grupo), 2) for m in MOMENTOS}))
    filas.append(dict(capitulo="TOTAL", concepto=None, descripcion="Gran total",
                      **{m: round(sum(c[m] for c in conceptos), 2) for m in MOMENTOS}))
    for i, f in enumerate(filas, start=2):
        f["fila"] = i
    return filas


@st.composite
def concurrencia_consistente(draw) -> list[dict]:
    fuentes = []
    for orden in ("Federal", "Estatal", "Ingresos propios", "Otros"):
        for j in range(draw(st.integers(min_value=0, max_value=3))):
            fuentes.append(dict(orden_gobierno=orden, fuente=f"{orden} {j}", monto=draw(st.integers(1, 10**11)) / 100))
    if not fuentes:
        fuentes.append(dict(orden_gobierno="Federal", fuente="FASSA", monto=1000.0))
    total = sum(f["monto"] for f in fuentes)
    filas = []
    for orden in ("Federal", "Estatal", "Ingresos propios", "Otros"):
        grupo = [f for f in fuentes if f["orden_gobierno"] == orden]
        if not grupo:
            continue
        for f in grupo:
            filas.append({**f, "porcentaje": round(f["monto"] / total * 100, 2)})
        sub = round(sum(f["monto"] for f in grupo), 2)
        filas.append(dict(orden_gobierno=orden, fuente=None, monto=sub, porcentaje=round(sub / total * 100, 2)))
    filas.append(dict(orden_gobierno="TOTAL", fuente=None, monto=round(total, 2), porcentaje=100.0))
    for i, f in enumerate(filas, start=2):
        f.update(fila=i, fundamento_legal=None, comentarios=None)
    return filas


_ajuste = st.tuples(st.sampled_from([-1, 1]), st.floats(min_value=1.01, max_value=1e9, allow_nan=False))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(destino=destino_consistente(), concurrencia=concurrencia_consistente(), eleccion=st.data(),
       ajuste=_ajuste)
def test_property_consistent_tables_have_no_error_and_altered_subtotal_always_does(
        destino, concurrencia, eleccion, ajuste):
    tablas = {"destino": pd.DataFrame(destino), "concurrencia": pd.DataFrame(concurrencia)}
    h = auditar_tablas(CICLO, fecha_corte=CORTE, **tablas)
    assert not (h["severidad"] == "error").any(), h[["regla", "mensaje"]].to_string()

    signo, delta = ajuste
    # one chapter subtotal, one moment, altered by more than the 1-peso tolerance
    subtotales = [f for f in destino if f["concepto"] is None and f["capitulo"] != "TOTAL"]
    fila = eleccion.draw(st.sampled_from(subtotales))
    momento = eleccion.draw(st.sampled_from(MOMENTOS))
    alterado = copy.deepcopy(destino)
    objetivo = next(f for f in alterado if f["fila"] == fila["fila"])
    objetivo[momento] = round(objetivo[momento] + signo * delta, 2)
    h = auditar_tablas(CICLO, fecha_corte=CORTE, destino=pd.DataFrame(alterado))
    sel = h[(h["regla"] == "A1-SUBTOTAL")
            & (h["ubicacion"] == f"hoja destino, fila {fila['fila']}, capítulo {fila['capitulo']}, columna «{momento}»")]
    assert len(sel) == 1 and sel.iloc[0]["severidad"] == "error"

    # one order subtotal of Anexo 2, same thing
    subtotales = [f for f in concurrencia if f["fuente"] is None and f["orden_gobierno"] != "TOTAL"]
    fila = eleccion.draw(st.sampled_from(subtotales))
    alterado = copy.deepcopy(concurrencia)
    objetivo = next(f for f in alterado if f["fila"] == fila["fila"])
    objetivo["monto"] = round(objetivo["monto"] + signo * delta, 2)
    h = auditar_tablas(CICLO, fecha_corte=CORTE, concurrencia=pd.DataFrame(alterado))
    assert (h["regla"] == "A2-SUBTOTAL").sum() == 1
    assert not math.isnan(h[h["regla"] == "A2-SUBTOTAL"].iloc[0]["diferencia"])


def test_srft_programa_and_corte_messages():
    """The two SRFT findings name the row, the amounts and the cut of each concept."""
    tablas = copy.deepcopy(_base())
    _a1_srft_programa(tablas)
    _a1_srft_corte(tablas)
    h = _auditar(tablas).set_index("regla")
    prog = h.loc["A1-SRFT-PROGRAMA"]
    assert (prog["valor_reportado"], prog["valor_calculado"], prog["diferencia"]) == (185.0, 183.0, 2.0)
    assert "línea 7" in prog["ubicacion"] and "columna «devengado»" in prog["ubicacion"]
    assert "$185.00" in prog["mensaje"] and "$183.00" in prog["mensaje"]
    corte = h.loc["A1-SRFT-CORTE"]
    assert corte["severidad"] == "advertencia"
    assert "el trimestre 5 solo reporta 1 de 2 partidas; 1 se tomaron del trimestre 4" in corte["mensaje"]
    assert "$30.00 de modificado" in corte["mensaje"]  # partida 211 (concept 2100) of _srft_ok
    assert "trimestre 5: 1100; trimestre 4: 2100" in corte["mensaje"]
