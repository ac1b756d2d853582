"""National CSVs in the project's own format (DESIGN §3c): indicadores, concurrencia, asm.

Each has the capture-workbook columns of its sheet plus ``ciclo``, ``cve_ent`` (or
``entidad_federativa``) and ``fondo``, one file for many states and years.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asm_analysis.entradas import catalogos, lectura
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO, ResultadoCarga, convertir_filas, fila_vacia, ubicar_columnas
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.tablas import COLUMNAS_NACIONALES, HOJAS, Columna

TIPOS = ("indicadores", "concurrencia", "asm")


def _validador_identidad(fila: dict) -> list[tuple[str, object, str]]:
    problemas = []
    valor_estado = fila.pop("entidad_federativa", None) or fila.get("cve_ent")
    if valor_estado is None:
        problemas.append(("cve_ent", None, "falta la clave o el nombre del estado"))
    else:
        try:
            fila["cve_ent"] = catalogos.resolver_estado(valor_estado, incluir_nacional=True).cve_ent
        except ErrorEntrada as exc:
            problemas.append(("cve_ent", valor_estado, exc.motivo))
    if fila.get("fondo") is None:
        problemas.append(("fondo", None, "falta el fondo"))
    else:
        try:
            fila["fondo"] = catalogos.resolver_fondo(fila["fondo"]).clave
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
        ciclo = lectura.parse_entero(celda("ciclo"))
        identidad["ciclo"] = str(ciclo) if ciclo is not None and 2000 <= ciclo <= 2100 else ""
    except lectura.ValorInvalido:
        pass
    for campo, funcion in (("cve_ent", lambda v: catalogos.resolver_estado(str(v), incluir_nacional=True).cve_ent),
                           ("fondo", lambda v: catalogos.resolver_fondo(str(v)).clave)):
        valor = celda(campo) if campo != "cve_ent" or celda("cve_ent") is not None else celda("entidad_federativa")
        if not lectura.es_faltante(valor):
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


#: Data rows looked at to tell a header problem (every row disagrees with it) from a few bad rows.
FILAS_MUESTRA = 20


def revisar_encabezado(encabezado: list[str], filas: list[list[str]], archivo: str
                       ) -> tuple[list[str], list[list[str]]]:
    """Header problems, found before any row is converted, as one :class:`ErrorEntrada`.

    * A column without a name: refused, unless it is at the end and no row has data under it
      (a comma at the end of the header, with or without one at the end of every row, shifts
      nothing: those columns are dropped).
    * Every one of the first :data:`FILAS_MUESTRA` rows has the same cell count, different
      from the header's: the header is wrong (a trailing comma, a name missing or
      split), not the rows; reading on would reject every row of a file of millions.
    """
    nombres = [str(c).strip() for c in encabezado]
    vacias = [j for j, c in enumerate(nombres) if not c]
    con_nombre = [j for j, c in enumerate(nombres) if c]
    ultimo = con_nombre[-1] if con_nombre else -1
    finales = [j for j in vacias if j > ultimo]
    muestra = [f for f in filas[:FILAS_MUESTRA * 5] if not fila_vacia(f)][:FILAS_MUESTRA]
    largos = {len(f) for f in muestra}
    if finales and largos and largos <= {ultimo + 1, len(encabezado)} \
            and not any(len(f) > ultimo + 1 and any(c.strip() for c in f[ultimo + 1:]) for f in filas):
        encabezado = encabezado[: ultimo + 1]
        filas = [f[: ultimo + 1] if len(f) > ultimo + 1 else f for f in filas]
        vacias = [j for j in vacias if j <= ultimo]
        muestra = [f[: ultimo + 1] for f in muestra]
        largos = {len(f) for f in muestra}
    if vacias:
        raise ErrorEntrada(f"la columna {vacias[0] + 1} del encabezado no tiene nombre; escriba su nombre o "
                           "bórrela si no tiene datos", archivo=archivo, fila=1, columna=f"columna {vacias[0] + 1}")
    n = len(encabezado)
    if len(muestra) >= 2 and len(largos) == 1 and (m := len(muestra[0])) != n:
        raise ErrorEntrada(f"el encabezado tiene {n} columnas y todas las primeras filas de datos {m}; revise el "
                           "encabezado (un nombre de más o de menos, o un separador distinto) antes de cargar "
                           "el archivo", archivo=archivo, fila=1)
    return encabezado, filas


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
    encabezado, filas, _ = lectura.leer_csv_texto(ruta)
    if not encabezado or all(lectura.es_faltante(c) for c in encabezado):
        raise ErrorEntrada("el archivo está vacío: le falta el encabezado", archivo=ruta.name, fila=1)
    encabezado, filas = revisar_encabezado(encabezado, filas, ruta.name)
    claves = {lectura.normalizar_encabezado(c) for c in encabezado}
    identidad: tuple[Columna, ...] = COLUMNAS_NACIONALES
    if "cve_ent" not in claves and "entidad_federativa" in claves:
        identidad = (COLUMNAS_NACIONALES[0], Columna("cve_ent", requerida=False), Columna("entidad_federativa"),
                     COLUMNAS_NACIONALES[2])
    columnas = (*identidad, *HOJAS[tipo])
    posiciones = ubicar_columnas(encabezado, columnas, ruta.name)
    # A row with more or fewer cells than the header (a text with unquoted commas shifted it): its values
    # cannot be trusted. Split off in one pass (no per-row slow path), each rejected with its count.
    n = len(encabezado)
    buenas, malas = [], []
    for i, fila in enumerate(filas):
        (buenas if len(fila) == n or not fila else malas).append((i + 2, fila))
    malas = [(num, fila) for num, fila in malas if not fila_vacia(fila)]
    resultado = convertir_filas(buenas, posiciones, columnas, ruta.name, _validador_identidad)
    if malas:
        extra = pd.DataFrame([{
            "archivo": ruta.name, "fila": num, "columna": "(fila completa)", "valor": ",".join(fila)[:120],
            "motivo": f"la fila tiene {len(fila)} columnas y el encabezado {n}; probablemente un texto con "
                      "comas sin comillas" if len(fila) > n else
                      f"la fila tiene {len(fila)} columnas y el encabezado {n}; le faltan celdas",
        } for num, fila in malas], columns=COLUMNAS_RECHAZO)
        rechazos = pd.concat([resultado.rechazos, extra], ignore_index=True)
        resultado.rechazos = rechazos.sort_values("fila", kind="stable", ignore_index=True)
        resultado.leidas += len(malas)
    numeradas = buenas + malas
    resultado.rechazos = _con_identidad(resultado.rechazos, numeradas, posiciones, {num for num, _ in malas})
    if "entidad_federativa" in resultado.tabla.columns:
        resultado.tabla = resultado.tabla.drop(columns="entidad_federativa")
    cols = ["fila", "ciclo", "cve_ent", "fondo", *(c.nombre for c in HOJAS[tipo])]
    from asm_analysis.entradas import esquemas  # pandera: imported when a national file is read, not by every run

    resultado.tabla = esquemas.validar(resultado.tabla.reindex(columns=cols), tipo)
    return resultado
