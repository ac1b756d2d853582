"""SHCP open data: "Ejercicio del gasto" of federal resources transferred to states (SRFT).

National CSV, latin-1, one file per year, up to ~180 MB. It is read in blocks (bounded
memory) into a tidy table with COG roll-up; choosing the fund, state, last reported
quarter and separating carried-over money happens at read time (:func:`seleccionar`).

Quirks handled (DESIGN §3a): amounts are cumulative per quarter and ``MONTO_APROBADO``
repeats every quarter, so a year is read from its last reported ``TRIMESTRE`` (5, the
informe definitivo, when present) and quarters are never summed; ``ID_MUNICIPIO = 0`` is
state-level spending; ``CICLO_RECURSO < CICLO`` is money carried over from earlier years;
some years name a column ``PROGRAMA_FONDO_CONVENIO_ESPECIFICO``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import catalogs, parsing
from .carga import COLUMNAS_RECHAZO
from .errors import ErrorEntrada
from .texto import sin_acentos

COLUMNAS_SHCP = [
    "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MUNICIPIO",
    "ID_TIPO_DE_REGISTRO", "TIPO_DE_REGISTRO", "CICLO_RECURSO", "ID_TIPO_RECURSO", "TIPO_RECURSO",
    "ID_RAMO", "DESC_RAMO", "MODALIDAD_PP", "DESC_PP", "PROG_FONDO_CONVENIO_ESPECIFICO",
    "INSTITUCION_EJECUTORA", "ID_TIPO_GASTO", "DESC_TIPO_GASTO", "ID_PARTIDA_GENERICA",
    "DESC_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO",
    "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "OBSERVACIONES_CAPTURISTA",
]
VARIANTES_ENCABEZADO = {"PROGRAMA_FONDO_CONVENIO_ESPECIFICO": "PROG_FONDO_CONVENIO_ESPECIFICO"}
REQUERIDAS = ["CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "CICLO_RECURSO", "ID_RAMO",
              "MODALIDAD_PP", "ID_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO",
              "MONTO_DEVENGADO", "MONTO_PAGADO"]

MOMENTOS = ["aprobado", "modificado", "recaudado", "comprometido", "devengado", "ejercido", "pagado"]
ENTEROS = {"CICLO": "ciclo", "TRIMESTRE": "trimestre", "ID_MUNICIPIO": "id_municipio",
           "CICLO_RECURSO": "ciclo_recurso", "ID_RAMO": "ramo"}
TEXTOS = {"MUNICIPIO": "municipio", "MODALIDAD_PP": "modalidad_pp",
          "PROG_FONDO_CONVENIO_ESPECIFICO": "programa", "INSTITUCION_EJECUTORA": "ejecutora",
          "DESC_PARTIDA_GENERICA": "desc_partida"}

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

BLOQUE_BYTES = 4 << 20  # small blocks keep peak memory flat however large the file (measured)


def normalizar_columna_shcp(nombre: str) -> str:
    """``"ciclo "``/``"Ciclo"``/``"PROGRAMA_FONDO_CONVENIO_ESPECÍFICO"`` → contract name."""
    clave = sin_acentos(str(nombre)).strip().upper().replace(" ", "_").lstrip("\ufeff")
    return VARIANTES_ENCABEZADO.get(clave, clave)


def _numeros(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Slow path of money parsing (``$``, commas, apostrophes, parentheses, ``N/A``).

    Returns (values, mask of present-but-unreadable cells). Used only for the columns of a
    block that the fast Arrow cast could not read.
    """
    texto = serie.fillna("").astype(str).str.strip()
    faltante = texto.str.lower().isin(parsing.MISSING_TOKENS)
    negativo = texto.str.startswith("(") & texto.str.endswith(")")
    limpio = texto.str.replace(r"[\$,'\s\u00a0()]", "", regex=True)
    valores = pd.to_numeric(limpio.where(~faltante), errors="coerce")
    valores = valores.where(~negativo, -valores)
    # «1234,56» or «1.234,56» would read 100 times larger: commas only between groups of three
    agrupado = (texto.str.replace(r"[\$()]", "", regex=True).str.strip()
                .str.replace(r"^([+-])\s+", r"\1", regex=True).str.replace(r"[\s\u00a0']+", ",", regex=True))
    mal_agrupado = agrupado.str.contains(",", regex=False) & ~agrupado.str.match(parsing.MILES_RE.pattern)
    malos = (~faltante) & (valores.isna() | (valores.abs() > parsing.MONTO_MAXIMO) | mal_agrupado)
    return valores.where(~malos), malos


def _columna_numerica(col: pa.Array, entero: bool) -> tuple[pa.Array, np.ndarray]:
    """Cast a text column to numbers: Arrow's cast when the whole column is plain numbers,
    the tolerant parser otherwise. Returns (float64 values, bool mask of bad cells)."""
    try:
        valores = pc.cast(col, pa.float64())
        malos = pc.fill_null(pc.greater(pc.abs(valores), parsing.MONTO_MAXIMO), False)
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


def convertir_bloque(lote: pa.Table | pa.RecordBatch, archivo: str, primera_fila: int,
                     conceptos_validos: pa.Array) -> tuple[pa.Table, pd.DataFrame]:
    """Turn one block of raw SHCP rows (all text) into tidy rows and rejects.

    Vectorised with Arrow compute so a 180 MB national file streams in a few seconds; only
    the rejected rows (rare) are looked at one by one to write their reason.
    """
    n = lote.num_rows
    columnas = {nombre: lote.column(nombre) for nombre in lote.schema.names}
    if isinstance(lote, pa.Table):
        columnas = {k: v.combine_chunks() for k, v in columnas.items()}
    problemas: list[tuple[np.ndarray, str, str]] = []  # (mask, column, reason) in priority order
    # pc.add copies the row numbers into Arrow's memory: an array sharing NumPy's can abort the process
    # at exit when the dataset writer frees it late (see ingest._propia)
    filas = pc.add(pa.array(np.arange(primera_fila, primera_fila + n, dtype="int64")), 0)
    salida: dict[str, pa.Array] = {"fila": filas}

    for origen, destino in ENTEROS.items():
        valores, malos = _columna_numerica(columnas[origen], entero=True)
        problemas.append((malos, origen, f"«{origen}» debe ser un número entero"))
        salida[destino] = pc.cast(pc.fill_null(valores, 0), pa.int64(), safe=False)
    ent, malos = _columna_numerica(columnas["ID_ENTIDAD_FEDERATIVA"], entero=True)
    fuera = pc.fill_null(pc.or_(pc.less(ent, 1), pc.greater(ent, 32)), True).to_numpy(zero_copy_only=False)
    problemas.append((malos | fuera, "ID_ENTIDAD_FEDERATIVA", "la clave de entidad debe estar entre 1 y 32"))
    ent_txt = pc.cast(pc.cast(pc.fill_null(ent, 0), pa.int64(), safe=False), pa.string())
    salida["cve_ent"] = pc.utf8_lpad(ent_txt, width=2, padding="0")

    for origen, destino in TEXTOS.items():
        col = columnas.get(origen)
        salida[destino] = pc.fill_null(pc.utf8_trim_whitespace(col), "") if col is not None \
            else pa.array([""] * n, pa.string())
    salida["modalidad_pp"] = pc.replace_substring_regex(pc.utf8_upper(salida["modalidad_pp"]), r"[\s\-]", "")

    partida = pc.fill_null(pc.utf8_trim_whitespace(columnas["ID_PARTIDA_GENERICA"]), "")
    partida = pc.replace_substring_regex(partida, r"\.0+$", "")
    concepto = pc.binary_join_element_wise(pc.utf8_slice_codeunits(partida, 0, 2), "00", "")
    forma = pc.match_substring_regex(partida, r"^[1-9][0-9]{2,4}$")
    valida = pc.and_(forma, pc.is_in(concepto, value_set=conceptos_validos))
    problemas.append((pc.invert(valida).to_numpy(zero_copy_only=False), "ID_PARTIDA_GENERICA",
                      "la partida no corresponde a ningún concepto del Clasificador por Objeto del Gasto"))
    salida["partida"] = partida
    salida["concepto"] = concepto
    salida["capitulo"] = pc.binary_join_element_wise(pc.utf8_slice_codeunits(partida, 0, 1), "000", "")

    for momento in MOMENTOS:
        origen = f"MONTO_{momento.upper()}"
        if origen in columnas:
            valores, malos = _columna_numerica(columnas[origen], entero=False)
            problemas.append((malos, origen, f"«{origen}» no es un importe válido (use punto decimal, sin letras, "
                                              f"y hasta {parsing.MONTO_MAXIMO:,.0f})"))
            salida[momento] = pc.if_else(pa.array(malos), pa.scalar(None, pa.float64()), valores)
        else:
            salida[momento] = pa.nulls(n, pa.float64())

    salida["ambito"] = pc.if_else(pc.equal(salida["id_municipio"], 0), "estatal", "municipal")
    rechazada = np.zeros(n, dtype=bool)
    for malos, _, _ in problemas:
        rechazada |= malos
    tidy = pa.table([salida[f.name] for f in ESQUEMA], schema=ESQUEMA)
    if not rechazada.any():
        return tidy, pd.DataFrame(columns=COLUMNAS_RECHAZO)
    filas = []
    for i in np.flatnonzero(rechazada):
        malos, columna, motivo = next(p for p in problemas if p[0][i])
        valor = columnas[columna][int(i)].as_py() if columna in columnas else None
        filas.append({"archivo": archivo, "fila": primera_fila + int(i), "columna": columna,
                      "valor": "" if valor is None else str(valor), "motivo": motivo})
    return tidy.filter(pa.array(~rechazada)), pd.DataFrame(filas, columns=COLUMNAS_RECHAZO)


def leer_encabezado(ruta: Path) -> tuple[list[str], str, str]:
    """Header names (normalised), encoding and separator; raises if it is not an SRFT file."""
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    if ruta.stat().st_size == 0:
        raise ErrorEntrada("el archivo está vacío", archivo=ruta.name)
    parsing.comprobar_texto(ruta)
    codificacion = parsing.detectar_codificacion(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        primera = f.readline()
    separador = parsing.detectar_separador(primera)
    nombres = [normalizar_columna_shcp(c.strip().strip('"')) for c in primera.rstrip("\r\n").split(separador)]
    faltan = [c for c in REQUERIDAS if c not in nombres]
    if faltan:
        raise ErrorEntrada(f"no tiene el formato del SRFT de SHCP: faltan las columnas {', '.join(faltan)}",
                           archivo=ruta.name, fila=1, columna=faltan[0])
    if len(set(nombres)) != len(nombres):
        repetidas = sorted({c for c in nombres if nombres.count(c) > 1})
        raise ErrorEntrada(f"el encabezado repite las columnas {', '.join(repetidas)}", archivo=ruta.name, fila=1)
    return nombres, codificacion, separador


def leer_lotes(ruta: str | Path, bloque_bytes: int = BLOQUE_BYTES) -> Iterator[tuple[pa.Table, pd.DataFrame, int]]:
    """Stream an SRFT CSV as (tidy Arrow block, rejects, rows read) with bounded memory."""
    ruta = Path(ruta)
    nombres, codificacion, separador = leer_encabezado(ruta)
    conceptos_validos = pa.array(sorted(catalogs.conceptos()["concepto"]))
    siguiente = 2
    try:
        lector = pacsv.open_csv(
            ruta,
            read_options=pacsv.ReadOptions(column_names=nombres, skip_rows=1, block_size=bloque_bytes,
                                           encoding="utf8" if codificacion.startswith("utf") else "latin1"),
            parse_options=pacsv.ParseOptions(delimiter=separador, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in nombres},
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
        for lote in lector:
            tidy, rechazos = convertir_bloque(lote, ruta.name, siguiente, conceptos_validos)
            siguiente += lote.num_rows
            yield tidy, rechazos, lote.num_rows
    except pa.ArrowInvalid:
        # A row with more or fewer cells than the header (a text with unquoted commas): the blocks
        # already yielded are whole and in order, so the rest is read exactly, row by row.
        yield from _lotes_fila_a_fila(ruta, nombres, codificacion, separador, siguiente, conceptos_validos)


def _lotes_fila_a_fila(ruta: Path, nombres: list[str], codificacion: str, separador: str, desde: int,
                       conceptos_validos: pa.Array, filas_por_lote: int = 50_000):
    """Slow, exact path from row ``desde`` on: rows whose cell count differs from the header's
    are rejected with their reason; runs of good rows go through :func:`convertir_bloque`."""
    n = len(nombres)
    with open(ruta, encoding=codificacion, newline="") as f:
        lector = csv.reader(f, delimiter=separador)
        registros = (fila for fila in lector if fila)  # blank lines are skipped, as Arrow does
        try:
            next(registros, None)  # header
            for _ in range(desde - 2):
                next(registros, None)
            numero = desde
            while True:
                corrida: list[list[str]] = []
                inicio = numero
                malas: list[dict] = []
                for fila in registros:
                    if len(fila) != n:
                        malas.append({"archivo": ruta.name, "fila": numero, "columna": "(fila completa)",
                                      "valor": separador.join(fila)[:120],
                                      "motivo": f"la fila tiene {len(fila)} columnas y el encabezado {n}; "
                                                "probablemente un texto con comas o saltos de línea sin comillas"})
                        numero += 1
                        break
                    corrida.append(fila)
                    numero += 1
                    if len(corrida) >= filas_por_lote:
                        break
                if not corrida and not malas:
                    return
                tabla = pa.table({c: pa.array([f[j] or None for f in corrida], pa.string())
                                  for j, c in enumerate(nombres)})
                tidy, rechazos = convertir_bloque(tabla, ruta.name, inicio, conceptos_validos)
                if malas:
                    rechazos = pd.concat([rechazos, pd.DataFrame(malas, columns=COLUMNAS_RECHAZO)],
                                         ignore_index=True)
                yield tidy, rechazos, len(corrida) + len(malas)
        except csv.Error as exc:
            raise ErrorEntrada(f"el CSV está mal formado cerca de la fila {numero}: {exc}",
                               archivo=ruta.name, fila=numero) from exc


def leer_bloques(ruta: str | Path, bloque_bytes: int = BLOQUE_BYTES) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, int]]:
    """Like :func:`leer_lotes` with pandas blocks (for validation and small files)."""
    for tidy, rechazos, leidas in leer_lotes(ruta, bloque_bytes):
        yield tidy.to_pandas(), rechazos, leidas


@dataclass
class SeleccionSRFT:
    """The rows of one fund, state and ciclo that make Anexo 1, plus carried-over money."""

    corriente: pd.DataFrame
    arrastre: pd.DataFrame
    trimestre: int | None


def seleccionar(tabla: pd.DataFrame, cve_ent: str, ciclo: int, fondo: catalogs.Fondo,
                incluir_municipios: bool = False) -> SeleccionSRFT:
    """Pick the fund's rows for a state and year from the last reported quarter.

    The quarter is chosen once for the fund in that state and year (5 when present):
    amounts are cumulative, so summing quarters would count money several times.
    Rows with ``ciclo_recurso`` older than ``ciclo`` are returned apart as carried-over
    money, never mixed into the year's totals.
    """
    t = tabla[(tabla["cve_ent"] == cve_ent) & (tabla["ciclo"] == ciclo)
              & (tabla["ramo"] == int(fondo.ramo)) & (tabla["modalidad_pp"] == fondo.modalidad_pp)]
    if not incluir_municipios:
        t = t[t["id_municipio"] == 0]
    if t.empty:
        return SeleccionSRFT(t, t, None)
    trimestre = int(t["trimestre"].max())
    t = t[t["trimestre"] == trimestre]
    return SeleccionSRFT(t[t["ciclo_recurso"] == ciclo].reset_index(drop=True),
                         t[t["ciclo_recurso"] < ciclo].reset_index(drop=True), trimestre)


def leer_estado(processed: Path, cve_ent: str, ciclo: int, fondo: catalogs.Fondo,
                incluir_municipios: bool = False) -> SeleccionSRFT | None:
    """The report's read path: one state's SRFT partition from the store, then :func:`seleccionar`.

    Only the state-level partition is read unless municipal rows are asked for, so the time
    does not depend on the size of the national file. ``None`` when the store has no rows.
    """
    from . import almacen

    filas = almacen.leer(processed, "srft", ciclo, cve_ent, ambito=None if incluir_municipios else "estatal")
    return seleccionar(filas, cve_ent, ciclo, fondo, incluir_municipios) if not filas.empty else None
