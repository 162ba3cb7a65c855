import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  METRICS_NAMESPACE,
  type MetricName,
  SERVICE_NAME,
} from '../functions/observability/telemetry-names.js';

/**
 * One of the functions' EMF metrics (namespace `NextgenRbac`, dimension `service` = `nextgen-rbac`),
 * named from the same table the functions publish with, so a rename cannot silently break an alarm.
 */
export function applicationMetric(name: MetricName, statistic: string, period: Duration): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
  });
}
