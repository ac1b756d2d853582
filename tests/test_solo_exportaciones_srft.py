"""A state folder holding only SRFT exports, nothing typed (issue 21's acceptance).

Zacatecas 2024, FASSA: the readable Excel export of the ejercicio (4th quarter) and the project
export from the demo's SRFT-only folder, plus the *Indicadores* module exports of 2024 (xlsx) and
2023 (CSV) from the test fixtures. ``report`` gives Anexo 1, Anexo 4 with its prior-year columns
and the geographic distribution, each equal to a computation made here straight from the files.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from asm_analysis.ejecucion import reporte

pytestmark = pytest.mark.lenta

RAIZ = Path(__file__).resolve().parents[1]
SOLO_SRFT = RAIZ / "data" / "demo" / "exportaciones_srft" / "raw"
INDICADORES = RAIZ / "tests" / "datos_srft_indicadores"


@pytest.fixture(scope="module")
def informe(tmp_path_factory):
    base = tmp_path_factory.mktemp("solo_srft")
    raw = base / "raw"
    (raw / "srft").mkdir(parents=True)
    (raw / "proyectos").mkdir()
    (raw / "srft_indicadores").mkdir()
    shutil.copy(SOLO_SRFT / "srft" / "ejercicio_FASSA_Zacatecas_2024_T4_demo.xlsx", raw / "srft")
    shutil.copy(SOLO_SRFT / "proyectos" / "proyectos_FASSA_Zacatecas_2024_demo.xlsx", raw / "proyectos")
    for nombre in ("fassa_zacatecas_2024.xlsx", "fassa_zacatecas_2023.csv"):
        shutil.copy(INDICADORES / nombre, raw / "srft_indicadores")
    r = reporte.generar("Zacatecas", 2024, "FASSA", data_dir=base, out=base / "out", html=False)
    return r, raw


def _filas_xlsx(ruta: Path, encabezado_en: str) -> list[dict]:
    """Rows of an export's first sheet as dicts, the header being the first row that has ``encabezado_en``."""
    filas = list(openpyxl.load_workbook(ruta, read_only=True).active.iter_rows(values_only=True))
    i = next(k for k, f in enumerate(filas) if encabezado_en in f)
    return [dict(zip(filas[i], f)) for f in filas[i + 1:] if any(v is not None for v in f)]


def _importe(valor) -> float:
    return 0.0 if valor in (None, "", "N/A") else float(str(valor).replace(",", ""))


def test_anexo1_es_la_suma_de_las_partidas_de_la_exportacion(informe):
    r, raw = informe
    assert r.datos.fuentes["destino"] == "srft"
    filas = _filas_xlsx(raw / "srft" / "ejercicio_FASSA_Zacatecas_2024_T4_demo.xlsx", "Partida")
    partidas = [f for f in filas if str(f.get("Clave Programa") or "").strip() == "I002"
                and str(f.get("Partida") or "")[:1].isdigit() and str(f.get("Ciclo de Recurso")) == "2024"
                and str(f.get("ESTATUS") or "").strip().lower().startswith("validado")
                and (f.get("Municipio") in (None, "", "N/A") or "entidad" in str(f["Municipio"]).lower()
                     or "especificar" in str(f["Municipio"]).lower())]
    assert partidas
    anexo1 = pd.read_csv(r.carpeta / "anexo1_destino.csv", dtype=str, keep_default_na=False)
    total = anexo1[anexo1["tipo_fila"] == "total"].iloc[0]
    for columna, momento in (("Aprobado", "aprobado"), ("Devengado", "devengado"), ("Pagado", "pagado")):
        assert float(total[momento]) == pytest.approx(sum(_importe(f[columna]) for f in partidas), abs=0.01)


def test_anexo4_y_sus_columnas_del_anio_anterior_salen_de_las_exportaciones(informe):
    r, raw = informe
    assert r.datos.fuentes["indicadores_srft"] == "srft_indicadores"
    with open(raw / "srft_indicadores" / "fassa_zacatecas_2023.csv", encoding="utf-8", newline="") as f:
        lector = csv.reader(f)
        encabezado = next(lector)
        previo = {}
        for fila in lector:  # last quarter of each indicator of 2023, FASSA only
            if fila[7] != "I002":
                continue
            clave, trimestre = fila[encabezado.index("Clave del Indicador")], int(fila[2])
            if clave not in previo or trimestre >= previo[clave][0]:
                previo[clave] = (trimestre, fila[encabezado.index("Meta programada")])
    anexo4 = pd.read_csv(r.carpeta / "anexo4_indicadores.csv", dtype=str, keep_default_na=False)
    federales = anexo4[anexo4["mir"] == "Federal"]
    assert len(federales) > 0 and (federales["clave_indicador"] != "").all()
    con_anterior = federales[federales["clave_indicador"].isin(previo)]
    assert len(con_anterior) > 0
    for _, fila in con_anterior.iterrows():
        esperado = previo[fila["clave_indicador"]][1]
        if esperado not in ("", "N/R"):
            assert float(fila["meta_anterior"]) == pytest.approx(float(esperado)), fila["clave_indicador"]


def test_distribucion_geografica_es_la_suma_de_los_proyectos(informe):
    r, raw = informe
    filas = _filas_xlsx(raw / "proyectos" / "proyectos_FASSA_Zacatecas_2024_demo.xlsx", "FOLIO")
    ultimos = {}
    for f in filas:
        if "prog_pres:2," in str(f["FUENTES_FINANCIAMIENTO"]) and "ramo:33" in str(f["FUENTES_FINANCIAMIENTO"]):
            if f["FOLIO"] not in ultimos or int(f["TRIMESTRE"]) >= int(ultimos[f["FOLIO"]]["TRIMESTRE"]):
                ultimos[f["FOLIO"]] = f
    dist = pd.read_csv(r.carpeta / "distribucion_geografica.csv", dtype=str, keep_default_na=False)
    total = dist[dist["tipo_fila"] == "total"].iloc[0]
    assert int(float(total["proyectos"])) == len(ultimos)
    assert float(total["devengado"]) == pytest.approx(sum(_importe(f["DEVENGADO"]) for f in ultimos.values()),
                                                      abs=0.01)
    assert "proyectos" in {a["tipo"] for a in r.datos.archivos}
