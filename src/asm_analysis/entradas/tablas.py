"""The data contract (DESIGN §3b/§3c): columns of each capture table and how to read each cell.

One :class:`Columna` per contract column: its parser, whether it is required in the header,
and, for closed vocabularies, the canonical values. Loaders for the capture workbook and the
national CSVs share these definitions, so a column means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from asm_analysis.entradas import lectura
from asm_analysis.comun.texto import normalizar

Parser = Callable[[object], object]


def _vocabulario(mapa: dict[str, str], nombre: str) -> Parser:
    """Parser for a closed list: accepts any case/accents and known synonyms."""

    def parse(valor: object) -> str | None:
        texto = lectura.parse_texto(valor)
        if texto is None:
            return None
        clave = normalizar(texto)
        for prefijo in ("documento ", "doc "):  # «DOCUMENTO ESPECÍFICO» in ASM reports
            if clave.startswith(prefijo):
                clave = clave[len(prefijo):]
        if clave in mapa:
            return mapa[clave]
        for patron, canonico in mapa.items():  # «Específico ISSEA», «ALTA prioridad»
            if clave.startswith(patron + " "):
                return canonico
        opciones = ", ".join(sorted(set(mapa.values())))
        raise lectura.ValorInvalido(f"«{texto}» no es un valor válido de {nombre} ({opciones})")

    return parse


MIR = {"federal": "Federal", "estatal": "Estatal", "mir federal": "Federal", "mir estatal": "Estatal"}
NIVELES = {
    "fin": "Fin", "proposito": "Propósito", "componente": "Componente", "componentes": "Componente",
    "actividad": "Actividad", "actividades": "Actividad",
}
SENTIDOS = {"ascendente": "Ascendente", "asc": "Ascendente", "descendente": "Descendente", "desc": "Descendente"}
TIPOS_ASM = {
    "especifico": "Específico", "especificos": "Específico",
    "institucional": "Institucional", "institucionales": "Institucional",
    "interinstitucional": "Interinstitucional",
    "interinstitucional e intergubernamental": "Interinstitucional",
    "intergubernamental": "Intergubernamental",
}
PRIORIDADES = {"alta": "Alta", "media": "Media", "baja": "Baja", "alto": "Alta", "medio": "Media", "bajo": "Baja"}
ORDENES = {
    "federal": "Federal", "estatal": "Estatal", "ingresos propios": "Ingresos propios",
    "ingreso propio": "Ingresos propios", "propios": "Ingresos propios",
    "otros": "Otros", "otros recursos": "Otros", "otros recursos especificar cuales": "Otros",
    "total": "TOTAL",
}

#: Canonical order of the orders of government in Anexo 2, with their subtotal letters.
ORDEN_LETRAS = {"Federal": "a", "Estatal": "b", "Ingresos propios": "c", "Otros": "d"}


@dataclass(frozen=True)
class Columna:
    nombre: str
    parser: Parser = lectura.parse_texto
    requerida: bool = True
    tipo: str = "texto"  # texto | numero | porcentaje | fecha | entero | clave
    valores: tuple[str, ...] = field(default=())
    minimo: float | None = None  # smallest value allowed (0: no negatives); below it the row is rejected


def _col(nombre: str, tipo: str = "texto", requerida: bool = True, vocab: dict[str, str] | None = None,
         minimo: float | None = None) -> Columna:
    parsers: dict[str, Parser] = {
        "texto": lectura.parse_texto,
        "numero": lectura.parse_numero,
        "porcentaje": lectura.parse_porcentaje,
        "fecha": lectura.parse_fecha,
        "entero": lectura.parse_entero,
        "clave": lectura.parse_clave,
    }
    parser = _vocabulario(vocab, nombre) if vocab else parsers[tipo]
    valores = tuple(sorted(set(vocab.values()))) if vocab else ()
    return Columna(nombre, parser, requerida, tipo, valores, minimo)


MOMENTOS_DESTINO = ("aprobado", "modificado", "devengado", "pagado", "disponible")

HOJAS: dict[str, tuple[Columna, ...]] = {
    "ficha": (_col("campo"), _col("valor")),
    "destino": (
        _col("capitulo", "clave"), _col("concepto", "clave"), _col("descripcion"),
        *(_col(m, "numero") for m in MOMENTOS_DESTINO),
    ),
    "concurrencia": (
        _col("orden_gobierno", vocab=ORDENES), _col("fuente"), _col("monto", "numero", minimo=0),
        _col("porcentaje", "porcentaje", minimo=0), _col("fundamento_legal"), _col("comentarios"),
    ),
    "indicadores": (
        _col("mir", vocab=MIR), _col("nivel", vocab=NIVELES), _col("indicador"), _col("frecuencia"),
        _col("unidad_medida"), _col("sentido", vocab=SENTIDOS), _col("meta", "numero"),
        _col("avance", "numero"), _col("avance_meta_reportado", "porcentaje"),
        _col("meta_anterior", "numero"), _col("avance_anterior", "numero"),
        _col("avance_meta_anterior_reportado", "porcentaje"), _col("medios_verificacion"),
        _col("justificacion"),
        # optional per-indicator semáforo thresholds (percent); default bands otherwise
        _col("umbral_verde", "numero", requerida=False), _col("umbral_amarillo", "numero", requerida=False),
        _col("umbral_sobrecumplimiento", "numero", requerida=False),
    ),
    "asm": (
        _col("numero", "clave"), _col("aspecto"), _col("tipo", vocab=TIPOS_ASM),
        _col("prioridad", vocab=PRIORIDADES), _col("area_responsable"), _col("accion"),
        _col("fecha_inicio", "fecha"), _col("fecha_termino", "fecha"), _col("avance", "porcentaje"),
        _col("documento_probatorio"), _col("observaciones"), _col("evaluacion_origen"),
        _col("estatus_reportado"), _col("pregunta", requerida=False), _col("inciso", requerida=False),
    ),
    "foda": (
        _col("apartado"), _col("fortalezas_oportunidades"), _col("debilidades_amenazas"),
        _col("recomendaciones"), _col("actores"),
    ),
}

#: Columns that identify a row in the national CSVs (DESIGN §3c).
COLUMNAS_NACIONALES = (_col("ciclo", "entero"), _col("cve_ent", "clave"), _col("fondo"))

#: Required ``ficha`` fields.
CAMPOS_FICHA = ("estado", "ciclo", "fondo", "ejecutora", "instancia_evaluadora", "fecha_corte", "fuente")


@dataclass(frozen=True)
class CampoConac:
    """One field of the CONAC *Formato para la difusión de los resultados de las evaluaciones*.

    ``clave`` is the ``ficha`` row that holds it; ``etiqueta`` the field as the form numbers and
    names it; ``tipo`` how Anexo 6 shows the value (``fecha`` as dd/mm/aaaa, ``dinero`` as
    ``$ 163,560.00``, ``opcion`` one of ``opciones``, ``texto`` as typed). ``respaldo``: a derived
    value used when the ficha leaves the field blank (``recomendaciones`` of the ``foda`` sheet).
    """

    clave: str
    seccion: str
    etiqueta: str
    tipo: str = "texto"
    opciones: tuple[str, ...] = ()
    respaldo: str | None = None


_S1 = "1. Descripción de la evaluación"
_S2 = "2. Principales hallazgos de la evaluación"
_S3 = "3. Conclusiones y recomendaciones de la evaluación"
_S4 = "4. Datos de la instancia evaluadora"
_S5 = "5. Identificación del (los) programa(s)"
_S6 = "6. Datos de contratación de la evaluación"
_S7 = "7. Difusión de la evaluación"

#: Every field of the CONAC form, in its order (sections 1 to 7). Anexo 6 has one row per entry.
FORMATO_CONAC: tuple[CampoConac, ...] = (
    CampoConac("nombre_evaluacion", _S1, "1.1 Nombre de la evaluación"),
    CampoConac("fecha_inicio", _S1, "1.2 Fecha de inicio de la evaluación (dd/mm/aaaa)", "fecha"),
    CampoConac("fecha_termino", _S1, "1.3 Fecha de término de la evaluación (dd/mm/aaaa)", "fecha"),
    CampoConac("responsable_seguimiento", _S1,
               "1.4 Nombre de la persona responsable de darle seguimiento a la evaluación"),
    CampoConac("unidad_responsable", _S1, "1.4 Unidad administrativa a la que pertenece"),
    CampoConac("objetivo", _S1, "1.5 Objetivo general de la evaluación"),
    CampoConac("objetivos_especificos", _S1, "1.6 Objetivos específicos de la evaluación"),
    CampoConac("metodologia", _S1, "1.7 Metodología utilizada en la evaluación"),
    CampoConac("instrumentos", _S1, "1.7 Instrumentos de recolección de información (cuestionarios, "
                                    "entrevistas, formatos, otros: especifique)"),
    CampoConac("tecnicas", _S1, "1.7 Descripción de las técnicas y modelos utilizados"),
    CampoConac("principales_hallazgos", _S2, "2.1 Hallazgos más relevantes de la evaluación"),
    CampoConac("fortalezas", _S2, "2.2.1 Fortalezas"),
    CampoConac("oportunidades", _S2, "2.2.2 Oportunidades"),
    CampoConac("debilidades", _S2, "2.2.3 Debilidades"),
    CampoConac("amenazas", _S2, "2.2.4 Amenazas"),
    CampoConac("conclusiones", _S3, "3.1 Conclusiones de la evaluación"),
    CampoConac("recomendaciones", _S3, "3.2 Recomendaciones de acuerdo con su relevancia",
               respaldo="foda.recomendaciones"),
    CampoConac("coordinador", _S4, "4.1 Nombre del coordinador de la evaluación"),
    CampoConac("cargo_coordinador", _S4, "4.2 Cargo"),
    CampoConac("instancia_evaluadora", _S4, "4.3 Institución a la que pertenece"),
    CampoConac("colaboradores", _S4, "4.4 Principales colaboradores"),
    CampoConac("correo_coordinador", _S4, "4.5 Correo electrónico del coordinador de la evaluación"),
    CampoConac("telefono_coordinador", _S4, "4.6 Teléfono (con clave lada)"),
    CampoConac("programa", _S5, "5.1 Nombre del (los) programa(s) evaluado(s)"),
    CampoConac("siglas", _S5, "5.2 Siglas"),
    CampoConac("ente_coordinador", _S5, "5.3 Ente público coordinador del (los) programa(s)"),
    CampoConac("poder_publico", _S5, "5.4 Poder público al que pertenece(n) el(los) programa(s)", "opcion",
               ("Poder Ejecutivo", "Poder Legislativo", "Poder Judicial", "Ente Autónomo")),
    CampoConac("ambito_gubernamental", _S5, "5.5 Ámbito gubernamental al que pertenece(n) el(los) programa(s)",
               "opcion", ("Federal", "Estatal", "Local")),
    CampoConac("unidad_programa", _S5,
               "5.6.1 Nombre(s) de la(s) unidad(es) administrativa(s) a cargo de (los) programa(s)"),
    CampoConac("titular_programa", _S5,
               "5.6.2 Nombre(s) de (los) titular(es) de la(s) unidad(es) administrativa(s) a cargo de (los) "
               "programa(s) (nombre completo, correo electrónico y teléfono con clave lada)"),
    CampoConac("tipo_contratacion", _S6, "6.1 Tipo de contratación", "opcion",
               ("Adjudicación Directa", "Invitación a tres", "Licitación Pública Nacional",
                "Licitación Pública Internacional", "Otro")),
    CampoConac("unidad_contratante", _S6, "6.2 Unidad administrativa responsable de contratar la evaluación"),
    CampoConac("costo", _S6, "6.3 Costo total de la evaluación", "dinero"),
    CampoConac("fuente_financiamiento", _S6, "6.4 Fuente de financiamiento"),
    CampoConac("difusion_evaluacion", _S7, "7.1 Difusión en internet de la evaluación"),
    CampoConac("difusion_formato", _S7, "7.2 Difusión en internet del formato"),
)

#: Optional ``ficha`` fields that are not a form field of their own: ``indicadores_citados``
#: («nombre: 95.7 %; …») lists the indicator results the findings cite; the audit checks them
#: against Anexo 4 and Anexo 6 shows them under 2.1 when captured.
CAMPOS_CONAC_EXTRA = ("indicadores_citados",)

#: Optional ``ficha`` rows for the CONAC form (Anexo 6), in the form's order; the template writes
#: one row for each (fields already in :data:`CAMPOS_FICHA`, such as instancia_evaluadora, once).
CAMPOS_CONAC: tuple[str, ...] = tuple(dict.fromkeys(
    c.clave for c in FORMATO_CONAC if c.clave not in CAMPOS_FICHA)) + CAMPOS_CONAC_EXTRA

#: Which sheets carry the annex of the same name, for messages.
ANEXO_DE_HOJA = {"destino": "Anexo 1", "concurrencia": "Anexo 2", "indicadores": "Anexo 4",
                 "asm": "Anexos 3 y 7", "foda": "Anexo 5", "ficha": "Anexo 6"}
