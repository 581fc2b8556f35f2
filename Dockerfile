# One image for every AIGateway process; the command picks which one runs:
#   docker run aigateway services/selector/dist/main.js      (selector | auth | provider-call | logging | ingress)
#   docker run aigateway libs/db/dist/migrate-main.js         (or build `--target migrate`)
#   docker run aigateway tools/emulators/dist/main.js         (local stacks only)
# Processes run the JavaScript that `npm run build` (tsc) emits. The entrypoint (tools/dev/docker-entrypoint.sh)
# sizes V8's old generation from the container's memory limit and adds the other V8 settings of
# tools/dev/src/node-flags.ts (a test keeps the two equal).
# Only classic Dockerfile features are used, so docker-compose v1 (legacy builder) and BuildKit both build it.

# Node's Active LTS line, 26 since 2026-10-28 (the project itself runs and is tested on Node 20.19 and later,
# package.json `engines`).
ARG NODE_IMAGE=node:26-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Just the package manifests and the lock: the installs below are redone when they change, not on every edit.
FROM base AS manifests
COPY . /src
RUN cd /src \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json -o -name .npmrc \) -print \
    | xargs cp --parents -t /app

# Every dependency, dev tools included: what the build below needs.
# Install scripts are skipped: nothing at runtime needs them (Prisma 7 runs its query compiler as WASM and the
# project's own migrator needs no schema engine), and the build then needs the npm registry only.
FROM base AS deps-full
COPY --from=manifests /app/ ./
RUN npm ci --ignore-scripts

# Compiles every workspace to its dist/ folder (the web console's Vite build included) and packs the folders
# the runtime image runs: libs, services, tools/dev (seed, heap sizing), tools/emulators, console/dist.
FROM deps-full AS build
COPY . .
RUN npm run build \
 && { test -f console/dist/index.html || { echo "the web console was not built (console/dist)" >&2; exit 1; }; } \
 && find libs services tools/dev tools/emulators console -name node_modules -prune -o -type d -name dist -print \
    | tar -cf /tmp/dist.tar -T -

# Production dependencies of the workspaces the image runs, and nothing else: not the bench workspace (Portkey),
# not the console's (React, Vite; ingress serves its built files), not the Prisma CLI, Studio or TypeScript,
# which @prisma/client names as optional peers (so the lock marks them dev-or-optional: both omits are needed).
# tools/ops-check (image-deps.ts) computes this same set from the lock and keeps it under 200 MB.
FROM base AS deps
COPY --from=manifests /app/ ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
      --workspace=libs --workspace=services --workspace=tools/dev --workspace=tools/emulators \
 && rm -rf /root/.npm

FROM base AS app
ENV NODE_ENV=production
COPY --from=deps /app/ ./
COPY --from=build /tmp/dist.tar /tmp/dist.tar
# Besides dist/: the SQL migrations the migrator applies, and the entrypoint.
COPY libs/db/prisma/migrations libs/db/prisma/migrations
COPY tools/dev/docker-entrypoint.sh tools/dev/docker-entrypoint.sh
# Fails the build when a process imports something the production install lacks (a dev-only package): each
# service's server module, the migrator, the demo seed and the emulators are loaded without starting anything.
RUN tar -xf /tmp/dist.tar \
 && { test -f console/dist/index.html || { echo "console/dist is missing from the image" >&2; exit 1; }; } \
 && for entry in services/*/dist/server.js libs/db/dist/migrator.js tools/dev/dist/seed.js tools/emulators/dist/index.js; do \
      node --input-type=module -e "await import('./${entry}')" \
      || { echo "cannot load ${entry} with production dependencies" >&2; exit 1; }; \
    done \
 && test "$(node tools/dev/dist/heap-size-main.js)" -gt 0 \
 && rm -rf /tmp/* /root/.npm \
 && mkdir -p /var/lib/aigw/outbox && chown 1000:1000 /var/lib/aigw/outbox
# Numeric, so that Kubernetes' runAsNonRoot can verify it. The app files stay root-owned and read-only to
# the process; /tmp and ingress's request-log outbox (a volume on /var/lib/aigw/outbox, created here owned by
# the process so that a fresh named volume takes that owner) are the only writable places it may need.
USER 1000:1000
EXPOSE 8080 50051 50052 50053 9464
ENTRYPOINT ["/app/tools/dev/docker-entrypoint.sh"]

# OCI annotations; the build fills in what it knows:
#   docker build --build-arg VERSION=1.2.3 --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) --build-arg SOURCE=https://… .
ARG NODE_IMAGE
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=
LABEL org.opencontainers.image.title="AIGateway" \
      org.opencontainers.image.description="Multi-provider LLM API gateway: ingress, selector, auth, provider-call and logging in one image" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"

# Applies pending migrations to DATABASE_URL and exits (docker-compose `migrate`, the Kubernetes Job).
FROM app AS migrate
CMD ["libs/db/dist/migrate-main.js"]

# Default target: the services. Without a command it runs ingress.
FROM app AS runtime
CMD ["services/ingress/dist/main.js"]
