"""National CSVs (DESIGN §3c): the shipped published ASM files, and rejects with their reasons."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from asm_analysis.entradas import nacional, tablas
from asm_analysis.comun.errores import ErrorEntrada

RAIZ = Path(__file__).resolve().parents[1]
ASM = RAIZ / "data" / "raw" / "asm"


def _filas_crudas(ruta: Path) -> list[dict]:
    with open(ruta, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_imss_bienestar_publicado():
    r = nacional.leer_nacional(ASM / "publicado_imss_bienestar_2022.csv", "asm")
    assert (r.leidas, r.cargadas, r.rechazadas) == (8, 8, 0)
    t = r.tabla
    assert t["avance"].tolist() == [98, 100, 100, 100, 100, 33, 45, 36]
    assert t["fila"].tolist() == list(range(2, 10))
    assert set(t["cve_ent"]) == {"00"}
    assert set(t["fondo"]) == {"IMSS-BIENESTAR"}
    assert t["ciclo"].tolist() == [2022, 2022, 2022, 2021, 2021, 2020, 2020, 2019]
    assert set(t["tipo"]) == {"Institucional"}
    assert t["fecha_termino"].iloc[0] == dt.date(2022, 9, 30)
    assert t["fecha_inicio"].isna().all()
    assert list(t.columns[:4]) == ["fila", "ciclo", "cve_ent", "fondo"]


@pytest.fixture(scope="module")
def queretaro():
    return nacional.leer_nacional(ASM / "publicado_queretaro_fassa_2019.csv", "asm")


def test_queretaro_publicado(queretaro):
    r = queretaro
    assert (r.leidas, r.cargadas, r.rechazadas) == (15, 15, 0)
    t = r.tabla
    assert set(t["cve_ent"]) == {"22"}
    assert set(t["fondo"]) == {"FASSA"}
    assert t["fecha_inicio"].iloc[0] == dt.date(2020, 1, 1)
    assert t["fecha_termino"].iloc[0] == dt.date(2020, 2, 15)
    assert all(isinstance(v, dt.date) for v in t["fecha_inicio"]) and all(isinstance(v, dt.date) for v in t["fecha_termino"])
    assert (t["avance"] == 100).all()  # «100 %» in the file


def test_queretaro_tipos_normalizados(queretaro):
    crudos = [f["tipo"] for f in _filas_crudas(ASM / "publicado_queretaro_fassa_2019.csv")]
    esperado_por_crudo = {
        "DOCUMENTO ESPECÍFICO": "Específico",
        "DOCUMENTO INSTITUCIONAL": "Institucional",
        "DOCUMENTO INTERINSTITUCIONAL E INTERGUBERNAMENTAL": "Interinstitucional",
    }
    assert queretaro.tabla["tipo"].tolist() == [esperado_por_crudo[c] for c in crudos]
    assert queretaro.tabla["tipo"].value_counts().to_dict() == {
        "Institucional": 6, "Interinstitucional": 6, "Específico": 3}


@pytest.mark.parametrize(
    ("crudo", "esperado"),
    [
        ("01-ENE-20", dt.date(2020, 1, 1)),
        ("13-ABR-20", dt.date(2020, 4, 13)),
        ("05-SEP-19", dt.date(2019, 9, 5)),
    ],
)
def test_queretaro_fechas_en_el_orden_del_archivo(queretaro, crudo, esperado):
    crudas = [f["fecha_inicio"] for f in _filas_crudas(ASM / "publicado_queretaro_fassa_2019.csv")]
    posiciones = [i for i, v in enumerate(crudas) if v == crudo]
    assert posiciones
    for i in posiciones:
        assert queretaro.tabla["fecha_inicio"].iloc[i] == esperado


# --------------------------------------------------------------------------- rejects

COLUMNAS_IND = [c.nombre for c in tablas.HOJAS["indicadores"] if c.requerida]


def _indicador(**valores) -> dict:
    base = {c: "" for c in COLUMNAS_IND}
    base.update(mir="Federal", nivel="Fin", indicador="Razón de Mortalidad Materna", frecuencia="Anual",
                unidad_medida="Razón", sentido="Descendente", meta="16.46", avance="17.20",
                avance_meta_reportado="95.70%")
    base.update(valores)
    return base


def _escribir_csv(ruta: Path, identidad: list[str], filas: list[dict], codificacion: str = "utf-8") -> Path:
    with open(ruta, "w", encoding=codificacion, newline="") as f:
        w = csv.writer(f)
        w.writerow(identidad + COLUMNAS_IND)
        for fila in filas:
            w.writerow([fila.get(c, "") for c in identidad + COLUMNAS_IND])
    return ruta


FILAS_IND = [
    # (line in file, row, rejected column or None)
    (2, dict(ciclo="2023", cve_ent="22", fondo="FASSA", **_indicador()), None),
    (3, dict(ciclo="2023", cve_ent="Atlantis", fondo="FASSA", **_indicador()), "cve_ent"),
    (4, dict(ciclo="2023", cve_ent="1", fondo="fassa", **_indicador(nivel="Propósito", sentido="asc",
                                                                   meta="99.57", avance="99.71")), None),
    (5, dict(ciclo="2023", cve_ent="01", fondo="FONDO INVENTADO", **_indicador()), "fondo"),
    (6, dict(ciclo="2024", cve_ent="CDMX", fondo="I002", **_indicador(meta="noventa")), "meta"),
    (7, dict(ciclo="2024", cve_ent="Querétaro", fondo="IMSS BIENESTAR", **_indicador(mir="Estatal")), None),
]


def test_indicadores_rechazos_con_motivo(tmp_path):
    ruta = _escribir_csv(tmp_path / "indicadores_nacional.csv", ["ciclo", "cve_ent", "fondo"],
                         [f for _, f, _ in FILAS_IND])
    r = nacional.leer_nacional(ruta, "indicadores")
    malas = {linea: col for linea, _, col in FILAS_IND if col}
    assert r.leidas == len(FILAS_IND)
    assert r.rechazadas == len(malas) == 3
    assert r.cargadas == len(FILAS_IND) - 3
    assert r.leidas == r.cargadas + r.rechazadas
    assert dict(zip(r.rechazos["fila"], r.rechazos["columna"])) == malas
    assert set(r.rechazos["archivo"]) == {"indicadores_nacional.csv"}
    motivos = dict(zip(r.rechazos["columna"], r.rechazos["motivo"]))
    assert "Atlantis" in motivos["cve_ent"]
    assert "FONDO INVENTADO" in motivos["fondo"]
    assert "noventa" in motivos["meta"]
    valores = dict(zip(r.rechazos["columna"], r.rechazos["valor"]))
    assert valores == {"cve_ent": "Atlantis", "fondo": "FONDO INVENTADO", "meta": "noventa"}
    t = r.tabla
    assert t["fila"].tolist() == [2, 4, 7]
    assert t["cve_ent"].tolist() == ["22", "01", "22"]
    assert t["fondo"].tolist() == ["FASSA", "FASSA", "IMSS-BIENESTAR"]
    assert t["ciclo"].tolist() == [2023, 2023, 2024]
    assert t["sentido"].tolist() == ["Descendente", "Ascendente", "Descendente"]
    assert t["meta"].tolist() == [16.46, 99.57, 16.46]
    assert t["avance_meta_reportado"].tolist() == [95.7, 95.7, 95.7]


@pytest.mark.parametrize("codificacion", ["utf-8", "utf-8-sig"])
def test_entidad_federativa_en_lugar_de_cve_ent(tmp_path, codificacion):
    filas = [
        dict(ciclo="2023", entidad_federativa="Querétaro", fondo="FASSA", **_indicador()),
        dict(ciclo="2023", entidad_federativa="Aguascalientes", fondo="FASSA", **_indicador()),
        dict(ciclo="2023", entidad_federativa="Ciudad de México", fondo="FASSA", **_indicador()),
        dict(ciclo="2023", entidad_federativa="Atlantis", fondo="FASSA", **_indicador()),
    ]
    ruta = _escribir_csv(tmp_path / "ind.csv", ["ciclo", "entidad_federativa", "fondo"], filas, codificacion)
    r = nacional.leer_nacional(ruta, "indicadores")
    assert (r.leidas, r.cargadas, r.rechazadas) == (4, 3, 1)
    assert r.rechazos["fila"].tolist() == [5]
    assert "entidad_federativa" not in r.tabla.columns
    assert r.tabla["cve_ent"].tolist() == ["22", "01", "09"]


def test_entidad_federativa_rechaza_estado_desconocido(tmp_path):
    """The part of the entidad_federativa variant that works today: rejects and counts."""
    filas = [
        dict(ciclo="2023", entidad_federativa="Querétaro", fondo="FASSA", **_indicador()),
        dict(ciclo="2023", entidad_federativa="Atlantis", fondo="FASSA", **_indicador()),
    ]
    ruta = _escribir_csv(tmp_path / "ind.csv", ["ciclo", "entidad_federativa", "fondo"], filas)
    r = nacional.leer_nacional(ruta, "indicadores")
    assert (r.leidas, r.cargadas, r.rechazadas) == (2, 1, 1)
    assert r.rechazos["fila"].tolist() == [3]
    assert "Atlantis" in r.rechazos["motivo"].iloc[0]


def test_encabezados_con_mayusculas_y_acentos(tmp_path):
    ruta = tmp_path / "asm.csv"
    columnas = [c.nombre for c in tablas.HOJAS["asm"] if c.requerida]
    encabezado = ["CICLO", "Cve_Ent", "Fondo"] + [c.upper().replace("AREA", "ÁREA") for c in columnas]
    fila = {c: "" for c in columnas}
    fila.update(numero="1", aspecto="Actualizar el diagnóstico", tipo="Institucional", prioridad="media",
                avance="45.5 %", fecha_termino="31/12/2024", area_responsable="Planeación")
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(encabezado)
        w.writerow(["2024", "22", "FASSA"] + [fila[c] for c in columnas])
    r = nacional.leer_nacional(ruta, "asm")
    assert (r.leidas, r.cargadas, r.rechazadas) == (1, 1, 0)
    t = r.tabla.iloc[0]
    assert (t["prioridad"], t["avance"], t["fecha_termino"], t["area_responsable"]) == (
        "Media", 45.5, dt.date(2024, 12, 31), "Planeación")


@pytest.mark.parametrize(
    ("contenido", "palabra"),
    [
        (b"", "vac"),
        (b"ciclo,cve_ent,fondo,mir\n2023,22,FASSA,Federal\n", "faltan las columnas"),
    ],
)
def test_errores_de_estructura(tmp_path, contenido, palabra):
    ruta = tmp_path / "roto.csv"
    ruta.write_bytes(contenido)
    with pytest.raises(ErrorEntrada) as info:
        nacional.leer_nacional(ruta, "indicadores")
    assert "roto.csv" in str(info.value)
    assert palabra in str(info.value)


def test_archivo_inexistente(tmp_path):
    with pytest.raises(ErrorEntrada, match="no existe"):
        nacional.leer_nacional(tmp_path / "no.csv", "asm")


def test_rechazos_de_archivos_homonimos_no_se_pierden(tmp_path):
    from asm_analysis.entradas import ingesta

    (tmp_path / "raw" / "indicadores").mkdir(parents=True)
    (tmp_path / "raw" / "asm").mkdir(parents=True)
    _escribir_csv(tmp_path / "raw" / "indicadores" / "2023.csv", ["ciclo", "cve_ent", "fondo"],
                  [dict(ciclo="2023", cve_ent="Atlantis", fondo="FASSA", **_indicador())])
    columnas = ["ciclo", "cve_ent", "fondo"] + [c.nombre for c in tablas.HOJAS["asm"] if c.requerida]
    fila = dict.fromkeys(columnas, "")
    fila.update(ciclo="2023", cve_ent="22", fondo="FASSA", numero="1", aspecto="Aspecto", tipo="Institucional",
                avance="50", fecha_termino="31/12/2023")
    with open(tmp_path / "raw" / "asm" / "2023.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columnas)
        w.writerow([fila[c] for c in columnas])
    resumenes = {r.relativa: r for r in ingesta.ingerir(tmp_path)}
    assert resumenes["indicadores/2023.csv"].rechazadas == 1
    assert resumenes["asm/2023.csv"].rechazadas == 0
    filas_rechazadas = []
    for archivo in (tmp_path / "processed" / "rechazos").glob("*.csv"):
        with open(archivo, encoding="utf-8", newline="") as f:
            filas_rechazadas += list(csv.DictReader(f))
    assert [(r["fila"], r["columna"], r["valor"]) for r in filas_rechazadas] == [("2", "cve_ent", "Atlantis")]
