# syntax=docker/dockerfile:1

# Build a static binary: no cgo (the SQLite driver is pure Go), no libc needed.
FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so source edits do not invalidate the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/authd ./cmd/authd \
	&& mkdir -p /out/keys /out/work/data

# distroless/static has no shell or package manager; :nonroot runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/authd /authd
# Empty directories owned by the runtime user: a named volume mounted on /keys
# starts with this ownership, and the default sqlite://data/authd.db lands in
# /var/lib/authd/data.
COPY --from=build --chown=65532:65532 /out/keys /keys
COPY --from=build --chown=65532:65532 /out/work /var/lib/authd
WORKDIR /var/lib/authd
USER nonroot:nonroot
EXPOSE 8080
# distroless has no curl: the binary probes its own /readyz (exit 0 = ready).
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 CMD ["/authd", "healthcheck"]
# SIGTERM drains: not ready at once, serving for http.shutdown_delay, then
# in-flight requests finish; give it that long before a SIGKILL.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/authd"]
