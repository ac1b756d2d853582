"""Charts of the report, returned as ``<figure>`` HTML with an embedded SVG and alt text.

Each chart is drawn once, for a phone's column (:data:`ANCHO_MOVIL`, short labels, few
ticks), and embedded as a scalable SVG: the page shows that one drawing at the width of the
text column, up to :data:`ANCHO_MAXIMO_PX` on a desktop screen, so its type reads at 390 px
and on a desktop alike. The SVG is written in points (72 to the inch), so a text of *s* pt
shows at *s* × shown width / (72 × :data:`ANCHO_MOVIL`) CSS px: the type of the charts (8 to
9.5 pt, :data:`ESTILO` and :data:`LETRA_CIFRAS`) shows at 10.4 to 12.3 px in the 337 px
column of a 390 px phone (about 9.5 px on a 360 px one) and at 13.9 to 16.5 px on a desktop,
beside body text of 14 and 15 px. Titles and legends sit at the top left of the drawing, not
of the axes (:func:`_encabezado`), so they never run past its right edge.

Charts are drawn on :class:`matplotlib.figure.Figure` objects that never touch pyplot, so
Jupyter's inline backend does not show them a second time and nothing is left open. Labels
are in Spanish, money axes read ``$1,234.5 millones`` / ``$850 mil``, colours come from the
Okabe-Ito palette (safe for colour-blind readers) and every semáforo colour is paired with
its name written on the chart. The alt text of each image says what the chart shows,
with the figures, so the page is readable without the picture.
"""

from __future__ import annotations

import base64
import io
import textwrap
from contextlib import contextmanager
from typing import Iterator

import matplotlib
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from asm_analysis.comun.formatos import esc
from asm_analysis.comun.vacios import vacio
from asm_analysis.publicacion.presentacion import Html, nota, pct, pesos, pesos_corto, prosa

#: Okabe & Ito (2008) palette.
OKABE_ITO = {
    "negro": "#000000", "naranja": "#E69F00", "celeste": "#56B4E9", "verde": "#009E73",
    "amarillo": "#F0E442", "azul": "#0072B2", "bermellon": "#D55E00", "purpura": "#CC79A7",
    "gris": "#999999",
}
#: Semáforo colours: still read as green / yellow / red, taken from the Okabe-Ito palette.
COLORES_SEMAFORO = {
    "Verde": OKABE_ITO["verde"], "Amarillo": OKABE_ITO["amarillo"], "Rojo": OKABE_ITO["bermellon"],
    "Sobrecumplimiento": OKABE_ITO["azul"], "Sin valor": "#BBBBBB",
}
COLORES_MOMENTOS = {"aprobado": "#BBBBBB", "modificado": OKABE_ITO["celeste"], "devengado": OKABE_ITO["azul"],
                    "pagado": OKABE_ITO["naranja"]}
COLORES_ORDEN = {"Federal": OKABE_ITO["azul"], "Estatal": OKABE_ITO["naranja"],
                 "Ingresos propios": OKABE_ITO["verde"], "Otros": OKABE_ITO["purpura"]}
COLORES_ESTATUS = {"Atendido": OKABE_ITO["verde"], "En proceso": OKABE_ITO["celeste"],
                   "Vencido": OKABE_ITO["bermellon"], "Sin avance reportado": "#BBBBBB"}
ESTATUS = ("Atendido", "En proceso", "Vencido", "Sin avance reportado")
SEMAFOROS = ("Rojo", "Amarillo", "Verde", "Sobrecumplimiento", "Sin valor")

DPI = 100
ANCHO = 9.5  # inches: 950 px at DPI, the width of the page's text column
ANCHO_MOVIL = 3.6  # inches (259.2 pt of SVG): drawn for a phone's column, shown at about 340 px
TINTA = "#1f2933"
#: Size of the figures written on a chart (points): beside a bar, inside a segment, by a dot.
LETRA_CIFRAS = 8

ESTILO = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": TINTA,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e4e7eb",
    "grid.linewidth": 0.8,
    "xtick.color": TINTA,
    "ytick.color": TINTA,
    "text.color": TINTA,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",
    "svg.hashsalt": "asm-analysis",  # clip-path ids from the content: the same chart gives the same bytes
}


@contextmanager
def _estilo() -> Iterator[None]:
    with matplotlib.rc_context(ESTILO):
        yield


def nueva_figura(alto: float, ancho: float = ANCHO, **subplots) -> tuple[Figure, object]:
    """A pyplot-free figure (never auto-displayed, nothing to close) and its axes."""
    fig = Figure(figsize=(ancho, alto), dpi=DPI, layout="constrained")
    ejes = fig.subplots(**subplots)
    return fig, ejes


def _liberar(fig: Figure) -> None:
    """Let go of a rendered figure: a pyplot figure leaves pyplot's registry; any other is freed with
    its last reference (clearing it first would only cost time)."""
    if fig.canvas.manager is not None:  # a pyplot figure: take it out of pyplot's registry
        import matplotlib.pyplot as plt

        plt.close(fig)


#: The font the SVG names, and what a browser without it uses instead (Verdana has DejaVu's widths).
_FUENTE_SVG = "font-family: 'DejaVu Sans'"
_FUENTES_SVG = "font-family: 'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"


def _maquetar(fig: Figure) -> None:
    """Place the axes, once: the figure's constrained layout, measured as the SVG writer measures text.

    ``savefig`` of a figure with a layout engine draws it twice: once without output, to run the
    layout, then for real. Here the layout runs by itself on an SVG canvas (the renderer
    ``savefig`` would measure with), then the figure is left without a layout engine, as ``savefig``
    leaves it for its second draw: the same positions, the same bytes, one draw.
    """
    motor = fig.get_layout_engine()
    if motor is None or not fig.axes:
        return
    lienzo = fig.canvas
    FigureCanvasSVG(fig)  # as savefig(format="svg") switches it while it saves
    try:
        motor.execute(fig)
    except ValueError:  # as Figure.draw: a layout that cannot be made leaves the axes where they are
        pass
    finally:
        fig.set_canvas(lienzo)
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _svg(fig: Figure) -> tuple[str, int, int]:
    """Render and release a figure: (base64 SVG, width px, height px at :data:`DPI`).

    Text stays text (``svg.fonttype: none``): smaller than a PNG and sharp at any width.
    No date or creator is written, so the same chart gives the same bytes.
    """
    buf = io.BytesIO()
    with _estilo():
        _maquetar(fig)
        fig.savefig(buf, format="svg", dpi=DPI, metadata={"Date": None, "Creator": None})
    ancho, alto = (int(round(v * DPI)) for v in fig.get_size_inches())
    _liberar(fig)
    texto = buf.getvalue().decode("utf-8").replace(_FUENTE_SVG, _FUENTES_SVG)
    return base64.b64encode(texto.encode("utf-8")).decode("ascii"), ancho, alto


#: The widest a chart is shown (CSS px): the phone drawing scaled 1.3x from a 390 px phone, its type
#: 13.9 to 16.5 px, about the page's 15 px (wider, the type of a chart outgrows the text around it).
ANCHO_MAXIMO_PX = 450


def figura_html(fig: Figure, alt: str, titulo: str | None = None, pie: str | None = None,
                leyenda: list[str] | None = None) -> Html:
    """Embed a figure as ``<figure><img src="data:image/svg+xml;base64,…" alt="…">`` and release it.

    The image fills the text column up to :data:`ANCHO_MAXIMO_PX` (an SVG scales without
    blur), so one drawing made for a phone serves the desktop too. ``leyenda`` is a numbered list of the full names the
    chart abbreviates (as ``1.``, ``2.``…). ``alt``, the caption and the legend are escaped
    here; pass plain text.
    """
    datos, ancho, alto = _svg(fig)
    partes = ['<figure class="grafica">']
    if titulo:
        partes.append(f'<div class="grafica-titulo">{esc(titulo)}</div>')
    imagen = (f'<img src="data:image/svg+xml;base64,{datos}" alt="{esc(alt)}" width="{ancho}" height="{alto}" '
              f'style="width: 100%; max-width: {ANCHO_MAXIMO_PX}px; height: auto" loading="lazy">')
    partes.append(imagen)
    if leyenda:
        partes.append('<ol class="leyenda-grafica">' + "".join(f"<li>{prosa(x)}</li>" for x in leyenda) + "</ol>")
    if pie:
        partes.append(f"<figcaption>{prosa(pie)}</figcaption>")
    partes.append("</figure>")
    return Html("".join(partes), f"gráfica: {titulo or alt[:60]}")


def _formato_pesos(eje) -> None:
    """A money axis in millions of pesos: ticks ``$1,500`` (``$0.5`` below a million), the unit in the
    axis label, so the ticks stay short and never read «mil M»."""
    eje.set_major_formatter(FuncFormatter(
        lambda v, _: "$0" if v == 0 else f"{'-' if v < 0 else ''}${abs(v) / 1e6:,.{0 if abs(v) >= 1e7 else 1}f}"))
    eje.set_label_text("Millones de pesos")


def _etiqueta(texto: object, ancho: int = 34, lineas: int = 2) -> str:
    partes = textwrap.wrap(str(texto), ancho) or [""]
    if len(partes) > lineas:
        partes = partes[:lineas]
        partes[-1] = partes[-1][: ancho - 1].rstrip() + "…"
    return "\n".join(partes)


def _sin_datos(texto: str) -> Html:
    return nota(texto, "info") or Html("")


def _encabezado(fig, titulo: str, handles=(), ncols: int = 2) -> None:
    """The chart's title, with its legend (``handles``) under it, at the top left of ``fig`` (a figure
    or a subfigure).

    Both span the whole drawing, not only the axes: a title aligned with the axes starts after
    the longest y label and was cut at the right of a phone's column. The constrained layout
    keeps room for them above the axes. With a legend the title is the legend's own (a
    ``suptitle`` would land on a legend placed outside the axes); without one it is a
    ``suptitle`` indented as a legend's title is.
    """
    fuente = {"size": matplotlib.rcParams["axes.titlesize"], "weight": matplotlib.rcParams["axes.titleweight"]}
    if handles:
        fig.legend(handles=list(handles), ncols=ncols, loc="outside upper left", title=titulo, alignment="left",
                   title_fontproperties=fuente, handlelength=1.2)
        return
    sangria = (matplotlib.rcParams["legend.borderaxespad"] + matplotlib.rcParams["legend.borderpad"]) * \
        FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points()
    fig.suptitle(titulo, x=sangria / (fig.bbox.width * 72 / fig.dpi), ha="left", **fuente)


# --------------------------------------------------------------------------------------------
# Anexo 1
# --------------------------------------------------------------------------------------------


def _dibujar_momentos(sub: pd.DataFrame) -> Figure:
    from asm_analysis.entradas import catalogos

    momentos = ["aprobado", "modificado", "devengado", "pagado"]
    etiquetas = [f"{c}\n{_etiqueta(catalogos.nombre_capitulo(c), 18, 4)}" for c in sub["capitulo"]]
    n = len(sub)
    fig, ax = nueva_figura(alto=1.9 + 1.0 * n, ancho=ANCHO_MOVIL)
    y = np.arange(n)
    alto = 0.2
    for i, m in enumerate(momentos):
        ax.barh(y + (i - 1.5) * alto, sub[m].fillna(0), height=alto, color=COLORES_MOMENTOS[m],
                label=m.capitalize(), edgecolor="white", linewidth=0.4)
    ax.set_yticks(y, etiquetas)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    _formato_pesos(ax.xaxis)
    maximo = float(sub[momentos].max().max())
    ax.set_xlim(0, maximo * 1.05 if maximo > 0 else 1)
    columna = blended_transform_factory(ax.transAxes, ax.transData)  # a column right of the bars, off the grid
    for yi, (_, f) in zip(y, sub.iterrows()):
        ax.text(1.03, yi, f"{pct(f['pct_devengado_modificado'], 1)}\nejercido", transform=columna,
                ha="left", va="center", fontsize=LETRA_CIFRAS, color=TINTA)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
    _encabezado(fig, "Momentos del gasto por capítulo", ax.get_legend_handles_labels()[0], ncols=2)
    return fig


def momentos_por_capitulo(anexo1: pd.DataFrame) -> Html:
    """Aprobado, modificado, devengado and pagado of each COG chapter with spending.

    The percentage at the right of each chapter is devengado / modificado.
    """
    momentos = ["aprobado", "modificado", "devengado", "pagado"]
    if anexo1 is None or anexo1.empty:
        return _sin_datos("Sin datos del destino del gasto para graficar.")
    sub = anexo1[anexo1["tipo_fila"] == "subtotal"].copy()
    sub = sub[(sub[momentos].fillna(0).abs().sum(axis=1)) > 0]
    if sub.empty:
        return _sin_datos("Los capítulos no registran montos: no hay nada que graficar.")
    with _estilo():
        fig = _dibujar_momentos(sub)  # drawn once: it reads at both widths
    partes = [f"capítulo {f['capitulo']}: aprobado {pesos(f['aprobado'])}, modificado {pesos(f['modificado'])}, "
              f"devengado {pesos(f['devengado'])}, pagado {pesos(f['pagado'])}" for _, f in sub.iterrows()]
    alt = "Gráfica de barras horizontales de los momentos del gasto por capítulo. " + "; ".join(partes) + "."
    return figura_html(fig, alt, pie="Barras por capítulo del COG; a la derecha, devengado entre modificado.")


# --------------------------------------------------------------------------------------------
# Anexo 2
# --------------------------------------------------------------------------------------------


def _dibujar_concurrencia(det: pd.DataFrame, sub: pd.DataFrame) -> Figure:
    n = len(det)
    # Two subfigures, each with its title and the legend at its own left edge (the share bar spans the
    # whole drawing; the amounts start after the names of the sources).
    alto_orden, alto_montos = 1.5, 0.9 + 0.55 * n
    fig = Figure(figsize=(ANCHO_MOVIL, alto_orden + alto_montos), dpi=DPI, layout="constrained")
    arriba, abajo = fig.subfigures(2, 1, height_ratios=[alto_orden, alto_montos])
    ax1, ax2 = arriba.subplots(), abajo.subplots()
    izquierda = 0.0
    for _, f in sub.iterrows():
        ancho = float(f["porcentaje"]) if not vacio(f["porcentaje"]) else 0.0
        color = COLORES_ORDEN.get(f["orden_gobierno"], OKABE_ITO["gris"])
        ax1.barh(0, ancho, left=izquierda, color=color, edgecolor="white", height=0.6)
        if ancho >= 15:
            texto_color = "white" if f["orden_gobierno"] in ("Federal", "Otros") else TINTA
            ax1.text(izquierda + ancho / 2, 0, f"{f['orden_gobierno']}\n{pct(ancho, 1)}", ha="center",
                     va="center", fontsize=LETRA_CIFRAS, color=texto_color, fontweight="bold")
        izquierda += ancho
    ax1.set_xlim(0, 100)
    ax1.set_yticks([])
    ax1.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} %"))
    ax1.spines["left"].set_visible(False)
    ordenes = [o for o in COLORES_ORDEN if o in set(det["orden_gobierno"])]
    _encabezado(arriba, "Participación por orden de gobierno",
                [Patch(color=COLORES_ORDEN[o], label=o) for o in ordenes], ncols=2)

    det = det.iloc[::-1]
    colores = [COLORES_ORDEN.get(o, OKABE_ITO["gris"]) for o in det["orden_gobierno"]]
    y = np.arange(len(det))
    ax2.barh(y, det["monto"], color=colores, height=0.65)
    ax2.set_yticks(y, [_etiqueta(t, 16, 3) for t in det["fuente"]])
    ax2.grid(axis="y", visible=False)
    _formato_pesos(ax2.xaxis)
    maximo = float(det["monto"].max())
    ax2.set_xlim(0, maximo * 1.75)
    for yi, (_, f) in zip(y, det.iterrows()):
        texto = f"{pesos_corto(f['monto'])}\n{pct(f['porcentaje'], 1)}"
        ax2.text(float(f["monto"]) + maximo * 0.01, yi, texto, va="center", fontsize=LETRA_CIFRAS)
    ax2.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
    _encabezado(abajo, "Monto por fuente de financiamiento")
    return fig


def composicion_concurrencia(anexo2: pd.DataFrame) -> Html:
    """Where the executing agency's money comes from: share by order, amount by source."""
    if anexo2 is None or anexo2.empty:
        return _sin_datos("Sin datos de concurrencia de recursos para graficar.")
    det = anexo2[(anexo2["tipo_fila"] == "detalle") & (anexo2["monto"].fillna(0) != 0)].copy()
    sub = anexo2[(anexo2["tipo_fila"] == "subtotal") & (anexo2["monto"].fillna(0) != 0)].copy()
    if det.empty:
        return _sin_datos("Las fuentes de financiamiento no registran montos: no hay nada que graficar.")
    with _estilo():
        fig = _dibujar_concurrencia(det, sub)
    partes = [f"{f['fuente']} ({f['orden_gobierno']}): {pesos(f['monto'])}, {pct(f['porcentaje'])}"
              for _, f in det.iterrows()]
    alt = ("Composición de los recursos de la ejecutora por orden de gobierno y fuente. "
           + "; ".join(f"{f['orden_gobierno']}: {pct(f['porcentaje'])}" for _, f in sub.iterrows()) + ". "
           + "; ".join(partes) + ".")
    return figura_html(fig, alt)


# --------------------------------------------------------------------------------------------
# Anexo 4
# --------------------------------------------------------------------------------------------


def _bandas() -> list[tuple[str, float, float]]:
    from asm_analysis.anexos.indicadores import bandas_por_omision

    b = bandas_por_omision()
    return [(f["semaforo"], 0.0 if vacio(f["desde"]) else float(f["desde"]),
             np.inf if vacio(f["hasta"]) else float(f["hasta"])) for _, f in b.iterrows()]


def etiquetas_indicadores(anexo4: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Axis labels (``1. Fin: Porcentaje del…``) and the legend's full names of the indicators.

    Long names cut to two lines can collide (two indicators that both start "Porcentaje del
    gasto total del FASSA destinado a la Prestación de…"): the number in front keeps each
    label distinct, and the legend under the chart gives every full name.
    """
    cortas, completas = [], []
    for i, (_, f) in enumerate(anexo4.iterrows(), start=1):
        nivel = "" if vacio(f.get("nivel")) else f"{f['nivel']}: "
        cortas.append(f"{i}. " + _etiqueta(f"{nivel}{f['indicador']}", 40, 2))
        completas.append(f"{nivel}{f['indicador']}")
    return cortas, completas


def _dibujar_indicadores(t: pd.DataFrame) -> Figure:
    n = len(t)
    valores = pd.to_numeric(t["cumplimiento"], errors="coerce")
    anteriores = pd.to_numeric(t["cumplimiento_anterior"], errors="coerce")
    maximo_dato = float(np.nanmax([valores.max(skipna=True), anteriores.max(skipna=True), 0]))
    limite = min(max(130.0, maximo_dato * 1.08 if np.isfinite(maximo_dato) else 130.0), 200.0)
    fig, ax = nueva_figura(alto=2.0 + 0.5 * n, ancho=ANCHO_MOVIL)
    for nombre, desde, hasta in _bandas():
        ax.axvspan(desde, min(hasta, limite * 1.3), color=COLORES_SEMAFORO.get(nombre, "#eeeeee"), alpha=0.13, lw=0)
        if np.isfinite(hasta) and hasta < limite:
            ax.axvline(hasta, color="#9aa5b1", lw=0.8, ls=":")
    y = np.arange(n)
    colores = [COLORES_SEMAFORO.get(s, COLORES_SEMAFORO["Sin valor"]) if not vacio(s) else "#ffffff"
               for s in t["semaforo"]]
    ax.barh(y, valores.fillna(0).clip(upper=limite), color=colores, height=0.55, edgecolor="#52606d", linewidth=0.6)
    ax.scatter(anteriores.clip(upper=limite), y, marker="D", s=32, facecolor="white", edgecolor=TINTA,
               linewidth=1.2, zorder=3)
    for yi, v, previo, s in zip(y, valores, anteriores, t["semaforo"]):
        if vacio(v):
            ax.text(2, yi, "sin valor", va="center",
                    fontsize=LETRA_CIFRAS, color="#52606d")
            continue
        marca = "▶ " if v > limite else ""
        x = max(min(v, limite), 0 if vacio(previo) else min(previo, limite))
        ax.text(x + limite * 0.045, yi, f"{marca}{pct(v, 1)}", va="center",
                fontsize=LETRA_CIFRAS, fontweight="bold")
    ax.set_yticks(y, [str(i) for i in range(1, n + 1)])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, limite * 1.35)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} %"))
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(50))
    ax.set_ylabel("Indicador (ver la lista)")
    ax.set_xlabel("Cumplimiento de la meta")
    leyenda = [Patch(facecolor=COLORES_SEMAFORO[s], edgecolor="#52606d", label=s) for s in SEMAFOROS[:4]]
    leyenda.append(Line2D([], [], marker="D", ls="", markerfacecolor="white", markeredgecolor=TINTA,
                          label="Año anterior"))
    _encabezado(fig, "Cumplimiento frente al semáforo", leyenda, ncols=2)
    return fig


def cumplimiento_indicadores(anexo4: pd.DataFrame) -> Html:
    """Compliance of each indicator against the semáforo bands, with last year's value.

    The shaded bands are the default ones (``data/semaforo.csv``); the colour and the label
    of each bar are the indicator's own semáforo (per-indicator thresholds when given).
    Indicators are numbered on the chart; the numbered list under it gives each full name.
    """
    if anexo4 is None or anexo4.empty:
        return _sin_datos("Sin indicadores para graficar.")
    t = anexo4.reset_index(drop=True)
    with _estilo():
        fig = _dibujar_indicadores(t)
    partes = []
    for _, f in t.iterrows():
        actual = f"{pct(f['cumplimiento'])} ({f['semaforo']})" if not vacio(f["cumplimiento"]) else "sin valor"
        previo = pct(f["cumplimiento_anterior"]) if not vacio(f["cumplimiento_anterior"]) else "sin valor"
        partes.append(f"{f['indicador']}: {actual}; año anterior {previo}")
    alt = "Cumplimiento de cada indicador de la MIR frente a las bandas del semáforo. " + "; ".join(partes) + "."
    _, completas = etiquetas_indicadores(t)
    leyenda = [f"{nombre}: {pct(c)} ({s})" if not vacio(c) else f"{nombre}: sin valor"
               for nombre, c, s in zip(completas, t["cumplimiento"], t["semaforo"])]
    return figura_html(fig, alt, leyenda=leyenda,
                       pie="Bandas sombreadas: rojo, amarillo, verde y sobrecumplimiento por omisión; "
                           "el color y la etiqueta de cada barra son el semáforo del indicador. "
                           "Rombo: cumplimiento del año anterior. ▶: valor fuera de escala. "
                           "El número de cada barra remite a la lista.")


# --------------------------------------------------------------------------------------------
# ASM
# --------------------------------------------------------------------------------------------


def _apiladas(ax, tabla: pd.DataFrame, colores: dict[str, str], titulo: str | None = None) -> None:
    y = np.arange(len(tabla))
    izquierda = np.zeros(len(tabla))
    for col in tabla.columns:
        valores = tabla[col].to_numpy(dtype=float)
        ax.barh(y, valores, left=izquierda, color=colores.get(col, OKABE_ITO["gris"]), label=col, height=0.6,
                edgecolor="white", linewidth=0.6)
        for yi, (x0, v) in enumerate(zip(izquierda, valores)):
            if v > 0:
                claro = col in ("Atendido", "Vencido", "Federal", "Verde", "Sobrecumplimiento", "Rojo")
                ax.text(x0 + v / 2, yi, f"{int(v)}", ha="center", va="center", fontsize=LETRA_CIFRAS,
                        fontweight="bold", color="white" if claro else TINTA)
        izquierda += valores
    ax.set_yticks(y, [_etiqueta(i, 22, 2) for i in tabla.index])
    ax.set_ylim(len(tabla) - 0.45, -0.55)  # first row on top, no empty band
    ax.grid(axis="y", visible=False)
    if titulo:
        ax.set_title(titulo, loc="left")
    ax.xaxis.get_major_locator().set_params(integer=True)


def avance_asm(por_aspecto: pd.DataFrame) -> Html:
    """How many ASM are attended, in progress, overdue or without progress, by tipo and prioridad."""
    if por_aspecto is None or por_aspecto.empty:
        return _sin_datos("Sin aspectos susceptibles de mejora para graficar.")
    t = por_aspecto.assign(tipo=por_aspecto["tipo"].fillna("Sin tipo"),
                           prioridad=por_aspecto["prioridad"].fillna("Sin prioridad"))
    orden_tipo = [x for x in ("Específico", "Institucional", "Interinstitucional", "Intergubernamental", "Sin tipo")
                  if x in set(t["tipo"])] + sorted(set(t["tipo"]) - {"Específico", "Institucional",
                                                                        "Interinstitucional", "Intergubernamental",
                                                                        "Sin tipo"})
    orden_prioridad = [x for x in ("Alta", "Media", "Baja", "Sin prioridad") if x in set(t["prioridad"])] + sorted(
        set(t["prioridad"]) - {"Alta", "Media", "Baja", "Sin prioridad"})
    por_tipo = pd.crosstab(t["tipo"], t["estatus"]).reindex(index=orden_tipo, columns=list(ESTATUS), fill_value=0)
    por_prioridad = pd.crosstab(t["prioridad"], t["estatus"]).reindex(index=orden_prioridad, columns=list(ESTATUS),
                                                                      fill_value=0)

    with _estilo():
        fig, (ax1, ax2) = nueva_figura(alto=2.4 + 0.55 * (len(por_tipo) + len(por_prioridad)), nrows=2,
                                       ancho=ANCHO_MOVIL,
                                       height_ratios=[max(len(por_tipo), 1), max(len(por_prioridad), 1)])
        _apiladas(ax1, por_tipo, COLORES_ESTATUS, "Por tipo de ASM")
        _apiladas(ax2, por_prioridad, COLORES_ESTATUS, "Por prioridad")
        ax1.set_xlabel("Número de ASM")
        ax2.set_xlabel("Número de ASM")
        fig.legend(handles=[Patch(color=COLORES_ESTATUS[e], label=e) for e in ESTATUS], ncols=2,
                   loc="outside upper left")
    conteo = t["estatus"].value_counts()
    alt = (f"Avance de {len(t)} aspectos susceptibles de mejora por tipo y por prioridad. "
           + "; ".join(f"{e}: {int(conteo.get(e, 0))}" for e in ESTATUS) + ". Por tipo: "
           + "; ".join(f"{i}: " + ", ".join(f"{c} {int(v)}" for c, v in r.items() if v) for i, r in por_tipo.iterrows())
           + ".")
    return figura_html(fig, alt,
                       pie="Estatus calculado a la fecha de corte: atendido (avance 100 %), vencido "
                           "(fecha de término anterior al corte y avance menor a 100 %), en proceso o "
                           "sin avance reportado.")


# --------------------------------------------------------------------------------------------
# National comparison
# --------------------------------------------------------------------------------------------


def _alto_estados(n: int) -> float:
    return 1.4 + 0.3 * n


def _formato_pp(ax, valores: pd.Series) -> None:
    rango = float(valores.max() - valores.min()) if len(valores) else 0.0
    dec = 2 if rango < 2 else (1 if rango < 20 else 0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+.{dec}f} pp" if abs(v) > 10 ** -(dec + 1) else "0"))


def ejercido_por_estado(tabla: pd.DataFrame) -> Html:
    """% ejercido (devengado / modificado) of each state as dots, with the national median.

    Dots rather than bars: the axis is zoomed on the states' range, and a bar that does not
    start at zero would mislead.
    """
    t = tabla.dropna(subset=["pct_ejercido"]).sort_values(["pct_ejercido", "estado"], ascending=[True, False])
    if t.empty:
        return _sin_datos("Ningún estado tiene presupuesto modificado para calcular el porcentaje ejercido.")
    mediana = float(t["pct_ejercido"].median())
    minimo, maximo = float(t["pct_ejercido"].min()), float(t["pct_ejercido"].max())
    margen = max((maximo - minimo) * 0.45, 0.5)  # room for the figure beside the first and the last dot
    rango = max(maximo - minimo, 1e-9)
    dec = 2 if rango < 2 else 1

    def dibujar(ancho: float) -> Figure:
        fig, ax = nueva_figura(alto=_alto_estados(len(t)), ancho=ancho)
        y = np.arange(len(t))
        arriba = t["pct_ejercido"] >= mediana
        colores = np.where(arriba, OKABE_ITO["azul"], OKABE_ITO["bermellon"])
        ax.hlines(y, mediana, t["pct_ejercido"], color=colores, lw=1.6, alpha=0.8)
        ax.scatter(t["pct_ejercido"], y, color=colores, s=34, zorder=3)
        ax.axvline(mediana, color=TINTA, ls="--", lw=1.1)
        derecha = mediana <= (minimo + maximo) / 2  # the median's label on the side with more room
        ax.annotate(f"mediana nacional {pct(mediana, dec)}", (mediana, len(t) - 0.2), xytext=(3 if derecha else -3, 0),
                    textcoords="offset points", ha="left" if derecha else "right", va="bottom", fontweight="bold")
        for yi, v, a in zip(y, t["pct_ejercido"], arriba):  # beside the dot, clear of it at any scale
            ax.annotate(pct(v, dec), (v, yi), xytext=(5 if a else -5, 0), textcoords="offset points", va="center",
                        ha="left" if a else "right", fontsize=LETRA_CIFRAS)
        ax.set_yticks(y, t["estado"])
        ax.grid(axis="y", visible=False)
        ax.set_xlim(minimo - margen, maximo + margen)
        ax.set_ylim(-0.7, len(t) + 0.6)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.{dec}f} %"))
        ax.set_xlabel("Devengado / modificado")
        _encabezado(fig, "Porcentaje ejercido por estado")
        if ancho <= ANCHO_MOVIL:
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        return fig

    with _estilo():
        fig = dibujar(ANCHO_MOVIL)
    alt = (f"Porcentaje ejercido por estado; mediana nacional {pct(mediana)}. "
           + "; ".join(f"{f['estado']}: {pct(f['pct_ejercido'])}" for _, f in t.iloc[::-1].iterrows()) + ".")
    return figura_html(fig, alt, pie="Azul: en o por encima de la mediana; bermellón: por debajo. El eje se "
                                     "acerca al rango de los estados para distinguir diferencias pequeñas.")


def semaforo_por_estado(tabla: pd.DataFrame) -> Html:
    """Distribution of each state's indicators across the semáforo colours (share of indicators)."""
    cols = [f"ind_{s}" for s in ("rojo", "amarillo", "verde", "sobre", "sin_valor")]
    nombres = dict(zip(cols, ("Rojo", "Amarillo", "Verde", "Sobrecumplimiento", "Sin valor")))
    t = tabla[tabla["ind_total"] > 0].copy()
    if t.empty:
        return _sin_datos("Ningún estado tiene indicadores para comparar.")
    t = t.assign(_orden=t["ind_verde"] / t["ind_total"]).sort_values(["_orden", "estado"], ascending=[False, True])
    conteos = t.set_index("estado")[cols].rename(columns=nombres)

    def dibujar(ancho: float) -> Figure:
        fig, ax = nueva_figura(alto=_alto_estados(len(t)), ancho=ancho)
        _apiladas(ax, conteos, COLORES_SEMAFORO)
        ax.set_yticks(np.arange(len(t)), t["estado"])
        ax.set_xlabel("Número de indicadores")
        _encabezado(fig, "Indicadores de cada estado por color del semáforo" if ancho > ANCHO_MOVIL
                    else "Indicadores por semáforo", [Patch(color=COLORES_SEMAFORO[s], label=s) for s in SEMAFOROS],
                    ncols=5 if ancho > ANCHO_MOVIL else 2)
        return fig

    with _estilo():
        fig = dibujar(ANCHO_MOVIL)
    alt = ("Número de indicadores de cada estado por color del semáforo. "
           + "; ".join(f"{e}: " + ", ".join(f"{c} {int(v)}" for c, v in r.items() if v) for e, r in conteos.iterrows())
           + ".")
    return figura_html(fig, alt, pie="Ordenado por la proporción de indicadores en verde. Cada "
                                                      "segmento lleva el número de indicadores.")


def rezago_asm_por_estado(tabla: pd.DataFrame) -> Html:
    """Pending ASM of each state: overdue, in progress and without progress."""
    cols = {"asm_vencidos": "Vencido", "asm_en_proceso": "En proceso", "asm_sin_avance": "Sin avance reportado"}
    t = tabla[tabla["asm_total"] > 0].copy()
    if t.empty:
        return _sin_datos("Ningún estado tiene ASM registrados.")
    t = t.sort_values(["asm_pendientes", "asm_vencidos", "estado"], ascending=[False, False, True])
    conteos = t.set_index("estado")[list(cols)].rename(columns=cols)

    def dibujar(ancho: float) -> Figure:
        fig, ax = nueva_figura(alto=_alto_estados(len(t)), ancho=ancho)
        _apiladas(ax, conteos, COLORES_ESTATUS)
        ax.set_yticks(np.arange(len(t)), t["estado"])
        for yi, (_, f) in enumerate(t.iterrows()):
            ax.text(f["asm_pendientes"] + 0.15, yi, f"de {int(f['asm_total'])}", va="center", fontsize=LETRA_CIFRAS,
                    color="#52606d")
        ax.set_xlim(0, max(1, float(t["asm_pendientes"].max())) * 1.18 + 0.5)
        ax.set_xlabel("Número de ASM no atendidos")
        _encabezado(fig, "ASM pendientes por estado al corte", [Patch(color=COLORES_ESTATUS[e], label=e)
                                                                for e in cols.values()],
                    ncols=3 if ancho > ANCHO_MOVIL else 2)
        return fig

    with _estilo():
        fig = dibujar(ANCHO_MOVIL)
    alt = ("ASM no atendidos por estado. "
           + "; ".join(f"{f['estado']}: {int(f['asm_pendientes'])} pendientes de {int(f['asm_total'])}, "
                       f"{int(f['asm_vencidos'])} vencidos" for _, f in t.iterrows()) + ".")
    return figura_html(fig, alt, pie="A la derecha de cada barra, el total de ASM del estado.")


def diferencia_mediana(tabla: pd.DataFrame, columna: str, etiqueta: str) -> Html:
    """Each state's distance to the national median of ``columna`` (percentage points)."""
    t = tabla.dropna(subset=[columna]).copy()
    if t.empty:
        return _sin_datos(f"Sin datos de {etiqueta} para comparar con la mediana.")
    mediana = float(t[columna].median())
    t["dif"] = t[columna] - mediana
    t = t.sort_values("dif")

    def dibujar(ancho: float) -> Figure:
        fig, ax = nueva_figura(alto=_alto_estados(len(t)), ancho=ancho)
        y = np.arange(len(t))
        colores = [OKABE_ITO["azul"] if d >= 0 else OKABE_ITO["bermellon"] for d in t["dif"]]
        ax.hlines(y, 0, t["dif"], color=colores, lw=2)
        ax.scatter(t["dif"], y, color=colores, s=28, zorder=3)
        ax.axvline(0, color=TINTA, lw=1)
        ax.set_ylim(-0.6, len(t) - 0.4)
        ax.set_yticks(y, t["estado"])
        ax.grid(axis="y", visible=False)
        _formato_pp(ax, t["dif"])
        if ancho > ANCHO_MOVIL:
            ax.set_xlabel(f"Diferencia con la mediana nacional ({pct(mediana, 2)}), puntos porcentuales")
            _encabezado(fig, f"{etiqueta}: cada estado frente a la mediana")
        else:
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
            ax.set_xlabel(f"Diferencia con la mediana ({pct(mediana, 2)}), pp")
            _encabezado(fig, "Frente a la mediana nacional")
        return fig

    with _estilo():
        fig = dibujar(ANCHO_MOVIL)
    alt = (f"Diferencia de {etiqueta} de cada estado con la mediana nacional de {pct(mediana)}. "
           + "; ".join(f"{f['estado']}: {f['dif']:+.2f} puntos" for _, f in t.iloc[::-1].iterrows()) + ".")
    return figura_html(fig, alt, pie="Azul: por encima de la mediana; bermellón: por debajo.")
