#!/usr/bin/env python
"""Deterministic generator of the synthetic demo inputs (DATOS DEMO SINTÉTICOS).

Writes, under ``--out`` (default ``data/demo/raw`` of the repository, kept apart from the
published data in ``data/raw`` so the two are never read together):

- ``srft/ejercicio_del_gasto_<ciclo>_demo.csv``: SHCP SRFT "Ejercicio del gasto" layout,
  latin-1, cumulative quarterly cuts (2023 has TRIMESTRE 5, the informe definitivo, and the
  variant header ``PROGRAMA_FONDO_CONVENIO_ESPECIFICO``), FASSA plus other Ramo 33 funds and
  municipal rows that the tool must filter out, and carried-over money
  (``CICLO_RECURSO = CICLO - 1``).
- ``indicadores/demo_indicadores.csv``, ``concurrencia/demo_concurrencia.csv`` and
  ``asm/demo_asm.csv``: national CSVs in the project's own format (DESIGN §3c), UTF-8.
- ``proyectos/proyectos_FASSA_<estado>_2024_demo.xlsx`` for Durango, Nayarit and Zacatecas: the
  SRFT project module export (destino del gasto), 3rd and 4th quarters; and, under ``--solo-srft``
  (default ``data/demo/exportaciones_srft/raw``), a second demo data folder holding only SRFT
  exports of those states: the same project exports and the readable Excel export of the
  ejercicio (4th quarter; Nayarit's saved as CSV), the same figures as the national demo file.
- ``srft_indicadores/srft_indicadores_<ciclo>_demo.xlsx|csv``: the SRFT *Indicadores* module export
  (30 columns) for a few states (:data:`CVES_SRFT_INDICADORES`), the last ciclo as the system gives
  it (.xlsx), the one before saved as CSV; same figures as the national CSV.

Everything comes from ``numpy.random.default_rng`` seeded with constants (never the clock),
so two runs give byte-identical files. ``--scale N`` multiplies the number of SRFT rows by
adding synthetic municipal rows (FAIS, FORTAMUN and a few FASSA municipal rows) that the tool
filters out by default; state-level rows, and therefore every figure of the reports, are the
same at any scale. SRFT files are written streaming, one (trimestre, estado) block at a time.

Usage: ``python scripts/generar_demo.py [--out data/demo/raw] [--scale 1.0] [--ciclos 2023 2024]``
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from asm_analysis.entradas.srft_indicadores import ENCABEZADO as ENCABEZADO_SRFT_INDICADORES
from asm_analysis.entradas.srft_legible import COLUMNAS as ENCABEZADO_LEGIBLE
from asm_analysis.entradas.srft_proyectos import COLUMNAS as COLUMNAS_PROYECTOS
from asm_analysis.entradas.srft_proyectos import GRUPOS as GRUPOS_PROYECTOS

SEED = 20240930

# ---------------------------------------------------------------------------------------------
# Planted mistakes (fixtures for the audit). Only these three states carry errors, and only in
# CICLO_ERRORES; every other (estado, ciclo) is fully consistent.
#   - Coahuila (05), concurrencia: the Federal subtotal monto is off by +1,250,000.00 and its
#     porcentaje is copied from the Federal subtotal of another state (Colima, 06).
#   - Jalisco (14), indicadores: the maternal mortality ratio (descending) has avance above meta
#     (goal missed) but avance_meta_reportado "100%"; the FASSA-gasto-a-la-persona indicator
#     (ascending) reached 104 % of its meta but is reported "100%"; the prior-year columns of
#     the "Médicos generales y especialistas…" indicator copy its own 2024 meta/avance.
#   - Veracruz (30), asm: one action with avance 120, one action whose fecha_termino is before
#     its fecha_inicio, and one ASM (single action) with an empty aspecto.
# ---------------------------------------------------------------------------------------------
CICLO_ERRORES = 2024
ERROR_CONCURRENCIA_CVE = "05"
ERROR_CONCURRENCIA_DELTA = 1_250_000.00
ERROR_CONCURRENCIA_PCT_DE = "06"
ERROR_INDICADORES_CVE = "14"
ERROR_INDICADORES_CUMPLIMIENTO_EXCEDIDO = 1.04
ERROR_ASM_CVE = "30"
ERROR_ASM_AVANCE = 120

FECHA_CORTE_ASM = dt.date(2025, 9, 30)
PRIMER_CICLO_INDICADORES = 2023       # prior-year indicator columns stay empty for this year
CICLOS_CON_DEFINITIVO = (2023,)       # years whose SRFT file has TRIMESTRE 5
CICLOS_ENCABEZADO_VARIANTE = (2023,)  # years that name the column PROGRAMA_FONDO_CONVENIO_ESPECIFICO
OBSERVACION = "DATOS DEMO SINTÉTICOS"
COMENTARIO_DEMO = "Datos demo sintéticos"

COLUMNAS_SRFT = [
    "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MUNICIPIO",
    "ID_TIPO_DE_REGISTRO", "TIPO_DE_REGISTRO", "CICLO_RECURSO", "ID_TIPO_RECURSO", "TIPO_RECURSO",
    "ID_RAMO", "DESC_RAMO", "MODALIDAD_PP", "DESC_PP", "PROG_FONDO_CONVENIO_ESPECIFICO",
    "INSTITUCION_EJECUTORA", "ID_TIPO_GASTO", "DESC_TIPO_GASTO", "ID_PARTIDA_GENERICA",
    "DESC_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO",
    "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "OBSERVACIONES_CAPTURISTA",
]
MONTOS = ["MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO", "MONTO_COMPROMETIDO",
          "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO"]

# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------
# cve: (ENTIDAD_FEDERATIVA as INEGI writes it, FASSA aprobado 2024 in millions of pesos,
#       FASSA executing agency, two municipalities (INEGI code, name))
ESTADOS = {
    "01": ("Aguascalientes", 2230, "Instituto de Servicios de Salud del Estado de Aguascalientes",
           [(1, "Aguascalientes"), (5, "Jesús María")]),
    "02": ("Baja California", 3900, "Servicios de Salud de Baja California", [(2, "Mexicali"), (4, "Tijuana")]),
    "03": ("Baja California Sur", 1450, "Servicios de Salud de Baja California Sur",
           [(3, "La Paz"), (8, "Los Cabos")]),
    "04": ("Campeche", 1750, "Servicios de Salud de Campeche", [(2, "Campeche"), (3, "Carmen")]),
    "05": ("Coahuila de Zaragoza", 3100, "Servicios de Salud de Coahuila de Zaragoza",
           [(30, "Saltillo"), (35, "Torreón")]),
    "06": ("Colima", 1250, "Servicios de Salud del Estado de Colima", [(2, "Colima"), (7, "Manzanillo")]),
    "07": ("Chiapas", 6800, "Instituto de Salud del Estado de Chiapas",
           [(89, "Tapachula"), (101, "Tuxtla Gutiérrez")]),
    "08": ("Chihuahua", 4200, "Servicios de Salud de Chihuahua", [(19, "Chihuahua"), (37, "Juárez")]),
    "09": ("Ciudad de México", 10500, "Servicios de Salud Pública de la Ciudad de México",
           [(5, "Gustavo A. Madero"), (7, "Iztapalapa")]),
    "10": ("Durango", 2600, "Servicios de Salud de Durango", [(5, "Durango"), (7, "Gómez Palacio")]),
    "11": ("Guanajuato", 6000, "Instituto de Salud Pública del Estado de Guanajuato",
           [(17, "Irapuato"), (20, "León")]),
    "12": ("Guerrero", 5800, "Servicios Estatales de Salud de Guerrero",
           [(1, "Acapulco de Juárez"), (29, "Chilpancingo de los Bravo")]),
    "13": ("Hidalgo", 3900, "Servicios de Salud de Hidalgo", [(48, "Pachuca de Soto"), (77, "Tulancingo de Bravo")]),
    "14": ("Jalisco", 7800, "Servicios de Salud Jalisco", [(39, "Guadalajara"), (120, "Zapopan")]),
    "15": ("México", 12000, "Instituto de Salud del Estado de México",
           [(33, "Ecatepec de Morelos"), (106, "Toluca")]),
    "16": ("Michoacán de Ocampo", 5300, "Servicios de Salud de Michoacán", [(53, "Morelia"), (102, "Uruapan")]),
    "17": ("Morelos", 2600, "Servicios de Salud de Morelos", [(6, "Cuautla"), (7, "Cuernavaca")]),
    "18": ("Nayarit", 2000, "Servicios de Salud de Nayarit", [(17, "Tepic"), (20, "Bahía de Banderas")]),
    "19": ("Nuevo León", 4600, "Servicios de Salud de Nuevo León", [(26, "Guadalupe"), (39, "Monterrey")]),
    "20": ("Oaxaca", 5600, "Servicios de Salud de Oaxaca",
           [(43, "Heroica Ciudad de Juchitán de Zaragoza"), (67, "Oaxaca de Juárez")]),
    "21": ("Puebla", 6200, "Servicios de Salud del Estado de Puebla", [(114, "Puebla"), (156, "Tehuacán")]),
    "22": ("Querétaro", 2400, "Servicios de Salud del Estado de Querétaro",
           [(14, "Querétaro"), (16, "San Juan del Río")]),
    "23": ("Quintana Roo", 2200, "Servicios Estatales de Salud de Quintana Roo",
           [(4, "Othón P. Blanco"), (5, "Benito Juárez")]),
    "24": ("San Luis Potosí", 3300, "Servicios de Salud de San Luis Potosí",
           [(13, "Ciudad Valles"), (28, "San Luis Potosí")]),
    "25": ("Sinaloa", 3600, "Servicios de Salud de Sinaloa", [(6, "Culiacán"), (12, "Mazatlán")]),
    "26": ("Sonora", 3700, "Servicios de Salud de Sonora", [(18, "Cajeme"), (30, "Hermosillo")]),
    "27": ("Tabasco", 3900, "Servicios de Salud del Estado de Tabasco", [(2, "Cárdenas"), (4, "Centro")]),
    "28": ("Tamaulipas", 4300, "Servicios de Salud de Tamaulipas", [(32, "Reynosa"), (41, "Victoria")]),
    "29": ("Tlaxcala", 1900, "Salud de Tlaxcala", [(5, "Apizaco"), (33, "Tlaxcala")]),
    "30": ("Veracruz de Ignacio de la Llave", 8900, "Servicios de Salud de Veracruz",
           [(87, "Xalapa"), (193, "Veracruz")]),
    "31": ("Yucatán", 2900, "Servicios de Salud de Yucatán", [(50, "Mérida"), (102, "Valladolid")]),
    "32": ("Zacatecas", 2500, "Servicios de Salud de Zacatecas", [(17, "Guadalupe"), (56, "Zacatecas")]),
}
CVES = sorted(ESTADOS)
CRECIMIENTO_ANUAL = 1.055  # FASSA 2024 vs 2023, roughly

# Partidas genéricas (CONAC Clasificador por Objeto del Gasto): partida -> (name, base weight
# inside its chapter). The FASSA pool has 26 partidas in chapters 1000, 2000, 3000 and 5000.
PARTIDAS = {
    "113": "Sueldos base al personal permanente",
    "122": "Sueldos base al personal eventual",
    "131": "Primas por años de servicios efectivos prestados",
    "132": "Primas de vacaciones, dominical y gratificación de fin de año",
    "134": "Compensaciones",
    "141": "Aportaciones de seguridad social",
    "143": "Aportaciones al sistema para el retiro",
    "154": "Prestaciones contractuales",
    "159": "Otras prestaciones sociales y económicas",
    "211": "Materiales, útiles y equipos menores de oficina",
    "216": "Material de limpieza",
    "221": "Productos alimenticios para personas",
    "253": "Medicinas y productos farmacéuticos",
    "254": "Materiales, accesorios y suministros médicos",
    "255": "Materiales, accesorios y suministros de laboratorio",
    "261": "Combustibles, lubricantes y aditivos",
    "311": "Energía eléctrica",
    "313": "Agua",
    "339": "Servicios profesionales, científicos y técnicos integrales",
    "351": "Conservación y mantenimiento menor de inmuebles",
    "354": "Instalación, reparación y mantenimiento de equipo e instrumental médico y de laboratorio",
    "358": "Servicios de limpieza y manejo de desechos",
    "398": "Impuesto sobre nóminas y otros que se deriven de una relación laboral",
    "515": "Equipo de cómputo y de tecnologías de la información",
    "531": "Equipo médico y de laboratorio",
    "532": "Instrumental médico y de laboratorio",
    "612": "Edificación no habitacional",
    "613": "Construcción de obras para el abastecimiento de agua, petróleo, gas, electricidad y telecomunicaciones",
    "614": "División de terrenos y construcción de obras de urbanización",
    "615": "Construcción de vías de comunicación",
    "622": "Edificación no habitacional",
    "627": "Instalaciones y equipamiento en construcciones",
}
PESOS_FASSA = {
    "1000": {"113": 0.36, "122": 0.05, "131": 0.03, "132": 0.11, "134": 0.08, "141": 0.12,
             "143": 0.05, "154": 0.14, "159": 0.06},
    "2000": {"211": 0.04, "216": 0.03, "221": 0.06, "253": 0.45, "254": 0.28, "255": 0.09, "261": 0.05},
    "3000": {"311": 0.22, "313": 0.05, "339": 0.18, "351": 0.12, "354": 0.10, "358": 0.13, "398": 0.20},
    "5000": {"515": 0.25, "531": 0.55, "532": 0.20},
}
POOL_FASSA = [p for pesos in PESOS_FASSA.values() for p in pesos]

DESC_RAMO_33 = "Aportaciones Federales para Entidades Federativas y Municipios"
TIPO_RECURSO = (1, "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)")
TIPO_REGISTRO = (1, "Gasto")
TIPOS_GASTO = {1: "Gasto Corriente", 2: "Gasto de Capital"}

# fondo key -> (MODALIDAD_PP, DESC_PP, PROG_FONDO_CONVENIO_ESPECIFICO)
FONDOS = {
    "FASSA": ("I002", "FASSA", "Fondo de Aportaciones para los Servicios de Salud"),
    "FAIS": ("I004", "FAIS Municipal y de las Demarcaciones Territoriales del Distrito Federal",
             "Fondo de Aportaciones para la Infraestructura Social"),
    "FORTAMUN": ("I005", "FORTAMUN",
                 "Fondo de Aportaciones para el Fortalecimiento de los Municipios y de las "
                 "Demarcaciones Territoriales del Distrito Federal"),
    "FAM": ("I007", "FAM Infraestructura Educativa Básica", "Fondo de Aportaciones Múltiples"),
}
# Municipal template: (fondo, partida, median annual aprobado in pesos). Used for the scale-1
# municipal rows and, cycled, for the synthetic municipalities added by --scale.
PLANTILLA_MUNICIPAL = [
    ("FASSA", "351", 2.5e6),
    ("FAIS", "612", 18e6), ("FAIS", "613", 25e6), ("FAIS", "614", 30e6), ("FAIS", "615", 22e6),
    ("FORTAMUN", "113", 60e6), ("FORTAMUN", "261", 12e6), ("FORTAMUN", "311", 15e6),
    ("FORTAMUN", "398", 4e6),
]
PARTIDAS_FAM = [("622", 0.78), ("627", 0.22)]
ID_MUNICIPIO_SINTETICO = 600  # first code of the municipalities added by --scale (real codes end at 570)


def rng_para(*claves: int) -> np.random.Generator:
    """A generator that depends only on SEED and the given keys (never on scale or order)."""
    return np.random.default_rng([SEED, *claves])


def capitulo(partida: str) -> str:
    return partida[0] + "000"


def tipo_gasto(partida: str) -> int:
    return 2 if partida[0] in "56" else 1


def trimestres(ciclo: int) -> list[int]:
    return [1, 2, 3, 4, 5] if ciclo in CICLOS_CON_DEFINITIVO else [1, 2, 3, 4]


# ---------------------------------------------------------------------------------------------
# Quarterly cumulative paths of the momentos del gasto
# ---------------------------------------------------------------------------------------------
# Cumulative share of the year's devengado by quarter, per chapter digit (payroll linear,
# capital back-loaded).
RITMO = np.zeros((10, 4))
RITMO[1] = [0.24, 0.49, 0.745, 1.0]
RITMO[2] = [0.18, 0.42, 0.68, 1.0]
RITMO[3] = [0.2, 0.45, 0.7, 1.0]
RITMO[5] = [0.0, 0.1, 0.35, 1.0]
RITMO[6] = [0.05, 0.2, 0.5, 1.0]


def trayectorias(rng: np.random.Generator, aprobado: np.ndarray, cap: np.ndarray, nq: int,
                 arrastre: np.ndarray | None = None, desde: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Cumulative amounts per quarter, arrays of shape (nq, n), already rounded to cents.

    ``cap`` is the first digit of the chapter (1, 2, 3, 5, 6) and drives the spending rhythm:
    payroll is linear, capital is back-loaded. ``arrastre`` marks carried-over rows (no
    aprobado, a remanente known from the first quarter); ``desde`` is the first quarter in which
    a row exists (rows created by a mid-year budget adjustment have aprobado 0).
    Guarantees per row and quarter: comprometido >= devengado >= ejercido >= pagado, devengado
    <= modificado, every momento non-decreasing across quarters except modificado.
    """
    n = aprobado.shape[0]
    arrastre = np.zeros(n, bool) if arrastre is None else arrastre
    desde = np.ones(n, int) if desde is None else desde
    # Final (Q4) modificado: a third unchanged, payroll mostly enlarged, the rest +-15 %.
    cambio = np.where(cap == 1, rng.normal(0.02, 0.03, n), rng.normal(0.0, 0.07, n)).clip(-0.15, 0.15)
    cambio[rng.random(n) < 0.35] = 0.0
    m_final = np.round(aprobado * (1 + cambio), 2)
    base = np.where(aprobado > 0, aprobado, m_final)
    cuando = rng.integers(1, 5, n)  # quarter in which the adjustment is recorded
    q = np.arange(1, nq + 1)[:, None]
    modificado = np.where(q >= cuando, m_final, base)
    modificado = np.where(arrastre | (aprobado == 0), m_final, modificado)
    if nq == 5:  # informe definitivo: a few closing adjustments
        ajuste = np.where(rng.random(n) < 0.3, rng.uniform(-0.005, 0.005, n), 0.0)
        modificado[4] = np.round(modificado[3] * (1 + ajuste), 2)
    m_ult = modificado[-1]

    # Share of the last modificado finally devengado (90-100 %, payroll ~ all of it).
    d = np.where(cap == 1, rng.uniform(0.985, 1.0, n), rng.uniform(0.90, 1.0, n))
    d = np.where(rng.random(n) < 0.4, np.minimum(d + 0.03, 1.0), d)
    d[arrastre] = rng.uniform(0.65, 1.0, int(arrastre.sum()))
    dev_ult = d * m_ult
    comp_ult = dev_ult + rng.uniform(0.0, 0.8, n) * (m_ult - dev_ult)
    e = rng.uniform(0.985, 1.0, n)
    p = rng.uniform(0.97, 1.0, n)

    # Cumulative progress g (non-decreasing, last quarter = 1).
    g4 = RITMO[cap].T  # (4, n)
    g4[:3] = np.clip(g4[:3] * rng.uniform(0.85, 1.1, (1, n)), 0, 0.8)
    if nq == 5:
        ultimo_q4 = rng.uniform(0.97, 1.0, n)
        g = np.vstack([g4[:3] * ultimo_q4, ultimo_q4, np.ones(n)])
    else:
        g = g4
    # Rows that only exist from quarter ``desde``: nothing before, renormalised rhythm after.
    g = np.where(q < desde, 0.0, g)
    devengado = np.minimum(g * dev_ult, modificado)
    comprometido = np.maximum(np.minimum(g * comp_ult, modificado), devengado)
    frac_e = np.array([0.97, 0.98, 0.99, 1.0, 1.0])[:nq, None]
    frac_p = np.array([0.92, 0.95, 0.97, 1.0, 1.0])[:nq, None]
    ejercido = devengado * e * frac_e
    pagado = ejercido * p * frac_p
    ministrado = np.array([0.25, 0.5, 0.75, 1.0, 1.0])[:nq, None]
    recaudado = np.where(arrastre, m_ult, m_ult * ministrado)
    recaudado = np.where(q < desde, 0.0, recaudado)
    aprob = np.broadcast_to(aprobado, (nq, n))
    out = {"MONTO_APROBADO": aprob, "MONTO_MODIFICADO": modificado, "MONTO_RECAUDADO": recaudado,
           "MONTO_COMPROMETIDO": comprometido, "MONTO_DEVENGADO": devengado,
           "MONTO_EJERCIDO": ejercido, "MONTO_PAGADO": pagado}
    return {k: np.round(v, 2) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# SRFT rows
# ---------------------------------------------------------------------------------------------
def _fila(ciclo: int, cve: str, fondo: str, partida: str, municipio: tuple[int, str] | None,
          ejecutora: str, ciclo_recurso: int) -> dict:
    modalidad, desc_pp, programa = FONDOS[fondo]
    tg = tipo_gasto(partida)
    return {
        "CICLO": ciclo, "ID_ENTIDAD_FEDERATIVA": int(cve), "ENTIDAD_FEDERATIVA": ESTADOS[cve][0],
        "ID_MUNICIPIO": municipio[0] if municipio else 0, "MUNICIPIO": municipio[1] if municipio else "",
        "ID_TIPO_DE_REGISTRO": TIPO_REGISTRO[0], "TIPO_DE_REGISTRO": TIPO_REGISTRO[1],
        "CICLO_RECURSO": ciclo_recurso, "ID_TIPO_RECURSO": TIPO_RECURSO[0], "TIPO_RECURSO": TIPO_RECURSO[1],
        "ID_RAMO": 33, "DESC_RAMO": DESC_RAMO_33, "MODALIDAD_PP": modalidad, "DESC_PP": desc_pp,
        "PROG_FONDO_CONVENIO_ESPECIFICO": programa, "INSTITUCION_EJECUTORA": ejecutora,
        "ID_TIPO_GASTO": tg, "DESC_TIPO_GASTO": TIPOS_GASTO[tg], "ID_PARTIDA_GENERICA": int(partida),
        "DESC_PARTIDA_GENERICA": PARTIDAS[partida], "OBSERVACIONES_CAPTURISTA": OBSERVACION,
    }


def filas_base_estado(ciclo: int, cve: str) -> pd.DataFrame:
    """Scale-1 rows of one state and year, all quarters (long format, ``TRIMESTRE`` column)."""
    rng = rng_para(ciclo, int(cve), 1)
    estructura = rng_para(int(cve), 7)  # the state's budget structure, stable across years
    nombre, fassa_2024, ejecutora, municipios = ESTADOS[cve]
    total = fassa_2024 * 1e6 * CRECIMIENTO_ANUAL ** (ciclo - 2024) * rng.uniform(0.98, 1.02)
    specs: list[dict] = []
    aprob: list[float] = []
    arr: list[bool] = []
    desde: list[int] = []

    # FASSA, state level: chapter shares, then partidas inside each chapter (the structure is
    # the state's own, with a little yearly noise).
    c1 = estructura.uniform(0.71, 0.79) + rng.uniform(-0.01, 0.01)
    c5 = estructura.uniform(0.006, 0.02) * rng.uniform(0.7, 1.3)
    c2 = (1 - c1 - c5) * (estructura.uniform(0.50, 0.60) + rng.uniform(-0.02, 0.02))
    cuotas = {"1000": c1, "2000": c2, "3000": 1 - c1 - c2 - c5, "5000": c5}
    cantidad = {"1000": 9 if estructura.random() < 0.8 else 8, "2000": int(estructura.integers(4, 7)),
                "3000": int(estructura.integers(4, 7)), "5000": int(estructura.integers(1, 3))}
    elegidas: list[str] = []
    for cap_, pesos in PESOS_FASSA.items():
        claves = list(pesos)
        if cap_ == "1000" and cantidad[cap_] == 8:
            claves.remove("122")
        else:
            orden = estructura.permutation(len(claves))[: cantidad[cap_]]
            claves = [claves[i] for i in sorted(orden)]
        w = (np.array([pesos[k] for k in claves]) * estructura.lognormal(0, 0.25, len(claves))
             * rng.lognormal(0, 0.05, len(claves)))
        w = w / w.sum() * cuotas[cap_] * total
        for k, monto in zip(claves, w):
            specs.append(_fila(ciclo, cve, "FASSA", k, None, ejecutora, ciclo))
            aprob.append(round(float(monto), 2))
            arr.append(False)
            desde.append(1)
            elegidas.append(k)
    # A partida opened by a mid-year adjustment (aprobado 0, exists from Q3) in some states.
    sin_usar = [k for k in POOL_FASSA if k not in elegidas and k[0] in "235"]
    if sin_usar and rng.random() < 0.35:
        k = sin_usar[int(rng.integers(len(sin_usar)))]
        specs.append(_fila(ciclo, cve, "FASSA", k, None, ejecutora, ciclo))
        aprob.append(0.0)
        arr.append(False)
        desde.append(3)
    # Carried-over money (CICLO_RECURSO = CICLO - 1): remanentes spent this year (~5 % of rows).
    no_nomina = [x for x in elegidas if x[0] in "235"]
    for k in rng.choice(no_nomina, size=int(rng.choice([0, 1, 1, 1, 2])), replace=False):
        k = str(k)
        specs.append(_fila(ciclo, cve, "FASSA", k, None, ejecutora, ciclo - 1))
        aprob.append(0.0)
        arr.append(True)
        desde.append(1)
    # FAM Infraestructura Educativa Básica, state level (filtered out by fund).
    fam_total = total * rng.uniform(0.04, 0.08)
    for k, peso in PARTIDAS_FAM:
        specs.append(_fila(ciclo, cve, "FAM", k, None,
                           f"Instituto de Infraestructura Física Educativa de {nombre}", ciclo))
        aprob.append(round(fam_total * peso * rng.uniform(0.8, 1.2), 2))
        arr.append(False)
        desde.append(1)
    # Municipal rows (filtered out by default): FORTAMUN payroll in every municipality, one FAIS
    # work in about half of them, other FORTAMUN partidas now and then, FASSA in six states.
    fais = [i for i, (f, _, _) in enumerate(PLANTILLA_MUNICIPAL) if f == "FAIS"]
    for m in municipios:
        obra = fais[int(rng.integers(len(fais)))] if rng.random() < 0.5 else -1
        for j, (fondo, k, mediana) in enumerate(PLANTILLA_MUNICIPAL):
            if fondo == "FASSA" and not (int(cve) % 5 == 0 and m == municipios[0]):
                continue
            if fondo == "FAIS" and j != obra:
                continue
            if fondo == "FORTAMUN" and k != "113" and rng.random() >= 0.12:
                continue
            specs.append(_fila(ciclo, cve, fondo, k, m, f"Municipio de {m[1]}", ciclo))
            aprob.append(round(mediana * rng.lognormal(0, 0.5), 2))
            arr.append(False)
            desde.append(1)

    aprobado = np.array(aprob)
    arrastre = np.array(arr)
    desde_a = np.array(desde)
    # Carried-over and mid-year rows: their amount is a modificado, aprobado stays 0.
    extra = np.zeros(len(specs))
    extra[arrastre] = total * rng.uniform(0.0005, 0.004, int(arrastre.sum()))
    extra[(desde_a > 1)] = total * rng.uniform(0.0005, 0.002, int((desde_a > 1).sum()))
    cap = np.array([int(str(s["ID_PARTIDA_GENERICA"])[0]) for s in specs])
    nq = len(trimestres(ciclo))
    t = trayectorias(rng, np.where(extra > 0, np.round(extra, 2), aprobado), cap, nq, arrastre, desde_a)
    sin_aprobado = extra > 0
    t["MONTO_APROBADO"] = np.where(sin_aprobado, 0.0, t["MONTO_APROBADO"])

    meta = pd.DataFrame(specs)
    partes = []
    for i, tri in enumerate(trimestres(ciclo)):
        existe = desde_a <= tri
        bloque = meta[existe].copy()
        bloque.insert(1, "TRIMESTRE", tri)
        for col in MONTOS:
            bloque[col] = t[col][i][existe]
        partes.append(bloque)
    return pd.concat(partes, ignore_index=True)[COLUMNAS_SRFT]


def filas_replica(ciclo: int, cve: str, n: int, tri_idx: int) -> pd.DataFrame:
    """``n`` synthetic municipal rows of one state for quarter index ``tri_idx`` (--scale).

    The same arrays are regenerated for every quarter from a fixed seed, so each row follows a
    consistent cumulative path without keeping the whole year in memory.
    """
    rng = rng_para(ciclo, int(cve), 2)
    nq = len(trimestres(ciclo))
    k = len(PLANTILLA_MUNICIPAL)
    i = np.arange(n)
    combo = i % k
    id_mun = ID_MUNICIPIO_SINTETICO + i // k
    medianas = np.array([m for _, _, m in PLANTILLA_MUNICIPAL])
    aprobado = np.round(medianas[combo] * rng.lognormal(0, 0.5, n), 2)
    partidas = [p for _, p, _ in PLANTILLA_MUNICIPAL]
    cap = np.array([int(p[0]) for p in partidas])[combo]
    t = trayectorias(rng, aprobado, cap, nq)
    fondos = [f for f, _, _ in PLANTILLA_MUNICIPAL]
    tg = np.array([tipo_gasto(p) for p in partidas])[combo]
    nombre_mun = np.char.add("Municipio sintético ", id_mun.astype(str))
    df = pd.DataFrame({
        "CICLO": ciclo, "TRIMESTRE": trimestres(ciclo)[tri_idx], "ID_ENTIDAD_FEDERATIVA": int(cve),
        "ENTIDAD_FEDERATIVA": ESTADOS[cve][0], "ID_MUNICIPIO": id_mun, "MUNICIPIO": nombre_mun,
        "ID_TIPO_DE_REGISTRO": TIPO_REGISTRO[0], "TIPO_DE_REGISTRO": TIPO_REGISTRO[1],
        "CICLO_RECURSO": ciclo, "ID_TIPO_RECURSO": TIPO_RECURSO[0], "TIPO_RECURSO": TIPO_RECURSO[1],
        "ID_RAMO": 33, "DESC_RAMO": DESC_RAMO_33,
        "MODALIDAD_PP": np.array([FONDOS[f][0] for f in fondos])[combo],
        "DESC_PP": np.array([FONDOS[f][1] for f in fondos], dtype=object)[combo],
        "PROG_FONDO_CONVENIO_ESPECIFICO": np.array([FONDOS[f][2] for f in fondos], dtype=object)[combo],
        "INSTITUCION_EJECUTORA": np.char.add("Municipio de ", nombre_mun),
        "ID_TIPO_GASTO": tg, "DESC_TIPO_GASTO": np.array([TIPOS_GASTO[1], TIPOS_GASTO[2]])[tg - 1],
        "ID_PARTIDA_GENERICA": np.array([int(p) for p in partidas])[combo],
        "DESC_PARTIDA_GENERICA": np.array([PARTIDAS[p] for p in partidas], dtype=object)[combo],
        **{col: t[col][tri_idx] for col in MONTOS},
        "OBSERVACIONES_CAPTURISTA": OBSERVACION,
    })
    return df[COLUMNAS_SRFT]


ORDEN_SRFT = ["ID_MUNICIPIO", "ID_RAMO", "MODALIDAD_PP", "ID_PARTIDA_GENERICA", "CICLO_RECURSO"]


def escribir_srft(ciclo: int, base: dict[str, pd.DataFrame], ruta: Path, scale: float) -> int:
    """Stream the year's SRFT file, one (trimestre, estado) block at a time; returns rows."""
    encabezado = list(COLUMNAS_SRFT)
    if ciclo in CICLOS_ENCABEZADO_VARIANTE:
        encabezado[encabezado.index("PROG_FONDO_CONVENIO_ESPECIFICO")] = "PROGRAMA_FONDO_CONVENIO_ESPECIFICO"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    filas = 0
    tmp = ruta.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="latin-1", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(encabezado)
        for i, tri in enumerate(trimestres(ciclo)):
            for cve in CVES:
                b = base[cve]
                bloque = b[b["TRIMESTRE"] == tri]
                n_extra = int(round((scale - 1.0) * (b["TRIMESTRE"] == 1).sum()))
                if n_extra > 0:
                    bloque = pd.concat([bloque, filas_replica(ciclo, cve, n_extra, i)], ignore_index=True)
                bloque = bloque.sort_values(ORDEN_SRFT, kind="stable")
                bloque.to_csv(f, header=False, index=False, float_format="%.2f", lineterminator="\n")
                filas += len(bloque)
    tmp.replace(ruta)
    return filas


def fassa_modificado_estatal(base: pd.DataFrame, ciclo: int) -> float:
    """FASSA, state level, same-year money, last quarter: the concurrencia FASSA monto."""
    ult = max(trimestres(ciclo))
    sel = base[(base["TRIMESTRE"] == ult) & (base["MODALIDAD_PP"] == "I002") & (base["ID_RAMO"] == 33)
               & (base["ID_MUNICIPIO"] == 0) & (base["CICLO_RECURSO"] == ciclo)]
    return round(float(sel["MONTO_MODIFICADO"].sum()), 2)


# ---------------------------------------------------------------------------------------------
# Indicadores (MIR federal del FASSA)
# ---------------------------------------------------------------------------------------------
# (nivel, indicador, frecuencia, unidad, sentido, medios, meta range, share of yellow, of red,
#  range of compliance (as a fraction) when green)
INDICADORES = [
    ("Fin", "Razón de Mortalidad Materna de mujeres sin seguridad social.", "Anual", "Razón",
     "Descendente", "SEED; SINAC", (20.0, 45.0), 0.25, 0.12, (0.9, 1.25)),
    ("Propósito", "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico",
     "Anual", "Porcentaje", "Ascendente", "SINAC", (95.0, 99.9), 0.0, 0.0, (0.985, 1.02)),
    ("Componente", "Médicos generales y especialistas por cada mil habitantes (población no derechohabiente)",
     "Anual", "Tasa por 1,000 habitantes", "Ascendente", "SINERHIAS", (1.2, 2.5), 0.3, 0.06, (0.92, 1.1)),
    ("Componente", "Porcentaje de establecimientos de atención médica de las Instituciones Públicas del "
     "Sistema Nacional de Salud que implementa el Modelo de Gestión de Calidad en Salud MGCS y favorecen "
     "la cultura de seguridad de la atención médica.", "Anual", "Porcentaje", "Ascendente", "SIS; MGCS",
     (40.0, 100.0), 0.2, 0.1, (0.92, 1.1)),
    ("Actividad", "Porcentaje del gasto total del FASSA destinado a la Prestación de Servicios de salud a la "
     "Persona y Generación de Recursos para la salud", "Semestral", "Porcentaje", "Ascendente", "SIAFF",
     (65.0, 75.0), 0.08, 0.0, (0.95, 1.06)),
    ("Actividad", "Porcentaje del gasto total del FASSA destinado a la Prestación de Servicios de Salud a la "
     "Comunidad", "Semestral", "Porcentaje", "Ascendente", "SIAFF", (20.0, 30.0), 0.2, 0.05, (0.92, 1.1)),
    ("Actividad", "Porcentaje de atenciones para la salud programadas con recurso asignado", "Anual",
     "Porcentaje", "Ascendente", "SWIPPSS", (100.0, 100.0), 0.05, 0.0, (0.95, 1.0)),
]
JUSTIFICACIONES = [
    "La contratación de personal fue menor a la programada por restricciones presupuestales.",
    "El registro administrativo se cerró después de la fecha de corte programada.",
    "Se reprogramaron acciones durante la transición de los servicios de salud.",
    "La población objetivo estimada fue mayor a la registrada al cierre del año.",
    "Hubo retrasos en la ministración de recursos que afectaron la operación.",
    "La meta se calculó con una base de referencia que se actualizó durante el ejercicio.",
]


def _cumplimiento(sentido: str, meta: float, avance: float) -> float:
    return avance / meta * 100 if sentido == "Ascendente" else meta / avance * 100


def _valores_indicador(rng: np.random.Generator, spec: tuple) -> tuple[float, float]:
    nivel, nombre, _, unidad, sentido, _, (lo, hi), amarillo, rojo, (v_lo, v_hi) = spec
    meta = round(float(rng.uniform(lo, hi)), 2) if hi > lo else lo
    u = rng.random()
    if u < rojo:
        c = rng.uniform(0.50, 0.69)
    elif u < rojo + amarillo:
        c = rng.uniform(0.72, 0.89)
    else:
        c = rng.uniform(v_lo, v_hi)
    avance = meta / c if sentido == "Descendente" else meta * c
    if unidad == "Porcentaje":
        avance = min(avance, 100.0)
        if avance == 100.0 and meta == 100.0 and rng.random() < 0.5:
            avance = round(float(rng.uniform(97.0, 99.9)), 2)
    return meta, round(avance, 2)


def _pct(x: float) -> str:
    return f"{x:.2f}%"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def generar_indicadores(ciclos: list[int]) -> pd.DataFrame:
    valores: dict[tuple[int, str, int], tuple[float, float]] = {}
    for ciclo in sorted(set(ciclos) | {c - 1 for c in ciclos}):
        for cve in CVES:
            rng = rng_para(ciclo, int(cve), 3)
            for j, spec in enumerate(INDICADORES):
                valores[(ciclo, cve, j)] = _valores_indicador(rng, spec)
    # Avoid prior-year pairs identical to the current ones (would look like a copy).
    for (ciclo, cve, j), (meta, avance) in sorted(valores.items()):
        previo = valores.get((ciclo - 1, cve, j))
        if previo == (meta, avance):
            valores[(ciclo, cve, j)] = (meta, round(avance - 0.13, 2))
    filas = []
    for ciclo in ciclos:
        for cve in CVES:
            rng = rng_para(ciclo, int(cve), 4)
            planta = ciclo == CICLO_ERRORES and cve == ERROR_INDICADORES_CVE
            for j, spec in enumerate(INDICADORES):
                nivel, nombre, frecuencia, unidad, sentido, medios = spec[:6]
                meta, avance = valores[(ciclo, cve, j)]
                if planta and j == 0:  # RMM: goal missed (avance above meta)
                    avance = round(meta * 1.2, 2)
                if planta and j == 4:  # ascending, exceeded: 104 % of meta
                    meta = 70.0
                    avance = round(meta * ERROR_INDICADORES_CUMPLIMIENTO_EXCEDIDO, 2)
                cumpl = _cumplimiento(sentido, meta, avance)
                reportado = _pct(round(cumpl, 2))
                if planta and j in (0, 4):
                    reportado = "100%"  # PLANTED: wrong reported compliance
                previo = ciclo - 1 >= PRIMER_CICLO_INDICADORES
                if previo:
                    meta_a, avance_a = valores[(ciclo - 1, cve, j)]
                    rep_a = _pct(round(_cumplimiento(sentido, meta_a, avance_a), 2))
                    if planta and j == 2:  # PLANTED: prior-year columns copied from this year
                        meta_a, avance_a, rep_a = meta, avance, reportado
                else:
                    meta_a = avance_a = None
                    rep_a = ""
                justif = ""
                if cumpl < 90:
                    justif = JUSTIFICACIONES[int(rng.integers(len(JUSTIFICACIONES)))]
                filas.append({
                    "ciclo": ciclo, "cve_ent": cve, "fondo": "FASSA", "mir": "Federal", "nivel": nivel,
                    "indicador": nombre, "frecuencia": frecuencia, "unidad_medida": unidad,
                    "sentido": sentido, "meta": _num(meta), "avance": _num(avance),
                    "avance_meta_reportado": reportado, "meta_anterior": _num(meta_a),
                    "avance_anterior": _num(avance_a), "avance_meta_anterior_reportado": rep_a,
                    "medios_verificacion": medios, "justificacion": justif,
                })
    return pd.DataFrame(filas)


# ---------------------------------------------------------------------------------------------
# SRFT «Indicadores» module export (the federal MIR as the executing agency reports it each quarter)
# ---------------------------------------------------------------------------------------------
#: A few states get the export too (this year as the system gives it, .xlsx; last year saved as CSV):
#: their Anexo 4 federal MIR then comes from it and the national CSV's federal rows are cross-checked.
#: Values are those of the national CSV (meta programada = meta modificada = meta, realizado = avance),
#: so the cross-check finds nothing; none of these states carries planted errors.
CVES_SRFT_INDICADORES = ("11", "19", "24")
_TRIMESTRES_FRECUENCIA = {"Anual": (4,), "Semestral": (2, 4), "Trimestral": (1, 2, 3, 4)}


def _avance_srft(sentido: str, meta: float, realizado: float) -> str:
    """«Avance (%)» as the SRFT writes it: 2 decimals without trailing zeros, N/D when it cannot divide."""
    if (sentido == "Ascendente" and meta == 0) or (sentido == "Descendente" and realizado == 0):
        return "N/D"
    valor = _cumplimiento(sentido, meta, realizado)
    texto = f"{valor + 1e-9:.2f}".rstrip("0").rstrip(".")
    return texto


def filas_srft_indicadores(indicadores: pd.DataFrame, ciclo: int) -> list[list[object]]:
    """Export rows of the demo states for ``ciclo``, from the national CSV's rows (same figures)."""
    filas: list[list[object]] = []
    base = indicadores[(indicadores["ciclo"] == ciclo) & indicadores["cve_ent"].isin(CVES_SRFT_INDICADORES)]
    for trimestre in (1, 2, 3, 4):
        for _, f in base.iterrows():
            j = next(i for i, spec in enumerate(INDICADORES) if spec[1] == f["indicador"])
            if trimestre not in _TRIMESTRES_FRECUENCIA.get(f["frecuencia"], (4,)):
                continue
            meta, avance = float(f["meta"]), float(f["avance"])
            realizado = avance if trimestre == 4 else round(avance / 2, 5)  # cumulative: half by mid-year
            just = ""
            if f["justificacion"] and trimestre == 4:
                just = (f"{{just1:{{ciclo:{ciclo},trim:4,just:{f['justificacion']} ({COMENTARIO_DEMO}),"
                        f"usuario:demo,fecha:15/01/{(ciclo + 1) % 100:02d}}}}}")
            tipo = "Estratégico" if f["nivel"] in ("Fin", "Propósito") else "Gestión"
            filas.append([
                ciclo, trimestre, trimestre, ESTADOS[f["cve_ent"]][0], "",
                "33 - Aportaciones Federales para Entidades Federativas y Municipios",
                "416 - Dirección General de Programación y Presupuesto A", "I002", "FASSA",
                "2 - Desarrollo Social", "3 - Salud", "2 - Prestación de Servicios de Salud a la Persona",
                "8 - Fondo de Aportaciones para los Servicios de Salud", f"9{j + 1:05d}", f["indicador"],
                OBSERVACION, OBSERVACION, f["nivel"], f["frecuencia"], f["unidad_medida"], tipo, "Eficacia",
                f["sentido"], meta, just, meta, just, realizado, _avance_srft(f["sentido"], meta, realizado),
                "Validado"])
    return filas


def _zip_sin_reloj(ruta: Path, fecha: str) -> None:
    """Make a saved workbook byte-identical across runs: fixed document dates and zip entry times."""
    import re
    import zipfile

    with zipfile.ZipFile(ruta) as z:
        partes = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as z:
        for nombre, datos in partes:
            if nombre == "docProps/core.xml":
                datos = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + fecha.encode(), datos)
            z.writestr(zipfile.ZipInfo(nombre, date_time=(1980, 1, 1, 0, 0, 0)), datos,
                       compress_type=zipfile.ZIP_DEFLATED)


def escribir_srft_indicadores(indicadores: pd.DataFrame, ciclos: list[int], out: Path) -> list[Path]:
    """The last ciclo as the system gives it (.xlsx), the ones before saved as CSV (UTF-8)."""
    from openpyxl import Workbook

    carpeta = out / "srft_indicadores"
    carpeta.mkdir(parents=True, exist_ok=True)
    rutas = []
    for ciclo in ciclos:
        filas = filas_srft_indicadores(indicadores, ciclo)
        if ciclo == max(ciclos):
            ruta = carpeta / f"srft_indicadores_{ciclo}_demo.xlsx"
            wb = Workbook()
            ws = wb.active
            ws.title = "Reporte"
            ws.append(ENCABEZADO_SRFT_INDICADORES)
            for f in filas:
                ws.append([None if v == "" else v for v in f])
            wb.properties.creator = "generar_demo.py"
            wb.save(ruta)
            _zip_sin_reloj(ruta, f"{ciclo + 1}-01-15T00:00:00Z")
        else:
            ruta = carpeta / f"srft_indicadores_{ciclo}_demo.csv"
            with open(ruta, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows([ENCABEZADO_SRFT_INDICADORES, *filas])
        rutas.append(ruta)
    return rutas


# ---------------------------------------------------------------------------------------------
# Concurrencia de recursos (Anexo 2)
# ---------------------------------------------------------------------------------------------
FUNDAMENTOS = {
    "Federal": "Ley de Coordinación Fiscal y Ley General de Salud",
    "Estatal": "Ley de Salud del Estado",
    "Ingresos propios": "Ley de Ingresos del Estado",
    "Otros": "Convenios específicos de colaboración",
}


def _concurrencia_estado(ciclo: int, cve: str, fassa: float) -> list[dict]:
    rng = rng_para(ciclo, int(cve), 5)
    share = rng.uniform(0.42, 0.58)
    total = fassa / share
    resto = total - fassa
    w = np.array([rng.uniform(0.15, 0.35), rng.uniform(0.01, 0.05), 0.0,
                  rng.uniform(0.03, 0.08), rng.uniform(0.005, 0.02)])
    w[2] = 1 - w.sum()
    imss, conv, estatal, propios, otros = (round(float(x), 2) for x in w * resto)
    detalle = [("Federal", "FASSA", fassa), ("Federal", "IMSS-BIENESTAR", imss),
               ("Federal", "Convenios federales", conv), ("Estatal", "Aportación estatal", estatal),
               ("Ingresos propios", "Cuotas de recuperación", propios), ("Otros", "Otros recursos", otros)]
    gran_total = round(sum(m for _, _, m in detalle), 2)
    filas = []
    for orden in FUNDAMENTOS:
        sub = 0.0
        for o, fuente, monto in detalle:
            if o == orden:
                filas.append({"orden_gobierno": o, "fuente": fuente, "monto": monto,
                              "porcentaje": round(monto / gran_total * 100, 2),
                              "fundamento_legal": "", "comentarios": ""})
                sub += monto
        sub = round(sub, 2)
        filas.append({"orden_gobierno": orden, "fuente": "", "monto": sub,
                      "porcentaje": round(sub / gran_total * 100, 2),
                      "fundamento_legal": FUNDAMENTOS[orden], "comentarios": ""})
    filas.append({"orden_gobierno": "TOTAL", "fuente": "", "monto": gran_total, "porcentaje": 100.0,
                  "fundamento_legal": "", "comentarios": COMENTARIO_DEMO})
    for fila in filas:
        fila.update({"ciclo": ciclo, "cve_ent": cve, "fondo": "FASSA"})
    return filas


def generar_concurrencia(ciclos: list[int], fassa: dict[tuple[int, str], float]) -> pd.DataFrame:
    filas = []
    for ciclo in ciclos:
        por_estado = {cve: _concurrencia_estado(ciclo, cve, fassa[(ciclo, cve)]) for cve in CVES}
        if ciclo == CICLO_ERRORES:  # PLANTED: Coahuila's Federal subtotal
            sub = next(f for f in por_estado[ERROR_CONCURRENCIA_CVE]
                       if f["orden_gobierno"] == "Federal" and f["fuente"] == "")
            otro = next(f for f in por_estado[ERROR_CONCURRENCIA_PCT_DE]
                        if f["orden_gobierno"] == "Federal" and f["fuente"] == "")
            sub["monto"] = round(sub["monto"] + ERROR_CONCURRENCIA_DELTA, 2)
            sub["porcentaje"] = otro["porcentaje"]
        for cve in CVES:
            filas.extend(por_estado[cve])
    df = pd.DataFrame(filas)[["ciclo", "cve_ent", "fondo", "orden_gobierno", "fuente", "monto",
                              "porcentaje", "fundamento_legal", "comentarios"]]
    df["monto"] = df["monto"].map(lambda x: f"{x:.2f}")
    df["porcentaje"] = df["porcentaje"].map(lambda x: f"{x:.2f}")
    return df


# ---------------------------------------------------------------------------------------------
# ASM
# ---------------------------------------------------------------------------------------------
# (aspecto, alternative wording or None, tipo, prioridad, area_responsable, acciones, documento)
PLANTILLAS_ASM = [
    ("Actualizar el Diagnóstico Estatal de Salud y aprobarlo al inicio del ejercicio fiscal.",
     "Aprobar al inicio del ejercicio fiscal el Diagnóstico Estatal de Salud actualizado.",
     "Institucional", "Alta", "Dirección de Planeación y Desarrollo",
     ["Integrar el diagnóstico con la información epidemiológica del año previo",
      "Someter el diagnóstico a la aprobación de la Junta de Gobierno",
      "Publicar el diagnóstico aprobado en el portal institucional"],
     "Diagnóstico Estatal de Salud aprobado"),
    ("Publicar en el portal institucional los medios de verificación de los indicadores de la MIR del FASSA.",
     "Publicar los medios de verificación de los indicadores de la MIR del FASSA en el portal institucional.",
     "Específico", "Media", "Unidad de Transparencia",
     ["Identificar la fuente de información de cada indicador",
      "Habilitar una sección de datos abiertos en el portal institucional"],
     "Liga electrónica del portal institucional"),
    ("Documentar la conciliación de plantillas de personal pagadas con recursos del FASSA.",
     None, "Institucional", "Alta", "Dirección de Recursos Humanos",
     ["Conciliar trimestralmente la plantilla autorizada con la nómina pagada",
      "Firmar minutas de conciliación con el área de finanzas"],
     "Minutas de conciliación firmadas"),
    ("Elaborar un programa anual de trabajo que vincule las metas de los indicadores con el presupuesto del fondo.",
     None, "Específico", "Media", "Subdirección de Programación y Presupuesto",
     ["Definir metas por unidad responsable", "Vincular cada meta con su partida presupuestal",
      "Presentar el programa anual de trabajo al Comité de Planeación"],
     "Programa anual de trabajo"),
    ("Establecer un mecanismo de seguimiento trimestral de los indicadores de la MIR federal.",
     "Establecer un mecanismo trimestral de seguimiento de los indicadores de la MIR federal.",
     "Específico", "Media", "Departamento de Evaluación del Desempeño",
     ["Diseñar un tablero de seguimiento de indicadores", "Emitir reportes trimestrales a la Dirección General"],
     "Reportes trimestrales de seguimiento"),
    ("Fortalecer la coordinación con la Secretaría de Finanzas para la ministración oportuna de los recursos.",
     None, "Interinstitucional", "Alta", "Dirección de Administración y Finanzas",
     ["Acordar un calendario de ministraciones con la Secretaría de Finanzas",
      "Dar seguimiento mensual a las ministraciones recibidas"],
     "Calendario de ministraciones firmado"),
    ("Integrar un padrón actualizado de unidades médicas con su plantilla de médicos generales y especialistas.",
     None, "Institucional", "Media", "Departamento de Estadística e Información en Salud",
     ["Actualizar el registro de unidades médicas en el CLUES",
      "Cruzar la plantilla de médicos con el registro de unidades"],
     "Padrón de unidades médicas actualizado"),
    ("Implementar el Modelo de Gestión de Calidad en Salud en un mayor número de establecimientos.",
     None, "Institucional", "Media", "Dirección de Calidad y Educación en Salud",
     ["Seleccionar los establecimientos que implementarán el modelo",
      "Capacitar a los gestores de calidad de cada establecimiento"],
     "Informe de implementación del MGCS"),
    ("Elaborar un manual de procedimientos para el registro contable y presupuestal de los recursos del fondo.",
     "Elaborar el manual de procedimientos para el registro presupuestal y contable de los recursos del fondo.",
     "Institucional", "Baja", "Dirección de Administración y Finanzas",
     ["Redactar el manual de procedimientos", "Obtener la validación del Órgano Interno de Control"],
     "Manual de procedimientos validado"),
    ("Homologar las cifras reportadas en el SRFT con los registros contables de la entidad.",
     None, "Interinstitucional", "Alta", "Subdirección de Recursos Financieros",
     ["Conciliar trimestralmente el SRFT con la contabilidad", "Corregir las diferencias identificadas"],
     "Conciliaciones trimestrales"),
    ("Gestionar ante la Secretaría de Salud federal la revisión de la fórmula de distribución del FASSA.",
     None, "Intergubernamental", "Baja", "Dirección General",
     ["Enviar propuesta técnica a la Secretaría de Salud federal"],
     "Oficio de gestión"),
    ("Capacitar al personal responsable de capturar la información en el Sistema de Recursos Federales Transferidos.",
     None, "Específico", "Media", "Subdirección de Programación y Presupuesto",
     ["Programar cursos de capacitación sobre el SRFT", "Registrar las constancias de participación"],
     "Constancias de capacitación"),
    ("Definir una estrategia para reducir la mortalidad materna en los municipios de alta marginación.",
     None, "Intergubernamental", "Alta", "Dirección de Salud Pública",
     ["Identificar los municipios prioritarios", "Firmar acuerdos de colaboración con los municipios",
      "Dar seguimiento a los casos de riesgo obstétrico"],
     "Estrategia estatal aprobada"),
    ("Dar seguimiento a las recomendaciones de evaluaciones anteriores mediante un programa de trabajo institucional.",
     None, "Institucional", "Media", "Unidad de Evaluación del Desempeño",
     ["Elaborar el documento de trabajo de los ASM", "Reportar trimestralmente el avance de los ASM"],
     "Documento de trabajo de ASM"),
    ("Reducir los recursos no devengados al cierre del ejercicio y documentar su reintegro a la TESOFE.",
     None, "Específico", "Alta", "Subdirección de Recursos Financieros",
     ["Emitir alertas mensuales de recursos no comprometidos", "Documentar los reintegros realizados"],
     "Comprobantes de reintegro"),
]


def _quitar_un_acento(texto: str) -> str:
    for i, ch in enumerate(texto):
        base = unicodedata.normalize("NFD", ch)
        if len(base) > 1 and base[0].isalpha() and ch not in "ñÑ":
            return texto[:i] + base[0] + texto[i + 1:]
    return texto


def variante_aspecto(plantilla: tuple, v: int) -> str:
    """Wording variants of a recurring aspect: 0 original, 1 accent missing and no period,
    2 prefixed with "Se recomienda", 3 alternative word order (or upper-case if none)."""
    texto, alterna = plantilla[0], plantilla[1]
    if v == 1:
        return _quitar_un_acento(texto).rstrip(".")
    if v == 2:
        return "Se recomienda " + texto[0].lower() + texto[1:]
    if v == 3:
        return alterna if alterna else texto.rstrip(".").upper()
    return texto


def _sumar_meses(fecha: dt.date, meses: int) -> dt.date:
    m = fecha.month - 1 + meses
    y = fecha.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(fecha.day, calendar.monthrange(y, m)[1]))


def _fecha(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def generar_asm(ciclos: list[int]) -> pd.DataFrame:
    ciclos_eval = list(range(min(ciclos) - 2, max(ciclos) + 1))
    filas = []
    for cve in CVES:
        rng = rng_para(int(cve), 6)
        usados: list[tuple[int, int]] = []  # (template, variant) already used by this state
        pendientes = list(rng.permutation(len(PLANTILLAS_ASM)))
        for ciclo in ciclos_eval:
            n_asm = int(rng.integers(2, 5))
            elegidos: list[tuple[int, int]] = []
            if usados and rng.random() < 0.25:  # a recurring aspect, worded differently
                t, v = usados[int(rng.integers(len(usados)))]
                elegidos.append((t, int((v + 1 + rng.integers(3)) % 4)))
            while len(elegidos) < n_asm:
                if pendientes:
                    t = int(pendientes.pop(0))
                else:
                    t = int(rng.integers(len(PLANTILLAS_ASM)))
                if t in [e[0] for e in elegidos]:
                    continue
                elegidos.append((t, 0 if rng.random() < 0.7 else int(rng.integers(1, 4))))
            usados.extend(elegidos)
            for numero, (t, v) in enumerate(elegidos, start=1):
                _, _, tipo, prioridad, area, acciones, documento = PLANTILLAS_ASM[t]
                aspecto = variante_aspecto(PLANTILLAS_ASM[t], v)
                n_acc = int(rng.integers(1, len(acciones) + 1))
                for accion in acciones[:n_acc]:
                    if ciclo >= max(ciclos):  # latest evaluation: ASM started in the current year
                        inicio = dt.date(ciclo + 1, int(rng.integers(2, 7)), int(rng.integers(1, 29)))
                        fin = _sumar_meses(inicio, int(rng.integers(6, 13)))
                        if fin <= FECHA_CORTE_ASM:
                            avance = 100 if rng.random() < 0.6 else int(rng.integers(6, 19)) * 5
                        else:
                            avance = 100 if rng.random() < 0.1 else int(rng.integers(0, 17)) * 5
                    else:
                        inicio = dt.date(ciclo + 1, int(rng.integers(1, 10)), int(rng.integers(1, 29)))
                        fin = _sumar_meses(inicio, int(rng.integers(3, 13)))
                        p_vencido = 0.22 if ciclo == max(ciclos) - 1 else 0.06
                        if fin < FECHA_CORTE_ASM and rng.random() < p_vencido:
                            avance = int(rng.integers(4, 19)) * 5
                        else:
                            avance = 100
                    if avance >= 100:
                        obs = ""
                    elif fin < FECHA_CORTE_ASM:
                        obs = "Sin evidencia de conclusión al corte"
                    else:
                        obs = "En seguimiento"
                    filas.append({
                        "ciclo": ciclo, "cve_ent": cve, "fondo": "FASSA", "numero": numero,
                        "aspecto": aspecto, "tipo": tipo, "prioridad": prioridad, "area_responsable": area,
                        "accion": accion, "fecha_inicio": inicio, "fecha_termino": fin, "avance": avance,
                        "documento_probatorio": documento if avance > 0 else "", "observaciones": obs,
                        "evaluacion_origen": f"EED FASSA {ciclo}",
                    })
    df = pd.DataFrame(filas)
    if CICLO_ERRORES in ciclos_eval:
        _plantar_errores_asm(df)
    df["estatus_reportado"] = np.where(df["avance"] >= 100, "Atendido", "En proceso")
    df["fecha_inicio"] = df["fecha_inicio"].map(_fecha)
    df["fecha_termino"] = df["fecha_termino"].map(_fecha)
    return df


def _plantar_errores_asm(df: pd.DataFrame) -> None:
    """PLANTED: Veracruz's latest evaluation gets three capture mistakes."""
    sel = df[(df["cve_ent"] == ERROR_ASM_CVE) & (df["ciclo"] == CICLO_ERRORES)]
    por_numero = sel.groupby("numero").size()
    unico = int(por_numero[por_numero == 1].index[0]) if (por_numero == 1).any() else None
    if unico is None:  # make the last ASM a single-action one
        ultimo = int(sel["numero"].max())
        sobra = sel.index[sel["numero"] == ultimo][1:]
        df.drop(index=sobra, inplace=True)
        sel = df[(df["cve_ent"] == ERROR_ASM_CVE) & (df["ciclo"] == CICLO_ERRORES)]
        unico = ultimo
    i_vacio = sel.index[sel["numero"] == unico][0]
    otros = [i for i in sel.index if i != i_vacio]
    if len(otros) < 2:
        raise RuntimeError("la evaluación con errores plantados necesita al menos tres acciones")
    df.loc[i_vacio, "aspecto"] = ""
    df.loc[otros[0], "avance"] = ERROR_ASM_AVANCE
    df.loc[otros[0], "observaciones"] = ""
    i_fecha = otros[1]
    df.loc[i_fecha, "fecha_termino"] = df.loc[i_fecha, "fecha_inicio"] - dt.timedelta(days=45)
    df.loc[i_fecha, "observaciones"] = ""


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# SRFT module exports (readable Excel export of the ejercicio, project module) for a few states
# ---------------------------------------------------------------------------------------------
ESTADOS_EXPORTACIONES = ("10", "18", "32")   # Durango, Nayarit, Zacatecas
CICLO_EXPORTACIONES = 2024
#: Nayarit's readable export is written as CSV (the table saved from Excel); the others as xlsx.
EXPORTACION_CSV = "18"
OBRAS = ["REHABILITACIÓN DEL CENTRO DE SALUD", "AMPLIACIÓN DEL HOSPITAL GENERAL", "CONSTRUCCIÓN DE LA UNIDAD DE "
         "MEDICINA FAMILIAR", "EQUIPAMIENTO DEL CENTRO DE SALUD", "MANTENIMIENTO DEL HOSPITAL COMUNITARIO"]


def _sin_acentos(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn")


def _libro_determinista(filas: list[list], hoja: str, ruta: Path) -> None:
    """An xlsx with fixed dates inside (two runs give the same bytes)."""
    import io

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from asm_analysis.publicacion.salidas import FECHA_FIJA, _ZipFechaFija

    wb = Workbook()
    ws = wb.active
    ws.title = hoja
    for fila in filas:
        ws.append(fila)
    wb.properties.created = wb.properties.modified = FECHA_FIJA
    wb.properties.creator = "generar_demo.py (DATOS DEMO SINTÉTICOS)"
    memoria = io.BytesIO()
    with _ZipFechaFija(memoria, "w", __import__("zipfile").ZIP_DEFLATED) as archivo:
        ExcelWriter(wb, archivo).write_data()
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_bytes(memoria.getvalue())


def filas_ejercicio_legible(ciclo: int, cve: str, base: pd.DataFrame) -> list[list]:
    """The state's FASSA state-level rows of the year's last quarter, as the SRFT Excel export writes them:
    one «Programa presupuestario» row per ciclo del recurso carrying the totals, then the partidas."""
    ult = max(trimestres(ciclo))
    sel = base[(base["TRIMESTRE"] == ult) & (base["MODALIDAD_PP"] == "I002") & (base["ID_MUNICIPIO"] == 0)]
    nombre = ESTADOS[cve][0]
    filas = [list(ENCABEZADO_LEGIBLE)]
    for ciclo_recurso in sorted(sel["CICLO_RECURSO"].unique(), reverse=True):
        g = sel[sel["CICLO_RECURSO"] == ciclo_recurso].sort_values("ID_PARTIDA_GENERICA", kind="stable")
        comun = [nombre, "Gobierno de la Entidad"]
        recurso = [int(ciclo_recurso), TIPO_RECURSO[1], DESC_RAMO_33, 33, "FASSA", "I002"]
        totales = [round(float(g[m].sum()), 2) for m in MONTOS]
        filas.append([*comun, "Programa presupuestario", *recurso, "Sin Especificar", "Sin Especificar", 0, 0, None,
                      "Total del Programa Presupuestario", *totales, None, None, "N/A", totales[2], "Validado",
                      OBSERVACION])
        for f in g.itertuples(index=False):
            d = f._asdict()
            filas.append([*comun, "Partida genérica", *recurso, d["PROG_FONDO_CONVENIO_ESPECIFICO"],
                          d["INSTITUCION_EJECUTORA"], None, None, f"{d['ID_TIPO_GASTO']} - {d['DESC_TIPO_GASTO']}",
                          f"{d['ID_PARTIDA_GENERICA']} - {d['DESC_PARTIDA_GENERICA']}",
                          *[round(float(d[m]), 2) for m in MONTOS], "Sin Contratos", "Sin Proyectos", "N/A", "N/A",
                          "Validado", OBSERVACION])
    return filas


def filas_proyectos(ciclo: int, cve: str) -> list[list]:
    """Synthetic FASSA projects of a state, reported in the 3rd and 4th quarters (cumulative amounts), in
    the SRFT project export's shape: a group row, the 37 columns, packed funding, goal, location and
    contract cells. One project also has another funding source, one spans two municipalities, one has
    no georeference, and one is of another fund (FAIS, I003), which the FASSA report leaves out."""
    rng = rng_para(ciclo, int(cve), 41)
    nombre, _, ejecutora, municipios = ESTADOS[cve]
    prefijo = _sin_acentos(nombre).upper().replace(" ", "")[:3]
    filas = [[GRUPOS_PROYECTOS.get(i, "") for i in range(len(COLUMNAS_PROYECTOS))], list(COLUMNAS_PROYECTOS)]
    for i in range(9):
        folio = f"{prefijo}{ciclo % 100:02d}0401{int(cve):02d}{i + 1:04d}"
        mun = municipios[i % len(municipios)]
        responsable = mun if i % 3 == 0 else (0, "Gobierno de la Entidad")
        geo = [] if i == 7 else ([m for m in municipios] if i == 6 else [mun])
        modificado = round(float(rng.uniform(0.6, 6.0)) * 1e6, 2)
        fuentes = [(33, "I", 3 if i == 8 else 2, modificado)]
        if i == 5:
            fuentes.append((12, "U", 13, round(modificado * 0.25, 2)))
        ff = "{" + ", ".join(f"ff{k}: {{ciclo_recurso:{ciclo}, ramo:{r}, modalidad:{m}, prog_pres:{p}, tipo_recurso:"
                             f"{TIPO_RECURSO[1]}, monto:{v:.2f}, modificado:{v:.2f}}}"
                             for k, (r, m, p, v) in enumerate(fuentes, start=1)) + "}"
        total = sum(v for *_, v in fuentes)
        georef = "{" + ", ".join(
            f"geo{k}: {{cve_municipio:{m[0]}, localidad:{int(rng.integers(1, 300))}, direccion:CALLE HIDALGO "
            f"{int(rng.integers(1, 500))}, {m[1].upper()}, lon:{-104 + rng.uniform(0, 2):.8f}, "
            f"lat:{21 + rng.uniform(0, 3):.8f}}}" for k, m in enumerate(geo, start=1)) + "}" if geo else ""
        avance_final = float(rng.uniform(0.55, 1.0))
        terminado = avance_final > 0.95
        for trimestre, fraccion in ((3, avance_final * float(rng.uniform(0.4, 0.8))), (4, avance_final)):
            devengado = round(total * fraccion, 2)
            pagado = round(devengado * float(rng.uniform(0.85, 1.0)), 2)
            valores = {
                "CICLO": ciclo, "TRIMESTRE": trimestre, "FOLIO": folio, "CATEGORIA": "Proyecto de inversión",
                "MONTO_GLOBAL_APROBADO": round(total, 2), "FUENTES_FINANCIAMIENTO": ff,
                "NOMBRE": f"{OBRAS[i % len(OBRAS)]} DE {mun[1].upper()} - {folio[-4:]}",
                "ID_ENTIDAD_RESPONSABLE": int(cve), "ENTIDAD_RESPONSABLE": nombre,
                "ID_MUNICIPIO_RESPONSABLE": responsable[0], "MUNICIPIO_RESPONSABLE": responsable[1],
                "TIPO_PROGRAMA_PROYECTO": "Proyecto de Inversión de Infraestructura Social", "CLASIFICACION": "Salud",
                "SUBCLASIFICACION": "Sin identificar", "INSTITUCION_EJECUTORA": ejecutora.upper(),
                "NUMERO_PROYECTO": folio[-6:], "POBLACION_BENEFICIADA": "S", "MUJERES": int(rng.integers(100, 5000)),
                "HOMBRES": int(rng.integers(100, 5000)), "BENEFICIARIOS": 0,
                "METAS": "{meta1: {unidad_medida:Metros Cuadrados, meta:400, meta_modificada:400}}",
                "TIPO_GEOREFERENCIA": 1 if geo else "", "GEOREFERENCIAS": georef,
                "FECHA_INICIO": f"{int(rng.integers(1, 28)):02d}-03-{ciclo}", "FECHA_TERMINO": f"15-12-{ciclo}",
                "RECAUDADO": round(total, 2), "COMPROMETIDO": round(total, 2), "DEVENGADO": devengado,
                "EJERCIDO": devengado, "PAGADO": pagado,
                "CONTRATOS": f"{{ctto1: {{tipo_obra:Obra, numero_contrato:{prefijo}/OP/{i + 1:03d}/{ciclo}, "
                             f"contratista:CONSTRUCTORA DEMO, convocante:{ejecutora.upper()}, monto:{total:.2f}, "
                             f"importe_modificado:{total:.2f}}}}}",
                "AVANCES_FISICOS": f"{{meta1: {{unidad_medida:Metros Cuadrados, avance:{fraccion * 100:.2f}}}}}",
                "CARPETA_FOTOS": "", "ESTATUS": "Terminado" if trimestre == 4 and terminado else "En Ejecución",
                "FLUJO": "Validado avances", "OBSERVACIONES_CAPTURISTA": OBSERVACION,
                "OBSERVACIONES_REVISION": "Sin observaciones",
            }
            filas.append([valores[c] for c in COLUMNAS_PROYECTOS])
    return filas


def escribir_exportaciones(ciclo: int, base: dict[str, pd.DataFrame], out: Path, solo_srft: Path) -> list[Path]:
    """Project exports of a few states into ``out/proyectos`` (beside the national files), and a second
    data folder ``solo_srft`` holding only SRFT exports (readable ejercicio export and projects)."""
    escritos = []
    for cve in ESTADOS_EXPORTACIONES:
        nombre = _sin_acentos(ESTADOS[cve][0]).replace(" ", "_")
        proyectos = filas_proyectos(ciclo, cve)
        for carpeta in (out, solo_srft):
            ruta = carpeta / "proyectos" / f"proyectos_FASSA_{nombre}_{ciclo}_demo.xlsx"
            _libro_determinista(proyectos, "Proyectos", ruta)
            escritos.append(ruta)
        ejercicio = filas_ejercicio_legible(ciclo, cve, base[cve])
        stem = f"ejercicio_FASSA_{nombre}_{ciclo}_T{max(trimestres(ciclo))}_demo"
        if cve == EXPORTACION_CSV:
            ruta = solo_srft / "srft" / f"{stem}.csv"
            ruta.parent.mkdir(parents=True, exist_ok=True)
            with open(ruta, "w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(
                    [["" if c is None else (f"{c:.2f}".rstrip("0").rstrip(".") if isinstance(c, float) else c)
                      for c in fila] for fila in ejercicio])
        else:
            ruta = solo_srft / "srft" / f"{stem}.xlsx"
            _libro_determinista(ejercicio, "Reporte", ruta)
        escritos.append(ruta)
    return escritos


def main(argv: list[str] | None = None) -> int:
    raiz = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description="Genera los datos demo sintéticos (DATOS DEMO SINTÉTICOS).")
    ap.add_argument("--out", type=Path, default=raiz / "data" / "demo" / "raw",
                    help="carpeta de salida (por omisión data/demo/raw del repositorio)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiplica las filas del SRFT con municipios sintéticos (>= 1; p. ej. 100)")
    ap.add_argument("--ciclos", type=int, nargs="+", default=[2023, 2024], help="ejercicios fiscales")
    ap.add_argument("--solo-srft", type=Path, default=raiz / "data" / "demo" / "exportaciones_srft" / "raw",
                    help="carpeta raw de un segundo juego demo que solo trae exportaciones del SRFT (ejercicio en "
                         "Excel y proyectos) de Durango, Nayarit y Zacatecas")
    args = ap.parse_args(argv)
    if args.scale < 1:
        ap.error("--scale debe ser mayor o igual a 1")
    ciclos = sorted(set(args.ciclos))
    out: Path = args.out
    t0 = time.perf_counter()

    fassa: dict[tuple[int, str], float] = {}
    for ciclo in ciclos:
        base = {cve: filas_base_estado(ciclo, cve) for cve in CVES}
        for cve in CVES:
            fassa[(ciclo, cve)] = fassa_modificado_estatal(base[cve], ciclo)
        ruta = out / "srft" / f"ejercicio_del_gasto_{ciclo}_demo.csv"
        n = escribir_srft(ciclo, base, ruta, args.scale)
        print(f"{ruta}: {n:,} filas, {ruta.stat().st_size / 1e6:.1f} MB")
        if ciclo == CICLO_EXPORTACIONES:
            for escrito in escribir_exportaciones(ciclo, base, out, args.solo_srft):
                print(f"{escrito}: exportación del SRFT (demo)")

    indicadores = generar_indicadores(ciclos)
    escritos = {
        out / "indicadores" / "demo_indicadores.csv": indicadores,
        out / "concurrencia" / "demo_concurrencia.csv": generar_concurrencia(ciclos, fassa),
        out / "asm" / "demo_asm.csv": generar_asm(ciclos),
    }
    for ruta, df in escritos.items():
        ruta.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(ruta, index=False, encoding="utf-8", lineterminator="\n")
        print(f"{ruta}: {len(df):,} filas")
    for ruta in escribir_srft_indicadores(indicadores, ciclos, out):
        print(f"{ruta}: exportación del módulo Indicadores del SRFT ({', '.join(ESTADOS[c][0] for c in CVES_SRFT_INDICADORES)})")
    print(f"Listo en {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
