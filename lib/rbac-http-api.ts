import { RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUTHORIZE_PATHS, type Endpoint } from '../functions/api/route-table.js';
import { acknowledgeNagFinding, NAG_ACKNOWLEDGEMENTS } from './nag-acknowledgements.js';

/** The routes of the web console (DESIGN §15), served by the console function. */
export const CONSOLE_ROUTE_PATHS = ['/console', '/console/{proxy+}'] as const;

/** Options of {@link RbacHttpApi}. */
export interface RbacHttpApiProps {
  /** Every endpoint to route (from the handlers' route table). */
  readonly endpoints: readonly Endpoint[];
  /** The function of the authorize path (`POST /authz/api/acl`). */
  readonly authorizeFunction: IFunction;
  /** The function of every other endpoint. */
  readonly managementFunction: IFunction;
  /** The function serving the web console at `/console` and `/console/{proxy+}` (GET and HEAD). */
  readonly consoleFunction: IFunction;
  /** Steady-state requests per second allowed on the stage. */
  readonly throttleRateLimit: number;
  /** Burst of requests allowed on the stage. */
  readonly throttleBurstLimit: number;
  /** How long access logs are kept. */
  readonly logRetention: RetentionDays;
}

/**
 * The HTTP API (API Gateway v2): one route per endpoint of the route table (no `/local/*` route
 * exists in it), the ACL endpoint on the authorize function and the rest on the management function,
 * a `$default` stage with throttling and JSON access logs. Authentication (`x-api-key`) happens in
 * the functions, against the same cached policy as the decisions. The web console's built assets
 * are served on the same origin by the console function (`/console`, `/console/{proxy+}`).
 */
export class RbacHttpApi extends Construct {
  /** The API. */
  readonly api: HttpApi;
  /** Its stage. */
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: RbacHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false, description: 'nextgen-rbac API' });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    acknowledgeNagFinding(this.api, NAG_ACKNOWLEDGEMENTS.authenticationInFunctions);
    const authorize = new HttpLambdaIntegration('Authorize', props.authorizeFunction);
    const management = new HttpLambdaIntegration('Management', props.managementFunction);
    for (const endpoint of props.endpoints) {
      this.api.addRoutes({
        path: endpoint.path,
        methods: [HttpMethod[endpoint.method]],
        integration: AUTHORIZE_PATHS.includes(endpoint.path) ? authorize : management,
      });
    }
    const consoleIntegration = new HttpLambdaIntegration('Console', props.consoleFunction);
    for (const path of CONSOLE_ROUTE_PATHS) {
      this.api.addRoutes({
        path,
        methods: [HttpMethod.GET, HttpMethod.HEAD],
        integration: consoleIntegration,
      });
    }
  }
}
