"""The published page, end to end: ``reporte.generar`` → papermill → nbconvert → a browser.

Two real reports are produced into a temporary folder: Aguascalientes 2024 IMSS-BIENESTAR
from a private copy of ``data/raw`` (capture workbook transcribed from the published
evaluation: Anexo 1 aprobado $426,771,165.00) and the demo Querétaro 2024 FASSA from a copy
of ``data/demo/raw``. The page
must show the figures the library computes, no code, nothing from the network, weigh less
than 1.5 MB and, opened in headless Chromium, render its headline figures and table of
contents. Text typed in a workbook is shown literally, never run. A failing cell names the
state and the cell, keeps the partial notebook under ``_fallidos/`` and leaves the previous
report untouched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis.publicacion import comparativo
from asm_analysis.publicacion import cuaderno, graficas, presentacion
from asm_analysis.ejecucion import reporte
from asm_analysis.comun.errores import ErrorInforme
from asm_analysis.publicacion.columnas import Columna
from asm_analysis.publicacion.presentacion import pct, pesos

pytestmark = pytest.mark.lenta  # starts kernels, notebooks or batches

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
RAW_DEMO = RAIZ / "data" / "demo" / "raw"
LIMITE_BYTES = 1_500_000
XSS = ["<script>window.__x=1</script>", '<img src=x onerror="window.__y=1">', "javascript:alert(1)"]


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


class _Pagina(HTMLParser):
    """Tags with their attributes, visible text, and CSS (style elements and attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.etiquetas: list[tuple[str, dict[str, str]]] = []
        self.textos: list[str] = []
        self.css: list[str] = []
        self._en: list[str] = []

    def handle_starttag(self, tag, attrs):
        atributos = {k: (v or "") for k, v in attrs}
        self.etiquetas.append((tag, atributos))
        if "style" in atributos:
            self.css.append(atributos["style"])
        self._en.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._en.pop()

    def handle_endtag(self, tag):
        while self._en and self._en.pop() != tag:
            pass

    def handle_data(self, data):
        if self._en and self._en[-1] == "style":
            self.css.append(data)
        elif not (self._en and self._en[-1] in ("script", "title")):
            self.textos.append(data)

    @property
    def texto(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.textos))


def _analizar(html: str) -> _Pagina:
    p = _Pagina()
    p.feed(html)
    p.close()
    return p


def _externas(pagina: _Pagina) -> list[str]:
    """Every reference the page would fetch from the network."""
    malas = []
    for tag, attrs in pagina.etiquetas:
        for atributo in ("src", "href", "data", "poster", "srcset", "action"):
            valor = attrs.get(atributo, "").strip().lower()
            if valor.startswith(("http://", "https://", "//", "ftp:")):
                malas.append(f"<{tag} {atributo}={valor[:80]}>")
    for css in pagina.css:
        if re.search(r"@import", css, re.I):
            malas.append("@import en CSS")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css, re.I):
            if not url.strip().lower().startswith(("data:", "#")):
                malas.append(f"url({url[:80]}) en CSS")
    return malas


def _chromium() -> str | None:
    for nombre in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        ruta = shutil.which(nombre)
        if ruta:
            return ruta
    return None


def _exigir_chromium() -> str:
    ruta = _chromium()
    if ruta:
        return ruta
    if os.environ.get("CI"):
        pytest.fail("Chromium es obligatorio en CI para probar la página en un navegador real "
                    "(apt-get install -y chromium)")
    pytest.skip("Chromium no está instalado (apt-get install -y chromium); en CI esta prueba es obligatoria")


def _banderas(perfil: Path) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={perfil}"]


def _dump_dom(html: Path, perfil: Path) -> str:
    r = subprocess.run([_exigir_chromium(), *_banderas(perfil), "--dump-dom", html.resolve().as_uri()],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "<html" in r.stdout, r.stderr[-2000:]
    return r.stdout


def _captura(html: Path, perfil: Path, png: Path) -> Path:
    r = subprocess.run([_exigir_chromium(), *_banderas(perfil), f"--screenshot={png}", "--window-size=1280,2000",
                        "--hide-scrollbars", html.resolve().as_uri()], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    return png


def _sha(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------
# Fixtures: two real reports
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A private copy of the published inputs (data/raw): the repository's data/processed is not touched."""
    destino = tmp_path_factory.mktemp("datos")
    shutil.copytree(RAW, destino / "raw")
    return destino


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A private copy of the synthetic demo inputs (data/demo/raw)."""
    destino = tmp_path_factory.mktemp("datos_demo")
    shutil.copytree(RAW_DEMO, destino / "raw")
    return destino


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def ags(data_dir, out) -> reporte.ResultadoInforme:
    return reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=data_dir, out=out)


@pytest.fixture(scope="module")
def qro(demo_dir, out) -> reporte.ResultadoInforme:
    return reporte.generar("Querétaro", 2024, "FASSA", data_dir=demo_dir, out=out)


@pytest.fixture(params=["ags", "qro"])
def informe(request) -> reporte.ResultadoInforme:
    return request.getfixturevalue(request.param)


def _html(r: reporte.ResultadoInforme) -> str:
    return (r.carpeta / "informe.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------


def test_aguascalientes_headline_figures_as_published(ags):
    html = _html(ags)
    assert ags.anexos.resumen["aprobado"] == pytest.approx(426_771_165.00)
    assert "$426,771,165.00" in html
    assert "426,771,165" in html
    assert "Aguascalientes: IMSS-BIENESTAR, ejercicio 2024" in html


def test_headline_figures_are_the_librarys(informe):
    r = informe.anexos.resumen
    texto = _analizar(_html(informe)).texto
    for clave in ("aprobado", "modificado", "devengado", "pagado"):
        assert pesos(r[clave]) in texto, clave
    assert pct(r["pct_ejercido"]) in texto
    if r["participacion_federal"] is not None:
        assert pct(r["participacion_federal"]) in texto
    sem = r["semaforo"]
    assert f"Verde: {sem['Verde']}" in texto
    assert f"Amarillo: {sem['Amarillo']}" in texto
    asm = r["asm"]
    assert f"Atendidos: {asm['Atendido']}" in texto
    assert f"Vencidos: {asm['Vencido']}" in texto
    h = r["hallazgos"]
    assert f"Error: {h['error']}" in texto
    assert f"Advertencia: {h['advertencia']}" in texto
    # The grand total row of Anexo 1 is there, in bold (total row class).
    assert re.search(r'<tr class="fila-total[^"]*">.*?Gran total', _html(informe), re.S)


def test_no_code_no_prompts_no_parameters(informe):
    html = _html(informe)
    for marca in ("jp-InputArea", "input_area", "In [", "In&nbsp;[", "Out[", "jp-InputPrompt", "jp-OutputPrompt",
                  "highlight-ipynb", "cm-editor"):
        assert marca not in html, marca
    for codigo in ("calculo.obtener(", "p.tabla_anexo1", "import ", "out_dir", "injected-parameters", "Parameters"):
        assert codigo not in html, codigo
    assert "Traceback" not in html and "Warning" not in html


def test_nothing_is_fetched_from_the_network(informe):
    html = _html(informe)
    pagina = _analizar(html)
    assert _externas(pagina) == []
    scripts = [a for t, a in pagina.etiquetas if t == "script"]
    assert scripts == [], "la página no necesita JavaScript"
    for lib in ("require.js", "require.min.js", "MathJax", "mermaid", "jupyter-widgets", "cdnjs", "unpkg"):
        assert lib not in html
    assert "Content-Security-Policy" in html


def test_size_under_limit_and_executed_notebook_kept(informe):
    html = informe.carpeta / "informe.html"
    assert html.stat().st_size < LIMITE_BYTES
    nb = nbformat.read(informe.carpeta / "informe.ipynb", as_version=4)
    codigo = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in codigo)
    assert all(c.get("execution_count") for c in codigo)
    assert nb.metadata["papermill"]["parameters"]["estado"] == informe.datos.estado.nombre
    assert set(nb.metadata["asm_analysis"]["tiempos_s"]) >= {"arranque_kernel", "ejecucion", "exportacion_html"}


def test_table_of_contents_links_resolve(informe):
    pagina = _analizar(_html(informe))
    ids = {a["id"] for _, a in pagina.etiquetas if "id" in a}
    enlaces = [a["href"][1:] for t, a in pagina.etiquetas if t == "a" and a.get("href", "").startswith("#")]
    for ancla, titulo in presentacion.SECCIONES_INFORME:
        assert ancla in enlaces, ancla
        assert ancla in ids, ancla
        assert titulo in pagina.texto
    assert set(enlaces) <= ids


def test_charts_are_images_with_alt_text(informe):
    pagina = _analizar(_html(informe))
    imagenes = [a for t, a in pagina.etiquetas if t == "img"]
    assert len(imagenes) == 4  # spending moments, composition, indicators, ASM progress
    for img in imagenes:
        assert img["src"].startswith("data:image/svg+xml;base64,")  # one drawing that scales to both widths
        assert f"max-width: {graficas.ANCHO_MAXIMO_PX}px" in img["style"]
        assert img["width"] == str(round(graficas.ANCHO_MOVIL * graficas.DPI))  # the phone's drawing
        assert len(img["alt"]) > 40
    assert any("momentos del gasto por capítulo" in img["alt"] for img in imagenes)


def test_demo_banner_only_on_demo_data(ags, qro):
    assert "Datos demo sintéticos" in _html(qro)
    assert qro.datos.demo
    assert "Datos demo sintéticos" not in _html(ags)
    # The banner comes first on the page.
    html = _html(qro)
    assert html.index("Datos demo sintéticos") < html.index("Resumen ejecutivo")


def test_annex_notes_are_shown_instead_of_failing(qro):
    assert "anexo5" in qro.anexos.notas  # the demo FASSA state has no FODA
    assert presentacion.esc(qro.anexos.notas["anexo5"]) in _html(qro)
    assert "Recursos de ejercicios anteriores" in _html(qro)  # carried-over money, demo SRFT


def test_findings_counts_then_summary_then_detail(ags):
    html = _html(ags)
    calidad = html[html.index('id="calidad"'):html.index('id="procedencia"')]
    h = ags.anexos.hallazgos
    assert calidad.index("conteo-hallazgos") < calidad.index("Resumen por regla") < calidad.index("<table")
    assert calidad.index("resumen-reglas") < calidad.index('class="grupo-regla')
    for _, f in h.iterrows():  # every finding is shown (figures bound to their units), its location in its own column
        assert presentacion.prosa(presentacion.texto_hallazgo(f["ubicacion"], f["mensaje"])) in calidad
    assert presentacion.texto_hallazgo(h["ubicacion"].iloc[0], h["mensaje"].iloc[0]) != h["mensaje"].iloc[0]


def test_anexos_xlsx_hallazgos_summary_and_fix_per_finding(ags):
    from asm_analysis.auditoria import ORDEN_ANEXOS

    ws = load_workbook(ags.carpeta / "anexos.xlsx")["Hallazgos"]
    filas = [[c.value for c in fila] for fila in ws.iter_rows()]
    i_res = next(i for i, f in enumerate(filas) if f[0] == "Regla")
    i_det = next(i for i, f in enumerate(filas) if f[0] == "Severidad")
    h = ags.anexos.hallazgos
    resumen = {f[0]: f[3] for f in filas[i_res + 1:i_res + 1 + h["regla"].nunique()]}
    assert resumen == h["regla"].value_counts().to_dict()
    cab = filas[i_det]
    detalle = [dict(zip(cab, f)) for f in filas[i_det + 1:i_det + 1 + len(h)]]
    assert len(detalle) == len(h) == 44
    assert [ORDEN_ANEXOS.index(d["Anexo"]) for d in detalle] == sorted(ORDEN_ANEXOS.index(a) for a in h["anexo"])
    arreglos = presentacion.correcciones()
    assert all(d["Cómo corregir"] == arreglos[d["Regla"]] for d in detalle)
    # a sign is glued to its amount by a word joiner (U+2060) in the workbook's texts
    assert sorted(d["Mensaje"].replace("\u2060", "") for d in detalle) == sorted(h["mensaje"])


def test_every_rule_has_a_fix():
    from asm_analysis.auditoria import REGLAS

    arreglos = presentacion.correcciones()
    assert set(arreglos) == set(REGLAS)
    for regla, texto in arreglos.items():
        assert len(texto) > 30 and texto.endswith("."), regla


def test_findings_of_one_place_are_one_line_and_years_stay_years():
    h = pd.DataFrame([
        {"severidad": "error", "anexo": "Anexo 2", "ubicacion": "hoja concurrencia, fila 13, total, columna «comentarios»",
         "regla": "A2-ETIQUETA-ANIO", "valor_reportado": 2020.0, "valor_calculado": 2024.0, "diferencia": -4.0,
         "mensaje": "Hoja concurrencia, fila 13, total, columna «comentarios»: menciona 2020."},
        *({"severidad": "error", "anexo": "Anexo 1", "ubicacion": f"hoja destino, fila 9, capítulo 1000, columna «{c}»",
           "regla": "A1-SUBTOTAL", "valor_reportado": 1000.0 * k, "valor_calculado": 1500.0, "diferencia": 1000.0 * k - 1500,
           "mensaje": f"Hoja destino, fila 9, capítulo 1000, columna «{c}»: no suma."}
          for k, c in enumerate(("modificado", "devengado", "pagado"), start=1)),
        {"severidad": "advertencia", "anexo": "Anexo 1", "ubicacion": "hoja destino, fila 19, capítulo 2000, columna «pagado»",
         "regla": "A1-SUBTOTAL", "valor_reportado": 1.0, "valor_calculado": 2.0, "diferencia": -1.0,
         "mensaje": "Hoja destino, fila 19, capítulo 2000, columna «pagado»: no suma."},
    ])
    g = presentacion.agrupar_hallazgos(h)
    assert list(g["anexo"]) == ["Anexo 1", "Anexo 1", "Anexo 2"]           # grouped in EED order
    assert list(g["hallazgos"]) == [3, 1, 1] and g["hallazgos"].sum() == len(h)
    uno = g.iloc[0]
    assert uno["ubicacion"] == "hoja destino, fila 9, capítulo 1000"
    assert uno["columnas"] == "modificado, devengado, pagado"
    assert uno["valor_reportado"] == "modificado: $1,000.00\ndevengado: $2,000.00\npagado: $3,000.00"
    assert uno["diferencia"] == "modificado: -$500.00\ndevengado: $500.00\npagado: $1,500.00"
    assert uno["mensaje"] == "no suma.\nno suma.\nno suma."
    assert uno["como_corregir"] == presentacion.correcciones()["A1-SUBTOTAL"]
    anio = g.iloc[2]
    assert (anio["valor_reportado"], anio["valor_calculado"], anio["diferencia"]) == ("2020", "2024", "-4")
    r = presentacion.resumen_por_regla(h)
    assert list(zip(r["regla"], r["hallazgos"])) == [("A1-SUBTOTAL", 4), ("A2-ETIQUETA-ANIO", 1)]


def test_indicator_chart_labels_never_collide(ags):
    t = ags.anexos.anexo4
    cortas, completas = graficas.etiquetas_indicadores(t)
    truncadas = [graficas._etiqueta(f"{f['nivel']}: {f['indicador']}", 40, 2) for _, f in t.iterrows()]
    assert len(set(truncadas)) < len(truncadas)  # cut alone, the two FASSA spending indicators read the same
    assert len(set(cortas)) == len(cortas) == 7
    html = str(graficas.cumplimiento_indicadores(t))
    for nombre in completas:  # the full names are in the legend under the chart
        assert presentacion.esc(nombre) in html
    assert html.count("<li>") == 7 and html.count("<img ") == 1 and "<picture>" not in html  # drawn once


def test_provenance_lists_inputs_with_sha256(informe):
    html = _html(informe)
    procedencia = html[html.index('id="procedencia"'):]
    for archivo in informe.datos.archivos:
        assert archivo["sha256"] in procedencia
        assert presentacion.esc(archivo["archivo"]) in procedencia
    assert "versión de asm-analysis" in procedencia
    assert "generado" in procedencia


# ------------------------------------------------------------------------------------------
# In a real browser
# ------------------------------------------------------------------------------------------


def test_chromium_renders_headline_figures_and_toc(ags, qro, tmp_path):
    for r in (ags, qro):
        html = r.carpeta / "informe.html"
        dom = _dump_dom(html, tmp_path / f"perfil-{r.datos.estado.cve_ent}")
        texto = _analizar(dom).texto
        res = r.anexos.resumen
        assert pesos(res["aprobado"]) in texto
        assert pesos(res["devengado"]) in texto
        assert pct(res["pct_ejercido"]) in texto
        assert "Contenido" in texto
        for _, titulo in presentacion.SECCIONES_INFORME:
            assert titulo in texto
        png = _captura(html, tmp_path / f"perfil-c-{r.datos.estado.cve_ent}", tmp_path / f"{r.datos.estado.slug}.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000  # a blank page compresses to a few KB
    assert "426,771,165" in _analizar(_dump_dom(ags.carpeta / "informe.html", tmp_path / "perfil-b")).texto


def test_typed_markup_is_shown_literally_not_run(data_dir, tmp_path):
    """<script>, an <img onerror> and a javascript: URL typed in a workbook stay text."""
    datos = tmp_path / "datos"
    shutil.copytree(data_dir / "raw", datos / "raw")
    libro = datos / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
    wb = load_workbook(libro)
    carga = " ".join(XSS)
    for hoja, columna in (("indicadores", "justificacion"), ("asm", "aspecto"), ("foda", "fortalezas_oportunidades")):
        ws = wb[hoja]
        encabezados = [c.value for c in ws[1]]
        ws.cell(row=2, column=encabezados.index(columna) + 1, value=f"{carga} fin")
    wb.save(libro)

    r = reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=datos, out=tmp_path / "reports")
    html = (r.carpeta / "informe.html").read_text(encoding="utf-8")
    assert "<script>window.__x" not in html
    assert '<img src=x' not in html and '<img src="x"' not in html
    assert html.count("&lt;script&gt;window.__x=1&lt;/script&gt;") >= 3  # justification, ASM, FODA (and more)
    pagina = _analizar(html)
    assert not any(a.get("href", "").lower().startswith("javascript:") for _, a in pagina.etiquetas)
    assert not any("onerror" in a for _, a in pagina.etiquetas)

    dom = _dump_dom(r.carpeta / "informe.html", tmp_path / "perfil")
    assert "<script>window.__x" not in dom
    assert '<img src="x"' not in dom
    arbol = _analizar(dom)
    assert [a for t, a in arbol.etiquetas if t == "script"] == []
    assert not any("onerror" in a for _, a in arbol.etiquetas)
    assert "&lt;img src=x onerror=" in dom  # present as text only
    assert not any(a.get("src") == "x" for t, a in arbol.etiquetas if t == "img")
    assert XSS[0] in arbol.texto and XSS[1] in arbol.texto and XSS[2] in arbol.texto


# ------------------------------------------------------------------------------------------
# A failing cell
# ------------------------------------------------------------------------------------------


def test_failing_cell_names_state_and_cell_and_keeps_previous_report(ags, data_dir, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    previo = reporte.carpeta_informe(out, ags.datos.estado, 2024, ags.datos.fondo)
    shutil.copytree(ags.carpeta, previo)
    huellas = {p.name: _sha(p) for p in previo.iterdir()}

    cuadernos = tmp_path / "cuadernos"
    cuadernos.mkdir()
    nb = nbformat.read(RAIZ / "notebooks" / "informe_estatal.ipynb", as_version=4)
    falla = nbformat.v4.new_code_cell('raise RuntimeError(f"falla de prueba para {estado}")')
    posicion = next(i for i, c in enumerate(nb.cells) if "calculo.obtener" in c.source) + 1
    nb.cells.insert(posicion, falla)
    nbformat.write(nb, cuadernos / "informe_estatal.ipynb")
    monkeypatch.setenv(cuaderno.VARIABLE_CUADERNOS, str(cuadernos))

    with pytest.raises(ErrorInforme) as info:
        reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=data_dir, out=out)
    mensaje = str(info.value)
    assert "Aguascalientes" in mensaje
    assert "raise RuntimeError" in mensaje
    assert "RuntimeError" in mensaje and "falla de prueba para Aguascalientes" in mensaje
    assert re.search(r"celda \d+", mensaje)
    parcial = out / "_fallidos" / "2024-IMSS-BIENESTAR-01-aguascalientes.ipynb"
    assert parcial.is_file()
    assert str(parcial) in mensaje
    nb_parcial = nbformat.read(parcial, as_version=4)
    errores = [o for c in nb_parcial.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if o.get("output_type") == "error"]
    assert errores and errores[0]["ename"] == "RuntimeError"
    # The previous report is intact and no half-built folder is left behind.
    assert {p.name: _sha(p) for p in previo.iterdir()} == huellas
    assert [p.name for p in previo.parent.iterdir()] == [previo.name]


# ------------------------------------------------------------------------------------------
# National comparison
# ------------------------------------------------------------------------------------------


def test_comparativo_page(demo_dir, ags, qro, tmp_path):
    out = tmp_path / "reports"
    ruta = cuaderno.ejecutar_comparativo(2024, "FASSA", demo_dir, out)
    assert ruta == out / "2024" / "FASSA" / "comparativo.html"
    assert (out / "2024" / "FASSA" / "comparativo.ipynb").is_file()
    html = ruta.read_text(encoding="utf-8")
    assert ruta.stat().st_size < LIMITE_BYTES
    pagina = _analizar(html)
    assert _externas(pagina) == []
    assert "jp-InputArea" not in html and "In [" not in html
    assert "Datos demo sintéticos" in html
    comp = comparativo.calcular(demo_dir, 2024, "FASSA", actualizar=False)
    assert len(comp.tabla) == 32
    med = comparativo.medianas(comp.tabla)
    assert f"mediana {pct(med['pct_ejercido'])}" in pagina.texto
    fila = comp.tabla.set_index("estado").loc["Querétaro"]
    assert fila["pct_ejercido"] == pytest.approx(qro.anexos.resumen["pct_ejercido"])
    assert pct(fila["pct_ejercido"]) in pagina.texto
    assert len([a for t, a in pagina.etiquetas if t == "img"]) == 4
    for ancla, titulo in presentacion.SECCIONES_COMPARATIVO:
        assert f'id="{ancla}"' in html and titulo in pagina.texto


# ------------------------------------------------------------------------------------------
# Building blocks
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("valor, esperado", [
    (1234567.891, "$1,234,567.89"), (0, "$0.00"), (-1000, "-$1,000.00"), (None, "—"), (float("nan"), "—"),
])
def test_money_format(valor, esperado):
    assert pesos(valor) == esperado


@pytest.mark.parametrize("valor, esperado", [(50.1432, "50.14 %"), (100, "100.00 %"), (None, "—")])
def test_share_format(valor, esperado):
    assert pct(valor) == esperado


@pytest.mark.parametrize("valor, esperado", [
    (1_234_500_000, "$1,234.5 millones"), (426_771_165, "$426.8 millones"), (8e9, "$8,000 millones"),
    (99_999_999_999.99, "$100,000 millones"), (850_000, "$850 mil"), (-1_250, "-$1.3 mil"), (0, "$0"),
])
def test_compact_money_for_charts(valor, esperado):
    assert presentacion.pesos_corto(valor) == esperado


def test_tables_escape_every_cell_and_bold_totals():
    df = pd.DataFrame([
        {"tipo_fila": "detalle", "texto": XSS[0], "monto": 1.5},
        {"tipo_fila": "subtotal", "texto": XSS[1], "monto": 2},
        {"tipo_fila": "total", "texto": "Gran total", "monto": 3.5},
    ])
    html = str(presentacion.tabla(df, [Columna("texto", "Texto <b>"), Columna("monto", "Monto", "dinero")]))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in html
    assert 'class="fila-subtotal"' in html and 'class="fila-total"' in html
    assert "$3.50" in html


def test_charts_are_closed_figures_with_escaped_alt():
    import matplotlib.pyplot as plt

    abiertas = plt.get_fignums()
    anexo4 = pd.DataFrame([{"nivel": "Fin", "indicador": XSS[0], "cumplimiento": 95.0, "semaforo": "Verde",
                            "cumplimiento_anterior": 80.0}])
    html = str(graficas.cumplimiento_indicadores(anexo4))
    assert plt.get_fignums() == abiertas
    assert html.count("<img ") == 1 and "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "95.00 % (Verde)" in html


def test_html_value_displays_in_jupyter():
    h = presentacion.Html("<p>x</p>", "resumen")
    assert h._repr_html_() == '<div class="asm-informe"><p>x</p></div>'   # the report's styles reach it
    assert h._repr_mimebundle_()["text/plain"] == "resumen"
    assert str(h + presentacion.Html("<p>y</p>")) == "<p>x</p><p>y</p>"
    assert presentacion.unir([None, None]) is None
