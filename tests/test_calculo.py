"""A report is computed once: the notebook shows the result ``report`` handed over, not a recomputation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from asm_analysis import auditoria
from asm_analysis.comun.errores import ErrorEntrada, ErrorInforme
from asm_analysis.entradas import datos as datos_mod
from asm_analysis.publicacion import calculo, cuaderno, kernel


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
                                            ("30/06/2025", dt.date(2025, 6, 30)),
                                            (dt.datetime(2025, 1, 2, 10, 5), dt.date(2025, 1, 2))])
def test_fecha_de_corte_del_parametro(valor, esperado):
    assert calculo.fecha_parametro(valor) == esperado


def test_fecha_de_corte_invalida_es_un_error_del_usuario():
    with pytest.raises(ErrorEntrada, match="fecha_corte = «el lunes»"):
        calculo.fecha_parametro("el lunes")


@pytest.mark.lenta
def test_la_pagina_muestra_lo_que_report_calculo(datos_demo, tmp_path):
    """The page is built from the handed-over result: a note changed in it (and nowhere else) is on the page."""
    c = calculo.calcular(datos_demo, "Colima", 2024, "FASSA", actualizar=False)
    c.anexos.notas["anexo2"] = "nota centinela 7731"
    carpeta = tmp_path / "informe"
    carpeta.mkdir()
    html = cuaderno.ejecutar_informe(c, carpeta, out=tmp_path, data_dir=datos_demo)
    assert "nota centinela 7731" in html.read_text(encoding="utf-8")
    assert not list(kernel.carpeta_privada().glob("calculo-*.pkl"))  # the hand-over file is removed


# --------------------------------------------------------------------------- the national comparison


def _informe(datos_demo, tmp_path, estado: str) -> tuple[dict, dict]:
    """A state's report (no page), and what the comparison is told about it."""
    from asm_analysis.ejecucion import reporte

    r = reporte.generar(estado, 2024, "FASSA", data_dir=datos_demo, out=tmp_path / "out", html=False,
                        actualizar=False)
    return r.manifiesto, {"carpeta": str(r.carpeta), "huella": r.manifiesto["huella"]}


def test_el_comparativo_lee_la_fila_del_informe_en_vez_de_recalcularla(datos_demo, tmp_path):
    import json

    from asm_analysis.publicacion import comparativo

    manifiesto, informe = _informe(datos_demo, tmp_path, "Colima")
    propio = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=["Colima", "Jalisco"])
    leido = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=["Colima", "Jalisco"],
                                 informes={"06": informe})
    pd.testing.assert_frame_equal(leido.tabla, propio.tabla)  # the same figures, whichever way
    assert leido.archivos == propio.archivos

    # the row really comes from the report: plant a figure in its manifest
    manifiesto["fila_comparativo"]["modificado"] = 123.45
    ruta = tmp_path / "out" / "2024" / "FASSA" / "06-colima" / "manifest.json"
    ruta.write_text(json.dumps(manifiesto), encoding="utf-8")
    plantado = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=["Colima"],
                                    informes={"06": informe})
    assert plantado.tabla.loc[0, "modificado"] == 123.45
    # ... and only when the report is current: another fingerprint means compute it
    otra = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=["Colima"],
                                informes={"06": {**informe, "huella": "0" * 64}})
    assert otra.tabla.loc[0, "modificado"] == propio.tabla.loc[0, "modificado"] != 123.45


def test_la_fila_del_comparativo_sobrevive_a_json(datos_demo, tmp_path):
    import json
    import math

    from asm_analysis.publicacion import comparativo

    for estado in ("Coahuila", "Veracruz"):
        c = calculo.calcular(datos_demo, estado, 2024, "FASSA", actualizar=False)
        fila = comparativo.fila_estado(c.datos, c.anexos)
        vuelta = json.loads(json.dumps(fila))
        assert set(vuelta) == set(comparativo.COLUMNAS)
        for k, v in fila.items():
            assert type(v) in (int, float, str, bool, type(None)), k
            assert (isinstance(v, float) and math.isnan(v) and math.isnan(vuelta[k])) or vuelta[k] == v, k
