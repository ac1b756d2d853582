"""How figures are written for a reader (Word annexes, the CONAC form): pesos, shares, dates.

Raw CSVs keep plain numbers; these functions give the text an evaluator pastes into the EED
document, in the conventions of the published annexes (DESIGN §6): money ``$ 88,682,091.89``,
shares ``50.14 %``, dates ``30/09/2024``. A missing value is an empty text, never ``nan``.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd


def vacio(valor: object) -> bool:
    """True for None, NaN, NaT, pd.NA, ±inf and blank text."""
    if valor is None or valor is pd.NaT or valor is pd.NA:
        return True
    if isinstance(valor, (float, np.floating)):
        return not math.isfinite(float(valor))
    return isinstance(valor, str) and not valor.strip()


def _flotante(valor: object) -> float | None:
    if isinstance(valor, (bool, np.bool_)):
        return None
    if isinstance(valor, (int, float, np.integer, np.floating)):
        return float(valor)
    return None


def pesos(valor: object) -> str:
    """Money with two decimals and thousands separators: ``$ 88,682,091.89``, ``-$ 1,000.00``."""
    if vacio(valor):
        return ""
    numero = _flotante(valor)
    if numero is None:
        return str(valor)
    numero = round(numero, 2) + 0.0  # -0.00 is 0.00
    signo = "-" if numero < 0 else ""
    return f"{signo}$ {abs(numero):,.2f}"


def porcentaje(valor: object) -> str:
    """A percent number (50.14, not 0.5014) with two decimals and the sign: ``50.14 %``."""
    if vacio(valor):
        return ""
    numero = _flotante(valor)
    if numero is None:
        return str(valor)
    return f"{round(numero, 2) + 0.0:,.2f} %"


def numero(valor: object) -> str:
    """A measured value: thousands separators, two to four decimals (``16.46``, ``0.1235``)."""
    if vacio(valor):
        return ""
    n = _flotante(valor)
    if n is None:
        return str(valor)
    texto = f"{round(n, 4) + 0.0:,.4f}"
    entero, decimales = texto.split(".")
    decimales = decimales.rstrip("0").ljust(2, "0")
    return f"{entero}.{decimales}"


def entero(valor: object) -> str:
    """A count or a year, without separators (``2024``, never ``2,024``)."""
    if vacio(valor):
        return ""
    n = _flotante(valor)
    if n is None:
        return str(valor)
    return str(int(round(n)))


def fecha(valor: object) -> str:
    """A date as dd/mm/aaaa; ISO text (as the processed store keeps the ficha) is read too."""
    if vacio(valor):
        return ""
    if isinstance(valor, pd.Timestamp):
        valor = valor.to_pydatetime()
    if isinstance(valor, (dt.date, dt.datetime)):
        return valor.strftime("%d/%m/%Y")
    if isinstance(valor, str):
        try:
            return dt.date.fromisoformat(valor.strip()[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return valor
    return str(valor)


def texto(valor: object) -> str:
    """Free text or a code as typed; yes/no for booleans; numbers in the :func:`numero` style."""
    if vacio(valor):
        return ""
    if isinstance(valor, (bool, np.bool_)):
        return "Sí" if valor else "No"
    if isinstance(valor, (int, np.integer)):
        return str(int(valor))
    if isinstance(valor, (float, np.floating)):
        return numero(valor)
    if isinstance(valor, (pd.Timestamp, dt.date)):
        return fecha(valor)
    return str(valor)


#: Column kind (as in :data:`asm_analysis.publicacion.salidas.FORMATOS`) → text function.
POR_TIPO = {
    "dinero": pesos, "porcentaje": porcentaje, "numero": numero, "entero": entero, "fecha": fecha,
    "clave": texto, "corto": texto, "texto": texto, "largo": texto,
}


def por_tipo(valor: object, tipo: str) -> str:
    """The text of ``valor`` shown as a column of kind ``tipo``."""
    return POR_TIPO.get(tipo, texto)(valor)


def cuenta(n: int, singular: str, plural: str | None = None) -> str:
    """``1 fuente``, ``3 fuentes``, ``1,204 filas``: a count with its noun in the right number."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
