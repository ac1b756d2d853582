"""Row-by-row conversion shared by the small-table loaders (capture workbook, national CSVs).

Every non-blank source row ends either in the table or in the rejects list with its reason,
so ``leidas = cargadas + rechazadas`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from asm_analysis.comun import texto
from asm_analysis.entradas import lectura
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.tablas import Columna

#: A rejected row: where it is (file, row, column), what was there and why; ``ciclo``, ``cve_ent`` and
#: ``fondo`` say whose report the row belonged to when that can be read from the row (blank when not:
#: such a row blocks every report built from the file, since it could be anyone's).
COLUMNAS_RECHAZO = ["archivo", "fila", "columna", "valor", "motivo", "ciclo", "cve_ent", "fondo"]

#: A row validator returns a list of (columna, valor, motivo) problems for an already parsed row.
ValidadorFila = Callable[[dict], list[tuple[str, object, str]]]


@dataclass
class ResultadoCarga:
    """One source (file or sheet): the loaded tidy table and the rejected rows with reasons."""

    archivo: str
    tabla: pd.DataFrame
    rechazos: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNAS_RECHAZO))
    leidas: int = 0

    @property
    def cargadas(self) -> int:
        return len(self.tabla)

    @property
    def rechazadas(self) -> int:
        return self.rechazos["fila"].nunique() if len(self.rechazos) else 0

    def resumen(self) -> str:
        return (f"{self.archivo}: leídas {self.leidas:,}, cargadas {self.cargadas:,}, "
                f"rechazadas {self.rechazadas:,}")


def fila_vacia(valores: Iterable[object]) -> bool:
    return all(lectura.es_faltante(v) for v in valores)


def ubicar_columnas(encabezado: list[object], columnas: tuple[Columna, ...], archivo: str,
                    hoja: str | None = None, extra: tuple[Columna, ...] = ()) -> dict[str, int]:
    """Map contract column names to positions in a header row (any case, accents or not).

    A required column that is missing raises one :class:`ErrorEntrada` naming all of them.
    """
    posiciones: dict[str, int] = {}
    for i, nombre in enumerate(encabezado):
        clave = lectura.normalizar_encabezado(nombre)
        if clave and clave not in posiciones:
            posiciones[clave] = i
    faltan = [c.nombre for c in (*extra, *columnas) if c.requerida and c.nombre not in posiciones]
    if faltan:
        raise ErrorEntrada(
            f"faltan las columnas obligatorias {', '.join(faltan)} en el encabezado",
            archivo=archivo, hoja=hoja, fila=1, columna=faltan[0],
        )
    return {c.nombre: posiciones[c.nombre] for c in (*extra, *columnas) if c.nombre in posiciones}


def convertir_filas(filas: Iterable[tuple[int, list[object]]], posiciones: dict[str, int],
                    columnas: tuple[Columna, ...], archivo: str,
                    validador: ValidadorFila | None = None) -> ResultadoCarga:
    """Parse raw rows (``(row number, cells)``) into a tidy table plus rejects.

    A row with any unreadable cell is rejected whole, with every problem listed in one line.
    A text holding a character XML forbids (NUL, U+0001…U+001F but tab and line ends, U+FFFE,
    U+FFFF: :data:`asm_analysis.comun.texto.NO_XML_RE`) is unreadable: it could not be written
    to the annexes workbook nor to the Word file. Blank rows are not counted. The table keeps the
    source row number in ``fila``.
    """
    cargadas: list[dict] = []
    rechazos: list[dict] = []
    leidas = 0
    for numero, celdas in filas:
        if fila_vacia(celdas):
            continue
        leidas += 1
        fila: dict = {"fila": numero}
        problemas: list[tuple[str, object, str]] = []
        for col in columnas:
            pos = posiciones.get(col.nombre)
            crudo = celdas[pos] if pos is not None and pos < len(celdas) else None
            if isinstance(crudo, str) and (caracter := texto.caracter_no_xml(crudo)):
                problemas.append((col.nombre, texto.escapar_no_xml(crudo),
                                  f"contiene {texto.nombre_caracter(caracter)} que no puede ir en un libro de Excel; "
                                  "quítelo de la celda"))
                continue
            try:
                fila[col.nombre] = col.parser(crudo)
                if col.minimo is not None and fila[col.nombre] is not None and fila[col.nombre] < col.minimo:
                    raise lectura.ValorInvalido(f"«{crudo}» es negativo y {col.nombre} no admite valores negativos"
                                                if col.minimo == 0 else f"«{crudo}» es menor que {col.minimo:g}")
            except lectura.ValorInvalido as exc:
                problemas.append((col.nombre, crudo, str(exc)))
        if not problemas and validador is not None:
            problemas = validador(fila)
        if problemas:
            rechazos.append({
                "archivo": archivo,
                "fila": numero,
                "columna": "; ".join(p[0] for p in problemas),
                "valor": "; ".join("" if lectura.es_faltante(p[1]) else str(p[1]) for p in problemas),
                "motivo": "; ".join(p[2] for p in problemas),
            })
        else:
            cargadas.append(fila)
    nombres = ["fila", *(c.nombre for c in columnas)]
    tabla = pd.DataFrame(cargadas, columns=nombres)
    return ResultadoCarga(archivo, tabla, pd.DataFrame(rechazos, columns=COLUMNAS_RECHAZO), leidas)
