"""SHCP «Ejercicio del gasto» of federal resources transferred to states (SRFT), in its two shapes.

Two dialects are read into the same tidy table (:data:`ESQUEMA`):

- ``nacional``: the SHCP open-data CSV (Transparencia Presupuestaria), latin-1, one file per
  year, up to ~180 MB (``MONTO_APROBADO``…, ``MODALIDAD_PP`` = ``I002``);
- ``sistema``: the per-entity export of the SRFT system that an executing agency downloads and
  hands to the evaluator (quoted, UTF-8 or latin-1/Windows-1252; ``APROBADO``…, ``MINISTRADO`` = recaudado,
  the programme key split in ``ID_MODALIDAD`` + ``ID_PP``: ``I`` + ``2`` = ``I002``).

Files are read in blocks (bounded memory). Quirks handled (DESIGN §3a): amounts are cumulative
per quarter and ``MONTO_APROBADO`` repeats every quarter, so a partida is read from the last
quarter that reports it (5, the informe definitivo, when present) and quarters are never
summed; ``ID_MUNICIPIO = 0`` is state-level spending; ``CICLO_RECURSO < CICLO`` is money
carried over from earlier years; rows of level «1-Programa presupuestario» are structure, not
spending detail (counted apart, audited against their partidas when they carry amounts);
exact duplicate rows are loaded once.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import secrets
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, TypeVar

import numpy as np
import pandas as pd
from pandas._libs import hashing, hashtable  # SipHash and khash tables in C, run without the GIL
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from asm_analysis.entradas import catalogos, lectura
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar, sin_acentos
from asm_analysis.comun.vacios import MARCAS_SIN_DATO

COLUMNAS_SHCP = [
    "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MUNICIPIO",
    "ID_TIPO_DE_REGISTRO", "TIPO_DE_REGISTRO", "CICLO_RECURSO", "ID_TIPO_RECURSO", "TIPO_RECURSO",
    "ID_RAMO", "DESC_RAMO", "MODALIDAD_PP", "DESC_PP", "PROG_FONDO_CONVENIO_ESPECIFICO",
    "INSTITUCION_EJECUTORA", "ID_TIPO_GASTO", "DESC_TIPO_GASTO", "ID_PARTIDA_GENERICA",
    "DESC_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO",
    "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "OBSERVACIONES_CAPTURISTA",
]
#: Header of the per-entity export of the SRFT system (as published, e.g. by the Municipio de Zacatepec).
COLUMNAS_SISTEMA = [
    "TIPO_REGISTRO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO",
    "MUNICIPIO", "CICLO_RECURSO", "ID_RAMO", "RAMO", "ID_MODALIDAD", "DESC_MODALIDAD", "ID_PP",
    "PROGRAMA_PRESUPUESTARIO", "TIPO_RECURSO", "PROG_FND_CONV_ESP", "INSTITUCION_EJECUTORA", "RENDIMIENTO",
    "REINTEGRO", "TIPO_GASTO", "ID_PARTIDA_GENERICA", "DESC_PARTIDA_GENERICA", "APROBADO", "MODIFICADO",
    "MINISTRADO", "COMPROMETIDO", "DEVENGADO", "EJERCIDO", "PAGADO", "OBSERVACIONES(CAPTURA)", "OBSERVACIONES",
    "USUARIO", "FECHA", "ESTATUS",
]
VARIANTES_ENCABEZADO = {"PROGRAMA_FONDO_CONVENIO_ESPECIFICO": "PROG_FONDO_CONVENIO_ESPECIFICO"}
REQUERIDAS = ["CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "CICLO_RECURSO", "ID_RAMO",
              "MODALIDAD_PP", "ID_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO",
              "MONTO_DEVENGADO", "MONTO_PAGADO"]

MOMENTOS = ["aprobado", "modificado", "recaudado", "comprometido", "devengado", "ejercido", "pagado"]
#: Moments Anexo 1 shows: blank in a partida row means the figure is unknown, so the row is rejected.
MOMENTOS_ANEXO1 = ["aprobado", "modificado", "devengado", "pagado"]
ENTEROS = {"CICLO": "ciclo", "TRIMESTRE": "trimestre", "ID_MUNICIPIO": "id_municipio",
           "CICLO_RECURSO": "ciclo_recurso", "ID_RAMO": "ramo"}
TEXTOS = {"MUNICIPIO": "municipio", "MODALIDAD_PP": "modalidad_pp",
          "PROG_FONDO_CONVENIO_ESPECIFICO": "programa", "INSTITUCION_EJECUTORA": "ejecutora",
          "DESC_PARTIDA_GENERICA": "desc_partida"}
DUPLICADA = "(fila duplicada)"
#: ``columna`` of a rejects row listing a row left out of Anexo 1 for its ``ESTATUS`` (see :func:`estatus_srft`).
NO_VALIDADA = "(estatus no validado)"
#: Rejects rows with these ``columna`` values are listed for the record but are not rejections:
#: they never count as rejected nor block a report.
NO_BLOQUEAN = (DUPLICADA, NO_VALIDADA)
FILA_COMPLETA = "(fila completa)"
#: Quarters of an SRFT year: 1 to 4 and 5, the informe definitivo.
TRIMESTRES = range(1, 6)

ESQUEMA = pa.schema([
    ("fila", pa.int64()), ("ciclo", pa.int64()), ("trimestre", pa.int64()), ("cve_ent", pa.string()),
    ("id_municipio", pa.int64()), ("municipio", pa.string()), ("ciclo_recurso", pa.int64()),
    ("ramo", pa.int64()), ("modalidad_pp", pa.string()), ("programa", pa.string()),
    ("ejecutora", pa.string()), ("partida", pa.string()), ("desc_partida", pa.string()),
    ("concepto", pa.string()), ("capitulo", pa.string()),
    *((m, pa.float64()) for m in MOMENTOS),
    ("ambito", pa.string()),
])
#: The store partitions SRFT rows by ciclo, state and ámbito (estatal: ID_MUNICIPIO = 0; municipal):
#: a report reads only its state's state-level rows, whatever the size of the national file.
PARTICION = pa.schema([("ciclo", pa.int64()), ("cve_ent", pa.string()), ("ambito", pa.string())])
#: Store table of the programme-level rows that carry amounts (same schema; partida columns blank).
TABLA_PROGRAMA = "srft_programa"
#: Store table of the rows left out for their ``ESTATUS`` (:func:`estatus_srft`), with that status.
TABLA_NO_VALIDADAS = "srft_no_validadas"
ESQUEMA_NO_VALIDADAS = ESQUEMA.append(pa.field("estatus", pa.string()))

#: What identifies a partida across quarters: every identifying column except the quarter and amounts.
#: Text columns are compared as the rest of the tool compares names (:data:`CLAVE_TEXTO`).
CLAVE_PARTIDA = ["cve_ent", "ciclo", "id_municipio", "ciclo_recurso", "ramo", "modalidad_pp", "programa",
                 "ejecutora", "partida"]
#: Key columns holding names typed by people: compared with :func:`~asm_analysis.comun.texto.normalizar`
#: (case, accents, punctuation and spaces do not count), so «SERVICIOS DE SALUD» in one quarter and
#: «Servicios de Salud» in the next are one partida, never two.
CLAVE_TEXTO = ("municipio", "programa", "ejecutora")
#: What ties a programme-level row to its partidas.
CLAVE_PROGRAMA = ["ciclo", "trimestre", "cve_ent", "id_municipio", "ciclo_recurso", "ramo", "modalidad_pp",
                  "ejecutora"]

#: Rows converted together: blocks of a fixed size keep peak memory flat however large the file (8 MB
#: blocks were about 2 % faster side by side, but raised the peak of a national file from about 480 to
#: 570 MB, past the 1.2x growth allowed against a file 3x smaller).
BLOQUE_BYTES = 4 << 20
#: Arrow's read block: Arrow reads several blocks ahead, so smaller blocks hold less memory (a 1.5 M-row
#: file: 180 MB against 350 MB with 4 MB blocks, measured) and read faster; they are put together
#: in blocks of :data:`BLOQUE_BYTES` to be converted.
BLOQUE_LECTURA = 1 << 20
FILAS_POR_LOTE = 50_000  # rows per conversion on the exact (csv module) path
#: A row this long (its cells joined) may be a line the whole-file pass refuses (quotes and
#: doubled quotes make a line up to about twice its cells): the pass is run (:class:`lectura.RevisionDiferida`).
LARGO_SOSPECHOSO = lectura.LIMITE_LINEA // 3


# --------------------------------------------------------------------------- dialects


@dataclass(frozen=True)
class Dialecto:
    """One shape of the SRFT file: its required columns and where each contract column comes from.

    The contract names are the national open-data ones (``MONTO_DEVENGADO``); ``origen`` maps
    each to the column of this dialect, so messages name the column the user sees.
    """

    clave: str
    nombre: str
    requeridas: tuple[str, ...]
    origen: dict[str, str]

    def columna(self, contrato: str) -> str:
        return self.origen.get(contrato, contrato)


NACIONAL = Dialecto("nacional", "datos abiertos de la SHCP", tuple(REQUERIDAS), {c: c for c in COLUMNAS_SHCP})
SISTEMA = Dialecto(
    "sistema", "exportación del sistema SRFT",
    ("CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "CICLO_RECURSO", "ID_RAMO", "ID_MODALIDAD",
     "ID_PP", "ID_PARTIDA_GENERICA", "APROBADO", "MODIFICADO", "DEVENGADO", "PAGADO"),
    {"TIPO_DE_REGISTRO": "TIPO_REGISTRO", "CICLO": "CICLO", "TRIMESTRE": "TRIMESTRE",
     "ID_ENTIDAD_FEDERATIVA": "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA": "ENTIDAD_FEDERATIVA",
     "ID_MUNICIPIO": "ID_MUNICIPIO", "MUNICIPIO": "MUNICIPIO", "CICLO_RECURSO": "CICLO_RECURSO",
     "ID_RAMO": "ID_RAMO", "DESC_RAMO": "RAMO", "MODALIDAD_PP": "ID_MODALIDAD + ID_PP",
     "DESC_PP": "PROGRAMA_PRESUPUESTARIO", "TIPO_RECURSO": "TIPO_RECURSO",
     "PROG_FONDO_CONVENIO_ESPECIFICO": "PROG_FND_CONV_ESP", "INSTITUCION_EJECUTORA": "INSTITUCION_EJECUTORA",
     "DESC_TIPO_GASTO": "TIPO_GASTO", "ID_PARTIDA_GENERICA": "ID_PARTIDA_GENERICA",
     "DESC_PARTIDA_GENERICA": "DESC_PARTIDA_GENERICA", "MONTO_APROBADO": "APROBADO",
     "MONTO_MODIFICADO": "MODIFICADO", "MONTO_RECAUDADO": "MINISTRADO", "MONTO_COMPROMETIDO": "COMPROMETIDO",
     "MONTO_DEVENGADO": "DEVENGADO", "MONTO_EJERCIDO": "EJERCIDO", "MONTO_PAGADO": "PAGADO",
     "ESTATUS": "ESTATUS"},
)
#: The SRFT's Excel export with readable headers («Entidad | Municipio | Tipo de Registro | …»), as the
#: workbook or saved as CSV: read by :mod:`asm_analysis.entradas.srft_legible` (which names its columns).
LEGIBLE = Dialecto(
    "legible", "exportación en Excel del SRFT (encabezados legibles)",
    ("ENTIDAD", "MUNICIPIO", "TIPO_DE_REGISTRO", "CICLO_DE_RECURSO", "CLAVE_RAMO", "CLAVE_PROGRAMA",
     "DEPENDENCIA_EJECUTORA", "PARTIDA", "APROBADO", "MODIFICADO", "DEVENGADO", "PAGADO"), {})
DIALECTOS = (NACIONAL, SISTEMA, LEGIBLE)


@dataclass(frozen=True)
class Encabezado:
    """What the first line of an SRFT file says: column names (normalised), encoding, separator, dialect."""

    nombres: list[str]
    codificacion: str
    separador: str
    dialecto: Dialecto
    #: For a large file read with its whole-file checks deferred (:func:`leer_encabezado` with
    #: ``diferir``): what watches for them; ``codificacion`` is then that of the file's first bytes.
    revision: lectura.RevisionDiferida | None = None


def normalizar_columna_shcp(nombre: str) -> str:
    """``"ciclo "``/``"Ciclo"``/``"PROGRAMA_FONDO_CONVENIO_ESPECÍFICO"`` → contract name."""
    clave = sin_acentos(str(nombre)).strip().upper().replace(" ", "_").lstrip("\ufeff")
    return VARIANTES_ENCABEZADO.get(clave, clave)


def elegir_dialecto(nombres: list[str]) -> tuple[Dialecto, list[str]]:
    """The dialect whose required columns the header has, else the closest one and what it lacks."""
    faltas = [(d, [c for c in d.requeridas if c not in nombres]) for d in DIALECTOS]
    completos = [d for d, f in faltas if not f]
    if completos:
        return completos[0], []
    return min(faltas, key=lambda par: len(par[1]))


_letra = lectura.letra_columna


def leer_encabezado(ruta: Path, diferir: bool = False) -> Encabezado:
    """Read and check the header (and the first data rows) before anything is loaded.

    Refused at once, with file, row and column: a file that is not an SRFT (naming what the
    closest dialect lacks), a header cell without a name (a trailing comma) and a repeated
    column. A header whose cell count differs from that of every one of the first data rows
    (a 1.5 M-row file would otherwise be rejected row by row) is refused for every CSV by
    :func:`lectura.comprobar_texto`. With ``diferir`` (a loader that reads the file with
    :func:`leer_lotes`), a large file's whole-file byte checks run only if the load needs
    them (:class:`lectura.RevisionDiferida`).
    """
    ruta = Path(ruta)
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    if ruta.stat().st_size == 0:
        raise ErrorEntrada("el archivo está vacío", archivo=ruta.name)
    revision = None
    codificacion = lectura.comprobar_texto_diferido(ruta) if diferir else lectura.comprobar_texto(ruta)
    if isinstance(codificacion, lectura.RevisionDiferida):  # read as its first bytes are, until the pass says
        revision, codificacion = codificacion, codificacion.provisional
    # the header line is read; with the checks deferred, what follows it may not decode (it is not read)
    with open(ruta, encoding=codificacion, errors="strict" if revision is None else "replace", newline="") as f:
        primera = f.readline()
        separador = lectura.detectar_separador(primera)
        crudos = next(csv.reader([primera], delimiter=separador), [])
    nombres = [normalizar_columna_shcp(c) for c in crudos]
    dialecto, faltan = elegir_dialecto(nombres)
    if faltan and ("DETALLE_PROYECTO" in nombres or {"FOLIO", "FUENTES_FINANCIAMIENTO"} <= set(nombres)):
        raise ErrorEntrada("es la exportación de proyectos (destino del gasto) del SRFT, no la del ejercicio del "
                           "gasto: póngala en la carpeta raw/proyectos", archivo=ruta.name, fila=1)
    sin_nombre = [i for i, c in enumerate(nombres) if not c]
    if sin_nombre and len(nombres) > 1:
        i = sin_nombre[0]
        pista = " (probablemente un separador de más al final de la línea)" if i == len(nombres) - 1 else ""
        raise ErrorEntrada(f"la columna {_letra(i)} (n.º {i + 1}) del encabezado no tiene nombre{pista}; "
                           "quite esa columna o póngale su nombre", archivo=ruta.name, fila=1, columna=_letra(i))
    if faltan:
        raise ErrorEntrada(f"no tiene el formato del SRFT de SHCP ({dialecto.nombre}): faltan las columnas "
                           f"{', '.join(faltan)}", archivo=ruta.name, fila=1, columna=faltan[0])
    if len(set(nombres)) != len(nombres):
        repetidas = sorted({c for c in nombres if nombres.count(c) > 1})
        raise ErrorEntrada(f"el encabezado repite las columnas {', '.join(repetidas)}", archivo=ruta.name, fila=1)
    return Encabezado(nombres, codificacion, separador, dialecto, revision)


# --------------------------------------------------------------------------- numbers


def _numeros(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Slow path of money parsing (``$``, commas, apostrophes, parentheses, ``N/A``).

    Returns (values, mask of present-but-unreadable cells). Used only for the columns of a
    block that the fast Arrow cast could not read.
    """
    texto = serie.fillna("").astype(str).str.strip()
    faltante = texto.str.lower().isin(MARCAS_SIN_DATO)
    negativo = texto.str.match(lectura.NEGATIVO_PARENTESIS_RE.pattern)
    sin_par = texto.str.contains(r"[()]", regex=True) & ~negativo  # «(1,234.56»: not a negative, not a number
    limpio = texto.str.replace(r"[\$,'\s\u00a0()]", "", regex=True)
    valores = pd.to_numeric(limpio.where(~faltante), errors="coerce")
    valores = valores.where(~negativo, -valores)
    # «1234,56» or «1.234,56» would read 100 times larger: commas only between groups of three
    agrupado = (texto.str.replace(r"[\$()]", "", regex=True).str.strip()
                .str.replace(r"^([+-])\s+", r"\1", regex=True).str.replace(r"[\s\u00a0']+", ",", regex=True))
    mal_agrupado = agrupado.str.contains(",", regex=False) & ~agrupado.str.match(lectura.MILES_RE.pattern)
    malos = (~faltante) & (valores.isna() | (valores.abs() > lectura.MONTO_MAXIMO) | mal_agrupado | sin_par)
    return valores.where(~malos), malos


def _columna_numerica(col: pa.Array, entero: bool) -> tuple[pa.Array, np.ndarray]:
    """Cast a text column to numbers: Arrow's cast when the whole column is plain numbers,
    the tolerant parser otherwise. Returns (float64 values, bool mask of bad cells)."""
    try:
        valores = pc.cast(col, pa.float64())
        extremos = pc.min_max(valores)
        minimo, maximo = extremos["min"].as_py(), extremos["max"].as_py()
        if minimo is None or (-lectura.MONTO_MAXIMO <= minimo and maximo <= lectura.MONTO_MAXIMO):
            malos = np.zeros(len(col), dtype=bool)  # every amount within the limit (told in one pass)
        else:
            malos = pc.fill_null(pc.greater(pc.abs(valores), lectura.MONTO_MAXIMO), False)
            malos = malos.to_numpy(zero_copy_only=False)
        if entero:
            malos = malos | pc.fill_null(pc.is_null(valores), True).to_numpy(zero_copy_only=False) \
                | pc.fill_null(pc.not_equal(valores, pc.round(valores)), False).to_numpy(zero_copy_only=False)
        return valores, malos
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        serie, malos = _numeros(pd.Series(col.to_pylist(), dtype=object))
        if entero:
            malos = malos | serie.isna() | (serie.notna() & (serie != serie.round()))
        return pa.array(serie.to_numpy(dtype="float64"), from_pandas=True), malos.to_numpy()


def _parentesis_sin_par(col: pa.Array) -> np.ndarray:
    """Cells with a parenthesis that does not enclose the whole amount (``(1,234.56``, ``1,234.56)``)."""
    tiene = pc.match_substring_regex(col, r"[()]")
    negativo = pc.match_substring_regex(col, lectura.NEGATIVO_PARENTESIS_RE.pattern)
    return pc.fill_null(pc.and_(tiene, pc.invert(negativo)), False).to_numpy(zero_copy_only=False)


def _vacios(valores: pa.Array) -> np.ndarray:
    """Cells with no amount: blank, ``NaN``, spaces or a no-data token."""
    nulos = pc.is_null(valores, nan_is_null=True)
    return nulos.to_numpy(zero_copy_only=False)


# --------------------------------------------------------------------------- status of a row

#: Decisions of :func:`estatus_srft` about a row of the SRFT system.
INCLUIR, EXCLUIR, RECHAZAR = "incluir", "excluir", "rechazar"


def estatus_srft(valor: object) -> tuple[str, str]:
    """What the ``ESTATUS`` of an SRFT system row means for Anexo 1: ``(decision, reason)``.

    The one rule for every dialect that carries a status (the CSV export, the Excel export):

    - «Validado» (any case or accents; also «Validado avances»): the SHCP accepted the figures;
      the row enters Anexo 1 (:data:`INCLUIR`, reason ``""``).
    - «Rechazado»: the SHCP reviewer returned the figures to the executing agency; they are not
      the state's figures and are left out (:data:`EXCLUIR`).
    - «En captura»: the agency is still typing them and has not sent them for review; they may
      still change, so they are left out too (:data:`EXCLUIR`) rather than mixed with validated
      ones. Only validated figures are what the SHCP publishes in its open data.
    - Any other non-blank status (not validated): left out, naming the status (:data:`EXCLUIR`).
    - Blank: nobody can tell whether the figures were validated; the row is rejected with its
      reason (:data:`RECHAZAR`) and the report waits until the status is known.

    Rows left out are listed in the rejects file with ``columna`` = :data:`NO_VALIDADA` (they do
    not block the report), kept in the store table :data:`TABLA_NO_VALIDADAS`, and named by the
    Anexo 1 note and the finding ``A1-SRFT-ESTATUS``.
    """
    texto = "" if valor is None or (isinstance(valor, float) and np.isnan(valor)) else str(valor).strip()
    clave = normalizar(texto)
    if not clave:
        return RECHAZAR, ("«ESTATUS» está vacío: no se sabe si la SHCP validó las cifras de la fila; escriba el "
                          "estatus que muestra el sistema (Validado, Rechazado, En captura)")
    if clave.startswith("validad"):
        return INCLUIR, ""
    if clave.startswith("rechazad"):
        return EXCLUIR, (f"ESTATUS «{texto}»: la SHCP rechazó (devolvió) estas cifras; no se suman al Anexo 1")
    if clave == "en captura":
        return EXCLUIR, (f"ESTATUS «{texto}»: la ejecutora aún no envía estas cifras a revisión y pueden cambiar; "
                         "no se suman al Anexo 1")
    return EXCLUIR, f"ESTATUS «{texto}» no es «Validado»: cifras sin validar por la SHCP; no se suman al Anexo 1"


def estatus_columna(col: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`estatus_srft` of a whole column (each distinct value decided once): masks of rows left
    out and of rows rejected, and each row's reason."""
    codigos = pc.dictionary_encode(pc.utf8_trim_whitespace(pc.fill_null(col, "")))
    unicos = codigos.dictionary.to_pylist()
    decisiones = [estatus_srft(v) for v in unicos]
    indices = pc.fill_null(codigos.indices, 0).to_numpy(zero_copy_only=False)
    decision = np.array([d for d, _ in decisiones], dtype=object)[indices]
    motivo = np.array([m for _, m in decisiones], dtype=object)[indices]
    return decision == EXCLUIR, decision == RECHAZAR, motivo


# --------------------------------------------------------------------------- funds of a row


def _clave_programa(texto: str) -> str:
    return re.sub(r"[\s\-]", "", str(texto)).upper()


def _fondos_por_programa() -> dict[tuple[int, str], str]:
    """(ramo, programa presupuestario) → fund key, from the catalog (``(33, "I004")`` → ``FAIS``)."""
    global _FONDOS
    if _FONDOS is None:
        mapa: dict[tuple[int, str], str] = {}
        for f in catalogos.fondos().itertuples(index=False):
            formas = [f.modalidad_pp, *str(f.aliases or "").split("|")]
            for forma in formas:
                clave = _clave_programa(forma)
                if re.fullmatch(r"[A-Z]\d{3}", clave):
                    mapa.setdefault((int(f.ramo), clave), f.fondo)
        _FONDOS = mapa
    return _FONDOS


_FONDOS: dict[tuple[int, str], str] | None = None


# --------------------------------------------------------------------------- duplicates


_R = TypeVar("_R")


def _solo_lectura(resultado):
    """``resultado`` with its NumPy arrays (at any depth of tuples) made read-only: a result kept by
    :class:`_Memo` is shared by every block that meets the same values, and none may change it."""
    if isinstance(resultado, np.ndarray):
        resultado.flags.writeable = False
    elif isinstance(resultado, tuple):
        for parte in resultado:
            _solo_lectura(parte)
    return resultado


class _Memo:
    """What a rule gives for a column's distinct values, kept from block to block of one file.

    The blocks of a national file repeat a few values of most columns (the year, the quarter, the
    ramo, the programme…): a rule applied to a dictionary of a few values costs its calls, not its
    values, so each distinct dictionary is worked once per file instead of once per block. Only
    small dictionaries are kept (:attr:`MAX_VALORES`), at most :attr:`MAX_ENTRADAS` of them. The
    key is the rule and the values themselves, so a result is never used for other values.
    """

    MAX_VALORES = 64
    MAX_ENTRADAS = 4096

    def __init__(self) -> None:
        self._resultados: dict[tuple, object] = {}

    def __call__(self, regla: str, valores: pa.Array, calcular: Callable[[], _R]) -> _R:
        """``calcular()``, the result of ``regla`` on ``valores``, computed once per distinct ``valores``."""
        if len(valores) > self.MAX_VALORES:
            return calcular()
        if valores.null_count or valores.type not in (pa.binary(), pa.string()):
            clave = (regla, str(valores.type), tuple(valores.to_pylist()))
        else:  # the values' bytes, where each starts: the same key for the same values wherever they lie
            limites, datos = _bytes_de(valores)
            clave = (regla, str(valores.type), (limites - limites[0]).tobytes(), datos.tobytes())
        resultado = self._resultados.get(clave)
        if resultado is None:  # threads may race here: both compute the same result
            resultado = _solo_lectura(calcular())
            if len(self._resultados) >= self.MAX_ENTRADAS:
                self._resultados.clear()
            self._resultados[clave] = resultado
        return resultado


def _sin_memo(regla: str, valores: pa.Array, calcular: Callable[[], _R]) -> _R:
    """A :class:`_Memo` that keeps nothing (a block converted on its own)."""
    return calcular()


#: What applies a rule to a column's distinct values: a file's :class:`_Memo`, or :func:`_sin_memo`.
_ReglaPorValores = Callable[[str, pa.Array, Callable[[], _R]], _R]


class _Preparadas(NamedTuple):
    """A block's fingerprints (:meth:`Huellas.preparar`, :meth:`Huellas.preparar_columnas`) and what
    tells its rows apart exactly: the index of each cell's value in its column's dictionary, and the
    bytes of the cells hashed whole."""

    h1: np.ndarray
    h2: np.ndarray  # only the high 32 bits
    codigos: list[np.ndarray]
    crudos: np.ndarray | None


class Huellas:
    """Fingerprints of the rows seen so far in one file, to load exact duplicates once.

    A row's fingerprint is the sum (modulo 2⁶⁴) of one SipHash-2-4 value per column, each column
    with keys of its own drawn for each ``Huellas``, so a value moved to another column changes
    it. The columns whose values repeat (names, keys, years) are hashed once per distinct value
    of a block and taken back to the rows; the amounts, nearly all distinct, are joined and
    hashed whole. Two sums with independent keys are kept, the first whole and the high half of
    the second (96 bits: a chance collision among 1.5 M rows has a probability near 10⁻¹⁷, and no
    text can be built to collide with keys it cannot know). pandas hashes in C without holding
    the GIL, so the threads converting blocks hash at the same time. Within a block the cells
    themselves are compared. The rows seen are kept in one pandas hash table keyed by the first
    sum, whose value packs the rest of the fingerprint with the row number (about 23 bytes a
    distinct row; no Python object per row); a row whose first sum another row already has, once
    in 10¹⁹ pairs, is kept aside.
    """

    #: The low 32 bits of a stored value hold the row number; the high 32, those of the second hash.
    _FILA = (1 << 32) - 1
    _ALTA = np.int64(-(1 << 32))
    #: The name (no column's) the keys of the cells hashed whole go by: a row's text, or its amounts joined.
    _ENTERAS = "\x1f"

    def __init__(self, filas_previstas: int = 0) -> None:
        """``filas_previstas``: about how many rows the file has (the table is sized once, not grown)."""
        self._tabla = hashtable.Int64HashTable(max(filas_previstas, 128))  # first hash → high half of the second | row
        self._choques: dict[tuple[int, int], int] = {}  # (h1, high h2) → row, for a text whose first hash was taken
        self._claves: dict[str, tuple[str, str]] = {}  # column → its two keys, 16 ASCII characters each
        #: The file's per-value results, for the fingerprints and for the rules of :func:`convertir_bloque`.
        self.memo = _Memo()

    def _claves_de(self, columna: str) -> tuple[str, str]:
        claves = self._claves.get(columna)
        if claves is None:  # threads may race here: the first pair stored is the one every block uses
            claves = self._claves.setdefault(columna, (secrets.token_hex(8), secrets.token_hex(8)))
        return claves

    def _hash(self, crudos: np.ndarray, columna: str = _ENTERAS) -> tuple[np.ndarray, np.ndarray]:
        """The two SipHash values of each of ``crudos`` (bytes) with the keys of ``columna``."""
        # pandas' own SipHash-2-4 of each value (what pd.util.hash_array computes before it mixes the bits
        # once more: a bijection, which changes no collision; a dictionary of a few values costs its call)
        h1, h2 = (hashing.hash_object_array(crudos, clave).view(np.int64) for clave in self._claves_de(columna))
        return h1, h2

    def _buscar(self, h1: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row number of the earlier occurrence of each fingerprint, 0 when new; and whether its first
        hash is in the table (that of another row, when the number is 0)."""
        guardado = self._tabla.lookup(h1)
        hallada = guardado != -1
        previa = np.where(hallada, guardado & self._FILA, 0)
        for k in np.flatnonzero(hallada & ((guardado & self._ALTA) != h2)):  # the first hash of another text
            previa[k] = self._choques.get((int(h1[k]), int(h2[k])), 0)
        return previa, hallada

    def _agregar(self, h1: np.ndarray, h2: np.ndarray, filas: np.ndarray, libre: np.ndarray) -> None:
        """Register new rows; ``libre``: whether each is the first of its block with its first hash and
        that hash is not in the table yet."""
        if not len(h1):
            return
        if int(filas.max()) >= self._FILA:
            raise ValueError(f"un archivo del SRFT de más de {self._FILA - 1:,} filas no cabe en las huellas")
        self._tabla.map_keys_to_values(h1[libre], h2[libre] | filas[libre])
        for k in np.flatnonzero(~libre):  # a 64-bit collision: kept aside with both hashes
            self._choques.setdefault((int(h1[k]), int(h2[k])), int(filas[k]))

    def marcar(self, textos: pa.Array | np.ndarray, filas: np.ndarray) -> np.ndarray:
        """For each row, the number of the earlier row it repeats exactly (0 for a first occurrence).

        ``textos``: each row's raw text (:func:`_textos_fila`), an Arrow string array or any
        sequence of ``str``. The same as :meth:`preparar` then :meth:`marcar_preparadas`.
        """
        return self.marcar_preparadas(self.preparar(textos), filas)

    def preparar(self, textos: pa.Array | np.ndarray) -> _Preparadas:
        """The fingerprints of rows given as one text each, hashed whole: the part of :meth:`marcar`
        that needs no other block, so blocks can be hashed at the same time on several threads."""
        if not isinstance(textos, (pa.Array, pa.ChunkedArray)):
            textos = pa.array(list(textos), pa.string())
        crudos = textos.cast(pa.binary()).to_numpy(zero_copy_only=False)  # bytes: hashed with no decoding
        h1, h2 = self._hash(crudos)
        return _Preparadas(h1, h2 & self._ALTA, [], crudos)

    def preparar_columnas(self, diccionarios: dict[str, pa.DictionaryArray], enteras: pa.Array | None,
                          codificacion: str) -> _Preparadas:
        """The fingerprints of a block given by columns: ``diccionarios``, each column dictionary-encoded
        (:func:`_diccionarios`; its values as read, bytes or text), and ``enteras``, the other cells of
        each row joined (:func:`_textos_fila`), or ``None``. Values are hashed as the file's own bytes
        (:func:`_bytes_valores`), so a row read as text after a malformed row matches its repeat read
        as bytes. Every block of a file must split its columns the same way."""
        n = len(enteras) if enteras is not None else len(next(iter(diccionarios.values()), []))
        h1, h2 = np.zeros(n, np.int64), np.zeros(n, np.int64)
        codigos = []
        for nombre, col in diccionarios.items():
            d1, d2, unico = self.memo(f"huella {nombre} {codificacion}", col.dictionary,
                                      lambda: self._hash_valores(col.dictionary, nombre, codificacion))
            if len(d1) == 1:  # the same value in every row (the year, the state, the ramo…)
                h1 += d1[0]  # int64 sums wrap around: modulo 2⁶⁴
                h2 += d2[0]
                continue
            indices = col.indices.to_numpy(zero_copy_only=False)  # encoded with its nulls: never null
            if unico is not None:
                indices = unico[indices]
            np.add(h1, np.take(d1, indices), out=h1)
            np.add(h2, np.take(d2, indices), out=h2)
            codigos.append(indices)
        crudos = None
        if enteras is not None:
            crudos = _bytes_fila(enteras, codificacion).cast(pa.binary()).to_numpy(zero_copy_only=False)
            e1, e2 = self._hash(crudos)
            h1 += e1
            h2 += e2
        return _Preparadas(h1, h2 & self._ALTA, codigos, crudos)

    def _hash_valores(self, valores: pa.Array, nombre: str,
                      codificacion: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The two hashes of each of a column's distinct ``valores``, as the file's bytes; and, when a
        missing cell and an empty text are both among them, the index each value counts as (the two are
        one value, as in the joined text), else ``None``."""
        crudos = _bytes_valores(valores, codificacion)
        d1, d2 = self._hash(crudos, nombre)
        unico = None
        if valores.null_count and np.count_nonzero(crudos == b"") > 1:
            primero: dict[bytes, int] = {}
            unico = np.array([primero.setdefault(v, i) for i, v in enumerate(crudos)])
        return d1, d2, unico

    @staticmethod
    def _iguales(preparadas: _Preparadas, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether rows ``a`` and ``b`` of a block (pairwise) have exactly the same cells."""
        igual = np.ones(len(a), dtype=bool)
        for indices in preparadas.codigos:
            igual &= indices[a] == indices[b]
        if preparadas.crudos is not None:
            igual &= preparadas.crudos[a] == preparadas.crudos[b]
        return igual

    def marcar_preparadas(self, preparadas: _Preparadas, filas: np.ndarray) -> np.ndarray:
        """:meth:`marcar` from what :meth:`preparar` or :meth:`preparar_columnas` gave; blocks must come
        in file order."""
        h1, h2 = preparadas.h1, preparadas.h2
        n = len(h1)
        repite = np.zeros(n, dtype=np.int64)
        if n == 0:
            return repite
        codigos, _ = pd.factorize(h1)  # a 64-bit collision inside the block is caught by the cells' check
        # codes are numbered as they first appear: a row is the first of its code when its code exceeds all before
        antes = np.maximum.accumulate(np.concatenate([[-1], codigos[:-1]]))
        primeras = np.flatnonzero(codigos > antes)
        primera = primeras[codigos]
        es_primera = primera == np.arange(n)
        en_bloque = ~es_primera
        if en_bloque.any():
            otra = np.flatnonzero(en_bloque)
            igual = self._iguales(preparadas, otra, primera[otra])
            en_bloque[otra] = igual
            for k in otra[~igual]:  # other cells with the same first hash in the block (a 64-bit collision)
                antes_k = np.flatnonzero(codigos[:k] == codigos[k])  # the earlier rows with that hash, in order
                iguales = antes_k[self._iguales(preparadas, antes_k, np.full(len(antes_k), k))]
                if len(iguales):
                    j = iguales[0]
                    en_bloque[k], primera[k] = True, primera[j] if en_bloque[j] else j
        nuevas = ~en_bloque
        previa, hallada = self._buscar(h1[nuevas], h2[nuevas])
        en_tabla = np.zeros(n, dtype=bool)
        en_tabla[nuevas] = hallada
        repite_nuevas = np.zeros(n, dtype=np.int64)
        repite_nuevas[nuevas] = previa
        repite[nuevas] = previa
        repite[en_bloque] = np.where(repite_nuevas[primera[en_bloque]] > 0, repite_nuevas[primera[en_bloque]],
                                     filas[primera[en_bloque]])
        registrar = nuevas & (repite == 0)
        self._agregar(h1[registrar], h2[registrar], filas[registrar], (es_primera & ~en_tabla)[registrar])
        return repite


def _textos_fila(lote: pa.Table | pa.RecordBatch) -> pa.Array:
    """Each row's raw cells joined (with a separator no CSV cell carries), as an Arrow string array (bytes
    for a block read as bytes)."""
    if lote.num_columns == 0 or lote.num_rows == 0:
        return pa.array([""] * lote.num_rows, pa.string())
    columnas = [lote.column(i) for i in range(lote.num_columns)]
    tipo = lote.schema.field(0).type
    separador = pa.scalar("\x1f", tipo)
    unidas = pc.binary_join_element_wise(*columnas, separador, null_handling="replace",
                                         null_replacement=separador.as_py()[:0])
    return unidas.combine_chunks() if isinstance(unidas, pa.ChunkedArray) else unidas


# --------------------------------------------------------------------------- one block


@dataclass
class Bloque:
    """One block of an SRFT file, every row accounted for.

    ``leidas = partidas.num_rows + nivel_programa + duplicadas + rechazadas + no_validadas``:
    partida-level rows loaded, programme-level rows (structure, never summed; those carrying
    amounts are in ``programa``), exact repeats of an earlier row, rejected rows (in
    ``rechazos`` with the duplicates, which are listed there with ``columna`` = «(fila
    duplicada)») and rows left out for their ``ESTATUS`` (listed there with ``columna`` =
    :data:`NO_VALIDADA`; kept in ``excluidas``).
    """

    partidas: pa.Table
    programa: pa.Table
    rechazos: pd.DataFrame
    leidas: int
    nivel_programa: int = 0
    duplicadas: int = 0
    no_validadas: int = 0
    excluidas: pa.Table | None = None

    @property
    def rechazadas(self) -> int:
        return filas_rechazadas(self.rechazos)


def filas_rechazadas(rechazos: pd.DataFrame) -> int:
    """Distinct rows rejected for a reason (duplicates and rows left out for their status, listed in
    the same file, not counted)."""
    if rechazos is None or rechazos.empty:
        return 0
    return int(rechazos.loc[~rechazos["columna"].isin(NO_BLOQUEAN), "fila"].nunique())


def _contrato(columnas: _Columnas, dialecto: Dialecto, n: int) -> _Columnas:
    """The block's columns under the contract (national) names, whatever the dialect."""
    if dialecto is not SISTEMA:  # national names already (the readable export is renamed before)
        return columnas
    salida = _Columnas({c: columnas[o] for c, o in dialecto.origen.items() if o in columnas}, columnas.codificacion,
                       {c: columnas.diccionarios[o] for c, o in dialecto.origen.items() if o in columnas.diccionarios},
                       columnas.memo)
    modalidad = pc.utf8_upper(pc.utf8_trim_whitespace(pc.fill_null(columnas["ID_MODALIDAD"], "")))
    pp = pc.replace_substring_regex(pc.utf8_trim_whitespace(pc.fill_null(columnas["ID_PP"], "")), r"\.0+$", "")
    pp = pc.if_else(pc.match_substring_regex(pp, r"^\d{1,3}$"), pc.utf8_lpad(pp, width=3, padding="0"), pp)
    salida["MODALIDAD_PP"] = pc.binary_join_element_wise(modalidad, pp, "")
    return salida


def _solo_ascii(col: pa.Array) -> bool:
    """Whether a text or bytes column holds no byte beyond ASCII (the same text in every encoding)."""
    _, datos = _bytes_de(col)
    return not len(datos) or int(datos.max()) < 0x80


@functools.cache
def _largos_utf8(codificacion: str) -> np.ndarray | None:
    """For a one-byte encoding (latin-1, Windows-1252), how many bytes of UTF-8 each of its 256 bytes
    becomes; ``None`` for any other encoding."""
    try:
        if any(len(bytes([b]).decode(codificacion, errors="replace")) != 1 for b in range(256)):
            return None
    except LookupError:
        return None
    return np.array([len(bytes([b]).decode(codificacion, errors="replace").encode("utf-8")) for b in range(256)],
                    dtype=np.int64)


def _decodificar(valores: pa.Array, codificacion: str) -> pa.Array:
    """Bytes read from a file in ``codificacion`` (latin-1 or Windows-1252) as text: all the values decoded
    at once, each value's place in the text counted from the UTF-8 length of each of its bytes."""
    if _solo_ascii(valores):
        return valores.view(pa.string())
    largos = _largos_utf8(codificacion)
    if largos is None:
        return pa.array([None if v is None else v.decode(codificacion) for v in valores.to_pylist()], pa.string())
    limites, datos = _bytes_de(valores)
    texto = datos.tobytes().decode(codificacion).encode("utf-8")
    acumulado = np.zeros(len(datos) + 1, dtype=np.int64)
    np.cumsum(largos[datos], out=acumulado[1:])
    desplazamientos = acumulado[limites - limites[0]].astype(np.int32)
    validos = pc.is_valid(valores).buffers()[1] if valores.null_count else None
    return pa.Array.from_buffers(pa.string(), len(valores), [validos, pa.py_buffer(desplazamientos),
                                                              pa.py_buffer(texto)], null_count=valores.null_count)


class _Columnas(dict):
    """A block's columns by name, as text.

    A file in latin-1 or Windows-1252 is read as bytes (Arrow's transcoding of every byte runs
    in Python and holds the interpreter: about 1 s of a national file's load). A column is
    decoded the first time a rule reads it, each distinct value once; the columns no rule
    reads (the names of the state, the ramo, the kind of spending…) are never decoded.
    """

    def __init__(self, columnas: dict[str, pa.Array], codificacion: str = "utf-8",
                 diccionarios: dict[str, pa.DictionaryArray] | None = None,
                 memo: _ReglaPorValores = _sin_memo) -> None:
        super().__init__(columnas)
        self.codificacion = codificacion
        self._por_valor: dict[str, tuple[pa.Array, np.ndarray]] = {}
        #: Columns already dictionary-encoded as read (:func:`_diccionarios`, for the fingerprints): not encoded twice.
        self.diccionarios = diccionarios or {}
        #: The file's :class:`_Memo`: a rule on the distinct values of a column worked once per file.
        self.memo = memo

    def __getitem__(self, nombre: str) -> pa.Array:
        col = super().__getitem__(nombre)
        if isinstance(col, pa.ChunkedArray):  # a column only read through its dictionary until now
            col = col.combine_chunks()
            super().__setitem__(nombre, col)
        if pa.types.is_binary(col.type):
            codigos = self.diccionarios.get(nombre)
            if _solo_ascii(col if codigos is None else codigos.dictionary):
                col = col.view(pa.string())
            else:
                valores, indices = self.distintos(nombre)
                col = valores.take(pa.array(indices))
            super().__setitem__(nombre, col)
        return col

    def get(self, nombre: str, defecto=None):
        return self[nombre] if nombre in self else defecto

    def distintos(self, nombre: str) -> tuple[pa.Array, np.ndarray]:
        """The column's distinct values, as text (a missing cell is one of them), and the index of each row's.

        A rule applied to the distinct values and taken back to the rows costs a fraction of
        the same rule applied row by row: a block of a national file repeats a few partidas,
        programmes and record types thousands of times (about 2 s less for 1.5 M rows).
        """
        if nombre not in self._por_valor:
            codigos = self.diccionarios.get(nombre)
            if codigos is None:
                codigos = pc.dictionary_encode(super().__getitem__(nombre), null_encoding="encode")
            valores = codigos.dictionary
            if pa.types.is_binary(valores.type):
                crudos = valores
                valores = self.memo(f"texto {self.codificacion}", crudos,
                                    lambda: _decodificar(crudos, self.codificacion))
            self._por_valor[nombre] = (valores, codigos.indices.to_numpy(zero_copy_only=False))
        return self._por_valor[nombre]


class _PorValor(NamedTuple):
    """A column of a block given by its distinct values and the index of each row's: the rows kept
    are taken from the values once (a text column is not built for every row, then filtered)."""

    valores: pa.Array
    indices: np.ndarray


#: A block's rejects when it has none (read only: every block with rejects builds its own).
_SIN_RECHAZOS = pd.DataFrame(columns=COLUMNAS_RECHAZO)


def _en_filas(columna: pa.Array | _PorValor, filas: np.ndarray | None) -> pa.Array:
    """A column of a block in the rows ``filas`` (a mask or positions; every row when ``None``)."""
    if isinstance(columna, _PorValor):
        return columna.valores.take(pa.array(columna.indices if filas is None else columna.indices[filas]))
    if filas is None:
        return columna
    return columna.filter(pa.array(filas)) if filas.dtype == bool else columna.take(pa.array(filas))


def _numerica_por_valor(distintos: tuple[pa.Array, np.ndarray], entero: bool,
                        memo: _ReglaPorValores = _sin_memo) -> tuple[pa.Array, np.ndarray]:
    """:func:`_columna_numerica` of a column whose values repeat, each distinct value read once."""
    valores, indices = distintos
    numeros, malos = memo(f"numero {entero}", valores, lambda: _columna_numerica(valores, entero))
    return numeros.take(pa.array(indices)), malos[indices]


def _nivel_programa(columnas: _Columnas, n: int) -> np.ndarray:
    """Rows of level «1-Programa presupuestario» (by the text when there is one, else by the id)."""
    programa = np.zeros(n, dtype=bool)
    vacio = np.ones(n, dtype=bool)
    if "TIPO_DE_REGISTRO" in columnas:
        valores, indices = columnas.distintos("TIPO_DE_REGISTRO")

        def por_texto() -> tuple[np.ndarray, np.ndarray]:
            t = pc.utf8_trim_whitespace(pc.fill_null(valores, ""))
            por_digito = pc.match_substring_regex(t, r"^1(\D|$)").to_numpy(zero_copy_only=False)
            por_nombre = pc.match_substring_regex(t, "programa", ignore_case=True).to_numpy(zero_copy_only=False)
            de_partida = pc.match_substring_regex(t, r"^2(\D|$)|partida", ignore_case=True).to_numpy(zero_copy_only=False)
            return pc.equal(t, "").to_numpy(zero_copy_only=False), por_digito | (por_nombre & ~de_partida)

        vacio, programa = columnas.memo("tipo de registro", valores, por_texto)
        vacio, programa = vacio[indices], programa[indices]
    if "ID_TIPO_DE_REGISTRO" in columnas:
        valores, indices = columnas.distintos("ID_TIPO_DE_REGISTRO")
        uno = columnas.memo("id de tipo de registro", valores, lambda: pc.match_substring_regex(
            pc.utf8_trim_whitespace(pc.fill_null(valores, "")), r"^1(\.0+)?$").to_numpy(zero_copy_only=False))
        programa = programa | (vacio & uno[indices])
    return programa


def convertir_bloque(lote: pa.Table | pa.RecordBatch, archivo: str, filas: int | np.ndarray,
                     conceptos_validos: pa.Array, dialecto: Dialecto = NACIONAL,
                     repite: np.ndarray | None = None, textos: pa.Array | None = None,
                     codificacion: str = "utf-8", diccionarios: dict[str, pa.DictionaryArray] | None = None,
                     memo: _ReglaPorValores = _sin_memo) -> Bloque:
    """Turn one block of raw SRFT rows (all text) into tidy partida rows, programme rows and rejects.

    ``filas`` is the first row number of the block or the number of every row (the exact
    path keeps good rows of several runs in one block). ``repite`` gives, per row, the
    earlier row it repeats exactly (0 if none); ``textos``, each row's cells joined (what a
    duplicate's line in the rejects shows; joined here for the duplicates alone when not given).
    Columns read as bytes are decoded from ``codificacion`` as the rules read them
    (:class:`_Columnas`); ``diccionarios``: those already dictionary-encoded. ``memo``: the file's
    :class:`_Memo` (the rules on a column's distinct values, worked once per file). Vectorised with
    Arrow compute so a 180 MB national file streams in seconds.
    """
    n = lote.num_rows
    crudas = {nombre: lote.column(nombre) for nombre in lote.schema.names}
    if isinstance(lote, pa.Table):  # a column with a dictionary is put together only if a rule reads it whole
        crudas = {k: v if k in (diccionarios or {}) else v.combine_chunks() for k, v in crudas.items()}
    columnas = _contrato(_Columnas(crudas, codificacion, diccionarios, memo), dialecto, n)
    numeros = (np.arange(filas, filas + n, dtype="int64") if isinstance(filas, (int, np.integer))
               else np.asarray(filas, dtype="int64"))
    repite = np.zeros(n, dtype=np.int64) if repite is None else repite
    nombre = dialecto.columna
    programa = _nivel_programa(columnas, n)
    problemas: list[tuple[np.ndarray, str, object]] = []  # (mask, contract column, reason) in priority order
    duplicada = repite > 0
    if duplicada.any():
        motivos = np.array([f"la fila repite exactamente la fila {r}; se cargó una sola vez" if r else ""
                            for r in repite], dtype=object)
        problemas.append((duplicada, DUPLICADA, motivos))
    excluida = np.zeros(n, dtype=bool)
    sin_estatus = np.zeros(n, dtype=bool)
    if (estatus := columnas.get("ESTATUS")) is not None:
        excluir, sin_estatus, motivos_estatus = estatus_columna(estatus)
        excluida = excluir & ~duplicada
        if excluida.any():
            problemas.append((excluida, NO_VALIDADA, motivos_estatus))
    # pc.add copies the row numbers into Arrow's memory: an array sharing NumPy's can abort the process
    # at exit when the dataset writer frees it late (see ingesta._propia)
    salida: dict[str, pa.Array | _PorValor] = {"fila": pc.add(pa.array(numeros), 0)}

    malos_de: dict[str, np.ndarray] = {}
    for origen, destino in ENTEROS.items():
        valores, malos = _numerica_por_valor(columnas.distintos(origen), entero=True, memo=memo)
        malos_de[origen] = malos
        problemas.append((malos, origen, f"«{nombre(origen)}» debe ser un número entero"))
        salida[destino] = pc.cast(pc.fill_null(valores, 0), pa.int64(), safe=False)
    trimestre = salida["trimestre"].to_numpy(zero_copy_only=False)
    fuera_trimestre = ~malos_de["TRIMESTRE"] & ((trimestre < TRIMESTRES.start) | (trimestre >= TRIMESTRES.stop))
    if fuera_trimestre.any():
        problemas.append((fuera_trimestre, "TRIMESTRE", np.array(
            [f"«{nombre('TRIMESTRE')}» ({t}) no es un trimestre del SRFT: solo existen los trimestres 1 a 4 y el 5 "
             "(informe definitivo)" if f else "" for t, f in zip(trimestre, fuera_trimestre)], dtype=object)))
    valores, indices = columnas.distintos("ID_ENTIDAD_FEDERATIVA")

    def entidades() -> tuple[np.ndarray, pa.Array]:
        ent, malos = _columna_numerica(valores, entero=True)
        fuera = pc.fill_null(pc.or_(pc.less(ent, 1), pc.greater(ent, 32)), True).to_numpy(zero_copy_only=False)
        ent_txt = pc.cast(pc.cast(pc.fill_null(ent, 0), pa.int64(), safe=False), pa.string())
        return malos | fuera, pc.utf8_lpad(ent_txt, width=2, padding="0")

    malos, claves = memo("entidad", valores, entidades)
    malos_de["ID_ENTIDAD_FEDERATIVA"] = malos[indices]
    problemas.append((malos_de["ID_ENTIDAD_FEDERATIVA"], "ID_ENTIDAD_FEDERATIVA",
                      "la clave de entidad debe estar entre 1 y 32"))
    salida["cve_ent"] = _PorValor(claves, indices)
    ciclo = salida["ciclo"].to_numpy(zero_copy_only=False)
    ciclo_recurso = salida["ciclo_recurso"].to_numpy(zero_copy_only=False)
    futuro = (ciclo_recurso > ciclo) & ~malos_de["CICLO"] & ~malos_de["CICLO_RECURSO"]
    if futuro.any():
        problemas.append((futuro, "CICLO_RECURSO", np.array(
            [f"«{nombre('CICLO_RECURSO')}» ({r}) es posterior al «{nombre('CICLO')}» ({c}): un recurso no puede "
             f"provenir de un ejercicio que aún no ocurre" if f else "" for r, c, f in zip(ciclo_recurso, ciclo, futuro)],
            dtype=object)))

    for origen, destino in TEXTOS.items():
        if origen not in columnas:
            salida[destino] = _PorValor(pa.array([""], pa.string()), np.zeros(n, dtype=np.int64))
            continue
        valores, indices = columnas.distintos(origen)

        def limpios(valores: pa.Array = valores, destino: str = destino) -> pa.Array:
            limpios = pc.fill_null(pc.utf8_trim_whitespace(valores), "")
            if destino == "modalidad_pp":
                limpios = pc.replace_substring_regex(pc.utf8_upper(limpios), r"[\s\-]", "")
            return limpios

        salida[destino] = _PorValor(memo(f"texto {destino}", valores, limpios), indices)

    valores, indices = columnas.distintos("ID_PARTIDA_GENERICA")

    def partidas() -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray]:
        partida = pc.replace_substring_regex(pc.fill_null(pc.utf8_trim_whitespace(valores), ""), r"\.0+$", "")
        concepto = pc.binary_join_element_wise(pc.utf8_slice_codeunits(partida, 0, 2), "00", "")
        capitulo = pc.binary_join_element_wise(pc.utf8_slice_codeunits(partida, 0, 1), "000", "")
        forma = pc.match_substring_regex(partida, r"^[1-9][0-9]{2,4}$")
        return (partida, concepto, capitulo,
                pc.and_(forma, pc.is_in(concepto, value_set=conceptos_validos)).to_numpy(zero_copy_only=False))

    partida, concepto, capitulo, valida = memo("partida", valores, partidas)  # one catalogue per file
    valida = valida[indices]
    problemas.append((~valida & ~programa, "ID_PARTIDA_GENERICA",
                      "la partida no corresponde a ningún concepto del Clasificador por Objeto del Gasto"))
    if programa.any():  # a programme row has no partida: one more value, blank
        indices = np.where(programa, len(partida), indices)
    for destino, por_valor in (("partida", partida), ("concepto", concepto), ("capitulo", capitulo)):
        salida[destino] = _PorValor(pa.concat_arrays([por_valor, pa.array([""], pa.string())])
                                    if programa.any() else por_valor, indices)

    vacios: list[tuple[np.ndarray, str, str]] = []
    con_monto = np.zeros(n, dtype=bool)
    for momento in MOMENTOS:
        origen = f"MONTO_{momento.upper()}"
        if origen in columnas:
            valores, malos = _columna_numerica(columnas[origen], entero=False)
            if malos.any() and (sin_par := malos & _parentesis_sin_par(columnas[origen])).any():
                problemas.append((sin_par, origen, f"«{nombre(origen)}» tiene un paréntesis sin su par: no se sabe "
                                                   "si es negativo; escriba (1,234.56) o -1,234.56"))
            problemas.append((malos, origen, f"«{nombre(origen)}» no es un importe válido (use punto decimal, "
                                             f"sin letras, y hasta {lectura.MONTO_MAXIMO:,.0f})"))
            vacio = _vacios(valores) & ~malos
            if malos.any() or np.count_nonzero(vacio) != valores.null_count:  # a bad amount, or a NaN: made missing
                valores = pc.if_else(pa.array(malos | vacio), pa.scalar(None, pa.float64()), valores)
            salida[momento] = valores
            con_monto |= ~vacio & ~malos
        else:
            vacio = np.ones(n, dtype=bool)
            salida[momento] = pa.nulls(n, pa.float64())
        if momento in MOMENTOS_ANEXO1:
            vacios.append((vacio & ~programa, origen,
                           f"«{nombre(origen)}» está vacío en una fila de partida; el Anexo 1 no puede suponer "
                           "un importe (escriba 0 si no hubo gasto)"))
    problemas.extend(vacios)
    if sin_estatus.any():
        problemas.append((sin_estatus & ~excluida, "ESTATUS", estatus_srft("")[1]))

    municipal = salida["id_municipio"].to_numpy(zero_copy_only=False) != 0
    salida["ambito"] = _PorValor(pa.array(["estatal", "municipal"]), municipal.astype(np.int64))
    rechazada = np.zeros(n, dtype=bool)
    for malos, _, _ in problemas:
        rechazada |= malos

    def tidy(filas: np.ndarray | None) -> pa.Table:
        return pa.table([_en_filas(salida[f.name], filas) for f in ESQUEMA], schema=ESQUEMA)

    cargada = ~rechazada & ~programa
    de_programa = ~rechazada & programa
    bloque = Bloque(partidas=tidy(cargada if rechazada.any() or programa.any() else None),
                    programa=tidy(de_programa & con_monto), rechazos=_SIN_RECHAZOS, leidas=n,
                    nivel_programa=int(de_programa.sum()), duplicadas=int(duplicada.sum()),
                    no_validadas=int(excluida.sum()))
    if excluida.any():
        # kept (with their status) for the Anexo 1 note and A1-SRFT-ESTATUS, when whose rows they are is known
        guardar = excluida & ~malos_de["CICLO"] & ~malos_de["ID_ENTIDAD_FEDERATIVA"]
        bloque.excluidas = tidy(guardar).append_column("estatus", _en_filas(pc.utf8_trim_whitespace(estatus), guardar))
    if rechazada.any():
        def filas_de(indices: np.ndarray) -> pa.Array:
            return (textos.take(pa.array(indices)) if textos is not None
                    else _textos_fila(lote.take(pa.array(indices))))

        bloque.rechazos = _rechazos(problemas, rechazada, numeros, columnas, salida, malos_de, archivo, nombre,
                                    filas_de, dialecto)
    return bloque


def _rechazos(problemas, rechazada: np.ndarray, numeros: np.ndarray, columnas: _Columnas,
              salida: dict[str, pa.Array | _PorValor], malos_de: dict[str, np.ndarray], archivo: str,
              nombre: Callable[[str], str], filas_de: Callable[[np.ndarray], pa.Array],
              dialecto: Dialecto) -> pd.DataFrame:
    """The rejects of a block, one line a row: the first problem in priority order, and whose row it is.
    ``filas_de``: the raw cells of the given rows, joined (a duplicate is shown by its text)."""
    n = len(numeros)
    columna = np.full(n, "", dtype=object)
    motivo = np.full(n, "", dtype=object)
    asignada = np.zeros(n, dtype=bool)
    for malos, col, texto in problemas:
        nuevas = malos & ~asignada
        if nuevas.any():
            columna[nuevas] = col
            motivo[nuevas] = texto[nuevas] if isinstance(texto, np.ndarray) else texto
            asignada |= nuevas
    idx = np.flatnonzero(rechazada)
    valor = np.full(len(idx), "", dtype=object)
    for col in set(columna[idx]):
        sel = np.flatnonzero(columna[idx] == col)
        if col == NO_VALIDADA:
            valor[sel] = ["" if v is None else str(v).strip()
                          for v in columnas["ESTATUS"].take(pa.array(idx[sel])).to_pylist()]
            continue
        if col == DUPLICADA:
            filas = filas_de(idx[sel])
            if pa.types.is_binary(filas.type):
                filas = _decodificar(filas, columnas.codificacion)
            valor[sel] = [t.replace("\x1f", ",")[:120] for t in filas.to_pylist()]
            continue
        if col in columnas:
            valores = columnas[col].take(pa.array(idx[sel])).to_pylist()
            valor[sel] = ["" if v is None else str(v) for v in valores]
    ciclo_ok = ~malos_de["CICLO"][idx]
    ent_ok = ~malos_de["ID_ENTIDAD_FEDERATIVA"][idx]
    ramo_ok = ~malos_de["ID_RAMO"][idx]
    ciclos, cves, ramos, modalidades = (_en_filas(salida[c], idx).to_pylist()
                                        for c in ("ciclo", "cve_ent", "ramo", "modalidad_pp"))
    fondos = _fondos_por_programa()
    return pd.DataFrame({
        "archivo": archivo, "fila": numeros[idx], "columna": [nombre(c) if c not in NO_BLOQUEAN else c for c in columna[idx]],
        "valor": valor, "motivo": motivo[idx],
        "ciclo": [str(c) if ok else "" for c, ok in zip(ciclos, ciclo_ok)],
        "cve_ent": [c if ok else "" for c, ok in zip(cves, ent_ok)],
        "fondo": [fondos.get((r, m), "") if ok else "" for r, m, ok in zip(ramos, modalidades, ramo_ok)],
    }, columns=COLUMNAS_RECHAZO)


# --------------------------------------------------------------------------- whole file


def _avance_nulo(posicion: int) -> None:
    return None


class _Tramo(NamedTuple):
    """Rows to convert (``tabla``, numbered ``numeros``) and the rejects of bad rows read before them.

    ``tabla`` is ``None`` for bad rows after the last good one (a block of rejects only).
    """

    tabla: pa.Table | pa.RecordBatch | None
    numeros: np.ndarray
    rechazos: tuple[dict, ...] = ()


#: Threads that convert blocks at the same time (Arrow compute and NumPy run without the GIL) and
#: blocks handed to them ahead of the one being written (memory stays a few blocks). On two cores,
#: one: Arrow's reading threads, this thread and the store's writer (the main thread) already fill
#: them, and a second converter only adds switches between threads. Measured on a national SRFT,
#: 20 alternated pairs against 2 threads: 3 to 17 % less CPU, the same or less wall time, 30 MB
#: less memory. With more cores a second converter has a core of its own (not measured here).
NUCLEOS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
HILOS_CONVERSION = 1 if NUCLEOS <= 2 else 2
TRAMOS_EN_VUELO = 4


def _bytes_de(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A text column's value offsets and the bytes of its values (NumPy views, no copy)."""
    _, desplazamientos, datos = col.buffers()
    limites = np.frombuffer(desplazamientos, np.int32, len(col) + 1, col.offset * 4)
    if datos is None:
        return limites, np.empty(0, np.uint8)
    return limites, np.frombuffer(datos, np.uint8)[limites[0]:limites[-1]]


#: Bytes Windows-1252 leaves undefined: the whole-file pass refuses a file that has one.
_INDEFINIDOS_1252 = np.array([0x81, 0x8D, 0x8F, 0x90, 0x9D], dtype=np.uint8)


def _dudosa(col: pa.Array, limites: np.ndarray, altos: np.ndarray, valores: np.ndarray, codificacion: str) -> bool:
    """Whether a column of a file in latin-1 or Windows-1252, read as bytes, may hold what makes the whole-file
    pass decide otherwise: a C1 control code in latin-1 (the file may be Windows-1252), or a Latin-1 letter
    written in UTF-8 (``Ã³``: a mixed file). ``altos``: the offsets of its bytes beyond ASCII; ``valores``:
    those bytes. The rare candidates are checked exactly."""
    if codificacion == "latin-1" and (valores < 0xA0).any():
        return True
    candidatos = altos[(valores | 1) == 0xC3]  # Ã or Â: how UTF-8 writes the lead byte of á é ñ …
    if not len(candidatos):
        return False
    filas = np.unique(np.searchsorted(limites, candidatos + limites[0], side="right") - 1)
    return any(lectura.LETRAS_UTF8_RE.search(v) for v in col.take(filas).to_pylist() if v)


def vigilar(columnas: Iterable[pa.Array | pa.ChunkedArray], revision: lectura.RevisionDiferida,
            codificacion: str) -> None:
    """Note in ``revision`` what the whole-file pass would look for in this block, read as ``codificacion``
    (text for UTF-8, bytes for latin-1 or Windows-1252); on a byte below 0x20 (a control byte, or a tab or
    line break inside a quoted text) or one Windows-1252 leaves undefined, run the pass at once. See
    :class:`lectura.RevisionDiferida`. ``columnas``: the block's columns, or for a column
    dictionary-encoded its distinct values (the same bytes, each looked at once)."""
    utf8 = codificacion.startswith("utf")
    for col in (t for c in columnas for t in (c.chunks if isinstance(c, pa.ChunkedArray) else [c])):
        limites, datos = _bytes_de(col)
        if not len(datos):
            continue
        if int(datos.min()) < 0x20:
            revision.revisar()
        if int(datos.max()) < 0x80:
            continue
        if utf8:
            revision.utf8_visto = True
            continue
        revision.no_utf8_visto = True
        altos = np.flatnonzero(datos >= 0x80)  # a few in a hundred: the checks below look at these alone
        valores = datos[altos]
        if codificacion != "latin-1" and np.isin(valores, _INDEFINIDOS_1252).any():
            # the pass refuses the file; if it found it all UTF-8 instead, every block is read again
            raise lectura.Releer(revision.revisar())
        if not revision.dudoso and _dudosa(col, limites, altos, valores, codificacion):
            revision.dudoso = True


def _bytes_fila(textos: pa.Array, codificacion: str) -> pa.Array:
    """Each row's text as the file's own bytes, what its fingerprint is computed on, whatever the path that
    read it: a block read as bytes already is; one read as text (after a malformed row, in a file in latin-1
    or Windows-1252) is encoded back, so a row repeated across the switch is still found."""
    if pa.types.is_binary(textos.type) or codificacion.startswith("utf") or _solo_ascii(textos):
        return textos
    if textos.null_count:
        return pa.array([None if t is None else t.encode(codificacion) for t in textos.to_pylist()], pa.binary())
    _, datos = _bytes_de(textos)
    crudos = datos.tobytes().decode("utf-8").encode(codificacion)  # one character, one byte: the whole block at once
    limites = np.zeros(len(textos) + 1, dtype=np.int32)
    np.cumsum(pc.utf8_length(textos).to_numpy(zero_copy_only=False), out=limites[1:])
    return pa.BinaryArray.from_buffers(pa.binary(), len(textos), [None, pa.py_buffer(limites), pa.py_buffer(crudos)])


def _bytes_valores(valores: pa.Array, codificacion: str) -> np.ndarray:
    """Each value as the file's bytes (a missing cell as ``b""``, as in :func:`_textos_fila`), a NumPy
    array of ``bytes``: values read as bytes already are; text is encoded back to ``codificacion``."""
    if not pa.types.is_binary(valores.type) and not (codificacion.startswith("utf") or _solo_ascii(valores)):
        return np.array([b"" if v is None else v.encode(codificacion) for v in valores.to_pylist()], dtype=object)
    crudos = valores.cast(pa.binary())
    if crudos.null_count:
        crudos = pc.fill_null(crudos, pa.scalar(b"", pa.binary()))
    return crudos.to_numpy(zero_copy_only=False)


def _enteras(dialecto: Dialecto) -> frozenset[str]:
    """The columns of ``dialecto`` whose cells are hashed whole, joined: the amounts, nearly all distinct
    (a dictionary of them would cost more than it saves). The others are hashed once per distinct value."""
    return frozenset(dialecto.columna(f"MONTO_{m.upper()}") for m in MOMENTOS)


def _diccionarios(tabla: pa.Table | pa.RecordBatch, enteras: frozenset[str]) -> dict[str, pa.DictionaryArray]:
    """Every column of the block but ``enteras``, dictionary-encoded as read (a missing cell is a value,
    as ``pc.dictionary_encode`` with ``null_encoding="encode"`` gives it)."""
    salida = {}
    for nombre in tabla.schema.names:
        if nombre in enteras:
            continue
        col = tabla.column(nombre)
        if isinstance(col, pa.ChunkedArray) and col.num_chunks < 2:
            col = col.chunk(0) if col.num_chunks else col.combine_chunks()
        codigos = pc.dictionary_encode(col, null_encoding="encode")  # the read blocks are not copied together
        if isinstance(codigos, pa.ChunkedArray):
            # every chunk is given the dictionary of the whole column (checked: else encoded once more, together)
            ultimo = codigos.chunks[-1].dictionary
            codigos = (pa.DictionaryArray.from_arrays(pa.concat_arrays([c.indices for c in codigos.chunks]), ultimo)
                       if all(c.dictionary.equals(ultimo) for c in codigos.chunks)
                       else pc.dictionary_encode(col.combine_chunks(), null_encoding="encode"))
        salida[nombre] = codigos
    return salida


def _fila_muy_larga(diccionarios: dict[str, pa.DictionaryArray], enteras: pa.Array | None, columnas: int) -> bool:
    """Whether a row's cells joined (:func:`_textos_fila`) exceed :data:`LARGO_SOSPECHOSO`, counted from the
    columns' lengths: row by row only when all the distinct values of every column together would."""
    def largo(valores: pa.Array) -> np.ndarray:
        return pc.fill_null(pc.binary_length(valores), 0).to_numpy(zero_copy_only=False).astype(np.int64)

    entero = largo(enteras) if enteras is not None else np.zeros(1, np.int64)
    cota = sum(len(_bytes_de(d.dictionary)[1]) for d in diccionarios.values())  # a row holds one value of each
    if cota + int(entero.max(initial=0)) + columnas - 1 <= LARGO_SOSPECHOSO:
        return False
    largos = [largo(d.dictionary) for d in diccionarios.values()]
    total = entero + columnas - 1
    for x, d in zip(largos, diccionarios.values()):
        total = total + x[d.indices.to_numpy(zero_copy_only=False)]
    return bool(total.max() > LARGO_SOSPECHOSO)


def _convertir_tramo(tramo: _Tramo, archivo: str, conceptos_validos: pa.Array, dialecto: Dialecto,
                     huellas: Huellas, anterior: threading.Event | None, propio: threading.Event,
                     revision: lectura.RevisionDiferida | None, codificacion: str) -> Bloque:
    """One block: rows hashed, repeats decided once the block before has registered its rows, converted."""
    try:
        if tramo.tabla is None:
            return Bloque(ESQUEMA.empty_table(), ESQUEMA.empty_table(),
                          pd.DataFrame(list(tramo.rechazos), columns=COLUMNAS_RECHAZO), len(tramo.rechazos))
        tabla = tramo.tabla
        nombres_enteras = _enteras(dialecto)
        diccionarios = _diccionarios(tabla, nombres_enteras)
        enteras = [c for c in tabla.schema.names if c in nombres_enteras]
        unidas = _textos_fila(tabla.select(enteras)) if enteras else None
        if revision is not None:
            vigilar([d.dictionary for d in diccionarios.values()] + [tabla.column(c) for c in enteras],
                    revision, codificacion)
            if tabla.num_rows and _fila_muy_larga(diccionarios, unidas, tabla.num_columns):
                revision.revisar()  # a line the pass may refuse as too long
        preparadas = huellas.preparar_columnas(diccionarios, unidas, codificacion)
        if anterior is not None:
            anterior.wait()
        repite = huellas.marcar_preparadas(preparadas, tramo.numeros)
    finally:
        propio.set()
    bloque = convertir_bloque(tabla, archivo, tramo.numeros, conceptos_validos, dialecto, repite,
                              codificacion=codificacion, diccionarios=diccionarios, memo=huellas.memo)
    if tramo.rechazos:
        bloque.rechazos = pd.concat([bloque.rechazos.astype(object),
                                     pd.DataFrame(list(tramo.rechazos), columns=COLUMNAS_RECHAZO)], ignore_index=True)
        bloque.leidas += len(tramo.rechazos)
    return bloque


def _convertir_en_paralelo(tramos: Iterator[_Tramo], archivo: str, conceptos_validos: pa.Array, dialecto: Dialecto,
                           huellas: Huellas, revision: lectura.RevisionDiferida | None = None,
                           codificacion: str = "utf-8") -> Iterator[Bloque]:
    """The blocks of ``tramos`` converted on :data:`HILOS_CONVERSION` threads, yielded in file order.

    Each block is joined, hashed and converted on a thread while the next ones are read; only
    the step that decides whether a row repeats an earlier one runs block after block, in
    file order (each block waits for the one before to register its rows), so the result is
    that of converting the blocks one by one. An error reading ``tramos`` (a row Arrow cannot
    split) is raised after every block handed on before it has been yielded.
    """
    hilos = ThreadPoolExecutor(HILOS_CONVERSION, thread_name_prefix="srft")
    pendientes: deque = deque()
    anterior: threading.Event | None = None
    try:
        error = None
        tramos = iter(tramos)
        while True:
            try:  # only the reader's errors are read errors (a row Arrow cannot split or decode)
                tramo = next(tramos)
            except StopIteration:
                break
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                error = exc
                break
            propio = threading.Event()
            pendientes.append(hilos.submit(_convertir_tramo, tramo, archivo, conceptos_validos, dialecto, huellas,
                                           anterior, propio, revision, codificacion))
            anterior = propio
            while len(pendientes) > TRAMOS_EN_VUELO:
                yield _convertido(pendientes.popleft())
        while pendientes:
            yield _convertido(pendientes.popleft())
        if error is not None:
            raise error
    finally:
        hilos.shutdown(wait=True, cancel_futures=True)


def _convertido(futuro) -> Bloque:
    """A block converted on a thread. An Arrow or decoding error raised while converting it is a defect,
    not the file's: taken for a read error, it would send the reader on past the block, its rows lost."""
    try:
        return futuro.result()
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise RuntimeError(f"error al convertir un bloque del SRFT: {exc}") from exc


def leer_lotes(ruta: str | Path, bloque_bytes: int = BLOQUE_BYTES,
               avance: Callable[[int], None] | None = None, encabezado: Encabezado | None = None) -> Iterator[Bloque]:
    """Stream an SRFT CSV (either dialect) as :class:`Bloque` objects with bounded memory.

    ``avance`` is called with the number of bytes of the file read so far (a progress bar).
    Exact duplicates are found across the whole file, whatever the block they fall in.
    ``encabezado``: what :func:`leer_encabezado` returned for this file, when the caller
    has it (the whole-file checks are not run twice).
    """
    ruta = Path(ruta)
    enc = encabezado or leer_encabezado(ruta)
    if enc.dialecto is LEGIBLE:  # whole-table reader, named columns: srft_legible.leer_lotes_srft
        raise ValueError("la exportación en Excel del SRFT se lee con srft_legible.leer_lotes_srft")
    avance = avance or _avance_nulo
    conceptos_validos = pa.array(sorted(catalogos.conceptos()["concepto"]))
    tamano = ruta.stat().st_size
    huellas = Huellas(filas_previstas=tamano // 512)
    siguiente = 2
    leidos = 0
    lector = None
    try:
        lector = pacsv.open_csv(ruta, **_opciones_lectura(enc, bloque_bytes, como_bytes=True))

        def tramos() -> Iterator[_Tramo]:
            juntos: list[pa.RecordBatch] = []

            def tramo() -> _Tramo:
                nonlocal siguiente, leidos
                # joined into one contiguous batch on the converting thread, off the reader's path
                tabla = juntos[0] if len(juntos) == 1 else pa.Table.from_batches(juntos)
                juntos.clear()
                listo = _Tramo(tabla, np.arange(siguiente, siguiente + tabla.num_rows, dtype="int64"))
                siguiente += tabla.num_rows  # rows handed on are yielded before any error is raised
                leidos = min(tamano, leidos + bloque_bytes)
                avance(leidos)
                return listo

            por_tramo = max(1, bloque_bytes // BLOQUE_LECTURA)
            try:
                for lote in lector:
                    juntos.append(lote)
                    if len(juntos) >= por_tramo:
                        yield tramo()
            except pa.ArrowInvalid:
                if juntos:
                    yield tramo()
                raise
            if juntos:
                yield tramo()

        yield from _convertir_en_paralelo(tramos(), ruta.name, conceptos_validos, enc.dialecto, huellas,
                                          enc.revision, enc.codificacion)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # A row with more or fewer cells than the header (a text with unquoted commas): the blocks
        # already yielded are whole and in order; Arrow reads the rest listing such rows. With the
        # checks deferred, also a text that is not in the encoding of the file's first bytes.
        if isinstance(exc, UnicodeDecodeError) and enc.revision is None:
            raise
        lector = None
    else:
        lector = False
    if lector is None:  # the failed reader (and its read-ahead blocks) released before reading again
        if enc.revision is not None:  # the whole-file checks first (a line of megabytes also stops Arrow)
            enc = replace(enc, codificacion=enc.revision.revisar())
        yield from _lotes_tolerantes(ruta, enc, siguiente, conceptos_validos, huellas, avance, bloque_bytes)
    if enc.revision is not None:
        enc.revision.cerrar()
    avance(tamano)


def _opciones_lectura(enc: Encabezado, bloque_bytes: int, como_bytes: bool = False, **parse) -> dict:
    """Arrow's reading options for the file's header and encoding (Windows-1252 read as such, never as
    latin-1: its curly quotes and dashes would become invisible control characters).

    ``como_bytes``: a file in latin-1 or Windows-1252 is read as bytes, without Arrow's transcoding
    (:class:`_Columnas` decodes what the rules read). Not after a malformed row: Arrow hands such a
    row to its handler decoded as UTF-8.
    """
    bytes_ = como_bytes and not enc.codificacion.startswith("utf")
    return {
        "read_options": pacsv.ReadOptions(column_names=enc.nombres, skip_rows=1,
                                          block_size=min(bloque_bytes, BLOQUE_LECTURA),
                                          encoding="utf8" if bytes_ or enc.codificacion.startswith("utf")
                                          else enc.codificacion,
                                          use_threads=not parse),
        "parse_options": pacsv.ParseOptions(delimiter=enc.separador, newlines_in_values=True, **parse),
        "convert_options": pacsv.ConvertOptions(column_types={n: pa.binary() if bytes_ else pa.string()
                                                              for n in enc.nombres},
                                                null_values=[""], strings_can_be_null=True,
                                                quoted_strings_can_be_null=True),
    }


def _fila_mala(archivo: str, numero: int, celdas: list[str], enc: Encabezado) -> dict:
    """The rejects entry of a row whose cell count differs from the header's."""
    return {"archivo": archivo, "fila": numero, "columna": FILA_COMPLETA, "valor": enc.separador.join(celdas)[:120],
            "motivo": f"la fila tiene {len(celdas)} columnas y el encabezado {len(enc.nombres)}; "
                      "probablemente un texto con comas o saltos de línea sin comillas"}


def _lotes_tolerantes(ruta: Path, enc: Encabezado, desde: int, conceptos_validos: pa.Array, huellas: Huellas,
                      avance: Callable[[int], None], bloque_bytes: int = BLOQUE_BYTES) -> Iterator[Bloque]:
    """From row ``desde`` on, after Arrow met a row whose cell count differs from the header's.

    Arrow reads the file again (the rows before ``desde``, already yielded, are skipped) and
    hands each such row to a handler instead of stopping: read serially, it gives the row's
    number (header = 1, blank lines not counted, as everywhere here), so every good row keeps
    its own number. A bad row is rejected with its reason, or, for a programme row of the
    system export with one blank cell too many, put back under its header
    (:func:`realinear_programa`) and loaded in its place. The same result as the exact path
    (:func:`_lotes_exactos`), at Arrow's speed and memory; that path takes over if Arrow
    cannot number a row.
    """
    malas: dict[int, str] = {}

    def al_encontrar(fila) -> str:
        if fila.number is None:
            return "error"
        malas[int(fila.number)] = fila.text
        return "skip"

    tamano = ruta.stat().st_size
    siguiente, leidos = 2, 0  # next row number Arrow gives; bytes read (progress)
    emitido = desde  # rows before this one were yielded already

    juntos: list[pa.RecordBatch] = []  # read blocks put together up to ``bloque_bytes``, as on the fast path
    numeros_juntos: list[np.ndarray] = []

    def soltar() -> Iterator[_Tramo]:
        nonlocal emitido
        tabla = juntos[0] if len(juntos) == 1 else pa.Table.from_batches(juntos)
        numeros = numeros_juntos[0] if len(numeros_juntos) == 1 else np.concatenate(numeros_juntos)
        juntos.clear()
        numeros_juntos.clear()
        yield from _en_orden(tabla, numeros, malas, emitido, siguiente, ruta.name, enc)
        emitido = siguiente
        avance(leidos)

    def tramos() -> Iterator[_Tramo]:
        nonlocal siguiente, leidos
        lector = pacsv.open_csv(ruta, **_opciones_lectura(enc, bloque_bytes, invalid_row_handler=al_encontrar))
        por_tramo = max(1, bloque_bytes // BLOQUE_LECTURA)
        for lote in lector:
            numeros = _numeros_buenos(siguiente, lote.num_rows, malas)
            siguiente = int(numeros[-1]) + 1 if len(numeros) else siguiente
            leidos = min(tamano, leidos + min(bloque_bytes, BLOQUE_LECTURA))
            if siguiente <= emitido:
                continue
            juntos.append(lote)
            numeros_juntos.append(numeros)
            if len(juntos) >= por_tramo:
                yield from soltar()
        if juntos:
            yield from soltar()
        yield from _en_orden(None, np.empty(0, dtype="int64"), malas, emitido, None, ruta.name, enc)

    try:
        yield from _convertir_en_paralelo(tramos(), ruta.name, conceptos_validos, enc.dialecto, huellas,
                                          codificacion=enc.codificacion)
    except pa.ArrowInvalid:
        yield from _lotes_exactos(ruta, enc, emitido, conceptos_validos, huellas, avance)


def _numeros_buenos(desde: int, cuantas: int, malas: dict[int, str]) -> np.ndarray:
    """The numbers of ``cuantas`` good rows from ``desde`` on, skipping the bad rows' numbers."""
    conocidas = np.array(sorted(list(malas)), dtype="int64")  # a copy: Arrow's reading threads add to it
    saltadas = 0
    while True:
        fin = desde + cuantas + saltadas
        dentro = int(np.count_nonzero((conocidas >= desde) & (conocidas < fin)))
        if dentro == saltadas:
            break
        saltadas = dentro
    todos = np.arange(desde, desde + cuantas + saltadas, dtype="int64")
    return todos[~np.isin(todos, conocidas)] if saltadas else todos


def _en_orden(lote, numeros: np.ndarray, malas: dict[int, str], desde: int, hasta: int | None, archivo: str,
              enc: Encabezado) -> Iterator[_Tramo]:
    """The rows numbered ``desde`` ≤ n < ``hasta`` (None: to the end) of ``lote`` and of the bad rows, in order.

    A bad row is rejected (its entry goes with the next block) or, realigned, loaded as a
    block of one row where it lies, so duplicates are decided in file order as on the fast
    path.
    """
    if lote is not None and len(numeros) and numeros[0] < desde:
        corte = int(np.searchsorted(numeros, desde))
        lote, numeros = lote.slice(corte), numeros[corte:]
    propias = sorted(m for m in list(malas) if m >= desde and (hasta is None or m < hasta))
    rechazos: list[dict] = []
    inicio = 0

    def tramo(tabla, nums) -> _Tramo:
        listo = _Tramo(tabla, nums, tuple(rechazos))
        rechazos.clear()
        return listo

    for m in propias:
        celdas = next(csv.reader(io.StringIO(malas.pop(m)), delimiter=enc.separador), [])
        if len(celdas) == len(enc.nombres) + 1 and enc.dialecto is SISTEMA:
            celdas = realinear_programa(celdas, enc.nombres)
        if len(celdas) != len(enc.nombres):
            rechazos.append(_fila_mala(archivo, m, celdas, enc))
            continue
        corte = int(np.searchsorted(numeros, m))
        if corte > inicio:
            yield tramo(lote.slice(inicio, corte - inicio), numeros[inicio:corte])
        una = pa.table({c: pa.array([celdas[j] or None], pa.string()) for j, c in enumerate(enc.nombres)})
        yield tramo(una, np.array([m], dtype="int64"))
        inicio = corte
    if lote is not None and inicio < len(numeros):
        yield tramo(lote.slice(inicio), numeros[inicio:])
    elif rechazos:  # bad rows after the last good one
        yield tramo(None, np.empty(0, dtype="int64"))


def _procesar(lote, archivo: str, numeros: np.ndarray, conceptos_validos: pa.Array, dialecto: Dialecto,
              huellas: Huellas, codificacion: str) -> Bloque:
    """One block of the exact path, converted here and now (:func:`_convertir_tramo` without threads)."""
    return _convertir_tramo(_Tramo(lote, numeros), archivo, conceptos_validos, dialecto, huellas, None,
                            threading.Event(), None, codificacion)


class _Contador(io.RawIOBase):
    """A binary file that counts the bytes read (progress of the exact path)."""

    def __init__(self, crudo) -> None:
        self._crudo = crudo
        self.leidos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, destino) -> int:
        n = self._crudo.readinto(destino)
        self.leidos += n or 0
        return n


def _lotes_exactos(ruta: Path, enc: Encabezado, desde: int, conceptos_validos: pa.Array, huellas: Huellas,
                   avance: Callable[[int], None], filas_por_lote: int = FILAS_POR_LOTE) -> Iterator[Bloque]:
    """Exact path from row ``desde`` on: rows whose cell count differs from the header's are rejected
    with their reason; the good rows, with their own row numbers, go through
    :func:`convertir_bloque` in batches of ``filas_por_lote`` however many bad rows lie between them."""
    nombres = enc.nombres
    n = len(nombres)
    limite = csv.field_size_limit()
    csv.field_size_limit(max(limite, lectura.LIMITE_CAMPO * 4))  # a longer cell is refused below, in Spanish
    with open(ruta, "rb") as binario:
        contador = _Contador(binario)
        texto = io.TextIOWrapper(io.BufferedReader(contador), encoding=enc.codificacion, newline="")
        lector = csv.reader(texto, delimiter=enc.separador)
        registros = (fila for fila in lector if fila)  # blank lines are skipped, as Arrow does
        numero = desde
        try:
            next(registros, None)  # header
            for _ in range(desde - 2):
                next(registros, None)
            fin = False
            while not fin:
                corrida: list[list[str]] = []
                numeros: list[int] = []
                malas: list[dict] = []
                for fila in registros:
                    if len(fila) == n + 1 and enc.dialecto is SISTEMA:
                        fila = realinear_programa(fila, nombres)
                    if len(fila) == n and (error := lectura.celda_demasiado_larga(fila, ruta.name, numero,
                                                                                  nombres)) is not None:
                        raise error
                    if len(fila) != n:
                        malas.append({"archivo": ruta.name, "fila": numero, "columna": FILA_COMPLETA,
                                      "valor": enc.separador.join(fila)[:120],
                                      "motivo": f"la fila tiene {len(fila)} columnas y el encabezado {n}; "
                                                "probablemente un texto con comas o saltos de línea sin comillas"})
                    else:
                        corrida.append(fila)
                        numeros.append(numero)
                    numero += 1
                    if len(corrida) >= filas_por_lote:
                        break
                else:
                    fin = True
                if not corrida and not malas:
                    return
                tabla = pa.table({c: pa.array([f[j] or None for f in corrida], pa.string())
                                  for j, c in enumerate(nombres)})
                bloque = _procesar(tabla, ruta.name, np.array(numeros, dtype="int64"), conceptos_validos,
                                   enc.dialecto, huellas, enc.codificacion)
                if malas:
                    bloque.rechazos = pd.concat([bloque.rechazos.astype(object),
                                                 pd.DataFrame(malas, columns=COLUMNAS_RECHAZO)], ignore_index=True)
                    bloque.leidas += len(malas)
                avance(contador.leidos)
                yield bloque
        except csv.Error as exc:
            raise ErrorEntrada(f"el CSV está mal formado cerca de la fila {numero}: {exc}",
                               archivo=ruta.name, fila=numero) from exc
        finally:
            csv.field_size_limit(limite)


def realinear_programa(celdas: list[str], nombres: list[str]) -> list[str]:
    """A system-export programme row with one blank cell too many, put back under its header.

    The published SRFT system export (Zacatepec, FORTAMUN 2023) writes programme-level rows
    («1-Programa presupuestario») with one extra empty cell in the blank run between
    ``REINTEGRO`` and ``OBSERVACIONES(CAPTURA)``, which shifts the last columns. Such a row
    carries no partida or amount, so dropping one empty cell of that run is exact; any other
    row with a wrong cell count is returned unchanged (and rejected).
    """
    try:
        tipo, desde, hasta = (nombres.index(c) for c in ("TIPO_REGISTRO", "TIPO_GASTO", "OBSERVACIONES(CAPTURA)"))
    except ValueError:
        return celdas
    es_programa = re.match(r"\s*1(\D|$)", celdas[tipo]) or "programa" in celdas[tipo].lower()
    if not es_programa or any(c.strip() for c in celdas[desde:hasta + 2]):
        return celdas
    return celdas[:desde] + celdas[desde + 1:]


def leer_bloques(ruta: str | Path, bloque_bytes: int = BLOQUE_BYTES) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, int]]:
    """(partida rows as pandas, rejects and duplicates, rows read) per block, for validation and
    small files; ``rows read`` also counts programme-level rows and duplicates."""
    for b in leer_lotes(ruta, bloque_bytes):
        yield b.partidas.to_pandas(), b.rechazos, b.leidas


# --------------------------------------------------------------------------- selection


@dataclass
class SeleccionSRFT:
    """The rows of one fund, state and ciclo that make Anexo 1, plus carried-over money.

    Each partida comes from the last quarter that reports it (its cut, in ``trimestre``);
    ``trimestre`` is the latest cut used. ``cotejo_programa`` compares every programme-level
    row that carries amounts with the sum of its partidas (see :func:`cotejar_programas`).
    """

    corriente: pd.DataFrame
    arrastre: pd.DataFrame
    trimestre: int | None
    cotejo_programa: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the fund's rows of this state and year left out for their ``ESTATUS`` (:func:`estatus_srft`)
    no_validadas: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def cortes(self) -> list[int]:
        """The quarters the year's partidas were taken from (more than one: a partial last quarter)."""
        if self.corriente.empty:
            return []
        return sorted(int(t) for t in self.corriente["trimestre"].unique())


def _del_fondo(tabla: pd.DataFrame, cve_ent: str, ciclo: int, fondo: catalogos.Fondo,
               incluir_municipios: bool) -> pd.DataFrame:
    if tabla is None or tabla.empty:
        return pd.DataFrame(columns=ESQUEMA.names)
    t = tabla[(tabla["cve_ent"] == cve_ent) & (tabla["ciclo"] == ciclo)
              & (tabla["ramo"] == int(fondo.ramo)) & (tabla["modalidad_pp"] == fondo.modalidad_pp)]
    if not incluir_municipios:
        t = t[t["id_municipio"] == 0]
    return t


def clave_partida(filas: pd.DataFrame) -> pd.DataFrame:
    """The columns of :data:`CLAVE_PARTIDA` present in ``filas``, names normalised (:data:`CLAVE_TEXTO`).

    Two spellings of one executing agency («SERVICIOS DE SALUD», «Servicios de Salud ») give the
    same key, as names are compared everywhere else in the tool.
    """
    clave = filas[[c for c in CLAVE_PARTIDA if c in filas]].copy()
    for c in CLAVE_TEXTO:
        if c in clave:
            clave[c] = clave[c].map(normalizar)
    return clave


def ultimo_corte_por_partida(filas: pd.DataFrame) -> pd.DataFrame:
    """Each partida's rows from the last quarter in which that partida appears.

    Amounts are cumulative, so a partida's year is its latest report; quarters are never
    summed. When quarter 5 (the informe definitivo) covers only some partidas, the others
    keep their quarter-4 (or earlier) figures instead of vanishing from the year. Partidas
    are told apart by :func:`clave_partida` (names compared without case, accents or spaces).
    """
    if filas.empty:
        return filas
    clave = clave_partida(filas)
    ultimo = filas["trimestre"].groupby([clave[c] for c in clave.columns], dropna=False,
                                        sort=False).transform("max")
    return filas[filas["trimestre"] == ultimo]


def seleccionar(tabla: pd.DataFrame, cve_ent: str, ciclo: int, fondo: catalogos.Fondo,
                incluir_municipios: bool = False, programa: pd.DataFrame | None = None,
                no_validadas: pd.DataFrame | None = None) -> SeleccionSRFT:
    """Pick the fund's rows for a state and year, each partida from its last reported quarter.

    Rows with ``ciclo_recurso`` older than ``ciclo`` are returned apart as carried-over
    money, never mixed into the year's totals. ``programa`` (programme-level rows with
    amounts, from the store table :data:`TABLA_PROGRAMA`) is compared with its partidas.
    ``no_validadas`` (rows left out for their status, :data:`TABLA_NO_VALIDADAS`) are kept apart
    so the report can say which rows it left out and why.
    """
    t = _del_fondo(tabla, cve_ent, ciclo, fondo, incluir_municipios)
    fuera = (_del_fondo(no_validadas, cve_ent, ciclo, fondo, incluir_municipios).reset_index(drop=True)
             if no_validadas is not None and not no_validadas.empty else pd.DataFrame())
    if t.empty:
        return SeleccionSRFT(t, t, None, _cotejo_vacio(), fuera)
    elegidas = ultimo_corte_por_partida(t)
    cotejo = cotejar_programas(_del_fondo(programa, cve_ent, ciclo, fondo, incluir_municipios), t)
    return SeleccionSRFT(elegidas[elegidas["ciclo_recurso"] == ciclo].reset_index(drop=True),
                         elegidas[elegidas["ciclo_recurso"] < ciclo].reset_index(drop=True),
                         int(elegidas["trimestre"].max()), cotejo, fuera)


COLUMNAS_COTEJO = ["fila", *CLAVE_PROGRAMA, "municipio", "momento", "reportado", "calculado", "partidas"]


def _cotejo_vacio() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNAS_COTEJO)


def cotejar_programas(programa: pd.DataFrame, partidas: pd.DataFrame) -> pd.DataFrame:
    """Each amount of a programme-level row against the sum of its partidas (same ciclo, quarter,
    state, municipio, ciclo del recurso, programme and ejecutora): one row per row and moment.

    ``reportado`` is what the programme row says, ``calculado`` the sum of the partidas (0 when
    it has none), ``partidas`` how many rows were added. Moments the row leaves blank are not
    compared.
    """
    if programa is None or programa.empty:
        return _cotejo_vacio()
    largo = programa.melt(id_vars=["fila", *CLAVE_PROGRAMA, "municipio"], value_vars=MOMENTOS,
                          var_name="momento", value_name="reportado").dropna(subset=["reportado"])
    if largo.empty:
        return _cotejo_vacio()
    # names compared as everywhere else (clave_partida): «SERVICIOS DE SALUD» is «Servicios de Salud»
    clave = [f"_{c}" if c in CLAVE_TEXTO else c for c in CLAVE_PROGRAMA]
    normalizados = {f"_{c}": c for c in CLAVE_TEXTO if c in CLAVE_PROGRAMA}
    largo = largo.assign(**{k: largo[c].map(normalizar) for k, c in normalizados.items()})
    if partidas.empty:
        sumas = pd.DataFrame(columns=[*clave, "momento", "calculado", "partidas"])
    else:
        agrupado = partidas.assign(**{k: partidas[c].map(normalizar) for k, c in normalizados.items()}
                                   ).groupby(clave, dropna=False)
        sumas = agrupado[MOMENTOS].sum(min_count=1).reset_index().melt(
            id_vars=clave, value_vars=MOMENTOS, var_name="momento", value_name="calculado")
        sumas = sumas.merge(agrupado.size().rename("partidas").reset_index(), on=clave)
    t = largo.merge(sumas, on=[*clave, "momento"], how="left")
    t["calculado"] = pd.to_numeric(t["calculado"], errors="coerce").fillna(0.0).round(2)
    t["partidas"] = pd.to_numeric(t["partidas"], errors="coerce").fillna(0).astype(int)
    return t[COLUMNAS_COTEJO].sort_values(["fila", "momento"], kind="mergesort").reset_index(drop=True)


def resumen_cortes(filas: pd.DataFrame) -> pd.DataFrame:
    """Per quarter used (latest first): partidas taken from it, their concepts and amounts."""
    cols = ["trimestre", "partidas", "conceptos", *MOMENTOS_ANEXO1]
    if filas is None or filas.empty or "trimestre" not in filas:
        return pd.DataFrame(columns=cols)
    claves = clave_partida(filas)
    salida = []
    for trimestre, g in filas.groupby("trimestre"):
        fila = {"trimestre": int(trimestre), "partidas": len(claves.loc[g.index].drop_duplicates()),
                "conceptos": sorted(set(g["concepto"]))}
        fila.update({m: round(float(pd.to_numeric(g[m], errors="coerce").sum()), 2) for m in MOMENTOS_ANEXO1})
        salida.append(fila)
    return pd.DataFrame(salida, columns=cols).sort_values("trimestre", ascending=False).reset_index(drop=True)


def _nombre_trimestre(t: int) -> str:
    return f"trimestre {t}" + (" (informe definitivo)" if t == 5 else "")


def describir_cortes(filas: pd.DataFrame) -> str:
    """Which quarter each concept of Anexo 1 comes from, in one Spanish sentence ("" without rows)."""
    r = resumen_cortes(filas)
    if r.empty:
        return ""
    if len(r) == 1:
        return (f"Cifras del SRFT (SHCP) del {_nombre_trimestre(int(r['trimestre'].iloc[0]))}: los importes son "
                "acumulados, por lo que se toma el último corte reportado y los trimestres no se suman.")
    partes = [f"{_nombre_trimestre(int(x.trimestre))}: {x.partidas} partida(s), conceptos {', '.join(x.conceptos)}"
              for x in r.itertuples()]
    return ("Cifras del SRFT (SHCP) tomadas, para cada partida, del último trimestre que la reporta (los importes "
            "son acumulados y los trimestres no se suman); el último corte no cubre todas las partidas: "
            + "; ".join(partes) + ".")


def _lineas(filas: pd.DataFrame, maximo: int = 8) -> str:
    numeros = sorted(int(f) for f in filas["fila"].dropna())
    texto = ", ".join(str(f) for f in numeros[:maximo])
    return texto + (f" y {len(numeros) - maximo:,} más" if len(numeros) > maximo else "")


def resumen_no_validadas(filas: pd.DataFrame) -> pd.DataFrame:
    """Rows left out for their ``ESTATUS``, per raw file and status: rows, their line numbers and amounts."""
    cols = ["archivo", "estatus", "filas", "lineas", *MOMENTOS_ANEXO1]
    if filas is None or filas.empty or "estatus" not in filas:
        return pd.DataFrame(columns=cols)
    from asm_analysis.entradas.almacen import COLUMNA_FUENTE

    t = filas.assign(archivo=filas[COLUMNA_FUENTE] if COLUMNA_FUENTE in filas else "").fillna({"archivo": ""})
    salida = []
    for (archivo, estatus), g in t.groupby(["archivo", "estatus"], sort=True, dropna=False):
        fila = {"archivo": archivo, "estatus": estatus, "filas": len(g), "lineas": _lineas(g)}
        fila.update({m: round(float(pd.to_numeric(g[m], errors="coerce").sum()), 2) for m in MOMENTOS_ANEXO1})
        salida.append(fila)
    return pd.DataFrame(salida, columns=cols)


def describir_no_validadas(filas: pd.DataFrame) -> str:
    """The Anexo 1 note on SRFT rows left out for their ``ESTATUS`` ("" when none were)."""
    r = resumen_no_validadas(filas)
    if r.empty:
        return ""
    partes = [f"{int(x.filas)} con ESTATUS «{x.estatus}» (línea(s) {x.lineas}"
              + (f" de {x.archivo}" if x.archivo else "") + f"; modificado ${x.modificado:,.2f})"
              for x in r.itertuples()]
    total = int(r["filas"].sum())
    return (f"Se dejaron fuera del Anexo 1 {total} fila(s) de la exportación del sistema SRFT que no están validadas: "
            + "; ".join(partes) + ". Solo se suman las filas con ESTATUS «Validado»: una fila «Rechazado» fue devuelta "
            "por la SHCP y una «En captura» aún no se envía a revisión.")


def leer_estado(processed: Path, cve_ent: str, ciclo: int, fondo: catalogos.Fondo,
                incluir_municipios: bool = False) -> SeleccionSRFT | None:
    """The report's read path: one state's SRFT partition from the store, then :func:`seleccionar`.

    Only the state-level partition is read unless municipal rows are asked for, so the time
    does not depend on the size of the national file. ``None`` when the store has no rows.
    """
    from asm_analysis.entradas import almacen

    ambito = None if incluir_municipios else "estatal"
    filas = almacen.leer(processed, "srft", ciclo, cve_ent, ambito=ambito, con_fuente=True)
    fuera = almacen.leer(processed, TABLA_NO_VALIDADAS, ciclo, cve_ent, ambito=ambito, con_fuente=True)
    if filas.empty and fuera.empty:
        return None
    programa = almacen.leer(processed, TABLA_PROGRAMA, ciclo, cve_ent, ambito=ambito)
    return seleccionar(filas, cve_ent, ciclo, fondo, incluir_municipios, programa, fuera)
