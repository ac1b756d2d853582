"""The committed notebooks and the machinery that runs them.

Notebooks are committed clean (no outputs, no execution counts), start with a cell tagged
``parameters`` whose defaults run from the notebooks/ folder, have a Markdown anchor for
every entry of the table of contents, and keep their code cells thin (calls only). The
kernel papermill uses is this interpreter, whatever other ``python3`` kernel the machine has.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from asm_analysis.publicacion import cuaderno, kernel
from asm_analysis.entradas import datos
from asm_analysis.publicacion import presentacion
from asm_analysis.comun.errores import ErrorInforme

pytestmark = pytest.mark.lenta  # starts kernels, notebooks or batches

RAIZ = Path(__file__).resolve().parents[1]
NOTEBOOKS = RAIZ / "notebooks"
INFORME = NOTEBOOKS / "informe_estatal.ipynb"
COMPARATIVO = NOTEBOOKS / "comparativo_nacional.ipynb"
CUADERNOS = [INFORME, COMPARATIVO]


def _leer(ruta: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(ruta, as_version=4)
    nbformat.validate(nb)
    return nb


def _parametros(nb: nbformat.NotebookNode) -> dict[str, object]:
    celdas = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(celdas) == 1, "debe haber exactamente una celda con la etiqueta parameters"
    assert celdas[0].cell_type == "code"
    valores = {}
    for nodo in ast.parse(celdas[0].source).body:
        assert isinstance(nodo, ast.Assign), "la celda de parámetros solo asigna valores"
        valores[nodo.targets[0].id] = ast.literal_eval(nodo.value)
    return valores


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda p: p.name)
def test_committed_without_outputs_or_execution_counts(ruta):
    nb = _leer(ruta)
    for i, celda in enumerate(nb.cells):
        if celda.cell_type == "code":
            assert celda.outputs == [], f"{ruta.name}: la celda {i} tiene salidas"
            assert celda.execution_count is None, f"{ruta.name}: la celda {i} tiene execution_count"
        assert "papermill" not in celda.metadata, f"{ruta.name}: la celda {i} trae metadatos de papermill"
    assert "papermill" not in nb.metadata
    assert nb.metadata["kernelspec"]["language"] == "python"


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda p: p.name)
def test_parameters_cell_comes_first(ruta):
    nb = _leer(ruta)
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    _parametros(nb)


def test_informe_parameters_and_defaults(monkeypatch):
    p = _parametros(_leer(INFORME))
    assert p["estado"] == "Aguascalientes"
    assert p["ciclo"] == 2024
    assert p["fondo"] == "IMSS-BIENESTAR"
    assert p["data_dir"] == "data"
    assert "out_dir" not in p  # nothing in the notebook writes files: the report command does
    assert p["fecha_corte"] is None
    assert p["cifras"] == "recalculadas"  # the mode of report's --cifras, same default
    # The default finds the repository's data from notebooks/ (JupyterLab) and from the root.
    for cwd in (NOTEBOOKS, RAIZ):
        monkeypatch.chdir(cwd)
        assert datos.carpeta_datos(p["data_dir"]) == RAIZ / "data"
    assert (RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx").is_file()


def test_comparativo_parameters_and_defaults(monkeypatch):
    p = _parametros(_leer(COMPARATIVO))
    assert p["ciclo"] == 2024
    assert p["fondo"] == "FASSA"
    assert p["data_dir"] == "data/demo"  # the 32 demo states; data/raw has only published data
    monkeypatch.chdir(NOTEBOOKS)
    assert datos.carpeta_datos(p["data_dir"]) == RAIZ / "data" / "demo"


@pytest.mark.parametrize("ruta, secciones", [(INFORME, presentacion.SECCIONES_INFORME),
                                             (COMPARATIVO, presentacion.SECCIONES_COMPARATIVO)],
                         ids=["informe", "comparativo"])
def test_every_toc_entry_has_a_markdown_anchor(ruta, secciones):
    markdown = "\n".join(c.source for c in _leer(ruta).cells if c.cell_type == "markdown")
    for ancla, _ in secciones:
        assert f'<a id="{ancla}"></a>' in markdown, f"{ruta.name}: falta el ancla {ancla}"


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda p: p.name)
def test_code_cells_are_thin_calls(ruta):
    """No logic in the notebook: no definitions, loops or branches a test could not reach."""
    for i, celda in enumerate(_leer(ruta).cells):
        if celda.cell_type != "code" or "parameters" in celda.metadata.get("tags", []):
            continue
        arbol = ast.parse(celda.source)
        for nodo in ast.walk(arbol):
            assert not isinstance(nodo, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.If, ast.With,
                                         ast.Try, ast.Lambda, ast.ListComp, ast.DictComp)), \
                f"{ruta.name}: la celda {i} tiene lógica ({type(nodo).__name__}); muévala a la biblioteca"
        assert len(celda.source.splitlines()) <= 3, f"{ruta.name}: la celda {i} es demasiado larga"


# ------------------------------------------------------------------------------------------
# Kernel: always this interpreter
# ------------------------------------------------------------------------------------------


def _cuaderno_minimo(ruta: Path, fuente: str, nombre_kernel: str = "python3") -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": nombre_kernel, "display_name": nombre_kernel,
                                                           "language": "python"},
                                            "language_info": {"name": "python"}})
    parametros = nbformat.v4.new_code_cell("x = 1")
    parametros.metadata["tags"] = ["parameters"]
    nb.cells = [parametros, nbformat.v4.new_code_cell(fuente)]
    nbformat.write(nb, ruta)
    return ruta


def test_kernelspec_points_to_this_interpreter(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    nombre = kernel.asegurar_kernel()
    spec = KernelSpecManager().get_kernel_spec(nombre)
    assert spec.argv[0] == sys.executable
    assert spec.language == "python"


def test_notebook_runs_on_this_interpreter_even_with_a_decoy_python3(tmp_path, monkeypatch):
    """Broken 'python3' and 'asm-analysis' kernelspecs already on JUPYTER_PATH must not be used."""
    for nombre in ("python3", kernel.NOMBRE_KERNEL):
        senuelo = tmp_path / "senuelo" / "kernels" / nombre
        senuelo.mkdir(parents=True)
        (senuelo / "kernel.json").write_text(json.dumps({
            "argv": [str(tmp_path / "no-existe" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Señuelo", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "senuelo"))
    entrada = _cuaderno_minimo(tmp_path / "minimo.ipynb", "import sys\nprint(sys.executable)")
    ej = cuaderno.ejecutar(entrada, tmp_path / "salida" / "minimo.ipynb", {"x": 2}, que="una prueba",
                           fallido=tmp_path / "_fallidos" / "minimo.ipynb", timeout=120)
    salida = "".join(o.get("text", "") for o in ej.nb.cells[-1].outputs)
    assert salida.strip() == sys.executable
    assert set(ej.tiempos) >= {"arranque_kernel", "ejecucion"}
    assert not (tmp_path / "_fallidos" / "minimo.ipynb").exists()


def test_cell_timeout_raises_errorinforme_naming_the_cell(tmp_path):
    entrada = _cuaderno_minimo(tmp_path / "lento.ipynb", "import time\ntime.sleep(60)")
    fallido = tmp_path / "_fallidos" / "lento.ipynb"
    with pytest.raises(ErrorInforme) as info:
        cuaderno.ejecutar(entrada, tmp_path / "salida" / "lento.ipynb", {}, que="una prueba lenta",
                          fallido=fallido, timeout=2)
    mensaje = str(info.value)
    assert "una prueba lenta" in mensaje
    assert "import time" in mensaje
    assert fallido.is_file()


# ------------------------------------------------------------------------------------------
# Notebooks folder and publication filter
# ------------------------------------------------------------------------------------------


def test_notebooks_folder_defaults_to_repo_and_honours_env(tmp_path, monkeypatch):
    monkeypatch.delenv(cuaderno.VARIABLE_CUADERNOS, raising=False)
    assert cuaderno.carpeta_cuadernos() == NOTEBOOKS
    monkeypatch.setenv(cuaderno.VARIABLE_CUADERNOS, str(tmp_path))
    assert cuaderno.carpeta_cuadernos() == tmp_path


def test_missing_notebooks_folder_is_a_clear_spanish_error(tmp_path, monkeypatch):
    monkeypatch.setenv(cuaderno.VARIABLE_CUADERNOS, str(tmp_path / "no-existe"))
    with pytest.raises(ErrorInforme, match="no se encontró la carpeta de cuadernos"):
        cuaderno.carpeta_cuadernos()
    monkeypatch.setenv(cuaderno.VARIABLE_CUADERNOS, str(tmp_path))
    with pytest.raises(ErrorInforme, match="no se encontró el cuaderno"):
        cuaderno.ruta_cuaderno(cuaderno.CUADERNO_INFORME)


def test_publication_drops_parameters_hidden_cells_stderr_and_empty_cells():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("estado = 'X'")
    params.metadata["tags"] = ["parameters"]
    inyectada = nbformat.v4.new_code_cell("estado = 'Y'")
    inyectada.metadata["tags"] = ["injected-parameters"]
    oculta = nbformat.v4.new_markdown_cell("instrucciones")
    oculta.metadata["tags"] = ["ocultar"]
    ruidosa = nbformat.v4.new_code_cell("f()", outputs=[nbformat.v4.new_output("stream", name="stderr", text="aviso")])
    util = nbformat.v4.new_code_cell("g()", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/html": "<p>hola</p>"}, execution_count=1)])
    texto = nbformat.v4.new_markdown_cell("## Sección")
    nb.cells = [params, inyectada, oculta, ruidosa, util, texto]
    publicado = cuaderno.para_publicar(nb)
    assert [c.source for c in publicado.cells] == ["g()", "## Sección"]
    assert len(nb.cells) == 6  # the executed notebook itself is untouched


def test_informe_runs_top_to_bottom_with_its_defaults_from_the_notebooks_folder(tmp_path):
    """As in JupyterLab: no parameters injected, working directory notebooks/, data in ../data."""
    import shutil

    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    shutil.copytree(NOTEBOOKS.parent / "data" / "raw", tmp_path / "data" / "raw")
    carpeta = tmp_path / "notebooks"
    ej = cuaderno.ejecutar(carpeta / "informe_estatal.ipynb", tmp_path / "salida" / "informe.ipynb", {},
                           que="el cuaderno con sus valores por omisión", fallido=tmp_path / "_fallidos" / "x.ipynb",
                           cwd=carpeta)
    html = "".join(o.get("data", {}).get("text/html", "") for c in ej.nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "Aguascalientes: IMSS-BIENESTAR, ejercicio 2024" in html
    assert "$426,771,165.00" in html
    assert (tmp_path / "data" / "processed").is_dir()  # ../data relative to notebooks/


@pytest.mark.parametrize("desde", ["raiz", "notebooks"])
def test_papermill_desde_la_raiz_o_desde_notebooks(desde, tmp_path):
    """``papermill notebooks/informe_estatal.ipynb out.ipynb -p estado …`` from the project root works
    with the notebook's own parameters, and so does running it from notebooks/ (as JupyterLab does)."""
    import subprocess

    proyecto = tmp_path / "proyecto"
    shutil.copytree(RAIZ / "data" / "raw", proyecto / "data" / "raw")
    shutil.copytree(RAIZ / "notebooks", proyecto / "notebooks")
    cwd = proyecto if desde == "raiz" else proyecto / "notebooks"
    entrada = "notebooks/informe_estatal.ipynb" if desde == "raiz" else "informe_estatal.ipynb"
    salida = tmp_path / "salida.ipynb"
    r = subprocess.run([sys.executable, "-m", "papermill", entrada, str(salida), "-p", "estado", "Aguascalientes",
                        "-p", "ciclo", "2024", "-p", "fondo", "IMSS-BIENESTAR", "-k", kernel.asegurar_kernel()],
                       cwd=cwd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    texto = salida.read_text(encoding="utf-8")
    assert "413,001,306.05" in texto  # Anexo 1 modificado computed from the published workbook
    assert (proyecto / "data" / "processed" / "_fuentes.json").exists()
