import { parseReassignForm, parseReplicaList } from './reassign-input';

const partitions = [
  { partition_id: 0, replica_ids: [1, 2] },
  { partition_id: 1, replica_ids: [2, 3] },
];

describe('parseReplicaList', () => {
  it('reads ids separated by commas or spaces', () => {
    expect(parseReplicaList(' 3, 1  2')).toEqual([3, 1, 2]);
  });

  it('names what is not a broker id', () => {
    expect(parseReplicaList('1, two')).toBe('"two" is not a broker id');
    expect(parseReplicaList(' ,')).toBe('Give at least one broker id');
  });
});

describe('parseReassignForm', () => {
  it('sends only the partitions whose replicas changed', () => {
    expect(parseReassignForm(partitions, { 0: '1, 2', 1: '3, 1' })).toEqual({ ok: true, request: { partitions: [{ partition_id: 1, replicas: [3, 1] }] } });
  });

  it('treats a new order as a change (it moves the preferred leader)', () => {
    expect(parseReassignForm(partitions, { 0: '2 1' })).toEqual({ ok: true, request: { partitions: [{ partition_id: 0, replicas: [2, 1] }] } });
  });

  it('refuses a broker given twice with the gateway schema, against its partition', () => {
    expect(parseReassignForm(partitions, { 1: '3, 3' })).toEqual({ ok: false, errors: { 1: 'a broker may appear only once' }, message: undefined });
  });

  it('reports unparsable input per partition, and a form with no change', () => {
    expect(parseReassignForm(partitions, { 0: 'x' })).toEqual({ ok: false, errors: { 0: '"x" is not a broker id' } });
    expect(parseReassignForm(partitions, { 0: '1,2' })).toEqual({ ok: false, errors: {}, message: 'No partition has new replicas' });
  });
});
