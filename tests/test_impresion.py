"""``anexos.docx`` and ``anexos.xlsx`` as LibreOffice prints them: no amount, share or header word broken.

Both files are rendered to PDF with LibreOffice headless (``soffice --convert-to pdf``, a private
profile) and read back with ``pdftotext -layout``. For every official annex table (the same tables
the writers print, :mod:`asm_analysis.publicacion.oficiales`), every amount and share must appear
whole on one line, and no line may hold a piece of an amount, a share or a header word that is
not a whole word of the document (``Concept`` / ``o``, ``133,102,47`` / ``1.65``).

Two reports: the shipped Aguascalientes 2024 IMSS-BIENESTAR example, and a copy of its workbook
with planted long texts, long words and amounts of hundreds of billions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from asm_analysis.publicacion import calculo, documento, oficiales, salidas
from asm_analysis.publicacion.columnas import A_LA_DERECHA

pytestmark = pytest.mark.lenta

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
LIBRO = "captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx"
TABLAS = (("anexo1", "anexo1"), ("anexo2", "anexo2"), ("anexo2_fundamento", "anexo2"), ("anexo3", "anexo3"),
          ("anexo4", "anexo4"), ("anexo5", "anexo5"), ("anexo7", "anexo7"))
_ESPACIOS = re.compile(r"[ \u00a0]+")

necesita_libreoffice = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                          reason="LibreOffice y poppler-utils no están instalados (.ci/run los instala)")


def _pdf(ruta: Path, perfil: Path) -> str:
    """The text of ``ruta`` rendered to PDF by LibreOffice, one string per line, spaces collapsed."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{perfil}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(ruta.parent), str(ruta)], check=True, capture_output=True, timeout=300)
    pdf = ruta.with_suffix(".pdf")
    texto = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           timeout=120).stdout.decode("utf-8")
    return texto.replace("\u2060", "")  # the word joiner that keeps a sign with its amount


#: How the title of a table of the workbook begins.
_TITULO_DE_TABLA = re.compile(r"^(Anexo \d+\. Tabla \d+|Resumen por regla|Detalle por anexo)")
#: A negative amount as running text writes it.
_NEGATIVO = re.compile(r"-\$[\d,]+\.\d\d")


def _esperado(c: calculo.Calculo, excel: bool) -> tuple[set[str], set[str], set[str]]:
    """(figures, header words, every word of the printed cells) of the official annex tables."""
    cifras, palabras, vocabulario = set(), set(), set()
    for nombre, anexo in TABLAS:
        tabla = oficiales.construir(nombre, getattr(c.impresos, anexo), c.datos.ciclo)
        columnas = tabla.columnas(c.datos.ciclo)
        for clave, etiqueta, tipo in columnas:
            palabras.update(etiqueta.split())
            vocabulario.update(etiqueta.split())
            for valor in tabla.filas[clave].tolist():
                texto = documento.texto_celda(valor, tipo).replace("\u00a0", " ")
                if excel and tipo == "dinero":
                    texto = texto.replace("$ ", "")
                vocabulario.update(texto.split())
                if tipo in A_LA_DERECHA and texto:
                    cifras.add(texto)
    # a negative amount in running text (a finding's message, a mark's line) never breaks after its sign
    textos = [*c.anexos.hallazgos["mensaje"].astype(str), *oficiales.nota_marcas(c.marcas, c.cifras)]
    negativos = {m for t in textos for m in _NEGATIVO.findall(t)}
    cifras.update(negativos)  # each must print whole on one line
    vocabulario.update(n[1:] for n in negativos)  # its amount printed alone is a figure too (a difference)
    return cifras, palabras, vocabulario


def _palabras_docx(ruta: Path) -> set[str]:
    """Every word of the Word file (paragraphs and cells, runs joined as the reader sees them)."""
    from docx import Document
    from docx.oxml.ns import qn

    palabras = set()
    for p in Document(str(ruta)).element.body.iter(qn("w:p")):
        palabras.update("".join(t.text or "" for t in p.iter(qn("w:t"))).replace("\u00a0", " ").split())
    return palabras


def _palabras_xlsx(ruta: Path) -> set[str]:
    """Every word of the workbook: texts, and numbers as their formats show them."""
    palabras = set()
    for ws in load_workbook(ruta):
        for fila in ws.iter_rows():
            for celda in fila:
                v = celda.value
                if isinstance(v, str):
                    palabras.update(v.split())
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    palabras.update({f"{v:,.2f}", f"{v:.2f}", str(v), f"{v:,.0f}"})
                    marca = re.search(r'" (\[[\d,]+\])"', celda.number_format or "")
                    if marca:
                        palabras.add(marca.group(1))
    return palabras


def _revisar(texto: str, cifras: set[str], palabras: set[str], vocabulario: set[str]) -> None:
    lineas = [_ESPACIOS.sub(" ", linea.strip()) for linea in texto.splitlines()]
    todo = "\n".join(lineas)
    faltan = sorted(x for x in cifras if x not in todo)
    assert not faltan, f"cifras que no aparecen enteras en una línea: {faltan[:10]}"
    piezas = [p for p in {*cifras, *palabras} if len(p) > 1]
    rotas = []
    for token in {t for linea in lineas for t in linea.split(" ")}:
        if len(token) < 2 or token in vocabulario:
            continue
        for pieza in piezas:
            if pieza != token and (pieza.startswith(token) or pieza.endswith(token)):
                rotas.append((token, pieza))
                break
    assert not rotas, f"piezas de cifras o de palabras de encabezado partidas entre líneas: {rotas[:10]}"


#: How a table's source line or its marks note begins: a page of the Word file never opens with one.
_PIE_DE_TABLA = re.compile(r"^(Fuente: |Cifras (recalculadas|reportadas) |Marcas: )")


def _paginas_que_abren_con_un_pie(texto: str) -> list[tuple[int, str]]:
    """(page, first line) of every page whose first line is a table's source line or marks note: the
    table left on the page before."""
    primeras = [next((linea.strip() for linea in pagina.splitlines() if linea.strip()), "")
                for pagina in texto.split("\f")]
    return [(k, linea[:80]) for k, linea in enumerate(primeras, start=1) if _PIE_DE_TABLA.match(linea)]


#: A page's footer line (what the report is, the page's number): not a piece of a figure.
_PIE_DE_PAGINA = re.compile(r"^.*Anexos EED .*[Pp]ágina \d+ de \d+ *$", re.MULTILINE)


def _numeradas(texto: str, palabra: str) -> None:
    """Every printed page ends with the report it belongs to and «<palabra> k de N», k its own number."""
    paginas = [p for p in texto.split("\f") if p.strip()]
    for k, pagina in enumerate(paginas, start=1):
        pie = [linea for linea in pagina.splitlines() if linea.strip()][-1]
        assert "Anexos EED IMSS-BIENESTAR 2024 · Aguascalientes" in pie, (k, pie)
        assert re.search(rf"{palabra} {k} de {len(paginas)}$", pie.strip()), (k, pie)


def _plantado(destino: Path) -> Path:
    """A copy of data/raw whose workbook carries long texts, long words and huge amounts."""
    shutil.copytree(RAW, destino / "raw")
    ruta = destino / "raw" / LIBRO
    wb = load_workbook(ruta)
    ws = wb["destino"]
    for fila in range(2, 6):
        for col in range(4, 9):
            ws.cell(row=fila, column=col).value = f"$ {987_654_321_098 + fila * 1_111 + col:,}.76"
    ws = wb["concurrencia"]
    ws.cell(row=2, column=2).value = "Fondo de Aportaciones para los Servicios de Salud extraordinarísimo-interinstitucional"
    ws.cell(row=2, column=3).value = "123,456,789,012"
    ws = wb["indicadores"]
    ws.cell(row=2, column=3).value = ("Porcentaje de establecimientos desconcentrados-interinstitucionales con "
                                      "electrocardiografía telemedicina y otorrinolaringología certificadas") * 2
    ws.cell(row=2, column=7).value = "123456789.25"
    ws = wb["foda"]
    ws.cell(row=2, column=2).value = ("Fortaleza anticonstitucionalmente documentada y desproporcionadamente "
                                      "extensa " * 40).strip()
    ws.cell(row=3, column=4).value = "Recomendación-sin-espacios-que-ocupa-muchísimo-ancho " * 10
    wb.save(ruta)
    return destino


@pytest.fixture(scope="module")
def perfil(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("perfil_libreoffice")


@necesita_libreoffice
@pytest.mark.parametrize("modo", ["recalculadas", "reportadas"])
@pytest.mark.parametrize("origen", ["publicado", "plantado"])
def test_ninguna_cifra_ni_palabra_de_encabezado_se_parte(origen, modo, tmp_path, perfil):
    data_dir = tmp_path / "data"
    if origen == "publicado":
        shutil.copytree(RAW, data_dir / "raw")
    else:
        _plantado(data_dir)
    c = calculo.calcular(data_dir, "Aguascalientes", 2024, "IMSS-BIENESTAR", cifras=modo)
    assert not c.marcas.empty  # marked cells (a superscript number in Word, «[n]» in Excel) are rendered too
    if origen == "plantado":
        assert c.anexos.anexo1["aprobado"].max() > 9e11  # the planted amounts reached the annex
    docx = documento.escribir_docx(c, tmp_path / "anexos.docx")
    xlsx = salidas.escribir_excel(c, tmp_path / "anexos.xlsx")
    cifras, encabezados, vocabulario = _esperado(c, excel=False)
    texto = _pdf(docx, perfil)
    _numeradas(texto, "Página")
    texto = _PIE_DE_PAGINA.sub("", texto)
    _revisar(texto, cifras, encabezados, vocabulario | _palabras_docx(docx))
    assert texto.count("\f") >= 10  # pages, as pdftotext separates them
    if origen == "publicado":
        # LibreOffice keeps a table with the line under it by moving the whole table, so only when the table
        # fits a page (Word also moves the last row of a longer one); the planted texts make multi-page tables
        assert not _paginas_que_abren_con_un_pie(texto), "un pie de tabla quedó solo al abrir una página"

    cifras, encabezados, vocabulario = _esperado(c, excel=True)
    texto = _pdf(xlsx, perfil)
    _numeradas(texto, "página")
    texto = _PIE_DE_PAGINA.sub("", texto)
    _revisar(texto, cifras, encabezados, vocabulario | _palabras_xlsx(xlsx))
    # no table's title closes a page with its header and rows on the next (the Hallazgos detail did)
    ultimas = [[linea.strip() for linea in p.splitlines() if linea.strip()][-1] for p in texto.split("\f") if p.strip()]
    assert not [u for u in ultimas if _TITULO_DE_TABLA.match(u)], ultimas
    # the rows of Anexo 2's legal-basis table print under their own header, never under the repeated
    # header of Anexo 2's first table (Excel repeats one header row on every page of a sheet)
    leyes = [str(v)[:20] for v in oficiales.construir("anexo2_fundamento", c.impresos.anexo2,
                                                      c.datos.ciclo).filas["fundamento_legal"] if str(v).strip()]
    paginas = [p for p in texto.split("\f") if any(v in _ESPACIOS.sub(" ", p) for v in leyes)]
    assert paginas and all("Fundamento legal" in p and "% que representa" not in p for p in paginas)
