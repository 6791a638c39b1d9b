import type { NextConfig } from 'next';

const gatewayUrl = process.env.WEIR_GATEWAY_URL ?? 'http://127.0.0.1:8082';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The console talks only to the gateway; the browser reaches it through this proxy so
  // that one origin serves both and no CORS configuration is needed.
  async rewrites() {
    return [{ source: '/gateway/:path*', destination: `${gatewayUrl}/:path*` }];
  },
};

export default config;
