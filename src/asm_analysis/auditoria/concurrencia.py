"""Anexo 2 rules (concurrencia de recursos): subtotals, total, shares and labels."""

from __future__ import annotations

import math
import re
from typing import Iterator

import pandas as pd

from asm_analysis.auditoria.insumos import Entradas, _columna, _excede, _lugar, _pct, _pesos
from asm_analysis.auditoria.motor import Hallazgo, _anio_ajeno, _en_puntos, _hallazgo, _suma_distinta, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas.tablas import ORDEN_LETRAS


@regla("A2-SUBTOTAL", "error", "Anexo 2",
       "El subtotal reportado de cada orden de gobierno es igual a la suma de sus fuentes.", unidad="pesos")
@regla("A2-TOTAL", "error", "Anexo 2", "El total reportado es igual a la suma de todas las fuentes.", unidad="pesos")
def regla_a2_sumas(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Each reported order subtotal equals the sum of its sources, and the reported total the sum
    of every source."""
    fuentes, subtotales, totales = e.partes_concurrencia()
    for _, r in subtotales.iterrows():
        grupo = fuentes[fuentes["orden_gobierno"] == r["orden_gobierno"]]
        lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"subtotal {r['orden_gobierno']}",
                       _columna("monto"))
        yield from _suma_distinta("A2-SUBTOTAL", lugar, f"el subtotal reportado del orden {r['orden_gobierno']}",
                                  "su única fuente" if len(grupo) == 1 else f"la suma de sus {len(grupo)} fuentes",
                                  r["monto"], round(float(grupo["monto"].fillna(0).sum()), 2), tol.monto, r.get("fila"),
                                  celdas=(("anexo2", "subtotal", r["orden_gobierno"], "monto"),))
    total = round(float(fuentes["monto"].fillna(0).sum()), 2)
    for _, r in totales.iterrows():
        lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), "total", _columna("monto"))
        yield from _suma_distinta("A2-TOTAL", lugar, "el total reportado",
                                  "su única fuente" if len(fuentes) == 1 else f"la suma de las {len(fuentes)} fuentes",
                                  r["monto"], total, tol.monto, r.get("fila"), celdas=(("anexo2", "total", "", "monto"),))


@regla("A2-PORCENTAJE", "error", "Anexo 2",
       "Cada porcentaje reportado (fuente, subtotal o total) es igual a monto / total × 100.", unidad="porcentaje")
def regla_a2_porcentaje(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Each reported share equals its computed amount / computed total × 100."""
    fuentes, subtotales, totales = e.partes_concurrencia()
    total = float(fuentes["monto"].fillna(0).sum())
    if total <= 0:
        return
    filas = [(r, r["monto"], f"fuente «{r['fuente']}»", ("fila", r.get("fila"))) for _, r in fuentes.iterrows()]
    for _, r in subtotales.iterrows():
        monto = float(fuentes.loc[fuentes["orden_gobierno"] == r["orden_gobierno"], "monto"].fillna(0).sum())
        filas.append((r, monto, f"subtotal {r['orden_gobierno']}", ("subtotal", r["orden_gobierno"])))
    filas += [(r, total, "total", ("total", "")) for _, r in totales.iterrows()]
    for r, monto, nombre, fila_anexo in filas:
        rep = r["porcentaje"]
        if pd.isna(rep) or pd.isna(monto):
            continue
        calc = monto / total * 100
        if _excede(rep, calc, tol.porcentaje):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, _columna("porcentaje"))
            yield _en_puntos("A2-PORCENTAJE", lugar, f"el porcentaje reportado es {_pct(rep)}, pero {_pesos(monto)} "
                             f"de un total de {_pesos(total)} es {_pct(calc)}", rep, calc, r.get("fila"),
                             celdas=(("anexo2", *fila_anexo, "porcentaje"),))


@regla("A2-SUMA-PORCENTAJES", "error", "Anexo 2", "Los porcentajes reportados de las fuentes suman 100 %.",
       unidad="porcentaje")
def regla_a2_suma_porcentajes(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Reported shares of the sources add up to 100 % (when every source has one).

    The tolerance is the share tolerance or half a hundredth per source (rounding of each
    share to two decimals), whichever is larger.
    """
    fuentes = e.partes_concurrencia()[0]
    if fuentes.empty or fuentes["porcentaje"].isna().any():
        return
    suma = round(float(fuentes["porcentaje"].sum()), 4)
    if not _excede(suma, 100.0, max(tol.porcentaje, 0.005 * len(fuentes))):
        return
    lugar = _lugar(e.origen_concurrencia, "concurrencia", None, "fuentes de financiamiento",
                     _columna("porcentaje"))
    yield _en_puntos("A2-SUMA-PORCENTAJES", lugar,
                     f"el porcentaje de la única fuente es {_pct(suma)}, no 100 %" if len(fuentes) == 1 else
                     f"los porcentajes de las {len(fuentes)} fuentes suman {_pct(suma)}, no 100 %", suma, 100.0,
                     float(fuentes["fila"].min()) if "fila" in fuentes else math.nan)


_PATRONES_ORDEN = [
    (re.compile(r"\b(ingresos? propios?|propios?)\b"), "Ingresos propios"),
    (re.compile(r"\botros?\b"), "Otros"),
    (re.compile(r"\bfederal(es)?\b"), "Federal"),
    (re.compile(r"\bestatal(es)?\b"), "Estatal"),
]


def _motivo_etiqueta(etiqueta: object, orden: str) -> str | None:
    """Why a subtotal label (``Subtotal Estatal (c)``) does not fit the row of ``orden``: it names
    another order of government or another letter; None when it fits or is not a subtotal label."""
    norm = "" if es_faltante(etiqueta) else normalizar(etiqueta)
    if "subtotal" not in norm:
        return None
    nombrado = next((o for patron, o in _PATRONES_ORDEN if patron.search(norm)), None)
    letra = re.search(r"\(\s*([a-dA-D])\s*\)", str(etiqueta))
    if nombrado is not None and nombrado != orden:
        return f"nombra el orden {nombrado}"
    if letra is not None and letra.group(1).lower() != ORDEN_LETRAS[orden]:
        return f"usa la letra ({letra.group(1).lower()}), que corresponde a otro orden"
    return None


@regla("A2-ETIQUETA", "advertencia", "Anexo 2",
       "La etiqueta de un subtotal nombra el mismo orden de gobierno (y la misma letra a–d) que la fila.")
def regla_a2_etiqueta(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """A reported subtotal whose label names another order (or another letter) than its row."""
    for _, r in e.partes_concurrencia()[1].iterrows():
        orden = r["orden_gobierno"]
        if orden not in ORDEN_LETRAS:
            continue
        for col in ("comentarios", "fundamento_legal"):
            motivo = _motivo_etiqueta(r.get(col), orden)
            if motivo is None:
                continue
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"subtotal {orden}", _columna(col))
            yield _hallazgo(
                "A2-ETIQUETA", lugar,
                f"la etiqueta «{r.get(col)}» {motivo}, pero la fila es el subtotal de {orden} "
                f"({ORDEN_LETRAS[orden]}).", math.nan, math.nan, math.nan, r.get("fila"))


@regla("A2-ETIQUETA-ANIO", "error", "Anexo 2",
       "Las etiquetas, fundamentos y comentarios de subtotales y total no mencionan un año distinto del ciclo "
       "evaluado.", unidad="anio")
def regla_a2_etiqueta_anio(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Labels, legal bases and comments of subtotal/total rows naming a year other than the ciclo."""
    _, subtotales, totales = e.partes_concurrencia()
    for _, r in pd.concat([subtotales, totales]).iterrows():
        es_total = r["orden_gobierno"] == "TOTAL"
        nombre = "total" if es_total else f"subtotal {r['orden_gobierno']}"
        fila_anexo = ("total", "") if es_total else ("subtotal", r["orden_gobierno"])
        for col in ("comentarios", "fundamento_legal"):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, _columna(col))
            yield from _anio_ajeno("A2-ETIQUETA-ANIO", lugar, "el texto", r.get(col), e.ciclo, r.get("fila"),
                                   celdas=(("anexo2", *fila_anexo, col),))
