import type { Metadata } from 'next';
import { PageHeader, TopicsBreadcrumb } from '../../_components/page-header';
import { NotPermitted } from '../../_features/auth/not-permitted';
import { permitted } from '../../_features/auth/permitted';
import { CreateTopicForm } from '../../_features/topics/create-topic-form';

export const metadata: Metadata = { title: 'Create topic' };

export default async function NewTopicPage() {
  if (!(await permitted('operate'))) return <NotPermitted title="Create topic" need="operator" />;
  return (
    <section aria-labelledby="create-topic-title" className="space-y-6">
      <TopicsBreadcrumb current="New" />
      <PageHeader id="create-topic-title" title="Create topic" />
      <CreateTopicForm />
    </section>
  );
}
