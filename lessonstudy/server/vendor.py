"""Browser packages from the npm registry, served from web/node_modules.

They are installed by ``npm ci`` from web/package.json and its lockfile, never
fetched from a CDN at run time (schools and CI are often offline). Only the named
folder of each package listed here is served.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, abort, send_from_directory

VENDORED = {
    "socket.io-client": "dist",
    "swagger-ui-dist": ".",
}


def register(app: Flask, node_modules: Path) -> None:
    @app.get("/vendor/<package>/<path:filename>")
    def vendor_file(package: str, filename: str) -> Response:
        folder = VENDORED.get(package)
        if folder is None:
            abort(404)
        return send_from_directory(node_modules / package / folder, filename, max_age=86400)
