"""asm-analysis: annexes, state report and figure audit for the EED of federal health funds."""

__version__ = "0.1.0"
