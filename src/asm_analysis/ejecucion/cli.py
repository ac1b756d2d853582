"""Command line: ``asm-analysis ingest|report|batch|template|validate|site``.

Spanish option names with English aliases. A user's mistake ends with one Spanish
sentence naming file, sheet, row and column and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from asm_analysis import __version__
from asm_analysis.comun.errores import ErrorEntrada, Interrupcion, error_de_sistema


def _cmd_ingest(args: argparse.Namespace) -> int:
    from asm_analysis.entradas.ingesta import ingerir

    resumenes = ingerir(Path(args.data_dir), forzar=args.forzar)
    if not resumenes:
        print(f"No hay archivos en {Path(args.data_dir) / 'raw'}.")
    for r in resumenes:
        print(r.linea())
    errores = [r for r in resumenes if r.error]
    total = sum(r.rechazadas for r in resumenes)
    if errores:
        print(f"{len(errores)} archivo(s) no se pudieron cargar; el motivo está en su línea.", file=sys.stderr)
    if total:
        con = sum(1 for r in resumenes if r.rechazadas)
        print(f"Filas rechazadas: {total:,} en {con} archivo(s); las filas válidas se cargaron y los motivos "
              f"(archivo, fila, columna, valor, motivo) están en {Path(args.data_dir) / 'processed' / 'rechazos'}/")
    return 2 if errores or total else 0


def _cmd_template(args: argparse.Namespace) -> int:
    from asm_analysis.entradas import catalogos
    from asm_analysis.entradas.captura import escribir_plantilla

    est = catalogos.resolver_estado(args.estado)
    fon = catalogos.resolver_fondo(args.fondo)
    # by default where ingest reads workbooks, named as the batch recognises an unreadable one
    ruta = Path(args.out) if args.out else \
        Path(args.data_dir) / "raw" / "captura" / f"{est.slug.replace('-', '_')}_{args.ciclo}_{fon.clave}.xlsx"
    if ruta.exists() and not args.sobrescribir:
        raise ErrorEntrada("el archivo ya existe; use --sobrescribir para reemplazarlo", archivo=str(ruta))
    ruta.parent.mkdir(parents=True, exist_ok=True)
    escribir_plantilla(est.nombre, args.ciclo, fon.clave, ruta)
    print(f"Libro de captura escrito en {ruta}. Llénelo (la hoja «instrucciones» explica cada hoja) y revíselo "
          f"con: asm-analysis validate {ruta}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from asm_analysis.comun.formatos import cuenta
    from asm_analysis.ejecucion.validacion import reconocer, revisar_archivo

    revision = revisar_archivo(Path(args.ruta), tolerancias=args.tolerancias)
    problemas, avisos = revision.problemas, revision.advertencias
    for p in [*problemas, *avisos]:
        print(p)
    que = reconocer(Path(args.ruta))  # what shape the file was read as
    reconocido = f" (se reconoció: {que})" if que else ""
    cuantos = f" y {cuenta(len(avisos), 'advertencia')} que conviene revisar" if avisos else ""
    if problemas:
        print(f"{cuenta(len(problemas), 'problema')}{cuantos} en {args.ruta}{reconocido}.", file=sys.stderr)
        return 2
    print(f"{args.ruta}: sin problemas" + (f" ({que})" if que else "")
          + (f"; {cuenta(len(avisos), 'advertencia')} que conviene revisar." if avisos else "."))
    return 0


def _ciclo(valor: str) -> int:
    try:
        ciclo = int(valor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{valor}» no es un año") from None
    if not 2000 <= ciclo <= 2100:
        raise argparse.ArgumentTypeError(f"{ciclo} no es un ejercicio fiscal válido")
    return ciclo


class _Formato(argparse.HelpFormatter):
    """argparse's help in Spanish: ``uso:`` instead of ``usage:``."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


#: argparse's English usage errors → Spanish (word by word, so «arguments» is never «argumentoos»).
TRADUCCIONES = [
    (r"the following arguments are required", "faltan los argumentos obligatorios"),
    (r"unrecognized arguments", "argumentos no reconocidos"),
    (r"invalid choice", "opción no válida"),
    (r"\(choose from", "(elija entre"),
    (r"expected one argument", "se esperaba un valor"),
    (r"invalid (\w+) value", r"valor no válido"),
    (r"ambiguous option", "opción ambigua"),
    (r"not allowed with argument", "no se permite junto con el argumento"),
    (r"\bargument\b", "argumento"),
]


def traducir_error(mensaje: str) -> str:
    """An argparse usage error in Spanish."""
    for en, es in TRADUCCIONES:
        mensaje = re.sub(en, es, mensaje)
    return mensaje


class _Parser(argparse.ArgumentParser):
    """argparse in Spanish: help texts and section titles, usage errors, exit code 2."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formato)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", "--ayuda", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(f"Error: {traducir_error(message)}", file=sys.stderr)
        sys.exit(2)


def construir_parser() -> argparse.ArgumentParser:
    from asm_analysis.ejecucion import cli_informe

    p = _Parser(prog="asm-analysis",
                description="Anexos, informe estatal y auditoría de cifras de la Evaluación Específica del "
                            "Desempeño (FASSA, IMSS-BIENESTAR) y seguimiento de los aspectos susceptibles de "
                            "mejora (ASM). Use «asm-analysis COMANDO --help» para las opciones de cada comando.")
    p.add_argument("--version", action="version", version=f"asm-analysis {__version__}",
                   help="muestra la versión y termina")
    sub = p.add_subparsers(dest="comando", required=True, parser_class=_Parser, title="comandos", metavar="COMANDO")

    s = cli_informe.comando(sub, "ingest", "ingerir", _cmd_ingest,
                            "carga data/raw en data/processed y lista los rechazos",
                            "Lee cada archivo de <datos>/raw (SRFT, CSV nacionales, libros de captura), lo "
                            "guarda en <datos>/processed e imprime por archivo filas leídas, cargadas y "
                            "rechazadas; los motivos quedan en <datos>/processed/rechazos/.")
    cli_informe.opcion_datos(s)
    s.add_argument("--forzar", "--force", dest="forzar", action="store_true",
                   help="vuelve a leer todos los archivos aunque no hayan cambiado")

    s = cli_informe.comando(sub, "template", "plantilla", _cmd_template, "escribe un libro de captura vacío",
                            "Escribe el libro de captura vacío de un estado, ciclo y fondo, con listas "
                            "desplegables e instrucciones, en <datos>/raw/captura/ (o en --out).")
    cli_informe.opciones_identidad(s, _ciclo)
    cli_informe.opcion_datos(s, "carpeta de datos donde va el libro, en raw/captura/ (por omisión: data)")
    s.add_argument("--out", "--salida", dest="out", metavar="ARCHIVO",
                   help="ruta del libro, si no va en <datos>/raw/captura/<estado>_<ciclo>_<fondo>.xlsx")
    s.add_argument("--sobrescribir", "--overwrite", dest="sobrescribir", action="store_true",
                   help="reemplaza el archivo si ya existe")

    s = cli_informe.comando(sub, "validate", "validar", _cmd_validate, "revisa un libro de captura o un CSV",
                            "Revisa un libro de captura (.xlsx, .xlsm) o un CSV (SRFT, indicadores, "
                            "concurrencia, asm) con las mismas revisiones que report y lista todos los "
                            "problemas a la vez; termina con código 2 si hay alguno.")
    s.add_argument("ruta", metavar="RUTA", help="el libro o CSV a revisar")
    cli_informe.opcion_tolerancias(s)

    cli_informe.registrar(sub, _ciclo)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = construir_parser()
    args = parser.parse_args(argv)
    from asm_analysis.publicacion.kernel import limpiar_restos

    limpiar_restos()  # kernels and temporary folders left by a run that was killed (kill -9, power cut)
    try:
        return args.func(args)
    except ErrorEntrada as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Interrupcion as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrumpido por el usuario (Ctrl+C): no se publicó nada nuevo y lo que ya estaba publicado quedó "
              "intacto.", file=sys.stderr)
        return 130
    except OSError as exc:
        traducido = error_de_sistema(exc)
        if traducido is None:
            raise
        print(str(traducido), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
