"""Anexo 5 (FODA and recommendations) and Anexo 6 (CONAC form for disseminating results).

Anexo 6 is the CONAC "Formato para la difusión de los resultados de las evaluaciones":
what a state must publish about each evaluation. It is filled from the capture workbook's
``ficha``, the FODA, the recommendations and the audit's main findings; fields the ficha
lacks stay blank and are listed as pending so nobody publishes an incomplete form unaware.
"""

from __future__ import annotations

import pandas as pd

COLUMNAS_FODA = ["apartado", "fortalezas_oportunidades", "debilidades_amenazas", "recomendaciones", "actores"]

#: (section, ficha field or derived key, label) in the order of the CONAC form.
CAMPOS_ANEXO6 = [
    ("1. Descripción de la evaluación", "nombre_evaluacion", "1.1 Nombre de la evaluación"),
    ("1. Descripción de la evaluación", "fecha_inicio", "1.2 Fecha de inicio de la evaluación"),
    ("1. Descripción de la evaluación", "fecha_termino", "1.3 Fecha de término de la evaluación"),
    ("1. Descripción de la evaluación", "unidad_responsable", "1.4 Unidad administrativa responsable del seguimiento"),
    ("1. Descripción de la evaluación", "objetivo", "1.5 Objetivo general de la evaluación"),
    ("1. Descripción de la evaluación", "metodologia", "1.7 Metodología utilizada"),
    ("2. Principales hallazgos", "_hallazgos", "2.1 Principales hallazgos de la auditoría de cifras"),
    ("2. Principales hallazgos", "_fortalezas", "2.2 Fortalezas y oportunidades"),
    ("2. Principales hallazgos", "_debilidades", "2.2 Debilidades y amenazas"),
    ("2. Principales hallazgos", "indicadores_citados", "2.3 Indicadores y resultados citados"),
    ("3. Conclusiones y recomendaciones", "_recomendaciones", "3.2 Recomendaciones"),
    ("4. Datos de la instancia evaluadora", "coordinador", "4.1 Nombre del coordinador de la evaluación"),
    ("4. Datos de la instancia evaluadora", "instancia_evaluadora", "4.3 Institución a la que pertenece"),
    ("5. Identificación del programa", "fondo", "5.1 Programa o fondo evaluado"),
    ("5. Identificación del programa", "ejecutora", "5.6 Unidad administrativa a cargo del programa"),
    ("6. Datos de contratación", "tipo_contratacion", "6.1 Tipo de contratación"),
    ("6. Datos de contratación", "costo", "6.3 Costo total de la evaluación"),
    ("6. Datos de contratación", "fuente_financiamiento", "6.4 Fuente de financiamiento"),
]


def anexo5(foda: pd.DataFrame) -> pd.DataFrame:
    """FODA and recommendations by section of the evaluation, in the order captured."""
    if foda.empty:
        return pd.DataFrame(columns=COLUMNAS_FODA)
    return foda[COLUMNAS_FODA].reset_index(drop=True)


def _lista(textos: pd.Series) -> str | None:
    valores = [str(t) for t in textos if pd.notna(t) and str(t).strip()]
    return "\n".join(f"• {v}" for v in valores) or None


def anexo6(ficha: dict[str, str], foda: pd.DataFrame, hallazgos: pd.DataFrame | None = None,
           max_hallazgos: int = 5) -> pd.DataFrame:
    """The CONAC form as rows (seccion, campo, valor, pendiente)."""
    derivados = {
        "_fortalezas": _lista(foda["fortalezas_oportunidades"]) if not foda.empty else None,
        "_debilidades": _lista(foda["debilidades_amenazas"]) if not foda.empty else None,
        "_recomendaciones": _lista(foda["recomendaciones"]) if not foda.empty else None,
        "_hallazgos": None,
    }
    if hallazgos is not None and not hallazgos.empty:
        orden = {"error": 0, "advertencia": 1, "info": 2}
        principales = hallazgos.assign(_o=hallazgos["severidad"].map(orden)).sort_values("_o").head(max_hallazgos)
        derivados["_hallazgos"] = _lista(principales["mensaje"])
    filas = []
    for seccion, clave, etiqueta in CAMPOS_ANEXO6:
        valor = derivados[clave] if clave.startswith("_") else ficha.get(clave)
        valor = None if valor is None or (isinstance(valor, float) and pd.isna(valor)) or str(valor).strip() == "" else str(valor)
        filas.append({"seccion": seccion, "campo": etiqueta, "valor": valor,
                      "pendiente": "Sí" if valor is None else "No"})
    return pd.DataFrame(filas)


def pendientes_anexo6(tabla: pd.DataFrame) -> list[str]:
    """Labels of the CONAC fields still blank."""
    return list(tabla.loc[tabla["pendiente"] == "Sí", "campo"])
