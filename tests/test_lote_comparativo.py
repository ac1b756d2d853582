"""The national comparison's rows a batch computes in the parent while its workers run.

No kernel, no pool: the rows :class:`lote._FilasComparativo` writes must be read back by the
comparison exactly as it would have computed them itself.
"""

from __future__ import annotations

import json

import pandas as pd

from asm_analysis.auditoria import Tolerancias
from asm_analysis.ejecucion import lote
from asm_analysis.entradas import catalogos
from asm_analysis.publicacion import comparativo

ESTADOS = ["01", "06", "22"]


def test_filas_calculadas_en_el_padre_son_las_del_comparativo(datos_demo):
    fon = catalogos.resolver_fondo("FASSA")
    tol = Tolerancias.en_vigor(datos_demo, None)
    filas = lote._FilasComparativo(datos_demo, 2024, fon, ESTADOS + ["99"], tol)  # "99": no such state
    filas.join()
    try:
        assert sorted(filas.informes) == ESTADOS  # the one that cannot be loaded is left to the notebook
        por_filas = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=ESTADOS,
                                         informes=filas.informes)
        propio = comparativo.calcular(datos_demo, 2024, "FASSA", actualizar=False, estados=ESTADOS)
        pd.testing.assert_frame_equal(por_filas.tabla, propio.tabla)
        assert por_filas.archivos == json.loads(json.dumps(propio.archivos, default=str))
        assert list(por_filas.tabla["cve_ent"]) == ESTADOS and por_filas.tabla["aprobado"].gt(0).all()
        # a row is only read back for the fingerprint it was written with
        otro = {c: {**v, "huella": "0" * 64} for c, v in filas.informes.items()}
        assert all(comparativo.fila_de_informe(v["carpeta"], v["huella"]) is None for v in otro.values())
    finally:
        filas.limpiar()
    assert not filas.carpeta.exists()


def test_la_tarea_del_comparativo_espera_las_filas_y_no_pisa_las_del_lote(datos_demo):
    fon = catalogos.resolver_fondo("FASSA")
    filas = lote._FilasComparativo(datos_demo, 2024, fon, ["01", "02"], Tolerancias.en_vigor(datos_demo, None))
    try:
        tarea = {"ciclo": 2024, "informes": {"02": {"carpeta": "/informe/del/lote", "huella": "h"}}}
        completa = lote._con_filas(tarea, filas)()
        assert not filas.is_alive()
        assert list(completa["informes"]) == ["01", "02"]
        assert completa["informes"]["02"] == {"carpeta": "/informe/del/lote", "huella": "h"}  # the batch's report wins
        assert completa["informes"]["01"]["carpeta"].startswith(str(filas.carpeta))
        assert lote._con_filas(tarea, None)() is tarea
    finally:
        filas.limpiar()
