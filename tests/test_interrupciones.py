"""Interrupted runs leave nothing behind (issue 24, items 14 and 19).

Ctrl+C during ``report`` stops the kernel and ends with one Spanish sentence and code 130; a
batch killed with ``kill -9`` leaves no worker nor kernel running once the next batch is done.
Every wait is a bounded poll of a condition, never a duration asserted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asm_analysis.publicacion import kernel

pytestmark = pytest.mark.lenta

RAIZ = Path(__file__).resolve().parents[1]
PY = sys.executable
#: Polls of 0.2 s while waiting for a condition (a kernel started, a process gone): a bound, not a timing.
ESPERAS = 1500



def _ctrl_c_por_omision() -> None:
    """In the child, before exec: Ctrl+C (SIGINT) back to its default. A runner started with ``nohup … &``
    ignores SIGINT and every process it starts inherits that, so the interrupted run would go on."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)

def _env(**extra) -> dict:
    return dict(os.environ, PYTHONPATH=str(RAIZ / "src"), **extra)


def _esperar(condicion) -> bool:
    for _ in range(ESPERAS):
        if condicion():
            return True
        time.sleep(0.2)
    return condicion()


def _vivos(pids: list[int]) -> list[int]:
    """The processes of ``pids`` still running (a zombie, dead but not yet reaped, is not running)."""
    vivos = []
    for pid in pids:
        try:
            estado = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if estado != "Z":
            vivos.append(pid)
    return vivos


def _conexiones(restos: Path, pid: int) -> list[Path]:
    return list((restos / f"asm-analysis-run-{os.getuid()}" / str(pid)).glob("kernel-*.json"))


@pytest.fixture
def datos(datos_demo, tmp_path) -> Path:
    copia = tmp_path / "data"
    shutil.copytree(datos_demo, copia)
    return copia


# --------------------------------------------------------------------------- 14. Ctrl+C during report


def test_ctrl_c_durante_report_detiene_el_kernel_y_no_publica_nada(datos, tmp_path):
    restos = tmp_path / "restos"
    out = tmp_path / "reports"
    proc = subprocess.Popen([PY, "-m", "asm_analysis", "report", "--estado", "Colima", "--ciclo", "2024", "--fondo",
                             "FASSA", "--data-dir", str(datos), "--out", str(out)],
                            env=_env(ASM_ANALYSIS_TMP=str(restos)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=_ctrl_c_por_omision)
    try:
        assert _esperar(lambda: _conexiones(restos, proc.pid) or proc.poll() is not None)
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to its foreground process group
        salida, error = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, error
    assert "Traceback" not in error and "ZMQError" not in error, error
    assert error.strip().splitlines()[-1] == ("Interrumpido por el usuario (Ctrl+C): no se publicó nada nuevo y lo que "
                                              "ya estaba publicado quedó intacto.")
    assert not any(p.name.endswith("colima") or p.name.startswith(".tmp") for p in out.rglob("*")), \
        list(out.rglob("*"))
    assert _esperar(lambda: not kernel._procesos_con([str(restos)])), kernel._procesos_con([str(restos)])


# --------------------------------------------------------------------------- 19. kill -9 of a batch


def _lote(datos: Path, out: Path, restos: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "asm_analysis", "batch", "--ciclo", "2024", "--fondo", "FASSA", "--estados",
                             "Aguascalientes,Colima", "--trabajos", "2", "--data-dir", str(datos), "--out", str(out),
                             *extra], env=_env(ASM_ANALYSIS_TMP=str(restos)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _hijos(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc``)."""
    hijos = []
    for entrada in Path("/proc").iterdir():
        if entrada.name.isdigit():
            try:
                ppid = int((entrada / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                hijos.append(int(entrada.name))
    return hijos


def test_despues_de_kill_9_de_un_lote_el_siguiente_no_deja_procesos(datos, tmp_path):
    restos = tmp_path / "restos"
    out = tmp_path / "reports"
    lote = _lote(datos, out, restos)
    try:
        # both workers have started their kernel: the batch is in full swing
        assert _esperar(lambda: sum(bool(_conexiones(restos, h)) for h in _hijos(lote.pid)) == 2
                        or lote.poll() is not None)
        assert lote.poll() is None, lote.communicate()
        procesos = _hijos(lote.pid)  # the workers and multiprocessing's resource tracker
        procesos += [k for h in procesos for k in _hijos(h)]  # the workers' kernels
        assert len(procesos) >= 4
        os.kill(lote.pid, signal.SIGKILL)
        lote.wait()
    finally:
        if lote.poll() is None:
            lote.kill()
    siguiente = _lote(datos, out, restos, "--sin-html")
    salida, error = siguiente.communicate(timeout=1200)
    assert siguiente.returncode == 0, error
    assert _esperar(lambda: not _vivos(procesos)), [(p, Path(f"/proc/{p}/cmdline").read_bytes()) for p in
                                                    _vivos(procesos)]
    assert _esperar(lambda: not kernel._procesos_con([str(restos)])), kernel._procesos_con([str(restos)])
    fondo = out / "2024" / "FASSA"
    assert not [p for p in fondo.iterdir() if p.name.startswith(".tmp")]


def test_la_siguiente_ejecucion_detiene_un_trabajador_huerfano_y_solo_ese(tmp_path, monkeypatch):
    """The next run's clean-up, on its own (a worker that could not stop itself): a live process
    whose folder says its batch is gone gets SIGTERM; one whose batch lives, or whose pid was
    reused by another process (another start time), is left alone."""
    import json

    monkeypatch.setenv("ASM_ANALYSIS_TMP", str(tmp_path))
    base = kernel.carpeta_restos()
    muerto = subprocess.Popen([PY, "-c", "pass"])
    muerto.wait()
    dormidos = [subprocess.Popen([PY, "-c", "import time; time.sleep(3600)"]) for _ in range(3)]
    try:
        assert _esperar(lambda: all(kernel._inicio(p.pid) for p in dormidos))
        casos = [
            {"padre": muerto.pid, "inicio_padre": "1", "inicio": kernel._inicio(dormidos[0].pid)},  # orphan
            {"padre": os.getpid(), "inicio_padre": kernel._inicio(os.getpid()),
             "inicio": kernel._inicio(dormidos[1].pid)},  # its batch is alive
            {"padre": muerto.pid, "inicio_padre": "1", "inicio": "0"},  # the pid now names another process
        ]
        for proceso, datos in zip(dormidos, casos):
            carpeta = base / str(proceso.pid)
            carpeta.mkdir(parents=True)
            (carpeta / kernel.ARCHIVO_PADRE).write_text(json.dumps(datos), encoding="utf-8")
        kernel.limpiar_restos()
        assert dormidos[0].wait(timeout=600) == -signal.SIGTERM
        assert dormidos[1].poll() is None and dormidos[2].poll() is None
        assert (base / str(dormidos[1].pid)).exists() and (base / str(dormidos[2].pid)).exists()
    finally:
        for proceso in dormidos:
            proceso.kill()
            proceso.wait()
