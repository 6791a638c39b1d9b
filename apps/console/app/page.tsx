import { fetchGatewayStatus, GATEWAY_URL } from './_components/gateway-status';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const status = await fetchGatewayStatus();
  return (
    <section aria-labelledby="overview-title" className="space-y-6">
      <h1 id="overview-title" className="text-2xl font-semibold">
        Overview
      </h1>
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 className="text-sm font-medium text-slate-500 dark:text-slate-400">Gateway</h2>
        {status.reachable ? (
          <p className="mt-1 text-lg" data-testid="gateway-status">
            <span className="mr-2 inline-block h-2.5 w-2.5 rounded-full bg-emerald-500" aria-hidden="true" />
            {status.status} at {GATEWAY_URL}
          </p>
        ) : (
          <p className="mt-1 text-lg" data-testid="gateway-status">
            <span className="mr-2 inline-block h-2.5 w-2.5 rounded-full bg-rose-500" aria-hidden="true" />
            unreachable at {GATEWAY_URL} ({status.reason})
          </p>
        )}
      </div>
    </section>
  );
}
