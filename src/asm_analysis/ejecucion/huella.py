"""The fingerprint of a state's report: what decides its outputs, hashed.

A report folder is up to date when its ``manifest.json`` carries the fingerprint a run
from the same data would have: the SHA-256 of every raw file the state's report reads
(``datos.archivos``, the previous year's indicators file among them), the parameters, the
package version and the code that shapes the folder (:func:`huella_codigo`). ``report``
stores it in the manifest; ``batch`` skips a state whose folder already has it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from asm_analysis import __version__
from asm_analysis.auditoria import Tolerancias
from asm_analysis.comun.errores import ErrorInforme
from asm_analysis.publicacion.cuaderno import CUADERNO_COMPARATIVO, CUADERNO_INFORME, carpeta_cuadernos

#: Modules that do not change what a state's folder contains: editing them re-renders nothing.
_FUERA_DE_HUELLA = {"ejecucion/lote.py", "publicacion/sitio.py", "ejecucion/cli.py", "ejecucion/cli_informe.py",
                    "ejecucion/validacion.py", "ejecucion/huella.py", "__main__.py"}
_EXTENSIONES_CODIGO = {".py", ".csv", ".json", ".ipynb", ".tpl", ".j2", ".css", ".html", ".txt"}


def _cuaderno(nombre: str) -> Path | None:
    """A notebook as ``cuaderno`` finds it (``$ASM_ANALYSIS_NOTEBOOKS`` or ``<repo>/notebooks``)."""
    try:
        ruta = carpeta_cuadernos() / nombre
    except ErrorInforme:  # no notebooks folder: no report can be built, nothing to hash
        return None
    return ruta if ruta.is_file() else None


def _archivos_codigo() -> list[tuple[str, Path]]:
    """(label, path) of the files whose content shapes a state's folder.

    The package's modules, catalogs and HTML templates (minus the modules that only drive
    batches, indexes and the command line) and the state notebook ``informe_estatal.ipynb``.
    """
    paquete = Path(__file__).resolve().parents[1]
    archivos = []
    for p in sorted(paquete.rglob("*")):
        if (p.is_file() and "__pycache__" not in p.parts and p.suffix in _EXTENSIONES_CODIGO
                and p.relative_to(paquete).as_posix() not in _FUERA_DE_HUELLA):
            archivos.append((f"asm_analysis/{p.relative_to(paquete).as_posix()}", p))
    cuaderno = _cuaderno(CUADERNO_INFORME)
    if cuaderno:
        archivos.append((f"notebooks/{cuaderno.name}", cuaderno))
    return archivos


def _hash_archivos(archivos: list[tuple[str, Path]]) -> str:
    h = hashlib.sha256()
    for etiqueta, ruta in archivos:
        h.update(etiqueta.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(ruta.read_bytes()).hexdigest().encode("ascii") + b"\n")
    return h.hexdigest()


@lru_cache(maxsize=1)
def huella_codigo() -> str:
    """SHA-256 over the package's source, catalogs and templates and the state notebook (once per process)."""
    return _hash_archivos(_archivos_codigo())


def huella(datos, tolerancias: Tolerancias, cifras: str = "recalculadas") -> str:
    """Fingerprint of the run that would produce a state's folder from ``datos`` and ``tolerancias``.

    SHA-256 of the inputs' SHA-256 (``datos.archivos``: only the raw files this state
    uses, last year's among them), the parameters (cve_ent, ciclo, fondo, fecha_corte), the
    tolerances in force (their values and the SHA-256 of each tolerance file read,
    :meth:`Tolerancias.firma`), the mode of the printed figures (``cifras``: ``recalculadas`` or
    ``reportadas``), the package version and the code (:func:`huella_codigo`).
    ``reporte.escribir_manifiesto`` stores it as ``manifest["huella"]``; :func:`al_dia` compares it.
    """
    componentes = {
        "version": str(__version__),
        "tolerancias": tolerancias.firma(),
        "parametros": {"cve_ent": datos.estado.cve_ent, "ciclo": str(datos.ciclo), "fondo": datos.fondo.clave,
                       "fecha_corte": datos.fecha_corte.isoformat(), "cifras": str(cifras)},
        "entradas": sorted((str(e.get("archivo")), str(e.get("sha256"))) for e in datos.archivos),
        "codigo": huella_codigo(),
    }
    texto = json.dumps(componentes, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def manifiesto_completo(carpeta: Path, html: bool) -> dict | None:
    """``carpeta``'s manifest when it says ``ok`` and every output it lists is on disk with its size."""
    try:
        manifiesto = json.loads((carpeta / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifiesto, dict) or manifiesto.get("estado") != "ok":
        return None
    salidas = manifiesto.get("salidas") or []
    nombres = set()
    for s in salidas:
        ruta = carpeta / str(s.get("archivo", ""))
        if not ruta.is_file() or ruta.stat().st_size != s.get("tamano"):
            return None
        nombres.add(ruta.name)
    if "anexos.xlsx" not in nombres or (html and "informe.html" not in nombres):
        return None
    return manifiesto


def clave_entradas(data_dir: Path, ciclo: int, fondo: str, tolerancias: str, cifras: str = "recalculadas") -> str:
    """SHA-256 of everything a state's fingerprint is derived from, the state aside.

    A state's :func:`huella` depends on the raw files it uses (found by ``datos.cargar`` in
    the store), the parameters, the tolerances, the version and the code. The store is what
    ``ingest`` made of the raw files the registry lists, with their SHA-256; so with the same
    registry (each file's SHA-256, type, identity, error and rejected rows), the same code and
    version, the same tolerances (``tolerancias``: :meth:`Tolerancias.firma`), the same mode of
    figures (``cifras``) and the same ciclo and fondo, every state's fingerprint is the one the last
    batch computed.
    ``_lote.json`` keeps those fingerprints under this key, and a batch that finds the same
    key checks each state's manifest against them without loading its data again.
    """
    from asm_analysis.entradas.almacen import leer_registro

    fuentes = leer_registro(Path(data_dir) / "processed").get("fuentes") or {}
    resumen = sorted([rel, f.get("sha256"), f.get("tipo"), json.dumps(f.get("identidad") or {}, sort_keys=True),
                      f.get("error") or "", int(f.get("rechazadas") or 0)] for rel, f in fuentes.items())
    texto = json.dumps({"fuentes": resumen, "codigo": huella_codigo(), "version": str(__version__),
                        "ciclo": int(ciclo), "fondo": str(fondo), "tolerancias": tolerancias,
                        "cifras": str(cifras)},
                       sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def al_dia(carpeta: Path, datos, html: bool, tolerancias: Tolerancias, cifras: str = "recalculadas") -> bool:
    """True when ``carpeta`` already holds what a run from ``datos`` and ``tolerancias`` would write.

    The manifest must say ``ok``, list every output that is still on disk with the same
    size (``informe.html`` among them when ``html``), and carry the same fingerprint
    (:func:`huella`). A manifest without one (written before fingerprints) is not up to date.
    """
    manifiesto = manifiesto_completo(carpeta, html)
    return manifiesto is not None and manifiesto.get("huella") == huella(datos, tolerancias, cifras)


def huella_comparativo(huellas: dict[str, str]) -> str:
    """Fingerprint of the national comparison: every state's fingerprint, the code and its notebook."""
    cuaderno = _cuaderno(CUADERNO_COMPARATIVO)
    codigo = _hash_archivos([(CUADERNO_COMPARATIVO, cuaderno)] if cuaderno else [])
    return hashlib.sha256(json.dumps({"huellas": sorted(huellas.items()), "codigo": huella_codigo(),
                                      "cuaderno": codigo}, sort_keys=True).encode("utf-8")).hexdigest()
