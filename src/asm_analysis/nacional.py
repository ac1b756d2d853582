"""National CSVs in the project's own format (DESIGN §3c): indicadores, concurrencia, asm.

Each has the capture-workbook columns of its sheet plus ``ciclo``, ``cve_ent`` (or
``entidad_federativa``) and ``fondo``, one file for many states and years.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import catalogs, esquemas, parsing
from .carga import COLUMNAS_RECHAZO, ResultadoCarga, convertir_filas, fila_vacia, ubicar_columnas
from .errors import ErrorEntrada
from .tablas import COLUMNAS_NACIONALES, HOJAS, Columna

TIPOS = ("indicadores", "concurrencia", "asm")


def _validador_identidad(fila: dict) -> list[tuple[str, object, str]]:
    problemas = []
    valor_estado = fila.pop("entidad_federativa", None) or fila.get("cve_ent")
    if valor_estado is None:
        problemas.append(("cve_ent", None, "falta la clave o el nombre del estado"))
    else:
        try:
            fila["cve_ent"] = catalogs.resolver_estado(valor_estado, incluir_nacional=True).cve_ent
        except ErrorEntrada as exc:
            problemas.append(("cve_ent", valor_estado, exc.motivo))
    if fila.get("fondo") is None:
        problemas.append(("fondo", None, "falta el fondo"))
    else:
        try:
            fila["fondo"] = catalogs.resolver_fondo(fila["fondo"]).clave
        except ErrorEntrada as exc:
            problemas.append(("fondo", fila["fondo"], exc.motivo))
    if fila.get("ciclo") is None:
        problemas.append(("ciclo", None, "falta el ciclo"))
    elif not 2000 <= fila["ciclo"] <= 2100:
        problemas.append(("ciclo", fila["ciclo"], "no es un ejercicio fiscal válido"))
    return problemas


def _leer_identidad(celdas: list[object], posiciones: dict[str, int]) -> dict[str, str]:
    """Whose report a raw row belongs to (``ciclo``, ``cve_ent``, ``fondo``), each blank when unreadable."""
    def celda(nombre: str) -> object:
        pos = posiciones.get(nombre)
        return celdas[pos] if pos is not None and pos < len(celdas) else None

    identidad = {"ciclo": "", "cve_ent": "", "fondo": ""}
    try:
        ciclo = parsing.parse_entero(celda("ciclo"))
        identidad["ciclo"] = str(ciclo) if ciclo is not None and 2000 <= ciclo <= 2100 else ""
    except parsing.ValorInvalido:
        pass
    for campo, funcion in (("cve_ent", lambda v: catalogs.resolver_estado(str(v), incluir_nacional=True).cve_ent),
                           ("fondo", lambda v: catalogs.resolver_fondo(str(v)).clave)):
        valor = celda(campo) if campo != "cve_ent" or celda("cve_ent") is not None else celda("entidad_federativa")
        if not parsing.es_faltante(valor):
            try:
                identidad[campo] = funcion(valor)
            except ErrorEntrada:
                pass
    return identidad


def _con_identidad(rechazos: pd.DataFrame, numeradas: list[tuple[int, list[object]]],
                   posiciones: dict[str, int], desplazadas: set[int]) -> pd.DataFrame:
    """Fill the rejects' ``ciclo``/``cve_ent``/``fondo`` from their raw rows, so that only the report
    they belong to is stopped by them. Shifted rows (more cells than the header) stay blank: their
    cells cannot be trusted, so they stop every report built from the file."""
    if rechazos.empty:
        return rechazos
    por_fila = dict(numeradas)
    ident = pd.DataFrame([_leer_identidad(por_fila[int(f)], posiciones) if int(f) not in desplazadas
                          else {"ciclo": "", "cve_ent": "", "fondo": ""} for f in rechazos["fila"]],
                         index=rechazos.index)
    return rechazos.assign(**{c: ident[c] for c in ident.columns})[COLUMNAS_RECHAZO]


def leer_nacional(ruta: str | Path, tipo: str) -> ResultadoCarga:
    """Read one national CSV of ``tipo`` (indicadores, concurrencia or asm).

    Rows for an unknown state or fund, or with unreadable cells, go to the rejects with
    their reason; the rest are returned tidy with canonical ``cve_ent`` and ``fondo``.
    """
    if tipo not in TIPOS:
        raise ValueError(tipo)
    ruta = Path(ruta)
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    encabezado, filas, _ = parsing.leer_csv_texto(ruta)
    if not encabezado or all(parsing.es_faltante(c) for c in encabezado):
        raise ErrorEntrada("el archivo está vacío: le falta el encabezado", archivo=ruta.name, fila=1)
    claves = {parsing.normalizar_encabezado(c) for c in encabezado}
    identidad: tuple[Columna, ...] = COLUMNAS_NACIONALES
    if "cve_ent" not in claves and "entidad_federativa" in claves:
        identidad = (COLUMNAS_NACIONALES[0], Columna("cve_ent", requerida=False), Columna("entidad_federativa"),
                     COLUMNAS_NACIONALES[2])
    columnas = (*identidad, *HOJAS[tipo])
    posiciones = ubicar_columnas(encabezado, columnas, ruta.name)
    numeradas = [(i + 2, fila) for i, fila in enumerate(filas)]
    # more cells than the header: a text with unquoted commas shifted the row, its values cannot be trusted
    n = len(encabezado)
    largas = [(num, fila) for num, fila in numeradas if len(fila) > n and not fila_vacia(fila)]
    excluidas = {num for num, _ in largas}
    resultado = convertir_filas([(num, fila) for num, fila in numeradas if num not in excluidas],
                                posiciones, columnas, ruta.name, _validador_identidad)
    if largas:
        extra = pd.DataFrame([{
            "archivo": ruta.name, "fila": num, "columna": "(fila completa)", "valor": ",".join(fila)[:120],
            "motivo": f"la fila tiene {len(fila)} columnas y el encabezado {n}; probablemente un texto con "
                      "comas sin comillas",
        } for num, fila in largas], columns=COLUMNAS_RECHAZO)
        rechazos = pd.concat([resultado.rechazos, extra], ignore_index=True)
        resultado.rechazos = rechazos.sort_values("fila", kind="stable", ignore_index=True)
        resultado.leidas += len(largas)
    resultado.rechazos = _con_identidad(resultado.rechazos, numeradas, posiciones, excluidas)
    if "entidad_federativa" in resultado.tabla.columns:
        resultado.tabla = resultado.tabla.drop(columns="entidad_federativa")
    cols = ["fila", "ciclo", "cve_ent", "fondo", *(c.nombre for c in HOJAS[tipo])]
    resultado.tabla = esquemas.validar(resultado.tabla.reindex(columns=cols), tipo)
    return resultado
