"""The SRFT «destino del gasto» (projects) export and the geographic distribution of FASSA (I002).

Fixtures are built here in the shape of the real export (Huehuetán, FAIS 2020, 4th quarter;
``shared/referencias/srft_modulos_reales.md`` §3.3): a group row over the 37 columns, packed
``{ff1:…}``, ``{meta1:…}``, ``{geo1:…}``, ``{ctto1:…}`` cells, dates ``dd-mm-yyyy``. The
municipality totals are recomputed here from the project specs, independently of the library.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from asm_analysis.anexos import geografia
from asm_analysis.comun.errores import ErrorEntrada
from asm_analysis.ejecucion import validacion
from asm_analysis.entradas import almacen, datos, ingesta, srft_proyectos
from asm_analysis.entradas.srft_proyectos import COLUMNAS, GRUPOS
from asm_analysis.publicacion import distribucion, presentacion, salidas

RECURSO = "FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)"
#: The real row, verbatim but the shortened address and contractor (FAIS, I004).
HUEHUETAN = [
    "2020", "4", "CHP200401834652", "Proyecto de inversión", "678644.95",
    "{ff1: {ciclo_recurso:2020, ramo:33, modalidad:I, prog_pres:4, tipo_recurso:FEDERALES (APORTACIONES, SUBSIDIOS "
    "Y CONVENIOS), monto:678644.95, modificado:678644.95}}",
    "CONSTRUCCIÓN DE COMEDORES COMUNITARIOS EN HUEHUETÁN LOCALIDAD   CANTÓN EL PROGRESO ASENTAMIENTO PROGRESO - 191166",
    "7", "Chiapas", "37", "Huehuetán", "Proyecto de Inversión de Infraestructura Social", "Asistencia Social",
    "Sin identificar", "HONORABLE AYUNTAMIENTO DE HUEHUETAN", "191166", "S", "47", "41", "0",
    "{meta1: {unidad_medida:Metros Cuadrados, meta:108.8, meta_modificada:108.8}}", "1",
    "{geo1: {cve_municipio:37, localidad:271, direccion:CANTÓN EL PROGRESO, HUEHUETÁN, lon:-92.37418087, "
    "lat:15.10432839}}",
    "09-11-2020", "25-12-2020", "678644.95", "678644.95", "678644.95", "678644.95", "678644.95",
    "{ctto1: {tipo_obra:Obra, numero_contrato:MHC/OPM/FISM/CO/0022/2020, contratista:CONSTRUCTORA EJEMPLO, "
    "convocante:HONORABLE AYUNTAMIENTO DE HUEHUETAN, CHIAPAS, monto:678644.95, importe_modificado:678644.95}}",
    "{meta1: {unidad_medida:Metros Cuadrados, avance:79.78}}", "{1834652/proyecto_PROCESO, 1834652/proyecto_INICIO}",
    "En Ejecución", "Validado avances", "Sin observaciones", "Sin observaciones",
]


def _ff(*fuentes: tuple[int, str, int, float]) -> str:
    """``(ramo, modalidad, prog_pres, modificado)`` → the packed funding cell."""
    return "{" + ", ".join(
        f"ff{i}: {{ciclo_recurso:2024, ramo:{r}, modalidad:{m}, prog_pres:{p}, tipo_recurso:{RECURSO}, "
        f"monto:{v}, modificado:{v}}}" for i, (r, m, p, v) in enumerate(fuentes, start=1)) + "}"


def _geo(*municipios: int) -> str:
    if not municipios:
        return ""
    return "{" + ", ".join(f"geo{i}: {{cve_municipio:{m}, localidad:1, direccion:CALLE HIDALGO, CENTRO, "
                           f"lon:-102.5{i}, lat:22.7{i}}}" for i, m in enumerate(municipios, start=1)) + "}"


#: folio, trimestre, funding, responsible municipality (id, name), geo municipalities, devengado, pagado, estatus
PROYECTOS = [
    ("ZAC240301000001", 3, _ff((33, "I", 2, 2_400_000)), (0, "Gobierno de la Entidad"), (56,), 900_000, 800_000,
     "En Ejecución"),
    ("ZAC240401000001", 4, _ff((33, "I", 2, 2_500_000)), (0, "Gobierno de la Entidad"), (56,), 2_000_000.55,
     1_800_000.25, "En Ejecución"),
    ("ZAC240401000002", 4, _ff((33, "I", 2, 1_200_000), (12, "U", 13, 300_000)), (0, "Gobierno de la Entidad"), (56,),
     1_400_000, 1_400_000, "Terminado"),
    ("ZAC240401000003", 4, _ff((33, "I", 2, 800_000)), (0, "Gobierno de la Entidad"), (10, 17), 500_000, 400_000,
     "En Ejecución"),
    ("ZAC240401000004", 4, _ff((33, "I", 2, 600_000.4)), (10, "Fresnillo"), (), 600_000, 550_000.1, "Terminado"),
    ("ZAC240401000005", 4, _ff((33, "I", 3, 999_999)), (10, "Fresnillo"), (10,), 999_999, 999_999, "Terminado"),
]
# the first project's folio is the same in both quarters (the 3rd quarter row is superseded)
PROYECTOS[0] = ("ZAC240401000001",) + PROYECTOS[0][1:]


def _fila(folio, trimestre, ff, responsable, geo, devengado, pagado, estatus, **cambios) -> list:
    valores = {
        "CICLO": 2024, "TRIMESTRE": trimestre, "FOLIO": folio, "CATEGORIA": "Proyecto de inversión",
        "MONTO_GLOBAL_APROBADO": 3_000_000, "FUENTES_FINANCIAMIENTO": ff, "NOMBRE": f"REHABILITACIÓN DEL CENTRO DE SALUD {folio[-2:]}",
        "ID_ENTIDAD_RESPONSABLE": 32, "ENTIDAD_RESPONSABLE": "Zacatecas", "ID_MUNICIPIO_RESPONSABLE": responsable[0],
        "MUNICIPIO_RESPONSABLE": responsable[1], "TIPO_PROGRAMA_PROYECTO": "Proyecto de Inversión de Infraestructura Social",
        "CLASIFICACION": "Salud", "SUBCLASIFICACION": "Sin identificar", "INSTITUCION_EJECUTORA": "SERVICIOS DE SALUD DE ZACATECAS",
        "NUMERO_PROYECTO": folio[-6:], "POBLACION_BENEFICIADA": "S", "MUJERES": 120, "HOMBRES": 110, "BENEFICIARIOS": 0,
        "METAS": "{meta1: {unidad_medida:Metros Cuadrados, meta:250, meta_modificada:250}}",
        "TIPO_GEOREFERENCIA": 1, "GEOREFERENCIAS": _geo(*geo), "FECHA_INICIO": "15-02-2024", "FECHA_TERMINO": "20-12-2024",
        "RECAUDADO": devengado, "COMPROMETIDO": devengado, "DEVENGADO": devengado, "EJERCIDO": devengado,
        "PAGADO": pagado, "CONTRATOS": "{ctto1: {tipo_obra:Obra, numero_contrato:SSZ/OP/001/2024, contratista:EJEMPLO, "
                                      "convocante:SERVICIOS DE SALUD DE ZACATECAS, monto:1000, importe_modificado:1000}}",
        "AVANCES_FISICOS": "{meta1: {unidad_medida:Metros Cuadrados, avance:80}}", "CARPETA_FOTOS": "",
        "ESTATUS": estatus, "FLUJO": "Validado avances", "OBSERVACIONES_CAPTURISTA": "Sin observaciones",
        "OBSERVACIONES_REVISION": "Sin observaciones",
    }
    valores.update(cambios)
    return [valores[c] for c in COLUMNAS]


def filas_fassa() -> list[list]:
    filas = [_fila(*p) for p in PROYECTOS]
    filas.append(_fila("ZAC240401000006", 4, _ff((33, "I", 2, 100)), (0, "Gobierno de la Entidad"), (56,), 50, 50,
                       "En Ejecución", DEVENGADO="N/A"))
    filas.append(_fila("ZAC240401000007", 4, _ff((33, "I", 2, 100)), (0, "Gobierno de la Entidad"), (56,), 50, 50,
                       "En Ejecución", GEOREFERENCIAS="{geo1: {cve_municipio:abc, lon:1, lat:2}}"))
    filas.append(_fila("ZAC240401000008", 4, _ff((33, "I", 2, 100)), (0, "Gobierno de la Entidad"), (56,), 50, 50,
                       "En Ejecución", FECHA_INICIO="31-02-2024"))
    filas.append(list(filas[4]))  # exact duplicate of ZAC240401000004 (row 7)
    return filas


def escribir_xlsx(ruta: Path, filas: list[list]) -> Path:
    libro = openpyxl.Workbook()
    ws = libro.active
    ws.title = "Proyectos"
    ws.append([GRUPOS.get(i) for i in range(len(COLUMNAS))])
    ws.append(COLUMNAS)
    for f in filas:
        ws.append([None if c == "" else c for c in f])
    ruta.parent.mkdir(parents=True, exist_ok=True)
    libro.save(ruta)
    return ruta


def escribir_csv(ruta: Path, filas: list[list], codificacion: str = "utf-8") -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with open(ruta, "w", encoding=codificacion, newline="") as f:
        w = csv.writer(f)
        w.writerow([GRUPOS.get(i, "") for i in range(len(COLUMNAS))])
        w.writerow(COLUMNAS)
        w.writerows(filas)
    return ruta


def _esperado() -> dict[int, dict]:
    """Independent sums by location of the FASSA projects, each at its last quarter."""
    ultimos: dict[str, tuple] = {}
    for p in PROYECTOS:
        if p[0] not in ultimos or p[1] > ultimos[p[0]][1]:
            ultimos[p[0]] = p
    salida: dict[int, dict] = {}
    for folio, _, ff, responsable, geo, dev, pag, estatus in ultimos.values():
        fassa = [x for x in ff.split("ff")[1:] if "ramo:33, modalidad:I, prog_pres:2," in x]
        if not fassa:
            continue
        modificado = sum(float(x.split("modificado:")[1].split("}")[0]) for x in fassa)
        lugar = geo[0] if len(set(geo)) == 1 else (-1 if geo else responsable[0])
        s = salida.setdefault(lugar, {"proyectos": 0, "modificado": 0.0, "devengado": 0.0, "pagado": 0.0,
                                      "otras": 0, "estatus": {}})
        s["proyectos"] += 1
        s["modificado"] += modificado
        s["devengado"] += dev
        s["pagado"] += pag
        s["otras"] += len(ff.split("ff")[1:]) > len(fassa)
        s["estatus"][estatus] = s["estatus"].get(estatus, 0) + 1
    return salida


# --------------------------------------------------------------------------- packed cells, real row


def test_fila_real_de_huehuetan(tmp_path):
    ruta = escribir_xlsx(tmp_path / "proyectos_huehuetan.xlsx", [HUEHUETAN])
    r = srft_proyectos.leer_proyectos(ruta)
    assert (r.leidas, r.cargadas, r.rechazadas) == (1, 1, 0), r.rechazos.to_dict("records")
    p = r.proyectos.iloc[0]
    assert (p["folio"], p["ciclo"], p["trimestre"], p["cve_ent"], p["id_municipio"]) == \
        ("CHP200401834652", 2020, 4, "07", 37)
    assert p["fecha_inicio"] == dt.date(2020, 11, 9) and p["fecha_termino"] == dt.date(2020, 12, 25)
    assert p["devengado"] == 678644.95 and p["estatus"] == "En Ejecución"
    ff = r.fuentes.iloc[0]
    assert (ff["ramo"], ff["modalidad_pp"], ff["ciclo_recurso"], ff["modificado"]) == (33, "I004", 2020, 678644.95)
    assert ff["tipo_recurso"] == RECURSO
    g = r.geo.iloc[0]
    assert (g["cve_municipio"], g["localidad"], g["lon"], g["lat"]) == (37, 271, -92.37418087, 15.10432839)
    assert g["direccion"] == "CANTÓN EL PROGRESO, HUEHUETÁN"
    c = r.contratos.iloc[0]
    assert c["convocante"] == "HONORABLE AYUNTAMIENTO DE HUEHUETAN, CHIAPAS" and c["importe_modificado"] == "678644.95"
    assert r.metas.iloc[0]["meta_modificada"] == "108.8" and r.avances.iloc[0]["avance"] == "79.78"


def test_desempacar_varias_entradas_y_errores():
    d = srft_proyectos.desempacar
    assert d("{ff1: {ramo:33, modalidad:I}, ff2: {ramo:12, modalidad:U}}", "ff") == \
        [{"n": "1", "ramo": "33", "modalidad": "I"}, {"n": "2", "ramo": "12", "modalidad": "U"}]
    assert d(None, "ctto") == [] and d("N/A", "ctto") == [] and d("Sin contratos", "ctto") == []
    for malo in ("{ff1: {ramo:33", "ramo:33", "{geo1: {}}"):
        with pytest.raises(Exception) as exc:
            d(malo, "ff" if "ff" in malo or "ramo" in malo else "geo")
        assert "formato" in str(exc.value) or "llave" in str(exc.value) or "campos" in str(exc.value)
    assert srft_proyectos.modalidad_pp("I", "2") == "I002"


# --------------------------------------------------------------------------- ingest, rejects, counts


@pytest.mark.parametrize("nombre,escribir", [("proyectos_FASSA_2024_T4.xlsx", escribir_xlsx),
                                             ("proyectos_FASSA_2024_T4.csv", escribir_csv),
                                             ("proyectos_latin1.csv", lambda r, f: escribir_csv(r, f, "latin-1"))])
def test_cada_fila_se_cuenta_una_vez(tmp_path, nombre, escribir):
    base = tmp_path / "datos"
    escribir(base / "raw" / "proyectos" / nombre, filas_fassa())
    (r,) = ingesta.ingerir(base)
    assert r.error is None, r.error
    assert (r.leidas, r.cargadas, r.rechazadas, r.duplicadas) == (len(filas_fassa()), 6, 3, 1)
    assert r.leidas == r.cargadas + r.rechazadas + r.duplicadas
    assert "duplicadas 1" in r.linea()
    rechazos = pd.read_csv(base / "processed" / r.rechazos, dtype=str, keep_default_na=False)
    lugar = f"{nombre} (hoja Proyectos)" if nombre.endswith(".xlsx") else nombre
    assert set(rechazos["archivo"]) == {lugar}
    assert set(rechazos.loc[rechazos["columna"] != "(fila duplicada)", "fondo"]) == {"FASSA"}
    por_fila = dict(zip(rechazos["fila"].astype(int), rechazos["columna"]))
    # header on row 2 (below the group row): data rows start at 3
    assert por_fila == {9: "DEVENGADO", 10: "GEOREFERENCIAS", 11: "FECHA_INICIO", 12: "(fila duplicada)"}
    guardados = almacen.leer(base / "processed", "proyectos", 2024, "32")
    assert sorted(guardados["fila"]) == [3, 4, 5, 6, 7, 8]
    assert len(almacen.leer(base / "processed", "proyectos_fuentes", 2024, "32")) == 7
    assert len(almacen.leer(base / "processed", "proyectos_geo", 2024, "32")) == 6


def test_exportacion_de_proyectos_en_la_carpeta_del_ejercicio(tmp_path):
    base = tmp_path / "datos"
    escribir_csv(base / "raw" / "srft" / "proyectos.csv", filas_fassa())
    (r,) = ingesta.ingerir(base)
    assert r.error and "raw/proyectos" in r.error


# --------------------------------------------------------------------------- geographic distribution


def _datos(tmp_path, filas=None):
    base = tmp_path / "datos"
    escribir_xlsx(base / "raw" / "proyectos" / "proyectos_FASSA_2024_T4.xlsx", filas or [_fila(*p) for p in PROYECTOS])
    from test_srft_legible import escribir_xlsx as ejercicio_xlsx, filas_fassa as filas_ejercicio

    ejercicio = [f for f in filas_ejercicio() if f[0] == "Zacatecas" and f[19] != "N/A"][:-1]  # no planted rows
    ejercicio_xlsx(base / "raw" / "srft" / "ejercicio_FASSA_2024_T4.xlsx", ejercicio)
    return base


def test_distribucion_geografica_igual_a_sumas_independientes(tmp_path):
    base = _datos(tmp_path)
    d = datos.cargar(base, "32", 2024, "FASSA")
    assert d.fuentes["proyectos"] == "srft_proyectos" and d.fuentes["destino"] == "srft"
    procedencia = str(presentacion.procedencia(d, {}))
    assert "Distribución geográfica (proyectos)" in procedencia and "SRFT (SHCP, proyectos: destino del gasto)" in procedencia
    assert sorted(a["archivo"] for a in d.archivos) == ["raw/proyectos/proyectos_FASSA_2024_T4.xlsx",
                                                        "raw/srft/ejercicio_FASSA_2024_T4.xlsx"]
    dist = distribucion.calcular(d)
    t = dist.tabla[dist.tabla["tipo_fila"] == "detalle"]
    assert t["cve_municipio"].tolist() == [10, 56, None]  # municipalities ascending, then «Varios municipios»
    t = t.assign(cve_municipio=[-1 if c is None else int(c) for c in t["cve_municipio"]]).set_index("cve_municipio")
    esperado = _esperado()
    assert set(t.index) == set(esperado) == {56, -1, 10}
    for cve, e in esperado.items():
        assert t.loc[cve, "proyectos"] == e["proyectos"]
        for m in ("modificado", "devengado", "pagado"):
            assert t.loc[cve, m] == pytest.approx(e[m], abs=0.005), (cve, m)
        assert t.loc[cve, "con_otras_fuentes"] == e["otras"]
        assert t.loc[cve, "estatus"] == "; ".join(f"{k}: {v}" for k, v in sorted(e["estatus"].items()))
    assert t.loc[56, "devengado"] == pytest.approx(2_000_000.55 + 1_400_000)  # 3rd quarter row not added
    assert t.loc[10, "municipio"] == "Fresnillo" and t.loc[-1, "municipio"] == "Varios municipios"
    assert t.loc[56, "municipio"] == "Municipio con clave 056"
    total = dist.tabla[dist.tabla["tipo_fila"] == "total"].iloc[0]
    assert total["proyectos"] == 4
    assert total["pagado"] == pytest.approx(sum(e["pagado"] for e in esperado.values()), abs=0.005)
    assert "1 proyecto(s) tienen además otras fuentes" in dist.nota and "varios municipios" in dist.nota
    # the same folder of SRFT exports alone gives Anexo 1: concept 2500 = partidas 253 + 254 at their last quarter
    from asm_analysis import auditoria

    anexo1 = auditoria.calcular(d).anexo1.set_index("concepto")
    assert anexo1.loc["2500", "devengado"] == pytest.approx(96543210.99 + 39876543.21, abs=0.005)


@pytest.mark.lenta
def test_informe_completo_solo_con_exportaciones_del_srft(tmp_path):
    """``report`` on a folder holding only SRFT exports: Anexo 1, the CSV, the sheet and the page section."""
    from asm_analysis.ejecucion import reporte

    base = _datos(tmp_path)
    r = reporte.generar("32", 2024, "FASSA", data_dir=base, out=tmp_path / "informes")
    csv_ = pd.read_csv(r.carpeta / "distribucion_geografica.csv", dtype=str, keep_default_na=False)
    total = csv_[csv_["tipo_fila"] == "total"].iloc[0]
    assert float(total["devengado"]) == pytest.approx(sum(e["devengado"] for e in _esperado().values()), abs=0.005)
    assert "distribucion_geografica" in openpyxl.load_workbook(r.carpeta / "anexos.xlsx").sheetnames
    html = next(r.carpeta.glob("*.html")).read_text(encoding="utf-8")
    assert 'id="geografia"' in html and "Fresnillo" in html
    a1 = pd.read_csv(r.carpeta / "anexo1_destino.csv", dtype=str, keep_default_na=False)
    fila = a1[(a1["concepto"] == "2500") & (a1["tipo_fila"] == "detalle")].iloc[0]
    assert float(fila["devengado"]) == pytest.approx(96543210.99 + 39876543.21, abs=0.005)


def test_csv_hoja_y_seccion(tmp_path):
    base = _datos(tmp_path)
    d = datos.cargar(base, "32", 2024, "FASSA")
    dist = distribucion.calcular(d)
    ruta = salidas.escribir_csv_distribucion(dist, tmp_path)
    leido = pd.read_csv(ruta, dtype=str, keep_default_na=False)
    assert list(leido.columns) == [*geografia.COLUMNAS, "tipo_fila"]
    assert leido["tipo_fila"].tolist() == ["detalle", "detalle", "detalle", "total"]
    assert float(leido.iloc[-1]["devengado"]) == pytest.approx(dist.tabla.iloc[-1]["devengado"])
    from asm_analysis.publicacion import calculo as calculo_mod

    wb = openpyxl.Workbook()
    salidas.escribir_hoja_distribucion(wb, calculo_mod.calcular(base, "32", 2024, "FASSA"))
    ws = wb["distribucion_geografica"]
    filas = [[c.value for c in fila] for fila in ws.iter_rows()]
    encabezado = next(i for i, f in enumerate(filas) if "Municipio" in f)
    columna = filas[encabezado].index("Municipio")
    assert filas[encabezado + 1][columna] == "Fresnillo"
    html = str(distribucion.seccion(d))
    assert 'id="geografia"' in html and "Fresnillo" in html and "<img" in html
    # no projects: nothing is shown
    vacio = datos.DatosEstado.__new__(datos.DatosEstado)
    vacio.__dict__.update(d.__dict__, proyectos=pd.DataFrame(), proyectos_fuentes=pd.DataFrame(),
                          proyectos_geo=pd.DataFrame())
    assert distribucion.seccion(vacio) is None and salidas.escribir_csv_distribucion(distribucion.calcular(vacio), tmp_path) is None


def test_mismo_trimestre_en_dos_archivos_se_niega(tmp_path):
    base = _datos(tmp_path)
    escribir_csv(base / "raw" / "proyectos" / "otra_copia.csv", [_fila(*PROYECTOS[1])])
    with pytest.raises(ErrorEntrada) as exc:
        datos.cargar(base, "32", 2024, "FASSA")
    assert "ZAC240401000001" in str(exc.value) and "otra_copia.csv" in str(exc.value)


def test_validate_dice_lo_que_reconocio(tmp_path):
    ruta = escribir_xlsx(tmp_path / "proyectos_FASSA_2024_T4.xlsx", filas_fassa())
    texto = validacion.reconocer(ruta)
    assert "proyectos (destino del gasto)" in texto and "hoja «Proyectos»" in texto and "I002" in texto
    assert "2024 T4" in texto
    lineas = validacion.validar_archivo(ruta)
    assert len(lineas) == 3 and lineas[0].startswith("proyectos_FASSA_2024_T4.xlsx (hoja Proyectos), fila 9, "
                                                      "columna «DEVENGADO»")
