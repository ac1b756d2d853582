"""What counts as "no value": the one rule every output follows, and the input readers' wider one.

Two questions, each answered once:

* :func:`vacio`, *is there nothing to show?*, asked by every output (web page, workbook,
  CSV, Word). A value is empty when it holds no figure or text at all: ``None``, NaN,
  ``pd.NA``, ``NaT``, ±infinity (a figure that cannot be written), or a text of blanks only.
  The evaluator sees an em dash ``—`` on the web page and an empty cell in the CSV, the
  workbook and the Word tables (the CSV and the workbook, being raw data, store a text as it
  is, so a blank text there is a blank text cell: it looks the same). A text such as ``---`` or ``N/A`` that reaches an output is
  shown as it is: the readers have already turned the input files' no-data marks into missing
  values, so a mark still present is something a person wrote on purpose (in a message, a
  note, a name). Zero (``0``, ``"0"``) is a value, never empty.
* :func:`es_faltante`, *does this cell of an input file say "no data"?*, asked by the
  readers: a missing value as above (but not infinity, which a reader rejects as a bad
  number) or one of the no-data marks people type in SHCP files and published annexes
  (:data:`MARCAS_SIN_DATO`: ``---``, ``N/A``, ``ND``, ``s/d``…, in any case and spacing).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Texts that mean "no data" in an input cell (compared stripped and lower-case).
MARCAS_SIN_DATO = frozenset({"", "-", "--", "---", "----", "n/a", "na", "n.a.", "nd", "n/d", "s/d", "sin dato",
                             "none", "nan", "null"})


def _sin_valor(valor: object) -> bool:
    """True for a scalar that holds no value: None, NaN (any float type), ``pd.NA``, ``NaT``.

    Texts, numbers (infinity included), booleans and containers are values.
    """
    if valor is None or valor is pd.NA or valor is pd.NaT:
        return True
    if isinstance(valor, (float, np.floating)):
        return math.isnan(valor)
    if isinstance(valor, (str, bytes, bool, int, np.integer, np.bool_, list, tuple, dict, set)):
        return False
    try:
        nulo = pd.isna(valor)  # np.datetime64("NaT"), np.timedelta64("NaT"), Decimal("NaN")…
    except (TypeError, ValueError):
        return False
    return bool(nulo) if isinstance(nulo, (bool, np.bool_)) else False


def vacio(valor: object) -> bool:
    """True when an output has nothing to show for ``valor`` (see the module docstring).

    None, NaN, ``pd.NA``, ``NaT``, ±infinity and blank text are empty; ``0``, ``"0"``,
    ``"---"`` and ``"N/A"`` are not.
    """
    if _sin_valor(valor):
        return True
    if isinstance(valor, (float, np.floating)):
        return not math.isfinite(valor)
    return isinstance(valor, str) and not valor.strip()


def es_faltante(valor: object) -> bool:
    """True when an input cell says "no data": no value, blank text or a mark of :data:`MARCAS_SIN_DATO`."""
    if isinstance(valor, str):
        return valor.strip().lower() in MARCAS_SIN_DATO
    return _sin_valor(valor)
