import { SkeletonBlock } from '../../_components/skeleton';

export function OverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading the cluster overview" className="space-y-4">
      <SkeletonBlock className="h-4 w-64" />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <SkeletonBlock key={i} className="h-20" />
        ))}
      </div>
    </div>
  );
}
