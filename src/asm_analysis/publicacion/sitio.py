"""``site``: index pages built from the reports that succeeded, as found on disk.

``<out>/index.html`` lists every ciclo and fondo with its number of state reports;
``<out>/<ciclo>/<fondo>/index.html`` has one row per state whose folder holds a
``manifest.json`` with ``estado: "ok"`` and at least ``informe.html`` or ``anexos.xlsx``,
with the headline figures of that manifest and relative links to the report, the workbook
and, when it exists, the national comparison ``comparativo.html``. The last batch's
failures (``_lote.json``) are listed below the table.

Pages are self-contained like the reports (inline CSS, no scripts, no external address),
in Spanish; every text that comes from a manifest is HTML-escaped. Their content depends
only on what is on disk (ordered by ciclo, fondo and ``cve_ent``), and a page is rewritten
only when its content changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from asm_analysis.comun.archivos import escribir_atomico
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.comun.formatos import esc
from asm_analysis.entradas import catalogos
from asm_analysis.publicacion import presentacion
from asm_analysis.publicacion.columnas import TABLAS

ARCHIVO_LOTE = "_lote.json"
COMPARATIVO = "comparativo.html"
_CARPETA_ESTADO = re.compile(r"^(\d{2})-[a-z0-9-]+$")

#: Semáforo bands in display order: (key in the manifest, label); chips styled as in the report.
BANDAS_SEMAFORO = (
    ("Verde", "Verde"), ("Amarillo", "Amarillo"), ("Rojo", "Rojo"),
    ("Sobrecumplimiento", "Sobrecumplimiento"), ("Sin valor", "Sin valor"),
)


# --------------------------------------------------------------------------- formatting


def dinero(valor: object) -> str:
    """``$1,234,567.89`` (``-$1,000.00`` for negatives, ``—`` when unknown), as in the reports."""
    return presentacion.pesos(valor)


def porcentaje(valor: object) -> str:
    """``50.14 %`` (``—`` when unknown), as in the reports."""
    return presentacion.pct(valor)


def _entero(valor: object) -> int:
    x = presentacion.cifra(valor)
    return int(x) if x is not None else 0


def _momento(valor: object) -> str:
    """``2025-10-01T16:00:00+00:00`` → ``01/10/2025 10:00 (hora del centro de México)``: in central
    Mexico's time, whatever zone the manifest was written in (the text as is if it is not a date)."""
    from asm_analysis.comun.formatos import NOMBRE_ZONA, hora_de_mexico

    try:
        momento = dt.datetime.fromisoformat(str(valor))
    except ValueError:
        return "" if valor is None else str(valor)
    return f"{hora_de_mexico(momento):%d/%m/%Y %H:%M} ({NOMBRE_ZONA})"


def _enlace(ruta: str) -> str:
    """A relative link, percent-encoded and escaped for an attribute."""
    return esc(quote(ruta, safe="/-_.~"))


# --------------------------------------------------------------------------- reading


@dataclass
class Informe:
    """One state report listed in an index, from its manifest."""

    carpeta: str                   # folder name, e.g. "01-aguascalientes"
    cve_ent: str
    estado: str
    manifiesto: dict
    tiene_html: bool
    tiene_xlsx: bool
    tiene_docx: bool = False

    @property
    def resumen(self) -> dict:
        r = self.manifiesto.get("resumen")
        return r if isinstance(r, dict) else {}

    @property
    def demo(self) -> bool:
        return bool(self.manifiesto.get("demo") or self.resumen.get("demo"))


@dataclass
class Fondo:
    """One ``<ciclo>/<fondo>`` folder: its reports, the last batch's failures, the comparison page."""

    ciclo: str
    fondo: str
    carpeta: Path
    informes: list[Informe] = field(default_factory=list)
    fallas: list[dict] = field(default_factory=list)
    comparativo: bool = False

    @property
    def demo(self) -> bool:
        return any(i.demo for i in self.informes)


def _leer_json(ruta: Path) -> dict | None:
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return datos if isinstance(datos, dict) else None


def leer_informe(carpeta: Path) -> Informe | None:
    """The report in ``carpeta`` if it succeeded and has something to link to, else None."""
    m = _CARPETA_ESTADO.match(carpeta.name)
    if not m or not carpeta.is_dir():
        return None
    manifiesto = _leer_json(carpeta / "manifest.json")
    if not manifiesto or manifiesto.get("estado") != "ok":
        return None
    tiene_html = (carpeta / "informe.html").is_file()
    tiene_xlsx = (carpeta / "anexos.xlsx").is_file()
    if not (tiene_html or tiene_xlsx):
        return None
    parametros = manifiesto.get("parametros") if isinstance(manifiesto.get("parametros"), dict) else {}
    cve = str(parametros.get("cve_ent") or m.group(1))
    nombre = parametros.get("estado")
    if not nombre:
        try:
            nombre = catalogos.resolver_estado(cve).nombre
        except ErrorEntrada:
            nombre = carpeta.name
    return Informe(carpeta.name, cve, str(nombre), manifiesto, tiene_html, tiene_xlsx,
                   (carpeta / "anexos.docx").is_file())


def leer_fondo(carpeta: Path) -> Fondo:
    """Reports found under ``<out>/<ciclo>/<fondo>``, ordered by ``cve_ent``."""
    f = Fondo(ciclo=carpeta.parent.name, fondo=carpeta.name, carpeta=carpeta)
    for sub in sorted(p for p in carpeta.iterdir() if p.is_dir() and not p.name.startswith(".")):
        informe = leer_informe(sub)
        if informe:
            f.informes.append(informe)
    f.informes.sort(key=lambda i: (i.cve_ent, i.carpeta))
    lote = _leer_json(carpeta / ARCHIVO_LOTE) or {}
    fallas = lote.get("fallas")
    if isinstance(fallas, list):
        f.fallas = sorted((x for x in fallas if isinstance(x, dict)), key=lambda x: str(x.get("cve_ent", "")))
    f.comparativo = (carpeta / COMPARATIVO).is_file()
    return f


def encontrar(out: Path) -> list[Fondo]:
    """Every ``<ciclo>/<fondo>`` folder under ``out`` holding reports or a batch record."""
    out = Path(out)
    fondos = []
    if not out.is_dir():
        return fondos
    for ciclo in sorted((p for p in out.iterdir() if p.is_dir() and p.name.isdigit()),
                        key=lambda p: int(p.name), reverse=True):
        for carpeta in sorted(p for p in ciclo.iterdir() if p.is_dir() and not p.name.startswith(".")):
            f = leer_fondo(carpeta)
            if f.informes or f.fallas or f.comparativo or (carpeta / ARCHIVO_LOTE).is_file():
                fondos.append(f)
    return fondos


# --------------------------------------------------------------------------- pages

#: Headers of each index table (:data:`~asm_analysis.publicacion.columnas.TABLAS`), also the labels a
#: phone shows on each card (nth-child order).
COLUMNAS_TABLAS: dict[str, tuple[str, ...]] = {
    clase: tuple(c.etiqueta for c in TABLAS[tabla])
    for clase, tabla in (("tabla-estados", "indice_estados"), ("tabla-fondos", "indice_fondos"),
                         ("tabla-fallas", "indice_fallas"))
}


def _cabecera(clase: str) -> str:
    """The ``<thead>`` of an index table."""
    return "<thead><tr>" + "".join(f"<th>{esc(e)}</th>" for e in COLUMNAS_TABLAS[clase]) + "</tr></thead>\n"


def _css_informe() -> str:
    """The report's own stylesheet (``plantillas/asm_informe/informe.css``): one theme for all pages."""
    return presentacion.hoja_de_pagina() + presentacion.hoja_de_estilo()


def _css_indices() -> str:
    """The report theme, applied to the index tables, plus phone cards labelled by column."""
    etiquetas = "\n".join(
        f'  .{clase} td:nth-child({i})::before {{ content: "{etq}"; }}'
        for clase, columnas in COLUMNAS_TABLAS.items() for i, etq in enumerate(columnas, start=1))
    return _css_informe() + """
/* Index pages: the report's table style on plain tables, links that read as links. */
.tabla-contenedor table { width: 100%; border-collapse: collapse; font-size: .86rem; font-variant-numeric: tabular-nums; }
.tabla-contenedor caption { caption-side: top; text-align: left; font-weight: 700; color: var(--marino); padding: .2rem 0 .45rem; }
.tabla-contenedor th { background: var(--marino); color: #fff; font-weight: 600; text-align: left; vertical-align: bottom; padding: .42rem .5rem; border: 1px solid var(--marino); }
.tabla-contenedor td { padding: .35rem .5rem; border: 1px solid #e4e7eb; vertical-align: top; }
.tabla-contenedor tbody tr:nth-child(even) td { background: #f9fbfd; }
.tabla-contenedor td.num { text-align: right; white-space: nowrap; }
.tabla-contenedor a { font-weight: 600; text-decoration: underline; text-underline-offset: 2px; }
.tabla-contenedor .chips { margin: 0; }
.demo { display: inline-block; background: #fff4c2; color: #4d3800; border: 1px solid #b58900; border-radius: .3rem; padding: .05rem .4rem; font-size: .8rem; font-weight: 600; }
.error { color: #8a3200; font-weight: 600; }
.advertencia { color: #5c5200; }
.nota-indice { color: var(--tinta-suave); font-size: .85rem; }
nav.migas a { display: inline-block; padding: .3rem 0; font-weight: 600; }
@media (max-width: 700px) {
  .tabla-contenedor table, .tabla-contenedor tbody, .tabla-contenedor tr, .tabla-contenedor td, .tabla-contenedor caption { display: block; width: 100%; }
  .tabla-contenedor thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .tabla-contenedor tr { margin: 0 0 .7rem; border: 1px solid var(--linea); border-radius: 6px; overflow: hidden; }
  .tabla-contenedor td { display: grid; grid-template-columns: minmax(6.5rem, 40%) 1fr; gap: .5rem; border: 0; border-bottom: 1px solid #eef1f4; overflow-wrap: anywhere; }
  .tabla-contenedor td.num { text-align: left; }
  .tabla-contenedor td::before { font-weight: 600; color: var(--tinta-suave); white-space: normal; }
  .tabla-contenedor tbody tr:nth-child(even) td { background: #fff; }
  .tabla-contenedor a { display: inline-block; padding: .35rem 0; font-size: 1rem; }
""" + etiquetas + "\n}\n"


_PAGINA = """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{titulo}</title>
<style>{css}</style>
</head>
<body class="asm-informe">
<main class="pagina">
<header class="portada">
<p class="antetitulo">Evaluación Específica del Desempeño · Índice de informes</p>
<h1>{titulo}</h1>
{subtitulo}
</header>
{cuerpo}
<footer class="pie-pagina">{pie}</footer>
</main>
</body>
</html>
"""

_ETIQUETA_DEMO = '<span class="demo">Datos demo sintéticos</span>'


def _pagina(titulo: str, subtitulo: str, cuerpo: str, pie: str) -> str:
    return _PAGINA.format(titulo=esc(titulo), subtitulo=subtitulo, cuerpo=cuerpo, pie=pie, css=_css_indices())


def _nombre_fondo(clave: str) -> str:
    try:
        return catalogos.resolver_fondo(clave).nombre
    except ErrorEntrada:
        return ""


def _insignias_semaforo(semaforo: object) -> str:
    """The report's semáforo chips (colour, shape and word): ``● Verde: 3``."""
    if not isinstance(semaforo, dict) or not any(_entero(v) for v in semaforo.values()):
        return "—"
    partes = []
    for clave, etiqueta in BANDAS_SEMAFORO:
        n = _entero(semaforo.get(clave))
        if n:
            clase = presentacion.CLASES_SEMAFORO.get(clave, "gris")
            partes.append(f'<span class="chip chip-{clase}"><span aria-hidden="true">'
                          f"{presentacion.ICONOS.get(clase, '●')}</span> {esc(etiqueta)}: {n}</span>")
    return f'<div class="chips">{"".join(partes)}</div>'


def _hallazgos(h: object) -> str:
    h = h if isinstance(h, dict) else {}
    err, adv, inf = (_entero(h.get(s)) for s in ("error", "advertencia", "info"))
    clase_err = ' class="error"' if err else ""
    clase_adv = ' class="advertencia"' if adv else ""
    return (f"<span{clase_err}>{err} error{'es' if err != 1 else ''}</span><br>"
            f"<span{clase_adv}>{adv} advertencia{'s' if adv != 1 else ''}</span><br>"
            f"<span class=\"nota-indice\">{inf} informativo{'s' if inf != 1 else ''}</span>")


def _fila_estado(i: Informe, fallo: dict | None, marcar_demo: bool = True) -> str:
    """One state's row; ``marcar_demo``: label the row as demo (not when the whole page says so once)."""
    r = i.resumen
    asm = r.get("asm") if isinstance(r.get("asm"), dict) else {}
    enlaces = []
    if i.tiene_html:
        enlaces.append(f'<a href="{_enlace(i.carpeta + "/informe.html")}">Informe</a>')
    if i.tiene_xlsx:
        enlaces.append(f'<a href="{_enlace(i.carpeta + "/anexos.xlsx")}">Anexos (Excel)</a>')
    if i.tiene_docx:
        enlaces.append(f'<a href="{_enlace(i.carpeta + "/anexos.docx")}">Anexos (Word)</a>')
    nombre = f"{esc(i.estado)}"
    if i.demo and marcar_demo:
        nombre += f"<br>{_ETIQUETA_DEMO}"
    if fallo:
        nombre += ("<br><span class=\"nota-indice\">El último lote falló para este estado; se muestra el informe "
                   "anterior.</span>")
    generado = esc(_momento(i.manifiesto.get("generado")))
    return (
        "<tr>"
        f"<td>{esc(i.cve_ent)}</td>"
        f"<td><div>{nombre}</div></td>"
        f'<td class="num">{dinero(r.get("modificado"))}</td>'
        f'<td class="num">{dinero(r.get("devengado"))}</td>'
        f'<td class="num">{porcentaje(r.get("pct_ejercido"))}</td>'
        f"<td>{_insignias_semaforo(r.get('semaforo'))}</td>"
        f'<td class="num">{_entero(asm.get("Vencido"))}</td>'
        f"<td><div>{_hallazgos(r.get('hallazgos'))}</div></td>"
        f"<td><div>{' · '.join(enlaces)}<br><span class=\"nota-indice\">Generado {generado}</span></div></td>"
        "</tr>"
    )


def pagina_fondo(f: Fondo) -> str:
    """HTML of ``<out>/<ciclo>/<fondo>/index.html``."""
    nombre_fondo = _nombre_fondo(f.fondo)
    titulo = f"{f.fondo} {f.ciclo}: informes por estado"
    sub = [f'<p class="subtitulo">{esc(nombre_fondo)}</p>' if nombre_fondo else ""]
    sub.append('<nav class="migas"><a href="../../index.html">← Todos los ciclos y fondos</a></nav>')
    cuerpo = []
    if f.demo:
        quienes = ("Todos los informes de esta página usan" if all(i.demo for i in f.informes)
                   else "Los informes marcados usan")
        cuerpo.append(f"<p>{_ETIQUETA_DEMO} {quienes} datos demo sintéticos: sus cifras no son oficiales.</p>")
    if f.comparativo:
        cuerpo.append(f'<p><a href="{_enlace(COMPARATIVO)}">Comparativo nacional de los estados</a></p>')
    fallas_por_cve = {str(x.get("cve_ent", "")): x for x in f.fallas}
    if f.informes:
        todos_demo = all(i.demo for i in f.informes)
        filas = "\n".join(_fila_estado(i, fallas_por_cve.get(i.cve_ent), marcar_demo=not todos_demo)
                          for i in f.informes)
        cuerpo.append(
            '<div class="tabla-contenedor tabla-estados"><table>\n'
            f"<caption>{len(f.informes)} informe{'s' if len(f.informes) != 1 else ''} "
            f"estatal{'es' if len(f.informes) != 1 else ''}</caption>\n"
            + _cabecera("tabla-estados") +
            f"<tbody>\n{filas}\n</tbody>\n</table></div>")
        cuerpo.append("<p class=\"nota-indice\">% ejercido = devengado / modificado del Anexo 1. Semáforo: número de "
                      "indicadores de la MIR en cada banda de cumplimiento. Hallazgos: diferencias y datos "
                      "faltantes encontrados al recalcular las cifras reportadas.</p>")
    else:
        cuerpo.append("<p>Aún no hay informes estatales terminados para este ciclo y fondo.</p>")
    if f.fallas:
        filas = "\n".join(
            f"<tr><td>{esc(x.get('cve_ent', ''))}</td><td>{esc(x.get('estado', ''))}</td>"
            f"<td>{esc(x.get('motivo', ''))}</td></tr>" for x in f.fallas)
        cuerpo.append(
            '<h2>Estados con error en el último lote</h2>\n<div class="tabla-contenedor tabla-fallas"><table>\n'
            + _cabecera("tabla-fallas") +
            f"<tbody>\n{filas}\n</tbody>\n</table></div>")
    versiones = sorted({str(i.manifiesto.get("version", "")) for i in f.informes} - {""})
    pie = "Generado con asm-analysis" + (f" {esc(', '.join(versiones))}" if versiones else "") + \
          " a partir de los manifiestos de cada informe."
    return _pagina(titulo, "\n".join(s for s in sub if s), "\n".join(cuerpo), pie)


def pagina_indice(fondos: list[Fondo]) -> str:
    """HTML of ``<out>/index.html``: every ciclo and fondo with its number of states."""
    cuerpo = []
    if not fondos:
        cuerpo.append("<p>Aún no hay informes. Genérelos con <code>asm-analysis batch</code> o "
                      "<code>asm-analysis report</code>.</p>")
    todos_demo = bool(fondos) and all(f.demo for f in fondos)
    if todos_demo:
        cuerpo.append(f"<p>{_ETIQUETA_DEMO} Todos los informes de este sitio usan datos demo sintéticos: sus "
                      "cifras no son oficiales.</p>")
    for ciclo in dict.fromkeys(f.ciclo for f in fondos):
        filas = []
        for f in (x for x in fondos if x.ciclo == ciclo):
            base = f"{f.ciclo}/{f.fondo}/"
            enlaces = [f'<a href="{_enlace(base + "index.html")}">Informes por estado</a>']
            if f.comparativo:
                enlaces.append(f'<a href="{_enlace(base + COMPARATIVO)}">Comparativo nacional</a>')
            nombre = esc(_nombre_fondo(f.fondo))
            if f.demo and not todos_demo:
                nombre += f" {_ETIQUETA_DEMO}"
            errores = f'<span class="error">{len(f.fallas)}</span>' if f.fallas else "0"
            filas.append(
                f"<tr><td>{esc(f.fondo)}</td><td>{nombre}</td><td class=\"num\">{len(f.informes)}</td>"
                f"<td class=\"num\">{errores}</td><td><div>{' · '.join(enlaces)}</div></td></tr>")
        cuerpo.append(
            f'<h2>Ciclo {esc(ciclo)}</h2>\n<div class="tabla-contenedor tabla-fondos"><table>\n'
            + _cabecera("tabla-fondos") +
            f"<tbody>\n{chr(10).join(filas)}\n</tbody>\n</table></div>")
    return _pagina("Evaluación Específica del Desempeño: informes estatales",
                   '<p class="subtitulo">Anexos, hallazgos de auditoría y seguimiento de ASM por ciclo, fondo y '
                   "estado.</p>",
                   "\n".join(cuerpo), "Generado con asm-analysis a partir de los manifiestos de cada informe.")


def construir_sitio(out: str | Path) -> list[Path]:
    """Write ``<out>/index.html`` and one ``index.html`` per ciclo and fondo; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fondos = encontrar(out)
    paginas = []
    for f in fondos:
        ruta = f.carpeta / "index.html"
        escribir_atomico(ruta, pagina_fondo(f), si_cambia=True)
        paginas.append(ruta)
    ruta = out / "index.html"
    escribir_atomico(ruta, pagina_indice(fondos), si_cambia=True)
    paginas.insert(0, ruta)
    return paginas
