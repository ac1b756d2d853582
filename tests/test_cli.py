"""Command line: counts that reconcile, Spanish one-line errors with exit code 2, no tracebacks."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.ejecucion.cli import main

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
AGS = RAW / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
LINEA = re.compile(r"^(?P<archivo>\S.*?): leídas (?P<l>[\d,]+), cargadas (?P<c>[\d,]+), rechazadas (?P<r>[\d,]+)")


def _n(texto: str) -> int:
    return int(texto.replace(",", ""))


def _filas_csv(ruta: Path) -> int:
    with open(ruta, encoding="utf-8-sig", newline="") as f:
        return sum(1 for fila in list(csv.reader(f))[1:] if any(c.strip() for c in fila))


def _filas_libro(ruta: Path) -> int:
    """Non-blank data rows of the capture sheets, counted with openpyxl alone."""
    wb = load_workbook(ruta, read_only=True)
    total = 0
    for hoja in ("destino", "concurrencia", "indicadores", "asm", "foda"):
        filas = list(wb[hoja].iter_rows(values_only=True))[1:]
        total += sum(1 for f in filas if any(v is not None and str(v).strip() for v in f))
    wb.close()
    return total


@pytest.fixture()
def datos(tmp_path) -> Path:
    destino = tmp_path / "data"
    shutil.copytree(RAW, destino / "raw")
    return destino


@pytest.fixture()
def libro_roto(tmp_path) -> Path:
    ruta = tmp_path / "ags_roto.xlsx"
    wb = load_workbook(AGS)
    ws = wb["destino"]
    columnas = {c.value: c.column for c in ws[1]}
    ws.cell(row=5, column=columnas["modificado"], value="6,951,18l.74")  # letter l typed for one
    wb.save(ruta)
    return ruta


# --------------------------------------------------------------------------- ingest


def test_ingest_una_linea_por_archivo_y_conteos(datos, capsys):
    assert main(["ingest", "--data-dir", str(datos)]) == 0
    salida = capsys.readouterr().out
    lineas = {m["archivo"]: m for m in map(LINEA.match, salida.splitlines()) if m}
    fuentes = sorted(p.relative_to(datos / "raw").as_posix()
                     for carpeta in ("srft", "indicadores", "concurrencia", "asm") for p in (datos / "raw" / carpeta).glob("*.csv"))
    fuentes += sorted(p.relative_to(datos / "raw").as_posix() for p in (datos / "raw" / "captura").glob("*.xlsx"))
    assert sorted(lineas) == sorted(fuentes)
    for archivo, m in lineas.items():
        assert _n(m["l"]) == _n(m["c"]) + _n(m["r"]), archivo
    esperados = {
        "asm/publicado_imss_bienestar_2022.csv": _filas_csv(RAW / "asm" / "publicado_imss_bienestar_2022.csv"),
        "asm/publicado_queretaro_fassa_2019.csv": _filas_csv(RAW / "asm" / "publicado_queretaro_fassa_2019.csv"),
        "captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx": _filas_libro(AGS),
    }
    assert esperados == {"asm/publicado_imss_bienestar_2022.csv": 8, "asm/publicado_queretaro_fassa_2019.csv": 15,
                         "captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx": 73}
    for archivo, n in esperados.items():
        m = lineas[archivo]
        assert (_n(m["l"]), _n(m["c"]), _n(m["r"])) == (n, n, 0), archivo
    # a second run reads nothing again and reports the same counts
    assert main(["ingest", "--datos", str(datos)]) == 0
    segunda = capsys.readouterr().out
    for archivo in esperados:
        assert any(linea.startswith(archivo) and "sin cambios" in linea for linea in segunda.splitlines())


def test_ingest_cuenta_rechazos(datos, capsys):
    ruta = datos / "raw" / "asm" / "con_errores.csv"
    ruta.write_text(
        "ciclo,cve_ent,fondo,numero,aspecto,tipo,prioridad,area_responsable,accion,fecha_inicio,fecha_termino,"
        "avance,documento_probatorio,observaciones,evaluacion_origen,estatus_reportado\n"
        "2023,22,FASSA,1,Aspecto uno,Institucional,Alta,SESEQ,Acción,01/02/2023,31/02/2023,50,,,EED 2022,\n"
        "2023,22,FASSA,2,Aspecto dos,Institucional,Alta,SESEQ,Acción,01/02/2023,30/06/2023,50,,,EED 2022,\n",
        encoding="utf-8")
    # the good rows are stored, but a rejected row makes the run exit 2
    assert main(["ingest", "--data-dir", str(datos)]) == 2
    salida = capsys.readouterr().out
    (m,) = [m for m in map(LINEA.match, salida.splitlines()) if m and m["archivo"] == "asm/con_errores.csv"]
    assert (_n(m["l"]), _n(m["c"]), _n(m["r"])) == (2, 1, 1)
    assert "Filas rechazadas: 1" in salida


def test_ingest_carpeta_inexistente(capsys):
    assert main(["ingest", "--data-dir", "/nonexistent"]) == 2
    captura = capsys.readouterr()
    assert "/nonexistent" in captura.err
    assert "Traceback" not in captura.err


# --------------------------------------------------------------------------- template


def test_template_escribe_libro(tmp_path, capsys):
    ruta = tmp_path / "q.xlsx"
    assert main(["template", "--estado", "Qro", "--ciclo", "2024", "--fondo", "fassa", "--out", str(ruta)]) == 0
    assert ruta.exists()
    wb = load_workbook(ruta)
    assert wb.sheetnames[:6] == ["ficha", "destino", "concurrencia", "indicadores", "asm", "foda"]
    assert str(ruta) in capsys.readouterr().out
    # not overwritten without --sobrescribir
    assert main(["template", "--estado", "Qro", "--ciclo", "2024", "--fondo", "fassa", "--out", str(ruta)]) == 2
    assert "sobrescribir" in capsys.readouterr().err


@pytest.mark.parametrize("estado", ["Aguascalientez", "Aguas calientes x", "aguascalintes"])
def test_template_estado_desconocido_sugiere(tmp_path, capsys, estado):
    codigo = main(["template", "--estado", estado, "--ciclo", "2024", "--fondo", "FASSA",
                   "--out", str(tmp_path / "x.xlsx")])
    assert codigo == 2
    err = capsys.readouterr().err
    assert "no se reconoce" in err
    assert "Aguascalientes" in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("ciclo", ["abc", "1999", "20x4"])
def test_template_ciclo_invalido(tmp_path, capsys, ciclo):
    with pytest.raises(SystemExit) as info:
        main(["template", "--estado", "Aguascalientes", "--ciclo", ciclo, "--fondo", "FASSA",
              "--out", str(tmp_path / "x.xlsx")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert ciclo in err
    assert "Error:" in err and "argumento" in err


def test_template_fondo_desconocido(tmp_path, capsys):
    assert main(["template", "--estado", "01", "--ciclo", "2024", "--fondo", "FONDEN",
                 "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "FONDEN" in err and "FASSA" in err


# --------------------------------------------------------------------------- validate


def test_validate_libro_publicado_lista_sus_inconsistencias(capsys):
    """The published workbook loads whole, but its figures contradict each other: exit 2."""
    assert main(["validate", str(AGS)]) == 2
    salida = capsys.readouterr().out
    (linea,) = [l for l in salida.splitlines() if "capítulo 1000, columna «modificado»" in l]
    assert "fila 9" in linea and "$200,582,447.02" in linea and "$196,069,868.52" in linea
    assert not any("aprobado" in l and "subtotal" in l for l in salida.splitlines())


def test_validate_plantilla_llena_sin_problemas(tmp_path, capsys):
    from asm_analysis.entradas.captura import escribir_plantilla
    from openpyxl import load_workbook

    ruta = escribir_plantilla("Zacatecas", 2024, "FASSA", tmp_path / "z.xlsx")
    wb = load_workbook(ruta)
    ficha = wb["ficha"]
    valores = {"ejecutora": "Servicios de Salud de Zacatecas", "instancia_evaluadora": "Evaluadora X",
               "fecha_corte": "30/09/2025", "fuente": "Prueba"}
    for fila in ficha.iter_rows(min_row=2):
        if fila[0].value in valores:
            fila[1].value = valores[fila[0].value]
    wb.save(ruta)
    assert main(["validate", str(ruta)]) == 0
    assert "sin problemas" in capsys.readouterr().out


def test_validate_libro_con_importe_invalido(libro_roto, capsys):
    assert main(["validar", str(libro_roto)]) == 2
    captura = capsys.readouterr()
    salida = captura.out
    # one rejected row (the audit's findings on the published figures follow it)
    (linea,) = [l for l in salida.splitlines() if "ags_roto.xlsx (hoja destino)" in l]
    assert "fila 5" in linea
    assert "modificado" in linea
    assert "6,951,18l.74" in linea
    assert re.search(r"\b1 problema en ", captura.err), captura.err


def test_validate_archivo_inexistente(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "no_existe.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "no_existe.xlsx" in err and "no existe" in err


def test_validate_csv_nacional(capsys):
    ruta = RAW / "asm" / "publicado_queretaro_fassa_2019.csv"
    assert main(["validate", str(ruta)]) == 0
    assert "sin problemas" in capsys.readouterr().out


# --------------------------------------------------------------------------- as a real process


def _correr(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(RAIZ / "src"))
    return subprocess.run([sys.executable, "-m", "asm_analysis", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.lenta  # subprocesses
@pytest.mark.parametrize(
    ("args", "codigo", "en_salida"),
    [
        (["template", "--estado", "Aguascalientez", "--ciclo", "2024", "--fondo", "FASSA"], 2, "Aguascalientes"),
        (["template", "--estado", "Aguascalientes", "--ciclo", "abc", "--fondo", "FASSA"], 2, "abc"),
        (["validate", "no_existe.xlsx"], 2, "no existe"),
        (["ingest", "--data-dir", "/nonexistent"], 2, "/nonexistent"),
        (["validate", "{roto}"], 2, "fila 5"),
        (["validate", str(AGS)], 2, "196,069,868.52"),
    ],
)
def test_subproceso_sin_traceback(tmp_path, libro_roto, args, codigo, en_salida):
    args = [a.replace("{roto}", str(libro_roto)) for a in args]
    resultado = _correr(args, tmp_path)
    assert resultado.returncode == codigo, resultado.stderr
    assert "Traceback" not in resultado.stderr
    assert "Traceback" not in resultado.stdout
    assert en_salida in resultado.stdout + resultado.stderr
    if codigo == 2 and args[0] != "validate" or args == ["validate", "no_existe.xlsx"]:
        errores = [l for l in resultado.stderr.splitlines() if l.startswith("Error")]
        assert len(errores) == 1  # one clear sentence


@pytest.mark.lenta  # a subprocess
def test_subproceso_ingest(datos):
    resultado = _correr(["ingest", "--data-dir", str(datos)], datos)
    assert resultado.returncode == 0, resultado.stderr
    assert "Traceback" not in resultado.stderr
    lineas = [m for m in map(LINEA.match, resultado.stdout.splitlines()) if m]
    assert lineas
    assert all(_n(m["l"]) == _n(m["c"]) + _n(m["r"]) for m in lineas)


# --------------------------------------------------------------------------- help and usage in Spanish


def _acciones(parser):
    import argparse

    yield parser
    for accion in parser._actions:
        if isinstance(accion, argparse._SubParsersAction):
            for sub in dict.fromkeys(accion.choices.values()):
                yield from _acciones(sub)


def test_ayuda_en_espanol_con_cada_opcion_descrita(capsys):
    from asm_analysis.ejecucion.cli import construir_parser

    for parser in _acciones(construir_parser()):
        for accion in parser._actions:
            if accion.dest == "comando":
                continue
            assert accion.help, (parser.prog, accion.option_strings or accion.dest)
        texto = parser.format_help()
        assert texto.startswith("uso: ")
        for ingles in ("usage:", "options:", "positional arguments", "show this help"):
            assert ingles not in texto, (parser.prog, ingles)


@pytest.mark.parametrize("args, frase", [
    (["report"], "Error: faltan los argumentos obligatorios: --estado/--state, --ciclo/--year, --fondo/--fund"),
    (["report", "--estado"], "Error: argumento --estado/--state: se esperaba un valor"),
    (["reporte"], "Error: argumento COMANDO: opción no válida"),
])
def test_errores_de_uso_en_espanol(args, frase, capsys):
    with pytest.raises(SystemExit) as salida:
        main(args)
    assert salida.value.code == 2
    err = capsys.readouterr().err
    assert frase in err and "argumentoo" not in err


def test_template_va_por_omision_a_raw_captura(tmp_path, capsys):
    assert main(["template", "--estado", "Q. Roo", "--ciclo", "2024", "--fondo", "FASSA",
                 "--data-dir", str(tmp_path)]) == 0
    ruta = tmp_path / "raw" / "captura" / "quintana_roo_2024_FASSA.xlsx"
    assert ruta.is_file() and str(ruta) in capsys.readouterr().out
    from asm_analysis.entradas.compuerta import identidad_por_nombre

    assert identidad_por_nombre(f"captura/{ruta.name}") == ("23", 2024, "FASSA")


def test_ejecutar_cuadernos_no_construye_la_gramatica_de_iri_de_jsonschema():
    """A process that executes notebooks (a batch's parent and each worker) imports nbformat, and with it
    jsonschema, which imports ``rfc3987_syntax`` when installed: building its grammar took 0.8 s per process,
    about 1.5 s of a batch of 8 states. Importing the kernel module first marks it absent."""
    if subprocess.run([sys.executable, "-c", "import rfc3987_syntax"], capture_output=True).returncode:
        pytest.skip("rfc3987_syntax no está instalado: no hay gramática que evitar")
    codigo = ("import sys; import asm_analysis.publicacion.cuaderno, nbformat, papermill; "
              "nbformat.validate(nbformat.v4.new_notebook()); "
              "print(sys.modules.get('rfc3987_syntax') is None)")
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True)
    assert salida.stdout.strip() == "True"
