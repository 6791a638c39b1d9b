/** A gateway error as the user should see it: the Confluent code and message, never a stack. */
export function ErrorNotice({ title = 'The gateway refused', message, code }: { title?: string; message: string; code?: number }) {
  return (
    <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-4 py-3 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
      <p className="font-medium">
        {title}
        {code !== undefined && <span className="ml-2 font-mono text-xs">({code})</span>}
      </p>
      <p className="mt-1">{message}</p>
    </div>
  );
}
