/**
 * A config edit as the editor reviews it before anything reaches the gateway: the change
 * it would make (a diff, old -> new), or why it is not worth asking for. The config's
 * own rules (types, ranges, allowed values such as cleanup.policy's) are the broker's:
 * the editor checks a reviewed change with the gateway's validate_only dry run, so the
 * console never keeps a second copy of them that could drift.
 */
export interface ConfigRow {
  readonly name: string;
  readonly value: string | null;
  readonly isDefault: boolean;
  readonly isSensitive: boolean;
}

export type ConfigChange =
  | { readonly kind: 'set'; readonly name: string; readonly from: string | null; readonly to: string; readonly wasDefault: boolean }
  | { readonly kind: 'reset'; readonly name: string; readonly from: string | null };

export type DraftReview = { readonly ok: true; readonly change: ConfigChange } | { readonly ok: false; readonly reason: string };

/** The change a draft value makes: trimmed (as the broker reads it); empty or unchanged drafts are refused. */
export function reviewDraft(config: ConfigRow, draft: string): DraftReview {
  const to = draft.trim();
  if (to === '') return { ok: false, reason: config.isDefault ? 'Enter a value.' : 'Enter a value, or use Reset to go back to the default.' };
  if (!config.isSensitive && to === config.value) return { ok: false, reason: `${config.name} is already ${to}.` };
  return { ok: true, change: { kind: 'set', name: config.name, from: config.isSensitive ? null : config.value, to, wasDefault: config.isDefault } };
}

/** Resetting is only a change for an override. */
export function reviewReset(config: ConfigRow): DraftReview {
  if (config.isDefault) return { ok: false, reason: `${config.name} already has its default.` };
  return { ok: true, change: { kind: 'reset', name: config.name, from: config.isSensitive ? null : config.value } };
}

/** The diff in words, for the confirmation and for screen readers. */
export function describeChange(change: ConfigChange): string {
  const from = change.from ?? '(hidden)';
  return change.kind === 'set'
    ? `${change.name}: ${from}${change.wasDefault ? ' (default)' : ''} → ${change.to}`
    : `${change.name}: ${from} → the default`;
}
