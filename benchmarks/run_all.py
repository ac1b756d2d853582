"""Run every benchmark of the performance issue and print each figure next to its target.

``make bench`` runs this file: ``bench_ingesta.py`` (benchmarks 1 and 2) and ``bench_lote.py``
(3 to 5) as subprocesses of this interpreter, their output streamed as they go, then a
summary table (figure, target, met or not) and ``benchmarks/ultimo_resultado.json`` with the
figures, the machine and the date. Exit code 1 if a target is not met (or a benchmark
failed). Work files go to ``--trabajo`` (default ``/tmp/asm-bench``). ``--resumir`` measures
nothing: it prints the summary of the results already saved there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

AQUI = Path(__file__).resolve().parent
LIMITE_MIN = 15.0
PAQUETES = ("pandas", "pyarrow", "numpy", "matplotlib", "openpyxl", "papermill", "nbconvert", "nbclient", "nbformat",
            "ipykernel", "jupyter_client")


def maquina() -> dict:
    memoria = None
    try:
        for linea in Path("/proc/meminfo").read_text().splitlines():
            if linea.startswith("MemTotal:"):
                memoria = round(int(linea.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    modelo = None
    try:
        modelo = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                       if l.startswith("model name")), None)
    except OSError:
        pass
    versiones = {}
    for p in PAQUETES:
        try:
            versiones[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versiones[p] = None
    return {"nucleos": os.cpu_count(), "cpu": modelo, "ram_gb": memoria, "sistema": platform.platform(),
            "python": platform.python_version(), "versiones": versiones}


def correr(script: str, argumentos: list[str], intentos: dict[str, int]) -> tuple[int, float]:
    """Run a benchmark script, streaming its output; once more if it fails (said so, and recorded)."""
    t = time.perf_counter()
    for intento in (1, 2):
        print(f"\n=== {script} {' '.join(argumentos)}" + (" (segundo intento)" if intento > 1 else ""), flush=True)
        codigo = subprocess.call([sys.executable, str(AQUI / script), *argumentos])
        intentos[script] = intento
        if codigo == 0:
            break
        print(f"!!! {script} terminó con código {codigo}", flush=True)
    return codigo, time.perf_counter() - t


def fila(nombre: str, valor: str, meta: str, cumple: bool | None) -> dict:
    return {"cifra": nombre, "valor": valor, "meta": meta,
            "cumple": cumple, "estado": "cumple" if cumple else ("NO CUMPLE" if cumple is False else "—")}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trabajo", type=Path, default=Path("/tmp/asm-bench"))
    p.add_argument("--resumir", action="store_true",
                   help="no medir: imprimir la tabla de metas de los resultados ya guardados en --trabajo")
    args = p.parse_args()
    inicio = time.perf_counter()
    fecha = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
    carga_antes = os.getloadavg()

    intentos: dict[str, int] = {}
    if args.resumir:
        cod_i = 0 if (args.trabajo / "bench_ingesta.json").exists() else 2
        cod_l = 0 if (args.trabajo / "lote" / "bench_lote.json").exists() else 2
        t_i = t_l = 0.0
    else:
        cod_i, t_i = correr("bench_ingesta.py", ["--trabajo", str(args.trabajo)], intentos)
        cod_l, t_l = correr("bench_lote.py", ["--trabajo", str(args.trabajo / "lote")], intentos)
    total_min = (time.perf_counter() - inicio) / 60
    carga_despues = os.getloadavg()

    filas = []
    ing = json.loads((args.trabajo / "bench_ingesta.json").read_text()) if cod_i == 0 else None
    lot = json.loads((args.trabajo / "lote" / "bench_lote.json").read_text()) if cod_l == 0 else None
    if ing:
        r = ing["razon_ingest"]
        filas.append(fila("1 ingest / lectura Arrow + parquet por estado", f"{r:.2f} ({ing['ingest_s']:.1f} s / "
                          f"{ing['lectura_escritura_s']:.1f} s)", "<= 1.20", r <= 1.2))
        filas.append(fila("1 ingest / pyarrow.csv.read_csv solo", f"{ing['razon_ingest_lectura']:.2f} "
                          f"({ing['ingest_s']:.1f} s / {ing['pyarrow_s']:.1f} s)", "(referencia)", None))
        filas.append(fila("1 memoria pico de ingest", f"{ing['rss_mb']:,.0f} MB", "<= 700 MB", ing["rss_mb"] <= 700))
        g = ing["rss_mb"] / ing["rss_tercio_mb"]
        filas.append(fila("1 crecimiento de memoria (archivo 3x)", f"{g:.2f}x", "<= 1.20x", g <= 1.2))
        for clave, nombre in (("encabezado_coma", "6 encabezado con coma al final"),
                              ("fila_mala", "6 una fila mal formada en medio")):
            m = ing["malos"][clave]
            bien = m["razon"] < 2.0 and m["malo"]["rss_mb"] < 700 and m["respuesta_correcta"]
            filas.append(fila(f"{nombre} / archivo limpio", f"{m['razon']:.2f}x, {m['malo']['rss_mb']:,.0f} MB"
                              + ("" if m["respuesta_correcta"] else ", respuesta inesperada"),
                              "< 2x, < 700 MB", bien))
        v = ing["pandas_filtro_s"] / ing["lectura_estado_s"]
        filas.append(fila("2 leer un estado: almacén vs pandas", f"{v:,.0f}x", ">= 50x", v >= 50))
        c = ing["lectura_estado_s"] / ing["lectura_estado_decimo_s"]
        filas.append(fila("2 lectura por estado, archivo 10x mayor", f"{c:.2f}x", "<= 1.50x", c <= 1.5))
    else:
        filas.append(fila("1-2 bench_ingesta.py", f"falló (código {cod_i})", "termina", False))
    if lot:
        filas.append(fila("3 batch 32 vs papermill+nbconvert en serie", f"{lot['razon_lote']:.2f}x", ">= 6x",
                          lot["razon_lote"] >= 6))
        if lot.get("razon_lote_chico") is not None:
            filas.append(fila("3 batch 8 vs papermill+nbconvert en serie", f"{lot['razon_lote_chico']:.2f}x "
                              f"({lot['usuario_chico_s']:.0f} s / {lot['lote_chico_s']:.1f} s)", ">= 4x",
                              lot["razon_lote_chico"] >= 4))
        else:
            filas.append(fila("3 batch 8 vs papermill+nbconvert en serie", "no medido", ">= 4x", False))
        filas.append(fila(f"3 costo marginal / piso ({lot['jobs']} a la vez)",
                          f"{lot['razon_marginal']:.2f}x ({lot['marginal_s']:.2f} s / {lot['piso_paralelo_s']:.2f} s)",
                          "<= 1.30x", lot["razon_marginal"] <= 1.3))
        docx = lot["archivos_s"]["docx"]
        filas.append(fila("3 anexos.docx de un informe", f"{docx:.3f} s", "< 0.2 s", docx < 0.2))
        filas.append(fila("3 costo marginal / piso de un kernel solo",
                          f"{lot['razon_marginal_piso_solo']:.2f}x ({lot['marginal_s']:.2f} s / {lot['piso_solo_s']:.2f} s)",
                          "(referencia)", None))
        filas.append(fila("3 mismo contenido que la forma de los usuarios",
                          f"{lot['contenido_identico']}/{lot['estados_usuario']}", "todos",
                          lot["contenido_identico"] == lot["estados_usuario"]))
        filas.append(fila("4 segundo lote sin cambios / primero", f"{lot['razon_incremental'] * 100:.1f} %", "<= 3 %",
                          lot["razon_incremental"] <= 0.03 and lot["al_dia"] == lot["estados"]))
        solo = (lot["cambio_generados"] == ["06"] and lot["cambio_html_reescrito"]
                and lot["cambio_otros_intactos"] == lot["estados"] - 1 and lot["cambio_indice_reescrito"])
        filas.append(fila("4 cambia un libro: se regenera", f"{lot['cambio_generados']} e índice; "
                          f"{lot['cambio_otros_intactos']}/{lot['estados'] - 1} intactos", "solo ese estado", solo))
        filas.append(fila("5 informe.html más grande", f"{lot['max_html_bytes'] / 1e6:.2f} MB", "<= 1.5 MB",
                          lot["max_html_bytes"] <= 1.5e6))
        filas.append(fila("5 anexos.xlsx más grande", f"{lot['max_xlsx_bytes'] / 1e3:.0f} KB", "<= 200 KB",
                          lot["max_xlsx_bytes"] <= 200e3))
    else:
        filas.append(fila("3-5 bench_lote.py", f"falló (código {cod_l})", "termina", False))
    if not args.resumir:
        filas.append(fila("make bench completo", f"{total_min:.1f} min", f"< {LIMITE_MIN:.0f} min (2 núcleos)",
                          total_min < LIMITE_MIN))

    ancho = max(len(f["cifra"]) for f in filas) + 2
    anchov = max(len(f["valor"]) for f in filas) + 2
    print("\n=== Resumen")
    print(f"{'Cifra':<{ancho}}{'Valor':<{anchov}}{'Meta':<22}Estado")
    for f in filas:
        print(f"{f['cifra']:<{ancho}}{f['valor']:<{anchov}}{f['meta']:<22}{f['estado']}")
    fallas = [f for f in filas if f["cumple"] is False]
    m = maquina()
    print(f"Máquina: {m['nucleos']} núcleos ({m['cpu']}), {m['ram_gb']} GB, Python {m['python']}; "
          f"carga media (1/5/15 min) al empezar {', '.join(f'{x:.1f}' for x in carga_antes)}, al terminar "
          f"{', '.join(f'{x:.1f}' for x in carga_despues)}")
    repetidos = [k for k, v in intentos.items() if v > 1]
    if repetidos:
        print(f"Repetidos tras fallar una vez: {', '.join(repetidos)}")
    print("Todas las metas se cumplen." if not fallas else f"Metas no cumplidas: {', '.join(f['cifra'] for f in fallas)}")

    (AQUI / "ultimo_resultado.json").write_text(json.dumps({
        "fecha": fecha, "comando": ("python benchmarks/run_all.py --resumir (resultados guardados)" if args.resumir
                                    else "make bench  (python benchmarks/run_all.py)"), "maquina": m,
        "carga_media_antes": carga_antes, "carga_media_despues": carga_despues,
        "duracion_min": round(total_min, 2), "intentos": intentos,
        "duracion_scripts_s": {"bench_ingesta": round(t_i, 1), "bench_lote": round(t_l, 1)},
        "resumen": filas, "bench_ingesta": ing, "bench_lote": lot,
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if fallas else 0


if __name__ == "__main__":
    sys.exit(main())
