"""Benchmarks 3 to 5 of the performance issue: batch, incremental batch, output sizes.

Everything runs on a private copy of the repository's demo data ``data/demo/raw`` in a work folder
(``/tmp/asm-bench/lote`` by default), 2024 FASSA, the 32 demo states, with one FASSA capture
workbook added for Colima (made from the published Aguascalientes one, as the batch tests
do) so that "one state's workbook changes" can be measured. The store is ingested once
before anything is timed, so neither side pays for the ingest.

3. Batch. (a) The users' way, sequentially, as subprocesses of the venv's binaries: for each
   state ``papermill notebooks/informe_estatal.ipynb out.ipynb -p estado … -k asm-analysis``
   then ``jupyter nbconvert --to html --no-input out.ipynb``, on the same kernelspec the tool
   uses. (b) ``asm-analysis batch --estados all --jobs <cores>`` into a fresh folder (it also
   writes the annex CSVs and workbooks, the national comparison and the index). The users'
   way is timed in two halves, before and after the batch, so that a change in the load of a
   shared machine does not favour either side. Target (a)/(b) >= 6. Also a batch of the first 8
   states (``--estados 01,…,08``, with its national comparison), run right after the first half
   and compared with the users' way on the same 8 states: target >= 4. The executed notebooks of
   both sides are compared cell by cell (outputs and execution counts; generation times
   masked): the reports must say the same thing.
   (c) Floor: a bare kernel start of the same kernelspec plus the notebook's import cell
   (jupyter_client, then shut down), median of several; measured alone and with ``jobs``
   kernels at once, the parallelism the batch runs its reports with, half of the rounds right
   before the 32-state batch and half right after it, so a change in a shared machine's load
   while the batch runs weighs on both sides of the ratio. Marginal cost of one
   report: the median per-report wall time inside a worker of the 32-state batch (manifest
   ``tiempos_s.total``, ``jobs`` reports running at once), compared with the floor at the
   same parallelism (target <= 1.3x). Also printed: the same against the floor alone, and
   ``(T(32 states) - T(1 state)) / 31 x jobs`` from two batch runs.
   Where a report's files go: ``anexos.docx``, ``anexos.xlsx`` and the CSVs written for one state
   in a fresh interpreter, median of 5 (target for the Word file: < 0.2 s).
4. Incremental. The same batch again with nothing changed (target <= 3 % of the first run,
   both timed as the wall time of the command); then Colima's workbook changes (its
   ``ejecutora``): only Colima is rendered again, the other 31 folders keep every file's
   modification time, and the index is rewritten.
5. Size. Largest ``informe.html`` (target <= 1.5 MB) and ``anexos.xlsx`` (<= 200 KB).

Usage: ``python benchmarks/bench_lote.py [--trabajo /tmp/asm-bench/lote] [--jobs N] [--estados-usuario N]``
(``--estados-usuario`` < 32 times the users' way on that many states and scales it to 32,
printed as such). Prints every figure next to its target and writes ``<trabajo>/bench_lote.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CUADERNO = RAIZ / "notebooks" / "informe_estatal.ipynb"
LIBRO_AGS = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
CICLO, FONDO = 2024, "FASSA"
CAMBIA = ("06", "Colima")  # the state whose capture workbook changes in benchmark 4
MB = 1_000_000
META_LOTE, META_LOTE_8, META_MARGINAL, META_INCREMENTAL, META_DOCX = 6.0, 4.0, 1.3, 0.03, 0.2
ESTADOS_LOTE_CHICO = 8
META_HTML, META_XLSX = 1.5 * MB, 200_000

#: Generation times printed on the page (``25 de noviembre de 2026, 00:31 (UTC+00:00)`` and ISO).
_FECHAS = re.compile(r"\d{1,2} de [a-záéíóú]+ de \d{4}, \d\d:\d\d \([^)]*\)"
                     r"|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")


# ------------------------------------------------------------------------------------------ helpers


def entorno() -> dict[str, str]:
    """The environment of a user's shell: the venv's binaries first, no PYTHONPATH tricks."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "JUPYTER_PATH", "ASM_ANALYSIS_NOTEBOOKS")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def correr(args: list, env: dict, cwd: Path | None = None, log: Path | None = None) -> float:
    """Run a command, fail loudly if it fails, return its wall time in seconds."""
    t = time.perf_counter()
    r = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True)
    segundos = time.perf_counter() - t
    if log is not None:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"$ {' '.join(map(str, args))}\n{r.stdout}\n{r.stderr}\n[{segundos:.2f} s, código {r.returncode}]\n")
    if r.returncode != 0:
        raise SystemExit(f"falló ({r.returncode}): {' '.join(map(str, args))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return segundos


def ruta_jupyter(env: dict) -> str:
    """JUPYTER_PATH holding the ``asm-analysis`` kernelspec, written exactly as the tool writes it."""
    codigo = ("import os\nfrom asm_analysis.publicacion import kernel\nkernel.asegurar_kernel()\n"
              "print(os.environ['JUPYTER_PATH'])")
    r = subprocess.run([sys.executable, "-c", codigo], env=env, capture_output=True, text=True, check=True)
    return r.stdout.strip().splitlines()[-1]


def libro_captura(destino: Path, estado: str, ejecutora: str | None = None) -> Path:
    """A FASSA capture workbook for ``estado``, from the published Aguascalientes one (as tests/test_lote.py)."""
    from openpyxl import load_workbook

    wb = load_workbook(LIBRO_AGS)
    for fila in wb["ficha"].iter_rows(min_row=2):
        campo = fila[0].value
        if campo == "estado":
            fila[1].value = estado
        elif campo == "fondo":
            fila[1].value = FONDO
        elif campo == "ejecutora" and ejecutora:
            fila[1].value = ejecutora
    tmp = destino.with_name(f".{destino.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, destino)
    return destino


def estados() -> list[tuple[str, str]]:
    """(cve_ent, name) of the 32 states, from the package's catalog."""
    import csv

    with open(RAIZ / "src" / "asm_analysis" / "data" / "estados.csv", encoding="utf-8") as f:
        filas = list(csv.DictReader(f))
    return [(f["cve_ent"].zfill(2), f["nombre"]) for f in filas if 1 <= int(f["cve_ent"]) <= 32]  # not "00", national


def celda_imports() -> str:
    """The notebook's import cell: its first code cell after the parameters."""
    nb = json.loads(CUADERNO.read_text(encoding="utf-8"))
    for celda in nb["cells"]:
        if celda["cell_type"] == "code" and "parameters" not in celda["metadata"].get("tags", []):
            return "".join(celda["source"])
    raise SystemExit("el cuaderno no tiene celda de imports")


def contenido(ruta: Path) -> list[tuple]:
    """What an executed notebook says: per code cell (not the parameters), its source, count and outputs."""
    nb = json.loads(ruta.read_text(encoding="utf-8"))
    celdas = []
    for c in nb["cells"]:
        etiquetas = set(c["metadata"].get("tags", []))
        if c["cell_type"] != "code" or etiquetas & {"parameters", "injected-parameters"}:
            continue
        salidas = _FECHAS.sub("<fecha>", json.dumps(c.get("outputs", []), sort_keys=True, ensure_ascii=False))
        celdas.append(("".join(c["source"]), c.get("execution_count"), salidas))
    return celdas


def mtimes(carpeta: Path) -> dict[str, int]:
    return {p.relative_to(carpeta).as_posix(): p.stat().st_mtime_ns for p in sorted(carpeta.rglob("*")) if p.is_file()}


def mediana(valores) -> float:
    return statistics.median(valores) if valores else float("nan")


# ------------------------------------------------------------------------------------------ measurements


_PISO = r"""
import json, sys, time
from jupyter_client import KernelManager
codigo = sys.argv[1]
t = time.perf_counter()
km = KernelManager(kernel_name="asm-analysis")
km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
arranque = time.perf_counter() - t
r = kc.execute_interactive(codigo, timeout=300, output_hook=lambda m: None)
total = time.perf_counter() - t
kc.stop_channels()
km.shutdown_kernel(now=True)
print(json.dumps({"arranque": arranque, "imports": total - arranque, "total": total,
                  "ok": r["content"]["status"] == "ok"}))
"""


def medir_piso(env: dict, paralelos: int, rondas: int) -> list[dict]:
    """Kernel start + the notebook's import cell, ``paralelos`` kernels at once, ``rondas`` times."""
    codigo = celda_imports()
    medidas = []
    for _ in range(rondas):
        procesos = [subprocess.Popen([sys.executable, "-c", _PISO, codigo], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(paralelos)]
        for p in procesos:
            out, err = p.communicate()
            if p.returncode != 0:
                raise SystemExit(f"no se pudo medir el piso: {err[-2000:]}")
            m = json.loads(out.strip().splitlines()[-1])
            if not m["ok"]:
                raise SystemExit("la celda de imports falló al medir el piso")
            medidas.append(m)
    return medidas


def forma_usuario(lista: list[tuple[str, str]], datos: Path, salida: Path, env: dict, log: Path) -> list[dict]:
    """papermill then nbconvert for each state, one after the other; wall time of each command."""
    filas = []
    for cve, nombre in lista:
        carpeta = salida / cve
        carpeta.mkdir(parents=True, exist_ok=True)
        t_pm = correr([BIN / "papermill", CUADERNO, "out.ipynb", "-p", "estado", nombre, "-p", "ciclo", str(CICLO),
                       "-p", "fondo", FONDO, "-p", "data_dir", datos, "-p", "out_dir", salida,
                       "-k", "asm-analysis"], env, cwd=carpeta, log=log)
        t_nb = correr([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", "out.ipynb"], env, cwd=carpeta,
                      log=log)
        filas.append({"cve_ent": cve, "estado": nombre, "papermill_s": t_pm, "nbconvert_s": t_nb,
                      "total_s": t_pm + t_nb})
    return filas


def lote(datos: Path, out: Path, jobs: int, env: dict, log: Path, estados_arg: str = "all") -> float:
    return correr([BIN / "asm-analysis", "batch", "--ciclo", str(CICLO), "--fondo", FONDO, "--estados", estados_arg,
                   "--jobs", str(jobs), "--data-dir", datos, "--out", out], env, log=log)


def registro_lote(out: Path) -> dict:
    return json.loads((out / str(CICLO) / FONDO / "_lote.json").read_text(encoding="utf-8"))


def carpetas(out: Path) -> dict[str, Path]:
    return {p.name[:2]: p for p in sorted((out / str(CICLO) / FONDO).glob("[0-9][0-9]-*")) if p.is_dir()}


def tiempos_cuaderno(ruta: Path, imports: str) -> dict[str, float]:
    """Where an executed notebook's time went (papermill metadata): kernel start, imports, charts, the rest."""
    from datetime import datetime

    nb = json.loads(ruta.read_text(encoding="utf-8"))
    inicio = datetime.fromisoformat(nb["metadata"]["papermill"]["start_time"])
    codigo = [c for c in nb["cells"] if c["cell_type"] == "code"]
    primera = min(datetime.fromisoformat(c["metadata"]["papermill"]["start_time"]) for c in codigo)
    r = {"arranque_kernel": (primera - inicio).total_seconds(), "imports": 0.0, "graficas": 0.0, "datos": 0.0,
         "otras_celdas": 0.0}
    for c in codigo:
        fuente, d = "".join(c["source"]), c["metadata"]["papermill"].get("duration") or 0.0
        clave = ("imports" if fuente.strip() == imports.strip() else "graficas" if fuente.startswith("graficas.")
                 else "datos" if "datos.cargar" in fuente else "otras_celdas")
        r[clave] += d
    return r


_ARCHIVOS = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
from asm_analysis.publicacion import calculo
from asm_analysis.publicacion.documento import escribir_docx
from asm_analysis.publicacion.salidas import escribir_csvs, escribir_excel
c = calculo.calcular(sys.argv[1], sys.argv[2], 2024, "FASSA", actualizar=False)
tiempos = {"docx": [], "xlsx": [], "csv": []}
with tempfile.TemporaryDirectory() as d:
    for _ in range(6):
        t = time.perf_counter(); escribir_docx(c, Path(d) / "a.docx"); t1 = time.perf_counter()
        escribir_excel(c, Path(d) / "a.xlsx"); t2 = time.perf_counter()
        escribir_csvs(c.anexos, Path(d)); t3 = time.perf_counter()
        for k, v in (("docx", t1 - t), ("xlsx", t2 - t1), ("csv", t3 - t2)):
            tiempos[k].append(v)
    import cProfile, pstats, io
    perfil = cProfile.Profile()
    perfil.runcall(escribir_docx, c, Path(d) / "b.docx")
    salida = io.StringIO()
    pstats.Stats(perfil, stream=salida).sort_stats("cumulative").print_stats(14)
print(json.dumps({k: statistics.median(v[1:]) for k, v in tiempos.items()} | {"perfil_docx": salida.getvalue()}))
"""


def medir_archivos(env: dict, datos: Path, cve: str) -> dict:
    """One state's anexos.docx, anexos.xlsx and CSVs written 5 times in a fresh interpreter (medians, s),
    and a profile of one Word file (the first write, which imports, is not counted)."""
    r = subprocess.run([sys.executable, "-c", _ARCHIVOS, str(datos), cve], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"no se pudo medir la escritura de archivos: {r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ main


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trabajo", type=Path, default=Path("/tmp/asm-bench/lote"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--estados-usuario", type=int, default=32,
                   help="estados para la forma de los usuarios (se escala a 32 si son menos)")
    p.add_argument("--rondas-piso", type=int, default=5)
    args = p.parse_args()
    if not (BIN / "asm-analysis").exists():
        raise SystemExit(f"falta {BIN / 'asm-analysis'}: ejecute «{BIN / 'pip'} install -e . --no-deps»")

    inicio_bench = time.perf_counter()
    w = args.trabajo
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    log = w / "comandos.log"
    datos = w / "data"
    shutil.copytree(RAIZ / "data" / "demo" / "raw", datos / "raw")
    (datos / "raw" / "captura").mkdir()
    libro = libro_captura(datos / "raw" / "captura" / f"{CAMBIA[1].lower()}_{CICLO}_{FONDO}.xlsx", CAMBIA[1])
    env = entorno()
    env_u = {**env, "JUPYTER_PATH": ruta_jupyter(env)}
    correr([BIN / "asm-analysis", "ingest", "--data-dir", datos], env, log=log)  # both sides start from a ready store
    lista = estados()
    n_u = max(1, min(args.estados_usuario, len(lista)))
    usuario_lista = lista[:n_u]
    mitad = (n_u + 1) // 2
    jobs = args.jobs
    print(f"Trabajo en {w}; {len(lista)} estados, {CICLO} {FONDO}, --jobs {jobs}; almacén ya ingerido en ambos lados.",
          flush=True)

    # ---- 3 (a) and (b): the users' way in two halves around the first batch run
    usuarios = w / "usuarios"
    filas_u = forma_usuario(usuario_lista[:mitad], datos, usuarios, env_u, log)
    print(f"  forma de los usuarios, primera mitad ({mitad} estados): {sum(f['total_s'] for f in filas_u):.1f} s",
          flush=True)
    chico = [cve for cve, _ in usuario_lista[:ESTADOS_LOTE_CHICO]]
    t_lote8 = lote(datos, w / f"lote-{len(chico)}-estados", jobs, env, log, estados_arg=",".join(chico)) \
        if len(chico) == ESTADOS_LOTE_CHICO and mitad >= ESTADOS_LOTE_CHICO else None
    if t_lote8 is not None:
        print(f"  asm-analysis batch ({len(chico)} estados, con su comparativo nacional): {t_lote8:.1f} s", flush=True)
    out = w / "lote"
    # ---- 3 (c), first half of the floor: right before the batch whose reports it is compared with
    solo_antes, par_antes = args.rondas_piso // 2, max(1, args.rondas_piso // 2)
    piso_solo = medir_piso(env_u, 1, solo_antes)
    piso_par = medir_piso(env_u, jobs, par_antes)
    t_lote = lote(datos, out, jobs, env, log)
    piso_solo += medir_piso(env_u, 1, args.rondas_piso - solo_antes)
    piso_par += medir_piso(env_u, jobs, par_antes)
    reg = registro_lote(out)
    no_ok = [r["estado"] for r in reg["resultados"] if r["estatus"] != "ok"]
    if no_ok:
        raise SystemExit(f"el lote no generó: {no_ok}")
    print(f"  asm-analysis batch (primera corrida, 32 estados): {t_lote:.1f} s", flush=True)
    filas_u += forma_usuario(usuario_lista[mitad:], datos, usuarios, env_u, log)
    t_usuario_medido = sum(f["total_s"] for f in filas_u)
    t_usuario = t_usuario_medido * len(lista) / n_u
    print(f"  forma de los usuarios, total ({n_u} estados): {t_usuario_medido:.1f} s", flush=True)

    # the same reports? (outputs and execution counts of every code cell, generation time masked)
    por_carpeta = carpetas(out)
    distintos = [nombre for cve, nombre in usuario_lista
                 if contenido(usuarios / cve / "out.ipynb") != contenido(por_carpeta[cve] / "informe.ipynb")]

    # ---- 3 (c): floor (measured around the batch) and marginal cost
    f_solo = mediana([m["total"] for m in piso_solo])
    f_par = mediana([m["total"] for m in piso_par])
    manifiestos = {cve: json.loads((c / "manifest.json").read_text(encoding="utf-8")) for cve, c in por_carpeta.items()}
    por_informe = [m["tiempos_s"]["total"] for m in manifiestos.values()]
    marginal = mediana(por_informe)
    out1 = w / "lote-1-estado"
    t_lote1 = lote(datos, out1, jobs, env, log, estados_arg=lista[-1][0])
    marginal_dif = (t_lote - t_lote1) / (len(lista) - 1) * jobs

    archivos = medir_archivos(env, datos, lista[0][0])

    # where the time goes
    imports = celda_imports()
    perfil_u = {k: mediana([tiempos_cuaderno(usuarios / cve / "out.ipynb", imports)[k] for cve, _ in usuario_lista])
                for k in ("arranque_kernel", "imports", "datos", "graficas", "otras_celdas")}
    perfil_u["papermill_cli"] = mediana([f["papermill_s"] for f in filas_u])
    perfil_u["nbconvert_cli"] = mediana([f["nbconvert_s"] for f in filas_u])
    perfil_l = {k: mediana([tiempos_cuaderno(c / "informe.ipynb", imports)[k] for c in por_carpeta.values()])
                for k in ("arranque_kernel", "imports", "datos", "graficas", "otras_celdas")}
    for k in ("anexos", "archivos", "informe_html", "total"):
        perfil_l[k] = mediana([m["tiempos_s"].get(k, 0.0) for m in manifiestos.values()])
    for k in ("papermill_total", "exportacion_html"):
        perfil_l[k] = mediana([json.loads((c / "informe.ipynb").read_text(encoding="utf-8"))["metadata"]
                               ["asm_analysis"]["tiempos_s"].get(k, 0.0) for c in por_carpeta.values()])

    # ---- 5: sizes (of the first run)
    max_html = max((c / "informe.html").stat().st_size for c in por_carpeta.values())
    max_xlsx = max((c / "anexos.xlsx").stat().st_size for c in por_carpeta.values())

    # ---- 4: incremental
    antes = {cve: mtimes(c) for cve, c in por_carpeta.items()}
    indice = out / str(CICLO) / FONDO / "index.html"
    t_incr = lote(datos, out, jobs, env, log)
    reg2 = registro_lote(out)
    al_dia = sum(r["estatus"] == "al día" for r in reg2["resultados"])
    sin_tocar = sum(mtimes(c) == antes[cve] for cve, c in carpetas(out).items())
    indice_antes = (indice.read_bytes(), indice.stat().st_mtime_ns)
    libro_captura(libro, CAMBIA[1], ejecutora="Servicios de Salud de Colima (benchmark)")
    t_cambio = lote(datos, out, jobs, env, log)
    reg3 = registro_lote(out)
    estatus3 = {r["cve_ent"]: r["estatus"] for r in reg3["resultados"]}
    generados = sorted(cve for cve, e in estatus3.items() if e == "ok")
    despues = {cve: mtimes(c) for cve, c in carpetas(out).items()}
    otros_intactos = sum(despues[cve] == antes[cve] for cve in antes if cve != CAMBIA[0])
    html_cambio = despues[CAMBIA[0]]["informe.html"] != antes[CAMBIA[0]]["informe.html"]
    indice_reescrito = (indice.read_bytes(), indice.stat().st_mtime_ns) != indice_antes
    comparativo_rehecho = reg3.get("comparativo", {}).get("huella") != reg2.get("comparativo", {}).get("huella")

    duracion = time.perf_counter() - inicio_bench
    razon_lote = t_usuario / t_lote
    t_usuario8 = sum(f["total_s"] for f in filas_u if f["cve_ent"] in chico) if t_lote8 else None
    razon_lote8 = t_usuario8 / t_lote8 if t_lote8 else None
    escala = "" if n_u == len(lista) else f" (medido en {n_u} estados y escalado a {len(lista)})"
    print()
    print(f"[3] forma de los usuarios (papermill + nbconvert por estado, en serie): {t_usuario:.1f} s{escala}; "
          f"asm-analysis batch --jobs {jobs}: {t_lote:.1f} s -> {razon_lote:.2f}x más rápido (meta >= {META_LOTE:.0f}x)")
    if t_lote8:
        print(f"[3] {len(chico)} estados ({', '.join(chico)}): forma de los usuarios {t_usuario8:.1f} s; "
              f"asm-analysis batch --jobs {jobs} (con el comparativo nacional de los 32): {t_lote8:.1f} s -> "
              f"{razon_lote8:.2f}x más rápido (meta >= {META_LOTE_8:.0f}x)")
    print(f"[3] mismo contenido en los cuadernos ejecutados de ambos lados: {n_u - len(distintos)}/{n_u} estados"
          + (f" (distintos: {', '.join(distintos)})" if distintos else ""))
    arranque_par, imports_par = (mediana([m[k] for m in piso_par]) for k in ("arranque", "imports"))
    print(f"[3] piso (arranque de kernel + celda de imports, la mitad de las rondas justo antes del lote de 32 y la "
          f"otra mitad justo después): {f_solo:.2f} s solo; {f_par:.2f} s con {jobs} a la vez "
          f"(mediana; arranque {arranque_par:.2f} s + imports {imports_par:.2f} s)")
    print(f"[3] costo marginal de un informe (mediana del tiempo por informe dentro de un trabajador, {jobs} a la vez): "
          f"{marginal:.2f} s -> {marginal / f_par:.2f}x el piso con {jobs} a la vez (meta <= {META_MARGINAL:.1f}x); "
          f"{marginal / f_solo:.2f}x el piso solo")
    print(f"[3] costo marginal por diferencia de lotes ((T32 {t_lote:.1f} s - T1 {t_lote1:.1f} s) / 31 x {jobs}): "
          f"{marginal_dif:.2f} s -> {marginal_dif / f_par:.2f}x el piso con {jobs} a la vez; "
          f"{marginal_dif / f_solo:.2f}x el piso solo")
    print(f"[3] archivos de un informe (mediana de 5, proceso aparte): anexos.docx {archivos['docx']:.3f} s "
          f"(meta < {META_DOCX} s), anexos.xlsx {archivos['xlsx']:.3f} s, CSV {archivos['csv']:.3f} s")
    print("    perfil de un anexos.docx (cProfile, acumulado):")
    print("\n".join("    " + l for l in archivos["perfil_docx"].strip().splitlines()[-16:]))
    print(f"[4] segundo lote sin cambios: {t_incr:.2f} s = {t_incr / t_lote * 100:.1f} % del primero "
          f"(meta <= {META_INCREMENTAL * 100:.0f} %); {al_dia}/32 al día, {sin_tocar}/32 carpetas sin tocar")
    print(f"[4] cambia el libro de {CAMBIA[1]}: {t_cambio:.1f} s; regenerados {generados} "
          f"(meta: solo {CAMBIA[0]}); informe.html de {CAMBIA[1]} reescrito: {'sí' if html_cambio else 'no'}; "
          f"otras {otros_intactos}/31 carpetas intactas; índice reescrito: {'sí' if indice_reescrito else 'no'}; "
          f"comparativo nacional rehecho: {'sí' if comparativo_rehecho else 'no'}")
    print(f"[5] informe.html más grande: {max_html / MB:.2f} MB (meta <= 1.5 MB); "
          f"anexos.xlsx más grande: {max_xlsx / 1000:.0f} KB (meta <= 200 KB)")
    print("Dónde se va el tiempo (medianas por informe, s):")
    print("  forma de los usuarios: " + ", ".join(f"{k} {v:.2f}" for k, v in perfil_u.items()))
    print("  batch: " + ", ".join(f"{k} {v:.2f}" for k, v in perfil_l.items()))
    print(f"Duración de este benchmark: {duracion / 60:.1f} min")

    resultados = {
        "jobs": jobs, "estados": len(lista), "estados_usuario": n_u,
        "usuario_s": t_usuario, "usuario_medido_s": t_usuario_medido, "lote_s": t_lote, "razon_lote": razon_lote,
        "lote_chico_estados": chico, "usuario_chico_s": t_usuario8, "lote_chico_s": t_lote8,
        "razon_lote_chico": razon_lote8, "archivos_s": archivos,
        "contenido_identico": n_u - len(distintos), "contenido_distinto": distintos,
        "piso_solo_s": f_solo, "piso_paralelo_s": f_par, "piso_medidas": {"solo": piso_solo, "paralelo": piso_par},
        "marginal_s": marginal, "razon_marginal": marginal / f_par, "razon_marginal_piso_solo": marginal / f_solo,
        "lote_1_estado_s": t_lote1, "marginal_diferencia_s": marginal_dif,
        "razon_marginal_diferencia": marginal_dif / f_par,
        "incremental_s": t_incr, "razon_incremental": t_incr / t_lote, "al_dia": al_dia, "carpetas_sin_tocar": sin_tocar,
        "cambio_s": t_cambio, "cambio_generados": generados, "cambio_html_reescrito": html_cambio,
        "cambio_otros_intactos": otros_intactos, "cambio_indice_reescrito": indice_reescrito,
        "cambio_comparativo_rehecho": comparativo_rehecho,
        "max_html_bytes": max_html, "max_xlsx_bytes": max_xlsx,
        "perfil_usuario_s": perfil_u, "perfil_lote_s": perfil_l, "por_estado_usuario": filas_u,
        "duracion_s": duracion,
    }
    (w / "bench_lote.json").write_text(json.dumps(resultados, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
