FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/patchreview ./cmd/patchreview && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/patchreview /patchreview
# The database volume must belong to the nonroot user (uid 65532).
COPY --from=build --chown=65532:65532 /out/data /data
ENV PATCHREVIEW_DB=/data/patchreview.db PATCHREVIEW_ADDR=:8080
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/patchreview", "serve"]
