import type { LiveChannel, LiveServerFrame } from '@weir/contracts';

/**
 * A live channel whose content the hub reads once per sample rather than from broker
 * change events (transactions, delayed operations, a partition's newest records): one
 * read per sample for every subscriber of a channel, never one per client. The hub asks
 * each source, in order, whether it serves a channel; channel names are validated by the
 * contracts' liveChannelSchema before they get here.
 */
export interface SampledChannelSource {
  serves(channel: LiveChannel): boolean;
  /** A new subscriber's first view, sent to it alone (may arrive asynchronously). */
  snapshot(channel: LiveChannel, send: (frame: LiveServerFrame) => void): void;
  /**
   * Once per sample, with the channels of this source that have subscribers now; frames
   * passed to `publish` go to every subscriber of that channel that is keeping up.
   */
  sample(channels: ReadonlySet<LiveChannel>, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): void;
  /** Nobody is subscribed to the channel any more: forget what was kept for it. */
  release(channel: LiveChannel): void;
}
