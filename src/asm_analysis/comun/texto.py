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


#: Characters XML 1.0 cannot hold (C0 controls other than tab and line ends, lone surrogates,
#: U+FFFE and U+FFFF): a Word or Excel file carrying one is reported as damaged.
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def texto_xml(texto: str) -> str:
    """``texto`` fit for a Word or Excel file: characters XML cannot hold removed, line ends as ``\\n``.

    The loaders already reject input cells with such characters (naming file, row and column);
    this is the writers' last guard, shared by ``anexos.docx`` and ``anexos.xlsx``.
    """
    return _NO_XML.sub("", texto.replace("\r\n", "\n").replace("\r", "\n"))
