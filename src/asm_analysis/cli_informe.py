"""Report commands of the CLI: ``report`` (and, as they land, ``batch`` and ``site``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import parsing
from .errors import ErrorEntrada


def _fecha(valor: str):
    try:
        fecha = parsing.parse_fecha(valor)
    except parsing.ValorInvalido as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if fecha is None:
        raise argparse.ArgumentTypeError("falta la fecha")
    return fecha


def _cmd_report(args: argparse.Namespace) -> int:
    from .reporte import ErrorInforme, generar

    try:
        r = generar(args.estado, args.ciclo, args.fondo, data_dir=Path(args.data_dir), out=Path(args.out),
                    html=not args.sin_html, fecha_corte=args.fecha_corte, timeout=args.timeout)
    except ErrorInforme as exc:
        print(str(exc), file=sys.stderr)
        return 1
    h = r.anexos.resumen["hallazgos"]
    print(f"Informe de {r.datos.estado.nombre} {r.datos.ciclo} {r.datos.fondo.clave}: {r.carpeta}")
    print(f"Hallazgos: {h['error']} error(es), {h['advertencia']} advertencia(s), {h['info']} informativo(s).")
    if (r.carpeta / "informe.html").exists():
        print(f"Informe HTML: {r.carpeta / 'informe.html'}")
    return 0


def registrar(sub, tipo_ciclo) -> None:
    """Add the report commands to the CLI's subparsers."""
    s = sub.add_parser("report", aliases=["informe"], help="genera anexos, hallazgos e informe de un estado")
    s.add_argument("--estado", "--state", dest="estado", required=True)
    s.add_argument("--ciclo", "--year", dest="ciclo", type=tipo_ciclo, required=True)
    s.add_argument("--fondo", "--fund", dest="fondo", required=True)
    s.add_argument("--data-dir", "--datos", dest="data_dir", default="data")
    s.add_argument("--out", "--salida", dest="out", default="reports")
    s.add_argument("--fecha-corte", "--cut-date", dest="fecha_corte", type=_fecha, default=None,
                   help="fecha de corte del seguimiento de ASM (por omisión la de la ficha o 30/09 del año siguiente)")
    s.add_argument("--timeout", dest="timeout", type=int, default=None, help="segundos por celda del cuaderno")
    s.add_argument("--sin-html", "--no-html", dest="sin_html", action="store_true",
                   help="solo anexos y hallazgos, sin ejecutar el cuaderno")
    s.set_defaults(func=_cmd_report)
