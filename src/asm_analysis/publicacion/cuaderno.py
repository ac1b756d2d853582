"""Run the report notebooks with papermill and publish them as offline HTML with nbconvert.

* The kernel is always this interpreter (``sys.executable``): a kernelspec named
  ``asm-analysis`` is written to a private folder put first on ``JUPYTER_PATH``, so no other
  ``python3`` kernel of the machine can be picked up by mistake.
* The notebooks folder is ``<repo>/notebooks`` (next to ``src/``), or the folder named by the
  environment variable ``ASM_ANALYSIS_NOTEBOOKS``.
* The HTML page uses the template shipped in ``asm_analysis/plantillas/asm_informe``: no
  code, no prompts, no parameters cell, no script/stylesheet/font/image from the network
  (no require.js, MathJax or widgets), print-friendly CSS. Charts are data URIs.
* A failing cell raises :class:`~asm_analysis.comun.errores.ErrorInforme` naming the state and the
  cell; the partial executed notebook is kept under ``<out>/_fallidos/``.
* Cost (see ``benchmarks/RESULTS.md``): a kernel start plus the notebook's imports is most of
  what one report costs. A batch worker therefore keeps one kernel for all its notebooks
  (:func:`reutilizar_kernel`, reset before each one so the output is what a fresh kernel
  gives), papermill's engine is registered here without its two notebook writes per cell
  (:func:`_registrar_motor`), and the HTML exporter is built once per process.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import shutil
import site
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from asm_analysis.entradas import catalogos
from asm_analysis.comun.cerrojo import proceso_vivo
from asm_analysis.comun.errores import ErrorInforme
from asm_analysis.publicacion.calculo import Calculo
from asm_analysis.publicacion.calculo import guardar as guardar_calculo

if TYPE_CHECKING:  # pragma: no cover
    import nbformat

log = logging.getLogger(__name__)

NOMBRE_KERNEL = "asm-analysis"
CUADERNO_INFORME = "informe_estatal.ipynb"
CUADERNO_COMPARATIVO = "comparativo_nacional.ipynb"
VARIABLE_CUADERNOS = "ASM_ANALYSIS_NOTEBOOKS"
TIMEOUT_CELDA = 600  # seconds per cell
TIMEOUT_ARRANQUE = 120  # seconds to start the kernel
PLANTILLAS = Path(__file__).resolve().parents[1] / "plantillas"
PLANTILLA = "asm_informe"
ETIQUETAS_OCULTAS = {"parameters", "injected-parameters", "ocultar"}

_candado = threading.Lock()


# --------------------------------------------------------------------------------------------
# Where the notebooks are
# --------------------------------------------------------------------------------------------


def carpeta_cuadernos() -> Path:
    """The notebooks folder: ``$ASM_ANALYSIS_NOTEBOOKS`` or ``<repo>/notebooks``."""
    propia = os.environ.get(VARIABLE_CUADERNOS)
    carpeta = Path(propia).expanduser() if propia else Path(__file__).resolve().parents[3] / "notebooks"
    if not carpeta.is_dir():
        origen = (f"la variable de entorno {VARIABLE_CUADERNOS}" if propia
                  else "la carpeta notebooks/ junto a src/ en el repositorio")
        raise ErrorInforme(
            f"no se encontró la carpeta de cuadernos «{carpeta}» (indicada por {origen}); "
            f"defina {VARIABLE_CUADERNOS} con la ruta de la carpeta que contiene {CUADERNO_INFORME} "
            f"y {CUADERNO_COMPARATIVO}")
    return carpeta


def ruta_cuaderno(nombre: str) -> Path:
    ruta = carpeta_cuadernos() / nombre
    if not ruta.is_file():
        raise ErrorInforme(f"no se encontró el cuaderno «{ruta}»; la carpeta de cuadernos se puede indicar con "
                             f"la variable de entorno {VARIABLE_CUADERNOS}")
    return ruta


# --------------------------------------------------------------------------------------------
# Kernel
# --------------------------------------------------------------------------------------------


def _raiz_paquete() -> str | None:
    """The folder holding the ``asm_analysis`` package when it is not installed in site-packages."""
    raiz = Path(__file__).resolve().parents[2]
    instalados = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()] if p}
    return None if raiz.resolve() in instalados else str(raiz)


def especificacion_kernel() -> dict:
    """The ``kernel.json`` of the ``asm-analysis`` kernel: this interpreter, this package."""
    spec = {
        # No history database (parallel kernels would lock it) and no transport warning per run.
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR"],
        "display_name": f"asm-analysis (Python {sys.version_info.major}.{sys.version_info.minor})",
        "language": "python",
        "metadata": {"debugger": False},
    }
    raiz = _raiz_paquete()
    if raiz:
        actual = os.environ.get("PYTHONPATH", "")
        partes = [raiz] + [p for p in actual.split(os.pathsep) if p and p != raiz]
        spec["env"] = {"PYTHONPATH": os.pathsep.join(partes)}
    return spec


def asegurar_kernel() -> str:
    """Write the ``asm-analysis`` kernelspec to a private folder first on ``JUPYTER_PATH``.

    The folder name is derived from the spec's content, so processes with different
    interpreters never overwrite each other's spec. Returns the kernel name.
    """
    spec = especificacion_kernel()
    texto = json.dumps(spec, indent=1, sort_keys=True)
    huella = hashlib.sha256(texto.encode("utf-8")).hexdigest()[:16]
    usuario = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "u")
    base = Path(tempfile.gettempdir()) / f"asm-analysis-jupyter-{usuario}" / huella
    carpeta = base / "kernels" / NOMBRE_KERNEL
    archivo = carpeta / "kernel.json"
    with _candado:
        if not archivo.is_file() or archivo.read_text(encoding="utf-8") != texto:
            carpeta.mkdir(parents=True, exist_ok=True)
            tmp = carpeta / f".kernel.json.{os.getpid()}.{threading.get_ident()}"
            tmp.write_text(texto, encoding="utf-8")
            os.replace(tmp, archivo)
        rutas = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(base)]
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(base), *rutas])
    return NOMBRE_KERNEL


# --------------------------------------------------------------------------------------------
# What a killed run leaves behind: one private folder per process, cleaned by the next run
# --------------------------------------------------------------------------------------------

#: Environment variable naming the parent folder of the private folders (default: the system temp folder).
VARIABLE_RESTOS = "ASM_ANALYSIS_TMP"


def carpeta_restos() -> Path:
    """``<tmp>/asm-analysis-run-<uid>``: holds one private folder per running process, named by its pid."""
    usuario = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "u")
    base = os.environ.get(VARIABLE_RESTOS) or tempfile.gettempdir()
    return Path(base) / f"asm-analysis-run-{usuario}"


_privada: Path | None = None


def carpeta_privada() -> Path:
    """This process's private folder (``<carpeta_restos>/<pid>``), created on first use.

    Kernel connection files, the kernels' start folders and a batch's start markers go
    here. It is removed when the process exits normally; after ``kill -9`` or a power cut,
    :func:`limpiar_restos` in the next run removes it and stops the kernels it lists.
    """
    global _privada
    if _privada is None or _privada.name != str(os.getpid()):
        import atexit

        _privada = carpeta_restos() / str(os.getpid())
        _privada.mkdir(parents=True, exist_ok=True)
        atexit.register(shutil.rmtree, _privada, True)
    _privada.mkdir(parents=True, exist_ok=True)
    return _privada


def _terminar(pids: list[int]) -> None:
    """Ask each process to stop (SIGTERM), ignoring the ones already gone."""
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


def _procesos_con(textos: list[str]) -> list[int]:
    """Pids of processes whose command line names one of ``textos`` (Linux ``/proc``; else none)."""
    proc = Path("/proc")
    if not textos or not proc.is_dir():
        return []
    codificados = [t.encode() for t in textos]
    pids = []
    for entrada in proc.iterdir():
        if not entrada.name.isdigit() or int(entrada.name) == os.getpid():
            continue
        try:
            linea = (entrada / "cmdline").read_bytes()
        except OSError:
            continue
        if any(t in linea for t in codificados):
            pids.append(int(entrada.name))
    return pids


def limpiar_restos() -> list[Path]:
    """Remove the private folders of processes that are gone, stopping the kernels they started.

    A kernel is found by its connection file (its command line names it), never by name;
    it gets SIGTERM. Returns the folders removed. Cheap: one listing of a small folder.
    """
    base = carpeta_restos()
    quitadas = []
    try:
        hijos = list(base.iterdir())
    except OSError:
        return quitadas
    for carpeta in hijos:
        if not carpeta.name.isdigit() or proceso_vivo(int(carpeta.name)):
            continue
        conexiones = [os.path.realpath(f) for f in carpeta.rglob("kernel-*.json")]
        _terminar(_procesos_con(conexiones))
        shutil.rmtree(carpeta, ignore_errors=True)
        quitadas.append(carpeta)
    return quitadas


def detener_kernels_propios() -> None:
    """Stop the kernels this process started (found by their connection files) and remove its folder.

    For a signal handler (a batch worker told to stop): no event loop, no waiting.
    """
    carpeta = carpeta_restos() / str(os.getpid())
    conexiones = [os.path.realpath(f) for f in carpeta.rglob("kernel-*.json")] if carpeta.is_dir() else []
    _terminar(_procesos_con(conexiones))
    shutil.rmtree(carpeta, ignore_errors=True)


def archivo_conexion() -> str:
    """A new kernel connection file path inside this process's private folder."""
    import uuid

    return str(carpeta_privada() / f"kernel-{uuid.uuid4()}.json")


@lru_cache(maxsize=1)
def _gestor_privado():
    """``AsyncKernelManager`` whose connection file lives in :func:`carpeta_privada` (not in /tmp)."""
    from jupyter_client import AsyncKernelManager

    class GestorPrivado(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if not self.connection_file:
                self.connection_file = archivo_conexion()

    return GestorPrivado


# --------------------------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------------------------


@dataclass
class Ejecucion:
    """An executed notebook and how long each step took (seconds)."""

    nb: nbformat.NotebookNode
    ruta: Path
    tiempos: dict[str, float] = field(default_factory=dict)


def _primera_linea(fuente: str) -> str:
    for linea in (fuente or "").splitlines():
        if linea.strip():
            return linea.strip()
    return "(celda vacía)"


def _celda_en_curso(nb: nbformat.NotebookNode) -> tuple[int | None, str]:
    """Index and source of the last cell papermill started (for errors without a cell)."""
    indice, fuente = None, ""
    for i, celda in enumerate(nb.cells):
        meta = celda.get("metadata", {}).get("papermill", {})
        if celda.cell_type == "code" and meta.get("start_time"):
            indice, fuente = i, celda.source
    return indice, fuente


def _tiempos_papermill(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Kernel start and execution time from papermill's metadata."""
    from datetime import datetime

    def t(valor):
        return datetime.fromisoformat(valor.replace("Z", "+00:00")) if valor else None

    meta = nb.metadata.get("papermill", {})
    inicio, fin = t(meta.get("start_time")), t(meta.get("end_time"))
    primeras = [t(c.metadata.get("papermill", {}).get("start_time")) for c in nb.cells if c.cell_type == "code"]
    primeras = [p for p in primeras if p]
    tiempos = {}
    if inicio and primeras:
        tiempos["arranque_kernel"] = round((min(primeras) - inicio).total_seconds(), 3)
    if fin and primeras:
        tiempos["ejecucion"] = round((fin - min(primeras)).total_seconds(), 3)
    return tiempos


# --------------------------------------------------------------------------------------------
# The papermill engine of this package and the kernel a batch worker keeps
# --------------------------------------------------------------------------------------------

MOTOR = "asm-analysis"  #: name of the papermill engine registered by :func:`_registrar_motor`

#: Run silently in a kept kernel before each notebook: it leaves the kernel as a fresh one
#: would be (empty namespace and output history, execution count 1, the notebook's working
#: directory, every warning shown again). Imported modules stay: that is the point.
_PREPARAR = """\
import os as _os
_os.chdir({cwd!r})  # first: the previous notebook's folder may be gone, and %reset reads the cwd
get_ipython().reset(new_session=False)  # what %reset -f does, with one garbage collection instead of two
import os as _os, sys as _sys, warnings as _warnings
for _m in list(_sys.modules.values()):
    _r = getattr(_m, "__warningregistry__", None)
    if isinstance(_r, dict):
        _r.clear()
getattr(_warnings, "onceregistry", {{}}).clear()
get_ipython().execution_count = 1
del _os, _sys, _warnings, _m, _r
"""


class KernelCompartido:
    """One started ``asm-analysis`` kernel that runs notebooks one after another.

    Starting a kernel and importing pandas, matplotlib and the package is most of what a
    report costs; a batch worker keeps one kernel (see :func:`reutilizar_kernel`) and,
    before each notebook, runs :data:`_PREPARAR` in it. A kernel whose notebook failed,
    timed out or died is shut down, and the next notebook gets a new one.
    """

    def __init__(self) -> None:
        self.km = None
        self.kc = None
        self._carpeta: str | None = None

    def cliente(self, timeout_arranque: float):
        """(kernel manager, client) of a live kernel, started if needed."""
        from jupyter_client import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and not run_sync(self.km.is_alive)():
            self.cerrar()
        if self.km is None:
            # An empty private folder: the kernel puts its start folder on sys.path.
            self._carpeta = tempfile.mkdtemp(prefix="asm-kernel-", dir=carpeta_privada())
            self.km = AsyncKernelManager(kernel_name=asegurar_kernel(), connection_file=archivo_conexion())
            try:
                # as nbclient starts its kernels (no SQLite history file)
                run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                               cwd=self._carpeta)
                self.kc = self.km.client()
                self.kc.start_channels()
                run_sync(self.kc.wait_for_ready)(timeout=timeout_arranque)
            except BaseException:
                self.cerrar()
                raise
            self.kc.allow_stdin = False
        return self.km, self.kc

    def preparar(self, cwd: str, timeout: float) -> None:
        """Reset the kernel before a notebook (see :data:`_PREPARAR`)."""
        from jupyter_core.utils import run_sync

        respuesta = run_sync(self.kc.execute_interactive)(
            _PREPARAR.format(cwd=str(cwd)), silent=True, store_history=False, allow_stdin=False,
            timeout=timeout, output_hook=lambda mensaje: None)
        contenido = respuesta.get("content", {})
        if contenido.get("status") != "ok":
            raise RuntimeError(f"no se pudo preparar el kernel: {contenido.get('ename')}: {contenido.get('evalue')}")

    def cerrar(self) -> None:
        """Shut the kernel down (if any) and forget it."""
        from jupyter_core.utils import run_sync

        km, kc, carpeta = self.km, self.kc, self._carpeta
        self.km = self.kc = self._carpeta = None
        try:
            if kc is not None:
                kc.stop_channels()
            if km is not None:
                if run_sync(km.is_alive)():
                    run_sync(km.shutdown_kernel)(now=True)
                else:
                    run_sync(km.cleanup_resources)()
        except Exception:  # noqa: BLE001 - a kernel that is already gone is what we want
            log.debug("el kernel compartido no se cerró limpiamente", exc_info=True)
        finally:
            if carpeta:
                shutil.rmtree(carpeta, ignore_errors=True)


_compartido: KernelCompartido | None = None


def reutilizar_kernel(activar: bool = True) -> None:
    """Make :func:`ejecutar` keep one kernel for every notebook this process runs (batch workers).

    The kernel is shut down when the process exits or when this is called with
    ``activar=False``. Without it (``report``, tests) each notebook gets a kernel of its own.
    """
    global _compartido
    if activar and _compartido is None:
        import atexit

        _compartido = KernelCompartido()
        atexit.register(reutilizar_kernel, False)
    elif not activar and _compartido is not None:
        kernel, _compartido = _compartido, None
        kernel.cerrar()


@lru_cache(maxsize=1)
def _registrar_motor() -> str:
    """Register this package's papermill engine (once per process) and return its name.

    It is papermill's ``nbclient`` engine with two changes. The executed notebook is written
    when it finishes (by papermill), when it stops on an error or a timeout and every
    ``autosave_cell_every`` seconds of a long cell, not twice per cell: a report has about 45
    cells and the notebook grows to a few hundred KB, so those writes cost a second per report.
    And with ``kernel=`` (a :class:`KernelCompartido`) it runs on that kept kernel.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class Gestor(NotebookExecutionManager):
        callado = False

        def save(self, **kwargs):
            if not self.callado:
                super().save(**kwargs)

        def _sin_guardar(self, metodo, *args, **kwargs):
            self.callado = True
            try:
                return metodo(*args, **kwargs)
            finally:
                self.callado = False

        def notebook_start(self, **kwargs):
            return self._sin_guardar(super().notebook_start, **kwargs)

        def cell_start(self, cell, cell_index=None, **kwargs):
            return self._sin_guardar(super().cell_start, cell, cell_index, **kwargs)

        def cell_complete(self, cell, cell_index=None, **kwargs):
            return self._sin_guardar(super().cell_complete, cell, cell_index, **kwargs)

    class Motor(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            nb_man = Gestor(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                            autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            except BaseException:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()  # saves the partial notebook
                raise
            nb_man.cleanup_pbar()
            # papermill writes the finished notebook (or the failed one, marked) right after
            nb_man._sin_guardar(nb_man.notebook_complete)
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, kernel=None,
                                     **kwargs):
            if kernel is None:
                return super().execute_managed_notebook(
                    nb_man, kernel_name, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                    start_timeout=start_timeout, execution_timeout=execution_timeout, **kwargs)
            # as NBClientEngine.execute_managed_notebook, on the kept kernel
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            km, kc = kernel.cliente(start_timeout)
            kernel.preparar(os.getcwd(), start_timeout)  # papermill has moved to the notebook's cwd
            cliente = PapermillNotebookClient(nb_man, km=km, **final_kwargs)
            cliente.kc = kc  # the kernel and its client outlive this notebook
            return cliente.execute()

    papermill_engines.register(MOTOR, Motor)
    return MOTOR


def ejecutar(cuaderno: Path, salida: Path, parametros: dict, *, que: str, fallido: Path,
             timeout: int | None = None, cwd: Path | None = None) -> Ejecucion:
    """Execute ``cuaderno`` with papermill on the ``asm-analysis`` kernel into ``salida``.

    On failure the partial notebook is copied to ``fallido`` and ErrorInforme is raised
    naming ``que`` (what was being produced), the cell and the error. After
    :func:`reutilizar_kernel` the notebook runs on the process's kept kernel.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    kernel = asegurar_kernel()
    salida.parent.mkdir(parents=True, exist_ok=True)
    compartido = _compartido
    extra = {"kernel": compartido} if compartido is not None else {"kernel_manager_class": _gestor_privado()}
    inicio = time.perf_counter()
    try:
        nb = pm.execute_notebook(
            str(cuaderno), str(salida), parameters=parametros, kernel_name=kernel, language="python",
            cwd=str(cwd or salida.parent), progress_bar=False, log_output=False,
            execution_timeout=int(timeout or TIMEOUT_CELDA), start_timeout=TIMEOUT_ARRANQUE,
            request_save_on_cell_execute=True,  # the engine saves a partial notebook on a failure or a timeout
            engine_name=_registrar_motor(), **extra,
        )
    except BaseException as exc:
        if compartido is not None:  # a kernel that failed a notebook is not reused
            compartido.cerrar()
        if not isinstance(exc, Exception):
            raise
        if isinstance(exc, PapermillExecutionError):
            guardado = _guardar_fallido(salida, fallido)
            raise ErrorInforme(
                f"no se pudo generar {que}: falló la celda {exc.cell_index} del cuaderno {cuaderno.name} "
                f"(«{_primera_linea(exc.source)}») con {exc.ename}: {_recortar(exc.evalue)}"
                + (f". El cuaderno parcial quedó en {guardado}" if guardado else "")) from None
        # kernel died, timeout, kernel could not start
        guardado = _guardar_fallido(salida, fallido)
        indice, fuente = (None, "")
        if salida.is_file():
            try:
                indice, fuente = _celda_en_curso(nbformat.read(salida, as_version=4))
            except Exception:  # noqa: BLE001 - the partial file may be unreadable
                pass
        donde = (f"falló la celda {indice} del cuaderno {cuaderno.name} («{_primera_linea(fuente)}»)"
                 if indice is not None else f"no se pudo iniciar o ejecutar el cuaderno {cuaderno.name}")
        if isinstance(exc, TimeoutError) and indice is not None:
            causa = (f"CellTimeoutError: la celda tardó más de {int(timeout or TIMEOUT_CELDA)} s "
                     "(el límite por celda se cambia con --timeout)")
        else:
            causa = f"{type(exc).__name__}: {_recortar(str(exc))}"
        raise ErrorInforme(
            f"no se pudo generar {que}: {donde} con {causa}"
            + (f". El cuaderno parcial quedó en {guardado}" if guardado else "")) from exc
    tiempos = _tiempos_papermill(nb)
    tiempos["papermill_total"] = round(time.perf_counter() - inicio, 3)
    if fallido.is_file():  # an earlier failure of the same report is now fixed
        fallido.unlink(missing_ok=True)
    return Ejecucion(nb, salida, tiempos)


def _recortar(texto: str, largo: int = 400) -> str:
    texto = " ".join(str(texto).split())
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"


def _guardar_fallido(salida: Path, fallido: Path) -> Path | None:
    if not salida.is_file():
        return None
    fallido.parent.mkdir(parents=True, exist_ok=True)
    tmp = fallido.with_name(f".{fallido.name}.{os.getpid()}.tmp")
    shutil.copyfile(salida, tmp)
    os.replace(tmp, fallido)
    return fallido


# --------------------------------------------------------------------------------------------
# HTML export
# --------------------------------------------------------------------------------------------


def para_publicar(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of the executed notebook fit for the page.

    Drops the parameters cells (``parameters``, ``injected-parameters``) and cells tagged
    ``ocultar``, warnings written to stderr, and code cells left without output.
    """
    nb = copy.deepcopy(nb)
    celdas = []
    for celda in nb.cells:
        if ETIQUETAS_OCULTAS & set(celda.get("metadata", {}).get("tags", [])):
            continue
        if celda.cell_type == "code":
            celda.outputs = [o for o in celda.get("outputs", [])
                             if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not celda.outputs:
                continue
        celdas.append(celda)
    nb.cells = celdas
    return nb


def exportador():
    """The nbconvert HTML exporter with the package's offline template.

    One per process (:func:`_exportador`): building it and compiling its Jinja templates
    costs about half a second, and an exporter converts any number of notebooks.
    """
    return _exportador()


@lru_cache(maxsize=1)
def _exportador():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(PLANTILLAS)]
    c.HTMLExporter.template_name = PLANTILLA
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_output_stdin = True
    c.HTMLExporter.theme = "light"
    c.HTMLExporter.embed_images = False
    # No external URL may leak into the page even if a block falls back to a default.
    c.HTMLExporter.mathjax_url = ""
    c.HTMLExporter.require_js_url = ""
    return HTMLExporter(config=c)


def exportar_html(nb: nbformat.NotebookNode, destino: Path, titulo: str) -> Path:
    """Write the self-contained HTML page of an executed notebook (atomically)."""
    publicable = para_publicar(nb)
    publicable.metadata["title"] = titulo
    cuerpo, _ = exportador().from_notebook_node(publicable, resources={"metadata": {"name": titulo}})
    destino.parent.mkdir(parents=True, exist_ok=True)
    tmp = destino.with_name(f".{destino.name}.{os.getpid()}.tmp")
    tmp.write_text(cuerpo, encoding="utf-8")
    os.replace(tmp, destino)
    return destino


# --------------------------------------------------------------------------------------------
# The two reports
# --------------------------------------------------------------------------------------------


def ruta_fallido_informe(out: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo) -> Path:
    """``<out>/_fallidos/<ciclo>-<fondo>-<cve_ent>-<estado-slug>.ipynb``."""
    return Path(out) / "_fallidos" / f"{int(ciclo)}-{fondo.clave}-{estado.cve_ent}-{estado.slug}.ipynb"


def ejecutar_informe(calculo: Calculo, carpeta: Path, out: Path, data_dir: Path, timeout: int | None = None) -> Path:
    """Execute the state notebook on ``calculo`` into ``carpeta`` and export ``informe.html``.

    The notebook receives ``calculo`` itself (its ``resultado`` parameter names a private
    hand-over file, :mod:`asm_analysis.publicacion.calculo`): it shows the figures the CSVs and
    the workbook were written from, without computing them again. Writes
    ``carpeta/informe.ipynb`` (executed) and ``carpeta/informe.html``; returns the HTML path.
    Raises ErrorInforme when a cell fails (partial notebook under ``<out>/_fallidos/``).
    """
    from asm_analysis.publicacion.presentacion import titulo_pagina

    datos = calculo.datos
    carpeta = Path(carpeta)
    out = Path(out).resolve()
    entrega = guardar_calculo(calculo, carpeta_privada())
    parametros = {
        "estado": datos.estado.nombre, "ciclo": int(datos.ciclo), "fondo": datos.fondo.clave,
        "data_dir": str(Path(data_dir).resolve()),
        "fecha_corte": datos.fecha_corte.isoformat() if datos.fecha_corte else None,
        "actualizar": False,  # the caller has just refreshed the store
        "resultado": str(entrega),
    }
    que = f"el informe de {datos.estado.nombre} ({datos.ciclo}, {datos.fondo.clave})"
    try:
        ej = ejecutar(ruta_cuaderno(CUADERNO_INFORME), carpeta / "informe.ipynb", parametros, que=que,
                      fallido=ruta_fallido_informe(out, datos.estado, datos.ciclo, datos.fondo), timeout=timeout,
                      cwd=carpeta)
    finally:
        entrega.unlink(missing_ok=True)
    t = time.perf_counter()
    html = exportar_html(ej.nb, carpeta / "informe.html", titulo_pagina(datos))
    ej.tiempos["exportacion_html"] = round(time.perf_counter() - t, 3)
    _registrar_tiempos(ej, que)
    return html


def ejecutar_comparativo(ciclo: int, fondo: str, data_dir: Path, out: Path, timeout: int | None = None,
                         informes: dict[str, dict] | None = None) -> Path:
    """Execute the national comparison and write ``<out>/<ciclo>/<fondo>/comparativo.html``.

    ``informes`` (``cve_ent`` → report folder and fingerprint) are the states whose rows the
    notebook reads from their reports instead of computing them (see
    :func:`asm_analysis.publicacion.comparativo.calcular`). The executed notebook is kept next
    to the page as ``comparativo.ipynb``. Both files are replaced only when the run succeeds.
    """
    from asm_analysis.entradas.ingesta import ingerir

    fon = catalogos.resolver_fondo(fondo)
    out = Path(out).resolve()
    destino = out / str(int(ciclo)) / fon.clave
    destino.mkdir(parents=True, exist_ok=True)
    ingerir(Path(data_dir))  # once, here: the notebook then reads the store without refreshing it
    parametros = {"ciclo": int(ciclo), "fondo": fon.clave, "data_dir": str(Path(data_dir).resolve()),
                  "actualizar": False, "informes": informes or None}
    que = f"el comparativo nacional ({int(ciclo)}, {fon.clave})"
    tmp = destino / f".tmp-comparativo-{os.getpid()}"  # named by pid: a killed run's is removed by the next
    for viejo in destino.glob(".tmp-comparativo-*"):
        pid = viejo.name.rsplit("-", 1)[-1]
        if viejo == tmp or not pid.isdigit() or not proceso_vivo(int(pid)):
            shutil.rmtree(viejo, ignore_errors=True)
    tmp.mkdir()
    try:
        ej = ejecutar(ruta_cuaderno(CUADERNO_COMPARATIVO), tmp / "comparativo.ipynb", parametros, que=que,
                      fallido=out / "_fallidos" / f"{int(ciclo)}-{fon.clave}-comparativo.ipynb", timeout=timeout,
                      cwd=tmp)
        t = time.perf_counter()
        titulo = f"Comparativo nacional EED {int(ciclo)} · {fon.clave}"
        html = exportar_html(ej.nb, tmp / "comparativo.html", titulo)
        ej.tiempos["exportacion_html"] = round(time.perf_counter() - t, 3)
        _registrar_tiempos(ej, que)
        os.replace(tmp / "comparativo.ipynb", destino / "comparativo.ipynb")
        os.replace(html, destino / "comparativo.html")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return destino / "comparativo.html"


def _registrar_tiempos(ej: Ejecucion, que: str) -> None:
    """Keep the timings in the executed notebook's metadata and in the log."""
    import nbformat

    ej.nb.metadata.setdefault("asm_analysis", {})["tiempos_s"] = dict(ej.tiempos)
    if ej.ruta.is_file():
        nbformat.write(ej.nb, ej.ruta)
    log.info("%s: %s", que, ", ".join(f"{k} {v:.2f} s" for k, v in ej.tiempos.items()))
    ultimos_tiempos.clear()
    ultimos_tiempos.update(ej.tiempos)


#: Timings (seconds) of the last run in this process: kernel start, execution, HTML export.
ultimos_tiempos: dict[str, float] = {}
