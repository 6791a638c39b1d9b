import { type BrokerApi, type ConsumerGroupSummary, consumerGroupLags, topicRanges } from '@weir/broker-core';
import type { LiveChannel, LiveGroup, LiveServerFrame } from '@weir/contracts';
import type { SampledChannelSource } from './sampled-channel.js';

/**
 * Lags measured per sample at most. A group's lag reads its committed offsets and the end
 * offsets of its partitions; with 2,000 groups, measuring all every second would cost more
 * than the page is worth. 100 a sample, in turn, is every lag within 1 s up to 100 groups
 * and within 20 s at 2,000; states and member counts are read for all groups every sample.
 */
export const LAGS_PER_SAMPLE = 100;

/**
 * The `groups` channel's source. The coordinators announce no changes, so the hub calls
 * `sample` once per sample interval while anyone is subscribed: one listing of all groups
 * (states and member counts, held in memory by the coordinators) plus the lags of the next
 * LAGS_PER_SAMPLE groups in id order, wrapping around. Only the groups whose state, members
 * or lag changed since the last sample go out, with the ids of groups gone. One read runs
 * at a time; a read that fails (a coordinator loading or moving) publishes nothing.
 */
export class GroupsWatch implements SampledChannelSource {
  private reading = false;
  /** As last published, by group id. */
  private published = new Map<string, LiveGroup>();
  /** Last measured total lag, by group id. */
  private readonly lags = new Map<string, number>();
  /** Where the next sample's lag measurements start, in the id-ordered listing. */
  private cursor = 0;

  constructor(
    private readonly broker: BrokerApi,
    private readonly lagsPerSample = LAGS_PER_SAMPLE,
  ) {}

  serves(channel: LiveChannel): boolean {
    return channel === 'groups';
  }

  snapshot(_channel: LiveChannel, send: (frame: LiveServerFrame) => void): void {
    void this.list().then((listed) => {
      if (listed !== undefined) send(frameOf(listed.map((g) => this.toLive(g)), []));
    });
  }

  sample(_channels: ReadonlySet<LiveChannel>, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): void {
    if (this.reading) return;
    this.reading = true;
    void this.changes()
      .then((frame) => {
        if (frame !== undefined) publish('groups', frame);
      })
      .finally(() => {
        this.reading = false;
      });
  }

  /** Nobody subscribed: nothing is kept, and the next subscriber starts from a full listing. */
  release(): void {
    this.published = new Map();
    this.lags.clear();
    this.cursor = 0;
  }

  private async changes(): Promise<LiveServerFrame | undefined> {
    const listed = await this.list();
    if (listed === undefined) return undefined;
    await this.measureLags(listed);
    const current = new Map(listed.map((g) => [g.groupId, this.toLive(g)]));
    const changed = [...current.values()].filter((g) => !sameGroup(this.published.get(g.group_id), g));
    const removed = [...this.published.keys()].filter((id) => !current.has(id));
    for (const id of removed) this.lags.delete(id);
    this.published = current;
    return changed.length === 0 && removed.length === 0 ? undefined : frameOf(changed, removed);
  }

  /** The next `lagsPerSample` groups from the cursor; one description per topic for all of them. */
  private async measureLags(listed: readonly ConsumerGroupSummary[]): Promise<void> {
    if (listed.length === 0) return;
    const ranges = topicRanges(this.broker);
    const count = Math.min(this.lagsPerSample, listed.length);
    const start = this.cursor % listed.length;
    for (let i = 0; i < count; i++) {
      const groupId = listed[(start + i) % listed.length]!.groupId;
      try {
        this.lags.set(groupId, Number((await consumerGroupLags(this.broker, groupId, ranges)).totalLag));
      } catch {
        // Deleted or moving since the listing: the next turn measures it again.
      }
    }
    this.cursor = start + count;
  }

  /** By group id; undefined when the coordinators cannot answer now. */
  private async list(): Promise<ConsumerGroupSummary[] | undefined> {
    try {
      return (await this.broker.listConsumerGroups()).sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    } catch {
      // Coordinator unavailable, loading, or no broker of this process running: the page keeps its last view.
      return undefined;
    }
  }

  private toLive(g: ConsumerGroupSummary): LiveGroup {
    return { group_id: g.groupId, state: g.state, members_count: g.memberCount, total_lag: this.lags.get(g.groupId) ?? null };
  }
}

function sameGroup(a: LiveGroup | undefined, b: LiveGroup): boolean {
  return a !== undefined && a.state === b.state && a.members_count === b.members_count && a.total_lag === b.total_lag;
}

function frameOf(groups: LiveGroup[], removed: string[]): LiveServerFrame {
  return { type: 'groups', channel: 'groups', groups, removed };
}
