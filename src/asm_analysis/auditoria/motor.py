"""The rule engine: findings, the registry of rules and the run of every registered rule.

A rule is a function ``(Entradas, Tolerancias) -> Iterable[Hallazgo]`` (a generator that
yields its findings, or a list) declared with
:func:`regla`, which carries the id, severity, annex and Spanish description the reports
show. A function that emits several ids stacks one decorator per id (top to bottom is the
documentation order) and is run once. The registry refuses an id declared twice and a
finding whose id its function did not declare, so every id in a report is documented.

Documentation order: the rule modules in the order ``asm_analysis.auditoria`` lists them
(:meth:`Registro.ordenar`), the functions of a module in the order they are defined, and the
ids of a function in the order its decorators read. The run order is the same: each
function once, at its first id.

A rule also declares what its figures are (``unidad``: pesos, a percentage, a year…, see
:data:`UNIDADES`; per column when one rule reads columns of different kinds): every output prints
a finding's reported and computed values and their difference by it (:func:`unidades`), and a
finding with a figure from a rule that declared none is refused, like an undeclared id.

Rules of several annexes compare a reported figure with the one the tool computes the same
way; :func:`_en_pesos`, :func:`_en_puntos` and :func:`_suma_distinta` build those findings, so
every message ends with the difference written alike, and :func:`_anio_ajeno` the finding of a
label that names another year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import numpy as np
import pandas as pd

from asm_analysis.auditoria.insumos import Entradas, _anios_ajenos, _excede, _num_o_nan, _pesos, columnas_de
from asm_analysis.auditoria.tolerancias import Tolerancias

COLUMNAS = ["severidad", "anexo", "ubicacion", "regla", "valor_reportado", "valor_calculado", "diferencia",
            "mensaje"]
#: One of :attr:`Hallazgo.celdas`, the printed cells of an annex a finding disputes:
#: ``(tabla, tipo, clave, columna)``. ``tabla`` is the :class:`~asm_analysis.anexos.Anexos` attribute
#: (``anexo1``, ``anexo2``, ``anexo3``, ``anexo4``); ``tipo`` and ``clave`` name the row by what the
#: inputs say (``concepto``/``1400``, ``subtotal``/``1000``, ``total``/``""``, ``fila``/the row of the
#: input table, ``asm``/the ``id_asm``); ``columna`` is the column of the annex table.
#: ``publicacion.marcas`` turns it into the row of the printed table.
CELDA = ("tabla", "tipo", "clave", "columna")
SEVERIDADES = ("error", "advertencia", "info")
#: What the figures of a finding are (``valor_reportado`` and ``valor_calculado``), as its rule declares them;
#: the difference is in the same unit, or in :data:`UNIDAD_DIFERENCIA`'s. Every output prints them by it.
UNIDADES: dict[str, str] = {
    "pesos": "importes en pesos",
    "porcentaje": "porcentajes: un avance, una participación, un cumplimiento (50.14 %)",
    "puntos": "puntos porcentuales: la diferencia de dos porcentajes",
    "anio": "años (2024)",
    "dias": "días",
    "conteo": "conteos (partidas de un corte del SRFT)",
    "valor": "valores de un indicador (meta, avance), en su propia unidad de medida",
    "capitulo": "claves de capítulo del COG (2000)",
}
#: Units whose difference is in another unit: two percentages differ by percentage points.
UNIDAD_DIFERENCIA = {"porcentaje": "puntos"}
ORDEN_ANEXOS = ["Anexo 1", "Anexo 2", "Anexo 3", "Anexo 4", "Anexo 5", "Anexo 6", "Anexo 7", "Seguimiento ASM"]


class ErrorDeRegla(Exception):
    """A rule declared or used against the registry's terms: a bug of the tool, never of the input."""


@dataclass(frozen=True)
class Hallazgo:
    """One finding; ``severidad`` and ``anexo`` are those its rule declared (see :func:`_hallazgo`)."""

    regla: str
    severidad: str
    anexo: str
    ubicacion: str
    mensaje: str
    valor_reportado: float = math.nan
    valor_calculado: float = math.nan
    diferencia: float = math.nan
    fila: float = math.nan          # source row, to sort
    celdas: tuple = ()              # the annex cells it disputes (each a :data:`CELDA`), never in hallazgos.csv

    def registro(self) -> dict:
        return {"severidad": self.severidad, "anexo": self.anexo, "ubicacion": self.ubicacion,
                "regla": self.regla, "valor_reportado": _num_o_nan(self.valor_reportado),
                "valor_calculado": _num_o_nan(self.valor_calculado), "diferencia": _num_o_nan(self.diferencia),
                "mensaje": self.mensaje, "_fila": _num_o_nan(self.fila), "_celdas": tuple(self.celdas)}


@dataclass(frozen=True)
class Regla:
    """What a rule declares: its id, severity, annex, the description the reports show and the unit of its
    figures (:data:`UNIDADES`; None when its findings carry none), with the column → unit pairs where a column
    it reads holds figures of another kind."""

    id: str
    severidad: str
    anexo: str
    descripcion: str
    unidad: str | None = None
    por_columna: tuple[tuple[str, str], ...] = ()

    def unidades(self, columnas: Sequence[str] = ()) -> tuple[str | None, str | None]:
        """(unit of the reported and computed values, unit of the difference) of a finding that names
        ``columnas`` (the first one with a unit of its own decides)."""
        propias = dict(self.por_columna)
        unidad = next((propias[c] for c in columnas if c in propias), self.unidad)
        return unidad, UNIDAD_DIFERENCIA.get(unidad, unidad)


FuncionRegla = Callable[[Entradas, Tolerancias], Iterable[Hallazgo]]
F = TypeVar("F", bound=FuncionRegla)


class Registro:
    """Rules declared with :meth:`regla`, in documentation order, and the functions that emit them."""

    def __init__(self) -> None:
        self._reglas: dict[str, Regla] = {}
        self._funciones: list[FuncionRegla] = []
        self._ids: dict[FuncionRegla, list[str]] = {}

    def regla(self, id: str, severidad: str, anexo: str, descripcion: str, unidad: str | None = None,
              por_columna: dict[str, str] | None = None) -> Callable[[F], F]:
        """Decorator: register the function as the one that emits ``id``.

        ``unidad`` says what the figures of its findings are (a key of :data:`UNIDADES`; None: its
        findings carry no figure), ``por_columna`` the columns whose figures are of another unit.
        Stacked decorators apply bottom-up; each new id goes before the ids the same function
        already declared, so the documentation reads top to bottom. An id declared twice raises.
        """
        if severidad not in SEVERIDADES:
            raise ErrorDeRegla(f"la regla «{id}» tiene una severidad desconocida: «{severidad}»")
        if anexo not in ORDEN_ANEXOS:
            raise ErrorDeRegla(f"la regla «{id}» tiene un anexo desconocido: «{anexo}»")
        por_columna = tuple((por_columna or {}).items())
        for u in (unidad, *(u for _, u in por_columna)):
            if u is not None and u not in UNIDADES:
                raise ErrorDeRegla(f"la regla «{id}» tiene una unidad desconocida: «{u}»")

        def registrar(funcion: F) -> F:
            if id in self._reglas:  # checked here: stacked decorators are all built before any applies
                raise ErrorDeRegla(f"la regla «{id}» ya está declarada")
            if funcion not in self._ids:
                self._funciones.append(funcion)
                self._ids[funcion] = []
            self._ids[funcion].insert(0, id)
            self._reglas[id] = Regla(id, severidad, anexo, descripcion, unidad, por_columna)
            return funcion

        return registrar

    def ordenar(self, modulos: Sequence[str]) -> None:
        """Put the functions in the order of their modules as listed (within a module, as defined).

        Documentation and run order then follow ``modulos`` whatever order the modules were
        imported in; a rule function from a module not listed raises.
        """
        posicion = {m: i for i, m in enumerate(modulos)}
        fuera = sorted({f.__module__ for f in self._funciones} - set(posicion))
        if fuera:
            raise ErrorDeRegla(f"hay reglas en módulos que no están en el orden de documentación: {', '.join(fuera)}")
        self._funciones.sort(key=lambda f: posicion[f.__module__])

    def reglas(self) -> list[Regla]:
        """Every declared rule, in documentation order (each function's ids as its decorators read)."""
        return [self._reglas[i] for f in self._funciones for i in self._ids[f]]

    def unidades(self, regla: str, ubicacion: object = "") -> tuple[str | None, str | None]:
        """(unit of the values, unit of the difference) of a finding of ``regla`` at ``ubicacion`` (its
        columns decide where the rule declared units per column); (None, None) for an unknown rule."""
        declarada = self._reglas.get(str(regla))
        return (None, None) if declarada is None else declarada.unidades(columnas_de(ubicacion)[1])

    def funciones(self) -> list[tuple[FuncionRegla, tuple[str, ...]]]:
        """Every rule function with the ids it declared, in run order."""
        return [(f, tuple(self._ids[f])) for f in self._funciones]

    def hallazgo(self, regla: str, ubicacion: str, texto: str, reportado=math.nan, calculado=math.nan,
                 diferencia=math.nan, fila=math.nan, celdas: tuple = ()) -> Hallazgo:
        """A finding of ``regla``, with the severity and annex it was declared with."""
        declarada = self._reglas.get(regla)
        if declarada is None:
            raise ErrorDeRegla(f"la regla «{regla}» no está declarada")
        if declarada.unidad is None and not declarada.por_columna and any(
                not pd.isna(v) for v in (reportado, calculado, diferencia)):
            raise ErrorDeRegla(f"un hallazgo de la regla «{regla}» trae cifras, pero la regla no declaró su unidad")
        mensaje = f"{ubicacion[:1].upper()}{ubicacion[1:]}: {texto}" if ubicacion else texto
        return Hallazgo(regla, declarada.severidad, declarada.anexo, ubicacion, mensaje, reportado, calculado,
                        diferencia, fila, tuple(celdas))

    def hallazgos(self, entradas: Entradas, tolerancias: Tolerancias) -> list[Hallazgo]:
        """Run every function once, in run order; a finding of an id its function did not declare raises."""
        salida: list[Hallazgo] = []
        for funcion, ids in self.funciones():
            for h in funcion(entradas, tolerancias):
                if h.regla not in ids:
                    raise ErrorDeRegla(f"{funcion.__name__} produjo un hallazgo de la regla «{h.regla}», que no "
                                       f"declaró ({', '.join(ids)})")
                salida.append(h)
        return salida


#: The registry of the audit; the rule modules register in it when ``asm_analysis.auditoria`` imports them.
REGISTRO = Registro()
regla = REGISTRO.regla
_hallazgo = REGISTRO.hallazgo
unidades = REGISTRO.unidades


def _en_pesos(regla: str, ubicacion: str, texto: str, reportado: float, calculado: float, fila: object = math.nan,
              nota: str = "", celdas: tuple = ()) -> Hallazgo:
    """A finding on two amounts: ``texto``, then «; diferencia $X.» (reportado − calculado, to the
    cent) and ``nota`` when there is one."""
    diferencia = round(reportado - calculado, 2)
    cola = f" {nota}" if nota else ""
    return _hallazgo(regla, ubicacion, f"{texto}; diferencia {_pesos(diferencia)}.{cola}", reportado, calculado,
                     diferencia, fila, celdas)


def _en_puntos(regla: str, ubicacion: str, texto: str, reportado: float, calculado: float,
               fila: object = math.nan, celdas: tuple = ()) -> Hallazgo:
    """A finding on two percentages: ``texto``, then «; diferencia X.XX puntos.»; both values to
    the hundredth, as the annexes show them."""
    diferencia = round(reportado - calculado, 2)
    return _hallazgo(regla, ubicacion, f"{texto}; diferencia {diferencia:.2f} puntos.", reportado,
                     round(calculado, 2), diferencia, fila, celdas)


def _suma_distinta(regla: str, ubicacion: str, que: str, suma: str, reportado: float, calculado: float,
                   tolerancia: float, fila: object = math.nan, celdas: tuple = ()) -> Iterator[Hallazgo]:
    """The finding of a reported subtotal or total that is not the sum of its parts (beyond the
    tolerance): «{que} es $X, pero {suma} da $Y; diferencia $Z.». Nothing when ``reportado`` is
    missing (the row reports no figure to check)."""
    if pd.notna(reportado) and _excede(reportado, calculado, tolerancia):
        yield _en_pesos(regla, ubicacion, f"{que} es {_pesos(reportado)}, pero {suma} da {_pesos(calculado)}",
                        reportado, calculado, fila, celdas=celdas)


def tabla_de_reglas(registro: Registro = REGISTRO) -> dict[str, tuple[str, str, str]]:
    """id → (severidad, anexo, descripción), in documentation order (the shape of ``REGLAS``)."""
    return {r.id: (r.severidad, r.anexo, r.descripcion) for r in registro.reglas()}


def documentar_reglas(registro: Registro = REGISTRO) -> pd.DataFrame:
    """The rule list (id, severidad, anexo, descripcion) for the README and the report."""
    return pd.DataFrame([{"id": r.id, "severidad": r.severidad, "anexo": r.anexo, "descripcion": r.descripcion}
                         for r in registro.reglas()], columns=["id", "severidad", "anexo", "descripcion"])


def _tabla(hallazgos: list[Hallazgo], celdas: bool = False) -> pd.DataFrame:
    """Findings as the ``hallazgos`` table, sorted by severity, annex, source row, rule, place.

    With ``celdas``, one more column, ``celdas``: the annex cells each finding disputes (a tuple
    of :data:`CELDA`, ``()`` when none); it never reaches ``hallazgos.csv``.
    """
    extra = ["celdas"] if celdas else []
    if not hallazgos:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("valor_reportado", "valor_calculado",
                                                                   "diferencia") else "object")
                             for c in COLUMNAS + extra})
    t = pd.DataFrame([h.registro() for h in hallazgos])
    t["_s"] = t["severidad"].map({s: i for i, s in enumerate(SEVERIDADES)})
    t["_a"] = t["anexo"].map({a: i for i, a in enumerate(ORDEN_ANEXOS)}).fillna(len(ORDEN_ANEXOS))
    t["_f"] = t["_fila"].fillna(np.inf)
    t = t.sort_values(["_s", "_a", "anexo", "_f", "regla", "ubicacion", "mensaje"], kind="mergesort")
    t = t.drop_duplicates(subset=COLUMNAS)
    for c in ("valor_reportado", "valor_calculado", "diferencia"):
        t[c] = t[c].astype("float64")
    t["celdas"] = t["_celdas"]
    return t[COLUMNAS + extra].reset_index(drop=True)


def ejecutar(entradas: Entradas, tolerancias: Tolerancias | None = None,
             registro: Registro = REGISTRO, celdas: bool = False) -> pd.DataFrame:
    """Run every registered rule on prepared inputs and return the sorted ``hallazgos`` table
    (with ``celdas``, plus the column ``celdas`` of :func:`_tabla`)."""
    tol = tolerancias if tolerancias is not None else Tolerancias()
    return _tabla(registro.hallazgos(entradas, tol), celdas)


def _anio_ajeno(regla: str, ubicacion: str, que: str, texto: object, ciclo: int, fila: object = math.nan,
                cog: bool = False, celdas: tuple = ()) -> Iterator[Hallazgo]:
    """The finding of a label or comment that names a year other than the ciclo (see
    :func:`~asm_analysis.auditoria.insumos._anios_ajenos`): «{que} «texto» menciona 2023, pero
    el ciclo evaluado es 2024.»"""
    anios = _anios_ajenos(texto, ciclo, cog=cog)
    if anios:
        yield _hallazgo(regla, ubicacion, f"{que} «{texto}» menciona {', '.join(map(str, anios))}, pero el ciclo "
                        f"evaluado es {ciclo}.", anios[0], ciclo, anios[0] - ciclo, fila, celdas)
