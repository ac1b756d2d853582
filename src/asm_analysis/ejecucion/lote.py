"""``batch``: every state of one (ciclo, fondo) in parallel worker processes, then the index.

The pattern of cal-itp's ``portfolio``: one report per state, failures collected and
reported instead of stopping the batch, an index built from what succeeded.

1. The processed store is brought up to date once, in the parent (``ingesta.ingerir``);
   workers only read it (``reporte.generar(..., actualizar=False)``). The same input gate as
   ``report`` (:mod:`asm_analysis.entradas.compuerta`) decides per state: a raw file that could not be
   read and may be this state's, or rejected rows of this state, fail that state with the
   gate's sentence; other states' bad rows do not.
2. **Incremental**: a state is skipped (status ``al día``) when its existing
   ``manifest.json`` was produced from the same inputs (SHA-256 of each raw file the state
   uses), the same parameters, the same package version and the same code (a hash of the
   package's source and data files and of the notebooks, see :func:`huella_codigo`), and every
   output file it lists is still there. :func:`huella` is the one place where that
   fingerprint is computed, from a :class:`~asm_analysis.entradas.datos.DatosEstado`. ``_lote.json``
   keeps the fingerprints it computed under :func:`clave_entradas` (the store's registry of
   raw files with their SHA-256, the code, the version, ciclo and fondo): a batch that finds
   the same key compares each manifest with them without loading the state's data again.
3. States run in a ``ProcessPoolExecutor`` (spawn start method: each worker starts a fresh
   interpreter, so nothing inherited from the parent's threads can deadlock it). Each worker
   keeps one notebook kernel for all its states (``kernel.reutilizar_kernel``), and the
   national comparison, when it is not up to date, is the pool's last job: it reads the
   rows of the batch's states from their manifests, and those of the other states, computed
   by the parent meanwhile (:class:`_FilasComparativo`), likewise. A state's
   error (:class:`~asm_analysis.comun.errores.ErrorEntrada`, :class:`~asm_analysis.comun.errores.ErrorInforme`
   or any other exception) is recorded with its reason. A worker process that dies breaks
   the pool: the states that had not started are resubmitted to a new pool, those that were
   running are retried one at a time, and a state that kills its worker again is marked
   failed.
4. At the end: a summary table, ``<out>/<ciclo>/<fondo>/_lote.json`` (results and failures),
   the national comparison page when the notebooks are available (built here if the pool
   could not), and the index pages.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from asm_analysis import __version__
from asm_analysis.entradas import catalogos, compuerta
from asm_analysis.auditoria import Tolerancias
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.publicacion.marcas import comprobar_modo
from asm_analysis.ejecucion.huella import al_dia, clave_entradas, huella, huella_comparativo, manifiesto_completo

ARCHIVO_LOTE = "_lote.json"
OK, ERROR, AL_DIA = "ok", "error", "al día"



@dataclass
class ResultadoEstado:
    """What happened to one state in a batch."""

    cve_ent: str
    estado: str
    estatus: str                      # "ok" | "error" | "al día"
    segundos: float = 0.0
    motivo: str | None = None
    hallazgos: dict[str, int] = field(default_factory=dict)
    carpeta: Path | None = None

    @property
    def fallo(self) -> bool:
        return self.estatus == ERROR


class Lote(list):
    """The :class:`ResultadoEstado` of a batch (a list, in ``cve_ent`` order) plus what was built after.

    ``comparativo`` is the national comparison page when it was built or is up to date,
    ``error_comparativo`` why it could not be built, ``ingesta`` raw files that could not be
    read, ``paginas`` the index pages, ``registro`` the ``_lote.json`` written, ``segundos``
    the wall time of the whole batch.
    """

    comparativo: Path | None = None
    error_comparativo: str | None = None
    ingesta: list[str]
    paginas: list[Path]
    registro: Path | None = None
    segundos: float = 0.0

    def __init__(self, resultados=()):
        super().__init__(resultados)
        self.ingesta = []
        self.paginas = []

    @property
    def fallas(self) -> list[ResultadoEstado]:
        return [r for r in self if r.fallo]

    @property
    def exito(self) -> bool:
        return not self.fallas and not self.error_comparativo


# --------------------------------------------------------------------------- the worker


def _hallazgos(resumen: dict | None) -> dict[str, int]:
    h = (resumen or {}).get("hallazgos") or {}
    return {s: int(h.get(s, 0) or 0) for s in ("error", "advertencia", "info")}


def _esperado(exc: BaseException) -> bool:
    """An error whose message is meant for the user (bad input, a notebook cell that failed)."""
    from asm_analysis.comun.errores import ErrorInforme

    return isinstance(exc, (ErrorEntrada, ErrorInforme))


def _motivo(exc: BaseException) -> str:
    from asm_analysis.comun.errores import error_de_sistema

    if (traducido := error_de_sistema(exc)) is not None:
        return str(traducido)
    texto = str(exc).strip()
    if _esperado(exc):
        return texto or type(exc).__name__
    return f"error inesperado ({type(exc).__name__}): {texto}" if texto else f"error inesperado ({type(exc).__name__})"


def marcar_inicio(tarea: dict) -> None:
    """Tell the parent this worker started ``tarea`` (a file named after the state, holding the pid)."""
    if tarea.get("marcas"):
        (Path(tarea["marcas"]) / tarea["cve_ent"]).write_text(str(os.getpid()), encoding="utf-8")


def generar_estado(tarea: dict) -> dict:
    """Worker entry point: one state's report; never raises for the state's own failure.

    Returns a plain dict (picklable whatever went wrong): cve_ent, estado, estatus,
    segundos, motivo, hallazgos, carpeta. Writes a start marker first, so the parent
    knows which states were running if the worker dies.
    """
    marcar_inicio(tarea)
    from asm_analysis.ejecucion.reporte import generar

    if tarea.get("html"):
        _arrancar_kernel()  # started already, unless the last notebook's failure shut it down
    inicio = time.perf_counter()
    base = {"cve_ent": tarea["cve_ent"], "estado": tarea["estado"]}
    try:
        r = generar(tarea["cve_ent"], tarea["ciclo"], tarea["fondo"], data_dir=tarea["data_dir"],
                    out=tarea["out"], html=tarea["html"], timeout=tarea["timeout"], actualizar=False,
                    tolerancias=tarea.get("tolerancias"), cifras=tarea.get("cifras", "recalculadas"),
                    en_lote=True)  # the batch writes the index and the national comparison the page links to
    except Exception as exc:  # noqa: BLE001 - every failure is collected, not raised
        motivo = _motivo(exc)
        if not _esperado(exc):
            ultima = traceback.extract_tb(exc.__traceback__)[-1:]
            if ultima:
                motivo += f" [{Path(ultima[0].filename).name}:{ultima[0].lineno}]"
        return {**base, "estatus": ERROR, "segundos": round(time.perf_counter() - inicio, 2),
                "motivo": motivo, "hallazgos": {}, "carpeta": None}
    return {**base, "estatus": OK, "segundos": round(time.perf_counter() - inicio, 2), "motivo": None,
            "hallazgos": _hallazgos(r.manifiesto.get("resumen")), "carpeta": str(r.carpeta)}


def generar_comparativo(tarea: dict, reutilizar: bool = True) -> dict:
    """Worker entry point for the national comparison page; never raises.

    Submitted to the batch's pool once the states are done, it runs on a worker's kept
    kernel and reads each state's row from the report just written (``tarea["informes"]``)
    instead of computing the 32 states again. Returns ``{"ruta": …}`` or ``{"error": motivo}``.
    """
    try:
        from asm_analysis.publicacion.cuaderno import ejecutar_comparativo
        from asm_analysis.publicacion.kernel import reutilizar_kernel

        if reutilizar:
            reutilizar_kernel()
        ruta = ejecutar_comparativo(tarea["ciclo"], tarea["fondo"], tarea["data_dir"], tarea["out"],
                                    timeout=tarea["timeout"], informes=tarea.get("informes"),
                                    tolerancias=tarea.get("tolerancias"), en_lote=True)
    except Exception as exc:  # noqa: BLE001 - reported; the state reports stand
        return {"error": _motivo(exc)}
    return {"ruta": str(ruta)}


# --------------------------------------------------------------------------- the pool


def _contexto():
    return multiprocessing.get_context("spawn")


def _iniciar_trabajador(arrancar_kernel: bool = False) -> None:
    """Worker set-up: Ctrl+C is the parent's to handle; SIGTERM stops this worker's kernels, then exits;
    with ``arrancar_kernel`` (a round of pages), the worker's kept kernel is started at once, so it boots
    while the worker imports the package and computes its first report (see ``generar_estado``).

    A terminal sends SIGINT to every process of the batch; workers ignore it so that only
    the parent reacts (one sentence, no traceback per worker). The parent then terminates
    them; a worker's kernel runs in a session of its own and would outlive it, so the
    handler stops it first (found by its connection file in the worker's private folder).
    A batch killed with ``kill -9`` cannot do that: each worker watches its parent and stops
    itself and its kernel once the batch is gone (``kernel.vigilar_padre``), and the next run
    stops any that did not (``kernel.limpiar_restos``).
    """
    import signal

    from asm_analysis.publicacion.kernel import vigilar_padre

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminar_trabajador)
    vigilar_padre()  # a batch killed with kill -9 cannot stop its workers: each stops itself
    if arrancar_kernel:
        _arrancar_kernel()


def _arrancar_kernel() -> None:
    """One kernel for all this worker's notebooks (a kernel start and the notebook's imports are most of a
    report's cost, see benchmarks/RESULTS.md), started now if it is not running: it boots while the
    worker computes the state's annexes and files."""
    from asm_analysis.publicacion.kernel import kernel_compartido, reutilizar_kernel

    reutilizar_kernel()
    kernel_compartido().arrancar()


def _terminar_trabajador(signum, frame) -> None:  # noqa: ARG001 - signal handler
    from asm_analysis.publicacion.kernel import detener_kernels_propios

    try:
        detener_kernels_propios()
    finally:
        os._exit(128 + signum)


def _detener_trabajadores(pool: cf.ProcessPoolExecutor, espera: float = 60.0) -> None:
    """Terminate the pool's workers (SIGTERM: each stops its kernel), waiting for them to go."""
    procesos = list((getattr(pool, "_processes", None) or {}).values())
    for p in procesos:
        if p.is_alive():
            p.terminate()
    for p in procesos:
        p.join(espera)
        if p.is_alive():
            p.kill()
            p.join(espera)


def _limpiar_temporal(tarea: dict, pid: str) -> None:
    """Remove the half-built folder a killed worker left (``reporte.generar`` names it ``.tmp-<folder>-<pid>``)."""
    destino = Path(tarea["carpeta"])
    if pid.isdigit():
        shutil.rmtree(destino.with_name(f".tmp-{destino.name}-{pid}"), ignore_errors=True)


def _ronda(tareas: list[dict], trabajadores: int, trabajo: Callable[[dict], dict], al_terminar,
           marcas: Path, extra: tuple[Callable[[dict], dict], dict, Callable] | None = None
           ) -> tuple[list[dict], list[dict]]:
    """Run ``tareas`` in one pool; return (started when the pool broke, not started).

    Every result that came back is handed to ``al_terminar``. If a worker dies, the pool
    is broken: the tasks whose start marker exists and gave no result were running
    (suspects); the others never started. ``extra`` = (function, argument, callback): one
    more job, submitted once every task has given its result (it reads what they wrote); the
    argument may be a function that builds it then; the callback gets its result, or None if
    the pool could not give one.
    """
    sospechosas: list[dict] = []
    no_iniciadas: list[dict] = []
    for t in tareas:
        (marcas / t["cve_ent"]).unlink(missing_ok=True)
    trabajos = len(tareas) + (extra is not None)
    pool = cf.ProcessPoolExecutor(max_workers=max(1, min(trabajadores, trabajos)), mp_context=_contexto(),
                                  initializer=_iniciar_trabajador, initargs=(any(t.get("html") for t in tareas),))
    futuro_extra = None
    try:
        futuros = {pool.submit(trabajo, {**t, "marcas": str(marcas)}): t for t in tareas}
        for fut in cf.as_completed(futuros):
            t = futuros[fut]
            try:
                resultado = fut.result()
            except BrokenProcessPool:
                marca = marcas / t["cve_ent"]
                if marca.exists():
                    sospechosas.append(t)
                    _limpiar_temporal(t, marca.read_text(encoding="utf-8").strip())
                else:
                    no_iniciadas.append(t)
                continue
            except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                resultado = _fallida(t, _motivo(exc))
            al_terminar(resultado)
        if extra is not None and not sospechosas and not no_iniciadas:
            futuro_extra = pool.submit(extra[0], extra[1]() if callable(extra[1]) else extra[1])
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            import signal

            anterior = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not cut the cleanup
            try:
                _detener_trabajadores(pool)
                for t in tareas:  # half-built folders of the states that were running
                    marca = marcas / t["cve_ent"]
                    if marca.exists():
                        _limpiar_temporal(t, marca.read_text(encoding="utf-8").strip())
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
                signal.signal(signal.SIGINT, anterior)
        else:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if extra is not None:
        try:
            resultado_extra = futuro_extra.result() if futuro_extra is not None else None
        except Exception:  # noqa: BLE001 - broken pool: the caller runs it itself
            resultado_extra = None
        extra[2](resultado_extra)
    orden = {t["cve_ent"]: i for i, t in enumerate(tareas)}
    return (sorted(sospechosas, key=lambda t: orden[t["cve_ent"]]),
            sorted(no_iniciadas, key=lambda t: orden[t["cve_ent"]]))


def _fallida(t: dict, motivo: str) -> dict:
    return {"cve_ent": t["cve_ent"], "estado": t["estado"], "estatus": ERROR, "segundos": 0.0,
            "motivo": motivo, "hallazgos": {}, "carpeta": None}


def _ejecutar(tareas: list[dict], jobs: int, trabajo, al_terminar, extra=None) -> None:
    """Run every task, surviving workers that die.

    After a broken pool, the tasks that had not started go to a new pool of ``jobs``
    workers; those that were running are retried alone (one worker, one task at a time),
    and one whose worker dies again is marked failed. ``extra`` goes to the first pool (see
    :func:`_ronda`).
    """
    from asm_analysis.publicacion.kernel import carpeta_privada

    marcas = Path(tempfile.mkdtemp(prefix="asm-lote-", dir=carpeta_privada()))
    try:
        pendientes, aislar = list(tareas), []
        while pendientes or aislar:
            solo = not pendientes
            lista = aislar if solo else pendientes
            sospechosas, no_iniciadas = _ronda(lista, 1 if solo else jobs, trabajo, al_terminar, marcas, extra)
            extra = None
            if not sospechosas and len(no_iniciadas) == len(lista):
                for t in no_iniciadas:  # the pool broke before anything started: a new one would too
                    al_terminar(_fallida(t, "no se pudo iniciar el proceso de trabajo"))
                no_iniciadas = []
            if solo:
                for t in sospechosas:
                    al_terminar(_fallida(t, "el proceso que generaba el informe terminó inesperadamente "
                                            "(falta de memoria o falla del intérprete), dos veces"))
                aislar = no_iniciadas
            else:
                aislar += sospechosas
                pendientes = no_iniciadas
    finally:
        shutil.rmtree(marcas, ignore_errors=True)


# --------------------------------------------------------------------------- ingest problems


# --------------------------------------------------------------------------- the batch


def resolver_estados(estados: list[str] | None) -> list[catalogos.Estado]:
    """States of a batch in ``cve_ent`` order, without repeats; None = the 32 states."""
    if estados is None:
        return [catalogos.resolver_estado(c) for c in catalogos.estados()["cve_ent"]]
    resueltos = {e.cve_ent: e for e in (catalogos.resolver_estado(x) for x in estados)}
    if not resueltos:
        raise ErrorEntrada("la lista de estados está vacía")
    return [resueltos[c] for c in sorted(resueltos)]


def tabla_resumen(resultados: list[ResultadoEstado]) -> str:
    """Plain-text summary: one line per state, then the failures with their reasons."""
    ancho = max([len(r.estado) for r in resultados] + [6]) + 4
    lineas = [f"{'Estado':<{ancho}}{'Estatus':<9}{'Segundos':>9}{'Errores':>9}{'Advertencias':>14}"]
    for r in resultados:
        err = r.hallazgos.get("error", "") if r.estatus != ERROR else "—"
        adv = r.hallazgos.get("advertencia", "") if r.estatus != ERROR else "—"
        lineas.append(f"{r.cve_ent + ' ' + r.estado:<{ancho}}{r.estatus:<9}{r.segundos:>9.1f}{err!s:>9}{adv!s:>14}")
    cuenta = {e: sum(r.estatus == e for r in resultados) for e in (OK, AL_DIA, ERROR)}
    lineas.append(f"{len(resultados)} estado(s): {cuenta[OK]} generado(s), {cuenta[AL_DIA]} al día, "
                  f"{cuenta[ERROR]} con error.")
    for r in resultados:
        if r.fallo:
            lineas.append(f"  {r.estado}: {r.motivo}")
    return "\n".join(lineas)


def _escribir_json(ruta: Path, datos: dict) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    escribir_atomico(ruta, json.dumps(datos, ensure_ascii=False, indent=2, default=str))


def _leer_json(ruta: Path) -> dict:
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return datos if isinstance(datos, dict) else {}


def ejecutar_lote(ciclo: int, fondo: str, estados: list[str] | None = None, data_dir: str | Path = "data",
                  out: str | Path = "reports", jobs: int | None = None, html: bool = True,
                  timeout: int | None = None, forzar: bool = False, imprimir: bool = True,
                  progreso: bool = True, tolerancias: str | Path | None = None, cifras: str = "recalculadas",
                  _trabajo: Callable[[dict], dict] = generar_estado) -> Lote:
    """Generate the reports of ``estados`` (None = all 32) for one ciclo and fondo.

    Returns a :class:`Lote` (a list of :class:`ResultadoEstado` in ``cve_ent`` order). A
    state's failure never stops the others; user mistakes in the arguments (unknown state
    or fund, ``jobs < 1``, no data folder, a bad ``tolerancias`` file) raise :class:`ErrorEntrada`
    before any work. ``tolerancias`` is laid over the package's and ``<data_dir>/tolerancias.json``.
    ``cifras`` (``recalculadas`` or ``reportadas``) is the mode of the printed figures; a state
    published in the other mode is not up to date.
    ``_trabajo`` is the worker function (module level, for the spawn start method).
    """
    from asm_analysis.entradas.datos import cargar
    from asm_analysis.entradas.ingesta import ingerir
    from asm_analysis.ejecucion.reporte import carpeta_informe

    inicio = time.perf_counter()
    fon = catalogos.resolver_fondo(fondo)
    ciclo = int(ciclo)
    lista = resolver_estados(estados)
    jobs = (os.cpu_count() or 1) if jobs is None else int(jobs)
    if jobs < 1:
        raise ErrorEntrada(f"el número de trabajos debe ser 1 o más (se indicó {jobs})")
    data_dir, out = Path(data_dir), Path(out)
    carpeta_fondo = out / str(ciclo) / fon.clave

    cifras = comprobar_modo(cifras)
    tol = Tolerancias.en_vigor(data_dir, Path(tolerancias) if tolerancias else None)
    tolerancias = str(tolerancias) if tolerancias else None
    resumenes = ingerir(data_dir)
    otros = [f"{r.relativa}: {r.error}" for r in resumenes if r.error]

    resultados: dict[str, ResultadoEstado] = {}
    huellas: dict[str, str] = {}
    tareas: list[dict] = []
    # fingerprints the last batch computed from these same inputs (see clave_entradas)
    clave = clave_entradas(data_dir, ciclo, fon.clave, tol.firma(), cifras)
    previas = _leer_json(carpeta_fondo / ARCHIVO_LOTE).get("huellas") or {}
    conocidas = dict(previas.get("estados") or {}) if previas.get("clave") == clave else {}
    barra = _barra(len(lista), progreso)
    extra = None
    try:
        for est in lista:
            carpeta = carpeta_informe(out, est, ciclo, fon)
            t = time.perf_counter()
            try:
                # the gate of ``report``: no report from a file that could not be read or lost this state's rows
                error = compuerta.problema(data_dir, est.cve_ent, ciclo, fon.clave)
                problema = str(error) if error is not None else None
                conocida = conocidas.get(est.cve_ent) if problema is None and not forzar else None
                manifiesto = manifiesto_completo(carpeta, html) if conocida else None
                if manifiesto is not None and manifiesto.get("huella") == conocida:
                    huellas[est.cve_ent] = conocida
                    resultados[est.cve_ent] = ResultadoEstado(
                        est.cve_ent, est.nombre, AL_DIA, round(time.perf_counter() - t, 2),
                        hallazgos=_hallazgos(manifiesto.get("resumen")), carpeta=carpeta)
                    barra.update(1)
                    continue
                if problema is None:
                    datos = cargar(data_dir, est.cve_ent, ciclo, fon.clave, actualizar=False)
            except Exception as exc:  # noqa: BLE001 - no data for this state, or a bug: collected
                problema = _motivo(exc)
            if problema is not None:
                resultados[est.cve_ent] = ResultadoEstado(est.cve_ent, est.nombre, ERROR,
                                                          round(time.perf_counter() - t, 2), problema)
                barra.update(1)
                continue
            huellas[est.cve_ent] = huella(datos, tol, cifras)
            if not forzar and al_dia(carpeta, datos, html, tol, cifras):
                manifiesto = _leer_json(carpeta / "manifest.json")
                resultados[est.cve_ent] = ResultadoEstado(
                    est.cve_ent, est.nombre, AL_DIA, round(time.perf_counter() - t, 2),
                    hallazgos=_hallazgos(manifiesto.get("resumen")), carpeta=carpeta)
                barra.update(1)
                continue
            tareas.append({"cve_ent": est.cve_ent, "estado": est.nombre, "ciclo": ciclo, "fondo": fon.clave,
                           "data_dir": str(data_dir), "out": str(out), "html": html, "timeout": timeout,
                           "carpeta": str(carpeta), "tolerancias": tolerancias, "cifras": cifras})

        def al_terminar(r: dict) -> None:
            carpeta = Path(r["carpeta"]) if r.get("carpeta") else None
            resultados[r["cve_ent"]] = ResultadoEstado(r["cve_ent"], r["estado"], r["estatus"], r["segundos"],
                                                       r.get("motivo"), r.get("hallazgos") or {}, carpeta)
            barra.set_postfix_str(r["estado"], refresh=False)
            barra.update(1)

        # The national comparison (with the pages), when it is not up to date, goes to the pool after the states.
        comparativo = _tarea_comparativo(ciclo, fon, data_dir, out, timeout, huellas, tolerancias) if html else None
        en_lote: list[dict | None] = []
        if comparativo and tareas and not _comparativo_al_dia(huellas, carpeta_fondo, forzar):
            # the rows of the states this batch does not report on are computed here meanwhile
            ajenos = [c for c in catalogos.estados()["cve_ent"] if c not in huellas]
            filas_otros = _FilasComparativo(data_dir, ciclo, fon, ajenos, tol) if ajenos else None
            extra = (generar_comparativo, _con_filas(comparativo, filas_otros), en_lote.append)
        if tareas:
            _ejecutar(tareas, jobs, _trabajo, al_terminar, extra)
    except KeyboardInterrupt:
        barra.close()
        if extra is not None and extra[1].filas is not None:
            extra[1].filas.limpiar()
        # a state whose worker published it just before the interruption, its result not yet received
        for est in lista:
            if est.cve_ent not in resultados and est.cve_ent in huellas:
                carpeta = carpeta_informe(out, est, ciclo, fon)
                manifiesto = manifiesto_completo(carpeta, html)
                if manifiesto is not None and manifiesto.get("huella") == huellas[est.cve_ent]:
                    resultados[est.cve_ent] = ResultadoEstado(est.cve_ent, est.nombre, OK, carpeta=carpeta)
        raise interrupcion(lista, resultados) from None
    finally:
        barra.close()

    try:
        if extra is not None:
            comparativo = extra[1]()  # with the rows computed meanwhile, should it be built here
        return _cerrar_lote(lista, resultados, otros, ciclo, fon, data_dir, out, forzar, huellas, carpeta_fondo,
                            comparativo, en_lote, jobs, html, clave, conocidas, inicio, imprimir)
    except KeyboardInterrupt:
        raise interrupcion(lista, resultados, "el índice y el comparativo nacional no se actualizaron") from None
    finally:
        if extra is not None and extra[1].filas is not None:
            extra[1].filas.limpiar()


def interrupcion(lista: list[catalogos.Estado], resultados: dict, extra: str | None = None):
    """The one sentence of a batch stopped with Ctrl+C: what stays published and what did not finish."""
    from asm_analysis.comun.errores import Interrupcion

    hechos = [e.nombre for e in lista if e.cve_ent in resultados and resultados[e.cve_ent].estatus != ERROR]
    fallidos = [e.nombre for e in lista if e.cve_ent in resultados and resultados[e.cve_ent].estatus == ERROR]
    pendientes = [e.nombre for e in lista if e.cve_ent not in resultados]
    partes = [f"{len(hechos)} estado(s) terminados quedan publicados"
              + (f" ({', '.join(hechos)})" if hechos else "")]
    if fallidos:
        partes.append(f"con error: {', '.join(fallidos)}")
    partes.append(f"sin terminar, {len(pendientes)}: {', '.join(pendientes)}" if pendientes
                  else "no quedó ningún estado sin terminar")
    if extra:
        partes.append(extra)
    return Interrupcion("Lote interrumpido por el usuario: " + "; ".join(partes)
                        + "; vuelva a ejecutar el mismo comando para terminar los que faltan.")


def _cerrar_lote(lista, resultados, otros, ciclo, fon, data_dir, out, forzar, huellas, carpeta_fondo,
                 tarea_comparativo, en_lote, jobs, html, clave, conocidas, inicio, imprimir) -> Lote:
    """After the states: the national comparison, ``_lote.json``, the index pages and the summary."""
    from asm_analysis.publicacion import sitio

    lote = Lote(resultados[e.cve_ent] for e in lista)
    lote.ingesta = otros
    comparativo = _leer_json(carpeta_fondo / ARCHIVO_LOTE).get("comparativo")
    if tarea_comparativo:
        comparativo = _comparativo(lote, tarea_comparativo, huellas, carpeta_fondo, forzar,
                                   en_lote[0] if en_lote else None)
    registro = {
        "herramienta": "asm-analysis", "version": __version__, "ciclo": ciclo, "fondo": fon.clave,
        "generado": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "parametros": {"estados": [e.cve_ent for e in lista], "data_dir": str(data_dir), "html": html,
                       "jobs": jobs, "forzar": forzar},
        "resultados": [{**asdict(r), "carpeta": str(r.carpeta) if r.carpeta else None} for r in lote],
        "fallas": [{"estado": r.estado, "cve_ent": r.cve_ent, "motivo": r.motivo} for r in lote.fallas],
        "ingesta": otros,
        "comparativo": comparativo,
        "huellas": {"clave": clave, "estados": dict(sorted({**conocidas, **huellas}.items()))},
    }
    lote.registro = carpeta_fondo / ARCHIVO_LOTE
    _escribir_json(lote.registro, registro)
    lote.paginas = sitio.construir_sitio(out)
    lote.segundos = round(time.perf_counter() - inicio, 2)
    if imprimir:
        print(tabla_resumen(lote))
        for linea in otros:
            print(f"Aviso: no se pudo leer {linea}")
        if lote.error_comparativo:
            print(f"Comparativo nacional: {lote.error_comparativo}")
        print(f"Tiempo total: {lote.segundos:.1f} s. Índice: {lote.paginas[0] if lote.paginas else out}")
    return lote


class _FilasComparativo(threading.Thread):
    """The national comparison's rows of the states a batch does not report on, computed in the
    parent while the workers build the reports.

    The comparison shows the 32 states; those of the batch come from their reports'
    manifests (``informes``), the others would be loaded and audited one after the other by
    the comparison's notebook at the end of the batch, one worker busy and the other idle
    (24 states for a batch of 8). Here the parent, otherwise waiting, computes each row
    exactly as :func:`asm_analysis.publicacion.comparativo.calcular` does (``datos.cargar``,
    ``auditoria.calcular``, ``fila_estado``) and writes it as a manifest the notebook reads
    with :func:`~asm_analysis.publicacion.comparativo.fila_de_informe`, in a private folder
    removed at the end. A state that cannot be loaded is left to the notebook, which says why.
    """

    def __init__(self, data_dir: Path, ciclo: int, fon: catalogos.Fondo, claves: list[str], tol) -> None:
        from asm_analysis.publicacion.kernel import carpeta_privada

        super().__init__(name="asm-filas-comparativo", daemon=True)
        self.args = (data_dir, ciclo, fon, claves, tol)
        self.carpeta = Path(tempfile.mkdtemp(prefix="asm-comparativo-", dir=carpeta_privada()))
        self.informes: dict[str, dict] = {}
        self._parar = threading.Event()
        self.start()

    def run(self) -> None:
        from asm_analysis import auditoria
        from asm_analysis.entradas.datos import cargar
        from asm_analysis.publicacion.comparativo import fila_estado

        data_dir, ciclo, fon, claves, tol = self.args
        for cve in claves:
            if self._parar.is_set():
                return
            try:
                d = cargar(data_dir, cve, ciclo, fon.clave, actualizar=False)
                fila = fila_estado(d, auditoria.calcular(d, tol))
                h = huella(d, tol)
                carpeta = self.carpeta / cve
                carpeta.mkdir()
                (carpeta / "manifest.json").write_text(json.dumps(
                    {"estado": "ok", "huella": h, "fila_comparativo": fila, "entradas": d.archivos},
                    ensure_ascii=False, indent=2, default=str), encoding="utf-8")  # as reporte.escribir_manifiesto
            except Exception:  # noqa: BLE001 - the notebook computes this state and reports why it is missing
                continue
            self.informes[cve] = {"carpeta": str(carpeta), "huella": h}

    def limpiar(self) -> None:
        """Stop after the state being computed, wait for it, and remove the folder. Not left running: a
        thread still inside Arrow when the process exits (after Ctrl+C) can hang it in Arrow's shutdown."""
        self._parar.set()
        self.join()
        shutil.rmtree(self.carpeta, ignore_errors=True)


class _con_filas:
    """The comparison's job once the rows computed meanwhile are ready (an ``extra`` of :func:`_ronda`)."""

    def __init__(self, tarea: dict, filas: _FilasComparativo | None) -> None:
        self.tarea, self.filas = tarea, filas

    def __call__(self) -> dict:
        if self.filas is None:
            return self.tarea
        self.filas.join()
        informes = {**self.filas.informes, **self.tarea["informes"]}
        self.tarea = {**self.tarea, "informes": dict(sorted(informes.items()))}
        return self.tarea


def _comparativo_al_dia(huellas: dict[str, str], carpeta_fondo: Path, forzar: bool) -> bool:
    """True when ``comparativo.html`` was built from the same inputs (and did not fail)."""
    previo = _leer_json(carpeta_fondo / ARCHIVO_LOTE).get("comparativo") or {}
    return (not forzar and (carpeta_fondo / "comparativo.html").is_file()
            and previo.get("huella") == huella_comparativo(huellas) and not previo.get("error"))


def _tarea_comparativo(ciclo: int, fon: catalogos.Fondo, data_dir: Path, out: Path, timeout,
                       huellas: dict[str, str], tolerancias: str | None) -> dict:
    """The comparison's job: its parameters and, per state with a fingerprint, where its report is."""
    from asm_analysis.ejecucion.reporte import carpeta_informe

    raiz = Path(out).resolve()  # the notebook runs in another folder
    informes = {cve: {"carpeta": str(carpeta_informe(raiz, catalogos.resolver_estado(cve), ciclo, fon)), "huella": h}
                for cve, h in sorted(huellas.items())}
    return {"ciclo": ciclo, "fondo": fon.clave, "data_dir": str(data_dir), "out": str(out), "timeout": timeout,
            "informes": informes, "tolerancias": tolerancias}


def _comparativo(lote: Lote, tarea: dict, huellas: dict[str, str], carpeta_fondo: Path, forzar: bool,
                 en_lote: dict | None = None) -> dict:
    """Build ``comparativo.html`` unless its inputs (every state's fingerprint, the code) did not change.

    ``en_lote`` is what :func:`generar_comparativo` returned when a worker of the batch already
    built it; otherwise it is built here. Returns what ``_lote.json`` keeps about it: its
    fingerprint and, if it failed, why.
    """
    h = huella_comparativo(huellas)
    ruta = carpeta_fondo / "comparativo.html"
    if _comparativo_al_dia(huellas, carpeta_fondo, forzar):
        lote.comparativo = ruta
        return _leer_json(carpeta_fondo / ARCHIVO_LOTE).get("comparativo")
    if en_lote is None:
        en_lote = generar_comparativo(tarea, reutilizar=False)
    if en_lote.get("error"):
        lote.error_comparativo = f"no se pudo generar: {en_lote['error']}"
    else:
        lote.comparativo = Path(en_lote["ruta"])
    return {"huella": h, "error": lote.error_comparativo}


def _barra(total: int, activa: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Informes", unit="estado", file=sys.stderr, disable=not activa,
                dynamic_ncols=True)
