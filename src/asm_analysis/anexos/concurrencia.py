"""Anexo 2 — Concurrencia de recursos: the executing agency's money by order of government.

Tells the evaluator how much of what the agency spends comes from the evaluated fund and
from each other source (federal, state, own income, other), with each line's share of
the total; subtotals (a)…(d) and the total are computed from the sources.
"""

from __future__ import annotations

import pandas as pd

from asm_analysis.entradas.tablas import ORDEN_LETRAS

COLUMNAS = ["tipo_fila", "orden_gobierno", "fuente", "monto", "porcentaje", "fundamento_legal", "comentarios"]


def detalle(concurrencia: pd.DataFrame) -> pd.DataFrame:
    """Source rows only (reported subtotal and total rows left for the audit)."""
    if concurrencia.empty:
        return pd.DataFrame(columns=["orden_gobierno", "fuente", "monto", "fundamento_legal", "comentarios"])
    return concurrencia[concurrencia["fuente"].notna() & (concurrencia["orden_gobierno"] != "TOTAL")].copy()


def _por_orden(det: pd.DataFrame):
    """(orden, letra, its source rows) in the order Anexo 2 prints them: orders (a)…(d), sources as given."""
    for orden, letra in ORDEN_LETRAS.items():
        yield orden, letra, det[det["orden_gobierno"] == orden]


def filas_de_origen(concurrencia: pd.DataFrame) -> list[object]:
    """The input row (``fila`` of the loaded table) behind each row of :func:`anexo2`, in its order;
    None for subtotal and total rows. Links a finding on a captured source row to the printed row."""
    det = detalle(concurrencia)
    filas: list[object] = []
    for _, _, grupo in _por_orden(det):
        filas += list(grupo["fila"]) if "fila" in grupo else [None] * len(grupo)
        filas.append(None)  # the order's subtotal
    return filas + [None]  # the total


def anexo2(concurrencia: pd.DataFrame) -> pd.DataFrame:
    """The Anexo 2 table: sources by order, subtotal per order, total, shares of the total.

    Legal basis and comments reported on an order's subtotal row are carried to the
    computed subtotal row; those on a source row stay on it.
    """
    det = detalle(concurrencia)
    reportados = concurrencia[concurrencia["fuente"].isna()] if not concurrencia.empty else concurrencia
    total = float(det["monto"].fillna(0).sum())
    montos = det["monto"].fillna(0)
    # the source rows' values, read once (a column not loaded reads as None, as ``Series.get`` gives it)
    valores = {c: det[c].tolist() if c in det else [None] * len(det)
               for c in ("fuente", "monto", "fundamento_legal", "comentarios")}
    ordenes = det["orden_gobierno"].tolist()
    ordenes_reportadas = reportados["orden_gobierno"].tolist() if not reportados.empty else []
    filas = []
    for orden, letra in ORDEN_LETRAS.items():
        posiciones = [i for i, o in enumerate(ordenes) if o == orden]
        for i in posiciones:
            filas.append({"tipo_fila": "detalle", "orden_gobierno": orden, "fuente": valores["fuente"][i],
                          "monto": valores["monto"][i], "fundamento_legal": valores["fundamento_legal"][i],
                          "comentarios": valores["comentarios"][i]})
        rep = [i for i, o in enumerate(ordenes_reportadas) if o == orden]
        filas.append({
            "tipo_fila": "subtotal", "orden_gobierno": orden, "fuente": f"Subtotal {orden} ({letra})",
            "monto": float(montos.iloc[posiciones].sum()),
            "fundamento_legal": reportados["fundamento_legal"].iloc[rep[0]] if rep else None,
            "comentarios": reportados["comentarios"].iloc[rep[0]] if rep else None,
        })
    filas.append({"tipo_fila": "total", "orden_gobierno": "TOTAL", "fuente": "Total (a + b + c + d)",
                  "monto": total, "fundamento_legal": None, "comentarios": None})
    tabla = pd.DataFrame(filas)
    tabla["monto"] = pd.to_numeric(tabla["monto"]).round(2)
    tabla["porcentaje"] = (tabla["monto"] / total * 100).round(2) if total else float("nan")
    return tabla[COLUMNAS]


def participacion_fondo(anexo: pd.DataFrame, nombres_fondo: list[str]) -> float | None:
    """Share (%) of the evaluated fund in the agency's total, from its source row."""
    claves = {n.strip().lower() for n in nombres_fondo}
    filas = anexo[(anexo["tipo_fila"] == "detalle") & anexo["fuente"].fillna("").str.strip().str.lower().isin(claves)]
    return float(filas["porcentaje"].sum()) if len(filas) else None


def participacion_federal(anexo: pd.DataFrame) -> float | None:
    """Share (%) of federal money in the agency's total: the headline of Anexo 2."""
    fila = anexo[(anexo["tipo_fila"] == "subtotal") & (anexo["orden_gobierno"] == "Federal")]
    return float(fila["porcentaje"].iloc[0]) if len(fila) else None
