"""The capture workbook (``libro de captura``): read a filled one, write an empty one.

Sheet names and headers are the public contract of DESIGN §3b. Reported subtotal and
total rows and the ``_reportado`` columns are kept as typed, so the audit can compare
them with what the tool computes.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from asm_analysis.entradas import catalogos, esquemas, formulas, libro_xlsx, lectura
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO, ResultadoCarga, convertir_filas, ubicar_columnas
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar
from asm_analysis.entradas.tablas import CAMPOS_CONAC, CAMPOS_FICHA, FORMATO_CONAC, HOJAS, Columna

HOJAS_DATOS = ("destino", "concurrencia", "indicadores", "asm", "foda")
FILAS_BUSQUEDA_ENCABEZADO = 10


@dataclass
class Captura:
    """A loaded capture workbook: identity, ficha fields, tidy tables and rejected rows."""

    archivo: str
    estado: catalogos.Estado
    ciclo: int
    fondo: catalogos.Fondo
    ficha: dict[str, object]
    resultados: dict[str, ResultadoCarga] = field(default_factory=dict)
    #: With ``leer_captura(…, revisar_todo=True)``: the problems that would have stopped the reading
    #: (an incomplete ficha, a sheet without its columns), collected so ``validate`` lists them all;
    #: ``estado``, ``ciclo`` and ``fondo`` are None when the ficha does not say them.
    problemas: list[ErrorEntrada] = field(default_factory=list)
    #: Suspicious but valid cells (a fraction in a percent column, a two-digit year), one sentence each.
    advertencias: list[str] = field(default_factory=list)

    @property
    def tablas(self) -> dict[str, pd.DataFrame]:
        return {hoja: r.tabla for hoja, r in self.resultados.items()}

    @property
    def rechazos(self) -> pd.DataFrame:
        partes = [r.rechazos for r in self.resultados.values() if len(r.rechazos)]
        return pd.concat(partes, ignore_index=True) if partes else pd.DataFrame(columns=COLUMNAS_RECHAZO)

    @property
    def fecha_corte(self) -> dt.date | None:
        valor = self.ficha.get("fecha_corte")
        return valor if isinstance(valor, dt.date) else None


def _verificar_paquete(ruta: Path) -> None:
    """Refuse what is not an .xlsx package before anything is decompressed."""
    nombre = ruta.name
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    if ruta.stat().st_size == 0:
        raise ErrorEntrada("el archivo está vacío", archivo=nombre)
    with open(ruta, "rb") as f:
        firma = f.read(8)
    if firma.startswith(b"\xd0\xcf\x11\xe0"):
        raise ErrorEntrada(
            "el libro está protegido con contraseña o es un .xls antiguo; guárdelo como .xlsx sin contraseña",
            archivo=nombre)
    try:
        libro_xlsx.verificar_paquete(ruta, nombre)
    except zipfile.BadZipFile as exc:
        raise ErrorEntrada(libro_xlsx.NO_ES_XLSX, archivo=nombre) from exc


def _abrir(ruta: Path, data_only: bool):
    """The workbook in read-only mode; call :func:`_verificar_paquete` first."""
    try:
        return load_workbook(ruta, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for broken packages
        raise ErrorEntrada(f"no se pudo abrir el libro de Excel ({type(exc).__name__}); "
                           "ábralo en Excel y guárdelo de nuevo como .xlsx", archivo=ruta.name) from exc


@dataclass
class _Hoja:
    """A sheet's cells as values, row by row, and where a number sits in a percent-formatted cell."""

    filas: list[tuple[int, list[object]]]
    porcentuales: set[tuple[int, int]] = field(default_factory=set)  # (row, 0-based column)


def _leer_hoja(ws, info: libro_xlsx.InfoHoja, con_formato: bool) -> _Hoja:
    """Every row and column that holds a value, as the sheet XML really has them.

    The extent comes from :func:`libro_xlsx.inspeccionar_hoja`, never from the sheet's
    ``<dimension>`` tag (which may be smaller than the data, or claim a million rows), and
    the columns iterated never exceed :data:`libro_xlsx.LIMITES`.
    """
    if info.filas == 0 or info.columnas == 0:
        return _Hoja([])
    ws.reset_dimensions()
    filas: list[tuple[int, list[object]]] = []
    porcentuales: set[tuple[int, int]] = set()
    iterador = ws.iter_rows(min_row=1, max_row=info.filas, min_col=1, max_col=info.columnas,
                            values_only=not con_formato)
    for i, fila in enumerate(iterador, start=1):
        if not con_formato:
            filas.append((i, list(fila)))
            continue
        valores = []
        for j, celda in enumerate(fila):
            valor = getattr(celda, "value", None)
            valores.append(valor)
            # formulas too: their cached value (read later) keeps the cell's format
            if valor is not None and libro_xlsx.es_formato_porcentaje(getattr(celda, "number_format", None)):
                porcentuales.add((i, j))
        filas.append((i, valores))
    return _Hoja(filas, porcentuales)


def _filas_combinadas(info: libro_xlsx.InfoHoja, fila_encabezado: int, hoja: str, archivo: str,
                      nombre_de: dict[int, str]) -> None:
    """Refuse merged cells below the header: their blank cells would read as other rows' values.

    A merged title above the header (or a merge inside it) is left to the header checks.
    """
    rangos = sorted(r for r in info.combinadas if r[2] > fila_encabezado)
    if not rangos:
        return
    primero = rangos[0]
    otros = f" (y {len(rangos) - 1} rango(s) combinado(s) más)" if len(rangos) > 1 else ""
    fila = max(primero[0], fila_encabezado + 1)
    columna = nombre_de.get(primero[1] - 1, get_column_letter(primero[1]))
    raise ErrorEntrada(f"la hoja {hoja} tiene celdas combinadas en {libro_xlsx.rango(primero)}{otros}; "
                       "descombínelas y escriba el valor en cada fila", archivo=archivo, hoja=hoja,
                       fila=fila, columna=columna)


def _porcentajes_como_fraccion(filas: list[tuple[int, list[object]]], porcentuales: set[tuple[int, int]],
                               posiciones: dict[str, int], columnas: tuple[Columna, ...]) -> None:
    """A number in a percent-formatted cell of a percent column is a fraction: ``0.5`` shown as 50 % is 50.

    The cell value becomes the percent number (rounded to 9 decimals, so 0.5014 gives 50.14
    and not 50.139999…); a plain 50 in a General cell is left as typed.
    """
    if not porcentuales:
        return
    objetivo = {posiciones[c.nombre] for c in columnas if c.tipo == "porcentaje" and c.nombre in posiciones}
    for num, celdas in filas:
        for j in objetivo:
            valor = celdas[j] if j < len(celdas) else None
            if (num, j) in porcentuales and isinstance(valor, (int, float)) and not isinstance(valor, bool):
                celdas[j] = round(lectura.parse_porcentaje(celdas[j], fraccion_si_numero=True), 9)


def _buscar_encabezado(filas: list[tuple[int, list[object]]], columnas: tuple[Columna, ...]) -> int:
    """Index in ``filas`` of the header row: the first of the top rows naming the first column."""
    primera = columnas[0].nombre
    for idx, (_, celdas) in enumerate(filas[:FILAS_BUSQUEDA_ENCABEZADO]):
        if primera in {lectura.normalizar_encabezado(c) for c in celdas if c is not None}:
            return idx
    return 0


def _encabezado_partido(filas: list[tuple[int, list[object]]], idx: int) -> bool:
    """True when the header looks split over two rows or has merged cells (blanks between names)."""
    celdas = [c for c in filas[idx][1]]
    while celdas and lectura.es_faltante(celdas[-1]):
        celdas.pop()
    if any(lectura.es_faltante(c) for c in celdas):
        return True
    siguiente = filas[idx + 1][1] if idx + 1 < len(filas) else []
    nombres = {lectura.normalizar_encabezado(c) for c in siguiente if not lectura.es_faltante(c)}
    return bool(nombres & {c.nombre for h in HOJAS_DATOS for c in HOJAS[h]})


def _sin_calcular(celda: str) -> str:
    return (f"la celda {celda} tiene una fórmula sin valor calculado; abra el libro en Excel y guárdelo, o escriba "
            "el valor")


def _sustituir_formulas(filas_f, filas_v, archivo: str, hoja: str):
    """Use cached values for formula cells; a formula never calculated, or whose saved value is not
    what it computes (:func:`formulas.valor_desactualizado`: a stale value), is reported as
    ``(row, 0-based column, reason)``."""
    pendientes = []
    salida = []
    guardados = {num: celdas for num, celdas in filas_v}

    def guardado(fila: int, columna: int) -> object:
        celdas = guardados.get(fila, ())
        return celdas[columna - 1] if 0 < columna <= len(celdas) else None

    for (num, celdas_f), (_, celdas_v) in zip(filas_f, filas_v):
        nuevas = []
        for j, celda in enumerate(celdas_f):
            if isinstance(celda, str) and celda.startswith("="):
                valor = celdas_v[j] if j < len(celdas_v) else None
                ref = f"{get_column_letter(j + 1)}{num}"
                if valor is None:
                    pendientes.append((num, j, _sin_calcular(ref)))
                    valor = celda
                elif (calculado := formulas.valor_desactualizado(celda, valor, guardado)) is not None:
                    pendientes.append((num, j, (
                        f"la celda {ref} tiene la fórmula {celda[:80]}, que da {calculado:,.2f}, pero el libro guardó "
                        f"{valor:,.2f} como su valor (no se recalculó al guardarlo); abra el libro en Excel, recalcule "
                        "(F9) y guárdelo, o escriba el valor")))
                nuevas.append(valor)
            else:
                nuevas.append(celda)
        salida.append((num, nuevas))
    return salida, pendientes


def _validador_destino(archivo: str):
    capitulos = set(catalogos.capitulos()["capitulo"])
    vistas: dict[tuple, int] = {}  # (capitulo, concepto) → first row, to catch a row typed twice

    def validar(fila: dict) -> list[tuple[str, object, str]]:
        problemas = []
        cap = fila.get("capitulo")
        if cap is not None:
            cap_txt = str(cap).strip()
            if lectura.normalizar_encabezado(cap_txt) in {"total", "gran_total"}:
                fila["capitulo"] = "TOTAL"
            else:
                digitos = cap_txt.split(":")[0].split()[0]
                if digitos not in capitulos:
                    problemas.append(("capitulo", cap, f"«{cap}» no es un capítulo del COG (1000 a 9000) ni TOTAL"))
                else:
                    fila["capitulo"] = digitos
        conc = fila.get("concepto")
        if conc is not None:
            clave = str(conc).split()[0]
            try:
                fila["concepto"] = catalogos.concepto_de(clave)
            except ErrorEntrada as exc:
                problemas.append(("concepto", conc, exc.motivo))
        if cap is None and conc is not None and not problemas:
            fila["capitulo"] = catalogos.capitulo_de(fila["concepto"])
        if cap is None and conc is None:
            problemas.append(("capitulo", None, "la fila no tiene capítulo ni concepto"))
        if not problemas:
            clave = (fila.get("capitulo"), fila.get("concepto"))
            if clave in vistas:
                que = (f"el concepto {clave[1]}" if clave[1] else
                       "el total" if clave[0] == "TOTAL" else f"el subtotal del capítulo {clave[0]}")
                problemas.append(("concepto" if clave[1] else "capitulo", conc if clave[1] else cap,
                                  f"{que} ya está en la fila {vistas[clave]}; deje una sola fila por concepto"))
            else:
                vistas[clave] = fila["fila"]
        return problemas

    return validar


def _leer_ficha(filas: list[tuple[int, list[object]]], archivo: str) -> tuple[dict[str, object], list[ErrorEntrada]]:
    """The ficha's fields (``_filas``: the row of each) and its repeated fields with two values.

    A field written in two rows with two different values is a problem, named at the second row:
    which one would the report use? A repeat with the same value, or a blank repeat, is not.
    """
    ficha: dict[str, object] = {"_filas": {}}
    repetidos: list[ErrorEntrada] = []
    for num, celdas in filas[1:]:
        if not celdas or lectura.es_faltante(celdas[0]):
            continue
        campo = lectura.normalizar_encabezado(celdas[0])
        valor = celdas[1] if len(celdas) > 1 else None
        previo = ficha.get(campo)
        if campo in ficha and not lectura.es_faltante(previo):
            if not lectura.es_faltante(valor) and lectura.parse_texto(valor) != lectura.parse_texto(previo):
                repetidos.append(ErrorEntrada(
                    f"el campo {campo} aparece dos veces en la ficha con valores distintos (fila "
                    f"{ficha['_filas'][campo]}: «{previo}»; fila {num}: «{valor}»); deje una sola fila",
                    archivo=archivo, hoja="ficha", fila=num, columna="campo"))
            continue
        if campo in ficha and lectura.es_faltante(valor):
            continue
        ficha[campo] = valor
        ficha["_filas"][campo] = num
    return ficha, repetidos


def advertencia(motivo: str, archivo: str, hoja: str, fila: int | None, columna: str | None,
                celda: str | None = None) -> str:
    """One warning sentence naming file, sheet, row, column and cell, like an :class:`ErrorEntrada`."""
    texto = str(ErrorEntrada(motivo, archivo=archivo, hoja=hoja, fila=fila, columna=columna))
    if celda:
        texto = texto.replace(": ", f" (celda {celda}): ", 1)
    return "Advertencia en" + texto.removeprefix("Error en")


#: A date typed as text whose year has two digits: «30/09/22», «01-ENE-20».
_ANIO_DOS_DIGITOS = re.compile(r"[-/\s](\d{2})\s*$")


def _anio_de_dos_digitos(valor: object) -> bool:
    return isinstance(valor, str) and not re.match(r"\s*\d{4}", valor) and bool(_ANIO_DOS_DIGITOS.search(valor))


#: Percent columns where a value between 0 and 1 is always suspicious (a progress or a compliance,
#: not a share): sheet → columns.
FRACCION_SOSPECHOSA = {"asm": ("avance",), "indicadores": ("avance_meta_reportado", "avance_meta_anterior_reportado")}


def _porcentaje_o_none(valor: object) -> float | None:
    try:
        return lectura.parse_porcentaje(valor)
    except (lectura.ValorInvalido, ErrorEntrada):
        return None


def advertencias_celdas(filas: list[tuple[int, list[object]]], posiciones: dict[str, int],
                        columnas: tuple[Columna, ...], archivo: str, hoja: str) -> list[str]:
    """Cells that are valid but probably not what was meant, one warning each with its cell.

    * a number between 0 and 1 in a percent column in a cell without the % format: ``0.5`` is read
      as 0.5 %, most likely 50 % was meant. In a progress or compliance column (:data:`FRACCION_SOSPECHOSA`)
      any such value is flagged; in a share column (``porcentaje`` of a source, where 0.4 % is a real
      share) only when the whole column looks like fractions (no value above 1);
    * a date typed as text with a two-digit year (``30/09/22``): read as 2022, said so.
    """
    avisos = []
    por_tipo = [(c, posiciones[c.nombre]) for c in columnas if c.nombre in posiciones and c.tipo in ("porcentaje", "fecha")]
    todas_fraccion = {}
    for c, j in por_tipo:
        if c.tipo == "porcentaje":
            valores = [_porcentaje_o_none(celdas[j]) for _, celdas in filas if j < len(celdas)]
            todas_fraccion[c.nombre] = all(v is None or v <= 1 for v in valores)
    for num, celdas in filas:
        for c, j in por_tipo:
            valor = celdas[j] if j < len(celdas) else None
            if lectura.es_faltante(valor):
                continue
            celda = f"{get_column_letter(j + 1)}{num}"
            try:
                if c.tipo == "porcentaje":
                    v = lectura.parse_porcentaje(valor)
                    sospechosa = c.nombre in FRACCION_SOSPECHOSA.get(hoja, ()) or todas_fraccion[c.nombre]
                    if v is not None and 0 < v < 1 and sospechosa:
                        avisos.append(advertencia(
                            f"«{valor}» parece una fracción: en esta columna va el porcentaje ({v * 100:g} para "
                            f"{v * 100:g} %); se leyó como {v:g} %", archivo, hoja, num, c.nombre, celda))
                elif _anio_de_dos_digitos(valor):
                    fecha = lectura.parse_fecha(valor)
                    if fecha is not None:
                        avisos.append(advertencia(
                            f"la fecha «{valor}» tiene el año en dos dígitos; se leyó como {fecha:%d/%m/%Y}: "
                            "escriba el año completo (dd/mm/aaaa)", archivo, hoja, num, c.nombre, celda))
            except (lectura.ValorInvalido, ErrorEntrada):
                continue  # an unreadable cell is a rejected row, reported as such
    return avisos


def _advertencias_ficha(ficha: dict, archivo: str) -> list[str]:
    """Two-digit years in the ficha's dates (``fecha_corte`` «30/09/22»), before they are read."""
    avisos = []
    for campo in ("fecha_corte", "fecha_inicio", "fecha_termino"):
        valor = ficha.get(campo)
        if _anio_de_dos_digitos(valor):
            try:
                fecha = lectura.parse_fecha(valor)
            except (lectura.ValorInvalido, ErrorEntrada):
                continue
            fila = ficha.get("_filas", {}).get(campo)
            avisos.append(advertencia(f"el campo {campo} («{valor}») tiene el año en dos dígitos; se leyó como "
                                      f"{fecha:%d/%m/%Y}: escriba el año completo (dd/mm/aaaa)", archivo, "ficha",
                                      fila, "valor", f"B{fila}" if fila else None))
    return avisos


def _identidad(ficha: dict, archivo: str, previos: list[ErrorEntrada] = ()
               ) -> tuple[catalogos.Estado, int, catalogos.Fondo]:
    """estado, ciclo and fondo of the workbook from its ficha; every problem of the ficha at once.

    Missing required fields and unreadable values (an unknown state naming its close matches, a
    year that is not a fiscal year, an impossible date) are all collected, with ``previos`` (the
    repeated fields of :func:`_leer_ficha`) and the CONAC form fields (:func:`_revisar_conac`);
    the first is raised with the others in :attr:`ErrorEntrada.adicionales`, so ``validate``
    lists them together.
    """
    filas = ficha.get("_filas", {})
    problemas: list[ErrorEntrada] = list(previos)

    def problema(motivo: str, campo: str) -> None:
        problemas.append(ErrorEntrada(motivo, archivo=archivo, hoja="ficha", fila=filas.get(campo), columna="valor"))

    faltan = [c for c in CAMPOS_FICHA if lectura.es_faltante(ficha.get(c))]
    if faltan:
        problema(f"faltan los campos obligatorios {', '.join(faltan)} en la ficha", faltan[0])

    def con_lugar(campo: str, funcion, etiqueta: str | None = None):
        if lectura.es_faltante(ficha.get(campo)):
            return None
        try:
            return funcion(ficha[campo])
        except (ErrorEntrada, lectura.ValorInvalido) as exc:
            motivo = exc.motivo if isinstance(exc, ErrorEntrada) else str(exc)
            nombre = f"{campo} ({etiqueta})" if etiqueta else campo
            problema(f"el campo {nombre} («{ficha[campo]}»): {motivo}", campo)
            return None

    estado = con_lugar("estado", lambda v: catalogos.resolver_estado(str(v)))
    ciclo = con_lugar("ciclo", lectura.parse_entero)
    if ciclo is not None and not 2000 <= ciclo <= 2100:
        problema(f"el ciclo {ciclo} no es un ejercicio fiscal válido", "ciclo")
    fondo = con_lugar("fondo", lambda v: catalogos.resolver_fondo(str(v)))
    for campo in ("fecha_corte", "fecha_inicio", "fecha_termino"):
        fecha = con_lugar(campo, lectura.parse_fecha)
        if fecha is not None:
            ficha[campo] = fecha
    _revisar_conac(ficha, con_lugar, problema)
    if problemas:
        primero, *resto = problemas
        primero.adicionales = resto
        raise primero
    return estado, ciclo, fondo


def _importe_en_cifras(valor: object) -> float | None:
    """An amount of the ficha (:func:`lectura.parse_numero`); one written in words says so."""
    if isinstance(valor, str) and re.search(r"[^\W\d_]{3,}", re.sub(r"(?i)\b(mxn|pesos|m\.?\s?n\.?)\b", "", valor)):
        raise lectura.ValorInvalido(f"«{valor}» está escrito con letra; escriba el importe con cifras (163560 o "
                                    "$ 163,560.00)")
    return lectura.parse_numero(valor)


def _revisar_conac(ficha: dict, con_lugar, problema) -> None:
    """The CONAC form fields (Anexo 6) a published form could not carry, each a refusal.

    A cost that is not an amount (written in words) or is negative; an option outside the
    form's list (5.4, 5.5, 6.1; case and accents do not matter); an evaluation that ends before
    it starts. These are typing mistakes with no right guess, and the form is published as the
    ficha says: the workbook is refused naming the ficha row, like an unreadable date.
    """
    for campo in FORMATO_CONAC:
        if campo.tipo == "dinero":
            costo = con_lugar(campo.clave, _importe_en_cifras, campo.etiqueta)
            if costo is not None and costo < 0:
                problema(f"el campo {campo.clave} ({campo.etiqueta}) («{ficha[campo.clave]}»): el costo no puede ser "
                         "negativo", campo.clave)
        elif campo.tipo == "opcion" and not lectura.es_faltante(ficha.get(campo.clave)):
            if normalizar(str(ficha[campo.clave])) not in {normalizar(o) for o in campo.opciones}:
                problema(f"el campo {campo.clave} ({campo.etiqueta}) («{ficha[campo.clave]}») no es una opción del "
                         f"formato CONAC: {', '.join(campo.opciones)}", campo.clave)
    inicio, termino = ficha.get("fecha_inicio"), ficha.get("fecha_termino")
    if isinstance(inicio, dt.date) and isinstance(termino, dt.date) and termino < inicio:
        fila_inicio = (ficha.get("_filas") or {}).get("fecha_inicio")
        problema(f"la evaluación termina (fecha_termino {termino:%d/%m/%Y}) antes de empezar (fecha_inicio "
                 f"{inicio:%d/%m/%Y}, fila {fila_inicio}); corrija una de las dos fechas", "fecha_termino")


def leer_captura(ruta: str | Path, revisar_todo: bool = False) -> Captura:
    """Read a filled capture workbook into tidy tables, keeping reported subtotals.

    Structural problems (not a workbook, missing sheet or column, ficha incomplete) raise
    :class:`ErrorEntrada`; unreadable cells reject their row with a reason. With
    ``revisar_todo`` (``validate``), an incomplete ficha or a sheet without its columns does not
    stop the reading: they go to :attr:`Captura.problemas` and the other sheets are still read,
    so every problem of the workbook is listed at once. Suspicious but valid cells are listed in
    :attr:`Captura.advertencias` either way.
    """
    ruta = Path(ruta)
    archivo = ruta.name
    hojas = ("ficha", *HOJAS_DATOS)
    _verificar_paquete(ruta)
    wb = _abrir(ruta, data_only=False)
    try:
        faltan = [h for h in hojas if h not in wb.sheetnames]
        if faltan:
            raise ErrorEntrada(f"faltan las hojas {', '.join(faltan)} (hojas presentes: "
                               f"{', '.join(wb.sheetnames)})", archivo=archivo, hoja=faltan[0])
        info = libro_xlsx.inspeccionar_libro(ruta, hojas, archivo)
        leidas = {h: _leer_hoja(wb[h], info[h], con_formato=h != "ficha") for h in hojas}
    finally:
        wb.close()
    crudas = {h: leida.filas for h, leida in leidas.items()}
    if any(isinstance(c, str) and c.startswith("=") for filas in crudas.values() for _, f in filas for c in f):
        wb_v = _abrir(ruta, data_only=True)
        try:
            valores = {h: _leer_hoja(wb_v[h], info[h], con_formato=False).filas for h in crudas}
        finally:
            wb_v.close()
    else:
        valores = crudas

    pendientes: dict[str, list[tuple[int, int]]] = {}
    for hoja in crudas:
        crudas[hoja], pendientes[hoja] = _sustituir_formulas(crudas[hoja], valores[hoja], archivo, hoja)

    for num, j, motivo in pendientes["ficha"]:
        if j == 1 and num > 1:
            raise ErrorEntrada(motivo, archivo=archivo, hoja="ficha", fila=num, columna="valor")
    ficha, repetidos = _leer_ficha(crudas["ficha"], archivo)
    avisos_ficha = _advertencias_ficha(ficha, archivo)
    problemas: list[ErrorEntrada] = []
    try:
        estado, ciclo, fondo = _identidad(ficha, archivo, repetidos)
    except ErrorEntrada as exc:
        if not revisar_todo:
            raise
        problemas += [exc, *exc.adicionales]
        exc.adicionales = []
        estado = ciclo = fondo = None
    captura = Captura(archivo, estado, ciclo, fondo, ficha, problemas=problemas, advertencias=avisos_ficha)

    def leer_hoja_de_datos(hoja: str) -> None:
        columnas = HOJAS[hoja]
        filas = crudas[hoja]
        if not filas:
            raise ErrorEntrada("la hoja está vacía: le falta el encabezado", archivo=archivo, hoja=hoja, fila=1)
        idx = _buscar_encabezado(filas, columnas)
        try:
            posiciones = ubicar_columnas(filas[idx][1], columnas, archivo, hoja)
        except ErrorEntrada as exc:
            exc.fila = filas[idx][0]
            if _encabezado_partido(filas, idx):
                exc.motivo += ("; el encabezado debe ocupar una sola fila, con un nombre por columna y sin "
                               "celdas combinadas")
            raise
        nombre_de = {pos: nombre for nombre, pos in posiciones.items()}
        _filas_combinadas(info[hoja], filas[idx][0], hoja, archivo, nombre_de)
        _porcentajes_como_fraccion(filas[idx + 1:], leidas[hoja].porcentuales, posiciones, columnas)
        captura.advertencias.extend(advertencias_celdas(filas[idx + 1:], posiciones, columnas, archivo, hoja))
        etiqueta = f"{archivo} (hoja {hoja})"
        validador = _validador_destino(archivo) if hoja == "destino" else None
        datos = filas[idx + 1:]
        celdas = dict(filas)
        pendientes_datos = [(n, j, m) for n, j, m in pendientes[hoja] if n > filas[idx][0] and j in nombre_de]
        con_formula = {num for num, _, _ in pendientes_datos}
        resultado = convertir_filas(
            [(n, c) for n, c in datos if n not in con_formula], posiciones, columnas, etiqueta, validador)
        if con_formula:
            extra = pd.DataFrame([{
                "archivo": etiqueta, "fila": n, "columna": nombre_de[j], "valor": celdas[n][j], "motivo": m,
            } for n, j, m in pendientes_datos]).drop_duplicates("fila")
            resultado.rechazos = pd.concat([resultado.rechazos, extra], ignore_index=True)
            resultado.leidas += len(extra)
        resultado.tabla = esquemas.validar(resultado.tabla, hoja)
        captura.resultados[hoja] = resultado

    for hoja in HOJAS_DATOS:
        try:
            leer_hoja_de_datos(hoja)
        except ErrorEntrada as exc:
            if not revisar_todo:
                raise
            captura.problemas += [exc, *exc.adicionales]
            exc.adicionales = []
    return captura


# --------------------------------------------------------------------------- template

INSTRUCCIONES = [
    ("Libro de captura de asm-analysis", ""),
    ("Qué es", "Libro para capturar, con el formato de los anexos de la Evaluación Específica del "
               "Desempeño, la información que entrega la ejecutora. asm-analysis lo lee, calcula los "
               "anexos y audita las cifras."),
    ("Reglas generales", "No cambie los nombres de las hojas ni los encabezados de la fila 1. Escriba "
                         "una fila por registro, desde la fila 2. Los importes pueden llevar $ y comas. "
                         "Los porcentajes pueden escribirse como 50.13 o 50.13 %, o como 0.5013 en "
                         "una celda con formato de porcentaje. Las fechas como dd/mm/aaaa. Escriba "
                         "valores, no fórmulas. No combine celdas debajo del encabezado: escriba el "
                         "valor en cada fila."),
    ("ficha", "Identidad del informe: estado, ciclo (año evaluado), fondo, ejecutora, instancia "
              "evaluadora, fecha de corte y fuente son obligatorios. Los demás campos alimentan el "
              "formato CONAC (Anexo 6) y pueden quedar vacíos."),
    ("destino (Anexo 1)", "Una fila por concepto del COG con aprobado, modificado, devengado, pagado y "
                          "disponible. Para registrar el subtotal que publica el documento, agregue una "
                          "fila con el capítulo y sin concepto; para el gran total, escriba TOTAL en "
                          "capítulo. La herramienta recalcula y compara ambos."),
    ("concurrencia (Anexo 2)", "Una fila por fuente de financiamiento con su orden de gobierno "
                               "(Federal, Estatal, Ingresos propios, Otros). El subtotal publicado de "
                               "cada orden va en una fila sin fuente; el total, con orden TOTAL."),
    ("indicadores (Anexo 4)", "Una fila por indicador de la MIR. «sentido» decide cómo se calcula el "
                              "cumplimiento: Ascendente avance/meta, Descendente meta/avance. Las "
                              "columnas *_reportado guardan lo que dice el documento publicado."),
    ("asm (Anexos 3 y 7)", "Una fila por acción de cada aspecto susceptible de mejora; repita número y "
                           "aspecto en cada acción. El avance va de 0 a 100. evaluacion_origen indica "
                           "la evaluación que originó el ASM e incluye su año."),
    ("foda (Anexo 5)", "Una fila por apartado de la evaluación con fortalezas y oportunidades, "
                       "debilidades y amenazas, recomendaciones y actores involucrados."),
]

LISTAS = {
    "mir": ["Federal", "Estatal"],
    "nivel": ["Fin", "Propósito", "Componente", "Actividad"],
    "sentido": ["Ascendente", "Descendente"],
    "tipo": ["Específico", "Institucional", "Interinstitucional", "Intergubernamental"],
    "prioridad": ["Alta", "Media", "Baja"],
    "orden_gobierno": ["Federal", "Estatal", "Ingresos propios", "Otros", "TOTAL"],
}

ENCABEZADO_FILL = PatternFill("solid", fgColor="1F4E79")
ENCABEZADO_FONT = Font(bold=True, color="FFFFFF")


def escribir_plantilla(estado: str, ciclo: int, fondo: str, ruta: str | Path) -> Path:
    """Write an empty capture workbook for (estado, ciclo, fondo) with drop-down lists.

    The ``destino`` sheet comes pre-filled with every COG concept so the analyst only types
    amounts.
    """
    est = catalogos.resolver_estado(estado)
    fon = catalogos.resolver_fondo(fondo)
    ruta = Path(ruta)
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("ficha")
    ws.append(["campo", "valor"])
    valores = {"estado": est.nombre, "ciclo": int(ciclo), "fondo": fon.clave}
    for campo in (*CAMPOS_FICHA, *CAMPOS_CONAC):
        ws.append([campo, valores.get(campo)])
    for hoja in HOJAS_DATOS:
        ws = wb.create_sheet(hoja)
        nombres = [c.nombre for c in HOJAS[hoja]]
        ws.append(nombres)
        for j, nombre in enumerate(nombres, start=1):
            letra = get_column_letter(j)
            if nombre in LISTAS:
                dv = DataValidation(type="list", formula1='"' + ",".join(LISTAS[nombre]) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="Valor no válido",
                                    error=f"Elija un valor de la lista: {', '.join(LISTAS[nombre])}")
                ws.add_data_validation(dv)
                dv.add(f"{letra}2:{letra}1000")
        if hoja == "destino":
            for _, c in catalogos.conceptos().iterrows():
                ws.append([c["capitulo"], c["concepto"], c["nombre"]])
    ws = wb.create_sheet("instrucciones")
    for fila in INSTRUCCIONES:
        ws.append(list(fila))
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    for fila in ws.iter_rows(min_row=2):
        fila[0].font = Font(bold=True)
        fila[1].alignment = Alignment(wrap_text=True, vertical="top")
    for hoja in ("ficha", *HOJAS_DATOS):
        ws = wb[hoja]
        ws.freeze_panes = "A2"
        for celda in ws[1]:
            celda.fill = ENCABEZADO_FILL
            celda.font = ENCABEZADO_FONT
            ws.column_dimensions[celda.column_letter].width = max(14, len(str(celda.value)) + 4)
    wb["ficha"].column_dimensions["B"].width = 60
    wb["destino"].column_dimensions["C"].width = 60
    ruta.parent.mkdir(parents=True, exist_ok=True)
    wb.save(ruta)
    return ruta
