"""``validate``: every problem of a capture workbook or a CSV, listed at once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asm_analysis.auditoria import Tolerancias
from asm_analysis.entradas import nacional, lectura, srft, srft_indicadores, srft_legible
from asm_analysis.entradas.captura import HOJAS_DATOS, leer_captura
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.ingesta import EXTENSIONES_CSV, EXTENSIONES_LIBRO


def _lineas_rechazo(rechazos) -> list[str]:
    def valor(r) -> str:  # the typed value, unless the reason already quotes it
        partes = [v for v in str(r.valor).split("; ") if v] if isinstance(r.valor, str) else []
        return f" (valor «{r.valor}»)" if any(v not in r.motivo for v in partes) else ""

    return [f"{r.archivo}, fila {r.fila}, columna «{r.columna}»: {r.motivo}{valor(r)}" for r in rechazos.itertuples()]


#: Rows listed for one reason of a large file (an SRFT of millions of rows); the rest are counted.
FILAS_POR_MOTIVO = 10


def _sin_repetir(rechazos: pd.DataFrame, grupos: dict[tuple, list]) -> list[str]:
    """The lines of ``rechazos``, at most :data:`FILAS_POR_MOTIVO` per (column, reason) over the whole file.

    ``grupos`` carries, across blocks, each reason's count and first rows.
    """
    lineas = []
    for r, linea in zip(rechazos.itertuples(), _lineas_rechazo(rechazos)):
        grupo = grupos.setdefault((r.columna, r.motivo), [0, []])
        grupo[0] += 1
        if grupo[0] <= FILAS_POR_MOTIVO:
            grupo[1].append(r.fila)
            lineas.append(linea)
    return lineas


def _resumen_repetidos(ruta: Path, grupos: dict[tuple, list]) -> list[str]:
    """One line per reason shared by more rows than were listed: how many, and the first rows."""
    return [f"{ruta.name}: {n:,} filas en total tienen el mismo problema que la fila {filas[0]} "
            f"({motivo.split(';')[0]}); se muestran las primeras {len(filas)}: {', '.join(map(str, filas))}"
            for (_, motivo), (n, filas) in grupos.items() if n > len(filas)]


def tipo_csv(ruta: Path) -> str:
    """Guess what a CSV is from its header: ``srft``, ``indicadores``, ``concurrencia`` or ``asm``."""
    encabezado, _, _ = lectura.leer_csv_texto(ruta) if ruta.stat().st_size < (64 << 20) else ([], [], "")
    if not encabezado:
        srft.leer_encabezado(ruta)  # large file: only the SRFT is that big; raises if it is not one
        return "srft"
    if srft_indicadores.reconocer_encabezado(encabezado):  # SRFT «Indicadores» module export saved as CSV
        return srft_indicadores.TIPO
    claves = {lectura.normalizar_encabezado(c) for c in encabezado}
    if {"id_partida_generica", "monto_aprobado"} <= claves \
            or {"id_partida_generica", "aprobado", "id_modalidad", "id_pp"} <= claves:  # national / system export
        return "srft"
    if {"partida", "aprobado", "clave_programa", "tipo_de_registro"} <= claves:  # readable Excel export, as CSV
        return "srft"
    if "detalle_proyecto" in claves or {"folio", "fuentes_financiamiento"} <= claves:  # SRFT projects export
        return "proyectos"
    for tipo, marca in (("indicadores", "indicador"), ("concurrencia", "orden_gobierno"), ("asm", "aspecto")):
        if marca in claves:
            return tipo
    raise ErrorEntrada("no se reconoce el tipo de CSV: no tiene las columnas del SRFT ni de indicadores, "
                       "concurrencia o asm", archivo=ruta.name, fila=1)


def es_libro_de_captura(ruta: Path) -> bool:
    """Whether a workbook is a capture workbook (it has one of its sheets: «ficha», «destino», …), not an
    SRFT module export."""
    import zipfile

    import openpyxl

    try:
        libro = openpyxl.load_workbook(ruta, read_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return True  # leer_captura names the problem
    try:
        return bool({"ficha", *HOJAS_DATOS} & {h.strip().lower() for h in libro.sheetnames})
    finally:
        libro.close()


def tipo_exportacion(ruta: Path) -> str:
    """``proyectos`` or ``srft`` for an SRFT module export saved as a workbook (by its header)."""
    from asm_analysis.entradas import srft_proyectos

    try:
        srft_proyectos.leer_tabla(ruta)
    except ErrorEntrada:
        return "srft"
    return "proyectos"


def _lineas_proyectos(ruta: Path) -> list[str]:
    from asm_analysis.entradas import srft_proyectos

    r = srft_proyectos.leer_proyectos(ruta)
    return _lineas_rechazo(r.rechazos[r.rechazos["columna"] != srft_proyectos.DUPLICADA]) + _sin_filas(ruta, r.leidas)


def reconocer(ruta: Path) -> str | None:
    """What ``validate`` recognised in a file, in one Spanish phrase (``None`` when nothing is recognised)."""
    from asm_analysis.entradas import srft_proyectos

    ruta = Path(ruta)
    try:
        if ruta.suffix.lower() in EXTENSIONES_LIBRO + EXTENSIONES_CSV and srft_indicadores.es_exportacion(ruta):
            return srft_indicadores.leer(ruta).descripcion()
        if ruta.suffix.lower() in EXTENSIONES_LIBRO:
            if es_libro_de_captura(ruta):
                return "libro de captura"
            if tipo_exportacion(ruta) == "proyectos":
                return srft_proyectos.describir(ruta)
            return srft_legible.describir(ruta)
        if ruta.suffix.lower() in EXTENSIONES_CSV:
            tipo = tipo_csv(ruta)
            if tipo == "proyectos":
                return srft_proyectos.describir(ruta)
            if tipo != "srft":
                return f"CSV nacional de {tipo}"
            encabezado = srft_legible.leer_encabezado_srft(ruta)
            if encabezado.dialecto is srft.LEGIBLE:
                return srft_legible.describir(ruta)
            return f"SRFT, ejercicio del gasto: {encabezado.dialecto.nombre}"
    except ErrorEntrada:
        return None
    return None


def hallazgos_como_en_el_informe(ruta: Path, tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """The findings the report gives for a capture workbook when it is the only input.

    The workbook is copied into a private data folder and goes through the report's own path
    (``ingest`` → :func:`~asm_analysis.entradas.datos.cargar` → :func:`~asm_analysis.auditoria.calcular`),
    so ``validate`` and ``report`` cannot disagree on it. Checks that need other sources (the
    SRFT, last year's indicators) appear only in the report that has them. The audit uses
    ``tolerancias`` (the package's when None).
    """
    import tempfile

    from asm_analysis.auditoria import calcular
    from asm_analysis.entradas.datos import cargar
    from asm_analysis.entradas.ingesta import ingerir

    with tempfile.TemporaryDirectory(prefix="asm-validar-") as tmp:
        carpeta = Path(tmp) / "raw" / "captura"
        carpeta.mkdir(parents=True)
        shutil.copy2(ruta, carpeta / ruta.name)
        ingerir(Path(tmp))
        captura = leer_captura(ruta)
        datos = cargar(tmp, captura.estado.cve_ent, captura.ciclo, captura.fondo.clave,
                       actualizar=False)
        return calcular(datos, tolerancias).hallazgos


def _avance_srft(ruta: Path, resultado, tol: Tolerancias) -> list[str]:
    """Every row of an SRFT Indicadores export whose «Avance (%)» breaks the SRFT's rule (A4-SRFT-AVANCE),
    every quarter and state of the file, by the report's own rule."""
    from asm_analysis.auditoria import auditar_tablas

    if resultado.tabla.empty:
        return []
    filas = srft_indicadores.a_indicadores(resultado.tabla).assign(archivo_fuente=ruta.name)
    ciclo = int(filas["ciclo"].max())
    hallazgos = auditar_tablas(ciclo, tol, indicadores_srft=filas)
    return [f"{h.mensaje}" for h in hallazgos[hallazgos["regla"] == "A4-SRFT-AVANCE"].itertuples()]


def _sin_filas(ruta: Path, leidas: int) -> list[str]:
    return [str(ErrorEntrada("no tiene filas de datos: solo el encabezado", archivo=ruta.name, fila=2))] \
        if leidas == 0 else []


def _lineas_srft(ruta: Path) -> list[str]:
    """The rejected rows of an SRFT file in any of its three shapes, at most a few per reason plus a count."""
    lineas, leidas, grupos = [], 0, {}
    for _, rechazos, n in srft_legible.leer_bloques_srft(ruta):
        # exact repeats (loaded once) and rows left out for their ESTATUS do not stop a report
        lineas += _sin_repetir(rechazos[~rechazos["columna"].isin(srft.NO_BLOQUEAN)], grupos)
        leidas += n
    return lineas + _resumen_repetidos(ruta, grupos) + _sin_filas(ruta, leidas)


@dataclass
class Revision:
    """What ``validate`` found in a file: problems to fix (exit code 2) and warnings to look at."""

    problemas: list[str] = field(default_factory=list)
    advertencias: list[str] = field(default_factory=list)


def validar_archivo(ruta: Path, tolerancias: str | Path | None = None) -> list[str]:
    """Problems of one file, one line each (file, sheet, row, column, reason); empty if none.

    The same checks as the report: every rejected row, and for a capture workbook whose rows
    all load, every ``error`` finding the report's audit gives. A file with no data rows is a
    problem (there is nothing to report from it).
    """
    return revisar_archivo(ruta, tolerancias).problemas


def revisar_archivo(ruta: Path, tolerancias: str | Path | None = None) -> Revision:
    """:func:`validar_archivo`'s problems plus the warnings of a capture workbook.

    A workbook is read with ``revisar_todo``: an incomplete ficha or a sheet without its columns
    is listed together with every rejected row of the other sheets (one round trip, not one per
    problem). Warnings are suspicious but valid cells (a fraction in a percent column, a
    two-digit year), each with its cell; they do not make the file fail.
    """
    ruta = Path(ruta)
    tol = Tolerancias.en_vigor(archivo=Path(tolerancias) if tolerancias else None)  # a bad file stops here
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=lectura.nombre_visible(str(ruta)))
    lectura.comprobar_nombre(ruta)  # as ingest: a name that is not UTF-8 is refused, not read
    try:
        if ruta.suffix.lower() in EXTENSIONES_LIBRO + EXTENSIONES_CSV and srft_indicadores.es_exportacion(ruta):
            resultado = srft_indicadores.leer(ruta)
            # exact repeats are loaded once and do not stop a report: not a problem to fix
            rechazos = resultado.rechazos[resultado.rechazos["columna"] != srft_indicadores.DUPLICADA]
            return Revision(_lineas_rechazo(rechazos) + _sin_filas(ruta, resultado.leidas)
                            + _avance_srft(ruta, resultado, tol))
        if ruta.suffix.lower() in EXTENSIONES_LIBRO and not es_libro_de_captura(ruta):
            # an SRFT module export saved as a workbook
            return Revision(_lineas_proyectos(ruta) if tipo_exportacion(ruta) == "proyectos" else _lineas_srft(ruta))
        if ruta.suffix.lower() in EXTENSIONES_LIBRO:
            captura = leer_captura(ruta, revisar_todo=True)
            avisos = list(captura.advertencias)
            lineas = [str(e) for e in captura.problemas] + _lineas_rechazo(captura.rechazos)
            if lineas:  # the report refuses these first; its audit would see a partial table
                return Revision(lineas, avisos)
            if sum(r.leidas for r in captura.resultados.values()) == 0:
                return Revision([str(ErrorEntrada("no tiene filas de datos: las hojas destino, concurrencia, "
                                                  "indicadores, asm y foda solo tienen el encabezado",
                                                  archivo=ruta.name))], avisos)
            hallazgos = hallazgos_como_en_el_informe(ruta, tol)
            errores = hallazgos[hallazgos["severidad"] == "error"]
            return Revision([f"{ruta.name} ({h.anexo}): {h.mensaje}" for h in errores.itertuples()], avisos)
        if ruta.suffix.lower() in EXTENSIONES_CSV:
            tipo = tipo_csv(ruta)
            if tipo == "srft":
                return Revision(_lineas_srft(ruta))
            if tipo == "proyectos":
                return Revision(_lineas_proyectos(ruta))
            resultado = nacional.leer_nacional(ruta, tipo)
            return Revision(_lineas_rechazo(resultado.rechazos) + _sin_filas(ruta, resultado.leidas))
    except ErrorEntrada as exc:
        return Revision([str(e) for e in (exc, *exc.adicionales)])
    raise ErrorEntrada(f"solo se validan libros {' o '.join(EXTENSIONES_LIBRO)} y archivos "
                       f"{' o '.join(EXTENSIONES_CSV)} (los mismos que lee ingest)", archivo=ruta.name)
