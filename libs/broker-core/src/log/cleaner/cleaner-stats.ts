/**
 * What cleaning did, for metrics and logs (Kafka's CleanerStats): one instance per pass
 * over a log, summed over logs by LogCleaner. Plain numbers, cheap to copy and add.
 */
export class CleanerStats {
  /** Logs cleaned to the end (an aborted pass counts in `logsAborted` instead). */
  logsCleaned = 0;
  logsAborted = 0;
  /** Bytes read: dirty bytes while building the offset map, then every cleaned segment. */
  bytesRead = 0;
  /** Bytes of the cleaned segments written. */
  bytesWritten = 0;
  /** Records seen while cleaning segments (the map's pass is counted in `bytesRead` only). */
  recordsRead = 0;
  /** Records dropped, whatever the reason (the three counts below are part of it). */
  recordsRemoved = 0;
  tombstonesRemoved = 0;
  keylessRecordsRemoved = 0;
  /** Batches rebuilt because some but not all of their records were dropped. */
  batchesRebuilt = 0;
  /** Segments replaced, and the cleaned segments that replaced them. */
  segmentsCleaned = 0;
  segmentsWritten = 0;
  /** Keys in the offset map, and the share of its slots they took, at the end of mapping. */
  mapKeys = 0;
  mapUtilization = 0;
  /** Wall time from the start of the pass to its end, slices and the waits between them included. */
  durationMs = 0;

  /** Adds another pass's counts (the map figures keep the largest). */
  add(other: CleanerStats): void {
    this.logsCleaned += other.logsCleaned;
    this.logsAborted += other.logsAborted;
    this.bytesRead += other.bytesRead;
    this.bytesWritten += other.bytesWritten;
    this.recordsRead += other.recordsRead;
    this.recordsRemoved += other.recordsRemoved;
    this.tombstonesRemoved += other.tombstonesRemoved;
    this.keylessRecordsRemoved += other.keylessRecordsRemoved;
    this.batchesRebuilt += other.batchesRebuilt;
    this.segmentsCleaned += other.segmentsCleaned;
    this.segmentsWritten += other.segmentsWritten;
    this.mapKeys = Math.max(this.mapKeys, other.mapKeys);
    this.mapUtilization = Math.max(this.mapUtilization, other.mapUtilization);
    this.durationMs += other.durationMs;
  }
}
