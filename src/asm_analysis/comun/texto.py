"""Text normalisation shared by catalogs, header matching and fuzzy ASM matching."""

from __future__ import annotations

import re
import unicodedata


def sin_acentos(texto: str) -> str:
    """Remove accents and diacritics (``Querétaro`` → ``Queretaro``), keeping ñ as n."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def normalizar(texto: object) -> str:
    """Lower case, no accents, punctuation turned to spaces, single spaces.

    ``"  Coahuila de Zaragoza. "`` → ``"coahuila de zaragoza"``; ``None`` → ``""``.
    """
    if texto is None:
        return ""
    t = sin_acentos(str(texto)).lower()
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return t.strip()


def slug(texto: str) -> str:
    """File-system-safe slug: ``"Ciudad de México"`` → ``"ciudad-de-mexico"``.

    Only ``[a-z0-9-]`` survive, so a slug can never climb out of a folder.
    """
    s = normalizar(texto).replace(" ", "-")
    return s or "sin-nombre"


#: Characters XML 1.0 does not allow, so neither an xlsx nor a docx can hold them (lxml refuses
#: them, openpyxl writes a workbook Excel calls damaged): NUL and the C0 controls but tab, line
#: feed and carriage return; lone surrogates (a file name decoded with ``surrogateescape``); and
#: the noncharacters U+FFFE and U+FFFF.
NO_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What a writer puts in place of each such character: U+FFFD, the replacement character «�»,
#: so the reader sees that something was there.
SUSTITUTO = "\ufffd"


def caracter_no_xml(texto: str) -> str | None:
    """The first character of ``texto`` that XML forbids (:data:`NO_XML_RE`), or None."""
    m = NO_XML_RE.search(texto)
    return m[0] if m else None


def nombre_caracter(caracter: str) -> str:
    """How a message names a character XML forbids: «un byte nulo (NUL)», «un carácter de control
    (U+000B)», «un carácter no válido (U+FFFF)»."""
    codigo = ord(caracter)
    if codigo == 0:
        return "un byte nulo (NUL)"
    return f"un carácter {'de control' if codigo < 0x20 else 'no válido'} (U+{codigo:04X})"


def escapar_no_xml(texto: str) -> str:
    """``texto`` with each character XML forbids written as an escape (``\\x0b``, ``\\uffff``), to show it."""
    return NO_XML_RE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", texto)


def texto_xml(texto: str) -> str:
    """``texto`` fit for an xlsx or docx cell: each character XML forbids replaced by «�» (U+FFFD),
    line ends as ``\n`` (XML would turn a lone carriage return into one anyway).

    The one rule of every writer of XML documents (``publicacion.salidas`` and
    ``publicacion.documento``). The loaders reject a row holding such a character with its
    file, row and column (``entradas.carga``), so what reaches a writer came from elsewhere;
    it is marked, never dropped silently, and never stops the writer with a traceback.
    """
    texto = texto.replace("\r\n", "\n").replace("\r", "\n")
    return NO_XML_RE.sub(SUSTITUTO, texto) if NO_XML_RE.search(texto) else texto
