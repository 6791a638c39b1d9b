# One image runs the gateway and the console (`npm start`).
FROM node:20-bookworm-slim
WORKDIR /weir
ENV NEXT_TELEMETRY_DISABLED=1 WEIR_HOST=0.0.0.0 WEIR_DATA_DIR=/var/lib/weir
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN (npm ci --strict-allow-scripts || npm install --strict-allow-scripts) && npm run build
EXPOSE 8082 9092 3000
VOLUME /var/lib/weir
CMD ["node", "scripts/start.mjs"]
