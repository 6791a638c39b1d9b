// The four sections, each run in a child process of its own (see main.ts for why).
import { drivenHeapCallbacks, drivenHeapIntrusive, drivenWheelCallbacks, drivenWheelIntrusive, type DrivenResult } from './driven-clock.js';
import { callbackContenders, intrusiveContenders, runRealClock, type Contender, type RealClockResult } from './real-clock.js';
import { ROUNDS, TASKS } from './workload.js';

export type RealRuns = Record<string, RealClockResult[]>;
export interface DrivenRuns {
  wheel: DrivenResult[];
  heap: DrivenResult[];
}
export const SECTIONS = ['A', 'B', 'C1', 'C2'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Rounds with a rotating order, so no contender always runs on the freshest heap. */
async function realSection(contenders: Contender[]): Promise<RealRuns> {
  const runs: RealRuns = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (const contender of contenders) await runRealClock(contender, Math.min(TASKS, 100_000)); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      runs[contender.name]?.push(await runRealClock(contender, TASKS));
    }
  }
  return runs;
}

function drivenSection(wheel: (n: number) => DrivenResult, heap: (n: number) => DrivenResult): DrivenRuns {
  wheel(Math.min(TASKS, 100_000));
  heap(Math.min(TASKS, 100_000));
  const runs: DrivenRuns = { wheel: [], heap: [] };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) runs.wheel.push(wheel(TASKS));
    runs.heap.push(heap(TASKS));
    if (round % 2 === 1) runs.wheel.push(wheel(TASKS));
  }
  return runs;
}

export async function runSection(name: SectionName): Promise<RealRuns | DrivenRuns> {
  switch (name) {
    case 'A':
      return realSection(callbackContenders());
    case 'B':
      return realSection(intrusiveContenders());
    case 'C1':
      return drivenSection(drivenWheelCallbacks, drivenHeapCallbacks);
    case 'C2':
      return drivenSection(drivenWheelIntrusive, drivenHeapIntrusive);
    default: {
      const never: never = name;
      throw new Error(`unknown section ${String(never)}`);
    }
  }
}
