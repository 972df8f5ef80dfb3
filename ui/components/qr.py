"""QR codes for authenticator-app enrolment, as SVG (no Pillow needed).

The SVG is produced here, from the otpauth URI the state machine built; no
server text is ever parsed as markup. It reaches the page as a ``data:`` URL
inside a plain ``<img>``, which cannot run script whatever it contains.

``qrcode`` is imported on the first QR drawn, not with this module: only the
authenticator-app set-up screen needs it, and importing it (it pulls in
Pillow's drawing modules) was a tenth of the page server's start (issue 15).
"""

from __future__ import annotations

import base64


def qr_svg(data: str) -> str:
    """An SVG document of ``data`` as a QR code (medium error correction, quiet zone of 4)."""
    import qrcode  # type: ignore[import-untyped]
    import qrcode.image.svg  # type: ignore[import-untyped]
    from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]

    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        box_size=10,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image()
    svg: str | bytes = image.to_string(encoding="unicode")
    return svg if isinstance(svg, str) else svg.decode()


def qr_data_url(data: str) -> str:
    """``data:image/svg+xml;base64,...`` of :func:`qr_svg`, for an ``<img src>``."""
    encoded = base64.b64encode(qr_svg(data).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
