"""``validate`` lists every problem of a workbook at once, and warns about suspicious but valid cells."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.ejecucion import cli
from asm_analysis.ejecucion.validacion import revisar_archivo, validar_archivo
from asm_analysis.entradas.captura import leer_captura
from asm_analysis.comun.errores import ErrorEntrada

LIBRO = Path(__file__).resolve().parents[1] / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"


def _fila(ws, columna: str, valor: str) -> int:
    encabezado = [c.value for c in ws[1]]
    j = encabezado.index(columna)
    return next(f[0].row for f in ws.iter_rows(min_row=2) if f[j].value == valor)


def _columna(ws, nombre: str) -> int:
    return [c.value for c in ws[1]].index(nombre) + 1


@pytest.fixture()
def libro(tmp_path) -> Path:
    """The shipped workbook with: no ``fuente`` in the ficha, an unreadable amount in destino (row 4),
    ASM avance typed 0.5 in a General cell (row 2), a two-digit year in an ASM date (row 3) and in
    the ficha's cut date."""
    ruta = tmp_path / LIBRO.name
    shutil.copy2(LIBRO, ruta)
    wb = load_workbook(ruta)
    ficha = wb["ficha"]
    ficha.cell(_fila(ficha, "campo", "fuente"), 2).value = None
    ficha.cell(_fila(ficha, "campo", "fecha_corte"), 2).value = "31/12/24"
    wb["destino"].cell(4, _columna(wb["destino"], "aprobado")).value = "12,34,5x"
    asm = wb["asm"]
    asm.cell(2, _columna(asm, "avance")).value = 0.5
    asm.cell(3, _columna(asm, "fecha_termino")).value = "30/09/22"
    wb.save(ruta)
    return ruta


def test_a_missing_ficha_field_no_longer_hides_the_other_problems(libro):
    with pytest.raises(ErrorEntrada):                  # report and ingest still refuse the workbook
        leer_captura(libro)
    r = revisar_archivo(libro)
    assert len(r.problemas) == 2, r.problemas
    ficha, destino = r.problemas
    assert "hoja «ficha»" in ficha and "faltan los campos obligatorios fuente en la ficha" in ficha
    assert "hoja destino" in destino and "fila 4" in destino and "«aprobado»" in destino
    assert validar_archivo(libro) == r.problemas


def test_suspicious_cells_are_warnings_with_their_cell(libro):
    r = revisar_archivo(libro)
    avisos = "\n".join(r.advertencias)
    assert len(r.advertencias) == 3, r.advertencias
    assert "hoja «asm», fila 2, columna «avance» (celda I2): «0.5» parece una fracción" in avisos
    assert "(50 para 50 %); se leyó como 0.5 %" in avisos
    assert "hoja «asm», fila 3, columna «fecha_termino» (celda H3): la fecha «30/09/22» tiene el año en dos " \
           "dígitos; se leyó como 30/09/2022" in avisos
    assert "hoja «ficha»" in avisos and "fecha_corte («31/12/24») tiene el año en dos dígitos; se leyó como " \
           "31/12/2024" in avisos
    assert all(a.startswith("Advertencia en archivo «") for a in r.advertencias)


def test_a_real_small_share_is_not_a_warning_but_a_column_of_fractions_is(tmp_path):
    # the published workbook has a 0.4 % source in concurrencia: a real share, no warning
    assert leer_captura(LIBRO).advertencias == []
    ruta = tmp_path / LIBRO.name
    shutil.copy2(LIBRO, ruta)
    wb = load_workbook(ruta)
    ws = wb["concurrencia"]
    j = _columna(ws, "porcentaje")
    escritas = 0
    for fila in ws.iter_rows(min_row=2):
        celda = fila[j - 1]
        if celda.value not in (None, ""):
            celda.value = 0.25
            escritas += 1
    wb.save(ruta)
    avisos = [a for a in leer_captura(ruta).advertencias if "«porcentaje»" in a]
    assert len(avisos) == escritas > 0


def test_the_command_prints_problems_and_warnings_and_fails_only_on_problems(libro, tmp_path, capsys, monkeypatch):
    assert cli.main(["validate", str(libro)]) == 2
    salida = capsys.readouterr()
    lineas = salida.out.splitlines()
    assert len(lineas) == 5 and sum(x.startswith("Advertencia en") for x in lineas) == 3
    assert lineas[0].startswith("Error en") and "hoja destino" in lineas[1]      # problems first
    assert "2 problemas y 3 advertencias que conviene revisar" in salida.err
    # only warnings: exit code 0 (the published workbook's own audit errors set aside here)
    import pandas as pd

    from asm_analysis.ejecucion import validacion

    monkeypatch.setattr(validacion, "hallazgos_como_en_el_informe",
                        lambda ruta, tol=None: pd.DataFrame(columns=["severidad", "anexo", "mensaje"]))
    solo = tmp_path / "solo_avisos" / LIBRO.name
    solo.parent.mkdir()
    shutil.copy2(LIBRO, solo)
    wb = load_workbook(solo)
    asm = wb["asm"]
    asm.cell(2, _columna(asm, "avance")).value = 0.5
    wb.save(solo)
    assert cli.main(["validate", str(solo)]) == 0
    salida = capsys.readouterr()
    assert "sin problemas (libro de captura); 1 advertencia que conviene revisar" in salida.out
