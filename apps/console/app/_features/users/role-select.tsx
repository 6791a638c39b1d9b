import { ROLES } from '../auth/permissions';

const selectClass = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900';

/** A labelled choice of role (the label visible, or for screen readers only with `hiddenLabel`). */
export function RoleSelect({ id, label, value, onChange, hiddenLabel = false }: { id: string; label: string; value: string; onChange: (role: string) => void; hiddenLabel?: boolean }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={hiddenLabel ? 'sr-only' : 'text-sm font-medium'}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={selectClass}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </div>
  );
}
