import type { ApiHandler } from '../api-handler.js';
import { apiVersionsHandler } from './api-versions.js';
import { fetchHandler } from './fetch.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { produceHandler } from './produce.js';

/** Every API the Kafka listener serves; ApiVersions advertises exactly these. */
export const API_HANDLERS: readonly ApiHandler[] = [produceHandler, fetchHandler, listOffsetsHandler, metadataHandler, apiVersionsHandler];
