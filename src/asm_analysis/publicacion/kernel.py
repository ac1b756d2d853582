"""The notebook kernel: its kernelspec, its private folders, the kept kernel of a batch worker
and the papermill engine that runs a notebook on it.

What is here
------------
* :func:`asegurar_kernel` writes the ``asm-analysis`` kernelspec (this interpreter,
  ``sys.executable``) to a private folder put first on ``JUPYTER_PATH``, so no other
  ``python3`` kernel of the machine can be picked up by mistake.
* Every process has a private folder (:func:`carpeta_privada`, under :func:`carpeta_restos`)
  holding its kernels' connection files. What a killed run leaves (``kill -9``, a power cut)
  is removed by the next run (:func:`limpiar_restos`); a batch worker told to stop calls
  :func:`detener_kernels_propios`. A batch worker also watches its parent
  (:func:`vigilar_padre`): if the batch is killed it stops its kernel and exits, and the next
  run stops a worker that did not.
* A kernel start plus the notebook's imports is most of what one report costs (see
  ``benchmarks/RESULTS.md``). After :func:`reutilizar_kernel` a process keeps one
  :class:`KernelCompartido` for all its notebooks; :data:`_PREPARAR` resets it before each
  one so the notebook's output is what a fresh kernel gives. A batch worker starts it ahead
  (:meth:`KernelCompartido.arrancar`): it boots and imports the notebooks' modules while the
  worker computes its first report's annexes. :func:`kernel_compartido`
  tells ``cuaderno.ejecutar`` which kernel to use.
* :func:`registrar_motor` registers the papermill engine :data:`MOTOR`: papermill's
  ``nbclient`` engine without its two notebook writes per cell, able to run on the
  kept kernel, and stopped cleanly by Ctrl+C (its kernel killed, a :class:`KeyboardInterrupt`
  out, never nbclient's ``ZMQError``).

The papermill and nbclient internals this relies on
---------------------------------------------------
Written against papermill 2.7.0 and nbclient 0.11.0 (pyproject.toml allows
``papermill>=2.6,<2.8`` and ``nbclient>=0.10,<0.12``; jupyter_client 8). None of what
follows is papermill's documented API, so an upgrade must check it:

* ``papermill.engines.Engine.execute_notebook``: ``Motor.execute_notebook`` is a copy of it
  that builds a ``Gestor`` instead of a ``NotebookExecutionManager`` and does not write the
  notebook after a success (papermill's ``execute_notebook`` writes it right after).
* ``papermill.engines.NotebookExecutionManager.save``: called by ``notebook_start``,
  ``cell_start``, ``cell_complete``, ``notebook_complete`` and ``autosave_cell``.
  ``Gestor`` mutes it during the first four, so only ``autosave_cell`` (every
  ``autosave_cell_every`` seconds of a long cell) and a failure write the notebook. If a
  new version writes from another hook, or renames these, the writes come back (slower,
  not wrong).
* ``papermill.engines.NBClientEngine.execute_managed_notebook``: ``Motor.execute_managed_notebook``
  repeats its body (the argument clean-up with ``papermill.utils.remove_args`` and
  ``merge_kwargs``) and then builds the client itself (a subclass of papermill's, run by
  ``ejecutar_cliente``). Compare the two bodies line by line after an upgrade.
* ``PapermillNotebookClient.execute`` runs nbclient's synchronous ``setup_kernel`` (no signal
  handlers of its own) and the client's ``km``, ``kc``, ``owns_km``, ``shutdown_kernel`` and
  ``km.provisioner.process`` are read after Ctrl+C to kill the kernel it started.
* ``papermill.clientwrap.PapermillNotebookClient(nb_man, km=..., **kwargs)`` with ``kc``
  set afterwards: nbclient's ``NotebookClient.setup_kernel`` starts no kernel when
  ``km.has_kernel`` is true and no client when ``kc`` is set, and leaves both alive at the
  end because the client does not own ``km`` (``owns_km`` is false). If a version shuts a
  passed kernel down, every notebook would start a kernel again.
* ``papermill.execute_notebook(..., **engine_kwargs)`` hands unknown keywords to the engine:
  ``kernel=`` (ours) and ``kernel_manager_class=`` (an nbclient trait, for
  :func:`gestor_privado`).

After an upgrade run ``tests/test_kernel.py`` (a kept kernel gives the same outputs as a
fresh one and leaks no names), ``tests/test_cuadernos.py`` and ``tests/test_fallas.py``
(failures, timeouts, killed kernels), then the benchmark of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import site
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from asm_analysis.comun.archivos import escribir_atomico, quitar_en_construccion
from asm_analysis.comun.cerrojo import proceso_vivo

log = logging.getLogger(__name__)

# jsonschema, with which nbformat validates notebooks, imports ``rfc3987_syntax`` when it is installed (the
# Jupyter packages install it): building that package's grammar of IRIs costs about 0.8 s in every process
# that executes or exports a notebook (a batch's parent and each worker), for a string format no notebook
# schema uses. It is marked absent before nbformat is first imported; a process that has jsonschema already
# keeps what it has.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

NOMBRE_KERNEL = "asm-analysis"
MOTOR = "asm-analysis"  #: name of the papermill engine registered by :func:`registrar_motor`
#: Environment variable naming the parent folder of the private folders (default: the system temp folder).
VARIABLE_RESTOS = "ASM_ANALYSIS_TMP"

_candado = threading.Lock()


def _usuario() -> str:
    """The user id (name on systems without uids), so users of one machine never share a folder."""
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "u")


# --------------------------------------------------------------------------------------------
# Kernelspec
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
    base = Path(tempfile.gettempdir()) / f"asm-analysis-jupyter-{_usuario()}" / huella
    carpeta = base / "kernels" / NOMBRE_KERNEL
    archivo = carpeta / "kernel.json"
    with _candado:
        carpeta.mkdir(parents=True, exist_ok=True)
        escribir_atomico(archivo, texto, si_cambia=True)  # under the lock: one thread of this process at a time
        rutas = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(base)]
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(base), *rutas])
    return NOMBRE_KERNEL


# --------------------------------------------------------------------------------------------
# What a killed run leaves behind: one private folder per process, cleaned by the next run
# --------------------------------------------------------------------------------------------


def carpeta_restos() -> Path:
    """``<tmp>/asm-analysis-run-<uid>``: holds one private folder per running process, named by its pid."""
    base = os.environ.get(VARIABLE_RESTOS) or tempfile.gettempdir()
    return Path(base) / f"asm-analysis-run-{_usuario()}"


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
    _privada.mkdir(parents=True, exist_ok=True)  # again: detener_kernels_propios or a test may have removed it
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


#: In a batch worker's private folder: its parent (the batch) and both start times (see :func:`vigilar_padre`).
ARCHIVO_PADRE = "padre.json"


def _inicio(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, ``/proc/<pid>/stat`` field 22), or None.

    With the pid it names one process for good: a pid reused by another process has another start.
    """
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def vigilar_padre(intervalo: float = 1.0) -> None:
    """For a batch worker: stop its kernel and exit as soon as the batch that started it is gone.

    A batch killed with ``kill -9`` cannot stop its workers: they wait for work forever, each
    with its kernel (five processes, close to 1 GB, for two workers). Each worker writes its
    parent's pid and both start times to :data:`ARCHIVO_PADRE` in its private folder (for
    :func:`limpiar_restos`) and a daemon thread checks every ``intervalo`` seconds whether it
    still has that parent; once orphaned it stops its kernels (:func:`detener_kernels_propios`)
    and exits.
    """
    padre = os.getppid()
    datos = {"padre": padre, "inicio_padre": _inicio(padre), "inicio": _inicio(os.getpid())}
    escribir_atomico(carpeta_privada() / ARCHIVO_PADRE, json.dumps(datos))

    def vigilar() -> None:
        import time

        while os.getppid() == padre:
            time.sleep(intervalo)
        try:
            detener_kernels_propios()
        finally:
            os._exit(1)

    threading.Thread(target=vigilar, name="asm-vigia-del-lote", daemon=True).start()


def _huerfano(carpeta: Path, pid: int) -> bool:
    """True when live process ``pid`` is a batch worker whose batch is gone (see :func:`vigilar_padre`).

    Only a folder with :data:`ARCHIVO_PADRE` qualifies, and only when ``pid`` is still the
    process that wrote it (same start time): a reused pid is never taken for a worker.
    """
    try:
        datos = json.loads((carpeta / ARCHIVO_PADRE).read_text(encoding="utf-8"))
        padre = int(datos["padre"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if datos.get("inicio") is None or _inicio(pid) != datos["inicio"]:
        return False
    return not proceso_vivo(padre) or _inicio(padre) != datos.get("inicio_padre")


def limpiar_restos() -> list[Path]:
    """Remove the private folders of processes that are gone, stopping the kernels they started;
    stop the workers of a batch that was killed.

    A kernel is found by its connection file (its command line names it), never by name;
    it gets SIGTERM. A live batch worker whose batch is gone (:func:`_huerfano`) gets SIGTERM
    too (its handler stops its kernel), and so does its kernel. Returns the folders removed.
    Cheap: one listing of a small folder.
    """
    base = carpeta_restos()
    quitadas = []
    try:
        hijos = list(base.iterdir())
    except OSError:
        return quitadas
    for carpeta in hijos:
        if not carpeta.name.isdigit():
            continue
        if proceso_vivo(int(carpeta.name)):
            if int(carpeta.name) != os.getpid() and _huerfano(carpeta, int(carpeta.name)):
                conexiones = [os.path.realpath(f) for f in carpeta.rglob("kernel-*.json")]
                _terminar([int(carpeta.name), *_procesos_con(conexiones)])
            continue
        conexiones = [os.path.realpath(f) for f in carpeta.rglob("kernel-*.json")]
        _terminar(_procesos_con(conexiones))
        shutil.rmtree(carpeta, ignore_errors=True)
        quitadas.append(carpeta)
    return quitadas


def detener_kernels_propios() -> None:
    """Stop the kernels this process started (found by their connection files), remove its folder
    and the report folders it was still building (``comun.archivos.quitar_en_construccion``).

    For a signal handler or a worker whose batch is gone: no event loop, no waiting.
    """
    carpeta = carpeta_restos() / str(os.getpid())
    conexiones = [os.path.realpath(f) for f in carpeta.rglob("kernel-*.json")] if carpeta.is_dir() else []
    _terminar(_procesos_con(conexiones))
    shutil.rmtree(carpeta, ignore_errors=True)
    quitar_en_construccion()


def archivo_conexion() -> str:
    """A new kernel connection file path inside this process's private folder."""
    import uuid

    return str(carpeta_privada() / f"kernel-{uuid.uuid4()}.json")


@lru_cache(maxsize=1)
def gestor_privado() -> type:
    """``AsyncKernelManager`` whose connection file lives in :func:`carpeta_privada` (not in /tmp).

    The ``kernel_manager_class`` of a notebook that gets a kernel of its own.
    """
    from jupyter_client import AsyncKernelManager

    class GestorPrivado(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if not self.connection_file:
                self.connection_file = archivo_conexion()

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts (SIGINT) every kernel before shutting it down; a kernel that is
            # handling a message at that moment logs «[IPKernelApp] ERROR … KeyboardInterrupt caught in
            # kernel» on the terminal after a report that succeeded. The shutdown request (control
            # channel) stops a busy kernel as well, and ``now=True`` still kills it.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return GestorPrivado


# --------------------------------------------------------------------------------------------
# The kernel a batch worker keeps
# --------------------------------------------------------------------------------------------

#: Run silently in a kept kernel before each notebook: it leaves the kernel as a fresh one
#: would be (empty namespace, empty input and output history, execution count 1, the
#: notebook's working directory, every warning shown again). ``reset(new_session=False)``
#: keeps the input history (``In``), so it is emptied here. Imported modules stay: that is
#: the point; so does the state they hold (``sys.path``, ``os.environ``, matplotlib's
#: ``rcParams``...). In particular warning filters a notebook installs
#: (``warnings.simplefilter``) stay for the next one: restoring the list of a fresh kernel
#: would also drop the ones modules add when first imported (numpy adds four), which a
#: fresh kernel has. The package's notebooks change none of this.
_PREPARAR = """\
import os as _os
_os.chdir({cwd!r})  # first: the previous notebook's folder may be gone, and %reset reads the cwd
get_ipython().reset(new_session=False)  # what %reset -f does, with one garbage collection instead of two
get_ipython().history_manager.input_hist_parsed[:] = [""]  # In, as a fresh kernel has it
get_ipython().history_manager.input_hist_raw[:] = [""]
import os as _os, sys as _sys, warnings as _warnings
for _m in list(_sys.modules.values()):
    _r = getattr(_m, "__warningregistry__", None)
    if isinstance(_r, dict):
        _r.clear()
_warnings.onceregistry.clear()
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

    #: What a kernel started ahead (:meth:`arrancar`) imports while its process computes a report's annexes:
    #: the modules of the notebooks' first cells. Modules, not names: :data:`_PREPARAR` leaves a clean namespace.
    _CALENTAR = ("import asm_analysis.publicacion.calculo, asm_analysis.publicacion.graficas, "
                 "asm_analysis.publicacion.presentacion")

    def __init__(self) -> None:
        self.km = None
        self.kc = None
        self._carpeta: str | None = None
        self._por_esperar = False  # started by :meth:`arrancar`, not yet known to be ready

    def arrancar(self) -> None:
        """Start the kernel, and queue :data:`_CALENTAR` in it, without waiting for either: the kernel boots
        and imports while this process computes its first report's annexes and files. :meth:`cliente` waits."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            return
        # An empty private folder: the kernel puts its start folder on sys.path.
        self._carpeta = tempfile.mkdtemp(prefix="asm-kernel-", dir=carpeta_privada())
        self.km = gestor_privado()(kernel_name=asegurar_kernel(), connection_file=archivo_conexion())
        try:
            # as nbclient starts its kernels (no SQLite history file)
            run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=self._carpeta)
            self.kc = self.km.client()
            self.kc.start_channels()
            # its replies are left unread: every later wait reads only the replies to its own request
            self.kc.execute(self._CALENTAR, silent=True, store_history=False, allow_stdin=False)
        except BaseException:
            self.cerrar()
            raise
        self._por_esperar = True

    def cliente(self, timeout_arranque: float):
        """(kernel manager, client) of a live kernel, started if needed (and waited for)."""
        from jupyter_core.utils import run_sync

        if self.km is not None and not run_sync(self.km.is_alive)():
            self.cerrar()
        self.arrancar()
        if self._por_esperar:
            try:
                run_sync(self.kc.wait_for_ready)(timeout=timeout_arranque)
            except BaseException:
                self.cerrar()
                raise
            self._por_esperar = False
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
        self._por_esperar = False
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
    """Make ``cuaderno.ejecutar`` keep one kernel for every notebook this process runs (batch workers).

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


def kernel_compartido() -> KernelCompartido | None:
    """The kernel this process keeps after :func:`reutilizar_kernel`, or None (a kernel per notebook)."""
    return _compartido


def _matar_kernel(cliente) -> None:
    """Kill the kernel a notebook client started (after Ctrl+C) and wait until it is gone.

    Found by its process handle and, in case the interrupt fell between its start and that
    handle, by its connection file on the command line; SIGKILL, since the run is abandoned.
    Waiting (a bounded poll) lets the caller remove the folder the kernel runs in.
    """
    import signal
    import time

    km = cliente.km
    conexion = getattr(km, "connection_file", None) if km is not None else None
    proceso = getattr(getattr(km, "provisioner", None), "process", None)
    pids = _procesos_con([os.path.realpath(conexion)]) if conexion else []
    if proceso is not None and getattr(proceso, "pid", None) and proceso.poll() is None:
        pids.append(proceso.pid)
    for pid in set(pids):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if proceso is not None:
        try:
            proceso.wait(30)
        except Exception:  # noqa: BLE001 - gone or not ours to wait for
            pass
    for _ in range(600):
        if not any(proceso_vivo(p) and not _zombi(p) for p in pids):
            break
        time.sleep(0.05)


def _zombi(pid: int) -> bool:
    """True when ``pid`` has ended but was not reaped yet (Linux ``/proc``; else False)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


# --------------------------------------------------------------------------------------------
# The papermill engine
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def registrar_motor() -> str:
    """Register this package's papermill engine (once per process) and return its name.

    It is papermill's ``nbclient`` engine with two changes. The executed notebook is written
    when it finishes (by papermill), when it stops on an error or a timeout and every
    ``autosave_cell_every`` seconds of a long cell, not twice per cell: a report has about 45
    cells and the notebook grows to a few hundred KB, so those writes cost a second per report.
    And with ``kernel=`` (a :class:`KernelCompartido`) it runs on that kept kernel. The module
    docstring lists the papermill internals both changes rely on.
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

    class Cliente(PapermillNotebookClient):
        """papermill's client; :func:`ejecutar_cliente` runs it so that Ctrl+C stops it cleanly."""

        interrumpido = False

    def ejecutar_cliente(cliente):
        """Run ``cliente``; Ctrl+C ends it in :class:`KeyboardInterrupt` with its kernel stopped.

        papermill runs nbclient's synchronous path, one event-loop run per step: Ctrl+C lands in
        any of them. Landing while the kernel starts, nbclient never stops that kernel (it
        outlives the run, or dies printing a traceback once the report's temporary folder is
        gone); landing in a cell, nbclient's clean-up on the way out may end in
        ``zmq.error.ZMQError: Socket operation on non-socket`` instead of the interrupt. So the
        interrupt is noted here: a kernel of its own is killed (:func:`_matar_kernel`) and a
        :class:`KeyboardInterrupt` comes out, whatever the clean-up raised. A second Ctrl+C does
        not cut that. A process that ignores Ctrl+C (a batch worker: its parent handles it)
        keeps ignoring it.
        """
        import signal

        previo = signal.getsignal(signal.SIGINT)
        vigilar = (threading.current_thread() is threading.main_thread()
                   and previo not in (signal.SIG_IGN, None))

        def al_interrumpir(signum, frame):  # noqa: ARG001 - signal handler
            if cliente.interrumpido:
                return
            cliente.interrumpido = True
            cliente.shutdown_kernel = "immediate"  # nbclient's clean-up, if it runs, does not wait on a busy kernel
            raise KeyboardInterrupt

        if vigilar:
            signal.signal(signal.SIGINT, al_interrumpir)
        try:
            return cliente.execute()
        except BaseException:
            if not cliente.interrumpido:
                raise
            if cliente.owns_km:
                _matar_kernel(cliente)
            raise KeyboardInterrupt from None
        finally:
            if vigilar:
                signal.signal(signal.SIGINT, previo)

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
            # as NBClientEngine.execute_managed_notebook, with the client above; on the kept kernel if given
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            if kernel is None:
                return ejecutar_cliente(Cliente(nb_man, **final_kwargs))
            km, kc = kernel.cliente(start_timeout)
            kernel.preparar(os.getcwd(), start_timeout)  # papermill has moved to the notebook's cwd
            cliente = Cliente(nb_man, km=km, **final_kwargs)
            cliente.kc = kc  # the kernel and its client outlive this notebook
            return ejecutar_cliente(cliente)

    papermill_engines.register(MOTOR, Motor)
    return MOTOR
