"""SRFT (SHCP «Ejercicio del gasto»): ingest, last-quarter selection, carried-over money, rejects.

The fixture is a hand-made latin-1 SHCP file with two states, FASSA and another Ramo 33 fund,
cumulative quarters, municipal rows and carried-over rows. Every expectation is recomputed in
plain Python from the rows written, never with the library.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pytest

from asm_analysis.entradas import almacen, catalogos, ingesta, srft
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.comun.errores import ErrorEntrada

CICLO = 2023
FASSA = ("33", "I002")
OTRO = ("33", "I005")
ESTADOS = {"01": "Aguascalientes", "22": "Querétaro"}
TRIMESTRES = {"01": [1, 2, 3, 4, 5], "22": [1, 2, 3, 4]}
PARTIDAS = {  # partida genérica → (concepto, capítulo), three chapters
    "113": ("1100", "1000"),
    "154": ("1500", "1000"),
    "253": ("2500", "2000"),
    "339": ("3300", "3000"),
}
MOMENTOS = ("aprobado", "modificado", "devengado", "pagado")


def _fila(**valores) -> dict:
    """One SRFT record with SHCP's column names; amounts as numbers (kept for the expectation)."""
    base = {c: "" for c in srft.COLUMNAS_SHCP}
    base.update({
        "CICLO": CICLO, "ID_MUNICIPIO": 0, "MUNICIPIO": "", "ID_TIPO_DE_REGISTRO": 1,
        "TIPO_DE_REGISTRO": "Ejercicio", "CICLO_RECURSO": CICLO, "ID_TIPO_RECURSO": 1,
        "TIPO_RECURSO": "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)", "ID_RAMO": 33,
        "DESC_RAMO": "Aportaciones Federales para Entidades Federativas y Municipios",
        "PROG_FONDO_CONVENIO_ESPECIFICO": "", "INSTITUCION_EJECUTORA": "Servicios de Salud",
        "ID_TIPO_GASTO": 1, "DESC_TIPO_GASTO": "Gasto corriente", "MONTO_RECAUDADO": 0,
        "MONTO_COMPROMETIDO": 0, "MONTO_EJERCIDO": 0, "OBSERVACIONES_CAPTURISTA": "",
    })
    base.update(valores)
    return base


def _registros() -> list[dict]:
    """Cumulative amounts by quarter; MONTO_APROBADO repeats every quarter."""
    filas = []
    for k, (cve, nombre) in enumerate(ESTADOS.items(), start=1):
        for trimestre in TRIMESTRES[cve]:
            avance = trimestre / 4 if trimestre <= 4 else 1.0
            for j, partida in enumerate(PARTIDAS, start=1):
                aprobado = 1_000_000.25 * k * j
                modificado = aprobado + 10_000.50 * j
                devengado = round(modificado * avance * 0.9 + (1_234.56 if trimestre == 5 else 0), 2)
                pagado = round(devengado * 0.95, 2)
                comunes = dict(TRIMESTRE=trimestre, ID_ENTIDAD_FEDERATIVA=int(cve), ENTIDAD_FEDERATIVA=nombre,
                               ID_PARTIDA_GENERICA=partida, DESC_PARTIDA_GENERICA=f"Partida {partida}")
                # FASSA, state level, same year: what Anexo 1 is made of
                filas.append(_fila(**comunes, MODALIDAD_PP=FASSA[1], DESC_PP="FASSA",
                                   PROG_FONDO_CONVENIO_ESPECIFICO="FASSA",
                                   MONTO_APROBADO=aprobado, MONTO_MODIFICADO=modificado,
                                   MONTO_DEVENGADO=devengado, MONTO_PAGADO=pagado))
                # FASSA, municipal rows: excluded
                filas.append(_fila(**comunes, ID_MUNICIPIO=5, MUNICIPIO="Municipio 5", MODALIDAD_PP=FASSA[1],
                                   MONTO_APROBADO=77_777, MONTO_MODIFICADO=77_777,
                                   MONTO_DEVENGADO=7_777 * trimestre, MONTO_PAGADO=777 * trimestre))
                # another Ramo 33 fund: excluded
                filas.append(_fila(**comunes, MODALIDAD_PP=OTRO[1], DESC_PP="FORTAMUN",
                                   MONTO_APROBADO=55_555.55, MONTO_MODIFICADO=55_555.55,
                                   MONTO_DEVENGADO=5_555 * trimestre, MONTO_PAGADO=555 * trimestre))
            # FASSA money carried over from the previous year: only in .arrastre
            filas.append(_fila(TRIMESTRE=trimestre, ID_ENTIDAD_FEDERATIVA=int(cve), ENTIDAD_FEDERATIVA=nombre,
                               ID_PARTIDA_GENERICA="253", CICLO_RECURSO=CICLO - 1, MODALIDAD_PP=FASSA[1],
                               MONTO_APROBADO=0, MONTO_MODIFICADO=300_000 * k,
                               MONTO_DEVENGADO=50_000.10 * trimestre * k, MONTO_PAGADO=40_000 * trimestre * k))
    return filas


def _texto_importe(valor, i: int) -> str:
    """Plain number most of the time; now and then with thousands separators, as SHCP sometimes does."""
    if isinstance(valor, (int, float)) and i % 7 == 3:
        return f"{valor:,.2f}"
    return str(valor)


def _escribir(ruta: Path, filas: list[dict], encabezado: list[str] | None = None) -> Path:
    encabezado = encabezado or srft.COLUMNAS_SHCP
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f)
        w.writerow(encabezado)
        for i, fila in enumerate(filas):
            w.writerow([_texto_importe(fila[c], i) if c.startswith("MONTO_") else fila[c]
                        for c in srft.COLUMNAS_SHCP])
    return ruta


def _esperado(filas: list[dict], cve: str, arrastre: bool) -> tuple[int, dict[str, dict[str, float]]]:
    """Independent computation: FASSA, state level, last quarter of that state, per concepto."""
    fassa = [f for f in filas if f"{f['ID_ENTIDAD_FEDERATIVA']:02d}" == cve and str(f["ID_RAMO"]) == FASSA[0]
             and f["MODALIDAD_PP"] == FASSA[1] and f["ID_MUNICIPIO"] == 0 and f["CICLO"] == CICLO]
    ultimo = max(f["TRIMESTRE"] for f in fassa)
    sumas: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MOMENTOS, 0.0))
    for f in fassa:
        if f["TRIMESTRE"] != ultimo or (f["CICLO_RECURSO"] < CICLO) != arrastre:
            continue
        concepto = f["ID_PARTIDA_GENERICA"][:2] + "00"
        for m in MOMENTOS:
            sumas[concepto][m] += float(f[f"MONTO_{m.upper()}"])
    return ultimo, dict(sumas)


def _sumas(tabla) -> dict[str, dict[str, float]]:
    return {c: {m: float(g[m].sum()) for m in MOMENTOS} for c, g in tabla.groupby("concepto")}


@pytest.fixture(scope="module")
def filas() -> list[dict]:
    return _registros()


@pytest.fixture(scope="module")
def ingerido(tmp_path_factory, filas) -> Path:
    base = tmp_path_factory.mktemp("srft")
    _escribir(base / "raw" / "srft" / "ejercicio_del_gasto_2023.csv", filas)
    resumenes = ingesta.ingerir(base)
    assert [(r.tipo, r.error) for r in resumenes] == [("srft", None)]
    (r,) = resumenes
    assert r.leidas == len(filas) and r.cargadas == len(filas) and r.rechazadas == 0
    return base


@pytest.mark.parametrize(("cve", "trimestre_esperado"), [("01", 5), ("22", 4)])
def test_ultimo_trimestre_y_sumas_por_concepto(ingerido, filas, cve, trimestre_esperado):
    tabla = almacen.leer(ingerido / "processed", "srft", CICLO, cve)
    sel = srft.seleccionar(tabla, cve, CICLO, catalogos.resolver_fondo("FASSA"))
    ultimo, esperado = _esperado(filas, cve, arrastre=False)
    assert ultimo == trimestre_esperado
    assert sel.trimestre == trimestre_esperado
    assert set(sel.corriente["trimestre"]) == {trimestre_esperado}
    obtenido = _sumas(sel.corriente)
    assert sorted(obtenido) == sorted(esperado) == ["1100", "1500", "2500", "3300"]
    for concepto, momentos in esperado.items():
        for m, valor in momentos.items():
            assert obtenido[concepto][m] == pytest.approx(valor, abs=0.01), (concepto, m)
    # roll-up to chapters, recomputed from the partida keys
    capitulos = {PARTIDAS[p][1] for p in PARTIDAS}
    assert set(sel.corriente["capitulo"]) == capitulos


@pytest.mark.parametrize("cve", ["01", "22"])
def test_excluye_municipios_otros_fondos_y_arrastre(ingerido, filas, cve):
    tabla = almacen.leer(ingerido / "processed", "srft", CICLO, cve)
    en_archivo = [f for f in filas if f"{f['ID_ENTIDAD_FEDERATIVA']:02d}" == cve]
    assert len(tabla) == len(en_archivo)  # everything stored; selection happens at read time
    sel = srft.seleccionar(tabla, cve, CICLO, catalogos.resolver_fondo("FASSA"))
    corriente = sel.corriente
    assert set(corriente["id_municipio"]) == {0}
    assert set(corriente["modalidad_pp"]) == {"I002"}
    assert set(corriente["ramo"]) == {33}
    assert set(corriente["ciclo_recurso"]) == {CICLO}
    assert len(corriente) == len(PARTIDAS)
    # carried-over money appears only in .arrastre, for the same last quarter
    ultimo, esperado = _esperado(filas, cve, arrastre=True)
    assert set(sel.arrastre["ciclo_recurso"]) == {CICLO - 1}
    assert set(sel.arrastre["trimestre"]) == {ultimo}
    obtenido = _sumas(sel.arrastre)
    assert list(obtenido) == ["2500"]
    for m in MOMENTOS:
        assert obtenido["2500"][m] == pytest.approx(esperado["2500"][m], abs=0.01)


def test_incluir_municipios(ingerido, filas):
    tabla = almacen.leer(ingerido / "processed", "srft", CICLO, "01")
    sel = srft.seleccionar(tabla, "01", CICLO, catalogos.resolver_fondo("FASSA"), incluir_municipios=True)
    municipales = [f for f in filas if f["ID_ENTIDAD_FEDERATIVA"] == 1 and f["ID_MUNICIPIO"] != 0
                   and f["TRIMESTRE"] == 5]
    assert (sel.corriente["id_municipio"] == 5).sum() == len(municipales)


def test_otro_fondo_y_estado_sin_datos(ingerido):
    tabla = almacen.leer(ingerido / "processed", "srft", CICLO, "01")
    sel = srft.seleccionar(tabla, "01", CICLO, catalogos.resolver_fondo("FORTAMUN"))
    assert set(sel.corriente["modalidad_pp"]) == {"I005"}
    assert sel.corriente["aprobado"].sum() == pytest.approx(55_555.55 * len(PARTIDAS))
    vacio = srft.seleccionar(tabla, "01", CICLO, catalogos.resolver_fondo("IMSS-BIENESTAR"))
    assert vacio.trimestre is None and vacio.corriente.empty and vacio.arrastre.empty
    assert almacen.leer(ingerido / "processed", "srft", CICLO, "09").empty


def test_almacen_guarda_importes_sin_comprimir_filas_por_diferencias_y_sin_estadisticas(ingerido, filas):
    """How the parts are written (:func:`almacen.propiedades_parquet`), and that every figure reads back as
    written: the amounts of one state, summed per moment, against the rows of the file."""
    import pyarrow.parquet as pq

    partes = sorted((ingerido / "processed" / "srft").rglob("*.parquet"))
    assert partes
    for parte in partes:
        grupo = pq.ParquetFile(parte).metadata.row_group(0)
        columnas = {grupo.column(i).path_in_schema: grupo.column(i) for i in range(grupo.num_columns)}
        for m in srft.MOMENTOS:
            assert columnas[m].compression == "UNCOMPRESSED", (parte, m)
        assert "DELTA_BINARY_PACKED" in columnas["fila"].encodings
        assert columnas["partida"].compression == "SNAPPY"
        assert not any(c.is_stats_set for c in columnas.values())
    tabla = almacen.leer(ingerido / "processed", "srft", CICLO, "22", ambito="estatal")
    del_archivo = [f for f in filas if f["ID_ENTIDAD_FEDERATIVA"] == 22 and f["ID_MUNICIPIO"] == 0]
    assert sorted(tabla["fila"]) == sorted(tabla["fila"].unique()) and len(tabla) == len(del_archivo)
    for m in MOMENTOS:
        assert tabla[m].sum() == pytest.approx(sum(float(f[f"MONTO_{m.upper()}"]) for f in del_archivo), abs=1e-6)


def test_variante_programa_fondo_convenio_especifico(tmp_path, filas):
    encabezado = ["PROGRAMA_FONDO_CONVENIO_ESPECIFICO" if c == "PROG_FONDO_CONVENIO_ESPECIFICO" else c
                  for c in srft.COLUMNAS_SHCP]
    _escribir(tmp_path / "raw" / "srft" / "variante.csv", filas, encabezado)
    (r,) = ingesta.ingerir(tmp_path)
    assert r.error is None and r.cargadas == len(filas) and r.rechazadas == 0
    for cve in ESTADOS:
        tabla = almacen.leer(tmp_path / "processed", "srft", CICLO, cve)
        sel = srft.seleccionar(tabla, cve, CICLO, catalogos.resolver_fondo("FASSA"))
        ultimo, esperado = _esperado(filas, cve, arrastre=False)
        assert sel.trimestre == ultimo
        assert set(sel.corriente["programa"]) == {"FASSA"}
        obtenido = _sumas(sel.corriente)
        for concepto, momentos in esperado.items():
            for m, valor in momentos.items():
                assert obtenido[concepto][m] == pytest.approx(valor, abs=0.01)


def test_solo_encabezado_carga_cero_filas(tmp_path):
    _escribir(tmp_path / "raw" / "srft" / "vacio.csv", [])
    (r,) = ingesta.ingerir(tmp_path)
    assert (r.error, r.leidas, r.cargadas, r.rechazadas) == (None, 0, 0, 0)
    assert almacen.leer(tmp_path / "processed", "srft").empty


def test_falta_monto_aprobado(tmp_path, filas):
    ruta = tmp_path / "raw" / "srft" / "sin_aprobado.csv"
    ruta.parent.mkdir(parents=True)
    columnas = [c for c in srft.COLUMNAS_SHCP if c != "MONTO_APROBADO"]
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f)
        w.writerow(columnas)
        w.writerow([filas[0][c] for c in columnas])
    with pytest.raises(ErrorEntrada) as info:
        list(srft.leer_bloques(ruta))
    assert "MONTO_APROBADO" in str(info.value)
    assert "sin_aprobado.csv" in str(info.value)
    # through ingest: reported as that file's error, nothing left in the store
    (r,) = ingesta.ingerir(tmp_path)
    assert r.error is not None and "MONTO_APROBADO" in r.error
    assert almacen.leer(tmp_path / "processed", "srft").empty


def test_filas_malas_van_a_rechazos_con_su_linea(tmp_path, filas):
    buenas = [f for f in filas if f["ID_ENTIDAD_FEDERATIVA"] == 22 and f["TRIMESTRE"] == 4]
    plantadas = {
        # line in file (header = 1) → (row, column, value)
        3: (dict(buenas[0], MONTO_DEVENGADO="abc"), "MONTO_DEVENGADO", "abc"),
        5: (dict(buenas[1], ID_PARTIDA_GENERICA="191"), "ID_PARTIDA_GENERICA", "191"),  # concepto 1900 does not exist
        6: (dict(buenas[2], ID_PARTIDA_GENERICA="0X1"), "ID_PARTIDA_GENERICA", "0X1"),
        9: (dict(buenas[3], ID_ENTIDAD_FEDERATIVA=40), "ID_ENTIDAD_FEDERATIVA", "40"),
    }
    resto = iter(buenas[4:])
    total = 12
    contenido = [plantadas[linea][0] if linea in plantadas else next(resto) for linea in range(2, total + 2)]
    _escribir(tmp_path / "raw" / "srft" / "malas.csv", contenido)
    (r,) = ingesta.ingerir(tmp_path)
    assert r.error is None
    assert r.leidas == total
    assert r.rechazadas == len(plantadas)
    assert r.cargadas == total - len(plantadas)
    assert r.leidas == r.cargadas + r.rechazadas
    archivos = list((tmp_path / "processed" / "rechazos").glob("malas*.csv"))
    assert len(archivos) == 1
    with open(archivos[0], encoding="utf-8", newline="") as f:
        lector = csv.DictReader(f)
        assert lector.fieldnames == COLUMNAS_RECHAZO
        rechazos = list(lector)
    obtenido = {int(x["fila"]): (x["archivo"], x["columna"], x["valor"]) for x in rechazos}
    assert obtenido == {linea: ("malas.csv", col, val) for linea, (_, col, val) in plantadas.items()}
    assert all(x["motivo"].strip() for x in rechazos)
    # the stored rows are exactly the others
    tabla = almacen.leer(tmp_path / "processed", "srft", CICLO, "22")
    assert sorted(tabla["fila"]) == [n for n in range(2, total + 2) if n not in plantadas]


def test_leer_bloques_numera_filas_en_bloques_pequenos(tmp_path, filas):
    """leer_bloques numbers rows from 2 and reconciles across small blocks too."""
    ruta = _escribir(tmp_path / "bloques.csv", filas[:60])
    leidas = cargadas = 0
    numeros = []
    for tidy, rechazos, n in srft.leer_bloques(ruta, bloque_bytes=4096):
        leidas += n
        cargadas += len(tidy)
        assert rechazos.empty
        numeros += list(tidy["fila"])
    assert leidas == cargadas == 60
    assert numeros == list(range(2, 62))


def test_latin1_con_acentos_despues_del_primer_mib(tmp_path):
    ruta = tmp_path / "raw" / "srft" / "grande.csv"
    ruta.parent.mkdir(parents=True)
    ascii_ = _fila(TRIMESTRE=4, ID_ENTIDAD_FEDERATIVA=1, ENTIDAD_FEDERATIVA="Aguascalientes",
                   ID_PARTIDA_GENERICA="113", DESC_PARTIDA_GENERICA="Sueldos base", MODALIDAD_PP="I002",
                   TIPO_RECURSO="FEDERALES", DESC_RAMO="Aportaciones Federales", MONTO_APROBADO=1,
                   MONTO_MODIFICADO=1, MONTO_DEVENGADO=1, MONTO_PAGADO=1)
    acentos = dict(ascii_, ID_ENTIDAD_FEDERATIVA=22, ENTIDAD_FEDERATIVA="Querétaro",
                   ID_MUNICIPIO=14, MUNICIPIO="Querétaro")
    n = 9000  # > 1 MiB of ASCII rows before the first accented one
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f)
        w.writerow(srft.COLUMNAS_SHCP)
        for i in range(n):  # distinct rows: exact repeats would be loaded once
            w.writerow([dict(ascii_, OBSERVACIONES_CAPTURISTA=f"registro {i}")[c] for c in srft.COLUMNAS_SHCP])
        w.writerow([acentos[c] for c in srft.COLUMNAS_SHCP])
    assert ruta.stat().st_size > (1 << 20)
    (r,) = ingesta.ingerir(tmp_path)
    assert r.error is None
    assert (r.leidas, r.cargadas, r.rechazadas) == (n + 1, n + 1, 0)
    tabla = almacen.leer(tmp_path / "processed", "srft", CICLO, "22")
    assert tabla["municipio"].tolist() == ["Querétaro"]
