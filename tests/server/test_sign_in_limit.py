"""Failed sign-ins are throttled: five a minute per address and e-mail, on the API's
sign-in and on the sign-in form, each counted on its own; a success does not count."""

from __future__ import annotations

from server.site import PASSWORD, Site, error, ok
from server.test_pages import csrf, page

EMAIL = "ana@school.example"


def test_the_sixth_failed_sign_in_through_the_api_is_429(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    visitor = memory_site.visitor()
    for _ in range(5):
        error(visitor.post("/api/v1/session", {"email": EMAIL, "password": "wrong"}), 401)
    refused = visitor.post("/api/v1/session", {"email": EMAIL, "password": PASSWORD})
    assert error(refused, 429)["code"] == "too_many_requests"


def test_successful_sign_ins_do_not_count(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    for _ in range(6):
        visitor = memory_site.visitor()
        ok(visitor.post("/api/v1/session", {"email": EMAIL, "password": PASSWORD}))


def test_the_form_is_throttled_apart_from_the_api(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    visitor = memory_site.visitor()
    for _ in range(5):
        error(visitor.post("/api/v1/session", {"email": EMAIL, "password": "wrong"}), 401)
    client = memory_site.app.test_client()
    token = csrf(page(client.get("/sign-in")))
    for _ in range(5):
        form = {"email": EMAIL, "password": "wrong", "csrf_token": token}
        page(client.post("/sign-in", data=form), 401)
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=form).status_code == 429
