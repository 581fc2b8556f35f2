# One image for every AIGateway process; the command picks which one runs:
#   docker run aigateway services/selector/dist/main.js      (selector | auth | provider-call | logging | ingress)
#   docker run aigateway libs/db/dist/migrate-main.js         (or build `--target migrate`)
#   docker run aigateway tools/emulators/dist/main.js         (local stacks only)
# Processes run the JavaScript that `npm run build` (tsc) emits, with the V8 memory settings that
# tools/dev/src/node-flags.ts holds (the same ones every local stack and the benchmark use; a test keeps
# the ENTRYPOINT below equal to them).
# Only classic Dockerfile features are used, so docker-compose v1 (legacy builder) and BuildKit both build it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Just the package manifests and the lock: the install below is redone when they change, not on every edit.
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

# Compiles every workspace to its dist/ folder (the web console's Vite build included) and packs those folders
# for the runtime image.
FROM deps-full AS build
COPY . .
RUN npm run build \
 && { test -f console/dist/index.html || { echo "the web console was not built (console/dist)" >&2; exit 1; }; } \
 && find libs services tools console -name node_modules -prune -o -type d -name dist -print | tar -cf /tmp/dist.tar -T -

# Production dependencies only.
FROM deps-full AS deps
RUN npm prune --omit=dev --ignore-scripts

FROM base AS app
ENV NODE_ENV=production
COPY --from=deps /app/ ./
COPY . .
COPY --from=build /tmp/dist.tar /tmp/dist.tar
# Fails the build when a process imports something the pruned install lacks (a dev-only package): each
# service's server module, the migrator, the demo seed and the emulators are loaded without starting anything.
RUN tar -xf /tmp/dist.tar \
 && { test -f console/dist/index.html || { echo "console/dist is missing from the image" >&2; exit 1; }; } \
 && for entry in services/*/dist/server.js libs/db/dist/migrator.js tools/dev/dist/seed.js tools/emulators/dist/index.js; do \
      node --input-type=module -e "await import('./${entry}')" \
      || { echo "cannot load ${entry} with production dependencies" >&2; exit 1; }; \
    done \
 && rm -rf /tmp/* /root/.npm \
 && mkdir -p /var/lib/aigw/outbox && chown 1000:1000 /var/lib/aigw/outbox
# Numeric, so that Kubernetes' runAsNonRoot can verify it. The app files stay root-owned and read-only to
# the process; /tmp and ingress's request-log outbox (a volume on /var/lib/aigw/outbox, created here owned by
# the process so that a fresh named volume takes that owner) are the only writable places it may need.
USER 1000:1000
EXPOSE 8080 50051 50052 50053 9464
ENTRYPOINT ["node", "--max-old-space-size=160", "--wasm-tiering-budget=2000000000"]

# Applies pending migrations to DATABASE_URL and exits (docker-compose `migrate`, the Kubernetes Job).
FROM app AS migrate
CMD ["libs/db/dist/migrate-main.js"]

# Default target: the services. Without a command it runs ingress.
FROM app AS runtime
CMD ["services/ingress/dist/main.js"]
