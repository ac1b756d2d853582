"""pandera schemas of the validated tidy tables (what the loaders promise to the metrics).

The loaders parse every cell first (bad cells become rejects with a reason for the user);
these schemas then check, all failures at once (``lazy=True``), that what leaves a loader
has the contract's columns, types and closed vocabularies. A failure here is a bug of the
tool, not a user's mistake.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from asm_analysis.entradas.tablas import MIR, NIVELES, ORDENES, PRIORIDADES, SENTIDOS, TIPOS_ASM


def _valores(vocabulario: dict[str, str]) -> list[str]:
    return sorted(set(vocabulario.values()))


class _Base(pa.DataFrameModel):
    fila: Series[int] = pa.Field(ge=1, coerce=True)

    class Config:
        strict = False


class Destino(_Base):
    capitulo: Series[str] = pa.Field(str_matches=r"^([1-9]000|TOTAL)$")
    concepto: Series[str] = pa.Field(nullable=True, str_matches=r"^[1-9][0-9]00$")
    aprobado: Series[float] = pa.Field(nullable=True, coerce=True)
    modificado: Series[float] = pa.Field(nullable=True, coerce=True)
    devengado: Series[float] = pa.Field(nullable=True, coerce=True)
    pagado: Series[float] = pa.Field(nullable=True, coerce=True)
    disponible: Series[float] = pa.Field(nullable=True, coerce=True)


class Concurrencia(_Base):
    orden_gobierno: Series[str] = pa.Field(nullable=True, isin=_valores(ORDENES))
    fuente: Series[str] = pa.Field(nullable=True)
    monto: Series[float] = pa.Field(nullable=True, coerce=True)
    porcentaje: Series[float] = pa.Field(nullable=True, coerce=True)


class Indicadores(_Base):
    mir: Series[str] = pa.Field(nullable=True, isin=_valores(MIR))
    nivel: Series[str] = pa.Field(nullable=True, isin=_valores(NIVELES))
    sentido: Series[str] = pa.Field(nullable=True, isin=_valores(SENTIDOS))
    meta: Series[float] = pa.Field(nullable=True, coerce=True)
    avance: Series[float] = pa.Field(nullable=True, coerce=True)
    avance_meta_reportado: Series[float] = pa.Field(nullable=True, coerce=True)


class Asm(_Base):
    tipo: Series[str] = pa.Field(nullable=True, isin=_valores(TIPOS_ASM))
    prioridad: Series[str] = pa.Field(nullable=True, isin=_valores(PRIORIDADES))
    avance: Series[float] = pa.Field(nullable=True, coerce=True)


class Foda(_Base):
    apartado: Series[str] = pa.Field(nullable=True)


class Srft(pa.DataFrameModel):
    ciclo: Series[int] = pa.Field(ge=2000, le=2100)
    trimestre: Series[int] = pa.Field(ge=1, le=5)
    cve_ent: Series[str] = pa.Field(str_matches=r"^(0[1-9]|[12][0-9]|3[0-2])$")
    id_municipio: Series[int] = pa.Field(ge=0)
    partida: Series[str] = pa.Field(str_matches=r"^[1-9][0-9]{2,4}$")
    concepto: Series[str] = pa.Field(str_matches=r"^[1-9][0-9]00$")
    capitulo: Series[str] = pa.Field(str_matches=r"^[1-9]000$")

    class Config:
        strict = False


class SrftIndicadores(pa.DataFrameModel):
    """Rows of the SRFT *Indicadores* module export as :mod:`~asm_analysis.entradas.srft_indicadores` loads them."""

    fila: Series[int] = pa.Field(ge=1)
    ciclo: Series[int] = pa.Field(ge=2000, le=2100)
    trimestre: Series[int] = pa.Field(ge=1, le=5)
    cve_ent: Series[str] = pa.Field(str_matches=r"^(0[1-9]|[12][0-9]|3[0-2])$")
    ramo: Series[int] = pa.Field(ge=1)
    programa_presupuestario: Series[str] = pa.Field(str_matches=r"^[A-Z][0-9]{3}$")
    clave_indicador: Series[str] = pa.Field(nullable=False)
    indicador: Series[str] = pa.Field(nullable=False)
    nivel: Series[str] = pa.Field(nullable=True, isin=_valores(NIVELES))
    sentido: Series[str] = pa.Field(nullable=True, isin=_valores(SENTIDOS))
    meta_programada: Series[float] = pa.Field(nullable=True, coerce=True)
    meta_modificada: Series[float] = pa.Field(nullable=True, coerce=True)
    realizado: Series[float] = pa.Field(nullable=True, coerce=True)
    avance_reportado: Series[float] = pa.Field(nullable=True, coerce=True)

    class Config:
        strict = False


POR_HOJA: dict[str, type[pa.DataFrameModel]] = {
    "destino": Destino, "concurrencia": Concurrencia, "indicadores": Indicadores, "asm": Asm, "foda": Foda,
}


def validar(tabla: pd.DataFrame, hoja: str) -> pd.DataFrame:
    """Validate a loaded table against its schema (no-op for empty tables)."""
    if tabla.empty or hoja not in POR_HOJA:
        return tabla
    return POR_HOJA[hoja].validate(tabla, lazy=True)
