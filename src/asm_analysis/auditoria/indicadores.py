"""Anexo 4 rules (indicadores): compliance by direction, goals, semáforo and prior-year values."""

from __future__ import annotations

import math
from typing import Iterator

import pandas as pd

from asm_analysis.anexos import indicadores as ind_mod
from asm_analysis.auditoria.insumos import Entradas, _excede, _lugar, _num, _num_o_nan, _pct
from asm_analysis.auditoria.motor import Hallazgo, _en_puntos, _hallazgo, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante


def _cumplimiento(meta: object, avance: object, sentido: object) -> float:
    """Compliance by direction; NaN when it cannot be computed (meta missing or zero)."""
    meta, avance = _num_o_nan(meta), _num_o_nan(avance)
    if math.isnan(meta) or meta == 0 or math.isnan(avance):
        return math.nan
    valor, _ = ind_mod.cumplimiento(meta, avance, sentido if isinstance(sentido, str) else None)
    return valor


def _opuesto(meta: float, avance: float, sentido: str) -> float:
    contrario = {"Ascendente": "Descendente", "Descendente": "Ascendente"}.get(sentido)
    return _cumplimiento(meta, avance, contrario) if contrario else math.nan


def _nombre_indicador(r: pd.Series) -> str:
    return f"indicador «{r.get('indicador') if not es_faltante(r.get('indicador')) else 'sin nombre'}»"


def _clasificar_cumplimiento(reportado: float, calculado: float, meta: float, avance: float,
                             sentido: str, tol: float) -> str | None:
    """Which compliance rule a reported value breaks, or None when it agrees."""
    if not _excede(reportado, calculado, tol):
        return None
    opuesto = _opuesto(meta, avance, sentido)
    if not math.isnan(opuesto) and not _excede(reportado, opuesto, tol):
        return "A4-CUMPLIMIENTO-SENTIDO"
    if sentido == "Descendente" and calculado < 100 - tol and reportado >= 100 - tol:
        return "A4-CUMPLIMIENTO-SENTIDO"
    if calculado > 100 + tol and not _excede(reportado, 100.0, tol):
        return "A4-CUMPLIMIENTO-TOPE"
    return "A4-CUMPLIMIENTO"


_TEXTO_CUMPLIMIENTO = {
    "A4-CUMPLIMIENTO": "no coincide con el calculado",
    "A4-CUMPLIMIENTO-SENTIDO": "no corresponde al sentido del indicador",
    "A4-CUMPLIMIENTO-TOPE": "está topado en 100 % aunque la meta se superó",
}


@regla("A4-CUMPLIMIENTO", "error", "Anexo 4",
       "El avance con respecto a la meta reportado es igual al calculado según el sentido (ascendente avance/meta, "
       "descendente meta/avance).")
@regla("A4-CUMPLIMIENTO-SENTIDO", "error", "Anexo 4",
       "Cumplimiento reportado con el sentido equivocado: un indicador descendente mostrado como meta cumplida (100 "
       "% o más) cuando no la alcanzó, o un cociente calculado al revés.")
@regla("A4-CUMPLIMIENTO-TOPE", "error", "Anexo 4", "Cumplimiento topado en 100 % cuando la meta se superó.")
def regla_a4_cumplimiento(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Reported compliance (this year and prior year) against the value computed by direction.

    Classified as ``A4-CUMPLIMIENTO-SENTIDO`` (a descending indicator shown as met, or the
    opposite quotient), ``A4-CUMPLIMIENTO-TOPE`` (capped at 100 % when exceeded) or
    ``A4-CUMPLIMIENTO`` (any other difference).
    """
    columnas = [("meta", "avance", "avance_meta_reportado", "del ejercicio evaluado", "cumplimiento"),
                ("meta_anterior", "avance_anterior", "avance_meta_anterior_reportado", "del ejercicio anterior",
                 "cumplimiento_anterior")]
    for _, r in e.indicadores.iterrows():
        sentido = r.get("sentido")
        for c_meta, c_avance, c_rep, cuando, c_anexo in columnas:
            rep = _num_o_nan(r.get(c_rep))
            meta, avance = _num_o_nan(r.get(c_meta)), _num_o_nan(r.get(c_avance))
            calc = _cumplimiento(meta, avance, sentido)
            if math.isnan(rep) or math.isnan(calc):
                continue
            id_regla = _clasificar_cumplimiento(rep, calc, meta, avance, sentido, tol.cumplimiento)
            if id_regla is None:
                continue
            formula = "avance / meta" if sentido == "Ascendente" else "meta / avance"
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                           f"columna {c_rep}")
            yield _en_puntos(
                id_regla, lugar,
                f"el avance con respecto a la meta {cuando} reportado ({_pct(rep)}) {_TEXTO_CUMPLIMIENTO[id_regla]}: "
                f"indicador {str(sentido).lower()}, {formula} con meta {_num(meta)} y avance {_num(avance)} da "
                f"{_pct(calc)}", rep, calc, r.get("fila"), celdas=(("anexo4", "fila", r.get("fila"), c_anexo),))


@regla("A4-META", "advertencia", "Anexo 4", "Indicador sin meta o con meta cero: no se puede calcular el cumplimiento.")
def regla_a4_meta(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators with no goal or a zero goal: compliance cannot be computed."""
    for _, r in e.indicadores.iterrows():
        meta = _num_o_nan(r.get("meta"))
        if math.isnan(meta) or meta == 0:
            que = "no tiene meta" if math.isnan(meta) else "tiene meta cero"
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), "columna meta")
            yield _hallazgo(
                "A4-META", lugar, f"el indicador {que}: no se puede calcular su cumplimiento.",
                meta, math.nan, math.nan, r.get("fila"))


def _semaforo(r: pd.Series) -> tuple[float, str | None]:
    calc = _cumplimiento(r.get("meta"), r.get("avance"), r.get("sentido"))
    umbrales = [_num_o_nan(r.get(c)) for c in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento")]
    return calc, ind_mod.semaforo(calc, *[None if math.isnan(u) else u for u in umbrales])


@regla("A4-JUSTIFICACION", "advertencia", "Anexo 4",
       "Cumplimiento fuera de la banda verde del semáforo sin justificación.")
def regla_a4_justificacion(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Compliance outside the green band (red, yellow or over-achievement) with no justification."""
    for _, r in e.indicadores.iterrows():
        calc, color = _semaforo(r)
        if color in (None, "Verde") or not es_faltante(r.get("justificacion")):
            continue
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                       "columna justificacion")
        yield _hallazgo(
            "A4-JUSTIFICACION", lugar,
            f"el cumplimiento de {_pct(calc)} queda en {color.lower()} en el semáforo y no se justifica la "
            "desviación respecto de la meta.", math.nan, round(calc, 2), math.nan, r.get("fila"))


def _indicadores_en_banda(e: Entradas, banda: str, id_regla: str, columna: str,
                          conclusion: str) -> Iterator[Hallazgo]:
    """One finding per indicator whose computed compliance falls in ``banda`` of the semáforo."""
    for _, r in e.indicadores.iterrows():
        calc, color = _semaforo(r)
        if color != banda:
            continue
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), columna)
        yield _hallazgo(
            id_regla, lugar,
            f"el cumplimiento de {_pct(calc)} (meta {_num(_num_o_nan(r.get('meta')))}, avance "
            f"{_num(_num_o_nan(r.get('avance')))}) {conclusion}",
            math.nan, round(calc, 2), math.nan, r.get("fila"))


@regla("A4-ROJO", "advertencia", "Anexo 4", "Indicador en rojo en el semáforo de cumplimiento.")
def regla_a4_rojo(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators in red: the goal was missed by a wide margin."""
    return _indicadores_en_banda(e, "Rojo", "A4-ROJO", "columna avance", "está en rojo en el semáforo.")


@regla("A4-SOBRECUMPLIMIENTO", "info", "Anexo 4",
       "Meta superada con holgura (sobrecumplimiento en el semáforo): conviene revisar cómo se programó la meta.")
def regla_a4_sobrecumplimiento(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators above the green band: the goal may have been set too low."""
    return _indicadores_en_banda(e, "Sobrecumplimiento", "A4-SOBRECUMPLIMIENTO", "columna meta",
                                 "supera la banda verde; conviene revisar la programación de la meta.")


def _igual(a: float, b: float) -> bool:
    return not math.isnan(a) and not math.isnan(b) and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@regla("A4-ANTERIOR-COPIA", "error", "Anexo 4",
       "Meta y avance del ejercicio anterior idénticos a los del ejercicio evaluado (probable copia). Un par con "
       "meta igual al avance (100 y 100) solo se señala si otro indicador de la tabla también está copiado.")
def regla_a4_anterior_copia(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Prior-year meta and avance identical to this year's: a likely copy of the current columns.

    A pair with meta equal to avance (e.g. 100 and 100) can repeat by chance, so it is only
    flagged when another indicator of the same table is also copied.
    """
    copias = []
    for _, r in e.indicadores.iterrows():
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        meta_a, avance_a = _num_o_nan(r.get("meta_anterior")), _num_o_nan(r.get("avance_anterior"))
        if _igual(meta, meta_a) and _igual(avance, avance_a):
            copias.append((r, _igual(meta, avance)))
    if not any(not degenerada for _, degenerada in copias):
        return
    for r, _ in copias:
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                       "columnas meta_anterior y avance_anterior")
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        yield _hallazgo(
            "A4-ANTERIOR-COPIA", lugar,
            f"la meta ({_num(meta)}) y el avance ({_num(avance)}) del ejercicio anterior son idénticos a los "
            f"del ejercicio {e.ciclo}; probablemente se copiaron las columnas del año evaluado.",
            _num_o_nan(r.get("avance_anterior")), avance, 0.0, r.get("fila"),
            tuple(("anexo4", "fila", r.get("fila"), c) for c in ("meta_anterior", "avance_anterior",
                                                                  "cumplimiento_anterior", "variacion_cumplimiento")))


@regla("A4-ANTERIOR-DIFIERE", "error", "Anexo 4",
       "Meta o avance del ejercicio anterior distintos de los datos propios del ciclo anterior.")
def regla_a4_anterior_difiere(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Prior-year values on the row against the previous ciclo's own data (same MIR and indicator)."""
    if e.indicadores.empty or e.indicadores_previos is None or e.indicadores_previos.empty:
        return
    prev = e.indicadores_previos.assign(_k=e.indicadores_previos["indicador"].map(normalizar))
    prev = prev.drop_duplicates(["mir", "_k"]).set_index(["mir", "_k"])
    for _, r in e.indicadores.iterrows():
        clave = (r.get("mir"), normalizar(r.get("indicador")))
        if clave not in prev.index:
            continue
        for col, col_prev in (("meta_anterior", "meta"), ("avance_anterior", "avance")):
            rep, calc = _num_o_nan(r.get(col)), _num_o_nan(prev.at[clave, col_prev])
            if math.isnan(rep) or math.isnan(calc) or not _excede(rep, calc, tol.valor_indicador):
                continue
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), f"columna {col}")
            yield _hallazgo(
                "A4-ANTERIOR-DIFIERE", lugar,
                f"el valor reportado para {e.ciclo - 1} es {_num(rep)}, pero los datos del ciclo {e.ciclo - 1} "
                f"registran {col_prev} {_num(calc)}; diferencia {_num(round(rep - calc, 4))}.",
                rep, calc, round(rep - calc, 4), r.get("fila"), (("anexo4", "fila", r.get("fila"), col),))
