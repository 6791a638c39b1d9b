/**
 * A benchmark's numeric settings from `npm run bench -- <name> --key N ...`: each key of
 * `defaults` may be given as a positive integer; anything else prints the usage (built
 * from the keys) and exits with status 2.
 */
export function benchSettings<T extends Record<string, number>>(bench: string, defaults: T, argv: readonly string[] = process.argv.slice(2)): T {
  const settings: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in settings) || !Number.isSafeInteger(value) || value < 1) {
      const usage = Object.keys(defaults).map((key) => `[--${key} N]`).join(' ');
      console.error(`usage: npm run bench -- ${bench} ${usage}`);
      process.exit(2);
    }
    settings[name] = value;
  }
  return settings as T;
}
