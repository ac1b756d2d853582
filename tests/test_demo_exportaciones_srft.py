"""The demo gains SRFT module exports: projects beside the national demo files, and a second demo
folder (``data/demo/exportaciones_srft``) holding only SRFT exports of Durango, Nayarit and Zacatecas."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from asm_analysis import auditoria
from asm_analysis.entradas import datos
from asm_analysis.publicacion import distribucion

RAIZ = Path(__file__).resolve().parents[1]
SOLO_SRFT = RAIZ / "data" / "demo" / "exportaciones_srft" / "raw"
ESTADOS = {"10": "Durango", "18": "Nayarit", "32": "Zacatecas"}


def _devengado_fassa_t4(ruta: Path) -> float:
    """Independent sum of the FASSA projects' devengado at the 4th quarter, read with openpyxl."""
    filas = list(openpyxl.load_workbook(ruta, read_only=True).active.iter_rows(values_only=True))
    encabezado = list(filas[1])
    i = {c: encabezado.index(c) for c in ("TRIMESTRE", "FUENTES_FINANCIAMIENTO", "DEVENGADO")}
    return sum(float(f[i["DEVENGADO"]]) for f in filas[2:]
               if f[i["TRIMESTRE"]] == 4 and "ramo:33, modalidad:I, prog_pres:2," in f[i["FUENTES_FINANCIAMIENTO"]])


def test_demo_solo_srft_da_el_mismo_anexo1_que_el_nacional(datos_demo, tmp_path):
    solo = tmp_path / "solo"
    shutil.copytree(SOLO_SRFT, solo / "raw")
    for cve, nombre in ESTADOS.items():
        d_solo = datos.cargar(solo, cve, 2024, "FASSA")
        d_nac = datos.cargar(datos_demo, cve, 2024, "FASSA", actualizar=False)
        assert d_solo.demo and d_nac.demo
        assert any("ejercicio_FASSA" in a["archivo"] for a in d_solo.archivos)
        a_solo, a_nac = auditoria.calcular(d_solo).anexo1, auditoria.calcular(d_nac).anexo1
        for m in ("aprobado", "modificado", "devengado", "pagado"):
            assert a_solo[m].fillna(0).tolist() == pytest.approx(a_nac[m].fillna(0).tolist(), abs=0.005), (cve, m)
        for d in (d_solo, d_nac):
            dist = distribucion.calcular(d)
            total = dist.tabla[dist.tabla["tipo_fila"] == "total"].iloc[0]
            ruta = SOLO_SRFT / "proyectos" / f"proyectos_FASSA_{nombre}_2024_demo.xlsx"
            assert total["devengado"] == pytest.approx(_devengado_fassa_t4(ruta), abs=0.005)
            assert total["proyectos"] == 8  # the ninth project is FAIS
