"""A large SRFT CSV is loaded while its whole-file byte checks wait (``lectura.RevisionDiferida``).

Every file must end exactly as when the checks ran first: the same refusal, naming the same
row and column, and nothing left in the store; or the same rows, rejects and counts. Here the
deferral is forced on small files (``REVISION_DIFERIDA_DESDE`` 0, only the first byte checked
at once), and each file is loaded both ways and compared.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from asm_analysis.entradas import ingesta, lectura, srft

CICLO = 2024


def _fila(i: int, **valores) -> list[str]:
    base = {c: "" for c in srft.COLUMNAS_SHCP}
    base.update({
        "CICLO": CICLO, "TRIMESTRE": 4, "ID_ENTIDAD_FEDERATIVA": 22, "ENTIDAD_FEDERATIVA": "Querétaro",
        "ID_MUNICIPIO": 0, "ID_TIPO_DE_REGISTRO": 1, "TIPO_DE_REGISTRO": "Ejercicio", "CICLO_RECURSO": CICLO,
        "ID_TIPO_RECURSO": 1, "TIPO_RECURSO": "FEDERALES", "ID_RAMO": 33, "DESC_RAMO": "Aportaciones Federales",
        "MODALIDAD_PP": "I002", "DESC_PP": "FASSA", "INSTITUCION_EJECUTORA": "Servicios de Salud",
        "ID_TIPO_GASTO": 1, "DESC_TIPO_GASTO": "Gasto corriente", "ID_PARTIDA_GENERICA": 113 + i % 3,
        "DESC_PARTIDA_GENERICA": "Sueldos base", "MONTO_APROBADO": 1000 + i, "MONTO_MODIFICADO": 1000 + i,
        "MONTO_RECAUDADO": 0, "MONTO_COMPROMETIDO": 0, "MONTO_DEVENGADO": 10 + i, "MONTO_EJERCIDO": 0,
        "MONTO_PAGADO": 5 + i, "OBSERVACIONES_CAPTURISTA": f"registro {i}",
    })
    base.update(valores)
    return [str(base[c]) for c in srft.COLUMNAS_SHCP]


def _csv(filas: list[list[str]], codificacion: str = "latin-1") -> bytes:
    texto = io.StringIO()
    csv.writer(texto, lineterminator="\r\n").writerows([srft.COLUMNAS_SHCP, *filas])
    return texto.getvalue().encode(codificacion)


def _cargar(tmp_path: Path, nombre: str, contenido: bytes, diferida: bool, monkeypatch, inicial: int = 1) -> tuple:
    """Ingest ``contenido`` as an SRFT file; what an evaluator sees: summary, store rows, rejects.
    ``inicial``: bytes checked at once (the encoding the rest is read with until the pass says)."""
    monkeypatch.setattr(lectura, "REVISION_DIFERIDA_DESDE", 0 if diferida else 1 << 60)
    monkeypatch.setattr(lectura, "REVISION_INICIAL", inicial)
    datos = tmp_path / nombre
    shutil.rmtree(datos, ignore_errors=True)
    (datos / "raw" / "srft").mkdir(parents=True)
    (datos / "raw" / "srft" / "ejercicio_del_gasto_2024.csv").write_bytes(contenido)
    (r,) = ingesta.ingerir(datos)
    tienda = datos / "processed" / "srft"
    filas = []
    if tienda.exists() and any(tienda.rglob("*.parquet")):
        filas = sorted(ds.dataset(tienda, format="parquet", partitioning="hive").to_table().to_pylist(),
                       key=lambda f: f["fila"])
    rechazos = (datos / "processed" / r.rechazos).read_text(encoding="utf-8") if r.rechazos else None
    return (r.error, r.detalle, r.leidas, r.cargadas, r.rechazadas, r.duplicadas), filas, rechazos


def _igual_que_antes(tmp_path, contenido: bytes, monkeypatch, inicial: int = 1) -> tuple:
    antes = _cargar(tmp_path, "antes", contenido, False, monkeypatch)
    diferida = _cargar(tmp_path, "diferida", contenido, True, monkeypatch, inicial)
    assert diferida == antes
    return antes


def _filas(n: int = 300) -> list[list[str]]:
    return [_fila(i) for i in range(n)]


@pytest.fixture(params=[1, 4096], ids=["inicio_1_byte", "inicio_4_KB"])
def inicial(request) -> int:
    """Bytes checked at once: with 1 the rest is read as UTF-8 and the first latin-1 accent stops the
    reader (the pass runs then); with 4 KB it is read as latin-1 and only the watch can call the pass."""
    return request.param


def test_archivo_limpio_latin1_carga_lo_mismo(tmp_path, monkeypatch, inicial):
    (error, _, leidas, cargadas, *_), filas, _ = _igual_que_antes(tmp_path, _csv(_filas()), monkeypatch, inicial)
    assert error is None and leidas == cargadas == 300
    assert {str(f["cve_ent"]) for f in filas} == {"22"} and filas[0]["fila"] == 2


def test_archivo_utf8_con_bom_carga_lo_mismo(tmp_path, monkeypatch):
    contenido = b"\xef\xbb\xbf" + _csv(_filas(), "utf-8")
    (error, *_), filas, _ = _igual_que_antes(tmp_path, contenido, monkeypatch)
    assert error is None and len(filas) == 300


@pytest.mark.parametrize("byte,que", [(b"\x00", "byte nulo"), (b"\x0b", "U+000B")])
def test_byte_de_control_al_final_se_rechaza_igual(tmp_path, monkeypatch, byte, que, inicial):
    filas = _filas()
    filas[250][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "nota " + byte.decode("latin-1") + " fin"
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, _csv(filas), monkeypatch, inicial)
    assert que in error and detalle["fila"] == 252 and detalle["columna"] == "OBSERVACIONES_CAPTURISTA"
    assert tienda == []  # nothing of the refused file is left in the store


def test_tabulador_y_salto_dentro_de_un_texto_entre_comillas_se_cargan(tmp_path, monkeypatch, inicial):
    filas = _filas()
    filas[100][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "dos\tpartes\r\nen dos líneas"
    (error, *_), tienda, _ = _igual_que_antes(tmp_path, _csv(filas), monkeypatch, inicial)
    assert error is None and len(tienda) == 300


def test_linea_de_mas_de_un_millon_de_caracteres_se_rechaza_igual(tmp_path, monkeypatch, inicial):
    filas = _filas()
    filas[200][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "x" * (lectura.LIMITE_LINEA + 10)
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, _csv(filas), monkeypatch, inicial)
    assert "más de 1,000,000 caracteres" in error and detalle["fila"] == 202 and tienda == []


def test_letras_en_utf8_y_bytes_latin1_se_rechaza_igual(tmp_path, monkeypatch):
    cuerpo = _csv(_filas(), "latin-1").replace(b"registro 7\r\n", "registro 7 Querétaro\r\n".encode("utf-8"), 1)
    assert "Querétaro".encode("utf-8") in cuerpo and "Querétaro".encode("latin-1") in cuerpo
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch)
    assert error and "UTF-8" in error and tienda == []


def test_texto_utf8_sin_letras_en_un_archivo_windows_1252_se_lee_como_windows_1252(tmp_path, monkeypatch):
    """The first megabytes read as UTF-8 (an ``€`` written in UTF-8, no Latin-1 letter) and a later
    row does not: the whole-file check says Windows-1252, so the file is loaded again with it."""
    filas = [_fila(i, ENTIDAD_FEDERATIVA="Queretaro") for i in range(36_000)]
    filas[10][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "EURO"
    filas[33_000][srft.COLUMNAS_SHCP.index("ENTIDAD_FEDERATIVA")] = "Querétaro"
    cuerpo = _csv(filas, "latin-1").replace(b"EURO", "€".encode("utf-8"))
    assert cuerpo.index(b"Quer\xe9taro") > 5 << 20  # after the first blocks Arrow reads
    releidas = []
    original = lectura.Releer.__init__
    monkeypatch.setattr(lectura.Releer, "__init__", lambda self, c: (releidas.append(c), original(self, c))[1])
    (error, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch)
    assert releidas == ["cp1252"]  # the deferred load read it again, once
    assert error is None and len(tienda) == 36_000
    assert lectura.detectar_codificacion(tmp_path / "diferida" / "raw" / "srft" / "ejercicio_del_gasto_2024.csv") \
        == "cp1252"


def test_byte_indefinido_en_windows_1252_se_rechaza_igual(tmp_path, monkeypatch, inicial):
    cuerpo = _csv(_filas(), "latin-1").replace(b"registro 280\r\n", b"registro 280 \x81\r\n", 1)
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch, inicial)
    assert "0x81" in error and detalle["fila"] == 282 and tienda == []


def test_fila_con_una_celda_de_mas_y_acentos_carga_lo_mismo(tmp_path, monkeypatch, inicial):
    filas = _filas()
    filas[150] = filas[150] + ["sobra"]
    (error, _, leidas, cargadas, rechazadas, _), tienda, rechazos = _igual_que_antes(tmp_path, _csv(filas),
                                                                                   monkeypatch, inicial)
    assert error is None and (leidas, cargadas, rechazadas) == (300, 299, 1) and "152" in rechazos
    assert 152 not in {f["fila"] for f in tienda} and tienda[-1]["fila"] == 301


def test_revision_diferida_solo_para_archivos_grandes(tmp_path):
    pequeno = tmp_path / "a.csv"
    pequeno.write_bytes(_csv(_filas(10)))
    assert lectura.comprobar_texto_diferido(pequeno) == "latin-1"  # checked whole, as before
    grande = tmp_path / "b.csv"
    grande.write_bytes(_csv(_filas(10)) + b"\r\n" * lectura.REVISION_DIFERIDA_DESDE)
    assert isinstance(lectura.comprobar_texto_diferido(grande), lectura.RevisionDiferida)


def _contar_relecturas(monkeypatch) -> list[str]:
    releidas: list[str] = []
    original = lectura.Releer.__init__
    monkeypatch.setattr(lectura.Releer, "__init__", lambda self, c: (releidas.append(c), original(self, c))[1])
    return releidas


def test_comillas_de_windows_1252_tras_un_inicio_latin1_se_leen_como_windows_1252(tmp_path, monkeypatch):
    """The first bytes are latin-1 with no byte 0x80–0x9F, so the file is read as latin-1; a curly quote
    (0x93) further on makes it Windows-1252: loaded again, the quotes are kept, not control codes."""
    filas = _filas()
    filas[280][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "CITA"
    cuerpo = _csv(filas, "latin-1").replace(b"CITA", b"\x93cita\x94")
    releidas = _contar_relecturas(monkeypatch)
    (error, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch, inicial=4096)
    assert releidas == ["cp1252"] and error is None and len(tienda) == 300


def test_letra_en_utf8_tras_un_inicio_latin1_se_rechaza_igual(tmp_path, monkeypatch):
    filas = _filas()
    filas[280][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "LETRA"
    cuerpo = _csv(filas, "latin-1").replace(b"LETRA", "Querétaro".encode("utf-8"))
    (error, _, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch, inicial=4096)
    assert error and "UTF-8" in error and tienda == []


def test_byte_indefinido_tras_un_inicio_windows_1252_se_rechaza_igual(tmp_path, monkeypatch):
    """The first bytes have a curly quote, so the file is read as Windows-1252; a byte it leaves undefined
    (0x81) further on stops Arrow's decoding, and the pass refuses the file naming that byte."""
    filas = _filas()
    filas[1][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = "CITA"
    cuerpo = _csv(filas, "latin-1").replace(b"CITA", b"\x93cita\x94").replace(b"registro 280\r\n",
                                                                                 b"registro 280 \x81\r\n", 1)
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, cuerpo, monkeypatch, inicial=4096)
    assert "0x81" in error and detalle["fila"] == 282 and tienda == []
    revision = lectura.comprobar_texto_diferido(tmp_path / "diferida" / "raw" / "srft" / "ejercicio_del_gasto_2024.csv")
    assert revision.provisional == "cp1252"


def _linea_larga(n: int, ancho: int = 50_000) -> str:
    """A text of ``n`` characters in lines of ``ancho`` (each line far under the one-line limit)."""
    return "\n".join("y" * ancho for _ in range(n // (ancho + 1))).ljust(n, "z")


def test_fila_de_megabytes_en_varias_lineas_se_carga(tmp_path, monkeypatch):
    """A row of 2.4 MB (three long quoted texts, each under the cell limit, in lines the byte check
    accepts), longer than Arrow can hold, goes to the exact path from that row on, which loads it whole
    and every row after it."""
    filas = _filas()
    for columna in ("OBSERVACIONES_CAPTURISTA", "DESC_PP", "DESC_TIPO_GASTO"):
        filas[100][srft.COLUMNAS_SHCP.index(columna)] = _linea_larga(800_000)
    (error, _, leidas, cargadas, rechazadas, _), tienda, _ = _igual_que_antes(tmp_path, _csv(filas), monkeypatch,
                                                                            4096)
    assert error is None and (leidas, cargadas, rechazadas) == (300, 300, 0)
    assert [f["fila"] for f in tienda] == list(range(2, 302))


def test_celda_de_mas_de_un_millon_de_caracteres_en_varias_lineas_se_rechaza_con_su_lugar(tmp_path, monkeypatch):
    filas = _filas()
    filas[100][srft.COLUMNAS_SHCP.index("OBSERVACIONES_CAPTURISTA")] = _linea_larga(2_400_000)  # over 2 MiB: Arrow cannot hold the row
    (error, detalle, *_), tienda, _ = _igual_que_antes(tmp_path, _csv(filas), monkeypatch, 4096)
    assert "más del límite de 1,000,000" in error and tienda == []
    assert (detalle["fila"], detalle["columna"]) == (102, "OBSERVACIONES_CAPTURISTA")


def test_un_error_de_arrow_al_convertir_un_bloque_no_se_toma_por_uno_de_lectura(tmp_path, monkeypatch):
    """A block whose conversion fails with an Arrow error (a defect, not the file's) stops the load; it is
    not taken for a row Arrow could not read, which would skip the block's rows without a word."""
    import pyarrow as pa
    ruta = tmp_path / "s.csv"
    ruta.write_bytes(_csv(_filas()))
    original = srft.convertir_bloque

    def falla(lote, *args, **kw):
        if lote.num_rows:
            raise pa.ArrowInvalid("prueba")
        return original(lote, *args, **kw)

    monkeypatch.setattr(srft, "convertir_bloque", falla)
    with pytest.raises(RuntimeError, match="error al convertir un bloque"):
        list(srft.leer_lotes(ruta))
