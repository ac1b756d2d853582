"""How values are written for a reader: pesos, shares, dates, and text made safe for HTML.

Raw CSVs keep plain numbers; these functions give the text an evaluator reads on the web
page or pastes into the EED document. Every output uses the same ones: money
``$ 88,682,091.89`` in the published annexes and the CONAC form, ``$88,682,091.89`` on the
web pages (``pegado=True``, DESIGN §6), shares ``50.14 %``, dates ``30/09/2024``. Figures are
rounded half up on their decimal digits, as a spreadsheet shows them (``2.675`` → ``2.68``,
although the float is a hair below), and a rounded zero has no sign. A missing value
(:func:`~asm_analysis.comun.vacios.vacio`) is an empty text, never ``nan``: the web page
shows its em dash where the text is empty.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

import numpy as np
import pandas as pd

from asm_analysis.comun.vacios import vacio


def esc(valor: object) -> str:
    """``valor`` as text safe in HTML text and attribute values (``< > & " '`` escaped; None → "")."""
    return html.escape("" if valor is None else str(valor), quote=True)


def _flotante(valor: object) -> float | None:
    if isinstance(valor, (bool, np.bool_)):
        return None
    if isinstance(valor, (int, float, np.integer, np.floating)):
        return float(valor)
    return None


def _cifra(formato: Callable[..., str]) -> Callable[..., str]:
    """Make ``formato(numero: float, ...)`` a formatter of any value: missing → "", a text (or any
    non-number) → itself as text, a number → ``formato`` of it as a float."""

    @functools.wraps(formato)
    def formatear(valor: object, *args, **kwargs) -> str:
        if vacio(valor):
            return ""
        numero = _flotante(valor)
        return str(valor) if numero is None else formato(numero, *args, **kwargs)

    return formatear


def redondear(numero: float, decimales: int) -> Decimal:
    """``numero`` rounded half up on its shortest decimal text, as a spreadsheet displays it.

    ``2.675`` (stored as 2.67499999…) → ``2.68``; ``-0.004`` → ``0.00`` without sign.
    """
    cifra = Decimal(repr(float(numero))).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    return cifra.copy_abs() if cifra.is_zero() else cifra


def _miles(cifra: Decimal, decimales: int) -> str:
    return f"{cifra:,.{decimales}f}"


@_cifra
def pesos(valor: float, decimales: int = 2, *, pegado: bool = False) -> str:
    """Money with thousands separators: ``$ 88,682,091.89``, ``-$ 1,000.00``; missing → "".

    ``pegado``: the sign against the figure (``$88,682,091.89``), as the web pages write it.
    A text is returned as it is.
    """
    cifra = redondear(valor, decimales)
    signo = "-" if cifra < 0 else ""
    return f"{signo}${'' if pegado else ' '}{_miles(cifra.copy_abs(), decimales)}"


@_cifra
def millones(valor: float, decimales: int = 2) -> str:
    """Money in millions of pesos, for a column headed «(millones de pesos)»: ``88,682,091.89`` → ``88.68``.

    How Mexican public-finance tables write large amounts where a column is narrow; the exact
    figure stays in the workbook, the Word annexes and the CSV.
    """
    return _miles(redondear(valor / 1e6, decimales), decimales)


@_cifra
def porcentaje(valor: float, decimales: int = 2) -> str:
    """A percent number (50.14, not 0.5014) with thousands separators and the sign: ``50.14 %``.

    Missing → ""; a text is returned as it is.
    """
    return f"{_miles(redondear(valor, decimales), decimales)} %"


@_cifra
def puntos(valor: float) -> str:
    """A difference of two percentages, in percentage points, with its sign: ``+3.79 pp``, ``-26.15 pp``."""
    return f"{redondear(valor, 2):+,.2f} pp"


@_cifra
def numero(valor: float) -> str:
    """A measured value: thousands separators, two to four decimals (``16.46``, ``0.1235``)."""
    texto = _miles(redondear(valor, 4), 4)
    entero, decimales = texto.split(".")
    decimales = decimales.rstrip("0").ljust(2, "0")
    return f"{entero}.{decimales}"


@_cifra
def entero(valor: float) -> str:
    """A count or a year, without separators (``2024``, never ``2,024``)."""
    return str(int(round(valor)))


@_cifra
def conteo(valor: float) -> str:
    """A count with thousands separators, as a sentence writes it: ``1,204``."""
    return f"{int(round(valor)):,}"


@_cifra
def dias(valor: float) -> str:
    """A number of days with its unit, as a cell of figures shows it: ``1,070 días``, ``-45 días`` (the unit
    of the column, as the workbook's number format writes it: always «días»)."""
    return f"{int(round(valor)):,} días"


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


#: The time zone of every time shown to a reader: central Mexico (no daylight saving since 2022).
ZONA_HORARIA = "America/Mexico_City"
NOMBRE_ZONA = "hora del centro de México"


def zona_horaria() -> dt.tzinfo:
    """Central Mexico's time zone (UTC-06:00 when the system has no time-zone database)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(ZONA_HORARIA)
    except Exception:  # no tz database (a bare Windows without the tzdata package)
        return dt.timezone(dt.timedelta(hours=-6), "CST")


def hora_de_mexico(momento: dt.datetime | None = None) -> dt.datetime:
    """``momento`` (now when None; a naive time is taken as UTC) in central Mexico's time."""
    if momento is None:
        momento = dt.datetime.now(dt.timezone.utc)
    elif momento.tzinfo is None:
        momento = momento.replace(tzinfo=dt.timezone.utc)
    return momento.astimezone(zona_horaria())


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


#: Column kind (as in :data:`asm_analysis.publicacion.salidas.FORMATOS`) → text function. ``pesos`` is
#: money with the sign against the figure, as the findings' messages write it (a findings column mixes
#: amounts with other units, so its amounts carry their ``$``); ``anio`` a year or a code (``2020``),
#: ``puntos`` a difference of percentages, ``dias`` and ``conteo`` counts (:data:`~asm_analysis.publicacion.columnas.TIPO_DE_UNIDAD`).
POR_TIPO = {
    "dinero": pesos, "pesos": functools.partial(pesos, pegado=True), "porcentaje": porcentaje, "puntos": puntos,
    "numero": numero, "entero": entero, "anio": entero, "dias": dias, "conteo": conteo, "fecha": fecha,
    "clave": texto, "corto": texto, "texto": texto, "largo": texto,
}


def por_tipo(valor: object, tipo: str) -> str:
    """The text of ``valor`` shown as a column of kind ``tipo``."""
    return POR_TIPO.get(tipo, texto)(valor)


def cuenta(n: int, singular: str, plural: str | None = None) -> str:
    """``1 fuente``, ``3 fuentes``, ``1,204 filas``: a count with its noun in the right number."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


#: A spreadsheet opening a CSV takes a cell starting with one of these for a formula.
INICIO_FORMULA_CSV = ("=", "+", "-", "@", "\t", "\r")
#: What may follow a leading ``+`` or ``-`` in a cell that is just a figure (``-1234.5``, ``+52 449 910 7900``,
#: ``-3.5 %``): digits and number punctuation only, no letter or function name a spreadsheet could call.
_SOLO_CIFRA = frozenset("0123456789 .,()%$/:+-\u00a0")


def celda_csv(texto: str) -> str:
    """A text cell of an output CSV made safe to open in a spreadsheet (formula injection).

    The one rule for every CSV the tool writes (annex CSVs, findings, rejects): a text that
    starts with ``=`` or ``@`` (or a tab or carriage return), or with ``+``/``-`` followed by
    anything but a figure, gets a leading apostrophe, as OWASP recommends and as Excel itself
    marks text typed to look like a formula; ``=HYPERLINK(…)`` is shown, never run. Numbers and
    texts that are just a figure (``-1234.5``) are unchanged, so the data stays readable by
    programs; a reader strips the apostrophe to get the original text.
    """
    if not texto or not texto.startswith(INICIO_FORMULA_CSV):
        return texto
    if texto[0] in "+-" and len(texto) > 1 and set(texto[1:]) <= _SOLO_CIFRA and any(c.isdigit() for c in texto):
        return texto
    return "'" + texto

