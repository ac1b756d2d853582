"""Capture workbooks read exactly, within bounded resources.

Inputs: ``tests/entradas_rotas/5X_captura_*`` (regenerate with ``scripts/generar_libros_exactos.py``);
the zip bomb is built here, in a temporary folder, since it cannot be small.

- a ``<dimension>`` tag smaller than the data does not drop rows (openpyxl read-only trusts it);
- merged cells in data rows are refused with sheet, row and column;
- a number in a percent-formatted cell of a percent column is a fraction (0.5 → 50);
- ``.xlsm`` and upper-case extensions are read by ``ingest`` and ``validate`` alike;
- values beyond the row/column limits, and packages expanding past the size limit, are refused
  with the cell or size named, in a subprocess whose peak memory grows by less than 500 MB.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.entradas import ingesta, libro_xlsx
from asm_analysis.entradas.captura import leer_captura
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion.validacion import validar_archivo

RAIZ = Path(__file__).resolve().parents[1]
CORPUS = RAIZ / "tests" / "entradas_rotas"
LIMITE_MEMORIA_MB = 500
LIMITE = "fuera del límite de 20,000 filas y 60 columnas (A1:BH20000); bórrelo"


def _error(nombre: str) -> ErrorEntrada:
    with pytest.raises(ErrorEntrada) as info:
        leer_captura(CORPUS / nombre)
    return info.value


def test_corpus_pequeno_y_regenerable():
    sys.path.insert(0, str(RAIZ / "scripts"))
    try:
        import generar_libros_exactos as gen
    finally:
        sys.path.pop(0)
    nombres = set(gen.casos())
    assert nombres == {p.name for p in CORPUS.glob("5[0-9]_captura_*")}
    assert all((CORPUS / n).stat().st_size < 50_000 for n in nombres)
    assert sum(gen.AVANCES_70) > 0


def test_limites_en_un_solo_lugar():
    assert (libro_xlsx.LIMITES.filas, libro_xlsx.LIMITES.columnas, libro_xlsx.LIMITES.mb) == (20_000, 60, 64)


# --------------------------------------------------------------------------- 1. dimension tag


def test_dimension_menor_que_los_datos_carga_todas_las_filas():
    ruta = CORPUS / "50_captura_dimension_menor.xlsx"
    with zipfile.ZipFile(ruta) as z:
        parte = libro_xlsx.rutas_hojas(z)["asm"]
        assert b'<dimension ref="A1:M7"/>' in z.read(parte)
    # the trap is real: openpyxl read-only stops at the tag (header + 6 actions)
    wb = load_workbook(ruta, read_only=True)
    assert len(list(wb["asm"].iter_rows(values_only=True))) == 7
    wb.close()
    # independent figures: the full (non read-only) openpyxl model ignores the tag
    ws = load_workbook(ruta)["asm"]
    avances = [f[8] for f in ws.iter_rows(min_row=2, values_only=True)]
    assert len(avances) == 70

    cap = leer_captura(ruta)
    asm = cap.tablas["asm"]
    assert len(asm) == 70 and cap.resultados["asm"].leidas == 70 and cap.rechazos.empty
    assert asm["fila"].tolist() == list(range(2, 72))
    assert asm["avance"].mean() == pytest.approx(sum(avances) / 70)
    assert validar_archivo(ruta) == []


def test_dimension_menor_ingest_cuenta_todas_las_filas(tmp_path):
    datos = tmp_path / "data"
    (datos / "raw" / "captura").mkdir(parents=True)
    shutil.copy(CORPUS / "50_captura_dimension_menor.xlsx", datos / "raw" / "captura")
    [resumen] = ingesta.ingerir(datos)
    # destino 3 + concurrencia 2 + indicadores 1 + asm 70 + foda 1
    assert (resumen.leidas, resumen.cargadas, resumen.rechazadas, resumen.error) == (77, 77, 0, None)


# --------------------------------------------------------------------------- 2. merged cells


def test_celdas_combinadas_en_filas_de_datos_se_rechazan():
    exc = _error("51_captura_celdas_combinadas.xlsx")
    assert exc.motivo == ("la hoja asm tiene celdas combinadas en B5:B7; descombínelas y escriba el valor "
                          "en cada fila")
    assert (exc.hoja, exc.fila, exc.columna) == ("asm", 5, "aspecto")
    assert validar_archivo(CORPUS / "51_captura_celdas_combinadas.xlsx") == [
        "Error en archivo «51_captura_celdas_combinadas.xlsx», hoja «asm», fila 5, columna «aspecto»: "
        "la hoja asm tiene celdas combinadas en B5:B7; descombínelas y escriba el valor en cada fila"]


def test_combinadas_horizontales_y_varias(tmp_path):
    ruta = tmp_path / "libro.xlsx"
    wb = load_workbook(CORPUS / "52_captura_porcentaje_formato.xlsx")
    wb["asm"].merge_cells("K3:K4")    # observaciones typed once for two actions
    wb["asm"].merge_cells("L2:M2")    # evaluacion_origen spilling over estatus_reportado
    wb.save(ruta)
    exc = pytest.raises(ErrorEntrada, leer_captura, ruta).value
    assert exc.motivo == ("la hoja asm tiene celdas combinadas en L2:M2 (y 1 rango(s) combinado(s) más); "
                          "descombínelas y escriba el valor en cada fila")
    assert (exc.hoja, exc.fila, exc.columna) == ("asm", 2, "evaluacion_origen")


def test_titulo_combinado_sobre_el_encabezado_se_acepta(tmp_path):
    ruta = tmp_path / "libro.xlsx"
    wb = load_workbook(CORPUS / "52_captura_porcentaje_formato.xlsx")
    ws = wb["asm"]
    ws.insert_rows(1)
    ws["A1"] = "Anexo 7. Avance de los aspectos susceptibles de mejora"
    ws.merge_cells("A1:M1")
    wb.save(ruta)
    cap = leer_captura(ruta)
    assert cap.tablas["asm"]["fila"].tolist() == [3, 4, 5, 6, 7]


# --------------------------------------------------------------------------- 3. percent cells


def test_numero_en_celda_con_formato_porcentaje_es_fraccion():
    cap = leer_captura(CORPUS / "52_captura_porcentaje_formato.xlsx")
    assert cap.rechazos.empty
    # 0.5 as «50 %», 50 in General, 0.755 as «75.5 %», text «80 %», 50 with a literal « %» suffix
    assert cap.tablas["asm"]["avance"].tolist() == [50.0, 50.0, 75.5, 80.0, 50.0]
    assert cap.tablas["asm"]["avance"].mean() == pytest.approx((50 + 50 + 75.5 + 80 + 50) / 5)
    assert cap.tablas["concurrencia"]["porcentaje"].tolist() == [75.0, 25.0]
    assert cap.tablas["indicadores"]["avance_meta_reportado"].tolist() == [100.0]
    # a number column is never rescaled, whatever its format
    assert cap.tablas["indicadores"]["avance"].tolist() == [95.0]


def test_formato_porcentaje_en_columna_numerica_no_cambia(tmp_path):
    ruta = tmp_path / "libro.xlsx"
    wb = load_workbook(CORPUS / "52_captura_porcentaje_formato.xlsx")
    wb["indicadores"]["H2"].number_format = "0%"  # avance (numero): shown as 9500 %, still 95
    wb.save(ruta)
    assert leer_captura(ruta).tablas["indicadores"]["avance"].tolist() == [95.0]


@pytest.mark.parametrize(("formato", "esperado"), [
    ("0%", True), ("0.00%", True), ("#,##0.0 %", True), ("[Red]0.0%;[Blue]-0.0%", True),
    ("General", False), ("0.00", False), ('0" %"', False), ("0\\%", False), (None, False), ("", False),
])
def test_es_formato_porcentaje(formato, esperado):
    assert libro_xlsx.es_formato_porcentaje(formato) is esperado


# --------------------------------------------------------------------------- 4. extensions


def test_xlsm_y_mayusculas_se_leen_en_ingest_y_validate(tmp_path):
    datos = tmp_path / "data"
    captura = datos / "raw" / "captura"
    indicadores = datos / "raw" / "indicadores"
    captura.mkdir(parents=True)
    indicadores.mkdir(parents=True)
    for nombre in ("55_captura_macro.xlsm", "56_captura_mayusculas.XLSX"):
        shutil.copy(CORPUS / nombre, captura / nombre)
    shutil.copy(CORPUS / "56_captura_mayusculas.XLSX", captura / "~$56_captura_mayusculas.XLSX")  # lock file
    shutil.copy(CORPUS / "55_captura_macro.xlsm", captura / ".oculto.xlsx")
    (captura / "notas.txt").write_text("pendiente: pedir el oficio", encoding="utf-8")
    shutil.copy(CORPUS / "13_indicadores_latin1.csv", indicadores / "INDICADORES_2024.CSV")

    fuentes = [(t, r.name) for t, r in ingesta.fuentes_raw(datos)]
    assert fuentes == [("indicadores", "INDICADORES_2024.CSV"), ("captura", "55_captura_macro.xlsm"),
                       ("captura", "56_captura_mayusculas.XLSX")]
    resumenes = {r.relativa: r for r in ingesta.ingerir(datos)}
    assert {k: (r.leidas, r.cargadas, r.error) for k, r in resumenes.items()} == {
        "indicadores/INDICADORES_2024.CSV": (2, 2, None),
        "captura/55_captura_macro.xlsm": (8, 8, None),
        "captura/56_captura_mayusculas.XLSX": (8, 8, None),
    }
    assert resumenes["captura/56_captura_mayusculas.XLSX"].identidad["cve_ent"] == "32"
    for _, nombre in fuentes:
        ruta = (captura if nombre.startswith("5") else indicadores) / nombre
        assert validar_archivo(ruta) == [], nombre


@pytest.mark.parametrize("nombre", ["a.xlsx", "b.XLSX", "c.Xlsm", "d.csv", "e.CSV", "f.txt", "g.xls", "h.pdf",
                                    "i.xlsx.bak"])
def test_validate_e_ingest_aceptan_las_mismas_extensiones(tmp_path, nombre):
    sufijo = Path(nombre).suffix.lower()
    carpeta = tmp_path / "raw" / ("captura" if sufijo.startswith(".xls") else "asm")
    carpeta.mkdir(parents=True)
    ruta = carpeta / nombre
    ruta.write_text("numero,aspecto\n", encoding="utf-8")  # the content does not matter here
    en_ingest = [r for _, r in ingesta.fuentes_raw(tmp_path)] == [ruta]
    try:
        validar_archivo(ruta)  # problems with the content are returned as lines, not raised
        en_validate = True
    except ErrorEntrada as exc:
        assert exc.motivo == "solo se validan libros .xlsx o .xlsm y archivos .csv (los mismos que lee ingest)"
        en_validate = False
    assert en_validate == en_ingest == (sufijo in {".xlsx", ".xlsm", ".csv"})


# --------------------------------------------------------------------------- 5. bounded resources


def _limitar_memoria() -> None:
    # a hang guard for the shared machine: a regression fails here instead of eating the host's memory
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


GUION = """
import json, resource, sys
import asm_analysis.auditoria, asm_analysis.ejecucion.validacion
antes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
lineas = asm_analysis.ejecucion.validacion.validar_archivo(sys.argv[1])
despues = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"lineas": lineas, "delta_mb": (despues - antes) / 1024}))
"""


def _validar_medido(ruta: Path) -> tuple[list[str], float]:
    """validate in a fresh process: its output lines and how much its peak memory grew (MB)."""
    env = dict(os.environ, PYTHONPATH=str(RAIZ / "src"))
    r = subprocess.run([sys.executable, "-c", GUION, str(ruta)], capture_output=True, text=True, env=env,
                       timeout=600, preexec_fn=_limitar_memoria)
    assert r.returncode == 0, r.stderr[-2000:]
    salida = json.loads(r.stdout.strip().splitlines()[-1])
    return salida["lineas"], salida["delta_mb"]


@pytest.mark.parametrize(("nombre", "hoja", "celda", "fila", "columna"), [
    ("53_captura_celda_lejana.xlsx", "asm", "XFD1048576", 1048576, "XFD"),
    ("57_captura_fila_fuera_de_limite.xlsx", "destino", "A20001", 20001, "A"),
    ("58_captura_columna_fuera_de_limite.xlsx", "indicadores", "BI2", 2, "BI"),
])
def test_valor_fuera_de_limite_se_nombra(nombre, hoja, celda, fila, columna):
    exc = _error(nombre)
    assert exc.motivo == f"la hoja {hoja} tiene un valor en la celda {celda}, {LIMITE}"
    assert (exc.hoja, exc.fila, exc.columna) == (hoja, fila, columna)
    lineas, delta = _validar_medido(CORPUS / nombre)
    assert lineas == [f"Error en archivo «{nombre}», hoja «{hoja}», fila {fila}, columna «{columna}»: "
                      f"la hoja {hoja} tiene un valor en la celda {celda}, {LIMITE}"]
    assert delta < LIMITE_MEMORIA_MB


@pytest.mark.lenta
def test_celda_vacia_con_formato_y_dimension_enorme_se_lee_sin_costo():
    ruta = CORPUS / "54_captura_dimension_enorme.xlsx"
    with zipfile.ZipFile(ruta) as z:
        xml = z.read(libro_xlsx.rutas_hojas(z)["asm"])
    assert b'<dimension ref="A1:XFD1048576"/>' in xml and b'<c r="XFD1048576" s="1" t="n"></c>' in xml
    cap = leer_captura(ruta)
    assert len(cap.tablas["asm"]) == 1 and cap.rechazos.empty
    lineas, delta = _validar_medido(ruta)
    assert lineas == [] and delta < LIMITE_MEMORIA_MB


def _bomba(ruta: Path, mb: int) -> None:
    """A valid capture workbook whose asm sheet XML expands to about ``mb`` MB (a few hundred KB zipped)."""
    base = CORPUS / "52_captura_porcentaje_formato.xlsx"
    fila = ('<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>1</t></is></c>'
            '<c r="B{n}" t="inlineStr"><is><t>Aspecto repetido para inflar el libro</t></is></c></row>')
    with zipfile.ZipFile(base) as origen, zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        parte = libro_xlsx.rutas_hojas(origen)["asm"]
        for info in origen.infolist():
            if info.filename != parte:
                z.writestr(info, origen.read(info.filename))
                continue
            xml = origen.read(parte).decode()
            cabeza, cola = xml.split("</sheetData>")
            with z.open(parte, "w", force_zip64=True) as f:
                f.write(cabeza.encode())
                n, escritos, bloque = 100, 0, []
                while escritos < mb << 20:
                    bloque = "".join(fila.format(n=n + k) for k in range(2000)).encode()
                    f.write(bloque)
                    escritos += len(bloque)
                    n += 2000
                f.write(("</sheetData>" + cola).encode())


@pytest.mark.lenta
def test_libro_que_se_expande_demasiado_se_rechaza_sin_descomprimir(tmp_path):
    ruta = tmp_path / "bomba.xlsx"
    _bomba(ruta, 100)
    with zipfile.ZipFile(ruta) as z:
        total = sum(i.file_size for i in z.infolist())
    assert total > 100 << 20 and ruta.stat().st_size < total / 10
    mb = math.ceil(total / (1 << 20) * 10) / 10
    motivo = (f"el libro ocupa {mb:,.1f} MB al descomprimirse, más que el límite de 64 MB de un libro de "
              "captura; quite las hojas, imágenes o filas que no son de la captura")
    with pytest.raises(ErrorEntrada) as info:
        leer_captura(ruta)
    assert info.value.motivo == motivo
    lineas, delta = _validar_medido(ruta)
    assert lineas == [f"Error en archivo «bomba.xlsx»: {motivo}"]
    assert delta < LIMITE_MEMORIA_MB


@pytest.mark.lenta
def test_libro_grande_dentro_del_limite_se_rechaza_por_filas(tmp_path):
    """Just under the size limit, the row limit still stops the read at the first row past it."""
    ruta = tmp_path / "grande.xlsx"
    _bomba(ruta, 50)
    lineas, delta = _validar_medido(ruta)
    assert lineas == [f"Error en archivo «grande.xlsx», hoja «asm», fila 20001, columna «A»: "
                      f"la hoja asm tiene un valor en la celda A20001, {LIMITE}"]
    assert delta < LIMITE_MEMORIA_MB


@pytest.mark.lenta
def test_hoja_en_el_limite_se_lee(tmp_path):
    """20,000 rows of which 19,999 are actions: loaded whole, within the memory bound."""
    ruta = tmp_path / "limite.xlsx"
    wb = load_workbook(CORPUS / "52_captura_porcentaje_formato.xlsx")
    ws = wb["asm"]
    plantilla = [c.value for c in ws[3]]
    for n in range(7, 20_001):
        ws.append([str(n)] + plantilla[1:])
    wb.save(ruta)
    cap = leer_captura(ruta)
    assert len(cap.tablas["asm"]) == 19_999 and cap.rechazos.empty
    assert cap.tablas["asm"]["fila"].max() == 20_000
