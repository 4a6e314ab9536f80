"""nianbao's domain core: formats, report model, rules, store, export, import, CLI.

Nothing in this package imports Qt (checked by tests/test_core_free_of_qt.py).
"""

__version__ = "0.1.0"
