"""Congruence across annexes, sources and periods (review procedure: the figures agree with what
was reported elsewhere and before)."""

from __future__ import annotations

import math
import re
from typing import Iterator

import numpy as np
import pandas as pd

from asm_analysis.anexos import asm as asm_mod
from asm_analysis.auditoria.insumos import (Entradas, _columna, _excede, _lugar, _montos, _num_o_nan, _pct,
                                            _pesos)
from asm_analysis.auditoria.motor import Hallazgo, _en_pesos, _hallazgo, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.auditoria.tolerancias import nombre as nombre_tolerancia
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas import catalogos


def _fila_del_fondo(e: Entradas) -> pd.Series | None:
    """The Anexo 2 source row of the evaluated fund itself (``FASSA``, ``IMSS BIENESTAR``…), if any."""
    if e.concurrencia.empty or not e.fondo or "fuente" not in e.concurrencia:
        return None
    fuentes = e.partes_concurrencia()[0]
    for _, r in fuentes.iterrows():
        if es_faltante(r.get("fuente")) or pd.isna(r.get("monto")):
            continue
        try:
            if catalogos.resolver_fondo(str(r["fuente"])).clave == e.fondo:
                return r
        except ErrorEntrada:
            continue
    return None


@regla("X-A2-A1", "advertencia", "Anexo 2",
       "El monto del fondo evaluado en el Anexo 2 (concurrencia) es igual a su presupuesto modificado del Anexo 1: "
       "ambos son los recursos del fondo con que la ejecutora contó en el año (el modificado incluye las "
       "ampliaciones y reducciones que el aprobado no tiene).", unidad="pesos")
@regla("X-A2-SRFT", "advertencia", "Anexo 2",
       "El monto del fondo evaluado en el Anexo 2 es igual a lo que el SRFT de la SHCP reporta como recaudado "
       "(ministrado) del mismo fondo, estado y ciclo, o como modificado cuando el SRFT no trae el ministrado. El "
       "libro de captura no tiene columna de ministrado en el Anexo 1, así que ese momento se contrasta aquí.",
       unidad="pesos")
def regla_x_a2_fondo(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """The fund's own amount in Anexo 2 against its modificado total in Anexo 1 (both: money of
    the year) and against the SRFT's ministrado (recaudado) of the same fund."""
    r = _fila_del_fondo(e)
    if r is None:
        return
    monto = round(float(r["monto"]), 2)
    lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"fuente «{r['fuente']}»", _columna("monto"))
    total = pd.DataFrame() if e.anexo1 is None or e.anexo1.empty else e.anexo1[e.anexo1["tipo_fila"] == "total"]
    if not total.empty and total.iloc[0]["modificado"]:
        modificado = round(float(total.iloc[0]["modificado"]), 2)
        aprobado = round(float(total.iloc[0]["aprobado"]), 2)
        if _excede(monto, modificado, tol.monto):
            coincide = (" (coincide con el aprobado, no con el modificado)"
                        if not _excede(monto, aprobado, tol.monto) else "")
            yield _en_pesos("X-A2-A1", lugar,
                            f"el Anexo 2 asigna {_pesos(monto)} al fondo evaluado, y su presupuesto modificado en el "
                            f"Anexo 1 es {_pesos(modificado)} (aprobado {_pesos(aprobado)}){coincide}",
                            monto, modificado, r.get("fila"))
    if not e.srft.empty:
        montos = _montos(e.srft, ["recaudado", "modificado"])
        if montos["recaudado"].notna().any():
            momento, calculado = "recaudado (ministrado)", montos["recaudado"].sum()
        else:
            momento, calculado = "modificado (el SRFT no trae ministrado)", montos["modificado"].sum()
        calculado = round(float(calculado), 2)
        if _excede(monto, calculado, tol.monto):
            yield _en_pesos("X-A2-SRFT", lugar,
                            f"el Anexo 2 asigna {_pesos(monto)} al fondo evaluado, y el SRFT de la SHCP reporta "
                            f"{_pesos(calculado)} como {momento}", monto, calculado, r.get("fila"))


_CITA_RE = re.compile(r"^(?P<nombre>.*?)(?:[:=]\s*(?P<valor>[\d.,]+)\s*%?)?\s*$")


@regla("X-A6-A4", "error", "Anexo 6",
       "Cada indicador citado en la ficha (campo «indicadores_citados» del formato CONAC) está en el Anexo 4, y el "
       "cumplimiento que se cita es el que calcula el Anexo 4.", unidad="porcentaje")
def regla_x_a6_a4(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators the CONAC form cites (``indicadores_citados``: «nombre: 95.7 %; …») against Anexo 4."""
    citados = e.ficha.get("indicadores_citados") if e.ficha else None
    if es_faltante(citados):
        return
    fila = (e.ficha.get("_filas") or {}).get("indicadores_citados", math.nan)
    lugar = _lugar("captura", "ficha", fila, "campo «indicadores_citados»")
    nombres = [] if e.anexo4 is None or e.anexo4.empty else list(e.anexo4["indicador"])
    for cita in (c.strip() for c in re.split(r"[;\n]", str(citados)) if c.strip()):
        m = _CITA_RE.match(cita)
        nombre, valor = m["nombre"].strip(), m["valor"]
        puntajes = [asm_mod.similitud(nombre, n) for n in nombres]
        if not puntajes or max(puntajes) < asm_mod.UMBRAL_REINCIDENCIA:
            yield _hallazgo("X-A6-A4", lugar, f"la ficha cita el indicador «{nombre}», que no está en el Anexo 4.",
                            fila=fila)
            continue
        if valor is None:
            continue
        r = e.anexo4.iloc[int(np.argmax(puntajes))]
        citado = _num_o_nan(valor.replace(",", ""))
        if pd.isna(r["cumplimiento"]) or pd.isna(citado) or not _excede(citado, r["cumplimiento"], tol.cumplimiento):
            continue
        yield _hallazgo(
            "X-A6-A4", lugar,
            f"la ficha cita {_pct(citado)} de cumplimiento para «{r['indicador']}», y el Anexo 4 calcula "
            f"{_pct(r['cumplimiento'])}.", citado, float(r["cumplimiento"]),
            round(citado - float(r["cumplimiento"]), 2), fila)


def _aprobado_por_capitulo(destino: pd.DataFrame) -> pd.Series:
    """aprobado by chapter from concept rows (capture-shaped, reported subtotals left out) or SRFT rows."""
    if destino.empty:
        return pd.Series(dtype=float)
    if "partida" in destino:  # SRFT rows
        filas = destino
    else:
        filas = destino[destino["concepto"].notna()]
    filas = filas.assign(_cap=filas["concepto"].map(catalogos.capitulo_de),
                         aprobado=pd.to_numeric(filas["aprobado"], errors="coerce"))
    return filas.groupby("_cap")["aprobado"].sum(min_count=1).dropna().round(2)


@regla("X-A1-ANUAL", "advertencia", "Anexo 1",
       "El aprobado de cada capítulo no cambia más que el umbral (25 % por omisión) respecto del ciclo anterior "
       "(libro de captura o SRFT del año anterior), ni aparece o desaparece un capítulo.", unidad="pesos")
def regla_x_a1_anual(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """This ciclo's aprobado by chapter against the previous ciclo's (workbook or SRFT), when present."""
    if e.destino_anterior.empty or e.anexo1 is None or e.anexo1.empty:
        return
    anterior = _aprobado_por_capitulo(e.destino_anterior)
    actual = e.anexo1[e.anexo1["tipo_fila"] == "subtotal"].set_index("capitulo")["aprobado"].round(2)
    if anterior.sum() == 0 or actual.sum() == 0:
        return
    fuente = "libro de captura" if e.origen_destino_anterior == "captura" else "SRFT"
    for cap in sorted(set(anterior[anterior != 0].index) | set(actual[actual != 0].index)):
        antes, ahora = float(anterior.get(cap, 0.0)), float(actual.get(cap, 0.0))
        lugar = f"Anexo 1, capítulo {cap}, {_columna('aprobado')}"
        if antes == 0 or ahora == 0:
            texto = (f"el capítulo {cap} aparece con {_pesos(ahora)} aprobados y no tenía aprobado en {e.ciclo - 1}"
                     if antes == 0 else f"el capítulo {cap} tenía {_pesos(antes)} aprobados en {e.ciclo - 1} y "
                                        "ninguno este año")
            yield _hallazgo("X-A1-ANUAL", lugar, f"{texto} ({fuente} del año anterior).", antes, ahora,
                            round(ahora - antes, 2))
            continue
        cambio = (ahora - antes) / antes * 100
        if abs(cambio) > tol.variacion_anual:
            yield _hallazgo(
                "X-A1-ANUAL", lugar,
                f"el aprobado pasó de {_pesos(antes)} en {e.ciclo - 1} ({fuente}) a {_pesos(ahora)} en {e.ciclo}: "
                f"{'+' if cambio > 0 else ''}{_pct(round(cambio, 2))}, más que el umbral de {nombre_tolerancia('variacion_anual')} de "
                f"{_pct(tol.variacion_anual)}.",
                antes, ahora, round(ahora - antes, 2))


def _asm_fuera_del_seguimiento(e: Entradas) -> pd.DataFrame:
    """Last ciclo's Anexo 7 ASM (from its own evaluation) that this ciclo's follow-up no longer lists
    (same aspecto, normalized text with similarity ≥ 85), attended or not; computed once per audit."""
    def calcular() -> pd.DataFrame:
        anterior = e.resumen_anterior()
        anterior = anterior[anterior["ciclo_origen"] == e.ciclo - 1]
        # this report's follow-up: this year's workbook, or the national history (which keeps every year's rows)
        actuales = [] if e.asm.empty else [normalizar(b) for b in e.resumen()["aspecto"].fillna("")]
        return anterior.loc[[not _en_la_lista(normalizar(a), actuales) for a in anterior["aspecto"]]]
    return e._una_vez("asm_fuera_del_seguimiento", calcular)


def _en_la_lista(aspecto: str, actuales: list[str]) -> bool:
    """Whether a normalized aspecto is one of ``actuales`` (normalized): :func:`asm_mod.similitud` ≥ 85."""
    return any(asm_mod.similitud_normalizada(aspecto, otro) >= asm_mod.UMBRAL_REINCIDENCIA for otro in actuales)


def _asm_que_salieron(e: Entradas, atendidos: bool) -> pd.DataFrame:
    """Last ciclo's Anexo 7 ASM (from its own evaluation), attended or not as asked, that this
    ciclo's follow-up no longer lists (same aspecto, normalized text with similarity ≥ 85)."""
    if e.asm_anterior.empty:
        return pd.DataFrame()
    fuera = _asm_fuera_del_seguimiento(e)
    return fuera[(fuera["estatus"] == "Atendido") == atendidos]


def _asm_que_salio(e: Entradas, id_regla: str, r: pd.Series, conclusion: str) -> Hallazgo:
    """The finding of one ASM of :func:`_asm_que_salieron`, with ``conclusion`` as its last words."""
    return _hallazgo(
        id_regla, f"ASM {r['numero']} ({r['evaluacion_origen']}) del seguimiento de {e.ciclo - 1}",
        f"el ASM «{r['aspecto']}» estaba en el Anexo 7 de {e.ciclo - 1} con avance promedio de "
        f"{_pct(r['avance_promedio_asm'])} y no aparece en el seguimiento de {e.ciclo}: {conclusion}",
        r["avance_promedio_asm"], math.nan, math.nan)


@regla("X-ASM-DESAPARECIDO", "error", "Seguimiento ASM",
       "Cada ASM del Anexo 7 del ciclo anterior que no estaba atendido aparece en el seguimiento de este ciclo "
       "(mismo aspecto, texto normalizado con similitud ≥ 85).", unidad="porcentaje")
def regla_x_asm_desaparecido(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """An ASM not attended last ciclo that this ciclo's follow-up no longer lists."""
    for _, r in _asm_que_salieron(e, atendidos=False).iterrows():
        yield _asm_que_salio(e, "X-ASM-DESAPARECIDO", r, "un ASM sin atender no puede salir del seguimiento.")


@regla("X-ASM-CERRADO", "info", "Seguimiento ASM",
       "Un ASM del Anexo 7 del ciclo anterior que ya estaba atendido no se lista en el seguimiento de este ciclo: "
       "conviene mostrarlo como atendido.", unidad="porcentaje")
def regla_x_asm_cerrado(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """An ASM attended last ciclo that this ciclo's follow-up no longer lists: not an error (it was
    closed), but the follow-up should still show it as attended, so the reader sees it closed."""
    for _, r in _asm_que_salieron(e, atendidos=True).iterrows():
        yield _asm_que_salio(e, "X-ASM-CERRADO", r, "se atendió, conviene listarlo como atendido.")


@regla("X-ANTERIOR-INCOMPLETO", "advertencia", "Anexo 1",
       "Los archivos del ciclo anterior de este estado y fondo se leyeron completos; si uno no se pudo leer o tiene "
       "filas rechazadas, las comparaciones con el ciclo anterior no se hacen (una tabla parcial pasaría por "
       "completa) y se dice por qué.")
def regla_x_anterior_incompleto(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Last ciclo's inputs lost rows: the year-over-year rules did not run, and why."""
    if not e.anterior_incompleto:
        return
    yield _hallazgo(
        "X-ANTERIOR-INCOMPLETO", f"ciclo {e.ciclo - 1}",
        f"no se compararon las cifras con el ciclo {e.ciclo - 1} (X-A1-ANUAL, X-ASM-DESAPARECIDO, X-ASM-CERRADO, "
        f"A4-ANTERIOR-DIFIERE ni las columnas del año anterior del Anexo 4 tomadas de sus datos) "
        f"porque sus archivos están incompletos: {e.anterior_incompleto}", math.nan, math.nan, math.nan)
