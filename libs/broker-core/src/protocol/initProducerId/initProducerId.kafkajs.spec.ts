import { Writer } from '../primitives/writer.js';
import { decodeWithKafkajs, kafkajsProtocol, kafkajsRequestBody, throttleOf } from '../testing/kafkajs.js';
import { decodeInitProducerIdRequest } from './request.js';
import { encodeInitProducerIdResponse, makeInitProducerIdResponse } from './response.js';

/**
 * InitProducerId v0-v1, every version kafkajs 2.2.4 has, against kafkajs: its requests
 * (idempotent: no transactional id; transactional: one) decode with our codec, our
 * responses with its decoders.
 */
describe.each([0, 1])('kafkajs InitProducerId v%i', (version) => {
  it.each([
    ['an idempotent producer', null],
    ['a transactional producer', 'payments-tx'],
  ])('sends a request our codec reads, for %s', async (_, transactionalId) => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('initProducerId', version, { transactionalId, transactionTimeout: 30000 }).request);
    // producer_id and producer_epoch arrive from v3; before, the defaults (-1) stand.
    expect(decodeInitProducerIdRequest(body, version)).toEqual({ transactionalId, transactionTimeoutMs: 30000, producerId: -1n, producerEpoch: -1 });
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises its error code', async () => {
    const { response } = kafkajsProtocol('initProducerId', version, {});
    const ours = makeInitProducerIdResponse({ throttleTimeMs: 4, producerId: 9007199254740993n, producerEpoch: 2 });
    const decoded = await decodeWithKafkajs(response, encodeInitProducerIdResponse(new Writer(), ours, version));
    expect(decoded).toMatchObject({ errorCode: 0, producerId: '9007199254740993', producerEpoch: 2 });
    expect(throttleOf(decoded, 1, version)).toBe(4);
    const failed = await response.decode(encodeInitProducerIdResponse(new Writer(), makeInitProducerIdResponse({ errorCode: 15 }), version).toBuffer());
    await expect(response.parse(failed)).rejects.toThrow(/coordinator is not available/);
  });
});
