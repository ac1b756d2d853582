"""Write the corpus of malformed inputs under ``tests/entradas_rotas/``.

Each file is a small, realistic mistake a user can make with the inputs of asm-analysis:
SHCP SRFT downloads, national CSVs in the project's format and capture workbooks. The
expected outcome of each one is listed in ``tests/test_entradas_rotas.py``.

The files are committed; run this script only to regenerate them after changing a case:

    .venv/bin/python scripts/generar_entradas_rotas.py

Output is deterministic (fixed zip timestamps and document dates), so regenerating an
unchanged case leaves git clean.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

RAIZ = Path(__file__).resolve().parents[1]
CARPETA = RAIZ / "tests" / "entradas_rotas"

# --------------------------------------------------------------------------- SRFT (SHCP)

COLUMNAS_SHCP = [
    "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MUNICIPIO",
    "ID_TIPO_DE_REGISTRO", "TIPO_DE_REGISTRO", "CICLO_RECURSO", "ID_TIPO_RECURSO", "TIPO_RECURSO",
    "ID_RAMO", "DESC_RAMO", "MODALIDAD_PP", "DESC_PP", "PROG_FONDO_CONVENIO_ESPECIFICO",
    "INSTITUCION_EJECUTORA", "ID_TIPO_GASTO", "DESC_TIPO_GASTO", "ID_PARTIDA_GENERICA",
    "DESC_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO",
    "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "OBSERVACIONES_CAPTURISTA",
]

PARTIDAS = {"113": "Sueldos base al personal permanente", "122": "Sueldos base al personal eventual",
            "211": "Materiales, útiles y equipos menores de oficina",
            "253": "Medicinas y productos farmacéuticos"}


def fila_srft(partida: str = "113", **cambios: str) -> dict[str, str]:
    """One SRFT row of FASSA (Ramo 33, I002) for Aguascalientes 2024, 4th quarter."""
    fila = {
        "CICLO": "2024", "TRIMESTRE": "4", "ID_ENTIDAD_FEDERATIVA": "1", "ENTIDAD_FEDERATIVA": "Aguascalientes",
        "ID_MUNICIPIO": "0", "MUNICIPIO": "", "ID_TIPO_DE_REGISTRO": "1", "TIPO_DE_REGISTRO": "Gasto",
        "CICLO_RECURSO": "2024", "ID_TIPO_RECURSO": "1",
        "TIPO_RECURSO": "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)", "ID_RAMO": "33",
        "DESC_RAMO": "Aportaciones Federales para Entidades Federativas y Municipios", "MODALIDAD_PP": "I002",
        "DESC_PP": "FASSA", "PROG_FONDO_CONVENIO_ESPECIFICO": "Fondo de Aportaciones para los Servicios de Salud",
        "INSTITUCION_EJECUTORA": "Instituto de Servicios de Salud del Estado de Aguascalientes",
        "ID_TIPO_GASTO": "1", "DESC_TIPO_GASTO": "Gasto Corriente", "ID_PARTIDA_GENERICA": partida,
        "DESC_PARTIDA_GENERICA": PARTIDAS.get(partida, "Partida capturada"),
        "MONTO_APROBADO": "1000000.00", "MONTO_MODIFICADO": "950000.00", "MONTO_RECAUDADO": "950000.00",
        "MONTO_COMPROMETIDO": "900000.00", "MONTO_DEVENGADO": "900000.00", "MONTO_EJERCIDO": "880000.00",
        "MONTO_PAGADO": "850000.00", "OBSERVACIONES_CAPTURISTA": "",
    }
    fila.update(cambios)
    return fila


def _celda(valor: str, sep: str) -> str:
    if any(c in valor for c in (sep, '"', "\n", "\r")):
        return '"' + valor.replace('"', '""') + '"'
    return valor


def texto_csv(encabezado: list[str], filas: list[dict[str, str]], sep: str = ",", eol: str = "\r\n") -> str:
    lineas = [sep.join(_celda(c, sep) for c in encabezado)]
    lineas += [sep.join(_celda(f.get(c, ""), sep) for c in encabezado) for f in filas]
    return eol.join(lineas) + eol


# --------------------------------------------------------------------------- national CSVs

COLS_INDICADORES = ["ciclo", "cve_ent", "fondo", "mir", "nivel", "indicador", "frecuencia", "unidad_medida",
                    "sentido", "meta", "avance", "avance_meta_reportado", "meta_anterior", "avance_anterior",
                    "avance_meta_anterior_reportado", "medios_verificacion", "justificacion"]
COLS_CONCURRENCIA = ["ciclo", "cve_ent", "fondo", "orden_gobierno", "fuente", "monto", "porcentaje",
                     "fundamento_legal", "comentarios"]
COLS_ASM = ["ciclo", "cve_ent", "fondo", "numero", "aspecto", "tipo", "prioridad", "area_responsable", "accion",
            "fecha_inicio", "fecha_termino", "avance", "documento_probatorio", "observaciones",
            "evaluacion_origen", "estatus_reportado"]

IDENT = {"ciclo": "2024", "cve_ent": "01", "fondo": "FASSA"}


def indicador(**cambios: str) -> dict[str, str]:
    fila = dict(IDENT, mir="Federal", nivel="Propósito",
                indicador="Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico",
                frecuencia="Anual", unidad_medida="Porcentaje", sentido="Ascendente", meta="95.00",
                avance="96.90", avance_meta_reportado="102.00%", medios_verificacion="SINAC",
                justificacion="")
    fila.update(cambios)
    return fila


def fuente(**cambios: str) -> dict[str, str]:
    fila = dict(IDENT, orden_gobierno="Federal", fuente="FASSA", monto="2,000,000.00", porcentaje="80.00%")
    fila.update(cambios)
    return fila


def accion(**cambios: str) -> dict[str, str]:
    fila = dict(IDENT, numero="1", aspecto="Actualizar el diagnóstico estatal de salud cada año.",
                tipo="Institucional", prioridad="Alta", area_responsable="Dirección de Planeación",
                accion="Publicar el diagnóstico 2024", fecha_inicio="01/03/2024", fecha_termino="30/06/2024",
                avance="100", documento_probatorio="Diagnóstico 2024", evaluacion_origen="EED FASSA 2023",
                estatus_reportado="Atendido")
    fila.update(cambios)
    return fila


# --------------------------------------------------------------------------- capture workbooks

FICHA = [("estado", "Aguascalientes"), ("ciclo", 2024), ("fondo", "FASSA"),
         ("ejecutora", "Instituto de Servicios de Salud del Estado de Aguascalientes"),
         ("instancia_evaluadora", "Evaluadora Ejemplo, S.C."), ("fecha_corte", "30/09/2025"),
         ("fuente", "Corpus de pruebas de asm-analysis")]

ENC_DESTINO = ["capitulo", "concepto", "descripcion", "aprobado", "modificado", "devengado", "pagado", "disponible"]
DESTINO = [
    ["1000", "1100", "Remuneraciones al personal de carácter permanente", 1000000, 950000, 900000, 850000, 50000],
    ["1000", "1200", "Remuneraciones al personal de carácter transitorio", 200000, 200000, 180000, 180000, 20000],
    ["2000", "2500", "Productos químicos, farmacéuticos y de laboratorio", 300000, 320000, 320000, 300000, 0],
]
ENC_CONCURRENCIA = ["orden_gobierno", "fuente", "monto", "porcentaje", "fundamento_legal", "comentarios"]
CONCURRENCIA = [["Federal", "FASSA", 1500000, "75.00%", "Ley de Coordinación Fiscal", None],
                ["Estatal", "Recursos estatales", 500000, "25.00%", None, None]]
ENC_INDICADORES = ["mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido", "meta", "avance",
                   "avance_meta_reportado", "meta_anterior", "avance_anterior", "avance_meta_anterior_reportado",
                   "medios_verificacion", "justificacion"]
INDICADORES = [["Federal", "Propósito", "Porcentaje de nacidos vivos atendidos por personal médico", "Anual",
                "Porcentaje", "Ascendente", 95, 95, "100.00%", None, None, None, "SINAC", None]]
ENC_ASM = ["numero", "aspecto", "tipo", "prioridad", "area_responsable", "accion", "fecha_inicio",
           "fecha_termino", "avance", "documento_probatorio", "observaciones", "evaluacion_origen",
           "estatus_reportado"]
ASM = [["1", "Actualizar el diagnóstico estatal de salud cada año.", "Institucional", "Alta",
        "Dirección de Planeación", "Publicar el diagnóstico 2024", "01/03/2024", "30/06/2024", 100,
        "Diagnóstico 2024", None, "EED FASSA 2023", "Atendido"]]
ENC_FODA = ["apartado", "fortalezas_oportunidades", "debilidades_amenazas", "recomendaciones", "actores"]
FODA = [["I. Planeación", "Diagnóstico actualizado.", "Sin plazos de actualización.",
         "Fijar un calendario anual.", "ISSEA"]]


def hojas_base() -> dict[str, list[list]]:
    """Sheet name → rows (header first) of a small, internally consistent workbook."""
    return {
        "ficha": [["campo", "valor"], *[list(f) for f in FICHA]],
        "destino": [list(ENC_DESTINO), *[list(f) for f in DESTINO]],
        "concurrencia": [list(ENC_CONCURRENCIA), *[list(f) for f in CONCURRENCIA]],
        "indicadores": [list(ENC_INDICADORES), *[list(f) for f in INDICADORES]],
        "asm": [list(ENC_ASM), *[list(f) for f in ASM]],
        "foda": [list(ENC_FODA), *[list(f) for f in FODA]],
    }


def libro(hojas: dict[str, list[list]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for nombre, filas in hojas.items():
        ws = wb.create_sheet(nombre)
        for fila in filas:
            ws.append(fila)
    return wb


FECHA_FIJA = dt.datetime(2025, 1, 1)


def bytes_libro(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes with fixed timestamps (regenerating gives the same bytes)."""
    wb.properties.creator = "asm-analysis"
    wb.properties.created = FECHA_FIJA
    crudo = io.BytesIO()
    wb.save(crudo)
    salida = io.BytesIO()
    with zipfile.ZipFile(crudo) as origen, zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            datos = origen.read(info.filename)
            if info.filename == "docProps/core.xml":
                datos = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", datos)
            nuevo = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            nuevo.compress_type = zipfile.ZIP_DEFLATED
            destino.writestr(nuevo, datos)
    return salida.getvalue()


def cfb_minimo() -> bytes:
    """A minimal, valid OLE2 compound file (what Excel writes for a password-protected .xlsx).

    Header, one FAT sector and one directory sector with the root entry: enough for any
    reader to recognise an encrypted/legacy Office container by its signature.
    """
    cabecera = bytearray(512)
    cabecera[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", cabecera, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<I", cabecera, 44, 1)            # number of FAT sectors
    struct.pack_into("<I", cabecera, 48, 1)            # first directory sector
    struct.pack_into("<I", cabecera, 56, 4096)         # mini stream cutoff
    struct.pack_into("<I", cabecera, 60, 0xFFFFFFFE)   # first mini FAT sector: none
    struct.pack_into("<I", cabecera, 68, 0xFFFFFFFE)   # first DIFAT sector: none
    struct.pack_into("<I", cabecera, 76, 0)            # DIFAT[0] = FAT in sector 0
    for i in range(1, 109):
        struct.pack_into("<I", cabecera, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # sector 0 is FAT, sector 1 ends the directory
    directorio = bytearray(512)
    nombre = "Root Entry".encode("utf-16-le") + b"\x00\x00"
    directorio[0:len(nombre)] = nombre
    struct.pack_into("<HBB", directorio, 64, len(nombre), 5, 1)  # name length, type root, black
    struct.pack_into("<III", directorio, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    struct.pack_into("<I", directorio, 116, 0xFFFFFFFE)
    for i in range(1, 4):  # the other three entries are free
        struct.pack_into("<III", directorio, 128 * i + 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return bytes(cabecera + fat + directorio)


# --------------------------------------------------------------------------- the cases


def casos() -> dict[str, bytes]:
    """File name → bytes of every case."""
    c: dict[str, bytes] = {}
    lat = "latin-1"

    # SRFT ------------------------------------------------------------------------------
    dos = [fila_srft("113"), fila_srft("253")]
    c["01_srft_vacio.csv"] = b""
    c["02_srft_solo_encabezado.csv"] = texto_csv(COLUMNAS_SHCP, []).encode(lat)
    c["03_srft_utf16.csv"] = texto_csv(COLUMNAS_SHCP, dos).encode("utf-16")
    sin_devengado = [x for x in COLUMNAS_SHCP if x != "MONTO_DEVENGADO"]
    c["04_srft_falta_columna.csv"] = texto_csv(sin_devengado, dos).encode(lat)
    variantes = ["PROGRAMA_FONDO_CONVENIO_ESPECÍFICO" if x == "PROG_FONDO_CONVENIO_ESPECIFICO" else x.lower()
                 for x in COLUMNAS_SHCP] + ["FECHA_DESCARGA"]
    filas_v = [{v: f[o] for v, o in zip(variantes, COLUMNAS_SHCP)} | {"FECHA_DESCARGA": "15/01/2025"} for f in dos]
    c["05_srft_encabezados_variantes.csv"] = texto_csv(variantes, filas_v).encode(lat)
    c["06_srft_punto_y_coma.csv"] = texto_csv(COLUMNAS_SHCP, dos, sep=";").encode(lat)
    c["07_srft_importe_no_numerico.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("113"), fila_srft("122"), fila_srft("253", MONTO_PAGADO="pendiente")]).encode(lat)
    c["08_srft_importe_absurdo.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("113"), fila_srft("122", MONTO_APROBADO="1e20"), fila_srft("253")]).encode(lat)
    c["09_srft_partida_sin_concepto.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("113"), fila_srft("191", DESC_PARTIDA_GENERICA="Partida inexistente")]).encode(lat)
    c["10_srft_entidad_desconocida.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("113"), fila_srft("122", ID_ENTIDAD_FEDERATIVA="33", ENTIDAD_FEDERATIVA="Extranjero")]).encode(lat)
    c["11_srft_texto_con_comas_y_saltos.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("211", OBSERVACIONES_CAPTURISTA="Cifras preliminares, sujetas a\r\ncambios en el cierre."),
        fila_srft("253", OBSERVACIONES_CAPTURISTA="Compra consolidada \"INSABI\", 2024")]).encode(lat)
    c["12_srft_libro_con_extension_csv.csv"] = bytes_libro(libro(hojas_base()))

    # national CSVs ---------------------------------------------------------------------
    c["13_indicadores_latin1.csv"] = texto_csv(COLS_INDICADORES, [
        indicador(), indicador(nivel="Componente", indicador="Médicos por cada mil habitantes (población no "
                               "derechohabiente)", unidad_medida="Tasa", meta="1.87", avance="1.57",
                               avance_meta_reportado="83.96%", justificacion="Menos contratación de médicos.")],
    ).encode(lat)
    c["14_indicadores_bom_comas_y_saltos.csv"] = texto_csv(COLS_INDICADORES + ["notas_internas"], [
        indicador(justificacion="Se superó la meta, gracias a la campaña\nde atención del parto en hospitales.",
                  notas_internas="revisado"),
        indicador(nivel="Fin", indicador="Razón de mortalidad materna", sentido="Descendente", meta="38.94",
                  avance="60.75", avance_meta_reportado="64.10%",
                  justificacion="La población objetivo, estimada por CONAPO, fue mayor.")],
        eol="\n").encode("utf-8-sig")
    sin_sentido = [x for x in COLS_INDICADORES if x != "sentido"]
    c["15_indicadores_falta_columna.csv"] = texto_csv(sin_sentido, [indicador()]).encode("utf-8")
    c["16_concurrencia_importes.csv"] = texto_csv(COLS_CONCURRENCIA, [
        fuente(monto="$ 1,234.56", porcentaje="0.10%"),
        fuente(fuente="IMSS-BIENESTAR", monto="1e20"),
        fuente(orden_gobierno="Estatal", fuente="Recursos estatales", monto="mil pesos"),
        fuente(orden_gobierno="Estatal", fuente="Cuotas de recuperación", monto="1234,56")]).encode("utf-8")
    c["17_concurrencia_monto_negativo.csv"] = texto_csv(COLS_CONCURRENCIA, [
        fuente(), fuente(orden_gobierno="Estatal", fuente="Reintegros", monto="-500,000.00",
                         porcentaje="-20.00%")]).encode("utf-8")
    c["18_concurrencia_estado_y_fondo_desconocidos.csv"] = texto_csv(COLS_CONCURRENCIA, [
        fuente(), fuente(cve_ent="Narnia"), fuente(cve_ent="33"), fuente(fondo="FONDEN")]).encode("utf-8")
    c["19_asm_fecha_imposible.csv"] = texto_csv(COLS_ASM, [
        accion(), accion(numero="2", fecha_termino="31/02/2024")]).encode("utf-8")
    c["20_asm_avance_con_texto.csv"] = texto_csv(COLS_ASM, [
        accion(avance="Atendido"), accion(numero="2", avance="50 %", estatus_reportado="En proceso")]).encode("utf-8")

    # capture workbooks -----------------------------------------------------------------
    c["21_captura_vacio.xlsx"] = b""
    completo = bytes_libro(libro(hojas_base()))
    c["22_captura_corrupto.xlsx"] = completo[: len(completo) // 2]
    c["23_captura_con_contrasena.xlsx"] = cfb_minimo()

    h = hojas_base()
    del h["asm"]
    c["24_captura_sin_hoja_asm.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"] = [["capitulo", "concepto", "descripcion", "Presupuesto", None, None, None, None],
                    [None, None, None, "aprobado", "modificado", "devengado", "pagado", "disponible"],
                    *[list(f) for f in DESTINO]]
    wb = libro(h)
    ws = wb["destino"]
    for rango in ("A1:A2", "B1:B2", "C1:C2", "D1:H1"):
        ws.merge_cells(rango)
    c["25_captura_encabezado_combinado.xlsx"] = bytes_libro(wb)

    h = hojas_base()
    h["destino"] = [["Anexo 1. Destino de las aportaciones en la entidad federativa", *[None] * 7],
                    *h["destino"]]
    wb = libro(h)
    wb["destino"].merge_cells("A1:H1")
    c["26_captura_titulo_combinado.xlsx"] = bytes_libro(wb)

    h = hojas_base()
    h["destino"][2][3] = "=D2*0.2"  # aprobado of row 3 as a formula never calculated
    c["27_captura_formula_sin_valor.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][2][0] = "1234"
    c["28_captura_capitulo_desconocido.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][2][1] = "191"
    c["29_captura_partida_sin_concepto.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][0] = ["Capítulo", "CONCEPTO", "Descripción ", "Aprobado", "MODIFICADO", "Devengado",
                       "Pagado", "Disponible", "Notas del analista"]
    for fila in h["destino"][1:]:
        fila.append("revisado")
    h["Hoja1"] = [["borrador"], ["no forma parte del contrato"]]
    c["30_captura_encabezados_con_acentos_y_extra.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][0][0] = "cap"
    c["31_captura_columna_renombrada.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["asm"][1][8] = 150
    h["asm"][1][12] = "Atendido"
    c["32_captura_avance_mayor_100.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["asm"][1][6], h["asm"][1][7] = "30/06/2024", "01/03/2024"
    c["33_captura_fechas_invertidas.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["asm"][1][7] = "31/02/2024"
    c["34_captura_fecha_imposible.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][3][3:8] = [-300000, 320000, 320000, 300000, 0]
    c["35_captura_importe_negativo.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"].insert(3, list(DESTINO[0]))  # concept 1100 typed twice (rows 2 and 4)
    c["36_captura_concepto_duplicado.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["ficha"][1][1] = "Narnia"
    c["37_captura_estado_desconocido.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["ficha"][3][1] = None
    c["38_captura_ficha_sin_fondo.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["destino"][1][4] = 1e20
    c["39_captura_importe_absurdo.xlsx"] = bytes_libro(libro(h))

    h = hojas_base()
    h["concurrencia"] = []
    c["40_captura_hoja_sin_encabezado.xlsx"] = bytes_libro(libro(h))

    # a text with commas and no quotes shifts the row one column to the right
    texto = texto_csv(COLUMNAS_SHCP, [fila_srft("113"), fila_srft("122"), fila_srft("253")]).split("\r\n")
    texto[2] = texto[2].replace('"FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)"',
                                "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)")
    c["41_srft_coma_sin_comillas.csv"] = "\r\n".join(texto).encode(lat)
    texto = texto_csv(COLS_CONCURRENCIA, [fuente(), fuente(orden_gobierno="Estatal", fuente="Recursos estatales",
                                                           monto="500,000.00", porcentaje="20.00%")])
    c["42_concurrencia_coma_sin_comillas.csv"] = texto.replace("Recursos estatales", "Recursos, estatales",
                                                               ).replace('"500,000.00"', "500000.00").encode("utf-8")
    # Excel with a Spanish (Spain) locale: semicolons and decimal commas
    c["43_srft_coma_decimal.csv"] = texto_csv(COLUMNAS_SHCP, [
        fila_srft("113"), fila_srft("122", MONTO_MODIFICADO="950000,50")], sep=";").encode(lat)

    h = hojas_base()
    h["ficha"][2][1] = "=2023+1"  # ciclo as a formula never calculated
    c["44_captura_formula_en_ficha.xlsx"] = bytes_libro(libro(h))
    return c


def main() -> int:
    CARPETA.mkdir(parents=True, exist_ok=True)
    generados = casos()
    for nombre, datos in generados.items():
        (CARPETA / nombre).write_bytes(datos)
    sobrantes = sorted(p.name for p in CARPETA.glob("[0-9][0-9]_*") if p.name not in generados)
    for nombre in sobrantes:
        print(f"aviso: {nombre} no lo genera este script", file=sys.stderr)
    print(f"{len(generados)} archivos en {CARPETA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
