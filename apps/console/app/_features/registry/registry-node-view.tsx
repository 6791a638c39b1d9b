import type { RegistryNodeData, RegistryStat } from '@weir/contracts';
import Link from 'next/link';
import { Badge } from '../../_components/badge';
import { Table, Td, Th } from '../../_components/table';
import { formatBytes, formatCount } from '../../_lib/format';
import { Timestamp } from '../settings/timestamp';
import { ancestorsOf, nameOf, prettyJson, registryHref } from './registry-path';

/** Data longer than this is cut until the user asks for all of it (a znode holds up to 1 MiB). */
export const DATA_PREVIEW_CHARS = 64 * 1024;

/** The selected znode: breadcrumb, ephemeral owner, data (JSON re-indented, always as text, never as HTML) and Stat. */
export function RegistryNodeView({ node, full }: { node: RegistryNodeData; full: boolean }) {
  return (
    <article aria-labelledby="znode-title" className="space-y-5">
      <Breadcrumb path={node.path} />
      <h2 id="znode-title" className="break-all font-mono text-lg font-semibold">{node.path}</h2>
      <EphemeralOwner node={node} />
      <NodeData node={node} full={full} />
      <StatTable path={node.path} stat={node.stat} />
    </article>
  );
}

function Breadcrumb({ path }: { path: string }) {
  const ancestors = ancestorsOf(path);
  return (
    <nav aria-label="Znode path" className="font-mono text-sm">
      <ol className="flex flex-wrap items-center gap-1">
        {ancestors.map((p, i) => (
          <li key={p} className="flex items-center gap-1">
            {i > 1 && <span aria-hidden="true">/</span>}
            {p === path ? (
              <span aria-current="page">{nameOf(p)}</span>
            ) : (
              <Link href={registryHref(p)} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">{nameOf(p)}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function EphemeralOwner({ node }: { node: RegistryNodeData }) {
  const owner = node.ephemeral_owner;
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="ephemeral-owner">
      <Badge tone={owner === null ? 'plain' : 'info'}>{owner === null ? 'persistent' : 'ephemeral'}</Badge>
      {owner === null ? (
        <span>No ephemeral owner: this znode outlives every session.</span>
      ) : (
        <span>
          Owned by session <span className="font-mono">{owner.session_id}</span>
          {owner.broker_id === null ? (
            ' (no registered broker holds this session)'
          ) : (
            <>
              {' '}of{' '}
              <Link href={`/brokers/${owner.broker_id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">broker {owner.broker_id}</Link>
            </>
          )}
        </span>
      )}
    </p>
  );
}

function NodeData({ node, full }: { node: RegistryNodeData; full: boolean }) {
  const bytes = node.stat.data_length;
  const text = node.data_text === null ? node.data_base64 : (prettyJson(node.data_text) ?? node.data_text);
  const truncated = !full && text.length > DATA_PREVIEW_CHARS;
  const kind = node.data_text === null ? 'binary, shown as base64' : prettyJson(node.data_text) !== undefined ? 'JSON' : 'text';
  return (
    <section aria-labelledby="znode-data" className="space-y-2">
      <h3 id="znode-data" className="text-base font-semibold">
        Data <span className="text-sm font-normal text-slate-600 dark:text-slate-400">({formatBytes(bytes)}{bytes > 0 ? `, ${kind}` : ''})</span>
      </h3>
      {bytes === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No data.</p>
      ) : (
        <pre tabIndex={0} aria-label={`Data of ${node.path}`} data-testid="znode-data" className="max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:border-slate-700 dark:bg-slate-900">
          {truncated ? text.slice(0, DATA_PREVIEW_CHARS) : text}
        </pre>
      )}
      {truncated && (
        <p className="text-sm">
          Showing the first {formatCount(DATA_PREVIEW_CHARS)} of {formatCount(text.length)} characters.{' '}
          <Link href={registryHref(node.path, { full: true })} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">Show all</Link>
        </p>
      )}
    </section>
  );
}

const STAT_ROWS: ReadonlyArray<readonly [keyof RegistryStat, string]> = [
  ['czxid', 'Created at zxid'], ['mzxid', 'Last data change at zxid'], ['pzxid', 'Last child change at zxid'],
  ['ctime', 'Created'], ['mtime', 'Last modified'], ['version', 'Data version'], ['cversion', 'Children version'],
  ['aversion', 'ACL version'], ['ephemeral_owner', 'Ephemeral owner (session)'], ['data_length', 'Data length (bytes)'], ['num_children', 'Children'],
];

function StatTable({ path, stat }: { path: string; stat: RegistryStat }) {
  return (
    <section aria-labelledby="znode-stat" className="space-y-2">
      <h3 id="znode-stat" className="text-base font-semibold">Stat</h3>
      <Table caption={`Stat of ${path}`}>
        <thead>
          <tr><Th>Field</Th><Th>Meaning</Th><Th numeric>Value</Th></tr>
        </thead>
        <tbody>
          {STAT_ROWS.map(([field, meaning]) => (
            <tr key={field}>
              <Td mono>{field}</Td>
              <Td>{meaning}</Td>
              <Td numeric mono>{field === 'ctime' || field === 'mtime' ? <Timestamp ms={stat[field]} /> : String(stat[field])}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
