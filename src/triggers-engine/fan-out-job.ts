// A subscription fan-out as a resumable job (decision 0010): the WorkflowObject records it before
// the first page is sent, every driver moves its cursor only after a page is on the queue, and
// the object's alarm finishes a job whose driver went quiet.
import type { FanOutMessage } from "./dispatch.ts";
import type { Subscription } from "./workflow-object.ts";

/** Subscriptions sent per queue batch (a Queues batch holds at most 100 messages). */
export const FAN_OUT_PAGE = 100;
/** How long a driver may go without finishing a page before the WorkflowObject's alarm takes the job over. */
export const FAN_OUT_LEASE_MS = 60_000;
/**
 * Pages one call sends before it hands the rest to the WorkflowObject's alarm: a fan-out to
 * 100,000 subscribers is 50 bounded invocations of 20 pages (about 60 subrequests each), never
 * one request that lists and enqueues them all.
 */
export const FAN_OUT_PAGES_PER_CALL = 20;

/** What every subscriber's message of one delivery shares. */
export type FanOutTemplate = Omit<FanOutMessage, "subscription" | "key">;

/** One delivery's fan-out: `key` names the delivery (each run's key is `<key>:<subscription id>`). */
export interface FanOutJob {
  key: string;
  message: FanOutTemplate;
  /** Last subscription id already sent; absent before the first page. */
  cursor?: string;
}

/** The two calls a driver makes on the WorkflowObject (over RPC from the Worker, directly from its alarm). */
export interface FanOutPort {
  list(options: {
    after?: string;
    limit: number;
    enabledOnly?: boolean;
  }): Promise<{ subscriptions: Subscription[]; next?: string }>;
  /** `handOff`: the caller stops here, so the job's lease ends now and the object's alarm goes on at once. */
  advanceFanOut(key: string, cursor: string | undefined, handOff?: boolean): Promise<void>;
}

/**
 * Sends up to `FAN_OUT_PAGES_PER_CALL` of the job's remaining pages and returns how many messages
 * this call sent; a job with more pages is handed to the WorkflowObject's alarm, which goes on
 * the same way. Safe to run again from the recorded cursor at any point: a page sent but not yet
 * recorded is sent again, and its runs are found rather than started twice, since each run id
 * derives from its key.
 */
export async function driveFanOut(
  port: FanOutPort,
  queue: Queue<FanOutMessage>,
  job: FanOutJob,
  pagesPerCall = FAN_OUT_PAGES_PER_CALL,
): Promise<number> {
  let after = job.cursor;
  let sent = 0;
  let pages = 0;
  do {
    const page = await port.list({ after, limit: FAN_OUT_PAGE, enabledOnly: true });
    if (page.subscriptions.length) {
      await queue.sendBatch(
        page.subscriptions.map((s) => ({
          body: {
            ...job.message,
            subscription: { id: s.id, subscriber: s.subscriber },
            key: `${job.key}:${s.id}`,
          } satisfies FanOutMessage,
        })),
      );
      sent += page.subscriptions.length;
    }
    after = page.next;
    pages++;
    const handOff = after !== undefined && pages >= pagesPerCall;
    // Only now is the page on the queue: recording it earlier could skip it after a crash.
    await port.advanceFanOut(job.key, after, handOff);
    if (handOff) break;
  } while (after);
  return sent;
}
