import { PageHeader } from '../../_components/page-header';

/** A page the signed-in user's role may not open: said plainly, as the gateway's 403 would. */
export function NotPermitted({ title, need = 'admin' }: { title: string; need?: string }) {
  return (
    <section aria-labelledby="not-permitted-title" className="space-y-4">
      <PageHeader id="not-permitted-title" title={title} />
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-medium">Not permitted</p>
        <p className="mt-1">This page needs the {need} role. Ask an admin if you need it.</p>
      </div>
    </section>
  );
}
