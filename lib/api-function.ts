import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNagFinding, NAG_ACKNOWLEDGEMENTS } from './nag-acknowledgements.js';

/** Options of {@link ApiFunction}. */
export interface ApiFunctionProps {
  /** The handler module (TypeScript) exporting `handler`. */
  readonly entry: string;
  /** One sentence saying what the function does. */
  readonly description: string;
  /** Memory in MB (Lambda's CPU share grows with it). */
  readonly memorySize: number;
  /** How long one invocation may run. */
  readonly timeout: Duration;
  /** Environment variables. */
  readonly environment: Record<string, string>;
  /** How long its logs are kept. */
  readonly logRetention: RetentionDays;
  /** Shell commands run after bundling (cwd: the repository), given the bundle's output folder. */
  readonly afterBundling?: (outputDir: string) => string[];
  /** Active X-Ray tracing with the Powertools Tracer (context `tracing`, default off). */
  readonly tracing: boolean;
}

/** The banner that gives ESM bundles a `require` for the CommonJS code some dependencies still hold. */
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * A Node.js 22 function on ARM64 (cheaper per ms, faster cold start), bundled locally by the pinned
 * esbuild as minified ESM with source maps (never Docker), with its own log group and retention.
 * The AWS SDK v3 is left to the runtime (Node.js 22 ships it): bundling it would add ~330 KB to
 * every function and take the authorize bundle past its 400 KB budget (about 120 KB without it).
 * Logs are Powertools JSON at `LOG_LEVEL` INFO with EMF metrics; with `tracing` the function traces
 * actively and bundles the Powertools Tracer (which brings the X-Ray SDK), without it the Tracer is
 * left out of the bundle.
 */
export class ApiFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: 'INFO',
        ...(props.tracing ? { POWERTOOLS_TRACE_ENABLED: 'true' } : {}),
      },
      ...(props.tracing ? { tracing: Tracing.ACTIVE } : {}),
      logGroup,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        externalModules: props.tracing ? ['@aws-sdk/*'] : ['@aws-sdk/*', '@aws-lambda-powertools/tracer'],
        forceDockerBundling: false,
        ...(props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) =>
                  props.afterBundling?.(outputDir) ?? [],
              },
            }
          : {}),
      },
    });
    acknowledgeNagFinding(this, NAG_ACKNOWLEDGEMENTS.basicExecutionRole);
    acknowledgeNagFinding(this, NAG_ACKNOWLEDGEMENTS.nodeRuntime);
    if (props.tracing) acknowledgeNagFinding(this, NAG_ACKNOWLEDGEMENTS.xrayTracing);
  }
}
