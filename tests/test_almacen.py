"""The store's writer: each row in the folder of its partition, in the order it came, whatever the
batches look like. Expectations are grouped in plain Python from the rows handed in."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from asm_analysis.entradas import almacen

ESQUEMA = pa.schema([("fila", pa.int64()), ("ciclo", pa.int64()), ("cve_ent", pa.string()),
                     ("nombre", pa.string()), ("monto", pa.float64())])


def _filas(n: int, semilla: int) -> list[dict]:
    azar = random.Random(semilla)
    return [{"fila": i + 2, "ciclo": azar.choice([2023, 2024]), "cve_ent": azar.choice(["01", "09", "32"]),
             "nombre": azar.choice(["Salud", "Educación", None]), "monto": round(azar.uniform(-1e6, 1e9), 2)}
            for i in range(n)]


def _esperado(filas: list[dict]) -> dict[tuple, list[dict]]:
    grupos: dict[tuple, list[dict]] = {}
    for f in filas:
        grupos.setdefault((f["ciclo"], f["cve_ent"]), []).append(
            {k: v for k, v in f.items() if k not in ("ciclo", "cve_ent")})
    return grupos


def _leido(base) -> dict[tuple, list[dict]]:
    """Every partition folder's rows, its parts read in the order they were opened."""
    salida = {}
    for carpeta in base.glob("ciclo=*/cve_ent=*"):
        partes = sorted(carpeta.glob("*.parquet"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        clave = (int(carpeta.parent.name.split("=")[1]), carpeta.name.split("=")[1])
        salida[clave] = [r for p in partes for r in pq.read_table(p, partitioning=None).to_pylist()]
    return salida


def _lotes(filas: list[dict], tamano: int) -> list[pa.RecordBatch]:
    return [pa.RecordBatch.from_pylist(filas[i:i + tamano], schema=ESQUEMA) for i in range(0, len(filas), tamano)]


@pytest.mark.parametrize("tamano", [1, 7, 500, 5000])
def test_cada_fila_en_su_particion_y_en_su_orden(tmp_path, tamano):
    filas = _filas(3000, semilla=tamano)
    almacen.escribir(tmp_path, "t", "abc123", _lotes(filas, tamano), ESQUEMA)
    assert _leido(tmp_path / "t") == _esperado(filas)
    for parte in (tmp_path / "t").rglob("*.parquet"):
        assert parte.name.startswith("abc123-")
        assert pq.read_schema(parte).names == ["fila", "nombre", "monto"]  # partition columns are folders


def test_pocas_partes_abiertas_y_poca_espera_no_pierden_ni_desordenan_filas(tmp_path, monkeypatch):
    monkeypatch.setattr(almacen, "PARTES_ABIERTAS", 2)
    monkeypatch.setattr(almacen, "FILAS_EN_ESPERA", 50)
    monkeypatch.setattr(almacen, "FILAS_POR_GRUPO", 20)
    filas = _filas(2000, semilla=3)
    almacen.escribir(tmp_path, "t", "abc123", _lotes(filas, 37), ESQUEMA)
    assert _leido(tmp_path / "t") == _esperado(filas)
    partes = list((tmp_path / "t").rglob("*.parquet"))
    assert len(partes) > 6  # parts were closed and new ones opened for the same partition
    for parte in partes:
        metadatos = pq.ParquetFile(parte).metadata
        assert all(metadatos.row_group(i).num_rows <= 20 for i in range(metadatos.num_row_groups))


def test_la_misma_fuente_reemplaza_sus_partes_y_no_toca_otras(tmp_path):
    viejas, nuevas = _filas(400, semilla=1), _filas(300, semilla=2)
    almacen.escribir(tmp_path, "t", "fuente", _lotes(viejas, 100), ESQUEMA)
    almacen.escribir(tmp_path, "t", "otra", _lotes(viejas, 100), ESQUEMA)
    almacen.borrar_fuente(tmp_path, "fuente")
    almacen.escribir(tmp_path, "t", "fuente", _lotes(nuevas, 100), ESQUEMA)
    leidas = almacen.leer(tmp_path, "t")
    assert len(leidas) == len(viejas) + len(nuevas)
    assert sorted(leidas["monto"]) == sorted(f["monto"] for f in viejas + nuevas)


def test_tabla_y_dataframe_se_escriben_igual_que_los_lotes(tmp_path):
    filas = _filas(300, semilla=5)
    tabla = pa.Table.from_pylist(filas, schema=ESQUEMA)
    almacen.escribir(tmp_path / "a", "t", "x", tabla, ESQUEMA)
    almacen.escribir(tmp_path / "b", "t", "x", tabla.to_pandas(), ESQUEMA)
    assert _leido(tmp_path / "a" / "t") == _leido(tmp_path / "b" / "t") == _esperado(filas)
    almacen.escribir(tmp_path / "c", "t", "x", tabla.slice(0, 0).to_pandas(), ESQUEMA)
    assert not (tmp_path / "c").exists()


def test_valor_de_particion_con_caracteres_especiales_o_vacio(tmp_path):
    filas = [{"fila": 2, "ciclo": 2024, "cve_ent": "a b/c", "nombre": "x", "monto": 1.0},
             {"fila": 3, "ciclo": 2024, "cve_ent": None, "nombre": "y", "monto": 2.0}]
    almacen.escribir(tmp_path, "t", "x", _lotes(filas, 10), ESQUEMA)
    assert sorted(p.name for p in (tmp_path / "t" / "ciclo=2024").iterdir()) == [
        "cve_ent=__HIVE_DEFAULT_PARTITION__", "cve_ent=a%20b%2Fc"]
