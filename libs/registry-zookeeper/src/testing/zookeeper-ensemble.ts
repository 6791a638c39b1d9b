import { ZooKeeperServer, freePort, type ZooKeeperServerHandle } from './zookeeper-server.js';

/**
 * An ensemble of ZooKeeper servers on 127.0.0.1 for tests (each as ZooKeeperServer, with
 * quorum and election ports of its own). `connectString` names every member, as a
 * production client would; `servers[i]` can be stopped and restarted on its own.
 */
export interface ZooKeeperEnsembleHandle {
  readonly connectString: string;
  readonly servers: readonly ZooKeeperServerHandle[];
  stop(): Promise<void>;
}

export const ZooKeeperEnsemble = {
  async start(size = 3): Promise<ZooKeeperEnsembleHandle> {
    const host = '127.0.0.1';
    const members: string[] = [];
    const clientPorts: number[] = [];
    for (let i = 0; i < size; i++) {
      members.push(`${host}:${await freePort(host)}:${await freePort(host)}`);
      clientPorts.push(await freePort(host));
    }
    // Members wait for a quorum before serving: start them together.
    const started = await Promise.allSettled(clientPorts.map((port, i) => ZooKeeperServer.start({ host, port, quorum: { myId: i + 1, members } })));
    const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(servers.map((s) => s.stop()));
      throw failed.reason;
    }
    return {
      connectString: servers.map((s) => s.connectString).join(','),
      servers,
      async stop() {
        await Promise.all(servers.map((s) => s.stop()));
      },
    };
  },
};
