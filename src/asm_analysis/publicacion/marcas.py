"""Cells of the official annexes whose printed figure differs from the other version of it.

An evaluator hands in the annexes with one of two sets of figures (``--cifras``):

- ``recalculadas`` (default): subtotals, totals, shares and cumplimientos are the tool's;
- ``reportadas``: every cell the capture workbook filled prints exactly what it says.

In both modes a cell whose reported value and recalculated value differ beyond tolerance (or
that an error finding disputes) carries a numbered mark, and a note under the table lists each
mark: where, reported, recalculated. This module holds the shape of that list, shared by the
page, the workbook and the Word document; :func:`vacias` is the list of a report with no mark.

Columns of a marks table (one row per marked cell):

- ``anexo``: attribute of :class:`~asm_analysis.anexos.Anexos` the cell belongs to
  (``"anexo1"`` … ``"anexo7"``, ``"seguimiento"``);
- ``fila``: index label of the row in that annex table as printed;
- ``columna``: column name in that annex table;
- ``numero``: the mark, 1, 2, … counted per annex in the order the rows are printed;
- ``ubicacion``: where the cell is, in words an evaluator understands (capítulo, concepto, indicador);
- ``reportado`` / ``recalculado``: both figures as text, formatted as the annex prints them;
- ``regla``: the audit rule behind the mark; ``severidad``: its severity;
- ``motivo``: a short reason ("devengado mayor que modificado").
"""

from __future__ import annotations

import pandas as pd

MODOS_CIFRAS = ("recalculadas", "reportadas")
COLUMNAS_MARCAS = ["anexo", "fila", "columna", "numero", "ubicacion", "reportado", "recalculado", "regla",
                   "severidad", "motivo"]


def vacias() -> pd.DataFrame:
    """A marks table with no mark (a report whose printed figures nobody disputes)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "numero" else "object") for c in COLUMNAS_MARCAS})
