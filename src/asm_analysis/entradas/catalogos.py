"""Reference catalogs shipped as data: states (INEGI), COG (CONAC) and funds.

The CSV files live in ``asm_analysis/data`` and are read once (``functools.lru_cache``).
Public functions return copies, so a caller may modify what it gets without
touching the cache.

Matching of what users type (state names, fund keys) is insensitive to case,
accents, punctuation and spacing: every candidate is reduced to its
``texto.normalizar`` form with the spaces removed, so ``"Q. Roo"``, ``"Q.Roo"``
and ``"qroo"`` all meet at ``"qroo"``.
"""

from __future__ import annotations

import difflib
import numbers
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import normalizar, slug

__all__ = [
    "Estado",
    "Fondo",
    "capitulo_de",
    "capitulos",
    "concepto_de",
    "conceptos",
    "estados",
    "fondos",
    "nombre_capitulo",
    "nombre_concepto",
    "resolver_estado",
    "resolver_fondo",
]

CVE_NACIONAL = "00"
"""``cve_ent`` of the national (programme-level) pseudo-state."""

_SEPARADOR = "|"
# Prefixes people put before a state's name; tried only when the full text is unknown.
_PREFIJOS_ESTADO = ("estado libre y soberano de ", "estado de ", "edo de ", "entidad de ")


# --------------------------------------------------------------------------- loading


def leer_csv_del_paquete(nombre: str) -> pd.DataFrame:
    """Read a packaged CSV with every column as text (no NaN: empty cells are ``""``)."""
    archivo = resources.files("asm_analysis") / "data" / nombre
    with archivo.open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def _clave(texto: object) -> str:
    """Matching key: normalised text with spaces removed (``"Q. Roo"`` → ``"qroo"``)."""
    return normalizar(texto).replace(" ", "")


def _indexar(indice: dict[str, str], formas: list[str], valor: str, archivo: str) -> None:
    """Map the matching key of every spelling of one catalog entry to ``valor`` (its code).

    A key that two entries of ``archivo`` claim would make a user's text ambiguous: that is a
    bug of the shipped catalog, raised at import, never a guess.
    """
    for forma in formas:
        clave = _clave(forma)
        if clave and indice.setdefault(clave, valor) != valor:
            raise RuntimeError(f"{archivo}: «{forma}» matches both {indice[clave]} and {valor}")


def _partes(celda: str) -> list[str]:
    """Split a ``|``-separated cell, dropping blanks."""
    return [p.strip() for p in celda.split(_SEPARADOR) if p.strip()]


# --------------------------------------------------------------------------- states


@dataclass(frozen=True)
class Estado:
    """A Mexican state (entidad federativa) as INEGI codes it.

    ``cve_ent`` is the two-digit string ``'01'``..``'32'`` (``'00'`` = national level);
    ``nombre`` is the common name used in reports (``"Coahuila"``), ``nombre_oficial``
    INEGI's official one (``"Coahuila de Zaragoza"``).
    """

    cve_ent: str
    nombre: str
    nombre_oficial: str
    abreviatura: str

    slug = property(lambda self: slug(self.nombre), doc='Name of its output folders: ``"ciudad-de-mexico"``.')

    @property
    def es_nacional(self) -> bool:
        """True for the national (programme-level) pseudo-state ``'00'``."""
        return self.cve_ent == CVE_NACIONAL


@lru_cache(maxsize=1)
def _tabla_estados() -> pd.DataFrame:
    df = leer_csv_del_paquete("estados.csv")
    df["cve_ent"] = df["cve_ent"].str.strip().str.zfill(2)
    return df


@lru_cache(maxsize=1)
def _indice_estados() -> tuple[dict[str, Estado], dict[str, str], dict[str, str]]:
    """Build (estados by cve_ent, matching key → cve_ent, normalised text → cve_ent).

    The last map feeds the "did you mean" suggestions. A matching key claimed by two
    different states is a bug in ``estados.csv`` and fails loudly.
    """
    por_cve: dict[str, Estado] = {}
    por_clave: dict[str, str] = {}
    por_texto: dict[str, str] = {}
    for fila in _tabla_estados().itertuples(index=False):
        estado = Estado(
            cve_ent=fila.cve_ent,
            nombre=fila.nombre,
            nombre_oficial=fila.nombre_oficial,
            abreviatura=fila.abreviatura,
        )
        por_cve[estado.cve_ent] = estado
        formas = [fila.nombre, fila.nombre_oficial, fila.abreviatura, *_partes(fila.variantes)]
        _indexar(por_clave, formas, estado.cve_ent, "estados.csv")
        for forma in formas:
            if _clave(forma):
                por_texto.setdefault(normalizar(forma), estado.cve_ent)
    return por_cve, por_clave, por_texto


def estados(incluir_nacional: bool = False) -> pd.DataFrame:
    """The 32 states in INEGI order (plus the ``'00'`` national row if asked).

    Columns: ``cve_ent, nombre, nombre_oficial, abreviatura, variantes`` (all text;
    ``variantes`` is ``|``-separated).
    """
    df = _tabla_estados()
    if not incluir_nacional:
        df = df[df["cve_ent"] != CVE_NACIONAL]
    return df.reset_index(drop=True).copy()


def _cve_desde_numero(valor: object) -> str | None:
    """Two-digit code from ``1``, ``'1'``, ``'01'``, ``1.0`` or ``'1.0'``; None if not numeric."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, numbers.Integral):
        return f"{int(valor):02d}"
    if isinstance(valor, float):
        return f"{int(valor):02d}" if valor.is_integer() else None
    texto = str(valor).strip()
    texto = re.sub(r"\.0+$", "", texto)
    if texto.isdigit() and len(texto) <= 2:
        return texto.zfill(2)
    return None


def _sugerencias_estado(valor: object, incluir_nacional: bool) -> list[str]:
    """Up to three common state names close to ``valor`` (difflib over normalised forms)."""
    por_cve, _, por_texto = _indice_estados()
    candidatos = {
        texto: cve
        for texto, cve in por_texto.items()
        if incluir_nacional or cve != CVE_NACIONAL
    }
    cercanos = difflib.get_close_matches(normalizar(valor), list(candidatos), n=8, cutoff=0.6)
    nombres: list[str] = []
    for texto in cercanos:
        nombre = por_cve[candidatos[texto]].nombre
        if nombre not in nombres:
            nombres.append(nombre)
    return nombres[:3]


def _rechazar_rutas(valor: object, que: str) -> None:
    """Refuse values that look like paths (``/``, ``\\``, ``..``, NUL) before any matching.

    Output folders are always built from catalog names, so such a value could not escape
    anyway; refusing it outright keeps ``../FASSA`` from quietly meaning FASSA.
    """
    if isinstance(valor, str) and any(t in valor for t in ("/", "\\", "..", "\x00")):
        raise ErrorEntrada(f"el {que} «{valor.replace(chr(0), '␀')}» no se reconoce: "
                           "no puede contener rutas ni los caracteres / \\ .. o NUL")


def resolver_estado(valor: str | int | Estado, incluir_nacional: bool = False) -> Estado:
    """Resolve whatever the user typed to an :class:`Estado`.

    Accepts the INEGI code (``1``, ``'1'``, ``'01'``), the common or official name,
    the abbreviation or any listed variant (``Edomex``, ``CDMX``, ``Distrito Federal``,
    ``Q. Roo``, ``S.L.P.``), ignoring case, accents, punctuation and spacing. The national
    row (``'00'``, ``Nacional``) is accepted only with ``incluir_nacional=True``.

    Raises :class:`ErrorEntrada` (in Spanish, with close matches) when nothing matches.
    """
    _rechazar_rutas(valor, "estado")
    if isinstance(valor, Estado):
        if valor.es_nacional and not incluir_nacional:
            raise _error_nacional(valor.nombre)
        return valor
    por_cve, por_clave, _ = _indice_estados()

    cve = _cve_desde_numero(valor)
    if cve is None:
        texto = normalizar(valor)
        cve = por_clave.get(texto.replace(" ", ""))
        if cve is None:
            for prefijo in _PREFIJOS_ESTADO:
                if texto.startswith(prefijo):
                    cve = por_clave.get(texto[len(prefijo):].replace(" ", ""))
                    if cve is not None:
                        break
    elif cve not in por_cve:
        raise ErrorEntrada(
            f"la clave de entidad «{valor}» no existe; las claves INEGI van de 01 a 32"
        )

    if cve is None:
        sugerencias = _sugerencias_estado(valor, incluir_nacional)
        if sugerencias:
            lista = ", ".join(sugerencias)
            motivo = f"el estado «{valor}» no se reconoce; quizá quiso decir: {lista}"
        else:
            motivo = (
                f"el estado «{valor}» no se reconoce; escriba el nombre de la entidad "
                "federativa (por ejemplo «Jalisco») o su clave INEGI de 01 a 32"
            )
        raise ErrorEntrada(motivo)
    if cve == CVE_NACIONAL and not incluir_nacional:
        raise _error_nacional(valor)
    return por_cve[cve]


def _error_nacional(valor: object) -> ErrorEntrada:
    return ErrorEntrada(
        f"«{valor}» se refiere al ámbito nacional, no a una entidad federativa; "
        "indique un estado por su nombre o su clave INEGI de 01 a 32"
    )


# --------------------------------------------------------------------------- COG


@lru_cache(maxsize=1)
def _tabla_capitulos() -> pd.DataFrame:
    return leer_csv_del_paquete("cog_capitulos.csv")


@lru_cache(maxsize=1)
def _tabla_conceptos() -> pd.DataFrame:
    return leer_csv_del_paquete("cog_conceptos.csv")


@lru_cache(maxsize=1)
def _nombres_capitulos() -> dict[str, str]:
    df = _tabla_capitulos()
    return dict(zip(df["capitulo"], df["nombre"], strict=True))


@lru_cache(maxsize=1)
def _nombres_conceptos() -> dict[str, str]:
    df = _tabla_conceptos()
    return dict(zip(df["concepto"], df["nombre"], strict=True))


def capitulos() -> pd.DataFrame:
    """The nine COG chapters: columns ``capitulo`` (``'1000'``..``'9000'``), ``nombre``."""
    return _tabla_capitulos().copy()


def conceptos() -> pd.DataFrame:
    """Every COG concepto: columns ``concepto`` (``'1100'``..), ``capitulo``, ``nombre``."""
    return _tabla_conceptos().copy()


def _limpiar_clave_cog(clave: object) -> str:
    """Text form of a COG key: stripped, without a spreadsheet's trailing ``.0``."""
    if isinstance(clave, float) and clave.is_integer():
        clave = int(clave)
    texto = "" if clave is None else str(clave).strip()
    return re.sub(r"\.0+$", "", texto)


def _error_cog(clave: object) -> ErrorEntrada:
    return ErrorEntrada(
        f"la clave COG «{clave}» no corresponde a ningún concepto del "
        "Clasificador por Objeto del Gasto"
    )


def _es_capitulo(texto: str) -> bool:
    return texto in _nombres_capitulos()


def concepto_de(clave: str | int) -> str:
    """Roll a partida (genérica ``'113'``, específica ``'1131'``/``'11301'``) up to its concepto.

    ``'113'`` → ``'1100'``, ``'1131'`` → ``'1100'``, ``'1100'`` → ``'1100'``. A chapter key
    (``'1000'``) has no concepto and raises, as does anything that is not a COG key.
    """
    texto = _limpiar_clave_cog(clave)
    if not (texto.isdigit() and texto.isascii() and 3 <= len(texto) <= 5 and texto[0] != "0"):
        raise _error_cog(clave)
    if _es_capitulo(texto):
        raise ErrorEntrada(
            f"la clave COG «{clave}» es un capítulo del Clasificador por Objeto del Gasto, "
            "no un concepto ni una partida"
        )
    concepto = texto[:2] + "00"
    if concepto not in _nombres_conceptos():
        raise _error_cog(clave)
    return concepto


def capitulo_de(clave: str | int) -> str:
    """Roll any COG key up to its chapter: ``'1100'``, ``'113'``, ``'11301'`` → ``'1000'``.

    A chapter key maps to itself. Keys whose concepto is not in the catalog raise
    :class:`ErrorEntrada`.
    """
    texto = _limpiar_clave_cog(clave)
    if _es_capitulo(texto):
        return texto
    return concepto_de(clave)[0] + "000"


def nombre_capitulo(capitulo: str | int) -> str:
    """Official name of the chapter of any COG key (``'1000'`` → ``"Servicios personales"``)."""
    return _nombres_capitulos()[capitulo_de(capitulo)]


def nombre_concepto(concepto: str | int) -> str:
    """Official name of the concepto of a concepto or partida key (``'2530'`` → concepto 2500)."""
    return _nombres_conceptos()[concepto_de(concepto)]


# --------------------------------------------------------------------------- funds


@dataclass(frozen=True)
class Fondo:
    """A fund or budget programme evaluated (``FASSA``, ``IMSS-BIENESTAR``).

    ``ramo`` is the budget branch (``'33'``) and ``modalidad_pp`` the programa
    presupuestario as SHCP's data write it (``'I002'``). Funds split in several
    programmes (FAIS, FAM, FAETA) carry their first one here; the others resolve to the
    same fund through its aliases.
    """

    clave: str
    nombre: str
    ramo: str
    modalidad_pp: str

    slug = property(lambda self: slug(self.clave), doc='Name of its output folders: ``"imss-bienestar"``.')


@lru_cache(maxsize=1)
def _tabla_fondos() -> pd.DataFrame:
    return leer_csv_del_paquete("fondos.csv")


@lru_cache(maxsize=1)
def _indice_fondos() -> tuple[dict[str, Fondo], dict[str, str]]:
    """Build (fondos by clave, matching key → clave); a key claimed twice fails loudly."""
    por_clave: dict[str, Fondo] = {}
    indice: dict[str, str] = {}
    for fila in _tabla_fondos().itertuples(index=False):
        fondo = Fondo(
            clave=fila.fondo, nombre=fila.nombre, ramo=fila.ramo, modalidad_pp=fila.modalidad_pp
        )
        por_clave[fondo.clave] = fondo
        _indexar(indice, [fila.fondo, fila.nombre, fila.modalidad_pp, *_partes(fila.aliases)], fondo.clave,
                 "fondos.csv")
    return por_clave, indice


def fondos() -> pd.DataFrame:
    """Known funds: ``fondo, nombre, ramo, modalidad_pp, descripcion, aliases`` (all text)."""
    return _tabla_fondos().copy()


def resolver_fondo(valor: str | Fondo) -> Fondo:
    """Resolve a fund by key, name, programa presupuestario or alias, like states.

    ``"imss bienestar"``, ``"S-038"`` → IMSS-BIENESTAR; ``"fassa"``, ``"I002"`` → FASSA.
    Raises :class:`ErrorEntrada` listing the known keys when nothing matches.
    """
    if isinstance(valor, Fondo):
        return valor
    _rechazar_rutas(valor, "fondo")
    por_clave, indice = _indice_fondos()
    clave = indice.get(_clave(valor))
    if clave is None:
        conocidos = ", ".join(por_clave)
        raise ErrorEntrada(f"el fondo «{valor}» no se reconoce; fondos conocidos: {conocidos}")
    return por_clave[clave]
