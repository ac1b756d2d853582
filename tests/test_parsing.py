"""Cell parsers: every real-world format of DESIGN §3 reads to the value a person would read."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asm_analysis.entradas import lectura
from asm_analysis.entradas.lectura import (
    ValorInvalido,
    leer_csv_texto,
    normalizar_encabezado,
    parse_clave,
    parse_entero,
    parse_fecha,
    parse_numero,
    parse_porcentaje,
    parse_texto,
)

NBSP = "\u00a0"

# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("crudo", "esperado"),
    [
        ("$ 88,682,091.89", 88682091.89),
        ("$88,682,091.89", 88682091.89),
        ("2'657,865,233", 2657865233.0),
        ("4'455,911,143", 4455911143.0),
        ("1'656,877,978", 1656877978.0),
        ("1 234 567.8", 1234567.8),
        (f"1{NBSP}234{NBSP}567.8", 1234567.8),
        ("(1,000.00)", -1000.0),
        ("($ 1,000.00)", -1000.0),
        ("-1,000", -1000.0),
        ("-$ 1,000.00", -1000.0),
        ("13,440,000", 13440000.0),
        ("0.00", 0.0),
        ("  406,338.14  ", 406338.14),
        ("163560", 163560.0),
        (88682091.89, 88682091.89),
        (13440000, 13440000.0),
        (0, 0.0),
        (-2.5, -2.5),
    ],
)
def test_parse_numero_formatos(crudo, esperado):
    valor = parse_numero(crudo)
    assert isinstance(valor, float)
    assert valor == esperado


@pytest.mark.parametrize(
    "crudo",
    ["abc", "12a", "1.2.3", "$", "1e20", 1e20, -1e20, float("inf"), "(abc)", True],
)
def test_parse_numero_invalido(crudo):
    with pytest.raises(ValorInvalido):
        parse_numero(crudo)


def test_parse_numero_rango_maximo_es_inclusivo():
    assert parse_numero(lectura.MONTO_MAXIMO) == lectura.MONTO_MAXIMO
    with pytest.raises(ValorInvalido, match="fuera de rango"):
        parse_numero(lectura.MONTO_MAXIMO * 10)


# --------------------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("crudo", "fraccion", "esperado"),
    [
        ("100 %", False, 100.0),
        ("100%", False, 100.0),
        ("98.00%", False, 98.0),
        ("50.13%", False, 50.13),
        ("83.95 %", False, 83.95),
        ("98", False, 98.0),
        (98, False, 98.0),
        (50.13, False, 50.13),
        (0.5014, True, 50.14),
        (1, True, 100.0),
        ("50.14", True, 50.14),  # text is always a percent number, never a fraction
    ],
)
def test_parse_porcentaje(crudo, fraccion, esperado):
    assert parse_porcentaje(crudo, fraccion_si_numero=fraccion) == pytest.approx(esperado, abs=1e-9)


@pytest.mark.parametrize("crudo", ["abc %", "cien", "1e20 %"])
def test_parse_porcentaje_invalido(crudo):
    with pytest.raises(ValorInvalido):
        parse_porcentaje(crudo)


# --------------------------------------------------------------------------- missing values

FALTANTES = ["", "   ", "---", "N/A", "n/a", "ND", None, float("nan"), "-", "nd", "N/D", pd.NA, pd.NaT]
PARSERS = [parse_numero, parse_porcentaje, parse_fecha, parse_entero, parse_texto, parse_clave]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("crudo", FALTANTES, ids=repr)
def test_faltantes_son_none_en_todos_los_parsers(parser, crudo):
    assert parser(crudo) is None


def test_porcentaje_fraccion_faltante():
    assert parse_porcentaje(float("nan"), fraccion_si_numero=True) is None


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("crudo", "esperado"),
    [
        ("01-ENE-20", dt.date(2020, 1, 1)),
        ("15-ene-21", dt.date(2021, 1, 15)),
        ("28-FEB-20", dt.date(2020, 2, 28)),
        ("05-SEP-19", dt.date(2019, 9, 5)),
        ("16-ENE-21", dt.date(2021, 1, 16)),
        ("30/09/2022", dt.date(2022, 9, 30)),
        ("1/7/2024", dt.date(2024, 7, 1)),
        ("2022-09-30", dt.date(2022, 9, 30)),
        ("Septiembre-2022", dt.date(2022, 9, 1)),
        ("septiembre 2022", dt.date(2022, 9, 1)),
        ("octubre de 2024", dt.date(2024, 10, 1)),
        ("15 de enero de 2021", dt.date(2021, 1, 15)),
        ("15 de Enero de 2021", dt.date(2021, 1, 15)),
        (dt.datetime(2022, 9, 30, 13, 45), dt.date(2022, 9, 30)),
        (dt.date(2024, 12, 31), dt.date(2024, 12, 31)),
        (pd.Timestamp("2023-03-15 08:00"), dt.date(2023, 3, 15)),
        (45657, dt.date(2024, 12, 31)),  # Excel serial day number
    ],
)
def test_parse_fecha(crudo, esperado):
    valor = parse_fecha(crudo)
    assert type(valor) is dt.date
    assert valor == esperado


@pytest.mark.parametrize(
    "crudo",
    ["31/02/2022", "30-FEB-20", "13-XYZ-20", "abc", "2022-13-01", "32/01/2022", "Brumario-2022", 12],
)
def test_parse_fecha_invalida(crudo):
    with pytest.raises(ValorInvalido):
        parse_fecha(crudo)


# --------------------------------------------------------------------------- integers, text, keys


@pytest.mark.parametrize(
    ("crudo", "esperado"),
    [("2024", 2024), (2024, 2024), (2024.0, 2024), ("2024.0", 2024), (" 5 ", 5), ("1,000", 1000)],
)
def test_parse_entero(crudo, esperado):
    valor = parse_entero(crudo)
    assert type(valor) is int
    assert valor == esperado


@pytest.mark.parametrize("crudo", ["2024.5", 2.5, "abc"])
def test_parse_entero_invalido(crudo):
    with pytest.raises(ValorInvalido):
        parse_entero(crudo)


@pytest.mark.parametrize(
    ("parser", "crudo", "esperado"),
    [
        (parse_texto, "  Dirección   de\nPlaneación ", "Dirección de Planeación"),
        (parse_texto, 1000.0, "1000"),
        (parse_clave, 1000, "1000"),
        (parse_clave, 1100.0, "1100"),
        (parse_clave, "1100.0", "1100"),
        (parse_clave, " '1100 ", "1100"),
        (parse_clave, "TOTAL", "TOTAL"),
    ],
)
def test_texto_y_claves(parser, crudo, esperado):
    assert parser(crudo) == esperado


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("crudo", "esperado"),
    [
        ("Área Responsable ", "area_responsable"),
        ("AVANCE_META_REPORTADO", "avance_meta_reportado"),
        ("avance_meta_reportado", "avance_meta_reportado"),
        ("Orden de Gobierno", "orden_de_gobierno"),
        ("  Descripción", "descripcion"),
        ("Capítulo", "capitulo"),
        ("Fecha de Término", "fecha_de_termino"),
        ("\ufeffciclo", "ciclo"),
    ],
)
def test_normalizar_encabezado(crudo, esperado):
    assert normalizar_encabezado(crudo) == esperado


# --------------------------------------------------------------------------- CSV encodings

TEXTO_CSV = "estado,monto\nQuerétaro,\"1,234.50\"\nMéxico,10\n"


@pytest.mark.parametrize(
    ("nombre", "bytes_csv", "codificacion"),
    [
        ("latin1.csv", TEXTO_CSV.encode("latin-1"), "latin-1"),
        ("utf8.csv", TEXTO_CSV.encode("utf-8"), "utf-8-sig"),
        ("utf8_bom.csv", b"\xef\xbb\xbf" + TEXTO_CSV.encode("utf-8"), "utf-8-sig"),
        ("crlf_latin1.csv", TEXTO_CSV.replace("\n", "\r\n").encode("latin-1"), "latin-1"),
    ],
)
def test_leer_csv_texto_codificaciones(tmp_path, nombre, bytes_csv, codificacion):
    ruta = tmp_path / nombre
    ruta.write_bytes(bytes_csv)
    encabezado, filas, cod = leer_csv_texto(ruta)
    assert encabezado == ["estado", "monto"]
    assert encabezado[0].encode("ascii")  # no BOM left in the first header
    assert filas == [["Querétaro", "1,234.50"], ["México", "10"]]
    assert cod == codificacion


def test_leer_csv_punto_y_coma(tmp_path):
    ruta = tmp_path / "excel_es.csv"
    ruta.write_bytes("estado;monto;nota\r\nQuerétaro;1,234.50;a, b\r\nMéxico;10;\r\n".encode("utf-8-sig"))
    encabezado, filas, _ = leer_csv_texto(ruta)
    assert encabezado == ["estado", "monto", "nota"]
    assert filas == [["Querétaro", "1,234.50", "a, b"], ["México", "10", ""]]


def test_leer_csv_comas_y_saltos_dentro_de_comillas(tmp_path):
    ruta = tmp_path / "comillas.csv"
    contenido = 'estado,nota,monto\n"Querétaro","uno, dos\ntres","$ 1,000.00"\nAguascalientes,"dijo ""sí""",5\n'
    ruta.write_bytes(contenido.encode("latin-1"))
    encabezado, filas, cod = leer_csv_texto(ruta)
    assert cod == "latin-1"
    assert encabezado == ["estado", "nota", "monto"]
    assert filas == [["Querétaro", "uno, dos\ntres", "$ 1,000.00"], ["Aguascalientes", 'dijo "sí"', "5"]]


def test_leer_csv_vacio(tmp_path):
    ruta = tmp_path / "vacio.csv"
    ruta.write_bytes(b"")
    assert leer_csv_texto(ruta)[:2] == ([], [])


# --------------------------------------------------------------------------- property

centavos = st.integers(min_value=-10**14, max_value=10**14)


def _con_apostrofo(texto: str) -> str:
    """``2,657,865,233.00`` → ``2'657,865,233.00`` (the leftmost group separator, as published)."""
    return texto.replace(",", "'", 1) if texto.count(",") >= 2 else texto


@settings(max_examples=300, deadline=None)
@given(c=centavos, estilo=st.sampled_from(["signo", "parentesis", "apostrofo", "apostrofo_parentesis"]))
def test_propiedad_importe_formateado_se_lee_de_vuelta(c, estilo):
    x = c / 100
    if estilo == "signo":
        texto = f"$ {x:,.2f}"
    elif estilo == "parentesis":
        cuerpo = f"$ {abs(x):,.2f}"
        texto = f"({cuerpo})" if x < 0 else cuerpo
    elif estilo == "apostrofo":
        texto = f"$ {x:,.2f}"
        texto = texto[:2] + _con_apostrofo(texto[2:])
    else:
        cuerpo = _con_apostrofo(f"{abs(x):,.2f}")
        texto = f"({cuerpo})" if x < 0 else cuerpo
    assert parse_numero(texto) == round(x, 2)
    assert not math.isnan(parse_numero(texto))
