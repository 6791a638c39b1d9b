/** Where the console's server side reaches the gateway (the browser goes through /gateway). */
export const GATEWAY_URL = process.env.WEIR_GATEWAY_URL ?? 'http://127.0.0.1:8082';

export type GatewayStatus = { reachable: true; status: string } | { reachable: false; reason: string };

export async function fetchGatewayStatus(gatewayUrl: string = GATEWAY_URL): Promise<GatewayStatus> {
  try {
    const res = await fetch(`${gatewayUrl}/readyz`, { cache: 'no-store', signal: AbortSignal.timeout(2000) });
    if (!res.ok) return { reachable: false, reason: `HTTP ${res.status}` };
    const body = (await res.json()) as { status?: unknown };
    return { reachable: true, status: String(body.status ?? 'unknown') };
  } catch (err) {
    return { reachable: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
