import Link from 'next/link';
import { getCluster } from '../../_lib/gateway/clusters';
import { gatewayUrl } from '../../_lib/gateway/http';

/** The gateway's API version, from its OpenAPI document; null when it cannot be read. */
async function gatewayVersion(): Promise<string | null> {
  try {
    const res = await fetch(`${gatewayUrl()}/openapi.json`, { cache: 'no-store', signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
    const body = (await res.json()) as { info?: { version?: unknown } };
    return typeof body.info?.version === 'string' ? body.info.version : null;
  } catch {
    return null;
  }
}

/** Read-only: where this console's gateway is, which cluster it serves, and its version. */
export async function GatewayFacts() {
  const [cluster, version] = await Promise.all([getCluster().catch(() => null), gatewayVersion()]);
  const row = 'grid grid-cols-[12rem_1fr] gap-2 py-1.5';
  return (
    <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
      <div className={row}>
        <dt className="text-slate-600 dark:text-slate-400">Gateway address</dt>
        <dd className="font-mono" data-testid="settings-gateway-url">{gatewayUrl()}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600 dark:text-slate-400">Cluster id</dt>
        <dd className="font-mono" data-testid="settings-cluster-id">{cluster?.cluster_id ?? 'unreachable'}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600 dark:text-slate-400">API version</dt>
        <dd className="font-mono">{version ?? 'unknown'}</dd>
      </div>
      <div className={row}>
        <dt className="text-slate-600 dark:text-slate-400">Broker settings</dt>
        <dd>
          Fixed at the gateway&apos;s start; each broker&apos;s page lists them (<Link href="/brokers" className="text-sky-700 underline dark:text-sky-400">Brokers</Link>).
        </dd>
      </div>
    </dl>
  );
}
