"""The input gate: no report is built from inputs that lost rows of that report.

One rule, used by every way of producing a report (``report``, ``batch``, the notebook and a
direct call of :func:`asm_analysis.entradas.datos.cargar`): before the data of one (estado, ciclo,
fondo) is gathered, every raw file that could concern it is looked at in the store's register
(``processed/_fuentes.json``):

- a file that could not be read at all blocks the report unless its identity (a capture
  workbook's ficha or file name) says it belongs to another state, year or fund;
- a file with rejected rows blocks the report when at least one rejected row is of this
  state, year and fund, or cannot say whose it is (its state, year or fund cell was the bad
  one). Other states' bad rows do not block: their reports are refused instead.

Rows listed as exact duplicates (loaded once) or as left out of Anexo 1 for their SRFT ``ESTATUS``
are not rejections: they never block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from asm_analysis.entradas import almacen, catalogos
from asm_analysis.comun.errores import ErrorEntrada
# ``columna`` of the rejects rows that list an exact repeat (loaded once) or a row left out for its ESTATUS: they block nothing
from asm_analysis.entradas.srft import NO_BLOQUEAN


def identidad_por_nombre(relativa: str) -> tuple[str, int, str] | None:
    """(cve_ent, ciclo, fondo) from a capture workbook's file name ``[captura_]<estado>_<ciclo>_<fondo>.xlsx``.

    Used only for workbooks that could not be read at all (their ficha is unknown).
    """
    partes = Path(relativa).stem.split("_")
    for i, parte in enumerate(partes):
        if re.fullmatch(r"(19|20|21)\d\d", parte) and 0 < i < len(partes) - 1:
            nombre = [p for p in partes[:i] if p.lower() not in {"captura", "libro", "plantilla"}]
            try:
                est = catalogos.resolver_estado(" ".join(nombre).replace("-", " "))
                fon = catalogos.resolver_fondo("_".join(partes[i + 1:]))
            except ErrorEntrada:
                return None
            return est.cve_ent, int(parte), fon.clave
    return None


def _identidad(relativa: str, info: dict) -> tuple[str, int, str] | None:
    ident = info.get("identidad") or {}
    if ident.get("cve_ent"):
        return str(ident["cve_ent"]), int(ident["ciclo"]), str(ident["fondo"])
    if info.get("tipo") == "captura":
        return identidad_por_nombre(relativa)
    return None


def _es_de(valor: object, esperado: str) -> bool:
    """A rejects identity cell matches when it is blank (unknown: could be anyone's) or equal."""
    texto = "" if valor is None or (isinstance(valor, float) and pd.isna(valor)) else str(valor).strip()
    return texto == "" or texto == esperado


def rechazos_de(processed: Path, info: dict, cve_ent: str, ciclo: int, fondo: str,
                identidad: tuple[str, int, str] | None = None) -> pd.DataFrame:
    """The rejected rows of one raw file that belong to (or could belong to) this report."""
    ruta = processed / info["rechazos"] if info.get("rechazos") else None
    if ruta is None or not ruta.exists():
        return pd.DataFrame()
    tabla = pd.read_csv(ruta, dtype=str, keep_default_na=False, encoding="utf-8")
    if "columna" in tabla:
        tabla = tabla[~tabla["columna"].isin(NO_BLOQUEAN)]
    if identidad is not None:  # a workbook: all of its rows are its ficha's
        return tabla if identidad == (cve_ent, ciclo, fondo) else tabla.iloc[0:0]
    for columna, esperado in (("cve_ent", cve_ent), ("ciclo", str(ciclo)), ("fondo", fondo)):
        if columna in tabla:
            tabla = tabla[tabla[columna].map(lambda v, e=esperado: _es_de(v, e))]
    return tabla


def problema(data_dir: str | Path, estado: str, ciclo: int, fondo: str) -> ErrorEntrada | None:
    """The first input problem that stops the report of (estado, ciclo, fondo), or ``None``.

    Reads the store's register as the last ``ingest`` left it (call :func:`~asm_analysis.entradas.ingesta.ingerir`
    first to refresh it). The error names the raw file, and for a rejected row its sheet, row and
    column and the rejects file where every reason is listed.
    """
    data_dir = Path(data_dir)
    processed = data_dir / "processed"
    cve_ent = catalogos.resolver_estado(estado).cve_ent
    fondo = catalogos.resolver_fondo(fondo).clave
    ciclo = int(ciclo)
    fuentes = almacen.leer_registro(processed)["fuentes"]
    for relativa, info in sorted(fuentes.items()):
        if not info.get("error"):
            continue
        ident = _identidad(relativa, info)
        if ident is not None and ident != (cve_ent, ciclo, fondo):
            continue
        d = info.get("error_detalle") or {}
        motivo = d.get("motivo") or info["error"]
        return ErrorEntrada(f"{motivo}; corrija el archivo o quítelo de «{data_dir / 'raw' / info['tipo']}»",
                            archivo=str(data_dir / "raw" / relativa), hoja=d.get("hoja"),
                            fila=d.get("fila"), columna=d.get("columna"))
    for relativa, info in sorted(fuentes.items()):
        if info.get("error") or not info.get("rechazadas"):
            continue
        ident = _identidad(relativa, info) if info.get("tipo") == "captura" else None
        propios = rechazos_de(processed, info, cve_ent, ciclo, fondo, ident)
        if propios.empty:
            continue
        primera = propios.iloc[0]
        hoja = re.fullmatch(r".* \(hoja (.+)\)", primera["archivo"])
        motivo = primera["motivo"]
        if primera["valor"] and primera["valor"] not in motivo:
            motivo += f" (valor «{primera['valor']}»)"
        n = propios["fila"].nunique()
        primera_fila = int(primera["fila"]) if str(primera["fila"]).isdigit() else None
        filas = "1 fila rechazada" if n == 1 else f"{n:,} filas rechazadas"
        return ErrorEntrada(
            f"{motivo}; el archivo tiene {filas} de {catalogos.resolver_estado(cve_ent).nombre}, ciclo {ciclo}, "
            f"fondo {fondo}, con sus motivos en «{processed / info['rechazos']}»: corríjalo o quítelo de "
            f"«{data_dir / 'raw' / info['tipo']}»",
            archivo=str(data_dir / "raw" / relativa), hoja=hoja[1] if hoja else None,
            fila=primera_fila, columna=primera["columna"] or None)
    return None


def verificar(data_dir: str | Path, estado: str, ciclo: int, fondo: str) -> None:
    """Raise the gate's :class:`ErrorEntrada` when the report of (estado, ciclo, fondo) must not be built."""
    error = problema(data_dir, estado, ciclo, fondo)
    if error is not None:
        raise error
