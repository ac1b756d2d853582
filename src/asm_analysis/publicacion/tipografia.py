"""How wide a text is, and column widths under which no word or amount breaks across lines.

The Word and Excel annexes name Arial (Liberation Sans in LibreOffice, with the same advance
widths). Texts are measured with Arial's widths, shipped as data (``data/anchos_letra.json``,
written by ``scripts/medir_letra.py``), so the layout is the same on every machine.

A column has a *minimum* width (its widest unbreakable piece: a word of a text, a whole
header word, a whole amount or share) and a *preferred* one (its longest line unwrapped).
:func:`repartir` gives every column at least its minimum and shares the rest of the page by
what each column still lacks; when the minimums do not fit, the caller turns the page or
lowers the type size (:mod:`~asm_analysis.publicacion.documento`, :mod:`~asm_analysis.publicacion.salidas`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Safety factor over the measured width: renderers kern and round differently.
HOLGURA = 1.04
#: Characters that may break a line inside a word in Word and LibreOffice (measured as one piece).
_ESPACIOS = re.compile(r"[ \t\n]+")
ESPACIO_DURO = "\u00a0"
#: A header may wrap to about this many lines (between words) before its column asks for more width.
LINEAS_ENCABEZADO = 3
#: A figure's column is as narrow as its figures: its header may wrap to about this many lines.
LINEAS_ENCABEZADO_CIFRAS = 6


#: Word joiner: no line break on either side, no width. Between a sign and the peso sign it keeps
#: «-$4,788,427.49» on one line (a line may break after a hyphen-minus before «$»).
UNION = "\u2060"
_SIGNO_Y_PESOS = re.compile(r"(?<![\w$])([-+\u2212])(?=\$)")


@lru_cache(maxsize=1)
def _tabla() -> dict:
    texto = resources.files("asm_analysis").joinpath("data/anchos_letra.json").read_text(encoding="utf-8")
    datos = json.loads(texto)
    for estilo in ("regular", "negrita"):
        anchos = datos[estilo]
        datos[f"{estilo}_omision"] = max(anchos.values())  # an unknown character counts as the widest
        anchos[UNION] = 0
    return datos


@lru_cache(maxsize=65536)
def _unidades(texto: str, negrita: bool) -> int:
    """Advance width of ``texto`` in font units (the same at every size; cached, texts repeat)."""
    tabla = _tabla()
    estilo = "negrita" if negrita else "regular"
    anchos, omision = tabla[estilo], tabla[f"{estilo}_omision"]
    return sum(anchos.get(c, omision) for c in texto)


def ancho(texto: str, puntos: float, negrita: bool = False) -> float:
    """Width of ``texto`` on one line, in points, at ``puntos`` size (Arial metrics, with :data:`HOLGURA`)."""
    return _unidades(texto, negrita) / _tabla()["unidades"] * puntos * HOLGURA


def pegar_signos(texto: str) -> str:
    """``texto`` with every sign glued to the peso sign after it (:data:`UNION`), so no amount in running
    text (a finding's message, a mark's line) breaks between its sign and its figure."""
    return _SIGNO_Y_PESOS.sub(r"\1" + UNION, texto) if "$" in texto else texto


def piezas(texto: str) -> list[str]:
    """The pieces a line may never split: the words (a hyphenated or slashed word stays whole)."""
    return [p for p in _ESPACIOS.split(texto) if p]


def ancho_minimo(texto: str, puntos: float, negrita: bool = False, entero: bool = False) -> float:
    """Widest piece of ``texto``; with ``entero`` the whole text is one piece (an amount, a share)."""
    if entero:
        return max((ancho(linea, puntos, negrita) for linea in texto.split("\n")), default=0.0)
    return max((ancho(p, puntos, negrita) for p in piezas(texto)), default=0.0)


def ancho_preferido(texto: str, puntos: float, negrita: bool = False) -> float:
    """Width of the longest line of ``texto`` unwrapped."""
    return max((ancho(linea, puntos, negrita) for linea in texto.split("\n")), default=0.0)


def medida_encabezado(etiqueta: str, puntos: float, cifras: bool) -> tuple[float, float]:
    """(minimum, preferred) width of a column header in bold: its widest word, and its text wrapped to
    :data:`LINEAS_ENCABEZADO` lines (:data:`LINEAS_ENCABEZADO_CIFRAS` over a column of ``cifras``)."""
    minimo = ancho_minimo(etiqueta, puntos, negrita=True)
    n = LINEAS_ENCABEZADO_CIFRAS if cifras else LINEAS_ENCABEZADO
    return minimo, max(minimo, ancho_preferido(etiqueta, puntos, negrita=True) / n)


def lineas(texto: str, disponible: float, puntos: float, negrita: bool = False) -> int:
    """Lines ``texto`` takes in a column ``disponible`` points wide (greedy wrap between words)."""
    total = 0
    espacio = ancho(" ", puntos, negrita)
    for parrafo in texto.split("\n"):
        usado, n = 0.0, 1
        for pieza in piezas(parrafo):
            w = ancho(pieza, puntos, negrita)
            if usado and usado + espacio + w > disponible:
                n += 1
                usado = w
            else:
                usado = usado + espacio + w if usado else w
        total += n
    return max(total, 1)


@dataclass(frozen=True)
class Medida:
    """What one column needs, in points (padding included)."""

    minimo: float
    preferido: float
    #: Width served before any column gets more (e.g. the header on at most three lines).
    intermedio: float = 0.0


def repartir(medidas: list[Medida], disponible: float) -> list[float] | None:
    """Column widths (points) adding up to ``disponible``, each at least its minimum; None if impossible.

    When the preferred widths fit, the spare width goes to every column in proportion to its
    preferred width. Otherwise each column gets its minimum and the rest is shared in
    proportion to what each column still lacks, never beyond its preferred width (water filling).
    """
    if not medidas:
        return []
    minimos = [m.minimo for m in medidas]
    preferidos = [max(m.preferido, m.minimo) for m in medidas]
    if sum(minimos) > disponible:
        return None
    if sum(preferidos) <= disponible:
        extra = disponible - sum(preferidos)
        base = sum(preferidos) or 1.0
        return [p + extra * p / base for p in preferidos]
    intermedios = [min(max(m.intermedio, m.minimo), p) for m, p in zip(medidas, preferidos)]
    anchos = list(minimos)
    resto = disponible - sum(anchos)
    for metas in (intermedios, preferidos):
        resto = _llenar(anchos, metas, resto)
    if resto > 1e-6:  # every column at its preferred width: spread what is left evenly
        anchos = [a + resto / len(anchos) for a in anchos]
    return anchos


def _llenar(anchos: list[float], metas: list[float], resto: float) -> float:
    """Share ``resto`` among the columns below their ``metas``, in proportion to what each lacks,
    none beyond its goal (water filling); returns what is left."""
    abiertos = [i for i in range(len(anchos)) if metas[i] > anchos[i]]
    while resto > 1e-6 and abiertos:
        faltas = {i: metas[i] - anchos[i] for i in abiertos}
        total = sum(faltas.values())
        if total <= resto:
            for i in abiertos:
                anchos[i] = metas[i]
            return resto - total
        reparto = {i: resto * faltas[i] / total for i in abiertos}
        for i in abiertos:
            anchos[i] += reparto[i]
        return 0.0
    return resto
