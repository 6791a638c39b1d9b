import type { ReactNode } from 'react';

/** The console's one table style; columns right-align numbers with `numeric`. */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ children, numeric = false }: { children: ReactNode; numeric?: boolean }) {
  return (
    <th scope="col" className={`border-b border-slate-200 px-3 py-2 font-medium text-slate-600 dark:border-slate-700 dark:text-slate-300 ${numeric ? 'text-right' : ''}`}>
      {children}
    </th>
  );
}

export function Td({ children, numeric = false, mono = false }: { children: ReactNode; numeric?: boolean; mono?: boolean }) {
  return (
    <td className={`border-b border-slate-100 px-3 py-2 dark:border-slate-800 ${numeric ? 'text-right tabular-nums' : ''} ${mono ? 'font-mono text-xs' : ''}`}>
      {children}
    </td>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-6 text-center text-slate-500 dark:text-slate-400">
        {children}
      </td>
    </tr>
  );
}
