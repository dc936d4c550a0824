import { describe, expect, it } from "vitest";
import * as action from "cairn-workflows/action";
import * as agent from "cairn-workflows/agent";
import * as client from "cairn-workflows/client";
import * as credentials from "cairn-workflows/credentials";
import * as testing from "cairn-workflows/testing";
import * as trigger from "cairn-workflows/trigger";
import * as workflow from "cairn-workflows/workflow";
import { deserializeError, serializeError } from "../../sdk/engine/error-codec.ts";
import { SerializedErrorSchema } from "../../sdk/engine/events.ts";
import * as errors from "../../sdk/errors.ts";
import { CairnError, NonRetryableError, ValidationError } from "../../sdk/errors.ts";

type ErrorClass = new (...args: unknown[]) => Error;

/** Every Error subclass the public sdk modules export, by name. */
function exportedErrorClasses(): Map<string, ErrorClass> {
  const found = new Map<string, ErrorClass>();
  for (const module of [workflow, action, agent, trigger, credentials, testing, client, errors]) {
    for (const value of Object.values(module)) {
      if (typeof value === "function" && value.prototype instanceof Error) found.set(value.name, value as ErrorClass);
    }
  }
  return found;
}

/** What the log stores is JSON: the round trip goes through it and the event schema. */
function roundTrip(error: unknown): Error {
  return deserializeError(SerializedErrorSchema.parse(JSON.parse(JSON.stringify(serializeError(error)))));
}

/** The known classes an error is an instance of (its own, and every ancestor up to Error). */
function chainOf(ctor: ErrorClass): ErrorClass[] {
  const chain: ErrorClass[] = [];
  for (let c = ctor; c && c !== (Error as unknown); c = Object.getPrototypeOf(c)) chain.push(c);
  return chain;
}

describe("error codec", () => {
  const classes = exportedErrorClasses();

  it("finds the error classes the sdk exports (the enumeration itself works)", () => {
    expect([...classes.keys()]).toEqual(
      expect.arrayContaining(["CairnError", "NonRetryableError", "ValidationError", "UsageError", "CairnApiError"]),
    );
  });

  for (const [name, ctor] of exportedErrorClasses()) {
    it(`keeps ${name}'s class, name, message, code, stack and details across the log`, () => {
      const original = new ctor("first", "second", "third", { field: 1 });
      const back = roundTrip(original);
      for (const known of chainOf(ctor)) expect(back).toBeInstanceOf(known);
      expect(back).toBeInstanceOf(Error);
      expect(back.name).toBe(original.name);
      expect(back.message).toBe(original.message);
      expect(back.stack).toBe(original.stack);
      const fields = (e: Error) => e as Error & { code?: unknown; details?: unknown };
      expect(fields(back).code).toEqual(fields(original).code);
      expect(fields(back).details).toEqual(fields(original).details);
    });
  }

  it("keeps a user subclass of a Cairn error an instance of it, under the user's name", () => {
    class PaymentDeclined extends NonRetryableError {
      constructor() {
        super("card declined");
        this.name = "PaymentDeclined";
      }
    }
    class BadShape extends ValidationError {}
    const declined = roundTrip(new PaymentDeclined());
    expect(declined).toBeInstanceOf(NonRetryableError);
    expect(declined.name).toBe("PaymentDeclined");
    expect((declined as NonRetryableError).code).toBe("non_retryable");
    const shape = roundTrip(new BadShape("invalid_output", "no", [{ path: ["a"] }]));
    expect(shape).toBeInstanceOf(ValidationError);
    expect(shape).toBeInstanceOf(CairnError);
    expect(shape.name).toBe("BadShape");
    expect((shape as ValidationError).details).toEqual({ issues: [{ path: ["a"] }] });
  });

  it("keeps JavaScript's built-in error classes and user subclasses of them", () => {
    class Overdrawn extends RangeError {}
    expect(roundTrip(new TypeError("t"))).toBeInstanceOf(TypeError);
    const overdrawn = roundTrip(new Overdrawn("r"));
    expect(overdrawn).toBeInstanceOf(RangeError);
    expect(overdrawn.name).toBe("RangeError");
  });

  it("does not turn a user's unrelated error that borrows a Cairn name into the Cairn class", () => {
    const impostor = new Error("not ours");
    impostor.name = "ValidationError";
    const back = roundTrip(impostor);
    expect(back).not.toBeInstanceOf(ValidationError);
    expect(back.name).toBe("ValidationError");
  });

  it("rebuilds errors recorded before the class was stored, by their name", () => {
    const back = deserializeError({ name: "ValidationError", message: "old", code: "invalid_output" });
    expect(back).toBeInstanceOf(ValidationError);
  });
});
