"""How a workbook sheet prints: page breaks that keep tables whole, and a repeated header only over its rows."""

from __future__ import annotations

import pytest

from asm_analysis.publicacion import paginas
from asm_analysis.publicacion.paginas import Bloque

DETALLE = ("Severidad", "Anexo", "Mensaje")
RESUMEN = ("Regla", "Hallazgos")


def _altos(por_fila: dict[int, float], resto: float = 20.0):
    return lambda fila: por_fila.get(fila, resto)


def test_una_pagina_se_llena_y_sigue_sola():
    inicios, tomadas = paginas.paginar(_altos({}), 50, alto_pagina=100.0)
    assert inicios == [1, 6, 11, 16, 21, 26, 31, 36, 41, 46] and tomadas == []


def test_el_encabezado_repetido_ocupa_su_lugar_en_las_paginas_que_siguen():
    inicios, _ = paginas.paginar(_altos({}), 20, alto_pagina=100.0, repetida=2)
    assert inicios == [1, 6, 10, 14, 18]  # after the first page, 4 rows and the header fit


def test_una_tabla_que_cabe_en_una_pagina_no_se_parte():
    # rows 1-3: a table that ends at 60 points; rows 4-7: a second table of 80 points, which fits a page of 100
    bloques = [Bloque(1, 3, 2, RESUMEN), Bloque(4, 7, 5, DETALLE)]
    assert paginas.saltos(bloques, _altos({}), 7, alto_pagina=100.0) == [3]
    assert paginas.paginar(_altos({}), 7, alto_pagina=100.0, manuales=[3])[0] == [1, 4]


def test_una_tabla_larga_no_deja_su_titulo_y_encabezado_solos_al_pie():
    # the second table needs its title, header and two rows (80 points) where only 40 are left
    bloques = [Bloque(1, 3, 2, RESUMEN), Bloque(4, 20, 5, DETALLE)]
    assert paginas.saltos(bloques, _altos({}), 20, alto_pagina=100.0) == [3]
    # with 80 points left it still opens its own page: where the spreadsheet ends the pages before is an
    # estimate, and a long table's title and header must never end one (the printed Hallazgos sheet did)
    assert paginas.saltos(bloques, _altos({1: 5.0, 2: 5.0, 3: 10.0}), 20, alto_pagina=100.0) == [3]


def test_una_tabla_larga_tras_los_titulos_de_la_hoja_empieza_en_la_misma_pagina():
    # rows 1-2: the sheet's title and subtitle (no block); the long table starts under them
    bloques = [Bloque(3, 20, 4, DETALLE)]
    assert paginas.saltos(bloques, _altos({1: 10.0, 2: 10.0}), 20, alto_pagina=100.0) == []
    # and a long table on a page of its own (the page before full) needs no break of its own
    bloques = [Bloque(1, 5, 2, RESUMEN), Bloque(6, 20, 7, DETALLE)]
    assert paginas.saltos(bloques, _altos({}), 20, alto_pagina=100.0) == []


def test_resumen_y_detalle_repiten_el_encabezado_del_detalle():
    bloques = [Bloque(1, 4, 2, RESUMEN), Bloque(5, 60, 6, DETALLE)]
    titulos, _ = paginas.imprimir(bloques, _altos({}), 60, alto_pagina=100.0)
    assert titulos == 6  # its pages come after the summary's: the summary never prints under it


def test_una_tabla_distinta_al_final_que_podria_abrir_pagina_quita_el_encabezado_repetido():
    # a long follow-up table, then a small summary with other columns: printed 15 % shorter or as
    # estimated, the summary may open a page, where the follow-up's header would stand over it
    bloques = [Bloque(1, 22, 2, DETALLE), Bloque(23, 26, 24, RESUMEN)]
    titulos, saltos = paginas.imprimir(bloques, _altos({}), 26, alto_pagina=100.0)
    assert titulos == 24 and saltos == [22]


def test_una_tabla_distinta_que_seguro_cabe_al_pie_deja_repetir_el_encabezado():
    # the follow-up ends early on its last page; the small summary fits under it at any scale
    bloques = [Bloque(1, 12, 2, DETALLE), Bloque(13, 15, 14, RESUMEN)]
    titulos, saltos = paginas.imprimir(bloques, _altos({}), 15, alto_pagina=200.0)
    assert titulos == 2 and saltos == []
    for escala in paginas.ESCALAS:  # the second page opens in the follow-up (row 11 or 12) and holds the summary
        inicios, _ = paginas.paginar(lambda f: 20.0 * escala, 15, 200.0, repetida=2)
        assert len(inicios) == 2 and 2 < inicios[1] <= 12


@pytest.mark.parametrize("tablas", [1, 2, 3, 5])
def test_el_encabezado_repetido_nunca_queda_sobre_filas_de_otras_columnas(tablas):
    """Whatever the sizes, at every checked scale every page after the repeated header's first page
    opens inside a table with that header's columns (or after the last table)."""
    import random

    azar = random.Random(tablas)
    for _ in range(200):
        bloques, fila = [], 1
        for k in range(tablas):
            filas = azar.randint(2, 30)
            bloques.append(Bloque(fila, fila + filas, fila + 1, (DETALLE, RESUMEN)[azar.random() < 0.5]))
            fila += filas + 2
        altos = {f: azar.choice([12.0, 25.0, 40.0]) for f in range(1, fila)}
        titulos, saltos = paginas.imprimir(bloques, _altos(altos), fila - 1, alto_pagina=300.0)
        if titulos is None:
            continue
        propia = next(b for b in bloques if b.encabezado == titulos)
        for escala in paginas.ESCALAS:
            inicios, _ = paginas.paginar(lambda f: altos.get(f, 20.0) * escala, fila - 1, 300.0, titulos, saltos)
            for inicio in (f for f in inicios if f > titulos):
                bajo = next((b for b in bloques if inicio <= b.fin), None)
                assert bajo is None or bajo.columnas == propia.columnas, (bloques, titulos, inicio, escala)
