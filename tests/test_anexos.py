"""The annexes against the published figures and against independent computations."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asm_analysis import anexos
from asm_analysis import auditoria
from asm_analysis.anexos import asm, concurrencia
from asm_analysis.entradas import datos
from asm_analysis.anexos import destino, indicadores
from asm_analysis.ejecucion.cli import main

RAIZ = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data_dir(datos_compartidos) -> Path:
    return datos_compartidos


@pytest.fixture(scope="module")
def dir_demo(datos_demo) -> Path:
    return datos_demo


@pytest.fixture(scope="module")
def ags(data_dir) -> anexos.Anexos:
    return auditoria.calcular(datos.cargar(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR", actualizar=False))


# --------------------------------------------------------------------------- Anexo 1

PUBLICADO_APROBADO = {"1000": 200_582_447.02, "2000": 143_833_262.39, "3000": 81_255_455.59,
                      "4000": 0.0, "5000": 1_100_000.00}


def test_anexo1_aprobado_reproduce_lo_publicado(ags):
    a1 = ags.anexo1
    subtotales = a1[a1["tipo_fila"] == "subtotal"].set_index("capitulo")["aprobado"]
    for capitulo, publicado in PUBLICADO_APROBADO.items():
        assert subtotales[capitulo] == pytest.approx(publicado, abs=0.005)
    total = a1[a1["tipo_fila"] == "total"].iloc[0]
    assert total["aprobado"] == pytest.approx(426_771_165.00, abs=0.005)


def test_anexo1_tiene_los_nueve_capitulos_con_ceros(ags):
    a1 = ags.anexo1
    assert list(a1.loc[a1["tipo_fila"] == "subtotal", "capitulo"]) == [f"{i}000" for i in range(1, 10)]
    cap9 = a1[(a1["tipo_fila"] == "detalle") & (a1["capitulo"] == "9000")]
    assert len(cap9) > 0 and (cap9[["aprobado", "modificado", "devengado", "pagado"]] == 0).all().all()


def test_anexo1_subtotales_son_la_suma_de_sus_conceptos(ags):
    a1 = ags.anexo1
    det = a1[a1["tipo_fila"] == "detalle"]
    for capitulo, grupo in det.groupby("capitulo"):
        fila = a1[(a1["tipo_fila"] == "subtotal") & (a1["capitulo"] == capitulo)].iloc[0]
        for momento in destino.MONTOS:
            assert fila[momento] == pytest.approx(sum(grupo[momento]), abs=0.01)


def test_anexo1_disponible_se_calcula_si_no_se_reporta():
    det = pd.DataFrame([{"capitulo": "2000", "concepto": "2100", "descripcion": "x", "aprobado": 10.0,
                         "modificado": 10.0, "devengado": 7.5, "pagado": 7.0, "disponible": np.nan}])
    a1 = destino.anexo1(det)
    fila = a1[a1["concepto"] == "2100"].iloc[0]
    assert fila["disponible"] == 2.5
    assert fila["pct_devengado_modificado"] == 75.0


def _suma_srft_independiente(ruta: Path, cve: int, ciclo: int) -> dict[str, dict[str, float]]:
    """Chapter totals of FASSA from the raw SHCP CSV with the csv module only."""
    with open(ruta, encoding="latin-1", newline="") as f:
        filas = [r for r in csv.DictReader(f)
                 if int(r["ID_ENTIDAD_FEDERATIVA"]) == cve and int(r["CICLO"]) == ciclo
                 and r["ID_RAMO"] == "33" and r["MODALIDAD_PP"] == "I002" and r["ID_MUNICIPIO"] == "0"]
    ultimo = max(int(r["TRIMESTRE"]) for r in filas)
    suma: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in filas:
        if int(r["TRIMESTRE"]) == ultimo and int(r["CICLO_RECURSO"]) == ciclo:
            for m in ("aprobado", "modificado", "devengado", "pagado"):
                suma[r["ID_PARTIDA_GENERICA"][0] + "000"][m] += float(r[f"MONTO_{m.upper()}"])
    return suma


@pytest.mark.parametrize("cve,ciclo,archivo", [(22, 2024, "ejercicio_del_gasto_2024_demo.csv"),
                                               (15, 2023, "ejercicio_del_gasto_2023_demo.csv")])
def test_anexo1_desde_srft_igual_a_groupby_del_csv(dir_demo, cve, ciclo, archivo):
    d = datos.cargar(dir_demo, f"{cve:02d}", ciclo, "FASSA", actualizar=False)
    a1 = anexos.calcular(d).anexo1
    esperado = _suma_srft_independiente(dir_demo / "raw" / "srft" / archivo, cve, ciclo)
    sub = a1[a1["tipo_fila"] == "subtotal"].set_index("capitulo")
    for capitulo in sub.index:
        for m in ("aprobado", "modificado", "devengado", "pagado"):
            assert sub.loc[capitulo, m] == pytest.approx(esperado.get(capitulo, {}).get(m, 0.0), abs=0.01)
    total = a1[a1["tipo_fila"] == "total"].iloc[0]
    assert total["modificado"] == pytest.approx(sum(v["modificado"] for v in esperado.values()), abs=0.01)


def test_recursos_de_anios_anteriores_van_aparte(dir_demo):
    d = datos.cargar(dir_demo, "22", 2024, "FASSA", actualizar=False)
    assert not d.arrastre.empty and (d.arrastre["ciclo_recurso"] < 2024).all()
    assert (d.srft["ciclo_recurso"] == 2024).all()
    arr = destino.anexo1_arrastre(d.arrastre)
    assert arr.iloc[-1]["modificado"] == pytest.approx(d.arrastre["modificado"].sum(), abs=0.01)


# --------------------------------------------------------------------------- Anexo 2

def test_anexo2_total_y_porcentajes(ags):
    a2 = ags.anexo2
    total = a2[a2["tipo_fila"] == "total"].iloc[0]
    assert total["monto"] == 4_455_911_143
    fassa = a2[a2["fuente"] == "FASSA"].iloc[0]
    assert fassa["porcentaje"] == pytest.approx(round(2_234_209_833 / 4_455_911_143 * 100, 2))
    assert fassa["porcentaje"] == 50.14
    federal = a2[(a2["tipo_fila"] == "subtotal") & (a2["orden_gobierno"] == "Federal")].iloc[0]
    assert federal["monto"] == 2_657_865_233
    assert a2.loc[a2["tipo_fila"] == "detalle", "porcentaje"].sum() == pytest.approx(100, abs=0.05)
    assert concurrencia.participacion_federal(a2) == 59.65


# --------------------------------------------------------------------------- Anexo 4

def test_anexo4_cumplimiento_por_sentido(ags):
    a4 = ags.anexo4.set_index("indicador")
    mm = a4.loc["Razón de Mortalidad Materna de mujeres sin seguridad social."]
    assert mm["sentido"] == "Descendente" and mm["cumplimiento"] == round(16.46 / 17.20 * 100, 2) == 95.70
    medicos = a4[a4.index.str.startswith("Médicos generales")].iloc[0]
    assert medicos["cumplimiento"] == 83.96 and medicos["semaforo"] == "Amarillo"


@pytest.mark.parametrize("meta,avance,sentido,esperado", [
    (100, 90, "Ascendente", 90.0), (20, 25, "Descendente", 80.0), (None, 5, "Ascendente", None),
    (0, 5, "Ascendente", None), (0, 5, "Descendente", None), (10, 0, "Descendente", None),
    (10, None, "Ascendente", None), (10, 5, None, None),
])
def test_cumplimiento_sin_division_entre_cero(meta, avance, sentido, esperado):
    valor, nota = indicadores.cumplimiento(meta, avance, sentido)
    if esperado is None:
        assert np.isnan(valor) and nota
    else:
        assert valor == pytest.approx(esperado) and nota is None


@pytest.mark.parametrize("valor,banda", [(69.99, "Rojo"), (70, "Amarillo"), (89.9, "Amarillo"), (90, "Verde"),
                                         (110, "Verde"), (110.01, "Sobrecumplimiento")])
def test_semaforo_por_omision(valor, banda):
    assert indicadores.semaforo(valor) == banda


def test_semaforo_con_umbrales_del_indicador():
    assert indicadores.semaforo(85, verde=80, amarillo=60) == "Verde"


def test_valores_del_anio_anterior_desde_el_ciclo_previo():
    actual = pd.DataFrame([{"mir": "Federal", "nivel": "Fin", "indicador": "Tasa X", "frecuencia": None,
                            "unidad_medida": None, "sentido": "Ascendente", "meta": 10.0, "avance": 9.0,
                            "meta_anterior": np.nan, "avance_anterior": np.nan, "medios_verificacion": None,
                            "justificacion": None}])
    previo = actual.assign(indicador="TASA x", meta=8.0, avance=8.0)
    fila = indicadores.anexo4(actual, previo).iloc[0]
    assert fila["meta_anterior"] == 8.0 and fila["cumplimiento_anterior"] == 100.0
    assert fila["origen_anterior"] == "ciclo anterior" and fila["variacion_cumplimiento"] == -10.0


# --------------------------------------------------------------------------- ASM

def test_promedios_por_asm_de_imss_bienestar(data_dir):
    """Seed 001 publishes a «Promedio» per ASM: 98, 100, 100, 100, 100, 33, 45, 36."""
    from asm_analysis.entradas.nacional import leer_nacional

    tabla = pd.read_csv(data_dir / "raw" / "asm" / "publicado_imss_bienestar_2022.csv", dtype=str)

    filas = leer_nacional(data_dir / "raw" / "asm" / "publicado_imss_bienestar_2022.csv", "asm").tabla
    resumen = asm.por_asm(asm.preparar(filas, 2022), dt.date(2022, 9, 30))
    assert list(resumen["avance_promedio_asm"]) == [98, 100, 100, 100, 100, 33, 45, 36]
    assert len(resumen) == len(tabla)


def test_seguimiento_queretaro_promedia_acciones():
    from asm_analysis.entradas.nacional import leer_nacional

    filas = leer_nacional(RAIZ / "data" / "raw" / "asm" / "publicado_queretaro_fassa_2019.csv", "asm").tabla
    acciones = asm.preparar(filas, 2019)
    resumen = asm.por_asm(acciones, dt.date(2021, 1, 15))
    assert len(resumen) == 5 and (resumen["acciones"] == 3).all()
    assert (resumen["estatus"] == "Atendido").all()
    seg = asm.seguimiento(acciones, dt.date(2021, 1, 15))
    assert len(seg) == 15 and (seg["avance_promedio_asm"] == 100).all()


def _acciones(filas):
    base = {"aspecto": "Actualizar el diagnóstico", "tipo": "Específico", "prioridad": "Alta",
            "area_responsable": "Planeación", "accion": "a", "fecha_inicio": dt.date(2024, 1, 1),
            "documento_probatorio": None, "observaciones": None, "estatus_reportado": None}
    return pd.DataFrame([{**base, **f} for f in filas])


def test_vencido_con_dias_y_promedio():
    corte = dt.date(2025, 9, 30)
    t = _acciones([
        {"numero": "1", "evaluacion_origen": "EED FASSA 2023", "avance": 50, "fecha_termino": dt.date(2025, 6, 30)},
        {"numero": "1", "evaluacion_origen": "EED FASSA 2023", "avance": 100, "fecha_termino": dt.date(2025, 8, 31)},
        {"numero": "2", "evaluacion_origen": "EED FASSA 2023", "avance": 100, "fecha_termino": dt.date(2025, 1, 31)},
        {"numero": "3", "evaluacion_origen": "EED FASSA 2024", "avance": 20, "fecha_termino": dt.date(2026, 3, 31)},
    ])
    r = asm.por_asm(asm.preparar(t, 2024), corte).set_index("numero")
    assert r.loc["1", "avance_promedio_asm"] == 75 and r.loc["1", "estatus"] == "Vencido"
    assert r.loc["1", "dias_vencido"] == (corte - dt.date(2025, 8, 31)).days
    assert r.loc["2", "estatus"] == "Atendido" and r.loc["3", "estatus"] == "En proceso"
    conteo = asm.conteos(asm.por_asm(asm.preparar(t, 2024), corte))
    assert conteo[["Atendido", "En proceso", "Vencido"]].sum().tolist() == [1, 1, 1]


def test_reincidencia_difusa_entre_anios():
    t = _acciones([
        {"numero": "1", "evaluacion_origen": "EED FASSA 2022", "avance": 40, "fecha_termino": dt.date(2023, 6, 30),
         "aspecto": "Actualizar el Diagnóstico Estatal de Salud"},
        {"numero": "4", "evaluacion_origen": "EED FASSA 2023", "avance": 10, "fecha_termino": dt.date(2024, 6, 30),
         "aspecto": "actualizar el diagnostico estatal de salud."},
        {"numero": "2", "evaluacion_origen": "EED FASSA 2023", "avance": 10, "fecha_termino": dt.date(2024, 6, 30),
         "aspecto": "Publicar los medios de verificación"},
    ])
    r = asm.por_asm(asm.preparar(t, 2024), dt.date(2025, 9, 30))
    a3 = asm.anexo3(r, 2024).set_index("numero")
    assert a3.loc["1", "reincidente"] == "Sí" and a3.loc["1", "evaluaciones_reincidencia"] == "EED FASSA 2023"
    assert a3.loc["4", "reincidente"] == "Sí" and a3.loc["2", "reincidente"] == "No"


def test_anexos_3_y_7_de_aguascalientes(ags):
    assert list(ags.anexo7["numero"]) == ["1", "2", "3", "4", "5"]
    assert set(ags.anexo7["prioridad"]) == {"Alta"}
    assert len(ags.anexo3) == 3 and set(ags.anexo3["motivo"]) == {"100% ATENDIDO"}


# --------------------------------------------------------------------------- report command

@pytest.mark.lenta
@pytest.mark.parametrize("args,demo", [
    (["--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR"], False),
    (["--estado", "Querétaro", "--ciclo", "2024", "--fondo", "FASSA"], True),
])
def test_report_escribe_todos_los_archivos(data_dir, dir_demo, tmp_path, args, demo, capsys):
    datos_dir = dir_demo if demo else data_dir
    assert main(["report", *args, "--data-dir", str(datos_dir), "--out", str(tmp_path), "--sin-html"]) == 0
    (carpeta,) = [p for p in tmp_path.glob("2024/*/*") if p.is_dir()]
    esperados = {"anexos.xlsx", "manifest.json", "anexo1_destino.csv", "anexo2_concurrencia.csv",
                 "anexo3_asm_no_atendidos.csv", "anexo4_indicadores.csv", "anexo5_foda.csv",
                 "anexo7_asm.csv", "seguimiento_asm.csv", "hallazgos.csv"}
    assert esperados <= {p.name for p in carpeta.iterdir()}
    a1 = pd.read_csv(carpeta / "anexo1_destino.csv")
    assert a1.loc[a1["tipo_fila"] == "total", "aprobado"].iloc[0] == pytest.approx(
        a1.loc[a1["tipo_fila"] == "detalle", "aprobado"].sum(), abs=0.01)


def test_report_sin_datos_es_error_claro(data_dir, tmp_path, capsys):
    assert main(["report", "--estado", "Zacatecas", "--ciclo", "2020", "--fondo", "FASSA",
                 "--data-dir", str(data_dir), "--out", str(tmp_path / "o"), "--sin-html"]) == 2
    err = capsys.readouterr().err
    assert "no hay datos" in err and "Zacatecas" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").rglob("*.csv"))


# --------------------------------------------------------------------------- invariants (hypothesis)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from asm_analysis.entradas import catalogos  # noqa: E402

_CONCEPTOS = list(catalogos.conceptos()["concepto"])
_monto = st.decimals(min_value=0, max_value=10**10, places=2).map(float)


@settings(deadline=None)  # examples: the profile in conftest.py
@given(st.lists(st.tuples(st.sampled_from(_CONCEPTOS), _monto, _monto, _monto, _monto), max_size=25))
def test_anexo1_detalles_suman_subtotales_y_total(filas):
    det = pd.DataFrame([{"capitulo": catalogos.capitulo_de(c), "concepto": c, "descripcion": "x", "aprobado": a,
                         "modificado": m, "devengado": d, "pagado": p, "disponible": np.nan}
                        for c, a, m, d, p in filas], columns=["capitulo", "concepto", "descripcion", *destino.MONTOS])
    a1 = destino.anexo1(det)
    total = a1[a1["tipo_fila"] == "total"].iloc[0]
    for m in ("aprobado", "modificado", "devengado", "pagado"):
        esperado = sum(f[1 + ["aprobado", "modificado", "devengado", "pagado"].index(m)] for f in filas)
        assert total[m] == pytest.approx(esperado, abs=0.01 * max(1, len(filas)))
        sub = a1[a1["tipo_fila"] == "subtotal"]
        assert sub[m].sum() == pytest.approx(total[m], abs=0.01 * max(1, len(filas)))
    assert len(a1[a1["tipo_fila"] == "subtotal"]) == 9


_ORDENES = ["Federal", "Estatal", "Ingresos propios", "Otros"]


@settings(deadline=None)  # examples: the profile in conftest.py
@given(st.lists(st.tuples(st.sampled_from(_ORDENES), st.decimals(min_value=1, max_value=10**10, places=2).map(float)),
                min_size=1, max_size=12))
def test_anexo2_porcentajes_suman_cien(filas):
    conc = pd.DataFrame([{"orden_gobierno": o, "fuente": f"F{i}", "monto": m, "porcentaje": np.nan,
                          "fundamento_legal": None, "comentarios": None} for i, (o, m) in enumerate(filas)])
    a2 = concurrencia.anexo2(conc)
    det = a2[a2["tipo_fila"] == "detalle"]
    assert det["porcentaje"].sum() == pytest.approx(100, abs=0.005 * len(det) + 1e-9)
    subtotales = a2[a2["tipo_fila"] == "subtotal"].set_index("orden_gobierno")["monto"]
    for orden in _ORDENES:
        assert subtotales[orden] == pytest.approx(sum(m for o, m in filas if o == orden), abs=0.01)
    assert a2.iloc[-1]["monto"] == pytest.approx(sum(m for _, m in filas), abs=0.01)
