"""Write the capture workbooks ``5X_captura_*`` under ``tests/entradas_rotas/``.

They exercise how exactly a workbook is read (``tests/test_libros_exactos.py``): a
``<dimension>`` tag smaller than the data, merged cells in data rows, numbers in
percent-formatted cells, cells beyond the size limits, ``.xlsm`` and upper-case extensions.
They reuse the small consistent workbook of ``generar_entradas_rotas.py``. Run

    .venv/bin/python scripts/generar_libros_exactos.py

only to regenerate them after changing a case.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generar_entradas_rotas as base  # noqa: E402

CARPETA = base.CARPETA

#: avance (percent) of the 70 actions of ``50_captura_dimension_menor.xlsx``, one per row 2..71.
AVANCES_70 = [(i * 37) % 101 for i in range(70)]


def editar_parte(datos: bytes, parte: str, cambio) -> bytes:
    """The package with one part's bytes replaced by ``cambio(bytes)``; everything else kept as is."""
    salida = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(datos)) as origen, zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            contenido = origen.read(info.filename)
            if info.filename == parte:
                contenido = cambio(contenido)
            destino.writestr(info, contenido)
    return salida.getvalue()


def parte_de_hoja(datos: bytes, hoja: str) -> str:
    """Path of a sheet's XML part (openpyxl writes them in sheet order)."""
    wb = load_workbook(io.BytesIO(datos))
    return f"xl/worksheets/sheet{wb.sheetnames.index(hoja) + 1}.xml"


def con_dimension(datos: bytes, hoja: str, ref: str) -> bytes:
    """The workbook with the sheet's ``<dimension ref>`` tag rewritten (as some exporters write it)."""
    return editar_parte(datos, parte_de_hoja(datos, hoja),
                        lambda x: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), x, count=1))


def acciones(n: int, avances: list) -> list[list]:
    filas = []
    for i in range(n):
        numero = str(i // 2 + 1)  # two actions per aspect
        filas.append([numero, f"Aspecto susceptible de mejora {numero}", "Institucional", "Media",
                      "Dirección de Planeación", f"Acción {i + 1} del aspecto {numero}", "01/03/2024",
                      "30/06/2024", avances[i], f"Oficio {i + 1}", None, "EED FASSA 2023",
                      "Atendido" if avances[i] == 100 else "En proceso"])
    return filas


def casos() -> dict[str, bytes]:
    c: dict[str, bytes] = {}

    # 1. the dimension tag says 7 rows, the sheet has 71: every row must load
    h = base.hojas_base()
    h["asm"] = [list(base.ENC_ASM), *acciones(70, AVANCES_70)]
    c["50_captura_dimension_menor.xlsx"] = con_dimension(base.bytes_libro(base.libro(h)), "asm", "A1:M7")

    # 2. an aspect typed once in a merged cell over its three actions (rows 5 to 7)
    h = base.hojas_base()
    h["asm"] = [list(base.ENC_ASM), *acciones(6, [100, 100, 50, 0, 0, 0])]
    for fila in (5, 6):  # what a merge leaves in the cells below its first one
        h["asm"][fila][1] = None
    wb = base.libro(h)
    wb["asm"]["B4"] = "Aspecto susceptible de mejora 2"
    wb["asm"].merge_cells("B5:B7")
    wb["asm"]["B5"] = "Aspecto susceptible de mejora 3"
    c["51_captura_celdas_combinadas.xlsx"] = base.bytes_libro(wb)

    # 3. percent-formatted cells holding fractions, next to plain numbers and text
    h = base.hojas_base()
    h["asm"] = [list(base.ENC_ASM), *acciones(5, [0.5, 50, 0.755, "80 %", 50])]
    h["concurrencia"] = [list(base.ENC_CONCURRENCIA),
                         ["Federal", "FASSA", 1500000, 0.75, "Ley de Coordinación Fiscal", None],
                         ["Estatal", "Recursos estatales", 500000, 0.25, None, None]]
    h["indicadores"][1][8] = 1  # avance_meta_reportado 100 % typed as 1
    wb = base.libro(h)
    ws = wb["asm"]
    ws["I2"].number_format = "0%"        # 0.5 shown as 50 %
    ws["I4"].number_format = "0.0%"      # 0.755 shown as 75.5 %
    ws["I6"].number_format = '0" %"'     # 50 shown as «50 %»: the % is literal text, no scaling
    for ref in ("D2", "D3"):
        wb["concurrencia"][ref].number_format = "0.00%"
    wb["indicadores"]["I2"].number_format = "0.00%"
    c["52_captura_porcentaje_formato.xlsx"] = base.bytes_libro(wb)

    # 5. one stray value in the last cell of the sheet (Excel's XFD1048576)
    wb = base.libro(base.hojas_base())
    wb["asm"]["XFD1048576"] = "x"
    c["53_captura_celda_lejana.xlsx"] = base.bytes_libro(wb)

    # 5. a formatted but empty last cell and a dimension tag claiming the whole sheet: harmless
    wb = base.libro(base.hojas_base())
    wb["asm"]["XFD1048576"].font = Font(bold=True)
    c["54_captura_dimension_enorme.xlsx"] = con_dimension(base.bytes_libro(wb), "asm", "A1:XFD1048576")

    # 4. a macro-enabled workbook and an upper-case extension: read like any .xlsx
    tipo_xlsx = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    tipo_xlsm = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    c["55_captura_macro.xlsm"] = editar_parte(base.bytes_libro(base.libro(base.hojas_base())),
                                              "[Content_Types].xml", lambda x: x.replace(tipo_xlsx, tipo_xlsm))
    h = base.hojas_base()
    h["ficha"][1][1] = "Zacatecas"  # another state, so it can sit next to the others in one ingest
    c["56_captura_mayusculas.XLSX"] = base.bytes_libro(base.libro(h))

    # 5. a value one row and one column past the limits
    wb = base.libro(base.hojas_base())
    wb["destino"]["A20001"] = "nota"
    c["57_captura_fila_fuera_de_limite.xlsx"] = base.bytes_libro(wb)
    wb = base.libro(base.hojas_base())
    wb["indicadores"]["BI2"] = "comentario"
    c["58_captura_columna_fuera_de_limite.xlsx"] = base.bytes_libro(wb)
    return c


def main() -> int:
    CARPETA.mkdir(parents=True, exist_ok=True)
    generados = casos()
    for nombre, datos in generados.items():
        (CARPETA / nombre).write_bytes(datos)
    print(f"{len(generados)} archivos en {CARPETA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
