"""The report's styles travel with the notebook: a plain ``jupyter nbconvert --to html`` looks like the page.

The executed notebook a report leaves (``informe.ipynb``) is rendered with nbconvert's own
JupyterLab template, no project template, as an analyst who opens the notebook in JupyterLab
would see it. In headless Chromium (the DevTools helper of ``test_presentacion_navegador``) the
cards, tables, chips and notes of that page must have the same computed styles as on the
published ``informe.html``: the styles come from the ``<style>`` element of the first output,
scoped to ``.asm-informe``, not from the nbconvert template, and JupyterLab's own rules for
tables and lists do not leak in.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.lenta  # runs papermill, nbconvert and a browser

RAIZ = Path(__file__).resolve().parents[1]

#: Element → computed properties that make the report look like itself.
ESTILOS = {
    ".tarjetas": ["display", "grid-template-columns", "gap"],
    ".tarjeta": ["border-top-color", "border-top-width", "padding-top", "padding-left", "border-radius",
                 "background-color"],
    ".tarjeta.destacada": ["border-top-color", "background-color"],
    ".tarjeta-valor": ["font-size", "font-weight", "color", "white-space"],
    ".tarjeta-etiqueta": ["font-size", "text-transform", "color"],
    "dl.ficha": ["display", "background-color", "padding-top"],
    "dl.ficha dt": ["font-size", "text-transform", "float", "font-weight", "margin-left"],
    "dl.ficha dd": ["margin-left", "font-weight", "float"],
    ".portada h1": ["font-size", "font-weight", "color"],
    "nav.indice": ["border-left-width", "border-left-color", "background-color"],
    "table.tabla.anexo1": ["table-layout", "font-size", "border-collapse", "margin-left", "color"],
    "table.tabla.anexo1 caption": ["font-weight", "color", "text-align"],
    "table.tabla.anexo1 th": ["background-color", "color", "text-align", "padding-left", "font-weight"],
    "table.tabla.anexo1 td.num": ["text-align", "white-space", "font-size", "padding-left", "font-variant-numeric"],
    "table.tabla.anexo1 td.texto": ["text-align", "vertical-align", "line-height"],
    "table.tabla.anexo1 tr.fila-subtotal td": ["font-weight", "background-color"],
    "table.tabla.anexo1 tr.fila-total td": ["font-weight", "background-color", "border-top-width"],
    "table.tabla.anexo1 tbody tr:nth-child(odd) td": ["background-color"],
    ".chip.chip-verde": ["border-top-left-radius", "background-color", "color", "font-weight"],
    ".chip.chip-rojo": ["background-color", "color"],
    ".lecturas": ["background-color", "border-top-width"],
    ".lecturas li": ["margin-top"],
    "figure.grafica": ["border-top-width", "padding-top"],
    "section.grupo-regla": ["border-left-width", "border-left-color"],
    "p.corregir": ["background-color"],
    ".nota": ["border-left-width", "background-color"],
    "details.ceros summary": ["font-style"],
    ".lecturas h3": ["margin-top", "font-size", "font-weight"],
    ".grupo h3": ["margin-top", "font-size"],
    ".lecturas ul": ["padding-left", "margin-top", "list-style-type"],
    "nav.indice ol": ["padding-left", "column-count"],
    "nav.indice a": ["color", "text-decoration-line"],
    "ol.leyenda-grafica": ["padding-left", "font-size"],
    "p.subtitulo": ["margin-top", "margin-bottom", "color"],
    ".regla-cabeza code": ["background-color", "font-size"],
}

MEDIR = "(function (estilos) { var r = {}; Object.keys(estilos).forEach(function (sel) {" \
        " var e = document.querySelector(sel); if (!e) { r[sel] = null; return; } var c = getComputedStyle(e);" \
        " r[sel] = {}; estilos[sel].forEach(function (p) { r[sel][p] = c.getPropertyValue(p); }); }); return r; })"


@pytest.fixture(scope="module")
def paginas(tmp_path_factory) -> dict[str, Path]:
    """The published page and the plain nbconvert page of the same executed notebook."""
    from asm_analysis.ejecucion import reporte

    base = tmp_path_factory.mktemp("estilos")
    shutil.copytree(RAIZ / "data" / "raw", base / "datos" / "raw")
    r = reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=base / "datos", out=base / "reports")
    cuaderno = base / "plano" / "informe.ipynb"
    cuaderno.parent.mkdir()
    shutil.copy2(r.carpeta / "informe.ipynb", cuaderno)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(cuaderno)],
                   check=True, capture_output=True, timeout=300)
    return {"publicada": r.carpeta / "informe.html", "plana": cuaderno.with_suffix(".html")}


@pytest.fixture(scope="module")
def estilos(paginas, tmp_path_factory) -> dict[str, dict]:
    import json

    from test_informe_html import _exigir_chromium
    from test_presentacion_navegador import Navegador

    salida = {}
    with Navegador(_exigir_chromium(), tmp_path_factory.mktemp("perfil")) as nav:
        for nombre, ruta in paginas.items():
            nav.abrir(ruta, 1280)
            salida[nombre] = nav.evaluar(f"{MEDIR}({json.dumps(ESTILOS)})")
    return salida


def test_the_plain_export_has_no_project_template(paginas):
    plana = paginas["plana"].read_text(encoding="utf-8")
    publicada = paginas["publicada"].read_text(encoding="utf-8")
    assert 'content="asm-analysis"' in publicada and 'content="asm-analysis"' not in plana
    assert "jp-RenderedHTMLCommon" in plana            # JupyterLab's own stylesheet is on the page
    assert plana.count('<style id="asm-informe-estilos">') == 1 == publicada.count('<style id="asm-informe-estilos">')


def test_cards_and_tables_carry_the_report_styles(estilos):
    publicada, plana = estilos["publicada"], estilos["plana"]
    # the report's look, as the stylesheet states it
    assert publicada[".tarjetas"]["display"] == "grid"
    assert publicada[".tarjeta"]["border-top-color"] == "rgb(86, 180, 233)"
    assert publicada["table.tabla.anexo1 th"]["background-color"] == "rgb(21, 56, 92)"
    assert publicada["table.tabla.anexo1 td.num"]["text-align"] == "right"
    assert publicada["table.tabla.anexo1 td.texto"]["text-align"] == "left"
    assert publicada["table.tabla.anexo1 tr.fila-subtotal td"]["font-weight"] == "700"
    assert publicada[".chip.chip-verde"]["border-top-left-radius"] == "999px"
    # the same in the plain nbconvert page (grid tracks depend on the page width: compared by count)
    for selector, propiedades in ESTILOS.items():
        assert publicada[selector] is not None and plana[selector] is not None, selector
        for p in propiedades:
            a, b = publicada[selector][p], plana[selector][p]
            if p == "grid-template-columns":
                a, b = len(a.split()), len(b.split())
            assert a == b, (selector, p, a, b)
