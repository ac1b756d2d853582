"""Writes the SRFT *Indicadores* module exports of ``tests/test_srft_indicadores.py`` (run from the repo root).

Shape: the 30-column export of ``shared/referencias/srft_modulos_reales.md`` §2.2, header verbatim
(two columns named «Justificación»), values written as the real file writes them (§2.3–2.4):
dot decimals up to 5 places, ``N/R`` in «Meta programada», ``N/D`` in «Avance (%)», blank
justifications, ``{just1:{ciclo:…,trim:…,just:…,usuario:…,fecha:dd/mm/yy}}`` blobs, «Flujo» =
``Validado``, ``"33 - …"`` code-and-name cells.

- ``huehuetan_real_2020.csv``: the five real rows of Huehuetán, Chiapas (FAIS I004 4T-2020, FORTAMUN
  I005 3T-2020) as transcribed in the reference (long «Definición»/«Método» prose shortened there
  with […]; the login, redacted there, is a made-up one here so a test can check it never shows).
- ``fassa_zacatecas_2024.xlsx`` / ``…_utf8.csv`` / ``…_latin1.csv``: the same FASSA (I002) table for
  Zacatecas 2024, quarters 1 to 4 in one file (annual indicators only in quarter 4, semestral in
  2 and 4, one quarterly indicator last reported in quarter 3), plus an exact repeat, a row with an
  unknown «Nivel del Indicador» (for Colima, so it stops only Colima's report) and a row of another
  fund. Indicator names are the FASSA MIR candidates of the reference (§4.1, not verified);
  «Clave del Indicador», goals and results are made up for the test.
- ``fassa_zacatecas_2023.csv``: the previous year (quarter 4), with one indicator that the 2024
  export no longer has and claves that changed between years for two indicators (matched by name).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from asm_analysis.entradas.srft_indicadores import ENCABEZADO

AQUI = Path(__file__).resolve().parent

RAMO33 = "33 - Aportaciones Federales para Entidades Federativas y Municipios"
UR = "416 - Dirección General de Programación y Presupuesto A"
LOGIN = "jperezh"


def blob(ciclo: int, trim: int, texto: str, fecha: str) -> str:
    return f"{{just1:{{ciclo:{ciclo},trim:{trim},just:{texto},usuario:{LOGIN},fecha:{fecha}}}}}"


# ----------------------------------------------------------------- the five real rows (reference §2.3)
J4 = blob(2020, 4, "Mayor demanda de bienes y servicios", "07/01/21")
J3 = blob(2020, 3, "Mayor demanda de bienes y servicios", "14/10/20")
FAIS = ["2020", "4", "4", "Chiapas", "Huehuetán", RAMO33, UR, "I004",
        "FAIS Municipal y de las Demarcaciones Territoriales del Distrito Federal", "2 - Desarrollo Social",
        "2 - Vivienda y Servicios a la Comunidad", "7 - Desarrollo Regional",
        "5 - Fondo de Aportaciones para la Infraestructura Social"]
FORTAMUN = ["2020", "3", "3", "Chiapas", "Huehuetán", RAMO33, UR, "I005", "FORTAMUN", "2 - Desarrollo Social",
            "2 - Vivienda y Servicios a la Comunidad", "7 - Desarrollo Regional",
            "6 - Fondo de Aportaciones para el Fortalecimiento de los Municipios y de las Demarcaciones "
            "Territoriales del Distrito Federal"]
METODO_153087 = ("(Sumatoria de proyectos de contribución directa registrados en la MIDS al trimestre "
                 "correspondiente/Sumatoria de proyectos totales registrados en la MIDS al trimestre "
                 "correspondiente)*100")
METODO_152617 = ("(Gasto ejercido del FORTAMUN DF por el municipio o demarcación territorial / Monto anual "
                 "aprobado del FORTAMUN DF al municipio o demarcación territorial)*100")
REALES = [
    FAIS + ["153087", "Porcentaje de proyectos de contribución directa registrados en la MIDS", "[…]",
            METODO_153087, "Actividad", "Trimestral", "Porcentaje", "Gestión", "Eficacia", "Ascendente", "100", J4,
            "100", J4, "57.69231", "57.69", "Validado"],
    FAIS + ["154381", "Porcentaje de otros proyectos registrados en la MIDS", "[…]", "[…]", "Actividad",
            "Trimestral", "Porcentaje", "Gestión", "Eficacia", "Descendente", "3.33333", J4, "3.33333", J4, "0",
            "N/D", "Validado"],
    FAIS + ["155993", "Porcentaje de proyectos Complementarios registrados en la MIDS", "[…]", "[…]", "Actividad",
            "Trimestral", "Porcentaje", "Gestión", "Eficacia", "Descendente", "10", "", "10", "", "42.30769",
            "23.64", "Validado"],
    FORTAMUN + ["152145", "Porcentaje de avance en las metas", "[…]", "[…]", "Componente", "Trimestral",
                "Porcentaje", "Estratégico", "Eficacia", "Ascendente", "N/R", "", "100", J3, "63", "63", "Validado"],
    FORTAMUN + ["152617", "Índice en el Ejercicio de Recursos", "[…]", METODO_152617, "Actividad", "Trimestral",
                "Porcentaje", "Gestión", "Eficacia", "Ascendente", "N/R", "", "71.736", J3, "63.05497", "87.9",
                "Validado"],
]

# ----------------------------------------------------------------- FASSA (I002), Zacatecas
FUNCIONAL = ["2 - Desarrollo Social", "3 - Salud", "2 - Prestación de Servicios de Salud a la Persona",
             "8 - Fondo de Aportaciones para los Servicios de Salud"]
NOMBRE_FASSA = "FASSA"

#: clave, nombre, nivel, frecuencia, unidad, tipo, sentido, quarters reported
INDICADORES = {
    2024: [
        ("240101", "Razón de Mortalidad Materna de mujeres sin seguridad social", "Fin", "Anual",
         "Razón", "Estratégico", "Descendente", (4,)),
        ("240102", "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico",
         "Propósito", "Anual", "Porcentaje", "Estratégico", "Ascendente", (4,)),
        ("240103", "Médicos generales y especialistas por cada mil habitantes (población no derechohabiente)",
         "Componente", "Anual", "Otra", "Estratégico", "Ascendente", (4,)),
        ("240104", "Porcentaje del gasto total del FASSA destinado a los bienes y servicios de Protección "
         "Social en Salud", "Actividad", "Semestral", "Porcentaje", "Gestión", "Ascendente", (2, 4)),
        ("240105", "Porcentaje de estructuras programáticas homologadas con acciones de salud materna, sexual y "
         "reproductiva", "Actividad", "Trimestral", "Porcentaje", "Gestión", "Ascendente", (1, 2, 3)),
        ("240106", "Porcentaje de atenciones para la salud programadas con recurso asignado", "Actividad",
         "Trimestral", "Porcentaje", "Gestión", "Descendente", (1, 2, 3, 4)),
    ],
    2023: [
        ("230101", "Razón de Mortalidad Materna de mujeres sin seguridad social", "Fin", "Anual",
         "Razón", "Estratégico", "Descendente", (4,)),
        ("240102", "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico",
         "Propósito", "Anual", "Porcentaje", "Estratégico", "Ascendente", (4,)),
        ("230103", "Médicos generales y especialistas por cada mil habitantes (población no derechohabiente)",
         "Componente", "Anual", "Otra", "Estratégico", "Ascendente", (4,)),
        ("240104", "Porcentaje del gasto total del FASSA destinado a los bienes y servicios de Protección "
         "Social en Salud", "Actividad", "Semestral", "Porcentaje", "Gestión", "Ascendente", (4,)),
        ("240106", "Porcentaje de atenciones para la salud programadas con recurso asignado", "Actividad",
         "Trimestral", "Porcentaje", "Gestión", "Descendente", (4,)),
        ("230199", "Porcentaje de unidades médicas acreditadas", "Componente", "Anual", "Porcentaje",
         "Gestión", "Ascendente", (4,)),
    ],
}
#: (ciclo, clave, trimestre) → meta programada, meta modificada, realizado, avance reportado, justificación
VALORES = {
    (2024, "240101", 4): ("34.5", "32.18", "35.40123", "90.9", blob(2024, 4, "Se registraron más defunciones que "
                                                                      "las estimadas, con comas, y dos puntos: sí",
                                                                      "15/01/25")),
    (2024, "240102", 4): ("98.5", "98.5", "97.12345", "98.6", ""),
    (2024, "240103", 4): ("1.85", "1.85", "1.63", "88.11", blob(2024, 4, "Plazas vacantes sin cubrir al cierre",
                                                                 "16/01/25")),
    (2024, "240104", 2): ("70", "70", "33.2", "47.43", ""),
    (2024, "240104", 4): ("70", "72.5", "74.88", "103.28", ""),
    (2024, "240105", 1): ("N/R", "100", "20", "20", ""),
    (2024, "240105", 2): ("N/R", "100", "45", "45", ""),
    (2024, "240105", 3): ("N/R", "100", "61.53846", "61.54", blob(2024, 3, "Retraso en la homologación",
                                                                  "10/10/24")),
    (2024, "240106", 1): ("5", "5", "0", "N/D", ""),
    (2024, "240106", 2): ("5", "5", "4", "125", ""),
    (2024, "240106", 3): ("5", "5", "5.5", "90.91", ""),
    (2024, "240106", 4): ("5", "5", "0", "N/D", ""),
    (2023, "230101", 4): ("35.1", "35.1", "33.9", "103.54", ""),
    (2023, "240102", 4): ("98", "98", "96.5", "98.47", ""),
    (2023, "230103", 4): ("1.8", "1.8", "1.71", "95", ""),
    (2023, "240104", 4): ("70", "70", "68.6", "98", ""),
    (2023, "240106", 4): ("5", "5", "4.2", "119.05", ""),
    (2023, "230199", 4): ("60", "60", "55", "91.67", ""),
}


def _fila(ciclo: int, trim: int, spec: tuple, estado: str = "Zacatecas", pp: str = "I002",
          nombre_pp: str = NOMBRE_FASSA) -> list[str]:
    clave, nombre, nivel, frecuencia, unidad, tipo, sentido, _ = spec
    prog, mod, real, avance, just = VALORES[(ciclo, clave, trim)]
    just1 = just if prog != "N/R" else ""
    return [str(ciclo), str(trim), str(trim), estado, "", RAMO33, UR, pp, nombre_pp, *FUNCIONAL, clave, nombre,
            "[...]", "[...]", nivel, frecuencia, unidad, tipo, "Eficacia", sentido, prog, just1, mod, just, real,
            avance, "Validado"]


def filas_fassa(ciclo: int) -> list[list[str]]:
    filas = []
    for trim in (1, 2, 3, 4):
        for spec in INDICADORES[ciclo]:
            if trim in spec[7]:
                filas.append(_fila(ciclo, trim, spec))
    if ciclo == 2024:
        filas.insert(5, list(filas[3]))  # an exact repeat of an earlier row: loaded once
        malo = _fila(ciclo, 4, INDICADORES[2024][1], estado="Colima")
        malo[17] = "Subactividad"        # unknown «Nivel del Indicador»: rejected, stops Colima only
        filas.append(malo)
        otro = _fila(ciclo, 4, INDICADORES[2024][0], pp="I005", nombre_pp="FORTAMUN")
        otro[13] = "152145"              # another fund in the same file: loaded, not FASSA's
        filas.append(otro)
    return filas


def _csv(filas: list[list[str]]) -> str:
    salida = io.StringIO()
    csv.writer(salida, lineterminator="\r\n").writerows([ENCABEZADO, *filas])
    return salida.getvalue()


def _xlsx(filas: list[list[str]], ruta: Path) -> None:
    """As the system gives it: one sheet, the header in row 1, numbers as numbers, marks as text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Reporte"
    ws.append(ENCABEZADO)
    for f in filas:
        celdas = []
        for j, v in enumerate(f):
            if j in (0, 1, 2, 23, 25, 27, 28) and v not in ("", "N/R", "N/D"):
                celdas.append(float(v) if "." in v else int(v))
            else:
                celdas.append(v if v != "" else None)
        ws.append(celdas)
    wb.save(ruta)


def main() -> None:
    (AQUI / "huehuetan_real_2020.csv").write_text(_csv(REALES), encoding="utf-8")
    f24 = filas_fassa(2024)
    (AQUI / "fassa_zacatecas_2024_utf8.csv").write_text(_csv(f24), encoding="utf-8-sig")
    (AQUI / "fassa_zacatecas_2024_latin1.csv").write_text(_csv(f24), encoding="latin-1")
    _xlsx(f24, AQUI / "fassa_zacatecas_2024.xlsx")
    (AQUI / "fassa_zacatecas_2023.csv").write_text(_csv(filas_fassa(2023)), encoding="utf-8")


if __name__ == "__main__":
    main()
