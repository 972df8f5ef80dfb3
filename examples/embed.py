from nicegui import app, ui
from nicegui_authenticator import AccountMenu, AuthClient, AuthenticatedContent

client = AuthClient("http://localhost:3000/aws-blocks/api")  # any setAuthState server
app.on_shutdown(client.aclose)


@ui.page("/")
def dashboard() -> None:
    with ui.header():
        ui.label("My dashboard").classes("text-h6")
        AccountMenu(client)  # Sign In opens the authenticator in a dialog
    with AuthenticatedContent(client):
        ui.label("Only signed-in people see this.")


ui.run(storage_secret="change me")  # per-browser sessions live in app.storage.user
