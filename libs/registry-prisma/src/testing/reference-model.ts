import type { CreateMode } from '@weir/broker-core';

/** A deliberately plain model of ZooKeeper's tree, the oracle for the property test. */
export interface ModelNode {
  data: string;
  version: number;
  cversion: number;
  owner: number;
}

export type ModelOp =
  | { kind: 'create'; path: string; data: string; mode: CreateMode }
  | { kind: 'delete'; path: string; version: number }
  | { kind: 'setData'; path: string; data: string; version: number }
  | { kind: 'check'; path: string; version: number };

export type ModelResult = { ok: true; value: string | number | null } | { ok: false; code: string; index?: number };

export class ReferenceModel {
  nodes = new Map<string, ModelNode>();

  constructor(root: string) {
    this.nodes.set(root, { data: '', version: 0, cversion: 0, owner: 0 });
  }

  children(path: string): string[] {
    const prefix = `${path}/`;
    return [...this.nodes.keys()].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length)).sort();
  }

  apply(op: ModelOp, sessionId: number): ModelResult {
    const parent = op.path.slice(0, op.path.lastIndexOf('/'));
    const node = this.nodes.get(op.path);
    switch (op.kind) {
      case 'create': {
        const p = this.nodes.get(parent);
        if (p === undefined) return { ok: false, code: 'NONODE' };
        const path = op.mode.endsWith('SEQUENTIAL') ? op.path + String(p.cversion).padStart(10, '0') : op.path;
        if (this.nodes.has(path)) return { ok: false, code: 'NODEEXISTS' };
        if (p.owner !== 0) return { ok: false, code: 'NOCHILDRENFOREPHEMERALS' };
        p.cversion++;
        this.nodes.set(path, { data: op.data, version: 0, cversion: 0, owner: op.mode.startsWith('EPHEMERAL') ? sessionId : 0 });
        return { ok: true, value: path };
      }
      case 'delete': {
        if (node === undefined) return { ok: false, code: 'NONODE' };
        if (op.version !== -1 && op.version !== node.version) return { ok: false, code: 'BADVERSION' };
        if (this.children(op.path).length > 0) return { ok: false, code: 'NOTEMPTY' };
        this.nodes.delete(op.path);
        this.nodes.get(parent)!.cversion++;
        return { ok: true, value: null };
      }
      case 'setData': {
        if (node === undefined) return { ok: false, code: 'NONODE' };
        if (op.version !== -1 && op.version !== node.version) return { ok: false, code: 'BADVERSION' };
        node.data = op.data;
        node.version++;
        return { ok: true, value: node.version };
      }
      case 'check': {
        if (node === undefined) return { ok: false, code: 'NONODE' };
        if (op.version !== -1 && op.version !== node.version) return { ok: false, code: 'BADVERSION' };
        return { ok: true, value: null };
      }
    }
  }

  /** All or nothing: on failure the model is restored and the failing index reported. */
  multi(ops: readonly ModelOp[], sessionId: number): ModelResult {
    const saved = new Map([...this.nodes].map(([k, v]) => [k, { ...v }]));
    for (let i = 0; i < ops.length; i++) {
      const r = this.apply(ops[i]!, sessionId);
      if (!r.ok) {
        this.nodes = saved;
        return { ok: false, code: r.code, index: i };
      }
    }
    return { ok: true, value: ops.length };
  }
}
