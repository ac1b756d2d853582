"""The tolerances in force are what runs: a data folder's ``tolerancias.json`` and ``--tolerancias``.

Coahuila's demo concurrencia carries two planted mistakes (data/demo/README.md): the Federal
subtotal overstated by $1,250,000.00 (A2-SUBTOTAL) and a share 10.08 points off (A2-PORCENTAJE).
Raising one tolerance above its planted difference must remove exactly that finding.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from asm_analysis.auditoria import Tolerancias
from asm_analysis.ejecucion import reporte
from asm_analysis.ejecucion.cli import main
from asm_analysis.ejecucion.lote import AL_DIA, OK, ejecutar_lote
from asm_analysis.publicacion import presentacion

RAW_DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "raw"


@pytest.fixture
def demo(tmp_path) -> Path:
    base = tmp_path / "datos"
    shutil.copytree(RAW_DEMO, base / "raw")
    return base


def _reglas(carpeta: Path) -> list[str]:
    with (carpeta / "hallazgos.csv").open(encoding="utf-8-sig", newline="") as f:
        return [fila["regla"] for fila in csv.DictReader(f) if fila["severidad"] == "error"]


def _escribir(ruta: Path, contenido: dict) -> Path:
    ruta.write_text(json.dumps(contenido), encoding="utf-8")
    return ruta


def test_sin_archivos_rigen_las_del_paquete(demo, tmp_path):
    r = reporte.generar("Coahuila", 2024, "FASSA", data_dir=demo, out=tmp_path / "out", html=False)
    assert sorted(_reglas(r.carpeta)) == ["A2-PORCENTAJE", "A2-SUBTOTAL"]
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert manifiesto["tolerancias"] == {"valores": Tolerancias().valores(), "archivos": []}


def test_la_carpeta_de_datos_y_la_opcion_cambian_lo_que_se_audita(demo, tmp_path, capsys):
    propio = _escribir(demo / "tolerancias.json", {"monto": 2_000_000})
    r = reporte.generar("Coahuila", 2024, "FASSA", data_dir=demo, out=tmp_path / "a", html=False)
    assert _reglas(r.carpeta) == ["A2-PORCENTAJE"]  # the $1,250,000.00 subtotal is now within tolerance
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert manifiesto["tolerancias"]["valores"]["monto"] == 2_000_000
    assert [a["archivo"] for a in manifiesto["tolerancias"]["archivos"]] == [str(propio)]
    assert r.anexos.resumen["hallazgos"]["error"] == 1

    mias = _escribir(tmp_path / "mias.json", {"porcentaje": {"valor": 20}})
    codigo = main(["report", "--estado", "Coahuila", "--ciclo", "2024", "--fondo", "FASSA", "--data-dir", str(demo),
                   "--out", str(tmp_path / "b"), "--sin-html", "--tolerancias", str(mias)])
    assert codigo == 0, capsys.readouterr().err
    assert _reglas(tmp_path / "b" / "2024" / "FASSA" / "05-coahuila") == []  # both: folder's monto, option's %
    manifiesto = json.loads((tmp_path / "b" / "2024" / "FASSA" / "05-coahuila" / "manifest.json").read_text())
    assert [a["archivo"] for a in manifiesto["tolerancias"]["archivos"]] == [str(propio), str(mias)]


def test_un_archivo_de_tolerancias_malo_se_rechaza_sin_escribir_nada(demo, tmp_path, capsys):
    malo = _escribir(tmp_path / "malas.json", {"monto": -1})
    out = tmp_path / "out"
    codigo = main(["report", "--estado", "Coahuila", "--ciclo", "2024", "--fondo", "FASSA", "--data-dir", str(demo),
                   "--out", str(out), "--sin-html", "--tolerancias", str(malo)])
    err = capsys.readouterr().err
    assert codigo == 2 and "malas.json" in err and "«monto»" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["validate", str(RAW_DEMO / "asm" / "demo_asm.csv"), "--tolerancias", str(malo)]) == 2
    assert "«monto»" in capsys.readouterr().err


def test_la_pagina_muestra_las_tolerancias_en_vigor(demo):
    tol = Tolerancias.en_vigor(demo, _escribir(demo.parent / "mias.json", {"monto": 2_000_000}))
    html = str(presentacion.tabla_tolerancias(tol))
    assert "Tolerancias en vigor" in html and str(demo.parent / "mias.json") in html
    assert "valor por omisión de asm-analysis" in html  # the other five
    assert html.count("<tr") == 1 + len(tol.valores())
    # each named as a reader knows it, with the key the file sets quoted after it
    assert "Ejecución baja («ejecucion_baja»)" in html and "Variación anual («variacion_anual»)" in html
    assert "Valores de los indicadores («valor_indicador»)" in html and ">ejecucion_baja<" not in html



def test_la_procedencia_lista_los_archivos_de_tolerancias(demo, tmp_path):
    mias = _escribir(tmp_path / "mias.json", {"monto": 3})
    r = reporte.generar("Colima", 2024, "FASSA", data_dir=demo, out=tmp_path / "out", html=False, tolerancias=mias)
    pagina = str(presentacion.procedencia(r.datos, presentacion.parametros_informe(r.datos),
                                          tolerancias=Tolerancias.en_vigor(demo, mias)))
    assert str(mias) in pagina and "Tolerancias de la auditoría" in pagina
    assert all(a["archivo"] in pagina for a in r.datos.archivos)


@pytest.mark.lenta
def test_cambiar_las_tolerancias_regenera_el_informe_en_un_lote(demo, tmp_path):
    opciones = dict(data_dir=demo, out=tmp_path / "out", html=False, imprimir=False, progreso=False, jobs=1)
    primero = ejecutar_lote(2024, "FASSA", ["Coahuila"], **opciones)
    assert [(r.estatus, r.hallazgos["error"]) for r in primero] == [(OK, 2)]
    assert [r.estatus for r in ejecutar_lote(2024, "FASSA", ["Coahuila"], **opciones)] == [AL_DIA]
    _escribir(demo / "tolerancias.json", {"monto": 2_000_000})
    tercero = ejecutar_lote(2024, "FASSA", ["Coahuila"], **opciones)
    assert [(r.estatus, r.hallazgos["error"]) for r in tercero] == [(OK, 1)]
    mias = _escribir(tmp_path / "mias.json", {"porcentaje": 20})
    cuarto = ejecutar_lote(2024, "FASSA", ["Coahuila"], tolerancias=mias, **opciones)
    assert [(r.estatus, r.hallazgos["error"]) for r in cuarto] == [(OK, 0)]
