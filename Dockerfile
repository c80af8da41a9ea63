# syntax=docker/dockerfile:1
# One Dockerfile, two images: `--target server` and `--target worker`.

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund
COPY graph/ graph/
COPY frontend/ frontend/
RUN npm run build

FROM golang:1.26-bookworm AS go
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./server \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/worker ./worker

FROM gcr.io/distroless/static-debian12:nonroot AS server
COPY --from=go /out/server /server
ENV HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/server"]

FROM gcr.io/distroless/static-debian12:nonroot AS worker
COPY --from=go /out/worker /worker
ENTRYPOINT ["/worker"]
