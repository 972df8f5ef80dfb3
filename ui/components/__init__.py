"""The embeddable NiceGUI components: what an app places on its own pages.

``Authenticator`` and its screens, ``AccountMenu``, ``AuthenticatedContent``,
``protected`` (with its "not allowed" page), the ``require_user`` route guard,
and the widgets they are built from. They read per-browser state
through :mod:`..session` and never import the reference backend.
"""
