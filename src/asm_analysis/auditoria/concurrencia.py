"""Anexo 2 rules (concurrencia de recursos): subtotals, total, shares and labels."""

from __future__ import annotations

import math
import re

import pandas as pd

from asm_analysis.auditoria.insumos import Entradas, _anios_ajenos, _excede, _lugar, _partes_concurrencia, _pct, _pesos
from asm_analysis.auditoria.motor import Hallazgo, _hallazgo, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas.tablas import ORDEN_LETRAS


@regla("A2-SUBTOTAL", "error", "Anexo 2",
       "El subtotal reportado de cada orden de gobierno es igual a la suma de sus fuentes.")
def regla_a2_subtotal(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Each reported order subtotal equals the sum of its sources."""
    if e.concurrencia.empty:
        return []
    fuentes, subtotales, _ = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in subtotales.iterrows():
        rep = r["monto"]
        if pd.isna(rep):
            continue
        grupo = fuentes[fuentes["orden_gobierno"] == r["orden_gobierno"]]
        calc = round(float(grupo["monto"].fillna(0).sum()), 2)
        if _excede(rep, calc, tol.monto):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"),
                           f"subtotal {r['orden_gobierno']}", "columna monto")
            salida.append(_hallazgo(
                "A2-SUBTOTAL", lugar,
                f"el subtotal reportado del orden {r['orden_gobierno']} es {_pesos(rep)}, pero "
                + ("su única fuente da " if len(grupo) == 1 else f"la suma de sus {len(grupo)} fuentes da ")
                + f"{_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


@regla("A2-TOTAL", "error", "Anexo 2", "El total reportado es igual a la suma de todas las fuentes.")
def regla_a2_total(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """The reported total equals the sum of every source."""
    if e.concurrencia.empty:
        return []
    fuentes, _, totales = _partes_concurrencia(e.concurrencia)
    calc = round(float(fuentes["monto"].fillna(0).sum()), 2)
    salida = []
    for _, r in totales.iterrows():
        rep = r["monto"]
        if pd.notna(rep) and _excede(rep, calc, tol.monto):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), "total", "columna monto")
            salida.append(_hallazgo(
                "A2-TOTAL", lugar,
                f"el total reportado es {_pesos(rep)}, pero "
                + ("su única fuente da " if len(fuentes) == 1 else f"la suma de las {len(fuentes)} fuentes da ")
                + f"{_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


@regla("A2-PORCENTAJE", "error", "Anexo 2",
       "Cada porcentaje reportado (fuente, subtotal o total) es igual a monto / total × 100.")
def regla_a2_porcentaje(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Each reported share equals its computed amount / computed total × 100."""
    if e.concurrencia.empty:
        return []
    fuentes, subtotales, totales = _partes_concurrencia(e.concurrencia)
    total = float(fuentes["monto"].fillna(0).sum())
    if total <= 0:
        return []
    salida = []
    filas = [(r, r["monto"], f"fuente «{r['fuente']}»") for _, r in fuentes.iterrows()]
    for _, r in subtotales.iterrows():
        monto = float(fuentes.loc[fuentes["orden_gobierno"] == r["orden_gobierno"], "monto"].fillna(0).sum())
        filas.append((r, monto, f"subtotal {r['orden_gobierno']}"))
    filas += [(r, total, "total") for _, r in totales.iterrows()]
    for r, monto, nombre in filas:
        rep = r["porcentaje"]
        if pd.isna(rep) or pd.isna(monto):
            continue
        calc = monto / total * 100
        if _excede(rep, calc, tol.porcentaje):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, "columna porcentaje")
            salida.append(_hallazgo(
                "A2-PORCENTAJE", lugar,
                f"el porcentaje reportado es {_pct(rep)}, pero {_pesos(monto)} de un total de {_pesos(total)} "
                f"es {_pct(calc)}; diferencia {round(rep - calc, 2):.2f} puntos.",
                rep, round(calc, 2), round(rep - calc, 2), r.get("fila")))
    return salida


@regla("A2-SUMA-PORCENTAJES", "error", "Anexo 2", "Los porcentajes reportados de las fuentes suman 100 %.")
def regla_a2_suma_porcentajes(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Reported shares of the sources add up to 100 % (when every source has one).

    The tolerance is the share tolerance or half a hundredth per source (rounding of each
    share to two decimals), whichever is larger.
    """
    if e.concurrencia.empty:
        return []
    fuentes = _partes_concurrencia(e.concurrencia)[0]
    if fuentes.empty or fuentes["porcentaje"].isna().any():
        return []
    suma = round(float(fuentes["porcentaje"].sum()), 4)
    limite = max(tol.porcentaje, 0.005 * len(fuentes))
    if not _excede(suma, 100.0, limite):
        return []
    lugar = _lugar(e.origen_concurrencia, "concurrencia", None, "fuentes de financiamiento", "columna porcentaje")
    return [_hallazgo("A2-SUMA-PORCENTAJES", lugar,
                      (f"el porcentaje de la única fuente es {_pct(suma)}, no 100 %; diferencia " if len(fuentes) == 1 else
                       f"los porcentajes de las {len(fuentes)} fuentes suman {_pct(suma)}, no 100 %; diferencia ")
                      + f"{round(suma - 100, 2):.2f} puntos.", suma, 100.0, round(suma - 100, 2),
                      float(fuentes["fila"].min()) if "fila" in fuentes else math.nan)]


_PATRONES_ORDEN = [
    (re.compile(r"\b(ingresos? propios?|propios?)\b"), "Ingresos propios"),
    (re.compile(r"\botros?\b"), "Otros"),
    (re.compile(r"\bfederal(es)?\b"), "Federal"),
    (re.compile(r"\bestatal(es)?\b"), "Estatal"),
]


def _orden_nombrado(etiqueta: str) -> tuple[str | None, str | None]:
    """Order of government and subtotal letter a label names (``Subtotal Estatal (c)``)."""
    norm = normalizar(etiqueta)
    orden = next((o for patron, o in _PATRONES_ORDEN if patron.search(norm)), None)
    letra = re.search(r"\(\s*([a-dA-D])\s*\)", str(etiqueta))
    return orden, letra.group(1).lower() if letra else None


@regla("A2-ETIQUETA", "advertencia", "Anexo 2",
       "La etiqueta de un subtotal nombra el mismo orden de gobierno (y la misma letra a–d) que la fila.")
def regla_a2_etiqueta(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """A reported subtotal whose label names another order (or another letter) than its row."""
    if e.concurrencia.empty:
        return []
    _, subtotales, _ = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in subtotales.iterrows():
        orden = r["orden_gobierno"]
        if orden not in ORDEN_LETRAS:
            continue
        for col in ("comentarios", "fundamento_legal"):
            etiqueta = r.get(col)
            if es_faltante(etiqueta) or "subtotal" not in normalizar(etiqueta):
                continue
            nombrado, letra = _orden_nombrado(etiqueta)
            if nombrado is not None and nombrado != orden:
                motivo = f"nombra el orden {nombrado}"
            elif letra is not None and letra != ORDEN_LETRAS[orden]:
                motivo = f"usa la letra ({letra}), que corresponde a otro orden"
            else:
                continue
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"subtotal {orden}", f"columna {col}")
            salida.append(_hallazgo(
                "A2-ETIQUETA", lugar,
                f"la etiqueta «{etiqueta}» {motivo}, pero la fila es el subtotal de {orden} "
                f"({ORDEN_LETRAS[orden]}).", math.nan, math.nan, math.nan, r.get("fila")))
    return salida


@regla("A2-ETIQUETA-ANIO", "error", "Anexo 2",
       "Las etiquetas, fundamentos y comentarios de subtotales y total no mencionan un año distinto del ciclo "
       "evaluado.")
def regla_a2_etiqueta_anio(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Labels, legal bases and comments of subtotal/total rows naming a year other than the ciclo."""
    if e.concurrencia.empty:
        return []
    _, subtotales, totales = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in pd.concat([subtotales, totales]).iterrows():
        nombre = "total" if r["orden_gobierno"] == "TOTAL" else f"subtotal {r['orden_gobierno']}"
        for col in ("comentarios", "fundamento_legal"):
            anios = _anios_ajenos(r.get(col), e.ciclo)
            if not anios:
                continue
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, f"columna {col}")
            salida.append(_hallazgo(
                "A2-ETIQUETA-ANIO", lugar,
                f"el texto «{r[col]}» menciona {', '.join(map(str, anios))}, pero el ciclo evaluado es "
                f"{e.ciclo}.", anios[0], e.ciclo, anios[0] - e.ciclo, r.get("fila")))
    return salida
