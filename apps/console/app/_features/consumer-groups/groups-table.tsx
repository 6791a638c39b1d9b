import Form from 'next/form';
import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { listConsumerGroups } from '../../_lib/gateway/consumer-groups';
import { GroupStateBadge } from './group-state-badge';
import { GROUPS_PAGE_SIZE, groupListHref, type GroupListState } from './group-list-state';

const linkClass = 'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/** One page of groups as the gateway pages, searches and sorts them. */
export async function GroupsTable({ state }: { state: GroupListState }) {
  const list = await listConsumerGroups({ search: state.q || undefined, sort: state.sort, pageToken: state.page, pageSize: GROUPS_PAGE_SIZE });
  const nextToken = list.metadata.next === null ? null : new URL(list.metadata.next).searchParams.get('page_token');
  const previous = state.back.length === 0 ? null : { page: state.back.at(-1) || undefined, back: state.back.slice(0, -1) };
  const lagSort = state.sort === 'lag_desc' ? 'lag_asc' : 'lag_desc';
  return (
    <div className="space-y-4">
      <Table caption="Consumer groups">
        <thead>
          <tr>
            <Th>Group</Th>
            <Th>State</Th>
            <Th numeric>Members</Th>
            <Th>Protocol</Th>
            <th scope="col" aria-sort={state.sort === 'lag_desc' ? 'descending' : state.sort === 'lag_asc' ? 'ascending' : 'none'} className="border-b border-slate-200 px-3 py-2 text-right font-medium text-slate-600 dark:border-slate-700 dark:text-slate-300">
              <Link href={groupListHref(state, { sort: lagSort, page: undefined, back: [] })} className="hover:underline" aria-label={`Sort by total lag, ${lagSort === 'lag_desc' ? 'largest' : 'smallest'} first`}>
                Total lag <span aria-hidden="true">{state.sort === 'lag_desc' ? '▼' : state.sort === 'lag_asc' ? '▲' : '↕'}</span>
              </Link>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.length === 0 && <EmptyRow colSpan={5}>{state.q ? `No group id contains "${state.q}".` : 'No consumer groups yet.'}</EmptyRow>}
          {list.data.map((g) => (
            <tr key={g.consumer_group_id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <Td>
                <Link href={`/consumer-groups/${encodeURIComponent(g.consumer_group_id)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {g.consumer_group_id}
                </Link>
              </Td>
              <Td><GroupStateBadge state={g.state} /></Td>
              <Td numeric>{g.members_count}</Td>
              <Td>{g.is_simple ? 'simple' : `${g.protocol_type}${g.partition_assignor ? ` / ${g.partition_assignor}` : ''}`}</Td>
              <Td numeric>{g.total_lag.toLocaleString('en-US')}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <nav aria-label="Consumer group pages" className="flex items-center justify-between text-sm">
        <p className="text-slate-600 dark:text-slate-400">
          {list.metadata.total_size} group{list.metadata.total_size === 1 ? '' : 's'} · page {state.back.length + 1} of {Math.max(1, Math.ceil(list.metadata.total_size / GROUPS_PAGE_SIZE))}
        </p>
        <div className="flex gap-2">
          {previous !== null && <Link href={groupListHref(state, previous)} className={linkClass} rel="prev">Previous</Link>}
          {nextToken !== null && (
            <Link href={groupListHref(state, { page: nextToken, back: [...state.back, state.page ?? ''] })} className={linkClass} rel="next">Next</Link>
          )}
        </div>
      </nav>
    </div>
  );
}

/** A GET form: works without JavaScript, and navigates client-side with it. */
export function GroupsSearch({ state }: { state: GroupListState }) {
  return (
    <Form action="/consumer-groups" role="search" className="flex items-end gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor="group-search" className="text-sm font-medium">Search groups</label>
        <input
          id="group-search" name="q" type="search" defaultValue={state.q} placeholder="id contains…"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      {state.sort !== 'name' && <input type="hidden" name="sort" value={state.sort} />}
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Search</button>
    </Form>
  );
}
