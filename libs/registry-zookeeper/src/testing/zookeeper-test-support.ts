import { RegistryError } from '@weir/broker-core';
import { randomBytes } from 'node:crypto';
import { ZooKeeperServer, type ZooKeeperServerHandle } from './zookeeper-server.js';

const available = ZooKeeperServer.available();

/** `describe`, or `describe.skip` with a loud message when ZooKeeper is not installed. */
export function describeWithZooKeeper(name: string, body: () => void): void {
  if (!available) {
    console.info(`${name}: skipped, ZooKeeper is not installed here: ${ZooKeeperServer.unavailableReason()}`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/** One ZooKeeper server for the enclosing describe block: started before, stopped after. */
export function zooKeeperServerPerFile(): () => ZooKeeperServerHandle {
  let server: ZooKeeperServerHandle | undefined;
  beforeAll(async () => {
    server = await ZooKeeperServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the ZooKeeper server has not started');
    return server;
  };
}

/** A chroot no other test file uses. */
export function freshChroot(prefix: string): string {
  return `/${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Runs `write`, retrying while ZooKeeper is unreachable from this client (CONNECTIONLOSS), up to a deadline. */
export async function retryWhileDisconnected<T>(write: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof RegistryError && err.code === 'CONNECTIONLOSS') || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
