'use client';

import { useSyncExternalStore } from 'react';
import { THEME_STORAGE_KEY } from '../../_components/theme-script';
import { formatTimestamp } from '../../_lib/format';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEMES)[number];
export const TIME_ZONES = ['local', 'utc'] as const;
export type TimeZonePreference = (typeof TIME_ZONES)[number];
/** `auto`: each record in the format its bytes suggest (JSON, text, or hex when not UTF-8). */
export const MESSAGE_FORMATS = ['auto', 'string', 'json', 'hex', 'base64'] as const;
export type MessageFormatPreference = (typeof MESSAGE_FORMATS)[number];

/** The console's preferences, kept in this browser only (localStorage). */
export interface Preferences {
  readonly theme: ThemePreference;
  /** How timestamps are shown: the browser's time zone or UTC. */
  readonly timeZone: TimeZonePreference;
  /** The message browser's format when the page names none (a record's own switch still changes it). */
  readonly messageFormat: MessageFormatPreference;
  /** Off: no /live socket, no polling; pages show what they loaded until reloaded. */
  readonly live: boolean;
}

/** What the server renders with, and what a browser without stored preferences gets. */
export const DEFAULT_PREFERENCES: Preferences = { theme: 'system', timeZone: 'utc', messageFormat: 'auto', live: true };

/** The other preferences' key; the theme keeps ThemeScript's key, which runs before first paint. */
const STORAGE_KEY = 'weir-preferences';
/** Same-tab writes: the `storage` event only reaches other tabs. */
const CHANGE_EVENT = 'weir-preferences-change';

let cached: { raw: string; theme: string | null; value: Preferences } | undefined;

function oneOf<T extends string>(options: readonly T[], value: unknown, fallback: T): T {
  return options.includes(value as T) ? (value as T) : fallback;
}

/** The stored preferences (defaults for anything missing or malformed); the same object while nothing changed. */
export function readPreferences(): Preferences {
  if (typeof window === 'undefined') return DEFAULT_PREFERENCES;
  let raw: string;
  let theme: string | null;
  try {
    raw = localStorage.getItem(STORAGE_KEY) ?? '{}';
    theme = localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return DEFAULT_PREFERENCES; // storage blocked (privacy mode): defaults, not a broken page
  }
  if (cached?.raw === raw && cached.theme === theme) return cached.value;
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) stored = parsed as Record<string, unknown>;
  } catch {
    // A hand-edited or foreign value: the defaults stand.
  }
  const value: Preferences = {
    theme: oneOf(THEMES, theme, 'system'),
    timeZone: oneOf(TIME_ZONES, stored.timeZone, DEFAULT_PREFERENCES.timeZone),
    messageFormat: oneOf(MESSAGE_FORMATS, stored.messageFormat, DEFAULT_PREFERENCES.messageFormat),
    live: typeof stored.live === 'boolean' ? stored.live : DEFAULT_PREFERENCES.live,
  };
  cached = { raw, theme, value };
  return value;
}

/** Stores a change and applies it at once in every tab: the theme class, and every hook below re-renders. */
export function writePreferences(change: Partial<Preferences>): void {
  const next = { ...readPreferences(), ...change };
  const { theme, ...rest } = next;
  if (theme === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
  else localStorage.setItem(THEME_STORAGE_KEY, theme);
  localStorage.setItem(STORAGE_KEY, JSON.stringify(rest));
  applyTheme(theme);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** What ThemeScript does before first paint, for a change made later. */
export function applyTheme(theme: ThemePreference): void {
  const dark = theme === 'system' ? window.matchMedia('(prefers-color-scheme: dark)').matches : theme === 'dark';
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/**
 * The preferences, re-rendering on every change. The server and the hydrating render see
 * DEFAULT_PREFERENCES (the server cannot read localStorage), then the stored ones.
 */
export function usePreferences(): Preferences {
  return useSyncExternalStore(subscribe, readPreferences, () => DEFAULT_PREFERENCES);
}

/** The message browser's default format (auto, string, json, hex or base64). */
export function useMessageFormatPreference(): MessageFormatPreference {
  return usePreferences().messageFormat;
}

/** formatTimestamp in the zone the settings chose (UTC on the server and while hydrating). */
export function useTimestampFormat(): (ms: number) => string {
  const zone = usePreferences().timeZone;
  return (ms) => formatTimestamp(ms, zone);
}
