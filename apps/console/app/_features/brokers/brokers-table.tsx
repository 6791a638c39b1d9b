import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { brokerIdFromLink, getCluster, listBrokers } from '../../_lib/gateway/clusters';

export async function BrokersTable() {
  const [cluster, brokers] = await Promise.all([getCluster(), listBrokers()]);
  const controllerId = brokerIdFromLink(cluster.controller?.related);
  return (
    <Table caption="Brokers">
      <thead>
        <tr>
          <Th numeric>Id</Th>
          <Th>Host</Th>
          <Th numeric>Port</Th>
          <Th>Rack</Th>
          <Th>Role</Th>
        </tr>
      </thead>
      <tbody>
        {brokers.length === 0 && <EmptyRow colSpan={5}>No broker is registered.</EmptyRow>}
        {brokers.map((b) => (
          <tr key={b.broker_id}>
            <Td numeric>{b.broker_id}</Td>
            <Td mono>{b.host ?? '—'}</Td>
            <Td numeric>{b.port ?? '—'}</Td>
            <Td>{b.rack ?? '—'}</Td>
            <Td>{b.broker_id === controllerId ? 'controller' : ''}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
