"""Low-level inspection of an .xlsx package before openpyxl reads it.

openpyxl in read-only mode trusts the sheet's ``<dimension ref>`` tag (rows past it are
dropped silently; a stray cell at ``XFD1048576`` makes it build a billion empty cells) and
does not expose merged cells. This module streams the sheet XML once with expat, without
building any cell, and returns what the capture reader needs to read the sheet exactly:

- the real extent (last row and column holding a value), whatever the tag says;
- the merged ranges (``<mergeCells>``);
- a refusal, naming the cell, for any value beyond :data:`LIMITES`;
- a refusal for a package whose parts expand past the size limit (checked from the zip
  directory before anything is decompressed, so a zip bomb costs nothing).

All limits live in :data:`LIMITES`; the README quotes them.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat


from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.lectura import letra_columna


@dataclass(frozen=True)
class Limites:
    """What a capture workbook may hold. A capture workbook has a few hundred rows and fewer
    than 20 contract columns per sheet; these bounds leave ample room for that and keep
    ``validate``/``ingest`` within seconds and well under 500 MB of memory."""

    bytes_descomprimidos: int = 64 * 1024 * 1024  # sum of the uncompressed sizes of every part
    filas: int = 20_000                          # rows per sheet (header and titles included)
    columnas: int = 60                           # columns per sheet (A to BH)

    @property
    def mb(self) -> int:
        return self.bytes_descomprimidos // (1024 * 1024)


#: The one place where the workbook limits are set.
LIMITES = Limites()

_NS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "http://purl.oclc.org/ooxml/officeDocument/relationships")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass
class InfoHoja:
    """What the sheet XML really holds: the last row and column with a value and the merges.

    ``combinadas`` are ``(min_fila, min_col, max_fila, max_col)`` ranges, 1-based.
    """

    filas: int = 0
    columnas: int = 0
    combinadas: list[tuple[int, int, int, int]] = field(default_factory=list)


def _columna(letras: str) -> int:
    n = 0
    for ch in letras.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def referencia(fila: int, columna: int) -> str:
    """``(5, 2)`` → ``B5``."""
    return f"{letra_columna(columna - 1)}{fila}"


def rango(r: tuple[int, int, int, int]) -> str:
    """``(5, 2, 7, 2)`` → ``B5:B7``."""
    return f"{referencia(r[0], r[1])}:{referencia(r[2], r[3])}"


def _fuera_de_limite(hoja: str, archivo: str, fila: int, columna: int) -> ErrorEntrada:
    lim = LIMITES
    return ErrorEntrada(
        f"la hoja {hoja} tiene un valor en la celda {referencia(fila, columna)}, fuera del límite de "
        f"{lim.filas:,} filas y {lim.columnas} columnas (A1:{referencia(lim.filas, lim.columnas)}); bórrelo",
        archivo=archivo, hoja=hoja, fila=fila, columna=letra_columna(columna - 1))


def verificar_tamano(zf: zipfile.ZipFile, archivo: str) -> None:
    """Refuse a package whose parts expand past the limit, reading only the zip directory.

    ``zipfile`` never returns more than the declared size of a member, so checking the
    declared sizes bounds what any later reader can decompress.
    """
    total = sum(i.file_size for i in zf.infolist())
    if total > LIMITES.bytes_descomprimidos:
        mb = math.ceil(total / (1024 * 1024) * 10) / 10
        raise ErrorEntrada(
            f"el libro ocupa {mb:,.1f} MB al descomprimirse, más que el límite de {LIMITES.mb} MB de un libro "
            "de captura; quite las hojas, imágenes o filas que no son de la captura", archivo=archivo)


#: Why a file that is not a zip package (or whose zip directory is broken) is refused as a workbook.
NO_ES_XLSX = "no es un libro de Excel .xlsx válido (el archivo está dañado o es de otro tipo)"


def verificar_paquete(ruta, archivo: str) -> None:
    """Refuse what is not a zip package (:data:`NO_ES_XLSX`) or one whose parts expand past the limit
    (:func:`verificar_tamano`), before anything is decompressed. A zip directory broken past
    :func:`zipfile.is_zipfile` raises :class:`zipfile.BadZipFile`: the caller says what it means."""
    if not zipfile.is_zipfile(ruta):
        raise ErrorEntrada(NO_ES_XLSX, archivo=archivo)
    with zipfile.ZipFile(ruta) as zf:
        verificar_tamano(zf, archivo)


def _atributo_id(attrs: dict[str, str]) -> str | None:
    for ns in _NS_REL:
        if f"{ns} id" in attrs:
            return attrs[f"{ns} id"]
    return None


def _parsear(fuente, inicio, fin=None, texto=None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = inicio
    if fin is not None:
        parser.EndElementHandler = fin
    if texto is not None:
        parser.CharacterDataHandler = texto
    parser.buffer_text = True
    parser.ParseFile(fuente)


def rutas_hojas(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the package (from workbook.xml and its rels)."""
    ids: dict[str, str] = {}
    destinos: dict[str, str] = {}

    def hoja(nombre, attrs):
        if nombre.endswith(" sheet") and "name" in attrs:
            rid = _atributo_id(attrs)
            if rid:
                ids[attrs["name"]] = rid

    def relacion(nombre, attrs):
        if nombre.endswith(" Relationship") and "Id" in attrs and "Target" in attrs:
            destinos[attrs["Id"]] = attrs["Target"]

    with zf.open("xl/workbook.xml") as f:
        _parsear(f, hoja)
    with zf.open("xl/_rels/workbook.xml.rels") as f:
        _parsear(f, relacion)
    rutas = {}
    for nombre, rid in ids.items():
        destino = destinos.get(rid)
        if destino is None:
            continue
        ruta = destino.lstrip("/") if destino.startswith("/") else posixpath.normpath(posixpath.join("xl", destino))
        rutas[nombre] = ruta
    return rutas


def inspeccionar_hoja(zf: zipfile.ZipFile, ruta_xml: str, hoja: str, archivo: str) -> InfoHoja:
    """Stream one sheet's XML: real extent and merges; refuse any value beyond the limits.

    A cell counts as holding a value when it has a formula, an inline string or a non-empty
    ``<v>``; formatted empty cells (``<c r="Z9" s="3"/>``) do not, wherever they are.
    """
    info = InfoHoja()
    estado = {"fila": 0, "col": 0, "celda": None, "valor": False, "en_v": False}

    def inicio(nombre, attrs):
        local = nombre.rpartition(" ")[2]
        if local == "c":
            ref = attrs.get("r")
            m = _REF.match(ref) if ref else None
            if m:
                estado["col"] = _columna(m.group(1))
                estado["fila"] = int(m.group(2))
            else:  # cells may omit their reference: they follow the previous one
                estado["col"] += 1
            estado["celda"] = (estado["fila"], estado["col"])
            estado["valor"] = False
        elif local == "row":
            r = attrs.get("r")
            estado["fila"] = int(r) if r and r.isdigit() else estado["fila"] + 1
            estado["col"] = 0
        elif local in ("f", "is") and estado["celda"] is not None:
            estado["valor"] = True
        elif local == "v" and estado["celda"] is not None:
            estado["en_v"] = True
        elif local == "mergeCell" and "ref" in attrs:
            partes = attrs["ref"].split(":")
            ms = [_REF.match(p) for p in partes]
            if all(ms):
                (c1, f1), (c2, f2) = ((_columna(m.group(1)), int(m.group(2))) for m in (ms[0], ms[-1]))
                info.combinadas.append((min(f1, f2), min(c1, c2), max(f1, f2), max(c1, c2)))

    def texto(datos):
        if estado["en_v"] and datos.strip():
            estado["valor"] = True

    def fin(nombre):
        local = nombre.rpartition(" ")[2]
        if local == "v":
            estado["en_v"] = False
        elif local == "c":
            if estado["valor"]:
                fila, col = estado["celda"]
                if fila > LIMITES.filas or col > LIMITES.columnas:
                    raise _fuera_de_limite(hoja, archivo, fila, col)
                info.filas = max(info.filas, fila)
                info.columnas = max(info.columnas, col)
            estado["celda"] = None

    with zf.open(ruta_xml) as f:
        _parsear(f, inicio, fin, texto)
    return info


def inspeccionar_libro(ruta, hojas: tuple[str, ...], archivo: str) -> dict[str, InfoHoja]:
    """Size check of the whole package, then :func:`inspeccionar_hoja` for each named sheet.

    The caller has checked that the sheets exist; a package whose sheet parts cannot be
    found or parsed raises :class:`ErrorEntrada` with the same advice as openpyxl failures.
    """
    try:
        with zipfile.ZipFile(ruta) as zf:
            verificar_tamano(zf, archivo)
            rutas = rutas_hojas(zf)
            return {h: inspeccionar_hoja(zf, rutas[h], h, archivo) for h in hojas}
    except ErrorEntrada:
        raise
    except (zipfile.BadZipFile, KeyError, expat.ExpatError, ValueError, OSError, EOFError) as exc:
        raise ErrorEntrada(f"no se pudo abrir el libro de Excel ({type(exc).__name__}); "
                           "ábralo en Excel y guárdelo de nuevo como .xlsx", archivo=archivo) from exc


_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def es_formato_porcentaje(formato: str | None) -> bool:
    """True when an Excel number format multiplies by 100 (``0.00%``), not when ``%`` is literal text.

    A ``%`` inside quotes (``0" %"``), escaped (``0\\%``) or in a bracket (``[Red]``) is shown as
    typed and does not scale the number.
    """
    if not formato:
        return False
    return "%" in _LITERAL.sub("", formato)
