"""Parsing of real-world values as they appear in SHCP files and published annexes.

Every parser takes one cell (str, number, date or None) and returns a clean value or
``None`` for "missing" (blank, ``---``, ``N/A``, ``ND``…). A value that cannot be read
raises :class:`ValorInvalido` with a Spanish reason; loaders turn it into a reject row
naming the file, sheet, row and column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from pathlib import Path

from .errors import ErrorEntrada
from .texto import normalizar

MISSING_TOKENS = {"", "-", "--", "---", "----", "n/a", "na", "n.a.", "nd", "n/d", "s/d", "sin dato", "none", "nan", "null"}

MESES = {
    "ene": 1, "enero": 1, "feb": 2, "febrero": 2, "mar": 3, "marzo": 3, "abr": 4, "abril": 4,
    "may": 5, "mayo": 5, "jun": 6, "junio": 6, "jul": 7, "julio": 7, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "septiembre": 9, "set": 9, "setiembre": 9, "oct": 10, "octubre": 10,
    "nov": 11, "noviembre": 11, "dic": 12, "diciembre": 12,
}

#: Amounts beyond this (a hundred billion pesos in one cell) are a typing mistake, not a budget line.
MONTO_MAXIMO = 1e13


class ValorInvalido(ValueError):
    """A cell that is present but cannot be read as the expected kind of value."""


def es_faltante(valor: object) -> bool:
    """True for blanks, NaN and the usual "no data" tokens (``---``, ``N/A``, ``ND``)."""
    if valor is None:
        return True
    if isinstance(valor, float) and math.isnan(valor):
        return True
    if isinstance(valor, str):
        return valor.strip().lower() in MISSING_TOKENS
    try:  # pandas NA / NaT
        import pandas as pd

        return bool(pd.isna(valor)) if not isinstance(valor, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


_NUM_RE = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
#: Thousands groups once every separator (comma, apostrophe, space) is read as a comma.
MILES_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_numero(valor: object) -> float | None:
    """Read an amount or a plain number.

    Accepts ``$ 88,682,091.89``, ``2'657,865,233`` (apostrophe millions separator),
    ``1 234 567.8`` (spaces, also non-breaking), ``(1,000.00)`` and ``-1,000`` negatives,
    ``MXN``/``pesos`` suffixes and numbers already typed as numbers. Dot is the decimal
    separator, as in Mexican official documents.
    """
    if es_faltante(valor):
        return None
    if isinstance(valor, bool):
        raise ValorInvalido(f"«{valor}» no es un número")
    if isinstance(valor, (int, float)):
        numero = float(valor)
    else:
        texto = str(valor).strip()
        negativo = False
        if texto.startswith("(") and texto.endswith(")"):
            negativo, texto = True, texto[1:-1].strip()
        texto = re.sub(r"(?i)\b(mxn|pesos|mn|m\.n\.)\b\.?", "", texto)
        texto = re.sub(r"^([+-])\s+", r"\1", texto.replace("$", "").strip())
        texto = re.sub(r"[\s\u00a0\u202f'’]+", ",", texto)
        if "," in texto:  # «1234,56» (decimal comma) or «1.234,56» would silently read 100 times larger
            if not MILES_RE.match(texto):
                raise ValorInvalido(f"«{valor}» no es un importe válido: use punto decimal y comas solo "
                                    "entre grupos de tres cifras (1,234.56)")
            texto = texto.replace(",", "")
        if not _NUM_RE.match(texto):
            raise ValorInvalido(f"«{valor}» no es un importe o número válido")
        numero = float(texto)
        if negativo:
            numero = -numero
    if math.isnan(numero):
        return None
    if math.isinf(numero) or abs(numero) > MONTO_MAXIMO:
        raise ValorInvalido(f"«{valor}» es un importe fuera de rango (más de {MONTO_MAXIMO:,.0f})")
    return numero


def parse_porcentaje(valor: object, fraccion_si_numero: bool = False) -> float | None:
    """Read a share or compliance value as a percent number (``50.13%`` → ``50.13``).

    Accepts ``100 %``, ``98.00%``, ``98``, ``0.5014`` only when ``fraccion_si_numero`` is
    true and the cell was a real number formatted as % in Excel (openpyxl gives 0.5014).
    """
    if es_faltante(valor):
        return None
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        numero = float(valor)
        return numero * 100 if fraccion_si_numero else numero
    texto = str(valor).strip().replace("%", "").strip()
    return parse_numero(texto)


_FECHA_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})$")
_FECHA_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def _anio(texto: str) -> int:
    anio = int(texto)
    return anio + 2000 if anio < 100 else anio


def _fecha(anio: int, mes: int, dia: int, original: object) -> dt.date:
    try:
        return dt.date(anio, mes, dia)
    except ValueError as exc:
        raise ValorInvalido(f"«{original}» no es una fecha posible") from exc


def _mes(nombre: str, original: object) -> int:
    if nombre not in MESES:
        raise ValorInvalido(f"«{original}» no tiene un mes reconocible")
    return MESES[nombre]


def parse_fecha(valor: object) -> dt.date | None:
    """Read a date in the forms found in Mexican official documents.

    ``01-ENE-20``, ``30/09/2022`` (day first), ``2022-09-30``, ``Septiembre-2022`` (first of
    the month), ``15 de enero de 2021``, Excel dates and datetimes.
    """
    if es_faltante(valor):
        return None
    if isinstance(valor, dt.datetime):
        return valor.date()
    if isinstance(valor, dt.date):
        return valor
    if hasattr(valor, "to_pydatetime"):
        return valor.to_pydatetime().date()
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        if 20000 < valor < 80000:  # Excel serial day number typed into a text column
            return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(valor))).date()
        raise ValorInvalido(f"«{valor}» no es una fecha")
    texto = normalizar(str(valor).replace("/", "-"))  # «01-ENE-20» → «01 ene 20»
    crudo = str(valor).strip()
    if m := _FECHA_ISO.match(crudo):
        return _fecha(int(m[1]), int(m[2]), int(m[3]), valor)
    if m := _FECHA_DMY.match(crudo):
        return _fecha(_anio(m[3]), int(m[2]), int(m[1]), valor)
    partes = texto.split()
    if len(partes) == 3 and partes[0].isdigit() and partes[2].isdigit() and not partes[1].isdigit():
        return _fecha(_anio(partes[2]), _mes(partes[1], valor), int(partes[0]), valor)
    if len(partes) == 5 and partes[1] == "de" and partes[3] == "de":
        if partes[0].isdigit() and partes[4].isdigit():
            return _fecha(int(partes[4]), _mes(partes[2], valor), int(partes[0]), valor)
    if len(partes) in (2, 3) and partes[-1].isdigit() and len(partes[-1]) == 4 and not partes[0].isdigit():
        if len(partes) == 2 or partes[1] == "de":
            return _fecha(int(partes[-1]), _mes(partes[0], valor), 1, valor)
    raise ValorInvalido(f"«{valor}» no es una fecha reconocible (use dd/mm/aaaa)")


def parse_entero(valor: object) -> int | None:
    """Read a whole number (a year, a quarter, a code); ``2024.0`` is accepted."""
    numero = parse_numero(valor)
    if numero is None:
        return None
    if numero != int(numero):
        raise ValorInvalido(f"«{valor}» no es un número entero")
    return int(numero)


def parse_texto(valor: object) -> str | None:
    """Strip a text cell; blanks and ``---``/``N/A`` become missing."""
    if es_faltante(valor):
        return None
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    texto = re.sub(r"\s+", " ", str(valor)).strip()
    return texto or None


def parse_clave(valor: object) -> str | None:
    """Read a code typed as text or number (``1000``, ``1000.0``, `` '1100 ``)."""
    texto = parse_texto(valor)
    if texto is None:
        return None
    texto = texto.lstrip("'").strip()
    if re.fullmatch(r"\d+\.0+", texto):
        texto = texto.split(".")[0]
    return texto


def normalizar_encabezado(nombre: object) -> str:
    """Header name to the contract's snake case: ``"Área Responsable "`` → ``area_responsable``."""
    return normalizar(nombre).replace(" ", "_")


def detectar_codificacion(ruta: Path, bloque: int = 8 << 20) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8 (BOM or not), else ``latin-1``.

    SHCP open data is latin-1; files saved by Excel are often UTF-8 with BOM. The whole
    file is checked (an accent may first appear after hundreds of megabytes): UTF-8
    validation runs at memory speed, a fraction of the time of parsing the CSV.
    """
    decodificador = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(ruta, "rb") as f:
            for trozo in iter(lambda: f.read(bloque), b""):
                decodificador.decode(trozo)
        decodificador.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8-sig"


def comprobar_texto(ruta: Path) -> None:
    """Raise a clear :class:`ErrorEntrada` when a ``.csv`` is not a text CSV we can read.

    Catches what users download or save by mistake: an empty file, a workbook renamed to
    ``.csv``, an old or password-protected Excel file, and Excel's «Texto Unicode» (UTF-16).
    """
    with open(ruta, "rb") as f:
        inicio = f.read(4096)
    nombre = Path(ruta).name
    if not inicio:
        raise ErrorEntrada("el archivo está vacío", archivo=nombre)
    if inicio.startswith(b"PK\x03\x04"):
        raise ErrorEntrada("es un libro de Excel (.xlsx), no un CSV; ábralo en Excel y guárdelo como "
                           "«CSV UTF-8 (delimitado por comas)»", archivo=nombre)
    if inicio.startswith(b"\xd0\xcf\x11\xe0"):
        raise ErrorEntrada("es un archivo de Excel antiguo (.xls) o protegido, no un CSV; ábralo en Excel y "
                           "guárdelo como «CSV UTF-8 (delimitado por comas)»", archivo=nombre)
    if inicio.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or inicio.count(b"\x00") > len(inicio) // 4:
        raise ErrorEntrada("está guardado como texto Unicode (UTF-16); guárdelo como «CSV UTF-8 (delimitado "
                           "por comas)»", archivo=nombre, fila=1)
    if b"\x00" in inicio:
        raise ErrorEntrada("no es un archivo de texto CSV (contiene bytes nulos)", archivo=nombre, fila=1)


def detectar_separador(linea: str) -> str:
    """Comma unless the header line clearly uses semicolons or tabs (Excel in Spanish locale)."""
    conteo = {sep: linea.count(sep) for sep in (",", ";", "\t")}
    sep = max(conteo, key=conteo.get)
    return sep if conteo[sep] > 0 else ","


def leer_csv_texto(ruta: Path) -> tuple[list[str], list[list[str]], str]:
    """Read a small CSV as text rows with the right encoding and separator.

    Returns (header, rows, encoding). Quoted commas and line breaks inside quotes are
    handled by the csv module. Row numbers for messages are ``index + 2``.
    """
    if Path(ruta).stat().st_size == 0:
        return [], [], "utf-8-sig"
    comprobar_texto(ruta)
    codificacion = detectar_codificacion(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        texto = f.read()
    primera = texto.split("\n", 1)[0]
    lector = csv.reader(io.StringIO(texto), delimiter=detectar_separador(primera))
    try:
        filas = [fila for fila in lector]
    except csv.Error as exc:
        raise ErrorEntrada(f"el CSV está mal formado ({exc})", archivo=Path(ruta).name,
                           fila=lector.line_num) from exc
    if not filas:
        return [], [], codificacion
    return filas[0], filas[1:], codificacion
