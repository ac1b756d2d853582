"""All annex tables of one report, computed once from :class:`~asm_analysis.entradas.datos.DatosEstado`.

:func:`calcular` is the only place annexes are computed; :func:`asm_analysis.auditoria.calcular`
adds the audit of the figures, and a report computes that once (``ejecucion.reporte``), so the
workbook, the CSVs, the docx and the HTML page always show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from asm_analysis.anexos import asm, concurrencia, destino, foda, indicadores
from asm_analysis.entradas import srft
from asm_analysis.entradas.datos import DatosEstado


@dataclass
class Anexos:
    """The annex tables plus headline figures and notes on missing data."""

    anexo1: pd.DataFrame
    anexo1_arrastre: pd.DataFrame
    anexo2: pd.DataFrame
    anexo3: pd.DataFrame
    anexo4: pd.DataFrame
    anexo5: pd.DataFrame
    anexo6: pd.DataFrame
    anexo7: pd.DataFrame
    seguimiento: pd.DataFrame
    asm_por_aspecto: pd.DataFrame
    conteos_asm: pd.DataFrame
    hallazgos: pd.DataFrame
    notas: dict[str, str] = field(default_factory=dict)
    resumen: dict[str, object] = field(default_factory=dict)
    #: per finding (same index as ``hallazgos``), the annex cells it disputes (tuples of
    #: ``auditoria.motor.CELDA``); None before the audit
    celdas: pd.Series | None = None


def _nota_faltante(tabla: str) -> str:
    return f"No hay datos de {tabla} para este estado, ciclo y fondo; el anexo se presenta vacío."


@dataclass
class Intermedios:
    """The tables the annexes are computed from that the audit reads again: computed once per report.

    ``detalle`` is the concept rows Anexo 1 sums (the capture workbook's, or summed from the SRFT's
    partidas); ``acciones`` the ASM action rows as :func:`asm.preparar` prepares them.
    """

    detalle: pd.DataFrame
    acciones: pd.DataFrame


def intermedios(datos: DatosEstado) -> Intermedios:
    """The :class:`Intermedios` of one report."""
    if datos.fuentes.get("destino") == "captura":
        det = destino.detalle_desde_captura(datos.destino)
    else:
        det = destino.detalle_desde_srft(datos.srft)
    return Intermedios(det, asm.preparar(datos.asm, datos.ciclo))


def calcular(datos: DatosEstado, previos: Intermedios | None = None) -> Anexos:
    """Compute every annex for one (estado, ciclo, fondo); ``hallazgos`` is left empty.

    ``previos`` are the report's :func:`intermedios` when the caller already has them. The audit
    of these figures is :func:`asm_analysis.auditoria.calcular`, which calls this.
    """
    notas: dict[str, str] = {}
    previos = previos if previos is not None else intermedios(datos)
    det = previos.detalle
    if det.empty:
        notas["anexo1"] = _nota_faltante("destino del gasto (SRFT o libro de captura)")
    elif datos.fuentes.get("destino") == "srft":
        notas["anexo1"] = srft.describir_cortes(datos.srft)  # which quarter each concept comes from
    if datos.fuentes.get("destino") == "srft" and (fuera := srft.describir_no_validadas(datos.srft_no_validadas)):
        notas["anexo1"] = " ".join(n for n in (notas.get("anexo1"), fuera) if n)  # rows left out for their ESTATUS
    a1 = destino.anexo1(det)
    a1_arr = destino.anexo1_arrastre(datos.arrastre)

    if datos.concurrencia.empty:
        notas["anexo2"] = _nota_faltante("concurrencia de recursos")
        a2 = pd.DataFrame(columns=concurrencia.COLUMNAS)
    else:
        a2 = concurrencia.anexo2(datos.concurrencia)

    if datos.indicadores.empty and datos.indicadores_srft.empty:
        notas["anexo4"] = _nota_faltante("indicadores de la MIR")
    elif not datos.indicadores_srft.empty:
        notas["anexo4"] = indicadores.nota_srft(datos.indicadores_srft, datos.indicadores_srft_previos,
                                                datos.indicadores)
    a4 = indicadores.anexo4(datos.indicadores, datos.indicadores_previos, datos.indicadores_srft,
                            datos.indicadores_srft_previos)

    acciones = previos.acciones
    resumen_asm = asm.por_asm(acciones, datos.fecha_corte)
    if resumen_asm.empty:
        notas["asm"] = _nota_faltante("aspectos susceptibles de mejora")
    a3 = asm.anexo3(resumen_asm, datos.ciclo)
    a7 = asm.anexo7(resumen_asm, datos.ciclo)
    seg = asm.seguimiento(acciones, datos.fecha_corte, resumen_asm)

    if datos.foda.empty:
        notas["anexo5"] = _nota_faltante("FODA (solo se captura en el libro de captura)")
    a5 = foda.anexo5(datos.foda)

    anexos = Anexos(
        anexo1=a1, anexo1_arrastre=a1_arr, anexo2=a2, anexo3=a3, anexo4=a4, anexo5=a5,
        anexo6=foda.anexo6(datos.ficha, datos.foda), anexo7=a7, seguimiento=seg,
        asm_por_aspecto=resumen_asm, conteos_asm=asm.conteos(resumen_asm),
        hallazgos=pd.DataFrame(columns=COLUMNAS_HALLAZGOS), notas=notas,
    )
    if datos.ficha and foda.pendientes_anexo6(anexos.anexo6):
        notas["anexo6"] = "Campos del formato CONAC pendientes: " + "; ".join(foda.pendientes_anexo6(anexos.anexo6))
    anexos.resumen = resumen(datos, anexos)
    return anexos


COLUMNAS_HALLAZGOS = ["severidad", "anexo", "ubicacion", "regla", "valor_reportado", "valor_calculado",
                      "diferencia", "mensaje"]


def resumen(datos: DatosEstado, anexos: Anexos) -> dict[str, object]:
    """Headline figures of the report (resumen ejecutivo and index page)."""
    r1 = destino.resumen(anexos.anexo1)
    sev = anexos.hallazgos["severidad"].value_counts().to_dict() if not anexos.hallazgos.empty else {}
    return {
        "estado": datos.estado.nombre, "cve_ent": datos.estado.cve_ent, "ciclo": datos.ciclo,
        "fondo": datos.fondo.clave, "fecha_corte": datos.fecha_corte.isoformat(),
        "aprobado": r1["aprobado"], "modificado": r1["modificado"], "devengado": r1["devengado"],
        "pagado": r1["pagado"], "pct_ejercido": r1["pct_ejercido"],
        "participacion_federal": concurrencia.participacion_federal(anexos.anexo2) if not anexos.anexo2.empty else None,
        "semaforo": indicadores.conteo_semaforo(anexos.anexo4) if not anexos.anexo4.empty else {},
        "asm": asm.resumen_estatus(anexos.asm_por_aspecto),
        "hallazgos": {s: int(sev.get(s, 0)) for s in ("error", "advertencia", "info")},
        "fuentes": dict(datos.fuentes), "demo": datos.demo,
    }
