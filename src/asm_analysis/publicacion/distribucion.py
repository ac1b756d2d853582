"""The geographic distribution of the fund in every output: CSV, workbook sheet, page section and chart.

Shown only when the state has SRFT projects of the fund (``raw/proyectos``); the figures are
those of :mod:`asm_analysis.anexos.geografia`, computed once from the report's
:class:`~asm_analysis.entradas.datos.DatosEstado`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from asm_analysis.anexos import geografia
from asm_analysis.publicacion import columnas as columnas_mod
from asm_analysis.publicacion.presentacion import Html, esc, nota, pesos, tabla

CLAVE = "distribucion_geografica"
#: The CSV and the workbook sheet (written by :mod:`~asm_analysis.publicacion.salidas`).
ARCHIVO_CSV = "distribucion_geografica.csv"
HOJA = "distribucion_geografica"
TITULO = "Distribución geográfica del fondo (proyectos del SRFT)"
MOMENTOS = ("modificado", "devengado", "pagado")


@dataclass
class Distribucion:
    """The fund's projects at their last quarter, the table by municipality (with its total row) and its note."""

    por_proyecto: pd.DataFrame
    tabla: pd.DataFrame
    nota: str

    @property
    def vacia(self) -> bool:
        return self.tabla.empty


def calcular(datos) -> Distribucion:
    """The distribution of one report (empty when the state has no projects of the fund)."""
    por_proyecto = geografia.proyectos_del_fondo(getattr(datos, "proyectos", None), getattr(datos, "proyectos_fuentes", None),
                                                 getattr(datos, "proyectos_geo", None), int(datos.fondo.ramo),
                                                 datos.fondo.modalidad_pp)
    t = geografia.distribucion_geografica(por_proyecto, geografia.nombres_municipio(getattr(datos, "proyectos", None)))
    if not t.empty:
        t = geografia.con_total(t)
        t["tipo_fila"] = ["detalle"] * (len(t) - 1) + ["total"]
    return Distribucion(por_proyecto, t, geografia.nota(por_proyecto))


def _dibujar(t: pd.DataFrame):
    """The one drawing, for a phone's column (:data:`graficas.ANCHO_MOVIL`); it scales up on a desktop."""
    import matplotlib.ticker

    from asm_analysis.publicacion import graficas

    n = len(t)
    fig, ax = graficas.nueva_figura(alto=1.6 + 0.6 * n, ancho=graficas.ANCHO_MOVIL)
    y = np.arange(n)
    alto = 0.26
    for i, m in enumerate(MOMENTOS):
        ax.barh(y + (i - 1) * alto, t[m].fillna(0), height=alto, color=graficas.COLORES_MOMENTOS[m],
                label=m.capitalize(), edgecolor="white", linewidth=0.4)
    # the name in up to three lines, the number of projects always shown
    ax.set_yticks(y, [f"{graficas._etiqueta(m, 16, 3)} ({p})" for m, p in zip(t["municipio"], t["proyectos"])])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    graficas._formato_pesos(ax.xaxis)  # ticks in millions, the unit in the axis label
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    graficas._encabezado(fig, "Momentos del gasto por municipio", ax.get_legend_handles_labels()[0], ncols=3)
    return fig


def grafica(dist: Distribucion) -> Html | None:
    """Bars of modificado, devengado and pagado per municipality (number of projects in parentheses)."""
    # matplotlib is imported here, with the drawing: a batch worker writes this module's CSV and draws nothing
    from asm_analysis.publicacion import graficas

    if dist.vacia:
        return None
    t = dist.tabla[dist.tabla["tipo_fila"] == "detalle"]
    with graficas._estilo():
        fig = _dibujar(t)  # drawn once: it reads at both widths
    alt = ("Gráfica de barras horizontales por municipio. " + "; ".join(
        f"{f.municipio}: {f.proyectos} proyecto(s), modificado {pesos(f.modificado)}, devengado {pesos(f.devengado)}, "
        f"pagado {pesos(f.pagado)}" for f in t.itertuples()) + ".")
    return graficas.figura_html(fig, alt, pie="Entre paréntesis, el número de proyectos del fondo en el municipio.")


def seccion(datos) -> Html | None:
    """The page section (heading, note, chart, table); ``None`` when the fund has no projects."""
    dist = calcular(datos)
    if dist.vacia:
        return None
    partes = [Html(f'<h3 id="geografia">{esc(TITULO)}</h3>'), nota(dist.nota, "info"), grafica(dist),
              tabla(dist.tabla, columnas_mod.de_pagina(CLAVE, ciclo=datos.ciclo))]
    return sum((p for p in partes if p is not None), Html(""))
