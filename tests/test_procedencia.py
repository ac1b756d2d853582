"""Every file a report reads is in its provenance: the manifest, the page and the fingerprint.

The case that was easy to miss: last year's indicators in a file of their own (the CSV of the
previous ciclo), read only for Anexo 4's prior-year columns. Changing that file must change
the report's fingerprint, so a batch regenerates the report instead of calling it up to date.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from asm_analysis.auditoria import Tolerancias
from asm_analysis.ejecucion import huella, reporte
from asm_analysis.ejecucion.lote import AL_DIA, OK, ejecutar_lote
from asm_analysis.entradas import datos as datos_mod
from asm_analysis.publicacion import presentacion

pytestmark = pytest.mark.lenta  # starts kernels, notebooks or batches

RAW_DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "raw"
PREVIO = "raw/indicadores/indicadores_2023.csv"


@pytest.fixture
def datos_con_previo(tmp_path) -> Path:
    """The demo set with the 2023 indicator rows moved from the national CSV to a file of their own."""
    base = tmp_path / "datos"
    shutil.copytree(RAW_DEMO, base / "raw")
    nacional = base / "raw" / "indicadores" / "demo_indicadores.csv"
    with nacional.open(encoding="utf-8", newline="") as f:
        filas = list(csv.reader(f))
    encabezado, cuerpo = filas[0], filas[1:]
    for ruta, ciclo in ((nacional, "2024"), (base / PREVIO, "2023")):
        with ruta.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([encabezado] + [r for r in cuerpo if r[0] == ciclo])
    return base


def _cambiar_un_avance(ruta: Path, cve: str) -> None:
    with ruta.open(encoding="utf-8", newline="") as f:
        filas = list(csv.reader(f))
    i_cve, i_avance = filas[0].index("cve_ent"), filas[0].index("avance")
    fila = next(r for r in filas[1:] if r[i_cve] == cve and r[i_avance])
    fila[i_avance] = str(float(fila[i_avance]) + 1.5)
    with ruta.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(filas)


def test_el_archivo_del_anio_anterior_esta_en_la_procedencia(datos_con_previo, tmp_path):
    r = reporte.generar("Colima", 2024, "FASSA", data_dir=datos_con_previo, out=tmp_path / "out", html=False)
    assert not r.datos.indicadores_previos.empty
    assert r.datos.fuentes["indicadores_anterior"] == "nacional"
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    archivos = [e["archivo"] for e in manifiesto["entradas"]]
    assert PREVIO in archivos and "raw/indicadores/demo_indicadores.csv" in archivos
    assert manifiesto["fuentes_por_anexo"]["indicadores_anterior"] == "nacional"
    pagina = str(presentacion.procedencia(r.datos, {"estado": "Colima"}))
    assert PREVIO in pagina and "Anexo 4, columnas del año anterior" in pagina


def test_cambiar_el_archivo_del_anio_anterior_regenera_el_informe(datos_con_previo, tmp_path):
    out = tmp_path / "out"
    opciones = dict(data_dir=datos_con_previo, out=out, html=False, imprimir=False, progreso=False, jobs=1)
    antes = datos_mod.cargar(datos_con_previo, "06", 2024, "FASSA")
    assert [r.estatus for r in ejecutar_lote(2024, "FASSA", ["Colima"], **opciones)] == [OK]
    assert [r.estatus for r in ejecutar_lote(2024, "FASSA", ["Colima"], **opciones)] == [AL_DIA]

    _cambiar_un_avance(datos_con_previo / PREVIO, "06")
    despues = datos_mod.cargar(datos_con_previo, "06", 2024, "FASSA")
    assert huella.huella(despues, Tolerancias()) != huella.huella(antes, Tolerancias())
    assert [r.estatus for r in ejecutar_lote(2024, "FASSA", ["Colima"], **opciones)] == [OK]
    carpeta = reporte.carpeta_informe(out, despues.estado, 2024, despues.fondo)
    manifiesto = json.loads((carpeta / "manifest.json").read_text(encoding="utf-8"))
    nuevo = next(e for e in manifiesto["entradas"] if e["archivo"] == PREVIO)
    assert nuevo["sha256"] == next(a["sha256"] for a in despues.archivos if a["archivo"] == PREVIO)
