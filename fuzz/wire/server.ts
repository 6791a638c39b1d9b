// The server side of `npm run fuzz -- wire`: a broker and its Kafka listener in their own
// process, so that a crash shows as this process exiting and its memory can be read from
// outside. Unhandled rejections and exceptions are left to crash it, as they would crash
// the gateway.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fastTempParent, GOOD_CLIENT_TOPIC, startFuzzServer } from '../../libs/broker-core/src/kafka-server/fuzz/index.js';
import { MAX_IN_FLIGHT } from '../../libs/broker-core/src/kafka-server/connection.js';
import type { FromServer, ToServer } from './protocol.js';

const maxRequestBytes = Number(process.env.WEIR_FUZZ_MAX_REQUEST_BYTES ?? 100 * 1024 * 1024);
let errorLogs = 0;
let closedOnBadInput = 0;
const firstErrors: string[] = [];

const send = (message: FromServer): void => void process.send!(message);

const server = await startFuzzServer({
  dataDirParent: process.env.WEIR_FUZZ_DATA_DIR_PARENT || fastTempParent(),
  maxRequestBytes,
  keepTopics: [GOOD_CLIENT_TOPIC],
  logger: {
    info: (message) => {
      if (message.startsWith('closing Kafka connection')) closedOnBadInput++;
    },
    warn: () => undefined,
    error: (message, err) => {
      errorLogs++;
      const line = `${message}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`;
      if (firstErrors.length < 10) firstErrors.push(line);
      console.error(`[fuzz server] ${line}`);
    },
  },
});
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
send({ type: 'ready', port: server.port, maxRequestBytes });

process.on('message', (message: ToServer) => {
  if (message.type !== 'stop') return;
  loopDelay.disable();
  void server.close().then(() => {
    send({
      type: 'stopped', errorLogs, firstErrors, closedOnBadInput, janitorDeletes: server.janitorDeletes(),
      maxInFlightPerConnection: server.maxInFlightSeen(), maxInFlightAllowed: MAX_IN_FLIGHT,
      eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    });
    process.disconnect();
  });
});
