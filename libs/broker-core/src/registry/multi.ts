import { validateData, validatePath } from './path.js';
import { RegistryError, type MultiErrorResult } from './registry-error.js';
import type { TreeTxn } from './tree-txn.js';
import { isEphemeral, isSequential, type Op, type OpResult } from './types.js';

/** Argument checks shared by the single-op methods and multi: BADARGUMENTS, nothing persisted. */
export function validateOp(op: Op): void {
  switch (op.type) {
    case 'create': {
      const mode = op.mode ?? 'PERSISTENT';
      validatePath(op.path, isSequential(mode));
      validateData(op.path, op.data ?? new Uint8Array(0));
      if (isEphemeral(mode) && (op.sessionId === undefined || !Number.isSafeInteger(op.sessionId) || op.sessionId <= 0)) {
        throw new RegistryError('BADARGUMENTS', op.path, `${mode} needs the id of a live session`);
      }
      return;
    }
    case 'delete':
    case 'check':
      validatePath(op.path);
      return;
    case 'setData':
      validatePath(op.path);
      validateData(op.path, op.data);
      return;
    default: {
      const never: never = op;
      throw new RegistryError('BADARGUMENTS', undefined, `unknown op ${JSON.stringify(never)}`);
    }
  }
}

export function runOp(txn: TreeTxn, op: Op): OpResult {
  switch (op.type) {
    case 'create':
      return { type: 'create', path: txn.create(op.path, op.data ?? new Uint8Array(0), op.mode ?? 'PERSISTENT', op.sessionId) };
    case 'delete':
      txn.delete(op.path, op.version ?? -1);
      return { type: 'delete' };
    case 'setData':
      return { type: 'setData', stat: txn.setData(op.path, op.data, op.version ?? -1) };
    case 'check':
      txn.check(op.path, op.version);
      return { type: 'check' };
    default: {
      const never: never = op;
      throw new RegistryError('BADARGUMENTS', undefined, `unknown op ${JSON.stringify(never)}`);
    }
  }
}

/** Wraps the failure of op `index` into ZooKeeper's multi error with per-op results. */
export function failMulti(err: unknown, index: number, count: number): unknown {
  if (!(err instanceof RegistryError) || err.code === 'SESSIONEXPIRED') return err;
  const results: MultiErrorResult[] = [];
  for (let i = 0; i < count; i++) {
    results.push({ type: 'error', err: i < index ? 'OK' : i === index ? err.code : 'RUNTIMEINCONSISTENCY' });
  }
  return new RegistryError(err.code, err.path, `multi op ${index} failed${err.message ? ` (${err.message})` : ''}`, results);
}
