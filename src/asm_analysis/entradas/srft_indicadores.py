"""The SRFT *Indicadores* module export: the fund's federal MIR results per state and quarter.

The executing agency reports each quarter, in SHCP's *Sistema de Recursos Federales
Transferidos*, the goals and results of the fund's federal MIR; the module exports an Excel
workbook of 30 columns (``Ciclo | Periodo | Trimestre | … | Meta programada | Justificación |
Meta Modificada | Justificación | Realizado en el Periodo | Avance (%) | Flujo``), which the
evaluator receives as it is or saved as CSV (UTF-8 or latin-1). Real shape: the exports
published by the Municipality of Huehuetán, Chiapas (FAIS I004 and FORTAMUN I005, 2020),
transcribed in ``shared/referencias/srft_modulos_reales.md`` §2.

What the cells hold, and how they are read:

- two columns are both named ``Justificación`` (after each meta): the header is matched by
  position, never by name;
- ``N/R`` (goal not registered) and ``N/D`` (avance that cannot be computed) are "no value";
  the reader keeps whether ``Avance (%)`` said ``N/D`` so the audit can check it;
- numbers have a dot decimal and up to 5 decimals (``57.69231``);
- a justification is a pseudo-JSON blob ``{just1:{ciclo:2020,trim:4,just:<texto>,
  usuario:<login>,fecha:07/01/21}}`` (one ``justN`` per entry): only the text is kept, never
  the user name;
- ``Ramo``, ``Unidad``, ``Grupo Funcional``… are ``"33 - Aportaciones Federales…"`` cells:
  the code is read from them (``33``), the text kept as it is;
- ``Trimestre`` (and ``Ciclo``) of each row are trusted, not the file name (a file
  published as «4to. trimestre» held Trimestre 3 rows);
- values are cumulative to the quarter: a year is read, per indicator (``Clave del
  Indicador``), from the last quarter that reports it (:func:`ultimo_trimestre`), never added.

Every non-blank row is loaded or listed in the rejects with its reason; an exact repeat of an
earlier row is loaded once and listed as ``(fila duplicada)``; a second, different row of the
same indicator and quarter is rejected (which of the two is right cannot be told).
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from asm_analysis.comun import formatos
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import caracter_no_xml, nombre_caracter, normalizar
from asm_analysis.comun.vacios import es_faltante
from asm_analysis.entradas import catalogos, lectura
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.entradas.tablas import NIVELES, SENTIDOS

#: The export's header, verbatim and in order (``srft_modulos_reales.md`` §2.2).
ENCABEZADO = (
    "Ciclo", "Periodo", "Trimestre", "Entidad Federativa", "Municipio", "Ramo", "Unidad",
    "Programa Presupuestario", "Nombre del Programa Presupuestario", "Grupo Funcional", "Función",
    "Subfunción", "Actividad Institucional", "Clave del Indicador", "Nombre del Indicador",
    "Definición del Indicador", "Método de Cálculo", "Nivel del Indicador", "Frecuencia de Medición",
    "Unidad de Medida", "Tipo", "Dimensión del Indicador", "Sentido", "Meta programada", "Justificación",
    "Meta Modificada", "Justificación", "Realizado en el Periodo", "Avance (%)", "Flujo",
)
#: Our name for each header position (the two ``Justificación`` apart).
CAMPOS = (
    "ciclo", "periodo", "trimestre", "entidad_federativa", "municipio", "ramo", "unidad",
    "programa_presupuestario", "nombre_programa", "grupo_funcional", "funcion", "subfuncion",
    "actividad_institucional", "clave_indicador", "indicador", "definicion", "metodo_calculo", "nivel",
    "frecuencia", "unidad_medida", "tipo", "dimension", "sentido", "meta_programada",
    "justificacion_programada", "meta_modificada", "justificacion_modificada", "realizado",
    "avance_reportado", "flujo",
)
_NORMALIZADO = tuple(lectura.normalizar_encabezado(c) for c in ENCABEZADO)
#: The header as the user sees it, by field (messages name the column by its header and letter).
ETIQUETA = {c: f"{e} ({lectura.letra_columna(i)})" for i, (c, e) in enumerate(zip(CAMPOS, ENCABEZADO))}

#: Raw folder and store table.
TIPO = "srft_indicadores"
DUPLICADA = "(fila duplicada)"  # same text as the SRFT ejercicio's, so the gate skips these rows alike
FILAS_BUSQUEDA_ENCABEZADO = 10
#: Marks of the export meaning "no value" beyond the usual ones (``N/D`` is one of those already).
MARCAS = {"n/r", "nr", "n/d", "nd"}

ESQUEMA = pa.schema([
    ("fila", pa.int64()), ("ciclo", pa.int64()), ("cve_ent", pa.string()), ("fondo", pa.string()),
    ("periodo", pa.int64()), ("trimestre", pa.int64()), ("entidad_federativa", pa.string()),
    ("municipio", pa.string()), ("ramo", pa.int64()), ("ramo_texto", pa.string()), ("unidad", pa.string()),
    ("programa_presupuestario", pa.string()), ("nombre_programa", pa.string()),
    ("grupo_funcional", pa.string()), ("funcion", pa.string()), ("subfuncion", pa.string()),
    ("actividad_institucional", pa.string()), ("clave_indicador", pa.string()), ("indicador", pa.string()),
    ("definicion", pa.string()), ("metodo_calculo", pa.string()), ("nivel", pa.string()),
    ("frecuencia", pa.string()), ("unidad_medida", pa.string()), ("tipo", pa.string()),
    ("dimension", pa.string()), ("sentido", pa.string()), ("meta_programada", pa.float64()),
    ("meta_programada_nr", pa.bool_()), ("justificacion_programada", pa.string()),
    ("meta_modificada", pa.float64()), ("justificacion_modificada", pa.string()),
    ("realizado", pa.float64()), ("avance_reportado", pa.float64()), ("avance_nd", pa.bool_()),
    ("flujo", pa.string()), ("hoja", pa.string()),
])


@dataclass
class ResultadoIndicadores:
    """One export read: the loaded rows, the rejects with their reasons and the counts.

    ``leidas = cargadas + rechazadas + duplicadas`` always.
    """

    archivo: str
    tabla: pd.DataFrame
    rechazos: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNAS_RECHAZO))
    leidas: int = 0
    duplicadas: int = 0
    hoja: str | None = None
    codificacion: str | None = None

    @property
    def cargadas(self) -> int:
        return len(self.tabla)

    @property
    def rechazadas(self) -> int:
        if self.rechazos.empty:
            return 0
        return int(self.rechazos.loc[self.rechazos["columna"] != DUPLICADA, "fila"].nunique())

    def descripcion(self) -> str:
        """What was recognised, in one Spanish sentence (``validate``)."""
        t = self.tabla
        partes = [f"{self.archivo}: exportación del módulo Indicadores del SRFT (30 columnas"
                  + (f", hoja «{self.hoja}»" if self.hoja else "")
                  + (f", {'UTF-8' if self.codificacion and 'utf' in self.codificacion else 'latin-1'}"
                     if self.codificacion else "") + ")"]
        partes.append(f"{self.leidas:,} filas leídas, {self.cargadas:,} cargadas, {self.rechazadas:,} rechazadas, "
                      f"{self.duplicadas:,} duplicadas")
        if not t.empty:
            ciclos = ", ".join(str(c) for c in sorted(t["ciclo"].unique()))
            trim = ", ".join(str(c) for c in sorted(t["trimestre"].unique()))
            fondos = ", ".join(sorted({f or "sin fondo del catálogo" for f in t["fondo"]}))
            estados = ", ".join(sorted({catalogos.resolver_estado(c).nombre for c in t["cve_ent"]}))
            partes.append(f"ciclo {ciclos}; trimestre {trim}; {t['clave_indicador'].nunique()} indicadores; "
                          f"fondo {fondos}; {estados}")
        return "; ".join(partes) + "."


# --------------------------------------------------------------------------- cells


def _faltante(valor: object) -> bool:
    return es_faltante(valor) or (isinstance(valor, str) and valor.strip().lower() in MARCAS)


def codigo_y_nombre(valor: object) -> tuple[str | None, str | None]:
    """``"33 - Aportaciones Federales…"`` → ``("33", "Aportaciones Federales…")``; a bare ``"I002"`` → (``I002``, None)."""
    texto = lectura.parse_texto(valor)
    if texto is None:
        return None, None
    m = re.match(r"^\s*([0-9A-Za-z]{1,6})\s+-\s+(.+)$", texto)
    if m:
        return m.group(1), m.group(2).strip()
    return (texto, None) if re.fullmatch(r"[0-9A-Za-z]{1,6}", texto) else (None, texto)


_BLOB_RE = re.compile(r"just(\d+)\s*:\s*\{(.*?)\}(?=\s*(?:,\s*just\d+\s*:|\}\s*$))", re.S)
_CAMPO_BLOB_RE = re.compile(r",\s*(?=(?:ciclo|trim|just|usuario|fecha)\s*:)")
_USUARIO_RE = re.compile(r"usuario\s*:[^,}]*,?\s*", re.I)


def justificacion(valor: object) -> str | None:
    """The text of a justification cell; user names and dates are never kept.

    ``{just1:{ciclo:2020,trim:4,just:Mayor demanda…,usuario:x,fecha:07/01/21}}`` → ``Mayor demanda…``.
    Several entries (``just1``, ``just2``…) are joined in order, each with its quarter when
    they differ (``Trimestre 3 de 2020: …; Trimestre 4 de 2020: …``). A cell that is not a blob
    is kept as text, with any ``usuario:`` part removed.
    """
    texto = lectura.parse_texto(valor)
    if texto is None:
        return None
    if not texto.startswith("{"):
        return _USUARIO_RE.sub("", texto).strip() or None
    entradas = []
    for numero, cuerpo in _BLOB_RE.findall(texto.strip()):
        campos = {}
        for parte in _CAMPO_BLOB_RE.split(cuerpo):
            clave, _, dato = parte.partition(":")
            campos[clave.strip().lower()] = dato.strip()
        if campos.get("just"):
            entradas.append((int(numero), campos.get("trim", ""), campos.get("ciclo", ""), campos["just"]))
    if not entradas:
        limpio = _USUARIO_RE.sub("", texto).strip("{} ")
        return limpio or None
    entradas.sort()
    if len(entradas) == 1 or len({e[3] for e in entradas}) == 1:
        return entradas[-1][3]
    return "; ".join(f"Trimestre {t} de {c}: {j}" if t and c else j for _, t, c, j in entradas)


def _numero(valor: object, campo: str) -> float | None:
    if _faltante(valor):
        return None
    try:
        return lectura.parse_numero(valor)
    except lectura.ValorInvalido as exc:
        raise lectura.ValorInvalido(f"{exc}; {ETIQUETA[campo]} lleva un número (punto decimal) o N/R, N/D") from None


def _vocabulario(valor: object, mapa: dict[str, str], que: str) -> str | None:
    texto = lectura.parse_texto(valor)
    if texto is None:
        return None
    clave = normalizar(texto)
    if clave in mapa:
        return mapa[clave]
    raise lectura.ValorInvalido(f"«{texto}» no es un {que} válido ({', '.join(sorted(set(mapa.values())))})")


def fondo_de(ramo: int | None, programa: str | None) -> str:
    """The catalog fund of a (ramo, programa presupuestario) pair (``33``, ``I002`` → ``FASSA``); ``""`` if none."""
    if ramo is None or not programa:
        return ""
    for f in catalogos.fondos().itertuples():
        if str(f.ramo) == str(ramo) and f.modalidad_pp == programa:
            return f.fondo
    try:
        fondo = catalogos.resolver_fondo(programa)
    except ErrorEntrada:
        return ""
    return fondo.clave if str(fondo.ramo) == str(ramo) else ""


def _estado(valor: object) -> str:
    codigo, nombre = codigo_y_nombre(valor)
    for candidato in (lectura.parse_texto(valor), nombre, codigo):
        if candidato:
            try:
                return catalogos.resolver_estado(candidato).cve_ent
            except ErrorEntrada:
                continue
    raise lectura.ValorInvalido(f"«{valor}» no es una entidad federativa reconocible")


def convertir_fila(celdas: list[object]) -> tuple[dict, list[tuple[str, object, str]]]:
    """One export row (30 cells in header order) as a tidy record, and its problems (field, value, reason)."""
    crudo = dict(zip(CAMPOS, list(celdas) + [None] * (len(CAMPOS) - len(celdas))))
    fila: dict = {}
    problemas: list[tuple[str, object, str]] = []

    def leer(campo: str, funcion) -> None:
        valor = crudo[campo]
        if isinstance(valor, str) and (caracter := caracter_no_xml(valor)):
            problemas.append((campo, valor, f"contiene {nombre_caracter(caracter)}; quítelo de la celda"))
            return
        try:
            fila[campo] = funcion(valor)
        except lectura.ValorInvalido as exc:
            problemas.append((campo, valor, str(exc)))

    def entero(minimo: int, maximo: int, requerido: bool = True):
        def parse(valor):
            n = lectura.parse_entero(None if _faltante(valor) else valor)
            if n is None:
                if requerido:
                    raise lectura.ValorInvalido("está vacío")
                return None
            if not minimo <= n <= maximo:
                raise lectura.ValorInvalido(f"«{valor}» está fuera de rango ({minimo} a {maximo})")
            return n
        return parse

    leer("ciclo", entero(2000, 2100))
    leer("periodo", entero(1, 5, requerido=False))
    leer("trimestre", entero(1, 5))
    leer("entidad_federativa", _estado)
    leer("municipio", lectura.parse_texto)

    def ramo(valor):
        codigo, nombre = codigo_y_nombre(valor)
        if codigo is None or not codigo.isdigit():
            raise lectura.ValorInvalido(f"«{valor}» no trae la clave del ramo («33 - Aportaciones…»)")
        fila["ramo_texto"] = nombre
        return int(codigo)
    leer("ramo", ramo)

    def programa(valor):
        codigo, _ = codigo_y_nombre(valor)
        if codigo is None or not re.fullmatch(r"[A-Za-z]\d{3}", codigo):
            raise lectura.ValorInvalido(f"«{valor}» no es una clave de programa presupuestario (letra y tres "
                                        "cifras, como I002)")
        return codigo.upper()
    leer("programa_presupuestario", programa)
    for campo in ("unidad", "nombre_programa", "grupo_funcional", "funcion", "subfuncion",
                  "actividad_institucional", "definicion", "metodo_calculo", "frecuencia", "unidad_medida",
                  "tipo", "dimension", "flujo"):
        leer(campo, lectura.parse_texto)

    def obligatorio(parse, mensaje: str):
        def leer_valor(valor):
            v = parse(valor)
            if v is None:
                raise lectura.ValorInvalido(mensaje)
            return v
        return leer_valor
    leer("clave_indicador", obligatorio(lectura.parse_clave, "está vacía: cada indicador lleva su clave"))
    leer("indicador", obligatorio(lectura.parse_texto, "está vacío: cada indicador lleva su nombre"))
    leer("nivel", lambda v: _vocabulario(v, NIVELES, "nivel del indicador"))
    leer("sentido", lambda v: _vocabulario(v, SENTIDOS, "sentido"))
    for campo in ("meta_programada", "meta_modificada", "realizado", "avance_reportado"):
        leer(campo, lambda v, c=campo: _numero(str(v).replace("%", "") if isinstance(v, str) else v, c))
    for campo in ("justificacion_programada", "justificacion_modificada"):
        leer(campo, justificacion)
    fila["meta_programada_nr"] = isinstance(crudo["meta_programada"], str) and \
        crudo["meta_programada"].strip().lower() in ("n/r", "nr")
    fila["avance_nd"] = isinstance(crudo["avance_reportado"], str) and \
        crudo["avance_reportado"].strip().lower() in ("n/d", "nd")
    if not problemas:
        fila["cve_ent"] = fila.pop("entidad_federativa")
        fila["entidad_federativa"] = lectura.parse_texto(crudo["entidad_federativa"])
        fila["fondo"] = fondo_de(fila["ramo"], fila["programa_presupuestario"])
    return fila, problemas


# --------------------------------------------------------------------------- files


def reconocer_encabezado(celdas: list[object]) -> bool:
    """True when a row is the export's header: the 30 names in order (any case, accents or not)."""
    nombres = [lectura.normalizar_encabezado(c) for c in celdas]
    while nombres and not nombres[-1]:
        nombres.pop()
    return tuple(nombres) == _NORMALIZADO


def _parecido(celdas: list[object]) -> int:
    """How many of the export's header names a row holds (to tell a damaged header from a title)."""
    nombres = {lectura.normalizar_encabezado(c) for c in celdas}
    return len(nombres & set(_NORMALIZADO))


def _problema_encabezado(celdas: list[object], archivo: str, hoja: str | None, fila: int) -> ErrorEntrada:
    nombres = [lectura.normalizar_encabezado(c) for c in celdas]
    while nombres and not nombres[-1]:
        nombres.pop()
    faltan = [e for e, n in zip(ENCABEZADO, _NORMALIZADO) if n not in nombres]
    if nombres.count("justificacion") == 1:
        faltan.append("Justificación (la segunda, tras «Meta Modificada»)")
    if faltan:
        return ErrorEntrada(f"no tiene el formato de la exportación del módulo Indicadores del SRFT: faltan las "
                            f"columnas {', '.join(f'«{f}»' for f in faltan)}; use el archivo tal como lo exporta "
                            "el sistema, sin quitar columnas", archivo=archivo, hoja=hoja, fila=fila,
                            columna=faltan[0])
    for i, (esperado, norm) in enumerate(zip(ENCABEZADO, _NORMALIZADO)):
        if i >= len(nombres) or nombres[i] != norm:
            visto = celdas[i] if i < len(celdas) else ""
            return ErrorEntrada(f"las columnas no están en el orden de la exportación del SRFT: la columna "
                                f"{lectura.letra_columna(i)} debería ser «{esperado}» y dice «{visto}»; las dos "
                                "«Justificación» se distinguen por su posición, así que no mueva columnas",
                                archivo=archivo, hoja=hoja, fila=fila, columna=lectura.letra_columna(i))
    return ErrorEntrada(f"la fila {fila} tiene {len(nombres)} columnas con nombre y la exportación 30",
                        archivo=archivo, hoja=hoja, fila=fila)


def _buscar_encabezado(filas: list[tuple[int, list[object]]], archivo: str, hoja: str | None) -> int:
    """Index in ``filas`` of the header (a title above it is allowed); a damaged header is named."""
    for idx, (_, celdas) in enumerate(filas[:FILAS_BUSQUEDA_ENCABEZADO]):
        if reconocer_encabezado(celdas):
            return idx
    candidatos = [(idx, _parecido(c)) for idx, (_, c) in enumerate(filas[:FILAS_BUSQUEDA_ENCABEZADO])]
    idx, n = max(candidatos, key=lambda x: x[1], default=(0, 0))
    if n >= 8:
        raise _problema_encabezado(filas[idx][1], archivo, hoja, filas[idx][0])
    raise ErrorEntrada("no tiene el encabezado de la exportación del módulo Indicadores del SRFT (Ciclo, Periodo, "
                       "Trimestre, … Avance (%), Flujo) en sus primeras filas", archivo=archivo, hoja=hoja, fila=1)


def _filas_libro(ruta: Path, solo_inicio: bool = False) -> tuple[str, list[tuple[int, list[object]]]]:
    """(sheet, rows) of the first sheet of an export workbook that holds the header; with ``solo_inicio``
    only the first rows of each sheet (to recognise the file)."""
    from openpyxl import load_workbook

    from asm_analysis.entradas import libro_xlsx

    nombre = ruta.name
    try:
        libro_xlsx.verificar_paquete(ruta, nombre)
        with zipfile.ZipFile(ruta) as zf:
            hojas = list(libro_xlsx.rutas_hojas(zf))
        infos = libro_xlsx.inspeccionar_libro(ruta, tuple(hojas), nombre)
        wb = load_workbook(ruta, read_only=True, data_only=True)
    except ErrorEntrada:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for broken packages
        raise ErrorEntrada(f"no se pudo abrir el libro de Excel ({type(exc).__name__}); ábralo en Excel y "
                           "guárdelo de nuevo como .xlsx", archivo=nombre) from exc
    try:
        primera: tuple[str, list] | None = None
        for hoja in wb.sheetnames:
            info = infos.get(hoja)
            if info is None or info.filas == 0:
                continue
            ws = wb[hoja]
            ws.reset_dimensions()
            hasta = min(info.filas, FILAS_BUSQUEDA_ENCABEZADO) if solo_inicio else info.filas
            filas = [(i, list(f)) for i, f in enumerate(
                ws.iter_rows(min_row=1, max_row=hasta, max_col=info.columnas, values_only=True), start=1)]
            if any(reconocer_encabezado(c) for _, c in filas[:FILAS_BUSQUEDA_ENCABEZADO]):
                if not solo_inicio:
                    _sin_formulas_pendientes(ruta, hoja, filas, info)
                return hoja, filas
            primera = primera or (hoja, filas)
    except ErrorEntrada:
        raise
    except Exception as exc:  # a damaged sheet part: openpyxl raises many kinds
        raise ErrorEntrada(f"no se pudo leer el libro de Excel ({type(exc).__name__}); ábralo en Excel y guárdelo "
                           "de nuevo como .xlsx", archivo=nombre) from exc
    finally:
        wb.close()
    if primera is None:
        raise ErrorEntrada("el libro no tiene filas", archivo=nombre)
    _buscar_encabezado(primera[1], nombre, primera[0])  # names the problem of the first sheet
    raise AssertionError("unreachable")


def _sin_formulas_pendientes(ruta: Path, hoja: str, filas: list[tuple[int, list[object]]], info) -> None:
    """Refuse a formula whose value was never calculated (a workbook edited and saved by a program that
    does not calculate): read as blank it would silently drop a goal or a result."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    vacias = {(i, j) for i, celdas in filas for j, v in enumerate(celdas) if v is None}
    if not vacias:
        return
    wb = load_workbook(ruta, read_only=True, data_only=False)
    try:
        ws = wb[hoja]
        ws.reset_dimensions()
        for i, celdas in enumerate(ws.iter_rows(min_row=1, max_row=info.filas, max_col=info.columnas,
                                                values_only=True), start=1):
            for j, v in enumerate(celdas):
                if (i, j) in vacias and isinstance(v, str) and v.startswith("="):
                    raise ErrorEntrada(f"la celda {get_column_letter(j + 1)}{i} tiene una fórmula sin valor calculado; "
                                       "abra el libro en Excel y guárdelo (así se calcula la fórmula), o escriba el "
                                       "valor", archivo=ruta.name, hoja=hoja, fila=i, columna=get_column_letter(j + 1))
    finally:
        wb.close()


def _inicio_csv(ruta: Path, bytes_maximos: int = 256 << 10) -> list[list[str]]:
    """The first rows of a CSV, read cheaply (no full scan): enough to recognise the header."""
    import csv
    import io

    with open(ruta, "rb") as f:
        crudo = f.read(bytes_maximos)
    if len(crudo) == bytes_maximos and b"\n" in crudo:
        crudo = crudo[: crudo.rindex(b"\n") + 1]
    try:
        texto = crudo.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = crudo.decode("latin-1")
    lineas = texto.splitlines()
    if not lineas:
        return []
    try:
        return list(csv.reader(io.StringIO(texto), delimiter=lectura.detectar_separador(lineas[0])))[
            :FILAS_BUSQUEDA_ENCABEZADO]
    except csv.Error:
        return []


def es_exportacion(ruta: Path) -> bool:
    """True when a .csv or .xlsx file has the export's header in its first rows (``validate`` and ``ingest``).

    Reads only the beginning of a CSV and the first rows of each sheet: it is asked of every
    national CSV and capture workbook too.
    """
    ruta = Path(ruta)
    try:
        if ruta.suffix.lower() == ".csv":
            todas = _inicio_csv(ruta)
        else:
            _, numeradas = _filas_libro(ruta, solo_inicio=True)
            todas = [c for _, c in numeradas[:FILAS_BUSQUEDA_ENCABEZADO]]
    except (ErrorEntrada, OSError):
        return False
    return any(reconocer_encabezado(c) for c in todas)


def leer(ruta: str | Path) -> ResultadoIndicadores:
    """Read one export (.xlsx/.xlsm as the system gives it, or the same table saved as .csv)."""
    ruta = Path(ruta)
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    nombre = ruta.name
    hoja: str | None = None
    codificacion: str | None = None
    if ruta.suffix.lower() in (".xlsx", ".xlsm"):
        hoja, filas = _filas_libro(ruta)
    else:
        encabezado, crudas, codificacion = lectura.leer_csv_texto(ruta)
        if not encabezado:
            raise ErrorEntrada("el archivo está vacío", archivo=nombre)
        filas = [(i + 1, list(f)) for i, f in enumerate([encabezado, *crudas])]
    idx = _buscar_encabezado(filas, nombre, hoja)
    donde = f"{nombre} (hoja {hoja})" if hoja else nombre
    registros, rechazos = [], []
    vistos: dict[tuple, int] = {}          # exact content → first row
    por_indicador: dict[tuple, int] = {}   # (ciclo, trimestre, estado, programa, clave) → row
    leidas = duplicadas = 0
    for numero, celdas in filas[idx + 1:]:
        celdas = ["" if c is None else c for c in celdas]
        if all(_faltante(c) or (isinstance(c, str) and not c.strip()) for c in celdas):
            continue
        leidas += 1
        sobrantes = [c for c in celdas[len(CAMPOS):] if not _faltante(c)]
        fila, problemas = convertir_fila(celdas[:len(CAMPOS)])
        if sobrantes:
            problemas.append(("(fila completa)", sobrantes[0], f"la fila tiene datos después de la columna "
                              f"{lectura.letra_columna(len(CAMPOS) - 1)} (Flujo); probablemente un texto con comas "
                              "sin comillas desplazó las celdas"))
        identidad = _identidad(fila)
        if problemas:
            rechazos.append({"archivo": donde, "fila": numero,
                             "columna": "; ".join(ETIQUETA.get(p[0], p[0]) for p in problemas),
                             "valor": "; ".join("" if _faltante(p[1]) else str(p[1]) for p in problemas),
                             "motivo": "; ".join(p[2] for p in problemas), **identidad})
            continue
        contenido = tuple(str(c).strip() for c in celdas[:len(CAMPOS)])
        if contenido in vistos:
            duplicadas += 1
            rechazos.append({"archivo": donde, "fila": numero, "columna": DUPLICADA, "valor": "",
                             "motivo": f"la fila repite exactamente la fila {vistos[contenido]}; se cargó una sola "
                                       "vez", **identidad})
            continue
        vistos[contenido] = numero
        llave = (fila["ciclo"], fila["trimestre"], fila["cve_ent"], fila["programa_presupuestario"],
                 fila["municipio"], fila["clave_indicador"])
        if llave in por_indicador:
            rechazos.append({"archivo": donde, "fila": numero, "columna": ETIQUETA["clave_indicador"],
                             "valor": fila["clave_indicador"],
                             "motivo": f"el indicador {fila['clave_indicador']} ya está en la fila "
                                       f"{por_indicador[llave]} para el mismo ciclo y trimestre con otros valores; "
                                       "deje solo la fila correcta", **identidad})
            continue
        por_indicador[llave] = numero
        registros.append({"fila": numero, "hoja": hoja, **fila})
    tabla = pd.DataFrame(registros, columns=ESQUEMA.names)
    if not tabla.empty:
        for col in ("fila", "ciclo", "trimestre", "ramo"):
            tabla[col] = tabla[col].astype("int64")
        from asm_analysis.entradas import esquemas  # pandera: only when an export is read

        tabla = esquemas.SrftIndicadores.validate(tabla, lazy=True)  # a failure here is a bug of the reader
    return ResultadoIndicadores(nombre, tabla, pd.DataFrame(rechazos, columns=COLUMNAS_RECHAZO), leidas,
                                duplicadas, hoja, codificacion)


def _identidad(fila: dict) -> dict[str, str]:
    """``ciclo``, ``cve_ent`` and ``fondo`` of a row for the rejects file (blank when unreadable)."""
    ident = {"ciclo": "", "cve_ent": "", "fondo": ""}
    if isinstance(fila.get("ciclo"), int):
        ident["ciclo"] = str(fila["ciclo"])
    cve = fila.get("cve_ent") or fila.get("entidad_federativa")
    if isinstance(cve, str) and re.fullmatch(r"\d{2}", cve):
        ident["cve_ent"] = cve
    if fila.get("fondo") is not None:
        ident["fondo"] = fila["fondo"]
    elif isinstance(fila.get("ramo"), int) and fila.get("programa_presupuestario"):
        ident["fondo"] = fondo_de(fila["ramo"], fila["programa_presupuestario"])
    return ident


# --------------------------------------------------------------------------- selection


def ultimo_trimestre(filas: pd.DataFrame) -> pd.DataFrame:
    """Each indicator (``clave_indicador``) from the last quarter that reports it; quarters never added.

    ``filas`` holds one state's rows of one fund and ciclo. Values are cumulative to the
    quarter, so an indicator reported in quarters 1 to 4 is read from quarter 4 and one
    reported only up to quarter 3 from quarter 3 (the annex note says so).
    """
    if filas.empty:
        return filas
    ultimo = filas.groupby("clave_indicador")["trimestre"].transform("max")
    elegidas = filas[filas["trimestre"] == ultimo]
    repetidas = elegidas[elegidas.duplicated("clave_indicador", keep=False)]
    if not repetidas.empty:  # e.g. one row per municipality: which one is the state's cannot be told
        primera = repetidas.sort_values(["clave_indicador", "fila"]).iloc[0]
        otras = repetidas[repetidas["clave_indicador"] == primera["clave_indicador"]]
        archivo = str(primera.get("archivo_fuente") or "") or None
        raise ErrorEntrada(
            f"el indicador {primera['clave_indicador']} tiene {len(otras)} filas en el trimestre "
            f"{int(primera['trimestre'])} (filas {', '.join(str(int(f)) for f in sorted(otras['fila']))}; municipios "
            f"{', '.join(sorted({str(m or 'sin municipio') for m in otras['municipio']}))}); el informe estatal "
            "necesita una sola: deje en la exportación solo la fila de la entidad",
            archivo=archivo, fila=int(primera["fila"]), columna="Clave del Indicador")
    return elegidas.sort_values("fila", kind="stable").reset_index(drop=True)


def a_indicadores(filas: pd.DataFrame) -> pd.DataFrame:
    """Selected export rows in the shape of the ``indicadores`` sheet (federal MIR), with the SRFT's own columns.

    ``meta`` is the goal that counts for compliance (the modified goal, as the SRFT computes
    ``Avance (%)``; the programmed one when no modified goal was registered), ``avance`` the
    ``Realizado en el Periodo``; ``meta_programada`` and ``meta_modificada`` are kept apart,
    ``avance_reportado`` is the export's ``Avance (%)`` and ``justificacion`` the text of the
    second ``Justificación`` (the one after the modified goal), else of the first.
    """
    if filas.empty:
        return pd.DataFrame()
    t = filas.copy()
    t["mir"] = "Federal"
    t["meta"] = t["meta_modificada"].where(t["meta_modificada"].notna(), t["meta_programada"])
    t["avance"] = t["realizado"]

    def texto(f) -> str | None:
        partes = [j for j in (f["justificacion_modificada"], f["justificacion_programada"]) if not es_faltante(j)]
        unicos = list(dict.fromkeys(partes))
        return " / ".join(unicos) if unicos else None
    t["justificacion"] = [texto(f) for _, f in t.iterrows()]
    return t.reset_index(drop=True)


def avance_srft(meta_modificada: object, realizado: object, sentido: object) -> float | None:
    """``Avance (%)`` as the SRFT computes it, rounded to 2 decimals; None where it reports ``N/D``.

    Ascending: realizado / meta modificada × 100; descending: meta modificada / realizado × 100.
    Verified on the five real rows of ``srft_modulos_reales.md`` §2.4 (57.69, N/D, 23.64, 63, 87.9).
    """
    def num(v):
        try:
            v = float(v)
        except (TypeError, ValueError):
            return None
        return None if math.isnan(v) else v
    meta, real = num(meta_modificada), num(realizado)
    if meta is None or real is None or sentido not in ("Ascendente", "Descendente"):
        return None
    if sentido == "Ascendente":
        return None if meta == 0 else float(formatos.redondear(real / meta * 100, 2))
    return None if real == 0 else float(formatos.redondear(meta / real * 100, 2))
