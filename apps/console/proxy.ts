import { NextResponse, type NextRequest } from 'next/server';
import { forwardedProto, gatewayUrl, PATH_HEADER } from './app/_lib/gateway/forwarding';

/**
 * `/gateway/*` is the gateway, seen from the browser: HTTP requests and the `/live`
 * WebSocket upgrade are forwarded to WEIR_GATEWAY_URL. A proxy (not a next.config
 * rewrite) because rewrites are fixed at build time; this reads the address when the
 * console runs, so one build serves any gateway.
 *
 * The browser's cookies go up and the gateway's Set-Cookie comes back unchanged, so a
 * login posted here sets the session on the console's origin. Added on the way up:
 * `x-weir-console` (the audit log's door) and `x-forwarded-proto` (the gateway marks its
 * cookies Secure when the browser is on TLS).
 *
 * Every other request (the pages) only gets `x-weir-path`, the path it asked for, so a
 * page whose session has ended can send the browser to /login and back here afterwards.
 */
export function proxy(request: NextRequest) {
  const forwarded = new Headers(request.headers);
  const { pathname, search } = request.nextUrl;
  if (pathname !== '/gateway' && !pathname.startsWith('/gateway/')) {
    forwarded.set(PATH_HEADER, `${pathname}${search}`);
    return NextResponse.next({ request: { headers: forwarded } });
  }
  forwarded.set('x-weir-console', '1');
  forwarded.set('x-forwarded-proto', request.headers.has('x-forwarded-proto') ? forwardedProto(request.headers) : request.nextUrl.protocol.replace(':', ''));
  const path = pathname.slice('/gateway'.length) || '/';
  return NextResponse.rewrite(new URL(`${path}${search}`, gatewayUrl()), { request: { headers: forwarded } });
}

// Everything but Next's own static files.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
