import type { ApiHandler } from '../api-handler.js';
import { withAdminAudit } from '../admin-audit.js';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './acls.js';
import { apiVersionsHandler } from './api-versions.js';
import { deleteRecordsHandler, describeClusterHandler } from './cluster.js';
import { alterConfigsHandler, describeConfigsHandler, incrementalAlterConfigsHandler } from './configs.js';
import { fetchHandler } from './fetch.js';
import { deleteGroupsHandler, describeGroupsHandler, listGroupsHandler } from './groups-admin.js';
import { findCoordinatorHandler } from './groups-coordinator.js';
import { heartbeatHandler, joinGroupHandler, leaveGroupHandler, syncGroupHandler } from './groups-membership.js';
import { offsetCommitHandler, offsetDeleteHandler, offsetFetchHandler } from './groups-offsets.js';
import { alterPartitionReassignmentsHandler, electLeadersHandler, listPartitionReassignmentsHandler } from './leadership.js';
import { describeLogDirsHandler } from './log-dirs.js';
import { offsetForLeaderEpochHandler } from './replication.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { produceHandler } from './produce.js';
import { writeTxnMarkersHandler } from './write-txn-markers.js';
import { initProducerIdHandler, addPartitionsToTxnHandler, addOffsetsToTxnHandler, endTxnHandler, describeTransactionsHandler, listTransactionsHandler } from './transactions.js';
import { describeProducersHandler } from './describe-producers.js';
import { txnOffsetCommitHandler } from './txn-offset-commit.js';
import { createPartitionsHandler, createTopicsHandler, deleteTopicsHandler } from './topic-admin.js';
import { saslAuthenticateHandler, saslHandshakeHandler } from '../sasl/sasl-handlers.js';

/** Every API the Kafka listener serves; ApiVersions advertises exactly these. The admin APIs that change the cluster report to the audit log (admin-audit.ts). */
export const API_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  createPartitionsHandler,
  incrementalAlterConfigsHandler,
  describeClusterHandler,
  offsetForLeaderEpochHandler,
  electLeadersHandler,
  alterPartitionReassignmentsHandler,
  listPartitionReassignmentsHandler,
  describeLogDirsHandler,
  // The group coordinator (group/group-coordinator.ts).
  findCoordinatorHandler,
  joinGroupHandler,
  syncGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  offsetDeleteHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  txnOffsetCommitHandler,
  // The transaction coordinator (txn/) and the markers it sends to partition leaders (broker/txn-markers.ts).
  initProducerIdHandler,
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  describeTransactionsHandler,
  listTransactionsHandler,
  writeTxnMarkersHandler,
  describeProducersHandler,
  // ACLs (security/authorizer.ts).
  describeAclsHandler,
  createAclsHandler,
  deleteAclsHandler,
  // SASL authentication (sasl/): the only APIs, with ApiVersions, a SASL listener serves before it.
  saslHandshakeHandler,
  saslAuthenticateHandler,
].map(withAdminAudit);
