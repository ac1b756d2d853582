"""Benchmarks 1, 2 and 6 of the performance issues: ingest of a national SRFT file, per-state reads, bad files.

Everything is measured side by side in this run on files made by the demo generator, each
command in a fresh interpreter (its wall time from start to exit, imports included, and its
peak memory):

1. ``ingest`` of a national-scale SRFT CSV (≥ 1.5 million rows, latin-1) against two bare
   references doing part of its work: (a) ``pyarrow.csv.read_csv`` of the file, which writes
   nothing (printed for reference); (b) the same read plus writing the parquet dataset
   partitioned by state that the store is (import pandas and pyarrow, Arrow read,
   ``pyarrow.dataset.write_dataset`` by ``ID_ENTIDAD_FEDERATIVA``): target ``ingest`` ≤ 1.2×
   (b). The two sides run alternately (ingest, reference, reference, ingest) and the median
   of each is compared, so a change in the load of a shared machine favours neither. Peak
   memory of ``ingest`` ≤ 700 MB, and its growth when the file grows 3× ≤ 1.2× (it does not
   grow with the file).
2. Reading one state and ciclo from the processed store against ``pandas.read_csv`` of the
   raw file plus a filter (target: ≥ 50× faster), and the growth of the store read when the
   national file grows 10× (target ≤ 1.5×): both stores read in one process, in turn, the
   fastest of 15 reads of each (a read takes milliseconds).
6. Bad files answered fast: the same national file with a comma at the end of its header,
   and with one malformed row (a cell too many) in the middle. ``ingest`` must answer each
   (refused with the reason, or loaded with the bad row listed in the rejects) in under 2×
   the time of the clean file and under 700 MB.

Usage: ``python benchmarks/bench_ingesta.py [--filas 1500000] [--trabajo /tmp/asm-bench]``.
Generated files are cached in the work folder between runs.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
FILAS_POR_ESCALA = 3500  # a little under the rows per scale unit of the 2024 demo file, so targets are met


def generar(trabajo: Path, filas: int) -> Path:
    """A data dir whose raw holds only srft/, one 2024 SRFT file of about ``filas`` rows (cached)."""
    escala = max(1, math.ceil(filas / FILAS_POR_ESCALA))
    carpeta = trabajo / f"escala{escala}"
    csv = carpeta / "raw" / "srft" / "ejercicio_del_gasto_2024_demo.csv"
    if not csv.exists():
        tmp = trabajo / f".tmp-escala{escala}"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([sys.executable, str(RAIZ / "scripts" / "generar_demo.py"), "--out", str(tmp / "raw"),
                        "--scale", str(escala), "--ciclos", "2024"], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(carpeta, ignore_errors=True)
        tmp.rename(carpeta)
    for otro in (carpeta / "raw").iterdir():  # the SRFT file alone, as the references read it (a cache made
        if otro.name != "srft":               # before kept the generator's small workbooks: openpyxl, 0.5 s)
            shutil.rmtree(otro)
    return carpeta


META_REFERENCIA, META_MEMORIA_MB, META_CRECIMIENTO, META_MALO = 1.2, 700, 1.2, 2.0
CSV = "ejercicio_del_gasto_2024_demo.csv"


def _en_proceso(codigo: str) -> dict:
    """Run ``codigo`` in a fresh interpreter; it prints a JSON dict; add its peak RSS (MB) and
    the wall time of the whole process (``pared_s``: start, imports, work, exit)."""
    envoltura = codigo + "\nimport resource, json as _j\n" \
        "_u = resource.getrusage(resource.RUSAGE_SELF)\n" \
        "print(_j.dumps({**resultado, 'rss_mb': _u.ru_maxrss / 1024, 'cpu_s': _u.ru_utime + _u.ru_stime}))"
    for intento in (1, 2):
        t = time.perf_counter()
        salida = subprocess.run([sys.executable, "-c", envoltura], capture_output=True, text=True,
                                cwd=RAIZ, env={"PYTHONPATH": str(RAIZ / "src"), "PATH": "/usr/bin:/bin"})
        pared = time.perf_counter() - t
        if salida.returncode == 0:
            return {**json.loads(salida.stdout.strip().splitlines()[-1]), "pared_s": pared, "intento": intento}
        # a bare pyarrow.csv.read_csv sometimes dies with SIGABRT (outside the package): once more, said so
        print(f"  (el proceso terminó con código {salida.returncode}; se repite una vez) {salida.stderr[-300:]}",
              flush=True)
    salida.check_returncode()


def medir_pyarrow(csv: Path) -> dict:
    """Reference (a): a bare Arrow read of the file; writes nothing."""
    return _en_proceso(f"""
import time, pyarrow.csv as c
t = time.perf_counter()
tabla = c.read_csv({str(csv)!r}, read_options=c.ReadOptions(encoding='latin1'))
resultado = {{'s': time.perf_counter() - t, 'filas': tabla.num_rows}}
""")


def medir_lectura_escritura(csv: Path, destino: Path) -> dict:
    """Reference (b): what ``ingest`` does at the least, bare: import pandas and Arrow, read the
    file with Arrow, write a parquet dataset partitioned by state."""
    shutil.rmtree(destino, ignore_errors=True)
    return _en_proceso(f"""
import time
import pandas, pyarrow.csv as c, pyarrow.dataset as ds
t = time.perf_counter()
tabla = c.read_csv({str(csv)!r}, read_options=c.ReadOptions(encoding='latin1'))
ds.write_dataset(tabla, {str(destino)!r}, format='parquet', partitioning=['ID_ENTIDAD_FEDERATIVA'],
                 partitioning_flavor='hive', existing_data_behavior='delete_matching')
resultado = {{'s': time.perf_counter() - t, 'filas': tabla.num_rows}}
""")


def medir_ingest(carpeta: Path) -> dict:
    """``ingest`` of a data folder from scratch: the SRFT file's counts, error and rejected rows."""
    return _en_proceso(f"""
import time
from asm_analysis.entradas import ingesta
t = time.perf_counter()
r = ingesta.ingerir({str(carpeta)!r}, forzar=True)
s = time.perf_counter() - t
srft = [x for x in r if x.tipo == 'srft'][0]
filas_rechazadas = []
if srft.rechazos:
    import pandas as pd
    rech = pd.read_csv({str(carpeta / 'processed')!r} + '/' + srft.rechazos, dtype=str)
    filas_rechazadas = sorted({{int(f) for f in rech.loc[rech['columna'] != '(fila duplicada)', 'fila']}})[:20]
resultado = {{'s': s, 'filas': srft.cargadas, 'leidas': srft.leidas, 'rechazadas': srft.rechazadas,
              'duplicadas': srft.duplicadas, 'nivel_programa': srft.nivel_programa, 'error': srft.error,
              'filas_rechazadas': filas_rechazadas}}
""")


def variantes_malas(grande: Path, trabajo: Path) -> dict[str, tuple[Path, int | None]]:
    """The national file with a trailing comma in its header, and with one malformed row in the
    middle (one cell too many, as a text with an unquoted comma); cached. Returns
    name → (data folder, number of the malformed row)."""
    origen = grande / "raw" / "srft" / CSV
    salida = {}
    for nombre in ("encabezado_coma", "fila_mala"):
        carpeta = trabajo / f"{grande.name}-{nombre}"
        csv = carpeta / "raw" / "srft" / CSV
        marca = carpeta / "fila_mala.txt"
        if not csv.exists() or not marca.exists():
            shutil.rmtree(carpeta, ignore_errors=True)
            csv.parent.mkdir(parents=True)
            tmp = csv.with_name(".tmp.csv")
            fila = None
            with open(origen, "rb") as f, open(tmp, "wb") as g:
                encabezado = f.readline()
                if nombre == "encabezado_coma":
                    g.write(encabezado.rstrip(b"\r\n") + b"," + encabezado[len(encabezado.rstrip(b"\r\n")):])
                    shutil.copyfileobj(f, g, 16 << 20)
                else:
                    g.write(encabezado)
                    faltan, lineas = origen.stat().st_size // 2, 0
                    while faltan > 0:  # streamed: this process's memory counts in its children's peak (exec)
                        trozo = f.read(min(faltan, 16 << 20))
                        g.write(trozo)
                        lineas += trozo.count(b"\n")
                        faltan -= len(trozo)
                    g.write(f.readline())  # up to the end of the row the middle falls in
                    fila = 2 + lineas + 1  # the demo file has no line breaks inside cells
                    mala = f.readline()
                    g.write(mala.replace(b",", b",,", 1))
                    shutil.copyfileobj(f, g, 16 << 20)
            tmp.rename(csv)
            marca.write_text(str(fila or ""), encoding="utf-8")
        texto = marca.read_text(encoding="utf-8").strip()
        salida[nombre] = (carpeta, int(texto) if texto else None)
    return salida


def medir_pandas_filtro(csv: Path) -> dict:
    return _en_proceso(f"""
import time, pandas as pd
t = time.perf_counter()
df = pd.read_csv({str(csv)!r}, encoding='latin-1', low_memory=False)
sel = df[(df['ID_ENTIDAD_FEDERATIVA'] == 22) & (df['CICLO'] == 2024)]
resultado = {{'s': time.perf_counter() - t, 'filas': len(sel)}}
""")


def medir_lectura_estado(carpetas: list[Path], repeticiones: int = 15) -> list[dict]:
    """One state's read from each store, in one process, the stores in turn (a read of each, then
    again), so a change in the machine's load weighs on both; the fastest of each store's reads."""
    return _en_proceso(f"""
import time
from pathlib import Path
from asm_analysis.entradas import catalogos, srft
fondo = catalogos.resolver_fondo('FASSA')
carpetas = {[str(c / 'processed') for c in carpetas]!r}
tiempos = [[] for _ in carpetas]
filas = [0] * len(carpetas)
for _ in range({repeticiones}):
    for k, c in enumerate(carpetas):
        t = time.perf_counter()
        sel = srft.leer_estado(Path(c), '22', 2024, fondo)
        tiempos[k].append(time.perf_counter() - t)
        filas[k] = len(sel.corriente)
resultado = {{'medidas': [{{'s': min(t), 'filas': f}} for t, f in zip(tiempos, filas)]}}
""")["medidas"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--filas", type=int, default=1_500_000)
    p.add_argument("--trabajo", type=Path, default=Path("/tmp/asm-bench"))
    args = p.parse_args()
    args.trabajo.mkdir(parents=True, exist_ok=True)

    grande = generar(args.trabajo, args.filas)
    tercio = generar(args.trabajo, args.filas // 3)
    decimo = generar(args.trabajo, args.filas // 10)
    malas = variantes_malas(grande, args.trabajo)
    csv_grande = grande / "raw" / "srft" / CSV
    mb = csv_grande.stat().st_size / 1e6
    destino_ref = args.trabajo / "referencia_parquet"

    # 1 and 6, alternately: ingest, reference (b), the two bad files, reference (b), ingest, reference (b),
    # ingest; reference (a) twice. Three of each: the median of three is not moved by one slow run.
    ingests, refs, bare = [medir_ingest(grande)], [medir_lectura_escritura(csv_grande, destino_ref)], []
    bare.append(medir_pyarrow(csv_grande))
    medidas_malas = {nombre: medir_ingest(carpeta) for nombre, (carpeta, _) in malas.items()}
    bare.append(medir_pyarrow(csv_grande))
    for _ in range(2):
        refs.append(medir_lectura_escritura(csv_grande, destino_ref))
        ingests.append(medir_ingest(grande))
    shutil.rmtree(destino_ref, ignore_errors=True)
    t_ing = statistics.median(m["pared_s"] for m in ingests)
    t_ref = statistics.median(m["pared_s"] for m in refs)
    t_bare = statistics.median(m["pared_s"] for m in bare)
    rss = max(m["rss_mb"] for m in ingests)
    ing = ingests[-1]
    ing_tercio = medir_ingest(tercio)
    print(f"Archivo SRFT nacional: {bare[0]['filas']:,} filas, {mb:,.0f} MB (latin-1); cada medida es un proceso "
          "entero (arranque, imports, trabajo, salida); ingest y referencia (b): mediana de 3, referencia (a): de 2")
    print(f"[1] ingest {t_ing:.2f} s vs lectura de Arrow + escritura parquet por estado {t_ref:.2f} s -> "
          f"razón {t_ing / t_ref:.2f} (meta <= {META_REFERENCIA:.2f})")
    print(f"[1] (referencia) ingest {t_ing:.2f} s vs pyarrow.csv.read_csv solo {t_bare:.2f} s -> "
          f"razón {t_ing / t_bare:.2f} (no escribe nada)")
    c_ing, c_ref, c_bare = (statistics.median(m["cpu_s"] for m in x) for x in (ingests, refs, bare))
    print(f"[1] (referencia) tiempo de CPU de cada proceso, todos sus hilos: ingest {c_ing:.1f} s, lectura + "
          f"escritura {c_ref:.1f} s ({c_ing / c_ref:.2f}x), lectura sola {c_bare:.1f} s ({c_ing / c_bare:.2f}x); "
          "en una máquina cargada un proceso con muchos hilos (Arrow) recibe más CPU que uno que trabaja en un hilo")
    print(f"[1] ingest: {ing['leidas']:,} leídas = {ing['filas']:,} cargadas + {ing['rechazadas']:,} rechazadas + "
          f"{ing['nivel_programa']:,} nivel programa + {ing['duplicadas']:,} duplicadas; las {len(ingests)} corridas iguales: "
          f"{'sí' if all(m[k] == ing[k] for m in ingests for k in ('leidas', 'filas', 'rechazadas', 'duplicadas')) else 'NO'}")
    print(f"[1] memoria pico de ingest {rss:,.0f} MB (meta <= {META_MEMORIA_MB:,} MB); con un archivo 3x menor "
          f"{ing_tercio['rss_mb']:,.0f} MB -> crecimiento {rss / ing_tercio['rss_mb']:.2f}x "
          f"al crecer el archivo 3x (meta: no crece, <= {META_CRECIMIENTO:.2f}x)")

    # 6: the bad files against the clean file's ingest (median of the two runs around them)
    resultados_malos = {}
    for nombre, (carpeta, fila) in malas.items():
        malo = medidas_malas[nombre]
        razon = malo["pared_s"] / t_ing
        if malo["error"]:
            respuesta = f"rechazado: {malo['error']}"
            correcta = nombre == "encabezado_coma"
        else:
            respuesta = (f"cargado: {malo['filas']:,} filas, rechazadas {malo['rechazadas']:,} "
                         f"(filas {malo['filas_rechazadas']})")
            correcta = (fila is not None and malo["filas_rechazadas"] == [fila]
                        and malo["filas"] == ing["filas"] - 1 and malo["duplicadas"] == ing["duplicadas"])
        resultados_malos[nombre] = {"malo": malo, "razon": razon, "fila": fila, "respuesta_correcta": correcta}
        etiqueta = {"encabezado_coma": "encabezado con una coma al final",
                    "fila_mala": f"una fila mal formada en medio (fila {fila:,})" if fila else "fila mala"}[nombre]
        print(f"[6] {etiqueta}: {malo['pared_s']:.2f} s vs archivo limpio {t_ing:.2f} s -> "
              f"{razon:.2f}x (meta < {META_MALO:.1f}x); memoria {malo['rss_mb']:,.0f} MB (meta < {META_MEMORIA_MB} MB); "
              f"{respuesta[:300]}; respuesta esperada: {'sí' if correcta else 'NO'}")

    ingest_decimo = medir_ingest(decimo)  # noqa: F841  (store for the 10x-smaller national file)
    pandas_f = medir_pandas_filtro(csv_grande)
    lectura, lectura_decimo = medir_lectura_estado([grande, decimo])
    print(f"[2] leer un estado y ciclo del almacén {lectura['s'] * 1000:.1f} ms vs pandas.read_csv + filtro "
          f"{pandas_f['s']:.2f} s -> {pandas_f['s'] / lectura['s']:,.0f}x más rápido (meta >= 50x)")
    print(f"[2] lectura por estado con archivo nacional 10x mayor: {lectura['s'] * 1000:.1f} ms vs "
          f"{lectura_decimo['s'] * 1000:.1f} ms -> {lectura['s'] / lectura_decimo['s']:.2f}x (meta <= 1.50x)")
    resultados = {
        "filas": bare[0]["filas"], "mb": round(mb, 1),
        "ingest_s": t_ing, "lectura_escritura_s": t_ref, "pyarrow_s": t_bare,
        "cpu_s": {"ingest": c_ing, "lectura_escritura": c_ref, "pyarrow": c_bare},
        "razon_ingest": t_ing / t_ref, "razon_ingest_lectura": t_ing / t_bare,
        "medidas": {"ingest": ingests, "lectura_escritura": refs, "pyarrow": bare},
        "conteos": {k: ing[k] for k in ("leidas", "filas", "rechazadas", "nivel_programa", "duplicadas")},
        "rss_mb": rss, "rss_tercio_mb": ing_tercio["rss_mb"],
        "malos": resultados_malos,
        "lectura_estado_s": lectura["s"], "pandas_filtro_s": pandas_f["s"],
        "lectura_estado_decimo_s": lectura_decimo["s"],
    }
    (args.trabajo / "bench_ingesta.json").write_text(json.dumps(resultados, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
