"""The columns of every table an output shows: label, kind of value, web-page form.

One row per column (:class:`Columna`), one list per table (:data:`TABLAS`); the workbook
(:mod:`~asm_analysis.publicacion.salidas`), the Word annexes
(:mod:`~asm_analysis.publicacion.documento`) and the web page
(:mod:`~asm_analysis.publicacion.presentacion`) all read their headers and formats here.

* ``etiqueta`` is the wording of the annexes of the EED terms of reference and the CONAC form,
  as the workbook and the Word tables print it; the web page uses it too, unless the row gives
  a shorter ``corta`` for a narrow column of the page. ``{ciclo}`` and ``{anterior}`` stand for
  the evaluated year and the one before.
* ``tipo`` is the kind of value (``dinero``, ``porcentaje``, ``numero``, ``entero``, ``fecha``,
  ``clave``, ``corto``, ``texto``, ``largo``; for the figures of a finding also ``pesos``, ``puntos``,
  ``anio``, ``dias`` and ``conteo``, per cell, see :func:`tipos_de_hallazgo`): the number format and width in the workbook, the
  text style in Word (:data:`asm_analysis.comun.formatos.POR_TIPO`) and, on the page, the same
  style unless ``vista`` names a page-only one (a coloured chip, ``+3.79 pp``…).
* ``ancho`` is the minimum width of the column on the page (CSS, e.g. ``"13em"``).

The order of a list is the workbook's and the Word tables'; the page picks its columns by name
(:func:`de_pagina`) where it lays them out otherwise. Tables the page alone shows (the
provenance, the national comparison, the index pages) are listed here too, so no output keeps a
header of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: Kinds whose values are figures (aligned right in every output).
A_LA_DERECHA = frozenset({"dinero", "porcentaje", "numero", "entero", "pesos", "puntos", "anio", "dias", "conteo"})


@dataclass(frozen=True)
class Columna:
    """One column: key in the table, official label, kind; page-only short label, view, width."""

    clave: str
    etiqueta: str
    tipo: str = "texto"
    corta: str | None = None
    vista: str | None = None
    ancho: str | None = None

    def rotulo(self, ciclo: int | None = None, pagina: bool = False) -> str:
        """The header: the official label (or, on the page, the short one) with its years filled in."""
        texto = (self.corta or self.etiqueta) if pagina else self.etiqueta
        if ciclo is None:
            return texto.format(ciclo="ciclo evaluado", anterior="año anterior")
        return texto.format(ciclo=ciclo, anterior=ciclo - 1)

    @property
    def formato_pagina(self) -> str:
        """How the page shows the values: ``vista`` if given, else the kind itself."""
        return self.vista or self.tipo


C = Columna

#: The moments of the budget, in the order of the annex (Anexo 1 and the money of earlier years).
_MOMENTOS = (C("aprobado", "Aprobado", "dinero"), C("modificado", "Modificado", "dinero"),
             C("devengado", "Devengado", "dinero"), C("pagado", "Pagado", "dinero"),
             C("disponible", "Disponible", "dinero"))

TABLAS: dict[str, tuple[Columna, ...]] = {
    # ---------------------------------------------------------------- annexes (workbook, Word, page)
    "anexo1": (
        C("capitulo", "Capítulo", "clave"), C("concepto", "Concepto", "clave"),
        C("descripcion", "Descripción", "texto", ancho="13em"), *_MOMENTOS,
        C("pct_devengado_modificado", "% Devengado/Modificado", "porcentaje", corta="Devengado / modificado"),
        C("pct_pagado_devengado", "% Pagado/Devengado", "porcentaje", corta="Pagado / devengado"),
    ),
    "anexo1_arrastre": (
        C("ciclo_recurso", "Ejercicio de origen", "clave"), C("capitulo", "Capítulo", "clave"),
        C("descripcion", "Descripción", "texto"), *_MOMENTOS,
    ),
    "anexo2": (
        C("orden_gobierno", "Orden de gobierno", "corto"),
        C("fuente", "Fuente de financiamiento", "texto", ancho="12em"), C("monto", "Total", "dinero"),
        C("porcentaje", "% respecto del total de la ejecutora", "porcentaje"),
        C("fundamento_legal", "Fundamento legal por el que concurren los recursos", "largo", ancho="14em"),
        C("comentarios", "Comentarios", "texto"),
    ),
    "anexo3": (
        C("numero", "No.", "clave"),
        C("aspecto", "Aspecto Susceptible de Mejora (ASM) no atendido", "largo", ancho="18em"),
        C("area_responsable", "Área responsable", "corto"), C("motivo", "Motivos", "texto", ancho="12em"),
        C("evaluacion_origen", "Evaluación de origen", "corto"),
        C("avance_promedio_asm", "Avance promedio del ASM", "porcentaje"),
        C("estatus", "Estatus al corte", "corto", vista="estatus"),
        C("estatus_reportado", "Estatus reportado", "corto"),
        C("reincidente", "Reincidente", "clave", vista="si_no"),
        C("evaluaciones_reincidencia", "Evaluaciones donde reincide", "texto"),
    ),
    "anexo4": (
        C("mir", "MIR", "clave"), C("nivel", "Nivel de objetivo", "clave"),
        C("indicador", "Nombre del indicador", "largo", ancho="11em"),
        C("frecuencia", "Frecuencia de medición", "clave"), C("unidad_medida", "Unidad de medida", "corto"),
        C("sentido", "Sentido", "clave"), C("meta", "Meta programada {ciclo}", "numero"),
        C("meta_modificada", "Meta modificada {ciclo} (SRFT)", "numero", corta="Meta modificada {ciclo}"),
        C("avance", "Avance en {ciclo}", "numero"),
        C("avance_reportado", "Avance (%) reportado en el SRFT {ciclo}", "porcentaje",
          corta="Avance (%) SRFT {ciclo}"),
        C("cumplimiento", "Avance con respecto a la meta {ciclo}", "porcentaje"),
        C("cumplimiento_programada", "Avance con respecto a la meta programada {ciclo}", "porcentaje",
          corta="Respecto de la meta programada {ciclo}"),
        C("semaforo", "Semáforo {ciclo}", "clave", vista="semaforo"),
        C("meta_anterior", "Meta programada {anterior}", "numero"),
        C("meta_modificada_anterior", "Meta modificada {anterior} (SRFT)", "numero",
          corta="Meta modificada {anterior}"),
        C("avance_anterior", "Avance en {anterior}", "numero"),
        C("cumplimiento_anterior", "Avance con respecto a la meta {anterior}", "porcentaje"),
        C("semaforo_anterior", "Semáforo {anterior}", "clave", vista="semaforo"),
        C("variacion_cumplimiento", "Variación (puntos porcentuales)", "numero", corta="Variación", vista="pp"),
        C("origen_anterior", "Origen del dato {anterior}", "corto"),
        C("medios_verificacion", "Medios de verificación", "texto", ancho="12em"),
        C("justificacion", "Justificación del avance con respecto a la meta", "largo", ancho="20em"),
        C("clave_indicador", "Clave del indicador (SRFT)", "clave"),
        C("trimestre", "Trimestre del SRFT", "entero"),
        C("nota", "Nota", "texto"),
    ),
    "anexo5": (
        C("apartado", "Apartado", "corto", ancho="10em"),
        C("fortalezas_oportunidades", "Fortalezas / Oportunidades", "largo", ancho="16em"),
        C("debilidades_amenazas", "Debilidades / Amenazas", "largo", ancho="16em"),
        C("recomendaciones", "Recomendaciones", "largo", ancho="16em"),
        C("actores", "Actores involucrados", "corto", vista="largo"),
    ),
    "anexo6": (
        C("seccion", "Sección", "corto"), C("campo", "Campo", "texto", ancho="14em"),
        C("valor", "Valor", "largo", ancho="28em"), C("pendiente", "Pendiente", "clave", vista="si_no"),
    ),
    "anexo7": (
        C("numero", "No.", "clave"), C("aspecto", "Aspecto Susceptible de Mejora (ASM)", "largo", ancho="20em"),
        C("pregunta", "Número de pregunta", "clave"), C("inciso", "Inciso", "clave"),
        C("tipo", "Tipo de ASM", "corto"), C("prioridad", "Nivel de prioridad", "clave"),
        C("area_responsable", "Área(s) responsable(s)", "texto"),
    ),
    "seguimiento": (
        C("evaluacion_origen", "Evaluación de origen", "corto"), C("ciclo_origen", "Ejercicio", "entero"),
        C("numero", "No.", "clave"), C("aspecto", "Aspecto Susceptible de Mejora (ASM)", "largo", ancho="10em"),
        C("tipo", "Tipo", "corto"), C("prioridad", "Prioridad", "clave"),
        C("area_responsable", "Área responsable", "corto"), C("accion", "Acción", "texto", ancho="10em"),
        C("fecha_inicio", "Fecha de inicio", "fecha"), C("fecha_termino", "Fecha de término", "fecha"),
        C("avance", "Avance de la acción", "porcentaje"),
        C("avance_promedio_asm", "Avance promedio del ASM", "porcentaje"),
        C("estatus", "Estatus del ASM al corte", "corto", vista="estatus"),
        C("dias_vencido", "Días de vencimiento del ASM", "entero"),
        C("documento_probatorio", "Documento probatorio", "texto"), C("observaciones", "Observaciones", "texto"),
    ),
    "conteos_asm": (
        C("tipo", "Tipo de ASM", "corto"), C("prioridad", "Prioridad", "clave"),
        C("Atendido", "Atendidos", "entero"), C("En proceso", "En proceso", "entero"),
        C("Vencido", "Vencidos", "entero"), C("Sin avance reportado", "Sin avance reportado", "entero"),
        C("total", "Total", "entero"), C("avance_promedio", "Avance promedio", "porcentaje"),
    ),
    "hallazgos": (
        C("severidad", "Severidad", "clave", vista="severidad"), C("anexo", "Anexo", "clave"),
        C("ubicacion", "Ubicación", "texto", ancho="10em"), C("regla", "Regla", "corto"),
        C("valor_reportado", "Valor reportado", "numero"), C("valor_calculado", "Valor calculado", "numero"),
        C("diferencia", "Diferencia", "numero"), C("mensaje", "Mensaje", "largo", ancho="22em"),
        C("como_corregir", "Cómo corregir", "largo"),
    ),
    "resumen_hallazgos": (
        C("regla", "Regla", "corto"), C("severidad", "Severidad", "clave", vista="severidad"),
        C("anexo", "Anexo", "clave"), C("hallazgos", "Hallazgos", "entero"),
        C("descripcion", "Qué revisa la regla", "largo", ancho="24em"),
        C("como_corregir", "Cómo corregir", "largo"),
    ),
    # ---------------------------------------------------------------- official annexes (Word, workbook)
    #: The columns of the published annexes, in their order and wording (``anexos.docx`` and the
    #: annex sheets of ``anexos.xlsx``); the analytic columns above stay in the page, the CSVs and
    #: the workbook's «Análisis» sheet.
    "anexo1_oficial": (
        C("capitulo_gasto", "Capítulos de gasto", "corto"), C("concepto", "Concepto", "texto"), *_MOMENTOS,
    ),
    "anexo2_oficial": (
        C("orden_gobierno", "Orden de Gobierno", "corto"), C("fuente", "Fuente de Financiamiento", "texto"),
        C("monto", "Total", "dinero"),
        C("porcentaje", "% que representa el presupuesto del Fondo y cada Fuente de Financiamiento con respecto "
                        "al total de recursos {ciclo} de la Ejecutora", "porcentaje"),
    ),
    "anexo2_fundamento": (
        C("orden_gobierno", "Orden de Gobierno y Fuente de Financiamiento", "corto"), C("monto", "Total", "dinero"),
        C("fundamento_legal", "Fundamento legal por el que concurren los recursos", "largo"),
        C("comentarios", "Comentarios", "texto"),
    ),
    "anexo3_oficial": (
        C("numero", "No.", "clave"), C("aspecto", "Aspecto Susceptible de Mejora (ASM) no atendido", "largo"),
        C("area_responsable", "Área responsable", "corto"), C("motivo", "Motivos", "texto"),
    ),
    "anexo4_oficial": (
        C("nivel", "Nivel de Objetivo", "clave"), C("indicador", "Nombre del Indicador", "largo"),
        C("frecuencia", "Frecuencia de medición", "clave"), C("unidad_medida", "Unidad de medida", "corto"),
        C("meta", "Meta Programada {ciclo}", "numero"), C("avance", "Avance en {ciclo}", "numero"),
        C("cumplimiento", "Avance con respecto a la meta en {ciclo} (Avance/ Meta)", "porcentaje"),
        C("meta_anterior", "Meta programada para el ejercicio anterior ({anterior})", "numero"),
        C("avance_anterior", "Avance en ejercicio anterior ({anterior})", "numero"),
        C("cumplimiento_anterior", "Avance con respecto a la meta en ejercicio anterior ({anterior}) (Avance/ Meta)",
          "porcentaje"),
        C("medios_verificacion", "Medios de verificación (fuentes de información)", "texto"),
        C("justificacion", "Justificación del avance con respecto a la meta (explicar por qué se cumplieron las "
                           "metas)", "largo"),
    ),
    "anexo7_oficial": (
        C("numero", "No.", "clave"), C("aspecto", "Aspecto Susceptible de Mejora (ASM)", "largo"),
        C("pregunta", "Número de pregunta (ítem)", "clave"), C("inciso", "Inciso", "clave"),
        C("tipo", "Tipo de ASM", "corto"), C("prioridad", "Nivel de Prioridad", "clave"),
        C("area_responsable", "Área(s) responsable(s)", "texto"),
    ),
    #: The header block of Anexo 7 (the ASM report format), field by field.
    "anexo7_encabezado": (
        C("dependencia", "Dependencia"), C("responsable", "Responsable"), C("documento", "Documento de trabajo del Programa"),
        C("periodo", "Periodo"), C("fondo", "Nombre del Programa (fondo evaluado)"), C("fecha", "Fecha"),
    ),
    #: The list of marks under an annex table (publicacion.marcas).
    "marcas": (
        C("numero", "Marca", "entero"), C("ubicacion", "Ubicación", "texto"), C("reportado", "Reportado", "texto"),
        C("recalculado", "Recalculado", "texto"), C("motivo", "Motivo", "texto"),
    ),
    # ---------------------------------------------------------------- page only
    #: Findings of one rule, one line per place (presentacion.agrupar_hallazgos): several values
    #: per cell ("columna: valor" lines) and the message without its place.
    "hallazgos_agrupados": (
        C("ubicacion", "Ubicación", "texto", ancho="11em"), C("columnas", "Columnas", "corto", ancho="7.5em"),
        C("valor_reportado", "Reportado", vista="valores"), C("valor_calculado", "Calculado", vista="valores"),
        C("diferencia", "Diferencia", vista="valores"), C("mensaje", "Qué se encontró", "largo", ancho="20em"),
    ),
    "bandas_semaforo": (
        C("semaforo", "Semáforo", "clave", vista="semaforo"), C("rango", "Cumplimiento", "corto"),
        C("descripcion", "Lectura", "texto"),
    ),
    "archivos": (
        C("archivo", "Archivo", "corto"), C("tipo", "Tipo", "corto"), C("tamano", "Tamaño (bytes)", "entero"),
        C("sha256", "SHA-256", "clave"),
    ),
    "fuentes": (C("tabla", "Tabla", "corto"), C("fuente", "Fuente", "texto")),
    "tolerancias": (C("tolerancia", "Tolerancia", "corto"), C("valor", "Valor", "texto"),
                    C("descripcion", "Qué compara", "texto", ancho="28em"), C("origen", "De dónde sale", "texto")),
    "parametros": (C("parametro", "Parámetro", "corto"), C("valor", "Valor", "texto")),
    "comparativo": (
        C("cve_ent", "Clave", "clave"), C("estado", "Estado", "corto"), C("modificado", "Modificado", "dinero"),
        C("devengado", "Devengado", "dinero"), C("pct_ejercido", "Ejercido", "porcentaje"),
        C("participacion_federal", "Participación federal", "porcentaje"),
        C("ind_verde", "Ind. verde", "entero"), C("ind_amarillo", "Ind. amarillo", "entero"),
        C("ind_rojo", "Ind. rojo", "entero"), C("ind_sobre", "Ind. sobrecumpl.", "entero"),
        C("asm_total", "ASM", "entero"), C("asm_atendidos", "ASM atendidos", "entero"),
        C("asm_vencidos", "ASM vencidos", "entero"), C("hallazgos_error", "Errores", "entero"),
        C("hallazgos_advertencia", "Advertencias", "entero"),
    ),
    "sin_datos": (C("cve_ent", "Clave", "clave"), C("estado", "Estado", "corto"), C("motivo", "Motivo", "texto")),
    #: The index pages of the site (publicacion.sitio): headers, and the labels a phone shows.
    "indice_estados": (
        C("cve_ent", "Clave", "clave"), C("estado", "Estado", "corto"), C("modificado", "Modificado", "dinero"),
        C("devengado", "Devengado", "dinero"), C("pct_ejercido", "% ejercido", "porcentaje"),
        C("semaforo", "Semáforo de indicadores", "corto"), C("asm_vencidos", "ASM vencidos", "entero"),
        C("hallazgos", "Hallazgos", "corto"), C("archivos", "Archivos", "corto"),
    ),
    "indice_fondos": (
        C("fondo", "Fondo", "clave"), C("nombre", "Nombre", "texto"),
        C("informes", "Estados con informe", "entero"), C("fallas", "Estados con error (último lote)", "entero"),
        C("paginas", "Páginas", "corto"),
    ),
    "indice_fallas": (C("cve_ent", "Clave", "clave"), C("estado", "Estado", "corto"), C("motivo", "Motivo", "texto")),
    # where the fund went (SRFT projects by municipality; anexos.geografia)
    "distribucion_geografica": (
        C("cve_municipio", "Clave del municipio", "clave", corta="Clave"), C("municipio", "Municipio", "corto"),
        C("proyectos", "Número de proyectos", "entero", corta="Proyectos"),
        C("modificado", "Modificado", "dinero"), C("devengado", "Devengado", "dinero"), C("pagado", "Pagado", "dinero"),
        C("estatus", "Estatus de los proyectos", "texto", corta="Estatus"),
        C("con_otras_fuentes", "Proyectos con otras fuentes de financiamiento", "entero", corta="Con otras fuentes"),
    ),
}
del C, _MOMENTOS

#: Findings whose figures are not «the reported value of the column the finding names» and «the value the
#: tool computes for it»: the labels their columns take on the page, saying what each figure is (rule →
#: column → label). The SRFT figure is what the SHCP reports, never a computation of the tool.
_CUMPLIMIENTO = {"valor_calculado": "Cumplimiento calculado"}
_ANIOS = {"valor_reportado": "Año mencionado", "valor_calculado": "Ciclo evaluado"}
_AVANCE_ANTERIOR = {"valor_reportado": "Avance promedio en el ciclo anterior"}
ETIQUETAS_POR_REGLA: dict[str, dict[str, str]] = {
    "A1-SRFT": {"valor_reportado": "Anexo 1 (libro de captura)", "valor_calculado": "Reportado (SRFT)"},
    "X-A2-SRFT": {"valor_reportado": "Anexo 2 (libro de captura)", "valor_calculado": "Reportado (SRFT)"},
    "A4-SRFT-LIBRO": {"valor_reportado": "Libro de captura", "valor_calculado": "Reportado (SRFT)"},
    "A1-CAPITULO": {"valor_reportado": "Capítulo de la fila", "valor_calculado": "Capítulo según el COG"},
    "A1-ETIQUETA-ANIO": _ANIOS,
    "A2-ETIQUETA-ANIO": _ANIOS,
    "A1-SRFT-CORTE": {"valor_reportado": "Partidas del último trimestre", "valor_calculado": "Partidas del fondo"},
    "A1-SRFT-ESTATUS": {"valor_reportado": "Modificado no sumado"},
    "A1-EJECUCION": {"valor_calculado": "Devengado / modificado"},
    "A4-JUSTIFICACION": _CUMPLIMIENTO,
    "A4-ROJO": _CUMPLIMIENTO,
    "A4-SOBRECUMPLIMIENTO": _CUMPLIMIENTO,
    "A4-ANTERIOR-COPIA": {"valor_reportado": "Avance del año anterior", "valor_calculado": "Avance del ciclo evaluado"},
    "A4-ANTERIOR-DIFIERE": {"valor_calculado": "Datos del ciclo anterior"},
    "ASM-AVANCE": {"valor_calculado": "Límite del rango"},
    "ASM-FECHAS": {"diferencia": "Término − inicio"},
    "ASM-NO-ATENDIDO": {"valor_reportado": "Avance reportado", "valor_calculado": "Avance de un ASM atendido"},
    "ASM-ESTATUS": {"valor_reportado": "Avance reportado", "valor_calculado": "Avance de una acción atendida"},
    "ASM-VENCIDO": {"valor_reportado": "Avance promedio"},
    "X-A2-A1": {"valor_reportado": "Anexo 2 (libro de captura)", "valor_calculado": "Modificado del Anexo 1"},
    "X-A6-A4": {"valor_reportado": "Citado en la ficha", "valor_calculado": "Calculado en el Anexo 4"},
    "X-A1-ANUAL": {"valor_reportado": "Aprobado del año anterior", "valor_calculado": "Aprobado del ciclo evaluado",
                   "diferencia": "Cambio"},
    "X-ASM-DESAPARECIDO": _AVANCE_ANTERIOR,
    "X-ASM-CERRADO": _AVANCE_ANTERIOR,
}
del _CUMPLIMIENTO, _ANIOS, _AVANCE_ANTERIOR


#: How a reader sees each severity of a finding (``auditoria.SEVERIDADES``), in every output but
#: ``hallazgos.csv``, which keeps the codes: the page's chips, the workbook and the Word tables.
ETIQUETAS_SEVERIDAD = {"error": "Error", "advertencia": "Advertencia", "info": "Informativo"}

#: The unit of a finding's figures (:data:`asm_analysis.auditoria.motor.UNIDADES`, declared by its rule) → the
#: kind every output prints them as: money with its ``$`` (``-$15,412,702.00``), a percentage (``100.00 %``), a
#: difference of percentages (``+4.30 pp``), a year or a COG key without separators (``2020``), days, counts,
#: an indicator's value as Anexo 4 shows it (``16.46``).
TIPO_DE_UNIDAD = {"pesos": "pesos", "porcentaje": "porcentaje", "puntos": "puntos", "anio": "anio",
                  "capitulo": "anio", "dias": "dias", "conteo": "conteo", "valor": "numero"}
#: The figures of a finding, in ``hallazgos.csv`` order.
CIFRAS_HALLAZGO = ("valor_reportado", "valor_calculado", "diferencia")


def tipos_de_hallazgo(regla: object, ubicacion: object) -> dict[str, str]:
    """The kind of each figure of a finding (:data:`CIFRAS_HALLAZGO` → kind), from the unit its rule declares
    for the columns the finding names (:func:`asm_analysis.auditoria.motor.unidades`); ``numero`` for a rule
    that declares none. The page, the workbook and the Word tables all print a finding's figures by it."""
    from asm_analysis.auditoria.motor import unidades

    valores, diferencia = unidades(regla, ubicacion)
    tipo, tipo_dif = TIPO_DE_UNIDAD.get(valores, "numero"), TIPO_DE_UNIDAD.get(diferencia, "numero")
    return {"valor_reportado": tipo, "valor_calculado": tipo, "diferencia": tipo_dif}


def tipos_por_celda(filas: pd.DataFrame) -> dict[tuple[int, str], str]:
    """(row position, column) → kind of every figure of a table of findings (one with ``regla`` and the
    figures; empty for any other table): what overrides the column's kind, cell by cell."""
    if "regla" not in filas.columns or not set(CIFRAS_HALLAZGO) & set(filas.columns):
        return {}
    lugares = filas["ubicacion"] if "ubicacion" in filas.columns else [""] * len(filas)
    return {(i, c): t for i, (regla, lugar) in enumerate(zip(filas["regla"], lugares))
            for c, t in tipos_de_hallazgo(regla, lugar).items()}


def para_regla(cols: list[Columna], regla: object) -> list[Columna]:
    """``cols`` of a findings table with the labels of :data:`ETIQUETAS_POR_REGLA` for ``regla``."""
    propias = ETIQUETAS_POR_REGLA.get(str(regla), {})
    return [Columna(c.clave, propias[c.clave], c.tipo, None, c.vista, c.ancho) if c.clave in propias else c
            for c in cols]


def columnas(tabla: str, claves: tuple[str, ...] | None = None) -> list[Columna]:
    """The columns of ``tabla``: all in order, or those named in ``claves``, in that order."""
    todas = TABLAS[tabla]
    if claves is None:
        return list(todas)
    por_clave = {c.clave: c for c in todas}
    return [por_clave[c] for c in claves]


def de_pagina(tabla: str, claves: tuple[str, ...] | None = None, ciclo: int | None = None) -> list[Columna]:
    """The columns as the web page heads them: short label where there is one, years filled in."""
    return [Columna(c.clave, c.rotulo(ciclo, pagina=True), c.tipo, None, c.vista, c.ancho)
            for c in columnas(tabla, claves)]


def _resto(tabla: pd.DataFrame, nombres: set[str]) -> list[Columna]:
    """Columns of the frame that no row names: label from the name, a number or a text."""
    return [Columna(c, str(c).replace("_", " ").capitalize(),
                    "numero" if pd.api.types.is_numeric_dtype(tabla[c]) else "texto")
            for c in tabla.columns if c not in nombres and c != "tipo_fila"]


def del_libro(clave: str, tabla: pd.DataFrame, ciclo: int, claves: tuple[str, ...] | None = None,
              resto: bool = True) -> list[tuple[str, str, str]]:
    """(column, label, kind) as the workbook and the Word tables show ``tabla`` (the table ``clave``).

    Every row of :data:`TABLAS` ``[clave]`` (or those named in ``claves``, in that order), then,
    with ``resto``, the frame's columns no row names (``tipo_fila`` is the row style, never a
    column). ``claves`` may name such extra columns too.
    """
    spec = list(TABLAS.get(clave, ()))
    extra = _resto(tabla, {c.clave for c in spec})
    if claves is None:
        elegidas = [*spec, *extra] if resto else spec
    else:
        por_clave = {c.clave: c for c in [*spec, *extra]}
        elegidas = [por_clave[c] for c in claves if c in por_clave]
        if resto:
            elegidas += [c for c in extra if c.clave not in claves]
    return [(c.clave, c.rotulo(ciclo), c.tipo) for c in elegidas]
