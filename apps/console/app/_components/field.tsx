import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

const controlClass =
  'w-full rounded-md border bg-white px-3 py-1.5 text-sm dark:bg-slate-900 aria-invalid:border-rose-500 border-slate-300 dark:border-slate-700';

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
}

function FieldFrame({ id, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="text-sm text-rose-700 dark:text-rose-400">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy({ id, hint, error }: FieldProps): string | undefined {
  const ids = [hint !== undefined ? `${id}-hint` : null, error !== undefined ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** A labelled input whose hint and error are announced with it. */
export function TextField(props: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { id, label, hint, error, ...input } = props;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input id={id} name={id} aria-invalid={error !== undefined} aria-describedby={describedBy(props)} className={controlClass} {...input} />
    </FieldFrame>
  );
}

export function TextAreaField(props: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, label, hint, error, ...textarea } = props;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={id} aria-invalid={error !== undefined} aria-describedby={describedBy(props)} className={`${controlClass} font-mono`} {...textarea} />
    </FieldFrame>
  );
}

/**
 * A labelled choice among `options`; `anyLabel` adds an empty first choice (a filter's
 * "any"); `hiddenLabel` keeps the label for screen readers only (a select in a table row).
 */
export function SelectField(props: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly string[]; anyLabel?: string; hiddenLabel?: boolean }) {
  const { id, label, hint, error, options, anyLabel, hiddenLabel = false, ...select } = props;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={hiddenLabel ? 'sr-only' : 'text-sm font-medium'}>
        {label}
      </label>
      <select id={id} name={id} aria-invalid={error !== undefined} aria-describedby={describedBy(props)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900" {...select}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}

export function SubmitButton({ children, pending }: { children: ReactNode; pending: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="rounded-md bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60"
    >
      {pending ? 'Working…' : children}
    </button>
  );
}
