/**
 * ZooKeeper's error codes, by name and number (KeeperException.Code), so that logs and
 * any future ZooKeeper-backed store speak the same language.
 */
export const REGISTRY_ERROR_CODES = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  CONNECTIONLOSS: -4,
  BADARGUMENTS: -8,
  NONODE: -101,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
} as const;

export type RegistryErrorCode = keyof typeof REGISTRY_ERROR_CODES;

/** The per-operation outcome of a failed multi, in ZooKeeper's convention. */
export interface MultiErrorResult {
  readonly type: 'error';
  /** OK for ops before the failing one (rolled back), RUNTIMEINCONSISTENCY after it. */
  readonly err: RegistryErrorCode;
}

export class RegistryError extends Error {
  readonly errno: number;

  constructor(
    readonly code: Exclude<RegistryErrorCode, 'OK'>,
    readonly path: string | undefined,
    detail?: string,
    /** Set when a multi failed: one entry per op. */
    readonly results?: readonly MultiErrorResult[],
  ) {
    super(`${code}${path === undefined ? '' : ` for ${path}`}${detail ? `: ${detail}` : ''}`);
    this.name = 'RegistryError';
    this.errno = REGISTRY_ERROR_CODES[code];
  }
}

export function isRegistryError(err: unknown, code?: RegistryErrorCode): err is RegistryError {
  return err instanceof RegistryError && (code === undefined || err.code === code);
}
