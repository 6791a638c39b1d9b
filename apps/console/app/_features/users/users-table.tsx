import Link from 'next/link';
import { Badge } from '../../_components/badge';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { currentUser } from '../../_lib/gateway/auth';
import { listUsers } from '../../_lib/gateway/users';
import { Timestamp } from '../settings/timestamp';
import { UserActions, UserRoleControl } from './user-controls';

/** Every user with role, state and actions; names are text (React escapes them), never markup. */
export async function UsersTable() {
  const [users, me] = await Promise.all([listUsers(), currentUser()]);
  return (
    <Table caption="Users">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Role</Th>
          <Th>State</Th>
          <Th>Password</Th>
          <Th>Created</Th>
          <Th>Actions</Th>
        </tr>
      </thead>
      <tbody>
        {users.length === 0 && <EmptyRow colSpan={6}>No users.</EmptyRow>}
        {users.map((u) => (
          <tr key={u.name} data-testid={`user-${u.name}`}>
            <Td>
              <Link href={`/users/${encodeURIComponent(u.name)}`} className="text-sky-700 underline dark:text-sky-400" aria-label={`API keys of ${u.name}`}>
                {u.name}
              </Link>
            </Td>
            <Td>
              <UserRoleControl key={u.role} user={u} />
            </Td>
            <Td>{u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="good">active</Badge>}</Td>
            <Td>{u.has_password ? 'set' : 'none (keys only)'}</Td>
            <Td>
              <Timestamp ms={Date.parse(u.created_at)} />
            </Td>
            <Td>
              <UserActions user={u} self={u.name === me?.name} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
