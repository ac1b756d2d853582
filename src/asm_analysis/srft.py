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

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
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
])

BLOQUE_BYTES = 16 << 20


def normalizar_columna_shcp(nombre: str) -> str:
    """``"ciclo "``/``"Ciclo"``/``"PROGRAMA_FONDO_CONVENIO_ESPECÍFICO"`` → contract name."""
    clave = sin_acentos(str(nombre)).strip().upper().replace(" ", "_").lstrip("\ufeff")
    return VARIANTES_ENCABEZADO.get(clave, clave)


def _numeros(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised money parsing; returns (values, mask of present-but-unreadable cells)."""
    texto = serie.fillna("").astype(str).str.strip()
    faltante = texto.str.lower().isin(parsing.MISSING_TOKENS)
    negativo = texto.str.startswith("(") & texto.str.endswith(")")
    limpio = texto.str.replace(r"[\$,'\s\u00a0()]", "", regex=True)
    valores = pd.to_numeric(limpio.where(~faltante), errors="coerce")
    valores = valores.where(~negativo, -valores)
    malos = (~faltante) & (valores.isna() | (valores.abs() > parsing.MONTO_MAXIMO))
    return valores.where(~malos), malos


def _enteros(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    valores, malos = _numeros(serie)
    fraccion = valores.notna() & (valores != valores.round())
    return valores, malos | fraccion | valores.isna()


def convertir_bloque(df: pd.DataFrame, archivo: str, primera_fila: int,
                     conceptos_validos: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn one block of raw SHCP rows (all text) into tidy rows and rejects."""
    n = len(df)
    fila = pd.Series(np.arange(primera_fila, primera_fila + n), index=df.index)
    problemas = pd.Series([""] * n, index=df.index, dtype=object)
    columna_mala = pd.Series([""] * n, index=df.index, dtype=object)
    valor_malo = pd.Series([""] * n, index=df.index, dtype=object)

    def marcar(mascara: pd.Series, columna: str, motivo: str) -> None:
        nuevos = mascara & (problemas == "")
        problemas[nuevos] = motivo
        columna_mala[nuevos] = columna
        valor_malo[nuevos] = df.loc[nuevos, columna].fillna("").astype(str) if columna in df else ""

    salida = pd.DataFrame({"fila": fila})
    for origen, destino in ENTEROS.items():
        valores, malos = _enteros(df[origen])
        marcar(malos, origen, f"«{origen}» debe ser un número entero")
        salida[destino] = valores.fillna(0).astype("int64")
    ent, malos = _enteros(df["ID_ENTIDAD_FEDERATIVA"])
    fuera = ~malos & ~ent.between(1, 32)
    marcar(malos | fuera, "ID_ENTIDAD_FEDERATIVA", "la clave de entidad debe estar entre 1 y 32")
    salida["cve_ent"] = ent.fillna(0).astype("int64").astype(str).str.zfill(2)
    for origen, destino in TEXTOS.items():
        salida[destino] = df[origen].fillna("").astype(str).str.strip() if origen in df else ""
    salida["modalidad_pp"] = salida["modalidad_pp"].str.upper().str.replace(r"[\s\-]", "", regex=True)
    partida = df["ID_PARTIDA_GENERICA"].fillna("").astype(str).str.strip().str.replace(r"\.0+$", "", regex=True)
    concepto = partida.str[:2] + "00"
    forma_mala = ~partida.str.fullmatch(r"[1-9]\d{2,4}")
    marcar(forma_mala | ~concepto.isin(conceptos_validos), "ID_PARTIDA_GENERICA",
           "la partida no corresponde a ningún concepto del Clasificador por Objeto del Gasto")
    salida["partida"] = partida
    salida["concepto"] = concepto
    salida["capitulo"] = partida.str[:1] + "000"
    for momento in MOMENTOS:
        origen = f"MONTO_{momento.upper()}"
        if origen in df:
            valores, malos = _numeros(df[origen])
            marcar(malos, origen, f"«{origen}» no es un importe válido")
            salida[momento] = valores.astype("float64")
        else:
            salida[momento] = np.nan
    rechazada = problemas != ""
    rechazos = pd.DataFrame({
        "archivo": archivo, "fila": fila[rechazada], "columna": columna_mala[rechazada],
        "valor": valor_malo[rechazada], "motivo": problemas[rechazada],
    }, columns=COLUMNAS_RECHAZO)
    tidy = salida[~rechazada].reset_index(drop=True)
    return tidy[[f.name for f in ESQUEMA]], rechazos


def leer_encabezado(ruta: Path) -> tuple[list[str], str]:
    """Header names (normalised) and encoding; raises if the file is not an SRFT file."""
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    if ruta.stat().st_size == 0:
        raise ErrorEntrada("el archivo está vacío", archivo=ruta.name)
    codificacion = parsing.detectar_codificacion(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        primera = f.readline()
    separador = parsing.detectar_separador(primera)
    nombres = [normalizar_columna_shcp(c.strip().strip('"')) for c in primera.rstrip("\r\n").split(separador)]
    faltan = [c for c in REQUERIDAS if c not in nombres]
    if faltan:
        raise ErrorEntrada(f"no tiene el formato del SRFT de SHCP: faltan las columnas {', '.join(faltan)}",
                           archivo=ruta.name, fila=1, columna=faltan[0])
    return nombres, codificacion


def leer_bloques(ruta: str | Path, bloque_bytes: int = BLOQUE_BYTES) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, int]]:
    """Stream an SRFT CSV as (tidy block, rejects block, rows read) with bounded memory."""
    ruta = Path(ruta)
    nombres, codificacion = leer_encabezado(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        separador = parsing.detectar_separador(f.readline())
    lector = pacsv.open_csv(
        ruta,
        read_options=pacsv.ReadOptions(column_names=nombres, skip_rows=1, block_size=bloque_bytes,
                                       encoding="utf8" if codificacion.startswith("utf") else "latin1"),
        parse_options=pacsv.ParseOptions(delimiter=separador, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in nombres},
                                             strings_can_be_null=True, quoted_strings_can_be_null=True),
    )
    conceptos_validos = set(catalogs.conceptos()["concepto"])
    siguiente = 2
    for lote in lector:
        df = lote.to_pandas()
        tidy, rechazos = convertir_bloque(df, ruta.name, siguiente, conceptos_validos)
        siguiente += len(df)
        yield tidy, rechazos, len(df)


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
