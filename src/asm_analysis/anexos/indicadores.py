"""Anexo 4 — Resultados de los indicadores de la MIR: compliance by direction and semáforo.

Cumplimiento tells the evaluator how close the result came to the goal, taking the
indicator's direction into account: for an ascending indicator (more is better) it is
``avance / meta``; for a descending one (a mortality ratio) it is ``meta / avance``; in
percent. A missing or zero goal gives no value and a note, never a division error.

The federal MIR may come from the SRFT *Indicadores* export (see :func:`anexo4`): its compliance
is computed on the modified goal, as the SRFT computes its ``Avance (%)``, and the programmed
goal, the one the published annex shows, is kept beside it.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from asm_analysis.anexos.filas import como_dicts
from asm_analysis.comun import formatos
from asm_analysis.comun.texto import normalizar

COLUMNAS = [
    "mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido", "meta", "meta_modificada", "avance",
    "avance_reportado", "cumplimiento", "cumplimiento_programada", "semaforo", "meta_anterior",
    "meta_modificada_anterior", "avance_anterior", "cumplimiento_anterior", "semaforo_anterior",
    "variacion_cumplimiento", "origen_anterior", "medios_verificacion", "justificacion", "clave_indicador",
    "trimestre", "nota",
]
ORDEN_NIVEL = {"Fin": 0, "Propósito": 1, "Componente": 2, "Actividad": 3}
ORDEN_MIR = {"Federal": 0, "Estatal": 1}


@lru_cache(maxsize=1)
def bandas_por_omision() -> pd.DataFrame:
    """Default semáforo bands shipped as data (``data/semaforo.csv``), in percent of compliance."""
    with (resources.files("asm_analysis") / "data" / "semaforo.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f)


@lru_cache(maxsize=1)
def _umbrales_por_omision() -> dict[str, float]:
    """Where each default band starts (``desde`` of :func:`bandas_por_omision`), read once."""
    bandas = bandas_por_omision().set_index("semaforo")
    return {b: bandas.loc[b, "desde"] for b in ("Verde", "Amarillo", "Sobrecumplimiento")}


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
    por_omision = _umbrales_por_omision()
    verde = verde if verde is not None and not pd.isna(verde) else por_omision["Verde"]
    amarillo = amarillo if amarillo is not None and not pd.isna(amarillo) else por_omision["Amarillo"]
    sobre = sobre if sobre is not None and not pd.isna(sobre) else por_omision["Sobrecumplimiento"]
    if valor > sobre:
        return "Sobrecumplimiento"
    if valor >= verde:
        return "Verde"
    if valor >= amarillo:
        return "Amarillo"
    return "Rojo"


def _clave(indicador: object) -> str:
    return normalizar(indicador)


def _vacio(valor: object) -> bool:
    return valor is None or (isinstance(valor, float) and math.isnan(valor)) or pd.isna(valor)


#: ``origen_anterior`` of prior-year values taken from last year's SRFT *Indicadores* export.
ORIGEN_SRFT_ANTERIOR = "SRFT, ciclo anterior"


def _desde_srft(srft: pd.DataFrame, srft_previos: pd.DataFrame | None, libro: pd.DataFrame) -> pd.DataFrame:
    """The SRFT export's federal rows in the annex's input shape.

    ``meta`` is the programmed goal (the column the published annex shows), ``meta_modificada``
    the modified one (on which the SRFT computes ``Avance (%)`` and this annex its compliance).
    Last year's values come from last year's export, matched by ``Clave del Indicador`` and,
    when the key changed, by the indicator's name. Verification means and semáforo thresholds,
    which the export does not carry, come from the workbook's row of the same indicator.
    """
    t = pd.DataFrame({
        "mir": "Federal", "nivel": srft["nivel"], "indicador": srft["indicador"],
        "frecuencia": srft["frecuencia"], "unidad_medida": srft["unidad_medida"], "sentido": srft["sentido"],
        "meta": srft["meta_programada"], "meta_modificada": srft["meta_modificada"], "avance": srft["realizado"],
        "avance_reportado": srft["avance_reportado"], "justificacion": srft["justificacion"],
        "clave_indicador": srft["clave_indicador"], "trimestre": srft["trimestre"],
        "meta_programada_nr": srft.get("meta_programada_nr", False), "flujo": srft.get("flujo"),
        "meta_anterior": np.nan, "meta_modificada_anterior": np.nan, "avance_anterior": np.nan,
        "medios_verificacion": None, "origen_anterior": None, "_srft": True,
    })
    if srft_previos is not None and not srft_previos.empty:
        por_clave = srft_previos.drop_duplicates("clave_indicador").set_index("clave_indicador")
        por_nombre = srft_previos.assign(_k=srft_previos["indicador"].map(_clave)).drop_duplicates("_k").set_index("_k")
        for i, f in zip(t.index, como_dicts(t)):
            previo = por_clave.loc[f["clave_indicador"]] if f["clave_indicador"] in por_clave.index else (
                por_nombre.loc[_clave(f["indicador"])] if _clave(f["indicador"]) in por_nombre.index else None)
            if previo is not None:
                t.at[i, "meta_anterior"] = previo["meta_programada"]
                t.at[i, "meta_modificada_anterior"] = previo["meta_modificada"]
                t.at[i, "avance_anterior"] = previo["realizado"]
                t.at[i, "origen_anterior"] = ORIGEN_SRFT_ANTERIOR
    if not libro.empty:
        federal = libro[libro["mir"] == "Federal"]
        por_nombre = federal.assign(_k=federal["indicador"].map(_clave)).drop_duplicates("_k").set_index("_k")
        for i, f in zip(t.index, como_dicts(t)):
            k = _clave(f["indicador"])
            if k in por_nombre.index:
                for col in ("medios_verificacion", "umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento"):
                    if col in por_nombre.columns:
                        t.at[i, col] = por_nombre.at[k, col]
    return t


def _nota_srft(f: dict, ultimo: int | None) -> list[str]:
    """What the evaluator must know about an SRFT row: which goal the compliance uses, its quarter, its flow."""
    notas = []
    nr = f.get("meta_programada_nr")
    if isinstance(nr, (bool, np.bool_)) and nr:
        notas.append("meta programada no registrada en el SRFT (N/R); el cumplimiento se calcula sobre la meta "
                     "modificada")
    if ultimo is not None and not _vacio(f.get("trimestre")) and int(f["trimestre"]) < ultimo:
        notas.append(f"último trimestre reportado en el SRFT: {int(f['trimestre'])}")
    if not _vacio(f.get("flujo")) and normalizar(f["flujo"]) != "validado":
        notas.append(f"flujo en el SRFT: {f['flujo']} (no validado)")
    return notas


def anexo4(indicadores: pd.DataFrame, previos: pd.DataFrame | None = None, srft: pd.DataFrame | None = None,
           srft_previos: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Anexo 4 table: each indicator with this year's and last year's compliance.

    Prior-year meta and avance are the ones reported on the row; when not reported they
    are taken from the previous ciclo's own data (matched by MIR and indicator name), and
    ``origen_anterior`` says which.

    ``srft`` (the fund's federal MIR from the SRFT *Indicadores* export,
    :func:`asm_analysis.entradas.srft_indicadores.a_indicadores`) takes precedence for the federal
    MIR: its rows replace the workbook's federal rows of the same indicator (the audit cross-checks
    both), the workbook keeps the state MIR. Its compliance is computed on the modified goal, as
    the SRFT computes ``Avance (%)``; where the programmed goal differs, ``cumplimiento_programada``
    gives the compliance on it and the note says so. ``srft_previos`` (last year's export) gives
    the prior-year columns of those rows.
    """
    libro = indicadores if indicadores is not None else pd.DataFrame()
    if srft is not None and not srft.empty:
        propios = _desde_srft(srft, srft_previos, libro)
        if not libro.empty:
            claves = set(propios["indicador"].map(_clave))
            reemplazadas = (libro["mir"] == "Federal") & libro["indicador"].map(_clave).isin(claves)
            libro = libro[~reemplazadas]
        t = pd.concat([propios, libro.assign(_srft=False)], ignore_index=True) if not libro.empty else propios
    elif libro.empty:
        return pd.DataFrame(columns=COLUMNAS)
    else:
        t = libro.copy().assign(_srft=False)
    for col in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento", "meta_modificada",
                "meta_modificada_anterior", "avance_reportado", "clave_indicador", "trimestre", "origen_anterior",
                "meta_anterior", "avance_anterior", "medios_verificacion", "justificacion"):
        if col not in t:
            t[col] = np.nan if col not in ("clave_indicador", "origen_anterior") else None
    reportado = t["origen_anterior"].isna() & (t["meta_anterior"].notna() | t["avance_anterior"].notna())
    t.loc[reportado, "origen_anterior"] = "reportado"
    if previos is not None and not previos.empty:
        prev = previos.assign(_k=previos["indicador"].map(_clave))
        prev = prev.drop_duplicates(["mir", "_k"]).set_index(["mir", "_k"])
        claves = list(zip(t["mir"], t["indicador"].map(_clave)))
        for i, k in zip(t.index, claves):
            if pd.isna(t.at[i, "meta_anterior"]) and pd.isna(t.at[i, "avance_anterior"]) and k in prev.index:
                t.at[i, "meta_anterior"] = prev.at[k, "meta"]
                t.at[i, "avance_anterior"] = prev.at[k, "avance"]
                t.at[i, "origen_anterior"] = "ciclo anterior"
    ultimo = int(t.loc[t["_srft"], "trimestre"].max()) if t["_srft"].any() else None
    filas = []
    for f in como_dicts(t):
        es_srft = bool(f["_srft"])
        # the goal compliance is computed on: the modified one when the SRFT gives it (as the SRFT does)
        meta_calc = f["meta_modificada"] if not _vacio(f["meta_modificada"]) else f["meta"]
        actual, nota = cumplimiento(meta_calc, f["avance"], f["sentido"])
        notas = [nota] if nota else []
        programada = math.nan
        if es_srft and not _vacio(f["meta"]) and not _vacio(f["meta_modificada"]) and f["meta"] != f["meta_modificada"]:
            programada, _ = cumplimiento(f["meta"], f["avance"], f["sentido"])
            sobre = f"sería {formatos.porcentaje(programada)}" if not math.isnan(programada) else "no se calcula"
            notas.append(f"cumplimiento sobre la meta modificada ({formatos.numero(f['meta_modificada'])}), como lo "
                         f"calcula el SRFT; sobre la meta programada ({formatos.numero(f['meta'])}) {sobre}")
        if es_srft:
            notas += _nota_srft(f, ultimo)
        meta_prev = f["meta_modificada_anterior"] if not _vacio(f["meta_modificada_anterior"]) else f["meta_anterior"]
        previo, _ = cumplimiento(meta_prev, f["avance_anterior"], f["sentido"])
        umbrales = (f["umbral_verde"], f["umbral_amarillo"], f["umbral_sobrecumplimiento"])
        filas.append({
            **{c: f.get(c) for c in ("mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido",
                                     "meta", "meta_modificada", "avance", "avance_reportado", "meta_anterior",
                                     "meta_modificada_anterior", "avance_anterior", "origen_anterior",
                                     "medios_verificacion", "justificacion", "clave_indicador", "trimestre")},
            "cumplimiento": round(actual, 2) if not math.isnan(actual) else math.nan,
            "cumplimiento_programada": round(programada, 2) if not math.isnan(programada) else math.nan,
            "semaforo": semaforo(actual, *umbrales),
            "cumplimiento_anterior": round(previo, 2) if not math.isnan(previo) else math.nan,
            "semaforo_anterior": semaforo(previo, *umbrales),
            "nota": "; ".join(notas) if notas else None,
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


def nota_srft(srft: pd.DataFrame, srft_previos: pd.DataFrame | None, libro: pd.DataFrame | None) -> str:
    """The annex note when the federal MIR comes from the SRFT *Indicadores* export: files, quarters, precedence."""
    def archivos(t: pd.DataFrame) -> str:
        nombres = sorted({str(a).rsplit("/", 1)[-1] for a in t.get("archivo_fuente", pd.Series(dtype=str)).dropna()})
        return ", ".join(nombres)

    trimestres = srft["trimestre"].astype(int).value_counts().sort_index()
    cortes = "; ".join(f"trimestre {t}: {n} indicador{'es' if n != 1 else ''}" for t, n in trimestres.items())
    texto = (f"MIR federal tomada de la exportación del módulo Indicadores del SRFT ({archivos(srft)}), cada "
             f"indicador del último trimestre que lo reporta ({cortes}); los trimestres nunca se suman. «Meta "
             "programada» es la del SRFT; el avance con respecto a la meta se calcula sobre la meta modificada, "
             "como lo hace el SRFT.")
    if srft_previos is not None and not srft_previos.empty:
        texto += f" Columnas del año anterior: exportación del SRFT del ciclo anterior ({archivos(srft_previos)})."
    if libro is not None and not libro.empty:
        texto += (" La MIR estatal viene del libro de captura o del CSV de indicadores; sus filas de la MIR federal se "
                  "contrastan con el SRFT (regla A4-SRFT-LIBRO).")
    return texto
