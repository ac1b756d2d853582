"""The SRFT «Ejercicio del gasto» as the Excel export with readable headers (third dialect).

The export a state or municipal executing agency downloads from the SRFT as a workbook
(``Entidad | Municipio | Tipo de Registro | Ciclo de Recurso | … | Partida | Aprobado | … |
Pagado SHCP | Pagado EF | ESTATUS | Observaciones (Captura)``), or that sheet saved as CSV,
is rewritten here under the national column names and then goes through the same
conversion as the other two dialects (:func:`srft.convertir_bloque`): the same checks, the
same rejects, the same programme-row rule.

What this shape lacks, and how it is filled (the README says it to the user):

- **ciclo and quarter.** The table has no ``CICLO`` nor ``TRIMESTRE`` column. The quarter is
  read from the file name (``4tri_…``, ``…_T4``, ``trimestre 4``, ``definitivo`` = 5) and the
  file is refused when the name does not say it; the ciclo is the year in the file name, else
  the latest «Ciclo de Recurso» of its rows (money of earlier years is carried over).
- **state and municipality keys.** «Entidad» holds the state's name (resolved with the
  catalogue; an unknown name rejects the row). «Municipio» holds a name: blank, «Gobierno de
  la Entidad», «Sin Especificar» or ``N/A`` mean state-level spending (``ID_MUNICIPIO = 0``);
  any other name is municipal spending and gets a negative key derived from the name (stable
  across files, never an INEGI key), only to keep municipalities apart.
- **partida and tipo de gasto** come as ``"311 - Energía eléctrica"`` and ``"1 - Gasto corriente"``.
- **the programme row carries totals** («Total del Programa Presupuestario», ejecutora «Sin
  Especificar»): it is never added to Anexo 1 and is compared with its partidas
  (``A1-SRFT-PROGRAMA``); its «Sin Especificar» ejecutora is read as the ejecutora of its
  partidas when they have only one.
- **«Pagado SHCP» and «Pagado EF»** are not «Pagado» and are not read into any moment: in the
  one real export seen the programme row has ``N/A`` and the recaudado (25,139,736) in them and
  every partida has ``N/A``; which is which is not documented by the SHCP.
- **«ESTATUS»** («Validado»…) is passed on under its own name, as in the system export.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import sin_acentos
from asm_analysis.entradas import catalogos, exportacion, srft
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO

#: The header of the export, verbatim and in order (Huehuetán, FORTAMUN 2020, 4th quarter).
COLUMNAS = [
    "Entidad", "Municipio", "Tipo de Registro", "Ciclo de Recurso", "Tipo de Recurso", "Descripción Ramo",
    "Clave Ramo", "Descripción Programa", "Clave Programa", "Programa Fondo Convenio - Específico",
    "Dependencia Ejecutora", "Rendimiento Financiero", "Reintegro", "Tipo de Gasto", "Partida", "Aprobado",
    "Modificado", "Recaudado (Ministrado)", "Comprometido", "Devengado", "Ejercido", "Pagado", "Contratos",
    "Proyectos", "Pagado SHCP", "Pagado EF", "ESTATUS", "Observaciones (Captura)",
]
#: National (contract) column → column of this export. ``CICLO`` and ``TRIMESTRE`` come from the
#: file name; ``ID_ENTIDAD_FEDERATIVA`` and ``ID_MUNICIPIO`` from the names in «Entidad» and «Municipio».
ORIGEN = {
    "CICLO": "(nombre del archivo)", "TRIMESTRE": "(nombre del archivo)", "ID_ENTIDAD_FEDERATIVA": "Entidad",
    "ENTIDAD_FEDERATIVA": "Entidad", "ID_MUNICIPIO": "Municipio", "MUNICIPIO": "Municipio",
    "TIPO_DE_REGISTRO": "Tipo de Registro", "CICLO_RECURSO": "Ciclo de Recurso", "TIPO_RECURSO": "Tipo de Recurso",
    "DESC_RAMO": "Descripción Ramo", "ID_RAMO": "Clave Ramo", "DESC_PP": "Descripción Programa",
    "MODALIDAD_PP": "Clave Programa", "PROG_FONDO_CONVENIO_ESPECIFICO": "Programa Fondo Convenio - Específico",
    "INSTITUCION_EJECUTORA": "Dependencia Ejecutora", "ID_TIPO_GASTO": "Tipo de Gasto",
    "DESC_TIPO_GASTO": "Tipo de Gasto", "ID_PARTIDA_GENERICA": "Partida", "DESC_PARTIDA_GENERICA": "Partida",
    "MONTO_APROBADO": "Aprobado", "MONTO_MODIFICADO": "Modificado", "MONTO_RECAUDADO": "Recaudado (Ministrado)",
    "MONTO_COMPROMETIDO": "Comprometido", "MONTO_DEVENGADO": "Devengado", "MONTO_EJERCIDO": "Ejercido",
    "MONTO_PAGADO": "Pagado", "OBSERVACIONES_CAPTURISTA": "Observaciones (Captura)", "ESTATUS": "ESTATUS",
}
REQUERIDAS = ("Entidad", "Municipio", "Tipo de Registro", "Ciclo de Recurso", "Clave Ramo", "Clave Programa",
              "Dependencia Ejecutora", "Partida", "Aprobado", "Modificado", "Devengado", "Pagado")
_REQUERIDAS_CLAVE = tuple(exportacion.clave(c) for c in REQUERIDAS)

#: What «Municipio» says for spending of the state government itself (compared by :func:`exportacion.clave`).
ESTATALES = frozenset({"", "gobierno de la entidad", "gobierno del estado", "sin especificar", "n a", "na",
                       "no aplica", "estatal"})
SIN_EJECUTORA = frozenset({"", "sin especificar", "n a", "na"})


def es_encabezado(claves: list[str]) -> bool:
    return all(c in claves for c in _REQUERIDAS_CLAVE)


def faltantes(claves: list[str]) -> list[str]:
    return [c for c, k in zip(REQUERIDAS, _REQUERIDAS_CLAVE) if k not in claves]


def parece(claves: list[str]) -> bool:
    """Whether a header row looks like this export (most of its required columns present)."""
    return len(faltantes(claves)) <= len(REQUERIDAS) // 2


# --------------------------------------------------------------------------- period from the file name

_DEFINITIVO = re.compile(r"definitiv")
_TRIMESTRE = [
    re.compile(r"(?<!\d)([1-5])\s*(?:er|do|ro|to|o)?[\s._\-]*tri(?:m|mestre)?(?![a-z])"),  # 4tri, 4to trimestre
    re.compile(r"(?<![a-z])trim(?:estre)?[\s._\-]*([1-5])(?!\d)"),                       # trimestre_4, trim4
    re.compile(r"(?<![a-z])t([1-5])(?!\d)"),                                              # _T4, 2024T4
    re.compile(r"(?<!\d)([1-5])t(?![a-z])"),                                              # 4T_2024
]
_ANIO = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def trimestre_del_nombre(nombre: str) -> int | None:
    """The quarter a file name states (5 for the informe definitivo), ``None`` when it states none.

    Refuses (``ErrorEntrada``) a name that states two different quarters.
    """
    texto = sin_acentos(Path(nombre).stem).lower()
    hallados = {int(m) for patron in _TRIMESTRE for m in patron.findall(texto)}
    if _DEFINITIVO.search(texto):
        hallados.add(5)
    if len(hallados) > 1:
        raise ErrorEntrada(f"el nombre del archivo menciona varios trimestres ({', '.join(map(str, sorted(hallados)))}); "
                           "deje solo el del corte que contiene (por ejemplo «…_T4.xlsx»)", archivo=nombre)
    return hallados.pop() if hallados else None


def ciclo_del_nombre(nombre: str) -> int | None:
    anios = {int(a) for a in _ANIO.findall(Path(nombre).stem)}
    if len(anios) > 1:
        raise ErrorEntrada(f"el nombre del archivo menciona varios años ({', '.join(map(str, sorted(anios)))}); deje "
                           "solo el ejercicio fiscal que reporta", archivo=nombre)
    return anios.pop() if anios else None


# --------------------------------------------------------------------------- reading


def leer_tabla(ruta: str | Path) -> exportacion.TablaExportada:
    """The export's table (its sheet in an xlsx; the CSV as saved), refused when it is not this export."""
    def falta(candidatas: list[list[str]]) -> str:
        mejor = min((faltantes(c) for c in candidatas), key=len, default=list(REQUERIDAS))
        return (f"no tiene el formato de la exportación en Excel del SRFT (ejercicio del gasto): faltan las "
                f"columnas {', '.join(mejor)}")

    return exportacion.leer_tabla(ruta, es_encabezado, falta)


def municipio_clave(nombre: str | None) -> int:
    """0 for state-level spending; else a negative key derived from the name (not an INEGI key)."""
    k = exportacion.clave(nombre)
    if k in ESTATALES:
        return 0
    return -(zlib.crc32(k.encode("utf-8")) % 999_983 + 1)


def _codigo_y_nombre(texto: str | None) -> tuple[str | None, str | None]:
    """``"311 - Energía eléctrica"`` → (``"311"``, ``"Energía eléctrica"``); a bare code or text as is."""
    if texto is None:
        return None, None
    m = re.match(r"^\s*(\d+(?:\.0+)?)\s*(?:[-–—]\s*(.*))?$", texto, flags=re.S)
    if m:
        return re.sub(r"\.0+$", "", m[1]), (m[2] or "").strip() or None
    return None, texto.strip()



def periodo(tabla: exportacion.TablaExportada, ruta: Path) -> tuple[int, int, str]:
    """(ciclo, trimestre, where the ciclo came from) of an export, refused when the name gives no quarter."""
    trimestre = trimestre_del_nombre(ruta.name)
    if trimestre is None:
        raise ErrorEntrada("la exportación en Excel del SRFT no trae columna de trimestre y el nombre del archivo no lo "
                           "dice; agregue el trimestre al nombre (por ejemplo «ejercicio_FASSA_2024_T4.xlsx», o "
                           "«definitivo» para el informe definitivo)", archivo=ruta.name, hoja=tabla.hoja)
    ciclo = ciclo_del_nombre(ruta.name)
    if ciclo is not None:
        return ciclo, trimestre, "nombre del archivo"
    pos = tabla.posiciones().get(exportacion.clave("Ciclo de Recurso"))
    anios = []
    for _, celdas in tabla.filas:
        valor = celdas[pos] if pos is not None and pos < len(celdas) else None
        if valor is not None and re.fullmatch(r"\s*20\d{2}(\.0+)?\s*", valor):
            anios.append(int(float(valor)))
    if not anios:
        raise ErrorEntrada("la exportación en Excel del SRFT no trae columna de ciclo, el nombre del archivo no dice el "
                           "año y ninguna fila tiene «Ciclo de Recurso»; agregue el año al nombre del archivo",
                           archivo=ruta.name, hoja=tabla.hoja)
    return max(anios), trimestre, "mayor «Ciclo de Recurso» de sus filas"


#: :data:`srft.LEGIBLE` naming, in messages, the columns the user sees.
DIALECTO = dataclasses.replace(srft.LEGIBLE, origen=ORIGEN)


def _contrato(tabla: exportacion.TablaExportada, ciclo: int, trimestre: int
              ) -> tuple[dict[str, list], list[int], list[dict]]:
    """The rows under national column names (text), their row numbers, and rows refused before conversion."""
    pos = tabla.posiciones()

    def celda(celdas: list, nombre: str) -> str | None:
        i = pos.get(exportacion.clave(nombre))
        return celdas[i] if i is not None and i < len(celdas) else None

    estados: dict[str, str | None] = {}
    columnas: dict[str, list] = {c: [] for c in [*srft.COLUMNAS_SHCP, "ESTATUS"]}
    numeros: list[int] = []
    malas: list[dict] = []
    for numero, celdas in tabla.filas:
        entidad = celda(celdas, "Entidad")
        if entidad not in estados:
            try:
                estados[entidad] = catalogos.resolver_estado(entidad).cve_ent if entidad else None
            except ErrorEntrada:
                estados[entidad] = None
        cve = estados[entidad]
        if cve is None:
            try:
                clave = (int(float(celda(celdas, "Clave Ramo") or "")),
                         re.sub(r"[\s\-]", "", celda(celdas, "Clave Programa") or "").upper())
            except ValueError:
                clave = None
            malas.append({"archivo": tabla.lugar, "fila": numero, "columna": "Entidad", "valor": entidad or "",
                          "motivo": "«Entidad» debe ser el nombre de una entidad federativa (por ejemplo «Chiapas»)",
                          "ciclo": str(ciclo), "cve_ent": "",
                          "fondo": srft._fondos_por_programa().get(clave, "") if clave else ""})
            continue
        municipio = celda(celdas, "Municipio")
        partida, desc_partida = _codigo_y_nombre(celda(celdas, "Partida"))
        tipo_gasto, desc_tipo = _codigo_y_nombre(celda(celdas, "Tipo de Gasto"))
        fila = {
            "CICLO": str(ciclo), "TRIMESTRE": str(trimestre), "ID_ENTIDAD_FEDERATIVA": str(int(cve)),
            "ENTIDAD_FEDERATIVA": entidad, "ID_MUNICIPIO": str(municipio_clave(municipio)), "MUNICIPIO": municipio,
            "ID_TIPO_GASTO": tipo_gasto, "DESC_TIPO_GASTO": desc_tipo,
            "ID_PARTIDA_GENERICA": partida if partida is not None else celda(celdas, "Partida"),
            "DESC_PARTIDA_GENERICA": desc_partida,
        }
        for contrato, origen in ORIGEN.items():
            if contrato not in fila:
                fila[contrato] = celda(celdas, origen)
        for c in columnas:
            columnas[c].append(fila.get(c))
        numeros.append(numero)
    _ejecutora_de_programa(columnas)
    return columnas, numeros, malas


def _ejecutora_de_programa(columnas: dict[str, list]) -> None:
    """A programme row's «Sin Especificar» ejecutora → the one ejecutora of its partidas (in place).

    The programme row is compared with the partidas of the same ejecutora; when its partidas
    have several, it keeps «Sin Especificar» (the comparison then finds no partidas).
    """
    clave = ["ID_MUNICIPIO", "CICLO_RECURSO", "ID_RAMO", "MODALIDAD_PP"]
    n = len(columnas["CICLO"])
    es_prog = [bool(re.match(r"\s*(1(\D|$)|programa)", (t or ""), flags=re.I)) and "partida" not in (t or "").lower()
               for t in columnas["TIPO_DE_REGISTRO"]]
    ejecutoras: dict[tuple, set] = {}
    for i in range(n):
        if not es_prog[i]:
            ejecutoras.setdefault(tuple(columnas[c][i] for c in clave), set()).add(columnas["INSTITUCION_EJECUTORA"][i])
    for i in range(n):
        if es_prog[i] and exportacion.clave(columnas["INSTITUCION_EJECUTORA"][i]) in SIN_EJECUTORA:
            propias = ejecutoras.get(tuple(columnas[c][i] for c in clave), set())
            if len(propias) == 1:
                columnas["INSTITUCION_EJECUTORA"][i] = next(iter(propias))


def leer_lotes(ruta: str | Path, avance: Callable[[int], None] | None = None) -> Iterator[srft.Bloque]:
    """The whole export as one :class:`srft.Bloque` (an entity's export is small), every row accounted for.

    ``leidas`` counts every non-blank row under the header; rows whose «Entidad» is not a
    state are rejected here, the others by the common conversion.
    """
    ruta = Path(ruta)
    tabla = leer_tabla(ruta)
    ciclo, trimestre, _ = periodo(tabla, ruta)
    columnas, numeros, malas = _contrato(tabla, ciclo, trimestre)
    lote = pa.table({c: pa.array(v, pa.string()) for c, v in columnas.items()})
    conceptos_validos = pa.array(sorted(catalogos.conceptos()["concepto"]))
    huellas = srft.Huellas()
    filas = np.array(numeros, dtype="int64")
    textos = srft._textos_fila(lote)
    repite = huellas.marcar(textos, filas)
    bloque = srft.convertir_bloque(lote, tabla.lugar, filas, conceptos_validos, DIALECTO, repite, textos)
    if malas:
        bloque.rechazos = pd.concat([bloque.rechazos.astype(object), pd.DataFrame(malas, columns=COLUMNAS_RECHAZO)],
                                    ignore_index=True).sort_values("fila", kind="mergesort").reset_index(drop=True)
        bloque.leidas += len(malas)
    if avance is not None:
        avance(ruta.stat().st_size)
    yield bloque


def describir(ruta: str | Path) -> str:
    """What ``validate`` says it recognised in an export of this shape."""
    ruta = Path(ruta)
    tabla = leer_tabla(ruta)
    ciclo, trimestre, origen = periodo(tabla, ruta)
    donde = f", hoja «{tabla.hoja}»" if tabla.hoja else ", guardada como CSV"
    return (f"exportación en Excel del SRFT, ejercicio del gasto con encabezados legibles{donde} (encabezado en la "
            f"fila {tabla.fila_encabezado}, {len(tabla.filas)} filas); ciclo {ciclo} ({origen}), trimestre "
            f"{trimestre} (nombre del archivo)")


# --------------------------------------------------------------------------- any of the three dialects

EXTENSIONES_LIBRO = exportacion.EXTENSIONES_LIBRO


def leer_encabezado_srft(ruta: str | Path, diferir: bool = False) -> srft.Encabezado:
    """:func:`srft.leer_encabezado` for the three dialects (the workbook's header found on its sheet)."""
    ruta = Path(ruta)
    if ruta.exists() and ruta.stat().st_size and ruta.suffix.lower() in EXTENSIONES_LIBRO:
        tabla = leer_tabla(ruta)
        return srft.Encabezado([srft.normalizar_columna_shcp(c) for c in tabla.encabezado], "xlsx", "", srft.LEGIBLE)
    return srft.leer_encabezado(ruta, diferir)


def leer_lotes_srft(ruta: str | Path, avance: Callable[[int], None] | None = None,
                    encabezado: srft.Encabezado | None = None) -> Iterator[srft.Bloque]:
    """:func:`srft.leer_lotes` for the three dialects: this export read whole, the others streamed.

    ``encabezado``: what :func:`leer_encabezado_srft` returned for this file, when the caller has it.
    """
    enc = encabezado or leer_encabezado_srft(ruta)
    if enc.dialecto is srft.LEGIBLE:
        yield from leer_lotes(ruta, avance)
    else:
        yield from srft.leer_lotes(ruta, avance=avance, encabezado=enc)


def leer_bloques_srft(ruta: str | Path) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, int]]:
    """:func:`srft.leer_bloques` for the three dialects."""
    for b in leer_lotes_srft(ruta):
        yield b.partidas.to_pandas(), b.rechazos, b.leidas
