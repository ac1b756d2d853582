"""Anexo 1 rules (destino del gasto): the captured figures add up and agree with the SRFT."""

from __future__ import annotations

import math
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from asm_analysis.anexos import destino as destino_mod
from asm_analysis.auditoria.insumos import (MONTOS_DESTINO, Entradas, _columna, _excede, _lugar, _montos, _num_o_nan,
                                            _pct, _pesos)
from asm_analysis.auditoria.motor import Hallazgo, _anio_ajeno, _en_pesos, _hallazgo, _suma_distinta, regla
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.auditoria.tolerancias import nombre as nombre_tolerancia
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas import catalogos
from asm_analysis.entradas.almacen import COLUMNA_FUENTE
from asm_analysis.entradas import srft as srft_mod

MONTOS = MONTOS_DESTINO
MOMENTOS_SRFT = ["aprobado", "modificado", "devengado", "pagado"]


def _con_disponible(conceptos: pd.DataFrame) -> pd.DataFrame:
    """Concept rows with ``disponible`` as the computed Anexo 1 shows it: reported, else
    ``modificado - devengado``."""
    return conceptos.assign(disponible=conceptos["disponible"].fillna(conceptos["modificado"] - conceptos["devengado"]))


def _momentos_sumados(e: Entradas, tol: Tolerancias, id_regla: str, r: pd.Series, partes: pd.DataFrame, donde: str,
                      que: Callable[[str], str], suma: str, fila_anexo: tuple[str, str]) -> Iterator[Hallazgo]:
    """A reported sum row (``r``) against the sum of ``partes``, in each moment of the expense;
    ``fila_anexo`` is the row of the computed Anexo 1 it stands for (``("subtotal", "1000")``)."""
    for m in MONTOS:
        lugar = _lugar(e.origen_destino, "destino", r.get("fila"), donde, _columna(m))
        yield from _suma_distinta(id_regla, lugar, que(m), suma, r[m], round(float(partes[m].fillna(0).sum()), 2),
                                  tol.monto, r.get("fila"), celdas=(("anexo1", *fila_anexo, m),))


@regla("A1-SUBTOTAL", "error", "Anexo 1",
       "El subtotal reportado de cada capítulo es igual a la suma de sus conceptos, en cada momento del gasto "
       "(aprobado, modificado, devengado, pagado, disponible).", unidad="pesos")
def regla_a1_subtotal(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Each reported chapter subtotal equals the sum of the concepts listed in that chapter: the
    concepts typed under it, as the subtotal was made (a concept typed under a chapter it does not
    belong to is :func:`regla_a1_capitulo`'s finding; the computed Anexo 1 moves it)."""
    conceptos, subtotales, _ = e.partes_destino()
    conceptos = _con_disponible(conceptos)
    for _, r in subtotales.iterrows():
        cap = str(r["capitulo"])
        grupo = conceptos[conceptos["capitulo"].astype(str) == cap]
        yield from _momentos_sumados(e, tol, "A1-SUBTOTAL", r, grupo, f"capítulo {cap}",
                                     lambda m: f"el subtotal reportado del capítulo {cap} en {m}",
                                     f"la suma de sus {len(grupo)} conceptos", ("subtotal", cap))


@regla("A1-TOTAL", "error", "Anexo 1",
       "El gran total reportado es igual a la suma de todos los conceptos (la suma de los capítulos), en cada "
       "momento del gasto.", unidad="pesos")
def regla_a1_total(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """The reported grand total equals the sum of every concept (i.e. of the computed chapters)."""
    conceptos, _, totales = e.partes_destino()
    conceptos = _con_disponible(conceptos)
    for _, r in totales.iterrows():
        yield from _momentos_sumados(e, tol, "A1-TOTAL", r, conceptos, "gran total",
                                     lambda m: f"el gran total reportado en {m}",
                                     "la suma de los conceptos de todos los capítulos", ("total", ""))


def _conceptos_auditables(e: Entradas) -> tuple[pd.DataFrame, str]:
    """Concept rows of Anexo 1 as they come from the source: captured rows or SRFT concepts
    (computed once per audit)."""
    def calcular() -> tuple[pd.DataFrame, str]:
        if e.origen_destino == "captura" and not e.destino.empty:
            return e.partes_destino()[0], "captura"
        if e.origen_destino == "srft" and not e.srft.empty:
            det = e._una_vez("detalle_srft", lambda: destino_mod.detalle_desde_srft(e.srft)).assign(fila=np.nan)
            return _montos(det, MONTOS), "srft"
        return pd.DataFrame(), ""
    return e._una_vez("conceptos_auditables", calcular)


def _alguna(tabla: pd.DataFrame, condiciones: Callable[[dict[str, pd.Series]], list[pd.Series]],
            columnas: list[str]) -> pd.DataFrame:
    """The rows of ``tabla`` where one of ``condiciones`` (over its numeric ``columnas``) holds: the
    rows a rule must look at one by one, the others cannot give a finding. All the rows when one
    of the columns is missing or not float64 (the rule then decides row by row, as always): float64
    arithmetic on a column is then the arithmetic the rule does on each row's values."""
    if tabla.empty or not all(c in tabla and tabla[c].dtype == np.float64 for c in columnas):
        return tabla
    valores = {c: tabla[c] for c in columnas}
    candidatas = pd.Series(False, index=tabla.index)
    for condicion in condiciones(valores):
        candidatas |= condicion.fillna(False).astype(bool)
    return tabla[candidatas]


@regla("A1-MOMENTOS", "error", "Anexo 1",
       "En cada concepto, pagado ≤ devengado ≤ modificado cuando los importes están presentes.", unidad="pesos")
def regla_a1_momentos(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """pagado ≤ devengado ≤ modificado in every concept (pairs where both amounts are present)."""
    conceptos, origen = _conceptos_auditables(e)
    # only a concept where one amount exceeds the other by more than the tolerance can give a finding
    conceptos = _alguna(conceptos, lambda v: [v["devengado"] - v["modificado"] > tol.monto,
                                              v["pagado"] - v["devengado"] > tol.monto,
                                              v["pagado"] - v["modificado"] > tol.monto],
                        ["modificado", "devengado", "pagado"])
    for _, r in conceptos.iterrows():
        pares = [("devengado", "modificado"), ("pagado", "devengado")]
        if pd.isna(r["devengado"]):
            pares = [("pagado", "modificado")]
        for mayor, tope in pares:
            v, t = r[mayor], r[tope]
            if pd.isna(v) or pd.isna(t) or not (v - t > tol.monto and _excede(v, t, tol.monto)):
                continue
            lugar = _lugar(origen, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                           f"concepto {r['concepto']}", _columna(mayor))
            yield _en_pesos("A1-MOMENTOS", lugar,
                            f"el {mayor} ({_pesos(v)}) es mayor que el {tope} ({_pesos(t)}) del mismo concepto",
                            v, t, r.get("fila"), nota="Debe cumplirse pagado ≤ devengado ≤ modificado.",
                            celdas=(("anexo1", "concepto", str(r["concepto"]), mayor),))


def _linea_srft(r: pd.Series) -> str:
    """``SRFT (srft/archivo.csv), línea 7``: where an SRFT row is, as the user opens the file."""
    archivo = r.get(COLUMNA_FUENTE)
    quien = f"SRFT ({archivo})" if isinstance(archivo, str) and archivo else "SRFT"
    return f"{quien}, línea {int(r['fila'])}" if not es_faltante(r.get("fila")) else quien


@regla("A1-NEGATIVO", "error", "Anexo 1", "Ningún concepto tiene importes negativos.", unidad="pesos")
def regla_a1_negativo(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """No concept has a negative amount in any moment, and no SRFT partida row either (a negative
    partida may hide inside a positive concept sum; the SRFT is checked whatever feeds Anexo 1)."""
    if e.srft is not None and not e.srft.empty:
        momentos = [m for m in srft_mod.MOMENTOS if m in e.srft]
        # only a row with an amount below -0.005 can give a finding
        for _, r in _alguna(e.srft, lambda v: [v[m] < -0.005 for m in momentos], momentos).iterrows():
            for m in (m for m in srft_mod.MOMENTOS if m in r and pd.notna(r[m]) and r[m] < -0.005):
                partida = r.get("partida")
                que = f"partida {partida} (concepto {r['concepto']})" if partida else f"concepto {r['concepto']}"
                yield _hallazgo("A1-NEGATIVO", f"{_linea_srft(r)}, {que}, {_columna(m)}",
                                f"el importe {m} de la {que} en el SRFT es negativo ({_pesos(r[m])}).",
                                r[m], math.nan, math.nan, r.get("fila"))
    conceptos, origen = _conceptos_auditables(e)
    if origen == "srft":
        return  # its concepts are sums of the SRFT rows checked above
    for _, r in _alguna(conceptos, lambda v: [v[m] < -0.005 for m in MONTOS], MONTOS).iterrows():
        for m in (m for m in MONTOS if pd.notna(r[m]) and r[m] < -0.005):
            lugar = _lugar(origen, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                           f"concepto {r['concepto']}", _columna(m))
            yield _hallazgo("A1-NEGATIVO", lugar, f"el importe {m} es negativo ({_pesos(r[m])}).",
                            r[m], math.nan, math.nan, r.get("fila"), (("anexo1", "concepto", str(r["concepto"]), m),))


@regla("A1-DISPONIBLE", "error", "Anexo 1", "El disponible reportado de un concepto es igual a modificado − devengado.",
       unidad="pesos")
def regla_a1_disponible(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """A reported ``disponible`` of a concept equals ``modificado - devengado``."""
    for _, r in e.partes_destino()[0].iterrows():
        rep, mod, dev = r["disponible"], r["modificado"], r["devengado"]
        if pd.isna(rep) or pd.isna(mod) or pd.isna(dev):
            continue
        calc = round(mod - dev, 2)
        if not _excede(rep, calc, tol.monto):
            continue
        lugar = _lugar(e.origen_destino, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                       f"concepto {r['concepto']}", _columna("disponible"))
        yield _en_pesos("A1-DISPONIBLE", lugar,
                        f"el disponible reportado es {_pesos(rep)}, pero modificado − devengado = {_pesos(mod)} − "
                        f"{_pesos(dev)} = {_pesos(calc)}", rep, calc, r.get("fila"),
                        celdas=(("anexo1", "concepto", str(r["concepto"]), "disponible"),))


@regla("A1-CAPITULO", "error", "Anexo 1",
       "Cada concepto está en la fila del capítulo al que pertenece según el COG de CONAC.", unidad="capitulo")
def regla_a1_capitulo(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Concepts typed in a chapter row they do not belong to (COG roll-up)."""
    for _, r in e.partes_destino()[0].iterrows():
        try:
            correcto = catalogos.capitulo_de(r["concepto"])
        except ErrorEntrada:
            continue
        if es_faltante(r["capitulo"]) or str(r["capitulo"]) == correcto:
            continue
        lugar = _lugar(e.origen_destino, "destino", r.get("fila"), f"concepto {r['concepto']}", _columna("capitulo"))
        yield _hallazgo(
            "A1-CAPITULO", lugar,
            f"el concepto {r['concepto']} ({catalogos.nombre_concepto(r['concepto'])}) pertenece al capítulo "
            f"{correcto}, no al capítulo {r['capitulo']} que indica la fila; se suma en el capítulo {correcto} "
            "del Anexo 1 calculado.",
            _num_o_nan(r["capitulo"]), float(correcto), _num_o_nan(r["capitulo"]) - float(correcto),
            r.get("fila"), (("anexo1", "concepto", str(r["concepto"]), "capitulo"),))


@regla("A1-ETIQUETA-ANIO", "error", "Anexo 1",
       "Las etiquetas de subtotales y total no mencionan un año distinto del ciclo evaluado.", unidad="anio")
def regla_a1_etiqueta_anio(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Labels of reported subtotal/total rows that name a year other than the ciclo."""
    _, subtotales, totales = e.partes_destino()
    for _, r in pd.concat([subtotales, totales]).iterrows():
        cap = "gran total" if str(r["capitulo"]).upper() == "TOTAL" else f"subtotal capítulo {r['capitulo']}"
        lugar = _lugar(e.origen_destino, "destino", r.get("fila"), cap, _columna("descripcion"))
        yield from _anio_ajeno("A1-ETIQUETA-ANIO", lugar, "la etiqueta", r.get("descripcion"), e.ciclo, r.get("fila"),
                               cog=True)


@regla("A1-SRFT", "error", "Anexo 1",
       "Los totales por capítulo del Anexo 1 coinciden con lo publicado por la SHCP en el SRFT para el mismo estado, "
       "ciclo y fondo.", unidad="pesos")
def regla_a1_srft(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Chapter totals of the captured Anexo 1 against the SRFT of the same (estado, ciclo, fondo)."""
    conceptos = e.partes_destino()[0]
    if conceptos.empty or e.srft.empty:
        return
    conceptos = conceptos.assign(_cap=conceptos["concepto"].map(catalogos.capitulo_de))
    reportado = conceptos.groupby("_cap")[MOMENTOS_SRFT].sum(min_count=1)
    shcp = _montos(e.srft, MOMENTOS_SRFT).groupby("capitulo")[MOMENTOS_SRFT].sum(min_count=1)
    partidas = _partidas_srft(e.srft)
    for cap in sorted(set(reportado.index) | set(shcp.index)):
        for m in MOMENTOS_SRFT:
            rep = reportado[m].get(cap, 0.0) if cap in reportado.index else 0.0
            calc = shcp[m].get(cap, 0.0) if cap in shcp.index else 0.0
            if pd.isna(rep) or pd.isna(calc):
                continue
            rep, calc = round(float(rep), 2), round(float(calc), 2)
            if _excede(rep, calc, tol.monto):
                de_donde = partidas.get(cap, "ninguna partida del SRFT")
                yield _en_pesos("A1-SRFT", f"capítulo {cap}, {_columna(m)}",
                                f"el Anexo 1 suma {_pesos(rep)} en {m} para el capítulo {cap}, y el SRFT de la SHCP "
                                f"publica {_pesos(calc)} ({de_donde})", rep, calc,
                                celdas=(("anexo1", "subtotal", cap, m),))


def _partidas_srft(filas: pd.DataFrame) -> dict[str, str]:
    """Chapter → the SRFT partidas behind its figure and the quarter each came from, in words:
    «partidas 113 y 154, trimestre 4» (the quarters named when they differ)."""
    if filas is None or filas.empty or "partida" not in filas:
        return {}
    salida = {}
    for cap, g in filas.groupby("capitulo"):
        por_trimestre = {}
        for _, r in g.drop_duplicates(["partida", "trimestre"] if "trimestre" in g else ["partida"]).iterrows():
            t = int(r["trimestre"]) if "trimestre" in g and pd.notna(r.get("trimestre")) else None
            por_trimestre.setdefault(t, []).append(str(r["partida"]))
        partes = []
        for t, lista in sorted(por_trimestre.items(), key=lambda x: -(x[0] or 0)):
            lista = sorted(set(lista))
            nombre = f"partida {lista[0]}" if len(lista) == 1 else f"partidas {', '.join(lista[:-1])} y {lista[-1]}"
            partes.append(nombre + (f", trimestre {t}" if t is not None else ""))
        salida[str(cap)] = "; ".join(partes)
    return salida


@regla("A1-SRFT-PROGRAMA", "error", "Anexo 1",
       "En el SRFT, los importes de un registro de nivel programa presupuestario coinciden con la suma de sus "
       "partidas (mismo ciclo, trimestre, estado, municipio, ciclo del recurso, programa y ejecutora).", unidad="pesos")
def regla_a1_srft_programa(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Amounts of an SRFT programme-level row against the sum of its partidas (same key)."""
    t = e.srft_programa
    if t is None or t.empty:
        return
    for _, r in t.iterrows():
        rep, calc = round(float(r["reportado"]), 2), round(float(r["calculado"]), 2)
        if not _excede(rep, calc, tol.monto):
            continue
        quien = "estatal" if int(r["id_municipio"]) == 0 else f"municipio {r.get('municipio') or r['id_municipio']}"
        lugar = (f"SRFT, registro de nivel programa (línea {int(r['fila'])}), {r['modalidad_pp']}, trimestre "
                 f"{int(r['trimestre'])}, {quien}, {_columna(r['momento'])}")
        yield _en_pesos(
            "A1-SRFT-PROGRAMA", lugar,
            f"el registro del programa reporta {_pesos(rep)} en {r['momento']}, pero sus {int(r['partidas'])} "
            f"partida(s) suman {_pesos(calc)} (ejecutora «{r['ejecutora']}», ciclo del recurso "
            f"{int(r['ciclo_recurso'])})", rep, calc, r["fila"], nota="El Anexo 1 se calcula con las partidas.")


@regla("A1-SRFT-CORTE", "advertencia", "Anexo 1",
       "Corte parcial del SRFT: el último trimestre reportado no cubre todas las partidas del fondo; las demás se "
       "toman de su último trimestre (nunca se suman trimestres).", unidad="conteo")
def regla_a1_srft_corte(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """A partial last SRFT quarter: some partidas come from an earlier cut (said, with the amounts)."""
    if e.srft is None or e.srft.empty or "trimestre" not in e.srft:
        return
    cortes = srft_mod.resumen_cortes(e.srft)
    if len(cortes) < 2:
        return
    ultimo, anteriores = cortes.iloc[0], cortes.iloc[1:]
    total = int(cortes["partidas"].sum())
    previas = int(anteriores["partidas"].sum())
    de_cada = ", ".join(f"{int(a.partidas)} del trimestre {int(a.trimestre)}" for a in anteriores.itertuples())
    origen = (f"del trimestre {int(anteriores['trimestre'].iloc[0])}" if len(anteriores) == 1
              else f"de trimestres anteriores ({de_cada})")
    conceptos = "; ".join(f"trimestre {int(c.trimestre)}: {', '.join(c.conceptos)}" for c in cortes.itertuples())
    devengado, modificado = float(anteriores["devengado"].sum()), float(anteriores["modificado"].sum())
    yield _hallazgo(
        "A1-SRFT-CORTE", f"SRFT, trimestre {int(ultimo['trimestre'])}",
        f"el trimestre {int(ultimo['trimestre'])} solo reporta {int(ultimo['partidas'])} de {total} partidas; "
        f"{previas} se tomaron {origen}, con {_pesos(modificado)} de modificado y {_pesos(devengado)} de "
        f"devengado en el Anexo 1 (conceptos por corte: {conceptos}). Los trimestres no se suman; confirme con "
        "la SHCP o la ejecutora si el último corte está incompleto.",
        float(ultimo["partidas"]), float(total), float(ultimo["partidas"] - total))


@regla("A1-SRFT-ESTATUS", "advertencia", "Anexo 1",
       "Filas de la exportación del sistema SRFT sin validar (ESTATUS «Rechazado», «En captura» u otro distinto de "
       "«Validado»): se dejan fuera del Anexo 1 y se dice cuáles son.", unidad="pesos")
def regla_a1_srft_estatus(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """SRFT system rows of this fund, state and year left out of Anexo 1 for their status, per status."""
    for x in srft_mod.resumen_no_validadas(e.srft_no_validadas).itertuples():
        archivo = f"SRFT ({x.archivo})" if x.archivo else "SRFT"
        yield _hallazgo(
            "A1-SRFT-ESTATUS", f"{archivo}, línea(s) {x.lineas}, {_columna('ESTATUS')}",
            f"{int(x.filas)} fila(s) con ESTATUS «{x.estatus}» no se sumaron al Anexo 1 (modificado "
            f"{_pesos(x.modificado)}, devengado {_pesos(x.devengado)}): solo entran las cifras validadas por la SHCP.",
            float(x.modificado), math.nan, math.nan)


@regla("A1-EJECUCION", "advertencia", "Anexo 1",
       "Ejecución baja: devengado / modificado de un capítulo o del gran total por debajo del umbral (90 % por "
       "omisión).", unidad="porcentaje")
def regla_a1_ejecucion(e: Entradas, tol: Tolerancias) -> Iterator[Hallazgo]:
    """Chapters and grand total whose devengado / modificado is below the low-execution threshold."""
    if e.anexo1 is None or e.anexo1.empty:
        return
    for _, r in e.anexo1[e.anexo1["tipo_fila"].isin(["subtotal", "total"])].iterrows():
        mod, dev = r["modificado"], r["devengado"]
        if pd.isna(mod) or mod <= 0 or pd.isna(dev):
            continue
        pct = round(dev / mod * 100, 2)
        if pct >= tol.ejecucion_baja:
            continue
        nombre = "gran total" if r["tipo_fila"] == "total" else f"capítulo {r['capitulo']}"
        yield _hallazgo(
            "A1-EJECUCION", f"{nombre}, {_columna('devengado')}",
            f"se devengó {_pct(pct)} del modificado ({_pesos(dev)} de {_pesos(mod)}), por debajo del umbral de "
            f"{nombre_tolerancia('ejecucion_baja')} de {_pct(tol.ejecucion_baja)}; sin devengar {_pesos(round(mod - dev, 2))}.",
            math.nan, pct, math.nan, math.nan)
