"""The table of an SRFT module export, as the system gives it (xlsx) or saved as CSV.

The SRFT modules (ejercicio del gasto with readable headers, destino del gasto / proyectos)
export an Excel workbook: one sheet whose table may sit below a few title or group rows.
Evaluators also save that sheet as CSV (UTF-8 or latin-1, comma or semicolon). Both arrive
here as the same thing: the sheet name (``None`` for a CSV), the header row and every data
row with the row number the user sees in Excel or a text editor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.texto import sin_acentos
from asm_analysis.entradas import lectura, libro_xlsx

EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
#: Rows above the header (titles, a group row) searched for it.
FILAS_BUSQUEDA = 15


def clave(nombre: object) -> str:
    """A header cell compared without case, accents, punctuation or repeated spaces.

    ``"Recaudado (Ministrado)"`` → ``recaudado ministrado``; ``"ID_MUNICIPIO_RESPONSABLE"`` →
    ``id municipio responsable``.
    """
    texto = sin_acentos("" if nombre is None else str(nombre)).lower().lstrip("\ufeff")
    return " ".join("".join(c if c.isalnum() else " " for c in texto).split())


def celda_texto(valor: object) -> str | None:
    """An exported cell as text: numbers as written (``25138748.13``, ``2020``), blanks as ``None``."""
    if valor is None:
        return None
    if isinstance(valor, bool):
        return str(valor)
    if isinstance(valor, float):
        if valor != valor:  # NaN
            return None
        return str(int(valor)) if valor.is_integer() and abs(valor) < 1e15 else repr(valor)
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, dt.datetime):
        return valor.strftime("%d-%m-%Y") if valor.time() == dt.time() else valor.isoformat(sep=" ")
    if isinstance(valor, dt.date):
        return valor.strftime("%d-%m-%Y")
    texto = str(valor).strip()
    return texto or None


@dataclass
class TablaExportada:
    """One exported table: where its header is and its rows (cells as text, ``None`` when blank)."""

    archivo: str
    hoja: str | None
    fila_encabezado: int
    encabezado: list[str]
    filas: list[tuple[int, list[str | None]]]

    @property
    def lugar(self) -> str:
        """How rejects name the file: ``libro.xlsx (hoja Reporte)`` or just ``archivo.csv``."""
        return f"{self.archivo} (hoja {self.hoja})" if self.hoja else self.archivo

    def posiciones(self) -> dict[str, int]:
        """Header key (:func:`clave`) → first column holding it."""
        salida: dict[str, int] = {}
        for i, nombre in enumerate(self.encabezado):
            salida.setdefault(clave(nombre), i)
        return salida


EsEncabezado = Callable[[list[str]], bool]


def _filas_csv(ruta: Path) -> tuple[list[list[str]], str]:
    codificacion = lectura.comprobar_texto(ruta)
    with open(ruta, encoding=codificacion, newline="") as f:
        texto = f.read()
    primera = texto.split("\n", 1)[0]
    separador = lectura.detectar_separador(primera)
    try:
        return list(csv.reader(io.StringIO(texto), delimiter=separador)), codificacion
    except csv.Error as exc:
        raise ErrorEntrada(f"el CSV está mal formado: {exc}", archivo=ruta.name) from exc


def _hojas_xlsx(ruta: Path) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    try:
        with zipfile.ZipFile(ruta) as zf:
            libro_xlsx.verificar_tamano(zf, ruta.name)
        libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ErrorEntrada("no se pudo abrir el libro de Excel (dañado o no es .xlsx); ábralo en Excel y guárdelo "
                           "de nuevo como .xlsx", archivo=ruta.name) from exc
    try:
        return [(h.title, [list(f) for f in h.iter_rows(values_only=True)]) for h in libro.worksheets]
    finally:
        libro.close()


def leer_tabla(ruta: str | Path, es_encabezado: EsEncabezado, describir_falta: Callable[[list[list[str]]], str]
               ) -> TablaExportada:
    """The first sheet (or the CSV) whose first rows hold a header accepted by ``es_encabezado``.

    ``es_encabezado`` receives the header keys (:func:`clave`). When no sheet has one, the
    error says what ``describir_falta`` finds missing in the candidate rows (file, sheet, row 1).
    Blank rows are skipped; every other row is returned with its number.
    """
    ruta = Path(ruta)
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    if ruta.stat().st_size == 0:
        raise ErrorEntrada("el archivo está vacío", archivo=ruta.name)
    if ruta.suffix.lower() in EXTENSIONES_LIBRO:
        hojas = _hojas_xlsx(ruta)
    else:
        filas, _ = _filas_csv(ruta)
        hojas = [(None, filas)]
    candidatas: list[list[str]] = []
    for hoja, filas in hojas:
        for i, fila in enumerate(filas[:FILAS_BUSQUEDA]):
            claves = [clave(c) for c in fila]
            candidatas.append(claves)
            if not es_encabezado(claves):
                continue
            encabezado = [celda_texto(c) or "" for c in fila]
            datos = []
            for k, cruda in enumerate(filas[i + 1:], start=i + 2):
                celdas = [celda_texto(c) for c in cruda]
                if any(c is not None for c in celdas):
                    datos.append((k, celdas))
            return TablaExportada(ruta.name, hoja, i + 1, encabezado, datos)
    hoja = hojas[0][0] if hojas else None
    raise ErrorEntrada(describir_falta(candidatas), archivo=ruta.name, hoja=hoja, fila=1)
