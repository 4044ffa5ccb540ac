"""Security headers on every response.

No inline script or style anywhere, so the Content Security Policy has no 'unsafe-inline'.
Trusted Types are required as well: the browser itself then refuses any assignment of a string
to innerHTML or similar, so message text can only ever reach the page as text.
"""

from __future__ import annotations

from fastapi import FastAPI, Request

from web.settings import Settings


def content_security_policy(frame_ancestors: str = "'self'") -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "frame-src 'self'",
        "media-src 'none'",
        "object-src 'none'",
        "worker-src 'none'",
        "manifest-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ])


def security_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(settings.frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                               "interest-cohort=()"),
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cache-Control": "no-store",
        # Ignored over plain http; behind https it keeps browsers on https.
        "Strict-Transport-Security": "max-age=31536000",
    }
    # Old browsers only know X-Frame-Options, which cannot list partner sites: send it only
    # when no partner may frame the widget (new browsers follow frame-ancestors instead).
    if settings.frame_ancestors.strip() == "'self'":
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


def add_security_headers(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    headers = security_headers(settings)

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
