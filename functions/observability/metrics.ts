import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_UNITS, METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from './telemetry-names.js';

/**
 * The one Powertools Metrics of a process: CloudWatch EMF in namespace {@link METRICS_NAMESPACE}
 * with the dimension `service` = {@link SERVICE_NAME}, written to stdout when published.
 * `POWERTOOLS_METRICS_DISABLED=true` turns publishing off (the test suite does).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/** Adds `value` to the metric `name` (in its unit from {@link METRIC_UNITS}) until the next publish. */
export function recordMetric(name: MetricName, value = 1): void {
  metrics.addMetric(name, METRIC_UNITS[name], value);
}

/** Writes the recorded metrics as one EMF line (nothing when none were recorded) and clears them. */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
