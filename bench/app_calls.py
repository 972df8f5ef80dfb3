"""An app method call as the person, against getAuthState signed in, in one process.

Run: ``python bench/app_calls.py`` (about 10 seconds). Both go through the real
``AuthClient`` and the reference backend in-process (httpx's ASGI transport),
so the numbers compare the two server paths plus the shared client cost:

* ``getAuthState`` signed in: the baseline (session lookup, user, AuthState);
* ``api.getProfile``: session lookup, groups check, the handler, a JSON result;
* ``api.getProfile`` from an allowed CORS origin: the same through CORSMiddleware.

Printed: the median calls per second over interleaved rounds, and the ratio to
the baseline measured in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from nicegui_authenticator import AuthClient, AuthUser, BackendSettings, ReferenceBackend
from nicegui_authenticator.backend.settings import ScryptCost

ROUND = 0.25  # seconds per variant per round; rounds interleave the variants
ROUNDS = 15  # the median round counts, so a busy moment on a shared machine hits every variant alike
ORIGIN = "http://localhost:3000"


async def rate(call: Callable[[], Awaitable[object]]) -> float:
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < ROUND:
        await call()
        count += 1
    return count / elapsed


async def interleaved(variants: dict[str, Callable[[], Awaitable[object]]]) -> dict[str, float]:
    for call in variants.values():
        for _ in range(50):
            await call()
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, call in variants.items():
            rounds[name].append(await rate(call))
    return {name: statistics.median(values) for name, values in rounds.items()}


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = BackendSettings(
            db_path=str(Path(tmp) / "bench.sqlite3"),
            mfa="off",
            password_hash_cost=ScryptCost(n=2**4),
            cors_origins=(ORIGIN,),
        )
        with ReferenceBackend(settings) as backend:
            backend.add_user("bench", "Bench-Pass-9431!", temporary=False)

            @backend.method("api.getProfile", groups=["staff"])
            async def get_profile(user: AuthUser) -> dict[str, str]:
                return {"username": user.username}

            backend.add_to_group("bench", "staff")
            transport = httpx.ASGITransport(app=backend.asgi_app)
            endpoint = "http://127.0.0.1/aws-blocks/api"
            async with (
                AuthClient(endpoint, transport=transport) as client,
                AuthClient(endpoint, transport=transport, headers={"origin": ORIGIN}) as cross_origin,
            ):
                await client.set_auth_state(
                    {"action": "signIn", "username": "bench", "password": "Bench-Pass-9431!"}
                )
                origin = cross_origin.for_session(client.session)
                results = await interleaved(
                    {
                        "getAuthState signed in (baseline)": client.get_auth_state,
                        "api.getProfile": lambda: client.call("api.getProfile"),
                        "api.getProfile, allowed CORS origin": lambda: origin.call("api.getProfile"),
                    }
                )
    baseline = results["getAuthState signed in (baseline)"]
    for name, per_second in results.items():
        print(f"{name:40s} {per_second:8.0f} calls/s  ratio {per_second / baseline:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
