# syntax=docker/dockerfile:1
#
# One image per function, and one for the migration Job, from the same build:
#
#   docker build --build-arg FUNCTION=create-booking -t <registry>/create-booking .
#   docker build --target migrate -t <registry>/migrate .
#
# FUNCTION is a folder of functions/ (scripts/build.ts functionNames()); scripts/deploy passes it.
# The bundle knows the target it registers with the Functions Framework: defineHttpFunction
# (functions/core/function.ts) derives it from the name, so no other file keeps it. A function's bundle is self-contained (dependencies and SQL
# inside, no node_modules), so the runtime image holds Node and that one folder.

# Node 22 (maintenance LTS; Node 20 left upstream support on 2026-04-30). CI stays on the
# machine's Node 20, which package.json's engines still allow: the code runs on both. Pinned to
# an exact release here; scripts/deploy resolves this tag's digest in the registry when it
# builds and passes NODE_IMAGE=<tag>@sha256:<digest>, so every image of one deploy is built on
# the same bytes, and it prints the digest. A digest is never written here by hand.
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# --- build: every function's bundle and the migration entry --------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
# .dockerignore lets in only what the build reads (sources, SQL, scripts).
COPY . .
# No ARG above this line changes, so the seven function images share this layer.
RUN npm run build

# --- the one bundle FUNCTION names --------------------------------------------------------
FROM build AS function-bundle
ARG FUNCTION
RUN set -eu; \
    available="$(ls dist/functions | tr '\n' ' ')"; \
    if [ -z "${FUNCTION:-}" ] || [ ! -f "dist/functions/${FUNCTION}/index.js" ]; then \
      echo "Pass --build-arg FUNCTION=<name>, one of: ${available}" >&2; exit 1; \
    fi

# --- what every runtime image starts from -----------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# Nothing installs packages at run time: drop npm, npx, corepack and yarn (and their CVEs).
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
      /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
# The image's `node` user, by number so Kubernetes can check runAsNonRoot. The files below stay
# owned by root: the process can read its code but not change it.
USER 1000:1000

# --- the migration Job: node index.js [--seed]; DATABASE_OWNER_URL, SEED_DEMO=true ------------
FROM runtime AS migrate
COPY --from=build /src/dist/migrate/ ./
CMD ["node", "index.js"]

# --- a function (the default target): listens on $PORT, 8080 unless Knative says otherwise ----
FROM runtime AS function
ARG FUNCTION
COPY --from=function-bundle /src/dist/functions/${FUNCTION}/ ./
ENV PORT=8080
LABEL org.opencontainers.image.title="clinic-booking ${FUNCTION}"
EXPOSE 8080
CMD ["node", "index.js"]
