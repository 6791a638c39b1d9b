import { ConfirmAction } from '../../_components/confirm-action';
import { Panel } from '../../_components/panel';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { listApiKeys } from '../../_lib/gateway/users';
import { Timestamp } from '../settings/timestamp';
import { revokeApiKeyAction } from './api-key-actions';
import { CreateKeyForm } from './create-key-form';

const never = <span className="text-slate-600 dark:text-slate-400">never</span>;

/** One user's API keys (no secrets: those were shown once), a form for a new one, and Revoke. */
export async function ApiKeysPanel({ user }: { user: string }) {
  const keys = await listApiKeys(user);
  return (
    <Panel title={`API keys of ${user}`}>
      <div className="space-y-6">
        <CreateKeyForm user={user} />
        <Table caption={`API keys of ${user}`}>
          <thead>
            <tr>
              <Th>Id</Th>
              <Th>Name</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Expires</Th>
              <Th>Actions</Th>
            </tr>
          </thead>
          <tbody>
            {keys.length === 0 && <EmptyRow colSpan={6}>No API keys.</EmptyRow>}
            {keys.map((k) => (
              <tr key={k.id} data-testid={`api-key-${k.id}`}>
                <Td mono>{k.id}</Td>
                <Td>{k.name}</Td>
                <Td>
                  <Timestamp ms={Date.parse(k.created_at)} />
                </Td>
                <Td>{k.last_used_at === null ? never : <Timestamp ms={Date.parse(k.last_used_at)} />}</Td>
                <Td>{k.expires_at === null ? never : <Timestamp ms={Date.parse(k.expires_at)} />}</Td>
                <Td>
                  {/* Revoking one's own key needs no role; the gateway checks whose key it is. */}
                  <ConfirmAction label="Revoke" ariaLabel={`Revoke key ${k.name} (${k.id})`} question={`Revoke ${k.name}? Clients using it are refused from now on.`} action={revokeApiKeyAction.bind(null, user, k.id)} danger need="read" />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </Panel>
  );
}
