"""``anexos.docx``: the annexes as Word tables, ready to insert into the EED document.

Evaluating firms deliver the EED as a Word document; this file spares them retyping every
annex from ``anexos.xlsx``. One section per annex (Anexos 1 to 7, ``Seguimiento ASM`` and
``Hallazgos``), in the order of the document, each with:

- its official title as the published annexes give it ("Anexo 1. Tabla 1. Destino de las
  aportaciones de la entidad"), the state, ciclo and fund, a demo warning when it applies and
  the annex's notes;
- the table: a dark header row repeated on every page (``w:tblHeader``), money as
  ``$ 88,682,091.89``, shares as ``50.14 %``, dates dd/mm/aaaa, bold shaded subtotal and total
  rows (``tipo_fila``), fixed column widths that add up to the page's text width; a section
  whose tables do not fit a portrait page is landscape;
- the source line under it ("Fuente: …"), from the report's provenance (which input fed the
  table: capture workbook, SRFT or national CSV, with the file names).

Cell for cell, each table shows the CSV of the same annex (:mod:`asm_analysis.publicacion.salidas`), only
formatted: columns and labels are the workbook's (:mod:`asm_analysis.publicacion.columnas`).
Wide annexes (Anexo 4, the ASM follow-up) are split into two tables that repeat the key columns.
Findings open with a summary by rule (count, severity, what the rule checks), then the detail
grouped by annex.

Text from inputs goes in as text runs (never field codes or markup). The file is deterministic:
its document dates and zip entries carry a fixed date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor

from asm_analysis.anexos import Anexos
from asm_analysis.comun import formatos
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.texto import texto_xml
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion.columnas import A_LA_DERECHA, del_libro
from asm_analysis.publicacion.salidas import COLORES, FECHA_FIJA, _ZipFechaFija, hallazgos_por_anexo

# --------------------------------------------------------------------------------------------
# Layout as data
# --------------------------------------------------------------------------------------------

#: Natural width of a column, in inches, by kind (the kinds of :data:`salidas.FORMATOS`): what
#: ``$ 426,771,165.00`` or ``30/09/2024`` needs at 8 pt. Widths are then scaled to the page.
ANCHO_PULGADAS: dict[str, float] = {
    "dinero": 1.05, "porcentaje": 0.65, "numero": 0.75, "entero": 0.45, "fecha": 0.72,
    "clave": 0.55, "corto": 0.9, "texto": 1.2, "largo": 1.8,
}
#: Kinds that take the spare width when a table is narrower than the page.
ELASTICOS = ("largo", "texto", "corto")

PAGINA_ANCHO, PAGINA_ALTO = Inches(8.5), Inches(11)  # US Letter, as the published annexes
MARGEN = Inches(0.75)
TEXTO_VERTICAL = PAGINA_ANCHO - 2 * MARGEN      # text width of a portrait page
TEXTO_HORIZONTAL = PAGINA_ALTO - 2 * MARGEN     # text width of a landscape page

LETRA = "Arial"
PUNTOS_TEXTO = 10
PUNTOS_TABLA = 8
PUNTOS_TABLA_ANCHA = 7   # tables of more than 9 columns
COLUMNAS_ANCHA = 9


@dataclass(frozen=True)
class TablaDoc:
    """One table of a section.

    ``tabla``: attribute of :class:`Anexos` (and key of ``columnas.TABLAS``); ``columnas``: the
    subset shown, in order (None: every column, as in the workbook); ``resto``: also append the
    table's columns that no spec names; ``fuentes``: keys of ``DatosEstado.fuentes`` that fed it
    (``ficha``: the capture workbook's ficha); ``solo_nota``: an empty table shows only its note.
    """

    tabla: str
    titulo: str
    si_vacia: str
    fuentes: tuple[str, ...]
    columnas: tuple[str, ...] | None = None
    resto: bool = True
    solo_nota: bool = False


@dataclass(frozen=True)
class SeccionDoc:
    """One section (new page): heading, notes (keys of ``Anexos.notas``) and tables."""

    nombre: str
    titulo: str
    tablas: tuple[TablaDoc, ...]
    notas: tuple[str, ...] = ()


_A4_CIFRAS = ("mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido", "meta", "avance",
              "cumplimiento", "semaforo", "meta_anterior", "avance_anterior", "cumplimiento_anterior",
              "semaforo_anterior", "variacion_cumplimiento")
_A4_TEXTOS = ("nivel", "indicador", "origen_anterior", "medios_verificacion", "justificacion", "nota")
_SEG_ASM = ("evaluacion_origen", "ciclo_origen", "numero", "aspecto", "tipo", "prioridad", "area_responsable",
            "accion")
_SEG_AVANCE = ("ciclo_origen", "numero", "fecha_inicio", "fecha_termino", "avance", "avance_promedio_asm",
               "estatus", "dias_vencido", "documento_probatorio", "observaciones")

#: The sections of ``anexos.docx`` in the order of the EED document. ``{programa}`` is the fund's
#: catalog name ("Programa IMSS-BIENESTAR"), ``{clave}`` its key, as the published titles read.
SECCIONES: tuple[SeccionDoc, ...] = (
    SeccionDoc("Anexo 1", "Anexo 1. Destino de las aportaciones en la entidad", (
        TablaDoc("anexo1", "Anexo 1. Tabla 1. Destino de las aportaciones de la entidad",
                 "Sin registros para este anexo.", ("destino",)),
        TablaDoc("anexo1_arrastre", "Anexo 1. Recursos de ejercicios anteriores ejercidos en el ciclo",
                 "No se registraron recursos de ejercicios anteriores ejercidos en el ciclo.", ("srft",),
                 solo_nota=True),
    ), ("anexo1",)),
    SeccionDoc("Anexo 2", "Anexo 2. Concurrencia de recursos en la entidad", (
        TablaDoc("anexo2", "Anexo 2. Tabla 1. Concurrencia de recursos en la entidad",
                 "Sin registros para este anexo.", ("concurrencia",)),
    ), ("anexo2",)),
    SeccionDoc("Anexo 3", "Anexo 3. Análisis de los ASM no atendidos y su reincidencia", (
        TablaDoc("anexo3", "Anexo 3. Tabla 1. Aspectos Susceptibles de Mejora no atendidos",
                 "No hay ASM de evaluaciones anteriores pendientes de atender.", ("asm",)),
    ), ("asm", "anexo3")),
    SeccionDoc("Anexo 4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión del {programa}", (
        TablaDoc("anexo4", "Anexo 4. Resultados de los indicadores estratégicos y de gestión del {programa}",
                 "Sin registros para este anexo.", ("indicadores",), columnas=_A4_CIFRAS, resto=False),
        TablaDoc("anexo4", "Anexo 4 (continuación). Origen del dato anterior, medios de verificación y "
                 "justificación del avance", "Sin registros para este anexo.", ("indicadores",),
                 columnas=_A4_TEXTOS),
    ), ("anexo4",)),
    SeccionDoc("Anexo 5", "Anexo 5. Conclusiones: Fortalezas, Oportunidades, Debilidades, Amenazas y "
               "Recomendaciones del {programa}", (
                   TablaDoc("anexo5", "Anexo 5. Tabla 1. Conclusiones: Fortalezas, Oportunidades, Debilidades, "
                            "Amenazas y Recomendaciones del {clave}", "Sin registros para este anexo.", ("foda",)),
               ), ("anexo5",)),
    SeccionDoc("Anexo 6", "Anexo 6. Formato para la difusión de los resultados de las evaluaciones (Anexo 1 CONAC)", (
        TablaDoc("anexo6", "Anexo 6. Tabla 1. Formato para la difusión de los resultados de las evaluaciones "
                 "(Anexo 1 CONAC)", "Sin registros para este anexo.", ("ficha", "foda")),
    ), ("anexo6",)),
    SeccionDoc("Anexo 7", "Anexo 7. Formato para el Informe de Aspectos Susceptibles de Mejora derivados de las "
               "evaluaciones a los programas estatales y/o fondos federales", (
                   TablaDoc("anexo7", "Anexo 7. Informe de Aspectos Susceptibles de Mejora (ASM) derivados del "
                            "proceso de evaluación externa", "No hay ASM registrados para la evaluación de este ciclo.",
                            ("asm",)),
               ), ("asm", "anexo7")),
    SeccionDoc("Seguimiento ASM", "Seguimiento de los Aspectos Susceptibles de Mejora", (
        TablaDoc("seguimiento", "Seguimiento de los ASM: aspectos y acciones", "Sin acciones de seguimiento.",
                 ("asm",), columnas=_SEG_ASM, resto=False),
        TablaDoc("seguimiento", "Seguimiento de los ASM: fechas, avance y estatus al corte",
                 "Sin acciones de seguimiento.", ("asm",), columnas=_SEG_AVANCE),
        TablaDoc("conteos_asm", "ASM por tipo y prioridad, según su estatus al corte", "Sin ASM que contar.",
                 ("asm",)),
    ), ("asm", "seguimiento")),
)

TITULO_HALLAZGOS = "Hallazgos de la auditoría de cifras"
#: Columns of the summary by rule that opens the findings (of ``columnas.TABLAS["resumen_hallazgos"]``).
RESUMEN_HALLAZGOS = TablaDoc("resumen_hallazgos", "Resumen por regla", "", (),
                             columnas=("regla", "severidad", "hallazgos", "descripcion"), resto=False)

#: Text of each kind of source, for the line under a table.
NOMBRE_TABLA_FUENTE = {"destino": "destino", "concurrencia": "concurrencia", "indicadores": "indicadores",
                       "asm": "asm", "foda": "foda", "ficha": "ficha"}

#: Findings whose reported and computed values are years: shown as ``2020``, never ``2,020.00``.
REGLAS_CON_ANIOS = ("A1-ETIQUETA-ANIO", "A2-ETIQUETA-ANIO")


# --------------------------------------------------------------------------------------------
# Columns and cell texts
# --------------------------------------------------------------------------------------------


def columnas_tabla(tabla: pd.DataFrame, spec: TablaDoc, ciclo: int) -> list[tuple[str, str, str]]:
    """(column, label, kind) of a table as shown: the workbook's labels and kinds, in its order.

    Columns of the frame that no spec names are appended (label from the name) when
    ``spec.resto``, as the workbook does; ``tipo_fila`` is never shown (it is the row style).
    """
    return del_libro(spec.tabla, tabla, ciclo, spec.columnas, spec.resto or spec.columnas is None)


def texto_celda(valor: object, tipo: str) -> str:
    """A cell's text: the value in the style of its column kind, characters XML forbids marked (texto_xml)."""
    return texto_xml(formatos.por_tipo(valor, tipo).replace("\r\n", "\n").replace("\r", "\n"))


def anchos(columnas: list[tuple[str, str, str]], disponible: int) -> list[int]:
    """Column widths (EMU) that add up to ``disponible``: natural widths scaled to the page.

    A table narrower than the page gives the spare width to its text columns; a wider one is
    scaled down evenly.
    """
    naturales = [Inches(ANCHO_PULGADAS.get(t, 1.0)) for _, _, t in columnas]
    total = sum(naturales)
    if not naturales:
        return []
    elasticos = [i for i, (_, _, t) in enumerate(columnas) if t in ELASTICOS]
    if total < disponible and elasticos:
        extra = disponible - total
        base = sum(naturales[i] for i in elasticos)
        for i in elasticos:
            naturales[i] += extra * naturales[i] / base
    else:
        naturales = [w * disponible / total for w in naturales]
    enteros = [int(w) for w in naturales]
    enteros[-1] += disponible - sum(enteros)  # exact sum despite rounding
    return enteros


def es_ancha(columnas: list[tuple[str, str, str]]) -> bool:
    """True when the columns' natural widths do not fit a portrait page."""
    return sum(Inches(ANCHO_PULGADAS.get(t, 1.0)) for _, _, t in columnas) > TEXTO_VERTICAL


# --------------------------------------------------------------------------------------------
# Source line
# --------------------------------------------------------------------------------------------


def _archivos(datos: DatosEstado, tipo: str) -> list[str]:
    """Names of the provenance files of a kind; the ciclo's own first when names carry a year."""
    nombres = [Path(a["archivo"]).name for a in datos.archivos if a.get("tipo") == tipo]
    propios = [n for n in nombres if str(datos.ciclo) in n]
    return propios or nombres


def _libro(datos: DatosEstado) -> str:
    libros = _archivos(datos, "captura")
    return f"libro de captura {libros[0]}" if libros else "libro de captura"


def linea_fuente(datos: DatosEstado, fuentes: tuple[str, ...]) -> str:
    """«Fuente: …» for a table fed by ``fuentes`` (keys of ``datos.fuentes``, or ``ficha``/``srft``).

    Names the kind of input and its files; for a capture workbook, also what its ficha says the
    figures come from (the ``fuente`` field).
    """
    partes: list[str] = []
    usa_libro = False
    for clave in fuentes:
        if clave == "ficha":
            origen = "captura" if datos.ficha else None
        elif clave == "srft":
            origen = "srft" if not datos.arrastre.empty else None
        else:
            origen = datos.fuentes.get(clave)
        if origen == "captura":
            partes.append(f"{_libro(datos)}, hoja {NOMBRE_TABLA_FUENTE.get(clave, clave)}")
            usa_libro = True
        elif origen == "srft":
            archivos = ", ".join(_archivos(datos, "srft"))
            trimestre = f", trimestre {datos.trimestre_srft}" if datos.trimestre_srft is not None else ""
            partes.append(f"SHCP, datos abiertos del SRFT «Ejercicio del gasto» ({archivos}{trimestre})")
        elif origen == "nacional":
            archivos = ", ".join(_archivos(datos, clave))
            partes.append(f"CSV nacional de {NOMBRE_TABLA_FUENTE.get(clave, clave)} ({archivos})")
    if not partes:
        texto = "Fuente: sin datos de entrada para esta tabla."
    else:
        texto = "Fuente: " + "; ".join(dict.fromkeys(partes)) + "."
    declarada = str(datos.ficha.get("fuente") or "").strip() if datos.ficha else ""
    if usa_libro and declarada:
        texto += f" Según la ficha del libro: {declarada}"
    if datos.demo:
        texto += " DATOS DEMO SINTÉTICOS."
    return texto


# --------------------------------------------------------------------------------------------
# Word primitives
# --------------------------------------------------------------------------------------------


def _sombrear(celda, color: str) -> None:
    tc_pr = celda._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tc_pr.append(shd)


def _marcar_fila(fila, encabezado: bool) -> None:
    """Rows never split across pages; the header row repeats on every page (``w:tblHeader``)."""
    tr_pr = fila._tr.get_or_add_trPr()
    no_partir = OxmlElement("w:cantSplit")
    tr_pr.append(no_partir)
    if encabezado:
        repetir = OxmlElement("w:tblHeader")
        repetir.set(qn("w:val"), "true")
        tr_pr.append(repetir)


def _escribir(celda, texto: str, puntos: int, negrita: bool = False, color: str | None = None,
              derecha: bool = False, centro: bool = False) -> None:
    parrafo = celda.paragraphs[0]
    parrafo.paragraph_format.space_after = Pt(0)
    parrafo.paragraph_format.space_before = Pt(0)
    if derecha:
        parrafo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif centro:
        parrafo.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not texto:
        return
    run = parrafo.add_run(texto_xml(texto))
    run.font.size = Pt(puntos)
    run.bold = negrita or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _parrafo(doc, texto: str, puntos: int = PUNTOS_TEXTO, negrita: bool = False, cursiva: bool = False,
             color: str | None = None, despues: int = 4, con_siguiente: bool = False):
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(despues)
    p.paragraph_format.keep_with_next = con_siguiente or None
    run = p.add_run(texto_xml(texto))
    run.font.size = Pt(puntos)
    run.bold = negrita or None
    run.italic = cursiva or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return p


def _fila_modelo(t, columnas: list[tuple[str, str, str]], anchos_col: list[int], puntos: int, tipo: str):
    """A formatted row of kind ``tipo`` (detail, subtotal or total) with one placeholder run per
    cell, taken out of the table: each data row is a copy of it with its texts."""
    fila = t.add_row()
    _marcar_fila(fila, encabezado=False)
    resaltar = tipo in ("subtotal", "total")
    for j, (celda, (_, _, clase)) in enumerate(zip(fila.cells, columnas)):
        celda.width = Emu(anchos_col[j])
        if resaltar:
            _sombrear(celda, COLORES[tipo])
        _escribir(celda, "x", puntos, negrita=resaltar, derecha=clase in A_LA_DERECHA)
    t._tbl.remove(fila._tr)
    return fila._tr


def escribir_tabla(doc, tabla: pd.DataFrame, columnas: list[tuple[str, str, str]], ancho: int):
    """One Word table: repeated dark header, formatted cells, bold shaded subtotal/total rows.

    The cells of a row kind are formatted once (:func:`_fila_modelo`) and every row of that kind
    is a copy with its own texts: the same XML as formatting each cell, five times faster (a
    report's Word file has some 1,600 cells).
    """
    puntos = PUNTOS_TABLA_ANCHA if len(columnas) > COLUMNAS_ANCHA else PUNTOS_TABLA
    anchos_col = anchos(columnas, ancho)
    t = doc.add_table(rows=1, cols=len(columnas))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for j, w in enumerate(anchos_col):
        t.columns[j].width = Emu(w)
    encabezado = t.rows[0]
    _marcar_fila(encabezado, encabezado=True)
    for j, (celda, (_, etiqueta, _)) in enumerate(zip(encabezado.cells, columnas)):
        celda.width = Emu(anchos_col[j])
        _sombrear(celda, COLORES["encabezado"])
        celda.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _escribir(celda, etiqueta, puntos, negrita=True, color=COLORES["texto_encabezado"], centro=True)
    tipos = tabla["tipo_fila"].tolist() if "tipo_fila" in tabla else ["detalle"] * len(tabla)
    valores = {c: (tabla[c].tolist() if c in tabla else [None] * len(tabla)) for c, _, _ in columnas}
    anios = tabla["regla"].isin(REGLAS_CON_ANIOS).tolist() if "regla" in tabla else [False] * len(tabla)
    modelos: dict[str, object] = {}
    for i, tipo in enumerate(tipos):
        clave = tipo if tipo in ("subtotal", "total") else "detalle"
        if clave not in modelos:
            modelos[clave] = _fila_modelo(t, columnas, anchos_col, puntos, clave)
        tr = copy.deepcopy(modelos[clave])
        t._tbl.append(tr)
        for tc, (c, _, clase) in zip(tr.tc_lst, columnas):
            clase_valor = "entero" if anios[i] and clase == "numero" else clase
            texto = texto_celda(valores[c][i], clase_valor)
            run = tc.p_lst[0].r_lst[0]
            if texto:
                run.text = texto
            else:
                run.getparent().remove(run)
    return t


def _nueva_seccion(doc, primera: bool, horizontal: bool):
    seccion = doc.sections[0] if primera else doc.add_section(WD_SECTION.NEW_PAGE)
    seccion.orientation = WD_ORIENT.LANDSCAPE if horizontal else WD_ORIENT.PORTRAIT
    seccion.page_width, seccion.page_height = (PAGINA_ALTO, PAGINA_ANCHO) if horizontal else (
        PAGINA_ANCHO, PAGINA_ALTO)
    seccion.left_margin = seccion.right_margin = seccion.top_margin = seccion.bottom_margin = MARGEN
    return TEXTO_HORIZONTAL if horizontal else TEXTO_VERTICAL


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


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _formatear(texto: str, datos: DatosEstado) -> str:
    return texto.format(programa=datos.fondo.nombre, clave=datos.fondo.clave, ciclo=datos.ciclo)


def escribir_seccion(doc, seccion: SeccionDoc, anexos: Anexos, datos: DatosEstado, primera: bool) -> None:
    """Heading, notes, then each table with its title and its source line."""
    planes = [(spec, getattr(anexos, spec.tabla)) for spec in seccion.tablas]
    columnas = [columnas_tabla(t, spec, datos.ciclo) for spec, t in planes]
    ancho = _nueva_seccion(doc, primera, horizontal=any(es_ancha(c) for c in columnas))
    _encabezar(doc, _formatear(seccion.titulo, datos), datos, anexos, seccion.notas)
    for (spec, tabla), cols in zip(planes, columnas):
        _parrafo(doc, _formatear(spec.titulo, datos), 10, negrita=True, color=COLORES["titulo"], despues=3,
                 con_siguiente=True)
        if tabla.empty and spec.solo_nota:
            _parrafo(doc, spec.si_vacia, 9, cursiva=True)
            continue
        escribir_tabla(doc, tabla, cols, ancho)
        if tabla.empty:
            _parrafo(doc, spec.si_vacia, 9, cursiva=True, despues=2)
        _parrafo(doc, linea_fuente(datos, spec.fuentes), 8, cursiva=True, despues=10)


def resumen_hallazgos(hallazgos: pd.DataFrame) -> pd.DataFrame:
    """Findings by rule, in the order rules first appear: rule, severity, count, what it checks."""
    from asm_analysis.auditoria import documentar_reglas

    columnas = list(RESUMEN_HALLAZGOS.columnas)
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


def escribir_hallazgos(doc, anexos: Anexos, datos: DatosEstado) -> None:
    """Summary by rule, then one table per annex with that annex's findings and how to fix each
    (the same grouping and order as the ``Hallazgos`` sheet)."""
    h = hallazgos_por_anexo(anexos.hallazgos)
    spec = TablaDoc("hallazgos", "", "", ())
    columnas = columnas_tabla(h, spec, datos.ciclo)
    ancho = _nueva_seccion(doc, False, horizontal=es_ancha(columnas))
    _encabezar(doc, TITULO_HALLAZGOS, datos, anexos, ("hallazgos",))
    fuente = (f"Fuente: recálculo de las cifras de los anexos con asm-analysis a partir de las entradas del "
              f"informe ({', '.join(Path(a['archivo']).name for a in datos.archivos) or 'sin archivos'}).")
    if h.empty:
        _parrafo(doc, "Sin hallazgos: las cifras auditadas son consistentes.", 10, cursiva=True)
        _parrafo(doc, fuente, 8, cursiva=True)
        return
    _parrafo(doc, RESUMEN_HALLAZGOS.titulo, 10, negrita=True, color=COLORES["titulo"], despues=3, con_siguiente=True)
    resumen = resumen_hallazgos(h)
    escribir_tabla(doc, resumen, columnas_tabla(resumen, RESUMEN_HALLAZGOS, datos.ciclo), ancho)
    _parrafo(doc, fuente, 8, cursiva=True, despues=10)
    for anexo, grupo in grupos_hallazgos(h):
        n = len(grupo)
        titulo = f"Hallazgos del {anexo}" if anexo.startswith("Anexo") else f"Hallazgos: {anexo}"
        _parrafo(doc, f"{titulo} ({n} hallazgo{'s' if n != 1 else ''})", 10, negrita=True,
                 color=COLORES["titulo"], despues=3, con_siguiente=True)
        escribir_tabla(doc, grupo, columnas, ancho)
        _parrafo(doc, fuente, 8, cursiva=True, despues=10)


# --------------------------------------------------------------------------------------------
# Document
# --------------------------------------------------------------------------------------------


def documento(anexos: Anexos, datos: DatosEstado):
    """The Word document (not saved): one section per entry of :data:`SECCIONES`, then findings."""
    doc = Document()
    estilo = doc.styles["Normal"]
    estilo.font.name = LETRA
    estilo.font.size = Pt(PUNTOS_TEXTO)
    for i, seccion in enumerate(SECCIONES):
        escribir_seccion(doc, seccion, anexos, datos, primera=i == 0)
    escribir_hallazgos(doc, anexos, datos)
    props = doc.core_properties
    props.author = props.last_modified_by = "asm-analysis"
    props.title = f"Anexos EED {datos.fondo.clave} {datos.ciclo} {datos.estado.nombre}"
    props.created = props.modified = props.last_printed = FECHA_FIJA
    props.revision = 1
    props.comments = "Anexos de la Evaluación Específica del Desempeño generados por asm-analysis."
    return doc


def _fechas_fijas(datos_zip: bytes) -> bytes:
    """Re-pack a docx so its entries carry the fixed date (python-docx stamps the current time)."""
    salida = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(datos_zip)) as origen, \
            _ZipFechaFija(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            destino.writestr(info.filename, origen.read(info.filename))
    return salida.getvalue()


def escribir_docx(anexos: Anexos, datos: DatosEstado, ruta: Path) -> Path:
    """Write ``anexos.docx`` (``ruta`` is the file, or a folder to hold ``anexos.docx``), atomically."""
    ruta = Path(ruta)
    if ruta.is_dir():
        ruta = ruta / "anexos.docx"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    memoria = io.BytesIO()
    documento(anexos, datos).save(memoria)
    escribir_atomico(ruta, _fechas_fijas(memoria.getvalue()))
    return ruta
