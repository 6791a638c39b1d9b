/**
 * Kafka's AclOperation codes, as bits of the `*_authorized_operations` fields (KIP-430).
 * Without ACLs (they come with security), every operation that applies is allowed.
 */
const OP = { READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8, CLUSTER_ACTION: 9, DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12 } as const;

const bits = (...ops: number[]): number => ops.reduce((acc, op) => acc | (1 << op), 0);

/** Sent when a client did not ask for authorized operations. */
export const OPERATIONS_NOT_REQUESTED = -2147483648;

export const TOPIC_OPERATIONS = bits(OP.READ, OP.WRITE, OP.CREATE, OP.DELETE, OP.ALTER, OP.DESCRIBE, OP.DESCRIBE_CONFIGS, OP.ALTER_CONFIGS);

export const CLUSTER_OPERATIONS = bits(OP.CREATE, OP.ALTER, OP.DESCRIBE, OP.CLUSTER_ACTION, OP.DESCRIBE_CONFIGS, OP.ALTER_CONFIGS, OP.IDEMPOTENT_WRITE);
