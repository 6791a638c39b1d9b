import { ACL_RESOURCE_TYPES, type AclFilter } from './acl-binding';
import { SelectField } from '../../_components/field';

const inputClass = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900';

/** A plain GET form: the filters land in the URL, so a filtered list can be shared. */
export function AclFilterForm({ filter }: { filter: AclFilter }) {
  return (
    <form method="get" action="/acls" aria-label="Filter ACLs" className="flex flex-wrap items-end gap-4">
      <SelectField id="resource_type" label="Resource type" options={ACL_RESOURCE_TYPES} defaultValue={filter.resource_type ?? ''} anyLabel="any" />
      <div className="flex flex-col gap-1">
        <label htmlFor="resource_name" className="text-sm font-medium">Resource name</label>
        <input id="resource_name" name="resource_name" defaultValue={filter.resource_name ?? ''} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="principal" className="text-sm font-medium">Principal</label>
        <input id="principal" name="principal" defaultValue={filter.principal ?? ''} placeholder="User:alice" className={inputClass} />
      </div>
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Filter</button>
    </form>
  );
}
