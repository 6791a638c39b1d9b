'use client';

import type { ReactNode } from 'react';
import { FORMAT_LABELS as VIEW_FORMAT_LABELS } from '../messages/record-format';
import { MESSAGE_FORMATS, type Preferences, THEMES, TIME_ZONES, usePreferences, writePreferences } from './preferences';

const THEME_LABELS: Record<Preferences['theme'], string> = { system: 'Follow the system', light: 'Light', dark: 'Dark' };
const ZONE_LABELS: Record<Preferences['timeZone'], string> = { local: 'Local time of this browser', utc: 'UTC' };
/** The message browser's own labels, and its 'Detect per record'. */
const FORMAT_LABELS: Record<Preferences['messageFormat'], string> = { auto: 'Detect per record', ...VIEW_FORMAT_LABELS };

/** A group of radio buttons: a fieldset whose legend names the choice. */
function Choice<T extends string>({ name, legend, hint, options, labels, value, onChange }: {
  name: string;
  legend: string;
  hint: ReactNode;
  options: readonly T[];
  labels: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={`${name}-hint`}>
      <legend className="text-sm font-medium">{legend}</legend>
      <p id={`${name}-hint`} className="text-xs text-slate-600 dark:text-slate-400">{hint}</p>
      <div className="flex flex-wrap gap-4">
        {options.map((option) => (
          <label key={option} className="inline-flex items-center gap-2 text-sm">
            <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} className="accent-sky-600" />
            {labels[option]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The console's preferences for this browser; each change is stored and applied at once. */
export function PreferencesForm() {
  const prefs = usePreferences();
  return (
    <form className="space-y-6" onSubmit={(e) => e.preventDefault()} aria-label="Console preferences">
      <Choice name="theme" legend="Theme" hint="The toggle in the header switches between light and dark too." options={THEMES} labels={THEME_LABELS} value={prefs.theme} onChange={(theme) => writePreferences({ theme })} />
      <Choice name="time-zone" legend="Timestamps" hint="How record and event times are shown." options={TIME_ZONES} labels={ZONE_LABELS} value={prefs.timeZone} onChange={(timeZone) => writePreferences({ timeZone })} />
      <Choice
        name="message-format"
        legend="Default message format"
        hint="How the message browser first shows keys and values."
        options={MESSAGE_FORMATS}
        labels={FORMAT_LABELS}
        value={prefs.messageFormat}
        onChange={(messageFormat) => writePreferences({ messageFormat })}
      />
      <div className="space-y-1">
        <label className="inline-flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={prefs.live} onChange={(e) => writePreferences({ live: e.target.checked })} className="accent-sky-600" aria-describedby="live-hint" />
          Live updates
        </label>
        <p id="live-hint" className="text-xs text-slate-600 dark:text-slate-400">
          Off: pages show what they loaded, without the live connection or polling, until reloaded.
        </p>
      </div>
    </form>
  );
}
