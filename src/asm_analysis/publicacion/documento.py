"""``anexos.docx``: the official annexes as Word tables and forms, ready for the EED document.

Evaluating firms deliver the EED as a Word document; this file spares them retyping every
annex. One section per annex (Anexos 1 to 7), then the ASM follow-up and the findings, each with:

- its official title as the published annexes give it ("Anexo 1. Tabla 1. Destino de las
  aportaciones de la entidad"), the state, ciclo and fund, a demo warning when it applies and
  the annex's notes;
- the official layout (:mod:`~asm_analysis.publicacion.oficiales`): the published columns and
  rows of each table (Anexo 1 chapter and concept labels, Anexo 2 subtotals (a), (b)…, Anexo 4
  in one table with its MIR group rows), Anexo 6 as the CONAC form itself (numbered sections,
  «label: value», option fields with the chosen option marked) and Anexo 7 with its header block;
- the figures of the report's mode (``calculo.cifras``: recalculated or as reported) and, on
  every cell the audit disputes, its mark as a superscript number, with a note under the table
  listing each mark (where, reported, recalculated);
- the source line under it: which figures these are and every input file behind the table.

Typography that survives Word and LibreOffice: every run names Arial (``w:rFonts`` ascii, hAnsi,
eastAsia and cs); column widths come from the measured widest content
(:mod:`~asm_analysis.publicacion.tipografia`), so no word, amount or share breaks across lines
(amounts carry no-break spaces); a section turns landscape, and then the type gets smaller,
only when its tables need it; the header row repeats on every page (``w:tblHeader``); rows
never split across pages; a table stays on the page of its marks note and source line (a short
table moves whole, a long one by its last row: a source line never opens a page alone).

Text from inputs goes in as text runs (never field codes or markup), stripped of characters
XML cannot hold (:func:`asm_analysis.comun.texto.texto_xml`). The file is deterministic: its
document dates and zip entries carry a fixed date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import re
import weakref
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure, ST_TwipsMeasure
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from asm_analysis.anexos import Anexos
from asm_analysis.comun import formatos
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.texto import texto_xml
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion import oficiales, tipografia
from asm_analysis.publicacion.columnas import A_LA_DERECHA, tipos_por_celda
from asm_analysis.publicacion.oficiales import GRUPO, TablaOficial
from asm_analysis.publicacion.salidas import (COLORES, FECHA_FIJA, PIE_COLOR, PIE_PUNTOS, _ZipFechaFija,
                                              hallazgos_por_anexo, para_leer)

# --------------------------------------------------------------------------------------------
# Layout as data
# --------------------------------------------------------------------------------------------

PAGINA_ANCHO, PAGINA_ALTO = Inches(8.5), Inches(11)  # US Letter, as the published annexes
MARGEN = Inches(0.75)
TEXTO_VERTICAL = PAGINA_ANCHO - 2 * MARGEN      # text width of a portrait page
TEXTO_HORIZONTAL = PAGINA_ALTO - 2 * MARGEN     # text width of a landscape page

LETRA = "Arial"
PUNTOS_TEXTO = 10
#: Type sizes a table may take, largest first: the first one under which every column gets its
#: minimum width (no word or amount broken) is used.
PUNTOS_TABLA = (8.0, 7.5, 7.0, 6.5, 6.0)
#: A table of more columns than this goes on a landscape page even when it would fit a portrait one.
COLUMNAS_VERTICAL = 6
#: Left and right cell margin, in twentieths of a point (0.04", narrower than Word's 0.075").
MARGEN_CELDA = 58
#: Cell margins plus borders, in points: what a column needs beyond its text.
RELLENO_CELDA = 2 * MARGEN_CELDA / 20 + 1.5
#: A superscript mark is set at this fraction of the cell's type size.
ESCALA_MARCA = 0.7
#: A row estimated taller than this (points, a third of a landscape page) may split across pages;
#: shorter rows never do (a tall row kept whole would leave a page empty but for the title).
ALTO_FILA_ENTERA = 170.0
#: A table whose rows are estimated at most this tall (points) is never split across pages: moved whole
#: to the next page, it leaves at most that much blank.
ALTO_TABLA_JUNTA = 180
#: Marks of the option fields of the CONAC form.
OPCION_ELEGIDA, OPCION_LIBRE = "(X)", "(\u00a0\u00a0)"


@dataclass(frozen=True)
class TablaDoc:
    """One table of a section.

    ``tabla``: how it is built (a key of :data:`~asm_analysis.publicacion.oficiales.CONSTRUCTORES`); ``anexo``: the attribute of
    :class:`Anexos` it prints; ``fuentes``: keys of ``DatosEstado.fuentes`` that fed it (``ficha``:
    the capture workbook's ficha; ``srft``: the SRFT file); ``con_cifras``: whether its source line
    says which figures these are (False for a table of texts); ``solo_nota``: an empty table shows
    only its note.
    """

    tabla: str
    anexo: str
    titulo: str
    si_vacia: str
    fuentes: tuple[str, ...]
    con_cifras: bool = True
    solo_nota: bool = False


@dataclass(frozen=True)
class SeccionDoc:
    """One section (new page): heading, notes (keys of ``Anexos.notas``) and tables."""

    nombre: str
    titulo: str
    tablas: tuple[TablaDoc, ...]
    notas: tuple[str, ...] = ()


#: The sections of ``anexos.docx`` in the order of the EED document. ``{programa}`` is the fund's
#: catalog name ("Programa IMSS-BIENESTAR"), ``{clave}`` its key, as the published titles read.
#: Anexo 6 is the CONAC form (:func:`escribir_formulario`), not a table.
SECCIONES: tuple[SeccionDoc, ...] = (
    SeccionDoc("Anexo 1", "Anexo 1. Destino de las aportaciones en la entidad", (
        TablaDoc("anexo1", "anexo1", "Anexo 1. Tabla 1. Destino de las aportaciones de la entidad",
                 "Sin registros para este anexo.", ("destino",)),
        TablaDoc("anexo1_arrastre", "anexo1_arrastre",
                 "Recursos de ejercicios anteriores ejercidos en el ciclo (complemento del Anexo 1)",
                 "No se registraron recursos de ejercicios anteriores ejercidos en el ciclo.", ("srft",),
                 solo_nota=True),
    ), ("anexo1",)),
    SeccionDoc("Anexo 2", "Anexo 2. Concurrencia de recursos en la entidad", (
        TablaDoc("anexo2", "anexo2", "Anexo 2. Tabla 1. Concurrencia de recursos en la entidad",
                 "Sin registros para este anexo.", ("concurrencia",)),
        TablaDoc("anexo2_fundamento", "anexo2", "Anexo 2. Tabla 1. Concurrencia de recursos en la entidad "
                 "(fundamento legal y comentarios)", "Sin registros para este anexo.", ("concurrencia",),
                 solo_nota=True),
    ), ("anexo2",)),
    SeccionDoc("Anexo 3", "Anexo 3. Análisis de los ASM no atendidos y su reincidencia", (
        TablaDoc("anexo3", "anexo3", "Anexo 3. Tabla 1. Aspectos Susceptibles de Mejora no atendidos",
                 "No hay ASM de evaluaciones anteriores pendientes de atender.", ("asm",), con_cifras=False),
    ), ("asm", "anexo3")),
    SeccionDoc("Anexo 4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión del {programa}", (
        TablaDoc("anexo4", "anexo4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión del {programa}",
                 "Sin registros para este anexo.", ("indicadores", "indicadores_srft")),
    ), ("anexo4",)),
    SeccionDoc("Anexo 5", "Anexo 5. Conclusiones: Fortalezas, Oportunidades, Debilidades, Amenazas y "
               "Recomendaciones del {programa}", (
                   TablaDoc("anexo5", "anexo5", "Anexo 5. Tabla 1. Conclusiones: Fortalezas, Oportunidades, "
                            "Debilidades, Amenazas y Recomendaciones del {clave}", "Sin registros para este anexo.",
                            ("foda",), con_cifras=False),
               ), ("anexo5",)),
    SeccionDoc("Anexo 6", "Anexo 6. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)",
               (), ("anexo6",)),
    SeccionDoc("Anexo 7", "Anexo 7. Formato para el Informe de Aspectos Susceptibles de Mejora derivados de las "
               "evaluaciones a los programas estatales y/o fondos federales", (
                   TablaDoc("anexo7", "anexo7", "INFORME DE ASPECTOS SUSCEPTIBLES DE MEJORA (ASM) DERIVADOS DEL "
                            "PROCESO DE EVALUACIÓN EXTERNA", "No hay ASM registrados para la evaluación de este "
                            "ciclo.", ("asm",), con_cifras=False),
               ), ("asm", "anexo7")),
    SeccionDoc("Seguimiento ASM", "Seguimiento de los Aspectos Susceptibles de Mejora", (
        TablaDoc("seguimiento_asm", "seguimiento", "Seguimiento de los ASM: aspectos y acciones",
                 "Sin acciones de seguimiento.", ("asm",), con_cifras=False),
        TablaDoc("seguimiento_avance", "seguimiento", "Seguimiento de los ASM: fechas, avance y estatus al corte",
                 "Sin acciones de seguimiento.", ("asm",)),
        TablaDoc("conteos_asm", "conteos_asm", "ASM por tipo y prioridad, según su estatus al corte",
                 "Sin ASM que contar.", ("asm",)),
    ), ("asm", "seguimiento")),
)

TITULO_ANEXO6 = "Anexo 6. Tabla 1. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)."
TITULO_HALLAZGOS = "Hallazgos de la auditoría de cifras"
#: Columns of the summary by rule that opens the findings (of ``columnas.TABLAS["resumen_hallazgos"]``).
RESUMEN_HALLAZGOS = ("regla", "severidad", "hallazgos", "descripcion")
TITULO_RESUMEN = "Resumen por regla"

# --------------------------------------------------------------------------------------------
# Cell texts and column widths
# --------------------------------------------------------------------------------------------


def texto_celda(valor: object, tipo: str) -> str:
    """A cell's text: the value in the style of its column kind, minus characters XML forbids.

    Figures (money, shares, numbers) keep their sign and unit on the same line: their spaces
    are no-break spaces (``$\u00a088,682,091.89``, ``50.14\u00a0%``).
    """
    texto = texto_xml(formatos.por_tipo(valor, tipo))
    return texto.replace(" ", tipografia.ESPACIO_DURO) if tipo in A_LA_DERECHA else texto


def _textos(tabla: TablaOficial, columnas: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Every cell's text, by column, in its column's kind; a finding's figures each in its own kind
    (:func:`~asm_analysis.publicacion.columnas.tipos_por_celda`: ``-$15,412,702.00``, ``100.00 %``, ``2020``)."""
    filas = tabla.filas
    clases = tipos_por_celda(filas)
    textos = {}
    for c, _, tipo in columnas:
        valores = filas[c].tolist() if c in filas else [None] * len(filas)
        textos[c] = [texto_celda(v, clases.get((i, c), tipo)) for i, v in enumerate(valores)]
    return textos


def medidas(columnas: list[tuple[str, str, str]], textos: dict[str, list[str]], tipos: list[str],
            marcas: dict[tuple[int, str], list[int]], puntos: float) -> list[tipografia.Medida]:
    """What each column needs at ``puntos``: its widest word (or whole figure) and longest line, header
    in bold, subtotal and total rows in bold, a cell's marks as a superscript after its text."""
    resultado = []
    for c, etiqueta, tipo in columnas:
        entero = tipo in A_LA_DERECHA
        minimo, encabezado = tipografia.medida_encabezado(etiqueta, puntos, cifras=entero)
        preferido = encabezado
        for i, texto in enumerate(textos[c]):
            if tipos[i] == GRUPO:
                continue
            negrita = tipos[i] in ("subtotal", "total")
            marca = marcas.get((i, c))
            extra = tipografia.ancho(",".join(map(str, marca)), puntos * ESCALA_MARCA) if marca else 0.0
            ultima = texto.split("\n")[-1] if texto else ""
            piezas = tipografia.piezas(ultima)
            cola = tipografia.ancho(ultima if entero else (piezas[-1] if piezas else ""), puntos, negrita) + extra
            minimo = max(minimo, tipografia.ancho_minimo(texto, puntos, negrita, entero), cola)
            preferido = max(preferido, tipografia.ancho_preferido(texto, puntos, negrita) + extra)
        resultado.append(tipografia.Medida(minimo + RELLENO_CELDA, preferido + RELLENO_CELDA,
                                           encabezado + RELLENO_CELDA))
    return resultado


@dataclass
class Impresa:
    """A table as it prints: its columns (key, header, kind), every cell's text by column, each row's
    kind and the marks on its cells ((row, column) → mark numbers). Built once per table, so the
    section's orientation and the table's own layout measure the same texts only once."""

    columnas: list[tuple[str, str, str]]
    textos: dict[str, list[str]]
    tipos: list[str]
    en_celdas: dict[tuple[int, str], list[int]]
    _medidas: dict[float, list[tipografia.Medida]] = field(default_factory=dict, repr=False)

    @classmethod
    def de(cls, tabla: TablaOficial, ciclo: int, marcas: pd.DataFrame | None = None) -> Impresa:
        """The printed content of ``tabla``, with the marks of ``marcas`` that fall on its cells."""
        columnas = tabla.columnas(ciclo)
        return cls(columnas, _textos(tabla, columnas), tabla.filas["tipo_fila"].tolist(),
                   oficiales.marcas_en(tabla, marcas) if marcas is not None else {})

    def medir(self, puntos: float) -> list[tipografia.Medida]:
        """What each column needs at ``puntos`` (:func:`medidas`), measured once per type size."""
        if puntos not in self._medidas:
            self._medidas[puntos] = medidas(self.columnas, self.textos, self.tipos, self.en_celdas, puntos)
        return self._medidas[puntos]


@dataclass(frozen=True)
class Plan:
    """How a table is set: type size and column widths (EMU, adding up to the text width)."""

    puntos: float
    anchos: list[int]


def planear(med_por_puntos, disponible_emu: int) -> Plan | None:
    """The largest type size whose column minimums fit ``disponible_emu``; None when none does."""
    disponible = disponible_emu / 12700  # EMU → points
    for puntos in PUNTOS_TABLA:
        anchos = tipografia.repartir(med_por_puntos(puntos), disponible)
        if anchos is not None:
            enteros = [int(a * 12700) for a in anchos]
            if enteros:
                enteros[-1] += disponible_emu - sum(enteros)
            return Plan(puntos, enteros)
    return None


def plan_forzado(med_por_puntos, disponible_emu: int) -> Plan:
    """Smallest type, widths in proportion to the minimums (a single word wider than the page)."""
    puntos = PUNTOS_TABLA[-1]
    minimos = [m.minimo for m in med_por_puntos(puntos)]
    total = sum(minimos) or 1.0
    enteros = [int(disponible_emu * m / total) for m in minimos]
    if enteros:
        enteros[-1] += disponible_emu - sum(enteros)
    return Plan(puntos, enteros)


# --------------------------------------------------------------------------------------------
# Word primitives
# --------------------------------------------------------------------------------------------
#
# Table rows, paragraphs and runs are written as WordprocessingML text and parsed in one go
# (python-docx's ``parse_xml``), not built by one python-docx call per cell, paragraph and run
# property: a report has thousands of cells, and each proxy call walks the XML to find or insert
# its element. The text is exactly what those python-docx calls write (same elements, schema
# order and attribute order), so the file does not change by a byte. python-docx still owns the
# document: it creates each paragraph and table and sets the sections, styles and table properties.

_W = nsdecls("w")
#: What python-docx's ``run.text`` turns into elements: a tab into ``w:tab``, a line end into ``w:br``.
_CORTES_RUN = re.compile(r"([\t\r\n])")
_LETRA_XML = "<w:rFonts w:ascii={0} w:hAnsi={0} w:eastAsia={0} w:cs={0}/>".format(quoteattr(LETRA))
#: A cell's paragraph: no space before or after (``space_after = space_before = Pt(0)``).
_SIN_ESPACIO = '<w:spacing w:after="0" w:before="0"/>'
_NO_PARTIR = "<w:trPr><w:cantSplit/></w:trPr>"
_ALINEACION = {"derecha": '<w:jc w:val="right"/>', "centro": '<w:jc w:val="center"/>', None: ""}


def nombrar_letra(r_pr) -> None:
    """Name :data:`LETRA` for every script of a run's properties (ascii, hAnsi, eastAsia, cs)."""
    fuentes = r_pr.find(qn("w:rFonts"))
    if fuentes is None:
        fuentes = OxmlElement("w:rFonts")
        r_pr.insert(0, fuentes)
    for atributo in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fuentes.set(qn(atributo), LETRA)


def _escapar(texto: str) -> str:
    """``texto`` as XML character data, escaped as lxml writes it."""
    return escape(texto, {"\r": "&#13;"})


def _t(texto: str, preservar: bool) -> str:
    """A ``w:t`` of ``texto``; a sign stays on the line of its amount (:func:`tipografia.pegar_signos`)."""
    espacio = ' xml:space="preserve"' if preservar else ""
    return f"<w:t{espacio}>{_escapar(tipografia.pegar_signos(texto))}</w:t>"


def _contenido_run(texto: str) -> str:
    """A run's content as python-docx's ``run.text = texto`` writes it: each stretch of text a
    ``w:t`` (``xml:space="preserve"`` when it begins or ends with white space), each tab a
    ``w:tab``, each line end a ``w:br``."""
    partes = []
    for pieza in _CORTES_RUN.split(texto):
        if pieza == "\t":
            partes.append("<w:tab/>")
        elif pieza in ("\n", "\r"):
            partes.append("<w:br/>")
        elif pieza:
            partes.append(_t(pieza, preservar=len(pieza.strip()) < len(pieza)))
    return "".join(partes)


@lru_cache(maxsize=256)
def _propiedades_run(puntos: float, negrita: bool = False, cursiva: bool = False, color: str | None = None,
                     superindice: bool = False) -> str:
    """A run's ``w:rPr`` in schema order: Arial for every script (as :func:`nombrar_letra`), bold,
    italic, color, size and superscript, as python-docx's font properties write them."""
    return "".join((
        "<w:rPr>", _LETRA_XML, "<w:b/>" if negrita else "", "<w:i/>" if cursiva else "",
        f'<w:color w:val="{RGBColor.from_string(color)}"/>' if color else "",
        f'<w:sz w:val="{ST_HpsMeasure.convert_to_xml(Pt(puntos))}"/>',
        '<w:vertAlign w:val="superscript"/>' if superindice else "", "</w:rPr>"))


def _xml_run(texto: str, puntos: float, negrita: bool = False, cursiva: bool = False, color: str | None = None,
             superindice: bool = False) -> str:
    return f"<w:r>{_propiedades_run(puntos, negrita, cursiva, color, superindice)}{_contenido_run(texto)}</w:r>"


def _run(parrafo, texto: str, puntos: float, negrita: bool = False, cursiva: bool = False,
         color: str | None = None, superindice: bool = False) -> Run:
    """Append a run of ``texto`` in Arial at ``puntos`` to a paragraph."""
    r = parse_xml(f"<w:r {_W}>{_propiedades_run(puntos, negrita, cursiva, color, superindice)}"
                  f"{_contenido_run(texto_xml(texto))}</w:r>")
    parrafo._p.append(r)
    return Run(r, parrafo)


def _parrafo(doc, texto: str, puntos: float = PUNTOS_TEXTO, negrita: bool = False, cursiva: bool = False,
             color: str | None = None, despues: int = 4, con_siguiente: bool = False) -> Paragraph:
    """A paragraph of the body: ``despues`` points after it, kept on the page of the next one with
    ``con_siguiente``, its text (if any) in one run."""
    p = doc.add_paragraph()
    siguiente = "<w:keepNext/>" if con_siguiente else ""
    run = _xml_run(texto_xml(texto), puntos, negrita, cursiva, color) if texto else ""
    espacio = ST_TwipsMeasure.convert_to_xml(Pt(despues))
    contenido = parse_xml(f'<w:p {_W}><w:pPr>{siguiente}<w:spacing w:after="{espacio}"/></w:pPr>{run}</w:p>')
    p._p.extend(list(contenido))
    return p


def _sombra(color: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{color}"/>'


def _xml_encabezado(columnas: list[tuple[str, str, str]], twips: list[int], puntos: float) -> str:
    """The header row: dark fill, white bold centred labels, repeated on every page, never split."""
    r_pr = _propiedades_run(puntos, negrita=True, color=COLORES["texto_encabezado"])
    inicio = '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{}"/>' + _sombra(COLORES["encabezado"]) + \
        f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>{_SIN_ESPACIO}{_ALINEACION["centro"]}</w:pPr>'
    celdas = [inicio.format(w) + (f"<w:r>{r_pr}{_contenido_run(texto_xml(etiqueta))}</w:r>" if etiqueta else "")
              + "</w:p></w:tc>" for (_, etiqueta, _), w in zip(columnas, twips)]
    return f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>{"".join(celdas)}</w:tr>'


def _xml_grupo(texto: str, twips: list[int], puntos: float) -> str:
    """A heading row («Indicadores MIR Estatal», «INGRESOS TOTALES 2024»): one bold cell across the
    table (the first cell spans the grid and takes the width of all of them)."""
    ancho = twips[0]
    for w in twips[1:]:
        if ancho and w:
            ancho += w
    span = f'<w:gridSpan w:val="{len(twips)}"/>' if len(twips) > 1 else ""
    run = _xml_run(texto_xml(texto), puntos, negrita=True) if texto else ""
    return (f'<w:tr>{_NO_PARTIR}<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{ancho}"/>{span}{_sombra(COLORES["subtotal"])}'
            f"</w:tcPr><w:p><w:pPr>{_SIN_ESPACIO}</w:pPr>{run}</w:p></w:tc></w:tr>")


@dataclass(frozen=True)
class _Celdas:
    """How the cells of a row kind (detail, subtotal, total) are formatted: each column's cell up to
    its text (width, fill, alignment) and the properties of its text run and of its marks' run."""

    inicios: list[str]
    run: str
    marca: str


def _celdas(columnas: list[tuple[str, str, str]], twips: list[int], puntos: float, clave: str) -> _Celdas:
    resaltar = clave in ("subtotal", "total")
    sombra = _sombra(COLORES[clave]) if resaltar else ""
    inicios = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/>{sombra}</w:tcPr><w:p><w:pPr>{_SIN_ESPACIO}'
               f'{_ALINEACION["derecha" if clase in A_LA_DERECHA else None]}</w:pPr>'
               for (_, _, clase), w in zip(columnas, twips)]
    return _Celdas(inicios, _propiedades_run(puntos, negrita=resaltar),
                   _propiedades_run(puntos, negrita=resaltar, superindice=True))


def _xml_celda(formato: _Celdas, j: int, texto: str, numeros: list[int] | None) -> str:
    """One cell: its text in one run (``xml:space="preserve"``; line ends and tabs as python-docx
    writes them) and, when the audit disputes it, its marks as a superscript run after the text.

    The marks' run is the text run in superscript with its ``w:t`` replaced by the numbers, so it
    keeps the text's ``w:br``/``w:tab`` (as the marks were always written: a marked cell of several
    lines would show its marks after as many breaks; no marked figure holds a line end)."""
    if not texto:
        return formato.inicios[j] + "</w:p></w:tc>"
    if "\n" in texto or "\t" in texto:
        contenido = _contenido_run(texto)
        resto = "".join("<w:tab/>" if c == "\t" else "<w:br/>" for c in texto if c in "\t\r\n")
    else:
        contenido, resto = _t(texto, preservar=True), ""
    marca = f"<w:r>{formato.marca}{resto}<w:t>{_escapar(','.join(map(str, numeros)))}</w:t></w:r>" if numeros else ""
    return f"{formato.inicios[j]}<w:r>{formato.run}{contenido}</w:r>{marca}</w:p></w:tc>"


def _alto_fila(columnas, textos: dict[str, list[str]], i: int, anchos_col: list[int], puntos: float) -> float:
    """Estimated height of row ``i`` in points: its tallest cell's wrapped lines."""
    lineas = max((tipografia.lineas(textos[c][i], w / 12700 - RELLENO_CELDA, puntos)
                  for (c, _, _), w in zip(columnas, anchos_col) if textos[c][i]), default=1)
    return lineas * puntos * 1.2


def _margenes(t) -> None:
    """The table's left and right cell margins (:data:`MARGEN_CELDA`), as the widths were planned."""
    tbl_pr = t._tbl.tblPr
    margenes = OxmlElement("w:tblCellMar")
    for lado in ("w:left", "w:right"):
        m = OxmlElement(lado)
        m.set(qn("w:w"), str(MARGEN_CELDA))
        m.set(qn("w:type"), "dxa")
        margenes.append(m)
    # schema order: tblCellMar comes after tblLayout and before tblLook (Word rejects it elsewhere)
    tbl_pr.insert_element_before(margenes, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


#: Style id of «Table Grid» by document part. python-docx looks up the default table style on every
#: ``table.style`` assignment (a millisecond each); a document resolves it once.
_ESTILO_TABLA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _estilo_tabla(doc) -> str | None:
    parte = doc.part
    if parte not in _ESTILO_TABLA:
        _ESTILO_TABLA[parte] = parte.get_style_id(doc.styles["Table Grid"], WD_STYLE_TYPE.TABLE)
    return _ESTILO_TABLA[parte]


_SIN_SIGUIENTE = re.compile(r"<w:pPr>(?!<w:keepNext/>)")


def _con_siguiente(xml: str) -> str:
    """Rows' XML with each cell paragraph kept on the page of what follows (``w:keepNext``, first in ``w:pPr``)."""
    return _SIN_SIGUIENTE.sub("<w:pPr><w:keepNext/>", xml)


def escribir_tabla(doc, impresa: Impresa, ancho: int) -> Table:
    """One Word table: repeated dark header, formatted cells, bold shaded subtotal/total rows, group
    rows across the table, each disputed cell with its mark as a superscript.

    Column widths and type size come from the measured texts (:func:`planear`). python-docx creates
    the table and sets its style, alignment, fixed layout, cell margins and column widths; its rows
    are written as XML text (the formatting of each row kind once) and parsed in one go.
    """
    columnas, textos, tipos, en_celdas = impresa.columnas, impresa.textos, impresa.tipos, impresa.en_celdas
    plan = planear(impresa.medir, ancho) or plan_forzado(impresa.medir, ancho)
    puntos, anchos_col = plan.puntos, plan.anchos
    t = doc.add_table(rows=0, cols=len(columnas))
    t._tbl.tblStyle_val = _estilo_tabla(doc)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _margenes(t)
    for j, w in enumerate(anchos_col):
        t.columns[j].width = Emu(w)
    twips = [Emu(w).twips for w in anchos_col]
    filas = [_xml_encabezado(columnas, twips, puntos)]
    formatos_fila: dict[str, _Celdas] = {}
    inicios = []  # where each body row's XML begins in ``filas``
    alto = 0.0  # estimated height of the body rows, in points (group rows not counted)
    for i, tipo in enumerate(tipos):
        inicios.append(len(filas))
        if tipo == GRUPO:
            texto = next((textos[c][i] for c, _, _ in columnas if textos[c][i]), "")
            filas.append(_xml_grupo(texto, twips, puntos))
            continue
        clave = tipo if tipo in ("subtotal", "total") else "detalle"
        if clave not in formatos_fila:
            formatos_fila[clave] = _celdas(columnas, twips, puntos, clave)
        formato = formatos_fila[clave]
        # a very tall row may continue on the next page; any other never splits
        alto_fila = _alto_fila(columnas, textos, i, anchos_col, puntos)
        alto += alto_fila
        filas.append("<w:tr><w:trPr/>" if alto_fila > ALTO_FILA_ENTERA else f"<w:tr>{_NO_PARTIR}")
        filas.extend(_xml_celda(formato, j, textos[c][i], en_celdas.get((i, c)))
                     for j, (c, _, _) in enumerate(columnas))
        filas.append("</w:tr>")
    # A group row stays with the row under it and a subtotal or total with the row above it (a
    # «Subtotal capítulo 8000» never opens a page away from its concepts)
    for i, tipo in enumerate(tipos):
        previa = i - 1 if tipo in ("subtotal", "total") and i else (i if tipo == GRUPO and i + 1 < len(tipos) else None)
        # (a subtotal's row above, a group row itself; ``inicios[previa + 1]`` exists: a row follows it)
        if previa is not None:
            for k in range(inicios[previa], inicios[previa + 1]):
                filas[k] = _con_siguiente(filas[k])
    # Kept on one page with what follows (the marks note, the source line): a short table whole, a long
    # one by its header and its last row (a source line never opens a page on its own, a header never
    # closes one)
    juntas = 1 if alto <= ALTO_TABLA_JUNTA else (inicios[-1] if inicios else 1)
    filas[0] = _con_siguiente(filas[0])
    filas[juntas:] = [_con_siguiente("".join(filas[juntas:]))]
    t._tbl.extend(list(parse_xml(f"<w:tbl {_W}>{''.join(filas)}</w:tbl>")))
    return t


def _nueva_seccion(doc, primera: bool, horizontal: bool):
    seccion = doc.sections[0] if primera else doc.add_section(WD_SECTION.NEW_PAGE)
    seccion.orientation = WD_ORIENT.LANDSCAPE if horizontal else WD_ORIENT.PORTRAIT
    seccion.page_width, seccion.page_height = (PAGINA_ALTO, PAGINA_ANCHO) if horizontal else (
        PAGINA_ANCHO, PAGINA_ALTO)
    seccion.left_margin = seccion.right_margin = seccion.top_margin = seccion.bottom_margin = MARGEN
    return TEXTO_HORIZONTAL if horizontal else TEXTO_VERTICAL


def necesita_horizontal(impresa: Impresa) -> bool:
    """True when a table does not fit a portrait page at the largest type, or has many columns."""
    if len(impresa.columnas) > COLUMNAS_VERTICAL:
        return True
    return tipografia.repartir(impresa.medir(PUNTOS_TABLA[0]), TEXTO_VERTICAL / 12700) is None


def _subtitulo(datos: DatosEstado) -> str:
    texto = f"{datos.estado.nombre} · Ciclo {datos.ciclo} · {datos.fondo.nombre} ({datos.fondo.clave})"
    return texto + " · DATOS DEMO SINTÉTICOS" if datos.demo else texto


def _encabezar(doc, titulo: str, datos: DatosEstado, anexos: Anexos, notas: tuple[str, ...]) -> None:
    _parrafo(doc, titulo, 14, negrita=True, color=COLORES["titulo"], despues=2, con_siguiente=True)
    _parrafo(doc, _subtitulo(datos), 10, negrita=True, color=COLORES["demo"] if datos.demo else None,
             con_siguiente=True)
    for clave in dict.fromkeys(notas):
        nota = anexos.notas.get(clave)
        if nota:
            _parrafo(doc, nota, 9, cursiva=True, con_siguiente=True)


def escribir_nota_marcas(doc, marcas: pd.DataFrame, cifras: str, impresas: set[int] | None = None) -> None:
    """Under a table: every mark it carries, with where it is, the reported and the recalculated figure;
    ``impresas``: the marks whose cells the table prints (:func:`oficiales.nota_marcas`)."""
    if marcas is None or marcas.empty:
        return
    _parrafo(doc, oficiales.titulo_marcas(cifras), 8, negrita=True, despues=1, con_siguiente=True)
    lineas = oficiales.nota_marcas(marcas, cifras, impresas)
    for k, linea in enumerate(lineas):
        # the title with the first mark, the last mark with the source line that always follows; a long
        # note flows across the page break instead of leaving the table's page half empty
        _parrafo(doc, linea, 8, despues=1 if k < len(lineas) - 1 else 4, con_siguiente=k in (0, len(lineas) - 1))


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _formatear(texto: str, datos: DatosEstado) -> str:
    return texto.format(programa=datos.fondo.nombre, clave=datos.fondo.clave, ciclo=datos.ciclo)


def construir(spec: TablaDoc, anexos: Anexos, ciclo: int) -> TablaOficial:
    """The printed table of ``spec`` from the annexes as printed."""
    return oficiales.construir(spec.tabla, getattr(anexos, spec.anexo), ciclo)


def _marcas_de_tabla(tabla: TablaOficial, marcas: pd.DataFrame, primera_del_anexo: bool
                     ) -> tuple[pd.DataFrame, set[int]]:
    """The marks a table's note lists and the numbers of those on its cells: the first table of an
    annex also lists the annex's marks that fall on no printed cell (a column the official layout
    leaves out), and its note says so."""
    propias = oficiales.marcas_de(marcas, tabla.anexo)
    en_celdas = {n for numeros in oficiales.marcas_en(tabla, marcas).values() for n in numeros}
    if propias.empty:
        return propias, en_celdas
    if primera_del_anexo:
        return propias[[int(n) in en_celdas or not _impresa(tabla, m) for n, (_, m) in
                        zip(propias["numero"], propias.iterrows())]], en_celdas
    return propias[propias["numero"].astype(int).isin(en_celdas)], en_celdas


def _impresa(tabla: TablaOficial, marca: pd.Series) -> bool:
    return tabla.columna_de(str(marca["columna"])) is not None and marca["fila"] in set(tabla.filas["origen"])


def escribir_seccion(doc, seccion: SeccionDoc, calculo, primera: bool) -> None:
    """Heading, notes, then each table with its title, its marks note and its source line."""
    datos, anexos = calculo.datos, calculo.impresos
    tablas = [(spec, construir(spec, anexos, datos.ciclo)) for spec in seccion.tablas]
    planes = [(spec, tabla, Impresa.de(tabla, datos.ciclo, calculo.marcas)) for spec, tabla in tablas]
    horizontal = any(necesita_horizontal(impresa) for _, _, impresa in planes)
    ancho = _nueva_seccion(doc, primera, horizontal=horizontal)
    _encabezar(doc, _formatear(seccion.titulo, datos), datos, anexos, seccion.notas)
    vistos: set[str] = set()
    for spec, tabla, impresa in planes:
        vacia = tabla.filas[tabla.filas["tipo_fila"] != GRUPO].empty
        _parrafo(doc, _formatear(spec.titulo, datos), 10, negrita=True, color=COLORES["titulo"], despues=3,
                 con_siguiente=True)
        if spec.anexo == "anexo7":
            for etiqueta, valor in oficiales.encabezado_anexo7(datos):
                p = _parrafo(doc, "", 9, despues=1, con_siguiente=True)
                _run(p, f"{etiqueta}: ", 9, negrita=True)
                if valor:
                    _run(p, valor, 9)
        if vacia and spec.solo_nota:
            _parrafo(doc, spec.si_vacia, 9, cursiva=True)
            continue
        escribir_tabla(doc, impresa, ancho)
        if vacia:
            _parrafo(doc, spec.si_vacia, 9, cursiva=True, despues=2, con_siguiente=True)
        listadas, en_celdas = _marcas_de_tabla(tabla, calculo.marcas, tabla.anexo not in vistos)
        escribir_nota_marcas(doc, listadas, calculo.cifras, en_celdas)
        vistos.add(tabla.anexo)
        _parrafo(doc, oficiales.linea_fuente(datos, spec.fuentes, calculo.cifras, spec.con_cifras), 8, cursiva=True,
                 despues=10)


def escribir_formulario(doc, calculo, primera: bool) -> None:
    """Anexo 6: the CONAC form itself, section by section, «label: value»; a blank field prints empty."""
    datos, anexos = calculo.datos, calculo.impresos
    seccion = next(s for s in SECCIONES if s.nombre == "Anexo 6")
    _nueva_seccion(doc, primera, horizontal=False)
    _encabezar(doc, seccion.titulo, datos, anexos, seccion.notas)
    _parrafo(doc, TITULO_ANEXO6, 10, negrita=True, color=COLORES["titulo"], despues=6, con_siguiente=True)
    campos = oficiales.formulario(anexos.anexo6)
    marcas_campo = oficiales.marcas_formulario(campos, calculo.marcas)
    for titulo, filas in campos:
        _parrafo(doc, titulo, 10, negrita=True, color=COLORES["titulo"], despues=3, con_siguiente=True)
        for campo in filas:
            p = _parrafo(doc, "", 9, despues=3)
            _run(p, f"{campo.etiqueta}:", 9, negrita=True)
            if campo.opciones:
                p.paragraph_format.keep_with_next = True
                p = _parrafo(doc, "", 9, despues=3)
                _run(p, campo.opciones_marcadas(OPCION_ELEGIDA, OPCION_LIBRE, "\u00a0"), 9)
            elif campo.valor:
                lineas = campo.valor.split("\n")
                _run(p, " " + lineas[0], 9)
                for linea in lineas[1:]:
                    p.runs[-1].add_break()
                    _run(p, linea, 9)
            if campo.origen in marcas_campo:
                _run(p, ",".join(map(str, marcas_campo[campo.origen])), 9, superindice=True)
    escribir_nota_marcas(doc, oficiales.marcas_de(calculo.marcas, "anexo6"), calculo.cifras)
    _parrafo(doc, oficiales.linea_fuente(datos, ("ficha", "foda"), calculo.cifras, con_cifras=False), 8,
             cursiva=True, despues=10)


def resumen_hallazgos(hallazgos: pd.DataFrame) -> pd.DataFrame:
    """Findings by rule, in the order rules first appear: rule, severity, count, what it checks."""
    from asm_analysis.auditoria import documentar_reglas

    columnas = list(RESUMEN_HALLAZGOS)
    if hallazgos.empty:
        return pd.DataFrame(columns=columnas)
    descripcion = documentar_reglas().set_index("id")["descripcion"].to_dict()
    conteo = (hallazgos.groupby(["regla", "severidad"], sort=False).size().rename("hallazgos").reset_index())
    conteo["descripcion"] = conteo["regla"].map(descripcion)
    return conteo[columnas]


def _clave_anexo(anexo: object) -> tuple:
    """Annex order: Anexo 1 … Anexo 7 by number, then other groups by name."""
    texto = "" if formatos.vacio(anexo) else str(anexo)
    m = re.match(r"Anexos?\s+(\d+)", texto)
    return (0, int(m.group(1)), texto) if m else (1, 0, texto)


def grupos_hallazgos(hallazgos: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Findings grouped by annex (Anexo 1 first), each group in the audit's own order."""
    if hallazgos.empty:
        return []
    anexo = hallazgos["anexo"].map(lambda a: "" if formatos.vacio(a) else str(a))
    orden = sorted(dict.fromkeys(anexo), key=_clave_anexo)
    return [(g or "Sin anexo", hallazgos[anexo == g].reset_index(drop=True)) for g in orden]


def escribir_hallazgos(doc, calculo) -> None:
    """Summary by rule, then one table per annex with that annex's findings and how to fix each
    (the same grouping and order as the ``Hallazgos`` sheet)."""
    datos, anexos = calculo.datos, calculo.anexos
    h = hallazgos_por_anexo(anexos.hallazgos)
    resumen = oficiales.generica("resumen_hallazgos", "", para_leer(resumen_hallazgos(h)), RESUMEN_HALLAZGOS,
                                 resto=False)
    resumen = Impresa.de(resumen, datos.ciclo)
    grupos = [(anexo, len(grupo), Impresa.de(oficiales.generica("hallazgos", "", para_leer(grupo)), datos.ciclo))
              for anexo, grupo in grupos_hallazgos(h)]
    horizontal = any(necesita_horizontal(t) for t in [resumen, *(g for _, _, g in grupos)])
    ancho = _nueva_seccion(doc, False, horizontal=horizontal)
    _encabezar(doc, TITULO_HALLAZGOS, datos, anexos, ("hallazgos",))
    entradas = oficiales.entradas_de(datos, ("destino", "srft", "concurrencia", "indicadores", "asm", "foda", "ficha"))
    fuente = ("Fuente: recálculo de las cifras de los anexos con asm-analysis frente a lo reportado en: "
              f"{'; '.join(entradas) or 'sin archivos'}.")
    if h.empty:
        _parrafo(doc, "Sin hallazgos: las cifras auditadas son consistentes.", 10, cursiva=True)
        _parrafo(doc, fuente, 8, cursiva=True)
        return
    _parrafo(doc, TITULO_RESUMEN, 10, negrita=True, color=COLORES["titulo"], despues=3, con_siguiente=True)
    escribir_tabla(doc, resumen, ancho)
    _parrafo(doc, fuente, 8, cursiva=True, despues=10)
    for anexo, n, grupo in grupos:
        titulo = f"Hallazgos del {anexo}" if anexo.startswith("Anexo") else f"Hallazgos: {anexo}"
        _parrafo(doc, f"{titulo} ({n} hallazgo{'s' if n != 1 else ''})", 10, negrita=True,
                 color=COLORES["titulo"], despues=3, con_siguiente=True)
        escribir_tabla(doc, grupo, ancho)
        _parrafo(doc, fuente, 8, cursiva=True, despues=10)


# --------------------------------------------------------------------------------------------
# Document
# --------------------------------------------------------------------------------------------


def _letra_por_omision(doc) -> None:
    """Arial, named for every script, in the Normal style and the document defaults."""
    estilo = doc.styles["Normal"]
    estilo.font.name = LETRA
    estilo.font.size = Pt(PUNTOS_TEXTO)
    nombrar_letra(estilo.element.get_or_add_rPr())
    defectos = doc.styles.element.find(qn("w:docDefaults"))
    if defectos is not None:
        r_pr = defectos.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            for tema in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fuentes = r_pr.find(qn("w:rFonts"))
                if fuentes is not None and fuentes.get(qn(tema)) is not None:
                    del fuentes.attrib[qn(tema)]
            nombrar_letra(r_pr)


#: The document's language: Word checks spelling and hyphenates the annexes as Mexican Spanish.
IDIOMA = "es-MX"
#: The page footer's distance from the page's edge (:func:`_pie_de_pagina`; type and colour as the workbook's).
PIE_DISTANCIA = Inches(0.4)


def _idioma(doc) -> None:
    """Mark every run as :data:`IDIOMA` by default (the blank template says US English, so Word would
    underline every Spanish word and hyphenate by English rules)."""
    r_pr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is not None:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        for atributo in ("w:val", "w:eastAsia"):
            lang.set(qn(atributo), IDIOMA)
    tema = doc.settings.element.find(qn("w:themeFontLang"))
    if tema is not None:
        tema.set(qn("w:val"), IDIOMA)


def _pie_de_pagina(doc, titulo: str) -> None:
    """Every page's footer: what the document is and «Página N de M» (Word fields), so a printed page
    can be cited and put back in order. The later sections share the first one's footer."""
    seccion = doc.sections[0]
    seccion.footer_distance = PIE_DISTANCIA
    parrafo = seccion.footer.paragraphs[0]
    parrafo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r_pr = _propiedades_run(PIE_PUNTOS, color=PIE_COLOR)

    def campo(nombre: str) -> str:  # «1» shows until Word (or LibreOffice) computes the field
        return f'<w:fldSimple {_W} w:instr=" {nombre} "><w:r>{r_pr}<w:t>1</w:t></w:r></w:fldSimple>'

    _run(parrafo, f"{titulo} · Página ", PIE_PUNTOS, color=PIE_COLOR)
    parrafo._p.append(parse_xml(campo("PAGE")))
    _run(parrafo, " de ", PIE_PUNTOS, color=PIE_COLOR)
    parrafo._p.append(parse_xml(campo("NUMPAGES")))


def documento(calculo):
    """The Word document (not saved) of a report's :class:`~asm_analysis.publicacion.calculo.Calculo`:
    one section per entry of :data:`SECCIONES` (Anexo 6 as the CONAC form), then the findings."""
    datos = calculo.datos
    doc = Document()
    _letra_por_omision(doc)
    for i, seccion in enumerate(SECCIONES):
        if seccion.nombre == "Anexo 6":
            escribir_formulario(doc, calculo, primera=i == 0)
        else:
            escribir_seccion(doc, seccion, calculo, primera=i == 0)
    escribir_hallazgos(doc, calculo)
    titulo = f"Anexos EED {datos.fondo.clave} {datos.ciclo} {datos.estado.nombre}"
    _idioma(doc)
    _pie_de_pagina(doc, oficiales.titulo_documento(datos))
    props = doc.core_properties
    props.author = props.last_modified_by = "asm-analysis"
    props.language = IDIOMA
    props.title = titulo
    props.created = props.modified = props.last_printed = FECHA_FIJA
    props.revision = 1
    props.comments = "Anexos de la Evaluación Específica del Desempeño generados por asm-analysis."
    return doc


class _EscritorZip:
    """The physical writer python-docx's :class:`PackageWriter` writes the parts with
    (``write(pack_uri, blob)``), over a zip whose entries carry the fixed date."""

    def __init__(self, destino: zipfile.ZipFile):
        self._destino = destino

    def write(self, pack_uri, blob: bytes) -> None:
        self._destino.writestr(pack_uri.membername, blob)


def empaquetar(doc) -> bytes:
    """The ``.docx`` bytes of ``doc``, every zip entry dated :data:`FECHA_FIJA`.

    What ``doc.save`` writes (python-docx's ``OpcPackage.save``: the same parts, in the same order,
    through its :class:`PackageWriter`), but into a zip that carries the fixed date instead of the
    current time, so the package is compressed once rather than saved and then re-packed.
    """
    paquete = doc.part.package
    for parte in paquete.parts:
        parte.before_marshal()
    salida = io.BytesIO()
    with _ZipFechaFija(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        escritor = _EscritorZip(destino)
        PackageWriter._write_content_types_stream(escritor, paquete.parts)
        PackageWriter._write_pkg_rels(escritor, paquete.rels)
        PackageWriter._write_parts(escritor, paquete.parts)
    return salida.getvalue()


def escribir_docx(calculo, ruta: Path) -> Path:
    """Write ``anexos.docx`` of ``calculo`` (``ruta`` is the file, or a folder to hold it), atomically."""
    ruta = Path(ruta)
    if ruta.is_dir():
        ruta = ruta / "anexos.docx"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    escribir_atomico(ruta, empaquetar(documento(calculo)))
    return ruta
