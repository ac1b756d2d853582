"""Write the fault corpus ``tests/entradas_rotas/6X_*`` and ``7X_*`` (see tests/test_fallas.py).

Each file reproduces one way a real download or a hand-edited file goes wrong at the file
level (encoding, container, control bytes, header). Deterministic: running it again gives
the same bytes (``tests/test_fallas.py`` checks it). Usage: ``python scripts/generar_entradas_fallas.py``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "entradas_rotas"

SRFT_ENCABEZADO = (
    "CICLO,TRIMESTRE,ID_ENTIDAD_FEDERATIVA,ENTIDAD_FEDERATIVA,ID_MUNICIPIO,MUNICIPIO,ID_TIPO_DE_REGISTRO,"
    "TIPO_DE_REGISTRO,CICLO_RECURSO,ID_TIPO_RECURSO,TIPO_RECURSO,ID_RAMO,DESC_RAMO,MODALIDAD_PP,DESC_PP,"
    "PROG_FONDO_CONVENIO_ESPECIFICO,INSTITUCION_EJECUTORA,ID_TIPO_GASTO,DESC_TIPO_GASTO,ID_PARTIDA_GENERICA,"
    "DESC_PARTIDA_GENERICA,MONTO_APROBADO,MONTO_MODIFICADO,MONTO_RECAUDADO,MONTO_COMPROMETIDO,MONTO_DEVENGADO,"
    "MONTO_EJERCIDO,MONTO_PAGADO,OBSERVACIONES_CAPTURISTA"
)


def _srft_fila(partida: str, descripcion: str, observacion: str = "") -> str:
    return (f"2024,4,1,Aguascalientes,0,,1,Gasto,2024,1,Federales,33,Aportaciones Federales,I002,FASSA,"
            f"Fondo de Aportaciones para los Servicios de Salud,Instituto de Salud,1,Gasto Corriente,{partida},"
            f"{descripcion},1000000.00,950000.00,950000.00,900000.00,900000.00,880000.00,850000.00,{observacion}")


IND_ENCABEZADO = ("ciclo,cve_ent,fondo,mir,nivel,indicador,frecuencia,unidad_medida,sentido,meta,avance,"
                  "avance_meta_reportado,meta_anterior,avance_anterior,avance_meta_anterior_reportado,"
                  "medios_verificacion,justificacion")


def _ind_fila(i: int, justificacion: str = "Sin comentarios") -> str:
    return (f"2024,01,FASSA,Federal,Actividad,Indicador de prueba {i:03d},Trimestral,Porcentaje,Ascendente,"
            f"90.00,91.00,101.11%,,,,SINAC,{justificacion}")


CONC_ENCABEZADO = "ciclo,cve_ent,fondo,orden_gobierno,fuente,monto,porcentaje,fundamento_legal,comentarios"


def casos() -> dict[str, bytes]:
    """File name → exact bytes of every case."""
    c: dict[str, bytes] = {}
    # 60: Excel's UTF-8 mark, then a body saved by another program in latin-1 (row 3 has «é»)
    c["60_srft_bom_cuerpo_latin1.csv"] = b"\xef\xbb\xbf" + "\r\n".join([
        SRFT_ENCABEZADO, _srft_fila("113", "Sueldos base al personal permanente"),
        _srft_fila("253", "Medicinas y productos farmacéuticos"), ""]).encode("latin-1")
    # 61: the SHCP download as it comes (a ZIP holding the CSV), renamed to .csv
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("ejercicio_del_gasto.csv", date_time=(2025, 1, 15, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, ("\r\n".join([SRFT_ENCABEZADO, _srft_fila("113", "Sueldos base")]) + "\r\n")
                   .encode("latin-1"))
    c["61_srft_zip_renombrado.csv"] = zbuf.getvalue()
    # 62: a BEL (U+0007) pasted into a justification, row 60: past the first 4 KB
    filas = [_ind_fila(i) for i in range(1, 80)]
    filas[58] = _ind_fila(59, "Meta alcanzada\x07 en el periodo")
    c["62_indicadores_control_tras_4kb.csv"] = ("\n".join([IND_ENCABEZADO, *filas]) + "\n").encode("utf-8")
    # 63: a NUL byte in DESC_PARTIDA_GENERICA of row 30 of an SRFT extract (past the first 4 KB)
    filas = [_srft_fila("113", "Sueldos base") for _ in range(40)]
    filas[28] = _srft_fila("113", "Sueldos\x00 base")
    c["63_srft_nulo_tras_4kb.csv"] = ("\r\n".join([SRFT_ENCABEZADO, *filas]) + "\r\n").encode("latin-1")
    # 64: a trailing comma at the end of the header only (the rows have one cell fewer)
    c["64_indicadores_encabezado_coma_final.csv"] = (
        "\n".join([IND_ENCABEZADO + ",", *(_ind_fila(i) for i in range(1, 4))]) + "\n").encode("utf-8")
    # 70: a comma at the end of every line, header included: nothing is shifted, the file loads whole
    c["70_indicadores_coma_final_en_todas.csv"] = (
        "\n".join([IND_ENCABEZADO + ",", *(_ind_fila(i) + "," for i in range(1, 4))]) + "\n").encode("utf-8")
    # 71: the SRFT with a trailing comma in the header only (today: every row takes the slow path)
    c["71_srft_encabezado_coma_final.csv"] = ("\r\n".join([SRFT_ENCABEZADO + ",", *(
        _srft_fila("113", "Sueldos base") for _ in range(3))]) + "\r\n").encode("latin-1")
    # 65: a column without a name in the middle of the header, with data under it
    c["65_concurrencia_columna_sin_nombre.csv"] = "\n".join([
        "ciclo,cve_ent,fondo,orden_gobierno,,fuente,monto,porcentaje,fundamento_legal,comentarios",
        "2024,01,FASSA,Federal,x,FASSA,1000.00,100.00%,,", ""]).encode("utf-8")
    # 66: every row has one cell more than the header (a column of data whose name was deleted by hand)
    c["66_concurrencia_encabezado_corto.csv"] = "\n".join([
        CONC_ENCABEZADO,
        "2024,01,FASSA,Federal,FASSA,1000.00,50.00%,,,A-1",
        "2024,01,FASSA,Estatal,Recursos estatales,1000.00,50.00%,,,A-2", ""]).encode("utf-8")
    # 67: one row with a cell missing between good rows: rejected alone, the others load
    c["67_concurrencia_fila_corta.csv"] = "\n".join([
        CONC_ENCABEZADO, "2024,01,FASSA,Federal,FASSA,1500.00,75.00%,,",
        "2024,01,FASSA,Estatal,Recursos estatales,500.00,25.00%",
        "2024,01,FASSA,Ingresos propios,Cuotas,0.00,0.00%,,", ""]).encode("utf-8")
    # 68: a national CSV with Excel's UTF-8 mark and a latin-1 body (today: «faltan las columnas ciclo»)
    c["68_asm_bom_cuerpo_latin1.csv"] = b"\xef\xbb\xbf" + "\n".join([
        "ciclo,cve_ent,fondo,numero,aspecto,tipo,prioridad,area_responsable,accion,fecha_inicio,fecha_termino,"
        "avance,documento_probatorio,observaciones,evaluacion_origen,estatus_reportado",
        "2024,01,FASSA,1,Actualizar el diagnóstico estatal,Institucional,Alta,Dirección de Planeación,"
        "Publicar,01/03/2024,30/06/2024,100,Documento,,EED FASSA 2023,Atendido", ""]).encode("latin-1")
    # 69: a ZIP cut short (an interrupted download), renamed to .csv
    c["69_srft_zip_incompleto.csv"] = c["61_srft_zip_renombrado.csv"][:60]
    return c


def main() -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    for nombre, datos in casos().items():
        (CORPUS / nombre).write_bytes(datos)
        print(f"{nombre}: {len(datos):,} bytes")


if __name__ == "__main__":
    main()
