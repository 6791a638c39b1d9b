import { Controller, type ControllerContext } from './controller.js';

/**
 * Where a broker's Controller lives while the broker holds /controller. Membership tells
 * it when the role is won or lost; the context arrives once the broker is built (the
 * role can be won during the broker's start, before that), so an election that comes
 * first is remembered and acted on at `bind`.
 */
export class ControllerHost {
  private ctx: ControllerContext | undefined;
  private controller: Controller | undefined;
  private pending: { epoch: number; epochZkVersion: number } | undefined;
  private stopping: Promise<void> = Promise.resolve();
  private closed = false;

  get current(): Controller | undefined {
    return this.controller?.active ? this.controller : undefined;
  }

  bind(ctx: ControllerContext): void {
    this.ctx = ctx;
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) this.elected(pending.epoch, pending.epochZkVersion);
  }

  readonly elected = (epoch: number, epochZkVersion: number): void => {
    if (this.closed) return;
    if (this.ctx === undefined) {
      this.pending = { epoch, epochZkVersion };
      return;
    }
    this.lost();
    const controller = new Controller(this.ctx, epoch, epochZkVersion);
    this.controller = controller;
    // A deposed controller's queue finishes (its writes fail the epoch check) before the new one starts.
    void this.stopping.then(() => {
      if (this.controller === controller && !this.closed) controller.start();
    });
  };

  readonly lost = (): void => {
    this.pending = undefined;
    const controller = this.controller;
    this.controller = undefined;
    if (controller !== undefined) {
      const ctx = this.ctx;
      this.stopping = this.stopping.then(() => controller.stop()).catch((err: unknown) => ctx?.logger.error('stopping the controller failed', err));
    }
  };

  async close(): Promise<void> {
    this.closed = true;
    this.lost();
    await this.stopping;
  }
}
