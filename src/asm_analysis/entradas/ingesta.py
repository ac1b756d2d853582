"""``ingest``: raw sources → validated tidy parquet store, with rejects listed per file.

Layout of ``<data-dir>/raw``: ``srft/*.csv`` (SHCP), ``srft_indicadores/*.csv|xlsx`` (the SRFT
*Indicadores* module export), ``indicadores/*.csv``,
``concurrencia/*.csv``, ``asm/*.csv`` (national CSVs), ``captura/*.xlsx`` or ``*.xlsm``
(capture workbooks), ``proyectos/*.xlsx`` or ``*.csv`` (SRFT project exports; ``srft/`` also
takes the readable Excel export of the ejercicio); extensions in any case. Sources unchanged since
the last run (same content: same SHA-256, checked when size and modification time match) are not
read again; a changed or removed source replaces only its own rows.
"""

from __future__ import annotations

import datetime as dt
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from asm_analysis.entradas import almacen
from asm_analysis.comun import cerrojo
from asm_analysis.entradas import lectura, nacional, srft, srft_indicadores, srft_legible, srft_proyectos
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.formatos import celda_csv

#: Accepted file extensions, compared without regard to case (``.XLSX``, ``.Csv``…); ``validate``
#: accepts exactly the same ones, so a file it checks is a file ``ingest`` loads.
EXTENSIONES_CSV = (".csv",)
EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
CARPETAS = {"srft": EXTENSIONES_CSV + EXTENSIONES_LIBRO, "indicadores": EXTENSIONES_CSV, "concurrencia": EXTENSIONES_CSV,
            "asm": EXTENSIONES_CSV, "captura": EXTENSIONES_LIBRO,
            "proyectos": EXTENSIONES_CSV + EXTENSIONES_LIBRO,  # SRFT «destino del gasto» exports
            # SRFT «Indicadores» module export: the workbook as the system gives it, or saved as CSV
            srft_indicadores.TIPO: EXTENSIONES_CSV + EXTENSIONES_LIBRO}


@dataclass
class ResumenFuente:
    """What happened to one raw file: counts that always reconcile, or the error that stopped it."""

    relativa: str
    tipo: str
    leidas: int = 0
    cargadas: int = 0
    rechazadas: int = 0
    error: str | None = None
    al_dia: bool = False
    identidad: dict = field(default_factory=dict)
    detalle: dict = field(default_factory=dict)   # the error's file, sheet, row, column and reason
    rechazos: str | None = None                   # rejects file, relative to processed/
    #: SRFT only: rows of level «Programa presupuestario» (structure, never summed into Anexo 1)
    nivel_programa: int = 0
    #: SRFT only: exact repeats of an earlier row, loaded once (listed in the rejects file)
    duplicadas: int = 0
    #: SRFT only: rows left out of Anexo 1 for their ESTATUS (srft.estatus_srft; listed in the rejects file)
    no_validadas: int = 0

    def linea(self) -> str:
        """``leídas = cargadas + rechazadas`` (+ nivel programa + duplicadas + no validadas for the SRFT), always."""
        if self.error:
            return f"{self.relativa}: ERROR — {self.error}"
        marca = " (sin cambios)" if self.al_dia else ""
        extra = (f", nivel programa {self.nivel_programa:,}, duplicadas {self.duplicadas:,}"
                 if self.tipo == "srft" else f", duplicadas {self.duplicadas:,}"
                 if self.tipo in ("proyectos", srft_indicadores.TIPO) else "")
        if self.no_validadas:
            extra += f", no validadas (fuera del Anexo 1 por su ESTATUS) {self.no_validadas:,}"
        return (f"{self.relativa}: leídas {self.leidas:,}, cargadas {self.cargadas:,}, "
                f"rechazadas {self.rechazadas:,}{extra}{marca}")


def fuentes_raw(data_dir: Path) -> list[tuple[str, Path]]:
    """(tipo, path) of every raw source, in a stable order; lock (``~$…``) and hidden files skipped.

    The extension decides, in any case: ``.csv`` in the CSV folders, ``.xlsx``/``.xlsm`` in
    ``captura``; other files (notes, PDFs) are left alone.
    """
    raw = Path(data_dir) / "raw"
    encontradas = []
    for tipo, extensiones in CARPETAS.items():
        carpeta = raw / tipo
        if not carpeta.is_dir():
            continue
        for ruta in sorted(carpeta.iterdir()):
            if ruta.name.startswith((".", "~$")) or not ruta.is_file():
                continue
            if ruta.suffix.lower() in extensiones:
                encontradas.append((tipo, ruta))
    return encontradas


def nombre_rechazos(nombre: str) -> str:
    """The rejects file of input ``nombre``: ``srft_2024.csv`` → ``srft_2024.csv`` (never ``.csv.csv``),
    ``libro.xlsx`` → ``libro.xlsx.csv``."""
    return nombre if nombre.lower().endswith(".csv") else f"{nombre}.csv"


def _escribir_rechazos(processed: Path, nombre: str, rechazos: pd.DataFrame) -> str | None:
    carpeta = processed / "rechazos"
    ruta = carpeta / nombre_rechazos(nombre)
    if len(rechazos):
        carpeta.mkdir(parents=True, exist_ok=True)
        tabla = rechazos.reindex(columns=COLUMNAS_RECHAZO)
        tabla = tabla.apply(lambda col: col.map(lambda v: celda_csv(v) if isinstance(v, str) else v))
        tabla.to_csv(ruta, index=False, encoding="utf-8")
        return ruta.relative_to(processed).as_posix()
    if ruta.exists():
        ruta.unlink()
    return None


#: SRFT files larger than this show a progress bar while ingested (only when stderr is a terminal).
BARRA_DESDE_BYTES = 16 << 20


def _barra(ruta: Path):
    """A tqdm progress bar on stderr for a large file, or ``None`` (small file, or not a terminal)."""
    tamano = ruta.stat().st_size
    if tamano < BARRA_DESDE_BYTES or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a convenience; ingest works without it
        return None
    return tqdm(total=tamano, unit="B", unit_scale=True, desc=ruta.name, file=sys.stderr, leave=False)


def _ingerir_srft(ruta: Path, processed: Path, ident: str, resumen: ResumenFuente,
                  diferir: bool = True) -> pd.DataFrame:
    """Partida rows to ``srft``, programme rows with amounts to ``srft_programa``; rejects returned.

    Rejected rows come first in the rejects list (by row), then the duplicates. A large CSV is
    loaded while its whole-file byte checks wait (:class:`lectura.RevisionDiferida`): if they
    refuse it, what was written is deleted by the caller; if they settle an encoding some
    blocks were not decoded with, the file is loaded again (``diferir`` False).
    """
    rechazos = []
    programa: list[pa.Table] = []
    excluidas: list[pa.Table] = []
    fallo: list[ErrorEntrada] = []
    releer: list[lectura.Releer] = []
    # not an SRFT: fails here, before the writer starts
    encabezado = srft_legible.leer_encabezado_srft(ruta, diferir=diferir)
    barra = _barra(ruta)

    def avance(posicion: int) -> None:
        if barra is not None and posicion > barra.n:
            barra.update(posicion - barra.n)

    def lotes():
        # A reading error is kept and raised once the writer has written the blocks before it and
        # closed its parts (they are deleted by the caller, or before the file is loaded again).
        try:
            for b in srft_legible.leer_lotes_srft(ruta, avance=avance, encabezado=encabezado):
                resumen.leidas += b.leidas
                resumen.cargadas += b.partidas.num_rows
                resumen.nivel_programa += b.nivel_programa
                resumen.duplicadas += b.duplicadas
                resumen.no_validadas += b.no_validadas
                if b.excluidas is not None and b.excluidas.num_rows:
                    excluidas.append(b.excluidas)
                if len(b.rechazos):
                    rechazos.append(b.rechazos)
                if b.programa.num_rows:
                    programa.append(b.programa)
                yield from b.partidas.to_batches()
        except ErrorEntrada as exc:
            fallo.append(_error_primero(encabezado, exc))
        except lectura.Releer as exc:
            releer.append(exc)

    try:
        almacen.escribir(processed, "srft", ident, lotes(), srft.ESQUEMA, srft.PARTICION)
    finally:
        if barra is not None:
            barra.close()
    if fallo:
        raise fallo[0]
    if releer:
        almacen.borrar_fuente(processed, ident)
        for campo in ("leidas", "cargadas", "nivel_programa", "duplicadas", "no_validadas"):
            setattr(resumen, campo, 0)
        return _ingerir_srft(ruta, processed, ident, resumen, diferir=False)
    if programa:
        tabla = pa.concat_tables(programa)
        almacen.escribir(processed, srft.TABLA_PROGRAMA, ident, pc.take(tabla, pa.array(range(tabla.num_rows),
                                                                                       pa.int64())),
                         srft.ESQUEMA, srft.PARTICION)
    if excluidas:
        tabla = pa.concat_tables(excluidas)
        almacen.escribir(processed, srft.TABLA_NO_VALIDADAS, ident,
                         pc.take(tabla, pa.array(range(tabla.num_rows), pa.int64())),
                         srft.ESQUEMA_NO_VALIDADAS, srft.PARTICION)
    if not rechazos:
        return pd.DataFrame(columns=COLUMNAS_RECHAZO)
    todos = pd.concat(rechazos, ignore_index=True)
    todos["_dup"] = todos["columna"].isin(srft.NO_BLOQUEAN)
    return todos.sort_values(["_dup", "fila"], kind="mergesort").drop(columns="_dup").reset_index(drop=True)


def _error_primero(encabezado, error: ErrorEntrada) -> ErrorEntrada:
    """The error to report for a file whose load failed: the whole-file byte checks' refusal when they
    have one (as when they ran before loading), else ``error``."""
    if encabezado.revision is None or encabezado.revision.codificacion is not None:
        return error
    try:
        encabezado.revision.revisar()
    except ErrorEntrada as previo:
        return previo
    return error


def _propia(tabla: pd.DataFrame, esquema: pa.Schema) -> pa.Table | pd.DataFrame:
    """A DataFrame as an Arrow table whose memory Arrow owns, for :func:`almacen.escribir`.

    ``from_pandas`` shares numeric columns with NumPy; the dataset writer may drop the last
    reference to them on one of its threads after Python has started shutting down, and the
    process then aborts at exit («terminate called without an active exception»). ``take``
    copies them into Arrow's own memory, which needs no interpreter to be freed.
    """
    if tabla.empty:
        return tabla
    t = pa.Table.from_pandas(tabla.reindex(columns=esquema.names), schema=esquema, preserve_index=False)
    return pc.take(t, pa.array(range(t.num_rows), pa.int64()))


def _ingerir_proyectos(ruta: Path, processed: Path, ident: str, resumen: ResumenFuente) -> pd.DataFrame:
    """A project export: the projects, their funding sources and their georeferences to the store."""
    r = srft_proyectos.leer_proyectos(ruta)
    for tabla, datos in (("proyectos", r.proyectos), ("proyectos_fuentes", r.fuentes), ("proyectos_geo", r.geo)):
        esquema = srft_proyectos.TABLAS[tabla]
        almacen.escribir(processed, tabla, ident, _propia(datos, esquema), esquema)
    resumen.leidas, resumen.cargadas, resumen.duplicadas = r.leidas, r.cargadas, r.duplicadas
    return r.rechazos


def _ingerir_nacional(ruta: Path, tipo: str, processed: Path, ident: str, resumen: ResumenFuente) -> pd.DataFrame:
    resultado = nacional.leer_nacional(ruta, tipo)
    esquema = almacen.esquema_hoja(tipo)
    almacen.escribir(processed, tipo, ident, _propia(resultado.tabla, esquema), esquema)
    resumen.leidas, resumen.cargadas = resultado.leidas, resultado.cargadas
    return resultado.rechazos


def _ingerir_srft_indicadores(ruta: Path, processed: Path, ident: str, resumen: ResumenFuente) -> pd.DataFrame:
    """Rows of an SRFT *Indicadores* export to ``srft_indicadores``; rejects (and exact repeats) returned."""
    resultado = srft_indicadores.leer(ruta)
    almacen.escribir(processed, srft_indicadores.TIPO, ident, _propia(resultado.tabla, srft_indicadores.ESQUEMA),
                     srft_indicadores.ESQUEMA)
    resumen.leidas, resumen.cargadas = resultado.leidas, resultado.cargadas
    resumen.duplicadas = resultado.duplicadas
    return resultado.rechazos


def _ingerir_captura(ruta: Path, processed: Path, ident: str, resumen: ResumenFuente) -> pd.DataFrame:
    from asm_analysis.entradas.captura import HOJAS_DATOS, leer_captura  # openpyxl: only when a workbook is read

    cap = leer_captura(ruta)
    identidad = {"ciclo": cap.ciclo, "cve_ent": cap.estado.cve_ent, "fondo": cap.fondo.clave}
    resumen.identidad = identidad
    for hoja in HOJAS_DATOS:
        tabla = cap.resultados[hoja].tabla.assign(**identidad)
        esquema = almacen.esquema_hoja(hoja)
        almacen.escribir(processed, f"captura_{hoja}", ident, _propia(tabla, esquema), esquema)
    ficha = pd.DataFrame([
        {"fila": cap.ficha.get("_filas", {}).get(campo), "campo": campo,
         "valor": valor.isoformat() if isinstance(valor, (dt.date, dt.datetime)) else
         (None if valor is None else str(valor))}
        for campo, valor in cap.ficha.items() if campo != "_filas"
    ]).assign(**identidad)
    almacen.escribir(processed, "captura_ficha", ident, _propia(ficha, almacen.ESQUEMA_FICHA), almacen.ESQUEMA_FICHA)
    resumen.leidas = sum(r.leidas for r in cap.resultados.values())
    resumen.cargadas = sum(r.cargadas for r in cap.resultados.values())
    return cap.rechazos


def _huella_si_igual(ruta: Path, estado, previo: dict | None) -> str | None:
    """The file's SHA-256 when its size and modification time are the recorded ones, else ``None``.

    Size and time alone do not identify a file: a file replaced by another of the same size
    whose time was kept (a copy with ``cp -p``, a restore, ``touch -r``) would keep the old
    figures and the old SHA-256 in the manifest. The store knows a file by its content: when
    size and time match, the content is hashed and compared (about 0.3 s for a 180 MB
    national SRFT); when they differ the file is read again anyway and hashed once after.
    """
    if not previo or previo.get("tamano") != estado.st_size or previo.get("mtime_ns") != estado.st_mtime_ns:
        return None
    return almacen.sha256(ruta)


def _ingerir_fuente(tipo: str, ruta: Path, data_dir: Path, processed: Path, anteriores: dict[str, dict],
                    vigentes: dict[str, dict], nombres: list[str], hilo: ThreadPoolExecutor) -> ResumenFuente:
    """One raw file into the store (or kept, when its content is the recorded one); its summary.

    Its entry in the register goes to ``vigentes``. ``hilo`` computes the file's SHA-256
    while the file is read.
    """
    relativa = lectura.nombre_visible(ruta.relative_to(data_dir / "raw").as_posix())
    ident = almacen.id_fuente(relativa)
    estado = ruta.stat()
    previo = anteriores.get(relativa)
    huella = _huella_si_igual(ruta, estado, previo)
    if previo and huella is not None and huella == previo.get("sha256"):
        vigentes[relativa] = previo
        return ResumenFuente(relativa, tipo, previo["leidas"], previo["cargadas"],
                             previo["rechazadas"], previo.get("error"), True,
                             previo.get("identidad", {}), previo.get("error_detalle") or {},
                             previo.get("rechazos"), previo.get("nivel_programa", 0),
                             previo.get("duplicadas", 0), previo.get("no_validadas", 0))
    almacen.borrar_fuente(processed, ident)
    resumen = ResumenFuente(relativa, tipo)
    # the file's SHA-256 is computed on another thread while it is read (hashlib runs without the GIL)
    sha256 = hilo.submit(almacen.sha256, ruta) if huella is None else None
    try:
        lectura.comprobar_nombre(ruta)  # a latin-1 name: listed with its error, nothing read
        if tipo in ("indicadores", "captura") and srft_indicadores.es_exportacion(ruta):
            raise ErrorEntrada("es una exportación del módulo Indicadores del SRFT; póngala en "
                               f"«{data_dir / 'raw' / srft_indicadores.TIPO}», donde se lee como tal",
                               archivo=relativa)
        if tipo == "srft":
            rechazos = _ingerir_srft(ruta, processed, ident, resumen)
        elif tipo == "captura":
            rechazos = _ingerir_captura(ruta, processed, ident, resumen)
        elif tipo == "proyectos":
            rechazos = _ingerir_proyectos(ruta, processed, ident, resumen)
        elif tipo == srft_indicadores.TIPO:
            rechazos = _ingerir_srft_indicadores(ruta, processed, ident, resumen)
        else:
            rechazos = _ingerir_nacional(ruta, tipo, processed, ident, resumen)
        resumen.rechazadas = srft.filas_rechazadas(rechazos)
        nombre = ruta.name if nombres.count(ruta.name) == 1 else f"{tipo}__{ruta.name}"
        resumen.rechazos = _escribir_rechazos(processed, nombre, rechazos)
    except ErrorEntrada as exc:
        almacen.borrar_fuente(processed, ident)
        resumen = ResumenFuente(relativa, tipo, error=str(exc), detalle={
            "motivo": exc.motivo, "hoja": exc.hoja, "fila": exc.fila, "columna": exc.columna})
    vigentes[relativa] = {
        "id": ident, "tipo": tipo, "sha256": huella or sha256.result(), "tamano": estado.st_size,
        "mtime_ns": estado.st_mtime_ns, "leidas": resumen.leidas, "cargadas": resumen.cargadas,
        "rechazadas": resumen.rechazadas, "error": resumen.error, "identidad": resumen.identidad,
        "error_detalle": resumen.detalle, "rechazos": resumen.rechazos,
        "nivel_programa": resumen.nivel_programa, "duplicadas": resumen.duplicadas,
        "no_validadas": resumen.no_validadas,
    }
    return resumen


@cerrojo.con_cerrojo
def ingerir(data_dir: str | Path = "data", forzar: bool = False) -> list[ResumenFuente]:
    """Bring ``<data_dir>/processed`` up to date with ``<data_dir>/raw``; one summary per file.

    A file that cannot be read at all (wrong format, missing sheet) is reported with its
    error and leaves nothing behind in the store; the other files are still processed.
    """
    data_dir = Path(data_dir)
    processed = data_dir / "processed"
    if not (data_dir / "raw").is_dir():
        raise ErrorEntrada(f"no existe la carpeta de datos «{data_dir / 'raw'}»")
    if forzar:
        almacen.limpiar(processed)
    registro = almacen.leer_registro(processed)
    anteriores = registro["fuentes"]
    vigentes: dict[str, dict] = {}
    resumenes = []
    fuentes = fuentes_raw(data_dir)
    nombres = [ruta.name for _, ruta in fuentes]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hilo:
        for tipo, ruta in fuentes:
            resumenes.append(_ingerir_fuente(tipo, ruta, data_dir, processed, anteriores, vigentes, nombres, hilo))
    for relativa, previo in anteriores.items():
        if relativa not in vigentes:
            almacen.borrar_fuente(processed, previo["id"])
    _verificar_capturas_unicas(vigentes)
    registro["fuentes"] = vigentes
    almacen.guardar_registro(processed, registro)
    return resumenes


def _verificar_capturas_unicas(fuentes: dict[str, dict]) -> None:
    vistos: dict[tuple, str] = {}
    for relativa, info in fuentes.items():
        ident = info.get("identidad") or {}
        if info["tipo"] != "captura" or not ident:
            continue
        clave = (ident["ciclo"], ident["cve_ent"], ident["fondo"])
        if clave in vistos:
            raise ErrorEntrada(
                f"hay dos libros de captura para el mismo estado, ciclo y fondo ({vistos[clave]} y "
                f"{relativa}); deje solo uno en raw/captura", archivo=relativa, hoja="ficha")
        vistos[clave] = relativa
