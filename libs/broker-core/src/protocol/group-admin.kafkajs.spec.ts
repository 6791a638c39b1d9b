import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse, makeDeleteGroupsResponse } from './deleteGroups/index.js';
import {
  decodeDescribeGroupsRequest,
  encodeDescribeGroupsResponse,
  makeDescribeGroupsResponse,
  makeDescribeGroupsResponseDescribedGroup,
  makeDescribeGroupsResponseDescribedGroupMember,
} from './describeGroups/index.js';
import { decodeListGroupsRequest, encodeListGroupsResponse, makeListGroupsResponse, makeListGroupsResponseListedGroup } from './listGroups/index.js';
import { Writer } from './primitives/writer.js';
import { decodeWithKafkajs, kafkajsProtocol, kafkajsRequestBody, throttleOf } from './testing/kafkajs.js';

/**
 * The group admin APIs in every version kafkajs 2.2.4 has (DescribeGroups v0-v2,
 * ListGroups v0-v2, DeleteGroups v0-v1) against kafkajs: its requests decode with our
 * codecs, our responses with its decoders.
 */
describe.each([0, 1, 2])('kafkajs DescribeGroups v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('describeGroups', version, { groupIds: ['billing', 'audit'] }).request);
    expect(decodeDescribeGroupsRequest(body, version)).toEqual({ groups: ['billing', 'audit'], includeAuthorizedOperations: false });
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('describeGroups', version, { groupIds: [] });
    const member = makeDescribeGroupsResponseDescribedGroupMember({
      memberId: 'member-1',
      clientId: 'app',
      clientHost: '/10.0.0.7',
      memberMetadata: Buffer.from([0, 1]),
      memberAssignment: Buffer.from([0, 1, 2]),
    });
    const ours = makeDescribeGroupsResponse({
      throttleTimeMs: 3,
      groups: [makeDescribeGroupsResponseDescribedGroup({ groupId: 'billing', groupState: 'Stable', protocolType: 'consumer', protocolData: 'RoundRobinAssigner', members: [member] })],
    });
    const decoded = await decodeWithKafkajs(response, encodeDescribeGroupsResponse(new Writer(), ours, version));
    expect(decoded.groups).toEqual([
      {
        errorCode: 0,
        groupId: 'billing',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
        members: [{ memberId: 'member-1', clientId: 'app', clientHost: '/10.0.0.7', memberMetadata: Buffer.from([0, 1]), memberAssignment: Buffer.from([0, 1, 2]) }],
      },
    ]);
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(3);
  });

  it('raises the error code of a group', async () => {
    const { response } = kafkajsProtocol('describeGroups', version, { groupIds: [] });
    const failed = makeDescribeGroupsResponse({ groups: [makeDescribeGroupsResponseDescribedGroup({ groupId: 'billing' }), makeDescribeGroupsResponseDescribedGroup({ groupId: 'audit', errorCode: 16 })] });
    await expect(response.parse(await response.decode(encodeDescribeGroupsResponse(new Writer(), failed, version).toBuffer()))).rejects.toThrow(/not the correct coordinator/);
  });
});

describe.each([0, 1, 2])('kafkajs ListGroups v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('listGroups', version, {}).request);
    expect(decodeListGroupsRequest(body, version)).toEqual({ statesFilter: [] });
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises its error code', async () => {
    const { response } = kafkajsProtocol('listGroups', version, {});
    const ours = makeListGroupsResponse({
      throttleTimeMs: 8,
      groups: [makeListGroupsResponseListedGroup({ groupId: 'billing', protocolType: 'consumer' }), makeListGroupsResponseListedGroup({ groupId: 'connect', protocolType: '' })],
    });
    const decoded = await decodeWithKafkajs(response, encodeListGroupsResponse(new Writer(), ours, version));
    expect(decoded).toMatchObject({
      errorCode: 0,
      groups: [
        { groupId: 'billing', protocolType: 'consumer' },
        { groupId: 'connect', protocolType: '' },
      ],
    });
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(8);
    const failed = await response.decode(encodeListGroupsResponse(new Writer(), makeListGroupsResponse({ errorCode: 15 }), version).toBuffer());
    await expect(response.parse(failed)).rejects.toThrow(/group coordinator is not available/);
  });
});

describe.each([0, 1])('kafkajs DeleteGroups v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('deleteGroups', version, ['billing', 'audit']).request);
    expect(decodeDeleteGroupsRequest(body, version)).toEqual({ groupsNames: ['billing', 'audit'] });
    expect(body.remaining).toBe(0);
  });

  it('reads our response, with an error per group', async () => {
    const { response } = kafkajsProtocol('deleteGroups', version, []);
    const ours = makeDeleteGroupsResponse({
      throttleTimeMs: 1,
      results: [
        { groupId: 'billing', errorCode: 0 },
        { groupId: 'audit', errorCode: 69 },
      ],
    });
    const decoded = await decodeWithKafkajs(response, encodeDeleteGroupsResponse(new Writer(), ours, version));
    // kafkajs reads the throttle time as throttleTimeMs in every version.
    expect(decoded.throttleTimeMs).toBe(1);
    const [deleted, missing] = decoded.results as { groupId: string; errorCode: number; error?: Error }[];
    expect(deleted).toEqual({ groupId: 'billing', errorCode: 0 });
    expect(missing).toMatchObject({ groupId: 'audit', errorCode: 69 });
    expect(missing!.error?.message).toMatch(/group id was not found/);
  });
});
