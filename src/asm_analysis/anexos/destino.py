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


def _por_concepto(detalle: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Each concept's amounts summed over its detail rows: ``concepto`` → ``{monto: suma}``.

    A sum is NaN when none of its rows has the amount (``sum(min_count=1)``); ``disponible`` of a
    row that does not report it is ``modificado - devengado``. Rows without a concept are left out.
    """
    montos = {m: pd.to_numeric(detalle[m], errors="coerce") for m in MONTOS}
    montos["disponible"] = montos["disponible"].fillna(montos["modificado"] - montos["devengado"])
    codigos, claves = pd.factorize(detalle["concepto"], sort=True)
    presentes = codigos >= 0
    columnas = {m: montos[m].to_numpy() for m in MONTOS}
    if np.bincount(codigos[presentes], minlength=len(claves)).max(initial=0) <= 1:
        # one row per concept (the SRFT's, already summed; a workbook's): its sums are its values
        return {claves[c]: {m: columnas[m][i] for m in MONTOS}
                for i, c in enumerate(codigos.tolist()) if c >= 0}
    salida = {}
    for c, clave in enumerate(claves):
        filas = codigos == c
        salida[clave] = {m: montos[m][filas].sum(min_count=1) for m in MONTOS}
    return salida


def anexo1(detalle: pd.DataFrame) -> pd.DataFrame:
    """The Anexo 1 table: every COG concept of the nine chapters, chapter subtotals, grand total.

    Concepts with no spending appear with zeros, as in the published annex. Two shares
    tell the evaluator how far the money went: ``pct_devengado_modificado`` (execution)
    and ``pct_pagado_devengado`` (payment of what was accrued).
    """
    por_concepto = _por_concepto(detalle)
    catalogo = catalogos.conceptos()[["capitulo", "concepto", "nombre"]]
    extra = sorted(set(por_concepto) - set(catalogo["concepto"]))
    if extra:  # keys outside the catalog cannot happen after loading, kept for safety
        raise ValueError(f"conceptos fuera del catálogo: {extra}")
    capitulos = catalogo["capitulo"].tolist()
    # each concept of the catalog with its amounts (0 where nothing was reported)
    montos = {m: np.array([_cero_si_falta(por_concepto.get(k, {}).get(m)) for k in catalogo["concepto"]], dtype=float)
              for m in MONTOS}
    filas: list[dict[str, object]] = []
    totales: dict[str, list[float]] = {m: [] for m in MONTOS}  # the chapter subtotals, for the grand total
    for cap in sorted(set(capitulos)):
        del_capitulo = [i for i, c in enumerate(capitulos) if c == cap]  # in catalog order
        for i in del_capitulo:
            filas.append({"tipo_fila": "detalle", "capitulo": cap, "concepto": catalogo["concepto"].iat[i],
                          "descripcion": catalogo["nombre"].iat[i], **{m: montos[m][i] for m in MONTOS}})
        subtotal = {m: montos[m][del_capitulo].sum() for m in MONTOS}
        filas.append({"tipo_fila": "subtotal", "capitulo": cap, "concepto": None,
                      "descripcion": f"Subtotal capítulo {cap}: {catalogos.nombre_capitulo(cap)}", **subtotal})
        for m in MONTOS:
            totales[m].append(subtotal[m])
    filas.append({"tipo_fila": "total", "capitulo": "TOTAL", "concepto": None, "descripcion": "Gran total",
                  **{m: np.array(totales[m], dtype=float).sum() for m in MONTOS}})
    resultado = pd.DataFrame(filas)
    resultado[MONTOS] = resultado[MONTOS].round(2)
    resultado["pct_devengado_modificado"] = _pct(resultado["devengado"], resultado["modificado"])
    resultado["pct_pagado_devengado"] = _pct(resultado["pagado"], resultado["devengado"])
    return resultado[COLUMNAS]


def _cero_si_falta(valor: object) -> float:
    """A concept's amount in the table: 0 when it has none (not reported, or no row)."""
    return 0.0 if valor is None or pd.isna(valor) else valor


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
