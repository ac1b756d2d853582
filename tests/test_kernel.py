"""A kept kernel (``kernel.reutilizar_kernel``) gives a notebook what a fresh kernel gives.

Two tiny notebooks written to ``tmp_path``: A leaves names, an imported alias, an output
history, a ``once`` warning filter with its warning already shown and another working
directory (removed before B runs); B prints its own names, its execution count and history
sizes, its working directory, and triggers A's warning again. B on the kernel A used must
give the outputs B gives on a kernel of its own. These start real kernels (a few seconds each).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest

from asm_analysis.comun.cerrojo import proceso_vivo
from asm_analysis.comun.errores import ErrorInforme
from asm_analysis.publicacion import cuaderno, kernel

pytestmark = pytest.mark.lenta

MODULO_AVISO = '''\
import warnings


def avisar():
    """Recorded in this module's ``__warningregistry__``."""
    warnings.warn("aviso de prueba", UserWarning)
    # With no registry a "once" filter records it in warnings.onceregistry.
    warnings.warn_explicit("aviso sin registro", UserWarning, "sin_registro.py", 1)
'''

CELDA_PID = "import os as _os_pid\nprint(_os_pid.getpid())\ndel _os_pid"


def _escribir_cuaderno(ruta: Path, celdas: list[str]) -> Path:
    """A notebook on the ``asm-analysis`` kernel with these code cells and a last one printing the pid."""
    nombre = kernel.asegurar_kernel()
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": nombre, "display_name": nombre, "language": "python"},
        "language_info": {"name": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(fuente) for fuente in celdas]
    pid = nbformat.v4.new_code_cell(CELDA_PID)
    pid.metadata["tags"] = ["pid"]
    nb.cells.append(pid)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, ruta)
    return ruta


@pytest.fixture
def cuadernos(tmp_path: Path) -> dict[str, Path]:
    modulos = tmp_path / "modulos"
    modulos.mkdir()
    (modulos / "aviso_prueba.py").write_text(MODULO_AVISO, encoding="utf-8")
    otra = tmp_path / "otra"
    otra.mkdir()
    carpeta_b = tmp_path / "b"
    a = _escribir_cuaderno(tmp_path / "a" / "a.ipynb", [
        f"import os\nimport sys\nsys.path.insert(0, {str(modulos)!r})\nimport json as js\nimport warnings\n"
        "import aviso_prueba",
        "valor_a = 41\n\ndef funcion_a():\n    return valor_a + 1\n\nfuncion_a()",
        'warnings.simplefilter("once")\naviso_prueba.avisar()',
        f"os.chdir({str(otra)!r})",
    ])
    b = _escribir_cuaderno(carpeta_b / "b.ipynb", [
        f"import os\nimport sys\nimport warnings\nsys.path.insert(0, {str(modulos)!r})\nimport aviso_prueba",
        "print(sorted(k for k in globals() if not k.startswith('_') and k not in get_ipython().user_ns_hidden))\n"
        "print(get_ipython().execution_count, len(In), len(Out))\n"
        f"print(os.path.relpath(os.getcwd(), {str(carpeta_b)!r}))",
        "aviso_prueba.avisar()",
    ])
    c = _escribir_cuaderno(tmp_path / "c" / "c.ipynb", ['raise ValueError("falla a propósito")'])
    # the failing cell must come after the pid one, so C reports the kernel it ran on
    nb_c = nbformat.read(c, as_version=4)
    nb_c.cells.reverse()
    nbformat.write(nb_c, c)
    return {"a": a, "b": b, "c": c, "otra": otra, "salidas": tmp_path / "salidas"}


def _ejecutar(rutas: dict[str, Path], cual: str, corrida: str) -> nbformat.NotebookNode:
    """Run notebook ``cual`` in its own folder; the executed copy goes to ``salidas/<corrida>/``."""
    entrada = rutas[cual]
    ej = cuaderno.ejecutar(entrada, rutas["salidas"] / corrida / entrada.name, {}, que=f"el cuaderno {cual}",
                           fallido=rutas["salidas"] / corrida / "_fallidos" / entrada.name, timeout=120,
                           cwd=entrada.parent)
    return ej.nb


def _pid(nb: nbformat.NotebookNode) -> int:
    celda = next(c for c in nb.cells if "pid" in c.metadata.get("tags", []))
    return int("".join(o.get("text", "") for o in celda.outputs).strip())


def _sin_tiempos(nb: nbformat.NotebookNode) -> list[dict]:
    """The code cells without timing metadata (papermill's and nbclient's) nor the pid's text, and
    with each run of stream outputs of one name joined: a kernel sends a cell's stderr in one
    message or in two depending on when it flushes (seen on a busy machine), the same text."""
    celdas = []
    for celda in nb.cells:
        celda = copy.deepcopy(celda)
        celda.metadata.pop("papermill", None)
        celda.metadata.pop("execution", None)
        salidas: list[dict] = []
        for o in celda.get("outputs", []):
            previa = salidas[-1] if salidas else None
            if (o.get("output_type") == "stream" and previa is not None and previa.get("output_type") == "stream"
                    and previa.get("name") == o.get("name")):
                previa["text"] += o.get("text", "")
            else:
                salidas.append(dict(o))
        if "outputs" in celda:
            celda.outputs = salidas
        if "pid" in celda.metadata.get("tags", []):
            celda.outputs = [{k: v for k, v in o.items() if k != "text"} for o in celda.outputs]
        celdas.append(celda)
    return celdas


def _texto(celda) -> str:
    return "".join(o.get("text", "") or "".join(o.get("data", {}).get("text/plain", "")) for o in celda.outputs)


def test_un_kernel_reutilizado_da_lo_mismo_que_uno_nuevo(cuadernos):
    kernel.reutilizar_kernel(True)
    try:
        nb_a = _ejecutar(cuadernos, "a", "compartido")
        assert kernel.kernel_compartido() is not None and kernel.kernel_compartido().km is not None
        shutil.rmtree(cuadernos["otra"])  # A's working directory is gone when B starts
        nb_b = _ejecutar(cuadernos, "b", "compartido")
    finally:
        kernel.reutilizar_kernel(False)
    assert kernel.kernel_compartido() is None
    nb_b_nuevo = _ejecutar(cuadernos, "b", "nuevo")

    assert _pid(nb_a) == _pid(nb_b)  # one kernel served A and B
    assert _pid(nb_b_nuevo) != _pid(nb_b)
    # A really left something behind: an output history, a warning shown once
    assert _texto(nb_a.cells[1]) == "42"
    assert "UserWarning: aviso de prueba" in _texto(nb_a.cells[2])
    assert "sin_registro.py:1: UserWarning: aviso sin registro" in _texto(nb_a.cells[2])

    assert _sin_tiempos(nb_b) == _sin_tiempos(nb_b_nuevo)
    assert [c.execution_count for c in nb_b.cells] == [1, 2, 3, 4]
    nombres, contadores, cwd = _texto(nb_b.cells[1]).splitlines()
    assert nombres == "['aviso_prueba', 'os', 'sys', 'warnings']"  # none of A's: valor_a, funcion_a, js
    assert contadores == "3 3 0"  # the count is the next cell's while a cell runs; In holds only B's cells
    assert cwd == "."
    avisos = "".join(o["text"] for o in nb_b.cells[2].outputs if o.get("name") == "stderr")
    assert avisos.count("UserWarning: aviso de prueba") == 1  # shown again, despite A's "once"
    assert avisos.count("sin_registro.py:1: UserWarning: aviso sin registro") == 1


def test_un_kernel_cuyo_cuaderno_fallo_no_se_reutiliza(cuadernos):
    kernel.reutilizar_kernel(True)
    try:
        pid_a = _pid(_ejecutar(cuadernos, "a", "compartido"))
        with pytest.raises(ErrorInforme, match="falla a propósito"):
            _ejecutar(cuadernos, "c", "compartido")
        assert kernel.kernel_compartido().km is None  # shut down, not kept
        parcial = nbformat.read(cuadernos["salidas"] / "compartido" / "_fallidos" / "c.ipynb", as_version=4)
        assert _pid(parcial) == pid_a  # C failed on A's kernel
        assert not proceso_vivo(pid_a)
        pid_b = _pid(_ejecutar(cuadernos, "b", "compartido"))
    finally:
        kernel.reutilizar_kernel(False)
    assert pid_b != pid_a


def test_no_interrupt_while_shutting_down(monkeypatch):
    """jupyter_client interrupts a kernel before every shutdown; ours does not, so a report that
    succeeded leaves no «KeyboardInterrupt caught in kernel» on the terminal. Other interrupts pass."""
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from asm_analysis.publicacion.kernel import gestor_privado

    llamadas = []

    async def interrumpir(self):
        llamadas.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", interrumpir)
    km = gestor_privado()(kernel_name="python3")
    km.shutting_down = True
    run_sync(km._async_interrupt_kernel)()
    assert llamadas == []
    km.shutting_down = False
    run_sync(km._async_interrupt_kernel)()
    assert llamadas == [False]


def test_un_kernel_arrancado_de_antemano_da_lo_mismo_y_ya_importo(cuadernos):
    """As a batch worker starts it (``KernelCompartido.arrancar``: the kernel boots and imports the
    notebooks' modules while the worker computes the annexes): B gives what it gives on a kernel of its
    own (none of the warm-up's names, counts or messages), and the modules were imported ahead."""
    from jupyter_core.utils import run_sync

    kernel.reutilizar_kernel(True)
    try:
        compartido = kernel.kernel_compartido()
        compartido.arrancar()
        assert compartido.km is not None  # started before any notebook asked for it
        nb_b = _ejecutar(cuadernos, "b", "arrancado")
        _, kc = compartido.cliente(60)
        textos: list[str] = []
        run_sync(kc.execute_interactive)(
            "import sys\nprint(sorted(m for m in sys.modules if m.startswith('asm_analysis.publicacion.')))",
            store_history=False, timeout=60,
            output_hook=lambda m: textos.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
    finally:
        kernel.reutilizar_kernel(False)
    nb_b_nuevo = _ejecutar(cuadernos, "b", "nuevo")
    assert _sin_tiempos(nb_b) == _sin_tiempos(nb_b_nuevo)
    assert _texto(nb_b.cells[1]).splitlines()[0] == "['aviso_prueba', 'os', 'sys', 'warnings']"
    importados = "".join(textos)
    for modulo in ("calculo", "graficas", "presentacion"):
        assert f"'asm_analysis.publicacion.{modulo}'" in importados
