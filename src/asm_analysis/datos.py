"""Everything known about one (estado, ciclo, fondo), gathered from the processed store.

A capture workbook, when present, takes precedence for its (estado, ciclo, fondo); the
SRFT file gives Anexo 1 otherwise; the national CSVs give the rest. Which source fed each
table is recorded, so the report can say it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import almacen, catalogs, parsing, srft
from .errors import ErrorEntrada
from .ingest import ingerir


@dataclass
class DatosEstado:
    """Tidy inputs of one report. Empty frames where a source has nothing for this state."""

    estado: catalogs.Estado
    ciclo: int
    fondo: catalogs.Fondo
    fecha_corte: dt.date
    ficha: dict[str, str]
    destino: pd.DataFrame            # capture rows (details and reported subtotals) or SRFT details
    srft: pd.DataFrame               # SRFT details of the fund, state-level, same year, each partida
                                     # from the last quarter reporting it (its cut in ``trimestre``)
    arrastre: pd.DataFrame           # SRFT carried-over money (ciclo_recurso < ciclo)
    trimestre_srft: int | None       # latest SRFT cut used (see srft.describir_cortes for a mixed one)
    concurrencia: pd.DataFrame
    indicadores: pd.DataFrame
    indicadores_previos: pd.DataFrame  # previous ciclo, for prior-year values not reported
    asm: pd.DataFrame
    foda: pd.DataFrame
    fuentes: dict[str, str] = field(default_factory=dict)   # table -> "captura" | "srft" | "nacional"
    archivos: list[dict] = field(default_factory=list)      # provenance: path, sha256, tipo
    demo: bool = False
    #: SRFT programme-level amounts against the sum of their partidas (srft.cotejar_programas)
    cotejo_programa_srft: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def vacio(self) -> bool:
        return all(t.empty for t in (self.destino, self.srft, self.concurrencia, self.indicadores,
                                     self.asm, self.foda))


def fecha_corte_por_omision(ciclo: int) -> dt.date:
    """Cut date when none is given: 30 September of the year after the ciclo.

    The EED of a year is carried out during the next one and ASM follow-up reports are
    usually cut at the end of the third quarter (as in the IMSS-BIENESTAR report cut on
    30/09/2022).
    """
    return dt.date(ciclo + 1, 9, 30)


def _filtrar_fondo(tabla: pd.DataFrame, fondo: str) -> pd.DataFrame:
    if tabla.empty:
        return tabla
    return tabla[tabla["fondo"] == fondo].reset_index(drop=True)


def _asm_historico(processed: Path, tabla: str, cve_ent: str, ciclo: int, fondo: str) -> pd.DataFrame:
    partes = [t for t in (almacen.leer(processed, tabla, c, cve_ent) for c in range(ciclo - 15, ciclo + 1))
              if not t.empty]
    if not partes:
        return pd.DataFrame()
    return _filtrar_fondo(pd.concat(partes, ignore_index=True), fondo)


def cargar(data_dir: str | Path, estado: str, ciclo: int, fondo: str, fecha_corte: dt.date | None = None,
           actualizar: bool = True) -> DatosEstado:
    """Gather the inputs of one report, refreshing the store first when a raw file changed."""
    data_dir = Path(data_dir)
    est = catalogs.resolver_estado(estado)
    fon = catalogs.resolver_fondo(fondo)
    processed = data_dir / "processed"
    if actualizar:
        ingerir(data_dir)
    registro = almacen.leer_registro(processed)["fuentes"]
    cve = est.cve_ent

    def leer(tabla: str, c: int = ciclo) -> pd.DataFrame:
        return _filtrar_fondo(almacen.leer(processed, tabla, c, cve), fon.clave)

    ficha_tabla = leer("captura_ficha")
    hay_captura = not ficha_tabla.empty
    ficha = dict(zip(ficha_tabla.get("campo", []), ficha_tabla.get("valor", [])))
    fuentes: dict[str, str] = {}

    seleccion = srft.leer_estado(processed, cve, ciclo, fon)
    srft_det = seleccion.corriente if seleccion else pd.DataFrame()
    arrastre = seleccion.arrastre if seleccion else pd.DataFrame()

    def elegir(hoja: str, nacional: str | None) -> pd.DataFrame:
        if hay_captura:
            tabla = leer(f"captura_{hoja}")
            if not tabla.empty:
                fuentes[hoja] = "captura"
                return tabla
        if nacional:
            tabla = leer(nacional)
            if not tabla.empty:
                fuentes[hoja] = "nacional"
                return tabla
        return pd.DataFrame()

    destino = elegir("destino", None)
    if destino.empty and not srft_det.empty:
        fuentes["destino"] = "srft"
    concurrencia = elegir("concurrencia", "concurrencia")
    indicadores = elegir("indicadores", "indicadores")
    previos = leer("captura_indicadores", ciclo - 1)
    if previos.empty:
        previos = leer("indicadores", ciclo - 1)
    foda = elegir("foda", None)
    if hay_captura and not leer("captura_asm").empty:
        asm = leer("captura_asm")
        fuentes["asm"] = "captura"
    else:
        asm = _asm_historico(processed, "asm", cve, ciclo, fon.clave)
        if not asm.empty:
            fuentes["asm"] = "nacional"

    corte = fecha_corte
    if corte is None and ficha.get("fecha_corte"):
        corte = parsing.parse_fecha(ficha["fecha_corte"])
    corte = corte or fecha_corte_por_omision(ciclo)

    archivos = []
    for relativa, info in sorted(registro.items()):
        ident = info.get("identidad") or {}
        if info["tipo"] == "captura" and ident != {"ciclo": ciclo, "cve_ent": cve, "fondo": fon.clave}:
            continue
        if info.get("error"):
            continue
        archivos.append({"archivo": f"raw/{relativa}", "tipo": info["tipo"], "sha256": info["sha256"],
                         "tamano": info["tamano"]})
    usados = {"captura"} if hay_captura else set()
    usados |= {"srft"} if not srft_det.empty or not arrastre.empty else set()
    usados |= {t for t, f in fuentes.items() if f == "nacional"}
    archivos = [a for a in archivos if a["tipo"] in usados]
    demo = any("demo" in a["archivo"].lower() for a in archivos)

    datos = DatosEstado(
        estado=est, ciclo=ciclo, fondo=fon, fecha_corte=corte, ficha=ficha, destino=destino, srft=srft_det,
        arrastre=arrastre, trimestre_srft=seleccion.trimestre if seleccion else None,
        concurrencia=concurrencia, indicadores=indicadores, indicadores_previos=previos, asm=asm, foda=foda,
        fuentes=fuentes, archivos=archivos, demo=demo,
        cotejo_programa_srft=seleccion.cotejo_programa if seleccion else pd.DataFrame(),
    )
    if datos.vacio:
        raise ErrorEntrada(
            f"no hay datos para {est.nombre}, ciclo {ciclo}, fondo {fon.clave} en {data_dir / 'raw'}: "
            "agregue el archivo del SRFT, los CSV nacionales o un libro de captura y vuelva a intentar")
    return datos
