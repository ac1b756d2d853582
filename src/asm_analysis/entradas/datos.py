"""Everything known about one (estado, ciclo, fondo), gathered from the processed store.

A capture workbook, when present, takes precedence for its (estado, ciclo, fondo); the
SRFT file gives Anexo 1 otherwise; the national CSVs give the rest. Which source fed each
table is recorded, so the report can say it.

Two raw files of the same kind are never added together: when two SRFT files, or two
national CSVs of one kind, hold rows for the same state, ciclo and fund, :func:`cargar`
refuses and names both files. The provenance list holds exactly the files whose rows
were used, and whether the report is a demo is decided from those files alone
(:func:`es_demo`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asm_analysis.entradas import almacen, catalogos, compuerta, lectura, srft, srft_indicadores
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.ingesta import ingerir
from asm_analysis.comun.texto import sin_acentos

#: Text the synthetic demo files carry in their rows (SRFT observations, concurrencia comments).
MARCA_DEMO = "DATOS DEMO SINTÉTICOS"
_NOMBRE_DEMO = re.compile(r"(?:^|[^a-z0-9])demo(?:[^a-z0-9]|$)")
_FUENTE = almacen.COLUMNA_FUENTE

#: How the refusal names each kind of raw file ("hay dos archivos del SRFT …").
NOMBRE_TIPO = {"srft": "del SRFT", "proyectos": "de proyectos del SRFT", "indicadores": "de indicadores",
               "concurrencia": "de concurrencia", "asm": "de ASM", "captura": "de captura",
               "srft_indicadores": "del módulo Indicadores del SRFT"}
_CUANTOS = {2: "dos", 3: "tres", 4: "cuatro", 5: "cinco"}


@dataclass
class DatosEstado:
    """Tidy inputs of one report. Empty frames where a source has nothing for this state."""

    estado: catalogos.Estado
    ciclo: int
    fondo: catalogos.Fondo
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
    destino_anterior: pd.DataFrame = field(default_factory=pd.DataFrame)  # previous ciclo: capture rows or SRFT
    asm_anterior: pd.DataFrame = field(default_factory=pd.DataFrame)      # previous ciclo's own follow-up
    fuentes: dict[str, str] = field(default_factory=dict)   # table -> "captura" | "srft" | "nacional" | "srft_proyectos"
    archivos: list[dict] = field(default_factory=list)      # provenance: the files whose rows were used
    demo: bool = False                                      # see es_demo
    #: SRFT programme-level amounts against the sum of their partidas (srft.cotejar_programas)
    cotejo_programa_srft: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: SRFT rows of the fund, state and year left out of Anexo 1 for their ESTATUS (srft.estatus_srft)
    srft_no_validadas: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Why last ciclo's inputs were not used ("" when they were, or there were none): see anterior_incompleto
    anterior_incompleto: str = ""
    #: SRFT «destino del gasto» projects of the fund (every quarter reported; srft_proyectos), their
    #: funding sources and georeferences: the geographic distribution (anexos.geografia)
    proyectos: pd.DataFrame = field(default_factory=pd.DataFrame)
    proyectos_fuentes: pd.DataFrame = field(default_factory=pd.DataFrame)
    proyectos_geo: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: federal MIR of the fund from the SRFT *Indicadores* export (srft_indicadores.a_indicadores): each
    #: indicator from its last reported quarter, with ``archivo_fuente`` and ``fila`` of the export row
    indicadores_srft: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicadores_srft_previos: pd.DataFrame = field(default_factory=pd.DataFrame)  # the same, previous ciclo

    @property
    def vacio(self) -> bool:
        return all(t.empty for t in (self.destino, self.srft, self.concurrencia, self.indicadores,
                                     self.asm, self.foda, self.indicadores_srft))


def es_demo(archivos: Iterable[str], tablas: Iterable[pd.DataFrame] = ()) -> bool:
    """Whether a report is built from the synthetic demo set: the one rule for the demo label.

    True when the name of a raw file whose rows were used has the word ``demo`` in it
    (``ejercicio_del_gasto_2024_demo.csv``, ``demo_asm.csv``; not ``demografia.csv``), or when
    a text cell of the rows used carries the marker «DATOS DEMO SINTÉTICOS» (any case, with or
    without accents). Files in the same folder that the report did not use do not count.
    """
    if any(_NOMBRE_DEMO.search(Path(a).name.lower()) for a in archivos):
        return True
    marca = sin_acentos(MARCA_DEMO).casefold()
    for tabla in tablas:
        for columna in tabla.select_dtypes(include=["object", "string"]).columns:
            textos = tabla[columna].dropna().astype(str)
            if textos.map(lambda t: marca in sin_acentos(t).casefold()).any():
                return True
    return False


def _lista(archivos: list[str]) -> str:
    return ", ".join(archivos[:-1]) + " y " + archivos[-1]


def fuente_unica(tabla: pd.DataFrame, tipo: str, estado: catalogos.Estado, ciclo: int, fondo: str,
                 data_dir: Path) -> list[str]:
    """The raw file (relative to ``raw/``) that the rows of ``tabla`` came from, as a list of 0 or 1.

    ``tabla`` holds one state's rows of one kind for one ciclo and fund, read with
    ``con_fuente``. Rows from two files would be added together in the annexes (two SRFT
    exports of the same year doubling Anexo 1, two ASM CSVs merging their aspects), so two
    files is a user error naming both, never a guess at which one is right.
    """
    if tabla.empty or _FUENTE not in tabla:
        return []
    return _un_archivo(tabla, tipo, f"con datos de {estado.nombre}, ciclo {ciclo}, fondo {fondo}", data_dir)


def _un_archivo(tabla: pd.DataFrame, tipo: str, que: str, data_dir: Path) -> list[str]:
    """The raw files the rows of ``tabla`` came from; two or more is a user error naming them all
    (``que`` says what their rows share: «con datos de Zacatecas, ciclo 2024, fondo FASSA»)."""
    archivos = sorted(str(a) for a in tabla[_FUENTE].dropna().unique())
    if len(archivos) > 1:
        raise ErrorEntrada(
            f"hay {_CUANTOS.get(len(archivos), len(archivos))} archivos {NOMBRE_TIPO.get(tipo, tipo)} {que}: "
            f"{_lista(archivos)}; deje solo uno en {Path(data_dir) / 'raw' / tipo}")
    return archivos


def _sin_fuente(tabla: pd.DataFrame) -> pd.DataFrame:
    return tabla.drop(columns=[_FUENTE]) if _FUENTE in tabla else tabla


def carpeta_datos(valor: str | Path = "data") -> Path:
    """The data folder a notebook names, found from where it runs.

    ``"data"`` (or ``"data/demo"``) is looked for in the working directory first, then in its
    parent: the same notebook parameters work from the repository root (``papermill
    notebooks/informe_estatal.ipynb …``) and from ``notebooks/`` (JupyterLab). An absolute path,
    or a relative one that exists, is used as given. The folder must hold ``raw/``.
    """
    ruta = Path(valor)
    candidatas = [ruta] if ruta.is_absolute() else [Path.cwd() / ruta, Path.cwd().parent / ruta]
    for candidata in candidatas:
        if (candidata / "raw").is_dir():
            return candidata
    raise ErrorEntrada(f"no existe la carpeta de datos «{valor}» (con su carpeta raw/) ni en «{Path.cwd()}» "
                       f"ni en «{Path.cwd().parent}»; indique data_dir con la ruta completa")


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


def _asm_historico(processed: Path, tabla: str, estado: catalogos.Estado, ciclo: int, fondo: str,
                   data_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    """ASM of the fund's evaluations of this ciclo and the 15 before, and the files they came from.

    Each earlier ciclo may come from a different file (one CSV per evaluation year), but one
    ciclo from two files is refused like any other overlap.
    """
    partes, archivos = [], []
    for c in range(ciclo - 15, ciclo + 1):
        t = _filtrar_fondo(almacen.leer(processed, tabla, c, estado.cve_ent, con_fuente=True), fondo)
        if not t.empty:
            archivos += fuente_unica(t, tabla, estado, c, fondo, data_dir)
            partes.append(_sin_fuente(t))
    if not partes:
        return pd.DataFrame(), []
    return pd.concat(partes, ignore_index=True), sorted(set(archivos))


def _archivos_srft(processed: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo,
                   data_dir: Path) -> list[str]:
    """The SRFT file that holds the fund's state-level rows for this state and ciclo.

    Every SRFT row of the fund, whatever its quarter or ``ciclo_recurso``, counts: two
    exports of the same year (a real national file beside another one) would otherwise be
    added together in Anexo 1.
    """
    filas = almacen.leer(processed, "srft", ciclo, estado.cve_ent, ambito="estatal", con_fuente=True)
    if filas.empty:
        return []
    filas = filas[(filas["ramo"] == int(fondo.ramo)) & (filas["modalidad_pp"] == fondo.modalidad_pp)]
    return fuente_unica(filas, "srft", estado, ciclo, fondo.clave, data_dir)


def _proyectos(processed: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """The fund's SRFT projects of one state and ciclo (every quarter), their sources and georeferences,
    and the raw files they came from.

    A project belongs to the fund when one of its funding sources has the fund's ramo and
    programme key. Quarterly exports may sit side by side (each project is later taken at its
    last quarter), but one project reported for the same quarter by two files is refused,
    naming both: its amounts would otherwise be counted twice.
    """
    proyectos = almacen.leer(processed, "proyectos", ciclo, estado.cve_ent, con_fuente=True)
    fuentes = almacen.leer(processed, "proyectos_fuentes", ciclo, estado.cve_ent)
    if proyectos.empty or fuentes.empty:
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), []
    del_fondo = fuentes[(pd.to_numeric(fuentes["ramo"], errors="coerce") == int(fondo.ramo))
                        & (fuentes["modalidad_pp"] == fondo.modalidad_pp)]
    folios = set(del_fondo["folio"])
    proyectos = proyectos[proyectos["folio"].isin(folios)].reset_index(drop=True)
    if proyectos.empty:
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), []
    repetidos = proyectos.groupby(["folio", "trimestre"])[_FUENTE].nunique()
    if (repetidos > 1).any():
        folio, trimestre = repetidos[repetidos > 1].index[0]
        archivos = sorted(proyectos.loc[(proyectos["folio"] == folio) & (proyectos["trimestre"] == trimestre), _FUENTE])
        raise ErrorEntrada(
            f"el proyecto {folio} del trimestre {trimestre} viene en {_lista(sorted(set(archivos)))}; sumarlo dos veces "
            f"duplicaría la distribución geográfica de {estado.nombre}, ciclo {ciclo}: deje cada trimestre en un solo "
            "archivo de raw/proyectos")
    geo = almacen.leer(processed, "proyectos_geo", ciclo, estado.cve_ent)
    clave = ["folio", "trimestre"]
    fuentes = fuentes.merge(proyectos[clave], on=clave)
    geo = geo.merge(proyectos[clave], on=clave) if not geo.empty else geo
    archivos = sorted(str(a) for a in proyectos[_FUENTE].dropna().unique())
    return _sin_fuente(proyectos), fuentes, geo, archivos


def indicadores_srft(processed: Path, estado: catalogos.Estado, ciclo: int, fondo: catalogos.Fondo,
                     data_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    """The fund's federal MIR from the SRFT *Indicadores* exports of this state and ciclo, and their files.

    Each indicator comes from the last quarter that reports it (never added across quarters). The
    quarters may come from different files (one export per quarter), but one quarter in two files
    is refused naming both, as two SRFT files of one year are: which one is right cannot be told.
    """
    filas = almacen.leer(processed, srft_indicadores.TIPO, ciclo, estado.cve_ent, con_fuente=True)
    if filas.empty:
        return pd.DataFrame(), []
    filas = filas[filas["fondo"] == fondo.clave]
    if filas.empty:
        return pd.DataFrame(), []
    for trimestre, grupo in filas.groupby("trimestre"):
        que = f"con el trimestre {int(trimestre)} de {estado.nombre}, ciclo {ciclo}, fondo {fondo.clave}"
        _un_archivo(grupo, srft_indicadores.TIPO, que, data_dir)
    seleccion = srft_indicadores.a_indicadores(srft_indicadores.ultimo_trimestre(filas.reset_index(drop=True)))
    return seleccion, sorted(str(a) for a in seleccion[_FUENTE].dropna().unique())


def _periodo_anterior(processed: Path, est: catalogos.Estado, ciclo: int, fon: catalogos.Fondo, data_dir: Path,
                      leer, usar, usados: set[str], fuentes: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Last ciclo's budget (its workbook's ``destino``, else its SRFT rows) and its own ASM follow-up
    (workbook, else the national CSV rows of that ciclo), for the checks across periods. The files
    read are added to ``usados`` (provenance and fingerprint)."""
    destino = usar(leer("captura_destino", ciclo - 1))
    if not destino.empty:
        fuentes["destino_anterior"] = "captura"
    else:
        seleccion = srft.leer_estado(processed, est.cve_ent, ciclo - 1, fon)
        destino = seleccion.corriente if seleccion is not None else pd.DataFrame()
        if not destino.empty:
            fuentes["destino_anterior"] = "srft"
            usados.update(_archivos_srft(processed, est, ciclo - 1, fon, data_dir))
    asm, origen = usar(leer("captura_asm", ciclo - 1)), "captura"
    if asm.empty:
        asm, origen = usar(leer("asm", ciclo - 1, tipo="asm")), "nacional"
    if not asm.empty:
        fuentes["asm_anterior"] = origen
    return destino, asm


def anterior_incompleto(data_dir: Path, est: catalogos.Estado, ciclo: int, fon: catalogos.Fondo) -> str:
    """Why last ciclo's inputs of this state and fund cannot be trusted whole, or ``""``.

    The same gate as this ciclo's (:func:`compuerta.problema`) asked about ``ciclo - 1``: a file of
    last year that could not be read, or that has rejected rows of this state and fund, would
    leave last year's tables partial, and a year-over-year comparison on them would pass for
    complete. Then last year's tables are not used at all (the comparisons ``X-A1-ANUAL``,
    ``X-ASM-DESAPARECIDO``, ``X-ASM-CERRADO``, ``A4-ANTERIOR-DIFIERE`` and Anexo 4's prior-year columns
    taken from last year's own data do not run) and the reason, naming file, sheet, row and
    column, is said in the console, the findings (``X-ANTERIOR-INCOMPLETO``) and the manifest.
    """
    problema = compuerta.problema(data_dir, est.cve_ent, ciclo - 1, fon.clave)
    return "" if problema is None else str(problema)


def cargar(data_dir: str | Path, estado: str, ciclo: int, fondo: str, fecha_corte: dt.date | None = None,
           actualizar: bool = True) -> DatosEstado:
    """Gather the inputs of one report, refreshing the store first when a raw file changed.

    Refuses (:class:`ErrorEntrada`) when a raw file that concerns this report could not be read
    or has rejected rows of it (:mod:`asm_analysis.entradas.compuerta`): the same gate for ``report``,
    ``batch``, the notebook and any direct call.
    """
    data_dir = Path(data_dir)
    est = catalogos.resolver_estado(estado)
    fon = catalogos.resolver_fondo(fondo)
    processed = data_dir / "processed"
    if actualizar:
        ingerir(data_dir)
    compuerta.verificar(data_dir, est.cve_ent, ciclo, fon.clave)  # no report from inputs that lost its rows
    registro = almacen.leer_registro(processed)["fuentes"]
    cve = est.cve_ent

    usados: set[str] = set()   # raw files (relative to raw/) whose rows this report uses

    def leer(tabla: str, c: int = ciclo, tipo: str | None = None) -> pd.DataFrame:
        """One state's rows of ``tabla`` for the fund; ``tipo`` (a national kind) checks one file."""
        filas = _filtrar_fondo(almacen.leer(processed, tabla, c, cve, con_fuente=True), fon.clave)
        if tipo is not None:
            fuente_unica(filas, tipo, est, c, fon.clave, data_dir)
        return filas

    def usar(tabla: pd.DataFrame) -> pd.DataFrame:
        if _FUENTE in tabla:
            usados.update(str(a) for a in tabla[_FUENTE].dropna().unique())
        return _sin_fuente(tabla)

    ficha_tabla = usar(leer("captura_ficha"))
    hay_captura = not ficha_tabla.empty
    ficha = dict(zip(ficha_tabla.get("campo", []), ficha_tabla.get("valor", [])))
    if hay_captura and "fila" in ficha_tabla:
        ficha["_filas"] = {c: int(f) for c, f in zip(ficha_tabla["campo"], ficha_tabla["fila"]) if pd.notna(f)}
    fuentes: dict[str, str] = {}

    seleccion = srft.leer_estado(processed, cve, ciclo, fon)
    srft_det = seleccion.corriente if seleccion else pd.DataFrame()
    arrastre = seleccion.arrastre if seleccion else pd.DataFrame()
    if seleccion is not None and not (srft_det.empty and arrastre.empty):
        usados.update(_archivos_srft(processed, est, ciclo, fon, data_dir))

    def elegir(hoja: str, nacional: str | None) -> pd.DataFrame:
        if hay_captura:
            tabla = usar(leer(f"captura_{hoja}"))
            if not tabla.empty:
                fuentes[hoja] = "captura"
                return tabla
        if nacional:
            tabla = usar(leer(nacional, tipo=nacional))
            if not tabla.empty:
                fuentes[hoja] = "nacional"
                return tabla
        return pd.DataFrame()

    destino = elegir("destino", None)
    if destino.empty and not srft_det.empty:
        fuentes["destino"] = "srft"
    concurrencia = elegir("concurrencia", "concurrencia")
    indicadores = elegir("indicadores", "indicadores")
    previos, origen_previos = usar(leer("captura_indicadores", ciclo - 1)), "captura"
    if previos.empty:
        previos, origen_previos = usar(leer("indicadores", ciclo - 1, tipo="indicadores")), "nacional"
    if not previos.empty:
        fuentes["indicadores_anterior"] = origen_previos  # Anexo 4's prior-year columns when not reported
    foda = elegir("foda", None)
    # the federal MIR from the SRFT Indicadores export (this ciclo and the previous one): it feeds
    # Anexo 4's federal rows and is cross-checked against the workbook's (anexos.indicadores)
    ind_srft, de_srft = indicadores_srft(processed, est, ciclo, fon, data_dir)
    ind_srft_previos, de_srft_previos = indicadores_srft(processed, est, ciclo - 1, fon, data_dir)
    usados.update(de_srft + de_srft_previos)
    if not ind_srft.empty:
        fuentes["indicadores_srft"] = srft_indicadores.TIPO
    if not ind_srft_previos.empty:
        fuentes["indicadores_srft_anterior"] = srft_indicadores.TIPO
    destino_anterior, asm_anterior = _periodo_anterior(processed, est, ciclo, fon, data_dir, leer, usar,
                                                       usados, fuentes)
    incompleto = anterior_incompleto(data_dir, est, ciclo, fon)
    if incompleto:  # a partial table of last year would pass for the whole: compared with nothing, and said
        destino_anterior = asm_anterior = previos = pd.DataFrame()
        for clave in ("destino_anterior", "asm_anterior", "indicadores_anterior"):
            fuentes.pop(clave, None)
    asm_captura = usar(leer("captura_asm")) if hay_captura else pd.DataFrame()
    if not asm_captura.empty:
        asm = asm_captura
        fuentes["asm"] = "captura"
    else:
        asm, de_asm = _asm_historico(processed, "asm", est, ciclo, fon.clave, data_dir)
        usados.update(de_asm)
        if not asm.empty:
            fuentes["asm"] = "nacional"

    proyectos, proyectos_fuentes, proyectos_geo, de_proyectos = _proyectos(processed, est, ciclo, fon)
    if not proyectos.empty:
        fuentes["proyectos"] = "srft_proyectos"
        usados.update(de_proyectos)

    corte = fecha_corte
    if corte is None and ficha.get("fecha_corte"):
        corte = lectura.parse_fecha(ficha["fecha_corte"])
    corte = corte or fecha_corte_por_omision(ciclo)

    archivos = [{"archivo": f"raw/{relativa}", "tipo": registro[relativa]["tipo"],
                 "sha256": registro[relativa]["sha256"], "tamano": registro[relativa]["tamano"]}
                for relativa in sorted(usados) if relativa in registro]
    demo = es_demo(usados, (concurrencia, indicadores, asm, destino, proyectos, ind_srft))

    datos = DatosEstado(
        estado=est, ciclo=ciclo, fondo=fon, fecha_corte=corte, ficha=ficha, destino=destino, srft=srft_det,
        arrastre=arrastre, trimestre_srft=seleccion.trimestre if seleccion else None,
        concurrencia=concurrencia, indicadores=indicadores, indicadores_previos=previos, asm=asm, foda=foda,
        destino_anterior=destino_anterior, asm_anterior=asm_anterior,
        fuentes=fuentes, archivos=archivos, demo=demo,
        cotejo_programa_srft=seleccion.cotejo_programa if seleccion else pd.DataFrame(),
        srft_no_validadas=seleccion.no_validadas if seleccion else pd.DataFrame(),
        anterior_incompleto=incompleto,
        proyectos=proyectos, proyectos_fuentes=proyectos_fuentes, proyectos_geo=proyectos_geo,
        indicadores_srft=ind_srft, indicadores_srft_previos=ind_srft_previos,
    )
    if datos.vacio:
        raise ErrorEntrada(
            f"no hay datos para {est.nombre}, ciclo {ciclo}, fondo {fon.clave} en {data_dir / 'raw'}: "
            "agregue el archivo del SRFT, los CSV nacionales o un libro de captura y vuelva a intentar")
    return datos
