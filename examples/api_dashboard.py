from nicegui import ui
from nicegui_authenticator import AuthClient, Authenticator, user_session

auth = AuthClient("http://localhost:8000/aws-blocks/api")  # e.g. examples/api_backend.py


@ui.page("/")
def dashboard() -> None:
    async def load_profile() -> None:  # the call carries this person's session cookie
        profile.text = str(await user_session(auth).call("api.getProfile"))

    with Authenticator(auth):  # what is inside shows only while signed in
        ui.button("My profile", on_click=load_profile)
        profile = ui.label()


ui.run(storage_secret="change me")  # each browser's session lives in app.storage.user
