"""Recalculated and reported figures told apart: the printed annexes of each ``--cifras`` mode and
their numbered marks (publicacion.marcas), on the shipped Aguascalientes workbook and on a workbook
with planted differences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis.auditoria import Tolerancias
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion import huella as huella_mod
from asm_analysis.ejecucion.reporte import generar
from asm_analysis.entradas import ingesta
from asm_analysis.entradas.captura import escribir_plantilla
from asm_analysis.publicacion import calculo, marcas, oficiales, presentacion
from hoja_captura import agregar_filas, columnas_de


def _fila(t: pd.DataFrame, tipo: str, capitulo: str) -> int:
    return t.index[(t["tipo_fila"] == tipo) & (t["capitulo"].astype(str) == capitulo)][0]


def _marca(c: calculo.Calculo, anexo: str, fila: object, columna: str) -> pd.Series:
    m = c.marcas[(c.marcas["anexo"] == anexo) & (c.marcas["fila"] == fila) & (c.marcas["columna"] == columna)]
    assert len(m) == 1, (anexo, fila, columna, c.marcas[["anexo", "fila", "columna"]].to_dict("records"))
    return m.iloc[0]


# --------------------------------------------------------------------------- shipped example


@pytest.fixture(scope="module")
def ags(datos_compartidos):
    return {modo: calculo.calcular(datos_compartidos, "01", 2024, "IMSS-BIENESTAR", actualizar=False, cifras=modo)
            for modo in marcas.MODOS_CIFRAS}


def test_ags_capitulo_1000_modificado_en_cada_modo(ags):
    esperado = {"recalculadas": 196_069_868.52, "reportadas": 200_582_447.02}
    for modo, c in ags.items():
        assert c.cifras == modo
        t = c.impresos.anexo1
        fila = _fila(t, "subtotal", "1000")
        assert t.at[fila, "modificado"] == pytest.approx(esperado[modo], abs=0.005)
        # the recalculated table the CSVs are written from never changes
        assert c.anexos.anexo1.at[fila, "modificado"] == pytest.approx(196_069_868.52, abs=0.005)
        m = _marca(c, "anexo1", fila, "modificado")
        assert (m["reportado"], m["recalculado"]) == ("$200,582,447.02", "$196,069,868.52")
        assert m["regla"] == "A1-SUBTOTAL"
        assert m["ubicacion"] == "subtotal capítulo 1000, Modificado"


def _concepto(t: pd.DataFrame, concepto: str) -> int:
    return t.index[(t["tipo_fila"] == "detalle") & (t["concepto"].astype(str) == concepto)][0]


def test_ags_la_nota_dice_que_cifra_muestra_la_celda(ags):
    """A reported concept *disponible* stays in the cell under recalculated figures (DESIGN: disponible
    is modificado − devengado unless reported): its line says so; a figure disputed with nothing to put
    in its place is given once, never as «reportado X; recalculado X»."""
    c = ags["recalculadas"]
    fila = _concepto(c.impresos.anexo1, "1400")
    assert c.impresos.anexo1.at[fila, "disponible"] == 0.0
    disponible = _marca(c, "anexo1", fila, "disponible")
    assert (disponible["muestra_recalculadas"], disponible["muestra_reportadas"]) == ("reportado", "reportado")
    devengado = _marca(c, "anexo1", fila, "devengado")
    assert devengado["muestra_recalculadas"] == devengado["muestra_reportadas"] == "igual"
    subtotal = _marca(c, "anexo1", _fila(c.impresos.anexo1, "subtotal", "1000"), "modificado")
    assert (subtotal["muestra_recalculadas"], subtotal["muestra_reportadas"]) == ("recalculado", "reportado")
    lineas = dict(zip(c.marcas["numero"][c.marcas["anexo"] == "anexo1"],
                      oficiales.nota_marcas(marcas.de_tabla(c.marcas, "anexo1"), "recalculadas")))
    assert lineas[disponible["numero"]] == (
        f"{disponible['numero']}. concepto 1400 Seguridad social, Disponible: reportado $0.00, el que muestra la "
        "celda; recalculado -$126,151,289.91 (el disponible reportado no es modificado − devengado).")
    assert lineas[devengado["numero"]] == (
        f"{devengado['numero']}. concepto 1400 Seguridad social, Devengado: reportado $133,102,471.65, sin cifra "
        "recalculada que la sustituya (devengado mayor que modificado).")
    assert lineas[subtotal["numero"]].endswith(
        ": reportado $200,582,447.02; recalculado $196,069,868.52 (el subtotal reportado no es la suma de sus "
        "conceptos).")
    reportadas = oficiales.nota_marcas(marcas.de_tabla(c.marcas, "anexo1"), "reportadas")
    assert all("el que muestra la celda" not in linea for linea in reportadas)  # every cell shows the reported one


@pytest.mark.parametrize("modo", marcas.MODOS_CIFRAS)
def test_ags_ninguna_marca_miente_sobre_su_celda(ags, modo):
    """For every mark of the shipped report, the figure its line says the cell shows (the mode's, unless
    the line names the other) is the figure printed in that cell."""
    c = ags[modo]
    por_defecto = marcas.MUESTRA_DEL_MODO[modo]
    assert len(c.marcas) > 40
    for _, m in c.marcas.iterrows():
        impreso = marcas._cifra(m["anexo"], m["columna"], getattr(c.impresos, m["anexo"]).at[m["fila"], m["columna"]])
        linea = "".join(t for t, _ in marcas.partes_marca(m, modo))
        if m["reportado"] == m["recalculado"]:
            assert impreso == m["reportado"] and "sin cifra recalculada" in linea, (m.to_dict(), impreso)
            continue
        dice = "reportado" if ", el que muestra la celda;" in linea else (
            "recalculado" if linea.endswith(", el que muestra la celda") else por_defecto)
        if m["anexo"] == "anexo3":  # the row's own text (an ASM's motive) under the reported status
            assert dice == "reportado" and str(m["reportado"]).endswith(f"«{impreso}»"), (m.to_dict(), impreso)
        elif str(m["recalculado"]).startswith("— ("):  # a variation not computed: the cell prints «—»
            assert (dice, impreso) == ("recalculado", "—"), m.to_dict()
        else:
            assert impreso == m[dice], (modo, m.to_dict(), impreso)


def test_ags_cada_marca_de_la_pagina_tiene_su_numero_en_la_tabla(ags):
    """The page's Anexo 4 keeps the variation column its marks fall on (every prior year is called a copy,
    so every variation is empty): each mark listed under a table has its number in that table."""
    c = ags["recalculadas"]
    for anexo, funcion in (("anexo1", presentacion.tabla_anexo1), ("anexo2", presentacion.tabla_anexo2),
                           ("anexo4", presentacion.tabla_anexo4)):
        html = str(funcion(c.impresos, marcas=c.marcas, cifras=c.cifras))
        tablas = html.split('<div class="nota-marcas"')[0]
        numeros = set(marcas.de_tabla(c.marcas, anexo)["numero"].astype(int))
        en_tabla = {int(n) for n in re.findall(r'<sup class="marca">(\d+)</sup>', tablas)}
        assert numeros and numeros <= en_tabla, (anexo, sorted(numeros - en_tabla))
    variacion = marcas.de_tabla(c.marcas, "anexo4").query("columna == 'variacion_cumplimiento'")
    assert len(variacion) == 7


def test_ags_libro_celda_vacia_marcada_muestra_su_numero(ags, tmp_path):
    """A marked cell with nothing to print (a variation not computed) shows «— [n]» in the workbook."""
    from asm_analysis.publicacion import salidas

    c = ags["recalculadas"]
    ruta = salidas.escribir_excel(c, tmp_path / "anexos.xlsx")
    ws = load_workbook(ruta)["Análisis"]
    vacias = sorted(int(v[3:-1]) for fila in ws.iter_rows(values_only=True) for v in fila
                    if isinstance(v, str) and re.fullmatch(r"— \[\d+\]", v))
    esperadas = marcas.de_tabla(c.marcas, "anexo4").query("columna == 'variacion_cumplimiento'")["numero"]
    assert vacias == sorted(int(n) for n in esperadas)


def _notas_sin_celda(ruta) -> list[tuple[str, int, str]]:
    """(sheet, row, line) of every line of a marks note whose number no cell of the table above carries
    (a line may say its cell is one the table does not show)."""
    malas = []
    for ws in load_workbook(ruta).worksheets:
        marcadas, en_nota = set(), False
        for fila in ws.iter_rows():
            for c in fila:
                formato, valor = str(c.number_format), c.value
                texto = formato if '" [' in formato else (valor if isinstance(valor, str) and not re.match(
                    r"^\d+\. ", valor) else "")
                marcadas |= {int(n) for grupo in re.findall(r"\[(\d+(?:,\d+)*)\]", texto) for n in grupo.split(",")}
            primera = fila[0].value
            if isinstance(primera, str) and primera.startswith("Marcas:"):
                en_nota = True
            elif en_nota and isinstance(primera, str) and re.match(r"^\d+\. ", primera):
                if int(primera.split(".")[0]) not in marcadas and "celda que esta tabla no muestra" not in primera:
                    malas.append((ws.title, fila[0].row, primera[:80]))
            elif en_nota:
                en_nota, marcadas = False, set()
    return malas


@pytest.mark.parametrize("modo", marcas.MODOS_CIFRAS)
def test_ags_libro_cada_nota_lista_marcas_de_su_tabla(ags, modo, tmp_path):
    """The «Análisis» sheet's Anexo 1 block shows the shares, not the amounts: its note listed all 21
    marks of the amounts with none on its cells. Every note lists only marks its table carries."""
    from asm_analysis.publicacion import salidas

    ruta = salidas.escribir_excel(ags[modo], tmp_path / "anexos.xlsx")
    assert _notas_sin_celda(ruta) == []


def test_ags_mismas_marcas_en_ambos_modos(ags):
    a, b = (ags[m].marcas for m in marcas.MODOS_CIFRAS)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == marcas.COLUMNAS_MARCAS
    for anexo, g in a.groupby("anexo"):  # numbered 1, 2, … per annex, in print order
        assert list(g["numero"]) == list(range(1, len(g) + 1)), anexo
        posiciones = [list(getattr(ags["recalculadas"].anexos, anexo).index).index(f) for f in g["fila"]]
        assert posiciones == sorted(posiciones)


def test_ags_cada_cifra_reportada_distinta_lleva_marca(ags):
    """Every cell whose two versions differ beyond the tolerance is marked (independent comparison)."""
    c = ags["reportadas"]
    tol = Tolerancias()
    marcadas = set(zip(c.marcas["anexo"], c.marcas["fila"], c.marcas["columna"]))
    diferentes = set()
    for anexo, cols, t in (("anexo1", ["aprobado", "modificado", "devengado", "pagado", "disponible"], tol.monto),
                           ("anexo2", ["monto"], tol.monto), ("anexo2", ["porcentaje"], tol.porcentaje),
                           ("anexo4", ["cumplimiento", "cumplimiento_anterior"], tol.cumplimiento)):
        rep, calc = getattr(c.impresos, anexo), getattr(c.anexos, anexo)
        for col in cols:
            d = (pd.to_numeric(rep[col]) - pd.to_numeric(calc[col])).abs()
            diferentes |= {(anexo, f, col) for f in d.index[d > t + 1e-7]}
    assert diferentes and diferentes <= marcadas
    # the grand total devengado the workbook reports (426,771,165.00) against the sum of concepts
    fila = _fila(c.impresos.anexo1, "total", "TOTAL")
    assert ("anexo1", fila, "devengado") in diferentes


def test_ags_cumplimientos_reportados_y_variacion_de_copias(ags):
    rec, rep = ags["recalculadas"], ags["reportadas"]
    materna = rec.anexos.anexo4.index[rec.anexos.anexo4["indicador"].str.contains("Mortalidad Materna")][0]
    assert rec.impresos.anexo4.at[materna, "cumplimiento"] == pytest.approx(95.70)
    assert rep.impresos.anexo4.at[materna, "cumplimiento"] == pytest.approx(100.0)
    m = _marca(rep, "anexo4", materna, "cumplimiento")
    assert (m["reportado"], m["recalculado"]) == ("100.00 %", "95.70 %")
    # the audit calls every prior-year pair a copy: no variation printed, and the cell is marked
    for c in (rec, rep):
        assert c.impresos.anexo4["variacion_cumplimiento"].isna().all()
        assert c.anexos.anexo4["variacion_cumplimiento"].notna().all()  # the CSV keeps the figure
        v = _marca(c, "anexo4", materna, "variacion_cumplimiento")
        assert "A4-ANTERIOR-COPIA" in v["regla"] and v["recalculado"].startswith("—")


def test_ags_asm_pendiente_que_dice_atendido(ags):
    c = ags["recalculadas"]
    m = c.marcas[c.marcas["anexo"] == "anexo3"]
    assert len(m) == 3 and set(m["regla"]) == {"ASM-NO-ATENDIDO"}
    assert all("100% ATENDIDO" in r for r in m["reportado"])
    disputas = marcas.disputas_resumen(c.anexos)
    assert disputas["asm"].startswith("3 ASM cuentan como pendiente")
    assert disputas["pct_ejercido"].startswith("devengado mayor que modificado en 3 conceptos")


def test_ags_pagina_muestra_marcas_y_nota(ags):
    c = ags["reportadas"]
    html = str(presentacion.tabla_anexo1(c.impresos, marcas=c.marcas, cifras=c.cifras))
    n = _marca(c, "anexo1", _fila(c.impresos.anexo1, "subtotal", "1000"), "modificado")["numero"]
    assert "$200,582,447.02" in html
    assert f'<sup class="marca">{n}</sup>' in html
    assert "$196,069,868.52" in html  # listed in the note under the table
    assert "reportadas" in html
    resumen = str(presentacion.resumen_ejecutivo(c.anexos, disputas=c.disputas))
    assert "135.30 %" in resumen and "devengado mayor que modificado en 3 conceptos" in resumen
    assert "3 ASM cuentan como pendiente" in resumen


# --------------------------------------------------------------------------- planted differences


DESTINO = {"1100": (1000, 1000, 800, 800, 200), "1200": (500, 500, 400, 400, 100),
           "2500": (200, 200, 300, 300, None)}  # 2500: devengado above modificado (planted)
SUMAS = [  # reported chapter 1000 subtotal (modificado planted: 1,600 for 1,500) and grand total (devengado planted)
    {"capitulo": "1000", "descripcion": "Subtotal capítulo 1000", "aprobado": 1500, "modificado": 1600,
     "devengado": 1200, "pagado": 1200, "disponible": 300},
    {"capitulo": "TOTAL", "descripcion": "Gran total", "aprobado": 1700, "modificado": 1700, "devengado": 1400,
     "pagado": 1500},
]
CONCURRENCIA = [
    {"orden_gobierno": "Federal", "fuente": "FASSA", "monto": 600, "porcentaje": 60},
    {"orden_gobierno": "Estatal", "fuente": "Aportación estatal", "monto": 400, "porcentaje": 45},  # planted: 40
    {"orden_gobierno": "Federal", "monto": 600, "porcentaje": 60, "comentarios": "Subtotal Federal (a)"},
    {"orden_gobierno": "TOTAL", "monto": 1000, "porcentaje": 100},
]
INDICADORES = [
    {"mir": "Estatal", "nivel": "Propósito", "indicador": "Consultas otorgadas", "frecuencia": "Anual",
     "unidad_medida": "Porcentaje", "sentido": "Ascendente", "meta": 50, "avance": 50, "avance_meta_reportado": 100,
     "justificacion": "Meta cumplida"},
    {"mir": "Federal", "nivel": "Fin", "indicador": "Cobertura de vacunación", "frecuencia": "Anual",
     "unidad_medida": "Porcentaje", "sentido": "Ascendente", "meta": 100, "avance": 90,
     "avance_meta_reportado": 95, "justificacion": "Abasto irregular"},  # planted: 90
]
FICHA = {"ejecutora": "Servicios de Salud del Estado de Querétaro", "instancia_evaluadora": "Evaluadora de prueba",
         "fecha_corte": "31/12/2024", "fuente": "Información de la ejecutora"}


@pytest.fixture(scope="module")
def sembrado(tmp_path_factory) -> Path:
    carpeta = tmp_path_factory.mktemp("sembrado")
    ruta = escribir_plantilla("Querétaro", 2024, "FASSA", carpeta / "raw" / "captura" / "queretaro_2024_FASSA.xlsx")
    wb = load_workbook(ruta)
    ws = wb["ficha"]
    filas = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for campo, valor in FICHA.items():
        ws.cell(row=filas[campo], column=2).value = valor
    ws = wb["destino"]
    pos = columnas_de(ws)
    for r in range(2, ws.max_row + 1):
        concepto = str(ws.cell(row=r, column=pos["concepto"]).value)
        for nombre, valor in zip(("aprobado", "modificado", "devengado", "pagado", "disponible"),
                                 DESTINO.get(concepto, ())):
            ws.cell(row=r, column=pos[nombre], value=valor)
    agregar_filas(ws, SUMAS)
    agregar_filas(wb["concurrencia"], CONCURRENCIA)
    agregar_filas(wb["indicadores"], INDICADORES)
    wb.save(ruta)
    ingesta.ingerir(carpeta)
    return carpeta


@pytest.fixture(scope="module")
def planta(sembrado):
    return {modo: calculo.calcular(sembrado, "22", 2024, "FASSA", actualizar=False, cifras=modo)
            for modo in marcas.MODOS_CIFRAS}


def _celdas_sembradas(c: calculo.Calculo) -> dict[tuple[str, object, str], tuple[float, float]]:
    """Planted cell → (recalculated figure, reported figure)."""
    a1, a2, a4 = c.anexos.anexo1, c.anexos.anexo2, c.anexos.anexo4
    return {
        ("anexo1", _fila(a1, "subtotal", "1000"), "modificado"): (1500, 1600),
        ("anexo1", _fila(a1, "total", "TOTAL"), "devengado"): (1500, 1400),
        ("anexo1", a1.index[a1["concepto"] == "2500"][0], "devengado"): (300, 300),
        ("anexo2", a2.index[a2["fuente"] == "Aportación estatal"][0], "porcentaje"): (40, 45),
        ("anexo4", a4.index[a4["indicador"] == "Cobertura de vacunación"][0], "cumplimiento"): (90, 95),
    }


@pytest.mark.parametrize("modo", marcas.MODOS_CIFRAS)
def test_cada_celda_sembrada_se_imprime_se_marca_y_se_lista(planta, modo):
    c = planta[modo]
    sembradas = _celdas_sembradas(c)
    assert set(zip(c.marcas["anexo"], c.marcas["fila"], c.marcas["columna"])) == set(sembradas)
    for (anexo, fila, columna), (recalculado, reportado) in sembradas.items():
        impreso = getattr(c.impresos, anexo).at[fila, columna]
        assert impreso == pytest.approx(reportado if modo == "reportadas" else recalculado), (anexo, columna)
        m = _marca(c, anexo, fila, columna)
        assert m["severidad"] == "error" and m["motivo"]
    m = _marca(c, "anexo1", _fila(c.anexos.anexo1, "subtotal", "1000"), "modificado")
    assert (m["reportado"], m["recalculado"], m["regla"]) == ("$1,600.00", "$1,500.00", "A1-SUBTOTAL")
    a2 = c.anexos.anexo2
    m = _marca(c, "anexo2", a2.index[a2["fuente"] == "Aportación estatal"][0], "porcentaje")
    assert (m["reportado"], m["recalculado"], m["regla"]) == ("45.00 %", "40.00 %", "A2-PORCENTAJE")
    m = _marca(c, "anexo1", c.anexos.anexo1.index[c.anexos.anexo1["concepto"] == "2500"][0], "devengado")
    assert (m["regla"], m["motivo"]) == ("A1-MOMENTOS", "devengado mayor que modificado")
    # the Federal row comes first in Anexo 4 although typed second: marks follow the printed order
    assert _marca(c, "anexo4", 0, "cumplimiento")["ubicacion"].startswith("indicador «Cobertura de vacunación»")
    html = str(presentacion.tabla_anexo2(c.impresos, marcas=c.marcas, cifras=modo))
    assert '<sup class="marca">1</sup>' in html and "45.00 %" in html and "40.00 %" in html


def test_sin_diferencias_no_hay_marcas(planta):
    assert list(planta["recalculadas"].marcas["anexo"]).count("anexo5") == 0
    vacia = marcas.vacias()
    assert vacia.empty and list(vacia.columns) == marcas.COLUMNAS_MARCAS


def test_modo_invalido_es_un_error_del_usuario(sembrado):
    with pytest.raises(ErrorEntrada) as exc:
        calculo.calcular(sembrado, "22", 2024, "FASSA", actualizar=False, cifras="publicadas")
    assert "recalculadas" in exc.value.motivo and "reportadas" in exc.value.motivo


def test_la_huella_cambia_con_el_modo(planta):
    c = planta["recalculadas"]
    h = {m: huella_mod.huella(c.datos, c.tolerancias, m) for m in marcas.MODOS_CIFRAS}
    assert h["recalculadas"] != h["reportadas"]
    assert huella_mod.huella(c.datos, c.tolerancias) == h["recalculadas"]


def test_manifest_registra_el_modo_y_sin_html_no_borra_la_pagina(sembrado, tmp_path):
    out = tmp_path / "reports"
    r = generar("Querétaro", 2024, "FASSA", data_dir=sembrado, out=out, html=False, actualizar=False,
                cifras="reportadas")
    manifiesto = json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))
    assert manifiesto["cifras"] == "reportadas" and manifiesto["parametros"]["cifras"] == "reportadas"
    assert manifiesto["marcas"] == 5
    assert manifiesto["huella"] == huella_mod.huella(r.datos, Tolerancias.en_vigor(sembrado), "reportadas")
    # a published page (stand-in) of these same figures is kept by --sin-html …
    (r.carpeta / "informe.html").write_text("<p>publicado</p>", encoding="utf-8")
    r = generar("Querétaro", 2024, "FASSA", data_dir=sembrado, out=out, html=False, actualizar=False,
                cifras="reportadas")
    assert (r.carpeta / "informe.html").read_text(encoding="utf-8") == "<p>publicado</p>"
    assert "informe.html" in {s["archivo"] for s in r.manifiesto["salidas"]}
    # … and a run in the other mode is refused instead of deleting it or leaving it stale
    with pytest.raises(ErrorEntrada) as exc:
        generar("Querétaro", 2024, "FASSA", data_dir=sembrado, out=out, html=False, actualizar=False)
    assert "informe.html" in str(exc.value)
    assert (r.carpeta / "informe.html").read_text(encoding="utf-8") == "<p>publicado</p>"
    assert json.loads((r.carpeta / "manifest.json").read_text(encoding="utf-8"))["cifras"] == "reportadas"


# --------------------------------------------------------------------------- the SRFT's part, named


RAIZ = Path(__file__).resolve().parents[1]
SRFT_DEMO_2024 = RAIZ / "data" / "demo" / "raw" / "srft" / "ejercicio_del_gasto_2024_demo.csv"
LIBRO_AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"


@pytest.fixture(scope="module")
def con_srft(tmp_path_factory) -> Path:
    """Zacatecas 2024 FASSA: a capture workbook plus a real-looking SRFT file whose quarter 5 reports
    only partidas 113 and 253 (the other 18 keep their quarter 4)."""
    import csv

    carpeta = tmp_path_factory.mktemp("con_srft")
    with open(SRFT_DEMO_2024, encoding="latin-1", newline="") as f:
        lector = csv.DictReader(f)
        campos = lector.fieldnames
        filas = [r for r in lector if r["ID_ENTIDAD_FEDERATIVA"] == "32" and r["ID_MUNICIPIO"] == "0"
                 and r["MODALIDAD_PP"] == "I002" and r["TRIMESTRE"] == "4"]
    for r in filas:
        r["OBSERVACIONES_CAPTURISTA"] = ""
    quinto = [dict(r, TRIMESTRE="5") for r in filas if r["ID_PARTIDA_GENERICA"] in ("113", "253")]
    ruta = carpeta / "raw" / "srft" / "ejercicio_del_gasto_2024.csv"
    ruta.parent.mkdir(parents=True)
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        escritor = csv.DictWriter(f, fieldnames=campos)
        escritor.writeheader()
        escritor.writerows(filas + quinto)
    wb = load_workbook(LIBRO_AGS)
    for fila in wb["ficha"].iter_rows(min_row=2):
        if fila[0].value in ("estado", "fondo"):
            fila[1].value = {"estado": "Zacatecas", "fondo": "FASSA"}[fila[0].value]
    (carpeta / "raw" / "captura").mkdir()
    wb.save(carpeta / "raw" / "captura" / "zacatecas_2024_FASSA.xlsx")
    ingesta.ingerir(carpeta)
    return carpeta


def test_el_srft_se_nombra_con_su_archivo_sus_partidas_y_el_trimestre_de_cada_una(con_srft):
    c = calculo.calcular(con_srft, "32", 2024, "FASSA", actualizar=False)
    assert c.datos.fuentes["destino"] == "captura"  # the SRFT only checks the workbook's Anexo 1
    h = c.anexos.hallazgos
    srft = h[(h["regla"] == "A1-SRFT") & h["ubicacion"].str.startswith("capítulo 1000")]
    assert len(srft)
    # chapter 1000 of the SRFT: partidas 113 (quarter 5) and 122…159 (quarter 4)
    assert "partida 113, trimestre 5; partidas 122, 131, 132, 134, 141, 143, 154 y 159, trimestre 4" in \
        srft["mensaje"].iloc[0]
    encabezado = str(presentacion.encabezado(c.datos, cifras=c.cifras))
    assert "«ejercicio_del_gasto_2024.csv»" in encabezado and "«zacatecas_2024_FASSA.xlsx»" in encabezado
    assert "trimestre de cada partida: 5 (2 partidas), 4 (18 partidas)" in encabezado
    assert "recalculadas por la herramienta" in encabezado
    procedencia = str(presentacion.procedencia(c.datos, presentacion.parametros_informe(c.datos, c.cifras)))
    assert "Auditoría: Anexo 1 contra el SRFT" in procedencia and "ejercicio_del_gasto_2024.csv" in procedencia
    pagina = str(presentacion.hallazgos(c.anexos))
    grupo = pagina[pagina.index('data-regla="A1-SRFT"'):]
    grupo = grupo[:grupo.index("</section>")]
    assert "Reportado (SRFT)" in grupo and "Anexo 1 (libro de captura)" in grupo and ">Calculado<" not in grupo
    # the chapter cells the SRFT disputes carry a mark
    fila = _fila(c.anexos.anexo1, "subtotal", "1000")
    assert "A1-SRFT" in _marca(c, "anexo1", fila, "modificado")["regla"]


def test_la_introduccion_del_anexo6_dice_de_donde_viene(ags):
    c = ags["recalculadas"]
    texto = str(presentacion.procedencia_anexo6(c.datos, c.anexos))
    assert "«aguascalientes_2024_IMSS-BIENESTAR.xlsx»" in texto and "ficha" in texto


def test_cli_cifras_invalida_sale_con_codigo_2(sembrado, tmp_path, capsys):
    from asm_analysis.ejecucion.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["report", "--estado", "Querétaro", "--ciclo", "2024", "--fondo", "FASSA", "--data-dir", str(sembrado),
              "--out", str(tmp_path / "out"), "--cifras", "publicadas", "--sin-html"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "publicadas" in err and "recalculadas" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_ags_la_proporcion_de_un_importe_en_disputa_lleva_su_marca(ags):
    """Concept 1400: devengado 133,102,471.65 over a modificado of 6,951,181.74 is 1,914.82 %; the share
    is never shown without the mark of the devengado it divides."""
    c = ags["recalculadas"]
    fila = c.anexos.anexo1.index[c.anexos.anexo1["concepto"] == "1400"][0]
    n = _marca(c, "anexo1", fila, "devengado")["numero"]
    html = str(presentacion.tabla_anexo1(c.impresos, marcas=c.marcas, cifras=c.cifras))
    renglon = html[html.index(">1400<"):]
    renglon = renglon[:renglon.index("</tr>")]
    assert f'1,914.82 %<sup class="marca">{n}</sup>' in renglon


def test_la_clave_del_lote_cambia_con_el_modo(sembrado):
    """A batch keeps the fingerprints it computed under this key: another mode must not reuse them."""
    firma = Tolerancias.en_vigor(sembrado).firma()
    claves = {m: huella_mod.clave_entradas(sembrado, 2024, "FASSA", firma, m) for m in marcas.MODOS_CIFRAS}
    assert claves["recalculadas"] != claves["reportadas"]


def test_asm_reportado_atendido_con_avance_menor_se_explica_en_el_conteo():
    from asm_analysis.anexos import Anexos

    h = pd.DataFrame([{"severidad": "error", "anexo": "Seguimiento ASM", "ubicacion": "hoja asm, fila 4",
                       "regla": "ASM-ESTATUS", "valor_reportado": 60.0, "valor_calculado": 100.0,
                       "diferencia": -40.0, "mensaje": "…"}])
    vacia = pd.DataFrame()
    a = Anexos(*[vacia] * 11, hallazgos=h)
    assert marcas.disputas_resumen(a) == {
        "asm": "1 acción reportada como atendida con avance menor a 100 % (su ASM no cuenta como atendido)"}


def test_concepto_en_otro_capitulo_se_marca_con_ambos_capitulos(sembrado, tmp_path):
    """Concept 1200 typed in a row of chapter 2000: its (catalog) row is marked «2000» reported, «1000»
    recalculated."""
    import shutil

    carpeta = tmp_path / "d"
    shutil.copytree(sembrado / "raw", carpeta / "raw")
    ruta = carpeta / "raw" / "captura" / "queretaro_2024_FASSA.xlsx"
    wb = load_workbook(ruta)
    ws = wb["destino"]
    pos = columnas_de(ws)
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(row=r, column=pos["concepto"]).value) == "1200":
            ws.cell(row=r, column=pos["capitulo"], value="2000")
    wb.save(ruta)
    ingesta.ingerir(carpeta)
    c = calculo.calcular(carpeta, "22", 2024, "FASSA", actualizar=False)
    fila = c.anexos.anexo1.index[c.anexos.anexo1["concepto"] == "1200"][0]
    m = _marca(c, "anexo1", fila, "capitulo")
    assert (m["reportado"], m["recalculado"], m["regla"]) == ("2000", "1000", "A1-CAPITULO")
