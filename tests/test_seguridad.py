"""Reliability and security of the outputs: killed runs, reproducibility, paths, network.

- A report killed with SIGKILL in the middle leaves the previous report intact, and the next
  run cleans what the killed one left.
- Two runs on the same inputs give identical CSVs and identical cell values in anexos.xlsx.
- ``estado`` and ``fondo`` can never make a path outside the output folder.
- The published page makes no network request when opened in a real browser.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.ejecucion import reporte
from asm_analysis.ejecucion.cli import main

RAIZ = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data_dir(datos_compartidos) -> Path:
    return datos_compartidos


@pytest.fixture(scope="module")
def dir_demo(datos_demo) -> Path:
    return datos_demo


def _huellas(carpeta: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(carpeta.iterdir()) if p.is_file()}


def _entorno() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(RAIZ / "src")}


# --------------------------------------------------------------------------- killed mid-run

@pytest.mark.lenta
def test_sigkill_a_mitad_deja_intacto_el_informe_anterior(dir_demo, tmp_path):
    data_dir = dir_demo
    out = tmp_path / "reports"
    previo = reporte.generar("Querétaro", 2024, "FASSA", data_dir=data_dir, out=out, actualizar=False)
    antes = _huellas(previo.carpeta)
    assert "informe.html" in antes

    proceso = subprocess.Popen(
        [sys.executable, "-m", "asm_analysis", "report", "--estado", "Querétaro", "--ciclo", "2024",
         "--fondo", "FASSA", "--data-dir", str(data_dir), "--out", str(out)],
        env=_entorno(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # wait until the run is building its temporary folder (the notebook is executing), then kill it
    limite = time.monotonic() + 60
    while time.monotonic() < limite and not list(previo.carpeta.parent.glob(".tmp-*")):
        time.sleep(0.05)
    assert list(previo.carpeta.parent.glob(".tmp-*")), "the run never started building"
    time.sleep(1.0)
    os.killpg(proceso.pid, signal.SIGKILL)
    proceso.wait(timeout=30)

    assert _huellas(previo.carpeta) == antes  # the previous report, byte for byte
    hermanos = [p.name for p in previo.carpeta.parent.iterdir()]
    assert hermanos.count(previo.carpeta.name) == 1
    # the next run cleans the killed run's half-built folder and publishes normally
    nuevo = reporte.generar("Querétaro", 2024, "FASSA", data_dir=data_dir, out=out, html=False, actualizar=False)
    assert not list(nuevo.carpeta.parent.glob(".tmp-*")) and not list(nuevo.carpeta.parent.glob(".old-*"))


def test_swap_interrumpido_recupera_el_respaldo(tmp_path):
    destino = tmp_path / "2024" / "FASSA" / "22-queretaro"
    respaldo = destino.with_name(".old-22-queretaro")
    respaldo.mkdir(parents=True)
    (respaldo / "manifest.json").write_text("{}")
    reporte._restaurar_respaldo(destino)
    assert (destino / "manifest.json").exists() and not respaldo.exists()


# --------------------------------------------------------------------------- reproducible

def _celdas(ruta: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(ruta)
    return {ws.title: [tuple(c.value for c in fila) for fila in ws.iter_rows()] for ws in wb.worksheets}


@pytest.mark.lenta
@pytest.mark.parametrize("estado,fondo,datos", [("Aguascalientes", "IMSS-BIENESTAR", "data_dir"),
                                                ("Jalisco", "FASSA", "dir_demo")])
def test_dos_corridas_dan_los_mismos_archivos(request, tmp_path, estado, fondo, datos):
    data_dir = request.getfixturevalue(datos)
    a = reporte.generar(estado, 2024, fondo, data_dir=data_dir, out=tmp_path / "a", html=False, actualizar=False)
    b = reporte.generar(estado, 2024, fondo, data_dir=data_dir, out=tmp_path / "b", html=False, actualizar=False)
    csv_a = {k: v for k, v in _huellas(a.carpeta).items() if k.endswith(".csv")}
    csv_b = {k: v for k, v in _huellas(b.carpeta).items() if k.endswith(".csv")}
    assert csv_a == csv_b and len(csv_a) >= 10
    assert _celdas(a.carpeta / "anexos.xlsx") == _celdas(b.carpeta / "anexos.xlsx")
    ma = json.loads((a.carpeta / "manifest.json").read_text())
    mb = json.loads((b.carpeta / "manifest.json").read_text())
    assert ma["resumen"] == mb["resumen"] and ma["entradas"] == mb["entradas"]


# --------------------------------------------------------------------------- paths

@pytest.mark.parametrize("opcion,valor", [
    ("--estado", "../../etc"), ("--estado", "/etc/passwd"), ("--estado", "Querétaro\x00/../x"),
    ("--estado", "..\\..\\windows"), ("--fondo", "../FASSA"), ("--fondo", "/tmp/FASSA"),
    ("--fondo", "FASSA\x00"), ("--estado", 'Aguascalientes"; import os; os.system("x") #'),
])
def test_parametros_no_escapan_de_la_carpeta_de_salida(data_dir, tmp_path, capsys, opcion, valor):
    params = {"--estado": "Querétaro", "--fondo": "FASSA"} | {opcion: valor}
    out = tmp_path / "reports"
    codigo = main(["report", "--estado", params["--estado"], "--ciclo", "2024", "--fondo", params["--fondo"],
                   "--data-dir", str(data_dir), "--out", str(out), "--sin-html"])
    assert codigo == 2
    assert "no se reconoce" in capsys.readouterr().err
    assert not out.exists() or not any(out.rglob("*"))
    assert not (tmp_path / "etc").exists() and not (tmp_path / "FASSA").exists()


def test_la_carpeta_sale_del_catalogo_no_del_texto_escrito(dir_demo, tmp_path):
    r = reporte.generar("  q. roo ", 2024, "fassa", data_dir=dir_demo, out=tmp_path, html=False, actualizar=False)
    assert r.carpeta == tmp_path / "2024" / "FASSA" / "23-quintana-roo"
    assert r.carpeta.resolve().is_relative_to(tmp_path.resolve())


# --------------------------------------------------------------------------- network

def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _peticiones(navegador: str, pagina: Path, trabajo: Path) -> set[str]:
    """scheme://host/path of every network request Chromium logged while opening ``pagina``."""
    netlog = trabajo / f"{pagina.stem}-netlog.json"
    subprocess.run([navegador, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={trabajo / ('perfil-' + pagina.stem)}", f"--log-net-log={netlog}",
                    "--virtual-time-budget=3000", "--dump-dom", pagina.as_uri()],
                   capture_output=True, timeout=120, check=True)
    registro = json.loads(netlog.read_text(encoding="utf-8", errors="replace") or "{}")
    urls = set()
    for evento in registro.get("events", []):
        url = (evento.get("params") or {}).get("url")
        if isinstance(url, str) and url.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp"):
            urls.add(url.split("?", 1)[0])
    return urls


@pytest.mark.lenta  # a kernel and a browser
def test_la_pagina_no_hace_peticiones_de_red(data_dir, tmp_path):
    """Chromium itself calls home (update checks); the page must add no request of its own."""
    navegador = _chromium()
    if navegador is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium es obligatorio en CI (.ci/run lo instala)")
        pytest.skip("Chromium no está instalado (apt-get install -y chromium)")
    r = reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=data_dir, out=tmp_path / "o",
                        actualizar=False)
    vacia = tmp_path / "vacia.html"
    vacia.write_text("<!doctype html><title>vacía</title><p>nada</p>", encoding="utf-8")
    propias = _peticiones(navegador, r.carpeta / "informe.html", tmp_path) - _peticiones(navegador, vacia, tmp_path)
    assert propias == set(), f"the page requested: {sorted(propias)}"
    # and a page that does load something is caught by the same check
    cebo = tmp_path / "cebo.html"
    cebo.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    assert "http://127.0.0.1:9/x.png" in _peticiones(navegador, cebo, tmp_path)
