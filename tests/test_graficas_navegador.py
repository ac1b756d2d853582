"""The type of every chart, as a browser shows it: readable on a phone, not oversized on a desktop.

Each chart is one SVG drawn for a phone's column (``graficas.ANCHO_MOVIL``) that the page
scales to the text column, up to ``graficas.ANCHO_MAXIMO_PX``. The size a reader sees of a
text of the SVG is its font size (in the SVG's own units, points of the drawing) times the
width the image is shown at over the width of the SVG's ``viewBox``. Four real pages are
opened in headless Chromium at 390 px (a phone) and 1280 px: the shipped Aguascalientes
2024 IMSS-BIENESTAR report, the same workbook at twelve-digit amounts, a demo state with
the geographic distribution chart (Durango) and the national comparison page (32 states).
At 390 px no chart text may show under 9 px (the body text is 14 px), at 1280 px none over
17 px (the body text is 15 px). Each SVG is then opened by itself: no text may run past
its edges or over another text.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.lenta  # runs papermill, nbconvert and a browser

RAIZ = Path(__file__).resolve().parents[1]
ANCHOS = (390, 1280)
MINIMO_MOVIL, MAXIMO_ESCRITORIO = 9.0, 17.0

#: Per chart image: the width it is shown at and its SVG's font sizes and viewBox width.
IMAGENES = r"""
(function () {
  return Array.prototype.map.call(document.querySelectorAll('figure.grafica img'), function (i) {
    var svg = atob(i.currentSrc.split(',')[1]);
    var letras = (svg.match(/<text[^>]*font-size: *[\d.]+px/g) || []).map(function (t) {
      return parseFloat(t.match(/font-size: *([\d.]+)px/)[1]); });
    return {ancho: i.getBoundingClientRect().width, figura: i.closest('figure').clientWidth,
            caja: parseFloat(svg.match(/viewBox="0 0 ([\d.]+) /)[1]), letras: letras,
            titulo: (i.getAttribute('alt') || '').slice(0, 60)};
  });
})()
"""

#: In an SVG opened by itself: the box of each text (viewBox units), those outside the drawing and
#: the pairs that overlap.
TEXTOS = r"""
(function () {
  var svg = document.querySelector('svg'), vb = svg.viewBox.baseVal, p = svg.createSVGPoint();
  var escala = vb.width / svg.getBoundingClientRect().width, cajas = [], fuera = [], solapes = [];
  svg.querySelectorAll('text').forEach(function (t) {
    var b = t.getBBox(), m = t.getCTM();
    var xs = [], ys = [];
    [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].forEach(function (c) {
      p.x = c[0]; p.y = c[1]; var q = p.matrixTransform(m); xs.push(q.x * escala); ys.push(q.y * escala); });
    cajas.push({texto: t.textContent, x0: Math.min.apply(null, xs), x1: Math.max.apply(null, xs),
                y0: Math.min.apply(null, ys), y1: Math.max.apply(null, ys)});
  });
  cajas.forEach(function (c) {
    if (c.x0 < -0.5 || c.y0 < -0.5 || c.x1 > vb.width + 0.5 || c.y1 > vb.height + 0.5) fuera.push(c);
  });
  for (var i = 0; i < cajas.length; i++) for (var j = i + 1; j < cajas.length; j++) {
    var a = cajas[i], c = cajas[j];
    if (Math.min(a.x1, c.x1) - Math.max(a.x0, c.x0) > 0.5 && Math.min(a.y1, c.y1) - Math.max(a.y0, c.y0) > 0.5)
      solapes.push([a.texto, c.texto]);
  }
  return {textos: cajas.length, fuera: fuera, solapes: solapes};
})()
"""


@pytest.fixture(scope="module")
def paginas(tmp_path_factory) -> dict[str, Path]:
    from test_informe_ancho import LIBRO, escribir_libro_grande

    from asm_analysis.ejecucion import reporte
    from asm_analysis.publicacion import cuaderno

    base = tmp_path_factory.mktemp("graficas")
    datos, grande, demo = base / "datos", base / "grande", base / "demo"
    shutil.copytree(RAIZ / "data" / "raw", datos / "raw")
    shutil.copytree(RAIZ / "data" / "raw", grande / "raw")
    escribir_libro_grande(grande / "raw" / LIBRO)
    shutil.copytree(RAIZ / "data" / "demo" / "raw", demo / "raw")
    out = base / "reports"
    return {
        "ags": reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=datos, out=out).carpeta
        / "informe.html",
        "grande": reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=grande,
                                  out=base / "reports-grande").carpeta / "informe.html",
        "durango": reporte.generar("Durango", 2024, "FASSA", data_dir=demo, out=out).carpeta / "informe.html",
        "comparativo": cuaderno.ejecutar_comparativo(2024, "FASSA", demo, out),
    }


@pytest.fixture(scope="module")
def medidas(paginas, tmp_path_factory) -> dict:
    """Per page and width, the chart images; per distinct SVG, its texts measured by themselves."""
    from test_informe_html import _exigir_chromium
    from test_presentacion_navegador import CARGAR_IMAGENES, Navegador

    carpeta = tmp_path_factory.mktemp("svg")
    imagenes, textos = {}, {}
    with Navegador(_exigir_chromium(), carpeta / "perfil") as nav:
        for nombre, html in paginas.items():
            for ancho in ANCHOS:
                nav.abrir(html, ancho, movil=ancho < 500)
                nav.evaluar(CARGAR_IMAGENES)
                imagenes[nombre, ancho] = nav.evaluar(IMAGENES)
            svgs = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html.read_text(encoding="utf-8"))
            for k, datos in enumerate(svgs):
                ruta = carpeta / f"{nombre}-{k}.svg"
                ruta.write_bytes(base64.b64decode(datos))
                nav.abrir(ruta, 800)
                textos[nombre, k] = nav.evaluar(TEXTOS)
    return {"imagenes": imagenes, "textos": textos}


def _tamanos(imagen: dict) -> tuple[float, float]:
    """Smallest and largest text of a chart as shown, in CSS px."""
    escala = imagen["ancho"] / imagen["caja"]
    return min(imagen["letras"]) * escala, max(imagen["letras"]) * escala


@pytest.mark.parametrize("nombre", ["ags", "grande", "durango", "comparativo"])
def test_chart_type_reads_on_a_phone_and_stays_modest_on_a_desktop(medidas, nombre):
    telefono, escritorio = medidas["imagenes"][nombre, 390], medidas["imagenes"][nombre, 1280]
    assert len(telefono) == len(escritorio) >= (5 if nombre == "durango" else 4)
    for imagen in telefono + escritorio:
        assert imagen["letras"], imagen["titulo"]
        assert 0 < imagen["ancho"] <= imagen["figura"], imagen
    for imagen in telefono:
        menor, _ = _tamanos(imagen)
        assert menor >= MINIMO_MOVIL, (nombre, imagen["titulo"], round(menor, 2))
    for imagen in escritorio:
        _, mayor = _tamanos(imagen)
        assert mayor <= MAXIMO_ESCRITORIO, (nombre, imagen["titulo"], round(mayor, 2))


@pytest.mark.parametrize("nombre", ["ags", "grande", "durango", "comparativo"])
def test_chart_texts_stay_inside_and_apart(medidas, nombre):
    textos = {k: v for (n, k), v in medidas["textos"].items() if n == nombre}
    assert len(textos) == len(medidas["imagenes"][nombre, 390])
    for k, t in textos.items():
        assert t["textos"] > 10, (nombre, k)
        assert t["fuera"] == [], (nombre, k, t["fuera"])      # cut at an edge of the drawing
        assert t["solapes"] == [], (nombre, k, t["solapes"])  # one text over another
