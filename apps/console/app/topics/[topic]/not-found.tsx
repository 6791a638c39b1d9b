import Link from 'next/link';

export default function TopicNotFound() {
  return (
    <section className="space-y-3">
      <h1 className="text-2xl font-semibold">Topic not found</h1>
      <p>The gateway has no such topic; it may have been deleted.</p>
      <Link href="/topics" className="text-sky-700 underline dark:text-sky-400">
        All topics
      </Link>
    </section>
  );
}
