"""The widget's static files: symbols, no inline code, no third-party hosts, safe headers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "web" / "static"
SVG = "{http://www.w3.org/2000/svg}"

SYMBOLS = ["hello", "question", "stop", "computer", "crisis", "aftercare", "law", "eligible",
           "not-eligible", "depends", "money", "payment", "home", "plan", "meeting", "review",
           "end", "people", "carer", "advocate", "area", "complaint", "wales", "medicine",
           "dictionary", "goodbye", "thanks", "restart"]


def domain_images() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    images = set()
    for variants in domain.get("responses", {}).values():
        for variant in variants:
            if variant.get("image"):
                images.add(variant["image"])
    return images


def test_every_image_in_the_domain_exists():
    images = domain_images()
    assert images, "the domain names no images"
    missing = [i for i in sorted(images) if not i.startswith("/static/")
               or not (STATIC / i.removeprefix("/static/")).is_file()]
    assert missing == []


@pytest.mark.parametrize("name", SYMBOLS)
def test_symbol_is_a_simple_safe_svg(name):
    path = STATIC / "symbols" / f"{name}.svg"
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 64 64"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    # Pictures only: no words inside (alt text says what it shows), no script, no styles,
    # nothing fetched from elsewhere.
    assert not tags & {"text", "script", "style", "foreignObject", "image", "a", "use"}
    source = path.read_text()
    assert not re.search(r"\son\w+\s*=|href|style=|url\(", source)


def test_no_inline_script_or_style_and_no_third_party_hosts():
    html = (STATIC / "index.html").read_text()
    assert 'lang="en-GB"' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, "inline <script>"
    assert "<style" not in html and " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None, "inline event handler"
    for path in STATIC.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            text = path.read_text()
            # Links to a source a person can look up are navigated to, never loaded.
            text = SOURCE_LINK.sub("", text)
            hosts = set(re.findall(r"https?://([a-z0-9.-]+)", text))
            # Only the neutral exit site (navigated to, never loaded) and examples in comments.
            assert hosts <= {"www.bbc.co.uk", "helper.example"}, (path.name, hosts)


SOURCE_LINK = re.compile(r'<a href="https://[^"]+" target="_blank" rel="noopener noreferrer">'
                         r'[^<]+<span class="visually-hidden"> \(opens in a new tab\)</span></a>')


def test_links_out_of_the_page_open_in_a_new_tab_and_say_so():
    html = (STATIC / "index.html").read_text()
    external = re.findall(r'<a href="https?://[^>]*>.*?</a>', html)
    assert external, "the crisis box links its sources"
    assert all(SOURCE_LINK.fullmatch(a) for a in external), external


def test_message_text_never_goes_through_html_parsing():
    for name in ["chat.js", "embed.js"]:
        js = (STATIC / name).read_text()
        code = "\n".join(line for line in js.splitlines() if not line.strip().startswith("//"))
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                     "new Function", "setAttribute(\"style\""]:
            assert sink not in code, f"{name} uses {sink}"


@pytest.fixture
def client() -> TestClient:
    with TestClient(create_app(Settings(secret_key="s" * 40))) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/static/chat.js", "/static/embed.js",
                                  "/static/symbols/hello.svg", "/healthz", "/no-such-page"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "require-trusted-types-for 'script'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "no-referrer"


def test_security_headers_on_an_error_and_never_twice(client):
    response = client.post("/api/chat", content=b"not json")
    assert response.status_code == 400
    assert response.headers["x-content-type-options"] == "nosniff"
    for name in ("content-security-policy", "cache-control", "x-frame-options"):
        assert len(response.headers.get_list(name)) == 1, name


def test_partner_origins_can_frame_the_widget():
    settings = Settings.from_env({"S117_FRAME_ANCESTORS": "https://www.kent.gov.uk"})
    with TestClient(create_app(settings)) as client:
        headers = client.get("/").headers
    assert "frame-ancestors 'self' https://www.kent.gov.uk" in headers["content-security-policy"]
    assert "x-frame-options" not in headers


@pytest.mark.parametrize("bad", ["*", "https://*.example.org", "javascript:x",
                                 "https://a.org;script-src *", "http://partner.org"])
def test_frame_ancestors_setting_refuses_unsafe_values(bad):
    with pytest.raises(ValueError, match="S117_FRAME_ANCESTORS"):
        Settings.from_env({"S117_FRAME_ANCESTORS": bad})
