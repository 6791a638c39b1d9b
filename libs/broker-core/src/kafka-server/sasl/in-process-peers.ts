import type { Socket } from 'node:net';
import { userPrincipal, type KafkaPrincipal } from '../../security/principal.js';

/**
 * The principal of broker-to-broker connections made inside one process (replica
 * fetchers, transaction markers, remote broker calls of a LocalCluster). The name holds a
 * character a user name cannot (`/`), so no user can take it; authorizers treat it as a
 * super user, as Kafka's inter-broker principal usually is.
 */
export const INTER_BROKER_PRINCIPAL: KafkaPrincipal = Object.freeze(userPrincipal('weir/broker'));

/**
 * How a listener recognises a connection this very process opened (kafka-client), so that
 * SASL and TLS apply to clients and not to the brokers of one LocalCluster talking to each
 * other. A TCP 4-tuple cannot be spoofed by another process while the socket holding it is
 * open, so the peer's address and port identify the in-process client.
 *
 * The listener may accept the connection before the client's own 'connect' callback has
 * recorded its local port; connects still pending to the listener's port are counted, and
 * the listener waits for them to settle before deciding (they settle within a loop turn or
 * two: the listener is there to take them).
 */
const peers = new Set<string>();
const pendingByPort = new Map<number, number>();
let waiters: Array<() => void> = [];

function endpointKey(address: string | undefined, port: number | undefined, towardsPort: number | undefined): string {
  const plain = address?.startsWith('::ffff:') === true ? address.slice(7) : address;
  return `${plain ?? '?'}:${port ?? '?'}>${towardsPort ?? '?'}`;
}

function settled(port: number): void {
  const n = (pendingByPort.get(port) ?? 1) - 1;
  if (n > 0) pendingByPort.set(port, n);
  else pendingByPort.delete(port);
  const run = waiters;
  waiters = [];
  for (const w of run) w();
}

/** Called by the in-process client right after `net.connect`, before any byte is sent. */
export function trackInProcessConnection(socket: Socket, port: number): void {
  pendingByPort.set(port, (pendingByPort.get(port) ?? 0) + 1);
  let key: string | undefined;
  let pending = true;
  socket.once('connect', () => {
    key = endpointKey(socket.localAddress, socket.localPort, socket.remotePort);
    peers.add(key);
    pending = false;
    settled(port);
  });
  socket.once('close', () => {
    if (key !== undefined) peers.delete(key);
    if (pending) {
      pending = false;
      settled(port);
    }
  });
}

/** Whether an accepted socket's peer is a client of this process; a promise only while connects to this port are pending. */
export function isInProcessPeer(socket: Socket): boolean | Promise<boolean> {
  // A connection to a local address comes from that same address: anything else is another host.
  if (socket.remoteAddress !== socket.localAddress) return false;
  const key = endpointKey(socket.remoteAddress, socket.remotePort, socket.localPort);
  const localPort = socket.localPort ?? -1;
  const decided = (): boolean | undefined => (peers.has(key) ? true : pendingByPort.has(localPort) ? undefined : false);
  const now = decided();
  if (now !== undefined) return now;
  return new Promise((resolve) => {
    const check = (): void => {
      const answer = decided();
      if (answer === undefined) waiters.push(check);
      else resolve(answer);
    };
    waiters.push(check);
  });
}

/**
 * The addresses this process's Kafka listeners are bound to, by port: how a broker's own
 * client knows that its peer is in this process (and so skips TLS and SASL, as that
 * listener will). No other process can hold the same port on the same (or a wildcard)
 * address while the listener is bound.
 */
const listenersByPort = new Map<number, Set<string>>();
const WILDCARD_ADDRESSES: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** Called by a listener once bound; the returned function forgets it (at close). */
export function registerInProcessListener(address: string, port: number): () => void {
  let addresses = listenersByPort.get(port);
  if (addresses === undefined) {
    addresses = new Set();
    listenersByPort.set(port, addresses);
  }
  addresses.add(address);
  return () => {
    addresses.delete(address);
    if (addresses.size === 0 && listenersByPort.get(port) === addresses) listenersByPort.delete(port);
  };
}

/** Whether a connected client socket reaches a listener of this process (decided on the connected addresses, not on names). */
export function reachesInProcessListener(socket: Socket): boolean {
  if (socket.remoteAddress === undefined || socket.remoteAddress !== socket.localAddress || socket.remotePort === undefined) return false;
  const addresses = listenersByPort.get(socket.remotePort);
  if (addresses === undefined) return false;
  const remote = socket.remoteAddress.startsWith('::ffff:') ? socket.remoteAddress.slice(7) : socket.remoteAddress;
  for (const bound of addresses) if (WILDCARD_ADDRESSES.has(bound) || bound === remote || bound === socket.remoteAddress) return true;
  return false;
}
