"""The API guide page: how to read, how to get and use a token, and every endpoint, without JavaScript."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recovery_tracker.api.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _endpoints() -> list[dict[str, Any]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    rows = []
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            rows.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary") or operation.get("operationId", ""),
                "description": (operation.get("description") or "").strip().split("\n\n")[0],
                "token": bool(operation.get("security")),
                "tag": (operation.get("tags") or ["other"])[0],
            })
    return rows


def api_guide(request: HttpRequest) -> HttpResponse:
    endpoints = _endpoints()
    tags: dict[str, list[dict[str, Any]]] = {}
    for row in endpoints:
        tags.setdefault(row["tag"], []).append(row)
    return render(request, "api/docs.html", {
        "tags": sorted(tags.items()), "title": api.title, "version": api.version,
        "example_read": request.build_absolute_uri("/api/plans"),
        "example_write": request.build_absolute_uri("/api/progress/updates"),
    })
