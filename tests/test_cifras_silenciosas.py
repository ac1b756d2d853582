"""Inputs that used to change a figure with no word (issue 24, items 1–9 and 16).

Each test plants one hostile input, small and generated here, and asserts the figure that must
come out, or the reason (file, row, column) that must be given instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from asm_analysis import auditoria
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.formatos import celda_csv
from asm_analysis.entradas import almacen, captura, datos, formulas, ingesta, lectura, srft
from asm_analysis.publicacion import salidas

CICLO = 2024


# --------------------------------------------------------------------------- SRFT files


def _sistema(trimestre: int, partida: str, aprobado, modificado=None, devengado=None, pagado=None,
             estatus: str = "Validado", ejecutora: str = "Instituto de Servicios de Salud del Estado",
             **extra) -> dict:
    """One partida row of the SRFT system export (Aguascalientes, FASSA = Ramo 33 I002, state level)."""
    fila = {c: "" for c in srft.COLUMNAS_SISTEMA}
    fila.update({
        "TIPO_REGISTRO": "2-Partida genérica", "CICLO": str(CICLO), "TRIMESTRE": str(trimestre),
        "ID_ENTIDAD_FEDERATIVA": "1", "ENTIDAD_FEDERATIVA": "Aguascalientes", "ID_MUNICIPIO": "0",
        "MUNICIPIO": "Gobierno de la Entidad", "CICLO_RECURSO": str(CICLO), "ID_RAMO": "33",
        "RAMO": "Aportaciones Federales para Entidades Federativas y Municipios", "ID_MODALIDAD": "I",
        "DESC_MODALIDAD": "Gasto Federalizado", "ID_PP": "2", "PROGRAMA_PRESUPUESTARIO": "FASSA",
        "TIPO_RECURSO": "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)", "PROG_FND_CONV_ESP": "FASSA",
        "INSTITUCION_EJECUTORA": ejecutora, "TIPO_GASTO": "Gasto corriente", "ID_PARTIDA_GENERICA": partida,
        "DESC_PARTIDA_GENERICA": f"Partida {partida}", "APROBADO": str(aprobado),
        "MODIFICADO": str(aprobado if modificado is None else modificado),
        "MINISTRADO": str(aprobado if modificado is None else modificado),
        "COMPROMETIDO": str(aprobado if devengado is None else devengado),
        "DEVENGADO": str(aprobado if devengado is None else devengado),
        "EJERCIDO": str(aprobado if pagado is None else pagado),
        "PAGADO": str(aprobado if pagado is None else pagado),
        "OBSERVACIONES": "Sin observaciones", "USUARIO": "usuario", "FECHA": "15/01/2025 10:00:00",
        "ESTATUS": estatus,
    })
    fila.update(extra)
    return fila


def _escribir_srft(data_dir: Path, filas: list[dict], nombre: str = "exportacion_srft.csv",
                   codificacion: str = "utf-8") -> Path:
    ruta = data_dir / "raw" / "srft" / nombre
    ruta.parent.mkdir(parents=True, exist_ok=True)
    texto = io.StringIO()
    w = csv.writer(texto, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(srft.COLUMNAS_SISTEMA)
    for f in filas:
        w.writerow([f[c] for c in srft.COLUMNAS_SISTEMA])
    ruta.write_bytes(texto.getvalue().encode(codificacion))
    return ruta


def _rechazos(data_dir: Path) -> pd.DataFrame:
    (ruta,) = (data_dir / "processed" / "rechazos").glob("*.csv")
    return pd.read_csv(ruta, dtype=str, keep_default_na=False)


def _cargar(data_dir: Path) -> datos.DatosEstado:
    return datos.cargar(data_dir, "Aguascalientes", CICLO, "FASSA")


def _concepto(anexos, concepto: str) -> pd.Series:
    a1 = anexos.anexo1
    return a1[(a1["tipo_fila"] == "detalle") & (a1["concepto"] == concepto)].iloc[0]


# --------------------------------------------------------------------------- 1. content, not size and time


def test_archivo_reemplazado_con_mismo_tamano_y_fecha_se_vuelve_a_leer(tmp_path):
    """A raw file replaced by another of the same size whose modification time was kept is read again:
    the figures and the manifest's SHA-256 are the new file's."""
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000000.00")])
    ingesta.ingerir(tmp_path)
    tiempo = os.stat(ruta).st_mtime_ns
    viejo = ruta.read_bytes()
    nuevo = viejo.replace(b'"1000000.00"', b'"9000000.00"')
    assert len(nuevo) == len(viejo) and nuevo != viejo
    ruta.write_bytes(nuevo)
    os.utime(ruta, ns=(tiempo, tiempo))
    assert os.stat(ruta).st_size == len(viejo) and os.stat(ruta).st_mtime_ns == tiempo

    d = _cargar(tmp_path)
    assert d.srft["aprobado"].sum() == 9_000_000.00
    (entrada,) = d.archivos
    assert entrada["sha256"] == hashlib.sha256(nuevo).hexdigest()
    assert almacen.leer_registro(tmp_path / "processed")["fuentes"]["srft/exportacion_srft.csv"]["sha256"] \
        == hashlib.sha256(nuevo).hexdigest()
    # unchanged content: not read again
    (r,) = ingesta.ingerir(tmp_path)
    assert r.al_dia


# --------------------------------------------------------------------------- 2. ESTATUS


@pytest.mark.parametrize("valor, decision", [
    ("Validado", srft.INCLUIR), ("VALIDADO", srft.INCLUIR), (" validado avances ", srft.INCLUIR),
    ("Rechazado", srft.EXCLUIR), ("En captura", srft.EXCLUIR), ("EN CAPTURA", srft.EXCLUIR),
    ("Enviado", srft.EXCLUIR), ("", srft.RECHAZAR), (None, srft.RECHAZAR),
])
def test_regla_de_estatus(valor, decision):
    assert srft.estatus_srft(valor)[0] == decision


def test_filas_rechazadas_o_en_captura_quedan_fuera_y_se_dice_cuales(tmp_path):
    """Only validated rows enter Anexo 1; the others are listed (rejects file, note, finding) and do not
    block the report."""
    _escribir_srft(tmp_path, [
        _sistema(4, "113", "1000.00"),                                # line 2: in
        _sistema(4, "114", "900000.00", estatus="Rechazado"),         # line 3: out
        _sistema(4, "122", "500.00"),                                 # line 4: in (concept 1200)
        _sistema(4, "121", "70000.00", estatus="En captura"),         # line 5: out
    ])
    (r,) = ingesta.ingerir(tmp_path)
    d = _cargar(tmp_path)  # rows left out do not block
    a = auditoria.calcular(d)
    assert _concepto(a, "1100")["aprobado"] == 1000.00
    assert _concepto(a, "1200")["aprobado"] == 500.00
    assert a.anexo1[a.anexo1["tipo_fila"] == "total"].iloc[0]["aprobado"] == 1500.00
    assert (r.leidas, r.cargadas, r.rechazadas, r.no_validadas) == (4, 2, 0, 2)
    assert "no validadas (fuera del Anexo 1 por su ESTATUS) 2" in r.linea()
    rech = _rechazos(tmp_path)
    assert list(rech["fila"]) == ["3", "5"]
    assert list(rech["columna"]) == [srft.NO_VALIDADA] * 2
    assert list(rech["valor"]) == ["Rechazado", "En captura"]
    nota = a.notas["anexo1"]
    assert "«Rechazado» (línea(s) 3" in nota and "«En captura» (línea(s) 5" in nota
    h = a.hallazgos[a.hallazgos["regla"] == "A1-SRFT-ESTATUS"]
    assert sorted(h["ubicacion"]) == [
        "SRFT (srft/exportacion_srft.csv), línea(s) 3, columna «ESTATUS»",
        "SRFT (srft/exportacion_srft.csv), línea(s) 5, columna «ESTATUS»"]
    assert set(h["valor_reportado"]) == {900000.00, 70000.00}


def test_estatus_vacio_rechaza_la_fila(tmp_path):
    _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(4, "114", "5.00", estatus="")])
    (r,) = ingesta.ingerir(tmp_path)
    assert (r.cargadas, r.rechazadas, r.no_validadas) == (1, 1, 0)
    (fila,) = _rechazos(tmp_path).itertuples()
    assert (fila.fila, fila.columna) == ("3", "ESTATUS") and "vacío" in fila.motivo
    with pytest.raises(ErrorEntrada, match="ESTATUS"):
        _cargar(tmp_path)


# --------------------------------------------------------------------------- 3. names compared as elsewhere


def test_misma_partida_con_ejecutora_en_otra_caja_no_se_cuenta_dos_veces(tmp_path):
    _escribir_srft(tmp_path, [
        _sistema(3, "113", "1000.00", devengado="600.00", pagado="500.00", ejecutora="SERVICIOS DE SALUD"),
        _sistema(4, "113", "1000.00", devengado="900.00", pagado="800.00", ejecutora="Servicios de  Salud"),
    ])
    ingesta.ingerir(tmp_path)
    d = _cargar(tmp_path)
    assert len(d.srft) == 1 and list(d.srft["trimestre"]) == [4]
    a = auditoria.calcular(d)
    c = _concepto(a, "1100")
    assert (c["aprobado"], c["devengado"], c["pagado"]) == (1000.00, 900.00, 800.00)


def test_registro_de_programa_con_ejecutora_en_otra_caja_se_coteja_con_sus_partidas():
    partidas = pd.DataFrame([dict(fila=3, ciclo=CICLO, trimestre=4, cve_ent="01", id_municipio=0,
                                  ciclo_recurso=CICLO, ramo=33, modalidad_pp="I002", ejecutora="Servicios de Salud",
                                  **{m: 100.0 for m in srft.MOMENTOS})])
    programa = partidas.assign(fila=2, ejecutora="SERVICIOS DE SALUD ", municipio="")
    cotejo = srft.cotejar_programas(programa, partidas.assign(municipio=""))
    assert set(cotejo["calculado"]) == {100.0} and set(cotejo["partidas"]) == {1}
    assert set(cotejo["ejecutora"]) == {"SERVICIOS DE SALUD "}


# --------------------------------------------------------------------------- 4. unclosed parenthesis


@pytest.mark.parametrize("texto", ["(1,234.56", "1,234.56)", "(1234.56", "((1,234.56)"])
def test_parentesis_sin_par_no_es_un_importe(texto):
    with pytest.raises(lectura.ValorInvalido, match="paréntesis"):
        lectura.parse_numero(texto)


def test_parentesis_cerrado_sigue_siendo_negativo():
    assert lectura.parse_numero("(1,234.56)") == -1234.56


@pytest.mark.parametrize("bloque", [srft.BLOQUE_BYTES, 1 << 10])  # the Arrow path and small blocks
def test_parentesis_sin_par_en_el_srft_rechaza_la_fila(tmp_path, bloque):
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(4, "114", "(1,234.56")])
    rechazos = pd.concat([r for _, r, _ in srft.leer_bloques(ruta, bloque)], ignore_index=True)
    (fila,) = rechazos.itertuples()
    assert (fila.fila, fila.columna, fila.valor) == (3, "APROBADO", "(1,234.56")
    assert "paréntesis" in fila.motivo


def test_parentesis_sin_par_en_el_camino_exacto(tmp_path):
    """A row with a wrong cell count sends the rest of the file down the csv-module path: same rule."""
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(4, "114", "(1,234.56")])
    texto = ruta.read_text(encoding="utf-8").splitlines()
    texto.insert(1, texto[1] + ',"celda de más"')
    ruta.write_text("\n".join(texto) + "\n", encoding="utf-8")
    rechazos = pd.concat([r for _, r, _ in srft.leer_bloques(ruta)], ignore_index=True)
    malo = rechazos[rechazos["columna"] == "APROBADO"]
    assert list(malo["fila"]) == [4] and "paréntesis" in malo["motivo"].iloc[0]


# --------------------------------------------------------------------------- 5. Windows-1252


def test_csv_en_windows_1252_con_comillas_y_rayas(tmp_path):
    ejecutora = "Instituto “Salud” – Aguascalientes ‘ISSEA’ — 2024"
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00", ejecutora=ejecutora)], codificacion="cp1252")
    assert b"\x93" in ruta.read_bytes()  # the curly quote as Windows-1252 writes it
    ingesta.ingerir(tmp_path)
    d = _cargar(tmp_path)
    (leida,) = d.srft["ejecutora"]
    assert not any(0x80 <= ord(c) <= 0x9F for c in leida)
    assert leida == ejecutora
    assert lectura.detectar_codificacion(ruta) == "cp1252"
    encabezado, filas, _ = lectura.leer_csv_texto(ruta)
    assert filas[0][encabezado.index("INSTITUCION_EJECUTORA")] == ejecutora


def test_windows_1252_con_una_fila_mal_formada_conserva_comillas_y_rayas(tmp_path):
    """A Windows-1252 file with a row of too many cells is read on by the tolerant path: its other rows
    keep their curly quotes and dashes (read as latin-1 they became invisible control characters)."""
    ejecutora = "Instituto “Salud” – Aguascalientes"
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00", ejecutora=ejecutora),
                                     _sistema(4, "114", "5.00", ejecutora=ejecutora)], codificacion="cp1252")
    lineas = ruta.read_bytes().split(b"\n")
    lineas.insert(2, lineas[1] + b',"extra"')
    ruta.write_bytes(b"\n".join(lineas))
    (r,) = ingesta.ingerir(tmp_path)
    assert (r.leidas, r.cargadas, r.rechazadas) == (3, 2, 1)
    assert almacen.leer(tmp_path / "processed", "srft")["ejecutora"].tolist() == [ejecutora, ejecutora]


def test_byte_indefinido_en_windows_1252_se_rechaza_con_su_lugar(tmp_path):
    ruta = _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(4, "114", "5.00", ejecutora="Ins\xe9")],
                          codificacion="cp1252")
    ruta.write_bytes(ruta.read_bytes().replace(b"Ins\xe9", b"Ins\x81"))
    with pytest.raises(ErrorEntrada) as exc:
        lectura.detectar_codificacion(ruta)
    assert (exc.value.archivo, exc.value.fila, exc.value.columna) == ("exportacion_srft.csv", 3,
                                                                      "INSTITUCION_EJECUTORA")
    assert "0x81" in exc.value.motivo


# --------------------------------------------------------------------------- 6. formulas in CSVs


@pytest.mark.parametrize("texto, seguro", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("@SUM(A1)", "'@SUM(A1)"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-Acción pendiente", "'-Acción pendiente"),
    ("\t=1", "'\t=1"), ("-1234.5", "-1234.5"), ("+52 449 910 7900", "+52 449 910 7900"),
    ("-3.5 %", "-3.5 %"), ("Texto normal", "Texto normal"), ("", ""),
])
def test_celda_csv(texto, seguro):
    assert celda_csv(texto) == seguro


def test_csv_de_salida_neutraliza_formulas_y_no_cambia_numeros():
    tabla = pd.DataFrame({"aspecto": ['=HYPERLINK("http://x","y")', "-Revisar"], "monto": [-1234.5, 10.0],
                          "avance": [-5, 100]})
    lineas = salidas.tabla_csv(tabla).splitlines()
    assert lineas[1] == '"\'=HYPERLINK(""http://x"",""y"")",-1234.5,-5'
    assert lineas[2] == "'-Revisar,10.0,100"


def test_csv_de_rechazos_neutraliza_formulas(tmp_path):
    _escribir_srft(tmp_path, [_sistema(4, "113", "=HYPERLINK(\"http://x\")")])
    ingesta.ingerir(tmp_path)
    (ruta,) = (tmp_path / "processed" / "rechazos").glob("*.csv")
    texto = ruta.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in texto and ",=HYPERLINK" not in texto and '"=HYPERLINK' not in texto


# --------------------------------------------------------------------------- 7. stale formula values


@pytest.mark.parametrize("formula, esperado", [
    ("=600000+400000", 1_000_000.0), ("=(2+3)*4/2", 10.0), ("=-B2+C2", 5.0), ("=SUM(B2:C2)", 35.0),
    ("=SUM(B2:C2, 1)", 36.0), ("=$B$2*2", 30.0), ("=VLOOKUP(1,A:A,1)", None), ("=Hoja2!B2", None),
    ("=B2/0", None), ("=A2", None),
])
def test_evaluar_formulas_simples(formula, esperado):
    valores = {(2, 1): "texto", (2, 2): 15.0, (2, 3): 20}
    assert formulas.evaluar(formula, lambda f, c: valores.get((f, c))) == esperado


def _libro_con_formula(ruta: Path, formula: str, guardado) -> Path:
    """A capture workbook whose destino C3 holds ``formula`` with ``guardado`` as its saved value."""
    from asm_analysis.entradas.captura import escribir_plantilla

    escribir_plantilla("Aguascalientes", CICLO, "FASSA", ruta)
    from openpyxl import load_workbook

    wb = load_workbook(ruta)
    ficha = wb["ficha"]
    campos = {r[0].value: r[1] for r in ficha.iter_rows(min_row=2) if r[0].value}
    for campo, valor in (("ejecutora", "ISSEA"), ("instancia_evaluadora", "Evaluadora"),
                         ("fecha_corte", "30/09/2025"), ("fuente", "Prueba")):
        campos[campo].value = valor
    ws = wb["destino"]
    encabezado = [c.value for c in ws[1]]
    for fila, concepto, aprobado in ((2, "1100", 100.0), (3, "1200", formula)):
        for nombre, valor in (("capitulo", "1000"), ("concepto", concepto), ("aprobado", aprobado),
                              ("modificado", 100.0), ("devengado", 90.0), ("pagado", 80.0)):
            ws.cell(row=fila, column=encabezado.index(nombre) + 1, value=valor)
    wb.save(ruta)
    # set the saved (cached) value of the formula cell as a program that does not calculate would
    import zipfile

    copia = ruta.with_suffix(".tmp")
    with zipfile.ZipFile(ruta) as z, zipfile.ZipFile(copia, "w", zipfile.ZIP_DEFLATED) as salida:
        for item in z.infolist():
            datos_xml = z.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and formula[1:].encode() in datos_xml:
                datos_xml = datos_xml.replace(f"<f>{formula[1:]}</f><v></v>".encode(),
                                              f"<f>{formula[1:]}</f><v>{guardado}</v>".encode())
                datos_xml = datos_xml.replace(f"<f>{formula[1:]}</f>".encode() + b"<v />",
                                              f"<f>{formula[1:]}</f><v>{guardado}</v>".encode())
                if f"<v>{guardado}</v>".encode() not in datos_xml:
                    datos_xml = datos_xml.replace(f"<f>{formula[1:]}</f>".encode(),
                                                  f"<f>{formula[1:]}</f><v>{guardado}</v>".encode())
            salida.writestr(item, datos_xml)
    copia.replace(ruta)
    return ruta


def test_formula_con_valor_guardado_desactualizado_se_rechaza(tmp_path):
    ruta = _libro_con_formula(tmp_path / "ags.xlsx", "=600000+400000", 5)
    cap = captura.leer_captura(ruta)
    (r,) = cap.rechazos[cap.rechazos["fila"] == 3].itertuples()
    assert r.columna == "aprobado"
    assert "=600000+400000" in r.motivo and "1,000,000.00" in r.motivo and "5.00" in r.motivo
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    encabezado = [c.value for c in load_workbook(ruta)["destino"][1]]
    assert f"la celda {get_column_letter(encabezado.index('aprobado') + 1)}3 " in r.motivo
    assert "1200" not in set(cap.tablas["destino"]["concepto"])  # the stale 5 is never published


def test_formula_con_valor_guardado_correcto_se_acepta(tmp_path):
    ruta = _libro_con_formula(tmp_path / "ags.xlsx", "=600000+400000", 1000000)
    cap = captura.leer_captura(ruta)
    assert cap.rechazos.empty
    destino = cap.tablas["destino"].set_index("concepto")
    assert (destino.loc["1100", "aprobado"], destino.loc["1200", "aprobado"]) == (100.0, 1_000_000.0)


# --------------------------------------------------------------------------- 9. TRIMESTRE 1 to 5


def test_trimestre_fuera_de_1_a_5_se_rechaza(tmp_path):
    _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(9, "113", "99999.00"),
                              _sistema(0, "114", "5.00")])
    (r,) = ingesta.ingerir(tmp_path)
    assert (r.cargadas, r.rechazadas) == (1, 2)
    rech = _rechazos(tmp_path)
    assert list(zip(rech["fila"], rech["columna"], rech["valor"])) == [("3", "TRIMESTRE", "9"),
                                                                        ("4", "TRIMESTRE", "0")]
    assert all("solo existen los trimestres 1 a 4 y el 5" in m for m in rech["motivo"])
    with pytest.raises(ErrorEntrada, match="TRIMESTRE"):  # never taken as the latest cut
        _cargar(tmp_path)


# --------------------------------------------------------------------------- 16. negative in the SRFT


def test_importe_negativo_en_el_srft_da_a1_negativo(tmp_path):
    """A negative partida hidden in a positive concept sum (1100: 1,000 − 300) is named by its line."""
    _escribir_srft(tmp_path, [_sistema(4, "113", "1000.00"), _sistema(4, "111", "-300.00")])
    ingesta.ingerir(tmp_path)
    a = auditoria.calcular(_cargar(tmp_path))
    assert _concepto(a, "1100")["aprobado"] == 700.00
    h = a.hallazgos[a.hallazgos["regla"] == "A1-NEGATIVO"]
    assert set(h["ubicacion"]) == {f"SRFT (srft/exportacion_srft.csv), línea 3, partida 111 (concepto 1100), "
                                   f"columna «{m}»" for m in ("aprobado", "modificado", "recaudado", "comprometido",
                                                            "devengado", "ejercido", "pagado")}
    assert set(h["valor_reportado"]) == {-300.00}
