"""``report``: one (estado, ciclo, fondo) → its folder of annexes, findings, page and manifest.

Output folder ``<out>/<ciclo>/<fondo-slug>/<cve_ent>-<estado-slug>/``; every path part comes
from the catalogs (never from what the user typed), so no parameter can point outside
``out``. The folder is built in a temporary sibling and swapped in at the end: a failed
or killed run leaves the previous report as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from asm_analysis import __version__
from asm_analysis.entradas import catalogos
from asm_analysis.entradas.almacen import sha256
from asm_analysis.comun.archivos import carpeta_en_construccion, escribir_atomico
from asm_analysis.comun.cerrojo import proceso_vivo
from asm_analysis.comun.errores import ErrorEntrada, error_de_sistema
from asm_analysis.anexos import Anexos
from asm_analysis.ejecucion.huella import huella
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion import calculo
from asm_analysis.publicacion.comparativo import fila_estado
from asm_analysis.publicacion.marcas import comprobar_modo


@dataclass
class ResultadoInforme:
    carpeta: Path
    anexos: Anexos
    datos: DatosEstado
    segundos: float
    manifiesto: dict


def carpeta_informe(out: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo) -> Path:
    """Where a report lives: ``<out>/<ciclo>/<fondo>/<cve_ent>-<estado-slug>``."""
    return Path(out) / str(int(ciclo)) / fondo.clave / f"{estado.cve_ent}-{estado.slug}"


def comprobar_salida(out: str | Path) -> None:
    """Refuse, before any work, an output folder that is a file or cannot be written to.

    ``out`` need not exist (it is created); its nearest existing ancestor must be a folder
    where a file can be created. The check writes and removes a small probe file: permission
    bits say nothing to root, and a read-only mount is only seen by trying.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ErrorEntrada("la salida indicada (--out) es un archivo, no una carpeta; indique una carpeta (se crea "
                           "si no existe)", archivo=str(out))
    existente = out
    while not existente.exists() and existente != existente.parent:
        existente = existente.parent
    if not existente.is_dir():
        raise ErrorEntrada(f"la salida indicada (--out) está dentro de «{existente}», que es un archivo y no una "
                           "carpeta; indique otra carpeta", archivo=str(out))
    try:
        fd, prueba = tempfile.mkstemp(prefix=".asm-prueba-", dir=existente)
        os.close(fd)
        os.unlink(prueba)
    except OSError as exc:
        traducido = error_de_sistema(exc)
        if traducido is None:
            raise
        raise ErrorEntrada(f"no se puede escribir en la carpeta de salida (--out): {traducido.motivo}",
                           archivo=str(out)) from None


def _restaurar_respaldo(destino: Path) -> None:
    """Clean what a killed run left: its half-built temporary folder, or a swap cut in the middle.

    A run killed while building leaves ``.tmp-<name>-<pid>`` beside the report (removed here
    once that process is gone); one killed between the two renames of :func:`publicar`
    leaves the previous report as ``.old-<name>``, which is put back.
    """
    for tmp in destino.parent.glob(f".tmp-{destino.name}-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not proceso_vivo(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
    respaldo = destino.with_name(f".old-{destino.name}")
    if respaldo.exists() and not destino.exists():
        os.replace(respaldo, destino)
    elif respaldo.exists():
        shutil.rmtree(respaldo, ignore_errors=True)


def limpiar_temporales(out: str | Path) -> list[Path]:
    """Remove the half-built report folders (``<out>/<ciclo>/<fondo>/.tmp-<name>-<pid>``) of dead runs.

    A run killed with ``kill -9`` cannot clean up after itself; the next ``report`` or
    ``batch`` into the same ``out`` does, whatever state it builds. Folders of live runs stay.
    """
    quitadas = []
    for tmp in Path(out).glob("*/*/.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if tmp.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not proceso_vivo(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
            quitadas.append(tmp)
    return quitadas


def publicar(tmp: Path, destino: Path) -> None:
    """Swap a fully built folder into place (rename is atomic within one file system)."""
    respaldo = destino.with_name(f".old-{destino.name}")
    if destino.exists():
        os.replace(destino, respaldo)
    os.replace(tmp, destino)
    if respaldo.exists():
        shutil.rmtree(respaldo, ignore_errors=True)


def generar(estado: str, ciclo: int, fondo: str, data_dir: str | Path = "data", out: str | Path = "reports",
            html: bool = True, fecha_corte: dt.date | None = None, timeout: int | None = None,
            actualizar: bool = True, tolerancias: str | Path | None = None,
            cifras: str = "recalculadas", en_lote: bool = False) -> ResultadoInforme:
    """Compute the annexes and their audit once, then write from that result the CSVs, the workbook,
    the docx, the page (the notebook receives the same result) and the manifest, atomically.

    ``tolerancias`` is a JSON file laid over the package's and ``<data_dir>/tolerancias.json``
    (see :meth:`~asm_analysis.auditoria.Tolerancias.en_vigor`). ``cifras`` (``recalculadas`` or
    ``reportadas``) chooses the figures the official annexes print; it is recorded in the manifest
    and in the fingerprint. ``en_lote``: the report is part of a batch, which writes the index of the ciclo
    and fondo and the national comparison at its end (the page links to them).

    Without ``html`` a published ``informe.html`` is never deleted: it is kept when the folder was
    built from the same inputs, parameters and code (same fingerprint), and the run is refused
    otherwise (the page would show other figures than the annexes).
    """
    from asm_analysis.publicacion.documento import escribir_docx
    from asm_analysis.publicacion import distribucion
    from asm_analysis.publicacion.salidas import escribir_csv_distribucion, escribir_csvs, escribir_excel

    inicio = time.perf_counter()
    tiempos: dict[str, float] = {}
    cifras = comprobar_modo(cifras)
    est = catalogos.resolver_estado(estado)
    fon = catalogos.resolver_fondo(fondo)
    out = Path(out)
    comprobar_salida(out)
    limpiar_temporales(out)
    destino = carpeta_informe(out, est, ciclo, fon)
    destino.parent.mkdir(parents=True, exist_ok=True)
    _restaurar_respaldo(destino)

    t = time.perf_counter()
    resultado = calculo.calcular(data_dir, est.cve_ent, ciclo, fon.clave, fecha_corte=fecha_corte,
                                 actualizar=actualizar, tolerancias=tolerancias, cifras=cifras)
    datos, anexos = resultado.datos, resultado.anexos
    tiempos["anexos"] = round(time.perf_counter() - t, 3)
    conservar = [] if html else pagina_publicada(destino, huella(datos, resultado.tolerancias, cifras))

    with carpeta_en_construccion(destino.with_name(f".tmp-{destino.name}-{os.getpid()}")) as tmp:
        t = time.perf_counter()
        escribir_csvs(anexos, tmp)
        escribir_csv_distribucion(distribucion.calcular(datos), tmp)  # only when the fund has SRFT projects
        escribir_excel(resultado, tmp / "anexos.xlsx")
        escribir_docx(resultado, tmp / "anexos.docx")
        tiempos["archivos"] = round(time.perf_counter() - t, 3)
        for nombre in conservar:  # --sin-html: the published page of these same figures stays
            shutil.copy2(destino / nombre, tmp / nombre)
        if html:
            from asm_analysis.publicacion.cuaderno import ejecutar_informe

            t = time.perf_counter()
            ejecutar_informe(resultado, tmp, out=out, data_dir=Path(data_dir), timeout=timeout, en_lote=en_lote)
            tiempos["informe_html"] = round(time.perf_counter() - t, 3)
        tiempos["total"] = round(time.perf_counter() - inicio, 3)
        manifiesto = escribir_manifiesto(tmp, resultado, tiempos, data_dir)
        publicar(tmp, destino)
    return ResultadoInforme(destino, anexos, datos, tiempos["total"], manifiesto)


def pagina_publicada(destino: Path, huella_nueva: str) -> list[str]:
    """What a run without the page (``--sin-html``) keeps of the published folder ``destino``.

    Nothing when no ``informe.html`` is published there. The page and its executed notebook when
    the published manifest carries ``huella_nueva`` (same inputs, parameters, mode and code: the
    page shows the figures this run writes). Otherwise the run is refused: publishing would delete
    the page, and keeping it would show figures other than the new annexes.
    """
    if not (destino / "informe.html").is_file():
        return []
    try:
        previo = json.loads((destino / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previo = {}
    if isinstance(previo, dict) and previo.get("huella") == huella_nueva:
        return [n for n in ("informe.html", "informe.ipynb") if (destino / n).is_file()]
    raise ErrorEntrada(
        "ya hay un informe.html publicado con otras entradas, parámetros o modo de cifras, y --sin-html no lo "
        "regenera: se rechaza la ejecución para no borrarlo ni dejarlo con cifras distintas de los anexos. "
        "Ejecute sin --sin-html para regenerar también la página, o mueva antes el informe.html publicado",
        archivo=str(destino / "informe.html"))


def escribir_manifiesto(carpeta: Path, resultado: calculo.Calculo, tiempos: dict[str, float],
                        data_dir: str | Path) -> dict:
    """``manifest.json``: inputs and their hashes, tolerances, parameters, version, timings, status, outputs."""
    datos, anexos, tol = resultado.datos, resultado.anexos, resultado.tolerancias
    salidas = sorted(p for p in carpeta.iterdir() if p.is_file() and p.name != "manifest.json")
    manifiesto = {
        "herramienta": "asm-analysis",
        "version": __version__,
        "estado": "ok",
        "generado": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "parametros": {"estado": datos.estado.nombre, "cve_ent": datos.estado.cve_ent, "ciclo": datos.ciclo,
                       "fondo": datos.fondo.clave, "fecha_corte": datos.fecha_corte.isoformat(),
                       "data_dir": str(data_dir), "cifras": resultado.cifras},
        "cifras": resultado.cifras,
        "marcas": int(len(resultado.marcas)),
        "entradas": datos.archivos,
        "tolerancias": {"valores": tol.valores(), "archivos": tol.archivos()},
        "huella": huella(datos, tol, resultado.cifras),
        "fuentes_por_anexo": datos.fuentes,
        "demo": datos.demo,
        "resumen": anexos.resumen,
        "fila_comparativo": fila_estado(datos, anexos),  # read by the national comparison of a batch
        "notas": anexos.notas,
        # why last ciclo's inputs were not used for the year-over-year checks (None: used, or none)
        "ciclo_anterior_incompleto": datos.anterior_incompleto or None,
        "tiempos_s": tiempos,
        "salidas": [{"archivo": p.name, "sha256": sha256(p), "tamano": p.stat().st_size} for p in salidas],
    }
    escribir_atomico(carpeta / "manifest.json", json.dumps(manifiesto, ensure_ascii=False, indent=2, default=str))
    return manifiesto
