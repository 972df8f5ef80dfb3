"""The hosted login page and the ``nicegui-authenticator`` command line.

The only part of ``ui`` that may import the reference backend: it serves the
page, optionally with the embedded backend, from the command line.
"""
