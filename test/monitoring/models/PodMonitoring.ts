import Ajv from 'ajv';

/**
 * GKE Managed Prometheus's PodMonitoring (monitoring.googleapis.com/v1), for test/deploy's schema
 * checks, which find a model by apiVersion and kind. No npm package carries GMP's CRDs, so this
 * is written from the CRD's openAPIV3Schema (GoogleCloudPlatform/prometheus-engine,
 * podmonitorings.monitoring.googleapis.com) for the fields the clinic uses and their neighbours;
 * a field outside them is refused, which errs on the strict side of the real, structural schema.
 */
export interface IPodMonitoring {
  apiVersion: 'monitoring.googleapis.com/v1';
  kind: 'PodMonitoring';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    selector: {
      matchLabels?: Record<string, string>;
      matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
    };
    endpoints: Array<{
      port: string | number;
      path?: string;
      scheme?: 'http' | 'https';
      interval?: string;
      timeout?: string;
      params?: Record<string, string[]>;
    }>;
    targetLabels?: {
      metadata?: Array<'pod' | 'container' | 'node' | 'top_level_controller_name' | 'top_level_controller_type'>;
      fromPod?: Array<{ from: string; to?: string }>;
    };
    limits?: { samples?: number; labels?: number; labelNameLength?: number; labelValueLength?: number };
  };
}

const duration = { type: 'string', pattern: '^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$' };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });

const schema = closed(
  {
    apiVersion: { const: 'monitoring.googleapis.com/v1' },
    kind: { const: 'PodMonitoring' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 253 } },
    },
    spec: closed(
      {
        selector: closed({
          matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
          matchExpressions: {
            type: 'array',
            items: closed(
              { key: { type: 'string' }, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: { type: 'string' } } },
              ['key', 'operator'],
            ),
          },
        }),
        endpoints: {
          type: 'array',
          minItems: 1,
          items: closed(
            {
              port: { anyOf: [{ type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }, { type: 'integer', minimum: 1, maximum: 65535 }] },
              path: { type: 'string', pattern: '^/' },
              scheme: { enum: ['http', 'https'] },
              interval: duration,
              timeout: duration,
              params: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
            },
            ['port'],
          ),
        },
        targetLabels: closed({
          metadata: { type: 'array', items: { enum: ['pod', 'container', 'node', 'top_level_controller_name', 'top_level_controller_type'] } },
          fromPod: { type: 'array', items: closed({ from: { type: 'string' }, to: { type: 'string' } }, ['from']) },
        }),
        limits: closed({
          samples: { type: 'integer', minimum: 0 },
          labels: { type: 'integer', minimum: 0 },
          labelNameLength: { type: 'integer', minimum: 0 },
          labelValueLength: { type: 'integer', minimum: 0 },
        }),
      },
      ['selector', 'endpoints'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const validateDoc = new Ajv({ allErrors: true, strict: false }).compile(schema);

export class PodMonitoring {
  constructor(private readonly data: unknown) {}

  validate(): void {
    if (validateDoc(this.data)) return;
    throw new Error((validateDoc.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
  }
}
