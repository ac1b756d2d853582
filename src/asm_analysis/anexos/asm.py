"""Aspectos susceptibles de mejora: follow-up, Anexo 3 (not attended, recurrence), Anexo 7.

An ASM is an improvement the agency committed to after an evaluation; each has one or more
actions with dates and % progress. For an evaluator the questions are: which ASM are done
(atendido = 100 %), which are late (vencido: end date before the cut date and progress
below 100), by how many days, and which keep coming back evaluation after evaluation
(reincidente: the same aspect, matched on normalised text with a fuzzy score, in
evaluations of different years).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from asm_analysis.comun.texto import normalizar

UMBRAL_REINCIDENCIA = 85.0
ESTATUS = ("Atendido", "En proceso", "Vencido", "Sin avance reportado")
COLUMNAS_SEGUIMIENTO = [
    "evaluacion_origen", "ciclo_origen", "numero", "aspecto", "tipo", "prioridad", "area_responsable",
    "accion", "fecha_inicio", "fecha_termino", "avance", "avance_promedio_asm", "estatus", "dias_vencido",
    "documento_probatorio", "observaciones",
]


def _anio(texto: object, omision: int) -> int:
    anios = re.findall(r"\b(?:19|20)\d{2}\b", str(texto or ""))
    return int(anios[-1]) if anios else int(omision)


def preparar(asm: pd.DataFrame, ciclo: int) -> pd.DataFrame:
    """Action rows with ``ciclo_origen`` (year in ``evaluacion_origen``, else the row's ciclo)
    and ``id_asm`` grouping the actions of one aspect of one evaluation."""
    if asm.empty:
        return pd.DataFrame(columns=[*COLUMNAS_SEGUIMIENTO, "id_asm", "estatus_reportado", "pregunta", "inciso"])
    t = asm.copy()
    if "ciclo" not in t:
        t["ciclo"] = ciclo
    t["ciclo_origen"] = [_anio(e, c) for e, c in zip(t["evaluacion_origen"], t["ciclo"])]
    t["evaluacion_origen"] = t["evaluacion_origen"].fillna(t["ciclo_origen"].map(lambda a: f"Evaluación {a}"))
    t["numero"] = t["numero"].fillna("s/n").astype(str)
    t["id_asm"] = t["evaluacion_origen"].astype(str) + " #" + t["numero"]
    for col in ("pregunta", "inciso", "estatus_reportado"):
        if col not in t:
            t[col] = None
    for col in ("fecha_inicio", "fecha_termino"):
        t[col] = pd.to_datetime(t[col], errors="coerce").dt.date
    t["avance"] = pd.to_numeric(t["avance"], errors="coerce")
    return t


def estatus(promedio: float, fecha_termino: dt.date | None, corte: dt.date) -> tuple[str, float]:
    """Status of one ASM at the cut date and days overdue (NaN unless vencido)."""
    if pd.isna(promedio):
        return "Sin avance reportado", np.nan
    if promedio >= 100:
        return "Atendido", np.nan
    if fecha_termino is not None and pd.notna(fecha_termino) and fecha_termino < corte:
        return "Vencido", float((corte - fecha_termino).days)
    return "En proceso", np.nan


#: Columns of an ASM taken from the first of its actions that fills them (a value typed once per ASM).
_PRIMER_DATO = ("aspecto", "tipo", "prioridad", "area_responsable", "pregunta", "inciso", "estatus_reportado",
                "observaciones")


def _primer_dato(columna: pd.Series, codigos: np.ndarray, grupos: int) -> list | None:
    """Per ASM (``codigos`` numbers its actions' rows), the first non-missing text of ``columna``, None
    when all its actions leave it blank; None (not computed) when the column holds anything but text."""
    valores = columna.tolist()
    lleno = columna.notna().to_numpy() & (codigos >= 0)
    if not all(isinstance(v, str) for v, si in zip(valores, lleno) if si):
        return None
    salida: list = [None] * grupos
    for codigo, valor, si in zip(codigos.tolist(), valores, lleno.tolist()):
        if si and salida[codigo] is None:
            salida[codigo] = valor
    return salida


def _ultima_fecha(columna: pd.Series, codigos: np.ndarray, grupos: int) -> list | None:
    """Per ASM, the latest end date of its actions (None without any); None (not computed) when the
    column holds anything but dates."""
    valores = columna.tolist()
    lleno = columna.notna().to_numpy() & (codigos >= 0)
    if not all(type(v) is dt.date for v, si in zip(valores, lleno) if si):
        return None
    salida: list = [None] * grupos
    for codigo, valor, si in zip(codigos.tolist(), valores, lleno.tolist()):
        if si and (salida[codigo] is None or valor > salida[codigo]):
            salida[codigo] = valor
    return salida


def por_asm(acciones: pd.DataFrame, corte: dt.date) -> pd.DataFrame:
    """One row per ASM: its average progress over actions, last end date, status at the cut.

    The texts of an ASM (aspecto, tipo, prioridad…) are those of the first action that gives
    them; ``fecha_termino`` is the latest end date of its actions.
    """
    cols = ["id_asm", "evaluacion_origen", "ciclo_origen", "numero", "aspecto", "tipo", "prioridad",
            "area_responsable", "pregunta", "inciso", "estatus_reportado", "observaciones",
            "fecha_termino", "avance_promedio_asm", "acciones", "estatus", "dias_vencido"]
    if acciones.empty:
        return pd.DataFrame(columns=cols)
    g = acciones.groupby("id_asm", sort=False)
    primeros = g[["evaluacion_origen", "ciclo_origen", "numero"]].first()
    columnas: dict[str, object] = {"id_asm": primeros.index.to_numpy()}
    columnas.update({c: primeros[c].to_numpy() for c in primeros.columns})
    # ASM in order of first appearance, as the groupby above (sort=False) lists them
    codigos, _ = pd.factorize(acciones["id_asm"], sort=False)
    lentas = {}
    for col in _PRIMER_DATO:
        valores = _primer_dato(acciones[col], codigos, len(primeros))
        if valores is None:  # not only text: pandas decides the column's type, as it always did
            lentas[col] = (col, _primero)
        else:
            columnas[col] = pd.Series(valores, dtype=object).to_numpy()
    fechas = _ultima_fecha(acciones["fecha_termino"], codigos, len(primeros))
    if fechas is None:
        lentas["fecha_termino"] = ("fecha_termino", _ultimo)
    else:
        columnas["fecha_termino"] = pd.Series(fechas, dtype=object).to_numpy()
    if lentas:
        otras = g.agg(**lentas)
        columnas.update({c: otras[c].to_numpy() for c in otras.columns})
    columnas["avance_promedio_asm"] = g["avance"].mean().round(2).to_numpy()
    columnas["acciones"] = g.size().to_numpy()
    calculado = [estatus(p, f, corte) for p, f in zip(columnas["avance_promedio_asm"], columnas["fecha_termino"])]
    columnas["estatus"] = [c[0] for c in calculado]
    columnas["dias_vencido"] = [c[1] for c in calculado]
    return pd.DataFrame({c: columnas[c] for c in cols})


def _primero(s: pd.Series) -> object:
    return next((v for v in s if pd.notna(v)), None)


def _ultimo(s: pd.Series) -> object:
    return max((v for v in s if pd.notna(v)), default=None)


def seguimiento(acciones: pd.DataFrame, corte: dt.date, resumen: pd.DataFrame | None = None) -> pd.DataFrame:
    """The follow-up table (seeds 000/001 style): every action with its ASM's average and status.

    ``resumen`` is :func:`por_asm` of the same actions and cut date, when the caller has it.
    """
    if acciones.empty:
        return pd.DataFrame(columns=COLUMNAS_SEGUIMIENTO)
    resumen = (por_asm(acciones, corte) if resumen is None else resumen).set_index("id_asm")
    t = acciones.copy()
    for col in ("avance_promedio_asm", "estatus", "dias_vencido"):
        t[col] = t["id_asm"].map(resumen[col])
    t = t.sort_values(["ciclo_origen", "evaluacion_origen", "numero"], kind="stable")
    return t[COLUMNAS_SEGUIMIENTO].reset_index(drop=True)


def similitud(a: object, b: object) -> float:
    """How alike two texts are (0–100), normalised (case, accents, punctuation) and compared with
    rapidfuzz's ``token_sort_ratio``: the measure behind recurrence and the period checks."""
    return similitud_normalizada(normalizar(a), normalizar(b))


def similitud_normalizada(x: str, y: str) -> float:
    """:func:`similitud` of two texts already normalised (:func:`~asm_analysis.comun.texto.normalizar`),
    for a text compared with many: normalise each once."""
    return float(fuzz.token_sort_ratio(x, y)) if x and y else 0.0


def reincidencias(resumen: pd.DataFrame, umbral: float = UMBRAL_REINCIDENCIA) -> pd.Series:
    """For each ASM, the other evaluations (of a different year) where the same aspect appears.

    Texts are normalised (case, accents, punctuation) and compared with rapidfuzz's
    ``token_sort_ratio``; a score at or above ``umbral`` (0–100) counts as the same aspect.
    """
    textos = [normalizar(a) for a in resumen["aspecto"].fillna("")]
    anios = list(resumen["ciclo_origen"])
    evaluaciones = list(resumen["evaluacion_origen"])
    salida = []
    for i, texto in enumerate(textos):
        otras = sorted({evaluaciones[j] for j, otro in enumerate(textos)
                        if j != i and anios[j] != anios[i] and texto and otro
                        and fuzz.token_sort_ratio(texto, otro) >= umbral})
        salida.append("; ".join(otras))
    return pd.Series(salida, index=resumen.index)


def _no_atendido_reportado(valor: object) -> bool:
    return normalizar(valor).startswith("no atendid")


def anexo3(resumen: pd.DataFrame, ciclo: int) -> pd.DataFrame:
    """ASM from earlier evaluations still not attended (or listed as such), with recurrence."""
    cols = ["numero", "aspecto", "area_responsable", "motivo", "evaluacion_origen", "avance_promedio_asm",
            "estatus", "estatus_reportado", "reincidente", "evaluaciones_reincidencia"]
    if resumen.empty:
        return pd.DataFrame(columns=cols)
    t = resumen.copy()
    t["evaluaciones_reincidencia"] = reincidencias(t)
    t["reincidente"] = np.where(t["evaluaciones_reincidencia"] != "", "Sí", "No")
    previas = t["ciclo_origen"] < ciclo
    pendientes = (t["estatus"] != "Atendido") | t["estatus_reportado"].map(_no_atendido_reportado)
    t = t[previas & pendientes].rename(columns={"observaciones": "motivo"})
    return t[cols].reset_index(drop=True)


def anexo7(resumen: pd.DataFrame, ciclo: int) -> pd.DataFrame:
    """The ASM report (Anexo 7): the aspects derived from this ciclo's evaluation."""
    cols = ["numero", "aspecto", "pregunta", "inciso", "tipo", "prioridad", "area_responsable"]
    if resumen.empty:
        return pd.DataFrame(columns=cols)
    return resumen[resumen["ciclo_origen"] == ciclo][cols].reset_index(drop=True)


def conteos(resumen: pd.DataFrame) -> pd.DataFrame:
    """ASM counts by tipo and prioridad and status, with the average progress of each group."""
    cols = ["tipo", "prioridad", *ESTATUS, "total", "avance_promedio"]
    if resumen.empty:
        return pd.DataFrame(columns=cols)
    grupos = [resumen["tipo"].fillna("Sin tipo"), resumen["prioridad"].fillna("Sin prioridad")]
    # one column per status, 1 where the ASM has it: their sums by group are the counts of a crosstab
    tabla = pd.DataFrame({e: (resumen["estatus"] == e).astype("int64") for e in ESTATUS}).groupby(grupos).sum()
    tabla.columns.name = "estatus"
    tabla["total"] = tabla.sum(axis=1)
    tabla["avance_promedio"] = resumen["avance_promedio_asm"].groupby(grupos).mean().round(2)
    return tabla.reset_index()[cols]


def resumen_estatus(resumen: pd.DataFrame) -> dict[str, int]:
    """Headline counts: attended, in progress, overdue, without progress."""
    conteo = resumen["estatus"].value_counts().to_dict() if not resumen.empty else {}
    return {e: int(conteo.get(e, 0)) for e in ESTATUS}
