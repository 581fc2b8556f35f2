/** Subjects and JetStream names, derived from a prefix so that test runs never share a stream. */
export interface BusNames {
  logSubject: string;
  configSubject: string;
  logStream: string;
  logConsumer: string;
}

/** Builds the names from NATS_SUBJECT_PREFIX and NATS_LOG_STREAM. */
export function busNames(subjectPrefix = 'gateway', logStream = 'GATEWAY_LOGS'): BusNames {
  return {
    logSubject: `${subjectPrefix}.logs.request`,
    configSubject: `${subjectPrefix}.config.changed`,
    logStream,
    logConsumer: 'logging',
  };
}
