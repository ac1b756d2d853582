"""ASM rules (seguimiento de aspectos susceptibles de mejora): progress, dates, fields and status."""

from __future__ import annotations

import math
import re
from typing import Iterator

import pandas as pd

from asm_analysis.auditoria.insumos import Entradas, Fila, _columna, _lugar, _pct
from asm_analysis.auditoria.motor import Hallazgo, _hallazgo, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.formatos import cuenta
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante


def _lugar_asm(e: Entradas, r: Fila, *columnas: str) -> str:
    ident = f"ASM {r.get('numero')} ({r.get('evaluacion_origen')})"
    return _lugar(e.origen_asm, "asm", r.get("fila"), ident, _columna(*columnas))


@regla("ASM-AVANCE", "error", "Seguimiento ASM", "El avance de cada acción está entre 0 y 100 %.", unidad="porcentaje")
def regla_asm_avance(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Action progress outside 0–100 %."""
    for r in e.filas_acciones():
        v = r["avance"]
        if pd.isna(v) or 0 <= v <= 100:
            continue
        limite = 100.0 if v > 100 else 0.0
        yield _hallazgo(
            "ASM-AVANCE", _lugar_asm(e, r, "avance"),
            f"el avance reportado es {_pct(v)}, fuera del rango de 0 a 100 %.",
            v, limite, v - limite, r.get("fila"))


@regla("ASM-FECHAS", "error", "Seguimiento ASM", "La fecha de término no es anterior a la fecha de inicio.",
       unidad="dias")
def regla_asm_fechas(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """An action whose end date is before its start date."""
    for r in e.filas_acciones():
        ini, fin = r["fecha_inicio"], r["fecha_termino"]
        if es_faltante(ini) or es_faltante(fin) or not fin < ini:
            continue
        yield _hallazgo(
            "ASM-FECHAS", _lugar_asm(e, r, "fecha_inicio", "fecha_termino"),
            f"la fecha de término ({fin:%d/%m/%Y}) es anterior a la fecha de inicio ({ini:%d/%m/%Y}) por "
            f"{cuenta((ini - fin).days, 'día')}.", math.nan, math.nan, float((fin - ini).days), r.get("fila"))


@regla("ASM-CAMPOS", "error", "Seguimiento ASM",
       "Campos obligatorios llenos: aspecto y área responsable en todo ASM; además tipo en los ASM de la evaluación "
       "del ciclo (Anexo 7).")
def regla_asm_campos(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Required fields left empty: aspecto and area_responsable always; tipo for the ASM of the
    evaluated ciclo (a column of Anexo 7)."""
    for r in e.filas_acciones():
        requeridos = ["aspecto", "area_responsable"]
        if r.get("ciclo_origen") == e.ciclo:
            requeridos.append("tipo")
        faltan = [c for c in requeridos if es_faltante(r.get(c))]
        if faltan:
            yield _hallazgo(
                "ASM-CAMPOS", _lugar_asm(e, r, *faltan), f"{_vacias(faltan)}; "
                f"{'son obligatorias' if len(faltan) > 1 else 'es obligatoria'} en los anexos de ASM.",
                fila=r.get("fila"))


def _vacias(columnas: list[str]) -> str:
    """«la columna «aspecto» está vacía», «las columnas «fecha_termino» y «avance» están vacías»."""
    nombre = _columna(*columnas)
    return f"la {nombre} está vacía" if len(columnas) == 1 else f"las {nombre} están vacías"


def _dice_atendido_100(texto: object) -> bool:
    norm = normalizar(texto)
    return bool(re.search(r"\b100\b", norm)) and bool(re.search(r"(?<!\bno )\batendid", norm))


@regla("ASM-NO-ATENDIDO", "error", "Anexo 3",
       "Un ASM listado como no atendido no tiene avance de 100 % ni observaciones que digan que se atendió al 100 %.",
       unidad="porcentaje")
def regla_asm_no_atendido(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """An item listed as not attended whose progress (100) or observations say it was attended."""
    for r in e.filas_acciones():
        if not normalizar(r.get("estatus_reportado")).startswith("no atendid"):
            continue
        avance = r["avance"]
        if pd.notna(avance) and avance >= 100:
            motivo, columna = f"su avance es {_pct(avance)}", "avance"
        elif _dice_atendido_100(r.get("observaciones")):
            motivo, columna = f"sus observaciones dicen «{r['observaciones']}»", "observaciones"
        else:
            continue
        yield _hallazgo(
            "ASM-NO-ATENDIDO", _lugar_asm(e, r, "estatus_reportado", columna),
            f"el ASM se lista como «{r['estatus_reportado']}», pero {motivo}: no debería estar en la tabla de "
            "ASM no atendidos.", avance, 100.0, avance - 100 if pd.notna(avance) else math.nan, r.get("fila"),
            (("anexo3", "asm", r.get("id_asm"), "motivo" if columna == "observaciones" else "avance_promedio_asm"),))


@regla("ASM-ESTATUS", "error", "Seguimiento ASM", "Una acción reportada como atendida tiene avance de 100 %.",
       unidad="porcentaje")
def regla_asm_estatus(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """An action reported as attended with progress below 100 %."""
    for r in e.filas_acciones():
        estatus = normalizar(r.get("estatus_reportado"))
        avance = r["avance"]
        if not estatus.startswith("atendid") or pd.isna(avance) or avance >= 100:
            continue
        yield _hallazgo(
            "ASM-ESTATUS", _lugar_asm(e, r, "estatus_reportado", "avance"),
            f"la acción se reporta como «{r['estatus_reportado']}», pero su avance es {_pct(avance)} "
            "(atendido = 100 %).", avance, 100.0, avance - 100, r.get("fila"))


@regla("ASM-INCOMPLETO", "advertencia", "Seguimiento ASM",
       "Datos incompletos: acción de un ASM de una evaluación anterior sin avance, o sin fecha de término y sin "
       "concluir (no se puede juzgar su seguimiento); ASM de la evaluación del ciclo sin nivel de prioridad (columna "
       "del Anexo 7).")
def regla_asm_incompleto(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Incomplete ASM data: actions of earlier evaluations whose follow-up cannot be judged (no
    progress, or not finished and no end date); ASM of the evaluated ciclo with no prioridad
    (reported once per ASM, at its first row)."""
    acciones = e.acciones()
    for r in e.filas_acciones():
        if not r.get("ciclo_origen") < e.ciclo:
            continue
        faltan = ["avance"] if es_faltante(r.get("avance")) else []
        if es_faltante(r.get("fecha_termino")) and (faltan or r["avance"] < 100):
            faltan.insert(0, "fecha_termino")
        if faltan:
            yield _hallazgo(
                "ASM-INCOMPLETO", _lugar_asm(e, r, *faltan),
                f"{_vacias(faltan)}, así que no se puede juzgar el seguimiento de este ASM de "
                f"{r.get('evaluacion_origen')}.", fila=r.get("fila"))
    actuales = acciones[acciones["ciclo_origen"] == e.ciclo]
    for _, grupo in actuales.groupby("id_asm", sort=False):
        if grupo["prioridad"].map(es_faltante).all():
            r = grupo.iloc[0]
            yield _hallazgo(
                "ASM-INCOMPLETO", _lugar_asm(e, r, "prioridad"),
                "el ASM no tiene nivel de prioridad (Alta, Media o Baja), que pide el Anexo 7.", fila=r.get("fila"))


@regla("ASM-VENCIDO", "advertencia", "Seguimiento ASM",
       "ASM vencido: fecha de término anterior a la fecha de corte y avance menor a 100 %.", unidad="porcentaje")
def regla_asm_vencido(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """ASM overdue at the cut date (end date passed, average progress below 100 %)."""
    resumen = e.resumen()
    acciones = e.acciones()
    primera_fila = acciones.groupby("id_asm")["fila"].min() if "fila" in acciones else pd.Series(dtype=float)
    for _, r in resumen[resumen["estatus"] == "Vencido"].iterrows():
        fila = primera_fila.get(r["id_asm"], math.nan)
        # both columns make it overdue: the end date passed and the progress (the figure it carries) below 100
        lugar = _lugar(e.origen_asm, "asm", fila, f"ASM {r['numero']} ({r['evaluacion_origen']})",
                       _columna("fecha_termino", "avance"))
        yield _hallazgo(
            "ASM-VENCIDO", lugar,
            f"venció el {r['fecha_termino']:%d/%m/%Y} con un avance promedio de {_pct(r['avance_promedio_asm'])}; "
            f"al corte del {e.fecha_corte:%d/%m/%Y} llevaba {cuenta(int(r['dias_vencido']), 'día')} vencido.",
            r["avance_promedio_asm"], math.nan, math.nan, fila)
