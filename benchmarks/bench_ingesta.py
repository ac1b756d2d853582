"""Benchmarks 1 and 2 of the performance issue: ingest of a national SRFT file and per-state reads.

Everything is measured side by side in this run on files made by the demo generator:

1. ``ingest`` of a national-scale SRFT CSV (≥ 1.5 million rows, ≥ 180 MB, latin-1) against a
   bare ``pyarrow.csv.read_csv`` of the same file (target: ratio ≤ 1.5); peak memory of the
   ingest process (target ≤ 1.5 GB) and its growth when the file grows 3× (target: ≤ 1.2×,
   i.e. not growing).
2. Reading one state and ciclo from the processed store against ``pandas.read_csv`` of the
   raw file plus a filter (target: ≥ 50× faster), and the growth of the store read when the
   national file grows 10× (target ≤ 1.5×).

Usage: ``python benchmarks/bench_ingesta.py [--filas 1500000] [--trabajo /tmp/asm-bench]``.
Generated files are cached in the work folder between runs.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
FILAS_POR_ESCALA = 3500  # a little under the rows per scale unit of the 2024 demo file, so targets are met


def generar(trabajo: Path, filas: int) -> Path:
    """A data dir whose raw/srft holds one 2024 SRFT file of about ``filas`` rows (cached)."""
    escala = max(1, math.ceil(filas / FILAS_POR_ESCALA))
    carpeta = trabajo / f"escala{escala}"
    csv = carpeta / "raw" / "srft" / "ejercicio_del_gasto_2024_demo.csv"
    if not csv.exists():
        tmp = trabajo / f".tmp-escala{escala}"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([sys.executable, str(RAIZ / "scripts" / "generar_demo.py"), "--out", str(tmp / "raw"),
                        "--scale", str(escala), "--ciclos", "2024"], check=True, stdout=subprocess.DEVNULL)
        for otro in ("indicadores", "concurrencia", "asm"):
            shutil.rmtree(tmp / "raw" / otro, ignore_errors=True)
        shutil.rmtree(carpeta, ignore_errors=True)
        tmp.rename(carpeta)
    return carpeta


def _en_proceso(codigo: str) -> dict:
    """Run ``codigo`` in a fresh interpreter; it prints a JSON dict; add its peak RSS (MB)."""
    envoltura = codigo + "\nimport resource, json as _j\n" \
        "print(_j.dumps({**resultado, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    salida = subprocess.run([sys.executable, "-c", envoltura], check=True, capture_output=True, text=True,
                            cwd=RAIZ, env={"PYTHONPATH": str(RAIZ / "src"), "PATH": "/usr/bin:/bin"})
    return json.loads(salida.stdout.strip().splitlines()[-1])


def medir_pyarrow(csv: Path) -> dict:
    return _en_proceso(f"""
import time, pyarrow.csv as c
t = time.perf_counter()
tabla = c.read_csv({str(csv)!r}, read_options=c.ReadOptions(encoding='latin1'))
resultado = {{'s': time.perf_counter() - t, 'filas': tabla.num_rows}}
""")


def medir_ingest(carpeta: Path) -> dict:
    return _en_proceso(f"""
import time
from asm_analysis.entradas import ingesta
t = time.perf_counter()
r = ingesta.ingerir({str(carpeta)!r}, forzar=True)
resultado = {{'s': time.perf_counter() - t, 'filas': r[0].cargadas}}
""")


def medir_pandas_filtro(csv: Path) -> dict:
    return _en_proceso(f"""
import time, pandas as pd
t = time.perf_counter()
df = pd.read_csv({str(csv)!r}, encoding='latin-1', low_memory=False)
sel = df[(df['ID_ENTIDAD_FEDERATIVA'] == 22) & (df['CICLO'] == 2024)]
resultado = {{'s': time.perf_counter() - t, 'filas': len(sel)}}
""")


def medir_lectura_estado(carpeta: Path, repeticiones: int = 5) -> dict:
    return _en_proceso(f"""
import time
from pathlib import Path
from asm_analysis.entradas import catalogos, srft
fondo = catalogos.resolver_fondo('FASSA')
tiempos = []
for _ in range({repeticiones}):
    t = time.perf_counter()
    sel = srft.leer_estado(Path({str(carpeta / 'processed')!r}), '22', 2024, fondo)
    tiempos.append(time.perf_counter() - t)
resultado = {{'s': min(tiempos), 'filas': len(sel.corriente)}}
""")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--filas", type=int, default=1_500_000)
    p.add_argument("--trabajo", type=Path, default=Path("/tmp/asm-bench"))
    args = p.parse_args()
    args.trabajo.mkdir(parents=True, exist_ok=True)

    grande = generar(args.trabajo, args.filas)
    tercio = generar(args.trabajo, args.filas // 3)
    decimo = generar(args.trabajo, args.filas // 10)
    csv_grande = grande / "raw" / "srft" / "ejercicio_del_gasto_2024_demo.csv"
    mb = csv_grande.stat().st_size / 1e6

    bare = medir_pyarrow(csv_grande)
    ing = medir_ingest(grande)
    ing_tercio = medir_ingest(tercio)
    print(f"Archivo SRFT nacional: {bare['filas']:,} filas, {mb:,.0f} MB (latin-1)")
    print(f"[1] ingest {ing['s']:.2f} s vs pyarrow.csv.read_csv {bare['s']:.2f} s -> "
          f"razón {ing['s'] / bare['s']:.2f} (meta <= 1.50)")
    print(f"[1] memoria pico de ingest {ing['rss_mb']:,.0f} MB (meta <= 1,500 MB); con un archivo 3x menor "
          f"{ing_tercio['rss_mb']:,.0f} MB -> crecimiento {ing['rss_mb'] / ing_tercio['rss_mb']:.2f}x "
          f"al crecer el archivo 3x (meta: no crece, <= 1.20x)")

    ingest_decimo = medir_ingest(decimo)  # noqa: F841  (store for the 10x-smaller national file)
    pandas_f = medir_pandas_filtro(csv_grande)
    lectura = medir_lectura_estado(grande)
    lectura_decimo = medir_lectura_estado(decimo)
    print(f"[2] leer un estado y ciclo del almacén {lectura['s'] * 1000:.1f} ms vs pandas.read_csv + filtro "
          f"{pandas_f['s']:.2f} s -> {pandas_f['s'] / lectura['s']:,.0f}x más rápido (meta >= 50x)")
    print(f"[2] lectura por estado con archivo nacional 10x mayor: {lectura['s'] * 1000:.1f} ms vs "
          f"{lectura_decimo['s'] * 1000:.1f} ms -> {lectura['s'] / lectura_decimo['s']:.2f}x (meta <= 1.50x)")
    resultados = {
        "filas": bare["filas"], "mb": round(mb, 1),
        "ingest_s": ing["s"], "pyarrow_s": bare["s"], "razon_ingest": ing["s"] / bare["s"],
        "rss_mb": ing["rss_mb"], "rss_tercio_mb": ing_tercio["rss_mb"],
        "lectura_estado_s": lectura["s"], "pandas_filtro_s": pandas_f["s"],
        "lectura_estado_decimo_s": lectura_decimo["s"],
    }
    (args.trabajo / "bench_ingesta.json").write_text(json.dumps(resultados, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
