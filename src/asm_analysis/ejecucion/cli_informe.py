"""Report commands of the CLI: ``report``, ``batch`` and ``site``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from asm_analysis.comun.formatos import cuenta
from asm_analysis.entradas import lectura


def _fecha(valor: str):
    try:
        fecha = lectura.parse_fecha(valor)
    except lectura.ValorInvalido as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if fecha is None:
        raise argparse.ArgumentTypeError("falta la fecha")
    return fecha


def _cifras(valor: str) -> str:
    """``--cifras``: ``recalculadas`` or ``reportadas`` (any case)."""
    from asm_analysis.comun.errores import ErrorEntrada
    from asm_analysis.publicacion.marcas import comprobar_modo

    try:
        return comprobar_modo(valor)
    except ErrorEntrada as exc:
        raise argparse.ArgumentTypeError(exc.motivo) from None


def opcion_cifras(s: argparse.ArgumentParser) -> None:
    s.add_argument("--cifras", "--figures", dest="cifras", type=_cifras, default="recalculadas",
                   metavar="recalculadas|reportadas",
                   help="cifras que imprimen los anexos oficiales: «recalculadas» (por omisión; subtotales, totales, "
                        "porcentajes y cumplimientos calculados por la herramienta) o «reportadas» (cada celda que "
                        "llenó el libro de captura, tal como dice); en ambos modos cada cifra en disputa lleva una "
                        "marca numerada y una nota con lo reportado y lo recalculado")


def _cmd_report(args: argparse.Namespace) -> int:
    from asm_analysis.comun.errores import ErrorInforme
    from asm_analysis.ejecucion.reporte import generar

    try:
        r = generar(args.estado, args.ciclo, args.fondo, data_dir=Path(args.data_dir), out=Path(args.out),
                    html=not args.sin_html, fecha_corte=args.fecha_corte, timeout=args.timeout,
                    tolerancias=args.tolerancias, cifras=args.cifras)
    except ErrorInforme as exc:
        print(str(exc), file=sys.stderr)
        return 1
    h = r.anexos.resumen["hallazgos"]
    print(f"Informe de {r.datos.estado.nombre} {r.datos.ciclo} {r.datos.fondo.clave} en {r.carpeta}:")
    for linea in lineas_archivos(r.carpeta):
        print(linea)
    print(f"Hallazgos: {cuenta(h['error'], 'error', 'errores')}, {cuenta(h['advertencia'], 'advertencia')}, "
          f"{cuenta(h['info'], 'informativo')}.")
    marcadas = int(r.manifiesto.get("marcas", 0))
    print(f"Cifras {r.manifiesto.get('cifras')}: {cuenta(marcadas, 'celda marcada', 'celdas marcadas')} en los anexos.")
    if r.datos.anterior_incompleto:
        print(f"Aviso: sin comparaciones con el ciclo {r.datos.ciclo - 1}, sus archivos están incompletos: "
              f"{r.datos.anterior_incompleto}", file=sys.stderr)
    if args.sin_html and (r.carpeta / "informe.html").exists():
        print("El informe HTML publicado se conservó: sus entradas, parámetros y cifras son los mismos.")
    return 0


#: The files of a report folder, in the order a reader needs them, with what each one is for
#: (``report`` prints them; the README's first section lists the same).
ARCHIVOS_INFORME: dict[str, str] = {
    "informe.html": "el informe para leer y publicar: ábralo en el navegador",
    "anexos.xlsx": "los anexos en Excel, con las columnas de los anexos publicados, para pegar en el documento",
    "anexos.docx": "los anexos oficiales en Word, con sus marcas y su línea de fuente",
    "hallazgos.csv": "las diferencias que encontró la auditoría de cifras",
    "anexo1_destino.csv": "Anexo 1, destino de las aportaciones (datos sin formato)",
    "anexo1_recursos_anteriores.csv": "recursos de ejercicios anteriores ejercidos en el año",
    "anexo2_concurrencia.csv": "Anexo 2, concurrencia de recursos",
    "anexo3_asm_no_atendidos.csv": "Anexo 3, ASM de evaluaciones anteriores no atendidos",
    "anexo4_indicadores.csv": "Anexo 4, metas, avances y cumplimiento de los indicadores",
    "anexo5_foda.csv": "Anexo 5, FODA y recomendaciones",
    "anexo6_conac.csv": "Anexo 6, formato CONAC para la difusión de resultados",
    "anexo7_asm.csv": "Anexo 7, ASM derivados de la evaluación",
    "seguimiento_asm.csv": "seguimiento de las acciones de cada ASM",
    "distribucion_geografica.csv": "proyectos del fondo por municipio (solo con la exportación de proyectos del SRFT)",
    "informe.ipynb": "el cuaderno ejecutado, para abrirlo en JupyterLab",
    "manifest.json": "entradas con su SHA-256, parámetros, versión, tiempos y estado",
}


def lineas_archivos(carpeta: Path) -> list[str]:
    """One line per file of a report folder: its path and what it is (known files first, in order)."""
    presentes = sorted(p.name for p in Path(carpeta).iterdir() if p.is_file())
    orden = [n for n in ARCHIVOS_INFORME if n in presentes] + [n for n in presentes if n not in ARCHIVOS_INFORME]
    ancho = max((len(str(Path(carpeta) / n)) for n in orden), default=0)
    return [f"  {str(Path(carpeta) / n):<{ancho}}  {ARCHIVOS_INFORME.get(n, '')}".rstrip() for n in orden]


TODOS = {"all", "todos", "todas", "*"}


def _estados(valor: str) -> list[str] | None:
    """``--estados``: ``all`` (None) or a comma-separated list of names or INEGI codes."""
    if valor.strip().lower() in TODOS:
        return None
    lista = [x.strip() for x in valor.split(",") if x.strip()]
    if not lista:
        raise argparse.ArgumentTypeError("indique «all» o una lista de estados separados por comas")
    return lista


def _trabajos(valor: str) -> int:
    try:
        n = int(valor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{valor}» no es un número entero") from None
    if n < 1:
        raise argparse.ArgumentTypeError("el número de trabajos debe ser 1 o más")
    return n


def _cmd_batch(args: argparse.Namespace) -> int:
    from asm_analysis.ejecucion.lote import ejecutar_lote
    from asm_analysis.ejecucion.reporte import comprobar_salida

    comprobar_salida(Path(args.out))

    lote = ejecutar_lote(args.ciclo, args.fondo, estados=args.estados, data_dir=Path(args.data_dir),
                         out=Path(args.out), jobs=args.jobs, html=not args.sin_html, timeout=args.timeout,
                         forzar=args.forzar, tolerancias=args.tolerancias, cifras=args.cifras)
    if lote.fallas:
        print(f"{len(lote.fallas)} estado(s) con error; detalle en {lote.registro}", file=sys.stderr)
    return 0 if lote.exito else 1


def _cmd_site(args: argparse.Namespace) -> int:
    from asm_analysis.publicacion.sitio import construir_sitio

    paginas = construir_sitio(Path(args.out))
    print(f"Índice: {paginas[0]} ({len(paginas) - 1} página(s) por ciclo y fondo)")
    return 0


def _sin_rastros(func):
    """Wrap ``report``: leave ``--out`` untouched on failure.

    The input gate itself (no report from a file that could not be read or lost rows of this
    report) is in the library, :mod:`asm_analysis.entradas.compuerta`, applied by ``datos.cargar``
    before anything is written. Empty folders created under ``--out`` by a failed run are
    removed, so a failure leaves no trace there.
    """

    def ejecutar(args: argparse.Namespace) -> int:
        from asm_analysis.ejecucion.reporte import comprobar_salida

        out = Path(args.out)
        comprobar_salida(out)  # before the store is touched: a wrong --out costs nothing
        previas = {p for p in out.rglob("*")} if out.exists() else set()
        existia = out.exists()
        codigo = 2
        try:
            codigo = func(args)
            return codigo
        finally:
            if codigo != 0 and out.exists():
                for carpeta in sorted((p for p in out.rglob("*") if p.is_dir() and p not in previas), reverse=True):
                    if not any(carpeta.iterdir()):
                        carpeta.rmdir()
                if not existia and not any(out.iterdir()):
                    out.rmdir()

    return ejecutar


def comando(sub, nombre: str, alias: str, funcion, ayuda: str, descripcion: str) -> argparse.ArgumentParser:
    """A subcommand with its Spanish alias (or English name), help line, description and function."""
    s = sub.add_parser(nombre, aliases=[alias], help=ayuda, description=descripcion)
    s.set_defaults(func=funcion)
    return s


def opciones_identidad(s: argparse.ArgumentParser, tipo_ciclo, con_estado: bool = True) -> None:
    """``--estado`` (unless a batch), ``--ciclo`` and ``--fondo``: what identifies one report."""
    if con_estado:
        s.add_argument("--estado", "--state", dest="estado", required=True,
                       help="nombre, abreviatura o clave INEGI del estado (Querétaro, CDMX, 22)")
    s.add_argument("--ciclo", "--year", dest="ciclo", type=tipo_ciclo, required=True,
                   help="ejercicio fiscal evaluado (2024)")
    s.add_argument("--fondo", "--fund", dest="fondo", required=True, help="fondo o programa (FASSA, IMSS-BIENESTAR)")


def opcion_datos(s: argparse.ArgumentParser,
                 ayuda: str = "carpeta de datos con raw/ dentro (por omisión: data; el demo: data/demo)") -> None:
    s.add_argument("--data-dir", "--datos", dest="data_dir", default="data", metavar="CARPETA", help=ayuda)


def opcion_salida(s: argparse.ArgumentParser) -> None:
    s.add_argument("--out", "--salida", dest="out", default="reports", metavar="CARPETA",
                   help="carpeta donde se publican los informes (por omisión: reports)")


def opcion_timeout(s: argparse.ArgumentParser) -> None:
    s.add_argument("--timeout", dest="timeout", type=int, default=None, metavar="SEGUNDOS",
                   help="segundos por celda del cuaderno")


def opcion_tolerancias(s: argparse.ArgumentParser) -> None:
    s.add_argument("--tolerancias", "--tolerances", dest="tolerancias", default=None, metavar="ARCHIVO.json",
                   help="tolerancias de la auditoría que se aplican sobre las del paquete y las de "
                        "<datos>/tolerancias.json (solo las claves que cambian: {\"monto\": 10})")


def registrar(sub, tipo_ciclo) -> None:
    """Add the report commands to the CLI's subparsers."""
    s = comando(sub, "report", "informe", _sin_rastros(_cmd_report),
                "genera anexos, hallazgos e informe de un estado",
                "Calcula los anexos de un estado, ciclo y fondo, audita sus cifras y escribe en "
                "<salida>/<ciclo>/<fondo>/<cve>-<estado>/ el informe HTML, anexos.xlsx, "
                "anexos.docx, los CSV, hallazgos.csv y manifest.json.")
    opciones_identidad(s, tipo_ciclo)
    opcion_datos(s)
    opcion_salida(s)
    s.add_argument("--fecha-corte", "--cut-date", dest="fecha_corte", type=_fecha, default=None, metavar="DD/MM/AAAA",
                   help="fecha de corte del seguimiento de ASM (por omisión la de la ficha o 30/09 del año siguiente)")
    opcion_timeout(s)
    opcion_tolerancias(s)
    opcion_cifras(s)
    s.add_argument("--sin-html", "--no-html", dest="sin_html", action="store_true",
                   help="solo anexos y hallazgos, sin ejecutar el cuaderno; un informe.html ya publicado se "
                        "conserva si es de las mismas entradas y cifras, y si no la ejecución se rechaza (nunca se "
                        "borra)")

    s = comando(sub, "batch", "lote", _cmd_batch, "genera los informes de varios estados en paralelo",
                "Genera el informe de cada estado en paralelo; los que fallan se listan con su motivo sin "
                "detener a los demás, los que no cambiaron se saltan, y al final se escriben el comparativo "
                "nacional y los índices.")
    opciones_identidad(s, tipo_ciclo, con_estado=False)
    s.add_argument("--estados", "--states", dest="estados", type=_estados, default=None, metavar="all|LISTA",
                   help="«all» (por omisión, los 32) o nombres o claves separados por comas: «Querétaro,01,CDMX»")
    s.add_argument("--trabajos", "--jobs", dest="jobs", type=_trabajos, default=None, metavar="N",
                   help="procesos en paralelo (por omisión, uno por CPU)")
    opcion_datos(s)
    opcion_salida(s)
    opcion_timeout(s)
    opcion_tolerancias(s)
    opcion_cifras(s)
    s.add_argument("--sin-html", "--no-html", dest="sin_html", action="store_true",
                   help="solo anexos y hallazgos, sin ejecutar los cuadernos (un informe.html publicado nunca se "
                        "borra: se conserva si es de las mismas entradas y cifras; si no, ese estado falla con su "
                        "motivo)")
    s.add_argument("--forzar", "--force", dest="forzar", action="store_true",
                   help="regenerar también los estados cuyas entradas no cambiaron")

    s = comando(sub, "site", "sitio", _cmd_site, "reconstruye las páginas índice de los informes",
                "Reconstruye <salida>/index.html y un índice por ciclo y fondo a partir de los "
                "informes publicados.")
    s.add_argument("--out", "--salida", dest="out", default="reports", metavar="CARPETA",
                   help="carpeta de los informes (por omisión: reports)")
