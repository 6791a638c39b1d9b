import { describe, expect, it } from '@jest/globals';
import { cancelledReassignment, completedReassignment, invalidTarget, isReassigning, originalReplicas, planReassignment, targetReplicas } from './reassignment.js';

describe('reassignment arithmetic (KIP-455)', () => {
  it('keeps target and original recoverable from replicas, adding and removing', () => {
    const plan = planReassignment({ replicas: [1, 2, 3], adding: [], removing: [] }, [3, 4, 5]);
    expect(plan).toEqual({ replicas: [3, 4, 5, 1, 2], adding: [4, 5], removing: [1, 2] });
    expect(targetReplicas(plan)).toEqual([3, 4, 5]);
    expect(originalReplicas(plan)).toEqual([3, 1, 2]);
    expect(isReassigning(plan)).toBe(true);
    expect(completedReassignment(plan)).toEqual({ replicas: [3, 4, 5], adding: [], removing: [] });
    expect(cancelledReassignment(plan)).toEqual({ replicas: [3, 1, 2], adding: [], removing: [] });
  });

  it('replans relative to the original replicas when a reassignment is replaced', () => {
    const first = planReassignment({ replicas: [1, 2], adding: [], removing: [] }, [3, 4]);
    expect(planReassignment(first, [2, 5])).toEqual({ replicas: [2, 5, 1], adding: [5], removing: [1] });
  });

  it('refuses empty, duplicated and unknown targets', () => {
    const registered = (id: number) => id <= 3;
    expect(invalidTarget([], registered)).toMatch(/empty/);
    expect(invalidTarget([1, 1], registered)).toMatch(/duplicates/);
    expect(invalidTarget([1, 9], registered)).toMatch(/Unknown broker ids.*9/);
    expect(invalidTarget([3, 1], registered)).toBeUndefined();
  });
});
