"""Command line: ``asm-analysis ingest|report|batch|template|validate|site``.

Spanish option names with English aliases. A user's mistake ends with one Spanish
sentence naming file, sheet, row and column and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import ErrorEntrada, Interrupcion, error_de_sistema


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingerir

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
    from . import catalogs
    from .captura import escribir_plantilla

    est = catalogs.resolver_estado(args.estado)
    fon = catalogs.resolver_fondo(args.fondo)
    ruta = Path(args.out) if args.out else Path(f"captura_{est.slug}_{args.ciclo}_{fon.slug}.xlsx")
    if ruta.exists() and not args.sobrescribir:
        raise ErrorEntrada("el archivo ya existe; use --sobrescribir para reemplazarlo", archivo=str(ruta))
    escribir_plantilla(est.nombre, args.ciclo, fon.clave, ruta)
    print(f"Libro de captura escrito en {ruta}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validacion import validar_archivo

    problemas = validar_archivo(Path(args.ruta))
    for p in problemas:
        print(p)
    if problemas:
        print(f"{len(problemas)} problema(s) en {args.ruta}.", file=sys.stderr)
        return 2
    print(f"{args.ruta}: sin problemas.")
    return 0


def _ciclo(valor: str) -> int:
    try:
        ciclo = int(valor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{valor}» no es un año") from None
    if not 2000 <= ciclo <= 2100:
        raise argparse.ArgumentTypeError(f"{ciclo} no es un ejercicio fiscal válido")
    return ciclo


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Spanish and exit code 2."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse plumbing
        traducciones = {
            "the following arguments are required": "faltan los argumentos obligatorios",
            "unrecognized arguments": "argumentos no reconocidos",
            "invalid choice": "opción no válida",
            "expected one argument": "se esperaba un valor",
            "argument": "argumento",
        }
        for en, es in traducciones.items():
            message = message.replace(en, es)
        self.print_usage(sys.stderr)
        print(f"Error: {message}", file=sys.stderr)
        sys.exit(2)


def construir_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="asm-analysis", description="Anexos, informe estatal y auditoría de la EED; seguimiento de ASM.")
    p.add_argument("--version", action="version", version=f"asm-analysis {__version__}")
    sub = p.add_subparsers(dest="comando", required=True, parser_class=_Parser)

    s = sub.add_parser("ingest", help="carga data/raw en data/processed y lista los rechazos")
    s.add_argument("--data-dir", "--datos", dest="data_dir", default="data")
    s.add_argument("--forzar", "--force", dest="forzar", action="store_true", help="recargar todo")
    s.set_defaults(func=_cmd_ingest)

    s = sub.add_parser("template", aliases=["plantilla"], help="escribe un libro de captura vacío")
    s.add_argument("--estado", "--state", dest="estado", required=True)
    s.add_argument("--ciclo", "--year", dest="ciclo", type=_ciclo, required=True)
    s.add_argument("--fondo", "--fund", dest="fondo", required=True)
    s.add_argument("--out", "--salida", dest="out")
    s.add_argument("--sobrescribir", "--overwrite", dest="sobrescribir", action="store_true")
    s.set_defaults(func=_cmd_template)

    s = sub.add_parser("validate", aliases=["validar"], help="revisa un libro de captura o un CSV")
    s.add_argument("ruta")
    s.set_defaults(func=_cmd_validate)

    from . import cli_informe

    cli_informe.registrar(sub, _ciclo)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = construir_parser()
    args = parser.parse_args(argv)
    from .cuaderno import limpiar_restos

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
        print("Interrumpido por el usuario.", file=sys.stderr)
        return 130
    except OSError as exc:
        traducido = error_de_sistema(exc)
        if traducido is None:
            raise
        print(str(traducido), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
