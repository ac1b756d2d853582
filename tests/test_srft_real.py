"""SRFT files shaped like the real ones, in both dialects (committed under ``tests/datos_srft/``).

- ``nacional_2024.csv``: SHCP open data (latin-1): programme-level rows (one with a planted
  500-peso difference against its partidas), exact duplicates (one far from its first copy),
  quarter 5 reporting 2 of the 6 FASSA partidas, a future CICLO_RECURSO, NaN / blank / spaces
  amounts, carried-over money, other funds, municipalities and states;
- ``nacional_2024_variante.csv``: the 2020-style header (PROGRAMA_FONDO_CONVENIO_ESPECIFICO),
  level named without its digit, amounts with thousands commas;
- ``sistema_zacatepec_utf8.csv`` / ``sistema_morelos_latin1.csv``: the SRFT system export,
  quoted, with the published Zacatepec FORTAMUN rows verbatim (including the programme row with
  one blank cell too many and the unquoted single-space cell), plus planted rows.

Every expectation is recomputed here from the raw text with the csv module (see
:func:`_esperado`), and the main counts are also written out by hand.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from asm_analysis.entradas import almacen
from asm_analysis import auditoria
from asm_analysis.entradas import catalogos, datos, ingesta, srft
from asm_analysis.ejecucion import validacion
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO
from asm_analysis.comun.errores import ErrorEntrada

DATOS = Path(__file__).resolve().parent / "datos_srft"
# the real rows found in public material, in shared/ beside the repository (as CI lays it out)
REFERENCIA = Path(__file__).resolve().parents[2] / "shared" / "referencias" / "srft_muestras_reales.txt"
MOMENTOS = ("aprobado", "modificado", "devengado", "pagado")
#: system-export column → national column, written out independently of the library's mapping
SISTEMA = {"TIPO_REGISTRO": "TIPO_DE_REGISTRO", "APROBADO": "MONTO_APROBADO", "MODIFICADO": "MONTO_MODIFICADO",
           "MINISTRADO": "MONTO_RECAUDADO", "DEVENGADO": "MONTO_DEVENGADO", "PAGADO": "MONTO_PAGADO",
           "PROG_FND_CONV_ESP": "PROG_FONDO_CONVENIO_ESPECIFICO"}
ARCHIVOS = {  # file → encoding, (leídas, cargadas, nivel programa, duplicadas, rechazadas) counted by hand
    "nacional_2024.csv": ("latin-1", (36, 26, 3, 3, 4)),
    "nacional_2024_variante.csv": ("latin-1", (5, 3, 1, 1, 0)),
    "sistema_zacatepec_utf8.csv": ("utf-8", (6, 2, 1, 1, 2)),
    "sistema_morelos_latin1.csv": ("latin-1", (12, 6, 2, 2, 2)),
}


# --------------------------------------------------------------------------- independent reading


def _registros(nombre: str) -> list[tuple[int, list[str], dict]]:
    """(line number, raw cells, cells by national name) of every data row, with the csv module."""
    codificacion = ARCHIVOS[nombre][0]
    texto = (DATOS / nombre).read_text(encoding=codificacion)
    filas = [f for f in csv.reader(io.StringIO(texto)) if f]
    encabezado = [SISTEMA.get(c, c) for c in filas[0]]
    encabezado = ["PROG_FONDO_CONVENIO_ESPECIFICO" if c == "PROGRAMA_FONDO_CONVENIO_ESPECIFICO" else c
                  for c in encabezado]
    salida = []
    for k, celdas in enumerate(filas[1:], start=2):
        fila = dict(zip(encabezado, celdas))
        if "ID_MODALIDAD" in fila:
            fila["MODALIDAD_PP"] = fila["ID_MODALIDAD"] + fila["ID_PP"].zfill(3)
        salida.append((k, celdas, fila))
    return salida


def _es_programa(fila: dict) -> bool:
    t = fila.get("TIPO_DE_REGISTRO", "").strip()
    return bool(re.match(r"1\D", t)) or ("programa" in t.lower() and "partida" not in t.lower())


def _vacio(valor: str) -> bool:
    return valor.strip().lower() in ("", "nan")


def _numero(valor: str) -> float:
    return float(valor.replace(",", ""))


def _clasificar(nombre: str) -> dict[str, list]:
    """Each row in exactly one of: partida, programa, duplicada, rechazada (with its column)."""
    vistas: dict[tuple, int] = {}
    grupos: dict[str, list] = defaultdict(list)
    for linea, celdas, fila in _registros(nombre):
        if tuple(celdas) in vistas:
            grupos["duplicada"].append((linea, vistas[tuple(celdas)]))
            continue
        vistas[tuple(celdas)] = linea
        if int(fila["CICLO_RECURSO"]) > int(fila["CICLO"]):
            grupos["rechazada"].append((linea, "CICLO_RECURSO"))
        elif _es_programa(fila):
            grupos["programa"].append(fila)
        elif vacias := [m for m in MOMENTOS if _vacio(fila[f"MONTO_{m.upper()}"])]:
            grupos["rechazada"].append((linea, f"MONTO_{vacias[0].upper()}"))
        else:
            grupos["partida"].append(dict(fila, _linea=linea))
    return grupos


def _esperado(nombre: str, cve: int, ciclo: int, pp: str, municipal: bool = False,
              arrastre: bool = False) -> tuple[dict[str, dict[str, float]], dict[int, set[str]]]:
    """Sums by concept of the fund's partidas, each from the last quarter that reports it, and the
    partidas taken from each quarter."""
    filas = [f for f in _clasificar(nombre)["partida"]
             if int(f["ID_ENTIDAD_FEDERATIVA"]) == cve and int(f["CICLO"]) == ciclo and f["MODALIDAD_PP"] == pp
             and (municipal or f["ID_MUNICIPIO"] == "0")
             and (int(f["CICLO_RECURSO"]) < ciclo) == arrastre]

    def clave(f):
        return (f["ID_MUNICIPIO"], f["CICLO_RECURSO"], f["INSTITUCION_EJECUTORA"], f["ID_PARTIDA_GENERICA"])

    ultimo: dict[tuple, int] = {}
    for f in filas:
        ultimo[clave(f)] = max(ultimo.get(clave(f), 0), int(f["TRIMESTRE"]))
    sumas: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MOMENTOS, 0.0))
    cortes: dict[int, set[str]] = defaultdict(set)
    for f in filas:
        if int(f["TRIMESTRE"]) != ultimo[clave(f)]:
            continue
        cortes[int(f["TRIMESTRE"])].add(f["ID_PARTIDA_GENERICA"])
        for m in MOMENTOS:
            sumas[f["ID_PARTIDA_GENERICA"][:2] + "00"][m] += _numero(f[f"MONTO_{m.upper()}"])
    return dict(sumas), dict(cortes)


def _ingerir(tmp_path: Path, *nombres: str) -> Path:
    base = tmp_path / "datos"
    (base / "raw" / "srft").mkdir(parents=True)
    for nombre in nombres:
        (base / "raw" / "srft" / nombre).write_bytes((DATOS / nombre).read_bytes())
    return base


def _cargar_sin_rechazos(base: Path, cve: str, ciclo: int, fondo: str) -> "datos.DatosEstado":
    """The report refuses a file with rejected rows of its state (the input gate); as a user would,
    delete those rows from the raw file, then load. The rows deleted are the ones the gate named."""
    nombre = next((base / "raw" / "srft").glob("*.csv")).name
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(base, cve, ciclo, fondo)
    assert nombre in str(exc.value) and "filas rechazadas" in str(exc.value)
    rechazos = pd.read_csv(base / "processed" / "rechazos" / ingesta.nombre_rechazos(nombre), dtype=str, keep_default_na=False)
    propias = rechazos[(rechazos["columna"] != "(fila duplicada)") & rechazos["cve_ent"].isin([cve, ""])]
    quitar = {int(f) for f in propias["fila"]}
    ruta = base / "raw" / "srft" / nombre
    lineas = ruta.read_bytes().splitlines(keepends=True)
    ruta.write_bytes(b"".join(l for i, l in enumerate(lineas, start=1) if i not in quitar))
    return datos.cargar(base, cve, ciclo, fondo)


def _rechazos(base: Path, resumen: ingesta.ResumenFuente) -> list[dict]:
    with open(base / "processed" / resumen.rechazos, encoding="utf-8", newline="") as f:
        lector = csv.DictReader(f)
        assert lector.fieldnames == COLUMNAS_RECHAZO
        return list(lector)


# --------------------------------------------------------------------------- the files themselves


def test_archivos_pequenos_y_filas_publicadas_textuales():
    assert all((DATOS / n).stat().st_size < 50_000 for n in ARCHIVOS)
    if not REFERENCIA.exists():
        pytest.skip("reference file not available")
    publicadas = REFERENCIA.read_text(encoding="utf-8").splitlines()
    for nombre in ("sistema_zacatepec_utf8.csv", "sistema_morelos_latin1.csv"):
        lineas = (DATOS / nombre).read_text(encoding=ARCHIVOS[nombre][0]).splitlines()
        assert lineas[:4] == [publicadas[9], publicadas[12], publicadas[15], publicadas[16]], nombre
        assert '"", ,"Sin observaciones"' in lineas[1]


# --------------------------------------------------------------------------- counts and rejects


@pytest.mark.parametrize("nombre", list(ARCHIVOS))
def test_cada_fila_se_cuenta_una_vez(tmp_path, nombre):
    base = _ingerir(tmp_path, nombre)
    (r,) = ingesta.ingerir(base)
    assert r.error is None, r.error
    obtenido = (r.leidas, r.cargadas, r.nivel_programa, r.duplicadas, r.rechazadas)
    grupos = _clasificar(nombre)
    independiente = (len(_registros(nombre)), len(grupos["partida"]), len(grupos["programa"]),
                     len(grupos["duplicada"]), len(grupos["rechazada"]))
    assert obtenido == ARCHIVOS[nombre][1] == independiente
    assert r.leidas == r.cargadas + r.nivel_programa + r.duplicadas + r.rechazadas
    assert (f"leídas {r.leidas}, cargadas {r.cargadas}, rechazadas {r.rechazadas}, "
            f"nivel programa {r.nivel_programa}, duplicadas {r.duplicadas}") in r.linea()
    guardadas = almacen.leer(base / "processed", "srft")
    assert sorted(guardadas["fila"]) == sorted(f["_linea"] for f in grupos["partida"])
    # the summary survives a second run that reads nothing
    (otra,) = ingesta.ingerir(base)
    assert otra.al_dia and (otra.nivel_programa, otra.duplicadas) == (r.nivel_programa, r.duplicadas)


def test_rechazos_y_duplicadas_del_archivo_nacional(tmp_path):
    base = _ingerir(tmp_path, "nacional_2024.csv")
    (r,) = ingesta.ingerir(base)
    filas = _rechazos(base, r)
    obtenido = {(int(f["fila"]), f["columna"]) for f in filas}
    grupos = _clasificar("nacional_2024.csv")
    esperado = set(grupos["rechazada"]) | {(linea, "(fila duplicada)") for linea, _ in grupos["duplicada"]}
    assert obtenido == esperado == {(11, "CICLO_RECURSO"), (15, "MONTO_PAGADO"), (16, "MONTO_MODIFICADO"),
                                    (23, "MONTO_DEVENGADO"), (6, "(fila duplicada)"), (24, "(fila duplicada)"),
                                    (37, "(fila duplicada)")}
    por_fila = {int(f["fila"]): f for f in filas}
    for linea, primera in grupos["duplicada"]:
        assert por_fila[linea]["motivo"] == f"la fila repite exactamente la fila {primera}; se cargó una sola vez"
    assert por_fila[11]["motivo"].startswith("«CICLO_RECURSO» (2025) es posterior al «CICLO» (2024)")
    assert por_fila[15]["motivo"].startswith("«MONTO_PAGADO» está vacío")
    assert por_fila[16]["motivo"].startswith("«MONTO_MODIFICADO» está vacío")
    assert por_fila[23]["motivo"].startswith("«MONTO_DEVENGADO» está vacío") and por_fila[23]["valor"] == "NaN"
    # whose rows they are: ciclo, state and fund read from the row (the repeated programme row is FORTAMUN's)
    assert {(f["ciclo"], f["cve_ent"]) for f in filas} == {("2024", "01")}
    assert {int(f["fila"]): f["fondo"] for f in filas} == {11: "FASSA", 15: "FASSA", 16: "FASSA", 23: "FASSA",
                                                          6: "FASSA", 24: "FORTAMUN", 37: "FASSA"}
    # rejected rows first, then the duplicates: the report's input gate names a real problem
    assert [f["columna"] == "(fila duplicada)" for f in filas] == [False] * 4 + [True] * 3


def test_otros_momentos_vacios_quedan_nulos_no_en_cero(tmp_path):
    base = _ingerir(tmp_path, "nacional_2024.csv")
    ingesta.ingerir(base)
    tabla = almacen.leer(base / "processed", "srft", 2024, "01")
    fila = tabla[tabla["fila"] == 17].iloc[0]  # MONTO_RECAUDADO blank, the Anexo 1 moments present
    assert pd.isna(fila["recaudado"]) and fila["modificado"] == pytest.approx(3_300.0)
    assert tabla.drop(index=tabla.index[tabla["fila"] == 17])["recaudado"].notna().all()


# --------------------------------------------------------------------------- Anexo 1 from the SRFT


def _total(a1: pd.DataFrame) -> pd.Series:
    return a1[a1["tipo_fila"] == "total"].iloc[0]


def test_anexo1_con_trimestre_5_parcial(tmp_path):
    base = _ingerir(tmp_path, "nacional_2024.csv")
    d = _cargar_sin_rechazos(base, "01", 2024, "FASSA")
    a = auditoria.calcular(d)
    esperado, cortes = _esperado("nacional_2024.csv", 1, 2024, "I002")
    assert cortes == {5: {"113", "253"}, 4: {"154", "211", "339", "441"}}
    detalle = a.anexo1[a.anexo1["tipo_fila"] == "detalle"].set_index("concepto")
    for concepto, momentos in esperado.items():
        for m, valor in momentos.items():
            assert detalle.loc[concepto, m] == pytest.approx(valor, abs=0.005), (concepto, m)
    for m in MOMENTOS:
        assert _total(a.anexo1)[m] == pytest.approx(sum(v[m] for v in esperado.values()), abs=0.005)
    # quarter 5 alone would have shown a fraction of the year
    solo_t5 = sum(_numero(f["MONTO_DEVENGADO"]) for f in _clasificar("nacional_2024.csv")["partida"]
                  if f["TRIMESTRE"] == "5" and f["MODALIDAD_PP"] == "I002" and f["ID_ENTIDAD_FEDERATIVA"] == "1"
                  and f["ID_MUNICIPIO"] == "0" and f["CICLO_RECURSO"] == "2024")
    assert _total(a.anexo1)["devengado"] > 3 * solo_t5
    # the cut of every row and of every concept
    assert dict(zip(d.srft["partida"], d.srft["trimestre"])) == {p: t for t, ps in cortes.items() for p in ps}
    assert a.notas["anexo1"].endswith("trimestre 5 (informe definitivo): 2 partida(s), conceptos 1100, 2500; "
                                      "trimestre 4: 4 partida(s), conceptos 1500, 2100, 3300, 4400.")
    h = a.hallazgos
    corte = h[h["regla"] == "A1-SRFT-CORTE"]
    assert len(corte) == 1 and corte["severidad"].iloc[0] == "advertencia"
    mod_t4 = sum(v["modificado"] for c, v in esperado.items() if c in ("1500", "2100", "3300", "4400"))
    assert "el trimestre 5 solo reporta 2 de 6 partidas; 4 se tomaron del trimestre 4, con " \
           f"${mod_t4:,.2f} de modificado" in corte["mensaje"].iloc[0]
    # carried-over money: apart, also per partida's last quarter
    arrastre, _ = _esperado("nacional_2024.csv", 1, 2024, "I002", arrastre=True)
    total_arr = a.anexo1_arrastre[a.anexo1_arrastre["tipo_fila"] == "total"].iloc[0]
    for m in MOMENTOS:
        assert total_arr[m] == pytest.approx(sum(v[m] for v in arrastre.values()), abs=0.005)


def test_registro_de_programa_auditado_contra_sus_partidas(tmp_path):
    base = _ingerir(tmp_path, "nacional_2024.csv")
    d = _cargar_sin_rechazos(base, "01", 2024, "FASSA")
    h = auditoria.calcular(d).hallazgos
    prog = h[h["regla"] == "A1-SRFT-PROGRAMA"]
    assert len(prog) == 1, prog["mensaje"].tolist()  # the quarter-4 programme row agrees to the cent
    fila = prog.iloc[0]
    partidas_t5 = [f for f in _clasificar("nacional_2024.csv")["partida"]
                   if f["TRIMESTRE"] == "5" and f["MODALIDAD_PP"] == "I002" and f["CICLO_RECURSO"] == "2024"
                   and f["ID_ENTIDAD_FEDERATIVA"] == "1" and f["ID_MUNICIPIO"] == "0"]
    programa_t5 = next(f for f in _clasificar("nacional_2024.csv")["programa"]
                       if f["TRIMESTRE"] == "5" and f["MODALIDAD_PP"] == "I002")
    assert fila["severidad"] == "error"
    assert fila["valor_calculado"] == pytest.approx(sum(_numero(f["MONTO_DEVENGADO"]) for f in partidas_t5))
    assert fila["valor_reportado"] == pytest.approx(_numero(programa_t5["MONTO_DEVENGADO"]))
    assert fila["diferencia"] == pytest.approx(500.0)
    # line 19 of the published file, wherever it is once the rejected rows above it were deleted
    original = (DATOS / "nacional_2024.csv").read_bytes().splitlines()[18]
    linea = (base / "raw" / "srft" / "nacional_2024.csv").read_bytes().splitlines().index(original) + 1
    assert linea < 19 and f"línea {linea})" in fila["ubicacion"] and "columna «devengado»" in fila["ubicacion"]
    # programme rows are never summed into the annex
    assert (d.srft["partida"] != "").all()


def test_exportacion_del_sistema_morelos_latin1(tmp_path):
    nombre = "sistema_morelos_latin1.csv"
    base = _ingerir(tmp_path, nombre)
    d = datos.cargar(base, "17", 2023, "FASSA")
    a = auditoria.calcular(d)
    esperado, cortes = _esperado(nombre, 17, 2023, "I002")
    assert cortes == {5: {"113"}, 4: {"253", "339"}}
    for m in MOMENTOS:
        assert _total(a.anexo1)[m] == pytest.approx(sum(v[m] for v in esperado.values()), abs=0.005)
    assert set(d.srft["modalidad_pp"]) == {"I002"} and set(d.srft["programa"]) == {"FASSA"}
    h = a.hallazgos
    assert "el trimestre 5 solo reporta 1 de 3 partidas; 2 se tomaron del trimestre 4" in \
        h.loc[h["regla"] == "A1-SRFT-CORTE", "mensaje"].iloc[0]
    assert "A1-SRFT-PROGRAMA" not in set(h["regla"])  # its programme row agrees with its partidas
    assert len(d.cotejo_programa_srft) == 7  # every moment of that row was compared
    # MINISTRADO is the recaudado moment
    recaudado = sum(_numero(f["MONTO_RECAUDADO"]) for f in _clasificar(nombre)["partida"]
                    if f["MODALIDAD_PP"] == "I002" and int(f["TRIMESTRE"]) == 5)
    assert d.srft.loc[d.srft["trimestre"] == 5, "recaudado"].sum() == pytest.approx(recaudado)


@pytest.mark.parametrize("nombre", ["sistema_zacatepec_utf8.csv", "sistema_morelos_latin1.csv"])
def test_filas_publicadas_de_zacatepec(tmp_path, nombre):
    base = _ingerir(tmp_path, nombre)
    (r,) = ingesta.ingerir(base)
    sel = srft.leer_estado(base / "processed", "17", 2023, catalogos.resolver_fondo("FORTAMUN"),
                           incluir_municipios=True)
    esperado, cortes = _esperado(nombre, 17, 2023, "I005", municipal=True)
    assert cortes == {4: {"249", "216"}}
    obtenido = {c: {m: float(g[m].sum()) for m in MOMENTOS} for c, g in sel.corriente.groupby("concepto")}
    assert sorted(obtenido) == sorted(esperado) == ["2100", "2400"]
    for concepto, momentos in esperado.items():
        assert obtenido[concepto] == pytest.approx(momentos), concepto
    assert esperado["2400"]["modificado"] == pytest.approx(183_929.6)
    assert esperado["2100"]["aprobado"] == 0.0
    assert set(sel.corriente["municipio"]) == {"Zacatepec"} and set(sel.corriente["id_municipio"]) == {31}
    assert set(sel.corriente["ejecutora"]) == {"Municipio de Zacatepec"}
    # the published programme row (one blank cell too many) is structure, not a rejected row
    filas = [f for f in _rechazos(base, r) if int(f["fila"]) <= 7]  # lines 2-7: the Zacatepec part
    assert 2 not in {int(f["fila"]) for f in filas}
    assert {int(f["fila"]): f["columna"] for f in filas} == {5: "(fila duplicada)", 6: "DEVENGADO",
                                                             7: "CICLO_RECURSO"}
    assert {f["fondo"] for f in filas} == {"FORTAMUN"} and {f["cve_ent"] for f in filas} == {"17"}
    assert validacion.tipo_csv(base / "raw" / "srft" / nombre) == "srft"


def test_variante_de_encabezado_y_nivel_sin_digito(tmp_path):
    nombre = "nacional_2024_variante.csv"
    base = _ingerir(tmp_path, nombre)
    d = datos.cargar(base, "22", 2024, "FASSA")
    a = auditoria.calcular(d)
    esperado, _ = _esperado(nombre, 22, 2024, "I002")
    for m in MOMENTOS:
        assert _total(a.anexo1)[m] == pytest.approx(sum(v[m] for v in esperado.values()), abs=0.005)
    assert a.notas["anexo1"].startswith("Cifras del SRFT (SHCP) del trimestre 4:")
    assert "A1-SRFT-CORTE" not in set(a.hallazgos["regla"])


# --------------------------------------------------------------------------- duplicates across blocks


def test_duplicadas_entre_bloques(tmp_path):
    ruta = DATOS / "nacional_2024.csv"
    bloques = list(srft.leer_lotes(ruta, bloque_bytes=4096))
    assert len(bloques) > 2
    donde = {}
    for k, b in enumerate(bloques):
        for fila in b.partidas.column("fila").to_pylist():
            donde[fila] = k
        for fila in b.rechazos.loc[b.rechazos["columna"] == "(fila duplicada)", "fila"]:
            donde[int(fila)] = k
    assert donde[37] != donde[21]  # the far repeat is in another block, still caught
    assert sum(b.duplicadas for b in bloques) == len(_clasificar("nacional_2024.csv")["duplicada"]) == 3
    assert sum(b.leidas for b in bloques) == 36


def test_bloques_en_paralelo_dan_lo_mismo_que_uno_por_uno(monkeypatch):
    """Blocks converted on two threads: the same rows, rejects and repeats, in file order, as one thread."""
    ruta = DATOS / "nacional_2024.csv"
    monkeypatch.setattr(srft, "HILOS_CONVERSION", 2)
    paralelo = list(srft.leer_lotes(ruta, bloque_bytes=2048))
    monkeypatch.setattr(srft, "HILOS_CONVERSION", 1)
    serie = list(srft.leer_lotes(ruta, bloque_bytes=2048))
    assert len(paralelo) == len(serie) > 3
    for a, b in zip(paralelo, serie):
        assert a.partidas.equals(b.partidas)
        pd.testing.assert_frame_equal(a.rechazos.reset_index(drop=True), b.rechazos.reset_index(drop=True))
        assert (a.leidas, a.duplicadas) == (b.leidas, b.duplicadas)
    filas = [f for b in paralelo for f in b.partidas.column("fila").to_pylist()]
    assert filas == sorted(filas)


def test_un_error_en_un_hilo_llega_sin_colgar_la_lectura(monkeypatch):
    """A block whose conversion fails on a worker thread: the error reaches the reader (no thread left waiting)."""
    original = srft.convertir_bloque
    vistos = []

    def falla_en_el_tercero(lote, *args, **kwargs):
        vistos.append(1)
        if len(vistos) == 3:
            raise RuntimeError("falla planeada")
        return original(lote, *args, **kwargs)

    monkeypatch.setattr(srft, "convertir_bloque", falla_en_el_tercero)
    with pytest.raises(RuntimeError, match="falla planeada"):
        list(srft.leer_lotes(DATOS / "nacional_2024.csv", bloque_bytes=1024))


def test_huellas_marcan_la_primera_aparicion():
    h = srft.Huellas()
    primero = np.array(["a,1", "b,2", "a,1", "c,3"], dtype=object)
    assert h.marcar(primero, np.array([2, 3, 4, 5])).tolist() == [0, 0, 2, 0]
    segundo = np.array(["c,3", "d,4", "b,2", "d,4", "a,1x"], dtype=object)
    assert h.marcar(segundo, np.array([6, 7, 8, 9, 10])).tolist() == [5, 0, 3, 7, 0]
    assert h.marcar(np.array(["d,4"], dtype=object), np.array([11])).tolist() == [7]


def test_huellas_con_el_primer_hash_repetido_distinguen_los_textos(monkeypatch):
    """A 64-bit collision, forced: every text gets the same first hash, so only the second one (and,
    within a block, the text) tells them apart; a repeat is still found, in the block and after."""
    h = srft.Huellas()
    original = h._hash
    monkeypatch.setattr(h, "_hash", lambda crudos: (np.full(len(crudos), 7, dtype=np.int64), original(crudos)[1]))
    assert h.marcar(np.array(["a,1", "b,2", "a,1"], dtype=object), np.array([2, 3, 4])).tolist() == [0, 0, 2]
    assert h.marcar(np.array(["c,3", "b,2", "a,1", "c,3"], dtype=object), np.array([5, 6, 7, 8])).tolist() \
        == [0, 3, 2, 5]
    assert h.marcar(np.array(["c,3", "d,4"], dtype=object), np.array([9, 10])).tolist() == [5, 0]


def test_huellas_dan_lo_mismo_que_un_diccionario_de_textos_aun_con_choques(monkeypatch):
    """Random blocks of a few texts, half of them with the first hash forced into three values (three texts
    or more share one inside a block and across blocks): each row is marked with the first row that had its
    text, as a plain dictionary of texts says. Before this test, a third text in a block that shared the
    first hash of two others was taken as new."""
    rng = np.random.default_rng(22)
    for caso in range(300):
        h = srft.Huellas()
        if caso % 2:
            original = h._hash
            monkeypatch.setattr(h, "_hash", lambda crudos, o=original: (
                np.array([sum(c) % 3 for c in crudos], dtype=np.int64), o(crudos)[1]))
        primera_vez: dict[str, int] = {}
        fila = 2
        for _ in range(int(rng.integers(1, 6))):
            textos = np.array([f"t{rng.integers(0, 8)},{rng.integers(0, 2)}" for _ in range(int(rng.integers(0, 12)))],
                              dtype=object)
            filas = np.arange(fila, fila + len(textos))
            fila += len(textos)
            esperado = []
            for t, f in zip(textos, filas):
                esperado.append(primera_vez.get(t, 0))
                primera_vez.setdefault(t, int(f))
            marcas = h.marcar(textos, filas).tolist() if len(textos) else []
            assert marcas == esperado, (caso, list(textos), marcas, esperado)


def _por_columnas(h: srft.Huellas, filas_de_celdas: list[list[str | None]], numeros: np.ndarray,
                  codificacion: str = "utf-8", como_bytes: bool = False) -> list[int]:
    """:meth:`Huellas.preparar_columnas` as the reader calls it: the amounts joined, every other column
    dictionary-encoded (text, or the file's bytes)."""
    nombres = ["CICLO", "MUNICIPIO", "DESC_PP", "MONTO_APROBADO", "MONTO_PAGADO"]
    tipo = pa.binary() if como_bytes else pa.string()
    def celda(v):
        return v.encode(codificacion) if como_bytes and v is not None else v
    tabla = pa.table({c: pa.array([celda(f[j]) for f in filas_de_celdas], tipo) for j, c in enumerate(nombres)})
    enteras = srft._enteras(srft.NACIONAL)
    unidas = srft._textos_fila(tabla.select([c for c in nombres if c in enteras]))
    preparadas = h.preparar_columnas(srft._diccionarios(tabla, enteras), unidas, codificacion)
    return h.marcar_preparadas(preparadas, numeros).tolist() if len(numeros) else []


@pytest.mark.parametrize("forzar_choque", [False, True])
def test_huellas_por_columnas_dan_lo_mismo_que_un_diccionario_de_filas(monkeypatch, forzar_choque):
    """Random blocks whose cells come from small pools (missing cells and empty texts among them, which the
    joined text takes for one value): each row is marked with the first row that had the same cells, as a
    plain dictionary of the joined rows says; with every value of a column hashed to the same number too,
    so only the exact comparison inside a block, and the second sum across blocks, tell rows apart."""
    rng = np.random.default_rng(25)
    fondo = ["", None, "I002", "E023"]
    for caso in range(120):
        h = srft.Huellas()
        if forzar_choque:
            original = h._hash
            monkeypatch.setattr(h, "_hash", lambda crudos, columna=srft.Huellas._ENTERAS, o=original: (
                np.full(len(crudos), 7, dtype=np.int64), o(crudos, columna)[1]))
        vistas: dict[str, int] = {}
        fila = 2
        for _ in range(int(rng.integers(1, 5))):
            bloque = [["2024", fondo[rng.integers(0, 4)], str(rng.integers(0, 3)), str(rng.integers(0, 2)),
                       fondo[rng.integers(0, 2)]] for _ in range(int(rng.integers(0, 10)))]
            numeros = np.arange(fila, fila + len(bloque))
            fila += len(bloque)
            esperado = []
            for celdas, f in zip(bloque, numeros):
                clave = "\x1f".join(c or "" for c in celdas)
                esperado.append(vistas.get(clave, 0))
                vistas.setdefault(clave, int(f))
            assert _por_columnas(h, bloque, numeros) == esperado, (caso, bloque)


def test_huellas_por_columnas_distinguen_valores_cambiados_de_columna():
    """The same values in other columns are another row, in another block too (where only the fingerprint
    tells): each column hashes with keys of its own."""
    h = srft.Huellas()
    assert _por_columnas(h, [["2024", "A", "B", "1.00", "2.00"]], np.array([2])) == [0]
    assert _por_columnas(h, [["2024", "B", "A", "1.00", "2.00"], ["2024", "A", "B", "2.00", "1.00"],
                             ["2024", "A", "B", "1.00", "2.00"]], np.array([3, 4, 5])) == [0, 0, 2]


def test_huellas_por_columnas_hallan_la_fila_leida_como_texto_o_como_bytes():
    """A latin-1 file is read as bytes, and as text after a malformed row: a row repeated across the switch
    is found (every value is hashed as the file's bytes)."""
    h = srft.Huellas()
    fila = ["2024", "Tlalnepantla de Baz", "Atención a la salud", "1,234.50", None]
    assert _por_columnas(h, [fila], np.array([2]), "latin-1", como_bytes=True) == [0]
    assert _por_columnas(h, [fila, fila[:2] + ["Atencion a la salud"] + fila[3:]], np.array([3, 4]),
                         "latin-1") == [2, 0]


# --------------------------------------------------------------------------- header problems, bad rows


def _nacional_texto(n: int, extra_cada: int = 0) -> list[str]:
    fila = ["2024", "4", "1", "Aguascalientes", "0", "", "2", "2-Partida genérica", "2024", "1", "FEDERALES",
            "33", "Aportaciones", "I002", "FASSA", "FASSA", "ISSEA", "1", "Gasto corriente", "113", "Sueldos",
            "10.00", "11.00", "11.00", "10.00", "9.00", "8.00", "7.00", ""]
    lineas = []
    for k in range(n):
        celdas = list(fila)
        celdas[-1] = f"registro {k}"
        if extra_cada and k % extra_cada == 1:
            celdas[20] = "Sueldos, base"  # an unquoted comma: one cell too many
        lineas.append(",".join(celdas))
    return lineas


def test_encabezado_con_coma_final_se_rechaza_de_inmediato(tmp_path):
    ruta = tmp_path / "raw" / "srft" / "coma_final.csv"
    ruta.parent.mkdir(parents=True)
    ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP) + ",", *_nacional_texto(3)]) + "\n", encoding="latin-1")
    with pytest.raises(ErrorEntrada) as info:
        srft.leer_encabezado(ruta)
    e = info.value
    assert (e.fila, e.columna) == (1, "AD")
    assert "la columna AD (n.º 30) del encabezado no tiene nombre" in e.motivo and "al final de la línea" in e.motivo
    (r,) = ingesta.ingerir(tmp_path)
    assert r.error == str(e) and almacen.leer(tmp_path / "processed", "srft").empty


def test_encabezado_que_no_corresponde_a_los_datos(tmp_path):
    ruta = tmp_path / "corto.csv"
    datos_ = [",".join(c.split(",")[:-1]) for c in _nacional_texto(3)]  # 28 cells a row, 29 in the header
    ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP), *datos_]) + "\n", encoding="latin-1")
    with pytest.raises(ErrorEntrada) as info:
        srft.leer_encabezado(ruta)
    assert info.value.fila == 1
    assert "el encabezado tiene 29 columnas y las primeras 3 filas de datos tienen 28" in info.value.motivo


def test_dialecto_mas_cercano_nombra_lo_que_falta(tmp_path):
    ruta = tmp_path / "sistema_sin_devengado.csv"
    encabezado = [c for c in srft.COLUMNAS_SISTEMA if c != "DEVENGADO"]
    ruta.write_text(",".join(f'"{c}"' for c in encabezado) + "\n", encoding="utf-8")
    with pytest.raises(ErrorEntrada) as info:
        srft.leer_encabezado(ruta)
    assert info.value.motivo == ("no tiene el formato del SRFT de SHCP (exportación del sistema SRFT): faltan las "
                                 "columnas DEVENGADO")


def test_filas_malas_no_parten_la_conversion_en_corridas(tmp_path, monkeypatch):
    """Good rows between bad ones are converted together, with their own row numbers."""
    ruta = tmp_path / "alternas.csv"
    ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP), *_nacional_texto(600, extra_cada=2)]) + "\n",
                    encoding="latin-1")
    llamadas = []
    original = srft.convertir_bloque

    def contar(lote, *args, **kwargs):
        llamadas.append(lote.num_rows)
        return original(lote, *args, **kwargs)

    monkeypatch.setattr(srft, "convertir_bloque", contar)
    bloques = list(srft.leer_lotes(ruta))
    assert llamadas == [300]  # one conversion, not one per run of good rows
    filas = [f for b in bloques for f in b.partidas.column("fila").to_pylist()]
    assert filas == [k + 2 for k in range(600) if k % 2 == 0]
    malas = pd.concat([b.rechazos for b in bloques])
    assert sorted(malas["fila"]) == [k + 2 for k in range(600) if k % 2 == 1]
    assert set(malas["columna"]) == {"(fila completa)"}


@pytest.mark.parametrize("exacto", [False, True])
def test_una_fila_repetida_despues_de_una_fila_mala_se_reconoce(tmp_path, monkeypatch, exacto):
    """A latin-1 file is read as bytes until a malformed row, then as text (by Arrow's tolerant reader, or by
    the exact csv-module path when Arrow cannot go on): a row with accents repeated across that switch is
    still the same row, fingerprinted on the file's bytes both times."""
    lineas = _nacional_texto(200)
    lineas[120] = lineas[120].replace("Sueldos", "Sueldos, base")  # one cell too many: row 122
    lineas[5] = lineas[5].replace("registro 5", "registro 5 de Querétaro y Michoacán")
    lineas.append(lineas[5])  # the same row, with accents, at row 7 and at the end (row 202)
    ruta = tmp_path / "repetida.csv"
    ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP), *lineas]) + "\n", encoding="latin-1")
    if exacto:
        def sin_arrow(*args, **kwargs):
            raise pa.ArrowInvalid("forzado: Arrow no puede numerar una fila")
            yield
        monkeypatch.setattr(srft, "_convertir_en_paralelo", _solo_la_primera_vez(srft._convertir_en_paralelo,
                                                                                  sin_arrow))
    bloques = list(srft.leer_lotes(ruta, bloque_bytes=4096))
    rechazos = pd.concat([b.rechazos for b in bloques])
    assert sum(b.duplicadas for b in bloques) == 1
    repetida = rechazos[rechazos["columna"] == "(fila duplicada)"]
    assert repetida["fila"].tolist() == [202]
    assert "repite exactamente la fila 7" in repetida["motivo"].iloc[0]
    assert repetida["valor"].iloc[0].startswith("2024,4,1,Aguascalientes,0,,2,2-Partida genérica,")
    assert rechazos.loc[rechazos["columna"] == "(fila completa)", "fila"].tolist() == [122]


def _solo_la_primera_vez(original, despues):
    """``original`` for the first call (the fast path), ``despues`` for the next ones (the tolerant path)."""
    llamadas = []

    def envoltura(*args, **kwargs):
        llamadas.append(1)
        return (original if len(llamadas) == 1 else despues)(*args, **kwargs)
    return envoltura


def test_barra_de_progreso_solo_en_terminal(tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    base = _ingerir(tmp_path, "nacional_2024.csv")
    terminal = Terminal()
    monkeypatch.setattr(ingesta, "BARRA_DESDE_BYTES", 0)
    monkeypatch.setattr(sys, "stderr", terminal)
    (r,) = ingesta.ingerir(base)
    assert r.error is None and "nacional_2024.csv" in terminal.getvalue()
    archivo = io.StringIO()  # not a terminal: nothing written
    monkeypatch.setattr(sys, "stderr", archivo)
    ingesta.ingerir(base, forzar=True)
    assert archivo.getvalue() == ""


def test_validate_lista_los_problemas_y_no_las_duplicadas():
    lineas = validacion.validar_archivo(DATOS / "sistema_zacatepec_utf8.csv")
    assert [re.search(r"fila (\d+), columna «([^»]+)»", l).groups() for l in lineas] == [
        ("6", "DEVENGADO"), ("7", "CICLO_RECURSO")]


def test_procedencia_html_dice_el_corte_de_cada_concepto(tmp_path):
    from asm_analysis.publicacion import presentacion

    base = _ingerir(tmp_path, "nacional_2024.csv")
    d = _cargar_sin_rechazos(base, "01", 2024, "FASSA")
    html = str(presentacion.procedencia(d, presentacion.parametros_informe(d)))
    assert ("SRFT (SHCP), último trimestre de cada partida (trimestre 5: conceptos 1100, 2500; trimestre 4: "
            "conceptos 1500, 2100, 3300, 4400)") in html


def _todo(bloques) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    bloques = list(bloques)
    partidas = pd.concat([b.partidas.to_pandas() for b in bloques], ignore_index=True)
    rechazos = pd.concat([b.rechazos.astype(object) for b in bloques], ignore_index=True)
    rechazos = rechazos.sort_values(["fila", "columna"], kind="mergesort").reset_index(drop=True)
    return partidas, rechazos, sum(b.leidas for b in bloques), sum(b.duplicadas for b in bloques)


@pytest.mark.parametrize("nombre", ["nacional", "sistema_zacatepec_utf8.csv"])
def test_tras_una_fila_mala_arrow_sigue_y_da_lo_mismo_que_la_ruta_exacta(tmp_path, nombre):
    """After a bad row Arrow reads on (numbering rows itself): same rows, numbers, rejects and duplicates
    as the exact csv-module path over the whole file, across many blocks."""
    if nombre == "nacional":
        ruta = tmp_path / "mala_en_medio.csv"
        lineas = _nacional_texto(3000)
        lineas[1500] = lineas[1500].replace("Sueldos", "Sueldos, base")   # bad row in the middle: fila 1502
        lineas[1501] = lineas[1501].replace("Sueldos", "Sueldos, base")   # and the next one
        lineas[2400] = lineas[10]                                          # an exact repeat of fila 12, later
        lineas[2999] = lineas[2999] + ",,"                                 # the last row, two cells too many
        ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP), *lineas]) + "\n", encoding="latin-1")
    else:
        ruta = DATOS / nombre
    enc = srft.leer_encabezado(ruta)
    conceptos = pa_conceptos()
    exacto = _todo(srft._lotes_exactos(ruta, enc, 2, conceptos, srft.Huellas(), lambda _: None, filas_por_lote=97))
    arrow = _todo(srft.leer_lotes(ruta, bloque_bytes=2048))
    pd.testing.assert_frame_equal(arrow[0], exacto[0])
    pd.testing.assert_frame_equal(arrow[1], exacto[1])
    assert arrow[2:] == exacto[2:]
    if nombre == "nacional":
        assert sorted(arrow[1].loc[arrow[1]["columna"] == srft.FILA_COMPLETA, "fila"]) == [1502, 1503, 3001]
        assert list(arrow[1].loc[arrow[1]["columna"] == srft.DUPLICADA, "fila"]) == [2402]
        assert len(arrow[0]) == 3000 - 3 - 1 and arrow[2] == 3000


def pa_conceptos():
    import pyarrow as pa

    return pa.array(sorted(catalogos.conceptos()["concepto"]))


def test_fila_muy_larga_cuenta_la_fila_unida(monkeypatch):
    """A row is too long (the whole-file pass is run) by its cells joined with their separators, as
    :func:`srft._textos_fila` joins them; the distinct values of the block together are only a bound."""
    monkeypatch.setattr(srft, "LARGO_SOSPECHOSO", 12)
    enteras = srft._enteras(srft.NACIONAL)

    def larga(filas: list[list[str | None]]) -> bool:
        tabla = pa.table({c: pa.array([f[j] for f in filas], pa.string())
                          for j, c in enumerate(["MUNICIPIO", "DESC_PP", "MONTO_APROBADO"])})
        unidas = srft._textos_fila(tabla.select(["MONTO_APROBADO"]))
        return srft._fila_muy_larga(srft._diccionarios(tabla, enteras), unidas, 3)

    assert larga([["abcd", "ef", "1.5"]]) is False                  # 4 + 2 + 3 cells, 2 separators: 11
    assert larga([["abcde", "efg", "1.5"]]) is True                 # 5 + 3 + 3 + 2: 13
    assert larga([["abcdefgh", "a", "1"], ["b", "abcdefgh", "1"]]) is False  # each row 12; the values together 21
    assert larga([["abcdefgh", None, "123"], ["b", "a", "1"]]) is True       # a missing cell counts 0: 13


@pytest.mark.parametrize("codificacion", ["latin-1", "windows-1252"])
def test_decodificar_de_una_vez_da_lo_mismo_que_valor_por_valor(codificacion):
    """Bytes of a latin-1 or Windows-1252 file decoded all at once give, value by value, what Python's
    decoding of each value gives: missing cells, empty texts and a slice of a column included."""
    rng = np.random.default_rng(7)
    indefinidos = {0x81, 0x8D, 0x8F, 0x90, 0x9D}  # refused before any decoding (Windows-1252 leaves them out)
    for _ in range(300):
        valores = [None if rng.random() < 0.15 else
                   bytes(int(b) for b in rng.integers(0x20, 0x100, int(rng.integers(0, 9)))
                         if codificacion == "latin-1" or int(b) not in indefinidos)
                   for _ in range(int(rng.integers(0, 12)))]
        arreglo = pa.array(valores, pa.binary())
        if len(arreglo) > 2 and rng.random() < 0.3:
            arreglo = arreglo.slice(1)
        obtenido = srft._decodificar(arreglo, codificacion)
        obtenido.validate(full=True)
        assert obtenido.to_pylist() == [None if v is None else v.decode(codificacion) for v in arreglo.to_pylist()]


def test_memo_guarda_el_resultado_por_regla_y_valores():
    """A rule's result is kept for the same rule and the same values (and type), never for others; kept
    results are read-only, and a dictionary of many values is not kept."""
    memo, llamadas = srft._Memo(), []

    def calcular():
        llamadas.append(1)
        return np.array([len(llamadas)]), pa.array(["x"])

    primero = memo("numero", pa.array(["1", "2"]), calcular)
    assert memo("numero", pa.array(["1", "2"]), calcular) is primero and len(llamadas) == 1
    assert memo("numero", pa.array(["0", "1", "2"]).slice(1), calcular) is primero  # wherever the values lie
    for regla, valores in (("numero", pa.array(["1", "3"])), ("texto", pa.array(["1", "2"])),
                           ("numero", pa.array([b"1", b"2"])), ("numero", pa.array(["1", None])),
                           ("numero", pa.array(["12", ""]))):  # the same bytes, split otherwise
        assert memo(regla, valores, calcular) is not primero
    assert len(llamadas) == 6
    assert not primero[0].flags.writeable
    muchos = pa.array([str(i) for i in range(srft._Memo.MAX_VALORES + 1)])
    memo("numero", muchos, calcular)
    memo("numero", muchos, calcular)
    assert len(llamadas) == 8


def test_memo_no_cambia_ningun_bloque(tmp_path, monkeypatch):
    """Blocks that repeat the small dictionaries of earlier blocks, some with a bad state key, year, partida
    or record type only in a later block: the same rows, rejects and repeats with the file's memo as
    with every rule worked on every block."""
    lineas = _nacional_texto(3000)
    for k, (columna, valor) in {2000: (2, "33"), 2100: (0, "2O24"), 2200: (19, "11X"), 2300: (6, "")}.items():
        celdas = lineas[k].split(",")
        celdas[columna] = valor
        lineas[k] = ",".join(celdas)
    ruta = tmp_path / "memo.csv"
    ruta.write_text("\n".join([",".join(srft.COLUMNAS_SHCP), *lineas]) + "\n", encoding="latin-1")
    con_memo = _todo(srft.leer_lotes(ruta, bloque_bytes=4096))
    monkeypatch.setattr(srft._Memo, "__call__", lambda self, regla, valores, calcular: calcular())
    sin_memo = _todo(srft.leer_lotes(ruta, bloque_bytes=4096))
    pd.testing.assert_frame_equal(con_memo[0], sin_memo[0])
    pd.testing.assert_frame_equal(con_memo[1], sin_memo[1])
    assert con_memo[2:] == sin_memo[2:]
    rechazos = con_memo[1].set_index("fila")["columna"]
    assert {f: rechazos.get(f) for f in (2002, 2102, 2202)} == {
        2002: "ID_ENTIDAD_FEDERATIVA", 2102: "CICLO", 2202: "ID_PARTIDA_GENERICA"}
    assert len(con_memo[0]) == 3000 - 3
