import type { RegistryNodeData } from '@weir/contracts';
import Link from 'next/link';
import { ErrorNotice } from '../../_components/error-notice';
import { Panel } from '../../_components/panel';
import { getRegistryNode } from '../../_lib/gateway/registry';
import { GatewayError } from '../../_lib/gateway/http';
import { RegistryNodeView } from './registry-node-view';
import { ancestorsOf, registryHref, type RegistryView } from './registry-path';
import { RegistryTree } from './registry-tree';

/** Children listed per expanded znode in the tree; "More children…" pages on. */
const TREE_CHILDREN = 100;

/**
 * The registry browser: the tree expanded along the selected path (one read per
 * ancestor, in parallel) beside the selected znode. An unknown or invalid path in the
 * URL is said as such, with the way back to the root.
 */
export async function RegistryBrowser({ view }: { view: RegistryView }) {
  let nodes: RegistryNodeData[];
  try {
    nodes = await Promise.all(
      ancestorsOf(view.path).map((p) => getRegistryNode(p, { childrenLimit: TREE_CHILDREN, childrenAfter: p === view.path ? view.after : undefined })),
    );
  } catch (err) {
    if (!(err instanceof GatewayError) || (err.status !== 404 && err.status !== 400)) throw err;
    return (
      <div className="space-y-3">
        <ErrorNotice title={err.status === 404 ? 'No such znode' : 'Not a valid znode path'} message={err.message} code={err.errorCode} />
        <Link href={registryHref('/')} className="text-sm text-sky-700 underline underline-offset-2 dark:text-sky-400">Back to the root</Link>
      </div>
    );
  }
  const selected = nodes[nodes.length - 1] as RegistryNodeData;
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(16rem,1fr)_2fr]">
      <Panel title="Tree">
        {view.after !== undefined && (
          <p className="mb-2 text-sm">
            Children of {view.path} after “{view.after}”.{' '}
            <Link href={registryHref(view.path)} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">From the first</Link>
          </p>
        )}
        <RegistryTree nodes={nodes} selected={view.path} />
      </Panel>
      <Panel>
        <RegistryNodeView node={selected} full={view.full} />
      </Panel>
    </div>
  );
}
