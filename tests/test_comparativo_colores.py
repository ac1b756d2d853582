"""The national comparison judges only what has a direction; shares are shown neutral; text and chart agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from asm_analysis.entradas import catalogos
from asm_analysis.publicacion import comparativo, graficas
from asm_analysis.publicacion import presentacion as p

RAIZ = Path(__file__).resolve().parents[1]


def _comparativo() -> comparativo.Comparativo:
    filas = []
    for cve, nombre, ejercido, federal, cumpl, pendientes, errores in (
            ("01", "Aguascalientes", 95.0, 40.0, 90.0, 1, 0), ("02", "Baja California", 80.0, 60.0, 100.0, 5, 3),
            ("03", "Baja California Sur", 90.0, 50.0, 95.0, 3, 1)):
        fila = dict.fromkeys(comparativo.COLUMNAS, 0)
        fila.update(cve_ent=cve, estado=nombre, demo=False, pct_ejercido=ejercido, participacion_federal=federal,
                    pct_ind_verde=50.0, cumplimiento_mediano=cumpl, asm_pendientes=pendientes, asm_total=5,
                    hallazgos_error=errores)
        filas.append(fila)
    return comparativo.Comparativo(2024, catalogos.resolver_fondo("FASSA"), pd.DataFrame(filas),
                                   pd.DataFrame(columns=["cve_ent", "estado", "motivo"]))


def _celdas(html: str, estado: str) -> dict[str, str]:
    fila = re.search(rf'<tr><th scope="row">{estado}</th>(.*?)</tr>', html).group(1)
    return dict(re.findall(r'<td class="num" data-label="([^"]+)">(.*?)</td>', fila))


def test_federal_share_is_neutral_and_directed_metrics_are_judged():
    html = str(p.tabla_contra_mediana(_comparativo()))
    ags, bc = _celdas(html, "Aguascalientes"), _celdas(html, "Baja California")
    # federal participation: 40 is below the median 50, 60 above; neither is better or worse
    assert "▼" in ags["Participación federal"] and 'class="dif neutra"' in ags["Participación federal"]
    assert "▲" in bc["Participación federal"] and 'class="dif neutra"' in bc["Participación federal"]
    for celdas in (ags, bc):
        assert "mejor" not in celdas["Participación federal"] and "peor" not in celdas["Participación federal"]
    # exercised: more is better; pending ASM and audit errors: fewer is better
    assert 'class="dif mejor">▲ +5.00\u00a0pp' in ags["Porcentaje ejercido"]   # a figure and its unit never split
    assert 'class="dif peor">▼ -10.00\u00a0pp' in bc["Porcentaje ejercido"]
    assert 'class="dif mejor">▼ -2' in ags["ASM pendientes"] and 'class="dif peor">▲ +2' in bc["ASM pendientes"]
    assert 'class="dif mejor">▼ -1' in ags["Errores de la auditoría"]
    assert 'class="dif peor">▲ +2' in bc["Errores de la auditoría"]
    assert comparativo.juicio("participacion_federal", "arriba") is None
    assert comparativo.juicio("pct_ejercido", "igual") is None


def test_text_table_and_chart_use_the_same_colours():
    css = p.hoja_de_estilo()
    mejor = re.search(r"\.dif\.mejor \{color: (#[0-9a-f]+);", css).group(1)
    assert mejor == "#004a75"                                     # blue, like the charts' "above" side
    nb = json.loads((RAIZ / "notebooks" / "comparativo_nacional.ipynb").read_text(encoding="utf-8"))
    texto = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "en azul lo que es mejor" in texto and "en bermellón lo que es peor" in texto
    assert "verde" not in texto.split("mediana nacional", 1)[1]
    assert "participación federal es una proporción" in texto.lower()
    grafica = str(graficas.diferencia_mediana(_comparativo().tabla, "cumplimiento_mediano", "Cumplimiento"))
    assert "Azul: por encima de la mediana; bermellón: por debajo." in grafica
