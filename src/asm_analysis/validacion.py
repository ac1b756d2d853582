"""``validate``: every problem of a capture workbook or a CSV, listed at once."""

from __future__ import annotations

from pathlib import Path

from . import nacional, parsing, srft
from .captura import leer_captura
from .errors import ErrorEntrada


def _lineas_rechazo(rechazos) -> list[str]:
    def valor(r) -> str:  # the typed value, unless the reason already quotes it
        partes = [v for v in str(r.valor).split("; ") if v] if isinstance(r.valor, str) else []
        return f" (valor «{r.valor}»)" if any(v not in r.motivo for v in partes) else ""

    return [f"{r.archivo}, fila {r.fila}, columna «{r.columna}»: {r.motivo}{valor(r)}" for r in rechazos.itertuples()]


def tipo_csv(ruta: Path) -> str:
    """Guess what a CSV is from its header: ``srft``, ``indicadores``, ``concurrencia`` or ``asm``."""
    encabezado, _, _ = parsing.leer_csv_texto(ruta) if ruta.stat().st_size < (64 << 20) else ([], [], "")
    if not encabezado:
        srft.leer_encabezado(ruta)  # large file: only the SRFT is that big; raises if it is not one
        return "srft"
    claves = {parsing.normalizar_encabezado(c) for c in encabezado}
    if {"id_partida_generica", "monto_aprobado"} <= claves \
            or {"id_partida_generica", "aprobado", "id_modalidad", "id_pp"} <= claves:  # national / system export
        return "srft"
    for tipo, marca in (("indicadores", "indicador"), ("concurrencia", "orden_gobierno"), ("asm", "aspecto")):
        if marca in claves:
            return tipo
    raise ErrorEntrada("no se reconoce el tipo de CSV: no tiene las columnas del SRFT ni de indicadores, "
                       "concurrencia o asm", archivo=ruta.name, fila=1)


def validar_archivo(ruta: Path) -> list[str]:
    """Problems of one file, one line each (file, sheet, row, column, reason); empty if none.

    For a capture workbook the audit's ``error`` findings are listed too, so an analyst
    sees contradictory figures before the report is produced.
    """
    ruta = Path(ruta)
    if not ruta.exists():
        raise ErrorEntrada("el archivo no existe", archivo=str(ruta))
    try:
        if ruta.suffix.lower() in (".xlsx", ".xlsm"):
            captura = leer_captura(ruta)
            lineas = _lineas_rechazo(captura.rechazos)
            try:
                from .auditoria import auditar_captura
            except ImportError:  # the audit module is optional for validation
                return lineas
            hallazgos = auditar_captura(captura)
            errores = hallazgos[hallazgos["severidad"] == "error"]
            lineas += [f"{ruta.name} ({h.anexo}): {h.mensaje}" for h in errores.itertuples()]
            return lineas
        if ruta.suffix.lower() in (".csv", ".txt"):
            tipo = tipo_csv(ruta)
            if tipo == "srft":
                lineas = []
                for _, rechazos, _ in srft.leer_bloques(ruta):
                    # exact repeats are loaded once and do not stop a report: not a problem to fix
                    lineas += _lineas_rechazo(rechazos[rechazos["columna"] != srft.DUPLICADA])
                return lineas
            return _lineas_rechazo(nacional.leer_nacional(ruta, tipo).rechazos)
    except ErrorEntrada as exc:
        return [str(exc)]
    raise ErrorEntrada("solo se validan libros .xlsx y archivos .csv", archivo=ruta.name)
