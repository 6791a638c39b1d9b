import { Table, Td, Th } from '../../_components/table';
import { listTopicConfigs } from '../../_lib/gateway/configs';
import { ConfigEditor } from './config-editor';

export async function ConfigsTable({ topic }: { topic: string }) {
  const configs = await listTopicConfigs(topic);
  const overrides = configs.filter((c) => !c.is_default).length;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {overrides} override{overrides === 1 ? '' : 's'}; the other {configs.length - overrides} configs have their defaults.
      </p>
      <Table caption={`Configs of ${topic}`}>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Value</Th>
            <Th>Source</Th>
            <Th>Change</Th>
          </tr>
        </thead>
        <tbody>
          {configs.map((c) => (
            <tr key={c.name} data-testid={`config-${c.name}`} className={c.is_default ? '' : 'bg-sky-50 dark:bg-sky-950/40'}>
              <Td mono>{c.name}</Td>
              <Td mono>
                <span data-testid="config-value">{c.is_sensitive ? '(sensitive)' : (c.value ?? '(null)')}</span>
              </Td>
              <Td>
                <span className={`rounded px-1.5 py-0.5 text-xs ${c.is_default ? 'bg-slate-100 dark:bg-slate-800' : 'bg-sky-200 font-medium text-sky-900 dark:bg-sky-800 dark:text-sky-50'}`}>
                  {c.is_default ? 'default' : 'override'}
                </span>
              </Td>
              <Td>
                <ConfigEditor topic={topic} config={{ name: c.name, value: c.value, isDefault: c.is_default, isSensitive: c.is_sensitive }} readOnly={c.is_read_only} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
