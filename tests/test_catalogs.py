"""Catalogs: states resolve from anything a user types, COG keys roll up, funds resolve."""

from __future__ import annotations

import pytest

from asm_analysis.entradas import catalogos
from asm_analysis.entradas.catalogos import (
    Estado,
    Fondo,
    capitulo_de,
    capitulos,
    concepto_de,
    conceptos,
    estados,
    fondos,
    nombre_capitulo,
    nombre_concepto,
    resolver_estado,
    resolver_fondo,
)
from asm_analysis.comun.errores import ErrorEntrada

ESTADOS = estados()


def _formas_de_cada_estado() -> list[tuple[str, str]]:
    """(text a user may type, expected cve_ent) for every name, abbreviation and variant."""
    casos = []
    for fila in ESTADOS.itertuples(index=False):
        formas = {fila.nombre, fila.nombre_oficial, fila.abreviatura}
        formas.update(v for v in fila.variantes.split("|") if v)
        casos.extend((forma, fila.cve_ent) for forma in sorted(formas))
    return casos


# --------------------------------------------------------------------------- estados


def test_estados_son_32_en_orden_inegi() -> None:
    assert len(ESTADOS) == 32
    assert list(ESTADOS["cve_ent"]) == [f"{i:02d}" for i in range(1, 33)]
    assert list(ESTADOS.columns) == [
        "cve_ent",
        "nombre",
        "nombre_oficial",
        "abreviatura",
        "variantes",
    ]
    assert ESTADOS["nombre"].is_unique
    assert ESTADOS["nombre_oficial"].is_unique


@pytest.mark.parametrize(
    ("cve_ent", "nombre", "nombre_oficial"),
    [
        ("01", "Aguascalientes", "Aguascalientes"),
        ("05", "Coahuila", "Coahuila de Zaragoza"),
        ("09", "Ciudad de México", "Ciudad de México"),
        ("15", "México", "México"),
        ("16", "Michoacán", "Michoacán de Ocampo"),
        ("19", "Nuevo León", "Nuevo León"),
        ("22", "Querétaro", "Querétaro"),
        ("24", "San Luis Potosí", "San Luis Potosí"),
        ("30", "Veracruz", "Veracruz de Ignacio de la Llave"),
        ("31", "Yucatán", "Yucatán"),
        ("32", "Zacatecas", "Zacatecas"),
    ],
)
def test_nombres_oficiales(cve_ent: str, nombre: str, nombre_oficial: str) -> None:
    estado = resolver_estado(cve_ent)
    assert (estado.nombre, estado.nombre_oficial) == (nombre, nombre_oficial)


def test_nacional_solo_si_se_pide() -> None:
    todos = estados(incluir_nacional=True)
    assert len(todos) == 33
    nacional = todos[todos["cve_ent"] == "00"].iloc[0]
    assert (nacional["nombre"], nacional["abreviatura"]) == ("Nacional", "Nal.")
    assert resolver_estado("Nacional", incluir_nacional=True).cve_ent == "00"
    assert resolver_estado(0, incluir_nacional=True).es_nacional
    with pytest.raises(ErrorEntrada, match="ámbito nacional"):
        resolver_estado("Nacional")
    with pytest.raises(ErrorEntrada):
        resolver_estado("00")


@pytest.mark.parametrize("cve_ent", [f"{i:02d}" for i in range(1, 33)])
def test_resuelve_por_clave(cve_ent: str) -> None:
    numero = int(cve_ent)
    for valor in (numero, str(numero), cve_ent, f" {cve_ent} ", f"{numero}.0", float(numero)):
        assert resolver_estado(valor).cve_ent == cve_ent


@pytest.mark.parametrize(("forma", "cve_ent"), _formas_de_cada_estado())
def test_resuelve_cada_nombre_abreviatura_y_variante(forma: str, cve_ent: str) -> None:
    estado = resolver_estado(forma)
    assert estado.cve_ent == cve_ent
    # round trip: the canonical names resolve back to the same state
    assert resolver_estado(estado.nombre) == estado
    assert resolver_estado(estado.nombre_oficial) == estado
    assert resolver_estado(estado.abreviatura) == estado
    # case, accents and spacing do not matter
    assert resolver_estado(forma.upper()).cve_ent == cve_ent
    assert resolver_estado(f"  {forma.lower()}  ").cve_ent == cve_ent


@pytest.mark.parametrize(
    ("valor", "cve_ent"),
    [
        ("México", "15"),
        ("Mexico", "15"),
        ("Estado de México", "15"),
        ("estado de mexico", "15"),
        ("Edomex", "15"),
        ("EDOMEX", "15"),
        ("Edo. Méx.", "15"),
        ("Ciudad de México", "09"),
        ("ciudad de mexico", "09"),
        ("CDMX", "09"),
        ("Cd. de México", "09"),
        ("Ciudad de Méx", None),  # not listed: must not silently match
        ("Distrito Federal", "09"),
        ("D.F.", "09"),
        ("Coahuila", "05"),
        ("Coahuila de Zaragoza", "05"),
        ("Q. Roo", "23"),
        ("Q.Roo", "23"),
        ("qroo", "23"),
        ("Quintana Roo", "23"),
        ("S.L.P.", "24"),
        ("slp", "24"),
        ("San Luis Potosi", "24"),
        ("queretaro", "22"),
        ("QUERÉTARO", "22"),
        ("Querétaro de Arteaga", "22"),
        ("  nuevo leon ", "19"),
        ("Nuevo  León", "19"),
        ("N.L.", "19"),
        ("michoacan", "16"),
        ("Michoacán de Ocampo", "16"),
        ("Veracruz", "30"),
        ("Veracruz de Ignacio de la Llave", "30"),
        ("yucatan", "31"),
        ("Baja California", "02"),
        ("Baja California Sur", "03"),
        ("B.C.S.", "03"),
        ("Estado de Jalisco", "14"),
    ],
)
def test_variantes_del_diseno(valor: str, cve_ent: str | None) -> None:
    if cve_ent is None:
        with pytest.raises(ErrorEntrada):
            resolver_estado(valor)
    else:
        assert resolver_estado(valor).cve_ent == cve_ent


def test_estado_es_inmutable_y_tiene_slug() -> None:
    estado = resolver_estado("cdmx")
    assert estado == Estado("09", "Ciudad de México", "Ciudad de México", "CDMX")
    assert estado.slug == "ciudad-de-mexico"
    assert resolver_estado(estado) is estado
    with pytest.raises(AttributeError):
        estado.nombre = "otro"  # type: ignore[misc]


def test_estado_desconocido_sugiere_parecidos() -> None:
    with pytest.raises(ErrorEntrada) as excinfo:
        resolver_estado("Aguascalientez")
    mensaje = str(excinfo.value)
    assert "Aguascalientez" in mensaje
    assert "Aguascalientes" in mensaje
    assert "quizá quiso decir" in mensaje


@pytest.mark.parametrize(
    ("valor", "sugerido"), [("Jaliscoo", "Jalisco"), ("Tamaulipaz", "Tamaulipas")]
)
def test_sugerencias_con_nombre_comun(valor: str, sugerido: str) -> None:
    with pytest.raises(ErrorEntrada, match=sugerido):
        resolver_estado(valor)


@pytest.mark.parametrize("valor", ["zzzzzz", "", "   "])
def test_estado_sin_parecidos_pide_clave_inegi(valor: str) -> None:
    with pytest.raises(ErrorEntrada, match="01 a 32"):
        resolver_estado(valor)


@pytest.mark.parametrize("valor", [33, "33", "99", -1, True, 1.5])
def test_clave_fuera_de_rango(valor: object) -> None:
    with pytest.raises(ErrorEntrada):
        resolver_estado(valor)  # type: ignore[arg-type]


def test_ninguna_forma_compartida_entre_estados() -> None:
    # building the index raises if two states claim the same normalised form
    _, por_clave, _ = catalogos._indice_estados()
    assert set(por_clave.values()) == {f"{i:02d}" for i in range(0, 33)}


def test_estados_devuelve_copia() -> None:
    df = estados()
    df.loc[0, "nombre"] = "X"
    assert estados().loc[0, "nombre"] == "Aguascalientes"


# --------------------------------------------------------------------------- COG


def test_nueve_capitulos() -> None:
    df = capitulos()
    assert list(df["capitulo"]) == [f"{i}000" for i in range(1, 10)]
    assert df.loc[df["capitulo"] == "6000", "nombre"].item() == "Inversión pública"
    assert df.loc[df["capitulo"] == "4000", "nombre"].item() == (
        "Transferencias, asignaciones, subsidios y otras ayudas"
    )


def test_conceptos_cuelgan_de_su_capitulo() -> None:
    df = conceptos()
    claves_capitulo = set(capitulos()["capitulo"])
    assert df["concepto"].is_unique
    assert set(df["capitulo"]) == claves_capitulo  # every chapter has conceptos
    for fila in df.itertuples(index=False):
        assert len(fila.concepto) == 4 and fila.concepto.endswith("00")
        assert fila.capitulo in claves_capitulo
        assert fila.concepto[0] == fila.capitulo[0]
        assert fila.nombre.strip() == fila.nombre and fila.nombre


@pytest.mark.parametrize(
    ("concepto", "nombre"),
    [
        ("1100", "Remuneraciones al personal de carácter permanente"),
        ("1700", "Pago de estímulos a servidores públicos"),
        ("2500", "Productos químicos, farmacéuticos y de laboratorio"),
        ("3300", "Servicios profesionales, científicos, técnicos y otros servicios"),
        ("4700", "Transferencias a la seguridad social"),
        ("4800", "Donativos"),
        ("4900", "Transferencias al exterior"),
        ("5300", "Equipo e instrumental médico y de laboratorio"),
        ("8100", "Participaciones"),
        ("8300", "Aportaciones"),
        ("8500", "Convenios"),
        ("9900", "Adeudos de ejercicios fiscales anteriores (ADEFAS)"),
    ],
)
def test_nombres_de_conceptos(concepto: str, nombre: str) -> None:
    assert nombre_concepto(concepto) == nombre


def test_conceptos_completos() -> None:
    claves = set(conceptos()["concepto"])
    esperados = {
        "1000": range(1, 8),
        "2000": range(1, 10),
        "3000": range(1, 10),
        "4000": range(1, 10),
        "5000": range(1, 10),
        "6000": range(1, 4),
        "7000": [1, 2, 3, 4, 5, 6, 9],
        "8000": [1, 3, 5],
        "9000": [1, 2, 3, 4, 5, 6, 9],
    }
    assert claves == {f"{cap[0]}{d}00" for cap, ds in esperados.items() for d in ds}


@pytest.mark.parametrize(
    ("clave", "concepto", "capitulo"),
    [
        ("1100", "1100", "1000"),
        ("113", "1100", "1000"),
        ("1131", "1100", "1000"),
        ("11301", "1100", "1000"),
        ("253", "2500", "2000"),
        ("2531", "2500", "2000"),
        ("25301", "2500", "2000"),
        ("339", "3300", "3000"),
        ("4700", "4700", "4000"),
        ("531", "5300", "5000"),
        ("6100", "6100", "6000"),
        ("7991", "7900", "7000"),
        ("831", "8300", "8000"),
        ("9900", "9900", "9000"),
        (" 113 ", "1100", "1000"),
        ("113.0", "1100", "1000"),
        ("1131.0", "1100", "1000"),
        (113, "1100", "1000"),
        (1131.0, "1100", "1000"),
    ],
)
def test_roll_up(clave: str, concepto: str, capitulo: str) -> None:
    assert concepto_de(clave) == concepto
    assert capitulo_de(clave) == capitulo


@pytest.mark.parametrize("capitulo", [f"{i}000" for i in range(1, 10)])
def test_capitulo_se_resuelve_a_si_mismo(capitulo: str) -> None:
    assert capitulo_de(capitulo) == capitulo
    assert capitulo_de(f"{capitulo}.0") == capitulo
    with pytest.raises(ErrorEntrada):
        concepto_de(capitulo)


@pytest.mark.parametrize(
    "clave",
    ["", "abc", "11a", "11", "1", "113011", "0113", "011", "-113", "1.5"]
    + ["8200", "821", "7700", "9700"],  # conceptos that do not exist
)
def test_clave_cog_invalida(clave: str) -> None:
    with pytest.raises(ErrorEntrada, match="no corresponde a ningún concepto"):
        concepto_de(clave)
    with pytest.raises(ErrorEntrada):
        capitulo_de(clave)


def test_nombre_capitulo() -> None:
    assert nombre_capitulo("1000") == "Servicios personales"
    assert nombre_capitulo("2531") == "Materiales y suministros"
    assert nombre_capitulo("9000") == "Deuda pública"
    assert nombre_concepto("2531") == "Productos químicos, farmacéuticos y de laboratorio"


# --------------------------------------------------------------------------- fondos


def test_fassa() -> None:
    fondo = resolver_fondo("FASSA")
    assert fondo == Fondo(
        "FASSA", "Fondo de Aportaciones para los Servicios de Salud", "33", "I002"
    )
    assert fondo.ramo == "33" and fondo.modalidad_pp == "I002"


@pytest.mark.parametrize(
    ("valor", "clave"),
    [
        ("fassa", "FASSA"),
        ("I002", "FASSA"),
        ("I-002", "FASSA"),
        ("fondo de aportaciones para los servicios de salud", "FASSA"),
        ("IMSS-BIENESTAR", "IMSS-BIENESTAR"),
        ("imss bienestar", "IMSS-BIENESTAR"),
        ("IMSS-Bienestar", "IMSS-BIENESTAR"),
        ("S038", "IMSS-BIENESTAR"),
        ("S-038", "IMSS-BIENESTAR"),
        ("Programa IMSS-BIENESTAR", "IMSS-BIENESTAR"),
        ("FAETA", "FAETA"),
        ("I010", "FAETA"),
        ("FAIS", "FAIS"),
        ("I004", "FAIS"),
        ("FAM", "FAM"),
        ("I007", "FAM"),
        ("FORTAMUN-DF", "FORTAMUN"),
        ("FAFEF", "FAFEF"),
    ],
)
def test_resolver_fondo(valor: str, clave: str) -> None:
    assert resolver_fondo(valor).clave == clave


def test_imss_bienestar() -> None:
    fondo = resolver_fondo("imss bienestar")
    assert fondo.modalidad_pp == "S038"
    assert fondo.slug == "imss-bienestar"


def test_fondos_catalogo() -> None:
    df = fondos()
    assert {"FASSA", "IMSS-BIENESTAR", "FAETA", "FAIS", "FAM", "FORTAMUN", "FAFEF"} <= set(
        df["fondo"]
    )
    assert df["fondo"].is_unique
    assert df["modalidad_pp"].is_unique
    for fila in df.itertuples(index=False):
        assert resolver_fondo(fila.fondo).modalidad_pp == fila.modalidad_pp
        assert resolver_fondo(fila.modalidad_pp).clave == fila.fondo
        for alias in fila.aliases.split("|"):
            assert resolver_fondo(alias).clave == fila.fondo


def test_fondo_desconocido_lista_claves() -> None:
    with pytest.raises(ErrorEntrada) as excinfo:
        resolver_fondo("FASA2")
    mensaje = str(excinfo.value)
    assert "FASA2" in mensaje and "FASSA" in mensaje and "IMSS-BIENESTAR" in mensaje
