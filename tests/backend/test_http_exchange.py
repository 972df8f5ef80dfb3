"""The endpoint's plain-ASGI fast path (issue 15) answers as Starlette's routing would, and never hides a request.

``RpcFirstStarlette`` hands a POST to the RPC path straight to the endpoint;
middleware an app adds must still see every request, and a request under a
``root_path`` still finds the endpoint through Starlette's router.
"""

from __future__ import annotations

import httpx
from backend_support import MakeBackend, RpcClient
from starlette.types import ASGIApp, Receive, Scope, Send


async def test_middleware_added_to_the_app_sees_rpc_calls(make_backend: MakeBackend) -> None:
    backend = make_backend()
    seen: list[str] = []

    class Counting:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                seen.append(f"{scope['method']} {scope['path']}")
            await self.app(scope, receive, send)

    backend.asgi_app.add_middleware(Counting)
    async with RpcClient(backend) as client:
        assert (await client.get())["state"] == "signedOut"
    assert seen == [f"POST {backend.settings.path}"]


async def test_a_call_under_a_root_path_is_answered(make_backend: MakeBackend) -> None:
    backend = make_backend()
    transport = httpx.ASGITransport(app=backend.asgi_app, root_path="/auth")
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        body = {
            "jsonrpc": "2.0",
            "method": f"{backend.settings.namespace}.getAuthState",
            "params": [],
            "id": 7,
        }
        response = await http.post(f"/auth{backend.settings.path}", json=body)
    assert response.status_code == 200
    assert response.json()["result"]["state"] == "signedOut"
    assert response.json()["id"] == 7
    assert response.headers["cache-control"] == "no-store"
