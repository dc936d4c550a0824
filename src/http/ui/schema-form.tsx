// A start-run form generated from a workflow's input JSON Schema: a field per simple property,
// a JSON box for anything else.
import { useBasePath } from "./layout.tsx";

type Property = { type?: string | string[]; description?: string; default?: unknown; enum?: unknown[] };
type ObjectSchema = { type?: string; properties?: Record<string, Property>; required?: string[] };

function simple(property: Property): "string" | "number" | "boolean" | undefined {
  const type = Array.isArray(property.type) ? property.type.find((t) => t !== "null") : property.type;
  if (type === "string" || type === "boolean") return type;
  if (type === "number" || type === "integer") return "number";
  return undefined;
}

export function SchemaForm(props: { slug: string; schema: unknown; csrf: string }) {
  const base = useBasePath();
  const schema = props.schema as ObjectSchema;
  const properties = Object.entries(schema?.properties ?? {});
  const allSimple = schema?.type === "object" && properties.every(([, p]) => simple(p));
  return (
    <form method="post" action={`${base}/ui/workflows/${props.slug}/start`} data-testid={`start-${props.slug}`}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {allSimple ? (
        properties.map(([name, property]) => {
          const kind = simple(property)!;
          const required = schema.required?.includes(name);
          return (
            <div>
              <label for={`${props.slug}-${name}`}>
                {name}
                {required ? " *" : ""} <span class="muted">{property.description ?? kind}</span>
              </label>
              {kind === "boolean" ? (
                <input id={`${props.slug}-${name}`} type="checkbox" name={`field:${name}:boolean`} value="true" />
              ) : (
                <input
                  id={`${props.slug}-${name}`}
                  type={kind === "number" ? "number" : "text"}
                  step="any"
                  name={`field:${name}:${kind}`}
                  required={required && property.default === undefined}
                  placeholder={property.default === undefined ? "" : String(property.default)}
                />
              )}
            </div>
          );
        })
      ) : (
        <div>
          <label for={`${props.slug}-json`}>input (JSON)</label>
          <textarea id={`${props.slug}-json`} name="json">
            {"{}"}
          </textarea>
        </div>
      )}
      <button type="submit">Start run</button>
    </form>
  );
}

/** Turns the posted form back into the workflow's input. */
export function inputFromForm(form: Record<string, unknown>): unknown {
  if (typeof form.json === "string") return JSON.parse(form.json || "{}");
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = /^field:(.+):(string|number|boolean)$/.exec(key);
    if (!match || typeof value !== "string") continue;
    const [, name, kind] = match;
    if (value === "" && kind !== "boolean") continue;
    input[name!] = kind === "number" ? Number(value) : kind === "boolean" ? value === "true" : value;
  }
  return input;
}
