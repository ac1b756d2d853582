"""Rows of a small table read one by one, as plain dicts (cheaper than ``DataFrame.iterrows``)."""

from __future__ import annotations

import pandas as pd


def como_dicts(tabla: pd.DataFrame) -> list[dict[str, object]]:
    """Each row of ``tabla`` as a dict column → value, with the very values ``DataFrame.iterrows``
    gives its rows (both read ``tabla.values`` row by row), without building a Series per row.

    For a loop that reads many cells of a few rows (the indicators of Anexo 4). A table whose
    columns are all dates or durations goes through ``iterrows`` (its rows box them as Timestamps).
    """
    valores = tabla.values
    if valores.dtype.kind in "mM":
        return [dict(r) for _, r in tabla.iterrows()]
    columnas = list(tabla.columns)
    return [dict(zip(columnas, fila)) for fila in valores]
