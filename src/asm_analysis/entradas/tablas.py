"""The data contract (DESIGN §3b/§3c): columns of each capture table and how to read each cell.

One :class:`Columna` per contract column: its parser, whether it is required in the header,
and, for closed vocabularies, the canonical values. Loaders for the capture workbook and the
national CSVs share these definitions, so a column means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from asm_analysis.entradas import catalogos, lectura
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


def _formato_conac() -> tuple[CampoConac, ...]:
    """The form's fields from ``data/formato_conac.csv`` (its numbering and wording, as published)."""
    return tuple(CampoConac(f.clave, f.seccion, f.etiqueta, f.tipo, tuple(o for o in f.opciones.split("|") if o),
                            f.respaldo or None)
                 for f in catalogos.leer_csv_del_paquete("formato_conac.csv").itertuples())


#: Every field of the CONAC form, in its order (sections 1 to 7). Anexo 6 has one row per entry.
FORMATO_CONAC: tuple[CampoConac, ...] = _formato_conac()

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
