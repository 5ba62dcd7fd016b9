# One image for every nrm-flow service and the web console; SERVICE picks which one runs
# (catch-up: routing, province, notifications and oversight in one process, for a small machine).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash tools/prisma.sh generate && npm run build

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HTTP_HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
# The console's templates and browser assets are served as they are.
COPY apps/console/views ./apps/console/views
COPY apps/console/public ./apps/console/public
USER node
ARG SERVICE=intake
ENV SERVICE=${SERVICE}
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/src/main.js"]
