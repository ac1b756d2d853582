"""``validate``: every problem of a capture workbook or a CSV, listed at once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asm_analysis.auditoria import Tolerancias
from asm_analysis.entradas import nacional, lectura, srft
from asm_analysis.entradas.captura import leer_captura
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.ingesta import EXTENSIONES_CSV, EXTENSIONES_LIBRO


def _lineas_rechazo(rechazos) -> list[str]:
    def valor(r) -> str:  # the typed value, unless the reason already quotes it
        partes = [v for v in str(r.valor).split("; ") if v] if isinstance(r.valor, str) else []
        return f" (valor «{r.valor}»)" if any(v not in r.motivo for v in partes) else ""

    return [f"{r.archivo}, fila {r.fila}, columna «{r.columna}»: {r.motivo}{valor(r)}" for r in rechazos.itertuples()]


def tipo_csv(ruta: Path) -> str:
    """Guess what a CSV is from its header: ``srft``, ``indicadores``, ``concurrencia`` or ``asm``."""
    encabezado, _, _ = lectura.leer_csv_texto(ruta) if ruta.stat().st_size < (64 << 20) else ([], [], "")
    if not encabezado:
        srft.leer_encabezado(ruta)  # large file: only the SRFT is that big; raises if it is not one
        return "srft"
    claves = {lectura.normalizar_encabezado(c) for c in encabezado}
    if {"id_partida_generica", "monto_aprobado"} <= claves \
            or {"id_partida_generica", "aprobado", "id_modalidad", "id_pp"} <= claves:  # national / system export
        return "srft"
    for tipo, marca in (("indicadores", "indicador"), ("concurrencia", "orden_gobierno"), ("asm", "aspecto")):
        if marca in claves:
            return tipo
    raise ErrorEntrada("no se reconoce el tipo de CSV: no tiene las columnas del SRFT ni de indicadores, "
                       "concurrencia o asm", archivo=ruta.name, fila=1)


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


def _sin_filas(ruta: Path, leidas: int) -> list[str]:
    return [str(ErrorEntrada("no tiene filas de datos: solo el encabezado", archivo=ruta.name, fila=2))] \
        if leidas == 0 else []


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
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    try:
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
                lineas, leidas = [], 0
                for _, rechazos, n in srft.leer_bloques(ruta):
                    # exact repeats are loaded once and do not stop a report: not a problem to fix
                    lineas += _lineas_rechazo(rechazos[rechazos["columna"] != srft.DUPLICADA])
                    leidas += n
                return Revision(lineas + _sin_filas(ruta, leidas))
            resultado = nacional.leer_nacional(ruta, tipo)
            return Revision(_lineas_rechazo(resultado.rechazos) + _sin_filas(ruta, resultado.leidas))
    except ErrorEntrada as exc:
        return Revision([str(e) for e in (exc, *exc.adicionales)])
    raise ErrorEntrada(f"solo se validan libros {' o '.join(EXTENSIONES_LIBRO)} y archivos "
                       f"{' o '.join(EXTENSIONES_CSV)} (los mismos que lee ingest)", archivo=ruta.name)
