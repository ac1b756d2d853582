"""Audit of the annex figures: a rule engine that compares what was reported with what is computed.

Each rule has an id (``A1-SUBTOTAL``), a severity and the annex it reads, registered in
:data:`REGLAS`. Rules are pure functions from tidy frames (bundled in :class:`Entradas`) to
a list of :class:`Hallazgo`; both entry points build the same :class:`Entradas` and run the
same rules:

- :func:`auditar` for a report (:func:`calcular` computes the annexes and audits them);
- :func:`auditar_captura` for a capture workbook alone (``asm-analysis validate``).

Severity policy. ``error`` is reserved for figures that contradict each other or break a rule
of the data (a subtotal that does not add up, a wrong share or compliance value, an end date
before its start, a required field left empty). What the figures say about the programme
itself (an overdue ASM, a missed goal, a low execution rate) is ``advertencia`` or ``info``,
never ``error``.

Conventions of a finding: ``valor_reportado`` is what the document or source says,
``valor_calculado`` what the tool computes, ``diferencia = reportado - calculado``; amounts
in pesos, shares and compliance in percent; NaN where a value does not apply. Comparisons
use the tolerances of :class:`Tolerancias` (a difference strictly greater than the
tolerance is a finding).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from asm_analysis.anexos import asm as asm_mod
from asm_analysis.entradas import catalogos
from asm_analysis.anexos import destino as destino_mod
from asm_analysis.anexos import indicadores as ind_mod
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.tablas import ORDEN_LETRAS
from asm_analysis.comun.texto import normalizar

from asm_analysis import anexos as anexos_mod
from asm_analysis.anexos import Anexos

if TYPE_CHECKING:
    from asm_analysis.entradas.captura import Captura
    from asm_analysis.entradas.datos import DatosEstado

COLUMNAS = ["severidad", "anexo", "ubicacion", "regla", "valor_reportado", "valor_calculado", "diferencia",
            "mensaje"]
SEVERIDADES = ("error", "advertencia", "info")
ORDEN_ANEXOS = ["Anexo 1", "Anexo 2", "Anexo 3", "Anexo 4", "Anexo 5", "Anexo 6", "Anexo 7", "Seguimiento ASM"]
MONTOS = list(destino_mod.MONTOS)                      # aprobado … disponible
MOMENTOS_SRFT = ["aprobado", "modificado", "devengado", "pagado"]
_ANIO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


# --------------------------------------------------------------------------- tolerances


@dataclass(frozen=True)
class Tolerancias:
    """Tolerances of the audit; a difference strictly greater than the tolerance is a finding.

    Defaults are documented in ``data/tolerancias.json`` (the same values) and in the README.
    """

    monto: float = 1.0
    """Pesos: reported subtotal, total or ``disponible`` against the computed one; Anexo 1 against SRFT."""
    porcentaje: float = 0.05
    """Percentage points: a reported share (Anexo 2) against ``monto / total * 100``."""
    cumplimiento: float = 0.5
    """Percentage points: reported ``avance_meta_reportado`` against compliance computed by direction."""
    ejecucion_baja: float = 90.0
    """Percent: a chapter or the grand total with ``devengado / modificado`` below this is low execution."""
    valor_indicador: float = 0.01
    """Indicator units: prior-year meta/avance reported against the previous ciclo's own data."""
    variacion_anual: float = 25.0
    """Percent: a chapter's aprobado that changes more than this from the previous ciclo is flagged."""

    @classmethod
    def desde_dict(cls, valores: dict, origen: str = "tolerancias") -> "Tolerancias":
        """Build from ``{"monto": 1.0}`` or ``{"monto": {"valor": 1.0, "descripcion": ...}}``."""
        nombres = {f.name for f in fields(cls)}
        datos = {}
        for clave, valor in valores.items():
            if clave not in nombres:
                raise ErrorEntrada(f"«{clave}» no es una tolerancia conocida ({', '.join(sorted(nombres))})",
                                   archivo=origen)
            if isinstance(valor, dict):
                valor = valor.get("valor")
            if isinstance(valor, bool) or not isinstance(valor, (int, float)) or not math.isfinite(valor) \
                    or valor < 0:
                raise ErrorEntrada(f"la tolerancia «{clave}» debe ser un número mayor o igual a cero",
                                   archivo=origen)
            datos[clave] = float(valor)
        return cls(**datos)

    @classmethod
    def desde_archivo(cls, ruta: str | Path) -> "Tolerancias":
        """Read tolerances from a JSON file; keys not given keep their defaults."""
        ruta = Path(ruta)
        try:
            contenido = json.loads(ruta.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as exc:
            raise ErrorEntrada("el archivo de tolerancias no existe", archivo=str(ruta)) from exc
        except json.JSONDecodeError as exc:
            raise ErrorEntrada(f"el archivo de tolerancias no es JSON válido ({exc.msg}, línea {exc.lineno})",
                               archivo=ruta.name) from exc
        if not isinstance(contenido, dict):
            raise ErrorEntrada("el archivo de tolerancias debe ser un objeto JSON", archivo=ruta.name)
        return cls.desde_dict(contenido, ruta.name)

    @classmethod
    def documentadas(cls) -> pd.DataFrame:
        """The shipped defaults with their Spanish descriptions (``data/tolerancias.json``)."""
        with (resources.files("asm_analysis") / "data" / "tolerancias.json").open(encoding="utf-8") as f:
            contenido = json.load(f)
        return pd.DataFrame([{"tolerancia": k, "valor": v["valor"], "descripcion": v["descripcion"]}
                             for k, v in contenido.items()])


# --------------------------------------------------------------------------- rule registry

#: id → (severidad, anexo, descripción en español). The order is the documentation order.
REGLAS: dict[str, tuple[str, str, str]] = {
    "A1-SUBTOTAL": ("error", "Anexo 1",
                    "El subtotal reportado de cada capítulo es igual a la suma de sus conceptos, en cada "
                    "momento del gasto (aprobado, modificado, devengado, pagado, disponible)."),
    "A1-TOTAL": ("error", "Anexo 1",
                 "El gran total reportado es igual a la suma de todos los conceptos (la suma de los capítulos), "
                 "en cada momento del gasto."),
    "A1-MOMENTOS": ("error", "Anexo 1",
                    "En cada concepto, pagado ≤ devengado ≤ modificado cuando los importes están presentes."),
    "A1-NEGATIVO": ("error", "Anexo 1", "Ningún concepto tiene importes negativos."),
    "A1-DISPONIBLE": ("error", "Anexo 1",
                      "El disponible reportado de un concepto es igual a modificado − devengado."),
    "A1-CAPITULO": ("error", "Anexo 1",
                    "Cada concepto está en la fila del capítulo al que pertenece según el COG de CONAC."),
    "A1-ETIQUETA-ANIO": ("error", "Anexo 1",
                         "Las etiquetas de subtotales y total no mencionan un año distinto del ciclo evaluado."),
    "A1-SRFT": ("error", "Anexo 1",
                "Los totales por capítulo del Anexo 1 coinciden con lo publicado por la SHCP en el SRFT "
                "para el mismo estado, ciclo y fondo."),
    "A1-SRFT-PROGRAMA": ("error", "Anexo 1",
                         "En el SRFT, los importes de un registro de nivel programa presupuestario coinciden con la "
                         "suma de sus partidas (mismo ciclo, trimestre, estado, municipio, ciclo del recurso, "
                         "programa y ejecutora)."),
    "A1-SRFT-CORTE": ("advertencia", "Anexo 1",
                      "Corte parcial del SRFT: el último trimestre reportado no cubre todas las partidas del fondo; "
                      "las demás se toman de su último trimestre (nunca se suman trimestres)."),
    "A1-EJECUCION": ("advertencia", "Anexo 1",
                     "Ejecución baja: devengado / modificado de un capítulo o del gran total por debajo del "
                     "umbral (90 % por omisión)."),
    "A2-SUBTOTAL": ("error", "Anexo 2",
                    "El subtotal reportado de cada orden de gobierno es igual a la suma de sus fuentes."),
    "A2-TOTAL": ("error", "Anexo 2", "El total reportado es igual a la suma de todas las fuentes."),
    "A2-PORCENTAJE": ("error", "Anexo 2",
                      "Cada porcentaje reportado (fuente, subtotal o total) es igual a monto / total × 100."),
    "A2-SUMA-PORCENTAJES": ("error", "Anexo 2",
                            "Los porcentajes reportados de las fuentes suman 100 %."),
    "A2-ETIQUETA": ("advertencia", "Anexo 2",
                    "La etiqueta de un subtotal nombra el mismo orden de gobierno (y la misma letra a–d) que "
                    "la fila."),
    "A2-ETIQUETA-ANIO": ("error", "Anexo 2",
                         "Las etiquetas, fundamentos y comentarios de subtotales y total no mencionan un año "
                         "distinto del ciclo evaluado."),
    "A4-CUMPLIMIENTO": ("error", "Anexo 4",
                        "El avance con respecto a la meta reportado es igual al calculado según el sentido "
                        "(ascendente avance/meta, descendente meta/avance)."),
    "A4-CUMPLIMIENTO-SENTIDO": ("error", "Anexo 4",
                                "Cumplimiento reportado con el sentido equivocado: un indicador descendente "
                                "mostrado como meta cumplida (100 % o más) cuando no la alcanzó, o un cociente "
                                "calculado al revés."),
    "A4-CUMPLIMIENTO-TOPE": ("error", "Anexo 4",
                             "Cumplimiento topado en 100 % cuando la meta se superó."),
    "A4-META": ("advertencia", "Anexo 4",
                "Indicador sin meta o con meta cero: no se puede calcular el cumplimiento."),
    "A4-JUSTIFICACION": ("advertencia", "Anexo 4",
                         "Cumplimiento fuera de la banda verde del semáforo sin justificación."),
    "A4-ROJO": ("advertencia", "Anexo 4", "Indicador en rojo en el semáforo de cumplimiento."),
    "A4-SOBRECUMPLIMIENTO": ("info", "Anexo 4",
                             "Meta superada con holgura (sobrecumplimiento en el semáforo): conviene revisar cómo "
                             "se programó la meta."),
    "A4-ANTERIOR-COPIA": ("error", "Anexo 4",
                          "Meta y avance del ejercicio anterior idénticos a los del ejercicio evaluado "
                          "(probable copia). Un par con meta igual al avance (100 y 100) solo se señala si otro "
                          "indicador de la tabla también está copiado."),
    "A4-ANTERIOR-DIFIERE": ("error", "Anexo 4",
                            "Meta o avance del ejercicio anterior distintos de los datos propios del ciclo "
                            "anterior."),
    "ASM-AVANCE": ("error", "Seguimiento ASM", "El avance de cada acción está entre 0 y 100 %."),
    "ASM-FECHAS": ("error", "Seguimiento ASM", "La fecha de término no es anterior a la fecha de inicio."),
    "ASM-CAMPOS": ("error", "Seguimiento ASM",
                   "Campos obligatorios llenos: aspecto y área responsable en todo ASM; además tipo en los ASM "
                   "de la evaluación del ciclo (Anexo 7)."),
    "ASM-NO-ATENDIDO": ("error", "Anexo 3",
                        "Un ASM listado como no atendido no tiene avance de 100 % ni observaciones que digan "
                        "que se atendió al 100 %."),
    "ASM-ESTATUS": ("error", "Seguimiento ASM",
                    "Una acción reportada como atendida tiene avance de 100 %."),
    "ASM-INCOMPLETO": ("advertencia", "Seguimiento ASM",
                       "Datos incompletos: acción de un ASM de una evaluación anterior sin avance, o sin fecha de "
                       "término y sin concluir (no se puede juzgar su seguimiento); ASM de la evaluación del "
                       "ciclo sin nivel de prioridad (columna del Anexo 7)."),
    "ASM-VENCIDO": ("advertencia", "Seguimiento ASM",
                    "ASM vencido: fecha de término anterior a la fecha de corte y avance menor a 100 %."),
    # congruence across annexes, sources and periods (review procedure: figures agree with what was
    # reported elsewhere and before)
    "X-A2-A1": ("advertencia", "Anexo 2",
                "El monto del fondo evaluado en el Anexo 2 (concurrencia) es igual a su presupuesto modificado "
                "del Anexo 1: ambos son los recursos del fondo con que la ejecutora contó en el año (el "
                "modificado incluye las ampliaciones y reducciones que el aprobado no tiene)."),
    "X-A2-SRFT": ("advertencia", "Anexo 2",
                  "El monto del fondo evaluado en el Anexo 2 es igual a lo que el SRFT de la SHCP reporta como "
                  "recaudado (ministrado) del mismo fondo, estado y ciclo, o como modificado cuando el SRFT no "
                  "trae el ministrado. El libro de captura no tiene columna de ministrado en el Anexo 1, así que "
                  "ese momento se contrasta aquí."),
    "X-A6-A4": ("error", "Anexo 6",
                "Cada indicador citado en la ficha (campo indicadores_citados del formato CONAC) está en el "
                "Anexo 4, y el cumplimiento que se cita es el que calcula el Anexo 4."),
    "X-A1-ANUAL": ("advertencia", "Anexo 1",
                   "El aprobado de cada capítulo no cambia más que el umbral (25 % por omisión) respecto del "
                   "ciclo anterior (libro de captura o SRFT del año anterior), ni aparece o desaparece un capítulo."),
    "X-ASM-DESAPARECIDO": ("error", "Seguimiento ASM",
                           "Cada ASM del Anexo 7 del ciclo anterior que no estaba atendido aparece en el seguimiento "
                           "de este ciclo (mismo aspecto, texto normalizado con similitud ≥ 85)."),
    "X-ASM-CERRADO": ("info", "Seguimiento ASM",
                      "Un ASM del Anexo 7 del ciclo anterior que ya estaba atendido no se lista en el seguimiento "
                      "de este ciclo: conviene mostrarlo como atendido."),
}


def documentar_reglas() -> pd.DataFrame:
    """The rule list (id, severidad, anexo, descripcion) for the README and the report."""
    return pd.DataFrame([{"id": k, "severidad": s, "anexo": a, "descripcion": d}
                         for k, (s, a, d) in REGLAS.items()], columns=["id", "severidad", "anexo", "descripcion"])


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Hallazgo:
    """One finding; severity comes from :data:`REGLAS`, ``anexo`` too unless given."""

    regla: str
    ubicacion: str
    mensaje: str
    valor_reportado: float = math.nan
    valor_calculado: float = math.nan
    diferencia: float = math.nan
    fila: float = math.nan          # source row, to sort
    anexo: str | None = None

    def registro(self) -> dict:
        severidad, anexo, _ = REGLAS[self.regla]
        return {"severidad": severidad, "anexo": self.anexo or anexo, "ubicacion": self.ubicacion,
                "regla": self.regla, "valor_reportado": _flotante(self.valor_reportado),
                "valor_calculado": _flotante(self.valor_calculado), "diferencia": _flotante(self.diferencia),
                "mensaje": self.mensaje, "_fila": _flotante(self.fila)}


def _flotante(valor: object) -> float:
    try:
        v = float(valor)
    except (TypeError, ValueError):
        return math.nan
    return v


def _hallazgo(regla: str, ubicacion: str, texto: str, reportado=math.nan, calculado=math.nan,
              diferencia=math.nan, fila=math.nan, anexo: str | None = None) -> Hallazgo:
    mensaje = f"{ubicacion[:1].upper()}{ubicacion[1:]}: {texto}" if ubicacion else texto
    return Hallazgo(regla, ubicacion, mensaje, reportado, calculado, diferencia, fila, anexo)


def _tabla(hallazgos: list[Hallazgo]) -> pd.DataFrame:
    """Findings as the ``hallazgos`` table, sorted by severity, annex, source row, rule, place."""
    if not hallazgos:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("valor_reportado", "valor_calculado",
                                                                   "diferencia") else "object")
                             for c in COLUMNAS})
    t = pd.DataFrame([h.registro() for h in hallazgos])
    t["_s"] = t["severidad"].map({s: i for i, s in enumerate(SEVERIDADES)})
    t["_a"] = t["anexo"].map({a: i for i, a in enumerate(ORDEN_ANEXOS)}).fillna(len(ORDEN_ANEXOS))
    t["_f"] = t["_fila"].fillna(np.inf)
    t = t.sort_values(["_s", "_a", "anexo", "_f", "regla", "ubicacion", "mensaje"], kind="mergesort")
    t = t.drop_duplicates(subset=COLUMNAS)
    for c in ("valor_reportado", "valor_calculado", "diferencia"):
        t[c] = t[c].astype("float64")
    return t[COLUMNAS].reset_index(drop=True)


# --------------------------------------------------------------------------- helpers


def _pesos(valor: float) -> str:
    if valor is None or pd.isna(valor):
        return "sin dato"
    return f"-${abs(valor):,.2f}" if valor < 0 else f"${valor:,.2f}"


def _pct(valor: float) -> str:
    if valor is None or pd.isna(valor):
        return "sin dato"
    return f"{valor:.2f} %"


def _num(valor: float) -> str:
    if valor is None or pd.isna(valor):
        return "sin dato"
    return f"{valor:,.2f}"


def _excede(reportado: float, calculado: float, tolerancia: float) -> bool:
    """True when |reportado - calculado| is strictly above the tolerance (float noise ignored)."""
    ruido = 1e-7 + 1e-13 * max(abs(reportado), abs(calculado))  # float noise of sums, far below a cent
    return abs(reportado - calculado) - tolerancia > ruido


def _vacio(valor: object) -> bool:
    if valor is None:
        return True
    if isinstance(valor, float) and math.isnan(valor):
        return True
    if isinstance(valor, str) and valor.strip() in ("", "---", "--", "-"):
        return True
    try:
        return bool(pd.isna(valor))
    except (TypeError, ValueError):
        return False


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
    tiene_fila = not _vacio(fila)
    if origen == "captura":
        base.append(f"hoja {hoja}")
        if tiene_fila:
            base.append(f"fila {int(fila)}")
    elif origen == "nacional":
        base.append(f"CSV nacional de {hoja}")
        if tiene_fila:
            base.append(f"línea {int(fila)}")
    return ", ".join(base + [p for p in partes if p])


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
    if _vacio(texto):
        return []
    texto = _FECHA_RE.sub(" ", str(texto))
    texto = _RANGO_RE.sub(lambda m: " " if int(m.group(1)) <= ciclo <= int(m.group(2)) else m.group(0), texto)
    if cog:
        texto = _CLAVE_COG_RE.sub(" ", texto)
    anios = {int(a) for a in _ANIO_RE.findall(texto) if int(a) != int(ciclo)}
    if cog:
        anios = {a for a in anios if str(a) not in _CAPITULOS_COG}
    return sorted(anios)


# --------------------------------------------------------------------------- inputs


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

    _acciones: pd.DataFrame | None = field(default=None, repr=False)

    def acciones(self) -> pd.DataFrame:
        """ASM action rows prepared as in the annexes (``id_asm``, ``ciclo_origen``, dates, avance)."""
        if self._acciones is None:
            self._acciones = asm_mod.preparar(self.asm, self.ciclo)
        return self._acciones

    def resumen(self) -> pd.DataFrame:
        if self.resumen_asm is None:
            self.resumen_asm = asm_mod.por_asm(self.acciones(), self.fecha_corte)
        return self.resumen_asm


def _montos(tabla: pd.DataFrame, columnas: list[str]) -> pd.DataFrame:
    t = tabla.copy()
    for c in columnas:
        t[c] = pd.to_numeric(t[c], errors="coerce") if c in t else np.nan
    return t


def _partes_destino(destino: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(concept rows, reported chapter subtotal rows, reported grand total rows)."""
    t = _montos(destino, MONTOS)
    t["capitulo"] = t["capitulo"].astype("object")
    es_total = t["capitulo"].astype(str).str.upper().eq("TOTAL")
    sin_concepto = t["concepto"].isna() if "concepto" in t else pd.Series(True, index=t.index)
    return t[~sin_concepto & ~es_total], t[sin_concepto & ~es_total], t[es_total]


def _disponible_concepto(conceptos: pd.DataFrame) -> pd.Series:
    """``disponible`` as shown in the computed Anexo 1: reported, else ``modificado - devengado``."""
    return conceptos["disponible"].fillna(conceptos["modificado"] - conceptos["devengado"])


# --------------------------------------------------------------------------- Anexo 1 rules


def regla_a1_subtotal(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Each reported chapter subtotal equals the sum of the concepts listed in that chapter."""
    if e.origen_destino != "captura" or e.destino.empty:
        return []
    conceptos, subtotales, _ = _partes_destino(e.destino)
    conceptos = conceptos.assign(disponible=_disponible_concepto(conceptos))
    salida = []
    for _, r in subtotales.iterrows():
        cap = str(r["capitulo"])
        grupo = conceptos[conceptos["capitulo"].astype(str) == cap]
        for m in MONTOS:
            rep = r[m]
            if pd.isna(rep):
                continue
            calc = round(float(grupo[m].fillna(0).sum()), 2)
            if _excede(rep, calc, tol.monto):
                lugar = _lugar(e.origen_destino, "destino", r.get("fila"), f"capítulo {cap}", f"columna {m}")
                salida.append(_hallazgo(
                    "A1-SUBTOTAL", lugar,
                    f"el subtotal reportado del capítulo {cap} en {m} es {_pesos(rep)}, pero la suma de sus "
                    f"{len(grupo)} conceptos da {_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                    rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a1_total(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """The reported grand total equals the sum of every concept (i.e. of the computed chapters)."""
    if e.origen_destino != "captura" or e.destino.empty:
        return []
    conceptos, _, totales = _partes_destino(e.destino)
    conceptos = conceptos.assign(disponible=_disponible_concepto(conceptos))
    salida = []
    for _, r in totales.iterrows():
        for m in MONTOS:
            rep = r[m]
            if pd.isna(rep):
                continue
            calc = round(float(conceptos[m].fillna(0).sum()), 2)
            if _excede(rep, calc, tol.monto):
                lugar = _lugar(e.origen_destino, "destino", r.get("fila"), "gran total", f"columna {m}")
                salida.append(_hallazgo(
                    "A1-TOTAL", lugar,
                    f"el gran total reportado en {m} es {_pesos(rep)}, pero la suma de los conceptos de todos "
                    f"los capítulos da {_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                    rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


def _conceptos_auditables(e: Entradas) -> tuple[pd.DataFrame, str]:
    """Concept rows of Anexo 1 as they come from the source: captured rows or SRFT concepts."""
    if e.origen_destino == "captura" and not e.destino.empty:
        return _partes_destino(e.destino)[0], "captura"
    if e.origen_destino == "srft" and not e.srft.empty:
        det = destino_mod.detalle_desde_srft(e.srft).assign(fila=np.nan)
        return _montos(det, MONTOS), "srft"
    return pd.DataFrame(), ""


def regla_a1_momentos(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """pagado ≤ devengado ≤ modificado in every concept (pairs where both amounts are present)."""
    conceptos, origen = _conceptos_auditables(e)
    salida = []
    for _, r in conceptos.iterrows():
        pares = [("devengado", "modificado"), ("pagado", "devengado")]
        if pd.isna(r["devengado"]):
            pares = [("pagado", "modificado")]
        for mayor, tope in pares:
            v, t = r[mayor], r[tope]
            if pd.isna(v) or pd.isna(t) or not (v - t > tol.monto and _excede(v, t, tol.monto)):
                continue
            lugar = _lugar(origen, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                           f"concepto {r['concepto']}", f"columna {mayor}")
            salida.append(_hallazgo(
                "A1-MOMENTOS", lugar,
                f"el {mayor} ({_pesos(v)}) es mayor que el {tope} ({_pesos(t)}) del mismo concepto; "
                f"diferencia {_pesos(round(v - t, 2))}. Debe cumplirse pagado ≤ devengado ≤ modificado.",
                v, t, round(v - t, 2), r.get("fila")))
    return salida


def regla_a1_negativo(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """No concept has a negative amount in any moment."""
    conceptos, origen = _conceptos_auditables(e)
    salida = []
    for _, r in conceptos.iterrows():
        for m in MONTOS:
            v = r[m]
            if pd.notna(v) and v < -0.005:
                lugar = _lugar(origen, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                               f"concepto {r['concepto']}", f"columna {m}")
                salida.append(_hallazgo(
                    "A1-NEGATIVO", lugar, f"el importe de {m} es negativo ({_pesos(v)}).",
                    v, math.nan, math.nan, r.get("fila")))
    return salida


def regla_a1_disponible(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """A reported ``disponible`` of a concept equals ``modificado - devengado``."""
    if e.origen_destino != "captura" or e.destino.empty:
        return []
    conceptos = _partes_destino(e.destino)[0]
    salida = []
    for _, r in conceptos.iterrows():
        rep, mod, dev = r["disponible"], r["modificado"], r["devengado"]
        if pd.isna(rep) or pd.isna(mod) or pd.isna(dev):
            continue
        calc = round(mod - dev, 2)
        if _excede(rep, calc, tol.monto):
            lugar = _lugar(e.origen_destino, "destino", r.get("fila"), f"capítulo {r['capitulo']}",
                           f"concepto {r['concepto']}", "columna disponible")
            salida.append(_hallazgo(
                "A1-DISPONIBLE", lugar,
                f"el disponible reportado es {_pesos(rep)}, pero modificado − devengado = {_pesos(mod)} − "
                f"{_pesos(dev)} = {_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a1_capitulo(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Concepts typed in a chapter row they do not belong to (COG roll-up)."""
    if e.origen_destino != "captura" or e.destino.empty:
        return []
    conceptos = _partes_destino(e.destino)[0]
    salida = []
    for _, r in conceptos.iterrows():
        try:
            correcto = catalogos.capitulo_de(r["concepto"])
        except ErrorEntrada:
            continue
        if _vacio(r["capitulo"]) or str(r["capitulo"]) == correcto:
            continue
        lugar = _lugar(e.origen_destino, "destino", r.get("fila"), f"concepto {r['concepto']}", "columna capitulo")
        salida.append(_hallazgo(
            "A1-CAPITULO", lugar,
            f"el concepto {r['concepto']} ({catalogos.nombre_concepto(r['concepto'])}) pertenece al capítulo "
            f"{correcto}, no al capítulo {r['capitulo']} que indica la fila; se suma en el capítulo {correcto} "
            "del Anexo 1 calculado.",
            _num_o_nan(r["capitulo"]), float(correcto), _num_o_nan(r["capitulo"]) - float(correcto),
            r.get("fila")))
    return salida


def regla_a1_etiqueta_anio(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Labels of reported subtotal/total rows that name a year other than the ciclo."""
    if e.origen_destino != "captura" or e.destino.empty or "descripcion" not in e.destino:
        return []
    _, subtotales, totales = _partes_destino(e.destino)
    salida = []
    for _, r in pd.concat([subtotales, totales]).iterrows():
        anios = _anios_ajenos(r["descripcion"], e.ciclo, cog=True)
        if anios:
            cap = "gran total" if str(r["capitulo"]).upper() == "TOTAL" else f"subtotal capítulo {r['capitulo']}"
            lugar = _lugar(e.origen_destino, "destino", r.get("fila"), cap, "columna descripcion")
            salida.append(_hallazgo(
                "A1-ETIQUETA-ANIO", lugar,
                f"la etiqueta «{r['descripcion']}» menciona {', '.join(map(str, anios))}, pero el ciclo "
                f"evaluado es {e.ciclo}.", anios[0], e.ciclo, anios[0] - e.ciclo, r.get("fila")))
    return salida


def regla_a1_srft(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Chapter totals of the captured Anexo 1 against the SRFT of the same (estado, ciclo, fondo)."""
    if e.origen_destino != "captura" or e.destino.empty or e.srft.empty:
        return []
    conceptos = _partes_destino(e.destino)[0]
    if conceptos.empty:
        return []
    conceptos = conceptos.assign(_cap=conceptos["concepto"].map(catalogos.capitulo_de))
    reportado = conceptos.groupby("_cap")[MOMENTOS_SRFT].sum(min_count=1)
    shcp = _montos(e.srft, MOMENTOS_SRFT).groupby("capitulo")[MOMENTOS_SRFT].sum(min_count=1)
    salida = []
    for cap in sorted(set(reportado.index) | set(shcp.index)):
        for m in MOMENTOS_SRFT:
            rep = reportado[m].get(cap, 0.0) if cap in reportado.index else 0.0
            calc = shcp[m].get(cap, 0.0) if cap in shcp.index else 0.0
            if pd.isna(rep) or pd.isna(calc):
                continue
            rep, calc = round(float(rep), 2), round(float(calc), 2)
            if _excede(rep, calc, tol.monto):
                salida.append(_hallazgo(
                    "A1-SRFT", f"capítulo {cap}, columna {m}",
                    f"el Anexo 1 suma {_pesos(rep)} en {m} para el capítulo {cap}, y el SRFT de la SHCP "
                    f"publica {_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                    rep, calc, round(rep - calc, 2), math.nan))
    return salida


def regla_a1_srft_programa(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Amounts of an SRFT programme-level row against the sum of its partidas (same key)."""
    t = e.srft_programa
    if t is None or t.empty:
        return []
    salida = []
    for _, r in t.iterrows():
        rep, calc = round(float(r["reportado"]), 2), round(float(r["calculado"]), 2)
        if not _excede(rep, calc, tol.monto):
            continue
        quien = "estatal" if int(r["id_municipio"]) == 0 else f"municipio {r.get('municipio') or r['id_municipio']}"
        lugar = (f"SRFT, registro de nivel programa (línea {int(r['fila'])}), {r['modalidad_pp']}, trimestre "
                 f"{int(r['trimestre'])}, {quien}, columna {r['momento']}")
        salida.append(_hallazgo(
            "A1-SRFT-PROGRAMA", lugar,
            f"el registro del programa reporta {_pesos(rep)} en {r['momento']}, pero sus {int(r['partidas'])} "
            f"partida(s) suman {_pesos(calc)} (ejecutora «{r['ejecutora']}», ciclo del recurso "
            f"{int(r['ciclo_recurso'])}); diferencia {_pesos(round(rep - calc, 2))}. El Anexo 1 se calcula con "
            "las partidas.", rep, calc, round(rep - calc, 2), r["fila"]))
    return salida


def regla_a1_srft_corte(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """A partial last SRFT quarter: some partidas come from an earlier cut (said, with the amounts)."""
    from asm_analysis.entradas import srft as srft_mod

    if e.srft is None or e.srft.empty or "trimestre" not in e.srft:
        return []
    cortes = srft_mod.resumen_cortes(e.srft)
    if len(cortes) < 2:
        return []
    ultimo, anteriores = cortes.iloc[0], cortes.iloc[1:]
    total = int(cortes["partidas"].sum())
    previas = int(anteriores["partidas"].sum())
    de_cada = ", ".join(f"{int(a.partidas)} del trimestre {int(a.trimestre)}" for a in anteriores.itertuples())
    origen = (f"del trimestre {int(anteriores['trimestre'].iloc[0])}" if len(anteriores) == 1
              else f"de trimestres anteriores ({de_cada})")
    conceptos = "; ".join(f"trimestre {int(c.trimestre)}: {', '.join(c.conceptos)}" for c in cortes.itertuples())
    devengado, modificado = float(anteriores["devengado"].sum()), float(anteriores["modificado"].sum())
    return [_hallazgo(
        "A1-SRFT-CORTE", f"SRFT, trimestre {int(ultimo['trimestre'])}",
        f"el trimestre {int(ultimo['trimestre'])} solo reporta {int(ultimo['partidas'])} de {total} partidas; "
        f"{previas} se tomaron {origen}, con {_pesos(modificado)} de modificado y {_pesos(devengado)} de "
        f"devengado en el Anexo 1 (conceptos por corte: {conceptos}). Los trimestres no se suman; confirme con "
        "la SHCP o la ejecutora si el último corte está incompleto.",
        float(ultimo["partidas"]), float(total), float(ultimo["partidas"] - total))]


def regla_a1_ejecucion(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Chapters and grand total whose devengado / modificado is below the low-execution threshold."""
    if e.anexo1 is None or e.anexo1.empty:
        return []
    salida = []
    filas = e.anexo1[e.anexo1["tipo_fila"].isin(["subtotal", "total"])]
    for _, r in filas.iterrows():
        mod, dev = r["modificado"], r["devengado"]
        if pd.isna(mod) or mod <= 0 or pd.isna(dev):
            continue
        pct = round(dev / mod * 100, 2)
        if pct < tol.ejecucion_baja:
            nombre = "gran total" if r["tipo_fila"] == "total" else f"capítulo {r['capitulo']}"
            salida.append(_hallazgo(
                "A1-EJECUCION", f"{nombre}, columna devengado",
                f"se devengó {_pct(pct)} del modificado ({_pesos(dev)} de {_pesos(mod)}), por debajo del "
                f"{_pct(tol.ejecucion_baja)}; sin devengar {_pesos(round(mod - dev, 2))}.",
                math.nan, pct, math.nan, math.nan))
    return salida


# --------------------------------------------------------------------------- Anexo 2 rules


def _partes_concurrencia(t: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(source rows, reported order subtotal rows, reported total rows)."""
    t = _montos(t, ["monto", "porcentaje"])
    es_total = t["orden_gobierno"].eq("TOTAL")
    sin_fuente = t["fuente"].isna() if "fuente" in t else pd.Series(True, index=t.index)
    return t[~sin_fuente & ~es_total], t[sin_fuente & ~es_total], t[es_total]


def regla_a2_subtotal(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Each reported order subtotal equals the sum of its sources."""
    if e.concurrencia.empty:
        return []
    fuentes, subtotales, _ = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in subtotales.iterrows():
        rep = r["monto"]
        if pd.isna(rep):
            continue
        grupo = fuentes[fuentes["orden_gobierno"] == r["orden_gobierno"]]
        calc = round(float(grupo["monto"].fillna(0).sum()), 2)
        if _excede(rep, calc, tol.monto):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"),
                           f"subtotal {r['orden_gobierno']}", "columna monto")
            salida.append(_hallazgo(
                "A2-SUBTOTAL", lugar,
                f"el subtotal reportado del orden {r['orden_gobierno']} es {_pesos(rep)}, pero "
                + ("su única fuente da " if len(grupo) == 1 else f"la suma de sus {len(grupo)} fuentes da ")
                + f"{_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a2_total(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """The reported total equals the sum of every source."""
    if e.concurrencia.empty:
        return []
    fuentes, _, totales = _partes_concurrencia(e.concurrencia)
    calc = round(float(fuentes["monto"].fillna(0).sum()), 2)
    salida = []
    for _, r in totales.iterrows():
        rep = r["monto"]
        if pd.notna(rep) and _excede(rep, calc, tol.monto):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), "total", "columna monto")
            salida.append(_hallazgo(
                "A2-TOTAL", lugar,
                f"el total reportado es {_pesos(rep)}, pero "
                + ("su única fuente da " if len(fuentes) == 1 else f"la suma de las {len(fuentes)} fuentes da ")
                + f"{_pesos(calc)}; diferencia {_pesos(round(rep - calc, 2))}.",
                rep, calc, round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a2_porcentaje(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Each reported share equals its computed amount / computed total × 100."""
    if e.concurrencia.empty:
        return []
    fuentes, subtotales, totales = _partes_concurrencia(e.concurrencia)
    total = float(fuentes["monto"].fillna(0).sum())
    if total <= 0:
        return []
    salida = []
    filas = [(r, r["monto"], f"fuente «{r['fuente']}»") for _, r in fuentes.iterrows()]
    for _, r in subtotales.iterrows():
        monto = float(fuentes.loc[fuentes["orden_gobierno"] == r["orden_gobierno"], "monto"].fillna(0).sum())
        filas.append((r, monto, f"subtotal {r['orden_gobierno']}"))
    filas += [(r, total, "total") for _, r in totales.iterrows()]
    for r, monto, nombre in filas:
        rep = r["porcentaje"]
        if pd.isna(rep) or pd.isna(monto):
            continue
        calc = monto / total * 100
        if _excede(rep, calc, tol.porcentaje):
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, "columna porcentaje")
            salida.append(_hallazgo(
                "A2-PORCENTAJE", lugar,
                f"el porcentaje reportado es {_pct(rep)}, pero {_pesos(monto)} de un total de {_pesos(total)} "
                f"es {_pct(calc)}; diferencia {round(rep - calc, 2):.2f} puntos.",
                rep, round(calc, 2), round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a2_suma_porcentajes(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Reported shares of the sources add up to 100 % (when every source has one).

    The tolerance is the share tolerance or half a hundredth per source (rounding of each
    share to two decimals), whichever is larger.
    """
    if e.concurrencia.empty:
        return []
    fuentes = _partes_concurrencia(e.concurrencia)[0]
    if fuentes.empty or fuentes["porcentaje"].isna().any():
        return []
    suma = round(float(fuentes["porcentaje"].sum()), 4)
    limite = max(tol.porcentaje, 0.005 * len(fuentes))
    if not _excede(suma, 100.0, limite):
        return []
    lugar = _lugar(e.origen_concurrencia, "concurrencia", None, "fuentes de financiamiento", "columna porcentaje")
    return [_hallazgo("A2-SUMA-PORCENTAJES", lugar,
                      (f"el porcentaje de la única fuente es {_pct(suma)}, no 100 %; diferencia " if len(fuentes) == 1 else
                       f"los porcentajes de las {len(fuentes)} fuentes suman {_pct(suma)}, no 100 %; diferencia ")
                      + f"{round(suma - 100, 2):.2f} puntos.", suma, 100.0, round(suma - 100, 2),
                      float(fuentes["fila"].min()) if "fila" in fuentes else math.nan)]


_PATRONES_ORDEN = [
    (re.compile(r"\b(ingresos? propios?|propios?)\b"), "Ingresos propios"),
    (re.compile(r"\botros?\b"), "Otros"),
    (re.compile(r"\bfederal(es)?\b"), "Federal"),
    (re.compile(r"\bestatal(es)?\b"), "Estatal"),
]


def _orden_nombrado(etiqueta: str) -> tuple[str | None, str | None]:
    """Order of government and subtotal letter a label names (``Subtotal Estatal (c)``)."""
    norm = normalizar(etiqueta)
    orden = next((o for patron, o in _PATRONES_ORDEN if patron.search(norm)), None)
    letra = re.search(r"\(\s*([a-dA-D])\s*\)", str(etiqueta))
    return orden, letra.group(1).lower() if letra else None


def regla_a2_etiqueta(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """A reported subtotal whose label names another order (or another letter) than its row."""
    if e.concurrencia.empty:
        return []
    _, subtotales, _ = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in subtotales.iterrows():
        orden = r["orden_gobierno"]
        if orden not in ORDEN_LETRAS:
            continue
        for col in ("comentarios", "fundamento_legal"):
            etiqueta = r.get(col)
            if _vacio(etiqueta) or "subtotal" not in normalizar(etiqueta):
                continue
            nombrado, letra = _orden_nombrado(etiqueta)
            if nombrado is not None and nombrado != orden:
                motivo = f"nombra el orden {nombrado}"
            elif letra is not None and letra != ORDEN_LETRAS[orden]:
                motivo = f"usa la letra ({letra}), que corresponde a otro orden"
            else:
                continue
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"subtotal {orden}", f"columna {col}")
            salida.append(_hallazgo(
                "A2-ETIQUETA", lugar,
                f"la etiqueta «{etiqueta}» {motivo}, pero la fila es el subtotal de {orden} "
                f"({ORDEN_LETRAS[orden]}).", math.nan, math.nan, math.nan, r.get("fila")))
    return salida


def regla_a2_etiqueta_anio(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Labels, legal bases and comments of subtotal/total rows naming a year other than the ciclo."""
    if e.concurrencia.empty:
        return []
    _, subtotales, totales = _partes_concurrencia(e.concurrencia)
    salida = []
    for _, r in pd.concat([subtotales, totales]).iterrows():
        nombre = "total" if r["orden_gobierno"] == "TOTAL" else f"subtotal {r['orden_gobierno']}"
        for col in ("comentarios", "fundamento_legal"):
            anios = _anios_ajenos(r.get(col), e.ciclo)
            if not anios:
                continue
            lugar = _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), nombre, f"columna {col}")
            salida.append(_hallazgo(
                "A2-ETIQUETA-ANIO", lugar,
                f"el texto «{r[col]}» menciona {', '.join(map(str, anios))}, pero el ciclo evaluado es "
                f"{e.ciclo}.", anios[0], e.ciclo, anios[0] - e.ciclo, r.get("fila")))
    return salida


# --------------------------------------------------------------------------- Anexo 4 rules


def _cumplimiento(meta: object, avance: object, sentido: object) -> float:
    """Compliance by direction; NaN when it cannot be computed (meta missing or zero)."""
    meta, avance = _num_o_nan(meta), _num_o_nan(avance)
    if math.isnan(meta) or meta == 0 or math.isnan(avance):
        return math.nan
    valor, _ = ind_mod.cumplimiento(meta, avance, sentido if isinstance(sentido, str) else None)
    return valor


def _opuesto(meta: float, avance: float, sentido: str) -> float:
    contrario = {"Ascendente": "Descendente", "Descendente": "Ascendente"}.get(sentido)
    return _cumplimiento(meta, avance, contrario) if contrario else math.nan


def _nombre_indicador(r: pd.Series) -> str:
    return f"indicador «{r.get('indicador') if not _vacio(r.get('indicador')) else 'sin nombre'}»"


def _clasificar_cumplimiento(reportado: float, calculado: float, meta: float, avance: float,
                             sentido: str, tol: float) -> str | None:
    """Which compliance rule a reported value breaks, or None when it agrees."""
    if not _excede(reportado, calculado, tol):
        return None
    opuesto = _opuesto(meta, avance, sentido)
    if not math.isnan(opuesto) and not _excede(reportado, opuesto, tol):
        return "A4-CUMPLIMIENTO-SENTIDO"
    if sentido == "Descendente" and calculado < 100 - tol and reportado >= 100 - tol:
        return "A4-CUMPLIMIENTO-SENTIDO"
    if calculado > 100 + tol and not _excede(reportado, 100.0, tol):
        return "A4-CUMPLIMIENTO-TOPE"
    return "A4-CUMPLIMIENTO"


_TEXTO_CUMPLIMIENTO = {
    "A4-CUMPLIMIENTO": "no coincide con el calculado",
    "A4-CUMPLIMIENTO-SENTIDO": "no corresponde al sentido del indicador",
    "A4-CUMPLIMIENTO-TOPE": "está topado en 100 % aunque la meta se superó",
}


def regla_a4_cumplimiento(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Reported compliance (this year and prior year) against the value computed by direction.

    Classified as ``A4-CUMPLIMIENTO-SENTIDO`` (a descending indicator shown as met, or the
    opposite quotient), ``A4-CUMPLIMIENTO-TOPE`` (capped at 100 % when exceeded) or
    ``A4-CUMPLIMIENTO`` (any other difference).
    """
    if e.indicadores.empty:
        return []
    salida = []
    columnas = [("meta", "avance", "avance_meta_reportado", "del ejercicio evaluado"),
                ("meta_anterior", "avance_anterior", "avance_meta_anterior_reportado", "del ejercicio anterior")]
    for _, r in e.indicadores.iterrows():
        sentido = r.get("sentido")
        for c_meta, c_avance, c_rep, cuando in columnas:
            rep = _num_o_nan(r.get(c_rep))
            meta, avance = _num_o_nan(r.get(c_meta)), _num_o_nan(r.get(c_avance))
            calc = _cumplimiento(meta, avance, sentido)
            if math.isnan(rep) or math.isnan(calc):
                continue
            regla = _clasificar_cumplimiento(rep, calc, meta, avance, sentido, tol.cumplimiento)
            if regla is None:
                continue
            formula = "avance / meta" if sentido == "Ascendente" else "meta / avance"
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                           f"columna {c_rep}")
            salida.append(_hallazgo(
                regla, lugar,
                f"el avance con respecto a la meta {cuando} reportado ({_pct(rep)}) {_TEXTO_CUMPLIMIENTO[regla]}: "
                f"indicador {str(sentido).lower()}, {formula} con meta {_num(meta)} y avance {_num(avance)} da "
                f"{_pct(calc)}; diferencia {round(rep - calc, 2):.2f} puntos.",
                rep, round(calc, 2), round(rep - calc, 2), r.get("fila")))
    return salida


def regla_a4_meta(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Indicators with no goal or a zero goal: compliance cannot be computed."""
    salida = []
    for _, r in e.indicadores.iterrows():
        meta = _num_o_nan(r.get("meta"))
        if math.isnan(meta) or meta == 0:
            que = "no tiene meta" if math.isnan(meta) else "tiene meta cero"
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), "columna meta")
            salida.append(_hallazgo(
                "A4-META", lugar, f"el indicador {que}: no se puede calcular su cumplimiento.",
                meta, math.nan, math.nan, r.get("fila")))
    return salida


def _semaforo(r: pd.Series) -> tuple[float, str | None]:
    calc = _cumplimiento(r.get("meta"), r.get("avance"), r.get("sentido"))
    umbrales = [_num_o_nan(r.get(c)) for c in ("umbral_verde", "umbral_amarillo", "umbral_sobrecumplimiento")]
    return calc, ind_mod.semaforo(calc, *[None if math.isnan(u) else u for u in umbrales])


def regla_a4_justificacion(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Compliance outside the green band (red, yellow or over-achievement) with no justification."""
    salida = []
    for _, r in e.indicadores.iterrows():
        calc, color = _semaforo(r)
        if color in (None, "Verde") or not _vacio(r.get("justificacion")):
            continue
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                       "columna justificacion")
        salida.append(_hallazgo(
            "A4-JUSTIFICACION", lugar,
            f"el cumplimiento de {_pct(calc)} queda en {color.lower()} en el semáforo y no se justifica la "
            "desviación respecto de la meta.", math.nan, round(calc, 2), math.nan, r.get("fila")))
    return salida


def _indicadores_en_banda(e: Entradas, banda: str, regla: str, columna: str, conclusion: str) -> list[Hallazgo]:
    """One finding per indicator whose computed compliance falls in ``banda`` of the semáforo."""
    salida = []
    for _, r in e.indicadores.iterrows():
        calc, color = _semaforo(r)
        if color != banda:
            continue
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), columna)
        salida.append(_hallazgo(
            regla, lugar,
            f"el cumplimiento de {_pct(calc)} (meta {_num(_num_o_nan(r.get('meta')))}, avance "
            f"{_num(_num_o_nan(r.get('avance')))}) {conclusion}",
            math.nan, round(calc, 2), math.nan, r.get("fila")))
    return salida


def regla_a4_rojo(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Indicators in red: the goal was missed by a wide margin."""
    return _indicadores_en_banda(e, "Rojo", "A4-ROJO", "columna avance", "está en rojo en el semáforo.")


def regla_a4_sobrecumplimiento(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Indicators above the green band: the goal may have been set too low."""
    return _indicadores_en_banda(e, "Sobrecumplimiento", "A4-SOBRECUMPLIMIENTO", "columna meta",
                                 "supera la banda verde; conviene revisar la programación de la meta.")


def _igual(a: float, b: float) -> bool:
    return not math.isnan(a) and not math.isnan(b) and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def regla_a4_anterior_copia(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Prior-year meta and avance identical to this year's: a likely copy of the current columns.

    A pair with meta equal to avance (e.g. 100 and 100) can repeat by chance, so it is only
    flagged when another indicator of the same table is also copied.
    """
    copias = []
    for _, r in e.indicadores.iterrows():
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        meta_a, avance_a = _num_o_nan(r.get("meta_anterior")), _num_o_nan(r.get("avance_anterior"))
        if _igual(meta, meta_a) and _igual(avance, avance_a):
            copias.append((r, _igual(meta, avance)))
    if not any(not degenerada for _, degenerada in copias):
        return []
    salida = []
    for r, _ in copias:
        lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r),
                       "columnas meta_anterior y avance_anterior")
        meta, avance = _num_o_nan(r.get("meta")), _num_o_nan(r.get("avance"))
        salida.append(_hallazgo(
            "A4-ANTERIOR-COPIA", lugar,
            f"la meta ({_num(meta)}) y el avance ({_num(avance)}) del ejercicio anterior son idénticos a los "
            f"del ejercicio {e.ciclo}; probablemente se copiaron las columnas del año evaluado.",
            _num_o_nan(r.get("avance_anterior")), avance, 0.0, r.get("fila")))
    return salida


def regla_a4_anterior_difiere(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Prior-year values on the row against the previous ciclo's own data (same MIR and indicator)."""
    if e.indicadores.empty or e.indicadores_previos is None or e.indicadores_previos.empty:
        return []
    prev = e.indicadores_previos.assign(_k=e.indicadores_previos["indicador"].map(normalizar))
    prev = prev.drop_duplicates(["mir", "_k"]).set_index(["mir", "_k"])
    salida = []
    for _, r in e.indicadores.iterrows():
        clave = (r.get("mir"), normalizar(r.get("indicador")))
        if clave not in prev.index:
            continue
        for col, col_prev in (("meta_anterior", "meta"), ("avance_anterior", "avance")):
            rep, calc = _num_o_nan(r.get(col)), _num_o_nan(prev.at[clave, col_prev])
            if math.isnan(rep) or math.isnan(calc) or not _excede(rep, calc, tol.valor_indicador):
                continue
            lugar = _lugar(e.origen_indicadores, "indicadores", r.get("fila"), _nombre_indicador(r), f"columna {col}")
            salida.append(_hallazgo(
                "A4-ANTERIOR-DIFIERE", lugar,
                f"el valor reportado para {e.ciclo - 1} es {_num(rep)}, pero los datos del ciclo {e.ciclo - 1} "
                f"registran {col_prev} {_num(calc)}; diferencia {_num(round(rep - calc, 4))}.",
                rep, calc, round(rep - calc, 4), r.get("fila")))
    return salida


# --------------------------------------------------------------------------- ASM rules


def _lugar_asm(e: Entradas, r: pd.Series, *columnas: str) -> str:
    ident = f"ASM {r.get('numero')} ({r.get('evaluacion_origen')})"
    nombre = "columnas " + " y ".join([", ".join(columnas[:-1]), columnas[-1]] if len(columnas) > 1 else columnas) \
        if len(columnas) > 1 else f"columna {columnas[0]}"
    return _lugar(e.origen_asm, "asm", r.get("fila"), ident, nombre)


def regla_asm_avance(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Action progress outside 0–100 %."""
    if e.asm.empty:
        return []
    salida = []
    for _, r in e.acciones().iterrows():
        v = r["avance"]
        if pd.isna(v) or 0 <= v <= 100:
            continue
        limite = 100.0 if v > 100 else 0.0
        salida.append(_hallazgo(
            "ASM-AVANCE", _lugar_asm(e, r, "avance"),
            f"el avance reportado es {_pct(v)}, fuera del rango de 0 a 100 %.",
            v, limite, v - limite, r.get("fila")))
    return salida


def regla_asm_fechas(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """An action whose end date is before its start date."""
    if e.asm.empty:
        return []
    salida = []
    for _, r in e.acciones().iterrows():
        ini, fin = r["fecha_inicio"], r["fecha_termino"]
        if _vacio(ini) or _vacio(fin) or not fin < ini:
            continue
        salida.append(_hallazgo(
            "ASM-FECHAS", _lugar_asm(e, r, "fecha_termino"),
            f"la fecha de término ({fin:%d/%m/%Y}) es anterior a la fecha de inicio ({ini:%d/%m/%Y}) por "
            f"{(ini - fin).days} días.", math.nan, math.nan, float((fin - ini).days), r.get("fila")))
    return salida


def regla_asm_campos(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Required fields left empty: aspecto and area_responsable always; tipo for the ASM of the
    evaluated ciclo (a column of Anexo 7)."""
    if e.asm.empty:
        return []
    salida = []
    for _, r in e.acciones().iterrows():
        requeridos = ["aspecto", "area_responsable"]
        if r.get("ciclo_origen") == e.ciclo:
            requeridos.append("tipo")
        faltan = [c for c in requeridos if _vacio(r.get(c))]
        if faltan:
            salida.append(_hallazgo(
                "ASM-CAMPOS", _lugar_asm(e, r, *faltan),
                f"falta{'n' if len(faltan) > 1 else ''} {', '.join(faltan)}, obligatorio"
                f"{'s' if len(faltan) > 1 else ''} en los anexos de ASM.", fila=r.get("fila")))
    return salida


def _dice_atendido_100(texto: object) -> bool:
    norm = normalizar(texto)
    return bool(re.search(r"\b100\b", norm)) and bool(re.search(r"(?<!\bno )\batendid", norm))


def regla_asm_no_atendido(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """An item listed as not attended whose progress (100) or observations say it was attended."""
    if e.asm.empty:
        return []
    salida = []
    for _, r in e.acciones().iterrows():
        if not normalizar(r.get("estatus_reportado")).startswith("no atendid"):
            continue
        avance = r["avance"]
        if pd.notna(avance) and avance >= 100:
            motivo, columna = f"su avance es {_pct(avance)}", "avance"
        elif _dice_atendido_100(r.get("observaciones")):
            motivo, columna = f"sus observaciones dicen «{r['observaciones']}»", "observaciones"
        else:
            continue
        salida.append(_hallazgo(
            "ASM-NO-ATENDIDO", _lugar_asm(e, r, "estatus_reportado", columna),
            f"el ASM se lista como «{r['estatus_reportado']}», pero {motivo}: no debería estar en la tabla de "
            "ASM no atendidos.", avance, 100.0, avance - 100 if pd.notna(avance) else math.nan, r.get("fila")))
    return salida


def regla_asm_estatus(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """An action reported as attended with progress below 100 %."""
    if e.asm.empty:
        return []
    salida = []
    for _, r in e.acciones().iterrows():
        estatus = normalizar(r.get("estatus_reportado"))
        avance = r["avance"]
        if not estatus.startswith("atendid") or pd.isna(avance) or avance >= 100:
            continue
        salida.append(_hallazgo(
            "ASM-ESTATUS", _lugar_asm(e, r, "estatus_reportado", "avance"),
            f"la acción se reporta como «{r['estatus_reportado']}», pero su avance es {_pct(avance)} "
            "(atendido = 100 %).", avance, 100.0, avance - 100, r.get("fila")))
    return salida


def regla_asm_incompleto(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Incomplete ASM data: actions of earlier evaluations whose follow-up cannot be judged (no
    progress, or not finished and no end date); ASM of the evaluated ciclo with no prioridad
    (reported once per ASM, at its first row)."""
    if e.asm.empty:
        return []
    acciones = e.acciones()
    salida = []
    for _, r in acciones.iterrows():
        if not r.get("ciclo_origen") < e.ciclo:
            continue
        faltan = ["avance"] if _vacio(r.get("avance")) else []
        if _vacio(r.get("fecha_termino")) and (faltan or r["avance"] < 100):
            faltan.insert(0, "fecha_termino")
        if faltan:
            salida.append(_hallazgo(
                "ASM-INCOMPLETO", _lugar_asm(e, r, *faltan),
                f"sin {' ni '.join(faltan)}: no se puede juzgar el seguimiento de este ASM de "
                f"{r.get('evaluacion_origen')}.", fila=r.get("fila")))
    actuales = acciones[acciones["ciclo_origen"] == e.ciclo]
    for _, grupo in actuales.groupby("id_asm", sort=False):
        if grupo["prioridad"].map(_vacio).all():
            r = grupo.iloc[0]
            salida.append(_hallazgo(
                "ASM-INCOMPLETO", _lugar_asm(e, r, "prioridad"),
                "el ASM no tiene nivel de prioridad (Alta, Media o Baja), que pide el Anexo 7.", fila=r.get("fila")))
    return salida


def regla_asm_vencido(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """ASM overdue at the cut date (end date passed, average progress below 100 %)."""
    if e.asm.empty:
        return []
    resumen = e.resumen()
    if resumen.empty:
        return []
    acciones = e.acciones()
    primera_fila = acciones.groupby("id_asm")["fila"].min() if "fila" in acciones else pd.Series(dtype=float)
    salida = []
    for _, r in resumen[resumen["estatus"] == "Vencido"].iterrows():
        fila = primera_fila.get(r["id_asm"], math.nan)
        lugar = _lugar(e.origen_asm, "asm", fila, f"ASM {r['numero']} ({r['evaluacion_origen']})",
                       "columna fecha_termino")
        salida.append(_hallazgo(
            "ASM-VENCIDO", lugar,
            f"venció el {r['fecha_termino']:%d/%m/%Y} con avance promedio de {_pct(r['avance_promedio_asm'])}; "
            f"{int(r['dias_vencido'])} días vencido al corte del {e.fecha_corte:%d/%m/%Y}.",
            r["avance_promedio_asm"], math.nan, math.nan, fila))
    return salida

# --------------------------------------------------------------------------- congruence across annexes,
# sources and periods


def _fila_del_fondo(e: Entradas) -> pd.Series | None:
    """The Anexo 2 source row of the evaluated fund itself (``FASSA``, ``IMSS BIENESTAR``…), if any."""
    if e.concurrencia.empty or not e.fondo or "fuente" not in e.concurrencia:
        return None
    fuentes = _partes_concurrencia(e.concurrencia)[0]
    for _, r in fuentes.iterrows():
        if _vacio(r.get("fuente")) or pd.isna(r.get("monto")):
            continue
        try:
            if catalogos.resolver_fondo(str(r["fuente"])).clave == e.fondo:
                return r
        except ErrorEntrada:
            continue
    return None


def regla_x_a2_a1(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """The fund's own amount in Anexo 2 against its modificado total in Anexo 1 (both: money of the year)."""
    r = _fila_del_fondo(e)
    if r is None or e.anexo1 is None or e.anexo1.empty:
        return []
    total = e.anexo1[e.anexo1["tipo_fila"] == "total"]
    if total.empty or not total.iloc[0]["modificado"]:
        return []
    modificado, aprobado = round(float(total.iloc[0]["modificado"]), 2), round(float(total.iloc[0]["aprobado"]), 2)
    monto = round(float(r["monto"]), 2)
    if not _excede(monto, modificado, tol.monto):
        return []
    coincide = " (coincide con el aprobado, no con el modificado)" if not _excede(monto, aprobado, tol.monto) else ""
    return [_hallazgo(
        "X-A2-A1", _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"fuente «{r['fuente']}»",
                          "columna monto"),
        f"el Anexo 2 asigna {_pesos(monto)} al fondo evaluado, y su presupuesto modificado en el Anexo 1 es "
        f"{_pesos(modificado)} (aprobado {_pesos(aprobado)}){coincide}; diferencia {_pesos(round(monto - modificado, 2))}.",
        monto, modificado, round(monto - modificado, 2), r.get("fila"))]


def regla_x_a2_srft(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """The fund's own amount in Anexo 2 against the SRFT's ministrado (recaudado) of the same fund."""
    r = _fila_del_fondo(e)
    if r is None or e.srft.empty:
        return []
    montos = _montos(e.srft, ["recaudado", "modificado"])
    if montos["recaudado"].notna().any():
        momento, calculado = "recaudado (ministrado)", montos["recaudado"].sum()
    else:
        momento, calculado = "modificado (el SRFT no trae ministrado)", montos["modificado"].sum()
    calculado, monto = round(float(calculado), 2), round(float(r["monto"]), 2)
    if not _excede(monto, calculado, tol.monto):
        return []
    return [_hallazgo(
        "X-A2-SRFT", _lugar(e.origen_concurrencia, "concurrencia", r.get("fila"), f"fuente «{r['fuente']}»",
                            "columna monto"),
        f"el Anexo 2 asigna {_pesos(monto)} al fondo evaluado, y el SRFT de la SHCP reporta {_pesos(calculado)} "
        f"como {momento}; diferencia {_pesos(round(monto - calculado, 2))}.",
        monto, calculado, round(monto - calculado, 2), r.get("fila"))]


_CITA_RE = re.compile(r"^(?P<nombre>.*?)(?:[:=]\s*(?P<valor>[\d.,]+)\s*%?)?\s*$")


def regla_x_a6_a4(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Indicators the CONAC form cites (``indicadores_citados``: «nombre: 95.7 %; …») against Anexo 4."""
    citados = e.ficha.get("indicadores_citados") if e.ficha else None
    if _vacio(citados):
        return []
    fila = (e.ficha.get("_filas") or {}).get("indicadores_citados", math.nan)
    lugar = _lugar("captura", "ficha", fila, "campo indicadores_citados")
    nombres = [] if e.anexo4 is None or e.anexo4.empty else list(e.anexo4["indicador"])
    salida = []
    for cita in (c.strip() for c in re.split(r"[;\n]", str(citados)) if c.strip()):
        m = _CITA_RE.match(cita)
        nombre, valor = m["nombre"].strip(), m["valor"]
        puntajes = [asm_mod.similitud(nombre, n) for n in nombres]
        if not puntajes or max(puntajes) < asm_mod.UMBRAL_REINCIDENCIA:
            salida.append(_hallazgo("X-A6-A4", lugar, f"la ficha cita el indicador «{nombre}», que no está en el "
                                                       "Anexo 4.", fila=fila))
            continue
        if valor is None:
            continue
        r = e.anexo4.iloc[int(np.argmax(puntajes))]
        citado = _num_o_nan(valor.replace(",", ""))
        if pd.isna(r["cumplimiento"]) or pd.isna(citado) or not _excede(citado, r["cumplimiento"], tol.cumplimiento):
            continue
        salida.append(_hallazgo(
            "X-A6-A4", lugar,
            f"la ficha cita {_pct(citado)} de cumplimiento para «{r['indicador']}», y el Anexo 4 calcula "
            f"{_pct(r['cumplimiento'])}.", citado, float(r["cumplimiento"]),
            round(citado - float(r["cumplimiento"]), 2), fila))
    return salida


def _aprobado_por_capitulo(destino: pd.DataFrame) -> pd.Series:
    """aprobado by chapter from concept rows (capture-shaped, reported subtotals left out) or SRFT rows."""
    if destino.empty:
        return pd.Series(dtype=float)
    if "partida" in destino:  # SRFT rows
        filas = destino
    else:
        filas = destino[destino["concepto"].notna()]
    filas = filas.assign(_cap=filas["concepto"].map(catalogos.capitulo_de),
                         aprobado=pd.to_numeric(filas["aprobado"], errors="coerce"))
    return filas.groupby("_cap")["aprobado"].sum(min_count=1).dropna().round(2)


def regla_x_a1_anual(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """This ciclo's aprobado by chapter against the previous ciclo's (workbook or SRFT), when present."""
    if e.destino_anterior.empty or e.anexo1 is None or e.anexo1.empty:
        return []
    anterior = _aprobado_por_capitulo(e.destino_anterior)
    actual = e.anexo1[e.anexo1["tipo_fila"] == "subtotal"].set_index("capitulo")["aprobado"].round(2)
    if anterior.sum() == 0 or actual.sum() == 0:
        return []
    fuente = "libro de captura" if e.origen_destino_anterior == "captura" else "SRFT"
    salida = []
    for cap in sorted(set(anterior[anterior != 0].index) | set(actual[actual != 0].index)):
        antes, ahora = float(anterior.get(cap, 0.0)), float(actual.get(cap, 0.0))
        lugar = f"Anexo 1, capítulo {cap}, columna aprobado"
        if antes == 0 or ahora == 0:
            texto = (f"el capítulo {cap} aparece con {_pesos(ahora)} aprobados y no tenía aprobado en {e.ciclo - 1}"
                     if antes == 0 else f"el capítulo {cap} tenía {_pesos(antes)} aprobados en {e.ciclo - 1} y "
                                        "ninguno este año")
            salida.append(_hallazgo("X-A1-ANUAL", lugar, f"{texto} ({fuente} del año anterior).", antes, ahora,
                                    round(ahora - antes, 2)))
            continue
        cambio = (ahora - antes) / antes * 100
        if abs(cambio) > tol.variacion_anual:
            salida.append(_hallazgo(
                "X-A1-ANUAL", lugar,
                f"el aprobado pasó de {_pesos(antes)} en {e.ciclo - 1} ({fuente}) a {_pesos(ahora)} en {e.ciclo}: "
                f"{'+' if cambio > 0 else ''}{_pct(round(cambio, 2))}, más que el umbral de {_pct(tol.variacion_anual)}.",
                antes, ahora, round(ahora - antes, 2)))
    return salida


def regla_x_asm_desaparecido(e: Entradas, tol: Tolerancias) -> list[Hallazgo]:
    """Last ciclo's Anexo 7 ASM (from its own evaluation) that this ciclo's follow-up no longer lists."""
    if e.asm_anterior.empty:
        return []
    anterior = asm_mod.por_asm(asm_mod.preparar(e.asm_anterior, e.ciclo - 1), e.fecha_corte)
    anterior = anterior[anterior["ciclo_origen"] == e.ciclo - 1]
    # this report's follow-up: this year's workbook, or the national history (which keeps every year's rows)
    actuales = [] if e.asm.empty else list(e.resumen()["aspecto"].fillna(""))
    salida = []
    for _, r in anterior.iterrows():
        if any(asm_mod.similitud(r["aspecto"], a) >= asm_mod.UMBRAL_REINCIDENCIA for a in actuales):
            continue
        atendido = r["estatus"] == "Atendido"
        salida.append(_hallazgo(
            "X-ASM-CERRADO" if atendido else "X-ASM-DESAPARECIDO",
            f"ASM {r['numero']} ({r['evaluacion_origen']}) del seguimiento de {e.ciclo - 1}",
            f"el ASM «{r['aspecto']}» estaba en el Anexo 7 de {e.ciclo - 1} con avance promedio de "
            f"{_pct(r['avance_promedio_asm'])} y no aparece en el seguimiento de {e.ciclo}"
            + (": se atendió, conviene listarlo como atendido." if atendido else
               ": un ASM sin atender no puede salir del seguimiento."),
            r["avance_promedio_asm"], math.nan, math.nan))
    return salida


#: Rule functions, in documentation order; every id of :data:`REGLAS` is produced by one of them.
FUNCIONES: list[Callable[[Entradas, Tolerancias], list[Hallazgo]]] = [
    regla_a1_subtotal, regla_a1_total, regla_a1_momentos, regla_a1_negativo, regla_a1_disponible,
    regla_a1_capitulo, regla_a1_etiqueta_anio, regla_a1_srft, regla_a1_srft_programa, regla_a1_srft_corte,
    regla_a1_ejecucion,
    regla_a2_subtotal, regla_a2_total, regla_a2_porcentaje, regla_a2_suma_porcentajes, regla_a2_etiqueta,
    regla_a2_etiqueta_anio,
    regla_a4_cumplimiento, regla_a4_meta, regla_a4_justificacion, regla_a4_rojo, regla_a4_sobrecumplimiento,
    regla_a4_anterior_copia, regla_a4_anterior_difiere,
    regla_asm_avance, regla_asm_fechas, regla_asm_campos, regla_asm_no_atendido, regla_asm_estatus,
    regla_asm_incompleto, regla_asm_vencido,
    regla_x_a2_a1, regla_x_a2_srft, regla_x_a6_a4, regla_x_a1_anual, regla_x_asm_desaparecido,
]


def ejecutar(entradas: Entradas, tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """Run every rule on prepared inputs and return the sorted ``hallazgos`` table."""
    tol = tolerancias or Tolerancias()
    hallazgos: list[Hallazgo] = []
    for funcion in FUNCIONES:
        hallazgos.extend(funcion(entradas, tol))
    return _tabla(hallazgos)


# --------------------------------------------------------------------------- entry points


def _vacia_si_none(tabla: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame() if tabla is None else tabla


def auditar(datos: "DatosEstado", anexos: Anexos, tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """Audit one report: every rule on the gathered data (:class:`~asm_analysis.entradas.datos.DatosEstado`)
    and the computed annexes (:class:`~asm_analysis.anexos.Anexos`).

    Returns the ``hallazgos`` table (columns :data:`COLUMNAS`), sorted by severity, annex and
    source row.
    """
    fuentes = datos.fuentes or {}
    entradas = Entradas(
        ciclo=int(datos.ciclo), fecha_corte=datos.fecha_corte,
        destino=_vacia_si_none(datos.destino), origen_destino=fuentes.get("destino", ""),
        srft=_vacia_si_none(datos.srft), srft_programa=_vacia_si_none(datos.cotejo_programa_srft),
        anexo1=anexos.anexo1,
        concurrencia=_vacia_si_none(datos.concurrencia), origen_concurrencia=fuentes.get("concurrencia", ""),
        indicadores=_vacia_si_none(datos.indicadores), origen_indicadores=fuentes.get("indicadores", ""),
        indicadores_previos=_vacia_si_none(datos.indicadores_previos),
        asm=_vacia_si_none(datos.asm), origen_asm=fuentes.get("asm", ""),
        resumen_asm=anexos.asm_por_aspecto,
        fondo=datos.fondo.clave, ficha=dict(datos.ficha or {}), anexo4=anexos.anexo4,
        destino_anterior=_vacia_si_none(datos.destino_anterior), origen_destino_anterior=fuentes.get("destino_anterior", ""),
        asm_anterior=_vacia_si_none(datos.asm_anterior), origen_asm_anterior=fuentes.get("asm_anterior", ""),
    )
    return ejecutar(entradas, tolerancias)


def calcular(datos: "DatosEstado", tolerancias: Tolerancias | None = None) -> Anexos:
    """The annexes of one report with their audit: what every output of a report shows.

    :func:`asm_analysis.anexos.calcular`, then :func:`auditar` with ``tolerancias`` (the
    defaults when None), then the headline figures again, now with the findings counted.
    """
    anexos = anexos_mod.calcular(datos)
    anexos.hallazgos = auditar(datos, anexos, tolerancias)
    anexos.resumen = anexos_mod.resumen(datos, anexos)
    return anexos


def entradas_desde_tablas(ciclo: int, destino: pd.DataFrame | None = None,
                          concurrencia: pd.DataFrame | None = None, indicadores: pd.DataFrame | None = None,
                          asm: pd.DataFrame | None = None, fecha_corte: dt.date | None = None,
                          srft: pd.DataFrame | None = None, indicadores_previos: pd.DataFrame | None = None,
                          origen: str = "captura", srft_programa: pd.DataFrame | None = None) -> Entradas:
    """Inputs from capture-shaped tables (the sheets of the workbook), computing the annexes the
    rules need (Anexo 1 and the ASM summary) with the same functions as the report."""
    destino = _vacia_si_none(destino)
    if fecha_corte is None:
        fecha_corte = dt.date(int(ciclo) + 1, 9, 30)  # as datos.fecha_corte_por_omision
    anexo1 = destino_mod.anexo1(destino_mod.detalle_desde_captura(destino)) if not destino.empty else pd.DataFrame()
    tablas = {"destino": destino, "concurrencia": _vacia_si_none(concurrencia),
              "indicadores": _vacia_si_none(indicadores), "asm": _vacia_si_none(asm)}
    origenes = {k: (origen if not v.empty else "") for k, v in tablas.items()}
    return Entradas(
        ciclo=int(ciclo), fecha_corte=fecha_corte, destino=destino, origen_destino=origenes["destino"],
        srft=_vacia_si_none(srft), srft_programa=_vacia_si_none(srft_programa), anexo1=anexo1,
        concurrencia=tablas["concurrencia"], origen_concurrencia=origenes["concurrencia"],
        indicadores=tablas["indicadores"], origen_indicadores=origenes["indicadores"],
        indicadores_previos=_vacia_si_none(indicadores_previos),
        asm=tablas["asm"], origen_asm=origenes["asm"],
    )


def auditar_tablas(ciclo: int, tolerancias: Tolerancias | None = None, **tablas) -> pd.DataFrame:
    """Audit capture-shaped tables directly (``destino=``, ``concurrencia=``, ``indicadores=``,
    ``asm=``, ``fecha_corte=``, ``srft=``, ``srft_programa=``, ``indicadores_previos=``)."""
    return ejecutar(entradas_desde_tablas(ciclo, **tablas), tolerancias)


def auditar_captura(captura: "Captura", tolerancias: Tolerancias | None = None) -> pd.DataFrame:
    """Audit a capture workbook alone (what ``asm-analysis validate`` shows): the same rules,
    minus those that need other sources (SRFT, the previous ciclo's indicators)."""
    t = captura.tablas
    return auditar_tablas(
        captura.ciclo, tolerancias, destino=t.get("destino"), concurrencia=t.get("concurrencia"),
        indicadores=t.get("indicadores"), asm=t.get("asm"), fecha_corte=captura.fecha_corte)
