"""Anexo 1 — Destino de las aportaciones: budget by COG chapter and concept.

For an evaluator, Anexo 1 answers "on what was the fund spent": each concept's approved,
modified, accrued (devengado) and paid amounts, what is still available, the chapter
subtotals and the grand total, all computed from the detail rows (never copied from what
was reported: reported subtotals are only audited).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asm_analysis.entradas import catalogos

MONTOS = ["aprobado", "modificado", "devengado", "pagado", "disponible"]
COLUMNAS = ["tipo_fila", "capitulo", "concepto", "descripcion", *MONTOS,
            "pct_devengado_modificado", "pct_pagado_devengado"]


def _pct(numerador: pd.Series, denominador: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        valor = numerador / denominador * 100
    return valor.where(denominador != 0).round(2)


def detalle_desde_captura(destino: pd.DataFrame) -> pd.DataFrame:
    """Concept rows of a capture ``destino`` sheet (reported subtotal/total rows left out).

    ``disponible`` stays as reported when typed; otherwise it is ``modificado - devengado``.
    """
    if destino.empty:
        return pd.DataFrame(columns=["capitulo", "concepto", "descripcion", *MONTOS])
    det = destino[destino["concepto"].notna()].copy()
    det["capitulo"] = det["concepto"].map(catalogos.capitulo_de)
    return det[["capitulo", "concepto", "descripcion", *MONTOS]]


def detalle_desde_srft(filas: pd.DataFrame) -> pd.DataFrame:
    """Concept rows summed from SRFT partidas (one quarter, one year, already selected)."""
    if filas.empty:
        return pd.DataFrame(columns=["capitulo", "concepto", "descripcion", *MONTOS])
    det = filas.groupby("concepto", as_index=False)[["aprobado", "modificado", "devengado", "pagado"]].sum(min_count=1)
    det["disponible"] = np.nan
    det["capitulo"] = det["concepto"].map(catalogos.capitulo_de)
    det["descripcion"] = det["concepto"].map(catalogos.nombre_concepto)
    return det[["capitulo", "concepto", "descripcion", *MONTOS]]


def anexo1(detalle: pd.DataFrame) -> pd.DataFrame:
    """The Anexo 1 table: every COG concept of the nine chapters, chapter subtotals, grand total.

    Concepts with no spending appear with zeros, as in the published annex. Two shares
    tell the evaluator how far the money went: ``pct_devengado_modificado`` (execution)
    and ``pct_pagado_devengado`` (payment of what was accrued).
    """
    det = detalle.copy()
    for m in MONTOS:
        det[m] = pd.to_numeric(det[m], errors="coerce")
    det["disponible"] = det["disponible"].fillna(det["modificado"] - det["devengado"])
    por_concepto = det.groupby("concepto", as_index=False).agg(
        {**{m: lambda s: s.sum(min_count=1) for m in MONTOS}, "descripcion": "first"})
    catalogo = catalogos.conceptos()[["capitulo", "concepto", "nombre"]]
    extra = sorted(set(por_concepto["concepto"]) - set(catalogo["concepto"]))
    tabla = catalogo.merge(por_concepto, on="concepto", how="left")
    tabla["descripcion"] = tabla["nombre"]
    tabla = tabla.drop(columns="nombre")
    if extra:  # keys outside the catalog cannot happen after loading, kept for safety
        raise ValueError(f"conceptos fuera del catálogo: {extra}")
    tabla[MONTOS] = tabla[MONTOS].fillna(0.0)
    tabla["tipo_fila"] = "detalle"
    filas = []
    for capitulo, grupo in tabla.groupby("capitulo", sort=True):
        filas.append(grupo)
        sub = {"tipo_fila": "subtotal", "capitulo": capitulo, "concepto": None,
               "descripcion": f"Subtotal capítulo {capitulo}: {catalogos.nombre_capitulo(capitulo)}"}
        sub.update({m: grupo[m].sum() for m in MONTOS})
        filas.append(pd.DataFrame([sub]))
    cuerpo = pd.concat(filas, ignore_index=True)
    total = {"tipo_fila": "total", "capitulo": "TOTAL", "concepto": None, "descripcion": "Gran total"}
    total.update({m: cuerpo.loc[cuerpo["tipo_fila"] == "subtotal", m].sum() for m in MONTOS})
    resultado = pd.concat([cuerpo, pd.DataFrame([total])], ignore_index=True)
    resultado[MONTOS] = resultado[MONTOS].round(2)
    resultado["pct_devengado_modificado"] = _pct(resultado["devengado"], resultado["modificado"])
    resultado["pct_pagado_devengado"] = _pct(resultado["pagado"], resultado["devengado"])
    return resultado[COLUMNAS]


def anexo1_arrastre(filas: pd.DataFrame) -> pd.DataFrame:
    """Money from earlier years (``ciclo_recurso < ciclo``) spent this year, by year and chapter.

    Shown apart so it never inflates the year's totals.
    """
    cols = ["tipo_fila", "ciclo_recurso", "capitulo", "descripcion", *MONTOS]
    if filas.empty:
        return pd.DataFrame(columns=cols)
    t = filas.groupby(["ciclo_recurso", "capitulo"], as_index=False)[["aprobado", "modificado", "devengado", "pagado"]].sum()
    t["disponible"] = t["modificado"] - t["devengado"]
    t["descripcion"] = t["capitulo"].map(catalogos.nombre_capitulo)
    t["tipo_fila"] = "detalle"
    total = {"tipo_fila": "total", "ciclo_recurso": None, "capitulo": "TOTAL",
             "descripcion": "Total de recursos de ejercicios anteriores"}
    total.update({m: t[m].sum() for m in MONTOS})
    return pd.concat([t, pd.DataFrame([total])], ignore_index=True)[cols].round(2)


def resumen(anexo: pd.DataFrame) -> dict[str, float]:
    """Headline figures from the grand total row: modificado, devengado, pagado, % ejercido."""
    total = anexo[anexo["tipo_fila"] == "total"].iloc[0]
    return {m: float(total[m]) for m in MONTOS} | {
        "pct_ejercido": float(total["pct_devengado_modificado"]) if pd.notna(total["pct_devengado_modificado"]) else float("nan")}
