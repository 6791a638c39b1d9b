/** Grey placeholder blocks shown while a Suspense boundary waits for the gateway. */
export function SkeletonBlock({ className = 'h-4 w-full' }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded bg-slate-200 dark:bg-slate-800 ${className}`} />;
}

export function TableSkeleton({ rows = 5, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <SkeletonBlock key={i} className="h-6 w-full" />
      ))}
    </div>
  );
}
