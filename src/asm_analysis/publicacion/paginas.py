"""How a sheet of ``anexos.xlsx`` prints: where its pages break and which header repeats on them.

Excel and LibreOffice break a sheet between rows wherever a page fills up: a table's title and
header can close a page with its rows on the next one, and a small table can be cut in two. A
sheet holds one or several blocks (a table's title, header, rows, marks note and source line),
one under another. :func:`saltos` says before which rows a manual page break goes: before a block
that fits a page but not what is left of the current one, and before a longer block that would
follow another block on its page (a block longer than a page opens one: its title and header are
never left at the foot of a page, however the spreadsheet's own row heights shift the pages before).

Excel's print titles are one row range for the whole sheet, repeated at the top of every page after
the first one they print on, whatever table that page holds (and on no page before it).
:func:`imprimir` picks the header that may repeat so that it never stands over rows of a table with
other columns: a table after which every table has its same columns; or an earlier one when the
tables with other columns surely print on the page where its rows end, whatever the spreadsheet's
own row heights (checked at the estimated heights and at heights 15 % shorter, with the same
number of pages).

Heights are estimates (the spreadsheet measures its own rows): a wrong one costs some blank space
or a table cut across pages, never a header over rows it does not describe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Printable height of a landscape US Letter page with Excel's default top and bottom margins (1"), points.
ALTO_PAGINA = (8.5 - 2 * 1.0) * 72
#: Rows of a long block kept with its title and header at the foot of a page (at least).
FILAS_CON_ENCABEZADO = 2
#: Scales of the estimated row heights at which the pages of a sheet are checked (the spreadsheet may
#: print its rows shorter than estimated: LibreOffice about 7 % shorter).
ESCALAS = (1.0, 0.85)


@dataclass(frozen=True)
class Bloque:
    """Rows ``inicio`` to ``fin`` of a sheet: a table's title, its header row (``encabezado``, ``None``
    for a block of text only), its rows, marks note and source line; ``columnas``: the header's labels."""

    inicio: int
    fin: int
    encabezado: int | None = None
    columnas: tuple[str, ...] = ()


def paginar(alto: Callable[[int], float], ultima: int, alto_pagina: float = ALTO_PAGINA,
            repetida: int | None = None, manuales: Sequence[int] = (),
            antes: Callable[[int, float, int], bool] | None = None) -> tuple[list[int], list[int]]:
    """(the first row of every printed page; the manual breaks taken), rows 1 to ``ultima``.

    ``alto(fila)``: a row's printed height in points (scaled to the page); ``repetida``: the header
    row repeated on each page after the one it first prints on (its height taken on those pages);
    ``manuales``: rows after which a page break is set. ``antes(fila, usado, inicio)``: whether a page
    break goes before ``fila`` when ``usado`` points of the page opened at row ``inicio`` are taken (new
    manual breaks). Rows never
    split; a page that fills up breaks by itself, as the spreadsheet does.
    """
    repetido = alto(repetida) if repetida else 0.0
    forzadas = {f + 1 for f in manuales}
    inicios, tomadas = [1], []
    usado = 0.0
    for fila in range(2, ultima + 1):
        usado += alto(fila - 1)
        lleno = usado + alto(fila) > alto_pagina
        if fila in forzadas or lleno or (antes is not None and antes(fila, usado, inicios[-1])):
            if not lleno or fila in forzadas:
                tomadas.append(fila - 1)
            inicios.append(fila)
            usado = repetido if repetida and fila > repetida else 0.0
    return inicios, tomadas


def saltos(bloques: Sequence[Bloque], alto: Callable[[int], float], ultima: int,
           alto_pagina: float = ALTO_PAGINA, repetida: int | None = None) -> list[int]:
    """Rows after which a manual page break goes (Excel's ``rowBreaks`` ids): before a block that fits a
    page but not what is left of the current one; before a longer one when another block prints on its
    page, or (after the sheet's own title lines) when its title, header and first
    :data:`FILAS_CON_ENCABEZADO` rows do not fit."""
    por_inicio = {b.inicio: b for b in bloques}

    def cabecera(fila: int) -> float:
        """What the repeated header takes at the top of a page that opens at ``fila``."""
        return alto(repetida) if repetida and fila > repetida else 0.0

    def antes(fila: int, usado: float, inicio: int) -> bool:
        bloque = por_inicio.get(fila)
        if bloque is None or usado <= cabecera(fila):  # not on a page that has only its header yet
            return False
        entero = sum(alto(r) for r in range(bloque.inicio, bloque.fin + 1))
        if entero > alto_pagina - cabecera(fila) and bloque.encabezado is not None:
            if any(b.inicio < fila and b.fin >= inicio for b in bloques):
                return True  # where the spreadsheet ends the page before is a guess: this one opens its own
            entero = sum(alto(r) for r in range(bloque.inicio, min(bloque.fin,
                                                                  bloque.encabezado + FILAS_CON_ENCABEZADO) + 1))
        return usado + entero > alto_pagina

    return paginar(alto, ultima, alto_pagina, repetida, antes=antes)[1]


def imprimir(bloques: Sequence[Bloque], alto: Callable[[int], float], ultima: int,
             alto_pagina: float = ALTO_PAGINA) -> tuple[int | None, list[int]]:
    """(the header row to repeat on the printed pages, or ``None``; the manual page breaks)."""
    def bajo(fila: int) -> Bloque | None:
        """The block a page opening at ``fila`` shows first: the one holding the row, or the next one."""
        return next((b for b in bloques if fila <= b.fin), None)

    tablas = [b for b in bloques if b.encabezado is not None]
    for k, tabla in enumerate(tablas):
        manuales = saltos(bloques, alto, ultima, alto_pagina, repetida=tabla.encabezado)
        if all(b.columnas == tabla.columnas for b in tablas[k + 1:]):
            return tabla.encabezado, manuales
        paginas = [paginar(lambda f, e=escala: alto(f) * e, ultima, alto_pagina, tabla.encabezado, manuales)[0]
                   for escala in ESCALAS]
        if len({len(p) for p in paginas}) == 1 and all(
                (b := bajo(f)) is None or (b.encabezado is not None and b.columnas == tabla.columnas)
                for p in paginas for f in p if f > tabla.encabezado):
            return tabla.encabezado, manuales
    return None, saltos(bloques, alto, ultima, alto_pagina)
