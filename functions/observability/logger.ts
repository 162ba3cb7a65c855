import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './telemetry-names.js';

/**
 * The one Powertools Logger of a process (Lambda function or local server): JSON lines with `level`,
 * `message`, `service`, `timestamp` and the keys a call adds. The level comes from `LOG_LEVEL`
 * (`DEBUG`, `INFO` — the default —, `WARN`, `ERROR`, `SILENT`; Lambda's advanced logging controls
 * win when set). Never give it a token, a secret, an API key or an invite link: callers pass
 * identifiers only.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });
