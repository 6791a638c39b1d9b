import { MockTime, MockTimer } from '@weir/broker-core';
import { createConsumerRequestSchema } from '@weir/contracts';
import { ConsumerInstances } from './consumer-instances.js';
import { RestError } from '../../errors/rest-error.js';
import { acceptedEmbeddedFormat } from './v2-media.js';

const settings = (body: object = {}) => createConsumerRequestSchema.parse(body);

function setup(timeoutMs = 1000) {
  const time = new MockTime();
  const timer = new MockTimer(time);
  return { time, timer, instances: new ConsumerInstances(timer, time, timeoutMs) };
}

function expectCode(fn: () => unknown, code: number): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RestError);
    expect((err as RestError).errorCode).toBe(code);
    return;
  }
  throw new Error(`expected error ${code}`);
}

describe('ConsumerInstances', () => {
  it('names instances, refuses a duplicate name in a group and allows it in another', () => {
    const { instances, timer } = setup();
    expect(instances.create('g', settings()).name).toMatch(/^rest-consumer-/);
    instances.create('g', settings({ name: 'a' }));
    expectCode(() => instances.create('g', settings({ name: 'a' })), 40902);
    instances.create('h', settings({ name: 'a' }));
    expect(instances.count()).toBe(3);
    instances.close();
    timer.close();
  });

  it('expires an idle instance on the timer, and activity postpones expiry', () => {
    const { instances, time, timer } = setup(1000);
    instances.create('g', settings({ name: 'a' }));
    time.advance(600);
    instances.get('g', 'a');
    time.advance(600);
    expect(instances.count()).toBe(1); // 600 ms idle: not yet
    time.advance(450);
    expect(instances.count()).toBe(0);
    expectCode(() => instances.get('g', 'a'), 40403);
    timer.close();
  });

  it('never expires an instance under a running request', async () => {
    const { instances, time, timer } = setup(1000);
    instances.create('g', settings({ name: 'a' }));
    let release!: () => void;
    const running = instances.use('g', 'a', () => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    time.advance(5000);
    expect(instances.count()).toBe(1);
    release();
    await running;
    time.advance(1001);
    expect(instances.count()).toBe(0);
    timer.close();
  });

  it('serialises requests on one instance', async () => {
    const { instances, timer } = setup();
    instances.create('g', settings({ name: 'a' }));
    const order: string[] = [];
    let release!: () => void;
    const first = instances.use('g', 'a', async () => {
      order.push('first:start');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first:end');
    });
    const second = instances.use('g', 'a', () => void order.push('second'));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
    instances.close();
    timer.close();
  });

  it('keeps positions of partitions that stay assigned', () => {
    const { instances, timer } = setup();
    const instance = instances.create('g', settings({ name: 'a' }));
    instance.assign([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    instance.position('t', 0)!.offset = 5n;
    instance.assign([{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }]);
    expect(instance.position('t', 0)?.offset).toBe(5n);
    expect(instance.position('t', 1)).toBeUndefined();
    expect(instance.assignment()).toEqual([{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }]);
    instances.close();
    timer.close();
  });
});

describe('v2 settings and media types', () => {
  it('reads Confluent-style string settings and rejects unknown formats', () => {
    const s = settings({ format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'true', 'fetch.min.bytes': '10' });
    expect(s).toMatchObject({ format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': true, 'fetch.min.bytes': 10 });
    expect(createConsumerRequestSchema.safeParse({ format: 'avro' }).success).toBe(false);
    expect(createConsumerRequestSchema.safeParse({ 'auto.offset.rest': 'earliest' }).success).toBe(false);
  });

  it('finds the embedded format an Accept header names', () => {
    expect(acceptedEmbeddedFormat(undefined)).toBeUndefined();
    expect(acceptedEmbeddedFormat('*/*')).toBeUndefined();
    expect(acceptedEmbeddedFormat('application/vnd.kafka.json.v2+json')).toBe('json');
    expect(acceptedEmbeddedFormat('text/html, application/vnd.kafka.avro.v2+json; q=0.9')).toBe('avro');
  });
});
