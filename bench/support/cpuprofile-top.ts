import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (as node --cpu-prof writes it) that self time needs. */
interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileFrame {
  /** `function (file:line)`, with the file relative to the repository when it is in it. */
  readonly frame: string;
  readonly selfMs: number;
  /** Share of all sampled time, idle and GC included. */
  readonly selfShare: number;
}

/**
 * The top `count` frames by self time: each sample's time delta is charged to the node it
 * hit, and nodes are merged by function, file and line (one function reached along
 * several call paths is one frame).
 */
export function topSelfFrames(profile: CpuProfile, count: number, root = ''): ProfileFrame[] {
  const frameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(root, '');
    // Line 0 is what V8 reports for code it has no position for (here: tsx's transpiled modules).
    const at = lineNumber > 0 ? `${file}:${lineNumber + 1}` : file;
    frameOf.set(node.id, file === '' ? `(${functionName || 'anonymous'})` : `${functionName || '(anonymous)'} (${at})`);
  }
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  // timeDeltas[i] is the time since the previous sample: charged to sample i's node.
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frameOf.get(profile.samples[i]!) ?? '(unknown)';
    const us = Math.max(0, profile.timeDeltas[i] ?? 0);
    selfUs.set(frame, (selfUs.get(frame) ?? 0) + us);
    totalUs += us;
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, selfShare: totalUs === 0 ? 0 : us / totalUs }));
}

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}
