"""Files handed to the evaluator: the annex CSVs (raw data) and ``anexos.xlsx`` (formatted).

Both come from the same :class:`~asm_analysis.anexos.Anexos`, so the workbook pasted into the
EED document and the CSVs used for analysis always show the same figures.

CSV conventions (DESIGN §4, §6): UTF-8 without BOM, ``\\n`` line ends, one header row with the
snake-case Spanish column names of the annex tables, plain numbers (dot decimal, no thousands
separators, no ``%`` or ``$``), percentages as percent numbers (``50.14``), dates ISO
(``2024-09-30``), empty cell for a missing value. A float is written with the shortest text
that reads back to the same float, never in scientific notation, and always with a decimal
part (``426771165.0``, ``50.14``, ``0.0001``); integers are written as integers (``2024``).
Text is written as it is: CSV is raw data, and neutralising spreadsheet formulas is left to
the workbook.

Workbook conventions: one sheet per annex in the order of the EED document, official title,
subtitle (estado, ciclo, fondo, and a demo warning), the annex's notes, then the table with a
dark-blue header, money as ``#,##0.00``, percent numbers shown as ``50.14 %`` (the cell holds
``50.14``), bold and lightly filled subtotal and total rows. Labels and formats of every
column are data (:mod:`asm_analysis.publicacion.columnas`, :data:`FORMATOS`), not code.

Both writers are deterministic: the same annexes give byte-identical files (no timestamps:
the workbook's document dates and its zip entries carry a fixed date).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from asm_analysis.anexos import COLUMNAS_HALLAZGOS, Anexos
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.texto import texto_xml
from asm_analysis.comun.vacios import vacio
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion.columnas import TABLAS, del_libro

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
    """One CSV cell: plain number, ISO date or the text itself; empty for :func:`_sin_dato`."""
    if _sin_dato(valor):
        return ""
    return next((escribir(valor) for tipos, escribir in _CSV if isinstance(valor, tipos)), str(valor))


def tabla_csv(tabla: pd.DataFrame, columnas: list[str] | None = None) -> str:
    """The CSV text of one annex table (see the module docstring for the conventions)."""
    if columnas is not None:
        tabla = tabla.reindex(columns=columnas)
    texto = pd.DataFrame({c: [texto_csv(v) for v in tabla[c].tolist()] for c in tabla.columns},
                         columns=list(tabla.columns), dtype=object)
    return texto.to_csv(index=False, lineterminator="\n")


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
        texto = tabla_csv(getattr(anexos, atributo), COLUMNAS_CSV.get(atributo))
        escribir_atomico(ruta, texto)
        rutas.append(ruta)
    return rutas


# --------------------------------------------------------------------------------------------
# Workbook: data (labels, formats, titles) first, then one generic block writer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formato:
    """How a kind of column is shown: Excel number format, column width, wrapped text."""

    numero: str | None
    ancho: float
    ajustar: bool = False


#: Column kinds. Percent columns hold percent numbers (50.14) and only *display* the sign.
FORMATOS: dict[str, Formato] = {
    "dinero": Formato("#,##0.00", 18),
    "porcentaje": Formato('0.00" %"', 13),
    "numero": Formato("#,##0.00##", 13),
    "entero": Formato("0", 10),
    "fecha": Formato("dd/mm/yyyy", 12),
    "clave": Formato(None, 10),
    "corto": Formato(None, 16, True),
    "texto": Formato(None, 28, True),
    "largo": Formato(None, 60, True),
}

@dataclass(frozen=True)
class Bloque:
    """A table placed under the main one on a sheet, with its small title and empty-table note.

    ``solo_nota``: when the table is empty, show the title and the note without a header.
    """

    tabla: str
    titulo: str
    si_vacia: str
    solo_nota: bool = False


@dataclass(frozen=True)
class Hoja:
    """One sheet: name, official title, main table, notes shown (keys of ``Anexos.notas``)."""

    nombre: str
    titulo: str
    tabla: str
    notas: tuple[str, ...]
    si_vacia: str = "Sin registros para este anexo."
    bloques: tuple[Bloque, ...] = ()


#: The sheets of ``anexos.xlsx``, in the order of the EED document.
HOJAS: tuple[Hoja, ...] = (
    Hoja("Anexo 1", "Anexo 1. Destino de las aportaciones en la entidad", "anexo1", ("anexo1",),
         bloques=(Bloque("anexo1_arrastre", "Recursos de ejercicios anteriores ejercidos en el ciclo",
                         "No se registraron recursos de ejercicios anteriores ejercidos en el ciclo.",
                         solo_nota=True),)),
    Hoja("Anexo 2", "Anexo 2. Concurrencia de recursos en la entidad", "anexo2", ("anexo2",)),
    Hoja("Anexo 3", "Anexo 3. Análisis de los ASM no atendidos y su reincidencia", "anexo3", ("asm", "anexo3"),
         si_vacia="No hay ASM de evaluaciones anteriores pendientes de atender."),
    Hoja("Anexo 4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión", "anexo4", ("anexo4",)),
    Hoja("Anexo 5", "Anexo 5. Conclusiones: Fortalezas, Oportunidades, Debilidades, Amenazas y Recomendaciones",
         "anexo5", ("anexo5",)),
    Hoja("Anexo 6", "Anexo 6. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)",
         "anexo6", ("anexo6",)),
    Hoja("Anexo 7", "Anexo 7. Informe de Aspectos Susceptibles de Mejora", "anexo7", ("asm", "anexo7")),
    Hoja("Seguimiento ASM", "Seguimiento de los Aspectos Susceptibles de Mejora", "seguimiento",
         ("asm", "seguimiento"),
         bloques=(Bloque("conteos_asm", "ASM por tipo y prioridad, según su estatus al corte",
                         "Sin ASM que contar."),)),
    Hoja("Hallazgos", "Hallazgos de la auditoría de cifras", "hallazgos", ("hallazgos",),
         si_vacia="Sin hallazgos: las cifras auditadas son consistentes."),
)

#: Colours (hex RGB) of the styles.
COLORES: dict[str, str] = {
    "encabezado": "1F3864", "texto_encabezado": "FFFFFF", "subtotal": "DDEBF7", "total": "BDD7EE",
    "borde": "A6A6A6", "titulo": "1F3864", "demo": "C00000",
}

#: Cell fill by value for columns whose value is a category (semáforo, severity, status).
COLORES_VALOR: dict[str, dict[str, str]] = {
    "semaforo": {"Verde": "C6EFCE", "Amarillo": "FFEB9C", "Rojo": "FFC7CE", "Sobrecumplimiento": "BDD7EE"},
    "severidad": {"error": "FFC7CE", "advertencia": "FFEB9C", "info": "DDEBF7"},
    "estatus": {"Atendido": "C6EFCE", "En proceso": "FFEB9C", "Vencido": "FFC7CE"},
}
COLORES_VALOR["semaforo_anterior"] = COLORES_VALOR["semaforo"]

#: Fixed document date: the workbook carries no generation time (the manifest does).
FECHA_FIJA = dt.datetime(2000, 1, 1)

#: Text starting with one of these could be taken for a formula by a spreadsheet.
INICIO_FORMULA = ("=", "+", "-", "@", "\t", "\r")

_BORDE = Border(*(Side(style="thin", color=COLORES["borde"]),) * 4)


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
        valor = texto_xml(valor)
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


def _columnas(tabla: pd.DataFrame, clave: str, ciclo: int) -> list[tuple[str, str, Formato]]:
    return [(c, etiqueta, FORMATOS[tipo]) for c, etiqueta, tipo in del_libro(clave, tabla, ciclo)]


def escribir_bloque(ws: Worksheet, fila: int, tabla: pd.DataFrame, clave: str, ciclo: int,
                    titulo: str | None = None, si_vacia: str = "Sin registros.") -> tuple[int, int]:
    """Write one titled table from ``fila`` on; returns (header row, last row written).

    Columns, labels and formats come from :data:`~asm_analysis.publicacion.columnas.TABLAS` ``[clave]``; rows whose
    ``tipo_fila`` is ``subtotal`` or ``total`` are bold with a light fill. An empty table keeps
    its header and shows ``si_vacia`` in italics below it.
    """
    if titulo:
        ws.cell(row=fila, column=1, value=titulo).font = Font(bold=True, size=11, color=COLORES["titulo"])
        fila += 1
    columnas = _columnas(tabla, clave, ciclo)
    tipos = tabla["tipo_fila"].tolist() if "tipo_fila" in tabla else ["detalle"] * len(tabla)
    encabezado = fila
    for j, (_, etiqueta, fmt) in enumerate(columnas, start=1):
        celda = ws.cell(row=fila, column=j)
        poner_valor(celda, etiqueta)
        celda.font = Font(bold=True, color=COLORES["texto_encabezado"])
        celda.fill = _relleno(COLORES["encabezado"])
        celda.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        celda.border = _BORDE
        letra = get_column_letter(j)
        previo = ws.column_dimensions[letra].width if letra in ws.column_dimensions else 0
        ws.column_dimensions[letra].width = max(previo, fmt.ancho)
    if tabla.empty:
        fila += 1
        ws.cell(row=fila, column=1, value=si_vacia).font = Font(italic=True)
        return encabezado, fila
    valores = {c: (tabla[c].tolist() if c in tabla else [None] * len(tabla)) for c, _, _ in columnas}
    for i, tipo in enumerate(tipos):
        fila += 1
        resaltar = tipo in ("subtotal", "total")
        for j, (c, _, fmt) in enumerate(columnas, start=1):
            celda = ws.cell(row=fila, column=j)
            poner_valor(celda, valores[c][i])
            if fmt.numero:
                celda.number_format = fmt.numero
            celda.alignment = Alignment(vertical="top", wrap_text=fmt.ajustar)
            celda.border = _BORDE
            color = COLORES_VALOR.get(c, {}).get(str(celda.value))
            if resaltar:
                celda.font = Font(bold=True)
                celda.fill = _relleno(COLORES[tipo])
            elif color:
                celda.fill = _relleno(color)
    return encabezado, fila


def _subtitulo(datos: DatosEstado) -> str:
    texto = f"{datos.estado.nombre} · Ciclo {datos.ciclo} · {datos.fondo.nombre} ({datos.fondo.clave})"
    return texto + " · DATOS DEMO SINTÉTICOS" if datos.demo else texto


def _preparar_impresion(ws: Worksheet, encabezado: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{encabezado}:{encabezado}"
    ws.page_margins.left = ws.page_margins.right = 0.4


def escribir_hoja(wb: Workbook, hoja: Hoja, anexos: Anexos, datos: DatosEstado) -> Worksheet:
    """Title, subtitle, notes, main table (frozen, filtered, printable), then extra blocks."""
    ws = wb.create_sheet(hoja.nombre)
    ws.cell(row=1, column=1, value=hoja.titulo).font = Font(bold=True, size=14, color=COLORES["titulo"])
    sub = ws.cell(row=2, column=1, value=_subtitulo(datos))
    sub.font = Font(bold=True, color=COLORES["demo"]) if datos.demo else Font(bold=True)
    tabla = getattr(anexos, hoja.tabla)
    columnas = _columnas(tabla, hoja.tabla, datos.ciclo)
    ancho = sum(fmt.ancho for _, _, fmt in columnas)
    fila = 3
    for clave in dict.fromkeys(hoja.notas):
        nota = anexos.notas.get(clave)
        if nota:  # merged across the table and wrapped, so it prints within the page
            celda = ws.cell(row=fila, column=1)
            poner_valor(celda, nota)
            celda.font = Font(italic=True)
            celda.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=fila, start_column=1, end_row=fila, end_column=max(len(columnas), 1))
            lineas = sum(math.ceil(max(len(t), 1) / max(ancho, 1)) for t in str(celda.value).split("\n"))
            ws.row_dimensions[fila].height = 15 * max(lineas, 1)
            fila += 1
    encabezado, ultima = escribir_bloque(ws, fila + 1, tabla, hoja.tabla, datos.ciclo, si_vacia=hoja.si_vacia)
    ws.row_dimensions[encabezado].height = 45
    ws.freeze_panes = ws.cell(row=encabezado + 1, column=1)
    ultima_tabla = encabezado + len(tabla)
    ws.auto_filter.ref = f"A{encabezado}:{get_column_letter(len(columnas))}{ultima_tabla}"
    _preparar_impresion(ws, encabezado)
    for bloque in hoja.bloques:
        extra = getattr(anexos, bloque.tabla)
        if extra.empty and bloque.solo_nota:
            ws.cell(row=ultima + 3, column=1, value=bloque.titulo).font = Font(bold=True, color=COLORES["titulo"])
            ws.cell(row=ultima + 4, column=1, value=bloque.si_vacia).font = Font(italic=True)
            ultima += 4
            continue
        _, ultima = escribir_bloque(ws, ultima + 3, extra, bloque.tabla, datos.ciclo, bloque.titulo, bloque.si_vacia)
    return ws


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


def escribir_hoja_hallazgos(wb: Workbook, hoja: Hoja, anexos: Anexos, datos: DatosEstado) -> Worksheet:
    """``Hallazgos``: a summary by rule (count, severity, what it checks, how to fix), then every
    finding grouped by annex with its fix; the detail has the filter and repeats its header."""
    from asm_analysis.publicacion.presentacion import resumen_por_regla

    ws = wb.create_sheet(hoja.nombre)
    ws.cell(row=1, column=1, value=hoja.titulo).font = Font(bold=True, size=14, color=COLORES["titulo"])
    sub = ws.cell(row=2, column=1, value=_subtitulo(datos))
    sub.font = Font(bold=True, color=COLORES["demo"]) if datos.demo else Font(bold=True)
    detalle = hallazgos_por_anexo(anexos.hallazgos)
    if detalle.empty:
        ws.cell(row=4, column=1, value=hoja.si_vacia).font = Font(italic=True)
        return ws
    _, ultima = escribir_bloque(ws, 4, resumen_por_regla(anexos.hallazgos), "resumen_hallazgos", datos.ciclo,
                                "Resumen por regla")
    encabezado, fin = escribir_bloque(ws, ultima + 3, detalle, "hallazgos", datos.ciclo,
                                      "Detalle por anexo (errores primero)")
    ws.row_dimensions[encabezado].height = 30
    ws.auto_filter.ref = f"A{encabezado}:{get_column_letter(len(TABLAS['hallazgos']))}{fin}"
    _preparar_impresion(ws, encabezado)
    return ws


def anotar_recortes(wb: Workbook, recortes: list[tuple[str, str, int]]) -> None:
    """List the texts cut to Excel's cell limit at the end of the «Hallazgos» sheet (never silently)."""
    if not recortes:
        return
    ws = wb[HOJAS[-1].nombre]
    csv_de = {h.nombre: next((n for n, a in ARCHIVOS_CSV.items() if a == h.tabla), None) for h in HOJAS}
    fila = ws.max_row + 2
    ws.cell(row=fila, column=1, value=f"Textos recortados en este libro (Excel admite hasta {LIMITE_CELDA:,} "
                                      "caracteres por celda)").font = Font(bold=True, color=COLORES["demo"])
    for hoja, coordenada, largo in recortes:
        fila += 1
        archivo = csv_de.get(hoja)
        donde = f"en «{archivo}»" if archivo else "en los CSV del informe"
        ws.cell(row=fila, column=1, value=f"Hoja «{hoja}», celda {coordenada}: el texto tiene {largo:,} caracteres; "
                                          f"se muestra recortado y completo {donde}.")


def libro(anexos: Anexos, datos: DatosEstado) -> Workbook:
    """The formatted workbook (not saved): one sheet per entry of :data:`HOJAS`."""
    wb = Workbook()
    wb.remove(wb.active)
    wb._recortes_asm = []  # (sheet, cell, length) of texts cut to Excel's limit, filled by poner_valor
    for hoja in HOJAS:
        (escribir_hoja_hallazgos if hoja.tabla == "hallazgos" else escribir_hoja)(wb, hoja, anexos, datos)
    anotar_recortes(wb, wb._recortes_asm)
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "asm-analysis"
    props.title = f"Anexos EED {datos.fondo.clave} {datos.ciclo} {datos.estado.nombre}"
    props.created = props.modified = FECHA_FIJA
    return wb


def escribir_excel(anexos: Anexos, datos: DatosEstado, ruta: Path) -> Path:
    """Write ``anexos.xlsx`` (``ruta`` is the file, or a folder to hold ``anexos.xlsx``).

    Saved through openpyxl's ``ExcelWriter`` into a zip with fixed entry dates (openpyxl's
    ``save`` would stamp the current time), then moved into place atomically.
    """
    ruta = Path(ruta)
    if ruta.is_dir():
        ruta = ruta / "anexos.xlsx"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    wb = libro(anexos, datos)
    memoria = io.BytesIO()
    with _ZipFechaFija(memoria, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).write_data()
    escribir_atomico(ruta, memoria.getvalue())
    return ruta
