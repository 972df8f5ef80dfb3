"""Per-browser session state: what one browser is, holds and can do.

The cookie jar kept in ``app.storage.user``, who that browser is signed in as,
sign-in/out announcements between its tabs, the calls only the browser
itself can make (WebAuthn, external form posts, the clipboard, and in browser
session mode setAuthState itself), and ``user_session``: the app's API called
as that browser's person. No widgets here.
"""
