import { describeChange, reviewDraft, reviewReset, type ConfigRow } from './config-change';

const retention: ConfigRow = { name: 'retention.ms', value: '604800000', isDefault: true, isSensitive: false };
const policy: ConfigRow = { name: 'cleanup.policy', value: 'compact', isDefault: false, isSensitive: false };

describe('config edit review', () => {
  it('turns a new value into a set, trimmed, with the old value for the diff', () => {
    const review = reviewDraft(retention, ' 3600000 ');
    expect(review).toEqual({ ok: true, change: { kind: 'set', name: 'retention.ms', from: '604800000', to: '3600000', wasDefault: true } });
    expect(review.ok && describeChange(review.change)).toBe('retention.ms: 604800000 (default) → 3600000');
  });

  it('refuses an empty or unchanged value, pointing at reset for an override', () => {
    expect(reviewDraft(retention, '  ')).toEqual({ ok: false, reason: 'Enter a value.' });
    expect(reviewDraft(policy, '')).toEqual({ ok: false, reason: 'Enter a value, or use Reset to go back to the default.' });
    expect(reviewDraft(policy, 'compact ')).toEqual({ ok: false, reason: 'cleanup.policy is already compact.' });
  });

  it('resets overrides only', () => {
    const review = reviewReset(policy);
    expect(review.ok && describeChange(review.change)).toBe('cleanup.policy: compact → the default');
    expect(reviewReset(retention)).toEqual({ ok: false, reason: 'retention.ms already has its default.' });
  });

  it('never shows a sensitive value, and lets it be set to what it may already be', () => {
    const secret: ConfigRow = { name: 'some.secret', value: null, isDefault: false, isSensitive: true };
    const review = reviewDraft(secret, 'x');
    expect(review.ok && describeChange(review.change)).toBe('some.secret: (hidden) → x');
  });
});
