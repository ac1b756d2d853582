"""HTML pieces of the published report: headings, headline figures, annex tables, provenance.

The notebooks only call these functions and display what they return, so everything a
reader sees on the page can be tested without a kernel. Two rules hold everywhere:

* every text that comes from an input (a workbook cell, a CSV field, a catalog name) goes
  through :func:`esc` before it reaches the page: nothing typed by a user can become markup;
* money is shown as ``$1,234,567.89`` and shares as ``50.14 %`` (DESIGN §6) by the formatters
  of :mod:`asm_analysis.comun.formatos`; a missing value (:func:`~asm_analysis.comun.vacios.vacio`)
  is an em dash;
* every table's headers and formats come from :mod:`asm_analysis.publicacion.columnas`, the
  same rows the workbook and the Word annexes print.

Functions return :class:`Html`, which Jupyter displays as HTML (and as a short plain text in
a terminal), or ``None`` when there is nothing to show (no output, no empty box).
"""

from __future__ import annotations

import datetime as dt
import platform
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd

from asm_analysis import __version__
from asm_analysis.comun import formatos
from asm_analysis.comun.formatos import cuenta, esc, redondear
from asm_analysis.comun.vacios import vacio
from asm_analysis.publicacion.columnas import (A_LA_DERECHA, CIFRAS_HALLAZGO, ETIQUETAS_SEVERIDAD, Columna, de_pagina,
                                               para_regla, tipos_de_hallazgo)

if TYPE_CHECKING:  # pragma: no cover
    from asm_analysis.anexos import Anexos
    from asm_analysis.auditoria import Tolerancias
    from asm_analysis.entradas.datos import DatosEstado

GUION = "—"

# --------------------------------------------------------------------------------------------
# Html value
# --------------------------------------------------------------------------------------------


class Html:
    """A fragment of trusted HTML (built here, with every input escaped).

    Jupyter shows it through ``_repr_html_``; ``str()`` gives the markup; ``+`` joins
    fragments. The plain-text form stays short so executed notebooks do not store each
    table twice.
    """

    __slots__ = ("html", "resumen")

    def __init__(self, markup: str = "", resumen: str | None = None):
        self.html = str(markup)
        self.resumen = resumen

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Html {self.resumen or ''} ({len(self.html):,} caracteres)>".replace("  ", " ")

    def __add__(self, otro: object) -> "Html":
        if otro is None:
            return self
        return Html(self.html + str(otro), self.resumen)

    def __radd__(self, otro: object) -> "Html":
        if otro is None:
            return self
        return Html(str(otro) + self.html, self.resumen)

    def __bool__(self) -> bool:
        return bool(self.html)

    def __contains__(self, texto: str) -> bool:
        return texto in self.html

    def _repr_html_(self) -> str:
        return envolver(self.html)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": envolver(self.html), "text/plain": self.resumen or "[contenido HTML]"}


#: The class every displayed fragment is wrapped in (and the published page's ``<body>`` carries):
#: the report's styles (:func:`hoja_de_estilo`) apply inside it and nowhere else.
AMBITO = "asm-informe"


def envolver(markup: str) -> str:
    """A displayed output: ``markup`` inside ``<div class="asm-informe">``, so the report's styles reach
    it in JupyterLab, in a plain ``jupyter nbconvert --to html`` and on the published page alike."""
    return f'<div class="{AMBITO}">{markup}</div>' if markup else markup


def _con_ambito(css: str, ambito: str = "." + AMBITO) -> str:
    """Every selector of ``css`` scoped to ``ambito`` (``table.tabla td`` → ``.asm-informe table.tabla td``).

    ``@media`` and ``@supports`` blocks are scoped inside; other at-rules are kept as they are. A
    selector that already starts with ``ambito`` is the wrapper itself; ``*`` is the wrapper and
    everything in it.
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    salida, i, n = [], 0, len(css)
    while i < n:
        llave = css.find("{", i)
        if llave < 0:
            break
        preludio = css[i:llave].strip()
        nivel, j = 1, llave + 1
        while j < n and nivel:
            nivel += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        cuerpo = css[llave + 1:j - 1]
        if preludio.startswith(("@media", "@supports")):
            salida.append(f"{preludio} {{\n{_con_ambito(cuerpo, ambito)}}}\n")
        elif preludio.startswith("@"):
            salida.append(f"{preludio} {{{cuerpo}}}\n")
        else:
            selectores = []
            for sel in (x.strip() for x in preludio.split(",")):
                if sel.startswith(ambito):
                    selectores.append(sel)
                elif sel == "*":
                    selectores += [ambito, f"{ambito} *"]
                else:
                    selectores.append(f"{ambito} {sel}")
            salida.append(f"{', '.join(selectores)} {{{cuerpo.strip()}}}\n")
        i = j
    return "".join(salida)


def _plantilla(nombre: str) -> str:
    return (resources.files("asm_analysis") / "plantillas" / "asm_informe" / nombre).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def hoja_de_estilo() -> str:
    """The report's styles (``plantillas/asm_informe/informe.css``), scoped to :data:`AMBITO`."""
    return _con_ambito(_plantilla("informe.css"))


def hoja_de_pagina() -> str:
    """What a standalone page adds (``pagina.css``): background, sheet, footer, printed page."""
    return _plantilla("pagina.css")


def estilos() -> Html:
    """The report's styles as a ``<style>`` element: the first output of each notebook carries it."""
    return Html(f'<style id="asm-informe-estilos">\n{hoja_de_estilo()}</style>', "estilos del informe")


def unir(partes: Iterable[object], resumen: str | None = None) -> Html | None:
    """Join fragments, skipping ``None``; ``None`` when nothing is left."""
    texto = "".join(str(p) for p in partes if p is not None and str(p))
    return Html(texto, resumen) if texto else None


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def cifra(valor: object) -> float | None:
    """``valor`` as a figure to show (a number or a numeric text), None when empty or not a number."""
    if vacio(valor) or isinstance(valor, bool):
        return None
    try:
        numero = float(valor)
    except (TypeError, ValueError):
        return None
    return None if vacio(numero) else numero


def pesos(valor: object, decimales: int = 2) -> str:
    """``$1,234,567.89``; negatives ``-$1,000.00``; missing ``—`` (:func:`formatos.pesos` as a page shows it)."""
    return formatos.pesos(cifra(valor), decimales, pegado=True) or GUION


def pesos_corto(valor: object) -> str:
    """Compact amount for charts and cards: ``$1,234.5 millones``, ``$2,400 millones``, ``$850 mil``.

    One decimal, dropped when it is zero; never «mil M» (billions are written in millions, as
    Mexican public-finance tables do).
    """
    v = cifra(valor)
    if v is None:
        return GUION
    signo = "-" if v < 0 else ""
    a = abs(v)

    def corto(x: float) -> str:
        return f"{redondear(x, 1):,.1f}".removesuffix(".0")

    if a >= 1e6:
        return f"{signo}${corto(a / 1e6)} millones"
    if a >= 1e3:
        return f"{signo}${corto(a / 1e3)} mil"
    if a == 0:
        return "$0"
    return f"{signo}${a:,.0f}"


def pct(valor: object, decimales: int = 2) -> str:
    """``50.14 %`` (the value is already a percent number); missing ``—`` (:func:`formatos.porcentaje`)."""
    return formatos.porcentaje(cifra(valor), decimales) or GUION


def puntos(valor: object) -> str:
    """A difference of percentages: ``+3.79 pp`` / ``-26.15 pp`` (:func:`formatos.puntos`); missing ``—``."""
    return formatos.puntos(cifra(valor)) or GUION


def numero(valor: object, decimales: int = 2) -> str:
    """Plain number with thousands separators: ``1,234.57``; integers without decimals."""
    v = cifra(valor)
    if v is None:
        return esc(valor) if not vacio(valor) else GUION
    if float(v).is_integer() and decimales and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.{decimales}f}"


def entero(valor: object) -> str:
    v = cifra(valor)
    return GUION if v is None else f"{int(round(v)):,}"


MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre")


def fecha_larga(valor: object) -> str:
    """``30 de septiembre de 2025``; missing ``—``."""
    if vacio(valor):
        return GUION
    if isinstance(valor, str):
        try:
            valor = dt.date.fromisoformat(valor[:10])
        except ValueError:
            return esc(valor)
    if isinstance(valor, pd.Timestamp):
        valor = valor.date()
    if isinstance(valor, (dt.date, dt.datetime)):
        return f"{valor.day} de {MESES[valor.month - 1]} de {valor.year}"
    return esc(valor)


def fecha_corta(valor: object) -> str:
    """``30/09/2025`` (:func:`formatos.fecha`, ISO text read too); missing ``—``."""
    return esc(formatos.fecha(valor)) or GUION


def ahora() -> dt.datetime:
    """Now, in central Mexico's time (the generation time printed on the page)."""
    return formatos.hora_de_mexico()


def momento_largo(momento: dt.datetime) -> str:
    """``24 de noviembre de 2025, 23:52 (hora del centro de México, UTC-06:00)``: any time is shown
    in central Mexico's time, whatever the machine's zone (a naive time is taken as UTC)."""
    momento = formatos.hora_de_mexico(momento)
    offset = momento.strftime("%z")
    return f"{fecha_larga(momento)}, {momento:%H:%M} ({formatos.NOMBRE_ZONA}, UTC{offset[:3]}:{offset[3:]})"


#: A figure and the unit after it in running text (``100 %``, ``-6.15 pp``, ``0.05 puntos porcentuales``,
#: ``1 peso``, ``845 días``, ``0.01 unidades``, ``$850 mil``): the space between them is the one a line must
#: never break at.
_CIFRA_Y_UNIDAD = re.compile(r"(?<=\d) (?=%|pp\b|puntos?\b|por ciento\b|pesos?\b|días?\b|unidad(?:es)?\b|mil\b|millones\b)")
ESPACIO_DURO = "\u00a0"


def atar(html: str) -> str:
    """``html`` (text or markup built here) with a no-break space between each figure and its unit, so a
    sentence never ends a line with «100» and starts the next with «%». Every sentence the page builds
    goes through here, and so does every text from an input or from the audit shown as prose
    (:func:`prosa`); table figures need not (their cells never wrap)."""
    return _CIFRA_Y_UNIDAD.sub(ESPACIO_DURO, html)


def prosa(valor: object) -> str:
    """A text shown as prose on the page (a table's text cell, a note, a finding's message): escaped
    (:func:`esc`), its figures bound to their units (:func:`atar`)."""
    return atar(esc(valor))


def _multilinea(valor: object) -> str:
    if vacio(valor):
        return GUION
    return "<br>".join(prosa(linea) for linea in str(valor).splitlines())


def _valores(valor: object) -> str:
    """Lines ``columna: valor`` (or a bare value): the column label may wrap, the figure never does."""
    if vacio(valor):
        return GUION
    lineas = []
    for linea in str(valor).splitlines():
        etiqueta, _, cifra = linea.rpartition(": ")
        lineas.append((f'<span class="etq">{esc(etiqueta)}:</span> ' if etiqueta else "")
                      + f'<span class="cifra">{esc(cifra)}</span>')
    return "<br>".join(lineas)


# --------------------------------------------------------------------------------------------
# Chips: semáforo, status, severity (colour plus a text label, never colour alone)
# --------------------------------------------------------------------------------------------

CLASES_SEMAFORO = {"Verde": "verde", "Amarillo": "amarillo", "Rojo": "rojo",
                   "Sobrecumplimiento": "sobre", "Sin valor": "gris"}
CLASES_ESTATUS = {"Atendido": "verde", "En proceso": "azul", "Vencido": "rojo",
                  "Sin avance reportado": "gris"}
CLASES_SEVERIDAD = {"error": "rojo", "advertencia": "amarillo", "info": "azul"}
ICONOS = {"verde": "●", "amarillo": "▲", "rojo": "■", "sobre": "◆", "gris": "○", "azul": "●"}


def chip(texto: object, clase: str) -> str:
    """A coloured label with a shape (so colour is never the only cue)."""
    if vacio(texto):
        return GUION
    icono = ICONOS.get(clase, "●")
    return f'<span class="chip chip-{esc(clase)}"><span aria-hidden="true">{icono}</span> {esc(texto)}</span>'


def chip_semaforo(valor: object) -> str:
    return chip(valor, CLASES_SEMAFORO.get(str(valor), "gris")) if not vacio(valor) else GUION


def chip_estatus(valor: object) -> str:
    return chip(valor, CLASES_ESTATUS.get(str(valor), "gris")) if not vacio(valor) else GUION


def chip_severidad(valor: object) -> str:
    if vacio(valor):
        return GUION
    return chip(ETIQUETAS_SEVERIDAD.get(str(valor), str(valor)), CLASES_SEVERIDAD.get(str(valor), "gris"))


def chip_si_no(valor: object) -> str:
    """``Sí`` stands out (amber chip); ``No`` stays plain text."""
    if vacio(valor):
        return GUION
    return chip(valor, "amarillo") if str(valor).strip().lower() in ("sí", "si") else esc(valor)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

def _texto(valor: object) -> str:
    return GUION if vacio(valor) else prosa(valor)


#: How a cell is shown, by the column's :attr:`Columna.formato_pagina`: the kinds of
#: :mod:`~asm_analysis.publicacion.columnas` (texts keep their line breaks, except codes and short
#: labels), then the page's own views (chips, ``pp``, several values in one cell).
FORMATOS = {
    "clave": _texto,
    "corto": _texto,
    "texto": _multilinea,
    "largo": _multilinea,
    "dinero": pesos,
    "millones": lambda v: formatos.millones(cifra(v)) or GUION,
    "porcentaje": pct,
    "numero": numero,
    "entero": entero,
    "fecha": fecha_corta,
    "pp": puntos,
    "pesos": pesos,
    "puntos": puntos,
    "anio": lambda v: formatos.entero(cifra(v)) or GUION,
    "dias": lambda v: formatos.dias(cifra(v)) or GUION,
    "conteo": lambda v: formatos.conteo(cifra(v)) or GUION,
    "semaforo": chip_semaforo,
    "estatus": chip_estatus,
    "severidad": chip_severidad,
    "si_no": chip_si_no,
    "valores": lambda v: _valores(v),
    "cumplimiento_semaforo": lambda v: GUION if vacio(v) else f"{atar(pct(v[0]))}<br>{chip_semaforo(v[1])}",
}
NUMERICOS = A_LA_DERECHA | {"pp", "valores", "millones"}

#: Money in a crowded table (this many money columns, or this many columns in all) is shown in
#: millions of pesos once an amount reaches :data:`MILLONES_DESDE`: five columns of
#: «$99,999,999,999.99» do not fit a 1280 px page. The header says «(millones de pesos)».
DINERO_ANGOSTO = {"columnas_dinero": 3, "columnas": 12}
MILLONES_DESDE = 1e9
#: A table of this many columns or more is set denser on a desktop page (``table.tabla.densa`` in
#: ``informe.css``: smaller type, tighter cells), so that every column fits the 1,175 px of a 1280 px
#: page: Anexo 3, Anexo 4 and the follow-up of the ASM actions. Tables with money keep their type
#: (their amounts switch to millions instead, :data:`DINERO_ANGOSTO`).
DENSA_DESDE = 10


def clase_tabla(cols: Sequence[Columna], clase: str) -> str:
    """The classes of a table's ``<table>``: ``tabla``, ``clase`` and ``densa`` when it is wide (:data:`DENSA_DESDE`)."""
    densa = len(cols) >= DENSA_DESDE and not any(c.formato_pagina in ("dinero", "millones") for c in cols)
    return " ".join(x for x in ("tabla", clase, "densa" if densa else "") if x)


def _cabecera(cols: Sequence[Columna], titulo: str | None, clase: str) -> list[str]:
    partes = [f'<div class="tabla-contenedor"><table class="{esc(clase_tabla(cols, clase))}">']
    if titulo:
        partes.append(f"<caption>{esc(titulo)}</caption>")
    partes.append("<thead><tr>")
    for c in cols:
        estilo = f' style="min-width:{esc(c.ancho)}"' if c.ancho else ""
        num = ' class="num"' if c.formato_pagina in NUMERICOS else ""
        partes.append(f'<th scope="col"{num}{estilo}>{esc(c.etiqueta)}</th>')
    partes.append("</tr></thead><tbody>")
    return partes


def _fila_html(fila: pd.Series, cols: Sequence[Columna], clases: Sequence[str] = (),
               marcas_fila: dict[str, int | str] | None = None) -> str:
    """One ``<tr>``; every cell carries its column label (``data-label``), shown on a phone, and its
    numbered mark when ``marcas_fila`` (column → number) names it (:func:`marcas_por_fila`)."""
    atributo = f' class="{" ".join(clases)}"' if clases else ""
    celdas = []
    for c in cols:
        contenido = FORMATOS[c.formato_pagina](fila[c.clave])
        if marcas_fila and c.clave in marcas_fila:
            contenido += _sup_marca(marcas_fila[c.clave])
        if "<" in contenido:  # markup (chips, line breaks) stays one block in a phone card
            contenido = f"<div>{contenido}</div>"
        clases_td = " ".join(x for x in ("num" if c.formato_pagina in NUMERICOS else "",
                                         "texto" if c.formato_pagina in ("texto", "largo") else "",
                                         "fecha" if c.formato_pagina == "fecha" else "",
                                         "vacia" if contenido == GUION else "") if x)
        num = f' class="{clases_td}"' if clases_td else ""
        celdas.append(f'<td{num} data-label="{esc(c.etiqueta)}">{contenido}</td>')
    return f"<tr{atributo}>{''.join(celdas)}</tr>"


def _clases_fila(fila: pd.Series, tipo_fila: str | None, clase_fila) -> list[str]:
    clases = []
    if tipo_fila and tipo_fila in fila.index and not vacio(fila[tipo_fila]):
        clases.append(f"fila-{esc(fila[tipo_fila])}")
    if clase_fila is not None:
        extra = clase_fila(fila)
        if extra:
            clases.append(esc(extra))
    return clases


def _columnas_visibles(df: pd.DataFrame, columnas: Sequence[Columna], omitir_vacias: bool,
                       marcadas: frozenset[str] = frozenset()) -> list[Columna]:
    """The columns a table shows; with ``omitir_vacias``, those with a value or a mark (``marcadas``:
    an empty cell the audit marks, a variation not computed, shows «—» and its number)."""
    cols = [c for c in columnas if c.clave in df.columns]
    if omitir_vacias:
        cols = [c for c in cols if c.clave in marcadas or not all(vacio(v) for v in df[c.clave])]
    return en_millones(df, cols)


def en_millones(df: pd.DataFrame, cols: list[Columna]) -> list[Columna]:
    """``cols`` with their money shown in millions of pesos when the table is crowded and an amount
    reaches a billion (see :data:`DINERO_ANGOSTO`); unchanged otherwise."""
    dinero = [c for c in cols if c.formato_pagina == "dinero"]
    if not dinero or (len(dinero) < DINERO_ANGOSTO["columnas_dinero"] and len(cols) < DINERO_ANGOSTO["columnas"]):
        return cols
    mayor = max((abs(x) for c in dinero for v in df[c.clave] if (x := cifra(v)) is not None), default=0.0)
    if mayor < MILLONES_DESDE:
        return cols
    return [Columna(c.clave, f"{c.etiqueta} (millones de pesos)", c.tipo, c.corta, "millones", c.ancho)
            if c in dinero else c for c in cols]


def tabla(df: pd.DataFrame, columnas: Sequence[Columna], *, titulo: str | None = None, clase: str = "",
          tipo_fila: str | None = "tipo_fila", vacia: str = "Sin registros.",
          clase_fila=None, omitir_vacias: bool = False, marcas: pd.DataFrame | None = None) -> Html:
    """An escaped HTML table; rows whose ``tipo_fila`` is ``subtotal``/``total`` are bold.

    ``columnas`` as :func:`asm_analysis.publicacion.columnas.de_pagina` gives them (the header
    is ``etiqueta``, the cells are shown by :data:`FORMATOS` ``[formato_pagina]``).

    ``clase_fila`` may be a function of the row returning an extra CSS class;
    ``omitir_vacias`` leaves out columns without any value. On a narrow screen (a phone) the
    stylesheet shows each row as a card, each value under its column label. ``marcas`` (the marks
    of this table, :func:`asm_analysis.publicacion.marcas.de_tabla`) puts each numbered mark in its cell.
    """
    if df is None or df.empty:
        return Html(f'<p class="vacio">{esc(vacia)}</p>')
    por_fila = marcas_por_fila(marcas)
    cols = _columnas_visibles(df, columnas, omitir_vacias, frozenset(c for f in por_fila.values() for c in f))
    partes = _cabecera(cols, titulo, clase)
    for i, fila in df.iterrows():
        partes.append(_fila_html(fila, cols, _clases_fila(fila, tipo_fila, clase_fila), por_fila.get(i)))
    partes.append("</tbody></table></div>")
    return Html("".join(partes), f"tabla de {len(df)} filas")


def desplegable(contenido: "Html | str | None", resumen: str) -> "Html | None":
    """``contenido`` inside ``<details class="desplegable">`` whose one line is ``resumen`` and its row count.

    A phone shows the line and opens the part on a tap; a wider screen and paper always show the
    part, without the line (``informe.css``). A fragment without a table is returned as it is.
    """
    if contenido is None:
        return None
    html = str(contenido)
    if "<table" not in html:
        return contenido if isinstance(contenido, Html) else Html(html)
    filas = len(re.findall(r"<tr[ >]", html)) - html.count("<thead>")
    return Html(f'<details class="desplegable"><summary>{esc(resumen)} <span class="cuantos">'
                f'({cuenta(filas, "fila")})</span></summary>{html}</details>',
                getattr(contenido, "resumen", None))


def plegable(resumen: str):
    """Decorator: the function's table comes inside :func:`desplegable` with the line ``resumen``."""
    import functools

    def decorar(funcion):
        @functools.wraps(funcion)
        def envuelta(*args, **kwargs):
            return desplegable(funcion(*args, **kwargs), resumen)
        return envuelta
    return decorar


def nota(texto: object, tipo: str = "info", titulo: str | None = None) -> Html | None:
    """A note box (``info``, ``aviso``, ``error``); None for an empty text."""
    if vacio(texto):
        return None
    encabezado = f"<strong>{esc(titulo)}</strong> " if titulo else ""
    return Html(f'<div class="nota nota-{esc(tipo)}" role="note">{encabezado}{_multilinea(texto)}</div>',
                f"nota: {texto}")


def nota_anexo(anexos: "Anexos", clave: str) -> Html | None:
    """The note the annex computation left for ``clave`` (missing data, pending fields)."""
    texto = (anexos.notas or {}).get(clave)
    tipo = "aviso" if clave == "anexo6" else "info"
    return nota(texto, tipo, "Nota:")


# --------------------------------------------------------------------------------------------
# Marks: recalculated and reported figures told apart (publicacion.marcas)
# --------------------------------------------------------------------------------------------

#: What the figures of an annex table are, by ``--cifras`` mode (the line above the list of marks).
TEXTO_CIFRAS = {
    "recalculadas": "Cifras recalculadas: los subtotales, totales, porcentajes y cumplimientos son los que calcula "
                    "la herramienta a partir de las filas de detalle.",
    "reportadas": "Cifras reportadas: cada celda que llenó el libro de captura se muestra tal como se capturó; las "
                  "demás las calcula la herramienta.",
}


def _sup_marca(numero: object) -> str:
    return f'<sup class="marca">{esc(numero)}</sup>'


def marcas_por_fila(marcas: pd.DataFrame | None,
                    alias: dict[str, str] | None = None) -> dict[object, dict[str, int | str]]:
    """Row label → {column → mark number} (``alias`` renames columns the page shows merged)."""
    if marcas is None or marcas.empty:
        return {}
    alias = alias or {}
    salida: dict[object, dict[str, int]] = {}
    for fila, columna, numero in zip(marcas["fila"], marcas["columna"], marcas["numero"]):
        salida.setdefault(fila, {})[alias.get(columna, columna)] = int(numero)
    return salida


def nota_marcas(marcas: pd.DataFrame | None, cifras: str | None = None) -> Html | None:
    """Under an annex table: which figures it shows (``cifras``) and each mark with where it is, the
    reported and the recalculated figure and why it is disputed. None when there is nothing to say."""
    modo = f'<p class="cifras-modo">{esc(TEXTO_CIFRAS[cifras])}</p>' if cifras in TEXTO_CIFRAS else ""
    if marcas is None or marcas.empty:
        return Html(modo, "modo de cifras") if modo else None
    def valor(texto: str) -> str:  # a figure never breaks; a text (an ASM's status) wraps
        return f'<span class="cifra">{esc(texto)}</span>' if re.match(r"^[-+$\d]", texto) else prosa(texto)

    from asm_analysis.publicacion.marcas import partes_marca

    def item(m: pd.Series) -> str:
        cuerpo = "".join(valor(t) if es_cifra else prosa(t) for t, es_cifra in
                         partes_marca(m, cifras or "recalculadas"))
        motivo = "" if vacio(m["motivo"]) else str(m["motivo"])
        regla = f" (<code>{esc(m['regla'])}</code>)" if not vacio(m["regla"]) else ""
        return (f'<li value="{int(m["numero"])}"><span class="donde">{prosa(m["ubicacion"])}</span>: {cuerpo}.'
                + (f" {prosa(motivo[:1].upper() + motivo[1:])}{regla}." if motivo else "") + "</li>")

    items = "".join(item(m) for _, m in marcas.sort_values("numero").iterrows())
    return Html(f'<div class="nota-marcas" role="note">{modo}<p><strong>Cifras marcadas</strong> (el número va junto a '
                f"la cifra en la tabla):</p><ol>{items}</ol></div>", f"{len(marcas)} marcas")


def _marcas_de(marcas: pd.DataFrame | None, anexo: str) -> pd.DataFrame | None:
    from asm_analysis.publicacion.marcas import de_tabla

    return de_tabla(marcas, anexo) if marcas is not None else None


# --------------------------------------------------------------------------------------------
# Header, demo banner, table of contents
# --------------------------------------------------------------------------------------------

#: Sections of the state report: anchor id (also in the notebook's Markdown) and TOC label.
SECCIONES_INFORME: list[tuple[str, str]] = [
    ("resumen", "Resumen ejecutivo"),
    ("anexo1", "Anexo 1. Destino de las aportaciones"),
    ("anexo2", "Anexo 2. Concurrencia de recursos"),
    ("anexo4", "Anexo 4. Resultados de los indicadores"),
    ("asm", "Aspectos susceptibles de mejora (Anexos 3 y 7 y seguimiento)"),
    ("anexo5", "Anexo 5. FODA y recomendaciones"),
    ("anexo6", "Anexo 6. Formato CONAC para la difusión de resultados"),
    ("calidad", "Calidad de los datos: hallazgos de la auditoría"),
    ("procedencia", "Procedencia de los datos"),
]

#: Sections of the national comparison.
SECCIONES_COMPARATIVO: list[tuple[str, str]] = [
    ("resumen", "Resumen nacional"),
    ("ejercido", "Porcentaje ejercido por estado"),
    ("indicadores", "Cumplimiento de los indicadores"),
    ("asm", "Rezago de aspectos susceptibles de mejora"),
    ("mediana", "Cada estado frente a la mediana nacional"),
    ("tabla", "Tabla por estado"),
    ("procedencia", "Procedencia de los datos"),
]


def banner_demo(demo: bool = True) -> Html | None:
    """The 'synthetic data' warning shown at the top of any page built from demo inputs."""
    if not demo:
        return None
    return Html(
        '<div class="banner-demo" role="alert"><strong>Datos demo sintéticos</strong>'
        "<span>Las cifras de esta página son inventadas para probar y mostrar la herramienta; "
        "no provienen de la SHCP ni de ninguna entidad y no deben citarse como datos oficiales.</span></div>",
        "Datos demo sintéticos")


def indice(secciones: Sequence[tuple[str, str]] = SECCIONES_INFORME) -> Html:
    """Table of contents linking to the section anchors."""
    items = "".join(f'<li><a href="#{esc(ancla)}">{esc(texto)}</a></li>' for ancla, texto in secciones)
    return Html(f'<nav class="indice" id="indice" aria-label="Contenido"><h2 class="indice-titulo">Contenido</h2>'
                f'<details class="desplegable"><summary>Contenido <span class="cuantos">({len(secciones)} '
                f"apartados)</span></summary><ol>{items}</ol></details></nav>"
                '<a class="volver-indice" href="#indice" aria-label="Volver al contenido" title="Volver al contenido">'
                '<span aria-hidden="true">↑</span><span class="volver-texto"> Contenido</span></a>',
                "Contenido")


def _dato(etiqueta: str, valor: object) -> str:
    return f"<div><dt>{esc(etiqueta)}</dt><dd>{prosa(valor) if not vacio(valor) else GUION}</dd></div>"


def _archivos_por_tipo(datos: "DatosEstado") -> dict[str, list[str]]:
    """Kind of input file → the names of the files of that kind this report used."""
    por_tipo: dict[str, list[str]] = {}
    for a in datos.archivos or []:
        nombre = str(a.get("archivo") or "").rsplit("/", 1)[-1]
        if nombre and nombre not in por_tipo.setdefault(str(a.get("tipo")), []):
            por_tipo[str(a.get("tipo"))].append(nombre)
    return por_tipo


def trimestres_srft(datos: "DatosEstado") -> str:
    """The SRFT quarter the partidas come from: «trimestre 4», or each quarter with its partidas when
    the last cut does not cover them all (never the latest quarter for a partida of an earlier one)."""
    from asm_analysis.entradas import srft

    cortes = srft.resumen_cortes(datos.srft)
    if cortes.empty:
        return f"trimestre {int(datos.trimestre_srft)}" if datos.trimestre_srft is not None else ""
    if len(cortes) == 1:
        t = int(cortes["trimestre"].iloc[0])
        return f"trimestre {t}" + (" (informe definitivo)" if t == 5 else "")
    return "trimestre de cada partida: " + ", ".join(
        f"{int(c.trimestre)} ({cuenta(int(c.partidas), 'partida', 'partidas')})" for c in cortes.itertuples())


def fuentes_usadas(datos: "DatosEstado") -> str:
    """The input files behind the report, by kind and name («libro de captura «x.xlsx»; SRFT (SHCP)
    «ejercicio_del_gasto_2024.csv», trimestre 4»): the SRFT is named whenever a file of it was read."""
    por_tipo = _archivos_por_tipo(datos)
    nombres = lambda lista: ", ".join(f"«{n}»" for n in lista)  # noqa: E731
    partes = []
    if por_tipo.get("captura"):
        partes.append(f"libro de captura {nombres(por_tipo['captura'])}")
    if por_tipo.get("srft"):
        trimestre = trimestres_srft(datos) if datos.srft is not None and not datos.srft.empty else ""
        partes.append(f"SRFT (SHCP) {nombres(por_tipo['srft'])}" + (f", {trimestre}" if trimestre else ""))
    if por_tipo.get("proyectos"):
        partes.append(f"proyectos del SRFT (SHCP) {nombres(por_tipo['proyectos'])}")
    if por_tipo.get("srft_indicadores"):
        partes.append(f"módulo Indicadores del SRFT (SHCP) {nombres(por_tipo['srft_indicadores'])}")
    nacionales = [n for t in ("indicadores", "concurrencia", "asm") for n in por_tipo.get(t, [])]
    if nacionales:
        partes.append(f"CSV nacionales {nombres(nacionales)}")
    if partes:
        return "; ".join(partes)
    nombres_fuente = {"captura": "libro de captura", "srft": "SRFT (SHCP)", "nacional": "CSV nacionales",
                      "srft_proyectos": "proyectos del SRFT (SHCP)"}
    return ", ".join(sorted({nombres_fuente.get(f, f) for f in (datos.fuentes or {}).values()}))


def encabezado(datos: "DatosEstado", generado: dt.datetime | None = None, cifras: str | None = None) -> Html:
    """Page title naming the state, year and fund, the key facts of the evaluation (the input files
    and, with ``cifras``, which figures the annexes show), demo banner."""
    ficha = datos.ficha or {}
    generado = generado or ahora()
    origen = fuentes_usadas(datos) or GUION
    modos = {"recalculadas": "recalculadas por la herramienta (las diferencias con lo reportado van marcadas)",
             "reportadas": "reportadas, tal como se capturaron (las cifras en disputa van marcadas)"}
    datos_clave = [
        ("Entidad federativa", f"{datos.estado.nombre} (clave INEGI {datos.estado.cve_ent})"),
        ("Fondo o programa", f"{datos.fondo.clave}: {datos.fondo.nombre}"),
        ("Ejercicio fiscal evaluado", datos.ciclo),
        ("Ejecutora", ficha.get("ejecutora")),
        ("Instancia evaluadora", ficha.get("instancia_evaluadora")),
        ("Fecha de corte", fecha_larga(datos.fecha_corte)),
        ("Fuentes", origen),
        *([("Cifras de los anexos", modos[cifras])] if cifras in modos else []),
        ("Generado", momento_largo(generado)),
    ]
    dl = "".join(_dato(e, v) for e, v in datos_clave)
    partes = [
        estilos(),
        banner_demo(datos.demo),
        '<header class="portada">',
        '<p class="antetitulo">Evaluación Específica del Desempeño · Informe estatal</p>',
        f"<h1>{esc(datos.estado.nombre)}: {esc(datos.fondo.clave)}, ejercicio {esc(datos.ciclo)}</h1>",
        f'<p class="subtitulo">{esc(datos.fondo.nombre)}</p>',
        f'<dl class="ficha">{dl}</dl>',
        "</header>",
    ]
    return unir(partes, f"{datos.estado.nombre} {datos.ciclo} {datos.fondo.clave}")


def titulo_pagina(datos: "DatosEstado") -> str:
    """The ``<title>`` of the state page."""
    return f"Informe EED {datos.ciclo} · {datos.fondo.clave} · {datos.estado.nombre}"


# --------------------------------------------------------------------------------------------
# Resumen ejecutivo
# --------------------------------------------------------------------------------------------


def _tarjeta(etiqueta: str, valor: str, detalle: str | None = None, clase: str = "") -> str:
    det = f'<div class="tarjeta-detalle">{atar(detalle)}</div>' if detalle else ""
    return (f'<div class="tarjeta {esc(clase)}"><div class="tarjeta-etiqueta">{esc(etiqueta)}</div>'
            f'<div class="tarjeta-valor">{valor}</div>{det}</div>')


def _conteos(conteo: dict[str, int], clases: dict[str, str], etiquetas: dict[str, str] | None = None) -> str:
    etiquetas = etiquetas or {}
    return " ".join(
        f'<span class="chip chip-{esc(clases.get(k, "gris"))}"><span aria-hidden="true">'
        f'{ICONOS.get(clases.get(k, "gris"), "●")}</span> {esc(etiquetas.get(k, k))}: <b>{int(v)}</b></span>'
        for k, v in conteo.items())


def lecturas_clave(resumen: dict, disputas: dict[str, str] | None = None) -> list[str]:
    """Plain-Spanish sentences stating what the headline figures mean (escaped HTML); a disputed
    figure says so in its sentence (``disputas``, see :func:`resumen_ejecutivo`)."""
    disputas = disputas or {}
    frases = []
    mod, dev, ej = resumen.get("modificado"), resumen.get("devengado"), resumen.get("pct_ejercido")
    if cifra(ej) is not None:
        frase = (f"Se devengó el <b>{pct(ej)}</b> del presupuesto modificado "
                 f"({esc(pesos(dev))} de {esc(pesos(mod))}).")
        if ej > 100:
            frase += " El devengado supera al modificado: conviene revisar la cifra con la ejecutora."
        elif ej < 90:
            frase += " Queda una parte importante del presupuesto sin devengar."
        if disputas.get("pct_ejercido"):
            frase += f" La cifra está en disputa: {esc(disputas['pct_ejercido'])}."
        frases.append(frase)
    elif cifra(mod) is not None:
        frases.append("No se calcula el porcentaje ejercido porque el presupuesto modificado es cero.")
    fed = resumen.get("participacion_federal")
    if cifra(fed) is not None:
        frases.append(f"Los recursos federales representan el <b>{pct(fed)}</b> de los recursos de la "
                      "ejecutora para la salud (Anexo 2).")
    sem = resumen.get("semaforo") or {}
    total_ind = sum(sem.values())
    if total_ind:
        frases.append(
            f"De {cuenta(total_ind, 'indicador', 'indicadores')}, {sem.get('Verde', 0)} "
            f"{'está' if sem.get('Verde', 0) == 1 else 'están'} en verde, {sem.get('Amarillo', 0)} en "
            f"amarillo, {sem.get('Rojo', 0)} en rojo y {sem.get('Sobrecumplimiento', 0)} con sobrecumplimiento"
            + (f"; {sem.get('Sin valor', 0)} no se pudieron valorar." if sem.get("Sin valor") else "."))
    a = resumen.get("asm") or {}
    total_asm = sum(a.values())
    if total_asm:
        pendientes = total_asm - a.get("Atendido", 0)
        atendidos, vencidos = a.get("Atendido", 0), a.get("Vencido", 0)
        frases.append(
            f"De {cuenta(total_asm, 'aspecto susceptible', 'aspectos susceptibles')} de mejora, "
            f"{atendidos} {'está atendido' if atendidos == 1 else 'están atendidos'} y {pendientes} "
            f"{'sigue pendiente' if pendientes == 1 else 'siguen pendientes'}; {vencidos} "
            f"{'ya venció' if vencidos == 1 else 'ya vencieron'} a la fecha de corte."
            + (f" Ojo: {esc(disputas['asm'])}." if disputas.get("asm") else ""))
    h = resumen.get("hallazgos") or {}
    if sum(h.values()):
        frases.append(f"La auditoría de cifras encontró {cuenta(int(h.get('error', 0)), 'error', 'errores')}, "
                      f"{cuenta(int(h.get('advertencia', 0)), 'advertencia')} y "
                      f"{cuenta(int(h.get('info', 0)), 'nota informativa', 'notas informativas')}.")
    else:
        frases.append("La auditoría de cifras no encontró diferencias entre lo reportado y lo calculado.")
    return frases


def _disputa(clave: str, disputas: dict[str, str] | None) -> str:
    """The short reason a headline figure is disputed («En disputa: …»), as HTML; "" when it is not."""
    motivo = (disputas or {}).get(clave)
    if not motivo:
        return ""
    return (f'<span class="disputa">{_sup_marca("*")} En disputa: {esc(motivo)} (ver <a href="#calidad">Calidad '
            "de los datos</a>).</span>")


def resumen_ejecutivo(anexos: "Anexos", disputas: dict[str, str] | None = None) -> Html:
    """Headline figures: money, % exercised, federal share, semáforo, ASM, findings.

    ``disputas`` (:func:`asm_analysis.publicacion.marcas.disputas_resumen`): a figure an error finding
    touches carries a mark and its short reason, never shown as a plain fact.
    """
    r = anexos.resumen or {}
    sem = r.get("semaforo") or {}
    a = r.get("asm") or {}
    h = r.get("hallazgos") or {}
    total_asm = sum(a.values())
    atendidos = a.get("Atendido", 0)
    def valor(clave: str, texto: str) -> str:
        return esc(texto) + (_sup_marca("*") if (disputas or {}).get(clave) else "")

    def detalle(clave: str, texto: str) -> str:
        return texto + (f"<br>{_disputa(clave, disputas)}" if (disputas or {}).get(clave) else "")

    tarjetas = [
        _tarjeta("Presupuesto aprobado", valor("aprobado", pesos(r.get("aprobado"))),
                 detalle("aprobado", esc(pesos_corto(r.get("aprobado"))))),
        _tarjeta("Presupuesto modificado", valor("modificado", pesos(r.get("modificado"))),
                 detalle("modificado", esc(pesos_corto(r.get("modificado"))))),
        _tarjeta("Devengado", valor("devengado", pesos(r.get("devengado"))),
                 detalle("devengado", esc(pesos_corto(r.get("devengado"))))),
        _tarjeta("Pagado", valor("pagado", pesos(r.get("pagado"))), detalle("pagado", esc(pesos_corto(r.get("pagado"))))),
        _tarjeta("Porcentaje ejercido", valor("pct_ejercido", pct(r.get("pct_ejercido"))),
                 detalle("pct_ejercido", "devengado / modificado"), "destacada"),
        _tarjeta("Participación federal", valor("participacion_federal", pct(r.get("participacion_federal"))),
                 detalle("participacion_federal", "en los recursos de la ejecutora (Anexo 2)"), "destacada"),
    ]
    grupos = [
        ('<div class="grupo"><h3>Indicadores por semáforo</h3><p class="chips">'
         + (_conteos(sem, CLASES_SEMAFORO) if sum(sem.values()) else "Sin indicadores.") + "</p>"
         + (f'<p class="disputa-grupo">{_disputa("semaforo", disputas)}</p>' if (disputas or {}).get("semaforo") else "")
         + "</div>"),
        ('<div class="grupo"><h3>Aspectos susceptibles de mejora</h3><p class="chips">'
         + (_conteos({"Atendidos": atendidos, "Pendientes": total_asm - atendidos, "Vencidos": a.get("Vencido", 0)},
                     {"Atendidos": "verde", "Pendientes": "azul", "Vencidos": "rojo"})
            if total_asm else "Sin ASM registrados.") + "</p>"
         + (f'<p class="disputa-grupo">{_disputa("asm", disputas)}</p>' if (disputas or {}).get("asm") else "")
         + "</div>"),
        ('<div class="grupo"><h3>Hallazgos de la auditoría por severidad</h3><p class="chips">'
         + _conteos({k: h.get(k, 0) for k in ("error", "advertencia", "info")}, CLASES_SEVERIDAD, ETIQUETAS_SEVERIDAD)
         + "</p></div>"),
    ]
    frases = "".join(f"<li>{atar(f)}</li>" for f in lecturas_clave(r, disputas))
    return Html(f'<div class="tarjetas">{"".join(tarjetas)}</div><div class="grupos">{atar("".join(grupos))}</div>'
                f'<div class="lecturas"><h3>Lecturas clave</h3><ul>{frases}</ul></div>', "resumen ejecutivo")


# --------------------------------------------------------------------------------------------
# Annex tables
# --------------------------------------------------------------------------------------------

#: The page's own order of columns where it differs from the workbook's (labels from ``columnas``).
ORDEN_ANEXO3 = ("evaluacion_origen", "numero", "aspecto", "area_responsable", "avance_promedio_asm", "estatus",
                "estatus_reportado", "motivo", "reincidente", "evaluaciones_reincidencia")
ORDEN_ANEXO4_CIFRAS = ("mir", "nivel", "indicador", "unidad_medida", "frecuencia", "sentido", "meta",
                       "meta_modificada", "avance", "cumplimiento", "cumplimiento_programada", "meta_anterior", "avance_anterior", "cumplimiento_anterior",
                       "variacion_cumplimiento")
ORDEN_ANEXO4_TEXTOS = ("nivel", "indicador", "clave_indicador", "trimestre", "avance_reportado", "justificacion",
                       "medios_verificacion", "origen_anterior", "nota")
ORDEN_SEGUIMIENTO = ("evaluacion_origen", "numero", "aspecto", "accion", "tipo", "prioridad", "area_responsable",
                     "fecha_inicio", "fecha_termino", "avance", "avance_promedio_asm", "estatus", "dias_vencido",
                     "documento_probatorio")
ORDEN_ANEXO6 = ("campo", "valor", "pendiente")
#: Anexo 4 on the page: each compliance column also shows its semáforo (a column built here).
CON_SEMAFORO = {"cumplimiento": "_cumplimiento_semaforo", "cumplimiento_anterior": "_cumplimiento_semaforo_anterior"}


MONTOS_ANEXO1 = ("aprobado", "modificado", "devengado", "pagado", "disponible")
#: The page's shares of Anexo 1 and the amounts they divide: a mark on an amount marks its share too.
DERIVADAS_ANEXO1 = {"pct_devengado_modificado": ("devengado", "modificado"),
                    "pct_pagado_devengado": ("pagado", "devengado")}


def _fila_cero(fila: pd.Series) -> str | None:
    if fila.get("tipo_fila") == "detalle" and all(
            (cifra(fila.get(m)) or 0) == 0 for m in MONTOS_ANEXO1):
        return "fila-cero"
    return None


def conceptos_en_cero(anexo1: pd.DataFrame) -> dict[str, list[int]]:
    """Chapter → row positions of its concepts with every amount zero (or blank).

    Only chapters with two or more such concepts are listed: those are the rows the page
    folds into one line (a single zero concept stays a plain grey row).
    """
    if anexo1 is None or anexo1.empty:
        return {}
    grupos: dict[str, list[int]] = {}
    for i, (_, fila) in enumerate(anexo1.iterrows()):
        if _fila_cero(fila):
            grupos.setdefault(str(fila["capitulo"]), []).append(i)
    return {c: pos for c, pos in grupos.items() if len(pos) >= 2}


def _fila_plegada(ceros: pd.DataFrame, capitulo: str, n_cols: int) -> str:
    """One table row holding a ``<details>``: ``k conceptos … en cero``, opened to list them."""
    items = "".join(f'<li><span class="clave">{esc(f["concepto"])}</span> {esc(f["descripcion"])}</li>'
                    for _, f in ceros.iterrows())
    claves = ", ".join(esc(c) for c in ceros["concepto"])
    return (f'<tr class="fila-plegada"><td colspan="{n_cols}"><details class="ceros">'
            f"<summary>{len(ceros)} conceptos del capítulo {esc(capitulo)} sin importes "
            f'<span class="claves">({claves})</span>: $0.00 en todos los momentos</summary>'
            f'<ul class="conceptos-cero">{items}</ul></details></td></tr>')


@plegable("Tabla del Anexo 1")
def tabla_anexo1(anexos: "Anexos", marcas: pd.DataFrame | None = None, cifras: str | None = None) -> Html:
    """Anexo 1: every COG concept, chapter subtotals (bold) and the grand total.

    Like the published annex, every concept of the clasificador is there; the concepts of a
    chapter with no amount at all are folded into one line that opens (``<details>``, no
    script) just before the chapter subtotal (never a row with a mark). ``marcas`` and ``cifras``:
    the numbered marks of the report and the mode of its figures (:func:`nota_marcas`).
    """
    t = anexos.anexo1
    titulo = "Anexo 1. Presupuesto por capítulo y concepto del gasto (pesos)"
    if t is None or t.empty:
        return tabla(t, de_pagina("anexo1"), titulo=titulo, clase="anexo1")
    propias = _marcas_de(marcas, "anexo1")
    por_fila = marcas_por_fila(propias)
    for celdas in por_fila.values():  # a share of a disputed amount carries that amount's mark
        for share, fuentes in DERIVADAS_ANEXO1.items():
            numeros = [str(celdas[f]) for f in fuentes if f in celdas]
            if numeros and share not in celdas:
                celdas[share] = ",".join(numeros)
    cols = _columnas_visibles(t, de_pagina("anexo1"), False)
    if any(c.formato_pagina == "millones" for c in cols):
        titulo = ("Anexo 1. Presupuesto por capítulo y concepto del gasto (millones de pesos; las cifras "
                  "exactas, en pesos, están en anexos.xlsx)")
    plegar = {c: [i for i in pos if t.index[i] not in por_fila] for c, pos in conceptos_en_cero(t).items()}
    plegar = {c: pos for c, pos in plegar.items() if len(pos) >= 2}
    plegadas = {i for pos in plegar.values() for i in pos}
    partes = _cabecera(cols, titulo, "anexo1")
    for i, (_, fila) in enumerate(t.iterrows()):
        capitulo = str(fila["capitulo"])
        if fila.get("tipo_fila") == "subtotal" and capitulo in plegar:
            partes.append(_fila_plegada(t.iloc[plegar[capitulo]], capitulo, len(cols)))
        if i in plegadas:
            continue
        partes.append(_fila_html(fila, cols, _clases_fila(fila, "tipo_fila", _fila_cero), por_fila.get(t.index[i])))
    partes.append("</tbody></table></div>")
    return Html("".join(partes), f"tabla de {len(t)} filas") + nota_marcas(propias, cifras)


@plegable("Tabla de recursos de ejercicios anteriores")
def tabla_arrastre(anexos: "Anexos") -> Html | None:
    """Money from earlier years spent this year; None when there is none."""
    if anexos.anexo1_arrastre is None or anexos.anexo1_arrastre.empty:
        return None
    return unir([
        '<h3>Recursos de ejercicios anteriores</h3>',
        '<p class="explica">Recursos de ejercicios fiscales previos ejercidos en el año evaluado. Se muestran '
        "aparte para que no inflen las cifras del ejercicio.</p>",
        tabla(anexos.anexo1_arrastre, de_pagina("anexo1_arrastre"), clase="arrastre"),
    ])


@plegable("Tabla del Anexo 2")
def tabla_anexo2(anexos: "Anexos", marcas: pd.DataFrame | None = None, cifras: str | None = None) -> Html:
    propias = _marcas_de(marcas, "anexo2")
    return tabla(anexos.anexo2, de_pagina("anexo2"), clase="anexo2",
                 titulo="Anexo 2. Fuentes de financiamiento de la ejecutora por orden de gobierno",
                 vacia="Sin datos de concurrencia de recursos.", marcas=propias) + nota_marcas(propias, cifras)


def bandas_semaforo() -> Html:
    """The semáforo bands in force (from ``data/semaforo.csv``), as a legend table."""
    from asm_analysis.anexos.indicadores import bandas_por_omision

    b = bandas_por_omision()
    filas = []
    for _, f in b.iterrows():
        desde = "" if vacio(f["desde"]) else f"desde {numero(f['desde'])} %"
        hasta = "" if vacio(f["hasta"]) else f"menos de {numero(f['hasta'])} %"
        rango = " y ".join(x for x in (desde, hasta) if x) or GUION
        filas.append({"semaforo": f["semaforo"], "rango": rango, "descripcion": f["descripcion"]})
    return tabla(pd.DataFrame(filas), de_pagina("bandas_semaforo"), clase="bandas compacta")


def _con_semaforo(cumplimiento: pd.Series, semaforo: pd.Series) -> list:
    """(compliance, semáforo) pairs shown in one cell; None when both are missing."""
    return [None if vacio(c) and vacio(s) else (c, s) for c, s in zip(cumplimiento, semaforo)]


def _columnas_anexo4(ciclo: int | None) -> list[Columna]:
    """Anexo 4's figures on the page: each compliance column holds its semáforo too (same label plus
    « y semáforo»)."""
    return [Columna(CON_SEMAFORO[c.clave], f"{c.etiqueta} y semáforo", c.tipo, vista="cumplimiento_semaforo")
            if c.clave in CON_SEMAFORO else c for c in de_pagina("anexo4", ORDEN_ANEXO4_CIFRAS, ciclo)]


@plegable("Tablas del Anexo 4")
def tabla_anexo4(anexos: "Anexos", marcas: pd.DataFrame | None = None, cifras: str | None = None) -> Html:
    """Anexo 4 in one page width: each compliance shown with its semáforo in the same cell; a
    variation left out because the prior-year figures are disputed shows «—» with its mark."""
    t = anexos.anexo4
    ciclo = (anexos.resumen or {}).get("ciclo")
    if t is not None and not t.empty and "meta_modificada" in t \
            and (t["meta_modificada"].isna() | (t["meta_modificada"] == t["meta"])).all():
        t = t.assign(meta_modificada=None)  # the page shows the SRFT's modified goal only where it differs
    if t is not None and not t.empty:
        t = t.assign(
            _cumplimiento_semaforo=_con_semaforo(t["cumplimiento"], t["semaforo"]),
            _cumplimiento_semaforo_anterior=_con_semaforo(
                t.get("cumplimiento_anterior", pd.Series([None] * len(t), index=t.index)),
                t.get("semaforo_anterior", pd.Series([None] * len(t), index=t.index))))
    propias = _marcas_de(marcas, "anexo4")
    if propias is not None and not propias.empty:
        propias = propias.assign(columna=propias["columna"].map(lambda c: CON_SEMAFORO.get(c, c)))
    return unir([
        tabla(t, _columnas_anexo4(ciclo), clase="anexo4", titulo="Anexo 4. Metas, avances y cumplimiento",
              vacia="Sin indicadores.", omitir_vacias=True, marcas=propias),
        nota_marcas(_marcas_de(marcas, "anexo4"), cifras),
        tabla(t, de_pagina("anexo4", ORDEN_ANEXO4_TEXTOS, ciclo), clase="anexo4-texto", omitir_vacias=True,
              titulo="Justificaciones, medios de verificación y notas") if not anexos.anexo4.empty else None,
    ])


@plegable("Tabla del Anexo 3")
def tabla_anexo3(anexos: "Anexos", marcas: pd.DataFrame | None = None) -> Html:
    propias = _marcas_de(marcas, "anexo3")
    return tabla(anexos.anexo3, de_pagina("anexo3", ORDEN_ANEXO3), clase="anexo3",
                 vacia="No hay ASM de evaluaciones anteriores pendientes.", marcas=propias) + nota_marcas(propias)


@plegable("Tabla del Anexo 7")
def tabla_anexo7(anexos: "Anexos") -> Html:
    return tabla(anexos.anexo7, de_pagina("anexo7"), clase="anexo7",
                 vacia="No hay ASM registrados para la evaluación de este ciclo.")


def tabla_conteos_asm(anexos: "Anexos") -> Html:
    return tabla(anexos.conteos_asm, de_pagina("conteos_asm"), clase="conteos-asm compacta",
                 titulo="ASM por tipo, prioridad y estatus al corte", vacia="Sin ASM.")


@plegable("Tabla de seguimiento de las acciones")
def tabla_seguimiento(anexos: "Anexos") -> Html:
    return tabla(anexos.seguimiento, de_pagina("seguimiento", ORDEN_SEGUIMIENTO), clase="seguimiento", omitir_vacias=True,
                 vacia="Sin acciones de seguimiento.")


@plegable("Tabla del Anexo 5")
def tabla_anexo5(anexos: "Anexos") -> Html:
    return tabla(anexos.anexo5, de_pagina("anexo5"), clase="anexo5", vacia="Sin FODA capturado.")


def procedencia_anexo6(datos: "DatosEstado", anexos: "Anexos") -> Html | None:
    """Where the CONAC form's content comes from (the workbook's ``ficha`` and ``foda`` sheets, by
    file name), then the note of its pending fields."""
    libros = _archivos_por_tipo(datos).get("captura", [])
    if libros:
        origen = (f"El contenido del formato viene de la hoja «ficha» del libro de captura "
                  f"{', '.join(f'«{n}»' for n in libros)}, escrita por la instancia evaluadora; las recomendaciones "
                  "que la ficha deja vacías se toman de su hoja «foda». Ningún campo se llena con la auditoría de "
                  "esta herramienta.")
    else:
        origen = ("Este informe no tiene libro de captura: el formato CONAC solo se llena con la hoja «ficha» de un "
                  "libro de captura, así que sus campos quedan pendientes.")
    return unir([nota(origen, "info", "Fuente:"), nota_anexo(anexos, "anexo6")])


@plegable("Formato CONAC completo")
def tabla_anexo6(anexos: "Anexos") -> Html:
    """The CONAC form grouped by section; blank fields flagged as pending."""
    t = anexos.anexo6
    if t is None or t.empty:
        return Html('<p class="vacio">Sin datos para el formato CONAC.</p>')
    partes = []
    for seccion, grupo in t.groupby("seccion", sort=False):
        partes.append(tabla(grupo, de_pagina("anexo6", ORDEN_ANEXO6), titulo=str(seccion), clase="anexo6",
                            clase_fila=lambda f: "fila-pendiente" if f.get("pendiente") == "Sí" else None))
    return unir(partes)


ORDEN_SEVERIDAD = {"error": 0, "advertencia": 1, "info": 2}


@lru_cache(maxsize=1)
def correcciones() -> dict[str, str]:
    """Rule id → a short Spanish "cómo corregir" (``data/correcciones.csv``, next to the rules).

    Every rule of :data:`asm_analysis.auditoria.REGLAS` has one (a test checks it).
    """
    with (resources.files("asm_analysis") / "data" / "correcciones.csv").open(encoding="utf-8") as f:
        tabla_c = pd.read_csv(f, dtype=str, keep_default_na=False)
    return dict(zip(tabla_c["regla"], tabla_c["como_corregir"]))


def _reglas() -> dict[str, tuple[str, str, str]]:
    from asm_analysis.auditoria import REGLAS

    return REGLAS


def _orden_anexo(anexo: object) -> int:
    from asm_analysis.auditoria import ORDEN_ANEXOS

    return ORDEN_ANEXOS.index(anexo) if anexo in ORDEN_ANEXOS else len(ORDEN_ANEXOS)


def resumen_por_regla(h: pd.DataFrame) -> pd.DataFrame:
    """One row per rule with findings: id, severity, count, what the rule checks, how to fix.

    Ordered by severity (errors first), then by the annex the rule reads and the rule id;
    the counts add up to the number of findings.
    """
    columnas = ["regla", "severidad", "anexo", "hallazgos", "descripcion", "como_corregir"]
    if h is None or h.empty:
        return pd.DataFrame(columns=columnas)
    reglas, arreglos = _reglas(), correcciones()
    filas = []
    for regla, grupo in h.groupby("regla", sort=False):
        severidad = grupo["severidad"].iloc[0]
        filas.append({"regla": regla, "severidad": severidad,
                      "anexo": reglas.get(regla, (None, grupo["anexo"].iloc[0], None))[1],
                      "hallazgos": len(grupo), "descripcion": reglas.get(regla, (None, None, ""))[2],
                      "como_corregir": arreglos.get(regla, "")})
    r = pd.DataFrame(filas, columns=columnas)
    r["_s"] = r["severidad"].map(ORDEN_SEVERIDAD).fillna(9)
    r["_a"] = r["anexo"].map(_orden_anexo)
    return r.sort_values(["_s", "_a", "regla"], kind="stable").drop(columns=["_s", "_a"]).reset_index(drop=True)


def texto_hallazgo(ubicacion: object, mensaje: object) -> str:
    """The message of a finding without its leading location (shown in its own column).

    The audit writes ``"Hoja destino, fila 9, capítulo 1000, columna devengado: el subtotal…"``;
    this returns ``"el subtotal…"`` (the message unchanged when it does not start that way).
    """
    texto, lugar = "" if vacio(mensaje) else str(mensaje), "" if vacio(ubicacion) else str(ubicacion)
    prefijo = f"{lugar[:1].upper()}{lugar[1:]}: " if lugar else ""
    return texto[len(prefijo):] if prefijo and texto.startswith(prefijo) else texto


def agrupar_hallazgos(h: pd.DataFrame) -> pd.DataFrame:
    """Findings as a reader sees them: one line per rule and place, ordered by annex.

    Findings of the same rule at the same place that differ only in the column (a chapter
    subtotal wrong in modificado, devengado and pagado) become one line naming the columns,
    with one value per column: one problem in the source is one line to fix, not three.
    ``hallazgos`` is how many findings of the audit the line stands for, so the lines add up
    to the audit's count. Each line carries the rule's "cómo corregir".
    """
    columnas = ["anexo", "regla", "severidad", "ubicacion", "columnas", "hallazgos", "valor_reportado",
                "valor_calculado", "diferencia", "mensaje", "como_corregir"]
    if h is None or h.empty:
        return pd.DataFrame(columns=columnas)
    from asm_analysis.auditoria.insumos import columnas_de

    arreglos = correcciones()
    t = h.reset_index(drop=True).copy()
    # the place without its columns, and its columns by name (the cell's header says they are columns)
    partes = [columnas_de(u) for u in t["ubicacion"]]
    t["_lugar"] = [lugar for lugar, _ in partes]
    t["_columna"] = [" y ".join([", ".join(nombres[:-1]), nombres[-1]] if len(nombres) > 2 else nombres)
                     for _, nombres in partes]
    # each figure in its own kind (pesos, %, pp, a year…), as its rule declares it: the text the workbook and Word show
    tipos = [tipos_de_hallazgo(r, u) for r, u in zip(t["regla"], t["ubicacion"])]
    for c in CIFRAS_HALLAZGO:
        t[f"_{c}"] = [formatos.por_tipo(v, tipo[c]) for v, tipo in zip(t[c], tipos)]
    t["_pos"] = range(len(t))
    filas = []
    for (_, regla, lugar), g in t.groupby(["anexo", "regla", "_lugar"], sort=False, dropna=False):
        varias = len(g) > 1

        def valores(col: str) -> str:
            textos = list(g[f"_{col}"])
            if not varias:
                return textos[0]
            return "\n".join(f"{c}: {x}" for c, x in zip(g["_columna"], textos) if x)

        filas.append({
            "anexo": g["anexo"].iloc[0], "regla": regla, "severidad": g["severidad"].iloc[0],
            "ubicacion": lugar, "columnas": ", ".join(c for c in dict.fromkeys(g["_columna"]) if c),
            "hallazgos": len(g), "valor_reportado": valores("valor_reportado"),
            "valor_calculado": valores("valor_calculado"), "diferencia": valores("diferencia"),
            "mensaje": "\n".join(texto_hallazgo(u, m) for u, m in zip(g["ubicacion"], g["mensaje"])),
            "como_corregir": arreglos.get(regla, ""), "_pos": int(g["_pos"].min()),
        })
    r = pd.DataFrame(filas)
    r["_a"] = r["anexo"].map(_orden_anexo)
    r["_s"] = r["severidad"].map(ORDEN_SEVERIDAD).fillna(9)
    return (r.sort_values(["_a", "_s", "regla", "_pos"], kind="stable")
            .reindex(columns=columnas).reset_index(drop=True))


#: The columns of the summary by rule on the page (of ``columnas.TABLAS["resumen_hallazgos"]``).
ORDEN_RESUMEN_REGLAS = ("regla", "severidad", "hallazgos", "descripcion")


def _ancla_anexo(anexo: str) -> str:
    return "hallazgos-" + re.sub(r"[^a-z0-9]+", "-", normalizar_ancla(anexo)).strip("-")


def normalizar_ancla(texto: object) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", str(texto).lower()) if not unicodedata.combining(ch))


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def hallazgos(anexos: "Anexos") -> Html:
    """Findings: counts by severity, a summary by rule, then the detail grouped by annex.

    In each annex, findings are grouped by rule; each group states the rule's severity, what
    it checks and how to fix it, then lists its findings (one line per place, see
    :func:`agrupar_hallazgos`).
    """
    h = anexos.hallazgos
    conteo = (anexos.resumen or {}).get("hallazgos") or (
        {s: int((h["severidad"] == s).sum()) for s in ORDEN_SEVERIDAD} if h is not None and not h.empty else {})
    conteo = {s: int(conteo.get(s, 0)) for s in ORDEN_SEVERIDAD}
    cabeza = ('<p class="chips conteo-hallazgos">'
              + _conteos(conteo, CLASES_SEVERIDAD, ETIQUETAS_SEVERIDAD) + "</p>")
    if h is None or h.empty:
        return Html(cabeza + '<p class="vacio">No se encontraron diferencias entre lo reportado y lo calculado '
                    "ni datos faltantes que impidan el cálculo.</p>", "sin hallazgos")
    resumen = resumen_por_regla(h)
    grupos = agrupar_hallazgos(h)
    anexos_con = list(dict.fromkeys(grupos["anexo"]))
    saltos = " · ".join(f'<a href="#{_ancla_anexo(a)}">{esc(a)}</a>' for a in anexos_con)
    partes = [f'<p class="saltos-anexo">Detalle por anexo: {saltos}</p>']
    for anexo in anexos_con:
        del_anexo = grupos[grupos["anexo"] == anexo]
        n = int(del_anexo["hallazgos"].sum())
        partes.append(f'<h3 id="{_ancla_anexo(anexo)}" class="hallazgos-anexo">{esc(anexo)} · '
                      f'{_plural(n, "hallazgo", "hallazgos")}</h3>')
        for regla, g in del_anexo.groupby("regla", sort=False):
            sev = g["severidad"].iloc[0]
            descripcion = _reglas().get(regla, (None, None, ""))[2]
            k = int(g["hallazgos"].sum())
            lineas = f", en {_plural(len(g), 'lugar', 'lugares')}" if len(g) != k else ""
            partes.append(
                f'<section class="grupo-regla sev-{esc(sev)}" data-regla="{esc(regla)}">'
                f'<p class="regla-cabeza"><code>{esc(regla)}</code> {chip_severidad(sev)} '
                f'<span class="regla-cuenta">{_plural(k, "hallazgo", "hallazgos")}{lineas}</span></p>'
                + (f'<p class="regla-descripcion">{prosa(descripcion)}</p>' if descripcion else "")
                + (f'<p class="corregir"><strong>Cómo corregir:</strong> {prosa(g["como_corregir"].iloc[0])}</p>'
                   if g["como_corregir"].iloc[0] else "")
                + str(tabla(g, para_regla(de_pagina("hallazgos_agrupados"), regla), clase="hallazgos", tipo_fila=None,
                            omitir_vacias=True))
                + "</section>")
    resumen_html = desplegable(tabla(resumen, de_pagina("resumen_hallazgos", ORDEN_RESUMEN_REGLAS),
                                     clase="resumen-reglas", tipo_fila=None,
                                     clase_fila=lambda f: f"sev-{f.get('severidad')}"), "Resumen por regla")
    detalle = desplegable("".join(partes), "Detalle por anexo, con cómo corregir cada hallazgo")
    return Html(cabeza + '<h3 class="hallazgos-titulo">Resumen por regla</h3>' + str(resumen_html) + str(detalle),
                f"{len(h)} hallazgos")


# --------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------

TIPOS_ARCHIVO = {"captura": "Libro de captura", "srft": "SRFT (SHCP, ejercicio del gasto)",
                 "indicadores": "Indicadores (CSV nacional)", "concurrencia": "Concurrencia (CSV nacional)",
                 "asm": "ASM (CSV nacional)", "tolerancias": "Tolerancias de la auditoría",
                 "proyectos": "SRFT (SHCP, proyectos: destino del gasto)",
                 "srft_indicadores": "SRFT (SHCP), módulo Indicadores"}
NOMBRES_FUENTE = {"captura": "Libro de captura", "srft": "SRFT (SHCP)", "nacional": "CSV nacional",
                  "srft_proyectos": "SRFT (SHCP), exportación de proyectos",
                  "srft_indicadores": "SRFT (SHCP), exportación del módulo Indicadores"}
TABLAS_FUENTE = {"destino": "Anexo 1 (destino)", "concurrencia": "Anexo 2 (concurrencia)",
                 "indicadores": "Anexo 4 (indicadores)", "asm": "ASM (Anexos 3 y 7)", "foda": "Anexo 5 (FODA)",
                 "indicadores_anterior": "Anexo 4, columnas del año anterior",
                 "indicadores_srft": "Anexo 4 (MIR federal)",
                 "indicadores_srft_anterior": "Anexo 4, MIR federal del año anterior",
                 "destino_anterior": "Auditoría: presupuesto del año anterior",
                 "asm_anterior": "Auditoría: ASM del año anterior",
                 "proyectos": "Distribución geográfica (proyectos)"}


#: The units of the tolerances (``data/tolerancias.json``) in the singular, for a value of exactly 1.
UNIDADES_SINGULAR = {"pesos": "peso", "puntos porcentuales": "punto porcentual",
                     "unidades del indicador": "unidad del indicador", "días": "día"}


def unidad_en_numero(valor: object, unidad: object) -> str:
    """``unidad`` agreeing with ``valor``: «1 peso», «0.05 puntos porcentuales», «1 punto porcentual»."""
    unidad = "" if vacio(unidad) else str(unidad)
    return UNIDADES_SINGULAR.get(unidad, unidad) if cifra(valor) == 1 else unidad


@plegable("Tolerancias en vigor")
def tabla_tolerancias(tolerancias: "Tolerancias") -> Html:
    """The tolerances the audit of this report used, with their unit and the file each value came from; each
    named as a reader knows it, with the key a ``tolerancias.json`` sets (``Ejecución baja («ejecucion_baja»)``)."""
    from asm_analysis.auditoria.tolerancias import nombre

    t = tolerancias.tabla()
    t["tolerancia"] = [(lambda n: n[:1].upper() + n[1:])(nombre(k)) for k in t["tolerancia"]]
    paquete = t["origen"].str.endswith("asm_analysis/data/tolerancias.json")
    t["origen"] = t["origen"].where(~paquete, "valor por omisión de asm-analysis")
    t["valor"] = [f"{numero(v)} {unidad_en_numero(v, u)}" for v, u in zip(t["valor"], t["unidad"])]
    return tabla(t, de_pagina("tolerancias"), clase="compacta", titulo="Tolerancias en vigor")


@plegable("Archivos, fuentes, parámetros y versiones")
def procedencia(datos: "DatosEstado", parametros: dict[str, object], generado: dt.datetime | None = None,
                tolerancias: "Tolerancias | None" = None) -> Html:
    """Input files with SHA-256 (the tolerance files read among them), the source of each annex,
    parameters, versions, generation time."""
    generado = generado or ahora()
    extra = tolerancias.archivos() if tolerancias is not None else []
    t_archivos = tabla_archivos([*(datos.archivos or []), *extra])
    fuentes = pd.DataFrame([{"tabla": TABLAS_FUENTE.get(k, k), "fuente": NOMBRES_FUENTE.get(v, v)}
                            for k, v in (datos.fuentes or {}).items()])
    archivos_srft = ", ".join(f"«{n}»" for n in _archivos_por_tipo(datos).get("srft", []))
    if datos.trimestre_srft is not None and not fuentes.empty:
        fuentes.loc[fuentes["fuente"] == NOMBRES_FUENTE["srft"], "fuente"] = (
            _corte_srft(datos) + (f": {archivos_srft}" if archivos_srft else ""))
    if archivos_srft and "srft" not in (datos.fuentes or {}).values():  # read for the audit only (A1-SRFT)
        fuentes = pd.concat([fuentes, pd.DataFrame([{
            "tabla": "Auditoría: Anexo 1 contra el SRFT (regla A1-SRFT)",
            "fuente": (_corte_srft(datos) if datos.srft is not None and not datos.srft.empty else "SRFT (SHCP)")
            + f": {archivos_srft}"}])], ignore_index=True)
    t_fuentes = tabla(fuentes, de_pagina("fuentes"), clase="compacta",
                      titulo="Fuente de cada anexo")
    return unir([t_archivos, t_fuentes, tabla_parametros(parametros, generado)], "procedencia")


def tabla_archivos(archivos: list[dict] | None) -> Html:
    """The input files: name, kind, size and SHA-256."""
    t = pd.DataFrame(archivos or [], columns=["archivo", "tipo", "sha256", "tamano"])
    if not t.empty:
        t["tipo"] = t["tipo"].map(lambda x: TIPOS_ARCHIVO.get(x, x))
    return tabla(t, de_pagina("archivos"), clase="archivos compacta", titulo="Archivos de entrada",
                 vacia="Sin archivos registrados.")


def _corte_srft(datos: "DatosEstado") -> str:
    """«SRFT (SHCP), trimestre 5 (informe definitivo)», or the cut of each concept when they are mixed."""
    from asm_analysis.entradas import srft

    cortes = srft.resumen_cortes(datos.srft)
    if len(cortes) <= 1:
        t = int(cortes["trimestre"].iloc[0]) if len(cortes) else int(datos.trimestre_srft)
        return f"SRFT (SHCP), trimestre {t}" + (" (informe definitivo)" if t == 5 else "")
    partes = [f"trimestre {int(c.trimestre)}: conceptos {', '.join(c.conceptos)}" for c in cortes.itertuples()]
    return "SRFT (SHCP), último trimestre de cada partida (" + "; ".join(partes) + ")"


def tabla_parametros(parametros: dict[str, object], generado: dt.datetime | None = None) -> Html:
    """Parameters of the run plus tool and library versions and the generation time."""
    import matplotlib

    generado = generado or ahora()
    filas = [{"parametro": k, "valor": "" if v is None else v} for k, v in parametros.items()]
    filas += [
        {"parametro": "versión de asm-analysis", "valor": __version__},
        {"parametro": "Python / pandas / matplotlib",
         "valor": f"{platform.python_version()} / {pd.__version__} / {matplotlib.__version__}"},
        {"parametro": "generado", "valor": momento_largo(generado)},
    ]
    return tabla(pd.DataFrame(filas), de_pagina("parametros"),
                 clase="parametros compacta", titulo="Parámetros y versiones")


def parametros_informe(datos: "DatosEstado", cifras: str | None = None) -> dict[str, object]:
    """The parameters shown in the provenance section of a state report (``cifras``: the mode)."""
    return {"estado": f"{datos.estado.nombre} ({datos.estado.cve_ent})", "ciclo": datos.ciclo,
            "fondo": datos.fondo.clave, "fecha de corte": formatos.fecha(datos.fecha_corte),
            **({"cifras": cifras} if cifras else {}),
            "datos demo": "sí" if datos.demo else "no"}


# --------------------------------------------------------------------------------------------
# National comparison
# --------------------------------------------------------------------------------------------


def encabezado_comparativo(comp, generado: dt.datetime | None = None) -> Html:
    """Title of the national comparison page (cycle, fund, states covered), demo banner."""
    generado = generado or ahora()
    datos_clave = [
        ("Fondo o programa", f"{comp.fondo.clave}: {comp.fondo.nombre}"),
        ("Ejercicio fiscal", comp.ciclo),
        ("Estados con datos", f"{len(comp.tabla)} de {len(comp.tabla) + len(comp.sin_datos)}"),
        ("Generado", momento_largo(generado)),
    ]
    dl = "".join(_dato(e, v) for e, v in datos_clave)
    return unir([
        estilos(),
        banner_demo(comp.demo),
        '<header class="portada">',
        '<p class="antetitulo">Evaluación Específica del Desempeño · Comparativo nacional</p>',
        f"<h1>{esc(comp.fondo.clave)}: los estados lado a lado, ejercicio {esc(comp.ciclo)}</h1>",
        f'<p class="subtitulo">{esc(comp.fondo.nombre)}</p>',
        f'<dl class="ficha">{dl}</dl>',
        "</header>",
    ], f"comparativo {comp.ciclo} {comp.fondo.clave}")


def titulo_comparativo(comp) -> str:
    return f"Comparativo nacional EED {comp.ciclo} · {comp.fondo.clave}"


def resumen_comparativo(comp) -> Html:
    """Headline figures of the comparison: totals, national and median % exercised, semáforo, ASM."""
    from asm_analysis.publicacion.comparativo import resumen_nacional

    r = resumen_nacional(comp)
    tarjetas = [
        _tarjeta("Estados con datos", esc(r["estados_con_datos"]),
                 f"{r['estados_sin_datos']} sin datos" if r["estados_sin_datos"] else None),
        _tarjeta("Modificado (suma de estados)", esc(pesos(r["modificado"])), esc(pesos_corto(r["modificado"]))),
        _tarjeta("Devengado (suma de estados)", esc(pesos(r["devengado"])), esc(pesos_corto(r["devengado"]))),
        _tarjeta("Porcentaje ejercido nacional", esc(pct(r["pct_ejercido_nacional"])), "suma devengado / suma modificado",
                 "destacada"),
        _tarjeta("Mediana estatal del porcentaje ejercido", esc(pct(r["mediana_pct_ejercido"])), None, "destacada"),
        _tarjeta("ASM pendientes", esc(entero(r["asm_pendientes"])),
                 f"de {entero(r['asm_total'])}; {entero(r['asm_vencidos'])} vencidos"),
    ]
    grupos = [
        ('<div class="grupo"><h3>Indicadores de todos los estados por semáforo</h3><p class="chips">'
         + (_conteos(r["indicadores"], CLASES_SEMAFORO) if sum(r["indicadores"].values()) else "Sin indicadores.")
         + "</p></div>"),
        ('<div class="grupo"><h3>Hallazgos de la auditoría por severidad</h3><p class="chips">'
         + _conteos(r["hallazgos"], CLASES_SEVERIDAD, ETIQUETAS_SEVERIDAD) + "</p></div>"),
    ]
    return Html(f'<div class="tarjetas">{"".join(tarjetas)}</div><div class="grupos">{"".join(grupos)}</div>',
                "resumen nacional")


@plegable("Tabla de cada estado frente a la mediana")
def tabla_contra_mediana(comp) -> Html:
    """States × metrics: value and distance to the national median (▲ above, ▼ below)."""
    from asm_analysis.publicacion.comparativo import METRICAS_MEDIANA, contra_mediana, juicio, medianas

    t = comp.tabla
    if t.empty:
        return Html('<p class="vacio">Sin estados con datos.</p>')
    largo = contra_mediana(t)
    med = medianas(t)
    referencia = {c: atar(f"mediana {esc(pct(med[c]) if fmt == 'pct' else numero(med[c]))}")
                  for c, (etq, fmt, _) in METRICAS_MEDIANA.items()}
    cab = "".join(f'<th scope="col" class="num">{esc(etq)}<br><span class="sub">{referencia[c]}</span></th>'
                  for c, (etq, fmt, _) in METRICAS_MEDIANA.items())
    # a phone shows each row as a card without the header: each value carries its median there
    ref = {c: f'<span class="ref-mediana">{referencia[c]}</span>' for c in METRICAS_MEDIANA}
    filas = []
    for (cve, estado), grupo in largo.groupby(["cve_ent", "estado"], sort=True):
        celdas = []
        for c, (etq, fmt, _) in METRICAS_MEDIANA.items():
            g = grupo[grupo["metrica"] == c].iloc[0]
            etiqueta = f' data-label="{esc(etq)}"'
            valor = pct(g["valor"]) if fmt == "pct" else entero(g["valor"])
            if g["posicion"] in ("arriba", "abajo"):
                flecha = "▲" if g["posicion"] == "arriba" else "▼"
                dif = puntos(g["diferencia"]) if fmt == "pct" else f"{g['diferencia']:+,.1f}".removesuffix(".0")
                clase = juicio(c, g["posicion"]) or "neutra"
                celdas.append(f'<td class="num"{etiqueta}><div>{atar(esc(valor))} <span class="dif {clase}">{flecha} '
                              f"{atar(esc(dif))}</span>{ref[c]}</div></td>")
            else:
                celdas.append(f'<td class="num"{etiqueta}><div>{atar(esc(valor))}{ref[c]}</div></td>')
        filas.append(f'<tr><th scope="row">{esc(estado)}</th>{"".join(celdas)}</tr>')
    return Html(f'<div class="tabla-contenedor"><table class="tabla mediana"><caption>Cada estado frente a la mediana '
                f'nacional</caption><thead><tr><th scope="col">Estado</th>{cab}</tr></thead><tbody>{"".join(filas)}'
                "</tbody></table></div>", "frente a la mediana")


@plegable("Tabla por estado")
def tabla_comparativo(comp) -> Html:
    """The per-state table, plus the states without data and why."""
    partes = [tabla(comp.tabla, de_pagina("comparativo"), clase="comparativo compacta", tipo_fila=None,
                    titulo="Cifras principales por estado", vacia="Sin estados con datos.")]
    if not comp.sin_datos.empty:
        partes.append(tabla(comp.sin_datos, de_pagina("sin_datos"), clase="compacta", tipo_fila=None, titulo="Estados sin datos para este ciclo y fondo"))
    return unir(partes)


@plegable("Archivos, parámetros y versiones")
def procedencia_comparativo(comp, parametros: dict[str, object], generado: dt.datetime | None = None) -> Html:
    """Input files (SHA-256) used by any state, parameters, versions, generation time."""
    return unir([
        tabla_archivos(comp.archivos),
        tabla_parametros(parametros, generado),
    ], "procedencia")
