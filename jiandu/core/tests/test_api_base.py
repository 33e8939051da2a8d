"""The API's framework layer: authentication on every endpoint, bad input answered with a 4xx and a
message in one shape (never a 500), the OpenAPI schema, and docs served from our own static files.

Endpoints come from the router's registry, so a new endpoint is covered without editing this file.
"""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from factories import UserFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from scenario import Registry

from jiandu.access.models import User
from jiandu.api_urls import router

pytestmark = pytest.mark.django_db

ENDPOINTS = [prefix for prefix, _viewset, _basename in router.registry]


@pytest.fixture
def user(registry: Registry) -> User:
    return UserFactory(
        username="api-base",
        body=registry.commission,
        permissions=["org.change_body", "org.add_department", "org.change_department", "org.change_person"],
    )


@pytest.fixture
def client(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_error(response: Any, status: int, fields: set[str] | None = None) -> dict[str, Any]:
    """The one error shape: a message in "detail", per-field messages in "errors"."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"detail", "errors"}
    assert isinstance(data["detail"], str) and data["detail"].strip()
    if fields is not None:
        assert set(data["errors"]) == fields, data
    for messages in data["errors"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)
    return data


# --- authentication -------------------------------------------------------------------------------------


def test_the_router_lists_every_endpoint() -> None:
    assert set(ENDPOINTS) >= {"regions", "bodies", "departments", "people", "posts", "skills", "users"}
    assert {"filings", "filing-rules"} <= set(ENDPOINTS)


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_every_endpoint_asks_for_credentials(registry: Registry, prefix: str) -> None:
    for url in (f"/api/{prefix}/", f"/api/{prefix}/1/"):
        response = APIClient().get(url)
        assert_error(response, 401, set())
        assert response["WWW-Authenticate"] == "Token"


def test_other_endpoints_ask_for_credentials() -> None:
    assert_error(APIClient().get("/api/me/"), 401, set())
    assert_error(APIClient().delete("/api/token/"), 401, set())
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 401
    assert json.loads(schema.content)["detail"]


def test_an_invalid_token_is_401_with_a_message(client: APIClient) -> None:
    anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = anonymous.get("/api/people/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert "invalid" in assert_error(response, 401, set())["detail"].lower()
    malformed = anonymous.get("/api/people/", HTTP_AUTHORIZATION="Token two words")
    assert_error(malformed, 401, set())


def test_an_expired_token_is_401_and_is_deleted(user: User, client: APIClient) -> None:
    assert client.get("/api/me/").status_code == 200
    Token.objects.filter(user=user).update(created=timezone.now() - datetime.timedelta(days=2))
    with override_settings(API_TOKEN_AGE=3600):
        data = assert_error(client.get("/api/me/"), 401, set())
    assert "expired" in data["detail"]
    assert not Token.objects.filter(user=user).exists()


def test_a_token_of_a_disabled_account_is_refused(user: User, client: APIClient) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_error(client.get("/api/me/"), 401, set())


def test_messages_follow_the_language_asked_for(registry: Registry) -> None:
    english = APIClient().get("/api/people/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    chinese = APIClient().get("/api/people/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"]
    assert english == "Authentication credentials were not provided."
    assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese)


# --- bad input ------------------------------------------------------------------------------------------


def people_url(registry: Registry) -> str:
    return f"/api/people/{registry.zhang.pk}/"


def test_malformed_json(registry: Registry, client: APIClient) -> None:
    response = client.patch(people_url(registry), data='{"name": ', content_type="application/json")
    assert "JSON" in assert_error(response, 400, set())["detail"]


@pytest.mark.parametrize(
    "body",
    ['{"birth_year": NaN}', "[" * 100_000 + "]" * 100_000, b'{"name": "\xff\xfe"}', '"text"', "[1, 2]"],
)
def test_json_that_is_not_an_object_of_fields(registry: Registry, client: APIClient, body: Any) -> None:
    """Non-standard constants, nesting deep enough to exhaust the parser's recursion, bytes that are not
    UTF-8, and JSON that is not an object."""
    response = client.patch(people_url(registry), data=body, content_type="application/json")
    assert_error(response, 400)


def test_wrong_types(registry: Registry, client: APIClient) -> None:
    response = client.patch(
        people_url(registry),
        {"birth_year": "nineteen", "is_party_member": "perhaps", "education": "doctor", "skills": "法律"},
        format="json",
    )
    assert_error(response, 400, {"birth_year", "is_party_member", "education", "skills"})
    body = f"/api/bodies/{registry.commission.pk}/"
    assert_error(client.patch(body, {"establishment": -1}, format="json"), 400, {"establishment"})
    assert_error(client.patch(body, {"establishment": 10**30}, format="json"), 400, {"establishment"})
    assert_error(client.patch(body, {"parent": "abc"}, format="json"), 400, {"parent"})
    assert_error(client.patch(body, {"name": "a\x00b"}, format="json"), 400, {"name"})
    assert_error(client.patch(people_url(registry), {"skills": ["法\x00律"]}, format="json"), 400, {"skills"})
    department = {"region": "5204\x0022000000", "name": "x", "short_name": "x"}
    assert_error(client.post("/api/departments/", department, format="json"), 400, {"region"})
    assert_error(client.patch(body, {"name": "名" * 500}, format="json"), 400, {"name"})


def test_unknown_fields_are_named(registry: Registry, client: APIClient) -> None:
    response = client.patch(
        f"/api/bodies/{registry.commission.pk}/", {"establishment": 9, "establishmnet": 9}, format="json"
    )
    data = assert_error(response, 400, {"establishmnet"})
    assert "establishmnet" in data["detail"]
    assert "establishment" in data["errors"]["establishmnet"][0]  # the accepted fields are listed
    registry.commission.refresh_from_db()
    assert registry.commission.establishment == 4  # nothing was written
    two = client.post("/api/departments/", {"region": registry.puding.code, "a": 1, "b": 2}, format="json")
    data = assert_error(two, 400, {"a", "b"})
    assert "a" in data["detail"] and "b" in data["detail"]


def test_read_only_fields_are_not_unknown(registry: Registry, client: APIClient) -> None:
    """A record read, changed and sent back is accepted, its read-only fields ignored."""
    url = f"/api/departments/{registry.health.pk}/"
    record = client.get(url).json()
    record["sector"] = "医疗"
    response = client.put(url, record, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["sector"] == "医疗"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_json_body_is_413(registry: Registry, client: APIClient) -> None:
    body = json.dumps({"name": "名" * 2000})
    response = client.patch(people_url(registry), data=body, content_type="application/json")
    assert "1000" in assert_error(response, 413, set())["detail"]
    registry.zhang.refresh_from_db()
    assert registry.zhang.name == "张伟"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_form_body_is_413(registry: Registry, client: APIClient) -> None:
    response = client.patch(
        people_url(registry),
        data="name=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 413, set())


def test_the_default_body_limit_is_enforced(registry: Registry, client: APIClient) -> None:
    from django.conf import settings

    body = json.dumps({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.patch(people_url(registry), data=body, content_type="application/json")
    assert_error(response, 413, set())


def test_an_unsupported_media_type_is_415(registry: Registry, client: APIClient) -> None:
    response = client.patch(people_url(registry), data="name=x", content_type="text/plain")
    assert_error(response, 415, set())


def test_unknown_pages_endpoints_and_records_are_404(client: APIClient) -> None:
    assert "99" in assert_error(client.get("/api/people/", {"page": 99}), 404, set())["detail"]
    assert_error(client.get("/api/people/", {"page": "last-but-one"}), 404, set())
    assert_error(client.get("/api/nothing-here/"), 404, set())
    assert_error(client.get("/api/people/not-a-number/"), 404, set())
    assert_error(client.get("/api/regions/%00/"), 404, set())


def test_page_size_is_capped(client: APIClient) -> None:
    assert client.get("/api/regions/", {"page_size": 100_000}).status_code == 200
    from jiandu.core.api.listing import PageNumberPagination

    assert PageNumberPagination.max_page_size == 500


def test_bad_filter_search_and_sort_values_are_400(client: APIClient) -> None:
    assert_error(client.get("/api/bodies/", {"kind": "castle"}), 400, {"kind"})
    assert_error(client.get("/api/departments/", {"is_active": "maybe"}), 400, {"is_active"})
    assert_error(client.get("/api/posts/", {"body": "abc"}), 400, {"body"})
    assert_error(client.get("/api/people/", {"q": "a\x00b"}), 400, {"q"})
    data = assert_error(client.get("/api/people/", {"sort": "password"}), 400, {"sort"})
    assert "password" in data["detail"] and "birth_year" in data["detail"]
    assert client.get("/api/people/", {"sort": "-birth_year,name"}).status_code == 200


def test_method_not_allowed_has_the_shape(registry: Registry, client: APIClient) -> None:
    assert_error(client.delete(people_url(registry)), 405, set())


# --- schema and docs ------------------------------------------------------------------------------------


def test_the_schema_is_valid_and_has_no_warnings(tmp_path: Any) -> None:
    """`jiandu spectacular --validate --fail-on-warn`: every endpoint typed, the schema valid OpenAPI."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_the_schema_lists_every_endpoint(client: APIClient) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for prefix in ENDPOINTS:
        assert f"/api/{prefix}/" in paths
    assert {"/api/token/", "/api/me/"} <= set(paths)


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def test_the_docs_page_uses_only_local_assets(user: User) -> None:
    client = Client()
    client.force_login(user)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    parser = Assets()
    parser.feed(html)
    assert parser.urls and all(url.startswith("/static/") for url in parser.urls), parser.urls
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert '"validatorUrl": null' in html  # or Swagger UI asks validator.swagger.io for a badge
    assert '"/api/schema/"' in html
    for url in parser.urls:
        served = client.get(url)
        assert served.status_code == 200, url
        served.close()


def test_the_docs_page_sends_a_signed_out_visitor_to_the_login(registry: Registry) -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_the_browsable_api_renders_with_local_assets(registry: Registry, user: User, prefix: str) -> None:
    """The HTML view of every list, with the forms for the writes the user may make."""
    client = Client(HTTP_ACCEPT="text/html")
    client.force_login(user)
    response = client.get(f"/api/{prefix}/")
    assert response.status_code == 200
    parser = Assets()
    parser.feed(response.content.decode())
    assets = [url for url in parser.urls if url.startswith(("/static/", "http", "//"))]
    assert assets and all(url.startswith("/static/") for url in assets), assets
    assert "django-rest-framework.org" not in response.content.decode()


def test_the_browsable_forms_offer_only_objects_in_scope(registry: Registry, user: User) -> None:
    client = Client(HTTP_ACCEPT="text/html")
    client.force_login(user)
    body = client.get(f"/api/bodies/{registry.office.pk}/").content.decode()
    assert 'name="establishment"' in body  # the form of the change the user may make
    assert "普定县纪委监委" in body
    assert registry.xixiu_commission.name not in body and registry.zone_commission.name not in body
    departments = client.get("/api/departments/").content.decode()
    assert 'name="region"' in departments
    assert registry.xixiu.name not in departments
