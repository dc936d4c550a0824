// `client.hooks`: resuming a waiting hook by its token or resume URL.
import { type Request, segment } from "./transport.ts";

export function hooksApi(request: Request) {
  return {
    /**
     * Resumes a hook by token or full resume URL.
     * @example await cairn.hooks.resume(run.hooks[0].resumeUrl, { approved: true });
     */
    resume: (tokenOrUrl: string, value: unknown = {}) => {
      const path = /^https?:\/\//.test(tokenOrUrl) ? tokenOrUrl : `/hooks/${segment(tokenOrUrl)}`;
      return request<{ ok: true; runId: string }>(path, { method: "POST", json: value });
    },
  };
}

/** `client.hooks`. */
export type HooksApi = ReturnType<typeof hooksApi>;
