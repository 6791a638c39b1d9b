import { NextResponse, type NextRequest } from 'next/server';
import { gatewayUrl } from './app/_lib/gateway/http';

/**
 * `/gateway/*` is the gateway, seen from the browser: HTTP requests and the `/live`
 * WebSocket upgrade are forwarded to WEIR_GATEWAY_URL. A proxy (not a next.config
 * rewrite) because rewrites are fixed at build time; this reads the address when the
 * console runs, so one build serves any gateway.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname.slice('/gateway'.length) || '/';
  return NextResponse.rewrite(new URL(`${path}${request.nextUrl.search}`, gatewayUrl()));
}

export const config = { matcher: '/gateway/:path*' };
