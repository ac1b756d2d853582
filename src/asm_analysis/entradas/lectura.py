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
import threading
from pathlib import Path

from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar
from asm_analysis.comun.vacios import es_faltante


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


_NUM_RE = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
#: A negative amount in accounting form: the whole amount between one pair of parentheses, ``(1,234.56)``.
#: A parenthesis anywhere else (``(1,234.56`` with no closing one) makes the cell unreadable, never positive.
NEGATIVO_PARENTESIS_RE = re.compile(r"^\s*\([^()]*\)\s*$")
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
        if NEGATIVO_PARENTESIS_RE.match(texto):
            negativo, texto = True, texto[1:-1].strip()
        elif "(" in texto or ")" in texto:
            raise ValorInvalido(f"«{valor}» no es un importe válido: tiene un paréntesis sin su par (un negativo se "
                                "escribe (1,234.56) o -1,234.56)")
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


#: Longest line a CSV may have (characters between two line ends). An SRFT row is about 500 bytes
#: and a long justification a few thousand: a line of megabytes is a text pasted by mistake or a
#: quote never closed, and Python's csv module would stop on it with an English message.
LIMITE_LINEA = 1_000_000
#: Longest text a CSV cell may hold once parsed (quoted texts may span lines).
LIMITE_CAMPO = LIMITE_LINEA
#: Bytes that cannot be in a text CSV nor in an xlsx or docx (the byte-level part of
#: ``comun.texto.NO_XML_RE``): NUL and the C0 controls except tab, line feed and carriage return.
CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BLOQUE_ESCANEO = 8 << 20


def _linea_de(ruta: Path, desplazamiento: int, bloque: int = BLOQUE_ESCANEO) -> tuple[int, bytes, bytes]:
    """(1-based line number, header line, bytes of that line up to the offset) of a byte offset."""
    lineas = 1
    leidos = 0
    with open(ruta, "rb") as f:
        encabezado = f.readline()
        f.seek(0)
        inicio_linea = 0
        while leidos < desplazamiento:
            trozo = f.read(min(bloque, desplazamiento - leidos))
            if not trozo:
                break
            n = trozo.count(b"\n")
            if n:
                inicio_linea = leidos + trozo.rindex(b"\n") + 1
                lineas += n
            leidos += len(trozo)
        f.seek(inicio_linea)
        prefijo = f.read(min(desplazamiento - inicio_linea, LIMITE_LINEA + 1))
    return lineas, encabezado, prefijo


def _columna_en(encabezado: bytes, prefijo: bytes, codificacion: str = "latin-1") -> str | None:
    """Name of the header column holding the byte after ``prefijo`` (the start of its line)."""
    texto_enc = encabezado.decode(codificacion, errors="replace").lstrip("\ufeff").rstrip("\r\n")
    if texto_enc.startswith("ï»¿"):
        texto_enc = texto_enc[3:]
    sep = detectar_separador(texto_enc)
    try:
        nombres = next(csv.reader([texto_enc], delimiter=sep), [])
    except csv.Error:  # a header line with a carriage return or NUL: name the column by number
        nombres = []
    limite = csv.field_size_limit()
    csv.field_size_limit(max(limite, LIMITE_LINEA * 4))
    try:
        partes = next(csv.reader([prefijo.decode(codificacion, errors="replace") + "x"], delimiter=sep), [""])
    except csv.Error:
        partes = [""]
    finally:
        csv.field_size_limit(limite)
    indice = len(partes) - 1
    if indice < len(nombres) and nombres[indice].strip():
        return nombres[indice].strip().strip('"')
    return f"columna {indice + 1}" if indice else None


#: Encoding of a CSV that is not UTF-8 and has bytes 0x80–0x9F. Windows-1252 is latin-1 plus printable
#: characters where latin-1 has invisible C1 control codes (0x80–0x9F): curly quotes “ ” ‘ ’, dashes
#: – —, €, … A file saved by Excel or Word in Windows keeps its quotes and dashes instead of
#: publishing control characters. Without such bytes both read the same, and latin-1 (SHCP open
#: data) is decoded twice as fast (145 MB: 0.47 s against 0.89 s).
CODIFICACION_NO_UTF8 = "cp1252"
_C1 = bytes(range(0x80, 0xA0))
#: The five bytes Windows-1252 leaves undefined: in a text file they can only be damage.
_INDEFINIDOS_CP1252 = b"\x81\x8d\x8f\x90\x9d"
_INDEFINIDOS_RE = re.compile(b"[" + re.escape(_INDEFINIDOS_CP1252) + b"]")


def detectar_codificacion(ruta: Path, bloque: int = BLOQUE_ESCANEO) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8 (BOM or not), else ``cp1252`` (or ``latin-1``,
    identical, when no byte is in 0x80–0x9F).

    The one place that decides how a CSV is decoded (every CSV reader calls it, through
    :func:`comprobar_texto`). SHCP open data is latin-1, which Windows-1252 reads identically
    except for 0x80–0x9F, where it has the curly quotes and dashes that Excel writes
    (:data:`CODIFICACION_NO_UTF8`); files saved by Excel are often UTF-8 with BOM. The whole
    file is checked (an accent may first appear after hundreds of megabytes): UTF-8
    validation runs at memory speed, a fraction of the time of parsing the CSV. A non-UTF-8
    file with a byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is refused
    naming its row and column: decoded, it would be an invisible control character in the
    published text.

    A file that starts with the UTF-8 mark (BOM) but whose body is not UTF-8 (a latin-1
    file pasted behind it, or rows appended by another program), or that has letters written
    in UTF-8 (``ó`` as ``C3 B3``) and bytes that are not, cannot be read either way without
    garbling names: it is refused naming the first line that is not UTF-8.
    """
    pasada = _Pasada(ruta, texto=False)
    pasada.recorrer(bloque)
    return pasada.codificacion()


class _Pasada:
    """One pass over a CSV's bytes for what every reader checks before parsing it.

    With ``texto``, NUL and control bytes and lines of megabytes are refused as soon as they
    are met (:meth:`_revisar_texto`). With ``codificacion``, the pass also decides the
    encoding (:func:`detectar_codificacion`): UTF-8 is validated block by block; at the
    first byte that is not UTF-8, what decides between latin-1 and Windows-1252 and what
    refuses a file (letters written in UTF-8, bytes 0x80–0x9F, bytes Windows-1252 leaves
    undefined) is gathered from the start of the file on. A national SRFT file is read once
    (three passes before: 2.7 s of CPU for 787 MB, now about 0.6 s), and every check is a
    ``translate`` or ``find`` running in C; a block that may hold a problem is then checked
    the slow, exact way, which also locates it.
    """

    def __init__(self, ruta: Path, texto: bool = True, codificacion: bool = True) -> None:
        self.ruta, self.texto, self.con_codificacion = Path(ruta), texto, codificacion
        self.nombre = self.ruta.name
        self.largo_actual = 0  # characters of the current line read so far (across blocks)
        self.utf8 = True  # every byte so far is UTF-8
        self.pendiente = b""  # an incomplete UTF-8 character at the end of the previous block
        self.malo: int | None = None  # offset of the first byte that is not UTF-8
        self.con_bom = False
        self.letras = False  # a Latin-1 letter written in UTF-8 (C3 80–BF, C2 A0–BF)
        self.c1 = False  # a byte 0x80–0x9F
        self.indefinido: int | None = None  # offset of the first byte Windows-1252 leaves undefined
        self._previo = b""  # last byte of the block before (a UTF-8 letter split between two blocks)

    def recorrer(self, bloque: int = BLOQUE_ESCANEO, hasta: int | None = None) -> None:
        """Check the whole file, or only its first ``hasta`` bytes (a UTF-8 letter cut at that point is not an error)."""
        leidos = 0
        with open(self.ruta, "rb") as f:
            for trozo in iter(lambda: f.read(bloque if hasta is None else min(bloque, hasta - leidos)), b""):
                if leidos == 0:
                    self.con_bom = trozo.startswith(codecs.BOM_UTF8)
                hechos_pendientes = self.con_codificacion and not self.utf8
                sin_c1 = self.texto and self._revisar_texto(trozo, leidos, con_c1=hechos_pendientes)
                if self.con_codificacion and self.utf8 and not self._es_utf8(trozo, leidos):
                    self._hechos_hasta(leidos, bloque)  # the blocks before, read again (usually none)
                if self.con_codificacion and not self.utf8:
                    self._hechos(trozo, leidos, sin_c1=sin_c1)
                leidos += len(trozo)
        if self.con_codificacion and self.utf8 and self.pendiente and hasta is None:
            self.utf8, self.malo = False, leidos - len(self.pendiente)
            self._hechos_hasta(leidos, bloque)

    # ------------------------------------------------------------------ text
    def _revisar_texto(self, trozo: bytes, leidos: int, con_c1: bool = False) -> bool:
        """Refuse a NUL or control byte, or a line longer than :data:`LIMITE_LINEA`, in this block.

        With ``con_c1`` the same ``translate`` also tells whether the block has a byte 0x80–0x9F:
        True when it has none (and no control byte).
        """
        sin_c1 = con_c1 and len(trozo.translate(None, _CONTROL_Y_C1)) == len(trozo)
        if sin_c1:
            pass  # neither control bytes nor 0x80–0x9F: one ``translate`` told both
        elif len(trozo.translate(None, _BYTES_CONTROL)) != len(trozo) and (m := CONTROL_BYTES_RE.search(trozo)):
            desplazamiento = leidos + m.start()
            linea, encabezado, prefijo = _linea_de(self.ruta, desplazamiento)
            codigo = trozo[m.start()]
            que = "un byte nulo (NUL)" if codigo == 0 else f"un carácter de control (U+{codigo:04X})"
            raise ErrorEntrada(
                f"el archivo contiene {que}, que no puede ir en un CSV de texto ni en un libro de Excel; "
                "quítelo (suele venir de copiar texto de otro sistema) o guarde de nuevo el archivo como "
                "«CSV UTF-8 (delimitado por comas)»",
                archivo=self.nombre, fila=linea, columna=_columna_en(encabezado, prefijo))
        if not self._lineas_cortas(trozo):
            self._lineas_exactas(trozo, leidos)
        return sin_c1

    def _lineas_cortas(self, trozo: bytes) -> bool:
        """True when no line of the block is too long, told by a few ``find`` (then the carry is updated).

        Between the first and the last line end of the block, every window of half the limit
        holds a line end, so no line between them can reach the limit; the first and the last
        line, which continue across blocks, are measured. False means: look the exact way.
        """
        primera, ultima = trozo.find(b"\n"), trozo.rfind(b"\n")
        if primera == -1:
            return False
        if self.largo_actual + primera > LIMITE_LINEA or len(trozo) - ultima - 1 > LIMITE_LINEA:
            return False
        ventana = LIMITE_LINEA // 2
        for inicio in range(primera, ultima, ventana):
            if trozo.find(b"\n", inicio + 1, min(inicio + 1 + ventana, ultima + 1)) == -1:
                return False
        self.largo_actual = len(trozo) - ultima - 1
        return True

    def _lineas_exactas(self, trozo: bytes, leidos: int) -> None:
        partes = trozo.split(b"\n")
        largos = [self.largo_actual + len(partes[0]), *map(len, partes[1:])]
        if max(largos) > LIMITE_LINEA:
            i = next(k for k, n in enumerate(largos) if n > LIMITE_LINEA)
            inicio = (leidos - self.largo_actual) if i == 0 else leidos + sum(len(p) + 1 for p in partes[:i])
            linea, encabezado, _ = _linea_de(self.ruta, inicio)
            with open(self.ruta, "rb") as g:
                g.seek(inicio)
                prefijo = g.read(LIMITE_LINEA)
            columna = _columna_en(encabezado, prefijo)
            raise ErrorEntrada(
                f"la fila tiene un texto de más de {LIMITE_LINEA:,} caracteres, demasiado largo para una "
                "celda (suele ser texto pegado por error o unas comillas sin cerrar); recórtelo o corrija "
                "las comillas", archivo=self.nombre, fila=linea, columna=columna)
        self.largo_actual = largos[-1]

    # ------------------------------------------------------------------ encoding
    def _es_utf8(self, trozo: bytes, leidos: int) -> bool:
        """Whether the file is still UTF-8 after this block (else :attr:`malo` is set)."""
        datos = self.pendiente + trozo
        try:
            datos.decode("utf-8")
            self.pendiente = b""
            return True
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.start >= len(datos) - 3:
                self.pendiente = datos[exc.start:]
                return True
            self.utf8, self.malo = False, leidos - len(self.pendiente) + exc.start
            return False

    def _hechos_hasta(self, hasta: int, bloque: int) -> None:
        """:meth:`_hechos` of the file's first ``hasta`` bytes (read again)."""
        leidos = 0
        with open(self.ruta, "rb") as f:
            while leidos < hasta:
                trozo = f.read(min(bloque, hasta - leidos))
                if not trozo:
                    break
                self._hechos(trozo, leidos)
                leidos += len(trozo)

    def _hechos(self, trozo: bytes, leidos: int, sin_c1: bool = False) -> None:
        """What decides the encoding of a file that is not UTF-8, from one more block (``sin_c1``: the
        block is known to have no byte 0x80–0x9F, so none Windows-1252 leaves undefined)."""
        if not self.letras:
            datos = self._previo + trozo
            for lider, desde in ((0xC3, 0x80), (0xC2, 0xA0)):
                i = datos.find(bytes([lider]))
                while i != -1 and i + 1 < len(datos) and not self.letras:
                    self.letras = desde <= datos[i + 1] <= 0xBF
                    i = datos.find(bytes([lider]), i + 1)
            self._previo = datos[-1:]
        if not sin_c1 and self.indefinido is None and (self.c1 or len(trozo.translate(None, _C1)) != len(trozo)):
            self.c1 = True
            if len(trozo.translate(None, _INDEFINIDOS_CP1252)) != len(trozo):
                self.indefinido = leidos + _INDEFINIDOS_RE.search(trozo).start()

    def codificacion(self) -> str:
        """The file's encoding, or :class:`ErrorEntrada` raised (see :func:`detectar_codificacion`)."""
        if self.utf8:
            return "utf-8-sig"
        if self.con_bom or self.letras:
            _refusar_mezcla(self.ruta, self.malo, self.con_bom)
        if self.indefinido is not None:
            linea, encabezado, prefijo = _linea_de(self.ruta, self.indefinido)
            with open(self.ruta, "rb") as f:
                f.seek(self.indefinido)
                byte = f.read(1)[0]
            raise ErrorEntrada(
                f"el archivo contiene el byte 0x{byte:02X}, que no es un carácter en latin-1 ni en "
                "Windows-1252 (se mostraría como un carácter de control invisible); corrija esa celda o guarde "
                "de nuevo el archivo como «CSV UTF-8 (delimitado por comas)»",
                archivo=self.nombre, fila=linea, columna=_columna_en(encabezado, prefijo))
        return CODIFICACION_NO_UTF8 if self.c1 else "latin-1"


def _lineas_no_utf8(ruta: Path) -> int:
    """How many lines of the file are not UTF-8."""
    with open(ruta, "rb") as f:
        return sum(1 for linea in f if not _es_utf8(linea))


def _es_utf8(crudo: bytes) -> bool:
    try:
        crudo.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refusar_mezcla(ruta: Path, desplazamiento: int, con_bom: bool) -> None:
    """Refuse a file that mixes UTF-8 with another encoding, naming the first line that is not UTF-8.

    A file with the UTF-8 mark (BOM), or with letters written in UTF-8, and a byte that is
    not UTF-8: read either way some names would come out garbled (``EspecÃ­fico``), so it
    is refused naming the line and column of the first byte of the other encoding and how
    many lines have one.
    """
    linea, encabezado, prefijo = _linea_de(ruta, desplazamiento)
    with open(ruta, "rb") as f:
        f.seek(desplazamiento)
        muestra = f.read(1)
    byte = f"el byte 0x{muestra.hex()} «{muestra.decode('latin-1')}» es de latin-1 o Windows-1252"
    if con_bom:
        motivo = f"el archivo empieza con la marca de UTF-8 (BOM) pero desde esta fila no es UTF-8 ({byte})"
    else:
        n = _lineas_no_utf8(ruta)
        motivo = f"el archivo está en UTF-8 pero esta fila no ({byte}; {n:,} fila{'s' if n != 1 else ''} así)"
    raise ErrorEntrada(
        f"{motivo}; parte del archivo se guardó con otra codificación: ábralo en Excel y guárdelo de nuevo como "
        "«CSV UTF-8 (delimitado por comas)»",
        archivo=Path(ruta).name, fila=linea, columna=_columna_en(encabezado, prefijo, "utf-8"))


def _es_zip_de_excel(ruta: Path) -> tuple[bool, list[str] | None]:
    """(is an Excel workbook, member names) of a file starting with the ZIP signature.

    Member names are ``None`` when the ZIP cannot be opened (damaged or cut).
    """
    import zipfile

    try:
        with zipfile.ZipFile(ruta) as z:
            nombres = [i.filename for i in z.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return False, None
    excel = "[Content_Types].xml" in nombres and any(n.startswith("xl/") for n in nombres)
    return excel, nombres


def nombre_visible(nombre: str) -> str:
    """A file name as a message can print it: bytes that are not UTF-8 (which Python keeps as
    surrogates, ``os.fsdecode``) written as ``\\xf1``; any other name unchanged."""
    try:
        crudo = nombre.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        crudo = nombre.encode("utf-8", "backslashreplace")
    return crudo.decode("utf-8", "backslashreplace")


def comprobar_nombre(ruta: Path) -> None:
    """Refuse a file whose name is not UTF-8 text (a latin-1 name copied from another system).

    Such a name cannot be written to the store's register, the manifest or a message as it is:
    ``ingest`` and ``validate`` refuse the file with its name escaped (``asm_se\\xf1al.csv``) and
    read nothing from it; the report it could concern is refused like any unreadable file.
    """
    nombre = Path(ruta).name
    visible = nombre_visible(nombre)
    if visible == nombre:
        return
    malo = next(c for c in nombre if "\udc80" <= c <= "\udcff" or "\ud800" <= c <= "\udfff")
    byte = f"el byte 0x{ord(malo) - 0xDC00:02X} es de latin-1 o Windows-1252" if "\udc80" <= malo <= "\udcff" \
        else f"U+{ord(malo):04X}"
    raise ErrorEntrada(f"el nombre del archivo no es texto UTF-8 ({byte}); no se leyó: cámbiele el nombre (por "
                       "ejemplo, sin acentos) y vuelva a ejecutar", archivo=visible)


#: Signatures of compressed files (first bytes) → the name a user knows them by. A download
#: compressed and renamed ``.csv`` would otherwise reach the CSV reader as binary noise.
COMPRIMIDOS: dict[bytes, str] = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"7z\xbc\xaf\x27\x1c": "7-Zip",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"Rar!\x1a\x07": "RAR",
}


def _nombre_en_gzip(inicio: bytes) -> str | None:
    """The original file name a gzip header carries (flag FNAME, RFC 1952), if any."""
    if len(inicio) < 10 or not inicio[3] & 0x08:
        return None
    posicion = 10
    if inicio[3] & 0x04:  # FEXTRA: two-byte length, then the extra field
        posicion += 2 + int.from_bytes(inicio[10:12], "little")
    fin = inicio.find(b"\x00", posicion)
    return inicio[posicion:fin].decode("latin-1") or None if fin > posicion else None


def _rechazar_comprimido(inicio: bytes, nombre: str) -> None:
    """Refuse a gzip, bzip2, xz, 7-Zip, zstd or RAR file given a ``.csv`` name, naming what it holds when known."""
    formato = next((f for firma, f in COMPRIMIDOS.items() if inicio.startswith(firma)), None)
    if formato is None:
        return
    dentro = _nombre_en_gzip(inicio) if formato == "gzip" else None
    contiene = f"; contiene «{dentro}»" if dentro else ""
    raise ErrorEntrada(f"es un archivo comprimido {formato}, no un CSV{contiene}: descomprímalo y ponga el CSV que "
                       "contiene en lugar de este archivo", archivo=nombre)


_BYTES_CONTROL = bytes(b for b in range(256) if CONTROL_BYTES_RE.match(bytes([b])))
_CONTROL_Y_C1 = _BYTES_CONTROL + _C1


def _escanear_bytes(ruta: Path, bloque: int = BLOQUE_ESCANEO) -> None:
    """Refuse, naming the line and column, NUL/control bytes or a line of megabytes anywhere (:class:`_Pasada`)."""
    _Pasada(ruta, codificacion=False).recorrer(bloque)


def comprobar_texto(ruta: Path) -> str:
    """The encoding of a ``.csv`` (:func:`detectar_codificacion`), or a clear :class:`ErrorEntrada`
    when it is not a text CSV we can read.

    Catches what users download or save by mistake: an empty file, a workbook renamed to
    ``.csv``, a ZIP download renamed to ``.csv`` (naming what it holds), a gzip, bzip2, xz,
    7-Zip, zstd or RAR file (:data:`COMPRIMIDOS`), an old or
    password-protected Excel file, Excel's «Texto Unicode» (UTF-16); anywhere in the file,
    NUL or control characters and lines of megabytes (see :func:`_escanear_bytes`); and a
    header that no first row agrees with (:func:`revisar_primeras_filas`); then what refuses its
    encoding. The whole file is read once for all of it (:class:`_Pasada`).
    """
    _comprobar_inicio(Path(ruta))
    pasada = _Pasada(Path(ruta))
    pasada.recorrer()
    revisar_primeras_filas(Path(ruta))
    return pasada.codificacion()


def _comprobar_inicio(ruta: Path) -> None:
    """What the first 4 KB tell: an empty file, a workbook, a compressed file, UTF-16 (see :func:`comprobar_texto`)."""
    with open(ruta, "rb") as f:
        inicio = f.read(4096)
    nombre = Path(ruta).name
    if not inicio:
        raise ErrorEntrada("el archivo está vacío", archivo=nombre)
    if inicio.startswith(b"PK\x03\x04"):
        excel, miembros = _es_zip_de_excel(Path(ruta))
        if excel:
            raise ErrorEntrada("es un libro de Excel (.xlsx), no un CSV; ábralo en Excel y guárdelo como "
                               "«CSV UTF-8 (delimitado por comas)»", archivo=nombre)
        if miembros is None:
            raise ErrorEntrada("es un archivo comprimido ZIP dañado o incompleto, no un CSV; descárguelo de nuevo",
                               archivo=nombre)
        archivos = [m for m in miembros if not m.endswith("/")]
        lista = ", ".join(f"«{m}»" for m in archivos[:5]) + (f" y {len(archivos) - 5} más" if len(archivos) > 5
                                                             else "")
        raise ErrorEntrada(f"es un archivo comprimido ZIP, no un CSV; contiene {lista or 'nada'}: descomprímalo y "
                           "ponga el CSV que contiene en lugar de este archivo", archivo=nombre)
    _rechazar_comprimido(inicio, nombre)
    if inicio.startswith(b"\xd0\xcf\x11\xe0"):
        raise ErrorEntrada("es un archivo de Excel antiguo (.xls) o protegido, no un CSV; ábralo en Excel y "
                           "guárdelo como «CSV UTF-8 (delimitado por comas)»", archivo=nombre)
    if inicio.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or inicio.count(b"\x00") > len(inicio) // 4:
        raise ErrorEntrada("está guardado como texto Unicode (UTF-16); guárdelo como «CSV UTF-8 (delimitado "
                           "por comas)»", archivo=nombre, fila=1)


#: A CSV at least this large is loaded while the whole-file part of :func:`comprobar_texto` waits
#: (:class:`RevisionDiferida`); a smaller one is checked whole before it is read (a few milliseconds).
REVISION_DIFERIDA_DESDE = 4 * BLOQUE_ESCANEO
#: Bytes at the start of such a file checked at once, with every check of the pass.
REVISION_INICIAL = BLOQUE_ESCANEO


def comprobar_texto_diferido(ruta: Path) -> str | RevisionDiferida:
    """:func:`comprobar_texto`, with the whole-file pass deferred for a large file that a loader watches.

    A file under :data:`REVISION_DIFERIDA_DESDE`, or one whose header line is not ASCII, is
    checked whole as before (its encoding is returned). For a larger one, what can be told at
    once is checked at once (the first 4 KB, the first :data:`REVISION_INICIAL` bytes with
    every check of the pass, the header against the first rows) and a
    :class:`RevisionDiferida` is returned: the loader watches each block for what the rest of
    the pass looks for, and runs it when it meets any.
    """
    ruta = Path(ruta)
    if ruta.stat().st_size < REVISION_DIFERIDA_DESDE:
        return comprobar_texto(ruta)
    _comprobar_inicio(ruta)
    pasada = _Pasada(ruta)
    pasada.recorrer(hasta=REVISION_INICIAL)
    revisar_primeras_filas(ruta)
    with open(ruta, "rb") as f:
        primera = f.readline(LIMITE_LINEA)
    con_bom = primera.startswith(codecs.BOM_UTF8)
    if not primera.removeprefix(codecs.BOM_UTF8).isascii() or not pasada.utf8 and (
            con_bom or pasada.letras or pasada.indefinido is not None):
        return comprobar_texto(ruta)  # refused, or a header to decode: the whole pass now
    provisional = "utf-8-sig" if pasada.utf8 else CODIFICACION_NO_UTF8 if pasada.c1 else "latin-1"
    return RevisionDiferida(ruta, con_bom, provisional)


#: A Latin-1 letter written in UTF-8 (``ó`` as ``C3 B3``): in a file that is not UTF-8 it means a mixed file.
LETRAS_UTF8_RE = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]")


class Releer(Exception):
    """Some blocks of a large file were decoded otherwise than the whole-file check
    (:meth:`RevisionDiferida.cerrar`) settled, on ``codificacion``: load the file again with it."""

    def __init__(self, codificacion: str) -> None:
        super().__init__(codificacion)
        self.codificacion = codificacion


class RevisionDiferida:
    """The whole-file byte checks of :func:`comprobar_texto` for a large CSV, run only if the load needs them.

    Reading every byte before loading costs a national SRFT file about 1.3 s, all of it before
    the first row is read. Instead the loader (``srft.leer_lotes``) notes, for each column of
    each block, what the pass looks for: a byte below 0x20 (a control byte, or a tab or line
    break inside a quoted text), a row of hundreds of kilobytes, a text the reader cannot
    decode, texts beyond ASCII. On the first three it calls :meth:`revisar`, which runs the
    pass: the file is refused exactly as it would have been before loading (the loader then
    deletes what it wrote), or the pass finds nothing and the load goes on with the encoding
    it settled.

    The file is read in the encoding of its first bytes (:attr:`provisional`: UTF-8, latin-1,
    or Windows-1252 when they have a byte 0x80–0x9F; the last two are read as bytes and decoded
    as the rules read them). A text that is not valid in it (invalid UTF-8, a byte Windows-1252
    leaves undefined) runs the pass at once. :meth:`cerrar`, at the end, runs the pass when texts beyond
    ASCII were read as UTF-8 and others not (or after a UTF-8 mark, or with a Latin-1 letter
    written in UTF-8 or a C1 code read as latin-1 among them), and asks for the file to be
    loaded again (:class:`Releer`) if any block was decoded otherwise than the pass says.
    """

    def __init__(self, ruta: Path, con_bom: bool = False, provisional: str = "utf-8-sig") -> None:
        self.ruta, self.con_bom = Path(ruta), con_bom
        self.provisional = provisional  # the encoding of the file's first bytes, read with until the pass says
        self.utf8_visto = False  # a block had texts beyond ASCII read as UTF-8
        self.no_utf8_visto = False  # … read as latin-1 or Windows-1252
        self.dudoso = False  # … among them a Latin-1 letter written in UTF-8, or a C1 code read as latin-1
        self._codificacion: str | None = None
        self._error: ErrorEntrada | None = None
        self._cerrojo = threading.Lock()

    @property
    def codificacion(self) -> str | None:
        """The file's encoding once the pass has run (None before)."""
        return self._codificacion

    def revisar(self) -> str:
        """Run the whole-file pass now (once, whatever the thread): the encoding, or its ErrorEntrada raised."""
        with self._cerrojo:
            if self._error is None and self._codificacion is None:
                try:
                    pasada = _Pasada(self.ruta)
                    pasada.recorrer()
                    self._codificacion = pasada.codificacion()
                except ErrorEntrada as exc:
                    self._error = exc
            if self._error is not None:
                raise self._error
            return self._codificacion

    def cerrar(self) -> str:
        """After the last block: the encoding the file was decoded with, the pass's refusal, or :class:`Releer`."""
        if self._codificacion is None and not (self.no_utf8_visto and (self.utf8_visto or self.con_bom or self.dudoso)):
            return self.provisional
        codificacion = self.revisar()
        if codificacion.startswith("utf"):
            releer = self.no_utf8_visto
        else:
            releer = self.utf8_visto or (self.dudoso and codificacion != self.provisional)
        if releer:
            raise Releer(codificacion)
        return codificacion


#: Data rows compared with the header by :func:`revisar_primeras_filas`.
FILAS_MUESTRA = 20


def revisar_primeras_filas(ruta: Path, muestra: int = FILAS_MUESTRA, bytes_maximos: int = 1 << 20) -> None:
    """Refuse a header that disagrees with every one of the first data rows, before any row is read.

    A comma at the end of the header only (its last name empty, the rows one cell shorter), or
    any other header whose cell count no first row has: read on, every row of a file of
    millions would be rejected one by one. A few rows that disagree are left to the loaders,
    which reject just those rows.
    """
    with open(ruta, "rb") as f:
        texto = f.read(bytes_maximos).decode("latin-1")
    completo = len(texto) < bytes_maximos
    if not completo:  # the last line may be cut
        texto = texto[: texto.rfind("\n") + 1]
    lineas = texto.splitlines(keepends=True)
    if not lineas:
        return
    limite = csv.field_size_limit()
    csv.field_size_limit(max(limite, bytes_maximos))
    separador = detectar_separador(lineas[0])
    try:
        lector = csv.reader(lineas, delimiter=separador)
        registros, numeros, inicio = [], [], 1
        for r in lector:  # each record with the line it starts on
            if r:
                registros.append(r)
                numeros.append(inicio)
            inicio = lector.line_num + 1
    except csv.Error:
        return  # the loaders report a malformed CSV with its row
    finally:
        csv.field_size_limit(limite)
    if len(registros) < 2:
        return
    encabezado = registros[0]
    muestra_con_numero = [(num, r) for num, r in zip(numeros[1: muestra + 1], registros[1: muestra + 1])
                          if any(c.strip() for c in r)]
    filas = [r for _, r in muestra_con_numero]
    largos = {len(r) for r in filas}
    n = len(encabezado)
    finales = 0
    while finales < n and not encabezado[n - 1 - finales].strip().strip('"'):
        finales += 1
    nombre = Path(ruta).name
    if finales and 0 < finales < n and largos == {n - finales}:
        letra = letra_columna(n - 1)
        raise ErrorEntrada(f"la columna {letra} (n.º {n}) del encabezado no tiene nombre (probablemente un separador "
                           f"de más al final de la línea): el encabezado tiene {n} columnas y las filas de datos "
                           f"{n - finales}; quite la coma final de la fila 1", archivo=nombre, fila=1, columna=letra)
    if len(filas) >= 2 and n not in largos:
        comun = max(sorted(largos), key=[len(r) for r in filas].count)
        con_comun = [num for num, r in muestra_con_numero if len(r) == comun]
        cuales = ", ".join(map(str, con_comun[:5])) + (f" y {len(con_comun) - 5} más" if len(con_comun) > 5 else "")
        conteo = _contar_largo(ruta, separador, comun)
        en_todo = (f"; en todo el archivo, {conteo[0]:,} de {conteo[1]:,} filas de datos tienen {comun} columnas"
                   if conteo else "")
        raise ErrorEntrada(f"el encabezado tiene {n} columnas y las primeras {len(filas)} filas de datos tienen "
                           f"{comun} (fila{'s' if len(con_comun) > 1 else ''} {cuales}){en_todo}: el encabezado no "
                           "corresponde a los datos (falta o sobra una columna, o el separador es otro); corríjalo "
                           "antes de cargar el archivo", archivo=nombre, fila=1)


def _contar_largo(ruta: Path, separador: str, largo: int) -> tuple[int, int] | None:
    """(data rows with ``largo`` cells, data rows) of the whole file, or None if it cannot be parsed.

    Only on the way to refusing a file whose header no first row agrees with, so the message can
    say how much of the file is affected (a file of millions is read once, in a few seconds).
    """
    limite = csv.field_size_limit()
    csv.field_size_limit(max(limite, LIMITE_CAMPO * 4))
    try:
        with open(ruta, encoding="latin-1", newline="") as f:
            lector = csv.reader(f, delimiter=separador)
            next(lector, None)
            total = con_largo = 0
            for r in lector:
                if r:
                    total += 1
                    con_largo += len(r) == largo
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(limite)
    return con_largo, total


def letra_columna(indice: int) -> str:
    """0 → ``A``, 29 → ``AD``: the column letter the user sees when the CSV is opened in Excel."""
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


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
    codificacion = comprobar_texto(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        texto = f.read()
    primera = texto.split("\n", 1)[0]
    lector = csv.reader(io.StringIO(texto), delimiter=detectar_separador(primera))
    limite = csv.field_size_limit()
    csv.field_size_limit(max(limite, LIMITE_CAMPO * 4))  # checked below, in Spanish, with row and column
    try:
        filas = [fila for fila in lector]
    except csv.Error as exc:
        raise ErrorEntrada("el CSV está mal formado (revise las comillas de esta fila: un texto con comillas debe "
                           "abrirlas y cerrarlas)", archivo=Path(ruta).name, fila=lector.line_num) from exc
    finally:
        csv.field_size_limit(limite)
    if not filas:
        return [], [], codificacion
    for i, fila in enumerate(filas if len(texto) > LIMITE_CAMPO else ()):
        if (error := celda_demasiado_larga(fila, Path(ruta).name, i + 1, filas[0] if i else [])) is not None:
            raise error
    return filas[0], filas[1:], codificacion


def celda_demasiado_larga(celdas: list[str], archivo: str, fila: int, nombres: list[str]) -> ErrorEntrada | None:
    """The refusal of a row (number ``fila``) with a cell longer than :data:`LIMITE_CAMPO`, naming its
    column from ``nombres`` (the header), or None when every cell is within the limit."""
    if not celdas or max(map(len, celdas)) <= LIMITE_CAMPO:
        return None
    j = next(k for k, celda in enumerate(celdas) if len(celda) > LIMITE_CAMPO)
    nombre = nombres[j].strip() if j < len(nombres) and nombres[j].strip() else f"columna {j + 1}"
    return ErrorEntrada(f"la celda tiene un texto de {len(celdas[j]):,} caracteres, más del límite de "
                        f"{LIMITE_CAMPO:,} (suele ser texto pegado por error o unas comillas sin cerrar); "
                        "recórtelo o corrija las comillas", archivo=archivo, fila=fila, columna=nombre)
