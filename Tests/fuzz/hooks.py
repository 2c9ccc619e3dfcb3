"""Schemathesis hooks for eCAF: each operation is called as the persona who may use it, on
records set up for it (fuzz.py writes them to ECAF_FUZZ_FIXTURES), and every answer's
status is logged so fuzz.py can prove each operation reached a 2xx."""
import json
import os
import uuid

import schemathesis

from fuzz import etag

FIXTURES = json.load(open(os.environ["ECAF_FUZZ_FIXTURES"]))
LOG = open(os.environ["ECAF_FUZZ_STATUSES"], "a")


def label(case):
    return f"{case.operation.method.upper()} {case.operation.path}"


def well_formed_id(value):
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def positive(case, location):
    """Fixtures replace only what was generated as valid: a deliberately invalid part stays
    as generated, so the server is still seen refusing it."""
    meta = getattr(case, "_meta", None)
    info = meta.components.get(location) if meta else None
    return info is None or info.mode.name == "POSITIVE"


@schemathesis.hook
def map_case(context, case):
    fixture = FIXTURES["operations"].get(label(case), {})
    if fixture.get("path"):
        # A well-formed id (or none yet) stands for the record set up for this operation; a
        # malformed one stays, so the server is still seen refusing it.
        parameters = dict(case.path_parameters or {})
        for name, value in fixture["path"].items():
            if parameters.get(name) is None or well_formed_id(parameters[name]):
                parameters[name] = value
        case.path_parameters = parameters
    if fixture.get("query") and positive(case, "query"):
        case.query = {**(case.query or {}), **fixture["query"]}
    if fixture.get("body") and isinstance(case.body, dict) and positive(case, "body"):
        case.body = {**case.body, **fixture["body"]}
    if fixture.get("etag") and positive(case, "header"):
        # A change names the version it was made on: the one read just now, as the persona.
        persona = fixture.get("persona", "amy")
        tag = etag(FIXTURES["base"], fixture["etag"], FIXTURES["tokens"][persona], fixture.get("item"),
                   fixture.get("list", "actions"), fixture.get("within"))
        case.headers = {**(case.headers or {}), "If-Match": tag}
    return case


@schemathesis.auth(refresh_interval=None, retry_on=[])
class Persona:
    """Every operation is called as amy unless its fixture names another persona. As an auth
    provider, so the checks that try a request without credentials really send none."""

    def get(self, case, context):
        return FIXTURES["tokens"]

    def set(self, case, tokens, context):
        persona = FIXTURES["operations"].get(label(case), {}).get("persona", "amy")
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {tokens[persona]}"}


@schemathesis.hook
def after_call(context, case, response):
    LOG.write(json.dumps([label(case), response.status_code]) + "\n")
    LOG.flush()
