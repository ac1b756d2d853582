"""What the rules read and the helpers they share: :class:`Entradas`, places (:func:`_lugar`),
the tolerance check (:func:`_excede`), years in labels and the figures of a message (written by
:mod:`asm_analysis.comun.formatos`, as the web page writes them). What several rules read (the
captured Anexo 1 and Anexo 2 split into detail, subtotal and total rows, the ASM actions and
summaries) is computed once per audit by :class:`Entradas`. The findings themselves are built in
:mod:`.motor`."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from asm_analysis.anexos import asm as asm_mod
from asm_analysis.anexos import destino as destino_mod
from asm_analysis.anexos.filas import como_dicts
from asm_analysis.comun import formatos
from asm_analysis.comun.vacios import es_faltante

MONTOS_DESTINO = list(destino_mod.MONTOS)  # aprobado … disponible
#: A row a rule reads: a pandas row, or the dict of its values (:meth:`Entradas.filas`); read with ``[]`` and ``get``.
Fila = pd.Series | dict[str, object]
_ANIO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _pesos(valor: object) -> str:
    """Money in a message, as the web page writes it (``$88,682,091.89``); missing → ``sin dato``."""
    return formatos.pesos(valor, pegado=True) or "sin dato"


def _pct(valor: object) -> str:
    """A share or a compliance in a message (``95.70 %``); missing → ``sin dato``."""
    return formatos.porcentaje(valor) or "sin dato"


def _num(valor: object) -> str:
    """A goal or an achieved value in a message, as the Anexo 4 shows it (``16.46``); missing → ``sin dato``."""
    return formatos.numero(valor) or "sin dato"


def _excede(reportado: float, calculado: float, tolerancia: float) -> bool:
    """True when |reportado - calculado| is strictly above the tolerance (float noise ignored)."""
    ruido = 1e-7 + 1e-13 * max(abs(reportado), abs(calculado))  # float noise of sums, far below a cent
    return abs(reportado - calculado) - tolerancia > ruido


def _num_o_nan(valor: object) -> float:
    try:
        v = float(valor)
    except (TypeError, ValueError):
        return math.nan
    return v


def _lugar(origen: str, hoja: str, fila: object, *partes: str) -> str:
    """Where a finding is: ``hoja destino, fila 9, capítulo 1000, columna modificado``.

    Capture workbook rows are named by sheet and Excel row; national CSV rows by file type and
    line; SRFT-derived or computed figures by their key only (``capítulo 1000``).
    """
    base: list[str] = []
    tiene_fila = not es_faltante(fila)
    if origen == "captura":
        base.append(f"hoja {hoja}")
        if tiene_fila:
            base.append(f"fila {int(fila)}")
    elif origen == "nacional":
        base.append(f"CSV nacional de {hoja}")
        if tiene_fila:
            base.append(f"línea {int(fila)}")
    return ", ".join(base + [p for p in partes if p])


def _columna(*nombres: str) -> str:
    """How a place names columns: by their header, quoted, as the capture workbook, the national CSV or the
    SRFT export spells it (``columna «avance_meta_reportado»``, ``columnas «meta_anterior» y
    «avance_anterior»``), so a name the user looks for in a header never reads as a broken word.
    :func:`columnas_de` reads them back."""
    citados = [f"«{n}»" for n in nombres]
    if len(citados) == 1:
        return f"columna {citados[0]}"
    return f"columnas {', '.join(citados[:-1])} y {citados[-1]}"


_COLUMNAS_AL_FINAL = re.compile(r"(?:^|,\s*)columnas?\s+((?:«[^»]*»(?:,\s*|\s+y\s+)?)+)$")


def columnas_de(ubicacion: object) -> tuple[str, list[str]]:
    """A finding's place split as :func:`_columna` wrote its end: (the place without its columns, the column
    names); ``(ubicacion, [])`` when it names no column."""
    texto = "" if es_faltante(ubicacion) else str(ubicacion)
    m = _COLUMNAS_AL_FINAL.search(texto)
    if m is None:
        return texto, []
    return texto[: m.start()], re.findall(r"«([^»]*)»", m.group(1))


_CLAVE_COG_RE = re.compile(r"(?i)\b(cap[ií]tulos?|conceptos?|partidas?|cog)\s*:?\s*\d{3,4}\b")
_CAPITULOS_COG = {str(c) for c in range(1000, 10000, 1000)}
_RANGO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–—/a]\s*((?:19|20)\d{2})(?!\d)")
_FECHA_RE = re.compile(
    r"(?i)\b\d{1,2}\s*[-/.]\s*(\d{1,2}|ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)[a-z]*\s*[-/.]\s*\d{4}\b"
    r"|\b\d{1,2}\s+de\s+[a-záéíóú]+\s+de(l)?\s+\d{4}\b|\bdof\b[^;,)]*?\d{4}")


def _anios_ajenos(texto: object, ciclo: int, cog: bool = False) -> list[int]:
    """Years (1900–2099) a label mentions other than ``ciclo``.

    Not counted: dates (``27/12/1978``, ``5 de enero de 2015``, ``DOF 07-02-1984``: a law's
    publication), ranges that include the ciclo (``Plan Estatal 2022-2027``) and, with ``cog``
    (Anexo 1 labels), COG keys (``capítulo 2000``, ``2000: Materiales y suministros``).
    """
    if es_faltante(texto):
        return []
    texto = _FECHA_RE.sub(" ", str(texto))
    texto = _RANGO_RE.sub(lambda m: " " if int(m.group(1)) <= ciclo <= int(m.group(2)) else m.group(0), texto)
    if cog:
        texto = _CLAVE_COG_RE.sub(" ", texto)
    anios = {int(a) for a in _ANIO_RE.findall(texto) if int(a) != int(ciclo)}
    if cog:
        anios = {a for a in anios if str(a) not in _CAPITULOS_COG}
    return sorted(anios)


@dataclass
class Entradas:
    """The tidy frames the rules read, whatever their source.

    ``destino``, ``concurrencia``, ``indicadores`` and ``asm`` are the rows as loaded (with the
    reported subtotal/total rows and the ``fila`` column); ``origen_*`` says where they came
    from (``captura``, ``nacional``, ``srft`` or ``""`` when absent). ``anexo1`` and
    ``resumen_asm`` are the computed annex tables.
    """

    ciclo: int
    fecha_corte: dt.date
    destino: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_destino: str = ""
    srft: pd.DataFrame = field(default_factory=pd.DataFrame)
    srft_programa: pd.DataFrame = field(default_factory=pd.DataFrame)  # srft.cotejar_programas
    srft_no_validadas: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows left out for their ESTATUS
    anterior_incompleto: str = ""  # why last ciclo's inputs were not used (datos.anterior_incompleto)
    anexo1: pd.DataFrame = field(default_factory=pd.DataFrame)
    concurrencia: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_concurrencia: str = ""
    indicadores: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_indicadores: str = ""
    indicadores_previos: pd.DataFrame = field(default_factory=pd.DataFrame)
    asm: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_asm: str = ""
    resumen_asm: pd.DataFrame | None = None
    fondo: str = ""
    ficha: dict = field(default_factory=dict)
    anexo4: pd.DataFrame = field(default_factory=pd.DataFrame)
    destino_anterior: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_destino_anterior: str = ""
    asm_anterior: pd.DataFrame = field(default_factory=pd.DataFrame)
    origen_asm_anterior: str = ""
    #: the fund's federal MIR from the SRFT Indicadores export, this ciclo and the previous one
    #: (:func:`asm_analysis.entradas.srft_indicadores.a_indicadores`: ``archivo_fuente`` and ``fila`` name the row)
    indicadores_srft: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicadores_srft_previos: pd.DataFrame = field(default_factory=pd.DataFrame)

    _calculado: dict = field(default_factory=dict, repr=False)

    def _una_vez(self, clave: str, calcular: Callable[[], object]):
        """What several rules read, computed at the first and kept (the rules never modify it)."""
        if clave not in self._calculado:
            self._calculado[clave] = calcular()
        return self._calculado[clave]

    def ya_calculado(self, clave: str, valor: object) -> None:
        """Hand over what :meth:`_una_vez` would compute under ``clave``, already computed from the same
        inputs (the annexes' :class:`~asm_analysis.anexos.Intermedios`)."""
        self._calculado[clave] = valor

    def filas(self, clave: str, tabla: Callable[[], pd.DataFrame]) -> list[dict[str, object]]:
        """The rows of ``tabla()`` (column → value, the values ``iterrows`` gives), listed once per audit
        under ``clave``: several rules read the same table row by row (the rules never modify a row)."""
        return self._una_vez(f"filas {clave}", lambda: como_dicts(tabla()))

    def filas_acciones(self) -> list[dict[str, object]]:
        """The rows of :meth:`acciones`, listed once (:meth:`filas`)."""
        return self.filas("acciones", self.acciones)

    def filas_indicadores(self) -> list[dict[str, object]]:
        """The rows of ``indicadores`` as loaded, listed once (:meth:`filas`)."""
        return self.filas("indicadores", lambda: self.indicadores)

    def acciones(self) -> pd.DataFrame:
        """ASM action rows prepared as in the annexes (``id_asm``, ``ciclo_origen``, dates, avance)."""
        return self._una_vez("acciones", lambda: asm_mod.preparar(self.asm, self.ciclo))

    def resumen(self) -> pd.DataFrame:
        if self.resumen_asm is None:
            self.resumen_asm = asm_mod.por_asm(self.acciones(), self.fecha_corte)
        return self.resumen_asm

    def resumen_anterior(self) -> pd.DataFrame:
        """Last ciclo's ASM (its own Anexo 7 and follow-up) summarized as this report's, at this cut date."""
        return self._una_vez("resumen_anterior", lambda: asm_mod.por_asm(
            asm_mod.preparar(self.asm_anterior, self.ciclo - 1), self.fecha_corte))

    def partes_destino(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The captured Anexo 1: (concept rows, reported chapter subtotal rows, reported grand total
        rows). Three empty tables when Anexo 1 does not come from a capture workbook: the SRFT
        reports no subtotals to check."""
        return self._una_vez("partes_destino", lambda: _partes_destino(self.destino, self.origen_destino))

    def partes_concurrencia(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Anexo 2 as reported: (source rows, order subtotal rows, total rows); empty without Anexo 2."""
        return self._una_vez("partes_concurrencia", lambda: _partes_concurrencia(self.concurrencia))


def _montos(tabla: pd.DataFrame, columnas: list[str]) -> pd.DataFrame:
    t = tabla.copy()
    for c in columnas:
        t[c] = pd.to_numeric(t[c], errors="coerce") if c in t else np.nan
    return t


def _partes_concurrencia(t: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(source rows, reported order subtotal rows, reported total rows); three empty tables when
    there is no Anexo 2."""
    if t.empty:
        t = pd.DataFrame(columns=["orden_gobierno", "fuente", "comentarios", "fundamento_legal", "fila"])
    t = _montos(t, ["monto", "porcentaje"])
    es_total = t["orden_gobierno"].eq("TOTAL")
    sin_fuente = t["fuente"].isna() if "fuente" in t else pd.Series(True, index=t.index)
    return t[~sin_fuente & ~es_total], t[sin_fuente & ~es_total], t[es_total]


def _partes_destino(destino: pd.DataFrame, origen: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """See :meth:`Entradas.partes_destino`."""
    if origen != "captura" or destino.empty:
        t = _montos(pd.DataFrame(columns=["capitulo", "concepto", "descripcion", "fila"]), MONTOS_DESTINO)
        return t, t, t
    t = _montos(destino, MONTOS_DESTINO)
    t["capitulo"] = t["capitulo"].astype("object")
    es_total = t["capitulo"].astype(str).str.upper().eq("TOTAL")
    sin_concepto = t["concepto"].isna() if "concepto" in t else pd.Series(True, index=t.index)
    return t[~sin_concepto & ~es_total], t[sin_concepto & ~es_total], t[es_total]
