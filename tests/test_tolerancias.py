"""Tolerances of the audit: the shipped JSON is the source of the defaults, a data folder's file
and a file given by the user lay over them (in that order), and a bad file is named in Spanish.

The shipped file is never edited: tests that change the defaults point the loader at a copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from asm_analysis.auditoria import auditar_tablas, tolerancias
from asm_analysis.auditoria.tolerancias import Tolerancias
from asm_analysis.comun.errores import ErrorEntrada

PAQUETE = str(tolerancias._ruta_del_paquete())


def _contenido_del_paquete() -> dict:
    return json.loads(Path(PAQUETE).read_text(encoding="utf-8"))


@pytest.fixture
def paquete(tmp_path, monkeypatch):
    """Point the package defaults at a copy of the shipped file; returns a function that writes it."""
    ruta = tmp_path / "paquete" / "tolerancias.json"
    ruta.parent.mkdir()

    def escribir(contenido: dict) -> Path:
        ruta.write_text(json.dumps(contenido, ensure_ascii=False), encoding="utf-8")
        tolerancias._del_paquete.cache_clear()
        return ruta

    escribir(_contenido_del_paquete())
    monkeypatch.setattr(tolerancias, "_ruta_del_paquete", lambda: ruta)
    tolerancias._del_paquete.cache_clear()
    yield escribir
    tolerancias._del_paquete.cache_clear()


def _escribir(ruta: Path, contenido: object) -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(contenido if isinstance(contenido, str) else json.dumps(contenido), encoding="utf-8")
    return ruta


def _destino_con_subtotal_desviado(desvio: float) -> pd.DataFrame:
    """Two concepts of chapter 1000 and a subtotal whose modificado is off by ``desvio`` pesos."""
    return pd.DataFrame([
        dict(fila=2, capitulo="1000", concepto="1100", descripcion="Remuneraciones permanentes",
             aprobado=100.0, modificado=100.0, devengado=95.0, pagado=90.0, disponible=5.0),
        dict(fila=3, capitulo="1000", concepto="1200", descripcion="Remuneraciones transitorias",
             aprobado=50.0, modificado=60.0, devengado=58.0, pagado=58.0, disponible=2.0),
        dict(fila=4, capitulo="1000", concepto=None, descripcion="Subtotal capítulo 1000",
             aprobado=150.0, modificado=160.0 + desvio, devengado=153.0, pagado=148.0, disponible=7.0),
    ])


# --------------------------------------------------------------------------- defaults from the JSON


def test_los_valores_por_omision_son_los_del_archivo_del_paquete():
    contenido = _contenido_del_paquete()
    t = Tolerancias()
    assert t.valores() == {k: v["valor"] for k, v in contenido.items()}
    assert t.valores() == {"monto": 1.0, "porcentaje": 0.05, "cumplimiento": 0.5, "ejecucion_baja": 90.0,
                           "valor_indicador": 0.01, "variacion_anual": 25.0}
    assert t.origenes == (PAQUETE,)
    assert all(isinstance(v.get("unidad"), str) and v["unidad"] for v in contenido.values())


def test_cambiar_el_json_del_paquete_cambia_lo_que_se_audita(paquete):
    destino = _destino_con_subtotal_desviado(5.0)
    # the shipped tolerance (1 peso) flags the 5-peso gap
    assert list(auditar_tablas(2024, destino=destino)["regla"]) == ["A1-SUBTOTAL"]
    contenido = _contenido_del_paquete()
    contenido["monto"]["valor"] = 10.0
    ruta = paquete(contenido)
    assert Tolerancias().monto == 10.0 and Tolerancias().origenes == (str(ruta),)
    assert auditar_tablas(2024, destino=destino).empty
    assert list(auditar_tablas(2024, destino=_destino_con_subtotal_desviado(11.0))["regla"]) == ["A1-SUBTOTAL"]


def test_el_json_del_paquete_se_lee_una_vez(paquete, monkeypatch):
    lecturas = []
    leer = tolerancias._leer_json
    monkeypatch.setattr(tolerancias, "_leer_json", lambda ruta: lecturas.append(ruta) or leer(ruta))
    tolerancias._del_paquete.cache_clear()
    for _ in range(3):
        Tolerancias()
    Tolerancias().tabla()
    assert len(lecturas) == 1


def test_un_json_del_paquete_sin_una_tolerancia_falla_nombrandola(paquete):
    contenido = _contenido_del_paquete()
    del contenido["variacion_anual"]
    ruta = paquete(contenido)
    with pytest.raises(ErrorEntrada) as exc:
        Tolerancias()
    assert str(exc.value) == f"Error en archivo «{ruta}»: falta la tolerancia «variacion_anual»"


def test_cada_tolerancia_tiene_el_nombre_con_que_la_lee_un_lector(paquete):
    assert tolerancias.nombre("ejecucion_baja") == "ejecución baja («ejecucion_baja»)"
    assert all(isinstance(v.get("nombre"), str) and v["nombre"] for v in _contenido_del_paquete().values())
    _sin_campo_falla_nombrandolo(paquete, "monto", "nombre")


def test_un_json_del_paquete_sin_unidad_falla_nombrandola(paquete):
    _sin_campo_falla_nombrandolo(paquete, "porcentaje", "unidad")


def _sin_campo_falla_nombrandolo(paquete, tolerancia: str, campo: str) -> None:
    """The package's JSON without ``campo`` of ``tolerancia``: loading it names both and the file."""
    contenido = _contenido_del_paquete()
    del contenido[tolerancia][campo]
    ruta = paquete(contenido)
    with pytest.raises(ErrorEntrada) as exc:
        Tolerancias()
    assert str(exc.value) == f"Error en archivo «{ruta}»: la tolerancia «{tolerancia}» no tiene «{campo}»"


# --------------------------------------------------------------------------- tolerances in force


def test_en_vigor_paquete_luego_carpeta_de_datos_luego_archivo(tmp_path):
    datos = tmp_path / "datos"
    propio = _escribir(datos / "tolerancias.json", {"monto": 2.0, "porcentaje": {"valor": 0.2}})
    dado = _escribir(tmp_path / "mias.json", {"monto": 3})
    t = Tolerancias.en_vigor(datos, dado)
    assert (t.monto, t.porcentaje, t.cumplimiento) == (3.0, 0.2, 0.5)
    assert t.origenes == (PAQUETE, str(propio), str(dado))
    solo_carpeta = Tolerancias.en_vigor(datos)
    assert (solo_carpeta.monto, solo_carpeta.porcentaje) == (2.0, 0.2)
    assert solo_carpeta.origenes == (PAQUETE, str(propio))
    solo_archivo = Tolerancias.en_vigor(None, dado)
    assert (solo_archivo.monto, solo_archivo.porcentaje) == (3.0, 0.05)
    assert solo_archivo.origenes == (PAQUETE, str(dado))


def test_en_vigor_sin_archivos_son_los_del_paquete(tmp_path):
    t = Tolerancias.en_vigor(tmp_path)  # a data folder without tolerancias.json
    assert t == Tolerancias() and t.origenes == (PAQUETE,)
    assert Tolerancias.en_vigor() == Tolerancias()


def test_en_vigor_con_un_archivo_que_no_existe_falla(tmp_path):
    with pytest.raises(ErrorEntrada) as exc:
        Tolerancias.en_vigor(tmp_path, tmp_path / "no_hay.json")
    assert str(exc.value) == f"Error en archivo «{tmp_path / 'no_hay.json'}»: el archivo de tolerancias no existe"


def test_los_origenes_no_cuentan_en_la_igualdad(tmp_path):
    igual = _escribir(tmp_path / "igual.json", {"monto": 1.0})
    t = Tolerancias.en_vigor(None, igual)
    assert t == Tolerancias() and hash(t) == hash(Tolerancias())
    assert t.origenes != Tolerancias().origenes


def test_tabla_de_las_tolerancias_en_vigor(tmp_path):
    datos = tmp_path / "datos"
    propio = _escribir(datos / "tolerancias.json", {"cumplimiento": 1.5})
    dado = _escribir(tmp_path / "mias.json", {"monto": 3})
    tabla = Tolerancias.en_vigor(datos, dado).tabla()
    assert list(tabla.columns) == ["tolerancia", "valor", "descripcion", "unidad", "origen"]
    assert list(tabla["tolerancia"]) == ["monto", "porcentaje", "cumplimiento", "ejecucion_baja", "valor_indicador",
                                         "variacion_anual"]
    fila = tabla.set_index("tolerancia")
    assert tuple(fila.loc["monto", ["valor", "unidad", "origen"]]) == (3.0, "pesos", str(dado))
    assert tuple(fila.loc["cumplimiento", ["valor", "unidad", "origen"]]) == (1.5, "puntos porcentuales", str(propio))
    assert tuple(fila.loc["porcentaje", ["valor", "origen"]]) == (0.05, PAQUETE)
    assert fila.loc["monto", "descripcion"] == _contenido_del_paquete()["monto"]["descripcion"]


def test_tabla_dice_cuando_un_valor_se_dio_en_el_codigo():
    fila = Tolerancias(monto=7.0).tabla().set_index("tolerancia")
    assert (fila.loc["monto", "origen"], fila.loc["porcentaje", "origen"]) == ("valor dado en el código", PAQUETE)
    desde_dict = Tolerancias.desde_dict({"porcentaje": 0.3}, "cuaderno").tabla().set_index("tolerancia")
    assert (desde_dict.loc["porcentaje", "valor"], desde_dict.loc["porcentaje", "origen"]) == (0.3, "cuaderno")


def test_documentadas_son_las_del_paquete():
    doc = Tolerancias.documentadas()
    assert list(doc.columns) == ["tolerancia", "valor", "descripcion"]
    assert dict(zip(doc["tolerancia"], doc["valor"])) == Tolerancias().valores()


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("contenido, motivo", [
    ({"montos": 10}, "«montos» no es una tolerancia conocida (cumplimiento, ejecucion_baja, monto, porcentaje, "
                     "valor_indicador, variacion_anual)"),
    ({"monto": -1}, "la tolerancia «monto» debe ser un número mayor o igual a cero"),
    ({"porcentaje": True}, "la tolerancia «porcentaje» debe ser un número mayor o igual a cero"),
    ({"cumplimiento": "0.5"}, "la tolerancia «cumplimiento» debe ser un número mayor o igual a cero"),
    ({"ejecucion_baja": {"descripcion": "sin valor"}}, "la tolerancia «ejecucion_baja» debe ser un número mayor o "
                                                       "igual a cero"),
    ([1, 2], "el archivo de tolerancias debe ser un objeto JSON"),
    ('{"monto": 1,}', "el archivo de tolerancias no es JSON válido (Expecting property name enclosed in double "
                      "quotes, línea 1)"),
])
def test_un_archivo_malo_falla_nombrando_archivo_y_clave(tmp_path, contenido, motivo):
    ruta = _escribir(tmp_path / "datos" / "tolerancias.json", contenido)
    for leer in (lambda: Tolerancias.en_vigor(ruta.parent), lambda: Tolerancias.en_vigor(None, ruta),
                 lambda: Tolerancias.desde_archivo(ruta)):
        with pytest.raises(ErrorEntrada) as exc:
            leer()
        assert str(exc.value) == f"Error en archivo «{ruta}»: {motivo}"
