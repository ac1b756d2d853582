"""Run the report notebooks with papermill and publish them as offline HTML with nbconvert.

* The kernel is always this interpreter, the ``asm-analysis`` kernelspec of
  :mod:`asm_analysis.publicacion.kernel`, which also keeps a batch worker's kernel and
  registers the papermill engine used here.
* The notebooks folder is ``<repo>/notebooks`` (next to ``src/``), or the folder named by the
  environment variable ``ASM_ANALYSIS_NOTEBOOKS``.
* The HTML page uses the template shipped in ``asm_analysis/plantillas/asm_informe``: no
  code, no prompts, no parameters cell, no script/stylesheet/font/image from the network
  (no require.js, MathJax or widgets), print-friendly CSS. Charts are data URIs.
* A failing cell raises :class:`~asm_analysis.comun.errores.ErrorInforme` naming the state and the
  cell; the partial executed notebook is kept under ``<out>/_fallidos/``.
* Cost (see ``benchmarks/RESULTS.md``): a kernel start plus the notebook's imports is most of
  what one report costs. A batch worker therefore keeps one kernel for all its notebooks
  (``kernel.reutilizar_kernel``), papermill's engine writes the notebook only at the end
  (``kernel.registrar_motor``), and the HTML exporter is built once per process.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from asm_analysis.entradas import catalogos
from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.cerrojo import proceso_vivo
from asm_analysis.comun.errores import ErrorInforme
from asm_analysis.publicacion.calculo import Calculo
from asm_analysis.publicacion.calculo import guardar as guardar_calculo
from asm_analysis.publicacion.kernel import (asegurar_kernel, carpeta_privada, gestor_privado, kernel_compartido,
                                             registrar_motor)

if TYPE_CHECKING:  # pragma: no cover
    import nbformat

log = logging.getLogger(__name__)

CUADERNO_INFORME = "informe_estatal.ipynb"
CUADERNO_COMPARATIVO = "comparativo_nacional.ipynb"
VARIABLE_CUADERNOS = "ASM_ANALYSIS_NOTEBOOKS"
TIMEOUT_CELDA = 600  # seconds per cell
TIMEOUT_ARRANQUE = 120  # seconds to start the kernel
PLANTILLAS = Path(__file__).resolve().parents[1] / "plantillas"
PLANTILLA = "asm_informe"
ETIQUETAS_OCULTAS = {"parameters", "injected-parameters", "ocultar"}


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


def ejecutar(cuaderno: Path, salida: Path, parametros: dict, *, que: str, fallido: Path,
             timeout: int | None = None, cwd: Path | None = None) -> Ejecucion:
    """Execute ``cuaderno`` with papermill on the ``asm-analysis`` kernel into ``salida``.

    On failure the partial notebook is copied to ``fallido`` and ErrorInforme is raised
    naming ``que`` (what was being produced), the cell and the error. After
    ``kernel.reutilizar_kernel`` the notebook runs on the process's kept kernel
    (``kernel.kernel_compartido``), which is shut down if the notebook does not finish.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    nombre_kernel = asegurar_kernel()
    salida.parent.mkdir(parents=True, exist_ok=True)
    compartido = kernel_compartido()
    extra = {"kernel": compartido} if compartido is not None else {"kernel_manager_class": gestor_privado()}
    inicio = time.perf_counter()
    calentando = _calentar_exportador()  # while this process waits for the kernel
    try:
        nb = pm.execute_notebook(
            str(cuaderno), str(salida), parameters=parametros, kernel_name=nombre_kernel, language="python",
            cwd=str(cwd or salida.parent), progress_bar=False, log_output=False,
            execution_timeout=int(timeout or TIMEOUT_CELDA), start_timeout=TIMEOUT_ARRANQUE,
            request_save_on_cell_execute=True,  # the engine saves a partial notebook on a failure or a timeout
            engine_name=registrar_motor(), **extra,
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
    finally:
        if calentando is not None:
            calentando.join()
    tiempos = _tiempos_papermill(nb)
    tiempos["papermill_total"] = round(time.perf_counter() - inicio, 3)
    fallido.unlink(missing_ok=True)  # an earlier failure of the same report is now fixed
    return Ejecucion(nb, salida, tiempos)


def _recortar(texto: str, largo: int = 400) -> str:
    texto = " ".join(str(texto).split())
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"


def _guardar_fallido(salida: Path, fallido: Path) -> Path | None:
    if not salida.is_file():
        return None
    fallido.parent.mkdir(parents=True, exist_ok=True)
    escribir_atomico(fallido, salida.read_bytes())
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


def _calentar_exportador() -> threading.Thread | None:
    """Build the exporter and compile its templates on a thread, by exporting a notebook of one cell, while
    the kernel runs this process's first notebook (the process only waits for it then): the first page
    of a process (``report``, each batch worker) is exported about a second sooner. ``None`` when the
    exporter is ready already. A failure here is left to the real export to report."""
    if _exportador.cache_info().currsize:
        return None

    def calentar() -> None:
        import nbformat

        try:
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("·")])
            exportador().from_notebook_node(nb, resources={"metadata": {"name": "·"}, "asm_enlaces": []})
        except Exception:  # noqa: BLE001 - the export of the page itself raises it, in its place
            log.debug("no se pudo preparar el exportador de HTML", exc_info=True)

    hilo = threading.Thread(target=calentar, name="asm-exportador", daemon=True)
    hilo.start()
    return hilo


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


def exportar_html(nb: nbformat.NotebookNode, destino: Path, titulo: str,
                  enlaces: list[tuple[str, str]] | None = None) -> Path:
    """Write the self-contained HTML page of an executed notebook (atomically).

    ``enlaces`` (relative address, text) are shown at the top of the page (:func:`enlaces_informe`,
    :func:`enlaces_comparativo`).
    """
    publicable = para_publicar(nb)
    publicable.metadata["title"] = titulo
    recursos = {"metadata": {"name": titulo},
                "asm_enlaces": [{"href": href, "texto": texto} for href, texto in enlaces or []]}
    cuerpo, _ = exportador().from_notebook_node(publicable, resources=recursos)
    destino.parent.mkdir(parents=True, exist_ok=True)
    escribir_atomico(destino, cuerpo)
    return destino


# --------------------------------------------------------------------------------------------
# Links at the top of a page
# --------------------------------------------------------------------------------------------

INDICE = "index.html"
COMPARATIVO = "comparativo.html"
#: Texts of the links, as the index pages name the same pages and files (publicacion.sitio).
TEXTO_INDICE = "← Informes por estado"
TEXTO_COMPARATIVO = "Comparativo nacional"
#: The files of a report folder a state page links to, with their text.
ARCHIVOS_ENLAZADOS = (("anexos.xlsx", "Anexos (Excel)"), ("anexos.docx", "Anexos (Word)"))


def enlaces_informe(carpeta: Path, en_lote: bool = False) -> list[tuple[str, str]]:
    """Relative links at the top of a state page built in ``carpeta`` (a folder of ``<ciclo>/<fondo>``).

    The index of the ciclo and fondo and the national comparison, one folder up, when they are
    there or when the batch building this page writes them at its end (``en_lote``: the index
    always, the comparison with the pages); the workbook and the Word annexes of the same folder,
    when they are there (``reporte.generar`` writes them before the page). Never a link to a file
    that is not there: ``report`` alone (``make report``) links only the annexes, unless a batch
    or ``site`` left an index or a comparison beside the report.
    """
    carpeta = Path(carpeta)
    fondo = carpeta.parent
    enlaces = []
    if en_lote or (fondo / INDICE).is_file():
        enlaces.append((f"../{INDICE}", TEXTO_INDICE))
    if en_lote or (fondo / COMPARATIVO).is_file():
        enlaces.append((f"../{COMPARATIVO}", TEXTO_COMPARATIVO))
    enlaces += [(nombre, texto) for nombre, texto in ARCHIVOS_ENLAZADOS if (carpeta / nombre).is_file()]
    return enlaces


def enlaces_comparativo(carpeta_fondo: Path, en_lote: bool = False) -> list[tuple[str, str]]:
    """The link back to the index of the ciclo and fondo at the top of ``comparativo.html``, when the index
    is in ``carpeta_fondo`` or the batch building the page writes it at its end (``en_lote``)."""
    return [(INDICE, TEXTO_INDICE)] if en_lote or (Path(carpeta_fondo) / INDICE).is_file() else []


# --------------------------------------------------------------------------------------------
# The two reports
# --------------------------------------------------------------------------------------------


def ruta_fallido_informe(out: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo) -> Path:
    """``<out>/_fallidos/<ciclo>-<fondo>-<cve_ent>-<estado-slug>.ipynb``."""
    return Path(out) / "_fallidos" / f"{int(ciclo)}-{fondo.clave}-{estado.cve_ent}-{estado.slug}.ipynb"


def ejecutar_informe(calculo: Calculo, carpeta: Path, out: Path, data_dir: Path, timeout: int | None = None,
                     en_lote: bool = False) -> Path:
    """Execute the state notebook on ``calculo`` into ``carpeta`` and export ``informe.html``.

    The notebook receives ``calculo`` itself (its ``resultado`` parameter names a private
    hand-over file, :mod:`asm_analysis.publicacion.calculo`): it shows the figures the CSVs and
    the workbook were written from, without computing them again. Writes
    ``carpeta/informe.ipynb`` (executed) and ``carpeta/informe.html``; returns the HTML path.
    The page links to the index and the comparison (:func:`enlaces_informe`; ``en_lote``: a batch
    writes them) and to the annexes already in ``carpeta``.
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
        "cifras": calculo.cifras,
    }
    que = f"el informe de {datos.estado.nombre} ({datos.ciclo}, {datos.fondo.clave})"
    try:
        ej = ejecutar(ruta_cuaderno(CUADERNO_INFORME), carpeta / "informe.ipynb", parametros, que=que,
                      fallido=ruta_fallido_informe(out, datos.estado, datos.ciclo, datos.fondo), timeout=timeout,
                      cwd=carpeta)
    finally:
        entrega.unlink(missing_ok=True)
    t = time.perf_counter()
    html = exportar_html(ej.nb, carpeta / "informe.html", titulo_pagina(datos), enlaces_informe(carpeta, en_lote))
    ej.tiempos["exportacion_html"] = round(time.perf_counter() - t, 3)
    _registrar_tiempos(ej, que)
    return html


def ejecutar_comparativo(ciclo: int, fondo: str, data_dir: Path, out: Path, timeout: int | None = None,
                         informes: dict[str, dict] | None = None, tolerancias: str | None = None,
                         en_lote: bool = False) -> Path:
    """Execute the national comparison and write ``<out>/<ciclo>/<fondo>/comparativo.html``.

    ``informes`` (``cve_ent`` → report folder and fingerprint) are the states whose rows the
    notebook reads from their reports instead of computing them (see
    :func:`asm_analysis.publicacion.comparativo.calcular`); the others are audited with the
    tolerances in force (``tolerancias``: a file over the package's and the data folder's). The executed notebook is kept next
    to the page as ``comparativo.ipynb``. Both files are replaced only when the run succeeds. The page
    links back to the index of the ciclo and fondo when it is there or a batch writes it (``en_lote``).
    """
    from asm_analysis.entradas.ingesta import ingerir

    fon = catalogos.resolver_fondo(fondo)
    out = Path(out).resolve()
    destino = out / str(int(ciclo)) / fon.clave
    destino.mkdir(parents=True, exist_ok=True)
    ingerir(Path(data_dir))  # once, here: the notebook then reads the store without refreshing it
    parametros = {"ciclo": int(ciclo), "fondo": fon.clave, "data_dir": str(Path(data_dir).resolve()),
                  "actualizar": False, "informes": informes or None,
                  "tolerancias": str(Path(tolerancias).resolve()) if tolerancias else None}
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
        html = exportar_html(ej.nb, tmp / "comparativo.html", titulo, enlaces_comparativo(destino, en_lote))
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
