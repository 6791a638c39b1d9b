import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { Panel } from '../_components/panel';
import { GatewayFacts } from '../_features/settings/gateway-facts';
import { PreferencesForm } from '../_features/settings/preferences-form';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <section aria-labelledby="settings-title" className="space-y-6">
      <PageHeader id="settings-title" title="Settings" />
      <Panel title="Preferences (this browser)">
        <PreferencesForm />
      </Panel>
      <Panel title="Gateway">
        <Suspense fallback={<p className="text-sm">Reading the gateway…</p>}>
          <GatewayFacts />
        </Suspense>
      </Panel>
    </section>
  );
}
