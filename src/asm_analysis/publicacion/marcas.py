"""Cells of the official annexes whose printed figure differs from the other version of it.

An evaluator hands in the annexes with one of two sets of figures (``--cifras``):

- ``recalculadas`` (default): subtotals, totals, shares and cumplimientos are the tool's;
- ``reportadas``: every cell the capture workbook filled prints exactly what it says.

In both modes a cell whose reported value and recalculated value differ beyond tolerance (or
that an error finding disputes) carries a numbered mark, and a note under the table lists each
mark: where, reported, recalculated. This module holds the shape of that list, shared by the
page, the workbook and the Word document; :func:`vacias` is the list of a report with no mark.
:func:`calcular` gives both for one report: the tables as printed in the chosen mode
(:func:`impresos`) and the marks (:func:`tabla_marcas`).

Where the marks come from. Every rule of the audit that disputes a printed figure says which
cell (``Hallazgo.celdas``, :data:`~asm_analysis.auditoria.motor.CELDA`): a chapter subtotal, a
concept, a share, a cumplimiento. Each such *error* finding marks its cell. As a safety net, a
cell the workbook filled whose reported value differs from the recalculated one beyond the
tolerance is marked even when no rule named it. The prose of a report (headline figures, ASM
counts) reads the same findings through :func:`disputas_resumen`.

Columns of a marks table (one row per marked cell):

- ``anexo``: attribute of :class:`~asm_analysis.anexos.Anexos` the cell belongs to
  (``"anexo1"`` … ``"anexo7"``, ``"seguimiento"``);
- ``fila``: index label of the row in that annex table as printed;
- ``columna``: column name in that annex table;
- ``numero``: the mark, 1, 2, … counted per annex in the order the rows are printed;
- ``ubicacion``: where the cell is, in words an evaluator understands (capítulo, concepto, indicador);
- ``reportado`` / ``recalculado``: both figures as text, formatted as the annex prints them;
- ``regla``: the audit rule behind the mark; ``severidad``: its severity;
- ``motivo``: a short reason ("devengado mayor que modificado");
- ``muestra_recalculadas`` / ``muestra_reportadas``: which of the two figures the printed cell
  shows in each mode, ``recalculado`` or ``reportado``, or ``igual`` when the audit disputes the
  figure without another to put in its place (devengado mayor que modificado, a prior year
  copied). A reported concept *disponible* stays in the cell in both modes (DESIGN: disponible is
  modificado − devengado unless reported), so the note says which one the reader is looking at.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from asm_analysis.anexos import Anexos
from asm_analysis.anexos import concurrencia as concurrencia_mod
from asm_analysis.anexos import destino as destino_mod
from asm_analysis.auditoria import Tolerancias
from asm_analysis.comun import formatos
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import vacio
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion import columnas as columnas_mod

MODOS_CIFRAS = ("recalculadas", "reportadas")
COLUMNAS_MARCAS = ["anexo", "fila", "columna", "numero", "ubicacion", "reportado", "recalculado", "regla",
                   "severidad", "motivo", "muestra_recalculadas", "muestra_reportadas"]
#: What a printed cell shows (``muestra_*``): the recalculated figure, the reported one, or the one
#: figure there is (reported and recalculated alike: the audit disputes it with nothing to replace it).
MUESTRAS = ("recalculado", "reportado", "igual")
#: Tables that carry marks, in the order of the annexes.
TABLAS_CON_MARCAS = ("anexo1", "anexo2", "anexo3", "anexo4", "anexo5", "anexo6", "anexo7", "seguimiento")

#: Rules that compare a reported figure with the tool's own computation of the same cell: their
#: ``valor_reportado`` and ``valor_calculado`` are the two figures of the mark.
REGLAS_QUE_COMPARAN = {"A1-SUBTOTAL", "A1-TOTAL", "A1-DISPONIBLE", "A1-SRFT", "A1-CAPITULO", "A2-SUBTOTAL", "A2-TOTAL",
                       "A2-PORCENTAJE", "A4-CUMPLIMIENTO", "A4-CUMPLIMIENTO-SENTIDO", "A4-CUMPLIMIENTO-TOPE",
                       "A4-ANTERIOR-DIFIERE"}
#: The short reason a mark gives, by rule (the rule's description is the fallback).
MOTIVOS = {
    "A1-SUBTOTAL": "el subtotal reportado no es la suma de sus conceptos",
    "A1-TOTAL": "el gran total reportado no es la suma de los conceptos",
    "A1-MOMENTOS": "{columna} mayor que {tope}",
    "A1-NEGATIVO": "importe negativo",
    "A1-DISPONIBLE": "el disponible reportado no es modificado − devengado",
    "A1-CAPITULO": "concepto capturado en otro capítulo",
    "A1-SRFT": "distinto de lo que publica el SRFT de la SHCP",
    "A2-SUBTOTAL": "el subtotal reportado no es la suma de sus fuentes",
    "A2-TOTAL": "el total reportado no es la suma de las fuentes",
    "A2-PORCENTAJE": "el porcentaje reportado no es monto / total",
    "A2-ETIQUETA-ANIO": "el texto menciona un año distinto del ciclo evaluado",
    "A4-CUMPLIMIENTO": "el cumplimiento reportado no es el calculado",
    "A4-CUMPLIMIENTO-SENTIDO": "cumplimiento calculado con el sentido equivocado",
    "A4-CUMPLIMIENTO-TOPE": "cumplimiento topado en 100 % aunque la meta se superó",
    "A4-ANTERIOR-COPIA": "meta y avance del año anterior copiados del año evaluado",
    "A4-ANTERIOR-DIFIERE": "distinto de los datos propios del ciclo anterior",
    "ASM-NO-ATENDIDO": "listado como no atendido, pero su fila dice que se atendió",
}
MOTIVO_SIN_REGLA = "la cifra reportada difiere de la recalculada"
_TOPE = {"devengado": "modificado", "pagado": "devengado"}


#: The figure a cell shows when its mark says nothing else, by ``--cifras`` mode.
MUESTRA_DEL_MODO = {"recalculadas": "recalculado", "reportadas": "reportado"}


def partes_marca(marca: pd.Series | dict, cifras: str = "recalculadas") -> list[tuple[str, bool]]:
    """The figures of one mark in words, in pieces ``(text, is_a_figure)`` so a page keeps each figure whole:
    «reportado $ X; recalculado $ Y».

    The pieces say which figure the cell shows only where it is not the one the mode's heading
    announces (:func:`~asm_analysis.publicacion.oficiales.titulo_marcas`): a reported concept
    *disponible* kept among recalculated figures, a variation left empty among reported ones. A figure the audit disputes with no other
    to put in its place is given once («reportado $ X, sin cifra recalculada que la sustituya»),
    never as two equal figures.
    """
    def campo(clave: str) -> str:
        valor = marca.get(clave)
        return "" if vacio(valor) else str(valor).strip()

    reportado, recalculado = campo("reportado") or "—", campo("recalculado") or "—"
    muestra = campo(f"muestra_{cifras}") or MUESTRA_DEL_MODO.get(cifras, "recalculado")
    partes: list[tuple[str, bool]] = [("reportado ", False), (reportado, True)]
    if muestra == "igual":
        return partes + [(", sin cifra recalculada que la sustituya", False)]
    propia = muestra != MUESTRA_DEL_MODO.get(cifras)
    if propia and muestra == "reportado":
        partes.append((", el que muestra la celda", False))
    partes += [("; recalculado ", False), (recalculado, True)]
    if propia and muestra == "recalculado":
        partes.append((", el que muestra la celda", False))
    return partes


def vacias() -> pd.DataFrame:
    """A marks table with no mark (a report whose printed figures nobody disputes)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "numero" else "object") for c in COLUMNAS_MARCAS})


def comprobar_modo(cifras: object) -> str:
    """``cifras`` if it is one of :data:`MODOS_CIFRAS`; otherwise a user's mistake, said in one sentence."""
    valor = str(cifras or "").strip().lower()
    if valor not in MODOS_CIFRAS:
        raise ErrorEntrada(f"el modo de cifras «{cifras}» no existe; use «recalculadas» (las que calcula la "
                           "herramienta, por omisión) o «reportadas» (las del libro de captura, tal como se capturaron)")
    return valor


# --------------------------------------------------------------------------------------------
# The tables as printed
# --------------------------------------------------------------------------------------------


def _copiadas(anexos: Anexos) -> set[object]:
    """Input rows (``fila``) of indicators whose prior-year figures the audit calls a copy."""
    filas = set()
    for regla, celdas in _errores(anexos):
        if regla == "A4-ANTERIOR-COPIA":
            filas |= {c[2] for c in celdas if c[0] == "anexo4"}
    return filas


def _reportados_anexo1(datos: DatosEstado, t: pd.DataFrame) -> pd.DataFrame:
    """Anexo 1 with every amount the capture workbook filled (concepts, chapter subtotals, grand total)."""
    if (datos.fuentes or {}).get("destino") != "captura" or datos.destino is None or datos.destino.empty or t.empty:
        return t
    t = t.copy()
    d = datos.destino.copy()
    for m in destino_mod.MONTOS:
        d[m] = pd.to_numeric(d[m], errors="coerce")
    es_total = d["capitulo"].astype(str).str.upper().eq("TOTAL")
    conceptos = d[d["concepto"].notna() & ~es_total]
    for concepto, g in conceptos.groupby(conceptos["concepto"].astype(str)):
        filas = t.index[(t["tipo_fila"] == "detalle") & (t["concepto"].astype(str) == concepto)]
        for m in destino_mod.MONTOS:
            if len(filas) and g[m].notna().any():
                t.loc[filas[0], m] = round(float(g[m].sum()), 2)
    for _, r in d[d["concepto"].isna() & ~es_total].iterrows():
        filas = t.index[(t["tipo_fila"] == "subtotal") & (t["capitulo"].astype(str) == str(r["capitulo"]))]
        for m in destino_mod.MONTOS:
            if len(filas) and pd.notna(r[m]):
                t.loc[filas[0], m] = r[m]
    for _, r in d[es_total].iterrows():
        filas = t.index[t["tipo_fila"] == "total"]
        for m in destino_mod.MONTOS:
            if len(filas) and pd.notna(r[m]):
                t.loc[filas[0], m] = r[m]
    t["pct_devengado_modificado"] = destino_mod._pct(t["devengado"], t["modificado"])
    t["pct_pagado_devengado"] = destino_mod._pct(t["pagado"], t["devengado"])
    return t


def _reportados_anexo2(datos: DatosEstado, t: pd.DataFrame) -> pd.DataFrame:
    """Anexo 2 with the reported shares of the sources and the reported subtotal and total rows."""
    c = datos.concurrencia
    if c is None or c.empty or t.empty:
        return t
    t = t.copy()
    c = c.copy()
    for col in ("monto", "porcentaje"):
        c[col] = pd.to_numeric(c[col], errors="coerce") if col in c else np.nan
    origen = concurrencia_mod.filas_de_origen(c)
    por_fila = c.set_index("fila") if "fila" in c else None
    for i, fila in zip(t.index, origen):
        if fila is None or por_fila is None or fila not in por_fila.index:
            continue
        r = por_fila.loc[fila]
        for col in ("monto", "porcentaje"):
            if pd.notna(r[col]):
                t.loc[i, col] = r[col]
    sumas = c[c["fuente"].isna()] if "fuente" in c else c.iloc[0:0]
    for _, r in sumas.iterrows():
        es_total = r["orden_gobierno"] == "TOTAL"
        filas = t.index[t["tipo_fila"] == "total"] if es_total else t.index[
            (t["tipo_fila"] == "subtotal") & (t["orden_gobierno"] == r["orden_gobierno"])]
        if not len(filas):
            continue
        for col in ("monto", "porcentaje", "fundamento_legal", "comentarios"):
            if col in r and not vacio(r[col]):
                t.loc[filas[0], col] = r[col]
    return t


def _reportados_anexo4(datos: DatosEstado, t: pd.DataFrame) -> pd.DataFrame:
    """Anexo 4 with the reported cumplimientos (``avance_meta_reportado`` and the prior year's)."""
    ind = datos.indicadores
    if ind is None or ind.empty or t.empty:
        return t
    t = t.copy()
    ind = ind.reset_index(drop=True)
    for i, pos in zip(t.index, origen_anexo4(ind, t)):
        if pos is None:  # a row of the SRFT Indicadores export: no workbook cell behind it
            continue
        for col, rep in (("cumplimiento", "avance_meta_reportado"),
                         ("cumplimiento_anterior", "avance_meta_anterior_reportado")):
            valor = pd.to_numeric(pd.Series([ind.at[pos, rep] if rep in ind else np.nan]), errors="coerce").iloc[0]
            if pd.notna(valor):
                t.loc[i, col] = float(valor)
    t["variacion_cumplimiento"] = (t["cumplimiento"] - t["cumplimiento_anterior"]).round(2)
    return t


def _sin_variacion_copiada(datos: DatosEstado, anexos: Anexos, t: pd.DataFrame) -> pd.DataFrame:
    """Anexo 4 without the prior-year variation of rows the audit calls copied (printed «—», marked)."""
    copiadas = _copiadas(anexos)
    if not copiadas or t.empty:
        return t
    t = t.copy()
    filas = _filas_anexo4(datos, t)
    for i, fila in zip(t.index, filas):
        if fila in copiadas:
            t.loc[i, "variacion_cumplimiento"] = np.nan
    return t


def reportadas(datos: DatosEstado, anexos: Anexos) -> Anexos:
    """The annexes with every cell the inputs filled printed exactly as they say (``--cifras reportadas``)."""
    return replace(anexos, anexo1=_reportados_anexo1(datos, anexos.anexo1),
                   anexo2=_reportados_anexo2(datos, anexos.anexo2),
                   anexo4=_reportados_anexo4(datos, anexos.anexo4))


def impresos(datos: DatosEstado, anexos: Anexos, cifras: str) -> Anexos:
    """The annex tables as the official annexes print them in mode ``cifras``.

    ``recalculadas``: the tool's tables; ``reportadas``: :func:`reportadas`. In both, the prior-year
    variation of an indicator whose prior-year figures the audit calls copied is left empty.
    """
    cifras = comprobar_modo(cifras)
    base = reportadas(datos, anexos) if cifras == "reportadas" else replace(anexos)
    return replace(base, anexo4=_sin_variacion_copiada(datos, anexos, base.anexo4))


# --------------------------------------------------------------------------------------------
# From findings to printed cells
# --------------------------------------------------------------------------------------------


def _errores(anexos: Anexos):
    """(regla, celdas) of every error finding that names printed cells."""
    h, celdas = anexos.hallazgos, anexos.celdas
    if h is None or h.empty or celdas is None:
        return
    for i, r in h.iterrows():
        cs = celdas.get(i, ()) if hasattr(celdas, "get") else ()
        if r["severidad"] == "error" and cs:
            yield r["regla"], cs


def origen_anexo4(indicadores: pd.DataFrame, anexo4: pd.DataFrame) -> list[int | None]:
    """Position in ``indicadores`` (the workbook's or national CSV's rows) of the row behind each
    printed Anexo 4 row, in print order; None for a row of the SRFT *Indicadores* export.

    Rows are matched by MIR and indicator name (normalised, as :func:`~asm_analysis.anexos.indicadores.anexo4`
    matches the export with the workbook), the n-th printed row of a name with the n-th input row
    of it. Never by position: the export's federal rows replace some workbook rows and add others,
    so the n-th printed row is not the n-th input row.
    """
    libres: dict[tuple[object, str], list[int]] = {}
    for pos, (mir, nombre) in enumerate(zip(indicadores["mir"], indicadores["indicador"])):
        libres.setdefault((mir, normalizar(nombre)), []).append(pos)
    origen: list[int | None] = []
    for _, f in anexo4.iterrows():
        cola = [] if not vacio(f.get("clave_indicador")) else libres.get((f["mir"], normalizar(f["indicador"])), [])
        origen.append(cola.pop(0) if cola else None)
    return origen


def _filas_anexo4(datos: DatosEstado, anexo4: pd.DataFrame) -> list[object]:
    """The input row (``fila``) behind each printed row of Anexo 4, in print order (None: SRFT export)."""
    ind = datos.indicadores
    if ind is None or ind.empty or anexo4 is None or anexo4.empty:
        return []
    ind = ind.reset_index(drop=True)
    filas = ind["fila"] if "fila" in ind else pd.Series([None] * len(ind))
    return [None if p is None else filas.iloc[p] for p in origen_anexo4(ind, anexo4)]


def _igual(a: object, b: object) -> bool:
    if vacio(a) or vacio(b):
        return vacio(a) and vacio(b)
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


class _Indice:
    """Resolves a :data:`~asm_analysis.auditoria.motor.CELDA` to the row label of the printed table."""

    def __init__(self, datos: DatosEstado, anexos: Anexos):
        self.anexos = anexos
        self.a2 = concurrencia_mod.filas_de_origen(datos.concurrencia) if (
            datos.concurrencia is not None and not datos.concurrencia.empty) else []
        self.a4 = _filas_anexo4(datos, anexos.anexo4)

    def fila(self, tabla: str, tipo: str, clave: object) -> object | None:
        t = getattr(self.anexos, tabla, None)
        if t is None or t.empty:
            return None
        if tabla == "anexo1":
            if tipo == "concepto":
                m = (t["tipo_fila"] == "detalle") & (t["concepto"].astype(str) == str(clave))
            elif tipo == "subtotal":
                m = (t["tipo_fila"] == "subtotal") & (t["capitulo"].astype(str) == str(clave))
            else:
                m = t["tipo_fila"] == "total"
        elif tabla == "anexo2":
            if tipo == "fila":
                m = pd.Series([_igual(f, clave) for f in self.a2], index=t.index[:len(self.a2)]).reindex(
                    t.index, fill_value=False)
            elif tipo == "subtotal":
                m = (t["tipo_fila"] == "subtotal") & (t["orden_gobierno"] == clave)
            else:
                m = t["tipo_fila"] == "total"
        elif tabla == "anexo4":
            m = pd.Series([_igual(f, clave) for f in self.a4], index=t.index[:len(self.a4)]).reindex(
                t.index, fill_value=False)
        elif tabla == "anexo3":
            ids = t["evaluacion_origen"].astype(str) + " #" + t["numero"].astype(str)
            m = ids == str(clave)
        else:
            return None
        filas = t.index[m.to_numpy(dtype=bool)]
        return filas[0] if len(filas) else None


def _columna(tabla: str, columna: str) -> columnas_mod.Columna | None:
    return next((c for c in columnas_mod.TABLAS.get(tabla, ()) if c.clave == columna), None)


def _cifra(tabla: str, columna: str, valor: object) -> str:
    """A figure of a mark as the annex prints it (``$1,234.56``, ``95.70 %``); text as is; missing «—»."""
    c = _columna(tabla, columna)
    if vacio(valor):
        return "—"
    if columna == "variacion_cumplimiento":
        return f"{formatos.redondear(float(valor), 2):+,.2f} pp"
    tipo = c.tipo if c is not None else "texto"
    if tipo == "dinero":
        return formatos.pesos(valor, pegado=True)
    if tipo == "porcentaje":
        return formatos.porcentaje(valor)
    if tipo in ("numero", "entero"):
        return formatos.numero(valor)
    if isinstance(valor, float) and valor.is_integer():  # a key read as a number: capítulo 2000
        return str(int(valor))
    return str(valor)


def _ubicacion(tabla: str, fila: pd.Series, columna: str, ciclo: int) -> str:
    """Where a marked cell is, in the evaluator's words: «subtotal capítulo 1000, Modificado»."""
    if tabla == "anexo1":
        if fila.get("tipo_fila") == "subtotal":
            donde = f"subtotal capítulo {fila['capitulo']}"
        elif fila.get("tipo_fila") == "total":
            donde = "gran total"
        else:
            donde = f"concepto {fila['concepto']} {fila['descripcion']}"
    elif tabla == "anexo2":
        donde = "total" if fila.get("tipo_fila") == "total" else str(fila.get("fuente"))
    elif tabla == "anexo4":
        donde = f"indicador «{fila.get('indicador')}»"
    elif tabla == "anexo3":
        donde = f"ASM {fila.get('numero')} ({fila.get('evaluacion_origen')})"
    else:
        donde = f"fila {fila.name}"
    c = _columna(tabla, columna)
    return f"{donde}, {c.rotulo(ciclo) if c is not None else columna}"


def _motivo(regla: str, columna: str) -> str:
    if regla == "A1-MOMENTOS":
        return MOTIVOS[regla].format(columna=columna, tope=_TOPE.get(columna, "modificado"))
    if regla in MOTIVOS:
        return MOTIVOS[regla]
    from asm_analysis.auditoria import REGLAS

    return REGLAS.get(regla, (None, None, MOTIVO_SIN_REGLA))[2]


#: Numeric cells the capture workbook fills, by table: the safety net compares them in both modes.
_CIFRAS_CAPTURADAS = {"anexo1": list(destino_mod.MONTOS), "anexo2": ["monto", "porcentaje"],
                      "anexo4": ["cumplimiento", "cumplimiento_anterior"]}


def _tolerancia(tabla: str, columna: str, tol: Tolerancias) -> float:
    if tabla == "anexo4":
        return tol.cumplimiento
    return tol.porcentaje if columna == "porcentaje" else tol.monto


def _muestra(marca: dict, impreso: str) -> str:
    """Which figure of ``marca`` a cell printing ``impreso`` shows (:data:`MUESTRAS`)."""
    if marca["reportado"] == marca["recalculado"]:
        return "igual"
    if impreso == marca["recalculado"] or (impreso == "—" and str(marca["recalculado"]).startswith("—")):
        return "recalculado"
    return "reportado"  # the reported figure, or the reported text of a row (an ASM's motive)


def tabla_marcas(datos: DatosEstado, anexos: Anexos, tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """Every printed cell whose reported and recalculated figures differ, or that an error finding
    disputes: one row per cell (:data:`COLUMNAS_MARCAS`), numbered per annex in print order.

    ``fila`` is the row label of the annex table (the same in both modes: printing reported figures
    changes cells, never rows); ``reportado`` and ``recalculado`` are the two figures as the annex
    prints them. The same table serves both modes.
    """
    tol = tolerancias if tolerancias is not None else Tolerancias()
    rep = reportadas(datos, anexos)
    indice = _Indice(datos, anexos)
    ciclo = int(datos.ciclo)
    h = anexos.hallazgos
    por_celda: dict[tuple[str, object, str], dict] = {}
    for i, r in (h.iterrows() if h is not None and anexos.celdas is not None else ()):
        celdas = anexos.celdas.get(i, ()) if hasattr(anexos.celdas, "get") else ()
        if r["severidad"] != "error" or not celdas:
            continue
        for tabla, tipo, clave, columna in celdas:
            fila = indice.fila(tabla, tipo, clave)
            t = getattr(anexos, tabla, None)
            if fila is None or t is None or columna not in t.columns:
                continue
            compara = r["regla"] in REGLAS_QUE_COMPARAN
            if tabla == "anexo3":
                reportado = f"estatus «{t.at[fila, 'estatus_reportado']}», {columna}: «{t.at[fila, columna]}»" \
                    if columna == "motivo" else _cifra(tabla, columna, r["valor_reportado"])
                recalculado = f"estatus al corte: {t.at[fila, 'estatus']}"
            elif r["regla"] == "A4-ANTERIOR-COPIA" and columna == "variacion_cumplimiento":
                reportado = _cifra(tabla, columna, rep.anexo4.at[fila, columna])
                recalculado = "— (no se calcula con cifras copiadas)"
            else:
                reportado = _cifra(tabla, columna, r["valor_reportado"] if compara else getattr(rep, tabla).at[fila, columna])
                recalculado = _cifra(tabla, columna, r["valor_calculado"] if compara else t.at[fila, columna])
            clave_celda = (tabla, fila, columna)
            motivo = _motivo(r["regla"], columna)
            if clave_celda in por_celda:
                previa = por_celda[clave_celda]
                if r["regla"] not in previa["regla"].split(", "):
                    previa["regla"] += f", {r['regla']}"
                    previa["motivo"] += f"; {motivo}"
                if compara and not previa["_compara"]:
                    previa.update(reportado=reportado, recalculado=recalculado, _compara=True)
                continue
            por_celda[clave_celda] = {"anexo": tabla, "fila": fila, "columna": columna,
                                      "ubicacion": _ubicacion(tabla, t.loc[fila], columna, ciclo),
                                      "reportado": reportado, "recalculado": recalculado, "regla": r["regla"],
                                      "severidad": "error", "motivo": motivo, "_compara": compara}
    for tabla, cols in _CIFRAS_CAPTURADAS.items():  # safety net: a differing cell no rule named
        t, tr = getattr(anexos, tabla), getattr(rep, tabla)
        if t is None or t.empty:
            continue
        for columna in cols:
            for fila in t.index:
                a, b = tr.at[fila, columna], t.at[fila, columna]
                if vacio(a) or vacio(b) or (tabla, fila, columna) in por_celda:
                    continue
                if abs(float(a) - float(b)) - _tolerancia(tabla, columna, tol) > 1e-7:
                    por_celda[(tabla, fila, columna)] = {
                        "anexo": tabla, "fila": fila, "columna": columna,
                        "ubicacion": _ubicacion(tabla, t.loc[fila], columna, ciclo),
                        "reportado": _cifra(tabla, columna, a), "recalculado": _cifra(tabla, columna, b),
                        "regla": "", "severidad": "error", "motivo": MOTIVO_SIN_REGLA, "_compara": True}
    if not por_celda:
        return vacias()
    en_modo = {"recalculadas": impresos(datos, anexos, "recalculadas"),
               "reportadas": replace(rep, anexo4=_sin_variacion_copiada(datos, anexos, rep.anexo4))}
    for modo, tablas in en_modo.items():  # what each cell prints in each mode (as :func:`impresos`)
        for (tabla, fila, columna), m in por_celda.items():
            m[f"muestra_{modo}"] = _muestra(m, _cifra(tabla, columna, getattr(tablas, tabla).at[fila, columna]))
    marcas = pd.DataFrame(list(por_celda.values()))
    orden_tabla = {n: i for i, n in enumerate(TABLAS_CON_MARCAS)}
    posicion_fila = {tabla: {f: i for i, f in enumerate(getattr(anexos, tabla).index)} for tabla in set(marcas["anexo"])}
    orden_col = {tabla: {c: i for i, c in enumerate(getattr(anexos, tabla).columns)} for tabla in set(marcas["anexo"])}
    marcas["_t"] = marcas["anexo"].map(orden_tabla)
    marcas["_f"] = [posicion_fila[a][f] for a, f in zip(marcas["anexo"], marcas["fila"])]
    marcas["_c"] = [orden_col[a].get(c, 99) for a, c in zip(marcas["anexo"], marcas["columna"])]
    marcas = marcas.sort_values(["_t", "_f", "_c"], kind="stable").reset_index(drop=True)
    marcas["numero"] = marcas.groupby("anexo").cumcount().astype("int64") + 1
    return marcas[COLUMNAS_MARCAS]


def calcular(datos: DatosEstado, anexos: Anexos, tolerancias: Tolerancias | None, cifras: str
             ) -> tuple[Anexos, pd.DataFrame]:
    """(the tables as printed in mode ``cifras``, their marks): what ``Calculo`` keeps."""
    return impresos(datos, anexos, cifras), tabla_marcas(datos, anexos, tolerancias)


def de_tabla(marcas: pd.DataFrame | None, anexo: str) -> pd.DataFrame:
    """The marks of one annex table, in number order."""
    if marcas is None or marcas.empty:
        return vacias()
    return marcas[marcas["anexo"] == anexo].sort_values("numero").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Headline figures and counts an error finding touches
# --------------------------------------------------------------------------------------------


def _cuenta(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def disputas_resumen(anexos: Anexos) -> dict[str, str]:
    """Headline figure → the short reason an error finding disputes it («devengado mayor que
    modificado en 3 conceptos»). Keys: ``aprobado``, ``modificado``, ``devengado``, ``pagado``,
    ``pct_ejercido``, ``participacion_federal``, ``semaforo``, ``asm``; absent when undisputed."""
    h = anexos.hallazgos
    if h is None or h.empty:
        return {}
    err = h[h["severidad"] == "error"]
    celdas = anexos.celdas if anexos.celdas is not None else pd.Series([()] * len(h), index=h.index)
    motivos: dict[str, list[str]] = {}

    def agregar(clave: str, texto: str) -> None:
        if texto not in motivos.setdefault(clave, []):
            motivos[clave].append(texto)

    for m in destino_mod.MONTOS:
        conceptos = {c[2] for i in err.index[err["regla"] == "A1-MOMENTOS"] for c in celdas.get(i, ()) if c[3] == m}
        if conceptos:
            agregar(m, f"{m} mayor que {_TOPE.get(m, 'modificado')} en {_cuenta(len(conceptos), 'concepto', 'conceptos')}")
        negativos = {c[2] for i in err.index[err["regla"] == "A1-NEGATIVO"] for c in celdas.get(i, ()) if c[3] == m}
        if negativos:
            agregar(m, f"{m} negativo en {_cuenta(len(negativos), 'concepto', 'conceptos')}")
        totales = [i for i in err.index[err["regla"] == "A1-TOTAL"] if any(c[3] == m for c in celdas.get(i, ()))]
        for i in totales:
            agregar(m, f"el gran total reportado ({formatos.pesos(err.at[i, 'valor_reportado'], pegado=True)}) no es la "
                       "suma de los conceptos")
        srft = [i for i in err.index[err["regla"] == "A1-SRFT"] if any(c[3] == m for c in celdas.get(i, ()))]
        if srft:
            agregar(m, f"el SRFT publica otra cifra en {_cuenta(len(srft), 'capítulo', 'capítulos')}")
    capitulo = err[err["regla"] == "A1-CAPITULO"]
    for m in destino_mod.MONTOS:
        if len(capitulo):
            agregar(m, f"{_cuenta(len(capitulo), 'concepto capturado', 'conceptos capturados')} en otro capítulo")
    for texto in motivos.get("devengado", []) + motivos.get("modificado", []):
        agregar("pct_ejercido", texto)
    a2 = err[err["regla"].isin(["A2-PORCENTAJE", "A2-SUBTOTAL", "A2-TOTAL"])]
    federal = [i for i in a2.index if any((c[1], c[2]) in (("subtotal", "Federal"), ("total", ""))
                                          for c in celdas.get(i, ()))]
    if federal:
        agregar("participacion_federal", "el subtotal federal o el total reportados en el Anexo 2 no cuadran "
                                         f"({_cuenta(len(federal), 'cifra', 'cifras')})")
    a4 = err[err["regla"].str.startswith("A4-CUMPLIMIENTO")]
    filas4 = {c[2] for i in a4.index for c in celdas.get(i, ()) if c[3] == "cumplimiento"}
    if filas4:
        agregar("semaforo", f"el cumplimiento reportado difiere del calculado en "
                            f"{_cuenta(len(filas4), 'indicador', 'indicadores')}; el semáforo usa el calculado")
    copias = err[err["regla"] == "A4-ANTERIOR-COPIA"]
    if len(copias):
        agregar("semaforo", f"{_cuenta(len(copias), 'indicador', 'indicadores')} con el año anterior copiado del "
                            "evaluado")
    asm = err[err["regla"] == "ASM-NO-ATENDIDO"]
    if len(asm):
        agregar("asm", f"{_cuenta(len(asm), 'ASM cuenta', 'ASM cuentan')} como pendiente aunque su fila dice que se "
                       "atendió (sin avance capturado, se cuentan sin avance reportado)")
    estatus = err[err["regla"] == "ASM-ESTATUS"]
    if len(estatus):
        agregar("asm", f"{_cuenta(len(estatus), 'acción reportada', 'acciones reportadas')} como atendida con avance "
                       "menor a 100 % (su ASM no cuenta como atendido)")
    fuera = err[err["regla"] == "ASM-AVANCE"]
    if len(fuera):
        agregar("asm", f"{_cuenta(len(fuera), 'acción', 'acciones')} con avance fuera de 0 a 100 %")
    return {k: "; ".join(v) for k, v in motivos.items() if v}
