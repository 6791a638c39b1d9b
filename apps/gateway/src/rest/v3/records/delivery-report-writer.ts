import { PassThrough } from 'node:stream';
import { httpStatusOfErrorCode, type ProduceResponse, REST_ERROR_CODES } from '@weir/contracts';
import type { FastifyReply } from 'fastify';

/**
 * Writes delivery reports to the HTTP response as concatenated JSON (one per line), as
 * Confluent's streaming produce does: status 200 once the stream is established, each
 * report with its own error_code.
 *
 * A request that is not chunked and turns out to hold exactly one record is answered
 * as a plain request instead: that one report as the body, with the HTTP status of its
 * error_code (a bad record is a 400, not a 200 with a 400 inside). To know, the first
 * report of a non-chunked request is held until a second one comes or the body ends.
 */
export class DeliveryReportWriter {
  private out: PassThrough | undefined;
  private held: ProduceResponse | undefined;
  private count = 0;
  private clientGone = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly holdFirst: boolean,
  ) {
    reply.raw.once('close', () => {
      this.clientGone = true;
      this.out?.emit('drain');
    });
  }

  async write(report: ProduceResponse): Promise<void> {
    if (this.clientGone) throw new Error('client closed the produce stream');
    this.count++;
    if (this.out === undefined) {
      if (this.holdFirst && this.count === 1) {
        this.held = report;
        return;
      }
      this.open();
    }
    await this.push(report);
  }

  /** Ends the response; with no record at all, answers Confluent's 422 for an empty body. */
  finish(): void {
    if (this.out !== undefined) {
      this.out.end();
      return;
    }
    if (this.held !== undefined) {
      void this.reply.status(httpStatusOfErrorCode(this.held.error_code)).type('application/json').send(this.held);
      return;
    }
    void this.reply
      .status(422)
      .type('application/json')
      .send({ error_code: REST_ERROR_CODES.UNPROCESSABLE, message: 'Payload error. Request body is empty. Data is required.' });
  }

  private open(): void {
    const out = new PassThrough();
    this.out = out;
    void this.reply.status(200).type('application/json').send(out);
    if (this.held !== undefined) {
      out.write(`${JSON.stringify(this.held)}\n`);
      this.held = undefined;
    }
  }

  private async push(report: ProduceResponse): Promise<void> {
    const out = this.out!;
    if (!out.write(`${JSON.stringify(report)}\n`) && !this.clientGone) {
      await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  }
}
