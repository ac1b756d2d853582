"""Anexo 4 — Resultados de los indicadores de la MIR: compliance by direction and semáforo.

Cumplimiento tells the evaluator how close the result came to the goal, taking the
indicator's direction into account: for an ascending indicator (more is better) it is
``avance / meta``; for a descending one (a mortality ratio) it is ``meta / avance``; in
percent. A missing or zero goal gives no value and a note, never a division error.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from asm_analysis.comun.texto import normalizar

COLUMNAS = [
    "mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido", "meta", "avance",
    "cumplimiento", "semaforo", "meta_anterior", "avance_anterior", "cumplimiento_anterior",
    "semaforo_anterior", "variacion_cumplimiento", "origen_anterior", "medios_verificacion",
    "justificacion", "nota",
]
ORDEN_NIVEL = {"Fin": 0, "Propósito": 1, "Componente": 2, "Actividad": 3}
ORDEN_MIR = {"Federal": 0, "Estatal": 1}


@lru_cache(maxsize=1)
def bandas_por_omision() -> pd.DataFrame:
    """Default semáforo bands shipped as data (``data/semaforo.csv``), in percent of compliance."""
    with (resources.files("asm_analysis") / "data" / "semaforo.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f)


def cumplimiento(meta: float | None, avance: float | None, sentido: str | None) -> tuple[float, str | None]:
    """Compliance in percent and, when it cannot be computed, the reason (Spanish)."""
    if meta is None or (isinstance(meta, float) and math.isnan(meta)):
        return math.nan, "sin meta: no se calcula el cumplimiento"
    if avance is None or (isinstance(avance, float) and math.isnan(avance)):
        return math.nan, "sin avance reportado"
    if sentido not in ("Ascendente", "Descendente"):
        return math.nan, "sin sentido del indicador (Ascendente o Descendente)"
    if meta == 0:
        return math.nan, "meta igual a cero: no se calcula el cumplimiento"
    if sentido == "Ascendente":
        return avance / meta * 100, None
    if avance == 0:
        return math.nan, "avance cero en un indicador descendente: no se calcula el cumplimiento"
    return meta / avance * 100, None


def semaforo(valor: float, verde: float | None = None, amarillo: float | None = None,
             sobre: float | None = None) -> str | None:
    """Colour band of a compliance value; per-indicator thresholds override the defaults."""
    if valor is None or (isinstance(valor, float) and math.isnan(valor)):
        return None
    bandas = bandas_por_omision().set_index("semaforo")
    verde = verde if verde is not None and not pd.isna(verde) else bandas.loc["Verde", "desde"]
    amarillo = amarillo if amarillo is not None and not pd.isna(amarillo) else bandas.loc["Amarillo", "desde"]
    sobre = sobre if sobre is not None and not pd.isna(sobre) else bandas.loc["Sobrecumplimiento", "desde"]
    if valor > sobre:
        return "Sobrecumplimiento"
    if valor >= verde:
        return "Verde"
    if valor >= amarillo:
        return "Amarillo"
    return "Rojo"


def _clave(indicador: object) -> str:
    return normalizar(indicador)


def anexo4(indicadores: pd.DataFrame, previos: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Anexo 4 table: each indicator with this year's and last year's compliance.

    Prior-year meta and avance are the ones reported on the row; when not reported they
    are taken from the previous ciclo's own data (matched by MIR and indicator name), and
    ``origen_anterior`` says which.
    """
    if indicadores.empty:
        return pd.DataFrame(columns=COLUMNAS)
    t = indicadores.copy()
    for col in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento"):
        if col not in t:
            t[col] = np.nan
    t["origen_anterior"] = np.where(t["meta_anterior"].notna() | t["avance_anterior"].notna(), "reportado", None)
    if previos is not None and not previos.empty:
        prev = previos.assign(_k=previos["indicador"].map(_clave))
        prev = prev.drop_duplicates(["mir", "_k"]).set_index(["mir", "_k"])
        claves = list(zip(t["mir"], t["indicador"].map(_clave)))
        for i, k in zip(t.index, claves):
            if pd.isna(t.at[i, "meta_anterior"]) and pd.isna(t.at[i, "avance_anterior"]) and k in prev.index:
                t.at[i, "meta_anterior"] = prev.at[k, "meta"]
                t.at[i, "avance_anterior"] = prev.at[k, "avance"]
                t.at[i, "origen_anterior"] = "ciclo anterior"
    filas = []
    for _, f in t.iterrows():
        actual, nota = cumplimiento(f["meta"], f["avance"], f["sentido"])
        previo, _ = cumplimiento(f["meta_anterior"], f["avance_anterior"], f["sentido"])
        umbrales = (f["umbral_verde"], f["umbral_amarillo"], f["umbral_sobrecumplimiento"])
        filas.append({
            **{c: f.get(c) for c in ("mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido",
                                     "meta", "avance", "meta_anterior", "avance_anterior", "origen_anterior",
                                     "medios_verificacion", "justificacion")},
            "cumplimiento": round(actual, 2) if not math.isnan(actual) else math.nan,
            "semaforo": semaforo(actual, *umbrales),
            "cumplimiento_anterior": round(previo, 2) if not math.isnan(previo) else math.nan,
            "semaforo_anterior": semaforo(previo, *umbrales),
            "nota": nota,
        })
    tabla = pd.DataFrame(filas)
    tabla["variacion_cumplimiento"] = (tabla["cumplimiento"] - tabla["cumplimiento_anterior"]).round(2)
    return tabla.iloc[posiciones(tabla)].reset_index(drop=True)[COLUMNAS]


def posiciones(indicadores: pd.DataFrame) -> list[int]:
    """Positions of the rows of ``indicadores`` in the order :func:`anexo4` prints them (Federal MIR
    first, then Estatal; Fin, Propósito, Componente, Actividad; as given within a level): row ``i``
    of Anexo 4 is row ``posiciones(indicadores)[i]`` of the input."""
    orden = (indicadores["mir"].map(ORDEN_MIR).fillna(9) * 10 + indicadores["nivel"].map(ORDEN_NIVEL).fillna(9))
    return [int(i) for i in orden.reset_index(drop=True).sort_values(kind="stable").index]


def conteo_semaforo(anexo: pd.DataFrame) -> dict[str, int]:
    """How many indicators fall in each band (and how many could not be assessed)."""
    conteo = anexo["semaforo"].fillna("Sin valor").value_counts().to_dict()
    return {b: int(conteo.get(b, 0)) for b in ("Verde", "Amarillo", "Rojo", "Sobrecumplimiento", "Sin valor")}
