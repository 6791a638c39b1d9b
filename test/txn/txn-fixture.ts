import type { Admin } from 'kafkajs';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { TXN_GATEWAY_ENV } from './txn-gateway.js';

export interface TxnGatewayFixture {
  readonly gw: TestGateway;
  /** A connected kafkajs admin client of the gateway. */
  readonly admin: Admin;
}

/**
 * Registers a describe block's beforeAll/afterAll: an in-process gateway with
 * TXN_GATEWAY_ENV (and `env` over it) and a connected kafkajs admin, both closed
 * afterwards whatever happened.
 */
export function txnGatewayFixture(env: Readonly<Record<string, string>> = {}): TxnGatewayFixture {
  let gw: TestGateway | undefined;
  let admin: Admin | undefined;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { ...TXN_GATEWAY_ENV, ...env } });
    admin = kafkaClient(gw.bootstrap).admin();
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.disconnect();
    await gw?.close();
  }, 30_000);
  return {
    get gw() {
      if (gw === undefined) throw new Error('the gateway has not started');
      return gw;
    },
    get admin() {
      if (admin === undefined) throw new Error('the gateway has not started');
      return admin;
    },
  };
}
