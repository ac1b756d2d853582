"""Checking the value a workbook saved for a formula against the formula itself.

A capture workbook is read with the values Excel (or another program) last calculated and
saved with each formula. A program that writes formulas without calculating them, or a
workbook saved with calculation set to manual, leaves a stale value: ``=600000+400000``
saved as ``5`` would be published as 5 with no word. The formulas a capture workbook
usually holds are simple (sums of cells, differences, literal arithmetic), so those are
recomputed here, safely (a small parser, never ``eval``), from the saved values of the same
sheet; a saved value that disagrees is reported by the loader naming the cell. A formula
that uses anything else (other functions, other sheets, names) cannot be confirmed and its
saved value is taken as it is.
"""

from __future__ import annotations

import math
import re
from typing import Callable

#: Tokens of the formulas recomputed: numbers, cell references and ranges (``$`` allowed), SUM,
#: the four operations, parentheses and argument separators.
_TOKEN = re.compile(r"""\s*(?:
    (?P<rango>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)
  | (?P<ref>\$?[A-Z]{1,3}\$?\d+)(?![A-Z0-9(])
  | (?P<suma>SUMA?)\s*(?=\()
  | (?P<numero>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<op>[-+*/(),;])
)""", re.VERBOSE | re.IGNORECASE)

#: Difference between the recomputed and the saved value taken as rounding, not as a stale value.
TOLERANCIA = 0.005


class _NoEvaluable(Exception):
    """The formula uses something this module does not recompute."""


def _columna(letras: str) -> int:
    n = 0
    for c in letras.upper():
        n = n * 26 + ord(c) - 64
    return n


def _celda(ref: str) -> tuple[int, int]:
    """``$C$12`` → (12, 3): row and 1-based column."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    return int(m[2]), _columna(m[1])


def _tokens(formula: str) -> list[tuple[str, str]]:
    texto = formula.strip()
    if texto.startswith("="):
        texto = texto[1:]
    salida, pos = [], 0
    while pos < len(texto):
        if texto[pos:].strip() == "":
            break
        m = _TOKEN.match(texto, pos)
        if not m or m.end() == pos:
            raise _NoEvaluable(texto[pos:])
        tipo = m.lastgroup
        salida.append((tipo, m.group(tipo)))
        pos = m.end()
    return salida


def _numero(valor: object) -> float:
    """A referenced cell as Excel's arithmetic sees it: blank is 0, a number is itself, text is unknown."""
    if valor is None or valor == "":
        return 0.0
    if isinstance(valor, bool):
        return float(valor)
    if isinstance(valor, (int, float)):
        return float(valor)
    raise _NoEvaluable(str(valor))


class _Evaluador:
    def __init__(self, tokens: list[tuple[str, str]], valor: Callable[[int, int], object]) -> None:
        self.tokens, self.i, self.valor = tokens, 0, valor

    def _ver(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _tomar(self) -> tuple[str, str]:
        t = self._ver()
        if t is None:
            raise _NoEvaluable("fin")
        self.i += 1
        return t

    def expresion(self) -> float:
        v = self._termino()
        while (t := self._ver()) and t[0] == "op" and t[1] in "+-":
            self._tomar()
            v = v + self._termino() if t[1] == "+" else v - self._termino()
        return v

    def _termino(self) -> float:
        v = self._factor()
        while (t := self._ver()) and t[0] == "op" and t[1] in "*/":
            self._tomar()
            d = self._factor()
            if t[1] == "/":
                if d == 0:
                    raise _NoEvaluable("división entre cero")
                v = v / d
            else:
                v = v * d
        return v

    def _factor(self) -> float:
        tipo, texto = self._tomar()
        if tipo == "op" and texto in "+-":
            v = self._factor()
            return v if texto == "+" else -v
        if tipo == "numero":
            return float(texto)
        if tipo == "ref":
            return _numero(self.valor(*_celda(texto)))
        if tipo == "op" and texto == "(":
            v = self.expresion()
            if self._tomar() != ("op", ")"):
                raise _NoEvaluable(")")
            return v
        if tipo == "suma":
            if self._tomar() != ("op", "("):
                raise _NoEvaluable("(")
            total = 0.0
            while True:
                if (t := self._ver()) and t[0] == "rango":
                    self._tomar()
                    total += self._rango(t[1])
                else:
                    total += self.expresion()
                sep = self._tomar()
                if sep == ("op", ")"):
                    return total
                if sep not in (("op", ","), ("op", ";")):
                    raise _NoEvaluable(sep[1])
        raise _NoEvaluable(texto)

    def _rango(self, texto: str) -> float:
        """SUM of a range: numbers added, blanks and text ignored (as Excel's SUM does)."""
        a, b = texto.split(":")
        (f1, c1), (f2, c2) = _celda(a), _celda(b)
        if (f2 - f1 + 1) * (c2 - c1 + 1) > 100_000:
            raise _NoEvaluable(texto)
        total = 0.0
        for f in range(min(f1, f2), max(f1, f2) + 1):
            for c in range(min(c1, c2), max(c1, c2) + 1):
                v = self.valor(f, c)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    total += float(v)
        return total


def evaluar(formula: str, valor: Callable[[int, int], object]) -> float | None:
    """The value of a simple formula (arithmetic, same-sheet cells, SUM), or ``None`` when it uses
    anything else. ``valor(fila, columna)`` gives the saved value of a cell (1-based)."""
    try:
        tokens = _tokens(formula)
        if not tokens:
            return None
        e = _Evaluador(tokens, valor)
        resultado = e.expresion()
        if e.i != len(tokens) or not math.isfinite(resultado):
            return None
        return resultado
    except (_NoEvaluable, RecursionError):
        return None


def valor_desactualizado(formula: str, guardado: object, valor: Callable[[int, int], object]) -> float | None:
    """The recomputed value when the saved one disagrees with it (a stale value), else ``None``.

    ``None`` too when the formula cannot be recomputed or the saved value is not a number.
    """
    if isinstance(guardado, bool) or not isinstance(guardado, (int, float)):
        return None
    calculado = evaluar(formula, valor)
    if calculado is None:
        return None
    if abs(calculado - float(guardado)) <= TOLERANCIA + 1e-9 * abs(calculado):
        return None
    return calculado
