// Fetches a JSON API with httpRequest: the response is recorded as the step's output, so a replay
// reads it from the log instead of calling the API again; 429 and 5xx retry after Retry-After.
import { z } from "zod";
import { httpRequest } from "cairn-workflows/integrations/http";
import { defineWorkflow } from "cairn-workflows/workflow";

export default defineWorkflow({
  slug: "fetch-exchange-rate",
  name: "Fetch an exchange rate",
  description: "Reads a currency rate from a public JSON API.",
  input: z.object({ from: z.string().length(3), to: z.string().length(3) }),
  output: z.object({ rate: z.number().nullable() }),
  run: async ({ from, to }) => {
    const response = await httpRequest.run({
      url: `https://api.frankfurter.dev/v1/latest?base=${from}&symbols=${to}`,
      timeoutMs: 10_000,
      maxResponseBytes: 64 * 1024,
    });
    const rates = (response.body as { rates?: Record<string, number> }).rates ?? {};
    return { rate: rates[to] ?? null };
  },
});
