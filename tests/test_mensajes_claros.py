"""Hostile inputs that used to end in a traceback or a vague message (issue 24, items 10-13, 15, 17, 18).

Each case is a small file generated here; each asserts the one Spanish sentence the user sees
(file, sheet, row and column where they exist) and exit code 2, or the documented behaviour.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion.cli import main

RAIZ = Path(__file__).resolve().parents[1]
RAW_DEMO = RAIZ / "data" / "demo" / "raw"


# --------------------------------------------------------------------------- 10. --tolerancias files


def _tolerancias_hostiles(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name → (file, words the refusal must contain)."""
    casos: dict[str, tuple[Path, str]] = {}

    def escribir(nombre: str, contenido: bytes, palabras: str) -> None:
        ruta = tmp_path / nombre
        ruta.write_bytes(contenido)
        casos[nombre] = (ruta, palabras)

    escribir("enorme400.json", b'{"monto": ' + b"9" * 400 + b"}", "un número de 400 cifras, demasiado grande")
    escribir("enorme5000.json", b'{"monto": ' + b"9" * 5000 + b"}", "un número de 5,000 cifras")
    escribir("anidado.json", b'{"monto": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "anidados")
    escribir("latin1.json", '{"monto": 2, "descripción": 1}'.encode("latin-1"), "no está en UTF-8")
    escribir("utf16.json", '{"monto": 2}'.encode("utf-16"), "UTF-16")
    carpeta = tmp_path / "carpeta.json"
    carpeta.mkdir()
    casos["carpeta.json"] = (carpeta, "es una carpeta, no un archivo")
    return casos


def test_un_archivo_de_tolerancias_hostil_es_una_oracion_que_lo_nombra(tmp_path):
    for nombre, (ruta, palabras) in _tolerancias_hostiles(tmp_path).items():
        with pytest.raises(ErrorEntrada) as exc:
            Tolerancias.en_vigor(None, ruta)
        texto = str(exc.value)
        assert texto.startswith(f"Error en archivo «{ruta}»: "), (nombre, texto)
        assert palabras in texto, (nombre, texto)
        assert "\n" not in texto


def test_un_archivo_de_tolerancias_hostil_termina_con_codigo_2_sin_traza(tmp_path, capsys):
    for nombre, (ruta, palabras) in _tolerancias_hostiles(tmp_path).items():
        codigo = main(["validate", str(RAW_DEMO / "asm" / "demo_asm.csv"), "--tolerancias", str(ruta)])
        err = capsys.readouterr().err
        assert codigo == 2, (nombre, err)
        assert "Traceback" not in err and palabras in err and str(ruta) in err, (nombre, err)


# --------------------------------------------------------------------------- 11. a compressed file named .csv


def _comprimidos(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    """Compressed copies of a small CSV, each with a .csv name: name → (bytes, words of the refusal)."""
    import bz2
    import gzip
    import lzma

    crudo = (RAW_DEMO / "asm" / "demo_asm.csv").read_bytes()
    return {
        "asm_gzip.csv": (gzip.compress(crudo), "es un archivo comprimido gzip"),
        "asm_bz2.csv": (bz2.compress(crudo), "es un archivo comprimido bzip2"),
        "asm_xz.csv": (lzma.compress(crudo), "es un archivo comprimido xz"),
    }


def test_un_csv_comprimido_se_rechaza_en_validate_nombrando_el_archivo(tmp_path, capsys):
    for nombre, (contenido, palabras) in _comprimidos(tmp_path).items():
        ruta = tmp_path / nombre
        ruta.write_bytes(contenido)
        codigo = main(["validate", str(ruta)])
        salida = capsys.readouterr()
        assert codigo == 2, (nombre, salida)
        assert "Traceback" not in salida.err
        assert f"Error en archivo «{nombre}»: {palabras}" in salida.out, (nombre, salida.out)
        assert "descomprímalo" in salida.out


def test_un_csv_gzip_con_su_nombre_original_lo_dice(tmp_path):
    import gzip

    from asm_analysis.entradas import lectura

    ruta = tmp_path / "ejercicio.csv"
    with open(ruta, "wb") as f, gzip.GzipFile(filename="ejercicio_del_gasto_2024.csv", mode="wb", fileobj=f) as g:
        g.write(b"CICLO,TRIMESTRE\n2024,4\n")
    with pytest.raises(ErrorEntrada) as exc:
        lectura.comprobar_texto(ruta)
    assert str(exc.value) == ("Error en archivo «ejercicio.csv»: es un archivo comprimido gzip, no un CSV; contiene "
                              "«ejercicio_del_gasto_2024.csv»: descomprímalo y ponga el CSV que contiene en lugar "
                              "de este archivo")


def test_ingest_rechaza_un_csv_comprimido_y_sigue_con_los_demas(tmp_path, capsys):
    import shutil

    datos = tmp_path / "datos"
    (datos / "raw" / "asm").mkdir(parents=True)
    (datos / "raw" / "srft").mkdir(parents=True)
    contenido, _ = _comprimidos(tmp_path)["asm_gzip.csv"]
    (datos / "raw" / "srft" / "srft_gzip.csv").write_bytes(contenido)
    shutil.copy(RAW_DEMO / "asm" / "demo_asm.csv", datos / "raw" / "asm" / "demo_asm.csv")
    codigo = main(["ingest", "--data-dir", str(datos)])
    salida = capsys.readouterr()
    assert codigo == 2 and "Traceback" not in salida.err
    assert "srft/srft_gzip.csv: ERROR — Error en archivo «srft_gzip.csv»: es un archivo comprimido gzip" in salida.out
    assert "asm/demo_asm.csv: leídas" in salida.out


# --------------------------------------------------------------------------- 12. characters XML forbids


NO_XML = {"U+FFFF": "\uffff", "U+FFFE": "\ufffe", "U+D800": "\ud800", "U+0001": "\x01", "NUL": "\x00"}


def test_texto_xml_cambia_cada_caracter_que_xml_prohibe_por_una_marca_visible():
    from asm_analysis.comun.texto import caracter_no_xml, texto_xml

    for nombre, c in NO_XML.items():
        assert texto_xml(f"Aspecto{c} 1") == "Aspecto\ufffd 1", nombre
        assert caracter_no_xml(f"Aspecto{c} 1") == c, nombre
    permitido = "Tab\tlínea\nretorno\r € ñ \U0001F600 \x85"
    assert caracter_no_xml(permitido) is None
    assert texto_xml(permitido) == "Tab\tlínea\nretorno\n € ñ \U0001F600 \x85"  # line ends as \n
    assert texto_xml("a\r\nb") == "a\nb"


def test_los_escritores_de_xlsx_y_docx_limpian_con_la_misma_regla(datos_demo, tmp_path):
    """Text that reaches the writers with a character XML forbids (no loader saw it) never crashes
    them: both write the same visible mark in its place."""
    import zipfile

    import dataclasses

    from asm_analysis.publicacion import calculo
    from asm_analysis.publicacion.documento import escribir_docx
    from asm_analysis.publicacion.salidas import escribir_excel

    c = calculo.calcular(datos_demo, "Querétaro", 2024, "FASSA", actualizar=False)
    a = c.impresos
    a.seguimiento = a.seguimiento.copy()
    a.seguimiento.loc[a.seguimiento.index[0], "aspecto"] = "Aspecto\uffff con\ud800 marcas\x01 ocultas"
    a.notas = {**a.notas, "seguimiento": "Nota\ufffe rara"}
    c = dataclasses.replace(c, mostrados=a)
    escribir_excel(c, tmp_path / "anexos.xlsx")
    escribir_docx(c, tmp_path / "anexos.docx")
    esperado = "Aspecto\ufffd con\ufffd marcas\ufffd ocultas"
    with zipfile.ZipFile(tmp_path / "anexos.docx") as z:
        documento = z.read("word/document.xml").decode("utf-8")
    assert esperado in documento
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "anexos.xlsx")
    textos = [c.value for ws in wb for fila in ws.iter_rows() for c in fila if isinstance(c.value, str)]
    assert esperado in textos


def test_un_asm_con_uffff_se_rechaza_al_cargar_con_archivo_fila_y_columna(tmp_path, capsys):
    """The loaders read U+FFFF as they read a control character: the row is listed in the rejects
    with its place and ``report`` refuses with that place (no traceback from a writer)."""
    import csv
    import io
    import shutil

    datos = tmp_path / "datos"
    shutil.copytree(RAW_DEMO, datos / "raw")
    ruta = datos / "raw" / "asm" / "demo_asm.csv"
    filas = list(csv.reader(io.StringIO(ruta.read_text(encoding="utf-8"))))
    encabezado = filas[0]
    i = next(k for k, f in enumerate(filas) if k and f[encabezado.index("cve_ent")] == "05" and f[0] == "2024")
    filas[i][encabezado.index("aspecto")] += "\uffff"
    salida = io.StringIO()
    csv.writer(salida, lineterminator="\n").writerows(filas)
    ruta.write_text(salida.getvalue(), encoding="utf-8")
    codigo = main(["report", "--data-dir", str(datos), "--estado", "Coahuila", "--ciclo", "2024", "--fondo", "FASSA",
                   "--out", str(tmp_path / "out"), "--sin-html"])
    err = capsys.readouterr().err
    assert codigo == 2 and "Traceback" not in err, err
    assert f"fila {i + 1}, columna «aspecto»: contiene un carácter no válido (U+FFFF)" in err, err
    assert "demo_asm.csv" in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- 13. a file name that is not UTF-8


def _con_nombre_latin1(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder whose raw/asm holds the demo ASM CSV under a latin-1 name (``asm_se\\xf1al.csv``)."""
    import os
    import shutil

    datos = tmp_path / "datos"
    shutil.copytree(RAW_DEMO, datos / "raw")
    origen = datos / "raw" / "asm" / "demo_asm.csv"
    destino = os.path.join(os.fsencode(origen.parent), b"asm_se\xf1al.csv")
    os.rename(os.fsencode(origen), destino)
    return datos, Path(os.fsdecode(destino))


@pytest.mark.skipif(__import__("sys").getfilesystemencoding() != "utf-8", reason="file names are bytes only on POSIX")
def test_un_nombre_de_archivo_en_latin1_se_nombra_con_escapes_y_no_se_lee(tmp_path, capsys):
    datos, _ = _con_nombre_latin1(tmp_path)
    assert main(["ingest", "--data-dir", str(datos)]) == 2
    salida = capsys.readouterr()
    assert "Traceback" not in salida.err
    assert ("asm/asm_se\\xf1al.csv: ERROR — Error en archivo «asm_se\\xf1al.csv»: el nombre del archivo no es "
            "texto UTF-8 (el byte 0xF1 es de latin-1 o Windows-1252)") in salida.out, salida.out
    # a source that could not be read may hold this state's rows: the report refuses, naming it
    codigo = main(["report", "--data-dir", str(datos), "--estado", "Coahuila", "--ciclo", "2024", "--fondo", "FASSA",
                   "--out", str(tmp_path / "out"), "--sin-html"])
    err = capsys.readouterr().err
    assert codigo == 2 and "Traceback" not in err and "asm_se\\xf1al.csv" in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(__import__("sys").getfilesystemencoding() != "utf-8", reason="file names are bytes only on POSIX")
def test_validate_de_un_archivo_con_nombre_latin1_lo_nombra_con_escapes(tmp_path, capsys):
    _, ruta = _con_nombre_latin1(tmp_path)
    codigo = main(["validate", str(ruta)])
    salida = capsys.readouterr()
    assert codigo == 2 and "Traceback" not in salida.err
    assert "asm_se\\xf1al.csv" in salida.out + salida.err


# --------------------------------------------------------------------------- 15. CONAC form fields (ficha)


def _ficha_conac(tmp_path: Path, valores: dict, extra: list[tuple] = ()) -> tuple[Path, dict[str, int]]:
    """A template for Querétaro 2024 FASSA with its ficha filled (``valores``) and ``extra`` rows appended
    to the ficha; returns the workbook and the ficha row of each field."""
    from openpyxl import load_workbook

    from asm_analysis.entradas.captura import escribir_plantilla

    ruta = escribir_plantilla("Querétaro", 2024, "FASSA", tmp_path / "queretaro_2024_FASSA.xlsx")
    wb = load_workbook(ruta)
    ws = wb["ficha"]
    filas = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    base = {"ejecutora": "SESEQ", "instancia_evaluadora": "Evaluadora Ejemplo, S.C.", "fecha_corte": "31/12/2024",
            "fuente": "Información de la ejecutora"}
    for campo, valor in {**base, **valores}.items():
        ws.cell(row=filas[campo], column=2).value = valor
    for fila in extra:
        ws.append(list(fila))
    wb["foda"].append(["I. Diseño", "Diagnóstico", "Sin plazos", "Actualizar cada año", "SESEQ"])
    wb.save(ruta)
    return ruta, filas


def _validar(ruta: Path, capsys) -> tuple[int, list[str]]:
    codigo = main(["validate", str(ruta)])
    salida = capsys.readouterr()
    assert "Traceback" not in salida.err
    return codigo, salida.out.splitlines()


@pytest.mark.parametrize("campo, valor, palabras", [
    ("costo", "-163560", "el campo costo (6.3 Costo total de la evaluación) («-163560»): el costo no puede ser "
                         "negativo"),
    ("costo", "ciento sesenta mil pesos", "el campo costo (6.3 Costo total de la evaluación) («ciento sesenta mil "
                                          "pesos»): «ciento sesenta mil pesos» está escrito con letra; escriba el "
                                          "importe con cifras"),
    ("poder_publico", "Ejecutivo", "el campo poder_publico (5.4 Poder público al que pertenece(n) el(los) "
                                   "programa(s)) («Ejecutivo») no es una opción del formato CONAC: Poder Ejecutivo, "
                                   "Poder Legislativo, Poder Judicial, Ente Autónomo"),
    ("ambito_gubernamental", "Municipal", "(«Municipal») no es una opción del formato CONAC: Federal, Estatal, Local"),
    ("tipo_contratacion", "Concurso", "(«Concurso») no es una opción del formato CONAC: Adjudicación Directa, "
                                      "Invitación a tres, Licitación Pública Nacional, Licitación Pública "
                                      "Internacional, Otro"),
])
def test_un_campo_conac_malo_se_rechaza_con_archivo_hoja_fila_y_columna(tmp_path, capsys, campo, valor, palabras):
    ruta, filas = _ficha_conac(tmp_path, {campo: valor})
    codigo, lineas = _validar(ruta, capsys)
    lugar = f"Error en archivo «{ruta.name}», hoja «ficha», fila {filas[campo]}, columna «valor»: "
    assert codigo == 2
    assert any(linea.startswith(lugar) and palabras in linea for linea in lineas), lineas


def test_una_evaluacion_que_termina_antes_de_empezar_se_rechaza(tmp_path, capsys):
    ruta, filas = _ficha_conac(tmp_path, {"fecha_inicio": "31/12/2024", "fecha_termino": "01/07/2024"})
    codigo, lineas = _validar(ruta, capsys)
    assert codigo == 2
    assert (f"Error en archivo «{ruta.name}», hoja «ficha», fila {filas['fecha_termino']}, columna «valor»: la "
            f"evaluación termina (fecha_termino 01/07/2024) antes de empezar (fecha_inicio 31/12/2024, fila "
            f"{filas['fecha_inicio']}); corrija una de las dos fechas") in lineas, lineas


def test_las_opciones_conac_se_aceptan_sin_importar_mayusculas_ni_acentos(tmp_path, capsys):
    ruta, _ = _ficha_conac(tmp_path, {"poder_publico": "poder ejecutivo", "ambito_gubernamental": "ESTATAL",
                                      "tipo_contratacion": "invitacion a tres", "costo": "$ 163,560.00",
                                      "fecha_inicio": "01/07/2024", "fecha_termino": "31/12/2024"})
    codigo, lineas = _validar(ruta, capsys)
    assert codigo == 0, lineas


def test_un_campo_repetido_con_dos_valores_no_pasa_validate(tmp_path, capsys):
    ruta, filas = _ficha_conac(tmp_path, {}, extra=[("ciclo", 2023)])
    codigo, lineas = _validar(ruta, capsys)
    assert codigo == 2
    ultima = max(filas.values()) + 1
    assert (f"Error en archivo «{ruta.name}», hoja «ficha», fila {ultima}, columna «campo»: el campo ciclo aparece "
            f"dos veces en la ficha con valores distintos (fila {filas['ciclo']}: «2024»; fila {ultima}: «2023»); "
            "deje una sola fila") in lineas, lineas


def test_un_campo_repetido_con_el_mismo_valor_se_acepta(tmp_path, capsys):
    ruta, _ = _ficha_conac(tmp_path, {}, extra=[("ciclo", "2024"), ("fondo", None)])
    codigo, lineas = _validar(ruta, capsys)
    assert codigo == 0, lineas


# --------------------------------------------------------------------------- 17. messages that name the row


ENCABEZADO_ASM = ("ciclo,cve_ent,fondo,numero,aspecto,tipo,prioridad,area_responsable,accion,fecha_inicio,"
                  "fecha_termino,avance,documento_probatorio,observaciones,evaluacion_origen,estatus_reportado")


def _fila_asm(n: int, accion: str) -> str:
    return (f"2024,22,FASSA,{n},Actualizar el diagnóstico,Específico,Alta,Dirección de Planeación,{accion},"
            f"15/01/2025,30/09/2025,50,,,EED FASSA 2023,")


def test_un_csv_utf8_con_un_byte_latin1_nombra_su_fila_y_columna(tmp_path, capsys):
    filas = [_fila_asm(n, "Elaborar el diagnóstico") for n in range(1, 8)]
    texto = "\n".join([ENCABEZADO_ASM, *filas]) + "\n"
    crudo = texto.encode("utf-8")
    # row 4 of the file (third data row): its «ó» pasted from a latin-1 program
    lineas = crudo.split(b"\n")
    lineas[3] = lineas[3].replace("Elaborar el diagnóstico".encode("utf-8"), "Elaborar el diagnóstico".encode("latin-1"))
    ruta = tmp_path / "asm_2024.csv"
    ruta.write_bytes(b"\n".join(lineas))
    codigo = main(["validate", str(ruta)])
    salida = capsys.readouterr()
    assert codigo == 2 and "Traceback" not in salida.err
    assert salida.out.startswith("Error en archivo «asm_2024.csv», fila 4, columna «accion»: el archivo está en UTF-8 "
                                 "pero esta fila no (el byte 0xf3 «ó» es de latin-1 o Windows-1252; 1 fila así)"), \
        salida.out
    assert "Ã" not in salida.out  # no row is blamed for the mojibake the wrong encoding would give


def test_un_csv_todo_en_latin1_se_sigue_leyendo(tmp_path):
    from asm_analysis.entradas import lectura

    texto = "\n".join([ENCABEZADO_ASM, *(_fila_asm(n, "Elaborar el diagnóstico") for n in range(1, 4))]) + "\n"
    ruta = tmp_path / "asm_latin1.csv"
    ruta.write_bytes(texto.encode("latin-1"))
    assert lectura.detectar_codificacion(ruta) == "latin-1"
    _, filas, _ = lectura.leer_csv_texto(ruta)
    assert filas[0][4] == "Actualizar el diagnóstico"


def _srft_con_celda_de_mas(tmp_path: Path, desde: int, cada: int, filas: int = 60) -> Path:
    """A small national SRFT of the demo (``filas`` data rows) where every ``cada``-th data row from
    ``desde`` on has one cell too many (a trailing comma)."""
    crudo = (RAW_DEMO / "srft" / "ejercicio_del_gasto_2024_demo.csv").read_bytes().split(b"\n")
    datos = [linea for linea in crudo[1:] if linea][:filas]
    datos = [linea + b",X" if i >= desde and (i - desde) % cada == 0 else linea for i, linea in enumerate(datos)]
    ruta = tmp_path / "ejercicio_del_gasto_2024.csv"
    ruta.write_bytes(b"\n".join([crudo[0], *datos]) + b"\n")
    return ruta


def test_un_srft_cuyas_filas_tienen_todas_una_celda_de_mas_nombra_las_primeras_y_cuantas(tmp_path, capsys):
    ruta = _srft_con_celda_de_mas(tmp_path, desde=0, cada=1, filas=60)
    codigo = main(["validate", str(ruta)])
    salida = capsys.readouterr()
    assert codigo == 2 and "Traceback" not in salida.err
    assert ("Error en archivo «ejercicio_del_gasto_2024.csv», fila 1: el encabezado tiene 29 columnas y las primeras "
            "20 filas de datos tienen 30 (filas 2, 3, 4, 5, 6 y 15 más); en todo el archivo, 60 de 60 filas de datos "
            "tienen 30 columnas: ") in salida.out, salida.out


def test_un_srft_con_muchas_filas_con_una_celda_de_mas_las_resume_en_validate(tmp_path, capsys):
    ruta = _srft_con_celda_de_mas(tmp_path, desde=30, cada=2, filas=90)  # rows 32, 34, ..., 90: 30 rows
    codigo = main(["validate", str(ruta)])
    lineas = capsys.readouterr().out.splitlines()
    assert codigo == 2
    primeras = [linea for linea in lineas if ", fila " in linea and "tiene 30 columnas y el encabezado 29" in linea]
    assert [linea.split(",")[1].strip() for linea in primeras[:3]] == ["fila 32", "fila 34", "fila 36"]
    assert ("ejercicio_del_gasto_2024.csv: 30 filas en total tienen el mismo problema que la fila 32 (la fila tiene 30 "
            "columnas y el encabezado 29); se muestran las primeras 10: 32, 34, 36, 38, 40, 42, 44, 46, 48, 50") \
        in lineas, lineas
    assert len(primeras) == 10


# --------------------------------------------------------------------------- 18. last year's workbook unreadable


def _regla_registrada(regla: str) -> bool:
    from asm_analysis.auditoria.motor import REGISTRO, tabla_de_reglas

    import asm_analysis.auditoria  # noqa: F401 - registers every rule

    return regla in tabla_de_reglas(REGISTRO)


@pytest.mark.skipif(not _regla_registrada("X-ANTERIOR-INCOMPLETO"),
                    reason="the rule for last ciclo's incomplete inputs comes with issue 24 items 8 (branch w24a)")
def test_un_libro_del_anio_anterior_que_no_se_lee_se_dice_en_consola_hallazgos_y_manifiesto(tmp_path, capsys):
    """Last ciclo's workbook is damaged: the report is built, but the year-over-year checks are
    said not to have run, naming the file (console, findings, manifest), never silently skipped."""
    import csv
    import shutil

    datos = tmp_path / "datos"
    (datos / "raw" / "captura").mkdir(parents=True)
    libro = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
    shutil.copy(libro, datos / "raw" / "captura" / libro.name)
    danado = datos / "raw" / "captura" / "aguascalientes_2023_IMSS-BIENESTAR.xlsx"
    danado.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)  # a cut download: a ZIP header and noise
    codigo = main(["report", "--data-dir", str(datos), "--estado", "Aguascalientes", "--ciclo", "2024", "--fondo",
                   "IMSS-BIENESTAR", "--out", str(tmp_path / "out"), "--sin-html"])
    salida = capsys.readouterr()
    assert codigo == 0, salida.err
    assert danado.name in salida.out + salida.err and "2023" in salida.out + salida.err
    carpeta = tmp_path / "out" / "2024" / "IMSS-BIENESTAR" / "01-aguascalientes"
    with (carpeta / "hallazgos.csv").open(encoding="utf-8") as f:
        avisos = [h for h in csv.DictReader(f) if h["regla"] == "X-ANTERIOR-INCOMPLETO"]
    assert len(avisos) == 1 and danado.name in avisos[0]["mensaje"]
    manifiesto = json.loads((carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert any(danado.name in str(v) for k, v in manifiesto.items() if "anterior" in k), manifiesto.keys()
