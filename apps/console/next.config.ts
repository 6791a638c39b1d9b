import type { NextConfig } from 'next';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  // Builds that must not share one output (parallel test runs) each name their own.
  distDir: process.env.WEIR_CONSOLE_DIST_DIR ?? '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
};

export default config;
