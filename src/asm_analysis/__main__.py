"""``python -m asm_analysis``: the same command line as ``asm-analysis``."""

from asm_analysis.ejecucion.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
