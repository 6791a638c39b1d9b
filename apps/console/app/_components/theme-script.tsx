/** localStorage key of the chosen theme ('light' | 'dark'); absent means "follow the system". */
export const THEME_STORAGE_KEY = 'weir-theme';

// Runs before first paint, so the page never flashes the wrong theme.
const script = `(function(){try{var t=localStorage.getItem('${THEME_STORAGE_KEY}');var d=t?t==='dark':window.matchMedia('(prefers-color-scheme: dark)').matches;var e=document.documentElement;e.classList.toggle('dark',d);e.style.colorScheme=d?'dark':'light'}catch(_){}})()`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
