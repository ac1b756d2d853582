"""The report in a real browser: folded Anexo 1 rows, grouped findings, no table wider than its box.

The page is the real one: ``reporte.generar`` on a private copy of the shipped inputs for
Aguascalientes 2024 IMSS-BIENESTAR (the capture workbook transcribed from the published
evaluation), through papermill and nbconvert. It is opened in headless Chromium at a desktop
width (1280 px) and a phone width (390 px) and measured through the DevTools protocol.

Headless Chromium will not make a window narrower than 500 px, so the phone width is set with
``Emulation.setDeviceMetricsOverride``. The page's Content-Security-Policy forbids scripts;
the measurements are DevTools ``Runtime.evaluate`` calls, so the file under test is unchanged.
The protocol runs over ``--remote-debugging-pipe`` (file descriptors 3 and 4 of the browser):
no network port, no extra package. Screenshots of both widths are left in the test's
temporary folder.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from asm_analysis.publicacion import graficas, presentacion
from asm_analysis.ejecucion import reporte
from asm_analysis.auditoria import ORDEN_ANEXOS

pytestmark = pytest.mark.lenta  # starts kernels, notebooks or batches

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
ANCHOS = (1280, 390)



class Navegador:
    """One headless Chromium with one page; ``with Navegador(ruta, perfil) as n: …``."""

    def __init__(self, chromium: str, perfil: Path):
        self.chromium = chromium
        self.perfil = perfil
        self._id = 0
        self._buffer = b""
        self.sesion: str | None = None
        self._eventos: list[dict] = []  # events that arrived while waiting for a response

    def __enter__(self) -> "Navegador":
        a_chrome_r, a_chrome_w = os.pipe()
        de_chrome_r, de_chrome_w = os.pipe()

        def _fds():  # in the child: commands on fd 3, responses on fd 4
            os.dup2(a_chrome_r, 3)
            os.dup2(de_chrome_w, 4)

        self.proc = subprocess.Popen(
            [self.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={self.perfil}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(a_chrome_r)
        os.close(de_chrome_w)
        self._w = os.fdopen(a_chrome_w, "wb", buffering=0)
        self._r = os.fdopen(de_chrome_r, "rb", buffering=0)
        objetivo = self.enviar("Target.createTarget", {"url": "about:blank"}, sesion=False)["targetId"]
        self.sesion = self.enviar("Target.attachToTarget", {"targetId": objetivo, "flatten": True},
                                  sesion=False)["sessionId"]
        self.enviar("Page.enable")
        self.enviar("Runtime.enable")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.enviar("Browser.close", sesion=False, esperar=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._w.close()
        self._r.close()

    def _leer(self, limite: float) -> dict:
        while b"\0" not in self._buffer:
            restante = limite - time.monotonic()
            if restante <= 0 or not select.select([self._r], [], [], restante)[0]:
                raise TimeoutError("Chromium no respondió a tiempo")
            trozo = self._r.read(1 << 16)
            if not trozo:
                raise OSError("Chromium cerró el canal de depuración")
            self._buffer += trozo
        mensaje, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(mensaje)

    def enviar(self, metodo: str, params: dict | None = None, *, sesion: bool = True, esperar: bool = True,
               plazo: float = 120.0) -> dict:
        self._id += 1
        orden = {"id": self._id, "method": metodo, "params": params or {}}
        if sesion and self.sesion:
            orden["sessionId"] = self.sesion
        self._w.write(json.dumps(orden).encode() + b"\0")
        if not esperar:
            return {}
        limite = time.monotonic() + plazo
        while True:
            m = self._leer(limite)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{metodo}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self._eventos.append(m)

    def esperar_evento(self, metodo: str, plazo: float = 120.0) -> dict:
        for i, m in enumerate(self._eventos):
            if m.get("method") == metodo:
                del self._eventos[: i + 1]
                return m.get("params", {})
        self._eventos.clear()
        limite = time.monotonic() + plazo
        while True:
            m = self._leer(limite)
            if m.get("method") == metodo:
                return m.get("params", {})

    def abrir(self, ruta: Path, ancho: int, alto: int = 900, movil: bool = False) -> None:
        """Load ``ruta`` in a viewport of ``ancho`` × ``alto`` CSS px and wait for ``load``."""
        self.enviar("Emulation.setDeviceMetricsOverride",
                    {"width": ancho, "height": alto, "deviceScaleFactor": 1, "mobile": movil})
        self._eventos.clear()
        self.enviar("Page.navigate", {"url": Path(ruta).resolve().as_uri()})
        self.esperar_evento("Page.loadEventFired")

    def evaluar(self, expresion: str):
        """Value of a JavaScript expression evaluated by DevTools in the page (JSON-able)."""
        r = self.enviar("Runtime.evaluate", {"expression": expresion, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def captura(self, png: Path) -> Path:
        """A screenshot of the whole page (beyond the viewport) as PNG."""
        r = self.enviar("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        png.write_bytes(base64.b64decode(r["data"]))
        return png


#: What the browser test measures, as one JavaScript expression returning a JSON-able object.
MEDIDAS = r"""
(function () {
  var de = document.documentElement;
  var visible = function (e) { return e.checkVisibility ? e.checkVisibility() : e.getClientRects().length > 0; };
  var r = {ancho_ventana: window.innerWidth, pagina: {scroll: de.scrollWidth, client: de.clientWidth},
           tablas: [], plegadas: [], grupos: [], imagenes: [], resumen_reglas: []};
  document.querySelectorAll('.tabla-contenedor').forEach(function (c) {
    var t = c.querySelector('table');
    var cap = t.querySelector('caption');
    var recortadas = [];
    t.querySelectorAll('td, th').forEach(function (td) {
      if (visible(td) && td.scrollWidth > td.clientWidth + 1) recortadas.push(td.textContent.slice(0, 60));
    });
    r.tablas.push({clase: t.className, titulo: cap ? cap.textContent : '', scroll: c.scrollWidth,
                   client: c.clientWidth, tabla: Math.ceil(t.getBoundingClientRect().width),
                   recortadas: recortadas});
  });
  document.querySelectorAll('details.ceros').forEach(function (d) {
    var li = Array.prototype.slice.call(d.querySelectorAll('li'));
    r.plegadas.push({open: d.open, total: li.length, visibles: li.filter(visible).length,
                     claves: li.map(function (x) { return x.querySelector('.clave').textContent; }),
                     resumen: d.querySelector('summary').textContent, alto_resumen: d.getBoundingClientRect().height});
  });
  document.querySelectorAll('section.grupo-regla').forEach(function (g) {
    var a = g.previousElementSibling;
    while (a && !a.matches('h3.hallazgos-anexo')) a = a.previousElementSibling;
    r.grupos.push({regla: g.getAttribute('data-regla'), anexo: a ? a.textContent : null,
                   filas: g.querySelectorAll('tbody tr').length,
                   corregir: (g.querySelector('p.corregir') || {}).textContent || ''});
  });
  document.querySelectorAll('table.resumen-reglas tbody tr').forEach(function (tr) {
    r.resumen_reglas.push(Array.prototype.map.call(tr.children, function (td) { return td.textContent.trim(); }));
  });
  document.querySelectorAll('figure.grafica img').forEach(function (i) {
    r.imagenes.push({ancho: i.getBoundingClientRect().width, figura: i.closest('figure').clientWidth,
                     natural: i.naturalWidth, movil: i.currentSrc !== i.src});
  });
  return r;
})()
"""

#: Open every fold: the zero concepts of Anexo 1 and the parts a phone shows closed (details.desplegable).
ABRIR_PLEGADAS = """
(function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); return true; })()
"""

CARGAR_IMAGENES = """
(function () {
  var imgs = Array.prototype.slice.call(document.querySelectorAll('img'));
  imgs.forEach(function (i) { i.loading = 'eager'; });
  return Promise.all(imgs.map(function (i) { return i.decode().catch(function () { return null; }); }))
    .then(function () { return imgs.length; });
})()
"""


# ------------------------------------------------------------------------------------------
# The real page, measured once per width
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ags(tmp_path_factory) -> reporte.ResultadoInforme:
    datos = tmp_path_factory.mktemp("datos")
    shutil.copytree(RAW, datos / "raw")
    return reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=datos,
                           out=tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def medidas(ags, tmp_path_factory) -> dict:
    """Per width: measurements as loaded, after opening the folded rows, and a screenshot."""
    from test_informe_html import _exigir_chromium

    chromium = _exigir_chromium()
    carpeta = tmp_path_factory.mktemp("navegador")
    html = ags.carpeta / "informe.html"
    salida = {}
    with Navegador(chromium, carpeta / "perfil") as nav:
        for ancho in ANCHOS:
            nav.abrir(html, ancho, movil=ancho < 500)
            nav.evaluar(CARGAR_IMAGENES)
            cerradas = nav.evaluar(MEDIDAS)
            png = nav.captura(carpeta / f"informe-{ancho}.png")
            nav.evaluar(ABRIR_PLEGADAS)
            abiertas = nav.evaluar(MEDIDAS)
            salida[ancho] = {"cerradas": cerradas, "abiertas": abiertas, "png": png}
    print(f"capturas en {carpeta}")
    return salida


def _conceptos_en_cero(anexo1: pd.DataFrame) -> dict[str, list[str]]:
    """Independently: chapter → concepts whose five amounts are all zero or blank."""
    det = anexo1[anexo1["tipo_fila"] == "detalle"]
    montos = det[["aprobado", "modificado", "devengado", "pagado", "disponible"]].fillna(0)
    ceros = det[(montos == 0).all(axis=1)]
    grupos = {str(c): [str(x) for x in g["concepto"]] for c, g in ceros.groupby("capitulo", sort=False)}
    return {c: v for c, v in grupos.items() if len(v) >= 2}


@pytest.mark.parametrize("ancho", ANCHOS)
def test_folded_zero_concepts_open_and_close(ags, medidas, ancho):
    esperado = _conceptos_en_cero(ags.anexos.anexo1)
    assert sum(len(v) for v in esperado.values()) == 48  # the shipped workbook: 48 concepts without amounts
    cerradas = medidas[ancho]["cerradas"]["plegadas"]
    abiertas = medidas[ancho]["abiertas"]["plegadas"]
    assert [p["claves"] for p in cerradas] == list(esperado.values())
    for capitulo, p in zip(esperado, cerradas):
        assert p["open"] is False and p["visibles"] == 0, capitulo       # folded: one line only
        assert p["resumen"].startswith(f"{len(esperado[capitulo])} conceptos del capítulo {capitulo} sin importes")
    for p in abiertas:
        assert p["open"] is True and p["visibles"] == p["total"] > 0     # opened: every concept shows
    # Every concept of the clasificador is still in the annex: shown as a row, or folded.
    html = (ags.carpeta / "informe.html").read_text(encoding="utf-8")
    tabla = html[html.index('<table class="tabla anexo1">'):]
    tabla = tabla[:tabla.index("</table>")]
    filas_concepto = len(re.findall(r'<tr class="fila-detalle', tabla))
    plegadas = sum(len(v) for v in esperado.values())
    assert filas_concepto + plegadas == int((ags.anexos.anexo1["tipo_fila"] == "detalle").sum()) == 63


@pytest.mark.parametrize("ancho", ANCHOS)
def test_no_table_overflows_its_box(medidas, ancho):
    for estado in ("cerradas", "abiertas"):
        m = medidas[ancho][estado]
        assert m["ancho_ventana"] == ancho
        assert m["pagina"]["scroll"] <= m["pagina"]["client"], (estado, m["pagina"])
        assert len(m["tablas"]) > 20
        for t in m["tablas"]:
            assert t["scroll"] <= t["client"], (estado, t)
            assert t["tabla"] <= t["client"] + 1, (estado, t)
            assert t["recortadas"] == [], (estado, t)


def test_charts_fit_and_one_drawing_serves_both_widths(medidas):
    for ancho in ANCHOS:
        imagenes = medidas[ancho]["cerradas"]["imagenes"]
        assert len(imagenes) == 4
        for i in imagenes:
            assert 0 < i["ancho"] <= i["figura"]
            assert i["movil"] is False  # no <picture>: the same SVG at both widths
            if ancho < 700:
                assert i["ancho"] >= i["figura"] - 30  # fills the phone's column (minus the figure's padding)
            else:
                assert i["ancho"] == graficas.ANCHO_MAXIMO_PX  # scaled up to ANCHO_MAXIMO_PX on a desktop


def test_screenshots_at_both_widths(medidas):
    for ancho in ANCHOS:
        png = medidas[ancho]["png"]
        datos = png.read_bytes()
        assert datos[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(datos[16:20], "big") == ancho        # full page, at that width
        assert int.from_bytes(datos[20:24], "big") > 5000
        assert png.stat().st_size > 200_000


@pytest.mark.parametrize("ancho", ANCHOS)
def test_findings_summary_by_rule_then_grouped_by_annex(ags, medidas, ancho):
    h = ags.anexos.hallazgos
    m = medidas[ancho]["cerradas"]
    # Summary: one row per rule, with the audit's count of that rule.
    resumen = {fila[0]: int(fila[2]) for fila in m["resumen_reglas"]}
    assert resumen == h["regla"].value_counts().to_dict()
    assert sum(resumen.values()) == len(h) == 44
    # Detail: annexes in the EED order, each rule of an annex once, with its fix.
    anexos_vistos = [g["anexo"].split(" · ")[0] for g in m["grupos"]]
    orden = [ORDEN_ANEXOS.index(a) for a in anexos_vistos]
    assert orden == sorted(orden)
    pares = [(a, g["regla"]) for a, g in zip(anexos_vistos, m["grupos"])]
    assert sorted(pares) == sorted(set(zip(h["anexo"], h["regla"])))
    arreglos = presentacion.correcciones()
    for g in m["grupos"]:
        assert g["corregir"] == f"Cómo corregir: {presentacion.atar(arreglos[g['regla']])}"   # «100\u00a0%»
    # One line per rule and place: the chapter 1000 subtotal wrong in three columns is one line.
    sub = next(g for g in m["grupos"] if g["regla"] == "A1-SUBTOTAL")
    assert sub["filas"] == h[h["regla"] == "A1-SUBTOTAL"]["ubicacion"].str.extract(r"fila (\d+)")[0].nunique() == 3
    assert sum(g["filas"] for g in m["grupos"]) == 31


def test_years_never_with_thousands_separator(ags):
    html = (ags.carpeta / "informe.html").read_text(encoding="utf-8")
    texto = re.sub(r"<[^>]+>", " ", html)
    # a year written as an amount ("2,020"), not part of a larger figure such as 132,023,814.88
    sueltos = re.findall(r"(?<![\d,.$-])[12],\d{3}(?![\d,.])", texto)
    assert [x for x in sueltos if 1990 <= int(x.replace(",", "")) <= 2035] == []
    # The year a label mentions (A2-ETIQUETA-ANIO) is shown as a year in the findings.
    calidad = html[html.index('id="calidad"'):html.index('id="procedencia"')]
    assert '<span class="cifra">2020</span>' in calidad and '<span class="cifra">2024</span>' in calidad


ENLACES = """
(function () {
  var de = document.documentElement;
  return {pagina: {scroll: de.scrollWidth, client: de.clientWidth},
          enlaces: Array.prototype.map.call(document.querySelectorAll('main a'), function (a) {
            var b = a.getBoundingClientRect();
            return {texto: a.textContent, izquierda: b.left, derecha: b.right, alto: b.height,
                    visible: a.checkVisibility(), letra: parseFloat(getComputedStyle(a).fontSize)};
          }),
          fondo: getComputedStyle(document.querySelector('main')).backgroundColor,
          cabecera: getComputedStyle(document.querySelector('h1')).color};
})()
"""


def test_index_pages_share_the_theme_and_links_fit_a_phone(ags, tmp_path):
    from asm_analysis.publicacion.sitio import construir_sitio
    from test_informe_html import _exigir_chromium

    out = ags.carpeta.parents[2]
    paginas = construir_sitio(out)
    assert paginas[1] == out / "2024" / "IMSS-BIENESTAR" / "index.html"
    with Navegador(_exigir_chromium(), tmp_path / "perfil") as nav:
        nav.abrir(ags.carpeta / "informe.html", 1280)
        tema = nav.evaluar(ENLACES)
        for pagina in paginas:
            for ancho in ANCHOS:
                nav.abrir(pagina, ancho, movil=ancho < 500)
                m = nav.evaluar(ENLACES)
                assert (m["fondo"], m["cabecera"]) == (tema["fondo"], tema["cabecera"])  # the report's theme
                assert m["pagina"]["scroll"] <= m["pagina"]["client"] == ancho, (pagina, ancho)
                assert m["enlaces"], pagina
                for a in m["enlaces"]:
                    assert a["visible"] and a["alto"] > 0, a
                    assert 0 <= a["izquierda"] and a["derecha"] <= ancho, (pagina, ancho, a)
                    assert a["letra"] >= (14 if ancho < 700 else 12), a  # a tappable size on a phone
            nav.captura(tmp_path / f"{pagina.parent.name}-390.png")
    fondo = paginas[1].read_text(encoding="utf-8")
    assert 'href="01-aguascalientes/informe.html"' in fondo
