import { gatewayUrl } from '../../_lib/gateway/http';

export type GatewayStatus = { reachable: true; status: string } | { reachable: false; reason: string };

export async function fetchGatewayStatus(baseUrl: string = gatewayUrl()): Promise<GatewayStatus> {
  try {
    const res = await fetch(`${baseUrl}/readyz`, { cache: 'no-store', signal: AbortSignal.timeout(2000) });
    if (!res.ok) return { reachable: false, reason: `HTTP ${res.status}` };
    const body = (await res.json()) as { status?: unknown };
    return { reachable: true, status: String(body.status ?? 'unknown') };
  } catch (err) {
    return { reachable: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
