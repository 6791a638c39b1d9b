import { kafkaClient } from '../support/kafkajs.js';

/**
 * One kafkajs group member as its own process, so a test can SIGKILL it: no LeaveGroup is
 * sent and the coordinator only learns of its death when the session times out.
 *
 * Arguments: bootstrap, group id, topic, session timeout in ms. Writes one JSON line per
 * event on stdout (stdout is a pipe, written synchronously on Linux, so a line is out
 * before the request that follows it): `{"kind":"join","partitions":[...]}` on GROUP_JOIN,
 * `{"kind":"release"}` on REBALANCING, STOP and CRASH, `{"kind":"record","value":"..."}`
 * per consumed record. Exits when its stdin closes, so a dying parent leaves no orphan.
 */
const [bootstrap, groupId, topic, sessionTimeoutMs] = process.argv.slice(2);
if (bootstrap === undefined || groupId === undefined || topic === undefined || sessionTimeoutMs === undefined) {
  throw new Error('usage: group-member.child.ts <bootstrap> <groupId> <topic> <sessionTimeoutMs>');
}

const emit = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const kafka = kafkaClient(bootstrap, { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 });
const consumer = kafka.consumer({ groupId, sessionTimeout: Number(sessionTimeoutMs), rebalanceTimeout: 10_000, heartbeatInterval: 1000, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
consumer.on(consumer.events.GROUP_JOIN, (e) => emit({ kind: 'join', partitions: [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b) }));
for (const event of [consumer.events.REBALANCING, consumer.events.STOP, consumer.events.CRASH]) consumer.on(event, () => emit({ kind: 'release' }));

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({ eachMessage: async ({ message }) => emit({ kind: 'record', value: message.value!.toString() }) });
