import { gatewayUrl } from '../../_lib/gateway/http';
import { fetchGatewayStatus } from './gateway-status';

export async function GatewayStatusLine() {
  const status = await fetchGatewayStatus();
  const url = gatewayUrl();
  return (
    <p className="text-sm" data-testid="gateway-status">
      <span className={`mr-2 inline-block h-2.5 w-2.5 rounded-full ${status.reachable ? 'bg-emerald-500' : 'bg-rose-500'}`} aria-hidden="true" />
      Gateway {status.reachable ? `${status.status} at ${url}` : `unreachable at ${url} (${status.reason})`}
    </p>
  );
}
