/**
 * Sent in the `*_authorized_operations` fields (KIP-430) when a client did not ask for
 * them. When it did, the bits come from the ACLs (AclAuthorizer.authorizedOperations).
 */
export const OPERATIONS_NOT_REQUESTED = -2147483648;
