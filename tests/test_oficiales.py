"""The official annex tables built from small annex tables (publicacion.oficiales), no files."""

from __future__ import annotations

import pandas as pd

from asm_analysis.publicacion import marcas, oficiales


def test_anexo4_una_tabla_federal_antes_que_estatal_con_filas_de_grupo():
    a4 = pd.DataFrame({"mir": ["Estatal", "Federal", "Estatal"], "nivel": ["Fin", "Propósito", "Componente"],
                       "indicador": ["a", "b", "c"], "meta": [1.0, 2.0, 3.0]}, index=[10, 11, 12])
    t = oficiales.anexo4(a4)
    f = t.filas
    assert list(f["tipo_fila"]) == ["grupo", "detalle", "grupo", "detalle", "detalle"]
    assert list(f["nivel"]) == ["Indicadores MIR Federal", "Propósito", "Indicadores MIR Estatal", "Fin", "Componente"]
    assert list(f["origen"])[1:] == [11, None, 10, 12]
    assert [c for c, _, _ in t.columnas(2024)] == ["nivel", "indicador", "frecuencia", "unidad_medida", "meta",
                                                  "avance", "cumplimiento", "meta_anterior", "avance_anterior",
                                                  "cumplimiento_anterior", "medios_verificacion", "justificacion"]


def test_anexo2_total_de_la_ejecutora_con_las_letras_de_sus_subtotales():
    a2 = pd.DataFrame([
        {"tipo_fila": "detalle", "orden_gobierno": "Federal", "fuente": "FASSA", "monto": 60.0, "porcentaje": 60.0},
        {"tipo_fila": "detalle", "orden_gobierno": "Federal", "fuente": "Otro", "monto": 10.0, "porcentaje": 10.0},
        {"tipo_fila": "subtotal", "orden_gobierno": "Federal", "fuente": "Subtotal Federal (a)", "monto": 70.0},
        {"tipo_fila": "detalle", "orden_gobierno": "Estatal", "fuente": "Estatal", "monto": 30.0, "porcentaje": 30.0},
        {"tipo_fila": "subtotal", "orden_gobierno": "Estatal", "fuente": "Subtotal Estatal (b)", "monto": 30.0},
        {"tipo_fila": "total", "orden_gobierno": "TOTAL", "fuente": "Total (a + b)", "monto": 100.0},
    ])
    f = oficiales.anexo2(a2, 2025).filas
    assert f["orden_gobierno"].iloc[0] == "INGRESOS TOTALES 2025"
    assert list(f["orden_gobierno"].iloc[1:4]) == ["Federal", "", ""]  # the order on its first row only
    assert f["orden_gobierno"].iloc[-1] == "Total de ingresos 2025 de la Ejecutora (a\u00a0+\u00a0b)"
    assert f["monto"].iloc[-1] == 100.0


def test_marcas_caen_en_la_celda_impresa_de_su_fila_y_columna():
    a1 = pd.DataFrame([
        {"tipo_fila": "detalle", "capitulo": "1000", "concepto": "1100", "descripcion": "Remuneraciones",
         "aprobado": 1.0, "modificado": 1.0},
        {"tipo_fila": "subtotal", "capitulo": "1000", "concepto": None, "descripcion": "Subtotal", "aprobado": 1.0,
         "modificado": 2.0},
    ], index=[5, 6])
    t = oficiales.anexo1(a1)
    assert list(t.filas["capitulo_gasto"]) == ["1000: Servicios personales", "Subtotal capítulo 1000"]
    m = pd.DataFrame([("anexo1", 6, "modificado", 1, "u", "1", "2", "R", "error", ""),
                      ("anexo1", 5, "descripcion", 2, "u", "x", "y", "R", "error", ""),
                      ("anexo1", 5, "pct_devengado_modificado", 3, "u", "x", "y", "R", "error", ""),
                      ("anexo2", 5, "monto", 1, "u", "x", "y", "R", "error", "")], columns=marcas.COLUMNAS_MARCAS[:10])
    assert oficiales.marcas_en(t, m) == {(1, "modificado"): [1], (0, "concepto"): [2]}
    assert oficiales.nota_marcas(m.iloc[:1]) == ["1. u: reportado 1; recalculado 2."]
