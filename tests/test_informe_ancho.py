"""The report at real magnitudes, in a real browser: every table fits 1280 px, a phone page stays short.

Two pages are measured in headless Chromium (the DevTools helper of
``test_presentacion_navegador``): the shipped Aguascalientes 2024 IMSS-BIENESTAR report, and the
same workbook with amounts scaled up to $99,999,999,999.99 (what a large state's FASSA reaches
in pesos and cents) and indicator names of 200 characters. At 1280 px no table may scroll
sideways or clip a cell; at 390 px (a phone) the page of a state must stay under 20,000 px,
with the executive summary near the top.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.entradas import lectura

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
LIBRO = Path("captura") / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
MAXIMO = 99_999_999_999.99
MONTOS = {"destino": ("aprobado", "modificado", "devengado", "pagado", "disponible"), "concurrencia": ("monto",)}


def escribir_libro_grande(ruta: Path) -> None:
    """Scale the amounts of each sheet so its largest is $99,999,999,999.99; names of 200 characters.

    Amounts are written as numbers rounded to cents; the subtotals the workbook reports are
    scaled too, so the audit sees the same kind of differences.
    """
    wb = load_workbook(ruta)
    for hoja, columnas in MONTOS.items():
        ws = wb[hoja]
        encabezado = [c.value for c in ws[1]]
        celdas = []
        for fila in ws.iter_rows(min_row=2):
            for nombre in columnas:
                celda = fila[encabezado.index(nombre)]
                valor = lectura.parse_numero(celda.value) if celda.value not in (None, "") else None
                if valor is not None:
                    celdas.append((celda, valor))
        factor = MAXIMO / max(abs(v) for _, v in celdas)
        for celda, valor in celdas:
            celda.value = MAXIMO if abs(valor) * factor > MAXIMO - 0.01 else round(valor * factor, 2)
    ws = wb["indicadores"]
    col = [c.value for c in ws[1]].index("indicador")
    for i, fila in enumerate(ws.iter_rows(min_row=2), start=1):
        if fila[col].value:
            base = f"{i}. {fila[col].value} "
            fila[col].value = (base * (200 // len(base) + 1))[:200]
    wb.save(ruta)


# ------------------------------------------------------------------------------------------
# The two reports, measured in Chromium
# ------------------------------------------------------------------------------------------

pytestmark = pytest.mark.lenta  # runs papermill, nbconvert and a browser

ANCHOS = (1280, 390)
MEDIR = r"""
(function () {
  var de = document.documentElement;
  var visible = function (e) { return e.checkVisibility ? e.checkVisibility() : e.getClientRects().length > 0; };
  var r = {pagina: {scroll: de.scrollWidth, client: de.clientWidth, alto: de.scrollHeight}, tablas: [],
           tarjetas: null, primera_tabla: null, desplegables: []};
  document.querySelectorAll('.tabla-contenedor').forEach(function (c) {
    var t = c.querySelector('table');
    var cap = t.querySelector('caption');
    var recortadas = [];
    t.querySelectorAll('td, th').forEach(function (td) {
      if (visible(td) && td.scrollWidth > td.clientWidth + 1) recortadas.push(td.textContent.slice(0, 60));
    });
    var caja = c.getBoundingClientRect();
    r.tablas.push({clase: t.className, titulo: cap ? cap.textContent.slice(0, 80) : '', visible: visible(t),
                   scroll: c.scrollWidth, client: c.clientWidth, tabla: Math.ceil(t.getBoundingClientRect().width),
                   derecha: caja.right, recortadas: recortadas});
    if (r.primera_tabla === null && visible(t) && !t.classList.contains('bandas'))
      r.primera_tabla = caja.top + window.scrollY;
  });
  var tj = document.querySelector('.tarjetas');
  if (tj) r.tarjetas = tj.getBoundingClientRect().top + window.scrollY;
  document.querySelectorAll('details.desplegable').forEach(function (d) {
    r.desplegables.push({open: d.open, resumen: d.querySelector('summary').textContent,
                         resumen_visible: visible(d.querySelector('summary')),
                         contenido_visible: Array.prototype.some.call(d.querySelectorAll('table, ol'), visible)});
  });
  return r;
})()
"""
ABRIR = "(function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); return 1; })()"


def _generar(raw: Path, destino: Path, out: Path):
    from asm_analysis.ejecucion import reporte

    shutil.copytree(raw, destino / "raw")
    return reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=destino, out=out)


@pytest.fixture(scope="module")
def informes(tmp_path_factory) -> dict:
    """The shipped example and the same workbook at twelve-digit amounts and 200-character names."""
    base = tmp_path_factory.mktemp("ancho")
    ags = _generar(RAW, base / "ags", base / "reports-ags")
    grande_raw = base / "raw-grande"
    shutil.copytree(RAW, grande_raw)
    escribir_libro_grande(grande_raw / LIBRO)
    grande = _generar(grande_raw, base / "grande", base / "reports-grande")
    return {"ags": ags, "grande": grande}


@pytest.fixture(scope="module")
def medidas(informes, tmp_path_factory) -> dict:
    from test_informe_html import _exigir_chromium
    from test_presentacion_navegador import CARGAR_IMAGENES, Navegador

    carpeta = tmp_path_factory.mktemp("capturas")
    salida = {}
    with Navegador(_exigir_chromium(), carpeta / "perfil") as nav:
        for nombre, r in informes.items():
            for ancho in ANCHOS:
                nav.abrir(r.carpeta / "informe.html", ancho, movil=ancho < 500)
                nav.evaluar(CARGAR_IMAGENES)
                cerradas = nav.evaluar(MEDIR)
                nav.captura(carpeta / f"{nombre}-{ancho}.png")
                nav.evaluar(ABRIR)
                salida[nombre, ancho] = {"cerradas": cerradas, "abiertas": nav.evaluar(MEDIR)}
    print(f"capturas en {carpeta}")
    return salida


@pytest.mark.parametrize("nombre", ["ags", "grande"])
@pytest.mark.parametrize("ancho", ANCHOS)
def test_every_table_fits_its_box(medidas, nombre, ancho):
    for estado in ("cerradas", "abiertas"):
        m = medidas[nombre, ancho][estado]
        assert m["pagina"]["scroll"] <= m["pagina"]["client"] == ancho, (estado, m["pagina"])
        assert len(m["tablas"]) > 20
        for t in m["tablas"]:
            assert t["scroll"] <= t["client"], (nombre, ancho, estado, t)     # no hidden horizontal scroll
            assert t["tabla"] <= t["client"] + 1, (nombre, ancho, estado, t)
            assert t["derecha"] <= ancho, (nombre, ancho, estado, t)
            assert t["recortadas"] == [], (nombre, ancho, estado, t)
        if ancho == 1280:  # a desktop shows every part open, without the one-line summary
            assert all(t["visible"] for t in m["tablas"]), [t["titulo"] for t in m["tablas"] if not t["visible"]]


@pytest.mark.parametrize("nombre", ["ags", "grande"])
def test_a_phone_page_is_short_and_starts_with_the_summary(medidas, nombre):
    m = medidas[nombre, 390]["cerradas"]
    assert m["pagina"]["alto"] < 20_000, m["pagina"]
    assert m["tarjetas"] < 1_500                                # the headline figures on the first screens
    assert m["primera_tabla"] is None or m["tarjetas"] < m["primera_tabla"]
    plegadas = m["desplegables"]
    assert len(plegadas) >= 12
    for d in plegadas:                                           # closed: one line to tap, nothing else
        assert not d["open"] and d["resumen_visible"] and not d["contenido_visible"], d
    abiertas = medidas[nombre, 390]["abiertas"]["desplegables"]
    assert all(d["open"] and d["contenido_visible"] for d in abiertas)
    assert medidas[nombre, 390]["abiertas"]["pagina"]["alto"] > 3 * m["pagina"]["alto"]   # all of it is there
    escritorio = medidas[nombre, 1280]["cerradas"]["desplegables"]
    assert all(not d["resumen_visible"] and d["contenido_visible"] for d in escritorio)


def test_large_amounts_in_millions_small_ones_in_pesos(informes):
    import pandas as pd

    from asm_analysis.comun import formatos

    for nombre, r in informes.items():
        html = (r.carpeta / "informe.html").read_text(encoding="utf-8")
        tabla = html[html.index('<table class="tabla anexo1">'):]
        tabla = tabla[:tabla.index("</table>")]
        total = pd.read_csv(r.carpeta / "anexo1_destino.csv").query("tipo_fila == 'total'").iloc[0]
        if nombre == "grande":
            assert total["aprobado"] >= 1e9
            assert "Aprobado (millones de pesos)" in tabla and "(millones de pesos;" in tabla
            assert f'data-label="Aprobado (millones de pesos)">{formatos.millones(total["aprobado"])}</td>' in tabla
            assert "$" not in tabla.split("<tbody>")[1].replace("$0.00 en todos los momentos", "")
        else:
            assert total["aprobado"] < 1e9 and "millones" not in tabla
            assert f'>{formatos.pesos(total["aprobado"], pegado=True)}</td>' in tabla
