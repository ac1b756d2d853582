"""Malformed inputs: nothing a user feeds in crashes the tool, loses a row or writes a report.

The corpus lives in ``tests/entradas_rotas/`` (regenerate it with
``scripts/generar_entradas_rotas.py``). Each case below says what the tool must do with the
file, through the real command line:

- ``validate`` exits with ``validar`` (2 = problems found) and its output names the file and,
  where they apply, the sheet, row and column, plus the words in ``palabras``;
- ``ingest`` with the file alone in ``raw/<tipo>/`` prints ``leídas, cargadas, rechazadas``
  equal to ``conteos`` (``None``: the file cannot be loaded at all and its line says ERROR),
  stores exactly the loadable rows, writes one reject per rejected row with its reason and
  exits 2 whenever something was rejected or could not be loaded;
- ``report`` with the file alone in the data folder exits 2 with one Spanish sentence naming
  the file, and leaves the output folder without any report (``informe=True``).

Decisions documented per case (``nota``):

- Content mistakes that load fine are the audit's business (``auditoria.py``): ASM avance 150,
  fecha de término before fecha de inicio, a negative amount in ``destino``. ``validate`` on
  the workbook lists the audit's ``error`` findings (sheet, row, column) and exits 2; ``ingest``
  loads every row (exit 0); ``report`` produces the report with the finding in it.
- A header-only CSV is well formed: 0 rows read, 0 loaded, exit 0 for ``validate`` and
  ``ingest`` (an SRFT extract can legitimately be empty). ``report`` then has no data for the
  state and exits 2 with "no hay datos", writing nothing.
- A negative ``monto`` or ``porcentaje`` in ``concurrencia`` is rejected at load time (a source
  of financing cannot be negative, and no audit rule would see it otherwise).
- A concept typed twice in ``destino`` is rejected at load time (the second row, naming the
  first): summing both would double the concept silently.
- ``1234,56`` (decimal comma) is rejected: read as thousands separator it would be 100 times
  larger. ``$ 1,234.56`` is accepted.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from asm_analysis.entradas import almacen
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.entradas.ingesta import nombre_rechazos
from asm_analysis.ejecucion.cli import main

RAIZ = Path(__file__).resolve().parents[1]
CORPUS = RAIZ / "tests" / "entradas_rotas"
LINEA = re.compile(r"^(?P<archivo>\S.*?): leídas (?P<l>[\d,]+), cargadas (?P<c>[\d,]+), rechazadas (?P<r>[\d,]+)")
TABLAS = {"srft": ["srft"], "indicadores": ["indicadores"], "concurrencia": ["concurrencia"], "asm": ["asm"],
          "captura": [f"captura_{h}" for h in ("destino", "concurrencia", "indicadores", "asm", "foda")]}
#: Every report in the corpus is for the state, year and fund the files are about.
INFORME = ["--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "FASSA"]


@dataclass(frozen=True)
class Caso:
    archivo: str
    validar: int                          # exit code of ``validate``
    palabras: tuple[str, ...] = ()        # must appear in validate's output
    hoja: str | None = None
    fila: int | None = None
    columna: str | None = None
    conteos: tuple[int, int, int] | None = (0, 0, 0)  # ingest: leídas, cargadas, rechazadas; None = ERROR
    informe: bool = False                 # ``report`` must exit 2 and write nothing
    nota: str = ""
    auditoria: bool = False               # the problem is found by the audit, not by the loader
    tablas_extra: dict = field(default_factory=dict)

    @property
    def tipo(self) -> str:
        return self.archivo.split("_")[1]

    @property
    def ruta(self) -> Path:
        return CORPUS / self.archivo


CASOS = [
    # ------------------------------------------------------------------ SRFT (SHCP, latin-1)
    Caso("01_srft_vacio.csv", 2, ("vacío",), conteos=None, informe=True),
    Caso("02_srft_solo_encabezado.csv", 2, ("no tiene filas de datos",), fila=2, conteos=(0, 0, 0), informe=True,
         nota="well formed, no rows: ingest loads 0 rows, validate refuses it, the report says there is no data"),
    Caso("03_srft_utf16.csv", 2, ("UTF-16", "CSV UTF-8"), fila=1, conteos=None, informe=True,
         nota="Excel's «Texto Unicode»: named, with how to save it"),
    Caso("04_srft_falta_columna.csv", 2, ("MONTO_DEVENGADO",), fila=1, columna="MONTO_DEVENGADO",
         conteos=None, informe=True),
    Caso("05_srft_encabezados_variantes.csv", 0, ("sin problemas",), conteos=(2, 2, 0),
         nota="lower-case names, PROGRAMA_FONDO_CONVENIO_ESPECÍFICO variant, an extra column: accepted"),
    Caso("06_srft_punto_y_coma.csv", 0, ("sin problemas",), conteos=(2, 2, 0),
         nota="the separator is detected from the header"),
    Caso("07_srft_importe_no_numerico.csv", 2, ("pendiente", "importe"), fila=4, columna="MONTO_PAGADO",
         conteos=(3, 2, 1), informe=True),
    Caso("08_srft_importe_absurdo.csv", 2, ("1e20",), fila=3, columna="MONTO_APROBADO",
         conteos=(3, 2, 1), informe=True),
    Caso("09_srft_partida_sin_concepto.csv", 2, ("191", "concepto"), fila=3, columna="ID_PARTIDA_GENERICA",
         conteos=(2, 1, 1), informe=True, nota="partida 191 would roll up to concepto 1900, which does not exist"),
    Caso("10_srft_entidad_desconocida.csv", 2, ("33", "1 y 32"), fila=3, columna="ID_ENTIDAD_FEDERATIVA",
         conteos=(2, 1, 1), informe=True),
    Caso("11_srft_texto_con_comas_y_saltos.csv", 0, ("sin problemas",), conteos=(2, 2, 0),
         nota="quoted commas, quotes and a line break inside OBSERVACIONES_CAPTURISTA"),
    Caso("12_srft_libro_con_extension_csv.csv", 2, ("libro de Excel", "CSV"), conteos=None, informe=True),
    Caso("41_srft_coma_sin_comillas.csv", 2, ("30 columnas", "29"), fila=3, columna="(fila completa)",
         conteos=(3, 2, 1), informe=True,
         nota="the shifted row is rejected; the rows before and after it still load, with their numbers"),
    Caso("43_srft_coma_decimal.csv", 2, ("950000,50", "punto decimal"), fila=3, columna="MONTO_MODIFICADO",
         conteos=(2, 1, 1), informe=True, nota="a decimal comma is never read as a thousands separator"),
    # ------------------------------------------------------------------ national CSVs (UTF-8)
    Caso("13_indicadores_latin1.csv", 0, ("sin problemas",), conteos=(2, 2, 0),
         nota="the contract says UTF-8, but a latin-1 file is detected and read with its accents"),
    Caso("14_indicadores_bom_comas_y_saltos.csv", 0, ("sin problemas",), conteos=(2, 2, 0),
         nota="BOM, a justification with a quoted comma and a line break, an extra column"),
    Caso("15_indicadores_falta_columna.csv", 2, ("sentido",), fila=1, columna="sentido", conteos=None,
         informe=True),
    Caso("16_concurrencia_importes.csv", 2, ("1e20", "fuera de rango", "mil pesos", "1234,56"), fila=3,
         columna="monto", conteos=(4, 1, 3), informe=True,
         nota="«$ 1,234.56» loads; 1e20, «mil pesos» and «1234,56» are rejected with their reason"),
    Caso("17_concurrencia_monto_negativo.csv", 2, ("negativo", "-500,000.00"), fila=3, columna="monto",
         conteos=(2, 1, 1), informe=True, nota="a negative source of financing is rejected at load time"),
    Caso("18_concurrencia_estado_y_fondo_desconocidos.csv", 2, ("Narnia", "«33»", "FONDEN"), fila=3,
         columna="cve_ent", conteos=(4, 1, 3), informe=True),
    Caso("19_asm_fecha_imposible.csv", 2, ("31/02/2024", "fecha posible"), fila=3, columna="fecha_termino",
         conteos=(2, 1, 1), informe=True),
    Caso("20_asm_avance_con_texto.csv", 2, ("Atendido",), fila=2, columna="avance", conteos=(2, 1, 1),
         informe=True),
    Caso("42_concurrencia_coma_sin_comillas.csv", 2, ("10 columnas", "9"), fila=3, columna="(fila completa)",
         conteos=(2, 1, 1), informe=True),
    # ------------------------------------------------------------------ capture workbooks
    Caso("21_captura_vacio.xlsx", 2, ("vacío",), conteos=None, informe=True),
    Caso("22_captura_corrupto.xlsx", 2, ("dañado",), conteos=None, informe=True),
    Caso("23_captura_con_contrasena.xlsx", 2, ("contraseña",), conteos=None, informe=True,
         nota="an OLE2/CFB container, as Excel writes a password-protected workbook"),
    Caso("24_captura_sin_hoja_asm.xlsx", 2, ("faltan las hojas asm",), hoja="asm", conteos=None, informe=True),
    Caso("25_captura_encabezado_combinado.xlsx", 2, ("aprobado", "celdas combinadas"), hoja="destino", fila=1,
         columna="aprobado", conteos=None, informe=True,
         nota="a two-row header with merged cells: the missing names and how to fix the header"),
    Caso("26_captura_titulo_combinado.xlsx", 0, ("sin problemas",), conteos=(8, 8, 0),
         nota="a merged title row above the header is fine: the header row is found below it"),
    Caso("27_captura_formula_sin_valor.xlsx", 2, ("fórmula", "D3", "=D2*0.2"), hoja="destino", fila=3,
         columna="aprobado", conteos=(8, 7, 1), informe=True,
         nota="a formula never calculated (written by a program, not by Excel) rejects its row"),
    Caso("28_captura_capitulo_desconocido.xlsx", 2, ("1234", "capítulo"), hoja="destino", fila=3,
         columna="capitulo", conteos=(8, 7, 1), informe=True),
    Caso("29_captura_partida_sin_concepto.xlsx", 2, ("191",), hoja="destino", fila=3, columna="concepto",
         conteos=(8, 7, 1), informe=True),
    Caso("30_captura_encabezados_con_acentos_y_extra.xlsx", 0, ("sin problemas",), conteos=(8, 8, 0),
         nota="«Capítulo», «CONCEPTO», «Descripción », an extra column and an extra sheet: accepted"),
    Caso("31_captura_columna_renombrada.xlsx", 2, ("capitulo",), hoja="destino", fila=1, columna="capitulo",
         conteos=None, informe=True, nota="«cap» is not «capitulo»: a missing column"),
    Caso("32_captura_avance_mayor_100.xlsx", 2, ("150",), hoja="asm", fila=2, columna="avance",
         conteos=(8, 8, 0), auditoria=True),
    Caso("33_captura_fechas_invertidas.xlsx", 2, ("anterior a la fecha de inicio",), hoja="asm", fila=2,
         columna="fecha_termino", conteos=(8, 8, 0), auditoria=True),
    Caso("34_captura_fecha_imposible.xlsx", 2, ("31/02/2024",), hoja="asm", fila=2, columna="fecha_termino",
         conteos=(8, 7, 1), informe=True),
    Caso("35_captura_importe_negativo.xlsx", 2, ("negativo",), hoja="destino", fila=4, columna="aprobado",
         conteos=(8, 8, 0), auditoria=True),
    Caso("36_captura_concepto_duplicado.xlsx", 2, ("1100", "fila 2"), hoja="destino", fila=4,
         columna="concepto", conteos=(9, 8, 1), informe=True),
    Caso("37_captura_estado_desconocido.xlsx", 2, ("Narnia",), hoja="ficha", fila=2, columna="valor",
         conteos=None, informe=True),
    Caso("38_captura_ficha_sin_fondo.xlsx", 2, ("fondo",), hoja="ficha", fila=4, columna="valor",
         conteos=None, informe=True),
    Caso("39_captura_importe_absurdo.xlsx", 2, ("fuera de rango",), hoja="destino", fila=2,
         columna="modificado", conteos=(8, 7, 1), informe=True),
    Caso("40_captura_hoja_sin_encabezado.xlsx", 2, ("vacía",), hoja="concurrencia", fila=1, conteos=None,
         informe=True),
    Caso("44_captura_formula_en_ficha.xlsx", 2, ("fórmula", "B3"), hoja="ficha", fila=3, columna="valor",
         conteos=None, informe=True),
]
IDS = [c.archivo for c in CASOS]


def _correr(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(RAIZ / "src"))
    return subprocess.run([sys.executable, "-m", "asm_analysis", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _nombra_lugar(caso: Caso, texto: str) -> None:
    """The output names the file and, where they apply, the sheet, row and column."""
    assert caso.archivo in texto
    if caso.hoja:
        assert re.search(rf"hoja «?{re.escape(caso.hoja)}\b", texto, re.IGNORECASE), texto
    if caso.fila is not None:
        assert re.search(rf"\bfila {caso.fila}\b", texto), texto
    if caso.columna:
        # the column among those the place names («fecha_inicio» y «fecha_termino»)
        assert re.search(rf"columnas? (?:«[^»]*»(?:, | y ))*«?{re.escape(caso.columna)}", texto), texto


def _datos_con(caso: Caso, base: Path) -> Path:
    datos = base / "data"
    (datos / "raw" / caso.tipo).mkdir(parents=True)
    shutil.copy(caso.ruta, datos / "raw" / caso.tipo / caso.archivo)
    return datos


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_completo_y_pequeno():
    propios = list(CORPUS.glob("[0-4][0-9]_*"))  # 5X: test_libros_exactos.py, 6X-7X: test_fallas.py
    en_disco = sorted(p.name for p in propios)
    assert en_disco == sorted(IDS), "every corpus file has a case and every case a file"
    assert len(CASOS) >= 25
    assert all(p.stat().st_size < 20_000 for p in propios)
    tipos = {c.tipo for c in CASOS}
    assert tipos == {"srft", "indicadores", "concurrencia", "asm", "captura"}


def test_corpus_regenerado_es_identico(tmp_path, monkeypatch):
    """The generator reproduces the committed files byte for byte."""
    sys.path.insert(0, str(RAIZ / "scripts"))
    try:
        import generar_entradas_rotas as gen
    finally:
        sys.path.pop(0)
    for nombre, datos in gen.casos().items():
        assert (CORPUS / nombre).read_bytes() == datos, nombre


def test_codificaciones_a_proposito():
    assert (CORPUS / "14_indicadores_bom_comas_y_saltos.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    crudo = (CORPUS / "13_indicadores_latin1.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        crudo.decode("utf-8")
    assert "Médicos" in crudo.decode("latin-1")
    assert (CORPUS / "23_captura_con_contrasena.xlsx").read_bytes().startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert (CORPUS / "03_srft_utf16.csv").read_bytes().startswith(b"\xff\xfe")


# --------------------------------------------------------------------------- validate, as a real process


@pytest.fixture(scope="module")
def validaciones(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """``asm-analysis validate`` on every corpus file, run as subprocesses (in parallel)."""
    cwd = tmp_path_factory.mktemp("validar")
    with ThreadPoolExecutor(max_workers=4) as grupo:
        resultados = grupo.map(lambda c: _correr(["validate", str(c.ruta)], cwd), CASOS)
        return dict(zip(IDS, resultados))


@pytest.mark.lenta  # subprocesses
@pytest.mark.parametrize("caso", CASOS, ids=IDS)
def test_validate_sin_traceback_nombra_archivo_hoja_fila_columna(caso, validaciones):
    r = validaciones[caso.archivo]
    texto = r.stdout + r.stderr
    assert "Traceback" not in texto
    assert r.returncode == caso.validar, texto
    for palabra in caso.palabras:
        assert palabra in texto, (palabra, texto)
    if caso.validar == 0:
        assert "sin problemas" in r.stdout
        return
    _nombra_lugar(caso, r.stdout)
    assert re.search(r"\b\d+ problemas? (y \d+ advertencias? que conviene revisar )?en ", r.stderr), r.stderr


# --------------------------------------------------------------------------- ingest


@pytest.mark.parametrize("caso", CASOS, ids=IDS)
def test_ingest_carga_lo_que_se_puede_y_rechaza_el_resto(caso, tmp_path, capsys):
    datos = _datos_con(caso, tmp_path)
    codigo = main(["ingest", "--data-dir", str(datos)])
    salida = capsys.readouterr()
    relativa = f"{caso.tipo}/{caso.archivo}"
    processed = datos / "processed"
    guardadas = sum(len(almacen.leer(processed, t)) for t in TABLAS[caso.tipo])
    rechazos = processed / "rechazos" / nombre_rechazos(caso.archivo)
    if caso.conteos is None:  # the file cannot be loaded at all
        assert codigo == 2
        (linea,) = [l for l in salida.out.splitlines() if l.startswith(relativa)]
        assert "ERROR" in linea and caso.archivo in linea
        _nombra_lugar(caso, linea)
        assert guardadas == 0 and not rechazos.exists()
        return
    (m,) = [m for m in map(LINEA.match, salida.out.splitlines()) if m and m["archivo"] == relativa]
    leidas, cargadas, rechazadas = (int(m[k].replace(",", "")) for k in ("l", "c", "r"))
    assert (leidas, cargadas, rechazadas) == caso.conteos
    assert leidas == cargadas + rechazadas
    assert guardadas == cargadas
    if rechazadas:
        assert codigo == 2
        ultima = salida.out.strip().splitlines()[-1]
        assert f"Filas rechazadas: {rechazadas}" in ultima and "rechazos" in ultima
        with open(rechazos, encoding="utf-8", newline="") as f:
            lector = csv.DictReader(f)
            assert lector.fieldnames == COLUMNAS_RECHAZO
            filas = list(lector)
        assert len({f["fila"] for f in filas}) == rechazadas
        assert all(f["motivo"].strip() and f["columna"].strip() and caso.archivo in f["archivo"] for f in filas)
        if caso.fila is not None:
            assert str(caso.fila) in {f["fila"] for f in filas}
    else:
        assert codigo == 0, salida.out + salida.err
        assert not rechazos.exists()
    assert "Traceback" not in salida.err


# --------------------------------------------------------------------------- report writes nothing


@pytest.fixture(scope="module")
def informes(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """``asm-analysis report --sin-html`` with each broken file alone in the data folder."""
    casos = [c for c in CASOS if c.informe]

    def correr(caso: Caso):
        base = tmp_path_factory.mktemp(caso.archivo[:2])
        datos = _datos_con(caso, base)
        out = base / "reports"
        return _correr(["report", *INFORME, "--data-dir", str(datos), "--out", str(out), "--sin-html"], base), out

    with ThreadPoolExecutor(max_workers=4) as grupo:
        return dict(zip((c.archivo for c in casos), grupo.map(correr, casos)))


@pytest.mark.lenta  # subprocesses
@pytest.mark.parametrize("caso", [c for c in CASOS if c.informe], ids=[c.archivo for c in CASOS if c.informe])
def test_report_sale_con_2_y_no_escribe_nada(caso, informes):
    r, out = informes[caso.archivo]
    assert "Traceback" not in r.stdout + r.stderr
    assert r.returncode == 2, r.stdout + r.stderr
    errores = [l for l in r.stderr.splitlines() if l.startswith("Error")]
    assert len(errores) == 1, r.stderr  # one sentence
    if caso.conteos == (0, 0, 0):  # well formed and empty: there is simply no data
        assert "no hay datos" in errores[0]
    else:
        _nombra_lugar(caso, errores[0])
    assert not out.exists() or not any(out.rglob("*")), sorted(out.rglob("*"))


@pytest.mark.lenta  # subprocesses
def test_report_con_archivo_roto_deja_intacto_un_informe_previo(tmp_path):
    """A report folder written before survives a failed run untouched; nothing is added next to it."""
    caso = next(c for c in CASOS if c.archivo.startswith("07_"))
    datos = _datos_con(caso, tmp_path)
    out = tmp_path / "reports"
    previo = out / "2024" / "FASSA" / "01-aguascalientes"
    previo.mkdir(parents=True)
    (previo / "informe.html").write_text("<p>informe anterior</p>", encoding="utf-8")
    antes = sorted(p.relative_to(out) for p in out.rglob("*"))
    r = _correr(["report", *INFORME, "--data-dir", str(datos), "--out", str(out), "--sin-html"], tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert caso.archivo in r.stderr and "fila 4" in r.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == antes
    assert (previo / "informe.html").read_text(encoding="utf-8") == "<p>informe anterior</p>"


# --------------------------------------------------------------------------- a few cases in detail


def test_filas_despues_de_una_fila_desplazada_conservan_su_numero(tmp_path, capsys):
    caso = next(c for c in CASOS if c.archivo.startswith("41_"))
    datos = _datos_con(caso, tmp_path)
    main(["ingest", "--data-dir", str(datos)])
    capsys.readouterr()
    tabla = almacen.leer(datos / "processed", "srft")
    assert sorted(tabla["fila"]) == [2, 4]
    assert sorted(tabla["partida"]) == ["113", "253"]


def test_texto_con_comillas_y_salto_de_linea_se_conserva(tmp_path, capsys):
    caso = next(c for c in CASOS if c.archivo.startswith("14_"))
    datos = _datos_con(caso, tmp_path)
    main(["ingest", "--data-dir", str(datos)])
    capsys.readouterr()
    tabla = almacen.leer(datos / "processed", "indicadores").sort_values("fila")
    assert list(tabla["fila"]) == [2, 3]  # a line break inside quotes does not shift row numbers
    assert "campaña" in tabla["justificacion"].iloc[0] and "," in tabla["justificacion"].iloc[0]


def test_importe_con_signo_y_comas_se_lee_exacto(tmp_path, capsys):
    caso = next(c for c in CASOS if c.archivo.startswith("16_"))
    datos = _datos_con(caso, tmp_path)
    main(["ingest", "--data-dir", str(datos)])
    capsys.readouterr()
    tabla = almacen.leer(datos / "processed", "concurrencia")
    assert list(tabla["monto"]) == [1234.56]
    motivos = pd.read_csv(datos / "processed" / "rechazos" / nombre_rechazos(caso.archivo), dtype=str)
    assert list(motivos["fila"]) == ["3", "4", "5"]
    assert set(motivos["columna"]) == {"monto"}


def test_latin1_conserva_acentos(tmp_path, capsys):
    caso = next(c for c in CASOS if c.archivo.startswith("13_"))
    datos = _datos_con(caso, tmp_path)
    main(["ingest", "--data-dir", str(datos)])
    capsys.readouterr()
    tabla = almacen.leer(datos / "processed", "indicadores")
    assert set(tabla["nivel"]) == {"Propósito", "Componente"}
    assert any("Médicos" in t for t in tabla["indicador"])


def test_punto_y_coma_y_variantes_de_encabezado_dan_los_mismos_importes(tmp_path, capsys):
    sumas = []
    for prefijo in ("05_", "06_"):
        caso = next(c for c in CASOS if c.archivo.startswith(prefijo))
        datos = _datos_con(caso, tmp_path / prefijo)
        main(["ingest", "--data-dir", str(datos)])
        tabla = almacen.leer(datos / "processed", "srft")
        sumas.append((len(tabla), tabla["aprobado"].sum(), tabla["pagado"].sum(), set(tabla["programa"])))
    capsys.readouterr()
    assert sumas[0] == sumas[1] == (2, 2_000_000.0, 1_700_000.0,
                                    {"Fondo de Aportaciones para los Servicios de Salud"})


def test_formula_sin_valor_nombra_la_celda_y_carga_las_demas(tmp_path, capsys):
    caso = next(c for c in CASOS if c.archivo.startswith("27_"))
    datos = _datos_con(caso, tmp_path)
    main(["ingest", "--data-dir", str(datos)])
    capsys.readouterr()
    destino = almacen.leer(datos / "processed", "captura_destino")
    assert sorted(destino["fila"]) == [2, 4]
    (rechazo,) = pd.read_csv(datos / "processed" / "rechazos" / nombre_rechazos(caso.archivo), dtype=str).itertuples()
    # the rejects CSV, opened in Excel, shows the formula as text (comun.formatos.celda_csv)
    assert (rechazo.fila, rechazo.columna, rechazo.valor) == ("3", "aprobado", "'=D2*0.2")
    assert "D3" in rechazo.motivo and "hoja destino" in rechazo.archivo
