"""Anexo 4 rules (indicadores): compliance by direction, goals, semáforo and prior-year values."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np
import pandas as pd

from asm_analysis.anexos import indicadores as ind_mod
from asm_analysis.auditoria.insumos import Entradas, Fila, _columna, _excede, _lugar, _num, _num_o_nan, _pct
from asm_analysis.auditoria.motor import Hallazgo, _en_puntos, _hallazgo, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas.srft_indicadores import avance_srft


def _cumplimiento(meta: object, avance: object, sentido: object) -> float:
    """Compliance by direction; NaN when it cannot be computed (meta missing or zero)."""
    meta, avance = _num_o_nan(meta), _num_o_nan(avance)
    if math.isnan(meta) or meta == 0 or math.isnan(avance):
        return math.nan
    valor, _ = ind_mod.cumplimiento(meta, avance, sentido if isinstance(sentido, str) else None)
    return valor


def _opuesto(meta: float, avance: float, sentido: str) -> float:
    contrario = {"Ascendente": "Descendente", "Descendente": "Ascendente"}.get(sentido)
    return _cumplimiento(meta, avance, contrario) if contrario else math.nan


def _nombre_indicador(r: Fila) -> str:
    return f"indicador «{r.get('indicador') if not es_faltante(r.get('indicador')) else 'sin nombre'}»"


#: The export's header of each capture column a rule names, for places in an SRFT row.
_COLUMNA_SRFT = {"meta": "Meta Modificada", "avance": "Realizado en el Periodo", "justificacion": "Justificación",
                 "avance_reportado": "Avance (%)"}


def _lugar_srft(r: Fila, columna: str) -> str:
    """``exportación del módulo Indicadores del SRFT x.xlsx, hoja Reporte, fila 12, clave 240103, indicador «…», columna «…»``."""
    archivo = str(r.get("archivo_fuente") or "").rsplit("/", 1)[-1]
    hoja = r.get("hoja")
    partes = [f"exportación del módulo Indicadores del SRFT {archivo}".strip()]
    if not es_faltante(hoja):
        partes.append(f"hoja {hoja}")
    if not es_faltante(r.get("fila")):
        partes.append(f"fila {int(r.get('fila'))}")
    partes += [f"clave {r.get('clave_indicador')}", _nombre_indicador(r),
               _columna(_COLUMNA_SRFT.get(columna, columna))]
    return ", ".join(partes)


def _es_srft(r: Fila) -> bool:
    v = r.get("_srft")
    return isinstance(v, (bool, np.bool_)) and bool(v)


def _donde(e: Entradas, r: Fila, columna: str) -> str:
    """Where an Anexo 4 row is: its SRFT export row, or its workbook / national CSV row."""
    if _es_srft(r):
        return _lugar_srft(r, columna)
    return _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), _columna(columna))


def _filas_anexo(e: Entradas) -> pd.DataFrame:
    """The rows Anexo 4 shows, as the rules read them: the SRFT export's federal MIR (``meta`` = the goal
    compliance uses) and the workbook's (or national CSV's) other rows; ``_srft`` tells them apart."""
    def calcular() -> pd.DataFrame:
        libro = e.indicadores
        if e.indicadores_srft.empty:
            return libro.assign(_srft=False) if not libro.empty else libro
        srft = e.indicadores_srft.assign(_srft=True)
        if not libro.empty:
            claves = set(srft["indicador"].map(normalizar))
            federal = libro[(libro["mir"] == "Federal") & libro["indicador"].map(normalizar).isin(claves)]
            # the semáforo thresholds the annex takes from the workbook's row of the same indicator
            umbrales = [c for c in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento") if c in federal]
            if umbrales:
                por_nombre = federal.assign(_k=federal["indicador"].map(normalizar)).drop_duplicates("_k") \
                    .set_index("_k")[umbrales]
                srft = srft.join(por_nombre, on=srft["indicador"].map(normalizar).rename("_k"))
            libro = libro.drop(federal.index)
        return pd.concat([srft, libro.assign(_srft=False)], ignore_index=True)
    return e._una_vez("filas_anexo4", calcular)


def _clasificar_cumplimiento(reportado: float, calculado: float, meta: float, avance: float,
                             sentido: str, tol: float) -> str | None:
    """Which compliance rule a reported value breaks, or None when it agrees."""
    if not _excede(reportado, calculado, tol):
        return None
    opuesto = _opuesto(meta, avance, sentido)
    if not math.isnan(opuesto) and not _excede(reportado, opuesto, tol):
        return "A4-CUMPLIMIENTO-SENTIDO"
    if sentido == "Descendente" and calculado < 100 - tol and reportado >= 100 - tol:
        return "A4-CUMPLIMIENTO-SENTIDO"
    if calculado > 100 + tol and not _excede(reportado, 100.0, tol):
        return "A4-CUMPLIMIENTO-TOPE"
    return "A4-CUMPLIMIENTO"


_TEXTO_CUMPLIMIENTO = {
    "A4-CUMPLIMIENTO": "no coincide con el calculado",
    "A4-CUMPLIMIENTO-SENTIDO": "no corresponde al sentido del indicador",
    "A4-CUMPLIMIENTO-TOPE": "está topado en 100 % aunque la meta se superó",
}


@regla("A4-CUMPLIMIENTO", "error", "Anexo 4",
       "El avance con respecto a la meta reportado es igual al calculado según el sentido (ascendente avance/meta, "
       "descendente meta/avance).", unidad="porcentaje")
@regla("A4-CUMPLIMIENTO-SENTIDO", "error", "Anexo 4",
       "Cumplimiento reportado con el sentido equivocado: un indicador descendente mostrado como meta cumplida (100 "
       "% o más) cuando no la alcanzó, o un cociente calculado al revés.", unidad="porcentaje")
@regla("A4-CUMPLIMIENTO-TOPE", "error", "Anexo 4", "Cumplimiento topado en 100 % cuando la meta se superó.",
       unidad="porcentaje")
def regla_a4_cumplimiento(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Reported compliance (this year and prior year) against the value computed by direction.

    Classified as ``A4-CUMPLIMIENTO-SENTIDO`` (a descending indicator shown as met, or the
    opposite quotient), ``A4-CUMPLIMIENTO-TOPE`` (capped at 100 % when exceeded) or
    ``A4-CUMPLIMIENTO`` (any other difference).
    """
    columnas = [("meta", "avance", "avance_meta_reportado", "del ejercicio evaluado", "cumplimiento"),
                ("meta_anterior", "avance_anterior", "avance_meta_anterior_reportado", "del ejercicio anterior",
                 "cumplimiento_anterior")]
    for r in e.filas_indicadores():
        sentido = r.get("sentido")
        for c_meta, c_avance, c_rep, cuando, c_anexo in columnas:
            rep = _num_o_nan(r.get(c_rep))
            meta, avance = _num_o_nan(r.get(c_meta)), _num_o_nan(r.get(c_avance))
            calc = _cumplimiento(meta, avance, sentido)
            if math.isnan(rep) or math.isnan(calc):
                continue
            id_regla = _clasificar_cumplimiento(rep, calc, meta, avance, sentido, tol.cumplimiento)
            if id_regla is None:
                continue
            formula = "avance / meta" if sentido == "Ascendente" else "meta / avance"
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                           _columna(c_rep))
            yield _en_puntos(
                id_regla, lugar,
                f"el avance con respecto a la meta {cuando} reportado ({_pct(rep)}) {_TEXTO_CUMPLIMIENTO[id_regla]}: "
                f"indicador {str(sentido).lower()}, {formula} con meta {_num(meta)} y avance {_num(avance)} da "
                f"{_pct(calc)}", rep, calc, r.get("fila"), celdas=(("anexo4", "fila", r.get("fila"), c_anexo),))


@regla("A4-META", "advertencia", "Anexo 4", "Indicador sin meta o con meta cero: no se puede calcular el cumplimiento.",
       unidad="valor")
def regla_a4_meta(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators with no goal or a zero goal: compliance cannot be computed."""
    for r in e.filas("anexo4", lambda: _filas_anexo(e)):
        meta = _num_o_nan(r.get("meta"))
        if math.isnan(meta) or meta == 0:
            que = "no tiene meta" if math.isnan(meta) else "tiene meta cero"
            lugar = _donde(e, r, "meta")
            yield _hallazgo(
                "A4-META", lugar, f"el indicador {que}: no se puede calcular su cumplimiento.",
                meta, math.nan, math.nan, r.get("fila"))


def _semaforo(r: Fila) -> tuple[float, str | None]:
    calc = _cumplimiento(r.get("meta"), r.get("avance"), r.get("sentido"))
    umbrales = [_num_o_nan(r.get(c)) for c in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento")]
    return calc, ind_mod.semaforo(calc, *[None if math.isnan(u) else u for u in umbrales])


def _semaforos(e: Entradas) -> list[tuple[Fila, float, str | None]]:
    """Each row Anexo 4 shows (:func:`_filas_anexo`) with its computed compliance and semáforo colour,
    computed once per audit for the rules that read them."""
    return e._una_vez("semaforos_anexo4",
                      lambda: [(r, *_semaforo(r)) for r in e.filas("anexo4", lambda: _filas_anexo(e))])


@regla("A4-JUSTIFICACION", "advertencia", "Anexo 4",
       "Cumplimiento fuera de la banda verde del semáforo sin justificación.", unidad="porcentaje")
def regla_a4_justificacion(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Compliance outside the green band (red, yellow or over-achievement) with no justification."""
    for r, calc, color in _semaforos(e):
        if color in (None, "Verde") or not es_faltante(r.get("justificacion")):
            continue
        lugar = _donde(e, r, "justificacion")
        yield _hallazgo(
            "A4-JUSTIFICACION", lugar,
            f"el cumplimiento de {_pct(calc)} queda en {color.lower()} en el semáforo y no se justifica la "
            "desviación respecto de la meta.", math.nan, round(calc, 2), math.nan, r.get("fila"))


def _indicadores_en_banda(e: Entradas, banda: str, id_regla: str, columna: str,
                          conclusion: str) -> Iterator[Hallazgo]:
    """One finding per indicator whose computed compliance falls in ``banda`` of the semáforo."""
    for r, calc, color in _semaforos(e):
        if color != banda:
            continue
        lugar = _donde(e, r, columna)
        yield _hallazgo(
            id_regla, lugar,
            f"el cumplimiento de {_pct(calc)} (meta {_num(_num_o_nan(r.get('meta')))}, avance "
            f"{_num(_num_o_nan(r.get('avance')))}) {conclusion}",
            math.nan, round(calc, 2), math.nan, r.get("fila"))


@regla("A4-ROJO", "advertencia", "Anexo 4", "Indicador en rojo en el semáforo de cumplimiento.", unidad="porcentaje")
def regla_a4_rojo(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators in red: the goal was missed by a wide margin."""
    return _indicadores_en_banda(e, "Rojo", "A4-ROJO", "avance", "está en rojo en el semáforo.")


@regla("A4-SOBRECUMPLIMIENTO", "info", "Anexo 4",
       "Meta superada con holgura (sobrecumplimiento en el semáforo): conviene revisar cómo se programó la meta.",
       unidad="porcentaje")
def regla_a4_sobrecumplimiento(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators above the green band: the goal may have been set too low."""
    return _indicadores_en_banda(e, "Sobrecumplimiento", "A4-SOBRECUMPLIMIENTO", "meta",
                                 "supera la banda verde; conviene revisar la programación de la meta.")


def _igual(a: float, b: float) -> bool:
    return not math.isnan(a) and not math.isnan(b) and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@regla("A4-ANTERIOR-COPIA", "error", "Anexo 4",
       "Meta y avance del ejercicio anterior idénticos a los del ejercicio evaluado (probable copia). Un par con "
       "meta igual al avance (100 y 100) solo se señala si otro indicador de la tabla también está copiado.",
       unidad="valor")
def regla_a4_anterior_copia(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Prior-year meta and avance identical to this year's: a likely copy of the current columns.

    A pair with meta equal to avance (e.g. 100 and 100) can repeat by chance, so it is only
    flagged when another indicator of the same table is also copied.
    """
    copias = []
    for r in e.filas_indicadores():
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        meta_a, avance_a = _num_o_nan(r.get("meta_anterior")), _num_o_nan(r.get("avance_anterior"))
        if _igual(meta, meta_a) and _igual(avance, avance_a):
            copias.append((r, _igual(meta, avance)))
    if not any(not degenerada for _, degenerada in copias):
        return
    for r, _ in copias:
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                       _columna("meta_anterior", "avance_anterior"))
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        yield _hallazgo(
            "A4-ANTERIOR-COPIA", lugar,
            f"la meta ({_num(meta)}) y el avance ({_num(avance)}) del ejercicio anterior son idénticos a los "
            f"del ejercicio {e.ciclo}; probablemente se copiaron las columnas del año evaluado.",
            _num_o_nan(r.get("avance_anterior")), avance, 0.0, r.get("fila"),
            tuple(("anexo4", "fila", r.get("fila"), c) for c in ("meta_anterior", "avance_anterior",
                                                                  "cumplimiento_anterior", "variacion_cumplimiento")))


@regla("A4-ANTERIOR-DIFIERE", "error", "Anexo 4",
       "Meta o avance del ejercicio anterior distintos de los datos propios del ciclo anterior.", unidad="valor")
def regla_a4_anterior_difiere(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Prior-year values on the row against the previous ciclo's own data (same MIR and indicator)."""
    if e.indicadores.empty or e.indicadores_previos is None or e.indicadores_previos.empty:
        return
    prev = e.indicadores_previos.assign(_k=e.indicadores_previos["indicador"].map(normalizar))
    prev = prev.drop_duplicates(["mir", "_k"]).set_index(["mir", "_k"])
    for r in e.filas_indicadores():
        clave = (r.get("mir"), normalizar(r.get("indicador")))
        if clave not in prev.index:
            continue
        for col, col_prev in (("meta_anterior", "meta"), ("avance_anterior", "avance")):
            rep, calc = _num_o_nan(r.get(col)), _num_o_nan(prev.at[clave, col_prev])
            if math.isnan(rep) or math.isnan(calc) or not _excede(rep, calc, tol.valor_indicador):
                continue
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), _columna(col))
            yield _hallazgo(
                "A4-ANTERIOR-DIFIERE", lugar,
                f"el valor reportado para {e.ciclo - 1} es {_num(rep)}, pero los datos del ciclo {e.ciclo - 1} "
                f"registran {'una meta' if col_prev == 'meta' else 'un avance'} de {_num(calc)}; diferencia "
                f"{_num(round(rep - calc, 4))}.",
                rep, calc, round(rep - calc, 4), r.get("fila"), (("anexo4", "fila", r.get("fila"), col),))


# --------------------------------------------------------------------------- SRFT Indicadores export


def _texto_avance(valor: float | None, nd: bool) -> str:
    return "N/D" if nd or valor is None or (isinstance(valor, float) and math.isnan(valor)) else _pct(valor)


@regla("A4-SRFT-AVANCE", "error", "Anexo 4",
       "En la exportación del módulo Indicadores del SRFT, el «Avance (%)» reportado es el que da la regla del SRFT: "
       "ascendente realizado / meta modificada × 100, descendente meta modificada / realizado × 100, N/D cuando "
       "la división no se puede hacer.", unidad="porcentaje")
def regla_a4_srft_avance(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """The export's «Avance (%)» against the SRFT's own rule, for the rows Anexo 4 uses (this year's and
    last year's): a different figure, an ``N/D`` where the figure can be computed, or a figure where it
    cannot (goal zero or missing; nothing achieved in a descending indicator)."""
    for tabla, cuando in ((e.indicadores_srft, "del ejercicio evaluado"),
                          (e.indicadores_srft_previos, "del ejercicio anterior")):
        for _, r in tabla.iterrows():
            sentido = r.get("sentido")
            if sentido not in ("Ascendente", "Descendente"):
                continue
            meta, real = _num_o_nan(r.get("meta_modificada")), _num_o_nan(r.get("realizado"))
            calc = avance_srft(meta, real, sentido)
            rep = _num_o_nan(r.get("avance_reportado"))
            nd = bool(r.get("avance_nd")) if isinstance(r.get("avance_nd"), (bool, np.bool_)) else False
            formula = "realizado / meta modificada" if sentido == "Ascendente" else "meta modificada / realizado"
            base = (f"indicador {str(sentido).lower()}, {formula} × 100 con meta modificada {_num(meta)} y realizado "
                    f"{_num(real)}")
            if calc is None:
                if math.isnan(rep):
                    continue
                texto = (f"el «Avance (%)» {cuando} dice {_pct(rep)}, pero no se puede calcular ({base}): el SRFT "
                         "escribe N/D")
            elif math.isnan(rep):
                if not nd:
                    continue
                texto = f"el «Avance (%)» {cuando} dice N/D, pero sí se puede calcular: {base} da {_pct(calc)}"
            elif _excede(rep, calc, tol.porcentaje):  # the SRFT rounds to 2 decimals: a share's tolerance
                texto = f"el «Avance (%)» {cuando} reportado ({_pct(rep)}) no es el de la regla del SRFT: {base} da {_pct(calc)}"
            else:
                continue
            reportado = rep
            calculado = math.nan if calc is None else calc
            yield _hallazgo("A4-SRFT-AVANCE", _lugar_srft(r, "avance_reportado"), texto + ".", reportado, calculado,
                            round(reportado - calculado, 2) if not (math.isnan(reportado) or math.isnan(calculado))
                            else math.nan, r.get("fila"))


def _emparejar(fila: Fila, tabla: pd.DataFrame) -> pd.Series | None:
    """The row of ``tabla`` for the same indicator: same ``Clave del Indicador``, else the same name."""
    if tabla.empty:
        return None
    misma = tabla[tabla["clave_indicador"] == fila.get("clave_indicador")]
    if misma.empty:
        misma = tabla[tabla["indicador"].map(normalizar) == normalizar(fila.get("indicador"))]
    return None if misma.empty else misma.iloc[0]


@regla("A4-SRFT-AUSENTE", "advertencia", "Anexo 4",
       "Cada indicador de la exportación del SRFT (módulo Indicadores) del ciclo anterior sigue en la del ciclo "
       "evaluado (misma clave o mismo nombre); uno que desaparece deja sin seguimiento un resultado de la MIR "
       "federal.")
def regla_a4_srft_ausente(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Indicators of last year's export that this year's export no longer has (both exports present)."""
    if e.indicadores_srft.empty or e.indicadores_srft_previos.empty:
        return
    for _, r in e.indicadores_srft_previos.iterrows():
        if _emparejar(r, e.indicadores_srft) is not None:
            continue
        archivos = ", ".join(sorted({str(a).rsplit("/", 1)[-1] for a in e.indicadores_srft["archivo_fuente"].dropna()})) \
            if "archivo_fuente" in e.indicadores_srft else ""
        yield _hallazgo(
            "A4-SRFT-AUSENTE", _lugar_srft(r, "Clave del Indicador"),
            f"el indicador (clave {r.get('clave_indicador')}, nivel {r.get('nivel')}) está en la exportación del SRFT "
            f"del ciclo {e.ciclo - 1} pero no en la del ciclo {e.ciclo} ({archivos}), ni con su clave ni con su "
            "nombre; confirme si salió de la MIR federal o si falta reportarlo.",
            math.nan, math.nan, math.nan, r.get("fila"))


@regla("A4-SRFT-LIBRO", "error", "Anexo 4",
       "Una fila de la MIR federal del libro de captura (o del CSV de indicadores) coincide con la exportación del "
       "SRFT del mismo indicador: meta (programada o modificada), avance (realizado) y avance con respecto a la "
       "meta reportado.", unidad="valor", por_columna={"avance_meta_reportado": "porcentaje"})
def regla_a4_srft_libro(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Workbook federal-MIR rows against the SRFT export row of the same indicator (by name).

    The export takes precedence in Anexo 4; a workbook that says otherwise was typed from another
    source or another quarter, and the published annex would contradict the SRFT.
    """
    if e.indicadores.empty or e.indicadores_srft.empty:
        return
    srft = e.indicadores_srft.assign(_k=e.indicadores_srft["indicador"].map(normalizar))
    for _, r in e.indicadores[e.indicadores["mir"] == "Federal"].iterrows():
        par = srft[srft["_k"] == normalizar(r.get("indicador"))]
        if par.empty:
            continue
        s = par.iloc[0]
        donde = f"SRFT: {_lugar_srft(s, 'Nombre del Indicador').split(', clave')[0]}, clave {s.get('clave_indicador')}"
        meta = _num_o_nan(r.get("meta"))
        metas = [m for m in (_num_o_nan(s.get("meta_programada")), _num_o_nan(s.get("meta_modificada")))
                 if not math.isnan(m)]
        if not math.isnan(meta) and metas and all(_excede(meta, m, tol.valor_indicador) for m in metas):
            referencia = metas[-1]
            yield _hallazgo(
                "A4-SRFT-LIBRO", _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                                        _columna("meta")),
                f"la meta capturada ({_num(meta)}) no es la del SRFT (programada "
                f"{_num(_num_o_nan(s.get('meta_programada')))}, modificada {_num(_num_o_nan(s.get('meta_modificada')))}; "
                f"{donde}).", meta, referencia, round(meta - referencia, 4), r.get("fila"))
        for col, col_srft, tolerancia, que in (("avance", "realizado", tol.valor_indicador, "el avance"),
                                               ("avance_meta_reportado", "avance_reportado", tol.cumplimiento,
                                                "el avance con respecto a la meta")):
            rep, ref = _num_o_nan(r.get(col)), _num_o_nan(s.get(col_srft))
            if math.isnan(rep) or math.isnan(ref) or not _excede(rep, ref, tolerancia):
                continue
            mostrar = _pct if col == "avance_meta_reportado" else _num
            etiqueta = "Avance (%)" if col == "avance_meta_reportado" else "Realizado en el Periodo"
            yield _hallazgo(
                "A4-SRFT-LIBRO", _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                                        _columna(col)),
                f"{que} capturado ({mostrar(rep)}) no es el del SRFT («{etiqueta}» {mostrar(ref)}; {donde}).",
                rep, ref, round(rep - ref, 4), r.get("fila"))
