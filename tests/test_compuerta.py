"""The input gate (``compuerta``): one rule for report, batch, the notebook and direct calls.

Rows of *this* state, year and fund that were rejected stop its report; other states' bad rows
do not; rows listed as exact duplicates (loaded once) never do. ``validate`` and ``report``
give the same problems for the same workbook.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis.entradas import compuerta, datos, ingesta
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.ejecucion.cli import main
from asm_analysis.comun.errores import ErrorEntrada

RAIZ = Path(__file__).resolve().parents[1]
AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"

ENCABEZADO_IND = ("ciclo,cve_ent,fondo,mir,nivel,indicador,frecuencia,unidad_medida,sentido,meta,avance,"
                  "avance_meta_reportado,meta_anterior,avance_anterior,avance_meta_anterior_reportado,"
                  "medios_verificacion,justificacion")


def _indicadores(ruta: Path, filas: list[str]) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text("\n".join([ENCABEZADO_IND, *filas]) + "\n", encoding="utf-8")


def _fila(cve: str, meta: str) -> str:
    return f"2024,{cve},FASSA,Federal,Fin,Indicador de prueba {cve},Anual,Porcentaje,Ascendente,{meta},90,,,,,SINAC,"


def _libro_roto(destino: Path) -> Path:
    """The published Aguascalientes workbook with one unreadable amount (destino, row 5, modificado)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(AGS, destino)
    wb = load_workbook(destino)
    ws = wb["destino"]
    columna = [c.value for c in ws[1]].index("modificado") + 1
    ws.cell(row=5, column=columna, value="6,951,18l.74")
    wb.save(destino)
    return destino


def test_rechazo_de_otro_estado_no_bloquea(tmp_path, capsys):
    """A national CSV with a bad row of Zacatecas: Querétaro's report is built, Zacatecas' refused."""
    _indicadores(tmp_path / "raw" / "indicadores" / "nacional_2024.csv",
                 [_fila("22", "95"), _fila("32", "noventa"), _fila("32", "80")])
    out = tmp_path / "reports"
    assert main(["report", "--estado", "Querétaro", "--ciclo", "2024", "--fondo", "FASSA",
                 "--data-dir", str(tmp_path), "--out", str(out), "--sin-html"]) == 0
    anexo4 = pd.read_csv(out / "2024" / "FASSA" / "22-queretaro" / "anexo4_indicadores.csv")
    assert list(anexo4["indicador"]) == ["Indicador de prueba 22"]
    capsys.readouterr()
    assert main(["report", "--estado", "Zacatecas", "--ciclo", "2024", "--fondo", "FASSA",
                 "--data-dir", str(tmp_path), "--out", str(out), "--sin-html"]) == 2
    error = capsys.readouterr().err
    assert "nacional_2024.csv" in error and "fila 3" in error and "«noventa»" in error
    assert "1 fila rechazada de Zacatecas, ciclo 2024, fondo FASSA" in error
    assert not (out / "2024" / "FASSA" / "32-zacatecas").exists()


def test_libro_con_rechazos_bloquea_su_informe_en_todas_las_vias(tmp_path):
    """report, batch, the notebook's call and a direct library call all refuse the same workbook."""
    _libro_roto(tmp_path / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx")
    _indicadores(tmp_path / "raw" / "indicadores" / "nacional_2024.csv", [_fila("22", "95")])
    ingesta.ingerir(tmp_path)
    error = compuerta.problema(tmp_path, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    assert error is not None and error.hoja == "destino" and error.fila == 5 and error.columna == "modificado"
    with pytest.raises(ErrorEntrada) as exc:  # the notebook calls datos.cargar exactly like this
        datos.cargar(tmp_path, "Aguascalientes", 2024, "IMSS-BIENESTAR")
    assert str(exc.value) == str(error)
    # another state and fund, from the national CSV: not blocked by the workbook's bad row
    assert compuerta.problema(tmp_path, "Querétaro", 2024, "FASSA") is None
    assert not datos.cargar(tmp_path, "Querétaro", 2024, "FASSA").indicadores.empty

    from asm_analysis.ejecucion.lote import ejecutar_lote

    lote = ejecutar_lote(2024, "IMSS-BIENESTAR", estados=["01"], data_dir=tmp_path, out=tmp_path / "reports",
                         jobs=1, html=False, imprimir=False, progreso=False)
    (falla,) = lote.fallas
    assert falla.motivo == str(error)


def test_filas_duplicadas_y_de_otros_no_bloquean(tmp_path):
    """The rejects of one file, sorted by whose they are."""
    ruta = tmp_path / "rechazos.csv"
    filas = [
        ["srft.csv", 2, "MONTO_PAGADO", "x", "no es un importe", "2024", "05", "FASSA"],
        ["srft.csv", 3, "(fila duplicada)", "", "la fila repite exactamente la fila 2", "2024", "14", "FASSA"],
        ["srft.csv", 4, "ID_ENTIDAD_FEDERATIVA", "99", "la clave de entidad debe estar entre 1 y 32", "2024", "", "FASSA"],
        ["srft.csv", 5, "MONTO_PAGADO", "x", "no es un importe", "2023", "14", "FASSA"],
        ["srft.csv", 6, "MONTO_PAGADO", "x", "no es un importe", "2024", "14", "FAETA"],
    ]
    with open(ruta, "w", encoding="utf-8", newline="") as f:
        escritor = csv.writer(f)
        escritor.writerow(COLUMNAS_RECHAZO)
        escritor.writerows(filas)
    info = {"rechazos": "rechazos.csv"}
    jalisco = compuerta.rechazos_de(tmp_path, info, "14", 2024, "FASSA")
    assert list(jalisco["fila"]) == ["4"]  # only the row whose state could not be read
    assert list(compuerta.rechazos_de(tmp_path, info, "05", 2024, "FASSA")["fila"]) == ["2", "4"]
    assert list(compuerta.rechazos_de(tmp_path, info, "14", 2023, "FASSA")["fila"]) == ["5"]


@pytest.mark.lenta
def test_validate_y_report_dan_los_mismos_errores(tmp_path, capsys):
    """The published workbook alone: every error finding of the report is a line of validate."""
    shutil.copytree(AGS.parent, tmp_path / "raw" / "captura")
    out = tmp_path / "reports"
    assert main(["report", "--estado", "01", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR",
                 "--data-dir", str(tmp_path), "--out", str(out), "--sin-html"]) == 0
    hallazgos = pd.read_csv(out / "2024" / "IMSS-BIENESTAR" / "01-aguascalientes" / "hallazgos.csv")
    errores = hallazgos[hallazgos["severidad"] == "error"]
    capsys.readouterr()
    assert main(["validate", str(AGS)]) == 2
    lineas = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert len(lineas) == len(errores) >= 30
    assert sorted(l.split("): ", 1)[1] for l in lineas) == sorted(errores["mensaje"])


def test_validate_lista_todos_los_problemas_de_la_ficha(tmp_path, capsys):
    """An unknown state and missing ficha fields, together, naming the wrong value."""
    ruta = tmp_path / "libro.xlsx"
    shutil.copy2(AGS, ruta)
    wb = load_workbook(ruta)
    for fila in wb["ficha"].iter_rows(min_row=2):
        if fila[0].value == "estado":
            fila[1].value = "Aguascalientos del Norte"
        if fila[0].value in ("ejecutora", "fuente"):
            fila[1].value = None
    wb.save(ruta)
    assert main(["validate", str(ruta)]) == 2
    lineas = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert len(lineas) == 2, lineas
    assert "faltan los campos obligatorios ejecutora, fuente en la ficha" in lineas[0]
    assert "hoja «ficha»" in lineas[1] and "«Aguascalientos del Norte»" in lineas[1]
    assert "Aguascalientes" in lineas[1]  # the close match is named
