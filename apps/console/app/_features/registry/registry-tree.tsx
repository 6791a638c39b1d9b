import type { RegistryNodeData } from '@weir/contracts';
import Link from 'next/link';
import { childPathOf, nameOf, registryHref } from './registry-path';

/**
 * The znode tree as a nested list of links, expanded along the selected path: each
 * ancestor lists one page of its children, and following a link selects (and so
 * expands) that znode. Lazy by construction: only the znodes on the path are read.
 * Keyboard use is the browser's own (Tab through links); an expanded znode carries
 * aria-expanded, and its "collapse" link selects its parent.
 */
export function RegistryTree({ nodes, selected }: { nodes: readonly RegistryNodeData[]; selected: string }) {
  const root = nodes[0];
  return (
    <nav aria-label="Registry tree" className="text-sm">
      {root === undefined ? null : (
        <ul className="space-y-0.5 font-mono">
          <TreeItem node={root} nodes={nodes} depth={0} selected={selected} />
        </ul>
      )}
    </nav>
  );
}

function TreeItem({ node, nodes, depth, selected }: { node: RegistryNodeData; nodes: readonly RegistryNodeData[]; depth: number; selected: string }) {
  const next = nodes[depth + 1];
  const isSelected = node.path === selected;
  const hasChildren = node.stat.num_children > 0;
  const parent = node.path === '/' ? undefined : node.path.slice(0, node.path.lastIndexOf('/')) || '/';
  const shown = node.children.data;
  const lastShown = shown[shown.length - 1];
  return (
    <li>
      <span className="flex items-center gap-1">
        <span aria-hidden="true" className="w-3 text-slate-500">{hasChildren ? '▾' : '·'}</span>
        <NodeLink path={node.path} label={nameOf(node.path)} current={isSelected} expanded={hasChildren ? true : undefined} />
        {parent !== undefined && hasChildren && (
          <Link href={registryHref(parent)} aria-label={`Collapse ${node.path}`} className="ml-1 rounded px-1 text-xs text-slate-600 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-400">
            collapse
          </Link>
        )}
      </span>
      {shown.length > 0 && (
        <ul className="ml-4 space-y-0.5 border-l border-slate-200 pl-2 dark:border-slate-700">
          {shown.map((name) => {
            const path = childPathOf(node.path, name);
            if (next !== undefined && next.path === path) return <TreeItem key={name} node={next} nodes={nodes} depth={depth + 1} selected={selected} />;
            return (
              <li key={name} className="flex items-center gap-1">
                <span aria-hidden="true" className="w-3 text-slate-500">▸</span>
                <NodeLink path={path} label={name} current={false} />
              </li>
            );
          })}
          {node.children.metadata.next !== null && lastShown !== undefined && (
            <li>
              <Link href={registryHref(node.path, { after: lastShown })} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                More children of {nameOf(node.path)}…
              </Link>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

function NodeLink({ path, label, current, expanded }: { path: string; label: string; current: boolean; expanded?: boolean }) {
  return (
    <Link
      href={registryHref(path)}
      aria-current={current ? 'page' : undefined}
      aria-expanded={expanded}
      className={`truncate rounded px-1 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 ${
        current ? 'bg-sky-100 font-semibold text-sky-900 dark:bg-sky-900 dark:text-sky-100' : 'text-slate-800 hover:underline dark:text-slate-200'
      }`}
    >
      {label}
    </Link>
  );
}
