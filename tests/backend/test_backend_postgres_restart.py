"""A PostgreSQL restart costs the backend no request, and ``/healthz`` tells a load balancer about the outage.

Why: the backend keeps a pool of connections. When PostgreSQL restarts (an
upgrade, a failover, an operator's ``systemctl restart``) every pooled
connection is dead, and without a check the next requests would each take
one and answer 500. The pool checks a connection before lending it
(``postgres_store``), so the first request after the restart already
succeeds; while the server is down, ``/healthz`` answers 503 so the load
balancer can stop sending traffic, and 200 again once it is back.
"""

from __future__ import annotations

import pytest
from backend_support import STRONG, MakeBackend, RpcClient
from nicegui_authenticator.backend import postgres_store
from postgres_server import PostgresServer

pytestmark = pytest.mark.slow

# Health checks after the server is back before giving up (each waits up to PING_TIMEOUT_SECONDS).
RECOVERY_CHECKS = 60


async def _sign_up(client: RpcClient, username: str) -> str:
    state = await client.set("signUp", username=username, password=STRONG, email=f"{username}@example.com")
    return str(state.get("state"))


async def test_requests_succeed_across_a_postgresql_restart_and_healthz_follows_the_outage(
    make_backend: MakeBackend, postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While the server is down the health check waits this long for a connection: a load
    # balancer's few seconds in production, one second here (the answer is the same).
    monkeypatch.setattr(postgres_store, "PING_TIMEOUT_SECONDS", 1.0)
    backend = make_backend(db_path=postgres.new_database())
    async with RpcClient(backend) as client:
        assert await _sign_up(client, "before") == "confirmingSignUp"

        postgres.restart()
        assert await _sign_up(client, "after-restart") == "confirmingSignUp"

        postgres.stop()
        try:
            health = await client.http.get("/healthz")
            assert (health.status_code, health.json()) == (503, {"status": "unavailable"})
        finally:
            postgres.start()
        # The pool reconnects in the background, retrying with a growing pause while the
        # server was away, so health comes back within moments rather than at once.
        for _ in range(RECOVERY_CHECKS):
            health = await client.http.get("/healthz")
            if health.status_code == 200:
                break
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        assert await _sign_up(client, "after-outage") == "confirmingSignUp"
