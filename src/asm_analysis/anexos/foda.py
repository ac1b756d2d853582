"""Anexo 5 (FODA and recommendations) and Anexo 6 (CONAC form for disseminating results).

Anexo 6 is the CONAC "Formato para la difusión de los resultados de las evaluaciones":
what a state must publish about each evaluation, field by field (sections 1 to 7 of the form,
:data:`~asm_analysis.entradas.tablas.FORMATO_CONAC`). Every field comes from a row of the capture
workbook's ``ficha``: the evaluation's own findings, FODA and conclusions are prose the
evaluating firm writes there, never lines of this tool's audit. Recommendations fall back to
the ``foda`` sheet when the ficha leaves them blank. Dates are shown dd/mm/aaaa and the cost
as money; a field not captured stays blank with *Pendiente: Sí*, so nobody publishes an
incomplete form unaware.
"""

from __future__ import annotations

import pandas as pd

from asm_analysis.comun import formatos
from asm_analysis.entradas import lectura
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.tablas import CAMPOS_CONAC_EXTRA, FORMATO_CONAC, CampoConac
from asm_analysis.comun.texto import normalizar

COLUMNAS_FODA = ["apartado", "fortalezas_oportunidades", "debilidades_amenazas", "recomendaciones", "actores"]
COLUMNAS_ANEXO6 = ["seccion", "campo", "valor", "pendiente"]

#: Label of the optional row that shows ``indicadores_citados`` (not a form field of its own).
ETIQUETA_CITADOS = "2.1 Indicadores y resultados citados en los hallazgos"


def anexo5(foda: pd.DataFrame) -> pd.DataFrame:
    """FODA and recommendations by section of the evaluation, in the order captured."""
    if foda.empty:
        return pd.DataFrame(columns=COLUMNAS_FODA)
    return foda[COLUMNAS_FODA].reset_index(drop=True)


def _lista(textos: pd.Series) -> str | None:
    valores = [str(t).strip() for t in textos if pd.notna(t) and str(t).strip()]
    return "\n".join(f"• {v}" for v in valores) or None


def _valor_campo(campo: CampoConac, valor: object, ficha: dict) -> str | None:
    """The text a form field shows: dd/mm/aaaa dates, money, the canonical option; None when blank.

    A cost or date that cannot be read is refused (:class:`ErrorEntrada` naming the ficha row):
    a published form must not carry a figure the tool could not read.
    """
    if lectura.es_faltante(valor) or formatos.vacio(valor):
        return None
    fila = (ficha.get("_filas") or {}).get(campo.clave)
    lectores = {"dinero": (lectura.parse_numero, formatos.pesos), "fecha": (lectura.parse_fecha, formatos.fecha)}
    if campo.tipo in lectores:
        leer, mostrar = lectores[campo.tipo]
        try:
            dato = leer(valor)
        except lectura.ValorInvalido as exc:
            raise ErrorEntrada(f"el campo {campo.clave} ({campo.etiqueta}): {exc}", hoja="ficha", fila=fila,
                               columna="valor") from exc
        return None if dato is None else mostrar(dato)
    texto = str(valor).strip()
    if campo.tipo == "opcion":
        por_clave = {normalizar(o): o for o in campo.opciones}
        return por_clave.get(normalizar(texto), texto)
    return texto


def anexo6(ficha: dict[str, object], foda: pd.DataFrame) -> pd.DataFrame:
    """The CONAC form as rows (seccion, campo, valor, pendiente), one per field of the form.

    ``pendiente`` is ``Sí`` for a field the ficha leaves blank. ``indicadores_citados``, when
    captured, is shown under 2.1 (it is what the audit checks against Anexo 4).
    """
    ficha = ficha or {}
    respaldos = {
        "foda.recomendaciones": _lista(foda["recomendaciones"]) if not foda.empty else None,
    }
    filas = []
    for campo in FORMATO_CONAC:
        valor = _valor_campo(campo, ficha.get(campo.clave), ficha)
        if valor is None and campo.respaldo:
            valor = respaldos.get(campo.respaldo)
        filas.append({"seccion": campo.seccion, "campo": campo.etiqueta, "valor": valor,
                      "pendiente": "Sí" if valor is None else "No"})
        if campo.clave == "principales_hallazgos":
            for extra in CAMPOS_CONAC_EXTRA:
                citados = ficha.get(extra)
                if not lectura.es_faltante(citados) and not formatos.vacio(citados):
                    filas.append({"seccion": campo.seccion, "campo": ETIQUETA_CITADOS,
                                  "valor": str(citados).strip(), "pendiente": "No"})
    return pd.DataFrame(filas, columns=COLUMNAS_ANEXO6)


def pendientes_anexo6(tabla: pd.DataFrame) -> list[str]:
    """Labels of the CONAC fields still blank."""
    return list(tabla.loc[tabla["pendiente"] == "Sí", "campo"])
