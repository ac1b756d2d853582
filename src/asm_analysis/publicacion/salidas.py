"""Files handed to the evaluator: the annex CSVs (raw data) and ``anexos.xlsx`` (formatted).

Both come from the same :class:`~asm_analysis.anexos.Anexos`, so the workbook pasted into the
EED document and the CSVs used for analysis always show the same figures.

CSV conventions (DESIGN §4, §6): UTF-8 without BOM, ``\\n`` line ends, one header row with the
snake-case Spanish column names of the annex tables, plain numbers (dot decimal, no thousands
separators, no ``%`` or ``$``), percentages as percent numbers (``50.14``), dates ISO
(``2024-09-30``), empty cell for a missing value. A float is written with the shortest text
that reads back to the same float, never in scientific notation, and always with a decimal
part (``426771165.0``, ``50.14``, ``0.0001``); integers are written as integers (``2024``), also
where a column of counts, days or years is stored as floats because some rows are empty
(``dias_vencido`` 273, ``ciclo_origen`` 2023), and a finding's figures that are years, COG keys, days or
counts (its rule's unit, :func:`~asm_analysis.publicacion.columnas.tipos_de_hallazgo`).
Text is written as it is, except a text a spreadsheet would run as a formula (``=HYPERLINK(…)``,
``@SUM(…)``, ``-cmd|…``), which gets a leading apostrophe (:func:`~asm_analysis.comun.formatos.celda_csv`,
the rule of every CSV the tool writes); numbers never change.

Workbook conventions: one sheet per annex in the order of the EED document, official title,
subtitle (estado, ciclo, fondo, and a demo warning), the annex's notes, then its tables in the
layout of the published annexes (:mod:`~asm_analysis.publicacion.oficiales`, the same rows and
columns as ``anexos.docx``; Anexo 6 is the CONAC form, label and value), each followed by the note
of its marks and its source line. The analytic columns the official annexes leave out go to one
«Análisis» sheet. A dark-blue header, money as ``#,##0.00``, percent numbers shown as ``50.14 %``
(the cell holds ``50.14``), bold and lightly filled subtotal and total rows, a marked cell filled,
commented and followed by its number (``[1]``). Every cell names Arial; column widths come from
the measured widest content (:mod:`~asm_analysis.publicacion.tipografia`) within a landscape
page, wrapped rows get their height, and printing fits the page's width only. Labels and
formats of every column are data (:mod:`asm_analysis.publicacion.columnas`, :data:`FORMATOS`),
not code.

Both writers are deterministic: the same annexes give byte-identical files (no timestamps:
the workbook's document dates and its zip entries carry a fixed date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from asm_analysis.anexos import COLUMNAS_HALLAZGOS, Anexos, geografia
from asm_analysis.comun import formatos
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.formatos import celda_csv
from asm_analysis.comun.texto import texto_xml
from asm_analysis.comun.vacios import vacio
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion import distribucion, oficiales, paginas, tipografia
from asm_analysis.publicacion.columnas import A_LA_DERECHA, ETIQUETAS_SEVERIDAD, TABLAS, tipos_por_celda
from asm_analysis.publicacion.oficiales import GRUPO

# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

#: CSV file name → attribute of :class:`Anexos`, in the order they are written (DESIGN §4).
ARCHIVOS_CSV: dict[str, str] = {
    "anexo1_destino.csv": "anexo1",
    "anexo1_recursos_anteriores.csv": "anexo1_arrastre",
    "anexo2_concurrencia.csv": "anexo2",
    "anexo3_asm_no_atendidos.csv": "anexo3",
    "anexo4_indicadores.csv": "anexo4",
    "anexo5_foda.csv": "anexo5",
    "anexo6_conac.csv": "anexo6",
    "anexo7_asm.csv": "anexo7",
    "seguimiento_asm.csv": "seguimiento",
    "hallazgos.csv": "hallazgos",
}

#: Tables whose CSV columns are fixed by contract (others keep the annex table's own columns).
COLUMNAS_CSV: dict[str, list[str]] = {"hallazgos": COLUMNAS_HALLAZGOS}


def _es_fecha_sin_hora(valor: dt.datetime) -> bool:
    return valor.hour == valor.minute == valor.second == valor.microsecond == 0


def _sin_dato(valor: object) -> bool:
    """A non-text value with nothing to show (:func:`vacio`: None, NaN, NaT, ±inf); a text is raw data,
    written as it is even when blank."""
    return not isinstance(valor, str) and vacio(valor)


def _fecha_csv(valor: dt.datetime) -> str:
    valor = valor.to_pydatetime() if isinstance(valor, pd.Timestamp) else valor
    return valor.date().isoformat() if _es_fecha_sin_hora(valor) else valor.isoformat()


#: How a CSV cell writes each kind of value, first match wins (bool before int: True is an int).
_CSV: tuple[tuple[tuple[type, ...], object], ...] = (
    ((bool, np.bool_), lambda v: "true" if v else "false"),
    ((int, np.integer), lambda v: str(int(v))),
    # shortest round-trip digits, positional (no 1e+16), ".0" kept, -0.0 written as 0.0
    ((float, np.floating), lambda v: np.format_float_positional(float(v) + 0.0, unique=True, trim="0")),
    ((pd.Timestamp, dt.datetime), _fecha_csv),
    ((dt.date,), lambda v: v.isoformat()),
)


def texto_csv(valor: object) -> str:
    """One CSV cell: plain number, ISO date or the text itself (made safe by :func:`celda_csv`);
    empty for :func:`_sin_dato`."""
    if _sin_dato(valor):
        return ""
    return next((escribir(valor) for tipos, escribir in _CSV if isinstance(valor, tipos)), None) \
        or celda_csv(str(valor))


def tabla_csv(tabla: pd.DataFrame, columnas: list[str] | None = None) -> str:
    """The CSV text of one annex table (see the module docstring for the conventions)."""
    if columnas is not None:
        tabla = tabla.reindex(columns=columnas)
    texto = pd.DataFrame({c: [texto_csv(v) for v in tabla[c].tolist()] for c in tabla.columns},
                         columns=list(tabla.columns), dtype=object)
    return texto.to_csv(index=False, lineterminator="\n")


#: Columns that hold whole numbers wherever they appear: every column of kind ``entero`` in
#: :data:`~asm_analysis.publicacion.columnas.TABLAS`, and the years and quarters of the data.
COLUMNAS_ENTERAS = frozenset({c.clave for t in TABLAS.values() for c in t if c.tipo == "entero"}
                             | {"ciclo", "ciclo_recurso", "ciclo_origen", "ciclo_anterior", "trimestre"})


def enteros_como_enteros(tabla: pd.DataFrame, atributo: str) -> pd.DataFrame:
    """``tabla`` with the whole-number floats of its integer columns as ints (``273.0`` → ``273``).

    Integer columns are :data:`COLUMNAS_ENTERAS` (counts, days, years: a column with an empty row is
    stored as floats); in the findings, each figure whose kind is a whole number (a year, a COG key,
    days, a count: :func:`~asm_analysis.publicacion.columnas.tipos_por_celda`).
    """
    if tabla is None or tabla.empty:
        return tabla

    def entero(v: object) -> object:
        return int(v) if isinstance(v, (float, np.floating)) and math.isfinite(v) and float(v).is_integer() else v

    columnas = [c for c in tabla.columns if c in COLUMNAS_ENTERAS]
    t = tabla.copy()
    for c in columnas:
        t[c] = pd.Series([entero(v) for v in t[c].tolist()], index=t.index, dtype=object)
    if atributo == "hallazgos":
        tipos = tipos_por_celda(t)
        for c in {c for _, c in tipos}:
            if c in t.columns and any(tipos[(i, c)] in TIPOS_ENTEROS for i in range(len(t))):
                t[c] = pd.Series([entero(v) if tipos[(i, c)] in TIPOS_ENTEROS else v for i, v in enumerate(t[c].tolist())],
                                 index=t.index, dtype=object)
    return t


#: Kinds of a finding's figure that are whole numbers (written ``2020``, ``-45``, never ``2020.0``).
TIPOS_ENTEROS = frozenset({"anio", "dias", "conteo"})


def escribir_csvs(anexos: Anexos, carpeta: Path) -> list[Path]:
    """Write the annex CSVs of DESIGN §4 into ``carpeta``; returns their paths in a fixed order.

    ``anexo1``, ``anexo1_arrastre`` and ``anexo2`` keep their ``tipo_fila`` column
    (``detalle``/``subtotal``/``total``); ``hallazgos.csv`` has exactly the columns
    ``severidad, anexo, ubicacion, regla, valor_reportado, valor_calculado, diferencia, mensaje``.
    """
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    rutas = []
    for nombre, atributo in ARCHIVOS_CSV.items():
        ruta = carpeta / nombre
        texto = tabla_csv(enteros_como_enteros(getattr(anexos, atributo), atributo), COLUMNAS_CSV.get(atributo))
        escribir_atomico(ruta, texto)
        rutas.append(ruta)
    return rutas


# --------------------------------------------------------------------------------------------
# Workbook: data (labels, formats, titles) first, then one generic block writer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formato:
    """How a kind of column is shown: Excel number format, and whether its text wraps (the width
    comes from the measured content, :mod:`~asm_analysis.publicacion.tipografia`)."""

    numero: str | None
    ajustar: bool = False


#: Column kinds. Percent columns hold percent numbers (50.14) and only *display* the sign.
FORMATOS: dict[str, Formato] = {
    "dinero": Formato("#,##0.00"),
    "porcentaje": Formato('#,##0.00" %"'),
    "numero": Formato("#,##0.00##"),
    "entero": Formato("0"),
    "fecha": Formato("dd/mm/yyyy"),
    # the figures of a finding, each in its own kind (columnas.tipos_de_hallazgo): a findings column mixes units,
    # so its amounts carry their $ and a year is a plain integer; the cell keeps the number
    "pesos": Formato('"$"#,##0.00'),
    "puntos": Formato('+#,##0.00" pp";-#,##0.00" pp";+0.00" pp"'),
    "anio": Formato("0"),
    "dias": Formato('#,##0" días"'),
    "conteo": Formato("#,##0"),
    "clave": Formato(None, True),
    "corto": Formato(None, True),
    "texto": Formato(None, True),
    "largo": Formato(None, True),
}


@dataclass(frozen=True)
class TablaHoja:
    """One table of a sheet: how it is built (a key of :data:`oficiales.CONSTRUCTORES`), the
    :class:`Anexos` attribute it prints, its small title, its empty-table note, its inputs (keys of
    ``DatosEstado.fuentes``) and whether its source line says which figures these are.

    ``solo_nota``: when the table is empty, show the title and the note without a header.
    """

    tabla: str
    anexo: str
    titulo: str | None
    si_vacia: str
    fuentes: tuple[str, ...]
    con_cifras: bool = True
    solo_nota: bool = False


@dataclass(frozen=True)
class Hoja:
    """One sheet: name, official title, tables, notes shown (keys of ``Anexos.notas``) and kind
    (``tablas``; ``formulario`` for the CONAC form; ``hallazgos``; ``analisis``)."""

    nombre: str
    titulo: str
    tablas: tuple[TablaHoja, ...]
    notas: tuple[str, ...]
    tipo: str = "tablas"
    si_vacia: str = "Sin registros para este anexo."


_VACIO = "Sin registros para este anexo."

#: The sheets of ``anexos.xlsx``, in the order of the EED document: the official annexes in their
#: published layout, the ASM follow-up, the analytic columns («Análisis») and the findings.
HOJAS: tuple[Hoja, ...] = (
    Hoja("Anexo 1", "Anexo 1. Destino de las aportaciones en la entidad", (
        TablaHoja("anexo1", "anexo1", "Anexo 1. Tabla 1. Destino de las aportaciones de la entidad", _VACIO,
                  ("destino",)),), ("anexo1",)),
    Hoja("Anexo 2", "Anexo 2. Concurrencia de recursos en la entidad", (
        TablaHoja("anexo2", "anexo2", "Anexo 2. Tabla 1. Concurrencia de recursos en la entidad", _VACIO,
                  ("concurrencia",)),
        TablaHoja("anexo2_fundamento", "anexo2", "Concurrencia de recursos: fundamento legal y comentarios",
                  _VACIO, ("concurrencia",), solo_nota=True),
    ), ("anexo2",)),
    Hoja("Anexo 3", "Anexo 3. Análisis de los ASM no atendidos y su reincidencia", (
        TablaHoja("anexo3", "anexo3", "Anexo 3. Tabla 1. Aspectos Susceptibles de Mejora no atendidos",
                  "No hay ASM de evaluaciones anteriores pendientes de atender.", ("asm",), con_cifras=False),),
         ("asm", "anexo3")),
    Hoja("Anexo 4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión", (
        TablaHoja("anexo4", "anexo4", None, _VACIO, ("indicadores", "indicadores_srft")),), ("anexo4",)),
    Hoja("Anexo 5", "Anexo 5. Conclusiones: Fortalezas, Oportunidades, Debilidades, Amenazas y Recomendaciones", (
        TablaHoja("anexo5", "anexo5", "Anexo 5. Tabla 1. Conclusiones", _VACIO, ("foda",), con_cifras=False),),
         ("anexo5",)),
    Hoja("Anexo 6", "Anexo 6. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)", (),
         ("anexo6",), tipo="formulario"),
    Hoja("Anexo 7", "Anexo 7. Informe de Aspectos Susceptibles de Mejora", (
        TablaHoja("anexo7", "anexo7", "INFORME DE ASPECTOS SUSCEPTIBLES DE MEJORA (ASM) DERIVADOS DEL PROCESO DE "
                  "EVALUACIÓN EXTERNA", "No hay ASM registrados para la evaluación de este ciclo.", ("asm",),
                  con_cifras=False),), ("asm", "anexo7")),
    Hoja("Seguimiento ASM", "Seguimiento de los Aspectos Susceptibles de Mejora", (
        TablaHoja("seguimiento", "seguimiento", None, "Sin acciones de seguimiento.", ("asm",)),
        TablaHoja("conteos_asm", "conteos_asm", "ASM por tipo y prioridad, según su estatus al corte",
                  "Sin ASM que contar.", ("asm",)),
    ), ("asm", "seguimiento")),
    Hoja("Análisis", "Análisis: columnas que no forman parte de los anexos oficiales", (), (), tipo="analisis"),
    Hoja("Hallazgos", "Hallazgos de la auditoría de cifras", (), ("hallazgos",), tipo="hallazgos",
         si_vacia="Sin hallazgos: las cifras auditadas son consistentes."),
)

#: The blocks of the «Análisis» sheet: (annex attribute, columns shown, title, inputs). The analytic
#: columns of each annex beside the keys that identify its rows.
ANALISIS: tuple[tuple[str, tuple[str, ...] | None, str, tuple[str, ...]], ...] = (
    ("anexo1", ("capitulo", "concepto", "descripcion", "pct_devengado_modificado", "pct_pagado_devengado"),
     "Anexo 1: porcentajes de ejercicio por concepto y capítulo", ("destino",)),
    ("anexo1_arrastre", None, "Anexo 1: recursos de ejercicios anteriores ejercidos en el ciclo", ("srft",)),
    ("anexo3", ("numero", "evaluacion_origen", "avance_promedio_asm", "estatus", "estatus_reportado", "reincidente",
                "evaluaciones_reincidencia"), "Anexo 3: estatus al corte y reincidencia", ("asm",)),
    ("anexo4", ("mir", "nivel", "indicador", "sentido", "semaforo", "semaforo_anterior", "variacion_cumplimiento",
                "origen_anterior", "nota"), "Anexo 4: MIR, sentido, semáforo y variación", ("indicadores",)),
    ("anexo4", ("mir", "nivel", "indicador", "clave_indicador", "trimestre", "meta", "meta_modificada",
                "cumplimiento_programada", "avance_reportado", "meta_modificada_anterior"),
     "Anexo 4: MIR federal del SRFT (meta modificada, cumplimiento sobre la programada, Avance (%) reportado)",
     ("indicadores_srft",)),
    ("anexo6", ("seccion", "campo", "pendiente"), "Anexo 6: campos del formato CONAC pendientes", ("ficha",)),
)

#: Colours (hex RGB) of the styles.
COLORES: dict[str, str] = {
    "encabezado": "1F3864", "texto_encabezado": "FFFFFF", "subtotal": "DDEBF7", "total": "BDD7EE",
    "borde": "A6A6A6", "titulo": "1F3864", "demo": "C00000",
}

#: Cell fill by value for columns whose value is a category (semáforo, severity, status).
COLORES_VALOR: dict[str, dict[str, str]] = {
    "semaforo": {"Verde": "C6EFCE", "Amarillo": "FFEB9C", "Rojo": "FFC7CE", "Sobrecumplimiento": "BDD7EE"},
    "severidad": {ETIQUETAS_SEVERIDAD["error"]: "FFC7CE", ETIQUETAS_SEVERIDAD["advertencia"]: "FFEB9C",
                  ETIQUETAS_SEVERIDAD["info"]: "DDEBF7"},
    "estatus": {"Atendido": "C6EFCE", "En proceso": "FFEB9C", "Vencido": "FFC7CE"},
}
COLORES_VALOR["semaforo_anterior"] = COLORES_VALOR["semaforo"]

#: Fixed document date: the workbook carries no generation time (the manifest does).
FECHA_FIJA = dt.datetime(2000, 1, 1)

#: Text starting with one of these could be taken for a formula by a spreadsheet.
INICIO_FORMULA = ("=", "+", "-", "@", "\t", "\r")

_BORDE = Border(*(Side(style="thin", color=COLORES["borde"]),) * 4)


@lru_cache(maxsize=64)
def _relleno(color: str) -> PatternFill:
    return PatternFill("solid", start_color=color, end_color=color)


def valor_celda(valor: object) -> object:
    """A table value as an openpyxl cell value: numbers stay numbers, missing values are None."""
    if _sin_dato(valor):
        return None
    if isinstance(valor, (bool, np.bool_)):
        return "Sí" if valor else "No"
    if isinstance(valor, (int, np.integer)):
        return int(valor)
    if isinstance(valor, (float, np.floating)):
        return float(valor)
    if isinstance(valor, pd.Timestamp):
        valor = valor.to_pydatetime()
    if isinstance(valor, dt.datetime):
        return valor.date() if _es_fecha_sin_hora(valor) else valor.replace(tzinfo=None)
    if isinstance(valor, dt.date):
        return valor
    return str(valor).replace("\r\n", "\n").replace("\r", "\n")


#: Excel's limit of characters in one cell: a longer text is cut, with :data:`MARCA_RECORTE`.
LIMITE_CELDA = 32_767
#: Ends a cut text in the workbook, so the reader sees it is not whole (the CSV has it whole).
MARCA_RECORTE = " […] [texto recortado: {largo:,} caracteres en total; completo en el CSV del anexo]"


def recortar(texto: str) -> tuple[str, bool]:
    """``texto`` fit for one Excel cell: itself, or its start plus :data:`MARCA_RECORTE` (and True)."""
    if len(texto) <= LIMITE_CELDA:
        return texto, False
    marca = MARCA_RECORTE.format(largo=len(texto))
    return texto[: LIMITE_CELDA - len(marca)] + marca, True


def poner_valor(celda, valor: object) -> None:
    """Set a cell from data, never letting a text become a formula.

    openpyxl turns any text starting with ``=`` into a formula (and ``#N/A`` and the like into
    error values). Every text value is therefore stored as a string cell (``data_type = "s"``,
    written as an inline string, which a spreadsheet never evaluates) with its text unchanged
    (no visible prefix is added). Texts that *look* like formulas (starting with ``= + - @``,
    tab or carriage return) also get the ``quotePrefix`` style, Excel's equivalent of typing a
    leading ``'``: the cell shows the text literally and stays text even if a user edits it.
    Line ends become ``\\n`` (XML would turn a lone carriage return into one anyway). A text
    over Excel's 32,767 characters per cell is cut with a visible marker (:func:`recortar`)
    and listed at the end of the «Hallazgos» sheet; a character XML forbids becomes «�»
    (:func:`~asm_analysis.comun.texto.texto_xml`, the rule the Word writer applies too).
    """
    riesgo = isinstance(valor, str) and valor.startswith(INICIO_FORMULA)
    valor = valor_celda(valor)
    if isinstance(valor, str):
        # Loaders reject such text with its source row (carga.convertir_filas); what reaches here from
        # elsewhere is marked «�» (the rule of every writer, comun.texto.texto_xml), never dropped silently.
        valor = tipografia.pegar_signos(texto_xml(valor))
        largo = len(valor)
        valor, cortado = recortar(valor)
        if cortado:
            recortes = getattr(celda.parent.parent, "_recortes_asm", None)
            if recortes is not None:
                recortes.append((celda.parent.title, celda.coordinate, largo))
    celda.value = valor
    if isinstance(valor, str):
        celda.data_type = "s"
        if riesgo or valor.startswith(INICIO_FORMULA):
            celda.quotePrefix = True


#: The letter of every cell, and the sizes a sheet's tables may take (the first one under which every
#: column gets its minimum width within the printed page).
LETRA = "Arial"
PUNTOS_LIBRO = (10.0, 9.0, 8.0)
#: Width of a landscape US Letter page between margins of 0.4", in points (what fit to width keeps).
ANCHO_IMPRESO = (11 - 2 * 0.4) * 72
#: Excel's column unit is the width of a digit of the default font (Arial 10: 7 pixels = 5.25 points).
PUNTOS_POR_CARACTER = 5.25
#: Cell padding and grid line, in points.
RELLENO = 7.0
#: Height of a line of text, as a multiple of the type size (Arial 10 → 12.75 points, Excel's own).
INTERLINEA = 1.275
#: Excel's tallest row, in points (a taller text scrolls within its cell).
ALTO_MAXIMO = 409.5
#: Fill of a marked cell (publicacion.marcas) and the author of its comment.
COLOR_MARCA = "FCE4D6"
AUTOR = "asm-analysis"


@lru_cache(maxsize=256)
def _fuente(puntos: float = 10.0, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    """Arial at ``puntos``, named on every cell (one object per style: openpyxl hashes each one it sets)."""
    return Font(name=LETRA, size=puntos, bold=bold, italic=italic, color=color)


@lru_cache(maxsize=64)
def _alineacion(horizontal: str | None = None, vertical: str | None = "top", ajustar: bool = False) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=ajustar)


@dataclass
class _Hoja:
    """A sheet being written: the row reached, and the texts whose rows need a height once the
    column widths are known (``(fila, primera columna, última columna, texto, negrita, puntos)``)."""

    ws: Worksheet
    fila: int = 1
    columnas: int = 1
    puntos: float = 10.0
    ajustes: list = dataclasses.field(default_factory=list)
    bloques: list[paginas.Bloque] = dataclasses.field(default_factory=list)  # what the printed pages keep whole

    def texto(self, texto: str, puntos: float | None = None, negrita: bool = False, cursiva: bool = False,
              color: str | None = None, hasta: int | None = None, saltar: int = 1) -> None:
        """A line of text across the table width (merged), wrapped, with its row height."""
        puntos = puntos or self.puntos
        celda = self.ws.cell(row=self.fila, column=1)
        poner_valor(celda, texto)
        celda.font = _fuente(puntos, bold=negrita, italic=cursiva, color=color)
        celda.alignment = _alineacion(None, "top", True)
        ultima = max(hasta or self.columnas, 1)
        if ultima > 1:
            self.ws.merge_cells(start_row=self.fila, start_column=1, end_row=self.fila, end_column=ultima)
        self.ajustes.append((self.fila, 1, ultima, str(celda.value or ""), negrita, puntos))
        self.fila += saltar


def _medidas_libro(columnas, textos: dict[str, list[str]], tipos: list[str], marcas, puntos: float):
    """What each column needs in the workbook at ``puntos`` (header bold, figures whole)."""
    resultado = []
    for c, etiqueta, tipo in columnas:
        entero = tipo in A_LA_DERECHA or tipo in ("fecha",)
        minimo, encabezado = tipografia.medida_encabezado(etiqueta, puntos, cifras=tipo in A_LA_DERECHA)
        preferido = encabezado
        medidas: dict[tuple[str, bool], tuple[float, float]] = {}  # a column repeats its texts ($0.00, Sí…)
        for i, texto in enumerate(textos[c]):
            if tipos[i] == GRUPO:
                continue
            negrita = tipos[i] in ("subtotal", "total")
            sufijo = f" [{','.join(map(str, marcas[(i, c)]))}]" if (i, c) in marcas else ""
            clave = (texto + sufijo, negrita)
            if clave not in medidas:
                medidas[clave] = (tipografia.ancho_minimo(clave[0], puntos, negrita, entero),
                                  tipografia.ancho_preferido(clave[0], puntos, negrita))
            minimo = max(minimo, medidas[clave][0])
            preferido = max(preferido, medidas[clave][1])
        resultado.append(tipografia.Medida(minimo + RELLENO, preferido + RELLENO, encabezado + RELLENO))
    return resultado


def _textos_libro(tabla: oficiales.TablaOficial, columnas, clases: dict | None = None) -> dict[str, list[str]]:
    """Each cell as the sheet shows it (its number format's text: the column's kind, or the cell's own in
    ``clases``), to measure it."""
    filas, clases = tabla.filas, clases or {}
    return {c: [formatos.por_tipo(v, clases.get((i, c), tipo))
                for i, v in enumerate(filas[c].tolist() if c in filas else [None] * len(filas))]
            for c, _, tipo in columnas}


@dataclass
class _Plan:
    """One table of a sheet: ``tipos`` are the row kinds (``detalle``, ``subtotal``…), ``clases`` the cells
    whose kind is not their column's ((row, column) → kind: the figures of a finding)."""

    tabla: oficiales.TablaOficial
    spec: TablaHoja | None
    columnas: list
    textos: dict
    tipos: list
    marcas: dict
    clases: dict = dataclasses.field(default_factory=dict)


def _planear(planes: list[_Plan]) -> tuple[float, list[float]]:
    """One type size and one width per column (points) for all the tables of a sheet."""
    n = max((len(p.columnas) for p in planes), default=1)
    for puntos in PUNTOS_LIBRO:
        minimos, preferidos, intermedios = [0.0] * n, [0.0] * n, [0.0] * n
        for p in planes:
            for j, m in enumerate(_medidas_libro(p.columnas, p.textos, p.tipos, p.marcas, puntos)):
                minimos[j] = max(minimos[j], m.minimo)
                preferidos[j] = max(preferidos[j], m.preferido)
                intermedios[j] = max(intermedios[j], m.intermedio)
        medidas = [tipografia.Medida(a, b, c) for a, b, c in zip(minimos, preferidos, intermedios)]
        anchos = tipografia.repartir(medidas, ANCHO_IMPRESO)
        if anchos is not None:
            return puntos, anchos
    return PUNTOS_LIBRO[-1], minimos  # a single word wider than the page: fit to width shrinks it


def escribir_tabla(h: _Hoja, plan: _Plan, cifras: str) -> tuple[int, int]:
    """Write one table at ``h.fila``: dark header, cells with their number formats, bold filled
    subtotal/total rows, group rows across the table, each marked cell filled with a comment and
    its number after the figure. Returns (header row, last row)."""
    ws, columnas, puntos = h.ws, plan.columnas, h.puntos
    encabezado = h.fila
    for j, (_, etiqueta, _) in enumerate(columnas, start=1):
        celda = ws.cell(row=encabezado, column=j)
        poner_valor(celda, etiqueta)
        celda.font = _fuente(puntos, bold=True, color=COLORES["texto_encabezado"])
        celda.fill = _relleno(COLORES["encabezado"])
        celda.alignment = _alineacion("center", "center", True)
        celda.border = _BORDE
        h.ajustes.append((encabezado, j, j, etiqueta, True, puntos))
    fila = encabezado
    propias = oficiales.marcas_de(getattr(h, "marcas", None), plan.tabla.anexo) if hasattr(h, "marcas") else None
    por_numero = {int(m["numero"]): m for _, m in propias.iterrows()} if propias is not None else {}
    filas = plan.tabla.filas
    # each column's values as ``.iat`` gives them (numpy scalars, Timestamps…), read once
    valores = {c: list(filas[c].array) for c, _, _ in columnas if c in filas}
    for i, tipo in enumerate(plan.tipos):
        fila += 1
        if tipo == GRUPO:
            texto = next((t for t in (plan.textos[c][i] for c, _, _ in columnas) if t), "")
            celda = ws.cell(row=fila, column=1)
            poner_valor(celda, texto)
            celda.font = _fuente(puntos, bold=True)
            celda.fill = _relleno(COLORES["subtotal"])
            celda.border = _BORDE
            if len(columnas) > 1:
                ws.merge_cells(start_row=fila, start_column=1, end_row=fila, end_column=len(columnas))
            continue
        resaltar = tipo in ("subtotal", "total")
        for j, (c, _, clase) in enumerate(columnas, start=1):
            clase = plan.clases.get((i, c), clase)  # a finding's figure: its own kind, not its column's
            fmt = FORMATOS[clase]
            celda = ws.cell(row=fila, column=j)
            valor = valores[c][i] if c in valores else None
            numeros = plan.marcas.get((i, c))
            if numeros and vacio(valor):
                valor = "—"  # a marked empty cell (a variation not computed) still shows its mark
            poner_valor(celda, valor)
            if fmt.numero and not isinstance(celda.value, str):
                celda.number_format = fmt.numero + (f'" [{",".join(map(str, numeros))}]"' if numeros else "")
            elif numeros and isinstance(celda.value, str):
                celda.value = f"{celda.value} [{','.join(map(str, numeros))}]"
            celda.alignment = _alineacion("right" if clase in A_LA_DERECHA else None, "top", fmt.ajustar)
            celda.border = _BORDE
            celda.font = _fuente(puntos, bold=resaltar)
            color = COLORES_VALOR.get(c, {}).get(str(celda.value))
            if numeros:
                _marcar(celda, numeros, por_numero, cifras)
            elif resaltar:
                celda.fill = _relleno(COLORES[tipo])
            elif color:
                celda.fill = _relleno(color)
            if fmt.ajustar and isinstance(celda.value, str):
                h.ajustes.append((fila, j, j, celda.value, resaltar, puntos))
    h.fila = fila + 1
    return encabezado, fila


def _marcar(celda, numeros: list[int], por_numero: dict[int, pd.Series], cifras: str) -> None:
    """Colour a marked cell and put the notes of its marks (by number) in the cell's comment."""
    celda.fill = _relleno(COLOR_MARCA)
    nota = "\n".join(oficiales.nota_marcas(pd.DataFrame([por_numero[n] for n in numeros if n in por_numero]), cifras))
    if nota:
        celda.comment = Comment(nota, AUTOR, width=320, height=110)


def _nota_y_fuente(h: _Hoja, calculo, plan: _Plan, marcas: pd.DataFrame) -> None:
    if marcas is not None and not marcas.empty:
        h.texto(oficiales.titulo_marcas(calculo.cifras), negrita=True)
        for linea in oficiales.nota_marcas(marcas, calculo.cifras, {n for ns in plan.marcas.values() for n in ns}):
            h.texto(linea)
    if plan.spec is not None:
        h.texto(oficiales.linea_fuente(calculo.datos, plan.spec.fuentes, calculo.cifras, plan.spec.con_cifras),
                cursiva=True)


def _encabezar(h: _Hoja, hoja: Hoja, calculo) -> None:
    datos, anexos = calculo.datos, calculo.impresos
    h.texto(hoja.titulo, 14, negrita=True, color=COLORES["titulo"])
    h.texto(_subtitulo(datos), negrita=True, color=COLORES["demo"] if datos.demo else None)
    for clave in dict.fromkeys(hoja.notas):
        nota = anexos.notas.get(clave)
        if nota:
            h.texto(nota, cursiva=True)
    h.fila += 1


def _anchos(h: _Hoja, anchos: list[float]) -> None:
    """Column widths (points → Excel units), then each wrapped row's height from its measured lines."""
    for j, w in enumerate(anchos, start=1):
        h.ws.column_dimensions[get_column_letter(j)].width = round(w / PUNTOS_POR_CARACTER, 2)
    alturas: dict[int, float] = {}
    for fila, desde, hasta, texto, negrita, puntos in h.ajustes:
        ancho = sum(anchos[desde - 1:hasta]) - RELLENO
        n = tipografia.lineas(texto, ancho, puntos, negrita)
        alturas[fila] = max(alturas.get(fila, 0.0), n * puntos * INTERLINEA + 2)
    for fila, alto in alturas.items():
        h.ws.row_dimensions[fila].height = round(min(max(alto, 12.75), ALTO_MAXIMO), 2)


def _etiquetas(plan: _Plan) -> tuple[str, ...]:
    return tuple(etiqueta for _, etiqueta, _ in plan.columnas)


def _alto_impreso(ws: Worksheet, puntos: float) -> Callable[[int], float]:
    """A row's printed height in points at the scale fit to width prints the sheet with (a row whose
    height is not set: one line of its type, ``puntos``)."""
    ancho = sum((d.width or 0) for d in ws.column_dimensions.values()) * PUNTOS_POR_CARACTER
    escala = min(1.0, ANCHO_IMPRESO / ancho) if ancho else 1.0
    alturas = {fila: d.height for fila, d in ws.row_dimensions.items() if d.height}
    return lambda fila: alturas.get(fila, puntos * INTERLINEA) * escala


def _preparar_impresion(ws: Worksheet, bloques: list[paginas.Bloque], puntos: float = PUNTOS_LIBRO[0]) -> None:
    """Landscape US Letter, fit to the page's width only (as many pages down as needed); the header row
    repeated on the printed pages only where it describes every row under it, and a page break before
    a table that would otherwise be cut (:func:`paginas.imprimir`)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    encabezado, saltos = paginas.imprimir(bloques, _alto_impreso(ws, puntos), ws.max_row)
    if encabezado:
        ws.print_title_rows = f"{encabezado}:{encabezado}"
    for fila in saltos:
        ws.row_breaks.append(Break(id=fila))


def _marcas_tabla(calculo, plan: _Plan, primera: bool) -> pd.DataFrame:
    """The marks the note under a table lists (as in the Word file)."""
    propias = oficiales.marcas_de(calculo.marcas, plan.tabla.anexo)
    if propias.empty:
        return propias
    en_celdas = {n for numeros in plan.marcas.values() for n in numeros}
    origenes = set(plan.tabla.filas["origen"])
    fuera = [plan.tabla.columna_de(str(m["columna"])) is None or m["fila"] not in origenes
             for _, m in propias.iterrows()]
    dentro = propias["numero"].astype(int).isin(en_celdas).tolist()
    return propias[[d or (primera and f) for d, f in zip(dentro, fuera)]]


def _escribir_planes(h: _Hoja, calculo, planes: list[_Plan], fuera: bool = True) -> int | None:
    """The tables of a sheet one under another, each with its title, marks note and source line.

    With ``fuera``, the note of an annex's first table also lists that annex's marks on no printed
    cell (as the Word file does); the «Análisis» sheet lists only the marks on its own cells.
    """
    puntos, anchos = _planear(planes)
    h.puntos, h.columnas = puntos, max((len(p.columnas) for p in planes), default=1)
    h.marcas = calculo.marcas
    primera_fila, vistos = None, set()
    for plan in planes:
        spec = plan.spec
        vacia = all(t == GRUPO for t in plan.tipos)
        inicio = h.fila
        if spec is not None and spec.titulo:
            h.texto(spec.titulo, negrita=True, color=COLORES["titulo"])
        if vacia and spec is not None and spec.solo_nota:
            h.texto(spec.si_vacia, cursiva=True, saltar=2)
            h.bloques.append(paginas.Bloque(inicio, h.fila - 2))
            continue
        encabezado, _ = escribir_tabla(h, plan, calculo.cifras)
        primera_fila = primera_fila or encabezado
        if vacia:
            h.texto(spec.si_vacia if spec else "Sin registros.", cursiva=True)
        _nota_y_fuente(h, calculo, plan, _marcas_tabla(calculo, plan, fuera and plan.tabla.anexo not in vistos))
        h.bloques.append(paginas.Bloque(inicio, h.fila - 1, encabezado, _etiquetas(plan)))
        vistos.add(plan.tabla.anexo)
        h.fila += 1
    _anchos(h, anchos)
    return primera_fila


def _plan(tabla: oficiales.TablaOficial, spec: TablaHoja | None, calculo) -> _Plan:
    columnas = tabla.columnas(calculo.datos.ciclo)
    clases = tipos_por_celda(tabla.filas)  # a finding's figures, each in its own kind
    return _Plan(tabla, spec, columnas, _textos_libro(tabla, columnas, clases), tabla.filas["tipo_fila"].tolist(),
                 oficiales.marcas_en(tabla, calculo.marcas), clases)


def escribir_hoja(wb: Workbook, hoja: Hoja, calculo) -> Worksheet:
    """An annex sheet: title, subtitle, notes, then its tables in the official layout."""
    ws = wb.create_sheet(hoja.nombre)
    h = _Hoja(ws)
    anexos, datos = calculo.impresos, calculo.datos
    planes = [_plan(oficiales.construir(t.tabla, getattr(anexos, t.anexo), datos.ciclo), t, calculo)
              for t in hoja.tablas]
    h.columnas = max((len(p.columnas) for p in planes), default=1)
    _encabezar(h, hoja, calculo)
    if hoja.nombre == "Anexo 7":
        h.texto(hoja.tablas[0].titulo, negrita=True, color=COLORES["titulo"])
        for etiqueta, valor in oficiales.encabezado_anexo7(datos):
            h.texto(f"{etiqueta}: {valor}".rstrip())
        h.fila += 1
        planes = [dataclasses.replace(planes[0], spec=dataclasses.replace(hoja.tablas[0], titulo=None))]
    encabezado = _escribir_planes(h, calculo, planes)
    if encabezado and planes[0].tabla.anexo == "seguimiento" and planes[0].tipos:
        ws.freeze_panes = ws.cell(row=encabezado + 1, column=1)
        ws.auto_filter.ref = (f"A{encabezado}:{get_column_letter(len(planes[0].columnas))}"
                              f"{encabezado + len(planes[0].tipos)}")
    _preparar_impresion(ws, h.bloques, h.puntos)
    return ws


#: Widths (points) of the two columns of the CONAC form: the field's label and its value.
ANCHOS_FORMULARIO = (250.0, ANCHO_IMPRESO - 250.0)


def escribir_formulario(wb: Workbook, hoja: Hoja, calculo) -> Worksheet:
    """Anexo 6: the CONAC form, section by section; the label in column A, the value in column B
    (an option field lists its options with the chosen one marked); a blank field stays blank."""
    ws = wb.create_sheet(hoja.nombre)
    h = _Hoja(ws, columnas=2)
    _encabezar(h, hoja, calculo)
    campos = oficiales.formulario(calculo.impresos.anexo6)
    marcas = oficiales.marcas_formulario(campos, calculo.marcas)
    por_numero = {int(m["numero"]): m for _, m in oficiales.marcas_de(calculo.marcas, "anexo6").iterrows()}
    for titulo, filas in campos:
        h.texto(titulo, 11, negrita=True, color=COLORES["titulo"])
        for campo in filas:
            etiqueta = ws.cell(row=h.fila, column=1)
            poner_valor(etiqueta, f"{campo.etiqueta}:")
            etiqueta.font = _fuente(bold=True)
            etiqueta.alignment = _alineacion(None, "top", True)
            h.ajustes.append((h.fila, 1, 1, etiqueta.value, True, 10.0))
            valor = ws.cell(row=h.fila, column=2)
            texto = campo.opciones_marcadas("(X)", "(   )", " ") if campo.opciones else campo.valor
            numeros = marcas.get(campo.origen)
            if numeros:
                texto = f"{texto} [{','.join(map(str, numeros))}]"
                _marcar(valor, numeros, por_numero, calculo.cifras)
            if texto:
                poner_valor(valor, texto)
            valor.font = _fuente()
            valor.alignment = _alineacion(None, "top", True)
            h.ajustes.append((h.fila, 2, 2, texto, False, 10.0))
            h.fila += 1
        h.fila += 1
    propias = oficiales.marcas_de(calculo.marcas, "anexo6")
    if not propias.empty:
        h.texto(oficiales.titulo_marcas(calculo.cifras), negrita=True)
        for linea in oficiales.nota_marcas(propias, calculo.cifras):
            h.texto(linea)
    h.texto(oficiales.linea_fuente(calculo.datos, ("ficha", "foda"), calculo.cifras, con_cifras=False),
            cursiva=True)
    _anchos(h, list(ANCHOS_FORMULARIO))
    _preparar_impresion(ws, [])
    return ws


def escribir_analisis(wb: Workbook, hoja: Hoja, calculo) -> Worksheet:
    """«Análisis»: the analytic columns the official annexes leave out (shares of Anexo 1, carried-over
    money, ASM status, MIR, sentido, semáforo, variación, pending CONAC fields), each block with the
    keys of its rows, its marks and its source line."""
    ws = wb.create_sheet(hoja.nombre)
    h = _Hoja(ws)
    anexos = calculo.impresos
    planes = []
    for anexo, seleccion, titulo, fuentes in ANALISIS:
        if fuentes == ("indicadores_srft",) and not calculo.datos.fuentes.get("indicadores_srft"):
            continue  # the SRFT Indicadores export's columns, only in a report that has the export
        tabla = oficiales.generica(anexo, anexo, getattr(anexos, anexo), seleccion, resto=seleccion is None)
        planes.append(_plan(tabla, TablaHoja(anexo, anexo, titulo, "Sin registros.", fuentes), calculo))
    h.columnas = max(len(p.columnas) for p in planes)
    _encabezar(h, hoja, calculo)
    _escribir_planes(h, calculo, planes, fuera=False)
    _preparar_impresion(ws, h.bloques, h.puntos)
    return ws


def _subtitulo(datos: DatosEstado) -> str:
    texto = f"{datos.estado.nombre} · Ciclo {datos.ciclo} · {datos.fondo.nombre} ({datos.fondo.clave})"
    return texto + " · DATOS DEMO SINTÉTICOS" if datos.demo else texto


class _ZipFechaFija(zipfile.ZipFile):
    """A zip whose entries carry a fixed date, so the same workbook gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # noqa: D102
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=FECHA_FIJA.timetuple()[:6])
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # noqa: D102
        # openpyxl writes each worksheet from a temporary file: without this, that entry would
        # carry the file's modification time.
        with open(filename, "rb") as f:
            datos = f.read()
        self.writestr(arcname or os.path.basename(filename), datos, compress_type, compresslevel)


def hallazgos_por_anexo(hallazgos: pd.DataFrame) -> pd.DataFrame:
    """The findings grouped by annex (EED order), errors first within an annex, with how to fix each.

    One row per finding, as in ``hallazgos.csv``, plus ``como_corregir`` (the rule's fix).
    """
    from asm_analysis.publicacion.presentacion import ORDEN_SEVERIDAD, _orden_anexo, correcciones

    if hallazgos is None or hallazgos.empty:
        return pd.DataFrame(columns=[*COLUMNAS_HALLAZGOS, "como_corregir"])
    t = hallazgos.reindex(columns=COLUMNAS_HALLAZGOS).reset_index(drop=True)
    t["como_corregir"] = t["regla"].map(correcciones())
    orden = pd.DataFrame({"a": t["anexo"].map(_orden_anexo), "s": t["severidad"].map(ORDEN_SEVERIDAD).fillna(9)})
    return t.loc[orden.sort_values(["a", "s"], kind="stable").index].reset_index(drop=True)


def para_leer(hallazgos: pd.DataFrame) -> pd.DataFrame:
    """A table of findings (or of rules) as a reader sees it in the workbook and Word: each severity by its
    Spanish label (``Informativo``, never ``info``), as the page shows it; ``hallazgos.csv`` keeps the codes."""
    if hallazgos is None or "severidad" not in hallazgos.columns:
        return hallazgos
    return hallazgos.assign(severidad=hallazgos["severidad"].map(lambda s: ETIQUETAS_SEVERIDAD.get(s, s)))


def escribir_hoja_hallazgos(wb: Workbook, hoja: Hoja, calculo) -> Worksheet:
    """``Hallazgos``: a summary by rule (count, severity, what it checks, how to fix), then every
    finding grouped by annex with its fix; the detail has the filter and repeats its header."""
    from asm_analysis.publicacion.presentacion import resumen_por_regla

    ws = wb.create_sheet(hoja.nombre)
    h = _Hoja(ws)
    anexos = calculo.anexos
    detalle = para_leer(hallazgos_por_anexo(anexos.hallazgos))
    resumen = oficiales.generica("resumen_hallazgos", "", para_leer(resumen_por_regla(anexos.hallazgos)))
    planes = [_plan(resumen, None, calculo), _plan(oficiales.generica("hallazgos", "", detalle), None, calculo)]
    h.columnas = max(len(p.columnas) for p in planes)
    _encabezar(h, hoja, calculo)
    if detalle.empty:
        h.texto(hoja.si_vacia, cursiva=True)
        _anchos(h, _planear(planes)[1])
        return ws
    puntos, anchos = _planear(planes)
    h.puntos = puntos
    for titulo, plan in (("Resumen por regla", planes[0]), ("Detalle por anexo (errores primero)", planes[1])):
        inicio = h.fila
        h.texto(titulo, negrita=True, color=COLORES["titulo"])
        encabezado, fin = escribir_tabla(h, plan, calculo.cifras)
        h.bloques.append(paginas.Bloque(inicio, fin, encabezado, _etiquetas(plan)))
        h.fila += 1
    hallados = h.bloques[-1]  # the filter goes on the findings, not on the summary
    ws.auto_filter.ref = f"A{hallados.encabezado}:{get_column_letter(len(planes[1].columnas))}{hallados.fin}"
    _anchos(h, anchos)
    _preparar_impresion(ws, h.bloques, h.puntos)
    return ws


def anotar_recortes(wb: Workbook, recortes: list[tuple[str, str, int]]) -> None:
    """List the texts cut to Excel's cell limit at the end of the «Hallazgos» sheet (never silently)."""
    if not recortes:
        return
    ws = wb[HOJAS[-1].nombre]
    anexo_de = {h.nombre: h.tablas[0].anexo if h.tablas else {"formulario": "anexo6", "hallazgos": "hallazgos"}.get(h.tipo)
                for h in HOJAS}
    csv_de = {h: next((n for n, a in ARCHIVOS_CSV.items() if a == anexo), None) for h, anexo in anexo_de.items()}
    fila = ws.max_row + 2
    ws.cell(row=fila, column=1, value=f"Textos recortados en este libro (Excel admite hasta {LIMITE_CELDA:,} "
                                      "caracteres por celda)").font = _fuente(bold=True, color=COLORES["demo"])
    for hoja, coordenada, largo in recortes:
        fila += 1
        archivo = csv_de.get(hoja)
        donde = f"en «{archivo}»" if archivo else "en los CSV del informe"
        ws.cell(row=fila, column=1, value=f"Hoja «{hoja}», celda {coordenada}: el texto tiene {largo:,} caracteres; "
                                          f"se muestra recortado y completo {donde}.")


def escribir_csv_distribucion(dist: distribucion.Distribucion, carpeta: Path) -> Path | None:
    """``distribucion_geografica.csv`` (``tipo_fila``: ``detalle``/``total``); nothing when the fund has no
    SRFT projects."""
    if dist.vacia:
        return None
    ruta = Path(carpeta) / distribucion.ARCHIVO_CSV
    escribir_atomico(ruta, tabla_csv(dist.tabla, [*geografia.COLUMNAS, "tipo_fila"]))
    return ruta


def escribir_hoja_distribucion(wb: Workbook, calculo) -> None:
    """A sheet ``distribucion_geografica`` after the annexes (only when the fund has SRFT projects): the
    fund's projects by municipality, with the note on how they were counted and the source line."""
    dist = distribucion.calcular(calculo.datos)
    if dist.vacia:
        return
    datos = calculo.datos
    hoja = Hoja(distribucion.HOJA, f"{distribucion.TITULO}: {datos.estado.nombre}, {datos.fondo.clave}, "
                f"ciclo {datos.ciclo}", (), ())
    spec = TablaHoja(distribucion.CLAVE, distribucion.CLAVE, None, "Sin proyectos del fondo.", ("proyectos",),
                     con_cifras=False)
    plan = _plan(oficiales.generica(distribucion.CLAVE, distribucion.CLAVE, dist.tabla), spec, calculo)
    h = _Hoja(wb.create_sheet(distribucion.HOJA))
    h.columnas = len(plan.columnas)
    _encabezar(h, hoja, calculo)
    if dist.nota:
        h.texto(dist.nota, cursiva=True)
    _escribir_planes(h, calculo, [plan], fuera=False)
    _preparar_impresion(h.ws, h.bloques, h.puntos)


class _EstilosPorIdentidad(IndexedList):
    """A workbook's list of fonts, fills, borders, alignments or protections that finds an object it
    already holds by identity.

    openpyxl adds a style object to its workbook list each time a cell gets it, hashing the object
    attribute by attribute, and this writer sets the same few objects (:func:`_fuente`,
    :func:`_relleno`, :func:`_alineacion`, ``_BORDE``) on thousands of cells. An object seen before
    gets the index it got then, which is what the list itself would answer; any other is added as
    :class:`IndexedList` adds it, so the lists and every cell's style are the same.
    """

    def __init__(self, iterable=None):
        super().__init__(iterable)
        self._vistos: dict[int, tuple[int, object]] = {}

    def add(self, value):
        visto = self._vistos.get(id(value))
        if visto is not None and visto[1] is value:
            return visto[0]
        indice = super().add(value)
        self._vistos[id(value)] = (indice, value)  # the object is kept: its id is not reused meanwhile
        return indice


#: The workbook lists a cell's style points into (openpyxl's ``StyleDescriptor`` collections).
LISTAS_DE_ESTILOS = ("_fonts", "_fills", "_borders", "_alignments", "_protections")


def _letra_por_omision(wb: Workbook) -> None:
    """Arial 10 as the workbook's default font (the Normal style): column units and every cell agree."""
    wb._fonts = IndexedList([_fuente()])
    normal = next((s for s in wb._named_styles if s.name == "Normal"), None)
    if normal is not None:
        normal.font = _fuente()


#: The page footer of the workbook and the Word file: its type and colour.
PIE_PUNTOS, PIE_COLOR = 8, "595959"


def pie_de_pagina(wb: Workbook, titulo: str) -> None:
    """Every printed page of every sheet: what the document is on the left, the sheet and «página N de M»
    on the right (Excel's codes), so a loose page can be cited and put back in its annex."""
    for ws in wb.worksheets:
        izquierda, derecha = ws.oddFooter.left, ws.oddFooter.right
        izquierda.text = titulo.replace("&", "&&")
        derecha.text = "&A · página &P de &N"
        for lado in (izquierda, derecha):
            lado.size, lado.color = PIE_PUNTOS, PIE_COLOR


def libro(calculo) -> Workbook:
    """The formatted workbook (not saved) of a report's :class:`~asm_analysis.publicacion.calculo.Calculo`:
    one sheet per entry of :data:`HOJAS`."""
    datos = calculo.datos
    wb = Workbook()
    wb.remove(wb.active)
    _letra_por_omision(wb)
    for lista in LISTAS_DE_ESTILOS:
        setattr(wb, lista, _EstilosPorIdentidad(getattr(wb, lista)))
    wb._recortes_asm = []  # (sheet, cell, length) of texts cut to Excel's limit, filled by poner_valor
    escritores = {"tablas": escribir_hoja, "formulario": escribir_formulario, "analisis": escribir_analisis,
                  "hallazgos": escribir_hoja_hallazgos}
    for hoja in HOJAS:
        escritores[hoja.tipo](wb, hoja, calculo)
    escribir_hoja_distribucion(wb, calculo)  # SRFT projects, when there are any
    anotar_recortes(wb, wb._recortes_asm)
    pie_de_pagina(wb, oficiales.titulo_documento(datos))
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "asm-analysis"
    props.title = f"Anexos EED {datos.fondo.clave} {datos.ciclo} {datos.estado.nombre}"
    props.created = props.modified = FECHA_FIJA
    return wb


def escribir_excel(calculo, ruta: Path) -> Path:
    """Write ``anexos.xlsx`` of ``calculo`` (``ruta`` is the file, or a folder to hold ``anexos.xlsx``).

    Saved through openpyxl's ``ExcelWriter`` into a zip with fixed entry dates (openpyxl's
    ``save`` would stamp the current time), then moved into place atomically.
    """
    ruta = Path(ruta)
    if ruta.is_dir():
        ruta = ruta / "anexos.xlsx"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    wb = libro(calculo)
    memoria = io.BytesIO()
    with _ZipFechaFija(memoria, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).write_data()
    escribir_atomico(ruta, memoria.getvalue())
    return ruta
