// The buttons at the foot of a confirmation dialog: the action (when there is one) and the one
// that closes it (client/common.ts closes the dialog around any `data-close`).

export function DialogActions(props: { submit?: string; submitTestId?: string; danger?: boolean; close?: string }) {
  return (
    <div class="actions">
      {props.submit ? (
        <button type="submit" class={props.danger ? "danger" : undefined} data-testid={props.submitTestId}>
          {props.submit}
        </button>
      ) : null}
      <button type="button" class="ghost" data-close>
        {props.close ?? "Close"}
      </button>
    </div>
  );
}
