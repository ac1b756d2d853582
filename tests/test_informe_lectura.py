"""What a reader sees, in a real browser: the fixes of a reading of the published pages at 1280 and 390 px.

Two layouts are built as the Makefile builds them: the single report of ``make report`` (Aguascalientes
2024 IMSS-BIENESTAR, ``report`` alone: no index, no national comparison beside it) and a demo batch
(``make reports``, here three states: Campeche, whose follow-up of the ASM actions and Anexo 4 were the
widest tables of the 32 demo reports, Coahuila, whose follow-up is the tightest fit, and Nayarit), with
its index and ``comparativo.html``. They are measured in headless Chromium with the DevTools helper of
``test_presentacion_navegador``:

* at 1280 px every table fits its box, no column hidden to the right, no chip or date broken; a table
  that cannot fit a narrower desktop window fades at the edge where its columns are hidden;
* each state page links, at its top, to the index and the comparison when the layout has them and to
  its own ``anexos.xlsx`` and ``anexos.docx``; the comparison links back to the index; every relative
  link of every page resolves;
* at 390 px the cards of «Cada estado frente a la mediana nacional» show the national median;
* at 390 px no figure is split from its unit («100» at the end of a line, «%» at the start of the next);
* the «↑ Contenido» button covers no text, at 1280 and at 390 px;
* the page says «38 errores, 6 advertencias y 0 notas informativas» and «1 peso».
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from asm_analysis.publicacion import cuaderno, presentacion

pytestmark = pytest.mark.lenta  # runs papermill, nbconvert, a batch and a browser

RAIZ = Path(__file__).resolve().parents[1]
ESTADOS_LOTE = ["Campeche", "Coahuila", "Nayarit"]
CARPETAS_LOTE = ("04-campeche", "05-coahuila", "18-nayarit")


# ------------------------------------------------------------------------------------------
# The two layouts
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lote(tmp_path_factory) -> Path:
    """``<out>/2024/FASSA`` of a demo batch with pages (``make reports`` on three states)."""
    from asm_analysis.ejecucion.lote import OK, ejecutar_lote

    base = tmp_path_factory.mktemp("lote")
    shutil.copytree(RAIZ / "data" / "demo" / "raw", base / "datos" / "raw")
    resultado = ejecutar_lote(2024, "FASSA", ESTADOS_LOTE, data_dir=base / "datos", out=base / "reports",
                              jobs=2, html=True, imprimir=False, progreso=False)
    assert [r.estatus for r in resultado] == [OK] * 3 and resultado.exito, [r.motivo for r in resultado]
    return base / "reports" / "2024" / "FASSA"


@pytest.fixture(scope="module")
def solo(tmp_path_factory) -> Path:
    """The folder of the single report ``make report`` writes (``report`` alone, published inputs)."""
    from asm_analysis.ejecucion import reporte

    base = tmp_path_factory.mktemp("solo")
    shutil.copytree(RAIZ / "data" / "raw", base / "datos" / "raw")
    return reporte.generar("Aguascalientes", 2024, "IMSS-BIENESTAR", data_dir=base / "datos",
                           out=base / "reports").carpeta


@pytest.fixture(scope="module")
def paginas(lote, solo) -> dict[str, Path]:
    return {**{c: lote / c / "informe.html" for c in CARPETAS_LOTE},
            "comparativo": lote / "comparativo.html", "ags": solo / "informe.html"}


# ------------------------------------------------------------------------------------------
# Measurements (DevTools Runtime.evaluate; the pages forbid scripts of their own)
# ------------------------------------------------------------------------------------------

ABRIR = "(function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); " \
        "document.documentElement.style.scrollBehavior = 'auto'; return 1; })()"

#: Every table box: does it scroll, is any header cell beyond its right edge, is a chip, a date or a lone
#: figure laid out on more than one line (its text spans more than 1.6 line heights).
TABLAS = r"""
(function () {
  var altoLinea = function (e) { var s = getComputedStyle(e), lh = parseFloat(s.lineHeight);
    return isNaN(lh) ? 1.25 * parseFloat(s.fontSize) : lh; };
  var lineas = function (e) {
    var rango = document.createRange(); rango.selectNodeContents(e);
    var rs = Array.prototype.filter.call(rango.getClientRects(), function (x) { return x.width > 0 && x.height > 0; });
    if (!rs.length) return 0;
    var arriba = Math.min.apply(null, rs.map(function (x) { return x.top; }));
    var abajo = Math.max.apply(null, rs.map(function (x) { return x.bottom; }));
    return (abajo - arriba) / altoLinea(e);
  };
  var r = [];
  document.querySelectorAll('.tabla-contenedor').forEach(function (c) {
    var t = c.querySelector('table'), caja = c.getBoundingClientRect(), cap = t.querySelector('caption');
    var ocultas = Array.prototype.filter.call(t.querySelectorAll('thead th'), function (th) {
      return th.getBoundingClientRect().right > caja.right + 1; }).map(function (th) { return th.textContent; });
    var partidas = Array.prototype.filter.call(t.querySelectorAll('.chip, td.fecha, td.num'), function (e) {
      return e.checkVisibility() && !e.querySelector('br, .etq') && lineas(e) > 1.6;
    }).map(function (e) { return e.textContent; });
    r.push({clase: t.className, titulo: cap ? cap.textContent.slice(0, 60) : '', scroll: c.scrollWidth,
            client: c.clientWidth, ocultas: ocultas, partidas: partidas});
  });
  return r;
})()
"""

#: The fade of each table box, at the start of its scroll and at the end (a scroll timeline is read
#: after the next frames).
SOMBRAS = r"""
(function () {
  var cajas = Array.prototype.slice.call(document.querySelectorAll('.tabla-contenedor'));
  var leer = function (c) { var s = getComputedStyle(c);
    return [s.getPropertyValue('--sombra-izquierda').trim(), s.getPropertyValue('--sombra-derecha').trim()]; };
  var cuadros = function () { return new Promise(function (listo) {
    requestAnimationFrame(function () { requestAnimationFrame(listo); }); }); };
  var r = cajas.map(function (c) { c.scrollLeft = 0;
    return {desborda: c.scrollWidth > c.clientWidth, clase: c.querySelector('table').className}; });
  return cuadros().then(function () {
    cajas.forEach(function (c, i) { r[i].inicio = leer(c); c.scrollLeft = c.scrollWidth; });
    return cuadros();
  }).then(function () {
    cajas.forEach(function (c, i) { r[i].fin = leer(c); c.scrollLeft = 0; });
    return r;
  });
})()
"""

#: The links at the top of the page, and every relative link of the page.
ENLACES = r"""
(function () {
  var nav = document.querySelector('nav.enlaces-pagina');
  var arriba = nav ? Array.prototype.map.call(nav.querySelectorAll('a'), function (a) {
    return [a.getAttribute('href'), a.textContent]; }) : null;
  var primero = document.querySelector('main.pagina').firstElementChild;
  var todos = Array.prototype.map.call(document.querySelectorAll('a[href]'), function (a) { return a.getAttribute('href'); })
    .filter(function (h) { return h[0] !== '#'; });
  return {arriba: arriba, primero: primero ? primero.className : null, todos: todos};
})()
"""

#: «Cada estado frente a la mediana nacional» on a phone: each value cell and the median it shows.
MEDIANAS = r"""
(function () {
  var t = document.querySelector('table.mediana');
  var cab = Array.prototype.map.call(t.querySelectorAll('thead th .sub'), function (s) { return s.textContent; });
  var r = {cabecera_visible: t.querySelector('thead').getBoundingClientRect().height > 2, medianas: cab, celdas: []};
  t.querySelectorAll('tbody tr').forEach(function (tr) {
    Array.prototype.forEach.call(tr.querySelectorAll('td'), function (td, i) {
      var vistas = Array.prototype.filter.call(td.querySelectorAll('*'), function (e) {
        return e.checkVisibility() && /^mediana /.test(e.textContent); }).map(function (e) { return e.textContent; });
      r.celdas.push({columna: i, estado: tr.querySelector('th').textContent, vistas: vistas});
    });
  });
  return r;
})()
"""

#: Figures split from their unit across two lines.
CORTES = r"""
(function () {
  var malos = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), n;
  var re = /\d[ \u00a0](?:%|pp\b|puntos\b|pesos?\b|días?\b)/g;
  while ((n = w.nextNode())) {
    var el = n.parentElement, m;
    if (!el || !el.checkVisibility() || el.closest('style')) continue;
    re.lastIndex = 0;
    while ((m = re.exec(n.data))) {
      var rango = document.createRange(); rango.setStart(n, m.index); rango.setEnd(n, m.index + m[0].length);
      var lineas = {};
      Array.prototype.forEach.call(rango.getClientRects(), function (x) { if (x.width > 0) lineas[Math.round(x.bottom)] = 1; });
      if (Object.keys(lineas).length > 1) malos.push(n.data.slice(Math.max(0, m.index - 30), m.index + 12));
    }
  }
  return malos;
})()
"""

#: Figures followed by an ordinary (breakable) space and their unit in the page's prose.
PROSA_SIN_ATAR = r"""
(function () {
  var prosa = 'p, li, figcaption, dd, td, th, h1, h2, h3, summary, .tarjeta-detalle, .nota';
  var malos = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), n, m;
  var re = /\d (?:%|pp\b|puntos\b|pesos?\b|días?\b)/g;
  while ((n = w.nextNode())) {
    var el = n.parentElement;
    if (!el || el.closest('.num, style') || !el.closest(prosa)) continue;
    if (getComputedStyle(el).whiteSpace.indexOf('nowrap') === 0) continue;
    re.lastIndex = 0;
    while ((m = re.exec(n.data))) malos.push(n.data.slice(Math.max(0, m.index - 30), m.index + 12));
  }
  return malos;
})()
"""

#: The «↑ Contenido» button against the sheet's content box and, at several scroll positions, every text box.
BOTON = r"""
(function () {
  var b = document.querySelector('a.volver-indice'), main = document.querySelector('main.pagina');
  var s = getComputedStyle(main), m = main.getBoundingClientRect();
  var caja = {left: m.left + parseFloat(s.paddingLeft), right: m.right - parseFloat(s.paddingRight)};
  var cruza = function (a, c) { return a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom; };
  var r = {boton: null, contenido: caja, tapadas: []};
  var alto = document.documentElement.scrollHeight, paso = Math.max(400, Math.floor(alto / 40));
  for (var y = 0; y < alto; y += paso) {
    window.scrollTo(0, y);
    var bb = b.getBoundingClientRect();
    if (r.boton === null) r.boton = {left: bb.left, right: bb.right, top: bb.top, bottom: bb.bottom};
    main.querySelectorAll('p, li, td, th, dd, dt, h1, h2, h3, figcaption, summary, img, caption').forEach(function (e) {
      var cabecera = e.closest('thead');   // a phone's card hides the header in a 1 px clipped box
      if (e.contains(b) || !e.checkVisibility() || (cabecera && cabecera.getBoundingClientRect().width <= 2)) return;
      Array.prototype.forEach.call(e.getClientRects(), function (x) {
        if (x.width > 0 && cruza(bb, x)) r.tapadas.push(e.tagName + ': ' + (e.textContent || e.alt || '').slice(0, 50));
      });
    });
  }
  window.scrollTo(0, 0);
  return r;
})()
"""


@pytest.fixture(scope="module")
def medidas(paginas, tmp_path_factory) -> dict:
    from test_informe_html import _exigir_chromium
    from test_presentacion_navegador import CARGAR_IMAGENES, Navegador

    carpeta = tmp_path_factory.mktemp("capturas")
    salida: dict = {}
    with Navegador(_exigir_chromium(), carpeta / "perfil") as nav:
        for nombre, ruta in paginas.items():
            for ancho in (1280, 1000, 390):
                nav.abrir(ruta, ancho, movil=ancho < 500)
                nav.evaluar(CARGAR_IMAGENES)
                nav.captura(carpeta / f"{nombre}-{ancho}.png")
                nav.evaluar(ABRIR)
                m = {"enlaces": nav.evaluar(ENLACES)}
                if ancho == 1280:
                    m["tablas"] = nav.evaluar(TABLAS)
                if ancho == 1000:
                    m["sombras"] = nav.evaluar(SOMBRAS)
                if ancho == 390:
                    m["cortes"] = nav.evaluar(CORTES)
                    m["prosa"] = nav.evaluar(PROSA_SIN_ATAR)
                if nombre == "comparativo" and ancho != 1000:
                    m["medianas"] = nav.evaluar(MEDIANAS)
                if nombre != "comparativo" and ancho != 1000:
                    m["boton"] = nav.evaluar(BOTON)
                salida[nombre, ancho] = m
    print(f"capturas en {carpeta}")
    return salida


# ------------------------------------------------------------------------------------------
# 1. Wide tables at 1280 px; a cue where a narrower window hides columns
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", [*CARPETAS_LOTE, "ags"])
def test_every_table_fits_a_1280_page_and_nothing_breaks_inside_a_figure_date_or_chip(medidas, nombre):
    tablas = medidas[nombre, 1280]["tablas"]
    assert len(tablas) > 20
    for t in tablas:
        assert t["scroll"] <= t["client"], t           # no column hidden to the right
        assert t["ocultas"] == [], t                     # every column header inside the box
        assert t["partidas"] == [], t                    # no chip, date or figure on two lines
    clases = {t["clase"] for t in tablas}
    assert "tabla anexo4 densa" in clases, clases
    if nombre != "ags":     # the published workbook's follow-up leaves some columns empty: fewer than ten
        assert "tabla seguimiento densa" in clases, clases


def test_a_table_wider_than_a_narrow_desktop_window_fades_where_it_hides_columns(medidas):
    sombras = [s for c in CARPETAS_LOTE for s in medidas[c, 1000]["sombras"]]
    desbordan = [s for s in sombras if s["desborda"]]
    assert any("seguimiento" in s["clase"] for s in desbordan)    # at 1000 px the follow-up scrolls
    for s in desbordan:
        assert s["inicio"] == ["0px", "48px"], s       # at the start: the right edge fades
        assert s["fin"] == ["48px", "0px"], s          # scrolled to the end: the left edge
    for s in sombras:
        if not s["desborda"]:
            assert s["inicio"] == s["fin"] == ["0px", "0px"], s   # a table that fits: no fade


# ------------------------------------------------------------------------------------------
# 2. Links to the index, the comparison and the annexes
# ------------------------------------------------------------------------------------------


def _resuelven(pagina: Path, enlaces: list[str]) -> list[str]:
    return [h for h in enlaces if not (pagina.parent / unquote(h.split("#")[0])).is_file()]


@pytest.mark.parametrize("carpeta", CARPETAS_LOTE)
def test_a_state_page_of_a_batch_links_to_index_comparison_and_its_annexes(medidas, paginas, carpeta):
    e = medidas[carpeta, 1280]["enlaces"]
    assert [h for h, _ in e["arriba"]] == ["../index.html", "../comparativo.html", "anexos.xlsx", "anexos.docx"]
    assert e["primero"] == "enlaces-pagina"            # at the top of the page
    assert _resuelven(paginas[carpeta], e["todos"]) == []


def test_the_single_report_links_only_to_the_files_beside_it(medidas, paginas):
    e = medidas["ags", 1280]["enlaces"]
    carpeta = paginas["ags"].parent
    assert not (carpeta.parent / "index.html").exists() and not (carpeta.parent / "comparativo.html").exists()
    assert [h for h, _ in e["arriba"]] == ["anexos.xlsx", "anexos.docx"]
    assert _resuelven(paginas["ags"], e["todos"]) == []


def test_the_comparison_links_back_to_the_index(medidas, paginas):
    e = medidas["comparativo", 1280]["enlaces"]
    assert [h for h, _ in e["arriba"]] == ["index.html"]
    assert _resuelven(paginas["comparativo"], e["todos"]) == []


def test_links_are_decided_by_what_is_on_disk_or_what_the_batch_writes(tmp_path):
    fondo = tmp_path / "2024" / "FASSA"
    carpeta = fondo / ".tmp-04-campeche-1"
    carpeta.mkdir(parents=True)
    assert cuaderno.enlaces_informe(carpeta) == []
    (carpeta / "anexos.xlsx").write_bytes(b"x")
    assert [h for h, _ in cuaderno.enlaces_informe(carpeta)] == ["anexos.xlsx"]
    assert [h for h, _ in cuaderno.enlaces_informe(carpeta, en_lote=True)] == [
        "../index.html", "../comparativo.html", "anexos.xlsx"]
    (fondo / "index.html").write_text("<html></html>", encoding="utf-8")   # a batch or `site` left one
    assert [h for h, _ in cuaderno.enlaces_informe(carpeta)] == ["../index.html", "anexos.xlsx"]
    assert cuaderno.enlaces_comparativo(fondo) == [("index.html", cuaderno.TEXTO_INDICE)]
    assert cuaderno.enlaces_comparativo(tmp_path) == []


# ------------------------------------------------------------------------------------------
# 3. The national median in the phone cards
# ------------------------------------------------------------------------------------------


def test_each_phone_card_of_the_comparison_shows_the_national_median(medidas):
    m = medidas["comparativo", 390]["medianas"]
    assert not m["cabecera_visible"]                    # the header (with the medians) is hidden on a phone
    assert len(m["celdas"]) == 32 * len(m["medianas"])
    for celda in m["celdas"]:
        assert celda["vistas"] == [m["medianas"][celda["columna"]]], celda
    escritorio = medidas["comparativo", 1280]["medianas"]
    assert escritorio["cabecera_visible"] and escritorio["medianas"] == m["medianas"]   # said once, in the header
    assert all(c["vistas"] == [] for c in escritorio["celdas"])


# ------------------------------------------------------------------------------------------
# 4. A figure and its unit on one line
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", [*CARPETAS_LOTE, "comparativo", "ags"])
def test_no_figure_is_split_from_its_unit_on_a_phone(medidas, nombre):
    assert medidas[nombre, 390]["cortes"] == []
    assert medidas[nombre, 390]["prosa"] == []


def test_prose_binds_figures_to_their_units():
    assert presentacion.atar("llega a 100 %; 0.05 puntos porcentuales, 845 días y 1 peso") == \
        "llega a 100\u00a0%; 0.05\u00a0puntos porcentuales, 845\u00a0días y 1\u00a0peso"
    assert presentacion.prosa("<b>90.00 %</b>") == "&lt;b&gt;90.00\u00a0%&lt;/b&gt;"
    assert presentacion.atar("0.01 unidades del indicador") == "0.01\u00a0unidades del indicador"
    assert presentacion.atar("Anexo 4 del año 2024") == "Anexo 4 del año 2024"
    nota = str(presentacion.nota("con avance promedio de 90.00 %; 845 días vencido"))
    assert "90.00\u00a0%" in nota and "845\u00a0días" in nota


# ------------------------------------------------------------------------------------------
# 5. The «↑ Contenido» button
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["04-campeche", "ags"])
@pytest.mark.parametrize("ancho", [1280, 390])
def test_the_contents_button_covers_no_text(medidas, nombre, ancho):
    b = medidas[nombre, ancho]["boton"]
    caja = b["contenido"]
    assert b["boton"]["right"] <= ancho
    assert b["boton"]["left"] >= caja["right"] or b["boton"]["right"] <= caja["left"], b   # in the margin
    assert b["tapadas"] == [], b["tapadas"][:5]


# ------------------------------------------------------------------------------------------
# 6. Number agreement
# ------------------------------------------------------------------------------------------


def test_counts_and_units_agree_in_number(paginas):
    texto = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", paginas["ags"].read_text(encoding="utf-8"))).replace("\u00a0", " ")
    assert "La auditoría de cifras encontró 38 errores, 6 advertencias y 0 notas informativas." in texto
    assert "error(es)" not in texto and "advertencia(s)" not in texto and "nota(s)" not in texto
    assert re.search(r"«monto»\)\s+1[\s\u00a0]peso\b", texto) and not re.search(r"1[\s\u00a0]pesos", texto)
    frases = presentacion.lecturas_clave({"hallazgos": {"error": 1, "advertencia": 1, "info": 1}})
    assert frases[-1] == "La auditoría de cifras encontró 1 error, 1 advertencia y 1 nota informativa."
    assert presentacion.unidad_en_numero(1.0, "puntos porcentuales") == "punto porcentual"
    assert presentacion.unidad_en_numero(0.05, "puntos porcentuales") == "puntos porcentuales"
    assert presentacion.unidad_en_numero(1, "por ciento") == "por ciento"
