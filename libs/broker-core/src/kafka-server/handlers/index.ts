import type { ApiHandler } from '../api-handler.js';
import { apiVersionsHandler } from './api-versions.js';

/** Every API the Kafka listener serves; ApiVersions advertises exactly these. */
export const API_HANDLERS: readonly ApiHandler[] = [apiVersionsHandler];
