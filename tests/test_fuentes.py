"""Demo data apart from the user's data, and never two sources of one kind added together.

``data/raw`` ships only published transcriptions, so a report built from it is never a demo;
the synthetic set lives in ``data/demo/raw``. Two raw files that hold rows of the same kind
for the same state, ciclo and fund (two SRFT exports, two ASM CSVs…) are refused with one
sentence naming both, instead of being summed. A capture workbook wins over the SRFT and the
national CSVs for its (estado, ciclo, fondo), and the report says so.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis.entradas import almacen
from asm_analysis import anexos
from asm_analysis import auditoria
from asm_analysis.entradas import datos
from asm_analysis.ejecucion import reporte
from asm_analysis.ejecucion.cli import main
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.entradas.ingesta import ingerir

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
RAW_DEMO = RAIZ / "data" / "demo" / "raw"
LIBRO_AGS = RAW / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
SRFT_DEMO_2024 = RAW_DEMO / "srft" / "ejercicio_del_gasto_2024_demo.csv"
ARCHIVOS_DEMO_2024 = ["raw/asm/demo_asm.csv", "raw/concurrencia/demo_concurrencia.csv",
                      "raw/indicadores/demo_indicadores.csv", "raw/srft/ejercicio_del_gasto_2023_demo.csv",
                      "raw/srft/ejercicio_del_gasto_2024_demo.csv"]
MARCAS = ("demo sintétic", "demo sintetic", 'class="banner-demo"')  # the label, the marker, the banner


def _copia(origen: Path, destino: Path) -> Path:
    shutil.copytree(origen, destino / "raw")
    return destino


def _textos_xlsx(ruta: Path) -> list[str]:
    wb = load_workbook(ruta, read_only=True)
    textos = [str(v) for ws in wb.worksheets for fila in ws.iter_rows(values_only=True) for v in fila
              if isinstance(v, str)]
    wb.close()
    return textos


def _libro(destino: Path, estado: str, fondo: str) -> Path:
    """A user's filled capture workbook for (estado, 2024, fondo), made from the published one."""
    wb = load_workbook(LIBRO_AGS)
    for fila in wb["ficha"].iter_rows(min_row=2):
        if fila[0].value == "estado":
            fila[1].value = estado
        elif fila[0].value == "fondo":
            fila[1].value = fondo
    destino.parent.mkdir(parents=True, exist_ok=True)
    wb.save(destino)
    return destino


def _srft_real(destino: Path, cve: int, factor: float = 1.0, modalidad: str | None = None) -> Path:
    """A real-looking SRFT export (no demo marker, no «demo» in its name) with one state's rows.

    Made from the state's state-level rows of the demo 2024 file, amounts times ``factor``;
    with ``modalidad`` only that programme's rows are kept.
    """
    with open(SRFT_DEMO_2024, encoding="latin-1", newline="") as f:
        lector = csv.DictReader(f)
        campos = lector.fieldnames
        filas = [r for r in lector if int(r["ID_ENTIDAD_FEDERATIVA"]) == cve and r["ID_MUNICIPIO"] == "0"
                 and (modalidad is None or r["MODALIDAD_PP"] == modalidad)]
    for r in filas:
        r["OBSERVACIONES_CAPTURISTA"] = ""
        for c in campos:
            if c.startswith("MONTO_"):
                r[c] = f"{float(r[c]) * factor:.2f}"
    destino.parent.mkdir(parents=True, exist_ok=True)
    with open(destino, "w", encoding="latin-1", newline="") as f:
        escritor = csv.DictWriter(f, fieldnames=campos)
        escritor.writeheader()
        escritor.writerows(filas)
    return destino


def _modificado_fassa(ruta: Path, cve: int, ciclo: int) -> float:
    """Anexo 1 total modificado of FASSA from a raw SRFT file, with the csv module only:
    state-level rows of the year's own money in the last quarter reported."""
    with open(ruta, encoding="latin-1", newline="") as f:
        filas = [r for r in csv.DictReader(f)
                 if int(r["ID_ENTIDAD_FEDERATIVA"]) == cve and int(r["CICLO"]) == ciclo and r["ID_RAMO"] == "33"
                 and r["MODALIDAD_PP"] == "I002" and r["ID_MUNICIPIO"] == "0" and int(r["CICLO_RECURSO"]) == ciclo]
    ultimo = max(int(r["TRIMESTRE"]) for r in filas)
    return round(sum(float(r["MONTO_MODIFICADO"]) for r in filas if int(r["TRIMESTRE"]) == ultimo), 2)


def _copiar_filas(origen: Path, destino: Path, cve: str, ciclo: int, quitar: bool = False) -> int:
    """Copy one state's rows of one ciclo from a national CSV into a new file (and, with
    ``quitar``, take them out of the original). Returns how many rows moved."""
    with open(origen, encoding="utf-8", newline="") as f:
        lector = csv.DictReader(f)
        campos, filas = lector.fieldnames, list(lector)
    elegidas = [r for r in filas if r["cve_ent"] == cve and int(r["ciclo"]) == ciclo]
    with open(destino, "w", encoding="utf-8", newline="") as f:
        escritor = csv.DictWriter(f, fieldnames=campos, lineterminator="\n")
        escritor.writeheader()
        escritor.writerows(elegidas)
    if quitar:
        with open(origen, "w", encoding="utf-8", newline="") as f:
            escritor = csv.DictWriter(f, fieldnames=campos, lineterminator="\n")
            escritor.writeheader()
            escritor.writerows([r for r in filas if r not in elegidas])
    return len(elegidas)


# --------------------------------------------------------------------------- what ships where


def test_data_raw_solo_trae_lo_publicado():
    archivos = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    assert archivos == ["asm/publicado_imss_bienestar_2022.csv", "asm/publicado_queretaro_fassa_2019.csv",
                        "captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx", "publicado/README.md"]
    for ruta in RAW.rglob("*.csv"):
        assert "DATOS DEMO" not in ruta.read_text(encoding="utf-8").upper(), ruta
    demo = sorted(p.relative_to(RAW_DEMO).as_posix() for p in RAW_DEMO.rglob("*") if p.is_file())
    assert demo == ["asm/demo_asm.csv", "concurrencia/demo_concurrencia.csv", "indicadores/demo_indicadores.csv",
                    "proyectos/proyectos_FASSA_Durango_2024_demo.xlsx", "proyectos/proyectos_FASSA_Nayarit_2024_demo.xlsx",
                    "proyectos/proyectos_FASSA_Zacatecas_2024_demo.xlsx",
                    "srft/ejercicio_del_gasto_2023_demo.csv", "srft/ejercicio_del_gasto_2024_demo.csv",
                    "srft_indicadores/srft_indicadores_2023_demo.csv", "srft_indicadores/srft_indicadores_2024_demo.xlsx"]


def test_make_report_usa_data_raw_y_make_reports_el_demo_aparte():
    make = (RAIZ / "Makefile").read_text(encoding="utf-8")
    reports = make.split("\nreports:", 1)[1].split("\n\n", 1)[0]
    assert "batch --data-dir $(DATOS_DEMO) --out reports/demo --ciclo 2024 --fondo FASSA --estados all" in reports
    assert "DATOS_DEMO := data/demo\n" in make and "DATOS ?= data\n" in make
    report = make.split("\nreport:", 1)[1].split("\n\n", 1)[0]
    assert '--data-dir "$(DATOS)"' in report
    assert "data/demo/processed/" in (RAIZ / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.lenta
def test_informe_de_data_raw_no_es_demo(datos_compartidos, tmp_path):
    r = reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=datos_compartidos, out=tmp_path,
                        actualizar=False)
    assert r.datos.demo is False
    assert [a["archivo"] for a in r.datos.archivos] == ["raw/captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx"]
    html = (r.carpeta / "informe.html").read_text(encoding="utf-8").lower()
    assert not [m for m in MARCAS if m in html]
    assert '<td data-label="parámetro">datos demo</td><td class="texto" data-label="valor">no</td>' in html  # the parameters table says it
    textos = " ".join(_textos_xlsx(r.carpeta / "anexos.xlsx")).lower()
    assert not [m for m in MARCAS if m in textos]
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert manifiesto["demo"] is False
    assert set(manifiesto["fuentes_por_anexo"].values()) == {"captura"}
    assert [e["archivo"] for e in manifiesto["entradas"]] == ["raw/captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx"]


def test_el_demo_da_los_errores_sembrados_y_lista_solo_sus_archivos_2024(datos_demo):
    sembrados = {"05": {"A2-SUBTOTAL", "A2-PORCENTAJE"},
                 "14": {"A4-CUMPLIMIENTO-SENTIDO", "A4-CUMPLIMIENTO-TOPE", "A4-ANTERIOR-COPIA"},
                 "30": {"ASM-AVANCE", "ASM-FECHAS", "ASM-CAMPOS"}}
    for cve, reglas in sembrados.items():
        d = datos.cargar(datos_demo, cve, 2024, "FASSA", actualizar=False)
        assert d.demo is True
        # the 2023 SRFT gives last year's aprobado by chapter (check across periods, X-A1-ANUAL)
        assert [a["archivo"] for a in d.archivos] == ARCHIVOS_DEMO_2024
        h = auditoria.calcular(d).hallazgos
        assert reglas <= set(h.loc[h["severidad"] == "error", "regla"]), cve


# --------------------------------------------------------------------------- the demo rule


@pytest.mark.parametrize("archivos,esperado", [
    (["srft/ejercicio_del_gasto_2024_demo.csv"], True),
    (["asm/demo_asm.csv"], True),
    (["indicadores/DEMO-2024.csv"], True),
    (["asm/demografia_2024.csv"], False),
    (["srft/ejercicio_del_gasto_2024.csv", "captura/zacatecas_2024_FASSA.xlsx"], False),
    ([], False),
])
def test_es_demo_por_nombre(archivos, esperado):
    assert datos.es_demo(archivos) is esperado


def test_es_demo_por_la_marca_de_las_filas():
    limpia = pd.DataFrame({"orden_gobierno": ["TOTAL"], "comentarios": ["Fuente: SHCP"], "monto": [1.0]})
    marcada = limpia.assign(comentarios=["Datos demo sinteticos"])
    assert datos.es_demo(["concurrencia/nacional.csv"], [limpia]) is False
    assert datos.es_demo(["concurrencia/nacional.csv"], [limpia, marcada]) is True
    assert datos.es_demo([], [pd.DataFrame({"x": ["DATOS DEMO SINTÉTICOS"]})]) is True


# --------------------------------------------------------------------------- the store says where a row came from


def test_almacen_nombra_el_archivo_de_cada_fila(tmp_path):
    base = _copia(RAW_DEMO, tmp_path / "d")
    _srft_real(base / "raw" / "srft" / "ejercicio_del_gasto_2024.csv", 2, factor=1.1)
    ingerir(base)
    filas = almacen.leer(base / "processed", "srft", 2024, "02", ambito="estatal", con_fuente=True)
    with open(SRFT_DEMO_2024, encoding="latin-1", newline="") as f:
        en_demo = sum(1 for r in csv.DictReader(f) if r["ID_ENTIDAD_FEDERATIVA"] == "2" and r["ID_MUNICIPIO"] == "0")
    assert filas[almacen.COLUMNA_FUENTE].value_counts().to_dict() == {
        "srft/ejercicio_del_gasto_2024_demo.csv": en_demo, "srft/ejercicio_del_gasto_2024.csv": en_demo}
    sin = almacen.leer(base / "processed", "srft", 2024, "02", ambito="estatal")
    assert almacen.COLUMNA_FUENTE not in sin and len(sin) == len(filas)


# --------------------------------------------------------------------------- two sources are never summed


def test_dos_srft_del_mismo_estado_y_ciclo_se_rechazan_nombrando_ambos(tmp_path, capsys):
    base = _copia(RAW_DEMO, tmp_path / "d")
    _srft_real(base / "raw" / "srft" / "ejercicio_del_gasto_2024.csv", 1)
    codigo = main(["report", "--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "FASSA",
                   "--data-dir", str(base), "--out", str(tmp_path / "out"), "--sin-html"])
    err = capsys.readouterr().err
    assert codigo == 2
    assert err.strip() == (
        "Error: hay dos archivos del SRFT con datos de Aguascalientes, ciclo 2024, fondo FASSA: "
        "srft/ejercicio_del_gasto_2024.csv y srft/ejercicio_del_gasto_2024_demo.csv; "
        f"deje solo uno en {base / 'raw' / 'srft'}")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv"))
    # a state the second file does not cover is read from the demo file alone
    d = datos.cargar(base, "02", 2024, "FASSA", actualizar=False)
    assert "raw/srft/ejercicio_del_gasto_2024_demo.csv" in [a["archivo"] for a in d.archivos]


def test_srft_de_otro_fondo_no_choca(tmp_path):
    base = _copia(RAW_DEMO, tmp_path / "d")
    _srft_real(base / "raw" / "srft" / "fais_2024.csv", 1, modalidad="I003")  # FAIS rows only
    d = datos.cargar(base, "01", 2024, "FASSA")
    assert "raw/srft/fais_2024.csv" not in [a["archivo"] for a in d.archivos]
    a1 = anexos.calcular(d).anexo1
    total = a1.loc[a1["tipo_fila"] == "total", "modificado"].iloc[0]
    assert total == pytest.approx(_modificado_fassa(SRFT_DEMO_2024, 1, 2024), abs=0.01)


def test_srft_real_solo_no_es_demo_y_no_se_duplica(tmp_path):
    base = tmp_path / "d"
    ruta = _srft_real(base / "raw" / "srft" / "ejercicio_del_gasto_2024.csv", 1, factor=1.1)
    d = datos.cargar(base, "01", 2024, "FASSA")
    assert d.demo is False and d.fuentes == {"destino": "srft"}
    assert [a["archivo"] for a in d.archivos] == ["raw/srft/ejercicio_del_gasto_2024.csv"]
    a1 = anexos.calcular(d).anexo1
    total = a1.loc[a1["tipo_fila"] == "total", "modificado"].iloc[0]
    assert total == pytest.approx(_modificado_fassa(ruta, 1, 2024), abs=0.01)


@pytest.mark.parametrize("tipo,archivo,cve,nombre", [
    ("asm", "demo_asm.csv", "30", "Veracruz"),
    ("indicadores", "demo_indicadores.csv", "14", "Jalisco"),
    ("concurrencia", "demo_concurrencia.csv", "05", "Coahuila"),
])
def test_dos_csv_nacionales_del_mismo_estado_ciclo_y_fondo_se_rechazan(tmp_path, tipo, archivo, cve, nombre):
    base = _copia(RAW_DEMO, tmp_path / "d")
    assert _copiar_filas(base / "raw" / tipo / archivo, base / "raw" / tipo / "estatal_2024.csv", cve, 2024) > 0
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(base, cve, 2024, "FASSA")
    nombre_tipo = {"asm": "de ASM", "indicadores": "de indicadores", "concurrencia": "de concurrencia"}[tipo]
    assert exc.value.motivo == (
        f"hay dos archivos {nombre_tipo} con datos de {nombre}, ciclo 2024, fondo FASSA: "
        f"{tipo}/{archivo} y {tipo}/estatal_2024.csv; deje solo uno en {base / 'raw' / tipo}")
    # the other states are in one file only and still load
    assert datos.cargar(base, "22", 2024, "FASSA", actualizar=False).demo


def test_asm_historico_de_otro_ciclo_en_otro_archivo_se_lee_y_se_cita(tmp_path, datos_demo):
    base = _copia(RAW_DEMO, tmp_path / "d")
    movidas = _copiar_filas(base / "raw" / "asm" / "demo_asm.csv", base / "raw" / "asm" / "veracruz_2021.csv",
                            "30", 2021, quitar=True)
    assert movidas > 0
    d = datos.cargar(base, "30", 2024, "FASSA")
    original = datos.cargar(datos_demo, "30", 2024, "FASSA", actualizar=False)
    assert len(d.asm) == len(original.asm)
    assert (d.asm["ciclo"] == 2021).sum() == movidas
    assert [a["archivo"] for a in d.archivos if a["tipo"] == "asm"] == ["raw/asm/demo_asm.csv",
                                                                       "raw/asm/veracruz_2021.csv"]
    # one ciclo of the history in two files is refused like the current one
    _copiar_filas(base / "raw" / "asm" / "veracruz_2021.csv", base / "raw" / "asm" / "otra_2021.csv", "30", 2021)
    with pytest.raises(ErrorEntrada, match=r"hay dos archivos de ASM con datos de Veracruz, ciclo 2021, fondo FASSA: "
                                           r"asm/otra_2021.csv y asm/veracruz_2021.csv; deje solo uno en "):
        datos.cargar(base, "30", 2024, "FASSA")


# --------------------------------------------------------------------------- a user's own workbook


@pytest.mark.lenta
def test_libro_de_zacatecas_sin_demo_no_lleva_aviso_ni_hallazgos_del_srft(tmp_path):
    base = _copia(RAW, tmp_path / "d")
    _libro(base / "raw" / "captura" / "zacatecas_2024_FASSA.xlsx", "Zacatecas", "FASSA")
    r = reporte.generar("Zacatecas", 2024, "FASSA", data_dir=base, out=tmp_path / "out")
    assert r.datos.demo is False
    assert [a["archivo"] for a in r.datos.archivos] == ["raw/captura/zacatecas_2024_FASSA.xlsx"]
    assert r.datos.srft.empty
    assert not r.anexos.hallazgos["regla"].str.startswith("A1-SRFT").any()
    html = (r.carpeta / "informe.html").read_text(encoding="utf-8")
    assert "Datos demo sintéticos" not in html
    assert 'class="banner-demo"' not in html
    assert not [t for t in _textos_xlsx(r.carpeta / "anexos.xlsx") if "DEMO SINT" in t.upper()]


@pytest.mark.lenta
def test_libro_gana_sobre_srft_y_csv_nacionales_y_el_informe_lo_dice(tmp_path):
    base = _copia(RAW_DEMO, tmp_path / "d")
    _libro(base / "raw" / "captura" / "zacatecas_2024_FASSA.xlsx", "Zacatecas", "FASSA")
    r = reporte.generar("Zacatecas", 2024, "FASSA", data_dir=base, out=tmp_path / "out", html=False)
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert manifiesto["fuentes_por_anexo"] == {"destino": "captura", "concurrencia": "captura",
                                               "indicadores": "captura", "foda": "captura", "asm": "captura",
                                               "indicadores_anterior": "nacional", "destino_anterior": "srft",
                                               "asm_anterior": "nacional", "proyectos": "srft_proyectos"}
    # the SRFT is still read, as the check of the workbook's Anexo 1, and cited; so is the national
    # indicators CSV, for the 2023 values (the workbook has no 2023 edition); the 2023 SRFT and the
    # national ASM CSV give last year's budget and Anexo 7 (checks across periods). Concurrencia
    # comes from the workbook only: its national CSV is not an input of this report.
    assert [e["archivo"] for e in manifiesto["entradas"]] == ["raw/asm/demo_asm.csv",
                                                             "raw/captura/zacatecas_2024_FASSA.xlsx",
                                                             "raw/indicadores/demo_indicadores.csv",
                                                             "raw/proyectos/proyectos_FASSA_Zacatecas_2024_demo.xlsx",
                                                             "raw/srft/ejercicio_del_gasto_2023_demo.csv",
                                                             "raw/srft/ejercicio_del_gasto_2024_demo.csv"]
    assert (r.datos.indicadores_previos["ciclo"] == 2023).all() and not r.datos.indicadores_previos.empty
    assert manifiesto["demo"] is True  # its SRFT check comes from the demo file
    # Anexo 1 is the workbook's (the published Aguascalientes figures it was made from), not the SRFT's
    a1 = pd.read_csv(r.carpeta / "anexo1_destino.csv")
    assert a1.loc[a1["tipo_fila"] == "total", "aprobado"].iloc[0] == pytest.approx(426_771_165.00, abs=0.005)
    assert r.anexos.hallazgos["regla"].eq("A1-SRFT").any()  # and it is checked against the SRFT
