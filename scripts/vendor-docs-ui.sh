#!/usr/bin/env bash
# Re-vendors the Swagger UI assets served at /docs from npm, at the pinned
# version, into adapters/httpapi/docsui/assets. Run it by hand to upgrade
# (edit VERSION first) and commit the result; the build never runs it.
#
# The bundle is committed gzip-compressed (gzip -9n: no name or timestamp, so
# the bytes depend only on the input) and served with Content-Encoding: gzip,
# which keeps every tracked file under 1 MiB.
set -euo pipefail

VERSION="5.35.0"
PACKAGE="swagger-ui-dist"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${root}/adapters/httpapi/docsui/assets"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

(cd "${work}" && npm pack --silent "${PACKAGE}@${VERSION}" >/dev/null)
tar -xzf "${work}/${PACKAGE}-${VERSION}.tgz" -C "${work}"
src="${work}/package"

mkdir -p "${dest}"
gzip -9nc "${src}/swagger-ui-bundle.js" >"${dest}/swagger-ui-bundle.js.gz"
gzip -9nc "${src}/swagger-ui.css" >"${dest}/swagger-ui.css.gz"
cp "${src}/favicon-32x32.png" "${dest}/favicon-32x32.png"
# The licence of Swagger UI and those of the libraries in its bundle.
cp "${src}/LICENSE" "${dest}/LICENSE"
cp "${src}/NOTICE" "${dest}/NOTICE"
cp "${src}/swagger-ui-bundle.js.LICENSE.txt" "${dest}/swagger-ui-bundle.js.LICENSE.txt"
echo "${PACKAGE} ${VERSION}" >"${dest}/VERSION"

echo "vendored ${PACKAGE} ${VERSION} into ${dest#"${root}"/}"
