"""``validate``: every problem of a capture workbook or a CSV, listed at once."""

from __future__ import annotations

import shutil
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


def validar_archivo(ruta: Path, tolerancias: str | Path | None = None) -> list[str]:
    """Problems of one file, one line each (file, sheet, row, column, reason); empty if none.

    The same checks as the report: every rejected row, and for a capture workbook whose rows
    all load, every ``error`` finding the report's audit gives. A file with no data rows is a
    problem (there is nothing to report from it).
    """
    ruta = Path(ruta)
    tol = Tolerancias.en_vigor(archivo=Path(tolerancias) if tolerancias else None)  # a bad file stops here
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=lectura.nombre_visible(str(ruta)))
    lectura.comprobar_nombre(ruta)  # as ingest: a name that is not UTF-8 is refused, not read
    try:
        if ruta.suffix.lower() in EXTENSIONES_LIBRO:
            captura = leer_captura(ruta)
            lineas = _lineas_rechazo(captura.rechazos)
            if lineas:  # the report refuses these rows first; its audit would see a partial table
                return lineas
            if sum(r.leidas for r in captura.resultados.values()) == 0:
                return [str(ErrorEntrada("no tiene filas de datos: las hojas destino, concurrencia, indicadores, "
                                         "asm y foda solo tienen el encabezado", archivo=ruta.name))]
            hallazgos = hallazgos_como_en_el_informe(ruta, tol)
            errores = hallazgos[hallazgos["severidad"] == "error"]
            return [f"{ruta.name} ({h.anexo}): {h.mensaje}" for h in errores.itertuples()]
        if ruta.suffix.lower() in EXTENSIONES_CSV:
            tipo = tipo_csv(ruta)
            if tipo == "srft":
                lineas, leidas, grupos = [], 0, {}
                for _, rechazos, n in srft.leer_bloques(ruta):
                    # exact repeats are loaded once and do not stop a report: not a problem to fix
                    lineas += _sin_repetir(rechazos[rechazos["columna"] != srft.DUPLICADA], grupos)
                    leidas += n
                return lineas + _resumen_repetidos(ruta, grupos) + _sin_filas(ruta, leidas)
            resultado = nacional.leer_nacional(ruta, tipo)
            return _lineas_rechazo(resultado.rechazos) + _sin_filas(ruta, resultado.leidas)
    except ErrorEntrada as exc:
        return [str(e) for e in (exc, *exc.adicionales)]
    raise ErrorEntrada(f"solo se validan libros {' o '.join(EXTENSIONES_LIBRO)} y archivos "
                       f"{' o '.join(EXTENSIONES_CSV)} (los mismos que lee ingest)", archivo=ruta.name)
