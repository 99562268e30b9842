import { z } from '../domain/validation.js';
import { VERSION } from '../paths.js';
import { ErrorResponseSchema } from './errors.js';
import type { RouteDef } from './route.js';

type JsonSchema = Record<string, unknown>;

/** Schemas with an id (`.meta({ id })`) land once in components.schemas and are referenced. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    const { $schema: _s, $defs, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) this.components[id] = relink(def) as JsonSchema;
    return relink(rest) as JsonSchema;
  }
}

function relink(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(relink);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? x.replace('#/$defs/', '#/components/schemas/') : relink(x)]),
    );
  }
  return v;
}

/** Query or path parameters of an object schema, one OpenAPI parameter per property. */
function parameters(schemas: SchemaCollector, schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  // A named schema (`.meta({ id })`) comes back as a $ref: its properties are in components.
  let json = schemas.convert(schema, 'input') as { $ref?: string; properties?: Record<string, JsonSchema>; required?: string[] };
  if (json.$ref) json = schemas.components[json.$ref.split('/').pop()!] as typeof json;
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document of `routes`, generated from the schemas that validate them. */
export function buildOpenApi(routes: RouteDef[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas = new SchemaCollector();
  for (const r of routes) {
    const p = r.url.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.content
          ? { content: Object.fromEntries(Object.entries(res.content).map(([type, s]) => [type, { schema: schemas.convert(s, 'output') }])) }
          : {}),
      };
    }
    responses['4XX'] = {
      description: 'Bad input: the body names the problem',
      content: { 'application/json': { schema: schemas.convert(ErrorResponseSchema, 'output') } },
    };
    (paths[p] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      parameters: [...parameters(schemas, r.params, 'path'), ...parameters(schemas, r.query, 'query')],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.convert(r.body, 'input') } } } }
        : r.textBody
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(
                  Object.keys(r.textBody.formats).map((type) => {
                    const documented = r.textBody!.schemas?.[type];
                    return [type, { schema: documented ? schemas.convert(documented, 'input') : { type: 'string' } }];
                  }),
                ),
              },
            }
          : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Corridor API',
      version: VERSION,
      description: 'Map, monitor, model and decide for HIV programmes with migrants and mobile populations.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths,
    components: { schemas: schemas.components },
  };
}
