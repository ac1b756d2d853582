"""The fast forms of the annexes and the audit give what their plain definitions give, value by value.

Each annex computed without a per-row pandas ``apply`` (one row per ASM, Anexo 1, the ASM counts,
Anexo 2) is compared, dtypes and missing values included, with its definition written the
straightforward way (pandas aggregations with Python functions, per-group loops), on generated
tables with repeated keys, blanks, texts as numbers and empty inputs. The rows the rules read as
dicts are the rows ``iterrows`` gives; the workbook and the charts are the same bytes as openpyxl
and matplotlib make them without the shortcuts.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asm_analysis.anexos import asm, concurrencia, destino
from asm_analysis.anexos.filas import como_dicts
from asm_analysis.entradas import catalogos
from asm_analysis.entradas.tablas import ORDEN_LETRAS

# --------------------------------------------------------------------------- the plain definitions


def por_asm_definicion(acciones: pd.DataFrame, corte: dt.date) -> pd.DataFrame:
    """One row per ASM, as first written: a groupby with a Python function per text column."""
    cols = ["id_asm", "evaluacion_origen", "ciclo_origen", "numero", "aspecto", "tipo", "prioridad",
            "area_responsable", "pregunta", "inciso", "estatus_reportado", "observaciones",
            "fecha_termino", "avance_promedio_asm", "acciones", "estatus", "dias_vencido"]
    if acciones.empty:
        return pd.DataFrame(columns=cols)
    primero = lambda s: next((v for v in s if pd.notna(v)), None)  # noqa: E731
    g = acciones.groupby("id_asm", sort=False)
    t = g.agg(evaluacion_origen=("evaluacion_origen", "first"), ciclo_origen=("ciclo_origen", "first"),
              numero=("numero", "first"), aspecto=("aspecto", primero), tipo=("tipo", primero),
              prioridad=("prioridad", primero), area_responsable=("area_responsable", primero),
              pregunta=("pregunta", primero), inciso=("inciso", primero),
              estatus_reportado=("estatus_reportado", primero), observaciones=("observaciones", primero),
              fecha_termino=("fecha_termino", lambda s: max((v for v in s if pd.notna(v)), default=None)),
              avance_promedio_asm=("avance", "mean"), acciones=("avance", "size")).reset_index()
    t["avance_promedio_asm"] = t["avance_promedio_asm"].round(2)
    calculado = [asm.estatus(p, f, corte) for p, f in zip(t["avance_promedio_asm"], t["fecha_termino"])]
    t["estatus"] = [c[0] for c in calculado]
    t["dias_vencido"] = [c[1] for c in calculado]
    return t[cols]


def anexo1_definicion(detalle: pd.DataFrame) -> pd.DataFrame:
    """Anexo 1 as first written: concepts summed with a Python function, one concat per chapter."""
    det = detalle.copy()
    for m in destino.MONTOS:
        det[m] = pd.to_numeric(det[m], errors="coerce")
    det["disponible"] = det["disponible"].fillna(det["modificado"] - det["devengado"])
    por_concepto = det.groupby("concepto", as_index=False).agg(
        {**{m: lambda s: s.sum(min_count=1) for m in destino.MONTOS}, "descripcion": "first"})
    catalogo = catalogos.conceptos()[["capitulo", "concepto", "nombre"]]
    tabla = catalogo.merge(por_concepto, on="concepto", how="left")
    tabla["descripcion"] = tabla["nombre"]
    tabla = tabla.drop(columns="nombre")
    tabla[destino.MONTOS] = tabla[destino.MONTOS].fillna(0.0)
    tabla["tipo_fila"] = "detalle"
    filas = []
    for capitulo, grupo in tabla.groupby("capitulo", sort=True):
        filas.append(grupo)
        sub = {"tipo_fila": "subtotal", "capitulo": capitulo, "concepto": None,
               "descripcion": f"Subtotal capítulo {capitulo}: {catalogos.nombre_capitulo(capitulo)}"}
        sub.update({m: grupo[m].sum() for m in destino.MONTOS})
        filas.append(pd.DataFrame([sub]))
    cuerpo = pd.concat(filas, ignore_index=True)
    total = {"tipo_fila": "total", "capitulo": "TOTAL", "concepto": None, "descripcion": "Gran total"}
    total.update({m: cuerpo.loc[cuerpo["tipo_fila"] == "subtotal", m].sum() for m in destino.MONTOS})
    resultado = pd.concat([cuerpo, pd.DataFrame([total])], ignore_index=True)
    resultado[destino.MONTOS] = resultado[destino.MONTOS].round(2)
    resultado["pct_devengado_modificado"] = destino._pct(resultado["devengado"], resultado["modificado"])
    resultado["pct_pagado_devengado"] = destino._pct(resultado["pagado"], resultado["devengado"])
    return resultado[destino.COLUMNAS]


def conteos_definicion(resumen: pd.DataFrame) -> pd.DataFrame:
    """The ASM counts as first written: a crosstab."""
    cols = ["tipo", "prioridad", *asm.ESTATUS, "total", "avance_promedio"]
    t = resumen.assign(tipo=resumen["tipo"].fillna("Sin tipo"), prioridad=resumen["prioridad"].fillna("Sin prioridad"))
    tabla = pd.crosstab([t["tipo"], t["prioridad"]], t["estatus"]).reindex(columns=list(asm.ESTATUS), fill_value=0)
    tabla["total"] = tabla.sum(axis=1)
    tabla["avance_promedio"] = t.groupby(["tipo", "prioridad"])["avance_promedio_asm"].mean().round(2)
    return tabla.reset_index()[cols]


def anexo2_definicion(tabla_concurrencia: pd.DataFrame) -> pd.DataFrame:
    """Anexo 2 as first written: the source rows of each order read with ``iterrows``."""
    det = concurrencia.detalle(tabla_concurrencia)
    reportados = tabla_concurrencia[tabla_concurrencia["fuente"].isna()]
    total = float(det["monto"].fillna(0).sum())
    filas = []
    for orden, letra in ORDEN_LETRAS.items():
        grupo = det[det["orden_gobierno"] == orden]
        for _, f in grupo.iterrows():
            filas.append({"tipo_fila": "detalle", "orden_gobierno": orden, "fuente": f["fuente"],
                          "monto": f["monto"], "fundamento_legal": f.get("fundamento_legal"),
                          "comentarios": f.get("comentarios")})
        rep = reportados[reportados["orden_gobierno"] == orden] if not reportados.empty else reportados
        filas.append({
            "tipo_fila": "subtotal", "orden_gobierno": orden, "fuente": f"Subtotal {orden} ({letra})",
            "monto": float(grupo["monto"].fillna(0).sum()),
            "fundamento_legal": rep["fundamento_legal"].iloc[0] if len(rep) else None,
            "comentarios": rep["comentarios"].iloc[0] if len(rep) else None,
        })
    filas.append({"tipo_fila": "total", "orden_gobierno": "TOTAL", "fuente": "Total (a + b + c + d)",
                  "monto": total, "fundamento_legal": None, "comentarios": None})
    tabla = pd.DataFrame(filas)
    tabla["monto"] = pd.to_numeric(tabla["monto"]).round(2)
    tabla["porcentaje"] = (tabla["monto"] / total * 100).round(2) if total else float("nan")
    return tabla[concurrencia.COLUMNAS]


def _iguales(calculada: pd.DataFrame, esperada: pd.DataFrame) -> None:
    """Same columns, dtypes, values and missing values (None stays None, NaN stays NaN)."""
    pd.testing.assert_frame_equal(calculada, esperada, check_exact=True)
    for c in esperada.columns:
        assert [type(v) for v in calculada[c]] == [type(v) for v in esperada[c]], c


# --------------------------------------------------------------------------- generated inputs

_TEXTOS = st.one_of(st.none(), st.just(np.nan), st.sampled_from(["Alta", "Media", "aspecto A", "Á b", ""]))
_FECHAS = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))


@st.composite
def acciones_asm(draw, texto=_TEXTOS) -> pd.DataFrame:
    """ASM action rows as the loaders give them: repeated aspects, blanks, dates and progress."""
    n = draw(st.integers(0, 9))
    filas = []
    for _ in range(n):
        filas.append({
            "evaluacion_origen": draw(st.one_of(st.none(), st.sampled_from(["EED 2022", "EED 2023", "Evaluación 2024"]))),
            "numero": draw(st.one_of(st.none(), st.sampled_from(["1", "2", "3"]))),
            **{c: draw(texto) for c in asm._PRIMER_DATO},
            "accion": "acción", "fecha_inicio": draw(_FECHAS), "fecha_termino": draw(_FECHAS),
            "avance": draw(st.one_of(st.none(), st.floats(0, 120, allow_nan=False))),
            "documento_probatorio": None, "ciclo": 2024,
        })
    columnas = ["evaluacion_origen", "numero", *asm._PRIMER_DATO, "accion", "fecha_inicio", "fecha_termino",
                "avance", "documento_probatorio", "ciclo"]
    return pd.DataFrame(filas, columns=columnas)


@given(acciones_asm())
def test_por_asm_es_su_definicion(tabla):
    acciones = asm.preparar(tabla, 2024)
    corte = dt.date(2025, 9, 30)
    _iguales(asm.por_asm(acciones, corte), por_asm_definicion(acciones, corte))
    resumen = asm.por_asm(acciones, corte)
    _iguales(asm.seguimiento(acciones, corte, resumen), asm.seguimiento(acciones, corte))


@given(acciones_asm(texto=st.one_of(st.none(), st.just(np.nan), st.sampled_from(["Alta", "x"]), st.integers(1, 3),
                                    st.floats(0, 5, allow_nan=False))))
def test_por_asm_con_numeros_en_los_textos_es_su_definicion(tabla):
    """A text column holding numbers takes the path where pandas decides the column's type."""
    acciones = asm.preparar(tabla, 2024)
    corte = dt.date(2025, 9, 30)
    _iguales(asm.por_asm(acciones, corte), por_asm_definicion(acciones, corte))


def test_por_asm_de_columnas_vacias_de_tipo_numerico():
    """A column all blank, read as float NaN (no text at all), gives None per ASM as its definition does."""
    tabla = pd.DataFrame({**{c: [np.nan, np.nan] for c in (*asm._PRIMER_DATO, "fecha_inicio", "fecha_termino")},
                          "evaluacion_origen": ["EED 2023"] * 2, "numero": ["1", "2"], "ciclo": [2024, 2024],
                          "avance": [10.0, np.nan]})
    acciones = asm.preparar(tabla, 2024)
    _iguales(asm.por_asm(acciones, dt.date(2025, 9, 30)), por_asm_definicion(acciones, dt.date(2025, 9, 30)))


@given(acciones_asm())
def test_conteos_es_su_definicion(tabla):
    resumen = asm.por_asm(asm.preparar(tabla, 2024), dt.date(2025, 9, 30))
    if resumen.empty:
        assert asm.conteos(resumen).empty
        return
    _iguales(asm.conteos(resumen), conteos_definicion(resumen))


_CONCEPTOS = ["1100", "1200", "2100", "2600", "3300", "5100", "9100"]
_MONTO = st.one_of(st.none(), st.just(np.nan), st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 2)),
                   st.integers(0, 10**6), st.sampled_from(["1.5", "no"]))


@st.composite
def detalle_destino(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    filas = [{"capitulo": None, "concepto": draw(st.one_of(st.none(), st.sampled_from(_CONCEPTOS))),
              "descripcion": "x", **{m: draw(_MONTO) for m in destino.MONTOS}} for _ in range(n)]
    return pd.DataFrame(filas, columns=["capitulo", "concepto", "descripcion", *destino.MONTOS])


@given(detalle_destino())
def test_anexo1_es_su_definicion(detalle):
    _iguales(destino.anexo1(detalle), anexo1_definicion(detalle))


def test_anexo1_de_montos_de_tipo_numerico_es_su_definicion():
    """Typed columns (float, int) as the store gives them, one row per concept and repeated concepts."""
    for conceptos in (["1100", "2100", "3300"], ["1100", "1100", "2100"]):
        detalle = pd.DataFrame({"capitulo": None, "concepto": conceptos, "descripcion": "x",
                                "aprobado": [0.1, 0.2, 0.3], "modificado": [1e9 + 0.01, 2.5, np.nan],
                                "devengado": [3, 4, 5], "pagado": [np.nan] * 3, "disponible": [np.nan, 1.0, np.nan]})
        _iguales(destino.anexo1(detalle), anexo1_definicion(detalle))


@st.composite
def tabla_concurrencia(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 8))
    filas = []
    for i in range(n):
        orden = draw(st.sampled_from([*ORDEN_LETRAS, "TOTAL"]))
        filas.append({"orden_gobierno": orden, "fuente": draw(st.one_of(st.none(), st.sampled_from(["FASSA", "Otra"]))),
                      "monto": draw(st.one_of(st.just(np.nan), st.floats(0, 1e9, allow_nan=False))),
                      "porcentaje": np.nan, "fundamento_legal": draw(_TEXTOS), "comentarios": draw(_TEXTOS),
                      "fila": i + 9})
    return pd.DataFrame(filas)


@given(tabla_concurrencia())
def test_anexo2_es_su_definicion(tabla):
    _iguales(concurrencia.anexo2(tabla), anexo2_definicion(tabla))


# --------------------------------------------------------------------------- rows as dicts


@pytest.mark.parametrize("tabla", [
    pd.DataFrame({"a": ["x", None], "b": [1.5, np.nan], "c": [1, 2], "d": [True, False],
                  "e": pd.to_datetime(["2024-01-01", None]), "f": [dt.date(2024, 1, 1), pd.NaT]}),
    pd.DataFrame({"a": [1.5, 2.0], "b": [3.0, np.nan]}),
    pd.DataFrame({"a": [1, 2]}),
    pd.DataFrame({"a": pd.to_datetime(["2024-01-01", None])}),
    pd.DataFrame({"a": pd.Series(["x", None], dtype="string"), "b": pd.array([1, None], dtype="Int64")}),
    pd.DataFrame(columns=["a", "b"]),
])
def test_como_dicts_da_los_valores_de_iterrows(tabla):
    dicts = como_dicts(tabla)
    filas = [r for _, r in tabla.iterrows()]
    assert len(dicts) == len(filas)
    for d, r in zip(dicts, filas):
        assert list(d) == list(r.index)
        for c in r.index:
            a, b = d[c], r[c]
            assert type(a) is type(b) and (a is b or a == b or (pd.isna(a) and pd.isna(b))), (c, a, b)


# --------------------------------------------------------------------------- the rules' prefilters


def test_las_filas_candidatas_incluyen_toda_fila_con_hallazgo():
    from asm_analysis.auditoria.destino import _alguna

    t = pd.DataFrame({"a": [1.0, -1.0, np.nan, -0.004], "b": [0.0, 0.0, -5.0, 0.0]})
    assert list(_alguna(t, lambda v: [v["a"] < -0.005, v["b"] < -0.005], ["a", "b"]).index) == [1, 2]
    # a column that is not float64: every row, the rule decides row by row
    t2 = t.assign(a=t["a"].astype(object))
    assert _alguna(t2, lambda v: [v["a"] < -0.005], ["a"]) is t2
    assert _alguna(t, lambda v: [v["z"] < 0], ["z"]) is t


# --------------------------------------------------------------------------- the workbook and the charts


def test_el_libro_es_el_mismo_sin_el_atajo_de_estilos(datos_demo, tmp_path, monkeypatch):
    from asm_analysis.publicacion import calculo, salidas

    r = calculo.calcular(datos_demo, "30", 2024, "FASSA", actualizar=False)  # Veracruz: marks, comments, merges
    rapido = salidas.escribir_excel(r, tmp_path / "rapido.xlsx").read_bytes()
    monkeypatch.setattr(salidas, "LISTAS_DE_ESTILOS", ())  # openpyxl's own lists, hashing every style it sets
    assert salidas.escribir_excel(r, tmp_path / "lento.xlsx").read_bytes() == rapido


def test_la_grafica_maquetada_una_vez_es_la_de_savefig(datos_demo):
    """The chart laid out before savefig (one draw) is the SVG savefig makes with its own two draws."""
    from asm_analysis.publicacion import calculo, graficas

    a = calculo.calcular(datos_demo, "14", 2024, "FASSA", actualizar=False).anexos
    sub = a.anexo1[a.anexo1["tipo_fila"] == "subtotal"]
    sub = sub[sub[["aprobado", "modificado", "devengado", "pagado"]].abs().sum(axis=1) > 0]
    det = a.anexo2[(a.anexo2["tipo_fila"] == "detalle") & (a.anexo2["monto"].fillna(0) != 0)]
    subs = a.anexo2[(a.anexo2["tipo_fila"] == "subtotal") & (a.anexo2["monto"].fillna(0) != 0)]
    for dibujar in (lambda: graficas._dibujar_momentos(sub),
                    lambda: graficas._dibujar_concurrencia(det, subs),
                    lambda: graficas._dibujar_indicadores(a.anexo4.reset_index(drop=True))):
        with graficas._estilo():
            una, otra = dibujar(), dibujar()
        buf = io.BytesIO()
        with graficas._estilo():
            otra.savefig(buf, format="svg", dpi=graficas.DPI, metadata={"Date": None, "Creator": None})
        esperado = buf.getvalue().decode("utf-8").replace(graficas._FUENTE_SVG, graficas._FUENTES_SVG)
        assert base64.b64decode(graficas._svg(una)[0]).decode("utf-8") == esperado
