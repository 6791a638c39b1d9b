import { Badge } from '../../_components/badge';
import { ConfirmAction } from '../../_components/confirm-action';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { listAcls } from '../../_lib/gateway/acls';
import type { AclBinding, AclFilter } from './acl-binding';
import { deleteAclAction } from './acl-actions';

const describe = (a: AclBinding) => `${a.permission} ${a.operation} on ${a.resource_type} ${a.resource_name} (${a.pattern_type}) for ${a.principal} from ${a.host}`;

/** The ACLs matching the filter; names and principals are text (React escapes them), never markup. */
export async function AclsTable({ filter }: { filter: AclFilter }) {
  const acls = await listAcls(filter);
  return (
    <Table caption="ACLs">
      <thead>
        <tr>
          <Th>Resource type</Th>
          <Th>Resource name</Th>
          <Th>Pattern</Th>
          <Th>Principal</Th>
          <Th>Host</Th>
          <Th>Operation</Th>
          <Th>Permission</Th>
          <Th>Actions</Th>
        </tr>
      </thead>
      <tbody>
        {acls.length === 0 && <EmptyRow colSpan={8}>No ACLs match.</EmptyRow>}
        {acls.map((a) => {
          const binding: AclBinding = { resource_type: a.resource_type, resource_name: a.resource_name, pattern_type: a.pattern_type, principal: a.principal, host: a.host, operation: a.operation, permission: a.permission };
          return (
            <tr key={describe(a)} data-testid="acl-row">
              <Td>{a.resource_type}</Td>
              <Td mono>{a.resource_name}</Td>
              <Td>{a.pattern_type}</Td>
              <Td mono>{a.principal}</Td>
              <Td mono>{a.host}</Td>
              <Td>{a.operation}</Td>
              <Td>{a.permission === 'DENY' ? <Badge tone="bad">DENY</Badge> : <Badge tone="good">ALLOW</Badge>}</Td>
              <Td>
                <ConfirmAction
                  label="Delete"
                  ariaLabel={`Delete ACL: ${describe(a)}`}
                  question={`Delete this ACL (${describe(a)})?`}
                  action={deleteAclAction.bind(null, binding as unknown as Record<string, unknown>)}
                  danger
                  need="administer"
                />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
