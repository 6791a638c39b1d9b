import { openZooKeeperRegistryStore } from './open-store.js';
import { registrySemanticsSuite } from '../../registry-prisma/src/testing/semantics-suite.js';
import { describeWithZooKeeper, freshChroot, zooKeeperServerPerFile } from './testing/zookeeper-test-support.js';

describeWithZooKeeper('registry semantics: ZooKeeper store', () => {
  const server = zooKeeperServerPerFile();
  const chroot = freshChroot('w12-semantics');
  const open = () => openZooKeeperRegistryStore({ url: `zookeeper://${server().connectString}${chroot}` });
  registrySemanticsSuite({ openStore: open, openPeerStore: open });
});
