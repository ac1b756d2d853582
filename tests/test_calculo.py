"""A report is computed once: the notebook shows the result ``report`` handed over, not a recomputation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from asm_analysis import auditoria
from asm_analysis.comun.errores import ErrorEntrada, ErrorInforme
from asm_analysis.entradas import datos as datos_mod
from asm_analysis.publicacion import calculo, cuaderno


def test_sin_resultado_el_cuaderno_calcula_lo_mismo_que_report(datos_demo):
    solo = calculo.obtener("Coahuila", 2024, "FASSA", datos_demo, actualizar=False)
    d = datos_mod.cargar(datos_demo, "05", 2024, "FASSA", actualizar=False)
    a = auditoria.calcular(d)
    pd.testing.assert_frame_equal(solo.anexos.anexo1, a.anexo1)
    pd.testing.assert_frame_equal(solo.anexos.hallazgos, a.hallazgos)
    assert len(a.hallazgos[a.hallazgos["severidad"] == "error"]) > 0  # Coahuila carries planted mistakes
    assert solo.anexos.resumen == a.resumen


def test_el_resultado_entregado_se_lee_tal_cual(datos_demo, tmp_path):
    c = calculo.calcular(datos_demo, "Colima", 2024, "FASSA", actualizar=False)
    c.anexos.notas["anexo2"] = "nota centinela 7731"
    ruta = calculo.guardar(c, tmp_path)
    leido = calculo.obtener("Colima", 2024, "FASSA", datos_demo, fecha_corte=c.datos.fecha_corte.isoformat(),
                            resultado=str(ruta))
    assert leido.anexos.notas["anexo2"] == "nota centinela 7731"
    pd.testing.assert_frame_equal(leido.anexos.anexo4, c.anexos.anexo4)


def test_un_resultado_de_otro_estado_se_rechaza(datos_demo, tmp_path):
    ruta = calculo.guardar(calculo.calcular(datos_demo, "Colima", 2024, "FASSA", actualizar=False), tmp_path)
    with pytest.raises(ErrorInforme, match="es de Colima .* piden Jalisco"):
        calculo.obtener("Jalisco", 2024, "FASSA", datos_demo, resultado=str(ruta))


@pytest.mark.parametrize("valor,esperado", [(None, None), ("", None), ("2025-06-30", dt.date(2025, 6, 30)),
                                            (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
                                            (dt.datetime(2025, 1, 2, 10, 5), dt.date(2025, 1, 2))])
def test_fecha_de_corte_del_parametro(valor, esperado):
    assert calculo.fecha_parametro(valor) == esperado


def test_fecha_de_corte_invalida_es_un_error_del_usuario():
    with pytest.raises(ErrorEntrada, match="fecha_corte = «30/06/2025»"):
        calculo.fecha_parametro("30/06/2025")


def test_la_pagina_muestra_lo_que_report_calculo(datos_demo, tmp_path):
    """The page is built from the handed-over result: a note changed in it (and nowhere else) is on the page."""
    c = calculo.calcular(datos_demo, "Colima", 2024, "FASSA", actualizar=False)
    c.anexos.notas["anexo2"] = "nota centinela 7731"
    carpeta = tmp_path / "informe"
    carpeta.mkdir()
    html = cuaderno.ejecutar_informe(c, carpeta, out=tmp_path, data_dir=datos_demo)
    assert "nota centinela 7731" in html.read_text(encoding="utf-8")
    assert not list(cuaderno.carpeta_privada().glob("calculo-*.pkl"))  # the hand-over file is removed
