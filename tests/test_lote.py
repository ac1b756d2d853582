"""``batch``: several states in worker processes, failures collected, incremental re-runs, the index.

Real runs on a copy of the demo data (``data/demo/raw``, 2024, FASSA) with ``html=False``. Colima gets a
capture workbook of its own (the only input no other state reads), so changing it must
re-render Colima alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.entradas import compuerta
from asm_analysis.ejecucion import lote as lote_mod
from asm_analysis.auditoria import Tolerancias
from asm_analysis.ejecucion import huella as huella_mod
from asm_analysis.ejecucion.cli import main
from asm_analysis.entradas.ingesta import ingerir
from asm_analysis.ejecucion.lote import AL_DIA, ERROR, OK, ejecutar_lote

pytestmark = pytest.mark.lenta  # starts kernels, notebooks or batches

TOL = Tolerancias()  # the package defaults: no tolerancias.json in these data folders

RAIZ = Path(__file__).resolve().parents[1]
LIBRO_AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
ESTADOS = ["Aguascalientes", "Colima", "Querétaro"]
CARPETAS = {"01-aguascalientes", "06-colima", "22-queretaro"}


def _libro(destino: Path, estado: str, fondo: str = "FASSA", sin_hoja: str | None = None,
           ejecutora: str | None = None) -> Path:
    """A capture workbook for (estado, 2024, fondo), made from the published Aguascalientes one."""
    wb = load_workbook(LIBRO_AGS)
    for fila in wb["ficha"].iter_rows(min_row=2):
        campo = fila[0].value
        if campo == "estado":
            fila[1].value = estado
        elif campo == "fondo":
            fila[1].value = fondo
        elif campo == "ejecutora" and ejecutora:
            fila[1].value = ejecutora
    if sin_hoja:
        del wb[sin_hoja]
    wb.save(destino)
    return destino


@pytest.fixture(scope="module")
def datos_base(tmp_path_factory) -> Path:
    """Demo raw data plus a FASSA workbook for Colima, already ingested (copied per test)."""
    base = tmp_path_factory.mktemp("base") / "data"
    shutil.copytree(RAIZ / "data" / "demo" / "raw", base / "raw")
    (base / "raw" / "captura").mkdir()
    _libro(base / "raw" / "captura" / "colima_2024_FASSA.xlsx", "Colima")
    ingerir(base)
    return base


@pytest.fixture()
def datos(datos_base, tmp_path) -> Path:
    destino = tmp_path / "data"
    shutil.copytree(datos_base, destino)  # copy2 keeps mtimes: the store stays up to date
    return destino


def _lote(datos: Path, out: Path, **kw):
    return ejecutar_lote(2024, "FASSA", kw.pop("estados", ESTADOS), data_dir=datos, out=out,
                         jobs=kw.pop("jobs", 2), html=False, imprimir=False, progreso=False, **kw)


def _mtimes(out: Path) -> dict[str, int]:
    base = out / "2024" / "FASSA"
    return {p.relative_to(base).as_posix(): p.stat().st_mtime_ns
            for p in base.glob("[0-9][0-9]-*/*") if p.is_file()}


def _enlazados(indice: Path, archivo: str) -> set[str]:
    return set(re.findall(rf'href="(\d\d-[a-z0-9-]+)/{re.escape(archivo)}"', indice.read_text(encoding="utf-8")))


def test_tres_estados_luego_nada_cambia_luego_solo_colima(datos, tmp_path):
    out = tmp_path / "reports"
    primero = _lote(datos, out)
    assert [(r.estado, r.estatus) for r in primero] == [(e, OK) for e in ESTADOS], [r.motivo for r in primero]
    base = out / "2024" / "FASSA"
    assert {p.name for p in base.iterdir() if p.is_dir()} == CARPETAS
    for carpeta in CARPETAS:
        manifiesto = json.loads((base / carpeta / "manifest.json").read_text(encoding="utf-8"))
        assert manifiesto["estado"] == "ok"
        wb = load_workbook(base / carpeta / "anexos.xlsx", read_only=True)
        assert "Hallazgos" in wb.sheetnames
        wb.close()
    colima = json.loads((base / "06-colima" / "manifest.json").read_text(encoding="utf-8"))
    assert "raw/captura/colima_2024_FASSA.xlsx" in [e["archivo"] for e in colima["entradas"]]
    for carpeta in CARPETAS - {"06-colima"}:
        m = json.loads((base / carpeta / "manifest.json").read_text(encoding="utf-8"))
        assert not any("captura" in e["archivo"] for e in m["entradas"])

    indice = base / "index.html"
    assert _enlazados(indice, "anexos.xlsx") == CARPETAS
    assert 'href="2024/FASSA/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    registro = json.loads((base / "_lote.json").read_text(encoding="utf-8"))
    assert registro["fallas"] == []
    assert [r["estatus"] for r in registro["resultados"]] == [OK] * 3

    # nothing changed: every state is up to date and no file of theirs is written again
    antes = _mtimes(out)
    segundo = _lote(datos, out)
    assert [r.estatus for r in segundo] == [AL_DIA] * 3
    assert _mtimes(out) == antes
    assert [r.hallazgos for r in segundo] == [r.hallazgos for r in primero]

    # Colima's workbook changes: only Colima is rendered again
    _libro(datos / "raw" / "captura" / "colima_2024_FASSA.xlsx", "Colima", ejecutora="Servicios de Salud de Colima")
    tercero = _lote(datos, out)
    assert {r.estado: r.estatus for r in tercero} == {"Aguascalientes": AL_DIA, "Colima": OK, "Querétaro": AL_DIA}
    despues = _mtimes(out)
    for archivo, mtime in antes.items():
        if archivo.startswith("06-colima/"):
            continue
        assert despues[archivo] == mtime, archivo
    assert despues["06-colima/manifest.json"] != antes["06-colima/manifest.json"]
    nuevo = json.loads((base / "06-colima" / "manifest.json").read_text(encoding="utf-8"))
    sha = {e["archivo"]: e["sha256"] for e in nuevo["entradas"]}
    assert sha["raw/captura/colima_2024_FASSA.xlsx"] != \
        {e["archivo"]: e["sha256"] for e in colima["entradas"]}["raw/captura/colima_2024_FASSA.xlsx"]
    assert _enlazados(indice, "anexos.xlsx") == CARPETAS

    # --forzar renders everything again
    cuarto = _lote(datos, out, forzar=True)
    assert [r.estatus for r in cuarto] == [OK] * 3

    # a manifest that stores the full fingerprint (code included) is compared on it
    from asm_analysis.entradas.datos import cargar

    d = cargar(datos, "Querétaro", 2024, "FASSA", actualizar=False)
    ruta = base / "22-queretaro" / "manifest.json"
    manifiesto = json.loads(ruta.read_text(encoding="utf-8"))
    assert huella_mod.al_dia(base / "22-queretaro", d, html=False, tolerancias=TOL)
    assert not huella_mod.al_dia(base / "22-queretaro", d, html=True, tolerancias=TOL)  # no informe.html yet
    for valor, esperado in ((huella_mod.huella(d, TOL), True), ("0" * 64, False)):
        ruta.write_text(json.dumps({**manifiesto, "huella": valor}), encoding="utf-8")
        assert huella_mod.al_dia(base / "22-queretaro", d, html=False, tolerancias=TOL) is esperado
    (base / "22-queretaro" / "anexo1_destino.csv").unlink()
    assert not huella_mod.al_dia(base / "22-queretaro", d, html=False, tolerancias=TOL)


def test_un_estado_roto_no_detiene_a_los_demas(datos, tmp_path):
    # Aguascalientes' FASSA workbook lost its «destino» sheet: ingest cannot read it
    _libro(datos / "raw" / "captura" / "aguascalientes_2024_FASSA.xlsx", "Aguascalientes", sin_hoja="destino")
    out = tmp_path / "reports"
    resultado = _lote(datos, out)
    estatus = {r.estado: r.estatus for r in resultado}
    assert estatus == {"Aguascalientes": ERROR, "Colima": OK, "Querétaro": OK}
    (roto,) = resultado.fallas
    assert "aguascalientes_2024_FASSA.xlsx" in roto.motivo and "destino" in roto.motivo
    assert not resultado.exito

    base = out / "2024" / "FASSA"
    assert not (base / "01-aguascalientes").exists()
    registro = json.loads((base / "_lote.json").read_text(encoding="utf-8"))
    assert registro["fallas"] == [{"estado": "Aguascalientes", "cve_ent": "01", "motivo": roto.motivo}]
    indice = (base / "index.html")
    assert _enlazados(indice, "anexos.xlsx") == {"06-colima", "22-queretaro"}
    texto = indice.read_text(encoding="utf-8")
    assert "Estados con error en el último lote" in texto and "Aguascalientes" in texto


def test_filas_rechazadas_detienen_solo_al_estado_que_usa_el_archivo(datos, tmp_path):
    libro = datos / "raw" / "captura" / "colima_2024_FASSA.xlsx"
    wb = load_workbook(libro)
    ws = wb["destino"]
    columna = [c.value for c in ws[1]].index("aprobado") + 1
    ws.cell(row=3, column=columna, value="mucho dinero")
    wb.save(libro)
    resultado = _lote(datos, tmp_path / "reports", estados=["Colima", "Querétaro"])
    assert {r.estado: r.estatus for r in resultado} == {"Colima": ERROR, "Querétaro": OK}
    motivo = resultado.fallas[0].motivo
    assert "colima_2024_FASSA.xlsx" in motivo and "destino" in motivo and "rechazada" in motivo


def test_cli_batch(datos, tmp_path, capsys):
    out = tmp_path / "reports"
    comunes = ["--ciclo", "2024", "--fondo", "FASSA", "--sin-html", "--datos", str(datos), "--salida", str(out)]

    assert main(["batch", *comunes, "--estados", "Querétaro,Jalisko"]) == 2
    err = capsys.readouterr().err
    assert "Jalisko" in err and "Jalisco" in err and "Traceback" not in err
    assert not out.exists()

    assert main(["batch", *comunes, "--states", "22", "--jobs", "1"]) == 0
    salida = capsys.readouterr().out
    assert re.search(r"22 Querétaro\s+ok", salida)
    assert (out / "2024" / "FASSA" / "22-queretaro" / "anexos.xlsx").exists()

    _libro(datos / "raw" / "captura" / "aguascalientes_2024_FASSA.xlsx", "Aguascalientes", sin_hoja="destino")
    assert main(["batch", *comunes, "--estados", "01,Querétaro", "--trabajos", "2"]) == 1
    capturado = capsys.readouterr()
    assert re.search(r"01 Aguascalientes\s+error", capturado.out)
    assert re.search(r"22 Querétaro\s+al día", capturado.out)
    assert "_lote.json" in capturado.err

    (out / "index.html").unlink()
    assert main(["site", "--out", str(out)]) == 0
    assert (out / "index.html").exists()


def _muere_en_colima(tarea: dict) -> dict:
    """Worker that dies (like a process killed for lack of memory) when it gets Colima."""
    if tarea["cve_ent"] == "06":
        lote_mod.marcar_inicio(tarea)
        os._exit(3)
    return lote_mod.generar_estado(tarea)


def test_un_proceso_que_muere_no_rompe_el_lote(datos, tmp_path):
    out = tmp_path / "reports"
    resultado = _lote(datos, out, _trabajo=_muere_en_colima)
    estatus = {r.estado: r.estatus for r in resultado}
    assert estatus == {"Aguascalientes": OK, "Colima": ERROR, "Querétaro": OK}
    assert "terminó inesperadamente" in resultado.fallas[0].motivo
    base = out / "2024" / "FASSA"
    assert _enlazados(base / "index.html", "anexos.xlsx") == {"01-aguascalientes", "22-queretaro"}
    assert not [p for p in base.iterdir() if p.name.startswith(".tmp-")]


def test_sin_datos_para_el_ciclo_todos_fallan_con_motivo(datos, tmp_path):
    resultado = ejecutar_lote(2019, "FASSA", ["Colima"], data_dir=datos, out=tmp_path / "r", jobs=1, html=False,
                              imprimir=False, progreso=False)
    (r,) = resultado
    assert r.estatus == ERROR and "no hay datos" in r.motivo


def test_huella_depende_de_entradas_y_parametros(datos):
    from asm_analysis.entradas.datos import cargar

    d = cargar(datos, "Colima", 2024, "FASSA", actualizar=False)
    h = huella_mod.huella(d, TOL)
    assert h == huella_mod.huella(cargar(datos, "06", 2024, "FASSA", actualizar=False), TOL)
    otra = cargar(datos, "Colima", 2024, "FASSA", actualizar=False)
    otra.archivos = [dict(a, sha256="0" * 64) if "captura" in a["archivo"] else a for a in otra.archivos]
    assert huella_mod.huella(otra, TOL) != h
    assert huella_mod.huella(cargar(datos, "Querétaro", 2024, "FASSA", actualizar=False), TOL) != h


def test_identidad_por_nombre_de_libro():
    assert compuerta.identidad_por_nombre("captura/aguascalientes_2024_FASSA.xlsx") == ("01", 2024, "FASSA")
    assert compuerta.identidad_por_nombre("captura/captura_ciudad-de-mexico_2023_imss-bienestar.xlsx") == \
        ("09", 2023, "IMSS-BIENESTAR")
    assert compuerta.identidad_por_nombre("captura/libro.xlsx") is None


def test_celda_que_excede_el_tiempo_no_detiene_el_lote(datos, tmp_path, monkeypatch):
    """A cell that hangs in one state's notebook times out (--timeout); the other states finish."""
    import nbformat

    cuadernos = tmp_path / "cuadernos"
    shutil.copytree(RAIZ / "notebooks", cuadernos)
    ruta = cuadernos / "informe_estatal.ipynb"
    nb = nbformat.read(ruta, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import time\nif estado == 'Jalisco':\n    time.sleep(120)"))
    nbformat.write(nb, ruta)
    monkeypatch.setenv("ASM_ANALYSIS_NOTEBOOKS", str(cuadernos))
    out = tmp_path / "out"
    lote = ejecutar_lote(2024, "FASSA", ["Colima", "Jalisco"], data_dir=datos, out=out, jobs=2, html=True,
                         timeout=20, imprimir=False, progreso=False)
    estatus = {r.estado: r.estatus for r in lote}
    assert estatus["Colima"] == "ok" and estatus["Jalisco"] == "error"
    (falla,) = lote.fallas
    assert "Jalisco" in falla.motivo
    assert (out / "2024" / "FASSA" / "06-colima" / "informe.html").exists()
    assert not (out / "2024" / "FASSA" / "14-jalisco").exists()
    assert list((out / "_fallidos").glob("*jalisco*.ipynb"))
