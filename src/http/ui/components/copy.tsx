// Copy buttons: a value inline (ids, URLs), or the text of an element (`#id`) for large values.

export function Copy(props: { value: string; label?: string; testId?: string }) {
  return (
    <button type="button" class="copy" data-copy={props.value} data-testid={props.testId} title="Copy">
      {props.label ?? "Copy"}
    </button>
  );
}

/** A JSON value in a block with a copy button. */
export function JsonBlock(props: { label: string; value: unknown; id: string }) {
  return (
    <section class="json-block">
      <div class="row">
        <h3>{props.label}</h3>
        <Copy value={`#${props.id}`} />
      </div>
      <pre id={props.id}>{props.value === undefined ? "undefined" : JSON.stringify(props.value, null, 2)}</pre>
    </section>
  );
}
