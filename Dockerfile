# One image for every AIGateway process; the command picks which one runs:
#   docker run aigateway services/selector/src/main.ts      (selector | auth | provider-call | logging | ingress)
#   docker run aigateway libs/db/src/migrate-main.ts         (or build `--target migrate`)
#   docker run aigateway tools/emulators/src/main.ts         (local stacks only)
# Processes run from TypeScript sources exactly as everywhere else: `node --conditions=aigw-source --import tsx`.
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

# Every dependency, dev tools included; only tsx and its esbuild are taken from here.
# Install scripts are skipped: nothing at runtime needs them (Prisma 7 runs its query compiler as WASM and the
# project's own migrator needs no schema engine), and the build then needs the npm registry only.
FROM base AS deps-full
COPY --from=manifests /app/ ./
RUN npm ci --ignore-scripts

# Production dependencies plus tsx: tsx is a root devDependency, yet it is how every process starts, so it
# (with the esbuild binary it drives) is put back after the dev tools are pruned.
FROM deps-full AS deps
RUN npm prune --omit=dev --ignore-scripts
COPY --from=deps-full /app/node_modules/tsx ./node_modules/tsx
COPY --from=deps-full /app/node_modules/esbuild ./node_modules/esbuild
COPY --from=deps-full /app/node_modules/@esbuild ./node_modules/@esbuild

FROM base AS app
ENV NODE_ENV=production
COPY --from=deps /app/ ./
COPY . .
# Fails the build when a process imports something the pruned install lacks (a dev-only package): each
# service's server module, the migrator, the demo seed and the emulators are loaded without starting anything.
RUN for entry in services/*/src/server.ts libs/db/src/migrator.ts tools/dev/src/seed.ts tools/emulators/src/index.ts; do \
      node --conditions=aigw-source --import tsx --input-type=module -e "await import('./${entry}')" \
      || { echo "cannot load ${entry} with production dependencies" >&2; exit 1; }; \
    done \
 && rm -rf /tmp/* /root/.npm
# Numeric, so that Kubernetes' runAsNonRoot can verify it. The app files stay root-owned and read-only to
# the process; tsx keeps its transform cache in /tmp, the only writable place it needs.
USER 1000:1000
EXPOSE 8080 50051 50052 50053 9464
ENTRYPOINT ["node", "--conditions=aigw-source", "--import", "tsx"]

# Applies pending migrations to DATABASE_URL and exits (docker-compose `migrate`, the Kubernetes Job).
FROM app AS migrate
CMD ["libs/db/src/migrate-main.ts"]

# Default target: the services. Without a command it runs ingress.
FROM app AS runtime
CMD ["services/ingress/src/main.ts"]
