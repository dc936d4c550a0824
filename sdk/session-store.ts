// Where agent conversations live between prompts: a port the Worker backs with one Durable
// Object per session. Turns are appended, never written over, so no turn erases another.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ModelMessage } from "./engine/model-port.ts";

/** One prompt's new messages (the user's, the model's, the tools'), named so a repeat is ignored. */
export interface SessionTurn {
  /** Unique per turn and the same when the turn is replayed (a run's agent step, a trigger delivery). */
  key: string;
  messages: ModelMessage[];
}

/** Where conversations live between prompts; the Worker backs it with a Durable Object per session. */
export interface SessionStore {
  load(sessionId: string): Promise<ModelMessage[]>;
  /** Appends a turn after the stored messages; a turn whose key was already appended changes nothing. */
  append(sessionId: string, turn: SessionTurn): Promise<void>;
}

const memorySessions = new Map<string, { messages: ModelMessage[]; keys: Set<string> }>();
let sessions: SessionStore = {
  load: async (id) => structuredClone(memorySessions.get(id)?.messages ?? []),
  append: async (id, turn) => {
    const session = memorySessions.get(id) ?? { messages: [], keys: new Set<string>() };
    memorySessions.set(id, session);
    if (session.keys.has(turn.key)) return;
    session.keys.add(turn.key);
    session.messages.push(...structuredClone(turn.messages));
  },
};

/** Replaces the session store (the default keeps sessions in memory). */
export function setSessionStore(store: SessionStore): void {
  sessions = store;
}

const override = new AsyncLocalStorage<{ sessionId: string; store: SessionStore }>();

/** The store that holds `sessionId`: the one the session's own object lent, else the installed one. */
export function sessionStoreFor(sessionId: string): SessionStore {
  const lent = override.getStore();
  return lent?.sessionId === sessionId ? lent.store : sessions;
}

/**
 * Runs `fn` with `store` serving `sessionId` (the session's Durable Object lends its own storage
 * while it runs a turn, so the turn reads and writes it without a call back into itself).
 */
export function withSessionStore<T>(sessionId: string, store: SessionStore, fn: () => Promise<T>): Promise<T> {
  return override.run({ sessionId, store }, fn);
}
