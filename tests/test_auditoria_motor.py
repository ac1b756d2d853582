"""The rule engine: rules declared once with the ``@regla`` decorator, in a fixed order, and a
finding can only carry an id its function declared.

Registry behaviour is tested on fresh :class:`Registro` objects so the audit's own registry
is never touched; the last tests pin the audit's registry (ids, order, documentation).
"""

from __future__ import annotations

import datetime as dt

import pytest

from asm_analysis import auditoria
from asm_analysis.auditoria import motor
from asm_analysis.auditoria.insumos import Entradas
from asm_analysis.auditoria.motor import ErrorDeRegla, Registro
from asm_analysis.auditoria.tolerancias import Tolerancias

ENTRADAS = Entradas(ciclo=2024, fecha_corte=dt.date(2025, 9, 30))

#: Documentation order of the rules (what REGLAS, the README, the report and the xlsx list).
ORDEN_DOCUMENTADO = [
    "A1-SUBTOTAL", "A1-TOTAL", "A1-MOMENTOS", "A1-NEGATIVO", "A1-DISPONIBLE", "A1-CAPITULO", "A1-ETIQUETA-ANIO",
    "A1-SRFT", "A1-SRFT-PROGRAMA", "A1-SRFT-CORTE", "A1-SRFT-ESTATUS", "A1-EJECUCION",
    "A2-SUBTOTAL", "A2-TOTAL", "A2-PORCENTAJE", "A2-SUMA-PORCENTAJES", "A2-ETIQUETA", "A2-ETIQUETA-ANIO",
    "A4-CUMPLIMIENTO", "A4-CUMPLIMIENTO-SENTIDO", "A4-CUMPLIMIENTO-TOPE", "A4-META", "A4-JUSTIFICACION",
    "A4-ROJO", "A4-SOBRECUMPLIMIENTO", "A4-ANTERIOR-COPIA", "A4-ANTERIOR-DIFIERE",
    "A4-SRFT-AVANCE", "A4-SRFT-AUSENTE", "A4-SRFT-LIBRO",
    "ASM-AVANCE", "ASM-FECHAS", "ASM-CAMPOS", "ASM-NO-ATENDIDO", "ASM-ESTATUS", "ASM-INCOMPLETO", "ASM-VENCIDO",
    "X-A2-A1", "X-A2-SRFT", "X-A6-A4", "X-A1-ANUAL", "X-ASM-DESAPARECIDO", "X-ASM-CERRADO",
    "X-ANTERIOR-INCOMPLETO",
]


# --------------------------------------------------------------------------- the decorator


def test_una_regla_declarada_dos_veces_falla():
    r = Registro()

    @r.regla("T-UNO", "error", "Anexo 1", "Primera declaración.")
    def uno(e, tol):
        return []

    with pytest.raises(ErrorDeRegla, match="«T-UNO» ya está declarada"):
        @r.regla("T-UNO", "advertencia", "Anexo 2", "Segunda declaración.")
        def otra(e, tol):
            return []

    assert [x.id for x in r.reglas()] == ["T-UNO"] and r.reglas()[0].severidad == "error"
    assert [f for f, _ in r.funciones()] == [uno]


def test_la_misma_regla_apilada_dos_veces_en_una_funcion_falla():
    r = Registro()
    with pytest.raises(ErrorDeRegla, match="«T-UNO» ya está declarada"):
        @r.regla("T-UNO", "error", "Anexo 1", "Arriba.")
        @r.regla("T-UNO", "error", "Anexo 1", "Abajo.")
        def uno(e, tol):
            return []


def test_redeclarar_una_regla_de_la_auditoria_falla_sin_tocar_el_registro():
    antes = dict(auditoria.REGLAS)
    with pytest.raises(ErrorDeRegla, match="A1-SUBTOTAL"):
        @motor.regla("A1-SUBTOTAL", "info", "Anexo 1", "Otra descripción.")
        def impostora(e, tol):
            return []
    assert motor.tabla_de_reglas() == antes
    assert "impostora" not in {f.__name__ for f, _ in motor.REGISTRO.funciones()}


@pytest.mark.parametrize("severidad, anexo, texto", [("grave", "Anexo 1", "severidad desconocida: «grave»"),
                                                     ("error", "Anexo 9", "anexo desconocido: «Anexo 9»")])
def test_severidad_o_anexo_desconocidos_fallan(severidad, anexo, texto):
    with pytest.raises(ErrorDeRegla, match=texto):
        Registro().regla("T-UNO", severidad, anexo, "Descripción.")


def test_decoradores_apilados_documentan_de_arriba_abajo_y_la_funcion_corre_una_vez():
    r = Registro()
    llamadas = []

    @r.regla("T-PRIMERA", "error", "Anexo 1", "Antes de la doble.")
    def primera(e, tol):
        return []

    @r.regla("T-ROJO", "advertencia", "Anexo 4", "Arriba.")
    @r.regla("T-VERDE", "info", "Anexo 4", "Abajo.")
    def doble(e, tol):
        llamadas.append(1)
        return [r.hallazgo("T-VERDE", "indicador «x»", "verde."), r.hallazgo("T-ROJO", "", "rojo.")]

    assert [x.id for x in r.reglas()] == ["T-PRIMERA", "T-ROJO", "T-VERDE"]
    assert r.funciones() == [(primera, ("T-PRIMERA",)), (doble, ("T-ROJO", "T-VERDE"))]
    h = r.hallazgos(ENTRADAS, Tolerancias())
    assert llamadas == [1]
    assert [(x.regla, x.severidad, x.anexo, x.mensaje) for x in h] == [
        ("T-VERDE", "info", "Anexo 4", "Indicador «x»: verde."), ("T-ROJO", "advertencia", "Anexo 4", "rojo.")]


def test_un_hallazgo_de_una_regla_que_su_funcion_no_declaro_falla():
    r = Registro()

    @r.regla("T-UNO", "error", "Anexo 1", "La que declara.")
    def uno(e, tol):
        return [r.hallazgo("T-DOS", "capítulo 1000", "de otra función.")]

    @r.regla("T-DOS", "error", "Anexo 1", "De otra función.")
    def dos(e, tol):
        return []

    with pytest.raises(ErrorDeRegla, match=r"uno produjo un hallazgo de la regla «T-DOS», que no declaró \(T-UNO\)"):
        r.hallazgos(ENTRADAS, Tolerancias())
    with pytest.raises(ErrorDeRegla, match="T-DOS"):
        motor.ejecutar(ENTRADAS, Tolerancias(), registro=r)


def test_un_hallazgo_de_una_regla_no_declarada_falla_al_crearlo():
    with pytest.raises(ErrorDeRegla, match="«X-INVENTADA» no está declarada"):
        motor._hallazgo("X-INVENTADA", "capítulo 1000", "texto.")


def test_la_severidad_y_el_anexo_del_hallazgo_son_los_declarados():
    h = motor._hallazgo("ASM-NO-ATENDIDO", "hoja asm, fila 4", "texto.", 50.0, 100.0, -50.0, 4)
    assert (h.severidad, h.anexo, h.mensaje) == ("error", "Anexo 3", "Hoja asm, fila 4: texto.")
    assert h.registro()["anexo"] == "Anexo 3" and h.registro()["_fila"] == 4.0


def test_cada_regla_declara_la_unidad_de_sus_cifras_y_la_columna_la_precisa():
    """What a finding's figures are is declared once, at its rule; a column may name another unit."""
    assert motor.unidades("A1-SUBTOTAL", "hoja destino, fila 9, capítulo 1000, columna «modificado»") == ("pesos", "pesos")
    assert motor.unidades("A2-PORCENTAJE", "hoja concurrencia, fila 2, columna «porcentaje»") == ("porcentaje", "puntos")
    assert motor.unidades("A2-ETIQUETA-ANIO", "hoja concurrencia, fila 13, total, columna «comentarios»") == ("anio", "anio")
    assert motor.unidades("ASM-FECHAS", "") == ("dias", "dias")
    assert motor.unidades("A1-SRFT-CORTE", "SRFT, trimestre 5") == ("conteo", "conteo")
    assert motor.unidades("A4-SRFT-LIBRO", "hoja indicadores, fila 2, indicador «x», columna «meta»") == ("valor", "valor")
    assert motor.unidades("A4-SRFT-LIBRO", "hoja indicadores, fila 2, indicador «x», columna «avance_meta_reportado»") \
        == ("porcentaje", "puntos")
    assert motor.unidades("A2-ETIQUETA", "") == (None, None) and motor.unidades("X-INVENTADA") == (None, None)
    sin_cifras = {"A2-ETIQUETA", "A4-SRFT-AUSENTE", "ASM-CAMPOS", "ASM-INCOMPLETO", "X-ANTERIOR-INCOMPLETO"}
    assert {r.id for r in motor.REGISTRO.reglas() if r.unidad is None} == sin_cifras
    assert all(r.unidad in motor.UNIDADES for r in motor.REGISTRO.reglas() if r.id not in sin_cifras)


def test_un_hallazgo_con_cifras_de_una_regla_sin_unidad_falla():
    r = Registro()

    @r.regla("T-SIN", "advertencia", "Anexo 2", "Sin cifras.")
    def sin(e, tol):
        return [r.hallazgo("T-SIN", "fila 2", "nada.")]

    assert [h.regla for h in r.hallazgos(ENTRADAS, Tolerancias())] == ["T-SIN"]
    with pytest.raises(ErrorDeRegla, match="«T-SIN» trae cifras, pero la regla no declaró su unidad"):
        r.hallazgo("T-SIN", "fila 2", "con cifra.", 3.0)
    with pytest.raises(ErrorDeRegla, match="unidad desconocida: «metros»"):
        r.regla("T-OTRA", "error", "Anexo 1", "Descripción.", unidad="metros")


def test_ordenar_sigue_los_modulos_y_no_el_orden_de_importacion():
    r = Registro()

    def declarar(modulo: str, id_: str):
        def f(e, tol):
            return []
        f.__module__ = modulo
        r.regla(id_, "error", "Anexo 1", "Descripción.")(f)

    declarar("pkg.cruces", "X-1")
    declarar("pkg.destino", "A1-1")
    declarar("pkg.cruces", "X-2")
    declarar("pkg.destino", "A1-2")
    r.ordenar(["pkg.destino", "pkg.cruces"])
    assert [x.id for x in r.reglas()] == ["A1-1", "A1-2", "X-1", "X-2"]
    with pytest.raises(ErrorDeRegla, match="pkg.cruces"):
        r.ordenar(["pkg.destino"])


# --------------------------------------------------------------------------- the audit's registry


def test_reglas_en_el_orden_documentado():
    assert list(auditoria.REGLAS) == ORDEN_DOCUMENTADO
    assert list(auditoria.documentar_reglas()["id"]) == ORDEN_DOCUMENTADO


def test_cada_funcion_corre_una_vez_en_el_orden_documentado():
    funciones = motor.REGISTRO.funciones()
    assert [i for _, ids in funciones for i in ids] == ORDEN_DOCUMENTADO
    assert len({f for f, _ in funciones}) == len(funciones) == 40
    multiples = {f.__name__: ids for f, ids in funciones if len(ids) > 1}
    assert multiples == {
        "regla_a2_sumas": ("A2-SUBTOTAL", "A2-TOTAL"),
        "regla_a4_cumplimiento": ("A4-CUMPLIMIENTO", "A4-CUMPLIMIENTO-SENTIDO", "A4-CUMPLIMIENTO-TOPE"),
        "regla_x_a2_fondo": ("X-A2-A1", "X-A2-SRFT")}


def test_cada_regla_registrada_esta_documentada():
    doc = auditoria.documentar_reglas().set_index("id")
    assert set(doc.index) == set(auditoria.REGLAS)
    for id_, (severidad, anexo, descripcion) in auditoria.REGLAS.items():
        assert severidad in auditoria.SEVERIDADES, id_
        assert anexo in auditoria.ORDEN_ANEXOS, id_
        assert len(descripcion) > 20 and descripcion.endswith("."), id_
        assert tuple(doc.loc[id_]) == (severidad, anexo, descripcion)


def test_cada_modulo_declara_las_reglas_de_su_anexo():
    prefijos = {"destino": ("A1-",), "concurrencia": ("A2-",), "indicadores": ("A4-",), "asm": ("ASM-",),
                "cruces": ("X-",)}
    for funcion, ids in motor.REGISTRO.funciones():
        modulo = funcion.__module__.rsplit(".", 1)[1]
        assert all(i.startswith(prefijos[modulo]) for i in ids), (modulo, ids)


def test_la_api_publica_se_importa_del_paquete():
    publica = {"COLUMNAS", "ORDEN_ANEXOS", "REGLAS", "SEVERIDADES", "Entradas", "Hallazgo", "Tolerancias", "auditar",
               "auditar_captura", "auditar_tablas", "calcular", "documentar_reglas", "entradas_desde_tablas"}
    assert set(auditoria.__all__) == publica
    assert all(hasattr(auditoria, n) for n in publica)
    assert auditoria.COLUMNAS[:4] == ["severidad", "anexo", "ubicacion", "regla"]
    assert auditoria.SEVERIDADES == ("error", "advertencia", "info")
    assert auditoria.ORDEN_ANEXOS[0] == "Anexo 1" and auditoria.ORDEN_ANEXOS[-1] == "Seguimiento ASM"
    assert auditoria.REGLAS["X-ASM-CERRADO"][:2] == ("info", "Seguimiento ASM")
    assert auditoria.Entradas is Entradas and auditoria.Tolerancias is Tolerancias
