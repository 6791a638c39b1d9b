import type { ConsumerGroupSort } from '@weir/contracts';

/** The groups list as the URL holds it: search, sort, the gateway's page token, and the tokens of pages before (for Previous). */
export interface GroupListState {
  readonly q: string;
  readonly sort: ConsumerGroupSort;
  readonly page: string | undefined;
  /** Tokens of the pages before this one, oldest first ("" for the first page). */
  readonly back: readonly string[];
}

export const GROUPS_PAGE_SIZE = 50;
const SORTS: readonly ConsumerGroupSort[] = ['name', 'lag_desc', 'lag_asc', 'members_desc'];

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseGroupListState(params: Record<string, string | string[] | undefined>): GroupListState {
  const sort = one(params.sort);
  const back = one(params.back);
  return {
    q: (one(params.q) ?? '').slice(0, 249),
    sort: SORTS.includes(sort as ConsumerGroupSort) ? (sort as ConsumerGroupSort) : 'name',
    page: one(params.page) || undefined,
    back: back === undefined || back === '' ? [] : back.split('.').slice(-50),
  };
}

/** The list's URL with some of its state changed; changing search or sort goes back to the first page. */
export function groupListHref(state: GroupListState, change: Partial<GroupListState>): string {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  if (next.q !== '') params.set('q', next.q);
  if (next.sort !== 'name') params.set('sort', next.sort);
  if (next.page !== undefined) params.set('page', next.page);
  if (next.back.length > 0) params.set('back', next.back.join('.'));
  const text = params.toString();
  return text === '' ? '/consumer-groups' : `/consumer-groups?${text}`;
}
