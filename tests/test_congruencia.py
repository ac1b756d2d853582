"""Congruence checks across annexes, sources and periods (issue: the review procedure asks that
figures agree with what was reported elsewhere and before). Each rule against a planted error,
through the real report path (workbook → ingest → cargar → calcular)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asm_analysis import auditoria
from asm_analysis.entradas import datos, ingesta, srft

RAIZ = Path(__file__).resolve().parents[1]
AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
NUEVAS = ["X-A2-A1", "X-A2-SRFT", "X-A6-A4", "X-A1-ANUAL", "X-ASM-DESAPARECIDO", "X-ASM-CERRADO",
          "X-ANTERIOR-INCOMPLETO"]


def _libro(destino: Path, ficha: dict | None = None, celdas: dict | None = None) -> Path:
    """A copy of the published workbook with ficha fields set (added when missing) and cells changed:
    ``celdas = {(hoja, fila, columna): valor}``."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(AGS, destino)
    wb = load_workbook(destino)
    ws = wb["ficha"]
    filas = {r[0].value: r[1] for r in ws.iter_rows(min_row=2) if r[0].value}
    for campo, valor in (ficha or {}).items():
        if campo in filas:
            filas[campo].value = valor
        else:
            ws.append([campo, valor])
    for (hoja, fila, columna), valor in (celdas or {}).items():
        encabezado = [c.value for c in wb[hoja][1]]
        wb[hoja].cell(row=fila, column=encabezado.index(columna) + 1, value=valor)
    wb.save(destino)
    return destino


def _hallazgos(data_dir: Path, ciclo: int = 2024) -> pd.DataFrame:
    ingesta.ingerir(data_dir)
    d = datos.cargar(data_dir, "01", ciclo, "IMSS-BIENESTAR", actualizar=False)
    return auditoria.calcular(d).hallazgos


def _pesos(valor) -> float:
    """A published amount as typed («$ 88,682,091.89»), read without the project's parser."""
    return float(str(valor).replace("$", "").replace(",", "").strip() or 0) if valor is not None else 0.0


def _de(hallazgos: pd.DataFrame, regla: str) -> pd.DataFrame:
    return hallazgos[hallazgos["regla"] == regla].reset_index(drop=True)


def test_reglas_documentadas():
    reglas = auditoria.documentar_reglas().set_index("id")
    for regla in NUEVAS:
        assert regla in reglas.index and reglas.loc[regla, "descripcion"]
    assert reglas.loc["X-A2-A1", "severidad"] == "advertencia"
    assert reglas.loc["X-ASM-DESAPARECIDO", "severidad"] == "error"
    assert "variacion_anual" in set(auditoria.Tolerancias.documentadas()["tolerancia"])


def test_anexo2_contra_anexo1_en_el_ejemplo_publicado(tmp_path):
    """Published Aguascalientes 2024: Anexo 2 gives IMSS BIENESTAR $407,225,481; the concepts of
    Anexo 1 add up to a modificado of $413,001,306.05 (independent sum below)."""
    _libro(tmp_path / "raw" / "captura" / AGS.name)
    wb = load_workbook(AGS, read_only=True)
    filas = list(wb["destino"].iter_rows(values_only=True))
    cab = list(filas[0])
    modificado = round(sum(_pesos(f[cab.index("modificado")]) for f in filas[1:]
                           if f[cab.index("concepto")] not in (None, "")), 2)
    wb.close()
    (h,) = _de(_hallazgos(tmp_path), "X-A2-A1").itertuples()
    assert (h.valor_reportado, h.valor_calculado) == (407225481.0, modificado) == (407225481.0, 413001306.05)
    assert h.diferencia == pytest.approx(407225481.0 - 413001306.05)
    assert "fila 3" in h.ubicacion and "IMSS BIENESTAR" in h.ubicacion


def test_anexo2_igual_al_modificado_no_da_hallazgo(tmp_path):
    _libro(tmp_path / "raw" / "captura" / AGS.name, celdas={("concurrencia", 3, "monto"): 413001306.05})
    assert _de(_hallazgos(tmp_path), "X-A2-A1").empty


def _srft(ruta: Path, recaudado: list[float]) -> None:
    """A national-dialect SRFT file with IMSS-BIENESTAR (Ramo 19, S038) partidas of Aguascalientes 2024."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with open(ruta, "w", encoding="latin-1", newline="") as f:
        w = csv.writer(f)
        w.writerow(srft.COLUMNAS_SHCP)
        for i, monto in enumerate(recaudado):
            fila = dict.fromkeys(srft.COLUMNAS_SHCP, "")
            fila.update(CICLO="2024", TRIMESTRE="4", ID_ENTIDAD_FEDERATIVA="1", ENTIDAD_FEDERATIVA="Aguascalientes",
                        ID_MUNICIPIO="0", MUNICIPIO="Gobierno de la Entidad", CICLO_RECURSO="2024", ID_RAMO="19",
                        MODALIDAD_PP="S038", ID_PARTIDA_GENERICA=["113", "211", "311"][i],
                        MONTO_APROBADO="1000.00", MONTO_MODIFICADO="1000.00", MONTO_RECAUDADO=f"{monto:.2f}",
                        MONTO_COMPROMETIDO="900.00", MONTO_DEVENGADO="900.00", MONTO_EJERCIDO="900.00",
                        MONTO_PAGADO="900.00")
            w.writerow([fila[c] for c in srft.COLUMNAS_SHCP])


def test_anexo2_contra_el_ministrado_del_srft(tmp_path):
    _libro(tmp_path / "raw" / "captura" / AGS.name)
    _srft(tmp_path / "raw" / "srft" / "ejercicio_del_gasto_2024.csv", [200_000_000.00, 150_000_000.00, 50_000_000.00])
    (h,) = _de(_hallazgos(tmp_path), "X-A2-SRFT").itertuples()
    assert h.valor_calculado == 200_000_000.00 + 150_000_000.00 + 50_000_000.00
    assert h.diferencia == pytest.approx(407_225_481.0 - 400_000_000.0)
    assert "recaudado (ministrado)" in h.mensaje


def test_srft_que_coincide_con_el_anexo2_no_da_hallazgo(tmp_path):
    _libro(tmp_path / "raw" / "captura" / AGS.name)
    _srft(tmp_path / "raw" / "srft" / "ejercicio_del_gasto_2024.csv", [200_000_000.00, 150_000_000.00, 57_225_481.00])
    assert _de(_hallazgos(tmp_path), "X-A2-SRFT").empty


def test_indicadores_citados_en_el_anexo6(tmp_path):
    """The ficha cites maternal mortality at 100 % (Anexo 4 computes 16.46 / 17.20 = 95.70 %), a
    second indicator with its right value, and one that is not in Anexo 4."""
    citados = ("Razón de Mortalidad Materna de mujeres sin seguridad social: 100 %; "
               "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico: 100.14 %; "
               "Tasa de vacunación de perros y gatos")
    _libro(tmp_path / "raw" / "captura" / AGS.name, ficha={"indicadores_citados": citados})
    h = _de(_hallazgos(tmp_path), "X-A6-A4")
    assert len(h) == 2
    cita = h[h["valor_reportado"].notna()].iloc[0]
    assert (cita["valor_reportado"], cita["valor_calculado"]) == (100.0, round(16.46 / 17.20 * 100, 2))
    assert any("Tasa de vacunación de perros y gatos" in m and "no está en el Anexo 4" in m for m in h["mensaje"])


def test_aprobado_contra_el_ciclo_anterior(tmp_path):
    """Last year's workbook had concept 1100 at half its 2024 aprobado: chapter 1000 jumps; the
    other chapters are equal and give no finding."""
    captura = tmp_path / "raw" / "captura"
    _libro(captura / AGS.name)
    _libro(captura / "aguascalientes_2023_IMSS-BIENESTAR.xlsx", ficha={"ciclo": 2023},
           celdas={("destino", 2, "aprobado"): 88682091.89 / 2})
    wb = load_workbook(AGS, read_only=True)
    filas = list(wb["destino"].iter_rows(values_only=True))
    cab = list(filas[0])
    cap1000 = round(sum(_pesos(f[cab.index("aprobado")]) for f in filas[1:]
                        if str(f[cab.index("concepto")] or "").startswith("1")), 2)
    wb.close()
    (h,) = _de(_hallazgos(tmp_path), "X-A1-ANUAL").itertuples()
    assert "capítulo 1000" in h.ubicacion
    assert h.valor_calculado == cap1000
    assert h.valor_reportado == pytest.approx(cap1000 - 88682091.89 / 2, abs=0.01)
    assert "libro de captura" in h.mensaje


def test_asm_del_anexo7_anterior_que_desaparece(tmp_path):
    """Two ASM of last year's own evaluation are missing from this year's follow-up: the open one is
    an error, the attended one a note; the others (same aspects as this year) are found."""
    captura = tmp_path / "raw" / "captura"
    _libro(captura / AGS.name)
    _libro(captura / "aguascalientes_2023_IMSS-BIENESTAR.xlsx", ficha={"ciclo": 2023}, celdas={
        ("asm", 5, "aspecto"): "Publicar en el portal del instituto el padrón de unidades móviles",
        ("asm", 5, "evaluacion_origen"): "EED IMSS-BIENESTAR 2023", ("asm", 5, "avance"): 40, ("asm", 5, "numero"): 4,
        ("asm", 6, "aspecto"): "Capacitar al personal de archivo en la guía de clasificación documental",
        ("asm", 6, "evaluacion_origen"): "EED IMSS-BIENESTAR 2023", ("asm", 6, "avance"): 100, ("asm", 6, "numero"): 5,
    })
    h = _hallazgos(tmp_path)
    (abierto,) = _de(h, "X-ASM-DESAPARECIDO").itertuples()
    assert "padrón de unidades móviles" in abierto.mensaje and abierto.valor_reportado == 40.0
    assert abierto.severidad == "error"
    (cerrado,) = _de(h, "X-ASM-CERRADO").itertuples()
    assert "clasificación documental" in cerrado.mensaje and cerrado.severidad == "info"


def test_el_informe_cita_el_archivo_del_ciclo_anterior(tmp_path):
    """The previous ciclo's workbook feeds the report: it is in its provenance."""
    captura = tmp_path / "raw" / "captura"
    _libro(captura / AGS.name)
    _libro(captura / "aguascalientes_2023_IMSS-BIENESTAR.xlsx", ficha={"ciclo": 2023})
    ingesta.ingerir(tmp_path)
    d = datos.cargar(tmp_path, "01", 2024, "IMSS-BIENESTAR", actualizar=False)
    assert {a["archivo"] for a in d.archivos} >= {f"raw/captura/{AGS.name}",
                                                  "raw/captura/aguascalientes_2023_IMSS-BIENESTAR.xlsx"}


def test_fila_rechazada_del_libro_anterior_se_dice_y_no_se_compara(tmp_path):
    """A row rejected from last year's workbook: last year's tables are partial, so the year-over-year
    rules do not run on them, and the finding, the console and the manifest say why (file, sheet, row,
    column). Halving last year's chapter 1000 would otherwise give X-A1-ANUAL on a partial table."""

    captura = tmp_path / "raw" / "captura"
    _libro(captura / AGS.name)
    anterior = "aguascalientes_2023_IMSS-BIENESTAR.xlsx"
    _libro(captura / anterior, ficha={"ciclo": 2023}, celdas={
        ("destino", 2, "aprobado"): 1.0, ("destino", 3, "aprobado"): "doce pesos"})
    ingesta.ingerir(tmp_path)
    d = datos.cargar(tmp_path, "01", 2024, "IMSS-BIENESTAR", actualizar=False)
    assert d.destino_anterior.empty and "destino_anterior" not in d.fuentes
    assert f"«{tmp_path / 'raw' / 'captura' / anterior}», hoja «destino», fila 3, columna «aprobado»" \
        in d.anterior_incompleto
    h = auditoria.calcular(d).hallazgos
    assert _de(h, "X-A1-ANUAL").empty
    (aviso,) = _de(h, "X-ANTERIOR-INCOMPLETO").itertuples()
    assert aviso.severidad == "advertencia" and aviso.ubicacion == "ciclo 2023"
    assert "hoja «destino», fila 3, columna «aprobado»" in aviso.mensaje and "X-A1-ANUAL" in aviso.mensaje


@pytest.mark.lenta
def test_fila_rechazada_del_libro_anterior_en_consola_y_manifiesto(tmp_path, capsys):
    import json

    from asm_analysis.ejecucion import cli

    captura = tmp_path / "raw" / "captura"
    _libro(captura / AGS.name)
    _libro(captura / "aguascalientes_2023_IMSS-BIENESTAR.xlsx", ficha={"ciclo": 2023},
           celdas={("destino", 3, "aprobado"): "doce pesos"})
    codigo = cli.main(["report", "--estado", "01", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR", "--data-dir",
                       str(tmp_path), "--out", str(tmp_path / "reports"), "--sin-html"])
    assert codigo == 0
    err = capsys.readouterr().err
    assert "Aviso: sin comparaciones con el ciclo 2023" in err and "fila 3, columna «aprobado»" in err
    (manifiesto,) = (tmp_path / "reports").glob("*/*/*/manifest.json")
    incompleto = json.loads(manifiesto.read_text(encoding="utf-8"))["ciclo_anterior_incompleto"]
    assert "hoja «destino», fila 3, columna «aprobado»" in incompleto


def test_readme_lista_todas_las_reglas():
    """The README's rule table is the registry's: every id with its severity and annex."""
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    for r in auditoria.documentar_reglas().itertuples():
        assert f"| `{r.id}` | {r.severidad} | {r.anexo} |" in readme, r.id
