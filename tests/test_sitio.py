"""Index pages from hand-made manifests: what is listed, escaping, relative links, demo label."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from asm_analysis.publicacion.sitio import construir_sitio, dinero, porcentaje


def _informe(out: Path, carpeta: str, *, estado: str, cve: str, ciclo: int = 2024, fondo: str = "FASSA",
             archivos=("informe.html", "anexos.xlsx"), demo: bool = False, estatus: str = "ok",
             **resumen) -> Path:
    destino = out / str(ciclo) / fondo / carpeta
    destino.mkdir(parents=True)
    for nombre in archivos:
        (destino / nombre).write_bytes(b"x")
    manifiesto = {
        "herramienta": "asm-analysis", "version": "0.1.0", "estado": estatus, "generado": "2025-10-01T10:00:00-06:00",
        "parametros": {"estado": estado, "cve_ent": cve, "ciclo": ciclo, "fondo": fondo},
        "demo": demo,
        "resumen": {"modificado": 1234567.891, "devengado": 1000000.0, "pct_ejercido": 50.1449,
                    "semaforo": {"Verde": 3, "Amarillo": 1, "Rojo": 2, "Sobrecumplimiento": 0, "Sin valor": 0},
                    "asm": {"Atendido": 4, "En proceso": 1, "Vencido": 2, "Sin avance reportado": 0},
                    "hallazgos": {"error": 1, "advertencia": 5, "info": 0}, "demo": demo, **resumen},
    }
    (destino / "manifest.json").write_text(json.dumps(manifiesto), encoding="utf-8")
    return destino


def _filas(pagina: Path) -> list[str]:
    texto = pagina.read_text(encoding="utf-8")
    cuerpo = texto.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", cuerpo, flags=re.S)


@pytest.fixture()
def out(tmp_path) -> Path:
    out = tmp_path / "reports"
    _informe(out, "22-queretaro", estado="Querétaro", cve="22")
    _informe(out, "01-aguascalientes", estado="Aguascalientes", cve="01", archivos=("anexos.xlsx",), demo=True)
    _informe(out, "05-coahuila", estado="Coahuila <script>alert('x')</script> & Cía", cve="05")
    _informe(out, "07-chiapas", estado="Chiapas", cve="07", estatus="error")          # not ok
    _informe(out, "08-chihuahua", estado="Chihuahua", cve="08", archivos=())          # nothing to link
    _informe(out, "03-baja-california-sur", estado="BCS", cve="03", ciclo=2023, fondo="IMSS-BIENESTAR")
    (out / "2024" / "FASSA" / ".tmp-09-ciudad-de-mexico-123").mkdir()
    return out


def test_una_fila_por_informe_terminado_en_orden_de_clave(out):
    paginas = construir_sitio(out)
    assert paginas == [out / "index.html", out / "2024" / "FASSA" / "index.html",
                       out / "2023" / "IMSS-BIENESTAR" / "index.html"]
    filas = _filas(out / "2024" / "FASSA" / "index.html")
    assert [re.search(r"<td>(\d\d)</td>", f).group(1) for f in filas] == ["01", "05", "22"]
    queretaro = filas[2]
    assert 'href="22-queretaro/informe.html"' in queretaro and 'href="22-queretaro/anexos.xlsx"' in queretaro
    assert "$1,234,567.89" in queretaro and "$1,000,000.00" in queretaro and "50.14 %" in queretaro
    assert "Verde: 3" in queretaro and "Rojo: 2" in queretaro and "Sobrecumplimiento" not in queretaro
    assert "1 error</span>" in queretaro and "5 advertencias" in queretaro
    assert re.search(r'<td class="num">2</td>', queretaro)  # ASM vencidos
    assert "Generado 01/10/2025 10:00" in queretaro
    aguascalientes = filas[0]
    assert "informe.html" not in aguascalientes and 'href="01-aguascalientes/anexos.xlsx"' in aguascalientes


def test_lo_que_viene_del_manifiesto_se_escapa(out):
    construir_sitio(out)
    texto = (out / "2024" / "FASSA" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in texto
    assert "Coahuila &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cía" in texto


def test_enlaces_relativos_sin_direcciones_externas(out):
    (out / "2024" / "FASSA" / "comparativo.html").write_text("<html></html>", encoding="utf-8")
    paginas = construir_sitio(out)
    for pagina in paginas:
        texto = pagina.read_text(encoding="utf-8")
        assert "http" not in texto.lower() and "//" not in re.sub(r"<!DOCTYPE[^>]*>", "", texto)
        assert "<script" not in texto and "<link" not in texto
        for href in re.findall(r'href="([^"]+)"', texto):
            assert not href.startswith("/") and ":" not in href
            assert (pagina.parent / href).exists(), href
    raiz = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2024/FASSA/index.html"' in raiz and 'href="2024/FASSA/comparativo.html"' in raiz
    assert 'href="2023/IMSS-BIENESTAR/index.html"' in raiz
    assert "2023/IMSS-BIENESTAR/comparativo.html" not in raiz
    assert raiz.index("Ciclo 2024") < raiz.index("Ciclo 2023")
    fassa = (out / "2024" / "FASSA" / "index.html").read_text(encoding="utf-8")
    assert 'href="comparativo.html"' in fassa and 'href="../../index.html"' in fassa


def test_etiqueta_demo(out):
    construir_sitio(out)
    fassa = (out / "2024" / "FASSA" / "index.html").read_text(encoding="utf-8")
    filas = _filas(out / "2024" / "FASSA" / "index.html")
    assert "Datos demo sintéticos" in filas[0]
    assert "Datos demo sintéticos" not in filas[2]
    assert "Datos demo sintéticos" in fassa.split("<table>", 1)[0]
    imss = (out / "2023" / "IMSS-BIENESTAR" / "index.html").read_text(encoding="utf-8")
    assert "Datos demo sintéticos" not in imss
    raiz = (out / "index.html").read_text(encoding="utf-8")
    fila_fassa = next(f for f in re.findall(r"<tr>.*?</tr>", raiz, flags=re.S) if "<td>FASSA</td>" in f)
    assert "Datos demo sintéticos" in fila_fassa and '<td class="num">3</td>' in fila_fassa


def test_fallas_del_ultimo_lote_y_reescritura_solo_si_cambia(out):
    fondo = out / "2024" / "FASSA"
    (fondo / "_lote.json").write_text(json.dumps({"fallas": [
        {"estado": "Jalisco", "cve_ent": "14", "motivo": "falta la hoja <destino> & más"}]}), encoding="utf-8")
    construir_sitio(out)
    texto = (fondo / "index.html").read_text(encoding="utf-8")
    assert "Estados con error en el último lote" in texto
    assert "falta la hoja &lt;destino&gt; &amp; más" in texto
    mtime = (fondo / "index.html").stat().st_mtime_ns
    construir_sitio(out)
    assert (fondo / "index.html").stat().st_mtime_ns == mtime


def test_sin_informes(tmp_path):
    (pagina,) = construir_sitio(tmp_path / "vacio")
    assert "Aún no hay informes" in pagina.read_text(encoding="utf-8")


def test_formatos():
    assert dinero(1234567.891) == "$1,234,567.89"
    assert dinero(-1000) == "-$1,000.00"
    assert dinero(None) == dinero(float("nan")) == dinero("x") == "—"
    assert porcentaje(50.1449) == "50.14 %"
    assert porcentaje(None) == "—"


def test_tema_del_informe_y_tarjetas_en_el_telefono(out):
    from asm_analysis.publicacion.sitio import COLUMNAS_TABLAS, _css_informe

    construir_sitio(out)
    for pagina in (out / "index.html", out / "2024" / "FASSA" / "index.html"):
        texto = pagina.read_text(encoding="utf-8")
        assert _css_informe() in texto                          # the report's own stylesheet
        assert '<body class="asm-informe">' in texto and '<main class="pagina">' in texto
        assert "@media (max-width: 700px)" in texto
    fassa = (out / "2024" / "FASSA" / "index.html").read_text(encoding="utf-8")
    for i, etiqueta in enumerate(COLUMNAS_TABLAS["tabla-estados"], start=1):
        assert f'.tabla-estados td:nth-child({i})::before {{ content: "{etiqueta}"; }}' in fassa
    encabezados = re.findall(r"<th>([^<]+)</th>", fassa.split('class="tabla-contenedor tabla-estados"', 1)[1])
    assert tuple(encabezados[:9]) == COLUMNAS_TABLAS["tabla-estados"]  # phone labels match the header
    assert '<span class="chip chip-verde"><span aria-hidden="true">●</span> Verde: 3</span>' in fassa


def test_todos_demo_una_sola_etiqueta_y_enlace_al_word(tmp_path):
    out = tmp_path / "reports"
    for cve, carpeta in (("01", "01-aguascalientes"), ("22", "22-queretaro"), ("32", "32-zacatecas")):
        _informe(out, carpeta, estado=carpeta[3:].capitalize(), cve=cve, demo=True,
                 archivos=("informe.html", "anexos.xlsx", "anexos.docx"))
    construir_sitio(out)
    for pagina in (out / "index.html", out / "2024" / "FASSA" / "index.html"):
        texto = pagina.read_text(encoding="utf-8")
        assert texto.count('<span class="demo">Datos demo sintéticos</span>') == 1, pagina   # once per page
    filas = _filas(out / "2024" / "FASSA" / "index.html")
    assert len(filas) == 3
    for fila, carpeta in zip(filas, ("01-aguascalientes", "22-queretaro", "32-zacatecas")):
        assert "Datos demo" not in fila
        assert f'href="{carpeta}/anexos.docx">Anexos (Word)</a>' in fila
    # generation time in central Mexico's time, whatever zone the manifest was written in
    assert "Generado 01/10/2025 10:00 (hora del centro de México)" in filas[0]


def test_hora_del_manifiesto_en_hora_del_centro(tmp_path):
    from asm_analysis.publicacion.sitio import _momento

    assert _momento("2025-10-01T16:00:00+00:00") == "01/10/2025 10:00 (hora del centro de México)"
    assert _momento("no es fecha") == "no es fecha"
