"""Audit of the annex figures: a rule engine that compares what was reported with what is computed.

Each rule has an id (``A1-SUBTOTAL``), a severity and the annex it reads, declared once with
the :func:`~asm_analysis.auditoria.motor.regla` decorator on the function that emits it;
:data:`REGLAS` is derived from those declarations. Rules are pure functions from tidy frames
(bundled in :class:`Entradas`) to a list of :class:`Hallazgo`; both entry points build the
same :class:`Entradas` and run the same rules:

- :func:`auditar` for a report (:func:`calcular` computes the annexes and audits them);
- :func:`auditar_captura` for a capture workbook alone (``asm-analysis validate``).

The package: :mod:`.motor` (findings, registry, run), :mod:`.tolerancias`, :mod:`.insumos`
(inputs and shared helpers) and one module per annex with its rules: :mod:`.destino`
(A1-*), :mod:`.concurrencia` (A2-*), :mod:`.indicadores` (A4-*), :mod:`.asm` (ASM-*) and
:mod:`.cruces` (X-*, congruence across annexes, sources and periods). :data:`MODULOS_DE_REGLAS`
fixes the documentation and run order.

Severity policy. ``error`` is reserved for figures that contradict each other or break a rule
of the data (a subtotal that does not add up, a wrong share or compliance value, an end date
before its start, a required field left empty). What the figures say about the programme
itself (an overdue ASM, a missed goal, a low execution rate) is ``advertencia`` or ``info``,
never ``error``.

Conventions of a finding: ``valor_reportado`` is what the document or source says,
``valor_calculado`` what the tool computes, ``diferencia = reportado - calculado``; amounts
in pesos, shares and compliance in percent; NaN where a value does not apply. Comparisons
use the tolerances of :class:`Tolerancias` (a difference strictly greater than the
tolerance is a finding).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from asm_analysis import anexos as anexos_mod
from asm_analysis.anexos import Anexos
from asm_analysis.anexos import destino as destino_mod
from asm_analysis.auditoria import asm as reglas_asm
from asm_analysis.auditoria import concurrencia as reglas_concurrencia
from asm_analysis.auditoria import cruces as reglas_cruces
from asm_analysis.auditoria import destino as reglas_destino
from asm_analysis.auditoria import indicadores as reglas_indicadores
from asm_analysis.auditoria.insumos import Entradas
from asm_analysis.auditoria.motor import (COLUMNAS, ORDEN_ANEXOS, REGISTRO, SEVERIDADES, Hallazgo, documentar_reglas,
                                          ejecutar, tabla_de_reglas)
from asm_analysis.auditoria.tolerancias import Tolerancias

if TYPE_CHECKING:
    from asm_analysis.entradas.captura import Captura
    from asm_analysis.entradas.datos import DatosEstado

__all__ = ["COLUMNAS", "ORDEN_ANEXOS", "REGLAS", "SEVERIDADES", "Entradas", "Hallazgo", "Tolerancias", "auditar",
           "auditar_captura", "auditar_tablas", "calcular", "documentar_reglas", "entradas_desde_tablas"]

#: The rule modules in documentation (and run) order, whatever order they were imported in.
MODULOS_DE_REGLAS = (reglas_destino, reglas_concurrencia, reglas_indicadores, reglas_asm, reglas_cruces)
REGISTRO.ordenar([m.__name__ for m in MODULOS_DE_REGLAS])

#: id → (severidad, anexo, descripción en español), in documentation order; derived from the declarations.
REGLAS: dict[str, tuple[str, str, str]] = tabla_de_reglas()


# --------------------------------------------------------------------------- entry points


def _vacia_si_none(tabla: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame() if tabla is None else tabla


def auditar(datos: "DatosEstado", anexos: Anexos, tolerancias: Tolerancias | None = None,
            celdas: bool = False, previos: anexos_mod.Intermedios | None = None) -> pd.DataFrame:
    """Audit one report: every rule on the gathered data (:class:`~asm_analysis.entradas.datos.DatosEstado`)
    and the computed annexes (:class:`~asm_analysis.anexos.Anexos`).

    Returns the ``hallazgos`` table (columns :data:`COLUMNAS`), sorted by severity, annex and
    source row; with ``celdas``, plus the column ``celdas`` (the annex cells each finding disputes,
    :data:`~asm_analysis.auditoria.motor.CELDA`). ``previos`` are the :func:`~asm_analysis.anexos.intermedios`
    the annexes were computed from, read by the rules instead of computed again.
    """
    fuentes = datos.fuentes or {}
    entradas = Entradas(
        ciclo=int(datos.ciclo), fecha_corte=datos.fecha_corte,
        destino=_vacia_si_none(datos.destino), origen_destino=fuentes.get("destino", ""),
        srft=_vacia_si_none(datos.srft), srft_programa=_vacia_si_none(datos.cotejo_programa_srft),
        srft_no_validadas=_vacia_si_none(getattr(datos, "srft_no_validadas", None)),
        anterior_incompleto=str(getattr(datos, "anterior_incompleto", "") or ""),
        anexo1=anexos.anexo1,
        concurrencia=_vacia_si_none(datos.concurrencia), origen_concurrencia=fuentes.get("concurrencia", ""),
        indicadores=_vacia_si_none(datos.indicadores), origen_indicadores=fuentes.get("indicadores", ""),
        indicadores_previos=_vacia_si_none(datos.indicadores_previos),
        asm=_vacia_si_none(datos.asm), origen_asm=fuentes.get("asm", ""),
        resumen_asm=anexos.asm_por_aspecto,
        fondo=datos.fondo.clave, ficha=dict(datos.ficha or {}), anexo4=anexos.anexo4,
        destino_anterior=_vacia_si_none(datos.destino_anterior), origen_destino_anterior=fuentes.get("destino_anterior", ""),
        asm_anterior=_vacia_si_none(datos.asm_anterior), origen_asm_anterior=fuentes.get("asm_anterior", ""),
        indicadores_srft=_vacia_si_none(getattr(datos, "indicadores_srft", None)),
        indicadores_srft_previos=_vacia_si_none(getattr(datos, "indicadores_srft_previos", None)),
    )
    if previos is not None:
        entradas.ya_calculado("acciones", previos.acciones)
        if datos.fuentes.get("destino") != "captura":  # the concepts summed from the SRFT's partidas
            entradas.ya_calculado("detalle_srft", previos.detalle)
    return ejecutar(entradas, tolerancias, celdas=celdas)


def calcular(datos: "DatosEstado", tolerancias: Tolerancias | None = None) -> Anexos:
    """The annexes of one report with their audit: what every output of a report shows.

    :func:`asm_analysis.anexos.calcular`, then :func:`auditar` with ``tolerancias`` (the
    defaults when None), then the headline figures again, now with the findings counted.
    """
    previos = anexos_mod.intermedios(datos)
    anexos = anexos_mod.calcular(datos, previos)
    tabla = auditar(datos, anexos, tolerancias, celdas=True, previos=previos)
    anexos.hallazgos, anexos.celdas = tabla[COLUMNAS], tabla["celdas"]
    anexos.resumen = anexos_mod.resumen(datos, anexos)
    return anexos


def entradas_desde_tablas(ciclo: int, destino: pd.DataFrame | None = None,
                          concurrencia: pd.DataFrame | None = None, indicadores: pd.DataFrame | None = None,
                          asm: pd.DataFrame | None = None, fecha_corte: dt.date | None = None,
                          srft: pd.DataFrame | None = None, indicadores_previos: pd.DataFrame | None = None,
                          origen: str = "captura", srft_programa: pd.DataFrame | None = None,
                          srft_no_validadas: pd.DataFrame | None = None, anterior_incompleto: str = "",
                          indicadores_srft: pd.DataFrame | None = None,
                          indicadores_srft_previos: pd.DataFrame | None = None) -> Entradas:
    """Inputs from capture-shaped tables (the sheets of the workbook), computing the annexes the
    rules need (Anexo 1 and the ASM summary) with the same functions as the report."""
    destino = _vacia_si_none(destino)
    if fecha_corte is None:
        fecha_corte = dt.date(int(ciclo) + 1, 9, 30)  # as datos.fecha_corte_por_omision
    anexo1 = destino_mod.anexo1(destino_mod.detalle_desde_captura(destino)) if not destino.empty else pd.DataFrame()
    tablas = {"destino": destino, "concurrencia": _vacia_si_none(concurrencia),
              "indicadores": _vacia_si_none(indicadores), "asm": _vacia_si_none(asm)}
    origenes = {k: (origen if not v.empty else "") for k, v in tablas.items()}
    return Entradas(
        ciclo=int(ciclo), fecha_corte=fecha_corte, destino=destino, origen_destino=origenes["destino"],
        srft=_vacia_si_none(srft), srft_programa=_vacia_si_none(srft_programa), anexo1=anexo1,
        concurrencia=tablas["concurrencia"], origen_concurrencia=origenes["concurrencia"],
        indicadores=tablas["indicadores"], origen_indicadores=origenes["indicadores"],
        indicadores_previos=_vacia_si_none(indicadores_previos),
        asm=tablas["asm"], origen_asm=origenes["asm"],
        srft_no_validadas=_vacia_si_none(srft_no_validadas), anterior_incompleto=anterior_incompleto,
        indicadores_srft=_vacia_si_none(indicadores_srft),
        indicadores_srft_previos=_vacia_si_none(indicadores_srft_previos),
    )


def auditar_tablas(ciclo: int, tolerancias: Tolerancias | None = None, **tablas) -> pd.DataFrame:
    """Audit capture-shaped tables directly (``destino=``, ``concurrencia=``, ``indicadores=``,
    ``asm=``, ``fecha_corte=``, ``srft=``, ``srft_programa=``, ``indicadores_previos=``,
    ``indicadores_srft=``, ``indicadores_srft_previos=``)."""
    return ejecutar(entradas_desde_tablas(ciclo, **tablas), tolerancias)


def auditar_captura(captura: "Captura", tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """Audit a capture workbook alone (what ``asm-analysis validate`` shows): the same rules,
    minus those that need other sources (SRFT, the previous ciclo's indicators)."""
    t = captura.tablas
    return auditar_tablas(
        captura.ciclo, tolerancias, destino=t.get("destino"), concurrencia=t.get("concurrencia"),
        indicadores=t.get("indicadores"), asm=t.get("asm"), fecha_corte=captura.fecha_corte)
