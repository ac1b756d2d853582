"""``--help`` and the README agree, and ``report`` prints where every file of the report went."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest

from asm_analysis.ejecucion import cli, cli_informe

RAIZ = Path(__file__).resolve().parents[1]


def _subcomandos() -> dict[str, argparse.ArgumentParser]:
    parser = cli.construir_parser()
    accion = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {nombre: sub for nombre, sub in accion.choices.items() if nombre == sub.prog.split()[-1]}


def _opciones(sub: argparse.ArgumentParser) -> set[str]:
    """The options a subcommand's --help shows, by their main (Spanish or first) name."""
    return {a.option_strings[0] for a in sub._actions if a.option_strings and a.option_strings[0] != "-h"}


def _nombres(sub: argparse.ArgumentParser) -> dict[str, tuple[str, ...]]:
    """Main name → every name of the option (the Spanish name and its English alias)."""
    return {a.option_strings[0]: tuple(a.option_strings) for a in sub._actions
            if a.option_strings and a.option_strings[0] != "-h"}


def _fila_readme(comando: str) -> str:
    texto = (RAIZ / "README.md").read_text(encoding="utf-8")
    filas = [f for f in texto.splitlines() if f.startswith(f"| `asm-analysis {comando} ") or
             f.startswith(f"| `asm-analysis {comando}`")]
    assert len(filas) == 1, (comando, filas)
    return filas[0]


def test_every_option_of_every_subcommand_is_in_the_readme_table():
    subcomandos = _subcomandos()
    assert set(subcomandos) == {"ingest", "template", "validate", "report", "batch", "site"}
    for nombre, sub in subcomandos.items():
        fila = re.match(r"^\| `(.*?)` \|", _fila_readme(nombre)).group(1)       # the command column
        opciones = _opciones(sub)
        faltan = sorted(o for o, nombres in _nombres(sub).items()
                        if not any(re.search(rf"{re.escape(n)}\b", fila) for n in nombres))
        assert faltan == [], (nombre, faltan)
        ayuda = sub.format_help()
        assert all(o in ayuda for o in opciones)
    assert {"--sin-html", "--timeout"} <= _opciones(subcomandos["report"])
    assert {"--forzar", "--sin-html", "--timeout"} <= _opciones(subcomandos["batch"])
    assert "--sobrescribir" in _opciones(subcomandos["template"])


def test_report_prints_the_path_of_every_file(tmp_path, capsys):
    shutil.copytree(RAIZ / "data" / "raw", tmp_path / "datos" / "raw")
    codigo = cli.main(["report", "--data-dir", str(tmp_path / "datos"), "--out", str(tmp_path / "out"),
                       "--estado", "Aguascalientes", "--ciclo", "2024", "--fondo", "IMSS-BIENESTAR", "--sin-html"])
    assert codigo == 0
    salida = capsys.readouterr().out
    carpeta = tmp_path / "out" / "2024" / "IMSS-BIENESTAR" / "01-aguascalientes"
    archivos = sorted(p.name for p in carpeta.iterdir())
    assert len(archivos) == 13 and "anexos.docx" in archivos and "manifest.json" in archivos
    for nombre in archivos:
        linea = next(x for x in salida.splitlines() if x.strip().startswith(str(carpeta / nombre)))
        assert cli_informe.ARCHIVOS_INFORME[nombre] in linea
    assert salida.index("anexos.xlsx") < salida.index("hallazgos.csv") < salida.index("manifest.json")


def test_every_file_a_report_writes_is_described():
    from asm_analysis.publicacion import distribucion
    from asm_analysis.publicacion.salidas import ARCHIVOS_CSV

    assert set(ARCHIVOS_CSV) | {"informe.html", "informe.ipynb", "anexos.xlsx", "anexos.docx", "manifest.json",
                                distribucion.ARCHIVO_CSV} == set(cli_informe.ARCHIVOS_INFORME)


def test_the_readme_starts_with_what_you_get_then_the_two_commands():
    texto = (RAIZ / "README.md").read_text(encoding="utf-8")
    secciones = [linea for linea in texto.splitlines() if linea.startswith("## ")]
    assert secciones[:3] == ["## Qué se obtiene", "## Los dos comandos", "## Qué produce"]
    primera = texto.split("## Qué se obtiene", 1)[1].split("\n## ", 1)[0]
    assert "reports/<ciclo>/<fondo>/<cve>-<estado>/" in primera
    for nombre, descripcion in cli_informe.ARCHIVOS_INFORME.items():     # one line per file, as report prints it
        assert f"| `{nombre}` | {descripcion} |" in primera, nombre
