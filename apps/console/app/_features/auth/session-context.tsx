'use client';

import { createContext, type ReactNode, useContext } from 'react';
import { can, type Capability, type Role } from './permissions';

/** The signed-in user, for client components: null when nobody is signed in. */
export interface ClientSession {
  readonly name: string;
  readonly role: Role;
  readonly authEnabled: boolean;
}

const SessionContext = createContext<ClientSession | null>(null);

export function SessionProvider({ session, children }: { session: ClientSession | null; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): ClientSession | null {
  return useContext(SessionContext);
}

/** Whether the signed-in user may do what `capability` names (see permissions.ts). */
export function useCan(capability: Capability): boolean {
  return can(useSession()?.role, capability);
}
