"""Shared plumbing of the benches: servers on free ports, interleaved rounds, ratio tables.

A package (not a ``bench/*.py`` script) so ``make bench``'s loop does not run it.
"""
