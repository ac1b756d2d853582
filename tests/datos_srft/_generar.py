"""Writes the small SRFT files of ``tests/test_srft_real.py`` (run from the repository root).

Two dialects of the SRFT «Ejercicio del gasto», with what real files contain: programme-level
rows, exact duplicates, a partial quarter 5, a future CICLO_RECURSO and blank/NaN amounts. The
system-export files carry the published Zacatepec (Morelos) FORTAMUN rows verbatim, taken from
/work/shared/referencias/srft_muestras_reales.txt (lines 10, 13, 16 and 17).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

AQUI = Path(__file__).resolve().parent
REFERENCIA = Path("/work/shared/referencias/srft_muestras_reales.txt")

NACIONAL = [
    "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MUNICIPIO",
    "ID_TIPO_DE_REGISTRO", "TIPO_DE_REGISTRO", "CICLO_RECURSO", "ID_TIPO_RECURSO", "TIPO_RECURSO",
    "ID_RAMO", "DESC_RAMO", "MODALIDAD_PP", "DESC_PP", "PROG_FONDO_CONVENIO_ESPECIFICO",
    "INSTITUCION_EJECUTORA", "ID_TIPO_GASTO", "DESC_TIPO_GASTO", "ID_PARTIDA_GENERICA",
    "DESC_PARTIDA_GENERICA", "MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_RECAUDADO",
    "MONTO_COMPROMETIDO", "MONTO_DEVENGADO", "MONTO_EJERCIDO", "MONTO_PAGADO", "OBSERVACIONES_CAPTURISTA",
]
RAMO33 = "Aportaciones Federales para Entidades Federativas y Municipios"
PARTIDAS = {"113": "Sueldos base al personal permanente", "154": "Prestaciones contractuales",
            "211": "Materiales, útiles y equipos menores de oficina", "253": "Medicinas y productos farmacéuticos",
            "339": "Servicios profesionales, científicos y técnicos integrales", "441": "Ayudas sociales a personas"}


def _montos(base: float) -> dict:
    return {"MONTO_APROBADO": f"{base:.2f}", "MONTO_MODIFICADO": f"{base * 1.1:.2f}",
            "MONTO_RECAUDADO": f"{base * 1.1:.2f}", "MONTO_COMPROMETIDO": f"{base:.2f}",
            "MONTO_DEVENGADO": f"{base * 0.9:.2f}", "MONTO_EJERCIDO": f"{base * 0.85:.2f}",
            "MONTO_PAGADO": f"{base * 0.8:.2f}"}


def _nacional(trimestre, partida, base, cve=1, nombre="Aguascalientes", programa=False, pp="I002",
              fondo="FASSA", municipio=0, ciclo_recurso=2024, nivel=("1-Programa presupuestario",
                                                                     "2-Partida genérica"), **extra) -> dict:
    fila = {c: "" for c in NACIONAL}
    fila.update(CICLO="2024", TRIMESTRE=str(trimestre), ID_ENTIDAD_FEDERATIVA=str(cve), ENTIDAD_FEDERATIVA=nombre,
                ID_MUNICIPIO=str(municipio), MUNICIPIO="Gobierno de la Entidad" if municipio == 0 else "Calvillo",
                ID_TIPO_DE_REGISTRO="1" if programa else "2", TIPO_DE_REGISTRO=nivel[0] if programa else nivel[1],
                CICLO_RECURSO=str(ciclo_recurso), ID_TIPO_RECURSO="1",
                TIPO_RECURSO="FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)", ID_RAMO="33", DESC_RAMO=RAMO33,
                MODALIDAD_PP=pp, DESC_PP=fondo, PROG_FONDO_CONVENIO_ESPECIFICO=fondo,
                INSTITUCION_EJECUTORA="Instituto de Servicios de Salud del Estado")
    if not programa:
        fila.update(ID_TIPO_GASTO="1", DESC_TIPO_GASTO="Gasto corriente", ID_PARTIDA_GENERICA=partida,
                    DESC_PARTIDA_GENERICA=PARTIDAS.get(partida, "Bienes muebles"), **_montos(base))
    fila.update(extra)
    return fila


def _suma(filas: list[dict]) -> dict:
    return {m: f"{sum(float(f[m]) for f in filas):.2f}" for m in _montos(0)}


def archivo_nacional() -> list[dict]:
    """Aguascalientes FASSA 2024: quarter 4 complete, quarter 5 only for partidas 113 and 253."""
    t4 = [_nacional(4, p, 100_000.0 * (i + 1)) for i, p in enumerate(PARTIDAS)]
    t5 = [_nacional(5, "113", 101_000.0), _nacional(5, "253", 420_500.0)]
    arrastre = [_nacional(4, "253", 50_000.0, ciclo_recurso=2023), _nacional(5, "253", 60_000.0, ciclo_recurso=2023)]
    prog_t4 = _nacional(4, "", 0, programa=True, **_suma(t4))              # agrees with its partidas
    prog_t5 = _nacional(5, "", 0, programa=True, **_suma(t5))
    prog_t5["MONTO_DEVENGADO"] = f"{float(prog_t5['MONTO_DEVENGADO']) + 500:.2f}"  # planted: 500 pesos off
    prog_vacio = _nacional(4, "", 0, programa=True, pp="I005", fondo="FORTAMUN")  # structure only, no amounts
    otros = [_nacional(4, "113", 77_777.0, pp="I005", fondo="FORTAMUN"),
             _nacional(4, "113", 88_888.0, municipio=3),
             _nacional(4, "113", 99_999.0, cve=22, nombre="Querétaro")]
    futuro = _nacional(4, "339", 5_000.0, ciclo_recurso=2025)
    nan = _nacional(5, "515", 7_000.0, MONTO_DEVENGADO="NaN")
    blanco = _nacional(4, "521", 8_000.0, MONTO_PAGADO="")
    espacios = _nacional(4, "531", 9_000.0, MONTO_MODIFICADO="  ")
    sin_recaudado = _nacional(4, "154", 3_000.0, ciclo_recurso=2023, MONTO_RECAUDADO="")  # loaded, recaudado null
    filas = [prog_t4, *t4[:3], dict(t4[2]), *t4[3:], prog_vacio, futuro, *otros, blanco, espacios, sin_recaudado,
             arrastre[0], prog_t5, *t5, arrastre[1], nan, dict(prog_vacio)]
    filas += [_nacional(4, "113", 1_000.0 + k, cve=22, nombre="Querétaro", municipio=14) for k in range(12)]
    filas.append(dict(t5[1]))  # an exact repeat far from its first copy (another block when read in 4 KB)
    return filas


def archivo_nacional_variante() -> list[dict]:
    """Querétaro FASSA 2024, the 2020-style header; level named without its digit, amounts with commas."""
    nivel = ("Programa presupuestario", "Partida genérica")
    t4 = [_nacional(4, p, 250_000.0 * (i + 1), cve=22, nombre="Querétaro", nivel=nivel)
          for i, p in enumerate(["113", "211", "339"])]
    prog = _nacional(4, "", 0, cve=22, nombre="Querétaro", programa=True, nivel=nivel, ID_TIPO_DE_REGISTRO="")
    filas = [prog, *t4, dict(t4[1])]
    for f in filas:
        for m in _montos(0):
            if f[m]:
                f[m] = f"{float(f[m]):,.2f}"
    return filas


def _escribir_nacional(ruta: Path, filas: list[dict], encabezado: list[str]) -> None:
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(encabezado)
        for fila in filas:
            w.writerow([fila[c] for c in NACIONAL])


def _verbatim() -> tuple[str, list[str]]:
    lineas = REFERENCIA.read_text(encoding="utf-8").splitlines()
    return lineas[9], [lineas[12], lineas[15], lineas[16]]


def _sistema(celdas: list[str]) -> str:
    """One system-export record as published: every cell quoted except a single-space one."""
    return ",".join(" " if c == " " else '"' + c.replace('"', '""') + '"' for c in celdas)


def _celdas(linea: str) -> list[str]:
    return next(csv.reader(io.StringIO(linea), skipinitialspace=False))


def archivo_sistema(extra_estatal: bool) -> str:
    encabezado, filas = _verbatim()
    registros = [encabezado, *filas]
    base = _celdas(filas[1])  # partida 249 of Zacatepec
    i = {c: k for k, c in enumerate(_celdas(encabezado))}
    registros.append(filas[2])  # an exact repeat of the last published row
    vacio = list(base)
    vacio[i["ID_PARTIDA_GENERICA"]], vacio[i["DESC_PARTIDA_GENERICA"]] = "261", "Combustibles, lubricantes y aditivos"
    vacio[i["DEVENGADO"]] = ""
    registros.append(_sistema(vacio))
    futuro = list(base)
    futuro[i["ID_PARTIDA_GENERICA"]], futuro[i["CICLO_RECURSO"]] = "211", "2024"
    registros.append(_sistema(futuro))
    if extra_estatal:  # state-level FASSA rows of Morelos: quarter 5 covers one of three partidas
        def estatal(trimestre, partida, montos, programa=False):
            c = list(base)
            c[i["TIPO_REGISTRO"]] = "1-Programa presupuestario" if programa else "2-Partida genérica"
            c[i["TRIMESTRE"]], c[i["ID_MUNICIPIO"]], c[i["MUNICIPIO"]] = str(trimestre), "0", "Gobierno de la Entidad"
            c[i["ID_PP"]], c[i["PROGRAMA_PRESUPUESTARIO"]], c[i["PROG_FND_CONV_ESP"]] = "2", "FASSA", "FASSA"
            c[i["INSTITUCION_EJECUTORA"]] = "Servicios de Salud de Morelos"
            c[i["ID_PARTIDA_GENERICA"]] = "" if programa else partida
            c[i["DESC_PARTIDA_GENERICA"]] = "" if programa else PARTIDAS[partida]
            c[i["TIPO_GASTO"]] = "" if programa else "Gasto corriente"
            for k, m in enumerate(["APROBADO", "MODIFICADO", "MINISTRADO", "COMPROMETIDO", "DEVENGADO", "EJERCIDO",
                                   "PAGADO"]):
                c[i[m]] = montos[k]
            return _sistema(c)

        def m(base):
            return [f"{base:.1f}", f"{base * 1.2:.1f}", f"{base * 1.2:.1f}", f"{base * 1.1:.1f}", f"{base:.1f}",
                    f"{base * 0.95:.1f}", f"{base * 0.9:.1f}"]

        t4 = {"113": m(1_000_000.0), "253": m(300_000.5), "339": m(45_000.25)}
        suma = [f"{sum(float(v[k]) for v in t4.values()):.2f}" for k in range(7)]
        registros.append(estatal(4, "", suma, programa=True))
        registros += [estatal(4, p, v) for p, v in t4.items()]
        registros.append(estatal(5, "113", m(1_100_000.0)))
        registros.append(estatal(4, "253", t4["253"]))  # exact repeat
    return "\r\n".join(registros) + "\r\n"


def main() -> None:
    _escribir_nacional(AQUI / "nacional_2024.csv", archivo_nacional(), NACIONAL)
    variante = ["PROGRAMA_FONDO_CONVENIO_ESPECIFICO" if c == "PROG_FONDO_CONVENIO_ESPECIFICO" else c for c in NACIONAL]
    _escribir_nacional(AQUI / "nacional_2024_variante.csv", archivo_nacional_variante(), variante)
    (AQUI / "sistema_zacatepec_utf8.csv").write_bytes(archivo_sistema(False).encode("utf-8"))
    (AQUI / "sistema_morelos_latin1.csv").write_bytes(archivo_sistema(True).encode("latin-1"))


if __name__ == "__main__":
    main()
