"""Helpers of the tests that write rows into a sheet of the capture template (its header in row 1)."""

from __future__ import annotations


def columnas_de(ws) -> dict[str, int]:
    """Header of the sheet → its column number (1-based)."""
    return {c.value: c.column for c in ws[1] if c.value is not None}


def agregar_filas(ws, registros: list[dict]) -> None:
    """Write each record (header → value) in a new row below the last one of the sheet."""
    pos = columnas_de(ws)
    fila = ws.max_row + 1
    for registro in registros:
        for nombre, valor in registro.items():
            ws.cell(row=fila, column=pos[nombre], value=valor)
        fila += 1
